// The fast HTML tree builder: a tokenizer and the part of the HTML5 tree
// construction rules that ordinary report pages use, written to produce
// exactly the tree gumbo 0.10 builds. Whatever it is not certain about —
// misnested formatting elements (the adoption agency), foster parenting,
// foreign content, frames, select, unknown character references, an end
// tag that does not close the current node — makes it give up (return
// false), and the caller parses the page with gumbo instead. Rules, in the
// order the spec gives them, are in docs/design.md ("Import").
#include <gumbo.h>

#include <array>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/internal/html_tree.h"

namespace baogao::ingest::internal {
namespace {

constexpr uint32_t kNone = HtmlNode::kNone;
// Deeper pages go to gumbo (and its own depth check).
constexpr size_t kMaxOpen = 512;

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }
char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

struct Entity {
  std::string_view name;
  std::string_view utf8;
};
// Named references decoded here (with their ';'); any other name that a
// page uses sends it to gumbo.
constexpr Entity kEntities[] = {
    {"amp", "&"},         {"lt", "<"},         {"gt", ">"},          {"quot", "\""},
    {"apos", "'"},        {"nbsp", "\u00A0"},  {"copy", "\u00A9"},   {"reg", "\u00AE"},
    {"middot", "\u00B7"}, {"mdash", "\u2014"}, {"ndash", "\u2013"},  {"hellip", "\u2026"},
    {"ldquo", "\u201C"},  {"rdquo", "\u201D"}, {"lsquo", "\u2018"},  {"rsquo", "\u2019"},
    {"times", "\u00D7"},  {"ensp", "\u2002"},  {"emsp", "\u2003"},   {"thinsp", "\u2009"},
    {"laquo", "\u00AB"},  {"raquo", "\u00BB"}, {"bull", "\u2022"},   {"deg", "\u00B0"},
    {"yen", "\u00A5"},    {"sect", "\u00A7"},  {"divide", "\u00F7"}, {"plusmn", "\u00B1"},
    {"rarr", "\u2192"},   {"larr", "\u2190"},  {"trade", "\u2122"},  {"permil", "\u2030"},
};
// Names HTML decodes even without a ';' (and then differently in text and
// attributes): a reference that starts with one of them goes to gumbo.
constexpr std::string_view kLegacy[] = {
    "AElig",  "AMP",    "Aacute", "Acirc",  "Agrave", "Aring",  "Atilde", "Auml",   "COPY",
    "Ccedil", "ETH",    "Eacute", "Ecirc",  "Egrave", "Euml",   "GT",     "Iacute", "Icirc",
    "Igrave", "Iuml",   "LT",     "Ntilde", "Oacute", "Ocirc",  "Ograve", "Oslash", "Otilde",
    "Ouml",   "QUOT",   "REG",    "THORN",  "Uacute", "Ucirc",  "Ugrave", "Uuml",   "Yacute",
    "aacute", "acirc",  "acute",  "aelig",  "agrave", "amp",    "aring",  "atilde", "auml",
    "brvbar", "ccedil", "cedil",  "cent",   "copy",   "curren", "deg",    "divide", "eacute",
    "ecirc",  "egrave", "eth",    "euml",   "frac12", "frac14", "frac34", "gt",     "iacute",
    "icirc",  "iexcl",  "igrave", "iquest", "iuml",   "laquo",  "lt",     "macr",   "micro",
    "middot", "nbsp",   "not",    "ntilde", "oacute", "ocirc",  "ograve", "ordf",   "ordm",
    "oslash", "otilde", "ouml",   "para",   "plusmn", "pound",  "quot",   "raquo",  "reg",
    "sect",   "shy",    "sup1",   "sup2",   "sup3",   "szlig",  "thorn",  "times",  "uacute",
    "ucirc",  "ugrave", "uml",    "uuml",   "yacute", "yen",    "yuml"};

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

enum class Ref { kDecoded, kLiteral, kUnsure };

// A character reference at s[*pos] == '&', in text or an attribute value.
Ref CharRef(std::string_view s, size_t* pos, std::string* out) {
  const size_t p = *pos + 1;
  if (p >= s.size()) return Ref::kLiteral;
  if (s[p] == '#') {
    size_t q = p + 1;
    const bool hex = q < s.size() && (s[q] == 'x' || s[q] == 'X');
    if (hex) ++q;
    const size_t start = q;
    char32_t v = 0;
    while (q < s.size() && q - start < 8) {
      const char c = s[q];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && LowerAscii(c) >= 'a' && LowerAscii(c) <= 'f') {
        d = LowerAscii(c) - 'a' + 10;
      } else {
        break;
      }
      v = v * (hex ? 16 : 10) + static_cast<char32_t>(d);
      ++q;
    }
    if (q == start || q >= s.size() || s[q] != ';') return Ref::kUnsure;
    // Code points HTML replaces or reports: leave them to gumbo.
    if ((v < 0x20 && v != '\t' && v != '\n' && v != '\f') || (v >= 0x7F && v <= 0x9F) ||
        (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF || (v & 0xFFFE) == 0xFFFE ||
        (v >= 0xFDD0 && v <= 0xFDEF)) {
      return Ref::kUnsure;
    }
    AppendUtf8(v, out);
    *pos = q + 1;
    return Ref::kDecoded;
  }
  if (!IsAlnum(s[p])) return Ref::kLiteral;
  size_t q = p;
  while (q < s.size() && IsAlnum(s[q])) ++q;
  const std::string_view name = s.substr(p, q - p);
  if (q < s.size() && s[q] == ';') {
    for (const Entity& e : kEntities) {
      if (e.name == name) {
        out->append(e.utf8);
        *pos = q + 1;
        return Ref::kDecoded;
      }
    }
    return Ref::kUnsure;
  }
  for (std::string_view legacy : kLegacy) {
    if (name.substr(0, legacy.size()) == legacy) return Ref::kUnsure;
  }
  return Ref::kLiteral;
}

bool IsFormatting(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_I:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
      return true;
    default:
      return false;
  }
}

// "Any other start tag" in the in-body rules, for certain.
bool IsOrdinary(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_ACRONYM:
    case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_DATA:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_INS:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_METER:
    case GUMBO_TAG_PROGRESS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_UNKNOWN:
      return true;
    default:
      return false;
  }
}

// Start tags that close an open <p> (in button scope) before they open.
bool ClosesP(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_UL:
      return true;
    default:
      return false;
  }
}

// End tags of the in-body "address … ul" group: implied end tags, then
// pop until the element.
bool IsBlockEnd(GumboTag t) {
  return (ClosesP(t) && t != GUMBO_TAG_P) || t == GUMBO_TAG_BUTTON || t == GUMBO_TAG_PRE;
}

bool IsHeading(GumboTag t) { return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6; }

bool IsVoidInBody(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_WBR:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
      return true;
    default:
      return false;
  }
}

// Elements of the "special" category that can be on our stack; the list
// item walk stops at them. Others it passes over are certain non-special
// (formatting and ordinary elements); anything else makes it give up.
enum class Special { kYes, kNo, kUnsure };
Special Specialness(GumboTag t) {
  if (IsFormatting(t) || (IsOrdinary(t) && t != GUMBO_TAG_LEGEND)) return Special::kNo;
  switch (t) {
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_P:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_DIR:
      return Special::kYes;
    default:
      return Special::kUnsure;
  }
}

class FastBuilder {
 public:
  FastBuilder(std::string_view s, HtmlTree* tree) : s_(s), t_(*tree) {}

  bool Run() {
    t_.Clear();
    t_.nodes.reserve(s_.size() / 24);
    t_.chars.reserve(s_.size());
    doc_ = t_.AddDocument();
    const size_t n = s_.size();
    while (pos_ < n) {
      const char c = s_[pos_];
      if (c == '<') {
        if (!Markup()) return false;
        continue;
      }
      if (c == '&') {
        switch (CharRef(s_, &pos_, &run_)) {
          case Ref::kDecoded:
            break;
          case Ref::kLiteral:
            run_.push_back('&');
            ++pos_;
            break;
          case Ref::kUnsure:
            return false;
        }
        continue;
      }
      size_t end = pos_ + 1;
      while (end < n && s_[end] != '<' && s_[end] != '&') ++end;
      run_.append(s_.data() + pos_, end - pos_);
      pos_ = end;
    }
    if (!Chars()) return false;
    // End of file: the implied html, head and body still appear.
    while (mode_ < Mode::kInBody) {
      if (!Implied()) return false;
    }
    Flush();
    return true;
  }

 private:
  enum class Mode {
    kInitial,
    kBeforeHtml,
    kBeforeHead,
    kInHead,
    kAfterHead,
    kInBody,
    kAfterBody,
    kAfterAfterBody
  };
  enum class Quirks { kNo, kLimited, kQuirks, kUnsure };
  struct Open {
    uint32_t node;
    GumboTag tag;
    std::string_view name;  // for unknown elements
  };
  struct Tag {
    GumboTag tag = GUMBO_TAG_UNKNOWN;
    std::string_view name;  // lower case; kept only for unknown elements
    uint32_t attr_begin = 0, attr_end = 0;
  };

  GumboTag Current() const { return open_.back().tag; }

  // --- Tokenizer -----------------------------------------------------------

  bool Markup() {
    const size_t n = s_.size();
    const size_t p = pos_ + 1;
    if (p >= n) {
      run_.push_back('<');
      ++pos_;
      return true;
    }
    const char c = s_[p];
    if (IsAlpha(c)) return StartTag();
    if (c == '/') {
      if (p + 1 < n && IsAlpha(s_[p + 1])) return EndTag();
      return false;  // </> and bogus comments
    }
    if (c == '!') {
      if (s_.substr(p + 1, 2) == "--") return Comment();
      if (p + 8 <= n) {
        std::string word(s_.substr(p + 1, 7));
        for (char& ch : word) ch = LowerAscii(ch);
        if (word == "doctype") return Doctype();
      }
      return false;
    }
    if (c == '?') return false;
    // A '<' that starts no tag is text.
    run_.push_back('<');
    ++pos_;
    return true;
  }

  // Reads a tag name at pos_; returns it lower-cased (in name_buf_ when it
  // had to change).
  std::string_view ReadName(size_t* pos) {
    const size_t start = *pos;
    bool upper = false;
    while (*pos < s_.size() && !IsWs(s_[*pos]) && s_[*pos] != '/' && s_[*pos] != '>') {
      upper = upper || (s_[*pos] >= 'A' && s_[*pos] <= 'Z');
      ++*pos;
    }
    std::string_view name = s_.substr(start, *pos - start);
    if (!upper) return name;
    name_buf_.assign(name);
    for (char& ch : name_buf_) ch = LowerAscii(ch);
    return name_buf_;
  }

  bool StartTag() {
    size_t p = pos_ + 1;
    Tag tag;
    std::string_view name = ReadName(&p);
    if (name.find('<') != std::string_view::npos) return false;
    tag.tag = gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));
    if (tag.tag == GUMBO_TAG_UNKNOWN) {
      unknown_names_.emplace_back(name);
      name = unknown_names_.back();
    }
    tag.name = name;
    tag.attr_begin = static_cast<uint32_t>(t_.attrs.size());
    const size_t n = s_.size();
    for (;;) {
      while (p < n && IsWs(s_[p])) ++p;
      if (p >= n) return false;
      if (s_[p] == '>') {
        ++p;
        break;
      }
      if (s_[p] == '/') {
        if (p + 1 < n && s_[p + 1] == '>') {
          // A self-closing flag is ignored on non-void elements, as gumbo does.
          p += 2;
          break;
        }
        return false;
      }
      // Attribute name.
      const size_t name_start = p;
      if (s_[p] == '=') return false;
      while (p < n && !IsWs(s_[p]) && s_[p] != '/' && s_[p] != '>' && s_[p] != '=') {
        const char ch = s_[p];
        if (ch == '"' || ch == '\'' || ch == '<') return false;
        ++p;
      }
      if (p >= n) return false;
      HtmlAttr a;
      a.name_begin = static_cast<uint32_t>(t_.chars.size());
      for (size_t k = name_start; k < p; ++k) t_.chars.push_back(LowerAscii(s_[k]));
      a.name_size = static_cast<uint32_t>(p - name_start);
      size_t q = p;
      while (q < n && IsWs(s_[q])) ++q;
      a.value_begin = static_cast<uint32_t>(t_.chars.size());
      if (q < n && s_[q] == '=') {
        ++q;
        while (q < n && IsWs(s_[q])) ++q;
        if (q >= n || s_[q] == '>') return false;
        if (s_[q] == '"' || s_[q] == '\'') {
          const char quote = s_[q++];
          for (;;) {
            const size_t stop = s_.find_first_of(quote == '"' ? "\"&" : "'&", q);
            if (stop == std::string_view::npos) return false;
            t_.chars.append(s_.data() + q, stop - q);
            q = stop;
            if (s_[q] == quote) {
              ++q;
              break;
            }
            switch (CharRef(s_, &q, &t_.chars)) {
              case Ref::kDecoded:
                break;
              case Ref::kLiteral:
                t_.chars.push_back('&');
                ++q;
                break;
              case Ref::kUnsure:
                return false;
            }
          }
          if (q < n && !IsWs(s_[q]) && s_[q] != '/' && s_[q] != '>') return false;
        } else {
          while (q < n && !IsWs(s_[q]) && s_[q] != '>') {
            const char ch = s_[q];
            if (ch == '"' || ch == '\'' || ch == '<' || ch == '=' || ch == '`') return false;
            if (ch == '&') {
              switch (CharRef(s_, &q, &t_.chars)) {
                case Ref::kDecoded:
                  continue;
                case Ref::kLiteral:
                  break;
                case Ref::kUnsure:
                  return false;
              }
            }
            t_.chars.push_back(ch);
            ++q;
          }
        }
        p = q;
      } else {
        p = q;  // no value
      }
      a.value_size = static_cast<uint32_t>(t_.chars.size() - a.value_begin);
      // A repeated attribute is dropped, as gumbo does.
      bool dup = false;
      const std::string_view an = t_.Name(a);
      for (uint32_t k = tag.attr_begin; k < t_.attrs.size() && !dup; ++k) {
        dup = t_.Name(t_.attrs[k]) == an;
      }
      if (!dup) t_.attrs.push_back(a);
    }
    tag.attr_end = static_cast<uint32_t>(t_.attrs.size());
    pos_ = p;
    if (!Chars()) return false;
    return StartTagToken(tag);
  }

  bool EndTag() {
    size_t p = pos_ + 2;
    const std::string_view name = ReadName(&p);
    while (p < s_.size() && IsWs(s_[p])) ++p;
    if (p >= s_.size() || s_[p] != '>') return false;
    pos_ = p + 1;
    const GumboTag tag = gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));
    if (!Chars()) return false;
    return EndTagToken(tag, name);
  }

  bool Comment() {
    const size_t body = pos_ + 4;
    if (s_.substr(body, 1) == ">" || s_.substr(body, 2) == "->") return false;
    const size_t end = s_.find("-->", body);
    if (end == std::string_view::npos) return false;
    if (s_.substr(body, end - body).find("--!") != std::string_view::npos) return false;
    pos_ = end + 3;
    if (!Chars()) return false;
    if (mode_ == Mode::kInitial || mode_ == Mode::kBeforeHtml) return true;  // on the document
    Flush();
    return true;
  }

  bool Doctype() {
    const size_t end = s_.find('>', pos_);
    if (end == std::string_view::npos) return false;
    if (!Chars()) return false;
    if (mode_ != Mode::kInitial) return false;
    std::string d(s_.substr(pos_ + 9, end - pos_ - 9));
    pos_ = end + 1;
    for (char& ch : d) ch = LowerAscii(ch);
    size_t a = d.find_first_not_of(" \t\n\f");
    size_t b = d.find_last_not_of(" \t\n\f");
    d = a == std::string::npos ? std::string() : d.substr(a, b - a + 1);
    if (d == "html") {
      quirks_ = Quirks::kNo;
    } else if (d.rfind("html public \"-//w3c//dtd xhtml 1.0 transitional//", 0) == 0 ||
               d.rfind("html public \"-//w3c//dtd xhtml 1.0 frameset//", 0) == 0) {
      quirks_ = Quirks::kLimited;
    } else {
      quirks_ = Quirks::kUnsure;
    }
    mode_ = Mode::kBeforeHtml;
    return true;
  }

  // The text of a raw text (script, style) or RCDATA (title, textarea)
  // element, up to its end tag, which it consumes.
  bool RawText(std::string_view name, bool rcdata, bool skip_lf) {
    const size_t n = s_.size();
    size_t p = pos_;
    size_t end = std::string_view::npos;
    for (size_t q = s_.find("</", p); q != std::string_view::npos; q = s_.find("</", q + 2)) {
      if (q + 2 + name.size() > n) break;
      bool same = true;
      for (size_t k = 0; k < name.size() && same; ++k) same = LowerAscii(s_[q + 2 + k]) == name[k];
      if (!same) continue;
      const size_t after = q + 2 + name.size();
      if (after < n && (IsWs(s_[after]) || s_[after] == '/' || s_[after] == '>')) {
        end = q;
        break;
      }
    }
    if (end == std::string_view::npos) return false;
    std::string_view content = s_.substr(p, end - p);
    if (name == "script" && content.find("<!--") != std::string_view::npos) return false;
    // A newline right after the start tag is dropped (a character reference
    // that might be one goes to gumbo).
    if (skip_lf && content.substr(0, 2) == "&#") return false;
    if (skip_lf && !content.empty() && content[0] == '\n') content.remove_prefix(1);
    if (rcdata) {
      for (size_t i = 0; i < content.size();) {
        if (content[i] == '&') {
          switch (CharRef(content, &i, &pend_)) {
            case Ref::kDecoded:
              continue;
            case Ref::kLiteral:
              break;
            case Ref::kUnsure:
              return false;
          }
        }
        pend_.push_back(content[i++]);
      }
    } else {
      pend_.append(content);
    }
    // The end tag: </name, white space, '>'.
    size_t q = end + 2 + name.size();
    while (q < n && IsWs(s_[q])) ++q;
    if (q >= n || s_[q] != '>') return false;
    pos_ = q + 1;
    Pop();  // flushes the text into the element
    return true;
  }

  // --- Tree construction ---------------------------------------------------

  void Flush() {
    if (pend_.empty()) return;
    const uint32_t parent = open_.empty() ? doc_ : open_.back().node;
    if (parent != doc_) {
      const uint32_t id = t_.AddChild(parent, HtmlNode::Type::kText, GUMBO_TAG_UNKNOWN);
      t_.nodes[id].begin = static_cast<uint32_t>(t_.chars.size());
      t_.nodes[id].size = static_cast<uint32_t>(pend_.size());
      t_.chars.append(pend_);
    }
    pend_.clear();
  }

  uint32_t Insert(const Tag& tag, bool push) {
    Flush();
    const uint32_t parent = open_.empty() ? doc_ : open_.back().node;
    const uint32_t id = t_.AddChild(parent, HtmlNode::Type::kElement, tag.tag);
    t_.nodes[id].begin = tag.attr_begin;
    t_.nodes[id].size = tag.attr_end - tag.attr_begin;
    if (push) open_.push_back({id, tag.tag, tag.name});
    return id;
  }
  uint32_t InsertImplied(GumboTag t) {
    Tag tag;
    tag.tag = t;
    tag.attr_begin = tag.attr_end = static_cast<uint32_t>(t_.attrs.size());
    return Insert(tag, true);
  }
  void Pop() {
    Flush();
    open_.pop_back();
  }

  // The "anything else" step of the modes before <body>.
  bool Implied() {
    switch (mode_) {
      case Mode::kInitial:
        quirks_ = Quirks::kQuirks;  // no doctype
        mode_ = Mode::kBeforeHtml;
        return true;
      case Mode::kBeforeHtml:
        InsertImplied(GUMBO_TAG_HTML);
        mode_ = Mode::kBeforeHead;
        return true;
      case Mode::kBeforeHead:
        InsertImplied(GUMBO_TAG_HEAD);
        mode_ = Mode::kInHead;
        return true;
      case Mode::kInHead:
        Pop();
        mode_ = Mode::kAfterHead;
        return true;
      case Mode::kAfterHead:
        InsertImplied(GUMBO_TAG_BODY);
        mode_ = Mode::kInBody;
        return true;
      default:
        return false;
    }
  }

  // Processes the pending run of characters (run_).
  bool Chars() {
    if (run_.empty()) return true;
    std::string_view r = run_;
    bool ok = true;
    while (!r.empty()) {
      size_t ws = 0;
      while (ws < r.size() && IsWs(r[ws])) ++ws;
      if (mode_ <= Mode::kBeforeHead) {
        r.remove_prefix(ws);
        if (r.empty()) break;
        if (!Implied()) {
          ok = false;
          break;
        }
        continue;
      }
      if (mode_ == Mode::kInHead || mode_ == Mode::kAfterHead) {
        pend_.append(r.substr(0, ws));
        r.remove_prefix(ws);
        if (r.empty()) break;
        if (!Implied()) {
          ok = false;
          break;
        }
        continue;
      }
      if (mode_ == Mode::kInBody) {
        const GumboTag cur = Current();
        if ((cur == GUMBO_TAG_TABLE || cur == GUMBO_TAG_TBODY || cur == GUMBO_TAG_THEAD ||
             cur == GUMBO_TAG_TFOOT || cur == GUMBO_TAG_TR) &&
            ws != r.size()) {
          ok = false;  // foster parenting
          break;
        }
        pend_.append(r);
        break;
      }
      // After </body> or </html>: white space only.
      if (ws != r.size()) {
        ok = false;
        break;
      }
      pend_.append(r);
      break;
    }
    run_.clear();
    return ok;
  }

  bool InScope(GumboTag target, bool button, bool list) const {
    for (size_t i = open_.size(); i-- > 0;) {
      const GumboTag t = open_[i].tag;
      if (t == target) return true;
      if (t == GUMBO_TAG_HTML || t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH)
        return false;
      if (button && t == GUMBO_TAG_BUTTON) return false;
      if (list && (t == GUMBO_TAG_OL || t == GUMBO_TAG_UL)) return false;
    }
    return false;
  }

  bool InCell() const {
    for (size_t i = open_.size(); i-- > 0;) {
      const GumboTag t = open_[i].tag;
      if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) return true;
      if (t == GUMBO_TAG_TABLE || t == GUMBO_TAG_HTML) return false;
    }
    return false;
  }

  // Closes a <p> in button scope: only when it is the current node.
  bool CloseP() {
    if (!InScope(GUMBO_TAG_P, true, false)) return true;
    if (Current() != GUMBO_TAG_P) return false;
    Pop();
    return true;
  }

  // Pops <p>, <li>, <dd>, <dt> above `target` (implied end tags), then
  // requires `target` to be the current node and pops it. gumbo removes a
  // <form> from the stack without flushing pending text (which then goes to
  // whatever is current at the next flush): `flush_target` false copies that.
  bool CloseWithImplied(GumboTag target, bool flush_target = true) {
    size_t i = open_.size();
    while (i > 0) {
      const GumboTag t = open_[i - 1].tag;
      if (t == target) break;
      if (t != GUMBO_TAG_P && t != GUMBO_TAG_LI && t != GUMBO_TAG_DD && t != GUMBO_TAG_DT)
        return false;
      --i;
    }
    if (i == 0) return false;
    while (open_.size() > i) Pop();
    if (flush_target) {
      Pop();
    } else {
      open_.pop_back();
    }
    return true;
  }

  bool CloseCell() {
    size_t i = open_.size();
    while (i > 0) {
      const GumboTag t = open_[i - 1].tag;
      if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) break;
      if (t != GUMBO_TAG_P && t != GUMBO_TAG_LI && t != GUMBO_TAG_DD && t != GUMBO_TAG_DT)
        return false;
      --i;
    }
    if (i == 0) return false;
    while (open_.size() >= i) Pop();
    return true;
  }

  // <li>, <dd>, <dt>: closes an open item of the same kind that is the
  // current node.
  bool CloseListItem(GumboTag tag) {
    for (size_t i = open_.size(); i-- > 0;) {
      const GumboTag t = open_[i].tag;
      const bool item =
          tag == GUMBO_TAG_LI ? t == GUMBO_TAG_LI : (t == GUMBO_TAG_DD || t == GUMBO_TAG_DT);
      if (item) {
        if (i + 1 != open_.size()) return false;
        Pop();
        return true;
      }
      const Special sp = Specialness(t);
      if (sp == Special::kUnsure) return false;
      if (sp == Special::kYes && t != GUMBO_TAG_ADDRESS && t != GUMBO_TAG_DIV && t != GUMBO_TAG_P) {
        return true;
      }
    }
    return true;
  }

  bool StartTagToken(const Tag& tag) {
    for (;;) {
      switch (mode_) {
        case Mode::kInitial:
        case Mode::kBeforeHtml:
          if (mode_ == Mode::kBeforeHtml && tag.tag == GUMBO_TAG_HTML) {
            Insert(tag, true);
            mode_ = Mode::kBeforeHead;
            return true;
          }
          if (!Implied()) return false;
          continue;
        case Mode::kBeforeHead:
          if (tag.tag == GUMBO_TAG_HTML) return false;
          if (tag.tag == GUMBO_TAG_HEAD) {
            Insert(tag, true);
            mode_ = Mode::kInHead;
            return true;
          }
          if (!Implied()) return false;
          continue;
        case Mode::kInHead:
          switch (tag.tag) {
            case GUMBO_TAG_META:
            case GUMBO_TAG_LINK:
            case GUMBO_TAG_BASE:
              Insert(tag, false);
              return true;
            case GUMBO_TAG_TITLE:
            case GUMBO_TAG_STYLE:
            case GUMBO_TAG_SCRIPT:
              return RawElement(tag);
            case GUMBO_TAG_HTML:
            case GUMBO_TAG_HEAD:
            case GUMBO_TAG_BASEFONT:
            case GUMBO_TAG_BGSOUND:
            case GUMBO_TAG_NOSCRIPT:
            case GUMBO_TAG_NOFRAMES:
            case GUMBO_TAG_TEMPLATE:
            case GUMBO_TAG_MENUITEM:
              return false;
            default:
              Implied();
              continue;
          }
        case Mode::kAfterHead:
          switch (tag.tag) {
            case GUMBO_TAG_BODY:
              Insert(tag, true);
              mode_ = Mode::kInBody;
              return true;
            case GUMBO_TAG_HTML:
            case GUMBO_TAG_HEAD:
            case GUMBO_TAG_FRAMESET:
            case GUMBO_TAG_BASE:
            case GUMBO_TAG_BASEFONT:
            case GUMBO_TAG_BGSOUND:
            case GUMBO_TAG_LINK:
            case GUMBO_TAG_META:
            case GUMBO_TAG_NOFRAMES:
            case GUMBO_TAG_SCRIPT:
            case GUMBO_TAG_STYLE:
            case GUMBO_TAG_TEMPLATE:
            case GUMBO_TAG_TITLE:
            case GUMBO_TAG_MENUITEM:
              return false;
            default:
              Implied();
              continue;
          }
        case Mode::kInBody:
          if (open_.size() >= kMaxOpen) return false;
          return InBodyStart(tag);
        case Mode::kAfterBody:
        case Mode::kAfterAfterBody:
          return false;
      }
    }
  }

  bool RawElement(const Tag& tag) {
    Insert(tag, true);
    switch (tag.tag) {
      case GUMBO_TAG_TITLE:
        return RawText("title", true, false);
      case GUMBO_TAG_TEXTAREA:
        return RawText("textarea", true, true);
      case GUMBO_TAG_STYLE:
        return RawText("style", false, false);
      case GUMBO_TAG_SCRIPT:
        return RawText("script", false, false);
      default:
        return false;
    }
  }

  bool InBodyStart(const Tag& tag) {
    const GumboTag t = tag.tag;
    const GumboTag cur = Current();
    // Table insertion modes: the current node is the table part itself.
    if (cur == GUMBO_TAG_TABLE) {
      if (t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT) {
        Insert(tag, true);
        return true;
      }
      if (t == GUMBO_TAG_TR || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) {
        InsertImplied(GUMBO_TAG_TBODY);
        return InBodyStart(tag);
      }
      return false;
    }
    if (cur == GUMBO_TAG_TBODY || cur == GUMBO_TAG_THEAD || cur == GUMBO_TAG_TFOOT) {
      if (t == GUMBO_TAG_TR) {
        Insert(tag, true);
        return true;
      }
      if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) {
        InsertImplied(GUMBO_TAG_TR);
        return InBodyStart(tag);
      }
      if (t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT) {
        Pop();
        return InBodyStart(tag);
      }
      return false;
    }
    if (cur == GUMBO_TAG_TR) {
      if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) {
        Insert(tag, true);
        return true;
      }
      if (t == GUMBO_TAG_TR || t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD ||
          t == GUMBO_TAG_TFOOT) {
        Pop();
        return InBodyStart(tag);
      }
      return false;
    }
    switch (t) {
      case GUMBO_TAG_CAPTION:
      case GUMBO_TAG_COL:
      case GUMBO_TAG_COLGROUP:
        return false;
      case GUMBO_TAG_TBODY:
      case GUMBO_TAG_THEAD:
      case GUMBO_TAG_TFOOT:
      case GUMBO_TAG_TR:
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        if (!InCell() || !CloseCell()) return false;
        return InBodyStart(tag);
      case GUMBO_TAG_META:
      case GUMBO_TAG_LINK:
      case GUMBO_TAG_BASE:
        Insert(tag, false);
        return true;
      case GUMBO_TAG_TITLE:
      case GUMBO_TAG_STYLE:
      case GUMBO_TAG_SCRIPT:
        return RawElement(tag);
      case GUMBO_TAG_TEXTAREA:
        return RawElement(tag);
      case GUMBO_TAG_PRE:
        if (!CloseP()) return false;
        Insert(tag, true);
        // A newline right after <pre> is dropped.
        if (s_.substr(pos_, 2) == "&#") return false;
        if (pos_ < s_.size() && s_[pos_] == '\n') ++pos_;
        return true;
      case GUMBO_TAG_FORM:
        if (form_ != kNone) return false;
        if (!CloseP()) return false;
        form_ = Insert(tag, true);
        return true;
      case GUMBO_TAG_LI:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_DT:
        if (!CloseListItem(t) || !CloseP()) return false;
        Insert(tag, true);
        return true;
      case GUMBO_TAG_BUTTON:
        if (InScope(GUMBO_TAG_BUTTON, false, false)) return false;
        Insert(tag, true);
        return true;
      case GUMBO_TAG_A:
        for (const Open& o : open_) {
          if (o.tag == GUMBO_TAG_A) return false;
        }
        Insert(tag, true);
        return true;
      case GUMBO_TAG_TABLE:
        if (InScope(GUMBO_TAG_P, true, false) && quirks_ != Quirks::kQuirks) {
          if (quirks_ == Quirks::kUnsure || !CloseP()) return false;
        }
        Insert(tag, true);
        return true;
      case GUMBO_TAG_HR:
        if (!CloseP()) return false;
        Insert(tag, false);
        return true;
      case GUMBO_TAG_MAIN:
        // Not certain whether gumbo 0.10 closes a <p> for it.
        if (InScope(GUMBO_TAG_P, true, false)) return false;
        Insert(tag, true);
        return true;
      default:
        break;
    }
    if (ClosesP(t)) {
      if (!CloseP()) return false;
      Insert(tag, true);
      return true;
    }
    if (IsHeading(t)) {
      if (!CloseP()) return false;
      if (IsHeading(Current())) return false;
      Insert(tag, true);
      return true;
    }
    if (IsVoidInBody(t)) {
      Insert(tag, false);
      return true;
    }
    if (IsFormatting(t) || IsOrdinary(t)) {
      Insert(tag, true);
      return true;
    }
    return false;
  }

  bool EndTagToken(GumboTag t, std::string_view name) {
    switch (mode_) {
      case Mode::kInitial:
      case Mode::kBeforeHtml:
      case Mode::kBeforeHead:
      case Mode::kAfterHead:
        if (t != GUMBO_TAG_HEAD && t != GUMBO_TAG_BODY && t != GUMBO_TAG_HTML) return false;
        if (mode_ == Mode::kAfterHead && t == GUMBO_TAG_HEAD) return false;
        if (!Implied()) return false;
        return EndTagToken(t, name);
      case Mode::kInHead:
        if (t == GUMBO_TAG_HEAD) {
          Pop();
          mode_ = Mode::kAfterHead;
          return true;
        }
        if (t != GUMBO_TAG_BODY && t != GUMBO_TAG_HTML) return false;
        Implied();
        return EndTagToken(t, name);
      case Mode::kInBody:
        return InBodyEnd(t, name);
      case Mode::kAfterBody:
        if (t != GUMBO_TAG_HTML) return false;
        mode_ = Mode::kAfterAfterBody;
        return true;
      case Mode::kAfterAfterBody:
        return false;
    }
    return false;
  }

  bool InBodyEnd(GumboTag t, std::string_view name) {
    const GumboTag cur = Current();
    if (cur == GUMBO_TAG_TABLE) {
      if (t != GUMBO_TAG_TABLE) return false;
      Pop();
      return true;
    }
    if (cur == GUMBO_TAG_TBODY || cur == GUMBO_TAG_THEAD || cur == GUMBO_TAG_TFOOT) {
      if (t == cur) {
        Pop();
        return true;
      }
      if (t != GUMBO_TAG_TABLE) return false;
      Pop();
      return InBodyEnd(t, name);
    }
    if (cur == GUMBO_TAG_TR) {
      if (t == GUMBO_TAG_TR) {
        Pop();
        return true;
      }
      if (t != GUMBO_TAG_TABLE && t != GUMBO_TAG_TBODY && t != GUMBO_TAG_THEAD &&
          t != GUMBO_TAG_TFOOT) {
        return false;
      }
      if (t != GUMBO_TAG_TABLE && open_[open_.size() - 2].tag != t) return false;
      Pop();
      return InBodyEnd(t, name);
    }
    switch (t) {
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        if (!InCell()) return false;
        return CloseWithImplied(t);
      case GUMBO_TAG_TR:
      case GUMBO_TAG_TABLE:
      case GUMBO_TAG_TBODY:
      case GUMBO_TAG_THEAD:
      case GUMBO_TAG_TFOOT:
        if (!InCell() || !CloseCell()) return false;
        return InBodyEnd(t, name);
      case GUMBO_TAG_BODY:
      case GUMBO_TAG_HTML:
        if (InCell() || !InScope(GUMBO_TAG_BODY, false, false)) return false;
        mode_ = t == GUMBO_TAG_BODY ? Mode::kAfterBody : Mode::kAfterAfterBody;
        return true;
      case GUMBO_TAG_P:
        if (!InScope(GUMBO_TAG_P, true, false)) return false;
        return CloseWithImplied(GUMBO_TAG_P);
      case GUMBO_TAG_LI:
        if (!InScope(GUMBO_TAG_LI, false, true)) return false;
        return CloseWithImplied(GUMBO_TAG_LI);
      case GUMBO_TAG_DD:
      case GUMBO_TAG_DT:
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
        return CloseWithImplied(t);
      case GUMBO_TAG_FORM:
        if (form_ == kNone) return false;
        if (!CloseWithImplied(GUMBO_TAG_FORM, false)) return false;
        form_ = kNone;
        return true;
      default:
        break;
    }
    if (IsBlockEnd(t)) return CloseWithImplied(t);
    if (IsFormatting(t) || IsOrdinary(t) || t == GUMBO_TAG_MAIN) {
      if (cur != t) return false;
      if (t == GUMBO_TAG_UNKNOWN && open_.back().name != name) return false;
      Pop();
      return true;
    }
    return false;
  }

  std::string_view s_;
  HtmlTree& t_;
  size_t pos_ = 0;
  uint32_t doc_ = 0;
  Mode mode_ = Mode::kInitial;
  Quirks quirks_ = Quirks::kQuirks;
  uint32_t form_ = kNone;
  std::vector<Open> open_;
  std::string run_;   // characters not yet given to tree construction
  std::string pend_;  // characters inserted but not yet in a text node
  std::string name_buf_;
  std::deque<std::string> unknown_names_;  // stable addresses
};

// Code points gumbo replaces by U+FFFD wherever they occur (C0 controls
// other than white space, DEL and C1 controls, non-characters) and NUL: a
// page with any of them goes to gumbo. Sets *cr when the page has a CR.
bool AllCharactersKept(std::string_view html, bool* cr) {
  // Bytes that need a closer look: controls, DEL, and the lead bytes of the
  // sequences above. Printable ASCII, CJK lead bytes and continuation bytes
  // pass with one table lookup.
  static constexpr auto kLook = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = c != '\t' && c != '\n' && c != '\f';
    t[0x7F] = t[0xC2] = t[0xEF] = true;
    for (int c = 0xF0; c <= 0xF4; ++c) t[c] = true;
    return t;
  }();
  const auto* s = reinterpret_cast<const unsigned char*>(html.data());
  const size_t n = html.size();
  *cr = false;
  for (size_t i = 0; i < n; ++i) {
    while (i + 4 <= n && !kLook[s[i]] && !kLook[s[i + 1]] && !kLook[s[i + 2]] && !kLook[s[i + 3]]) {
      i += 4;
    }
    if (i >= n) break;
    const unsigned char b = s[i];
    if (!kLook[b]) continue;
    if (b == '\r') {
      *cr = true;
      continue;
    }
    if (b < 0x80) return false;  // NUL, other C0 controls, DEL
    if (b == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) return false;  // C1
    if (b == 0xEF && i + 2 < n) {
      const unsigned char b1 = s[i + 1], b2 = s[i + 2];
      if (b1 == 0xB7 && b2 >= 0x90 && b2 <= 0xAF) return false;    // U+FDD0..U+FDEF
      if (b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)) return false;  // U+FFFE, U+FFFF
    }
    if (b >= 0xF0 && b <= 0xF4 && i + 3 < n && (s[i + 1] & 0x0F) == 0x0F && s[i + 2] == 0xBF &&
        (s[i + 3] == 0xBE || s[i + 3] == 0xBF)) {
      return false;  // U+xFFFE, U+xFFFF in the other planes
    }
  }
  return true;
}

}  // namespace

bool BuildFastTree(std::string_view html, HtmlTree* tree) {
  bool cr = false;
  if (!AllCharactersKept(html, &cr)) return false;
  std::string normalized;
  if (cr) {
    // The input stream's newline normalisation: CRLF and CR become LF.
    normalized.reserve(html.size());
    for (size_t i = 0; i < html.size(); ++i) {
      if (html[i] == '\r') {
        normalized.push_back('\n');
        if (i + 1 < html.size() && html[i + 1] == '\n') ++i;
      } else {
        normalized.push_back(html[i]);
      }
    }
    html = normalized;
  }
  FastBuilder b(html, tree);
  return b.Run();
}

}  // namespace baogao::ingest::internal
