// RegionCode, Level and MacroRegion: pure functions of the code's digits.
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "region/region.h"

namespace baogao::region {
namespace {

bool KnownProvince(int pp) {
  return (pp >= 11 && pp <= 15) || (pp >= 21 && pp <= 23) || (pp >= 31 && pp <= 37) ||
         (pp >= 41 && pp <= 46) || (pp >= 50 && pp <= 54) || (pp >= 61 && pp <= 65) || pp == 71 ||
         pp == 81 || pp == 82;
}

struct MacroInfo {
  MacroRegion m;
  std::string_view slug;
  std::string_view name;
};
constexpr MacroInfo kMacro[] = {
    {MacroRegion::kHuabei, "huabei", "华北"},   {MacroRegion::kDongbei, "dongbei", "东北"},
    {MacroRegion::kHuadong, "huadong", "华东"}, {MacroRegion::kHuazhong, "huazhong", "华中"},
    {MacroRegion::kHuanan, "huanan", "华南"},   {MacroRegion::kXinan, "xinan", "西南"},
    {MacroRegion::kXibei, "xibei", "西北"},     {MacroRegion::kQuanguo, "quanguo", "全国"},
};

}  // namespace

std::optional<RegionCode> RegionCode::FromInt(int value) {
  if (value == 0) return RegionCode();
  if (value < 110000 || value > 829999) return std::nullopt;
  if (!KnownProvince(value / 10000)) return std::nullopt;
  return RegionCode(value);
}

std::optional<RegionCode> RegionCode::Parse(std::string_view text) {
  if (text.size() != 6) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return FromInt(v);
}

std::string RegionCode::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06d", value_);
  return buf;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kNational:
      return "national";
    case Level::kProvince:
      return "province";
    case Level::kPrefecture:
      return "prefecture";
    case Level::kCounty:
      return "county";
  }
  return "?";
}

std::string_view MacroRegionSlug(MacroRegion m) {
  for (const auto& info : kMacro) {
    if (info.m == m) return info.slug;
  }
  return "";
}

std::string_view MacroRegionName(MacroRegion m) {
  for (const auto& info : kMacro) {
    if (info.m == m) return info.name;
  }
  return "";
}

std::optional<MacroRegion> MacroRegionFromSlug(std::string_view slug) {
  for (const auto& info : kMacro) {
    if (info.slug == slug) return info.m;
  }
  return std::nullopt;
}

MacroRegion MacroRegionOf(RegionCode code) {
  const int pp = code.value() / 10000;
  if (pp >= 11 && pp <= 15) return MacroRegion::kHuabei;
  if (pp >= 21 && pp <= 23) return MacroRegion::kDongbei;
  if ((pp >= 31 && pp <= 37) || pp == 71) return MacroRegion::kHuadong;
  if (pp >= 41 && pp <= 43) return MacroRegion::kHuazhong;
  if ((pp >= 44 && pp <= 46) || pp == 81 || pp == 82) return MacroRegion::kHuanan;
  if (pp >= 50 && pp <= 54) return MacroRegion::kXinan;
  if (pp >= 61 && pp <= 65) return MacroRegion::kXibei;
  return MacroRegion::kQuanguo;  // 000000; RegionCode admits no other province digits
}

const std::vector<MacroRegion>& AllMacroRegions() {
  static const std::vector<MacroRegion> kAll = [] {
    std::vector<MacroRegion> v;
    for (const auto& info : kMacro) v.push_back(info.m);
    return v;
  }();
  return kAll;
}

std::string_view ResolveStatusName(ResolveStatus s) {
  switch (s) {
    case ResolveStatus::kResolved:
      return "resolved";
    case ResolveStatus::kAmbiguous:
      return "ambiguous";
    case ResolveStatus::kNotFound:
      return "not_found";
    case ResolveStatus::kNotADivision:
      return "not_a_division";
  }
  return "?";
}

}  // namespace baogao::region
