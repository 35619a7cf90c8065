// ParseFile end to end: golden outputs for every fixture, format sniffing,
// limits and bad input, heading detection, plain text.
#include "ingest/ingest.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace baogao::ingest {
namespace {

namespace fs = std::filesystem;
using testing::Data;
using testing::DataPath;
using testing::ReadAll;

// Fixtures with a golden rendering: X.<ext> has X.<ext>.expected.
std::vector<fs::path> GoldenInputs() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(DataPath(""))) {
    const std::string ext = e.path().extension().string();
    if (ext == ".expected" || ext == ".py") continue;
    if (fs::exists(e.path().string() + ".expected")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(GoldenTest, EveryFixtureMatchesItsExpectedOutput) {
  const std::vector<fs::path> inputs = GoldenInputs();
  EXPECT_GE(inputs.size(), 12u);
  for (const fs::path& in : inputs) {
    auto doc = ParseFile(in.string());
    ASSERT_TRUE(doc.ok()) << in.filename() << ": " << doc.status().ToString();
    EXPECT_EQ(ToDebugString(*doc), ReadAll(in.string() + ".expected")) << in.filename();
  }
}

// Regenerates the golden files; run by hand, then review the diff:
//   ingest_test --gtest_also_run_disabled_tests --gtest_filter='*WriteGolden*'
TEST(GoldenTest, DISABLED_WriteGolden) {
  for (const auto& e : fs::directory_iterator(DataPath(""))) {
    const std::string ext = e.path().extension().string();
    if (ext == ".expected" || ext == ".py" || ext == ".md") continue;
    auto doc = ParseFile(e.path().string());
    if (!doc.ok()) continue;
    std::ofstream(e.path().string() + ".expected", std::ios::binary) << ToDebugString(*doc);
  }
}

TEST(HeadingTest, Levels) {
  EXPECT_EQ(DetectHeadingLevel("一、2023年工作回顾"), 1);
  EXPECT_EQ(DetectHeadingLevel("十二、其他"), 1);
  EXPECT_EQ(DetectHeadingLevel("（一）产业发展"), 2);
  EXPECT_EQ(DetectHeadingLevel("(三)民生"), 2);
  EXPECT_EQ(DetectHeadingLevel("1. 教育"), 3);
  EXPECT_EQ(DetectHeadingLevel("2、卫生"), 3);
  EXPECT_EQ(DetectHeadingLevel("１．文化"), 3);
  EXPECT_EQ(DetectHeadingLevel("12.体育"), 3);
  EXPECT_EQ(DetectHeadingLevel("（1）学前教育"), 4);
  EXPECT_EQ(DetectHeadingLevel("(2)义务教育"), 4);
  EXPECT_EQ(DetectHeadingLevel("第一章 发展基础"), 1);
  EXPECT_EQ(DetectHeadingLevel("第三节 发展环境"), 2);
  EXPECT_EQ(DetectHeadingLevel("　　二、目标"), 1);  // indentation ignored
  // Not headings.
  EXPECT_EQ(DetectHeadingLevel("2023年重点工作安排"), 0);
  EXPECT_EQ(DetectHeadingLevel("1.5万人次参加培训"), 0);
  EXPECT_EQ(DetectHeadingLevel("一是重点人群保障更加健全。"), 0);
  EXPECT_EQ(DetectHeadingLevel("第一议题制度"), 0);
  EXPECT_EQ(DetectHeadingLevel("一、"), 0);
  EXPECT_EQ(DetectHeadingLevel("（演示数据）"), 0);
  EXPECT_EQ(DetectHeadingLevel(""), 0);
}

TEST(SniffTest, MagicBytesThenExtension) {
  EXPECT_EQ(SniffFormat("%PDF-1.4\n", "txt"), Format::kPdf);
  EXPECT_EQ(SniffFormat(std::string("PK\x03\x04", 4), ""), Format::kDocx);
  EXPECT_EQ(SniffFormat("<!DOCTYPE html><html>", "txt"), Format::kHtml);
  EXPECT_EQ(SniffFormat("  <html><body>", ""), Format::kHtml);
  EXPECT_EQ(SniffFormat("纯文本", "htm"), Format::kHtml);
  EXPECT_EQ(SniffFormat("纯文本", "txt"), Format::kText);
  EXPECT_EQ(SniffFormat(std::string("\x7F"
                                    "ELF\x02\x01\x01\0\0\0",
                                    10),
                        ""),
            Format::kUnknown);
  EXPECT_EQ(SniffFormat(std::string("\xFF\xFEh\0i\0", 6), ""), Format::kText);
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("baogao_ingest_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  fs::path dir_;
};

using ParseFileTest = TempDir;

TEST_F(ParseFileTest, MissingFile) {
  auto r = ParseFile((dir_ / "nope.html").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST_F(ParseFileTest, EmptyFile) {
  auto r = ParseFile(Write("empty.txt", ""));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("empty file"), std::string::npos);
}

TEST_F(ParseFileTest, WhitespaceOnlyText) {
  auto r = ParseFile(Write("blank.txt", " \r\n\u3000\n\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no content"), std::string::npos);
}

TEST_F(ParseFileTest, BinaryFile) {
  auto r = ParseFile(Write("a.bin", std::string("\x7F"
                                                "ELF\x02\x01\x01\0\0\0\0\0",
                                                12)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("binary file"), std::string::npos);
  auto doc = ParseFile(Write("old.doc", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10)));
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("legacy Office"), std::string::npos);
}

TEST_F(ParseFileTest, HugeFileRefusedWithoutReading) {
  const std::string path = (dir_ / "huge.txt").string();
  {
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, 1ll << 30), 0);  // sparse: 1 GiB, no disk used
    ::close(fd);
  }
  auto r = ParseFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("over the limit"), std::string::npos);

  ParseOptions small;
  small.max_file_bytes = 10;
  auto s = ParseFile(DataPath("report.utf8bom.txt"), small);
  EXPECT_EQ(s.status().code(), StatusCode::kResourceExhausted);
}

TEST_F(ParseFileTest, Directory) {
  auto r = ParseFile(dir_.string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a regular file"), std::string::npos);
}

TEST(PlainTextTest, TitleSubtitleAndChromeFromSeedShape) {
  auto r = ParseFile(DataPath("seed_like.gb18030.txt"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, Format::kText);
  EXPECT_EQ(r->encoding, "GB18030");
  EXPECT_EQ(r->title, "(演示省)演示市演示区人民政府工作报告(2024年1月8日)");
  EXPECT_EQ(r->subtitle, "——2024年1月10日在演示县第十八届人民代表大会第三次会议上");
  EXPECT_EQ(r->source_url, "/baogao/huadong/3001.html");
  ASSERT_FALSE(r->paragraphs.empty());
  EXPECT_EQ(r->paragraphs.front().text, "各位代表：");
  EXPECT_EQ(r->paragraphs.back().text,
            "全县地区生产总值增长6%左右，城乡居民人均可支配收入与经济增长基本同步。");
  for (const Paragraph& p : r->paragraphs) {
    EXPECT_EQ(p.text.find("验证码"), std::string::npos);
    EXPECT_EQ(p.text.find("本文仅代表"), std::string::npos);
  }
}

TEST(PlainTextTest, NoTitleWhenFirstLineIsASentence) {
  auto r = ParseText("今年全县经济平稳运行。\n——这不是副标题\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->title, "");
  EXPECT_EQ(r->subtitle, "");
  ASSERT_EQ(r->paragraphs.size(), 2u);
}

TEST(PlainTextTest, CharsetOptionOverridesDetection) {
  ParseOptions o;
  o.charset = "big5";
  // 演示 in Big5.
  auto r = ParseText("\xBA\x74\xA5\xDC", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->paragraphs.at(0).text, "演示");
  EXPECT_EQ(r->encoding, "Big5");
}

TEST(PlainTextTest, LowConfidenceEncodingIsAWarning) {
  auto r = ParseText("\xD1\xDD\xCA\xBE");  // 演示 in GBK, too short to be sure
  ASSERT_TRUE(r.ok());
  bool warned = false;
  for (const std::string& w : r->warnings)
    warned = warned || w.find("low-confidence") != std::string::npos;
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace baogao::ingest
