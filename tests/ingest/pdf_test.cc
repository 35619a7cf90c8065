// PDF: text in reading order joined into paragraphs; the child process and
// its limits; encrypted and truncated files.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "test_util.h"

namespace baogao::ingest {
namespace {

using testing::Data;

// A minimal PDF with `pages` pages of Helvetica text, built in memory.
std::string MakePdf(int pages, int lines_per_page) {
  std::vector<std::string> objs = {"<< /Type /Catalog /Pages 2 0 R >>", "",
                                   "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string kids;
  for (int i = 0; i < pages; ++i) {
    const int page_obj = 4 + 2 * i;
    kids += std::to_string(page_obj) + " 0 R ";
    std::string content = "BT /F1 10 Tf 12 TL 72 760 Td\n";
    for (int l = 0; l < lines_per_page; ++l) {
      content += "(Demo line " + std::to_string(l) + " of page " + std::to_string(i) + ".) Tj T*\n";
    }
    content += "ET";
    objs.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << "
        "/F1 3 0 R >> >> /Contents " +
        std::to_string(page_obj + 1) + " 0 R >>");
    objs.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
                   "\nendstream");
  }
  objs[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>";
  std::string out = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

TEST(PdfTest, ChineseLinesJoinIntoParagraphs) {
  auto doc = ParsePdf(Data("chinese.pdf"));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->title, "演示县人民政府工作报告");
  EXPECT_EQ(doc->subtitle, "——2024年1月10日在演示县第十八届人民代表大会第三次会议上");
  ASSERT_EQ(doc->paragraphs.size(), 6u);
  EXPECT_EQ(doc->paragraphs[0], (Paragraph{1, "一、2023年工作回顾"}));
  EXPECT_EQ(doc->paragraphs[1].text,
            "过去一年，全县经济运行稳中有进，地区生产总值增长5.8%，一般公共预算收入增长6.2%。");
  // A paragraph continues across lines on the next page too.
  EXPECT_EQ(doc->paragraphs[5].text,
            "全县地区生产总值增长6%左右，城乡居民人均可支配收入与经济增长基本同步。");
}

TEST(PdfTest, LatinTextAndPageNumbersDropped) {
  auto doc = ParseFile(testing::DataPath("latin.pdf"));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->format, Format::kPdf);
  EXPECT_EQ(doc->title, "Demo County Government Work Report");
  for (const Paragraph& p : doc->paragraphs) {
    EXPECT_NE(p.text, "- 1 -");
    EXPECT_NE(p.text, "-1-");
  }
  EXPECT_EQ(doc->paragraphs.at(1).text,
            "Over the past year the county economy grew steadily and the regional gross "
            "product rose by 5.8 percent (demo data).");
}

TEST(PdfTest, EncryptedIsAClearError) {
  auto doc = ParseBytes(Data("encrypted.pdf.bin"), "encrypted.pdf");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("encrypted PDF"), std::string::npos)
      << doc.status().message();
}

TEST(PdfTest, TruncatedIsAClearError) {
  auto doc = ParseBytes(Data("truncated.pdf.bin"), "truncated.pdf");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument) << doc.status().ToString();
}

TEST(PdfTest, GeneratedPdfParses) {
  auto doc = ParsePdf(MakePdf(3, 5));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->paragraphs.size(), 15u);
  EXPECT_EQ(doc->paragraphs.back().text, "Demo line 4 of page 2.");
}

TEST(PdfTest, WallClockTimeoutKillsTheChild) {
  ParseOptions o;
  o.pdf.wall_clock_ms = 1;
  auto doc = ParsePdf(MakePdf(3000, 40), o);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(doc.status().message().find("timed out"), std::string::npos) << doc.status().message();
}

TEST(PdfTest, OutputLimit) {
  ParseOptions o;
  o.pdf.max_output_bytes = 100;
  auto doc = ParsePdf(MakePdf(200, 40), o);
  // Pages past the limit come back empty rather than flooding the parent.
  if (doc.ok()) {
    size_t total = 0;
    for (const Paragraph& p : doc->paragraphs) total += p.text.size();
    EXPECT_LT(total, 2000u);
  }
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST(PdfTest, MemoryLimitInTheChildIsAnError) {
  ParseOptions o;
  o.pdf.memory_bytes = 8 << 20;  // too little to even start poppler
  auto doc = ParsePdf(MakePdf(2, 2), o);
  // Where the allocation fails decides between "crashed", "failed" and "not
  // readable"; each is a clean error in the parent.
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument) << doc.status().ToString();
}
#endif

TEST(PdfTest, NotAPdf) {
  EXPECT_FALSE(ParsePdf("hello").ok());
  EXPECT_FALSE(ParsePdf("%PDF-1.4\n").ok());
  EXPECT_FALSE(ParsePdf("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF").ok());
}

}  // namespace
}  // namespace baogao::ingest
