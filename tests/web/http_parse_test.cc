// The request parser (web/http_parse.h): heads, limits, framing rules that
// keep a proxy and the server agreeing on where a request ends, chunked
// bodies fed in pieces.
#include "web/http_parse.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace baogao::web {
namespace {

struct Parsed {
  ParseState state;
  RequestHead head;
  int error = 0;
};

Parsed Parse(std::string_view in, HttpLimits limits = {}) {
  Parsed p;
  p.state = ParseRequestHead(in, limits, &p.head, &p.error);
  return p;
}

int ErrorOf(std::string_view in, HttpLimits limits = {}) {
  Parsed p = Parse(in, limits);
  return p.state == ParseState::kError ? p.error : 0;
}

TEST(HttpParseTest, ParsesARequestHead) {
  const std::string in =
      "GET /search?q=%E5%8F%91 HTTP/1.1\r\nHost: example.org\r\nAccept-Encoding:  gzip \r\n"
      "X-Empty:\r\n\r\nNEXT";
  Parsed p = Parse(in);
  ASSERT_EQ(p.state, ParseState::kComplete);
  EXPECT_EQ(p.head.method, "GET");
  EXPECT_EQ(p.head.target, "/search?q=%E5%8F%91");
  EXPECT_EQ(p.head.version, 11);
  ASSERT_EQ(p.head.fields.size(), 3u);
  EXPECT_EQ(p.head.fields[1].first, "Accept-Encoding");
  EXPECT_EQ(p.head.fields[1].second, "gzip");
  EXPECT_EQ(p.head.fields[2].second, "");
  EXPECT_EQ(p.head.size, in.size() - 4);
  EXPECT_TRUE(p.head.keep_alive);
  EXPECT_FALSE(p.head.chunked);
  EXPECT_EQ(p.head.content_length, 0);
}

TEST(HttpParseTest, EveryPrefixIsIncompleteNotAnError) {
  const std::string in =
      "\r\nPOST /comment HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\n";
  for (size_t n = 0; n < in.size(); ++n) {
    Parsed p = Parse(in.substr(0, n));
    EXPECT_EQ(p.state, ParseState::kIncomplete) << n;
  }
  Parsed p = Parse(in);
  ASSERT_EQ(p.state, ParseState::kComplete);
  EXPECT_EQ(p.head.size, in.size());
  EXPECT_EQ(p.head.content_length, 5);
  EXPECT_FALSE(p.head.keep_alive);
}

TEST(HttpParseTest, KeepAliveFollowsVersionAndConnection) {
  EXPECT_FALSE(Parse("GET / HTTP/1.0\r\n\r\n").head.keep_alive);
  EXPECT_TRUE(Parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").head.keep_alive);
  EXPECT_FALSE(
      Parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, CLOSE\r\n\r\n").head.keep_alive);
  EXPECT_TRUE(Parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\n\r\n").head.keep_alive);
}

TEST(HttpParseTest, RefusesMalformedHeads) {
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\n\r\n"), 400);                        // no Host
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);  // two Hosts
  EXPECT_EQ(ErrorOf("GET  / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1 \r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET /\tx HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("G(T / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET / HTTQ/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400);            // space before colon
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"), 400);  // obs-fold
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\nHost: x\r\n\r\n"), 400);  // bare LF
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf(std::string("GET / HTTP/1.1\r\nHost: x\0y\r\n\r\n", 30)), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: \x01\r\n\r\n"), 400);
}

TEST(HttpParseTest, FramingThatCouldSmuggleIsRefused) {
  // Two different lengths, a length that is not a number, both framings.
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
            400);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x5\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"),
            400);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n"),
            400);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), 501);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n"),
            501);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  // The same length twice is one length.
  Parsed same =
      Parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n");
  ASSERT_EQ(same.state, ParseState::kComplete);
  EXPECT_EQ(same.head.content_length, 5);
  Parsed chunked = Parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n");
  ASSERT_EQ(chunked.state, ParseState::kComplete);
  EXPECT_TRUE(chunked.head.chunked);
}

TEST(HttpParseTest, LimitsHoldOnIncompleteInput) {
  HttpLimits limits;
  limits.max_header_line = 100;
  limits.max_header_total = 1000;
  limits.body_limit = 10;
  // A line over the limit is refused before its end arrives.
  EXPECT_EQ(ErrorOf("GET /" + std::string(200, 'a'), limits), 414);
  EXPECT_EQ(ErrorOf("GET /" + std::string(200, 'a') + " HTTP/1.1", limits), 414);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nX: " + std::string(200, 'a'), limits), 431);
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  while (many.size() < 1200) many += "X-A: " + std::string(50, 'b') + "\r\n";
  EXPECT_EQ(ErrorOf(many, limits), 431);
  EXPECT_EQ(ErrorOf(many + "\r\n", limits), 431);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", limits), 413);
  EXPECT_EQ(ErrorOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n", limits), 0);
  std::string fields = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 300; ++i) fields += "A:\r\n";
  EXPECT_EQ(ErrorOf(fields + "\r\n"), 431);
}

TEST(HttpParseTest, ExpectContinueOnlyWithABody) {
  EXPECT_TRUE(
      Parse("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n")
          .head.expect_continue);
  EXPECT_FALSE(
      Parse("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n").head.expect_continue);
}

// Decodes `in` fed in pieces of the given size; "" with *error set on error.
std::string Dechunk(std::string_view in, size_t piece, int* error, int64_t limit = 1 << 20) {
  ChunkedDecoder d(limit);
  std::string body;
  std::string pending;
  size_t fed = 0;
  *error = 0;
  while (true) {
    const size_t n = std::min(piece, in.size() - fed);
    pending.append(in.substr(fed, n));
    fed += n;
    size_t used = 0;
    const ParseState st = d.Feed(pending, &used, &body, error);
    pending.erase(0, used);
    if (st == ParseState::kError) return "";
    if (st == ParseState::kComplete) {
      EXPECT_TRUE(pending.empty() || fed < in.size() || pending == "NEXT");
      return body;
    }
    if (fed == in.size()) {
      *error = -1;  // incomplete
      return "";
    }
  }
}

TEST(HttpParseTest, ChunkedBodiesInAnyPieces) {
  const std::string in =
      "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: 1\r\n\r\n";
  for (size_t piece : {1u, 2u, 3u, 7u, 1000u}) {
    int error = 0;
    EXPECT_EQ(Dechunk(in, piece, &error), "helloabcdefghijklmnopqrstuvwxyz") << piece;
    EXPECT_EQ(error, 0);
  }
  int error = 0;
  EXPECT_EQ(Dechunk("0\r\n\r\n", 1, &error), "");
  EXPECT_EQ(error, 0);
}

TEST(HttpParseTest, ChunkedErrors) {
  int error = 0;
  Dechunk("zz\r\nhello\r\n0\r\n\r\n", 100, &error);
  EXPECT_EQ(error, 400);
  Dechunk("5\r\nhelloXX0\r\n\r\n", 100, &error);
  EXPECT_EQ(error, 400);
  Dechunk("\r\n", 100, &error);
  EXPECT_EQ(error, 400);
  Dechunk("b\r\nhello world\r\n0\r\n\r\n", 100, &error, 10);
  EXPECT_EQ(error, 413);
  Dechunk("6\r\nhello \r\n6\r\nworld!\r\n0\r\n\r\n", 100, &error, 10);
  EXPECT_EQ(error, 413);
  Dechunk("ffffffffffffffffffff\r\n", 100, &error);
  EXPECT_EQ(error, 413);
  Dechunk(std::string(2000, '1'), 100, &error);
  EXPECT_EQ(error, 400);
  Dechunk("5\r\nhello\r\n0\r\nbad trailer\r\n\r\n", 100, &error);
  EXPECT_EQ(error, 400);
  Dechunk("5\r\nhello\r\n", 100, &error);
  EXPECT_EQ(error, -1);
}

TEST(HttpParseTest, RandomBytesNeverCrashOrOverrun) {
  std::mt19937 rng(7);
  const std::string alphabet = "GET /HTP1.\r\n: Hostx-Content-Length0123456789chunked\t";
  for (int i = 0; i < 20000; ++i) {
    std::string in;
    const size_t n = rng() % 120;
    for (size_t k = 0; k < n; ++k) in.push_back(alphabet[rng() % alphabet.size()]);
    Parsed p = Parse(in);
    if (p.state == ParseState::kComplete) {
      ASSERT_LE(p.head.size, in.size());
      ASSERT_GE(p.head.content_length, 0);
    }
  }
}

TEST(HttpParseTest, ReasonPhrases) {
  EXPECT_STREQ(ReasonPhrase(200), "OK");
  EXPECT_STREQ(ReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_STREQ(ReasonPhrase(799), "Unknown");
}

}  // namespace
}  // namespace baogao::web
