// The index writer: follows the store's change log into the current
// generation; Rebuild() makes a new generation and switches to it.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <span>
#include <thread>
#include <unordered_set>

#include "base/log.h"
#include "search/internal/literal.h"
#include "search/internal/terms.h"
#include "search/internal/xapian_util.h"
#include "search/search.h"

namespace baogao::search {
namespace {

using internal::XapianCall;

int64_t ParseSequence(const std::string& s) {
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

using ReportBatch = std::vector<std::pair<report::ReportId, std::optional<report::Report>>>;

// Builds a batch's documents on worker threads (segmenting and gathering
// terms is about half the work) while the caller hands finished documents
// to Xapian in order. Workers stay at most kLookahead documents ahead, so
// memory stays bounded whatever the batch size.
class BuildPipeline {
 public:
  static constexpr size_t kLookahead = 64;

  BuildPipeline(const std::shared_ptr<const segment::Dictionary>& dictionary,
                const ReportBatch& reports)
      : reports_(reports),
        docs_(reports.size()),
        texts_(reports.size()),
        words_(reports.size()),
        ready_(reports.size(), false) {
    const unsigned hc = std::max(2u, std::thread::hardware_concurrency());
    const size_t workers = std::min<size_t>(hc - 1, 8);
    for (size_t w = 0; w < workers; ++w) {
      threads_.emplace_back([this, dictionary] { Work(dictionary); });
    }
  }

  ~BuildPipeline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  // Document i (whose report is present), once built, and the report's
  // folded texts into *texts and words into *words. Call in order.
  Xapian::Document Take(size_t i, std::vector<std::u32string>* texts,
                        std::vector<internal::WordCount>* words) {
    std::unique_lock<std::mutex> lock(mu_);
    taken_ = i;
    cv_.notify_all();
    cv_.wait(lock, [&] { return ready_[i]; });
    if (error_) std::rethrow_exception(error_);
    Xapian::Document d = std::move(docs_[i]);
    docs_[i] = Xapian::Document();
    texts->swap(texts_[i]);
    texts_[i].clear();
    words->swap(words_[i]);
    words_[i].clear();
    return d;
  }

 private:
  void Work(std::shared_ptr<const segment::Dictionary> dictionary) {
    internal::DocumentBuilder builder(std::move(dictionary));
    for (;;) {
      size_t i;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock,
                 [&] { return stop_ || next_ >= reports_.size() || next_ < taken_ + kLookahead; });
        if (stop_ || next_ >= reports_.size()) return;
        i = next_++;
      }
      Xapian::Document doc;
      std::vector<std::u32string> texts;
      std::vector<internal::WordCount> words;
      std::exception_ptr error;
      if (reports_[i].second) {
        try {
          doc = builder.Build(*reports_[i].second, &texts, &words);
        } catch (...) {
          error = std::current_exception();
        }
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        docs_[i] = std::move(doc);
        texts_[i] = std::move(texts);
        words_[i] = std::move(words);
        ready_[i] = true;
        if (error && !error_) error_ = error;
      }
      cv_.notify_all();
    }
  }

  const ReportBatch& reports_;
  std::vector<Xapian::Document> docs_;
  std::vector<std::vector<std::u32string>> texts_;
  std::vector<std::vector<internal::WordCount>> words_;
  std::vector<bool> ready_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t next_ = 0;
  size_t taken_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
};

class XapianIndexWriter final : public IndexWriter {
 public:
  explicit XapianIndexWriter(const IndexOptions& options) : options_(options) {}

  // Opens `generation` (creating it if `create`), checking its format.
  Status OpenGeneration(const std::string& generation, bool create) {
    return XapianCall(generation, [&]() -> Status {
      db_.reset();
      literal_.reset();
      auto db = std::make_unique<Xapian::WritableDatabase>(
          generation,
          (create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) | Xapian::DB_BACKEND_GLASS);
      const std::string format = db->get_metadata(std::string(internal::kMetaFormat));
      const bool fresh = format.empty() && db->get_doccount() == 0;
      if (fresh) {
        db->set_metadata(std::string(internal::kMetaFormat), std::string(internal::kIndexFormat));
        db->set_metadata(std::string(internal::kMetaSequence), "0");
        db->commit();
      } else if (format != internal::kIndexFormat) {
        return Status::Corrupt(generation + ": index format '" + format + "', expected '" +
                               std::string(internal::kIndexFormat) + "'; run `baogao reindex`");
      }
      const int64_t seq = ParseSequence(db->get_metadata(std::string(internal::kMetaSequence)));
      if (seq < 0) return Status::Corrupt(generation + ": bad sequence; run `baogao reindex`");
      auto literal = internal::LiteralIndex::Open(internal::LiteralPath(generation), fresh);
      if (!literal.ok()) {
        if (literal.status().code() != StatusCode::kNotFound) return literal.status();
        return Status::Corrupt(generation + ": the literal index is missing; run `baogao reindex`");
      }
      // The literal layer commits each batch just before Xapian does: after
      // a crash between the two, the batch is applied again to both.
      sequence_ = std::min(seq, (*literal)->sequence());
      generation_ = generation;
      db_ = std::move(db);
      literal_ = std::move(*literal);
      return Status::Ok();
    });
  }

  // Follows the stub to the generation it names now.
  Status FollowStub() {
    BAOGAO_ASSIGN_OR_RETURN(std::string generation, internal::ReadStubGeneration(options_.path));
    if (generation.empty()) {
      return Status::NotFound(options_.path + ": the index stub disappeared");
    }
    if (generation == generation_ && db_ != nullptr) return Status::Ok();
    return OpenGeneration(generation, /*create=*/false);
  }

  Result<int64_t> CatchUp(store::Store& store, const std::function<bool()>& should_stop,
                          const std::function<void(const IndexProgress&)>& progress) override {
    if (!pinned_) BAOGAO_RETURN_IF_ERROR(FollowStub());
    int64_t latest = 0;
    BAOGAO_RETURN_IF_ERROR(store.RunInReadTransaction([&](store::Transaction& tx) -> Status {
      BAOGAO_ASSIGN_OR_RETURN(latest, tx.LatestSequence());
      return Status::Ok();
    }));
    if (sequence_ > latest) {
      return Status::Corrupt(generation_ + ": the index has change " + std::to_string(sequence_) +
                             " but " + store.Describe() + " ends at " + std::to_string(latest) +
                             "; the index belongs to another database: run `baogao reindex`");
    }
    IndexProgress p{0, latest - sequence_};
    int64_t applied = 0;
    while (sequence_ < latest) {
      if (should_stop && should_stop()) break;
      // A rebuild may have switched generations meanwhile: move over.
      if (!pinned_) BAOGAO_RETURN_IF_ERROR(FollowStub());
      std::vector<store::Change> changes;
      ReportBatch reports;
      BAOGAO_RETURN_IF_ERROR(store.RunInReadTransaction([&](store::Transaction& tx) -> Status {
        BAOGAO_ASSIGN_OR_RETURN(changes, tx.ChangesSince(sequence_, options_.batch_size));
        std::unordered_set<int64_t> seen;
        for (const store::Change& c : changes) {
          if (!seen.insert(c.report_id.value()).second) continue;
          auto r = tx.Get(c.report_id);
          if (r.ok() && !r->hidden) {
            reports.emplace_back(c.report_id, std::move(*r));
          } else if (r.ok() || r.status().code() == StatusCode::kNotFound) {
            // Hidden reports leave the index like deleted ones.
            reports.emplace_back(c.report_id, std::nullopt);
          } else {
            return r.status();
          }
        }
        return Status::Ok();
      }));
      if (changes.empty()) break;
      const int64_t last = changes.back().sequence;
      // Ascending ids, as a literal segment takes them.
      std::sort(reports.begin(), reports.end(),
                [](const auto& a, const auto& b) { return a.first.value() < b.first.value(); });
      Status written = XapianCall(generation_, [&]() -> Status {
        for (auto& [id, report] : reports) {
          if (id.value() <= 0 || id.value() > 0xFFFFFFFFLL) {
            return Status::InvalidArgument("report id " + std::to_string(id.value()) +
                                           " does not fit a Xapian document id");
          }
        }
        BuildPipeline pipeline(options_.dictionary, reports);
        internal::LiteralSegmentWriter batch;
        std::vector<uint32_t> removed;
        std::vector<std::u32string> texts;
        std::vector<internal::WordCount> words;
        for (size_t i = 0; i < reports.size(); ++i) {
          const auto docid = static_cast<Xapian::docid>(reports[i].first.value());
          if (reports[i].second) {
            db_->replace_document(docid, pipeline.Take(i, &texts, &words));
            BAOGAO_RETURN_IF_ERROR(
                batch.Add(docid, texts, words, internal::AttrsOf(*reports[i].second)));
          } else {
            removed.push_back(docid);
            try {
              db_->delete_document(docid);
            } catch (const Xapian::DocNotFoundError&) {
              // Inserted and deleted before the index saw it.
            }
          }
        }
        BAOGAO_RETURN_IF_ERROR(literal_->Commit(&batch, removed, last));
        db_->set_metadata(std::string(internal::kMetaSequence), std::to_string(last));
        db_->commit();
        return Status::Ok();
      });
      if (!written.ok()) {
        // The generation was replaced (and removed) by a rebuild while this
        // batch was written: the new one takes over from its own sequence.
        if (!pinned_) {
          auto now = internal::ReadStubGeneration(options_.path);
          if (now.ok() && !now->empty() && *now != generation_) {
            BAOGAO_RETURN_IF_ERROR(FollowStub());
            continue;
          }
        }
        return written;
      }
      applied += static_cast<int64_t>(changes.size());
      sequence_ = last;
      p.applied = applied;
      if (progress) progress(p);
    }
    return applied;
  }

  int64_t sequence() const override { return sequence_; }
  const std::string& generation() const { return generation_; }
  // A rebuild writes its own new generation, whatever the stub says.
  void Pin() { pinned_ = true; }
  void Close() {
    db_.reset();
    literal_.reset();
  }

 private:
  IndexOptions options_;
  std::unique_ptr<Xapian::WritableDatabase> db_;
  std::unique_ptr<internal::LiteralIndex> literal_;
  std::string generation_;
  int64_t sequence_ = 0;
  bool pinned_ = false;
};

Status CheckOptions(const IndexOptions& options) {
  if (options.path.empty()) return Status::InvalidArgument("no index path");
  if (options.dictionary == nullptr) return Status::InvalidArgument("no segmentation dictionary");
  if (options.batch_size < 1) return Status::InvalidArgument("batch size must be >= 1");
  if (options.rebuild_shards < 0) return Status::InvalidArgument("rebuild shards must be >= 0");
  if (options.rebuild_batch_size < 1) {
    return Status::InvalidArgument("rebuild batch size must be >= 1");
  }
  return Status::Ok();
}

// An exclusive, non-blocking lock on `path`, released when the fd closes.
class FileLock {
 public:
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Acquire(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::IoError(path + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return Status::ResourceExhausted(path + ": another reindex is running");
    }
    return Status::Ok();
  }

 private:
  int fd_ = -1;
};

}  // namespace

std::string DefaultIndexPath(std::string_view db_path) {
  std::string_view p = db_path;
  if (p.starts_with("sqlite:")) p.remove_prefix(7);
  return std::string(p) + ".index";
}

// Removes generation directories (and a killed rebuild's shards) that the stub
// does not name: what a killed rebuild or first open left behind. The caller
// holds the rebuild lock, so nobody is building one of them.
static void RemoveStaleGenerations(const std::string& stub_path, const std::string& keep) {
  const std::filesystem::path stub(stub_path);
  const std::filesystem::path dir = stub.parent_path().empty() ? "." : stub.parent_path();
  const std::string prefix = stub.filename().string() + ".g";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with(prefix) || !e.is_directory(ec)) continue;
    const std::string full = (dir / name).string();
    if (!keep.empty() && std::filesystem::equivalent(full, keep, ec)) continue;
    std::string_view rest = std::string_view(name).substr(prefix.size());
    if (rest.ends_with(".compact")) rest.remove_suffix(8);
    if (rest.ends_with(".lit")) rest.remove_suffix(4);  // a shard's literal segments
    // A rebuild's shards: "<generation>.s<k>".
    if (const size_t s = rest.find(".s");
        s != std::string_view::npos && s + 2 < rest.size() &&
        rest.find_first_not_of("0123456789", s + 2) == std::string_view::npos) {
      rest = rest.substr(0, s);
    }
    if (rest.empty() || rest.find_first_not_of("0123456789") != std::string_view::npos) continue;
    std::filesystem::remove_all(full, ec);
    if (ec) {
      LOG(kWarning) << "could not remove " << full << ": " << ec.message();
    }
  }
}

Result<std::unique_ptr<IndexWriter>> IndexWriter::Open(const IndexOptions& options) {
  BAOGAO_RETURN_IF_ERROR(CheckOptions(options));
  auto w = std::make_unique<XapianIndexWriter>(options);
  BAOGAO_ASSIGN_OR_RETURN(std::string generation, internal::ReadStubGeneration(options.path));
  if (generation.empty()) {
    // First use: generation 1, then the stub that names it. Under the
    // rebuild lock, and starting from nothing: a first open killed half-way
    // may have left a generation without the stub.
    FileLock lock;
    BAOGAO_RETURN_IF_ERROR(lock.Acquire(options.path + ".lock"));
    BAOGAO_ASSIGN_OR_RETURN(generation, internal::ReadStubGeneration(options.path));
    if (generation.empty()) {
      RemoveStaleGenerations(options.path, "");
      BAOGAO_RETURN_IF_ERROR(
          w->OpenGeneration(internal::GenerationPath(options.path, 1), /*create=*/true));
      BAOGAO_RETURN_IF_ERROR(internal::WriteStub(options.path, 1));
      return std::unique_ptr<IndexWriter>(std::move(w));
    }
  }
  BAOGAO_RETURN_IF_ERROR(w->OpenGeneration(generation, /*create=*/false));
  return std::unique_ptr<IndexWriter>(std::move(w));
}

namespace {

// A rebuild's starting point: the last change-log sequence and every report
// id the log names up to it, ascending (deleted and hidden ones too: their
// shard skips them). One read transaction, so the two agree.
Status SnapshotIds(store::Store& store, int64_t* latest, std::vector<int64_t>* ids) {
  return store.RunInReadTransaction([&](store::Transaction& tx) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(*latest, tx.LatestSequence());
    ids->clear();
    constexpr int64_t kPage = 100000;
    int64_t after = 0;
    while (after < *latest) {
      BAOGAO_ASSIGN_OR_RETURN(std::vector<store::Change> changes, tx.ChangesSince(after, kPage));
      if (changes.empty()) break;
      for (const store::Change& c : changes) {
        if (c.sequence <= *latest) ids->push_back(c.report_id.value());
      }
      after = changes.back().sequence;
    }
    std::sort(ids->begin(), ids->end());
    ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
    for (int64_t id : *ids) {
      if (id <= 0 || id > 0xFFFFFFFFLL) {
        return Status::InvalidArgument("report id " + std::to_string(id) +
                                       " does not fit a Xapian document id");
      }
    }
    return Status::Ok();
  });
}

// Shared by the threads of one rebuild: reports done, shards finished, the
// first error. The caller's thread reports progress from it.
struct RebuildState {
  std::mutex mu;
  std::condition_variable changed;
  int64_t done = 0;
  size_t finished = 0;
  Status error;
  bool failed = false;  // shards stop at their next batch
};

// Reports per literal segment that a rebuild shard writes.
constexpr uint32_t kShardSegmentReports = 50000;

// Indexes the reports `ids` (ascending) into a new database at `dir`, with
// `sequence` as its change-log position, and into literal segments in
// `dir`.lit/, whose paths go to *segments in id order. Both are scratch
// inputs to the merge, never opened by anyone else and removed if the
// rebuild fails, so the database is written without fsync and updated in
// place.
Status BuildShard(store::Store& store, const IndexOptions& options, const std::string& dir,
                  std::span<const int64_t> ids, int64_t sequence, RebuildState* state,
                  std::vector<std::string>* segments) {
  const std::string literal_dir = dir + ".lit";
  std::error_code ec;
  std::filesystem::remove_all(literal_dir, ec);
  std::filesystem::create_directories(literal_dir, ec);
  if (ec) return Status::IoError(literal_dir + ": " + ec.message());
  internal::LiteralSegmentWriter literal;
  std::vector<std::u32string> texts;
  std::vector<internal::WordCount> words;
  auto flush_literal = [&]() -> Status {
    if (literal.report_count() == 0) return Status::Ok();
    segments->push_back(literal_dir + "/part-" + std::to_string(segments->size()) + ".lit");
    return literal.Finish(segments->back());
  };
  return XapianCall(dir, [&]() -> Status {
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS |
                                         Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS);
    db.set_metadata(std::string(internal::kMetaFormat), std::string(internal::kIndexFormat));
    db.set_metadata(std::string(internal::kMetaSequence), std::to_string(sequence));
    internal::DocumentBuilder builder(options.dictionary);
    const size_t batch = static_cast<size_t>(options.rebuild_batch_size);
    std::vector<report::Report> reports;
    for (size_t begin = 0; begin < ids.size(); begin += batch) {
      {
        std::lock_guard<std::mutex> lock(state->mu);
        if (state->failed) return Status::Ok();  // another shard's error is the answer
      }
      const std::span<const int64_t> chunk =
          ids.subspan(begin, std::min(batch, ids.size() - begin));
      reports.clear();
      BAOGAO_RETURN_IF_ERROR(store.RunInReadTransaction([&](store::Transaction& tx) -> Status {
        for (int64_t id : chunk) {
          auto r = tx.Get(report::ReportId(id));
          if (r.ok()) {
            if (!r->hidden) reports.push_back(std::move(*r));
          } else if (r.status().code() != StatusCode::kNotFound) {
            return r.status();
          }
        }
        return Status::Ok();
      }));
      for (const report::Report& r : reports) {
        // Above the database's last docid: Xapian adds without looking up.
        const auto docid = static_cast<Xapian::docid>(r.id.value());
        db.replace_document(docid, builder.Build(r, &texts, &words));
        BAOGAO_RETURN_IF_ERROR(literal.Add(docid, texts, words, internal::AttrsOf(r)));
        if (literal.report_count() >= kShardSegmentReports) BAOGAO_RETURN_IF_ERROR(flush_literal());
      }
      db.commit();
      {
        std::lock_guard<std::mutex> lock(state->mu);
        state->done += static_cast<int64_t>(chunk.size());
      }
      state->changed.notify_all();
    }
    db.commit();
    return flush_literal();
  });
}

constexpr size_t kMaxRebuildShards = 8;  // IndexOptions::rebuild_shards = 0 uses at most this

// The number of shards a rebuild of `reports` reports uses.
size_t ShardCount(const IndexOptions& options, size_t reports) {
  size_t n = options.rebuild_shards > 0
                 ? static_cast<size_t>(options.rebuild_shards)
                 : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, kMaxRebuildShards);
  // A shard of fewer than a batch of reports is not worth its thread.
  const size_t batch = static_cast<size_t>(options.rebuild_batch_size);
  n = std::min(n, std::max<size_t>(1, (reports + batch - 1) / batch));
  return n;
}

// Builds the reports `ids` into `generation` with `sequence` as its
// position: the ids are cut into contiguous ranges, one shard each, built
// in parallel and merged by Xapian's compaction, which keeps the document
// ids (the ranges are disjoint) and packs every B-tree block full. The
// merged generation is fsynced by the compaction.
Status BuildGeneration(store::Store& store, const IndexOptions& options,
                       const std::string& generation, const std::vector<int64_t>& ids,
                       int64_t sequence,
                       const std::function<void(const IndexProgress&)>& progress) {
  const size_t shards = ShardCount(options, ids.size());
  std::vector<std::string> dirs;
  for (size_t s = 0; s < shards; ++s) dirs.push_back(generation + ".s" + std::to_string(s));
  RebuildState state;
  std::vector<std::vector<std::string>> segments(shards);
  std::vector<std::thread> threads;
  for (size_t s = 0; s < shards; ++s) {
    const size_t begin = ids.size() * s / shards;
    const size_t end = ids.size() * (s + 1) / shards;
    const std::span<const int64_t> range(ids.data() + begin, end - begin);
    threads.emplace_back([&, s, range] {
      Status st;
      try {
        st = BuildShard(store, options, dirs[s], range, sequence, &state, &segments[s]);
      } catch (const std::exception& e) {
        st = Status::Internal(dirs[s] + ": " + e.what());
      }
      {
        std::lock_guard<std::mutex> lock(state.mu);
        ++state.finished;
        if (!st.ok() && !state.failed) {
          state.failed = true;
          state.error = st;
        }
      }
      state.changed.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(state.mu);
    int64_t reported = 0;
    for (;;) {
      state.changed.wait(lock, [&] { return state.finished == shards || state.done != reported; });
      if (progress && state.done != reported && !state.failed) {
        reported = state.done;
        const IndexProgress p{reported, static_cast<int64_t>(ids.size())};
        lock.unlock();
        progress(p);
        lock.lock();
      }
      reported = state.done;
      if (state.finished == shards) break;
    }
  }
  for (std::thread& t : threads) t.join();
  Status st = state.error;
  if (st.ok()) {
    st = XapianCall(generation, [&]() -> Status {
      Xapian::Database all;
      for (const std::string& d : dirs) all.add_database(Xapian::Database(d));
      all.compact(generation, Xapian::DBCOMPACT_NO_RENUMBER);
      return Status::Ok();
    });
  }
  if (st.ok()) {
    // The shards' literal segments, in id order, become the generation's.
    std::vector<std::string> all;
    for (const std::vector<std::string>& v : segments) all.insert(all.end(), v.begin(), v.end());
    st = internal::LiteralIndex::Create(internal::LiteralPath(generation), all, sequence);
  }
  std::error_code ec;
  for (const std::string& d : dirs) {
    std::filesystem::remove_all(d, ec);
    std::filesystem::remove_all(d + ".lit", ec);
  }
  return st;
}

}  // namespace

Status Rebuild(store::Store& store, const IndexOptions& options,
               const std::function<void(const IndexProgress&)>& progress) {
  BAOGAO_RETURN_IF_ERROR(CheckOptions(options));
  FileLock lock;
  BAOGAO_RETURN_IF_ERROR(lock.Acquire(options.path + ".lock"));
  BAOGAO_ASSIGN_OR_RETURN(std::string old_generation, internal::ReadStubGeneration(options.path));
  RemoveStaleGenerations(options.path, old_generation);
  // The next generation number not in use on disk.
  int n = internal::GenerationNumber(old_generation) + 1;
  while (std::filesystem::exists(internal::GenerationPath(options.path, n))) ++n;
  const std::string generation = internal::GenerationPath(options.path, n);

  // Every report as of one change-log position, then the changes after it
  // through the ordinary catch-up (re-applying a change is idempotent, so
  // a report read after the snapshot does no harm).
  int64_t latest = 0;
  std::vector<int64_t> ids;
  Status st = SnapshotIds(store, &latest, &ids);
  if (st.ok()) st = BuildGeneration(store, options, generation, ids, latest, progress);
  XapianIndexWriter w(options);
  w.Pin();
  if (st.ok()) st = w.OpenGeneration(generation, /*create=*/false);
  if (st.ok()) st = w.CatchUp(store, {}, progress).status();  // what came in meanwhile
  w.Close();
  if (!st.ok()) {
    std::error_code ec;
    std::filesystem::remove_all(generation, ec);
    return st;
  }
  BAOGAO_RETURN_IF_ERROR(internal::WriteStub(options.path, n));
  if (!old_generation.empty() && old_generation != generation) {
    // Open readers keep their files (POSIX unlink semantics) until they
    // refresh to the new generation.
    std::error_code ec;
    std::filesystem::remove_all(old_generation, ec);
    if (ec) {
      LOG(kWarning) << "could not remove " << old_generation << ": " << ec.message();
    }
  }
  return Status::Ok();
}

}  // namespace baogao::search
