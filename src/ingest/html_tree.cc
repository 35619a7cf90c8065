// The light HTML tree: storage, the copy of gumbo's DOM, and the debug
// rendering the differential tests compare.
#include "ingest/internal/html_tree.h"

#include <gumbo.h>

#include <string>
#include <string_view>

namespace baogao::ingest::internal {

void HtmlTree::Clear() {
  nodes.clear();
  attrs.clear();
  chars.clear();
}

uint32_t HtmlTree::AddDocument() {
  HtmlNode n;
  n.type = HtmlNode::Type::kDocument;
  n.depth = 1;
  nodes.push_back(n);
  return static_cast<uint32_t>(nodes.size() - 1);
}

uint32_t HtmlTree::AddChild(uint32_t parent, HtmlNode::Type type, GumboTag tag) {
  const auto id = static_cast<uint32_t>(nodes.size());
  HtmlNode n;
  n.type = type;
  n.tag = tag;
  n.parent = parent;
  HtmlNode& p = nodes[parent];
  n.depth = p.depth + 1;
  if (p.last_child == HtmlNode::kNone) {
    p.first_child = id;
  } else {
    nodes[p.last_child].next_sibling = id;
  }
  p.last_child = id;
  nodes.push_back(n);
  return id;
}

const HtmlAttr* HtmlTree::FindAttr(const HtmlNode& n, std::string_view name) const {
  if (n.type != HtmlNode::Type::kElement) return nullptr;
  for (uint32_t i = n.begin; i < n.begin + n.size; ++i) {
    const std::string_view have = Name(attrs[i]);
    if (have.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < have.size() && same; ++k) {
      char c = have[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == name[k];
    }
    if (same) return &attrs[i];
  }
  return nullptr;
}

std::string HtmlTree::DebugString() const {
  std::string out;
  for (const HtmlNode& n : nodes) {
    out.append(2 * n.depth, ' ');
    switch (n.type) {
      case HtmlNode::Type::kDocument:
        out += "#document";
        break;
      case HtmlNode::Type::kTemplate:
        out += "#template";
        break;
      case HtmlNode::Type::kText:
        out += "\"";
        out += Text(n);
        out += "\"";
        break;
      case HtmlNode::Type::kElement:
        out += "<";
        out += gumbo_normalized_tagname(n.tag);
        for (uint32_t i = n.begin; i < n.begin + n.size; ++i) {
          out += " ";
          out += Name(attrs[i]);
          out += "=\"";
          out += Value(attrs[i]);
          out += "\"";
        }
        out += ">";
        break;
    }
    out += "\n";
  }
  return out;
}

namespace {

// Deeper nodes are never read: extraction stops at depth 2000.
constexpr uint32_t kCopyDepth = 2100;

void CopyChildren(const GumboVector& children, uint32_t parent, HtmlTree* tree) {
  if (tree->nodes[parent].depth > kCopyDepth) return;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto* c = static_cast<const GumboNode*>(children.data[i]);
    switch (c->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE: {
        const uint32_t id = tree->AddChild(parent, HtmlNode::Type::kText, GUMBO_TAG_UNKNOWN);
        const std::string_view t = c->v.text.text;
        tree->nodes[id].begin = static_cast<uint32_t>(tree->chars.size());
        tree->nodes[id].size = static_cast<uint32_t>(t.size());
        tree->chars.append(t);
        break;
      }
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        const bool element = c->type == GUMBO_NODE_ELEMENT;
        const uint32_t id =
            tree->AddChild(parent, element ? HtmlNode::Type::kElement : HtmlNode::Type::kTemplate,
                           c->v.element.tag);
        const GumboVector& attrs = c->v.element.attributes;
        tree->nodes[id].begin = static_cast<uint32_t>(tree->attrs.size());
        tree->nodes[id].size = element ? attrs.length : 0;
        for (unsigned k = 0; element && k < attrs.length; ++k) {
          const auto* a = static_cast<const GumboAttribute*>(attrs.data[k]);
          HtmlAttr out;
          const std::string_view name = a->name, value = a->value;
          out.name_begin = static_cast<uint32_t>(tree->chars.size());
          out.name_size = static_cast<uint32_t>(name.size());
          tree->chars.append(name);
          out.value_begin = static_cast<uint32_t>(tree->chars.size());
          out.value_size = static_cast<uint32_t>(value.size());
          tree->chars.append(value);
          tree->attrs.push_back(out);
        }
        CopyChildren(c->v.element.children, id, tree);
        break;
      }
      case GUMBO_NODE_DOCUMENT:
      case GUMBO_NODE_COMMENT:
        break;
    }
  }
}

}  // namespace

bool BuildGumboTree(std::string_view html, HtmlTree* tree) {
  tree->Clear();
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  if (out == nullptr) return false;
  const uint32_t doc = tree->AddDocument();
  CopyChildren(out->document->v.document.children, doc, tree);
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return true;
}

}  // namespace baogao::ingest::internal
