#include "store/store.h"

#include <optional>
#include <utility>

#include "store/internal/sqlite_store.h"

namespace baogao::store {
namespace {

// Runs `fn(txn)`, which returns a Result, in a transaction of its own and
// returns its value, or its error, or the commit's error.
template <typename Fn>
auto InTransaction(Store& store, bool write, Fn&& fn)
    -> decltype(fn(std::declval<Transaction&>())) {
  std::optional<decltype(fn(std::declval<Transaction&>()))> out;
  auto body = [&](Transaction& txn) -> Status {
    out.emplace(fn(txn));
    return out->status();
  };
  BAOGAO_RETURN_IF_ERROR(write ? store.RunInTransaction(body) : store.RunInReadTransaction(body));
  return std::move(*out);
}

template <typename Fn>
auto Write(Store& store, Fn&& fn) {
  return InTransaction(store, /*write=*/true, std::forward<Fn>(fn));
}

template <typename Fn>
auto Read(Store& store, Fn&& fn) {
  return InTransaction(store, /*write=*/false, std::forward<Fn>(fn));
}

}  // namespace

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

// Comments, captcha, takedowns, admin.

Result<int64_t> Store::InsertComment(const Comment& comment) {
  return Write(*this, [&](Transaction& txn) { return txn.InsertComment(comment); });
}

Result<Comment> Store::GetComment(int64_t id) {
  return Read(*this, [&](Transaction& txn) { return txn.GetComment(id); });
}

Result<std::optional<Comment>> Store::FindCommentByKey(std::string_view idempotency_key) {
  return Read(*this, [&](Transaction& txn) { return txn.FindCommentByKey(idempotency_key); });
}

Result<std::vector<Comment>> Store::ListComments(const CommentFilter& filter) {
  return Read(*this, [&](Transaction& txn) { return txn.ListComments(filter); });
}

Result<int64_t> Store::CountComments(const CommentFilter& filter) {
  return Read(*this, [&](Transaction& txn) { return txn.CountComments(filter); });
}

Result<std::vector<std::pair<ReportId, int64_t>>> Store::ApprovedCommentCounts(
    const std::vector<ReportId>& reports) {
  return Read(*this, [&](Transaction& txn) { return txn.ApprovedCommentCounts(reports); });
}

Status Store::SetCommentStatus(int64_t id, CommentStatus status) {
  return RunInTransaction([&](Transaction& txn) { return txn.SetCommentStatus(id, status); });
}

Result<bool> Store::HasCommentWithBodyHashSince(std::string_view body_hash, int64_t since) {
  return Read(*this,
              [&](Transaction& txn) { return txn.HasCommentWithBodyHashSince(body_hash, since); });
}

Result<int64_t> Store::CountApprovedCommentsFromIp(std::string_view client_ip) {
  return Read(*this, [&](Transaction& txn) { return txn.CountApprovedCommentsFromIp(client_ip); });
}

Result<bool> Store::SpendCaptcha(std::string_view nonce, int64_t expires_at) {
  return Write(*this, [&](Transaction& txn) { return txn.SpendCaptcha(nonce, expires_at); });
}

Result<std::string> Store::GetOrCreateSecret(std::string_view name, std::string_view candidate) {
  return Write(*this, [&](Transaction& txn) { return txn.GetOrCreateSecret(name, candidate); });
}

Result<int64_t> Store::InsertTakedown(const TakedownRequest& request) {
  return Write(*this, [&](Transaction& txn) { return txn.InsertTakedown(request); });
}

Result<TakedownRequest> Store::GetTakedown(int64_t id) {
  return Read(*this, [&](Transaction& txn) { return txn.GetTakedown(id); });
}

Result<std::optional<TakedownRequest>> Store::FindTakedownByKey(std::string_view idempotency_key) {
  return Read(*this, [&](Transaction& txn) { return txn.FindTakedownByKey(idempotency_key); });
}

Result<std::vector<TakedownRequest>> Store::ListTakedowns(std::optional<TakedownStatus> status,
                                                          int64_t limit, int64_t offset) {
  return Read(*this, [&](Transaction& txn) { return txn.ListTakedowns(status, limit, offset); });
}

Result<int64_t> Store::CountTakedowns(std::optional<TakedownStatus> status) {
  return Read(*this, [&](Transaction& txn) { return txn.CountTakedowns(status); });
}

Status Store::UpdateTakedown(int64_t id, TakedownStatus status, std::string_view actor,
                             std::string_view note) {
  return RunInTransaction(
      [&](Transaction& txn) { return txn.UpdateTakedown(id, status, actor, note); });
}

Result<std::vector<TakedownEvent>> Store::TakedownEvents(int64_t request_id) {
  return Read(*this, [&](Transaction& txn) { return txn.TakedownEvents(request_id); });
}

Status Store::CreateAdminUser(const AdminUser& user) {
  return RunInTransaction([&](Transaction& txn) { return txn.CreateAdminUser(user); });
}

Status Store::SetAdminPassword(std::string_view name, std::string_view password_hash) {
  return RunInTransaction(
      [&](Transaction& txn) { return txn.SetAdminPassword(name, password_hash); });
}

Result<AdminUser> Store::GetAdminUser(std::string_view name) {
  return Read(*this, [&](Transaction& txn) { return txn.GetAdminUser(name); });
}

Result<std::vector<AdminUser>> Store::ListAdminUsers() {
  return Read(*this, [&](Transaction& txn) { return txn.ListAdminUsers(); });
}

Status Store::CreateSession(const AdminSession& session) {
  return RunInTransaction([&](Transaction& txn) { return txn.CreateSession(session); });
}

Result<std::optional<AdminSession>> Store::GetSession(std::string_view token_hash) {
  return Read(*this, [&](Transaction& txn) { return txn.GetSession(token_hash); });
}

Status Store::DeleteSession(std::string_view token_hash) {
  return RunInTransaction([&](Transaction& txn) { return txn.DeleteSession(token_hash); });
}

Status Store::DeleteSessionsOf(std::string_view user) {
  return RunInTransaction([&](Transaction& txn) { return txn.DeleteSessionsOf(user); });
}

Status Store::RecordLoginFailure(std::string_view key) {
  return RunInTransaction([&](Transaction& txn) { return txn.RecordLoginFailure(key); });
}

Result<int64_t> Store::CountLoginFailures(std::string_view key, int64_t since) {
  return Read(*this, [&](Transaction& txn) { return txn.CountLoginFailures(key, since); });
}

Status Store::ClearLoginFailures(std::string_view key) {
  return RunInTransaction([&](Transaction& txn) { return txn.ClearLoginFailures(key); });
}

Result<int64_t> Store::AppendAudit(const AuditEntry& entry) {
  return Write(*this, [&](Transaction& txn) { return txn.AppendAudit(entry); });
}

Result<std::vector<AuditEntry>> Store::ListAudit(int64_t limit, int64_t offset) {
  return Read(*this, [&](Transaction& txn) { return txn.ListAudit(limit, offset); });
}

Result<int64_t> Store::CountAudit() {
  return Read(*this, [&](Transaction& txn) { return txn.CountAudit(); });
}

}  // namespace baogao::store
