// crash_indexer DB_PATH INDEX_PATH DICT_PATH BATCH_SIZE [rebuild]
//
// Catches the index at INDEX_PATH up with the store at DB_PATH, BATCH_SIZE
// reports per commit (with "rebuild": search::Rebuild into a new
// generation instead). Prints, each line flushed:
//   "open <sequence>"   once the writer is open (not in rebuild mode),
//   "batch <sequence>"  after each committed batch (rebuild: "batch <applied>"),
//   "done <sequence>"   at the end, then exits 0.
// Exits 1 on an error. search_crash_test kills it with SIGKILL at random
// points and checks that the index recovers.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "search/search.h"
#include "segment/segment.h"
#include "store/store.h"

namespace {

int Fail(const baogao::Status& status) {
  std::fprintf(stderr, "crash_indexer: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace baogao;
  const bool rebuild = argc == 6 && std::string(argv[5]) == "rebuild";
  if (argc != 5 && !rebuild) {
    std::fprintf(stderr,
                 "usage: crash_indexer DB_PATH INDEX_PATH DICT_PATH BATCH_SIZE [rebuild]\n");
    return 2;
  }
  store::StoreOptions so;
  so.url = argv[1];
  so.create_if_missing = false;
  auto store = store::OpenStore(so);
  if (!store.ok()) return Fail(store.status());
  segment::DictionaryOptions dopts;
  dopts.path = argv[3];
  auto dict = segment::Dictionary::Load(dopts);
  if (!dict.ok()) return Fail(dict.status());

  search::IndexOptions options;
  options.path = argv[2];
  options.dictionary = *dict;
  options.batch_size = std::atoi(argv[4]);
  // A rebuild's shards commit (and report progress) as often as a catch-up
  // does, so that the kill lands at a random batch of either.
  options.rebuild_batch_size = options.batch_size;

  if (rebuild) {
    const Status s = search::Rebuild(**store, options, [](const search::IndexProgress& p) {
      std::printf("batch %lld\n", static_cast<long long>(p.applied));
      std::fflush(stdout);
    });
    if (!s.ok()) return Fail(s);
    std::printf("done 0\n");
    std::fflush(stdout);
    return 0;
  }

  auto writer = search::IndexWriter::Open(options);
  if (!writer.ok()) return Fail(writer.status());
  search::IndexWriter* w = writer->get();
  std::printf("open %lld\n", static_cast<long long>(w->sequence()));
  std::fflush(stdout);
  auto applied = w->CatchUp(**store, {}, [w](const search::IndexProgress&) {
    std::printf("batch %lld\n", static_cast<long long>(w->sequence()));
    std::fflush(stdout);
  });
  if (!applied.ok()) return Fail(applied.status());
  std::printf("done %lld\n", static_cast<long long>(w->sequence()));
  std::fflush(stdout);
  return 0;
}
