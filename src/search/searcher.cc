// The searcher: query tree → Xapian query, ranking, facets, snippets and
// literal counts.
#include <algorithm>
#include <bitset>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cwchar>
#include <iterator>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "search/internal/facets.h"
#include "search/internal/fold_offsets.h"
#include "search/internal/literal.h"
#include "search/internal/ranked_words.h"
#include "search/internal/report_cache.h"
#include "search/internal/terms.h"
#include "search/internal/xapian_util.h"
#include "search/search.h"
#include "text/fold.h"
#include "text/text.h"

namespace baogao::search {
namespace {

using internal::XapianCall;
using Kind = QueryNode::Kind;

std::string Utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) text::AppendUtf8(text::IsInvalidByteUnit(c) ? 0xFFFD : c, &out);
  return out;
}

std::string Term(std::string_view prefix, std::string_view value) {
  std::string t(prefix);
  t.append(value);
  return t;
}

// text.find(term, from), with the first character found by wmemchr
// (vectorised in glibc; wchar_t has char32_t's size and representation
// here) rather than a loop over char_traits<char32_t>: counting terms in
// every paragraph of every hit was the searcher's largest own cost.
size_t Find(std::u32string_view text, std::u32string_view term, size_t from) {
  static_assert(sizeof(wchar_t) == sizeof(char32_t) && WCHAR_MAX >= 0x7FFFFFFF);
  const size_t n = text.size();
  const size_t m = term.size();
  if (m == 0) return from <= n ? from : std::u32string_view::npos;
  const char32_t* base = text.data();
  while (from + m <= n) {
    const auto* hit = reinterpret_cast<const char32_t*>(
        std::wmemchr(reinterpret_cast<const wchar_t*>(base + from), static_cast<wchar_t>(term[0]),
                     n - m + 1 - from));
    if (hit == nullptr) break;
    const size_t at = static_cast<size_t>(hit - base);
    if (std::u32string_view::traits_type::compare(hit + 1, term.data() + 1, m - 1) == 0) return at;
    from = at + 1;
  }
  return std::u32string_view::npos;
}

// Non-overlapping occurrences of `term` in `text`, as [start, end) indexes.
void FindAll(std::u32string_view text, std::u32string_view term,
             std::vector<std::pair<size_t, size_t>>* out) {
  if (term.empty()) return;
  for (size_t pos = Find(text, term, 0); pos != std::u32string_view::npos;
       pos = Find(text, term, pos + term.size())) {
    out->emplace_back(pos, pos + term.size());
  }
}

int64_t CountIn(std::u32string_view text, std::u32string_view term) {
  if (term.empty()) return 0;
  int64_t n = 0;
  for (size_t pos = Find(text, term, 0); pos != std::u32string_view::npos;
       pos = Find(text, term, pos + term.size())) {
    ++n;
  }
  return n;
}

Status QueryError(std::string message) { return Status::InvalidArgument(std::move(message)); }

const char* kMacroNames[][2] = {{"华北", "huabei"},   {"东北", "dongbei"}, {"华东", "huadong"},
                                {"华中", "huazhong"}, {"华南", "huanan"},  {"西南", "xinan"},
                                {"西北", "xibei"},    {"全国", "quanguo"}};

// The facets of SearchResult, by value slot, in the order FacetSpy counts.
constexpr const char* kFacetNames[] = {"macro_region", "province", "level", "type", "year"};
constexpr unsigned kFacetSlots[] = {internal::kSlotMacro, internal::kSlotProvince,
                                    internal::kSlotLevel, internal::kSlotType,
                                    internal::kSlotYearText};
constexpr size_t kFacetCount = std::size(kFacetSlots);

// The facet keys of the documents seen so far, as one-byte codes per
// facet, for one revision of the index (ClearDocuments() on every reopen):
// counting a match then reads nothing from Xapian. A row is read from the
// document (Document::get_value, a B-tree lookup per slot) the first time
// the document matches; the keys are interned with their labels. A facet
// with more than 253 distinct keys leaves the rest uncoded (kUncoded: read
// from the document at every match).
class FacetTable {
 public:
  static constexpr uint8_t kNone = 0;  // no value in the slot
  static constexpr uint8_t kUncoded = 255;

  explicit FacetTable(const region::RegionTable* regions) : regions_(regions) {}

  void ClearDocuments() { rows_.clear(); }

  // The codes of `doc`, one per facet.
  const uint8_t* Codes(const Xapian::Document& doc) {
    const Xapian::docid did = doc.get_docid();
    if (did >= kMaxRows) {
      Read(doc, &spare_);
      return spare_.code;
    }
    if (did >= rows_.size()) {
      rows_.resize(std::min(kMaxRows, std::max<size_t>(did + 1, rows_.size() * 2)));
    }
    Row& row = rows_[did];
    if (!row.loaded) Read(doc, &row);
    return row.code;
  }

  size_t size(size_t facet) const { return keys_[facet].size(); }
  // The key and label of `code` (1 .. size(facet)).
  const std::string& key(size_t facet, uint8_t code) const { return keys_[facet][code - 1]; }
  const std::string& label(size_t facet, uint8_t code) const { return labels_[facet][code - 1]; }
  std::string Label(size_t facet, const std::string& key) const {
    return internal::FacetLabel(kFacetNames[facet], key, regions_);
  }

 private:
  struct Row {
    bool loaded = false;
    uint8_t code[kFacetCount] = {};
  };
  // Rows for docids below this (6 bytes each); others are read every time.
  static constexpr size_t kMaxRows = size_t{1} << 22;

  void Read(const Xapian::Document& doc, Row* row) {
    for (size_t i = 0; i < kFacetCount; ++i)
      row->code[i] = Intern(i, doc.get_value(kFacetSlots[i]));
    row->loaded = true;
  }

  uint8_t Intern(size_t facet, const std::string& key) {
    if (key.empty()) return kNone;
    std::vector<std::string>& keys = keys_[facet];
    // Few keys per facet (at most 35 provinces): a linear search will do.
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return static_cast<uint8_t>(i + 1);
    }
    if (keys.size() + 1 >= kUncoded) return kUncoded;
    keys.push_back(key);
    labels_[facet].push_back(Label(facet, key));
    return static_cast<uint8_t>(keys.size());
  }

  const region::RegionTable* regions_;
  std::vector<Row> rows_;  // by docid
  Row spare_;
  std::vector<std::string> keys_[kFacetCount];
  std::vector<std::string> labels_[kFacetCount];
};

// Counts the five facets over every match, as five Xapian::ValueCountMatchSpy
// would (empty values not counted), with one virtual call per match and the
// keys from a FacetTable instead of five Document::get_value calls.
class FacetSpy final : public Xapian::MatchSpy {
 public:
  explicit FacetSpy(FacetTable* table) : table_(table) {}

  void operator()(const Xapian::Document& doc, double /*weight*/) override {
    const uint8_t* codes = table_->Codes(doc);
    for (size_t i = 0; i < kFacetCount; ++i) {
      if (codes[i] == FacetTable::kUncoded) {
        AddUncoded(i, doc.get_value(kFacetSlots[i]));
      } else {
        ++counts_[i][codes[i]];  // kNone's count is not used
      }
    }
  }

  // The facet's values, largest count first (years: newest first).
  std::vector<FacetValue> Values(size_t facet) const {
    std::vector<FacetValue> out;
    for (size_t c = 1; c <= table_->size(facet); ++c) {
      const uint8_t code = static_cast<uint8_t>(c);
      if (counts_[facet][c] == 0) continue;
      out.push_back(FacetValue{table_->key(facet, code), table_->label(facet, code),
                               static_cast<int64_t>(counts_[facet][c])});
    }
    for (const auto& [key, count] : uncoded_[facet]) {
      out.push_back(FacetValue{key, table_->Label(facet, key), count});
    }
    SortFacet(kFacetNames[facet], &out);
    return out;
  }

  // Largest count first (years: newest first).
  static void SortFacet(std::string_view name, std::vector<FacetValue>* values) {
    const bool by_key = name == "year";
    std::sort(values->begin(), values->end(), [by_key](const FacetValue& a, const FacetValue& b) {
      if (by_key) return a.key > b.key;
      if (a.count != b.count) return a.count > b.count;
      return a.key < b.key;
    });
  }

 private:
  void AddUncoded(size_t facet, const std::string& key) {
    for (auto& [k, n] : uncoded_[facet]) {
      if (k == key) {
        ++n;
        return;
      }
    }
    uncoded_[facet].emplace_back(key, 1);
  }

  FacetTable* table_;
  Xapian::doccount counts_[kFacetCount][256] = {};
  std::vector<std::pair<std::string, int64_t>> uncoded_[kFacetCount];
};

// The reports that contain a literal, from the literal layer, as a Xapian
// posting list of zero weight (the weights are ScoreSource's): Xapian then
// filters, excludes, sorts by date and counts facets over them. A report
// the literal layer has and this revision of Xapian has not yet (or no
// longer: the two commit one after the other) is harmless: its values read
// as empty, and the hits loop skips a report the store no longer has.
class LiteralSource final : public Xapian::PostingSource {
 public:
  // The reports `ids`, ascending.
  explicit LiteralSource(std::shared_ptr<const std::vector<uint32_t>> ids) : ids_(std::move(ids)) {}

  Xapian::doccount get_termfreq_min() const override { return Count(); }
  Xapian::doccount get_termfreq_est() const override { return Count(); }
  Xapian::doccount get_termfreq_max() const override { return Count(); }
  void init(const Xapian::Database&) override {
    started_ = false;
    set_maxweight(0);
  }
  double get_weight() const override { return 0; }
  void next(double) override {
    if (started_) {
      ++at_;
    } else {
      started_ = true;
      at_ = 0;
    }
  }
  void skip_to(Xapian::docid did, double) override {
    if (!started_) {
      started_ = true;
      at_ = 0;
    }
    // Galloping: the target is usually near (an AND skips a few reports at
    // a time), so look 1, 2, 4, ... ahead before searching in between.
    const std::vector<uint32_t>& v = *ids_;
    size_t lo = at_, hi = at_, step = 1;
    while (hi < v.size() && v[hi] < did) {
      lo = hi + 1;
      hi = at_ + step;
      step *= 2;
    }
    hi = std::min(hi, v.size());
    at_ = static_cast<size_t>(std::lower_bound(v.begin() + static_cast<ptrdiff_t>(lo),
                                               v.begin() + static_cast<ptrdiff_t>(hi), did) -
                              v.begin());
  }
  bool at_end() const override { return started_ && at_ >= ids_->size(); }
  Xapian::docid get_docid() const override { return (*ids_)[at_]; }
  // Xapian clones a source per database it searches.
  LiteralSource* clone() const override { return new LiteralSource(ids_); }
  std::string get_description() const override {
    return "LiteralSource(" + std::to_string(ids_->size()) + ")";
  }

 private:
  Xapian::doccount Count() const { return static_cast<Xapian::doccount>(ids_->size()); }
  std::shared_ptr<const std::vector<uint32_t>> ids_;
  size_t at_ = 0;
  bool started_ = false;
};

// The reports' weights, an array by id (0: no weight), as a Xapian posting
// list of the reports that have one: the ranked side of a query with a
// filter, a date sort or facets, which Xapian then reads at the reports
// that match. Steps are direct: skip_to(id) looks at the id itself. It
// reads the searcher's array, which does not change while Xapian matches.
class ScoreSource final : public Xapian::PostingSource {
 public:
  ScoreSource(const float* scores, size_t size, double max_weight)
      : scores_(scores), size_(size), max_weight_(max_weight) {}

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return Count() / 2; }
  Xapian::doccount get_termfreq_max() const override { return Count(); }
  void init(const Xapian::Database&) override {
    at_ = 0;
    set_maxweight(max_weight_);
  }
  double get_weight() const override { return scores_[at_]; }
  void next(double) override {
    ++at_;
    Settle();
  }
  void skip_to(Xapian::docid did, double) override {
    if (did > at_) at_ = did;
    Settle();
  }
  bool at_end() const override { return at_ >= size_; }
  Xapian::docid get_docid() const override { return static_cast<Xapian::docid>(at_); }
  ScoreSource* clone() const override { return new ScoreSource(scores_, size_, max_weight_); }
  std::string get_description() const override {
    return "ScoreSource(" + std::to_string(size_) + ")";
  }

 private:
  Xapian::doccount Count() const { return static_cast<Xapian::doccount>(size_); }
  // Moves to the first report at or after at_ with a weight.
  void Settle() {
    while (at_ < size_ && !(scores_[at_] > 0.0f)) ++at_;
  }
  const float* scores_;
  size_t size_;
  double max_weight_;
  size_t at_ = 0;  // 0: before the first (ids start at 1)
};

// a ∩ b (both ascending) into *out, which is neither: by binary search in
// the longer for each of the shorter's ids when one is far shorter, by a
// merge otherwise.
void Intersect(const std::vector<uint32_t>& x, const std::vector<uint32_t>& y,
               std::vector<uint32_t>* out) {
  const std::vector<uint32_t>& a = x.size() <= y.size() ? x : y;
  const std::vector<uint32_t>& b = x.size() <= y.size() ? y : x;
  out->resize(a.size());
  uint32_t* const o = out->data();
  size_t n = 0;
  if (a.size() * 32 < b.size()) {
    auto from = b.begin();
    for (const uint32_t id : a) {
      from = std::lower_bound(from, b.end(), id);
      if (from == b.end()) break;
      if (*from == id) o[n++] = id;
    }
  } else {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
      const uint32_t u = a[i], v = b[j];
      if (u == v) o[n++] = u;
      i += u <= v;
      j += v <= u;
    }
  }
  out->resize(n);
}

// The region module's code of a report attributes' region (not 0), as
// FacetKeysOf reads a report's: an unknown code counts as national.
region::RegionCode RegionOfAttrs(uint32_t region) {
  const auto code = report::RegionCode::FromInt(region);
  return code.ok() ? internal::ToRegionCode(*code) : region::RegionCode::kNational;
}

// A filter answered from the literal layer's report attributes, so that a
// query of strings and filters needs no Xapian (docs/search.md "Filters").
// It agrees with the filter's Xapian terms and values (internal/terms.h).
struct AttrFilter {
  enum Kind { kRegionPrefix, kNational, kMacro, kLevel, kType, kYears };
  AttrFilter() = default;
  AttrFilter(Kind k, uint32_t first, uint32_t second) : kind(k), a(first), b(second) {}

  Kind kind = kYears;
  // kRegionPrefix: the subtree's first code (its prefix, then zeros) and
  // how many codes it spans (10^(digits after the prefix));
  // kLevel, kType: the enum's value; kYears: first and last year.
  uint32_t a = 0, b = 0;
  // kMacro: by the code's first two digits, whether its reports are in
  // the macro-region (see Macro()).
  std::bitset<100> provinces;

  // The filter of macro-region `m` (never 全国, which is kNational). A
  // code's macro-region, as FacetKeysOf reads it (RegionOfAttrs, then
  // MacroRegionOf), depends on its first two digits only, so it is
  // looked up once per two digits here rather than once per report.
  static AttrFilter Macro(region::MacroRegion m) {
    AttrFilter f{kMacro, 0, 0};
    for (uint32_t p = 10; p < 100; ++p)
      f.provinces[p] = region::MacroRegionOf(RegionOfAttrs(p * 10000)) == m;
    return f;
  }

  bool Passes(const internal::ReportAttrs& r) const {
    constexpr uint32_t kNationalCode = report::RegionCode::kNational;
    switch (kind) {
      case kRegionPrefix:
        return r.region != 0 && r.region != kNationalCode && r.region - a < b;
      case kNational:
        return r.region == kNationalCode;
      case kMacro:  // a region of six digits (any other reads as national)
        return r.region >= 100000 && r.region <= 999999 && provinces[r.region / 10000];
      case kLevel:
        return r.level == a;
      case kType:
        return r.type == a;
      case kYears:
        return r.year >= a && r.year <= b;
    }
    return false;
  }
};

class XapianSearcher final : public Searcher {
 public:
  using Ids = std::shared_ptr<const std::vector<uint32_t>>;
  // A title's word weighs this many times a body's.
  static constexpr double kTitleFactor = 2.0;
  // A character of a string that ranks by its characters weighs this many
  // times a body's word (BM25 over the character's counts).
  static constexpr double kCharFactor = 0.25;

  explicit XapianSearcher(const SearcherOptions& options)
      : options_(options),
        segmenter_(options.dictionary),
        facet_table_(options.regions.get()),
        cache_(options.report_cache != nullptr ? options.report_cache
                                               : NewReportCache(kDefaultReportCacheBytes)) {}

  Status Open() {
    BAOGAO_ASSIGN_OR_RETURN(generation_, internal::ReadStubGeneration(options_.path));
    if (generation_.empty()) {
      return Status::NotFound(options_.path + ": no search index; run `baogao reindex`");
    }
    return XapianCall(generation_, [&]() -> Status {
      db_ = Xapian::Database(generation_, Xapian::DB_BACKEND_GLASS);
      facet_table_.ClearDocuments();
      const std::string format = db_.get_metadata(std::string(internal::kMetaFormat));
      if (format != internal::kIndexFormat) {
        return Status::Corrupt(generation_ + ": index format '" + format + "', expected '" +
                               std::string(internal::kIndexFormat) + "'; run `baogao reindex`");
      }
      auto literal = internal::LiteralIndex::Open(internal::LiteralPath(generation_), false);
      if (!literal.ok()) {
        if (literal.status().code() != StatusCode::kNotFound) return literal.status();
        return Status::Corrupt(generation_ +
                               ": the literal index is missing; run `baogao reindex`");
      }
      literal_ = std::move(*literal);
      return Sync();
    });
  }

  // The writer commits a batch to the literal layer, then to Xapian: if
  // this searcher caught the literal layer ahead, it reopens Xapian for a
  // moment until the two agree (they always do once the writer's commit is
  // done; if the writer died in between, its next catch-up repairs it).
  Status Sync() {
    for (int attempt = 0; attempt < 50; ++attempt) {
      const std::string seq = db_.get_metadata(std::string(internal::kMetaSequence));
      if (seq == std::to_string(literal_->sequence())) return Status::Ok();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      db_.reopen();
      BAOGAO_RETURN_IF_ERROR(literal_->Refresh());
    }
    return Status::Ok();
  }

  Status Refresh() override {
    BAOGAO_ASSIGN_OR_RETURN(std::string generation, internal::ReadStubGeneration(options_.path));
    if (generation != generation_) return Open();
    return XapianCall(generation_, [&]() -> Status {
      db_.reopen();
      facet_table_.ClearDocuments();
      BAOGAO_RETURN_IF_ERROR(literal_->Refresh());
      return Sync();
    });
  }

  int64_t document_count() const override {
    try {
      return db_.get_doccount();
    } catch (const Xapian::Error&) {
      return 0;
    }
  }

  Result<SearchResult> Search(const SearchRequest& req, store::Store& store) override {
    if (req.offset < 0 || req.offset > 100000) {
      return QueryError("分页参数错误：偏移量须在 0 到 100000 之间");
    }
    if (req.limit < 0 || req.limit > 1000)
      return QueryError("分页参数错误：每页数量须在 0 到 1000 之间");
    if (req.max_snippets < 0 || req.max_snippets > 10 || req.snippet_chars < 10 ||
        req.snippet_chars > 1000) {
      return QueryError("摘要参数错误");
    }
    BAOGAO_ASSIGN_OR_RETURN(QueryNode tree, ParseQuery(req.query));
    terms_.clear();
    words_.clear();
    by_chars_.clear();
    sets_.clear();
    filters_.clear();
    SearchResult result;
    // Every report's weight, by id: a 1-character string adds its own in
    // Translate, the words and other strings' characters below.
    scores_.assign(scores_.size(), 0.0f);
    Xapian::Query match;
    BAOGAO_ASSIGN_OR_RETURN(match, Translate(tree, /*negated=*/false));
    result.normalized_query = normalized_;
    normalized_.clear();
    for (const std::u32string& t : terms_) result.terms.push_back(Utf8(t));

    // Every report's weight by the query's words, from the literal layer's
    // lists of words (docs/design.md "Ranking with lists of our own"), and
    // by the characters of strings without a word.
    for (const auto& [key, factor] : words_) {
      BAOGAO_RETURN_IF_ERROR(literal_->AddBm25(key, factor, &scores_));
    }
    BAOGAO_RETURN_IF_ERROR(CharScores());
    // A query of strings with AND, OR and exclusions, and region, level,
    // type and year filters in its top AND, matches exactly a set computed
    // from the literal layer's sets and report attributes: its total is the
    // set's size, its facets are counted over the set, and ranked by
    // relevance its page is the set's best, which needs no Xapian at all.
    const bool by_relevance = req.sort != SortOrder::kNewest && !terms_.empty();
    attrs_ = nullptr;
    if (req.facets || !filters_.empty()) BAOGAO_RETURN_IF_ERROR(literal_->AttrsById(&attrs_));
    const Ids exact = ExactSet(tree);
    sets_.clear();  // its keys point into `tree`
    filters_.clear();
    // With the exact set, the facets come from the report attributes too.
    if (exact != nullptr && req.facets) FacetsOf(*exact, &result);
    attrs_ = nullptr;
    std::vector<std::pair<uint32_t, double>> page;
    if (exact != nullptr && by_relevance) {
      result.total = static_cast<int64_t>(exact->size());
      BestOf(*exact, req, &page);
    } else {
      Xapian::MSet mset;
      std::unique_ptr<FacetSpy> spy;
      const bool exact_total = exact != nullptr;
      BAOGAO_RETURN_IF_ERROR(XapianCall(generation_, [&]() -> Status {
        Xapian::Query q = match;
        if (Xapian::Query ranked = WordSource(); !ranked.empty()) {
          q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, match, ranked);
        }
        // A writer that committed twice since this searcher last looked makes
        // Xapian discard the revision being read: move to the latest and retry.
        for (int attempt = 0;; ++attempt) {
          try {
            spy.reset();
            Xapian::Enquire enquire(db_);
            enquire.set_query(q);
            if (!by_relevance) {
              enquire.set_sort_by_value_then_relevance(internal::kSlotDate, /*reverse=*/true);
            }
            if (req.facets && !exact_total) {
              spy = std::make_unique<FacetSpy>(&facet_table_);
              enquire.add_matchspy(spy.get());
            }
            // Examining every match makes the total (and the facets) exact.
            mset = enquire.get_mset(static_cast<Xapian::doccount>(req.offset),
                                    static_cast<Xapian::doccount>(req.limit),
                                    exact_total ? 0 : db_.get_doccount());
            return Status::Ok();
          } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 2) throw;
            db_.reopen();
            facet_table_.ClearDocuments();
          }
        }
      }));
      result.total = exact_total ? static_cast<int64_t>(exact->size())
                                 : static_cast<int64_t>(mset.get_matches_estimated());
      if (spy != nullptr) CollectFacets(*spy, &result);
      for (auto it = mset.begin(); it != mset.end(); ++it) page.emplace_back(*it, it.get_weight());
    }
    by_chars_.clear();

    if (page.empty()) return result;
    std::vector<Hit> hits;
    hits.reserve(page.size());
    // The reports are fetched in one read transaction; snippets and counts
    // are made after it ends, from the (immutable, shared) cached reports,
    // so the store's lock is not held while they are computed.
    std::vector<std::pair<std::shared_ptr<const CachedReport>, double>> found;
    found.reserve(page.size());
    BAOGAO_RETURN_IF_ERROR(store.RunInReadTransaction([&](store::Transaction& tx) -> Status {
      BAOGAO_ASSIGN_OR_RETURN(ReportCache::View view, cache_->Begin(tx, &store));
      for (const auto& [id, weight] : page) {
        auto report = view.Get(tx, report::ReportId(id));
        if (!report.ok()) {
          // Deleted since the index last caught up: not a hit any more.
          if (report.status().code() == StatusCode::kNotFound) continue;
          return report.status();
        }
        found.emplace_back(std::move(*report), weight);
      }
      return Status::Ok();
    }));
    for (const auto& [report, weight] : found) {
      hits.push_back(MakeHit(*report, weight, req, result.terms));
    }
    result.hits = std::move(hits);
    return result;
  }

 private:
  // Builds the Xapian query of `n`. Collects positive text terms (for
  // ranking, counts and snippets) unless `negated`.
  Result<Xapian::Query> Translate(const QueryNode& n, bool negated) {
    switch (n.kind) {
      case Kind::kMatchAll:
        normalized_ += "ALL";
        return MatchAll();
      case Kind::kText:
      case Kind::kPhrase:
        return Literal(n, negated);
      case Kind::kNot: {
        normalized_ += "NOT(";
        BAOGAO_ASSIGN_OR_RETURN(Xapian::Query child, Translate(n.children[0], true));
        normalized_ += ")";
        return Xapian::Query(Xapian::Query::OP_AND_NOT, MatchAll(), child);
      }
      case Kind::kAnd:
      case Kind::kOr: {
        const bool is_and = n.kind == Kind::kAnd;
        normalized_ += is_and ? "AND(" : "OR(";
        std::vector<Xapian::Query> positive, negative;
        for (size_t i = 0; i < n.children.size(); ++i) {
          if (i > 0) normalized_ += ", ";
          const QueryNode& c = n.children[i];
          if (is_and && c.kind == Kind::kNot) {
            normalized_ += "NOT(";
            BAOGAO_ASSIGN_OR_RETURN(Xapian::Query q, Translate(c.children[0], true));
            normalized_ += ")";
            negative.push_back(std::move(q));
          } else {
            BAOGAO_ASSIGN_OR_RETURN(Xapian::Query q, Translate(c, negated));
            positive.push_back(std::move(q));
          }
        }
        normalized_ += ")";
        Xapian::Query q = positive.empty()
                              ? MatchAll()
                              : Xapian::Query(is_and ? Xapian::Query::OP_AND : Xapian::Query::OP_OR,
                                              positive.begin(), positive.end());
        if (!negative.empty()) {
          q = Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                            Xapian::Query(Xapian::Query::OP_OR, negative.begin(), negative.end()));
        }
        return q;
      }
      case Kind::kRegion:
        return Region(n);
      case Kind::kLevel: {
        const std::string slug(LevelSlug(n.level));
        normalized_ += "LEVEL(" + slug + ")";
        filters_[&n] =
            AttrFilter{AttrFilter::kLevel, static_cast<uint32_t>(ToAdminLevel(n.level)), 0};
        return Filter(Xapian::Query(Term(internal::kLevel, slug)));
      }
      case Kind::kType: {
        const std::string slug(report::ReportTypeSlug(n.type));
        normalized_ += "TYPE(" + std::string(report::ReportTypeName(n.type)) + ")";
        filters_[&n] = AttrFilter{AttrFilter::kType, static_cast<uint32_t>(n.type), 0};
        return Filter(Xapian::Query(Term(internal::kType, slug)));
      }
      case Kind::kYear: {
        const int from = n.years.from.value_or(kMinYear);
        const int to = n.years.to.value_or(kMaxYear);
        normalized_ += "YEAR(" + std::to_string(from) + ".." + std::to_string(to) + ")";
        filters_[&n] = AttrFilter{AttrFilter::kYears, static_cast<uint32_t>(std::max(from, 0)),
                                  static_cast<uint32_t>(std::max(to, 0))};
        return Filter(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, internal::kSlotYear,
                                    Xapian::sortable_serialise(from),
                                    Xapian::sortable_serialise(to)));
      }
      case Kind::kSource:
        return Source(n.value);
    }
    return Status::Internal("unknown query node");
  }

  static Xapian::Query Filter(Xapian::Query q) { return Xapian::Query(0.0, q); }

  // A match-all query of this search's own. Xapian::Query::MatchAll is one
  // static object whose reference count is not atomic: copying it on
  // several threads at once (every searcher of the server's pool does) is a
  // data race on that count, which TSan caught under load.
  static Xapian::Query MatchAll() { return Xapian::Query(std::string()); }

  Result<Xapian::Query> Literal(const QueryNode& n, bool negated) {
    const std::u32string folded = text::Fold(n.value).chars;
    const std::string utf8 = Utf8(folded);
    normalized_ += (n.kind == Kind::kPhrase ? "PHRASE(\"" : "TEXT(\"") + utf8 + "\")";
    if (folded.empty()) return MatchAll();
    bool chars_rank = false;
    if (!negated) {
      terms_.push_back(folded);
      // The ranked words of the string: a single character in titles only
      // (bodies index words of two or more characters; their characters
      // rank through the literal layer's counts), and only when the string
      // has no longer word (a title term such as S年 is in nearly every
      // title: it weighs nothing and costs a walk over every report).
      bool ranks_by_words = false;
      for (const segment::Token& t : internal::RankedWords(segmenter_, utf8, &ranks_by_words)) {
        if (t.char_length > 1) words_.emplace_back(internal::MakeWordKey(t.text, false), 1.0);
        words_.emplace_back(internal::MakeWordKey(t.text, true), kTitleFactor);
      }
      // A string with no word of two or more characters to rank by (a word
      // the dictionary does not know, cut into single characters;
      // punctuation, symbols) ranks by how often its characters occur.
      chars_rank = !ranks_by_words && folded.size() > 1;
    }
    auto ids = std::make_shared<std::vector<uint32_t>>();
    if (folded.size() == 1 && !negated) {
      // One character: its list is its exact set and ranks it, read once.
      const char32_t c = folded[0];
      BAOGAO_RETURN_IF_ERROR(
          literal_->AddBm25(internal::MakeGramKey(&c, 1), kCharFactor, &scores_, ids.get()));
      sets_[&n] = ids;
      return Xapian::Query((new LiteralSource(std::move(ids)))->release());
    }
    BAOGAO_RETURN_IF_ERROR(literal_->Match(folded, ids.get()));
    sets_[&n] = ids;
    // A string with no word ranks by its characters' counts (CharScores).
    if (chars_rank) {
      std::u32string distinct(folded);
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      by_chars_.push_back(ByChars{ids, std::move(distinct)});
    }
    return Xapian::Query((new LiteralSource(std::move(ids)))->release());
  }

  // Adds to scores_ the weight of the strings that rank by their
  // characters: a quarter of the sum of their characters' BM25 (from the
  // literal layer's counts), for the reports of each string's own set
  // only, so that a report with the characters but not the string gets
  // none of it.
  Status CharScores() {
    for (const ByChars& b : by_chars_) {
      char_scores_.assign(char_scores_.size(), 0.0f);
      for (char32_t c : b.chars) {
        BAOGAO_RETURN_IF_ERROR(
            literal_->AddBm25(internal::MakeGramKey(&c, 1), kCharFactor, &char_scores_));
      }
      if (scores_.size() < char_scores_.size()) scores_.resize(char_scores_.size(), 0.0f);
      for (uint32_t id : *b.set) {
        if (id < char_scores_.size()) scores_[id] += char_scores_[id];
      }
    }
    return Status::Ok();
  }

  // The page asked for of the reports `set`, best first by their weight
  // (scores_; equal weights: the lower id first), as Xapian would rank
  // them.
  void BestOf(const std::vector<uint32_t>& set, const SearchRequest& req,
              std::vector<std::pair<uint32_t, double>>* page) {
    if (!set.empty() && scores_.size() <= set.back()) scores_.resize(set.back() + size_t{1}, 0.0f);
    const size_t want = static_cast<size_t>(req.offset) + static_cast<size_t>(req.limit);
    if (want == 0 || set.size() <= static_cast<size_t>(req.offset)) return;
    // The better of two: higher weight, then lower id.
    const auto better = [](const std::pair<float, uint32_t>& a,
                           const std::pair<float, uint32_t>& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    };
    // A heap of the best `want` so far, the worst on top.
    std::vector<std::pair<float, uint32_t>>& best = best_page_;
    best.clear();
    for (uint32_t id : set) {
      const std::pair<float, uint32_t> e(scores_[id], id);
      if (best.size() < want) {
        best.push_back(e);
        std::push_heap(best.begin(), best.end(), better);
      } else if (better(e, best.front())) {
        std::pop_heap(best.begin(), best.end(), better);
        best.back() = e;
        std::push_heap(best.begin(), best.end(), better);
      }
    }
    std::sort(best.begin(), best.end(), better);
    for (size_t i = static_cast<size_t>(req.offset); i < best.size(); ++i) {
      page->emplace_back(best[i].second, best[i].first);
    }
  }

  // The reports with a weight by the query's words (scores_), as a
  // weighted posting list for Xapian; an empty query if there are none.
  Xapian::Query WordSource() const {
    float most = 0;
    for (float w : scores_) most = std::max(most, w);
    if (!(most > 0.0f)) return Xapian::Query();
    return Xapian::Query((new ScoreSource(scores_.data(), scores_.size(), most))->release());
  }

  // The exact set of reports that `n` matches, from the literal sets that
  // Translate() kept, for a tree of strings, AND, OR and exclusions inside
  // an AND; null for anything else (filters, an exclusion alone): Xapian
  // must then count the matches itself.
  Ids ExactSet(const QueryNode& n) const {
    switch (n.kind) {
      case Kind::kText:
      case Kind::kPhrase: {
        const auto it = sets_.find(&n);
        return it == sets_.end() ? nullptr : it->second;
      }
      case Kind::kAnd: {
        std::vector<Ids> positive, negative;
        std::vector<const AttrFilter*> filters;
        for (const QueryNode& c : n.children) {
          if (const auto f = filters_.find(&c); f != filters_.end()) {
            filters.push_back(&f->second);
            continue;
          }
          Ids set = ExactSet(c.kind == Kind::kNot ? c.children[0] : c);
          if (set == nullptr) return nullptr;
          (c.kind == Kind::kNot ? negative : positive).push_back(std::move(set));
        }
        if (positive.empty()) return nullptr;
        if (!filters.empty() && attrs_ == nullptr) return nullptr;
        // The smallest sets first: each step is then at most as long.
        std::sort(positive.begin(), positive.end(),
                  [](const Ids& a, const Ids& b) { return a->size() < b->size(); });
        // `set`: the first set, or `built` once a step has made a new one.
        const std::vector<uint32_t>* set = positive[0].get();
        std::vector<uint32_t> built, next;
        for (size_t i = 1; i < positive.size(); ++i) {
          Intersect(*set, *positive[i], &next);
          built.swap(next);
          set = &built;
        }
        for (const Ids& x : negative) {
          next.resize(set->size());
          next.erase(
              std::set_difference(set->begin(), set->end(), x->begin(), x->end(), next.begin()),
              next.end());
          built.swap(next);
          set = &built;
        }
        if (filters.empty()) {
          if (set != &built) return positive[0];  // one string alone
          return std::make_shared<std::vector<uint32_t>>(std::move(built));
        }
        const std::vector<internal::ReportAttrs>& attrs = *attrs_;
        auto out = std::make_shared<std::vector<uint32_t>>(set->size());
        out->erase(std::copy_if(set->begin(), set->end(), out->begin(),
                                [&](uint32_t id) {
                                  if (id >= attrs.size()) return false;
                                  for (const AttrFilter* f : filters) {
                                    if (!f->Passes(attrs[id])) return false;
                                  }
                                  return true;
                                }),
                   out->end());
        return out;
      }
      case Kind::kOr: {
        auto out = std::make_shared<std::vector<uint32_t>>();
        std::vector<uint32_t> next;
        for (const QueryNode& c : n.children) {
          const Ids set = c.kind == Kind::kNot ? nullptr : ExactSet(c);
          if (set == nullptr) return nullptr;
          next.resize(out->size() + set->size());
          next.erase(
              std::set_union(out->begin(), out->end(), set->begin(), set->end(), next.begin()),
              next.end());
          out->swap(next);
        }
        return out;
      }
      default:
        return nullptr;
    }
  }

  Result<Xapian::Query> Region(const QueryNode& n) {
    const std::string& value = n.value;
    const std::string v = text::FoldToUtf8(value);
    for (const auto& [name, slug] : kMacroNames) {
      if (v == name || v == slug || v == std::string(name) + "地区") {
        normalized_ += std::string("REGION(") + name + ")";
        if (std::string_view(slug) == "quanguo") {
          filters_[&n] = AttrFilter{AttrFilter::kNational, 0, 0};
          return Filter(Xapian::Query(Term(internal::kRegionPrefix, "national")));
        }
        if (const auto macro = region::MacroRegionFromSlug(slug)) {
          filters_[&n] = AttrFilter::Macro(*macro);
        }
        return Filter(Xapian::Query(Term(internal::kMacroRegion, slug)));
      }
    }
    std::optional<region::RegionCode> code;
    if (v == "100000" || v == "000000") {
      code = region::RegionCode::kNational;
    } else if (auto parsed = region::RegionCode::Parse(v)) {
      code = parsed;
    } else if (options_.regions != nullptr) {
      const region::Resolution r = options_.regions->Resolve(v);
      if (r.status == region::ResolveStatus::kAmbiguous) {
        std::string names;
        for (size_t i = 0; i < r.candidates.size() && i < 8; ++i) {
          if (!names.empty()) names += "、";
          names += FullName(r.candidates[i]) + "（" + r.candidates[i].ToString() + "）";
        }
        return QueryError("地区“" + value + "”不唯一：" + names + "，请写出上级地区或代码");
      }
      if (r.resolved()) code = r.code;
    }
    if (!code) {
      return QueryError("未知的地区“" + value + "”：请写地区名称（如 山东、德州市）或六位代码");
    }
    const std::string digits = code->ToString();
    std::string label = digits;
    if (options_.regions != nullptr) {
      if (const region::Region* r = options_.regions->Find(*code)) label += " " + r->name;
    }
    normalized_ += "REGION(" + label + ")";
    if (code->IsNational()) {
      filters_[&n] = AttrFilter{AttrFilter::kNational, 0, 0};
      return Filter(Xapian::Query(Term(internal::kRegionPrefix, "national")));
    }
    const size_t len = code->IsProvince() ? 2 : code->IsPrefecture() ? 4 : 6;
    const std::string prefix = digits.substr(0, len);
    const uint32_t span = len == 2 ? 10000u : len == 4 ? 100u : 1u;
    filters_[&n] = AttrFilter{AttrFilter::kRegionPrefix,
                              static_cast<uint32_t>(std::stoul(prefix)) * span, span};
    return Filter(Xapian::Query(Term(internal::kRegionPrefix, prefix)));
  }

  // 江苏省南京市鼓楼区: the names from the province down.
  std::string FullName(region::RegionCode code) const {
    std::string name;
    for (int depth = 0; depth < 3; ++depth) {
      const region::Region* r = options_.regions->Find(code);
      if (r == nullptr) break;
      name = r->name + name;
      if (r->level == region::Level::kProvince || r->parent == code) break;
      code = r->parent;
    }
    return name;
  }

  Result<Xapian::Query> Source(const std::string& value) {
    std::string v = text::FoldToUtf8(value);
    normalized_ += "SOURCE(\"" + v + "\")";
    std::string host = v;
    if (size_t p = host.find("://"); p != std::string::npos) host.erase(0, p + 3);
    if (size_t p = host.find_first_of("/:?#"); p != std::string::npos) host.erase(p);
    std::vector<Xapian::Query> alts;
    if (!host.empty() && host.size() <= internal::kMaxTermBytes) {
      alts.emplace_back(Term(internal::kSourceHost, host));
    }
    if (v.size() <= internal::kMaxTermBytes) alts.emplace_back(Term(internal::kSourceSite, v));
    if (alts.empty()) return QueryError("来源过长：“" + value + "”");
    return Filter(Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end()));
  }

  static void CollectFacets(const FacetSpy& spy, SearchResult* result) {
    for (size_t i = 0; i < kFacetCount; ++i) result->facets[kFacetNames[i]] = spy.Values(i);
  }

  // The facets of the reports `set` from the literal layer's attributes
  // (attrs_), with the keys FacetKeysOf gives their Xapian values.
  void FacetsOf(const std::vector<uint32_t>& set, SearchResult* result) const {
    const std::vector<internal::ReportAttrs>& attrs = *attrs_;
    std::map<std::string, int64_t> counts[kFacetCount];
    uint32_t last_region = UINT32_MAX;
    std::string macro, province;
    for (uint32_t id : set) {
      if (id >= attrs.size()) continue;
      const internal::ReportAttrs& a = attrs[id];
      if (a.region != last_region) {  // ids near each other often share one
        last_region = a.region;
        macro.clear();
        province.clear();
        if (a.region != 0) {
          const region::RegionCode code = RegionOfAttrs(a.region);
          macro = region::MacroRegionSlug(region::MacroRegionOf(code));
          if (!code.IsNational()) province = code.Province().ToString();
        }
      }
      if (!macro.empty()) ++counts[0][macro];
      if (!province.empty()) ++counts[1][province];
      ++counts[2][std::string(report::AdminLevelSlug(static_cast<report::AdminLevel>(a.level)))];
      ++counts[3][std::string(report::ReportTypeSlug(static_cast<report::ReportType>(a.type)))];
      ++counts[4][std::to_string(a.year)];
    }
    for (size_t i = 0; i < kFacetCount; ++i) {
      std::vector<FacetValue> values;
      for (const auto& [key, count] : counts[i]) {
        values.push_back(FacetValue{key, facet_table_.Label(i, key), count});
      }
      FacetSpy::SortFacet(kFacetNames[i], &values);
      result->facets[kFacetNames[i]] = std::move(values);
    }
  }

  Hit MakeHit(const CachedReport& c, double score, const SearchRequest& req,
              const std::vector<std::string>& term_names) {
    const report::Report& r = c.report;
    Hit h;
    h.id = r.id;
    h.score = score;
    h.title = r.title;
    h.type = r.type;
    h.region = r.region;
    h.level = r.level;
    h.year = r.year;
    h.date = r.date;

    // Pass 1: in the folded paragraphs, count every term and score the
    // paragraph (distinct terms first, then occurrences); keep the best
    // max_snippets (the earlier of equal scores).
    counts_.assign(terms_.size(), 0);
    auto scan = [&](std::u32string_view folded) {
      int distinct = 0;
      int64_t found = 0;
      for (size_t t = 0; t < terms_.size(); ++t) {
        const int64_t n = CountIn(folded, terms_[t]);
        counts_[t] += n;
        found += n;
        distinct += n > 0;
      }
      return distinct * 1000 + static_cast<int>(std::min<int64_t>(found, 999));
    };
    scan(c.Title());
    const size_t want = std::min<size_t>(r.body.size(), static_cast<size_t>(req.max_snippets));
    best_.clear();  // (score, paragraph), best first
    for (size_t i = 0; i < r.body.size(); ++i) {
      const int points = scan(c.Paragraph(i));
      if (best_.size() == want && (want == 0 || points <= best_.back().first)) continue;
      auto at = best_.end();
      while (at != best_.begin() && (at - 1)->first < points) --at;
      best_.insert(at, {points, static_cast<int>(i)});
      if (best_.size() > want) best_.pop_back();
    }
    h.term_occurrences.reserve(terms_.size());
    for (size_t t = 0; t < terms_.size(); ++t) {
      h.term_occurrences.emplace_back(term_names[t], counts_[t]);
      h.occurrences += counts_[t];
    }

    // Pass 2: those paragraphs (the first one if nothing matched), in text
    // order, with the matches highlighted.
    size_t take = best_.size();
    while (take > 1 && best_[take - 1].first == 0) --take;
    best_.resize(take);
    std::sort(best_.begin(), best_.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    h.snippets.reserve(take);
    for (const auto& [unused_score, paragraph] : best_) {
      const std::u32string_view folded = c.Paragraph(static_cast<size_t>(paragraph));
      matches_.clear();
      for (const std::u32string& t : terms_) FindAll(folded, t, &matches_);
      h.snippets.push_back(MakeSnippet(r.body[static_cast<size_t>(paragraph)].text, folded.size(),
                                       paragraph, req.snippet_chars));
    }
    return h;
  }

  // The snippet of paragraph `text` (`n` folded characters) around the
  // first of matches_ (folded [start, end) indexes), with them marked.
  Snippet MakeSnippet(std::string_view text, size_t n, int paragraph, int width) {
    std::sort(matches_.begin(), matches_.end());
    size_t start = 0;
    if (!matches_.empty() && matches_[0].first > static_cast<size_t>(width / 4)) {
      start = matches_[0].first - static_cast<size_t>(width / 4);
    }
    size_t end = std::min(n, start + static_cast<size_t>(width));
    if (!matches_.empty()) end = std::max(end, std::min(n, matches_[0].second));
    // Only folded characters before `end` are looked up below.
    internal::FoldOffsets(text, end, &source_, &source_end_);
    Snippet s;
    s.paragraph = paragraph;
    auto src = [&](size_t i) -> size_t { return i < n ? source_[i] : text.size(); };
    auto add = [&](size_t from_byte, size_t to_byte, bool match) {
      if (to_byte <= from_byte) return;
      s.parts.push_back(
          SnippetPart{text::ToValidUtf8(text.substr(from_byte, to_byte - from_byte)), match});
    };
    if (start > 0) s.parts.push_back(SnippetPart{"…", false});
    size_t cursor = src(start);
    const size_t stop = end < n ? source_end_[end - 1] : text.size();
    for (auto [a, b] : matches_) {
      if (a < start || b > end) continue;
      const size_t mb = source_[a];
      if (mb < cursor) continue;  // overlaps a match already marked
      add(cursor, mb, false);
      const size_t me = source_end_[b - 1];
      add(mb, me, true);
      cursor = me;
    }
    add(cursor, stop, false);
    if (end < n) s.parts.push_back(SnippetPart{"…", false});
    return s;
  }

  SearcherOptions options_;
  segment::Segmenter segmenter_;
  Xapian::Database db_;
  std::unique_ptr<internal::LiteralIndex> literal_;  // the generation's literal layer
  std::string generation_;
  FacetTable facet_table_;  // for db_'s revision
  std::shared_ptr<ReportCache> cache_;
  // Per-query state filled by Translate().
  std::vector<std::u32string> terms_;
  // The ranked words (keys) and their factors: a title's weigh more.
  std::vector<std::pair<internal::GramKey, double>> words_;
  std::string normalized_;
  // The exact set of each string of the query being translated.
  std::unordered_map<const QueryNode*, Ids> sets_;
  // The filters of the query that the literal layer's report attributes
  // answer (all but source:), by node.
  std::unordered_map<const QueryNode*, AttrFilter> filters_;
  // The literal layer's attributes by report id, while ExactSet needs them.
  const std::vector<internal::ReportAttrs>* attrs_ = nullptr;
  // The query's strings (not excluded) of two or more characters that
  // rank by their characters (a string without a word): the string's set
  // and its distinct characters.
  struct ByChars {
    Ids set;
    std::u32string chars;
  };
  std::vector<ByChars> by_chars_;
  // Per report id: its weight (AddBm25, CharScores).
  std::vector<float> scores_;
  std::vector<float> char_scores_;  // CharScores' buffer
  // BestOf's buffer.
  std::vector<std::pair<float, uint32_t>> best_page_;
  // MakeHit's buffers, kept between hits and searches.
  std::vector<int64_t> counts_;
  std::vector<std::pair<int, int>> best_;
  std::vector<std::pair<size_t, size_t>> matches_;
  std::vector<uint32_t> source_, source_end_;
};

}  // namespace

Result<std::unique_ptr<Searcher>> Searcher::Open(const SearcherOptions& options) {
  if (options.dictionary == nullptr) return Status::InvalidArgument("no segmentation dictionary");
  auto s = std::make_unique<XapianSearcher>(options);
  BAOGAO_RETURN_IF_ERROR(s->Open());
  return std::unique_ptr<Searcher>(std::move(s));
}

int64_t CountOccurrences(const report::Report& report, std::u32string_view folded_term) {
  int64_t n = CountIn(text::Fold(report.title).chars, folded_term);
  for (const report::Paragraph& p : report.body)
    n += CountIn(text::Fold(p.text).chars, folded_term);
  return n;
}

}  // namespace baogao::search
