// libFuzzer target: any bytes through every segmentation mode. Checks the
// invariants the API promises: offsets inside the input, token text equal to
// the bytes at its offset, and default-mode tokens partitioning the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "segment/segment.h"

namespace {
baogao::segment::Segmenter* GetSegmenter() {
  static baogao::segment::Segmenter* seg = [] {
    baogao::segment::DictionaryOptions opts;  // $BAOGAO_DICT or the build's compiled dict
    auto dict = baogao::segment::Dictionary::Load(opts);
    if (!dict.ok()) {
      std::fprintf(stderr, "segment_fuzz: %s\n", dict.status().ToString().c_str());
      std::abort();
    }
    return new baogao::segment::Segmenter(*dict);
  }();
  return seg;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using baogao::segment::Mode;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto* seg = GetSegmenter();
  for (Mode mode : {Mode::kDefault, Mode::kSearch, Mode::kAll}) {
    for (bool hmm : {true, false}) {
      size_t pos = 0;
      for (const auto& t : seg->Cut(in, {mode, hmm})) {
        if (t.byte_offset + t.text.size() > size && t.char_length > 0) std::abort();
        if (mode == Mode::kDefault) {
          if (t.byte_offset != pos || in.substr(pos, t.text.size()) != t.text) std::abort();
          pos += t.text.size();
        }
      }
      if (mode == Mode::kDefault && pos != size) std::abort();
    }
  }
  return 0;
}
