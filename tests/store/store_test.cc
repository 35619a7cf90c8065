// The store: CRUD of every field, filters, the change log, transactions,
// the stored region history, migrations, and the bad situations (read-only, disk full, corrupt
// file, missing directory, a writer killed mid-write).
#include "store/store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/sha256.h"
#include "crash_report.h"
#include "test_util.h"

namespace baogao::store {
namespace {

namespace fs = std::filesystem;
using report::AlternateSource;
using report::Completeness;
using report::Report;
using report::ReportType;
using testing::Contains;
using testing::RawExec;
using testing::RawExecCode;
using testing::RawQuery;
using testing::TempDir;

// prefix + n. (Not "r" + std::to_string(n): GCC 12 -Wrestrict false positive.)
std::string Numbered(std::string prefix, int n) {
  prefix.append(std::to_string(n));
  return prefix;
}

report::RegionCode Region(int code) { return *report::RegionCode::FromInt(code); }

Report MakeReport(const std::string& title, int region, int year,
                  ReportType type = ReportType::kGovernmentWork) {
  Report r;
  r.type = type;
  if (region != 0) r.region = Region(region);
  r.level = report::AdminLevel::kCounty;
  r.title = title;
  r.year = year;
  r.source_url = "http://example.org/" + title;
  r.body = {{1, "一、" + title}, {0, title + "的正文。"}};
  return r;
}

Report FullReport() {
  Report r;
  r.type = ReportType::kStatistical;
  r.region = Region(371403);
  r.level = report::AdminLevel::kCounty;
  r.title = "陵城区2023年国民经济和社会发展统计公报";
  r.year = 2023;
  r.date = report::Date{2024, 3, 15};
  r.source_url = "http://www.lingcheng.gov.cn/tjgb/2023.html";
  r.source_site = "陵城区统计局";
  r.original = true;
  r.completeness = Completeness::kPartial;
  r.body = {{1, "一、综合"},
            {2, "（一）农业"},
            {3, "1. 粮食"},
            {4, "（1）小麦"},
            {0, "全年粮食总产量增长2.1%。"},
            {0, ""}};
  r.alternate_sources = {
      {"http://mirror.example.org/1.html", "镜像站", "deadbeef", Completeness::kFull, 42, "全文"},
      {"http://other.example.org/2.html", "", "", Completeness::kUnknown, 0, ""}};
  r.hidden = true;
  return r;
}

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : clock_(std::make_shared<report::FakeClock>(1000)) {}

  StoreOptions Options(const std::string& name = "baogao.db") {
    StoreOptions o;
    o.url = "sqlite:" + dir_.File(name);
    o.clock = clock_;
    return o;
  }

  std::unique_ptr<Store> Open(const StoreOptions& options) {
    auto s = OpenStore(options);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::unique_ptr<Store> Open() { return Open(Options()); }

  TempDir dir_;
  std::shared_ptr<report::FakeClock> clock_;
};

// CRUD

TEST_F(StoreTest, InsertGetRoundTripsEveryField) {
  auto store = Open();
  ASSERT_TRUE(store);
  const Report in = FullReport();
  auto id = store->Insert(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_TRUE(id->valid());

  Report expected = in;
  expected.id = *id;
  expected.content_hash = report::ContentHash(in.body);
  expected.created_at = 1000;
  expected.updated_at = 1000;
  expected.alternate_sources[1].added_at = 1000;  // 0 became now; 42 is kept
  auto got = store->Get(*id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, expected);
  EXPECT_EQ(report::ToJson(*got), report::ToJson(expected));
}

TEST_F(StoreTest, HostileBytesRoundTrip) {
  auto store = Open();
  ASSERT_TRUE(store);
  Report r = MakeReport("x", 0, 2020);
  r.title = std::string("标题\0含NUL", 12) + "\xff\xfe'; DROP TABLE reports; --";
  r.body = {{0, std::string("\0\0", 2)}, {0, "\"'\\%_*"}, {0, std::string(100000, 'z')}};
  r.source_url = "";
  auto id = store->Insert(r);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto got = store->Get(*id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, r.title);
  EXPECT_EQ(got->body, r.body);
  EXPECT_EQ(got->source_url, "");
  EXPECT_EQ(got->content_hash, report::ContentHash(r.body));
}

TEST_F(StoreTest, UpdateReplacesEverythingButCreatedAt) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto id = store->Insert(FullReport());
  ASSERT_TRUE(id.ok());

  clock_->Set(2000);
  Report changed = MakeReport("新标题", 0, 2019, ReportType::kPlan);
  changed.id = *id;
  changed.level = report::AdminLevel::kUnknown;
  changed.date.reset();
  changed.source_site = "新站";
  changed.original = false;
  changed.completeness = Completeness::kFull;
  changed.body = {{0, "只剩一段"}};
  changed.alternate_sources = {{"http://c.example.org", "c", "h", Completeness::kFull, 7, "n"}};
  changed.created_at = 5;  // ignored
  ASSERT_TRUE(store->Update(changed).ok());

  Report expected = changed;
  expected.created_at = 1000;
  expected.updated_at = 2000;
  expected.content_hash = report::ContentHash(changed.body);
  auto got = store->Get(*id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, expected);
}

// Alternate sources are written in multi-row INSERTs of 64, 32, ..., 1
// rows, bodies as one row whatever their size (they were multi-row INSERTs
// too until schema version 5): every count around those sizes must come
// back whole and in order, on insert and on update.
TEST_F(StoreTest, BodiesAndAlternatesOfEveryBatchSizeRoundTrip) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto make = [](size_t paragraphs, size_t alternates, const std::string& tag) {
    Report r = MakeReport(tag, 110000, 2020);
    r.body.clear();
    r.alternate_sources.clear();
    for (size_t i = 0; i < paragraphs; ++i) {
      r.body.push_back({static_cast<int>(i % 5), tag + "段" + std::to_string(i)});
    }
    for (size_t i = 0; i < alternates; ++i) {
      r.alternate_sources.push_back({"http://alt.example.org/" + tag + "/" + std::to_string(i),
                                     "站" + std::to_string(i), "hash" + std::to_string(i),
                                     i % 2 == 0 ? Completeness::kFull : Completeness::kPartial,
                                     static_cast<int64_t>(i), "note " + std::to_string(i)});
    }
    return r;
  };
  auto check = [&](auto id, const Report& want) {
    auto got = store->Get(id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->body, want.body) << want.title;
    ASSERT_EQ(got->alternate_sources.size(), want.alternate_sources.size()) << want.title;
    for (size_t i = 0; i < want.alternate_sources.size(); ++i) {
      AlternateSource a = want.alternate_sources[i];
      if (a.added_at == 0) a.added_at = clock_->NowUnixSeconds();
      EXPECT_EQ(got->alternate_sources[i], a) << want.title << " alternate " << i;
    }
  };
  const size_t counts[] = {1, 2, 3, 31, 63, 64, 65, 127, 128, 129, 140, 200};
  int64_t paragraphs = 0;
  int64_t alternates = 0;
  for (size_t n : counts) {
    const std::string tag = std::string("n").append(std::to_string(n));
    const Report in = make(n, n % 70, tag);
    auto id = store->Insert(in);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    check(*id, in);
    // Update to a different size: the old rows go, the new ones are whole.
    Report changed = make(n + 37, (n + 3) % 70, tag + "u");
    changed.id = *id;
    ASSERT_TRUE(store->Update(changed).ok());
    check(*id, changed);
    paragraphs += static_cast<int64_t>(changed.body.size());
    alternates += static_cast<int64_t>(changed.alternate_sources.size());
  }
  const std::string path = dir_.File("baogao.db");
  EXPECT_EQ(RawQuery(path, "SELECT COUNT(*) FROM paragraphs"),
            std::vector<std::string>{std::to_string(paragraphs)});
  EXPECT_EQ(RawQuery(path, "SELECT COUNT(*) FROM alternate_sources"),
            std::vector<std::string>{std::to_string(alternates)});
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

TEST_F(StoreTest, DeleteAndNotFound) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto a = store->Insert(MakeReport("a", 110000, 2020));
  auto b = store->Insert(MakeReport("b", 110000, 2020));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(store->Delete(*a).ok());

  auto got = store->Get(*a);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(got.status().message(), "report " + std::to_string(a->value())));
  EXPECT_EQ(store->Delete(*a).code(), StatusCode::kNotFound);
  Report ghost = MakeReport("ghost", 0, 2020);
  ghost.id = *a;
  EXPECT_EQ(store->Update(ghost).code(), StatusCode::kNotFound);
  EXPECT_EQ(store->AddAlternateSource(*a, {"http://x", "", "", {}, 0, ""}).code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store->Get(*b).ok());

  // Paragraphs and alternate sources went with the report.
  const std::string path = dir_.File("baogao.db");
  EXPECT_EQ(RawQuery(path, "SELECT COUNT(*) FROM paragraphs WHERE report_id = " +
                               std::to_string(a->value())),
            std::vector<std::string>{"0"});
  // Ids are never reused, even for the highest deleted id.
  ASSERT_TRUE(store->Delete(*b).ok());
  auto c = store->Insert(MakeReport("c", 110000, 2020));
  ASSERT_TRUE(c.ok());
  EXPECT_GT(*c, *b);
}

TEST_F(StoreTest, InvalidReportsAreRefusedAndLeaveNoTrace) {
  auto store = Open();
  ASSERT_TRUE(store);
  Report bad = MakeReport("", 110000, 2020);
  auto id = store->Insert(bad);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  bad = MakeReport("t", 110000, 2020);
  bad.body.push_back({9, "x"});
  EXPECT_EQ(store->Insert(bad).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*store->Count({}), 0);
  EXPECT_EQ(*store->LatestSequence(), 0);
}

// List, Count

TEST_F(StoreTest, ListFilters) {
  auto store = Open();
  ASSERT_TRUE(store);
  std::map<std::string, ReportId> ids;
  auto add = [&](const std::string& t, int region, int year, ReportType type) {
    auto id = store->Insert(MakeReport(t, region, year, type));
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids[t] = *id;
  };
  add("a", 370000, 2020, ReportType::kGovernmentWork);
  add("b", 370000, 2021, ReportType::kGovernmentWork);
  add("c", 370000, 2021, ReportType::kStatistical);
  add("d", 110000, 2021, ReportType::kGovernmentWork);
  add("e", 0, 2019, ReportType::kPlan);
  add("f", 0, 2021, ReportType::kGovernmentWork);

  auto titles = [&](const ListFilter& f) {
    auto list = store->List(f);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    std::string out;
    if (!list.ok()) return out;
    for (const Report& r : *list) out += r.title;
    return out;
  };
  EXPECT_EQ(titles({}), "bcdfae");  // newest year first, then by id
  ListFilter f;
  f.region = Region(370000);
  EXPECT_EQ(titles(f), "bca");
  f.year = 2021;
  EXPECT_EQ(titles(f), "bc");
  f.type = ReportType::kStatistical;
  EXPECT_EQ(titles(f), "c");
  f = {};
  f.type = ReportType::kGovernmentWork;
  f.year = 2021;
  EXPECT_EQ(titles(f), "bdf");
  EXPECT_EQ(*store->Count(f), 3);
  f = {};
  f.unresolved_region_only = true;
  EXPECT_EQ(titles(f), "fe");
  f.year = 2019;
  EXPECT_EQ(titles(f), "e");
  f = {};
  f.limit = 2;
  f.offset = 1;
  EXPECT_EQ(titles(f), "cd");
  EXPECT_EQ(*store->Count(f), 6) << "Count ignores limit and offset";
  f.offset = 10;
  EXPECT_EQ(titles(f), "");
  f = {};
  f.limit = -1;
  EXPECT_EQ(store->List(f).status().code(), StatusCode::kInvalidArgument);

  // Metadata only unless asked for bodies.
  f = {};
  f.region = Region(110000);
  auto meta = store->List(f);
  ASSERT_TRUE(meta.ok());
  ASSERT_EQ(meta->size(), 1u);
  EXPECT_TRUE((*meta)[0].body.empty());
  EXPECT_EQ((*meta)[0].content_hash, report::ContentHash(MakeReport("d", 0, 2021).body));
  f.with_body = true;
  auto full = store->List(f);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ((*full)[0], *store->Get(ids["d"]));
}

TEST_F(StoreTest, HiddenReportsAreKeptAndFilteredOnRequest) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto a = *store->Insert(MakeReport("a", 370000, 2021));
  Report hidden = MakeReport("b", 370000, 2021);
  hidden.hidden = true;
  auto b = *store->Insert(hidden);
  auto c = *store->Insert(MakeReport("c", 370000, 2020));
  EXPECT_TRUE(store->Get(b)->hidden);
  EXPECT_FALSE(store->Get(a)->hidden);

  auto titles = [&](const ListFilter& f) {
    std::string out;
    auto list = store->List(f);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (list.ok()) {
      for (const Report& r : *list) out += r.title + (r.hidden ? "(hidden)" : "");
    }
    return out;
  };
  ListFilter f;  // include_hidden defaults to true: the admin sees everything
  EXPECT_EQ(titles(f), "ab(hidden)c");
  EXPECT_EQ(*store->Count(f), 3);
  f.include_hidden = false;
  EXPECT_EQ(titles(f), "ac");
  EXPECT_EQ(*store->Count(f), 2);
  f.year = 2021;
  f.region = Region(370000);
  EXPECT_EQ(titles(f), "a");
  EXPECT_EQ(*store->Count(f), 1);
  f.with_body = true;
  auto full = store->List(f);
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full->size(), 1u);
  EXPECT_EQ((*full)[0], *store->Get(a));

  // Hiding and showing are updates: the change log (and so the search
  // index) follows them.
  const int64_t before = *store->LatestSequence();
  clock_->Set(3000);
  Report ra = *store->Get(a);
  ra.hidden = true;
  ASSERT_TRUE(store->Update(ra).ok());
  Report rb = *store->Get(b);
  rb.hidden = false;
  ASSERT_TRUE(store->Update(rb).ok());
  EXPECT_EQ(*store->ChangesSince(before, 10),
            (std::vector<Change>{{before + 1, a, ChangeOp::kUpdate, 3000},
                                 {before + 2, b, ChangeOp::kUpdate, 3000}}));
  EXPECT_TRUE(store->Get(a)->hidden);
  EXPECT_EQ(store->Get(a)->updated_at, 3000);
  EXPECT_FALSE(store->Get(b)->hidden);
  f = {};
  f.include_hidden = false;
  EXPECT_EQ(titles(f), "bc");
  // The stored column is 0/1 and CHECK-constrained.
  EXPECT_EQ(RawQuery(dir_.File("baogao.db"), "SELECT hidden FROM reports ORDER BY id"),
            (std::vector<std::string>{"1", "0", "0"}));
  EXPECT_FALSE(store->Get(c)->hidden);

  // JSON says so too.
  const std::string json = report::ToJson(*store->Get(a));
  EXPECT_TRUE(Contains(json, R"("hidden":true)")) << json;
}

// Change log

TEST_F(StoreTest, ChangeLogRecordsEveryWriteInOrder) {
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->LatestSequence(), 0);
  EXPECT_TRUE(store->ChangesSince(0, 10)->empty());

  clock_->Set(10);
  auto a = *store->Insert(MakeReport("a", 110000, 2020));
  clock_->Set(20);
  auto b = *store->Insert(MakeReport("b", 110000, 2020));
  clock_->Set(30);
  Report ra = *store->Get(a);
  ra.title = "a2";
  ASSERT_TRUE(store->Update(ra).ok());
  clock_->Set(40);
  ASSERT_TRUE(store->AddAlternateSource(b, {"http://alt", "alt", "", {}, 0, ""}).ok());
  clock_->Set(50);
  ASSERT_TRUE(store->Delete(a).ok());
  // Failed writes log nothing.
  EXPECT_FALSE(store->Delete(a).ok());
  EXPECT_FALSE(store->AddAlternateSource(b, {"", "", "", {}, 0, ""}).ok());

  const std::vector<Change> expected = {
      {1, a, ChangeOp::kInsert, 10}, {2, b, ChangeOp::kInsert, 20}, {3, a, ChangeOp::kUpdate, 30},
      {4, b, ChangeOp::kUpdate, 40}, {5, a, ChangeOp::kDelete, 50},
  };
  EXPECT_EQ(*store->ChangesSince(0, 100), expected);
  EXPECT_EQ(*store->LatestSequence(), 5);
  EXPECT_EQ(*store->ChangesSince(2, 2), (std::vector<Change>{expected[2], expected[3]}));
  EXPECT_TRUE(store->ChangesSince(5, 100)->empty());
  EXPECT_EQ(ChangeOpName(ChangeOp::kDelete), "delete");

  // The alternate source was stamped with the time it was added.
  Report rb = *store->Get(b);
  ASSERT_EQ(rb.alternate_sources.size(), 1u);
  EXPECT_EQ(rb.alternate_sources[0].added_at, 40);
  EXPECT_EQ(rb.updated_at, 40);
  EXPECT_EQ(rb.created_at, 20);
}

// Transactions

TEST_F(StoreTest, TransactionRollsBackOnError) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto keep = *store->Insert(MakeReport("keep", 110000, 2020));
  Status s = store->RunInTransaction([&](Transaction& txn) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(ReportId id, txn.Insert(MakeReport("gone", 110000, 2020)));
    EXPECT_TRUE(txn.Get(id).ok()) << "visible inside its own transaction";
    BAOGAO_RETURN_IF_ERROR(txn.Delete(keep));
    return Status::Corrupt("importer gave up");
  });
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_EQ(s.message(), "importer gave up");
  EXPECT_EQ(*store->Count({}), 1);
  EXPECT_TRUE(store->Get(keep).ok());
  EXPECT_EQ(*store->LatestSequence(), 1);
  EXPECT_TRUE(
      store->FindByContentHash(report::ContentHash(MakeReport("gone", 0, 2020).body))->empty());

  // An exception also rolls back, and passes through.
  EXPECT_THROW((void)store->RunInTransaction([&](Transaction& txn) -> Status {
    (void)txn.Insert(MakeReport("thrown", 110000, 2020));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(*store->Count({}), 1);
  EXPECT_EQ(*store->LatestSequence(), 1);
  // The store is usable afterwards.
  EXPECT_TRUE(store->Insert(MakeReport("after", 110000, 2020)).ok());
}

TEST_F(StoreTest, SavepointsUndoOneUnitAndKeepTheOthers) {
  auto store = Open();
  ASSERT_TRUE(store);
  ReportId first, third;
  Status s = store->RunInTransaction([&](Transaction& txn) -> Status {
    BAOGAO_RETURN_IF_ERROR(txn.RunInSavepoint([&](Transaction& t) -> Status {
      BAOGAO_ASSIGN_OR_RETURN(first, t.Insert(MakeReport("first", 110000, 2020)));
      return Status::Ok();
    }));
    Status bad = txn.RunInSavepoint([&](Transaction& t) -> Status {
      BAOGAO_RETURN_IF_ERROR(t.Insert(MakeReport("second", 110000, 2020)).status());
      BAOGAO_RETURN_IF_ERROR(t.Delete(first));
      return Status::InvalidArgument("second file is broken");
    });
    EXPECT_EQ(bad.message(), "second file is broken");
    return txn.RunInSavepoint([&](Transaction& t) -> Status {
      BAOGAO_ASSIGN_OR_RETURN(third, t.Insert(MakeReport("third", 110000, 2020)));
      return Status::Ok();
    });
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(*store->Count({}), 2);
  EXPECT_TRUE(store->Get(first).ok());
  EXPECT_TRUE(store->Get(third).ok());
  EXPECT_TRUE(
      store->FindByContentHash(report::ContentHash(MakeReport("second", 0, 2020).body))->empty());
  // The change log holds exactly the two committed inserts.
  auto changes = store->ChangesSince(0, 10);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].report_id, first);
  EXPECT_EQ((*changes)[1].report_id, third);
}

TEST_F(StoreTest, ImporterDeduplicatesInOneTransaction) {
  auto store = Open();
  ASSERT_TRUE(store);
  // Check duplicate + insert or record an alternate source, atomically.
  auto import = [&](Report r) -> Result<ReportId> {
    ReportId result;
    Status s = store->RunInTransaction([&](Transaction& txn) -> Status {
      BAOGAO_ASSIGN_OR_RETURN(auto dups, txn.FindByContentHash(report::ContentHash(r.body)));
      if (!dups.empty()) {
        result = dups.front();
        return txn.AddAlternateSource(
            result, {r.source_url, r.source_site, report::ContentHash(r.body), {}, 0, "dup"});
      }
      BAOGAO_ASSIGN_OR_RETURN(result, txn.Insert(r));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return result;
  };
  Report first = MakeReport("same", 370000, 2022);
  Report second = first;
  second.source_url = "http://mirror.example.org/same";
  auto id1 = import(first);
  auto id2 = import(second);
  ASSERT_TRUE(id1.ok() && id2.ok());
  EXPECT_EQ(*id1, *id2);
  EXPECT_EQ(*store->Count({}), 1);
  auto r = *store->Get(*id1);
  ASSERT_EQ(r.alternate_sources.size(), 1u);
  EXPECT_EQ(r.alternate_sources[0].url, "http://mirror.example.org/same");
}

TEST_F(StoreTest, FindByContentHash) {
  auto store = Open();
  ASSERT_TRUE(store);
  Report a = MakeReport("a", 110000, 2020);
  auto ida = *store->Insert(a);
  auto idb = *store->Insert(a);  // the store itself allows exact duplicates
  auto idc = *store->Insert(MakeReport("c", 110000, 2020));
  ASSERT_TRUE(store->AddAlternateSource(idc, {"http://x", "", "feedface", {}, 0, ""}).ok());
  EXPECT_EQ(*store->FindByContentHash(report::ContentHash(a.body)),
            (std::vector<ReportId>{ida, idb}));
  EXPECT_EQ(*store->FindByContentHash("feedface"), std::vector<ReportId>{idc});
  EXPECT_TRUE(store->FindByContentHash("0000")->empty());
  EXPECT_EQ(store->FindByContentHash("").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, CallingTheStoreInsideItsTransactionIsABug) {
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_DEATH((void)store->RunInTransaction(
                   [&](Transaction&) -> Status { return store->Get(ReportId(1)).status(); }),
               "inside its own transaction");
  EXPECT_DEATH((void)store->RunInReadTransaction(
                   [&](Transaction& txn) -> Status { return txn.Delete(ReportId(1)); }),
               "read transaction");
}

// Insert takes a content hash the caller computed (the importer's, from its
// duplicate check) instead of hashing the body again; Update always
// recomputes, since an updated report usually comes from Get with its old
// hash still set.
TEST_F(StoreTest, InsertTakesTheCallersContentHashUpdateRecomputesIt) {
  auto store = Open();
  ASSERT_TRUE(store);
  Report r = FullReport();
  r.content_hash = report::ContentHash(r.body);
  auto id = store->Insert(r);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(store->Get(*id)->content_hash, r.content_hash);
  EXPECT_EQ(*store->FindByContentHash(r.content_hash), std::vector<ReportId>{*id});

  Report changed = *store->Get(*id);
  changed.body = {{0, "改过的正文"}};  // content_hash is the old body's
  ASSERT_TRUE(store->Update(changed).ok());
  EXPECT_EQ(store->Get(*id)->content_hash, report::ContentHash(changed.body));
  EXPECT_TRUE(store->FindByContentHash(r.content_hash)->empty());
#ifndef NDEBUG
  // A hash that is not the body's is a bug; debug builds catch it.
  Report wrong = FullReport();
  wrong.content_hash = report::ContentHash({{0, "别的正文"}});
  EXPECT_DEATH((void)store->Insert(wrong), "content_hash is not report::ContentHash");
#endif
}

TEST_F(StoreTest, ConcurrentWritersFromThreadsAndConnections) {
  auto s1 = Open();
  auto s2 = Open();  // a second connection to the same file
  ASSERT_TRUE(s1 && s2);
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    Store* s = (t % 2 == 0) ? s1.get() : s2.get();
    threads.emplace_back([s, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto id = s->Insert(MakeReport(Numbered(Numbered("t", t) + "-", i), 110000, 2020));
        EXPECT_TRUE(id.ok()) << id.status().ToString();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(*s1->Count({}), 4 * kPerThread);
  auto log = *s2->ChangesSince(0, 1000);
  ASSERT_EQ(log.size(), 4u * kPerThread);
  for (size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].sequence, static_cast<int64_t>(i + 1));
}

// The GB/T 2260 revision files (`baogao regions load-history`).

std::vector<RegionHistoryFile> HistoryFiles(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<RegionHistoryFile> out;
  for (const auto& [name, content] : files) out.push_back({name, content, "", 0});
  return out;
}

TEST_F(StoreTest, RegionHistoryRoundTripsAndReplaces) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto none = store->RegionHistory();
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());

  // Bytes, not text: NULs, invalid UTF-8 and CRLF come back as given.
  const std::string odd("Source\tRevision\r\n\0\xff\xfe陵县\n", 27);
  clock_->Set(100);
  auto changed = store->ReplaceRegionHistory(
      HistoryFiles({{"201904.tsv", "Source\tRevision\tCode\tName\n"}, {"198012.tsv", odd}}));
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(*changed);
  auto files = store->RegionHistory();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0], (RegionHistoryFile{"198012.tsv", odd, Sha256Hex(odd), 100}));  // by name
  EXPECT_EQ((*files)[1].name, "201904.tsv");
  EXPECT_EQ((*files)[1].content, "Source\tRevision\tCode\tName\n");
  EXPECT_EQ((*files)[1].sha256, Sha256Hex("Source\tRevision\tCode\tName\n"));

  // The same set again: nothing written, loaded_at kept.
  clock_->Set(200);
  changed = store->ReplaceRegionHistory(
      HistoryFiles({{"198012.tsv", odd}, {"201904.tsv", "Source\tRevision\tCode\tName\n"}}));
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(*changed);
  EXPECT_EQ(*store->RegionHistory(), *files);

  // Another set replaces the whole set: one kept, one changed, one gone, one new.
  changed = store->ReplaceRegionHistory(
      HistoryFiles({{"198012.tsv", odd}, {"201801.tsv", "new"}, {"201904.tsv", "changed"}}));
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(*changed);
  files = store->RegionHistory();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].loaded_at, 100);
  EXPECT_EQ((*files)[1], (RegionHistoryFile{"201801.tsv", "new", Sha256Hex("new"), 200}));
  EXPECT_EQ((*files)[2], (RegionHistoryFile{"201904.tsv", "changed", Sha256Hex("changed"), 200}));
  changed = store->ReplaceRegionHistory(HistoryFiles({{"201801.tsv", ""}}));
  ASSERT_TRUE(changed.ok());
  files = store->RegionHistory();
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].content, "");  // an empty file is an empty blob, not NULL

  // Not a change to any report: the change log stays empty.
  EXPECT_EQ(*store->LatestSequence(), 0);
  // An empty set removes the history.
  changed = store->ReplaceRegionHistory({});
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(*changed);
  EXPECT_TRUE(store->RegionHistory()->empty());
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

TEST_F(StoreTest, RegionHistoryRefusesBadNamesAndWritesNothing) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->ReplaceRegionHistory(HistoryFiles({{"a.tsv", "a"}})).ok());
  const auto before = *store->RegionHistory();
  for (const auto& files : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"b.tsv", "b"}, {"", "x"}},
           {{"b.tsv", "b"}, {"mca/201904.tsv", "x"}},
           {{"b.tsv", "b"}, {"b.tsv", "c"}}}) {
    auto changed = store->ReplaceRegionHistory(HistoryFiles(files));
    ASSERT_FALSE(changed.ok());
    EXPECT_EQ(changed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(Contains(changed.status().message(), files[1].first))
        << changed.status().ToString();
    EXPECT_EQ(*store->RegionHistory(), before);
  }
  // Inside a caller's transaction that fails afterwards, the replacement is
  // rolled back with it.
  Status st = store->RunInTransaction([](Transaction& txn) -> Status {
    BAOGAO_RETURN_IF_ERROR(txn.ReplaceRegionHistory({}).status());
    return Status::Internal("fail after replacing");
  });
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_EQ(*store->RegionHistory(), before);
}

TEST_F(StoreTest, RegionHistoryWithDamagedContentIsCorrupt) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->ReplaceRegionHistory(HistoryFiles({{"201904.tsv", "陵县"}})).ok());
  store.reset();
  RawExec(dir_.File("baogao.db"), "UPDATE region_history_files SET content = X'00'");
  store = Open();
  ASSERT_TRUE(store);
  auto files = store->RegionHistory();
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kCorrupt);
  EXPECT_TRUE(Contains(files.status().message(), "201904.tsv")) << files.status().ToString();
}

// Opening, URLs, migrations

TEST_F(StoreTest, UrlsSelectTheBackend) {
  StoreOptions o = Options();
  o.url = dir_.File("plain.db");
  EXPECT_TRUE(OpenStore(o).ok());
  o.url = "sqlite://" + dir_.File("triple.db");
  auto s = OpenStore(o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->Describe(), "sqlite:" + dir_.File("triple.db"));
  EXPECT_TRUE(fs::exists(dir_.File("triple.db")));
  o.url = "postgresql://localhost/baogao";
  EXPECT_EQ(OpenStore(o).status().code(), StatusCode::kUnimplemented);
  o.url = "mysql://localhost/baogao";
  EXPECT_EQ(OpenStore(o).status().code(), StatusCode::kInvalidArgument);
  o.url = "";
  EXPECT_EQ(OpenStore(o).status().code(), StatusCode::kInvalidArgument);
  o.url = "sqlite:";
  EXPECT_EQ(OpenStore(o).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, NewDatabaseIsMigratedAndConfigured) {
  const std::string path = dir_.File("baogao.db");
  { std::ofstream(path).flush(); }  // an empty file is an empty SQLite database
  ASSERT_EQ(fs::file_size(path), 0u);
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Insert(MakeReport("a", 110000, 2020)).ok());
  store.reset();
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(CurrentSchemaVersion())});
  EXPECT_EQ(RawQuery(path, "PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  EXPECT_EQ(RawQuery(path, "PRAGMA application_id"),
            std::vector<std::string>{std::to_string(0x6267616f)});
  EXPECT_EQ(
      RawQuery(path,
               "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
               "LIKE 'sqlite_%' ORDER BY name"),
      (std::vector<std::string>{"admin_sessions", "admin_users", "alternate_sources", "audit_log",
                                "captcha_spent", "change_log", "comments", "login_failures",
                                "region_history_files", "report_bodies", "report_views", "reports",
                                "site_secrets", "takedown_events", "takedown_requests"}));
  EXPECT_EQ(RawQuery(path, "SELECT name FROM sqlite_master WHERE type = 'view'"),
            std::vector<std::string>{"paragraphs"});
  // Reopening migrates nothing and keeps the data.
  store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->Count({}), 1);
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

TEST_F(StoreTest, ViewsAddUpAndGoWithTheReport) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto a = store->Insert(MakeReport("德州市2020年政府工作报告", 371400, 2020));
  auto b = store->Insert(MakeReport("德州市2021年政府工作报告", 371400, 2021));
  ASSERT_TRUE(a.ok() && b.ok());
  const int64_t seq = *store->LatestSequence();
  EXPECT_EQ(*store->Views(*a), 0);
  ASSERT_TRUE(store->AddViews({{*a, 3}, {*b, 1}, {ReportId(999), 5}}).ok());
  ASSERT_TRUE(store->AddViews({{*a, 2}}).ok());
  EXPECT_EQ(*store->Views(*a), 5);
  EXPECT_EQ(*store->Views(*b), 1);
  EXPECT_EQ(*store->Views(ReportId(999)), 0);  // skipped, not created
  EXPECT_EQ(*store->LatestSequence(), seq);    // views are not changes
  const Status negative = store->AddViews({{*a, 10}, {*b, -1}});
  EXPECT_EQ(negative.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*store->Views(*a), 5);  // nothing written
  ASSERT_TRUE(store->Delete(*a).ok());
  EXPECT_EQ(*store->Views(*a), 0);
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

// The paragraphs table as migration 1 made it (migration 5 replaced it).
constexpr char kVersion4Paragraphs[] = R"sql(
CREATE TABLE paragraphs (
  report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  ord        INTEGER NOT NULL,
  level      INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
  text       TEXT    NOT NULL,
  PRIMARY KEY (report_id, ord)
) WITHOUT ROWID;
)sql";

// Turns a database of today's schema into one as version 4 left it: the
// bodies back into paragraph rows (through the view: for plain text only).
const std::string kUndoMigration5 =
    std::string(
        "CREATE TEMP TABLE keep AS SELECT report_id, ord, level, text FROM paragraphs; "
        "DROP VIEW paragraphs; DROP TABLE report_bodies; ") +
    kVersion4Paragraphs + "INSERT INTO paragraphs SELECT * FROM keep; DROP TABLE keep; ";

// Writes paragraph rows of a version-4 database with bound values, so that
// any bytes go in as they are (as the version-4 store wrote them).
void RawInsertParagraphs(const std::string& path, int64_t report_id,
                         const std::vector<report::Paragraph>& body) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "INSERT INTO paragraphs (report_id, ord, level, text) "
                               "VALUES (?1, ?2, ?3, ?4)",
                               -1, &stmt, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  for (size_t i = 0; i < body.size(); ++i) {
    sqlite3_bind_int64(stmt, 1, report_id);
    sqlite3_bind_int64(stmt, 2, static_cast<int64_t>(i));
    sqlite3_bind_int(stmt, 3, body[i].level);
    sqlite3_bind_text64(stmt, 4, body[i].text.data(), body[i].text.size(), SQLITE_TRANSIENT,
                        SQLITE_UTF8);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// Turns a database of today's schema into one as version 3 left it: drops
// what migration 4 added. (Migrations 1 to 3 are frozen, so the rest is
// identical.) The new tables must be empty.
constexpr char kUndoMigration4[] =
    "DROP TABLE audit_log; DROP TABLE login_failures; DROP TABLE admin_sessions; "
    "DROP TABLE admin_users; DROP TABLE takedown_events; DROP TABLE takedown_requests; "
    "DROP TABLE site_secrets; DROP TABLE captcha_spent; DROP TABLE comments; "
    "ALTER TABLE reports DROP COLUMN hidden; ";

// The schema as SQL text, to compare a migrated database with a new one.
std::vector<std::string> SchemaOf(const std::string& path) {
  return RawQuery(path,
                  "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master "
                  "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
}

TEST_F(StoreTest, MigratesAVersion1Database) {
  // A database as schema version 1 left it: today's tables minus what
  // migrations 2 and later added (migration 1 is frozen, so the rest is identical).
  const std::string path = dir_.File("baogao.db");
  {
    auto store = Open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Insert(MakeReport("陵县2010年政府工作报告", 371421, 2010)).ok());
  }
  RawExec(path, kUndoMigration5 + kUndoMigration4 +
                    "DROP TABLE report_views; DROP TABLE region_history_files; "
                    "PRAGMA user_version = 1");
  ASSERT_EQ(RawQuery(path, "PRAGMA user_version"), std::vector<std::string>{"1"});

  // Read-only, it cannot be migrated: a clear error, the file untouched.
  StoreOptions ro = Options();
  ro.read_only = true;
  auto refused = OpenStore(ro);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(Contains(refused.status().message(), "schema version 1"))
      << refused.status().ToString();
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), std::vector<std::string>{"1"});

  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(CurrentSchemaVersion())});
  EXPECT_EQ(*store->Count({}), 1);
  EXPECT_EQ(store->Get(ReportId(1))->body, MakeReport("陵县2010年政府工作报告", 0, 2010).body);
  EXPECT_TRUE(store->RegionHistory()->empty());
  EXPECT_EQ(*store->Views(ReportId(1)), 0);
  auto changed = store->ReplaceRegionHistory({{"201904.tsv", "x", "", 0}});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(*changed);
  EXPECT_EQ(store->RegionHistory()->size(), 1u);
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

TEST_F(StoreTest, MigratesAVersion3Database) {
  const std::string path = dir_.File("baogao.db");
  {
    auto store = Open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Insert(MakeReport("德州市2022年政府工作报告", 371400, 2022)).ok());
    ASSERT_TRUE(store->Insert(MakeReport("德州市2023年政府工作报告", 371400, 2023)).ok());
    ASSERT_TRUE(store->AddViews({{ReportId(1), 7}}).ok());
  }
  const std::vector<std::string> new_schema = SchemaOf(path);
  RawExec(path, kUndoMigration5 + kUndoMigration4 + "PRAGMA user_version = 3");
  ASSERT_EQ(RawQuery(path, "PRAGMA user_version"), std::vector<std::string>{"3"});
  ASSERT_EQ(RawQuery(path,
                     "SELECT COUNT(*) FROM pragma_table_info('reports') "
                     "WHERE name = 'hidden'"),
            std::vector<std::string>{"0"});

  // Read-only, it cannot be migrated: a clear error, the file untouched.
  StoreOptions ro = Options();
  ro.read_only = true;
  auto refused = OpenStore(ro);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(Contains(refused.status().message(), "schema version 3"))
      << refused.status().ToString();
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), std::vector<std::string>{"3"});

  clock_->Set(5000);
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(CurrentSchemaVersion())});
  EXPECT_EQ(SchemaOf(path), new_schema) << "a migrated database is like a new one";
  EXPECT_EQ(store->Get(ReportId(2))->body, MakeReport("德州市2023年政府工作报告", 0, 2023).body);
  // The reports are all there, none hidden; views and the change log are kept.
  ListFilter visible;
  visible.include_hidden = false;
  EXPECT_EQ(*store->Count({}), 2);
  EXPECT_EQ(*store->Count(visible), 2);
  auto r = store->Get(ReportId(1));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->hidden);
  EXPECT_EQ(*store->Views(ReportId(1)), 7);
  EXPECT_EQ(*store->LatestSequence(), 2);
  // And the new tables work.
  Comment c;
  c.report_id = ReportId(1);
  c.nickname = "匿名网友";
  c.body = "迁移之后的第一条评论";
  c.idempotency_key = "k1";
  auto cid = store->InsertComment(c);
  ASSERT_TRUE(cid.ok()) << cid.status().ToString();
  EXPECT_EQ(store->GetComment(*cid)->created_at, 5000);
  ASSERT_TRUE(store->CreateAdminUser({"admin", "$argon2id$v=19$m=65536,t=3,p=1$x$y", 0, 0}).ok());
  EXPECT_TRUE(*store->SpendCaptcha("n1", 6000));
  r->hidden = true;
  ASSERT_TRUE(store->Update(*r).ok());
  EXPECT_EQ(*store->Count(visible), 1);
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

// Bodies whose text is anything at all: every byte value, NUL, bytes that
// are not UTF-8, quotes, backslashes, text that looks like JSON or escapes.
std::vector<report::Paragraph> HostileBody() {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte.push_back(static_cast<char>(b));
  return {{0, every_byte},
          {1, std::string("\0NUL\0\0\x01\x1f\x7f", 9)},
          {2, "\\u0000\\udc80\\ud800\\\\\"\\"},
          {3, "]],[0,\"injected\"],[[4,\""},
          {4, "\xff\xfe\xe4\xb8 \xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80 \x80\xe4\xb8\xad"},
          {0, "\xed\xb2\x80 \xef\xbf\xbd 中文\U0001F600"},
          {0, ""},
          {0, "'; DROP TABLE reports; --"}};
}

TEST_F(StoreTest, HostileParagraphTextRoundTripsExactly) {
  auto store = Open();
  ASSERT_TRUE(store);
  Report r = MakeReport("hostile", 110000, 2020);
  r.body = HostileBody();
  auto id = store->Insert(r);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto got = store->Get(*id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->body, r.body);
  EXPECT_EQ(got->content_hash, report::ContentHash(r.body));
  // Update and List read and write the same form.
  r.id = *id;
  r.body.push_back({1, std::string(1, '\0')});
  ASSERT_TRUE(store->Update(r).ok());
  ListFilter f;
  f.with_body = true;
  auto listed = store->List(f);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().body, r.body);
  EXPECT_EQ(listed->front().content_hash, report::ContentHash(r.body));
  // The stored text is valid JSON whatever the bytes were.
  EXPECT_EQ(RawQuery(dir_.File("baogao.db"), "SELECT json_valid(body) FROM report_bodies"),
            std::vector<std::string>{"1"});
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

// The body is one row in report_bodies; the `paragraphs` view shows it as
// the version-4 table did, for researchers' queries.
TEST_F(StoreTest, ParagraphsViewShowsTheBodies) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto a = store->Insert(FullReport());
  Report empty = MakeReport("无正文", 110000, 2020);
  empty.body.clear();
  auto b = store->Insert(empty);
  auto c = store->Insert(MakeReport("乙", 110000, 2021));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const std::string path = dir_.File("baogao.db");
  EXPECT_EQ(
      RawQuery(path, "SELECT body FROM report_bodies WHERE report_id = 1"),
      std::vector<std::string>{R"([[1,"一、综合"],[2,"（一）农业"],[3,"1. 粮食"],[4,"（1）小麦"],)"
                               R"([0,"全年粮食总产量增长2.1%。"],[0,""]])"});
  EXPECT_EQ(RawQuery(path, "SELECT body FROM report_bodies WHERE report_id = 2"),
            std::vector<std::string>{"[]"});
  const std::string rows =
      "SELECT report_id || '|' || ord || '|' || level || '|' || text || '|' || typeof(ord) || "
      "typeof(level) || typeof(text) FROM paragraphs ORDER BY report_id, ord";
  EXPECT_EQ(RawQuery(path, rows),
            (std::vector<std::string>{
                "1|0|1|一、综合|integerintegertext", "1|1|2|（一）农业|integerintegertext",
                "1|2|3|1. 粮食|integerintegertext", "1|3|4|（1）小麦|integerintegertext",
                "1|4|0|全年粮食总产量增长2.1%。|integerintegertext", "1|5|0||integerintegertext",
                "3|0|1|一、乙|integerintegertext", "3|1|0|乙的正文。|integerintegertext"}));
  EXPECT_EQ(RawQuery(path, "SELECT text FROM paragraphs WHERE report_id = 3 AND ord = 1"),
            std::vector<std::string>{"乙的正文。"});
  // Read-only: the view takes no writes.
  EXPECT_NE(RawExecCode(path, "INSERT INTO paragraphs VALUES (3, 2, 0, 'x')"), SQLITE_OK);
  EXPECT_NE(RawExecCode(path, "DELETE FROM paragraphs"), SQLITE_OK);
  // Update replaces the row; Delete takes it with the report.
  Report changed = *store->Get(*c);
  changed.body = {{0, "新"}};
  ASSERT_TRUE(store->Update(changed).ok());
  EXPECT_EQ(RawQuery(path, "SELECT text FROM paragraphs WHERE report_id = 3"),
            std::vector<std::string>{"新"});
  ASSERT_TRUE(store->Delete(*a).ok());
  EXPECT_EQ(RawQuery(path, "SELECT group_concat(report_id) FROM report_bodies"),
            std::vector<std::string>{"2,3"});
  EXPECT_EQ(RawQuery(path, "SELECT COUNT(*) FROM paragraphs"), std::vector<std::string>{"1"});
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

// A report whose body row is missing is corrupt, not empty.
TEST_F(StoreTest, MissingBodyRowIsCorrupt) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto id = store->Insert(MakeReport("甲", 110000, 2020));
  ASSERT_TRUE(id.ok());
  const std::string path = dir_.File("baogao.db");
  RawExec(path, "DELETE FROM report_bodies");
  auto got = store->Get(*id);
  EXPECT_EQ(got.status().code(), StatusCode::kCorrupt) << got.status().ToString();
  RawExec(path, "INSERT INTO report_bodies VALUES (1, '[[0,\"unterminated]]')");
  got = store->Get(*id);
  EXPECT_EQ(got.status().code(), StatusCode::kCorrupt) << got.status().ToString();
  EXPECT_TRUE(Contains(got.status().message(), "report 1")) << got.status().ToString();
}

// Version 4 kept one row per paragraph; opening such a file converts every
// report's rows into its body row, in one transaction.
TEST_F(StoreTest, MigratesAVersion4Database) {
  const std::string path = dir_.File("baogao.db");
  std::vector<Report> want;
  {
    auto store = Open();
    ASSERT_TRUE(store);
    Report hostile = MakeReport("hostile", 110000, 2020);
    hostile.body = HostileBody();
    Report empty = MakeReport("无正文", 110000, 2020);
    empty.body.clear();
    Report longer = MakeReport("长", 110000, 2021);
    for (int i = 0; i < 200; ++i) longer.body.push_back({i % 5, Numbered("第段", i)});
    for (const Report& r : {FullReport(), hostile, MakeReport("删", 0, 2020), empty, longer}) {
      ASSERT_TRUE(store->Insert(r).ok());
    }
    ASSERT_TRUE(store->Delete(ReportId(3)).ok());  // ids need not be dense
    ListFilter all;
    all.with_body = true;
    want = *store->List(all);
  }
  ASSERT_EQ(want.size(), 4u);
  const std::vector<std::string> new_schema = SchemaOf(path);
  RawExec(path, std::string("DROP VIEW paragraphs; DROP TABLE report_bodies; ") +
                    kVersion4Paragraphs + "PRAGMA user_version = 4");
  for (const Report& r : want) RawInsertParagraphs(path, r.id.value(), r.body);
  const std::string rows =
      std::to_string(FullReport().body.size() + HostileBody().size() + 2 + 200);
  ASSERT_EQ(RawQuery(path, "SELECT COUNT(*) FROM paragraphs"), std::vector<std::string>{rows});

  // Read-only, it cannot be migrated: a clear error, the file untouched.
  StoreOptions ro = Options();
  ro.read_only = true;
  auto refused = OpenStore(ro);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kIoError);
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), std::vector<std::string>{"4"});

  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"),
            std::vector<std::string>{std::to_string(CurrentSchemaVersion())});
  EXPECT_EQ(SchemaOf(path), new_schema) << "a migrated database is like a new one";
  for (const Report& r : want) {
    auto got = store->Get(r.id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, r) << r.title;
    EXPECT_EQ(got->content_hash, report::ContentHash(got->body)) << r.title;
  }
  EXPECT_EQ(RawQuery(path, "SELECT COUNT(*) FROM report_bodies"), std::vector<std::string>{"4"});
  EXPECT_EQ(RawQuery(path, "SELECT body FROM report_bodies WHERE report_id = 4"),
            std::vector<std::string>{"[]"});
  EXPECT_EQ(RawQuery(path, "SELECT COUNT(*) FROM paragraphs"), std::vector<std::string>{rows});
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

// A version-4 file with a paragraph missing (Get called it corrupt) is not
// migrated: the error names the report, and nothing is changed.
TEST_F(StoreTest, Version4DatabaseWithAMissingParagraphIsLeftAsItWas) {
  const std::string path = dir_.File("baogao.db");
  {
    auto store = Open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Insert(MakeReport("甲", 110000, 2020)).ok());
    ASSERT_TRUE(store->Insert(MakeReport("乙", 110000, 2020)).ok());
  }
  RawExec(path, kUndoMigration5 +
                    "DELETE FROM paragraphs WHERE report_id = 2 AND ord = 0; "
                    "PRAGMA user_version = 4");
  auto refused = OpenStore(Options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kCorrupt) << refused.status().ToString();
  EXPECT_TRUE(Contains(refused.status().message(), "report 2: paragraph 0 is missing"))
      << refused.status().ToString();
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), std::vector<std::string>{"4"});
  EXPECT_EQ(RawQuery(path, "SELECT type FROM sqlite_master WHERE name = 'paragraphs'"),
            std::vector<std::string>{"table"});
  EXPECT_EQ(RawQuery(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'report_bodies'"),
            std::vector<std::string>{"0"});
  EXPECT_EQ(RawQuery(path, "SELECT COUNT(*) FROM paragraphs"), std::vector<std::string>{"3"});
  // Repaired, it migrates.
  RawExec(path, "UPDATE paragraphs SET ord = 0 WHERE report_id = 2");
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->Get(ReportId(2))->body, (std::vector<report::Paragraph>{{0, "乙的正文。"}}));
}

TEST_F(StoreTest, RefusesNewerSchemaAndForeignDatabases) {
  const std::string path = dir_.File("baogao.db");
  ASSERT_TRUE(Open());
  RawExec(path, "PRAGMA user_version = 99");
  auto s = OpenStore(Options());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.status().message(), "schema version 99")) << s.status().ToString();
  EXPECT_TRUE(Contains(s.status().message(), path));
  EXPECT_EQ(RawQuery(path, "PRAGMA user_version"), std::vector<std::string>{"99"})
      << "a refused database is left alone";

  const std::string other = dir_.File("other.db");
  RawExec(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
  s = OpenStore(Options("other.db"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.status().message(), "not a baogao database")) << s.status().ToString();
  EXPECT_EQ(RawQuery(other, "SELECT COUNT(*) FROM sqlite_master"), std::vector<std::string>{"1"});
}

TEST_F(StoreTest, MissingDirectoryAndFile) {
  StoreOptions o = Options();
  o.url = dir_.File("no/such/dir/baogao.db");
  auto s = OpenStore(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(s.status().message(), dir_.File("no/such/dir"))) << s.status().ToString();
  EXPECT_FALSE(fs::exists(dir_.File("no")));

  o = Options("absent.db");
  o.create_if_missing = false;
  s = OpenStore(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir_.File("absent.db")));

  o = Options("dir.db");
  fs::create_directory(dir_.File("dir.db"));
  EXPECT_EQ(OpenStore(o).status().code(), StatusCode::kIoError);
}

// Bad situations

TEST_F(StoreTest, ReadOnlyOptionRefusesWrites) {
  auto id = *Open()->Insert(MakeReport("a", 110000, 2020));
  StoreOptions o = Options();
  o.read_only = true;
  auto store = Open(o);
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->Get(id).ok());
  auto ins = store->Insert(MakeReport("b", 110000, 2020));
  ASSERT_FALSE(ins.ok());
  EXPECT_EQ(ins.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(Contains(ins.status().message(), dir_.File("baogao.db"))) << ins.status().ToString();
  EXPECT_EQ(*store->Count({}), 1);
}

// Permission checks do not apply to root, so the child drops to nobody.
void BecomeUnprivileged() {
  if (::geteuid() == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) std::_Exit(3);
  }
}

// Opens `url` for writing in a child without privileges, prints the Status
// to stderr and exits 0 if the open failed with kIoError.
void OpenUnprivileged(const std::string& url) {
  BecomeUnprivileged();
  StoreOptions o;
  o.url = url;
  auto s = OpenStore(o);
  std::fprintf(stderr, "%s\n", s.status().ToString().c_str());
  std::_Exit(!s.ok() && s.status().code() == StatusCode::kIoError ? 0 : 1);
}

TEST_F(StoreTest, ReadOnlyFileAndDirectory) {
  const std::string path = dir_.File("baogao.db");
  ASSERT_TRUE(Open()->Insert(MakeReport("a", 110000, 2020)).ok());
  // Let the unprivileged child reach the directory and read the file.
  fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::others_read |
                                   fs::perms::others_exec | fs::perms::group_read |
                                   fs::perms::group_exec);
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  EXPECT_EXIT(OpenUnprivileged(path), ::testing::ExitedWithCode(0),
              "I/O error: database file .*baogao.db is read-only");

  // A writable file in a directory where -wal and -shm cannot be created.
  fs::permissions(path, fs::perms::all);
  EXPECT_EXIT(OpenUnprivileged(path), ::testing::ExitedWithCode(0),
              "I/O error: directory .* is not writable");
  // And creating a new database there.
  EXPECT_EXIT(OpenUnprivileged(dir_.File("new.db")), ::testing::ExitedWithCode(0),
              "I/O error: directory .* is not writable");
  fs::permissions(dir_.path(), fs::perms::owner_all);
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->Count({}), 1) << "nothing was lost";
}

TEST_F(StoreTest, DiskFullLeavesNoTraceAndKeepsEarlierReports) {
  const std::string path = dir_.File("baogao.db");
  std::vector<Report> before;
  {
    auto store = Open();
    ASSERT_TRUE(store);
    for (int i = 0; i < 3; ++i) {
      auto id = store->Insert(MakeReport(Numbered("r", i), 110000, 2020));
      ASSERT_TRUE(id.ok());
      before.push_back(*store->Get(*id));
    }
  }
  const int pages = std::stoi(RawQuery(path, "PRAGMA page_count")[0]);
  StoreOptions o = Options();
  o.max_page_count = pages + 2;  // room for a small write, not for a big one
  auto store = Open(o);
  ASSERT_TRUE(store);
  Report big = MakeReport("big", 110000, 2021);
  for (int i = 0; i < 200; ++i) big.body.push_back({0, std::string(1000, 'a' + i % 26)});
  auto id = store->Insert(big);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kResourceExhausted) << id.status().ToString();
  EXPECT_TRUE(Contains(id.status().message(), path)) << id.status().ToString();
  EXPECT_TRUE(Contains(id.status().message(), "full")) << id.status().ToString();

  // The same inside a bigger transaction: the earlier insert goes too.
  Status s = store->RunInTransaction([&](Transaction& txn) -> Status {
    BAOGAO_RETURN_IF_ERROR(txn.Insert(MakeReport("small", 110000, 2021)).status());
    return txn.Insert(big).status();
  });
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);

  EXPECT_EQ(*store->Count({}), 3);
  EXPECT_EQ(*store->LatestSequence(), 3);
  EXPECT_TRUE(store->FindByContentHash(report::ContentHash(big.body))->empty());
  for (const Report& r : before) EXPECT_EQ(*store->Get(r.id), r);
  EXPECT_TRUE(store->CheckIntegrity().ok());
  // With room again, the same insert works.
  store.reset();
  store = Open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->Insert(big).ok());
  EXPECT_EQ(*store->LatestSequence(), 4);
}

TEST_F(StoreTest, NotADatabaseIsCorrupt) {
  const std::string path = dir_.File("baogao.db");
  {
    std::ofstream out(path, std::ios::binary);
    out << "这不是数据库 — this is not a database, just some text that is long enough to "
           "cover a SQLite header of one hundred bytes, so that SQLite reads it as one.";
  }
  auto s = OpenStore(Options());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorrupt) << s.status().ToString();
  EXPECT_TRUE(Contains(s.status().message(), path)) << s.status().ToString();
}

TEST_F(StoreTest, DamagedPagesAreCorrupt) {
  const std::string path = dir_.File("baogao.db");
  // The schema (and every table's root page) is in the pages an empty
  // database has; the reports added later need pages after those.
  ASSERT_TRUE(Open());
  const auto schema_bytes = fs::file_size(path);
  {
    auto store = Open();
    ASSERT_TRUE(store);
    for (int i = 0; i < 20; ++i) {
      const std::string title = Numbered("r", i) + std::string(1000, 'x');
      ASSERT_TRUE(store->Insert(MakeReport(title, 110000, 2020)).ok());
    }
  }  // the last close checkpoints the WAL into the file
  ASSERT_FALSE(fs::exists(path + "-wal"));
  {
    // Keep the header and the schema, scribble over the rest.
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    const auto size = fs::file_size(path);
    ASSERT_GT(size, schema_bytes + 4096u * 3);
    f.seekp(static_cast<std::streamoff>(schema_bytes));
    for (auto i = schema_bytes; i < size; ++i) f.put(static_cast<char>(0xa5 ^ (i * 31)));
  }
  // Opening reads only the schema, so it succeeds; reading reports does not.
  auto s = OpenStore(Options());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto& store = *s;
  Status integrity = store->CheckIntegrity();
  EXPECT_EQ(integrity.code(), StatusCode::kCorrupt) << integrity.ToString();
  auto list = store->List({});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), StatusCode::kCorrupt) << list.status().ToString();
  EXPECT_TRUE(Contains(list.status().message(), path));
}

// A writer killed with SIGKILL mid-stream: every id it reported as committed
// is present and whole, and the file passes integrity_check.
TEST_F(StoreTest, SurvivesWriterKilledMidWrite) {
  const std::string path = dir_.File("baogao.db");
  int out_pipe[2];
  ASSERT_EQ(::pipe(out_pipe), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    ::execl(BAOGAO_CRASH_WRITER, BAOGAO_CRASH_WRITER, path.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  ::close(out_pipe[1]);

  constexpr int kWanted = 60;
  std::map<int64_t, int> committed;  // id -> report number
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool eof = false;
  while (static_cast<int>(committed.size()) < kWanted && !eof &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_pipe[0], POLLIN, 0};
    if (::poll(&p, 1, 1000) <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::read(out_pipe[0], chunk, sizeof(chunk));
    if (n <= 0) {
      eof = true;
      break;
    }
    buffer.append(chunk, static_cast<size_t>(n));
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      std::istringstream line(buffer.substr(0, nl));
      buffer.erase(0, nl + 1);
      int64_t id = 0;
      int number = 0;
      line >> id >> number;
      committed[id] = number;
    }
  }
  ::kill(pid, SIGKILL);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ::close(out_pipe[0]);
  ASSERT_FALSE(eof) << "crash_writer stopped by itself";
  ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
  ASSERT_GE(committed.size(), static_cast<size_t>(kWanted));

  auto store = Open();
  ASSERT_TRUE(store);
  Status integrity = store->CheckIntegrity();
  EXPECT_TRUE(integrity.ok()) << integrity.ToString();
  EXPECT_EQ(RawQuery(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  for (const auto& [id, number] : committed) {
    auto got = store->Get(ReportId(id));
    ASSERT_TRUE(got.ok()) << "committed report " << id << ": " << got.status().ToString();
    const Report want = testing::CrashReport(number);
    EXPECT_EQ(got->title, want.title);
    ASSERT_EQ(got->body.size(), want.body.size()) << "report " << id;
    EXPECT_EQ(got->body, want.body);
    EXPECT_EQ(got->content_hash, report::ContentHash(got->body));
  }
  // Whatever else is there (one more insert may have committed before its
  // id was printed) is whole too, and the change log matches the reports.
  ListFilter everything;
  everything.limit = 100000;
  everything.with_body = true;
  auto all = *store->List(everything);
  for (const Report& r : all) EXPECT_EQ(r.content_hash, report::ContentHash(r.body));
  EXPECT_EQ(*store->LatestSequence(), static_cast<int64_t>(all.size()));
  EXPECT_TRUE(store->Insert(MakeReport("after crash", 110000, 2020)).ok());
}

}  // namespace
}  // namespace baogao::store
