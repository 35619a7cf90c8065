#include "segment/internal/cutter.h"
#include "segment/internal/model.h"
#include "segment/segment.h"
#include "text/text.h"

namespace baogao::segment {

struct Segmenter::Scratch {
  explicit Scratch(const Dictionary::Impl& d) : cutter(d.trie, d.hmm, d.log_total, d.force_split) {}
  internal::Cutter<internal::FlatTrie> cutter;
  text::Decoded decoded;
  std::vector<internal::CharSpan> spans;
  std::vector<Token> tokens;
  std::vector<std::string> synthesized;
};

Segmenter::Segmenter(std::shared_ptr<const Dictionary> dictionary)
    : dictionary_(std::move(dictionary)),
      scratch_(std::make_unique<Scratch>(dictionary_->impl())) {}
Segmenter::~Segmenter() = default;
Segmenter::Segmenter(Segmenter&&) noexcept = default;
Segmenter& Segmenter::operator=(Segmenter&&) noexcept = default;

const std::vector<Token>& Segmenter::Cut(std::string_view text, const CutOptions& options) {
  Scratch& s = *scratch_;
  s.tokens.clear();
  s.synthesized.clear();
  if (text.empty()) return s.tokens;
  text::DecodeUtf8(text, &s.decoded);
  const auto chars = s.decoded.chars();
  const auto off = s.decoded.offsets();
  s.cutter.Cut(chars, options.mode, options.hmm, &s.spans);
  s.tokens.reserve(s.spans.size());
  const auto& pieces = s.cutter.synth_pieces();
  s.synthesized.reserve(pieces.size());
  for (const internal::CharSpan& sp : s.spans) {
    Token t;
    t.byte_offset = off[sp.begin];
    t.char_offset = sp.begin;
    if (sp.synth < 0) {
      t.text = text.substr(off[sp.begin], off[sp.end] - off[sp.begin]);
      t.char_length = sp.end - sp.begin;
    } else {
      std::string joined;
      size_t chars_in = 0;
      for (const internal::CharSpan& p : pieces[sp.synth]) {
        joined.append(text.substr(off[p.begin], off[p.end] - off[p.begin]));
        chars_in += p.end - p.begin;
      }
      s.synthesized.push_back(std::move(joined));  // reserved: no reallocation
      t.text = s.synthesized.back();
      t.char_length = chars_in;
    }
    s.tokens.push_back(t);
  }
  return s.tokens;
}

std::vector<std::string> Segmenter::CutToStrings(std::string_view text, const CutOptions& options) {
  std::vector<std::string> out;
  for (const Token& t : Cut(text, options)) out.emplace_back(t.text);
  return out;
}

}  // namespace baogao::segment
