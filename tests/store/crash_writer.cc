// crash_writer DB_PATH: inserts CrashReport(0), CrashReport(1), ... into the
// store at DB_PATH, one transaction each, and after each commit prints
// "<id> <n>" and flushes. Runs until killed (or an error, exit 1).
#include <cstdio>
#include <cstdlib>

#include "crash_report.h"
#include "store/store.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: crash_writer DB_PATH\n");
    return 2;
  }
  baogao::store::StoreOptions options;
  options.url = argv[1];
  auto store = baogao::store::OpenStore(options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  for (int n = 0;; ++n) {
    auto id = (*store)->Insert(baogao::store::testing::CrashReport(n));
    if (!id.ok()) {
      std::fprintf(stderr, "%s\n", id.status().ToString().c_str());
      return 1;
    }
    std::printf("%lld %d\n", static_cast<long long>(id->value()), n);
    std::fflush(stdout);
  }
}
