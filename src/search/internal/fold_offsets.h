// Where folded characters came from, for the first few of them only: what
// a snippet needs of text::Fold's offsets when the folded text itself is
// already at hand (the report cache holds it).
#ifndef BAOGAO_SEARCH_INTERNAL_FOLD_OFFSETS_H_
#define BAOGAO_SEARCH_INTERNAL_FOLD_OFFSETS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "text/fold.h"
#include "text/text.h"

namespace baogao::search::internal {

// Sets (*source)[i] and (*source_end)[i] to text::Fold(utf8).source[i] and
// .source_end[i] for i < min(count, number of folded characters): the
// bytes of utf8 that folded character i came from. Reads utf8 only as far
// as the last of them; reuses the vectors' memory.
inline void FoldOffsets(std::string_view utf8, size_t count, std::vector<uint32_t>* source,
                        std::vector<uint32_t>* source_end) {
  source->clear();
  source_end->clear();
  size_t pos = 0;
  while (pos < utf8.size() && source->size() < count) {
    size_t len = 1;
    if (text::FoldChar(text::DecodeOne(utf8, pos, &len)) != 0) {
      source->push_back(static_cast<uint32_t>(pos));
      source_end->push_back(static_cast<uint32_t>(pos + len));
    }
    pos += len;
  }
}

}  // namespace baogao::search::internal

#endif  // BAOGAO_SEARCH_INTERNAL_FOLD_OFFSETS_H_
