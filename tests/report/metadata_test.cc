#include "report/metadata.h"

#include <gtest/gtest.h>

namespace baogao::report {
namespace {

struct Case {
  std::string title;
  std::string subtitle;
  std::optional<ReportType> type;
  std::optional<int> year;
  std::string date;  // "" when none
};

TEST(MetadataTest, TitlesAndSubtitles) {
  const Case cases[] = {
      {"(山东省)德州市陵城区人民政府工作报告(2023年1月8日)", "", ReportType::kGovernmentWork, 2023,
       "2023-01-08"},
      {"政府工作报告", "——2024年1月12日在青禾市第六届人民代表大会第三次会议上",
       ReportType::kGovernmentWork, 2024, "2024-01-12"},
      {"2019年政府工作报告", "", ReportType::kGovernmentWork, 2019, ""},
      {"政府工作报告", "——二〇二三年一月十二日在市第十七届人民代表大会第二次会议上",
       ReportType::kGovernmentWork, 2023, "2023-01-12"},
      {"山东省2022年国民经济和社会发展统计公报", "山东省统计局　2023年3月1日",
       ReportType::kStatistical, 2022, "2023-03-01"},
      {"２０２１年统计公报", "", ReportType::kStatistical, 2021, ""},
      {"杭州市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "", ReportType::kPlan,
       2021, ""},
      {"“十三五”生态环境保护规划", "", ReportType::kPlan, 2016, ""},
      {"德州市国土空间总体规划（2021—2035年）", "", ReportType::kPlan, 2021, ""},
      {"关于2023年预算执行情况的报告", "", std::nullopt, 2023, ""},
      {"", "", std::nullopt, std::nullopt, ""},
      {"12345年政府工作报告", "", ReportType::kGovernmentWork, std::nullopt, ""},
      {"政府工作报告", "2023年13月45日", ReportType::kGovernmentWork, 2023, ""},
  };
  for (const Case& c : cases) {
    const TitleMetadata m = ParseTitleMetadata(c.title, c.subtitle);
    EXPECT_EQ(m.type, c.type) << c.title;
    EXPECT_EQ(m.year, c.year) << c.title << " / " << c.subtitle;
    EXPECT_EQ(m.date ? m.date->ToString() : "", c.date) << c.title << " / " << c.subtitle;
  }
}

TEST(MetadataTest, BrokenUtf8IsHarmless) {
  const TitleMetadata m = ParseTitleMetadata("\xFF\xFE政府工作报告\xE4", "\xC0 2023年");
  EXPECT_EQ(m.type, ReportType::kGovernmentWork);
  EXPECT_EQ(m.year, 2023);
}

}  // namespace
}  // namespace baogao::report
