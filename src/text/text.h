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

#include "base/status.h"

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
// unit) and sets *len to the number of bytes consumed (1..4). Inline: the
// importers' per-character loops call it.
inline char32_t DecodeOne(std::string_view in, size_t pos, size_t* len) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  const unsigned char b0 = s[pos];
  *len = 1;
  if (b0 < 0x80) return b0;
  const char32_t invalid = kInvalidByteBase + b0;
  auto cont = [&](size_t i) { return pos + i < n && (s[pos + i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!cont(1)) return invalid;
    *len = 2;
    return (char32_t(b0 & 0x1F) << 6) | (s[pos + 1] & 0x3F);
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return invalid;
    const unsigned char b1 = s[pos + 1];
    if (b0 == 0xE0 && b1 < 0xA0) return invalid;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return invalid;  // surrogate
    *len = 3;
    return (char32_t(b0 & 0x0F) << 12) | (char32_t(b1 & 0x3F) << 6) | (s[pos + 2] & 0x3F);
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return invalid;
    const unsigned char b1 = s[pos + 1];
    if (b0 == 0xF0 && b1 < 0x90) return invalid;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return invalid;  // above U+10FFFF
    *len = 4;
    return (char32_t(b0 & 0x07) << 18) | (char32_t(b1 & 0x3F) << 12) |
           (char32_t(s[pos + 2] & 0x3F) << 6) | (s[pos + 3] & 0x3F);
  }
  return invalid;
}

// Appends the UTF-8 encoding of `cp` (a valid scalar value) to `out`.
void AppendUtf8(char32_t cp, std::string* out);

// True when `in` is entirely well-formed UTF-8.
bool IsValidUtf8(std::string_view in);

// Returns `in` with every invalid byte replaced by U+FFFD.
std::string ToValidUtf8(std::string_view in);

// ===========================================================================
// Encodings and cleanup (encoding.cc, normalize.cc).
//
// Everything outside baogao arrives in some legacy encoding; DetectAndConvert
// turns it into UTF-8 and says how it decided, so callers can warn about
// guesses instead of silently trusting them.
// ===========================================================================

// How DetectAndConvert chose the encoding.
enum class EncodingSource {
  kBom,       // a UTF-8 / UTF-16 byte order mark
  kDeclared,  // the caller's hint (HTML meta charset, XML prolog, HTTP header)
  kDetected,  // content analysis (validity checks, then uchardet)
  kAscii,     // the input is pure ASCII, so every supported encoding agrees
};
std::string_view EncodingSourceName(EncodingSource source);

// What to do with bytes that are invalid in the chosen encoding.
enum class UndecodablePolicy {
  kReplace,  // write U+FFFD, count them in DecodeResult::replaced
  kFail,     // return kInvalidArgument naming the first bad byte offset
};

struct DecodeOptions {
  UndecodablePolicy undecodable = UndecodablePolicy::kReplace;
  // Even with kReplace, more than this fraction of replaced characters means
  // the input is not text in any encoding we know: kInvalidArgument.
  double max_replaced_ratio = 0.2;
};

struct DecodeResult {
  std::string text;      // valid UTF-8, BOM removed
  std::string encoding;  // canonical name: "UTF-8", "GB18030", "Big5", ...
  EncodingSource source = EncodingSource::kDetected;
  double confidence = 0;        // 0..1; 1 for BOM / ASCII / valid multi-byte UTF-8
  bool low_confidence = false;  // a guess: callers should surface a warning
  size_t replaced = 0;          // undecodable sequences turned into U+FFFD
  // Human-readable notes on the decision, e.g. "declared gb2312 but content
  // is valid UTF-8; decoded as UTF-8".
  std::vector<std::string> notes;
};

// Decodes `bytes` to UTF-8. `declared` is a charset label from the document
// or transport (may be empty); it is trusted only when the content agrees:
// GBK/GB2312/gb_2312-80/x-gbk/cp936 decode as GB18030, big5 as Big5 (with
// HKSCS extensions), and a declared charset contradicted by valid multi-byte
// UTF-8 content loses to UTF-8 (and vice versa). Errors: kInvalidArgument
// when the bytes are not text in any supported encoding, or (kFail) when a
// byte is undecodable.
Result<DecodeResult> DetectAndConvert(std::string_view bytes, std::string_view declared = {},
                                      const DecodeOptions& options = {});

// Maps a charset label to the canonical encoding DetectAndConvert uses
// ("gb2312" -> "GB18030", "utf8" -> "UTF-8", "big5-hkscs" -> "Big5-HKSCS");
// returns "" for labels it does not support.
std::string CanonicalEncoding(std::string_view label);

// Finds a charset declared inside the first bytes of a document: an HTML
// <meta charset=...> / <meta http-equiv content="...; charset=..."> or an XML
// prolog encoding="...". Returns the raw label, or "" when there is none.
std::string SniffDeclaredCharset(std::string_view bytes);

// Cleans decoded text for storage: CRLF and CR become LF; zero-width
// characters (U+200B/C/D, U+2060, U+FEFF) are removed; each line loses
// leading and trailing spaces, tabs, U+3000 and NBSP (the indentation
// Chinese pages use); runs of blank lines collapse to one; leading and
// trailing blank lines go. Invalid UTF-8 bytes pass through unchanged.
std::string CleanText(std::string_view utf8);

// Trims one line the way CleanText does (spaces, tabs, U+3000, NBSP, and
// zero-width characters at either end).
std::string_view TrimSpace(std::string_view utf8);

}  // namespace baogao::text

#endif  // BAOGAO_TEXT_TEXT_H_
