// Rebuild() builds shards in parallel and merges them: whatever the number
// of shards and the batch size, the index must hold exactly the documents
// (terms, wdf, positions, values, lengths), metadata and literal layer that
// catching up from the change log gives. Compared through Xapian itself, document by
// document, on a store with updates, deletions and a hidden report.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "search/internal/literal.h"
#include "search/search.h"
#include "store/store.h"
#include "test_corpus.h"

namespace baogao::search {
namespace {

using report::Report;

// Everything an index holds, one line per fact, in docid and term order;
// then its literal layer, whatever its segments.
std::string Dump(const std::string& stub) {
  Xapian::Database db(stub);
  std::ostringstream out;
  {
    std::ifstream in(stub);
    std::string kind, generation;
    in >> kind >> generation;
    const std::string dir = std::filesystem::path(stub).parent_path() / generation;
    auto literal = internal::LiteralIndex::Open(internal::LiteralPath(dir), false);
    EXPECT_TRUE(literal.ok()) << literal.status().ToString();
    std::string dump;
    if (literal.ok()) {
      EXPECT_TRUE((*literal)->Dump(&dump).ok());
    }
    out << "literal " << dump;
  }
  out << "docs " << db.get_doccount() << " last " << db.get_lastdocid() << " length "
      << db.get_total_length() << "\n";
  for (const char* key : {"baogao:format", "baogao:sequence"}) {
    out << "meta " << key << " = " << db.get_metadata(key) << "\n";
  }
  for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
    const Xapian::docid id = *d;
    out << "doc " << id << " length " << db.get_doclength(id) << "\n";
    const Xapian::Document doc = db.get_document(id);
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
      out << "  value " << v.get_valueno() << " " << *v << "\n";
    }
    for (auto t = db.termlist_begin(id); t != db.termlist_end(id); ++t) {
      out << "  " << *t << " wdf " << t.get_wdf() << " freq " << t.get_termfreq();
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) out << " " << *p;
      out << "\n";
    }
  }
  return out.str();
}

class RebuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreOptions o;
    o.url = dir_.File("r.db");
    auto st = store::OpenStore(o);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(*st);
  }

  IndexOptions Options(const std::string& name, int shards, int batch) {
    IndexOptions o;
    o.path = dir_.File(name);
    o.dictionary = testing::TestDictionary();
    o.batch_size = 13;
    o.rebuild_shards = shards;
    o.rebuild_batch_size = batch;
    return o;
  }

  // Reports with random text, then edits: the log names ids several times,
  // some no longer exist, one is hidden.
  void FillStore() {
    std::mt19937_64 rng(4242);
    testing::TextGenerator gen(&rng);
    std::vector<report::ReportId> ids;
    for (int i = 0; i < 150; ++i) {
      Report r;
      r.title = gen.Text(3, 12) + "报告（演示数据）";
      for (int p = 0; p < 1 + i % 5; ++p) r.body.push_back({0, gen.Text(5, 60)});
      r.region = *report::RegionCode::FromInt(i % 3 == 0 ? 370000 : 371403);
      r.level = report::AdminLevel::kCounty;
      r.year = 2015 + i % 9;
      r.source_url = "https://www.example.gov.cn/r" + std::to_string(i) + ".html";
      r.source_site = "示例政府网";
      auto id = store_->Insert(r);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      ids.push_back(*id);
    }
    for (int i = 0; i < 150; i += 7) {
      auto r = store_->Get(ids[i]);
      ASSERT_TRUE(r.ok());
      r->body.push_back({0, gen.Text(5, 30)});
      r->hidden = i == 7;
      ASSERT_TRUE(store_->Update(*r).ok());
    }
    for (int i = 3; i < 150; i += 11) ASSERT_TRUE(store_->Delete(ids[i]).ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(RebuildTest, ShardsGiveTheSameIndexAsCatchingUp) {
  FillStore();
  if (HasFatalFailure()) return;

  const IndexOptions followed = Options("followed.index", 1, 200);
  {
    auto w = IndexWriter::Open(followed);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->CatchUp(*store_).ok());
  }
  const std::string expected = Dump(followed.path);
  ASSERT_NE(expected.find("doc 150 "), std::string::npos) << "the last report is missing";
  ASSERT_EQ(expected.find("doc 4 "), std::string::npos) << "a deleted report is indexed";
  ASSERT_EQ(expected.find("doc 8 "), std::string::npos) << "the hidden report is indexed";
  // The literal layer's part: its sequence, the live reports (150 less the
  // 14 deleted and the hidden one), and a line per gram and report.
  const size_t literal = expected.find("literal sequence ");
  ASSERT_NE(literal, std::string::npos);
  const std::string head = expected.substr(literal, expected.find('\n', literal) - literal);
  EXPECT_NE(head.find(" reports 135"), std::string::npos) << head;
  EXPECT_GT(std::count(expected.begin(), expected.end(), '\n'), 10000);

  struct Setting {
    int shards, batch;
  };
  for (const Setting s : {Setting{1, 200}, Setting{2, 200}, Setting{3, 7}, Setting{8, 1}}) {
    SCOPED_TRACE("shards " + std::to_string(s.shards) + ", batch " + std::to_string(s.batch));
    const IndexOptions o =
        Options("rebuilt" + std::to_string(s.shards) + "_" + std::to_string(s.batch) + ".index",
                s.shards, s.batch);
    int64_t last_progress = 0;
    const Status rebuilt = Rebuild(*store_, o, [&](const IndexProgress& p) {
      EXPECT_GT(p.applied, last_progress);
      EXPECT_LE(p.applied, p.total);
      last_progress = p.applied;
    });
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.ToString();
    EXPECT_EQ(Dump(o.path), expected);
    // Only the generation remains: the shards went into it.
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(dir_.File(""))) {
      const std::string name = e.path().filename().string();
      if (name.starts_with(std::filesystem::path(o.path).filename().string() + ".g")) {
        left.push_back(name);
      }
    }
    EXPECT_EQ(left.size(), 1u) << left.size() << " generation directories";
  }
}

TEST_F(RebuildTest, AnEmptyStoreRebuildsToAnEmptyIndex) {
  const IndexOptions o = Options("empty.index", 4, 10);
  ASSERT_TRUE(Rebuild(*store_, o).ok());
  EXPECT_NE(Dump(o.path).find("docs 0 "), std::string::npos);
  // And the next change lands in it.
  Report r;
  r.title = "报告（演示数据）";
  r.body.push_back({0, "内容"});
  r.year = 2020;
  ASSERT_TRUE(store_->Insert(r).ok());
  auto w = IndexWriter::Open(o);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->CatchUp(*store_).ok());
  EXPECT_EQ((*w)->sequence(), 1);
}

TEST_F(RebuildTest, RemovesTheShardsOfAKilledRebuild) {
  FillStore();
  if (HasFatalFailure()) return;
  const IndexOptions o = Options("k.index", 2, 50);
  ASSERT_TRUE(Rebuild(*store_, o).ok());
  // What a rebuild killed before its merge leaves behind.
  std::filesystem::create_directories(o.path + ".g2.s0");
  std::filesystem::create_directories(o.path + ".g2.s1");
  std::filesystem::create_directories(o.path + ".g2.s1.lit");
  std::filesystem::create_directories(o.path + ".g3.s12");
  ASSERT_TRUE(Rebuild(*store_, o).ok());
  EXPECT_FALSE(std::filesystem::exists(o.path + ".g2.s0"));
  EXPECT_FALSE(std::filesystem::exists(o.path + ".g2.s1.lit"));
  EXPECT_FALSE(std::filesystem::exists(o.path + ".g2.s1"));
  EXPECT_FALSE(std::filesystem::exists(o.path + ".g3.s12"));
  EXPECT_FALSE(std::filesystem::exists(o.path + ".g1"));
  EXPECT_TRUE(std::filesystem::is_directory(o.path + ".g2"));
}

TEST_F(RebuildTest, RejectsBadOptions) {
  IndexOptions o = Options("bad.index", -1, 10);
  EXPECT_EQ(Rebuild(*store_, o).code(), StatusCode::kInvalidArgument);
  o = Options("bad.index", 1, 0);
  EXPECT_EQ(Rebuild(*store_, o).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace baogao::search
