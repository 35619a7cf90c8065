// LoadHistory(): GB/T 2260 revision files → names over time, validity years
// and successors. Synthetic revisions always run; checks against the public
// 1980–2019 revisions run when they are present ($BAOGAO_GB2260_DIR).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "region/region.h"
#include "test_util.h"

namespace baogao::region {
namespace {

using testing::Code;
using testing::HistoryTable;

constexpr char kHeader[] = "Source\tRevision\tCode\tName\n";

RegionTable SmallTable() {
  auto t = RegionTable::FromChinaDivisionJson(
      "[{\"code\":\"37\",\"name\":\"山东省\"}]",
      "[{\"code\":\"3714\",\"name\":\"德州市\",\"provinceCode\":\"37\"}]",
      "[{\"code\":\"371402\",\"name\":\"德城区\",\"cityCode\":\"3714\"},"
      "{\"code\":\"371403\",\"name\":\"陵城区\",\"cityCode\":\"3714\"},"
      "{\"code\":\"371404\",\"name\":\"新甲区\",\"cityCode\":\"3714\"}]");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

std::string Rev(const std::string& id, const std::vector<std::pair<int, std::string>>& rows) {
  std::string s = kHeader;
  for (const auto& [code, name] : rows) {
    s += "mca\t" + id + "\t" + std::to_string(code) + "\t" + name + "\n";
  }
  return s;
}

TEST(HistoryTest, SyntheticRevisions) {
  RegionTable t = SmallTable();
  const std::vector<std::pair<int, std::string>> base = {
      {370000, "山东省"}, {371400, "德州市"}, {371402, "德城区"}};
  auto with = [&](std::vector<std::pair<int, std::string>> extra) {
    auto rows = base;
    rows.insert(rows.end(), extra.begin(), extra.end());
    return rows;
  };
  Status s = t.LoadHistoryFromStrings({
      {"200012.tsv", Rev("200012", with({{371421, "陵县"}, {371499, "旧甲县"}}))},
      {"201312.tsv", Rev("201312", with({{371421, "陵县"}, {371499, "旧乙县"}}))},
      {"201412.tsv", Rev("201412", with({{371403, "陵城区"}, {371499, "旧乙县"}}))},
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(t.history_revisions(), (std::vector<int>{200012, 201312, 201412}));
  EXPECT_EQ(t.history_rows(), 15u);
  const Region* ling = t.Find(Code(371421));
  ASSERT_NE(ling, nullptr);
  EXPECT_FALSE(ling->current);
  ASSERT_EQ(ling->names.size(), 1u);
  EXPECT_EQ(ling->names[0].from_year, std::nullopt);  // in the first revision
  EXPECT_EQ(ling->names[0].to_year, 2014);
  EXPECT_EQ(t.Successors(Code(371421)), std::vector<RegionCode>{Code(371403)});
  EXPECT_EQ(t.Find(Code(371403))->valid_from, 2014);

  // Same code, new name: two spans, no successor.
  const Region* old = t.Find(Code(371499));
  ASSERT_NE(old, nullptr);
  ASSERT_EQ(old->names.size(), 2u);
  EXPECT_EQ(old->names[0].name, "旧甲县");
  EXPECT_EQ(old->names[0].to_year, 2013);
  EXPECT_EQ(old->names[1].name, "旧乙县");
  EXPECT_EQ(old->names[1].from_year, 2013);
  // Gone only in the current table: one out (371499), one in (371404).
  EXPECT_EQ(t.Successors(Code(371499)), std::vector<RegionCode>{Code(371404)});

  Resolution r = t.Resolve("旧甲县政府工作报告", 2005);
  EXPECT_EQ(r.code, Code(371499)) << r.reason;
  r = t.Resolve("陵县人民政府工作报告", 2010);
  EXPECT_EQ(r.code, Code(371421)) << r.reason;
}

TEST(HistoryTest, MalformedRevisionFiles) {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"", "empty file"},
      {"Code\tName\n", "line 1: expected the header"},
      {std::string(kHeader) + "mca\t201904\t371403\n", "line 2: expected 4 tab-separated fields"},
      {std::string(kHeader) + "mca\t2019\t371403\t陵城区\n", "line 2: revision \"2019\""},
      {std::string(kHeader) + "mca\t201913\t371403\t陵城区\n", "is not YYYYMM"},
      {std::string(kHeader) + "mca\t201904\t37140x\t陵城区\n", "line 2: \"37140x\" is not"},
      {std::string(kHeader) + "mca\t201904\t000000\t全国\n", "is not a GB/T 2260 code"},
      {std::string(kHeader) + "mca\t201904\t371403\t\n", "line 2: empty name"},
      {std::string(kHeader) + "mca\t201904\t371403\ta\x01\n", "control character"},
      {std::string(kHeader) + "mca\t201904\t371403\t陵城区\nmca\t201812\t371402\t德城区\n",
       "line 3: revision 201812 differs"},
      {kHeader, "no rows"},
  };
  for (const Case& c : cases) {
    RegionTable t = SmallTable();
    Status s = t.LoadHistoryFromStrings({{"x.tsv", c.text}});
    EXPECT_EQ(s.code(), StatusCode::kCorrupt) << c.message;
    EXPECT_NE(s.message().find(c.message), std::string::npos) << s.message();
    EXPECT_EQ(s.message().rfind("x.tsv", 0), 0u) << s.message();
    EXPECT_EQ(t.Find(Code(371403))->names.size(), 1u);  // unchanged
  }
  RegionTable t = SmallTable();
  Status s = t.LoadHistoryFromStrings(
      {{"d.tsv",
        std::string(kHeader) + "mca\t201904\t371403\t陵城区\nmca\t201904\t371403\t德城区\n"}});
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(t.history_warnings().size(), 1u);
  EXPECT_EQ(t.history_warnings()[0],
            "d.tsv line 3: code 371403 listed again as 德城区, keeping 陵城区");
  s = t.LoadHistoryFromStrings({{"a.tsv", Rev("201904", {{371403, "陵城区"}})},
                                {"b.tsv", Rev("201904", {{371403, "陵城区"}})}});
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("also in"), std::string::npos) << s.message();
  EXPECT_EQ(t.LoadHistory("/nonexistent/gb2260").code(), StatusCode::kNotFound);
  EXPECT_EQ(RegionTable::ReadHistoryDir("/nonexistent/gb2260").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(t.LoadHistoryFromStrings({}).code(), StatusCode::kNotFound);
}

// The public revision files, 1980–2019.
class Gb2260Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveGb2260()) {
      GTEST_SKIP() << "GB/T 2260 revision files not found at " << testing::Gb2260Dir()
                   << " (set BAOGAO_GB2260_DIR)";
    }
    table_ = HistoryTable();
    ASSERT_NE(table_, nullptr);
  }
  const RegionTable* table_ = nullptr;
};

TEST_F(Gb2260Test, LingxianBecomesLingchengqu) {
  const RegionTable& t = *table_;
  const Region* ling = t.Find(Code(371421));
  ASSERT_NE(ling, nullptr);
  EXPECT_FALSE(ling->current);
  EXPECT_EQ(ling->valid_from, 1994);  // 德州地区 → 德州市 recoded it (372421 before)
  EXPECT_EQ(ling->valid_to, 2014);
  EXPECT_EQ(t.Successors(Code(371421)), std::vector<RegionCode>{Code(371403)});
  EXPECT_EQ(t.Successors(Code(372421)), std::vector<RegionCode>{Code(371421)});
  EXPECT_EQ(t.CurrentSuccessors(Code(372421)), std::vector<RegionCode>{Code(371403)});
  EXPECT_EQ(t.Resolve("陵县人民政府工作报告", 2010).code, Code(371421));
  EXPECT_EQ(t.Resolve("陵县人民政府工作报告", 1990).code, Code(372421));
  EXPECT_EQ(t.Resolve("陵城区人民政府工作报告", 2023).code, Code(371403));
  const Region* lc = t.Find(Code(371403));
  EXPECT_EQ(lc->valid_from, 2014);
  ASSERT_FALSE(t.history_revisions().empty());
  EXPECT_EQ(t.history_revisions().front(), 198012);
  EXPECT_EQ(t.history_revisions().back(), 201904);
  EXPECT_TRUE(lc->current);
  EXPECT_FALSE(lc->valid_to.has_value());
}

TEST_F(Gb2260Test, RenamesAndRecodings) {
  const RegionTable& t = *table_;
  const Region* xy = t.Find(Code(420600));
  ASSERT_NE(xy, nullptr);
  ASSERT_GE(xy->names.size(), 2u);
  EXPECT_EQ(xy->names[xy->names.size() - 2].name, "襄樊市");
  EXPECT_EQ(xy->names[xy->names.size() - 2].to_year, 2010);
  EXPECT_EQ(xy->names.back().name, "襄阳市");
  EXPECT_EQ(xy->names.back().from_year, 2010);
  EXPECT_EQ(t.Resolve("襄樊市政府工作报告", 2009).code, Code(420600));
  // County → district conversions found from the files alone.
  EXPECT_EQ(t.Successors(Code(110228)), std::vector<RegionCode>{Code(110118)});  // 密云
  EXPECT_EQ(t.Successors(Code(320684)), std::vector<RegionCode>{Code(320614)});  // 海门
  EXPECT_EQ(t.Successors(Code(130527)), std::vector<RegionCode>{Code(130506)});  // 南和
  EXPECT_EQ(t.Successors(Code(371203)), std::vector<RegionCode>{Code(370117)});  // 钢城区
  // 重庆 left 四川 in 1997: same names under a new province code.
  EXPECT_EQ(t.CurrentSuccessors(Code(510200)), std::vector<RegionCode>{Code(500000)});
}

TEST_F(Gb2260Test, Agrees2019RevisionWithCurrentTable) {
  // Every division the 2019 revision lists is either still current under the
  // same code or has a recorded end and, for counties, usually a successor.
  const RegionTable& t = *table_;
  size_t current = 0, ended = 0, with_successor = 0;
  for (const Region* r : t.All(true)) {
    if (r->current) {
      ++current;
      continue;
    }
    if (!r->valid_to) continue;
    ++ended;
    if (!r->successors.empty()) ++with_successor;
    for (RegionCode s : r->successors) EXPECT_NE(t.Find(s), nullptr) << s.ToString();
  }
  EXPECT_EQ(current, 34u + 333u + 2842u);
  EXPECT_GT(ended, 1000u);
  EXPECT_GT(with_successor, ended / 2);
  // No current county-level code in the 70s: those would be functional zones.
  for (const Region* r : t.All()) {
    if (r->level == Level::kCounty && r->valid_from && *r->valid_from <= 2019) {
      const int last = r->code.value() % 100;
      EXPECT_FALSE(last >= 70 && last <= 79) << r->code.ToString();
    }
  }
}

}  // namespace
}  // namespace baogao::region
