// The search module end to end on a real SQLite store and a real Xapian
// index: recall whatever the segmenter does, folding, snippets, counts,
// filters, ranking, following the change log, and generations.
#include "search/search.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../common/files.h"
#include "../common/fixtures.h"
#include "region/region.h"
#include "report/report.h"
#include "search/internal/fold_offsets.h"
#include "store/store.h"
#include "text/fold.h"
#include "text/text.h"

namespace baogao::search {
namespace {

using report::Paragraph;
using report::Report;

Report MakeReport(std::string title, std::vector<std::string> paragraphs, int region, int year,
                  report::ReportType type = report::ReportType::kGovernmentWork) {
  Report r;
  r.title = std::move(title);
  for (std::string& p : paragraphs) r.body.push_back(Paragraph{0, std::move(p)});
  r.region = *report::RegionCode::FromInt(region);
  r.level = region == report::RegionCode::kNational ? report::AdminLevel::kNational
            : region % 10000 == 0                   ? report::AdminLevel::kProvince
            : region % 100 == 0                     ? report::AdminLevel::kPrefecture
                                                    : report::AdminLevel::kCounty;
  r.year = year;
  r.type = type;
  r.source_url = "https://www.example.gov.cn/zwgk/1.html";
  r.source_site = "示例政府网";
  return r;
}

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreOptions o;
    o.url = dir_.File("b.db");
    auto st = store::OpenStore(o);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(*st);
    index_ = {dir_.File("b.db.index"), testing::TestDictionary(), 7};
  }

  report::ReportId Add(const Report& r) {
    auto id = store_->Insert(r);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : report::ReportId();
  }

  void CatchUp() {
    if (writer_ == nullptr) {
      auto w = IndexWriter::Open(index_);
      ASSERT_TRUE(w.ok()) << w.status().ToString();
      writer_ = std::move(*w);
    }
    auto n = writer_->CatchUp(*store_);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (searcher_ != nullptr) {
      ASSERT_TRUE(searcher_->Refresh().ok());
    }
  }

  Searcher& S() {
    if (searcher_ == nullptr) {
      auto s = Searcher::Open(
          SearcherOptions{index_.path, testing::TestDictionary(), testing::TestRegions()});
      EXPECT_TRUE(s.ok()) << s.status().ToString();
      searcher_ = std::move(*s);
    }
    return *searcher_;
  }

  SearchResult Run(const std::string& query, int64_t limit = 100) {
    SearchRequest req;
    req.query = query;
    req.limit = limit;
    auto r = S().Search(req, *store_);
    EXPECT_TRUE(r.ok()) << query << ": " << r.status().ToString();
    return r.ok() ? *r : SearchResult{};
  }

  std::vector<int64_t> Ids(const std::string& query) {
    std::vector<int64_t> ids;
    for (const Hit& h : Run(query).hits) ids.push_back(h.id.value());
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  testing::ScratchDir dir_;
  std::unique_ptr<store::Store> store_;
  IndexOptions index_;
  std::unique_ptr<IndexWriter> writer_;
  std::unique_ptr<Searcher> searcher_;
};

using IdList = std::vector<int64_t>;

TEST(FoldTest, TraditionalFullWidthCaseAndWhitespace) {
  ASSERT_TRUE(text::FoldStatus().ok()) << text::FoldStatus().ToString();
  EXPECT_EQ(text::FoldToUtf8("臺灣"), "台湾");
  EXPECT_EQ(text::FoldToUtf8("ＰＭ２．５"), "pm2.5");
  EXPECT_EQ(text::FoldToUtf8("高质量\u3000发 展\u200b"), "高质量发展");
  EXPECT_EQ(text::FoldToUtf8("GDP增長"), "gdp增长");
  // Each folded character points back at its source bytes.
  const std::string src = "臺 Ａ";
  const text::FoldedText f = text::Fold(src);
  ASSERT_EQ(f.chars, U"台a");
  EXPECT_EQ(src.substr(f.source[0], f.source_end[0] - f.source[0]), "臺");
  EXPECT_EQ(src.substr(f.source[1], f.source_end[1] - f.source[1]), "Ａ");
  EXPECT_EQ(f.source.back(), src.size());
  // Invalid bytes stay themselves, and never match a valid character.
  EXPECT_EQ(text::Fold("\xff").chars.size(), 1u);
  EXPECT_TRUE(text::IsInvalidByteUnit(text::Fold("\xff").chars[0]));
}

// FoldInto (indexing, counts, snippets) appends what Fold gives, for texts
// of every length around its blocks of 256 characters, with characters
// that fold away, traditional and full-width ones, astral ones and
// invalid bytes.
TEST(FoldTest, FoldIntoAppendsWhatFoldGives) {
  const std::string pieces[] = {"臺灣", "ＰＭ２．５", "\u200b", " ",   "\u3000", "发展",
                                "a",    "\xff",       "𠀀",     "GDP", "\u00ad", "。"};
  std::mt19937 rng(7);
  for (int len : {0, 1, 255, 256, 257, 511, 512, 513, 2000}) {
    std::string src;
    while (static_cast<int>(src.size()) < len) src += pieces[rng() % std::size(pieces)];
    std::u32string out = U"前缀";
    text::FoldInto(src, &out);
    EXPECT_EQ(out, U"前缀" + text::Fold(src).chars) << "length " << len;
  }
}

TEST_F(SearchTest, FindsStringsHoweverTheSegmenterSplitThem) {
  const auto a = Add(MakeReport("某县政府工作报告（演示数据）",
                                {"全面推行明厨亮灶，办好365暖留工程。", "积极推进待处理事项清零。"},
                                371403, 2023));
  const auto b = Add(MakeReport("某市统计公报（演示数据）", {"处理能力提升，臺灣同胞来访。"},
                                371400, 2022, report::ReportType::kStatistical));
  const auto c = Add(MakeReport("某省规划（演示数据）", {"PM2.5平均浓度下降。", "高质量", "发展"},
                                370000, 2021, report::ReportType::kPlan));
  CatchUp();
  EXPECT_EQ(Ids("处理"), (IdList{a.value(), b.value()}));  // 待处理 is one word
  EXPECT_EQ(Ids("明厨亮灶"), (IdList{a.value()}));
  EXPECT_EQ(Ids("365暖留"), (IdList{a.value()}));
  EXPECT_EQ(Ids("暖"), (IdList{a.value()}));
  EXPECT_EQ(Ids("台湾"), (IdList{b.value()}));
  EXPECT_EQ(Ids("臺灣"), (IdList{b.value()}));
  EXPECT_EQ(Ids("ＰＭ２．５"), (IdList{c.value()}));
  EXPECT_EQ(Ids("pm2.5"), (IdList{c.value()}));
  // An occurrence never spans two paragraphs.
  EXPECT_EQ(Ids("高质量发展"), IdList{});
  EXPECT_EQ(Ids("\"质量\""), (IdList{c.value()}));
  EXPECT_EQ(Ids("不存在的词语"), IdList{});
  EXPECT_EQ(Run("处理").total, 2);
}

TEST_F(SearchTest, BooleanOperatorsAndFilters) {
  const auto a = Add(
      MakeReport("德州市陵城区政府工作报告（演示数据）", {"乡村振兴，生态环境。"}, 371403, 2023));
  const auto b =
      Add(MakeReport("德州市政府工作报告（演示数据）", {"乡村振兴，营商环境。"}, 371400, 2019));
  const auto c = Add(MakeReport("南京市统计公报（演示数据）", {"生态环境持续改善。"}, 320100, 2021,
                                report::ReportType::kStatistical));
  const auto n = Add(MakeReport("国务院政府工作报告（演示数据）", {"乡村振兴战略。"},
                                report::RegionCode::kNational, 2022));
  CatchUp();
  EXPECT_EQ(Ids("乡村振兴 生态"), (IdList{a.value()}));
  EXPECT_EQ(Ids("营商 OR 生态"), (IdList{a.value(), b.value(), c.value()}));
  EXPECT_EQ(Ids("环境 -生态"), (IdList{b.value()}));
  EXPECT_EQ(Ids("-乡村"), (IdList{c.value()}));
  EXPECT_EQ(Ids("乡村 region:370000"), (IdList{a.value(), b.value()}));
  EXPECT_EQ(Ids("乡村 region:山东"), (IdList{a.value(), b.value()}));
  EXPECT_EQ(Ids("region:德州市"), (IdList{a.value(), b.value()}));
  EXPECT_EQ(Ids("region:371403"), (IdList{a.value()}));
  EXPECT_EQ(Ids("region:华东"), (IdList{a.value(), b.value(), c.value()}));
  EXPECT_EQ(Ids("region:全国"), (IdList{n.value()}));
  EXPECT_EQ(Ids("level:county"), (IdList{a.value()}));
  EXPECT_EQ(Ids("type:统计公报"), (IdList{c.value()}));
  EXPECT_EQ(Ids("year:2020..2022"), (IdList{c.value(), n.value()}));
  EXPECT_EQ(Ids("year:..2019"), (IdList{b.value()}));
  EXPECT_EQ(Ids("source:example.gov.cn").size(), 4u);
  EXPECT_EQ(Ids("source:示例政府网").size(), 4u);
  EXPECT_EQ(Ids("source:other.gov.cn"), IdList{});
}

TEST_F(SearchTest, BadQueriesGetAChineseMessage) {
  Add(MakeReport("报告（演示数据）", {"内容"}, 370000, 2020));
  CatchUp();
  for (const char* q : {"\"未闭合", "region:鼓楼区", "region:不存在的地方", "level:abc",
                        "year:2030..2020", "(括号"}) {
    SearchRequest req;
    req.query = q;
    auto r = S().Search(req, *store_);
    ASSERT_FALSE(r.ok()) << q;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << q;
    EXPECT_TRUE(text::IsValidUtf8(r.status().message()));
    const std::string& m = r.status().message();
    EXPECT_TRUE(m.find("查询") != std::string::npos || m.find("地区") != std::string::npos ||
                m.find("级别") != std::string::npos || m.find("年") != std::string::npos ||
                m.find("括号") != std::string::npos)
        << m;
  }
  SearchRequest req;
  req.query = "内容";
  req.limit = 5000;
  EXPECT_EQ(S().Search(req, *store_).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SearchTest, SnippetsHighlightTheOriginalTextOnCharacterBoundaries) {
  const std::string para =
      "前言部分的文字比较长，用来测试摘要窗口的截取是否落在字符边界上。" +
      std::string("我们与臺灣同胞共同发展，促进两岸交流。") +
      "后面还有很多很多的文字，继续测试窗口的右侧截断是否正确，不会切断任何一个汉字。";
  const auto id = Add(MakeReport("标题（演示数据）", {"无关段落。", para}, 350000, 2023));
  CatchUp();
  SearchRequest req;
  req.query = "台湾";
  req.snippet_chars = 20;
  auto res = S().Search(req, *store_);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  ASSERT_EQ(res->hits.size(), 1u);
  const Hit& h = res->hits[0];
  EXPECT_EQ(h.id, id);
  EXPECT_EQ(h.occurrences, 1);
  ASSERT_EQ(h.snippets.size(), 1u);
  EXPECT_EQ(h.snippets[0].paragraph, 1);
  std::string joined;
  int marked = 0;
  for (const SnippetPart& p : h.snippets[0].parts) {
    EXPECT_TRUE(text::IsValidUtf8(p.text));
    if (p.match) {
      EXPECT_EQ(p.text, "臺灣");  // the original characters, not the folded ones
      ++marked;
    }
    if (p.text != "…") joined += p.text;
  }
  EXPECT_EQ(marked, 1);
  EXPECT_NE(para.find(joined), std::string::npos) << joined;
  EXPECT_EQ(h.snippets[0].parts.front().text, "…");
  EXPECT_EQ(h.snippets[0].parts.back().text, "…");
}

TEST_F(SearchTest, SnippetsAreTheBestParagraphsInTextOrder) {
  // Scores: distinct terms first, then occurrences; of equal scores, the
  // earlier paragraph.
  Add(MakeReport(
      "标题（演示数据）",
      {"无关。", "发展。", "改革发展。", "发展发展。", "改革。", "改革发展改革。", "改革发展。"},
      350000, 2023));
  CatchUp();
  SearchRequest req;
  req.query = "发展 改革";
  auto paragraphs = [&](int max_snippets) {
    req.max_snippets = max_snippets;
    auto res = S().Search(req, *store_);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    std::vector<int> out;
    if (res.ok() && res->hits.size() == 1) {
      for (const Snippet& sn : res->hits[0].snippets) out.push_back(sn.paragraph);
    }
    return out;
  };
  EXPECT_EQ(paragraphs(0), std::vector<int>{});
  EXPECT_EQ(paragraphs(1), std::vector<int>{5});
  EXPECT_EQ(paragraphs(2), (std::vector<int>{2, 5}));
  EXPECT_EQ(paragraphs(3), (std::vector<int>{2, 5, 6}));
  EXPECT_EQ(paragraphs(5), (std::vector<int>{1, 2, 3, 5, 6}));
  EXPECT_EQ(paragraphs(10), (std::vector<int>{1, 2, 3, 4, 5, 6}));
  // Nothing matches in the body: the first paragraph.
  req.query = "标题";
  EXPECT_EQ(paragraphs(3), std::vector<int>{0});
}

TEST(FoldOffsetsTest, TheFirstOffsetsOfFold) {
  // Random mixes of ASCII, CJK (traditional too), full-width forms,
  // whitespace and zero-width characters that folding drops, 4-byte
  // characters and invalid bytes.
  const std::vector<std::string> pieces = {
      "a",        "Z",        " ",      "\t",           "发",           "臺",
      "灣",       "Ａ",       "\u3000", "\u200b",       "\xef\xbb\xbf", "😀",
      "\xff",     "\xe5\x8f", "\xc3",   "\xed\xa0\x80", "\xe0\x80\x80", "\xf0\x9f",
      "\xc2\xa0", "。"};
  std::mt19937 rng(7);
  std::vector<uint32_t> source, source_end;
  for (int round = 0; round < 500; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) s += pieces[rng() % pieces.size()];
    const text::FoldedText f = text::Fold(s);
    for (size_t count = 0; count <= f.chars.size() + 2; ++count) {
      internal::FoldOffsets(s, count, &source, &source_end);
      const size_t k = std::min(count, f.chars.size());
      ASSERT_EQ(source.size(), k) << round;
      ASSERT_EQ(source_end.size(), k) << round;
      for (size_t i = 0; i < k; ++i) {
        ASSERT_EQ(source[i], f.source[i]) << round << " " << i;
        ASSERT_EQ(source_end[i], f.source_end[i]) << round << " " << i;
      }
    }
  }
}

TEST_F(SearchTest, CountsAreLiteralAndNonOverlapping) {
  Add(MakeReport("发展报告（演示数据）", {"发展发展，哈哈哈", "发 展"}, 370000, 2023));
  CatchUp();
  auto res = Run("发展 哈哈");
  ASSERT_EQ(res.hits.size(), 1u);
  const Hit& h = res.hits[0];
  ASSERT_EQ(h.term_occurrences.size(), 2u);
  EXPECT_EQ(h.term_occurrences[0], (std::pair<std::string, int64_t>{"发展", 4}));
  EXPECT_EQ(h.term_occurrences[1], (std::pair<std::string, int64_t>{"哈哈", 1}));
  EXPECT_EQ(h.occurrences, 5);
}

TEST_F(SearchTest, TitleMatchesRankAboveBodyMatches) {
  Add(MakeReport("其他报告（演示数据）", {"新质生产力在正文中出现一次，还有很多别的内容。"}, 370000,
                 2023));
  const auto t = Add(MakeReport("关于新质生产力的规划（演示数据）",
                                {"正文里没有这个词，只在标题里。"}, 370000, 2023));
  CatchUp();
  auto res = Run("新质生产力");
  ASSERT_EQ(res.hits.size(), 2u);
  EXPECT_EQ(res.hits[0].id, t);
  EXPECT_GT(res.hits[0].score, res.hits[1].score);
}

// A single character ranks by how often it occurs (BM25 over the literal
// layer's counts, normalised by length); a string with no word ranks by its
// characters. Every report containing it is found, with an exact total.
TEST_F(SearchTest, SingleCharactersRankByTheirCounts) {
  const auto once =
      Add(MakeReport("报告甲（演示数据）", {"今年粮食产量稳定，其他内容若干。"}, 370000, 2023));
  const auto thrice =
      Add(MakeReport("报告乙（演示数据）", {"粮食、粮油和粮仓建设稳步推进。"}, 370000, 2023));
  const auto none = Add(MakeReport("报告丙（演示数据）", {"没有那个字。"}, 370000, 2023));
  // The same count in a much longer report weighs less.
  const auto long_once = Add(MakeReport(
      "报告丁（演示数据）", {"粮" + std::string(40, 'x'), std::string(200, 'y')}, 370000, 2023));
  CatchUp();
  auto res = Run("粮");
  ASSERT_EQ(res.total, 3);
  ASSERT_EQ(res.hits.size(), 3u);
  EXPECT_EQ(res.hits[0].id, thrice);
  EXPECT_EQ(res.hits[1].id, once);
  EXPECT_EQ(res.hits[2].id, long_once);
  EXPECT_GT(res.hits[0].score, res.hits[1].score);
  EXPECT_GT(res.hits[1].score, res.hits[2].score);
  for (const Hit& h : res.hits) EXPECT_NE(h.id, none);
  // "、" has no word: the report where its characters occur more ranks
  // first, and both are found.
  auto sym = Run("、粮");
  ASSERT_EQ(sym.total, 1);
  EXPECT_EQ(sym.hits[0].id, thrice);
  EXPECT_GT(sym.hits[0].score, 0);
}

// A lone character at the edge of a string that has a longer word (年 in
// 年工作) is a fragment of the cut: a title that has it ranks no higher.
TEST_F(SearchTest, FragmentCharactersDoNotRank) {
  const auto a = Add(MakeReport("关于年的说明（演示数据）", {"今年工作顺利。"}, 370000, 2023));
  const auto b = Add(MakeReport("关于乙的说明（演示数据）", {"今年工作顺利。"}, 370000, 2023));
  CatchUp();
  auto res = Run("年工作");
  ASSERT_EQ(res.total, 2);
  ASSERT_EQ(res.hits.size(), 2u);
  EXPECT_GT(res.hits[0].score, 0);
  EXPECT_DOUBLE_EQ(res.hits[0].score, res.hits[1].score);
  // Alone, the character does rank by titles (and by its counts).
  auto alone = Run("年");
  ASSERT_EQ(alone.hits.size(), 2u);
  EXPECT_EQ(alone.hits[0].id, a);
  EXPECT_NE(alone.hits[1].id, a);
  EXPECT_EQ(alone.hits[1].id, b);
}

// A string the dictionary cuts into single characters ranks its own
// reports by those characters' counts; a report that has the characters
// but not the string is not found.
TEST_F(SearchTest, StringsWithoutAWordRankByTheirCharacters) {
  const auto once =
      Add(MakeReport("报告甲（演示数据）", {"灶亮一次，其余是别的内容。"}, 370000, 2023));
  const auto thrice =
      Add(MakeReport("报告乙（演示数据）", {"灶亮、灶亮、灶亮，其余内容。"}, 370000, 2023));
  const auto scattered =
      Add(MakeReport("报告丙（演示数据）", {"灶台很亮，没有连写。"}, 370000, 2023));
  CatchUp();
  auto res = Run("灶亮");
  ASSERT_EQ(res.total, 2);
  ASSERT_EQ(res.hits.size(), 2u);
  EXPECT_EQ(res.hits[0].id, thrice);
  EXPECT_EQ(res.hits[1].id, once);
  EXPECT_GT(res.hits[0].score, res.hits[1].score);
  EXPECT_GT(res.hits[1].score, 0);
  auto either = Run("灶亮 OR 台");
  EXPECT_EQ(either.total, 3);
  bool has_scattered = false;
  for (const Hit& h : either.hits) has_scattered = has_scattered || h.id == scattered;
  EXPECT_TRUE(has_scattered);
}

TEST_F(SearchTest, SortPaginationAndFacets) {
  for (int y = 2015; y <= 2024; ++y) {
    Add(MakeReport("报告（演示数据）", {"改革开放"}, y % 2 ? 371403 : 320100, y));
  }
  CatchUp();
  SearchRequest req;
  req.query = "改革";
  req.sort = SortOrder::kNewest;
  req.limit = 3;
  req.offset = 2;
  req.facets = true;
  auto res = S().Search(req, *store_);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->total, 10);
  ASSERT_EQ(res->hits.size(), 3u);
  EXPECT_EQ(res->hits[0].year, 2022);
  EXPECT_EQ(res->hits[2].year, 2020);
  const auto& prov = res->facets["province"];
  ASSERT_EQ(prov.size(), 2u);
  EXPECT_EQ(prov[0].count, 5);
  EXPECT_EQ(prov[1].count, 5);
  EXPECT_EQ(prov[0].label, "江苏省");
  const auto& level = res->facets["level"];
  ASSERT_EQ(level.size(), 2u);
  ASSERT_EQ(res->facets["year"].size(), 10u);
  EXPECT_EQ(res->facets["year"][0].key, "2024");
  EXPECT_EQ(res->facets["macro_region"][0].label, "华东");
  EXPECT_EQ(res->facets["macro_region"][0].count, 10);
}

TEST_F(SearchTest, FollowsUpdatesAndDeletes) {
  const auto a = Add(MakeReport("报告甲（演示数据）", {"绿色低碳"}, 370000, 2023));
  const auto b = Add(MakeReport("报告乙（演示数据）", {"绿色发展"}, 370000, 2023));
  CatchUp();
  EXPECT_EQ(Ids("绿色"), (IdList{a.value(), b.value()}));
  auto ra = store_->Get(a);
  ASSERT_TRUE(ra.ok());
  ra->body = {Paragraph{0, "数字经济"}};
  ASSERT_TRUE(store_->Update(*ra).ok());
  ASSERT_TRUE(store_->Delete(b).ok());
  // Not yet applied: the searcher skips a hit whose report is gone.
  EXPECT_EQ(Ids("绿色"), (IdList{a.value()}));
  CatchUp();
  EXPECT_EQ(Ids("绿色"), IdList{});
  EXPECT_EQ(Ids("数字经济"), (IdList{a.value()}));
  EXPECT_EQ(S().document_count(), 1);
}

// Hits come from the searcher's report cache after the first search; a
// change in the store must show at once, before the index catches up, as
// it did when every hit was read from the store.
TEST_F(SearchTest, HitsFromMemoryFollowTheStoreAtOnce) {
  const auto a = Add(MakeReport("报告甲（演示数据）", {"绿色低碳发展", "其他"}, 370000, 2023));
  CatchUp();
  auto snippet = [](const Hit& h) {
    std::string s;
    for (const Snippet& sn : h.snippets) {
      for (const SnippetPart& p : sn.parts) s += p.match ? "[" + p.text + "]" : p.text;
      s += "|";
    }
    return s;
  };
  SearchResult r = Run("绿色");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(snippet(r.hits[0]), "[绿色]低碳发展|");
  EXPECT_EQ(Run("绿色").hits[0].occurrences, 1);  // from memory now

  auto ra = store_->Get(a);
  ASSERT_TRUE(ra.ok());
  ra->title = "报告甲（修订，演示数据）";
  ra->body = {Paragraph{0, "其他"}, Paragraph{0, "绿色发展，绿色生活"}};
  ASSERT_TRUE(store_->Update(*ra).ok());
  // The index still has the old text, so the report matches; its hit is the
  // store's new version.
  r = Run("绿色");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].title, "报告甲（修订，演示数据）");
  EXPECT_EQ(r.hits[0].occurrences, 2);
  EXPECT_EQ(snippet(r.hits[0]), "[绿色]发展，[绿色]生活|");

  // Another searcher sharing a cache sees the same, and a deleted report
  // is no hit for either.
  SearcherOptions shared{index_.path, testing::TestDictionary(), testing::TestRegions()};
  shared.report_cache = NewReportCache(1 << 20);
  auto s1 = Searcher::Open(shared);
  auto s2 = Searcher::Open(shared);
  ASSERT_TRUE(s1.ok() && s2.ok());
  SearchRequest req;
  req.query = "绿色";
  auto r1 = (*s1)->Search(req, *store_);
  ASSERT_TRUE(r1.ok());
  ASSERT_EQ(r1->hits.size(), 1u);
  EXPECT_EQ(r1->hits[0].occurrences, 2);
  ASSERT_TRUE(store_->Delete(a).ok());
  auto r2 = (*s2)->Search(req, *store_);
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->hits.empty());
  EXPECT_EQ(r2->total, 1);  // the index has not caught up yet
}

TEST_F(SearchTest, FollowerMakesNewReportsSearchableWithinASecond) {
  auto f = IndexFollower::Start(*store_, index_, 50);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const auto id = Add(MakeReport("新报告（演示数据）", {"跟随变更日志"}, 370000, 2024));
  int64_t seq = 0;
  ASSERT_TRUE(store_
                  ->RunInReadTransaction([&](store::Transaction& tx) -> Status {
                    BAOGAO_ASSIGN_OR_RETURN(seq, tx.LatestSequence());
                    return Status::Ok();
                  })
                  .ok());
  (*f)->Notify();
  // The follower picks the report up on its own. How fast (within a second
  // on an idle machine) is a measurement, not a unit test: under ASan on a
  // loaded 2-core machine this took 1.8 s, so allow far more here.
  ASSERT_TRUE((*f)->WaitFor(seq, 15000)) << (*f)->last_status().ToString();
  EXPECT_EQ(Ids("变更日志"), (IdList{id.value()}));
  EXPECT_TRUE((*f)->last_status().ok());
}

TEST_F(SearchTest, AnIndexAheadOfItsStoreIsRefused) {
  Add(MakeReport("报告（演示数据）", {"内容"}, 370000, 2020));
  CatchUp();
  writer_.reset();
  // Another, empty database at the same place.
  store_.reset();
  std::filesystem::remove(dir_.File("b.db"));
  store::StoreOptions o;
  o.url = dir_.File("b.db");
  auto reopened = store::OpenStore(o);
  ASSERT_TRUE(reopened.ok());
  store_ = std::move(reopened).value();
  auto w = IndexWriter::Open(index_);
  ASSERT_TRUE(w.ok());
  auto n = (*w)->CatchUp(*store_);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(n.status().message().find("reindex"), std::string::npos);
  w->reset();
  ASSERT_TRUE(Rebuild(*store_, index_).ok());
  EXPECT_EQ(Ids("内容"), IdList{});
}

TEST_F(SearchTest, RebuildSwitchesGenerationsUnderOpenReaders) {
  const auto a = Add(MakeReport("报告（演示数据）", {"共同富裕"}, 330000, 2022));
  CatchUp();
  EXPECT_EQ(Ids("共同富裕"), (IdList{a.value()}));
  const auto b = Add(MakeReport("报告二（演示数据）", {"共同富裕示范区"}, 330000, 2023));
  ASSERT_TRUE(Rebuild(*store_, index_).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.File("b.db.index.g1")));
  EXPECT_TRUE(std::filesystem::exists(dir_.File("b.db.index.g2")));
  // The open searcher moves over on Refresh; the writer on its next catch-up.
  ASSERT_TRUE(S().Refresh().ok());
  EXPECT_EQ(Ids("共同富裕"), (IdList{a.value(), b.value()}));
  const auto c = Add(MakeReport("报告三（演示数据）", {"共同富裕"}, 330000, 2024));
  CatchUp();
  EXPECT_EQ(Ids("共同富裕"), (IdList{a.value(), b.value(), c.value()}));
  EXPECT_EQ(writer_->sequence(), 3);
}

TEST_F(SearchTest, NoIndexYetSaysHowToBuildIt) {
  auto s = Searcher::Open(SearcherOptions{index_.path, testing::TestDictionary(), nullptr});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_NE(s.status().message().find("baogao reindex"), std::string::npos);
}

}  // namespace
}  // namespace baogao::search

namespace baogao::search {
namespace {

TEST_F(SearchTest, AFirstOpenKilledHalfWayDoesNotBlockTheIndex) {
  // What a first Open killed after Xapian created its tables but before the
  // stub existed leaves behind.
  std::filesystem::create_directories(dir_.File("b.db.index.g1"));
  std::ofstream(dir_.File("b.db.index.g1/postlist.glass")).flush();
  Add(MakeReport("报告（演示数据）", {"绿色转型"}, 370000, 2020));
  CatchUp();
  EXPECT_EQ(Ids("绿色转型").size(), 1u);
}

// The server gives each worker thread a searcher of its own; nothing those
// searchers build may be shared behind their backs. Xapian::Query::MatchAll
// is one static object with a non-atomic reference count, and copying it
// from several threads raced (TSan). No hits are fetched (limit 0), so the
// threads share no lock that could order their accesses and hide a race.
TEST_F(SearchTest, SearchersOnSeveralThreadsShareNoQueryState) {
  Add(MakeReport("报告（演示数据）", {"发展改革"}, 370000, 2020));
  Add(MakeReport("另一报告（演示数据）", {"疫情防控"}, 110000, 2021));
  CatchUp();
  std::atomic<int> failures{0};
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto s = Searcher::Open(
          SearcherOptions{index_.path, testing::TestDictionary(), testing::TestRegions()});
      ++ready;
      while (ready.load() < 4) std::this_thread::yield();
      if (!s.ok()) {
        ++failures;
        return;
      }
      for (int i = 0; i < 50; ++i) {
        for (const char* query : {"", "-疫情", "region:370000", "发展 OR -改革"}) {
          SearchRequest req;
          req.query = query;
          req.limit = 0;
          auto r = (*s)->Search(req, *store_);
          if (!r.ok() || r->total < 1) ++failures;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(SearchTest, AnUnrefreshedSearcherSurvivesManyCommits) {
  Add(MakeReport("报告（演示数据）", {"开放型经济"}, 370000, 2020));
  CatchUp();
  Searcher& s = S();
  // The writer commits batch after batch (batch size 7) without the
  // searcher refreshing in between.
  ASSERT_TRUE(
      store_
          ->RunInTransaction([&](store::Transaction& tx) -> Status {
            for (int i = 0; i < 400; ++i) {
              BAOGAO_RETURN_IF_ERROR(
                  tx.Insert(MakeReport("另一份（演示数据）",
                                       {"别的内容，第" + std::to_string(i) + "份"}, 370000, 2021))
                      .status());
            }
            return Status::Ok();
          })
          .ok());
  auto n = writer_->CatchUp(*store_);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  SearchRequest req;
  req.query = "开放型";
  auto r = s.Search(req, *store_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->total, 1);
}

TEST_F(SearchTest, RebuildRemovesWhatKilledRebuildsLeft) {
  Add(MakeReport("报告（演示数据）", {"内容"}, 370000, 2020));
  CatchUp();
  std::filesystem::create_directories(dir_.File("b.db.index.g7"));
  std::filesystem::create_directories(dir_.File("b.db.index.g8.compact"));
  ASSERT_TRUE(Rebuild(*store_, index_).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.File("b.db.index.g7")));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("b.db.index.g8.compact")));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("b.db.index.g1")));
  EXPECT_EQ(Ids("内容").size(), 1u);
}

}  // namespace
}  // namespace baogao::search
