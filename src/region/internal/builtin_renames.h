// A short table of well-known renames and county→district conversions, so
// that old names resolve without the GB/T 2260 revision files.
#ifndef BAOGAO_REGION_INTERNAL_BUILTIN_RENAMES_H_
#define BAOGAO_REGION_INTERNAL_BUILTIN_RENAMES_H_

#include <span>
#include <string_view>

namespace baogao::region::internal {

struct BuiltinRename {
  int old_code;
  std::string_view old_name;
  int new_code;  // equal to old_code for a rename that kept the code
  std::string_view new_name;
  int year;  // the year of the change: old name in use until, new name from
};

std::span<const BuiltinRename> BuiltinRenames();

}  // namespace baogao::region::internal

#endif  // BAOGAO_REGION_INTERNAL_BUILTIN_RENAMES_H_
