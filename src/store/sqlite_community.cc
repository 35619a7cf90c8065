// The SQLite tables of store/community.h (schema version 4; docs/store.md).
//
// Unique keys (idempotency keys, user names, session token hashes) are
// looked up before inserting: writers are serialised by BEGIN IMMEDIATE, so
// the lookup cannot race, and kAlreadyExists then writes nothing at all
// (INSERT ... ON CONFLICT DO NOTHING would still use up an AUTOINCREMENT
// number) and gets a message naming the key. The UNIQUE constraints stay as
// the backstop: SqliteStatus maps a violation to kAlreadyExists, and SQLite
// undoes only the failed statement, so the enclosing transaction goes on.
#include "store/internal/sqlite_community.h"

#include <set>
#include <string>
#include <utility>

#include "base/check.h"

namespace baogao::store::internal {
namespace {

constexpr std::string_view kCommentColumns =
    "id, report_id, parent_id, nickname, body, client_ip, status, flags, idempotency_key, "
    "body_hash, created_at, updated_at";

constexpr std::string_view kTakedownColumns =
    "id, report_id, reason, contact, details, client_ip, idempotency_key, status, created_at, "
    "updated_at";

// For messages: the text as given, cut to a sane length.
std::string Quote(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 64));
  if (s.size() > 64) out += "...";
  out += "'";
  return out;
}

// [A-Za-z0-9._-]{1,64}
bool IsValidAdminName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Runs a one-row query whose first column is an integer (COUNT, EXISTS).
Result<int64_t> StepInt(Statement& stmt, const Database& db, std::string_view what) {
  BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::Internal(db.path() + ": " + std::string(what) + ": no result");
  return stmt.ColumnInt(0);
}

Status CheckPage(int64_t limit, int64_t offset, std::string_view what) {
  if (limit < 0 || offset < 0) {
    return Status::InvalidArgument(std::string(what) + ": limit and offset must not be negative");
  }
  return Status::Ok();
}

// What the site shows: approved comments whose parent, if any, is approved.
constexpr const char* kVisible =
    "status = 'approved' AND (parent_id IS NULL OR EXISTS (SELECT 1 FROM comments AS p "
    "WHERE p.id = comments.parent_id AND p.status = 'approved'))";

// The WHERE clause of ListComments/CountComments. Parameters 1..3 have
// fixed meanings whatever is set, so the numbering never shifts.
std::string CommentWhere(const CommentFilter& f) {
  std::string where;
  auto add = [&where](const char* cond) {
    where += where.empty() ? " WHERE " : " AND ";
    where += cond;
  };
  if (f.report) add("report_id = ?1");
  if (f.status) add("status = ?2");
  // Replies of comment 0 are the top-level comments (Comment::parent_id).
  if (f.top_level_only || (f.parent_id && *f.parent_id == 0)) add("parent_id IS NULL");
  if (f.parent_id && *f.parent_id != 0) add("parent_id = ?3");
  if (f.visible_only) add(kVisible);
  return where;
}

void BindCommentFilter(Statement& stmt, const CommentFilter& f) {
  if (f.report) stmt.BindInt(1, f.report->value());
  if (f.status) stmt.BindText(2, CommentStatusSlug(*f.status));
  if (f.parent_id && *f.parent_id != 0) stmt.BindInt(3, *f.parent_id);
}

}  // namespace

void SqliteCommunityTransaction::CheckWritable(const char* op) const {
  CHECK(write_) << op << " inside a read transaction";
}

Status SqliteCommunityTransaction::ReportExists(ReportId id, std::string_view what) const {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_, "SELECT EXISTS (SELECT 1 FROM reports WHERE id = ?1)", what));
  stmt.BindInt(1, id.value());
  BAOGAO_ASSIGN_OR_RETURN(int64_t exists, StepInt(stmt, db_, what));
  if (exists == 0) {
    return Status::NotFound(std::string(what) + ": report " + std::to_string(id.value()) +
                            " not found in " + db_.path());
  }
  return Status::Ok();
}

// Comments

Result<Comment> SqliteCommunityTransaction::ReadComment(const Statement& s) const {
  Comment c;
  c.id = s.ColumnInt(0);
  c.report_id = ReportId(s.ColumnInt(1));
  c.parent_id = s.ColumnIsNull(2) ? 0 : s.ColumnInt(2);
  c.nickname = s.ColumnText(3);
  c.body = s.ColumnText(4);
  c.client_ip = s.ColumnText(5);
  auto status = CommentStatusFromSlug(s.ColumnText(6));
  if (!status.ok()) {
    return Status::Corrupt(db_.path() + ": comment " + std::to_string(c.id) + ": " +
                           status.status().message());
  }
  c.status = *status;
  c.flags = s.ColumnText(7);
  c.idempotency_key = s.ColumnText(8);
  c.body_hash = s.ColumnText(9);
  c.created_at = s.ColumnInt(10);
  c.updated_at = s.ColumnInt(11);
  return c;
}

Result<int64_t> SqliteCommunityTransaction::InsertComment(const Comment& c) {
  CheckWritable("InsertComment");
  if (c.idempotency_key.empty()) {
    return Status::InvalidArgument("insert comment: the idempotency key is empty");
  }
  BAOGAO_RETURN_IF_ERROR(ReportExists(c.report_id, "insert comment"));
  if (c.parent_id != 0) {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement parent,
        Statement::Prepare(db_, "SELECT report_id, parent_id FROM comments WHERE id = ?1",
                           "insert comment"));
    parent.BindInt(1, c.parent_id);
    BAOGAO_ASSIGN_OR_RETURN(bool row, parent.Step());
    if (!row || parent.ColumnInt(0) != c.report_id.value() || !parent.ColumnIsNull(1)) {
      return Status::InvalidArgument("insert comment: parent " + std::to_string(c.parent_id) +
                                     " is not a top-level comment of report " +
                                     std::to_string(c.report_id.value()));
    }
  }
  BAOGAO_ASSIGN_OR_RETURN(std::optional<Comment> existing, FindCommentByKey(c.idempotency_key));
  if (existing) {
    return Status::AlreadyExists("insert comment: comment " + std::to_string(existing->id) +
                                 " has the idempotency key " + Quote(c.idempotency_key));
  }
  const int64_t now = clock_.NowUnixSeconds();
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "INSERT INTO comments (report_id, parent_id, nickname, body, client_ip, "
                         "status, flags, idempotency_key, body_hash, created_at, updated_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                         "insert comment"));
  stmt.BindInt(1, c.report_id.value());
  if (c.parent_id != 0) {
    stmt.BindInt(2, c.parent_id);
  } else {
    stmt.BindNull(2);
  }
  stmt.BindText(3, c.nickname)
      .BindText(4, c.body)
      .BindText(5, c.client_ip)
      .BindText(6, CommentStatusSlug(c.status))
      .BindText(7, c.flags)
      .BindText(8, c.idempotency_key)
      .BindText(9, c.body_hash)
      .BindInt(10, now);
  BAOGAO_RETURN_IF_ERROR(stmt.Run());
  return db_.last_insert_rowid();
}

Result<Comment> SqliteCommunityTransaction::GetComment(int64_t id) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "SELECT " + std::string(kCommentColumns) + " FROM comments WHERE id = ?1",
                         "get comment"));
  stmt.BindInt(1, id);
  BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return Status::NotFound("comment " + std::to_string(id) + " not found in " + db_.path());
  }
  return ReadComment(stmt);
}

Result<std::optional<Comment>> SqliteCommunityTransaction::FindCommentByKey(
    std::string_view idempotency_key) {
  BAOGAO_ASSIGN_OR_RETURN(Statement stmt,
                          Statement::Prepare(db_,
                                             "SELECT " + std::string(kCommentColumns) +
                                                 " FROM comments WHERE idempotency_key = ?1",
                                             "find comment by key"));
  stmt.BindText(1, idempotency_key);
  BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<Comment>();
  BAOGAO_ASSIGN_OR_RETURN(Comment c, ReadComment(stmt));
  return std::optional<Comment>(std::move(c));
}

Result<std::vector<Comment>> SqliteCommunityTransaction::ListComments(const CommentFilter& filter) {
  BAOGAO_RETURN_IF_ERROR(CheckPage(filter.limit, filter.offset, "list comments"));
  const std::string sql =
      "SELECT " + std::string(kCommentColumns) + " FROM comments" + CommentWhere(filter) +
      (filter.newest_first ? " ORDER BY created_at DESC, id DESC" : " ORDER BY created_at, id") +
      " LIMIT ?4 OFFSET ?5";
  BAOGAO_ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db_, sql, "list comments"));
  BindCommentFilter(stmt, filter);
  stmt.BindInt(4, filter.limit).BindInt(5, filter.offset);
  std::vector<Comment> out;
  while (true) {
    BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BAOGAO_ASSIGN_OR_RETURN(Comment c, ReadComment(stmt));
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> SqliteCommunityTransaction::CountComments(const CommentFilter& filter) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_, "SELECT COUNT(*) FROM comments" + CommentWhere(filter),
                         "count comments"));
  BindCommentFilter(stmt, filter);
  return StepInt(stmt, db_, "count comments");
}

Result<std::vector<std::pair<ReportId, int64_t>>> SqliteCommunityTransaction::ApprovedCommentCounts(
    const std::vector<ReportId>& reports) {
  // One indexed count per report: a page asks for a few dozen at most, and
  // a fixed statement beats building an IN list of variable length.
  BAOGAO_ASSIGN_OR_RETURN(Statement stmt,
                          Statement::Prepare(db_,
                                             std::string("SELECT COUNT(*) FROM comments WHERE "
                                                         "report_id = ?1 AND ") +
                                                 kVisible,
                                             "count approved comments"));
  std::vector<std::pair<ReportId, int64_t>> out;
  for (ReportId id : std::set<ReportId>(reports.begin(), reports.end())) {
    stmt.Reset();
    stmt.BindInt(1, id.value());
    BAOGAO_ASSIGN_OR_RETURN(int64_t n, StepInt(stmt, db_, "count approved comments"));
    if (n > 0) out.emplace_back(id, n);
  }
  return out;
}

Status SqliteCommunityTransaction::SetCommentStatus(int64_t id, CommentStatus status) {
  CheckWritable("SetCommentStatus");
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_, "UPDATE comments SET status = ?1, updated_at = ?2 WHERE id = ?3",
                         "set comment status"));
  stmt.BindText(1, CommentStatusSlug(status)).BindInt(2, clock_.NowUnixSeconds()).BindInt(3, id);
  BAOGAO_RETURN_IF_ERROR(stmt.Run());
  if (db_.changes() == 0) {
    return Status::NotFound("comment " + std::to_string(id) + " not found in " + db_.path());
  }
  return Status::Ok();
}

Result<bool> SqliteCommunityTransaction::HasCommentWithBodyHashSince(std::string_view body_hash,
                                                                     int64_t since) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "SELECT EXISTS (SELECT 1 FROM comments WHERE body_hash = ?1 AND "
                         "created_at >= ?2)",
                         "check duplicate comment"));
  stmt.BindText(1, body_hash).BindInt(2, since);
  BAOGAO_ASSIGN_OR_RETURN(int64_t exists, StepInt(stmt, db_, "check duplicate comment"));
  return exists != 0;
}

Result<int64_t> SqliteCommunityTransaction::CountApprovedCommentsFromIp(
    std::string_view client_ip) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt, Statement::Prepare(db_,
                                         "SELECT COUNT(*) FROM comments WHERE client_ip = ?1 AND "
                                         "status = 'approved'",
                                         "count approved comments from IP"));
  stmt.BindText(1, client_ip);
  return StepInt(stmt, db_, "count approved comments from IP");
}

// Captcha and secrets

Result<bool> SqliteCommunityTransaction::SpendCaptcha(std::string_view nonce, int64_t expires_at) {
  CheckWritable("SpendCaptcha");
  if (nonce.empty()) return Status::InvalidArgument("spend captcha: the nonce is empty");
  {
    // Cheap: captcha_spent_by_expiry finds the expired rows (usually none).
    BAOGAO_ASSIGN_OR_RETURN(
        Statement prune, Statement::Prepare(db_, "DELETE FROM captcha_spent WHERE expires_at < ?1",
                                            "prune spent captchas"));
    prune.BindInt(1, clock_.NowUnixSeconds());
    BAOGAO_RETURN_IF_ERROR(prune.Run());
  }
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "INSERT INTO captcha_spent (nonce, expires_at) VALUES (?1, ?2) "
                         "ON CONFLICT (nonce) DO NOTHING",
                         "spend captcha"));
  stmt.BindText(1, nonce).BindInt(2, expires_at);
  BAOGAO_RETURN_IF_ERROR(stmt.Run());
  return db_.changes() == 1;
}

Result<std::string> SqliteCommunityTransaction::GetOrCreateSecret(std::string_view name,
                                                                  std::string_view candidate) {
  CheckWritable("GetOrCreateSecret");
  if (name.empty() || candidate.empty()) {
    return Status::InvalidArgument("site secret: empty name or value");
  }
  {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement put,
        Statement::Prepare(db_,
                           "INSERT INTO site_secrets (name, value, created_at) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (name) DO NOTHING",
                           "store site secret"));
    put.BindText(1, name).BindBlob(2, candidate).BindInt(3, clock_.NowUnixSeconds());
    BAOGAO_RETURN_IF_ERROR(put.Run());
  }
  BAOGAO_ASSIGN_OR_RETURN(Statement get,
                          Statement::Prepare(db_, "SELECT value FROM site_secrets WHERE name = ?1",
                                             "read site secret"));
  get.BindText(1, name);
  BAOGAO_ASSIGN_OR_RETURN(bool row, get.Step());
  if (!row) return Status::Internal(db_.path() + ": site secret " + Quote(name) + " vanished");
  return get.ColumnBlob(0);
}

// Takedown requests

Result<TakedownRequest> SqliteCommunityTransaction::ReadTakedown(const Statement& s) const {
  TakedownRequest t;
  t.id = s.ColumnInt(0);
  t.report_id = ReportId(s.ColumnInt(1));
  auto corrupt = [&](const Status& st) {
    return Status::Corrupt(db_.path() + ": takedown request " + std::to_string(t.id) + ": " +
                           st.message());
  };
  auto reason = TakedownReasonFromSlug(s.ColumnText(2));
  if (!reason.ok()) return corrupt(reason.status());
  t.reason = *reason;
  t.contact = s.ColumnText(3);
  t.details = s.ColumnText(4);
  t.client_ip = s.ColumnText(5);
  t.idempotency_key = s.ColumnText(6);
  auto status = TakedownStatusFromSlug(s.ColumnText(7));
  if (!status.ok()) return corrupt(status.status());
  t.status = *status;
  t.created_at = s.ColumnInt(8);
  t.updated_at = s.ColumnInt(9);
  return t;
}

Result<int64_t> SqliteCommunityTransaction::InsertTakedown(const TakedownRequest& r) {
  CheckWritable("InsertTakedown");
  if (r.contact.empty()) return Status::InvalidArgument("takedown request: the contact is empty");
  if (r.details.empty()) return Status::InvalidArgument("takedown request: the details are empty");
  if (r.idempotency_key.empty()) {
    return Status::InvalidArgument("takedown request: the idempotency key is empty");
  }
  BAOGAO_RETURN_IF_ERROR(ReportExists(r.report_id, "takedown request"));
  BAOGAO_ASSIGN_OR_RETURN(std::optional<TakedownRequest> existing,
                          FindTakedownByKey(r.idempotency_key));
  if (existing) {
    return Status::AlreadyExists("takedown request " + std::to_string(existing->id) +
                                 " has the idempotency key " + Quote(r.idempotency_key));
  }
  const int64_t now = clock_.NowUnixSeconds();
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "INSERT INTO takedown_requests (report_id, reason, contact, details, "
                         "client_ip, idempotency_key, status, created_at, updated_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?7)",
                         "insert takedown request"));
  stmt.BindInt(1, r.report_id.value())
      .BindText(2, TakedownReasonSlug(r.reason))
      .BindText(3, r.contact)
      .BindText(4, r.details)
      .BindText(5, r.client_ip)
      .BindText(6, r.idempotency_key)
      .BindInt(7, now);
  BAOGAO_RETURN_IF_ERROR(stmt.Run());
  const int64_t id = db_.last_insert_rowid();
  BAOGAO_ASSIGN_OR_RETURN(
      Statement event,
      Statement::Prepare(db_,
                         "INSERT INTO takedown_events (request_id, time, actor, action, note) "
                         "VALUES (?1, ?2, '', 'submitted', '')",
                         "insert takedown event"));
  event.BindInt(1, id).BindInt(2, now);
  BAOGAO_RETURN_IF_ERROR(event.Run());
  return id;
}

Result<TakedownRequest> SqliteCommunityTransaction::GetTakedown(int64_t id) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(
          db_, "SELECT " + std::string(kTakedownColumns) + " FROM takedown_requests WHERE id = ?1",
          "get takedown request"));
  stmt.BindInt(1, id);
  BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return Status::NotFound("takedown request " + std::to_string(id) + " not found in " +
                            db_.path());
  }
  return ReadTakedown(stmt);
}

Result<std::optional<TakedownRequest>> SqliteCommunityTransaction::FindTakedownByKey(
    std::string_view idempotency_key) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt, Statement::Prepare(db_,
                                         "SELECT " + std::string(kTakedownColumns) +
                                             " FROM takedown_requests WHERE idempotency_key = ?1",
                                         "find takedown request by key"));
  stmt.BindText(1, idempotency_key);
  BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<TakedownRequest>();
  BAOGAO_ASSIGN_OR_RETURN(TakedownRequest t, ReadTakedown(stmt));
  return std::optional<TakedownRequest>(std::move(t));
}

Result<std::vector<TakedownRequest>> SqliteCommunityTransaction::ListTakedowns(
    std::optional<TakedownStatus> status, int64_t limit, int64_t offset) {
  BAOGAO_RETURN_IF_ERROR(CheckPage(limit, offset, "list takedown requests"));
  const std::string sql = "SELECT " + std::string(kTakedownColumns) + " FROM takedown_requests" +
                          (status ? " WHERE status = ?1" : "") +
                          " ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3";
  BAOGAO_ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db_, sql, "list takedown requests"));
  if (status) stmt.BindText(1, TakedownStatusSlug(*status));
  stmt.BindInt(2, limit).BindInt(3, offset);
  std::vector<TakedownRequest> out;
  while (true) {
    BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BAOGAO_ASSIGN_OR_RETURN(TakedownRequest t, ReadTakedown(stmt));
    out.push_back(std::move(t));
  }
  return out;
}

Result<int64_t> SqliteCommunityTransaction::CountTakedowns(std::optional<TakedownStatus> status) {
  BAOGAO_ASSIGN_OR_RETURN(Statement stmt,
                          Statement::Prepare(db_,
                                             std::string("SELECT COUNT(*) FROM takedown_requests") +
                                                 (status ? " WHERE status = ?1" : ""),
                                             "count takedown requests"));
  if (status) stmt.BindText(1, TakedownStatusSlug(*status));
  return StepInt(stmt, db_, "count takedown requests");
}

Status SqliteCommunityTransaction::UpdateTakedown(int64_t id, TakedownStatus status,
                                                  std::string_view actor, std::string_view note) {
  CheckWritable("UpdateTakedown");
  BAOGAO_ASSIGN_OR_RETURN(TakedownRequest old, GetTakedown(id));
  const int64_t now = clock_.NowUnixSeconds();
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "UPDATE takedown_requests SET status = ?1, updated_at = ?2 WHERE id = ?3",
                         "update takedown request"));
  stmt.BindText(1, TakedownStatusSlug(status)).BindInt(2, now).BindInt(3, id);
  BAOGAO_RETURN_IF_ERROR(stmt.Run());
  std::string_view action = TakedownStatusSlug(status);
  if (status == old.status) {
    action = "note";
  } else if (status == TakedownStatus::kOpen) {
    action = "reopened";
  }
  BAOGAO_ASSIGN_OR_RETURN(
      Statement event,
      Statement::Prepare(db_,
                         "INSERT INTO takedown_events (request_id, time, actor, action, note) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
                         "insert takedown event"));
  event.BindInt(1, id).BindInt(2, now).BindText(3, actor).BindText(4, action).BindText(5, note);
  return event.Run();
}

Result<std::vector<TakedownEvent>> SqliteCommunityTransaction::TakedownEvents(int64_t request_id) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "SELECT id, request_id, time, actor, action, note FROM takedown_events "
                         "WHERE request_id = ?1 ORDER BY id",
                         "read takedown events"));
  stmt.BindInt(1, request_id);
  std::vector<TakedownEvent> out;
  while (true) {
    BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnInt(0), stmt.ColumnInt(1), stmt.ColumnInt(2), stmt.ColumnText(3),
                   stmt.ColumnText(4), stmt.ColumnText(5)});
  }
  return out;
}

// Admin users and sessions

Status SqliteCommunityTransaction::CreateAdminUser(const AdminUser& user) {
  CheckWritable("CreateAdminUser");
  if (!IsValidAdminName(user.name)) {
    return Status::InvalidArgument("admin user name " + Quote(user.name) +
                                   " must be 1 to 64 of A-Z a-z 0-9 . _ -");
  }
  if (user.password_hash.empty()) {
    return Status::InvalidArgument("admin user " + user.name + ": empty password hash");
  }
  {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement exists,
        Statement::Prepare(db_, "SELECT EXISTS (SELECT 1 FROM admin_users WHERE name = ?1)",
                           "create admin user"));
    exists.BindText(1, user.name);
    BAOGAO_ASSIGN_OR_RETURN(int64_t taken, StepInt(exists, db_, "create admin user"));
    if (taken != 0) return Status::AlreadyExists("admin user " + user.name + " exists already");
  }
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "INSERT INTO admin_users (name, password_hash, created_at, updated_at) "
                         "VALUES (?1, ?2, ?3, ?3)",
                         "create admin user"));
  stmt.BindText(1, user.name).BindText(2, user.password_hash).BindInt(3, clock_.NowUnixSeconds());
  return stmt.Run();
}

Status SqliteCommunityTransaction::SetAdminPassword(std::string_view name,
                                                    std::string_view password_hash) {
  CheckWritable("SetAdminPassword");
  if (password_hash.empty()) {
    return Status::InvalidArgument("admin user " + Quote(name) + ": empty password hash");
  }
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "UPDATE admin_users SET password_hash = ?1, updated_at = ?2 "
                         "WHERE name = ?3",
                         "set admin password"));
  stmt.BindText(1, password_hash).BindInt(2, clock_.NowUnixSeconds()).BindText(3, name);
  BAOGAO_RETURN_IF_ERROR(stmt.Run());
  if (db_.changes() == 0) {
    return Status::NotFound("admin user " + Quote(name) + " not found in " + db_.path());
  }
  return Status::Ok();
}

Result<AdminUser> SqliteCommunityTransaction::GetAdminUser(std::string_view name) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "SELECT name, password_hash, created_at, updated_at FROM admin_users "
                         "WHERE name = ?1",
                         "get admin user"));
  stmt.BindText(1, name);
  BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::NotFound("admin user " + Quote(name) + " not found in " + db_.path());
  return AdminUser{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2), stmt.ColumnInt(3)};
}

Result<std::vector<AdminUser>> SqliteCommunityTransaction::ListAdminUsers() {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "SELECT name, password_hash, created_at, updated_at FROM admin_users "
                         "ORDER BY name",
                         "list admin users"));
  std::vector<AdminUser> out;
  while (true) {
    BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnInt(2), stmt.ColumnInt(3)});
  }
  return out;
}

Status SqliteCommunityTransaction::CreateSession(const AdminSession& session) {
  CheckWritable("CreateSession");
  if (session.token_hash.empty()) {
    return Status::InvalidArgument("create session: the token hash is empty");
  }
  const int64_t now = clock_.NowUnixSeconds();
  {
    // Expired sessions are never returned; drop them while we are here.
    BAOGAO_ASSIGN_OR_RETURN(
        Statement prune,
        Statement::Prepare(db_, "DELETE FROM admin_sessions WHERE expires_at <= ?1",
                           "prune sessions"));
    prune.BindInt(1, now);
    BAOGAO_RETURN_IF_ERROR(prune.Run());
  }
  {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement user,
        Statement::Prepare(db_, "SELECT EXISTS (SELECT 1 FROM admin_users WHERE name = ?1)",
                           "create session"));
    user.BindText(1, session.user);
    BAOGAO_ASSIGN_OR_RETURN(int64_t exists, StepInt(user, db_, "create session"));
    if (exists == 0) {
      return Status::NotFound("create session: admin user " + Quote(session.user) +
                              " not found in " + db_.path());
    }
  }
  {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement taken,
        Statement::Prepare(db_,
                           "SELECT EXISTS (SELECT 1 FROM admin_sessions WHERE token_hash = ?1)",
                           "create session"));
    taken.BindText(1, session.token_hash);
    BAOGAO_ASSIGN_OR_RETURN(int64_t exists, StepInt(taken, db_, "create session"));
    if (exists != 0) return Status::AlreadyExists("create session: the token hash is in use");
  }
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(
          db_,
          "INSERT INTO admin_sessions (token_hash, user_name, csrf_secret, created_at, "
          "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
          "create session"));
  stmt.BindText(1, session.token_hash)
      .BindText(2, session.user)
      .BindText(3, session.csrf_secret)
      .BindInt(4, now)
      .BindInt(5, session.expires_at);
  return stmt.Run();
}

Result<std::optional<AdminSession>> SqliteCommunityTransaction::GetSession(
    std::string_view token_hash) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "SELECT token_hash, user_name, csrf_secret, created_at, expires_at "
                         "FROM admin_sessions WHERE token_hash = ?1 AND expires_at > ?2",
                         "get session"));
  stmt.BindText(1, token_hash).BindInt(2, clock_.NowUnixSeconds());
  BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<AdminSession>();
  return std::optional<AdminSession>(AdminSession{stmt.ColumnText(0), stmt.ColumnText(1),
                                                  stmt.ColumnText(2), stmt.ColumnInt(3),
                                                  stmt.ColumnInt(4)});
}

Status SqliteCommunityTransaction::DeleteSession(std::string_view token_hash) {
  CheckWritable("DeleteSession");
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt, Statement::Prepare(db_, "DELETE FROM admin_sessions WHERE token_hash = ?1",
                                         "delete session"));
  stmt.BindText(1, token_hash);
  return stmt.Run();
}

Status SqliteCommunityTransaction::DeleteSessionsOf(std::string_view user) {
  CheckWritable("DeleteSessionsOf");
  BAOGAO_ASSIGN_OR_RETURN(Statement stmt,
                          Statement::Prepare(db_, "DELETE FROM admin_sessions WHERE user_name = ?1",
                                             "delete sessions"));
  stmt.BindText(1, user);
  return stmt.Run();
}

// Login failures

Status SqliteCommunityTransaction::RecordLoginFailure(std::string_view key) {
  CheckWritable("RecordLoginFailure");
  const int64_t now = clock_.NowUnixSeconds();
  {
    BAOGAO_ASSIGN_OR_RETURN(Statement prune,
                            Statement::Prepare(db_, "DELETE FROM login_failures WHERE time < ?1",
                                               "prune login failures"));
    prune.BindInt(1, now - kLoginFailureRetentionSeconds);
    BAOGAO_RETURN_IF_ERROR(prune.Run());
  }
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_, "INSERT INTO login_failures (key, time) VALUES (?1, ?2)",
                         "record login failure"));
  stmt.BindText(1, key).BindInt(2, now);
  return stmt.Run();
}

Result<int64_t> SqliteCommunityTransaction::CountLoginFailures(std::string_view key,
                                                               int64_t since) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_, "SELECT COUNT(*) FROM login_failures WHERE key = ?1 AND time >= ?2",
                         "count login failures"));
  stmt.BindText(1, key).BindInt(2, since);
  return StepInt(stmt, db_, "count login failures");
}

Status SqliteCommunityTransaction::ClearLoginFailures(std::string_view key) {
  CheckWritable("ClearLoginFailures");
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_, "DELETE FROM login_failures WHERE key = ?1", "clear login failures"));
  stmt.BindText(1, key);
  return stmt.Run();
}

// Audit log

Result<int64_t> SqliteCommunityTransaction::AppendAudit(const AuditEntry& e) {
  CheckWritable("AppendAudit");
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "INSERT INTO audit_log (time, actor, client_ip, action, target, detail) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                         "append to audit log"));
  stmt.BindInt(1, clock_.NowUnixSeconds())
      .BindText(2, e.actor)
      .BindText(3, e.client_ip)
      .BindText(4, e.action)
      .BindText(5, e.target)
      .BindText(6, e.detail);
  BAOGAO_RETURN_IF_ERROR(stmt.Run());
  return db_.last_insert_rowid();
}

Result<std::vector<AuditEntry>> SqliteCommunityTransaction::ListAudit(int64_t limit,
                                                                      int64_t offset) {
  BAOGAO_RETURN_IF_ERROR(CheckPage(limit, offset, "list audit log"));
  // By id, not time: the order of appending, even if the clock stepped back.
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt,
      Statement::Prepare(db_,
                         "SELECT id, time, actor, client_ip, action, target, detail "
                         "FROM audit_log ORDER BY id DESC LIMIT ?1 OFFSET ?2",
                         "read audit log"));
  stmt.BindInt(1, limit).BindInt(2, offset);
  std::vector<AuditEntry> out;
  while (true) {
    BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnInt(0), stmt.ColumnInt(1), stmt.ColumnText(2), stmt.ColumnText(3),
                   stmt.ColumnText(4), stmt.ColumnText(5), stmt.ColumnText(6)});
  }
  return out;
}

Result<int64_t> SqliteCommunityTransaction::CountAudit() {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement stmt, Statement::Prepare(db_, "SELECT COUNT(*) FROM audit_log", "count audit log"));
  return StepInt(stmt, db_, "count audit log");
}

}  // namespace baogao::store::internal
