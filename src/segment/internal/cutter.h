// jieba's cutting algorithms, written once over any trie shape.
//
// Each function mirrors the jieba 0.42.1 function named in its comment. The
// order of floating-point operations and the tie-breaking of Python's max()
// over tuples are reproduced exactly; change nothing here without running
// the differential test (tests/segment/jieba_diff.py).
#ifndef BAOGAO_SEGMENT_INTERNAL_CUTTER_H_
#define BAOGAO_SEGMENT_INTERNAL_CUTTER_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "segment/internal/model.h"
#include "segment/internal/trie.h"
#include "segment/segment.h"

namespace baogao::segment::internal {

inline bool IsHan(char32_t c) { return c >= kHanFirst && c <= kHanLast; }
inline bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlnum(char32_t c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]
inline bool InWordBlock(char32_t c) {
  return IsHan(c) || IsAsciiAlnum(c) || c == '+' || c == '#' || c == '&' || c == '.' || c == '_' ||
         c == '%' || c == '-';
}
// Python's `\s` on str patterns (Unicode whitespace as CPython defines it).
inline bool IsPySpace(char32_t c) {
  if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Character classes for the BMP, so the block splitter costs one load per
// character instead of a chain of range tests.
inline constexpr uint8_t kClassWordBlock = 1;
inline constexpr uint8_t kClassSpace = 2;
inline const std::array<uint8_t, 0x10000> kCharClass = [] {
  std::array<uint8_t, 0x10000> t{};
  for (char32_t c = 0; c < 0x10000; ++c) {
    t[c] = static_cast<uint8_t>((InWordBlock(c) ? kClassWordBlock : 0) |
                                (IsPySpace(c) ? kClassSpace : 0));
  }
  return t;
}();
inline bool InWordBlockFast(char32_t c) {
  return c < 0x10000 && (kCharClass[c] & kClassWordBlock) != 0;
}
inline bool IsPySpaceFast(char32_t c) { return c < 0x10000 && (kCharClass[c] & kClassSpace) != 0; }

// A token as a range of characters. When `synth` >= 0 the token is the
// concatenation of Cutter::synth_pieces()[synth] (only cut_all's Latin
// buffer can be non-contiguous).
struct CharSpan {
  uint32_t begin;
  uint32_t end;
  int32_t synth = -1;
};

using ForceSplitSet = std::unordered_set<std::u32string, ForceSplitHash>;

template <class Trie>
class Cutter {
 public:
  Cutter(const Trie& trie, const HmmModel& hmm, double log_total, const ForceSplitSet& force_split)
      : trie_(trie), hmm_(hmm), log_total_(log_total), force_split_(force_split) {}

  void set_log_total(double log_total) { log_total_ = log_total; }

  // jieba.Tokenizer.cut / cut_for_search over `s`, appending to *out.
  void Cut(std::span<const char32_t> s, Mode mode, bool hmm, std::vector<CharSpan>* out) {
    s_ = s;
    if (gram_flags_.size() < s.size()) gram_flags_.resize(s.size());
    out->clear();
    synth_.clear();
    std::vector<CharSpan>* words = mode == Mode::kSearch ? &words_ : out;
    words->clear();
    const uint32_t n = static_cast<uint32_t>(s.size());
    uint32_t i = 0;
    while (i < n) {
      uint32_t j = i + 1;
      if (InWordBlockFast(s[i])) {
        while (j < n && InWordBlockFast(s[j])) ++j;
        if (mode == Mode::kAll) {
          CutAll(i, j, words);
        } else if (hmm) {
          CutDag(i, j, words);
        } else {
          CutDagNoHmm(i, j, words);
        }
      } else {
        while (j < n && !InWordBlockFast(s[j])) ++j;
        CutSkipBlock(i, j, mode == Mode::kAll, words);
      }
      i = j;
    }
    if (mode == Mode::kSearch) ExpandForSearch(out);
  }

  // FREQ.get(s[b:e]) with a default for strings that are not keys.
  int64_t FreqOr(uint32_t b, uint32_t e, int64_t absent) const {
    typename Trie::Cursor c = Walk(b, e);
    return c == nullptr ? absent : trie_.Freq(c);
  }

  // FREQ.get(s[b:e]) is truthy.
  bool IsWord(uint32_t b, uint32_t e) const {
    typename Trie::Cursor c = Walk(b, e);
    return c != nullptr && Trie::IsWord(c);
  }

  const std::vector<std::vector<CharSpan>>& synth_pieces() const { return synth_; }

 private:
  typename Trie::Cursor Walk(uint32_t b, uint32_t e) const {
    if (b >= e) return trie_.Root();
    typename Trie::Cursor c = trie_.RootStep(s_[b]);
    for (uint32_t i = b + 1; i < e && c != nullptr; ++i) c = trie_.Step(c, s_[i]);
    return c;
  }

  void Emit(uint32_t b, uint32_t e, std::vector<CharSpan>* out) { out->push_back({b, e, -1}); }

  // The non-word part of cut(): re_skip_default.split(blk), where
  // re_skip_default is (\r\n|\s). Matches are tokens; the pieces between them
  // are split into characters, or in cut_all mode yielded whole (even empty).
  void CutSkipBlock(uint32_t b, uint32_t e, bool cut_all, std::vector<CharSpan>* out) {
    uint32_t piece = b;
    auto emit_piece = [&](uint32_t pe) {
      if (cut_all) {
        Emit(piece, pe, out);
      } else {
        for (uint32_t k = piece; k < pe; ++k) Emit(k, k + 1, out);
      }
    };
    uint32_t k = b;
    while (k < e) {
      uint32_t len = 0;
      if (s_[k] == '\r' && k + 1 < e && s_[k + 1] == '\n') {
        len = 2;
      } else if (IsPySpaceFast(s_[k])) {
        len = 1;
      } else {
        ++k;
        continue;
      }
      emit_piece(k);
      Emit(k, k + len, out);
      k += len;
      piece = k;
    }
    emit_piece(e);
  }

  static constexpr uint32_t kPrefetchDistance = 3;

  // Tokenizer.calc over get_DAG, for the block [b, e): fills route_x_ with
  // the end (inclusive, relative to b) of the best word starting at each
  // position.
  void CalcRoute(uint32_t b, uint32_t e) {
    const uint32_t n = e - b;
    route_p_.resize(n + 1);
    route_x_.resize(n + 1);
    route_p_[n] = 0.0;
    route_x_[n] = 0;
    // The first step of the walk from each position is taken kPrefetchDistance
    // positions early, together with a prefetch of the second; the cursors
    // wait in a ring.
    typename Trie::Cursor ring[4] = {};
    static_assert(kPrefetchDistance < 4);
    for (uint32_t idx = n; idx-- > 0;) {
      if (idx >= kPrefetchDistance) {
        const uint32_t p = b + idx - kPrefetchDistance;
        ring[(idx - kPrefetchDistance) & 3] = trie_.FirstStepAndPrefetch(s_[p], s_[p + 1]);
      }
      typename Trie::Cursor c =
          idx + kPrefetchDistance < n ? ring[idx & 3] : trie_.RootStep(s_[b + idx]);
      bool found = false;
      double best_p = 0.0;
      uint32_t best_x = idx;
      uint8_t flags = 0;
      for (uint32_t i = idx; c != nullptr;) {
        if (Trie::IsWord(c)) {
          const double p = (trie_.LogFreq(c) - log_total_) + route_p_[i + 1];
          // max() over (p, x) tuples: ties go to the larger x, and x grows.
          if (!found || p >= best_p) {
            best_p = p;
            best_x = i;
            found = true;
          }
          if (i == idx + 1) flags |= kGram2;
          if (i == idx + 2) flags |= kGram3;
        }
        if (++i >= n) break;
        c = trie_.Step(c, s_[b + i]);
      }
      gram_flags_[b + idx] = flags;
      if (!found) {
        // DAG[idx] == [idx]; FREQ.get(char) is 0 or missing, so log(1) == 0.
        best_p = (0.0 - log_total_) + route_p_[idx + 1];
        best_x = idx;
      }
      route_p_[idx] = best_p;
      route_x_[idx] = best_x;
    }
  }

  // Tokenizer.__cut_DAG
  void CutDag(uint32_t b, uint32_t e, std::vector<CharSpan>* out) {
    CalcRoute(b, e);
    uint32_t x = b;
    uint32_t buf_b = 0, buf_e = 0;  // empty when equal
    auto flush = [&]() {
      if (buf_b == buf_e) return;
      if (buf_e - buf_b == 1) {
        Emit(buf_b, buf_e, out);
      } else if (!IsWord(buf_b, buf_e)) {
        FinalsegCut(buf_b, buf_e, out);
      } else {
        for (uint32_t k = buf_b; k < buf_e; ++k) Emit(k, k + 1, out);
      }
      buf_b = buf_e = 0;
    };
    while (x < e) {
      const uint32_t y = b + route_x_[x - b] + 1;
      if (y - x == 1) {
        if (buf_b == buf_e) buf_b = x;
        buf_e = y;
      } else {
        flush();
        Emit(x, y, out);
      }
      x = y;
    }
    flush();
  }

  // Tokenizer.__cut_DAG_NO_HMM
  void CutDagNoHmm(uint32_t b, uint32_t e, std::vector<CharSpan>* out) {
    CalcRoute(b, e);
    uint32_t x = b;
    uint32_t buf_b = 0, buf_e = 0;
    while (x < e) {
      const uint32_t y = b + route_x_[x - b] + 1;
      if (y - x == 1 && IsAsciiAlnum(s_[x])) {
        if (buf_b == buf_e) buf_b = x;
        buf_e = y;
      } else {
        if (buf_b != buf_e) Emit(buf_b, buf_e, out);
        buf_b = buf_e = 0;
        Emit(x, y, out);
      }
      x = y;
    }
    if (buf_b != buf_e) Emit(buf_b, buf_e, out);
  }

  // Tokenizer.__cut_all
  void CutAll(uint32_t b, uint32_t e, std::vector<CharSpan>* out) {
    int64_t old_j = -1;
    bool eng_scan = false;
    std::vector<CharSpan> eng_pieces;
    auto flush_eng = [&]() {
      bool contiguous = true;
      for (size_t i = 1; i < eng_pieces.size(); ++i) {
        if (eng_pieces[i].begin != eng_pieces[i - 1].end) contiguous = false;
      }
      if (contiguous) {
        Emit(eng_pieces.front().begin, eng_pieces.back().end, out);
      } else {
        synth_.push_back(eng_pieces);
        out->push_back({eng_pieces.front().begin, eng_pieces.back().end,
                        static_cast<int32_t>(synth_.size() - 1)});
      }
    };
    const uint32_t n = e - b;
    for (uint32_t k = 0; k < n; ++k) {
      if (eng_scan && !IsAsciiAlnum(s_[b + k])) {
        eng_scan = false;
        flush_eng();
      }
      dag_.clear();
      typename Trie::Cursor c = trie_.Root();
      for (uint32_t i = k; i < n; ++i) {
        c = i == k ? trie_.RootStep(s_[b + i]) : trie_.Step(c, s_[b + i]);
        if (c == nullptr) break;
        if (Trie::IsWord(c)) dag_.push_back(i);
      }
      if (dag_.empty()) dag_.push_back(k);
      if (dag_.size() == 1 && static_cast<int64_t>(k) > old_j) {
        const CharSpan word{b + k, b + dag_[0] + 1, -1};
        if (IsAsciiAlnum(s_[b + k])) {
          if (!eng_scan) {
            eng_scan = true;
            eng_pieces.assign(1, word);
          } else {
            eng_pieces.push_back(word);
          }
        }
        if (!eng_scan) out->push_back(word);
        old_j = dag_[0];
      } else {
        for (uint32_t j : dag_) {
          if (j > k) {
            Emit(b + k, b + j + 1, out);
            old_j = j;
          }
        }
      }
    }
    if (eng_scan) flush_eng();
  }

  // finalseg.cut
  void FinalsegCut(uint32_t b, uint32_t e, std::vector<CharSpan>* out) {
    uint32_t k = b;
    while (k < e) {
      uint32_t j = k + 1;
      if (IsHan(s_[k])) {
        while (j < e && IsHan(s_[j])) ++j;
        Viterbi(k, j, out);
      } else {
        while (j < e && !IsHan(s_[j])) ++j;
        FinalsegSkip(k, j, out);
      }
      k = j;
    }
  }

  // finalseg's non-Han pieces: re_skip.split with
  // ([a-zA-Z0-9]+(?:\.\d+)?%?), yielding every non-empty piece.
  void FinalsegSkip(uint32_t b, uint32_t e, std::vector<CharSpan>* out) {
    uint32_t piece = b;
    uint32_t q = b;
    while (q < e) {
      if (!IsAsciiAlnum(s_[q])) {
        ++q;
        continue;
      }
      if (piece < q) Emit(piece, q, out);
      uint32_t m = q;
      while (m < e && IsAsciiAlnum(s_[m])) ++m;
      if (m + 1 < e && s_[m] == '.' && IsAsciiDigit(s_[m + 1])) {
        m += 2;
        while (m < e && IsAsciiDigit(s_[m])) ++m;
      }
      if (m < e && s_[m] == '%') ++m;
      Emit(q, m, out);
      q = piece = m;
    }
    if (piece < e) Emit(piece, e, out);
  }

  double EmitP(int state, char32_t c) const { return hmm_.emit[(c - kHanFirst) * 4 + state]; }

  // finalseg.viterbi + finalseg.__cut over the Han run [b, e).
  void Viterbi(uint32_t b, uint32_t e, std::vector<CharSpan>* out) {
    // PrevStatus, in jieba's order.
    static constexpr int kPrev[4][2] = {/*B*/ {kE, kS}, /*E*/ {kB, kM}, /*M*/ {kM, kB},
                                        /*S*/ {kS, kE}};
    const uint32_t len = e - b;
    back_.resize(static_cast<size_t>(len) * 4);
    double v[4];
    for (int y = 0; y < 4; ++y) v[y] = hmm_.start[y] + EmitP(y, s_[b]);
    for (uint32_t t = 1; t < len; ++t) {
      double nv[4];
      const char32_t c = s_[b + t];
      for (int y = 0; y < 4; ++y) {
        const double em = EmitP(y, c);
        int best_state = kPrev[y][0];
        double best = (v[best_state] + hmm_.trans[best_state][y]) + em;
        const int y1 = kPrev[y][1];
        const double p1 = (v[y1] + hmm_.trans[y1][y]) + em;
        if (p1 > best || (p1 == best && y1 > best_state)) {
          best = p1;
          best_state = y1;
        }
        nv[y] = best;
        back_[static_cast<size_t>(t) * 4 + y] = static_cast<uint8_t>(best_state);
      }
      for (int y = 0; y < 4; ++y) v[y] = nv[y];
    }
    // max((V[E], 'E'), (V[S], 'S'))
    int state = v[kS] >= v[kE] ? kS : kE;
    states_.resize(len);
    for (uint32_t t = len; t-- > 0;) {
      states_[t] = static_cast<uint8_t>(state);
      if (t > 0) state = back_[static_cast<size_t>(t) * 4 + state];
    }
    uint32_t begin = 0, next = 0;
    for (uint32_t i = 0; i < len; ++i) {
      switch (states_[i]) {
        case kB:
          begin = i;
          break;
        case kE:
          EmitHmmWord(b + begin, b + i + 1, out);
          next = i + 1;
          break;
        case kS:
          EmitHmmWord(b + i, b + i + 1, out);
          next = i + 1;
          break;
        default:
          break;
      }
    }
    if (next < len) EmitHmmWord(b + next, e, out);
  }

  void EmitHmmWord(uint32_t wb, uint32_t we, std::vector<CharSpan>* out) {
    if (!force_split_.empty() &&
        force_split_.count(std::u32string(s_.begin() + wb, s_.begin() + we))) {
      for (uint32_t k = wb; k < we; ++k) Emit(k, k + 1, out);
      return;
    }
    Emit(wb, we, out);
  }

  // Tokenizer.cut_for_search over the words of cut(): all 2-grams that are
  // words, then all 3-grams, then the word. Whether a gram is a word was
  // recorded by CalcRoute, whose walk from each position passes through it.
  void ExpandForSearch(std::vector<CharSpan>* out) {
    for (const CharSpan& w : words_) {
      const uint32_t len = w.end - w.begin;
      if (len > 2) {
        for (uint32_t i = w.begin; i + 2 <= w.end; ++i) {
          if (gram_flags_[i] & kGram2) Emit(i, i + 2, out);
        }
      }
      if (len > 3) {
        for (uint32_t i = w.begin; i + 3 <= w.end; ++i) {
          if (gram_flags_[i] & kGram3) Emit(i, i + 3, out);
        }
      }
      out->push_back(w);
    }
  }

  const Trie& trie_;
  const HmmModel& hmm_;
  double log_total_;
  const ForceSplitSet& force_split_;

  std::span<const char32_t> s_;
  std::vector<double> route_p_;
  std::vector<uint32_t> route_x_;
  std::vector<uint32_t> dag_;
  std::vector<uint8_t> back_;
  std::vector<uint8_t> states_;
  std::vector<CharSpan> words_;
  // Per position of the sentence: whether the 2- and 3-character strings
  // starting there are words (only filled inside word blocks).
  static constexpr uint8_t kGram2 = 1, kGram3 = 2;
  std::vector<uint8_t> gram_flags_;
  std::vector<std::vector<CharSpan>> synth_;
};

}  // namespace baogao::segment::internal

#endif  // BAOGAO_SEGMENT_INTERNAL_CUTTER_H_
