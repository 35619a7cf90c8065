#include "web/captcha.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "web/internal/gd_image.h"

namespace baogao::web {
namespace {

// Hands out given bytes in order, then repeats the last one.
class ScriptedRandom final : public RandomSource {
 public:
  explicit ScriptedRandom(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) {
      b = bytes_[std::min(next_, bytes_.size() - 1)];
      ++next_;
    }
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t next_ = 0;
};

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

TEST(CaptchaAlphabetTest, EntropyIsAtLeastTwentyBits) {
  double bits = std::log2(static_cast<double>(kCaptchaAlphabet.size())) * kCaptchaLength;
  EXPECT_GE(bits, 20.0);
  EXPECT_NEAR(bits, 24.53, 0.01);  // log2(17) × 6, as documented in captcha.h
}

TEST(CaptchaAlphabetTest, EachLetterOnceIgnoringCase) {
  std::set<char> seen;
  for (char c : kCaptchaAlphabet) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << c;
    EXPECT_TRUE(seen.insert(Lower(c)).second) << "appears twice ignoring case: " << c;
  }
}

TEST(CaptchaAlphabetTest, NoLookAlikePairs) {
  // Glyph pairs, as drawn, that a reader can confuse once they are turned,
  // waved and crossed by noise lines.
  const std::vector<std::pair<char, char>> kForbidden = {
      {'0', 'O'}, {'0', 'o'}, {'O', 'o'}, {'0', 'D'}, {'O', 'D'}, {'O', 'Q'}, {'0', 'Q'},
      {'1', 'l'}, {'1', 'I'}, {'l', 'I'}, {'1', 'i'}, {'l', 'i'}, {'1', '7'}, {'I', 'J'},
      {'i', 'j'}, {'2', 'Z'}, {'2', 'z'}, {'5', 'S'}, {'5', 's'}, {'8', 'B'}, {'3', '8'},
      {'6', 'b'}, {'6', 'G'}, {'C', 'G'}, {'9', 'g'}, {'9', 'q'}, {'g', 'q'}, {'u', 'v'},
      {'U', 'V'}, {'V', 'Y'}, {'v', 'y'}, {'c', 'e'}, {'c', 'o'}, {'a', 'd'}, {'a', 'o'},
      {'n', 'h'}, {'h', 'k'}, {'h', 'b'}, {'m', 'n'}, {'r', 'n'}, {'n', 'u'}, {'f', 't'},
      {'E', 'F'}, {'t', '+'}, {'7', 'T'},
  };
  auto has = [](char c) { return kCaptchaAlphabet.find(c) != std::string_view::npos; };
  for (auto [a, b] : kForbidden) {
    EXPECT_FALSE(has(a) && has(b)) << "look-alikes both in the alphabet: " << a << " " << b;
  }
  // Characters left out altogether: each has a look-alike in some case.
  for (char c : std::string_view("0Oo1Iil72Zz5Ss8B6bG9gqQuUvVcC")) {
    EXPECT_FALSE(has(c)) << c;
  }
}

TEST(CaptchaAnswerTest, UsesTheAlphabetAndTheDocumentedLength) {
  for (int i = 0; i < 200; ++i) {
    std::string a = NewCaptchaAnswer(SystemRandom());
    ASSERT_EQ(a.size(), kCaptchaLength);
    for (char c : a) EXPECT_NE(kCaptchaAlphabet.find(c), std::string_view::npos) << a;
  }
}

TEST(CaptchaAnswerTest, DiffersAcrossCalls) {
  std::set<std::string> answers;
  for (int i = 0; i < 1000; ++i) answers.insert(NewCaptchaAnswer(SystemRandom()));
  EXPECT_GE(answers.size(), 990u);
}

TEST(CaptchaAnswerTest, EveryCharacterIsReachable) {
  std::set<char> seen;
  for (int i = 0; i < 300; ++i) {
    for (char c : NewCaptchaAnswer(SystemRandom())) seen.insert(c);
  }
  EXPECT_EQ(seen.size(), kCaptchaAlphabet.size());
}

TEST(CaptchaAnswerTest, RejectsBytesThatWouldBiasTheChoice) {
  // 256 = 15 × 17 + 1: byte 255 is dropped; 0 and 17 both mean the first
  // character, 16 and 254 = 14 × 17 + 16 the last.
  static_assert(kCaptchaAlphabet.size() == 17);
  ScriptedRandom rng({255, 0, 255, 16, 17, 254, 255, 1, 2});
  std::string want = {kCaptchaAlphabet[0],  kCaptchaAlphabet[16], kCaptchaAlphabet[0],
                      kCaptchaAlphabet[16], kCaptchaAlphabet[1],  kCaptchaAlphabet[2]};
  EXPECT_EQ(NewCaptchaAnswer(rng), want);
}

TEST(CaptchaPngTest, IsAPngOfTheStyledSize) {
  auto png = RenderCaptchaPng("34AEJK", 42);
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  ASSERT_GE(png->size(), 8u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));

  internal::GdImage img(
      gdImageCreateFromPngPtr(static_cast<int>(png->size()), const_cast<char*>(png->data())));
  ASSERT_NE(img, nullptr);
  CaptchaStyle style;
  EXPECT_EQ(gdImageSX(img.get()), style.width);
  EXPECT_EQ(gdImageSY(img.get()), style.height);
  EXPECT_EQ(gdImageSX(img.get()), 160);
  EXPECT_EQ(gdImageSY(img.get()), 60);

  style.width = 200;
  style.height = 70;
  auto wide = RenderCaptchaPng("34AEJK", 42, style);
  ASSERT_TRUE(wide.ok()) << wide.status().ToString();
  internal::GdImage img2(
      gdImageCreateFromPngPtr(static_cast<int>(wide->size()), const_cast<char*>(wide->data())));
  ASSERT_NE(img2, nullptr);
  EXPECT_EQ(gdImageSX(img2.get()), 200);
  EXPECT_EQ(gdImageSY(img2.get()), 70);
}

TEST(CaptchaPngTest, HasDarkTextOnALightBackground) {
  auto png = RenderCaptchaPng("MWKXNP", 7);
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  internal::GdImage img(
      gdImageCreateFromPngPtr(static_cast<int>(png->size()), const_cast<char*>(png->data())));
  ASSERT_NE(img, nullptr);
  int dark = 0, light = 0;
  for (int y = 0; y < gdImageSY(img.get()); ++y) {
    for (int x = 0; x < gdImageSX(img.get()); ++x) {
      int c = gdImageGetTrueColorPixel(img.get(), x, y);
      int luma =
          (gdTrueColorGetRed(c) * 3 + gdTrueColorGetGreen(c) * 6 + gdTrueColorGetBlue(c)) / 10;
      if (luma < 120) ++dark;
      if (luma > 200) ++light;
    }
  }
  int total = gdImageSX(img.get()) * gdImageSY(img.get());
  EXPECT_GT(dark, total / 20);  // the glyphs and the noise
  EXPECT_GT(light, total / 2);  // the background dominates
}

TEST(CaptchaPngTest, SameSeedSameBytesOtherSeedOtherBytes) {
  auto a = RenderCaptchaPng("dfh34A", 1234);
  auto b = RenderCaptchaPng("dfh34A", 1234);
  auto c = RenderCaptchaPng("dfh34A", 1235);
  auto d = RenderCaptchaPng("dfh34E", 1234);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_NE(*a, *d);
  std::set<std::string> distinct;
  for (uint64_t seed = 0; seed < 20; ++seed)
    distinct.insert(RenderCaptchaPng("AEKMRT", seed).value());
  EXPECT_EQ(distinct.size(), 20u);
}

TEST(CaptchaPngTest, MissingFontIsNotFound) {
  CaptchaStyle style;
  style.font_path = "/nonexistent/baogao/NoSuchFont.ttf";
  auto png = RenderCaptchaPng("34AEJK", 1, style);
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.status().code(), StatusCode::kNotFound);
  EXPECT_NE(png.status().message().find("/nonexistent/baogao/NoSuchFont.ttf"), std::string::npos)
      << png.status().message();
  EXPECT_NE(png.status().message().find("font"), std::string::npos);

  style.font_path = "";
  EXPECT_EQ(RenderCaptchaPng("34AEJK", 1, style).status().code(), StatusCode::kNotFound);
}

TEST(CaptchaPngTest, AFileThatIsNotAFontIsReportedByPath) {
  CaptchaStyle style;
  style.font_path = BAOGAO_SOURCE_DIR "/tests/web/captcha_test.cc";
  auto png = RenderCaptchaPng("34AEJK", 1, style);
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.status().code(), StatusCode::kInternal);
  EXPECT_NE(png.status().message().find("captcha_test.cc"), std::string::npos)
      << png.status().message();
}

TEST(CaptchaPngTest, ThreadsDrawTheSameAsOneThread) {
  std::vector<std::string> want;
  for (uint64_t seed = 0; seed < 8; ++seed)
    want.push_back(RenderCaptchaPng("dKTEfh", seed).value());
  std::vector<std::string> got(want.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < want.size(); ++i) {
    threads.emplace_back([&got, i] { got[i] = RenderCaptchaPng("dKTEfh", i).value(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(got, want);
}

TEST(CaptchaPngTest, RejectsBadAnswersAndSizes) {
  EXPECT_EQ(RenderCaptchaPng("", 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderCaptchaPng(std::string(17, 'A'), 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderCaptchaPng("AB C", 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderCaptchaPng("验证", 1).status().code(), StatusCode::kInvalidArgument);
  CaptchaStyle style;
  style.width = 10;
  EXPECT_EQ(RenderCaptchaPng("34AEJK", 1, style).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace baogao::web
