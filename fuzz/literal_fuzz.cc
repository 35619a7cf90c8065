// libFuzzer target for literal segment files (search/internal/literal.h):
// any bytes through LiteralSegment::FromBytes, then Match() of strings of
// every length class (1–3 characters: one list; 4: one positional list;
// 5+: positions lined up), the report ids with their lengths, and the
// postings (counts) of two characters. The two CRC-32s are recomputed over
// the input first, so that the fuzzer reaches the decoders behind them
// instead of stopping at a checksum. Checks what the header promises: no
// crash; an error is kCorrupt; a match is ascending ids; a character's
// postings are ascending ids among the segment's, each counted at least
// once.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "search/internal/literal.h"

namespace {

void PutU32(uint32_t v, std::string* s, size_t at) {
  for (int i = 0; i < 4; ++i) (*s)[at + static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
}

uint32_t Crc(const std::string& s, size_t from, size_t to) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(s.data()) + from, static_cast<uInt>(to - from));
  return static_cast<uint32_t>(crc);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using baogao::search::internal::LiteralSegment;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() >= 80) {  // the header's two CRC-32s (literal.h)
    PutU32(Crc(bytes, 80, bytes.size()), &bytes, 72);
    PutU32(Crc(bytes, 0, 76), &bytes, 76);
  }
  auto segment = LiteralSegment::FromBytes(std::move(bytes), "fuzz");
  if (!segment.ok()) {
    if (segment.status().code() != baogao::StatusCode::kCorrupt) std::abort();
    return 0;
  }
  static const std::u32string kQueries[] = {U"发",       U"发展",       U"高质量",
                                            U"高质量发", U"高质量发展", U"推动高质量发展经济"};
  std::vector<uint32_t> ids;
  for (const std::u32string& q : kQueries) {
    const baogao::Status st = (*segment)->Match(q, &ids);
    if (!st.ok()) {
      if (st.code() != baogao::StatusCode::kCorrupt) std::abort();
      continue;
    }
    for (size_t i = 1; i < ids.size(); ++i) {
      if (ids[i - 1] >= ids[i]) std::abort();
    }
  }
  std::vector<uint32_t> all, lengths;
  const baogao::Status st = (*segment)->Ids(&all, &lengths);
  if (!st.ok()) {
    if (st.code() != baogao::StatusCode::kCorrupt) std::abort();
    return 0;
  }
  if (all.size() != lengths.size()) std::abort();
  for (char32_t c : {U'发', U'质'}) {
    baogao::search::internal::CharPostings p;
    const baogao::Status pst = (*segment)->Postings(c, all, lengths, &p);
    if (!pst.ok()) {
      if (pst.code() != baogao::StatusCode::kCorrupt) std::abort();
      continue;
    }
    if (p.ids.size() != p.counts.size() || p.ids.size() != p.lengths.size()) std::abort();
    for (size_t i = 0; i < p.ids.size(); ++i) {
      if (p.counts[i] == 0 || (i > 0 && p.ids[i - 1] >= p.ids[i])) std::abort();
    }
  }
  return 0;
}
