// The index's document layout (internal/terms.h) and the generation stub.

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "region/region.h"
#include "search/internal/facets.h"
#include "search/internal/literal.h"
#include "search/internal/terms.h"
#include "search/internal/xapian_util.h"
#include "text/fold.h"
#include "text/text.h"

namespace baogao::search::internal {
namespace {

bool IsWordChar(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 0x3400 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) ||
         (c >= 0xC0 && c < 0x2000);
}

void AppendChar(char32_t c, std::string* out) {
  text::AppendUtf8(text::IsInvalidByteUnit(c) ? 0xFFFD : c, out);
}

// "https://www.sd.gov.cn:8080/x" → "www.sd.gov.cn".
std::string HostOf(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/:?#", start);
  if (end == std::string_view::npos) end = url.size();
  std::string host(url.substr(start, end - start));
  size_t at = host.rfind('@');
  if (at != std::string::npos) host.erase(0, at + 1);
  return text::FoldToUtf8(host);
}

void AddBoolean(std::string_view prefix, std::string_view value, Xapian::Document* doc) {
  if (value.empty()) return;
  std::string term(prefix);
  term.append(value);
  if (term.size() <= kMaxTermBytes) doc->add_boolean_term(term);
}

// The host and each parent domain with at least two labels.
void AddHostTerms(std::string_view url, Xapian::Document* doc) {
  std::string host = HostOf(url);
  std::string_view h = host;
  while (!h.empty()) {
    AddBoolean(kSourceHost, h, doc);
    size_t dot = h.find('.');
    if (dot == std::string_view::npos || h.find('.', dot + 1) == std::string_view::npos) break;
    h.remove_prefix(dot + 1);
  }
}

}  // namespace

ReportAttrs AttrsOf(const report::Report& r) {
  ReportAttrs a;
  if (r.region) a.region = static_cast<uint32_t>(r.region->value());
  a.year = r.year > 0 ? static_cast<uint32_t>(r.year) : 0;
  a.level = static_cast<uint8_t>(r.level);
  a.type = static_cast<uint8_t>(r.type);
  return a;
}

DocumentBuilder::DocumentBuilder(std::shared_ptr<const segment::Dictionary> dictionary)
    : segmenter_(std::move(dictionary)) {}

void DocumentBuilder::AddText(std::string_view text, bool title, std::u32string* folded) {
  std::u32string& c = folded != nullptr ? *folded : folded_;
  c.clear();
  text::FoldInto(text, &c);
  folded_utf8_.clear();
  for (char32_t ch : c) AppendChar(ch, &folded_utf8_);

  for (const segment::Token& t : segmenter_.Cut(folded_utf8_)) {
    // Single characters of a body rank through the literal layer's counts.
    if (t.char_length < 2 && !title) continue;
    size_t len = 0;
    if (t.text.empty() || !IsWordChar(text::DecodeOne(t.text, 0, &len))) continue;
    const GramKey key = MakeWordKey(t.text, title);
    const auto [it, added] = places_.try_emplace(key, static_cast<uint32_t>(words_.size()));
    if (added) words_.push_back(WordCount{key, 0});
    ++words_[it->second].count;
  }
}

Xapian::Document DocumentBuilder::Build(const report::Report& r,
                                        std::vector<std::u32string>* folded_texts,
                                        std::vector<WordCount>* words) {
  Xapian::Document doc;
  places_.clear();
  words_.clear();
  if (folded_texts != nullptr) folded_texts->resize(1 + r.body.size());
  auto out = [&](size_t i) { return folded_texts != nullptr ? &(*folded_texts)[i] : nullptr; };
  if (folded_texts != nullptr || words != nullptr) {
    AddText(r.title, /*title=*/true, out(0));
    for (size_t i = 0; i < r.body.size(); ++i) {
      AddText(r.body[i].text, /*title=*/false, out(i + 1));
    }
  }
  if (words != nullptr) words->swap(words_);

  const FacetKeys keys = FacetKeysOf(r);
  if (r.region) {
    const int v = r.region->value();
    if (v == report::RegionCode::kNational) {
      AddBoolean(kRegionPrefix, "national", &doc);
    } else {
      const std::string code = r.region->ToString();
      AddBoolean(kRegionPrefix, code.substr(0, 2), &doc);
      if (v % 10000 != 0) AddBoolean(kRegionPrefix, code.substr(0, 4), &doc);
      if (v % 100 != 0) AddBoolean(kRegionPrefix, code, &doc);
    }
  } else {
    AddBoolean(kRegionPrefix, "none", &doc);
  }
  AddBoolean(kMacroRegion, keys.macro_region, &doc);
  AddBoolean(kLevel, keys.level, &doc);
  AddBoolean(kType, keys.type, &doc);
  AddHostTerms(r.source_url, &doc);
  AddBoolean(kSourceSite, text::FoldToUtf8(r.source_site), &doc);
  for (const report::AlternateSource& a : r.alternate_sources) {
    AddHostTerms(a.url, &doc);
    AddBoolean(kSourceSite, text::FoldToUtf8(a.site), &doc);
  }

  doc.add_value(kSlotYear, Xapian::sortable_serialise(r.year));
  const int date =
      r.date ? r.date->year * 10000 + r.date->month * 100 + r.date->day : r.year * 10000;
  doc.add_value(kSlotDate, Xapian::sortable_serialise(date));
  doc.add_value(kSlotMacro, keys.macro_region);
  doc.add_value(kSlotProvince, keys.province);
  doc.add_value(kSlotLevel, keys.level);
  doc.add_value(kSlotType, keys.type);
  doc.add_value(kSlotYearText, keys.year);
  return doc;
}

std::string GenerationPath(const std::string& stub_path, int n) {
  return stub_path + ".g" + std::to_string(n);
}

int GenerationNumber(std::string_view generation_path) {
  const size_t g = generation_path.rfind(".g");
  if (g == std::string_view::npos) return 0;
  int n = 0;
  for (char ch : generation_path.substr(g + 2)) {
    if (ch < '0' || ch > '9' || n > 100000000) return 0;
    n = n * 10 + (ch - '0');
  }
  return n;
}

Result<std::string> ReadStubGeneration(const std::string& stub_path) {
  std::ifstream in(stub_path);
  if (!in) {
    if (errno == ENOENT) return std::string();
    return Status::IoError(stub_path + ": " + std::strerror(errno));
  }
  std::string kind, name;
  in >> kind >> name;
  if (kind != "auto" || name.empty() || name.find('/') != std::string::npos) {
    return Status::Corrupt(stub_path + ": not a baogao index stub; run `baogao reindex`");
  }
  const std::filesystem::path dir = std::filesystem::path(stub_path).parent_path();
  return (dir / name).string();
}

Status WriteStub(const std::string& stub_path, int n) {
  const std::string target = std::filesystem::path(GenerationPath(stub_path, n)).filename();
  return WriteFileAtomically(stub_path, "auto " + target + "\n", "index stub");
}

}  // namespace baogao::search::internal
