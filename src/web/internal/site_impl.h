// The Site's internals, shared by site.cc (routing, cache, searchers, views,
// assets), pages.cc (HTML pages) and feeds.cc (RSS, Atom, sitemap, robots).
#ifndef BAOGAO_WEB_INTERNAL_SITE_IMPL_H_
#define BAOGAO_WEB_INTERNAL_SITE_IMPL_H_

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <kainjow/mustache.hpp>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "region/region.h"
#include "report/report.h"
#include "search/search.h"
#include "store/store.h"
#include "web/guard.h"
#include "web/http.h"
#include "web/site.h"
#include "web/slot_gzip.h"

namespace baogao::web {

using Data = kainjow::mustache::data;

// Validated query parameters of a page request.
struct PageParams {
  int64_t page = 1;
  int64_t cpage = 1;  // comments page on report pages
  std::string q;
  bool sort_newest = false;
  bool sort_given = false;
};

// "/baogao/huadong/7236.html" for a report (unresolved regions go under
// quanguo with national reports: their URL needs some macro-region).
std::string ReportPath(report::ReportType type, std::optional<report::RegionCode> region,
                       report::ReportId id);
// The region module's code for a report's (national 100000 → 000000).
region::RegionCode ToRegionCode(report::RegionCode code);
region::MacroRegion MacroOf(std::optional<report::RegionCode> region);
// XML-escapes & < > " ' and drops characters XML 1.0 forbids (C0 controls
// other than tab, CR, LF); invalid UTF-8 becomes U+FFFD.
std::string XmlEscape(std::string_view in);

// The last page number a listing or search can show with `page_size`
// results per page: the searcher pages up to offset 100,000.
inline int64_t MaxPage(int64_t page_size) {
  return std::min<int64_t>(10000, 100000 / std::max<int64_t>(1, page_size) + 1);
}
// Valid UTF-8 with the control characters and U+FFFE/U+FFFF that HTML and
// XML 1.0 forbid removed: what we put into templates (mustache escapes the
// markup characters) and feeds.
std::string CleanUtf8(std::string_view in);
// Whether CleanUtf8(in) == in (so that `in` can be used without a copy).
bool IsCleanUtf8(std::string_view in);
// Appends `s` escaped as by AppendHtmlEscaped if IsCleanUtf8(s), checking
// and escaping in one pass; false, with `out` as it was, if not.
bool AppendEscapedIfClean(std::string_view s, std::string_view apos, std::string* out);
// "2024-03-05T00:00:00Z" / "Tue, 05 Mar 2024 00:00:00 +0000" for unix seconds (UTC).
std::string Rfc3339(int64_t unix_seconds);
std::string Rfc822(int64_t unix_seconds);
// Whether `url` is an http(s) URL that is safe to link to.
bool IsHttpUrl(std::string_view url);
// Whether a report is demo data (演示数据 in its title or source).
bool IsDemo(const report::Report& r);
// A number no other Site of this process had (render.cc: per-thread caches
// of parsed templates are keyed by it).
uint64_t NextSiteSerial();
// "2024-03-05 18:30" in Beijing time (UTC+8) for unix seconds.
std::string BeijingTime(int64_t unix_seconds);

// Placeholders in cached pages, filled for each request by Personalize():
// control characters, which CleanUtf8 removes from every stored text, so no
// report or comment can contain them.
inline constexpr std::string_view kTokenSlot =
    "\x01"
    "T\x01";  // captcha challenge token
inline constexpr std::string_view kCsrfSlot =
    "\x01"
    "C\x01";  // CSRF token
inline constexpr std::string_view kNoteSlot =
    "\x01"
    "N\x01";  // the form's notice (HTML)
inline constexpr std::string_view kParentSlot =
    "\x01"
    "P\x01";  // the comment replied to
inline constexpr std::string_view kViewsSlot =
    "\x01"
    "V\x01";  // the report's view count (点击量), live

// What a POST handler gets after the route table's checks passed.
struct PostContext {
  const Request& request;
  Form form;
  std::string_view rest;                       // the path after the route's prefix ("7236")
  std::optional<store::AdminSession> session;  // admin routes: the signed-in session
};

struct Site::Impl {
  Impl(const SiteOptions& o, store::Store& s, search::SearcherOptions so,
       std::shared_ptr<const region::RegionTable> r, std::function<int64_t()> dv)
      : options(o),
        store(s),
        searcher_options(std::move(so)),
        regions(std::move(r)),
        data_version(std::move(dv)) {}

  SiteOptions options;
  const uint64_t serial = NextSiteSerial();
  store::Store& store;
  search::SearcherOptions searcher_options;
  std::shared_ptr<const region::RegionTable> regions;
  std::function<int64_t()> data_version;

  // Assets, read once at startup and immutable afterwards.
  std::map<std::string, std::string> templates;  // name (without .mustache) → text
  struct StaticFile {
    std::shared_ptr<const std::string> body;
    std::string content_type;
    std::string etag;
  };
  std::map<std::string, StaticFile> static_files;  // "/static/site.1a2b3c4d.css" → file
  std::string css_url;
  std::string icon_url;

  // Searchers are not thread-safe: a pool, each with the version it last saw.
  struct PooledSearcher {
    std::unique_ptr<search::Searcher> searcher;
    int64_t version = -1;
  };
  std::mutex pool_mu;
  std::vector<PooledSearcher> pool;

  // What cached pages were rendered from: the index's sequence and the
  // comments' version.
  using Version = std::pair<int64_t, int64_t>;
  Version CurrentVersion() const { return {data_version(), community_version.load()}; }
  // The rendered-response cache (LRU), valid for cache_version.
  std::mutex cache_mu;
  // Entries are immutable once stored: a hit shares the body with the
  // response being written (Response::shared_body) instead of copying it.
  // A cached response; personal pages (Personalize) also keep the gzip of
  // the text between their slots, so a gzip response is spliced, not
  // compressed again (slot_gzip.h).
  struct CachedPage {
    Response response;
    std::optional<report::ReportId> report_id;  // a report page's report
    std::optional<SlotGzip> gzip;
  };
  using CacheEntry = std::pair<std::string, std::shared_ptr<const CachedPage>>;
  std::list<CacheEntry> lru;
  std::unordered_map<std::string, std::list<CacheEntry>::iterator> cache;
  Version cache_version{-1, -1};

  // Views counted since the last flush, and the live total of every report
  // whose page was rendered (stored + counted since): cached report pages
  // carry kViewsSlot, filled from `view_totals`, so a flush never drops
  // them. The totals are set once, when a report page is first rendered,
  // and grow with CountView from then on.
  std::mutex views_mu;
  std::map<int64_t, int64_t> pending_views;
  std::unordered_map<int64_t, int64_t> view_totals;
  int64_t last_flush = 0;
  std::mutex flush_mu;  // one flush at a time
  // The background flusher: checks every second whether
  // view_flush_seconds have passed (by Now(), so tests can move the clock).
  std::mutex flusher_mu;
  std::condition_variable flusher_cv;
  bool flusher_stop = false;
  std::thread flusher;

  // Cache misses being rendered, by cache key: a request for a key that
  // another thread is rendering waits for that render instead of doing the
  // same work again (after a data change drops the cache, a busy page is
  // rendered once, not once per waiting request).
  struct Flight {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    std::shared_ptr<const CachedPage> entry;  // null: nothing cacheable came out
    Version version;                          // what `entry` was made from
  };
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights;  // under cache_mu
  std::atomic<int64_t> renders{0};                                   // Site::Stats
  std::atomic<int64_t> joined_flights{0};

  // Comments, captcha, admin (community.cc, admin.cc).
  std::unique_ptr<Signer> signer;             // keyed by the store's site secret
  std::atomic<int64_t> community_version{0};  // bumped when what pages show changes
  std::unique_ptr<RateLimiter> comment_ip_limit, comment_global_limit, captcha_limit,
      takedown_limit, login_limit;
  std::vector<std::string> folded_words;

  // site.cc
  Status LoadAssets();
  int64_t Now() const;
  Response Dispatch(const Request& request);
  Result<search::SearchResult> Search(const search::SearchRequest& request);
  // The cached response for `key` (after checking the cache against
  // `version`: a changed version empties it first), or null.
  std::shared_ptr<const CachedPage> CacheGet(const std::string& key, Version version);
  // A cached page or a static file for `request` (counting a report view on
  // a hit), or nullopt; see Site::HandleFromMemory. With `share_body`, the
  // body is shared with the cache (Response::shared_body), not copied.
  std::optional<Response> FromMemory(const Request& request, bool share_body);
  // Stores `entry` unless the data changed since `version` was read.
  void CachePut(const std::string& key, std::shared_ptr<const CachedPage> entry, Version version);
  // A response from a cache entry: `cached`'s fields, its body
  // personalised (personal pages), shared (`share_body`) or copied.
  Response FromCached(const Request& request, const std::shared_ptr<const CachedPage>& cached,
                      bool share_body);
  void CountView(report::ReportId id);
  // The live total for a report page being rendered from `stored` (the
  // store's count read for it): the remembered total if there is one, else
  // stored + pending, remembered from now on.
  int64_t ViewTotal(report::ReportId id, int64_t stored);
  // The remembered live total, or nullopt if the page was never rendered.
  std::optional<int64_t> ShownViews(int64_t id);
  Status Flush();
  void FlusherLoop();
  // Joins the render of `key` in progress, if any: returns its Flight to
  // wait on (`leader` false), or registers a new one that this thread must
  // finish with EndFlight (`leader` true).
  std::shared_ptr<Flight> JoinFlight(const std::string& key, bool* leader);
  void EndFlight(const std::string& key, const std::shared_ptr<Flight>& flight,
                 std::shared_ptr<const CachedPage> entry, Version version);

  // pages.cc: HTML pages. Each returns the full response.
  std::string Render(const std::string& page_template, Data& data);
  void SetCommon(Data& data, const std::string& title, const std::string& canonical_path,
                 const std::string& description);
  Response ErrorPage(int status, const std::string& heading, const std::string& message);
  Response NotFound();
  Response BadRequest(const std::string& message);
  Response Redirect(const std::string& location);
  Result<Response> HomePage();
  Result<Response> ListingPage(report::ReportType type, std::optional<region::MacroRegion> macro,
                               const PageParams& params);
  Result<Response> YearPage(int year, const PageParams& params);
  Result<Response> RegionPage(region::RegionCode code);
  Result<Response> ReportPage(report::ReportId id, const std::string& path, int64_t cpage);
  Result<Response> SearchPage(const PageParams& params);
  Response TakedownPage();

  // The POST route table (site.cc): CSRF checked before any handler runs.
  // Which secret a route's CSRF token is bound to. There is no third kind:
  // every POST route checks one of these before its handler runs.
  enum class CsrfBinding {
    kClient,  // public forms: the visitor's client-id cookie
    kAdmin,   // admin forms: the signed-in session (a session is required)
  };
  struct PostRoute {
    std::string_view prefix;  // matched against the path
    bool exact;               // the whole path, or prefix + an id (and /action for reports)
    CsrfBinding csrf;
    Response (Impl::*handler)(PostContext&);
  };
  static const std::vector<PostRoute>& PostRoutes();
  Response DispatchPost(const Request& request);

  // Shared page pieces.
  // Page links for `total` results: base_href for page 1, then ?page=N.
  Data Pagination(int64_t page, int64_t total, const std::string& base_href);
  // A listing's hits, `has_items` and pagination, set on `data`.
  void SetHits(const search::SearchResult& result, int64_t page, const std::string& base_href,
               Data* data);
  std::string RegionName(std::optional<report::RegionCode> code);
  // Province › prefecture › county, outermost first (not the macro-region).
  std::vector<const region::Region*> RegionChain(region::RegionCode code);

  // community.cc
  Status InitCommunity();
  // Fills a cached page's placeholders for this request (new challenge,
  // the client's CSRF token, the notice); sets the client cookie if missing.
  // `page` is the cached page with its placeholders; the result goes to
  // response->body.
  // `report_id`: the report the page shows (its form and view count). With
  // `gzip` (the page's SlotGzip) and a client that accepts gzip, the body is
  // sent gzipped (Response::content_encoding).
  void Personalize(const Request& request, std::string_view page,
                   std::optional<report::ReportId> report_id, const SlotGzip* gzip,
                   Response* response);
  // The client id from the request's cookie, or a new one with its Set-Cookie
  // added to `response`.
  std::string ClientId(const Request& request, Response* response);
  bool SecureCookies(const Request& request) const;
  std::string ClientCookieName(const Request& request) const;
  // Sets the comments of report `id` (page `cpage`) and the comment form with
  // placeholders on a report page's data.
  Status SetComments(report::ReportId id, const std::string& report_path, int64_t cpage,
                     Data& data);
  Response CaptchaImage(const Request& request, std::string_view token);
  Result<Response> CommentsFeed();
  Result<Response> TakedownFormPage(const Request& request, report::ReportId id);
  // Checks the typed captcha answer. A wrong or missing one spends the
  // challenge (in a transaction of its own) and gives the message to show.
  std::optional<std::string> CheckAnswer(const CaptchaChallenge& challenge, const Form& form);
  Response PostComment(PostContext& ctx);
  Response PostTakedown(PostContext& ctx);
  // A form page after a refused post: `message` and the form again, filled
  // with what was sent and a new challenge.
  Response CommentFormPage(const Request& request, int status, const report::Report& rep,
                           const std::string& message, const Form* sent);
  Response TakedownForm(const Request& request, int status, const report::Report& rep,
                        const std::string& message, const Form* sent);
  Response Forbidden(const std::string& message);
  Response TooMany(const std::string& message);
  Response SeeOther(const std::string& location);

  // admin.cc
  // The session of the request's admin cookie, if valid.
  std::optional<store::AdminSession> AdminSessionOf(const Request& request);
  std::string AdminCookieName(const Request& request) const;
  // Whether the admin area may be used over this request's transport.
  bool AdminTransportOk(const Request& request) const;
  Response AdminGet(const Request& request);
  Response PostLogin(PostContext& ctx);
  Response PostLogout(PostContext& ctx);
  Response PostModerate(PostContext& ctx);
  Response PostReportEdit(PostContext& ctx);
  Response PostTakedownResolve(PostContext& ctx);
  Status Audit(store::Transaction& txn, const Request& request, const std::string& actor,
               const std::string& action, const std::string& target, const std::string& detail);

  // feeds.cc
  enum class FeedKind { kRss, kAtom };
  Result<Response> Feed(FeedKind kind, const std::string& query, const std::string& title,
                        const std::string& self_path, const std::string& html_path);
  Result<Response> Sitemap(int part);
  Response Robots();
};

}  // namespace baogao::web

#endif  // BAOGAO_WEB_INTERNAL_SITE_IMPL_H_
