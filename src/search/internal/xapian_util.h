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
  std::unordered_map<std::string, Xapian::termcount> words_[2];  // body, title
  std::string term_;
};

}  // namespace baogao::search::internal

#endif  // BAOGAO_SEARCH_INTERNAL_XAPIAN_UTIL_H_
