// What readers and the admin add around the reports (store/community.h):
// comments and their rules, captcha spends, site secrets, takedown requests
// with their events, admin users, sessions, login failures and the audit log.
#include "store/community.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/internal/sqlite.h"
#include "store/store.h"
#include "test_util.h"

namespace baogao::store {
namespace {

using report::Report;
using testing::Contains;
using testing::RawQuery;
using testing::TempDir;

// Text that would do harm if it were ever spliced into SQL.
const std::string kHostile = "O'Brien \"引号\"; DROP TABLE comments; -- '; DROP TABLE reports; --";

class CommunityTest : public ::testing::Test {
 protected:
  CommunityTest() : clock_(std::make_shared<report::FakeClock>(1000)) {
    StoreOptions o;
    o.url = "sqlite:" + path();
    o.clock = clock_;
    auto s = OpenStore(o);
    CHECK(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    report_ = AddReport("陵城区2023年政府工作报告");
    other_report_ = AddReport("德州市2023年政府工作报告");
  }

  std::string path() const { return dir_.File("baogao.db"); }

  ReportId AddReport(const std::string& title) {
    Report r;
    r.type = report::ReportType::kGovernmentWork;
    r.title = title;
    r.year = 2023;
    r.body = {{0, title + "正文"}};
    auto id = store_->Insert(r);
    CHECK(id.ok()) << id.status().ToString();
    return *id;
  }

  Comment MakeComment(const std::string& key, ReportId report, int64_t parent = 0) const {
    Comment c;
    c.report_id = report;
    c.parent_id = parent;
    c.nickname = "匿名网友";
    c.body = "评论 " + key;
    c.client_ip = "192.0.2.1";
    c.status = CommentStatus::kApproved;
    c.idempotency_key = key;
    c.body_hash = "hash-" + key;
    return c;
  }

  // Inserts a comment, failing the test if that fails; returns its id.
  int64_t AddComment(const Comment& c) {
    auto id = store_->InsertComment(c);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  int64_t RawCount(const std::string& table) {
    return std::stoll(RawQuery(path(), "SELECT COUNT(*) FROM " + table).at(0));
  }

  TempDir dir_;
  std::shared_ptr<report::FakeClock> clock_;
  std::unique_ptr<Store> store_;
  ReportId report_;
  ReportId other_report_;
};

std::vector<int64_t> Ids(const Result<std::vector<Comment>>& comments) {
  std::vector<int64_t> out;
  EXPECT_TRUE(comments.ok()) << comments.status().ToString();
  if (comments.ok()) {
    for (const Comment& c : *comments) out.push_back(c.id);
  }
  return out;
}

// Slugs

TEST(CommunitySlugTest, RoundTripAndRefuseUnknownText) {
  for (CommentStatus s :
       {CommentStatus::kPending, CommentStatus::kApproved, CommentStatus::kRejected,
        CommentStatus::kSpam, CommentStatus::kDeleted}) {
    EXPECT_EQ(*CommentStatusFromSlug(CommentStatusSlug(s)), s);
  }
  for (TakedownReason r :
       {TakedownReason::kInfringement, TakedownReason::kError, TakedownReason::kOther}) {
    EXPECT_EQ(*TakedownReasonFromSlug(TakedownReasonSlug(r)), r);
  }
  for (TakedownStatus s : {TakedownStatus::kOpen, TakedownStatus::kHidden,
                           TakedownStatus::kCorrected, TakedownStatus::kRejected}) {
    EXPECT_EQ(*TakedownStatusFromSlug(TakedownStatusSlug(s)), s);
  }
  EXPECT_EQ(CommentStatusSlug(CommentStatus::kSpam), "spam");
  EXPECT_EQ(TakedownReasonSlug(TakedownReason::kInfringement), "infringement");
  EXPECT_EQ(TakedownStatusSlug(TakedownStatus::kCorrected), "corrected");
  auto bad = CommentStatusFromSlug("Approved");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(bad.status().message(), "'Approved'")) << bad.status().ToString();
  EXPECT_EQ(TakedownReasonFromSlug("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TakedownStatusFromSlug("closed").status().code(), StatusCode::kInvalidArgument);
}

TEST(SqliteStatusTest, UniqueViolationsAreAlreadyExists) {
  EXPECT_EQ(internal::SqliteStatus(SQLITE_CONSTRAINT_UNIQUE, "x.db", "w", "").code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(internal::SqliteStatus(SQLITE_CONSTRAINT_PRIMARYKEY, "x.db", "w", "").code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(internal::SqliteStatus(SQLITE_CONSTRAINT_CHECK, "x.db", "w", "").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(internal::SqliteStatus(SQLITE_CONSTRAINT_FOREIGNKEY, "x.db", "w", "").code(),
            StatusCode::kInvalidArgument);
}

// Comments

TEST_F(CommunityTest, CommentRoundTripsEveryField) {
  Comment in = MakeComment("key-1", report_);
  in.status = CommentStatus::kPending;
  in.flags = "links,words";
  in.body = "第一行\n第二行\n\n  缩进 <b>不是标签</b> & 😀";
  in.id = 99;         // ignored
  in.created_at = 5;  // ignored
  in.updated_at = 6;  // ignored
  clock_->Set(2000);
  auto id = store_->InsertComment(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_GT(*id, 0);

  Comment expected = in;
  expected.id = *id;
  expected.created_at = 2000;
  expected.updated_at = 2000;
  auto got = store_->GetComment(*id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, expected);
  auto by_key = store_->FindCommentByKey("key-1");
  ASSERT_TRUE(by_key.ok()) << by_key.status().ToString();
  ASSERT_TRUE(by_key->has_value());
  EXPECT_EQ(**by_key, expected);
  EXPECT_FALSE(store_->FindCommentByKey("key-2")->has_value());
  EXPECT_FALSE(store_->FindCommentByKey("")->has_value());

  auto missing = store_->GetComment(*id + 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(missing.status().message(), "comment " + std::to_string(*id + 1)))
      << missing.status().ToString();
  // Top-level comments are stored with a NULL parent (a foreign key).
  EXPECT_EQ(RawQuery(path(), "SELECT parent_id FROM comments"), std::vector<std::string>{"NULL"});
}

TEST_F(CommunityTest, CommentErrorsWriteNothing) {
  const int64_t top = AddComment(MakeComment("top", report_));
  const int64_t reply = AddComment(MakeComment("reply", report_, top));
  const int64_t elsewhere = AddComment(MakeComment("elsewhere", other_report_));
  ASSERT_GT(top, 0);
  ASSERT_GT(reply, 0);
  ASSERT_GT(elsewhere, 0);
  EXPECT_EQ(store_->GetComment(reply)->parent_id, top);

  auto code = [&](const Comment& c) { return store_->InsertComment(c).status().code(); };
  EXPECT_EQ(code(MakeComment("", report_)), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(MakeComment("no-report", ReportId(999))), StatusCode::kNotFound);
  auto no_report = store_->InsertComment(MakeComment("no-report", ReportId(999)));
  EXPECT_TRUE(Contains(no_report.status().message(), "report 999"))
      << no_report.status().ToString();
  // Replies go one level deep, under a comment of the same report.
  auto nested = store_->InsertComment(MakeComment("nested", report_, reply));
  EXPECT_EQ(nested.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(nested.status().message(), "top-level")) << nested.status().ToString();
  EXPECT_EQ(code(MakeComment("cross", report_, elsewhere)), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(MakeComment("ghost-parent", report_, 12345)), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(MakeComment("negative-parent", report_, -1)), StatusCode::kInvalidArgument);
  EXPECT_EQ(RawCount("comments"), 3);

  // A reply to a top-level comment of the other report is fine there.
  EXPECT_GT(AddComment(MakeComment("ok", other_report_, elsewhere)), 0);
}

TEST_F(CommunityTest, IdempotencyKeyIsUniqueAndADuplicateWritesNothing) {
  const int64_t first = AddComment(MakeComment("form-abc", report_));
  ASSERT_GT(first, 0);

  // Same key, other content: refused, and the transaction goes on.
  int64_t next = 0;
  Status s = store_->RunInTransaction([&](Transaction& txn) -> Status {
    Comment again = MakeComment("form-abc", report_);
    again.body = "再次提交";
    auto dup = txn.InsertComment(again);
    EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
    EXPECT_TRUE(Contains(dup.status().message(), "form-abc")) << dup.status().ToString();
    // The caller finds what the first submission stored.
    auto found = txn.FindCommentByKey("form-abc");
    EXPECT_TRUE(found.ok() && found->has_value() && (*found)->id == first);
    BAOGAO_ASSIGN_OR_RETURN(next, txn.InsertComment(MakeComment("form-def", report_)));
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(next, first + 1) << "the refused insert used up no id";
  EXPECT_EQ(RawCount("comments"), 2);
  EXPECT_EQ(store_->GetComment(first)->body, "评论 form-abc");

  // Through the one-call form too.
  EXPECT_EQ(store_->InsertComment(MakeComment("form-def", other_report_)).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(RawCount("comments"), 2);
  // The key is unique over all comments, whatever their report.
  EXPECT_EQ(RawQuery(path(), "SELECT COUNT(DISTINCT idempotency_key) FROM comments"),
            std::vector<std::string>{"2"});
}

TEST_F(CommunityTest, ListAndCountComments) {
  clock_->Set(100);
  const int64_t a = AddComment(MakeComment("a", report_));
  clock_->Set(300);
  Comment pending = MakeComment("b", report_);
  pending.status = CommentStatus::kPending;
  const int64_t b = AddComment(pending);
  clock_->Set(200);  // out of id order: listing goes by time, then id
  const int64_t a1 = AddComment(MakeComment("a1", report_, a));
  const int64_t a2 = AddComment(MakeComment("a2", report_, a));
  clock_->Set(400);
  const int64_t x = AddComment(MakeComment("x", other_report_));

  CommentFilter f;
  EXPECT_EQ(Ids(store_->ListComments(f)), (std::vector<int64_t>{a, a1, a2, b, x}));
  EXPECT_EQ(*store_->CountComments(f), 5);
  f.newest_first = true;
  EXPECT_EQ(Ids(store_->ListComments(f)), (std::vector<int64_t>{x, b, a2, a1, a}));
  f = {};
  f.report = report_;
  EXPECT_EQ(Ids(store_->ListComments(f)), (std::vector<int64_t>{a, a1, a2, b}));
  f.top_level_only = true;
  EXPECT_EQ(Ids(store_->ListComments(f)), (std::vector<int64_t>{a, b}));
  EXPECT_EQ(*store_->CountComments(f), 2);
  f.status = CommentStatus::kApproved;
  EXPECT_EQ(Ids(store_->ListComments(f)), (std::vector<int64_t>{a}));
  f = {};
  f.parent_id = a;
  EXPECT_EQ(Ids(store_->ListComments(f)), (std::vector<int64_t>{a1, a2}));
  EXPECT_EQ(*store_->CountComments(f), 2);
  f.parent_id = 0;  // replies of "no comment": the top level
  EXPECT_EQ(Ids(store_->ListComments(f)), (std::vector<int64_t>{a, b, x}));
  f = {};
  f.status = CommentStatus::kPending;
  EXPECT_EQ(Ids(store_->ListComments(f)), (std::vector<int64_t>{b}));
  f = {};
  f.limit = 2;
  f.offset = 1;
  EXPECT_EQ(Ids(store_->ListComments(f)), (std::vector<int64_t>{a1, a2}));
  EXPECT_EQ(*store_->CountComments(f), 5) << "Count ignores limit and offset";
  f.limit = 0;
  EXPECT_TRUE(store_->ListComments(f)->empty());
  f.limit = -1;
  EXPECT_EQ(store_->ListComments(f).status().code(), StatusCode::kInvalidArgument);
  f.limit = 1;
  f.offset = -1;
  EXPECT_EQ(store_->ListComments(f).status().code(), StatusCode::kInvalidArgument);
  f = {};
  f.report = ReportId(999);
  EXPECT_TRUE(store_->ListComments(f)->empty());
}

TEST_F(CommunityTest, ModerationAndApprovedCounts) {
  const int64_t a = AddComment(MakeComment("a", report_));
  const int64_t b = AddComment(MakeComment("b", report_));
  Comment held = MakeComment("c", report_);
  held.status = CommentStatus::kPending;
  const int64_t c = AddComment(held);
  AddComment(MakeComment("d", other_report_));
  const ReportId quiet = AddReport("没有评论的报告");

  using Counts = std::vector<std::pair<ReportId, int64_t>>;
  EXPECT_EQ(*store_->ApprovedCommentCounts({other_report_, report_, quiet, ReportId(999), report_}),
            (Counts{{report_, 2}, {other_report_, 1}}))
      << "by report id, each once; reports without approved comments are absent";
  EXPECT_TRUE(store_->ApprovedCommentCounts({})->empty());

  clock_->Set(5000);
  ASSERT_TRUE(store_->SetCommentStatus(c, CommentStatus::kApproved).ok());
  ASSERT_TRUE(store_->SetCommentStatus(a, CommentStatus::kSpam).ok());
  ASSERT_TRUE(store_->SetCommentStatus(b, CommentStatus::kDeleted).ok());
  auto got = *store_->GetComment(c);
  EXPECT_EQ(got.status, CommentStatus::kApproved);
  EXPECT_EQ(got.created_at, 1000);
  EXPECT_EQ(got.updated_at, 5000);
  EXPECT_EQ(store_->GetComment(a)->status, CommentStatus::kSpam);
  EXPECT_EQ(store_->GetComment(b)->status, CommentStatus::kDeleted) << "kept for the record";
  EXPECT_EQ(*store_->ApprovedCommentCounts({report_, other_report_}),
            (Counts{{report_, 1}, {other_report_, 1}}));

  const Status missing = store_->SetCommentStatus(12345, CommentStatus::kApproved);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(missing.message(), "comment 12345")) << missing.ToString();
  // The stored status is the slug, CHECK-constrained.
  EXPECT_EQ(RawQuery(path(), "SELECT status FROM comments ORDER BY id"),
            (std::vector<std::string>{"spam", "deleted", "approved", "approved"}));
}

TEST_F(CommunityTest, RepliesAreVisibleOnlyUnderAnApprovedParent) {
  const int64_t top = AddComment(MakeComment("top", report_));
  Comment r = MakeComment("reply", report_);
  r.parent_id = top;
  const int64_t reply = AddComment(r);
  CommentFilter visible;
  visible.report = report_;
  visible.visible_only = true;
  using Counts = std::vector<std::pair<ReportId, int64_t>>;
  EXPECT_EQ(Ids(store_->ListComments(visible)), (std::vector<int64_t>{top, reply}));
  EXPECT_EQ(*store_->ApprovedCommentCounts({report_}), (Counts{{report_, 2}}));
  // The parent rejected: its approved reply is no longer shown or counted,
  // though its own status stays (re-approving the parent brings it back).
  ASSERT_TRUE(store_->SetCommentStatus(top, CommentStatus::kRejected).ok());
  EXPECT_TRUE(Ids(store_->ListComments(visible)).empty());
  EXPECT_EQ(*store_->CountComments(visible), 0);
  EXPECT_TRUE(store_->ApprovedCommentCounts({report_})->empty());
  EXPECT_EQ(store_->GetComment(reply)->status, CommentStatus::kApproved);
  CommentFilter approved;
  approved.status = CommentStatus::kApproved;
  EXPECT_EQ(Ids(store_->ListComments(approved)), (std::vector<int64_t>{reply}));
  ASSERT_TRUE(store_->SetCommentStatus(top, CommentStatus::kApproved).ok());
  EXPECT_EQ(*store_->CountComments(visible), 2);
}

TEST_F(CommunityTest, DuplicateBodyCheckLooksAtTheWindow) {
  clock_->Set(1000);
  Comment c = MakeComment("k1", report_);
  c.body_hash = "same";
  c.status = CommentStatus::kRejected;  // any status counts
  AddComment(c);
  EXPECT_TRUE(*store_->HasCommentWithBodyHashSince("same", 0));
  EXPECT_TRUE(*store_->HasCommentWithBodyHashSince("same", 1000)) << "at `since` counts";
  EXPECT_FALSE(*store_->HasCommentWithBodyHashSince("same", 1001));
  EXPECT_FALSE(*store_->HasCommentWithBodyHashSince("other", 0));
  clock_->Set(2000);
  c.idempotency_key = "k2";
  AddComment(c);
  EXPECT_TRUE(*store_->HasCommentWithBodyHashSince("same", 1001));
  EXPECT_FALSE(*store_->HasCommentWithBodyHashSince("same", 2001));
}

TEST_F(CommunityTest, ApprovedCommentsPerIp) {
  Comment c = MakeComment("1", report_);
  c.client_ip = "2001:db8::1";
  AddComment(c);
  c.idempotency_key = "2";
  c.status = CommentStatus::kPending;
  AddComment(c);
  c.idempotency_key = "3";
  c.status = CommentStatus::kApproved;
  c.report_id = other_report_;
  AddComment(c);
  EXPECT_EQ(*store_->CountApprovedCommentsFromIp("2001:db8::1"), 2);
  EXPECT_EQ(*store_->CountApprovedCommentsFromIp("192.0.2.1"), 0);
  EXPECT_EQ(*store_->CountApprovedCommentsFromIp(""), 0);
}

TEST_F(CommunityTest, CommentsGoWithTheirReportButTakedownsStay) {
  const int64_t top = AddComment(MakeComment("top", report_));
  AddComment(MakeComment("reply", report_, top));
  const int64_t kept = AddComment(MakeComment("kept", other_report_));
  TakedownRequest t;
  t.report_id = report_;
  t.contact = "a@example.org";
  t.details = "侵权";
  t.idempotency_key = "t1";
  auto tid = store_->InsertTakedown(t);
  ASSERT_TRUE(tid.ok()) << tid.status().ToString();
  ASSERT_TRUE(store_->UpdateTakedown(*tid, TakedownStatus::kHidden, "admin", "").ok());

  ASSERT_TRUE(store_->Delete(report_).ok());
  EXPECT_EQ(RawCount("comments"), 1);
  EXPECT_TRUE(store_->GetComment(kept).ok());
  auto request = store_->GetTakedown(*tid);
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->report_id, report_) << "the request keeps the id of the deleted report";
  EXPECT_EQ(store_->TakedownEvents(*tid)->size(), 2u);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

// Captcha and secrets

TEST_F(CommunityTest, CaptchaCanBeSpentOnceAndExpiredRowsArePruned) {
  clock_->Set(1000);
  EXPECT_TRUE(*store_->SpendCaptcha("nonce-1", 1100));
  EXPECT_FALSE(*store_->SpendCaptcha("nonce-1", 1100)) << "a replay";
  EXPECT_FALSE(*store_->SpendCaptcha("nonce-1", 9999)) << "a replay, whatever the expiry";
  EXPECT_TRUE(*store_->SpendCaptcha("nonce-2", 1200));
  EXPECT_TRUE(*store_->SpendCaptcha(kHostile, 1200));
  EXPECT_FALSE(*store_->SpendCaptcha(kHostile, 1200));
  auto empty = store_->SpendCaptcha("", 1100);
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RawCount("captcha_spent"), 3);

  clock_->Set(1100);  // nonce-1 expires at 1100: kept until after then
  EXPECT_TRUE(*store_->SpendCaptcha("nonce-3", 1300));
  EXPECT_EQ(RawCount("captcha_spent"), 4);
  clock_->Set(1101);
  EXPECT_TRUE(*store_->SpendCaptcha("nonce-4", 1300));
  EXPECT_EQ(RawQuery(path(), "SELECT nonce FROM captcha_spent ORDER BY expires_at, nonce"),
            (std::vector<std::string>{kHostile, "nonce-2", "nonce-3", "nonce-4"}));
  EXPECT_FALSE(*store_->SpendCaptcha("nonce-2", 1200)) << "not expired yet: still spent";
}

TEST_F(CommunityTest, SecretIsCreatedOnceAndKeptAsBytes) {
  const std::string bytes("\x00\xff\x01'; --\n", 8);
  auto first = store_->GetOrCreateSecret("captcha", bytes);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, bytes);
  EXPECT_EQ(*store_->GetOrCreateSecret("captcha", "another candidate"), bytes);
  EXPECT_EQ(*store_->GetOrCreateSecret("csrf", "x"), "x");
  EXPECT_EQ(*store_->GetOrCreateSecret("captcha", "y"), bytes);
  EXPECT_EQ(store_->GetOrCreateSecret("", "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetOrCreateSecret("z", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RawCount("site_secrets"), 2);
}

// Takedown requests

TakedownRequest MakeTakedown(const std::string& key, ReportId report) {
  TakedownRequest t;
  t.report_id = report;
  t.reason = TakedownReason::kError;
  t.contact = "张三 <zhangsan@example.org>";
  t.details = "第二段的数字有误：应为 2.1%。";
  t.client_ip = "198.51.100.7";
  t.idempotency_key = key;
  return t;
}

TEST_F(CommunityTest, TakedownRoundTripAndErrors) {
  TakedownRequest in = MakeTakedown("t-1", report_);
  in.reason = TakedownReason::kInfringement;
  in.status = TakedownStatus::kRejected;  // ignored: a new request is open
  in.id = 77;                             // ignored
  clock_->Set(3000);
  auto id = store_->InsertTakedown(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  TakedownRequest expected = in;
  expected.id = *id;
  expected.status = TakedownStatus::kOpen;
  expected.created_at = 3000;
  expected.updated_at = 3000;
  EXPECT_EQ(*store_->GetTakedown(*id), expected);
  auto by_key = store_->FindTakedownByKey("t-1");
  ASSERT_TRUE(by_key.ok() && by_key->has_value());
  EXPECT_EQ(**by_key, expected);
  EXPECT_FALSE(store_->FindTakedownByKey("t-2")->has_value());
  EXPECT_EQ(*store_->TakedownEvents(*id),
            (std::vector<TakedownEvent>{{1, *id, 3000, "", "submitted", ""}}));

  auto code = [&](const TakedownRequest& t) { return store_->InsertTakedown(t).status().code(); };
  TakedownRequest bad = MakeTakedown("t-2", report_);
  bad.contact.clear();
  EXPECT_EQ(code(bad), StatusCode::kInvalidArgument);
  bad = MakeTakedown("t-2", report_);
  bad.details.clear();
  EXPECT_EQ(code(bad), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(MakeTakedown("", report_)), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(MakeTakedown("t-2", ReportId(999))), StatusCode::kNotFound);
  EXPECT_EQ(code(MakeTakedown("t-1", other_report_)), StatusCode::kAlreadyExists);
  EXPECT_EQ(RawCount("takedown_requests"), 1);
  EXPECT_EQ(RawCount("takedown_events"), 1);

  EXPECT_EQ(store_->GetTakedown(*id + 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->UpdateTakedown(*id + 1, TakedownStatus::kHidden, "admin", "").code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->TakedownEvents(*id + 1)->empty());
  EXPECT_EQ(RawCount("takedown_events"), 1);

  // A duplicate key inside a transaction leaves it usable.
  Status s = store_->RunInTransaction([&](Transaction& txn) -> Status {
    EXPECT_EQ(txn.InsertTakedown(MakeTakedown("t-1", report_)).status().code(),
              StatusCode::kAlreadyExists);
    return txn.InsertTakedown(MakeTakedown("t-2", report_)).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(RawCount("takedown_requests"), 2);
  EXPECT_EQ(store_->FindTakedownByKey("t-2").value()->id, *id + 1) << "no id used up";
}

TEST_F(CommunityTest, TakedownEventsKeepEveryStepInOrder) {
  clock_->Set(100);
  const int64_t id = *store_->InsertTakedown(MakeTakedown("t", report_));
  clock_->Set(200);
  ASSERT_TRUE(store_->UpdateTakedown(id, TakedownStatus::kHidden, "alice", "已下线").ok());
  clock_->Set(300);
  ASSERT_TRUE(store_->UpdateTakedown(id, TakedownStatus::kHidden, "bob", "已电话联系").ok());
  clock_->Set(400);
  ASSERT_TRUE(store_->UpdateTakedown(id, TakedownStatus::kOpen, "alice", "").ok());
  clock_->Set(500);
  ASSERT_TRUE(store_->UpdateTakedown(id, TakedownStatus::kCorrected, "alice", kHostile).ok());
  clock_->Set(600);
  ASSERT_TRUE(store_->UpdateTakedown(id, TakedownStatus::kRejected, "bob", "").ok());

  auto events = store_->TakedownEvents(id);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  const std::vector<TakedownEvent> expected = {
      {1, id, 100, "", "submitted", ""},
      {2, id, 200, "alice", "hidden", "已下线"},
      {3, id, 300, "bob", "note", "已电话联系"},
      {4, id, 400, "alice", "reopened", ""},
      {5, id, 500, "alice", "corrected", kHostile},
      {6, id, 600, "bob", "rejected", ""},
  };
  EXPECT_EQ(*events, expected);
  auto request = *store_->GetTakedown(id);
  EXPECT_EQ(request.status, TakedownStatus::kRejected);
  EXPECT_EQ(request.created_at, 100);
  EXPECT_EQ(request.updated_at, 600);
}

TEST_F(CommunityTest, ListTakedownsNewestFirst) {
  clock_->Set(100);
  const int64_t a = *store_->InsertTakedown(MakeTakedown("a", report_));
  clock_->Set(300);
  const int64_t b = *store_->InsertTakedown(MakeTakedown("b", report_));
  clock_->Set(200);
  const int64_t c = *store_->InsertTakedown(MakeTakedown("c", other_report_));
  clock_->Set(300);
  const int64_t d = *store_->InsertTakedown(MakeTakedown("d", other_report_));
  ASSERT_TRUE(store_->UpdateTakedown(c, TakedownStatus::kRejected, "admin", "").ok());

  auto ids = [&](std::optional<TakedownStatus> status, int64_t limit, int64_t offset) {
    std::vector<int64_t> out;
    auto list = store_->ListTakedowns(status, limit, offset);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (list.ok()) {
      for (const TakedownRequest& t : *list) out.push_back(t.id);
    }
    return out;
  };
  EXPECT_EQ(ids(std::nullopt, 10, 0), (std::vector<int64_t>{d, b, c, a}));
  EXPECT_EQ(ids(TakedownStatus::kOpen, 10, 0), (std::vector<int64_t>{d, b, a}));
  EXPECT_EQ(ids(TakedownStatus::kRejected, 10, 0), (std::vector<int64_t>{c}));
  EXPECT_TRUE(ids(TakedownStatus::kHidden, 10, 0).empty());
  EXPECT_EQ(ids(std::nullopt, 2, 1), (std::vector<int64_t>{b, c}));
  EXPECT_EQ(*store_->CountTakedowns(std::nullopt), 4);
  EXPECT_EQ(*store_->CountTakedowns(TakedownStatus::kOpen), 3);
  EXPECT_EQ(*store_->CountTakedowns(TakedownStatus::kCorrected), 0);
  EXPECT_EQ(store_->ListTakedowns(std::nullopt, -1, 0).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListTakedowns(std::nullopt, 1, -1).status().code(),
            StatusCode::kInvalidArgument);
}

// Admin users and sessions

constexpr char kHash[] = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

TEST_F(CommunityTest, AdminUsers) {
  clock_->Set(100);
  ASSERT_TRUE(store_->CreateAdminUser({"zoe", kHash, 5, 6}).ok());
  clock_->Set(200);
  ASSERT_TRUE(store_->CreateAdminUser({"Alice.B-2_x", "h2", 0, 0}).ok());
  const std::string longest(64, 'a');
  ASSERT_TRUE(store_->CreateAdminUser({longest, "h3", 0, 0}).ok());

  EXPECT_EQ(*store_->GetAdminUser("zoe"), (AdminUser{"zoe", kHash, 100, 100}));
  auto list = store_->ListAdminUsers();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  std::vector<std::string> names;
  for (const AdminUser& u : *list) names.push_back(u.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Alice.B-2_x", longest, "zoe"})) << "by name";

  const Status taken = store_->CreateAdminUser({"zoe", "other", 0, 0});
  EXPECT_EQ(taken.code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(Contains(taken.message(), "zoe")) << taken.ToString();
  for (const std::string& bad : {std::string(""), std::string(65, 'a'), std::string("a b"),
                                 std::string("a/b"), std::string("管理员"), std::string("a'b"),
                                 std::string("a;b"), std::string("a\nb"), std::string("a\0b", 3)}) {
    EXPECT_EQ(store_->CreateAdminUser({bad, kHash, 0, 0}).code(), StatusCode::kInvalidArgument)
        << "name " << bad;
  }
  EXPECT_EQ(store_->CreateAdminUser({"nohash", "", 0, 0}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RawCount("admin_users"), 3);

  clock_->Set(300);
  ASSERT_TRUE(store_->SetAdminPassword("zoe", "new-hash").ok());
  EXPECT_EQ(*store_->GetAdminUser("zoe"), (AdminUser{"zoe", "new-hash", 100, 300}));
  EXPECT_EQ(store_->SetAdminPassword("nobody", "x").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetAdminPassword("zoe", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetAdminUser("zoe")->password_hash, "new-hash");
  auto missing = store_->GetAdminUser("Zoe");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound) << "names are case-sensitive";
  EXPECT_EQ(store_->GetAdminUser(kHostile).status().code(), StatusCode::kNotFound);
}

TEST_F(CommunityTest, SessionsExpireAndGoWithTheirUser) {
  ASSERT_TRUE(store_->CreateAdminUser({"alice", kHash, 0, 0}).ok());
  ASSERT_TRUE(store_->CreateAdminUser({"bob", kHash, 0, 0}).ok());
  clock_->Set(1000);
  const AdminSession s1{"tok1", "alice", "csrf1", 0, 2000};
  ASSERT_TRUE(store_->CreateSession(s1).ok());
  ASSERT_TRUE(store_->CreateSession({"tok2", "alice", "csrf2", 0, 5000}).ok());
  ASSERT_TRUE(store_->CreateSession({"tok3", "bob", "csrf3", 0, 5000}).ok());

  auto got = store_->GetSession("tok1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, (AdminSession{"tok1", "alice", "csrf1", 1000, 2000}));
  EXPECT_FALSE(store_->GetSession("tok9")->has_value());

  EXPECT_EQ(store_->CreateSession({"tok1", "bob", "x", 0, 9000}).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateSession({"tok4", "carol", "x", 0, 9000}).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CreateSession({"", "alice", "x", 0, 9000}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetSession("tok1")->value().user, "alice") << "unchanged";

  clock_->Set(1999);
  EXPECT_TRUE(store_->GetSession("tok1")->has_value());
  clock_->Set(2000);
  EXPECT_FALSE(store_->GetSession("tok1")->has_value()) << "expired at expires_at";
  EXPECT_TRUE(store_->GetSession("tok2")->has_value());
  EXPECT_EQ(RawCount("admin_sessions"), 3) << "expired, not yet removed";
  // A new session clears out the expired ones.
  ASSERT_TRUE(store_->CreateSession({"tok5", "bob", "csrf5", 0, 6000}).ok());
  EXPECT_EQ(RawCount("admin_sessions"), 3);
  EXPECT_EQ(RawQuery(path(), "SELECT COUNT(*) FROM admin_sessions WHERE token_hash = 'tok1'"),
            std::vector<std::string>{"0"});

  ASSERT_TRUE(store_->DeleteSession("tok5").ok());
  ASSERT_TRUE(store_->DeleteSession("tok5").ok()) << "absent: OK";
  EXPECT_FALSE(store_->GetSession("tok5")->has_value());
  ASSERT_TRUE(store_->DeleteSessionsOf("alice").ok());
  EXPECT_FALSE(store_->GetSession("tok2")->has_value());
  EXPECT_TRUE(store_->GetSession("tok3")->has_value()) << "bob's session stays";
  ASSERT_TRUE(store_->DeleteSessionsOf("nobody").ok());
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

// Login failures

TEST_F(CommunityTest, LoginFailuresAreCountedInTheWindowAndCleared) {
  clock_->Set(10000);
  ASSERT_TRUE(store_->RecordLoginFailure("user:alice").ok());
  clock_->Set(10100);
  ASSERT_TRUE(store_->RecordLoginFailure("user:alice").ok());
  ASSERT_TRUE(store_->RecordLoginFailure("ip:192.0.2.1").ok());
  clock_->Set(10200);
  ASSERT_TRUE(store_->RecordLoginFailure("user:alice").ok());

  EXPECT_EQ(*store_->CountLoginFailures("user:alice", 0), 3);
  EXPECT_EQ(*store_->CountLoginFailures("user:alice", 10100), 2) << "at `since` counts";
  EXPECT_EQ(*store_->CountLoginFailures("user:alice", 10101), 1);
  EXPECT_EQ(*store_->CountLoginFailures("user:alice", 10201), 0);
  EXPECT_EQ(*store_->CountLoginFailures("ip:192.0.2.1", 0), 1);
  EXPECT_EQ(*store_->CountLoginFailures("user:bob", 0), 0);

  ASSERT_TRUE(store_->ClearLoginFailures("user:alice").ok());
  EXPECT_EQ(*store_->CountLoginFailures("user:alice", 0), 0);
  EXPECT_EQ(*store_->CountLoginFailures("ip:192.0.2.1", 0), 1) << "other keys stay";
  ASSERT_TRUE(store_->ClearLoginFailures("user:nobody").ok());

  // Rows older than a day go when the next failure is recorded.
  clock_->Set(10100 + 86400);
  ASSERT_TRUE(store_->RecordLoginFailure("user:bob").ok());
  EXPECT_EQ(*store_->CountLoginFailures("ip:192.0.2.1", 0), 1) << "exactly a day old: kept";
  clock_->Set(10100 + 86401);
  ASSERT_TRUE(store_->RecordLoginFailure("user:bob").ok());
  EXPECT_EQ(*store_->CountLoginFailures("ip:192.0.2.1", 0), 0) << "pruned";
  EXPECT_EQ(*store_->CountLoginFailures("user:bob", 0), 2);
  EXPECT_EQ(RawCount("login_failures"), 2);
}

// Audit log

TEST_F(CommunityTest, AuditLogIsNewestFirst) {
  EXPECT_EQ(*store_->CountAudit(), 0);
  EXPECT_TRUE(store_->ListAudit(10, 0)->empty());
  clock_->Set(100);
  auto first = store_->AppendAudit({0, 0, "alice", "192.0.2.1", "login", "user:alice", ""});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  clock_->Set(200);
  const int64_t second =
      *store_->AppendAudit({0, 0, "alice", "192.0.2.1", "comment.approve", "comment:12", ""});
  clock_->Set(150);  // the clock stepped back: the order is still that of appending
  const int64_t third = *store_->AppendAudit(
      {55, 66, "", "", "report.hide", "report:7236", "takedown 3: " + kHostile});
  EXPECT_LT(*first, second);
  EXPECT_LT(second, third);

  const std::vector<AuditEntry> all = *store_->ListAudit(10, 0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0], (AuditEntry{third, 150, "", "", "report.hide", "report:7236",
                                "takedown 3: " + kHostile}));
  EXPECT_EQ(all[1].id, second);
  EXPECT_EQ(all[1].time, 200);
  EXPECT_EQ(all[1].action, "comment.approve");
  EXPECT_EQ(all[2], (AuditEntry{*first, 100, "alice", "192.0.2.1", "login", "user:alice", ""}));
  auto page = store_->ListAudit(1, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, second);
  EXPECT_TRUE(store_->ListAudit(10, 3)->empty());
  EXPECT_EQ(*store_->CountAudit(), 3);
  EXPECT_EQ(store_->ListAudit(-1, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListAudit(1, -1).status().code(), StatusCode::kInvalidArgument);
}

// SQL metacharacters and other hostile text are stored as given.

TEST_F(CommunityTest, HostileTextIsStoredLiterally) {
  const std::vector<std::string> texts = {
      kHostile,
      "'; DROP TABLE comments; --",
      "\"; DELETE FROM admin_users; --",
      "Robert'); DROP TABLE takedown_requests;--",
      "%_\\*?[]{}$1 ?1 :name @x",
      "多字节 🇨🇳 \u200b\u2028 ＇；－－",
      std::string(20000, '\''),
  };
  int n = 0;
  for (const std::string& text : texts) {
    ++n;
    Comment c = MakeComment(text + std::to_string(n), report_);
    c.nickname = text;
    c.body = text;
    c.flags = text;
    c.client_ip = text;
    c.body_hash = text;
    const int64_t id = AddComment(c);
    auto got = store_->GetComment(id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->nickname, text);
    EXPECT_EQ(got->body, text);
    EXPECT_EQ(got->idempotency_key, c.idempotency_key);
    EXPECT_TRUE(store_->FindCommentByKey(c.idempotency_key)->has_value());
    EXPECT_TRUE(*store_->HasCommentWithBodyHashSince(text, 0));

    TakedownRequest t = MakeTakedown(text + std::to_string(n), report_);
    t.contact = text;
    t.details = text;
    auto tid = store_->InsertTakedown(t);
    ASSERT_TRUE(tid.ok()) << tid.status().ToString();
    EXPECT_EQ(store_->GetTakedown(*tid)->details, text);
    EXPECT_EQ(store_->GetTakedown(*tid)->contact, text);
    ASSERT_TRUE(store_->UpdateTakedown(*tid, TakedownStatus::kHidden, text, text).ok());
    EXPECT_EQ(store_->TakedownEvents(*tid)->back().note, text);

    EXPECT_EQ(*store_->GetOrCreateSecret(text, text), text);
    ASSERT_TRUE(store_->RecordLoginFailure(text).ok());
    EXPECT_EQ(*store_->CountLoginFailures(text, 0), 1);
    auto aid = store_->AppendAudit({0, 0, text, text, text, text, text});
    ASSERT_TRUE(aid.ok());
    EXPECT_EQ(store_->ListAudit(1, 0)->at(0).detail, text);
  }
  // Every table is still there, with every row.
  EXPECT_EQ(RawCount("comments"), static_cast<int64_t>(texts.size()));
  EXPECT_EQ(RawCount("takedown_requests"), static_cast<int64_t>(texts.size()));
  EXPECT_EQ(RawCount("reports"), 2);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

// Read transactions

TEST_F(CommunityTest, WritesInAReadTransactionAreABug) {
  EXPECT_DEATH((void)store_->RunInReadTransaction([&](Transaction& txn) -> Status {
    return txn.InsertComment(MakeComment("k", report_)).status();
  }),
               "InsertComment inside a read transaction");
  EXPECT_DEATH((void)store_->RunInReadTransaction(
                   [&](Transaction& txn) -> Status { return txn.SpendCaptcha("n", 1).status(); }),
               "read transaction");
  EXPECT_DEATH((void)store_->RunInReadTransaction(
                   [&](Transaction& txn) -> Status { return txn.AppendAudit({}).status(); }),
               "read transaction");
  // Reads are fine there.
  Status s = store_->RunInReadTransaction([&](Transaction& txn) -> Status {
    BAOGAO_RETURN_IF_ERROR(txn.CountComments({}).status());
    BAOGAO_RETURN_IF_ERROR(txn.GetSession("x").status());
    return txn.ListAudit(1, 0).status();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

// A read-only store refuses these writes like any other.
TEST_F(CommunityTest, ReadOnlyStoreRefusesWrites) {
  StoreOptions o;
  o.url = "sqlite:" + path();
  o.read_only = true;
  auto ro = OpenStore(o);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_EQ((*ro)->InsertComment(MakeComment("k", report_)).status().code(), StatusCode::kIoError);
  EXPECT_EQ((*ro)->CreateAdminUser({"alice", kHash, 0, 0}).code(), StatusCode::kIoError);
  EXPECT_TRUE((*ro)->ListComments({}).ok());
  EXPECT_EQ(RawCount("comments"), 0);
}

}  // namespace
}  // namespace baogao::store
