// HTML importer: decode, build the page's tree (our fast builder, or gumbo
// for pages it declines), find the report body by text/link density, and
// drop the page chrome around it.
//
// The page is flattened into blocks (one per block-level element run or
// <br>-separated line). Each block is good (report-like text), bad (links,
// chrome, notices, metadata, captions) or neutral (short text). The body is
// the element whose subtree maximises good − bad characters; its blocks, in
// order and minus the bad ones, become the paragraphs.
#include <gumbo.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"
#include "ingest/internal/common.h"
#include "ingest/internal/html_tree.h"
#include "text/text.h"

namespace baogao::ingest {
namespace {

using internal::CharCount;
using internal::HtmlNode;
using internal::HtmlTree;
using internal::LineKind;
using NodeId = uint32_t;
constexpr NodeId kNoNode = HtmlNode::kNone;

// Deeper HTML is refused: gumbo and the walker recurse per level.
constexpr int kMaxDepth = 2000;

struct Block {
  std::string text;  // whitespace-collapsed
  size_t chars = 0;
  size_t link_chars = 0;
  NodeId parent = kNoNode;   // the element holding the block
  int heading = 0;           // 1..6 inside <hN>
  bool chrome = false;       // inside nav/footer/class="...nav..."
  bool caption = false;      // figcaption, class="...caption..."
  bool title_class = false;  // class/id mentions "title"
  bool has_img = false;
  LineKind kind = LineKind::kContent;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsBlockTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_LEGEND:
      return true;
    default:
      return false;
  }
}

bool IsSkippedTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_FRAMESET:
      return true;
    default:
      return false;
  }
}

// class/id words that mark page chrome.
bool IsChromeName(const std::string& names) {
  if (names.empty()) return false;
  static constexpr std::string_view kParts[] = {
      "nav",     "menu",      "crumb",   "share",  "footer",   "comment", "sidebar",
      "related", "copyright", "toolbar", "login",  "search",   "topbar",  "banner",
      "pinglun", "fenxiang",  "daohang", "weizhi", "position", "location"};
  for (std::string_view p : kParts) {
    if (names.find(p) != std::string::npos) return true;
  }
  // Whole words only: "foot", "head", "top", "bottom".
  size_t pos = 0;
  while (pos < names.size()) {
    const size_t end = std::min(names.find_first_of(" \t\n", pos), names.size());
    const std::string_view word(names.data() + pos, end - pos);
    for (std::string_view w : {"foot", "head", "header", "top", "bottom", "links", "link"}) {
      if (word == w) return true;
    }
    pos = end + 1;
  }
  return false;
}

bool IsHidden(const HtmlTree& tree, const HtmlNode& n) {
  if (tree.FindAttr(n, "hidden") != nullptr) return true;
  std::string style = Lower(tree.AttrValue(n, "style"));
  style.erase(std::remove(style.begin(), style.end(), ' '), style.end());
  return style.find("display:none") != std::string::npos ||
         style.find("visibility:hidden") != std::string::npos;
}

class Walker {
 public:
  explicit Walker(const HtmlTree& tree) : tree_(tree) {}

  struct Ctx {
    bool link = false;
    int heading = 0;
    bool chrome = false;
    bool caption = false;
    bool title_class = false;
    bool pre = false;
    NodeId parent = kNoNode;
  };

  void Walk(NodeId id, Ctx ctx, int depth) {
    if (depth > kMaxDepth) return;
    const HtmlNode& n = tree_.nodes[id];
    if (n.type == HtmlNode::Type::kText) {
      std::string_view t = tree_.Text(n);
      if (ctx.pre) {
        for (size_t nl = t.find('\n'); nl != std::string_view::npos; nl = t.find('\n')) {
          Append(t.substr(0, nl), ctx);
          Flush();
          t.remove_prefix(nl + 1);
        }
      }
      Append(t, ctx);
      return;
    }
    if (n.type == HtmlNode::Type::kElement) {
      const GumboTag tag = n.tag;
      if (IsSkippedTag(tag) || IsHidden(tree_, n)) return;
      if (tag == GUMBO_TAG_BR) {
        Flush();
        return;
      }
      if (tag == GUMBO_TAG_IMG) {
        cur_.has_img = true;
        return;
      }
      std::string names(tree_.AttrValue(n, "class"));
      names += ' ';
      names += tree_.AttrValue(n, "id");
      names = Lower(names);
      if (tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_FOOTER || tag == GUMBO_TAG_ASIDE ||
          IsChromeName(names)) {
        ctx.chrome = true;
      }
      if (tag == GUMBO_TAG_FIGCAPTION || names.find("caption") != std::string::npos) {
        ctx.caption = true;
      }
      if (names.find("title") != std::string::npos) ctx.title_class = true;
      if (tag == GUMBO_TAG_A && !tree_.AttrValue(n, "href").empty()) ctx.link = true;
      if (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6) ctx.heading = tag - GUMBO_TAG_H1 + 1;
      if (tag == GUMBO_TAG_PRE) ctx.pre = true;
      const bool block = IsBlockTag(tag);
      if (block) {
        Flush();
        ctx.parent = id;
      }
      for (NodeId c = n.first_child; c != kNoNode; c = tree_.nodes[c].next_sibling) {
        Walk(c, ctx, depth + 1);
      }
      if (block) Flush();
      return;
    }
    // The document, and template contents (as the gumbo walk always did).
    for (NodeId c = n.first_child; c != kNoNode; c = tree_.nodes[c].next_sibling) {
      Walk(c, ctx, depth + 1);
    }
  }

  std::vector<Block> Finish() {
    Flush();
    return std::move(blocks_);
  }

 private:
  void Append(std::string_view t, const Ctx& ctx) {
    if (t.empty()) return;
    if (raw_.empty()) {
      cur_.parent = ctx.parent;
      cur_.heading = ctx.heading;
      cur_.chrome = ctx.chrome;
      cur_.caption = ctx.caption;
      cur_.title_class = ctx.title_class;
    } else {
      // A block is chrome/caption if any part of it is.
      cur_.chrome = cur_.chrome || ctx.chrome;
      cur_.caption = cur_.caption || ctx.caption;
      cur_.heading = cur_.heading != 0 ? cur_.heading : ctx.heading;
    }
    raw_.append(t);
    if (ctx.link) {
      const std::string collapsed = internal::CollapseWhitespace(t);
      cur_.link_chars += CharCount(collapsed);
    }
  }

  void Flush() {
    std::string text = internal::CollapseWhitespace(raw_);
    raw_.clear();
    if (text.empty()) {
      // An image-only block: the next short block is likely its caption.
      if (cur_.has_img) last_was_image_ = true;
      cur_ = Block();
      return;
    }
    cur_.text = std::move(text);
    cur_.chars = CharCount(cur_.text);
    cur_.kind = internal::ClassifyLine(cur_.text, cur_.chars);
    const bool short_text = cur_.chars <= 60 && cur_.text.find("。") == std::string::npos;
    if ((cur_.has_img || last_was_image_) && short_text && cur_.heading == 0) {
      cur_.caption = true;
    }
    last_was_image_ = false;
    blocks_.push_back(std::move(cur_));
    cur_ = Block();
  }

  const HtmlTree& tree_;
  std::vector<Block> blocks_;
  Block cur_;
  std::string raw_;
  bool last_was_image_ = false;
};

// Rough nesting depth from the tag stream, before handing the page to gumbo.
int EstimateDepth(std::string_view html) {
  static constexpr std::string_view kImplicitEnd[] = {
      "p",    "li",    "td", "tr",   "th",   "dt",  "dd",    "option", "br",    "img", "meta",
      "link", "input", "hr", "area", "base", "col", "embed", "source", "track", "wbr", "param"};
  int depth = 0, max_depth = 0;
  for (size_t pos = html.find('<'); pos != std::string_view::npos; pos = html.find('<', pos + 1)) {
    const bool close = pos + 1 < html.size() && html[pos + 1] == '/';
    size_t start = pos + (close ? 2 : 1), end = start;
    while (end < html.size() && end - start < 16 &&
           ((html[end] >= 'a' && html[end] <= 'z') || (html[end] >= 'A' && html[end] <= 'Z') ||
            (html[end] >= '0' && html[end] <= '9'))) {
      ++end;
    }
    if (end == start) continue;
    char lower[16];  // end - start <= 16
    for (size_t i = start; i < end; ++i) {
      const char c = html[i];
      lower[i - start] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    const std::string_view name(lower, end - start);
    if (std::find(std::begin(kImplicitEnd), std::end(kImplicitEnd), name) !=
        std::end(kImplicitEnd)) {
      continue;
    }
    depth += close ? -1 : 1;
    depth = std::max(depth, 0);
    max_depth = std::max(max_depth, depth);
  }
  return max_depth;
}

std::string Lower(std::string_view s, std::string_view t) {
  std::string out(s);
  out.append(t);
  return Lower(out);
}

// <title>, <meta> and <link rel=canonical> from the head.
struct HeadInfo {
  std::string title;
  std::string site;
};

void ScanHead(const HtmlTree& tree, NodeId id, ParsedDocument* doc, HeadInfo* head, int depth) {
  const HtmlNode& n = tree.nodes[id];
  if (depth > kMaxDepth || n.type != HtmlNode::Type::kElement) return;
  const GumboTag tag = n.tag;
  if (tag == GUMBO_TAG_TITLE && head->title.empty()) {
    std::string t;
    for (NodeId c = n.first_child; c != kNoNode; c = tree.nodes[c].next_sibling) {
      if (tree.nodes[c].type == HtmlNode::Type::kText) t += tree.Text(tree.nodes[c]);
    }
    head->title = internal::CollapseWhitespace(t);
  } else if (tag == GUMBO_TAG_META) {
    const std::string name = Lower(tree.AttrValue(n, "name"), tree.AttrValue(n, "property"));
    const std::string content = internal::CollapseWhitespace(tree.AttrValue(n, "content"));
    if (content.empty()) return;
    if ((name == "publishdate" || name == "pubdate" || name == "firstpublishedtime" ||
         name == "article:published_time" || name == "dc.date" || name == "date") &&
        doc->published.empty()) {
      doc->published = content;
    } else if ((name == "contentsource" || name == "source" || name == "articlesource") &&
               doc->declared_source.empty()) {
      doc->declared_source = content;
    } else if ((name == "sitename" || name == "og:site_name") && head->site.empty()) {
      head->site = content;
    } else if (name == "og:url" && doc->source_url.empty()) {
      doc->source_url = content;
    }
  } else if (tag == GUMBO_TAG_LINK && Lower(tree.AttrValue(n, "rel")) == "canonical" &&
             doc->source_url.empty()) {
    doc->source_url = std::string(tree.AttrValue(n, "href"));
  }
  for (NodeId c = n.first_child; c != kNoNode; c = tree.nodes[c].next_sibling) {
    ScanHead(tree, c, doc, head, depth + 1);
  }
}

// Splits "报告标题_栏目_站点名" into the title part and the site part.
std::pair<std::string, std::string> SplitTitle(const std::string& title) {
  static constexpr std::string_view kSeps[] = {"_", "｜", "|", " - ", " – ", " — ", "－"};
  size_t cut = std::string::npos, last = std::string::npos;
  size_t last_len = 0;
  for (std::string_view sep : kSeps) {
    const size_t p = title.find(sep);
    if (p != std::string::npos && p > 0 && p < cut) cut = p;
    const size_t q = title.rfind(sep);
    if (q != std::string::npos && (last == std::string::npos || q > last)) {
      last = q;
      last_len = sep.size();
    }
  }
  if (cut == std::string::npos) return {title, ""};
  return {std::string(text::TrimSpace(std::string_view(title).substr(0, cut))),
          std::string(text::TrimSpace(std::string_view(title).substr(last + last_len)))};
}

bool Similar(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  return longer.find(shorter) != std::string::npos && CharCount(shorter) >= 6;
}

// Everything after the tree: metadata, body, title, paragraphs.
Result<ParsedDocument> Extract(const HtmlTree& tree, const ParseOptions& options,
                               ParsedDocument doc);

}  // namespace

namespace internal {

Result<ParsedDocument> ParseHtmlWith(std::string_view bytes, const ParseOptions& options,
                                     HtmlPath path, bool* used_fast) {
  if (used_fast != nullptr) *used_fast = false;
  ParsedDocument doc;
  doc.format = Format::kHtml;
  const std::string declared =
      options.charset.empty() ? text::SniffDeclaredCharset(bytes) : options.charset;
  BAOGAO_ASSIGN_OR_RETURN(text::DecodeResult decoded, text::DetectAndConvert(bytes, declared));
  doc.encoding = decoded.encoding;
  for (const std::string& note : decoded.notes) doc.warnings.push_back("encoding: " + note);
  if (decoded.low_confidence) {
    doc.warnings.push_back("encoding: low-confidence guess " + decoded.encoding);
  }
  if (EstimateDepth(decoded.text) > kMaxDepth) {
    return Status::InvalidArgument("HTML nested deeper than " + std::to_string(kMaxDepth) +
                                   " elements");
  }
  // Reused between pages, so that its vectors stop growing after the first.
  thread_local HtmlTree tree;
  const bool fast = path != HtmlPath::kGumbo && BuildFastTree(decoded.text, &tree);
  if (!fast) {
    if (path == HtmlPath::kFast) return Status::Internal(std::string(kFastPathDeclined));
    if (!BuildGumboTree(decoded.text, &tree)) {
      return Status::Internal("gumbo failed to parse the page");
    }
  }
  if (used_fast != nullptr) *used_fast = fast;
  Result<ParsedDocument> result = Extract(tree, options, std::move(doc));
  if (tree.chars.capacity() > (16u << 20)) tree = HtmlTree();  // after a huge page
  return result;
}

}  // namespace internal

Result<ParsedDocument> ParseHtml(std::string_view bytes, const ParseOptions& options) {
  return internal::ParseHtmlWith(bytes, options, internal::HtmlPath::kAuto, nullptr);
}

namespace {

Result<ParsedDocument> Extract(const HtmlTree& tree, const ParseOptions& options,
                               ParsedDocument doc) {
  doc.source_url = options.source_url;
  HeadInfo head;
  const NodeId root = tree.nodes[0].first_child;  // <html>
  if (root != kNoNode) ScanHead(tree, root, &doc, &head, 0);

  Walker walker(tree);
  walker.Walk(0, Walker::Ctx{}, 0);
  std::vector<Block> blocks = walker.Finish();

  // Metadata from every block, chrome included (来源/时间 often sit there).
  for (const Block& b : blocks) {
    if (b.kind == LineKind::kMeta) internal::ExtractMetadata(b.text, &doc);
  }

  // Score blocks, then subtrees.
  std::vector<long> score(tree.nodes.size(), 0);
  std::vector<NodeId> scored;
  long total_good = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    const bool linky = b.link_chars * 2 > b.chars;
    const bool bad = b.chrome || b.caption || linky || b.kind != LineKind::kContent;
    long delta = 0;
    if (bad) {
      delta = -static_cast<long>(b.chars);
    } else if (b.chars >= 8 || b.text.find("。") != std::string::npos) {
      delta = static_cast<long>(b.chars);
      total_good += delta;
    }
    if (delta == 0) continue;
    for (NodeId n = b.parent; n != kNoNode; n = tree.nodes[n].parent) {
      if (score[n] == 0) scored.push_back(n);
      score[n] += delta;
    }
  }
  // The best subtree; on ties the outermost wins (it keeps short headings
  // that sit beside the text), then the first in document order.
  NodeId best = kNoNode;
  long best_score = 0;
  uint32_t best_depth = 0;
  for (NodeId node : scored) {
    const long s = score[node];
    if (s < best_score || s <= 0) continue;
    const uint32_t d = tree.nodes[node].depth;
    if (s > best_score || best == kNoNode || d < best_depth || (d == best_depth && node < best)) {
      best = node;
      best_score = s;
      best_depth = d;
    }
  }
  if (best == kNoNode || total_good < 20) {
    return Status::InvalidArgument(
        "HTML page has no body text (only navigation, links or notices)");
  }

  // Title: the main heading that agrees with <title>, else the first <h1>,
  // else <title> minus the site name.
  auto [title_part, site_part] = SplitTitle(head.title);
  doc.source_site = head.site.empty() ? site_part : head.site;
  int title_block = -1;
  int rank_best = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    if (b.link_chars * 2 > b.chars || b.chars < 4 || b.chars > 100 ||
        b.kind != LineKind::kContent) {
      continue;
    }
    int rank = 0;
    const bool agrees = Similar(b.text, title_part) || Similar(b.text, head.title);
    if (b.heading == 1)
      rank = agrees ? 6 : (b.chrome ? 0 : 3);
    else if (b.title_class)
      rank = agrees ? 5 : (b.chrome ? 0 : 2);
    else if (b.heading >= 2 && b.heading <= 3)
      rank = agrees ? 4 : 0;
    else if (agrees && !b.chrome)
      rank = 1;
    if (rank > rank_best) {
      rank_best = rank;
      title_block = static_cast<int>(i);
    }
  }
  if (title_block >= 0) {
    doc.title = blocks[static_cast<size_t>(title_block)].text;
  } else {
    doc.title = title_part;
  }
  if (doc.title.empty()) doc.warnings.push_back("no title found");

  auto inside = [&](const Block& b) {
    for (NodeId n = b.parent; n != kNoNode; n = tree.nodes[n].parent) {
      if (n == best) return true;
    }
    return false;
  };
  size_t dropped = 0;
  bool seen_content = false;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    if (!inside(b)) continue;
    if (static_cast<int>(i) == title_block) continue;
    if (b.kind == LineKind::kTerminator && seen_content) break;
    const bool linky = b.link_chars * 2 > b.chars;
    if (b.chrome || b.caption || linky || b.kind != LineKind::kContent) {
      ++dropped;
      continue;
    }
    if (!seen_content && b.text == doc.title) continue;
    if (doc.paragraphs.size() < 3 && doc.subtitle.empty() && internal::LooksLikeSubtitle(b.text)) {
      doc.subtitle = b.text;
      continue;
    }
    seen_content = true;
    const int style_level = b.heading >= 2 && b.heading <= 4 ? 1 : 0;
    doc.paragraphs.push_back({internal::LevelFor(b.text, style_level), b.text});
  }
  if (dropped > 0) {
    doc.warnings.push_back("dropped " + std::to_string(dropped) +
                           " block(s) of chrome inside the body");
  }
  if (doc.paragraphs.empty()) {
    return Status::InvalidArgument("HTML page has no body text");
  }
  return doc;
}

}  // namespace
}  // namespace baogao::ingest
