// The literal layer of our own index (docs/design.md "An index of our own
// for the literal layer"): which reports contain a folded string, exactly,
// and how often each contains a character (which ranks a 1-character
// query), without Xapian.
//
// A segment holds, for the reports added to it (each a list of folded
// texts: title, paragraphs; no occurrence spans two texts):
//   - every report's length in characters (all its texts), and what the
//     searcher filters by (ReportAttrs): region, year, level, type;
//   - every distinct character: the ids of the reports containing it, each
//     with the number of occurrences;
//   - every distinct 2- and 3-character gram: the ids of the reports
//     containing it;
//   - every 4-character gram: the ids, each with the gram's positions;
//   - every word of the reports' titles, and every word of two or more
//     characters of their bodies, as the segmenter cuts them (one list per
//     word and place): the ids, each with the number of occurrences. These
//     rank (docs/design.md "Ranking with lists of our own").
// A string of 1–4 characters is answered by one list; a longer one by the
// 4-grams covering it (offsets 0, 4, …, L − 4) whose positions line up.
// Both are exact. Invalid-byte units (text/text.h) are keyed as U+FFFD, as
// the Xapian terms are.
//
// File format (little-endian), docs/search.md "Literal segments":
//   header (80 bytes): magic "BGLITSG1", u32 format version (5), u32
//     report count, u64 key count, u64 offsets of the report ids, the
//     lists, the dictionary and the block index, u64 file size, u64 sum of
//     the reports' lengths, u32 CRC-32 of every section after the header
//     but the lists (in file order), u32 CRC-32 of the header's first 76
//     bytes;
//   reports: every report added, ascending, as the varints of its id's
//     difference to the previous one, of its length, region code, year,
//     level and type (a report without text too);
//   lists: concatenated, each a run of varints: report-id delta and
//     occurrence count (1 character, a word), report-id deltas (2–3
//     characters),
//     or report-id delta, byte length of the positions, position deltas
//     (4 characters);
//   dictionary: blocks of up to kLiteralBlockKeys keys, each key as the varint of
//     its difference to the previous key of the block (the first: to 0),
//     the varint of its list's length in bytes and of its report count;
//   block index: per block, its first key (two u64), the offset of the
//     block in the dictionary and of its first list in the lists (u64);
//   chunk table: the CRC-32 (u32) of every 64 KiB of the lists (the last
//     chunk shorter).
// Open() checks the header, the sections but the lists and the chunk
// table, so a damaged file is refused with kCorrupt naming it; a chunk of
// the lists is checked the first time a list in it is read (a segment of
// 100,000 reports is 1.3 GB of lists: reading them all made every open
// take a second). Decoding is bounds-checked anyway.
//
// Thread-safety: a LiteralSegment is immutable after Open() but for its
// atomic flags of checked chunks; Match() may run on any number of threads
// at once.
#ifndef BAOGAO_SEARCH_INTERNAL_LITERAL_H_
#define BAOGAO_SEARCH_INTERNAL_LITERAL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace baogao::search::internal {

// A gram of 1–4 characters: its length and 21 bits per character.
__extension__ typedef unsigned __int128 GramKey;
GramKey MakeGramKey(const char32_t* chars, int n);
// A word's key (`title`: a word of a title, else of a body): bit 127 set,
// bit 126 for a title, bits 120–122 the length for a word of 1–5
// characters (21 bits per character below), 7 for a longer one (its
// length in bits 64–95, a 64-bit hash of its characters below). Word keys
// sort after every gram's.
GramKey MakeWordKey(std::u32string_view word, bool title);
GramKey MakeWordKey(std::string_view utf8_word, bool title);  // the same, from UTF-8
inline bool IsWordKey(GramKey key) { return (key >> 127) != 0; }

// What the searcher filters a report by without Xapian (docs/search.md
// "Filters"): its region code (report::RegionCode's value; 0: none), year,
// level (report::AdminLevel) and type (report::ReportType).
struct ReportAttrs {
  uint32_t region = 0;
  uint32_t year = 0;
  uint8_t level = 0;
  uint8_t type = 0;
  friend bool operator==(const ReportAttrs&, const ReportAttrs&) = default;
};

// A word of a report and how often it occurs there.
struct WordCount {
  GramKey key = 0;
  uint32_t count = 0;
};

inline constexpr uint32_t kLiteralBlockKeys = 64;  // keys per dictionary block

// One gram's list, encoded as in the file.
struct KeyList {
  GramKey key = 0;
  std::string_view bytes;
  uint32_t count = 0;  // reports in the list
};
// The bytes of a segment of the reports `ids` (ascending), of `lengths`
// and `attrs`,
// with `lists` (ascending keys). The writer and the merge of segments use
// it.
std::string AssembleLiteralSegment(const std::vector<uint32_t>& ids,
                                   const std::vector<uint32_t>& lengths,
                                   const std::vector<ReportAttrs>& attrs,
                                   const std::vector<KeyList>& lists);

class LiteralSegmentWriter {
 public:
  LiteralSegmentWriter() = default;
  ~LiteralSegmentWriter();
  LiteralSegmentWriter(const LiteralSegmentWriter&) = delete;
  LiteralSegmentWriter& operator=(const LiteralSegmentWriter&) = delete;

  // Adds report `id` (> 0, greater than every id added before) made of
  // `texts`, folded (text/fold.h), with its `words` (distinct keys, from
  // MakeWordKey) and `attrs`. kInvalidArgument for an id out of order or a
  // report of more than 2^32 − 2 characters.
  Status Add(uint32_t id, std::span<const std::u32string> texts,
             std::span<const WordCount> words = {}, const ReportAttrs& attrs = {});
  // Writes the segment to `path` (through `path`.tmp, fsynced, renamed).
  // The writer is empty afterwards.
  Status Finish(const std::string& path);
  // The segment's bytes, for tests and the fuzz seed. The writer is empty
  // afterwards.
  std::string FinishToBytes();

  uint32_t report_count() const { return static_cast<uint32_t>(ids_.size()); }
  // The ids added so far, ascending, and their reports' lengths.
  const std::vector<uint32_t>& ids() const { return ids_; }
  const std::vector<uint32_t>& lengths() const { return lengths_; }
  const std::vector<ReportAttrs>& attrs() const { return attrs_; }

 private:
  // One gram's list so far, in a buffer of its own (malloc'd: appending a
  // few bytes to a std::string cost a call to memcpy each time).
  struct List {
    char* data = nullptr;
    size_t size = 0, capacity = 0;
    uint32_t last_id = 0;  // the last id written
    uint32_t count = 0;
  };
  void FreeLists();
  // A slot of the table of the segment's grams (open addressing, at most
  // half full): the gram's key, its list's number + 1 (0: an empty slot),
  // the id of the last report whose grams touched it (the report being
  // added, while it is) and its number among that report's characters or
  // 4-grams. One cache line answers both "which list" and "seen already".
  struct Slot {
    uint64_t lo = 0, hi = 0;
    uint32_t list = 0;
    uint32_t seen = 0;
    uint32_t local = 0;
  };
  static uint64_t Hash(uint64_t lo, uint64_t hi) {
    return (lo ^ hi * 0xC2B2AE3D27D4EB4FULL) * 0x9E3779B97F4A7C15ULL;
  }
  // One gram of the text being added: its key's halves, its home slot,
  // position and length.
  struct Gram {
    uint64_t lo, hi;
    size_t slot;
    uint32_t pos;
    uint8_t n;
  };
  // Grows the table until `more` new keys fit.
  void Reserve(size_t more);
  void Grow();
  // The slot of `g`'s key, which gets a new list if it has none yet (the
  // table must have room: Reserve). The reference lasts until Reserve.
  Slot& Probe(const Gram& g);
  // Counts an occurrence of `s`'s gram in report `id`: the first one adds
  // the gram's list to `lists` (its place becomes s->local) and a 0 to
  // `counts`.
  static void Count(Slot* s, uint32_t id, std::vector<uint32_t>* lists,
                    std::vector<uint32_t>* counts);
  // Appends report `id` and the `n` bytes at `tail` to list `list` (+ 1).
  void Append(uint32_t list, uint32_t id, const char* tail, size_t n);

  std::vector<Slot> slots_;
  int shift_ = 64;
  std::vector<List> lists_;
  // The report being added: its distinct characters (lists, first seen
  // first) and how often each occurs; its distinct 4-grams, how often each
  // occurs, and every occurrence as (gram's local number, position), in
  // position order; then the positions grouped by gram (a counting sort,
  // which keeps them ascending).
  std::vector<uint32_t> char_lists_;
  std::vector<uint32_t> char_counts_;
  std::vector<uint32_t> quad_lists_;
  std::vector<uint32_t> quad_start_;
  std::vector<std::pair<uint32_t, uint32_t>> quad_;
  std::vector<uint32_t> grouped_;
  std::vector<uint32_t> cursor_;
  std::vector<Gram> grams_;
  std::vector<uint32_t> word_lists_;  // the report's words' lists (+ 1)
  std::string scratch_;
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> lengths_;
  std::vector<ReportAttrs> attrs_;
  uint32_t last_id_ = 0;
};

class LiteralSegment {
 public:
  // Maps the segment at `path`. kNotFound if it does not exist; kCorrupt
  // (naming the path and what is wrong) for a file that is not a segment,
  // another format version, or damaged; kIoError otherwise.
  static Result<std::unique_ptr<LiteralSegment>> Open(const std::string& path);
  // A segment from bytes in memory; `name` stands for the path in errors.
  static Result<std::unique_ptr<LiteralSegment>> FromBytes(std::string bytes,
                                                           const std::string& name);
  ~LiteralSegment();
  LiteralSegment(const LiteralSegment&) = delete;
  LiteralSegment& operator=(const LiteralSegment&) = delete;

  // The ids, ascending, of the reports whose texts contain `folded` (the
  // query folded as the texts were); empty for an empty string. kCorrupt
  // if a list turns out damaged.
  Status Match(std::u32string_view folded, std::vector<uint32_t>* ids) const;

  // The list of `key` (a character's or a word's; kInvalidArgument for
  // another's): its report ids, ascending, and their counts; empty if the
  // segment has none. kCorrupt if the list is damaged.
  Status Counts(GramKey key, std::vector<uint32_t>* ids, std::vector<uint32_t>* counts) const;
  // As Counts, into the first *n elements of vectors that are only ever
  // grown (reused buffers: a resize would write every element twice).
  Status CountsInto(GramKey key, std::vector<uint32_t>* ids, std::vector<uint32_t>* counts,
                    size_t* n) const;

  // The ids of the segment's reports, ascending, and (if not null) their
  // lengths and attributes.
  Status Ids(std::vector<uint32_t>* ids, std::vector<uint32_t>* lengths = nullptr,
             std::vector<ReportAttrs>* attrs = nullptr) const;
  // Calls `fn` with every gram's key, list bytes and report count, in key
  // order (each list checked against its chunks' CRCs first); stops at the
  // first error.
  Status ForEachList(const std::function<Status(GramKey, std::string_view, uint32_t)>& fn) const;
  // Checks every chunk of the lists not checked yet; kCorrupt naming the
  // first damaged one.
  Status Verify() const;

  uint32_t report_count() const { return report_count_; }
  uint64_t key_count() const { return key_count_; }
  uint64_t size_bytes() const { return size_; }
  uint64_t total_length() const { return total_length_; }

 private:
  LiteralSegment() = default;
  Status Init();
  // The list of `key`: its bytes and report count; false if absent.
  Status Find(GramKey key, std::string_view* list, uint32_t* count, bool* found) const;
  // Checks the chunks of the lists' bytes [from, to) not checked yet.
  Status CheckLists(uint64_t from, uint64_t to) const;
  Status Corrupt(std::string_view what) const;

  std::string name_;
  std::string owned_;    // FromBytes
  void* map_ = nullptr;  // Open: the mapping
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  uint32_t report_count_ = 0;
  uint64_t key_count_ = 0;
  uint64_t total_length_ = 0;
  uint64_t ids_offset_ = 0, lists_offset_ = 0, dict_offset_ = 0, index_offset_ = 0;
  uint64_t blocks_ = 0;
  uint64_t chunks_ = 0;
  const uint8_t* chunk_crcs_ = nullptr;
  // Per chunk of the lists: checked already. Set once, by any thread.
  std::unique_ptr<std::atomic<bool>[]> checked_;
};

// Recomputes the CRC-32s of segment `bytes` whose header offsets agree with
// its size (else leaves them): the fuzz target mutates segments and must
// reach the decoders behind the checksums.
void ResealLiteralSegment(std::string* bytes);

// A generation's literal layer: the segments in directory `dir` that its
// MANIFEST names, each with the ids it no longer answers for (reports
// replaced by a newer segment, or deleted), and the change-log sequence
// they contain. MANIFEST is text, replaced atomically (tmp, fsync, rename):
//   baogao-literal 1
//   sequence <n>
//   next <number of the next segment file>
//   segment <file> <deleted ids, comma-separated, or ->
// A report is live in at most one segment, so a match is the union of the
// segments' matches minus their deleted ids.
//
// One writer per directory (the caller holds the index's write lock); any
// number of readers, each with its own LiteralIndex, in any process. Not
// thread-safe: one per thread.
// Writes `bytes` to `path` through `path`.tmp, fsynced, renamed, then
// fsyncs the directory; errors name `what` ("literal segment", "index
// stub"). Used for every file of the index that is replaced whole.
Status WriteFileAtomically(const std::string& path, std::string_view bytes, std::string_view what);

// The literal layer's directory inside a generation directory.
std::string LiteralPath(const std::string& generation);

class LiteralIndex {
 public:
  // Small segments (fewer reports than this) are merged into one when there
  // are more than kMaxSmallSegments of them.
  static constexpr uint32_t kSmallReports = 20000;
  static constexpr size_t kMaxSmallSegments = 8;

  // Opens the layer in `dir`; with `create`, makes the directory and an
  // empty manifest (sequence 0) if there is none. kNotFound without one;
  // kCorrupt (naming the file) for a damaged manifest or segment.
  static Result<std::unique_ptr<LiteralIndex>> Open(const std::string& dir, bool create);
  // Makes a layer in `dir` (which must not exist) from segment files
  // written elsewhere on the same file system (moved in, in this order),
  // with `sequence`.
  static Status Create(const std::string& dir, const std::vector<std::string>& segment_files,
                       int64_t sequence);

  // The change-log sequence the layer contains.
  int64_t sequence() const { return sequence_; }
  // Reports live in the layer.
  int64_t report_count() const;
  size_t segment_count() const { return segments_.size(); }

  // Commits a batch: the reports in `batch` replace their older copies,
  // the ids in `removed` leave the layer, and the manifest records
  // `sequence`. Writes one segment (none for an empty batch), then merges
  // the small segments if there are too many. Re-applying a batch is
  // harmless. `batch` is empty afterwards.
  Status Commit(LiteralSegmentWriter* batch, std::span<const uint32_t> removed, int64_t sequence);

  // The live reports, ascending, whose texts contain `folded`.
  Status Match(std::u32string_view folded, std::vector<uint32_t>* ids) const;

  // The number of live reports and the sum of their lengths (computed once
  // per manifest).
  Status Totals(int64_t* reports, int64_t* length) const;

  // Ranking (docs/design.md "Ranking with lists of our own"): for every
  // live report in the list of `key` (a word's, MakeWordKey, or a
  // character's, MakeGramKey), adds `factor` × its BM25 weight to
  // (*scores)[id] — k1 = 1, b = 0.5, over the report's length in
  // characters (at least half the average), idf = ln(1 + (N − n + 0.5) /
  // (n + 0.5)) with n the live reports in the list. *scores is grown (with
  // zeros) to cover every live id; *live (if not null) gets the reports
  // weighed, ascending. kCorrupt if a list turns out damaged.
  Status AddBm25(GramKey key, double factor, std::vector<float>* scores,
                 std::vector<uint32_t>* live = nullptr) const;

  // Every live report's attributes, by id (ids not live: all zero; built
  // once per manifest). Valid until the next Refresh or Commit.
  Status AttrsById(const std::vector<ReportAttrs>** by_id) const;

  // Moves to the manifest written last (a no-op if it is unchanged).
  Status Refresh();

  // Everything the layer answers, whatever its segments: a line per gram
  // and live report (key in hex, id, positions of a 4-gram), sorted, after
  // the sequence and the live report count. For tests.
  Status Dump(std::string* out) const;

 private:
  struct Segment {
    std::string file;
    std::shared_ptr<const LiteralSegment> segment;
    std::vector<uint32_t> deleted;      // ascending
    mutable std::vector<uint32_t> ids;  // all its reports; decoded on demand
    mutable std::vector<uint32_t> lengths;
    mutable std::vector<ReportAttrs> attrs;
    mutable bool ids_loaded = false;
  };
  explicit LiteralIndex(std::string dir) : dir_(std::move(dir)) {}
  Status Load();  // reads the manifest and opens the segments it names
  Status WriteManifest();
  Status LoadIds(const Segment& s) const;
  Status MergeSmall();

  std::string dir_;
  std::string manifest_text_;  // as last read or written
  int64_t sequence_ = 0;
  uint64_t next_ = 1;
  std::vector<Segment> segments_;
  mutable int64_t total_length_ = -1;  // of the live reports; -1: not known yet
  // Per id (up to the largest live one), BM25's length part of the
  // report's weight, k1 × (1 − b + b × max(length / average, 0.5)); built
  // on first use per manifest.
  mutable std::vector<float> norms_;
  // Per id, the live report's attributes; built on first use per manifest.
  mutable std::vector<ReportAttrs> attrs_;
  mutable bool attrs_loaded_ = false;
  Status LoadNorms() const;
  // AddBm25's buffers: a list per segment, of list_sizes_ entries.
  mutable std::vector<std::vector<uint32_t>> list_ids_, list_counts_;
  mutable std::vector<size_t> list_sizes_;
  // Match's buffer for the segments after the first.
  mutable std::vector<uint32_t> match_part_;
};

}  // namespace baogao::search::internal

#endif  // BAOGAO_SEARCH_INTERNAL_LITERAL_H_
