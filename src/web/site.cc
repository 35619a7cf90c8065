// The Site: routing (one explicit table in Dispatch), parameter validation,
// the rendered-response cache, the searcher pool, view counting and the
// fingerprinted static files. Pages are in pages.cc, feeds in feeds.cc.
#include "web/site.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/log.h"
#include "base/sha256.h"
#include "text/text.h"
#include "web/internal/site_impl.h"

#ifndef BAOGAO_WEB_SOURCE_ASSETS
#define BAOGAO_WEB_SOURCE_ASSETS ""
#endif

namespace baogao::web {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError(path.string() + ": read failed");
  return ss.str();
}

std::string DefaultAssetsDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = exe.parent_path().parent_path() / "share" / "baogao" / "web";
    if (fs::exists(beside / "templates", ec)) return beside.string();
  }
  return BAOGAO_WEB_SOURCE_ASSETS;
}

std::string ContentTypeFor(const std::string& ext) {
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

// A strong validator: the first 128 bits of the body's SHA-256.

// Only ASCII digits, no sign, no leading '+', at most `max_digits`.
std::optional<int64_t> ParseDigits(std::string_view s, size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;  // "/a/b/" → {"a", "b", ""}
}

// What a request's parameters mean, or the 400 message.
struct ParamCheck {
  PageParams params;
  std::string error;
};

ParamCheck CheckParams(const Request& request, bool search, int64_t max_page) {
  ParamCheck out;
  std::map<std::string, bool> seen;
  for (const auto& [name, value] : request.query) {
    const bool any_page = name == "page" || name == "cpage" || name == "reply" ||
                          name == "posted" || name == "captcha";
    if (!any_page && (!search || (name != "q" && name != "sort"))) continue;
    if (seen[name]) {
      out.error = "参数“" + name + "”重复出现";
      return out;
    }
    seen[name] = true;
    if (name == "page") {
      auto page = ParseDigits(value, 5);
      if (!page || *page < 1 || *page > max_page) {
        out.error = "页码无效：page 须为 1 到 " + std::to_string(max_page) + " 之间的整数";
        return out;
      }
      out.params.page = *page;
    } else if (name == "cpage") {
      auto page = ParseDigits(value, 5);
      if (!page || *page < 1 || *page > 10000) {
        out.error = "评论页码无效：cpage 须为 1 到 10000 之间的整数";
        return out;
      }
      out.params.cpage = *page;
    } else if (name == "reply") {
      auto id = ParseDigits(value, 18);
      if (!id || *id < 1) {
        out.error = "参数 reply 须为评论编号（正整数）";
        return out;
      }
    } else if (name == "posted") {
      if (value != "pending" && value != "approved") {
        out.error = "参数 posted 只能是 pending 或 approved";
        return out;
      }
    } else if (name == "captcha") {
      if (value != "new") {
        out.error = "参数 captcha 只能是 new";
        return out;
      }
    } else if (name == "sort") {
      if (value != "relevance" && value != "newest") {
        out.error = "排序方式无效：sort 只能是 relevance（相关度）或 newest（最新）";
        return out;
      }
      out.params.sort_newest = value == "newest";
      out.params.sort_given = true;
    } else if (name == "q") {
      if (value.size() > search::kMaxQueryBytes) {
        out.error = "查询过长：最多 2000 字节（当前 " + std::to_string(value.size()) + " 字节）";
        return out;
      }
      if (!text::IsValidUtf8(value)) {
        out.error = "查询不是有效的 UTF-8 文本";
        return out;
      }
      out.params.q = value;
    }
  }
  return out;
}

std::string CacheKey(std::string_view path, const PageParams& p) {
  std::string key(path);
  key += "?page=" + std::to_string(p.page);
  if (p.cpage != 1) key += "&cpage=" + std::to_string(p.cpage);
  if (p.sort_given) key += p.sort_newest ? "&sort=newest" : "&sort=relevance";
  key += "&q=";
  key += p.q;
  return key;
}

}  // namespace

// ---------------------------------------------------------------------------
// Creation and assets

Status Site::Impl::LoadAssets() {
  if (options.assets_dir.empty()) options.assets_dir = DefaultAssetsDir();
  const fs::path dir(options.assets_dir);
  std::error_code ec;
  if (!fs::is_directory(dir / "templates", ec)) {
    return Status::NotFound(options.assets_dir + ": no templates/ directory");
  }
  for (const auto& entry : fs::directory_iterator(dir / "templates", ec)) {
    const fs::path& p = entry.path();
    if (p.extension() != ".mustache") continue;
    BAOGAO_ASSIGN_OR_RETURN(std::string text, ReadFile(p));
    kainjow::mustache::mustache parsed(text);
    if (!parsed.is_valid()) {
      return Status::InvalidArgument(p.string() + ": " + parsed.error_message());
    }
    templates[p.stem().string()] = std::move(text);
  }
  if (ec) return Status::IoError(options.assets_dir + "/templates: " + ec.message());
  for (const char* name :
       {"layout", "home", "listing", "region", "report", "search", "error", "takedown",
        "_report_list", "_pagination", "_comment_form", "comment_form", "takedown_form", "admin"}) {
    if (templates.count(name) == 0) {
      return Status::NotFound(options.assets_dir + "/templates/" + name + ".mustache missing");
    }
  }
  for (const auto& entry : fs::directory_iterator(dir / "static", ec)) {
    const fs::path& p = entry.path();
    if (!entry.is_regular_file()) continue;
    BAOGAO_ASSIGN_OR_RETURN(std::string body, ReadFile(p));
    const std::string hash = Sha256Hex(body).substr(0, 8);
    const std::string url = "/static/" + p.stem().string() + "." + hash + p.extension().string();
    if (p.filename() == "site.css") css_url = url;
    if (p.filename() == "favicon.svg") icon_url = url;
    std::string etag = BodyEtag(body);
    static_files[url] = StaticFile{std::make_shared<const std::string>(std::move(body)),
                                   ContentTypeFor(p.extension().string()), std::move(etag)};
  }
  if (ec) return Status::IoError(options.assets_dir + "/static: " + ec.message());
  if (css_url.empty()) return Status::NotFound(options.assets_dir + "/static/site.css missing");
  return Status::Ok();
}

int64_t Site::Impl::Now() const {
  if (options.now) return options.now();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Site::Site(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Site::~Site() {
  {
    std::lock_guard lock(impl_->flusher_mu);
    impl_->flusher_stop = true;
  }
  impl_->flusher_cv.notify_all();
  if (impl_->flusher.joinable()) impl_->flusher.join();
  const Status st = FlushViews();
  if (!st.ok()) {
    LOG(kError) << "site: view counts lost at shutdown: " << st.ToString();
  }
}

Result<std::unique_ptr<Site>> Site::Create(const SiteOptions& options, store::Store& store,
                                           search::SearcherOptions searcher_options,
                                           std::shared_ptr<const region::RegionTable> regions,
                                           std::function<int64_t()> data_version) {
  if (options.page_size < 1 || options.page_size > 100) {
    return Status::InvalidArgument("site: page_size must be 1..100");
  }
  if (options.cache_entries < 0) return Status::InvalidArgument("site: cache_entries < 0");
  if (!StartsWith(options.base_url, "http://") && !StartsWith(options.base_url, "https://")) {
    return Status::InvalidArgument("site: base_url must start with http:// or https://");
  }
  if (searcher_options.regions == nullptr) searcher_options.regions = regions;
  if (!data_version) data_version = [] { return int64_t{0}; };
  auto impl = std::make_unique<Impl>(options, store, std::move(searcher_options),
                                     std::move(regions), std::move(data_version));
  while (!impl->options.base_url.empty() && impl->options.base_url.back() == '/') {
    impl->options.base_url.pop_back();
  }
  if (impl->options.notice.empty()) {
    impl->options.notice =
        "本站收录的报告、公报、规划等文件来自各级政府公开发布的信息，版权归原发布机关所有；"
        "标注为本站原创的整理稿，转载请注明出处。本站所收文本不保证均为完整版本，"
        "引用与研究请以相关政府官网发布的正式文本为准。如认为本站内容侵犯了您的权益或存在错误，"
        "请与我们联系，我们会尽快核实处理。";
  }
  BAOGAO_RETURN_IF_ERROR(impl->LoadAssets());
  BAOGAO_RETURN_IF_ERROR(impl->InitCommunity());
  // Open one searcher now, so a missing index fails at startup.
  BAOGAO_ASSIGN_OR_RETURN(auto searcher, search::Searcher::Open(impl->searcher_options));
  impl->pool.push_back({std::move(searcher), -1});
  impl->last_flush = impl->Now();
  Impl* raw = impl.get();
  std::unique_ptr<Site> site(new Site(std::move(impl)));
  raw->flusher = std::thread([raw] { raw->FlusherLoop(); });
  return site;
}

// ---------------------------------------------------------------------------
// Requests

Response Site::Handle(const Request& request) {
  Response response;
  try {
    response = impl_->Dispatch(request);
  } catch (const std::exception& e) {
    LOG(kError) << "site: " << request.method << " " << request.path << ": " << e.what();
    response = impl_->ErrorPage(500, "服务器内部错误", "抱歉，页面暂时无法显示，请稍后再试。");
  }
  return response;
}

std::optional<Response> Site::HandleFromMemory(const Request& request) {
  try {
    return impl_->FromMemory(request, /*share_body=*/true);
  } catch (const std::exception& e) {
    LOG(kError) << "site: " << request.method << " " << request.path << ": " << e.what();
    return std::nullopt;
  }
}

Status Site::FlushViews() { return impl_->Flush(); }

Site::Stats Site::stats() const {
  return {impl_->renders.load(std::memory_order_relaxed),
          impl_->joined_flights.load(std::memory_order_relaxed)};
}

std::optional<Response> Site::Impl::FromMemory(const Request& request, bool share_body) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const Version version = CurrentVersion();
  const std::string& path = request.path;
  if (path.empty() || path[0] != '/') return std::nullopt;
  if (StartsWith(path, "/static/")) {
    auto it = static_files.find(path);
    if (it == static_files.end()) return std::nullopt;
    Response r;
    if (share_body) {
      r.shared_body = it->second.body;
    } else {
      r.body = *it->second.body;
    }
    r.content_type = it->second.content_type;
    r.cache_control = "public, max-age=31536000, immutable";
    r.etag = it->second.etag;
    return r;
  }
  if (options.cache_entries <= 0) return std::nullopt;
  ParamCheck check = CheckParams(request, path == "/search", MaxPage(options.page_size));
  if (!check.error.empty()) return std::nullopt;
  std::optional<report::ReportId> report_id;
  const std::vector<std::string_view> parts = SplitPath(path);
  if (parts.size() == 3 && EndsWith(parts[2], ".html")) {
    auto id = ParseDigits(parts[2].substr(0, parts[2].size() - 5), 18);
    if (!id || *id <= 0) return std::nullopt;
    report_id = report::ReportId(*id);
  }
  std::shared_ptr<const CachedPage> cached = CacheGet(CacheKey(path, check.params), version);
  if (!cached) return std::nullopt;
  // The report page counts a view whether or not it comes from the cache.
  if (report_id && request.method == "GET" && cached->response.status == 200) CountView(*report_id);
  return FromCached(request, cached, share_body);
}

Response Site::Impl::FromCached(const Request& request,
                                const std::shared_ptr<const CachedPage>& cached, bool share_body) {
  // Everything but the body is copied; the body is personalised, shared or
  // copied.
  const Response& c = cached->response;
  Response r;
  r.status = c.status;
  r.content_type = c.content_type;
  r.headers = c.headers;
  r.etag = c.etag;
  r.last_modified = c.last_modified;
  r.cache_control = c.cache_control;
  r.personal = c.personal;
  if (c.personal) {
    Personalize(request, c.body, cached->report_id, cached->gzip ? &*cached->gzip : nullptr, &r);
  } else if (share_body) {
    r.shared_body = std::shared_ptr<const std::string>(cached, &c.body);
  } else {
    r.body = c.body;
  }
  return r;
}

Response Site::Impl::Dispatch(const Request& request) {
  if (request.method == "POST") return DispatchPost(request);
  if (request.method != "GET" && request.method != "HEAD") {
    Response r =
        ErrorPage(405, "不支持的请求方法", "本站页面只支持 GET、HEAD 和表单提交（POST）。");
    r.headers.emplace_back("Allow", "GET, HEAD, POST");
    return r;
  }
  // Cached pages and static files (only the fingerprinted names built at
  // startup); this also drops the cache when the data changed.
  if (auto r = FromMemory(request, /*share_body=*/true)) return *r;
  const Version version = CurrentVersion();
  const std::string& path = request.path;
  if (path.empty() || path[0] != '/') return NotFound();
  if (StartsWith(path, "/static/")) return NotFound();
  if (path == "/robots.txt") return Robots();
  // Pages made for one visitor: never cached.
  if (path == "/admin" || StartsWith(path, "/admin/")) return AdminGet(request);
  if (StartsWith(path, "/captcha/") && EndsWith(path, ".png")) {
    return CaptchaImage(request, std::string_view(path).substr(9, path.size() - 13));
  }

  const bool is_search = path == "/search";
  ParamCheck check = CheckParams(request, is_search, MaxPage(options.page_size));
  if (!check.error.empty()) return BadRequest(check.error);
  const PageParams& params = check.params;

  // The report page counts a view whether or not it comes from the cache.
  std::optional<report::ReportId> report_id;
  const std::vector<std::string_view> parts = SplitPath(path);
  if (parts.size() == 3 && EndsWith(parts[2], ".html")) {
    auto id = ParseDigits(parts[2].substr(0, parts[2].size() - 5), 18);
    if (!id || *id <= 0) return NotFound();
    report_id = report::ReportId(*id);
  }

  const std::string key = CacheKey(path, params);

  // One render per key at a time: join a render of this page in progress.
  struct FlightEnd {
    Impl* impl;
    const std::string& key;
    std::shared_ptr<Flight> flight;
    std::shared_ptr<const CachedPage> entry;
    Version version;
    ~FlightEnd() {
      if (flight) impl->EndFlight(key, flight, std::move(entry), version);
    }
  } flight_end{this, key, nullptr, nullptr, version};
  if (options.cache_entries > 0) {
    bool leader = false;
    std::shared_ptr<Flight> flight = JoinFlight(key, &leader);
    if (leader) {
      flight_end.flight = std::move(flight);
      // A render that ended between our cache check and JoinFlight.
      if (std::shared_ptr<const CachedPage> cached = CacheGet(key, version)) {
        if (report_id && request.method == "GET" && cached->response.status == 200)
          CountView(*report_id);
        flight_end.entry = cached;
        return FromCached(request, cached, /*share_body=*/true);
      }
    } else {
      joined_flights.fetch_add(1, std::memory_order_relaxed);
      std::shared_ptr<const CachedPage> entry;
      {
        std::unique_lock lock(flight->mu);
        flight->cv.wait(lock, [&] { return flight->done; });
        if (flight->version == version) entry = flight->entry;
      }
      // Nothing cacheable came out (a redirect, an error), or it was made
      // from other data: render it here.
      if (entry) {
        if (report_id && request.method == "GET") CountView(*report_id);
        return FromCached(request, entry, /*share_body=*/true);
      }
    }
  }

  // The route table.
  renders.fetch_add(1, std::memory_order_relaxed);
  Result<Response> result = Status::NotFound("");
  bool matched = true;
  if (path == "/") {
    result = HomePage();
  } else if (is_search) {
    result = SearchPage(params);
  } else if (path == "/rss.xml" || path == "/atom.xml") {
    result = Feed(path == "/rss.xml" ? FeedKind::kRss : FeedKind::kAtom, "", "最新报告", path, "/");
  } else if (path == "/sitemap.xml") {
    result = Sitemap(0);
  } else if (StartsWith(path, "/sitemap-") && EndsWith(path, ".xml")) {
    auto n = ParseDigits(std::string_view(path).substr(9, path.size() - 13), 5);
    if (!n || *n < 1) return NotFound();
    result = Sitemap(static_cast<int>(*n));
  } else if (path == "/takedown") {
    result = TakedownPage();
  } else if (path == "/comments.xml") {
    result = CommentsFeed();
  } else if ((parts[0] == "takedown" || parts[0] == "comment") && parts.size() == 2) {
    auto id = ParseDigits(parts[1], 18);
    if (!id || *id <= 0) return NotFound();
    if (parts[0] == "takedown") {
      result = TakedownFormPage(request, report::ReportId(*id));
      if (result.ok()) return *result;  // carries tokens: not cached
    } else {
      // The comment form's action: a GET (a reload of a refused post) goes
      // to the report's form.
      auto rep = store.Get(report::ReportId(*id));
      if (!rep.ok() || rep->hidden) return NotFound();
      return Redirect(ReportPath(rep->type, rep->region, rep->id) + "#comment-form");
    }
  } else if (parts[0] == "region") {
    // /region/ (every province), /region/CODE/, /region/CODE/{rss,atom}.xml
    if (parts.size() == 2 && parts[1].empty()) {
      result = RegionPage(region::RegionCode::kNational);
    } else if (parts.size() >= 2 && parts.size() <= 3) {
      auto code = region::RegionCode::Parse(parts[1]);
      if (!code || regions->Find(*code) == nullptr) return NotFound();
      if (code->IsNational()) return Redirect("/region/");
      if (parts.size() == 2) return Redirect(path + "/");
      const std::string base = "/region/" + code->ToString() + "/";
      const std::string q = "region:" + code->ToString();
      const std::string name = regions->Find(*code)->name;
      if (parts[2].empty()) {
        result = RegionPage(*code);
      } else if (parts[2] == "rss.xml" || parts[2] == "atom.xml") {
        result = Feed(parts[2] == "rss.xml" ? FeedKind::kRss : FeedKind::kAtom, q,
                      name + "的最新报告", path, base);
      } else {
        return NotFound();
      }
    } else {
      return NotFound();
    }
  } else if (parts[0] == "year") {
    if (parts.size() == 2 || (parts.size() == 3 && parts[2].empty())) {
      auto year = ParseDigits(parts[1], 4);
      if (!year || *year < search::kMinYear || *year > search::kMaxYear) return NotFound();
      if (parts.size() == 2) return Redirect(path + "/");
      result = YearPage(static_cast<int>(*year), params);
    } else {
      return NotFound();
    }
  } else {
    auto type = report::ReportTypeFromSlug(parts[0]);
    if (!type.ok()) return NotFound();
    const std::string slug(parts[0]);
    if (parts.size() == 1) return Redirect(path + "/");
    if (parts.size() == 2) {
      if (parts[1].empty()) {
        result = ListingPage(*type, std::nullopt, params);
      } else if (parts[1] == "rss.xml" || parts[1] == "atom.xml") {
        result = Feed(parts[1] == "rss.xml" ? FeedKind::kRss : FeedKind::kAtom, "type:" + slug,
                      std::string(report::ReportTypeName(*type)), path, "/" + slug + "/");
      } else if (region::MacroRegionFromSlug(parts[1])) {
        return Redirect(path + "/");
      } else {
        return NotFound();
      }
    } else if (parts.size() == 3) {
      auto macro = region::MacroRegionFromSlug(parts[1]);
      if (!macro) return NotFound();
      if (report_id) {
        result = ReportPage(*report_id, path, params.cpage);
      } else if (parts[2].empty()) {
        result = ListingPage(*type, *macro, params);
      } else {
        return NotFound();
      }
    } else {
      matched = false;
    }
  }
  if (!matched) return NotFound();
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kNotFound) return NotFound();
    LOG(kError) << "site: " << path << ": " << result.status().ToString();
    return ErrorPage(500, "服务器内部错误", "抱歉，页面暂时无法显示，请稍后再试。");
  }
  Response response = std::move(*result);
  if (response.status == 200) {
    if (response.etag.empty() && !response.personal) response.etag = BodyEtag(response.body);
    if (report_id && request.method == "GET") CountView(*report_id);
    if (options.cache_entries > 0) {
      // Into the cache without a copy; this response shares its body.
      auto page = std::make_shared<CachedPage>();
      page->response = std::move(response);
      page->report_id = report_id;
      const Response& pr = page->response;
      if (pr.personal && Compressible(pr.content_type) && pr.body.size() >= kGzipMinBytes) {
        page->gzip = SlotGzip::Make(pr.body);
      }
      std::shared_ptr<const CachedPage> entry = std::move(page);
      CachePut(key, entry, version);
      flight_end.entry = entry;
      return FromCached(request, entry, /*share_body=*/true);
    }
  }
  if (response.personal) {
    const std::string page = std::move(response.body);
    Personalize(request, page, report_id, nullptr, &response);
  }
  return response;
}

// ---------------------------------------------------------------------------
// State-changing routes

namespace {

// Whether the Origin (or, without one, the Referer) names this site: a
// second line behind the token. Requests with neither pass (old clients).
bool SameOrigin(const Request& request, const std::string& base_url) {
  std::string origin = request.Header("origin");
  if (origin.empty()) {
    const std::string referer = request.Header("referer");
    if (referer.empty()) return true;
    const size_t scheme = referer.find("://");
    if (scheme == std::string::npos) return false;
    const size_t slash = referer.find('/', scheme + 3);
    origin = referer.substr(0, slash);
  }
  if (origin == "null") return false;
  if (origin == base_url) return true;
  // The Host the request came to, under either scheme (behind a proxy the
  // configured base_url may differ from what the browser sees).
  const std::string host = request.Header("host");
  return !host.empty() && (origin == "http://" + host || origin == "https://" + host);
}

}  // namespace

const std::vector<Site::Impl::PostRoute>& Site::Impl::PostRoutes() {
  static const std::vector<PostRoute> routes = {
      {"/comment/", false, CsrfBinding::kClient, &Impl::PostComment},
      {"/takedown/", false, CsrfBinding::kClient, &Impl::PostTakedown},
      {"/admin/login", true, CsrfBinding::kClient, &Impl::PostLogin},
      {"/admin/logout", true, CsrfBinding::kAdmin, &Impl::PostLogout},
      {"/admin/comments", true, CsrfBinding::kAdmin, &Impl::PostModerate},
      {"/admin/reports/", false, CsrfBinding::kAdmin, &Impl::PostReportEdit},
      {"/admin/takedowns/", false, CsrfBinding::kAdmin, &Impl::PostTakedownResolve},
  };
  return routes;
}

std::vector<std::string> Site::StateChangingRoutes() {
  std::vector<std::string> out;
  for (const Impl::PostRoute& r : Impl::PostRoutes()) {
    std::string path(r.prefix);
    if (!r.exact) path += "1";
    out.push_back(std::move(path));
  }
  return out;
}

Response Site::Impl::DispatchPost(const Request& request) {
  const std::string& path = request.path;
  const PostRoute* route = nullptr;
  std::string_view rest;
  for (const PostRoute& r : PostRoutes()) {
    if (r.exact ? path == r.prefix : StartsWith(path, r.prefix)) {
      rest = std::string_view(path).substr(r.prefix.size());
      if (!r.exact && (rest.empty() || rest.find('/') != std::string_view::npos)) {
        // "/admin/reports/7/delete": the handler reads the action from rest.
        if (rest.empty() || r.prefix != "/admin/reports/") continue;
      }
      route = &r;
      break;
    }
  }
  if (route == nullptr) {
    Response r = ErrorPage(405, "不支持的请求方法", "这个地址不接受表单提交。");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  const std::string type = request.Header("content-type");
  if (!StartsWith(type, "application/x-www-form-urlencoded")) {
    return ErrorPage(415, "无法处理的提交格式",
                     "表单须以 application/x-www-form-urlencoded 格式提交。");
  }
  Result<Form> form = ParseForm(request.body);
  if (!form.ok()) return BadRequest(form.status().message());
  PostContext ctx{request, std::move(*form), rest, std::nullopt};
  // CSRF, from the table: nothing below runs without a valid token.
  const std::string token = ctx.form.Get(kCsrfField);
  if (!SameOrigin(request, options.base_url)) {
    return Forbidden("请求来源与本站不符，已拒绝。请从本站页面提交表单。");
  }
  if (route->csrf == CsrfBinding::kClient) {
    const auto cookies = ParseCookies(request.Header("cookie"));
    auto it = cookies.find(ClientCookieName(request));
    if (it == cookies.end() || !IsClientId(it->second) ||
        !CheckCsrfToken(*signer, it->second, token)) {
      return Forbidden("表单已过期或缺少安全令牌（CSRF），请刷新页面后重新提交。");
    }
  } else {
    if (!AdminTransportOk(request)) {
      return Forbidden("管理后台只能通过 HTTPS 访问。");
    }
    ctx.session = AdminSessionOf(request);
    if (!ctx.session || !CheckCsrfToken(*signer, ctx.session->csrf_secret, token)) {
      return Forbidden("登录已失效或表单缺少安全令牌（CSRF），请重新登录后再试。");
    }
  }
  return (this->*(route->handler))(ctx);
}

// ---------------------------------------------------------------------------
// Searchers

Result<search::SearchResult> Site::Impl::Search(const search::SearchRequest& request) {
  PooledSearcher ps;
  {
    std::lock_guard lock(pool_mu);
    if (!pool.empty()) {
      ps = std::move(pool.back());
      pool.pop_back();
    }
  }
  if (ps.searcher == nullptr) {
    BAOGAO_ASSIGN_OR_RETURN(ps.searcher, search::Searcher::Open(searcher_options));
  }
  // Hands the searcher back on every path out, exceptions included.
  struct Return {
    Impl* impl;
    PooledSearcher* ps;
    ~Return() {
      std::lock_guard lock(impl->pool_mu);
      impl->pool.push_back(std::move(*ps));
    }
  } give_back{this, &ps};
  const int64_t version = data_version();
  if (ps.version != version) {
    BAOGAO_RETURN_IF_ERROR(ps.searcher->Refresh());
    ps.version = version;
  }
  return ps.searcher->Search(request, store);
}

// ---------------------------------------------------------------------------
// Cache

std::shared_ptr<const Site::Impl::CachedPage> Site::Impl::CacheGet(const std::string& key,
                                                                   Version version) {
  std::lock_guard lock(cache_mu);
  if (version != cache_version) {
    cache.clear();
    lru.clear();
    cache_version = version;
    return nullptr;
  }
  auto it = cache.find(key);
  if (it == cache.end()) return nullptr;
  lru.splice(lru.begin(), lru, it->second);
  return it->second->second;
}

void Site::Impl::CachePut(const std::string& key, std::shared_ptr<const CachedPage> entry,
                          Version version) {
  std::lock_guard lock(cache_mu);
  // Rendered from data older than the cache's: keeping it would serve stale
  // pages until the next change. Newer data than the cache's: the cache
  // goes (versions only grow, both parts).
  if (version < cache_version) return;
  if (version != cache_version) {
    cache.clear();
    lru.clear();
    cache_version = version;
  }
  if (auto it = cache.find(key); it != cache.end()) {
    it->second->second = std::move(entry);
    lru.splice(lru.begin(), lru, it->second);
    return;
  }
  lru.emplace_front(key, std::move(entry));
  cache[key] = lru.begin();
  while (static_cast<int>(cache.size()) > options.cache_entries) {
    cache.erase(lru.back().first);
    lru.pop_back();
  }
}

std::shared_ptr<Site::Impl::Flight> Site::Impl::JoinFlight(const std::string& key, bool* leader) {
  std::lock_guard lock(cache_mu);
  auto [it, fresh] = flights.try_emplace(key);
  if (fresh) it->second = std::make_shared<Flight>();
  *leader = fresh;
  return it->second;
}

void Site::Impl::EndFlight(const std::string& key, const std::shared_ptr<Flight>& flight,
                           std::shared_ptr<const CachedPage> entry, Version version) {
  {
    std::lock_guard lock(cache_mu);
    auto it = flights.find(key);
    if (it != flights.end() && it->second == flight) flights.erase(it);
  }
  {
    std::lock_guard lock(flight->mu);
    flight->entry = std::move(entry);
    flight->version = version;
    flight->done = true;
  }
  flight->cv.notify_all();
}

// ---------------------------------------------------------------------------
// Views

void Site::Impl::CountView(report::ReportId id) {
  std::lock_guard lock(views_mu);
  ++pending_views[id.value()];
  if (auto it = view_totals.find(id.value()); it != view_totals.end()) ++it->second;
}

int64_t Site::Impl::ViewTotal(report::ReportId id, int64_t stored) {
  std::lock_guard lock(views_mu);
  auto [it, fresh] = view_totals.try_emplace(id.value(), stored);
  if (fresh) {
    // Views counted before this render (whose page was never shown) and not
    // yet written are not in `stored`. During a flush they are in neither
    // place for a moment; a count read then is low by that batch, never
    // high.
    if (auto p = pending_views.find(id.value()); p != pending_views.end()) it->second += p->second;
  }
  return it->second;
}

std::optional<int64_t> Site::Impl::ShownViews(int64_t id) {
  std::lock_guard lock(views_mu);
  auto it = view_totals.find(id);
  if (it == view_totals.end()) return std::nullopt;
  return it->second;
}

void Site::Impl::FlusherLoop() {
  std::unique_lock lock(flusher_mu);
  while (!flusher_stop) {
    flusher_cv.wait_for(lock, std::chrono::seconds(1));
    if (flusher_stop) break;
    bool due = false;
    {
      std::lock_guard views_lock(views_mu);
      due = Now() - last_flush >= options.view_flush_seconds && !pending_views.empty();
    }
    if (!due) continue;
    lock.unlock();
    const Status st = Flush();
    if (!st.ok()) {
      LOG(kWarning) << "site: view flush failed, will retry: " << st.ToString();
    }
    lock.lock();
  }
}

Status Site::Impl::Flush() {
  std::lock_guard flush_lock(flush_mu);
  std::map<int64_t, int64_t> batch;
  {
    std::lock_guard lock(views_mu);
    batch.swap(pending_views);
    last_flush = Now();
  }
  if (batch.empty()) return Status::Ok();
  std::vector<std::pair<report::ReportId, int64_t>> views;
  views.reserve(batch.size());
  for (const auto& [id, n] : batch) views.emplace_back(report::ReportId(id), n);
  const Status st = store.AddViews(views);
  if (!st.ok()) {
    std::lock_guard lock(views_mu);
    for (const auto& [id, n] : batch) pending_views[id] += n;
    return st;
  }
  return Status::Ok();
}

}  // namespace baogao::web
