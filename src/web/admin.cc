// The admin area (/admin, issue 6): sign-in with lockout, sessions in
// __Host- cookies, the moderation queue, report metadata, hiding and
// deleting reports, the takedown queue and the audit log. Every page is
// made for one session and never cached; every form carries a CSRF token
// bound to the session, checked by the route table in site.cc before any
// handler here runs. Every action writes its audit entry in the same
// transaction as the change.
#include <algorithm>

#include "base/log.h"
#include "base/sha256.h"
#include "web/internal/site_impl.h"
#include "web/password.h"

namespace baogao::web {
namespace {

constexpr int64_t kPageSize = 50;

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsLoopbackIp(std::string_view ip) {
  return ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127.");
}

std::string StatusLabel(store::CommentStatus s) {
  switch (s) {
    case store::CommentStatus::kPending:
      return "待审核";
    case store::CommentStatus::kApproved:
      return "已通过";
    case store::CommentStatus::kRejected:
      return "已拒绝";
    case store::CommentStatus::kSpam:
      return "垃圾评论";
    case store::CommentStatus::kDeleted:
      return "已删除";
  }
  return "";
}

std::string TakedownStatusLabel(store::TakedownStatus s) {
  switch (s) {
    case store::TakedownStatus::kOpen:
      return "待处理";
    case store::TakedownStatus::kHidden:
      return "已下架报告";
    case store::TakedownStatus::kCorrected:
      return "已更正";
    case store::TakedownStatus::kRejected:
      return "已驳回";
  }
  return "";
}

std::string ReasonLabel(store::TakedownReason r) {
  switch (r) {
    case store::TakedownReason::kInfringement:
      return "侵权";
    case store::TakedownReason::kError:
      return "内容错误";
    case store::TakedownReason::kOther:
      return "其他";
  }
  return "";
}

report::AdminLevel ToAdminLevel(region::Level l) {
  switch (l) {
    case region::Level::kNational:
      return report::AdminLevel::kNational;
    case region::Level::kProvince:
      return report::AdminLevel::kProvince;
    case region::Level::kPrefecture:
      return report::AdminLevel::kPrefecture;
    case region::Level::kCounty:
      return report::AdminLevel::kCounty;
  }
  return report::AdminLevel::kUnknown;
}

// Why a comment was held, in Chinese ("links,words" → "含链接、命中词表").
std::string FlagLabels(std::string_view flags) {
  std::string out;
  size_t start = 0;
  while (start < flags.size()) {
    size_t comma = flags.find(',', start);
    if (comma == std::string_view::npos) comma = flags.size();
    const std::string_view f = flags.substr(start, comma - start);
    std::string label = f == "links"   ? "含链接"
                        : f == "words" ? "命中词表"
                        : f == "first" ? "首次发言"
                        : f == "all"   ? "全部先审"
                                       : std::string(f);
    if (!out.empty()) out += "、";
    out += label;
    start = comma + 1;
  }
  return out;
}

int64_t PageOf(const Request& request) {
  auto p = request.Param("page");
  if (!p || !AllDigits(*p) || p->size() > 5) return 1;
  return std::max<int64_t>(1, std::stoll(*p));
}

}  // namespace

// ---------------------------------------------------------------------------
// Sessions

bool Site::Impl::AdminTransportOk(const Request& request) const {
  if (request.secure) return true;
  return options.community.admin_dev_mode && IsLoopbackIp(request.client_ip);
}

std::string Site::Impl::AdminCookieName(const Request& request) const {
  return request.secure ? "__Host-bg_admin" : "bg_admin";
}

std::optional<store::AdminSession> Site::Impl::AdminSessionOf(const Request& request) {
  if (!AdminTransportOk(request)) return std::nullopt;
  const auto cookies = ParseCookies(request.Header("cookie"));
  auto it = cookies.find(AdminCookieName(request));
  if (it == cookies.end() || it->second.size() != 64) return std::nullopt;
  auto session = store.GetSession(Sha256Hex(it->second));
  if (!session.ok()) {
    LOG(kError) << "admin: session lookup: " << session.status().ToString();
    return std::nullopt;
  }
  return *session;
}

Status Site::Impl::Audit(store::Transaction& txn, const Request& request, const std::string& actor,
                         const std::string& action, const std::string& target,
                         const std::string& detail) {
  store::AuditEntry e;
  e.actor = actor;
  e.client_ip = request.client_ip;
  e.action = action;
  e.target = target;
  e.detail = detail;
  return txn.AppendAudit(e).status();
}

// ---------------------------------------------------------------------------
// Pages

Response Site::Impl::AdminGet(const Request& request) {
  const std::string& path = request.path;
  if (path == "/admin") return Redirect("/admin/");
  Data data;
  SetCommon(data, "管理后台", path, "");
  data.set("noindex", true);
  Response r;
  r.cache_control = "no-store";
  r.personal = true;
  r.headers.emplace_back("X-Robots-Tag", "noindex, nofollow");
  if (!AdminTransportOk(request)) {
    data.set("view_https", true);
    r.status = 403;
    r.body = Render("admin", data);
    return r;
  }
  if (path == "/admin/login") {
    const std::string client = ClientId(request, &r);
    data.set("view_login", true);
    data.set("csrf", CsrfToken(*signer, client));
    r.body = Render("admin", data);
    return r;
  }
  std::optional<store::AdminSession> session = AdminSessionOf(request);
  if (!session) return SeeOther("/admin/login");
  data.set("signed_in", true);
  data.set("user", session->user);
  data.set("csrf", CsrfToken(*signer, session->csrf_secret));

  Status st = Status::Ok();
  if (path == "/admin/") {
    data.set("view_home", true);
    st = store.RunInReadTransaction([&](store::Transaction& txn) -> Status {
      store::CommentFilter f;
      f.status = store::CommentStatus::kPending;
      BAOGAO_ASSIGN_OR_RETURN(int64_t pending, txn.CountComments(f));
      BAOGAO_ASSIGN_OR_RETURN(int64_t open, txn.CountTakedowns(store::TakedownStatus::kOpen));
      data.set("pending_count", std::to_string(pending));
      data.set("open_count", std::to_string(open));
      return Status::Ok();
    });
  } else if (path == "/admin/comments") {
    store::CommentStatus status = store::CommentStatus::kPending;
    if (auto s = request.Param("status")) {
      auto parsed = store::CommentStatusFromSlug(*s);
      if (!parsed.ok()) return BadRequest("参数 status 无效");
      status = *parsed;
    }
    const int64_t page = PageOf(request);
    data.set("view_comments", true);
    data.set("status_slug", std::string(store::CommentStatusSlug(status)));
    data.set("status_label", StatusLabel(status));
    Data tabs{Data::type::list};
    for (auto s : {store::CommentStatus::kPending, store::CommentStatus::kApproved,
                   store::CommentStatus::kRejected, store::CommentStatus::kSpam,
                   store::CommentStatus::kDeleted}) {
      Data t;
      t.set("tab_href", "/admin/comments?status=" + std::string(store::CommentStatusSlug(s)));
      t.set("tab_label", StatusLabel(s));
      t.set("tab_current", s == status);
      tabs.push_back(t);
    }
    data.set("tabs", tabs);
    st = store.RunInReadTransaction([&](store::Transaction& txn) -> Status {
      store::CommentFilter f;
      f.status = status;
      f.newest_first = true;
      f.limit = kPageSize;
      f.offset = (page - 1) * kPageSize;
      BAOGAO_ASSIGN_OR_RETURN(int64_t total, txn.CountComments(f));
      BAOGAO_ASSIGN_OR_RETURN(std::vector<store::Comment> list, txn.ListComments(f));
      Data items{Data::type::list};
      for (const store::Comment& c : list) {
        Data d;
        d.set("id", std::to_string(c.id));
        d.set("nickname", CleanUtf8(c.nickname));
        d.set("comment_html", CommentBodyHtml(CleanUtf8(c.body)));
        d.set("time", BeijingTime(c.created_at));
        d.set("ip", CleanUtf8(c.client_ip));
        d.set("flags", CleanUtf8(FlagLabels(c.flags)));
        if (c.parent_id != 0) d.set("parent", std::to_string(c.parent_id));
        auto rep = txn.Get(c.report_id);
        if (rep.ok()) {
          d.set("report_title", CleanUtf8(rep->title));
          d.set("report_href", ReportPath(rep->type, rep->region, rep->id));
        }
        items.push_back(d);
      }
      data.set("items", items);
      data.set("has_items", !list.empty());
      data.set("total", std::to_string(total));
      data.set("pagination", Pagination(page, total,
                                        "/admin/comments?status=" +
                                            std::string(store::CommentStatusSlug(status))));
      return Status::Ok();
    });
  } else if (path.starts_with("/admin/reports/") && AllDigits(path.substr(15))) {
    const report::ReportId id(std::stoll(path.substr(15)));
    auto rep = store.Get(id);
    if (!rep.ok()) return NotFound();
    data.set("view_report", true);
    data.set("id", std::to_string(id.value()));
    data.set("report_title", CleanUtf8(rep->title));
    data.set("report_href", ReportPath(rep->type, rep->region, rep->id));
    data.set("region", rep->region ? std::to_string(rep->region->value()) : "");
    data.set("year", std::to_string(rep->year));
    Data types{Data::type::list};
    for (auto t : {report::ReportType::kGovernmentWork, report::ReportType::kStatistical,
                   report::ReportType::kPlan, report::ReportType::kOther}) {
      Data d;
      d.set("value", std::string(report::ReportTypeSlug(t)));
      d.set("label", std::string(report::ReportTypeName(t)));
      d.set("selected", t == rep->type);
      types.push_back(d);
    }
    data.set("types", types);
    Data comp{Data::type::list};
    for (auto [c, label] : {std::pair{report::Completeness::kFull, "全文"},
                            std::pair{report::Completeness::kPartial, "节选"},
                            std::pair{report::Completeness::kUnknown, "未核实"}}) {
      Data d;
      d.set("value", std::string(report::CompletenessSlug(c)));
      d.set("label", std::string(label));
      d.set("selected", c == rep->completeness);
      comp.push_back(d);
    }
    data.set("completeness", comp);
    data.set("original", rep->original);
    data.set("hidden", rep->hidden);
  } else if (path == "/admin/takedowns") {
    std::optional<store::TakedownStatus> status = store::TakedownStatus::kOpen;
    if (auto s = request.Param("status")) {
      if (*s == "all") {
        status.reset();
      } else {
        auto parsed = store::TakedownStatusFromSlug(*s);
        if (!parsed.ok()) return BadRequest("参数 status 无效");
        status = *parsed;
      }
    }
    const int64_t page = PageOf(request);
    data.set("view_takedowns", true);
    st = store.RunInReadTransaction([&](store::Transaction& txn) -> Status {
      BAOGAO_ASSIGN_OR_RETURN(int64_t total, txn.CountTakedowns(status));
      BAOGAO_ASSIGN_OR_RETURN(auto list,
                              txn.ListTakedowns(status, kPageSize, (page - 1) * kPageSize));
      Data items{Data::type::list};
      for (const store::TakedownRequest& t : list) {
        Data d;
        d.set("id", std::to_string(t.id));
        d.set("reason", ReasonLabel(t.reason));
        d.set("status", TakedownStatusLabel(t.status));
        d.set("time", BeijingTime(t.created_at));
        d.set("report_id", std::to_string(t.report_id.value()));
        items.push_back(d);
      }
      data.set("items", items);
      data.set("has_items", !list.empty());
      data.set("pagination",
               Pagination(page, total,
                          "/admin/takedowns?status=" +
                              (status ? std::string(store::TakedownStatusSlug(*status))
                                      : std::string("all"))));
      return Status::Ok();
    });
  } else if (path.starts_with("/admin/takedowns/") && AllDigits(path.substr(17))) {
    const int64_t id = std::stoll(path.substr(17));
    auto t = store.GetTakedown(id);
    if (!t.ok()) return NotFound();
    data.set("view_takedown", true);
    data.set("id", std::to_string(id));
    data.set("reason", ReasonLabel(t->reason));
    data.set("status", TakedownStatusLabel(t->status));
    data.set("contact", CleanUtf8(t->contact));
    data.set("details_html", CommentBodyHtml(CleanUtf8(t->details)));
    data.set("ip", CleanUtf8(t->client_ip));
    data.set("time", BeijingTime(t->created_at));
    data.set("report_id", std::to_string(t->report_id.value()));
    auto rep = store.Get(t->report_id);
    if (rep.ok()) {
      data.set("report_title", CleanUtf8(rep->title));
      data.set("report_href", ReportPath(rep->type, rep->region, rep->id));
    }
    auto events = store.TakedownEvents(id);
    Data ev{Data::type::list};
    if (events.ok()) {
      for (const store::TakedownEvent& e : *events) {
        Data d;
        d.set("time", BeijingTime(e.time));
        d.set("actor", e.actor.empty() ? "提交人" : CleanUtf8(e.actor));
        d.set("action", CleanUtf8(e.action));
        d.set("note", CleanUtf8(e.note));
        ev.push_back(d);
      }
    }
    data.set("events", ev);
  } else if (path == "/admin/audit") {
    const int64_t page = PageOf(request);
    data.set("view_audit", true);
    st = store.RunInReadTransaction([&](store::Transaction& txn) -> Status {
      BAOGAO_ASSIGN_OR_RETURN(int64_t total, txn.CountAudit());
      BAOGAO_ASSIGN_OR_RETURN(auto list, txn.ListAudit(kPageSize, (page - 1) * kPageSize));
      Data items{Data::type::list};
      for (const store::AuditEntry& e : list) {
        Data d;
        d.set("time", BeijingTime(e.time));
        d.set("actor", CleanUtf8(e.actor));
        d.set("ip", CleanUtf8(e.client_ip));
        d.set("action", CleanUtf8(e.action));
        d.set("target", CleanUtf8(e.target));
        d.set("detail", CleanUtf8(e.detail));
        items.push_back(d);
      }
      data.set("items", items);
      data.set("pagination", Pagination(page, total, "/admin/audit"));
      return Status::Ok();
    });
  } else {
    return NotFound();
  }
  if (!st.ok()) {
    LOG(kError) << "admin: " << path << ": " << st.ToString();
    return ErrorPage(500, "服务器内部错误", "页面暂时无法显示，请稍后再试。");
  }
  r.body = Render("admin", data);
  return r;
}

// ---------------------------------------------------------------------------
// Sign-in and out

Response Site::Impl::PostLogin(PostContext& ctx) {
  const Request& request = ctx.request;
  if (!AdminTransportOk(request)) return Forbidden("管理后台只能通过 HTTPS 访问。");
  const int64_t now = Now();
  const std::string user = ctx.form.Get("user");
  const std::string password = ctx.form.Get("password");
  auto fail_page = [&](int status, const std::string& message) {
    Data data;
    SetCommon(data, "管理后台", "/admin/login", "");
    data.set("noindex", true);
    data.set("view_login", true);
    data.set("message", message);
    Response r;
    r.status = status;
    r.cache_control = "no-store";
    r.personal = true;
    data.set("csrf", CsrfToken(*signer, ClientId(request, &r)));
    r.body = Render("admin", data);
    return r;
  };
  const std::string generic = "用户名或密码错误，或尝试次数过多（请稍后再试）。";
  if (!login_limit->Allow("login:" + request.client_ip, static_cast<double>(now))) {
    return fail_page(429, "登录尝试过于频繁，请稍后再试。");
  }
  if (user.empty() || user.size() > 64 || password.empty() || password.size() > 1024) {
    return fail_page(400, "请输入用户名和密码。");
  }
  // Lockout: by user and client, by user, by client. The client is the
  // peer address (X-Forwarded-For only from configured proxies), so a
  // forged header changes nothing.
  const int64_t since = now - options.community.login_window_seconds;
  const std::string user_key = "user:" + user;
  const std::string ip_key = "ip:" + request.client_ip;
  const std::string pair_key = "pair:" + user + "|" + request.client_ip;
  bool locked = false;
  Status st = store.RunInReadTransaction([&](store::Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(int64_t pair, txn.CountLoginFailures(pair_key, since));
    BAOGAO_ASSIGN_OR_RETURN(int64_t by_user, txn.CountLoginFailures(user_key, since));
    BAOGAO_ASSIGN_OR_RETURN(int64_t by_ip, txn.CountLoginFailures(ip_key, since));
    locked = pair >= options.community.login_pair_max_failures ||
             by_user >= options.community.login_user_max_failures ||
             by_ip >= options.community.login_ip_max_failures;
    return Status::Ok();
  });
  if (!st.ok()) {
    LOG(kError) << "admin: login: " << st.ToString();
    return fail_page(503, "暂时无法登录，请稍后再试。");
  }
  if (locked) {
    BurnPasswordTime();
    (void)store.RunInTransaction([&](store::Transaction& txn) -> Status {
      return Audit(txn, request, user, "login.locked", "user:" + user, "");
    });
    return fail_page(429, generic);
  }
  auto account = store.GetAdminUser(user);
  bool ok = false;
  if (account.ok()) {
    auto v = VerifyPassword(password, account->password_hash);
    ok = v.ok() && *v;
    if (!v.ok()) {
      LOG(kError) << "admin: stored hash of " << user << ": " << v.status().ToString();
    }
  } else {
    BurnPasswordTime();  // the same time whether or not the account exists
  }
  if (!ok) {
    (void)store.RunInTransaction([&](store::Transaction& txn) -> Status {
      BAOGAO_RETURN_IF_ERROR(txn.RecordLoginFailure(pair_key));
      BAOGAO_RETURN_IF_ERROR(txn.RecordLoginFailure(user_key));
      BAOGAO_RETURN_IF_ERROR(txn.RecordLoginFailure(ip_key));
      return Audit(txn, request, user, "login.fail", "user:" + user, "");
    });
    return fail_page(403, generic);
  }
  // A new session: the token goes to the cookie, only its hash to the store.
  const std::string token = RandomHex(SystemRandom(), 32);
  store::AdminSession session;
  session.token_hash = Sha256Hex(token);
  session.user = user;
  session.csrf_secret = RandomHex(SystemRandom(), 32);
  session.expires_at = now + options.community.session_seconds;
  std::optional<std::string> rehash;
  if (NeedsRehash(account->password_hash)) {
    auto h = HashPassword(password, SystemRandom());
    if (h.ok()) rehash = *h;
  }
  st = store.RunInTransaction([&](store::Transaction& txn) -> Status {
    BAOGAO_RETURN_IF_ERROR(txn.ClearLoginFailures(pair_key));
    BAOGAO_RETURN_IF_ERROR(txn.CreateSession(session));
    if (rehash) BAOGAO_RETURN_IF_ERROR(txn.SetAdminPassword(user, *rehash));
    return Audit(txn, request, user, "login", "user:" + user, "");
  });
  if (!st.ok()) {
    LOG(kError) << "admin: login: " << st.ToString();
    return fail_page(503, "暂时无法登录，请稍后再试。");
  }
  Response r = SeeOther("/admin/");
  CookieOptions co;
  co.secure = request.secure;
  co.max_age = options.community.session_seconds;
  r.headers.emplace_back("Set-Cookie", SetCookieValue(AdminCookieName(request), token, co));
  return r;
}

Response Site::Impl::PostLogout(PostContext& ctx) {
  const Status st = store.RunInTransaction([&](store::Transaction& txn) -> Status {
    BAOGAO_RETURN_IF_ERROR(txn.DeleteSession(ctx.session->token_hash));
    return Audit(txn, ctx.request, ctx.session->user, "logout", "user:" + ctx.session->user, "");
  });
  if (!st.ok()) {
    LOG(kError) << "admin: logout: " << st.ToString();
  }
  Response r = SeeOther("/admin/login");
  CookieOptions co;
  co.secure = ctx.request.secure;
  co.max_age = 0;
  r.headers.emplace_back("Set-Cookie", SetCookieValue(AdminCookieName(ctx.request), "", co));
  return r;
}

// ---------------------------------------------------------------------------
// Moderation

Response Site::Impl::PostModerate(PostContext& ctx) {
  const std::string action = ctx.form.Get("action");
  store::CommentStatus to;
  if (action == "approve") {
    to = store::CommentStatus::kApproved;
  } else if (action == "reject") {
    to = store::CommentStatus::kRejected;
  } else if (action == "spam") {
    to = store::CommentStatus::kSpam;
  } else if (action == "delete") {
    to = store::CommentStatus::kDeleted;
  } else {
    return BadRequest("请选择操作：通过、拒绝、垃圾评论或删除。");
  }
  std::vector<int64_t> ids;
  for (const std::string& v : ctx.form.GetAll("id")) {
    if (!AllDigits(v)) return BadRequest("评论编号无效。");
    ids.push_back(std::stoll(v));
  }
  if (ids.empty()) return BadRequest("请至少选择一条评论。");
  if (ids.size() > 500) return BadRequest("一次最多处理 500 条评论。");
  const Status st = store.RunInTransaction([&](store::Transaction& txn) -> Status {
    for (int64_t id : ids) {
      BAOGAO_ASSIGN_OR_RETURN(store::Comment before, txn.GetComment(id));
      BAOGAO_RETURN_IF_ERROR(txn.SetCommentStatus(id, to));
      BAOGAO_RETURN_IF_ERROR(Audit(txn, ctx.request, ctx.session->user, "comment." + action,
                                   "comment:" + std::to_string(id),
                                   std::string(store::CommentStatusSlug(before.status)) + " → " +
                                       std::string(store::CommentStatusSlug(to))));
    }
    return Status::Ok();
  });
  if (!st.ok()) {
    if (st.code() == StatusCode::kNotFound) return BadRequest("所选评论不存在。");
    LOG(kError) << "admin: moderate: " << st.ToString();
    return ErrorPage(500, "服务器内部错误", "操作未完成，请稍后再试。");
  }
  community_version.fetch_add(1);
  std::string back = "/admin/comments";
  const std::string from = ctx.form.Get("from");
  if (store::CommentStatusFromSlug(from).ok()) back += "?status=" + from;
  return SeeOther(back);
}

// ---------------------------------------------------------------------------
// Reports

Response Site::Impl::PostReportEdit(PostContext& ctx) {
  // rest: "7236" (save the metadata) or "7236/delete".
  std::string_view rest = ctx.rest;
  bool del = false;
  if (rest.ends_with("/delete")) {
    del = true;
    rest.remove_suffix(7);
  }
  if (!AllDigits(rest)) return NotFound();
  const report::ReportId id(std::stoll(std::string(rest)));
  const std::string actor = ctx.session->user;
  if (del) {
    if (ctx.form.Get("confirm") != "yes") return BadRequest("删除前请勾选确认。");
    const Status st = store.RunInTransaction([&](store::Transaction& txn) -> Status {
      BAOGAO_ASSIGN_OR_RETURN(report::Report rep, txn.Get(id));
      BAOGAO_RETURN_IF_ERROR(txn.Delete(id));
      return Audit(txn, ctx.request, actor, "report.delete", "report:" + std::to_string(id.value()),
                   rep.title);
    });
    if (!st.ok()) {
      if (st.code() == StatusCode::kNotFound) return NotFound();
      LOG(kError) << "admin: delete: " << st.ToString();
      return ErrorPage(500, "服务器内部错误", "操作未完成，请稍后再试。");
    }
    community_version.fetch_add(1);
    return SeeOther("/admin/");
  }
  // The metadata form.
  auto type = report::ReportTypeFromSlug(ctx.form.Get("type"));
  if (!type.ok()) return BadRequest("类型无效。");
  auto completeness = report::CompletenessFromSlug(ctx.form.Get("completeness"));
  if (!completeness.ok()) return BadRequest("完整性无效。");
  const std::string year_text = ctx.form.Get("year");
  if (!AllDigits(year_text) || year_text.size() != 4) return BadRequest("年份须为四位数字。");
  const int year = std::stoi(year_text);
  if (year < 1900 || year > 2100) return BadRequest("年份须在 1900 到 2100 之间。");
  std::optional<report::RegionCode> region;
  report::AdminLevel level = report::AdminLevel::kUnknown;
  if (const std::string code = ctx.form.Get("region"); !code.empty()) {
    auto parsed = region::RegionCode::Parse(code);
    const region::Region* found = parsed ? regions->Find(*parsed) : nullptr;
    if (found == nullptr) return BadRequest("地区代码“" + CleanUtf8(code) + "”不在地区表中。");
    auto rc = report::RegionCode::FromInt(parsed->IsNational() ? report::RegionCode::kNational
                                                               : parsed->value());
    if (!rc.ok()) return BadRequest("地区代码无效。");
    region = *rc;
    level = ToAdminLevel(found->level);
  }
  const bool original = ctx.form.Get("original") == "1";
  const bool hidden = ctx.form.Get("hidden") == "1";
  const Status st = store.RunInTransaction([&](store::Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(report::Report rep, txn.Get(id));
    std::string detail;
    auto change = [&](const std::string& field, const std::string& from, const std::string& to) {
      if (from == to) return;
      if (!detail.empty()) detail += "; ";
      detail += field + ": " + from + " → " + to;
    };
    change("type", std::string(report::ReportTypeSlug(rep.type)),
           std::string(report::ReportTypeSlug(*type)));
    change("region", rep.region ? std::to_string(rep.region->value()) : "",
           region ? std::to_string(region->value()) : "");
    change("year", std::to_string(rep.year), std::to_string(year));
    change("completeness", std::string(report::CompletenessSlug(rep.completeness)),
           std::string(report::CompletenessSlug(*completeness)));
    change("original", rep.original ? "1" : "0", original ? "1" : "0");
    change("hidden", rep.hidden ? "1" : "0", hidden ? "1" : "0");
    if (detail.empty()) return Status::Ok();
    if (rep.region != region) rep.level = level;
    rep.type = *type;
    rep.region = region;
    rep.year = year;
    rep.completeness = *completeness;
    rep.original = original;
    rep.hidden = hidden;
    BAOGAO_RETURN_IF_ERROR(txn.Update(rep));
    return Audit(txn, ctx.request, actor, "report.edit", "report:" + std::to_string(id.value()),
                 detail);
  });
  if (!st.ok()) {
    if (st.code() == StatusCode::kNotFound) return NotFound();
    if (st.code() == StatusCode::kInvalidArgument) return BadRequest(st.message());
    LOG(kError) << "admin: edit: " << st.ToString();
    return ErrorPage(500, "服务器内部错误", "操作未完成，请稍后再试。");
  }
  community_version.fetch_add(1);
  return SeeOther("/admin/reports/" + std::to_string(id.value()));
}

// ---------------------------------------------------------------------------
// Takedown requests

Response Site::Impl::PostTakedownResolve(PostContext& ctx) {
  if (!AllDigits(ctx.rest)) return NotFound();
  const int64_t id = std::stoll(std::string(ctx.rest));
  const std::string action = ctx.form.Get("action");
  const std::string note = ctx.form.Get("note");
  if (note.size() > 10000) return BadRequest("备注过长。");
  std::optional<store::TakedownStatus> to;
  if (action == "hide") {
    to = store::TakedownStatus::kHidden;
  } else if (action == "correct") {
    to = store::TakedownStatus::kCorrected;
  } else if (action == "reject") {
    to = store::TakedownStatus::kRejected;
  } else if (action == "reopen") {
    to = store::TakedownStatus::kOpen;
  } else if (action != "note") {
    return BadRequest("请选择处理方式：下架报告、已更正、驳回或仅备注。");
  }
  if (action == "note" && note.empty()) return BadRequest("备注不能为空。");
  const std::string actor = ctx.session->user;
  const Status st = store.RunInTransaction([&](store::Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(store::TakedownRequest t, txn.GetTakedown(id));
    if (action == "hide") {
      auto rep = txn.Get(t.report_id);
      if (rep.ok() && !rep->hidden) {
        rep->hidden = true;
        BAOGAO_RETURN_IF_ERROR(txn.Update(*rep));
        BAOGAO_RETURN_IF_ERROR(Audit(txn, ctx.request, actor, "report.hide",
                                     "report:" + std::to_string(t.report_id.value()),
                                     "takedown:" + std::to_string(id)));
      } else if (!rep.ok() && rep.status().code() != StatusCode::kNotFound) {
        return rep.status();
      }
    }
    BAOGAO_RETURN_IF_ERROR(txn.UpdateTakedown(id, to.value_or(t.status), actor, note));
    return Audit(txn, ctx.request, actor, "takedown." + action, "takedown:" + std::to_string(id),
                 note);
  });
  if (!st.ok()) {
    if (st.code() == StatusCode::kNotFound) return NotFound();
    LOG(kError) << "admin: takedown: " << st.ToString();
    return ErrorPage(500, "服务器内部错误", "操作未完成，请稍后再试。");
  }
  community_version.fetch_add(1);
  return SeeOther("/admin/takedowns/" + std::to_string(id));
}

}  // namespace baogao::web
