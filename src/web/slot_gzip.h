// Gzip for a page that is the same for every visitor except a few short
// slots (the comment form's tokens, the live view count): the text between
// the slots is compressed once, when the page is cached, and each response
// only splices its slot values in as stored deflate blocks. A response then
// costs a copy of the compressed page instead of a deflate of the whole
// page.
//
// The output is one ordinary gzip member (RFC 1952): each piece of text
// between slots is its own raw deflate stream ended by a sync flush (so it
// ends on a byte boundary with no final block, and its back-references stay
// inside the piece), slot values are stored blocks (RFC 1951 §3.2.4), and
// one empty final block ends the stream. The CRC-32 of the whole is combined
// from the pieces' (crc32_combine_op, each piece's shift operator made
// once), so the page is never read again.
#ifndef BAOGAO_WEB_SLOT_GZIP_H_
#define BAOGAO_WEB_SLOT_GZIP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baogao::web {

// Calls `text(piece)` for each run of text and `slot(letter)` for each slot
// of `page`, in order. A lone "\x01" not forming a slot is dropped (pages
// cannot contain U+0001: CleanUtf8 removes it from all stored text).
template <typename Text, typename Slot>
void ForEachSlot(std::string_view page, Text&& text, Slot&& slot) {
  size_t pos = 0;
  while (true) {
    const size_t at = page.find('\x01', pos);
    if (at == std::string_view::npos) {
      if (pos < page.size()) text(page.substr(pos));
      return;
    }
    if (at > pos) text(page.substr(pos, at - pos));
    if (at + 2 >= page.size() || page[at + 2] != '\x01' ||
        static_cast<unsigned char>(page[at + 1]) >= 128) {
      pos = at + 1;
      continue;
    }
    slot(page[at + 1]);
    pos = at + 3;
  }
}

// The page with each slot replaced by `values[letter]`.
std::string FillSlots(std::string_view page, const std::string_view (&values)[128]);

class SlotGzip {
 public:
  // Splits `page` at its slots ("\x01" letter "\x01") and compresses the
  // text between them. nullopt if zlib fails (out of memory).
  static std::optional<SlotGzip> Make(std::string_view page);

  // The gzip member of the page with each slot replaced by
  // `values[letter]` (letters without a value become empty), equal after
  // decompression to the plain substitution.
  std::string Fill(const std::string_view (&values)[128]) const;

  // The uncompressed size without the slots, and the compressed size of
  // the fixed text (for tests and statistics).
  size_t fixed_bytes() const { return fixed_bytes_; }
  size_t compressed_bytes() const { return compressed_bytes_; }

 private:
  struct Piece {
    char slot = 0;         // a slot's letter, or 0 for fixed text
    std::string deflated;  // fixed text: raw deflate, sync-flushed
    uint32_t crc = 0;      // fixed text: CRC-32 of the text
    size_t length = 0;     // fixed text: its length
    uint32_t shift = 0;    // fixed text: crc32_combine_gen(length)
  };
  std::vector<Piece> pieces_;
  size_t fixed_bytes_ = 0;
  size_t compressed_bytes_ = 0;
};

}  // namespace baogao::web

#endif  // BAOGAO_WEB_SLOT_GZIP_H_
