// Where Xapian 1.4 stops for baogao's term scheme: the two measurements
// behind docs/design.md "Where Xapian stops".
//
//   xapian_limits phrase GENERATION_DIR QUERIES.jsonl [--rounds R]
//     GENERATION_DIR: a baogao index generation (e.g. the benchmark's
//     INDEX_DIR/index.g1). For every query of 3+ characters per term (the
//     char4 and phrase6 shapes, and and2 terms that long), times three ways
//     of running it: the exact count of the bigram AND alone; the exact
//     count with the character phrase check (both with BoolWeight, every
//     match visited); and the top 10 by BM25 with the phrase check but
//     check_at_least 0. Prints p50/p90/p99 ms per way over the timed rounds
//     (round 1 is warm-up), how many queries' bigram-AND count already
//     equals the exact count, and how many candidate reports a pigeonhole
//     bound on term frequencies proves without reading positions.
//
//   xapian_limits grams CORPUS.jsonl N WORKDIR
//     Builds four Xapian databases of the first N reports of the corpus,
//     folded as baogao folds them: characters with positions + bigrams (the
//     shipped scheme without words and values); that + trigrams; that +
//     trigrams + 4-grams; bigram positions instead of character positions.
//     Prints each build's seconds and its size per table after compact(),
//     against the text's UTF-8 bytes.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "protocol.h"
#include "search/internal/terms.h"
#include "search/internal/xapian_util.h"
#include "text/fold.h"
#include "text/text.h"

namespace {

using baogao::bench::Query;
using baogao::bench::Report;
using Clock = std::chrono::steady_clock;

std::string Utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) baogao::text::AppendUtf8(c, &out);
  return out;
}

// The searcher's prefixes for characters and bigrams (search/internal/
// terms.h), and two of the experiment's own for longer grams.
std::string GramTerm(std::u32string_view gram) {
  namespace si = baogao::search::internal;
  static const std::string kPrefix[] = {"", std::string(si::kUnigram), std::string(si::kBigram),
                                        "Q3", "Q4"};
  return kPrefix[gram.size()] + Utf8(gram);
}

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
  std::snprintf(buf, sizeof buf, "p50 %.2f  p90 %.2f  p99 %.2f ms", at(0.5), at(0.9), at(0.99));
  return buf;
}

// ---------------------------------------------------------------------------
// phrase

// How many reports containing every bigram of `folded` (3+ characters) are
// proven to contain the string from within-document frequencies alone, by
// pigeonhole: the occurrences of s[0..k] number at least
//   n(s[0..k]) >= n(s[0..k-1]) + wdf(s[k-1]s[k]) - wdf(s[k-1])
// (each occurrence of the character s[k-1] ends at most one s[0..k-1] and
// starts at most one s[k-1]s[k]), so n >= 1 at the end proves a match with
// no position read. Returns {candidates, proven}.
std::pair<int64_t, int64_t> Pigeonhole(const Xapian::Database& db, const std::u32string& folded) {
  std::vector<Xapian::PostingIterator> bigram, chars;
  std::vector<Xapian::PostingIterator> ends;
  for (size_t i = 0; i + 1 < folded.size(); ++i) {
    const std::string term = GramTerm(std::u32string_view(folded).substr(i, 2));
    bigram.push_back(db.postlist_begin(term));
    ends.push_back(db.postlist_end(term));
  }
  for (size_t i = 0; i < folded.size(); ++i) {
    chars.push_back(db.postlist_begin(GramTerm(std::u32string_view(folded).substr(i, 1))));
  }
  int64_t candidates = 0, proven = 0;
  Xapian::docid did = 1;
  while (true) {
    // The next report with every bigram at or after `did`.
    bool all = false;
    while (!all) {
      all = true;
      for (size_t i = 0; i < bigram.size(); ++i) {
        bigram[i].skip_to(did);
        if (bigram[i] == ends[i]) return {candidates, proven};
        if (*bigram[i] != did) {
          did = *bigram[i];
          all = false;
        }
      }
    }
    ++candidates;
    int64_t n = bigram[0].get_wdf();
    for (size_t k = 1; k < bigram.size() && n >= 1; ++k) {
      chars[k].skip_to(did);  // present: the bigrams contain it
      n += static_cast<int64_t>(bigram[k].get_wdf()) - static_cast<int64_t>(chars[k].get_wdf());
    }
    if (n >= 1) ++proven;
    ++did;
  }
}

int Phrase(const std::string& generation, const std::string& queries_path, int rounds) {
  Xapian::Database db(generation, Xapian::DB_BACKEND_GLASS);
  struct Prepared {
    std::string text;
    Xapian::Query bigram_and, exact;
    std::vector<std::u32string> long_terms;  // folded, 3+ characters
  };
  std::vector<Prepared> prepared;
  for (const Query& q : baogao::bench::LoadQueries(queries_path)) {
    std::vector<Xapian::Query> bigrams, exact;
    bool has_phrase = false;
    std::string text;
    std::vector<std::u32string> long_terms;
    for (const std::string& t : q.terms) {
      text += (text.empty() ? "" : " ") + t;
      std::u32string folded = baogao::text::Fold(t).chars;
      if (folded.empty()) continue;
      // The searcher's own match of the literal, taken apart.
      const baogao::search::internal::LiteralMatch lit =
          baogao::search::internal::MatchLiteral(folded);
      bigrams.insert(bigrams.end(), lit.grams.begin(), lit.grams.end());
      exact.insert(exact.end(), lit.grams.begin(), lit.grams.end());
      if (!lit.phrase.empty()) {
        exact.emplace_back(0.0, lit.phrase);
        has_phrase = true;
        long_terms.push_back(std::move(folded));
      }
    }
    if (!has_phrase || q.region_prefix || q.year_from || q.year_to) continue;
    prepared.push_back({text, Xapian::Query(Xapian::Query::OP_AND, bigrams.begin(), bigrams.end()),
                        Xapian::Query(Xapian::Query::OP_AND, exact.begin(), exact.end()),
                        std::move(long_terms)});
  }
  const Xapian::doccount all = db.get_doccount();
  auto count = [&](const Xapian::Query& q) {
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BoolWeight());
    return e.get_mset(0, 0, all).get_matches_estimated();
  };
  std::vector<double> t_and, t_exact, t_top;
  int same = 0;
  int64_t candidates = 0, proven = 0;
  for (const Prepared& p : prepared) {
    for (const std::u32string& t : p.long_terms) {
      const auto [c, n] = Pigeonhole(db, t);
      candidates += c;
      proven += n;
    }
  }
  Xapian::doccount worst_extra = 0;
  std::string worst;
  for (int round = 0; round < rounds; ++round) {
    for (const Prepared& p : prepared) {
      auto t0 = Clock::now();
      const Xapian::doccount n_and = count(p.bigram_and);
      const double a = Ms(t0);
      t0 = Clock::now();
      const Xapian::doccount n_exact = count(p.exact);
      const double x = Ms(t0);
      t0 = Clock::now();
      Xapian::Enquire e(db);
      e.set_query(p.exact);
      (void)e.get_mset(0, 10, Xapian::doccount{0});
      const double top = Ms(t0);
      if (round == 0) {
        same += n_and == n_exact;
        if (n_and - n_exact > worst_extra) {
          worst_extra = n_and - n_exact;
          worst = p.text + ": " + std::to_string(n_and) + " vs " + std::to_string(n_exact);
        }
        continue;
      }
      t_and.push_back(a);
      t_exact.push_back(x);
      t_top.push_back(top);
    }
  }
  std::printf("%s: %u documents, %zu queries of 3+ characters, %d timed rounds\n",
              generation.c_str(), all, prepared.size(), rounds - 1);
  std::printf("  count, bigram AND only      %s\n", Percentiles(t_and).c_str());
  std::printf("  count, with phrase check    %s\n", Percentiles(t_exact).c_str());
  std::printf("  top 10 only, phrase check   %s\n", Percentiles(t_top).c_str());
  std::printf("  bigram AND count == exact count for %d of %zu queries%s%s\n", same,
              prepared.size(), worst.empty() ? "" : "; widest gap ", worst.c_str());
  std::printf(
      "  pigeonhole on frequencies proves %lld of %lld candidates (%.1f%%) without "
      "positions\n",
      static_cast<long long>(proven), static_cast<long long>(candidates),
      candidates ? 100.0 * static_cast<double>(proven) / static_cast<double>(candidates) : 0.0);
  return 0;
}

// ---------------------------------------------------------------------------
// grams

struct Scheme {
  const char* name;
  size_t max_gram;  // index grams of 2..max_gram characters
  bool char_pos;    // positions on characters (else on bigrams)
};

int Grams(const std::string& corpus, size_t n, const std::string& workdir) {
  int64_t all_text = 0;
  std::vector<Report> reports = baogao::bench::LoadCorpus(corpus, &all_text);
  if (reports.size() > n) reports.resize(n);
  int64_t text_bytes = 0;
  std::vector<std::vector<std::u32string>> folded;
  for (const Report& r : reports) {
    std::vector<std::u32string>& f = folded.emplace_back();
    f.push_back(baogao::text::Fold(r.title).chars);
    text_bytes += static_cast<int64_t>(r.title.size());
    for (const std::string& p : r.paragraphs) {
      f.push_back(baogao::text::Fold(p).chars);
      text_bytes += static_cast<int64_t>(p.size());
    }
  }
  std::printf("%zu reports, %.1f MB of text\n", reports.size(), text_bytes / 1e6);
  const Scheme schemes[] = {{"characters(pos) + bigrams", 2, true},
                            {"+ trigrams", 3, true},
                            {"+ trigrams + 4-grams", 4, true},
                            {"bigrams(pos) + characters", 2, false}};
  for (const Scheme& s : schemes) {
    const std::string path = workdir + "/grams" + std::to_string(&s - schemes);
    std::filesystem::remove_all(path);
    std::filesystem::remove_all(path + ".c");
    const auto t0 = Clock::now();
    {
      Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
      Xapian::docid id = 0;
      for (const std::vector<std::u32string>& paragraphs : folded) {
        Xapian::Document doc;
        Xapian::termpos pos = 0;
        for (const std::u32string& p : paragraphs) {
          const std::u32string_view v(p);
          for (size_t i = 0; i < v.size(); ++i) {
            ++pos;
            if (s.char_pos) {
              doc.add_posting(GramTerm(v.substr(i, 1)), pos);
            } else {
              doc.add_term(GramTerm(v.substr(i, 1)));
            }
            for (size_t g = 2; g <= s.max_gram && i + g <= v.size(); ++g) {
              if (g == 2 && !s.char_pos) {
                doc.add_posting(GramTerm(v.substr(i, 2)), pos);
              } else {
                doc.add_term(GramTerm(v.substr(i, g)));
              }
            }
          }
          ++pos;  // no phrase across paragraphs
        }
        db.replace_document(++id, doc);
      }
      db.commit();
    }
    const double seconds = Ms(t0) / 1000;
    Xapian::Database(path).compact(path + ".c");
    std::string tables;
    int64_t total = 0;
    for (const auto& e : std::filesystem::directory_iterator(path + ".c")) {
      if (e.path().extension() != ".glass") continue;
      const auto bytes = static_cast<int64_t>(e.file_size());
      total += bytes;
      char buf[64];
      std::snprintf(buf, sizeof buf, " %s %.1f", e.path().stem().c_str(), bytes / 1e6);
      tables += buf;
    }
    std::printf("  %-28s build %6.1f s  %7.1f MB  %.2fx the text  (MB:%s)\n", s.name, seconds,
                total / 1e6, static_cast<double>(total) / static_cast<double>(text_bytes),
                tables.c_str());
    std::fflush(stdout);
    std::filesystem::remove_all(path);
    std::filesystem::remove_all(path + ".c");
  }
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: xapian_limits phrase GENERATION_DIR QUERIES.jsonl [--rounds R]\n"
               "       xapian_limits grams CORPUS.jsonl N WORKDIR\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() >= 3 && args[0] == "phrase") {
      int rounds = 4;
      if (args.size() == 5 && args[3] == "--rounds") rounds = std::atoi(args[4].c_str());
      if (rounds < 2 || (args.size() != 3 && args.size() != 5)) return Usage();
      return Phrase(args[1], args[2], rounds);
    }
    if (args.size() == 4 && args[0] == "grams") {
      const long n = std::atol(args[2].c_str());
      if (n <= 0) return Usage();
      return Grams(args[1], static_cast<size_t>(n), args[3]);
    }
    return Usage();
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_limits: %s\n", e.get_description().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xapian_limits: %s\n", e.what());
  }
  return 1;
}
