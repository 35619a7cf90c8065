// The search-box query language: what readers and researchers type into the
// site's search box or `baogao search "..."`, parsed into a tree that the
// searcher evaluates. The user guide is docs/search.md ("Query language");
// this header is the precise contract.
//
// Syntax (characters are Unicode code points; the query must be UTF-8):
//   - Whitespace separates terms: ASCII space, \t, \n, \v, \f, \r and U+3000
//     (ideographic space). Adjacent operands are ANDed.
//   - A word is a run of characters other than whitespace, parentheses and
//     quote marks. It becomes a kText leaf holding its bytes exactly.
//   - A phrase is text between "..." (ASCII), “...” (U+201C/U+201D) or 「...」
//     (U+300C/U+300D). An opening quote starts a phrase anywhere, even right
//     after a word (高质量"发展" is two terms). Inside, everything up to the
//     matching closer is kept raw, including whitespace, parentheses, OR and
//     the other kinds of quote. A stray closer (” or 」 outside a phrase), a
//     missing closer, and a phrase with nothing but whitespace are errors.
//   - OR (uppercase ASCII, a word of its own) joins two operands. It binds
//     tighter than the implicit AND, as in Google: `a b OR c` is
//     AND(a, OR(b, c)); `a OR b c OR d` is AND(OR(a, b), OR(c, d)). An OR
//     with no operand on one side (at the start or end, next to a
//     parenthesis or another OR) is an error. Lowercase `or` and `|` are
//     ordinary words.
//   - A minus, '-' or '－' (U+FF0D), directly in front of a word, phrase,
//     parenthesised group or field filter negates it: -发展, -"高质量 发展",
//     -(a OR b), -region:山东. It binds tightest. A minus followed by
//     whitespace, a closing parenthesis or the end of the query, or by
//     another minus (--a), is literal text; so is a minus inside a word
//     (2018-2023, COVID-19). `-OR` negates the literal word OR, and
//     `-(-OR)` searches for it (double negations cancel).
//   - ( ) and （ ） (U+FF08/U+FF09) group; unbalanced or empty parentheses
//     are errors. They also end a word: 发展（2020） is two terms.
//   - name:value (also name：value, U+FF1A) is a field filter when `name` is
//     one of region, level, type, year, source (ASCII, any case). Any other
//     word containing a colon is literal text (foo:bar, http://www.gov.cn).
//     The value is the rest of the word, or, when the colon is directly
//     followed by an opening quote, that phrase's raw content
//     (region:"德州市 陵城区"). An empty value is an error. Values:
//       region: a six-digit code or a name (山东, 山东省, 德州市陵城区), kept
//               raw for the searcher to resolve.
//       level:  national 全国 国家 国家级 | province 省 省级 |
//               prefecture 市 市级 地级 地市级 | county 县 县级 区县, plus the
//               traditional forms (全國 國家 縣 區縣 ...). ASCII any case.
//       type:   政府工作报告 工作报告 report gzbg baogao |
//               统计公报 公报 bulletin tjgb gongbao | 规划 plan gh guihua |
//               其他 other, plus traditional forms (政府工作報告 統計公報 規劃).
//       year:   2020 | 2018..2023 | 2018.. | ..2020, also with 2018-2023,
//               2018－2023, ．． for .. and full-width digits; years are four
//               digits in kMinYear..kMaxYear and a range may not run backwards.
//       source: a site host or URL prefix, kept raw.
//     level/type/year values may be quoted too; for them surrounding
//     whitespace is ignored, while region/source values are never trimmed.
//   - Limits: at most kMaxQueryBytes bytes, kMaxLeaves leaves (words,
//     phrases and filters), kMaxDepth levels of nested parentheses.
//   - The empty (or all-whitespace) query is valid and parses to kMatchAll.
//     A query without any positive text term is valid too: `region:山东
//     year:2020` lists reports, `-发展` means every report without 发展.
//
// For the searcher:
//   - kText and kPhrase both mean "this literal string occurs in the text";
//     the searcher normalises and segments both the same way. They differ
//     only in syntax: a kText value never contains whitespace, parentheses
//     or quote marks, and may contain any other punctuation (`:` of unknown
//     fields, '-', '|', '，'); it may be "OR", "-" or start with "--". A
//     kPhrase value may contain whitespace (also at its ends) and anything
//     but its own closing quote. Either may consist of punctuation only
//     (`-`, `|`, "，") and so fold to nothing searchable: the searcher decides
//     what such a term means.
//   - kNot may sit anywhere (root, inside AND or OR): NOT(x) is "every
//     report not matching x", i.e. ALL AND_NOT x, unless a positive sibling
//     in an AND can stand in for ALL. Filters (region, level, ...) may be
//     negated and ORed like words.
//
// Errors are kInvalidArgument with a Chinese message for the site's users,
// naming the problem and, where there is one, the 1-based position in
// characters (code points): "查询语法错误：第 7 个字符处的引号没有配对". The
// message may quote up to 20 characters of the user's text: escape it
// before putting it into HTML.
//
// Thread-safety: ParseQuery is a pure function, safe from any thread.
#ifndef BAOGAO_SEARCH_QUERY_H_
#define BAOGAO_SEARCH_QUERY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "report/report.h"

namespace baogao::search {

inline constexpr size_t kMaxQueryBytes = 2000;
inline constexpr int kMaxLeaves = 64;
inline constexpr int kMaxDepth = 16;  // nested parentheses
inline constexpr int kMinYear = 1949;
inline constexpr int kMaxYear = 2100;

// The administrative level a `level:` filter asks for.
enum class Level { kNational, kProvince, kPrefecture, kCounty };

// "national", "province", "prefecture", "county".
std::string_view LevelSlug(Level level);
// The report model's level for `level`, to compare with Report::level.
report::AdminLevel ToAdminLevel(Level level);

// Years, inclusive. An absent end is open: `2018..` has no `to`. At least
// one end is present; when both are, from <= to.
struct YearRange {
  std::optional<int> from;
  std::optional<int> to;
  bool operator==(const YearRange&) const = default;
};

struct QueryNode {
  enum class Kind {
    kMatchAll,  // the empty query; only ever the root
    kAnd,       // children: >= 2, none of them kAnd
    kOr,        // children: >= 2, none of them kOr
    kNot,       // children: exactly 1, never kNot
    kText,      // value: a word, raw UTF-8, non-empty
    kPhrase,    // value: a quoted phrase, raw UTF-8, not all whitespace
    kRegion,    // value: region code or name, raw UTF-8, non-empty
    kLevel,     // level
    kType,      // type
    kYear,      // years
    kSource,    // value: host or URL prefix, raw UTF-8, non-empty
  };

  Kind kind = Kind::kMatchAll;
  std::string value;
  Level level = Level::kNational;
  report::ReportType type = report::ReportType::kOther;
  YearRange years;
  std::vector<QueryNode> children;

  // The tree as one unambiguous line, for tests and logs:
  //   ALL | AND(c, c, ...) | OR(c, c, ...) | NOT(c) | TEXT("s") | PHRASE("s")
  //   | REGION("s") | SOURCE("s") | LEVEL(county) | TYPE(政府工作报告)
  //   | YEAR(2020) | YEAR(2018..2023) | YEAR(2018..) | YEAR(..2020)
  // Children are separated by ", ". Inside "s", '"' and '\' are escaped with
  // a backslash and bytes below 0x20 and 0x7F are written \xNN (two
  // lowercase hex digits); all other bytes are copied.
  std::string ToString() const;

  // The tree in the query language, canonically spelled (single spaces,
  // ASCII punctuation where the value allows, lowercase field names, level
  // slugs, type names, `..` ranges); kMatchAll is "". For every tree that
  // ParseQuery returned, ParseQuery(ToQuery()) returns an equal tree unless
  // the spelling outgrows kMaxQueryBytes (e.g. level:县 -> level:county).
  // Suited to links such as "the same search without this filter".
  std::string ToQuery() const;

  bool operator==(const QueryNode&) const = default;
};

// Parses a search-box query. AND and OR nodes with one child are replaced by
// the child, AND in AND and OR in OR are flattened into their parent, and
// NOT(NOT(x)) becomes x; children keep the order of the query. Errors:
// kInvalidArgument (see above) for text that is not UTF-8, is too long, too
// complex or too deeply nested, or breaks the syntax.
Result<QueryNode> ParseQuery(std::string_view query);

}  // namespace baogao::search

#endif  // BAOGAO_SEARCH_QUERY_H_
