// The engine side of the search benchmark protocol (bench/search/compare.py
// documents the protocol itself). A C++ engine implements Engine and calls
// RunEngineMain() from main(); RunEngineMain parses the command line, loads
// the corpus or the queries, times the calls and prints the JSON lines the
// driver reads. Used by peer_sqlite_fts5, peer_xapian_cjk and (later)
// baogao_search_bench, so that all of them are timed by the same code.
//
// Errors: an engine throws std::exception (or lets its library's exception
// through and catches it in its own main()); RunEngineMain turns
// std::exception into "error: ..." on stderr and exit status 1.
#ifndef BAOGAO_BENCH_SEARCH_PROTOCOL_H_
#define BAOGAO_BENCH_SEARCH_PROTOCOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace baogao::bench {

// One line of the corpus (bench/gen_corpus.py --format jsonl).
struct Report {
  int64_t id = 0;      // 1..N
  std::string region;  // 6-digit GB/T 2260 code, e.g. "370000"
  std::string level;   // province | prefecture | county
  int year = 0;
  std::string type;  // 政府工作报告 | 统计公报 | 规划
  std::string title;
  std::vector<std::string> paragraphs;

  // The paragraphs joined with '\n': the text every engine indexes as "body".
  std::string Body() const;
};

// One line of the queries file (bench/search/make_queries.py).
struct Query {
  std::string shape;                         // char1 | char2 | char4 | and2 | phrase6 | filtered
  std::vector<std::string> terms;            // all required; each a literal substring to find
  bool phrase = false;                       // terms[0] is a quoted phrase
  std::optional<std::string> region_prefix;  // "37": region code starts with it
  std::optional<int> year_from;              // inclusive
  std::optional<int> year_to;                // inclusive
};

// What one query run found. The timed call must have fetched the top 10
// hits with a snippet for each and computed total.
struct QueryResult {
  bool supported = true;      // false: the engine cannot run this query (say why in note)
  int64_t total = 0;          // reports matching
  bool exact = true;          // total is an exact count, not an estimate
  int hits = 0;               // hits returned (<= 10)
  int64_t snippet_bytes = 0;  // bytes of the snippets fetched (keeps the fetch honest)
  std::string note;
};

class Engine {
 public:
  virtual ~Engine() = default;

  // Builds a new index in index_dir (an empty directory) from all reports.
  virtual void Build(const std::vector<Report>& reports, const std::string& index_dir) = 0;

  // Opens the index in index_dir; called once before all queries.
  virtual void Open(const std::string& index_dir) = 0;

  // The shapes to time for q: {q.shape}, plus any variant the engine also
  // measures (e.g. "char2_like"), which Run() must recognise.
  virtual std::vector<std::string> Shapes(const Query& q) { return {q.shape}; }

  // Runs q as `shape`: the top 10 reports by relevance, a snippet of each,
  // and the number of matching reports.
  virtual QueryResult Run(const Query& q, const std::string& shape) = 0;
};

// The corpus (all reports; *text_bytes gets the UTF-8 bytes of all titles
// and paragraphs), the queries, and the disk usage of a directory as du
// counts it. For tools beside the engines (xapian_limits).
std::vector<Report> LoadCorpus(const std::string& path, int64_t* text_bytes);
std::vector<Query> LoadQueries(const std::string& path);
int64_t DiskUsage(const std::string& dir);

// main() for an engine program called `name`; see compare.py for the
// command lines and the output.
int RunEngineMain(int argc, char** argv, const std::string& name, Engine& engine);

}  // namespace baogao::bench

#endif  // BAOGAO_BENCH_SEARCH_PROTOCOL_H_
