// libFuzzer target over the importers that take outside bytes in memory:
// the first byte picks the HTML extractor, the encoding detector + text
// cleanup, the DOCX reader or the plain-text parser; the rest is the input.
// Checks the invariants the API promises: every string that comes out is
// valid UTF-8, a failure carries a message, and paragraphs are non-empty.
// For HTML it is also a differential fuzzer: whenever the fast tree builder
// accepts a page, its tree and the extracted document must equal gumbo's.
// (PDF is left out: each input would fork a poppler child.)
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/ingest.h"
#include "ingest/internal/html_tree.h"
#include "text/text.h"

namespace {

void CheckUtf8(const std::string& s) {
  if (!baogao::text::IsValidUtf8(s)) std::abort();
}

void CheckDocument(const baogao::Result<baogao::ingest::ParsedDocument>& r) {
  if (!r.ok()) {
    if (r.status().message().empty()) std::abort();
    return;
  }
  CheckUtf8(r->title);
  CheckUtf8(r->subtitle);
  CheckUtf8(r->declared_source);
  CheckUtf8(r->published);
  for (const auto& p : r->paragraphs) {
    CheckUtf8(p.text);
    if (p.text.empty() || p.level < 0 || p.level > 4) std::abort();
  }
}

std::string Describe(const baogao::Result<baogao::ingest::ParsedDocument>& r) {
  if (!r.ok()) return "error: " + r.status().message();
  std::string out = baogao::ingest::ToDebugString(*r);
  for (const std::string& w : r->warnings) out += "warning: " + w + "\n";
  return out;
}

// The fast HTML path against gumbo.
void CheckHtmlPaths(std::string_view in, const baogao::ingest::ParseOptions& options) {
  using baogao::ingest::internal::HtmlPath;
  bool used_fast = false;
  auto fast = baogao::ingest::internal::ParseHtmlWith(in, options, HtmlPath::kFast, &used_fast);
  auto gumbo = baogao::ingest::internal::ParseHtmlWith(in, options, HtmlPath::kGumbo, nullptr);
  CheckDocument(gumbo);
  if (!used_fast) return;
  if (Describe(fast) != Describe(gumbo)) std::abort();
  auto decoded = baogao::text::DetectAndConvert(in, baogao::text::SniffDeclaredCharset(in));
  if (!decoded.ok()) std::abort();  // the fast path ran, so decoding worked
  baogao::ingest::internal::HtmlTree a, b;
  if (!baogao::ingest::internal::BuildFastTree(decoded->text, &a)) std::abort();
  if (!baogao::ingest::internal::BuildGumboTree(decoded->text, &b)) std::abort();
  if (a.DebugString() != b.DebugString()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  baogao::ingest::ParseOptions options;
  options.docx.max_uncompressed_bytes = 8 << 20;  // keep each run fast
  switch (data[0] % 4) {
    case 0:
      CheckDocument(baogao::ingest::ParseHtml(in, options));
      CheckHtmlPaths(in, options);
      break;
    case 1: {
      auto r = baogao::text::DetectAndConvert(in, in.size() > 8 ? "gbk" : "");
      if (r.ok()) {
        CheckUtf8(r->text);
        if (r->confidence < 0 || r->confidence > 1) std::abort();
        CheckUtf8(baogao::text::CleanText(r->text));
      }
      const std::string cleaned = baogao::text::CleanText(in);
      if (cleaned.size() > in.size()) std::abort();
      break;
    }
    case 2:
      CheckDocument(baogao::ingest::ParseDocx(in, options));
      break;
    case 3:
      CheckDocument(baogao::ingest::ParseText(in, options));
      break;
  }
  return 0;
}
