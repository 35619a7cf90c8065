// Reports for tests: one made up from a few fields, and the path of a
// stored one's page on the site.
#ifndef BAOGAO_TESTS_COMMON_REPORTS_H_
#define BAOGAO_TESTS_COMMON_REPORTS_H_

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "region/region.h"
#include "report/report.h"
#include "store/store.h"

namespace baogao::testing {

// A complete report with a made-up source: the level follows from the
// region code (national, province, prefecture or county).
inline report::Report MakeReport(std::string title, int region, int year, report::ReportType type,
                                 std::vector<report::Paragraph> body) {
  report::Report r;
  r.title = std::move(title);
  r.body = std::move(body);
  r.region = *report::RegionCode::FromInt(region);
  r.level = region == report::RegionCode::kNational ? report::AdminLevel::kNational
            : region % 10000 == 0                   ? report::AdminLevel::kProvince
            : region % 100 == 0                     ? report::AdminLevel::kPrefecture
                                                    : report::AdminLevel::kCounty;
  r.year = year;
  r.type = type;
  r.source_url = "https://www.example.gov.cn/zwgk/" + std::to_string(year) + ".html";
  r.source_site = "示例政府网";
  r.completeness = report::Completeness::kFull;
  return r;
}

// The site path of stored report `id`: /<type>/<macro-region>/<id>.html;
// "" (and a test failure) when the store cannot give it.
inline std::string ReportPath(store::Store& store, report::ReportId id) {
  auto r = store.Get(id);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return "";
  const std::string type(report::ReportTypeSlug(r->type));
  const std::string macro(region::MacroRegionSlug(
      r->region->is_national()
          ? region::MacroRegion::kQuanguo
          : region::MacroRegionOf(*region::RegionCode::FromInt(r->region->value()))));
  return "/" + type + "/" + macro + "/" + std::to_string(id.value()) + ".html";
}

}  // namespace baogao::testing

#endif  // BAOGAO_TESTS_COMMON_REPORTS_H_
