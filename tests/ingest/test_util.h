// Shared helpers for the ingest tests.
#ifndef BAOGAO_TESTS_INGEST_TEST_UTIL_H_
#define BAOGAO_TESTS_INGEST_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace baogao::ingest::testing {

inline std::string DataPath(const std::string& name) {
  return std::string(BAOGAO_SOURCE_DIR) + "/tests/data/ingest/" + name;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string Data(const std::string& name) { return ReadAll(DataPath(name)); }

}  // namespace baogao::ingest::testing

#endif  // BAOGAO_TESTS_INGEST_TEST_UTIL_H_
