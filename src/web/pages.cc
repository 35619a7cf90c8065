// The HTML pages: home, listings, year and region pages, the report page,
// search and the takedown page. Text goes into templates as plain strings
// (mustache escapes it); the raw pieces, the report body and report lists
// (hits with their snippets), are escaped here, in BodyHtml and
// AppendHitHtml.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "base/log.h"
#include "web/internal/site_impl.h"

namespace baogao::web {
namespace {

using report::ReportType;

constexpr ReportType kMainTypes[] = {ReportType::kGovernmentWork, ReportType::kStatistical,
                                     ReportType::kPlan};

std::string TypeHref(ReportType t) { return "/" + std::string(report::ReportTypeSlug(t)) + "/"; }

std::string ListingHref(ReportType t, region::MacroRegion m) {
  return TypeHref(t) + std::string(region::MacroRegionSlug(m)) + "/";
}

std::string RegionHref(region::RegionCode code) {
  return code.IsNational() ? "/region/" : "/region/" + code.ToString() + "/";
}

std::string SearchHref(const std::string& q, bool newest) {
  std::string href = "/search?q=" + PercentEncode(q);
  if (newest) href += "&sort=newest";
  return href;
}

std::string When(int year, const std::optional<report::Date>& date) {
  if (date) {
    return std::to_string(date->year) + "年" + std::to_string(date->month) + "月" +
           std::to_string(date->day) + "日";
  }
  return std::to_string(year) + "年";
}

// Appends CleanUtf8(s), escaped as by AppendHtmlEscaped.
void AppendCleanEscaped(std::string_view s, std::string_view apos, std::string* out) {
  if (!AppendEscapedIfClean(s, apos, out)) AppendHtmlEscaped(CleanUtf8(s), apos, out);
}

constexpr std::string_view kTemplateApos = "&apos;";  // kainjow's html_escape
constexpr std::string_view kHtmlApos = "&#39;";       // HtmlEscape

// Appends the search snippet as HTML: every part escaped, matches in <mark>.
void AppendSnippetHtml(const search::Snippet& snippet, std::string* html) {
  if (snippet.paragraph < 0) *html += "<span class=\"snippet-where\">标题</span> ";
  for (const search::SnippetPart& part : snippet.parts) {
    if (part.match) *html += "<mark>";
    AppendCleanEscaped(part.text, kHtmlApos, html);
    if (part.match) *html += "</mark>";
  }
}

// The report body as HTML: headings (levels 1..4) as h2/h3/h4 with anchors,
// other paragraphs as p; every text escaped.
std::string BodyHtml(const std::vector<report::Paragraph>& body) {
  std::string html;
  for (size_t i = 0; i < body.size(); ++i) {
    const report::Paragraph& p = body[i];
    const std::string text = HtmlEscape(CleanUtf8(p.text));
    if (p.level >= 1 && p.level <= report::kMaxHeadingLevel) {
      const std::string tag = "h" + std::to_string(std::min(p.level + 1, 4));
      html += "<" + tag + " id=\"s" + std::to_string(i + 1) + "\">" + text + "</" + tag + ">\n";
    } else {
      html += "<p>" + text + "</p>\n";
    }
  }
  return html;
}

Data Crumb(const std::string& name, const std::string& href) {
  Data c;
  c.set("crumb_name", name);
  if (!href.empty()) c.set("crumb_href", href);
  return c;
}

Data StringList() { return Data{Data::type::list}; }

// kainjow's set() copies its argument, all the way down (a search page's
// hits were copied three times, a third of its rendering time); Put() and
// PutString() move it.
void Put(Data& object, const std::string& name, Data&& value) { object[name] = std::move(value); }
// Sets `name` to `text`, moved in. string_value() is kainjow's only access
// to a string, and const; the string itself is not.
void PutString(Data& object, const std::string& name, std::string&& text) {
  Data value{std::string()};
  const_cast<std::string&>(value.string_value()).swap(text);
  Put(object, name, std::move(value));
}

}  // namespace

// ---------------------------------------------------------------------------
// Shared pieces

std::vector<const region::Region*> Site::Impl::RegionChain(region::RegionCode code) {
  std::vector<const region::Region*> chain;
  for (int depth = 0; depth < 4 && !code.IsNational(); ++depth) {
    const region::Region* r = regions->Find(code);
    if (r == nullptr) break;
    chain.push_back(r);
    if (r->parent == code) break;
    code = r->parent;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

std::string Site::Impl::RegionName(std::optional<report::RegionCode> code) {
  if (!code) return "地区待定";
  if (code->is_national()) return "全国";
  std::string name;
  for (const region::Region* r : RegionChain(ToRegionCode(*code))) name += r->name;
  return name.empty() ? code->ToString() : name;
}

namespace {

// region_name(code) (Site::Impl::RegionName), remembered per thread for the
// Site `serial` (its region table does not change while it lives).
const std::string& CachedRegionName(uint64_t serial, const auto& region_name,
                                    std::optional<report::RegionCode> code) {
  struct Names {
    uint64_t serial = 0;
    std::unordered_map<int64_t, std::string> names;  // code (-1: none) → name
  };
  thread_local Names cache;
  if (cache.serial != serial) {
    cache.names.clear();
    cache.serial = serial;
  }
  auto [it, added] = cache.names.try_emplace(code ? code->value() : -1);
  if (added) it->second = region_name(code);
  return it->second;
}

// Appends one hit of a report list: the <li> that _report_list.mustache
// used to render from per-hit template data, byte for byte (building and
// rendering that data was a third of a search page's time). Every text is
// escaped as {{name}} would escape it; snippets as AppendSnippetHtml does.
void AppendHitHtml(const std::string& region_name, const search::Hit& hit, int64_t comments,
                   std::string* out) {
  *out += "  <li class=\"report-item\">\n    <a class=\"report-link\" href=\"";
  AppendHtmlEscaped(ReportPath(hit.type, hit.region, hit.id), kTemplateApos, out);
  *out += "\">";
  AppendCleanEscaped(hit.title, kTemplateApos, out);
  *out += "</a>";
  if (hit.title.find("演示数据") != std::string::npos) {
    *out += " <span class=\"badge badge-demo\">演示数据</span>";
  }
  *out += "\n    <div class=\"report-meta\"><span>";
  AppendHtmlEscaped(report::ReportTypeName(hit.type), kTemplateApos, out);
  *out += "</span> · <span>";
  AppendHtmlEscaped(region_name, kTemplateApos, out);
  *out += "</span> · <span>";
  AppendHtmlEscaped(When(hit.year, hit.date), kTemplateApos, out);
  *out += "</span>";
  if (hit.occurrences > 0)
    *out += " · <span>命中 " + std::to_string(hit.occurrences) + " 处</span>";
  if (comments > 0) *out += " · <span>评论 " + std::to_string(comments) + "</span>";
  *out += "</div>\n    ";
  for (size_t i = 0; i < hit.snippets.size(); ++i) {
    if (i > 0) *out += "\n    ";
    *out += "<p class=\"snippet\">";
    AppendSnippetHtml(hit.snippets[i], out);
    *out += "</p>";
  }
  *out += "\n  </li>\n";
}

// _report_list.mustache's `report_items`: the hits, with their approved
// comment counts from `comments` (by report id; none if null), for the Site
// `serial` whose RegionName is `region_name`.
std::string ReportItemsHtml(uint64_t serial, const auto& region_name,
                            const std::vector<search::Hit>& hits,
                            const std::map<int64_t, int64_t>* comments) {
  if (hits.empty()) return "\n";  // as mustache wrote an empty list
  std::string html;
  html.reserve(1500 * hits.size());
  for (const search::Hit& h : hits) {
    int64_t n = 0;
    if (comments != nullptr) {
      auto it = comments->find(h.id.value());
      if (it != comments->end()) n = it->second;
    }
    AppendHitHtml(CachedRegionName(serial, region_name, h.region), h, n, &html);
  }
  return html;
}

// Appends one facet of the search page (a <section>, after the facet
// list's opening when `out` is empty) with its values as links that add `field` + key to `q`,
// leaving out values whose filter the query already holds (`words`), at
// most 20; nothing if no value is left. Written here rather than by the
// template for the same reason as AppendHitHtml, byte for byte as
// {{facet_label}}, {{facet_href}}, {{value_label}} and {{value_count}} were.
void AppendFacetHtml(std::string_view label, std::string_view field,
                     const std::vector<search::FacetValue>& values,
                     const std::set<std::string>& words, const std::string& q, bool newest,
                     std::string* out) {
  const size_t mark = out->size();
  if (out->empty()) *out += "  <aside class=\"facets\" aria-label=\"筛选\">\n    <h2>筛选</h2>\n";
  *out += "    <section>\n      <h3>";
  AppendHtmlEscaped(label, kTemplateApos, out);
  *out += "</h3>\n      <ul>\n";
  int shown = 0;
  std::string filter;
  for (const search::FacetValue& v : values) {
    if (v.key.empty()) continue;
    filter.assign(field);
    filter += v.key;
    if (words.find(filter) != words.end()) continue;
    if (++shown > 20) break;
    *out += "        <li><a href=\"";
    AppendHtmlEscaped(SearchHref(q + " " + filter, newest), kTemplateApos, out);
    *out += "\" rel=\"nofollow\">";
    AppendCleanEscaped(v.label, kTemplateApos, out);
    *out += "</a> <span class=\"count\">";
    *out += std::to_string(v.count);
    *out += "</span></li>\n";
  }
  if (shown == 0) {
    out->resize(mark);
    return;
  }
  *out += "      </ul>\n    </section>\n";
}

}  // namespace

void Site::Impl::SetHits(const search::SearchResult& result, int64_t page,
                         const std::string& base_href, Data* data) {
  // Approved comments per report, shown in the list ("评论 N").
  std::map<int64_t, int64_t> counts;
  std::vector<report::ReportId> ids;
  for (const search::Hit& h : result.hits) ids.push_back(h.id);
  if (!ids.empty()) {
    auto c = store.ApprovedCommentCounts(ids);
    if (c.ok()) {
      for (const auto& [id, n] : *c) counts[id.value()] = n;
    } else {
      LOG(kWarning) << "site: comment counts: " << c.status().ToString();
    }
  }
  data->set("has_items", !result.hits.empty());
  data->set("report_items",
            ReportItemsHtml(
                serial, [this](auto code) { return RegionName(code); }, result.hits, &counts));
  Put(*data, "pagination", Pagination(page, result.total, base_href));
}

Data Site::Impl::Pagination(int64_t page, int64_t total, const std::string& base_href) {
  const int64_t size = options.page_size;
  const int64_t count =
      std::max<int64_t>(1, std::min<int64_t>((total + size - 1) / size, MaxPage(size)));
  Data p;
  p.set("has_pages", count > 1);
  if (count <= 1) return p;
  // The <nav> that _pagination.mustache used to render from per-page data,
  // byte for byte (its whitespace included), as for AppendHitHtml.
  std::string html;
  html.reserve(1024);
  auto href = [&](int64_t n) {
    if (n == 1) {
      AppendHtmlEscaped(base_href, kTemplateApos, &html);
      return;
    }
    AppendHtmlEscaped(base_href, kTemplateApos, &html);
    html += base_href.find('?') == std::string::npos ? "?" : "&amp;";
    html += "page=" + std::to_string(n);
  };
  html += "<nav class=\"pagination\" aria-label=\"分页\">\n  <ul>\n    ";
  if (page > 1) {
    html += "<li><a href=\"";
    href(std::min(page - 1, count));
    html += "\" rel=\"prev\">上一页</a></li>";
  }
  html += "\n";
  // 1, a gap, page-2 .. page+2, a gap, the last.
  int64_t last = 0;
  for (int64_t n = 1; n <= count; ++n) {
    if (n != 1 && n != count && (n < page - 2 || n > page + 2)) continue;
    if (last != 0 && n > last + 1)
      html += "      <li class=\"gap\" aria-hidden=\"true\">…</li>\n      \n";
    html += "      \n      ";
    if (n == page) {
      html +=
          "<li><span class=\"current\" aria-current=\"page\">" + std::to_string(n) + "</span></li>";
    } else {
      html += "<li><a href=\"";
      href(n);
      html += "\">" + std::to_string(n) + "</a></li>";
    }
    html += "\n";
    last = n;
  }
  html += "    ";
  if (page < count) {
    html += "<li><a href=\"";
    href(page + 1);
    html += "\" rel=\"next\">下一页</a></li>";
  }
  html += "\n  </ul>\n  <p class=\"page-info\">第 " + std::to_string(page) + " / " +
          std::to_string(count) + " 页，共 " + std::to_string(total) + " 份</p>\n</nav>";
  PutString(p, "html", std::move(html));
  return p;
}

// ---------------------------------------------------------------------------
// Home

Result<Response> Site::Impl::HomePage() {
  search::SearchRequest all;
  all.limit = 10;
  all.sort = search::SortOrder::kNewest;
  all.facets = true;
  all.max_snippets = 0;
  BAOGAO_ASSIGN_OR_RETURN(search::SearchResult everything, Search(all));

  Data data;
  SetCommon(data, options.site_name + "：地方政府工作报告、统计公报与规划", "/",
            "各级地方政府工作报告、统计公报与发展规划的存档与全文检索，按类型、地区、年份浏览。");
  data.set("total", std::to_string(everything.total));

  std::map<std::string, int64_t> by_type;
  for (const auto& v : everything.facets["type"]) by_type[v.key] = v.count;
  Data type_counts = StringList();
  Data menu = StringList();
  for (ReportType t : kMainTypes) {
    const std::string slug(report::ReportTypeSlug(t));
    Data tc;
    tc.set("tc_name", std::string(report::ReportTypeName(t)));
    tc.set("tc_count", std::to_string(by_type[slug]));
    type_counts.push_back(tc);

    search::SearchRequest per_type;
    per_type.query = "type:" + slug;
    per_type.limit = 0;
    per_type.facets = true;
    per_type.max_snippets = 0;
    BAOGAO_ASSIGN_OR_RETURN(search::SearchResult r, Search(per_type));
    std::map<std::string, int64_t> by_macro;
    for (const auto& v : r.facets["macro_region"]) by_macro[v.key] = v.count;
    Data m;
    m.set("menu_name", std::string(report::ReportTypeName(t)));
    m.set("menu_href", TypeHref(t));
    m.set("menu_count", std::to_string(r.total));
    Data macros = StringList();
    for (region::MacroRegion macro : region::AllMacroRegions()) {
      Data item;
      item.set("macro_name", std::string(region::MacroRegionName(macro)));
      item.set("macro_href", ListingHref(t, macro));
      item.set("macro_count",
               std::to_string(by_macro[std::string(region::MacroRegionSlug(macro))]));
      macros.push_back(item);
    }
    m.set("macros", macros);
    menu.push_back(m);
  }
  data.set("type_counts", type_counts);
  data.set("menu", menu);

  std::map<std::string, int64_t> by_macro, by_province;
  for (const auto& v : everything.facets["macro_region"]) by_macro[v.key] = v.count;
  for (const auto& v : everything.facets["province"]) by_province[v.key] = v.count;
  Data groups = StringList();
  for (region::MacroRegion macro : region::AllMacroRegions()) {
    if (macro == region::MacroRegion::kQuanguo) continue;
    Data g;
    g.set("group_name", std::string(region::MacroRegionName(macro)));
    g.set("group_href",
          "/search?q=" + PercentEncode("region:" + std::string(region::MacroRegionSlug(macro))) +
              "&sort=newest");
    g.set("group_count", std::to_string(by_macro[std::string(region::MacroRegionSlug(macro))]));
    Data provinces = StringList();
    for (const region::Region* p : regions->ProvincesOf(macro)) {
      Data item;
      item.set("prov_name", p->name);
      item.set("prov_href", RegionHref(p->code));
      if (auto it = by_province.find(p->code.ToString()); it != by_province.end()) {
        item.set("prov_count", std::to_string(it->second));
      }
      provinces.push_back(item);
    }
    g.set("provinces", provinces);
    groups.push_back(g);
  }
  data.set("province_groups", groups);

  Data years = StringList();
  for (const auto& v : everything.facets["year"]) {
    Data y;
    y.set("year", v.key);
    y.set("year_href", "/year/" + v.key + "/");
    y.set("year_count", std::to_string(v.count));
    years.push_back(y);
  }
  data.set("has_years", !everything.facets["year"].empty());
  data.set("years", years);

  data.set("report_items",
           ReportItemsHtml(
               serial, [this](auto code) { return RegionName(code); }, everything.hits, nullptr));
  data.set("feed_rss", "/rss.xml");
  data.set("feed_atom", "/atom.xml");
  data.set("feed_title", "最新报告");

  Response r;
  r.body = Render("home", data);
  return r;
}

// ---------------------------------------------------------------------------
// Listings

Result<Response> Site::Impl::ListingPage(ReportType type, std::optional<region::MacroRegion> macro,
                                         const PageParams& params) {
  const std::string slug(report::ReportTypeSlug(type));
  search::SearchRequest req;
  req.query = "type:" + slug;
  if (macro) req.query += " region:" + std::string(region::MacroRegionSlug(*macro));
  req.sort = search::SortOrder::kNewest;
  req.offset = (params.page - 1) * options.page_size;
  req.limit = options.page_size;
  req.max_snippets = 0;
  BAOGAO_ASSIGN_OR_RETURN(search::SearchResult result, Search(req));
  if (params.page > 1 && req.offset >= result.total) return Status::NotFound("page");

  const std::string type_name(report::ReportTypeName(type));
  const std::string base = macro ? ListingHref(type, *macro) : TypeHref(type);
  const std::string heading =
      macro ? std::string(region::MacroRegionName(*macro)) + " · " + type_name : type_name;
  Data data;
  SetCommon(data,
            params.page > 1 ? heading + "（第 " + std::to_string(params.page) + " 页）" : heading,
            params.page > 1 ? base + "?page=" + std::to_string(params.page) : base,
            heading + "：共 " + std::to_string(result.total) + " 份，按时间由新到旧排列。");
  data.set("heading", heading);
  data.set("total", std::to_string(result.total));
  Data crumbs = StringList();
  crumbs.push_back(Crumb("首页", "/"));
  crumbs.push_back(Crumb(type_name, macro ? TypeHref(type) : ""));
  if (macro) crumbs.push_back(Crumb(std::string(region::MacroRegionName(*macro)), ""));
  data.set("crumbs", crumbs);
  data.set("has_subnav", true);
  data.set("subnav_label", "按大区");
  Data subnav = StringList();
  for (region::MacroRegion m : region::AllMacroRegions()) {
    Data s;
    s.set("sub_name", std::string(region::MacroRegionName(m)));
    s.set("sub_href", ListingHref(type, m));
    s.set("sub_current", macro == m);
    subnav.push_back(s);
  }
  data.set("subnav", subnav);
  SetHits(result, params.page, base, &data);
  if (!macro) {
    data.set("feed_rss", TypeHref(type) + "rss.xml");
    data.set("feed_atom", TypeHref(type) + "atom.xml");
    data.set("feed_title", type_name);
  }
  Response r;
  r.body = Render("listing", data);
  return r;
}

Result<Response> Site::Impl::YearPage(int year, const PageParams& params) {
  search::SearchRequest req;
  req.query = "year:" + std::to_string(year);
  req.sort = search::SortOrder::kNewest;
  req.offset = (params.page - 1) * options.page_size;
  req.limit = options.page_size;
  req.max_snippets = 0;
  BAOGAO_ASSIGN_OR_RETURN(search::SearchResult result, Search(req));
  if (params.page > 1 && req.offset >= result.total) return Status::NotFound("page");
  const std::string base = "/year/" + std::to_string(year) + "/";
  const std::string heading = std::to_string(year) + "年的报告";
  Data data;
  SetCommon(data, heading, params.page > 1 ? base + "?page=" + std::to_string(params.page) : base,
            heading + "：共 " + std::to_string(result.total) + " 份。");
  data.set("heading", heading);
  data.set("total", std::to_string(result.total));
  Data crumbs = StringList();
  crumbs.push_back(Crumb("首页", "/"));
  crumbs.push_back(Crumb(std::to_string(year) + "年", ""));
  data.set("crumbs", crumbs);
  data.set("has_subnav", true);
  data.set("subnav_label", "相邻年份");
  Data subnav = StringList();
  for (int y : {year - 1, year + 1}) {
    if (y < search::kMinYear || y > search::kMaxYear) continue;
    Data s;
    s.set("sub_name", (y < year ? "上一年：" : "下一年：") + std::to_string(y) + "年");
    s.set("sub_href", "/year/" + std::to_string(y) + "/");
    s.set("sub_current", false);
    subnav.push_back(s);
  }
  data.set("subnav", subnav);
  SetHits(result, params.page, base, &data);
  Response r;
  r.body = Render("listing", data);
  return r;
}

// ---------------------------------------------------------------------------
// Region tree

Result<Response> Site::Impl::RegionPage(region::RegionCode code) {
  const region::Region* region = regions->Find(code);
  if (region == nullptr && !code.IsNational()) return Status::NotFound("region");
  const bool national = code.IsNational();
  const std::string name = national ? "全国" : region->name;

  Data data;
  const std::string path = RegionHref(code);
  SetCommon(data, national ? "按地区浏览" : name, path,
            name + "的政府工作报告、统计公报与规划，按年份和类型排列。");
  data.set("heading", national ? "按地区浏览" : name);
  data.set("code", national ? std::string("100000") : code.ToString());
  if (!national) {
    static constexpr const char* kLevels[] = {"国家", "省级", "地级", "县级"};
    data.set("level_name", kLevels[static_cast<int>(region->level)]);
  }
  Data crumbs = StringList();
  crumbs.push_back(Crumb("首页", "/"));
  if (national) {
    crumbs.push_back(Crumb("按地区浏览", ""));
  } else {
    crumbs.push_back(Crumb("按地区浏览", "/region/"));
    crumbs.push_back(Crumb(std::string(region::MacroRegionName(region::MacroRegionOf(code))), ""));
    for (const region::Region* r : RegionChain(code)) {
      crumbs.push_back(Crumb(r->name, r->code == code ? "" : RegionHref(r->code)));
    }
  }
  data.set("crumbs", crumbs);

  // The lineage (GB/T 2260 history, when loaded): the names this code had,
  // and the codes it replaced or was replaced by, so that a reader (or a
  // researcher building a panel) can follow 陵县 (371421) to 陵城区 (371403).
  if (!national) {
    if (!region->current) data.set("abolished", true);
    if (region->names.size() > 1) {
      Data names = StringList();
      for (const region::NameSpan& n : region->names) {
        Data item;
        item.set("span_name", n.name);
        std::string years;
        if (n.from_year) years += std::to_string(*n.from_year);
        years += "–";
        if (n.to_year) years += std::to_string(*n.to_year);
        item.set("span_years", years);
        names.push_back(item);
      }
      data.set("names", names);
      data.set("has_names", true);
    }
    auto links = [&](const std::vector<region::RegionCode>& codes) {
      Data list = StringList();
      for (region::RegionCode c : codes) {
        const region::Region* r = regions->Find(c);
        Data item;
        item.set("link_name", r != nullptr ? r->name : c.ToString());
        item.set("link_code", c.ToString());
        item.set("link_href", RegionHref(c));
        list.push_back(item);
      }
      return list;
    };
    if (!region->successors.empty()) {
      data.set("successors", links(region->successors));
      data.set("has_successors", true);
    }
    if (!region->predecessors.empty()) {
      data.set("predecessors", links(region->predecessors));
      data.set("has_predecessors", true);
    }
  }

  // Everything under this region, with counts per province for the country.
  search::SearchRequest all;
  all.query = national ? "" : "region:" + code.ToString();
  all.limit = 0;
  all.facets = national;
  BAOGAO_ASSIGN_OR_RETURN(search::SearchResult under, Search(all));
  data.set("all_count", std::to_string(under.total));
  data.set("search_href", SearchHref(all.query, true));
  std::map<std::string, int64_t> by_province;
  for (const auto& v : under.facets["province"]) by_province[v.key] = v.count;

  Data children = StringList();
  const auto kids = regions->Children(code);
  for (const region::Region* child : kids) {
    int64_t count = 0;
    if (national) {
      count = by_province[child->code.ToString()];
    } else {
      search::SearchRequest req;
      req.query = "region:" + child->code.ToString();
      req.limit = 0;
      BAOGAO_ASSIGN_OR_RETURN(search::SearchResult r, Search(req));
      count = r.total;
    }
    Data c;
    c.set("child_name", child->name);
    c.set("child_href", RegionHref(child->code));
    c.set("child_count", std::to_string(count));
    children.push_back(c);
  }
  data.set("has_children", !kids.empty());
  data.set("children_label", national                                    ? "省级行政区"
                             : region->level == region::Level::kProvince ? "下辖地市与县区"
                                                                         : "下辖县区");
  data.set("children", children);

  // The region's own reports, newest year first, grouped by year.
  store::ListFilter filter;
  filter.region =
      *report::RegionCode::FromInt(national ? report::RegionCode::kNational : code.value());
  filter.limit = 1000;
  filter.include_hidden = false;
  BAOGAO_ASSIGN_OR_RETURN(std::vector<report::Report> own, store.List(filter));
  data.set("own_count", std::to_string(own.size()));
  Data years = StringList();
  for (size_t i = 0; i < own.size();) {
    const int year = own[i].year;
    Data group;
    group.set("year", std::to_string(year));
    Data items = StringList();
    for (; i < own.size() && own[i].year == year; ++i) {
      const report::Report& rep = own[i];
      Data item;
      item.set("href", ReportPath(rep.type, rep.region, rep.id));
      item.set("item_title", CleanUtf8(rep.title));
      item.set("type_name", std::string(report::ReportTypeName(rep.type)));
      item.set("demo", IsDemo(rep));
      items.push_back(item);
    }
    group.set("year_items", items);
    years.push_back(group);
  }
  data.set("has_years", !own.empty());
  data.set("years", years);
  if (!national) {
    data.set("feed_rss", path + "rss.xml");
    data.set("feed_atom", path + "atom.xml");
    data.set("feed_title", name);
  }
  Response r;
  r.body = Render("region", data);
  return r;
}

// ---------------------------------------------------------------------------
// The report page

Result<Response> Site::Impl::ReportPage(report::ReportId id, const std::string& path,
                                        int64_t cpage) {
  report::Report rep;
  int64_t stored_views = 0;
  BAOGAO_RETURN_IF_ERROR(store.RunInReadTransaction([&](store::Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(rep, txn.Get(id));
    BAOGAO_ASSIGN_OR_RETURN(stored_views, txn.Views(id));
    return Status::Ok();
  }));
  if (rep.hidden) {
    return ErrorPage(410, "文件已下架", "这份文件已被本站下架（例如应权利人或发布机关的要求）。");
  }
  const std::string canonical = ReportPath(rep.type, rep.region, rep.id);
  if (path != canonical) return Redirect(canonical);

  const std::string title = CleanUtf8(rep.title);
  const std::string type_name(report::ReportTypeName(rep.type));
  const region::MacroRegion macro = MacroOf(rep.region);
  std::string description =
      type_name + " · " + RegionName(rep.region) + " · " + std::to_string(rep.year) + "年";
  for (const report::Paragraph& p : rep.body) {
    if (p.level == report::kBodyText && !p.text.empty()) {
      std::string clean = CleanUtf8(p.text);
      // About 100 characters, cut at a character boundary.
      size_t cut = 0, chars = 0;
      while (cut < clean.size() && chars < 100) {
        const auto c = static_cast<unsigned char>(clean[cut]);
        cut += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        ++chars;
      }
      description += "。" + clean.substr(0, std::min(cut, clean.size()));
      break;
    }
  }

  Data data;
  SetCommon(data, title, canonical, description);
  data.set("og_type", "article");
  data.set("report_title", title);
  data.set("type_name", type_name);
  data.set("type_href", TypeHref(rep.type));
  data.set("region_name", RegionName(rep.region));
  data.set("when", When(rep.year, rep.date));
  if (rep.date) data.set("date_iso", rep.date->ToString());
  // Filled per response from the live count (Personalize), so that cached
  // pages need not be dropped when counts change.
  ViewTotal(id, stored_views);
  data.set("views", std::string(kViewsSlot));
  data.set("demo", IsDemo(rep));
  data.set("original", rep.original);

  Data crumbs = StringList();
  crumbs.push_back(
      Crumb(std::string(region::MacroRegionName(macro)), ListingHref(rep.type, macro)));
  std::optional<region::RegionCode> code;
  if (rep.region && !rep.region->is_national()) code = ToRegionCode(*rep.region);
  if (code) {
    for (const region::Region* r : RegionChain(*code)) {
      crumbs.push_back(Crumb(r->name, RegionHref(r->code)));
    }
  } else if (!rep.region) {
    crumbs.push_back(Crumb("地区待定", ""));
  }
  data.set("crumbs", crumbs);

  // Source and completeness.
  std::string source_label = CleanUtf8(rep.source_site);
  if (IsHttpUrl(rep.source_url)) {
    data.set("source_href", rep.source_url);
    if (source_label.empty()) source_label = CleanUtf8(rep.source_url);
  }
  if (source_label.empty()) source_label = rep.original ? "本站整理" : "未注明";
  data.set("source_label", source_label);
  switch (rep.completeness) {
    case report::Completeness::kFull:
      data.set("completeness", "full");
      data.set("completeness_label", "全文");
      break;
    case report::Completeness::kPartial:
      data.set("completeness", "partial");
      data.set("completeness_label", "节选，非全文");
      data.set("partial", true);
      break;
    case report::Completeness::kUnknown:
      data.set("completeness", "unknown");
      data.set("completeness_label", "完整性未核实");
      data.set("unknown", true);
      break;
  }

  // Table of contents and body.
  Data toc = StringList();
  bool has_toc = false;
  for (size_t i = 0; i < rep.body.size(); ++i) {
    const report::Paragraph& p = rep.body[i];
    if (p.level < 1 || p.level > report::kMaxHeadingLevel) continue;
    Data item;
    item.set("anchor", "s" + std::to_string(i + 1));
    item.set("toc_text", CleanUtf8(p.text));
    item.set("toc_level", std::to_string(p.level));
    toc.push_back(item);
    has_toc = true;
  }
  data.set("has_toc", has_toc);
  data.set("toc", toc);
  data.set("body_html", BodyHtml(rep.body));
  data.set("permalink", options.base_url + canonical);
  data.set("notice", options.notice);

  // Other years of the same region and type; same-year sibling regions.
  bool has_years_nav = false;
  if (rep.region) {
    store::ListFilter f;
    f.region = rep.region;
    f.type = rep.type;
    f.limit = 1000;
    f.include_hidden = false;
    BAOGAO_ASSIGN_OR_RETURN(std::vector<report::Report> same, store.List(f));
    const report::Report* prev = nullptr;
    const report::Report* next = nullptr;
    for (const report::Report& o : same) {
      if (o.year < rep.year && (prev == nullptr || o.year > prev->year)) prev = &o;
      if (o.year > rep.year && (next == nullptr || o.year < next->year)) next = &o;
    }
    if (prev != nullptr) {
      Data d;
      d.set("prev_href", ReportPath(prev->type, prev->region, prev->id));
      d.set("prev_title", std::to_string(prev->year) + "年 " + CleanUtf8(prev->title));
      data.set("prev", d);
    }
    if (next != nullptr) {
      Data d;
      d.set("next_href", ReportPath(next->type, next->region, next->id));
      d.set("next_title", std::to_string(next->year) + "年 " + CleanUtf8(next->title));
      data.set("next", d);
    }
    has_years_nav = prev != nullptr || next != nullptr;
  }
  data.set("has_years_nav", has_years_nav);
  data.set("region_short", RegionName(rep.region));

  Data siblings = StringList();
  bool has_siblings = false;
  if (code) {
    const region::Region* self = regions->Find(*code);
    search::SearchRequest req;
    req.query = "type:" + std::string(report::ReportTypeSlug(rep.type)) +
                " year:" + std::to_string(rep.year);
    const region::RegionCode parent =
        self != nullptr ? self->parent : region::RegionCode::kNational;
    req.query += parent.IsNational() ? " level:province" : " region:" + parent.ToString();
    req.limit = 200;
    req.sort = search::SortOrder::kNewest;
    req.max_snippets = 0;
    BAOGAO_ASSIGN_OR_RETURN(search::SearchResult result, Search(req));
    std::set<int> seen;
    for (const search::Hit& h : result.hits) {
      if (!h.region || h.id == rep.id || *h.region == *rep.region) continue;
      const region::RegionCode hc = ToRegionCode(*h.region);
      const region::Region* other = regions->Find(hc);
      if (other == nullptr || other->parent != parent || !seen.insert(hc.value()).second) continue;
      Data s;
      s.set("sib_href", ReportPath(h.type, h.region, h.id));
      s.set("sib_name", other->name);
      siblings.push_back(s);
      has_siblings = true;
    }
  }
  data.set("has_siblings", has_siblings);
  data.set("siblings", siblings);

  BAOGAO_RETURN_IF_ERROR(SetComments(rep.id, canonical, cpage, data));

  Response r;
  r.body = Render("report", data);
  r.last_modified = rep.updated_at;
  r.personal = true;  // the comment form's placeholders are filled per request
  return r;
}

// ---------------------------------------------------------------------------
// Search

Result<Response> Site::Impl::SearchPage(const PageParams& params) {
  Data data;
  const bool has_query = !params.q.empty();
  const std::string canonical =
      has_query ? "/search?q=" + PercentEncode(params.q) : std::string("/search");
  SetCommon(data, has_query ? params.q + " - 搜索" : "搜索", canonical,
            "在全部报告的全文中搜索，支持短语、排除、地区、年份与类型筛选。");
  data.set("noindex", has_query);
  data.set("query", params.q);
  data.set("heading", has_query ? "搜索结果" : "搜索报告");
  data.set("sort_newest", params.sort_newest);
  data.set("has_query", has_query);
  if (!has_query) {
    Response r;
    r.body = Render("search", data);
    return r;
  }

  search::SearchRequest req;
  req.query = params.q;
  req.offset = (params.page - 1) * options.page_size;
  req.limit = options.page_size;
  req.sort = params.sort_newest ? search::SortOrder::kNewest : search::SortOrder::kRelevance;
  req.facets = true;
  req.max_snippets = 3;
  req.snippet_chars = 80;
  Result<search::SearchResult> found = Search(req);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kInvalidArgument) return found.status();
    Data err;
    SetCommon(err, "查询有误", canonical, found.status().message());
    err.set("noindex", true);
    err.set("heading", "查询有误");
    err.set("message", CleanUtf8(found.status().message()));
    err.set("show_query", true);
    err.set("query", params.q);
    Response r;
    r.status = 400;
    r.body = Render("error", err);
    r.cache_control = "no-store";
    return r;
  }
  const search::SearchResult& result = *found;
  data.set("normalized", CleanUtf8(result.normalized_query));
  data.set("total", std::to_string(result.total));
  data.set("relevance_href", SearchHref(params.q, false));
  data.set("newest_href", SearchHref(params.q, true));

  // Facets: links that add a filter to the query.
  static constexpr std::pair<const char*, const char*> kFacets[] = {{"type", "类型"},
                                                                    {"macro_region", "大区"},
                                                                    {"province", "省份"},
                                                                    {"level", "级别"},
                                                                    {"year", "年份"}};
  std::set<std::string> words;
  {
    size_t start = 0;
    while (start < params.q.size()) {
      size_t end = params.q.find(' ', start);
      if (end == std::string::npos) end = params.q.size();
      words.insert(params.q.substr(start, end - start));
      start = end + 1;
    }
  }
  std::string facets_html;
  for (const auto& [name, label] : kFacets) {
    auto it = result.facets.find(name);
    if (it == result.facets.end() || it->second.empty()) continue;
    const std::string_view field = std::string_view(name) == "type"    ? "type:"
                                   : std::string_view(name) == "level" ? "level:"
                                   : std::string_view(name) == "year"  ? "year:"
                                                                       : "region:";
    AppendFacetHtml(label, field, it->second, words, params.q, params.sort_newest, &facets_html);
  }
  data.set("has_facets", !facets_html.empty());
  if (!facets_html.empty()) {
    facets_html += "  </aside>";  // the template's line ends it
    PutString(data, "facets_html", std::move(facets_html));
  }

  data.set("has_items", !result.hits.empty());
  PutString(data, "report_items",
            ReportItemsHtml(
                serial, [this](auto code) { return RegionName(code); }, result.hits, nullptr));
  if (result.hits.empty() && params.page > 1) {
    data.set("page_beyond", true);
    data.set("first_page_href", SearchHref(params.q, params.sort_newest));
  }
  Put(data, "pagination",
      Pagination(params.page, result.total, SearchHref(params.q, params.sort_newest)));
  Response r;
  r.body = Render("search", data);
  return r;
}

Response Site::Impl::TakedownPage() {
  Data data;
  SetCommon(data, "纠错与删除请求", "/takedown", "如何向本站提出纠错、更正或删除请求。");
  if (!options.contact_email.empty()) {
    data.set("contact_email", options.contact_email);
    data.set("mailto", "mailto:" + options.contact_email);
  }
  Response r;
  r.body = Render("takedown", data);
  return r;
}

}  // namespace baogao::web
