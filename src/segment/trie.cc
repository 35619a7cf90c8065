#include "segment/internal/trie.h"

#include <cmath>
#include <map>

#include "base/check.h"

namespace baogao::segment::internal {

uint32_t MutableTrie::Insert(std::span<const char32_t> word) {
  uint32_t node = kRoot;
  for (char32_t cp : word) {
    auto& kids = nodes_[node].kids;
    auto it = std::lower_bound(
        kids.begin(), kids.end(), cp,
        [](const std::pair<char32_t, uint32_t>& e, char32_t c) { return e.first < c; });
    if (it != kids.end() && it->first == cp) {
      node = it->second;
      continue;
    }
    const auto child = static_cast<uint32_t>(nodes_.size());
    kids.insert(it, {cp, child});
    nodes_.emplace_back();  // invalidates `kids`; not used after this
    node = child;
  }
  return node;
}

void MutableTrie::SetFreq(uint32_t node, int64_t freq) {
  nodes_[node].freq = freq;
  // math.log(int) in CPython converts to double and calls libm log().
  nodes_[node].log_freq = freq > 0 ? std::log(static_cast<double>(freq)) : 0.0;
}

namespace {
// A block with room for `kids` children at load factor <= 1/2, which keeps
// unsuccessful lookups (every walk ends with one) to about 2.5 probes.
uint32_t BlockBits(size_t kids) {
  if (kids == 0) return 0;
  const size_t want = 2 * kids;
  return static_cast<uint32_t>(std::bit_width(std::bit_ceil(want)) - 1);
}
}  // namespace

FlatTrieStorage MutableTrie::Flatten() const {
  FlatTrieStorage out;
  const size_t n = nodes_.size();
  CHECK_LE(n, size_t{kMaxNodes});
  // Breadth-first order: node ids, and the order blocks are laid out in, so
  // the blocks of short (frequent) prefixes sit together.
  std::vector<uint32_t> order;
  std::vector<uint32_t> new_id(n, kNoNode);
  order.reserve(n);
  order.push_back(kRoot);
  new_id[kRoot] = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    for (const auto& kid : nodes_[order[i]].kids) {
      new_id[kid.second] = static_cast<uint32_t>(order.size());
      order.push_back(kid.second);
    }
  }
  CHECK_EQ(order.size(), n);

  std::map<int64_t, uint32_t> log_index;
  out.log_table.push_back(0.0);
  for (const Node& node : nodes_) {
    if (node.freq > 0) log_index.emplace(node.freq, 0);
  }
  for (auto& [freq, index] : log_index) {
    index = static_cast<uint32_t>(out.log_table.size());
    out.log_table.push_back(std::log(static_cast<double>(freq)));
  }

  std::vector<uint32_t> block_of(n, 0);  // by old id
  size_t total = 0;
  for (uint32_t old : order) {
    const uint32_t bits = BlockBits(nodes_[old].kids.size());
    CHECK_LE(bits, kMaxBlockBits);
    block_of[old] = static_cast<uint32_t>(total);
    if (bits > 0) total += size_t{1} << bits;
  }
  CHECK_LT(total, size_t{0xFFFFFFFFu});
  out.slots.assign(total, Slot{kEmptySlot, 0, 0, 0});
  out.freq.resize(n);
  for (uint32_t old : order) {
    const Node& node = nodes_[old];
    out.freq[new_id[old]] = node.freq;
    const uint32_t bits = BlockBits(node.kids.size());
    if (bits == 0) continue;
    Slot* block = out.slots.data() + block_of[old];
    const uint32_t mask = (1u << bits) - 1;
    for (const auto& [cp, child] : node.kids) {
      const Node& c = nodes_[child];
      uint32_t i = BlockIndex(cp, bits);
      while (block[i].key != kEmptySlot) i = (i + 1) & mask;
      block[i].key = static_cast<uint32_t>(cp) | (BlockBits(c.kids.size()) << kBitsShift) |
                     (c.freq != 0 ? kWordFlag : 0);
      block[i].log_index = c.freq > 0 ? log_index.at(c.freq) : 0;
      block[i].block = block_of[child];
      block[i].node = new_id[child];
    }
  }
  out.root_block = block_of[kRoot];
  out.root_bits = BlockBits(nodes_[kRoot].kids.size());
  return out;
}

MutableTrie MutableTrie::FromFlat(const FlatTrie& flat) {
  MutableTrie out;
  out.nodes_.resize(flat.node_count());
  const FlatTrieArrays& a = flat.arrays();
  // Walk the blocks breadth-first from the root (the loader has checked that
  // they form a tree).
  std::vector<const Slot*> queue{flat.Root()};
  for (size_t q = 0; q < queue.size(); ++q) {
    const Slot* parent = queue[q];
    Node& node = out.nodes_[parent->node];
    node.freq = a.freq[parent->node];
    node.log_freq = node.freq > 0 ? a.log_table[parent->log_index] : 0.0;
    const uint32_t bits = (parent->key >> kBitsShift) & kBitsMask;
    if (bits == 0) continue;
    for (uint32_t i = 0; i < (1u << bits); ++i) {
      const Slot* s = &a.slots[parent->block + i];
      if (s->key == kEmptySlot) continue;
      node.kids.emplace_back(s->key & kCpMask, s->node);
      queue.push_back(s);
    }
    std::sort(node.kids.begin(), node.kids.end());
  }
  return out;
}

}  // namespace baogao::segment::internal
