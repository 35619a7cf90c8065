// Writes N captchas for the OCR-resistance check (bench/captcha/ocr_check.py):
// DIR/0000.png ... and DIR/answers.tsv ("0000.png<TAB>answer" per line).
// Answers and drawing seeds come from a seeded generator, so a run can be
// repeated exactly.
// Usage: captcha_gen [--plain] DIR [COUNT=500] [SEED=1] [FONT]
// --plain draws the same answers with no rotation, wave or noise: the
// control that shows the OCR check can read what it is given.
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "web/captcha.h"

namespace {

// SplitMix64 standing in for the system CSPRNG, for repeatable runs.
class SeededRandom final : public baogao::web::RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = static_cast<uint8_t>(Next() >> 56);
  }
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

bool ParseU64(std::string_view s, uint64_t* v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  bool plain = !args.empty() && args[0] == "--plain";
  if (plain) args.erase(args.begin());
  if (args.empty() || args.size() > 4) {
    std::cerr << "usage: captcha_gen [--plain] DIR [COUNT=500] [SEED=1] [FONT]\n";
    return 2;
  }
  std::string dir(args[0]);
  uint64_t count = 500, seed = 1;
  if ((args.size() > 1 && !ParseU64(args[1], &count)) ||
      (args.size() > 2 && !ParseU64(args[2], &seed))) {
    std::cerr << "captcha_gen: COUNT and SEED must be non-negative integers\n";
    return 2;
  }
  baogao::web::CaptchaStyle style;
  if (args.size() > 3) style.font_path = args[3];
  if (plain) {
    style.font_size_min = style.font_size_max = 30;
    style.max_rotation_degrees = style.max_baseline_offset = 0;
    style.advance_factor = 1;
    style.wave_amplitude = style.wave_amplitude_x = 0;
    style.noise_curves = style.noise_lines = style.speckles = style.dark_speckles = 0;
  }

  SeededRandom rng(seed);
  std::ofstream tsv(dir + "/answers.tsv");
  if (!tsv) {
    std::cerr << "captcha_gen: cannot write " << dir << "/answers.tsv\n";
    return 1;
  }
  for (uint64_t i = 0; i < count; ++i) {
    std::string answer = baogao::web::NewCaptchaAnswer(rng);
    auto png = baogao::web::RenderCaptchaPng(answer, rng.Next(), style);
    if (!png.ok()) {
      std::cerr << "captcha_gen: " << png.status().ToString() << "\n";
      return 1;
    }
    char name[32];
    std::snprintf(name, sizeof name, "%04llu.png", static_cast<unsigned long long>(i));
    std::ofstream f(dir + "/" + name, std::ios::binary);
    f << *png;
    if (!f) {
      std::cerr << "captcha_gen: cannot write " << dir << "/" << name << "\n";
      return 1;
    }
    tsv << name << '\t' << answer << '\n';
  }
  return tsv.flush() ? 0 : 1;
}
