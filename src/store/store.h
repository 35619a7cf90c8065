// The system of record: reports, their paragraphs and alternate sources, and
// a change log that derived data (the search index, indicators) follows;
// also the GB/T 2260 revision files the region table is built from.
//
// One abstract interface, Store; backends are chosen by OpenStore() from the
// URL. Today: SQLite (one file, WAL, synchronous=FULL). PostgreSQL later.
// No backend type appears in this header.
//
// Durability and atomicity: every write happens inside a transaction, and a
// call returns OK only after the transaction has committed durably. A write
// that fails leaves nothing behind (the whole transaction is rolled back).
//
// Errors (all calls): kIoError (the OS refused a read or write, or the
// database is read-only; the message names the file), kCorrupt (not a
// baogao/SQLite database, or damaged pages), kResourceExhausted (disk or
// database full, or the database stayed locked past the busy timeout),
// kInvalidArgument (a report that fails report::Validate), kNotFound (no
// such report).
//
// Thread-safety: a Store may be used from any number of threads; calls are
// serialised. Several processes may open the same SQLite file (writers take
// turns, waiting up to the busy timeout).
#ifndef BAOGAO_STORE_STORE_H_
#define BAOGAO_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "report/clock.h"
#include "report/report.h"

namespace baogao::store {

using report::ReportId;

struct StoreOptions {
  // Which store: "sqlite:PATH" or a plain PATH (SQLite). Later: "postgresql://...".
  std::string url;
  // Create the database (and its schema) when the file does not exist.
  // The parent directory must exist.
  bool create_if_missing = true;
  // Open for reading only; every write then fails with kIoError.
  bool read_only = false;
  // How long to wait for another process's lock before kResourceExhausted.
  int busy_timeout_ms = 5000;
  // Caps the database size in pages (SQLite page = 4096 bytes); 0 = no cap.
  // Writes past the cap fail with kResourceExhausted, as on a full disk.
  int64_t max_page_count = 0;
  // Where created_at / updated_at / added_at come from. Null: the system clock.
  std::shared_ptr<const report::Clock> clock;
};

// Which reports List() returns. Unset fields do not filter.
struct ListFilter {
  std::optional<report::RegionCode> region;
  std::optional<int> year;
  std::optional<report::ReportType> type;
  bool unresolved_region_only = false;  // only reports with no region code
  int64_t limit = 100;                  // at most this many (>= 0)
  int64_t offset = 0;                   // skipping this many first (>= 0)
  // Load paragraphs and alternate sources too. Off: `body` and
  // `alternate_sources` come back empty (the hash still describes the body).
  bool with_body = false;
};

enum class ChangeOp { kInsert, kUpdate, kDelete };
// "insert", "update", "delete".
std::string_view ChangeOpName(ChangeOp op);

// One row of the change log.
struct Change {
  int64_t sequence = 0;  // strictly increasing, never reused, starts at 1
  ReportId report_id;
  ChangeOp op = ChangeOp::kInsert;
  int64_t time = 0;  // unix seconds
  bool operator==(const Change&) const = default;
};

// One GB/T 2260 revision file as `baogao regions load-history` stored it
// (region::RegionTable::LoadHistoryFromStrings reads these). The store keeps
// the bytes and does not parse them.
struct RegionHistoryFile {
  std::string name;       // file name without directory ("201904.tsv"); unique
  std::string content;    // the file's bytes, unchanged
  std::string sha256;     // lower-case hex SHA-256 of content; set by the store
  int64_t loaded_at = 0;  // unix seconds when this content was stored; set by the store
  bool operator==(const RegionHistoryFile&) const = default;
};

// Operations inside one transaction. Valid only during the callback given to
// Store::RunInTransaction; not thread-safe (used by that callback's thread).
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Stores a new report and returns its id. The store sets id, content_hash
  // (report::ContentHash of the body), created_at and updated_at (now);
  // those fields of `report` are ignored. Alternate sources are stored too
  // (an added_at of 0 becomes now). Appends an insert to the change log.
  virtual Result<ReportId> Insert(const report::Report& report) = 0;
  // The whole report. kNotFound if there is none with this id.
  virtual Result<report::Report> Get(ReportId id) = 0;
  // Replaces every field of report `report.id` (body and alternate sources
  // included) except created_at; updated_at becomes now and content_hash is
  // recomputed. Appends an update to the change log. kNotFound if absent.
  virtual Status Update(const report::Report& report) = 0;
  // Removes the report with its paragraphs and alternate sources; appends a
  // delete to the change log. kNotFound if absent. Ids are never reused.
  virtual Status Delete(ReportId id) = 0;
  // Reports matching `filter`, newest year first, then by id.
  virtual Result<std::vector<report::Report>> List(const ListFilter& filter) = 0;
  // How many reports match `filter` (limit and offset ignored).
  virtual Result<int64_t> Count(const ListFilter& filter) = 0;
  // Ids (ascending) of reports whose body hash is `content_hash`, or that
  // have an alternate source with that hash: exact duplicate detection.
  virtual Result<std::vector<ReportId>> FindByContentHash(std::string_view content_hash) = 0;
  // Records that report `id` was also found at `source`; added_at becomes
  // now and the report's updated_at too. Appends an update to the change
  // log. kNotFound if absent; kInvalidArgument if the URL is empty.
  virtual Status AddAlternateSource(ReportId id, const report::AlternateSource& source) = 0;
  // Adds each count to its report's page views (点击量). Ids of reports that
  // do not exist (any more) are skipped. Not in the change log: views are
  // not part of a report. kInvalidArgument for a negative count.
  virtual Status AddViews(const std::vector<std::pair<ReportId, int64_t>>& views) = 0;
  // The report's stored page views; 0 if none were recorded or no such report.
  virtual Result<int64_t> Views(ReportId id) = 0;
  // Change-log rows with sequence > `after`, ascending, at most `limit`.
  virtual Result<std::vector<Change>> ChangesSince(int64_t after, int64_t limit) = 0;
  // The highest sequence number written so far; 0 for an empty log.
  virtual Result<int64_t> LatestSequence() = 0;

  // Makes `files` the stored set of GB/T 2260 revision files: stored files
  // whose name is not in `files` are removed, new names are added, and a
  // name whose content differs is replaced (its loaded_at becomes now). A
  // file whose name and content are already stored is left as it is, with
  // its loaded_at, so storing the same set again writes nothing. Returns
  // whether anything changed. An empty `files` removes the stored history.
  // `sha256` and `loaded_at` of `files` are ignored. Not in the change log
  // (which is about reports). Validating the contents is the caller's job.
  // kInvalidArgument for an empty name, a name with '/', or a name given
  // twice; then nothing is written.
  virtual Result<bool> ReplaceRegionHistory(const std::vector<RegionHistoryFile>& files) = 0;
  // The stored revision files, by name; empty when none were ever stored.
  // kCorrupt when a file's content does not match its sha256.
  virtual Result<std::vector<RegionHistoryFile>> RegionHistory() = 0;

  // Runs `fn` as a nested unit inside this transaction: if it fails, what it
  // wrote is undone and its Status returned, and the enclosing transaction
  // goes on. Lets a caller commit several independent units (one imported
  // file each) with one durable COMMIT. Write transactions only.
  virtual Status RunInSavepoint(const std::function<Status(Transaction&)>& fn) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` inside one write transaction. If `fn` returns OK, commits
  // durably and returns OK (or the commit's error, with everything rolled
  // back). If `fn` returns an error (or throws), rolls back and returns that
  // error (rethrows). `fn` must use only the Transaction it is given: calling
  // this Store from inside `fn` is a bug (CHECK).
  virtual Status RunInTransaction(const std::function<Status(Transaction&)>& fn) = 0;
  // Like RunInTransaction for reads only: a consistent snapshot, no write
  // lock. Writes through the Transaction fail.
  virtual Status RunInReadTransaction(const std::function<Status(Transaction&)>& fn) = 0;

  // Runs the backend's full consistency check (SQLite: PRAGMA
  // integrity_check and foreign_key_check). kCorrupt describes the first
  // problems found.
  virtual Status CheckIntegrity() = 0;

  // The database this store was opened on, for messages ("sqlite:/x/y.db").
  virtual std::string Describe() const = 0;

  // Each of these runs one transaction of its own; see Transaction.
  Result<ReportId> Insert(const report::Report& report);
  Result<report::Report> Get(ReportId id);
  Status Update(const report::Report& report);
  Status Delete(ReportId id);
  Result<std::vector<report::Report>> List(const ListFilter& filter);
  Result<int64_t> Count(const ListFilter& filter);
  Result<std::vector<ReportId>> FindByContentHash(std::string_view content_hash);
  Status AddAlternateSource(ReportId id, const report::AlternateSource& source);
  Status AddViews(const std::vector<std::pair<ReportId, int64_t>>& views);
  Result<int64_t> Views(ReportId id);
  Result<std::vector<Change>> ChangesSince(int64_t after, int64_t limit);
  Result<int64_t> LatestSequence();
  Result<bool> ReplaceRegionHistory(const std::vector<RegionHistoryFile>& files);
  Result<std::vector<RegionHistoryFile>> RegionHistory();
};

// Opens (and, with create_if_missing, creates) the store that
// `options.url` names, bringing its schema up to date: migrations run in
// order, each in its own transaction. Errors: kInvalidArgument (unknown URL
// scheme; a database from a newer baogao; a SQLite file that is not a baogao
// database), kNotFound (missing file without create_if_missing, or missing
// parent directory), kIoError (a read-only file or directory when writing
// is wanted; any OS error), kCorrupt (not a SQLite database).
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

// The schema version this build writes and understands.
int CurrentSchemaVersion();

}  // namespace baogao::store

#endif  // BAOGAO_STORE_STORE_H_
