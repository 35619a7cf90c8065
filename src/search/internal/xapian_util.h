// Xapian glue private to the search module: the generation stub, error
// conversion and the document builder. Includes Xapian: only search/*.cc
// may include this header.
#ifndef BAOGAO_SEARCH_INTERNAL_XAPIAN_UTIL_H_
#define BAOGAO_SEARCH_INTERNAL_XAPIAN_UTIL_H_

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "report/report.h"
#include "search/internal/literal.h"
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

// What the literal layer keeps of `report` to filter by.
ReportAttrs AttrsOf(const report::Report& report);

// Builds a report's Xapian document (filter terms and values) and, for the
// literal layer (internal/literal.h), its folded texts and its words.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(std::shared_ptr<const segment::Dictionary> dictionary);
  // The document of `report`; its folded title and paragraphs go to
  // `folded_texts` (resized to 1 + paragraphs) and its words with their
  // counts to `words` (title words and body words of two or more
  // characters; keys from MakeWordKey), if not null.
  Xapian::Document Build(const report::Report& report,
                         std::vector<std::u32string>* folded_texts = nullptr,
                         std::vector<WordCount>* words = nullptr);

 private:
  void AddText(std::string_view text, bool title, std::u32string* folded);

  struct KeyHash {
    size_t operator()(GramKey k) const {
      return static_cast<size_t>(
          (static_cast<uint64_t>(k) ^ static_cast<uint64_t>(k >> 64) * 0xC2B2AE3D27D4EB4FULL) *
          0x9E3779B97F4A7C15ULL);
    }
  };
  segment::Segmenter segmenter_;
  std::u32string folded_;
  std::string folded_utf8_;
  // One report's words so far, by key: its place in words_.
  std::unordered_map<GramKey, uint32_t, KeyHash> places_;
  std::vector<WordCount> words_;
};

}  // namespace baogao::search::internal

#endif  // BAOGAO_SEARCH_INTERNAL_XAPIAN_UTIL_H_
