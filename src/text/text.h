// Text primitives shared by every module: UTF-8 decoding with an exact,
// lossless policy for invalid bytes.
//
// Invalid UTF-8 policy (used by every consumer, e.g. the segmenter):
// decoding never fails. A byte that does not begin a well-formed UTF-8
// sequence (a stray continuation byte, a truncated sequence, an overlong
// form, a surrogate, a value above U+10FFFF, or bytes 0xC0/0xC1/0xF5..0xFF)
// becomes one "invalid byte" unit of its own, with code point
// kInvalidByteBase + byte. Such units are not Unicode characters: no
// classification treats them as letters, digits, Han or whitespace. Because
// each unit maps back to exactly its input bytes, any sequence of units
// re-encodes to the original input, byte for byte.
#ifndef BAOGAO_TEXT_TEXT_H_
#define BAOGAO_TEXT_TEXT_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace baogao::text {

// Code points >= kInvalidByteBase stand for one invalid input byte each.
inline constexpr char32_t kInvalidByteBase = 0x110000;

inline bool IsInvalidByteUnit(char32_t cp) { return cp >= kInvalidByteBase; }

// A decoded view of a UTF-8 buffer: chars()[i] starts at byte offsets()[i];
// offsets() has one more entry than chars(), the input size. Reusable: a
// second DecodeUtf8 into the same object reuses its buffers.
class Decoded {
 public:
  std::span<const char32_t> chars() const { return {chars_.get(), size_}; }
  std::span<const uint32_t> offsets() const { return {offsets_.get(), size_ + 1}; }

 private:
  friend void DecodeUtf8(std::string_view in, Decoded* out);
  // Raw buffers: a std::vector would zero-fill what the decoder overwrites.
  std::unique_ptr<char32_t[]> chars_;
  std::unique_ptr<uint32_t[]> offsets_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Decodes `in` into `out`. Inputs of 4 GiB or more are not supported
// (offsets are 32-bit); the caller must split them.
void DecodeUtf8(std::string_view in, Decoded* out);

// Decodes one unit at `in[pos]`: returns the code point (or invalid-byte
// unit) and sets *len to the number of bytes consumed (1..4).
char32_t DecodeOne(std::string_view in, size_t pos, size_t* len);

// Appends the UTF-8 encoding of `cp` (a valid scalar value) to `out`.
void AppendUtf8(char32_t cp, std::string* out);

// True when `in` is entirely well-formed UTF-8.
bool IsValidUtf8(std::string_view in);

// Returns `in` with every invalid byte replaced by U+FFFD.
std::string ToValidUtf8(std::string_view in);

}  // namespace baogao::text

#endif  // BAOGAO_TEXT_TEXT_H_
