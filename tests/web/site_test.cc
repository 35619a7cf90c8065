// The site end to end without a network: a real SQLite store and Xapian
// index, the project's templates, and Site::Handle() called with requests.
// Every page kind, escaping of hostile titles, text and queries, parameter
// validation, redirects, feeds parsed as XML, the cache and view counts.
#include "web/site.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../common/files.h"
#include "../common/fixtures.h"
#include "../common/gunzip.h"
#include "../common/reports.h"
#include "../common/site.h"
#include "../common/strings.h"
#include "region/region.h"
#include "report/report.h"
#include "search/search.h"
#include "store/store.h"

namespace baogao::web {
namespace {

using report::Paragraph;
using report::Report;
using report::ReportType;
using testing::Contains;
using testing::Count;
using testing::MakeReport;

constexpr char kHostileTitle[] = "<script>alert(1)</script>\"'&山东统计公报";
constexpr char kHostileText[] = "<script>alert(2)</script> 乡村振兴 <img src=x onerror=alert(3)>";

// Every href="/..." of a page (site-internal links), &amp; decoded.
std::vector<std::string> Links(const std::string& html) {
  std::vector<std::string> out;
  static const std::regex href("href=\"(/[^\"/][^\"]*|/)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator();
       ++it) {
    std::string link = (*it)[1];
    for (size_t p = link.find("&amp;"); p != std::string::npos; p = link.find("&amp;", p + 1)) {
      link.replace(p, 5, "&");
    }
    out.push_back(link);
  }
  return out;
}

// Parses `xml` with libxml2 (no network, no entities); the root element's
// name, or "" if it is not well-formed.
std::string XmlRoot(const std::string& xml) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr) return "";
  xmlNodePtr root = xmlDocGetRootElement(doc);
  std::string name = root != nullptr ? reinterpret_cast<const char*>(root->name) : "";
  xmlFreeDoc(doc);
  return name;
}

class SiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreOptions o;
    o.url = dir_.File("b.db");
    auto st = store::OpenStore(o);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(*st);

    lingcheng_ =
        Add(MakeReport("德州市陵城区2023年政府工作报告", 371403, 2023, ReportType::kGovernmentWork,
                       {{1, "一、过去一年的工作"},
                        {2, "（一）经济运行"},
                        {0, "全区乡村振兴取得新进展，地区生产总值增长6%左右。"},
                        {1, "二、今年的主要任务"},
                        {0, "坚持高质量发展，推进乡村振兴。"}}));
    {
      auto r = store_->Get(lingcheng_);
      ASSERT_TRUE(r.ok());
      Report partial = *r;
      partial.completeness = report::Completeness::kPartial;
      partial.source_url = "https://www.lingcheng.gov.cn/art/2023/1/8/1.html";
      partial.source_site = "德州市陵城区人民政府";
      ASSERT_TRUE(store_->Update(partial).ok());
    }
    lingcheng_2022_ = Add(MakeReport("德州市陵城区2022年政府工作报告", 371403, 2022,
                                     ReportType::kGovernmentWork, {{0, "二〇二二年的工作。"}}));
    decheng_ = Add(MakeReport("德州市德城区2023年政府工作报告", 371402, 2023,
                              ReportType::kGovernmentWork, {{0, "德城区推进乡村振兴。"}}));
    Report hostile = MakeReport(kHostileTitle, 370000, 2021, ReportType::kStatistical,
                                {{1, "<b>一、</b>标题&amp;"}, {0, kHostileText}});
    hostile.source_url = "javascript:alert(4)";
    hostile.source_site = "<i>站点</i>";
    hostile_ = Add(hostile);
    demo_ = Add(MakeReport("浙江省2024年国民经济和社会发展统计公报（演示数据）", 330000, 2024,
                           ReportType::kStatistical, {{0, "演示数据：全省经济运行稳中向好。"}}));
    national_ = Add(MakeReport("2024年国务院政府工作报告", report::RegionCode::kNational, 2024,
                               ReportType::kGovernmentWork, {{0, "全国乡村振兴。"}}));
    Reindex();
    MakeSite(2);
  }

  report::ReportId Add(const Report& r) {
    auto id = store_->Insert(r);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : report::ReportId();
  }

  void Reindex() {
    search::IndexOptions io;
    io.path = dir_.File("b.db.index");
    io.dictionary = testing::TestDictionary();
    ASSERT_TRUE(search::Rebuild(*store_, io).ok());
    ++version_;
  }

  void MakeSite(int page_size) {
    site_.reset();
    SiteOptions o;
    o.base_url = "https://example.org/";
    o.page_size = page_size;
    o.contact_email = "jiucuo@example.org";
    o.view_flush_seconds = 60;
    o.now = [this] { return now_.load(); };
    auto site = testing::CreateSite(o, *store_, dir_.File("b.db.index"),
                                    [this] { return version_.load(); });
    ASSERT_TRUE(site.ok()) << site.status().ToString();
    site_ = std::move(*site);
  }

  Response Get(const std::string& target, const std::string& method = "GET") {
    Response r = testing::WithBody(site_->Handle(testing::MakeRequest(method, target)));
    // Nothing a page, feed or result shows may carry hostile markup.
    EXPECT_FALSE(Contains(r.body, "<script")) << target;
    // The one image a page may carry is the comment form's captcha.
    EXPECT_EQ(Count(r.body, "<img"), Count(r.body, "<img class=\"captcha\" src=\"/captcha/v1."))
        << target;
    EXPECT_FALSE(Contains(r.body, "<i>")) << target;
    EXPECT_FALSE(Contains(r.body, "javascript:")) << target;
    EXPECT_FALSE(Contains(r.body, "style=\"")) << target;  // strict CSP: no inline style
    return r;
  }

  std::string Path(report::ReportId id) { return testing::ReportPath(*store_, id); }

  testing::ScratchDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Site> site_;
  std::atomic<int64_t> version_{0};
  std::atomic<int64_t> now_{1700000000};
  report::ReportId lingcheng_, lingcheng_2022_, decheng_, hostile_, demo_, national_;
};

TEST_F(SiteTest, HomeHasMenuCountsLatestAndSearchBox) {
  Response r = Get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(Contains(r.body, "<html lang=\"zh-CN\">"));
  EXPECT_TRUE(Contains(r.body, "导航菜单"));
  EXPECT_TRUE(Contains(r.body, "href=\"/baogao/huadong/\">华东</a> <span class=\"count\">3</span>"))
      << r.body;
  EXPECT_TRUE(
      Contains(r.body, "href=\"/gongbao/huadong/\">华东</a> <span class=\"count\">2</span>"));
  EXPECT_TRUE(
      Contains(r.body, "href=\"/region/370000/\">山东省</a> <span class=\"count\">4</span>"));
  EXPECT_TRUE(Contains(r.body, "共收录 <strong>6</strong> 份报告"));
  EXPECT_TRUE(Contains(r.body, "action=\"/search\""));
  EXPECT_TRUE(Contains(r.body, "href=\"" + Path(national_) + "\""));  // latest
  EXPECT_TRUE(Contains(r.body, "href=\"/year/2024/\""));
  EXPECT_TRUE(Contains(r.body, "class=\"skip-link\" href=\"#main\""));
  EXPECT_TRUE(Contains(r.body, "<main id=\"main\""));
  EXPECT_TRUE(Contains(r.body, "<link rel=\"canonical\" href=\"https://example.org/\">"));
  EXPECT_TRUE(Contains(r.body, "<meta property=\"og:site_name\" content=\"报告库\">"));
  EXPECT_TRUE(Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;"))
      << "the hostile title is listed, escaped";
  EXPECT_FALSE(r.etag.empty());
  EXPECT_EQ(r.etag, Get("/").etag);
}

TEST_F(SiteTest, ReportPageShowsEverything) {
  const std::string path = Path(lingcheng_);
  EXPECT_EQ(path, "/baogao/huadong/" + std::to_string(lingcheng_.value()) + ".html");
  Response r = Get(path);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string& b = r.body;
  EXPECT_TRUE(Contains(b, "<h1 id=\"report-title\">德州市陵城区2023年政府工作报告</h1>"));
  // Breadcrumb 华东 › 山东省 › 德州市 › 陵城区.
  const size_t hd = b.find(">华东</a>"), sd = b.find(">山东省</a>"), dz = b.find(">德州市</a>"),
               lc = b.find(">陵城区</a>");
  ASSERT_NE(hd, std::string::npos);
  ASSERT_NE(lc, std::string::npos);
  EXPECT_TRUE(hd < sd && sd < dz && dz < lc);
  EXPECT_TRUE(Contains(b, "href=\"/region/371400/\""));
  EXPECT_TRUE(Contains(b, "政府工作报告"));
  EXPECT_TRUE(Contains(b,
                       "<a href=\"https://www.lingcheng.gov.cn/art/2023/1/8/1.html\" "
                       "rel=\"nofollow noopener\">德州市陵城区人民政府</a>"));
  EXPECT_TRUE(Contains(b, "节选，非全文"));
  EXPECT_TRUE(Contains(b, "并非这份文件的全文"));
  // Table of contents with anchors; headings as h2/h3.
  EXPECT_TRUE(Contains(b, "<a href=\"#s1\">一、过去一年的工作</a>"));
  EXPECT_TRUE(Contains(b, "<h2 id=\"s1\">一、过去一年的工作</h2>"));
  EXPECT_TRUE(Contains(b, "<h3 id=\"s2\">（一）经济运行</h3>"));
  EXPECT_TRUE(Contains(b, "<p>全区乡村振兴取得新进展，地区生产总值增长6%左右。</p>"));
  EXPECT_TRUE(Contains(b, "本文地址：<a href=\"https://example.org" + path + "\">"));
  EXPECT_TRUE(Contains(b, "<link rel=\"canonical\" href=\"https://example.org" + path + "\">"));
  EXPECT_TRUE(Contains(b, "<meta property=\"og:type\" content=\"article\">"));
  // Previous year of the same region; a same-year sibling region.
  EXPECT_TRUE(Contains(b, "href=\"" + Path(lingcheng_2022_) + "\" rel=\"prev\""));
  EXPECT_TRUE(Contains(b, "<a href=\"" + Path(decheng_) + "\">德城区</a>"));
  EXPECT_TRUE(Contains(b, "href=\"/takedown/" + std::to_string(lingcheng_.value()) + "\""));
  EXPECT_TRUE(Contains(b, "<section id=\"comments\" class=\"comments\""));
  EXPECT_TRUE(Contains(b, "留言与评论（共有 0 条评论）"));
  EXPECT_TRUE(Contains(b, "<form class=\"comment-form\" id=\"comment-form\" method=\"post\""));
  EXPECT_TRUE(Contains(b, "点击量 1<"));
  EXPECT_FALSE(Contains(b, "badge-demo"));
  // The comment form carries per-visitor tokens: no validators, no store.
  EXPECT_EQ(r.last_modified, 0);
  EXPECT_TRUE(r.etag.empty());
  EXPECT_TRUE(r.personal);
  EXPECT_EQ(r.cache_control, "private, no-store");
}

TEST_F(SiteTest, HostileReportIsEscapedEverywhere) {
  Response r = Get(Path(hostile_));
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(
      Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;山东统计公报"));
  EXPECT_TRUE(Contains(r.body, "&lt;script&gt;alert(2)&lt;/script&gt; 乡村振兴 &lt;img"));
  EXPECT_TRUE(Contains(r.body, "<h2 id=\"s1\">&lt;b&gt;一、&lt;/b&gt;标题&amp;amp;</h2>"));
  EXPECT_TRUE(Contains(r.body, "来源：&lt;i&gt;站点&lt;/i&gt;</p>")) << "javascript: is not linked";
  for (const std::string& target :
       {std::string("/search?q=alert"),
        std::string("/search?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4"), std::string("/gongbao/"),
        std::string("/region/370000/"), std::string("/year/2021/"), std::string("/rss.xml"),
        std::string("/atom.xml"), std::string("/gongbao/rss.xml")}) {
    Response page = Get(target);  // Get() checks for raw markup
    EXPECT_EQ(page.status, 200) << target;
  }
}

TEST_F(SiteTest, DemoReportsSayDemo) {
  Response r = Get(Path(demo_));
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.body, "<span class=\"badge badge-demo\">演示数据</span>"));
  EXPECT_TRUE(Contains(r.body, "演示文本"));
  Response list = Get("/gongbao/huadong/");
  EXPECT_TRUE(Contains(list.body, "badge-demo"));
}

TEST_F(SiteTest, RedirectsAndNotFound) {
  const std::string id = std::to_string(lingcheng_.value());
  for (const std::string& wrong :
       {"/gongbao/huadong/" + id + ".html", "/baogao/huabei/" + id + ".html",
        "/guihua/quanguo/" + id + ".html"}) {
    Response r = Get(wrong);
    EXPECT_EQ(r.status, 301) << wrong;
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "Location");
    EXPECT_EQ(r.headers[0].second, Path(lingcheng_));
  }
  EXPECT_EQ(Get("/baogao").status, 301);
  EXPECT_EQ(Get("/baogao/huadong").status, 301);
  EXPECT_EQ(Get("/region/370000").status, 301);
  for (const char* missing :
       {"/nope", "/baogao/huadong/999999.html", "/baogao/huadong/0.html", "/baogao/xx/",
        "/baogao/huadong/abc.html", "/foo/huadong/1.html", "/region/999999/", "/region/abc/",
        "/year/1800/", "/year/abcd/", "/static/site.css", "/static/../site.h",
        "/static/site.00000000.css", "/baogao/?page=9", "/sitemap-2.xml", "/baogao/huadong/1/x"}) {
    Response r = Get(missing);
    EXPECT_EQ(r.status, 404) << missing;
    EXPECT_TRUE(Contains(r.body, "页面不存在")) << missing;
  }
  Response post = Get("/", "POST");
  EXPECT_EQ(post.status, 405);
}

TEST_F(SiteTest, BadParametersGet400InChinese) {
  const std::string too_long = "/search?q=" + std::string(2001, 'a');
  const std::map<std::string, std::string> cases = {
      {"/baogao/?page=0", "页码无效"},     {"/baogao/?page=abc", "页码无效"},
      {"/baogao/?page=10001", "页码无效"}, {"/baogao/?page=-1", "页码无效"},
      {"/baogao/?page=1&page=2", "重复"},  {"/search?q=a&sort=bad", "排序方式无效"},
      {"/search?q=%FF%FE", "UTF-8"},       {too_long, "查询过长"},
  };
  for (const auto& [target, message] : cases) {
    Response r = Get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_TRUE(Contains(r.body, message)) << target << "\n" << r.body;
    EXPECT_TRUE(Contains(r.body, "请求参数有误")) << target;
  }
  // A query the searcher refuses: its Chinese message, escaped, with the query.
  Response q = Get("/search?q=%3Cscript%3E+%22unclosed");
  EXPECT_EQ(q.status, 400);
  EXPECT_TRUE(Contains(q.body, "查询语法错误")) << q.body;
  EXPECT_TRUE(Contains(q.body, "value=\"&lt;script&gt; &quot;unclosed\""));
}

TEST_F(SiteTest, ListingsPaginateNewestFirst) {
  Response first = Get("/baogao/");
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(Contains(first.body, "共 4 份"));
  // Newest first: 2024 national, then 2023 reports.
  EXPECT_TRUE(Contains(first.body, Path(national_)));
  EXPECT_FALSE(Contains(first.body, "href=\"" + Path(lingcheng_2022_) + "\""));
  EXPECT_TRUE(Contains(first.body, "<a href=\"/baogao/?page=2\" rel=\"next\">"));
  EXPECT_TRUE(Contains(first.body, "aria-current=\"page\">1</span>"));
  Response second = Get("/baogao/?page=2");
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(Contains(second.body, "href=\"" + Path(lingcheng_2022_) + "\""));
  EXPECT_TRUE(Contains(second.body, "<a href=\"/baogao/\" rel=\"prev\">"));
  EXPECT_TRUE(Contains(second.body,
                       "<link rel=\"canonical\" href=\"https://example.org/baogao/?page=2\">"));

  Response huadong = Get("/baogao/huadong/");
  ASSERT_EQ(huadong.status, 200);
  EXPECT_TRUE(Contains(huadong.body, "华东 · 政府工作报告"));
  EXPECT_FALSE(Contains(huadong.body, Path(national_)));
  Response quanguo = Get("/baogao/quanguo/");
  EXPECT_TRUE(Contains(quanguo.body, Path(national_)));
  EXPECT_TRUE(Contains(Get("/guihua/xibei/").body, "这里暂时还没有报告"));
}

TEST_F(SiteTest, SearchHighlightsFacetsAndPaginates) {
  Response r = Get("/search?q=%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4");  // 乡村振兴
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.body, "<mark>乡村振兴</mark>"));
  EXPECT_TRUE(Contains(r.body, "查询理解为：<code>TEXT(&quot;乡村振兴&quot;)</code>")) << r.body;
  EXPECT_TRUE(Contains(r.body, "共找到 <strong>4</strong> 份报告"));
  EXPECT_TRUE(Contains(r.body, "value=\"乡村振兴\""));
  EXPECT_TRUE(Contains(r.body, "<meta name=\"robots\" content=\"noindex, follow\">"));
  // Facets narrow the query.
  EXPECT_TRUE(Contains(r.body, "href=\"/search?q=" + PercentEncode("乡村振兴 type:baogao") + "\""));
  EXPECT_TRUE(
      Contains(r.body, "href=\"/search?q=" + PercentEncode("乡村振兴 region:370000") + "\""));
  EXPECT_TRUE(Contains(r.body, "href=\"/search?q=" + PercentEncode("乡村振兴 year:2023") + "\""));
  EXPECT_TRUE(
      Contains(r.body, "href=\"/search?q=" + PercentEncode("乡村振兴 level:county") + "\""));
  // Page size 2: a second page.
  EXPECT_TRUE(Contains(r.body, "href=\"/search?q=" + PercentEncode("乡村振兴") + "&amp;page=2\""));
  Response narrowed = Get("/search?q=" + PercentEncode("乡村振兴 type:baogao") + "&sort=newest");
  ASSERT_EQ(narrowed.status, 200);
  EXPECT_TRUE(Contains(narrowed.body, "共找到 <strong>3</strong> 份报告"));
  EXPECT_TRUE(Contains(narrowed.body, "TYPE(政府工作报告)"));
  EXPECT_FALSE(Contains(narrowed.body, PercentEncode("乡村振兴 type:baogao type:baogao")));

  Response hostile = Get("/search?q=" + PercentEncode("<script>alert(1)</script>"));
  EXPECT_EQ(hostile.status, 200);
  EXPECT_TRUE(Contains(hostile.body, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
  // Parentheses end words: the terms are <script>alert, 1 and </script>.
  EXPECT_TRUE(Contains(hostile.body, "<mark>&lt;script&gt;alert</mark>")) << hostile.body;

  Response none = Get("/search?q=" + PercentEncode("不存在的词语组合"));
  EXPECT_EQ(none.status, 200);
  EXPECT_TRUE(Contains(none.body, "没有找到符合条件的报告"));
  EXPECT_TRUE(Contains(none.body, "繁体与简体"));

  Response empty = Get("/search");
  EXPECT_EQ(empty.status, 200);
  EXPECT_TRUE(Contains(empty.body, "搜索语法"));
}

TEST_F(SiteTest, RegionTreeAndYearPages) {
  Response country = Get("/region/");
  ASSERT_EQ(country.status, 200);
  EXPECT_TRUE(Contains(country.body,
                       "<a href=\"/region/370000/\">山东省</a> <span class=\"count\">4</span>"));
  EXPECT_TRUE(Contains(country.body, Path(national_)));  // national reports are its own

  Response sd = Get("/region/370000/");
  ASSERT_EQ(sd.status, 200);
  EXPECT_TRUE(
      Contains(sd.body, "<a href=\"/region/371400/\">德州市</a> <span class=\"count\">3</span>"));
  EXPECT_TRUE(Contains(sd.body, "<h3>2021年</h3>"));
  EXPECT_TRUE(Contains(sd.body, Path(hostile_)));
  EXPECT_TRUE(Contains(sd.body, "href=\"/region/370000/rss.xml\""));

  Response lc = Get("/region/371403/");
  ASSERT_EQ(lc.status, 200);
  // The lineage, from the built-in renames: 陵县 (371421) became 陵城区.
  EXPECT_TRUE(Contains(lc.body, "前身：<a href=\"/region/371421/\">陵县（371421）</a>")) << lc.body;
  Response lx = Get("/region/371421/");
  ASSERT_EQ(lx.status, 200);
  EXPECT_TRUE(Contains(lx.body, "该行政区划代码已撤销"));
  EXPECT_TRUE(
      Contains(lx.body, "由以下地区承继：<a href=\"/region/371403/\">陵城区（371403）</a>"));
  EXPECT_TRUE(Contains(lc.body, "<a href=\"/region/370000/\">山东省</a>"));
  EXPECT_TRUE(Contains(lc.body, "<a href=\"/region/371400/\">德州市</a>"));
  EXPECT_TRUE(Contains(lc.body, "<h3>2023年</h3>"));
  EXPECT_TRUE(Contains(lc.body, "<h3>2022年</h3>"));
  EXPECT_LT(lc.body.find("<h3>2023年</h3>"), lc.body.find("<h3>2022年</h3>"));

  Response year = Get("/year/2023/");
  ASSERT_EQ(year.status, 200);
  EXPECT_TRUE(Contains(year.body, "2023年的报告"));
  EXPECT_TRUE(Contains(year.body, "共 2 份"));
  EXPECT_TRUE(Contains(year.body, "href=\"/year/2022/\""));
  EXPECT_EQ(Get("/year/2023").status, 301);
}

TEST_F(SiteTest, FeedsSitemapAndRobotsAreWellFormed) {
  struct Case {
    std::string target, root, type;
  };
  for (const Case& c :
       {Case{"/rss.xml", "rss", "application/rss+xml; charset=utf-8"},
        Case{"/atom.xml", "feed", "application/atom+xml; charset=utf-8"},
        Case{"/gongbao/rss.xml", "rss", "application/rss+xml; charset=utf-8"},
        Case{"/gongbao/atom.xml", "feed", "application/atom+xml; charset=utf-8"},
        Case{"/region/370000/rss.xml", "rss", "application/rss+xml; charset=utf-8"},
        Case{"/region/371403/atom.xml", "feed", "application/atom+xml; charset=utf-8"},
        Case{"/sitemap.xml", "urlset", "application/xml; charset=utf-8"}}) {
    Response r = Get(c.target);
    ASSERT_EQ(r.status, 200) << c.target;
    EXPECT_EQ(r.content_type, c.type) << c.target;
    EXPECT_EQ(XmlRoot(r.body), c.root) << c.target << "\n" << r.body;
  }
  Response rss = Get("/rss.xml");
  EXPECT_TRUE(Contains(rss.body, "<title>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;"));
  EXPECT_TRUE(Contains(rss.body, "<link>https://example.org" + Path(lingcheng_) + "</link>"));
  Response gongbao = Get("/gongbao/atom.xml");
  EXPECT_TRUE(Contains(gongbao.body, Path(demo_)));
  EXPECT_FALSE(Contains(gongbao.body, Path(lingcheng_)));
  Response region = Get("/region/371403/rss.xml");
  EXPECT_TRUE(Contains(region.body, Path(lingcheng_2022_)));
  EXPECT_FALSE(Contains(region.body, Path(decheng_)));

  Response sitemap = Get("/sitemap.xml");
  for (report::ReportId id : {lingcheng_, lingcheng_2022_, decheng_, hostile_, demo_, national_}) {
    EXPECT_TRUE(Contains(sitemap.body, "<loc>https://example.org" + Path(id) + "</loc>"));
  }
  Response robots = Get("/robots.txt");
  EXPECT_EQ(robots.content_type, "text/plain; charset=utf-8");
  EXPECT_TRUE(Contains(robots.body, "Allow: /\n"));
  EXPECT_TRUE(Contains(robots.body, "Sitemap: https://example.org/sitemap.xml\n"));
}

TEST_F(SiteTest, StaticFilesAreFingerprintedAndImmutable) {
  Response home = Get("/");
  static const std::regex css("href=\"(/static/site\\.[0-9a-f]{8}\\.css)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(home.body, m, css));
  Response r = Get(m[1]);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(r.cache_control, "public, max-age=31536000, immutable");
  EXPECT_TRUE(Contains(r.body, "PingFang SC"));
  EXPECT_FALSE(Contains(r.body, "@import"));
  EXPECT_FALSE(Contains(r.body, "url("));  // no web fonts, no CDN
}

TEST_F(SiteTest, EveryLinkFromHomeResolves) {
  std::deque<std::string> todo{"/"};
  std::set<std::string> seen{"/"};
  int pages = 0;
  while (!todo.empty() && pages < 400) {
    const std::string target = todo.front();
    todo.pop_front();
    Response r = Get(target);
    ++pages;
    EXPECT_TRUE(r.status == 200 || r.status == 301) << target << " → " << r.status;
    if (r.content_type.rfind("text/html", 0) != 0) continue;
    for (const std::string& link : Links(r.body)) {
      if (seen.insert(link).second) todo.push_back(link);
    }
  }
  EXPECT_GT(pages, 40);
  EXPECT_TRUE(seen.count(Path(hostile_)));
  EXPECT_TRUE(seen.count("/takedown"));
}

TEST_F(SiteTest, ViewsAreBatchedAndFlushed) {
  const std::string path = Path(lingcheng_);
  // The page shows the live count, this view included, from the cache too.
  for (int i = 1; i <= 3; ++i) {
    Response r = Get(path);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(Contains(r.body, "点击量 " + std::to_string(i) + "<")) << i;
  }
  EXPECT_TRUE(Contains(Get(path, "HEAD").body, "点击量 3<")) << "HEAD is not a view";
  Get(Path(lingcheng_) + "?page=1");  // cached variant still counts
  EXPECT_EQ(*store_->Views(lingcheng_), 0) << "nothing written per hit";
  const int64_t renders = site_->stats().renders;
  ASSERT_TRUE(site_->FlushViews().ok());
  EXPECT_EQ(*store_->Views(lingcheng_), 4);
  EXPECT_TRUE(Contains(Get(path).body, "点击量 5<"));
  EXPECT_EQ(site_->stats().renders, renders) << "a flush keeps the cached page";
  // The Site's thread flushes by itself once view_flush_seconds have passed.
  now_ += 61;
  Get(path);
  for (int i = 0; i < 200 && *store_->Views(lingcheng_) != 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(*store_->Views(lingcheng_), 6);
  // And the destructor flushes what is left.
  Get(path);
  site_.reset();
  EXPECT_EQ(*store_->Views(lingcheng_), 7);
}

TEST_F(SiteTest, ViewCountsSurviveADataChange) {
  const std::string path = Path(lingcheng_);
  Get(path);
  Get(path);
  ++version_;  // the cache goes; the count stays
  EXPECT_TRUE(Contains(Get(path).body, "点击量 3<"));
  ASSERT_TRUE(site_->FlushViews().ok());
  ++version_;
  EXPECT_TRUE(Contains(Get(path).body, "点击量 4<"));
  // A new Site (a restart) starts from the store.
  MakeSite(2);
  EXPECT_EQ(*store_->Views(lingcheng_), 4);
  EXPECT_TRUE(Contains(Get(path).body, "点击量 5<"));
  EXPECT_TRUE(Contains(Get(path).body, "点击量 6<"));
}

TEST_F(SiteTest, ConcurrentMissesForOnePageRenderItOnce) {
  const std::vector<std::string> targets = {Path(decheng_),
                                            "/search?q=" + PercentEncode("乡村振兴 -疫情")};
  for (const std::string& target : targets) {
    ++version_;  // a data change empties the cache
    const int64_t before = site_->stats().renders;
    std::atomic<int> ready{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        ++ready;
        while (ready.load() < 8) std::this_thread::yield();
        if (site_->Handle(testing::MakeRequest("GET", target)).status != 200) ++failures;
      });
    }
    for (std::thread& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0) << target;
    EXPECT_EQ(site_->stats().renders - before, 1) << target;
  }
  ASSERT_TRUE(site_->FlushViews().ok());
  EXPECT_EQ(*store_->Views(decheng_), 8) << "waiters count their views too";
}

TEST_F(SiteTest, CachedReportPagesAreSplicedIntoGzip) {
  const std::string path = Path(lingcheng_);
  Get(path);  // cached now
  Request req = testing::MakeRequest("GET", path);
  req.headers["accept-encoding"] = "gzip, deflate, br";
  Response z = testing::WithBody(site_->Handle(req));
  ASSERT_EQ(z.status, 200);
  EXPECT_EQ(z.content_encoding, "gzip");
  const std::string page = testing::Gunzip(z.body);
  ASSERT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u) << page.substr(0, 200);
  // The slots are filled in the gzipped page as in the plain one.
  EXPECT_TRUE(Contains(page, "点击量 2<"));
  EXPECT_FALSE(Contains(page, "\x01"));
  static const std::regex kCsrf("name=\"_csrf\" value=\"([^\"]+)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page, m, kCsrf));
  EXPECT_GT(m[1].length(), 20);
  const std::string plain = Get(path).body;
  auto mask = [](std::string s) {
    static const std::regex kTokens("value=\"[^\"]*\"|/captcha/[^\"]*|点击量 [0-9]+");
    return std::regex_replace(s, kTokens, "X");
  };
  EXPECT_EQ(mask(page), mask(plain));
  // Not much bigger than deflating the whole page at once (the pieces
  // cannot refer to each other; this test page is small).
  uLongf whole = compressBound(static_cast<uLong>(plain.size()));
  std::string deflated(whole, '\0');
  ASSERT_EQ(
      compress2(reinterpret_cast<Bytef*>(deflated.data()), &whole,
                reinterpret_cast<const Bytef*>(plain.data()), static_cast<uLong>(plain.size()), 6),
      Z_OK);
  EXPECT_LT(z.body.size(), whole * 3 / 2) << whole;
  // gzip;q=0 refuses it.
  req.headers["accept-encoding"] = "gzip;q=0";
  Response refused = testing::WithBody(site_->Handle(req));
  EXPECT_TRUE(refused.content_encoding.empty());
  EXPECT_TRUE(Contains(refused.body, "点击量 4<"));
}

TEST_F(SiteTest, CacheIsDroppedWhenDataChanges) {
  Response before = Get("/guihua/");
  EXPECT_TRUE(Contains(before.body, "共 0 份"));
  const report::ReportId plan =
      Add(MakeReport("德州市国民经济和社会发展第十四个五年规划纲要", 371400, 2021,
                     ReportType::kPlan, {{0, "规划正文。"}}));
  // Same data version: the cached page is served.
  EXPECT_EQ(Get("/guihua/").body, before.body);
  Reindex();  // the index moved on: version changes
  Response after = Get("/guihua/");
  EXPECT_TRUE(Contains(after.body, "共 1 份"));
  EXPECT_TRUE(Contains(after.body, Path(plan)));
  EXPECT_NE(after.etag, before.etag);
}

TEST_F(SiteTest, ConcurrentRequestsShareSearchersAndCache) {
  const std::vector<std::string> targets = {"/",
                                            "/baogao/",
                                            "/search?q=" + PercentEncode("乡村振兴"),
                                            Path(lingcheng_),
                                            "/region/370000/",
                                            "/rss.xml",
                                            "/year/2023/",
                                            "/search?q=" + PercentEncode("发展 -疫情")};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        const Request req = testing::MakeRequest("GET", targets[(t + i) % targets.size()]);
        if (site_->Handle(req).status != 200) ++failures;
        if (i == 20 && t == 0) ++version_;  // data changes under load
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(site_->FlushViews().ok());
  EXPECT_EQ(*store_->Views(lingcheng_), 20);
}

TEST_F(SiteTest, TakedownPage) {
  Response r = Get("/takedown");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.body, "纠错与删除请求"));
  EXPECT_TRUE(Contains(r.body, "<a href=\"mailto:jiucuo@example.org\">"));
}

TEST(SiteCreateTest, MissingAssetsOrIndexFail) {
  testing::ScratchDir dir;
  store::StoreOptions so;
  so.url = dir.File("b.db");
  auto store = store::OpenStore(so);
  ASSERT_TRUE(store.ok());
  SiteOptions o;
  o.assets_dir = dir.File("nowhere");
  search::SearcherOptions search{dir.File("b.db.index"), testing::TestDictionary(),
                                 testing::TestRegions()};
  auto site = Site::Create(o, **store, search, testing::TestRegions(), {});
  EXPECT_EQ(site.status().code(), StatusCode::kNotFound);
  site = testing::CreateSite(o, **store, dir.File("b.db.index"), {});
  EXPECT_EQ(site.status().code(), StatusCode::kNotFound) << "no index yet";
}

}  // namespace
}  // namespace baogao::web
