// The Report model: one government work report (政府工作报告), statistical
// communiqué (统计公报) or plan (规划), with its metadata, its body as ordered
// paragraphs, and the other places the same text was found.
//
// A Report is a plain value: copyable, comparable, no hidden state. The store
// (store/store.h) assigns its id, content hash and times.
// Thread-safety: the free functions here are pure and safe from any thread.
#ifndef BAOGAO_REPORT_REPORT_H_
#define BAOGAO_REPORT_REPORT_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "report/clock.h"
#include "report/region_code.h"

namespace baogao::report {

// A report's permanent number; it appears in URLs (/baogao/huadong/7236.html)
// and is never reused. 0 means "not yet stored".
class ReportId {
 public:
  constexpr ReportId() = default;
  constexpr explicit ReportId(int64_t value) : value_(value) {}
  constexpr int64_t value() const { return value_; }
  constexpr bool valid() const { return value_ > 0; }
  auto operator<=>(const ReportId&) const = default;

 private:
  int64_t value_ = 0;
};

enum class ReportType {
  kGovernmentWork,  // 政府工作报告, slug "baogao"
  kStatistical,     // 统计公报, slug "gongbao"
  kPlan,            // 规划, slug "guihua"
  kOther,           // slug "other"
};

// "政府工作报告", "统计公报", "规划", "其他".
std::string_view ReportTypeName(ReportType type);
// The URL slug: "baogao", "gongbao", "guihua", "other".
std::string_view ReportTypeSlug(ReportType type);
// The inverse of ReportTypeSlug. Errors: kInvalidArgument quoting the slug.
Result<ReportType> ReportTypeFromSlug(std::string_view slug);

// The administrative level of the government that issued the report.
enum class AdminLevel { kNational, kProvince, kPrefecture, kCounty, kUnknown };

// "national", "province", "prefecture", "county", "unknown".
std::string_view AdminLevelSlug(AdminLevel level);
// "国家", "省级", "地级", "县级", "未知".
std::string_view AdminLevelName(AdminLevel level);
Result<AdminLevel> AdminLevelFromSlug(std::string_view slug);

// Whether the text we hold is the whole report.
enum class Completeness { kFull, kPartial, kUnknown };

// "full", "partial", "unknown".
std::string_view CompletenessSlug(Completeness c);
Result<Completeness> CompletenessFromSlug(std::string_view slug);

// A calendar date, as printed on the report (no time zone).
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31, valid for the month (Gregorian leap years)

  // "2024-03-05".
  std::string ToString() const;
  // Parses "YYYY-MM-DD". Errors: kInvalidArgument quoting the text.
  static Result<Date> Parse(std::string_view text);
  bool operator==(const Date&) const = default;
};

// Heading levels of a paragraph, as Chinese official documents number them.
inline constexpr int kBodyText = 0;         // ordinary text
inline constexpr int kMaxHeadingLevel = 4;  // 1 一、 2 （一） 3 1. 4 （1）

struct Paragraph {
  int level = kBodyText;  // 0..kMaxHeadingLevel
  std::string text;       // UTF-8 expected; bytes are kept as given
  bool operator==(const Paragraph&) const = default;
};

// The same report found at another place.
struct AlternateSource {
  std::string url;
  std::string site;
  std::string content_hash;  // of that copy's body (ContentHash), may be empty
  Completeness completeness = Completeness::kUnknown;
  int64_t added_at = 0;  // unix seconds
  std::string note;
  bool operator==(const AlternateSource&) const = default;
};

struct Report {
  ReportId id;
  ReportType type = ReportType::kOther;
  std::optional<RegionCode> region;  // none: not yet resolved, listed for review
  AdminLevel level = AdminLevel::kUnknown;
  std::string title;
  int year = 0;              // the year the report is for or was given in
  std::optional<Date> date;  // when known
  std::string source_url;
  std::string source_site;
  bool original = false;  // 原创: our own transcription, not copied from a site
  Completeness completeness = Completeness::kUnknown;
  std::vector<Paragraph> body;
  std::string content_hash;  // ContentHash(body), set by the store
  int64_t created_at = 0;    // unix seconds, set by the store
  int64_t updated_at = 0;    // unix seconds, set by the store
  std::vector<AlternateSource> alternate_sources;
  // Taken off the public site by the admin (a takedown request, an error):
  // not shown, not in the search index or feeds; kept in the store.
  bool hidden = false;

  bool operator==(const Report&) const = default;
};

// The canonical serialisation of a body that ContentHash hashes:
// "baogao-body-v1\n", then for each paragraph "<level> <byte length>\n<text>\n"
// (decimal numbers). Length-prefixed, so no text can imitate a boundary.
// Changing this changes every stored hash: bump the version tag if you must.
std::string CanonicalBody(const std::vector<Paragraph>& body);
// Lower-case hex SHA-256 of CanonicalBody(body).
std::string ContentHash(const std::vector<Paragraph>& body);

// Checks what the store requires of a report before writing it: a non-empty
// title, a year in 1900..2100, paragraph levels in 0..kMaxHeadingLevel, a
// valid date when present, and alternate sources with a URL. Errors:
// kInvalidArgument naming the field.
Status Validate(const Report& report);

struct JsonOptions {
  int indent = -1;            // -1: one line; n >= 0: pretty, n spaces
  bool ensure_ascii = false;  // escape every non-ASCII character as \uXXXX
};

// The report as a JSON object with every field (see docs/store.md):
//   {"id":7236,"type":"baogao","type_name":"政府工作报告",
//    "region_code":"371403" | null,"level":"county","title":...,"year":2024,
//    "date":"2024-01-15" | null,"source_url":...,"source_site":...,
//    "original":false,"completeness":"full","content_hash":...,
//    "created_at":...,"updated_at":...,
//    "body":[{"level":1,"text":"一、..."},...],
//    "alternate_sources":[{"url":...,"site":...,"content_hash":...,
//                          "completeness":...,"added_at":...,"note":...}]}
// Every string is escaped as JSON requires (quotes, backslashes, control
// characters incl. NUL). Bytes that are not valid UTF-8 are replaced by
// U+FFFD, so the output is always valid UTF-8 JSON. Never fails.
std::string ToJson(const Report& report, const JsonOptions& options = {});

}  // namespace baogao::report

#endif  // BAOGAO_REPORT_REPORT_H_
