#include "store/internal/sqlite.h"

#include <sqlite3.h>

#include <cstring>
#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace baogao::store::internal {

Status SqliteStatus(int rc, const std::string& path, std::string_view what,
                    std::string_view detail) {
  std::string msg = path;
  msg += ": ";
  msg += what;
  msg += ": ";
  msg += detail.empty() ? std::string_view(sqlite3_errstr(rc)) : detail;
  // A duplicate key is its own answer (the caller may look the row up).
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::AlreadyExists(std::move(msg));
  }
  switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
      return Status::ResourceExhausted(std::move(msg));
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_PROTOCOL:
      return Status::IoError(std::move(msg));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corrupt(std::move(msg));
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
      return Status::InvalidArgument(std::move(msg));
    default:
      return Status::Internal(std::move(msg));
  }
}

// Database

Result<Database> Database::Open(const std::string& path, bool read_only, bool create) {
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  // One connection per Store, serialised by the Store's own mutex.
  flags |= SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteStatus(rc, path, "open", db ? sqlite3_errmsg(db) : "");
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  return Database(db, path);
}

struct Database::StatementCache {
  // Distinct SQL texts kept; past this, statements are finalized after use
  // (List() and ListComments() build their SQL from the filter, so the set
  // is large). Room for every fixed statement and the common filters.
  static constexpr size_t kMaxTexts = 128;
  // Transparent, so that a lookup by string_view copies no SQL text (the
  // multi-row INSERTs are over a kilobyte long and run once per report).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>, Hash, std::equal_to<>> idle;
};

Database::Database(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)), cache_(std::make_unique<StatementCache>()) {}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    CloseAll();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

void Database::CloseAll() {
  if (cache_ != nullptr) {
    for (auto& [sql, stmts] : cache_->idle) {
      for (sqlite3_stmt* s : stmts) sqlite3_finalize(s);
    }
    cache_->idle.clear();
  }
  sqlite3_close_v2(db_);
  db_ = nullptr;
}

Database::~Database() { CloseAll(); }

Status Database::Error(int rc, std::string_view what) const {
  std::string detail = sqlite3_errmsg(db_);
  // "disk I/O error" alone hides the cause: add the OS's (e.g. "File too
  // large" when a size limit is hit, "No space left on device").
  const int err = sqlite3_system_errno(db_);
  if ((rc & 0xff) == SQLITE_IOERR && err != 0)
    detail += std::string(" (") + std::strerror(err) + ")";
  return SqliteStatus(rc, path_, what, detail);
}

Status Database::ExecScript(std::string_view sql, std::string_view what) {
  const char* p = sql.data();
  const char* end = sql.data() + sql.size();
  while (p < end) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db_, p, static_cast<int>(end - p), &stmt, &tail);
    if (rc != SQLITE_OK) return Error(rc, what);
    p = tail;
    if (stmt == nullptr) continue;  // whitespace or a comment
    do {
      rc = sqlite3_step(stmt);
    } while (rc == SQLITE_ROW);
    if (rc != SQLITE_DONE) {
      Status s = Error(rc, what);
      sqlite3_finalize(stmt);
      return s;
    }
    sqlite3_finalize(stmt);
  }
  return Status::Ok();
}

bool Database::autocommit() const { return sqlite3_get_autocommit(db_) != 0; }
int64_t Database::changes() const { return sqlite3_changes64(db_); }
int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

// Statement

Result<Statement> Statement::Prepare(const Database& db, std::string_view sql,
                                     std::string_view what) {
  std::vector<sqlite3_stmt*>* home = nullptr;
  if (db.cache_ != nullptr) {
    auto& idle = db.cache_->idle;
    auto it = idle.find(sql);
    if (it == idle.end() && idle.size() < Database::StatementCache::kMaxTexts) {
      it = idle.emplace(std::string(sql), std::vector<sqlite3_stmt*>()).first;
    }
    if (it != idle.end()) {
      home = &it->second;
      if (!home->empty()) {
        sqlite3_stmt* stmt = home->back();
        home->pop_back();
        return Statement(&db, stmt, std::string(what), home);
      }
    }
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc =
      sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return db.Error(rc, what);
  CHECK(stmt != nullptr) << "empty SQL for " << what;
  return Statement(&db, stmt, std::string(what), home);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      what_(std::move(other.what_)),
      home_(other.home_),
      bind_rc_(other.bind_rc_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    what_ = std::move(other.what_);
    home_ = other.home_;
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (stmt_ == nullptr) return;
  if (home_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    home_->push_back(stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
}

void Statement::NoteBind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

Statement& Statement::BindInt(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::BindText(int index, std::string_view value) {
  // A null data pointer would bind SQL NULL; an empty string must stay ''.
  const char* data = value.data() != nullptr ? value.data() : "";
  NoteBind(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view value) {
  // sqlite3_bind_zeroblob: a null data pointer would bind SQL NULL.
  if (value.empty()) {
    NoteBind(sqlite3_bind_zeroblob(stmt_, index, 0));
  } else {
    NoteBind(sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT));
  }
  return *this;
}

Statement& Statement::BindNull(int index) {
  NoteBind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_rc_ != 0) return SqliteStatus(bind_rc_, db_->path(), what_, "");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(rc, what_);
}

Status Statement::Run() {
  while (true) {
    BAOGAO_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = 0;
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::ColumnText(int index) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  const int n = sqlite3_column_bytes(stmt_, index);
  return p ? std::string(p, static_cast<size_t>(n)) : std::string();
}

std::string_view Statement::ColumnTextView(int index) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  const int n = sqlite3_column_bytes(stmt_, index);
  return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
}

std::string Statement::ColumnBlob(int index) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
  const int n = sqlite3_column_bytes(stmt_, index);
  return p ? std::string(p, static_cast<size_t>(n)) : std::string();
}

}  // namespace baogao::store::internal
