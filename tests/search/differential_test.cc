// The index against a brute-force scan of the store (the acceptance
// test): random reports and random queries of 1–6 characters cut from them,
// in their other script, case or width, plus strings that do not occur. The
// set of reports found must equal the scan exactly, and so must the totals,
// the literal occurrence counts, the boolean combinations, the filters and
// the facets — before and after updates, deletes and inserts.
//
// The seed is printed; BAOGAO_SEED=<n> replays a run.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "search/internal/facets.h"
#include "search/search.h"
#include "store/store.h"
#include "test_corpus.h"
#include "text/fold.h"

namespace baogao::search {
namespace {

using report::Report;
using report::ReportId;
using testing::Chars;
using testing::NaiveCount;
using testing::TextGenerator;
using testing::Utf8;
using IdSet = std::set<int64_t>;

constexpr uint64_t kDefaultSeed = 20240611;
constexpr int kReports = 300;
constexpr int kQueries = 1500;
constexpr int kQueriesAfterChanges = 300;
constexpr int kMaxFailures = 30;  // then stop: one bug floods the log otherwise

const int kRegions[] = {0,      100000, 110000, 110101, 370000, 370100, 370102,
                        371400, 371402, 371403, 440000, 440300, 440305, 650000};

// A report as the store holds it, with its folded title and paragraphs.
struct Entry {
  Report report;
  std::u32string title;
  std::vector<std::u32string> paragraphs;
};

std::string Describe(const IdSet& ids) {
  std::ostringstream out;
  size_t n = 0;
  for (int64_t id : ids) {
    if (n++ == 40) {
      out << " … (" << ids.size() << " in all)";
      break;
    }
    out << " " << id;
  }
  return out.str();
}

IdSet Minus(const IdSet& a, const IdSet& b) {
  IdSet out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}
IdSet Intersect(const IdSet& a, const IdSet& b) {
  IdSet out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}
IdSet Union(const IdSet& a, const IdSet& b) {
  IdSet out = a;
  out.insert(b.begin(), b.end());
  return out;
}

// A literal the test searches for, and its spelling in the query language.
struct Literal {
  std::string raw;     // the characters to find, before folding
  std::string syntax;  // a word or a "phrase"
  std::u32string folded;
};

// What a query must return.
struct Expectation {
  std::string query;
  IdSet ids;
  std::vector<std::u32string> positive;  // folded positive text terms, in query order
};

class DifferentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = testing::SeedFromEnv("differential_test", kDefaultSeed);
    rng_.seed(seed_);
    const Status fold = text::FoldStatus();
    if (!fold.ok()) std::printf("warning: no t2s folding: %s\n", fold.ToString().c_str());

    store::StoreOptions so;
    so.url = dir_.File("baogao.db");
    auto store = store::OpenStore(so);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    index_.path = dir_.File("baogao.db.index");
    index_.dictionary = testing::TestDictionary();
    index_.batch_size = 64;
  }

  int Uniform(int lo, int hi) { return gen_.Uniform(lo, hi); }

  Report RandomReport() {
    Report r;
    r.type = static_cast<report::ReportType>(Uniform(0, 3));
    const int region = kRegions[Uniform(0, std::size(kRegions) - 1)];
    if (region != 0) r.region = *report::RegionCode::FromInt(region);
    r.level = static_cast<report::AdminLevel>(Uniform(0, 4));
    r.year = Uniform(2015, 2024);
    if (Uniform(0, 2) == 0) r.date = report::Date{r.year, Uniform(1, 12), Uniform(1, 28)};
    r.title = gen_.Text(3, 16) + "报告";
    r.source_url = "http://example.org/r" + std::to_string(Uniform(0, 1 << 30));
    const int paragraphs = Uniform(1, 7);
    for (int i = 0; i < paragraphs; ++i) {
      r.body.push_back({Uniform(0, 2), Uniform(0, 15) == 0 ? std::string() : gen_.Text(3, 50)});
    }
    return r;
  }

  // Reloads the model from the store: it, not what the test meant to write,
  // is what the index must agree with.
  void LoadModel() {
    model_.clear();
    for (Report& r : testing::AllReports(*store_)) {
      Entry e;
      e.title = text::Fold(r.title).chars;
      for (const report::Paragraph& p : r.body) e.paragraphs.push_back(text::Fold(p.text).chars);
      e.report = std::move(r);
      model_.emplace(e.report.id.value(), std::move(e));
    }
  }

  void CatchUpAndRefresh() {
    SearcherOptions so;
    so.path = index_.path;
    so.dictionary = testing::TestDictionary();
    testing::CatchUpAndRefresh(index_, so, *store_, &writer_, &searcher_);
    if (HasFatalFailure()) return;
    auto latest = store_->LatestSequence();
    ASSERT_TRUE(latest.ok());
    EXPECT_EQ(writer_->sequence(), *latest);
    LoadModel();
    EXPECT_EQ(searcher_->document_count(), static_cast<int64_t>(model_.size()));
  }

  // ---- the reference ----

  static int64_t Count(const Entry& e, std::u32string_view term) {
    int64_t n = NaiveCount(e.title, term);
    for (const std::u32string& p : e.paragraphs) n += NaiveCount(p, term);
    return n;
  }

  IdSet Matching(std::u32string_view folded) const {
    IdSet ids;
    for (const auto& [id, e] : model_) {
      if (Count(e, folded) > 0) ids.insert(id);
    }
    return ids;
  }

  IdSet AllIds() const {
    IdSet ids;
    for (const auto& [id, e] : model_) ids.insert(id);
    return ids;
  }

  template <typename Pred>
  IdSet Where(Pred pred) const {
    IdSet ids;
    for (const auto& [id, e] : model_) {
      if (pred(e.report)) ids.insert(id);
    }
    return ids;
  }

  // ---- queries ----

  // `raw` in the query language, or nullopt when it cannot be said (a '"'
  // inside, or nothing left after folding).
  std::optional<Literal> Spell(const std::string& raw) {
    Literal l;
    l.raw = raw;
    l.folded = text::Fold(raw).chars;
    if (l.folded.empty() || raw.find('"') != std::string::npos) return std::nullopt;
    bool quote = raw == "OR";
    const std::u32string chars = Chars(raw);
    for (size_t i = 0; i < chars.size(); ++i) {
      const char32_t c = chars[i];
      if (c == ' ' || c == '\t' || c == U'\u3000' || c == '(' || c == ')' || c == U'（' ||
          c == U'）' || c == U'“' || c == U'”' || c == U'「' || c == U'」' || c == ':' ||
          c == U'：' || (i == 0 && (c == '-' || c == U'－'))) {
        quote = true;
      }
    }
    if (!quote && Uniform(0, 3) == 0) quote = true;
    l.syntax = quote ? "\"" + raw + "\"" : raw;
    return l;
  }

  // 1–6 characters cut from a random title or paragraph, sometimes turned
  // into the other script, upper case or full width.
  std::string CutRaw() {
    const Report& r = model_.at(RandomId()).report;
    const int unit = Uniform(-1, static_cast<int>(r.body.size()) - 1);
    const std::u32string source = Chars(unit < 0 ? r.title : r.body[unit].text);
    if (source.empty()) return "发展";
    const int len = std::min(Uniform(1, 6), static_cast<int>(source.size()));
    const int start = Uniform(0, static_cast<int>(source.size()) - len);
    std::string raw = Utf8(source.substr(start, len));
    switch (Uniform(0, 9)) {
      case 0:
        return TextGenerator::ToSimplified(raw);
      case 1:
        return TextGenerator::ToTraditional(raw);
      case 2:
        return TextGenerator::ToUpperAscii(raw);
      case 3:
        return TextGenerator::ToFullWidth(raw);
      default:
        return raw;
    }
  }

  // A string that probably does not occur: random characters of the
  // alphabet, or with a character the reports never contain.
  std::string AbsentRaw() {
    std::string raw;
    for (int n = Uniform(2, 6); n > 0; --n) raw += gen_.Char();
    if (Uniform(0, 2) == 0) {
      static const std::vector<std::string> kForeign = {"鑫", "Z", "é", "𠀀", "qu", "９"};
      raw.insert(0, gen_.Pick(kForeign));
    }
    return raw;
  }

  Literal RandomLiteral() {
    while (true) {
      auto l = Spell(Uniform(0, 4) == 0 ? AbsentRaw() : CutRaw());
      if (l) return *l;
    }
  }

  Expectation TextQuery(const Literal& l) { return {l.syntax, Matching(l.folded), {l.folded}}; }

  // Two or three literals combined with AND, OR, a minus, parentheses.
  Expectation BooleanQuery() {
    const Literal a = RandomLiteral();
    const Literal b = RandomLiteral();
    const IdSet ea = Matching(a.folded), eb = Matching(b.folded);
    switch (Uniform(0, 7)) {
      case 0:
        return {a.syntax + " " + b.syntax, Intersect(ea, eb), {a.folded, b.folded}};
      case 6:
        return {a.syntax + " OR -" + b.syntax, Union(ea, Minus(AllIds(), eb)), {a.folded}};
      case 7: {
        const Literal c = RandomLiteral();
        return {a.syntax + " -(" + b.syntax + " OR " + c.syntax + ")",
                Minus(ea, Union(eb, Matching(c.folded))),
                {a.folded}};
      }
      case 1:
        return {a.syntax + " OR " + b.syntax, Union(ea, eb), {a.folded, b.folded}};
      case 2:
        return {a.syntax + " -" + b.syntax, Minus(ea, eb), {a.folded}};
      case 3:
        return {"-" + b.syntax, Minus(AllIds(), eb), {}};
      case 4: {
        const Literal c = RandomLiteral();
        return {"(" + a.syntax + " OR " + b.syntax + ") -" + c.syntax,
                Minus(Union(ea, eb), Matching(c.folded)),
                {a.folded, b.folded}};
      }
      default: {
        const Literal c = RandomLiteral();
        return {a.syntax + "\u3000" + b.syntax + " OR " + c.syntax,
                Intersect(ea, Union(eb, Matching(c.folded))),
                {a.folded, b.folded, c.folded}};
      }
    }
  }

  // A filter alone or with a literal.
  Expectation FilterQuery() {
    std::string filter;
    IdSet ids;
    switch (Uniform(0, 4)) {
      case 0: {
        const int code = kRegions[Uniform(1, std::size(kRegions) - 1)];
        filter = "region:" + std::to_string(code);
        const std::string digits = std::to_string(code);
        const size_t len = code % 10000 == 0 ? 2 : code % 100 == 0 ? 4 : 6;
        ids = Where([&](const Report& r) {
          if (!r.region) return false;
          if (code == report::RegionCode::kNational) return r.region->is_national();
          return !r.region->is_national() &&
                 r.region->ToString().substr(0, len) == digits.substr(0, len);
        });
        break;
      }
      case 1: {
        static const char* kMacro[][2] = {
            {"华东", "huadong"}, {"huanan", "huanan"}, {"华北地区", "huabei"}, {"xibei", "xibei"}};
        const int m = Uniform(0, 3);
        filter = std::string("region:") + kMacro[m][0];
        ids = Where(
            [&](const Report& r) { return internal::FacetKeysOf(r).macro_region == kMacro[m][1]; });
        break;
      }
      case 2: {
        const int from = Uniform(2014, 2025), to = Uniform(from, 2026);
        switch (Uniform(0, 2)) {
          case 0:
            filter = "year:" + std::to_string(from) + ".." + std::to_string(to);
            ids = Where([&](const Report& r) { return r.year >= from && r.year <= to; });
            break;
          case 1:
            filter = "year:" + std::to_string(from);
            ids = Where([&](const Report& r) { return r.year == from; });
            break;
          default:
            filter = "year:.." + std::to_string(from);
            ids = Where([&](const Report& r) { return r.year <= from; });
        }
        break;
      }
      case 3: {
        const auto type = static_cast<report::ReportType>(Uniform(0, 3));
        filter = "type:" + std::string(report::ReportTypeSlug(type));
        ids = Where([&](const Report& r) { return r.type == type; });
        break;
      }
      default: {
        const Level level = static_cast<Level>(Uniform(0, 3));
        filter = "level:" + std::string(LevelSlug(level));
        ids = Where([&](const Report& r) { return r.level == ToAdminLevel(level); });
      }
    }
    switch (Uniform(0, 3)) {
      case 0:
        return {filter, ids, {}};
      case 1:
        return {"-" + filter, Minus(AllIds(), ids), {}};
      default: {
        const Literal l = RandomLiteral();
        return {l.syntax + " " + filter, Intersect(Matching(l.folded), ids), {l.folded}};
      }
    }
  }

  // ---- the check ----

  std::string Context(const Expectation& e) const {
    std::string folded;
    for (const std::u32string& t : e.positive) folded += " [" + Utf8(t) + "]";
    return "query: " + e.query + "\nfolded positive terms:" + folded +
           "\nseed: " + std::to_string(seed_);
  }

  // Runs `e` through the searcher (every page of `page` hits) and compares
  // everything with the reference. Returns false on a mismatch.
  bool Check(const Expectation& e, bool facets = false, int64_t page = 1000) {
    if (failures_ >= kMaxFailures) return false;
    SearchRequest req;
    req.query = e.query;
    req.limit = page;
    req.max_snippets = Uniform(0, 3) == 0 ? 3 : 0;
    req.facets = facets;
    if (Uniform(0, 3) == 0) req.sort = SortOrder::kNewest;
    IdSet found;
    std::vector<Hit> hits;
    SearchResult first;
    for (int64_t offset = 0;; offset += page) {
      req.offset = offset;
      auto result = searcher_->Search(req, *store_);
      if (!result.ok()) {
        ADD_FAILURE() << Context(e) << "\nerror: " << result.status().ToString();
        ++failures_;
        return false;
      }
      if (offset == 0) {
        first = *result;
      } else if (result->total != first.total) {
        ADD_FAILURE() << Context(e) << "\ntotal changed between pages: " << first.total << " then "
                      << result->total;
        ++failures_;
        return false;
      }
      for (Hit& h : result->hits) {
        if (!found.insert(h.id.value()).second) {
          ADD_FAILURE() << Context(e) << "\nreport " << h.id.value() << " returned twice";
          ++failures_;
          return false;
        }
        hits.push_back(std::move(h));
      }
      if (static_cast<int64_t>(result->hits.size()) < page) break;
    }
    bool ok = true;
    auto fail = [&](const std::string& what) {
      ADD_FAILURE() << Context(e) << "\n" << what;
      ok = false;
    };
    if (found != e.ids) {
      fail("missing:" + Describe(Minus(e.ids, found)) + "\nextra:" + Describe(Minus(found, e.ids)));
    }
    if (first.total != static_cast<int64_t>(e.ids.size())) {
      fail("total " + std::to_string(first.total) + ", expected " + std::to_string(e.ids.size()));
    }
    std::vector<std::string> terms;
    for (const std::u32string& t : e.positive) terms.push_back(Utf8(t));
    if (first.terms != terms) fail("terms differ; normalized query: " + first.normalized_query);

    for (const Hit& h : hits) {
      auto it = model_.find(h.id.value());
      if (it == model_.end()) continue;  // reported as extra above
      const Report& r = it->second.report;
      if (h.title != r.title || h.year != r.year || h.type != r.type || h.region != r.region ||
          h.level != r.level || h.date != r.date) {
        fail("hit " + std::to_string(h.id.value()) + " has another report's fields");
      }
      int64_t total = 0;
      for (size_t t = 0; t < e.positive.size(); ++t) {
        const int64_t naive = Count(it->second, e.positive[t]);
        total += naive;
        // The searcher's reference function on a few hits per query (it
        // refolds the whole report: all of them would dominate the run).
        if (&h - hits.data() < 4) CheckCountOccurrences(r.id.value(), e.positive[t], &fail);
        if (t >= h.term_occurrences.size() || h.term_occurrences[t].first != terms[t] ||
            h.term_occurrences[t].second != naive) {
          fail("hit " + std::to_string(h.id.value()) + ": term_occurrences wrong for " + terms[t] +
               " (naive " + std::to_string(naive) + ")");
        }
      }
      if (h.occurrences != total) {
        fail("hit " + std::to_string(h.id.value()) + ": occurrences " +
             std::to_string(h.occurrences) + ", naive count " + std::to_string(total));
      }
    }
    // And on a report that may not match at all.
    for (const std::u32string& t : e.positive) CheckCountOccurrences(RandomId(), t, &fail);
    if (facets) CheckFacets(e, first, &fail);
    if (page >= static_cast<int64_t>(hits.size()) && Uniform(0, 4) == 0) {
      CheckSlice(e, req, hits, &fail);
    }
    if (!ok) ++failures_;
    ++checked_;
    return ok;
  }

  int64_t RandomId() {
    auto it = model_.begin();
    std::advance(it, Uniform(0, static_cast<int>(model_.size()) - 1));
    return it->first;
  }

  // search::CountOccurrences against the naive count.
  template <typename Fail>
  void CheckCountOccurrences(int64_t id, const std::u32string& term, Fail* fail) {
    const Entry& e = model_.at(id);
    const int64_t counted = CountOccurrences(e.report, term);
    const int64_t naive = Count(e, term);
    if (counted != naive) {
      (*fail)("CountOccurrences(" + std::to_string(id) + ", " + Utf8(term) +
              ") = " + std::to_string(counted) + ", naive count " + std::to_string(naive));
    }
  }

  // One page at a random offset (maybe past the end) and size (maybe 0)
  // is the same slice of the same order, with the same exact total.
  template <typename Fail>
  void CheckSlice(const Expectation& e, SearchRequest req, const std::vector<Hit>& all,
                  Fail* fail) {
    req.offset = Uniform(0, static_cast<int>(all.size()) + 2);
    req.limit = Uniform(0, 20);
    auto result = searcher_->Search(req, *store_);
    if (!result.ok()) return (*fail)("page error: " + result.status().ToString());
    std::vector<int64_t> want, got;
    for (size_t i = req.offset; i < all.size() && i < static_cast<size_t>(req.offset + req.limit);
         ++i) {
      want.push_back(all[i].id.value());
    }
    for (const Hit& h : result->hits) got.push_back(h.id.value());
    if (got != want) {
      (*fail)("page offset " + std::to_string(req.offset) + " limit " + std::to_string(req.limit) +
              " is not the slice of the whole result");
    }
    if (result->total != static_cast<int64_t>(e.ids.size())) {
      (*fail)("page offset " + std::to_string(req.offset) + " limit " + std::to_string(req.limit) +
              ": total " + std::to_string(result->total) + ", expected " +
              std::to_string(e.ids.size()));
    }
  }

  template <typename Fail>
  void CheckFacets(const Expectation& e, const SearchResult& result, Fail* fail) {
    std::map<std::string, std::map<std::string, int64_t>> want;
    for (const char* name : {"macro_region", "province", "level", "type", "year"}) want[name];
    for (int64_t id : e.ids) {
      const internal::FacetKeys k = internal::FacetKeysOf(model_.at(id).report);
      for (const auto& [name, key] :
           {std::pair<const char*, const std::string&>{"macro_region", k.macro_region},
            {"province", k.province},
            {"level", k.level},
            {"type", k.type},
            {"year", k.year}}) {
        if (!key.empty()) ++want[name][key];
      }
    }
    std::map<std::string, std::map<std::string, int64_t>> got;
    for (const char* name : {"macro_region", "province", "level", "type", "year"}) got[name];
    for (const auto& [name, values] : result.facets) {
      for (size_t i = 0; i < values.size(); ++i) {
        got[name][values[i].key] += values[i].count;
        if (i == 0) continue;
        const FacetValue& prev = values[i - 1];
        const bool ordered =
            name == "year" ? prev.key > values[i].key : prev.count >= values[i].count;
        if (!ordered) (*fail)("facet " + name + " out of order at " + values[i].key);
      }
    }
    for (const auto& [name, counts] : want) {
      if (got[name] == counts) continue;
      std::string diff;
      std::set<std::string> keys;
      for (const auto& [k, n] : counts) keys.insert(k);
      for (const auto& [k, n] : got[name]) keys.insert(k);
      for (const std::string& k : keys) {
        const int64_t w = counts.count(k) ? counts.at(k) : 0;
        const int64_t g = got[name].count(k) ? got[name].at(k) : 0;
        if (w != g) diff += " " + k + ": got " + std::to_string(g) + " want " + std::to_string(w);
      }
      (*fail)("facet " + name + " differs:" + diff);
    }
  }

  // `n` text queries, plus boolean and filter queries, some paged in small
  // pages, some with facets.
  void RunQueries(int n, int facet_queries) {
    for (int i = 0; i < n && failures_ < kMaxFailures; ++i) {
      Check(TextQuery(RandomLiteral()), /*facets=*/false, Uniform(0, 19) == 0 ? 7 : 1000);
    }
    for (int i = 0; i < n / 10 && failures_ < kMaxFailures; ++i) Check(BooleanQuery());
    for (int i = 0; i < n / 10 && failures_ < kMaxFailures; ++i) Check(FilterQuery());
    for (int i = 0; i < facet_queries && failures_ < kMaxFailures; ++i) {
      const int k = Uniform(0, 2);
      Check(k == 0   ? TextQuery(RandomLiteral())
            : k == 1 ? BooleanQuery()
                     : FilterQuery(),
            /*facets=*/true);
    }
  }

  testing::TempDir dir_;
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  TextGenerator gen_{&rng_};
  std::unique_ptr<store::Store> store_;
  IndexOptions index_;
  std::unique_ptr<IndexWriter> writer_;
  std::unique_ptr<Searcher> searcher_;
  std::map<int64_t, Entry> model_;
  int failures_ = 0;
  int checked_ = 0;
};

TEST_F(DifferentialTest, IndexAgreesWithBruteForceScan) {
  ASSERT_TRUE(store_
                  ->RunInTransaction([&](store::Transaction& tx) -> Status {
                    for (int i = 0; i < kReports; ++i) {
                      BAOGAO_RETURN_IF_ERROR(tx.Insert(RandomReport()).status());
                    }
                    return Status::Ok();
                  })
                  .ok());
  CatchUpAndRefresh();
  ASSERT_EQ(model_.size(), static_cast<size_t>(kReports));

  // The empty query lists everything; a query that is only whitespace or
  // zero-width characters after folding does too.
  Check({"", AllIds(), {}});
  Check({"\"\u200B\u00A0\"", AllIds(), {}});

  RunQueries(kQueries, /*facet_queries=*/50);
  ASSERT_LT(failures_, kMaxFailures) << "stopped after " << kMaxFailures << " mismatches";

  // Change the store under the index: new bodies (and sometimes titles and
  // metadata), deletions, new reports.
  std::vector<int64_t> ids;
  for (const auto& [id, e] : model_) ids.push_back(id);
  std::shuffle(ids.begin(), ids.end(), rng_);
  for (int i = 0; i < 20; ++i) {
    Report r = model_.at(ids[i]).report;
    Report fresh = RandomReport();
    r.body = fresh.body;
    if (i % 2 == 0) r.title = fresh.title;
    if (i % 3 == 0) {
      r.region = fresh.region;
      r.year = fresh.year;
      r.type = fresh.type;
    }
    ASSERT_TRUE(store_->Update(r).ok());
  }
  for (int i = 20; i < 40; ++i) ASSERT_TRUE(store_->Delete(ReportId(ids[i])).ok());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(store_->Insert(RandomReport()).ok());
  // An update and a delete of the same report, and an insert deleted again,
  // all inside one batch.
  {
    Report r = model_.at(ids[40]).report;
    r.body = RandomReport().body;
    ASSERT_TRUE(store_->Update(r).ok());
    ASSERT_TRUE(store_->Delete(r.id).ok());
    auto id = store_->Insert(RandomReport());
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(store_->Delete(*id).ok());
  }
  CatchUpAndRefresh();
  ASSERT_EQ(model_.size(), static_cast<size_t>(kReports - 21 + 20));
  for (int i = 20; i <= 40; ++i) EXPECT_EQ(model_.count(ids[i]), 0u);

  RunQueries(kQueriesAfterChanges, /*facet_queries=*/20);

  // A rebuild in several shards, each in several batches, over a log with
  // gaps (the deletions): the writer and the searcher move to it.
  index_.rebuild_shards = 3;
  index_.rebuild_batch_size = 16;
  const Status rebuilt = Rebuild(*store_, index_);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.ToString();
  CatchUpAndRefresh();
  RunQueries(kQueriesAfterChanges, /*facet_queries=*/20);
  std::printf("checked %d queries\n", checked_);
  EXPECT_EQ(failures_, 0);
}

}  // namespace
}  // namespace baogao::search
