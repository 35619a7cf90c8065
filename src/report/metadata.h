// Report metadata read from a title and its subtitle line: the type, the
// year and the date. Region names are resolved by region::RegionTable.
//
// The year follows what researchers key panels by:
//  - 政府工作报告: the year the report is delivered (the date in the subtitle
//    "——2023年1月8日在…第…次会议上", else a date or year in the title);
//  - 统计公报: the year the communiqué covers ("2022年…统计公报" → 2022);
//  - 规划: the first year of the plan ("十四五"/"第十四个五年" → 2021, or the
//    first year of a "2021—2025年" span);
//  - otherwise the year of the date, else the first year in the title.
// Years may be written in Arabic, full-width or Chinese digits (二〇二三年).
#ifndef BAOGAO_REPORT_METADATA_H_
#define BAOGAO_REPORT_METADATA_H_

#include <optional>
#include <string>
#include <string_view>

#include "report/report.h"

namespace baogao::report {

struct TitleMetadata {
  std::optional<ReportType> type;  // none when the title names no known type
  std::optional<int> year;
  std::optional<Date> date;  // a full date in the subtitle or title
  std::string year_source;   // how the year was decided, for review messages
};

TitleMetadata ParseTitleMetadata(std::string_view title, std::string_view subtitle);

// The type a title names, if any (政府工作报告, 统计公报, 规划/纲要).
std::optional<ReportType> TypeFromTitle(std::string_view title);

}  // namespace baogao::report

#endif  // BAOGAO_REPORT_METADATA_H_
