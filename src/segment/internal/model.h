// Dictionary::Impl: everything a loaded dictionary holds.
#ifndef BAOGAO_SEGMENT_INTERNAL_MODEL_H_
#define BAOGAO_SEGMENT_INTERNAL_MODEL_H_

#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "segment/internal/trie.h"
#include "segment/segment.h"

namespace baogao::segment::internal {

// jieba's finalseg MIN_FLOAT.
inline constexpr double kMinFloat = -3.14e100;

// HMM states, indexed in alphabetical order so that "larger index" is
// Python's "larger state letter" when max() breaks a tie.
enum HmmState : int { kB = 0, kE = 1, kM = 2, kS = 3 };

// jieba's finalseg only runs the HMM on characters in U+4E00..U+9FD5, so the
// emission table is dense over exactly that range.
inline constexpr char32_t kHanFirst = 0x4E00;
inline constexpr char32_t kHanLast = 0x9FD5;
inline constexpr size_t kHanCount = kHanLast - kHanFirst + 1;

struct HmmModel {
  double start[4];
  double trans[4][4];  // trans[from][to]; kMinFloat where jieba has no entry
  // emit[(cp - kHanFirst) * 4 + state]; kMinFloat where jieba has no entry.
  std::span<const double> emit;
};

// A read-only mapping of a whole file.
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path);
  std::string_view data() const { return {static_cast<const char*>(addr_), size_}; }

 private:
  void* addr_ = nullptr;
  size_t size_ = 0;
};

struct ForceSplitHash {
  size_t operator()(const std::u32string& s) const { return std::hash<std::u32string>()(s); }
};

}  // namespace baogao::segment::internal

namespace baogao::segment {

struct Dictionary::Impl {
  internal::FlatTrie trie;
  internal::HmmModel hmm;
  int64_t total = 0;
  double log_total = 0.0;
  size_t word_count = 0;
  // User words added with frequency 0: the HMM never emits them whole.
  std::unordered_set<std::u32string, internal::ForceSplitHash> force_split;

  // Backing storage: either a mapping of a compiled file, or owned arrays.
  std::unique_ptr<internal::MappedFile> mapping;
  internal::FlatTrieStorage owned_trie;
  std::vector<double> owned_emit;
};

}  // namespace baogao::segment

#endif  // BAOGAO_SEGMENT_INTERNAL_MODEL_H_
