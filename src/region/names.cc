#include "region/internal/names.h"

#include <array>
#include <string>
#include <string_view>

namespace baogao::region::internal {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Province-level names whose short form is not a plain suffix strip.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kSpecialShort = {{
    {"内蒙古自治区", "内蒙古"},
    {"广西壮族自治区", "广西"},
    {"宁夏回族自治区", "宁夏"},
    {"新疆维吾尔自治区", "新疆"},
    {"西藏自治区", "西藏"},
    {"香港特别行政区", "香港"},
    {"澳门特别行政区", "澳门"},
}};

// Ethnic groups as they appear in the names of autonomous areas. Multi-
// character names also appear without 族 (伊犁哈萨克自治州, 博尔塔拉蒙古自治州).
constexpr std::string_view kEthnic[] = {
    "柯尔克孜", "乌孜别克", "俄罗斯", "维吾尔", "哈萨克", "达斡尔", "鄂温克", "鄂伦春",
    "塔吉克",   "塔塔尔",   "蒙古",   "布依",   "朝鲜",   "土家",   "哈尼",   "傈僳",
    "高山",     "拉祜",     "东乡",   "纳西",   "景颇",   "仫佬",   "布朗",   "撒拉",
    "毛南",     "仡佬",     "锡伯",   "阿昌",   "普米",   "德昂",   "保安",   "裕固",
    "独龙",     "赫哲",     "门巴",   "珞巴",   "基诺",   "各",     "回",     "藏",
    "苗",       "彝",       "壮",     "满",     "侗",     "瑶",     "白",     "傣",
    "黎",       "佤",       "畲",     "水",     "土",     "羌",     "京"};

constexpr std::array<std::string_view, 3> kAutonomousSuffix = {"自治州", "自治县", "自治旗"};

// Longest first, so 特别行政区 wins over 区 and 地区 over 区.
constexpr std::string_view kSuffix[] = {"特别行政区", "自治区", "新区", "地区", "林区",
                                        "特区",       "矿区",   "省",   "市",   "区",
                                        "县",         "旗",     "盟"};

std::string StripEthnic(std::string stem) {
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view e : kEthnic) {
      std::string with_zu = std::string(e) + "族";
      std::string_view s = stem;
      std::string_view cut;
      if (EndsWith(s, with_zu)) {
        cut = with_zu;
      } else if (CharCount(e) >= 2 && EndsWith(s, e)) {
        cut = e;
      } else {
        continue;
      }
      if (CharCount(s.substr(0, s.size() - cut.size())) < 2) continue;
      stem.resize(stem.size() - cut.size());
      changed = true;
      break;
    }
  }
  return stem;
}

}  // namespace

size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string Stem(std::string_view name) {
  for (const auto& [full, short_form] : kSpecialShort) {
    if (name == full) return std::string(short_form);
  }
  for (std::string_view suffix : kAutonomousSuffix) {
    if (EndsWith(name, suffix) && name.size() > suffix.size()) {
      return StripEthnic(std::string(name.substr(0, name.size() - suffix.size())));
    }
  }
  for (std::string_view suffix : kSuffix) {
    if (EndsWith(name, suffix) && name.size() > suffix.size()) {
      return std::string(name.substr(0, name.size() - suffix.size()));
    }
  }
  return std::string(name);
}

std::string ShortName(std::string_view name) {
  std::string stem = Stem(name);
  if (CharCount(stem) < 2) return std::string(name);
  return stem;
}

bool IsGroupingName(std::string_view name) {
  return name == "市辖区" || name == "县" || name == "市" || name == "省直辖县级行政区划" ||
         name == "自治区直辖县级行政区划" || name == "省直辖行政单位" ||
         name == "自治区直辖县级行政单位";
}

bool IsGenericShortName(std::string_view s) {
  constexpr std::array<std::string_view, 9> kGeneric = {"市中", "城中", "城区", "郊区", "矿区",
                                                        "平安", "和平", "新华", "中心"};
  for (std::string_view g : kGeneric) {
    if (s == g) return true;
  }
  return false;
}

}  // namespace baogao::region::internal
