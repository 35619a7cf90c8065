// Admin passwords (issue 6): argon2id hashes in the PHC string format, with
// Debian's libargon2, and the policy for new passwords.
//
// A stored hash looks like
//   $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
// (salt and hash in standard base64 without padding). Only argon2id,
// version 19, is accepted, and only with at least kMinPasswordParams: a
// weaker stored hash is refused rather than verified, so a downgraded row in
// the database cannot lower the cost of guessing.
//
// Every function here is thread-safe. Hashing and verifying take tens of
// milliseconds and about 19 MiB each: call them off the I/O threads.
#ifndef BAOGAO_WEB_PASSWORD_H_
#define BAOGAO_WEB_PASSWORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "web/captcha.h"

namespace baogao::web {

// The cost of one hash.
struct PasswordParams {
  uint32_t memory_kib = 19456;  // 19 MiB, OWASP minimum for argon2id
  uint32_t passes = 2;          // argon2's t
  uint32_t lanes = 1;           // argon2's p (also the number of threads)
};

// The weakest parameters hashed or verified (the defaults above).
inline constexpr PasswordParams kMinPasswordParams{};
// The strongest accepted, so that a corrupt or hostile stored hash cannot
// make a login allocate gigabytes or run for minutes.
inline constexpr PasswordParams kMaxPasswordParams{.memory_kib = 1024 * 1024,  // 1 GiB
                                                   .passes = 64,
                                                   .lanes = 16};
// Longest password hashed, in bytes.
inline constexpr size_t kMaxPasswordBytes = 1024;
// Fewest characters (code points) CheckNewPassword accepts.
inline constexpr size_t kMinPasswordChars = 10;

// A new hash of `password`: argon2id v19 with `params`, a 16-byte salt from
// `rng` (SystemRandom() in production) and a 32-byte hash, as a PHC string.
// Errors: kInvalidArgument for an empty password, one over kMaxPasswordBytes,
// or params outside [kMinPasswordParams, kMaxPasswordParams]; kInternal
// with libargon2's words when it fails (e.g. out of memory).
Result<std::string> HashPassword(std::string_view password, RandomSource& rng,
                                 const PasswordParams& params = {});

// Whether `password` matches the stored hash `phc`. The hashes are compared
// in constant time. An empty password or one over kMaxPasswordBytes matches
// nothing (false, without hashing: no such password was ever stored).
// Errors: kInvalidArgument for a malformed PHC string, another variant or
// version than argon2id v19, parameters outside [kMinPasswordParams,
// kMaxPasswordParams], a salt outside 8..64 bytes or a hash outside 16..64
// bytes; kInternal with libargon2's words when it fails.
Result<bool> VerifyPassword(std::string_view password, std::string_view phc);

// What a PHC string says, once it has passed the checks of VerifyPassword.
struct PasswordHashInfo {
  PasswordParams params;
  size_t salt_bytes = 0;
  size_t hash_bytes = 0;
};
// Parses `phc` with the checks (and errors) of VerifyPassword.
Result<PasswordHashInfo> ParsePasswordHash(std::string_view phc);

// Whether the stored hash `phc` should be replaced at the next successful
// login: its memory or passes are below `params`, its salt is shorter than
// 16 bytes or its hash shorter than 32, or it does not parse at all. Lanes
// are not compared: more lanes over the same memory is not stronger.
bool NeedsRehash(std::string_view phc, const PasswordParams& params = {});

// Checks a new password against the policy: valid UTF-8, at most
// kMaxPasswordBytes bytes, at least kMinPasswordChars characters (code
// points), not one character repeated. Returns "" when it passes, else a
// message for the user in Chinese saying what is wrong
// (e.g. "密码至少需要 10 个字符").
std::string CheckNewPassword(std::string_view password);

// Spends the time of one VerifyPassword against a hash with the default
// parameters (a fixed PHC string, built once). A login for an unknown user
// calls this instead of VerifyPassword so that its timing does not tell
// whether the account exists.
void BurnPasswordTime();

}  // namespace baogao::web

#endif  // BAOGAO_WEB_PASSWORD_H_
