// Encoding detection and conversion, and text cleanup.
#include <gtest/gtest.h>

#include <string>

#include "text/text.h"

namespace baogao::text {
namespace {

// 演示数据 (demo text) in the encodings real pages use.
const std::string kUtf8 = "演示数据：今年全区经济运行总体平稳，地区生产总值增长百分之六左右。";
const std::string kGb =
    "\xD1\xDD\xCA\xBE\xCA\xFD\xBE\xDD\xA3\xBA\xBD\xF1\xC4\xEA\xC8\xAB\xC7\xF8\xBE\xAD\xBC\xC3\xD4"
    "\xCB\xD0\xD0\xD7\xDC\xCC\xE5\xC6\xBD\xCE\xC8\xA3\xAC\xB5\xD8\xC7\xF8\xC9\xFA\xB2\xFA\xD7\xDC"
    "\xD6\xB5\xD4\xF6\xB3\xA4\xB0\xD9\xB7\xD6\xD6\xAE\xC1\xF9\xD7\xF3\xD3\xD2\xA1\xA3";
const std::string kBig5Utf8 = "演示數據：今年全區經濟運行總體平穩，地區生產總值增長百分之六左右。";
const std::string kBig5 =
    "\xBA\x74\xA5\xDC\xBC\xC6\xBE\xDA\xA1\x47\xA4\xB5\xA6\x7E\xA5\xFE\xB0\xCF\xB8\x67\xC0\xD9\xB9"
    "\x42\xA6\xE6\xC1\x60\xC5\xE9\xA5\xAD\xC3\xAD\xA1\x41\xA6\x61\xB0\xCF\xA5\xCD\xB2\xA3\xC1\x60"
    "\xAD\xC8\xBC\x57\xAA\xF8\xA6\xCA\xA4\xC0\xA4\xA7\xA4\xBB\xA5\xAA\xA5\x6B\xA1\x43";

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string Utf16Le(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

TEST(CanonicalEncodingTest, MapsGbFamilyToGb18030) {
  for (const char* label : {"gbk", "GB2312", "gb_2312-80", "x-gbk", " \"gb2312\" ", "cp936",
                            "GB18030", "windows-936"}) {
    EXPECT_EQ(CanonicalEncoding(label), "GB18030") << label;
  }
  EXPECT_EQ(CanonicalEncoding("BIG5"), "Big5");
  EXPECT_EQ(CanonicalEncoding("Big5-HKSCS"), "Big5-HKSCS");
  EXPECT_EQ(CanonicalEncoding("utf8"), "UTF-8");
  EXPECT_EQ(CanonicalEncoding("no-such-charset"), "");
  EXPECT_EQ(CanonicalEncoding(""), "");
}

TEST(DetectAndConvertTest, Utf8Bom) {
  auto r = DetectAndConvert("\xEF\xBB\xBF" + kUtf8);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->text, kUtf8);
  EXPECT_EQ(r->encoding, "UTF-8");
  EXPECT_EQ(r->source, EncodingSource::kBom);
  EXPECT_FALSE(r->low_confidence);
}

TEST(DetectAndConvertTest, Utf16Boms) {
  auto le = DetectAndConvert("\xFF\xFE" + Utf16Le("report") + std::string("\x2D\x4E", 2));
  ASSERT_TRUE(le.ok()) << le.status().ToString();
  EXPECT_EQ(le->text, "report中");
  EXPECT_EQ(le->encoding, "UTF-16LE");
  EXPECT_EQ(le->source, EncodingSource::kBom);
  auto be = DetectAndConvert(std::string("\xFE\xFF\x4E\x2D\x00\x41", 6));
  ASSERT_TRUE(be.ok());
  EXPECT_EQ(be->text, "中A");
  EXPECT_EQ(be->encoding, "UTF-16BE");
}

TEST(DetectAndConvertTest, Utf16WithoutBomIsDetected) {
  auto r = DetectAndConvert(Utf16Le("government work report"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "government work report");
  EXPECT_EQ(r->encoding, "UTF-16LE");
  EXPECT_EQ(r->source, EncodingSource::kDetected);
}

TEST(DetectAndConvertTest, DeclaredGbkDecodesAsGb18030) {
  auto r = DetectAndConvert(kGb, "gbk");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->text, kUtf8);
  EXPECT_EQ(r->encoding, "GB18030");
  EXPECT_EQ(r->source, EncodingSource::kDeclared);
  EXPECT_FALSE(r->low_confidence);
  // Four-byte GB18030 sequences (outside GBK) decode too.
  auto four = DetectAndConvert(std::string("\x95\x32\x82\x36", 4) + kGb, "gb2312");
  ASSERT_TRUE(four.ok());
  EXPECT_EQ(four->text, "𠀀" + kUtf8);
}

TEST(DetectAndConvertTest, DetectsGb18030WithoutDeclaration) {
  auto r = DetectAndConvert(Repeat(kGb, 4));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->text, Repeat(kUtf8, 4));
  EXPECT_EQ(r->encoding, "GB18030");
  EXPECT_EQ(r->source, EncodingSource::kDetected);
  EXPECT_FALSE(r->low_confidence);
}

TEST(DetectAndConvertTest, Big5DeclaredAndDetected) {
  auto declared = DetectAndConvert(kBig5, "big5");
  ASSERT_TRUE(declared.ok()) << declared.status().ToString();
  EXPECT_EQ(declared->text, kBig5Utf8);
  EXPECT_EQ(declared->encoding, "Big5");
  auto detected = DetectAndConvert(Repeat(kBig5, 4));
  ASSERT_TRUE(detected.ok());
  EXPECT_EQ(detected->text, Repeat(kBig5Utf8, 4));
  EXPECT_EQ(detected->encoding, "Big5");
  auto hkscs =
      DetectAndConvert("\xAD\xBB\xB4\xE4\xAF\x53\xA7\x4F\xA6\xE6\xAC\x46\xB0\xCF", "Big5-HKSCS");
  ASSERT_TRUE(hkscs.ok());
  EXPECT_EQ(hkscs->text, "香港特別行政區");
}

TEST(DetectAndConvertTest, PageDeclaringGb2312ButUtf8) {
  auto r = DetectAndConvert(kUtf8, "gb2312");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, kUtf8);
  EXPECT_EQ(r->encoding, "UTF-8");
  EXPECT_EQ(r->source, EncodingSource::kDetected);
  ASSERT_FALSE(r->notes.empty());
  EXPECT_NE(r->notes[0].find("valid UTF-8"), std::string::npos);
}

TEST(DetectAndConvertTest, PageDeclaringUtf8ButGbk) {
  auto r = DetectAndConvert(Repeat(kGb, 3), "utf-8");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->text, Repeat(kUtf8, 3));
  EXPECT_EQ(r->encoding, "GB18030");
  EXPECT_EQ(r->source, EncodingSource::kDetected);
  ASSERT_FALSE(r->notes.empty());
  EXPECT_NE(r->notes[0].find("declared UTF-8"), std::string::npos);
}

TEST(DetectAndConvertTest, ShortLegacyInputIsLowConfidence) {
  auto r = DetectAndConvert("\xD6\xD0\xCE\xC4");  // 中文 in GBK, four bytes
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->low_confidence);
  EXPECT_LT(r->confidence, 0.7);
  EXPECT_EQ(r->source, EncodingSource::kDetected);
}

TEST(DetectAndConvertTest, AsciiIsCertain) {
  auto r = DetectAndConvert("plain ascii", "gb2312");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "plain ascii");
  EXPECT_EQ(r->source, EncodingSource::kAscii);
  EXPECT_EQ(r->encoding, "GB18030");
  EXPECT_FALSE(r->low_confidence);
}

TEST(DetectAndConvertTest, UnknownDeclaredCharsetIsNoted) {
  auto r = DetectAndConvert(kUtf8, "klingon-8");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->encoding, "UTF-8");
  ASSERT_FALSE(r->notes.empty());
  EXPECT_NE(r->notes[0].find("klingon-8"), std::string::npos);
}

TEST(DetectAndConvertTest, UndecodableBytesReplacedAndReported) {
  // Mostly UTF-8 with one stray byte.
  const std::string broken = Repeat(kUtf8, 2) + "\xFF" + kUtf8;
  auto r = DetectAndConvert(broken);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoding, "UTF-8");
  EXPECT_EQ(r->replaced, 1u);
  EXPECT_EQ(r->text, Repeat(kUtf8, 2) + "\uFFFD" + kUtf8);
  EXPECT_TRUE(r->low_confidence);

  DecodeOptions strict;
  strict.undecodable = UndecodablePolicy::kFail;
  auto s = DetectAndConvert(kGb + "\x81", "gbk", strict);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("byte 66"), std::string::npos) << s.status().message();
}

TEST(DetectAndConvertTest, BinaryGarbageIsRefused) {
  std::string junk;
  for (int i = 0; i < 4000; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
  auto r = DetectAndConvert(junk);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("binary"), std::string::npos);
  // High bytes that no candidate encoding accepts.
  auto ff = DetectAndConvert(std::string(400, '\xFF'));
  EXPECT_FALSE(ff.ok());
}

TEST(DetectAndConvertTest, EmptyInput) {
  auto r = DetectAndConvert("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "");
  EXPECT_FALSE(r->low_confidence);
}

TEST(SniffDeclaredCharsetTest, HtmlAndXml) {
  EXPECT_EQ(SniffDeclaredCharset("<html><head><meta charset=\"GB2312\"></head>"), "gb2312");
  EXPECT_EQ(SniffDeclaredCharset("<META http-equiv=\"Content-Type\" "
                                 "content=\"text/html; charset=gbk\">"),
            "gbk");
  EXPECT_EQ(SniffDeclaredCharset("<?xml version=\"1.0\" encoding='Big5'?><a/>"), "big5");
  EXPECT_EQ(SniffDeclaredCharset("<html><meta name=\"x\"><p>no charset</p>"), "");
}

TEST(CleanTextTest, LineEndingsZeroWidthIndentationBlankRuns) {
  const std::string in =
      "\xEF\xBB\xBF标题\r\n\r\n\r\n\u3000\u3000第一段\u200B文字。\r"
      "\u00A0\u00A0第二段\u2060\u200C\u200D。  \n\n\n\n  \n第三段\n\n";
  EXPECT_EQ(CleanText(in), "标题\n\n第一段文字。\n第二段。\n\n第三段");
}

TEST(CleanTextTest, InvalidBytesPassThrough) {
  EXPECT_EQ(CleanText("a\xFF\r\nb"), "a\xFF\nb");
  EXPECT_EQ(TrimSpace("\u3000 x \u00A0"), "x");
  EXPECT_EQ(TrimSpace("\u3000\u3000"), "");
}

}  // namespace
}  // namespace baogao::text
