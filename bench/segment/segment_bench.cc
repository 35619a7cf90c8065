// Throughput of baogao's segmenter (and, for context, ICU's word
// BreakIterator) on a text file, one line at a time, single-threaded.
//
//   segment_bench --input FILE [--mode default|nohmm|search|all|icu]
//                 [--runs N] [--dict PATH]
//
// Prints one JSON object per run, in the shape bench/segment/jieba_throughput.py
// prints for Python jieba, so bench/segment/compare.py can put them side by side.
// Dictionary load time is measured once per process, from nothing loaded to a
// ready Segmenter; rss_kb is the peak resident set (getrusage) and dict_rss_kb
// the growth of the current resident set across that load.
#include <sys/resource.h>
#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "segment/segment.h"

namespace {

long PeakRssKb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

// Current resident set (not the peak, which a parent process can inflate:
// ru_maxrss survives exec).
long CurrentRssKb() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return -1;
  long pages = 0, resident = 0;
  const int n = std::fscanf(f, "%ld %ld", &pages, &resident);
  std::fclose(f);
  return n == 2 ? resident * (sysconf(_SC_PAGESIZE) / 1024) : -1;
}

std::vector<std::string> ReadLines(const std::string& path, size_t* bytes) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  *bytes = 0;
  while (std::getline(in, line)) {
    *bytes += line.size() + 1;
    lines.push_back(std::move(line));
  }
  return lines;
}

int Usage() {
  std::fprintf(stderr,
               "usage: segment_bench --input FILE [--mode default|nohmm|search|all|icu] "
               "[--runs N] [--dict PATH]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string input, mode = "default", dict_path;
  int runs = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--input" && (v = next())) {
      input = v;
    } else if (a == "--mode" && (v = next())) {
      mode = v;
    } else if (a == "--runs" && (v = next())) {
      runs = std::atoi(v);
    } else if (a == "--dict" && (v = next())) {
      dict_path = v;
    } else {
      return Usage();
    }
  }
  if (input.empty() || runs < 1) return Usage();
  size_t bytes = 0;
  const std::vector<std::string> lines = ReadLines(input, &bytes);
  using Clock = std::chrono::steady_clock;

  if (mode == "icu") {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), status));
    if (U_FAILURE(status)) {
      std::fprintf(stderr, "ICU: %s\n", u_errorName(status));
      return 1;
    }
    for (int r = 0; r < runs; ++r) {
      size_t tokens = 0;
      const auto t0 = Clock::now();
      for (const std::string& line : lines) {
        icu::UnicodeString u = icu::UnicodeString::fromUTF8(line);
        it->setText(u);
        for (int32_t p = it->next(); p != icu::BreakIterator::DONE; p = it->next()) ++tokens;
      }
      const double s = std::chrono::duration<double>(Clock::now() - t0).count();
      std::printf(
          "{\"impl\": \"icu\", \"mode\": \"word\", \"bytes\": %zu, \"seconds\": %.6f, "
          "\"mb_per_s\": %.3f, \"load_ms\": 0, \"tokens\": %zu, \"rss_kb\": %ld}\n",
          bytes, s, bytes / s / 1e6, tokens, PeakRssKb());
    }
    return 0;
  }

  baogao::segment::CutOptions opts;
  if (mode == "default") {
  } else if (mode == "nohmm") {
    opts.hmm = false;
  } else if (mode == "search") {
    opts.mode = baogao::segment::Mode::kSearch;
  } else if (mode == "all") {
    opts.mode = baogao::segment::Mode::kAll;
  } else {
    return Usage();
  }
  const long rss_before = CurrentRssKb();
  const auto l0 = Clock::now();
  baogao::segment::DictionaryOptions dopts;
  dopts.path = dict_path;
  auto dict = baogao::segment::Dictionary::Load(dopts);
  if (!dict.ok()) {
    std::fprintf(stderr, "%s\n", dict.status().ToString().c_str());
    return 1;
  }
  baogao::segment::Segmenter seg(*dict);
  const double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - l0).count();
  const long rss_dict = CurrentRssKb() - rss_before;
  for (int r = 0; r < runs; ++r) {
    size_t tokens = 0;
    const auto t0 = Clock::now();
    for (const std::string& line : lines) tokens += seg.Cut(line, opts).size();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf(
        "{\"impl\": \"baogao\", \"mode\": \"%s\", \"bytes\": %zu, \"seconds\": %.6f, "
        "\"mb_per_s\": %.3f, \"load_ms\": %.3f, \"tokens\": %zu, \"rss_kb\": %ld, "
        "\"dict_rss_kb\": %ld}\n",
        mode.c_str(), bytes, s, bytes / s / 1e6, load_ms, tokens, PeakRssKb(), rss_dict);
  }
  return 0;
}
