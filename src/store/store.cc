#include "store/store.h"

#include "store/internal/sqlite_store.h"

namespace baogao::store {

std::string_view ChangeOpName(ChangeOp op) {
  switch (op) {
    case ChangeOp::kInsert:
      return "insert";
    case ChangeOp::kUpdate:
      return "update";
    case ChangeOp::kDelete:
      return "delete";
  }
  return "update";
}

int CurrentSchemaVersion() { return internal::kSchemaVersion; }

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  const std::string_view url = options.url;
  if (url.empty()) return Status::InvalidArgument("no store URL or path given");
  if (url.starts_with("sqlite:")) {
    std::string_view path = url.substr(7);
    // "sqlite:///abs/path" is the URL spelling of "/abs/path".
    if (path.starts_with("//")) path.remove_prefix(2);
    return internal::OpenSqliteStore(std::string(path), options);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return Status(StatusCode::kUnimplemented,
                  "the PostgreSQL store is not built yet: " + std::string(url));
  }
  if (url.find("://") != std::string_view::npos) {
    return Status::InvalidArgument("unknown store URL scheme in '" + std::string(url) +
                                   "' (expected a path, sqlite:PATH or postgresql://...)");
  }
  return internal::OpenSqliteStore(std::string(url), options);
}

// The one-call forms: each is its own transaction.

Result<ReportId> Store::Insert(const report::Report& report) {
  ReportId id;
  BAOGAO_RETURN_IF_ERROR(RunInTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(id, txn.Insert(report));
    return Status::Ok();
  }));
  return id;
}

Result<report::Report> Store::Get(ReportId id) {
  std::optional<report::Report> out;
  BAOGAO_RETURN_IF_ERROR(RunInReadTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(out, txn.Get(id));
    return Status::Ok();
  }));
  return std::move(*out);
}

Status Store::Update(const report::Report& report) {
  return RunInTransaction([&](Transaction& txn) { return txn.Update(report); });
}

Status Store::Delete(ReportId id) {
  return RunInTransaction([&](Transaction& txn) { return txn.Delete(id); });
}

Result<std::vector<report::Report>> Store::List(const ListFilter& filter) {
  std::vector<report::Report> out;
  BAOGAO_RETURN_IF_ERROR(RunInReadTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(out, txn.List(filter));
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> Store::Count(const ListFilter& filter) {
  int64_t out = 0;
  BAOGAO_RETURN_IF_ERROR(RunInReadTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(out, txn.Count(filter));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<ReportId>> Store::FindByContentHash(std::string_view content_hash) {
  std::vector<ReportId> out;
  BAOGAO_RETURN_IF_ERROR(RunInReadTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(out, txn.FindByContentHash(content_hash));
    return Status::Ok();
  }));
  return out;
}

Status Store::AddAlternateSource(ReportId id, const report::AlternateSource& source) {
  return RunInTransaction([&](Transaction& txn) { return txn.AddAlternateSource(id, source); });
}

Status Store::AddViews(const std::vector<std::pair<ReportId, int64_t>>& views) {
  return RunInTransaction([&](Transaction& txn) { return txn.AddViews(views); });
}

Result<int64_t> Store::Views(ReportId id) {
  int64_t out = 0;
  BAOGAO_RETURN_IF_ERROR(RunInReadTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(out, txn.Views(id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Change>> Store::ChangesSince(int64_t after, int64_t limit) {
  std::vector<Change> out;
  BAOGAO_RETURN_IF_ERROR(RunInReadTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(out, txn.ChangesSince(after, limit));
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> Store::LatestSequence() {
  int64_t out = 0;
  BAOGAO_RETURN_IF_ERROR(RunInReadTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(out, txn.LatestSequence());
    return Status::Ok();
  }));
  return out;
}

Result<bool> Store::ReplaceRegionHistory(const std::vector<RegionHistoryFile>& files) {
  bool changed = false;
  BAOGAO_RETURN_IF_ERROR(RunInTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(changed, txn.ReplaceRegionHistory(files));
    return Status::Ok();
  }));
  return changed;
}

Result<std::vector<RegionHistoryFile>> Store::RegionHistory() {
  std::vector<RegionHistoryFile> out;
  BAOGAO_RETURN_IF_ERROR(RunInReadTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(out, txn.RegionHistory());
    return Status::Ok();
  }));
  return out;
}

}  // namespace baogao::store
