// A test-only seam, built with the tests and never installed or served:
// prints the answer to a captcha challenge token, computed from the site
// secret stored in the database. The integration, crash and browser tests
// use it to post forms the way a reader who can read the image would.
//
//   captcha_peek DB TOKEN
#include <cstdio>
#include <string>

#include "store/store.h"
#include "web/guard.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: captcha_peek DB TOKEN\n");
    return 2;
  }
  baogao::store::StoreOptions o;
  o.url = argv[1];
  o.create_if_missing = false;
  auto store = baogao::store::OpenStore(o);
  if (!store.ok()) {
    std::fprintf(stderr, "captcha_peek: %s\n", store.status().ToString().c_str());
    return 1;
  }
  // The site stores its secret when it starts, before it issues a token.
  // On a database it never served, a random candidate becomes the secret,
  // which no token verifies against: the token check below then fails.
  auto secret =
      (*store)->GetOrCreateSecret("site", baogao::web::RandomHex(baogao::web::SystemRandom(), 32));
  if (!secret.ok()) {
    std::fprintf(stderr, "captcha_peek: %s\n", secret.status().ToString().c_str());
    return 1;
  }
  baogao::web::Signer signer(*secret);
  auto challenge = baogao::web::ParseCaptchaToken(signer, argv[2]);
  if (!challenge) {
    std::fprintf(stderr, "captcha_peek: not a valid challenge token\n");
    return 1;
  }
  std::printf("%s\n", baogao::web::CaptchaAnswer(signer, challenge->nonce).c_str());
  return 0;
}
