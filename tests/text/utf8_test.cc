#include <gtest/gtest.h>

#include <string>

#include "text/text.h"

namespace baogao::text {
namespace {

TEST(Utf8Test, DecodesWithOffsets) {
  Decoded d;
  DecodeUtf8("a中𠀀", &d);
  ASSERT_EQ(d.chars().size(), 3u);
  EXPECT_EQ(d.chars()[0], U'a');
  EXPECT_EQ(d.chars()[1], U'中');
  EXPECT_EQ(d.chars()[2], U'\U00020000');
  EXPECT_EQ(std::vector<uint32_t>(d.offsets().begin(), d.offsets().end()),
            (std::vector<uint32_t>{0, 1, 4, 8}));
}

TEST(Utf8Test, EachInvalidByteIsOneUnit) {
  // stray continuation, truncated 3-byte sequence, overlong '/', surrogate,
  // above U+10FFFF, 0xFF.
  const std::string in =
      "\x80"
      "\xE4\xB8"
      "\xC0\xAF"
      "\xED\xA0\x80"
      "\xF4\x90\x80\x80"
      "\xFF"
      "x";
  Decoded d;
  DecodeUtf8(in, &d);
  ASSERT_EQ(d.offsets().size(), d.chars().size() + 1);
  EXPECT_EQ(d.offsets().back(), in.size());
  size_t invalid = 0;
  for (size_t i = 0; i < d.chars().size(); ++i) {
    if (IsInvalidByteUnit(d.chars()[i])) {
      ++invalid;
      EXPECT_EQ(d.offsets()[i + 1] - d.offsets()[i], 1u);
      EXPECT_EQ(d.chars()[i] - kInvalidByteBase, static_cast<unsigned char>(in[d.offsets()[i]]));
    }
  }
  EXPECT_EQ(invalid, in.size() - 1);  // every byte but the final 'x'
  EXPECT_EQ(d.chars().back(), U'x');
  EXPECT_FALSE(IsValidUtf8(in));
  EXPECT_TRUE(IsValidUtf8("政府工作报告"));
}

TEST(Utf8Test, ToValidReplacesInvalidBytes) {
  EXPECT_EQ(ToValidUtf8("a\xFF"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ToValidUtf8("报告"), "报告");
  std::string out;
  AppendUtf8(U'\U0010FFFF', &out);
  AppendUtf8(U'é', &out);
  EXPECT_EQ(out, "\xF4\x8F\xBF\xBF\xC3\xA9");
}

TEST(Utf8Test, EmptyAndNul) {
  Decoded d;
  DecodeUtf8("", &d);
  EXPECT_TRUE(d.chars().empty());
  ASSERT_EQ(d.offsets().size(), 1u);
  EXPECT_EQ(d.offsets()[0], 0u);
  DecodeUtf8(std::string("\0\0", 2), &d);
  EXPECT_EQ(std::vector<char32_t>(d.chars().begin(), d.chars().end()),
            (std::vector<char32_t>{0, 0}));
  // Reuse after a longer input keeps sizes exact.
  DecodeUtf8("报", &d);
  EXPECT_EQ(d.chars().size(), 1u);
  EXPECT_EQ(d.offsets().back(), 3u);
}

}  // namespace
}  // namespace baogao::text
