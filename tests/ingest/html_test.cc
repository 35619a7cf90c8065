// HTML extraction: chrome removal, metadata, encodings, hostile pages.
#include <gtest/gtest.h>

#include <string>

#include "ingest/ingest.h"
#include "test_util.h"

namespace baogao::ingest {
namespace {

using testing::Data;

std::string AllText(const ParsedDocument& doc) {
  std::string out = doc.title + "\n" + doc.subtitle + "\n";
  for (const Paragraph& p : doc.paragraphs) out += p.text + "\n";
  return out;
}

bool HasWarning(const ParsedDocument& doc, const std::string& needle) {
  for (const std::string& w : doc.warnings) {
    if (w.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(HtmlTest, ChromeIsDroppedFromEveryFixture) {
  for (const char* name : {"old_table_gb2312.html", "modern_div_utf8.html",
                           "br_split_lying_charset.html", "huge_nav_plan.html", "big5_page.html"}) {
    auto doc = ParseHtml(Data(name));
    ASSERT_TRUE(doc.ok()) << name << ": " << doc.status().ToString();
    const std::string all = AllText(*doc);
    for (const char* junk :
         {"首页",         "当前位置", "您的位置",  "分享到",     "打印本页", "关闭窗口",
          "字号",         "来源：",   "相关阅读",  "留言与评论", "验证码",   "条评论",
          "本文仅代表",   "版权所有", "Copyright", "图为",       "隐藏",     "栏目名称",
          "政务信息简报", "友情链接", "本文地址",  "var menu"}) {
      EXPECT_EQ(all.find(junk), std::string::npos) << name << " kept " << junk;
    }
  }
}

TEST(HtmlTest, Gb2312TableLayoutPage) {
  auto doc = ParseHtml(Data("old_table_gb2312.html"));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->encoding, "GB18030");
  EXPECT_EQ(doc->title, "演示县人民政府工作报告");
  EXPECT_EQ(doc->declared_source, "演示县人民政府办公室");
  EXPECT_EQ(doc->published, "2024-01-12");
  EXPECT_EQ(doc->source_site, "演示县人民政府网");
  ASSERT_EQ(doc->paragraphs.size(), 14u);
  EXPECT_EQ(doc->paragraphs[2].level, 1);
  // &nbsp; indentation is gone.
  EXPECT_EQ(doc->paragraphs[0].text, "各位代表：");
}

TEST(HtmlTest, ModernPageMetadata) {
  auto doc = ParseHtml(Data("modern_div_utf8.html"));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->source_url, "https://demo.example/baogao/huadong/1001.html");
  EXPECT_EQ(doc->source_site, "演示报告网");
  EXPECT_EQ(doc->published, "2024-01-15 10:30");
  EXPECT_TRUE(doc->original_hint);
  EXPECT_EQ(doc->subtitle, "——2024年1月10日在演示县第十八届人民代表大会第三次会议上");

  ParseOptions o;
  o.source_url = "https://caller.example/x.html";
  auto with_url = ParseHtml(Data("modern_div_utf8.html"), o);
  ASSERT_TRUE(with_url.ok());
  EXPECT_EQ(with_url->source_url, "https://caller.example/x.html");
}

TEST(HtmlTest, LyingMetaCharsetIsReported) {
  auto doc = ParseHtml(Data("br_split_lying_charset.html"));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->encoding, "UTF-8");
  EXPECT_TRUE(HasWarning(*doc, "declared gb2312 but content is valid UTF-8"));
  // Title from <title> minus the site name, since there is no <h1>.
  EXPECT_EQ(doc->title, "演示市2023年国民经济和社会发展统计公报");
}

TEST(HtmlTest, Utf8PageDeclaringUtf8ButEncodedGbk) {
  std::string page = Data("old_table_gb2312.html");
  const size_t p = page.find("charset=gb2312");
  ASSERT_NE(p, std::string::npos);
  page.replace(p, 14, "charset=utf-8");
  auto doc = ParseHtml(page);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->encoding, "GB18030");
  EXPECT_EQ(doc->title, "演示县人民政府工作报告");
  EXPECT_TRUE(HasWarning(*doc, "declared UTF-8"));
}

TEST(HtmlTest, Big5Page) {
  auto doc = ParseHtml(Data("big5_page.html"));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->encoding, "Big5");
  EXPECT_EQ(doc->title, "演示縣施政報告");
}

TEST(HtmlTest, NoBodyTextIsAnError) {
  auto doc = ParseHtml(Data("no_body.html"));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(doc.status().message().find("no body text"), std::string::npos);
  EXPECT_FALSE(ParseHtml("<html><body></body></html>").ok());
  EXPECT_FALSE(ParseHtml("<html><body><script>var a='很长很长的一段脚本文字，不是正文。';</script>"
                         "</body></html>")
                   .ok());
}

TEST(HtmlTest, HugeNavLittleText) {
  auto doc = ParseHtml(Data("huge_nav_plan.html"));
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->paragraphs.size(), 4u);
  EXPECT_EQ(doc->paragraphs[0], (Paragraph{1, "第一章 发展基础"}));
  EXPECT_EQ(doc->paragraphs[2], (Paragraph{2, "第一节 发展环境"}));
}

TEST(HtmlTest, BrSeparatedLinesAndWrappedSource) {
  auto doc = ParseHtml(
      "<html><head><title>演示公报_演示网</title></head><body><div>"
      "　　第一行文字，内容足够长。<br/>&nbsp;&nbsp;第二行\n   文字，源码里折行。<br>"
      "<font color=red>第三行</font>在<b>同一段</b>里面。</div></body></html>");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ(doc->paragraphs.size(), 3u);
  EXPECT_EQ(doc->paragraphs[0].text, "第一行文字，内容足够长。");
  EXPECT_EQ(doc->paragraphs[1].text, "第二行文字，源码里折行。");
  EXPECT_EQ(doc->paragraphs[2].text, "第三行在同一段里面。");
  EXPECT_EQ(doc->title, "演示公报");
}

TEST(HtmlTest, DeepNestingIsRefusedNotACrash) {
  std::string page = "<html><body>";
  for (int i = 0; i < 100000; ++i) page += "<div>";
  page += "深层文字";
  auto doc = ParseHtml(page);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("nested deeper"), std::string::npos);
  // Unclosed formatting tags nest too.
  std::string fonts = "<html><body>";
  for (int i = 0; i < 50000; ++i) fonts += "<font>字";
  EXPECT_FALSE(ParseHtml(fonts).ok());
}

TEST(HtmlTest, GarbageDoesNotCrash) {
  for (const std::string& in :
       {std::string("<"), std::string("<html><p>"), std::string("\xFF\xFE<\0h\0", 6),
        std::string("<html><body><p>未闭合的段落，足够长的正文内容在这里。<table><td>"),
        std::string(1000, '<')}) {
    auto doc = ParseHtml(in);
    (void)doc;
  }
}

}  // namespace
}  // namespace baogao::ingest
