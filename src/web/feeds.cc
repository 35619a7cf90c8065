// Feeds (RSS 2.0, Atom 1.0) and crawler files (sitemap.xml, robots.txt).
// Built in C++ with XmlEscape on every text and attribute, not templates:
// mustache's HTML escaping is not XML escaping (no &apos; for ', no removal
// of characters XML forbids).
#include <algorithm>

#include "web/internal/site_impl.h"

namespace baogao::web {
namespace {

constexpr int kFeedEntries = 50;
constexpr int64_t kSitemapUrls = 50000;

}  // namespace

Result<Response> Site::Impl::Feed(FeedKind kind, const std::string& query, const std::string& title,
                                  const std::string& self_path, const std::string& html_path) {
  search::SearchRequest req;
  req.query = query;
  req.sort = search::SortOrder::kNewest;
  req.limit = kFeedEntries;
  req.max_snippets = 0;
  BAOGAO_ASSIGN_OR_RETURN(search::SearchResult result, Search(req));
  std::vector<report::Report> reports;
  BAOGAO_RETURN_IF_ERROR(store.RunInReadTransaction([&](store::Transaction& txn) -> Status {
    for (const search::Hit& h : result.hits) {
      auto r = txn.Get(h.id);
      if (!r.ok()) {
        if (r.status().code() == StatusCode::kNotFound) continue;  // deleted meanwhile
        return r.status();
      }
      reports.push_back(std::move(*r));
    }
    return Status::Ok();
  }));
  int64_t updated = 0;
  for (const report::Report& r : reports) updated = std::max(updated, r.updated_at);
  // An empty feed has a fixed date, so that its ETag and Last-Modified stay
  // stable across cache drops (and conditional GETs keep answering 304).

  const std::string site = XmlEscape(options.site_name);
  const std::string feed_title = XmlEscape(options.site_name + " · " + title);
  const std::string home = XmlEscape(options.base_url + html_path);
  const std::string self = XmlEscape(options.base_url + self_path);
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  if (kind == FeedKind::kRss) {
    out += "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n";
    out += "<title>" + feed_title + "</title>\n<link>" + home + "</link>\n";
    out += "<description>" + feed_title + "：最新收录的报告</description>\n";
    out += "<language>zh-cn</language>\n<lastBuildDate>" + Rfc822(updated) + "</lastBuildDate>\n";
    out += "<atom:link href=\"" + self + "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
    for (const report::Report& r : reports) {
      const std::string link = XmlEscape(options.base_url + ReportPath(r.type, r.region, r.id));
      out += "<item>\n<title>" + XmlEscape(r.title) + "</title>\n<link>" + link + "</link>\n";
      out += "<guid isPermaLink=\"true\">" + link + "</guid>\n";
      out += "<pubDate>" + Rfc822(r.created_at) + "</pubDate>\n";
      out += "<category>" + XmlEscape(report::ReportTypeName(r.type)) + "</category>\n";
      out += "<description>" +
             XmlEscape(std::string(report::ReportTypeName(r.type)) + " · " + RegionName(r.region) +
                       " · " + std::to_string(r.year) + "年") +
             "</description>\n</item>\n";
    }
    out += "</channel>\n</rss>\n";
  } else {
    out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n";
    out += "<title>" + feed_title + "</title>\n<id>" + self + "</id>\n";
    out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + self + "\"/>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + home + "\"/>\n";
    out +=
        "<updated>" + Rfc3339(updated) + "</updated>\n<author><name>" + site + "</name></author>\n";
    for (const report::Report& r : reports) {
      const std::string link = XmlEscape(options.base_url + ReportPath(r.type, r.region, r.id));
      out += "<entry>\n<title>" + XmlEscape(r.title) + "</title>\n<id>" + link + "</id>\n";
      out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + link + "\"/>\n";
      out += "<published>" + Rfc3339(r.created_at) + "</published>\n";
      out += "<updated>" + Rfc3339(r.updated_at) + "</updated>\n";
      out += "<category term=\"" + XmlEscape(report::ReportTypeSlug(r.type)) + "\" label=\"" +
             XmlEscape(report::ReportTypeName(r.type)) + "\"/>\n";
      out += "<summary>" +
             XmlEscape(std::string(report::ReportTypeName(r.type)) + " · " + RegionName(r.region) +
                       " · " + std::to_string(r.year) + "年") +
             "</summary>\n</entry>\n";
    }
    out += "</feed>\n";
  }
  Response response;
  response.content_type = kind == FeedKind::kRss ? "application/rss+xml; charset=utf-8"
                                                 : "application/atom+xml; charset=utf-8";
  response.body = std::move(out);
  response.last_modified = updated;
  return response;
}

Result<Response> Site::Impl::Sitemap(int part) {
  store::ListFilter visible;
  visible.include_hidden = false;
  BAOGAO_ASSIGN_OR_RETURN(int64_t total, store.Count(visible));
  const int64_t parts = std::max<int64_t>(1, (total + kSitemapUrls - 1) / kSitemapUrls);
  Response response;
  response.content_type = "application/xml; charset=utf-8";
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  if (part == 0 && parts > 1) {
    out += "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    for (int64_t i = 1; i <= parts; ++i) {
      out += "<sitemap><loc>" +
             XmlEscape(options.base_url + "/sitemap-" + std::to_string(i) + ".xml") +
             "</loc></sitemap>\n";
    }
    out += "</sitemapindex>\n";
    response.body = std::move(out);
    return response;
  }
  if (part > parts || (part >= 1 && parts == 1)) return Status::NotFound("sitemap part");
  const int64_t offset = part == 0 ? 0 : (part - 1) * kSitemapUrls;
  store::ListFilter filter;
  filter.limit = kSitemapUrls;
  filter.offset = offset;
  filter.include_hidden = false;
  BAOGAO_ASSIGN_OR_RETURN(std::vector<report::Report> reports, store.List(filter));
  out += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  if (part <= 1) {
    out += "<url><loc>" + XmlEscape(options.base_url + "/") + "</loc></url>\n";
    for (report::ReportType t : {report::ReportType::kGovernmentWork,
                                 report::ReportType::kStatistical, report::ReportType::kPlan}) {
      out += "<url><loc>" +
             XmlEscape(options.base_url + "/" + std::string(report::ReportTypeSlug(t)) + "/") +
             "</loc></url>\n";
    }
  }
  int64_t latest = 0;
  for (const report::Report& r : reports) {
    latest = std::max(latest, r.updated_at);
    out += "<url><loc>" + XmlEscape(options.base_url + ReportPath(r.type, r.region, r.id)) +
           "</loc><lastmod>" + Rfc3339(r.updated_at).substr(0, 10) + "</lastmod></url>\n";
  }
  out += "</urlset>\n";
  response.body = std::move(out);
  response.last_modified = latest;
  return response;
}

Response Site::Impl::Robots() {
  Response r;
  r.content_type = "text/plain; charset=utf-8";
  // Search result pages are endless combinations of queries and facets:
  // crawlers get the reports through the listings and the sitemap instead.
  r.body = "User-agent: *\nDisallow: /search\nAllow: /\n\nSitemap: " + options.base_url +
           "/sitemap.xml\n";
  return r;
}

}  // namespace baogao::web
