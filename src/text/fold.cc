#include "text/fold.h"

#include <opencc/opencc.h>

#include <memory>
#include <unordered_map>

#include "text/text.h"

namespace baogao::text {
namespace {

bool IsDropped(char32_t c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case 0x00A0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

// The ranges whose characters OpenCC's t2s table may change: CJK radicals
// and symbols, Extension A, the URO, compatibility ideographs, and the
// supplementary ideographic plane.
constexpr std::pair<char32_t, char32_t> kHanRanges[] = {
    {0x2E80, 0xA000}, {0xF900, 0xFB00}, {0x20000, 0x2FA20}};

struct FoldTable {
  std::unique_ptr<char32_t[]> bmp;  // 0x10000 entries
  std::unordered_map<char32_t, char32_t> astral;
  Status status;

  FoldTable() : bmp(new char32_t[0x10000]) {
    for (char32_t c = 0; c < 0x10000; ++c) {
      char32_t f = c;
      if (c >= 0xFF01 && c <= 0xFF5E) f = c - 0xFEE0;
      if (f >= 'A' && f <= 'Z') f += 'a' - 'A';
      if (IsDropped(c)) f = 0;
      bmp[c] = f;
    }
    status = LoadT2s();
  }

  // Converts every Han character once, one per line, and keeps the
  // single-character results that differ.
  Status LoadT2s() {
    opencc_t od = opencc_open("t2s.json");
    if (od == reinterpret_cast<opencc_t>(-1)) {
      return Status::NotFound(std::string("OpenCC t2s.json could not be loaded: ") +
                              opencc_error());
    }
    std::string all;
    for (auto [lo, hi] : kHanRanges) {
      for (char32_t c = lo; c < hi; ++c) {
        AppendUtf8(c, &all);
        all.push_back('\n');
      }
    }
    char* out = opencc_convert_utf8(od, all.data(), all.size());
    if (out == nullptr) {
      std::string err = opencc_error();
      opencc_close(od);
      return Status::NotFound("OpenCC t2s conversion failed: " + err);
    }
    std::string_view converted(out);
    size_t pos = 0;
    for (auto [lo, hi] : kHanRanges) {
      for (char32_t c = lo; c < hi && pos < converted.size(); ++c) {
        size_t nl = converted.find('\n', pos);
        if (nl == std::string_view::npos) nl = converted.size();
        std::string_view line = converted.substr(pos, nl - pos);
        pos = nl + 1;
        size_t len = 0;
        if (line.empty()) continue;
        char32_t s = DecodeOne(line, 0, &len);
        if (len != line.size() || s == c || IsInvalidByteUnit(s)) continue;
        if (c < 0x10000) {
          bmp[c] = s;
        } else {
          astral.emplace(c, s);
        }
      }
    }
    opencc_convert_utf8_free(out);
    opencc_close(od);
    return Status::Ok();
  }

  char32_t Fold(char32_t c) const {
    if (c < 0x10000) return bmp[c];
    if (IsInvalidByteUnit(c)) return c;
    auto it = astral.find(c);
    return it == astral.end() ? c : it->second;
  }
};

const FoldTable& Table() {
  static const FoldTable* table = new FoldTable();
  return *table;
}

// Decodes the unit at in[pos], with a fast path for ASCII and well-formed
// three-byte sequences (all of CJK); DecodeOne handles everything else.
inline char32_t Next(std::string_view in, size_t pos, size_t* len) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data()) + pos;
  if (p[0] < 0x80) {
    *len = 1;
    return p[0];
  }
  if ((p[0] & 0xF0) == 0xE0 && pos + 2 < in.size() && (p[1] & 0xC0) == 0x80 &&
      (p[2] & 0xC0) == 0x80) {
    const char32_t c = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
      *len = 3;
      return c;
    }
  }
  return DecodeOne(in, pos, len);
}

}  // namespace

char32_t FoldChar(char32_t c) { return Table().Fold(c); }

FoldedText Fold(std::string_view utf8) {
  const FoldTable& t = Table();
  FoldedText out;
  out.chars.reserve(utf8.size() / 2);
  out.source.reserve(utf8.size() / 2 + 1);
  out.source_end.reserve(utf8.size() / 2);
  size_t pos = 0;
  while (pos < utf8.size()) {
    size_t len = 1;
    const char32_t f = t.Fold(Next(utf8, pos, &len));
    if (f != 0) {
      out.chars.push_back(f);
      out.source.push_back(static_cast<uint32_t>(pos));
      out.source_end.push_back(static_cast<uint32_t>(pos + len));
    }
    pos += len;
  }
  out.source.push_back(static_cast<uint32_t>(utf8.size()));
  return out;
}

std::string FoldToUtf8(std::string_view utf8) {
  const FoldTable& t = Table();
  std::string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    size_t len = 1;
    const char32_t f = t.Fold(Next(utf8, pos, &len));
    if (f != 0) AppendUtf8(IsInvalidByteUnit(f) ? 0xFFFD : f, &out);
    pos += len;
  }
  return out;
}

void FoldInto(std::string_view utf8, std::u32string* out) {
  const FoldTable& t = Table();
  // Through a buffer on the stack, appended a block at a time: the loop
  // then stores into memory nothing else can alias (push_back reloaded
  // the string's size and capacity at every character).
  constexpr size_t kBlock = 256;
  char32_t block[kBlock];
  size_t n = 0;
  size_t pos = 0;
  while (pos < utf8.size()) {
    size_t len = 1;
    const char32_t f = t.Fold(Next(utf8, pos, &len));
    block[n] = f;
    n += f != 0;  // a character folded to 0 is dropped
    if (n == kBlock) {
      out->append(block, n);
      n = 0;
    }
    pos += len;
  }
  out->append(block, n);
}

Status FoldStatus() { return Table().status; }

}  // namespace baogao::text
