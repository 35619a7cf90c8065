#include "search/internal/report_cache.h"

#include <utility>

#include "text/fold.h"

namespace baogao::search {
namespace {

// More changes than this since the cache's sequence: drop everything rather
// than read them all.
constexpr int64_t kMaxChangesToApply = 1000;

// What a std::string or vector holds beyond its bytes, roughly.
constexpr size_t kOverhead = 32;

}  // namespace

std::shared_ptr<const CachedReport> CachedReport::Make(report::Report report) {
  auto c = std::make_shared<CachedReport>();
  report.alternate_sources.clear();
  report.alternate_sources.shrink_to_fit();
  c->report = std::move(report);
  const report::Report& r = c->report;
  size_t text_bytes = r.title.size();
  for (const report::Paragraph& p : r.body) text_bytes += p.text.size();
  // Chinese text is 3 bytes a character in UTF-8: a third is about right,
  // and the string grows by itself when it is not.
  c->folded.reserve(text_bytes / 3 + 16);
  c->starts.reserve(r.body.size() + 2);
  c->starts.push_back(0);
  text::FoldInto(r.title, &c->folded);
  c->starts.push_back(static_cast<uint32_t>(c->folded.size()));
  for (const report::Paragraph& p : r.body) {
    text::FoldInto(p.text, &c->folded);
    c->starts.push_back(static_cast<uint32_t>(c->folded.size()));
  }
  c->folded.shrink_to_fit();
  c->bytes = sizeof(CachedReport) + text_bytes + r.source_url.size() + r.source_site.size() +
             r.content_hash.size() + (r.body.size() + 4) * (sizeof(report::Paragraph) + kOverhead) +
             c->folded.capacity() * sizeof(char32_t) + c->starts.capacity() * sizeof(uint32_t);
  return c;
}

Result<ReportCache::View> ReportCache::Begin(store::Transaction& tx, const store::Store* store) {
  int64_t seen;
  bool same_store;
  {
    std::lock_guard lock(mu_);
    seen = sequence_;
    same_store = store_ == store;
  }
  BAOGAO_ASSIGN_OR_RETURN(const int64_t now, tx.LatestSequence());
  View view;
  view.cache_ = this;
  view.sequence_ = now;
  if (same_store && seen == now) {
    view.usable_ = true;
    return view;
  }
  if (same_store && seen > now) return view;  // an older transaction
  std::vector<store::Change> changes;
  const bool incremental = same_store && seen >= 0;
  if (incremental) {
    BAOGAO_ASSIGN_OR_RETURN(changes, tx.ChangesSince(seen, kMaxChangesToApply + 1));
  }
  std::lock_guard lock(mu_);
  if (store_ == store && sequence_ >= now) {
    // Another search got here first.
    view.usable_ = sequence_ == now;
    return view;
  }
  // `changes` covers (seen, now]; the cache is at sequence_ >= seen if it is
  // still for this store, so dropping those reports is enough.
  if (store_ != store || !incremental || sequence_ < seen ||
      static_cast<int64_t>(changes.size()) > kMaxChangesToApply) {
    ClearLocked();
  } else {
    for (const store::Change& c : changes) {
      if (c.sequence > sequence_) EraseLocked(c.report_id.value());
    }
  }
  store_ = store;
  sequence_ = now;
  view.usable_ = true;
  return view;
}

Result<std::shared_ptr<const CachedReport>> ReportCache::View::Get(store::Transaction& tx,
                                                                   report::ReportId id) {
  if (usable_) {
    if (auto hit = cache_->Find(sequence_, id)) return hit;
  }
  BAOGAO_ASSIGN_OR_RETURN(report::Report r, tx.Get(id));
  std::shared_ptr<const CachedReport> made = CachedReport::Make(std::move(r));
  if (usable_) cache_->Add(sequence_, id, made);
  return made;
}

std::shared_ptr<const CachedReport> ReportCache::Find(int64_t sequence, report::ReportId id) {
  std::lock_guard lock(mu_);
  if (sequence != sequence_) return nullptr;
  auto it = index_.find(id.value());
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void ReportCache::Add(int64_t sequence, report::ReportId id,
                      std::shared_ptr<const CachedReport> r) {
  // One report may not push out most of the others.
  if (r->bytes > max_bytes_ / 4) return;
  std::lock_guard lock(mu_);
  if (sequence != sequence_) return;
  EraseLocked(id.value());
  bytes_ += r->bytes;
  lru_.emplace_front(id.value(), std::move(r));
  index_[id.value()] = lru_.begin();
  while (bytes_ > max_bytes_ && !lru_.empty()) EraseLocked(lru_.back().first);
}

void ReportCache::EraseLocked(int64_t id) {
  auto it = index_.find(id);
  if (it == index_.end()) return;
  bytes_ -= it->second->second->bytes;
  lru_.erase(it->second);
  index_.erase(it);
}

void ReportCache::ClearLocked() {
  index_.clear();
  lru_.clear();
  bytes_ = 0;
}

size_t ReportCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t ReportCache::size() const {
  std::lock_guard lock(mu_);
  return index_.size();
}

std::shared_ptr<ReportCache> NewReportCache(size_t max_bytes) {
  return std::make_shared<ReportCache>(max_bytes);
}

}  // namespace baogao::search
