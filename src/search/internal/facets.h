// Facet keys of a report (stored as Xapian values) and their labels.
#ifndef BAOGAO_SEARCH_INTERNAL_FACETS_H_
#define BAOGAO_SEARCH_INTERNAL_FACETS_H_

#include <optional>
#include <string>

#include "region/region.h"
#include "report/report.h"

namespace baogao::search::internal {

struct FacetKeys {
  std::string macro_region;  // "huadong", "quanguo"; "" without a region
  std::string province;      // "370000"; "" for national reports or none
  std::string level;         // report::AdminLevelSlug
  std::string type;          // report::ReportTypeSlug
  std::string year;          // "2023"
};

FacetKeys FacetKeysOf(const report::Report& report);

// The region module's code for a report's code (national: 100000 → 000000).
region::RegionCode ToRegionCode(report::RegionCode code);

// Labels shown for facet keys: 华东, 山东省 (needs `regions`; else the code),
// 县级, 政府工作报告, 2023.
std::string FacetLabel(const std::string& facet, const std::string& key,
                       const region::RegionTable* regions);

}  // namespace baogao::search::internal

#endif  // BAOGAO_SEARCH_INTERNAL_FACETS_H_
