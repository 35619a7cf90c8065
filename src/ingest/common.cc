// Shared ingest helpers: heading detection, chrome classification, metadata.
#include "ingest/internal/common.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"
#include "text/fold.h"
#include "text/text.h"

namespace baogao::ingest {
namespace internal {
namespace {

bool Contains(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}
bool StartsWith(std::string_view s, std::string_view p) {
  // The first byte rejects almost every candidate without a call to memcmp.
  return s.size() >= p.size() && (p.empty() || s[0] == p[0]) &&
         std::memcmp(s.data(), p.data(), p.size()) == 0;
}
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

template <size_t N>
bool ContainsAny(std::string_view s, const std::array<std::string_view, N>& needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return Contains(s, n); });
}
template <size_t N>
bool StartsWithAny(std::string_view s, const std::array<std::string_view, N>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return StartsWith(s, p); });
}

// text::DecodeOne, inline: the helpers below call it for every character.
inline char32_t CharAt(std::string_view in, size_t pos, size_t* len) {
  return text::DecodeOne(in, pos, len);
}

bool IsChineseNumeral(char32_t c) {
  return std::u32string_view(U"一二三四五六七八九十百零〇两").find(c) != std::u32string_view::npos;
}
bool IsDigit(char32_t c) { return (c >= '0' && c <= '9') || (c >= U'０' && c <= U'９'); }

bool IsCjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF) || c == 0x2014 ||
         c == 0x2026 || c == 0x201C || c == 0x201D;
}

bool IsSpace(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');  // \t \n \v \f \r
  return c == 0x00A0 || c == 0x3000 || c == 0x200B || c == 0xFEFF || c == 0x2002 || c == 0x2003 ||
         c == 0x2009;
}

// A character that IsSpace is certainly false for, judged from its first
// bytes: printable ASCII, or a well-formed three-byte sequence in
// U+4000–U+9FFF (CJK ideographs). Sets *len.
inline bool SurelyNotSpace(const unsigned char* s, size_t i, size_t n, size_t* len) {
  const unsigned char b = s[i];
  if (b > 0x20 && b < 0x80) {
    *len = 1;
    return true;
  }
  if (b >= 0xE4 && b <= 0xE9 && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
      (s[i + 2] & 0xC0) == 0x80) {
    *len = 3;
    return true;
  }
  return false;
}

// Reads a run of characters satisfying `pred` from `pos`; returns the count.
template <typename Pred>
size_t Run(std::string_view s, size_t* pos, Pred pred) {
  size_t n = 0;
  while (*pos < s.size()) {
    size_t len = 1;
    if (!pred(CharAt(s, *pos, &len))) break;
    *pos += len;
    ++n;
  }
  return n;
}

bool Consume(std::string_view s, size_t* pos, std::u32string_view options) {
  if (*pos >= s.size()) return false;
  size_t len = 1;
  const char32_t c = CharAt(s, *pos, &len);
  if (options.find(c) == std::u32string_view::npos) return false;
  *pos += len;
  return true;
}

}  // namespace

size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t len = 1;
    CharAt(s, i, &len);
    i += len;
  }
  return n;
}

std::vector<std::string> SplitLines(std::string_view s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    out.emplace_back(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

std::string CollapseWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  char32_t prev = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    const char32_t c = CharAt(s, i, &len);
    if (!IsSpace(c)) {
      // A run of non-space characters is copied at once; only its last
      // character matters below.
      const auto* u = reinterpret_cast<const unsigned char*>(s.data());
      size_t j = i + len;
      size_t last = i;
      while (j < s.size()) {
        size_t l = 1;
        if (!SurelyNotSpace(u, j, s.size(), &l)) {
          const char32_t d = CharAt(s, j, &l);
          if (IsSpace(d)) break;
        }
        last = j;
        j += l;
      }
      out.append(s.data() + i, j - i);
      size_t l = 1;
      prev = CharAt(s, last, &l);
      i = j;
      continue;
    }
    bool newline = false;
    size_t j = i;
    while (j < s.size()) {
      size_t l = 1;
      const char32_t d = CharAt(s, j, &l);
      if (!IsSpace(d)) break;
      newline = newline || d == '\n' || d == '\r';
      j += l;
    }
    if (!out.empty() && j < s.size()) {
      size_t l = 1;
      const char32_t next = CharAt(s, j, &l);
      if (!(newline && IsCjk(prev) && IsCjk(next))) out.push_back(' ');
    }
    i = j;
  }
  return out;
}

}  // namespace internal

int DetectHeadingLevel(std::string_view raw) {
  using internal::Consume;
  using internal::IsChineseNumeral;
  using internal::IsDigit;
  using internal::Run;
  const std::string_view s = text::TrimSpace(raw);
  size_t pos = 0;
  // 第一章 / 第一节 / 第一部分 / 第一篇
  if (internal::StartsWith(s, "第")) {
    pos = 3;
    if (Run(s, &pos, IsChineseNumeral) > 0 || Run(s, &pos, IsDigit) > 0) {
      const std::string_view rest = s.substr(pos);
      if (internal::StartsWith(rest, "章") || internal::StartsWith(rest, "部分") ||
          internal::StartsWith(rest, "篇")) {
        return 1;
      }
      if (internal::StartsWith(rest, "节")) return 2;
    }
    return 0;
  }
  // 一、
  pos = 0;
  if (Run(s, &pos, IsChineseNumeral) > 0) {
    return Consume(s, &pos, U"、") && pos < s.size() ? 1 : 0;
  }
  // （一） / (一) and （1） / (1)
  pos = 0;
  if (Consume(s, &pos, U"（(")) {
    if (Run(s, &pos, IsChineseNumeral) > 0) return Consume(s, &pos, U"）)") ? 2 : 0;
    if (Run(s, &pos, IsDigit) > 0) return Consume(s, &pos, U"）)") ? 4 : 0;
    return 0;
  }
  // 1. / 1、 / １． but not 1.5 or 2023年
  pos = 0;
  if (const size_t digits = Run(s, &pos, IsDigit); digits > 0 && digits <= 2) {
    if (!Consume(s, &pos, U".．、")) return 0;
    if (pos >= s.size()) return 0;
    size_t len = 1;
    const char32_t next = internal::CharAt(s, pos, &len);
    return IsDigit(next) ? 0 : 3;
  }
  return 0;
}

namespace internal {

int LevelFor(std::string_view text, int style_level) {
  const int numbered = DetectHeadingLevel(text);
  if (numbered > 0) return numbered;
  return std::clamp(style_level, 0, 4);
}

namespace {

constexpr std::array<std::string_view, 17> kNotices = {"本文仅代表作者观点",
                                                       "不代表本站立场",
                                                       "不代表本网立场",
                                                       "不代表本网站立场",
                                                       "版权声明",
                                                       "免责声明",
                                                       "未经许可，不得转载",
                                                       "未经许可,不得转载",
                                                       "转载请注明",
                                                       "版权所有",
                                                       "ICP备",
                                                       "ICP证",
                                                       "公网安备",
                                                       "Copyright",
                                                       "COPYRIGHT",
                                                       "©",
                                                       "未经授权禁止转载"};
constexpr std::array<std::string_view, 11> kMetaMarkers = {"来源：",   "来源:",  "时间：",  "时间:",
                                                           "日期：",   "日期:",  "作者：",  "字号",
                                                           "浏览次数", "点击数", "阅读次数"};
constexpr std::array<std::string_view, 34> kChrome = {
    "导航菜单", "当前位置", "您的位置", "你的位置", "所在位置", "您现在的位置", "分享到",
    "打印本页", "关闭窗口", "【打印】", "【关闭】", "[打印]",   "[关闭]",       "字号：",
    "字号:",    "【大",     "验证码",   "条评论",   "返回顶部", "上一篇",       "下一篇",
    "扫一扫",   "责任编辑", "网站地图", "联系我们", "主办单位", "承办单位",     "技术支持",
    "收藏本页", "设为首页", "加入收藏", "浏览次数", "点击数：", "【纠错】"};
constexpr std::array<std::string_view, 5> kArrows = {">", "»", "＞", "→", "›"};

// Needle ids: the notices, the meta markers, the chrome strings, 。, then
// the arrows (counted, not just found).
constexpr size_t kMetaFirst = kNotices.size();
constexpr size_t kChromeFirst = kMetaFirst + kMetaMarkers.size();
constexpr size_t kPeriod = kChromeFirst + kChrome.size();
constexpr size_t kArrowFirst = kPeriod + 1;
constexpr size_t kNeedles = kArrowFirst + kArrows.size();
static_assert(kNeedles <= 128);

// Every needle ClassifyLine looks for anywhere in a line, found in one pass:
// a table from a needle's first character to the needles that start with it
// replaces one scan of the line per needle.
class NeedleTable {
 public:
  NeedleTable() : first_(new uint8_t[0x10000]()) {
    auto add = [&](std::string_view needle, size_t id) {
      size_t len = 1;
      const char32_t c = CharAt(needle, 0, &len);
      if (first_[c] == 0) {
        buckets_.emplace_back();
        first_[c] = static_cast<uint8_t>(buckets_.size());
        present_[c / 64] |= uint64_t{1} << (c % 64);
      }
      buckets_[first_[c] - 1].push_back(MakeEntry(needle, id));
    };
    for (size_t i = 0; i < kNotices.size(); ++i) add(kNotices[i], i);
    for (size_t i = 0; i < kMetaMarkers.size(); ++i) add(kMetaMarkers[i], kMetaFirst + i);
    for (size_t i = 0; i < kChrome.size(); ++i) add(kChrome[i], kChromeFirst + i);
    add("。", kPeriod);
    for (size_t i = 0; i < kArrows.size(); ++i) add(kArrows[i], kArrowFirst + i);
  }

  struct Found {
    uint64_t bits[2] = {0, 0};
    size_t arrows = 0;
    bool Has(size_t id) const { return (bits[id / 64] >> (id % 64)) & 1; }
    bool Any(size_t first, size_t count) const {
      for (size_t i = first; i < first + count; ++i) {
        if (Has(i)) return true;
      }
      return false;
    }
    size_t Count(size_t first, size_t count) const {
      size_t n = 0;
      for (size_t i = first; i < first + count; ++i) n += Has(i) ? 1 : 0;
      return n;
    }
  };

  Found Scan(std::string_view line) const {
    Found f;
    const auto* s = reinterpret_cast<const unsigned char*>(line.data());
    const size_t n = line.size();
    for (size_t i = 0; i < n; ++i) {
      const unsigned char b = s[i];
      // A needle starts with an ASCII or a lead byte, never a continuation
      // byte; its first character is computed from the same bytes here as in
      // the constructor, so no match is missed (memcmp confirms each).
      uint32_t c;
      size_t skip = 0;  // continuation bytes that follow, which no needle starts at
      if (b < 0x80) {
        c = b;
      } else if (b >= 0xC2 && b <= 0xDF && i + 1 < n) {
        c = (uint32_t(b & 0x1F) << 6) | (s[i + 1] & 0x3F);
        skip = (s[i + 1] & 0xC0) == 0x80 ? 1 : 0;
      } else if (b >= 0xE0 && b <= 0xEF && i + 2 < n) {
        c = (uint32_t(b & 0x0F) << 12) | (uint32_t(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        skip = (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80 ? 2 : 0;
      } else {
        continue;
      }
      // The bitmap (8 KB, stays in L1) rules out almost every character
      // before the 64 KB table is read.
      if (((present_[c / 64] >> (c % 64)) & 1) == 0) {
        i += skip;
        continue;
      }
      const uint8_t bucket = first_[c];
      uint64_t word = 0;
      std::memcpy(&word, s + i, std::min<size_t>(8, n - i));
      for (const Entry& e : buckets_[bucket - 1]) {
        // The first (up to) eight bytes decide almost every candidate.
        if ((word & e.mask) != e.prefix || e.needle.size() > n - i) continue;
        if (e.needle.size() <= 8 ||
            std::memcmp(s + i + 8, e.needle.data() + 8, e.needle.size() - 8) == 0) {
          if (e.id >= kArrowFirst) {
            ++f.arrows;
          } else {
            f.bits[e.id / 64] |= uint64_t{1} << (e.id % 64);
          }
        }
      }
    }
    return f;
  }

 private:
  struct Entry {
    std::string_view needle;
    uint8_t id;
    uint64_t prefix = 0;  // the needle's first (up to) eight bytes, as loaded from memory
    uint64_t mask = 0;
  };
  static Entry MakeEntry(std::string_view needle, size_t id) {
    Entry e{needle, static_cast<uint8_t>(id)};
    const size_t k = std::min<size_t>(8, needle.size());
    std::memcpy(&e.prefix, needle.data(), k);
    const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    std::memcpy(&e.mask, ones, k);
    return e;
  }
  std::unique_ptr<uint8_t[]> first_;     // first character → 1 + bucket, 0 for none
  uint64_t present_[0x10000 / 64] = {};  // first characters that start a needle
  std::vector<std::vector<Entry>> buckets_;
};

const NeedleTable& Needles() {
  static const NeedleTable* table = new NeedleTable();
  return *table;
}

}  // namespace

LineKind ClassifyLine(std::string_view line) { return ClassifyLine(line, CharCount(line)); }

LineKind ClassifyLine(std::string_view line, size_t chars) {
  const NeedleTable::Found found = Needles().Scan(line);
  if (found.Any(0, kNotices.size())) return LineKind::kNotice;

  static constexpr std::array<std::string_view, 15> kTerminators = {
      "相关报道", "相关阅读", "相关文章",   "相关链接", "相关新闻",
      "延伸阅读", "推荐阅读", "留言与评论", "发表评论", "网友评论",
      "我要评论", "热点推荐", "猜你喜欢",   "精彩推荐", "相关推荐"};
  if (chars <= 30 && StartsWithAny(text::TrimSpace(line), kTerminators)) {
    return LineKind::kTerminator;
  }
  if (chars > 160) return LineKind::kContent;

  static constexpr std::array<std::string_view, 5> kAddress = {"本文地址", "原文地址", "原文链接",
                                                               "本文链接", "文章地址"};
  if (StartsWithAny(line, kAddress)) return LineKind::kMeta;

  const size_t markers = found.Count(kMetaFirst, kMetaMarkers.size());
  static constexpr std::array<std::string_view, 9> kMetaStarts = {
      "来源：", "来源:",  "发布时间", "发布日期", "时间：",
      "日期：", "作者：", "信息来源", "文章来源"};
  const bool period = found.Has(kPeriod);
  if (!period && (markers >= 2 || (StartsWithAny(line, kMetaStarts) && chars <= 80))) {
    return LineKind::kMeta;
  }

  if (chars > 60) return LineKind::kContent;
  if (found.Any(kChromeFirst, kChrome.size())) return LineKind::kChrome;
  static constexpr std::array<std::string_view, 16> kChromeExact = {
      "打印", "关闭", "分享",     "收藏",   "首页", "返回", "评论", "提交",
      "确定", "取消", "大 中 小", "大中小", "登录", "注册", "搜索", "更多"};
  const std::string_view trimmed = text::TrimSpace(line);
  for (std::string_view e : kChromeExact) {
    if (trimmed == e) return LineKind::kChrome;
  }
  // Breadcrumbs: 首页 > 政务公开 > 报告.
  if (found.arrows >= 2 && !period) return LineKind::kChrome;

  static constexpr std::array<std::string_view, 3> kCaptionStarts = {"图为", "图：", "▲"};
  if (StartsWithAny(trimmed, kCaptionStarts) || EndsWith(trimmed, "摄") ||
      EndsWith(trimmed, "摄）") || EndsWith(trimmed, "供图")) {
    return LineKind::kCaption;
  }
  return LineKind::kContent;
}

std::string FindDate(std::string_view s) {
  for (size_t start = 0; start + 8 <= s.size(); ++start) {
    if (!(s[start] >= '0' && s[start] <= '9')) continue;
    if (start > 0 && s[start - 1] >= '0' && s[start - 1] <= '9') continue;
    size_t pos = start;
    auto digits = [&](size_t lo, size_t hi) {
      size_t n = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && n < hi) {
        ++pos;
        ++n;
      }
      return n >= lo;
    };
    auto sep = [&](std::initializer_list<std::string_view> seps) {
      for (std::string_view p : seps) {
        if (s.substr(pos, p.size()) == p) {
          pos += p.size();
          return true;
        }
      }
      return false;
    };
    if (!digits(4, 4)) continue;
    const size_t y_end = pos;
    const bool cn = s.substr(pos, 3) == "年";
    if (!sep({"-", "/", ".", "年"}) || !digits(1, 2)) continue;
    const bool second_sep = cn ? sep({"月"}) : (pos < s.size() && s[pos] == s[y_end] && ++pos);
    if (!second_sep || !digits(1, 2)) continue;
    if (cn) sep({"日"});
    size_t end = pos;
    // Optional time.
    size_t t = pos;
    while (t < s.size() && s[t] == ' ') ++t;
    pos = t;
    if (t > end && digits(1, 2) && sep({":"}) && digits(2, 2)) {
      end = pos;
      if (sep({":"}) && digits(2, 2)) end = pos;
    }
    return std::string(s.substr(start, end - start));
  }
  return "";
}

void ExtractMetadata(std::string_view line, ParsedDocument* doc) {
  for (std::string_view key : {"来源：", "来源:"}) {
    const size_t p = line.find(key);
    if (p == std::string_view::npos || !doc->declared_source.empty()) continue;
    std::string_view rest = text::TrimSpace(line.substr(p + key.size()));
    size_t end = rest.size();
    for (std::string_view stop : {" ", "\u3000", "\u00A0", "时间", "发布", "作者", "字号", "日期",
                                  "浏览", "点击", "【", "|", "｜", "　"}) {
      const size_t q = rest.find(stop);
      if (q != std::string_view::npos && q > 0) end = std::min(end, q);
    }
    doc->declared_source = std::string(text::TrimSpace(rest.substr(0, end)));
    if (Contains(doc->declared_source, "原创")) doc->original_hint = true;
  }
  for (std::string_view key :
       {"本文地址：", "本文地址:", "原文地址：", "原文链接：", "本文链接："}) {
    const size_t p = line.find(key);
    if (p == std::string_view::npos || !doc->source_url.empty()) continue;
    std::string_view rest = text::TrimSpace(line.substr(p + key.size()));
    const size_t sp = rest.find(' ');
    doc->source_url = std::string(rest.substr(0, sp));
  }
  if (doc->published.empty()) doc->published = FindDate(line);
  if (Contains(line, "【原创】") || Contains(line, "原创：")) doc->original_hint = true;
}

bool LooksLikeTitle(std::string_view raw) {
  std::string_view s = text::TrimSpace(raw);
  const size_t chars = CharCount(s);
  if (chars < 4 || chars > 80) return false;
  if (EndsWith(s, "。") || EndsWith(s, "，") || EndsWith(s, "；") || EndsWith(s, "："))
    return false;
  // Drop a trailing parenthesised part: …报告(2023年1月8日) / …报告（草案）.
  for (int i = 0; i < 2; ++i) {
    for (auto [open, close] :
         {std::pair<std::string_view, std::string_view>{"（", "）"}, {"(", ")"}}) {
      if (EndsWith(s, close)) {
        const size_t p = s.rfind(open);
        if (p != std::string_view::npos && p > 0) s = text::TrimSpace(s.substr(0, p));
      }
    }
  }
  static constexpr std::array<std::string_view, 16> kEnds = {
      "报告", "公报", "规划", "纲要", "计划", "意见", "决定", "通知",
      "方案", "办法", "条例", "决议", "总结", "讲话", "草案", "白皮书"};
  // Traditional titles (…統計公報, …工作報告) end the same once folded.
  const std::string folded = text::FoldToUtf8(s);
  for (std::string_view e : kEnds) {
    if (EndsWith(s, e) || EndsWith(folded, e)) return true;
  }
  if (Contains(folded, "政府工作报告") || Contains(folded, "统计公报")) return true;
  // English-language reports (rare, but PDFs of them exist).
  for (std::string_view e : {" Report", " Communique", " Plan"}) {
    if (EndsWith(s, e)) return true;
  }
  return false;
}

bool LooksLikeSubtitle(std::string_view raw) {
  const std::string_view s = text::TrimSpace(raw);
  if (StartsWith(s, "——") || StartsWith(s, "—") || StartsWith(s, "--") || StartsWith(s, "──")) {
    return CharCount(s) <= 120;
  }
  const bool paren =
      (StartsWith(s, "（") && EndsWith(s, "）")) || (StartsWith(s, "(") && EndsWith(s, ")"));
  return paren && CharCount(s) <= 100 && (Contains(s, "会议") || Contains(s, "年"));
}

void AssembleLines(const std::vector<Line>& lines, bool take_title, ParsedDocument* doc) {
  size_t dropped = 0;
  bool seen_content = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string line = CollapseWhitespace(lines[i].text);
    if (line.empty()) continue;
    const LineKind kind = ClassifyLine(line);
    if (kind == LineKind::kMeta) ExtractMetadata(line, doc);
    if (kind == LineKind::kTerminator && seen_content) {
      dropped += lines.size() - i;
      break;
    }
    if (kind != LineKind::kContent) {
      ++dropped;
      continue;
    }
    if (lines[i].title_style && doc->title.empty()) {
      doc->title = line;
      continue;
    }
    if (take_title && !seen_content && doc->title.empty() && LooksLikeTitle(line)) {
      doc->title = line;
      seen_content = true;
      continue;
    }
    if (doc->paragraphs.empty() && doc->subtitle.empty() && !doc->title.empty() &&
        LooksLikeSubtitle(line)) {
      doc->subtitle = line;
      continue;
    }
    seen_content = true;
    doc->paragraphs.push_back({LevelFor(line, lines[i].style_level), line});
  }
  if (dropped > 0) {
    doc->warnings.push_back("dropped " + std::to_string(dropped) +
                            " line(s) of page chrome, notices or comments");
  }
}

}  // namespace internal

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kHtml:
      return "html";
    case Format::kText:
      return "text";
    case Format::kDocx:
      return "docx";
    case Format::kPdf:
      return "pdf";
    case Format::kUnknown:
      break;
  }
  return "unknown";
}

std::string ToDebugString(const ParsedDocument& doc) {
  std::string out;
  auto field = [&](std::string_view name, const std::string& value) {
    if (!value.empty()) out.append(name).append(": ").append(value).append("\n");
  };
  field("format", std::string(FormatName(doc.format)));
  field("encoding", doc.encoding);
  field("title", doc.title);
  field("subtitle", doc.subtitle);
  field("source_url", doc.source_url);
  field("source_site", doc.source_site);
  field("published", doc.published);
  field("declared_source", doc.declared_source);
  if (doc.original_hint) out += "original: yes\n";
  out += "\n";
  for (const Paragraph& p : doc.paragraphs) {
    out.append("[").append(std::to_string(p.level)).append("] ").append(p.text).append("\n");
  }
  return out;
}

}  // namespace baogao::ingest
