#include "report/report.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/sha256.h"

namespace baogao::report {
namespace {

class RealClock : public Clock {
 public:
  int64_t NowUnixSeconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

bool IsValidDate(const Date& d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= DaysInMonth(d.year, d.month);
}

// Parses exactly `n` ASCII digits.
bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::string Quote(std::string_view s) {
  // For error messages: the text as given, cut to a sane length.
  std::string out = "'";
  out.append(s.substr(0, 64));
  if (s.size() > 64) out += "...";
  out += "'";
  return out;
}

}  // namespace

const Clock& SystemClock() {
  static const RealClock* clock = new RealClock();
  return *clock;
}

// RegionCode

Result<RegionCode> RegionCode::FromInt(int64_t value) {
  if (value < 100000 || value > 999999) {
    return Status::InvalidArgument("region code " + std::to_string(value) +
                                   " is not six digits (GB/T 2260)");
  }
  return RegionCode(static_cast<int32_t>(value));
}

Result<RegionCode> RegionCode::Parse(std::string_view text) {
  int v = 0;
  if (text.size() != 6 || !ParseDigits(text, &v)) {
    return Status::InvalidArgument("region code " + Quote(text) + " is not six digits (GB/T 2260)");
  }
  return FromInt(v);
}

std::string RegionCode::ToString() const { return std::to_string(value_); }

// Enums

std::string_view ReportTypeName(ReportType type) {
  switch (type) {
    case ReportType::kGovernmentWork:
      return "政府工作报告";
    case ReportType::kStatistical:
      return "统计公报";
    case ReportType::kPlan:
      return "规划";
    case ReportType::kOther:
      return "其他";
  }
  return "其他";
}

std::string_view ReportTypeSlug(ReportType type) {
  switch (type) {
    case ReportType::kGovernmentWork:
      return "baogao";
    case ReportType::kStatistical:
      return "gongbao";
    case ReportType::kPlan:
      return "guihua";
    case ReportType::kOther:
      return "other";
  }
  return "other";
}

Result<ReportType> ReportTypeFromSlug(std::string_view slug) {
  for (ReportType t : {ReportType::kGovernmentWork, ReportType::kStatistical, ReportType::kPlan,
                       ReportType::kOther}) {
    if (ReportTypeSlug(t) == slug) return t;
  }
  return Status::InvalidArgument("unknown report type " + Quote(slug) +
                                 " (expected baogao, gongbao, guihua or other)");
}

std::string_view AdminLevelSlug(AdminLevel level) {
  switch (level) {
    case AdminLevel::kNational:
      return "national";
    case AdminLevel::kProvince:
      return "province";
    case AdminLevel::kPrefecture:
      return "prefecture";
    case AdminLevel::kCounty:
      return "county";
    case AdminLevel::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view AdminLevelName(AdminLevel level) {
  switch (level) {
    case AdminLevel::kNational:
      return "国家";
    case AdminLevel::kProvince:
      return "省级";
    case AdminLevel::kPrefecture:
      return "地级";
    case AdminLevel::kCounty:
      return "县级";
    case AdminLevel::kUnknown:
      return "未知";
  }
  return "未知";
}

Result<AdminLevel> AdminLevelFromSlug(std::string_view slug) {
  for (AdminLevel l : {AdminLevel::kNational, AdminLevel::kProvince, AdminLevel::kPrefecture,
                       AdminLevel::kCounty, AdminLevel::kUnknown}) {
    if (AdminLevelSlug(l) == slug) return l;
  }
  return Status::InvalidArgument("unknown administrative level " + Quote(slug));
}

std::string_view CompletenessSlug(Completeness c) {
  switch (c) {
    case Completeness::kFull:
      return "full";
    case Completeness::kPartial:
      return "partial";
    case Completeness::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Result<Completeness> CompletenessFromSlug(std::string_view slug) {
  for (Completeness c : {Completeness::kFull, Completeness::kPartial, Completeness::kUnknown}) {
    if (CompletenessSlug(c) == slug) return c;
  }
  return Status::InvalidArgument("unknown completeness " + Quote(slug));
}

// Date

std::string Date::ToString() const {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, day);
  return buf;
}

Result<Date> Date::Parse(std::string_view text) {
  Date d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseDigits(text.substr(0, 4), &d.year) || !ParseDigits(text.substr(5, 2), &d.month) ||
      !ParseDigits(text.substr(8, 2), &d.day) || !IsValidDate(d)) {
    return Status::InvalidArgument("date " + Quote(text) + " is not a valid YYYY-MM-DD");
  }
  return d;
}

// Body

std::string CanonicalBody(const std::vector<Paragraph>& body) {
  std::string out = "baogao-body-v1\n";
  for (const Paragraph& p : body) {
    out += std::to_string(p.level);
    out += ' ';
    out += std::to_string(p.text.size());
    out += '\n';
    out += p.text;
    out += '\n';
  }
  return out;
}

std::string ContentHash(const std::vector<Paragraph>& body) {
  return Sha256Hex(CanonicalBody(body));
}

Status Validate(const Report& r) {
  if (r.title.empty()) return Status::InvalidArgument("report has no title");
  if (r.year < 1900 || r.year > 2100) {
    return Status::InvalidArgument("report year " + std::to_string(r.year) +
                                   " is outside 1900..2100");
  }
  if (r.date && !IsValidDate(*r.date)) {
    return Status::InvalidArgument("report date " + r.date->ToString() + " is not a valid date");
  }
  for (size_t i = 0; i < r.body.size(); ++i) {
    const int level = r.body[i].level;
    if (level < kBodyText || level > kMaxHeadingLevel) {
      return Status::InvalidArgument("paragraph " + std::to_string(i) + " has heading level " +
                                     std::to_string(level) + " (expected 0..4)");
    }
  }
  for (size_t i = 0; i < r.alternate_sources.size(); ++i) {
    if (r.alternate_sources[i].url.empty()) {
      return Status::InvalidArgument("alternate source " + std::to_string(i) + " has no URL");
    }
  }
  return Status::Ok();
}

// JSON

std::string ToJson(const Report& r, const JsonOptions& options) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  j["id"] = r.id.value();
  j["type"] = ReportTypeSlug(r.type);
  j["type_name"] = ReportTypeName(r.type);
  j["region_code"] = r.region ? json(r.region->ToString()) : json(nullptr);
  j["level"] = AdminLevelSlug(r.level);
  j["title"] = r.title;
  j["year"] = r.year;
  j["date"] = r.date ? json(r.date->ToString()) : json(nullptr);
  j["source_url"] = r.source_url;
  j["source_site"] = r.source_site;
  j["original"] = r.original;
  j["completeness"] = CompletenessSlug(r.completeness);
  j["content_hash"] = r.content_hash;
  j["created_at"] = r.created_at;
  j["updated_at"] = r.updated_at;
  j["hidden"] = r.hidden;
  json body = json::array();
  for (const Paragraph& p : r.body) body.push_back({{"level", p.level}, {"text", p.text}});
  j["body"] = std::move(body);
  json alternates = json::array();
  for (const AlternateSource& a : r.alternate_sources) {
    alternates.push_back({{"url", a.url},
                          {"site", a.site},
                          {"content_hash", a.content_hash},
                          {"completeness", CompletenessSlug(a.completeness)},
                          {"added_at", a.added_at},
                          {"note", a.note}});
  }
  j["alternate_sources"] = std::move(alternates);
  // `replace` turns invalid UTF-8 into U+FFFD instead of throwing.
  return j.dump(options.indent, ' ', options.ensure_ascii, json::error_handler_t::replace);
}

}  // namespace baogao::report
