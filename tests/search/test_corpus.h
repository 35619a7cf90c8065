// Helpers shared by the search tests: a temporary directory, the build's
// dictionary, random report text over a small alphabet (so that queries hit
// many reports and every folding rule of text/fold.h matters), and the
// naive reference functions the index is checked against.
#ifndef BAOGAO_TESTS_SEARCH_TEST_CORPUS_H_
#define BAOGAO_TESTS_SEARCH_TEST_CORPUS_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../common/files.h"
#include "../common/fixtures.h"
#include "base/check.h"
#include "report/report.h"
#include "search/search.h"
#include "segment/segment.h"
#include "store/store.h"
#include "text/text.h"

namespace baogao::search::testing {

// A fresh directory (removed at the end) and the build's dictionary.
using TempDir = baogao::testing::ScratchDir;
using baogao::testing::TestDictionary;

// Catches the index up with `store` through *writer (opened with `index` on
// first use), then opens *searcher with `options` on first use or refreshes
// it.
inline void CatchUpAndRefresh(const IndexOptions& index, const SearcherOptions& options,
                              store::Store& store, std::unique_ptr<IndexWriter>* writer,
                              std::unique_ptr<Searcher>* searcher) {
  if (*writer == nullptr) {
    auto w = IndexWriter::Open(index);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    *writer = std::move(*w);
  }
  auto applied = (*writer)->CatchUp(store);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  if (*searcher == nullptr) {
    auto s = Searcher::Open(options);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    *searcher = std::move(*s);
  } else {
    const Status refreshed = (*searcher)->Refresh();
    ASSERT_TRUE(refreshed.ok()) << refreshed.ToString();
  }
}

// Every report of `store`, with its body (an empty list, and a test failure,
// if the store cannot list them).
inline std::vector<report::Report> AllReports(store::Store& store) {
  store::ListFilter all;
  all.limit = 1000000;
  all.with_body = true;
  auto list = store.List(all);
  EXPECT_TRUE(list.ok()) << list.status().ToString();
  return list.ok() ? std::move(*list) : std::vector<report::Report>();
}

// The seed: $BAOGAO_SEED when set, else `fallback`; printed with `test`'s
// name and how to replay it.
inline uint64_t SeedFromEnv(const char* test, uint64_t fallback) {
  const char* s = std::getenv("BAOGAO_SEED");
  const uint64_t seed = s == nullptr || *s == '\0' ? fallback : std::strtoull(s, nullptr, 10);
  std::printf("%s seed: %llu (replay with BAOGAO_SEED=%llu)\n", test,
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  return seed;
}

// The code points of valid UTF-8 `s`.
inline std::u32string Chars(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    out.push_back(text::DecodeOne(s, i, &len));
    i += len;
  }
  return out;
}

inline std::string Utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) text::AppendUtf8(c, &out);
  return out;
}

// Non-overlapping occurrences of `term` in `text`, scanning left to right
// like Python's str.count; 0 for an empty term. Written without
// std::u32string::find on purpose: it is the reference.
inline int64_t NaiveCount(std::u32string_view text, std::u32string_view term) {
  if (term.empty()) return 0;
  int64_t n = 0;
  size_t i = 0;
  while (i + term.size() <= text.size()) {
    size_t k = 0;
    while (k < term.size() && text[i + k] == term[k]) ++k;
    if (k == term.size()) {
      ++n;
      i += term.size();
    } else {
      ++i;
    }
  }
  return n;
}

// Random report text: mostly a small set of simplified characters, with
// traditional ones (which fold to those), ASCII in mixed case, full-width
// forms, whitespace and zero-width characters, and some fixed phrases.
class TextGenerator {
 public:
  explicit TextGenerator(std::mt19937_64* rng) : rng_(rng) {}

  std::string Char() {
    const int k = Uniform(0, 99);
    if (k < 66) return Pick(kSimplified);
    if (k < 76) return Pick(kTraditional);
    if (k < 84) return Pick(kAscii);
    if (k < 90) return Pick(kFullWidth);
    if (k < 95) return Pick(kSpaces);
    return Pick(kPunctuation);
  }

  // `min`..`max` characters, with the odd fixed phrase or repeated run.
  std::string Text(int min, int max) {
    const int n = Uniform(min, max);
    std::string out;
    for (int i = 0; i < n; ++i) {
      const int k = Uniform(0, 99);
      if (k < 4) {
        out += Pick(kPhrases);
      } else if (k < 6) {
        const std::string c = Pick(kSimplified);
        for (int r = Uniform(2, 5); r > 0; --r) out += c;
      } else {
        out += Char();
      }
    }
    return out;
  }

  // Traditional → simplified and back for the characters used here, to
  // turn a query into its other script (the test's own table, independent
  // of OpenCC's).
  static std::string ToSimplified(std::string_view s) {
    return Map(s, kTraditional, kSimplifiedOf);
  }
  static std::string ToTraditional(std::string_view s) {
    return Map(s, kSimplifiedOf, kTraditional);
  }
  // ASCII letters and digits to their full-width forms; letters upper case.
  static std::string ToFullWidth(std::string_view s) {
    std::string out;
    for (char32_t c : Chars(s)) {
      if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) c += 0xFEE0;
      text::AppendUtf8(c, &out);
    }
    return out;
  }
  static std::string ToUpperAscii(std::string s) {
    for (char& c : s) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return s;
  }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(*rng_); }

  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Uniform(0, static_cast<int>(v.size()) - 1))];
  }

 private:
  static std::vector<std::string> Split(std::string_view s) {
    std::vector<std::string> out;
    for (char32_t c : Chars(s)) out.push_back(Utf8(std::u32string(1, c)));
    return out;
  }
  static std::string Map(std::string_view s, const std::vector<std::string>& from,
                         const std::vector<std::string>& to) {
    std::string out;
    for (char32_t c : Chars(s)) {
      std::string ch = Utf8(std::u32string(1, c));
      for (size_t i = 0; i < from.size(); ++i) {
        if (from[i] == ch) {
          ch = to[i];
          break;
        }
      }
      out += ch;
    }
    return out;
  }

  inline static const std::vector<std::string> kSimplified =
      Split("发展处理待改革高质量经济社会生态环境民生乡村振兴明厨亮灶暖留台湾");
  // Pairwise: kTraditional[i] folds to kSimplifiedOf[i].
  inline static const std::vector<std::string> kTraditional = Split("發處質經濟環態鄉興廚竈臺灣會");
  inline static const std::vector<std::string> kSimplifiedOf =
      Split("发处质经济环态乡兴厨灶台湾会");
  inline static const std::vector<std::string> kAscii = Split("PMpmGgDdAa0123456789.-:");
  inline static const std::vector<std::string> kFullWidth = Split("ＰＭｐｍＧＤ０１２５．－：");
  inline static const std::vector<std::string> kSpaces = {" ",      "\u3000", "\u200B", "\u00A0",
                                                          "\uFEFF", "\u2060", "\t"};
  inline static const std::vector<std::string> kPunctuation = {
      "，", "。", "、", "（", "）", "(", ")", "“", "”", "「", "」", "\"", "OR", "|"};
  inline static const std::vector<std::string> kPhrases = {
      "高质量发展", "高 质量\u3000发展", "高\u200B质量", "ＰＭ２．５", "PM2.5", "pm2.5", "臺灣",
      "台湾",       "明厨亮灶",          "明廚亮竈",     "GDP",        "ｇｄｐ"};

  std::mt19937_64* rng_;
};

}  // namespace baogao::search::testing

#endif  // BAOGAO_TESTS_SEARCH_TEST_CORPUS_H_
