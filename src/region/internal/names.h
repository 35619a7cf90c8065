// Name handling shared by the loaders and the resolver: suffix stripping,
// grouping rows, UTF-8 character counting.
#ifndef BAOGAO_REGION_INTERNAL_NAMES_H_
#define BAOGAO_REGION_INTERNAL_NAMES_H_

#include <string>
#include <string_view>

namespace baogao::region::internal {

// Number of UTF-8 characters (lead bytes) in `s`.
size_t CharCount(std::string_view s);

// The name without its administrative suffix and ethnic qualifiers:
// 山东省→山东, 陵县→陵, 恩施土家族苗族自治州→恩施, 广西壮族自治区→广西.
// May be a single character; may equal `name` when nothing is recognised.
std::string Stem(std::string_view name);

// Stem() unless that would leave fewer than two characters, in which case
// the full name (陵县, 城区): that is how such names are written in prose.
std::string ShortName(std::string_view name);

// 市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划 and similar rows that
// group divisions without being one.
bool IsGroupingName(std::string_view name);

// Short names too common as ordinary words to be matched on their own.
bool IsGenericShortName(std::string_view short_name);

}  // namespace baogao::region::internal

#endif  // BAOGAO_REGION_INTERNAL_NAMES_H_
