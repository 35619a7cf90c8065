#include <algorithm>
#include <cstddef>

#include "text/text.h"

namespace baogao::text {

void DecodeUtf8(std::string_view in, Decoded* out) {
  const size_t n = in.size();
  if (out->capacity_ < n + 1) {
    out->capacity_ = std::max(n + 1, out->capacity_ * 2);
    out->chars_ = std::make_unique_for_overwrite<char32_t[]>(out->capacity_);
    out->offsets_ = std::make_unique_for_overwrite<uint32_t[]>(out->capacity_);
  }
  char32_t* chars = out->chars_.get();
  uint32_t* offsets = out->offsets_.get();
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  size_t pos = 0, k = 0;
  while (pos < n) {
    const unsigned char b0 = s[pos];
    offsets[k] = static_cast<uint32_t>(pos);
    if (b0 < 0x80) {
      chars[k++] = b0;
      ++pos;
      continue;
    }
    // Fast path for the common case in Chinese text: a well-formed 3-byte
    // sequence outside the surrogate range (U+1000..U+D7FF, U+E000..U+FFFF).
    if (b0 >= 0xE1 && b0 <= 0xEF && b0 != 0xED && pos + 2 < n && (s[pos + 1] & 0xC0) == 0x80 &&
        (s[pos + 2] & 0xC0) == 0x80) {
      chars[k++] =
          (char32_t(b0 & 0x0F) << 12) | (char32_t(s[pos + 1] & 0x3F) << 6) | (s[pos + 2] & 0x3F);
      pos += 3;
      continue;
    }
    size_t len;
    chars[k++] = DecodeOne(in, pos, &len);
    pos += len;
  }
  offsets[k] = static_cast<uint32_t>(n);
  out->size_ = k;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsValidUtf8(std::string_view in) {
  size_t pos = 0;
  while (pos < in.size()) {
    size_t len;
    if (IsInvalidByteUnit(DecodeOne(in, pos, &len))) return false;
    pos += len;
  }
  return true;
}

namespace {

// The length of the longest valid prefix of `in`, with fast paths for ASCII
// and well-formed 3-byte sequences outside the surrogates (all of CJK).
size_t ValidPrefix(std::string_view in) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t pos = 0;
  while (pos < n) {
    const unsigned char b0 = s[pos];
    if (b0 < 0x80) {
      ++pos;
      continue;
    }
    if (b0 >= 0xE1 && b0 <= 0xEF && b0 != 0xED && pos + 2 < n && (s[pos + 1] & 0xC0) == 0x80 &&
        (s[pos + 2] & 0xC0) == 0x80) {
      pos += 3;
      continue;
    }
    size_t len;
    if (IsInvalidByteUnit(DecodeOne(in, pos, &len))) break;
    pos += len;
  }
  return pos;
}

}  // namespace

std::string ToValidUtf8(std::string_view in) {
  // Almost all text is valid: copy it in one go.
  size_t pos = ValidPrefix(in);
  if (pos == in.size()) return std::string(in);
  std::string out;
  out.reserve(in.size() + 8);
  out.append(in.substr(0, pos));
  while (pos < in.size()) {
    size_t len;
    char32_t cp = DecodeOne(in, pos, &len);
    if (IsInvalidByteUnit(cp)) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(in.substr(pos, len));
    }
    pos += len;
  }
  return out;
}

}  // namespace baogao::text
