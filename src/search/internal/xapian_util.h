// Xapian glue private to the search module: the generation stub, error
// conversion and the document builder. Includes
// Xapian: only search/*.cc (and bench/search/xapian_limits.cc, which
// measures this term scheme) may include this header.
#ifndef BAOGAO_SEARCH_INTERNAL_XAPIAN_UTIL_H_
#define BAOGAO_SEARCH_INTERNAL_XAPIAN_UTIL_H_

#include <xapian.h>

#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "report/report.h"
#include "segment/segment.h"

namespace baogao::search::internal {

// Runs `fn`, turning Xapian and std exceptions into a Status that names
// `what` (e.g. the index path).
template <typename Fn>
Status XapianCall(std::string_view what, Fn&& fn) {
  try {
    return fn();
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::ResourceExhausted(std::string(what) +
                                     ": the index is locked by another writer (" +
                                     e.get_description() + ")");
  } catch (const Xapian::DatabaseNotFoundError& e) {
    return Status::NotFound(std::string(what) + ": no index (" + e.get_description() +
                            "); run `baogao reindex`");
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status::Corrupt(std::string(what) + ": " + e.get_description() +
                           "; run `baogao reindex`");
  } catch (const Xapian::Error& e) {
    return Status::IoError(std::string(what) + ": " + e.get_description());
  } catch (const std::bad_alloc&) {
    return Status::ResourceExhausted(std::string(what) + ": out of memory");
  }
}

// The generation directory the stub at `stub_path` names ("" if none), and
// the stub's text to write for generation `n`.
Result<std::string> ReadStubGeneration(const std::string& stub_path);
std::string GenerationPath(const std::string& stub_path, int n);
// Atomically makes the stub at `stub_path` name generation `n`.
Status WriteStub(const std::string& stub_path, int n);
// The generation number in a generation path ("x.index.g3" → 3), 0 if none.
int GenerationNumber(std::string_view generation_path);

// The distinct keys of one document, numbered 0, 1, ... in the order first
// seen: an open-addressing table kept from document to document, so that
// grouping a document's characters and bigrams costs neither a sort nor an
// allocation.
template <typename Key>
class KeyIndex {
 public:
  // The number of `key`, adding it if new.
  uint32_t Insert(Key key) {
    if ((keys_.size() + 1) * 2 > slots_.size()) Grow();
    for (size_t s = Slot(key);; s = (s + 1) & (slots_.size() - 1)) {
      if (slots_[s] == 0) {
        keys_.push_back(key);
        slots_[s] = static_cast<uint32_t>(keys_.size());
        return slots_[s] - 1;
      }
      if (keys_[slots_[s] - 1] == key) return slots_[s] - 1;
    }
  }
  size_t size() const { return keys_.size(); }
  Key key(uint32_t i) const { return keys_[i]; }
  // Forgets every key, in time proportional to their number.
  void Clear() {
    for (Key k : keys_) {
      size_t s = Slot(k);
      while (slots_[s] == 0 || keys_[slots_[s] - 1] != k) s = (s + 1) & (slots_.size() - 1);
      slots_[s] = 0;
    }
    keys_.clear();
  }

 private:
  size_t Slot(Key key) const {
    return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void Grow() {
    const size_t n = slots_.empty() ? 1024 : slots_.size() * 2;
    shift_ = 64 - std::countr_zero(n);
    slots_.assign(n, 0);
    for (uint32_t i = 0; i < keys_.size(); ++i) {
      size_t s = Slot(keys_[i]);
      while (slots_[s] != 0) s = (s + 1) & (n - 1);
      slots_[s] = i + 1;
    }
  }

  std::vector<uint32_t> slots_;  // key number + 1; 0: empty
  std::vector<Key> keys_;
  int shift_ = 64;
};

// Builds a report's Xapian document (terms, values) and, for the literal
// layer (internal/literal.h), its folded texts.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(std::shared_ptr<const segment::Dictionary> dictionary);
  // The document of `report`; its folded title and paragraphs go to
  // `folded_texts` (resized to 1 + paragraphs) if not null.
  Xapian::Document Build(const report::Report& report,
                         std::vector<std::u32string>* folded_texts = nullptr);

 private:
  void AddText(std::string_view text, bool title, std::u32string* folded);
  void Flush(Xapian::Document* doc);
  void Clear();

  segment::Segmenter segmenter_;
  // One document's terms, gathered first so that each distinct term is
  // spelled and handed to Xapian once.
  std::u32string folded_;
  std::string folded_utf8_;
  KeyIndex<char32_t> chars_;  // distinct characters
  std::vector<Xapian::termcount> char_count_;
  std::unordered_map<std::string, Xapian::termcount> words_[2];  // body, title
  std::string term_;
};

}  // namespace baogao::search::internal

#endif  // BAOGAO_SEARCH_INTERNAL_XAPIAN_UTIL_H_
