// Chinese word segmentation that reproduces jieba 0.42.1 exactly.
//
// The algorithms are jieba's: a prefix dictionary, a DAG of dictionary words
// over each run of "word characters", the maximum-probability route through
// it, and an HMM (Viterbi over B/M/E/S) for runs of characters the
// dictionary does not join. Floating-point sums are evaluated in jieba's
// order and ties are broken as Python's max() breaks them, so the output is
// identical to jieba's on the same dictionary, token for token.
//
// Threading: a Dictionary is immutable once loaded and may be shared by any
// number of threads. A Segmenter holds scratch buffers and is used by one
// thread at a time; make one per thread (they are cheap).
//
// Invalid UTF-8 (see text/text.h): each invalid byte is one non-word
// character. In kDefault and kSearch modes it becomes a token of its own (the
// raw byte); in kAll mode it joins the surrounding non-word run, as any other
// symbol does. Tokens always concatenate back to the input bytes (kDefault
// mode), so nothing is lost. NUL bytes are ordinary non-word characters.
#ifndef BAOGAO_SEGMENT_SEGMENT_H_
#define BAOGAO_SEGMENT_SEGMENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace baogao::segment {

enum class Mode {
  kDefault,  // jieba.cut(s, HMM=...)
  kSearch,   // jieba.cut_for_search(s, HMM=...)
  kAll,      // jieba.cut(s, cut_all=True); the HMM flag is ignored
};

struct CutOptions {
  Mode mode = Mode::kDefault;
  bool hmm = true;
};

struct Token {
  // The token's bytes. Points into the input, except in the rare kAll case
  // where jieba glues non-adjacent Latin pieces together; then it points into
  // the Segmenter's own storage. Valid until the next Cut() on the same
  // Segmenter, and while the input lives.
  std::string_view text;
  size_t byte_offset = 0;  // of the token's first byte in the input
  size_t char_offset = 0;  // of its first character (code point), counting
                           // each invalid byte as one character
  size_t char_length = 0;  // characters in the token; 0 only for the empty
                           // tokens jieba emits in kAll mode around spaces
};

struct DictionaryOptions {
  // A compiled dictionary (.bgd, see docs/formats/segment-dictionary.md) or
  // a jieba-format dict.txt. Empty: DefaultDictionaryPath().
  std::string path;
  // For a dict.txt only: the directory holding jieba's finalseg/prob_*.py.
  // Empty: "<directory of path>/finalseg".
  std::string hmm_dir;
  // User dictionaries in jieba's format ("word [freq] [tag]" per line),
  // applied in order with jieba's load_userdict semantics.
  std::vector<std::string> user_dicts;
};

class Dictionary {
 public:
  // Loads a dictionary. Errors: kNotFound (missing file), kCorrupt (a
  // compiled file that fails its checks), kInvalidArgument (a malformed
  // dict.txt, model or user dictionary line, named with its line number).
  static Result<std::shared_ptr<const Dictionary>> Load(const DictionaryOptions& options);

  // The compiled dictionary found beside the binary
  // (<exe dir>/../share/baogao/jieba.bgd), else $BAOGAO_DICT, else jieba's
  // dict.txt from python3-jieba. Returns the first that exists.
  static std::string DefaultPath();

  // Writes this dictionary (base plus applied user dictionaries) in the
  // compiled format. The write is atomic (temp file + rename).
  Status Compile(const std::string& out_path) const;

  // jieba's FREQ.get(word) (0 for prefixes and unknown strings).
  int64_t Frequency(std::string_view word) const;
  int64_t total() const;
  size_t word_count() const;
  size_t node_count() const;

  ~Dictionary();
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit Dictionary(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Segmenter {
 public:
  explicit Segmenter(std::shared_ptr<const Dictionary> dictionary);
  ~Segmenter();
  Segmenter(Segmenter&&) noexcept;
  Segmenter& operator=(Segmenter&&) noexcept;

  // Segments `text` and returns the tokens in jieba's order. The returned
  // vector and its tokens stay valid until the next Cut() on this object.
  // Never fails: any byte string is accepted (see the invalid UTF-8 policy).
  const std::vector<Token>& Cut(std::string_view text, const CutOptions& options = {});

  // Convenience: the token texts as strings.
  std::vector<std::string> CutToStrings(std::string_view text, const CutOptions& options = {});

  const Dictionary& dictionary() const { return *dictionary_; }

 private:
  struct Scratch;
  std::shared_ptr<const Dictionary> dictionary_;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace baogao::segment

#endif  // BAOGAO_SEGMENT_SEGMENT_H_
