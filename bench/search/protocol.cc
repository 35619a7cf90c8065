#include "protocol.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

namespace baogao::bench {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::vector<Json> ReadJsonLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<Json> out;
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    try {
      out.push_back(Json::parse(line));
    } catch (const Json::exception& e) {
      throw std::runtime_error(path + ":" + std::to_string(line_no) + ": " + e.what());
    }
  }
  return out;
}

// Peak resident set of this process image: VmHWM, which unlike ru_maxrss
// does not carry a parent's peak across vfork+exec.
long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

// Anonymous resident memory of this process now (RssAnon): what the process
// holds beyond the page cache, which its mmap'd and read files are in.
long AnonRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("RssAnon:", 0) == 0) return std::stol(line.substr(8));
  }
  return -1;
}

void PrintLine(const Json& j) { std::printf("%s\n", j.dump().c_str()); }

int Usage(const std::string& name) {
  std::fprintf(stderr,
               "usage: %s build CORPUS.jsonl INDEX_DIR\n"
               "       %s query INDEX_DIR QUERIES.jsonl [--rounds R]\n",
               name.c_str(), name.c_str());
  return 2;
}

int Build(const std::string& name, Engine& engine, const std::string& corpus,
          const std::string& index_dir) {
  if (fs::exists(index_dir) && !fs::is_empty(index_dir)) {
    throw std::runtime_error("index directory is not empty: " + index_dir);
  }
  fs::create_directories(index_dir);
  int64_t text_bytes = 0;
  const std::vector<Report> reports = LoadCorpus(corpus, &text_bytes);
  const auto start = std::chrono::steady_clock::now();
  engine.Build(reports, index_dir);
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  PrintLine({{"engine", name},
             {"build_seconds", seconds.count()},
             {"index_bytes", DiskUsage(index_dir)},
             {"docs", reports.size()},
             {"text_bytes", text_bytes}});
  return 0;
}

int QueryAll(const std::string& name, Engine& engine, const std::string& index_dir,
             const std::string& queries_path, int rounds) {
  const std::vector<Query> queries = LoadQueries(queries_path);
  engine.Open(index_dir);
  struct Run {
    size_t query;
    std::string shape;
    std::vector<double> ms;
    QueryResult result;
  };
  std::vector<Run> runs;
  for (size_t i = 0; i < queries.size(); ++i) {
    for (std::string& shape : engine.Shapes(queries[i]))
      runs.push_back({i, std::move(shape), {}, {}});
  }
  // Round 0 warms caches up and is not timed; every round runs all queries in
  // file order, so a query does not find its own pages hot from the round before.
  long peak_anon_kb = AnonRssKb();
  for (int round = 0; round < rounds; ++round) {
    for (Run& run : runs) {
      const auto start = std::chrono::steady_clock::now();
      QueryResult result = engine.Run(queries[run.query], run.shape);
      const std::chrono::duration<double, std::milli> ms = std::chrono::steady_clock::now() - start;
      if (round > 0 && result.supported) run.ms.push_back(ms.count());
      run.result = std::move(result);
      peak_anon_kb = std::max(peak_anon_kb, AnonRssKb());  // outside the timed call
    }
  }
  for (const Run& run : runs) {
    PrintLine({{"qid", run.query},
               {"shape", run.shape},
               {"ms", run.ms},
               {"total", run.result.total},
               {"exact", run.result.exact},
               {"hits", run.result.hits},
               {"snippet_bytes", run.result.snippet_bytes},
               {"supported", run.result.supported},
               {"note", run.result.note}});
  }
  PrintLine({{"engine", name}, {"rss_kb", PeakRssKb()}, {"rss_anon_kb", peak_anon_kb}});
  return 0;
}

}  // namespace

std::vector<Report> LoadCorpus(const std::string& path, int64_t* text_bytes) {
  std::vector<Report> reports;
  *text_bytes = 0;
  for (const Json& j : ReadJsonLines(path)) {
    Report r;
    r.id = j.at("id").get<int64_t>();
    r.region = j.at("region").get<std::string>();
    r.level = j.at("level").get<std::string>();
    r.year = j.at("year").get<int>();
    r.type = j.at("type").get<std::string>();
    r.title = j.at("title").get<std::string>();
    r.paragraphs = j.at("paragraphs").get<std::vector<std::string>>();
    *text_bytes += static_cast<int64_t>(r.title.size());
    for (const std::string& p : r.paragraphs) *text_bytes += static_cast<int64_t>(p.size());
    reports.push_back(std::move(r));
  }
  return reports;
}

std::vector<Query> LoadQueries(const std::string& path) {
  std::vector<Query> queries;
  for (const Json& j : ReadJsonLines(path)) {
    Query q;
    q.shape = j.at("shape").get<std::string>();
    q.terms = j.at("terms").get<std::vector<std::string>>();
    q.phrase = j.value("phrase", false);
    if (j.contains("region_prefix") && !j["region_prefix"].is_null()) {
      q.region_prefix = j["region_prefix"].get<std::string>();
    }
    if (j.contains("year_from") && !j["year_from"].is_null())
      q.year_from = j["year_from"].get<int>();
    if (j.contains("year_to") && !j["year_to"].is_null()) q.year_to = j["year_to"].get<int>();
    if (q.terms.empty()) throw std::runtime_error(path + ": a query without terms");
    queries.push_back(std::move(q));
  }
  return queries;
}

// Disk usage of a directory tree, as du counts it (allocated blocks).
int64_t DiskUsage(const std::string& dir) {
  int64_t bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    struct stat st;
    if (lstat(e.path().c_str(), &st) == 0) bytes += static_cast<int64_t>(st.st_blocks) * 512;
  }
  return bytes;
}

std::string Report::Body() const {
  std::string body;
  for (const std::string& p : paragraphs) {
    if (!body.empty()) body += '\n';
    body += p;
  }
  return body;
}

int RunEngineMain(int argc, char** argv, const std::string& name, Engine& engine) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  try {
    if (args.size() == 3 && args[0] == "build") {
      return Build(name, engine, std::string(args[1]), std::string(args[2]));
    }
    if ((args.size() == 3 || args.size() == 5) && args[0] == "query") {
      int rounds = 5;
      if (args.size() == 5) {
        if (args[3] != "--rounds") return Usage(name);
        rounds = std::stoi(std::string(args[4]));
        if (rounds < 2) throw std::runtime_error("--rounds must be >= 2 (round 1 is warm-up)");
      }
      return QueryAll(name, engine, std::string(args[1]), std::string(args[2]), rounds);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", name.c_str(), e.what());
    return 1;
  }
  return Usage(name);
}

}  // namespace baogao::bench
