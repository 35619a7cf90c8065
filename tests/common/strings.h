// String helpers for assertions on pages and program output.
#ifndef BAOGAO_TESTS_COMMON_STRINGS_H_
#define BAOGAO_TESTS_COMMON_STRINGS_H_

#include <cstddef>
#include <string_view>

namespace baogao::testing {

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// How many times `needle` (not empty) occurs in `haystack`, without overlaps.
inline size_t Count(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace baogao::testing

#endif  // BAOGAO_TESTS_COMMON_STRINGS_H_
