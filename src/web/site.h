// The public site: the application behind the server's one web::Handler.
// Pages (home, listings by type × macro-region, region tree, years, report
// pages, search, a takedown page), feeds (RSS 2.0, Atom), crawler files
// (sitemap.xml, robots.txt) and fingerprinted static assets, all rendered
// from kainjow-mustache templates that escape by default.
//
// Rendered responses are cached in memory (LRU, `cache_entries`) and dropped
// when data_version() changes, i.e. when the index has applied new changes
// from the store; while one request renders a page, other requests for it
// wait for that render instead of repeating it. Report views (点击量) are
// counted in memory and written to the store in batches by FlushViews(),
// which a background thread of the Site calls every `view_flush_seconds`;
// report pages show the live count through a per-response slot, so cached
// pages stay cached when counts change.
//
// Thread-safety: Handle() and FlushViews() may be called from any number of
// threads at once. The store, the region table and the searcher options'
// index must outlive the Site.
#ifndef BAOGAO_WEB_SITE_H_
#define BAOGAO_WEB_SITE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "region/region.h"
#include "search/search.h"
#include "store/store.h"
#include "web/http.h"

namespace baogao::web {

// Who posts first and who waits (issue 6). Comments that hit the word list
// are held under every policy.
enum class ModerationPolicy {
  kAll,        // every comment waits for the admin
  kFirstTime,  // comments from a client IP with no approved comment yet wait
  kLinks,      // comments with links wait (the default)
  kNone,       // only flagged comments wait
};

// Comments, captcha, takedown requests and the admin area.
struct CommunityOptions {
  ModerationPolicy moderation = ModerationPolicy::kLinks;
  int max_links = 2;                     // a comment with more links is refused
  int min_fill_seconds = 3;              // a form sent sooner after it was served is refused
  int duplicate_window_seconds = 86400;  // the same body again within this is refused
  std::vector<std::string> words;        // flagged words (matched folded); a hit is held
  int comments_per_page = 20;            // top-level comments per page, 1..100
  // Rate limits (events per minute on average; 0 disables one). Per client
  // IP and for the whole site.
  double comment_per_ip_per_minute = 2;
  double comment_burst = 3;
  double comment_global_per_minute = 60;
  double captcha_per_ip_per_minute = 30;  // captcha images drawn
  double takedown_per_ip_per_minute = 0.2;
  double login_per_ip_per_minute = 10;
  // Login lockout: failures within login_window_seconds before a
  // user+client pair, a user, or a client is refused until the window passes.
  int login_pair_max_failures = 5;
  int login_user_max_failures = 20;
  int login_ip_max_failures = 30;
  int login_window_seconds = 900;
  int session_seconds = 8 * 3600;
  // Plain-HTTP admin sessions for development: cookies without Secure and
  // the __Host- prefix, accepted only from loopback clients. Off: the admin
  // area requires HTTPS (a trusted proxy's X-Forwarded-Proto).
  bool admin_dev_mode = false;
};

struct SiteOptions {
  // Scheme, host and optional port without a trailing slash; prefixes the
  // permalinks (本文地址), canonical links, Open Graph URLs, feeds, sitemap.
  std::string base_url = "http://127.0.0.1:8080";
  // The directory holding templates/ and static/. Empty: <exe>/../share/
  // baogao/web when it exists, else the source tree's web/.
  std::string assets_dir;
  std::string site_name = "报告库";
  // The site notice under every report (原创 / reprint policy), plain text.
  // Empty: a default in Chinese.
  std::string notice;
  // Where takedown and correction requests go; "/takedown" is served by
  // the site itself (a page saying how to reach us).
  std::string takedown_url = "/takedown";
  // Shown on the takedown page as a mailto: link when set.
  std::string contact_email;
  int page_size = 20;           // listing and search results per page, 1..100
  int cache_entries = 2000;     // rendered responses kept in memory; 0: no cache
  int view_flush_seconds = 60;  // pending view counts are written this often
  CommunityOptions community;
  // Seconds since the epoch; null: the system clock. Used for the periodic
  // view flush and for feeds' dates when nothing else is known.
  std::function<int64_t()> now;
};

class Site {
 public:
  // Loads the templates and static files from `options.assets_dir` (checking
  // every template parses) and opens one searcher. `data_version` returns
  // the change-log sequence the index has reached (the IndexFollower's
  // sequence); a change drops the cache and refreshes the searchers.
  // Errors: kNotFound/kIoError for a missing or unreadable asset,
  // kInvalidArgument for a template that does not parse or bad options,
  // and the searcher's errors (kNotFound without an index).
  static Result<std::unique_ptr<Site>> Create(const SiteOptions& options, store::Store& store,
                                              search::SearcherOptions searcher_options,
                                              std::shared_ptr<const region::RegionTable> regions,
                                              std::function<int64_t()> data_version);
  ~Site();  // flushes pending view counts
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  // Answers one request: 200 pages, 301 to canonical URLs, 304 is left to
  // the server, 400 (bad parameter, with a Chinese message), 404, 405, and
  // 500 (a generic Chinese page; the cause is logged, never shown). Never
  // throws for bad input.
  // Bodies held in memory (cached pages, static files) come as
  // Response::shared_body.
  Response Handle(const Request& request);

  // The same answer as Handle() when it can be given from memory alone (a
  // cached page, a static file), else nullopt. Never touches the store, the
  // index or a template, so the server may call it on an I/O thread.
  // Thread-safe.
  std::optional<Response> HandleFromMemory(const Request& request);

  // Writes the view counts gathered since the last flush to the store in
  // one transaction (on failure they are kept for the next try). Returns
  // the store's error. The Site's own thread calls it every
  // view_flush_seconds; the destructor calls it last.
  Status FlushViews();

  // Counters since Create(), for tests and monitoring.
  struct Stats {
    int64_t renders = 0;  // GET/HEAD requests that ran the page code (not from the cache)
    int64_t joined = 0;   // requests that waited for another request's render of their page
  };
  Stats stats() const;

  // The state-changing routes (POST), one example path each ("/comment/1"):
  // every one checks a CSRF token before anything else, from one table, so
  // a test can walk them all.
  static std::vector<std::string> StateChangingRoutes();

 private:
  struct Impl;
  explicit Site(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace baogao::web

#endif  // BAOGAO_WEB_SITE_H_
