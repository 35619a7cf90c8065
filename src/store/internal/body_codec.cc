#include "store/internal/body_codec.h"

#include <array>
#include <cstdint>
#include <string>

#include "text/text.h"

namespace baogao::store::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// What the encoder does with each byte value, and where the decoder stops.
enum ByteClass : uint8_t {
  kCopy,      // printable ASCII other than '"' and '\'
  kEscape,    // '"', '\', C0 controls
  kLead3,     // E1..EC, EE, EF: takes any two continuation bytes
  kNonAscii,  // every other byte >= 0x80: DecodeOne decides
};

constexpr std::array<ByteClass, 256> MakeClasses() {
  std::array<ByteClass, 256> t{};
  for (int b = 0; b < 256; ++b) {
    if (b < 0x20 || b == '"' || b == '\\') {
      t[b] = kEscape;
    } else if (b < 0x80) {
      t[b] = kCopy;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      t[b] = kLead3;
    } else {
      t[b] = kNonAscii;
    }
  }
  return t;
}
constexpr std::array<ByteClass, 256> kClass = MakeClasses();

void AppendEscape(char32_t unit, std::string* out) {
  out->append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(unit >> shift) & 0xF]);
}

void AppendString(std::string_view s, std::string* out) {
  out->push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // A run of bytes that need no escaping goes in one append. Non-ASCII
    // joins the run once it is known to be a well-formed sequence.
    size_t j = i;
    while (j < n) {
      const ByteClass c = kClass[p[j]];
      if (c == kCopy) {
        ++j;
      } else if (c == kLead3 && n - j >= 3 && (p[j + 1] & 0xC0) == 0x80 &&
                 (p[j + 2] & 0xC0) == 0x80) {
        // The common case of Chinese text, checked as DecodeOne would (E0
        // and ED, whose second byte has a narrower range, go the long way).
        j += 3;
      } else if (c == kEscape) {
        break;
      } else {
        size_t len = 0;
        if (text::IsInvalidByteUnit(text::DecodeOne(s, j, &len))) break;
        j += len;
      }
    }
    out->append(s.data() + i, j - i);
    if (j == n) break;
    const unsigned char b = p[j];
    switch (b) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        // Other C0 controls as themselves; a stray byte >= 0x80 as a lone
        // low surrogate (DC80..DCFF).
        AppendEscape(b < 0x80 ? char32_t{b} : char32_t{0xDC00} + b, out);
        break;
    }
    i = j + 1;
  }
  out->push_back('"');
}

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  Status Parse(std::vector<report::Paragraph>* body) {
    body->clear();
    SkipSpace();
    if (!Consume('[')) return Error("'['");
    SkipSpace();
    if (Consume(']')) return End();
    while (true) {
      SkipSpace();
      if (!Consume('[')) return Error("'[' opening a paragraph");
      SkipSpace();
      report::Paragraph para;
      BAOGAO_RETURN_IF_ERROR(ParseLevel(&para.level));
      SkipSpace();
      if (!Consume(',')) return Error("',' after the level");
      SkipSpace();
      BAOGAO_RETURN_IF_ERROR(ParseString(&para.text));
      SkipSpace();
      if (!Consume(']')) return Error("']' closing a paragraph");
      body->push_back(std::move(para));
      SkipSpace();
      if (Consume(']')) return End();
      if (!Consume(',')) return Error("',' or ']' after a paragraph");
    }
  }

 private:
  Status End() {
    SkipSpace();
    if (pos_ != in_.size()) return Error("the end of the body");
    return Status::Ok();
  }

  Status Error(std::string_view expected) const {
    return Status::Corrupt("body JSON: expected " + std::string(expected) + " at byte " +
                           std::to_string(pos_) + " of " + std::to_string(in_.size()));
  }

  bool Consume(char c) {
    if (pos_ < in_.size() && in_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\n' || in_[pos_] == '\r' || in_[pos_] == '\t')) {
      ++pos_;
    }
  }

  // A JSON integer (no fraction or exponent) in 0..kMaxHeadingLevel.
  Status ParseLevel(int* level) {
    const size_t start = pos_;
    int value = 0;
    size_t digits = 0;
    while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') {
      if (digits < 9) value = value * 10 + (in_[pos_] - '0');
      ++digits;
      ++pos_;
    }
    // JSON has no leading zeros; more than 9 digits is out of range anyway.
    if (digits == 0 || (digits > 1 && in_[start] == '0') || digits > 9 ||
        value > report::kMaxHeadingLevel) {
      pos_ = start;
      return Error("a heading level 0.." + std::to_string(report::kMaxHeadingLevel));
    }
    *level = value;
    return Status::Ok();
  }

  // Four hex digits after "\u".
  bool ParseHex4(char32_t* unit) {
    if (in_.size() - pos_ < 4) return false;
    char32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = in_[pos_ + k];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<char32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<char32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<char32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    pos_ += 4;
    *unit = v;
    return true;
  }

  Status ParseString(std::string* out) {
    if (!Consume('"')) return Error("'\"' opening the text");
    while (true) {
      // Everything up to the next quote, backslash or control is copied.
      const size_t start = pos_;
      while (pos_ < in_.size() && kClass[static_cast<unsigned char>(in_[pos_])] != kEscape) {
        ++pos_;
      }
      out->append(in_.data() + start, pos_ - start);
      if (pos_ == in_.size()) return Error("'\"' closing the text");
      const char c = in_[pos_];
      if (c == '"') {
        ++pos_;
        return Status::Ok();
      }
      if (c != '\\') return Error("an escaped control character");
      ++pos_;
      if (pos_ == in_.size()) return Error("an escape after '\\'");
      const char e = in_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out->push_back(e);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u':
          BAOGAO_RETURN_IF_ERROR(ParseUnicodeEscape(out));
          break;
        default:
          --pos_;
          return Error("a JSON escape");
      }
    }
  }

  // After "\u": a character, a surrogate pair, or a lone DC80..DCFF
  // standing for one byte that was not UTF-8.
  Status ParseUnicodeEscape(std::string* out) {
    char32_t unit = 0;
    if (!ParseHex4(&unit)) return Error("four hex digits after \\u");
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      char32_t low = 0;
      if (in_.substr(pos_, 2) != "\\u") return Error("a low surrogate after a high one");
      pos_ += 2;
      if (!ParseHex4(&low) || low < 0xDC00 || low > 0xDFFF) {
        return Error("a low surrogate after a high one");
      }
      text::AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), out);
    } else if (unit >= 0xDC80 && unit <= 0xDCFF) {
      out->push_back(static_cast<char>(unit - 0xDC00));
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return Error("no lone low surrogate below \\udc80");
    } else {
      text::AppendUtf8(unit, out);
    }
    return Status::Ok();
  }

  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

void EncodeBody(const std::vector<report::Paragraph>& body, std::string* out) {
  size_t size = 2;
  for (const report::Paragraph& p : body) size += p.text.size() + 8;
  out->reserve(out->size() + size);
  out->push_back('[');
  for (size_t i = 0; i < body.size(); ++i) {
    if (i != 0) out->push_back(',');
    out->push_back('[');
    out->append(std::to_string(body[i].level));
    out->push_back(',');
    AppendString(body[i].text, out);
    out->push_back(']');
  }
  out->push_back(']');
}

Status DecodeBody(std::string_view json, std::vector<report::Paragraph>* body) {
  return Parser(json).Parse(body);
}

}  // namespace baogao::store::internal
