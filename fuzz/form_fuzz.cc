// libFuzzer target for what the site's forms read from outside (web/guard.h,
// web/password.h): form bodies, Cookie headers, captcha challenge tokens,
// typed captcha answers, comment bodies rendered as HTML, and stored
// password hashes. Checks: no crash; parsed forms hold valid UTF-8; a token
// parses only with its own MAC; comment HTML carries no markup but <br> and
// <a href="http(s)://..." rel="nofollow ugc noopener">, with every other
// '<' escaped.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/text.h"
#include "web/guard.h"
#include "web/password.h"

namespace {

using namespace baogao::web;

void CheckCommentHtml(std::string_view body) {
  const std::string html = CommentBodyHtml(body);
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string::npos) {
    const std::string_view rest = std::string_view(html).substr(pos);
    if (rest.starts_with("<br>") || rest.starts_with("</a>")) {
      ++pos;
      continue;
    }
    // The scheme keeps the case it was typed in ("HTTPS://" links too).
    std::string head(rest.substr(0, 17));
    for (char& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!head.starts_with("<a href=\"http://") && !head.starts_with("<a href=\"https://")) {
      std::abort();  // markup that did not come from us
    }
    // The attribute value ends at the first quote: no quote inside the URL.
    const size_t close = rest.find("\" rel=\"nofollow ugc noopener\">");
    if (close == std::string_view::npos) std::abort();
    const std::string_view value = rest.substr(9, close - 9);
    if (value.find('"') != std::string_view::npos || value.find('<') != std::string_view::npos) {
      std::abort();
    }
    ++pos;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto form = ParseForm(in);
  if (form.ok()) {
    for (const auto& [k, v] : form->fields) {
      if (!baogao::text::IsValidUtf8(k) || !baogao::text::IsValidUtf8(v)) std::abort();
    }
  } else if (form.status().message().empty()) {
    std::abort();
  }
  (void)ParseCookies(in);
  static const Signer signer("fuzz secret");
  if (auto c = ParseCaptchaToken(signer, in)) {
    // Only a token with the right MAC parses; the fuzzer cannot forge one.
    if (c->nonce.size() != 32) std::abort();
  }
  (void)CaptchaAnswerMatches(in, "34AEJK");
  (void)CountLinks(in);
  CheckCommentHtml(in);
  (void)ParsePasswordHash(in);
  (void)NeedsRehash(in);
  return 0;
}
