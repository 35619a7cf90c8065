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
#include <thread>
#include <unordered_set>

#include "base/log.h"
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
      : reports_(reports), docs_(reports.size()), ready_(reports.size(), false) {
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

  // Document i (whose report is present), once built. Call in order.
  Xapian::Document Take(size_t i) {
    std::unique_lock<std::mutex> lock(mu_);
    taken_ = i;
    cv_.notify_all();
    cv_.wait(lock, [&] { return ready_[i]; });
    if (error_) std::rethrow_exception(error_);
    Xapian::Document d = std::move(docs_[i]);
    docs_[i] = Xapian::Document();
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
      std::exception_ptr error;
      if (reports_[i].second) {
        try {
          doc = builder.Build(*reports_[i].second);
        } catch (...) {
          error = std::current_exception();
        }
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        docs_[i] = std::move(doc);
        ready_[i] = true;
        if (error && !error_) error_ = error;
      }
      cv_.notify_all();
    }
  }

  const ReportBatch& reports_;
  std::vector<Xapian::Document> docs_;
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
      auto db = std::make_unique<Xapian::WritableDatabase>(
          generation,
          (create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) | Xapian::DB_BACKEND_GLASS);
      const std::string format = db->get_metadata(std::string(internal::kMetaFormat));
      if (format.empty() && db->get_doccount() == 0) {
        db->set_metadata(std::string(internal::kMetaFormat), std::string(internal::kIndexFormat));
        db->set_metadata(std::string(internal::kMetaSequence), "0");
        db->commit();
      } else if (format != internal::kIndexFormat) {
        return Status::Corrupt(generation + ": index format '" + format + "', expected '" +
                               std::string(internal::kIndexFormat) + "'; run `baogao reindex`");
      }
      const int64_t seq = ParseSequence(db->get_metadata(std::string(internal::kMetaSequence)));
      if (seq < 0) return Status::Corrupt(generation + ": bad sequence; run `baogao reindex`");
      sequence_ = seq;
      generation_ = generation;
      db_ = std::move(db);
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
      Status written = XapianCall(generation_, [&]() -> Status {
        for (auto& [id, report] : reports) {
          if (id.value() <= 0 || id.value() > 0xFFFFFFFFLL) {
            return Status::InvalidArgument("report id " + std::to_string(id.value()) +
                                           " does not fit a Xapian document id");
          }
        }
        BuildPipeline pipeline(options_.dictionary, reports);
        for (size_t i = 0; i < reports.size(); ++i) {
          const auto docid = static_cast<Xapian::docid>(reports[i].first.value());
          if (reports[i].second) {
            db_->replace_document(docid, pipeline.Take(i));
          } else {
            try {
              db_->delete_document(docid);
            } catch (const Xapian::DocNotFoundError&) {
              // Inserted and deleted before the index saw it.
            }
          }
        }
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
  void Close() { db_.reset(); }

 private:
  IndexOptions options_;
  std::unique_ptr<Xapian::WritableDatabase> db_;
  std::string generation_;
  int64_t sequence_ = 0;
  bool pinned_ = false;
};

Status CheckOptions(const IndexOptions& options) {
  if (options.path.empty()) return Status::InvalidArgument("no index path");
  if (options.dictionary == nullptr) return Status::InvalidArgument("no segmentation dictionary");
  if (options.batch_size < 1) return Status::InvalidArgument("batch size must be >= 1");
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

// Removes generation directories (and half-compacted copies) that the stub
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

  XapianIndexWriter w(options);
  w.Pin();
  BAOGAO_RETURN_IF_ERROR(w.OpenGeneration(generation, /*create=*/true));
  auto built = w.CatchUp(store, {}, progress);
  w.Close();
  std::error_code ec;
  if (built.ok()) {
    // Compaction packs every B-tree block full: a freshly built index
    // shrinks by about a fifth (the position table is already dense).
    const std::string packed = generation + ".compact";
    std::filesystem::remove_all(packed, ec);
    Status st = XapianCall(generation, [&]() -> Status {
      Xapian::Database(generation).compact(packed);
      return Status::Ok();
    });
    if (st.ok()) {
      std::filesystem::remove_all(generation, ec);
      std::filesystem::rename(packed, generation, ec);
      if (ec) st = Status::IoError(packed + ": " + ec.message());
    }
    if (st.ok()) st = w.OpenGeneration(generation, /*create=*/false);
    if (st.ok()) {
      built = w.CatchUp(store, {}, progress);  // what came in meanwhile
    } else {
      built = st;
    }
    w.Close();
  }
  if (!built.ok()) {
    std::filesystem::remove_all(generation, ec);
    std::filesystem::remove_all(generation + ".compact", ec);
    return built.status();
  }
  BAOGAO_RETURN_IF_ERROR(internal::WriteStub(options.path, n));
  if (!old_generation.empty() && old_generation != generation) {
    // Open readers keep their files (POSIX unlink semantics) until they
    // refresh to the new generation.
    std::filesystem::remove_all(old_generation, ec);
    if (ec) {
      LOG(kWarning) << "could not remove " << old_generation << ": " << ec.message();
    }
  }
  return Status::Ok();
}

}  // namespace baogao::search
