// Shared helpers for the ingest tests.
#ifndef BAOGAO_TESTS_INGEST_TEST_UTIL_H_
#define BAOGAO_TESTS_INGEST_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "../common/files.h"

namespace baogao::ingest::testing {

using baogao::testing::ReadAll;

inline std::string DataPath(const std::string& name) {
  return baogao::testing::SourcePath("tests/data/ingest/" + name);
}

inline std::string Data(const std::string& name) { return ReadAll(DataPath(name)); }

}  // namespace baogao::ingest::testing

#endif  // BAOGAO_TESTS_INGEST_TEST_UTIL_H_
