// RegionTable::Resolve: from a report title to a division code.
//
// The text is scanned left to right for the longest indexed name at each
// position (full names and short names, current and historical). Each such
// mention has candidate codes, narrowed by the report year. A mention whose
// candidates all contain another mention's candidate is context (山东省 in
// 山东省德州市陵城区); a candidate with an ancestor mentioned elsewhere beats
// one without (北京市朝阳区). What remains must be one code, or the answer is
// kAmbiguous with the candidates.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "region/internal/index.h"
#include "region/region.h"

namespace baogao::region {
namespace {

constexpr size_t kMaxTextBytes = 16 << 10;

// Bodies that issue reports but have no GB/T 2260 code of their own. Matched
// only outside division names, so 浦东新区 and 滨海新区 stay divisions.
constexpr std::string_view kZoneWords[] = {"开发区", "高新区", "新区",   "管理区", "示范区",
                                           "园区",   "实验区", "试验区", "管委会", "保税区"};
constexpr std::string_view kNationalWords[] = {"国务院", "全国人民代表大会", "全国人大",
                                               "中华人民共和国", "全国"};

struct Mention {
  size_t begin = 0;
  size_t end = 0;
  std::vector<RegionCode> candidates;
  bool year_mismatch = false;
};

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string Join(const std::vector<RegionCode>& codes) {
  std::string out;
  for (RegionCode c : codes) {
    if (!out.empty()) out += ", ";
    out += c.ToString();
  }
  return out;
}

}  // namespace

Resolution RegionTable::Resolve(std::string_view text, std::optional<int> year) const {
  if (text.size() > kMaxTextBytes) {
    size_t cut = kMaxTextBytes;
    while (cut > 0 && IsContinuation(text[cut])) --cut;
    text = text.substr(0, cut);
  }

  // National phrases are not scanned for names (中华人民共和国 holds 共和).
  std::vector<std::pair<size_t, size_t>> national;
  for (std::string_view word : kNationalWords) {
    for (size_t at = text.find(word); at != std::string_view::npos;
         at = text.find(word, at + word.size())) {
      national.emplace_back(at, at + word.size());
    }
  }
  auto in_national = [&national](size_t at) {
    return std::any_of(national.begin(), national.end(),
                       [at](const auto& r) { return at >= r.first && at < r.second; });
  };

  std::vector<Mention> mentions;
  for (size_t pos = 0; pos < text.size();) {
    if (in_national(pos)) {
      ++pos;
      continue;
    }
    const std::vector<Index::Entry>* entries = nullptr;
    size_t len = std::min(index_->max_key_bytes, text.size() - pos);
    for (; len > 0; --len) {
      if (pos + len < text.size() && IsContinuation(text[pos + len])) continue;
      if (in_national(pos + len - 1)) continue;
      auto it = index_->by_name.find(std::string(text.substr(pos, len)));
      if (it != index_->by_name.end()) {
        entries = &it->second;
        break;
      }
    }
    if (entries == nullptr) {
      ++pos;
      while (pos < text.size() && IsContinuation(text[pos])) ++pos;
      continue;
    }
    std::vector<Index::Entry> kept;
    Mention m{pos, pos + len, {}, false};
    if (year) {
      for (const auto& e : *entries) {
        if ((!e.from_year || *e.from_year <= *year) && (!e.to_year || *year <= *e.to_year)) {
          kept.push_back(e);
        }
      }
      if (kept.empty()) {
        kept = *entries;
        m.year_mismatch = true;
      }
    } else {
      for (const auto& e : *entries) {
        if (e.ongoing) kept.push_back(e);
      }
      if (kept.empty()) kept = *entries;
    }
    if (std::any_of(kept.begin(), kept.end(), [](const auto& e) { return e.full; })) {
      std::erase_if(kept, [](const auto& e) { return !e.full; });
    }
    for (const auto& e : kept) {
      if (std::find(m.candidates.begin(), m.candidates.end(), e.code) == m.candidates.end()) {
        m.candidates.push_back(e.code);
      }
    }
    std::sort(m.candidates.begin(), m.candidates.end());
    mentions.push_back(std::move(m));
    pos += len;
  }

  Resolution res;
  std::vector<RegionCode> mentioned;
  for (const auto& m : mentions) {
    for (RegionCode c : m.candidates) {
      if (std::find(mentioned.begin(), mentioned.end(), c) == mentioned.end()) {
        mentioned.push_back(c);
      }
    }
  }
  std::sort(mentioned.begin(), mentioned.end());
  auto inside_mention = [&](size_t at) {
    return std::any_of(mentions.begin(), mentions.end(),
                       [at](const Mention& m) { return at >= m.begin && at < m.end; });
  };

  if (text.find("兵团") != std::string_view::npos) {
    res.status = ResolveStatus::kNotADivision;
    res.candidates = mentioned;
    res.matched = text.find("生产建设兵团") != std::string_view::npos ? "生产建设兵团" : "兵团";
    res.reason = "新疆生产建设兵团 and its divisions (师) have no GB/T 2260 code";
    return res;
  }
  for (std::string_view word : kZoneWords) {
    for (size_t at = text.find(word); at != std::string_view::npos;
         at = text.find(word, at + word.size())) {
      if (inside_mention(at)) continue;
      res.status = ResolveStatus::kNotADivision;
      res.candidates = mentioned;
      res.matched = std::string(word);
      res.reason = "names a functional zone (" + std::string(word) +
                   "), which is not a GB/T 2260 division; candidates are the divisions "
                   "also named";
      return res;
    }
  }

  if (mentions.empty()) {
    for (std::string_view word : kNationalWords) {
      if (text.find(word) != std::string_view::npos) {
        res.status = ResolveStatus::kResolved;
        res.code = RegionCode::kNational;
        res.matched = std::string(word);
        res.reason = "national: " + std::string(word);
        return res;
      }
    }
    res.status = ResolveStatus::kNotFound;
    res.reason = "no division name in the text";
    return res;
  }

  auto is_ancestor = [this](RegionCode a, RegionCode c) {
    if (a.IsNational()) return false;
    for (const Region* r = Find(c); r != nullptr && !r->code.IsNational();) {
      if (r->parent == a) return true;
      if (r->parent == r->code) break;
      r = Find(r->parent);
    }
    return false;
  };

  // A candidate with more of its ancestors named elsewhere beats one with
  // fewer: in 黑龙江省佳木斯市向阳区 the province supports both 向阳区, the
  // city only one.
  std::vector<std::vector<RegionCode>> narrowed(mentions.size());
  for (size_t i = 0; i < mentions.size(); ++i) {
    size_t best = 0;
    for (RegionCode c : mentions[i].candidates) {
      size_t support = 0;
      for (size_t j = 0; j < mentions.size(); ++j) {
        if (j == i) continue;
        for (RegionCode a : mentions[j].candidates) {
          if (is_ancestor(a, c)) {
            ++support;
            break;
          }
        }
      }
      if (support > best) {
        best = support;
        narrowed[i].clear();
      }
      if (support == best && support > 0) narrowed[i].push_back(c);
    }
    if (narrowed[i].empty()) narrowed[i] = mentions[i].candidates;
  }
  // A mention that only names ancestors of other mentions is context.
  std::vector<RegionCode> targets;
  std::string matched;
  bool year_mismatch = false;
  size_t target_mentions = 0;
  for (size_t i = 0; i < mentions.size(); ++i) {
    bool context = true;
    for (RegionCode a : narrowed[i]) {
      bool ancestor_of_other = false;
      for (size_t j = 0; j < mentions.size() && !ancestor_of_other; ++j) {
        if (j == i) continue;
        for (RegionCode c : narrowed[j]) {
          if (is_ancestor(a, c)) {
            ancestor_of_other = true;
            break;
          }
        }
      }
      if (!ancestor_of_other) {
        context = false;
        break;
      }
    }
    if (context) continue;
    ++target_mentions;
    matched = std::string(text.substr(mentions[i].begin, mentions[i].end - mentions[i].begin));
    year_mismatch = year_mismatch || mentions[i].year_mismatch;
    for (RegionCode c : narrowed[i]) {
      if (std::find(targets.begin(), targets.end(), c) == targets.end()) targets.push_back(c);
    }
  }
  std::sort(targets.begin(), targets.end());
  res.matched = matched;
  if (targets.size() == 1) {
    res.status = ResolveStatus::kResolved;
    res.code = targets.front();
    res.reason = "matched 「" + matched + "」";
    if (year_mismatch) {
      res.reason += "; no candidate name was in use in " + std::to_string(*year) +
                    ", matched regardless of year";
    }
    return res;
  }
  res.status = ResolveStatus::kAmbiguous;
  res.candidates = targets;
  if (target_mentions == 1) {
    res.reason = "「" + matched + "」 names " + std::to_string(targets.size()) + " divisions (" +
                 Join(targets) + "); the text names no parent that tells them apart";
  } else {
    res.reason = "the text names several unrelated divisions (" + Join(targets) + ")";
  }
  return res;
}

}  // namespace baogao::region
