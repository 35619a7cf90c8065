// The words a query string ranks by (docs/search.md, "Ranking"), shared by
// the searcher and the benchmark probe that times Xapian's ranking alone.
#ifndef BAOGAO_SEARCH_INTERNAL_RANKED_WORDS_H_
#define BAOGAO_SEARCH_INTERNAL_RANKED_WORDS_H_

#include <string_view>
#include <vector>

#include "segment/segment.h"

namespace baogao::search::internal {

// The segmenter's search-mode tokens of `folded_utf8` that start with a
// letter, a digit or a CJK character; single characters only when there is
// no token of two or more characters (a lone character at the edge of a cut,
// 回 in 年工作回, is a fragment, not a word the reader meant). *has_longer
// tells which case it was. The tokens point into `folded_utf8`. A
// single-character token ranks in titles only: bodies index words of two or
// more characters.
std::vector<segment::Token> RankedWords(segment::Segmenter& segmenter, std::string_view folded_utf8,
                                        bool* has_longer);

}  // namespace baogao::search::internal

#endif  // BAOGAO_SEARCH_INTERNAL_RANKED_WORDS_H_
