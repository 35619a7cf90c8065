// The literal layer on its own (src/search/internal/literal.h), over the
// benchmark's corpus and queries: the measurement behind docs/design.md
// "An index of our own for the literal layer". Not an engine of the
// benchmark: it finds the exact set of matching reports and does not rank.
//
//   gram_probe CORPUS.jsonl QUERIES.jsonl [--rounds R] [--check]
//
// Builds one literal segment of the whole corpus in memory with the
// shipped writer (report id = corpus id; fold, grams, lists; one thread)
// and prints its build time, its size against the text's UTF-8 bytes (with
// the lists' bytes per gram length), and p50/p90/p99 per query shape of
// the exact count through the shipped LiteralSegment::Match. --check
// compares every count with a brute-force scan of the folded text.
//
// (Until index format 6 it also had --rank, which timed ranking by BM25 in
// Xapian's matcher: the figures behind docs/design.md "Ranking is the
// floor under p99", commit a98eadd. The words are no longer in Xapian.
// The first figures of the layer came from this tool's own copy of the
// layout, before the layer shipped: commit 8cbb8fa.)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "protocol.h"
#include "search/internal/literal.h"
#include "text/fold.h"
#include "text/text.h"

namespace {

using baogao::bench::Query;
using baogao::bench::Report;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

std::string Percentiles(std::vector<double> ms) {
  if (ms.empty()) return "-";
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
  };
  char buf[96];
  std::snprintf(buf, sizeof buf, "%7.2f %7.2f %7.2f", at(0.5), at(0.9), at(0.99));
  return buf;
}

char32_t KeyChar(char32_t c) { return baogao::text::IsInvalidByteUnit(c) ? 0xFFFD : c; }

using baogao::search::internal::LiteralSegment;

void Intersect(std::vector<uint32_t>* a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  std::set_intersection(a->begin(), a->end(), b.begin(), b.end(), std::back_inserter(out));
  a->swap(out);
}

void Match(const LiteralSegment& index, const std::u32string& s, std::vector<uint32_t>* out) {
  const baogao::Status st = index.Match(s, out);
  if (!st.ok()) throw std::runtime_error(st.ToString());
}

struct Meta {
  std::string region;
  int year = 0;
};

bool Passes(const Query& q, const Meta& m) {
  if (q.region_prefix && !m.region.starts_with(*q.region_prefix)) return false;
  if (q.year_from && m.year < *q.year_from) return false;
  if (q.year_to && m.year > *q.year_to) return false;
  return true;
}

int64_t Count(const LiteralSegment& index, const Query& q, const std::vector<Meta>& meta) {
  std::vector<uint32_t> set, next;
  for (size_t t = 0; t < q.terms.size(); ++t) {
    std::u32string folded;  // FoldInto appends
    baogao::text::FoldInto(q.terms[t], &folded);
    Match(index, folded, t == 0 ? &set : &next);
    if (t > 0) Intersect(&set, next);
  }
  if (!q.region_prefix && !q.year_from && !q.year_to) return static_cast<int64_t>(set.size());
  int64_t n = 0;
  for (uint32_t d : set) n += Passes(q, meta[d - 1]) ? 1 : 0;
  return n;
}

std::string FoldUtf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) baogao::text::AppendUtf8(KeyChar(c), &out);
  return out;
}

int Run(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gram_probe CORPUS.jsonl QUERIES.jsonl [--rounds R] [--check]\n");
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int rounds = 3;
  bool check = false;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::max(2, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--check") == 0) {
      check = true;
    } else {
      std::fprintf(stderr, "gram_probe: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  int64_t text_bytes = 0;
  std::vector<Report> corpus = baogao::bench::LoadCorpus(argv[1], &text_bytes);
  const std::vector<Query> queries = baogao::bench::LoadQueries(argv[2]);
  std::vector<Meta> meta;
  std::vector<std::vector<std::string>> folded_texts;  // for --check

  baogao::search::internal::LiteralSegmentWriter writer;
  std::vector<std::u32string> texts;
  const auto start = Clock::now();
  for (size_t i = 0; i < corpus.size(); ++i) {
    const Report& r = corpus[i];
    texts.resize(r.paragraphs.size() + 1);
    for (std::u32string& t : texts) t.clear();  // FoldInto appends
    baogao::text::FoldInto(r.title, &texts[0]);
    for (size_t p = 0; p < r.paragraphs.size(); ++p) {
      baogao::text::FoldInto(r.paragraphs[p], &texts[p + 1]);
    }
    const baogao::Status added = writer.Add(static_cast<uint32_t>(i + 1), texts);
    if (!added.ok()) throw std::runtime_error(added.ToString());
    meta.push_back({r.region, r.year});
    if (check) {
      folded_texts.emplace_back();
      for (const std::u32string& t : texts) folded_texts.back().push_back(FoldUtf8(t));
    }
  }
  auto opened = LiteralSegment::FromBytes(writer.FinishToBytes(), "probe");
  if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
  const LiteralSegment& index = **opened;
  const double build_ms = Ms(start);
  corpus.clear();
  corpus.shrink_to_fit();
  int64_t by_n[5] = {0, 0, 0, 0, 0};
  const baogao::Status listed = index.ForEachList(
      [&](baogao::search::internal::GramKey key, std::string_view list, uint32_t) {
        by_n[static_cast<int>(key >> 84) % 5] += static_cast<int64_t>(list.size());
        return baogao::Status::Ok();
      });
  if (!listed.ok()) throw std::runtime_error(listed.ToString());
  const double mb = static_cast<double>(text_bytes) / 1e6;
  std::printf("reports %zu, text %.1f MB\n", meta.size(), mb);
  std::printf("build (fold, grams, lists, segment; one thread%s): %.1f s = %.2f MB/s\n",
              check ? ", with --check's copies" : "", build_ms / 1000, mb / (build_ms / 1000));
  std::printf(
      "segment %.1f MB = %.2f x text (lists: 1-grams %.1f, 2-grams %.1f, 3-grams %.1f, 4-grams "
      "with positions %.1f MB; %llu keys)\n",
      static_cast<double>(index.size_bytes()) / 1e6,
      static_cast<double>(index.size_bytes()) / static_cast<double>(text_bytes),
      static_cast<double>(by_n[1]) / 1e6, static_cast<double>(by_n[2]) / 1e6,
      static_cast<double>(by_n[3]) / 1e6, static_cast<double>(by_n[4]) / 1e6,
      static_cast<unsigned long long>(index.key_count()));

  std::map<std::string, std::vector<double>> times;
  std::map<std::string, int64_t> totals;
  int mismatches = 0;
  for (int round = 0; round < rounds; ++round) {
    for (const Query& q : queries) {
      const auto t0 = Clock::now();
      const int64_t n = Count(index, q, meta);
      const double ms = Ms(t0);
      if (round == 0) {
        totals[q.shape] += n;
        if (check) {
          std::vector<std::string> folded_terms;
          for (const std::string& term : q.terms) {
            folded_terms.push_back(baogao::text::FoldToUtf8(term));
          }
          int64_t truth = 0;
          for (size_t d = 0; d < folded_texts.size(); ++d) {
            if (!Passes(q, meta[d])) continue;
            bool all = true;
            for (const std::string& f : folded_terms) {
              bool found = false;
              for (const std::string& t : folded_texts[d]) found = found || t.find(f) != t.npos;
              all = all && found;
            }
            truth += all ? 1 : 0;
          }
          if (truth != n) {
            ++mismatches;
            std::printf("MISMATCH %s %s: %lld, scan %lld\n", q.shape.c_str(), q.terms[0].c_str(),
                        static_cast<long long>(n), static_cast<long long>(truth));
          }
        }
        continue;  // warm-up
      }
      times[q.shape].push_back(ms);
    }
  }
  std::printf("exact count, ms over %d timed rounds:  p50     p90     p99   (sum of totals)\n",
              rounds - 1);
  for (const auto& [shape, ms] : times) {
    std::printf("  %-8s %s   (%lld)\n", shape.c_str(), Percentiles(ms).c_str(),
                static_cast<long long>(totals[shape]));
  }
  if (check) std::printf("check: %d mismatches against the scan\n", mismatches);
  return mismatches == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gram_probe: %s\n", e.what());
    return 1;
  }
}
