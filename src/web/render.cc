// Rendering helpers shared by the pages and feeds: the layout, error pages,
// redirects, URL and date formatting, and escaping for XML.
#include <atomic>
#include <ctime>
#include <memory>

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

namespace {

bool IsDroppedControl(unsigned char u) {
  return (u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f;
}

// U+FFFE and U+FFFF (EF BF BE/BF) at valid[i].
bool IsNonCharacterAt(std::string_view valid, size_t i) {
  return static_cast<unsigned char>(valid[i]) == 0xEF && i + 2 < valid.size() &&
         static_cast<unsigned char>(valid[i + 1]) == 0xBF &&
         (static_cast<unsigned char>(valid[i + 2]) & 0xFE) == 0xBE;
}

// Whether valid UTF-8 `valid` holds nothing CleanUtf8 drops.
bool HasNothingToDrop(std::string_view valid) {
  for (size_t i = 0; i < valid.size(); ++i) {
    if (IsDroppedControl(static_cast<unsigned char>(valid[i])) || IsNonCharacterAt(valid, i)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsCleanUtf8(std::string_view in) { return HasNothingToDrop(in) && text::IsValidUtf8(in); }

bool AppendEscapedIfClean(std::string_view s, std::string_view apos, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  const size_t mark = out->size();
  size_t done = 0;
  size_t i = 0;
  while (i < n) {
    const unsigned char b = p[i];
    if (b >= 0x80) {
      // E1..EC and EE followed by two continuation bytes: always a valid
      // character, never U+FFFE/U+FFFF (most of CJK). Otherwise decode.
      if (((b >= 0xE1 && b <= 0xEC) || b == 0xEE) && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
          (p[i + 2] & 0xC0) == 0x80) {
        i += 3;
        continue;
      }
      size_t len = 1;
      const char32_t c = text::DecodeOne(s, i, &len);
      if (text::IsInvalidByteUnit(c) || c == 0xFFFE || c == 0xFFFF) {
        out->resize(mark);
        return false;
      }
      i += len;
      continue;
    }
    const std::string_view entity = HtmlEntity(static_cast<char>(b), apos);
    if (entity.empty()) {
      if (IsDroppedControl(b)) {
        out->resize(mark);
        return false;
      }
      ++i;
      continue;
    }
    out->append(s, done, i - done);
    out->append(entity);
    done = ++i;
  }
  out->append(s, done, n - done);
  return true;
}

std::string CleanUtf8(std::string_view in) {
  std::string valid = text::ToValidUtf8(in);
  if (HasNothingToDrop(valid)) return valid;  // nearly always
  std::string out;
  out.reserve(valid.size());
  for (size_t i = 0; i < valid.size(); ++i) {
    const char c = valid[i];
    if (IsDroppedControl(static_cast<unsigned char>(c))) continue;
    // U+FFFE and U+FFFF: not characters, and not allowed in XML 1.0 — one
    // of them would make a feed unreadable.
    if (IsNonCharacterAt(valid, i)) {
      i += 2;
      continue;
    }
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

namespace {

// Every `{{> name}}` of a known template replaced by its text, recursively
// (at most 8 levels; deeper, or an unknown name, stays as it is and renders
// empty, as mustache does).
std::string ExpandPartials(const std::string& text, const std::map<std::string, std::string>& all,
                           int depth) {
  if (depth > 8) return text;
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("{{>", pos);
    if (open == std::string::npos) break;
    const size_t close = text.find("}}", open);
    if (close == std::string::npos) break;
    std::string_view name = std::string_view(text).substr(open + 3, close - open - 3);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    auto it = all.find(std::string(name));
    out.append(text, pos, open - pos);
    if (it == all.end()) {
      out.append(text, open, close + 2 - open);
    } else {
      out += ExpandPartials(it->second, all, depth + 1);
    }
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

// Which Site a thread's parsed templates belong to (a Site may be destroyed
// and another one made at the same address).
std::atomic<uint64_t> next_site_serial{1};

}  // namespace

uint64_t NextSiteSerial() { return next_site_serial.fetch_add(1); }

std::string Site::Impl::Render(const std::string& page_template, Data& data) {
  // Each page is the layout with the page and its partials written in, parsed
  // once per thread (parsing cost more than rendering; kainjow's render() is
  // not const, so parsed templates are not shared between threads).
  struct Parsed {
    uint64_t serial = 0;
    std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>> pages;
  };
  thread_local Parsed parsed;
  if (parsed.serial != serial) {
    parsed.pages.clear();
    parsed.serial = serial;
  }
  auto& slot = parsed.pages[page_template];
  if (slot == nullptr) {
    std::map<std::string, std::string> with_content = templates;
    with_content["content"] = templates.at(page_template);
    slot = std::make_unique<kainjow::mustache::mustache>(
        ExpandPartials(templates.at("layout"), with_content, 0));
  }
  kainjow::mustache::mustache& page = *slot;
  if (!page.is_valid()) {
    throw std::runtime_error("template " + page_template + ": " + page.error_message());
  }
  return page.render(data);
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
  data["nav_types"] = std::move(nav);  // set() would copy it
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
