// SHA-256 (FIPS 180-4), for content hashes of stored reports.
//
// Content hashes identify identical text (duplicate detection, integrity
// checks). HmacSha256 signs the site's tokens; SHA-256 inside HMAC holds as a
// PRF, and this implementation is checked against the FIPS/RFC test vectors.
// Thread-safety: a Sha256 object is used by one thread at a time; the free
// functions are safe to call from any thread.
#ifndef BAOGAO_BASE_SHA256_H_
#define BAOGAO_BASE_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace baogao {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  Sha256();
  // Appends bytes to the message. Any number of calls, any sizes.
  void Update(std::string_view data);
  // Finishes the message and returns its digest. The object is then reset and
  // may hash a new message.
  Digest Finish();

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// Lower-case hex of the digest: 64 characters.
std::string DigestToHex(const Sha256::Digest& digest);

// The lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256 (RFC 2104) of `message` under `key`: what the site's tokens
// (captcha challenges, CSRF tokens) are signed with.
Sha256::Digest HmacSha256(std::string_view key, std::string_view message);

// HMAC-SHA256 under one key, with the key's two padded blocks absorbed
// once: each Sign() then costs two compressions fewer than HmacSha256().
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  Sha256::Digest Sign(std::string_view message) const;

 private:
  Sha256 inner_;  // after the key XOR ipad block
  Sha256 outer_;  // after the key XOR opad block
};

// Whether `a` and `b` are equal, in time that depends only on their lengths
// (for comparing secrets and tokens).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace baogao

#endif  // BAOGAO_BASE_SHA256_H_
