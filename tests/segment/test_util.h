// Shared helpers for the segment tests.
#ifndef BAOGAO_TESTS_SEGMENT_TEST_UTIL_H_
#define BAOGAO_TESTS_SEGMENT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../common/files.h"
#include "segment/segment.h"

namespace baogao::segment::testing {

using baogao::testing::ReadAll;
using baogao::testing::SourcePath;

// Lines of a file split the way `python3 -m jieba FILE` splits them
// (universal newlines), for the golden files, which use plain "\n".
inline std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(ReadAll(path));
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// The compiled jieba dictionary the build produced, loaded once per process.
inline std::shared_ptr<const Dictionary> TestDictionary() {
  static std::shared_ptr<const Dictionary> dict = [] {
    DictionaryOptions opts;
    opts.path = BAOGAO_TEST_DICT;
    auto d = Dictionary::Load(opts);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : nullptr;
  }();
  return dict;
}

inline std::string Join(const std::vector<Token>& tokens, const std::string& sep = " / ") {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += sep;
    out.append(tokens[i].text);
  }
  return out;
}

}  // namespace baogao::segment::testing

#endif  // BAOGAO_TESTS_SEGMENT_TEST_UTIL_H_
