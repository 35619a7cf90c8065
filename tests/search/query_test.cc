// The query language (search/query.h): golden files that are its spec,
// direct checks of the tree, the limits and the error messages, and a
// property test over random strings of special characters.
#include "search/query.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../common/files.h"

namespace baogao::search {
namespace {

using baogao::testing::ReadAll;
using baogao::testing::SourcePath;
using Kind = QueryNode::Kind;

// The golden line for one query: the tree, or "ERROR: <message>".
std::string Describe(std::string_view query) {
  auto q = ParseQuery(query);
  if (!q.ok()) return "ERROR: " + q.status().message();
  return q->ToString();
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string ParseToString(std::string_view query) {
  auto q = ParseQuery(query);
  EXPECT_TRUE(q.ok()) << query << ": " << q.status().ToString();
  return q.ok() ? q->ToString() : "";
}

std::string ErrorOf(std::string_view query) {
  auto q = ParseQuery(query);
  EXPECT_FALSE(q.ok()) << query << " parsed as " << q->ToString();
  if (q.ok()) return "";
  EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument) << query;
  return q.status().message();
}

// Checks the ToQuery() promise for a parsed tree.
void ExpectRespells(const QueryNode& tree, std::string_view from) {
  const std::string spelled = tree.ToQuery();
  auto again = ParseQuery(spelled);
  if (!again.ok()) {
    EXPECT_GT(spelled.size(), kMaxQueryBytes)
        << "query [" << from << "] spelled [" << spelled << "]: " << again.status().ToString();
    return;
  }
  EXPECT_EQ(again->ToString(), tree.ToString())
      << "query [" << from << "] spelled [" << spelled << "]";
  EXPECT_TRUE(*again == tree) << "query [" << from << "] spelled [" << spelled << "]";
}

int CountLeaves(const QueryNode& n) {
  if (n.kind == Kind::kMatchAll) return 0;
  if (n.kind == Kind::kAnd || n.kind == Kind::kOr || n.kind == Kind::kNot) {
    int leaves = 0;
    for (const QueryNode& c : n.children) leaves += CountLeaves(c);
    return leaves;
  }
  return 1;
}

// tests/search/golden/queries.in holds one query per line; queries.expected
// the matching line of Describe(). Lines starting with "##" are comments,
// copied to the expected file so that the two stay line-aligned. Run with
// BAOGAO_UPDATE_GOLDEN=1 to rewrite the expected file, then read the diff:
// the expected file is the language's spec.
TEST(QueryGoldenTest, MatchesExpected) {
  const std::string in_path = SourcePath("tests/search/golden/queries.in");
  const std::string expected_path = SourcePath("tests/search/golden/queries.expected");
  const std::vector<std::string> queries = SplitLines(ReadAll(in_path));
  ASSERT_GE(queries.size(), 100u);
  std::vector<std::string> actual;
  for (const std::string& q : queries) actual.push_back(q.starts_with("##") ? q : Describe(q));

  const char* update = std::getenv("BAOGAO_UPDATE_GOLDEN");
  if (update != nullptr && std::string_view(update) == "1") {
    std::ofstream out(expected_path, std::ios::binary | std::ios::trunc);
    for (const std::string& line : actual) out << line << '\n';
    ASSERT_TRUE(out.good()) << "cannot write " << expected_path;
    GTEST_SKIP() << "rewrote " << expected_path;
  }

  const std::vector<std::string> expected = SplitLines(ReadAll(expected_path));
  ASSERT_EQ(expected.size(), queries.size()) << "queries.in and queries.expected differ in length";
  int errors = 0;
  int trees = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(actual[i], expected[i]) << "queries.in line " << i + 1 << ": " << queries[i];
    if (queries[i].starts_with("##")) continue;
    auto q = ParseQuery(queries[i]);
    if (q.ok()) {
      ++trees;
      ExpectRespells(*q, queries[i]);
    } else {
      ++errors;
    }
  }
  // Both halves of the spec are exercised.
  EXPECT_GE(trees, 60);
  EXPECT_GE(errors, 30);
}

TEST(QueryTest, OrBindsTighterThanImplicitAnd) {
  auto q = ParseQuery("a b OR c");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->kind, Kind::kAnd);
  ASSERT_EQ(q->children.size(), 2u);
  EXPECT_EQ(q->children[0].kind, Kind::kText);
  EXPECT_EQ(q->children[0].value, "a");
  ASSERT_EQ(q->children[1].kind, Kind::kOr);
  ASSERT_EQ(q->children[1].children.size(), 2u);
  EXPECT_EQ(q->children[1].children[0].value, "b");
  EXPECT_EQ(q->children[1].children[1].value, "c");
}

TEST(QueryTest, FieldsCarryTypedValues) {
  auto q = ParseQuery("level:区县 TYPE：公报 year:2018.. -year:２０２０ region:\"德州市 陵城区\"");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->kind, Kind::kAnd);
  ASSERT_EQ(q->children.size(), 5u);
  EXPECT_EQ(q->children[0].kind, Kind::kLevel);
  EXPECT_EQ(q->children[0].level, Level::kCounty);
  EXPECT_EQ(ToAdminLevel(q->children[0].level), report::AdminLevel::kCounty);
  EXPECT_EQ(q->children[1].kind, Kind::kType);
  EXPECT_EQ(q->children[1].type, report::ReportType::kStatistical);
  EXPECT_EQ(q->children[2].kind, Kind::kYear);
  EXPECT_EQ(q->children[2].years, (YearRange{2018, std::nullopt}));
  ASSERT_EQ(q->children[3].kind, Kind::kNot);
  EXPECT_EQ(q->children[3].children[0].years, (YearRange{2020, 2020}));
  EXPECT_EQ(q->children[4].kind, Kind::kRegion);
  EXPECT_EQ(q->children[4].value, "德州市 陵城区");
}

TEST(QueryTest, EmptyQueryMatchesAll) {
  for (std::string_view q : {"", " ", "\t \u3000 ", "\n"}) {
    auto parsed = ParseQuery(q);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->kind, Kind::kMatchAll);
    EXPECT_EQ(parsed->ToString(), "ALL");
    EXPECT_EQ(parsed->ToQuery(), "");
  }
}

TEST(QueryTest, LineBreaksAreWhitespaceButStayInsidePhrases) {
  EXPECT_EQ(ParseToString("发展\n改革\r\n开放"),
            R"(AND(TEXT("发展"), TEXT("改革"), TEXT("开放")))");
  EXPECT_EQ(ParseToString("\"发展\n改革\""), R"(PHRASE("发展\x0a改革"))");
  EXPECT_EQ(ParseToString("“a\tb”"), R"(PHRASE("a\x09b"))");
}

TEST(QueryTest, ToStringEscapesQuotesAndBackslashes) {
  EXPECT_EQ(ParseToString("“他说\"好\"”"), R"(PHRASE("他说\"好\""))");
  EXPECT_EQ(ParseToString("C:\\dir"), R"(TEXT("C:\\dir"))");
  EXPECT_EQ(ParseToString(std::string_view("a\x01z\x7f", 4)), R"(TEXT("a\x01z\x7f"))");
}

TEST(QueryTest, ToQuerySpellsCanonically) {
  auto q = ParseQuery(
      "（乡村振兴　OR　脱贫攻坚） －“防疫” Level：县 type:gh year:2018－2023 "
      "region:「德州市 陵城区」 -(-a) -(--b) “say \"hi\"”");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->ToQuery(),
            "乡村振兴 OR 脱贫攻坚 -\"防疫\" level:county type:规划 year:2018..2023 "
            "region:\"德州市 陵城区\" a -(--b) “say \"hi\"”");
  ExpectRespells(*q, "canonical");
  auto nested = ParseQuery("(a b) OR c -(d OR e f)");
  ASSERT_TRUE(nested.ok()) << nested.status().ToString();
  EXPECT_EQ(nested->ToQuery(), "(a b) OR c -(d OR e f)");
  // The word OR: -OR negates it, and -(-OR) is the only way to search for it.
  for (std::string_view word_or : {"-OR", "-(-OR)", "a OR -(-OR)"}) {
    auto parsed = ParseQuery(word_or);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->ToQuery(), word_or);
    ExpectRespells(*parsed, word_or);
  }
}

TEST(QueryTest, ErrorsNameTheCharacterPosition) {
  // Positions count characters, not bytes: 高质量 is 3 characters, 9 bytes.
  EXPECT_EQ(ErrorOf("高质量 “发展"), "查询语法错误：第 5 个字符处的引号没有配对");
  EXPECT_EQ(ErrorOf("高质量 发展)"), "查询语法错误：第 7 个字符处的右括号没有配对");
  EXPECT_EQ(ErrorOf("level:abc"),
            "查询语法错误：第 7 个字符处的级别“abc”无法识别（可用：全国、省、市、县）");
  EXPECT_EQ(ErrorOf(std::string_view("发展\xe5\x8f", 8)),
            "查询编码错误：第 3 个字符处不是有效的 UTF-8");
}

TEST(QueryTest, LengthLimitIsInBytes) {
  const std::string max(kMaxQueryBytes, 'a');
  EXPECT_TRUE(ParseQuery(max).ok());
  EXPECT_EQ(ErrorOf(max + "a"), "查询过长：最多 2000 字节（当前 2001 字节）");
  // 667 Chinese characters are 2001 bytes.
  std::string han;
  for (int i = 0; i < 667; ++i) han += "发";
  EXPECT_EQ(ErrorOf(han), "查询过长：最多 2000 字节（当前 2001 字节）");
}

TEST(QueryTest, LeafLimit) {
  std::string q;
  for (int i = 0; i < kMaxLeaves; ++i) q += (i % 2 == 0 ? "a " : "-\"b\" ");
  auto ok = ParseQuery(q);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(CountLeaves(*ok), kMaxLeaves);
  EXPECT_EQ(ErrorOf(q + "region:山东"),
            "查询过于复杂：最多 64 个搜索词或筛选条件（第 225 个字符处超出）");
}

TEST(QueryTest, DepthLimit) {
  auto nest = [](int depth) { return std::string(depth, '(') + "a" + std::string(depth, ')'); };
  EXPECT_EQ(ParseToString(nest(kMaxDepth)), R"(TEXT("a"))");
  EXPECT_EQ(ErrorOf(nest(kMaxDepth + 1)), "查询嵌套过深：括号最多 16 层（第 17 个字符处超出）");
  // Negations nest only through parentheses, so the same limit holds.
  std::string negated;
  for (int i = 0; i <= kMaxDepth; ++i) negated += "-(";
  negated += "a" + std::string(kMaxDepth + 1, ')');
  EXPECT_EQ(ErrorOf(negated), "查询嵌套过深：括号最多 16 层（第 34 个字符处超出）");
}

TEST(QueryTest, DoubleNegationCancelsAndFlattens) {
  EXPECT_EQ(ParseToString("a -(-(b c))"), R"(AND(TEXT("a"), TEXT("b"), TEXT("c")))");
  EXPECT_EQ(ParseToString("a OR -(-(b OR c))"), R"(OR(TEXT("a"), TEXT("b"), TEXT("c")))");
  EXPECT_EQ(ParseToString("-(-(-a))"), R"(NOT(TEXT("a")))");
}

// Random strings over the characters the syntax cares about: ParseQuery
// never crashes, is deterministic, keeps its promises on the tree, and
// ToQuery() spells every tree so that it parses back to itself.
TEST(QueryPropertyTest, RandomSpecialStrings) {
  const std::vector<std::string> pieces = {
      "\"", "“",    "”",    "「",   "」",      "(",      ")",       "（",    "）",      "-",
      "－", ":",    "：",   " ",    " ",       "\t",     "\u3000",  "OR",    "OR",      "or",
      "a",  "b",    "中文", "發展", "region:", "level:", "type:",   "year:", "source:", "省",
      "县", "公报", "2020", "..",   "．．",    "\\",     "http://", "x:",    "--",      "-(",
  };
  std::mt19937 rng(20240229);
  int parsed = 0;
  int failed = 0;
  for (int iter = 0; iter < 2000; ++iter) {
    std::string q;
    const int len = static_cast<int>(rng() % 24);
    for (int i = 0; i < len; ++i) {
      if (rng() % 40 == 0) {
        q += static_cast<char>(0x80 + rng() % 0x80);  // usually breaks the UTF-8
      } else {
        q += pieces[rng() % pieces.size()];
      }
    }
    auto first = ParseQuery(q);
    auto second = ParseQuery(q);
    ASSERT_EQ(first.ok(), second.ok()) << q;
    if (!first.ok()) {
      ++failed;
      EXPECT_EQ(first.status().code(), StatusCode::kInvalidArgument) << q;
      EXPECT_EQ(first.status().message(), second.status().message()) << q;
      EXPECT_TRUE(first.status().message().starts_with("查询")) << first.status().message();
      continue;
    }
    ++parsed;
    EXPECT_TRUE(*first == *second) << q;
    EXPECT_LE(CountLeaves(*first), kMaxLeaves) << q;
    ExpectRespells(*first, q);
  }
  // Enough of both outcomes for the test to mean something.
  EXPECT_GE(parsed, 200);
  EXPECT_GE(failed, 200);
}

}  // namespace
}  // namespace baogao::search
