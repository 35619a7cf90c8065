#include "base/chacha20.h"

#include <algorithm>
#include <cstring>

namespace baogao {
namespace {

inline uint32_t Rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

inline void QuarterRound(uint32_t* x, int a, int b, int c, int d) {
  x[a] += x[b];
  x[d] = Rotl(x[d] ^ x[a], 16);
  x[c] += x[d];
  x[b] = Rotl(x[b] ^ x[c], 12);
  x[a] += x[b];
  x[d] = Rotl(x[d] ^ x[a], 8);
  x[c] += x[d];
  x[b] = Rotl(x[b] ^ x[c], 7);
}

inline uint32_t LoadLe(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

// Wipes memory in a way the compiler may not drop as a dead store.
void Wipe(void* p, size_t n) {
  volatile uint8_t* v = static_cast<volatile uint8_t*>(p);
  for (size_t i = 0; i < n; ++i) v[i] = 0;
}

}  // namespace

void ChaCha20Block(std::span<const uint8_t, 32> key, uint32_t counter,
                   std::span<const uint8_t, 12> nonce, std::span<uint8_t, 64> out) {
  uint32_t state[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  for (int i = 0; i < 8; ++i) state[4 + i] = LoadLe(key.data() + 4 * i);
  state[12] = counter;
  for (int i = 0; i < 3; ++i) state[13 + i] = LoadLe(nonce.data() + 4 * i);
  uint32_t x[16];
  std::memcpy(x, state, sizeof x);
  for (int round = 0; round < 10; ++round) {
    QuarterRound(x, 0, 4, 8, 12);
    QuarterRound(x, 1, 5, 9, 13);
    QuarterRound(x, 2, 6, 10, 14);
    QuarterRound(x, 3, 7, 11, 15);
    QuarterRound(x, 0, 5, 10, 15);
    QuarterRound(x, 1, 6, 11, 12);
    QuarterRound(x, 2, 7, 8, 13);
    QuarterRound(x, 3, 4, 9, 14);
  }
  for (int i = 0; i < 16; ++i) {
    const uint32_t v = x[i] + state[i];
    out[4 * i] = static_cast<uint8_t>(v);
    out[4 * i + 1] = static_cast<uint8_t>(v >> 8);
    out[4 * i + 2] = static_cast<uint8_t>(v >> 16);
    out[4 * i + 3] = static_cast<uint8_t>(v >> 24);
  }
  Wipe(x, sizeof x);
  Wipe(state, sizeof state);
}

ChaCha20Stream::ChaCha20Stream(std::span<const uint8_t, 32> seed) {
  std::copy(seed.begin(), seed.end(), key_.begin());
  Refill();
}

ChaCha20Stream::~ChaCha20Stream() {
  Wipe(key_.data(), key_.size());
  Wipe(buffer_.data(), buffer_.size());
}

void ChaCha20Stream::Refill() {
  static constexpr std::array<uint8_t, 12> kNonce{};
  for (size_t b = 0; b < kBlocks; ++b) {
    ChaCha20Block(key_, static_cast<uint32_t>(b), kNonce,
                  std::span<uint8_t, 64>(buffer_.data() + 64 * b, 64));
  }
  // The first 32 bytes are the next key, never output.
  std::copy(buffer_.begin(), buffer_.begin() + 32, key_.begin());
  Wipe(buffer_.data(), 32);
  pos_ = 32;
}

void ChaCha20Stream::Fill(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    if (pos_ == buffer_.size()) Refill();
    const size_t n = std::min(out.size() - done, buffer_.size() - pos_);
    std::memcpy(out.data() + done, buffer_.data() + pos_, n);
    Wipe(buffer_.data() + pos_, n);
    pos_ += n;
    done += n;
  }
  produced_ += out.size();
}

}  // namespace baogao
