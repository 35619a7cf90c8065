// RegionCode: a GB/T 2260 administrative division code (six digits, e.g.
// 370000 山东省, 371400 德州市, 371403 陵城区).
//
// Deliberately minimal: a validated integer and the level its digits imply.
// Names, parents and renamed divisions belong to src/region.
#ifndef BAOGAO_REPORT_REGION_CODE_H_
#define BAOGAO_REPORT_REGION_CODE_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace baogao::report {

class RegionCode {
 public:
  // 100000 is used for the country as a whole (中华人民共和国) by reports
  // issued by 国务院.
  static constexpr int32_t kNational = 100000;

  // Accepts 100000..999999 (six digits, no leading zero). Errors:
  // kInvalidArgument naming the value.
  static Result<RegionCode> FromInt(int64_t value);
  // Parses exactly six ASCII digits. Errors: kInvalidArgument quoting the text.
  static Result<RegionCode> Parse(std::string_view text);

  int32_t value() const { return value_; }
  // Six digits, e.g. "371403".
  std::string ToString() const;

  bool is_national() const { return value_ == kNational; }
  // What the digits imply: xx0000 a province, xxyy00 a prefecture, anything
  // else a county-level division.
  bool is_province() const { return !is_national() && value_ % 10000 == 0; }
  bool is_prefecture() const { return value_ % 100 == 0 && value_ % 10000 != 0; }
  bool is_county() const { return value_ % 100 != 0; }

  auto operator<=>(const RegionCode&) const = default;

 private:
  explicit RegionCode(int32_t value) : value_(value) {}
  int32_t value_;
};

}  // namespace baogao::report

#endif  // BAOGAO_REPORT_REGION_CODE_H_
