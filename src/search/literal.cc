// Literal segments: the writer, the reader and the exact match
// (internal/literal.h).
#include "search/internal/literal.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <new>
#include <sstream>

#include "text/text.h"

namespace baogao::search::internal {
namespace {

constexpr char kMagic[8] = {'B', 'G', 'L', 'I', 'T', 'S', 'G', '1'};
constexpr uint32_t kVersion = 5;
constexpr size_t kHeaderBytes = 80;
// The lists are checked in chunks of this many bytes, each on first use.
constexpr uint64_t kChunkBytes = 64 * 1024;
constexpr size_t kIndexEntryBytes = 32;
constexpr int kMaxGram = 4;

void PutU32(uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void PutU64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
uint32_t GetU32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | p[i];
  return v;
}
uint64_t GetU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

// The varint of `v` in buf (up to 10 bytes); returns its length.
size_t EncodeVarint(uint64_t v, char* buf) {
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  return n;
}

void PutVarint(GramKey v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(static_cast<uint8_t>(v) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// A bounds-checked varint reader over [p, end).
class Reader {
 public:
  Reader(const uint8_t* p, const uint8_t* end) : p_(p), end_(end) {}
  bool done() const { return p_ >= end_; }
  const uint8_t* pos() const { return p_; }
  // False at the end or for a varint longer than `max_bits` allows.
  template <typename T>
  bool Get(T* v, int max_bits) {
    T x = 0;
    for (int shift = 0; shift < max_bits; shift += 7) {
      if (p_ >= end_) return false;
      const uint8_t b = *p_++;
      x |= static_cast<T>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        *v = x;
        return true;
      }
    }
    return false;
  }
  bool Skip(uint64_t n) {
    if (n > static_cast<uint64_t>(end_ - p_)) return false;
    p_ += n;
    return true;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

// The CRC-32 of n bytes at p, continuing `crc` (that of the bytes before).
uint32_t Crc(const uint8_t* p, uint64_t n, uint32_t start = 0) {
  uLong crc = start;
  while (n > 0) {
    const uInt chunk = static_cast<uInt>(std::min<uint64_t>(n, 1u << 30));
    crc = crc32(crc, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return static_cast<uint32_t>(crc);
}

// The number of chunks of lists `n` bytes long (kChunkBytes).
uint64_t ChunkCount(uint64_t n) { return (n + kChunkBytes - 1) / kChunkBytes; }

// Appends the CRC-32 of every chunk of the `n` list bytes at `lists`.
void PutChunkCrcs(const uint8_t* lists, uint64_t n, std::string* out) {
  for (uint64_t at = 0; at < n; at += kChunkBytes) {
    PutU32(Crc(lists + at, std::min(kChunkBytes, n - at)), out);
  }
}

// The CRC-32 the header keeps: of every byte after the header but the
// lists (the report ids, then the dictionary, the block index and the
// chunk table), which are few and are checked when the segment opens.
uint32_t SectionsCrc(const uint8_t* data, uint64_t ids_offset, uint64_t lists_offset,
                     uint64_t dict_offset, uint64_t size) {
  return Crc(data + dict_offset, size - dict_offset,
             Crc(data + ids_offset, lists_offset - ids_offset));
}

// Reads the dictionary entry at *r: adds its key delta to *key, and checks
// that its list fits in the `lists_left` bytes left and its count in its
// list. Returns what is damaged, or null.
const char* ReadDictEntry(Reader* r, uint64_t lists_left, GramKey* key, uint64_t* bytes,
                          uint32_t* count) {
  GramKey delta = 0;
  if (!r->Get(&delta, 133) || !r->Get(bytes, 63) || !r->Get(count, 35)) {
    return "dictionary entry";
  }
  *key += delta;
  if (*bytes > lists_left) return "list extent";
  // Each report takes at least one byte: a larger count is damage (and
  // would reserve memory for nothing).
  if (*count > *bytes) return "list count";
  return nullptr;
}

}  // namespace

GramKey MakeGramKey(const char32_t* chars, int n) {
  GramKey k = static_cast<GramKey>(n) << 84;
  for (int i = 0; i < n; ++i) {
    const char32_t c = text::IsInvalidByteUnit(chars[i]) ? 0xFFFD : chars[i];
    k |= static_cast<GramKey>(c & 0x1FFFFF) << (21 * (3 - i));
  }
  return k;
}

namespace {

// Builds a word's key character by character (MakeWordKey).
class WordKeyBuilder {
 public:
  void Add(char32_t c) {
    const uint64_t u = (text::IsInvalidByteUnit(c) ? 0xFFFD : c) & 0x1FFFFF;
    if (n_ < 5) chars_ |= static_cast<GramKey>(u) << (21 * (4 - n_));
    hash_ = (hash_ ^ u) * 0x100000001B3ULL;  // FNV-1a over the characters
    ++n_;
  }
  GramKey Finish(bool title) const {
    const GramKey k = static_cast<GramKey>(title ? 3 : 2) << 126;
    if (n_ <= 5) return k | static_cast<GramKey>(n_) << 120 | chars_;
    return k | static_cast<GramKey>(7) << 120 |
           static_cast<GramKey>(std::min<uint64_t>(n_, UINT32_MAX)) << 64 | hash_;
  }

 private:
  GramKey chars_ = 0;
  uint64_t hash_ = 0xCBF29CE484222325ULL;
  uint64_t n_ = 0;
};

}  // namespace

GramKey MakeWordKey(std::u32string_view word, bool title) {
  WordKeyBuilder b;
  for (char32_t c : word) b.Add(c);
  return b.Finish(title);
}

GramKey MakeWordKey(std::string_view utf8, bool title) {
  WordKeyBuilder b;
  for (size_t i = 0, len = 0; i < utf8.size(); i += len) b.Add(text::DecodeOne(utf8, i, &len));
  return b.Finish(title);
}

void LiteralSegmentWriter::Reserve(size_t more) {
  while ((lists_.size() + more + 1) * 2 > slots_.size()) Grow();
}

void LiteralSegmentWriter::Grow() {
  const size_t n = slots_.empty() ? 4096 : slots_.size() * 2;
  std::vector<Slot> old(n);
  old.swap(slots_);
  shift_ = 64 - std::countr_zero(n);
  for (const Slot& s : old) {
    if (s.list == 0) continue;
    size_t i = Hash(s.lo, s.hi) >> shift_;
    while (slots_[i].list != 0) i = (i + 1) & (n - 1);
    slots_[i] = s;
  }
}

LiteralSegmentWriter::Slot& LiteralSegmentWriter::Probe(const Gram& g) {
  for (size_t i = g.slot;; i = (i + 1) & (slots_.size() - 1)) {
    Slot& s = slots_[i];
    if (s.list == 0) {
      s.lo = g.lo;
      s.hi = g.hi;
      lists_.emplace_back();
      s.list = static_cast<uint32_t>(lists_.size());
      return s;
    }
    if (s.lo == g.lo && s.hi == g.hi) return s;
  }
}

void LiteralSegmentWriter::Count(Slot* s, uint32_t id, std::vector<uint32_t>* lists,
                                 std::vector<uint32_t>* counts) {
  if (s->seen != id) {
    s->seen = id;
    s->local = static_cast<uint32_t>(lists->size());
    lists->push_back(s->list);
    counts->push_back(0);
  }
  ++(*counts)[s->local];
}

void LiteralSegmentWriter::Append(uint32_t list, uint32_t id, const char* tail, size_t n) {
  List& l = lists_[list - 1];
  char delta[5];
  const size_t k = EncodeVarint(id - l.last_id, delta);
  const size_t need = l.size + k + n;
  if (need > l.capacity) {
    // Double (at least to 16 bytes): each byte is copied about once more.
    const size_t cap = std::max<size_t>({16, need, 2 * l.capacity});
    char* data = static_cast<char*>(std::realloc(l.data, cap));
    if (data == nullptr) throw std::bad_alloc();
    l.data = data;
    l.capacity = cap;
  }
  char* out = l.data + l.size;
  for (size_t i = 0; i < k; ++i) out[i] = delta[i];
  if (n <= 8) {
    for (size_t i = 0; i < n; ++i) out[k + i] = tail[i];
  } else {
    std::memcpy(out + k, tail, n);
  }
  l.size = need;
  l.last_id = id;
  ++l.count;
}

void LiteralSegmentWriter::FreeLists() {
  for (List& l : lists_) std::free(l.data);
  std::vector<List>().swap(lists_);
}

LiteralSegmentWriter::~LiteralSegmentWriter() { FreeLists(); }

Status LiteralSegmentWriter::Add(uint32_t id, std::span<const std::u32string> texts,
                                 std::span<const WordCount> words, const ReportAttrs& attrs) {
  if (id == 0 || id <= last_id_) {
    return Status::InvalidArgument("literal segment: report id " + std::to_string(id) + " after " +
                                   std::to_string(last_id_));
  }
  // Everything is checked before anything is written: a refused report
  // leaves the writer as it was.
  uint64_t total = 0;
  for (const std::u32string& t : texts) total += t.size() + 1;
  if (total > UINT32_MAX) {
    return Status::InvalidArgument("literal segment: report " + std::to_string(id) +
                                   " is too long");
  }
  const auto bad_words = [&](std::string_view what) {
    return Status::InvalidArgument("literal segment: report " + std::to_string(id) + ": " +
                                   std::string(what));
  };
  for (const WordCount& w : words) {
    if (w.count == 0 || !IsWordKey(w.key)) {
      return bad_words("a word without occurrences or with a gram's key");
    }
  }
  // The words' lists (a new word gets an empty one, which Finish leaves
  // out if the report is refused), each word marked as seen by `id`.
  grams_.clear();
  for (const WordCount& w : words) {
    grams_.push_back(
        Gram{static_cast<uint64_t>(w.key), static_cast<uint64_t>(w.key >> 64), 0, 0, 0});
  }
  Reserve(grams_.size());
  word_lists_.clear();
  for (Gram& g : grams_) {
    g.slot = Hash(g.lo, g.hi) >> shift_;
    Slot& s = Probe(g);
    if (s.seen == id) {
      // Unmark the words marked so far: `id` may come again.
      for (const Gram& marked : grams_) {
        if (&marked == &g) break;
        Probe(marked).seen = 0;
      }
      return bad_words("a word given twice");
    }
    s.seen = id;
    word_lists_.push_back(s.list);
  }
  char_lists_.clear();
  char_counts_.clear();
  quad_lists_.clear();
  quad_start_.clear();
  quad_.clear();
  char buf[16];  // an entry's tail
  // The 2- and 3-grams go straight to their lists, once per report; the
  // characters are counted and the 4-grams gathered with their positions.
  uint64_t base = 0;
  for (const std::u32string& t : texts) {
    const size_t n = t.size();
    // First every gram of a stretch of the text with its key and home slot,
    // so that the table's slots can be fetched ahead of their use: the
    // table outgrows the caches, and waiting on each slot in turn was most
    // of the time. Stretches of kStretch positions bound the memory a long
    // text takes.
    constexpr size_t kStretch = 4096;
    for (size_t from = 0; from < n; from += kStretch) {
      grams_.clear();
      for (size_t i = from; i < std::min(n, from + kStretch); ++i) {
        uint64_t hi = 0, lo = 0;  // the key's halves, as MakeGramKey makes it
        for (int g = 1; g <= kMaxGram && i + static_cast<size_t>(g) <= n; ++g) {
          const char32_t u = t[i + g - 1];
          const uint64_t c = (text::IsInvalidByteUnit(u) ? 0xFFFD : u) & 0x1FFFFF;
          const int shift = 21 * (kMaxGram - g);  // 63, 42, 21, 0
          if (g == 1) {
            hi = c >> 1;
            lo = c << 63;
          } else {
            lo |= c << shift;
          }
          grams_.push_back(Gram{lo, hi | static_cast<uint64_t>(g) << 20, 0,
                                static_cast<uint32_t>(base + i), static_cast<uint8_t>(g)});
        }
      }
      Reserve(grams_.size());
      for (Gram& g : grams_) g.slot = Hash(g.lo, g.hi) >> shift_;
      constexpr size_t kAhead = 16;
      for (size_t j = 0; j < grams_.size(); ++j) {
        if (j + kAhead < grams_.size()) __builtin_prefetch(&slots_[grams_[j + kAhead].slot]);
        const Gram& g = grams_[j];
        Slot& s = Probe(g);
        if (g.n == 1) {
          Count(&s, id, &char_lists_, &char_counts_);
        } else if (g.n < kMaxGram) {
          if (s.seen != id) {
            s.seen = id;
            Append(s.list, id, buf, 0);
          }
        } else {
          Count(&s, id, &quad_lists_, &quad_start_);
          quad_.emplace_back(s.local, g.pos);
        }
      }
    }
    // One position between texts: no run of covering 4-grams can line up
    // across it (docs/search.md).
    base += n + 1;
  }
  for (size_t c = 0; c < char_lists_.size(); ++c) {
    Append(char_lists_[c], id, buf, EncodeVarint(char_counts_[c], buf));
  }
  // Group the 4-gram positions by gram: a counting sort keeps each gram's
  // positions ascending.
  uint32_t sum = 0, most = 0;
  for (uint32_t& c : quad_start_) {
    const uint32_t n = c;
    c = sum;
    sum += n;
    most = std::max(most, n);
  }
  quad_start_.push_back(sum);
  grouped_.resize(quad_.size());
  cursor_.assign(quad_start_.begin(), quad_start_.end() - 1);
  for (const auto& [local, pos] : quad_) grouped_[cursor_[local]++] = pos;
  // An entry's tail: room for the positions' length (5), then the
  // positions.
  scratch_.resize(5 + 5 * static_cast<size_t>(most));
  for (size_t q = 0; q < quad_lists_.size(); ++q) {
    char* const start = scratch_.data() + 5;
    char* p = start;
    uint32_t prev = 0;
    for (uint32_t i = quad_start_[q]; i < quad_start_[q + 1]; ++i) {
      p += EncodeVarint(grouped_[i] - prev, p);
      prev = grouped_[i];
    }
    const size_t bytes = static_cast<size_t>(p - start);
    const size_t k = EncodeVarint(bytes, buf);
    std::memcpy(start - k, buf, k);
    Append(quad_lists_[q], id, start - k, k + bytes);
  }
  // The words, each with its count.
  for (size_t w = 0; w < words.size(); ++w) {
    Append(word_lists_[w], id, buf, EncodeVarint(words[w].count, buf));
  }
  last_id_ = id;
  ids_.push_back(id);
  lengths_.push_back(static_cast<uint32_t>(base - texts.size()));
  attrs_.push_back(attrs);
  return Status::Ok();
}

std::string AssembleLiteralSegment(const std::vector<uint32_t>& ids,
                                   const std::vector<uint32_t>& lengths,
                                   const std::vector<ReportAttrs>& attrs,
                                   const std::vector<KeyList>& lists) {
  std::string out(kHeaderBytes, '\0');
  const uint64_t ids_offset = out.size();
  uint32_t prev_id = 0;
  uint64_t total_length = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    PutVarint(ids[i] - prev_id, &out);
    PutVarint(lengths[i], &out);
    PutVarint(attrs[i].region, &out);
    PutVarint(attrs[i].year, &out);
    PutVarint(attrs[i].level, &out);
    PutVarint(attrs[i].type, &out);
    prev_id = ids[i];
    total_length += lengths[i];
  }
  const uint64_t lists_offset = out.size();
  for (const KeyList& l : lists) out += l.bytes;
  const uint64_t dict_offset = out.size();
  std::string index;
  uint64_t list_pos = 0;
  GramKey prev = 0;
  for (size_t i = 0; i < lists.size(); ++i) {
    const KeyList& l = lists[i];
    if (i % kLiteralBlockKeys == 0) {
      PutU64(static_cast<uint64_t>(l.key >> 64), &index);
      PutU64(static_cast<uint64_t>(l.key), &index);
      PutU64(out.size() - dict_offset, &index);
      PutU64(list_pos, &index);
      prev = 0;
    }
    PutVarint(l.key - prev, &out);
    PutVarint(l.bytes.size(), &out);
    PutVarint(l.count, &out);
    prev = l.key;
    list_pos += l.bytes.size();
  }
  const uint64_t index_offset = out.size();
  out += index;
  {
    std::string chunks;
    PutChunkCrcs(reinterpret_cast<const uint8_t*>(out.data()) + lists_offset,
                 dict_offset - lists_offset, &chunks);
    out += chunks;
  }

  std::string header(kMagic, sizeof kMagic);
  PutU32(kVersion, &header);
  PutU32(static_cast<uint32_t>(ids.size()), &header);
  PutU64(lists.size(), &header);
  PutU64(ids_offset, &header);
  PutU64(lists_offset, &header);
  PutU64(dict_offset, &header);
  PutU64(index_offset, &header);
  PutU64(out.size(), &header);
  PutU64(total_length, &header);
  PutU32(SectionsCrc(reinterpret_cast<const uint8_t*>(out.data()), ids_offset, lists_offset,
                     dict_offset, out.size()),
         &header);
  PutU32(Crc(reinterpret_cast<const uint8_t*>(header.data()), header.size()), &header);
  out.replace(0, kHeaderBytes, header);
  return out;
}

std::string LiteralSegmentWriter::FinishToBytes() {
  std::vector<std::pair<GramKey, uint32_t>> order;
  order.reserve(lists_.size());
  for (const Slot& s : slots_) {
    // A list without reports: a word of a report that was refused.
    if (s.list != 0 && lists_[s.list - 1].count > 0) {
      order.emplace_back(static_cast<GramKey>(s.hi) << 64 | s.lo, s.list - 1);
    }
  }
  std::vector<Slot>().swap(slots_);
  std::sort(order.begin(), order.end());
  std::vector<KeyList> lists;
  lists.reserve(order.size());
  for (const auto& [key, k] : order) {
    lists.push_back(
        KeyList{key, std::string_view(lists_[k].data, lists_[k].size), lists_[k].count});
  }
  std::string out = AssembleLiteralSegment(ids_, lengths_, attrs_, lists);
  FreeLists();
  ids_.clear();
  lengths_.clear();
  attrs_.clear();
  last_id_ = 0;
  return out;
}

// Writes `bytes` to `path` through `path`.tmp, fsynced, renamed; then
// fsyncs the directory so that the rename survives a crash.
Status WriteFileAtomically(const std::string& path, std::string_view bytes, std::string_view what) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError(tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == bytes.size() && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = ok ? errno : err;
    ::unlink(tmp.c_str());
    return Status::IoError(path + ": cannot write the " + std::string(what) + ": " +
                           std::strerror(e));
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Status LiteralSegmentWriter::Finish(const std::string& path) {
  return WriteFileAtomically(path, FinishToBytes(), "literal segment");
}

// ---------------------------------------------------------------------------

LiteralSegment::~LiteralSegment() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

Status LiteralSegment::Corrupt(std::string_view what) const {
  return Status::Corrupt(name_ + ": damaged literal segment (" + std::string(what) +
                         "); run `baogao reindex`");
}

Result<std::unique_ptr<LiteralSegment>> LiteralSegment::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) return Status::NotFound(path + ": no literal segment");
    return Status::IoError(path + ": " + std::strerror(e));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return Status::IoError(path + ": " + std::strerror(e));
  }
  std::unique_ptr<LiteralSegment> s(new LiteralSegment());
  s->name_ = path;
  s->size_ = static_cast<uint64_t>(st.st_size);
  if (s->size_ < kHeaderBytes) {
    ::close(fd);
    return s->Corrupt("shorter than its header");
  }
  void* map = ::mmap(nullptr, s->size_, PROT_READ, MAP_SHARED, fd, 0);
  const int e = errno;
  ::close(fd);
  if (map == MAP_FAILED) return Status::IoError(path + ": mmap: " + std::strerror(e));
  s->map_ = map;
  s->data_ = static_cast<const uint8_t*>(map);
  BAOGAO_RETURN_IF_ERROR(s->Init());
  return s;
}

Result<std::unique_ptr<LiteralSegment>> LiteralSegment::FromBytes(std::string bytes,
                                                                  const std::string& name) {
  std::unique_ptr<LiteralSegment> s(new LiteralSegment());
  s->name_ = name;
  s->owned_ = std::move(bytes);
  s->data_ = reinterpret_cast<const uint8_t*>(s->owned_.data());
  s->size_ = s->owned_.size();
  if (s->size_ < kHeaderBytes) return s->Corrupt("shorter than its header");
  BAOGAO_RETURN_IF_ERROR(s->Init());
  return s;
}

Status LiteralSegment::Init() {
  const uint8_t* h = data_;
  if (std::memcmp(h, kMagic, sizeof kMagic) != 0) {
    return Status::Corrupt(name_ + ": not a literal segment");
  }
  if (GetU32(h + 76) != Crc(h, 76)) return Corrupt("header checksum");
  const uint32_t version = GetU32(h + 8);
  if (version != kVersion) {
    return Status::Corrupt(name_ + ": literal segment format " + std::to_string(version) +
                           ", expected " + std::to_string(kVersion) + "; run `baogao reindex`");
  }
  report_count_ = GetU32(h + 12);
  key_count_ = GetU64(h + 16);
  ids_offset_ = GetU64(h + 24);
  lists_offset_ = GetU64(h + 32);
  dict_offset_ = GetU64(h + 40);
  index_offset_ = GetU64(h + 48);
  total_length_ = GetU64(h + 64);
  if (GetU64(h + 56) != size_) return Corrupt("file size");
  if (ids_offset_ != kHeaderBytes || lists_offset_ < ids_offset_ || dict_offset_ < lists_offset_ ||
      index_offset_ < dict_offset_ || index_offset_ > size_) {
    return Corrupt("section offsets");
  }
  if (report_count_ > lists_offset_ - ids_offset_) return Corrupt("report count");
  blocks_ = (key_count_ + kLiteralBlockKeys - 1) / kLiteralBlockKeys;
  chunks_ = ChunkCount(dict_offset_ - lists_offset_);
  if (key_count_ > size_ || (size_ - index_offset_) != blocks_ * kIndexEntryBytes + chunks_ * 4) {
    return Corrupt("block index size");
  }
  chunk_crcs_ = data_ + index_offset_ + blocks_ * kIndexEntryBytes;
  if (GetU32(h + 72) != SectionsCrc(data_, ids_offset_, lists_offset_, dict_offset_, size_)) {
    return Corrupt("checksum");
  }
  checked_ = std::make_unique<std::atomic<bool>[]>(chunks_);
  return Status::Ok();
}

Status LiteralSegment::CheckLists(uint64_t from, uint64_t to) const {
  if (from >= to) return Status::Ok();
  const uint64_t lists_size = dict_offset_ - lists_offset_;
  for (uint64_t c = from / kChunkBytes; c <= (to - 1) / kChunkBytes; ++c) {
    if (checked_[c].load(std::memory_order_relaxed)) continue;
    const uint64_t at = c * kChunkBytes;
    if (Crc(data_ + lists_offset_ + at, std::min(kChunkBytes, lists_size - at)) !=
        GetU32(chunk_crcs_ + 4 * c)) {
      return Corrupt("checksum of the lists at byte " + std::to_string(at));
    }
    checked_[c].store(true, std::memory_order_relaxed);
  }
  return Status::Ok();
}

Status LiteralSegment::Verify() const { return CheckLists(0, dict_offset_ - lists_offset_); }

void ResealLiteralSegment(std::string* bytes) {
  if (bytes->size() < kHeaderBytes) return;
  const auto* d = reinterpret_cast<const uint8_t*>(bytes->data());
  const uint64_t size = bytes->size();
  const uint64_t ids = GetU64(d + 24), lists = GetU64(d + 32), dict = GetU64(d + 40),
                 index = GetU64(d + 48), keys = GetU64(d + 16);
  if (ids != kHeaderBytes || lists < ids || dict < lists || index < dict || index > size ||
      keys > size) {
    return;
  }
  const uint64_t table =
      index + (keys + kLiteralBlockKeys - 1) / kLiteralBlockKeys * kIndexEntryBytes;
  if (table > size || size - table != ChunkCount(dict - lists) * 4) return;
  std::string chunks;
  PutChunkCrcs(d + lists, dict - lists, &chunks);
  bytes->replace(table, chunks.size(), chunks);
  d = reinterpret_cast<const uint8_t*>(bytes->data());
  std::string crcs;
  PutU32(SectionsCrc(d, ids, lists, dict, size), &crcs);
  bytes->replace(72, 4, crcs);
  d = reinterpret_cast<const uint8_t*>(bytes->data());
  crcs.clear();
  PutU32(Crc(d, 76), &crcs);
  bytes->replace(76, 4, crcs);
}

Status LiteralSegment::Ids(std::vector<uint32_t>* ids, std::vector<uint32_t>* lengths,
                           std::vector<ReportAttrs>* attrs) const {
  ids->clear();
  ids->reserve(report_count_);
  if (lengths != nullptr) {
    lengths->clear();
    lengths->reserve(report_count_);
  }
  if (attrs != nullptr) {
    attrs->clear();
    attrs->reserve(report_count_);
  }
  Reader r(data_ + ids_offset_, data_ + lists_offset_);
  uint64_t id = 0, total = 0;
  while (!r.done()) {
    uint32_t delta = 0, length = 0, level = 0, type = 0;
    ReportAttrs a;
    if (!r.Get(&delta, 35) || delta == 0 || !r.Get(&length, 35) || !r.Get(&a.region, 35) ||
        !r.Get(&a.year, 35) || !r.Get(&level, 35) || !r.Get(&type, 35) || level > 255 ||
        type > 255) {
      return Corrupt("report ids");
    }
    a.level = static_cast<uint8_t>(level);
    a.type = static_cast<uint8_t>(type);
    id += delta;
    total += length;
    if (id > UINT32_MAX) return Corrupt("report ids");
    ids->push_back(static_cast<uint32_t>(id));
    if (lengths != nullptr) lengths->push_back(length);
    if (attrs != nullptr) attrs->push_back(a);
  }
  if (ids->size() != report_count_ || total != total_length_) return Corrupt("report ids");
  return Status::Ok();
}

Status LiteralSegment::ForEachList(
    const std::function<Status(GramKey, std::string_view, uint32_t)>& fn) const {
  const uint64_t lists_size = dict_offset_ - lists_offset_;
  Reader r(data_ + dict_offset_, data_ + index_offset_);
  uint64_t list_pos = 0;
  GramKey k = 0, last = 0;
  for (uint64_t i = 0; i < key_count_; ++i) {
    if (i % kLiteralBlockKeys == 0) k = 0;
    uint64_t bytes = 0;
    uint32_t n = 0;
    if (const char* bad = ReadDictEntry(&r, lists_size - list_pos, &k, &bytes, &n)) {
      return Corrupt(bad);
    }
    if (i > 0 && k <= last) return Corrupt("dictionary order");
    last = k;
    BAOGAO_RETURN_IF_ERROR(CheckLists(list_pos, list_pos + bytes));
    BAOGAO_RETURN_IF_ERROR(fn(
        k, std::string_view(reinterpret_cast<const char*>(data_ + lists_offset_ + list_pos), bytes),
        n));
    list_pos += bytes;
  }
  return Status::Ok();
}

Status LiteralSegment::Find(GramKey key, std::string_view* list, uint32_t* count,
                            bool* found) const {
  *found = false;
  const uint8_t* index = data_ + index_offset_;
  auto first_key = [&](uint64_t b) {
    const uint8_t* e = index + b * kIndexEntryBytes;
    return static_cast<GramKey>(GetU64(e)) << 64 | GetU64(e + 8);
  };
  // The last block whose first key is <= key.
  uint64_t lo = 0, hi = blocks_;
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    if (first_key(mid) <= key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return Status::Ok();
  const uint64_t b = lo - 1;
  const uint8_t* e = index + b * kIndexEntryBytes;
  const uint64_t dict_size = index_offset_ - dict_offset_;
  const uint64_t lists_size = dict_offset_ - lists_offset_;
  const uint64_t block_pos = GetU64(e + 16);
  uint64_t list_pos = GetU64(e + 24);
  if (block_pos > dict_size || list_pos > lists_size) return Corrupt("block index entry");
  Reader r(data_ + dict_offset_ + block_pos, data_ + index_offset_);
  const uint64_t keys_in_block =
      std::min<uint64_t>(kLiteralBlockKeys, key_count_ - b * kLiteralBlockKeys);
  GramKey k = 0;
  for (uint64_t i = 0; i < keys_in_block; ++i) {
    uint64_t bytes = 0;
    uint32_t n = 0;
    if (const char* bad = ReadDictEntry(&r, lists_size - list_pos, &k, &bytes, &n)) {
      return Corrupt(bad);
    }
    if (k == key) {
      BAOGAO_RETURN_IF_ERROR(CheckLists(list_pos, list_pos + bytes));
      *list =
          std::string_view(reinterpret_cast<const char*>(data_ + lists_offset_ + list_pos), bytes);
      *count = n;
      *found = true;
      return Status::Ok();
    }
    if (k > key) return Status::Ok();
    list_pos += bytes;
  }
  return Status::Ok();
}

namespace {

// What a list's entries hold after the report id.
enum class ListKind {
  kIds,        // nothing (2- and 3-grams)
  kCounts,     // the number of occurrences (characters)
  kPositions,  // the byte length and the deltas of the positions (4-grams)
};

ListKind KindOf(GramKey key) {
  if (IsWordKey(key)) return ListKind::kCounts;
  const int n = static_cast<int>(key >> 84);
  return n == 1 ? ListKind::kCounts : n == kMaxGram ? ListKind::kPositions : ListKind::kIds;
}

// Reads a list entry by entry: a report id and, in a character's list, its
// count, or in a 4-gram's list, the bytes of its positions. tail() is the
// entry after the id, as stored.
class ListReader {
 public:
  ListReader(std::string_view list, ListKind kind)
      : r_(reinterpret_cast<const uint8_t*>(list.data()),
           reinterpret_cast<const uint8_t*>(list.data()) + list.size()),
        kind_(kind) {}

  // Moves to the next entry; false at the end, or on damage (*bad).
  bool Next(bool* bad) {
    if (r_.done()) return false;
    uint32_t delta = 0;
    if (!r_.Get(&delta, 35) || delta == 0 || id_ + delta > UINT32_MAX) {
      *bad = true;
      return false;
    }
    id_ += delta;
    tail_ = r_.pos();
    positions_ = {};
    if (kind_ == ListKind::kCounts && (!r_.Get(&count_, 35) || count_ == 0)) {
      *bad = true;
      return false;
    }
    if (kind_ == ListKind::kPositions) {
      uint64_t n = 0;
      if (!r_.Get(&n, 63)) {
        *bad = true;
        return false;
      }
      const uint8_t* start = r_.pos();
      if (n == 0 || !r_.Skip(n)) {
        *bad = true;
        return false;
      }
      positions_ = std::string_view(reinterpret_cast<const char*>(start), n);
    }
    return true;
  }
  uint32_t id() const { return static_cast<uint32_t>(id_); }
  uint32_t count() const { return count_; }  // a character's list only
  std::string_view positions() const { return positions_; }
  std::string_view tail() const {
    return std::string_view(reinterpret_cast<const char*>(tail_),
                            static_cast<size_t>(r_.pos() - tail_));
  }

 private:
  Reader r_;
  ListKind kind_;
  uint64_t id_ = 0;
  uint32_t count_ = 0;
  const uint8_t* tail_ = nullptr;
  std::string_view positions_;
};

// A varint of at most `max_bytes` bytes at p (before end) into *v; the
// byte after it, or null if it is cut short or too long. One byte, the
// common case, takes one test; two bytes (a position's step, mostly) one
// more.
template <typename T, int max_bytes>
inline const uint8_t* GetVarint(const uint8_t* p, const uint8_t* end, T* v) {
  if (p < end && *p < 0x80) {
    *v = *p;
    return p + 1;
  }
  if (end - p >= 2 && p[1] < 0x80) {
    *v = static_cast<T>((p[0] & 0x7F) | (static_cast<T>(p[1]) << 7));
    return p + 2;
  }
  T x = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (p >= end) return nullptr;
    const uint8_t b = *p++;
    x |= static_cast<T>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      *v = x;
      return p;
    }
  }
  return nullptr;
}

// Decodes a list of `kind` holding `count` reports: its ids into ids[] and,
// for a character's or a word's, their counts into counts[] (if not
// null). False if it is damaged (or holds another number of reports), as
// ListReader would find it.
template <ListKind kind>
bool DecodeList(std::string_view list, uint32_t count, uint32_t* ids, uint32_t* counts) {
  const auto* p = reinterpret_cast<const uint8_t*>(list.data());
  const uint8_t* const end = p + list.size();
  uint64_t id = 0;
  uint32_t n = 0;
  while (p < end) {
    uint64_t delta = 0;
    p = GetVarint<uint64_t, 5>(p, end, &delta);
    if (p == nullptr || delta == 0 || n == count) return false;
    id += delta;
    if (id > UINT32_MAX) return false;
    ids[n] = static_cast<uint32_t>(id);
    if constexpr (kind == ListKind::kCounts) {
      uint64_t c = 0;
      p = GetVarint<uint64_t, 5>(p, end, &c);
      if (p == nullptr || c == 0 || c > UINT32_MAX) return false;
      if (counts != nullptr) counts[n] = static_cast<uint32_t>(c);
    } else if constexpr (kind == ListKind::kPositions) {
      uint64_t bytes = 0;
      p = GetVarint<uint64_t, 9>(p, end, &bytes);
      if (p == nullptr || bytes == 0 || bytes > static_cast<uint64_t>(end - p)) return false;
      p += bytes;
    }
    ++n;
  }
  return n == count;
}

// The ids of a list of `count` reports into *ids; false if it is damaged
// (or holds another number of reports).
bool DecodeIds(std::string_view list, ListKind kind, uint32_t count, std::vector<uint32_t>* ids) {
  ids->resize(count);
  switch (kind) {
    case ListKind::kIds:
      return DecodeList<ListKind::kIds>(list, count, ids->data(), nullptr);
    case ListKind::kCounts:
      return DecodeList<ListKind::kCounts>(list, count, ids->data(), nullptr);
    case ListKind::kPositions:
      return DecodeList<ListKind::kPositions>(list, count, ids->data(), nullptr);
  }
  return false;
}

// Reads the entry of a 4-gram's list at *p (before end), as ListReader
// does: 1 with its id added to *id and its positions at *positions (up to
// the new *p), 0 at the end, -1 if it is damaged.
inline int NextQuad(const uint8_t** p, const uint8_t* end, uint64_t* id,
                    const uint8_t** positions) {
  if (*p >= end) return 0;
  uint64_t delta = 0, bytes = 0;
  const uint8_t* q = GetVarint<uint64_t, 5>(*p, end, &delta);
  if (q != nullptr) q = GetVarint<uint64_t, 9>(q, end, &bytes);
  if (q == nullptr || delta == 0 || *id + delta > UINT32_MAX || bytes == 0 ||
      bytes > static_cast<uint64_t>(end - q)) {
    return -1;
  }
  *id += delta;
  *positions = q;
  *p = q + bytes;
  return 1;
}

// Reads a 4-gram's list entry by entry (NextQuad): the lockstep walk of
// Match for three or more 4-grams.
class QuadReader {
 public:
  explicit QuadReader(std::string_view list)
      : p_(reinterpret_cast<const uint8_t*>(list.data())), end_(p_ + list.size()) {}
  // Moves to the next entry; false at the end, or on damage (*bad).
  bool Next(bool* bad) {
    const int read = NextQuad(&p_, end_, &id_, &positions_);
    if (read > 0) {
      ++read_;
      return true;
    }
    if (read < 0) {
      p_ = end_;
      *bad = true;
    }
    return false;
  }
  uint32_t id() const { return static_cast<uint32_t>(id_); }
  // The current entry's positions: [positions(), positions_end()).
  const uint8_t* positions() const { return positions_; }
  const uint8_t* positions_end() const { return p_; }
  uint64_t read() const { return read_; }  // entries read so far

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  uint64_t id_ = 0;
  const uint8_t* positions_ = nullptr;
  uint64_t read_ = 0;
};

bool DecodePositions(std::string_view bytes, std::vector<uint32_t>* out) {
  out->clear();
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  Reader r(p, p + bytes.size());
  uint64_t x = 0;
  while (!r.done()) {
    uint32_t delta = 0;
    if (!r.Get(&delta, 35)) return false;
    if (!out->empty() && delta == 0) return false;
    x += delta;
    if (x > UINT32_MAX) return false;
    out->push_back(static_cast<uint32_t>(x));
  }
  return true;
}

// One report's positions of a 4-gram, decoded as they are needed.
class PositionCursor {
 public:
  PositionCursor() = default;
  void Reset(const QuadReader& r) {
    p_ = r.positions();
    end_ = r.positions_end();
    value_ = 0;
    has_ = false;
  }
  // Moves to the next position; false at the end (or on damage, which
  // sets *bad: a varint cut short, or a position repeated).
  bool Next(bool* bad) {
    if (p_ >= end_) return false;
    uint32_t delta = 0;
    const uint8_t* q = GetVarint<uint32_t, 5>(p_, end_, &delta);
    if (q == nullptr || (has_ && delta == 0)) {
      *bad = true;
      return false;
    }
    p_ = q;
    value_ += delta;
    has_ = true;
    return true;
  }
  // Moves to the first position >= target (the current one if it is);
  // false at the end (or on damage).
  bool SeekTo(uint64_t target, bool* bad) {
    while (!has_ || value_ < target) {
      if (!Next(bad)) return false;
    }
    return true;
  }
  uint64_t value() const { return value_; }

 private:
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  uint64_t value_ = 0;
  bool has_ = false;
};

// Whether the readers' current entries (one report) line up: some
// position p of the first 4-gram has each other one at p + offsets[k].
// A leapfrog, as the walk over the reports: each list in turn moves to
// the first position that could start the phrase at or after the latest
// start any list allows, so that every position is decoded at most once.
// `cursors` is scratch of the readers' size.
bool LinesUp(const std::vector<QuadReader>& readers, const std::vector<size_t>& offsets,
             std::vector<PositionCursor>* cursors, bool* bad) {
  const size_t n = readers.size();
  PositionCursor* c = cursors->data();
  for (size_t k = 0; k < n; ++k) c[k].Reset(readers[k]);
  if (!c[0].Next(bad)) return false;
  uint64_t start = c[0].value();  // offsets[0] is 0
  size_t agreed = 1;
  for (size_t k = 1; agreed < n; k = k + 1 == n ? 0 : k + 1) {
    if (!c[k].SeekTo(start + offsets[k], bad)) return false;
    const uint64_t at = c[k].value() - offsets[k];  // >= start
    if (at > start) {
      start = at;
      agreed = 1;
    } else {
      ++agreed;
    }
  }
  return true;
}

// LinesUp for two 4-grams, the second at offset d (phrases of five to
// eight characters), on the entries' position bytes [a, a_end) and
// [b, b_end): the same leapfrog with both cursors in locals.
bool PairLinesUp(const uint8_t* a, const uint8_t* a_end, const uint8_t* b, const uint8_t* b_end,
                 uint64_t d, bool* bad) {
  uint64_t pa = 0, pb = 0, delta = 0;
  a = GetVarint<uint64_t, 5>(a, a_end, &pa);
  b = a == nullptr ? nullptr : GetVarint<uint64_t, 5>(b, b_end, &pb);
  if (b == nullptr) {
    *bad = true;
    return false;
  }
  for (;;) {
    // The second's first position at or after pa + d.
    while (pb < pa + d) {
      if (b >= b_end) return false;
      b = GetVarint<uint64_t, 5>(b, b_end, &delta);
      if (b == nullptr || delta == 0) {
        *bad = true;
        return false;
      }
      pb += delta;
    }
    if (pb == pa + d) return true;
    // The first's first position at or after pb - d (> pa).
    while (pa + d < pb) {
      if (a >= a_end) return false;
      a = GetVarint<uint64_t, 5>(a, a_end, &delta);
      if (a == nullptr || delta == 0) {
        *bad = true;
        return false;
      }
      pa += delta;
    }
    if (pa + d == pb) return true;
  }
}

// The result of WalkPair.
struct PairWalk {
  size_t matched = 0;               // ids written
  uint64_t read_a = 0, read_b = 0;  // entries read of each list
  bool bad = false;                 // a list is damaged (or matches more than `most`)
  bool bad_positions = false;       // a position list is damaged
};

// Match's lockstep walk for two 4-grams, the second at offset d (phrases
// of five to eight characters), with both lists' state in locals: the
// matching ids into out (at most `most` of them).
PairWalk WalkPair(std::string_view list_a, std::string_view list_b, uint64_t d, uint32_t* out,
                  size_t most) {
  PairWalk w;
  const auto* pa = reinterpret_cast<const uint8_t*>(list_a.data());
  const auto* pb = reinterpret_cast<const uint8_t*>(list_b.data());
  const uint8_t* const ea = pa + list_a.size();
  const uint8_t* const eb = pb + list_b.size();
  uint64_t ida = 0, idb = 0;
  const uint8_t* posa = nullptr;
  const uint8_t* posb = nullptr;
  int ra = NextQuad(&pa, ea, &ida, &posa);
  int rb = ra > 0 ? NextQuad(&pb, eb, &idb, &posb) : 0;
  w.read_a += ra > 0;
  w.read_b += rb > 0;
  while (ra > 0 && rb > 0) {
    if (ida < idb) {
      ra = NextQuad(&pa, ea, &ida, &posa);
      w.read_a += ra > 0;
      continue;
    }
    if (idb < ida) {
      rb = NextQuad(&pb, eb, &idb, &posb);
      w.read_b += rb > 0;
      continue;
    }
    if (PairLinesUp(posa, pa, posb, pb, d, &w.bad_positions)) {
      if (w.matched == most) {
        w.bad = true;
        return w;
      }
      out[w.matched++] = static_cast<uint32_t>(ida);
    }
    if (w.bad_positions) return w;
    ra = NextQuad(&pa, ea, &ida, &posa);
    rb = ra > 0 ? NextQuad(&pb, eb, &idb, &posb) : 0;
    w.read_a += ra > 0;
    w.read_b += rb > 0;
  }
  w.bad = ra < 0 || rb < 0;
  return w;
}

}  // namespace

Status LiteralSegment::Match(std::u32string_view folded, std::vector<uint32_t>* ids) const {
  ids->clear();
  const size_t len = folded.size();
  if (len == 0) return Status::Ok();
  std::string_view list;
  uint32_t count = 0;
  bool found = false;
  if (len < static_cast<size_t>(kMaxGram)) {
    const GramKey key = MakeGramKey(folded.data(), static_cast<int>(len));
    BAOGAO_RETURN_IF_ERROR(Find(key, &list, &count, &found));
    if (!found) return Status::Ok();
    if (!DecodeIds(list, KindOf(key), count, ids)) {
      ids->clear();
      return Corrupt("report list");
    }
    return Status::Ok();
  }
  std::vector<size_t> offsets;
  for (size_t o = 0; o + kMaxGram <= len; o += kMaxGram) offsets.push_back(o);
  if (offsets.back() != len - kMaxGram) offsets.push_back(len - kMaxGram);
  if (offsets.size() == 1) {  // four characters: one list
    BAOGAO_RETURN_IF_ERROR(Find(MakeGramKey(folded.data(), kMaxGram), &list, &count, &found));
    if (!found) return Status::Ok();
    if (!DecodeIds(list, ListKind::kPositions, count, ids)) {
      ids->clear();
      return Corrupt("report list");
    }
    return Status::Ok();
  }
  // Walk the covering 4-grams' lists in lockstep, without decoding them
  // into vectors: a report in every list matches if some position of the
  // first 4-gram has each other one at its offset. Positions are decoded
  // lazily and the check stops at the first such position.
  std::vector<std::string_view> lists;
  std::vector<uint32_t> counts;
  for (size_t k = 0; k < offsets.size(); ++k) {
    BAOGAO_RETURN_IF_ERROR(
        Find(MakeGramKey(folded.data() + offsets[k], kMaxGram), &list, &count, &found));
    if (!found) return Status::Ok();
    lists.push_back(list);
    counts.push_back(count);
  }
  const size_t n = lists.size();
  // The matches are written into ids, sized for the shortest list (each
  // entry takes three bytes or more, whatever its count claims), and cut
  // to size at the end.
  size_t most = SIZE_MAX;
  for (size_t k = 0; k < n; ++k) {
    most = std::min({most, static_cast<size_t>(counts[k]), lists[k].size() / 3});
  }
  ids->resize(most);
  uint32_t* const out = ids->data();
  size_t matched = 0;
  bool bad = false, bad_positions = false;
  if (n == 2) {  // the common case
    const PairWalk w = WalkPair(lists[0], lists[1], offsets[1], out, most);
    matched = w.matched;
    bad = w.bad || w.read_a > counts[0] || w.read_b > counts[1];
    bad_positions = w.bad_positions;
  } else {
    std::vector<QuadReader> readers(lists.begin(), lists.end());
    std::vector<PositionCursor> cursors(n);
    bool more = true;
    for (size_t k = 0; k < n && more; ++k) more = readers[k].Next(&bad);
    while (more) {
      // Bring every list to one id, round the lists: `agreed` lists in a
      // row are at `target`.
      uint32_t target = readers[0].id();
      size_t agreed = 1;
      for (size_t k = 1; agreed < n; k = k + 1 == n ? 0 : k + 1) {
        QuadReader& r = readers[k];
        while (r.id() < target) {
          if (!r.Next(&bad)) {
            more = false;
            break;
          }
        }
        if (!more) break;
        if (r.id() > target) {
          target = r.id();
          agreed = 1;
        } else {
          ++agreed;
        }
      }
      if (!more) break;
      // Every list is at `target`.
      if (LinesUp(readers, offsets, &cursors, &bad_positions)) {
        if (matched == most) {
          bad = true;
          break;
        }
        out[matched++] = target;
      }
      if (bad_positions) break;
      more = readers[0].Next(&bad);
    }
    // The walk stops where the first list to end ends: what is left of
    // the others cannot match, and their bytes passed their chunks'
    // checksums. A list that holds more reports than its count says is
    // damaged.
    for (size_t k = 0; k < n; ++k) {
      if (readers[k].read() > counts[k]) bad = true;
    }
  }
  ids->resize(matched);
  if (bad || bad_positions) {
    ids->clear();
    return Corrupt(bad ? "report list" : "positions");
  }
  return Status::Ok();
}

Status LiteralSegment::Counts(GramKey key, std::vector<uint32_t>* ids,
                              std::vector<uint32_t>* counts) const {
  ids->clear();
  counts->clear();
  size_t n = 0;
  const Status status = CountsInto(key, ids, counts, &n);
  ids->resize(n);  // none on an error
  counts->resize(n);
  return status;
}

Status LiteralSegment::CountsInto(GramKey key, std::vector<uint32_t>* ids,
                                  std::vector<uint32_t>* counts, size_t* n) const {
  *n = 0;
  if (KindOf(key) != ListKind::kCounts) {
    return Status::InvalidArgument("literal segment: not a character's or a word's key");
  }
  std::string_view list;
  uint32_t count = 0;
  bool found = false;
  BAOGAO_RETURN_IF_ERROR(Find(key, &list, &count, &found));
  if (!found) return Status::Ok();
  // Each entry takes two bytes or more, whatever the count claims.
  if (count > list.size() / 2) return Corrupt("report list");
  if (ids->size() < count) ids->resize(count);
  if (counts->size() < count) counts->resize(count);
  if (!DecodeList<ListKind::kCounts>(list, count, ids->data(), counts->data())) {
    return Corrupt("report list");
  }
  *n = count;
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// LiteralIndex

namespace {

constexpr std::string_view kManifestHeader = "baogao-literal 1";

bool ParseUint(std::string_view s, uint64_t* v) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t x = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    x = x * 10 + static_cast<uint64_t>(c - '0');
  }
  *v = x;
  return true;
}

bool IsSegmentFile(std::string_view name) {
  uint64_t n = 0;
  return name.starts_with("seg-") && name.ends_with(".lit") &&
         ParseUint(name.substr(4, name.size() - 8), &n);
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::NotFound(path + ": no literal index manifest");
    return Status::IoError(path + ": " + std::strerror(errno));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Removes from `ids` (ascending) those in `deleted` (ascending).
void Subtract(std::vector<uint32_t>* ids, const std::vector<uint32_t>& deleted) {
  if (deleted.empty()) return;
  size_t w = 0, j = 0;
  for (uint32_t id : *ids) {
    while (j < deleted.size() && deleted[j] < id) ++j;
    if (j < deleted.size() && deleted[j] == id) continue;
    (*ids)[w++] = id;
  }
  ids->resize(w);
}

}  // namespace

std::string LiteralPath(const std::string& generation) { return generation + "/literal"; }

Status LiteralIndex::Create(const std::string& dir, const std::vector<std::string>& segment_files,
                            int64_t sequence) {
  std::error_code ec;
  if (!std::filesystem::create_directory(dir, ec)) {
    return Status::IoError(
        dir + ": cannot create the literal index: " + (ec ? ec.message() : "it exists"));
  }
  LiteralIndex index(dir);
  for (const std::string& from : segment_files) {
    const std::string file = "seg-" + std::to_string(index.next_++) + ".lit";
    if (::rename(from.c_str(), (dir + "/" + file).c_str()) != 0) {
      return Status::IoError(from + ": cannot move into " + dir + ": " + std::strerror(errno));
    }
    Segment s;
    s.file = file;
    index.segments_.push_back(std::move(s));
  }
  index.sequence_ = sequence;
  return index.WriteManifest();
}

Result<std::unique_ptr<LiteralIndex>> LiteralIndex::Open(const std::string& dir, bool create) {
  std::unique_ptr<LiteralIndex> index(new LiteralIndex(dir));
  const std::string manifest = dir + "/MANIFEST";
  if (create && !std::filesystem::exists(manifest)) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IoError(dir + ": " + ec.message());
    BAOGAO_RETURN_IF_ERROR(index->WriteManifest());
  }
  BAOGAO_RETURN_IF_ERROR(index->Load());
  return index;
}

int64_t LiteralIndex::report_count() const {
  int64_t n = 0;
  for (const Segment& s : segments_) {
    n += static_cast<int64_t>(s.segment->report_count()) - static_cast<int64_t>(s.deleted.size());
  }
  return n;
}

Status LiteralIndex::WriteManifest() {
  std::string text(kManifestHeader);
  text += "\nsequence " + std::to_string(sequence_) + "\nnext " + std::to_string(next_) + "\n";
  for (const Segment& s : segments_) {
    text += "segment " + s.file + " ";
    if (s.deleted.empty()) text += "-";
    for (size_t i = 0; i < s.deleted.size(); ++i) {
      if (i > 0) text += ",";
      text += std::to_string(s.deleted[i]);
    }
    text += "\n";
  }
  BAOGAO_RETURN_IF_ERROR(WriteFileAtomically(dir_ + "/MANIFEST", text, "literal index manifest"));
  manifest_text_ = std::move(text);
  total_length_ = -1;
  norms_.clear();
  attrs_.clear();
  attrs_loaded_ = false;
  return Status::Ok();
}

Status LiteralIndex::Load() {
  const std::string path = dir_ + "/MANIFEST";
  // A merge may remove a segment between our reading the manifest and
  // opening the segment: read the manifest again then.
  for (int attempt = 0;; ++attempt) {
    BAOGAO_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
    if (text == manifest_text_ && !manifest_text_.empty()) return Status::Ok();
    auto corrupt = [&](std::string_view what) {
      return Status::Corrupt(path + ": damaged literal index manifest (" + std::string(what) +
                             "); run `baogao reindex`");
    };
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != kManifestHeader) return corrupt("first line");
    int64_t sequence = -1;
    uint64_t next = 0;
    std::vector<Segment> segments;
    std::map<std::string, const Segment*> open;
    for (const Segment& s : segments_) open[s.file] = &s;
    Status missing;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string kind, a, b, extra;
      fields >> kind >> a >> b;
      if (fields >> extra) return corrupt("extra field");
      uint64_t v = 0;
      if (kind == "sequence" && b.empty() && ParseUint(a, &v) && v <= INT64_MAX) {
        sequence = static_cast<int64_t>(v);
      } else if (kind == "next" && b.empty() && ParseUint(a, &next)) {
      } else if (kind == "segment" && IsSegmentFile(a) && !b.empty()) {
        Segment s;
        s.file = a;
        if (b != "-") {
          std::string_view rest = b;
          while (!rest.empty()) {
            const size_t comma = rest.find(',');
            if (!ParseUint(rest.substr(0, comma), &v) || v == 0 || v > UINT32_MAX ||
                (!s.deleted.empty() && v <= s.deleted.back())) {
              return corrupt("deleted ids of " + a);
            }
            s.deleted.push_back(static_cast<uint32_t>(v));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
          }
        }
        if (auto it = open.find(a); it != open.end()) {
          s.segment = it->second->segment;
        } else {
          auto seg = LiteralSegment::Open(dir_ + "/" + a);
          if (!seg.ok()) {
            if (seg.status().code() != StatusCode::kNotFound) return seg.status();
            missing = seg.status();
            break;
          }
          s.segment = std::move(*seg);
        }
        if (s.deleted.size() > s.segment->report_count()) return corrupt("deleted ids of " + a);
        segments.push_back(std::move(s));
      } else {
        return corrupt("line '" + line.substr(0, 80) + "'");
      }
    }
    if (!missing.ok()) {
      if (attempt < 3) continue;
      return Status::Corrupt(missing.message() + ", which the manifest names");
    }
    if (sequence < 0 || next == 0) return corrupt("sequence or next");
    sequence_ = sequence;
    next_ = next;
    segments_ = std::move(segments);
    manifest_text_ = std::move(text);
    total_length_ = -1;
    norms_.clear();
    attrs_.clear();
    attrs_loaded_ = false;
    return Status::Ok();
  }
}

Status LiteralIndex::Refresh() { return Load(); }

Status LiteralIndex::LoadIds(const Segment& s) const {
  if (s.ids_loaded) return Status::Ok();
  BAOGAO_RETURN_IF_ERROR(s.segment->Ids(&s.ids, &s.lengths, &s.attrs));
  s.ids_loaded = true;
  return Status::Ok();
}

Status LiteralIndex::Match(std::u32string_view folded, std::vector<uint32_t>* ids) const {
  ids->clear();
  for (const Segment& s : segments_) {
    // The first segment's matches go straight into ids.
    std::vector<uint32_t>& part = ids->empty() ? *ids : match_part_;
    BAOGAO_RETURN_IF_ERROR(s.segment->Match(folded, &part));
    Subtract(&part, s.deleted);
    if (&part == ids || part.empty()) continue;
    const size_t mid = ids->size();
    ids->insert(ids->end(), part.begin(), part.end());
    // Segments of ascending, disjoint id ranges (a rebuild's) need no merge.
    if (mid > 0 && (*ids)[mid - 1] > (*ids)[mid]) {
      std::inplace_merge(ids->begin(), ids->begin() + static_cast<ptrdiff_t>(mid), ids->end());
    }
  }
  return Status::Ok();
}

Status LiteralIndex::Totals(int64_t* reports, int64_t* length) const {
  if (total_length_ < 0) {
    int64_t total = 0;
    for (const Segment& s : segments_) {
      total += static_cast<int64_t>(s.segment->total_length());
      if (s.deleted.empty()) continue;
      BAOGAO_RETURN_IF_ERROR(LoadIds(s));
      for (uint32_t id : s.deleted) {
        const auto it = std::lower_bound(s.ids.begin(), s.ids.end(), id);
        if (it != s.ids.end() && *it == id)
          total -= s.lengths[static_cast<size_t>(it - s.ids.begin())];
      }
    }
    total_length_ = total;
  }
  *reports = report_count();
  *length = total_length_;
  return Status::Ok();
}

namespace {

// BM25's parameters, as Xapian's BM25Weight has them by default.
constexpr double kK1 = 1.0, kB = 0.5, kMinNorm = 0.5;

}  // namespace

Status LiteralIndex::LoadNorms() const {
  if (!norms_.empty()) return Status::Ok();
  int64_t reports = 0, length = 0;
  BAOGAO_RETURN_IF_ERROR(Totals(&reports, &length));
  const double average =
      reports > 0 && length > 0 ? static_cast<double>(length) / static_cast<double>(reports) : 1.0;
  uint32_t largest = 0;
  for (const Segment& s : segments_) {
    BAOGAO_RETURN_IF_ERROR(LoadIds(s));
    if (!s.ids.empty()) largest = std::max(largest, s.ids.back());
  }
  norms_.assign(static_cast<size_t>(largest) + 1, static_cast<float>(kK1));
  for (const Segment& s : segments_) {
    size_t d = 0;
    for (size_t i = 0; i < s.ids.size(); ++i) {
      while (d < s.deleted.size() && s.deleted[d] < s.ids[i]) ++d;
      if (d < s.deleted.size() && s.deleted[d] == s.ids[i]) continue;
      const double norm = std::max(static_cast<double>(s.lengths[i]) / average, kMinNorm);
      norms_[s.ids[i]] = static_cast<float>(kK1 * ((1 - kB) + kB * norm));
    }
  }
  return Status::Ok();
}

Status LiteralIndex::AttrsById(const std::vector<ReportAttrs>** by_id) const {
  if (!attrs_loaded_) {
    attrs_.clear();
    for (const Segment& s : segments_) {
      BAOGAO_RETURN_IF_ERROR(LoadIds(s));
      size_t d = 0;
      for (size_t i = 0; i < s.ids.size(); ++i) {
        while (d < s.deleted.size() && s.deleted[d] < s.ids[i]) ++d;
        if (d < s.deleted.size() && s.deleted[d] == s.ids[i]) continue;
        if (attrs_.size() <= s.ids[i]) attrs_.resize(s.ids[i] + size_t{1});
        attrs_[s.ids[i]] = s.attrs[i];
      }
    }
    attrs_loaded_ = true;
  }
  *by_id = &attrs_;
  return Status::Ok();
}

Status LiteralIndex::AddBm25(GramKey key, double factor, std::vector<float>* scores,
                             std::vector<uint32_t>* live) const {
  if (live != nullptr) live->clear();
  BAOGAO_RETURN_IF_ERROR(LoadNorms());
  if (scores->size() < norms_.size()) scores->resize(norms_.size(), 0.0f);
  const Status damaged(StatusCode::kCorrupt,
                       dir_ + ": damaged word list in a literal segment; run `baogao reindex`");
  // Each segment's list, and n: the live reports in them.
  list_ids_.resize(segments_.size());
  list_counts_.resize(segments_.size());
  list_sizes_.resize(segments_.size());
  std::vector<uint32_t>* const ids = list_ids_.data();
  std::vector<uint32_t>* const counts = list_counts_.data();
  size_t* const sizes = list_sizes_.data();
  uint64_t n = 0;
  for (size_t k = 0; k < segments_.size(); ++k) {
    const Segment& s = segments_[k];
    BAOGAO_RETURN_IF_ERROR(s.segment->CountsInto(key, &ids[k], &counts[k], &sizes[k]));
    if (sizes[k] > 0 && ids[k][sizes[k] - 1] >= norms_.size()) return damaged;
    n += sizes[k];
    const auto end = ids[k].begin() + static_cast<ptrdiff_t>(sizes[k]);
    for (uint32_t id : s.deleted) {
      n -= std::binary_search(ids[k].begin(), end, id) ? 1 : 0;
    }
  }
  if (n == 0) return Status::Ok();
  const double reports = static_cast<double>(report_count());
  const double dn = static_cast<double>(n);
  const float scale = static_cast<float>(
      factor * (kK1 + 1) * std::log(1.0 + std::max(reports - dn + 0.5, 0.0) / (dn + 0.5)));
  float* const out = scores->data();
  const float* const norms = norms_.data();
  for (size_t k = 0; k < segments_.size(); ++k) {
    const Segment& s = segments_[k];
    const uint32_t* id = ids[k].data();
    const uint32_t* count = counts[k].data();
    const size_t size = sizes[k];
    if (s.deleted.empty()) {
      for (size_t i = 0; i < size; ++i) {
        const float tf = static_cast<float>(count[i]);
        out[id[i]] += scale * tf / (norms[id[i]] + tf);
      }
      if (live != nullptr) live->insert(live->end(), id, id + size);
      continue;
    }
    size_t d = 0;
    for (size_t i = 0; i < size; ++i) {
      while (d < s.deleted.size() && s.deleted[d] < id[i]) ++d;
      if (d < s.deleted.size() && s.deleted[d] == id[i]) continue;
      const float tf = static_cast<float>(count[i]);
      out[id[i]] += scale * tf / (norms[id[i]] + tf);
      if (live != nullptr) live->push_back(id[i]);
    }
  }
  // Segments with interleaved ids (a report replaced later lives in a newer
  // one): order them.
  if (live != nullptr && !std::is_sorted(live->begin(), live->end())) {
    std::sort(live->begin(), live->end());
  }
  return Status::Ok();
}

Status LiteralIndex::Dump(std::string* out) const {
  std::vector<std::string> lines;
  std::vector<uint32_t> positions;
  for (const Segment& s : segments_) {
    BAOGAO_RETURN_IF_ERROR(s.segment->ForEachList([&](GramKey key, std::string_view list,
                                                      uint32_t) -> Status {
      char hex[40];
      std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(key >> 64),
                    static_cast<unsigned long long>(key));
      const ListKind kind = KindOf(key);
      ListReader r(list, kind);
      bool bad = false;
      while (r.Next(&bad)) {
        if (std::binary_search(s.deleted.begin(), s.deleted.end(), r.id())) continue;
        std::string line = std::string(hex) + " " + std::to_string(r.id());
        if (kind == ListKind::kCounts) line += " x" + std::to_string(r.count());
        if (!DecodePositions(r.positions(), &positions)) bad = true;
        for (uint32_t x : positions) line += " " + std::to_string(x);
        lines.push_back(std::move(line));
      }
      if (bad) return Status::Corrupt(dir_ + ": damaged literal segment " + s.file);
      return Status::Ok();
    }));
  }
  for (const Segment& s : segments_) {
    BAOGAO_RETURN_IF_ERROR(LoadIds(s));
    for (size_t i = 0; i < s.ids.size(); ++i) {
      if (std::binary_search(s.deleted.begin(), s.deleted.end(), s.ids[i])) continue;
      lines.push_back("report " + std::to_string(s.ids[i]) + " length " +
                      std::to_string(s.lengths[i]));
    }
  }
  std::sort(lines.begin(), lines.end());
  *out =
      "sequence " + std::to_string(sequence_) + " reports " + std::to_string(report_count()) + "\n";
  for (const std::string& l : lines) *out += l + "\n";
  return Status::Ok();
}

Status LiteralIndex::Commit(LiteralSegmentWriter* batch, std::span<const uint32_t> removed,
                            int64_t sequence) {
  std::vector<uint32_t> mask(batch->ids());
  mask.insert(mask.end(), removed.begin(), removed.end());
  std::sort(mask.begin(), mask.end());
  mask.erase(std::unique(mask.begin(), mask.end()), mask.end());
  for (Segment& s : segments_) {
    BAOGAO_RETURN_IF_ERROR(LoadIds(s));
    std::vector<uint32_t> add;
    std::set_intersection(mask.begin(), mask.end(), s.ids.begin(), s.ids.end(),
                          std::back_inserter(add));
    if (add.empty()) continue;
    std::vector<uint32_t> merged;
    std::set_union(s.deleted.begin(), s.deleted.end(), add.begin(), add.end(),
                   std::back_inserter(merged));
    s.deleted = std::move(merged);
  }
  if (batch->report_count() > 0) {
    Segment s;
    s.file = "seg-" + std::to_string(next_++) + ".lit";
    s.ids = batch->ids();
    s.lengths = batch->lengths();
    s.attrs = batch->attrs();
    s.ids_loaded = true;
    const std::string path = dir_ + "/" + s.file;
    BAOGAO_RETURN_IF_ERROR(batch->Finish(path));
    BAOGAO_ASSIGN_OR_RETURN(s.segment, LiteralSegment::Open(path));
    segments_.push_back(std::move(s));
  } else {
    batch->FinishToBytes();  // leaves it empty
  }
  std::vector<std::string> dropped;
  std::erase_if(segments_, [&](const Segment& s) {
    if (s.deleted.size() < s.segment->report_count()) return false;
    dropped.push_back(s.file);
    return true;
  });
  sequence_ = sequence;
  BAOGAO_RETURN_IF_ERROR(WriteManifest());
  for (const std::string& f : dropped) ::unlink((dir_ + "/" + f).c_str());
  return MergeSmall();
}

Status LiteralIndex::MergeSmall() {
  std::vector<size_t> small;
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (segments_[i].segment->report_count() < kSmallReports) small.push_back(i);
  }
  if (small.size() <= kMaxSmallSegments) return Status::Ok();
  struct Entry {
    uint32_t id, length;
    ReportAttrs attrs;
  };
  std::vector<Entry> reports;
  std::map<GramKey, std::vector<std::pair<size_t, std::string_view>>> parts;
  for (size_t k = 0; k < small.size(); ++k) {
    const Segment& s = segments_[small[k]];
    BAOGAO_RETURN_IF_ERROR(LoadIds(s));
    for (size_t i = 0; i < s.ids.size(); ++i) {
      if (!std::binary_search(s.deleted.begin(), s.deleted.end(), s.ids[i])) {
        reports.push_back(Entry{s.ids[i], s.lengths[i], s.attrs[i]});
      }
    }
    BAOGAO_RETURN_IF_ERROR(
        s.segment->ForEachList([&](GramKey key, std::string_view list, uint32_t) -> Status {
          parts[key].emplace_back(k, list);
          return Status::Ok();
        }));
  }
  std::sort(reports.begin(), reports.end(),
            [](const Entry& a, const Entry& b) { return a.id < b.id; });
  std::vector<uint32_t> ids, lengths;
  std::vector<ReportAttrs> attrs;
  for (const Entry& e : reports) {
    ids.push_back(e.id);
    lengths.push_back(e.length);
    attrs.push_back(e.attrs);
  }
  std::vector<KeyList> lists;
  std::deque<std::string> storage;  // the lists' bytes (a deque never moves them)
  std::vector<std::pair<uint32_t, std::string_view>> entries;
  const Status damaged =
      Status::Corrupt(dir_ + ": damaged literal segment while merging; run `baogao reindex`");
  for (const auto& [key, from] : parts) {
    const ListKind kind = KindOf(key);
    entries.clear();
    for (const auto& [k, list] : from) {
      const std::vector<uint32_t>& deleted = segments_[small[k]].deleted;
      ListReader r(list, kind);
      bool bad = false;
      while (r.Next(&bad)) {
        if (std::binary_search(deleted.begin(), deleted.end(), r.id())) continue;
        entries.emplace_back(r.id(), r.tail());
      }
      if (bad) return damaged;
    }
    if (entries.empty()) continue;
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string& bytes = storage.emplace_back();
    uint32_t prev = 0;
    for (const auto& [id, tail] : entries) {
      if (id == prev) return damaged;  // a report live in two segments
      PutVarint(id - prev, &bytes);
      bytes += tail;
      prev = id;
    }
    lists.push_back(KeyList{key, bytes, static_cast<uint32_t>(entries.size())});
  }
  Segment merged;
  merged.file = "seg-" + std::to_string(next_++) + ".lit";
  const std::string path = dir_ + "/" + merged.file;
  BAOGAO_RETURN_IF_ERROR(WriteFileAtomically(
      path, AssembleLiteralSegment(ids, lengths, attrs, lists), "literal segment"));
  BAOGAO_ASSIGN_OR_RETURN(merged.segment, LiteralSegment::Open(path));
  merged.ids = std::move(ids);
  merged.lengths = std::move(lengths);
  merged.attrs = std::move(attrs);
  merged.ids_loaded = true;
  std::vector<std::string> dropped;
  std::vector<Segment> kept;
  for (size_t i = 0, k = 0; i < segments_.size(); ++i) {
    if (k < small.size() && small[k] == i) {
      dropped.push_back(segments_[i].file);
      ++k;
    } else {
      kept.push_back(std::move(segments_[i]));
    }
  }
  if (merged.segment->report_count() > 0) {
    kept.push_back(std::move(merged));
  } else {
    dropped.push_back(merged.file);
  }
  segments_ = std::move(kept);
  BAOGAO_RETURN_IF_ERROR(WriteManifest());
  for (const std::string& f : dropped) ::unlink((dir_ + "/" + f).c_str());
  return Status::Ok();
}

}  // namespace baogao::search::internal
