// ChaCha20 (RFC 8439) as a random-byte generator: the block function, and
// a keystream that erases its key as it goes ("fast key erasure": each
// refill's first 32 bytes become the next key and are never output), so
// that a later look at the process's memory cannot recover bytes already
// handed out. Seeding is the caller's business (web/captcha.h's
// FastRandom() seeds one per thread from the operating system).
#ifndef BAOGAO_BASE_CHACHA20_H_
#define BAOGAO_BASE_CHACHA20_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace baogao {

// One 64-byte ChaCha20 block for `key` (32 bytes), `counter` and `nonce`
// (12 bytes), as in RFC 8439 §2.3.
void ChaCha20Block(std::span<const uint8_t, 32> key, uint32_t counter,
                   std::span<const uint8_t, 12> nonce, std::span<uint8_t, 64> out);

class ChaCha20Stream {
 public:
  explicit ChaCha20Stream(std::span<const uint8_t, 32> seed);
  ~ChaCha20Stream();
  ChaCha20Stream(const ChaCha20Stream&) = delete;
  ChaCha20Stream& operator=(const ChaCha20Stream&) = delete;

  // Fills `out` with keystream bytes; the buffer's copies are wiped.
  void Fill(std::span<uint8_t> out);
  // Bytes output since construction.
  uint64_t produced() const { return produced_; }

 private:
  void Refill();

  static constexpr size_t kBlocks = 16;
  std::array<uint8_t, 32> key_;
  std::array<uint8_t, 64 * kBlocks> buffer_;
  size_t pos_;
  uint64_t produced_ = 0;
};

}  // namespace baogao

#endif  // BAOGAO_BASE_CHACHA20_H_
