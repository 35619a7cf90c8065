// The SQLite Transaction's state, and its methods for what readers and the
// admin add around the reports (store/community.h): comments, spent captcha
// challenges, site secrets, takedown requests, admin users, sessions, login
// failures and the audit log. Defined in sqlite_community.cc; the report
// methods are in sqlite_store.cc, whose SqliteTransaction derives from this
// class. Used only inside src/store.
#ifndef BAOGAO_STORE_INTERNAL_SQLITE_COMMUNITY_H_
#define BAOGAO_STORE_INTERNAL_SQLITE_COMMUNITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/clock.h"
#include "store/community.h"
#include "store/internal/sqlite.h"
#include "store/store.h"

namespace baogao::store::internal {

// Failed logins older than this are pruned when a new one is recorded.
inline constexpr int64_t kLoginFailureRetentionSeconds = 86400;

class SqliteCommunityTransaction : public Transaction {
 public:
  Result<int64_t> InsertComment(const Comment& comment) override;
  Result<Comment> GetComment(int64_t id) override;
  Result<std::optional<Comment>> FindCommentByKey(std::string_view idempotency_key) override;
  Result<std::vector<Comment>> ListComments(const CommentFilter& filter) override;
  Result<int64_t> CountComments(const CommentFilter& filter) override;
  Result<std::vector<std::pair<ReportId, int64_t>>> ApprovedCommentCounts(
      const std::vector<ReportId>& reports) override;
  Status SetCommentStatus(int64_t id, CommentStatus status) override;
  Result<bool> HasCommentWithBodyHashSince(std::string_view body_hash, int64_t since) override;
  Result<int64_t> CountApprovedCommentsFromIp(std::string_view client_ip) override;

  Result<bool> SpendCaptcha(std::string_view nonce, int64_t expires_at) override;
  Result<std::string> GetOrCreateSecret(std::string_view name, std::string_view candidate) override;

  Result<int64_t> InsertTakedown(const TakedownRequest& request) override;
  Result<TakedownRequest> GetTakedown(int64_t id) override;
  Result<std::optional<TakedownRequest>> FindTakedownByKey(
      std::string_view idempotency_key) override;
  Result<std::vector<TakedownRequest>> ListTakedowns(std::optional<TakedownStatus> status,
                                                     int64_t limit, int64_t offset) override;
  Result<int64_t> CountTakedowns(std::optional<TakedownStatus> status) override;
  Status UpdateTakedown(int64_t id, TakedownStatus status, std::string_view actor,
                        std::string_view note) override;
  Result<std::vector<TakedownEvent>> TakedownEvents(int64_t request_id) override;

  Status CreateAdminUser(const AdminUser& user) override;
  Status SetAdminPassword(std::string_view name, std::string_view password_hash) override;
  Result<AdminUser> GetAdminUser(std::string_view name) override;
  Result<std::vector<AdminUser>> ListAdminUsers() override;

  Status CreateSession(const AdminSession& session) override;
  Result<std::optional<AdminSession>> GetSession(std::string_view token_hash) override;
  Status DeleteSession(std::string_view token_hash) override;
  Status DeleteSessionsOf(std::string_view user) override;

  Status RecordLoginFailure(std::string_view key) override;
  Result<int64_t> CountLoginFailures(std::string_view key, int64_t since) override;
  Status ClearLoginFailures(std::string_view key) override;

  Result<int64_t> AppendAudit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> ListAudit(int64_t limit, int64_t offset) override;
  Result<int64_t> CountAudit() override;

 protected:
  // `db` and `clock` must outlive the transaction; `write` is false for
  // RunInReadTransaction, where every write method is a bug (CHECK).
  SqliteCommunityTransaction(Database& db, const report::Clock& clock, bool write)
      : db_(db), clock_(clock), write_(write) {}

  void CheckWritable(const char* op) const;

  Database& db_;
  const report::Clock& clock_;
  const bool write_;

 private:
  Result<Comment> ReadComment(const Statement& s) const;
  Result<TakedownRequest> ReadTakedown(const Statement& s) const;
  Status ReportExists(ReportId id, std::string_view what) const;
};

}  // namespace baogao::store::internal

#endif  // BAOGAO_STORE_INTERNAL_SQLITE_COMMUNITY_H_
