// The index's term and value layout, shared by the writer and the searcher.
// Changing anything here changes the index format: bump kIndexFormat so
// that old indexes are rebuilt (see docs/search.md).
#ifndef BAOGAO_SEARCH_INTERNAL_TERMS_H_
#define BAOGAO_SEARCH_INTERNAL_TERMS_H_

#include <string>
#include <string_view>

namespace baogao::search::internal {

inline constexpr std::string_view kIndexFormat = "baogao-search-6";
// Xapian metadata keys.
inline constexpr std::string_view kMetaFormat = "baogao:format";
inline constexpr std::string_view kMetaSequence = "baogao:sequence";

// Strings match, and rank, through the literal layer (internal/literal.h,
// in the generation's "literal" directory), which Xapian does not hold: its
// lists of words and characters with their counts. Xapian holds the
// filters and the values.
// Filters (boolean, wdf 0).
inline constexpr std::string_view kRegionPrefix = "XR";  // "37", "3714", "371403"; "none"
inline constexpr std::string_view kMacroRegion = "XM";   // slug: huadong, quanguo, ...
inline constexpr std::string_view kLevel = "XL";  // national|province|prefecture|county|unknown
inline constexpr std::string_view kType = "XT";   // baogao|gongbao|guihua|other
inline constexpr std::string_view kSourceHost = "XS";  // host and its parent domains, folded
inline constexpr std::string_view kSourceSite = "XN";  // the site's name, folded

// Value slots.
inline constexpr unsigned kSlotYear = 0;      // sortable_serialise(year)
inline constexpr unsigned kSlotDate = 1;      // sortable_serialise(yyyymmdd), year*10000 if no date
inline constexpr unsigned kSlotMacro = 2;     // macro-region slug
inline constexpr unsigned kSlotProvince = 3;  // province code "370000", empty if none
inline constexpr unsigned kSlotLevel = 4;     // level slug
inline constexpr unsigned kSlotType = 5;      // type slug
inline constexpr unsigned kSlotYearText = 6;  // "2023"

// Xapian terms are at most 245 bytes.
inline constexpr size_t kMaxTermBytes = 240;

}  // namespace baogao::search::internal

#endif  // BAOGAO_SEARCH_INTERNAL_TERMS_H_
