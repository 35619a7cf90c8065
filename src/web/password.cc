#include "web/password.h"

#include <argon2.h>
#include <string.h>

#include <array>
#include <charconv>
#include <optional>
#include <span>
#include <vector>

#include "base/sha256.h"
#include "text/text.h"

namespace baogao::web {
namespace {

constexpr std::string_view kPrefix = "$argon2id$v=19$";
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr size_t kMinSaltBytes = 8;  // argon2's own minimum
constexpr size_t kMaxSaltBytes = 64;
constexpr size_t kMinHashBytes = 16;
constexpr size_t kMaxHashBytes = 64;

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Standard base64 without padding, as PHC strings write it.
std::string EncodeBase64(std::span<const uint8_t> in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += kBase64Alphabet[v & 63];
  }
  if (size_t rest = in.size() - i; rest > 0) {
    uint32_t v = uint32_t{in[i]} << 16;
    if (rest == 2) v |= uint32_t{in[i + 1]} << 8;
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    if (rest == 2) out += kBase64Alphabet[(v >> 6) & 63];
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// The inverse of EncodeBase64, strictly: no padding, no other characters,
// and the unused low bits of the last character must be zero, so that each
// byte string has exactly one spelling.
std::optional<std::vector<uint8_t>> DecodeBase64(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) return std::nullopt;
  return out;
}

// "m=19456" → 19456: decimal, no sign, no leading zero, fits in 32 bits.
std::optional<uint32_t> ParseParam(std::string_view field, std::string_view key) {
  if (field.size() <= key.size() + 1 || field.substr(0, key.size()) != key ||
      field[key.size()] != '=') {
    return std::nullopt;
  }
  std::string_view digits = field.substr(key.size() + 1);
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return v;
}

Status CheckParams(const PasswordParams& p, std::string_view what) {
  if (p.memory_kib < kMinPasswordParams.memory_kib || p.passes < kMinPasswordParams.passes ||
      p.lanes < kMinPasswordParams.lanes) {
    return Status::InvalidArgument(
        std::string(what) + ": parameters m=" + std::to_string(p.memory_kib) +
        ",t=" + std::to_string(p.passes) + ",p=" + std::to_string(p.lanes) +
        " are below the minimum m=" + std::to_string(kMinPasswordParams.memory_kib) +
        ",t=" + std::to_string(kMinPasswordParams.passes));
  }
  if (p.memory_kib > kMaxPasswordParams.memory_kib || p.passes > kMaxPasswordParams.passes ||
      p.lanes > kMaxPasswordParams.lanes) {
    return Status::InvalidArgument(
        std::string(what) + ": parameters m=" + std::to_string(p.memory_kib) +
        ",t=" + std::to_string(p.passes) + ",p=" + std::to_string(p.lanes) +
        " are above the maximum m=" + std::to_string(kMaxPasswordParams.memory_kib) +
        ",t=" + std::to_string(kMaxPasswordParams.passes) +
        ",p=" + std::to_string(kMaxPasswordParams.lanes));
  }
  return Status::Ok();
}

std::string FormatPhc(const PasswordParams& p, std::span<const uint8_t> salt,
                      std::span<const uint8_t> hash) {
  return std::string(kPrefix) + "m=" + std::to_string(p.memory_kib) +
         ",t=" + std::to_string(p.passes) + ",p=" + std::to_string(p.lanes) + "$" +
         EncodeBase64(salt) + "$" + EncodeBase64(hash);
}

struct ParsedHash {
  PasswordParams params;
  std::vector<uint8_t> salt;
  std::vector<uint8_t> hash;
};

Result<ParsedHash> Parse(std::string_view phc) {
  // Never quote the string: its hash is a secret worth keeping out of logs.
  auto malformed = [](std::string_view why) {
    return Status::InvalidArgument("password hash: " + std::string(why));
  };
  if (phc.substr(0, kPrefix.size()) != kPrefix) {
    return malformed("not an argon2id version 19 PHC string ($argon2id$v=19$...)");
  }
  std::string_view rest = phc.substr(kPrefix.size());
  std::array<std::string_view, 3> parts;  // params, salt, hash
  for (size_t i = 0; i < parts.size(); ++i) {
    size_t dollar = rest.find('$');
    if (i + 1 < parts.size()) {
      if (dollar == std::string_view::npos) return malformed("missing fields");
      parts[i] = rest.substr(0, dollar);
      rest = rest.substr(dollar + 1);
    } else {
      if (dollar != std::string_view::npos) return malformed("too many fields");
      parts[i] = rest;
    }
  }
  std::array<std::string_view, 3> fields;  // m=, t=, p=
  std::string_view params = parts[0];
  for (size_t i = 0; i < fields.size(); ++i) {
    size_t comma = params.find(',');
    if (i + 1 < fields.size()) {
      if (comma == std::string_view::npos) return malformed("parameters are not m=,t=,p=");
      fields[i] = params.substr(0, comma);
      params = params.substr(comma + 1);
    } else {
      if (comma != std::string_view::npos) return malformed("parameters are not m=,t=,p=");
      fields[i] = params;
    }
  }
  auto m = ParseParam(fields[0], "m");
  auto t = ParseParam(fields[1], "t");
  auto p = ParseParam(fields[2], "p");
  if (!m || !t || !p) return malformed("parameters are not m=N,t=N,p=N");
  ParsedHash out;
  out.params = {.memory_kib = *m, .passes = *t, .lanes = *p};
  BAOGAO_RETURN_IF_ERROR(CheckParams(out.params, "password hash"));
  auto salt = DecodeBase64(parts[1]);
  if (!salt) return malformed("salt is not base64 without padding");
  if (salt->size() < kMinSaltBytes || salt->size() > kMaxSaltBytes) {
    return malformed("salt of " + std::to_string(salt->size()) + " bytes (want 8..64)");
  }
  auto hash = DecodeBase64(parts[2]);
  if (!hash) return malformed("hash is not base64 without padding");
  if (hash->size() < kMinHashBytes || hash->size() > kMaxHashBytes) {
    return malformed("hash of " + std::to_string(hash->size()) + " bytes (want 16..64)");
  }
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return out;
}

Status Argon2id(std::string_view password, const PasswordParams& params,
                std::span<const uint8_t> salt, std::span<uint8_t> hash) {
  int rc = argon2id_hash_raw(params.passes, params.memory_kib, params.lanes, password.data(),
                             password.size(), salt.data(), salt.size(), hash.data(), hash.size());
  if (rc != ARGON2_OK) {
    return Status::Internal(std::string("argon2id: ") + argon2_error_message(rc));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, RandomSource& rng,
                                 const PasswordParams& params) {
  if (password.empty()) return Status::InvalidArgument("password is empty");
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("password of " + std::to_string(password.size()) +
                                   " bytes (at most " + std::to_string(kMaxPasswordBytes) + ")");
  }
  BAOGAO_RETURN_IF_ERROR(CheckParams(params, "HashPassword"));
  std::array<uint8_t, kSaltBytes> salt;
  rng.Fill(salt);
  std::array<uint8_t, kHashBytes> hash;
  BAOGAO_RETURN_IF_ERROR(Argon2id(password, params, salt, hash));
  return FormatPhc(params, salt, hash);
}

Result<bool> VerifyPassword(std::string_view password, std::string_view phc) {
  BAOGAO_ASSIGN_OR_RETURN(ParsedHash stored, Parse(phc));
  if (password.empty() || password.size() > kMaxPasswordBytes) return false;
  std::vector<uint8_t> computed(stored.hash.size());
  BAOGAO_RETURN_IF_ERROR(Argon2id(password, stored.params, stored.salt, computed));
  // Without an early exit (base/sha256.h); the lengths come from the
  // stored hash and are not secret.
  bool equal = ConstantTimeEqual(
      std::string_view(reinterpret_cast<const char*>(computed.data()), computed.size()),
      std::string_view(reinterpret_cast<const char*>(stored.hash.data()), stored.hash.size()));
  ::explicit_bzero(computed.data(), computed.size());
  return equal;
}

Result<PasswordHashInfo> ParsePasswordHash(std::string_view phc) {
  BAOGAO_ASSIGN_OR_RETURN(ParsedHash parsed, Parse(phc));
  return PasswordHashInfo{
      .params = parsed.params, .salt_bytes = parsed.salt.size(), .hash_bytes = parsed.hash.size()};
}

bool NeedsRehash(std::string_view phc, const PasswordParams& params) {
  auto info = ParsePasswordHash(phc);
  if (!info.ok()) return true;
  return info->params.memory_kib < params.memory_kib || info->params.passes < params.passes ||
         info->salt_bytes < kSaltBytes || info->hash_bytes < kHashBytes;
}

std::string CheckNewPassword(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return "密码不能超过 " + std::to_string(kMaxPasswordBytes) + " 个字节";
  }
  if (!text::IsValidUtf8(password)) return "密码不是有效的 UTF-8 文本";
  size_t chars = 0;
  bool all_same = true;
  char32_t first = 0;
  for (size_t pos = 0; pos < password.size();) {
    size_t len = 0;
    char32_t cp = text::DecodeOne(password, pos, &len);
    if (chars == 0) first = cp;
    if (cp != first) all_same = false;
    ++chars;
    pos += len;
  }
  if (chars < kMinPasswordChars) {
    return "密码至少需要 " + std::to_string(kMinPasswordChars) + " 个字符";
  }
  if (all_same) return "密码不能由同一个字符重复组成";
  return "";
}

void BurnPasswordTime() {
  // Verifying costs one argon2id run with the stored parameters, whatever
  // the stored hash bytes are, so the dummy needs no real hash: the default
  // parameters, a fixed salt and zero bytes. The answer is never looked at.
  static const std::string* const kDummyHash = [] {
    const std::array<uint8_t, kSaltBytes> salt{};
    const std::array<uint8_t, kHashBytes> hash{};
    return new std::string(FormatPhc(PasswordParams{}, salt, hash));
  }();
  (void)VerifyPassword("baogao-burn-password-time", *kDummyHash);
}

}  // namespace baogao::web
