// Rendering helpers shared by the pages and feeds: the layout, error pages,
// redirects, URL and date formatting, and escaping for XML.
#include <ctime>

#include "text/text.h"
#include "web/internal/site_impl.h"

namespace baogao::web {

std::string ReportPath(report::ReportType type, std::optional<report::RegionCode> region,
                       report::ReportId id) {
  return "/" + std::string(report::ReportTypeSlug(type)) + "/" +
         std::string(region::MacroRegionSlug(MacroOf(region))) + "/" + std::to_string(id.value()) +
         ".html";
}

region::RegionCode ToRegionCode(report::RegionCode code) {
  if (code.is_national()) return region::RegionCode::kNational;
  return region::RegionCode::FromInt(code.value()).value_or(region::RegionCode::kNational);
}

region::MacroRegion MacroOf(std::optional<report::RegionCode> region) {
  if (!region) return region::MacroRegion::kQuanguo;
  return region::MacroRegionOf(ToRegionCode(*region));
}

std::string CleanUtf8(std::string_view in) {
  std::string valid = text::ToValidUtf8(in);
  std::string out;
  out.reserve(valid.size());
  for (char c : valid) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) continue;
    out.push_back(c);
  }
  return out;
}

std::string XmlEscape(std::string_view in) {
  std::string clean = CleanUtf8(in);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {
std::tm Utc(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string Rfc3339(int64_t unix_seconds) {
  const std::tm tm = Utc(unix_seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Rfc822(int64_t unix_seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::tm tm = Utc(unix_seconds);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

bool IsHttpUrl(std::string_view url) {
  auto lower_prefix = [&](std::string_view p) {
    if (url.size() <= p.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      char c = url[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != p[i]) return false;
    }
    return true;
  };
  if (!lower_prefix("http://") && !lower_prefix("https://")) return false;
  // No whitespace or control characters that could end the attribute early
  // in a sloppy consumer (mustache escapes quotes anyway).
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return text::IsValidUtf8(url);
}

bool IsDemo(const report::Report& r) {
  constexpr std::string_view kDemo = "演示数据";
  return r.title.find(kDemo) != std::string::npos ||
         r.source_site.find(kDemo) != std::string::npos ||
         r.source_url.find(kDemo) != std::string::npos;
}

std::string Site::Impl::Render(const std::string& page_template, Data& data) {
  const std::string* page = &templates.at(page_template);
  data.set("content", kainjow::mustache::partial([page] { return *page; }));
  for (const auto& [name, text] : templates) {
    if (name.empty() || name[0] != '_') continue;
    const std::string* t = &text;
    data.set(name, kainjow::mustache::partial([t] { return *t; }));
  }
  kainjow::mustache::mustache layout(templates.at("layout"));
  std::string out = layout.render(data);
  if (!layout.is_valid()) {
    throw std::runtime_error("template " + page_template + ": " + layout.error_message());
  }
  return out;
}

void Site::Impl::SetCommon(Data& data, const std::string& title, const std::string& canonical_path,
                           const std::string& description) {
  data.set("site_name", options.site_name);
  data.set("css_url", css_url);
  if (!icon_url.empty()) data.set("icon_url", icon_url);
  data.set("title", CleanUtf8(title));
  data.set("canonical", options.base_url + canonical_path);
  data.set("description", CleanUtf8(description));
  data.set("og_type", "website");
  data.set("takedown_url", options.takedown_url);
  Data nav{Data::type::list};
  for (report::ReportType t : {report::ReportType::kGovernmentWork,
                               report::ReportType::kStatistical, report::ReportType::kPlan}) {
    Data item;
    item.set("nav_href", "/" + std::string(report::ReportTypeSlug(t)) + "/");
    item.set("nav_name", std::string(report::ReportTypeName(t)));
    nav.push_back(item);
  }
  data.set("nav_types", nav);
}

Response Site::Impl::ErrorPage(int status, const std::string& heading, const std::string& message) {
  Data data;
  SetCommon(data, heading, "/", message);
  data.set("noindex", true);
  data.set("heading", heading);
  data.set("message", CleanUtf8(message));
  Response r;
  r.status = status;
  r.body = Render("error", data);
  r.cache_control = "no-store";
  return r;
}

Response Site::Impl::NotFound() {
  return ErrorPage(404, "页面不存在",
                   "您要找的页面不存在，可能已被移动或删除。可以从首页按类型、地区或年份浏览，"
                   "或者用上方的搜索框查找。");
}

Response Site::Impl::BadRequest(const std::string& message) {
  return ErrorPage(400, "请求参数有误", message);
}

Response Site::Impl::Redirect(const std::string& location) {
  Response r;
  r.status = 301;
  r.headers.emplace_back("Location", location);
  r.body = "<!DOCTYPE html><html lang=\"zh-CN\"><title>已移动</title><p>本页已移至 <a href=\"" +
           HtmlEscape(location) + "\">" + HtmlEscape(location) + "</a>。</p></html>\n";
  return r;
}

}  // namespace baogao::web
