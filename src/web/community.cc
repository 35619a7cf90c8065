// Comments under reports, the captcha images, takedown and correction
// requests (侵权/纠错), the recent-comments feed: the public side of issue 6.
// The admin side is admin.cc; the POST route table and its CSRF checks are
// in site.cc (DispatchPost).
//
// A report page is cached with placeholders where its comment form carries
// per-visitor values (kTokenSlot ...); Personalize() fills them for each
// request, so the page stays a memory copy while every visitor gets a fresh
// captcha challenge and their own CSRF token.
#include <algorithm>
#include <chrono>
#include <ctime>

#include "base/log.h"
#include "base/sha256.h"
#include "text/fold.h"
#include "text/text.h"
#include "web/internal/site_impl.h"

namespace baogao::web {
namespace {

constexpr size_t kMaxNicknameChars = 32;
constexpr size_t kMaxBodyChars = 2000;
constexpr size_t kMaxContactChars = 200;
constexpr size_t kMaxDetailsChars = 5000;
constexpr const char* kAnonymous = "匿名网友";

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// What a reader typed, made safe to store: valid UTF-8, control characters
// other than line breaks and tabs removed, CRLF as LF, trimmed.
std::string CleanInput(std::string_view in, bool multiline) {
  const std::string valid = text::ToValidUtf8(in);
  std::string out;
  out.reserve(valid.size());
  for (size_t i = 0; i < valid.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(valid[i]);
    if (c == '\r') {
      if (i + 1 < valid.size() && valid[i + 1] == '\n') continue;
      if (multiline) out.push_back('\n');
      continue;
    }
    if (c == '\n') {
      if (multiline)
        out.push_back('\n');
      else
        out.push_back(' ');
      continue;
    }
    if (c < 0x20 && c != '\t') continue;
    if (c == 0x7F) continue;
    // C1 controls U+0080..U+009F (C2 80..C2 9F) and bidi overrides
    // U+202A..U+202E, U+2066..U+2069, which can reorder what others read.
    if (c == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) < 0xA0) {
      ++i;
      continue;
    }
    if (c == 0xE2 && i + 2 < valid.size()) {
      const unsigned char c1 = static_cast<unsigned char>(valid[i + 1]);
      const unsigned char c2 = static_cast<unsigned char>(valid[i + 2]);
      if ((c1 == 0x80 && c2 >= 0xAA && c2 <= 0xAE) || (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9)) {
        i += 2;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return std::string(text::TrimSpace(out));
}

// The body as the duplicate check sees it: folded, without spaces.
std::string BodyHash(std::string_view body) {
  std::string folded = text::FoldToUtf8(body);
  folded.erase(std::remove_if(folded.begin(), folded.end(),
                              [](char c) { return c == ' ' || c == '\n' || c == '\t'; }),
               folded.end());
  return Sha256Hex(folded);
}

}  // namespace

std::string BeijingTime(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// ---------------------------------------------------------------------------
// Set-up, cookies, personalisation

Status Site::Impl::InitCommunity() {
  const CommunityOptions& c = options.community;
  if (c.comments_per_page < 1 || c.comments_per_page > 100) {
    return Status::InvalidArgument("site: comments_per_page must be 1..100");
  }
  if (c.max_links < 0 || c.min_fill_seconds < 0 || c.duplicate_window_seconds < 0 ||
      c.session_seconds < 60 || c.login_window_seconds < 1) {
    return Status::InvalidArgument("site: a community limit is out of range");
  }
  BAOGAO_ASSIGN_OR_RETURN(std::string secret,
                          store.GetOrCreateSecret("site", RandomHex(SystemRandom(), 32)));
  signer = std::make_unique<Signer>(std::move(secret));
  comment_ip_limit = std::make_unique<RateLimiter>(c.comment_per_ip_per_minute, c.comment_burst);
  comment_global_limit = std::make_unique<RateLimiter>(c.comment_global_per_minute,
                                                       std::max(1.0, c.comment_global_per_minute));
  captcha_limit = std::make_unique<RateLimiter>(c.captcha_per_ip_per_minute,
                                                std::max(1.0, c.captcha_per_ip_per_minute));
  takedown_limit = std::make_unique<RateLimiter>(c.takedown_per_ip_per_minute, 3);
  login_limit = std::make_unique<RateLimiter>(c.login_per_ip_per_minute,
                                              std::max(1.0, c.login_per_ip_per_minute));
  for (const std::string& w : c.words) {
    std::string f = text::FoldToUtf8(w);
    if (!f.empty()) folded_words.push_back(std::move(f));
  }
  return Status::Ok();
}

bool Site::Impl::SecureCookies(const Request& request) const { return request.secure; }

std::string Site::Impl::ClientCookieName(const Request& request) const {
  return SecureCookies(request) ? "__Host-bg_client" : "bg_client";
}

std::string Site::Impl::ClientId(const Request& request, Response* response) {
  const auto cookies = ParseCookies(request.Header("cookie"));
  const std::string name = ClientCookieName(request);
  if (auto it = cookies.find(name); it != cookies.end() && IsClientId(it->second)) {
    return it->second;
  }
  std::string id = RandomHex(FastRandom(), 16);
  if (response != nullptr) {
    CookieOptions co;
    co.secure = SecureCookies(request);
    co.max_age = 365LL * 86400;
    response->headers.emplace_back("Set-Cookie", SetCookieValue(name, id, co));
  }
  return id;
}

void Site::Impl::Personalize(const Request& request, std::string_view page,
                             std::optional<report::ReportId> report_id, const SlotGzip* gzip,
                             Response* response) {
  const std::string client = ClientId(request, response);
  const std::string csrf = CsrfToken(*signer, client);
  // The form and the view count belong to the report the page shows.
  const std::string form_id = "c" + std::to_string(report_id ? report_id->value() : 0);
  std::string views;
  if (report_id) {
    if (auto shown = ShownViews(report_id->value())) views = std::to_string(*shown);
  }
  const std::string token = IssueCaptchaToken(*signer, form_id, Now(), FastRandom());
  std::string note;
  std::string parent = "0";
  if (auto posted = request.Param("posted")) {
    if (*posted == "pending") {
      note = "<p class=\"form-note ok\" role=\"status\">评论已提交，审核通过后显示。</p>";
    } else if (*posted == "approved") {
      note = "<p class=\"form-note ok\" role=\"status\">评论已发表。</p>";
    }
  }
  if (auto reply = request.Param("reply")) {
    bool digits =
        !reply->empty() && reply->size() <= 18 &&
        std::all_of(reply->begin(), reply->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
      parent = *reply;
      note += "<p class=\"form-note\">正在回复第 " + parent +
              " 号评论。<a href=\"?#comment-form\">取消回复</a></p>";
    }
  }
  std::string_view values[128];
  values['T'] = token;
  values['C'] = csrf;
  values['N'] = note;
  values['P'] = parent;
  values['V'] = views;
  if (gzip != nullptr && AcceptsGzip(request.Header("accept-encoding"))) {
    response->body = gzip->Fill(values);
    response->content_encoding = "gzip";
  } else {
    response->body = FillSlots(page, values);
  }
  response->shared_body.reset();
  response->personal = true;
  response->etag.clear();
  response->last_modified = 0;  // no validators for a page made for one request
  response->cache_control = "private, no-store";
}

// ---------------------------------------------------------------------------
// Comments on the report page

Status Site::Impl::SetComments(report::ReportId id, const std::string& report_path, int64_t cpage,
                               Data& data) {
  const int64_t per_page = options.community.comments_per_page;
  std::vector<store::Comment> top;
  std::vector<store::Comment> replies;
  int64_t total = 0;
  int64_t top_total = 0;
  BAOGAO_RETURN_IF_ERROR(store.RunInReadTransaction([&](store::Transaction& txn) -> Status {
    store::CommentFilter all;
    all.report = id;
    all.visible_only = true;
    BAOGAO_ASSIGN_OR_RETURN(total, txn.CountComments(all));
    store::CommentFilter f = all;
    f.top_level_only = true;
    BAOGAO_ASSIGN_OR_RETURN(top_total, txn.CountComments(f));
    f.newest_first = true;
    f.limit = per_page;
    f.offset = (cpage - 1) * per_page;
    BAOGAO_ASSIGN_OR_RETURN(top, txn.ListComments(f));
    for (const store::Comment& c : top) {
      store::CommentFilter r = all;
      r.parent_id = c.id;
      r.limit = 200;
      BAOGAO_ASSIGN_OR_RETURN(std::vector<store::Comment> rs, txn.ListComments(r));
      replies.insert(replies.end(), rs.begin(), rs.end());
    }
    return Status::Ok();
  }));
  auto item = [&](const store::Comment& c) {
    Data d;
    d.set("comment_id", std::to_string(c.id));
    d.set("nickname", CleanUtf8(c.nickname.empty() ? kAnonymous : c.nickname));
    d.set("comment_html", CommentBodyHtml(CleanUtf8(c.body)));
    d.set("comment_time", BeijingTime(c.created_at));
    d.set("comment_time_iso", Rfc3339(c.created_at));
    return d;
  };
  Data list{Data::type::list};
  for (const store::Comment& c : top) {
    Data d = item(c);
    Data rl{Data::type::list};
    bool has_replies = false;
    for (const store::Comment& r : replies) {
      if (r.parent_id != c.id) continue;
      rl.push_back(item(r));
      has_replies = true;
    }
    d.set("has_replies", has_replies);
    d.set("replies", rl);
    list.push_back(d);
  }
  data.set("comment_count", std::to_string(total));
  data.set("has_comments", !top.empty());
  data.set("comments", list);
  // Comment pages: newest first; links keep the report path.
  const int64_t pages = std::max<int64_t>(1, (top_total + per_page - 1) / per_page);
  if (pages > 1) {
    Data cp;
    if (cpage > 1) {
      cp.set("newer_href", cpage == 2
                               ? report_path + "#comments"
                               : report_path + "?cpage=" + std::to_string(cpage - 1) + "#comments");
    }
    if (cpage < pages) {
      cp.set("older_href", report_path + "?cpage=" + std::to_string(cpage + 1) + "#comments");
    }
    cp.set("cpage", std::to_string(cpage));
    cp.set("cpages", std::to_string(pages));
    data.set("comment_pages", cp);
  }
  // The form, with placeholders that Personalize() fills per request.
  data.set("form_action", "/comment/" + std::to_string(id.value()));
  data.set("form_csrf", std::string(kCsrfSlot));
  data.set("form_token", std::string(kTokenSlot));
  data.set("form_parent", std::string(kParentSlot));
  data.set("form_note", std::string(kNoteSlot));
  data.set("refresh_href", report_path + "?captcha=new#comment-form");
  data.set("takedown_href", "/takedown/" + std::to_string(id.value()));
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// Captcha images

Response Site::Impl::CaptchaImage(const Request& request, std::string_view token) {
  auto challenge = ParseCaptchaToken(*signer, token);
  if (!challenge) return NotFound();
  const int64_t now = Now();
  if (ChallengeExpired(*challenge, now)) {
    return ErrorPage(410, "验证码已过期", "验证码已过期，请刷新页面获取新的验证码。");
  }
  if (!captcha_limit->Allow("captcha:" + request.client_ip, static_cast<double>(now))) {
    return TooMany("验证码图片请求过于频繁，请稍后再试。");
  }
  uint64_t seed = 0;
  FastRandom().Fill(std::span<uint8_t>(reinterpret_cast<uint8_t*>(&seed), sizeof seed));
  Result<std::string> png = RenderCaptchaPng(CaptchaAnswer(*signer, challenge->nonce), seed);
  if (!png.ok()) {
    LOG(kError) << "captcha: " << png.status().ToString();
    return ErrorPage(500, "服务器内部错误", "验证码暂时无法显示，请稍后再试。");
  }
  Response r;
  r.content_type = "image/png";
  r.body = std::move(*png);
  r.cache_control = "no-store";
  r.personal = true;
  return r;
}

// ---------------------------------------------------------------------------
// Posting a comment

std::optional<std::string> Site::Impl::CheckAnswer(const CaptchaChallenge& challenge,
                                                   const Form& form) {
  const std::string typed = form.Get("captcha");
  if (CaptchaAnswerMatches(typed, CaptchaAnswer(*signer, challenge.nonce))) return std::nullopt;
  auto spent = store.SpendCaptcha(challenge.nonce, SpentUntil(challenge));
  if (!spent.ok()) {
    LOG(kError) << "captcha: " << spent.status().ToString();
  }
  return typed.empty() ? "请输入验证码。" : "验证码错误，请输入新的验证码。";
}

Response Site::Impl::Forbidden(const std::string& message) {
  Response r = ErrorPage(403, "无法提交", message);
  return r;
}

Response Site::Impl::TooMany(const std::string& message) {
  Response r = ErrorPage(429, "请求过于频繁", message);
  r.headers.emplace_back("Retry-After", "60");
  return r;
}

Response Site::Impl::SeeOther(const std::string& location) {
  Response r;
  r.status = 303;
  r.headers.emplace_back("Location", location);
  r.cache_control = "no-store";
  r.body = "<!DOCTYPE html><html lang=\"zh-CN\"><title>已提交</title><p><a href=\"" +
           HtmlEscape(location) + "\">继续</a></p></html>\n";
  return r;
}

Response Site::Impl::CommentFormPage(const Request& request, int status, const report::Report& rep,
                                     const std::string& message, const Form* sent) {
  Data data;
  const std::string path = ReportPath(rep.type, rep.region, rep.id);
  SetCommon(data, "发表评论：" + rep.title, path, "");
  data.set("noindex", true);
  data.set("report_title", CleanUtf8(rep.title));
  data.set("report_href", path);
  data.set("message", message);
  Response r;
  r.status = status;
  const std::string client = ClientId(request, &r);
  data.set("form_action", "/comment/" + std::to_string(rep.id.value()));
  data.set("form_csrf", CsrfToken(*signer, client));
  data.set("form_token",
           IssueCaptchaToken(*signer, "c" + std::to_string(rep.id.value()), Now(), FastRandom()));
  std::string parent = "0";
  if (sent != nullptr) {
    data.set("form_nickname", CleanInput(sent->Get("nickname"), false));
    data.set("form_body", CleanInput(sent->Get("body"), true));
    const std::string p = sent->Get("parent");
    if (!p.empty() && p.size() <= 18 &&
        std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      parent = p;
    }
  }
  data.set("form_parent", parent);
  data.set("form_note", std::string());
  data.set("refresh_href", "/comment/" + std::to_string(rep.id.value()));
  r.body = Render("comment_form", data);
  r.cache_control = "private, no-store";
  r.personal = true;
  return r;
}

Response Site::Impl::PostComment(PostContext& ctx) {
  const Request& request = ctx.request;
  const Form& form = ctx.form;
  const int64_t now = Now();
  std::optional<int64_t> rid;
  if (!ctx.rest.empty() && ctx.rest.size() <= 18 &&
      std::all_of(ctx.rest.begin(), ctx.rest.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    rid = std::stoll(std::string(ctx.rest));
  }
  if (!rid || *rid <= 0) return NotFound();
  auto rep_or = store.Get(report::ReportId(*rid));
  if (!rep_or.ok()) {
    if (rep_or.status().code() == StatusCode::kNotFound) return NotFound();
    LOG(kError) << "comment: " << rep_or.status().ToString();
    return ErrorPage(500, "服务器内部错误", "评论暂时无法提交，请稍后再试。");
  }
  const report::Report& rep = *rep_or;
  if (rep.hidden) return NotFound();
  const std::string report_path = ReportPath(rep.type, rep.region, rep.id);
  auto refuse = [&](int status, const std::string& message) {
    return CommentFormPage(request, status, rep, message, &form);
  };

  // The challenge names the comment: its nonce is the idempotency key, so
  // a double submit or a retry after a lost answer finds the first comment.
  auto challenge = ParseCaptchaToken(*signer, form.Get("token"));
  if (!challenge) return refuse(400, "验证码缺失或无效，请重新输入验证码。");
  {
    auto existing = store.FindCommentByKey(challenge->nonce);
    if (!existing.ok()) {
      LOG(kError) << "comment: " << existing.status().ToString();
      return refuse(503, "评论暂时无法提交，请稍后再试。");
    }
    if (*existing) {
      const store::Comment& c = **existing;
      if (c.report_id != rep.id) return refuse(400, "验证码与本页不符，请重新输入验证码。");
      return SeeOther(report_path + (c.status == store::CommentStatus::kApproved
                                         ? "?posted=approved#comment-" + std::to_string(c.id)
                                         : "?posted=pending#comment-form"));
    }
  }
  if (challenge->form != "c" + std::to_string(rep.id.value())) {
    return refuse(400, "验证码与本页不符，请重新输入验证码。");
  }
  if (ChallengeExpired(*challenge, now)) {
    return refuse(400, "验证码已过期（有效期 10 分钟），请输入新的验证码。");
  }
  // Limits before any work on the text.
  if (!comment_ip_limit->Allow("comment:" + request.client_ip, static_cast<double>(now)) ||
      !comment_global_limit->Allow("comment:*", static_cast<double>(now))) {
    Response r = refuse(429, "评论提交过于频繁，请稍后再试。");
    r.headers.emplace_back("Retry-After", "60");
    return r;
  }
  // Bots: a honeypot field people never see, and a minimum fill time.
  if (!form.Get("website").empty()) return refuse(400, "提交未通过检查。");
  if (now - challenge->issued < options.community.min_fill_seconds) {
    return refuse(400, "提交过快，请确认内容后再提交。");
  }

  const std::string nickname_in = CleanInput(form.Get("nickname"), false);
  const std::string body = CleanInput(form.Get("body"), true);
  if (CountChars(nickname_in) > kMaxNicknameChars) {
    return refuse(400, "昵称过长：最多 32 个字。");
  }
  if (body.empty()) return refuse(400, "评论内容不能为空。");
  if (CountChars(body) > kMaxBodyChars) {
    return refuse(400,
                  "评论过长：最多 2000 字（当前 " + std::to_string(CountChars(body)) + " 字）。");
  }
  int64_t parent = 0;
  if (const std::string p = form.Get("parent"); !p.empty() && p != "0") {
    if (p.size() > 18 ||
        !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return refuse(400, "回复的评论编号无效。");
    }
    parent = std::stoll(p);
  }
  const int links = CountLinks(body) + CountLinks(nickname_in);
  if (links > options.community.max_links) {
    return refuse(
        400, "评论中的链接过多：最多 " + std::to_string(options.community.max_links) + " 个。");
  }

  // The captcha: the first attempt spends the challenge, right or wrong. A
  // wrong answer is spent in a transaction of its own; a right one together
  // with the comment, so a crash before the commit leaves both undone and
  // the retry (same challenge, same key) goes through.
  if (auto wrong = CheckAnswer(*challenge, form)) return refuse(400, *wrong);
  const int64_t expires = SpentUntil(*challenge);

  std::vector<std::string> flags;
  if (links > 0) flags.push_back("links");
  if (!folded_words.empty()) {
    const std::string folded = text::FoldToUtf8(nickname_in + "\n" + body);
    for (const std::string& w : folded_words) {
      if (folded.find(w) != std::string::npos) {
        flags.push_back("words");
        break;
      }
    }
  }
  store::Comment c;
  c.report_id = rep.id;
  c.parent_id = parent;
  c.nickname = nickname_in.empty() ? kAnonymous : nickname_in;
  c.body = body;
  c.client_ip = request.client_ip;
  c.idempotency_key = challenge->nonce;
  c.body_hash = BodyHash(body);

  enum class Outcome {
    kStored,
    kReplay,
    kDuplicate,
    kBadParent,
    kExisting
  } outcome = Outcome::kStored;
  int64_t stored_id = 0;
  store::CommentStatus stored_status = store::CommentStatus::kPending;
  const Status st = store.RunInTransaction([&](store::Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(std::optional<store::Comment> existing,
                            txn.FindCommentByKey(c.idempotency_key));
    if (existing) {
      outcome = Outcome::kExisting;
      stored_id = existing->id;
      stored_status = existing->status;
      return Status::Ok();
    }
    BAOGAO_ASSIGN_OR_RETURN(bool fresh, txn.SpendCaptcha(challenge->nonce, expires));
    if (!fresh) {
      outcome = Outcome::kReplay;
      return Status::Ok();
    }
    const int64_t window = options.community.duplicate_window_seconds;
    if (window > 0) {
      BAOGAO_ASSIGN_OR_RETURN(bool dup, txn.HasCommentWithBodyHashSince(c.body_hash, now - window));
      if (dup) {
        outcome = Outcome::kDuplicate;
        return Status::Ok();  // the challenge stays spent
      }
    }
    // Word-list hits wait under every policy; then the policy decides.
    bool hold = std::find(flags.begin(), flags.end(), "words") != flags.end();
    switch (options.community.moderation) {
      case ModerationPolicy::kAll:
        hold = true;
        flags.push_back("all");
        break;
      case ModerationPolicy::kFirstTime: {
        BAOGAO_ASSIGN_OR_RETURN(int64_t before, txn.CountApprovedCommentsFromIp(c.client_ip));
        if (before == 0) {
          hold = true;
          flags.push_back("first");
        }
        break;
      }
      case ModerationPolicy::kLinks:
        hold = hold || links > 0;
        break;
      case ModerationPolicy::kNone:
        break;
    }
    c.status = hold ? store::CommentStatus::kPending : store::CommentStatus::kApproved;
    std::string joined;
    for (const std::string& f : flags) {
      if (!joined.empty()) joined += ',';
      joined += f;
    }
    c.flags = joined;
    if (parent != 0) {
      // Replies go under comments readers can see.
      auto p = txn.GetComment(parent);
      if (!p.ok() || p->status != store::CommentStatus::kApproved || p->report_id != rep.id ||
          p->parent_id != 0) {
        outcome = Outcome::kBadParent;
        return Status::InvalidArgument("bad parent");  // rolls back: the challenge is not spent
      }
    }
    auto id = txn.InsertComment(c);
    if (!id.ok() && id.status().code() == StatusCode::kInvalidArgument && parent != 0) {
      outcome = Outcome::kBadParent;
      return id.status();  // rolls back: the challenge is not spent
    }
    BAOGAO_ASSIGN_OR_RETURN(stored_id, std::move(id));
    stored_status = c.status;
    return Status::Ok();
  });
  if (outcome == Outcome::kBadParent) return refuse(400, "要回复的评论不存在或不能回复。");
  if (!st.ok()) {
    LOG(kError) << "comment: " << st.ToString();
    return refuse(503, "评论暂时无法保存，请稍后重试（您的内容没有丢失，可以直接再次提交）。");
  }
  switch (outcome) {
    case Outcome::kReplay:
      return refuse(400, "这个验证码已经用过，请输入新的验证码。");
    case Outcome::kDuplicate:
      return refuse(400, "相同内容的评论已经提交过了。");
    case Outcome::kStored:
    case Outcome::kExisting:
    case Outcome::kBadParent:
      break;
  }
  if (stored_status == store::CommentStatus::kApproved) {
    community_version.fetch_add(1);
    return SeeOther(report_path + "?posted=approved#comment-" + std::to_string(stored_id));
  }
  return SeeOther(report_path + "?posted=pending#comment-form");
}

// ---------------------------------------------------------------------------
// Takedown and correction requests

Response Site::Impl::TakedownForm(const Request& request, int status, const report::Report& rep,
                                  const std::string& message, const Form* sent) {
  Data data;
  const std::string path = "/takedown/" + std::to_string(rep.id.value());
  SetCommon(data, "纠错与删除请求：" + rep.title, path, "");
  data.set("noindex", true);
  data.set("report_title", CleanUtf8(rep.title));
  data.set("report_href", ReportPath(rep.type, rep.region, rep.id));
  if (!message.empty()) data.set("message", message);
  if (!options.contact_email.empty()) {
    data.set("contact_email", options.contact_email);
    data.set("mailto", "mailto:" + options.contact_email);
  }
  Response r;
  r.status = status;
  const std::string client = ClientId(request, &r);
  data.set("form_action", path);
  data.set("form_csrf", CsrfToken(*signer, client));
  data.set("form_token",
           IssueCaptchaToken(*signer, "t" + std::to_string(rep.id.value()), Now(), FastRandom()));
  data.set("refresh_href", path);
  std::string reason = "infringement";
  if (sent != nullptr) {
    data.set("form_contact", CleanInput(sent->Get("contact"), false));
    data.set("form_details", CleanInput(sent->Get("details"), true));
    reason = sent->Get("reason");
  }
  data.set("reason_infringement", reason == "infringement");
  data.set("reason_error", reason == "error");
  data.set("reason_other", reason == "other");
  r.body = Render("takedown_form", data);
  r.cache_control = "private, no-store";
  r.personal = true;
  return r;
}

Result<Response> Site::Impl::TakedownFormPage(const Request& request, report::ReportId id) {
  BAOGAO_ASSIGN_OR_RETURN(report::Report rep, store.Get(id));
  if (rep.hidden) return Status::NotFound("hidden");
  if (auto sent = request.Param("sent")) {
    Data data;
    SetCommon(data, "已收到您的请求", "/takedown/" + std::to_string(id.value()), "");
    data.set("noindex", true);
    data.set("heading", "已收到您的请求");
    data.set("message", "感谢您的反馈。我们会尽快核实处理，并通过您留下的联系方式答复。");
    Response r;
    r.body = Render("error", data);
    r.cache_control = "no-store";
    r.personal = true;
    return r;
  }
  return TakedownForm(request, 200, rep, "", nullptr);
}

Response Site::Impl::PostTakedown(PostContext& ctx) {
  const Request& request = ctx.request;
  const Form& form = ctx.form;
  const int64_t now = Now();
  if (ctx.rest.empty() || ctx.rest.size() > 18 ||
      !std::all_of(ctx.rest.begin(), ctx.rest.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return NotFound();
  }
  auto rep_or = store.Get(report::ReportId(std::stoll(std::string(ctx.rest))));
  if (!rep_or.ok() || rep_or->hidden) return NotFound();
  const report::Report& rep = *rep_or;
  auto refuse = [&](int status, const std::string& message) {
    return TakedownForm(request, status, rep, message, &form);
  };
  const std::string back = "/takedown/" + std::to_string(rep.id.value());
  auto challenge = ParseCaptchaToken(*signer, form.Get("token"));
  if (!challenge) return refuse(400, "验证码缺失或无效，请重新输入验证码。");
  if (auto existing = store.FindTakedownByKey(challenge->nonce); existing.ok() && *existing) {
    if ((*existing)->report_id != rep.id) {
      return refuse(400, "验证码与本页不符，请重新输入验证码。");
    }
    return SeeOther(back + "?sent=1");  // a resubmit of the stored request
  }
  if (challenge->form != "t" + std::to_string(rep.id.value())) {
    return refuse(400, "验证码与本页不符，请重新输入验证码。");
  }
  if (ChallengeExpired(*challenge, now)) {
    return refuse(400, "验证码已过期（有效期 10 分钟），请输入新的验证码。");
  }
  if (!takedown_limit->Allow("takedown:" + request.client_ip, static_cast<double>(now))) {
    return refuse(429, "提交过于频繁，请稍后再试。");
  }
  if (!form.Get("website").empty()) return refuse(400, "提交未通过检查。");
  auto reason = store::TakedownReasonFromSlug(form.Get("reason"));
  if (!reason.ok()) return refuse(400, "请选择请求类型（侵权、内容错误或其他）。");
  const std::string contact = CleanInput(form.Get("contact"), false);
  const std::string details = CleanInput(form.Get("details"), true);
  if (contact.empty()) return refuse(400, "请留下联系方式，便于我们答复。");
  if (CountChars(contact) > kMaxContactChars) return refuse(400, "联系方式过长：最多 200 字。");
  if (details.empty()) return refuse(400, "请说明问题。");
  if (CountChars(details) > kMaxDetailsChars) return refuse(400, "说明过长：最多 5000 字。");
  if (auto wrong = CheckAnswer(*challenge, form)) return refuse(400, *wrong);
  const int64_t expires = SpentUntil(*challenge);
  store::TakedownRequest t;
  t.report_id = rep.id;
  t.reason = *reason;
  t.contact = contact;
  t.details = details;
  t.client_ip = request.client_ip;
  t.idempotency_key = challenge->nonce;
  bool replay = false;
  const Status st = store.RunInTransaction([&](store::Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(bool fresh, txn.SpendCaptcha(challenge->nonce, expires));
    if (!fresh) {
      replay = true;
      return Status::Ok();
    }
    return txn.InsertTakedown(t).status();
  });
  if (!st.ok()) {
    LOG(kError) << "takedown: " << st.ToString();
    return refuse(503, "请求暂时无法保存，请稍后重试。");
  }
  if (replay) return refuse(400, "这个验证码已经用过，请输入新的验证码。");
  return SeeOther(back + "?sent=1");
}

// ---------------------------------------------------------------------------
// The recent-comments feed

Result<Response> Site::Impl::CommentsFeed() {
  store::CommentFilter f;
  f.visible_only = true;
  f.newest_first = true;
  f.limit = 50;
  std::vector<store::Comment> comments;
  std::map<int64_t, report::Report> reports;
  BAOGAO_RETURN_IF_ERROR(store.RunInReadTransaction([&](store::Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(comments, txn.ListComments(f));
    for (const store::Comment& c : comments) {
      if (reports.count(c.report_id.value()) != 0) continue;
      auto r = txn.Get(c.report_id);
      if (r.ok()) reports.emplace(c.report_id.value(), std::move(*r));
    }
    return Status::Ok();
  }));
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" "
      "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n";
  xml += "<title>" + XmlEscape(options.site_name + " · 最新评论") + "</title>\n";
  xml += "<link>" + XmlEscape(options.base_url + "/") + "</link>\n";
  xml += "<atom:link href=\"" + XmlEscape(options.base_url + "/comments.xml") +
         "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
  xml += "<description>" + XmlEscape("读者对各报告的最新评论") + "</description>\n";
  xml += "<language>zh-cn</language>\n";
  const int64_t last = comments.empty() ? 0 : comments.front().created_at;
  xml += "<lastBuildDate>" + Rfc822(last) + "</lastBuildDate>\n";
  for (const store::Comment& c : comments) {
    auto it = reports.find(c.report_id.value());
    if (it == reports.end() || it->second.hidden) continue;
    const report::Report& rep = it->second;
    const std::string link = options.base_url + ReportPath(rep.type, rep.region, rep.id) +
                             "#comment-" + std::to_string(c.id);
    xml += "<item>\n<title>" +
           XmlEscape(CleanUtf8(c.nickname) + " 评论《" + CleanUtf8(rep.title) + "》") +
           "</title>\n";
    xml += "<link>" + XmlEscape(link) + "</link>\n";
    xml += "<guid isPermaLink=\"true\">" + XmlEscape(link) + "</guid>\n";
    xml += "<pubDate>" + Rfc822(c.created_at) + "</pubDate>\n";
    // Readers render a description as HTML: give them the same inert HTML
    // the page shows (escaped text, <br>, nofollow http(s) links), escaped
    // once more for XML.
    xml += "<description>" + XmlEscape(CommentBodyHtml(CleanUtf8(c.body))) +
           "</description>\n</item>\n";
  }
  xml += "</channel>\n</rss>\n";
  Response r;
  r.content_type = "application/rss+xml; charset=utf-8";
  r.body = std::move(xml);
  r.last_modified = last;
  return r;
}

}  // namespace baogao::web
