// File helpers shared by the test binaries.
#ifndef BAOGAO_TESTS_COMMON_FILES_H_
#define BAOGAO_TESTS_COMMON_FILES_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
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

// /dev/shm when there is one, else the system's temp directory: for tests
// that commit (fsync) thousands of times.
inline std::filesystem::path MemoryTempDir() {
  std::error_code ec;
  return std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                       : std::filesystem::temp_directory_path();
}

// A fresh directory under `base` (the system's temp directory unless
// given), removed with everything in it when the object goes.
class ScratchDir {
 public:
  explicit ScratchDir(const std::filesystem::path& base = std::filesystem::temp_directory_path()) {
    std::string tmpl = (base / "baogao_test_XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace baogao::testing

#endif  // BAOGAO_TESTS_COMMON_FILES_H_
