// Form parsing, cookies, MACs, captcha challenges, rate limits and comment
// text rendering; see guard.h.
#include "web/guard.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <span>

#include "base/sha256.h"
#include "text/text.h"
#include "web/http.h"

namespace baogao::web {
namespace {

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// An endless byte stream HMAC(secret, label || nonce || counter): the
// captcha answer's randomness, reproducible only with the secret.
class DerivedRandom : public RandomSource {
 public:
  DerivedRandom(const Signer& signer, std::string_view nonce) : signer_(signer), nonce_(nonce) {}
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) {
      if (pos_ == block_.size()) {
        block_ = HmacSha256(signer_.secret(),
                            "captcha-answer\n" + nonce_ + "\n" + std::to_string(counter_++));
        pos_ = 0;
      }
      b = block_[pos_++];
    }
  }

 private:
  const Signer& signer_;
  std::string nonce_;
  uint64_t counter_ = 0;
  std::array<uint8_t, 32> block_{};
  size_t pos_ = 32;
};

}  // namespace

// ---- Forms and cookies ----

std::string Form::Get(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return "";
}

bool Form::Has(std::string_view name) const {
  return std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.first == name; });
}

std::vector<std::string> Form::GetAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) {
    if (k == name) out.push_back(v);
  }
  return out;
}

Result<Form> ParseForm(std::string_view body, size_t max_fields) {
  Form form;
  size_t start = 0;
  while (start <= body.size() && !body.empty()) {
    size_t amp = body.find('&', start);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view pair = body.substr(start, amp - start);
    if (!pair.empty()) {
      if (form.fields.size() >= max_fields) {
        return Status::InvalidArgument("表单字段过多（最多 " + std::to_string(max_fields) +
                                       " 个）");
      }
      const size_t eq = pair.find('=');
      std::string name = PercentDecode(pair.substr(0, eq), true);
      std::string value =
          eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true);
      if (!text::IsValidUtf8(name) || !text::IsValidUtf8(value)) {
        return Status::InvalidArgument("表单内容不是有效的 UTF-8 文本");
      }
      form.fields.emplace_back(std::move(name), std::move(value));
    }
    start = amp + 1;
  }
  return form;
}

std::map<std::string, std::string> ParseCookies(std::string_view header) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < header.size()) {
    size_t semi = header.find(';', start);
    if (semi == std::string_view::npos) semi = header.size();
    std::string_view item = header.substr(start, semi - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos && eq > 0) {
      std::string_view value = item.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      out.emplace(std::string(item.substr(0, eq)), std::string(value));
    }
    start = semi + 1;
  }
  return out;
}

std::string SetCookieValue(std::string_view name, std::string_view value,
                           const CookieOptions& options) {
  std::string out(name);
  out += '=';
  out += value;
  out += "; Path=/; SameSite=Strict";
  if (options.http_only) out += "; HttpOnly";
  if (options.secure) out += "; Secure";
  if (options.max_age >= 0) out += "; Max-Age=" + std::to_string(options.max_age);
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  char* o = out.data();
  for (unsigned char c : bytes) {
    *o++ = kHex[c >> 4];
    *o++ = kHex[c & 0xf];
  }
  return out;
}

std::string RandomHex(RandomSource& rng, size_t n) {
  std::string bytes(n, '\0');
  rng.Fill(std::span<uint8_t>(reinterpret_cast<uint8_t*>(bytes.data()), n));
  return HexEncode(bytes);
}

// ---- Signing ----

std::string Signer::Mac(std::string_view label, std::string_view message, size_t bytes) const {
  std::string input(label);
  input += '\n';
  input += message;
  const Sha256::Digest d = key_.Sign(input);
  return HexEncode(
      std::string_view(reinterpret_cast<const char*>(d.data()), std::min(bytes, d.size())));
}

bool Signer::Verify(std::string_view label, std::string_view message, std::string_view mac,
                    size_t bytes) const {
  return ConstantTimeEqual(Mac(label, message, bytes), mac);
}

// ---- CSRF ----

std::string CsrfToken(const Signer& signer, std::string_view binding) {
  return signer.Mac("csrf", binding);
}

bool CheckCsrfToken(const Signer& signer, std::string_view binding, std::string_view token) {
  if (binding.empty() || token.size() != 32) return false;
  return signer.Verify("csrf", binding, token);
}

bool IsClientId(std::string_view value) { return value.size() == 32 && IsLowerHex(value); }

// ---- Captcha challenges ----

std::string IssueCaptchaToken(const Signer& signer, std::string_view form, int64_t now,
                              RandomSource& rng) {
  std::string body = "v1." + RandomHex(rng, 16) + "." + std::to_string(now) + ".";
  body += form;
  const std::string mac = signer.Mac("captcha", body);
  return body + "." + mac;
}

std::optional<CaptchaChallenge> ParseCaptchaToken(const Signer& signer, std::string_view token) {
  if (token.size() > 200 || !token.starts_with("v1.")) return std::nullopt;
  const size_t last = token.rfind('.');
  if (last == std::string_view::npos || last < 3) return std::nullopt;
  const std::string_view body = token.substr(0, last);
  if (!signer.Verify("captcha", body, token.substr(last + 1))) return std::nullopt;
  // body = v1.<nonce>.<issued>.<form>
  std::string_view rest = body.substr(3);
  const size_t d1 = rest.find('.');
  if (d1 == std::string_view::npos) return std::nullopt;
  const size_t d2 = rest.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return std::nullopt;
  CaptchaChallenge c;
  c.nonce = std::string(rest.substr(0, d1));
  const std::string_view issued = rest.substr(d1 + 1, d2 - d1 - 1);
  c.form = std::string(rest.substr(d2 + 1));
  auto [p, ec] = std::from_chars(issued.data(), issued.data() + issued.size(), c.issued);
  if (ec != std::errc() || p != issued.data() + issued.size()) return std::nullopt;
  if (c.nonce.size() != 32 || !IsLowerHex(c.nonce)) return std::nullopt;
  return c;
}

std::string CaptchaAnswer(const Signer& signer, std::string_view nonce) {
  DerivedRandom rng(signer, nonce);
  return NewCaptchaAnswer(rng);
}

bool CaptchaAnswerMatches(std::string_view typed, std::string_view answer) {
  std::string norm;
  size_t i = 0;
  while (i < typed.size()) {
    const unsigned char c = static_cast<unsigned char>(typed[i]);
    // Full-width ASCII U+FF01..U+FF5E: EF BC 81..EF BD 9E.
    if (c == 0xEF && i + 2 < typed.size()) {
      const unsigned char c1 = static_cast<unsigned char>(typed[i + 1]);
      const unsigned char c2 = static_cast<unsigned char>(typed[i + 2]);
      const uint32_t cp = ((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        norm.push_back(static_cast<char>(cp - 0xFF01 + 0x21));
        i += 3;
        continue;
      }
    }
    // U+3000 ideographic space: E3 80 80.
    if (c == 0xE3 && typed.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') norm.push_back(static_cast<char>(c));
    ++i;
  }
  if (norm.size() != answer.size()) return false;
  std::string a(answer);
  for (char& ch : norm) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (char& ch : a) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ConstantTimeEqual(norm, a);
}

// ---- Rate limits ----

RateLimiter::RateLimiter(double per_minute, double burst, size_t max_keys)
    : rate_(per_minute / 60.0),
      burst_(std::max(1.0, burst)),
      max_keys_(std::max<size_t>(16, max_keys)) {}

bool RateLimiter::Allow(std::string_view key, double now) {
  if (rate_ <= 0) return true;
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      // Drop the buckets that have refilled completely: forgetting them
      // changes nothing. If none has, drop half of them (clients let
      // through sooner, none blocked).
      for (auto b = buckets_.begin(); b != buckets_.end();) {
        if (b->second.tokens + (now - b->second.last) * rate_ >= burst_) {
          b = buckets_.erase(b);
        } else {
          ++b;
        }
      }
      if (buckets_.size() >= max_keys_) {
        size_t n = 0;
        for (auto b = buckets_.begin(); b != buckets_.end();) {
          b = (n++ % 2 == 0) ? buckets_.erase(b) : std::next(b);
        }
      }
    }
    it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + std::max(0.0, now - b.last) * rate_);
  b.last = std::max(b.last, now);
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

// ---- Comment text ----

namespace {

// The end of a URL starting at `start`: up to whitespace, a quote, < > or a
// CJK character (U+3000 and above: 。，）are not part of URLs in Chinese
// text); trailing punctuation . , ; : ! ? ) is left out.
size_t UrlEnd(std::string_view s, size_t start) {
  size_t i = start;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c >= 0x80) break;
    ++i;
  }
  while (i > start && std::string_view(".,;:!?)]}").find(s[i - 1]) != std::string_view::npos) --i;
  return i;
}

bool StartsWithCi(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(s[at + k])) != prefix[k]) return false;
  }
  return true;
}

// Where a link starts at `i`: the length of "http://" / "https://" (or 0).
size_t SchemeAt(std::string_view s, size_t i) {
  if (i > 0 && (std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '+' ||
                s[i - 1] == '-' || s[i - 1] == '.' || s[i - 1] == ':' || s[i - 1] == '/')) {
    return 0;  // inside another scheme or word: "xhttp://", "javascript:http://" stays text
  }
  if (StartsWithCi(s, i, "https://")) return 8;
  if (StartsWithCi(s, i, "http://")) return 7;
  return 0;
}

}  // namespace

int CountLinks(std::string_view text) {
  int n = 0;
  for (size_t i = 0; i < text.size();) {
    size_t scheme = SchemeAt(text, i);
    const bool www = scheme == 0 && StartsWithCi(text, i, "www.") &&
                     (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])));
    if (scheme == 0 && !www) {
      ++i;
      continue;
    }
    const size_t end = UrlEnd(text, i + (www ? 4 : scheme));
    if (end > i + (www ? 4 : scheme)) ++n;
    i = std::max(end, i + 1);
  }
  return n;
}

std::string CommentBodyHtml(std::string_view body) {
  std::string out;
  out.reserve(body.size() + body.size() / 4);
  size_t plain = 0;  // start of the text not yet written
  auto flush_text = [&](size_t until) {
    std::string_view t = body.substr(plain, until - plain);
    size_t line = 0;
    while (line <= t.size()) {
      size_t nl = t.find('\n', line);
      if (nl == std::string_view::npos) nl = t.size();
      std::string_view part = t.substr(line, nl - line);
      if (!part.empty() && part.back() == '\r') part.remove_suffix(1);
      out += HtmlEscape(part);
      if (nl < t.size()) out += "<br>\n";
      line = nl + 1;
    }
  };
  for (size_t i = 0; i < body.size();) {
    const size_t scheme = SchemeAt(body, i);
    if (scheme == 0) {
      ++i;
      continue;
    }
    const size_t end = UrlEnd(body, i + scheme);
    if (end == i + scheme) {
      ++i;
      continue;
    }
    flush_text(i);
    const std::string_view url = body.substr(i, end - i);
    out += "<a href=\"";
    out += HtmlEscape(url);
    out += "\" rel=\"nofollow ugc noopener\">";
    out += HtmlEscape(url);
    out += "</a>";
    plain = end;
    i = end;
  }
  flush_text(body.size());
  return out;
}

}  // namespace baogao::web
