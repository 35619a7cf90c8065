// Ranking against a model (docs/design.md "Ranking with lists of our own"):
// on random reports made of dictionary words, every hit's score must equal
// BM25 computed here from the segmenter's words of the stored reports
// (k1 = 1, b = 0.5, lengths in characters, a title's words weighing twice
// a body's), the hits must come best first (equal weights: lower id
// first), and the
// two ways the searcher ranks — by itself for a query of strings and of
// filters the literal layer answers, through Xapian for a source filter —
// must agree. Also after updates and
// deletes, which leave stale entries in older segments.
//
// The seed is printed; BAOGAO_SEED=<n> replays a run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "../common/files.h"
#include "../common/fixtures.h"
#include "search/internal/ranked_words.h"
#include "search/search.h"
#include "segment/segment.h"
#include "store/store.h"
#include "test_corpus.h"
#include "text/fold.h"
#include "text/text.h"

namespace baogao::search {
namespace {

using report::Report;

constexpr uint64_t kDefaultSeed = 20261130;
constexpr int kReports = 240;

const std::vector<std::string> kWords = {
    "发展", "改革", "经济", "社会", "民生",   "乡村", "振兴", "生态", "环境", "创新",
    "就业", "教育", "医疗", "投资", "消费",   "城市", "农业", "工业", "科技", "文化",
    "交通", "水利", "能源", "产业", "高质量", "财政", "收入", "增长", "建设", "服务"};

// What the model knows of a stored report.
struct Doc {
  int64_t id = 0;
  std::map<std::string, int> title, body;  // word → occurrences
  double length = 0;                       // characters of the folded texts
  std::u32string all;                      // folded texts, joined by U+0001
};

class RankingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = testing::SeedFromEnv("ranking_test", kDefaultSeed);
    rng_.seed(seed_);
    store::StoreOptions o;
    o.url = dir_.File("r.db");
    auto st = store::OpenStore(o);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(*st);
    index_ = {dir_.File("r.db.index"), testing::TestDictionary(), 32};
  }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string Words(int min, int max) {
    std::string out;
    for (int n = Uniform(min, max); n > 0; --n) {
      out += kWords[static_cast<size_t>(Uniform(0, static_cast<int>(kWords.size()) - 1))];
      if (Uniform(0, 3) == 0) out += "，";
    }
    return out;
  }

  Report RandomReport() {
    Report r;
    r.title = Words(1, 4) + "（演示数据）";
    for (int p = Uniform(1, 5); p > 0; --p) r.body.push_back({0, Words(2, 60)});
    r.region = *report::RegionCode::FromInt(370000);
    r.level = report::AdminLevel::kProvince;
    r.year = Uniform(2015, 2024);
    r.source_url = "https://www.example.gov.cn/r.html";
    return r;
  }

  void CatchUp() {
    testing::CatchUpAndRefresh(index_,
                               SearcherOptions{index_.path, testing::TestDictionary(), nullptr},
                               *store_, &writer_, &searcher_);
    if (HasFatalFailure()) return;
    LoadModel();
  }

  // The words the index counts, cut by a segmenter of its own: every word
  // of a title; a body's of two or more characters; words starting with a
  // CJK character here.
  void Count(std::string_view raw, bool title, Doc* d) {
    const std::u32string folded = text::Fold(raw).chars;
    d->length += static_cast<double>(folded.size());
    d->all += folded;
    d->all += U'\x01';
    const std::string utf8 = testing::Utf8(folded);
    for (const segment::Token& t : segmenter_.Cut(utf8)) {
      size_t len = 0;
      const char32_t c = text::DecodeOne(t.text, 0, &len);
      if (c < 0x3400 || c > 0x9FFF) continue;
      if (!title && t.char_length < 2) continue;
      ++(title ? d->title : d->body)[std::string(t.text)];
    }
  }

  void LoadModel() {
    docs_.clear();
    for (const Report& r : testing::AllReports(*store_)) {
      Doc d;
      d.id = r.id.value();
      Count(r.title, true, &d);
      for (const report::Paragraph& p : r.body) Count(p.text, false, &d);
      docs_[d.id] = std::move(d);
    }
  }

  // A word's BM25 part for `d`, over the field `title` or the body.
  double Bm25(const Doc& d, const std::string& word, bool title) const {
    const auto field = [&](const Doc& x) -> const std::map<std::string, int>& {
      return title ? x.title : x.body;
    };
    const auto it = field(d).find(word);
    if (it == field(d).end()) return 0;
    double n = 0, total = 0;
    for (const auto& [id, x] : docs_) {
      n += field(x).count(word) > 0 ? 1 : 0;
      total += x.length;
    }
    const double reports = static_cast<double>(docs_.size());
    const double idf = std::log(1.0 + (reports - n + 0.5) / (n + 0.5));
    const double norm = std::max(d.length / (total / reports), 0.5);
    const double tf = it->second;
    return idf * 2 * tf / ((0.5 + 0.5 * norm) + tf);
  }

  // The model's score of `d` for the positive strings `strings`.
  double Score(const Doc& d, const std::vector<std::string>& strings) {
    double score = 0;
    for (const std::string& s : strings) {
      bool longer = false;
      const std::string folded = testing::Utf8(text::Fold(s).chars);
      for (const segment::Token& t : internal::RankedWords(segmenter_, folded, &longer)) {
        const std::string w(t.text);
        if (t.char_length > 1) score += Bm25(d, w, false);
        score += 2 * Bm25(d, w, true);
      }
    }
    return score;
  }

  SearchResult Run(const std::string& query) {
    SearchRequest req;
    req.query = query;
    req.limit = 1000;
    req.max_snippets = 0;
    auto res = searcher_->Search(req, *store_);
    EXPECT_TRUE(res.ok()) << query << ": " << res.status().ToString();
    return res.ok() ? *res : SearchResult();
  }

  // Checks `query` (whose positive strings are `strings`, each required if
  // `all`, else any) against the model, and against itself with a filter
  // that keeps every report (which makes Xapian rank).
  void Check(const std::string& query, const std::vector<std::string>& strings, bool all) {
    SCOPED_TRACE(query);
    const SearchResult res = Run(query);
    int64_t expected_total = 0;
    for (const auto& [id, d] : docs_) {
      int found = 0;
      for (const std::string& s : strings) {
        found += d.all.find(text::Fold(s).chars) != std::u32string::npos ? 1 : 0;
      }
      if (all ? found == static_cast<int>(strings.size()) : found > 0) ++expected_total;
    }
    ASSERT_EQ(res.total, expected_total);
    ASSERT_EQ(static_cast<int64_t>(res.hits.size()), std::min<int64_t>(expected_total, 1000));
    for (size_t i = 0; i < res.hits.size(); ++i) {
      const Hit& h = res.hits[i];
      const double want = Score(docs_.at(h.id.value()), strings);
      EXPECT_NEAR(h.score, want, 1e-4 * std::max(1.0, want)) << "report " << h.id.value();
      if (i > 0) {
        const Hit& prev = res.hits[i - 1];
        // Best first; equal weights by id (the float sums of weights that
        // are equal in the model may differ in their last bits).
        const bool ordered = prev.score == h.score
                                 ? prev.id < h.id
                                 : prev.score + 1e-5 * std::max(1.0, h.score) > h.score;
        EXPECT_TRUE(ordered) << "hit " << i << ": report " << h.id.value() << " (" << h.score
                             << ") after report " << prev.id.value() << " (" << prev.score << ")";
      }
    }
    // A filter that keeps every report: answered from the literal layer's
    // report attributes (year), or through Xapian (source).
    for (const char* filter : {" year:1949..2100", " source:example.gov.cn"}) {
      const SearchResult filtered = Run("(" + query + ")" + filter);
      ASSERT_EQ(filtered.total, res.total) << filter;
      ASSERT_EQ(filtered.hits.size(), res.hits.size()) << filter;
      for (size_t i = 0; i < res.hits.size(); ++i) {
        EXPECT_NEAR(filtered.hits[i].score, res.hits[i].score,
                    1e-6 * std::max(1.0, res.hits[i].score))
            << filter << " hit " << i;
      }
    }
    ++checked_;
  }

  void CheckRandomQueries(int n) {
    for (int q = 0; q < n; ++q) {
      const std::string a = kWords[static_cast<size_t>(Uniform(0, kWords.size() - 1))];
      const std::string b = kWords[static_cast<size_t>(Uniform(0, kWords.size() - 1))];
      switch (Uniform(0, 3)) {
        case 0:
          Check(a, {a}, true);
          break;
        case 1:
          Check(a + " " + b, {a, b}, true);
          break;
        case 2:
          Check("\"" + a + b + "\"", {a + b}, true);
          break;
        default:
          Check(a + " OR " + b, {a, b}, false);
          break;
      }
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  IndexOptions index_;
  std::unique_ptr<IndexWriter> writer_;
  std::unique_ptr<Searcher> searcher_;
  segment::Segmenter segmenter_{testing::TestDictionary()};
  std::map<int64_t, Doc> docs_;
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  int checked_ = 0;
};

TEST_F(RankingTest, ScoresAreBm25OfTheWordsAndBothWaysAgree) {
  std::vector<report::ReportId> ids;
  for (int i = 0; i < kReports; ++i) {
    auto id = store_->Insert(RandomReport());
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(*id);
  }
  CatchUp();
  CheckRandomQueries(60);
  // Replace and delete some: their old entries stay in older segments.
  for (int i = 0; i < 40; ++i) {
    const report::ReportId id = ids[static_cast<size_t>(Uniform(0, kReports - 1))];
    if (Uniform(0, 1) == 0) {
      Report r = RandomReport();
      r.id = id;
      const Status put = store_->Update(r);
      ASSERT_TRUE(put.ok() || put.code() == StatusCode::kNotFound) << put.ToString();
    } else {
      const Status st = store_->Delete(id);
      ASSERT_TRUE(st.ok() || st.code() == StatusCode::kNotFound) << st.ToString();
    }
  }
  CatchUp();
  CheckRandomQueries(60);
  EXPECT_EQ(checked_, 120);
}

}  // namespace
}  // namespace baogao::search
