// The index writer killed mid-batch: crash_indexer catches the index up
// with a store of a few thousand reports in small batches and is killed with
// SIGKILL at random points, while the store changes between kills. After
// each kill the index must open, hold no change the store lacks, and catch
// up with nothing missing or doubled. Also a killed Rebuild, and Rebuild
// under a live writer and searcher (the stub switch they must follow).
//
// The kill point is random (a random number of committed batches, or a
// random delay after the start); correctness never depends on the timing.
// The seed is printed; BAOGAO_SEED=<n> replays a run's choices.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "search/search.h"
#include "store/store.h"
#include "test_corpus.h"
#include "text/fold.h"

namespace baogao::search {
namespace {

namespace fs = std::filesystem;
using report::Report;
using report::ReportId;
using testing::TextGenerator;
using IdSet = std::set<int64_t>;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kDefaultSeed = 77031;
constexpr int kBatch = 50;

// crash_indexer, running with its stdout on a pipe.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    int fds[2];
    CHECK(::pipe(fds) == 0);
    pid_ = ::fork();
    CHECK(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // The next line of output; nullopt at end of file or past `deadline`.
  std::optional<std::string> ReadLine(Clock::time_point deadline) {
    while (true) {
      if (size_t nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return std::nullopt;
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 1000))) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(out_, chunk, sizeof(chunk));
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  // SIGKILL (if still running) and reap; the wait status.
  int KillAndWait() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

// "batch 123" → {"batch", 123}.
std::pair<std::string, int64_t> ParseLine(const std::string& line) {
  const size_t sp = line.find(' ');
  if (sp == std::string::npos) return {line, -1};
  return {line.substr(0, sp), std::atoll(line.c_str() + sp + 1)};
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = testing::SeedFromEnv("crash_test", kDefaultSeed);
    rng_.seed(seed_);
    db_path_ = dir_.File("baogao.db");
    store::StoreOptions so;
    so.url = db_path_;
    auto store = store::OpenStore(so);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    index_.path = dir_.File("baogao.db.index");
    index_.dictionary = testing::TestDictionary();
    index_.batch_size = kBatch;
  }

  int Uniform(int lo, int hi) { return gen_.Uniform(lo, hi); }

  // Eight characters no report body contains, unique after folding.
  std::string NewMarker() {
    static const std::vector<std::string> kRare = {"鑫", "淼", "焱", "垚", "犇", "骉", "昍", "晶",
                                                   "森", "磊", "赑", "燚", "芔", "茻", "叕", "歮"};
    while (true) {
      std::string m;
      for (int i = 0; i < 8; ++i) m += gen_.Pick(kRare);
      if (used_markers_.insert(text::FoldToUtf8(m)).second) return m;
    }
  }

  Report NewReport(const std::string& marker) {
    Report r;
    r.type = static_cast<report::ReportType>(Uniform(0, 3));
    r.region = *report::RegionCode::FromInt(Uniform(0, 1) == 0 ? 370000 : 371403);
    r.level = report::AdminLevel::kCounty;
    r.year = Uniform(2015, 2024);
    r.title = "报告" + marker + "号";
    r.source_url = "http://example.org/" + std::to_string(Uniform(0, 1 << 30));
    for (int i = Uniform(1, 3); i > 0; --i) r.body.push_back({0, gen_.Text(5, 30)});
    return r;
  }

  void InsertReports(int n) {
    ASSERT_TRUE(store_
                    ->RunInTransaction([&](store::Transaction& tx) -> Status {
                      for (int i = 0; i < n; ++i) {
                        const std::string marker = NewMarker();
                        BAOGAO_ASSIGN_OR_RETURN(ReportId id, tx.Insert(NewReport(marker)));
                        live_[id.value()] = marker;
                        touched_.insert(id.value());
                      }
                      return Status::Ok();
                    })
                    .ok());
  }

  // Inserts, updates (half of them with a new title marker) and deletes in
  // random order, in one transaction (one change-log row each).
  void Mutate(int inserts, int updates, int deletes) {
    std::vector<int> ops;
    ops.insert(ops.end(), inserts, 0);
    ops.insert(ops.end(), updates, 1);
    ops.insert(ops.end(), deletes, 2);
    std::shuffle(ops.begin(), ops.end(), rng_);
    const Status s = store_->RunInTransaction([&](store::Transaction& tx) -> Status {
      for (int op : ops) {
        if (op == 0 || live_.empty()) {
          const std::string marker = NewMarker();
          BAOGAO_ASSIGN_OR_RETURN(ReportId id, tx.Insert(NewReport(marker)));
          live_[id.value()] = marker;
          touched_.insert(id.value());
          continue;
        }
        auto it = live_.begin();
        std::advance(it, Uniform(0, static_cast<int>(live_.size()) - 1));
        const ReportId id(it->first);
        touched_.insert(id.value());
        if (op == 1) {
          BAOGAO_ASSIGN_OR_RETURN(Report r, tx.Get(id));
          r.body = NewReport(it->second).body;
          if (Uniform(0, 1) == 0) {
            gone_.push_back(it->second);
            it->second = NewMarker();
            r.title = "报告" + it->second + "号";
          }
          BAOGAO_RETURN_IF_ERROR(tx.Update(r));
        } else {
          BAOGAO_RETURN_IF_ERROR(tx.Delete(id));
          gone_.push_back(it->second);
          live_.erase(it);
        }
      }
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  int64_t Latest() {
    auto latest = store_->LatestSequence();
    CHECK(latest.ok()) << latest.status().ToString();
    return *latest;
  }

  IdSet Search(const std::string& query, int64_t* total = nullptr) {
    IdSet ids;
    SearchRequest req;
    req.query = query;
    req.limit = 1000;
    req.max_snippets = 0;
    for (int64_t offset = 0;; offset += req.limit) {
      req.offset = offset;
      auto result = searcher_->Search(req, *store_);
      EXPECT_TRUE(result.ok()) << query << ": " << result.status().ToString();
      if (!result.ok()) break;
      if (total != nullptr) *total = result->total;
      for (const Hit& h : result->hits) {
        EXPECT_TRUE(ids.insert(h.id.value()).second) << query << ": " << h.id.value() << " twice";
      }
      if (static_cast<int64_t>(result->hits.size()) < req.limit) break;
    }
    return ids;
  }

  void OpenOrRefreshSearcher() {
    if (searcher_ == nullptr) {
      SearcherOptions so;
      so.path = index_.path;
      so.dictionary = testing::TestDictionary();
      auto s = Searcher::Open(so);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      searcher_ = std::move(*s);
    } else {
      const Status s = searcher_->Refresh();
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }

  // After a kill: the index opens, holds no more than the store and at least
  // what the child reported committed; then it catches up.
  void RecoverAndCatchUp(int64_t committed) {
    auto w = IndexWriter::Open(index_);
    ASSERT_TRUE(w.ok()) << "index does not open after the kill: " << w.status().ToString();
    const int64_t latest = Latest();
    EXPECT_LE((*w)->sequence(), latest);
    EXPECT_GE((*w)->sequence(), committed) << "a batch reported committed was lost";
    auto applied = (*w)->CatchUp(*store_);
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
    EXPECT_EQ((*w)->sequence(), latest);
  }

  // The index equals the store: same reports, each found by its marker,
  // none of the gone markers found, and literal queries agree with a scan.
  void Verify(const std::string& when) {
    SCOPED_TRACE(when + ", seed " + std::to_string(seed_));
    OpenOrRefreshSearcher();
    store::ListFilter all;
    all.limit = 1000000;
    all.with_body = true;
    auto reports = store_->List(all);
    ASSERT_TRUE(reports.ok()) << reports.status().ToString();
    IdSet store_ids;
    for (const Report& r : *reports) store_ids.insert(r.id.value());
    ASSERT_EQ(store_ids.size(), live_.size());
    EXPECT_EQ(searcher_->document_count(), static_cast<int64_t>(store_ids.size()));

    int64_t total = -1;
    const IdSet indexed = Search("", &total);
    EXPECT_EQ(total, static_cast<int64_t>(store_ids.size()));
    if (indexed != store_ids) {
      IdSet missing, extra;
      std::set_difference(store_ids.begin(), store_ids.end(), indexed.begin(), indexed.end(),
                          std::inserter(missing, missing.end()));
      std::set_difference(indexed.begin(), indexed.end(), store_ids.begin(), store_ids.end(),
                          std::inserter(extra, extra.end()));
      ADD_FAILURE() << missing.size() << " reports missing from the index (first "
                    << (missing.empty() ? 0 : *missing.begin()) << "), " << extra.size()
                    << " extra (first " << (extra.empty() ? 0 : *extra.begin()) << ")";
    }

    // Every report changed since the last check, and a sample of the rest.
    std::vector<int64_t> check(touched_.begin(), touched_.end());
    for (int i = 0; i < 60; ++i) {
      auto it = live_.begin();
      std::advance(it, Uniform(0, static_cast<int>(live_.size()) - 1));
      check.push_back(it->first);
    }
    for (int64_t id : check) {
      auto it = live_.find(id);
      if (it == live_.end()) continue;  // deleted: its marker is in gone_
      EXPECT_EQ(Search("\"" + it->second + "\""), IdSet{id}) << "marker of report " << id;
    }
    touched_.clear();
    const size_t from = gone_.size() > 100 ? gone_.size() - 100 : 0;
    for (size_t i = from; i < gone_.size(); ++i) {
      EXPECT_EQ(Search("\"" + gone_[i] + "\""), IdSet{}) << "gone marker " << gone_[i];
    }

    // Literal queries against a scan of the store.
    std::vector<std::pair<int64_t, std::vector<std::u32string>>> folded;
    for (const Report& r : *reports) {
      std::vector<std::u32string> units{text::Fold(r.title).chars};
      for (const report::Paragraph& p : r.body) units.push_back(text::Fold(p.text).chars);
      folded.emplace_back(r.id.value(), std::move(units));
    }
    for (int q = 0; q < 4; ++q) {
      std::string raw;
      for (int n = Uniform(2, 3); n > 0; --n) raw += gen_.Char();
      const std::u32string term = text::Fold(raw).chars;
      if (term.empty() || raw.find('"') != std::string::npos) continue;
      IdSet want;
      for (const auto& [id, units] : folded) {
        for (const std::u32string& u : units) {
          if (testing::NaiveCount(u, term) > 0) {
            want.insert(id);
            break;
          }
        }
      }
      EXPECT_EQ(Search("\"" + raw + "\""), want) << "query \"" << raw << "\"";
    }
  }

  std::vector<std::string> IndexFiles() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(fs::path(index_.path).parent_path())) {
      const std::string name = e.path().filename().string();
      if (name.starts_with("baogao.db.index")) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::vector<std::string> ChildArgs(bool rebuild) {
    std::vector<std::string> args = {BAOGAO_CRASH_INDEXER, db_path_, index_.path, BAOGAO_TEST_DICT,
                                     std::to_string(kBatch)};
    if (rebuild) args.push_back("rebuild");
    return args;
  }

  // Runs crash_indexer and kills it at a random point: after a random
  // number of committed batches (up to `batches`), or a random delay after
  // the start. Returns the highest sequence it reported committed (0 if
  // none), and sets *finished when it completed before the kill.
  int64_t RunAndKill(bool rebuild, int batches, bool* finished) {
    Child child(ChildArgs(rebuild));
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    int64_t committed = 0;
    *finished = false;
    auto take = [&](const std::string& line) {
      const auto [word, n] = ParseLine(line);
      if (word == "done") *finished = true;
      if (!rebuild && (word == "open" || word == "batch" || word == "done")) {
        committed = std::max(committed, n);
      }
      return word;
    };
    if (Uniform(0, 3) == 0) {
      // Anywhere, even inside Open().
      std::this_thread::sleep_for(std::chrono::microseconds(Uniform(0, 30000)));
    } else {
      const int kill_after = Uniform(0, batches);
      int seen = 0;
      while (seen < kill_after) {
        auto line = child.ReadLine(deadline);
        if (!line) break;
        const std::string word = take(*line);
        if (word == "batch") ++seen;
        if (word == "done") break;
      }
      if (Uniform(0, 1) == 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(Uniform(0, 5000)));
      }
    }
    const int status = child.KillAndWait();
    // Whatever it printed before dying.
    while (auto line = child.ReadLine(Clock::now() + std::chrono::seconds(5))) take(*line);
    if (WIFEXITED(status)) {
      EXPECT_EQ(WEXITSTATUS(status), 0) << "crash_indexer failed (see its stderr)";
      EXPECT_TRUE(*finished);
    } else {
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    }
    return committed;
  }

  testing::TempDir dir_;
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  TextGenerator gen_{&rng_};
  std::string db_path_;
  std::unique_ptr<store::Store> store_;
  IndexOptions index_;
  std::unique_ptr<Searcher> searcher_;
  std::map<int64_t, std::string> live_;  // report id → its title marker
  std::vector<std::string> gone_;        // markers of deleted or retitled reports
  IdSet touched_;                        // changed since the last Verify
  std::set<std::string> used_markers_;   // folded
};

TEST_F(CrashTest, KilledIndexerCatchesUpWithNothingMissingOrDoubled) {
  InsertReports(2000);
  constexpr int kCycles = 10;
  int killed = 0;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    if (cycle > 0) Mutate(Uniform(0, 150), Uniform(0, 80), Uniform(0, 40));
    // Sometimes the index is left behind for the next cycle too, so that a
    // child starts from a partly caught-up index with a long backlog.
    const bool catch_up = cycle == kCycles - 1 || Uniform(0, 2) != 0;
    int64_t from = 0;
    if (fs::exists(index_.path)) {
      auto w = IndexWriter::Open(index_);
      ASSERT_TRUE(w.ok()) << w.status().ToString();
      from = (*w)->sequence();
    }
    bool finished = false;
    const int64_t committed =
        RunAndKill(/*rebuild=*/false, static_cast<int>((Latest() - from) / kBatch), &finished);
    if (!finished) ++killed;
    if (HasFatalFailure()) return;
    if (!catch_up) {
      auto w = IndexWriter::Open(index_);
      ASSERT_TRUE(w.ok()) << "index does not open after the kill: " << w.status().ToString();
      EXPECT_LE((*w)->sequence(), Latest());
      EXPECT_GE((*w)->sequence(), committed);
      continue;
    }
    RecoverAndCatchUp(committed);
    if (HasFatalFailure()) return;
    Verify("after cycle " + std::to_string(cycle));
    if (HasFatalFailure()) return;
  }
  std::printf("%d of %d cycles killed the indexer before it finished\n", killed, kCycles);
  EXPECT_GE(killed, 1) << "the indexer was never killed: the test tested nothing";
}

// A rebuild killed part way leaves the index as it was: the stub names a
// whole generation, which opens and catches up; the next rebuild succeeds.
TEST_F(CrashTest, KilledRebuildLeavesAWorkingIndex) {
  InsertReports(1000);
  {
    auto w = IndexWriter::Open(index_);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->CatchUp(*store_).ok());
  }
  Verify("before");
  for (int cycle = 0; cycle < 3; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    Mutate(50, 30, 20);
    bool finished = false;
    RunAndKill(/*rebuild=*/true, static_cast<int>(Latest() / kBatch), &finished);
    if (HasFatalFailure()) return;
    RecoverAndCatchUp(0);
    if (HasFatalFailure()) return;
    Verify("after killed rebuild " + std::to_string(cycle));
  }
  std::string files;
  for (const std::string& f : IndexFiles()) files += " " + f;
  std::printf("index files after killed rebuilds:%s\n", files.c_str());
  ASSERT_TRUE(Rebuild(*store_, index_).ok());
  Verify("after a whole rebuild");
  files.clear();
  for (const std::string& f : IndexFiles()) files += " " + f;
  std::printf("index files after a whole rebuild:%s\n", files.c_str());
}

// Rebuild while a writer and a searcher are open on the old generation:
// the stub switches, the old generation goes, and both follow.
TEST_F(CrashTest, RebuildUnderLiveWriterAndSearcher) {
  InsertReports(300);
  auto w = IndexWriter::Open(index_);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  IndexWriter& writer = **w;
  ASSERT_TRUE(writer.CatchUp(*store_).ok());
  Verify("before the rebuild");
  const std::string g1 = index_.path + ".g1";
  ASSERT_TRUE(fs::is_directory(g1));

  for (int round = 2; round <= 3; ++round) {
    SCOPED_TRACE("rebuild " + std::to_string(round - 1));
    Mutate(40, 20, 10);  // not yet in the writer's generation
    const Status rebuilt = Rebuild(*store_, index_);
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.ToString();
    const std::string old_gen = index_.path + ".g" + std::to_string(round - 1);
    const std::string new_gen = index_.path + ".g" + std::to_string(round);
    EXPECT_FALSE(fs::exists(old_gen)) << "old generation not removed";
    EXPECT_TRUE(fs::is_directory(new_gen));

    // The searcher still answers from the old generation's open files
    // until it refreshes.
    SearchRequest req;
    req.query = "发展";
    auto before = searcher_->Search(req, *store_);
    EXPECT_TRUE(before.ok()) << "searcher on a removed generation: " << before.status().ToString();

    // More changes; the writer's next CatchUp moves to the new generation.
    Mutate(30, 10, 10);
    auto applied = writer.CatchUp(*store_);
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
    EXPECT_EQ(writer.sequence(), Latest());
    Verify("after rebuild " + std::to_string(round - 1));  // refreshes the searcher
    if (HasFatalFailure()) return;
  }
  // Only the current generation remains.
  std::vector<std::string> generations;
  for (const std::string& f : IndexFiles()) {
    if (f.starts_with("baogao.db.index.g")) generations.push_back(f);
  }
  EXPECT_EQ(generations, std::vector<std::string>{"baogao.db.index.g3"});
}

}  // namespace
}  // namespace baogao::search
