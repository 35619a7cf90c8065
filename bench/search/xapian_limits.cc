// What Xapian 1.4 would cost for longer gram terms: one of the
// measurements behind docs/design.md "Where Xapian stops".
//
//   xapian_limits grams CORPUS.jsonl N WORKDIR
//     Builds four Xapian databases of the first N reports of the corpus,
//     folded as baogao folds them: characters with positions + bigrams
//     (baogao's literal terms up to index format 2); that + trigrams; that +
//     trigrams + 4-grams; bigram positions instead of character positions.
//     Prints each build's seconds and its size per table after compact(),
//     against the text's UTF-8 bytes.
//
// Its other mode, `phrase`, timed the position checks of index format 2 on
// a baogao index; the literal layer replaced those terms (format 3), so it
// left with them. Its figures are in docs/benchmarks.md; the last version
// is in git at commit c0e8a2f.
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "protocol.h"
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

// Term prefixes: baogao's for characters ("C", up to index format 3) and
// for bigrams ("B", up to format 2); the experiment's own for longer grams.
std::string GramTerm(std::u32string_view gram) {
  static const std::string kPrefix[] = {"", "C", "B", "Q3", "Q4"};
  return kPrefix[gram.size()] + Utf8(gram);
}

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
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
  std::fprintf(stderr, "usage: xapian_limits grams CORPUS.jsonl N WORKDIR\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
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
