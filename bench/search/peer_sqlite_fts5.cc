// Search benchmark peer: SQLite FTS5 with the trigram tokenizer (SQLite as
// Debian 12 ships it). Speaks the protocol of bench/search/compare.py.
//
// Schema: one FTS5 table, docs(title, body, region UNINDEXED, year UNINDEXED,
// tokenize='trigram'), rowid = report id. A query is a MATCH of the quoted
// terms joined by AND, ranked by bm25() with the title weighted 5, a
// snippet() per hit, and an exact count(*) with the same WHERE clause.
//
// The trigram tokenizer cannot match a term shorter than 3 characters, so
// such queries are reported unsupported; for them the variant shape
// "<shape>_like" measures what an application would fall back to: LIKE
// '%term%' on the same FTS table, in rowid order, without relevance, with a
// substr() excerpt instead of snippet().
//
// A trap, checked on SQLite 3.40.1: a lone "body LIKE '%保障%'" is handed to
// FTS5's trigram index, which silently returns no rows for a pattern without
// a 3-character run. "title LIKE ?1 OR body LIKE ?1" (as here) or
// "+body LIKE ?" keeps the constraint away from FTS5, so SQLite tests every
// row itself (a full scan) and the count is right.
#include <sqlite3.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol.h"

namespace {

using baogao::bench::Query;
using baogao::bench::QueryResult;
using baogao::bench::Report;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStmt {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;
using Stmt = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

// Counts UTF-8 code points (the input is valid UTF-8: it came through a JSON parser).
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// An FTS5 string: double quotes, inner quotes doubled.
std::string Fts5String(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

class SqliteFts5 : public baogao::bench::Engine {
 public:
  void Build(const std::vector<Report>& reports, const std::string& index_dir) override {
    OpenDb(index_dir, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // A bulk load that may be lost on a crash, as the other peers' builds.
    Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
    Exec(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, region UNINDEXED, year UNINDEXED, "
        "tokenize='trigram')");
    Exec("BEGIN");
    sqlite3_stmt* ins =
        Prepare("INSERT INTO docs(rowid, title, body, region, year) VALUES(?,?,?,?,?)");
    for (const Report& r : reports) {
      const std::string body = r.Body();
      sqlite3_bind_int64(ins, 1, r.id);
      sqlite3_bind_text(ins, 2, r.title.data(), static_cast<int>(r.title.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 3, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 4, r.region.data(), static_cast<int>(r.region.size()), SQLITE_STATIC);
      sqlite3_bind_int(ins, 5, r.year);
      Step(ins);
      sqlite3_reset(ins);
    }
    Exec("COMMIT");
    Exec("INSERT INTO docs(docs) VALUES('optimize')");
    stmts_.clear();
    db_.reset();
  }

  void Open(const std::string& index_dir) override { OpenDb(index_dir, SQLITE_OPEN_READONLY); }

  std::vector<std::string> Shapes(const Query& q) override {
    if (!HasShortTerm(q)) return {q.shape};
    return {q.shape, q.shape + "_like"};
  }

  QueryResult Run(const Query& q, const std::string& shape) override {
    const bool like = shape != q.shape;
    QueryResult result;
    if (!like && HasShortTerm(q)) {
      result.supported = false;
      result.note = "trigram cannot match <3 chars";
      return result;
    }
    std::string where;
    if (like) {
      for (size_t i = 0; i < q.terms.size(); ++i) {
        if (i > 0) where += " AND ";
        where += "(title LIKE ? OR body LIKE ?)";
      }
    } else {
      where = "docs MATCH ?";
    }
    if (q.region_prefix) where += " AND substr(region, 1, length(?)) = ?";
    if (q.year_from) where += " AND year >= ?";
    if (q.year_to) where += " AND year <= ?";
    const std::string top =
        like ? "SELECT rowid, title, substr(body, max(1, instr(body, ?) - 20), 60) FROM docs "
               "WHERE " +
                   where + " LIMIT 10"
             : "SELECT rowid, title, snippet(docs, -1, '<b>', '</b>', '…', 16) FROM docs WHERE " +
                   where + " ORDER BY bm25(docs, 5.0, 1.0) LIMIT 10";
    sqlite3_stmt* s = Prepare(top);
    int arg = 1;
    if (like) BindText(s, arg++, q.terms[0]);
    Bind(s, q, like, arg);
    while (Step(s)) {
      ++result.hits;
      result.snippet_bytes += sqlite3_column_bytes(s, 1) + sqlite3_column_bytes(s, 2);
    }
    sqlite3_reset(s);
    sqlite3_stmt* c = Prepare("SELECT count(*) FROM docs WHERE " + where);
    Bind(c, q, like, 1);
    Step(c);
    result.total = sqlite3_column_int64(c, 0);
    sqlite3_reset(c);
    if (like) result.note = "LIKE fallback (full scan, no ranking)";
    return result;
  }

 private:
  static bool HasShortTerm(const Query& q) {
    for (const std::string& t : q.terms) {
      if (CodePoints(t) < 3) return true;
    }
    return false;
  }

  void Bind(sqlite3_stmt* s, const Query& q, bool like, int arg) {
    if (like) {
      for (const std::string& t : q.terms) {
        BindText(s, arg++, "%" + t + "%");
        BindText(s, arg++, "%" + t + "%");
      }
    } else {
      std::string match;
      for (const std::string& t : q.terms) {
        if (!match.empty()) match += " AND ";
        match += Fts5String(t);
      }
      BindText(s, arg++, match);
    }
    if (q.region_prefix) {
      BindText(s, arg++, *q.region_prefix);
      BindText(s, arg++, *q.region_prefix);
    }
    if (q.year_from) sqlite3_bind_int(s, arg++, *q.year_from);
    if (q.year_to) sqlite3_bind_int(s, arg++, *q.year_to);
  }

  static void BindText(sqlite3_stmt* s, int arg, const std::string& text) {
    sqlite3_bind_text(s, arg, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }

  void OpenDb(const std::string& index_dir, int flags) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2((index_dir + "/fts5.db").c_str(), &db, flags, nullptr);
    db_.reset(db);
    if (rc != SQLITE_OK) throw std::runtime_error(std::string("open: ") + sqlite3_errstr(rc));
  }

  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error(sql + ": " + msg);
    }
  }

  // Prepared once per distinct SQL text and kept for the life of the connection.
  sqlite3_stmt* Prepare(const std::string& sql) {
    auto it = stmts_.find(sql);
    if (it != stmts_.end()) return it->second.get();
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_.get()));
    }
    return stmts_.emplace(sql, Stmt(s)).first->second.get();
  }

  // True for a row, false when done.
  bool Step(sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(db_.get()));
  }

  // Declared before stmts_ so that the statements are finalized first.
  Db db_;
  std::map<std::string, Stmt> stmts_;
};

}  // namespace

int main(int argc, char** argv) {
  SqliteFts5 engine;
  return baogao::bench::RunEngineMain(argc, argv, "sqlite_fts5", engine);
}
