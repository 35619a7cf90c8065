// Full-text search over the store's reports: an index derived from the
// store's change log, and the searcher that answers queries with exact
// recall, BM25 ranking, facets, snippets and literal occurrence counts.
//
// Matching (see docs/search.md): a report matches a text term when the term's
// folded form (text/fold.h: t2s, full-width → half-width, lower case,
// whitespace dropped) occurs literally in the folded title or in one folded
// paragraph. Occurrences never span paragraphs. This holds however the
// segmenter split the text: single characters are indexed as terms, and
// longer strings match as exact phrases of overlapping character bigrams.
// Word terms (from the segmenter) only rank.
//
// Files: the index at `path` is a Xapian stub file naming the current
// generation directory (`path`.g<N>/). Rebuild() builds a new generation and
// switches the stub atomically, so readers and the follower keep working.
// Each generation records the last change-log sequence it contains, in the
// same Xapian commit as the documents: a crash loses no change and applies
// none twice (re-applying a change is idempotent anyway).
//
// Thread-safety: IndexWriter and Searcher are not thread-safe; use one per
// thread. Any number of Searchers (in any processes) may read while one
// IndexWriter writes; Xapian allows one writer per generation.
#ifndef BAOGAO_SEARCH_SEARCH_H_
#define BAOGAO_SEARCH_SEARCH_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "region/region.h"
#include "report/report.h"
#include "search/query.h"
#include "segment/segment.h"
#include "store/store.h"

namespace baogao::search {

// The index location for a database file: "<db>.index".
std::string DefaultIndexPath(std::string_view db_path);

struct IndexOptions {
  std::string path;  // the stub file; generations are `path`.g<N>/
  // Segments text into the word terms used for ranking. Required.
  std::shared_ptr<const segment::Dictionary> dictionary;
  // Reports per Xapian commit while catching up.
  int batch_size = 2000;
  // Rebuild() cuts the store into this many ranges of report ids, builds
  // them in parallel (one thread each) and merges them. 0: one per hardware
  // thread, at most 8. The documents and statistics are the same whatever
  // the number (each shard boundary leaves one more postlist chunk per term:
  // about 1% more disk with two shards).
  int rebuild_shards = 0;
  // Reports per commit of each rebuild shard. Each commit rewrites the
  // Xapian blocks it touches; while Xapian held a term per character (up to
  // index format 3), a batch's postings made its std::maps deep and 200 was
  // fastest. With words only, 1,000 builds 100,000 reports about a fifth
  // faster than 200, and 3,000 no faster again (docs/benchmarks.md).
  int rebuild_batch_size = 1000;
};

// Progress of a catch-up or rebuild, for progress bars.
struct IndexProgress {
  int64_t applied = 0;  // changes (or reports, in a rebuild) done
  int64_t total = 0;    // known total, 0 if unknown
};

class IndexWriter {
 public:
  // Opens the index for writing, creating an empty first generation if
  // there is none. Errors: kResourceExhausted if another writer holds the
  // lock (a running server, a reindex); kIoError/kCorrupt from Xapian with
  // the path.
  static Result<std::unique_ptr<IndexWriter>> Open(const IndexOptions& options);
  virtual ~IndexWriter() = default;

  // Applies every change-log row after sequence() to the index, committing
  // every batch_size reports together with the new sequence. `should_stop`
  // (optional) is polled between batches. Returns the number of changes
  // applied. If the stub now names another generation (a rebuild switched
  // it), reopens that one first. kCorrupt if the index is ahead of the
  // store (it belongs to another database: run `baogao reindex`).
  virtual Result<int64_t> CatchUp(
      store::Store& store, const std::function<bool()>& should_stop = {},
      const std::function<void(const IndexProgress&)>& progress = {}) = 0;

  // The last change-log sequence the index contains.
  virtual int64_t sequence() const = 0;
};

// Rebuilds the index from the whole store into a new generation, catches it
// up with the log, switches the stub to it and removes the old generation.
// A writer or searchers using the old generation go on and move over on
// their next CatchUp()/Refresh(). kResourceExhausted if another rebuild runs.
Status Rebuild(store::Store& store, const IndexOptions& options,
               const std::function<void(const IndexProgress&)>& progress = {});

// Keeps the index up to date from a background thread: polls the store's
// change log every `poll_interval_ms` (and at once on Notify()) and applies
// new changes, so a committed report is searchable within about one poll
// plus its indexing time. If another writer holds the index (a reindex in
// another process), it retries on the next poll. `store` must outlive it.
class IndexFollower {
 public:
  static Result<std::unique_ptr<IndexFollower>> Start(store::Store& store,
                                                      const IndexOptions& options,
                                                      int poll_interval_ms = 200);
  virtual ~IndexFollower() = default;  // stops the thread and waits for it

  // The last sequence applied to the index (and committed).
  virtual int64_t sequence() const = 0;
  // The outcome of the last catch-up attempt.
  virtual Status last_status() const = 0;
  // Catches up now instead of at the next poll.
  virtual void Notify() = 0;
  // Waits until sequence() >= `sequence` or `timeout_ms` passes.
  virtual bool WaitFor(int64_t sequence, int timeout_ms) = 0;
};

enum class SortOrder { kRelevance, kNewest };

struct SearchRequest {
  std::string query;  // the query language of search/query.h
  int64_t offset = 0;
  int64_t limit = 10;  // 0..1000
  // Relevance by default; a query without a positive text term (only
  // filters) is always sorted newest first.
  SortOrder sort = SortOrder::kRelevance;
  bool facets = false;     // count by macro-region, province, level, type, year
  int max_snippets = 3;    // per hit, 0..10
  int snippet_chars = 80;  // about this many characters per snippet
};

// A span of a snippet: text to show as is, or a match to highlight.
struct SnippetPart {
  std::string text;  // valid UTF-8, from the report's original text
  bool match = false;
};
struct Snippet {
  int paragraph = -1;  // index into the body; -1 for the title
  std::vector<SnippetPart> parts;
};

struct Hit {
  report::ReportId id;
  double score = 0;
  std::string title;
  report::ReportType type = report::ReportType::kOther;
  std::optional<report::RegionCode> region;
  report::AdminLevel level = report::AdminLevel::kUnknown;
  int year = 0;
  std::optional<report::Date> date;
  // Literal occurrences of the query's positive text terms (folded,
  // non-overlapping, counted like Python's str.count) in title + body.
  int64_t occurrences = 0;
  std::vector<std::pair<std::string, int64_t>> term_occurrences;  // per term
  std::vector<Snippet> snippets;
};

struct FacetValue {
  std::string key;    // slug or code ("huadong", "370000", "county", "baogao", "2023")
  std::string label;  // 华东, 山东省, 县级, 政府工作报告, 2023
  int64_t count = 0;
};

struct SearchResult {
  int64_t total = 0;  // every matching report, exactly
  std::vector<Hit> hits;
  // The query as understood: folded terms and resolved filters, e.g.
  // `AND(TEXT("台湾"), REGION(370000 山东省))`.
  std::string normalized_query;
  std::vector<std::string> terms;  // the folded positive text terms
  // Facet name ("macro_region", "province", "level", "type", "year") →
  // values, largest count first (years: newest first). Empty unless asked.
  std::map<std::string, std::vector<FacetValue>> facets;
};

// Reports the searcher has shown as hits, kept in memory with their folded
// text (about 2.5 times the size of the text) so that later searches read
// neither the bodies from the store nor fold them again. Checked against the
// store's change log on every search: results are the same as without it.
// Thread-safe; share one between the searchers of a process.
class ReportCache;
// A cache holding at most about `max_bytes`, least recently used dropped
// first.
std::shared_ptr<ReportCache> NewReportCache(size_t max_bytes);
// The size of the cache a searcher makes for itself when given none.
inline constexpr size_t kDefaultReportCacheBytes = size_t{8} << 20;

struct SearcherOptions {
  std::string path;                                       // the index stub file
  std::shared_ptr<const segment::Dictionary> dictionary;  // required
  // Resolves region: names. Null: only codes and macro-region names work.
  std::shared_ptr<const region::RegionTable> regions;
  // Null: the searcher makes its own of kDefaultReportCacheBytes. Give the
  // searchers of a pool one cache (and a larger one) to share it.
  std::shared_ptr<ReportCache> report_cache = nullptr;
};

class Searcher {
 public:
  // Opens the index for reading. kNotFound if there is no index at `path`
  // (run `baogao reindex`).
  static Result<std::unique_ptr<Searcher>> Open(const SearcherOptions& options);
  virtual ~Searcher() = default;

  // Runs a query. Report texts for snippets and counts come from `store`.
  // Errors: kInvalidArgument with a message in Chinese for a malformed
  // query or an unknown region/filter value (safe to show to users);
  // kIoError/kCorrupt for index problems.
  virtual Result<SearchResult> Search(const SearchRequest& request, store::Store& store) = 0;

  // Moves to the latest committed state (and generation) of the index.
  virtual Status Refresh() = 0;
  // Reports in the index.
  virtual int64_t document_count() const = 0;
};

// Brute force: the literal occurrences (non-overlapping, after folding) of
// `folded_term` in the title and in each paragraph of `report`. Used by
// the searcher for counts and by tests as the reference.
int64_t CountOccurrences(const report::Report& report, std::u32string_view folded_term);

}  // namespace baogao::search

#endif  // BAOGAO_SEARCH_SEARCH_H_
