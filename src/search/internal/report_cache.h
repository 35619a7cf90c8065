// The searcher's in-memory copy of reports it has shown as hits, with their
// folded text, so that a search reads neither bodies from the store nor
// folds them again (docs/search.md, "Hits from memory").
//
// Correctness: every change to a report (insert, update, delete, a new
// alternate source; hiding is an update) appends a row to the store's change
// log. A search reads the log's latest sequence inside the read transaction
// it reads reports in; the cache is valid for one sequence and, when a search
// sees a newer one, drops the reports changed in between (all of them when
// there are many). A search that sees an older sequence than the cache (its
// transaction began before another search moved the cache on) neither reads
// from nor adds to it. So a hit is always the report as its transaction sees
// it, exactly as reading the store would give.
//
// Thread-safety: all methods may be called from any thread; entries are
// immutable and shared (shared_ptr), so a searcher keeps using one after it
// was evicted.
#ifndef BAOGAO_SEARCH_INTERNAL_REPORT_CACHE_H_
#define BAOGAO_SEARCH_INTERNAL_REPORT_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "report/report.h"
#include "search/search.h"
#include "store/store.h"

namespace baogao::search {

// What the searcher needs of a report for a hit.
struct CachedReport {
  report::Report report;  // without alternate sources (hits do not show them)
  // The folded title, then each folded paragraph, one after the other.
  std::u32string folded;
  // starts[0] = 0 is where the title begins, starts[i + 1] where paragraph i
  // begins, and starts.back() = folded.size().
  std::vector<uint32_t> starts;
  size_t bytes = 0;  // the memory this entry holds, about

  std::u32string_view Title() const { return Part(0); }
  std::u32string_view Paragraph(size_t i) const { return Part(i + 1); }

  // Folds `report` (moved in; alternate sources dropped).
  static std::shared_ptr<const CachedReport> Make(report::Report report);

 private:
  std::u32string_view Part(size_t i) const {
    return std::u32string_view(folded).substr(starts[i], starts[i + 1] - starts[i]);
  }
};

class ReportCache {
 public:
  explicit ReportCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // One search's view of the cache, for the sequence its transaction sees.
  class View {
   public:
    // The report `id` as the transaction sees it: from memory, or read from
    // the store (and kept). kNotFound if the store has no such report.
    Result<std::shared_ptr<const CachedReport>> Get(store::Transaction& tx, report::ReportId id);

   private:
    friend class ReportCache;
    ReportCache* cache_ = nullptr;
    int64_t sequence_ = 0;
    bool usable_ = false;  // false: the transaction is older than the cache
  };

  // Brings the cache up to the sequence `tx` sees (dropping what changed
  // since) and returns a view for the transaction. `store` identifies the
  // store (a cache used with another store starts afresh).
  Result<View> Begin(store::Transaction& tx, const store::Store* store);

  size_t bytes() const;
  size_t size() const;

 private:
  using Entry = std::pair<int64_t, std::shared_ptr<const CachedReport>>;

  std::shared_ptr<const CachedReport> Find(int64_t sequence, report::ReportId id);
  void Add(int64_t sequence, report::ReportId id, std::shared_ptr<const CachedReport> r);
  void EraseLocked(int64_t id);
  void ClearLocked();

  const size_t max_bytes_;
  mutable std::mutex mu_;
  const store::Store* store_ = nullptr;
  int64_t sequence_ = -1;  // -1: not yet synchronised
  size_t bytes_ = 0;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<int64_t, std::list<Entry>::iterator> index_;
};

}  // namespace baogao::search

#endif  // BAOGAO_SEARCH_INTERNAL_REPORT_CACHE_H_
