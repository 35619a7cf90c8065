// Loading, compiling and extending dictionaries, and their failure modes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "segment/segment.h"
#include "test_util.h"

namespace baogao::segment {
namespace {

using testing::Join;
using testing::ReadAll;
using testing::TestDictionary;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/baogao_dict_test_XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name, const std::string& content) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

Result<std::shared_ptr<const Dictionary>> LoadWithUser(const std::string& user) {
  DictionaryOptions opts;
  opts.path = BAOGAO_TEST_DICT;
  opts.user_dicts = {user};
  return Dictionary::Load(opts);
}

TEST(DictionaryTest, CompiledDictionaryMatchesJiebaCounts) {
  auto dict = TestDictionary();
  ASSERT_NE(dict, nullptr);
  EXPECT_EQ(dict->total(), 60101967);  // jieba.Tokenizer().total
  EXPECT_GT(dict->word_count(), 340000u);
  EXPECT_GT(dict->Frequency("北京"), 0);
  EXPECT_EQ(dict->Frequency("北"), 17860);        // jieba's FREQ['北']
  EXPECT_EQ(dict->Frequency("中华人民共和"), 0);  // a prefix, not a word
  EXPECT_EQ(dict->Frequency("不存在的词语串"), 0);
}

TEST(DictionaryTest, UserDictionaryFollowsJiebaSemantics) {
  TempDir dir;
  // Values below are what jieba 0.42.1 computes for this file
  // (Tokenizer.load_userdict, then FREQ and total).
  const std::string user = dir.File("u.txt",
                                    "\xEF\xBB\xBF明厨亮灶\n"
                                    "放管服 5 n\n"
                                    "北京 0\n"
                                    "一网 通办 nz\n");
  auto dict = LoadWithUser(user);
  ASSERT_TRUE(dict.ok()) << dict.status().ToString();
  EXPECT_EQ((*dict)->total(), 60101974);
  EXPECT_EQ((*dict)->Frequency("明厨亮灶"), 1);  // suggest_freq
  EXPECT_EQ((*dict)->Frequency("放管服"), 5);
  EXPECT_EQ((*dict)->Frequency("北京"), 0);
  EXPECT_EQ((*dict)->Frequency("一网 通办"), 1);
  Segmenter seg(*dict);
  const std::string s = "推进明厨亮灶和放管服改革，北京一网 通办";
  EXPECT_EQ(Join(seg.Cut(s)),
            "推进 / 明厨亮灶 / 和 / 放管服 / 改革 / ， / 北 / 京 / 一网 /   / 通办");
  EXPECT_EQ(Join(seg.Cut(s, {Mode::kDefault, false})),
            "推进 / 明厨亮灶 / 和 / 放管服 / 改革 / ， / 北 / 京 / 一 / 网 /   / 通 / 办");
}

TEST(DictionaryTest, CompileRoundTripKeepsUserWords) {
  TempDir dir;
  const std::string user = dir.File("u.txt", "明厨亮灶\n北京 0\n");
  auto dict = LoadWithUser(user);
  ASSERT_TRUE(dict.ok());
  const std::string out = dir.Path("merged.bgd");
  ASSERT_TRUE((*dict)->Compile(out).ok());
  DictionaryOptions opts;
  opts.path = out;
  auto merged = Dictionary::Load(opts);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ((*merged)->total(), (*dict)->total());
  EXPECT_EQ((*merged)->word_count(), (*dict)->word_count());
  Segmenter a(*dict), b(*merged);
  for (const std::string& line :
       testing::ReadLines(testing::SourcePath("tests/segment/data/diff_corpus.txt"))) {
    for (Mode m : {Mode::kDefault, Mode::kSearch, Mode::kAll}) {
      ASSERT_EQ(Join(a.Cut(line, {m, true})), Join(b.Cut(line, {m, true}))) << line;
    }
  }
}

TEST(DictionaryTest, TextDictionaryLoadsLikeCompiled) {
  DictionaryOptions opts;
  opts.path = std::string(BAOGAO_JIEBA_DIR) + "/dict.txt";
  auto text = Dictionary::Load(opts);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ((*text)->total(), TestDictionary()->total());
  Segmenter a(*text), b(TestDictionary());
  const std::string s = "统筹推进乡村振兴和新型城镇化，地区生产总值增长6%左右。";
  EXPECT_EQ(Join(a.Cut(s)), Join(b.Cut(s)));
}

TEST(DictionaryTest, MissingFileIsNotFound) {
  DictionaryOptions opts;
  opts.path = "/nonexistent/dict.bgd";
  auto d = Dictionary::Load(opts);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  EXPECT_NE(d.status().message().find("/nonexistent/dict.bgd"), std::string::npos);
  auto u = LoadWithUser("/nonexistent/user.txt");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().code(), StatusCode::kNotFound);
}

TEST(DictionaryTest, DamagedCompiledFilesAreRefused) {
  TempDir dir;
  const std::string good = ReadAll(BAOGAO_TEST_DICT);
  ASSERT_GT(good.size(), 4096u);
  struct Case {
    std::string name;
    std::string bytes;
    std::string message;
  };
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x40;
  std::string version = good;
  version[8] = 99;
  const Case cases[] = {
      {"truncated", good.substr(0, good.size() - 8), "truncated"},
      {"header-only", good.substr(0, 64), "shorter than its header"},
      {"flipped", flipped, "checksum mismatch"},
      {"version", version, "format version 99"},
  };
  for (const Case& c : cases) {
    DictionaryOptions opts;
    opts.path = dir.File(c.name + ".bgd", c.bytes);
    auto d = Dictionary::Load(opts);
    ASSERT_FALSE(d.ok()) << c.name;
    EXPECT_EQ(d.status().code(),
              c.name == "header-only" ? StatusCode::kCorrupt : StatusCode::kCorrupt);
    EXPECT_NE(d.status().message().find(c.message), std::string::npos)
        << c.name << ": " << d.status().message();
  }
}

TEST(DictionaryTest, MalformedTextDictionaryNamesTheLine) {
  TempDir dir;
  // An HMM directory is required for a text dictionary; point at jieba's.
  const std::string hmm = std::string(BAOGAO_JIEBA_DIR) + "/finalseg";
  const struct {
    std::string content;
    std::string message;
  } cases[] = {
      {"报告 10 n\n公报 x n\n", "line 2: frequency 'x' is not an integer"},
      {"报告 10 n\n\n", "line 2: expected 'word freq [tag]'"},
      {"报告 -5 n\n", "line 1: frequency -5 is negative"},
      {"\xFF\xFE 3\n", "line 1: not UTF-8"},
      {"", "has no word with a frequency"},
  };
  for (const auto& c : cases) {
    DictionaryOptions opts;
    opts.path = dir.File("dict.txt", c.content);
    opts.hmm_dir = hmm;
    auto d = Dictionary::Load(opts);
    ASSERT_FALSE(d.ok()) << c.content;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(d.status().message().find(c.message), std::string::npos) << d.status().message();
  }
}

TEST(DictionaryTest, MalformedHmmTablesAreRefused) {
  TempDir dir;
  std::filesystem::create_directory(dir.Path("finalseg"));
  const std::string dict = dir.File("dict.txt", "报告 10 n\n");
  dir.File("finalseg/prob_start.py",
           "P={'B': -0.26, 'E': -3.14e+100, 'M': -3.14e+100, 'S': -1.4}\n");
  dir.File("finalseg/prob_trans.py", "P={'B': {'E': -0.5, 'M': -0.9}}\n");
  dir.File("finalseg/prob_emit.py", "P={'B': {'\\u4e00': oops}}\n");
  DictionaryOptions opts;
  opts.path = dict;
  auto d = Dictionary::Load(opts);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("prob_emit.py: expected a number"), std::string::npos)
      << d.status().message();
  dir.File("finalseg/prob_emit.py", "P={'B': {'\\u4e00': -3.6}, 'E': {}, 'M': {}, 'S': {}}\n");
  auto ok = Dictionary::Load(opts);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  Segmenter seg(*ok);
  EXPECT_EQ(Join(seg.Cut("报告")), "报告");
}

TEST(DictionaryTest, UserFrequenciesThatOverflowAreRefused) {
  TempDir dir;
  const struct {
    std::string content;
    std::string message;
  } cases[] = {
      // The suggested frequency of 报告报告 is about 9e18; the total overflows.
      {"报告 9000000000000000000\n报告报告\n", "big.txt line 2: total frequency overflows"},
      {"报告 9000000000000000000\n公报 9000000000000000000\n",
       "big.txt line 2: total frequency overflows"},
      {"报告 99999999999999999999\n",
       "big.txt line 1: frequency 99999999999999999999 is too large"},
  };
  for (const auto& c : cases) {
    auto d = LoadWithUser(dir.File("big.txt", c.content));
    ASSERT_FALSE(d.ok()) << c.content;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(d.status().message().find(c.message), std::string::npos) << d.status().message();
  }
}

TEST(DictionaryTest, UserDictionaryMustBeUtf8) {
  TempDir dir;
  auto d = LoadWithUser(dir.File("gbk.txt", "\xB1\xA8\xB8\xE6 3\n"));  // 报告 in GBK
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("must be UTF-8 (line 1"), std::string::npos)
      << d.status().message();
}

}  // namespace
}  // namespace baogao::segment
