// Resolve(): report titles and subtitles to division codes.
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "region/region.h"
#include "test_util.h"

namespace baogao::region {
namespace {

using testing::Code;
using testing::Table;

std::string Describe(const Resolution& r) {
  std::ostringstream s;
  s << ResolveStatusName(r.status);
  if (r.code) s << ' ' << r.code->ToString();
  for (RegionCode c : r.candidates) s << " cand:" << c.ToString();
  s << " (" << r.reason << ")";
  return s.str();
}

// Resolves `text` and expects exactly `code`.
void ExpectCode(std::string_view text, int code, std::optional<int> year = std::nullopt) {
  Resolution r = Table().Resolve(text, year);
  EXPECT_EQ(r.status, ResolveStatus::kResolved) << text << ": " << Describe(r);
  if (r.code) {
    EXPECT_EQ(r.code->value(), code) << text << ": " << Describe(r);
  }
}

TEST(ResolveTest, IssueExamples) {
  ExpectCode("(山东省)德州市陵城区人民政府工作报告(2023年1月8日)", 371403);
  ExpectCode("陵城区人民政府工作报告", 371403);
  ExpectCode("陵城2023年政府工作报告", 371403);
  ExpectCode("山东省人民政府工作报告", 370000);
  ExpectCode("德州市人民政府工作报告", 371400);
  ExpectCode("北京市朝阳区人民政府工作报告", 110105);
  ExpectCode("广西壮族自治区人民政府工作报告", 450000);
  ExpectCode("国务院政府工作报告", 0);
}

TEST(ResolveTest, RealisticTitles) {
  struct Case {
    const char* text;
    int code;
  };
  const Case cases[] = {
      {"2023年河北省政府工作报告", 130000},
      {"内蒙古自治区2022年国民经济和社会发展统计公报", 150000},
      {"宁夏回族自治区人民政府工作报告", 640000},
      {"新疆维吾尔自治区人民政府工作报告", 650000},
      {"西藏自治区政府工作报告", 540000},
      {"香港特别行政区行政长官2023年施政报告", 810000},
      {"上海市浦东新区人民政府工作报告", 310115},
      {"天津市滨海新区政府工作报告", 120116},
      {"重庆市石柱土家族自治县人民政府工作报告", 500240},
      {"恩施土家族苗族自治州人民政府工作报告", 422800},
      {"恩施州政府工作报告", 422800},
      {"湖北省恩施土家族苗族自治州恩施市人民政府工作报告", 422801},
      {"南京市鼓楼区人民政府工作报告", 320106},
      {"福建省福州市鼓楼区政府工作报告", 350102},
      // The province supports both 向阳区 (鹤岗, 佳木斯); the city decides.
      {"黑龙江省佳木斯市向阳区人民政府工作报告", 230803},
      {"黑龙江省鹤岗市向阳区人民政府工作报告", 230402},
      {"辽宁省鞍山市铁西区政府工作报告", 210303},
      {"辽宁省朝阳市朝阳县人民政府工作报告", 211321},
      {"朝阳县人民政府工作报告", 211321},
      {"吉林省吉林市人民政府工作报告", 220200},
      {"广东省东莞市人民政府工作报告", 441900},
      {"中山市人民政府工作报告", 442000},
      {"海南省儋州市政府工作报告", 460400},
      {"嘉峪关市2023年政府工作报告", 620200},
      {"济源市人民政府工作报告", 419001},
      {"神农架林区政府工作报告", 429021},
      {"石家庄市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", 130100},
      {"杭州市萧山区2022年国民经济和社会发展统计公报", 330109},
      {"关于德州市2022年国民经济和社会发展计划执行情况与2023年计划草案的报告", 371400},
      {"政府工作报告——2023年1月8日在德州市陵城区第十八届人民代表大会第二次会议上", 371403},
      {"阿拉善盟行政公署工作报告", 152900},
      {"大兴安岭地区行政公署工作报告", 232700},
      {"延边朝鲜族自治州人民政府工作报告", 222400},
      {"伊犁哈萨克自治州人民政府工作报告", 654000},
      {"津市市人民政府工作报告", 430781},
      {"忠县人民政府工作报告", 500233},
      {"北京市延庆区人民政府工作报告", 110119},
      {"政府工作报告——2023年3月5日在第十四届全国人民代表大会第一次会议上", 0},
      {"中华人民共和国2022年国民经济和社会发展统计公报", 0},
  };
  for (const Case& c : cases) ExpectCode(c.text, c.code);
}

TEST(ResolveTest, AmbiguousNamesStayUnresolved) {
  Resolution r = Table().Resolve("鼓楼区人民政府工作报告", std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kAmbiguous) << Describe(r);
  EXPECT_FALSE(r.code.has_value());
  EXPECT_EQ(r.candidates,
            (std::vector<RegionCode>{Code(320106), Code(320302), Code(350102), Code(410204)}));
  EXPECT_NE(r.reason.find("鼓楼区"), std::string::npos);

  // A province narrows but does not decide: 南京 and 徐州 both have one.
  r = Table().Resolve("江苏省鼓楼区人民政府工作报告", std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kAmbiguous) << Describe(r);
  EXPECT_EQ(r.candidates, (std::vector<RegionCode>{Code(320106), Code(320302)}));

  r = Table().Resolve("朝阳区政府工作报告", std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kAmbiguous) << Describe(r);
  EXPECT_EQ(r.candidates, (std::vector<RegionCode>{Code(110105), Code(220104)}));

  // 朝阳 alone: 朝阳市, 朝阳县 and two 朝阳区.
  r = Table().Resolve("朝阳政府工作报告", std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kAmbiguous) << Describe(r);
  EXPECT_EQ(r.candidates.size(), 4u);

  ExpectCode("吉林省长春市朝阳区政府工作报告", 220104);
  ExpectCode("长春市朝阳区政府工作报告", 220104);

  // Two unrelated divisions.
  r = Table().Resolve("德州市与聊城市联合报告", std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kAmbiguous) << Describe(r);
  EXPECT_EQ(r.candidates, (std::vector<RegionCode>{Code(371400), Code(371500)}));
}

TEST(ResolveTest, NotADivision) {
  Resolution r = Table().Resolve("新疆生产建设兵团2023年政府工作报告", std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kNotADivision) << Describe(r);
  EXPECT_FALSE(r.code.has_value());
  EXPECT_NE(r.reason.find("兵团"), std::string::npos);

  r = Table().Resolve("德州天衢新区管委会工作报告", std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kNotADivision) << Describe(r);
  EXPECT_EQ(r.candidates, std::vector<RegionCode>{Code(371400)});

  r = Table().Resolve("郑州高新技术产业开发区2022年工作报告", std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kNotADivision) << Describe(r);

  r = Table().Resolve("重庆两江新区工作报告", std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kNotADivision) << Describe(r);
}

TEST(ResolveTest, NothingFound) {
  for (const char* text : {"", "政府工作报告", "abc", "\xFF\xFE", "2023年工作总结"}) {
    Resolution r = Table().Resolve(text, std::nullopt);
    EXPECT_EQ(r.status, ResolveStatus::kNotFound) << text << ": " << Describe(r);
    EXPECT_FALSE(r.code.has_value());
  }
}

TEST(ResolveTest, OldNamesFromTheBuiltInTable) {
  const auto& t = Table();
  ExpectCode("陵县人民政府工作报告", 371421, 2010);
  ExpectCode("陵县人民政府工作报告", 371421);
  ExpectCode("山东省德州市陵县2012年政府工作报告", 371421, 2012);
  EXPECT_EQ(t.Successors(Code(371421)), std::vector<RegionCode>{Code(371403)});
  EXPECT_EQ(t.Predecessors(Code(371403)), std::vector<RegionCode>{Code(371421)});
  EXPECT_EQ(t.CurrentSuccessors(Code(371421)), std::vector<RegionCode>{Code(371403)});
  const Region* ling = t.Find(Code(371421));
  ASSERT_NE(ling, nullptr);
  EXPECT_FALSE(ling->current);
  EXPECT_EQ(ling->name, "陵县");
  EXPECT_EQ(ling->valid_to, 2014);
  EXPECT_EQ(ling->parent, Code(371400));
  EXPECT_EQ(t.Find(Code(371403))->valid_from, 2014);
  // Renamed with the code kept: the old name resolves for its years.
  ExpectCode("襄樊市人民政府工作报告", 420600, 2008);
  ExpectCode("思茅市政府工作报告", 530800, 2005);
  ExpectCode("萧山市人民政府工作报告", 330181, 1999);
  ExpectCode("北京市密云县人民政府工作报告", 110228, 2014);
  EXPECT_EQ(t.CurrentSuccessors(Code(110228)), std::vector<RegionCode>{Code(110118)});
  // Not in the current table, but reachable when iterating history.
  size_t historical = t.All(true).size() - t.All().size();
  EXPECT_GE(historical, 20u);
}

TEST(ResolveTest, YearSelectsAmongNames) {
  // 密云 in 2014 is the county, in 2020 the district.
  ExpectCode("密云人民政府工作报告", 110228, 2014);
  ExpectCode("密云人民政府工作报告", 110118, 2020);
  // Without a year, current names win.
  ExpectCode("密云人民政府工作报告", 110118);
  // A current name used for a year before it existed still resolves, and says so.
  Resolution r = Table().Resolve("陵城区人民政府工作报告", 2005);
  EXPECT_EQ(r.status, ResolveStatus::kResolved) << Describe(r);
  EXPECT_EQ(r.code, Code(371403));
  EXPECT_NE(r.reason.find("2005"), std::string::npos) << r.reason;
}

TEST(ResolveTest, LongAndHostileInput) {
  std::string big;
  for (int i = 0; i < 10000; ++i) big += "德州市";
  Resolution r = Table().Resolve(big, std::nullopt);
  EXPECT_EQ(r.status, ResolveStatus::kResolved);
  const std::string_view truncated("陵城区", 8);  // last character cut mid-sequence
  r = Table().Resolve(truncated, std::nullopt);
  EXPECT_EQ(r.code, Code(371403)) << Describe(r);  // 陵城 is whole; the stray bytes are skipped
}

}  // namespace
}  // namespace baogao::region
