// The Report model: names and slugs, region codes, dates, the canonical body
// and its hash, validation, and JSON output (including hostile text).
#include "report/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace baogao::report {
namespace {

Report SampleReport() {
  Report r;
  r.id = ReportId(7236);
  r.type = ReportType::kGovernmentWork;
  r.region = *RegionCode::Parse("371403");
  r.level = AdminLevel::kCounty;
  r.title = "2024年德州市陵城区政府工作报告";
  r.year = 2024;
  r.date = Date{2024, 1, 15};
  r.source_url = "http://www.lingcheng.gov.cn/art/2024/1/15/1.html";
  r.source_site = "陵城区人民政府";
  r.original = true;
  r.completeness = Completeness::kFull;
  r.body = {{1, "一、过去五年工作回顾"}, {0, "地区生产总值增长6%左右。"}, {0, ""}};
  r.content_hash = ContentHash(r.body);
  r.created_at = 1700000000;
  r.updated_at = 1700000100;
  r.alternate_sources = {
      {"http://example.org/a.html", "示例站", "abc", Completeness::kPartial, 1700000200, "节选"}};
  return r;
}

TEST(ReportTypeTest, NamesAndSlugs) {
  EXPECT_EQ(ReportTypeName(ReportType::kGovernmentWork), "政府工作报告");
  EXPECT_EQ(ReportTypeName(ReportType::kStatistical), "统计公报");
  EXPECT_EQ(ReportTypeName(ReportType::kPlan), "规划");
  EXPECT_EQ(ReportTypeSlug(ReportType::kGovernmentWork), "baogao");
  EXPECT_EQ(ReportTypeSlug(ReportType::kStatistical), "gongbao");
  EXPECT_EQ(ReportTypeSlug(ReportType::kPlan), "guihua");
  EXPECT_EQ(ReportTypeSlug(ReportType::kOther), "other");
  for (ReportType t : {ReportType::kGovernmentWork, ReportType::kStatistical, ReportType::kPlan,
                       ReportType::kOther}) {
    auto back = ReportTypeFromSlug(ReportTypeSlug(t));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, t);
  }
  auto bad = ReportTypeFromSlug("Baogao");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'Baogao'"), std::string::npos);
}

TEST(ReportTypeTest, LevelsAndCompleteness) {
  for (AdminLevel l : {AdminLevel::kNational, AdminLevel::kProvince, AdminLevel::kPrefecture,
                       AdminLevel::kCounty, AdminLevel::kUnknown}) {
    EXPECT_EQ(*AdminLevelFromSlug(AdminLevelSlug(l)), l);
  }
  EXPECT_EQ(AdminLevelName(AdminLevel::kPrefecture), "地级");
  EXPECT_FALSE(AdminLevelFromSlug("city").ok());
  for (Completeness c : {Completeness::kFull, Completeness::kPartial, Completeness::kUnknown}) {
    EXPECT_EQ(*CompletenessFromSlug(CompletenessSlug(c)), c);
  }
  EXPECT_FALSE(CompletenessFromSlug("").ok());
}

TEST(RegionCodeTest, ParsesSixDigits) {
  auto c = RegionCode::Parse("371403");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->value(), 371403);
  EXPECT_EQ(c->ToString(), "371403");
  EXPECT_TRUE(c->is_county());
  EXPECT_TRUE(RegionCode::Parse("370000")->is_province());
  EXPECT_TRUE(RegionCode::Parse("371400")->is_prefecture());
  EXPECT_TRUE(RegionCode::Parse("100000")->is_national());
  EXPECT_FALSE(RegionCode::Parse("100000")->is_province());
  for (const char* bad :
       {"", "37140", "3714030", "037140", "37140a", "+37140", " 37140", "-37140"}) {
    auto r = RegionCode::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_FALSE(RegionCode::FromInt(99999).ok());
  EXPECT_FALSE(RegionCode::FromInt(1000000).ok());
  EXPECT_FALSE(RegionCode::FromInt(-371403).ok());
  EXPECT_LT(*RegionCode::FromInt(110000), *RegionCode::FromInt(370000));
}

TEST(DateTest, ParseAndPrint) {
  auto d = Date::Parse("2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (Date{2024, 2, 29}));
  EXPECT_EQ(d->ToString(), "2024-02-29");
  for (const char* bad : {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
                          "2024-1-5", "2024/01/05", "20240105", "", "2024-01-05x"}) {
    EXPECT_FALSE(Date::Parse(bad).ok()) << bad;
  }
  EXPECT_TRUE(Date::Parse("2000-02-29").ok());
}

TEST(ContentHashTest, CanonicalFormIsLengthPrefixed) {
  const std::vector<Paragraph> body = {
      {1, "一、过去五年工作回顾"}, {0, "地区生产总值增长6%左右。"}, {0, ""}};
  EXPECT_EQ(CanonicalBody({{2, "ab"}}), "baogao-body-v1\n2 2\nab\n");
  // Computed independently with Python's hashlib over the same form.
  EXPECT_EQ(ContentHash(body), "a9a182c675c3c390ad10ef951681b77c52aafe6891a6df174003f5c6dffd9d86");
  EXPECT_EQ(ContentHash({}), "efbe9850d7bbbbc2c8c1a83e178666f3591b2530c02e006674358f87be169c7f");
  // A paragraph containing what looks like a boundary is not two paragraphs.
  EXPECT_NE(ContentHash({{0, "a\n0 1\nb"}}), ContentHash({{0, "a"}, {0, "b"}}));
  EXPECT_NE(ContentHash({{0, "ab"}}), ContentHash({{0, "a"}, {0, "b"}}));
  EXPECT_NE(ContentHash({{1, "x"}}), ContentHash({{0, "x"}}));
  EXPECT_NE(ContentHash({{0, ""}}), ContentHash({}));
}

TEST(ValidateTest, AcceptsSampleAndNamesBadFields) {
  EXPECT_TRUE(Validate(SampleReport()).ok());
  auto expect_bad = [](Report r, const std::string& needle) {
    Status s = Validate(r);
    ASSERT_FALSE(s.ok()) << needle;
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
  };
  Report r = SampleReport();
  r.title.clear();
  expect_bad(r, "title");
  r = SampleReport();
  r.year = 1899;
  expect_bad(r, "1899");
  r = SampleReport();
  r.date = Date{2023, 2, 29};
  expect_bad(r, "2023-02-29");
  r = SampleReport();
  r.body[1].level = 5;
  expect_bad(r, "paragraph 1");
  r = SampleReport();
  r.body[0].level = -1;
  expect_bad(r, "paragraph 0");
  r = SampleReport();
  r.alternate_sources[0].url.clear();
  expect_bad(r, "alternate source 0");
}

TEST(JsonTest, EveryField) {
  const Report r = SampleReport();
  const auto j = nlohmann::json::parse(ToJson(r));
  EXPECT_EQ(j["id"], 7236);
  EXPECT_EQ(j["type"], "baogao");
  EXPECT_EQ(j["type_name"], "政府工作报告");
  EXPECT_EQ(j["region_code"], "371403");
  EXPECT_EQ(j["level"], "county");
  EXPECT_EQ(j["title"], r.title);
  EXPECT_EQ(j["year"], 2024);
  EXPECT_EQ(j["date"], "2024-01-15");
  EXPECT_EQ(j["source_url"], r.source_url);
  EXPECT_EQ(j["source_site"], "陵城区人民政府");
  EXPECT_EQ(j["original"], true);
  EXPECT_EQ(j["completeness"], "full");
  EXPECT_EQ(j["content_hash"], r.content_hash);
  EXPECT_EQ(j["created_at"], 1700000000);
  EXPECT_EQ(j["updated_at"], 1700000100);
  EXPECT_EQ(j["hidden"], false);
  ASSERT_EQ(j["body"].size(), 3u);
  EXPECT_EQ(j["body"][0]["level"], 1);
  EXPECT_EQ(j["body"][0]["text"], "一、过去五年工作回顾");
  EXPECT_EQ(j["body"][2]["text"], "");
  ASSERT_EQ(j["alternate_sources"].size(), 1u);
  const auto& a = j["alternate_sources"][0];
  EXPECT_EQ(a["url"], "http://example.org/a.html");
  EXPECT_EQ(a["site"], "示例站");
  EXPECT_EQ(a["content_hash"], "abc");
  EXPECT_EQ(a["completeness"], "partial");
  EXPECT_EQ(a["added_at"], 1700000200);
  EXPECT_EQ(a["note"], "节选");
  EXPECT_EQ(j.size(), 18u) << "a field was added: update this test and docs/store.md";
}

TEST(JsonTest, MissingOptionalsAreNull) {
  Report r = SampleReport();
  r.region.reset();
  r.date.reset();
  const auto j = nlohmann::json::parse(ToJson(r));
  EXPECT_TRUE(j["region_code"].is_null());
  EXPECT_TRUE(j["date"].is_null());
}

TEST(JsonTest, GoldenCompactOutput) {
  Report r;
  r.id = ReportId(1);
  r.type = ReportType::kPlan;
  r.title = "规划";
  r.year = 2021;
  r.body = {{0, "x"}};
  EXPECT_EQ(ToJson(r),
            R"({"id":1,"type":"guihua","type_name":"规划","region_code":null,"level":"unknown",)"
            R"("title":"规划","year":2021,"date":null,"source_url":"","source_site":"",)"
            R"("original":false,"completeness":"unknown","content_hash":"","created_at":0,)"
            R"("updated_at":0,"hidden":false,"body":[{"level":0,"text":"x"}],)"
            R"("alternate_sources":[]})");
}

TEST(JsonTest, HostileTextIsEscaped) {
  Report r = SampleReport();
  const std::string hostile = std::string("\"},{\"id\":1}\\</script><b>\n\r\t\b\f") +
                              std::string(1, '\0') + "\x01\x1f\x7f" + "\u2028\u2029 报告";
  r.title = hostile;
  r.source_url = "javascript:alert(\"x\")";
  r.body = {{0, hostile}};
  r.alternate_sources[0].note = hostile;
  const std::string out = ToJson(r);
  // Control characters never appear raw, NUL included.
  for (char c : out) {
    EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << "raw control byte " << int(c);
  }
  EXPECT_NE(out.find(R"(\"},{\"id\":1}\\</script>)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"(\u0000\u0001\u001f)"), std::string::npos) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["title"], hostile);
  EXPECT_EQ(j["body"][0]["text"], hostile);
  EXPECT_EQ(j["alternate_sources"][0]["note"], hostile);
  EXPECT_EQ(j["source_url"], r.source_url);
  EXPECT_EQ(j["id"], 7236) << "the title must not be able to inject fields";
}

TEST(JsonTest, InvalidUtf8IsReplacedNotThrown) {
  Report r = SampleReport();
  r.title = "坏\xff\xfe字节\xe6\x94";  // two stray bytes and a truncated sequence
  std::string out;
  ASSERT_NO_THROW(out = ToJson(r));
  const auto j = nlohmann::json::parse(out);  // throws if the output is not UTF-8
  EXPECT_EQ(j["title"].get<std::string>().substr(0, 3), "坏");
  EXPECT_NE(j["title"].get<std::string>().find("\xef\xbf\xbd"), std::string::npos);
}

TEST(JsonTest, EnsureAsciiAndIndent) {
  JsonOptions opts;
  opts.ensure_ascii = true;
  const std::string ascii = ToJson(SampleReport(), opts);
  for (char c : ascii) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
  EXPECT_NE(ascii.find(R"(\u653f\u5e9c)"), std::string::npos);  // 政府
  EXPECT_EQ(nlohmann::json::parse(ascii), nlohmann::json::parse(ToJson(SampleReport())));
  opts = {};
  opts.indent = 2;
  EXPECT_NE(ToJson(SampleReport(), opts).find("\n  \"id\": 7236"), std::string::npos);
}

TEST(ClockTest, FakeClock) {
  FakeClock clock(100);
  EXPECT_EQ(clock.NowUnixSeconds(), 100);
  clock.Advance(5);
  EXPECT_EQ(clock.NowUnixSeconds(), 105);
  clock.Set(7);
  EXPECT_EQ(clock.NowUnixSeconds(), 7);
  EXPECT_GT(SystemClock().NowUnixSeconds(), 1600000000);
}

}  // namespace
}  // namespace baogao::report
