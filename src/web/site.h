// The public site: the application behind the server's one web::Handler.
// Pages (home, listings by type × macro-region, region tree, years, report
// pages, search, a takedown page), feeds (RSS 2.0, Atom), crawler files
// (sitemap.xml, robots.txt) and fingerprinted static assets, all rendered
// from kainjow-mustache templates that escape by default.
//
// Rendered responses are cached in memory (LRU, `cache_entries`) and dropped
// when data_version() changes, i.e. when the index has applied new changes
// from the store. Report views (点击量) are counted in memory and written to
// the store in batches by FlushViews().
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

#include "base/status.h"
#include "region/region.h"
#include "search/search.h"
#include "store/store.h"
#include "web/http.h"

namespace baogao::web {

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
  int view_flush_seconds = 60;  // Handle() flushes pending view counts this often
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
  Response Handle(const Request& request);

  // The same answer as Handle() when it can be given from memory alone (a
  // cached page, a static file), else nullopt. Never touches the store, the
  // index or a template, so the server may call it on an I/O thread.
  // Thread-safe.
  std::optional<Response> HandleFromMemory(const Request& request);

  // Writes the view counts gathered since the last flush to the store in
  // one transaction (on failure they are kept for the next try) and drops
  // the cached pages of the reports concerned. Returns the store's error.
  Status FlushViews();

 private:
  struct Impl;
  explicit Site(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace baogao::web

#endif  // BAOGAO_WEB_SITE_H_
