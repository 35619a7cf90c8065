// SHA-256 against the FIPS 180-2 test vectors (appendix B) and the empty
// message, in one piece and fed in awkward chunks.
#include "base/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace baogao {
namespace {

TEST(Sha256Test, Fips180OneBlock) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, Fips180TwoBlocks) {
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, Fips180MillionA) {
  Sha256 h;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.Update(chunk);
  EXPECT_EQ(DigestToHex(h.Finish()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, EmptyMessage) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, ChunkingDoesNotMatter) {
  std::string msg;
  for (int i = 0; i < 300; ++i) msg.push_back(static_cast<char>(i * 7));
  const std::string whole = Sha256Hex(msg);
  // Every split around the 55/56/64-byte padding boundaries and beyond.
  for (size_t split = 0; split <= msg.size(); ++split) {
    Sha256 h;
    h.Update(std::string_view(msg).substr(0, split));
    h.Update(std::string_view(msg).substr(split));
    ASSERT_EQ(DigestToHex(h.Finish()), whole) << "split at " << split;
  }
  // Lengths on each side of the padding boundary hash differently and the
  // object resets after Finish().
  Sha256 h;
  h.Update("abc");
  (void)h.Finish();
  h.Update("abc");
  EXPECT_EQ(DigestToHex(h.Finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, PaddingBoundaries) {
  // Values from coreutils sha256sum for 55, 56 and 64 'a's.
  EXPECT_EQ(Sha256Hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(Sha256Hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(Sha256Hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(HmacSha256Test, Rfc4231Vectors) {
  // RFC 4231 test cases 1, 2 and 6 (a key longer than the block is hashed).
  EXPECT_EQ(DigestToHex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(DigestToHex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(DigestToHex(HmacSha256(std::string(131, '\xaa'),
                                   "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256Test, PrecomputedKeySignsManyMessages) {
  // One key object, reused: each message signs as with a fresh HMAC
  // (including a message spanning several blocks and an empty one).
  const HmacSha256Key jefe("Jefe");
  EXPECT_EQ(DigestToHex(jefe.Sign("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Signing leaves the key's state as it was.
  EXPECT_EQ(DigestToHex(jefe.Sign("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const HmacSha256Key key(std::string(131, '\xaa'));
  EXPECT_EQ(DigestToHex(key.Sign(std::string(200, 'x'))),
            DigestToHex(key.Sign(std::string(200, 'x'))));
  EXPECT_EQ(DigestToHex(key.Sign("Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256Test, ConstantTimeEqual) {
  EXPECT_TRUE(ConstantTimeEqual("", ""));
  EXPECT_TRUE(ConstantTimeEqual("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEqual("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEqual("abc", "ab"));
  EXPECT_FALSE(ConstantTimeEqual(std::string_view("a\0c", 3), std::string_view("a\0d", 3)));
}

}  // namespace
}  // namespace baogao
