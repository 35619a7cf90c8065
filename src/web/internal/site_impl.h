// The Site's internals, shared by site.cc (routing, cache, searchers, views,
// assets), pages.cc (HTML pages) and feeds.cc (RSS, Atom, sitemap, robots).
#ifndef BAOGAO_WEB_INTERNAL_SITE_IMPL_H_
#define BAOGAO_WEB_INTERNAL_SITE_IMPL_H_

#include <algorithm>
#include <cstdint>
#include <kainjow/mustache.hpp>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "region/region.h"
#include "report/report.h"
#include "search/search.h"
#include "store/store.h"
#include "web/http.h"
#include "web/site.h"

namespace baogao::web {

using Data = kainjow::mustache::data;

// Validated query parameters of a page request.
struct PageParams {
  int64_t page = 1;
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
// Valid UTF-8 with forbidden control characters removed: what we put into
// templates (mustache escapes the markup characters).
std::string CleanUtf8(std::string_view in);
// "2024-03-05T00:00:00Z" / "Tue, 05 Mar 2024 00:00:00 +0000" for unix seconds (UTC).
std::string Rfc3339(int64_t unix_seconds);
std::string Rfc822(int64_t unix_seconds);
// Whether `url` is an http(s) URL that is safe to link to.
bool IsHttpUrl(std::string_view url);
// Whether a report is demo data (演示数据 in its title or source).
bool IsDemo(const report::Report& r);

struct Site::Impl {
  Impl(const SiteOptions& o, store::Store& s, search::SearcherOptions so,
       std::shared_ptr<const region::RegionTable> r, std::function<int64_t()> dv)
      : options(o),
        store(s),
        searcher_options(std::move(so)),
        regions(std::move(r)),
        data_version(std::move(dv)) {}

  SiteOptions options;
  store::Store& store;
  search::SearcherOptions searcher_options;
  std::shared_ptr<const region::RegionTable> regions;
  std::function<int64_t()> data_version;

  // Assets, read once at startup and immutable afterwards.
  std::map<std::string, std::string> templates;  // name (without .mustache) → text
  struct StaticFile {
    std::string body;
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

  // The rendered-response cache (LRU), valid for cache_version.
  std::mutex cache_mu;
  std::list<std::pair<std::string, Response>> lru;
  std::unordered_map<std::string, std::list<std::pair<std::string, Response>>::iterator> cache;
  int64_t cache_version = -1;

  // Views counted since the last flush.
  std::mutex views_mu;
  std::map<int64_t, int64_t> pending_views;
  int64_t last_flush = 0;
  std::mutex flush_mu;  // one flush at a time

  // site.cc
  Status LoadAssets();
  int64_t Now() const;
  Response Dispatch(const Request& request);
  Result<search::SearchResult> Search(const search::SearchRequest& request);
  std::optional<Response> CacheGet(const std::string& key);
  // A cached page or a static file for `request` (counting a report view on
  // a hit), or nullopt; see Site::HandleFromMemory.
  std::optional<Response> FromMemory(const Request& request);
  // Stores `response` unless the data changed since `version` was read.
  void CachePut(const std::string& key, const Response& response, int64_t version);
  void CacheErase(const std::string& key);
  void CountView(report::ReportId id);
  int64_t PendingViews(report::ReportId id);
  Status Flush();

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
  Result<Response> ReportPage(report::ReportId id, const std::string& path);
  Result<Response> SearchPage(const PageParams& params);
  Response TakedownPage();

  // Shared page pieces.
  Data HitItem(const search::Hit& hit);
  // Page links for `total` results: base_href for page 1, then ?page=N.
  Data Pagination(int64_t page, int64_t total, const std::string& base_href);
  // A listing's hits, `has_items` and pagination, set on `data`.
  void SetHits(const search::SearchResult& result, int64_t page, const std::string& base_href,
               Data* data);
  std::string RegionName(std::optional<report::RegionCode> code);
  // Province › prefecture › county, outermost first (not the macro-region).
  std::vector<const region::Region*> RegionChain(region::RegionCode code);

  // feeds.cc
  enum class FeedKind { kRss, kAtom };
  Result<Response> Feed(FeedKind kind, const std::string& query, const std::string& title,
                        const std::string& self_path, const std::string& html_path);
  Result<Response> Sitemap(int part);
  Response Robots();
};

}  // namespace baogao::web

#endif  // BAOGAO_WEB_INTERNAL_SITE_IMPL_H_
