// Loading, compiling and extending the segmentation dictionary.
// The compiled format is described in docs/formats/segment-dictionary.md.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "segment/internal/cutter.h"
#include "segment/internal/model.h"
#include "segment/segment.h"
#include "text/text.h"

namespace baogao::segment {

using internal::FlatTrie;
using internal::HmmModel;
using internal::kHanCount;
using internal::kMinFloat;
using internal::MappedFile;
using internal::MutableTrie;

static_assert(std::endian::native == std::endian::little,
              "the compiled dictionary format is little-endian");

namespace {

constexpr char kMagic[8] = {'B', 'G', 'S', 'E', 'G', 'D', 'I', 'C'};
constexpr uint32_t kFormatVersion = 1;
constexpr const char* kJiebaDir = "/usr/lib/python3/dist-packages/jieba";

struct FileHeader {
  char magic[8];
  uint32_t version;
  uint32_t header_size;
  uint64_t file_size;
  uint64_t checksum;  // Checksum() of bytes [header_size, file_size)
  int64_t total;
  uint64_t word_count;
  uint64_t node_count;
  uint64_t slot_count;
  uint64_t log_table_size;
  uint64_t force_split_units;  // uint32 code points; each word ends with 0
  uint32_t root_block;
  uint32_t root_bits;
  double start[4];
  double trans[16];
  uint64_t off_slots;        // slot_count x Slot
  uint64_t off_freq;         // node_count x int64
  uint64_t off_log_table;    // log_table_size x double
  uint64_t off_emit;         // kHanCount * 4 x double
  uint64_t off_force_split;  // force_split_units x uint32
};
static_assert(sizeof(internal::Slot) == 16);

uint64_t Checksum(std::string_view data) {
  uint64_t h = 0x6A09E667F3BCC908ull ^ data.size();
  size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, data.data() + i, 8);
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 31;
  }
  for (; i < data.size(); ++i) {
    h = (h ^ static_cast<unsigned char>(data[i])) * 0x100000001B3ull;
  }
  return h ^ (h >> 29);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError(fmt::format("cannot read '{}'", path));
  return ss.str();
}

// bytes.strip() in Python: ASCII whitespace at both ends.
std::string_view StripAscii(std::string_view s) {
  auto ws = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

std::u32string DecodeValid(std::string_view s) {
  std::u32string out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t len;
    out.push_back(text::DecodeOne(s, pos, &len));
    pos += len;
  }
  return out;
}

std::string Encode(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) text::AppendUtf8(c, &out);
  return out;
}

// int(s) for the decimal integers jieba's files hold: optional sign, digits.
std::optional<int64_t> ParseInt(std::string_view s) {
  s = StripAscii(s);
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return neg ? -v : v;
}

// Splits on '\n' the way iterating a binary file does: each line keeps
// nothing of its terminator; a final line without '\n' still counts.
template <typename F>
Status ForEachLine(std::string_view data, F&& f) {
  size_t lineno = 0;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    size_t end = nl == std::string_view::npos ? data.size() : nl;
    BAOGAO_RETURN_IF_ERROR(f(++lineno, data.substr(pos, end - pos)));
    pos = end + 1;
  }
  return Status::Ok();
}

// Tokenizer.gen_pfdict
Status ParseJiebaDict(const std::string& path, MutableTrie* trie, int64_t* total) {
  BAOGAO_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  *total = 0;
  std::u32string word;
  return ForEachLine(data, [&](size_t lineno, std::string_view raw) -> Status {
    std::string_view line = StripAscii(raw);
    auto bad = [&](std::string_view why) {
      return Status::InvalidArgument(
          fmt::format("invalid dictionary entry in {} at line {}: {}", path, lineno, why));
    };
    if (!text::IsValidUtf8(line)) return bad("not UTF-8");
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return bad("expected 'word freq [tag]'");
    std::string_view w = line.substr(0, sp);
    std::string_view rest = line.substr(sp + 1);
    std::string_view f = rest.substr(0, rest.find(' '));
    auto freq = ParseInt(f);
    if (!freq) return bad(fmt::format("frequency '{}' is not an integer", f));
    if (*freq < 0) return bad(fmt::format("frequency {} is negative", *freq));
    if (w.empty()) return bad("empty word");
    word = DecodeValid(w);
    trie->SetFreq(trie->Insert(word), *freq);
    if (__builtin_add_overflow(*total, *freq, total)) return bad("total frequency overflows");
    return Status::Ok();
  });
}

// ---- A tiny reader for the Python literals in finalseg/prob_*.py ----

struct PyValue {
  bool is_dict = false;
  double number = 0.0;
  // Parallel arrays: std::pair<std::u32string, PyValue> would need PyValue
  // complete here, which std::vector<PyValue> does not.
  std::vector<std::u32string> keys;
  std::vector<PyValue> values;
};

class PyLiteralParser {
 public:
  PyLiteralParser(std::string_view src, std::string name) : s_(src), name_(std::move(name)) {}

  // Parses the value assigned by the first top-level "P=" line.
  Result<PyValue> ParseAssignment() {
    size_t at = 0;
    while (true) {
      at = s_.find("P", at);
      if (at == std::string_view::npos) return Error("no 'P = ...' assignment");
      if (at == 0 || s_[at - 1] == '\n') break;
      ++at;
    }
    pos_ = at + 1;
    SkipSpace();
    if (!Eat('=')) return Error("expected '=' after P");
    PyValue v;
    BAOGAO_RETURN_IF_ERROR(ParseValue(&v, 0));
    return v;
  }

 private:
  Status Error(std::string_view what) const {
    return Status::InvalidArgument(fmt::format("{}: {} at byte {}", name_, what, pos_));
  }
  void SkipSpace() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status ParseValue(PyValue* out, int depth) {
    if (depth > 8) return Error("nesting too deep");
    SkipSpace();
    if (pos_ >= s_.size()) return Error("unexpected end");
    if (s_[pos_] == '{') {
      ++pos_;
      out->is_dict = true;
      while (true) {
        if (Eat('}')) return Status::Ok();
        std::u32string key;
        BAOGAO_RETURN_IF_ERROR(ParseString(&key));
        if (!Eat(':')) return Error("expected ':'");
        PyValue v;
        BAOGAO_RETURN_IF_ERROR(ParseValue(&v, depth + 1));
        out->keys.push_back(std::move(key));
        out->values.push_back(std::move(v));
        if (Eat(',')) continue;
        if (Eat('}')) return Status::Ok();
        return Error("expected ',' or '}'");
      }
    }
    return ParseNumber(&out->number);
  }
  Status ParseNumber(double* out) {
    SkipSpace();
    const size_t start = pos_;
    while (pos_ < s_.size() && std::strchr("+-0123456789.eE", s_[pos_]) != nullptr) ++pos_;
    if (start == pos_) return Error("expected a number");
    std::string num(s_.substr(start, pos_ - start));
    char* end = nullptr;
    *out = std::strtod(num.c_str(), &end);  // correctly rounded, like Python
    if (end != num.c_str() + num.size()) return Error("malformed number '" + num + "'");
    return Status::Ok();
  }
  Status ParseString(std::u32string* out) {
    SkipSpace();
    if (pos_ < s_.size() && (s_[pos_] == 'u' || s_[pos_] == 'U')) ++pos_;
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) {
      return Error("expected a string");
    }
    const char quote = s_[pos_++];
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '\\') {
        if (pos_ + 1 >= s_.size()) return Error("unterminated escape");
        const char e = s_[pos_ + 1];
        pos_ += 2;
        int hex_len = e == 'u' ? 4 : e == 'U' ? 8 : e == 'x' ? 2 : 0;
        if (hex_len > 0) {
          if (pos_ + hex_len > s_.size()) return Error("short escape");
          char32_t cp = 0;
          for (int i = 0; i < hex_len; ++i) {
            char h = s_[pos_ + i];
            int d = (h >= '0' && h <= '9')   ? h - '0'
                    : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                    : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                             : -1;
            if (d < 0) return Error("bad hex escape");
            cp = cp * 16 + static_cast<char32_t>(d);
          }
          pos_ += hex_len;
          out->push_back(cp);
        } else if (e == 'n') {
          out->push_back('\n');
        } else if (e == 't') {
          out->push_back('\t');
        } else if (e == 'r') {
          out->push_back('\r');
        } else {
          out->push_back(static_cast<unsigned char>(e));
        }
        continue;
      }
      size_t len;
      char32_t cp = text::DecodeOne(s_, pos_, &len);
      if (text::IsInvalidByteUnit(cp)) return Error("invalid UTF-8 in string");
      out->push_back(cp);
      pos_ += len;
    }
    if (pos_ >= s_.size()) return Error("unterminated string");
    ++pos_;
    return Status::Ok();
  }

  std::string_view s_;
  std::string name_;
  size_t pos_ = 0;
};

int StateIndex(const std::u32string& key) {
  if (key.size() != 1) return -1;
  switch (key[0]) {
    case 'B':
      return internal::kB;
    case 'E':
      return internal::kE;
    case 'M':
      return internal::kM;
    case 'S':
      return internal::kS;
    default:
      return -1;
  }
}

Result<PyValue> LoadPy(const std::string& path) {
  BAOGAO_ASSIGN_OR_RETURN(std::string src, ReadFile(path));
  return PyLiteralParser(src, path).ParseAssignment();
}

Status LoadHmm(const std::string& dir, HmmModel* hmm, std::vector<double>* emit) {
  namespace fs = std::filesystem;
  const std::string start_path = (fs::path(dir) / "prob_start.py").string();
  const std::string trans_path = (fs::path(dir) / "prob_trans.py").string();
  const std::string emit_path = (fs::path(dir) / "prob_emit.py").string();
  BAOGAO_ASSIGN_OR_RETURN(PyValue start, LoadPy(start_path));
  BAOGAO_ASSIGN_OR_RETURN(PyValue trans, LoadPy(trans_path));
  BAOGAO_ASSIGN_OR_RETURN(PyValue em, LoadPy(emit_path));
  auto bad = [](const std::string& path, std::string_view what) {
    return Status::InvalidArgument(fmt::format("{}: {}", path, what));
  };
  for (double& v : hmm->start) v = kMinFloat;
  for (auto& row : hmm->trans) {
    for (double& v : row) v = kMinFloat;
  }
  bool seen_start[4] = {false, false, false, false};
  if (!start.is_dict) return bad(start_path, "P is not a dict");
  for (size_t i = 0; i < start.keys.size(); ++i) {
    const PyValue& v = start.values[i];
    int s = StateIndex(start.keys[i]);
    if (s < 0 || v.is_dict) return bad(start_path, "keys must be B, E, M, S with numbers");
    hmm->start[s] = v.number;
    seen_start[s] = true;
  }
  for (bool seen : seen_start) {
    if (!seen) return bad(start_path, "every state needs a start probability");
  }
  if (!trans.is_dict) return bad(trans_path, "P is not a dict");
  for (size_t i = 0; i < trans.keys.size(); ++i) {
    const PyValue& row = trans.values[i];
    int from = StateIndex(trans.keys[i]);
    if (from < 0 || !row.is_dict) return bad(trans_path, "rows must be B, E, M, S dicts");
    for (size_t j = 0; j < row.keys.size(); ++j) {
      const PyValue& v = row.values[j];
      int to = StateIndex(row.keys[j]);
      if (to < 0 || v.is_dict) return bad(trans_path, "columns must be B, E, M, S numbers");
      hmm->trans[from][to] = v.number;
    }
  }
  emit->assign(kHanCount * 4, kMinFloat);
  if (!em.is_dict) return bad(emit_path, "P is not a dict");
  for (size_t i = 0; i < em.keys.size(); ++i) {
    const PyValue& row = em.values[i];
    int s = StateIndex(em.keys[i]);
    if (s < 0 || !row.is_dict) return bad(emit_path, "rows must be B, E, M, S dicts");
    for (size_t j = 0; j < row.keys.size(); ++j) {
      const std::u32string& ch = row.keys[j];
      const PyValue& v = row.values[j];
      if (ch.size() != 1 || v.is_dict) return bad(emit_path, "keys must be single characters");
      // finalseg only asks about U+4E00..U+9FD5; other keys can never match.
      if (ch[0] < internal::kHanFirst || ch[0] > internal::kHanLast) continue;
      (*emit)[(ch[0] - internal::kHanFirst) * 4 + s] = v.number;
    }
  }
  hmm->emit = *emit;
  return Status::Ok();
}

// ---- User dictionaries (Tokenizer.load_userdict / add_word) ----

struct UserEntry {
  std::u32string word;
  std::optional<std::string> freq;
};

bool IsAsciiDigit32(char32_t c) { return c >= '0' && c <= '9'; }

// re_userdict = '^(.+?)( [0-9]+)?( [a-z]+)?$' on one stripped line.
UserEntry MatchUserLine(const std::u32string& line) {
  auto tag_ok = [](std::u32string_view r) {
    if (r.empty()) return true;
    if (r.size() < 2 || r[0] != ' ') return false;
    for (size_t i = 1; i < r.size(); ++i) {
      if (r[i] < 'a' || r[i] > 'z') return false;
    }
    return true;
  };
  const std::u32string_view l(line);
  for (size_t w = 1; w <= l.size(); ++w) {
    std::u32string_view rest = l.substr(w);
    if (rest.size() >= 2 && rest[0] == ' ' && IsAsciiDigit32(rest[1])) {
      size_t m = 1;
      while (m < rest.size() && IsAsciiDigit32(rest[m])) ++m;
      if (tag_ok(rest.substr(m))) {
        return {std::u32string(l.substr(0, w)), Encode(rest.substr(1, m - 1))};
      }
    }
    if (tag_ok(rest)) return {std::u32string(l.substr(0, w)), std::nullopt};
  }
  return {line, std::nullopt};  // unreachable: w == size always matches
}

class UserDictLoader {
 public:
  UserDictLoader(MutableTrie* trie, const HmmModel& hmm, int64_t* total,
                 internal::ForceSplitSet* force_split)
      : trie_(trie), hmm_(hmm), total_(total), force_split_(force_split) {}

  Status Load(const std::string& path) {
    BAOGAO_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
    return ForEachLine(data, [&](size_t lineno, std::string_view raw) -> Status {
      std::string_view line = StripAscii(raw);
      if (!text::IsValidUtf8(line)) {
        return Status::InvalidArgument(
            fmt::format("user dictionary {} must be UTF-8 (line {} is not)", path, lineno));
      }
      std::u32string decoded = DecodeValid(line);
      size_t bom = 0;
      while (bom < decoded.size() && decoded[bom] == 0xFEFF) ++bom;
      decoded.erase(0, bom);
      if (decoded.empty()) return Status::Ok();
      UserEntry e = MatchUserLine(decoded);
      int64_t freq;
      auto at = [&](const Status& st) {
        return Status::InvalidArgument(
            fmt::format("user dictionary {} line {}: {}", path, lineno, st.message()));
      };
      if (e.freq) {
        auto parsed = ParseInt(*e.freq);
        if (!parsed) return at(Status::InvalidArgument("frequency " + *e.freq + " is too large"));
        freq = *parsed;
      } else {
        Result<int64_t> suggested = SuggestFreq(e.word);
        if (!suggested.ok()) return at(suggested.status());
        freq = *suggested;
      }
      if (Status st = AddWord(e.word, freq); !st.ok()) return at(st);
      return Status::Ok();
    });
  }

 private:
  int64_t FreqOr(const std::u32string& w, int64_t absent) const {
    MutableTrie::Cursor c = trie_->Root();
    for (char32_t cp : w) {
      c = trie_->Step(c, cp);
      if (c == nullptr) return absent;
    }
    return MutableTrie::Freq(c);
  }

  // Tokenizer.suggest_freq(word, tune=False). Python would carry on with
  // arbitrary-precision integers; we refuse what does not fit in int64.
  Result<int64_t> SuggestFreq(const std::u32string& word) {
    if (*total_ <= 0) {
      return Status::InvalidArgument("cannot suggest a frequency: the dictionary total is 0");
    }
    const double ftotal = static_cast<double>(*total_);
    internal::Cutter<MutableTrie> cutter(*trie_, hmm_, std::log(ftotal), *force_split_);
    std::vector<internal::CharSpan> segs;
    cutter.Cut(word, Mode::kDefault, /*hmm=*/false, &segs);
    double freq = 1.0;
    for (const auto& seg : segs) {
      freq *= static_cast<double>(cutter.FreqOr(seg.begin, seg.end, 1)) / ftotal;
    }
    const double product = freq * static_cast<double>(*total_);
    if (!(product >= 0.0 && product < 9223372036854775808.0)) {  // 2^63
      return Status::InvalidArgument("suggested frequency does not fit in 64 bits");
    }
    const auto suggested = static_cast<int64_t>(product) + 1;
    return std::max(suggested, FreqOr(word, 1));
  }

  // Tokenizer.add_word
  Status AddWord(const std::u32string& word, int64_t freq) {
    if (__builtin_add_overflow(*total_, freq, total_)) {
      return Status::InvalidArgument("total frequency overflows 64 bits");
    }
    trie_->SetFreq(trie_->Insert(word), freq);
    if (freq == 0) force_split_->insert(word);
    return Status::Ok();
  }

  MutableTrie* trie_;
  const HmmModel& hmm_;
  int64_t* total_;
  internal::ForceSplitSet* force_split_;
};

// ---- Compiled files ----

template <typename T>
void AppendSection(std::string* buf, const T* data, size_t count, uint64_t* offset) {
  while (buf->size() % 8 != 0) buf->push_back('\0');
  *offset = buf->size();
  buf->append(reinterpret_cast<const char*>(data), count * sizeof(T));
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError(fmt::format("cannot create '{}': {}", tmp, std::strerror(errno)));
  }
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Status::IoError(fmt::format("cannot write '{}': {}", tmp, std::strerror(errno)));
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::IoError(fmt::format("cannot flush '{}': {}", tmp, std::strerror(errno)));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::IoError(
        fmt::format("cannot rename '{}' to '{}': {}", tmp, path, std::strerror(errno)));
  }
  return Status::Ok();
}

Status LoadCompiled(const std::string& path, Dictionary::Impl* impl) {
  using internal::kBitsMask;
  using internal::kBitsShift;
  using internal::kEmptySlot;
  using internal::Slot;
  BAOGAO_ASSIGN_OR_RETURN(impl->mapping, MappedFile::Open(path));
  const std::string_view data = impl->mapping->data();
  auto corrupt = [&](std::string_view what) {
    return Status::Corrupt(fmt::format("compiled dictionary '{}': {}", path, what));
  };
  if (data.size() < sizeof(FileHeader)) return corrupt("shorter than its header");
  FileHeader h;
  std::memcpy(&h, data.data(), sizeof h);
  if (std::memcmp(h.magic, kMagic, 8) != 0) return corrupt("bad magic");
  if (h.version != kFormatVersion) {
    return corrupt(fmt::format("format version {} (this build reads {}); recompile it", h.version,
                               kFormatVersion));
  }
  if (h.header_size != sizeof(FileHeader)) return corrupt("bad header size");
  if (h.file_size != data.size()) return corrupt("truncated or extended");
  if (Checksum(data.substr(sizeof(FileHeader))) != h.checksum) return corrupt("checksum mismatch");
  if (h.node_count == 0 || h.node_count > internal::kMaxNodes || h.slot_count >= kEmptySlot ||
      h.log_table_size == 0) {
    return corrupt("bad counts");
  }
  auto section = [&](uint64_t off, uint64_t count, size_t elem) -> const void* {
    if (off % 8 != 0 || off < sizeof(FileHeader) || off > data.size()) return nullptr;
    if (count > (data.size() - off) / elem) return nullptr;
    return data.data() + off;
  };
  const auto* slots = static_cast<const Slot*>(section(h.off_slots, h.slot_count, sizeof(Slot)));
  const auto* freq = static_cast<const int64_t*>(section(h.off_freq, h.node_count, 8));
  const auto* logs = static_cast<const double*>(section(h.off_log_table, h.log_table_size, 8));
  const auto* emit = static_cast<const double*>(section(h.off_emit, kHanCount * 4, 8));
  const auto* force = static_cast<const uint32_t*>(
      section(h.off_force_split, h.force_split_units, sizeof(uint32_t)));
  if (!slots || !freq || !logs || !emit || !force) return corrupt("section out of bounds");

  // Structural checks, so that a damaged file cannot send a walk astray:
  // the blocks reachable from the root form a tree of in-bounds blocks, each
  // with an empty slot (so probing ends), over distinct in-range node ids.
  std::vector<bool> seen(h.node_count, false);
  seen[internal::kRoot] = true;
  std::vector<std::pair<uint32_t, uint32_t>> blocks{{h.root_block, h.root_bits}};
  size_t reached = 1;
  for (size_t q = 0; q < blocks.size(); ++q) {
    const auto [block, bits] = blocks[q];
    if (bits == 0) continue;
    if (bits > internal::kMaxBlockBits || block > h.slot_count ||
        (uint64_t{1} << bits) > h.slot_count - block) {
      return corrupt("block out of bounds");
    }
    bool has_empty = false;
    for (uint32_t i = 0; i < (1u << bits); ++i) {
      const Slot& s = slots[block + i];
      if (s.key == kEmptySlot) {
        has_empty = true;
        continue;
      }
      if (s.node >= h.node_count || seen[s.node]) return corrupt("trie is not a tree");
      if (s.log_index >= h.log_table_size) return corrupt("log index out of range");
      seen[s.node] = true;
      ++reached;
      blocks.emplace_back(s.block, (s.key >> kBitsShift) & kBitsMask);
    }
    if (!has_empty) return corrupt("full block");
  }
  if (reached != h.node_count) return corrupt("unreachable nodes");
  for (uint64_t i = 0; i < h.node_count; ++i) {
    if (freq[i] < 0) return corrupt("negative frequency");
  }
  internal::FlatTrieArrays a;
  a.slots = {slots, h.slot_count};
  a.freq = {freq, h.node_count};
  a.log_table = {logs, h.log_table_size};
  a.root_block = h.root_block;
  a.root_bits = h.root_bits;
  impl->trie = FlatTrie(a);
  std::memcpy(impl->hmm.start, h.start, sizeof h.start);
  std::memcpy(impl->hmm.trans, h.trans, sizeof h.trans);
  impl->hmm.emit = {emit, kHanCount * 4};
  impl->total = h.total;
  impl->word_count = h.word_count;
  std::u32string word;
  for (uint64_t i = 0; i < h.force_split_units; ++i) {
    if (force[i] == 0) {
      impl->force_split.insert(word);
      word.clear();
    } else {
      word.push_back(force[i]);
    }
  }
  return Status::Ok();
}

bool HasMagic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[8] = {};
  in.read(buf, 8);
  return in.gcount() == 8 && std::memcmp(buf, kMagic, 8) == 0;
}

size_t CountWords(const FlatTrie& trie) {
  size_t n = 0;
  for (int64_t f : trie.arrays().freq) n += f > 0 ? 1 : 0;
  return n;
}

}  // namespace

namespace internal {

MappedFile::~MappedFile() {
  if (addr_ != nullptr) ::munmap(addr_, size_);
}

Result<std::unique_ptr<MappedFile>> MappedFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::NotFound(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Status::IoError(fmt::format("cannot stat '{}': {}", path, std::strerror(errno)));
  }
  auto file = std::make_unique<MappedFile>();
  file->size_ = static_cast<size_t>(st.st_size);
  if (file->size_ > 0) {
    file->addr_ = ::mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (file->addr_ == MAP_FAILED) {
      file->addr_ = nullptr;
      ::close(fd);
      return Status::IoError(fmt::format("cannot map '{}': {}", path, std::strerror(errno)));
    }
  }
  ::close(fd);
  return file;
}

}  // namespace internal

Dictionary::Dictionary(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Dictionary::~Dictionary() = default;

std::string Dictionary::DefaultPath() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("BAOGAO_DICT"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path compiled = exe.parent_path().parent_path() / "share" / "baogao" / "jieba.bgd";
    if (fs::exists(compiled, ec)) return compiled.string();
  }
  return std::string(kJiebaDir) + "/dict.txt";
}

Result<std::shared_ptr<const Dictionary>> Dictionary::Load(const DictionaryOptions& options) {
  namespace fs = std::filesystem;
  const std::string path = options.path.empty() ? DefaultPath() : options.path;
  auto impl = std::make_unique<Impl>();
  std::optional<MutableTrie> mutable_trie;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status::NotFound(fmt::format("dictionary '{}' does not exist or is not a file", path));
  }
  if (HasMagic(path)) {
    BAOGAO_RETURN_IF_ERROR(LoadCompiled(path, impl.get()));
  } else {
    std::string hmm_dir = options.hmm_dir;
    if (hmm_dir.empty()) hmm_dir = (fs::path(path).parent_path() / "finalseg").string();
    mutable_trie.emplace();
    BAOGAO_RETURN_IF_ERROR(ParseJiebaDict(path, &*mutable_trie, &impl->total));
    BAOGAO_RETURN_IF_ERROR(LoadHmm(hmm_dir, &impl->hmm, &impl->owned_emit));
  }
  if (!options.user_dicts.empty()) {
    if (!mutable_trie) mutable_trie = MutableTrie::FromFlat(impl->trie);
    UserDictLoader loader(&*mutable_trie, impl->hmm, &impl->total, &impl->force_split);
    for (const std::string& user : options.user_dicts) {
      BAOGAO_RETURN_IF_ERROR(loader.Load(user));
    }
  }
  if (mutable_trie) {
    impl->owned_trie = mutable_trie->Flatten();
    impl->trie = impl->owned_trie.View();
    impl->word_count = CountWords(impl->trie);
  }
  if (impl->total <= 0) {
    return Status::InvalidArgument(
        fmt::format("dictionary '{}' has no word with a frequency", path));
  }
  impl->log_total = std::log(static_cast<double>(impl->total));
  return std::shared_ptr<const Dictionary>(new Dictionary(std::move(impl)));
}

Status Dictionary::Compile(const std::string& out_path) const {
  const Impl& d = *impl_;
  const internal::FlatTrieArrays& a = d.trie.arrays();
  FileHeader h{};
  std::memcpy(h.magic, kMagic, 8);
  h.version = kFormatVersion;
  h.header_size = sizeof(FileHeader);
  h.total = d.total;
  h.word_count = d.word_count;
  h.node_count = a.freq.size();
  h.slot_count = a.slots.size();
  h.log_table_size = a.log_table.size();
  h.root_block = a.root_block;
  h.root_bits = a.root_bits;
  std::memcpy(h.start, d.hmm.start, sizeof h.start);
  std::memcpy(h.trans, d.hmm.trans, sizeof h.trans);
  std::vector<uint32_t> force;
  for (const auto& w : d.force_split) {
    force.insert(force.end(), w.begin(), w.end());
    force.push_back(0);
  }
  h.force_split_units = force.size();

  std::string buf(sizeof(FileHeader), '\0');
  AppendSection(&buf, a.slots.data(), a.slots.size(), &h.off_slots);
  AppendSection(&buf, a.freq.data(), a.freq.size(), &h.off_freq);
  AppendSection(&buf, a.log_table.data(), a.log_table.size(), &h.off_log_table);
  AppendSection(&buf, d.hmm.emit.data(), d.hmm.emit.size(), &h.off_emit);
  AppendSection(&buf, force.data(), force.size(), &h.off_force_split);
  while (buf.size() % 8 != 0) buf.push_back('\0');
  h.file_size = buf.size();
  h.checksum = Checksum(std::string_view(buf).substr(sizeof(FileHeader)));
  std::memcpy(buf.data(), &h, sizeof h);
  return WriteFileAtomically(out_path, buf);
}

int64_t Dictionary::Frequency(std::string_view word) const {
  FlatTrie::Cursor c = impl_->trie.Root();
  size_t pos = 0;
  while (pos < word.size() && c != nullptr) {
    size_t len;
    c = impl_->trie.Step(c, text::DecodeOne(word, pos, &len));
    pos += len;
  }
  return c == nullptr ? 0 : impl_->trie.Freq(c);
}

int64_t Dictionary::total() const { return impl_->total; }
size_t Dictionary::word_count() const { return impl_->word_count; }
size_t Dictionary::node_count() const { return impl_->trie.node_count(); }

}  // namespace baogao::segment
