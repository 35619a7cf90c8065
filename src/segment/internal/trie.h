// The prefix dictionary as a trie, in two shapes:
//  - FlatTrie: immutable arrays (possibly views into an mmap'd file); the
//    one the segmenter runs on.
//  - MutableTrie: nodes with sorted child lists; used while building from
//    dict.txt and while applying user dictionaries, which need jieba's
//    sequential add_word semantics.
// Both expose the same cursor interface (Root, Step, IsWord, LogFreq, Freq),
// so the cutting algorithms are written once as templates
// (internal/cutter.h).
//
// jieba's FREQ maps every word and every prefix of a word to an integer
// (0 for a prefix that is not itself a word). A trie node exists exactly when
// its string is a key of FREQ, so "frag in FREQ" is "the walk did not fall
// off the trie".
//
// FlatTrie layout (see docs/formats/segment-dictionary.md): the children of
// each node live in one small open-addressing hash block of their own, and a
// slot describing a child also says where the child's own block is, whether
// it is a word, and which entry of the (small) table of distinct
// log-frequencies it weighs. So each step of a walk reads one slot, and the
// blocks of frequent prefixes stay in cache.
#ifndef BAOGAO_SEGMENT_INTERNAL_TRIE_H_
#define BAOGAO_SEGMENT_INTERNAL_TRIE_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace baogao::segment::internal {

inline constexpr uint32_t kNoNode = 0xFFFFFFFFu;
inline constexpr uint32_t kRoot = 0;
inline constexpr uint32_t kMaxNodes = 0x7FFFFFFFu;

struct Slot {
  // Bits 0..20: the code point; bits 21..25: log2 of the size of the child's
  // block (0: the child has no children); bit 31: the child is a word.
  // kEmptySlot marks an empty slot.
  uint32_t key;
  uint32_t log_index;  // into the log table; 0 (log 1 = 0.0) for non-words
  uint32_t block;      // first slot of the child's block
  uint32_t node;       // the child's node id (indexes the frequency array)
};
inline constexpr uint32_t kEmptySlot = 0xFFFFFFFFu;
inline constexpr uint32_t kCpMask = 0x1FFFFFu;
inline constexpr uint32_t kWordFlag = 0x80000000u;
inline constexpr int kBitsShift = 21;
inline constexpr uint32_t kBitsMask = 0x1F;
inline constexpr uint32_t kMaxBlockBits = 30;

inline uint32_t BlockIndex(char32_t cp, uint32_t bits) {
  return (static_cast<uint32_t>(cp) * 0x9E3779B1u) >> (32 - bits);
}

struct FlatTrieArrays {
  std::span<const Slot> slots;
  std::span<const int64_t> freq;      // per node id
  std::span<const double> log_table;  // distinct log(freq); [0] = 0.0
  uint32_t root_block = 0;
  uint32_t root_bits = 0;
};

class FlatTrie {
 public:
  using Cursor = const Slot*;

  FlatTrie() = default;
  explicit FlatTrie(const FlatTrieArrays& a) : a_(a), root_index_(0x10000, 0) {
    root_.key = a.root_bits << kBitsShift;
    root_.log_index = 0;
    root_.block = a.root_block;
    root_.node = kRoot;
    // A direct index of the root's BMP children: the first step of every
    // walk is then one load instead of a hash probe.
    if (a.root_bits != 0) {
      for (uint32_t i = 0; i < (1u << a.root_bits); ++i) {
        const Slot& slot = a.slots[a.root_block + i];
        const uint32_t cp = slot.key & kCpMask;
        if (slot.key != kEmptySlot && cp < 0x10000) root_index_[cp] = a.root_block + i + 1;
      }
    }
  }

  Cursor Root() const { return &root_; }
  // Step(Root(), cp).
  Cursor RootStep(char32_t cp) const {
    if (cp < 0x10000) {
      const uint32_t i = root_index_[cp];
      return i == 0 ? nullptr : a_.slots.data() + (i - 1);
    }
    return Step(&root_, cp);
  }
  // The child of `c` along `cp`, or nullptr.
  Cursor Step(Cursor c, char32_t cp) const {
    const uint32_t bits = (c->key >> kBitsShift) & kBitsMask;
    if (bits == 0) return nullptr;
    const Slot* block = a_.slots.data() + c->block;
    const uint32_t mask = (1u << bits) - 1;
    for (uint32_t i = BlockIndex(cp, bits);; i = (i + 1) & mask) {
      const Slot* s = block + i;
      if ((s->key & kCpMask) == cp) return s;
      if (s->key == kEmptySlot) return nullptr;
    }
  }
  static bool IsWord(Cursor c) { return (c->key & kWordFlag) != 0; }
  double LogFreq(Cursor c) const { return a_.log_table[c->log_index]; }

  // Step(Root(), c1), and a prefetch of the slot that the step by c2 will
  // read. The root block is usually cached; the second step is the cache
  // miss, and taking it a few positions ahead of the walk hides it.
  Cursor FirstStepAndPrefetch(char32_t c1, char32_t c2) const {
    Cursor c = RootStep(c1);
    if (c != nullptr) {
      const uint32_t bits = (c->key >> kBitsShift) & kBitsMask;
      if (bits != 0) __builtin_prefetch(a_.slots.data() + c->block + BlockIndex(c2, bits));
    }
    return c;
  }
  int64_t Freq(Cursor c) const { return a_.freq[c->node]; }

  size_t node_count() const { return a_.freq.size(); }
  const FlatTrieArrays& arrays() const { return a_; }

 private:
  FlatTrieArrays a_;
  Slot root_{};
  std::vector<uint32_t> root_index_;  // slot index + 1 per BMP code point; 0 = none
};

// Owned arrays that a FlatTrie can view.
struct FlatTrieStorage {
  std::vector<Slot> slots;
  std::vector<int64_t> freq;
  std::vector<double> log_table;
  uint32_t root_block = 0;
  uint32_t root_bits = 0;

  FlatTrie View() const {
    return FlatTrie(FlatTrieArrays{slots, freq, log_table, root_block, root_bits});
  }
};

class MutableTrie {
 public:
  struct Node {
    int64_t freq = 0;
    double log_freq = 0.0;
    std::vector<std::pair<char32_t, uint32_t>> kids;  // sorted by code point
  };
  // Valid until the next Insert().
  using Cursor = const Node*;

  MutableTrie() { nodes_.emplace_back(); }

  Cursor Root() const { return &nodes_[kRoot]; }
  Cursor Step(Cursor c, char32_t cp) const {
    auto it = std::lower_bound(
        c->kids.begin(), c->kids.end(), cp,
        [](const std::pair<char32_t, uint32_t>& e, char32_t x) { return e.first < x; });
    if (it == c->kids.end() || it->first != cp) return nullptr;
    return &nodes_[it->second];
  }
  static bool IsWord(Cursor c) { return c->freq != 0; }
  static double LogFreq(Cursor c) { return c->log_freq; }
  Cursor RootStep(char32_t cp) const { return Step(Root(), cp); }
  Cursor FirstStepAndPrefetch(char32_t c1, char32_t) const { return Step(Root(), c1); }
  static int64_t Freq(Cursor c) { return c->freq; }

  // Returns the node id for `word`, creating it and its prefixes (freq 0).
  uint32_t Insert(std::span<const char32_t> word);
  void SetFreq(uint32_t node, int64_t freq);

  // Converts to flat arrays, numbering nodes breadth-first.
  FlatTrieStorage Flatten() const;
  static MutableTrie FromFlat(const FlatTrie& flat);

  size_t node_count() const { return nodes_.size(); }

 private:
  std::vector<Node> nodes_;
};

}  // namespace baogao::segment::internal

#endif  // BAOGAO_SEGMENT_INTERNAL_TRIE_H_
