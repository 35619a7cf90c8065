// Literal segments (search/internal/literal.h): exact sets against a
// brute-force scan on random reports, the file round trip, and damaged
// files refused with an error that names them.
#include "search/internal/literal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "text/fold.h"
#include "text/text.h"

namespace baogao::search::internal {
namespace {

using Texts = std::vector<std::u32string>;

std::string Utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) text::AppendUtf8(text::IsInvalidByteUnit(c) ? 0xFFFD : c, &out);
  return out;
}

// Random texts over a small alphabet, so that grams repeat, occur across
// text boundaries and many times per report. Includes a non-BMP character
// and an invalid-byte unit.
Texts RandomReport(std::mt19937& rng, bool tiny_alphabet = false) {
  static const std::u32string kAlphabet = U"发展经济改革创新高质量1ab\U00020000";
  static const std::u32string kTiny = U"发展改";
  const std::u32string& alphabet = tiny_alphabet ? kTiny : kAlphabet;
  Texts texts(1 + rng() % 5);
  for (std::u32string& t : texts) {
    const size_t n = rng() % 40;
    for (size_t i = 0; i < n; ++i) {
      if (rng() % 200 == 0) {
        t.push_back(static_cast<char32_t>(text::kInvalidByteBase + 0xC3));
      } else {
        t.push_back(alphabet[rng() % alphabet.size()]);
      }
    }
  }
  return texts;
}

// Texts keyed as the segment keys them: invalid-byte units as U+FFFD.
std::u32string Keyed(std::u32string t) {
  for (char32_t& c : t) {
    if (text::IsInvalidByteUnit(c)) c = 0xFFFD;
  }
  return t;
}

// The ids of the reports (keyed texts) with a text containing `s`.
std::vector<uint32_t> Scan(const std::vector<std::pair<uint32_t, Texts>>& keyed,
                           const std::u32string& s) {
  const std::u32string needle = Keyed(s);
  std::vector<uint32_t> ids;
  for (const auto& [id, texts] : keyed) {
    for (const std::u32string& t : texts) {
      if (t.find(needle) != std::u32string::npos) {
        ids.push_back(id);
        break;
      }
    }
  }
  return ids;
}

// A character's list: the reports (keyed texts) containing it, with the
// number of occurrences.
struct CharCounts {
  std::vector<uint32_t> ids, counts;
};
CharCounts ScanCounts(const std::vector<std::pair<uint32_t, Texts>>& keyed, char32_t c) {
  const char32_t k = Keyed(std::u32string(1, c))[0];
  CharCounts p;
  for (const auto& [id, texts] : keyed) {
    uint32_t n = 0;
    for (const std::u32string& t : texts) {
      n += static_cast<uint32_t>(std::count(t.begin(), t.end(), k));
    }
    if (n == 0) continue;
    p.ids.push_back(id);
    p.counts.push_back(n);
  }
  return p;
}

void ExpectSameCounts(const LiteralSegment& segment, char32_t c,
                      const std::vector<std::pair<uint32_t, Texts>>& keyed,
                      const std::string& what) {
  CharCounts got;
  ASSERT_TRUE(segment.Counts(MakeGramKey(&c, 1), &got.ids, &got.counts).ok()) << what;
  const CharCounts want = ScanCounts(keyed, c);
  EXPECT_EQ(got.ids, want.ids) << what;
  EXPECT_EQ(got.counts, want.counts) << what;
}

// Every character of RandomReport's alphabet, and one that never occurs.
const std::u32string kPostingChars = U"发展经济改革创新高质量1ab\U00020000\uFFFD无" +
                                     std::u32string(1, text::kInvalidByteBase + 0xC3);

TEST(LiteralSegmentTest, MatchesEqualAScanOnRandomReports) {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed);
    std::vector<std::pair<uint32_t, Texts>> reports, keyed;
    LiteralSegmentWriter writer;
    uint32_t id = 0;
    for (int i = 0; i < 300; ++i) {
      id += 1 + rng() % 3;  // gaps, as after deletions
      // Half the seeds draw from three characters: 4-grams then recur at
      // many positions, and near misses of a phrase are common.
      reports.emplace_back(id, RandomReport(rng, seed > 3));
      ASSERT_TRUE(writer.Add(id, reports.back().second).ok());
      keyed.emplace_back(id, Texts());
      for (const std::u32string& t : reports.back().second) keyed.back().second.push_back(Keyed(t));
    }
    auto segment = LiteralSegment::FromBytes(writer.FinishToBytes(), "mem");
    ASSERT_TRUE(segment.ok()) << segment.status().ToString();
    EXPECT_EQ((*segment)->report_count(), 300u);
    int checked = 0, nonempty = 0;
    for (int q = 0; q < 600; ++q) {
      // A string cut from a report (1–10 characters), sometimes altered so
      // that it may not occur.
      const Texts& texts = reports[rng() % reports.size()].second;
      const std::u32string& t = texts[rng() % texts.size()];
      if (t.empty()) continue;
      const size_t len = 1 + rng() % std::min<size_t>(10, t.size());
      const size_t at = rng() % (t.size() - len + 1);
      std::u32string s = t.substr(at, len);
      if (rng() % 4 == 0) s[rng() % s.size()] = U'无';
      std::vector<uint32_t> got;
      ASSERT_TRUE((*segment)->Match(s, &got).ok());
      const std::vector<uint32_t> want = Scan(keyed, s);
      ASSERT_EQ(got, want) << "seed " << seed << " query of " << s.size()
                           << " characters: " << Utf8(s);
      ++checked;
      nonempty += want.empty() ? 0 : 1;
    }
    EXPECT_GT(checked, 500);
    EXPECT_GT(nonempty, 300);
    // Every character's occurrence counts and the reports' lengths.
    std::vector<uint32_t> all_ids;
    std::vector<uint32_t> lengths;
    ASSERT_TRUE((*segment)->Ids(&all_ids, &lengths).ok());
    uint64_t total = 0;
    for (size_t i = 0; i < keyed.size(); ++i) {
      ASSERT_EQ(all_ids[i], keyed[i].first);
      uint32_t length = 0;
      for (const std::u32string& t : keyed[i].second) length += static_cast<uint32_t>(t.size());
      ASSERT_EQ(lengths[i], length);
      total += length;
    }
    EXPECT_EQ((*segment)->total_length(), total);
    for (char32_t c : kPostingChars) {
      ExpectSameCounts(**segment, c, keyed,
                       "seed " + std::to_string(seed) + " " + Utf8(std::u32string(1, c)));
    }
  }
}

// Texts far longer than the writer's stretches of 4,096 positions: strings
// across a stretch's end are found, and counts add up over stretches.
TEST(LiteralSegmentTest, LongTextsAreWrittenInStretches) {
  std::mt19937 rng(5);
  static const std::u32string kTiny = U"发展改";
  std::vector<std::pair<uint32_t, Texts>> keyed;
  LiteralSegmentWriter writer;
  for (uint32_t id = 1; id <= 3; ++id) {
    std::u32string t;
    for (int i = 0; i < 9000 + static_cast<int>(id); ++i) t.push_back(kTiny[rng() % kTiny.size()]);
    keyed.emplace_back(id, Texts{t, U"短"});
    ASSERT_TRUE(writer.Add(id, keyed.back().second).ok());
  }
  auto segment = LiteralSegment::FromBytes(writer.FinishToBytes(), "mem");
  ASSERT_TRUE(segment.ok()) << segment.status().ToString();
  for (size_t at : {size_t{4090}, size_t{4093}, size_t{8185}, size_t{8190}}) {
    for (size_t len = 1; len <= 9; ++len) {
      const std::u32string s = keyed[at % 3].second[0].substr(at, len);
      std::vector<uint32_t> got;
      ASSERT_TRUE((*segment)->Match(s, &got).ok());
      EXPECT_EQ(got, Scan(keyed, s)) << at << " " << Utf8(s);
    }
  }
  std::vector<uint32_t> ids, lengths;
  ASSERT_TRUE((*segment)->Ids(&ids, &lengths).ok());
  EXPECT_EQ(lengths, (std::vector<uint32_t>{9002, 9003, 9004}));
  for (char32_t c : std::u32string(U"发展改短无")) {
    ExpectSameCounts(**segment, c, keyed, Utf8(std::u32string(1, c)));
  }
}

TEST(LiteralSegmentTest, OccurrencesNeverSpanTwoTexts) {
  LiteralSegmentWriter writer;
  ASSERT_TRUE(writer.Add(1, Texts{U"改革开", U"放创新发展"}).ok());
  ASSERT_TRUE(writer.Add(2, Texts{U"改革开放创新", U"发展"}).ok());
  ASSERT_TRUE(writer.Add(3, Texts{U"改革", U"开放", U"创新发展"}).ok());
  // Two 4-grams that would line up if the texts were adjacent.
  ASSERT_TRUE(writer.Add(4, Texts{U"改革开放", U"创新发展"}).ok());
  auto segment = LiteralSegment::FromBytes(writer.FinishToBytes(), "mem");
  ASSERT_TRUE(segment.ok());
  auto match = [&](std::u32string_view s) {
    std::vector<uint32_t> ids;
    EXPECT_TRUE((*segment)->Match(s, &ids).ok());
    return ids;
  };
  EXPECT_EQ(match(U"改革开放"), (std::vector<uint32_t>{2, 4}));
  EXPECT_EQ(match(U"开放创新"), std::vector<uint32_t>{2});
  EXPECT_EQ(match(U"改革开放创新"), std::vector<uint32_t>{2});
  EXPECT_EQ(match(U"改革开放创新发展"), std::vector<uint32_t>{});
  EXPECT_EQ(match(U"创新发展"), (std::vector<uint32_t>{1, 3, 4}));
  EXPECT_EQ(match(U"开放创"), std::vector<uint32_t>{2});
  EXPECT_EQ(match(U"放创"), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(match(U"革"), (std::vector<uint32_t>{1, 2, 3, 4}));
  EXPECT_EQ(match(U""), std::vector<uint32_t>{});
  EXPECT_EQ(match(U"没有"), std::vector<uint32_t>{});
}

TEST(LiteralSegmentTest, IdsMustAscend) {
  LiteralSegmentWriter writer;
  ASSERT_TRUE(writer.Add(5, Texts{U"发展"}).ok());
  EXPECT_EQ(writer.Add(5, Texts{U"发展"}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(writer.Add(4, Texts{U"发展"}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(writer.Add(0, Texts{U"发展"}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(writer.Add(6, Texts{}).ok());  // a report with no text
}

class LiteralFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("literal_test." + std::to_string(::getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write() {
    LiteralSegmentWriter writer;
    std::mt19937 rng(7);
    for (uint32_t id = 1; id <= 200; ++id) EXPECT_TRUE(writer.Add(id, RandomReport(rng)).ok());
    const std::string path = (dir_ / "seg").string();
    EXPECT_TRUE(writer.Finish(path).ok());
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    return path;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static void Put(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  std::filesystem::path dir_;
};

TEST_F(LiteralFileTest, RoundTripsThroughAFile) {
  const std::string path = Write();
  auto from_file = LiteralSegment::Open(path);
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  auto from_bytes = LiteralSegment::FromBytes(Read(path), "mem");
  ASSERT_TRUE(from_bytes.ok());
  EXPECT_EQ((*from_file)->report_count(), 200u);
  EXPECT_EQ((*from_file)->key_count(), (*from_bytes)->key_count());
  for (std::u32string s : {U"发", U"发展", U"经济改", U"高质量发", U"改革创新高质", U"1ab"}) {
    std::vector<uint32_t> a, b;
    ASSERT_TRUE((*from_file)->Match(s, &a).ok());
    ASSERT_TRUE((*from_bytes)->Match(s, &b).ok());
    EXPECT_EQ(a, b);
  }
}

TEST_F(LiteralFileTest, DamagedFilesAreRefusedByName) {
  const std::string path = Write();
  const std::string good = Read(path);
  auto code_and_message = [&](const std::string& bytes) {
    Put(path, bytes);
    auto s = LiteralSegment::Open(path);
    EXPECT_FALSE(s.ok());
    if (s.ok()) return std::make_pair(StatusCode::kOk, std::string());
    return std::make_pair(s.status().code(), s.status().message());
  };
  // Missing.
  auto missing = LiteralSegment::Open((dir_ / "none").string());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  // Empty, truncated, not a segment, another version, flipped bytes in
  // the header, the report ids, the dictionary, the block index and the
  // chunk table.
  std::vector<std::string> bad = {"", good.substr(0, 10), good.substr(0, good.size() - 1),
                                  "<html>" + good.substr(6)};
  std::string v2 = good;
  v2[8] = 2;  // the format that checked the whole file at open
  bad.push_back(v2);
  auto u64 = [&](size_t at) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
      v = v << 8 | static_cast<uint8_t>(good[at + static_cast<size_t>(i)]);
    return static_cast<size_t>(v);
  };
  const size_t lists = u64(32), dict = u64(40), index = u64(48);
  ASSERT_LT(lists + 2, dict);
  for (size_t at : {size_t{20}, size_t{70}, size_t{85}, dict + 1, (dict + index) / 2, index + 3,
                    good.size() - 1}) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    bad.push_back(flipped);
  }
  for (const std::string& b : bad) {
    const auto [code, message] = code_and_message(b);
    EXPECT_EQ(code, StatusCode::kCorrupt) << message;
    EXPECT_NE(message.find(path), std::string::npos) << message;
  }
  // A flipped byte in the lists opens (they are checked on first use) and
  // is refused by name when read, every time.
  for (size_t at : {lists, (lists + dict) / 2, dict - 1}) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    Put(path, flipped);
    auto s = LiteralSegment::Open(path);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    for (int twice = 0; twice < 2; ++twice) {
      const Status v = (*s)->Verify();
      EXPECT_EQ(v.code(), StatusCode::kCorrupt);
      EXPECT_NE(v.message().find(path), std::string::npos) << v.message();
      EXPECT_NE(v.message().find("checksum of the lists"), std::string::npos) << v.message();
    }
    // Reading every list meets the damaged chunk too.
    const Status each =
        (*s)->ForEachList([](GramKey, std::string_view, uint32_t) { return Status::Ok(); });
    EXPECT_EQ(each.code(), StatusCode::kCorrupt);
  }
  Put(path, good);
  auto ok = LiteralSegment::Open(path);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE((*ok)->Verify().ok());
}

// The layer of segments against a model (id → texts), through batches of
// inserts, replacements and deletions, merges, a second reader that
// refreshes, and reopening from disk.
// The words a report of `texts` is given in the model test: every 2-character
// string of its texts as a body word, every character of its first text
// as a title word, each with its count.
std::vector<WordCount> WordsOf(const Texts& texts) {
  std::map<GramKey, uint32_t> words;
  for (size_t t = 0; t < texts.size(); ++t) {
    const std::u32string& s = texts[t];
    for (size_t i = 0; i + 2 <= s.size(); ++i) ++words[MakeWordKey(s.substr(i, 2), false)];
    if (t == 0) {
      for (char32_t c : s) ++words[MakeWordKey(std::u32string(1, c), true)];
    }
  }
  std::vector<WordCount> out;
  for (const auto& [key, count] : words) out.push_back(WordCount{key, count});
  return out;
}

TEST(LiteralSegmentTest, WordKeys) {
  const GramKey body = MakeWordKey(std::u32string_view(U"发展"), false);
  EXPECT_TRUE(IsWordKey(body));
  EXPECT_NE(body, MakeWordKey(std::u32string_view(U"发展"), true));
  EXPECT_EQ(body, MakeWordKey(std::string_view("发展"), false));
  EXPECT_NE(body, MakeWordKey(std::u32string_view(U"展发"), false));
  EXPECT_NE(body, MakeWordKey(std::u32string_view(U"发展经"), false));
  const char32_t chars[] = {U'发', U'展'};
  EXPECT_FALSE(IsWordKey(MakeGramKey(chars, 2)));
  EXPECT_GT(body, MakeGramKey(chars, 2));  // words sort after grams
  // Longer than five characters: hashed, with the length.
  const GramKey a = MakeWordKey(std::u32string_view(U"中华人民共和国"), false);
  EXPECT_EQ(a, MakeWordKey(std::string_view("中华人民共和国"), false));
  EXPECT_NE(a, MakeWordKey(std::u32string_view(U"中华人民共和图"), false));
  EXPECT_NE(a, MakeWordKey(std::u32string_view(U"中华人民共和国家"), false));
  EXPECT_NE(MakeWordKey(std::u32string_view(U"一二三四五"), false),
            MakeWordKey(std::u32string_view(U"一二三四五六"), false));
}

TEST(LiteralSegmentTest, WordListsKeepTheirCounts) {
  const GramKey fazhan = MakeWordKey(std::u32string_view(U"发展"), false);
  const GramKey title = MakeWordKey(std::u32string_view(U"改革"), true);
  LiteralSegmentWriter writer;
  ASSERT_TRUE(
      writer.Add(2, Texts{U"改革发展"}, std::vector<WordCount>{{title, 1}, {fazhan, 1}}).ok());
  ASSERT_TRUE(writer.Add(5, Texts{U"发展发展"}, std::vector<WordCount>{{fazhan, 2}}).ok());
  // A word twice, a word without occurrences, a gram's key: refused, and
  // the writer is unchanged.
  EXPECT_EQ(writer.Add(6, Texts{U"x"}, std::vector<WordCount>{{fazhan, 1}, {fazhan, 1}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(writer.Add(7, Texts{U"x"}, std::vector<WordCount>{{fazhan, 0}}).code(),
            StatusCode::kInvalidArgument);
  const char32_t chars[] = {U'发', U'展'};
  EXPECT_EQ(writer.Add(8, Texts{U"x"}, std::vector<WordCount>{{MakeGramKey(chars, 2), 1}}).code(),
            StatusCode::kInvalidArgument);
  auto segment = LiteralSegment::FromBytes(writer.FinishToBytes(), "words");
  ASSERT_TRUE(segment.ok()) << segment.status().ToString();
  std::vector<uint32_t> ids, counts;
  ASSERT_TRUE((*segment)->Counts(fazhan, &ids, &counts).ok());
  EXPECT_EQ(ids, (std::vector<uint32_t>{2, 5}));
  EXPECT_EQ(counts, (std::vector<uint32_t>{1, 2}));
  ASSERT_TRUE((*segment)->Counts(title, &ids, &counts).ok());
  EXPECT_EQ(ids, (std::vector<uint32_t>{2}));
  ASSERT_TRUE(
      (*segment)->Counts(MakeWordKey(std::u32string_view(U"没有"), false), &ids, &counts).ok());
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ((*segment)->Counts(MakeGramKey(chars, 2), &ids, &counts).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(LiteralFileTest, IndexFollowsBatchesAndMergesLikeAModel) {
  const std::string dir = (dir_ / "lit").string();
  EXPECT_EQ(LiteralIndex::Open(dir, /*create=*/false).status().code(), StatusCode::kNotFound);
  auto writer = LiteralIndex::Open(dir, /*create=*/true);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  auto reader = LiteralIndex::Open(dir, /*create=*/false);
  ASSERT_TRUE(reader.ok());
  std::mt19937 rng(11);
  std::map<uint32_t, Texts> model;
  auto check = [&](const LiteralIndex& index, int queries) {
    ASSERT_EQ(index.report_count(), static_cast<int64_t>(model.size()));
    std::vector<std::pair<uint32_t, Texts>> keyed;
    for (const auto& [id, texts] : model) {
      keyed.emplace_back(id, Texts());
      for (const std::u32string& t : texts) keyed.back().second.push_back(Keyed(t));
    }
    for (int q = 0; q < queries; ++q) {
      std::u32string s;
      const size_t len = 1 + rng() % 7;
      if (!model.empty() && rng() % 4 != 0) {
        auto it = model.begin();
        std::advance(it, static_cast<long>(rng() % model.size()));
        for (const std::u32string& t : it->second) {
          if (t.size() >= len) s = t.substr(rng() % (t.size() - len + 1), len);
        }
      }
      if (s.empty()) s = std::u32string(len, U'发');
      std::vector<uint32_t> got;
      ASSERT_TRUE(index.Match(s, &got).ok());
      ASSERT_EQ(got, Scan(keyed, s)) << Utf8(s);
    }
    int64_t reports = 0, length = 0, want_length = 0;
    ASSERT_TRUE(index.Totals(&reports, &length).ok());
    for (const auto& [id, texts] : keyed) {
      for (const std::u32string& t : texts) want_length += static_cast<int64_t>(t.size());
    }
    EXPECT_EQ(reports, static_cast<int64_t>(model.size()));
    EXPECT_EQ(length, want_length);
    // Weights: BM25 of the live reports' counts (k1 = 1, b = 0.5), whatever
    // segments they are in, whatever was deleted or replaced; of
    // characters and of words.
    const double average = model.empty() ? 1.0 : static_cast<double>(want_length) / model.size();
    std::vector<std::pair<GramKey, std::map<uint32_t, uint32_t>>> keys;  // id → count
    for (char32_t c : kPostingChars) {
      const CharCounts scan = ScanCounts(keyed, c);
      keys.emplace_back(MakeGramKey(&c, 1), std::map<uint32_t, uint32_t>());
      for (size_t i = 0; i < scan.ids.size(); ++i) keys.back().second[scan.ids[i]] = scan.counts[i];
    }
    for (const auto& [word, title] : {std::pair<std::u32string, bool>{U"发展", false},
                                      {U"经济", false},
                                      {U"发", true},
                                      {U"1a", false}}) {
      const GramKey key = MakeWordKey(word, title);
      keys.emplace_back(key, std::map<uint32_t, uint32_t>());
      for (const auto& [id, texts] : model) {
        for (const WordCount& w : WordsOf(texts)) {
          if (w.key == key) keys.back().second[id] = w.count;
        }
      }
    }
    std::map<uint32_t, double> lengths;
    for (const auto& [id, texts] : model) {
      for (const std::u32string& t : texts) lengths[id] += static_cast<double>(t.size());
    }
    for (const auto& [key, having] : keys) {
      std::vector<float> scores;
      ASSERT_TRUE(index.AddBm25(key, 3.0, &scores).ok());
      const double n = static_cast<double>(having.size());
      const double idf = std::log(1.0 + (static_cast<double>(model.size()) - n + 0.5) / (n + 0.5));
      for (uint32_t id = 0; id < scores.size(); ++id) {
        double want = 0;
        if (const auto it = having.find(id); it != having.end()) {
          const double tf = it->second;
          const double norm = std::max(lengths[id] / average, 0.5);
          want = 3.0 * idf * 2 * tf / ((0.5 + 0.5 * norm) + tf);
        }
        ASSERT_NEAR(scores[id], want, 1e-5 * std::max(1.0, want))
            << std::hex << static_cast<uint64_t>(key >> 64) << std::dec << " report " << id;
      }
      for (const auto& [id, c] : having) ASSERT_LT(id, scores.size());
    }
  };
  size_t most_segments = 0;
  for (int64_t sequence = 1; sequence <= 60; ++sequence) {
    LiteralSegmentWriter batch;
    std::vector<uint32_t> removed;
    std::set<uint32_t> touched;
    const int changes = 1 + static_cast<int>(rng() % 12);
    for (int c = 0; c < changes; ++c) touched.insert(1 + rng() % 150);
    for (uint32_t id : touched) {  // ascending, as the writer needs
      if (rng() % 5 == 0) {
        removed.push_back(id);
        model.erase(id);
      } else {
        model[id] = RandomReport(rng);
        ASSERT_TRUE(batch.Add(id, model[id], WordsOf(model[id])).ok());
      }
    }
    ASSERT_TRUE((*writer)->Commit(&batch, removed, sequence).ok());
    EXPECT_EQ(batch.report_count(), 0u);
    EXPECT_EQ((*writer)->sequence(), sequence);
    most_segments = std::max(most_segments, (*writer)->segment_count());
    EXPECT_LE((*writer)->segment_count(), LiteralIndex::kMaxSmallSegments);
    check(**writer, 40);
    if (sequence % 7 == 0) {
      ASSERT_TRUE((*reader)->Refresh().ok());
      EXPECT_EQ((*reader)->sequence(), sequence);
      check(**reader, 40);
    }
  }
  EXPECT_EQ(most_segments, LiteralIndex::kMaxSmallSegments);  // merges happened
  // Re-applying the last batch changes nothing.
  {
    LiteralSegmentWriter again;
    for (const auto& [id, texts] : model) {
      if (id % 3 == 0) {
        ASSERT_TRUE(again.Add(id, texts, WordsOf(texts)).ok());
      }
    }
    ASSERT_TRUE((*writer)->Commit(&again, std::vector<uint32_t>{}, 61).ok());
    check(**writer, 60);
  }
  auto reopened = LiteralIndex::Open(dir, /*create=*/false);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->sequence(), 61);
  check(**reopened, 100);
  // Only the manifest and the segments it names are left on disk.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    ++files;
    EXPECT_FALSE(e.path().string().ends_with(".tmp")) << e.path();
  }
  EXPECT_EQ(files, 1 + (*reopened)->segment_count());
}

TEST_F(LiteralFileTest, DamagedManifestsAreRefusedByName) {
  const std::string dir = (dir_ / "lit").string();
  auto index = LiteralIndex::Open(dir, /*create=*/true);
  ASSERT_TRUE(index.ok());
  LiteralSegmentWriter batch;
  ASSERT_TRUE(batch.Add(4, Texts{U"推动高质量发展"}).ok());
  ASSERT_TRUE((*index)->Commit(&batch, std::vector<uint32_t>{}, 9).ok());
  const std::string manifest = dir + "/MANIFEST";
  const std::string good = Read(manifest);
  EXPECT_NE(good.find("sequence 9"), std::string::npos) << good;
  std::string missing_segment = good;
  missing_segment.replace(missing_segment.find("seg-1.lit"), 9, "seg-7.lit");
  std::string bad_deleted = good;
  bad_deleted.replace(bad_deleted.find(" -"), 2, " 5,3");
  for (const std::string& bytes :
       {std::string(), std::string("garbage\n"), good.substr(0, good.find("next")), missing_segment,
        bad_deleted, good + "segment ../../etc/passwd -\n"}) {
    Put(manifest, bytes);
    auto s = LiteralIndex::Open(dir, /*create=*/false);
    ASSERT_FALSE(s.ok()) << bytes;
    EXPECT_EQ(s.status().code(), StatusCode::kCorrupt) << s.status().ToString();
    EXPECT_NE(s.status().message().find(dir), std::string::npos) << s.status().ToString();
  }
  Put(manifest, good);
  auto again = LiteralIndex::Open(dir, /*create=*/false);
  ASSERT_TRUE(again.ok());
  std::vector<uint32_t> ids;
  ASSERT_TRUE((*again)->Match(U"高质量发展", &ids).ok());
  EXPECT_EQ(ids, std::vector<uint32_t>{4});
}

// Writes fuzz/corpus/literal/small, the fuzz target's seed: reports that
// hold its query strings. Run search_literal_test with
// BAOGAO_FUZZ_SEED=fuzz/corpus/literal/small in the environment and
// --gtest_also_run_disabled_tests --gtest_filter='*WriteFuzzSeed*'.
TEST(LiteralSegmentTest, DISABLED_WriteFuzzSeed) {
  const char* path = std::getenv("BAOGAO_FUZZ_SEED");
  ASSERT_NE(path, nullptr) << "set BAOGAO_FUZZ_SEED";
  LiteralSegmentWriter writer;
  const GramKey body = MakeWordKey(std::u32string_view(U"发展"), false);
  const GramKey title = MakeWordKey(std::u32string_view(U"高质量"), true);
  const std::vector<WordCount> words3 = {{title, 1}, {body, 2}};
  const std::vector<WordCount> words7 = {{body, 2}};
  ASSERT_TRUE(writer.Add(3, Texts{U"推动高质量发展", U"经济发展"}, words3).ok());
  ASSERT_TRUE(writer.Add(7, Texts{U"高质量发展推动高质量发展经济"}, words7).ok());
  ASSERT_TRUE(writer.Add(9, Texts{U"高质", U"量发展"}).ok());
  ASSERT_TRUE(writer.Finish(path).ok());
}

}  // namespace
}  // namespace baogao::search::internal
