// Importers: turn an outside document (HTML page, plain text, DOCX, PDF) into
// a ParsedDocument — title, subtitle, paragraphs with heading levels, and
// metadata hints — with the page chrome and encoding problems dealt with.
//
// Every parser treats its input as hostile: it never crashes the process,
// it enforces size limits, and it fails with a Status that names what was
// wrong ("empty file", "encrypted PDF", "truncated or corrupt zip", ...).
// Warnings (an encoding guess, dropped junk) travel in the result.
//
// Thread-safety: all functions are reentrant. ParsePdf forks a child process
// (see PdfLimits); the rest run in the calling thread.
#ifndef BAOGAO_INGEST_INGEST_H_
#define BAOGAO_INGEST_INGEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace baogao::ingest {

enum class Format { kUnknown, kHtml, kText, kDocx, kPdf };
std::string_view FormatName(Format format);

// One paragraph. Level 0 is body text; headings by numbering style:
// 1 一、  2 （一）  3 1. / 1、  4 （1）. 第一章 is 1 and 第一节 is 2 (规划 style).
struct Paragraph {
  int level = 0;
  std::string text;  // UTF-8, trimmed, one line
  bool operator==(const Paragraph&) const = default;
};

struct ParsedDocument {
  Format format = Format::kUnknown;
  std::string title;
  std::string subtitle;  // e.g. ——2023年1月8日在…第…次会议上
  std::vector<Paragraph> paragraphs;
  // Metadata hints, as found; empty when absent. Not validated.
  std::string source_url;       // canonical link, "本文地址", or the caller's URL
  std::string source_site;      // site name (og:site_name, <title> suffix)
  std::string published;        // date string as written, e.g. "2023-01-09"
  std::string declared_source;  // 来源：… as written
  bool original_hint = false;   // the page marks the text 原创
  std::string encoding;         // encoding of the input ("UTF-8", "GB18030", ...)
  std::vector<std::string> warnings;
};

struct DocxLimits {
  uint64_t max_uncompressed_bytes = 256ull << 20;  // summed over entries read
  uint64_t max_entries = 10000;
  double max_compression_ratio = 200;  // per entry, for entries over 1 MiB
};

// The PDF parser runs in a forked child with these limits; a child that
// crashes, exceeds them or runs past the deadline is a clear error.
struct PdfLimits {
  int cpu_seconds = 30;                     // RLIMIT_CPU
  uint64_t memory_bytes = 2048ull << 20;    // RLIMIT_AS (not applied under ASan)
  int wall_clock_ms = 60000;                // the parent kills the child after this
  uint64_t max_output_bytes = 64ull << 20;  // text sent back over the pipe
};

struct ParseOptions {
  uint64_t max_file_bytes = 64ull << 20;  // larger files are refused before reading
  Format format = Format::kUnknown;       // kUnknown: decide from content and extension
  std::string charset;                    // overrides any declared charset (HTML, TXT)
  std::string source_url;                 // where the document came from, if known
  DocxLimits docx;
  PdfLimits pdf;
};

// Decides the format from magic bytes first, then the file extension
// (".html", ".txt", ...; may be empty). Returns kUnknown for binary data that
// is none of the supported formats.
Format SniffFormat(std::string_view head, std::string_view extension);

// Reads and parses a file. Errors: kNotFound / kIoError (cannot read),
// kResourceExhausted (larger than max_file_bytes, checked with stat before
// reading), kInvalidArgument (empty, binary or unknown format, or the parser's
// own complaint).
Result<ParsedDocument> ParseFile(const std::string& path, const ParseOptions& options = {});

// Parses bytes already in memory; `filename` only lends its extension.
Result<ParsedDocument> ParseBytes(std::string_view bytes, std::string_view filename,
                                  const ParseOptions& options = {});

// The individual parsers, for callers that already know the format.
Result<ParsedDocument> ParseHtml(std::string_view bytes, const ParseOptions& options = {});
Result<ParsedDocument> ParseText(std::string_view bytes, const ParseOptions& options = {});
Result<ParsedDocument> ParseDocx(std::string_view bytes, const ParseOptions& options = {});
Result<ParsedDocument> ParsePdf(std::string_view bytes, const ParseOptions& options = {});

// Heading level of a paragraph from its numbering (see Paragraph), 0 if none.
int DetectHeadingLevel(std::string_view text);

// A stable text rendering used by golden files and the CLI:
//   title: …\nsubtitle: …\n<metadata lines>\n\n[level] text\n…
std::string ToDebugString(const ParsedDocument& doc);

}  // namespace baogao::ingest

#endif  // BAOGAO_INGEST_INGEST_H_
