// Form and cookie parsing, tokens, captcha answers, rate limits and comment
// HTML (web/guard.h).
#include "web/guard.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "web/captcha.h"

namespace baogao::web {
namespace {

class CountingRandom : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) b = static_cast<uint8_t>(next_++);
  }

 private:
  uint32_t next_ = 0;
};

TEST(FormTest, ParsesFieldsInOrder) {
  auto f = ParseForm("a=1&b=%E4%BD%A0+%E5%A5%BD&a=2&empty=&novalue&&c=x%3Dy");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->Get("a"), "1");
  EXPECT_EQ(f->GetAll("a"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(f->Get("b"), "你 好");
  EXPECT_TRUE(f->Has("empty"));
  EXPECT_TRUE(f->Has("novalue"));
  EXPECT_EQ(f->Get("c"), "x=y");
  EXPECT_EQ(f->Get("missing"), "");
  EXPECT_FALSE(f->Has("missing"));
  EXPECT_TRUE(ParseForm("")->fields.empty());
}

TEST(FormTest, RefusesInvalidUtf8AndTooManyFields) {
  auto bad = ParseForm("body=%FF%FE");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("UTF-8"), std::string::npos);
  std::string many;
  for (int i = 0; i < 201; ++i) many += "f" + std::to_string(i) + "=1&";
  EXPECT_FALSE(ParseForm(many).ok());
  EXPECT_TRUE(ParseForm(many, 300).ok());
}

TEST(CookieTest, ParsesAndBuilds) {
  auto c = ParseCookies("a=1; bg_client=\"abc\";  b = 2 ;c=x=y; a=second; =novalue; flag");
  EXPECT_EQ(c["a"], "1");  // the first of duplicates
  EXPECT_EQ(c["bg_client"], "abc");
  EXPECT_EQ(c["c"], "x=y");
  EXPECT_EQ(c.count("flag"), 0u);
  CookieOptions o;
  o.secure = true;
  o.max_age = 60;
  EXPECT_EQ(SetCookieValue("__Host-x", "v", o),
            "__Host-x=v; Path=/; SameSite=Strict; HttpOnly; Secure; Max-Age=60");
  EXPECT_EQ(SetCookieValue("x", "v", {}), "x=v; Path=/; SameSite=Strict; HttpOnly");
}

TEST(CsrfTest, TokensAreBoundToTheClientAndTheSecret) {
  Signer a("secret a");
  Signer b("secret b");
  const std::string client = "0123456789abcdef0123456789abcdef";
  const std::string t = CsrfToken(a, client);
  EXPECT_EQ(t.size(), 32u);
  EXPECT_TRUE(CheckCsrfToken(a, client, t));
  EXPECT_FALSE(CheckCsrfToken(b, client, t));
  EXPECT_FALSE(CheckCsrfToken(a, "fedcba9876543210fedcba9876543210", t));
  EXPECT_FALSE(CheckCsrfToken(a, client, ""));
  EXPECT_FALSE(CheckCsrfToken(a, "", CsrfToken(a, "")));
  std::string flipped = t;
  flipped[0] = flipped[0] == '0' ? '1' : '0';
  EXPECT_FALSE(CheckCsrfToken(a, client, flipped));
  EXPECT_TRUE(IsClientId(client));
  EXPECT_FALSE(IsClientId("0123456789ABCDEF0123456789ABCDEF"));
  EXPECT_FALSE(IsClientId("0123"));
}

TEST(CaptchaTokenTest, RoundTripAndForgery) {
  Signer s("site secret");
  CountingRandom rng;
  const std::string token = IssueCaptchaToken(s, "c7236", 1700000000, rng);
  auto c = ParseCaptchaToken(s, token);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->form, "c7236");
  EXPECT_EQ(c->issued, 1700000000);
  EXPECT_EQ(c->nonce.size(), 32u);
  EXPECT_FALSE(ParseCaptchaToken(Signer("other secret"), token));
  // Any edit of the signed part or the MAC breaks it.
  for (size_t i = 0; i < token.size(); ++i) {
    std::string t = token;
    t[i] = t[i] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(ParseCaptchaToken(s, t)) << "edited at " << i;
  }
  // Re-binding to another form needs a new MAC.
  std::string swapped = token;
  swapped.replace(swapped.find(".c7236."), 7, ".t7236.");
  EXPECT_FALSE(ParseCaptchaToken(s, swapped));
  EXPECT_FALSE(ParseCaptchaToken(s, ""));
  EXPECT_FALSE(ParseCaptchaToken(s, "v1...."));
  EXPECT_FALSE(ParseCaptchaToken(s, std::string(300, 'v')));
}

TEST(CaptchaTokenTest, AnswersAreDerivedFromSecretAndNonce) {
  Signer s("site secret");
  const std::string a = CaptchaAnswer(s, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(a.size(), kCaptchaLength);
  for (char ch : a) EXPECT_NE(kCaptchaAlphabet.find(ch), std::string_view::npos);
  EXPECT_EQ(a, CaptchaAnswer(s, "0123456789abcdef0123456789abcdef"));
  // Different nonces and secrets give (almost always) different answers.
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(CaptchaAnswer(s, "nonce" + std::to_string(i)));
  EXPECT_GT(seen.size(), 195u);
  EXPECT_NE(a, CaptchaAnswer(Signer("another"), "0123456789abcdef0123456789abcdef"));
}

TEST(CaptchaTokenTest, TypedAnswersCompareLeniently) {
  EXPECT_TRUE(CaptchaAnswerMatches("4AdJ3K", "4AdJ3K"));
  EXPECT_TRUE(CaptchaAnswerMatches("4adj3k", "4AdJ3K"));
  EXPECT_TRUE(CaptchaAnswerMatches(" 4AD J3K\n", "4AdJ3K"));
  EXPECT_TRUE(CaptchaAnswerMatches("４ＡｄＪ３Ｋ", "4AdJ3K"));  // full-width
  EXPECT_TRUE(
      CaptchaAnswerMatches("4AdJ\xE3\x80\x80"
                           "3K",
                           "4AdJ3K"));  // U+3000
  EXPECT_FALSE(CaptchaAnswerMatches("4AdJ3", "4AdJ3K"));
  EXPECT_FALSE(CaptchaAnswerMatches("4AdJ3KK", "4AdJ3K"));
  EXPECT_FALSE(CaptchaAnswerMatches("", "4AdJ3K"));
  EXPECT_FALSE(CaptchaAnswerMatches("XXXXXX", "4AdJ3K"));
}

TEST(RateLimiterTest, BurstThenRate) {
  RateLimiter r(/*per_minute=*/6, /*burst=*/3);
  EXPECT_TRUE(r.Allow("a", 0));
  EXPECT_TRUE(r.Allow("a", 0));
  EXPECT_TRUE(r.Allow("a", 0));
  EXPECT_FALSE(r.Allow("a", 0));
  EXPECT_TRUE(r.Allow("b", 0));     // another key has its own bucket
  EXPECT_FALSE(r.Allow("a", 5));    // 0.5 tokens refilled
  EXPECT_TRUE(r.Allow("a", 10.5));  // one token after 10 s at 6/min
  EXPECT_FALSE(r.Allow("a", 10.6));
  RateLimiter off(0, 1);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.Allow("x", 0));
}

TEST(RateLimiterTest, BoundedMemoryNeverBlocksNewClients) {
  RateLimiter r(1, 1, /*max_keys=*/16);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(r.Allow("k" + std::to_string(i), 0));
  // A client that used its token stays limited while remembered.
  EXPECT_TRUE(r.Allow("last", 0));
  EXPECT_FALSE(r.Allow("last", 0));
}

TEST(CommentHtmlTest, EscapesAndLinksOnlyHttp) {
  EXPECT_EQ(CommentBodyHtml("a<b>&\"'\nline2\r\nline3"),
            "a&lt;b&gt;&amp;&quot;&#39;<br>\nline2<br>\nline3");
  EXPECT_EQ(CommentBodyHtml("见 https://example.com/a?b=1&c=2。"),
            "见 <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">"
            "https://example.com/a?b=1&amp;c=2</a>。");
  EXPECT_EQ(CommentBodyHtml("javascript:alert(1) data:text/html,x vbscript:x"),
            "javascript:alert(1) data:text/html,x vbscript:x");
  // A scheme glued to another word is not a link.
  EXPECT_EQ(CommentBodyHtml("javascript:http://x.cn"), "javascript:http://x.cn");
  // Quotes and angle brackets end a URL; they never reach the attribute.
  const std::string h =
      CommentBodyHtml("http://x.cn/\"onmouseover=\"alert(1) http://y.cn/<script>");
  EXPECT_EQ(h.find("onmouseover=\"alert"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos);
  std::regex href("href=\"([^\"]*)\"");
  for (std::sregex_iterator it(h.begin(), h.end(), href), end; it != end; ++it) {
    const std::string url = (*it)[1];
    EXPECT_TRUE(url.starts_with("http://") || url.starts_with("https://")) << url;
  }
  EXPECT_EQ(CommentBodyHtml("http://"), "http://");
  EXPECT_EQ(CommentBodyHtml("(see http://a.cn/x)."),
            "(see <a href=\"http://a.cn/x\" rel=\"nofollow ugc noopener\">http://a.cn/x</a>).");
}

TEST(CommentHtmlTest, CountsLinks) {
  EXPECT_EQ(CountLinks("no links here"), 0);
  EXPECT_EQ(CountLinks("http://a.cn https://b.cn www.c.cn"), 3);
  EXPECT_EQ(CountLinks("HTTP://A.CN"), 1);
  EXPECT_EQ(CountLinks("http:// nothing"), 0);
  EXPECT_EQ(CountLinks("javascript:alert(1)"), 0);
  EXPECT_EQ(CountLinks("见www.example.com"), 1);
}

}  // namespace
}  // namespace baogao::web
