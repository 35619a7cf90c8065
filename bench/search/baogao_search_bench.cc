// Search benchmark engine: baogao's own search module, speaking the protocol
// of bench/search/compare.py.
//
// Build: the reports go into a SQLite store beside INDEX_DIR
// (INDEX_DIR.store.db, the system of record, as in production), then
// search::Rebuild indexes the store into INDEX_DIR/index (a Xapian
// generation). Both steps are inside the timed build; stderr shows the
// split. index_bytes (du of INDEX_DIR) is the index alone: the text lives in
// the store, which the peers' sizes include in their own way. A store left
// by an earlier build is removed first.
//
// Query: the query language of search/query.h: terms ANDed, the phrase in
// quotes, region:<prefix padded to a code>, year:a..b; top 10 by BM25 with
// one snippet each, literal occurrence counts, and the exact total.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol.h"
#include "search/search.h"
#include "segment/segment.h"
#include "store/store.h"

namespace {

using baogao::bench::Query;
using baogao::bench::QueryResult;
namespace report = baogao::report;

template <typename T>
T Check(baogao::Result<T> r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

void Check(const baogao::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.ToString());
}

report::ReportType TypeOf(const std::string& name) {
  if (name == "政府工作报告") return report::ReportType::kGovernmentWork;
  if (name == "统计公报") return report::ReportType::kStatistical;
  if (name == "规划") return report::ReportType::kPlan;
  return report::ReportType::kOther;
}

report::AdminLevel LevelOf(const std::string& slug) {
  auto l = report::AdminLevelFromSlug(slug);
  return l.ok() ? *l : report::AdminLevel::kUnknown;
}

class BaogaoEngine : public baogao::bench::Engine {
 public:
  BaogaoEngine() {
    baogao::segment::DictionaryOptions o;
    o.path = baogao::segment::Dictionary::DefaultPath();
    dict_ = Check(baogao::segment::Dictionary::Load(o), "dictionary");
  }

  void Build(const std::vector<baogao::bench::Report>& reports,
             const std::string& index_dir) override {
    std::filesystem::create_directories(index_dir);
    // A build starts from nothing: a store an earlier build left beside
    // INDEX_DIR (compare.py removes only INDEX_DIR) would get every report
    // a second time.
    for (const char* suffix :
         {".store.db", ".store.db-wal", ".store.db-shm", ".store.db-journal"}) {
      std::filesystem::remove(index_dir + suffix);
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto st = OpenStore(index_dir, /*create=*/true);
    const size_t kBatch = 500;
    for (size_t i = 0; i < reports.size(); i += kBatch) {
      Check(st->RunInTransaction([&](baogao::store::Transaction& tx) -> baogao::Status {
        for (size_t j = i; j < reports.size() && j < i + kBatch; ++j) {
          const auto& in = reports[j];
          report::Report r;
          r.title = in.title;
          for (const std::string& p : in.paragraphs) r.body.push_back({0, p});
          r.region = Check(report::RegionCode::Parse(in.region), "region");
          r.level = LevelOf(in.level);
          r.year = in.year;
          r.type = TypeOf(in.type);
          BAOGAO_RETURN_IF_ERROR(tx.Insert(r).status());
        }
        return baogao::Status::Ok();
      }),
            "store");
    }
    const auto t1 = std::chrono::steady_clock::now();
    Check(baogao::search::Rebuild(*st, Options(index_dir)), "rebuild");
    const auto t2 = std::chrono::steady_clock::now();
    std::fprintf(stderr, "baogao: store load %.2f s, index build %.2f s\n",
                 std::chrono::duration<double>(t1 - t0).count(),
                 std::chrono::duration<double>(t2 - t1).count());
  }

  void Open(const std::string& index_dir) override {
    store_ = OpenStore(index_dir, /*create=*/false);
    baogao::search::SearcherOptions o;
    o.path = Options(index_dir).path;
    o.dictionary = dict_;
    searcher_ = Check(baogao::search::Searcher::Open(o), "searcher");
  }

  QueryResult Run(const Query& q, const std::string&) override {
    baogao::search::SearchRequest req;
    for (const std::string& t : q.terms) {
      if (!req.query.empty()) req.query += ' ';
      req.query += q.phrase ? "\"" + t + "\"" : t;
    }
    if (q.region_prefix) {
      std::string code = *q.region_prefix;
      code.resize(6, '0');
      req.query += " region:" + code;
    }
    if (q.year_from || q.year_to) {
      req.query += " year:" + (q.year_from ? std::to_string(*q.year_from) : std::string()) + ".." +
                   (q.year_to ? std::to_string(*q.year_to) : std::string());
    }
    req.limit = 10;
    req.max_snippets = 1;
    auto res = Check(searcher_->Search(req, *store_), "search");
    QueryResult out;
    out.total = res.total;
    out.exact = true;
    out.hits = static_cast<int>(res.hits.size());
    for (const auto& h : res.hits) {
      for (const auto& s : h.snippets) {
        for (const auto& p : s.parts) out.snippet_bytes += static_cast<int64_t>(p.text.size());
      }
    }
    return out;
  }

 private:
  // BAOGAO_BENCH_REBUILD_SHARDS and BAOGAO_BENCH_REBUILD_BATCH override
  // the rebuild's defaults, for comparing settings on one corpus.
  baogao::search::IndexOptions Options(const std::string& index_dir) const {
    baogao::search::IndexOptions o;
    o.path = index_dir + "/index";
    o.dictionary = dict_;
    if (const char* v = std::getenv("BAOGAO_BENCH_REBUILD_SHARDS")) o.rebuild_shards = std::atoi(v);
    if (const char* v = std::getenv("BAOGAO_BENCH_REBUILD_BATCH")) {
      o.rebuild_batch_size = std::atoi(v);
    }
    return o;
  }

  static std::unique_ptr<baogao::store::Store> OpenStore(const std::string& index_dir,
                                                         bool create) {
    baogao::store::StoreOptions o;
    o.url = index_dir + ".store.db";
    o.create_if_missing = create;
    return Check(baogao::store::OpenStore(o), "store");
  }

  std::shared_ptr<const baogao::segment::Dictionary> dict_;
  std::unique_ptr<baogao::store::Store> store_;
  std::unique_ptr<baogao::search::Searcher> searcher_;
};

}  // namespace

int main(int argc, char** argv) {
  BaogaoEngine engine;
  return baogao::bench::RunEngineMain(argc, argv, "baogao", engine);
}
