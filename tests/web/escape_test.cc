// The one-pass escaper of clean text (AppendEscapedIfClean) against the
// two-step path it replaces: IsCleanUtf8, then AppendHtmlEscaped of
// CleanUtf8.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "web/http.h"
#include "web/internal/site_impl.h"

namespace baogao::web {
namespace {

void Check(const std::string& s) {
  for (std::string_view apos : {std::string_view("&#39;"), std::string_view("&apos;")}) {
    std::string fast = "prefix";
    const bool clean = AppendEscapedIfClean(s, apos, &fast);
    ASSERT_EQ(clean, IsCleanUtf8(s)) << testing::PrintToString(s);
    if (clean) {
      std::string slow = "prefix";
      AppendHtmlEscaped(CleanUtf8(s), apos, &slow);
      ASSERT_EQ(fast, slow) << testing::PrintToString(s);
    } else {
      ASSERT_EQ(fast, "prefix") << "left as it was";
    }
  }
}

TEST(EscapeTest, KnownStrings) {
  std::string out;
  ASSERT_TRUE(AppendEscapedIfClean("<a href=\"x\">'&'</a> 发展", "&#39;", &out));
  EXPECT_EQ(out, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; 发展");
  for (const std::string& s : std::initializer_list<std::string>{
           "", "plain", "\t\n\r", std::string("a\0b", 3), "\x01", "\x7f", "\xef\xbf\xbe",
           "\xef\xbf\xbf", "\xef\xbf\xbd", "\xed\xa0\x80", "\xe0\x80\xaf", "\xc0\xaf",
           "\xf4\x90\x80\x80", "\xf0\x9f\x98\x80", "\xe4\xb8", "\xe4", "\xc2\x85",
           "臺灣 ＰＭ２．５", "\xee\x80\x80"}) {
    Check(s);
  }
}

TEST(EscapeTest, RandomBytesAgreeWithTheTwoStepPath) {
  std::mt19937 rng(20261129);
  const std::string pieces[] = {"a",
                                "<",
                                ">",
                                "&",
                                "\"",
                                "'",
                                "发",
                                "展",
                                "\t",
                                "\x01",
                                "\x7f",
                                "\xef\xbf\xbe",
                                "\xef\xbf\xbf",
                                "\xef\xbf",
                                "\xed\xa0\x80",
                                "\xe0\xa0\x80",
                                "\xe0\x80\x80",
                                "\xf0\x90\x80\x80",
                                "\xc3\xa9",
                                "\x80",
                                "\xff",
                                "\xee\x80\x80",
                                "\xec\xbf\xbf"};
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      if (rng() % 4 == 0) {
        s.push_back(static_cast<char>(rng() & 0xFF));
      } else {
        s += pieces[rng() % std::size(pieces)];
      }
    }
    Check(s);
  }
}

}  // namespace
}  // namespace baogao::web
