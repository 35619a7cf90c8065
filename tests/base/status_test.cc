#include "base/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "base/check.h"

namespace baogao {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return Status::InvalidArgument("not positive: " + std::to_string(v));
  return v;
}

Status UsesMacros(int v, int* out) {
  BAOGAO_ASSIGN_OR_RETURN(int x, ParsePositive(v));
  BAOGAO_RETURN_IF_ERROR(x > 100 ? Status::ResourceExhausted("too big") : Status::Ok());
  *out = x;
  return Status::Ok();
}

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = Status::NotFound("no such report 7");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "not found: no such report 7");
  EXPECT_EQ(Status::Ok().ToString(), "ok");
}

TEST(StatusTest, ResultCarriesValueOrStatus) {
  Result<int> good = ParsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  Result<int> bad = ParsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "not positive: -1");
  Result<std::unique_ptr<int>> moved(std::make_unique<int>(5));
  std::unique_ptr<int> p = std::move(moved).value();
  EXPECT_EQ(*p, 5);
}

TEST(StatusTest, Macros) {
  int out = 0;
  EXPECT_TRUE(UsesMacros(7, &out).ok());
  EXPECT_EQ(out, 7);
  EXPECT_EQ(UsesMacros(0, &out).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(UsesMacros(101, &out).code(), StatusCode::kResourceExhausted);
}

TEST(CheckDeathTest, FailedCheckAborts) {
  EXPECT_DEATH(CHECK(1 + 1 == 3) << "arithmetic", "CHECK failed.*1 \\+ 1 == 3.*arithmetic");
}

TEST(CheckDeathTest, ValueOfErrorResultAborts) {
  EXPECT_DEATH((void)ParsePositive(0).value(), "not positive: 0");
}

}  // namespace
}  // namespace baogao
