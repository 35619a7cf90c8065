#include "web/captcha.h"

#include <errno.h>
#include <fcntl.h>
#include <gd.h>
#include <pthread.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <numbers>
#include <optional>
#include <vector>

#include "base/chacha20.h"
#include "base/check.h"
#include "web/internal/gd_image.h"

namespace baogao::web {
namespace {

using internal::GdBuffer;
using internal::GdImage;

class OsRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    size_t done = 0;
    while (done < out.size()) {
      ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == ENOSYS) {
        FillFromDevUrandom(out.subspan(done));
        return;
      }
      CHECK(n > 0) << "getrandom: " << std::strerror(errno);
      done += static_cast<size_t>(n);
    }
  }

 private:
  static void FillFromDevUrandom(std::span<uint8_t> out) {
    int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0) << "/dev/urandom: " << std::strerror(errno);
    size_t done = 0;
    while (done < out.size()) {
      ssize_t n = ::read(fd, out.data() + done, out.size() - done);
      if (n < 0 && errno == EINTR) continue;
      CHECK(n > 0) << "/dev/urandom: " << (n == 0 ? "end of file" : std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    ::close(fd);
  }
};

// SplitMix64: the drawing's own generator, so that a seed gives the same
// picture with every standard library (std:: distributions are not
// specified bit for bit). Not a CSPRNG; the seed is the secret.
class DrawRng {
 public:
  explicit DrawRng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi).
  double Real(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(Next() >> 11) * 0x1.0p-53;
  }
  // Uniform in [lo, hi].
  int Int(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Coin() { return (Next() & 1) != 0; }

 private:
  uint64_t state_;
};

constexpr double kPi = std::numbers::pi;
// gd measures FreeType sizes in points at 96 dpi; the style speaks pixels.
constexpr double kPointsPerPixel = 72.0 / 96.0;

// A dark colour for text: at most 110 per channel, so the contrast with the
// light background (≥ 215) stays high for people.
int DarkColour(DrawRng& rng) {
  return gdTrueColor(rng.Int(0, 110), rng.Int(0, 90), rng.Int(0, 110));
}

int Channel(int colour, int shift) { return (colour >> shift) & 0xff; }

// The colour at (x, y) of a true-colour image, bilinearly sampled, with
// coordinates clamped to the image.
int Sample(gdImagePtr img, double x, double y) {
  int w = gdImageSX(img), h = gdImageSY(img);
  x = std::clamp(x, 0.0, static_cast<double>(w - 1));
  y = std::clamp(y, 0.0, static_cast<double>(h - 1));
  int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  int x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
  double fx = x - x0, fy = y - y0;
  std::array<int, 4> c = {
      gdImageGetTrueColorPixel(img, x0, y0), gdImageGetTrueColorPixel(img, x1, y0),
      gdImageGetTrueColorPixel(img, x0, y1), gdImageGetTrueColorPixel(img, x1, y1)};
  int out = 0;
  for (int shift : {16, 8, 0}) {
    double top = Channel(c[0], shift) * (1 - fx) + Channel(c[1], shift) * fx;
    double bottom = Channel(c[2], shift) * (1 - fx) + Channel(c[3], shift) * fx;
    int v = static_cast<int>(std::lround(top * (1 - fy) + bottom * fy));
    out |= std::clamp(v, 0, 255) << shift;
  }
  return out;
}

// Draws a sine curve from the left edge to the right one.
void DrawCurve(gdImagePtr img, DrawRng& rng, int colour) {
  int w = gdImageSX(img), h = gdImageSY(img);
  double centre = h / 2.0 + rng.Real(-h / 6.0, h / 6.0);
  double amplitude = rng.Real(h / 10.0, h / 4.5);
  double period = rng.Real(w / 2.5, w * 1.2);
  double phase = rng.Real(0, 2 * kPi);
  double tilt = rng.Real(-h / 4.0, h / 4.0) / w;
  int prev_x = 0;
  int prev_y = static_cast<int>(std::lround(centre + amplitude * std::sin(phase)));
  for (int x = 3; x < w + 3; x += 3) {
    int y = static_cast<int>(std::lround(centre + (x - w / 2.0) * tilt +
                                         amplitude * std::sin(2 * kPi * x / period + phase)));
    gdImageLine(img, prev_x, prev_y, x, y, colour);
    prev_x = x;
    prev_y = y;
  }
}

Status CheckStyle(std::string_view answer, const CaptchaStyle& style) {
  if (answer.empty() || answer.size() > 16) {
    return Status::InvalidArgument("captcha answer must have 1 to 16 characters, not " +
                                   std::to_string(answer.size()));
  }
  for (char c : answer) {
    if (c < 0x21 || c > 0x7e) {
      return Status::InvalidArgument(
          "captcha answer holds a character that is not printable ASCII");
    }
  }
  if (style.width < 40 || style.width > 1000 || style.height < 20 || style.height > 400) {
    return Status::InvalidArgument("captcha size " + std::to_string(style.width) + "x" +
                                   std::to_string(style.height) +
                                   " is out of range (40..1000 x 20..400)");
  }
  if (!(style.font_size_min > 0 && style.font_size_min <= style.font_size_max)) {
    return Status::InvalidArgument("captcha font sizes must satisfy 0 < min <= max");
  }
  if (style.font_path.empty()) return Status::NotFound("captcha font path is empty");
  if (::access(style.font_path.c_str(), R_OK) != 0) {
    return Status::NotFound("captcha font " + style.font_path + ": " + std::strerror(errno) +
                            " (install fonts-dejavu-core, or set the captcha font path)");
  }
  return Status::Ok();
}

// gd's font cache must be set up once before threads share it.
void SetUpFontCache() {
  static std::once_flag once;
  std::call_once(once, [] { CHECK(gdFontCacheSetup() == 0) << "gdFontCacheSetup failed"; });
}

// Runs gdImageStringFT (img null: measure only) and turns its error string
// into a Status.
Status StringFT(gdImagePtr img, std::array<int, 8>* rect, int colour, const CaptchaStyle& style,
                double size_px, double angle, int x, int y, const std::string& text) {
  char* err = gdImageStringFT(img, rect->data(), colour, style.font_path.c_str(),
                              size_px * kPointsPerPixel, angle, x, y, text.c_str());
  if (err != nullptr) {
    return Status::Internal("libgd cannot draw with font " + style.font_path + ": " + err);
  }
  return Status::Ok();
}

struct Glyph {
  std::string text;
  double size = 0;
  double angle = 0;  // radians, counter-clockwise
  double width = 0;  // unrotated advance box, pixels
  double offset = 0;
  int colour = 0;
};

}  // namespace

RandomSource& SystemRandom() {
  static OsRandom* const kRandom = new OsRandom();
  return *kRandom;
}

namespace {

// Bumped in the child after fork(): a thread-local stream copied into the
// child must not repeat the parent's bytes.
std::atomic<uint64_t> g_fork_generation{0};

class ThreadRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    struct Local {
      std::optional<ChaCha20Stream> stream;
      uint64_t generation = 0;
    };
    thread_local Local local;
    const uint64_t generation = g_fork_generation.load(std::memory_order_relaxed);
    if (!local.stream || local.generation != generation ||
        local.stream->produced() >= kReseedBytes) {
      std::array<uint8_t, 32> seed;
      SystemRandom().Fill(seed);
      local.stream.emplace(seed);
      std::fill(seed.begin(), seed.end(), uint8_t{0});
      local.generation = generation;
    }
    local.stream->Fill(out);
  }

 private:
  static constexpr uint64_t kReseedBytes = 1 << 20;
};

}  // namespace

RandomSource& FastRandom() {
  static ThreadRandom* const kRandom = [] {
    pthread_atfork(nullptr, nullptr, [] { g_fork_generation.fetch_add(1); });
    return new ThreadRandom();
  }();
  return *kRandom;
}

std::string NewCaptchaAnswer(RandomSource& rng) {
  constexpr size_t kN = kCaptchaAlphabet.size();
  static_assert(kN > 1 && kN <= 256);
  // Bytes at or above `limit` are dropped, so every character is equally likely.
  constexpr unsigned kLimit = 256 - 256 % kN;
  std::string answer;
  std::array<uint8_t, 32> buf;
  while (answer.size() < kCaptchaLength) {
    rng.Fill(buf);
    for (uint8_t b : buf) {
      if (b >= kLimit) continue;
      answer.push_back(kCaptchaAlphabet[b % kN]);
      if (answer.size() == kCaptchaLength) break;
    }
  }
  return answer;
}

Result<std::string> RenderCaptchaPng(std::string_view answer, uint64_t seed,
                                     const CaptchaStyle& style) {
  BAOGAO_RETURN_IF_ERROR(CheckStyle(answer, style));
  SetUpFontCache();
  DrawRng rng(seed);
  const int w = style.width, h = style.height;

  GdImage canvas(gdImageCreateTrueColor(w, h));
  GdImage out(gdImageCreateTrueColor(w, h));
  if (!canvas || !out) return Status::Internal("libgd cannot allocate a captcha image");
  gdImageAlphaBlending(canvas.get(), 1);

  // Background: a horizontal blend of two light colours, and light speckle.
  std::array<int, 3> left = {rng.Int(215, 255), rng.Int(215, 255), rng.Int(215, 255)};
  std::array<int, 3> right = {rng.Int(215, 255), rng.Int(215, 255), rng.Int(215, 255)};
  for (int x = 0; x < w; ++x) {
    double t = static_cast<double>(x) / (w - 1);
    int c = gdTrueColor(static_cast<int>(left[0] + (right[0] - left[0]) * t),
                        static_cast<int>(left[1] + (right[1] - left[1]) * t),
                        static_cast<int>(left[2] + (right[2] - left[2]) * t));
    gdImageLine(canvas.get(), x, 0, x, h - 1, c);
  }
  for (int i = 0; i < style.speckles; ++i) {
    int c = gdTrueColor(rng.Int(140, 220), rng.Int(140, 220), rng.Int(140, 220));
    int x = rng.Int(0, w - 1), y = rng.Int(0, h - 1);
    if (rng.Int(0, 3) == 0) {
      gdImageFilledRectangle(canvas.get(), x, y, x + 1, y + 1, c);
    } else {
      gdImageSetPixel(canvas.get(), x, y, c);
    }
  }

  // Glyphs: each with its own size, rotation, baseline and colour, packed
  // so that neighbours touch or overlap.
  std::vector<Glyph> glyphs;
  double total = 0;
  for (size_t i = 0; i < answer.size(); ++i) {
    Glyph g;
    g.text = std::string(1, answer[i]);
    g.size = rng.Real(style.font_size_min, style.font_size_max);
    g.angle = rng.Real(-style.max_rotation_degrees, style.max_rotation_degrees) * kPi / 180;
    g.offset = rng.Real(-style.max_baseline_offset, style.max_baseline_offset);
    g.colour = DarkColour(rng);
    std::array<int, 8> rect{};
    BAOGAO_RETURN_IF_ERROR(StringFT(nullptr, &rect, 0, style, g.size, 0, 0, 0, g.text));
    g.width = rect[2] - rect[0];
    total += i + 1 < answer.size() ? g.width * style.advance_factor : g.width;
    glyphs.push_back(std::move(g));
  }
  double pen = (w - total) / 2 + rng.Real(-w / 40.0, w / 40.0);
  for (const Glyph& g : glyphs) {
    // Rotate about the glyph's own centre: measure the turned box at the
    // origin, then move its centre to where the glyph belongs.
    std::array<int, 8> rect{};
    BAOGAO_RETURN_IF_ERROR(StringFT(nullptr, &rect, 0, style, g.size, g.angle, 0, 0, g.text));
    double bx = (rect[0] + rect[2] + rect[4] + rect[6]) / 4.0;
    double by = (rect[1] + rect[3] + rect[5] + rect[7]) / 4.0;
    double cx = pen + g.width / 2, cy = h / 2.0 + g.offset;
    BAOGAO_RETURN_IF_ERROR(StringFT(canvas.get(), &rect, g.colour, style, g.size, g.angle,
                                    static_cast<int>(std::lround(cx - bx)),
                                    static_cast<int>(std::lround(cy - by)), g.text));
    pen += g.width * style.advance_factor;
  }

  // Noise through the text, in the text's colours and about a stroke's
  // weight, so that a threshold cannot tell it from the glyphs.
  for (int i = 0; i < style.noise_curves; ++i) {
    gdImageSetThickness(canvas.get(), 2);
    DrawCurve(canvas.get(), rng, glyphs[rng.Int(0, static_cast<int>(glyphs.size()) - 1)].colour);
  }
  for (int i = 0; i < style.noise_lines; ++i) {
    gdImageSetThickness(canvas.get(), 1);
    int y0 = rng.Int(h / 5, h - h / 5), y1 = rng.Int(h / 5, h - h / 5);
    int x0 = rng.Int(0, w / 4), x1 = rng.Int(w - w / 4, w - 1);
    gdImageLine(canvas.get(), x0, y0, x1, y1,
                glyphs[rng.Int(0, static_cast<int>(glyphs.size()) - 1)].colour);
  }
  gdImageSetThickness(canvas.get(), 1);

  // Wave: every pixel of the output comes from a point of the canvas moved
  // by a sine of the other coordinate.
  double period_y = rng.Real(w / 3.0, w / 1.5), phase_y = rng.Real(0, 2 * kPi);
  double period_x = rng.Real(h / 1.5, h * 1.5), phase_x = rng.Real(0, 2 * kPi);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      double sx = x + style.wave_amplitude_x * std::sin(2 * kPi * y / period_x + phase_x);
      double sy = y + style.wave_amplitude * std::sin(2 * kPi * x / period_y + phase_y);
      gdImageSetPixel(out.get(), x, y, Sample(canvas.get(), sx, sy));
    }
  }
  for (int i = 0; i < style.dark_speckles; ++i) {
    int x = rng.Int(0, w - 1), y = rng.Int(0, h - 1);
    gdImageSetPixel(out.get(), x, y,
                    glyphs[rng.Int(0, static_cast<int>(glyphs.size()) - 1)].colour);
  }

  int size = 0;
  GdBuffer png(gdImagePngPtr(out.get(), &size));
  if (!png || size <= 0) return Status::Internal("libgd cannot encode the captcha as PNG");
  return std::string(static_cast<const char*>(png.get()), static_cast<size_t>(size));
}

}  // namespace baogao::web
