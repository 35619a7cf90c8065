// libFuzzer target for the HTTP request parser (web/http_parse.h): request
// heads and chunked bodies straight from the network. Checks: no crash; a
// complete head lies inside the input and its views point into it; the
// chunked decoder gives the same body however the input is split, never
// more bytes than it was fed, and never more than its limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "web/http_parse.h"

namespace {

using namespace baogao::web;

bool Inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

// Feeds `in` in pieces of `piece` bytes; returns the state and body.
ParseState Dechunk(std::string_view in, size_t piece, int64_t limit, std::string* body) {
  ChunkedDecoder d(limit);
  std::string pending;
  size_t fed = 0;
  while (true) {
    const size_t n = std::min(piece, in.size() - fed);
    pending.append(in.substr(fed, n));
    fed += n;
    size_t used = 0;
    int error = 0;
    const ParseState st = d.Feed(pending, &used, body, &error);
    if (used > pending.size()) std::abort();
    pending.erase(0, used);
    if (st == ParseState::kError && error != 400 && error != 413 && error != 431) std::abort();
    if (st != ParseState::kIncomplete || fed == in.size()) return st;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  HttpLimits limits;
  limits.max_header_line = 256;
  limits.max_header_total = 2048;
  limits.body_limit = 512;
  RequestHead head;
  int error = 0;
  const ParseState st = ParseRequestHead(in, limits, &head, &error);
  if (st == ParseState::kComplete) {
    if (head.size > in.size() || !Inside(head.method, in) || !Inside(head.target, in)) std::abort();
    if (head.content_length < 0 || head.content_length > limits.body_limit) std::abort();
    if (head.chunked && head.content_length != 0) std::abort();
    for (const auto& [name, value] : head.fields) {
      if (!Inside(name, in) || !Inside(value, in)) std::abort();
      if (value.find('\r') != std::string_view::npos ||
          value.find('\n') != std::string_view::npos) {
        std::abort();
      }
    }
  } else if (st == ParseState::kError) {
    if (error != 400 && error != 413 && error != 414 && error != 431 && error != 501 &&
        error != 505) {
      std::abort();
    }
  }
  // The same bytes as a chunked body: whole, and byte by byte.
  std::string whole;
  std::string pieces;
  const ParseState a = Dechunk(in, in.size() + 1, 512, &whole);
  const ParseState b = Dechunk(in, 1, 512, &pieces);
  if (a != b || whole.size() > 512) std::abort();
  if (a == ParseState::kComplete && whole != pieces) std::abort();
  return 0;
}
