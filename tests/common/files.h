// File helpers shared by the test binaries.
#ifndef BAOGAO_TESTS_COMMON_FILES_H_
#define BAOGAO_TESTS_COMMON_FILES_H_

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace baogao::testing {

// A path inside the source tree (BAOGAO_SOURCE_DIR, set by baogao_test()).
inline std::string SourcePath(const std::string& rel) {
  return std::string(BAOGAO_SOURCE_DIR) + "/" + rel;
}

// The whole file, bytes as they are; a test failure if it cannot be opened.
inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace baogao::testing

#endif  // BAOGAO_TESTS_COMMON_FILES_H_
