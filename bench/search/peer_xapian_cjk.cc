// Search benchmark peer: Xapian 1.4 (Debian 12's libxapian30) with its CJK
// n-gram mode. Speaks the protocol of bench/search/compare.py.
//
// Index: TermGenerator with FLAG_CJK_NGRAM (CJK text becomes unigrams and
// bigrams) and positions; the title is indexed with wdf increment 5 (its
// words count 5 times) before the body, in the same unprefixed term space.
// Boolean terms: XP + each prefix of the region code (XP37, XP3714,
// XP371403) and Y + year. The body is the document data, for snippets.
//
// Query: QueryParser with FLAG_CJK_NGRAM | FLAG_PHRASE (| BOOLEAN | LOVEHATE),
// default operator AND, the terms joined by spaces and the phrase in double
// quotes; region and years are an OP_FILTER (XP<prefix> AND (Y2018 OR ...)).
// Top 10 by BM25, MSet::snippet() of each body, and an exact total:
// get_mset(0, 10, doccount) makes the matcher count every match. The
// variant "<shape>_est" runs the same query with check_at_least = 0, so the
// total is Xapian's estimate, to show what the exact count costs.
#include <xapian.h>

#include <cstdio>
#include <string>
#include <vector>

#include "protocol.h"

namespace {

using baogao::bench::Query;
using baogao::bench::QueryResult;
using baogao::bench::Report;

// A boolean term: prefix then value. (Built by appending: GCC 12's -Wrestrict
// misfires on "XP" + std::string.)
std::string Term(const char* prefix, const std::string& value) {
  std::string term = prefix;
  term += value;
  return term;
}

class XapianCjk : public baogao::bench::Engine {
 public:
  void Build(const std::vector<Report>& reports, const std::string& index_dir) override {
    Xapian::WritableDatabase db(index_dir, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    for (const Report& r : reports) {
      Xapian::Document doc;
      tg.set_document(doc);
      tg.index_text(r.title, 5);
      tg.increase_termpos();
      const std::string body = r.Body();
      tg.index_text(body);
      for (size_t n : {2, 4, 6}) doc.add_boolean_term(Term("XP", r.region.substr(0, n)));
      doc.add_boolean_term(Term("Y", std::to_string(r.year)));
      doc.set_data(body);
      db.replace_document(static_cast<Xapian::docid>(r.id), doc);
    }
    db.commit();
    db.close();
  }

  void Open(const std::string& index_dir) override {
    db_ = Xapian::Database(index_dir);
    qp_.set_database(db_);
    qp_.set_default_op(Xapian::Query::OP_AND);
  }

  std::vector<std::string> Shapes(const Query& q) override { return {q.shape, q.shape + "_est"}; }

  QueryResult Run(const Query& q, const std::string& shape) override {
    const bool exact = shape == q.shape;
    std::string text;
    for (const std::string& t : q.terms) {
      if (!text.empty()) text += ' ';
      text += q.phrase ? '"' + t + '"' : t;
    }
    Xapian::Query query = qp_.parse_query(
        text, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM);
    if (q.region_prefix || q.year_from || q.year_to) {
      std::vector<Xapian::Query> filters;
      if (q.region_prefix) filters.emplace_back(Term("XP", *q.region_prefix));
      if (q.year_from || q.year_to) {
        std::vector<Xapian::Query> years;
        for (int y = q.year_from.value_or(1900); y <= q.year_to.value_or(2100); ++y) {
          years.emplace_back(Term("Y", std::to_string(y)));
        }
        filters.emplace_back(Xapian::Query::OP_OR, years.begin(), years.end());
      }
      query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                            Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, 10, exact ? db_.get_doccount() : 0);
    QueryResult result;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const std::string snippet =
          mset.snippet(it.get_document().get_data(), 200, Xapian::Stem(),
                       Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE |
                           Xapian::MSet::SNIPPET_CJK_NGRAM);
      result.snippet_bytes += static_cast<int64_t>(snippet.size());
      ++result.hits;
    }
    result.total = mset.get_matches_estimated();
    result.exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    result.note = query.get_description();
    return result;
  }

 private:
  Xapian::Database db_;
  Xapian::QueryParser qp_;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    XapianCjk engine;
    return baogao::bench::RunEngineMain(argc, argv, "xapian_cjk", engine);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_cjk: error: %s\n", e.get_description().c_str());
    return 1;
  }
}
