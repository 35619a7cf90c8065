// ChaCha20 against RFC 8439's vectors, and the key-erasing stream's
// properties.
#include "base/chacha20.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace baogao {
namespace {

std::string Hex(std::span<const uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

TEST(ChaCha20Test, Rfc8439BlockVectors) {
  std::array<uint8_t, 32> key;
  for (int i = 0; i < 32; ++i) key[i] = static_cast<uint8_t>(i);
  const std::array<uint8_t, 12> nonce{0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0};
  std::array<uint8_t, 64> out;
  ChaCha20Block(key, 1, nonce, out);  // §2.3.2
  EXPECT_EQ(Hex(out),
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
  const std::array<uint8_t, 32> zero_key{};
  const std::array<uint8_t, 12> zero_nonce{};
  ChaCha20Block(zero_key, 0, zero_nonce, out);  // Appendix A.1, test vector #1
  EXPECT_EQ(Hex(out),
            "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
            "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
}

TEST(ChaCha20Test, StreamIsTheErasingKeystream) {
  std::array<uint8_t, 32> seed{};
  seed[0] = 1;
  ChaCha20Stream a(seed);
  // The first refill: 16 blocks under the seed; bytes 0..31 became the next
  // key, output starts at byte 32.
  std::vector<uint8_t> expect(64 * 16);
  const std::array<uint8_t, 12> nonce{};
  for (uint32_t b = 0; b < 16; ++b) {
    ChaCha20Block(seed, b, nonce, std::span<uint8_t, 64>(expect.data() + 64 * b, 64));
  }
  std::vector<uint8_t> got(expect.size() - 32);
  // In uneven pieces: the same bytes.
  size_t done = 0;
  for (size_t piece = 1; done < got.size(); ++piece) {
    const size_t n = std::min(piece, got.size() - done);
    a.Fill(std::span<uint8_t>(got.data() + done, n));
    done += n;
  }
  EXPECT_EQ(Hex(got), Hex(std::span<const uint8_t>(expect).subspan(32)));
  EXPECT_EQ(a.produced(), got.size());
  // The next refill is keyed by the first refill's first 32 bytes.
  std::array<uint8_t, 32> next_key;
  std::copy(expect.begin(), expect.begin() + 32, next_key.begin());
  std::array<uint8_t, 64> block;
  ChaCha20Block(next_key, 0, nonce, block);
  std::array<uint8_t, 32> after;
  a.Fill(after);
  EXPECT_EQ(Hex(after), Hex(std::span<const uint8_t>(block).subspan(32)));
}

TEST(ChaCha20Test, DifferentSeedsDifferentStreams) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::array<uint8_t, 32> seed{};
    seed[31] = static_cast<uint8_t>(i);
    ChaCha20Stream s(seed);
    std::array<uint8_t, 16> out;
    s.Fill(out);
    seen.insert(Hex(out));
  }
  EXPECT_EQ(seen.size(), 50u);
}

}  // namespace
}  // namespace baogao
