#include "report/metadata.h"

#include <string>
#include <vector>

#include "text/text.h"

namespace baogao::report {
namespace {

// Code points of a title (invalid bytes become units no pattern matches).
std::u32string Decode(std::string_view s) {
  text::Decoded d;
  text::DecodeUtf8(s, &d);
  return std::u32string(d.chars().begin(), d.chars().end());
}

// A digit in any of the forms reports use, or -1.
int DigitValue(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= U'０' && c <= U'９') return static_cast<int>(c - U'０');
  switch (c) {
    case U'〇':
    case U'零':
    case U'○':
    case U'Ｏ':
      return 0;
    case U'一':
      return 1;
    case U'二':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

// A month or day number: "12", "１２", "十二", "二十八", "三十一".
std::optional<int> SmallNumber(const std::u32string& s, size_t begin, size_t end) {
  if (begin >= end || end - begin > 3) return std::nullopt;
  int value = 0;
  bool ten = false;
  int pending = -1;
  for (size_t i = begin; i < end; ++i) {
    if (s[i] == U'十') {
      if (ten) return std::nullopt;
      ten = true;
      value = (pending < 0 ? 1 : pending) * 10;
      pending = -1;
      continue;
    }
    const int d = DigitValue(s[i]);
    if (d < 0) return std::nullopt;
    pending = pending < 0 ? d : pending * 10 + d;
  }
  if (pending >= 0) value += pending;
  return value;
}

// Four digits ending at `end` (exclusive), as a plausible year.
std::optional<int> YearBefore(const std::u32string& s, size_t end) {
  if (end < 4) return std::nullopt;
  int y = 0;
  for (size_t i = end - 4; i < end; ++i) {
    const int d = DigitValue(s[i]);
    if (d < 0) return std::nullopt;
    y = y * 10 + d;
  }
  if (end > 4 && DigitValue(s[end - 5]) >= 0) return std::nullopt;  // part of a longer number
  if (y < 1949 || y > 2100) return std::nullopt;
  return y;
}

struct Found {
  std::vector<int> years;  // every "YYYY年", in order
  std::optional<Date> date;
};

Found Scan(const std::u32string& s) {
  Found f;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != U'年') continue;
    const auto year = YearBefore(s, i);
    if (!year) continue;
    // "2021—2025年": the span starts at the first year.
    if (i >= 9 && std::u32string_view(U"—–-－~～至").find(s[i - 5]) != std::u32string_view::npos) {
      if (const auto first = YearBefore(s, i - 5)) f.years.push_back(*first);
    }
    f.years.push_back(*year);
    if (f.date) continue;
    const size_t month_end = s.find(U'月', i + 1);
    if (month_end == std::u32string::npos || month_end > i + 4) continue;
    const size_t day_end = s.find_first_of(U"日号", month_end + 1);
    if (day_end == std::u32string::npos || day_end > month_end + 4) continue;
    const auto m = SmallNumber(s, i + 1, month_end);
    const auto d = SmallNumber(s, month_end + 1, day_end);
    if (!m || !d) continue;
    Date date{*year, *m, *d};
    if (Date::Parse(date.ToString()).ok()) f.date = date;
  }
  return f;
}

bool Contains(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

}  // namespace

std::optional<ReportType> TypeFromTitle(std::string_view title) {
  if (Contains(title, "政府工作报告")) return ReportType::kGovernmentWork;
  if (Contains(title, "统计公报")) return ReportType::kStatistical;
  if (Contains(title, "规划") || Contains(title, "纲要")) return ReportType::kPlan;
  return std::nullopt;
}

TitleMetadata ParseTitleMetadata(std::string_view title, std::string_view subtitle) {
  TitleMetadata m;
  m.type = TypeFromTitle(title);
  const Found t = Scan(Decode(title));
  const Found s = Scan(Decode(subtitle));
  m.date = s.date ? s.date : t.date;
  const ReportType type = m.type.value_or(ReportType::kOther);
  if (type == ReportType::kPlan) {
    static constexpr struct {
      std::string_view a, b;
      int year;
    } kPlans[] = {{"十五五", "第十五个五年", 2026}, {"十四五", "第十四个五年", 2021},
                  {"十三五", "第十三个五年", 2016}, {"十二五", "第十二个五年", 2011},
                  {"十一五", "第十一个五年", 2006}, {"“十五”", "第十个五年", 2001}};
    for (const auto& p : kPlans) {
      if (Contains(title, p.a) || Contains(title, p.b)) {
        m.year = p.year;
        m.year_source = "the plan period named in the title";
        return m;
      }
    }
  }
  if (type == ReportType::kGovernmentWork && m.date) {
    m.year = m.date->year;
    m.year_source = "the date the report was delivered";
  } else if (!t.years.empty()) {
    m.year = t.years.front();
    m.year_source = "the first year in the title";
  } else if (m.date) {
    m.year = m.date->year;
    m.year_source = "the date in the subtitle";
  } else if (!s.years.empty()) {
    m.year = s.years.front();
    m.year_source = "the first year in the subtitle";
  }
  return m;
}

}  // namespace baogao::report
