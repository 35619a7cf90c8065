// ClassifyLine against the straightforward implementation it replaced
// (one substring search per needle), on every line of the fixtures and the
// demo data, and on random recombinations of the needles themselves.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/internal/common.h"
#include "test_util.h"
#include "text/text.h"

namespace baogao::ingest {
namespace {

bool Contains(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}
bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
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
size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    size_t len = 1;
    text::DecodeOne(s, i, &len);
    i += len;
  }
  return n;
}

internal::LineKind ReferenceClassifyLine(std::string_view line) {
  using internal::LineKind;
  const size_t chars = CharCount(line);
  static constexpr std::array<std::string_view, 17> kNotices = {"本文仅代表作者观点",
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
  if (ContainsAny(line, kNotices)) return LineKind::kNotice;

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

  static constexpr std::array<std::string_view, 11> kMetaMarkers = {
      "来源：", "来源:", "时间：",   "时间:",  "日期：",  "日期:",
      "作者：", "字号",  "浏览次数", "点击数", "阅读次数"};
  size_t markers = 0;
  for (std::string_view m : kMetaMarkers) markers += Contains(line, m) ? 1 : 0;
  static constexpr std::array<std::string_view, 9> kMetaStarts = {
      "来源：", "来源:",  "发布时间", "发布日期", "时间：",
      "日期：", "作者：", "信息来源", "文章来源"};
  if (!Contains(line, "。") &&
      (markers >= 2 || (StartsWithAny(line, kMetaStarts) && chars <= 80))) {
    return LineKind::kMeta;
  }

  if (chars > 60) return LineKind::kContent;
  static constexpr std::array<std::string_view, 34> kChrome = {
      "导航菜单", "当前位置", "您的位置", "你的位置", "所在位置", "您现在的位置", "分享到",
      "打印本页", "关闭窗口", "【打印】", "【关闭】", "[打印]",   "[关闭]",       "字号：",
      "字号:",    "【大",     "验证码",   "条评论",   "返回顶部", "上一篇",       "下一篇",
      "扫一扫",   "责任编辑", "网站地图", "联系我们", "主办单位", "承办单位",     "技术支持",
      "收藏本页", "设为首页", "加入收藏", "浏览次数", "点击数：", "【纠错】"};
  if (ContainsAny(line, kChrome)) return LineKind::kChrome;
  static constexpr std::array<std::string_view, 16> kChromeExact = {
      "打印", "关闭", "分享",     "收藏",   "首页", "返回", "评论", "提交",
      "确定", "取消", "大 中 小", "大中小", "登录", "注册", "搜索", "更多"};
  const std::string_view trimmed = text::TrimSpace(line);
  for (std::string_view e : kChromeExact) {
    if (trimmed == e) return LineKind::kChrome;
  }
  // Breadcrumbs: 首页 > 政务公开 > 报告.
  size_t arrows = 0;
  for (std::string_view a : {">", "»", "＞", "→", "›"}) {
    for (size_t p = line.find(a); p != std::string_view::npos; p = line.find(a, p + a.size())) {
      ++arrows;
    }
  }
  if (arrows >= 2 && !Contains(line, "。")) return LineKind::kChrome;

  static constexpr std::array<std::string_view, 3> kCaptionStarts = {"图为", "图：", "▲"};
  if (StartsWithAny(trimmed, kCaptionStarts) || EndsWith(trimmed, "摄") ||
      EndsWith(trimmed, "摄）") || EndsWith(trimmed, "供图")) {
    return LineKind::kCaption;
  }
  return LineKind::kContent;
}

void Check(const std::string& line) {
  ASSERT_EQ(static_cast<int>(internal::ClassifyLine(line)),
            static_cast<int>(ReferenceClassifyLine(line)))
      << line;
  ASSERT_EQ(internal::CharCount(line), CharCount(line)) << line;
}

TEST(ClassifyLineTest, MatchesTheReferenceOnRealLines) {
  size_t lines = 0;
  for (const std::string& dir : {testing::DataPath(""), baogao::testing::SourcePath("data/demo")}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      const std::string bytes = testing::ReadAll(e.path().string());
      auto decoded = text::DetectAndConvert(bytes);
      const std::string_view all = decoded.ok() ? std::string_view(decoded->text) : bytes;
      for (const std::string& line : internal::SplitLines(all)) {
        Check(line);
        Check(internal::CollapseWhitespace(line));
        ++lines;
      }
    }
  }
  EXPECT_GT(lines, 1000u);
}

TEST(ClassifyLineTest, MatchesTheReferenceOnRandomRecombinations) {
  const std::vector<std::string> parts = {
      "本文仅代表作者观点",
      "版权所有",
      "ICP备",
      "©",
      "Copyright",
      "来源：",
      "来源:",
      "时间：",
      "日期:",
      "作者：",
      "字号",
      "字号：",
      "浏览次数",
      "点击数",
      "点击数：",
      "阅读次数",
      "当前位置",
      "分享到",
      "【打印】",
      "[关闭]",
      "【大",
      "验证码",
      "条评论",
      "上一篇",
      "首页",
      ">",
      "»",
      "＞",
      "→",
      "›",
      "。",
      "图为",
      "▲",
      "摄",
      "摄）",
      "供图",
      "相关阅读",
      "留言与评论",
      "本文地址",
      "发布时间",
      "信息来源",
      "打印",
      "大 中 小",
      " ",
      "\u3000",
      "\u00A0",
      "a",
      "各位代表",
      "经济增长5.1%",
      "\xE6",
      "\xBC",
      "\xE6\x9C",
      "\xC2",
      "\xEF\xBC",
      "\xF0\x9F\x98\x80",
      "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"};
  std::mt19937 rng(7);
  for (int i = 0; i < 200000; ++i) {
    std::string line;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) line += parts[rng() % parts.size()];
    Check(line);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace baogao::ingest
