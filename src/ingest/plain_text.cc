// Plain-text importer: decode, clean, one paragraph per line.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/ingest.h"
#include "ingest/internal/common.h"
#include "text/text.h"

namespace baogao::ingest {

Result<ParsedDocument> ParseText(std::string_view bytes, const ParseOptions& options) {
  ParsedDocument doc;
  doc.format = Format::kText;
  doc.source_url = options.source_url;
  BAOGAO_ASSIGN_OR_RETURN(text::DecodeResult decoded,
                          text::DetectAndConvert(bytes, options.charset));
  doc.encoding = decoded.encoding;
  for (const std::string& note : decoded.notes) doc.warnings.push_back("encoding: " + note);
  if (decoded.low_confidence) {
    doc.warnings.push_back("encoding: low-confidence guess " + decoded.encoding);
  }
  const std::string cleaned = text::CleanText(decoded.text);
  std::vector<internal::Line> lines;
  for (std::string& l : internal::SplitLines(cleaned)) lines.push_back({std::move(l)});
  internal::AssembleLines(lines, /*take_title=*/true, &doc);
  if (doc.paragraphs.empty() && doc.title.empty()) {
    return Status::InvalidArgument("text file has no content (only whitespace or page chrome)");
  }
  return doc;
}

}  // namespace baogao::ingest
