// DOCX: paragraphs and heading styles, odd archives, hostile archives.
#include <gtest/gtest.h>

#include <string>

#include "ingest/ingest.h"
#include "test_util.h"

namespace baogao::ingest {
namespace {

using testing::Data;

TEST(DocxTest, HeadingStylesTitleAndText) {
  auto doc = ParseDocx(Data("report.docx"));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->title, "演示县人民政府工作报告");  // the Title style
  EXPECT_EQ(doc->subtitle, "——2024年1月10日在演示县第十八届人民代表大会第三次会议上");
  ASSERT_GE(doc->paragraphs.size(), 5u);
  EXPECT_EQ(doc->paragraphs[0], (Paragraph{0, "各位代表："}));  // runs joined
  EXPECT_EQ(doc->paragraphs[1], (Paragraph{1, "工作回顾"}));    // "heading 1", id "1"
  EXPECT_EQ(doc->paragraphs[3], (Paragraph{2, "产业发展"}));    // "heading 2"
  // Deleted text, field codes and mc:Fallback duplicates are not text.
  EXPECT_EQ(doc->paragraphs[4], (Paragraph{0, "新建标准化厂房12万平方米。"}));
  EXPECT_EQ(doc->paragraphs[5], (Paragraph{2, "（一）民生保障持续加强"}));  // numbering
  EXPECT_EQ(doc->paragraphs[6], (Paragraph{3, "演示小标题"}));              // outline level 2
}

TEST(DocxTest, OddEntryNamesStillFindTheDocument) {
  auto doc = ParseFile(testing::DataPath("odd_names.docx"));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->format, Format::kDocx);
  EXPECT_EQ(doc->title, "演示区统计公报");
}

TEST(DocxTest, TruncatedZip) {
  auto doc = ParseBytes(Data("truncated.docx.bin"), "truncated.docx");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("truncated or corrupt zip"), std::string::npos)
      << doc.status().message();
}

TEST(DocxTest, ZipBombByRatio) {
  auto doc = ParseDocx(Data("bomb.docx.bin"));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(doc.status().message().find("compression ratio"), std::string::npos);
}

TEST(DocxTest, ZipBombByTotalSize) {
  ParseOptions o;
  o.docx.max_compression_ratio = 1e9;
  o.docx.max_uncompressed_bytes = 1 << 20;
  auto doc = ParseDocx(Data("bomb.docx.bin"), o);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(doc.status().message().find("uncompressed"), std::string::npos);
}

TEST(DocxTest, EntryCountLimit) {
  ParseOptions o;
  o.docx.max_entries = 2;
  auto doc = ParseDocx(Data("report.docx"), o);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("zip entries"), std::string::npos);
}

TEST(DocxTest, EntityExpansionRefused) {
  auto doc = ParseDocx(Data("entities.docx.bin"));
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("DTD"), std::string::npos);
}

TEST(DocxTest, ZipWithoutDocument) {
  auto doc = ParseDocx(Data("not_docx.docx.bin"));
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("no word/document.xml"), std::string::npos);
}

TEST(DocxTest, GarbageAfterZipMagic) {
  auto doc = ParseBytes(std::string("PK\x03\x04garbage garbage", 19), "x.docx");
  ASSERT_FALSE(doc.ok());
}

}  // namespace
}  // namespace baogao::ingest
