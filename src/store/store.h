// The system of record: reports, their paragraphs and alternate sources, and
// a change log that derived data (the search index, indicators) follows;
// also the GB/T 2260 revision files the region table is built from, and
// what readers and the admin add around the reports (comments, takedown
// requests, admin accounts, the audit log; value types in store/community.h).
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
// such report), kAlreadyExists (a unique key is taken; see the methods).
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
#include "store/community.h"

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
  // Hidden reports (report::Report::hidden) are listed and counted too
  // unless this is false. The public site passes false.
  bool include_hidden = true;
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

  // Stores a new report and returns its id. The store sets id, created_at
  // and updated_at (now); those fields of `report` are ignored. content_hash
  // is report::ContentHash of the body: an empty `report.content_hash` is
  // computed, a non-empty one is trusted to be exactly that (an importer
  // that hashed the body for its duplicate check passes the hash on instead
  // of having it computed twice; debug builds check it, and a mismatch is
  // a bug that aborts). Alternate sources are stored too (an added_at of 0
  // becomes now). Appends an insert to the change log.
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

  // ---- Comments, captcha, takedowns, admin (issue 6; see community.h) ----
  // Write methods need a write transaction. Times are set from the clock.

  // Stores a new comment and returns its id. kNotFound: no such report.
  // kInvalidArgument: empty idempotency_key, or parent_id that is not a
  // top-level comment of the same report. kAlreadyExists: a comment with
  // this idempotency_key exists (nothing written; see FindCommentByKey).
  virtual Result<int64_t> InsertComment(const Comment& comment) = 0;
  // kNotFound if there is no comment with this id.
  virtual Result<Comment> GetComment(int64_t id) = 0;
  // The comment stored with this idempotency key, if any.
  virtual Result<std::optional<Comment>> FindCommentByKey(std::string_view idempotency_key) = 0;
  // Comments matching `filter`, by created_at then id (newest_first reverses).
  virtual Result<std::vector<Comment>> ListComments(const CommentFilter& filter) = 0;
  virtual Result<int64_t> CountComments(const CommentFilter& filter) = 0;
  // Visible comments per report for the given ids (approved, with an
  // approved parent if a reply; see CommentFilter::visible_only). Reports
  // with none are absent from the result.
  virtual Result<std::vector<std::pair<ReportId, int64_t>>> ApprovedCommentCounts(
      const std::vector<ReportId>& reports) = 0;
  // Sets a comment's status (updated_at becomes now). kNotFound if absent.
  virtual Status SetCommentStatus(int64_t id, CommentStatus status) = 0;
  // Whether any comment (any status) with this body_hash was created at or
  // after `since` (unix seconds): the duplicate-body check.
  virtual Result<bool> HasCommentWithBodyHashSince(std::string_view body_hash, int64_t since) = 0;
  // How many approved comments came from this client IP: the
  // first-time-poster check.
  virtual Result<int64_t> CountApprovedCommentsFromIp(std::string_view client_ip) = 0;

  // Marks the captcha challenge `nonce` spent. Returns true when it was not
  // spent before, false when it was (a replay). Rows are kept until
  // `expires_at` (unix seconds) and pruned after. kInvalidArgument: empty nonce.
  virtual Result<bool> SpendCaptcha(std::string_view nonce, int64_t expires_at) = 0;

  // The site secret called `name`: stored the first time with the value
  // `candidate` (which the caller makes random), returned unchanged after.
  // kInvalidArgument: empty name or candidate.
  virtual Result<std::string> GetOrCreateSecret(std::string_view name,
                                                std::string_view candidate) = 0;

  // Stores a takedown/correction request with status open and its first
  // event ("submitted", actor ""). kNotFound: no such report.
  // kInvalidArgument: empty contact, details or idempotency_key.
  // kAlreadyExists: a request with this idempotency_key exists.
  virtual Result<int64_t> InsertTakedown(const TakedownRequest& request) = 0;
  virtual Result<TakedownRequest> GetTakedown(int64_t id) = 0;  // kNotFound
  virtual Result<std::optional<TakedownRequest>> FindTakedownByKey(
      std::string_view idempotency_key) = 0;
  // Requests with `status` (all when unset), newest first.
  virtual Result<std::vector<TakedownRequest>> ListTakedowns(std::optional<TakedownStatus> status,
                                                             int64_t limit, int64_t offset) = 0;
  virtual Result<int64_t> CountTakedowns(std::optional<TakedownStatus> status) = 0;
  // Sets the request's status and appends an event (actor, action = the new
  // status's slug, "reopened" for a return to open, or "note" when the
  // status is unchanged; note). updated_at becomes now. kNotFound.
  virtual Status UpdateTakedown(int64_t id, TakedownStatus status, std::string_view actor,
                                std::string_view note) = 0;
  // Every event of the request, oldest first.
  virtual Result<std::vector<TakedownEvent>> TakedownEvents(int64_t request_id) = 0;

  // Admin accounts. kInvalidArgument: a name outside [A-Za-z0-9._-]{1,64}
  // or an empty hash. kAlreadyExists: the name is taken.
  virtual Status CreateAdminUser(const AdminUser& user) = 0;
  // Replaces the password hash; kNotFound if there is no such user,
  // kInvalidArgument for an empty hash.
  virtual Status SetAdminPassword(std::string_view name, std::string_view password_hash) = 0;
  virtual Result<AdminUser> GetAdminUser(std::string_view name) = 0;  // kNotFound
  virtual Result<std::vector<AdminUser>> ListAdminUsers() = 0;        // by name

  // Sessions, by the hash of their cookie token. CreateSession:
  // kAlreadyExists for a token hash in use; kNotFound: no such user;
  // kInvalidArgument: an empty token hash. It also removes expired sessions.
  virtual Status CreateSession(const AdminSession& session) = 0;
  // The session if it exists and expires_at > now (expired ones are not
  // returned).
  virtual Result<std::optional<AdminSession>> GetSession(std::string_view token_hash) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;  // absent: OK
  // Removes every session of `user` (after a password change).
  virtual Status DeleteSessionsOf(std::string_view user) = 0;

  // Failed logins, counted per key ("user:NAME", "ip:ADDR"): records one at
  // now, counts those at or after `since`, clears a key (after a success).
  // Rows older than a day are pruned when recording.
  virtual Status RecordLoginFailure(std::string_view key) = 0;
  virtual Result<int64_t> CountLoginFailures(std::string_view key, int64_t since) = 0;
  virtual Status ClearLoginFailures(std::string_view key) = 0;

  // The audit log: append-only (no method changes or removes an entry).
  virtual Result<int64_t> AppendAudit(const AuditEntry& entry) = 0;
  // Newest first.
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t limit, int64_t offset) = 0;
  virtual Result<int64_t> CountAudit() = 0;

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

  Result<int64_t> InsertComment(const Comment& comment);
  Result<Comment> GetComment(int64_t id);
  Result<std::optional<Comment>> FindCommentByKey(std::string_view idempotency_key);
  Result<std::vector<Comment>> ListComments(const CommentFilter& filter);
  Result<int64_t> CountComments(const CommentFilter& filter);
  Result<std::vector<std::pair<ReportId, int64_t>>> ApprovedCommentCounts(
      const std::vector<ReportId>& reports);
  Status SetCommentStatus(int64_t id, CommentStatus status);
  Result<bool> HasCommentWithBodyHashSince(std::string_view body_hash, int64_t since);
  Result<int64_t> CountApprovedCommentsFromIp(std::string_view client_ip);
  Result<bool> SpendCaptcha(std::string_view nonce, int64_t expires_at);
  Result<std::string> GetOrCreateSecret(std::string_view name, std::string_view candidate);
  Result<int64_t> InsertTakedown(const TakedownRequest& request);
  Result<TakedownRequest> GetTakedown(int64_t id);
  Result<std::optional<TakedownRequest>> FindTakedownByKey(std::string_view idempotency_key);
  Result<std::vector<TakedownRequest>> ListTakedowns(std::optional<TakedownStatus> status,
                                                     int64_t limit, int64_t offset);
  Result<int64_t> CountTakedowns(std::optional<TakedownStatus> status);
  Status UpdateTakedown(int64_t id, TakedownStatus status, std::string_view actor,
                        std::string_view note);
  Result<std::vector<TakedownEvent>> TakedownEvents(int64_t request_id);
  Status CreateAdminUser(const AdminUser& user);
  Status SetAdminPassword(std::string_view name, std::string_view password_hash);
  Result<AdminUser> GetAdminUser(std::string_view name);
  Result<std::vector<AdminUser>> ListAdminUsers();
  Status CreateSession(const AdminSession& session);
  Result<std::optional<AdminSession>> GetSession(std::string_view token_hash);
  Status DeleteSession(std::string_view token_hash);
  Status DeleteSessionsOf(std::string_view user);
  Status RecordLoginFailure(std::string_view key);
  Result<int64_t> CountLoginFailures(std::string_view key, int64_t since);
  Status ClearLoginFailures(std::string_view key);
  Result<int64_t> AppendAudit(const AuditEntry& entry);
  Result<std::vector<AuditEntry>> ListAudit(int64_t limit, int64_t offset);
  Result<int64_t> CountAudit();
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
