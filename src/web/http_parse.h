// HTTP/1.1 request parsing (RFC 9112) for the server: the request head and
// chunked bodies, from bytes as they arrive. Strict where leniency lets a
// proxy and this server disagree about where a request ends (request
// smuggling): CRLF line ends only, no obs-fold, no whitespace before a
// field's colon, one Content-Length value, Transfer-Encoding only as
// "chunked" and never together with Content-Length, Host required in 1.1.
//
// Everything here is a pure function of its input (no I/O, no Boost), so it
// is unit-tested and fuzzed directly (fuzz/http_fuzz.cc).
#ifndef BAOGAO_WEB_HTTP_PARSE_H_
#define BAOGAO_WEB_HTTP_PARSE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baogao::web {

struct HttpLimits {
  size_t max_header_line = 8 * 1024;    // the request line or one field line
  size_t max_header_total = 64 * 1024;  // the whole head
  int64_t body_limit = 1 << 20;         // the decoded body
};

enum class ParseState {
  kComplete,    // parsed; see the output
  kIncomplete,  // need more bytes (nothing wrong so far)
  kError,       // answer with the status in `error_status` and close
};

// A parsed request head. The views point into the bytes given to
// ParseRequestHead and live as long as they do.
struct RequestHead {
  std::string_view method;
  std::string_view target;
  int version = 11;  // 10 or 11 (HTTP/1.0, HTTP/1.1)
  // Fields in order as sent (names as sent; values without surrounding
  // whitespace).
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  // Bytes of the head, including leading empty lines and the blank line.
  size_t size = 0;
  int64_t content_length = 0;  // 0 when absent
  bool chunked = false;        // Transfer-Encoding: chunked
  bool keep_alive = true;
  bool expect_continue = false;  // Expect: 100-continue
};

// Parses the request head at the start of `in`. On kError, *error_status is
// 400 (malformed), 413 (Content-Length over the body limit), 414 (request
// target over the line limit), 431 (a line or the head over its limit), 501
// (a transfer coding other than chunked) or 505 (not HTTP/1.x). Limits are
// enforced on incomplete input too, so a client cannot make the server
// buffer more than max_header_total bytes of head.
ParseState ParseRequestHead(std::string_view in, const HttpLimits& limits, RequestHead* out,
                            int* error_status);

// Decodes a chunked body incrementally (RFC 9112 §7.1). Chunk extensions
// and trailer fields are read and dropped.
class ChunkedDecoder {
 public:
  explicit ChunkedDecoder(int64_t body_limit) : limit_(body_limit) {}

  // Reads from `in` (the bytes after those consumed so far), appends decoded
  // data to *body and sets *consumed to the bytes used. kComplete after the
  // last chunk and the trailer section; kError with *error_status 400
  // (malformed) or 413 (over the body limit).
  ParseState Feed(std::string_view in, size_t* consumed, std::string* body, int* error_status);

 private:
  enum class Stage { kSize, kData, kDataEnd, kTrailer, kDone };
  Stage stage_ = Stage::kSize;
  int64_t limit_;
  int64_t total_ = 0;
  uint64_t remaining_ = 0;  // of the current chunk
  size_t trailer_bytes_ = 0;
};

// The reason phrase of a status code ("Not Found"); "Unknown" for codes
// this server does not send.
const char* ReasonPhrase(int status);

}  // namespace baogao::web

#endif  // BAOGAO_WEB_HTTP_PARSE_H_
