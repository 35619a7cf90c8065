#include "search/internal/ranked_words.h"

#include "text/text.h"

namespace baogao::search::internal {
namespace {

bool IsRankedWord(std::string_view word) {
  size_t len = 0;
  const char32_t c = text::DecodeOne(word, 0, &len);
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 0x3400 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) ||
         (c >= 0xC0 && c < 0x2000);
}

}  // namespace

std::vector<segment::Token> RankedWords(segment::Segmenter& segmenter, std::string_view folded_utf8,
                                        bool* has_longer) {
  std::vector<segment::Token> tokens;
  *has_longer = false;
  for (const segment::Token& t :
       segmenter.Cut(folded_utf8, segment::CutOptions{segment::Mode::kSearch, true})) {
    if (!IsRankedWord(t.text)) continue;
    *has_longer = *has_longer || t.char_length > 1;
    tokens.push_back(t);
  }
  if (*has_longer) {
    std::erase_if(tokens, [](const segment::Token& t) { return t.char_length < 2; });
  }
  return tokens;
}

}  // namespace baogao::search::internal
