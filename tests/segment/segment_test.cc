// Segmentation behaviour: golden files computed by Python jieba, offsets,
// and hostile input.
#include "segment/segment.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"
#include "text/text.h"

namespace baogao::segment {
namespace {

using testing::Join;
using testing::ReadAll;
using testing::ReadLines;
using testing::SourcePath;
using testing::TestDictionary;

struct GoldenVariant {
  std::string suffix;  // X.<suffix>.expected
  CutOptions options;
  bool user_dict;
};

// Every tests/segment/golden/X.in has X.<variant>.expected files written by
// Python jieba (tests/segment/golden/make_golden.py); we must match them.
TEST(GoldenTest, MatchesJiebaOutput) {
  namespace fs = std::filesystem;
  const std::vector<GoldenVariant> variants = {
      {"default", {Mode::kDefault, true}, false}, {"nohmm", {Mode::kDefault, false}, false},
      {"search", {Mode::kSearch, true}, false},   {"all", {Mode::kAll, true}, false},
      {"user", {Mode::kDefault, true}, true},     {"user-search", {Mode::kSearch, true}, true},
  };
  DictionaryOptions user_opts;
  user_opts.path = BAOGAO_TEST_DICT;
  user_opts.user_dicts = {SourcePath("data/dict/government.txt")};
  auto user_dict = Dictionary::Load(user_opts);
  ASSERT_TRUE(user_dict.ok()) << user_dict.status().ToString();
  Segmenter plain(TestDictionary());
  Segmenter with_user(*user_dict);

  size_t files_checked = 0;
  for (const auto& entry : fs::directory_iterator(SourcePath("tests/segment/golden"))) {
    if (entry.path().extension() != ".in") continue;
    const std::vector<std::string> in = ReadLines(entry.path().string());
    const std::string stem = entry.path().stem().string();
    for (const GoldenVariant& v : variants) {
      const fs::path expected_path =
          entry.path().parent_path() / (stem + "." + v.suffix + ".expected");
      if (!fs::exists(expected_path)) continue;
      const std::vector<std::string> expected = ReadLines(expected_path.string());
      ASSERT_EQ(expected.size(), in.size()) << expected_path;
      Segmenter& seg = v.user_dict ? with_user : plain;
      for (size_t i = 0; i < in.size(); ++i) {
        EXPECT_EQ(Join(seg.Cut(in[i], v.options)), expected[i])
            << expected_path.filename() << " line " << i + 1;
      }
      ++files_checked;
    }
  }
  EXPECT_GE(files_checked, 8u) << "golden files are missing";
}

TEST(SegmentTest, ProjectDictionaryChangesGovernmentTerms) {
  DictionaryOptions opts;
  opts.path = BAOGAO_TEST_DICT;
  opts.user_dicts = {SourcePath("data/dict/government.txt")};
  auto dict = Dictionary::Load(opts);
  ASSERT_TRUE(dict.ok()) << dict.status().ToString();
  Segmenter plain(TestDictionary());
  Segmenter gov(*dict);
  const std::string s = "全面推行明厨亮灶，深化放管服改革";
  EXPECT_EQ(Join(plain.Cut(s)), "全面推行 / 明厨 / 亮 / 灶 / ， / 深化 / 放管服 / 改革");
  EXPECT_EQ(Join(gov.Cut(s)), "全面推行 / 明厨亮灶 / ， / 深化 / 放管服 / 改革");
}

TEST(SegmentTest, OffsetsPointIntoTheInput) {
  Segmenter seg(TestDictionary());
  const std::string s = "2023年GDP增长5.2%，ＰＭ２．５下降。\t中国𠀀人民";
  for (Mode mode : {Mode::kDefault, Mode::kSearch, Mode::kAll}) {
    text::Decoded d;
    text::DecodeUtf8(s, &d);
    for (const Token& t : seg.Cut(s, {mode, true})) {
      ASSERT_LE(t.byte_offset + t.text.size(), s.size());
      EXPECT_EQ(s.substr(t.byte_offset, t.text.size()), t.text);
      ASSERT_LE(t.char_offset + t.char_length, d.chars().size());
      EXPECT_EQ(d.offsets()[t.char_offset], t.byte_offset);
      EXPECT_EQ(d.offsets()[t.char_offset + t.char_length] - t.byte_offset, t.text.size());
    }
  }
  const auto& tokens = seg.Cut("中国𠀀人民");
  ASSERT_EQ(Join(tokens), "中国 / 𠀀 / 人民");
  EXPECT_EQ(tokens[1].byte_offset, 6u);
  EXPECT_EQ(tokens[1].char_offset, 2u);
  EXPECT_EQ(tokens[2].byte_offset, 10u);
  EXPECT_EQ(tokens[2].char_offset, 3u);
}

// In default mode the tokens are a partition of the input, in order.
void ExpectPartition(Segmenter& seg, const std::string& s, bool hmm) {
  size_t pos = 0, chars = 0;
  for (const Token& t : seg.Cut(s, {Mode::kDefault, hmm})) {
    ASSERT_EQ(t.byte_offset, pos);
    ASSERT_EQ(t.char_offset, chars);
    ASSERT_FALSE(t.text.empty());
    pos += t.text.size();
    chars += t.char_length;
  }
  EXPECT_EQ(pos, s.size());
}

TEST(SegmentTest, DefaultModeTokensPartitionTheDiffCorpus) {
  Segmenter seg(TestDictionary());
  for (const std::string& line : ReadLines(SourcePath("tests/segment/data/diff_corpus.txt"))) {
    ExpectPartition(seg, line, true);
    ExpectPartition(seg, line, false);
  }
}

TEST(SegmentTest, EmptyInput) {
  Segmenter seg(TestDictionary());
  for (Mode mode : {Mode::kDefault, Mode::kSearch, Mode::kAll}) {
    EXPECT_TRUE(seg.Cut("", {mode, true}).empty());
  }
}

TEST(SegmentTest, InvalidUtf8BytesAreSingleTokens) {
  Segmenter seg(TestDictionary());
  const std::string s = "中国\xFF\xFE人民\xE4\xB8";  // 0xFF, 0xFE, truncated 中
  const auto& tokens = seg.Cut(s);
  ASSERT_EQ(tokens.size(), 6u) << Join(tokens);
  EXPECT_EQ(tokens[0].text, "中国");
  EXPECT_EQ(tokens[1].text, "\xFF");
  EXPECT_EQ(tokens[2].text, "\xFE");
  EXPECT_EQ(tokens[3].text, "人民");
  EXPECT_EQ(tokens[4].text, "\xE4");
  EXPECT_EQ(tokens[5].text, "\xB8");
  EXPECT_EQ(tokens[5].char_offset, 7u);
  ExpectPartition(seg, s, true);
  // kAll joins runs of non-word characters, invalid bytes included.
  EXPECT_EQ(Join(seg.Cut(s, {Mode::kAll, true})), "中国 / \xFF\xFE / 人民 / \xE4\xB8");
}

TEST(SegmentTest, NulBytesAreOrdinaryCharacters) {
  Segmenter seg(TestDictionary());
  const std::string s("报告\0报告", 13);
  EXPECT_EQ(Join(seg.Cut(s), "|"), std::string("报告|\0|报告", 15));
}

TEST(SegmentTest, WhitespaceAndEmptyTokensInCutAll) {
  Segmenter seg(TestDictionary());
  const auto& all = seg.Cut("a  b", {Mode::kAll, true});
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(Join(all, "|"), "a|| || ||b");
  EXPECT_EQ(all[1].char_length, 0u);
  EXPECT_EQ(all[1].byte_offset, 1u);
  EXPECT_EQ(Join(seg.Cut("a  b"), "|"), "a| | |b");
  EXPECT_EQ(Join(seg.Cut("x\r\ny"), "|"), "x|\r\n|y");
}

TEST(SegmentTest, VeryLongLinesFinish) {
  Segmenter seg(TestDictionary());
  // 10 MB without a line break: Han text the dictionary knows, Han text it
  // does not (all HMM), Latin, and spaces.
  std::string han;
  while (han.size() < 10'000'000) han += "高质量发展";
  EXPECT_EQ(seg.Cut(han).size(), han.size() / 15 * 2);  // 高质量 / 发展
  std::string rare;
  while (rare.size() < 10'000'000) rare += "鿀鿁鿂";  // no emission entries
  ExpectPartition(seg, rare, true);
  std::string latin(10'000'000, 'a');
  ASSERT_EQ(seg.Cut(latin).size(), 1u);
  EXPECT_EQ(seg.Cut(latin, {Mode::kAll, true}).size(), 1u);
  std::string spaces(10'000'000, ' ');
  EXPECT_EQ(seg.Cut(spaces).size(), spaces.size());
}

TEST(SegmentTest, SearchModeAddsDictionaryGrams) {
  Segmenter seg(TestDictionary());
  EXPECT_EQ(Join(seg.Cut("中华人民共和国成立", {Mode::kSearch, true})),
            "中华 / 华人 / 人民 / 共和 / 共和国 / 中华人民共和国 / 成立");
}

}  // namespace
}  // namespace baogao::segment
