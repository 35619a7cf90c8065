// What an index of our own would cost and answer: the measurement behind
// docs/design.md "An index of our own for the literal layer". Not an engine of the
// benchmark: it finds the exact set of matching reports (the literal
// layer) and does not rank, so its times are a floor for such an index's
// queries, to be compared with the literal layer inside Xapian
// (`xapian_limits phrase`: the bigram AND and the phrase check).
//
//   gram_probe CORPUS.jsonl QUERIES.jsonl [--rounds R] [--check]
//              [--rank GENERATION_DIR]
//
// The layout measured, per report, over its folded title and paragraphs
// (text/fold.h, as the searcher folds; no gram spans two of them):
//   - every distinct 1-, 2- and 3-character gram: a posting list of report
//     ids (delta varints);
//   - every 4-character gram: a posting list of report ids, each followed
//     by the byte length and the delta varints of the gram's positions.
// A string of 1–4 characters is then one list and needs no position check;
// a longer one is an AND of the 4-grams that cover it (offsets 0, 4, …,
// L−4) whose positions line up. Both are exact, so the count is exact.
//
// Prints the build time (fold + grams + lists; one thread), the size of the
// lists with a front-coded dictionary estimate, against the text's UTF-8
// bytes, and p50/p90/p99 per query shape of the exact count, every list
// decoded from its bytes as a reader of an mmap'd file would. --check
// compares every count with a brute-force scan of the folded text.
//
// --rank GENERATION_DIR (the benchmark's baogao index of the same corpus,
// whose document ids are the corpus ids) also times what ranking the exact
// set would cost if Xapian kept only the word terms: the set becomes a
// Xapian::PostingSource, ANDed with the filters' boolean terms by the set
// itself, and the top 10 by BM25 over the query's words (title words
// weighted 2, as the searcher does) come from
// AND_MAYBE(set, OR(words)) with check_at_least 0: the total is the set's
// size, so Xapian need not visit every match.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol.h"
#include "search/internal/terms.h"
#include "segment/segment.h"
#include "text/fold.h"
#include "text/text.h"

namespace {

using baogao::bench::Query;
using baogao::bench::Report;
using Clock = std::chrono::steady_clock;
__extension__ typedef unsigned __int128 Key;

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

// n characters (1..4, 21 bits each) and n itself.
Key GramKey(const char32_t* s, int n) {
  Key k = static_cast<Key>(n) << 84;
  for (int i = 0; i < n; ++i) k |= static_cast<Key>(KeyChar(s[i]) & 0x1FFFFF) << (21 * (3 - i));
  return k;
}

struct KeyHash {
  size_t operator()(Key k) const {
    const uint64_t lo = static_cast<uint64_t>(k), hi = static_cast<uint64_t>(k >> 64);
    uint64_t h = lo * 0x9E3779B97F4A7C15ULL ^ (hi + 0x632BE59BD9B4E019ULL) * 0xC2B2AE3D27D4EB4FULL;
    return h ^ (h >> 29);
  }
};

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline uint32_t GetVarint(const uint8_t*& p) {
  uint32_t v = *p & 0x7F;
  int shift = 7;
  while (*p++ & 0x80) {
    v |= static_cast<uint32_t>(*p & 0x7F) << shift;
    shift += 7;
  }
  return v;
}

struct List {
  std::string bytes;
  uint32_t last_doc = 0;
  uint32_t df = 0;
};

class Index {
 public:
  explicit Index(size_t expected_keys) { lists_.reserve(expected_keys); }

  // Adds report `doc` (ascending, from 1) made of `texts` (folded).
  void Add(uint32_t doc, const std::vector<std::u32string>& texts) {
    short_.clear();
    quad_.clear();
    uint32_t base = 0;
    for (const std::u32string& t : texts) {
      const size_t n = t.size();
      for (size_t i = 0; i < n; ++i) {
        for (int g = 1; g <= 3 && i + g <= n; ++g) short_.push_back(GramKey(&t[i], g));
        if (i + 4 <= n) quad_.push_back({GramKey(&t[i], 4), base + static_cast<uint32_t>(i)});
      }
      base += static_cast<uint32_t>(n) + 2;
    }
    std::sort(short_.begin(), short_.end());
    short_.erase(std::unique(short_.begin(), short_.end()), short_.end());
    for (Key k : short_) {
      List& l = lists_[k];
      PutVarint(doc - l.last_doc, &l.bytes);
      l.last_doc = doc;
      ++l.df;
    }
    std::sort(quad_.begin(), quad_.end(), [](const auto& a, const auto& b) {
      return a.first < b.first || (a.first == b.first && a.second < b.second);
    });
    for (size_t i = 0; i < quad_.size();) {
      size_t j = i;
      positions_.clear();
      uint32_t prev = 0;
      while (j < quad_.size() && quad_[j].first == quad_[i].first) {
        PutVarint(quad_[j].second - prev, &positions_);
        prev = quad_[j].second;
        ++j;
      }
      List& l = lists_[quad_[i].first];
      PutVarint(doc - l.last_doc, &l.bytes);
      PutVarint(positions_.size(), &l.bytes);
      l.bytes += positions_;
      l.last_doc = doc;
      ++l.df;
      i = j;
    }
  }

  // Bytes of every list plus a dictionary: keys sorted, front-coded as the
  // varint of the difference to the previous key, and the varint of each
  // list's length (its offset follows from the lengths).
  void Sizes(int64_t* lists, int64_t* dictionary, int64_t* keys, int64_t bytes_by_n[5]) const {
    std::vector<Key> sorted;
    sorted.reserve(lists_.size());
    *lists = 0;
    for (int n = 0; n < 5; ++n) bytes_by_n[n] = 0;
    for (const auto& [k, l] : lists_) {
      sorted.push_back(k);
      *lists += static_cast<int64_t>(l.bytes.size());
      bytes_by_n[static_cast<int>(k >> 84)] += static_cast<int64_t>(l.bytes.size());
    }
    std::sort(sorted.begin(), sorted.end());
    *dictionary = 0;
    Key prev = 0;
    for (Key k : sorted) {
      Key d = k - prev;
      prev = k;
      size_t n = 1;
      while (d >= 0x80) {
        d >>= 7;
        ++n;
      }
      *dictionary += static_cast<int64_t>(n + VarintSize(lists_.at(k).bytes.size()));
    }
    *keys = static_cast<int64_t>(sorted.size());
  }

  const List* Find(Key k) const {
    auto it = lists_.find(k);
    return it == lists_.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_map<Key, List, KeyHash> lists_;
  std::vector<Key> short_;
  std::vector<std::pair<Key, uint32_t>> quad_;
  std::string positions_;
};

// The reports of a 1–3 character list.
void DecodeDocs(const List& l, std::vector<uint32_t>* out) {
  out->clear();
  out->reserve(l.df);
  const auto* p = reinterpret_cast<const uint8_t*>(l.bytes.data());
  const auto* end = p + l.bytes.size();
  uint32_t doc = 0;
  while (p < end) {
    doc += GetVarint(p);
    out->push_back(doc);
  }
}

// A 4-gram list: the reports, and where each one's positions start.
struct QuadList {
  std::vector<uint32_t> docs;
  std::vector<const uint8_t*> pos;  // pos[i]..pos_end[i]
  std::vector<const uint8_t*> pos_end;
};

void DecodeQuad(const List& l, QuadList* out, bool with_positions) {
  out->docs.clear();
  out->pos.clear();
  out->pos_end.clear();
  out->docs.reserve(l.df);
  const auto* p = reinterpret_cast<const uint8_t*>(l.bytes.data());
  const auto* end = p + l.bytes.size();
  uint32_t doc = 0;
  while (p < end) {
    doc += GetVarint(p);
    const uint32_t n = GetVarint(p);
    out->docs.push_back(doc);
    if (with_positions) {
      out->pos.push_back(p);
      out->pos_end.push_back(p + n);
    }
    p += n;
  }
}

void Intersect(std::vector<uint32_t>* a, const std::vector<uint32_t>& b) {
  size_t w = 0, j = 0;
  for (size_t i = 0; i < a->size(); ++i) {
    const uint32_t d = (*a)[i];
    while (j < b.size() && b[j] < d) ++j;
    if (j == b.size()) break;
    if (b[j] == d) (*a)[w++] = d;
  }
  a->resize(w);
}

// The reports containing `s` (folded) literally.
void Match(const Index& index, const std::u32string& s, std::vector<uint32_t>* out) {
  out->clear();
  const int len = static_cast<int>(s.size());
  if (len == 0) return;
  if (len <= 3) {
    const List* l = index.Find(GramKey(s.data(), len));
    if (l != nullptr) DecodeDocs(*l, out);
    return;
  }
  std::vector<int> offsets;
  for (int o = 0; o + 4 <= len; o += 4) offsets.push_back(o);
  if (offsets.back() != len - 4) offsets.push_back(len - 4);
  std::vector<QuadList> lists(offsets.size());
  for (size_t k = 0; k < offsets.size(); ++k) {
    const List* l = index.Find(GramKey(&s[offsets[k]], 4));
    if (l == nullptr) return;
    DecodeQuad(*l, &lists[k], offsets.size() > 1);
  }
  if (offsets.size() == 1) {
    *out = std::move(lists[0].docs);
    return;
  }
  // Walk the first list; for each report in all lists, check the positions.
  std::vector<size_t> at(offsets.size(), 0);
  std::vector<uint32_t> first, other;
  for (size_t i = 0; i < lists[0].docs.size(); ++i) {
    const uint32_t d = lists[0].docs[i];
    bool all = true;
    for (size_t k = 1; k < lists.size() && all; ++k) {
      auto& docs = lists[k].docs;
      size_t& j = at[k];
      while (j < docs.size() && docs[j] < d) ++j;
      all = j < docs.size() && docs[j] == d;
    }
    if (!all) continue;
    auto positions = [](const uint8_t* p, const uint8_t* end, std::vector<uint32_t>* v) {
      v->clear();
      uint32_t x = 0;
      while (p < end) {
        x += GetVarint(p);
        v->push_back(x);
      }
    };
    positions(lists[0].pos[i], lists[0].pos_end[i], &first);
    for (size_t k = 1; k < lists.size() && !first.empty(); ++k) {
      positions(lists[k].pos[at[k]], lists[k].pos_end[at[k]], &other);
      const uint32_t shift = static_cast<uint32_t>(offsets[k]);
      size_t w = 0, j = 0;
      for (uint32_t p : first) {
        while (j < other.size() && other[j] < p + shift) ++j;
        if (j < other.size() && other[j] == p + shift) first[w++] = p;
      }
      first.resize(w);
    }
    if (!first.empty()) out->push_back(d);
  }
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

int64_t Count(const Index& index, const Query& q, const std::vector<Meta>& meta) {
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

// A sorted vector of document ids as a Xapian posting list.
class SetSource final : public Xapian::PostingSource {
 public:
  explicit SetSource(const std::vector<uint32_t>* docs) : docs_(docs) {}
  Xapian::doccount get_termfreq_min() const override { return Count(); }
  Xapian::doccount get_termfreq_est() const override { return Count(); }
  Xapian::doccount get_termfreq_max() const override { return Count(); }
  void init(const Xapian::Database&) override { at_ = static_cast<size_t>(-1); }
  void next(double) override { ++at_; }
  void skip_to(Xapian::docid did, double) override {
    if (at_ == static_cast<size_t>(-1)) at_ = 0;
    at_ = static_cast<size_t>(
        std::lower_bound(docs_->begin() + static_cast<ptrdiff_t>(at_), docs_->end(), did) -
        docs_->begin());
  }
  bool at_end() const override { return at_ != static_cast<size_t>(-1) && at_ >= docs_->size(); }
  Xapian::docid get_docid() const override { return (*docs_)[at_]; }

 private:
  Xapian::doccount Count() const { return static_cast<Xapian::doccount>(docs_->size()); }
  const std::vector<uint32_t>* docs_;
  size_t at_ = static_cast<size_t>(-1);
};

bool IsRankedWord(std::string_view word) {
  size_t len = 0;
  const char32_t c = baogao::text::DecodeOne(word, 0, &len);
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 0x3400 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) ||
         (c >= 0xC0 && c < 0x2000);
}

// The exact set of `q` (filters applied), then the top 10 by the words.
// Returns the number of hits; *total gets the set's size.
int Rank(const Index& index, const Query& q, const std::vector<Meta>& meta,
         const Xapian::Database& db, baogao::segment::Segmenter& segmenter, int64_t* total) {
  std::vector<uint32_t> set, next;
  std::vector<Xapian::Query> words;
  namespace si = baogao::search::internal;
  for (size_t t = 0; t < q.terms.size(); ++t) {
    std::u32string folded;  // FoldInto appends
    baogao::text::FoldInto(q.terms[t], &folded);
    Match(index, folded, t == 0 ? &set : &next);
    if (t > 0) Intersect(&set, next);
    const std::string utf8 = FoldUtf8(folded);
    for (const auto& tok : segmenter.Cut(utf8, {baogao::segment::Mode::kSearch, true})) {
      if (!IsRankedWord(tok.text)) continue;
      words.emplace_back(std::string(si::kBodyWord) + std::string(tok.text));
      words.emplace_back(2.0, Xapian::Query(std::string(si::kTitleWord) + std::string(tok.text)));
    }
  }
  if (q.region_prefix || q.year_from || q.year_to) {
    size_t w = 0;
    for (uint32_t d : set) {
      if (Passes(q, meta[d - 1])) set[w++] = d;
    }
    set.resize(w);
  }
  *total = static_cast<int64_t>(set.size());
  SetSource source(&set);
  Xapian::Query query(&source);
  if (!words.empty()) {
    query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                          Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  const Xapian::MSet mset =
      enquire.get_mset(Xapian::doccount{0}, Xapian::doccount{10}, Xapian::doccount{0});
  return static_cast<int>(mset.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gram_probe CORPUS.jsonl QUERIES.jsonl [--rounds R] [--check]\n");
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int rounds = 3;
  bool check = false;
  std::string rank_dir;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::max(2, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--check") == 0) {
      check = true;
    } else if (std::strcmp(argv[i], "--rank") == 0 && i + 1 < argc) {
      rank_dir = argv[++i];
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

  Index index(corpus.size() * 64);
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
    index.Add(static_cast<uint32_t>(i + 1), texts);
    meta.push_back({r.region, r.year});
    if (check) {
      folded_texts.emplace_back();
      for (const std::u32string& t : texts) folded_texts.back().push_back(FoldUtf8(t));
    }
  }
  const double build_ms = Ms(start);
  corpus.clear();
  corpus.shrink_to_fit();
  int64_t lists = 0, dictionary = 0, keys = 0, by_n[5];
  index.Sizes(&lists, &dictionary, &keys, by_n);
  const double mb = static_cast<double>(text_bytes) / 1e6;
  std::printf("reports %zu, text %.1f MB\n", meta.size(), mb);
  std::printf("build (fold, grams, lists; one thread%s): %.1f s = %.2f MB/s\n",
              check ? ", with --check's copies" : "", build_ms / 1000, mb / (build_ms / 1000));
  std::printf(
      "lists %.1f MB (1-grams %.1f, 2-grams %.1f, 3-grams %.1f, 4-grams with positions "
      "%.1f), dictionary %.1f MB (%lld keys): %.2f x text\n",
      static_cast<double>(lists) / 1e6, static_cast<double>(by_n[1]) / 1e6,
      static_cast<double>(by_n[2]) / 1e6, static_cast<double>(by_n[3]) / 1e6,
      static_cast<double>(by_n[4]) / 1e6, static_cast<double>(dictionary) / 1e6,
      static_cast<long long>(keys),
      static_cast<double>(lists + dictionary) / static_cast<double>(text_bytes));

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
  if (!rank_dir.empty()) {
    baogao::segment::DictionaryOptions o;
    o.path = baogao::segment::Dictionary::DefaultPath();
    auto dict = baogao::segment::Dictionary::Load(o);
    if (!dict.ok()) {
      std::fprintf(stderr, "gram_probe: %s\n", dict.status().ToString().c_str());
      return 1;
    }
    baogao::segment::Segmenter segmenter(*dict);
    const Xapian::Database db(rank_dir);
    std::map<std::string, std::vector<double>> rank_times;
    int wrong = 0;
    for (int round = 0; round < rounds; ++round) {
      for (const Query& q : queries) {
        const auto t0 = Clock::now();
        int64_t total = 0;
        const int hits = Rank(index, q, meta, db, segmenter, &total);
        const double ms = Ms(t0);
        if (round == 0) {
          if (hits != std::min<int64_t>(10, total)) ++wrong;
          continue;
        }
        rank_times[q.shape].push_back(ms);
      }
    }
    std::printf("exact set + top 10 by words in Xapian (%s), ms:  p50     p90     p99\n",
                rank_dir.c_str());
    for (const auto& [shape, ms] : rank_times) {
      std::printf("  %-8s %s\n", shape.c_str(), Percentiles(ms).c_str());
    }
    if (wrong > 0) std::printf("%d queries returned fewer hits than min(10, total)\n", wrong);
  }
  return mismatches == 0 ? 0 : 1;
}
