// Encoding detection and conversion to UTF-8 (ICU for conversion, uchardet
// for content detection). See text.h for the contract.
#include <uchardet/uchardet.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/text.h"

namespace baogao::text {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  // ASCII only, as std::tolower in the "C" locale (nothing sets another),
  // without a call per byte: pages' heads are lowered for every import.
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.front())) || s.front() == '"' ||
                        s.front() == '\'')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == '"' ||
                        s.back() == '\'')) {
    s.remove_suffix(1);
  }
  return s;
}

// The ICU converter that implements a canonical encoding name.
const char* IcuName(const std::string& canonical) {
  if (canonical == "GB18030") return "gb18030";
  // Big5-HKSCS (ibm-1375) is a superset of plain Big5 as pages use it.
  if (canonical == "Big5" || canonical == "Big5-HKSCS") return "ibm-1375_P100-2008";
  return canonical.c_str();
}

struct ErrorTally {
  const char* base = nullptr;
  bool stop = false;
  size_t count = 0;
  size_t first_offset = 0;
};

// Counts undecodable sequences; substitutes U+FFFD or stops the conversion.
void CountingCallback(const void* context, UConverterToUnicodeArgs* args, const char* /*units*/,
                      int32_t length, UConverterCallbackReason reason, UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;  // reset / close / clone
  auto* tally = static_cast<ErrorTally*>(const_cast<void*>(context));
  if (tally->count == 0) {
    const ptrdiff_t at = args->source - tally->base - length;
    tally->first_offset = at < 0 ? 0 : static_cast<size_t>(at);
  }
  ++tally->count;
  if (tally->stop) return;  // leave *err set: conversion ends here
  *err = U_ZERO_ERROR;
  const UChar sub = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &sub, 1, 0, err);
}

struct Converted {
  std::string text;
  size_t replaced = 0;
  size_t first_bad = 0;
  bool ok = false;  // the converter exists and ran
};

struct UConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

Converted Convert(std::string_view bytes, const std::string& canonical, bool stop_on_error) {
  Converted out;
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<UConverter, UConverterCloser> conv(ucnv_open(IcuName(canonical), &err));
  if (U_FAILURE(err) || !conv) return out;
  ErrorTally tally;
  tally.base = bytes.data();
  tally.stop = stop_on_error;
  ucnv_setToUCallBack(conv.get(), CountingCallback, &tally, nullptr, nullptr, &err);
  if (U_FAILURE(err)) return out;

  std::vector<UChar> u16(bytes.size() * 2 + 16);
  size_t used = 0;
  const char* source = bytes.data();
  const char* source_end = bytes.data() + bytes.size();
  for (;;) {
    err = U_ZERO_ERROR;
    UChar* target = u16.data() + used;
    ucnv_toUnicode(conv.get(), &target, u16.data() + u16.size(), &source, source_end, nullptr,
                   /*flush=*/true, &err);
    used = static_cast<size_t>(target - u16.data());
    if (err != U_BUFFER_OVERFLOW_ERROR) break;
    u16.resize(u16.size() * 2);
  }
  if (U_FAILURE(err) && !(stop_on_error && tally.count > 0)) return out;
  const int32_t n16 = static_cast<int32_t>(used);
  int32_t n8 = 0;
  UErrorCode err8 = U_ZERO_ERROR;
  u_strToUTF8WithSub(nullptr, 0, &n8, u16.data(), n16, 0xFFFD, nullptr, &err8);
  out.text.resize(static_cast<size_t>(n8));
  err8 = U_ZERO_ERROR;
  int32_t subs = 0;
  u_strToUTF8WithSub(out.text.data(), n8, &n8, u16.data(), n16, 0xFFFD, &subs, &err8);
  out.replaced = tally.count + static_cast<size_t>(subs);
  out.first_bad = tally.first_offset;
  out.ok = U_SUCCESS(err8);
  return out;
}

std::string UchardetGuess(std::string_view bytes) {
  uchardet_t ud = uchardet_new();
  if (ud == nullptr) return "";
  const size_t n = std::min<size_t>(bytes.size(), 1 << 20);
  std::string label;
  if (uchardet_handle_data(ud, bytes.data(), n) == 0) {
    uchardet_data_end(ud);
    const char* cs = uchardet_get_charset(ud);
    if (cs != nullptr) label = cs;
  }
  uchardet_delete(ud);
  return label;
}

struct Utf8Stats {
  size_t multibyte = 0;  // well-formed sequences of 2..4 bytes
  size_t invalid = 0;    // invalid bytes
};

Utf8Stats CountUtf8(std::string_view s) {
  Utf8Stats st;
  for (size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      // Eight ASCII bytes at a time (markup is mostly ASCII).
      uint64_t w;
      while (i + 8 <= s.size() &&
             (std::memcpy(&w, s.data() + i, 8), (w & 0x8080808080808080ull) == 0)) {
        i += 8;
      }
      if (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
      continue;
    }
    // The common well-formed three-byte sequence (U+1000–U+CFFF, U+E000–
    // U+FFFF) inline; DecodeOne decides everything else.
    if (((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) && i + 2 < s.size() &&
        (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) & 0xC0) == 0x80) {
      ++st.multibyte;
      i += 3;
      continue;
    }
    size_t len = 1;
    const char32_t cp = DecodeOne(s, i, &len);
    if (IsInvalidByteUnit(cp)) {
      ++st.invalid;
    } else if (len > 1) {
      ++st.multibyte;
    }
    i += len;
  }
  return st;
}

size_t CountNonAscii(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
}

// UTF-16 without a BOM: most ASCII-range text has a zero byte in every
// other position.
std::string GuessUtf16(std::string_view s) {
  const size_t n = std::min<size_t>(s.size(), 4096) & ~size_t{1};
  if (n < 8) return "";
  size_t even_zero = 0, odd_zero = 0;
  for (size_t i = 0; i < n; i += 2) {
    even_zero += s[i] == 0;
    odd_zero += s[i + 1] == 0;
  }
  const size_t pairs = n / 2;
  if (odd_zero * 10 > pairs * 4 && even_zero * 10 < pairs) return "UTF-16LE";
  if (even_zero * 10 > pairs * 4 && odd_zero * 10 < pairs) return "UTF-16BE";
  return "";
}

bool IsUtf16(const std::string& canonical) { return canonical.rfind("UTF-16", 0) == 0; }

}  // namespace

std::string_view EncodingSourceName(EncodingSource source) {
  switch (source) {
    case EncodingSource::kBom:
      return "bom";
    case EncodingSource::kDeclared:
      return "declared";
    case EncodingSource::kDetected:
      return "detected";
    case EncodingSource::kAscii:
      return "ascii";
  }
  return "unknown";
}

std::string CanonicalEncoding(std::string_view label) {
  const std::string l = Lower(TrimAscii(label));
  if (l.empty()) return "";
  static const struct {
    const char* label;
    const char* canonical;
  } kLabels[] = {
      {"utf-8", "UTF-8"},
      {"utf8", "UTF-8"},
      {"unicode-1-1-utf-8", "UTF-8"},
      {"x-unicode20utf8", "UTF-8"},
      {"gb18030", "GB18030"},
      {"gbk", "GB18030"},
      {"gb2312", "GB18030"},
      {"gb_2312-80", "GB18030"},
      {"gb_2312", "GB18030"},
      {"x-gbk", "GB18030"},
      {"cp936", "GB18030"},
      {"ms936", "GB18030"},
      {"windows-936", "GB18030"},
      {"csgb2312", "GB18030"},
      {"chinese", "GB18030"},
      {"iso-ir-58", "GB18030"},
      {"csiso58gb231280", "GB18030"},
      {"euc-cn", "GB18030"},
      {"x-euc-cn", "GB18030"},
      {"gb-2312", "GB18030"},
      {"big5", "Big5"},
      {"x-x-big5", "Big5"},
      {"cn-big5", "Big5"},
      {"csbig5", "Big5"},
      {"cp950", "Big5"},
      {"windows-950", "Big5"},
      {"big5-hkscs", "Big5-HKSCS"},
      {"big5hkscs", "Big5-HKSCS"},
      {"utf-16", "UTF-16LE"},
      {"utf-16le", "UTF-16LE"},
      {"utf-16be", "UTF-16BE"},
      {"unicode", "UTF-16LE"},
      {"ucs-2", "UTF-16LE"},
      {"ascii", "windows-1252"},
      {"us-ascii", "windows-1252"},
      {"iso-8859-1", "windows-1252"},
      {"latin1", "windows-1252"},
      {"iso_8859-1", "windows-1252"},
      {"windows-1252", "windows-1252"},
      {"cp1252", "windows-1252"},
      {"euc-tw", "EUC-TW"},
      {"x-euc-tw", "EUC-TW"},
  };
  for (const auto& e : kLabels) {
    if (l == e.label) return e.canonical;
  }
  // Anything else ICU knows (Shift_JIS, EUC-KR, ...) is accepted as is.
  UErrorCode err = U_ZERO_ERROR;
  UConverter* c = ucnv_open(l.c_str(), &err);
  if (U_FAILURE(err) || c == nullptr) return "";
  ucnv_close(c);
  std::string upper(l);
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return upper;
}

std::string SniffDeclaredCharset(std::string_view bytes) {
  const std::string head = Lower(bytes.substr(0, 8192));
  auto value_after = [&](size_t pos) -> std::string {
    while (pos < head.size() &&
           (head[pos] == ' ' || head[pos] == '=' || head[pos] == '"' || head[pos] == '\'')) {
      ++pos;
    }
    size_t end = pos;
    while (end < head.size() &&
           (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == '-' ||
            head[end] == '_' || head[end] == '.' || head[end] == ':')) {
      ++end;
    }
    return head.substr(pos, end - pos);
  };
  if (head.rfind("<?xml", 0) == 0) {
    const size_t close = head.find("?>");
    const size_t enc = head.find("encoding", 0);
    if (enc != std::string::npos && enc < close) return value_after(enc + 8);
  }
  for (size_t pos = head.find("<meta"); pos != std::string::npos;
       pos = head.find("<meta", pos + 5)) {
    const size_t end = head.find('>', pos);
    const size_t cs = head.find("charset", pos);
    if (cs == std::string::npos || (end != std::string::npos && cs > end)) continue;
    std::string v = value_after(cs + 7);
    if (!v.empty()) return v;
  }
  return "";
}

Result<DecodeResult> DetectAndConvert(std::string_view bytes, std::string_view declared,
                                      const DecodeOptions& options) {
  DecodeResult r;
  const bool strict = options.undecodable == UndecodablePolicy::kFail;
  const std::string declared_canon = CanonicalEncoding(declared);
  if (!TrimAscii(declared).empty() && declared_canon.empty()) {
    r.notes.push_back("unknown declared charset '" + std::string(TrimAscii(declared)) +
                      "' ignored");
  }

  // Finishes a conversion: replacement policy and error ratio.
  auto finish = [&](Converted c, const std::string& enc) -> Result<DecodeResult> {
    if (!c.ok) return Status::Internal("no converter for " + enc);
    if (strict && c.replaced > 0) {
      return Status::InvalidArgument("byte " + std::to_string(c.first_bad) + " is not valid " +
                                     enc);
    }
    const size_t chars = std::max<size_t>(1, c.text.size() / 2);
    if (static_cast<double>(c.replaced) > options.max_replaced_ratio * static_cast<double>(chars) &&
        c.replaced > 2) {
      return Status::InvalidArgument("not text: " + std::to_string(c.replaced) +
                                     " undecodable sequences as " + enc +
                                     " (binary data or an unknown encoding)");
    }
    if (c.replaced > 0) {
      r.notes.push_back(std::to_string(c.replaced) + " undecodable sequence(s) replaced by U+FFFD");
      r.confidence = std::min(r.confidence, 0.6);
      r.low_confidence = true;
    }
    r.text = std::move(c.text);
    r.replaced = c.replaced;
    r.encoding = enc;
    r.low_confidence = r.low_confidence || r.confidence < 0.7;
    return std::move(r);
  };

  if (bytes.empty()) {
    r.encoding = declared_canon.empty() || IsUtf16(declared_canon) ? "UTF-8" : declared_canon;
    r.source = EncodingSource::kAscii;
    r.confidence = 1;
    return r;
  }

  // 1. Byte order marks.
  struct Bom {
    std::string_view bytes;
    const char* enc;
  };
  static constexpr Bom kBoms[] = {
      {"\xEF\xBB\xBF", "UTF-8"}, {"\xFF\xFE", "UTF-16LE"}, {"\xFE\xFF", "UTF-16BE"}};
  for (const Bom& bom : kBoms) {
    if (bytes.substr(0, bom.bytes.size()) == bom.bytes) {
      r.source = EncodingSource::kBom;
      r.confidence = 1;
      if (!declared_canon.empty() && declared_canon != bom.enc) {
        r.notes.push_back("declared " + std::string(TrimAscii(declared)) + " but the BOM says " +
                          bom.enc);
      }
      return finish(Convert(bytes.substr(bom.bytes.size()), bom.enc, strict), bom.enc);
    }
  }

  // 2. UTF-16 without a BOM: declared or obvious from zero bytes.
  if (IsUtf16(declared_canon) || !GuessUtf16(bytes).empty()) {
    std::string enc = IsUtf16(declared_canon) ? declared_canon : GuessUtf16(bytes);
    r.source = IsUtf16(declared_canon) ? EncodingSource::kDeclared : EncodingSource::kDetected;
    r.confidence = IsUtf16(declared_canon) ? 0.9 : 0.7;
    return finish(Convert(bytes, enc, strict), enc);
  }

  // Binary data: text has almost no C0 controls other than tab/CR/LF/FF.
  const std::string_view probe = bytes.substr(0, 1 << 16);
  const size_t controls = static_cast<size_t>(std::count_if(probe.begin(), probe.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1B;
  }));
  if (controls * 100 > probe.size() && controls > 2) {
    return Status::InvalidArgument("not text: " + std::to_string(controls) +
                                   " control bytes in the first " + std::to_string(probe.size()) +
                                   " bytes (binary data)");
  }

  const size_t non_ascii = CountNonAscii(bytes);
  // 3. Pure ASCII: every ASCII-compatible encoding agrees.
  if (non_ascii == 0) {
    r.text = std::string(bytes);
    r.encoding = declared_canon.empty() ? "UTF-8" : declared_canon;
    r.source = EncodingSource::kAscii;
    r.confidence = 1;
    return r;
  }

  // 4. Valid UTF-8 wins over a declaration, unless the evidence is thin.
  const Utf8Stats u8 = CountUtf8(bytes);
  if (u8.invalid == 0) {
    // Valid UTF-8 converts to itself: a copy instead of ICU's round trip
    // through UTF-16.
    auto copy = [&] {
      Converted c;
      c.ok = true;
      c.text = std::string(bytes);
      return c;
    };
    if (declared_canon.empty() || declared_canon == "UTF-8") {
      r.source = declared_canon.empty() ? EncodingSource::kDetected : EncodingSource::kDeclared;
      r.confidence = declared_canon.empty() && u8.multibyte < 3 ? 0.8 : 1.0;
      return finish(copy(), "UTF-8");
    }
    if (u8.multibyte >= 3) {
      r.source = EncodingSource::kDetected;
      r.confidence = 0.95;
      r.notes.push_back("declared " + std::string(TrimAscii(declared)) +
                        " but content is valid UTF-8; decoded as UTF-8");
      return finish(copy(), "UTF-8");
    }
    // Two or fewer sequences: valid UTF-8 by chance is plausible, so the
    // declaration stands if it decodes cleanly, flagged as a guess.
    Converted c = Convert(bytes, declared_canon, false);
    if (c.ok && c.replaced == 0) {
      r.source = EncodingSource::kDeclared;
      r.confidence = 0.6;
      r.notes.push_back("content is also valid UTF-8; kept declared " + declared_canon);
      return finish(std::move(c), declared_canon);
    }
    r.source = EncodingSource::kDetected;
    r.confidence = 0.6;
    return finish(Convert(bytes, "UTF-8", strict), "UTF-8");
  }

  // 5. Not UTF-8. A declared legacy charset that decodes cleanly stands.
  if (declared_canon == "UTF-8") {
    r.notes.push_back("declared UTF-8 but content is not valid UTF-8 (" +
                      std::to_string(u8.invalid) + " invalid bytes)");
  } else if (!declared_canon.empty()) {
    Converted c = Convert(bytes, declared_canon, false);
    if (c.ok && c.replaced == 0) {
      r.source = EncodingSource::kDeclared;
      r.confidence = non_ascii >= 16 ? 0.95 : 0.7;
      return finish(std::move(c), declared_canon);
    }
    if (c.ok) {
      r.notes.push_back("declared " + std::string(TrimAscii(declared)) + " leaves " +
                        std::to_string(c.replaced) + " undecodable sequence(s)");
    }
  }

  // 6. Mostly UTF-8 with a few broken bytes (a truncated page, a bad edit).
  if (u8.multibyte >= 8 && u8.invalid * 100 <= non_ascii) {
    r.source = EncodingSource::kDetected;
    r.confidence = 0.8;
    return finish(Convert(bytes, "UTF-8", strict), "UTF-8");
  }

  // 7. Content detection; uchardet's answer is checked by decoding.
  const std::string detected = CanonicalEncoding(UchardetGuess(bytes));
  std::vector<std::string> candidates;
  auto add = [&](const std::string& enc) {
    if (enc.empty() || enc == "UTF-8" || IsUtf16(enc) || enc == "windows-1252") return;
    if (std::find(candidates.begin(), candidates.end(), enc) == candidates.end()) {
      candidates.push_back(enc);
    }
  };
  add(detected);
  add(declared_canon);
  add("GB18030");
  add("Big5");
  Converted best;
  std::string best_enc;
  for (const std::string& enc : candidates) {
    Converted c = Convert(bytes, enc, false);
    if (!c.ok) continue;
    // A later candidate must be clearly better than uchardet's choice.
    const bool better = best_enc.empty() || c.replaced * 2 + 1 < best.replaced;
    if (better) {
      best = std::move(c);
      best_enc = enc;
    }
  }
  if (best_enc.empty()) {
    return Status::InvalidArgument("cannot determine the text encoding");
  }
  r.source = EncodingSource::kDetected;
  double conf = best_enc == detected ? 0.9 : 0.5;
  if (non_ascii < 16) conf = std::min(conf, 0.5);
  if (detected.empty()) r.notes.push_back("content detection found no encoding");
  if (!detected.empty() && best_enc != detected) {
    r.notes.push_back("detector said " + detected + " but " + best_enc + " decodes better");
  }
  if (!declared_canon.empty() && declared_canon != best_enc) {
    r.notes.push_back("declared " + std::string(TrimAscii(declared)) + " but decoded as " +
                      best_enc);
  }
  r.confidence = conf;
  if (conf < 0.7) r.notes.push_back("low-confidence guess: " + best_enc);
  return finish(std::move(best), best_enc);
}

}  // namespace baogao::text
