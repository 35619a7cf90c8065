// Comments, captcha, takedown requests and the admin area (issue 6), end to
// end without a network: a real SQLite store and Xapian index, the project's
// templates, and Site::Handle() called with requests. CSRF on every POST
// route, captcha replay/expiry/forgery and a brute-force run, hostile text
// in every place it is shown (pages, admin queue, feed, refused forms),
// moderation policies, rate limits, admin sign-in and lockout, the audit
// log, hiding reports, the takedown flow and SQL metacharacters.

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../common/files.h"
#include "../common/fixtures.h"
#include "../common/reports.h"
#include "../common/site.h"
#include "../common/strings.h"
#include "base/sha256.h"
#include "region/region.h"
#include "report/clock.h"
#include "report/report.h"
#include "search/search.h"
#include "store/store.h"
#include "text/fold.h"
#include "web/captcha.h"
#include "web/guard.h"
#include "web/http.h"
#include "web/password.h"
#include "web/site.h"

namespace baogao::web {
namespace {

using report::Paragraph;
using report::Report;
using report::ReportId;
using report::ReportType;
using testing::Contains;
using testing::MakeReport;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr int64_t kStart = 1700000000;
constexpr char kIp[] = "203.0.113.7";
constexpr char kLoopback[] = "127.0.0.1";
constexpr char kClient[] = "0123456789abcdef0123456789abcdef";
constexpr char kOtherClient[] = "fedcba9876543210fedcba9876543210";
constexpr char kUser[] = "admin";
constexpr char kPassword[] = "正确的口令-correct-horse-7";
constexpr char kCsrfMessage[] = "CSRF";
constexpr char kOriginMessage[] = "请求来源与本站不符";

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string EncodeForm(const Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += PercentEncode(name) + "=" + PercentEncode(value);
  }
  return out;
}

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (Lower(k) == Lower(name)) return v;
  }
  return "";
}

std::vector<std::string> SetCookies(const Response& r) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (Lower(k) == "set-cookie") out.push_back(v);
  }
  return out;
}

// The value a Set-Cookie of `r` gives cookie `name`, or nullopt.
std::optional<std::string> CookieSet(const Response& r, const std::string& name) {
  for (const std::string& c : SetCookies(r)) {
    if (c.rfind(name + "=", 0) != 0) continue;
    const size_t semi = c.find(';');
    return c.substr(name.size() + 1,
                    semi == std::string::npos ? std::string::npos : semi - name.size() - 1);
  }
  return std::nullopt;
}

// The first capture of `re` in `html`, or "".
std::string Capture(const std::string& html, const std::regex& re) {
  std::smatch m;
  return std::regex_search(html, m, re) ? std::string(m[1]) : std::string();
}

std::string FormToken(const std::string& html) {
  static const std::regex re("name=\"token\" value=\"([^\"]+)\"");
  return Capture(html, re);
}

std::string FormCsrf(const std::string& html) {
  static const std::regex re("name=\"_csrf\" value=\"([^\"]+)\"");
  return Capture(html, re);
}

// ---------------------------------------------------------------------------
// A small HTML scanner: enough to see which tags and attributes a page has.

struct Tag {
  std::string name;                                        // lower case; "/a" for a closing tag
  std::vector<std::pair<std::string, std::string>> attrs;  // names lower case, values raw
  size_t begin = 0, end = 0;                               // [begin, end) in the page
};

std::vector<Tag> Tags(const std::string& html, size_t from = 0, size_t to = std::string::npos) {
  std::vector<Tag> out;
  to = std::min(to, html.size());
  auto is_name = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == '_';
  };
  size_t i = from;
  while (i < to) {
    const size_t lt = html.find('<', i);
    if (lt == std::string::npos || lt + 1 >= to) break;
    if (html.compare(lt, 4, "<!--") == 0) {
      const size_t close = html.find("-->", lt + 4);
      i = close == std::string::npos ? to : close + 3;
      continue;
    }
    if (html[lt + 1] == '!' || html[lt + 1] == '?') {
      const size_t gt = html.find('>', lt);
      i = gt == std::string::npos ? to : gt + 1;
      continue;
    }
    size_t p = lt + 1;
    Tag tag;
    tag.begin = lt;
    if (html[p] == '/') {
      tag.name = "/";
      ++p;
    }
    if (p >= to || !std::isalpha(static_cast<unsigned char>(html[p]))) {
      i = lt + 1;  // "<" followed by text: not a tag
      continue;
    }
    while (p < to && is_name(html[p])) tag.name += static_cast<char>(std::tolower(html[p++]));
    while (p < to && html[p] != '>') {
      if (std::isspace(static_cast<unsigned char>(html[p])) || html[p] == '/') {
        ++p;
        continue;
      }
      std::string name;
      while (p < to && !std::isspace(static_cast<unsigned char>(html[p])) && html[p] != '=' &&
             html[p] != '>' && html[p] != '/') {
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[p++])));
      }
      std::string value;
      while (p < to && std::isspace(static_cast<unsigned char>(html[p]))) ++p;
      if (p < to && html[p] == '=') {
        ++p;
        while (p < to && std::isspace(static_cast<unsigned char>(html[p]))) ++p;
        if (p < to && (html[p] == '"' || html[p] == '\'')) {
          const char q = html[p++];
          const size_t close = html.find(q, p);
          const size_t stop = close == std::string::npos ? to : close;
          value = html.substr(p, stop - p);
          p = stop + 1;
        } else {
          while (p < to && !std::isspace(static_cast<unsigned char>(html[p])) && html[p] != '>') {
            value += html[p++];
          }
        }
      }
      if (name.empty()) {
        ++p;
        continue;
      }
      tag.attrs.emplace_back(std::move(name), std::move(value));
    }
    tag.end = std::min(p + 1, to);
    i = tag.end;
    out.push_back(std::move(tag));
  }
  return out;
}

// The code point of a numeric character reference's name ("#106", "#x6a"),
// BMP only; nullopt for anything else.
std::optional<uint32_t> NumericCharRef(const std::string& ent) {
  if (ent.size() < 2 || ent[0] != '#') return std::nullopt;
  const bool hex = ent[1] == 'x' || ent[1] == 'X';
  const char* first = ent.data() + (hex ? 2 : 1);
  const char* last = ent.data() + ent.size();
  uint32_t cp = 0;
  auto [ptr, ec] = std::from_chars(first, last, cp, hex ? 16 : 10);
  if (ec != std::errc() || ptr != last || first == last || cp >= 0x10000) return std::nullopt;
  return cp;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Every ASCII character of `s` as its full-width form (U+FF01..U+FF5E).
std::string FullWidth(const std::string& s) {
  std::string out;
  for (char c : s) AppendUtf8(0xFF01 + static_cast<uint32_t>(c - 0x21), &out);
  return out;
}

// HTML character references decoded (the named ones the site emits and
// numeric ones); what a browser sees in an attribute or text.
std::string DecodeEntities(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string::npos || semi - i > 12) {
      out += s[i++];
      continue;
    }
    const std::string ent = s.substr(i + 1, semi - i - 1);
    static const std::map<std::string, std::string> kNamed = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"#39", "'"}};
    if (auto it = kNamed.find(ent); it != kNamed.end()) {
      out += it->second;
    } else if (auto cp = NumericCharRef(ent)) {
      AppendUtf8(*cp, &out);
    } else {
      out += s[i++];
      continue;
    }
    i = semi + 1;
  }
  return out;
}

// The scheme a browser would see in a URL attribute: entities decoded,
// ASCII whitespace and control characters removed, lower case.
std::string UrlForScheme(const std::string& raw) {
  std::string out;
  for (char c : DecodeEntities(raw)) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) continue;
    out += static_cast<char>(std::tolower(u));
  }
  return out;
}

bool IsUrlAttribute(const std::string& name) {
  static const std::set<std::string> kUrl = {"href",   "src",        "action", "formaction",
                                             "data",   "xlink:href", "poster", "background",
                                             "srcset", "lowsrc",     "dynsrc", "ping"};
  return kUrl.count(name) != 0;
}

// Checks that a page is inert: no scripting element, no event-handler or
// style attribute, no script-capable URL, images only from /captcha/, and
// inside comment bodies nothing but <br> and http(s) links, inside
// nicknames and textareas nothing but text.
void ExpectInert(const std::string& html, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(html.find('\x01'), std::string::npos) << "a placeholder byte leaked";
  EXPECT_EQ(Lower(html).find("<script"), std::string::npos);
  static const std::set<std::string> kForbidden = {
      "script", "svg", "iframe", "math",     "object",   "embed",    "style", "base",
      "frame",  "xmp", "applet", "frameset", "noscript", "template", "video", "audio"};
  static const std::regex kEvent("on[a-z]+");
  for (const Tag& t : Tags(html)) {
    const std::string name = t.name[0] == '/' ? t.name.substr(1) : t.name;
    EXPECT_EQ(kForbidden.count(name), 0u) << html.substr(t.begin, t.end - t.begin);
    for (const auto& [attr, value] : t.attrs) {
      EXPECT_FALSE(std::regex_match(attr, kEvent)) << html.substr(t.begin, t.end - t.begin);
      EXPECT_NE(attr, "style") << html.substr(t.begin, t.end - t.begin);
      if (IsUrlAttribute(attr)) {
        const std::string url = UrlForScheme(value);
        for (const char* scheme : {"javascript:", "data:", "vbscript:"}) {
          EXPECT_NE(url.rfind(scheme, 0), 0u) << html.substr(t.begin, t.end - t.begin);
        }
      }
    }
    if (name == "img") {
      bool captcha = false;
      for (const auto& [attr, value] : t.attrs) {
        if (attr == "src") captcha = value.rfind("/captcha/", 0) == 0;
      }
      EXPECT_TRUE(captcha) << html.substr(t.begin, t.end - t.begin);
    }
    if (name == "meta") {
      for (const auto& [attr, value] : t.attrs) EXPECT_NE(attr, "http-equiv");
    }
  }
  // Comment bodies: only <br> and <a href="http(s)://..." rel="nofollow ugc noopener">.
  static const std::string kBody = "<div class=\"comment-body\">";
  for (size_t at = html.find(kBody); at != std::string::npos; at = html.find(kBody, at + 1)) {
    const size_t from = at + kBody.size();
    const size_t to = html.find("</div>", from);
    ASSERT_NE(to, std::string::npos);
    for (const Tag& t : Tags(html, from, to)) {
      const std::string raw = html.substr(t.begin, t.end - t.begin);
      if (t.name == "br" || t.name == "/a") {
        EXPECT_TRUE(t.attrs.empty()) << raw;
        continue;
      }
      ASSERT_EQ(t.name, "a") << "unexpected tag in a comment body: " << raw;
      ASSERT_EQ(t.attrs.size(), 2u) << raw;
      EXPECT_EQ(t.attrs[0].first, "href") << raw;
      // Schemes are case-insensitive: HTTP://X is a fine link.
      const std::string href = Lower(DecodeEntities(t.attrs[0].second));
      EXPECT_TRUE(href.rfind("http://", 0) == 0 || href.rfind("https://", 0) == 0) << raw;
      EXPECT_EQ(t.attrs[1], (std::pair<std::string, std::string>("rel", "nofollow ugc noopener")))
          << raw;
    }
  }
  // Nicknames and textareas: text only.
  for (const std::string& open : {std::string("<span class=\"nick\">"), std::string("<textarea")}) {
    for (size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
      const size_t from = html.find('>', at) + 1;
      const size_t to = html.find('<', from);
      ASSERT_NE(to, std::string::npos);
      const std::string close = open[1] == 's' ? "</span>" : "</textarea>";
      EXPECT_EQ(html.compare(to, close.size(), close), 0)
          << "markup inside " << open << ": " << html.substr(at, 200);
    }
  }
}

// Parses `xml` with libxml2 (no network); nullptr when not well-formed.
struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
std::unique_ptr<xmlDoc, XmlDocFree> ParseXml(const std::string& xml) {
  return std::unique_ptr<xmlDoc, XmlDocFree>(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

// The decoded text of every <item>'s child `child` in an RSS document.
std::vector<std::string> RssItemTexts(xmlDoc* doc, const std::string& child) {
  std::vector<std::string> out;
  xmlNode* root = xmlDocGetRootElement(doc);
  for (xmlNode* ch = root ? root->children : nullptr; ch; ch = ch->next) {
    if (ch->type != XML_ELEMENT_NODE) continue;
    for (xmlNode* item = ch->children; item; item = item->next) {
      if (item->type != XML_ELEMENT_NODE ||
          std::string(reinterpret_cast<const char*>(item->name)) != "item") {
        continue;
      }
      for (xmlNode* f = item->children; f; f = f->next) {
        if (f->type != XML_ELEMENT_NODE ||
            std::string(reinterpret_cast<const char*>(f->name)) != child)
          continue;
        xmlChar* text = xmlNodeGetContent(f);
        out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        xmlFree(text);
      }
    }
  }
  return out;
}

// One argon2id hash for the whole binary (tens of milliseconds each).
const std::string& PasswordHash() {
  static const std::string hash = [] {
    auto h = HashPassword(kPassword, SystemRandom());
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

// What a test post sends; the defaults make a valid comment.
struct CommentPost {
  std::string nickname = "读者";
  std::string body = "写得很好，数据很详实。";
  std::string ip = kIp;
  std::optional<std::string> token;    // default: a fresh challenge issued 10 s ago
  std::optional<std::string> captcha;  // default: the right answer
  std::string website;
  std::string parent = "0";

  CommentPost& Nick(std::string v) { return Set(nickname, std::move(v)); }
  CommentPost& Body(std::string v) { return Set(body, std::move(v)); }
  CommentPost& Ip(std::string v) { return Set(ip, std::move(v)); }
  CommentPost& Token(std::string v) { return Set(token, std::move(v)); }
  CommentPost& Captcha(std::string v) { return Set(captcha, std::move(v)); }
  CommentPost& Website(std::string v) { return Set(website, std::move(v)); }

 private:
  template <typename T>
  CommentPost& Set(T& field, std::string v) {
    field = std::move(v);
    return *this;
  }
};

struct PostOptions {
  std::string ip = kIp;
  std::string cookie;  // the Cookie header
  bool secure = false;
  std::map<std::string, std::string> headers;

  PostOptions& Ip(std::string v) {
    ip = std::move(v);
    return *this;
  }
  PostOptions& Cookie(std::string v) {
    cookie = std::move(v);
    return *this;
  }
  PostOptions& Secure(bool v) {
    secure = v;
    return *this;
  }
  PostOptions& Headers(std::map<std::string, std::string> v) {
    headers = std::move(v);
    return *this;
  }
};

// An admin's credentials: the session cookie and the session's CSRF token.
struct AdminCreds {
  std::string cookie;
  std::string csrf;
  bool secure = false;
};

class CommunityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<report::FakeClock>(kStart);
    store::StoreOptions o;
    o.url = dir_.File("b.db");
    o.clock = clock_;
    auto st = store::OpenStore(o);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(*st);
    a_ = Add(MakeReport("德州市陵城区2023年政府工作报告", 371403, 2023, ReportType::kGovernmentWork,
                        {{0, "陵城区乡村振兴取得新进展。"}}));
    b_ = Add(MakeReport("德州市德城区2023年政府工作报告", 371402, 2023, ReportType::kGovernmentWork,
                        {{0, "德城区推进乡村振兴。"}}));
    c_ = Add(MakeReport("浙江省2024年国民经济和社会发展统计公报", 330000, 2024,
                        ReportType::kStatistical, {{0, "全省经济运行稳中向好。"}}));
    search::IndexOptions io;
    io.path = dir_.File("b.db.index");
    io.dictionary = testing::TestDictionary();
    auto w = search::IndexWriter::Open(io);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    writer_ = std::move(*w);
    CatchUpIndex();
    store::AdminUser user;
    user.name = kUser;
    user.password_hash = PasswordHash();
    ASSERT_TRUE(store_->CreateAdminUser(user).ok());
    MakeSite(Quiet());
  }

  // The fixture's community options: rate limits off (tests of limits set
  // their own), admin dev mode on (loopback, plain HTTP), room for many
  // comments on one page.
  static CommunityOptions Quiet() {
    CommunityOptions c;
    c.comment_per_ip_per_minute = 0;
    c.comment_global_per_minute = 0;
    c.captcha_per_ip_per_minute = 0;
    c.takedown_per_ip_per_minute = 0;
    c.login_per_ip_per_minute = 0;
    c.admin_dev_mode = true;
    c.comments_per_page = 100;
    return c;
  }

  void MakeSite(const CommunityOptions& community) {
    site_.reset();
    SiteOptions o;
    o.base_url = "https://example.org";
    o.community = community;
    o.now = [clock = clock_] { return clock->NowUnixSeconds(); };
    auto site = testing::CreateSite(o, *store_, dir_.File("b.db.index"),
                                    [this] { return version_.load(); });
    ASSERT_TRUE(site.ok()) << site.status().ToString();
    site_ = std::move(*site);
    auto secret = store_->GetOrCreateSecret("site", "not-used: the site made one");
    ASSERT_TRUE(secret.ok());
    signer_ = std::make_unique<Signer>(*secret);
  }

  ReportId Add(const Report& r) {
    auto id = store_->Insert(r);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : ReportId();
  }

  // Lets the index apply the store's change log, as the server's follower does.
  void CatchUpIndex() {
    auto n = writer_->CatchUp(*store_);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    version_ = writer_->sequence();
  }

  int64_t Now() const { return clock_->NowUnixSeconds(); }

  std::string Path(ReportId id) { return testing::ReportPath(*store_, id); }

  static std::string Id(ReportId id) { return std::to_string(id.value()); }

  Response Get(const std::string& target, const std::string& ip = kIp,
               const std::string& cookie = "", bool secure = false) {
    Request req = testing::MakeRequest("GET", target);
    req.client_ip = ip;
    req.secure = secure;
    if (!cookie.empty()) req.headers["cookie"] = cookie;
    return testing::WithBody(site_->Handle(req));
  }

  Response Post(const std::string& path, const Fields& fields, const PostOptions& o = {}) {
    Request req = testing::MakeRequest("POST", path);
    req.client_ip = o.ip;
    req.secure = o.secure;
    req.headers = o.headers;
    req.headers.emplace("content-type", "application/x-www-form-urlencoded");
    if (!o.cookie.empty()) req.headers["cookie"] = o.cookie;
    req.body = EncodeForm(fields);
    return testing::WithBody(site_->Handle(req));
  }

  static std::string ClientCookie(bool secure = false, const std::string& id = kClient) {
    return (secure ? "__Host-bg_client=" : "bg_client=") + id;
  }
  std::string ClientCsrf(const std::string& id = kClient) { return CsrfToken(*signer_, id); }

  std::string Token(const std::string& form, int64_t issued) {
    return IssueCaptchaToken(*signer_, form, issued, SystemRandom());
  }
  std::string CommentToken(ReportId id) { return Token("c" + Id(id), Now() - 10); }
  std::string Answer(const std::string& token) {
    auto c = ParseCaptchaToken(*signer_, token);
    EXPECT_TRUE(c.has_value()) << token;
    return c ? CaptchaAnswer(*signer_, c->nonce) : "";
  }
  std::string NonceOf(const std::string& token) {
    auto c = ParseCaptchaToken(*signer_, token);
    return c ? c->nonce : "";
  }

  Fields CommentFields(ReportId id, const CommentPost& p) {
    const std::string token = p.token ? *p.token : CommentToken(id);
    return {{"_csrf", ClientCsrf()},
            {"token", token},
            {"parent", p.parent},
            {"website", p.website},
            {"nickname", p.nickname},
            {"body", p.body},
            {"captcha", p.captcha ? *p.captcha : Answer(token)}};
  }

  Response PostComment(ReportId id, const CommentPost& p = {}) {
    return Post("/comment/" + Id(id), CommentFields(id, p),
                PostOptions().Ip(p.ip).Cookie(ClientCookie()));
  }

  std::vector<store::Comment> Comments(std::optional<store::CommentStatus> status = std::nullopt,
                                       std::optional<ReportId> report = std::nullopt) {
    store::CommentFilter f;
    f.status = status;
    f.report = report;
    f.limit = 100000;
    auto list = store_->ListComments(f);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? *list : std::vector<store::Comment>();
  }

  std::vector<store::AuditEntry> Audit() {
    auto list = store_->ListAudit(100000, 0);
    EXPECT_TRUE(list.ok());
    return list.ok() ? *list : std::vector<store::AuditEntry>();
  }

  // A session made directly in the store (no argon2 per test).
  AdminCreds NewSession(bool secure = false) {
    const std::string token = RandomHex(SystemRandom(), 32);
    store::AdminSession s;
    s.token_hash = Sha256Hex(token);
    s.user = kUser;
    s.csrf_secret = RandomHex(SystemRandom(), 32);
    s.expires_at = Now() + 3600;
    EXPECT_TRUE(store_->CreateSession(s).ok());
    return {(secure ? "__Host-bg_admin=" : "bg_admin=") + token, CsrfToken(*signer_, s.csrf_secret),
            secure};
  }

  Response AdminPost(const AdminCreds& a, const std::string& path, Fields fields) {
    fields.insert(fields.begin(), {"_csrf", a.csrf});
    return Post(path, fields,
                PostOptions().Ip(a.secure ? kIp : kLoopback).Cookie(a.cookie).Secure(a.secure));
  }
  Response AdminGet(const AdminCreds& a, const std::string& target) {
    return Get(target, a.secure ? kIp : kLoopback, a.cookie, a.secure);
  }

  Response Moderate(const AdminCreds& a, const std::string& action,
                    const std::vector<int64_t>& ids) {
    Fields f = {{"from", "pending"}, {"action", action}};
    for (int64_t id : ids) f.emplace_back("id", std::to_string(id));
    return AdminPost(a, "/admin/comments", f);
  }

  // POST /admin/login in dev mode (plain HTTP from loopback unless `ip`).
  // POST /admin/login: plain HTTP from loopback (dev mode), HTTPS from
  // anywhere else unless `secure` says otherwise.
  Response Login(const std::string& user, const std::string& password,
                 const std::string& ip = kLoopback,
                 const std::map<std::string, std::string>& headers = {},
                 std::optional<bool> secure = std::nullopt) {
    const bool https = secure.value_or(ip != kLoopback);
    return Post("/admin/login", {{"_csrf", ClientCsrf()}, {"user", user}, {"password", password}},
                PostOptions().Ip(ip).Cookie(ClientCookie(https)).Secure(https).Headers(headers));
  }

  // In memory when it can be: the store fsyncs every commit, and the
  // brute-force test commits 10,000 times.
  testing::ScratchDir dir_{testing::MemoryTempDir()};
  std::shared_ptr<report::FakeClock> clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<search::IndexWriter> writer_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<Signer> signer_;
  std::atomic<int64_t> version_{0};
  ReportId a_, b_, c_;
};

// ---------------------------------------------------------------------------
// 1. CSRF on every state-changing route

TEST_F(CommunityTest, EveryPostRouteChecksCsrfFirst) {
  std::vector<std::string> routes = Site::StateChangingRoutes();
  const std::set<std::string> listed(routes.begin(), routes.end());
  for (const char* expected : {"/comment/1", "/takedown/1", "/admin/login", "/admin/logout",
                               "/admin/comments", "/admin/reports/1", "/admin/takedowns/1"}) {
    EXPECT_EQ(listed.count(expected), 1u) << expected << " missing from StateChangingRoutes()";
  }
  routes.push_back("/admin/reports/1/delete");  // the same route, another action
  ASSERT_EQ(a_.value(), 1) << "the example paths name report 1";

  for (const bool secure : {false, true}) {
    SCOPED_TRACE(secure ? "https" : "http, admin dev mode");
    const std::string ip = secure ? kIp : kLoopback;
    for (const std::string& path : routes) {
      SCOPED_TRACE(path);
      // /admin/login is the one admin form without a session: bound to the client.
      const bool admin = path.rfind("/admin/", 0) == 0 && path != "/admin/login";
      const AdminCreds session = NewSession(secure);
      const std::string client_cookie = ClientCookie(secure);
      const std::string cookie = admin ? client_cookie + "; " + session.cookie : client_cookie;
      const std::string good = admin ? session.csrf : ClientCsrf();
      const Fields base = {{"token", "x"}, {"action", "approve"}, {"id", "1"}};
      auto with = [&](const std::optional<std::string>& csrf) {
        Fields f = base;
        if (csrf) f.insert(f.begin(), {"_csrf", *csrf});
        return f;
      };
      auto expect_refused = [&](const Response& r, const char* message, const char* what) {
        EXPECT_EQ(r.status, 403) << what;
        EXPECT_TRUE(Contains(r.body, message)) << what << "\n" << r.body;
      };
      const PostOptions opts = PostOptions().Ip(ip).Cookie(cookie).Secure(secure);

      expect_refused(Post(path, with(std::nullopt), opts), kCsrfMessage, "no _csrf");
      expect_refused(Post(path, with(""), opts), kCsrfMessage, "empty _csrf");
      expect_refused(Post(path, with(std::string(32, '0')), opts), kCsrfMessage, "wrong token");
      expect_refused(Post(path, with(good.substr(0, 31) + (good[31] == 'a' ? "b" : "a")), opts),
                     kCsrfMessage, "last digit changed");
      expect_refused(Post(path, with(good + "00"), opts), kCsrfMessage, "token too long");
      expect_refused(Post(path, with(good), PostOptions().Ip(ip).Secure(secure)), kCsrfMessage,
                     "no cookie at all");
      if (admin) {
        // A token bound to another session; the visitor's public token.
        expect_refused(Post(path, with(NewSession(secure).csrf), opts), kCsrfMessage,
                       "another session's token");
        expect_refused(Post(path, with(ClientCsrf()), opts), kCsrfMessage,
                       "the public client token with a session");
        expect_refused(Post(path, with(ClientCsrf()),
                            PostOptions().Ip(ip).Cookie(client_cookie).Secure(secure)),
                       kCsrfMessage, "a valid public token, no session");
        expect_refused(
            Post(path, with(good), PostOptions().Ip(ip).Cookie(client_cookie).Secure(secure)),
            kCsrfMessage, "the session's token without its cookie");
      } else {
        expect_refused(Post(path, with(ClientCsrf(kOtherClient)), opts), kCsrfMessage,
                       "a token for another client id");
        expect_refused(
            Post(path, with(good),
                 PostOptions().Ip(ip).Cookie(ClientCookie(secure, kOtherClient)).Secure(secure)),
            kCsrfMessage, "a cookie for another client id");
        expect_refused(Post(path, with(ClientCsrf("0123456789ABCDEF0123456789ABCDEF")),
                            PostOptions()
                                .Ip(ip)
                                .Cookie(ClientCookie(secure, "0123456789ABCDEF0123456789ABCDEF"))
                                .Secure(secure)),
                       kCsrfMessage, "a client id we never issue (upper case)");
        // The cookie under the other scheme's name does not count.
        expect_refused(Post(path, with(good),
                            PostOptions().Ip(ip).Cookie(ClientCookie(!secure)).Secure(secure)),
                       kCsrfMessage, "the cookie of the other scheme");
      }
      // A valid token from another site's page: the Origin/Referer check.
      for (const auto& [header, value] : std::vector<std::pair<std::string, std::string>>{
               {"origin", "https://evil.example"},
               {"origin", "null"},
               {"origin", "https://example.org.evil.example"},
               {"referer", "https://evil.example/page.html"}}) {
        PostOptions o = opts;
        o.headers[header] = value;
        expect_refused(Post(path, with(good), o), kOriginMessage, (header + ": " + value).c_str());
      }
      // Positive control: with everything right, the request gets past the
      // CSRF stage (whatever the handler then says: 303, 400 or 404).
      PostOptions same = opts;
      same.headers["origin"] = "https://example.org";
      const Response ok = Post(path, with(good), same);
      EXPECT_NE(ok.status, 403) << ok.body;
      EXPECT_NE(ok.status, 405) << ok.body;
      EXPECT_NE(ok.status, 415) << ok.body;
    }
  }
  EXPECT_TRUE(Comments().empty()) << "no refused post wrote anything";
}

TEST_F(CommunityTest, CsrfPositiveControlPostsAComment) {
  // The whole flow a browser goes through: the page sets the cookie and
  // carries the CSRF token and the challenge; the post is accepted.
  const Response page = Get(Path(a_));
  ASSERT_EQ(page.status, 200);
  const auto client = CookieSet(page, "bg_client");
  ASSERT_TRUE(client.has_value()) << "the report page sets the client cookie";
  EXPECT_TRUE(IsClientId(*client));
  const std::string csrf = FormCsrf(page.body);
  EXPECT_EQ(csrf, CsrfToken(*signer_, *client));
  const std::string token = FormToken(page.body);
  ASSERT_FALSE(token.empty());
  clock_->Advance(5);
  const Response r = Post(
      "/comment/" + Id(a_),
      {{"_csrf", csrf},
       {"token", token},
       {"parent", "0"},
       {"website", ""},
       {"nickname", "张三"},
       {"body", "第一条评论。"},
       {"captcha", Answer(token)}},
      PostOptions().Cookie("bg_client=" + *client).Headers({{"origin", "https://example.org"}}));
  EXPECT_EQ(r.status, 303) << r.body;
  ASSERT_EQ(Comments().size(), 1u);
  EXPECT_EQ(HeaderOf(r, "Location"),
            Path(a_) + "?posted=approved#comment-" + std::to_string(Comments()[0].id));
  // A POST that is not a form is refused before anything else.
  Request raw;
  raw.method = "POST";
  raw.target = raw.path = "/comment/" + Id(a_);
  raw.headers["content-type"] = "text/plain";
  raw.headers["cookie"] = "bg_client=" + *client;
  raw.body = "_csrf=" + csrf;
  EXPECT_EQ(site_->Handle(raw).status, 415);
}

// ---------------------------------------------------------------------------
// 2. Captcha challenges

TEST_F(CommunityTest, CaptchaWrongAnswerSpendsTheChallenge) {
  const std::string token = CommentToken(a_);
  const std::string answer = Answer(token);
  std::string wrong = answer;
  wrong[0] = wrong[0] == '3' ? '4' : '3';
  Response r = PostComment(a_, CommentPost().Token(token).Captcha(wrong));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "验证码错误")) << r.body;
  r = PostComment(a_, CommentPost().Token(token).Captcha(answer));
  EXPECT_EQ(r.status, 400) << "a replay after a wrong answer";
  EXPECT_TRUE(Contains(r.body, "已经用过")) << r.body;
  EXPECT_TRUE(Comments().empty());
}

TEST_F(CommunityTest, CaptchaRightAnswerIsIdempotent) {
  const std::string token = CommentToken(a_);
  const Response first = PostComment(a_, CommentPost().Body("只发一次。").Token(token));
  ASSERT_EQ(first.status, 303) << first.body;
  const Response again = PostComment(a_, CommentPost().Body("只发一次。").Token(token));
  EXPECT_EQ(again.status, 303) << again.body;
  EXPECT_EQ(HeaderOf(again, "Location"), HeaderOf(first, "Location"));
  const Response other_text = PostComment(a_, CommentPost().Body("换一段文字再发。").Token(token));
  EXPECT_EQ(other_text.status, 303);
  EXPECT_EQ(HeaderOf(other_text, "Location"), HeaderOf(first, "Location"));
  const auto all = Comments();
  ASSERT_EQ(all.size(), 1u) << "the same challenge names the same comment";
  EXPECT_EQ(all[0].body, "只发一次。");
  EXPECT_EQ(all[0].idempotency_key, NonceOf(token));
}

TEST_F(CommunityTest, CaptchaExpiresAfterTenMinutes) {
  const std::string token = Token("c" + Id(a_), Now());
  clock_->Advance(601);
  Response r = PostComment(a_, CommentPost().Token(token));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "已过期")) << r.body;
  // Exactly 600 s old is still good; one from the future is not.
  r = PostComment(a_, CommentPost().Body("刚好十分钟。").Token(Token("c" + Id(a_), Now() - 600)));
  EXPECT_EQ(r.status, 303) << r.body;
  r = PostComment(a_, CommentPost().Body("来自未来。").Token(Token("c" + Id(a_), Now() + 3600)));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Comments().size(), 1u);
}

TEST_F(CommunityTest, CaptchaMissingOrForeignChallengesAreRefused) {
  const std::string path = "/comment/" + Id(a_);
  auto without = [&](const std::string& field) {
    Fields f = CommentFields(a_, {});
    f.erase(std::remove_if(f.begin(), f.end(), [&](const auto& kv) { return kv.first == field; }),
            f.end());
    return Post(path, f, PostOptions().Cookie(ClientCookie()));
  };
  Response r = without("captcha");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "请输入验证码")) << r.body;
  r = without("token");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "验证码缺失或无效")) << r.body;
  r = PostComment(a_, CommentPost().Captcha(""));
  EXPECT_EQ(r.status, 400);

  // Swapped: a challenge for report B, a takedown challenge for report A.
  const std::string for_b = CommentToken(b_);
  r = PostComment(a_, CommentPost().Token(for_b).Captcha(Answer(for_b)));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "验证码与本页不符")) << r.body;
  const std::string takedown = Token("t" + Id(a_), Now() - 10);
  r = PostComment(a_, CommentPost().Token(takedown).Captcha(Answer(takedown)));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "验证码与本页不符")) << r.body;
  // ... and a comment challenge on the takedown form.
  const std::string comment = CommentToken(a_);
  r = Post("/takedown/" + Id(a_),
           {{"_csrf", ClientCsrf()},
            {"token", comment},
            {"reason", "error"},
            {"contact", "a@example.org"},
            {"details", "数据有误。"},
            {"captcha", Answer(comment)}},
           PostOptions().Cookie(ClientCookie()));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "验证码与本页不符")) << r.body;

  // Forged: every part of a token is covered by its MAC.
  const std::string good = CommentToken(a_);
  const std::string answer = Answer(good);
  auto flip = [](std::string s, size_t at) {
    s[at] = s[at] == '0' ? '1' : '0';
    return s;
  };
  const size_t nonce_at = 3, issued_at = good.find('.', 3) + 1, mac_at = good.rfind('.') + 1;
  const std::string other_secret_token =
      IssueCaptchaToken(Signer(std::string(64, 'a')), "c" + Id(a_), Now() - 10, SystemRandom());
  std::vector<std::string> forged = {
      flip(good, nonce_at),
      flip(good, issued_at),
      flip(good, mac_at),
      flip(good, good.size() - 1),
      good.substr(0, mac_at - 1),
      good + "0",
      "v2" + good.substr(2),
      other_secret_token,
      "v1." + NonceOf(good) + "." + std::to_string(Now() - 10) + ".c" + Id(a_) + "." +
          std::string(32, '0'),
  };
  {
    // The form part changed to another report, MAC kept.
    std::string moved = good;
    const size_t form_at = good.rfind(".c" + Id(a_) + ".");
    moved.replace(form_at, 2 + Id(a_).size(), ".c" + Id(b_));
    forged.push_back(moved);
  }
  for (const std::string& token : forged) {
    r = PostComment(a_, CommentPost().Body("伪造 " + token).Token(token).Captcha(answer));
    EXPECT_EQ(r.status, 400) << token;
    EXPECT_TRUE(Contains(r.body, "验证码缺失或无效") || Contains(r.body, "不符")) << token;
  }
  EXPECT_TRUE(Comments().empty());
  // The genuine token still works: the refusals above did not spend it.
  EXPECT_EQ(PostComment(a_, CommentPost().Token(good).Captcha(answer)).status, 303);
}

TEST_F(CommunityTest, CaptchaAnswerIsCaseAndWidthInsensitive) {
  int n = 0;
  for (auto variant : std::vector<std::function<std::string(const std::string&)>>{
           [](const std::string& a) { return Lower(a); },
           [](std::string a) {
             for (char& c : a) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
             return a;
           },
           [](const std::string& a) { return FullWidth(a); },
           [](const std::string& a) { return "  " + Lower(FullWidth(a)) + "\xE3\x80\x80"; },
       }) {
    const std::string token = CommentToken(a_);
    const std::string typed = variant(Answer(token));
    const Response r = PostComment(
        a_,
        CommentPost().Body("第 " + std::to_string(++n) + " 种写法。").Token(token).Captcha(typed));
    EXPECT_EQ(r.status, 303) << "typed " << typed << "\n" << r.body;
  }
  EXPECT_EQ(Comments().size(), 4u);
}

TEST_F(CommunityTest, CaptchaAnswerIsNeverSent) {
  auto expect_hidden = [&](const Response& r, const std::string& where) {
    const std::string token = FormToken(r.body);
    ASSERT_FALSE(token.empty()) << where;
    const std::string answer = Answer(token);
    ASSERT_EQ(answer.size(), kCaptchaLength);
    EXPECT_FALSE(Contains(r.body, answer)) << where;
    for (const auto& [k, v] : r.headers) EXPECT_FALSE(Contains(v, answer)) << where << " " << k;
  };
  for (int i = 0; i < 3; ++i) {
    expect_hidden(Get(Path(a_)), "report page");
    expect_hidden(Get(Path(a_) + "?captcha=new"), "report page, new captcha");
    expect_hidden(Get("/takedown/" + Id(a_)), "takedown form");
    expect_hidden(PostComment(a_, CommentPost().Captcha("WRONG1")), "refused comment form");
  }
}

// ---------------------------------------------------------------------------
// 3. Brute force

TEST_F(CommunityTest, BruteForceOnFreshChallengesFails) {
  CommunityOptions c = Quiet();
  c.min_fill_seconds = 0;
  MakeSite(c);
  constexpr int kTries = 10000;
  // Two attackers at once (Site::Handle is thread-safe): each refusal
  // renders the form again, which dominates the time in a debug build.
  constexpr int kThreads = 2;
  std::atomic<int> successes{0}, refusals{0}, others{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(20240601 + t);
      std::uniform_int_distribution<size_t> pick(0, kCaptchaAlphabet.size() - 1);
      for (int i = t; i < kTries; i += kThreads) {
        std::string guess;
        for (size_t k = 0; k < kCaptchaLength; ++k) guess += kCaptchaAlphabet[pick(rng)];
        const std::string token = Token("c" + Id(a_), Now());
        const Response r = PostComment(
            a_, CommentPost().Body("猜测 #" + std::to_string(i)).Token(token).Captcha(guess));
        if (r.status == 303) {
          ++successes;
        } else if (r.status == 400 && Contains(r.body, "验证码错误")) {
          ++refusals;
        } else {
          ++others;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("brute_force_seconds", std::to_string(seconds));
  // Expected 10000 / 17^6 ≈ 0.0004 successes.
  EXPECT_LE(successes.load(), 1);
  EXPECT_EQ(others.load(), 0) << "every other try is refused for its answer";
  EXPECT_EQ(successes + refusals, kTries);
  EXPECT_EQ(static_cast<int>(Comments().size()), successes.load());
}

// ---------------------------------------------------------------------------
// 4. Hostile text

// Attacks on HTML, attributes, URLs, templates, XML and the page's own
// placeholders (\x01T\x01 ...). Posted as nickname and body.
const std::vector<std::string>& XssPayloads() {
  static const std::vector<std::string> payloads = {
      "<script>alert(1)</script>",
      "</script><script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "<img src=\"x\" onerror=\"alert(1)\"/>",
      "<svg onload=alert(1)>",
      "<svg/onload=alert(1)>",
      "<svg><script>alert(1)</script></svg>",
      "\" onmouseover=\"alert(1)",
      "' onmouseover='alert(1)",
      "'><script>alert(1)</script>",
      "\"><img src=x onerror=alert(1)>",
      "\"'><svg onload=alert(1)>",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      " javascript:alert(1)",
      "java&#x09;script:alert(1)",
      "&#x6a;avascript:alert(1)",
      "&#106;&#97;&#118;&#97;script:alert(1)",
      "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
      "vbscript:msgbox(1)",
      "http://x\" onclick=\"alert(1)",
      "https://x.example/\"><script>alert(1)</script>",
      "https://x/<script>alert(1)</script>",
      "http://x.example/?a=<b>&c=\"d\"&e='f'",
      "https://x.example/?q=\"onmouseover=alert(1)//",
      "javascript:http://x.example/",
      "http://javascript:alert(1)@x.example/",
      "[x](javascript:alert(1))",
      "[x](http://x.example/ \"onclick=alert(1)\")",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<a href=\" javascript:alert(1)\">x</a>",
      "<a href='http://ok.example/' onclick='alert(1)'>x</a>",
      "<iframe src=\"javascript:alert(1)\"></iframe>",
      "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
      "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
      "<embed src=\"javascript:alert(1)\">",
      "<form action=\"javascript:alert(1)\"><button>x</button></form>",
      "<input autofocus onfocus=alert(1)>",
      "<details open ontoggle=alert(1)>",
      "<body onload=alert(1)>",
      "<div style=\"background:url(javascript:alert(1))\">x</div>",
      "<style>*{x:expression(alert(1))}</style>",
      "<base href=\"javascript:/\">",
      "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
      "<link rel=stylesheet href=javascript:alert(1)>",
      "</textarea><script>alert(1)</script>",
      "x</textarea><img src=x onerror=alert(1)>",
      "</title><script>alert(1)</script>",
      "</span><script>alert(1)</script>",
      "</div><script>alert(1)</script>",
      "<scr<script>ipt>alert(1)</scr</script>ipt>",
      "<<script>script>alert(1)<</script>/script>",
      "{{mustache}}",
      "{{{raw}}}",
      "{{#comments}}{{{comment_html}}}{{/comments}}",
      "{{> layout}}",
      "{{=<% %>=}}<%{raw}%>",
      "]]><script>alert(1)</script>",
      "<![CDATA[<script>alert(1)</script>]]>",
      "<!--",
      "--><script>alert(1)</script>",
      "<?xml version=\"1.0\"?><x/>",
      "&lt;script&gt;alert(1)&lt;/script&gt;",
      "%3Cscript%3Ealert(1)%3C/script%3E",
      "\\u003cscript\\u003ealert(1)",
      "\xEF\xBC\x9Cscript\xEF\xBC\x9E",   // full-width < >
      "x\xE2\x80\xA8y\xE2\x80\xA9z",      // U+2028, U+2029
      "\xE2\x80\xAEgnp.exe",              // U+202E right-to-left override
      "\xE2\x81\xA6isolate\xE2\x81\xA9",  // U+2066 ... U+2069
      "\xEF\xBB\xBF<script>alert(1)</script>",
      "\xE2\x80\x8B<script>alert(1)</script>",
      std::string("a\0b<script>", 11),
      "\x01T\x01\x01C\x01\x01N\x01\x01P\x01",
      "\x01<script>alert(1)</script>\x01",
      "c0 \x02\x03\x07\x08\x0B\x0C\x1B[31m\x1F\x7F end",
      "c1 \xC2\x80\xC2\x85\xC2\x9B\xC2\x9F end",
      "line1\r\nline2\rline3\n<script>",
      "www.example.org/<script>alert(1)</script>",
      "hTtP://X.EXAMPLE/a?b=1&c=2#d",
  };
  return payloads;
}

// The first `n` code points of UTF-8 `s`.
std::string FirstChars(const std::string& s, size_t n) {
  size_t count = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && count++ == n) break;
  }
  return s.substr(0, i);
}

TEST_F(CommunityTest, HostileCommentsAreInertEverywhere) {
  CommunityOptions c = Quiet();
  c.moderation = ModerationPolicy::kAll;  // every comment passes the admin queue
  MakeSite(c);
  const std::vector<std::string>& payloads = XssPayloads();
  ASSERT_GE(payloads.size(), 50u);
  std::map<std::string, size_t> by_key;  // idempotency key → payload index
  for (size_t i = 0; i < payloads.size(); ++i) {
    SCOPED_TRACE("payload " + std::to_string(i));
    const std::string& p = payloads[i];
    const std::string nickname = FirstChars(p, 32);
    const std::string body = p + "\n#" + std::to_string(i);
    // Refused first (wrong captcha): the form comes back with the text in it.
    const Response refused = PostComment(a_, CommentPost().Nick(nickname).Body(body).Captcha("x"));
    EXPECT_EQ(refused.status, 400);
    ExpectInert(refused.body, "refused form, payload " + std::to_string(i));
    // Then accepted.
    const std::string token = CommentToken(a_);
    const Response r = PostComment(a_, CommentPost().Nick(nickname).Body(body).Token(token));
    EXPECT_EQ(r.status, 303) << r.body;
    by_key[NonceOf(token)] = i;
  }
  const auto pending = Comments(store::CommentStatus::kPending);
  ASSERT_EQ(pending.size(), payloads.size());
  for (const store::Comment& cm : pending) {
    EXPECT_EQ(cm.body.find('<') != std::string::npos,
              Contains(payloads[by_key[cm.idempotency_key]], "<"))
        << "stored as plain text, markup kept literally";
    const std::string text = cm.body + cm.nickname;
    for (size_t k = 0; k < text.size(); ++k) {
      const auto u = static_cast<unsigned char>(text[k]);
      EXPECT_TRUE((u >= 0x20 && u != 0x7F) || u == '\n' || u == '\t')
          << "control byte stored: " << int(u);
      EXPECT_FALSE(u == 0xC2 && k + 1 < text.size() &&
                   static_cast<unsigned char>(text[k + 1]) < 0xA0)
          << "C1 control stored";
    }
  }

  // The admin queue, every page of it.
  const AdminCreds admin = NewSession();
  for (const std::string page : {"", "&page=2"}) {
    const Response q = AdminGet(admin, "/admin/comments?status=pending" + page);
    ASSERT_EQ(q.status, 200);
    ExpectInert(q.body, "admin queue" + page);
  }
  std::vector<int64_t> ids;
  for (const store::Comment& cm : pending) ids.push_back(cm.id);
  ASSERT_EQ(Moderate(admin, "approve", ids).status, 303);
  ASSERT_EQ(Comments(store::CommentStatus::kApproved).size(), payloads.size());
  ExpectInert(AdminGet(admin, "/admin/comments?status=approved").body, "admin approved tab");
  ExpectInert(AdminGet(admin, "/admin/audit").body, "audit log");

  // The report page shows every one of them, as text.
  const Response page = Get(Path(a_));
  ASSERT_EQ(page.status, 200);
  ExpectInert(page.body, "report page");
  static const std::regex nick("<span class=\"nick\">([^<]*)</span>");
  std::multiset<std::string> shown_nicks, stored_nicks;
  for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), nick);
       it != std::sregex_iterator(); ++it) {
    shown_nicks.insert(DecodeEntities((*it)[1]));
  }
  for (const store::Comment& cm : Comments(store::CommentStatus::kApproved)) {
    EXPECT_TRUE(Contains(page.body, "id=\"comment-" + std::to_string(cm.id) + "\""));
    stored_nicks.insert(cm.nickname);
  }
  EXPECT_EQ(shown_nicks, stored_nicks) << "nicknames shown exactly as stored, as text";
  EXPECT_TRUE(Contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(Contains(page.body, "&amp;lt;script&amp;gt;")) << "pre-escaped text is escaped again";
  EXPECT_TRUE(Contains(page.body, "{{mustache}}")) << "no template expansion of user text";
  EXPECT_TRUE(Contains(page.body, "{{{raw}}}"));

  // The recent-comments feed: well-formed, and each description is the
  // body as the page shows it (inert HTML), nothing else.
  const Response feed = Get("/comments.xml");
  ASSERT_EQ(feed.status, 200);
  EXPECT_EQ(feed.content_type, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(feed.body.find('\x01'), std::string::npos);
  auto doc = ParseXml(feed.body);
  ASSERT_NE(doc, nullptr) << feed.body;
  const std::vector<std::string> descriptions = RssItemTexts(doc.get(), "description");
  EXPECT_EQ(descriptions.size(), 50u);
  std::set<std::string> bodies;
  for (const store::Comment& cm : Comments(store::CommentStatus::kApproved)) {
    bodies.insert(CommentBodyHtml(cm.body));
  }
  for (const std::string& d : descriptions) {
    EXPECT_EQ(bodies.count(d), 1u) << d;
    ExpectInert("<div class=\"comment-body\">" + d + "</div>", "feed description: " + d);
  }
  // The listing counts them.
  EXPECT_TRUE(Contains(Get("/baogao/").body, "评论 " + std::to_string(payloads.size())));
}

TEST_F(CommunityTest, HostileTakedownRequestIsInertForTheAdmin) {
  for (size_t i = 0; i < XssPayloads().size(); i += 7) {
    const std::string& p = XssPayloads()[i];
    const std::string token = Token("t" + Id(b_), Now() - 10);
    const Fields f = {{"_csrf", ClientCsrf()},
                      {"token", token},
                      {"website", ""},
                      {"reason", "other"},
                      {"contact", "c" + std::to_string(i) + " " + FirstChars(p, 190)},
                      {"details", p + "\n#" + std::to_string(i)},
                      {"captcha", Answer(token)}};
    // Refused (wrong captcha, its own challenge): the form echoes the text.
    Fields wrong = f;
    wrong[1].second = Token("t" + Id(b_), Now() - 10);
    wrong.back().second = "nope";
    Response r = Post("/takedown/" + Id(b_), wrong, PostOptions().Cookie(ClientCookie()));
    EXPECT_EQ(r.status, 400);
    ExpectInert(r.body, "refused takedown form " + std::to_string(i));
    r = Post("/takedown/" + Id(b_), f, PostOptions().Cookie(ClientCookie()));
    ASSERT_EQ(r.status, 303) << r.body;
  }
  const AdminCreds admin = NewSession();
  auto list = store_->ListTakedowns(std::nullopt, 1000, 0);
  ASSERT_TRUE(list.ok());
  ASSERT_FALSE(list->empty());
  ExpectInert(AdminGet(admin, "/admin/takedowns?status=all").body, "takedown queue");
  for (const store::TakedownRequest& t : *list) {
    const Response page = AdminGet(admin, "/admin/takedowns/" + std::to_string(t.id));
    ASSERT_EQ(page.status, 200);
    ExpectInert(page.body, "takedown " + std::to_string(t.id));
  }
}

// RSS 2.0 readers treat <description> as entity-encoded HTML: after XML
// decoding, what they render must be inert (the comment body escaped as
// HTML, then once more for XML). Once it was escaped only once — stored XSS
// in feed readers.
TEST_F(CommunityTest, CommentsFeedDescriptionIsInertHtml) {
  CommunityOptions c = Quiet();
  c.moderation = ModerationPolicy::kNone;
  MakeSite(c);
  for (const std::string& p :
       {std::string("<script>alert(1)</script>"), std::string("<img src=x onerror=alert(1)>"),
        std::string("<a href=\"javascript:alert(1)\">x</a> http://ok.example/")}) {
    ASSERT_EQ(PostComment(a_, CommentPost().Body(p)).status, 303);
  }
  const Response feed = Get("/comments.xml");
  auto doc = ParseXml(feed.body);
  ASSERT_NE(doc, nullptr);
  const std::vector<std::string> descriptions = RssItemTexts(doc.get(), "description");
  ASSERT_EQ(descriptions.size(), 3u);
  for (const std::string& html : descriptions) {
    // What a feed reader renders: the decoded description, as HTML.
    ExpectInert("<div class=\"comment-body\">" + html + "</div>", "feed description: " + html);
  }
}

// U+FFFE and U+FFFF are valid UTF-8 but not XML 1.0 characters: one
// approved comment holding them must not make /comments.xml unreadable
// (CleanUtf8 drops them; it once kept them).
TEST_F(CommunityTest, CommentsFeedStaysWellFormedWithNoncharacters) {
  ASSERT_EQ(
      PostComment(a_, CommentPost().Nick("读者\xEF\xBF\xBE").Body("非字符\xEF\xBF\xBF结束")).status,
      303);
  const Response feed = Get("/comments.xml");
  ASSERT_EQ(feed.status, 200);
  EXPECT_NE(ParseXml(feed.body), nullptr) << feed.body;
}

TEST_F(CommunityTest, InvalidUtf8FormsAreRefusedBeforeAnything) {
  // Overlong encodings of < and >, a lone continuation byte, a surrogate.
  for (const std::string& bad :
       {std::string("\xC0\xBCscript\xC0\xBE"), std::string("a\x80z"), std::string("\xED\xA0\x80"),
        std::string("\xF8\x88\x80\x80\x80")}) {
    const Response r = PostComment(a_, CommentPost().Body(bad));
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(Contains(r.body, "UTF-8")) << r.body;
    EXPECT_FALSE(Contains(r.body, bad));
    ExpectInert(r.body, "invalid UTF-8");
  }
  EXPECT_TRUE(Comments().empty());
}

// ---------------------------------------------------------------------------
// 5. Moderation

TEST_F(CommunityTest, LinksPolicyHoldsLinksAndShowsTheRest) {
  Response r = PostComment(a_, CommentPost().Body("详见 https://www.example.gov.cn/a.html 原文。"));
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(HeaderOf(r, "Location"), Path(a_) + "?posted=pending#comment-form");
  r = PostComment(a_, CommentPost().Nick("李四").Body("没有链接的评论。"));
  ASSERT_EQ(r.status, 303);
  const auto approved = Comments(store::CommentStatus::kApproved);
  const auto pending = Comments(store::CommentStatus::kPending);
  ASSERT_EQ(approved.size(), 1u);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].flags, "links");
  EXPECT_EQ(HeaderOf(r, "Location"),
            Path(a_) + "?posted=approved#comment-" + std::to_string(approved[0].id));
  const Response page = Get(Path(a_) + "?posted=approved");
  EXPECT_TRUE(Contains(page.body, "没有链接的评论。"));
  EXPECT_TRUE(Contains(page.body, "评论已发表。"));
  EXPECT_FALSE(Contains(page.body, "www.example.gov.cn/a.html"));
  EXPECT_TRUE(Contains(page.body, "共有 1 条评论"));
  EXPECT_TRUE(Contains(Get(Path(a_) + "?posted=pending").body, "审核通过后显示"));
  // Listings count approved comments only.
  const Response listing = Get("/baogao/");
  EXPECT_TRUE(Contains(listing.body, "评论 1")) << listing.body;
}

TEST_F(CommunityTest, AllPolicyHoldsEverything) {
  CommunityOptions c = Quiet();
  c.moderation = ModerationPolicy::kAll;
  MakeSite(c);
  ASSERT_EQ(PostComment(a_, CommentPost().Body("普通评论。")).status, 303);
  ASSERT_EQ(PostComment(a_, CommentPost().Body("另一条普通评论。").Ip("198.51.100.9")).status, 303);
  EXPECT_EQ(Comments(store::CommentStatus::kPending).size(), 2u);
  EXPECT_TRUE(Comments(store::CommentStatus::kApproved).empty());
  EXPECT_FALSE(Contains(Get(Path(a_)).body, "普通评论。"));
}

TEST_F(CommunityTest, FirstTimePolicyTrustsAnIpAfterOneApproval) {
  CommunityOptions c = Quiet();
  c.moderation = ModerationPolicy::kFirstTime;
  MakeSite(c);
  ASSERT_EQ(PostComment(a_, CommentPost().Body("第一次来。")).status, 303);
  auto pending = Comments(store::CommentStatus::kPending);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_TRUE(Contains(pending[0].flags, "first"));
  ASSERT_EQ(PostComment(a_, CommentPost().Body("还没审核又来了。")).status, 303);
  EXPECT_EQ(Comments(store::CommentStatus::kPending).size(), 2u);
  const AdminCreds admin = NewSession();
  ASSERT_EQ(Moderate(admin, "approve", {pending[0].id}).status, 303);
  EXPECT_TRUE(Contains(Get(Path(a_)).body, "第一次来。"));
  const Response r = PostComment(a_, CommentPost().Body("审核通过以后再来。"));
  ASSERT_EQ(r.status, 303);
  EXPECT_TRUE(Contains(HeaderOf(r, "Location"), "posted=approved"));
  EXPECT_TRUE(Contains(Get(Path(a_)).body, "审核通过以后再来。"));
  // Another address is still new.
  ASSERT_EQ(PostComment(a_, CommentPost().Body("换个地址。").Ip("198.51.100.9")).status, 303);
  EXPECT_FALSE(Contains(Get(Path(a_)).body, "换个地址。"));
}

TEST_F(CommunityTest, NonePolicyShowsLinksButWordsAreAlwaysHeld) {
  CommunityOptions c = Quiet();
  c.moderation = ModerationPolicy::kNone;
  c.words = {"违禁词", "spam"};
  MakeSite(c);
  ASSERT_EQ(PostComment(a_, CommentPost().Body("原文见 https://www.example.gov.cn/b.html")).status,
            303);
  const Response page = Get(Path(a_));
  EXPECT_TRUE(Contains(page.body,
                       "<a href=\"https://www.example.gov.cn/b.html\" "
                       "rel=\"nofollow ugc noopener\">"))
      << page.body;
  // Word hits wait, matched folded: full-width, upper case, in the nickname.
  ASSERT_EQ(PostComment(a_, CommentPost().Body("这是ＳＰＡＭ广告")).status, 303);
  ASSERT_EQ(PostComment(a_, CommentPost().Nick("Spam大王").Body("正文无害。")).status, 303);
  ASSERT_EQ(PostComment(a_, CommentPost().Body("含有违禁词的评论")).status, 303);
  size_t expected_held = 3;
  if (text::FoldStatus().ok()) {
    // Traditional characters fold to simplified: 違禁詞 → 违禁词.
    ASSERT_EQ(PostComment(a_, CommentPost().Body("繁體寫法的違禁詞也算")).status, 303);
    ++expected_held;
  } else {
    ADD_FAILURE() << "OpenCC t2s is not available: " << text::FoldStatus().ToString();
  }
  const auto pending = Comments(store::CommentStatus::kPending);
  EXPECT_EQ(pending.size(), expected_held);
  for (const store::Comment& cm : pending) EXPECT_TRUE(Contains(cm.flags, "words")) << cm.flags;
  EXPECT_EQ(Comments(store::CommentStatus::kApproved).size(), 1u);
}

TEST_F(CommunityTest, TooManyLinksDuplicatesHoneypotAndHasteAreRefused) {
  // More than max_links (2) links.
  Response r = PostComment(
      a_, CommentPost().Body("http://a.example/ https://b.example/ http://c.example/ 三个链接"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "链接过多")) << r.body;
  r = PostComment(a_,
                  CommentPost().Nick("www.a.example").Body("http://b.example/ http://c.example/"));
  EXPECT_EQ(r.status, 400) << "links in the nickname count too";
  // The same body again (folded: case and spaces do not matter).
  ASSERT_EQ(PostComment(a_, CommentPost().Body("同样的内容 ABC")).status, 303);
  r = PostComment(b_, CommentPost().Body("同样的内容abc").Ip("198.51.100.9"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "相同内容")) << r.body;
  clock_->Advance(86401);
  EXPECT_EQ(PostComment(a_, CommentPost().Body("同样的内容 ABC")).status, 303)
      << "after the window";
  // The honeypot.
  r = PostComment(a_, CommentPost().Body("机器人填了隐藏字段。").Website("http://spam.example/"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "未通过检查")) << r.body;
  // Sooner than min_fill_seconds (3) after the challenge was issued.
  const std::string token = Token("c" + Id(a_), Now());
  clock_->Advance(2);
  r = PostComment(a_, CommentPost().Body("太快了。").Token(token));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "提交过快")) << r.body;
  clock_->Advance(1);
  EXPECT_EQ(PostComment(a_, CommentPost().Body("太快了。").Token(token)).status, 303)
      << "the refusal did not spend the challenge";
  EXPECT_EQ(Comments().size(), 3u);
}

TEST_F(CommunityTest, RepliesNestUnderTheirComment) {
  ASSERT_EQ(PostComment(a_, CommentPost().Body("顶层评论。")).status, 303);
  const int64_t top = Comments()[0].id;
  CommentPost reply = CommentPost().Body("这是回复。");
  reply.parent = std::to_string(top);
  ASSERT_EQ(PostComment(a_, reply).status, 303);
  const Response page = Get(Path(a_));
  const size_t at_top = page.body.find("id=\"comment-" + std::to_string(top) + "\"");
  const size_t at_replies = page.body.find("<ol class=\"comment-replies\">");
  const size_t at_reply = page.body.find("这是回复。");
  ASSERT_NE(at_replies, std::string::npos);
  EXPECT_TRUE(at_top < at_replies && at_replies < at_reply);
  EXPECT_TRUE(Contains(page.body, "共有 2 条评论"));
  // The reply form says whom it answers; the parent must be a top-level
  // comment of the same report.
  const Response form = Get(Path(a_) + "?reply=" + std::to_string(top));
  EXPECT_TRUE(Contains(form.body, "name=\"parent\" value=\"" + std::to_string(top) + "\""));
  for (const std::string& bad : {std::to_string(Comments()[1].id), std::string("999999"),
                                 std::string("-1"), std::string("1x")}) {
    CommentPost p = CommentPost().Body("回复 " + bad);
    p.parent = bad;
    const Response r = PostComment(b_, p);
    EXPECT_EQ(r.status, 400) << bad;
  }
  CommentPost other_report = CommentPost().Body("跨报告回复");
  other_report.parent = std::to_string(top);
  EXPECT_EQ(PostComment(b_, other_report).status, 400);
  EXPECT_EQ(Comments().size(), 2u);
}

// ---------------------------------------------------------------------------
// 6. Rate limits

TEST_F(CommunityTest, CommentRateLimitPerIp) {
  CommunityOptions c = Quiet();
  c.comment_per_ip_per_minute = 2;
  c.comment_burst = 3;
  MakeSite(c);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(PostComment(a_, CommentPost().Body("连发 " + std::to_string(i))).status, 303) << i;
  }
  Response r = PostComment(a_, CommentPost().Body("第四条"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "60");
  EXPECT_TRUE(Contains(r.body, "过于频繁")) << r.body;
  ExpectInert(r.body, "429 form");
  EXPECT_EQ(PostComment(a_, CommentPost().Body("另一个地址").Ip("198.51.100.9")).status, 303);
  // Headers a client sends do not make it another client.
  const std::string token = CommentToken(a_);
  r = Post("/comment/" + Id(a_), CommentFields(a_, CommentPost().Body("伪造来源").Token(token)),
           PostOptions()
               .Cookie(ClientCookie())
               .Headers({{"x-forwarded-for", "192.0.2.1"}, {"x-real-ip", "192.0.2.1"}}));
  EXPECT_EQ(r.status, 429);
  clock_->Advance(30);  // 2 a minute: one more after 30 s
  EXPECT_EQ(PostComment(a_, CommentPost().Body("半分钟后")).status, 303);
  EXPECT_EQ(PostComment(a_, CommentPost().Body("又太快")).status, 429);
  EXPECT_EQ(Comments().size(), 5u);
}

TEST_F(CommunityTest, CommentRateLimitForTheWholeSite) {
  CommunityOptions c = Quiet();
  c.comment_global_per_minute = 4;
  MakeSite(c);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(PostComment(a_, CommentPost()
                                  .Body("全站 " + std::to_string(i))
                                  .Ip("198.51.100." + std::to_string(i + 1)))
                  .status,
              303);
  }
  EXPECT_EQ(PostComment(a_, CommentPost().Body("全站 5").Ip("198.51.100.99")).status, 429);
}

TEST_F(CommunityTest, CaptchaImageRateLimit) {
  CommunityOptions c = Quiet();
  c.captcha_per_ip_per_minute = 2;
  MakeSite(c);
  const std::string token = CommentToken(a_);
  for (int i = 0; i < 2; ++i) {
    const Response r = Get("/captcha/" + token + ".png");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "image/png");
    EXPECT_EQ(r.body.substr(0, 8), "\x89PNG\r\n\x1a\n");
    EXPECT_EQ(r.cache_control, "no-store");
  }
  const Response limited = Get("/captcha/" + token + ".png");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(Get("/captcha/" + token + ".png", "198.51.100.9").status, 200);
  // A forged token draws nothing; an expired one neither.
  std::string forged = token;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(Get("/captcha/" + forged + ".png", "198.51.100.10").status, 404);
  EXPECT_EQ(Get("/captcha/" + Token("c1", Now() - 601) + ".png", "198.51.100.10").status, 410);
}

TEST_F(CommunityTest, LoginRateLimitPerIp) {
  CommunityOptions c = Quiet();
  c.login_per_ip_per_minute = 2;
  MakeSite(c);
  EXPECT_EQ(Login(kUser, "").status, 400);
  EXPECT_EQ(Login(kUser, "").status, 400);
  const Response r = Login(kUser, kPassword);
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(CookieSet(r, "bg_admin").has_value());
}

// ---------------------------------------------------------------------------
// 7. The admin area

TEST_F(CommunityTest, WrongPasswordAndUnknownUserLookTheSame) {
  const Response wrong = Login(kUser, "not-the-password");
  const Response unknown = Login("nobody", "not-the-password");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(unknown.status, 403);
  EXPECT_TRUE(Contains(wrong.body, "用户名或密码错误")) << wrong.body;
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_FALSE(CookieSet(wrong, "bg_admin").has_value());
  const Response right = Login(kUser, kPassword);
  EXPECT_EQ(right.status, 303) << right.body;
  EXPECT_EQ(HeaderOf(right, "Location"), "/admin/");
  const auto token = CookieSet(right, "bg_admin");
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->size(), 64u);
  EXPECT_TRUE(store_->GetSession(Sha256Hex(*token))->has_value()) << "only the hash is stored";
  EXPECT_FALSE(store_->GetSession(*token)->has_value());
  const Response home = Get("/admin/", kLoopback, "bg_admin=" + *token);
  EXPECT_EQ(home.status, 200);
  EXPECT_TRUE(Contains(home.body, "概览"));
  std::vector<std::string> actions;
  for (const store::AuditEntry& e : Audit()) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"login", "login.fail", "login.fail"}));
}

TEST_F(CommunityTest, LockoutPerUserAndClientIgnoresForwardedHeaders) {
  const std::string attacker = "198.51.100.23";
  for (int i = 0; i < 5; ++i) {
    // The forged header changes on every try: the Site sees only client_ip.
    const Response r = Login(kUser, "guess-" + std::to_string(i), attacker,
                             {{"x-forwarded-for", "192.0.2." + std::to_string(i)},
                              {"x-real-ip", "192.0.2." + std::to_string(i)}});
    EXPECT_EQ(r.status, 403) << i;
  }
  const Response locked = Login(kUser, kPassword, attacker, {{"x-forwarded-for", "192.0.2.200"}});
  EXPECT_EQ(locked.status, 429) << "the right password is refused while locked";
  EXPECT_TRUE(Contains(locked.body, "用户名或密码错误，或尝试次数过多"));
  EXPECT_FALSE(CookieSet(locked, "__Host-bg_admin").has_value());
  // The owner, from another address, is not locked out by the pair.
  EXPECT_EQ(Login(kUser, kPassword, "198.51.100.77").status, 303);
  clock_->Advance(600);
  EXPECT_EQ(Login(kUser, kPassword, attacker).status, 429) << "still inside the window";
  clock_->Advance(301);
  const Response after = Login(kUser, kPassword, attacker);
  EXPECT_EQ(after.status, 303) << after.body;
  EXPECT_TRUE(CookieSet(after, "__Host-bg_admin").has_value());
}

TEST_F(CommunityTest, LockoutPerUserSpansClientsAndPerClientSpansUsers) {
  CommunityOptions c = Quiet();
  c.login_user_max_failures = 6;
  c.login_ip_max_failures = 4;
  MakeSite(c);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Login(kUser, "x", "198.51.100.1").status, 403);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Login(kUser, "x", "198.51.100.2").status, 403);
  // Six failures for the user: a fresh address with the right password waits.
  EXPECT_EQ(Login(kUser, kPassword, "198.51.100.3").status, 429);
  // Four failures from one address, each for another user: that address waits.
  for (const char* u : {"u1", "u2", "u3", "u4"}) {
    EXPECT_EQ(Login(u, "x", "198.51.100.50").status, 403);
  }
  EXPECT_EQ(Login("u5", "x", "198.51.100.50").status, 429);
  clock_->Advance(901);
  EXPECT_EQ(Login(kUser, kPassword, "198.51.100.3").status, 303);
  EXPECT_EQ(Login(kUser, kPassword, "198.51.100.50").status, 303);
}

TEST_F(CommunityTest, AdminPagesNeedASession) {
  for (const std::string& target :
       {std::string("/admin/"), std::string("/admin/comments?status=pending"),
        "/admin/reports/" + Id(a_), std::string("/admin/takedowns"),
        std::string("/admin/takedowns/1"), std::string("/admin/audit")}) {
    const Response r = Get(target, kLoopback);
    EXPECT_EQ(r.status, 303) << target;
    EXPECT_EQ(HeaderOf(r, "Location"), "/admin/login") << target;
    // A made-up session token is no session either.
    const Response fake = Get(target, kLoopback, "bg_admin=" + std::string(64, 'a'));
    EXPECT_EQ(fake.status, 303) << target;
  }
  EXPECT_EQ(Get("/admin", kLoopback).status, 301);
  const Response login = Get("/admin/login", kLoopback);
  EXPECT_EQ(login.status, 200);
  EXPECT_TRUE(Contains(login.body, "管理后台登录"));
  EXPECT_EQ(HeaderOf(login, "X-Robots-Tag"), "noindex, nofollow");
  // An expired session.
  const AdminCreds admin = NewSession();
  EXPECT_EQ(AdminGet(admin, "/admin/").status, 200);
  clock_->Advance(3601);
  EXPECT_EQ(AdminGet(admin, "/admin/").status, 303);
}

TEST_F(CommunityTest, AdminNeedsHttpsWithoutDevMode) {
  CommunityOptions c = Quiet();
  c.admin_dev_mode = false;
  MakeSite(c);
  const Response page = Get("/admin/login", kLoopback);
  EXPECT_EQ(page.status, 403);
  EXPECT_TRUE(Contains(page.body, "只能通过 HTTPS 访问"));
  const Response post = Login(kUser, kPassword);
  EXPECT_EQ(post.status, 403);
  EXPECT_FALSE(CookieSet(post, "bg_admin").has_value());
  // A session cookie over plain HTTP is not honoured either.
  const AdminCreds plain = NewSession(false);
  EXPECT_EQ(AdminGet(plain, "/admin/").status, 403);

  // Over HTTPS: the __Host- cookie with every protection.
  const Response secure =
      Post("/admin/login", {{"_csrf", ClientCsrf()}, {"user", kUser}, {"password", kPassword}},
           PostOptions().Ip(kIp).Cookie(ClientCookie(true)).Secure(true));
  ASSERT_EQ(secure.status, 303) << secure.body;
  std::string set_cookie;
  for (const std::string& s : SetCookies(secure)) {
    if (s.rfind("__Host-bg_admin=", 0) == 0) set_cookie = s;
  }
  ASSERT_FALSE(set_cookie.empty());
  for (const char* attr : {"; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/"}) {
    EXPECT_TRUE(Contains(set_cookie, attr)) << set_cookie;
  }
  EXPECT_FALSE(Contains(Lower(set_cookie), "domain=")) << set_cookie;
  const std::string token = *CookieSet(secure, "__Host-bg_admin");
  EXPECT_EQ(Get("/admin/", kIp, "__Host-bg_admin=" + token, true).status, 200);
  EXPECT_EQ(Get("/admin/", kIp, "bg_admin=" + token, true).status, 303)
      << "over HTTPS only the __Host- cookie counts";
  EXPECT_EQ(Get("/admin/", kIp, "__Host-bg_admin=" + token, false).status, 403);

  // Dev mode admits plain HTTP from loopback only.
  c.admin_dev_mode = true;
  MakeSite(c);
  EXPECT_EQ(Get("/admin/login", kLoopback).status, 200);
  EXPECT_EQ(Get("/admin/login", "::1").status, 200);
  EXPECT_EQ(Get("/admin/login", "198.51.100.7").status, 403);
  EXPECT_EQ(Login(kUser, kPassword, "198.51.100.7", {}, /*secure=*/false).status, 403);
}

TEST_F(CommunityTest, LogoutEndsTheSession) {
  const Response in = Login(kUser, kPassword);
  ASSERT_EQ(in.status, 303);
  const std::string cookie = "bg_admin=" + *CookieSet(in, "bg_admin");
  const Response home = Get("/admin/", kLoopback, cookie);
  ASSERT_EQ(home.status, 200);
  const std::string csrf = FormCsrf(home.body);
  ASSERT_FALSE(csrf.empty());
  const Response out =
      Post("/admin/logout", {{"_csrf", csrf}}, PostOptions().Ip(kLoopback).Cookie(cookie));
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(HeaderOf(out, "Location"), "/admin/login");
  const std::string cleared = SetCookies(out).empty() ? "" : SetCookies(out)[0];
  EXPECT_EQ(cleared.rfind("bg_admin=;", 0), 0u) << cleared;
  EXPECT_TRUE(Contains(cleared, "Max-Age=0")) << cleared;
  // The old cookie is dead even if the browser keeps it.
  EXPECT_EQ(Get("/admin/", kLoopback, cookie).status, 303);
  EXPECT_EQ(Post("/admin/comments", {{"_csrf", csrf}, {"action", "approve"}, {"id", "1"}},
                 PostOptions().Ip(kLoopback).Cookie(cookie))
                .status,
            403);
  EXPECT_EQ(Audit().front().action, "logout");
}

TEST_F(CommunityTest, BulkModerationAuditsEveryComment) {
  CommunityOptions c = Quiet();
  c.moderation = ModerationPolicy::kAll;
  MakeSite(c);
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(PostComment(a_, CommentPost().Body("待审 " + std::to_string(i))).status, 303);
  }
  const auto pending = Comments(store::CommentStatus::kPending);
  ASSERT_EQ(pending.size(), 4u);
  const AdminCreds admin = NewSession();
  const size_t audit_before = Audit().size();
  const Response r = Moderate(admin, "approve", {pending[0].id, pending[1].id, pending[2].id});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(HeaderOf(r, "Location"), "/admin/comments?status=pending");
  const auto audit = Audit();
  ASSERT_EQ(audit.size(), audit_before + 3);
  std::set<std::string> targets;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(audit[i].action, "comment.approve");
    EXPECT_EQ(audit[i].actor, kUser);
    EXPECT_EQ(audit[i].client_ip, kLoopback);
    EXPECT_EQ(audit[i].detail, "pending → approved");
    targets.insert(audit[i].target);
  }
  EXPECT_EQ(targets, (std::set<std::string>{"comment:" + std::to_string(pending[0].id),
                                            "comment:" + std::to_string(pending[1].id),
                                            "comment:" + std::to_string(pending[2].id)}));
  EXPECT_EQ(Comments(store::CommentStatus::kApproved).size(), 3u);
  const Response page = Get(Path(a_));
  EXPECT_TRUE(Contains(page.body, "待审 0"));
  EXPECT_FALSE(Contains(page.body, "待审 3"));
  // Spam, then delete; an unknown id changes nothing.
  EXPECT_EQ(Moderate(admin, "spam", {pending[3].id}).status, 303);
  EXPECT_EQ(store_->GetComment(pending[3].id)->status, store::CommentStatus::kSpam);
  EXPECT_EQ(Moderate(admin, "delete", {pending[0].id}).status, 303);
  EXPECT_FALSE(Contains(Get(Path(a_)).body, "待审 0"));
  EXPECT_EQ(Moderate(admin, "approve", {pending[1].id, 999999}).status, 400);
  EXPECT_EQ(Moderate(admin, "bless", {pending[1].id}).status, 400);
  EXPECT_EQ(Moderate(admin, "approve", {}).status, 400);
  EXPECT_EQ(Audit().size(), audit_before + 5);
}

TEST_F(CommunityTest, EditingAndHidingAReport) {
  ASSERT_EQ(PostComment(a_, CommentPost().Body("隐藏前的评论。")).status, 303);
  const std::string old_path = Path(a_);
  // Visible everywhere first.
  ASSERT_EQ(Get(old_path).status, 200);
  EXPECT_TRUE(Contains(Get("/comments.xml").body, "隐藏前的评论"));
  EXPECT_TRUE(Contains(Get("/baogao/").body, old_path));
  EXPECT_TRUE(Contains(Get("/search?q=" + PercentEncode("陵城区")).body, old_path));
  EXPECT_TRUE(Contains(Get("/sitemap.xml").body, "https://example.org" + old_path));

  const AdminCreds admin = NewSession();
  const Response form = AdminGet(admin, "/admin/reports/" + Id(a_));
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(Contains(form.body, "value=\"2023\""));
  Fields edit = {{"type", "gongbao"},
                 {"region", "371403"},
                 {"year", "2022"},
                 {"completeness", "full"},
                 {"original", "1"}};
  Response r = AdminPost(admin, "/admin/reports/" + Id(a_), edit);
  ASSERT_EQ(r.status, 303) << r.body;
  auto rep = store_->Get(a_);
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->type, ReportType::kStatistical);
  EXPECT_EQ(rep->year, 2022);
  EXPECT_TRUE(rep->original);
  EXPECT_FALSE(rep->hidden);
  auto audit = Audit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].action, "report.edit");
  EXPECT_EQ(audit[0].target, "report:" + Id(a_));
  EXPECT_EQ(audit[0].detail, "type: baogao → gongbao; year: 2023 → 2022; original: 0 → 1");
  const std::string new_path = Path(a_);
  EXPECT_NE(new_path, old_path);
  EXPECT_EQ(Get(old_path).status, 301);
  CatchUpIndex();
  EXPECT_TRUE(Contains(Get("/gongbao/").body, new_path));

  // Hidden: 410, and gone from listings, search, sitemap and the comments feed.
  edit.emplace_back("hidden", "1");
  r = AdminPost(admin, "/admin/reports/" + Id(a_), edit);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_TRUE(store_->Get(a_)->hidden);
  audit = Audit();
  EXPECT_EQ(audit[0].action, "report.edit");
  EXPECT_EQ(audit[0].detail, "hidden: 0 → 1");
  const Response gone = Get(new_path);
  EXPECT_EQ(gone.status, 410);
  EXPECT_TRUE(Contains(gone.body, "文件已下架"));
  EXPECT_FALSE(Contains(Get("/comments.xml").body, "隐藏前的评论"));
  EXPECT_EQ(PostComment(a_, CommentPost().Body("隐藏后还想评论。")).status, 404);
  EXPECT_EQ(Get("/takedown/" + Id(a_)).status, 404);
  CatchUpIndex();
  EXPECT_FALSE(Contains(Get("/gongbao/").body, new_path));
  EXPECT_FALSE(Contains(Get("/search?q=" + PercentEncode("陵城区")).body, new_path));
  EXPECT_FALSE(Contains(Get("/sitemap.xml").body, new_path));
  EXPECT_FALSE(Contains(Get("/").body, new_path));
  EXPECT_FALSE(Contains(Get("/gongbao/rss.xml").body, new_path));
  EXPECT_EQ(AdminGet(admin, "/admin/reports/" + Id(a_)).status, 200) << "the admin still sees it";

  // Bad input changes nothing.
  EXPECT_EQ(AdminPost(admin, "/admin/reports/" + Id(a_),
                      {{"type", "nope"}, {"year", "2022"}, {"completeness", "full"}})
                .status,
            400);
  EXPECT_EQ(AdminPost(admin, "/admin/reports/" + Id(a_),
                      {{"type", "gongbao"}, {"year", "20x2"}, {"completeness", "full"}})
                .status,
            400);
  EXPECT_EQ(AdminPost(admin, "/admin/reports/999999", edit).status, 404);
  const Response bad_region = AdminPost(admin, "/admin/reports/" + Id(a_),
                                        {{"type", "gongbao"},
                                         {"region", "<script>alert(1)</script>"},
                                         {"year", "2022"},
                                         {"completeness", "full"}});
  EXPECT_EQ(bad_region.status, 400);
  EXPECT_TRUE(Contains(bad_region.body, "&lt;script&gt;")) << bad_region.body;
  ExpectInert(bad_region.body, "bad region message");
  EXPECT_EQ(store_->Get(a_)->region->value(), 371403);

  // Deleting needs the confirmation.
  EXPECT_EQ(AdminPost(admin, "/admin/reports/" + Id(b_) + "/delete", {}).status, 400);
  EXPECT_TRUE(store_->Get(b_).ok());
  EXPECT_EQ(AdminPost(admin, "/admin/reports/" + Id(b_) + "/delete", {{"confirm", "yes"}}).status,
            303);
  EXPECT_EQ(store_->Get(b_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Audit()[0].action, "report.delete");
  EXPECT_EQ(Audit()[0].detail, "德州市德城区2023年政府工作报告");
}

TEST_F(CommunityTest, TakedownFlowHidesTheReport) {
  // The visitor: the form page, then the post.
  const Response form = Get("/takedown/" + Id(c_));
  ASSERT_EQ(form.status, 200);
  const auto client = CookieSet(form, "bg_client");
  ASSERT_TRUE(client.has_value());
  const std::string token = FormToken(form.body);
  ASSERT_FALSE(token.empty());
  const Response sent = Post("/takedown/" + Id(c_),
                             {{"_csrf", FormCsrf(form.body)},
                              {"token", token},
                              {"website", ""},
                              {"reason", "infringement"},
                              {"contact", "legal@example.org"},
                              {"details", "本文未经授权转载，请下架。"},
                              {"captcha", Answer(token)}},
                             PostOptions().Cookie("bg_client=" + *client));
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(HeaderOf(sent, "Location"), "/takedown/" + Id(c_) + "?sent=1");
  EXPECT_TRUE(Contains(Get("/takedown/" + Id(c_) + "?sent=1").body, "已收到您的请求"));
  auto list = store_->ListTakedowns(store::TakedownStatus::kOpen, 10, 0);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  const store::TakedownRequest t = (*list)[0];
  EXPECT_EQ(t.report_id, c_);
  EXPECT_EQ(t.reason, store::TakedownReason::kInfringement);
  EXPECT_EQ(t.contact, "legal@example.org");
  EXPECT_EQ(t.client_ip, kIp);

  // The admin.
  const AdminCreds admin = NewSession();
  const Response queue = AdminGet(admin, "/admin/takedowns");
  EXPECT_TRUE(Contains(queue.body, "href=\"/admin/takedowns/" + std::to_string(t.id) + "\""));
  const std::string tpath = "/admin/takedowns/" + std::to_string(t.id);
  EXPECT_TRUE(Contains(AdminGet(admin, tpath).body, "本文未经授权转载"));
  EXPECT_EQ(AdminPost(admin, tpath, {{"action", "burn"}}).status, 400);
  EXPECT_EQ(AdminPost(admin, tpath, {{"action", "note"}}).status, 400) << "a note needs text";
  const Response r = AdminPost(admin, tpath, {{"action", "hide"}, {"note", "已核实，下架处理"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(HeaderOf(r, "Location"), tpath);

  EXPECT_EQ(store_->GetTakedown(t.id)->status, store::TakedownStatus::kHidden);
  EXPECT_TRUE(store_->Get(c_)->hidden);
  auto events = store_->TakedownEvents(t.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].action, "submitted");
  EXPECT_EQ((*events)[0].actor, "");
  EXPECT_EQ((*events)[1].action, "hidden");
  EXPECT_EQ((*events)[1].actor, kUser);
  EXPECT_EQ((*events)[1].note, "已核实，下架处理");
  std::map<std::string, store::AuditEntry> audit;
  for (const store::AuditEntry& e : Audit()) audit.emplace(e.action, e);
  ASSERT_EQ(audit.count("takedown.hide"), 1u);
  ASSERT_EQ(audit.count("report.hide"), 1u);
  EXPECT_EQ(audit["takedown.hide"].target, "takedown:" + std::to_string(t.id));
  EXPECT_EQ(audit["takedown.hide"].detail, "已核实，下架处理");
  EXPECT_EQ(audit["report.hide"].target, "report:" + Id(c_));
  EXPECT_EQ(Get(Path(c_)).status, 410);
  const Response log = AdminGet(admin, "/admin/audit");
  EXPECT_TRUE(Contains(log.body, "takedown.hide"));
  EXPECT_TRUE(Contains(log.body, "report.hide"));
  const Response page = AdminGet(admin, tpath);
  EXPECT_TRUE(Contains(page.body, "已下架报告"));
  EXPECT_TRUE(Contains(page.body, "已核实，下架处理"));
}

// ---------------------------------------------------------------------------
// 8. SQL metacharacters

TEST_F(CommunityTest, SqlMetacharactersAreStoredLiterally) {
  const std::string nickname = "'; DROP TABLE comments; --";
  const std::string body =
      "\" OR 1=1 --\n100% _under_score_ \\ \\\\ \\' '' \"\" ; SELECT * FROM admin_users; /* */";
  const std::string token = CommentToken(a_);
  ASSERT_EQ(PostComment(a_, CommentPost().Nick(nickname).Body(body).Token(token)).status, 303);
  // Bodies that would match each other as LIKE patterns are distinct comments.
  ASSERT_EQ(PostComment(a_, CommentPost().Body("%")).status, 303);
  ASSERT_EQ(PostComment(a_, CommentPost().Body("_")).status, 303);
  ASSERT_EQ(PostComment(a_, CommentPost().Body("\\%")).status, 303);

  auto stored = store_->FindCommentByKey(NonceOf(token));
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->nickname, nickname);
  EXPECT_EQ((*stored)->body, body);
  std::set<std::string> bodies;
  for (const store::Comment& cm : Comments()) bodies.insert(cm.body);
  EXPECT_EQ(bodies, (std::set<std::string>{body, "%", "_", "\\%"}));

  const std::string contact = "a'b\"c%_\\d@example.org' OR '1'='1";
  const std::string details = "'); DROP TABLE takedown_requests; --\n%_\\";
  const std::string ttoken = Token("t" + Id(a_), Now() - 10);
  ASSERT_EQ(Post("/takedown/" + Id(a_),
                 {{"_csrf", ClientCsrf()},
                  {"token", ttoken},
                  {"reason", "error"},
                  {"contact", contact},
                  {"details", details},
                  {"captcha", Answer(ttoken)}},
                 PostOptions().Cookie(ClientCookie()))
                .status,
            303);
  auto t = store_->FindTakedownByKey(NonceOf(ttoken));
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ((*t)->contact, contact);
  EXPECT_EQ((*t)->details, details);

  // Logins with injection in the name get the generic refusal.
  for (const std::string user : {"admin' --", "' OR '1'='1", "admin\"; --", "%", "_dmin"}) {
    EXPECT_EQ(Login(user, "' OR '1'='1").status, 403) << user;
  }
  // The tables are all there and sound.
  EXPECT_EQ(store_->CountComments({}).value(), 4);
  EXPECT_EQ(store_->CountTakedowns(std::nullopt).value(), 1);
  EXPECT_TRUE(store_->GetAdminUser(kUser).ok());
  EXPECT_TRUE(store_->CheckIntegrity().ok());
  const Response page = Get(Path(a_));
  EXPECT_TRUE(Contains(page.body, "&#39;; DROP TABLE comments; --") ||
              Contains(page.body, "&apos;; DROP TABLE comments; --"))
      << "shown, escaped";
}

}  // namespace
}  // namespace baogao::web
