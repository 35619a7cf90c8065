// The SQLite backend: one database file in WAL mode with synchronous=FULL,
// so that a transaction reported as committed survives a crash or power
// loss; foreign keys on, so bodies and alternate sources go with their
// report. The schema is in docs/store.md and kMigrations below.
#include "store/internal/sqlite_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "base/check.h"
#include "base/sha256.h"
#include "store/internal/body_codec.h"
#include "store/internal/sqlite.h"
#include "store/internal/sqlite_community.h"

namespace baogao::store::internal {
namespace {

using report::AlternateSource;
using report::Paragraph;
using report::Report;

struct Migration {
  int version;
  std::string_view sql;
  // Run after `sql`, in the same transaction: data conversions that SQL
  // alone would not do exactly. May be null.
  Status (*convert)(Database& db) = nullptr;
  std::string_view sql_after = {};  // run after `convert`
};

// Version 5: paragraphs rows -> one report_bodies row per report, in our
// encoding (body_codec.h). Every report gets a row, "[]" when it has no
// paragraphs. A gap in a report's `ord` (which Get reported as corrupt) stops
// the migration: the database stays at version 4, untouched.
Status ConvertParagraphsToBodies(Database& db) {
  BAOGAO_ASSIGN_OR_RETURN(
      Statement read,
      Statement::Prepare(db,
                         "SELECT r.id, p.ord, p.level, p.text FROM reports AS r "
                         "LEFT JOIN paragraphs AS p ON p.report_id = r.id ORDER BY r.id, p.ord",
                         "migration to schema version 5: read paragraphs"));
  BAOGAO_ASSIGN_OR_RETURN(
      Statement write,
      Statement::Prepare(db, "INSERT INTO report_bodies (report_id, body) VALUES (?1, ?2)",
                         "migration to schema version 5: write bodies"));
  int64_t id = 0;
  bool have = false;
  std::vector<Paragraph> body;
  std::string json;
  auto flush = [&]() -> Status {
    json.clear();
    EncodeBody(body, &json);
    write.Reset();
    write.BindInt(1, id).BindText(2, json);
    return write.Run();
  };
  while (true) {
    BAOGAO_ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) break;
    if (!have || read.ColumnInt(0) != id) {
      if (have) BAOGAO_RETURN_IF_ERROR(flush());
      have = true;
      id = read.ColumnInt(0);
      body.clear();
    }
    if (read.ColumnIsNull(1)) continue;  // no paragraphs
    if (read.ColumnInt(1) != static_cast<int64_t>(body.size())) {
      return Status::Corrupt(db.path() + ": report " + std::to_string(id) + ": paragraph " +
                             std::to_string(body.size()) +
                             " is missing (migration to schema version 5 stopped)");
    }
    body.push_back({static_cast<int>(read.ColumnInt(2)), read.ColumnText(3)});
  }
  if (have) BAOGAO_RETURN_IF_ERROR(flush());
  return Status::Ok();
}

// Append-only: a released migration is never edited, only followed by a new
// one. Each runs in its own transaction together with its user_version bump.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE reports (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: ids are permalinks
  type          TEXT    NOT NULL CHECK (type IN ('baogao', 'gongbao', 'guihua', 'other')),
  region_code   INTEGER CHECK (region_code BETWEEN 100000 AND 999999),  -- NULL: unresolved
  level         TEXT    NOT NULL
                CHECK (level IN ('national', 'province', 'prefecture', 'county', 'unknown')),
  title         TEXT    NOT NULL,
  year          INTEGER NOT NULL,
  date          TEXT,                                -- 'YYYY-MM-DD' or NULL
  source_url    TEXT    NOT NULL,
  source_site   TEXT    NOT NULL,
  original      INTEGER NOT NULL CHECK (original IN (0, 1)),
  completeness  TEXT    NOT NULL CHECK (completeness IN ('full', 'partial', 'unknown')),
  content_hash  TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX reports_by_region_year ON reports (region_code, year);
CREATE INDEX reports_by_year ON reports (year, type);
CREATE INDEX reports_by_content_hash ON reports (content_hash);

CREATE TABLE paragraphs (
  report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  ord        INTEGER NOT NULL,
  level      INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
  text       TEXT    NOT NULL,
  PRIMARY KEY (report_id, ord)
) WITHOUT ROWID;

CREATE TABLE alternate_sources (
  id            INTEGER PRIMARY KEY,
  report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  url           TEXT    NOT NULL,
  site          TEXT    NOT NULL,
  content_hash  TEXT    NOT NULL,
  completeness  TEXT    NOT NULL CHECK (completeness IN ('full', 'partial', 'unknown')),
  added_at      INTEGER NOT NULL,
  note          TEXT    NOT NULL
);
CREATE INDEX alternate_sources_by_report ON alternate_sources (report_id);
CREATE INDEX alternate_sources_by_content_hash ON alternate_sources (content_hash);

-- No foreign key: the log outlives deleted reports.
CREATE TABLE change_log (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- strictly increasing, never reused
  report_id  INTEGER NOT NULL,
  op         TEXT    NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  time       INTEGER NOT NULL
);
)sql"},
    {2, R"sql(
-- The GB/T 2260 revision files as `baogao regions load-history` read them;
-- the region table derives names over time from them when a command starts.
CREATE TABLE region_history_files (
  name       TEXT    PRIMARY KEY,  -- file name without directory, '201904.tsv'
  sha256     TEXT    NOT NULL,     -- lower-case hex SHA-256 of content
  content    BLOB    NOT NULL,
  loaded_at  INTEGER NOT NULL      -- unix seconds
);
)sql"},
    {3, R"sql(
-- Page views (点击量) per report, added in batches by the site.
CREATE TABLE report_views (
  report_id  INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  views      INTEGER NOT NULL CHECK (views >= 0)
);
)sql"},
    {4, R"sql(
-- Reports the admin took off the public site (kept in the store).
ALTER TABLE reports ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));

-- Readers' comments; replies hang under a top-level comment of the same report.
CREATE TABLE comments (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the audit log names them
  report_id        INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  parent_id        INTEGER REFERENCES comments (id) ON DELETE CASCADE,  -- NULL: top level
  nickname         TEXT    NOT NULL,
  body             TEXT    NOT NULL,
  client_ip        TEXT    NOT NULL,
  status           TEXT    NOT NULL
                   CHECK (status IN ('pending', 'approved', 'rejected', 'spam', 'deleted')),
  flags            TEXT    NOT NULL,
  idempotency_key  TEXT    NOT NULL UNIQUE CHECK (idempotency_key <> ''),
  body_hash        TEXT    NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX comments_by_report ON comments (report_id, status, created_at);
CREATE INDEX comments_by_body_hash ON comments (body_hash, created_at);
CREATE INDEX comments_by_ip ON comments (client_ip, status);
CREATE INDEX comments_by_status ON comments (status, created_at);
CREATE INDEX comments_by_parent ON comments (parent_id);  -- replies; the cascade

-- Captcha challenges already answered, until they expire (replay check).
CREATE TABLE captcha_spent (
  nonce       TEXT    PRIMARY KEY,
  expires_at  INTEGER NOT NULL  -- unix seconds
) WITHOUT ROWID;
CREATE INDEX captcha_spent_by_expiry ON captcha_spent (expires_at);

-- Keys the site makes once and keeps (captcha, CSRF): bytes, unchanged.
CREATE TABLE site_secrets (
  name        TEXT    PRIMARY KEY,
  value       BLOB    NOT NULL,
  created_at  INTEGER NOT NULL
);

-- Takedown and correction requests (侵权/纠错). No foreign key to reports:
-- a request and its steps outlive the report's deletion.
CREATE TABLE takedown_requests (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  report_id        INTEGER NOT NULL,
  reason           TEXT    NOT NULL CHECK (reason IN ('infringement', 'error', 'other')),
  contact          TEXT    NOT NULL CHECK (contact <> ''),
  details          TEXT    NOT NULL CHECK (details <> ''),
  client_ip        TEXT    NOT NULL,
  idempotency_key  TEXT    NOT NULL UNIQUE CHECK (idempotency_key <> ''),
  status           TEXT    NOT NULL CHECK (status IN ('open', 'hidden', 'corrected', 'rejected')),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX takedown_requests_by_status ON takedown_requests (status, created_at);
CREATE INDEX takedown_requests_by_report ON takedown_requests (report_id);

-- Every step of a request, in order (id).
CREATE TABLE takedown_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id  INTEGER NOT NULL REFERENCES takedown_requests (id) ON DELETE CASCADE,
  time        INTEGER NOT NULL,
  actor       TEXT    NOT NULL,  -- admin user name; '' for the requester
  action      TEXT    NOT NULL CHECK (action IN ('submitted', 'hidden', 'corrected', 'rejected',
                                                 'reopened', 'note')),
  note        TEXT    NOT NULL
);
CREATE INDEX takedown_events_by_request ON takedown_events (request_id, id);

CREATE TABLE admin_users (
  name           TEXT    PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
  password_hash  TEXT    NOT NULL CHECK (password_hash <> ''),  -- PHC string
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

-- Signed-in admins, by the SHA-256 of the cookie's token (never the token).
CREATE TABLE admin_sessions (
  token_hash   TEXT    PRIMARY KEY CHECK (token_hash <> ''),
  user_name    TEXT    NOT NULL REFERENCES admin_users (name) ON DELETE CASCADE,
  csrf_secret  TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX admin_sessions_by_user ON admin_sessions (user_name);
CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at);

-- Failed logins per key ('user:NAME', 'ip:ADDR'), kept a day.
CREATE TABLE login_failures (
  id    INTEGER PRIMARY KEY,
  key   TEXT    NOT NULL,
  time  INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, time);
CREATE INDEX login_failures_by_time ON login_failures (time);

-- What the admins did; append-only.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order of appending
  time       INTEGER NOT NULL,
  actor      TEXT    NOT NULL,
  client_ip  TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  target     TEXT    NOT NULL,
  detail     TEXT    NOT NULL
);
)sql"},
    {5, R"sql(
-- A report's body as one row (issue 3: one B-tree insert instead of ~140):
-- a JSON array [[level,"text"],...] of its paragraphs in order, in the
-- exact encoding of src/store/internal/body_codec.h.
CREATE TABLE report_bodies (
  report_id  INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  body       TEXT    NOT NULL
);
)sql",
     ConvertParagraphsToBodies, R"sql(
DROP TABLE paragraphs;
-- The old table's rows, read-only, for queries written against version 4.
CREATE VIEW paragraphs (report_id, ord, level, text) AS
  SELECT b.report_id, p.key, json_extract(p.value, '$[0]'), json_extract(p.value, '$[1]')
  FROM report_bodies AS b, json_each(b.body) AS p;
)sql"},
};

static_assert(std::size(kMigrations) == kSchemaVersion &&
                  kMigrations[std::size(kMigrations) - 1].version == kSchemaVersion,
              "one migration per schema version, the last one is the current version");

constexpr std::string_view kReportColumns =
    "id, type, region_code, level, title, year, date, source_url, source_site, original, "
    "completeness, content_hash, created_at, updated_at, hidden";

// A multi-row INSERT: a report's alternate sources take a few statement runs
// instead of one each (each run of a one-row INSERT pays for the step, the
// reset and the VDBE start-up). Rows are written in greedy chunks of kBatchRows,
// largest first, so each table adds at most std::size(kBatchRows) SQL texts to
// the statement cache, however many rows a report has.
class MultiRowInsert {
 public:
  static constexpr size_t kBatchRows[] = {64, 32, 16, 8, 4, 2, 1};

  // `head` is "INSERT INTO t (a, b, c)"; `columns` is the number of columns
  // named in it. Every value is a bound parameter.
  MultiRowInsert(std::string_view head, int columns) : columns_(columns) {
    std::string row = "(";
    for (int c = 0; c < columns; ++c) row += c == 0 ? "?" : ", ?";
    row += ")";
    for (size_t k = 0; k < std::size(kBatchRows); ++k) {
      std::string& sql = sql_[k];
      sql = std::string(head) + " VALUES ";
      for (size_t i = 0; i < kBatchRows[k]; ++i) {
        if (i != 0) sql += ", ";
        sql += row;
      }
    }
  }

  // Inserts rows [0, n): bind_row(stmt, first, i) binds row i's values to
  // parameters first .. first + columns - 1. Stops at the first failed run
  // and returns its error, as the one-row loop did.
  template <typename BindRow>
  Status Run(const Database& db, size_t n, std::string_view what, const BindRow& bind_row) const {
    size_t row = 0;
    for (size_t k = 0; k < std::size(kBatchRows) && row < n; ++k) {
      const size_t batch = kBatchRows[k];
      if (n - row < batch) continue;
      BAOGAO_ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db, sql_[k], what));
      for (bool first = true; n - row >= batch; first = false) {
        if (!first) stmt.Reset();
        for (size_t i = 0; i < batch; ++i, ++row) {
          bind_row(stmt, static_cast<int>(i) * columns_ + 1, row);
        }
        BAOGAO_RETURN_IF_ERROR(stmt.Run());
      }
    }
    return Status::Ok();
  }

 private:
  int columns_;
  std::string sql_[std::size(kBatchRows)];
};

const MultiRowInsert& AlternateSourceInsert() {
  static const MultiRowInsert insert(
      "INSERT INTO alternate_sources (report_id, url, site, content_hash, completeness, "
      "added_at, note)",
      7);
  return insert;
}

// Runs a one-value query (a PRAGMA or an aggregate) and returns its integer.
Result<int64_t> QueryInt(const Database& db, std::string_view sql, std::string_view what) {
  BAOGAO_ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db, sql, what));
  BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::Internal(db.path() + ": " + std::string(what) + ": no result");
  return stmt.ColumnInt(0);
}

Result<std::string> QueryText(const Database& db, std::string_view sql, std::string_view what) {
  BAOGAO_ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db, sql, what));
  BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::Internal(db.path() + ": " + std::string(what) + ": no result");
  return stmt.ColumnText(0);
}

// The report methods; the community ones (comments, admin, ...) and the
// shared state are in SqliteCommunityTransaction (sqlite_community.cc).
class SqliteTransaction : public SqliteCommunityTransaction {
 public:
  SqliteTransaction(Database& db, const report::Clock& clock, bool write)
      : SqliteCommunityTransaction(db, clock, write) {}

  Status RunInSavepoint(const std::function<Status(Transaction&)>& fn) override {
    CheckWritable("RunInSavepoint");
    const std::string name = "unit" + std::to_string(++savepoints_);
    BAOGAO_RETURN_IF_ERROR(db_.ExecScript("SAVEPOINT " + name, "begin savepoint"));
    Status st = fn(*this);
    if (!st.ok()) {
      // SQLite may have rolled back the whole transaction by itself (a full
      // disk); then there is no savepoint left and the caller's COMMIT fails.
      if (!db_.autocommit()) {
        (void)db_.ExecScript("ROLLBACK TO " + name, "roll back savepoint");
        (void)db_.ExecScript("RELEASE " + name, "release savepoint");
      }
      return st;
    }
    return db_.ExecScript("RELEASE " + name, "release savepoint");
  }

  Result<ReportId> Insert(const Report& r) override {
    CheckWritable("Insert");
    BAOGAO_RETURN_IF_ERROR(report::Validate(r));
    const int64_t now = clock_.NowUnixSeconds();
    // The importer hashes the body for its duplicate check and passes the
    // hash on (store.h); hashing it again cost 3% of an import's CPU.
    DCHECK(r.content_hash.empty() || r.content_hash == report::ContentHash(r.body))
        << "Insert: content_hash is not report::ContentHash(body)";
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_,
                           "INSERT INTO reports (type, region_code, level, title, year, date, "
                           "source_url, source_site, original, completeness, content_hash, "
                           "hidden, created_at, updated_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
                           "insert report"));
    BindMetadata(stmt, r, r.content_hash.empty() ? report::ContentHash(r.body) : r.content_hash);
    stmt.BindInt(13, now);
    BAOGAO_RETURN_IF_ERROR(stmt.Run());
    const ReportId id(db_.last_insert_rowid());
    BAOGAO_RETURN_IF_ERROR(WriteBody(id, r.body));
    BAOGAO_RETURN_IF_ERROR(WriteAlternates(id, r.alternate_sources, now));
    BAOGAO_RETURN_IF_ERROR(Log(id, ChangeOp::kInsert, now));
    return id;
  }

  Result<Report> Get(ReportId id) override {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_,
                           "SELECT " + std::string(kReportColumns) + " FROM reports WHERE id = ?1",
                           "get report"));
    stmt.BindInt(1, id.value());
    BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NotFound(id);
    BAOGAO_ASSIGN_OR_RETURN(Report r, ReadReportRow(stmt));
    BAOGAO_RETURN_IF_ERROR(ReadBody(&r));
    return r;
  }

  Status Update(const Report& r) override {
    CheckWritable("Update");
    BAOGAO_RETURN_IF_ERROR(report::Validate(r));
    const int64_t now = clock_.NowUnixSeconds();
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_,
                           "UPDATE reports SET type = ?1, region_code = ?2, level = ?3, "
                           "title = ?4, year = ?5, date = ?6, source_url = ?7, "
                           "source_site = ?8, original = ?9, completeness = ?10, "
                           "content_hash = ?11, hidden = ?12, updated_at = ?13 WHERE id = ?14",
                           "update report"));
    // Always recomputed: an updated report often comes from Get with its
    // body changed and its old hash still set.
    BindMetadata(stmt, r, report::ContentHash(r.body));
    stmt.BindInt(13, now).BindInt(14, r.id.value());
    BAOGAO_RETURN_IF_ERROR(stmt.Run());
    if (db_.changes() == 0) return NotFound(r.id);
    BAOGAO_RETURN_IF_ERROR(DeleteAlternates(r.id));
    BAOGAO_RETURN_IF_ERROR(WriteBody(r.id, r.body));
    BAOGAO_RETURN_IF_ERROR(WriteAlternates(r.id, r.alternate_sources, now));
    return Log(r.id, ChangeOp::kUpdate, now);
  }

  Status Delete(ReportId id) override {
    CheckWritable("Delete");
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_, "DELETE FROM reports WHERE id = ?1", "delete report"));
    stmt.BindInt(1, id.value());
    BAOGAO_RETURN_IF_ERROR(stmt.Run());
    if (db_.changes() == 0) return NotFound(id);
    return Log(id, ChangeOp::kDelete, clock_.NowUnixSeconds());
  }

  Result<std::vector<Report>> List(const ListFilter& filter) override {
    if (filter.limit < 0 || filter.offset < 0) {
      return Status::InvalidArgument("list: limit and offset must not be negative");
    }
    std::string sql = "SELECT " + std::string(kReportColumns) + " FROM reports" +
                      WhereClause(filter) + " ORDER BY year DESC, id LIMIT ?5 OFFSET ?6";
    BAOGAO_ASSIGN_OR_RETURN(Statement stmt, Statement::Prepare(db_, sql, "list reports"));
    BindFilter(stmt, filter);
    stmt.BindInt(5, filter.limit).BindInt(6, filter.offset);
    std::vector<Report> out;
    while (true) {
      BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      BAOGAO_ASSIGN_OR_RETURN(Report r, ReadReportRow(stmt));
      out.push_back(std::move(r));
    }
    if (filter.with_body) {
      for (Report& r : out) BAOGAO_RETURN_IF_ERROR(ReadBody(&r));
    }
    return out;
  }

  Result<int64_t> Count(const ListFilter& filter) override {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_, "SELECT COUNT(*) FROM reports" + WhereClause(filter),
                           "count reports"));
    BindFilter(stmt, filter);
    BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
    CHECK(row);
    return stmt.ColumnInt(0);
  }

  Result<std::vector<ReportId>> FindByContentHash(std::string_view content_hash) override {
    if (content_hash.empty()) {
      return Status::InvalidArgument("find by content hash: the hash is empty");
    }
    BAOGAO_ASSIGN_OR_RETURN(Statement stmt,
                            Statement::Prepare(db_,
                                               "SELECT id FROM reports WHERE content_hash = ?1 "
                                               "UNION SELECT report_id FROM alternate_sources "
                                               "WHERE content_hash = ?1 ORDER BY 1",
                                               "find by content hash"));
    stmt.BindText(1, content_hash);
    std::vector<ReportId> out;
    while (true) {
      BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.emplace_back(stmt.ColumnInt(0));
    }
    return out;
  }

  Status AddAlternateSource(ReportId id, const AlternateSource& source) override {
    CheckWritable("AddAlternateSource");
    if (source.url.empty()) return Status::InvalidArgument("alternate source has no URL");
    const int64_t now = clock_.NowUnixSeconds();
    BAOGAO_ASSIGN_OR_RETURN(
        Statement touch, Statement::Prepare(db_, "UPDATE reports SET updated_at = ?1 WHERE id = ?2",
                                            "add alternate source"));
    touch.BindInt(1, now).BindInt(2, id.value());
    BAOGAO_RETURN_IF_ERROR(touch.Run());
    if (db_.changes() == 0) return NotFound(id);
    AlternateSource stamped = source;
    stamped.added_at = now;
    BAOGAO_RETURN_IF_ERROR(WriteAlternates(id, {stamped}, now));
    return Log(id, ChangeOp::kUpdate, now);
  }

  Result<std::vector<Change>> ChangesSince(int64_t after, int64_t limit) override {
    if (limit < 0) return Status::InvalidArgument("changes since: limit must not be negative");
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_,
                           "SELECT seq, report_id, op, time FROM change_log WHERE seq > ?1 "
                           "ORDER BY seq LIMIT ?2",
                           "read change log"));
    stmt.BindInt(1, after).BindInt(2, limit);
    std::vector<Change> out;
    while (true) {
      BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      Change c;
      c.sequence = stmt.ColumnInt(0);
      c.report_id = ReportId(stmt.ColumnInt(1));
      const std::string op = stmt.ColumnText(2);
      if (op == "insert") {
        c.op = ChangeOp::kInsert;
      } else if (op == "update") {
        c.op = ChangeOp::kUpdate;
      } else if (op == "delete") {
        c.op = ChangeOp::kDelete;
      } else {
        return Status::Corrupt(db_.path() + ": change " + std::to_string(c.sequence) +
                               " has unknown operation '" + op + "'");
      }
      c.time = stmt.ColumnInt(3);
      out.push_back(c);
    }
    return out;
  }

  Status AddViews(const std::vector<std::pair<ReportId, int64_t>>& views) override {
    CheckWritable("AddViews");
    for (const auto& [id, n] : views) {
      if (n < 0)
        return Status::InvalidArgument("add views: negative count for report " +
                                       std::to_string(id.value()));
    }
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_,
                           "INSERT INTO report_views (report_id, views) "
                           "SELECT id, ?2 FROM reports WHERE id = ?1 "
                           "ON CONFLICT (report_id) DO UPDATE SET views = views + excluded.views",
                           "add views"));
    for (const auto& [id, n] : views) {
      stmt.Reset();
      stmt.BindInt(1, id.value()).BindInt(2, n);
      BAOGAO_RETURN_IF_ERROR(stmt.Run());
    }
    return Status::Ok();
  }

  Result<int64_t> Views(ReportId id) override {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_, "SELECT views FROM report_views WHERE report_id = ?1",
                           "read views"));
    stmt.BindInt(1, id.value());
    BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? stmt.ColumnInt(0) : int64_t{0};
  }

  Result<int64_t> LatestSequence() override {
    return QueryInt(db_, "SELECT COALESCE(MAX(seq), 0) FROM change_log", "read change log");
  }

  Result<bool> ReplaceRegionHistory(const std::vector<RegionHistoryFile>& files) override {
    CheckWritable("ReplaceRegionHistory");
    std::map<std::string, std::string> wanted;  // name -> sha256
    for (const RegionHistoryFile& f : files) {
      if (f.name.empty() || f.name.find('/') != std::string::npos) {
        return Status::InvalidArgument("region history file name '" + f.name +
                                       "' must be a plain, non-empty file name");
      }
      if (!wanted.emplace(f.name, Sha256Hex(f.content)).second) {
        return Status::InvalidArgument("region history file '" + f.name + "' given twice");
      }
    }
    std::map<std::string, std::string> stored;  // name -> sha256
    {
      BAOGAO_ASSIGN_OR_RETURN(
          Statement stmt, Statement::Prepare(db_, "SELECT name, sha256 FROM region_history_files",
                                             "read region history"));
      while (true) {
        BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        stored.emplace(stmt.ColumnText(0), stmt.ColumnText(1));
      }
    }
    bool changed = false;
    BAOGAO_ASSIGN_OR_RETURN(
        Statement remove,
        Statement::Prepare(db_, "DELETE FROM region_history_files WHERE name = ?1",
                           "replace region history"));
    for (const auto& [name, sha] : stored) {
      if (wanted.count(name) != 0) continue;
      remove.Reset();
      remove.BindText(1, name);
      BAOGAO_RETURN_IF_ERROR(remove.Run());
      changed = true;
    }
    BAOGAO_ASSIGN_OR_RETURN(
        Statement put,
        Statement::Prepare(db_,
                           "INSERT OR REPLACE INTO region_history_files "
                           "(name, sha256, content, loaded_at) VALUES (?1, ?2, ?3, ?4)",
                           "replace region history"));
    const int64_t now = clock_.NowUnixSeconds();
    for (const RegionHistoryFile& f : files) {
      const std::string& sha = wanted.at(f.name);
      if (auto it = stored.find(f.name); it != stored.end() && it->second == sha) continue;
      put.Reset();
      put.BindText(1, f.name).BindText(2, sha).BindBlob(3, f.content).BindInt(4, now);
      BAOGAO_RETURN_IF_ERROR(put.Run());
      changed = true;
    }
    return changed;
  }

  Result<std::vector<RegionHistoryFile>> RegionHistory() override {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_,
                           "SELECT name, sha256, content, loaded_at FROM region_history_files "
                           "ORDER BY name",
                           "read region history"));
    std::vector<RegionHistoryFile> out;
    while (true) {
      BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      RegionHistoryFile f;
      f.name = stmt.ColumnText(0);
      f.sha256 = stmt.ColumnText(1);
      f.content = stmt.ColumnBlob(2);
      f.loaded_at = stmt.ColumnInt(3);
      if (Sha256Hex(f.content) != f.sha256) {
        return Status::Corrupt(db_.path() + ": region history file " + f.name +
                               ": content does not match its SHA-256");
      }
      out.push_back(std::move(f));
    }
    return out;
  }

 private:
  Status NotFound(ReportId id) const {
    return Status::NotFound("report " + std::to_string(id.value()) + " not found in " + db_.path());
  }

  // Binds parameters 1..12 of INSERT/UPDATE: the report's own fields, with
  // `content_hash` for its body.
  static void BindMetadata(Statement& stmt, const Report& r, std::string_view content_hash) {
    stmt.BindText(1, report::ReportTypeSlug(r.type));
    if (r.region) {
      stmt.BindInt(2, r.region->value());
    } else {
      stmt.BindNull(2);
    }
    stmt.BindText(3, report::AdminLevelSlug(r.level)).BindText(4, r.title).BindInt(5, r.year);
    if (r.date) {
      stmt.BindText(6, r.date->ToString());
    } else {
      stmt.BindNull(6);
    }
    stmt.BindText(7, r.source_url)
        .BindText(8, r.source_site)
        .BindInt(9, r.original ? 1 : 0)
        .BindText(10, report::CompletenessSlug(r.completeness))
        .BindText(11, content_hash)
        .BindInt(12, r.hidden ? 1 : 0);
  }

  // Filters use parameters 1..4 whatever is set, so the numbering is fixed.
  static std::string WhereClause(const ListFilter& f) {
    std::string where;
    auto add = [&where](const char* cond) {
      where += where.empty() ? " WHERE " : " AND ";
      where += cond;
    };
    if (f.region) add("region_code = ?1");
    if (f.year) add("year = ?2");
    if (f.type) add("type = ?3");
    if (f.unresolved_region_only) add("region_code IS NULL");
    if (!f.include_hidden) add("hidden = 0");
    return where;
  }

  static void BindFilter(Statement& stmt, const ListFilter& f) {
    if (f.region) stmt.BindInt(1, f.region->value());
    if (f.year) stmt.BindInt(2, *f.year);
    if (f.type) stmt.BindText(3, report::ReportTypeSlug(*f.type));
  }

  Status Corrupt(int64_t id, const std::string& what) const {
    return Status::Corrupt(db_.path() + ": report " + std::to_string(id) + ": " + what);
  }

  // Reads the columns of kReportColumns from the current row.
  Result<Report> ReadReportRow(const Statement& s) const {
    Report r;
    r.id = ReportId(s.ColumnInt(0));
    const int64_t id = r.id.value();
    auto type = report::ReportTypeFromSlug(s.ColumnText(1));
    if (!type.ok()) return Corrupt(id, type.status().message());
    r.type = *type;
    if (!s.ColumnIsNull(2)) {
      auto region = report::RegionCode::FromInt(s.ColumnInt(2));
      if (!region.ok()) return Corrupt(id, region.status().message());
      r.region = *region;
    }
    auto level = report::AdminLevelFromSlug(s.ColumnText(3));
    if (!level.ok()) return Corrupt(id, level.status().message());
    r.level = *level;
    r.title = s.ColumnText(4);
    r.year = static_cast<int>(s.ColumnInt(5));
    if (!s.ColumnIsNull(6)) {
      auto date = report::Date::Parse(s.ColumnText(6));
      if (!date.ok()) return Corrupt(id, date.status().message());
      r.date = *date;
    }
    r.source_url = s.ColumnText(7);
    r.source_site = s.ColumnText(8);
    r.original = s.ColumnInt(9) != 0;
    auto completeness = report::CompletenessFromSlug(s.ColumnText(10));
    if (!completeness.ok()) return Corrupt(id, completeness.status().message());
    r.completeness = *completeness;
    r.content_hash = s.ColumnText(11);
    r.created_at = s.ColumnInt(12);
    r.updated_at = s.ColumnInt(13);
    r.hidden = s.ColumnInt(14) != 0;
    return r;
  }

  // Loads paragraphs and alternate sources into `r`.
  Status ReadBody(Report* r) const {
    {
      BAOGAO_ASSIGN_OR_RETURN(
          Statement body,
          Statement::Prepare(db_, "SELECT body FROM report_bodies WHERE report_id = ?1",
                             "read body"));
      body.BindInt(1, r->id.value());
      BAOGAO_ASSIGN_OR_RETURN(bool row, body.Step());
      if (!row) return Corrupt(r->id.value(), "its body is missing");
      Status decoded = DecodeBody(body.ColumnTextView(0), &r->body);
      if (!decoded.ok()) return Corrupt(r->id.value(), decoded.message());
    }
    BAOGAO_ASSIGN_OR_RETURN(
        Statement alts,
        Statement::Prepare(db_,
                           "SELECT url, site, content_hash, completeness, added_at, note "
                           "FROM alternate_sources WHERE report_id = ?1 ORDER BY id",
                           "read alternate sources"));
    alts.BindInt(1, r->id.value());
    while (true) {
      BAOGAO_ASSIGN_OR_RETURN(bool row, alts.Step());
      if (!row) break;
      AlternateSource a;
      a.url = alts.ColumnText(0);
      a.site = alts.ColumnText(1);
      a.content_hash = alts.ColumnText(2);
      auto completeness = report::CompletenessFromSlug(alts.ColumnText(3));
      if (!completeness.ok()) return Corrupt(r->id.value(), completeness.status().message());
      a.completeness = *completeness;
      a.added_at = alts.ColumnInt(4);
      a.note = alts.ColumnText(5);
      r->alternate_sources.push_back(std::move(a));
    }
    return Status::Ok();
  }

  // Inserts or replaces the report's one body row.
  Status WriteBody(ReportId id, const std::vector<Paragraph>& body) {
    body_json_.clear();
    EncodeBody(body, &body_json_);
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_,
                           "INSERT INTO report_bodies (report_id, body) VALUES (?1, ?2) "
                           "ON CONFLICT (report_id) DO UPDATE SET body = excluded.body",
                           "write body"));
    stmt.BindInt(1, id.value()).BindText(2, body_json_);
    return stmt.Run();
  }

  Status WriteAlternates(ReportId id, const std::vector<AlternateSource>& alternates, int64_t now) {
    return AlternateSourceInsert().Run(db_, alternates.size(), "insert alternate source",
                                       [&](Statement& stmt, int first, size_t i) {
                                         const AlternateSource& a = alternates[i];
                                         stmt.BindInt(first, id.value())
                                             .BindText(first + 1, a.url)
                                             .BindText(first + 2, a.site)
                                             .BindText(first + 3, a.content_hash)
                                             .BindText(first + 4,
                                                       report::CompletenessSlug(a.completeness))
                                             .BindInt(first + 5, a.added_at != 0 ? a.added_at : now)
                                             .BindText(first + 6, a.note);
                                       });
  }

  Status DeleteAlternates(ReportId id) {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_, "DELETE FROM alternate_sources WHERE report_id = ?1",
                           "update report"));
    stmt.BindInt(1, id.value());
    return stmt.Run();
  }

  Status Log(ReportId id, ChangeOp op, int64_t now) {
    BAOGAO_ASSIGN_OR_RETURN(
        Statement stmt,
        Statement::Prepare(db_, "INSERT INTO change_log (report_id, op, time) VALUES (?1, ?2, ?3)",
                           "append to change log"));
    stmt.BindInt(1, id.value()).BindText(2, ChangeOpName(op)).BindInt(3, now);
    return stmt.Run();
  }

  int savepoints_ = 0;
  std::string body_json_;  // WriteBody's buffer, kept for its capacity
};

class SqliteStore : public Store {
 public:
  SqliteStore(Database db, std::shared_ptr<const report::Clock> clock)
      : db_(std::move(db)), clock_(std::move(clock)) {}

  Status RunInTransaction(const std::function<Status(Transaction&)>& fn) override {
    return Run(fn, /*write=*/true);
  }

  Status RunInReadTransaction(const std::function<Status(Transaction&)>& fn) override {
    return Run(fn, /*write=*/false);
  }

  Status CheckIntegrity() override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string problems;
    int count = 0;
    {
      BAOGAO_ASSIGN_OR_RETURN(Statement stmt,
                              Statement::Prepare(db_, "PRAGMA integrity_check", "integrity check"));
      while (true) {
        BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        const std::string line = stmt.ColumnText(0);
        if (line == "ok") continue;
        if (count++ < 5) problems += (problems.empty() ? "" : "; ") + line;
      }
    }
    {
      BAOGAO_ASSIGN_OR_RETURN(
          Statement stmt, Statement::Prepare(db_, "PRAGMA foreign_key_check", "foreign key check"));
      while (true) {
        BAOGAO_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        if (count++ < 5) {
          problems += (problems.empty() ? "" : "; ") + stmt.ColumnText(0) + " row " +
                      std::to_string(stmt.ColumnInt(1)) + " refers to a missing " +
                      stmt.ColumnText(2);
        }
      }
    }
    if (count == 0) return Status::Ok();
    return Status::Corrupt(db_.path() + ": " + std::to_string(count) +
                           " integrity problem(s): " + problems);
  }

  std::string Describe() const override { return "sqlite:" + db_.path(); }

 private:
  // Ends the transaction on every path out of Run(), exceptions included.
  class RollbackGuard {
   public:
    explicit RollbackGuard(Database& db) : db_(db) {}
    ~RollbackGuard() {
      // SQLite may already have rolled back by itself (SQLITE_FULL, IOERR).
      if (!db_.autocommit()) (void)db_.ExecScript("ROLLBACK", "roll back");
    }

   private:
    Database& db_;
  };

  Status Run(const std::function<Status(Transaction&)>& fn, bool write) {
    CHECK(owner_.load() != std::this_thread::get_id())
        << "a Store method was called from inside its own transaction";
    std::lock_guard<std::mutex> lock(mu_);
    owner_.store(std::this_thread::get_id());
    struct OwnerReset {
      std::atomic<std::thread::id>& owner;
      ~OwnerReset() { owner.store(std::thread::id()); }
    } owner_reset{owner_};

    // IMMEDIATE takes the write lock up front, so two writers never
    // deadlock upgrading read locks; the busy timeout queues them.
    // BEGIN and COMMIT as cached prepared statements: a search page runs a
    // read transaction per request, and compiling them each time was ~4%
    // of it.
    {
      BAOGAO_ASSIGN_OR_RETURN(Statement begin,
                              Statement::Prepare(db_, write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED",
                                                 "begin transaction"));
      BAOGAO_RETURN_IF_ERROR(begin.Run());
    }
    RollbackGuard guard(db_);
    SqliteTransaction txn(db_, *clock_, write);
    BAOGAO_RETURN_IF_ERROR(fn(txn));
    // With synchronous=FULL in WAL mode, COMMIT returns only after the WAL
    // has been fsync'ed: from here on the write is durable.
    BAOGAO_ASSIGN_OR_RETURN(Statement commit, Statement::Prepare(db_, "COMMIT", "commit"));
    return commit.Run();
  }

  Database db_;
  std::shared_ptr<const report::Clock> clock_;
  std::mutex mu_;
  std::atomic<std::thread::id> owner_{};
};

// Brings the schema to kSchemaVersion, one migration per transaction.
Status Migrate(Database& db, bool read_only) {
  BAOGAO_ASSIGN_OR_RETURN(int64_t version, QueryInt(db, "PRAGMA user_version", "read version"));
  BAOGAO_ASSIGN_OR_RETURN(int64_t app_id,
                          QueryInt(db, "PRAGMA application_id", "read application id"));
  BAOGAO_ASSIGN_OR_RETURN(int64_t tables,
                          QueryInt(db, "SELECT COUNT(*) FROM sqlite_master", "read schema"));
  if (app_id != kApplicationId && (app_id != 0 || version != 0 || tables != 0)) {
    return Status::InvalidArgument(db.path() +
                                   " is a SQLite database but not a baogao database "
                                   "(application_id " +
                                   std::to_string(app_id) + ")");
  }
  if (version > kSchemaVersion) {
    return Status::InvalidArgument(db.path() + " has schema version " + std::to_string(version) +
                                   ", newer than this baogao understands (" +
                                   std::to_string(kSchemaVersion) + "); use a newer baogao");
  }
  if (version == kSchemaVersion) return Status::Ok();
  if (read_only) {
    return Status::IoError(db.path() + " has schema version " + std::to_string(version) +
                           " and needs migrating to " + std::to_string(kSchemaVersion) +
                           ", but it was opened read-only");
  }
  for (const Migration& m : kMigrations) {
    BAOGAO_RETURN_IF_ERROR(db.ExecScript("BEGIN IMMEDIATE", "begin migration"));
    bool committed = false;
    struct Guard {
      Database& db;
      bool& committed;
      ~Guard() {
        if (!committed && !db.autocommit()) (void)db.ExecScript("ROLLBACK", "roll back");
      }
    } guard{db, committed};
    // Another process may have migrated while we waited for the lock.
    BAOGAO_ASSIGN_OR_RETURN(int64_t now_version,
                            QueryInt(db, "PRAGMA user_version", "read version"));
    if (now_version >= m.version) {
      committed = true;
      BAOGAO_RETURN_IF_ERROR(db.ExecScript("COMMIT", "commit migration"));
      continue;
    }
    const std::string what = "migration to schema version " + std::to_string(m.version);
    BAOGAO_RETURN_IF_ERROR(db.ExecScript(m.sql, what));
    if (m.convert != nullptr) BAOGAO_RETURN_IF_ERROR(m.convert(db));
    if (!m.sql_after.empty()) BAOGAO_RETURN_IF_ERROR(db.ExecScript(m.sql_after, what));
    // PRAGMAs take no bound parameters; these numbers are our own constants.
    BAOGAO_RETURN_IF_ERROR(
        db.ExecScript("PRAGMA application_id = " + std::to_string(kApplicationId) +
                          "; PRAGMA user_version = " + std::to_string(m.version),
                      what));
    BAOGAO_RETURN_IF_ERROR(db.ExecScript("COMMIT", what));
    committed = true;
  }
  return Status::Ok();
}

// Checks, before SQLite tries, what would otherwise surface as a vague
// "unable to open database file".
Status CheckPath(const std::string& path, const StoreOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::exists(dir, ec)) {
    return Status::NotFound("directory " + dir.string() + " does not exist (for database " + path +
                            ")");
  }
  if (!fs::is_directory(dir, ec)) {
    return Status::IoError(dir.string() + " is not a directory (for database " + path + ")");
  }
  const bool exists = fs::exists(path, ec);
  if (!exists && (options.read_only || !options.create_if_missing)) {
    return Status::NotFound("database " + path + " does not exist");
  }
  if (exists && fs::is_directory(path, ec)) {
    return Status::IoError("database " + path + " is a directory");
  }
  if (options.read_only) return Status::Ok();
  if (exists && ::access(path.c_str(), W_OK) != 0) {
    return Status::IoError("database file " + path +
                           " is read-only (open it read-only, or make it writable)");
  }
  // WAL mode keeps PATH-wal and PATH-shm beside the database.
  if (::access(dir.c_str(), W_OK) != 0) {
    return Status::IoError("directory " + dir.string() + " is not writable; the database " + path +
                           " needs to create its -wal and -shm files there");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options) {
  if (path.empty()) return Status::InvalidArgument("empty database path");
  BAOGAO_RETURN_IF_ERROR(CheckPath(path, options));
  BAOGAO_ASSIGN_OR_RETURN(Database db,
                          Database::Open(path, options.read_only, options.create_if_missing));
  if (sqlite3_busy_timeout(db.get(), options.busy_timeout_ms) != SQLITE_OK) {
    return Status::Internal(path + ": cannot set busy timeout");
  }
  // The first read of the header tells a SQLite file from anything else
  // (SQLITE_NOTADB -> kCorrupt).
  BAOGAO_RETURN_IF_ERROR(QueryInt(db, "PRAGMA schema_version", "read header").status());
  if (!options.read_only) {
    BAOGAO_ASSIGN_OR_RETURN(std::string mode,
                            QueryText(db, "PRAGMA journal_mode = WAL", "set journal mode"));
    if (mode != "wal") {
      return Status::IoError(path + ": cannot switch to WAL journal mode (got '" + mode + "')");
    }
  }
  // synchronous=FULL: in WAL mode this fsyncs the WAL at every commit, so
  // a commit is durable before we report success.
  BAOGAO_RETURN_IF_ERROR(
      db.ExecScript("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", "configure"));
  if (options.max_page_count > 0) {
    BAOGAO_RETURN_IF_ERROR(db.ExecScript(
        "PRAGMA max_page_count = " + std::to_string(options.max_page_count), "configure"));
  }
  BAOGAO_ASSIGN_OR_RETURN(int64_t fk, QueryInt(db, "PRAGMA foreign_keys", "configure"));
  if (fk != 1) return Status::Internal(path + ": SQLite was built without foreign keys");
  BAOGAO_RETURN_IF_ERROR(Migrate(db, options.read_only));
  std::shared_ptr<const report::Clock> clock = options.clock;
  if (!clock) {
    // The system clock lives forever; share it without owning it.
    clock =
        std::shared_ptr<const report::Clock>(&report::SystemClock(), [](const report::Clock*) {});
  }
  return std::unique_ptr<Store>(new SqliteStore(std::move(db), std::move(clock)));
}

}  // namespace baogao::store::internal
