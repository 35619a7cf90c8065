// The prefix dictionary as a trie, in two shapes:
//  - FlatTrie: immutable arrays (possibly views into an mmap'd file); the
//    one the segmenter runs on.
//  - MutableTrie: nodes with sorted child lists; used while building from
//    dict.txt and while applying user dictionaries, which need jieba's
//    sequential add_word semantics.
// Both expose the same three lookups, so the cutting algorithms are written
// once as templates (internal/cutter.h).
//
// jieba's FREQ maps every word and every prefix of a word to an integer
// (0 for a prefix that is not itself a word). A trie node exists exactly when
// its string is a key of FREQ, so "frag in FREQ" is "the walk did not fall
// off the trie".
#ifndef BAOGAO_SEGMENT_INTERNAL_TRIE_H_
#define BAOGAO_SEGMENT_INTERNAL_TRIE_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace baogao::segment::internal {

inline constexpr uint32_t kNoNode = 0xFFFFFFFFu;
inline constexpr uint32_t kRoot = 0;
inline constexpr char32_t kRootTableSize = 0x10000;  // direct table for BMP

struct NodeInfo {
  double log_freq;  // log(freq) when freq > 0, else 0.0
  int64_t freq;     // jieba's FREQ value; 0 for a bare prefix
};

struct Edge {
  uint32_t cp;
  uint32_t node;
};

class FlatTrie {
 public:
  FlatTrie() = default;
  FlatTrie(std::span<const uint32_t> root_table,
           std::span<const uint32_t> child_begin, std::span<const Edge> edges,
           std::span<const NodeInfo> info)
      : root_table_(root_table.data()),
        child_begin_(child_begin.data()),
        edges_(edges.data()),
        info_(info.data()),
        node_count_(info.size()),
        edge_count_(edges.size()) {}

  uint32_t Child(uint32_t node, char32_t cp) const {
    if (node == kRoot && cp < kRootTableSize) {
      const uint32_t c = root_table_[cp];
      return c == 0 ? kNoNode : c;
    }
    const Edge* lo = edges_ + child_begin_[node];
    const Edge* hi = edges_ + child_begin_[node + 1];
    // Most nodes have a handful of children: scan those, bisect the rest.
    while (hi - lo > 8) {
      const Edge* mid = lo + (hi - lo) / 2;
      if (mid->cp < cp) {
        lo = mid + 1;
      } else if (mid->cp > cp) {
        hi = mid;
      } else {
        return mid->node;
      }
    }
    for (; lo < hi; ++lo) {
      if (lo->cp == cp) return lo->node;
      if (lo->cp > cp) break;
    }
    return kNoNode;
  }
  int64_t Freq(uint32_t node) const { return info_[node].freq; }
  double LogFreq(uint32_t node) const { return info_[node].log_freq; }
  const NodeInfo& Info(uint32_t node) const { return info_[node]; }

  size_t node_count() const { return node_count_; }
  size_t edge_count() const { return edge_count_; }
  std::span<const Edge> ChildrenOf(uint32_t node) const {
    return {edges_ + child_begin_[node], edges_ + child_begin_[node + 1]};
  }

 private:
  const uint32_t* root_table_ = nullptr;
  const uint32_t* child_begin_ = nullptr;
  const Edge* edges_ = nullptr;
  const NodeInfo* info_ = nullptr;
  size_t node_count_ = 0;
  size_t edge_count_ = 0;
};

// Owned arrays that a FlatTrie can view.
struct FlatTrieStorage {
  std::vector<uint32_t> root_table;
  std::vector<uint32_t> child_begin;
  std::vector<Edge> edges;
  std::vector<NodeInfo> info;

  FlatTrie View() const { return FlatTrie(root_table, child_begin, edges, info); }
};

class MutableTrie {
 public:
  MutableTrie() { nodes_.emplace_back(); }

  uint32_t Child(uint32_t node, char32_t cp) const {
    const auto& kids = nodes_[node].kids;
    auto it = std::lower_bound(
        kids.begin(), kids.end(), cp,
        [](const std::pair<char32_t, uint32_t>& e, char32_t c) { return e.first < c; });
    if (it == kids.end() || it->first != cp) return kNoNode;
    return it->second;
  }
  int64_t Freq(uint32_t node) const { return nodes_[node].freq; }
  double LogFreq(uint32_t node) const { return nodes_[node].log_freq; }

  // Returns the node for `word`, creating it and its prefixes (freq 0).
  uint32_t Insert(std::span<const char32_t> word);
  void SetFreq(uint32_t node, int64_t freq);

  // Converts to flat arrays, numbering nodes breadth-first.
  FlatTrieStorage Flatten() const;
  static MutableTrie FromFlat(const FlatTrie& flat);

  size_t node_count() const { return nodes_.size(); }

 private:
  struct Node {
    int64_t freq = 0;
    double log_freq = 0.0;
    std::vector<std::pair<char32_t, uint32_t>> kids;  // sorted by code point
  };
  std::vector<Node> nodes_;
};

}  // namespace baogao::segment::internal

#endif  // BAOGAO_SEGMENT_INTERNAL_TRIE_H_
