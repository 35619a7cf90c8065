// `baogao init`, `list`, `show` and `delete`: the store, from the command line.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "commands.h"
#include "report/report.h"
#include "store/store.h"

namespace baogao::cli {
namespace {

constexpr const char* kDefaultDb = "./baogao.db";

void AddDbOption(CLI::App* cmd, std::string* db) {
  cmd->add_option("--db", *db, "Database: a SQLite file path (or sqlite:PATH)")
      ->capture_default_str();
}

Result<std::unique_ptr<store::Store>> Open(const std::string& db, bool create) {
  store::StoreOptions opts;
  opts.url = db;
  opts.create_if_missing = create;
  return store::OpenStore(opts);
}

int Fail(std::string_view cmd, const Status& st) {
  std::fprintf(stderr, "baogao %.*s: %s\n", static_cast<int>(cmd.size()), cmd.data(),
               st.ToString().c_str());
  return st.code() == StatusCode::kNotFound ? 3 : 1;
}

std::string RegionText(const report::Report& r) {
  return r.region ? r.region->ToString() : "未识别";
}

struct ListArgs {
  std::string db = kDefaultDb;
  std::string region;
  std::optional<int> year;
  std::string type;
  bool unresolved = false;
  int64_t limit = 100;
  int64_t offset = 0;
  bool json = false;
};

int RunList(const ListArgs& a) {
  store::ListFilter f;
  if (!a.region.empty()) {
    auto code = report::RegionCode::Parse(a.region);
    if (!code.ok()) return Fail("list", code.status());
    f.region = *code;
  }
  f.year = a.year;
  if (!a.type.empty()) {
    auto t = report::ReportTypeFromSlug(a.type);
    if (!t.ok()) return Fail("list", t.status());
    f.type = *t;
  }
  f.unresolved_region_only = a.unresolved;
  f.limit = a.limit;
  f.offset = a.offset;
  auto st = Open(a.db, /*create=*/false);
  if (!st.ok()) return Fail("list", st.status());
  auto reports = (*st)->List(f);
  if (!reports.ok()) return Fail("list", reports.status());
  for (const report::Report& r : *reports) {
    if (a.json) {
      std::printf("%s\n", report::ToJson(r).c_str());
    } else {
      std::printf("%6lld  %-8s  %-6s  %4d  %s\n", static_cast<long long>(r.id.value()),
                  std::string(report::ReportTypeSlug(r.type)).c_str(), RegionText(r).c_str(),
                  r.year, r.title.c_str());
    }
  }
  return 0;
}

int RunShow(const std::string& db, int64_t id, bool json) {
  auto st = Open(db, /*create=*/false);
  if (!st.ok()) return Fail("show", st.status());
  auto r = (*st)->Get(report::ReportId(id));
  if (!r.ok()) return Fail("show", r.status());
  if (json) {
    std::printf("%s\n", report::ToJson(*r, {.indent = 2}).c_str());
    return 0;
  }
  std::printf("%s\n", r->title.c_str());
  std::printf("id %lld · %s · %s · %s · %d%s\n", static_cast<long long>(r->id.value()),
              std::string(report::ReportTypeName(r->type)).c_str(), RegionText(*r).c_str(),
              std::string(report::AdminLevelName(r->level)).c_str(), r->year,
              r->date ? (" · " + r->date->ToString()).c_str() : "");
  if (!r->source_url.empty()) std::printf("source: %s\n", r->source_url.c_str());
  std::printf("\n");
  for (const report::Paragraph& p : r->body) {
    std::printf("%s%s\n", p.level > 0 ? std::string(2 * (p.level - 1), ' ').c_str() : "  ",
                p.text.c_str());
  }
  return 0;
}

}  // namespace

void RegisterStore(CLI::App& app, int* exit_code) {
  {
    auto db = std::make_shared<std::string>(kDefaultDb);
    CLI::App* cmd = app.add_subcommand("init", "Create (or upgrade) the database");
    AddDbOption(cmd, db.get());
    cmd->callback([db, exit_code] {
      auto st = Open(*db, /*create=*/true);
      if (!st.ok()) {
        *exit_code = Fail("init", st.status());
        return;
      }
      std::printf("%s (schema version %d)\n", (*st)->Describe().c_str(),
                  store::CurrentSchemaVersion());
    });
  }
  {
    auto a = std::make_shared<ListArgs>();
    CLI::App* cmd = app.add_subcommand("list", "List stored reports, newest year first");
    AddDbOption(cmd, &a->db);
    cmd->add_option("--region", a->region, "Only this GB/T 2260 code (6 digits)");
    cmd->add_option("--year", a->year, "Only this year")->check(CLI::Range(1900, 2100));
    cmd->add_option("--type", a->type, "Only this type: baogao, gongbao, guihua or other")
        ->check(CLI::IsMember({"baogao", "gongbao", "guihua", "other"}));
    cmd->add_flag("--unresolved", a->unresolved, "Only reports whose region is not resolved");
    cmd->add_option("--limit", a->limit, "At most this many")->check(CLI::Range(0, 1000000));
    cmd->add_option("--offset", a->offset, "Skip this many first")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--json", a->json, "One JSON object per report");
    cmd->callback([a, exit_code] { *exit_code = RunList(*a); });
  }
  {
    auto db = std::make_shared<std::string>(kDefaultDb);
    auto id = std::make_shared<int64_t>(0);
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("show", "Print one report, with every field");
    AddDbOption(cmd, db.get());
    cmd->add_option("ID", *id, "Report id")->required()->check(CLI::PositiveNumber);
    cmd->add_flag("--json", *json, "Every field as JSON; the body as [{level, text}]");
    cmd->callback([db, id, json, exit_code] { *exit_code = RunShow(*db, *id, *json); });
  }
  {
    auto db = std::make_shared<std::string>(kDefaultDb);
    auto id = std::make_shared<int64_t>(0);
    CLI::App* cmd = app.add_subcommand("delete", "Delete one report (recorded in the change log)");
    AddDbOption(cmd, db.get());
    cmd->add_option("ID", *id, "Report id")->required()->check(CLI::PositiveNumber);
    cmd->callback([db, id, exit_code] {
      auto st = Open(*db, /*create=*/false);
      if (!st.ok()) {
        *exit_code = Fail("delete", st.status());
        return;
      }
      Status s = (*st)->Delete(report::ReportId(*id));
      if (!s.ok()) {
        *exit_code = Fail("delete", s);
        return;
      }
      std::printf("deleted report %lld\n", static_cast<long long>(*id));
    });
  }
}

}  // namespace baogao::cli
