// Search folding: the one normalisation applied alike to every indexed text
// and every query, so that 臺灣 finds 台湾 and ＰＭ２．５ finds pm2.5.
//
// Per character, in this order:
//   1. traditional → simplified, from OpenCC's t2s character table
//      (TSCharacters, first candidate). Only character-level mappings are
//      used: each folded character then maps back to exactly one source
//      character, which snippets need to highlight the original text.
//      Phrase-level variants (OpenCC's TSPhrases) are not applied; since
//      documents and queries fold alike, recall does not depend on them.
//   2. full-width ASCII forms U+FF01..U+FF5E → U+0021..U+007E;
//   3. ASCII letters → lower case.
// Whitespace (ASCII, U+00A0, U+1680, U+2000..U+200A, U+2028/2029, U+202F,
// U+205F, U+3000) and zero-width characters (U+200B..U+200D, U+2060, U+FEFF)
// are dropped: matching ignores them, so a PDF's stray spaces inside 高质量
// 发展 do not hide it. Invalid-byte units (see text.h) are kept unchanged.
//
// The t2s table is built from OpenCC's data files on first use (≈70 ms) and
// shared by all threads. If OpenCC's data cannot be loaded, folding still
// does steps 2 and 3 and FoldStatus() says why step 1 is missing.
#ifndef BAOGAO_TEXT_FOLD_H_
#define BAOGAO_TEXT_FOLD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace baogao::text {

// The folded form of one character; 0 if the character is dropped.
// Thread-safe.
char32_t FoldChar(char32_t c);

// A folded text with the way back to its source.
struct FoldedText {
  std::u32string chars;  // folded characters, dropped ones removed
  // source[i]: byte offset in the input where chars[i]'s source character
  // starts; source[chars.size()] is the input size. Source characters are
  // contiguous runs: chars[i] came from input bytes [source[i], next) where
  // next is the start of the following kept-or-dropped character.
  std::vector<uint32_t> source;
  // source_end[i]: byte offset just past chars[i]'s source character.
  std::vector<uint32_t> source_end;
};

// Folds UTF-8 text (invalid bytes allowed, see text.h). Inputs must be
// below 4 GiB.
FoldedText Fold(std::string_view utf8);

// Appends the folded characters of `utf8` to `out` (no offsets): the fast
// path for indexing and counting.
void FoldInto(std::string_view utf8, std::u32string* out);

// The folded text as UTF-8 (invalid-byte units re-encoded as U+FFFD).
std::string FoldToUtf8(std::string_view utf8);

// OK when the traditional → simplified table is loaded; otherwise the
// reason (e.g. OpenCC's t2s.json not found).
Status FoldStatus();

}  // namespace baogao::text

#endif  // BAOGAO_TEXT_FOLD_H_
