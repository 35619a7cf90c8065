// What protects the site's forms (issue 6): form and cookie parsing, the
// keyed MACs behind captcha challenges and CSRF tokens, and rate limits.
//
// Captcha challenges are stateless until they are used: a challenge token
// carries a random nonce, the form it was issued for and when, signed with
// the site secret. The answer is derived from the secret and the nonce, so
// it exists only on the server and is never sent except as the image. A
// challenge is spent in the store (Transaction::SpendCaptcha) by the first
// attempt, right or wrong, and expires after kCaptchaLifetimeSeconds.
//
// Thread-safety: the free functions and a const Signer are safe from any
// thread; RateLimiter is thread-safe.
#ifndef BAOGAO_WEB_GUARD_H_
#define BAOGAO_WEB_GUARD_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/sha256.h"
#include "base/status.h"
#include "web/captcha.h"

namespace baogao::web {

// ---- Forms and cookies ----

// A parsed application/x-www-form-urlencoded body: fields in order.
struct Form {
  std::vector<std::pair<std::string, std::string>> fields;
  // The first value of `name`, or "" when absent.
  std::string Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  // Every value of `name`, in order (checkbox lists).
  std::vector<std::string> GetAll(std::string_view name) const;
};

// Parses a form body ('+' is a space, %XX escapes). kInvalidArgument (with
// a Chinese message) for more than `max_fields` fields or a value that is
// not valid UTF-8.
Result<Form> ParseForm(std::string_view body, size_t max_fields = 200);

// The cookies of a Cookie header, by name (the first of duplicates wins).
std::map<std::string, std::string> ParseCookies(std::string_view header);

struct CookieOptions {
  bool secure = false;  // Secure attribute (and the __Host- prefix is allowed)
  bool http_only = true;
  int64_t max_age = -1;  // seconds; -1: a session cookie; 0: delete
};
// A Set-Cookie value: "name=value; Path=/; SameSite=Strict; HttpOnly; ...".
// Always Path=/ and SameSite=Strict, never Domain.
std::string SetCookieValue(std::string_view name, std::string_view value,
                           const CookieOptions& options);

// Lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);
// `n` random bytes from `rng`, hex-encoded (2n characters).
std::string RandomHex(RandomSource& rng, size_t n);

// ---- Signing ----

// Keyed MACs under the site secret, one sub-key per purpose label.
class Signer {
 public:
  explicit Signer(std::string secret) : secret_(std::move(secret)), key_(secret_) {}
  // Hex of the first `bytes` bytes of HMAC-SHA256(secret, label "\n" message).
  std::string Mac(std::string_view label, std::string_view message, size_t bytes = 16) const;
  // Whether `mac` is Mac(label, message, bytes), in constant time.
  bool Verify(std::string_view label, std::string_view message, std::string_view mac,
              size_t bytes = 16) const;
  const std::string& secret() const { return secret_; }

 private:
  std::string secret_;
  HmacSha256Key key_;
};

// ---- CSRF ----

// Public forms use a double-submit cookie: the cookie holds a random client
// id (32 hex), and the form's token is a MAC of it, so a page from another
// site can neither read nor forge it. Admin forms bind the token to the
// session's own secret instead.
inline constexpr std::string_view kCsrfField = "_csrf";
std::string CsrfToken(const Signer& signer, std::string_view binding);
bool CheckCsrfToken(const Signer& signer, std::string_view binding, std::string_view token);
// Whether `value` looks like a client id we issued (32 lower-case hex).
bool IsClientId(std::string_view value);

// ---- Captcha challenges ----

inline constexpr int64_t kCaptchaLifetimeSeconds = 600;

struct CaptchaChallenge {
  std::string nonce;   // 32 hex: the challenge's identity (and the form's idempotency key)
  int64_t issued = 0;  // unix seconds
  std::string form;    // which form it was issued for: "c7236" (comment), "t7236" (takedown)
};

// Whether a challenge is past its lifetime at `now` (or claims to be issued
// more than a minute in the future).
inline bool ChallengeExpired(const CaptchaChallenge& c, int64_t now) {
  return now - c.issued > kCaptchaLifetimeSeconds || c.issued > now + 60;
}
// How long a spent challenge's nonce must be remembered: past its expiry.
inline int64_t SpentUntil(const CaptchaChallenge& c) {
  return c.issued + kCaptchaLifetimeSeconds + 60;
}

// "v1.<nonce>.<issued>.<form>.<mac>": URL- and attribute-safe.
std::string IssueCaptchaToken(const Signer& signer, std::string_view form, int64_t now,
                              RandomSource& rng);
// The challenge a token carries when its MAC is right; nullopt for anything
// malformed or forged. Does not check expiry or the form (callers do, to
// say which).
std::optional<CaptchaChallenge> ParseCaptchaToken(const Signer& signer, std::string_view token);
// The answer to a challenge: kCaptchaLength characters of kCaptchaAlphabet
// derived from HMAC(secret, nonce). Only the server can compute it.
std::string CaptchaAnswer(const Signer& signer, std::string_view nonce);
// Compares what the reader typed with the answer: case-insensitive, spaces
// around ignored, full-width letters and digits accepted.
bool CaptchaAnswerMatches(std::string_view typed, std::string_view answer);

// ---- Rate limits ----

// Token buckets by key ("comment:1.2.3.4", "comment:*"): `per_minute`
// events a minute on average, bursts up to `burst`. Bounded memory: at most
// `max_keys` buckets; when full, the fullest (idlest) buckets are dropped,
// which only ever lets a client through sooner, never blocks one.
class RateLimiter {
 public:
  RateLimiter(double per_minute, double burst, size_t max_keys = 100000);
  // Takes one token for `key` at time `now_seconds`; false when none is left.
  // per_minute <= 0 disables the limit (always true).
  bool Allow(std::string_view key, double now_seconds);

 private:
  struct Bucket {
    double tokens;
    double last;
  };
  std::mutex mu_;
  double rate_;  // tokens per second
  double burst_;
  size_t max_keys_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// ---- Comment text ----

// How many http:// or https:// links (and www. hosts) `text` holds.
int CountLinks(std::string_view text);
// A comment body as HTML: escaped, line breaks as <br>, http(s) URLs as
// <a href rel="nofollow ugc">; every other scheme (javascript:, data:, ...)
// stays inert text.
std::string CommentBodyHtml(std::string_view body);

}  // namespace baogao::web

#endif  // BAOGAO_WEB_GUARD_H_
