// The reports crash_writer writes, so that store_test can check each one it
// finds is whole: report number n is fully determined by n.
#ifndef BAOGAO_TESTS_STORE_CRASH_REPORT_H_
#define BAOGAO_TESTS_STORE_CRASH_REPORT_H_

#include <string>

#include "report/report.h"

namespace baogao::store::testing {

inline report::Report CrashReport(int n) {
  report::Report r;
  r.type = report::ReportType::kGovernmentWork;
  r.region = *report::RegionCode::FromInt(370000 + (n % 17) * 100);
  r.level = report::AdminLevel::kPrefecture;
  r.title = "崩溃测试报告 " + std::to_string(n);
  r.year = 2000 + n % 25;
  r.source_url = "http://example.org/crash/" + std::to_string(n);
  const int paragraphs = 1 + n % 23;
  for (int k = 0; k < paragraphs; ++k) {
    std::string text;
    for (int rep = 0; rep <= (n + k) % 40; ++rep) {
      text += "第" + std::to_string(n) + "份第" + std::to_string(k) + "段，演示数据。";
    }
    r.body.push_back({k % 3, std::move(text)});
  }
  return r;
}

}  // namespace baogao::store::testing

#endif  // BAOGAO_TESTS_STORE_CRASH_REPORT_H_
