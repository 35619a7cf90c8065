// A light HTML tree for the HTML importer's extraction: elements (gumbo tag
// enum plus attributes) and text, in document order, with nothing else.
// Two builders fill it: BuildFastTree (our own tokenizer and a conservative
// subset of the HTML5 tree-construction rules, no allocation per node) and
// TreeFromGumbo (a copy of gumbo's DOM). On every page the fast builder
// accepts, the two trees are identical (tests/ingest/html_fast_test.cc);
// everything else goes to gumbo. Private to src/ingest.
#ifndef BAOGAO_INGEST_INTERNAL_HTML_TREE_H_
#define BAOGAO_INGEST_INTERNAL_HTML_TREE_H_

#include <gumbo.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ingest/ingest.h"

namespace baogao::ingest::internal {

struct HtmlNode {
  enum class Type : uint8_t { kDocument, kElement, kText, kTemplate };
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  Type type = Type::kElement;
  GumboTag tag = GUMBO_TAG_UNKNOWN;  // elements
  uint32_t parent = kNone;
  uint32_t first_child = kNone;
  uint32_t last_child = kNone;
  uint32_t next_sibling = kNone;
  uint32_t depth = 0;  // the document is 1, as in counting parents up to the root
  // Text: a range of HtmlTree::chars. Elements: a range of HtmlTree::attrs.
  uint32_t begin = 0;
  uint32_t size = 0;
};

struct HtmlAttr {
  uint32_t name_begin = 0, name_size = 0;    // into HtmlTree::chars, lower case
  uint32_t value_begin = 0, value_size = 0;  // into HtmlTree::chars
};

class HtmlTree {
 public:
  // Node 0 is the document.
  std::vector<HtmlNode> nodes;
  std::vector<HtmlAttr> attrs;
  std::string chars;  // text and attribute storage

  void Clear();
  uint32_t AddDocument();
  // Appends an element or text node as the last child of `parent`.
  uint32_t AddChild(uint32_t parent, HtmlNode::Type type, GumboTag tag);

  std::string_view Text(const HtmlNode& n) const {
    return std::string_view(chars).substr(n.begin, n.size);
  }
  // The first attribute called `name` (ASCII case-insensitive), or null.
  const HtmlAttr* FindAttr(const HtmlNode& n, std::string_view name) const;
  std::string_view AttrValue(const HtmlNode& n, std::string_view name) const {
    const HtmlAttr* a = FindAttr(n, name);
    return a == nullptr ? std::string_view() : Value(*a);
  }
  std::string_view Name(const HtmlAttr& a) const {
    return std::string_view(chars).substr(a.name_begin, a.name_size);
  }
  std::string_view Value(const HtmlAttr& a) const {
    return std::string_view(chars).substr(a.value_begin, a.value_size);
  }

  // A rendering of the whole tree, one node a line, for tests.
  std::string DebugString() const;
};

// Builds the tree of `html` (valid UTF-8) without gumbo. Returns false when
// the page uses anything outside the subset whose gumbo tree it is certain
// to reproduce (see docs/design.md, "Import"); the caller then uses gumbo.
bool BuildFastTree(std::string_view html, HtmlTree* tree);

// Parses `html` with gumbo and copies its DOM (comments and the doctype
// left out). False if gumbo fails.
bool BuildGumboTree(std::string_view html, HtmlTree* tree);

enum class HtmlPath {
  kAuto,   // the fast builder, gumbo when it declines (what ParseHtml does)
  kGumbo,  // gumbo only
  kFast,   // the fast builder only: an Internal error kFastPathDeclined when it declines
};
inline constexpr std::string_view kFastPathDeclined = "the fast HTML path declined the page";

// ParseHtml with a choice of tree builder, for the differential tests and
// the fuzzer. *used_fast (may be null) says whether the fast tree was used.
Result<ParsedDocument> ParseHtmlWith(std::string_view bytes, const ParseOptions& options,
                                     HtmlPath path, bool* used_fast);

}  // namespace baogao::ingest::internal

#endif  // BAOGAO_INGEST_INTERNAL_HTML_TREE_H_
