// One Dictionary shared by many threads, each with its own Segmenter. Run
// under ThreadSanitizer by the test command (build/tsan).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "segment/segment.h"
#include "test_util.h"

namespace baogao::segment {
namespace {

TEST(ThreadsTest, SharedDictionaryGivesSameResults) {
  auto dict = testing::TestDictionary();
  ASSERT_NE(dict, nullptr);
  std::vector<std::string> lines =
      testing::ReadLines(testing::SourcePath("tests/segment/data/diff_corpus.txt"));
  lines.resize(std::min<size_t>(lines.size(), 1500));
  std::vector<std::string> expected;
  {
    Segmenter seg(dict);
    for (const auto& l : lines)
      expected.push_back(testing::Join(seg.Cut(l, {Mode::kSearch, true})));
  }
  constexpr int kThreads = 8;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Segmenter seg(dict);
      // Each thread starts at a different line so they run different work.
      for (size_t k = 0; k < lines.size(); ++k) {
        const size_t i = (k + static_cast<size_t>(t) * 97) % lines.size();
        if (testing::Join(seg.Cut(lines[i], {Mode::kSearch, true})) != expected[i]) {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace baogao::segment
