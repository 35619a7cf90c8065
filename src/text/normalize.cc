// Text cleanup for imported documents. See text.h for the contract.
#include <string>
#include <string_view>

#include "text/text.h"

namespace baogao::text {
namespace {

bool IsZeroWidth(char32_t cp) {
  return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF;
}

bool IsTrimmable(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\f' || cp == '\v' || cp == 0x3000 || cp == 0x00A0 ||
         IsZeroWidth(cp);
}

}  // namespace

std::string_view TrimSpace(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    size_t len = 1;
    if (!IsTrimmable(DecodeOne(s, begin, &len))) break;
    begin += len;
  }
  size_t end = s.size();
  while (end > begin) {
    // Step back to the start of the last character.
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80 &&
           end - start < 4) {
      --start;
    }
    size_t len = 1;
    const char32_t cp = DecodeOne(s, start, &len);
    if (start + len != end || !IsTrimmable(cp)) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

std::string CleanText(std::string_view in) {
  // Pass 1: line endings and zero-width characters.
  std::string flat;
  flat.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    if (in[i] == '\r') {
      flat.push_back('\n');
      i += (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    size_t len = 1;
    const char32_t cp = DecodeOne(in, i, &len);
    if (!IsZeroWidth(cp)) flat.append(in.substr(i, len));
    i += len;
  }
  // Pass 2: trim lines, collapse blank runs.
  std::string out;
  out.reserve(flat.size());
  bool pending_blank = false;
  size_t pos = 0;
  while (pos <= flat.size()) {
    size_t nl = flat.find('\n', pos);
    if (nl == std::string::npos) nl = flat.size();
    const std::string_view line = TrimSpace(std::string_view(flat).substr(pos, nl - pos));
    if (line.empty()) {
      pending_blank = !out.empty();
    } else {
      if (!out.empty()) out += pending_blank ? "\n\n" : "\n";
      pending_blank = false;
      out.append(line);
    }
    pos = nl + 1;
  }
  return out;
}

}  // namespace baogao::text
