// libFuzzer target for literal segment files (search/internal/literal.h):
// any bytes through LiteralSegment::FromBytes, then Match() of strings of
// every length class (1–3 characters: one list; 4: one positional list;
// 5+: positions lined up), the report ids with their lengths and
// attributes, and the lists (ids, counts) of two characters and of a
// body's and a title's word. The checksums are recomputed over the input
// first (ResealLiteralSegment), so that the fuzzer reaches the decoders
// behind them instead of stopping at a checksum. Checks what the header
// promises: no crash; an error is kCorrupt; a match is ascending ids; a
// character's or a word's list is ascending ids, each counted at least
// once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "search/internal/literal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using baogao::search::internal::LiteralSegment;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  baogao::search::internal::ResealLiteralSegment(&bytes);
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
  std::vector<baogao::search::internal::ReportAttrs> attrs;
  const baogao::Status st = (*segment)->Ids(&all, &lengths, &attrs);
  if (!st.ok()) {
    if (st.code() != baogao::StatusCode::kCorrupt) std::abort();
    return 0;
  }
  if (all.size() != lengths.size() || all.size() != attrs.size()) std::abort();
  // Resealed, every chunk of the lists agrees with its checksum.
  if (!(*segment)->Verify().ok()) std::abort();
  std::vector<uint32_t> list_ids, list_counts;
  const char32_t kFa = U'发', kZhi = U'质';
  for (const auto& key :
       {baogao::search::internal::MakeGramKey(&kFa, 1),
        baogao::search::internal::MakeGramKey(&kZhi, 1),
        baogao::search::internal::MakeWordKey(std::u32string_view(U"发展"), false),
        baogao::search::internal::MakeWordKey(std::u32string_view(U"高质量"), true)}) {
    const baogao::Status lst = (*segment)->Counts(key, &list_ids, &list_counts);
    if (!lst.ok()) {
      if (lst.code() != baogao::StatusCode::kCorrupt) std::abort();
      continue;
    }
    if (list_ids.size() != list_counts.size()) std::abort();
    for (size_t i = 0; i < list_ids.size(); ++i) {
      if (list_counts[i] == 0 || (i > 0 && list_ids[i - 1] >= list_ids[i])) std::abort();
    }
  }
  return 0;
}
