// SlotGzip (gzip spliced around slots) against zlib's own inflate, and
// Accept-Encoding parsing.
#include "web/slot_gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "../common/gunzip.h"
#include "web/http.h"

namespace baogao::web {
namespace {

using testing::Gunzip;

std::string Slot(char letter) { return std::string("\x01") + letter + "\x01"; }

TEST(SlotGzipTest, SplicedEqualsPlain) {
  const std::string page = "<p>点击量 " + Slot('V') + "</p><form><input value=\"" + Slot('C') +
                           "\">" + std::string(3000, 'x') + Slot('T') + "尾";
  auto g = SlotGzip::Make(page);
  ASSERT_TRUE(g.has_value());
  std::string_view values[128];
  values['V'] = "12";
  values['C'] = "csrf-token";
  values['T'] = std::string_view();  // empty, with a null data()
  const std::string plain = FillSlots(page, values);
  EXPECT_EQ(plain,
            "<p>点击量 12</p><form><input value=\"csrf-token\">" + std::string(3000, 'x') + "尾");
  EXPECT_EQ(Gunzip(g->Fill(values)), plain);
  EXPECT_LT(g->compressed_bytes(), 200u) << "the fixed text is compressed";
  EXPECT_EQ(g->fixed_bytes(), plain.size() - 12);
}

TEST(SlotGzipTest, EdgeCases) {
  std::string_view values[128];
  values['A'] = "a";
  std::string big(70000, 'b');  // a value over one stored block's 65,535 bytes
  values['B'] = big;
  for (const std::string& page :
       {std::string(), Slot('A'), Slot('A') + Slot('B') + Slot('A'), std::string("x\x01y"),
        std::string("\x01"), std::string("ab\x01"), std::string("\x01Z"), Slot('Q') + "q",
        std::string("\x01\x01\x01") + Slot('A'), std::string("a\x01\xe4\x01b")}) {
    auto g = SlotGzip::Make(page);
    ASSERT_TRUE(g.has_value());
    EXPECT_EQ(Gunzip(g->Fill(values)), FillSlots(page, values)) << page.size();
  }
  EXPECT_EQ(FillSlots(std::string("x\x01y"), values), "xy") << "a lone \\x01 is dropped";
  EXPECT_EQ(FillSlots(Slot('A') + Slot('Q'), values), "a") << "a slot without a value is empty";
}

TEST(SlotGzipTest, RandomPagesAndValues) {
  std::mt19937 rng(20261129);
  const std::string alphabet[] = {"a", "<", "\"", "发展", "\x01", "T", "V", "\n", "0"};
  for (int round = 0; round < 300; ++round) {
    std::string page;
    const int parts = static_cast<int>(rng() % 40);
    for (int i = 0; i < parts; ++i) {
      if (rng() % 5 == 0) {
        page += Slot("TCNPV"[rng() % 5]);
      } else {
        const int n = static_cast<int>(rng() % 200);
        for (int k = 0; k < n; ++k) page += alphabet[rng() % std::size(alphabet)];
      }
    }
    std::string owned[5];
    std::string_view values[128];
    for (int i = 0; i < 5; ++i) {
      owned[i] = std::string(rng() % 64, static_cast<char>('a' + i));  // some empty
      values[static_cast<unsigned char>("TCNPV"[i])] = owned[i];
    }
    auto g = SlotGzip::Make(page);
    ASSERT_TRUE(g.has_value());
    ASSERT_EQ(Gunzip(g->Fill(values)), FillSlots(page, values)) << "round " << round;
  }
}

TEST(AcceptsGzipTest, Weights) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, gzip;q=0.8, *;q=0.1"));
  EXPECT_TRUE(AcceptsGzip("gzip;q=0.001"));
  EXPECT_TRUE(AcceptsGzip("gzip;q=1"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("deflate, br"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.0"));
}

}  // namespace
}  // namespace baogao::web
