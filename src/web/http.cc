#include "web/http.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace baogao::web {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> Request::Param(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string Request::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string PercentEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size() * 3);
  for (unsigned char c : in) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

void ParseTarget(std::string_view target, std::string* path,
                 std::vector<std::pair<std::string, std::string>>* query) {
  const size_t q = target.find('?');
  std::string_view p = target.substr(0, q);
  if (const size_t hash = p.find('#'); hash != std::string_view::npos) p = p.substr(0, hash);
  *path = PercentDecode(p, /*plus_is_space=*/false);
  query->clear();
  if (q == std::string_view::npos) return;
  std::string_view rest = target.substr(q + 1);
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    query->emplace_back(
        PercentDecode(pair.substr(0, eq), true),
        eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true));
  }
}

std::string BodyEtag(std::string_view body) {
  // Eight bytes per step (a multiply-xorshift chain; byte-at-a-time FNV-1a
  // was 4% of an uncached search page), then a final avalanche.
  constexpr uint64_t kMul = 0x9fb21c651e98df25ull;
  uint64_t h = 0x243f6a8885a308d3ull ^ body.size();
  size_t i = 0;
  for (; i + 8 <= body.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, body.data() + i, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  if (i < body.size()) std::memcpy(&tail, body.data() + i, body.size() - i);
  h = (h ^ tail) * kMul;
  h ^= h >> 32;
  h *= kMul;
  h ^= h >> 29;
  char buf[48];
  std::snprintf(buf, sizeof buf, "\"%016llx-%zx\"", static_cast<unsigned long long>(h),
                body.size());
  return buf;
}

void AppendHtmlEscaped(std::string_view in, std::string_view apos, std::string* out) {
  size_t done = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string_view entity = HtmlEntity(in[i], apos);
    if (entity.empty()) continue;
    out->append(in, done, i - done);
    out->append(entity);
    done = i + 1;
  }
  out->append(in, done, in.size() - done);
}

std::string HtmlEscape(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  AppendHtmlEscaped(in, "&#39;", &out);
  return out;
}

bool Compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.find("xml") != std::string_view::npos ||
         content_type.find("json") != std::string_view::npos ||
         content_type.find("javascript") != std::string_view::npos;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  // "gzip" listed with a weight above zero ("gzip;q=0", "gzip; q=0.000"
  // refuse it). Good enough for real clients: "*" is not looked at.
  const size_t p = accept_encoding.find("gzip");
  if (p == std::string_view::npos) return false;
  std::string_view params = accept_encoding.substr(p + 4);
  params = params.substr(0, params.find(','));
  const size_t q = params.find("q=");
  if (q == std::string_view::npos) return true;
  for (char c : params.substr(q + 2)) {
    if (c >= '1' && c <= '9') return true;
    if (c != '0' && c != '.') break;
  }
  return false;
}

}  // namespace baogao::web
