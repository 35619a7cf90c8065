// The import pipeline behind `baogao import`: parse a file (ingest), read its
// metadata (report), resolve its region (region), de-duplicate against what
// is stored, and commit it (store), one file per transaction.
#ifndef BAOGAO_APPS_BAOGAO_IMPORTER_H_
#define BAOGAO_APPS_BAOGAO_IMPORTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "ingest/ingest.h"
#include "region/region.h"
#include "report/report.h"
#include "store/store.h"

namespace baogao::cli {

struct ImportOverrides {
  std::optional<report::ReportType> type;
  std::optional<region::RegionCode> region;
  std::optional<int> year;
  std::string source_url;
};

enum class ImportStatus {
  kImported,   // stored as a new report
  kDuplicate,  // the same report was already stored (an alternate source may have been added)
  kReview,     // stored, but its region could not be resolved: listed by `list --unresolved`
  kFailed,     // nothing stored; `reason` says why
};
std::string_view ImportStatusName(ImportStatus s);

struct ImportResult {
  std::string path;
  ImportStatus status = ImportStatus::kFailed;
  report::ReportId id;  // the report stored or matched
  std::string reason;   // why it failed, what it duplicates, why it needs review
};

// A bottom-k MinHash sketch of a 5-gram set: the set's size and its k
// smallest hashes. About 0.5 KB a report, so the candidates of a whole import
// stay in memory; two sketches estimate how much of one text the other holds.
struct Sketch {
  size_t size = 0;
  std::vector<uint64_t> mins;  // ascending
};
class Importer {
 public:
  // `store` may be null for a dry run.
  Importer(store::Store* store, const region::RegionTable& regions, ImportOverrides overrides,
           ingest::ParseOptions parse_options, bool dry_run)
      : store_(store),
        regions_(regions),
        overrides_(std::move(overrides)),
        parse_options_(std::move(parse_options)),
        dry_run_(dry_run) {}

  // Imports several files with one durable COMMIT (group commit): each file
  // is its own savepoint, so a file that fails leaves nothing behind and the
  // others go on; results are final only once this returns, so a caller
  // reports a file as imported only after its commit. Results are in order.
  std::vector<ImportResult> ImportBatch(const std::vector<std::string>& paths);

  // Builds the report a parsed document describes (no store access); the
  // paragraphs are moved out of `doc`. Sets *review_reason when the region
  // could not be resolved.
  Result<report::Report> BuildReport(ingest::ParsedDocument doc, std::string* review_reason);

 private:
  struct Prepared {
    ImportResult result;  // kFailed with a reason when preparation failed
    std::optional<report::Report> report;
    std::string review;
  };
  Prepared Prepare(const std::string& path);
  // De-duplicates and stores one prepared report; fills p->result.
  Status StoreOne(store::Transaction& tx, Prepared* p);
  // The sketch of a stored report's body, cached by id and content hash.
  Result<const Sketch*> StoredSketch(store::Transaction& tx, const report::Report& listed);

  struct CachedSketch {
    std::string content_hash;
    Sketch sketch;
  };
  std::unordered_map<int64_t, CachedSketch> sketch_cache_;
  store::Store* store_;
  const region::RegionTable& regions_;
  ImportOverrides overrides_;
  ingest::ParseOptions parse_options_;
  bool dry_run_;
};

// The sorted, distinct hashes of the character 5-grams of a body, whitespace
// ignored.
std::vector<uint64_t> Shingles(const std::vector<report::Paragraph>& body);

// Share of the 5-grams of `a` that also occur in `b` (0..1): how much of `a`
// is contained in `b`. Both are Shingles() results.
double Containment(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

Sketch MakeSketch(const std::vector<uint64_t>& shingles);
// Estimated Containment(a, b) from sketches.
double EstimateContainment(const Sketch& a, const Sketch& b);

}  // namespace baogao::cli

#endif  // BAOGAO_APPS_BAOGAO_IMPORTER_H_
