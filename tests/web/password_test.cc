#include "web/password.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <span>
#include <string>
#include <vector>

namespace baogao::web {
namespace {

// Hands out given bytes in order, then repeats the last one.
class ScriptedRandom final : public RandomSource {
 public:
  explicit ScriptedRandom(std::string_view bytes) : bytes_(bytes.begin(), bytes.end()) {}
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) {
      b = bytes_[std::min(next_, bytes_.size() - 1)];
      ++next_;
    }
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t next_ = 0;
};

// Known answers, computed with Debian's argon2 CLI (package argon2,
// 0~20171227-0.3+deb12u1), not with this code:
//   printf '%s' '正确 horse battery 订书钉' |
//     argon2 'baogao-kat-salt!' -id -t 2 -k 19456 -p 1 -l 32 -e
constexpr std::string_view kKatPassword = "正确 horse battery 订书钉";
constexpr std::string_view kKatSalt = "baogao-kat-salt!";  // 16 bytes
constexpr std::string_view kKatHash =
    "$argon2id$v=19$m=19456,t=2,p=1$YmFvZ2FvLWthdC1zYWx0IQ$"
    "Wmg2hhgNJYK/STJU46i7fr7gPEPzMELXNBdp2P8kOSg";
//   printf '%s' 'password' | argon2 'somesaltsomesalt' -id -t 3 -k 65536 -p 4 -l 32 -e
constexpr std::string_view kStrongHash =
    "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
    "gduXp+Z6iReEolmbyHn5V8s1EtJzmEvZfYoY/Fn/AeI";

std::string Hash(std::string_view password, const PasswordParams& params = {}) {
  auto h = HashPassword(password, SystemRandom(), params);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? *h : std::string();
}

TEST(PasswordTest, RoundTrip) {
  std::string h = Hash("correct horse battery staple");
  auto ok = VerifyPassword("correct horse battery staple", h);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(*ok);
}

TEST(PasswordTest, WrongPasswordIsFalse) {
  std::string h = Hash("correct horse battery staple");
  for (std::string_view wrong : {"correct horse battery stapl", "correct horse battery staplE",
                                 "correct horse battery staple ", "Correct horse battery staple",
                                 "", "correct horse battery staple\n"}) {
    auto ok = VerifyPassword(wrong, h);
    ASSERT_TRUE(ok.ok()) << ok.status().ToString();
    EXPECT_FALSE(*ok) << "'" << wrong << "'";
  }
  // Longer than any password that can have been hashed: no match, no error.
  auto ok = VerifyPassword(std::string(kMaxPasswordBytes + 1, 'x'), h);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(*ok);
}

TEST(PasswordTest, SaltDiffersBetweenHashes) {
  std::string a = Hash("same password here");
  std::string b = Hash("same password here");
  EXPECT_NE(a, b);
  // The salt is the second-to-last field.
  auto salt = [](const std::string& h) {
    size_t last = h.rfind('$');
    size_t before = h.rfind('$', last - 1);
    return h.substr(before + 1, last - before - 1);
  };
  EXPECT_NE(salt(a), salt(b));
  EXPECT_TRUE(*VerifyPassword("same password here", a));
  EXPECT_TRUE(*VerifyPassword("same password here", b));
}

TEST(PasswordTest, PhcFormat) {
  std::string h = Hash("correct horse battery staple");
  // 16 bytes of salt = 22 base64 characters, 32 bytes of hash = 43.
  EXPECT_TRUE(std::regex_match(
      h, std::regex(R"(\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43})")))
      << h;
  auto info = ParsePasswordHash(h);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->params.memory_kib, 19456u);
  EXPECT_EQ(info->params.passes, 2u);
  EXPECT_EQ(info->params.lanes, 1u);
  EXPECT_EQ(info->salt_bytes, 16u);
  EXPECT_EQ(info->hash_bytes, 32u);

  auto strong = ParsePasswordHash(kStrongHash);
  ASSERT_TRUE(strong.ok()) << strong.status().ToString();
  EXPECT_EQ(strong->params.memory_kib, 65536u);
  EXPECT_EQ(strong->params.passes, 3u);
  EXPECT_EQ(strong->params.lanes, 4u);
}

TEST(PasswordTest, DefaultsAreAtLeastOwaspMinimum) {
  PasswordParams p;
  EXPECT_GE(p.memory_kib, 19u * 1024);  // 19 MiB
  EXPECT_GE(p.passes, 2u);
  EXPECT_GE(p.lanes, 1u);
  auto info = ParsePasswordHash(Hash("correct horse battery staple"));
  ASSERT_TRUE(info.ok());
  EXPECT_GE(info->params.memory_kib, 19u * 1024);
  EXPECT_GE(info->params.passes, 2u);
}

TEST(PasswordTest, KnownAnswerFromArgon2Cli) {
  // Our encoding of the same salt and parameters gives the CLI's string.
  ScriptedRandom rng(kKatSalt);
  auto h = HashPassword(kKatPassword, rng);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(*h, kKatHash);
  EXPECT_TRUE(*VerifyPassword(kKatPassword, kKatHash));
  EXPECT_FALSE(*VerifyPassword("正确 horse battery 订书针", kKatHash));
  // Other parameters than ours, read from the string.
  EXPECT_TRUE(*VerifyPassword("password", kStrongHash));
  EXPECT_FALSE(*VerifyPassword("Password", kStrongHash));
}

TEST(PasswordTest, MalformedHashesAreInvalidArgument) {
  const std::string kat(kKatHash);
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string s = kat;
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  const std::vector<std::string> bad = {
      "",
      "password",
      "$argon2id$",
      "$argon2id$v=19$m=19456,t=2,p=1",
      "$argon2id$v=19$m=19456,t=2,p=1$YmFvZ2FvLWthdC1zYWx0IQ",
      "$argon2id$v=19$m=19456,t=2,p=1$YmFvZ2FvLWthdC1zYWx0IQ$",
      kat.substr(0, kat.size() - 23),  // hash of 20 characters = 15 bytes, too short
      replaced("$argon2id$", "$argon2i$"),
      replaced("$argon2id$", "$argon2d$"),
      replaced("$argon2id$", "$argon2ID$"),
      replaced("$argon2id$", "$scrypt$"),
      replaced("$v=19$", "$v=16$"),
      replaced("$v=19$", "$"),  // no version: argon2 1.0
      replaced("m=19456", "m=4096"),
      replaced("m=19456", "m=19455"),
      replaced("t=2", "t=1"),
      replaced("p=1", "p=0"),
      replaced("m=19456", "m=019456"),
      replaced("m=19456", "m=+19456"),
      replaced("m=19456", "m=4294967296"),  // over 32 bits
      replaced("m=19456", "m=4194304"),     // 4 GiB: over the maximum
      replaced("t=2", "t=100"),
      replaced("p=1", "p=64"),
      replaced("m=19456,t=2,p=1", "t=2,m=19456,p=1"),
      replaced("m=19456,t=2,p=1", "m=19456,t=2"),
      replaced("m=19456,t=2,p=1", "m=19456,t=2,p=1,keyid=x"),
      replaced("m=19456,t=2,p=1", "m=19456, t=2,p=1"),
      replaced("YmFvZ2FvLWthdC1zYWx0IQ", "YmFvZ2FvLWthdC1zYWx0IQ=="),  // padding
      replaced("YmFvZ2FvLWthdC1zYWx0IQ", "YmFvZ2FvLWthdC1zYWx0I*"),
      replaced("YmFvZ2FvLWthdC1zYWx0IQ", "YmFvZ2FvLWthdC1zYWx0I_"),  // base64url
      replaced("YmFvZ2FvLWthdC1zYWx0IQ", "YmFvZ2FvLWthdC1zYWx0IR"),  // low bits set
      replaced("YmFvZ2FvLWthdC1zYWx0IQ", "YmFvZ2FvLWthdC1zYWx0I"),   // 4n+1 characters
      replaced("YmFvZ2FvLWthdC1zYWx0IQ", "YmFvZw"),                  // 4-byte salt
      replaced("P8kOSg", "P8kOSh"),                                  // low bits set
      replaced("P8kOSg", "P8kO g"),
      kat + "$",
      kat + "$extra",
      kat + " ",
      kat + "\n",
      " " + kat,
  };
  for (const std::string& s : bad) {
    auto v = VerifyPassword(kKatPassword, s);
    ASSERT_FALSE(v.ok()) << "accepted: " << s;
    EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument) << s;
    // The message names the problem without quoting the stored hash.
    EXPECT_EQ(v.status().message().find("Wmg2hhgN"), std::string::npos) << v.status().message();
    EXPECT_FALSE(ParsePasswordHash(s).ok()) << s;
    EXPECT_TRUE(NeedsRehash(s)) << s;
  }
}

TEST(PasswordTest, EveryTruncationIsRefusedOrFalse) {
  const std::string kat(kKatHash);
  for (size_t n = 0; n < kat.size(); ++n) {
    auto v = VerifyPassword(kKatPassword, kat.substr(0, n));
    // A cut inside the hash can leave a shorter, well-formed hash; it must
    // then not match.
    EXPECT_TRUE(!v.ok() || !*v) << n;
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument) << n;
    }
  }
}

TEST(PasswordTest, HashPasswordRefusesBadInput) {
  auto empty = HashPassword("", SystemRandom());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto too_long = HashPassword(std::string(kMaxPasswordBytes + 1, 'x'), SystemRandom());
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidArgument);
  auto weak = HashPassword("correct horse", SystemRandom(), {.memory_kib = 4096});
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.status().code(), StatusCode::kInvalidArgument);
  auto one_pass = HashPassword("correct horse", SystemRandom(), {.passes = 1});
  ASSERT_FALSE(one_pass.ok());
  EXPECT_EQ(one_pass.status().code(), StatusCode::kInvalidArgument);

  std::string longest(kMaxPasswordBytes, 'y');
  std::string h = Hash(longest);
  EXPECT_TRUE(*VerifyPassword(longest, h));
  // Bytes after a NUL count: the length is passed, not found.
  std::string with_nul("correct\0horse", 13);
  std::string h2 = Hash(with_nul);
  EXPECT_TRUE(*VerifyPassword(with_nul, h2));
  EXPECT_FALSE(*VerifyPassword("correct", h2));
}

TEST(PasswordTest, NeedsRehash) {
  std::string h = Hash("correct horse battery staple");
  EXPECT_FALSE(NeedsRehash(h));
  EXPECT_FALSE(NeedsRehash(kKatHash));
  EXPECT_TRUE(NeedsRehash(h, {.memory_kib = 65536}));
  EXPECT_TRUE(NeedsRehash(h, {.passes = 3}));
  EXPECT_FALSE(NeedsRehash(h, {.lanes = 4}));  // lanes are not strength
  EXPECT_FALSE(NeedsRehash(kStrongHash));
  EXPECT_FALSE(NeedsRehash(kStrongHash, {.memory_kib = 65536, .passes = 3}));
  EXPECT_TRUE(NeedsRehash(kStrongHash, {.memory_kib = 65537, .passes = 3}));
  std::string stronger = Hash("correct horse battery staple", {.memory_kib = 32768, .passes = 3});
  EXPECT_FALSE(NeedsRehash(stronger));
  EXPECT_TRUE(NeedsRehash(stronger, {.memory_kib = 65536}));
  // A valid but short salt (8 bytes) or hash (16 bytes) is replaced.
  EXPECT_TRUE(NeedsRehash("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$" +
                          std::string("Wmg2hhgNJYK/STJU46i7fr7gPEPzMELXNBdp2P8kOSg")));
  EXPECT_TRUE(NeedsRehash("$argon2id$v=19$m=19456,t=2,p=1$YmFvZ2FvLWthdC1zYWx0IQ$" +
                          std::string("Wmg2hhgNJYK/STJU46i7fg")));
  EXPECT_TRUE(NeedsRehash(""));
  EXPECT_TRUE(
      NeedsRehash("$argon2i$v=19$m=19456,t=2,p=1$YmFvZ2FvLWthdC1zYWx0IQ$"
                  "Wmg2hhgNJYK/STJU46i7fr7gPEPzMELXNBdp2P8kOSg"));
}

TEST(PasswordTest, CheckNewPassword) {
  EXPECT_EQ(CheckNewPassword("correct horse"), "");
  EXPECT_EQ(CheckNewPassword("abcdefghij"), "");            // exactly 10
  EXPECT_EQ(CheckNewPassword("中华人民共和国国务院"), "");  // 10 characters, 30 bytes
  EXPECT_EQ(CheckNewPassword("aaaaaaaaab"), "");
  EXPECT_EQ(CheckNewPassword(std::string(kMaxPasswordBytes - 1, 'a') + "b"), "");

  const std::string kTooShort = "密码至少需要 10 个字符";
  EXPECT_EQ(CheckNewPassword(""), kTooShort);
  EXPECT_EQ(CheckNewPassword("abcdefghi"), kTooShort);
  EXPECT_EQ(CheckNewPassword("中华人民共和国国务"), kTooShort);  // 27 bytes, 9 characters

  const std::string kSame = "密码不能由同一个字符重复组成";
  EXPECT_EQ(CheckNewPassword("aaaaaaaaaa"), kSame);
  EXPECT_EQ(CheckNewPassword("中中中中中中中中中中中中"), kSame);
  EXPECT_EQ(CheckNewPassword(std::string(kMaxPasswordBytes, 'a')), kSame);

  const std::string kTooLong = "密码不能超过 1024 个字节";
  EXPECT_EQ(CheckNewPassword(std::string(kMaxPasswordBytes, 'a') + "b"), kTooLong);
  EXPECT_EQ(CheckNewPassword(std::string(400, 'a') + std::string(1000, 'b')), kTooLong);

  const std::string kNotUtf8 = "密码不是有效的 UTF-8 文本";
  EXPECT_EQ(CheckNewPassword("abcdefghij\xff"), kNotUtf8);
  EXPECT_EQ(CheckNewPassword("abcdefghij\xe4\xb8"), kNotUtf8);      // truncated 中
  EXPECT_EQ(CheckNewPassword("abcdefghij\xc0\xaf"), kNotUtf8);      // overlong '/'
  EXPECT_EQ(CheckNewPassword("abcdefghij\xed\xa0\x80"), kNotUtf8);  // surrogate
}

TEST(PasswordTest, BurnPasswordTimeRuns) {
  // No timing assertions (no timed tests); it must simply work, repeatedly.
  BurnPasswordTime();
  BurnPasswordTime();
}

}  // namespace
}  // namespace baogao::web
