// RAII wrappers over the sqlite3 C API, used only inside src/store.
//
// Database owns a connection; Statement owns a prepared statement. Every SQL
// statement with values goes through Statement with bound parameters.
// Errors are turned into Status once, by SqliteStatus(), which names the file.
#ifndef BAOGAO_STORE_INTERNAL_SQLITE_H_
#define BAOGAO_STORE_INTERNAL_SQLITE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace baogao::store::internal {

// Maps a SQLite result code to a Status: SQLITE_FULL/BUSY/LOCKED/NOMEM ->
// kResourceExhausted, READONLY/CANTOPEN/IOERR/PERM -> kIoError,
// CORRUPT/NOTADB -> kCorrupt, CONSTRAINT_UNIQUE/PRIMARYKEY -> kAlreadyExists,
// other CONSTRAINT/TOOBIG/MISMATCH -> kInvalidArgument, anything else -> kInternal. The message is
// "<path>: <what>: <sqlite's>".
Status SqliteStatus(int rc, const std::string& path, std::string_view what,
                    std::string_view detail);

class Database {
 public:
  // Opens `path` with sqlite3_open_v2 flags (read-only or read-write+create),
  // extended result codes on. Errors per SqliteStatus.
  static Result<Database> Open(const std::string& path, bool read_only, bool create);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }

  // The Status for a failed call that returned `rc`, with the connection's
  // current error message.
  Status Error(int rc, std::string_view what) const;

  // Runs each statement of a fixed script (no parameters, results ignored),
  // in order. For schema migrations and transaction control only.
  Status ExecScript(std::string_view sql, std::string_view what);

  // True when no transaction is open (sqlite3_get_autocommit).
  bool autocommit() const;
  // Rows changed by the last INSERT/UPDATE/DELETE (sqlite3_changes64).
  int64_t changes() const;
  int64_t last_insert_rowid() const;

 private:
  friend class Statement;
  // Prepared statements kept for reuse, by SQL text (see Statement).
  struct StatementCache;

  Database(sqlite3* db, std::string path);
  void CloseAll();

  sqlite3* db_ = nullptr;
  std::string path_;
  std::unique_ptr<StatementCache> cache_;
};

class Statement {
 public:
  // Prepares one statement. `what` names the operation in error messages.
  // Statements are cached per connection: the same SQL text reuses an idle
  // prepared statement (reset, bindings cleared) instead of compiling it
  // again, and a Statement going out of scope returns its statement to the
  // cache. A Statement must not outlive its Database.
  static Result<Statement> Prepare(const Database& db, std::string_view sql, std::string_view what);

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1. A failed bind is reported by Step().
  Statement& BindInt(int index, int64_t value);
  Statement& BindText(int index, std::string_view value);
  // Bytes as a BLOB (never converted or re-encoded); empty binds a zero-length blob.
  Statement& BindBlob(int index, std::string_view value);
  Statement& BindNull(int index);

  // Runs one step: true when a row is ready, false when done.
  Result<bool> Step();
  // Steps until done, for statements whose rows do not matter.
  Status Run();
  // Resets for another run with new bindings (bindings are cleared).
  void Reset();

  bool ColumnIsNull(int index) const;
  int64_t ColumnInt(int index) const;
  // The column's bytes, embedded NULs included.
  std::string ColumnText(int index) const;
  // The same bytes without a copy: valid until the next Step, Reset or
  // destruction of this statement.
  std::string_view ColumnTextView(int index) const;
  // The column's bytes as stored in a BLOB (no text conversion).
  std::string ColumnBlob(int index) const;

 private:
  Statement(const Database* db, sqlite3_stmt* stmt, std::string what,
            std::vector<sqlite3_stmt*>* home)
      : db_(db), stmt_(stmt), what_(std::move(what)), home_(home) {}
  void NoteBind(int rc);
  // Back to the cache, or finalized when it has no place there.
  void Release();

  const Database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string what_;
  std::vector<sqlite3_stmt*>* home_ = nullptr;  // the cache's idle list for this SQL
  int bind_rc_ = 0;                             // first failed bind's result code, 0 if none
};

}  // namespace baogao::store::internal

#endif  // BAOGAO_STORE_INTERNAL_SQLITE_H_
