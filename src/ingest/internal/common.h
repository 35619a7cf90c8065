// Helpers shared by the ingest parsers: line classification (page chrome,
// notices, metadata lines), metadata extraction, title/subtitle heuristics
// and whitespace handling. Private to src/ingest.
#ifndef BAOGAO_INGEST_INTERNAL_COMMON_H_
#define BAOGAO_INGEST_INTERNAL_COMMON_H_

#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"

namespace baogao::ingest::internal {

enum class LineKind {
  kContent,
  kChrome,      // navigation, breadcrumbs, share/print/close, comment forms
  kNotice,      // disclaimers and copyright notices
  kMeta,        // 来源：… 时间：… lines and 本文地址：…
  kTerminator,  // 相关阅读 / 留言与评论: what follows is not the report
  kCaption,     // 图为… photo captions
};

// Classifies one trimmed line of text.
LineKind ClassifyLine(std::string_view line);
// The same, for a caller that has already counted the line's characters
// (CharCount(line) == chars).
LineKind ClassifyLine(std::string_view line, size_t chars);

// Fills empty metadata fields of `doc` from a kMeta (or any) line:
// 来源, a date, 本文地址, 原创.
void ExtractMetadata(std::string_view line, ParsedDocument* doc);

// The first date in `s` (2023-01-09, 2023年1月9日, 2023/1/9, with an optional
// hh:mm[:ss]), as written; "" if none.
std::string FindDate(std::string_view s);

// A first line that names a document: ends with 报告/公报/规划/纲要/...,
// possibly followed by a parenthesised date, and is not a sentence.
bool LooksLikeTitle(std::string_view line);
// ——2023年1月8日在…会议上, or （2023年1月8日在…会议上）.
bool LooksLikeSubtitle(std::string_view line);

// Number of code points (invalid bytes count one each).
size_t CharCount(std::string_view s);

// Collapses whitespace runs (ASCII, NBSP, U+3000, newlines) to one space and
// trims; a run that contained a line break between two CJK characters is
// dropped entirely (source-code line wrapping inside Chinese text).
std::string CollapseWhitespace(std::string_view s);

// Turns cleaned lines into paragraphs: drops chrome and notices, records
// metadata, stops at a terminator, takes a title and subtitle from the first
// lines when `take_title` and they look like one, and assigns heading levels.
// A warning reports how many lines were dropped.
struct Line {
  std::string text;
  int style_level = 0;       // a heading style (DOCX), 0 for none
  bool title_style = false;  // the DOCX "Title" style
};
void AssembleLines(const std::vector<Line>& lines, bool take_title, ParsedDocument* doc);

// Heading level for a paragraph, combining numbering with a style level
// (DOCX heading styles, HTML h2–h4); style_level 0 means none.
int LevelFor(std::string_view text, int style_level);

// Splits on '\n'.
std::vector<std::string> SplitLines(std::string_view s);

}  // namespace baogao::ingest::internal

#endif  // BAOGAO_INGEST_INTERNAL_COMMON_H_
