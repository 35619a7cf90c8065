// What readers and the admin add around the reports (issue 6): comments and
// their moderation, spent captcha challenges, takedown and correction
// requests (侵权/纠错) with every step kept, admin accounts, sessions, login
// failures, the audit log, and the site's secrets. Plain values; the
// Transaction methods that read and write them are in store.h.
//
// The store checks structure (a comment's report exists, a reply's parent is
// a top-level comment of the same report, unique keys); policy (captcha,
// spam rules, rate limits, who may do what) is the web module's.
#ifndef BAOGAO_STORE_COMMUNITY_H_
#define BAOGAO_STORE_COMMUNITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "report/report.h"

namespace baogao::store {

enum class CommentStatus {
  kPending,   // held for moderation (not shown)
  kApproved,  // shown under the report
  kRejected,  // not shown
  kSpam,      // not shown; marked as spam
  kDeleted,   // not shown; kept for the record
};
// "pending", "approved", "rejected", "spam", "deleted".
std::string_view CommentStatusSlug(CommentStatus status);
// The inverse. Errors: kInvalidArgument quoting the text.
Result<CommentStatus> CommentStatusFromSlug(std::string_view slug);

struct Comment {
  int64_t id = 0;              // set by the store; > 0
  report::ReportId report_id;  // must exist
  int64_t parent_id = 0;       // 0: top level; else a top-level comment of the same report
  std::string nickname;        // as shown (the caller applies 匿名网友)
  std::string body;            // plain text as posted (line breaks kept)
  std::string client_ip;       // who posted it (for moderation and limits)
  CommentStatus status = CommentStatus::kPending;
  std::string flags;            // why it was held, e.g. "links,words"; may be empty
  std::string idempotency_key;  // from the form; unique over all comments; non-empty
  std::string body_hash;        // the caller's hash of the normalised body (duplicate check)
  int64_t created_at = 0;       // unix seconds; set by the store
  int64_t updated_at = 0;       // unix seconds; set by the store (status changes)
  bool operator==(const Comment&) const = default;
};

// Which comments ListComments/CountComments see. Unset fields do not filter.
struct CommentFilter {
  std::optional<report::ReportId> report;
  std::optional<CommentStatus> status;
  bool top_level_only = false;       // parent_id == 0
  std::optional<int64_t> parent_id;  // replies of this comment
  // Only what the site shows: approved comments whose parent (if any) is
  // approved too (a reply under a rejected comment is not shown).
  bool visible_only = false;
  bool newest_first = false;  // default: oldest first (reading order), then id
  int64_t limit = 50;         // >= 0
  int64_t offset = 0;         // >= 0
};

enum class TakedownReason { kInfringement, kError, kOther };  // 侵权, 内容错误, 其他
// "infringement", "error", "other".
std::string_view TakedownReasonSlug(TakedownReason reason);
Result<TakedownReason> TakedownReasonFromSlug(std::string_view slug);

enum class TakedownStatus {
  kOpen,       // waiting for the admin
  kHidden,     // resolved: the report was hidden
  kCorrected,  // resolved: the report was corrected
  kRejected,   // resolved: the request was rejected
};
// "open", "hidden", "corrected", "rejected".
std::string_view TakedownStatusSlug(TakedownStatus status);
Result<TakedownStatus> TakedownStatusFromSlug(std::string_view slug);

struct TakedownRequest {
  int64_t id = 0;              // set by the store
  report::ReportId report_id;  // must exist when the request is made
  TakedownReason reason = TakedownReason::kOther;
  std::string contact;  // how to reach the requester; non-empty
  std::string details;  // non-empty
  std::string client_ip;
  std::string idempotency_key;  // unique over all requests; non-empty
  TakedownStatus status = TakedownStatus::kOpen;
  int64_t created_at = 0;  // set by the store
  int64_t updated_at = 0;  // set by the store
  bool operator==(const TakedownRequest&) const = default;
};

// One step in a request's life; every step is kept, in order.
struct TakedownEvent {
  int64_t id = 0;  // set by the store, increasing
  int64_t request_id = 0;
  int64_t time = 0;    // set by the store
  std::string actor;   // admin user name; "" for the requester
  std::string action;  // "submitted", "hidden", "corrected", "rejected", "reopened", "note"
  std::string note;
  bool operator==(const TakedownEvent&) const = default;
};

struct AdminUser {
  std::string name;           // 1..64 bytes of [A-Za-z0-9._-]
  std::string password_hash;  // PHC string ("$argon2id$v=19$m=...")
  int64_t created_at = 0;     // set by the store
  int64_t updated_at = 0;     // set by the store (password changes)
  bool operator==(const AdminUser&) const = default;
};

struct AdminSession {
  std::string token_hash;  // hex SHA-256 of the cookie's token (the token is never stored)
  std::string user;
  std::string csrf_secret;  // per-session secret the forms' CSRF tokens derive from
  int64_t created_at = 0;   // set by the store
  int64_t expires_at = 0;
  bool operator==(const AdminSession&) const = default;
};

struct AuditEntry {
  int64_t id = 0;     // set by the store, increasing
  int64_t time = 0;   // set by the store
  std::string actor;  // admin user name ("" for the system)
  std::string client_ip;
  std::string action;  // "comment.approve", "report.hide", "takedown.reject", "login", ...
  std::string target;  // "comment:12", "report:7236", "takedown:3", "user:alice"
  std::string detail;  // free text (old → new values, the note)
  bool operator==(const AuditEntry&) const = default;
};

}  // namespace baogao::store

#endif  // BAOGAO_STORE_COMMUNITY_H_
