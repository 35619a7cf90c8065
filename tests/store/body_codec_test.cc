// The body encoding of the SQLite store (store/internal/body_codec.h): exact
// round trips for any bytes, the exact text it writes, what it refuses, and
// agreement with SQLite's own JSON functions (which the `paragraphs` view
// uses) in both directions.
#include "store/internal/body_codec.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <random>
#include <string>
#include <vector>

#include "base/check.h"
#include "text/text.h"

namespace baogao::store::internal {
namespace {

using report::Paragraph;

std::string Encode(const std::vector<Paragraph>& body) {
  std::string out;
  EncodeBody(body, &out);
  return out;
}

std::vector<Paragraph> Decode(std::string_view json) {
  std::vector<Paragraph> out = {{3, "left over"}};
  const Status s = DecodeBody(json, &out);
  EXPECT_TRUE(s.ok()) << s.ToString() << " for " << json;
  return out;
}

void ExpectRoundTrip(const std::vector<Paragraph>& body) {
  const std::string json = Encode(body);
  // Only well-formed UTF-8 is copied: the output is UTF-8 whatever the input.
  EXPECT_TRUE(text::IsValidUtf8(json)) << json;
  std::vector<Paragraph> back;
  const Status s = DecodeBody(json, &back);
  ASSERT_TRUE(s.ok()) << s.ToString() << " for " << json;
  ASSERT_EQ(back.size(), body.size()) << json;
  for (size_t i = 0; i < body.size(); ++i) {
    EXPECT_EQ(back[i].level, body[i].level) << "paragraph " << i << " of " << json;
    EXPECT_EQ(back[i].text, body[i].text) << "paragraph " << i << " of " << json;
  }
}

// An in-memory SQLite connection, for the JSON functions.
class Sqlite {
 public:
  Sqlite() { CHECK(sqlite3_open(":memory:", &db_) == SQLITE_OK); }
  ~Sqlite() { sqlite3_close(db_); }

  // Rows of `sql` with ?1 bound to `text`: each row's columns as bytes.
  std::vector<std::vector<std::string>> Query(const std::string& sql, std::string_view text) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    sqlite3_bind_text64(stmt, 1, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    std::vector<std::vector<std::string>> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        row.emplace_back(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
      }
      rows.push_back(std::move(row));
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(BodyCodecTest, WritesCompactJson) {
  EXPECT_EQ(Encode({}), "[]");
  EXPECT_EQ(Encode({{1, "一、总体要求"}, {0, ""}}), R"([[1,"一、总体要求"],[0,""]])");
  EXPECT_EQ(Encode({{4, "a\"b\\c/d\b\f\n\r\t\x7f"}}), R"([[4,"a\"b\\c/d\b\f\n\r\t)"
                                                      "\x7f"
                                                      R"("]])");
  EXPECT_EQ(Encode({{0, std::string("\0\x01\x1f", 3)}}), R"([[0,"\u0000\u0001\u001f"]])");
  // Text that looks like an escape stays text.
  EXPECT_EQ(Encode({{0, "\\udc80"}}), R"([[0,"\\udc80"]])");
  // Valid UTF-8 of every length is copied; nothing else is.
  EXPECT_EQ(Encode({{0, "\u00e9\u4e2d\U0001F600"}}), "[[0,\"\u00e9\u4e2d\U0001F600\"]]");
  EXPECT_EQ(Encode({{0, "\xff"}}), R"([[0,"\udcff"]])");
  EXPECT_EQ(Encode({{0, "a\xe4\xb8"}}), R"([[0,"a\udce4\udcb8"]])");          // truncated
  EXPECT_EQ(Encode({{0, "\xc0\xaf"}}), R"([[0,"\udcc0\udcaf"]])");            // overlong
  EXPECT_EQ(Encode({{0, "\xed\xa0\x80"}}), R"([[0,"\udced\udca0\udc80"]])");  // surrogate
  EXPECT_EQ(Encode({{0, "\xf4\x90\x80\x80"}}),
            R"([[0,"\udcf4\udc90\udc80\udc80"]])");  // above U+10FFFF
  EXPECT_EQ(Encode({{0, "\x80\xe4\xb8\xad"}}), "[[0,\"\\udc80\u4e2d\"]]");
  // Three-byte leads at the end of the text, and the two with narrower
  // second bytes (E0: no overlongs, ED: no surrogates).
  EXPECT_EQ(Encode({{0, "\xe1\x80\x80\xef\xbf\xbf"}}), "[[0,\"\xe1\x80\x80\xef\xbf\xbf\"]]");
  EXPECT_EQ(Encode({{0, "\xe1\x80"}}), R"([[0,"\udce1\udc80"]])");
  EXPECT_EQ(Encode({{0, "\xef"}}), R"([[0,"\udcef"]])");
  EXPECT_EQ(Encode({{0, "\xe0\xa0\x80\xed\x9f\xbf"}}), "[[0,\"\xe0\xa0\x80\xed\x9f\xbf\"]]");
  EXPECT_EQ(Encode({{0, "\xe0\x9f\xbf"}}), R"([[0,"\udce0\udc9f\udcbf"]])");
  EXPECT_EQ(Encode({{0, "\xe1\xc0\x80"}}), R"([[0,"\udce1\udcc0\udc80"]])");
}

TEST(BodyCodecTest, HostileTextRoundTrips) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte.push_back(static_cast<char>(b));
  ExpectRoundTrip({});
  ExpectRoundTrip({{0, ""}});
  ExpectRoundTrip({{0, every_byte}, {1, every_byte + every_byte}});
  ExpectRoundTrip({{0, std::string("\0\0", 2)},
                   {2, "\"'\\%_*"},
                   {3, "\\u0000 \\udc80 \\ud800 \\"},
                   {4, "]],[0,\"injected\"],[[0,\""},
                   {0, "\xed\xb2\x80"},  // what SQLite writes for \udc80
                   {0, "\xef\xbf\xbd\xef\xbf\xbe"},
                   {0, std::string(100000, 'z')}});
  // Random bytes, and random mixes of tricky pieces.
  std::mt19937 rng(20240611);
  const std::vector<std::string> pieces = {
      "\"",       "\\",   "\\u",  "dc80",     "\n",     std::string(1, '\0'), "\x7f",     "\x80",
      "\xbf",     "\xc2", "\xe4", "\xe4\xb8", "\u4e2d", "\U0001F600",         "\xf0\x9f", "\xed",
      "\xa0\x80", "[",    "]",    ","};
  for (int round = 0; round < 2000; ++round) {
    std::vector<Paragraph> body;
    const int n = static_cast<int>(rng() % 5);
    for (int i = 0; i < n; ++i) {
      std::string text;
      const int len = static_cast<int>(rng() % 40);
      for (int k = 0; k < len; ++k) {
        if (round % 2 == 0) {
          text.push_back(static_cast<char>(rng() & 0xFF));
        } else {
          text += pieces[rng() % pieces.size()];
        }
      }
      body.push_back({static_cast<int>(rng() % 5), std::move(text)});
    }
    ExpectRoundTrip(body);
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(BodyCodecTest, ReadsOtherSpellingsOfTheSameJson) {
  EXPECT_EQ(Decode(" [ ] "), std::vector<Paragraph>{});
  EXPECT_EQ(Decode("\n[ [ 1 ,\t\"a\" ] ,\r\n[0,\"b\"] ]\n"),
            (std::vector<Paragraph>{{1, "a"}, {0, "b"}}));
  EXPECT_EQ(Decode(R"([[0,"\/\u4E2D\u4e2d\ud83d\ude00\u0041\u0000"]])"),
            (std::vector<Paragraph>{{0, std::string("/\u4e2d\u4e2d\U0001F600A\0", 13)}}));
}

TEST(BodyCodecTest, RefusesWhatItDidNotWrite) {
  const char* bad[] = {
      "",
      "[",
      "{}",
      "[[0,\"a\"]",
      "[[0,\"a\"]]x",
      "[[0,\"a\"],]",
      "[[0,\"a\",1]]",
      "[[0]]",
      "[0,\"a\"]",
      "[[5,\"a\"]]",
      "[[-1,\"a\"]]",
      "[[01,\"a\"]]",
      "[[1.0,\"a\"]]",
      "[[99999999999999999999,\"a\"]]",
      "[[\"0\",\"a\"]]",
      "[[0,a]]",
      "[[0,\"a]]",
      "[[0,\"a\nb\"]]",     // a raw control character
      "[[0,\"\\x\"]]",      // no such escape
      "[[0,\"\\u12\"]]",    // short
      "[[0,\"\\u12g4\"]]",  // not hex
      "[[0,\"\\ud800\"]]",  // a lone high surrogate
      "[[0,\"\\ud800\\u0041\"]]",
      "[[0,\"\\udc00\"]]",  // a lone low surrogate that is no byte
      "[[0,\"\\udc7f\"]]",
      "[[0,\"\\",
  };
  for (const char* json : bad) {
    std::vector<Paragraph> body;
    const Status s = DecodeBody(json, &body);
    EXPECT_EQ(s.code(), StatusCode::kCorrupt) << json << ": " << s.ToString();
    EXPECT_NE(s.message().find("byte "), std::string::npos) << s.message();
  }
}

// The `paragraphs` view reads bodies with json_each/json_extract: for UTF-8
// text without NUL (what SQLite's JSON functions can return) it sees what
// the store sees.
TEST(BodyCodecTest, SqliteReadsWhatWeWrite) {
  Sqlite db;
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<Paragraph> body;
    const int n = static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      std::string text;
      const int len = static_cast<int>(rng() % 30);
      for (int k = 0; k < len; ++k) {
        const uint32_t kind = rng() % 4;
        char32_t cp;
        if (kind == 0) {
          cp = 1 + rng() % 0x7F;  // ASCII incl. controls, '"', '\'
        } else if (kind == 1) {
          cp = 0x4E00 + rng() % 0x5200;  // CJK
        } else if (kind == 2) {
          cp = 0x80 + rng() % (0xD800 - 0x80);
        } else {
          cp = 0x10000 + rng() % 0x100000;
        }
        text::AppendUtf8(cp, &text);
      }
      body.push_back({static_cast<int>(rng() % 5), std::move(text)});
    }
    const std::string json = Encode(body);
    ASSERT_EQ(db.Query("SELECT json_valid(?1)", json),
              (std::vector<std::vector<std::string>>{{"1"}}))
        << json;
    const auto rows = db.Query(
        "SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1)",
        json);
    ASSERT_EQ(rows.size(), body.size()) << json;
    for (size_t i = 0; i < body.size(); ++i) {
      EXPECT_EQ(rows[i][0], std::to_string(i));
      EXPECT_EQ(rows[i][1], std::to_string(body[i].level));
      EXPECT_EQ(rows[i][2], body[i].text) << json;
    }
  }
  // Invalid bytes stay valid JSON too (SQLite shows each as U+DCXX).
  EXPECT_EQ(db.Query("SELECT json_valid(?1)", Encode({{0, "\xff\xe4\xb8 \x80"}})),
            (std::vector<std::vector<std::string>>{{"1"}}));
}

// And the other way: what SQLite's json_array/json_group_array write (its
// escapes, NUL included) decodes to the same paragraphs.
TEST(BodyCodecTest, WeReadWhatSqliteWrites) {
  Sqlite db;
  const std::string text = std::string("a\"b\\c/\n\t\x01\x7f", 10) + std::string(1, '\0') +
                           "\u4e2d\U0001F600" + "\\udc80";
  const auto rows = db.Query(
      "SELECT json_group_array(json_array(level, t)) FROM "
      "(SELECT 2 AS level, ?1 AS t UNION ALL SELECT 0, 'x')",
      text);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Decode(rows[0][0]), (std::vector<Paragraph>{{2, text}, {0, "x"}})) << rows[0][0];
}

}  // namespace
}  // namespace baogao::store::internal
