#include <cmath>
#include <deque>

#include "base/check.h"
#include "segment/internal/trie.h"

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

FlatTrieStorage MutableTrie::Flatten() const {
  FlatTrieStorage out;
  const size_t n = nodes_.size();
  std::vector<uint32_t> new_id(n, kNoNode);
  std::vector<uint32_t> order;
  order.reserve(n);
  order.push_back(kRoot);
  new_id[kRoot] = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    for (const auto& [cp, child] : nodes_[order[i]].kids) {
      new_id[child] = static_cast<uint32_t>(order.size());
      order.push_back(child);
    }
  }
  CHECK_EQ(order.size(), n);
  out.info.resize(n);
  out.child_begin.resize(n + 1);
  out.edges.reserve(n - 1);
  out.root_table.assign(kRootTableSize, 0);
  for (size_t i = 0; i < n; ++i) {
    const Node& node = nodes_[order[i]];
    out.info[i] = {node.log_freq, node.freq};
    out.child_begin[i] = static_cast<uint32_t>(out.edges.size());
    for (const auto& [cp, child] : node.kids) {
      out.edges.push_back({static_cast<uint32_t>(cp), new_id[child]});
      if (i == 0 && cp < kRootTableSize) out.root_table[cp] = new_id[child];
    }
  }
  out.child_begin[n] = static_cast<uint32_t>(out.edges.size());
  return out;
}

MutableTrie MutableTrie::FromFlat(const FlatTrie& flat) {
  MutableTrie out;
  out.nodes_.resize(flat.node_count());
  for (size_t i = 0; i < flat.node_count(); ++i) {
    Node& node = out.nodes_[i];
    node.freq = flat.Info(static_cast<uint32_t>(i)).freq;
    node.log_freq = flat.Info(static_cast<uint32_t>(i)).log_freq;
    auto kids = flat.ChildrenOf(static_cast<uint32_t>(i));
    node.kids.reserve(kids.size());
    for (const Edge& e : kids) node.kids.emplace_back(e.cp, e.node);
  }
  return out;
}

}  // namespace baogao::segment::internal
