#include "web/http_parse.h"

#include <array>
#include <cstring>

namespace baogao::web {
namespace {

// tchar (RFC 9110 §5.6.2): the characters of a token.
constexpr std::array<bool, 256> MakeTokenTable() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kToken = MakeTokenTable();

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!kToken[c]) return false;
  }
  return true;
}

// A field value: visible characters, obs-text, SP and HTAB; no other
// control character (CR, LF and NUL above all).
bool IsFieldValue(std::string_view s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

// A request target: no whitespace or control characters (raw UTF-8 bytes
// are let through; the router decodes and validates).
bool IsTarget(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls fn(element) for each element of a comma-separated list (empty
// elements skipped, whitespace trimmed).
template <typename Fn>
void ForEachListElement(std::string_view list, Fn fn) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = Trim(list.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// 1*DIGIT without overflow; -1 if not that.
int64_t ParseDecimal(std::string_view s) {
  if (s.empty() || s.size() > 18) return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

ParseState Fail(int status, int* error_status) {
  *error_status = status;
  return ParseState::kError;
}

}  // namespace

ParseState ParseRequestHead(std::string_view in, const HttpLimits& limits, RequestHead* out,
                            int* error_status) {
  *out = RequestHead();
  // Empty lines before the request line are ignored (RFC 9112 §2.2).
  size_t pos = 0;
  while (pos + 1 < in.size() && in[pos] == '\r' && in[pos + 1] == '\n') pos += 2;
  if (pos > 64) return Fail(400, error_status);

  // Split lines as far as they go; check each line's limit, including the
  // one still arriving.
  bool request_line = true;
  bool have_host = false;
  bool have_length = false;
  bool have_te = false;
  bool close = false;
  bool keep_alive_token = false;
  while (true) {
    const size_t eol = in.find("\r\n", pos);
    const size_t line_end = eol == std::string_view::npos ? in.size() : eol;
    const std::string_view line = in.substr(pos, line_end - pos);
    // A bare LF (or CR) inside a line is not a line end here: refuse it.
    if (line.find('\n') != std::string_view::npos ||
        (eol != std::string_view::npos && line.find('\r') != std::string_view::npos)) {
      return Fail(400, error_status);
    }
    if (line.size() > limits.max_header_line) {
      // A long request line is a long target (the method is a short token).
      return Fail(request_line ? 414 : 431, error_status);
    }
    if (line_end > limits.max_header_total) return Fail(431, error_status);
    if (eol == std::string_view::npos) return ParseState::kIncomplete;
    pos = eol + 2;

    if (request_line) {
      request_line = false;
      const size_t sp1 = line.find(' ');
      const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
      if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
        return Fail(400, error_status);
      }
      out->method = line.substr(0, sp1);
      out->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
      const std::string_view version = line.substr(sp2 + 1);
      if (!IsToken(out->method) || !IsTarget(out->target)) return Fail(400, error_status);
      if (version.size() != 8 || !version.starts_with("HTTP/") || version[6] != '.' ||
          version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
        return Fail(400, error_status);
      }
      if (version[5] != '1') return Fail(505, error_status);
      out->version = version[7] == '0' ? 10 : 11;
      continue;
    }

    if (line.empty()) break;  // the end of the head
    if (line.front() == ' ' || line.front() == '\t') return Fail(400, error_status);  // obs-fold
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Fail(400, error_status);
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = Trim(line.substr(colon + 1));
    if (!IsToken(name) || !IsFieldValue(value)) return Fail(400, error_status);
    if (out->fields.size() >= 256) return Fail(431, error_status);
    out->fields.emplace_back(name, value);

    if (EqualsIgnoreCase(name, "host")) {
      if (have_host) return Fail(400, error_status);
      have_host = true;
    } else if (EqualsIgnoreCase(name, "content-length")) {
      // One value; a repeated field or a list is accepted only when every
      // value is the same.
      bool bad = false;
      ForEachListElement(value, [&](std::string_view item) {
        const int64_t n = ParseDecimal(item);
        if (n < 0 || (have_length && n != out->content_length)) bad = true;
        out->content_length = n;
        have_length = true;
      });
      if (bad || !have_length) return Fail(400, error_status);
    } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
      bool unknown = false;
      bool chunked_last = false;
      ForEachListElement(value, [&](std::string_view item) {
        if (out->chunked) unknown = true;  // anything after chunked, or chunked twice
        if (EqualsIgnoreCase(item, "chunked")) {
          out->chunked = true;
          chunked_last = true;
        } else {
          unknown = true;
          chunked_last = false;
        }
      });
      have_te = true;
      if (!chunked_last) return Fail(out->chunked ? 400 : 501, error_status);
      if (unknown) return Fail(501, error_status);
    } else if (EqualsIgnoreCase(name, "connection")) {
      ForEachListElement(value, [&](std::string_view item) {
        if (EqualsIgnoreCase(item, "close")) close = true;
        if (EqualsIgnoreCase(item, "keep-alive")) keep_alive_token = true;
      });
    } else if (EqualsIgnoreCase(name, "expect")) {
      if (EqualsIgnoreCase(value, "100-continue")) out->expect_continue = true;
    }
  }
  out->size = pos;
  if (out->version == 11 && !have_host) return Fail(400, error_status);
  if (have_te && (have_length || out->version == 10)) return Fail(400, error_status);
  if (out->content_length > limits.body_limit) return Fail(413, error_status);
  out->keep_alive = !close && (out->version == 11 || keep_alive_token);
  if (!have_te && !have_length) out->expect_continue = false;
  return ParseState::kComplete;
}

ParseState ChunkedDecoder::Feed(std::string_view in, size_t* consumed, std::string* body,
                                int* error_status) {
  constexpr size_t kMaxLine = 1024;         // a chunk-size line with extensions
  constexpr size_t kMaxTrailer = 8 * 1024;  // the whole trailer section
  size_t pos = 0;
  auto done = [&](ParseState s) {
    *consumed = pos;
    return s;
  };
  while (true) {
    switch (stage_) {
      case Stage::kSize: {
        const size_t eol = in.find("\r\n", pos);
        if (eol == std::string_view::npos) {
          if (in.size() - pos > kMaxLine) return done(Fail(400, error_status));
          return done(ParseState::kIncomplete);
        }
        std::string_view line = in.substr(pos, eol - pos);
        if (line.size() > kMaxLine || !IsFieldValue(line)) return done(Fail(400, error_status));
        const size_t semi = line.find(';');
        std::string_view hex = line.substr(0, semi);
        while (!hex.empty() && (hex.back() == ' ' || hex.back() == '\t')) hex.remove_suffix(1);
        if (hex.empty() || hex.size() > 15)
          return done(Fail(hex.empty() ? 400 : 413, error_status));
        uint64_t size = 0;
        for (char c : hex) {
          int d;
          if (c >= '0' && c <= '9') {
            d = c - '0';
          } else if (Lower(c) >= 'a' && Lower(c) <= 'f') {
            d = Lower(c) - 'a' + 10;
          } else {
            return done(Fail(400, error_status));
          }
          size = size * 16 + static_cast<uint64_t>(d);
        }
        if (static_cast<int64_t>(size) > limit_ - total_) return done(Fail(413, error_status));
        pos = eol + 2;
        remaining_ = size;
        stage_ = size == 0 ? Stage::kTrailer : Stage::kData;
        break;
      }
      case Stage::kData: {
        const size_t take = static_cast<size_t>(
            std::min<uint64_t>(remaining_, static_cast<uint64_t>(in.size() - pos)));
        body->append(in.data() + pos, take);
        pos += take;
        remaining_ -= take;
        total_ += static_cast<int64_t>(take);
        if (remaining_ > 0) return done(ParseState::kIncomplete);
        stage_ = Stage::kDataEnd;
        break;
      }
      case Stage::kDataEnd: {
        if (in.size() - pos < 2) return done(ParseState::kIncomplete);
        if (in[pos] != '\r' || in[pos + 1] != '\n') return done(Fail(400, error_status));
        pos += 2;
        stage_ = Stage::kSize;
        break;
      }
      case Stage::kTrailer: {
        const size_t eol = in.find("\r\n", pos);
        if (eol == std::string_view::npos) {
          if (trailer_bytes_ + (in.size() - pos) > kMaxTrailer) {
            return done(Fail(431, error_status));
          }
          return done(ParseState::kIncomplete);
        }
        const std::string_view line = in.substr(pos, eol - pos);
        trailer_bytes_ += line.size() + 2;
        if (trailer_bytes_ > kMaxTrailer) return done(Fail(431, error_status));
        pos = eol + 2;
        if (line.empty()) {
          stage_ = Stage::kDone;
          return done(ParseState::kComplete);
        }
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos || !IsToken(line.substr(0, colon)) ||
            !IsFieldValue(line.substr(colon + 1))) {
          return done(Fail(400, error_status));
        }
        break;
      }
      case Stage::kDone:
        return done(ParseState::kComplete);
    }
  }
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

}  // namespace baogao::web
