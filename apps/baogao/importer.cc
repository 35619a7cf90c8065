#include "importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "report/metadata.h"
#include "text/fold.h"
#include "text/text.h"

namespace baogao::cli {
namespace {

// Report and ingest paragraphs have the same shape; ingest is below report
// in the module order, so the conversion lives here.
std::vector<report::Paragraph> ToBody(ingest::ParsedDocument* doc) {
  std::vector<report::Paragraph> body;
  body.reserve(doc->paragraphs.size());
  for (auto& p : doc->paragraphs) body.push_back({p.level, std::move(p.text)});
  return body;
}

report::AdminLevel ToLevel(region::Level l) {
  switch (l) {
    case region::Level::kNational:
      return report::AdminLevel::kNational;
    case region::Level::kProvince:
      return report::AdminLevel::kProvince;
    case region::Level::kPrefecture:
      return report::AdminLevel::kPrefecture;
    case region::Level::kCounty:
      return report::AdminLevel::kCounty;
  }
  return report::AdminLevel::kUnknown;
}

bool HasSource(const report::Report& r, std::string_view url) {
  if (url.empty() || r.source_url == url) return true;
  for (const auto& a : r.alternate_sources) {
    if (a.url == url) return true;
  }
  return false;
}

// The threshold above which two texts are the same report: a copy from
// another site differs in a few characters of chrome or punctuation; a
// truncated copy is wholly contained in the full one.
constexpr double kSameReport = 0.9;
// Sketch estimates are rough (±0.1 at k = 64): below this, surely not the same.
constexpr double kMaybeSame = 0.6;

}  // namespace

std::string_view ImportStatusName(ImportStatus s) {
  switch (s) {
    case ImportStatus::kImported:
      return "imported";
    case ImportStatus::kDuplicate:
      return "duplicate";
    case ImportStatus::kReview:
      return "review";
    case ImportStatus::kFailed:
      return "failed";
  }
  return "failed";
}

std::vector<uint64_t> Shingles(const std::vector<report::Paragraph>& body) {
  std::vector<char32_t> chars;
  text::Decoded d;
  for (const auto& p : body) {
    text::DecodeUtf8(p.text, &d);
    for (char32_t c : d.chars()) {
      if (c != U' ' && c != U'\t' && c != U'\u3000') chars.push_back(c);
    }
  }
  std::vector<uint64_t> out;
  constexpr size_t kN = 5;
  if (chars.size() >= kN) out.reserve(chars.size() - kN + 1);
  for (size_t i = 0; i + kN <= chars.size(); ++i) {
    uint64_t h = 1469598103934665603ull;
    for (size_t k = 0; k < kN; ++k) h = (h ^ chars[i + k]) * 1099511628211ull;
    out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double Containment(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty()) return 0.0;
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size());
}

Sketch MakeSketch(const std::vector<uint64_t>& shingles) {
  constexpr size_t kK = 64;
  Sketch sk;
  sk.size = shingles.size();
  sk.mins.assign(shingles.begin(), shingles.begin() + std::min(kK, shingles.size()));
  return sk;
}

double EstimateContainment(const Sketch& a, const Sketch& b) {
  if (a.size == 0) return 0.0;
  // Jaccard from the k smallest hashes of the union (bottom-k MinHash), then
  // |A∩B| = J (|A| + |B|) / (1 + J).
  const size_t k = std::max(a.mins.size(), b.mins.size());
  size_t i = 0, j = 0, taken = 0, common = 0;
  while (taken < k && (i < a.mins.size() || j < b.mins.size())) {
    if (j == b.mins.size() || (i < a.mins.size() && a.mins[i] < b.mins[j])) {
      ++i;
    } else if (i == a.mins.size() || b.mins[j] < a.mins[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
    ++taken;
  }
  if (taken == 0) return 0.0;
  const double jaccard = static_cast<double>(common) / static_cast<double>(taken);
  const double inter = jaccard * static_cast<double>(a.size + b.size) / (1.0 + jaccard);
  return std::min(1.0, inter / static_cast<double>(a.size));
}

Result<report::Report> Importer::BuildReport(ingest::ParsedDocument doc,
                                             std::string* review_reason) {
  report::Report r;
  r.title = doc.title;
  if (r.title.empty()) return Status::InvalidArgument("the document has no title");
  r.body = ToBody(&doc);
  if (r.body.empty()) return Status::InvalidArgument("the document has no body text");
  // Metadata and regions are read from the folded title (traditional →
  // simplified, full-width digits → ASCII): 山東省…統計公報 is 山东省…统计公报.
  const std::string title = text::FoldToUtf8(doc.title);
  const std::string subtitle = text::FoldToUtf8(doc.subtitle);
  const report::TitleMetadata meta = report::ParseTitleMetadata(title, subtitle);
  r.type = overrides_.type.value_or(meta.type.value_or(report::ReportType::kOther));
  r.date = meta.date;
  if (overrides_.year) {
    r.year = *overrides_.year;
  } else if (meta.year) {
    r.year = *meta.year;
  } else {
    // The page's own publication date ("2023-01-09" or "2023年1月9日"), as a
    // last resort.
    std::optional<int> year;
    if (auto iso = report::Date::Parse(doc.published.substr(0, 10)); iso.ok()) {
      year = iso->year;
    } else {
      year = report::ParseTitleMetadata("", doc.published).year;
    }
    if (!year) {
      return Status::InvalidArgument("no year in the title or subtitle; give it with --year");
    }
    r.year = *year;
  }
  r.source_url = overrides_.source_url.empty() ? doc.source_url : overrides_.source_url;
  r.source_site = doc.source_site;
  r.original = doc.original_hint;

  std::optional<region::RegionCode> code = overrides_.region;
  std::string why;
  if (!code) {
    for (std::string_view t : {std::string_view(title), std::string_view(subtitle)}) {
      if (t.empty()) continue;
      const region::Resolution res = regions_.Resolve(t, r.year);
      if (res.resolved()) {
        code = res.code;
        break;
      }
      if (why.empty() || res.status != region::ResolveStatus::kNotFound) why = res.reason;
    }
  }
  if (code) {
    // src/region writes the country as 000000, the store as 100000
    // (中华人民共和国 in GB/T 2260).
    auto rc = report::RegionCode::FromInt(code->IsNational() ? report::RegionCode::kNational
                                                             : code->value());
    if (!rc.ok()) return rc.status();
    r.region = *rc;
    const region::Region* reg = regions_.Find(*code);
    r.level = reg ? ToLevel(reg->level) : report::AdminLevel::kUnknown;
  } else {
    *review_reason = why.empty() ? "no region name in the title" : why;
  }
  return r;
}

Importer::Prepared Importer::Prepare(const std::string& path) {
  Prepared p;
  p.result.path = path;
  ingest::ParseOptions popts = parse_options_;
  if (!overrides_.source_url.empty()) popts.source_url = overrides_.source_url;
  auto doc = ingest::ParseFile(path, popts);
  if (!doc.ok()) {
    p.result.reason = doc.status().message();
    return p;
  }
  auto built = BuildReport(std::move(doc).value(), &p.review);
  if (!built.ok()) {
    p.result.reason = built.status().message();
    return p;
  }
  p.report = std::move(built).value();
  return p;
}

Result<const Sketch*> Importer::StoredSketch(store::Transaction& tx, const report::Report& listed) {
  auto it = sketch_cache_.find(listed.id.value());
  if (it == sketch_cache_.end() || it->second.content_hash != listed.content_hash) {
    // Bounded, so that memory does not grow with the archive (~60 MB full).
    if (sketch_cache_.size() >= 100000) sketch_cache_.clear();
    BAOGAO_ASSIGN_OR_RETURN(report::Report full, tx.Get(listed.id));
    it = sketch_cache_
             .insert_or_assign(listed.id.value(),
                               CachedSketch{full.content_hash, MakeSketch(Shingles(full.body))})
             .first;
  }
  return &it->second.sketch;
}

Status Importer::StoreOne(store::Transaction& tx, Prepared* p) {
  report::Report& r = *p->report;
  ImportResult& out = p->result;
  const std::string hash = report::ContentHash(r.body);
  // 1. The same text already stored (as a report or an alternate source).
  BAOGAO_ASSIGN_OR_RETURN(std::vector<report::ReportId> same, tx.FindByContentHash(hash));
  if (!same.empty()) {
    BAOGAO_ASSIGN_OR_RETURN(report::Report existing, tx.Get(same.front()));
    out.status = ImportStatus::kDuplicate;
    out.id = existing.id;
    out.reason = fmt::format("same text as report {}", existing.id.value());
    if (!HasSource(existing, r.source_url)) {
      BAOGAO_RETURN_IF_ERROR(tx.AddAlternateSource(
          existing.id, {r.source_url, r.source_site, hash, report::Completeness::kUnknown, 0,
                        "identical text"}));
      out.reason += "; added as an alternate source";
    }
    return Status::Ok();
  }
  // 2. The same report with other chrome, or a truncated copy: compare with
  //    the reports of the same region, year and type.
  store::ListFilter f;
  f.region = r.region;
  f.unresolved_region_only = !r.region.has_value();
  f.year = r.year;
  f.type = r.type;
  f.limit = 200;
  BAOGAO_ASSIGN_OR_RETURN(std::vector<report::Report> near, tx.List(f));
  std::vector<uint64_t> mine;
  Sketch my_sketch;
  for (const report::Report& listed : near) {
    if (!r.region && listed.title != r.title) continue;
    if (mine.empty()) {
      mine = Shingles(r.body);
      my_sketch = MakeSketch(mine);
    }
    // The sketches rule out most candidates; the survivors are compared
    // exactly, on their full 5-gram sets.
    BAOGAO_ASSIGN_OR_RETURN(const Sketch* sketch, StoredSketch(tx, listed));
    if (EstimateContainment(my_sketch, *sketch) < kMaybeSame &&
        EstimateContainment(*sketch, my_sketch) < kMaybeSame) {
      continue;
    }
    BAOGAO_ASSIGN_OR_RETURN(report::Report existing, tx.Get(listed.id));
    const std::vector<uint64_t> theirs = Shingles(existing.body);
    const double new_in_old = Containment(mine, theirs);
    const double old_in_new = Containment(theirs, mine);
    if (new_in_old < kSameReport && old_in_new < kSameReport) continue;
    out.status = ImportStatus::kDuplicate;
    out.id = existing.id;
    if (mine.size() > theirs.size() && old_in_new >= kSameReport) {
      // The new copy is more complete: it becomes the primary text, and the
      // stored one is kept as a partial alternate source.
      report::AlternateSource old_source{existing.source_url,
                                         existing.source_site,
                                         existing.content_hash,
                                         report::Completeness::kPartial,
                                         0,
                                         "less complete copy"};
      existing.body = r.body;
      existing.source_url = r.source_url;
      existing.source_site = r.source_site;
      existing.completeness = report::Completeness::kFull;
      if (!old_source.url.empty()) existing.alternate_sources.push_back(old_source);
      BAOGAO_RETURN_IF_ERROR(tx.Update(existing));
      sketch_cache_.erase(existing.id.value());
      out.reason = fmt::format(
          "more complete copy of report {} ({:.0f}% of it is in this one): now its primary text",
          existing.id.value(), old_in_new * 100);
    } else {
      out.reason = fmt::format("near-duplicate of report {} ({:.0f}% of this text is in it)",
                               existing.id.value(), new_in_old * 100);
      if (!HasSource(existing, r.source_url)) {
        BAOGAO_RETURN_IF_ERROR(tx.AddAlternateSource(
            existing.id, {r.source_url, r.source_site, hash,
                          mine.size() < theirs.size() ? report::Completeness::kPartial
                                                      : report::Completeness::kUnknown,
                          0, out.reason}));
        out.reason += "; added as an alternate source";
      }
    }
    return Status::Ok();
  }
  // 3. New. The store takes the hash instead of computing it again.
  r.content_hash = hash;
  BAOGAO_ASSIGN_OR_RETURN(out.id, tx.Insert(r));
  out.status = p->review.empty() ? ImportStatus::kImported : ImportStatus::kReview;
  out.reason = p->review;
  return Status::Ok();
}

std::vector<ImportResult> Importer::ImportBatch(const std::vector<std::string>& paths) {
  std::vector<Prepared> prepared;
  prepared.reserve(paths.size());
  bool any = false;
  for (const std::string& path : paths) {
    prepared.push_back(Prepare(path));
    any |= prepared.back().report.has_value();
  }
  if (dry_run_ || store_ == nullptr) {
    for (Prepared& p : prepared) {
      if (!p.report) continue;
      p.result.status = p.review.empty() ? ImportStatus::kImported : ImportStatus::kReview;
      p.result.reason = p.review.empty() ? "dry run: would be imported" : "dry run: " + p.review;
    }
  } else if (any) {
    Status st = store_->RunInTransaction([&](store::Transaction& tx) -> Status {
      for (Prepared& p : prepared) {
        if (!p.report) continue;
        Status one = tx.RunInSavepoint([&](store::Transaction& t) { return StoreOne(t, &p); });
        if (!one.ok()) {
          const std::string path = p.result.path;
          p.result = ImportResult();
          p.result.path = path;
          p.result.reason = one.message();
          p.report.reset();
        }
      }
      return Status::Ok();
    });
    if (!st.ok()) {
      // Nothing of this batch was committed.
      sketch_cache_.clear();
      for (Prepared& p : prepared) {
        if (!p.report) continue;
        p.result.status = ImportStatus::kFailed;
        p.result.id = report::ReportId();
        p.result.reason = "not committed: " + st.message();
      }
    }
  }
  std::vector<ImportResult> out;
  out.reserve(prepared.size());
  for (Prepared& p : prepared) out.push_back(std::move(p.result));
  return out;
}

}  // namespace baogao::cli
