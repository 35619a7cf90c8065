#include "search/internal/facets.h"

namespace baogao::search::internal {

region::RegionCode ToRegionCode(report::RegionCode code) {
  if (code.value() == report::RegionCode::kNational) return region::RegionCode::kNational;
  return region::RegionCode::FromInt(code.value()).value_or(region::RegionCode::kNational);
}

FacetKeys FacetKeysOf(const report::Report& r) {
  FacetKeys k;
  if (r.region) {
    const region::RegionCode code = ToRegionCode(*r.region);
    k.macro_region = std::string(region::MacroRegionSlug(region::MacroRegionOf(code)));
    if (!code.IsNational()) k.province = code.Province().ToString();
  }
  k.level = std::string(report::AdminLevelSlug(r.level));
  k.type = std::string(report::ReportTypeSlug(r.type));
  k.year = std::to_string(r.year);
  return k;
}

std::string FacetLabel(const std::string& facet, const std::string& key,
                       const region::RegionTable* regions) {
  if (facet == "macro_region") {
    if (auto m = region::MacroRegionFromSlug(key)) return std::string(region::MacroRegionName(*m));
  } else if (facet == "province") {
    auto code = region::RegionCode::Parse(key);
    if (code && regions != nullptr) {
      if (const region::Region* r = regions->Find(*code)) return r->name;
    }
  } else if (facet == "level") {
    if (auto l = report::AdminLevelFromSlug(key); l.ok()) {
      return std::string(report::AdminLevelName(*l));
    }
  } else if (facet == "type") {
    if (auto t = report::ReportTypeFromSlug(key); t.ok()) {
      return std::string(report::ReportTypeName(*t));
    }
  }
  return key;
}

}  // namespace baogao::search::internal
