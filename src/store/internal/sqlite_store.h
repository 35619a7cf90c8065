// The SQLite backend of Store. See docs/store.md for the schema.
#ifndef BAOGAO_STORE_INTERNAL_SQLITE_STORE_H_
#define BAOGAO_STORE_INTERNAL_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "store/store.h"

namespace baogao::store::internal {

// Opens the SQLite database file at `path` (options.url is ignored).
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options);

// PRAGMA application_id of a baogao database: "bgao".
inline constexpr int32_t kApplicationId = 0x6267616f;

// The schema version this build writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 5;

}  // namespace baogao::store::internal

#endif  // BAOGAO_STORE_INTERNAL_SQLITE_STORE_H_
