// libFuzzer target for the search-box query language (search/query.h): any
// bytes through ParseQuery. Checks what the header promises: no crash; on
// success a tree of the documented shape (at most kMaxLeaves leaves, AND/OR
// flattened with >= 2 children, NOT with one non-NOT child, valid year
// ranges) that prints, and whose ToQuery() spelling parses back to the same
// tree; on failure a kInvalidArgument with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "search/query.h"

namespace {

using baogao::search::QueryNode;
using Kind = QueryNode::Kind;

// Checks `n`'s shape; returns its leaf count.
int CheckNode(const QueryNode& n, bool root) {
  switch (n.kind) {
    case Kind::kMatchAll:
      if (!root) std::abort();
      return 0;
    case Kind::kAnd:
    case Kind::kOr: {
      if (n.children.size() < 2) std::abort();
      int leaves = 0;
      for (const QueryNode& c : n.children) {
        if (c.kind == n.kind) std::abort();
        leaves += CheckNode(c, false);
      }
      return leaves;
    }
    case Kind::kNot:
      if (n.children.size() != 1 || n.children[0].kind == Kind::kNot) std::abort();
      return CheckNode(n.children[0], false);
    case Kind::kText:
    case Kind::kPhrase:
    case Kind::kRegion:
    case Kind::kSource:
      if (n.value.empty() || !n.children.empty()) std::abort();
      return 1;
    case Kind::kYear:
      if (!n.years.from && !n.years.to) std::abort();
      if (n.years.from && n.years.to && *n.years.from > *n.years.to) std::abort();
      return 1;
    case Kind::kLevel:
    case Kind::kType:
      return 1;
  }
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto parsed = baogao::search::ParseQuery(in);
  if (!parsed.ok()) {
    if (parsed.status().code() != baogao::StatusCode::kInvalidArgument) std::abort();
    if (parsed.status().message().empty()) std::abort();
    return 0;
  }
  if (CheckNode(*parsed, true) > baogao::search::kMaxLeaves) std::abort();
  const std::string printed = parsed->ToString();
  if (printed.empty()) std::abort();
  const std::string spelled = parsed->ToQuery();
  auto again = baogao::search::ParseQuery(spelled);
  if (again.ok()) {
    if (!(*again == *parsed) || again->ToString() != printed) std::abort();
  } else if (spelled.size() <= baogao::search::kMaxQueryBytes) {
    std::abort();  // only the length may stop the canonical spelling
  }
  return 0;
}
