// The name index behind RegionTable::Resolve: every name and short name a
// code carried, with the years it carried it.
#ifndef BAOGAO_REGION_INTERNAL_INDEX_H_
#define BAOGAO_REGION_INTERNAL_INDEX_H_

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "region/region.h"

namespace baogao::region {

struct RegionTable::Index {
  struct Entry {
    RegionCode code;
    std::optional<int> from_year;
    std::optional<int> to_year;
    bool ongoing = false;  // the code's current name (to_year unset, code current)
    bool full = false;     // the full name, not a short name
  };
  std::unordered_map<std::string, std::vector<Entry>> by_name;
  size_t max_key_bytes = 0;
};

}  // namespace baogao::region

#endif  // BAOGAO_REGION_INTERNAL_INDEX_H_
