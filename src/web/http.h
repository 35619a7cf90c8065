// Plain HTTP request and response values: what the transport (server.h,
// Boost.Beast) hands to the application (site.h) and gets back. No Boost
// type appears here, so pages and their tests compile without Beast.
#ifndef BAOGAO_WEB_HTTP_H_
#define BAOGAO_WEB_HTTP_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baogao::web {

struct Request {
  std::string method;  // "GET", "HEAD", "POST", ...
  std::string target;  // as sent: "/search?q=%E5%8F%91%E5%B1%95&page=2"
  std::string path;    // percent-decoded path, without the query: "/search"
  // Percent-decoded query parameters in order ('+' is a space). A parameter
  // given twice appears twice. Not necessarily valid UTF-8.
  std::vector<std::pair<std::string, std::string>> query;
  // Header names lower-cased; a repeated header's values joined with ", ".
  std::map<std::string, std::string> headers;
  std::string body;
  // The client's address: the peer, or the X-Forwarded-For client when the
  // peer is a configured trusted proxy.
  std::string client_ip;
  bool secure = false;  // https (from a trusted proxy's X-Forwarded-Proto)

  // The first value of query parameter `name`, if present.
  std::optional<std::string> Param(std::string_view name) const;
  // The header's value, or "" when absent (`name` lower-case).
  std::string Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  // Set instead of `body` by the fast path for bodies held in memory (cached
  // pages, static files): the server writes them without copying. When set,
  // `body` is empty and ignored.
  std::shared_ptr<const std::string> shared_body;
  // Extra headers (Location, Set-Cookie, Cache-Control, ...). The server
  // adds the security headers, Date, Content-Length, and handles gzip,
  // ETag/If-None-Match and HEAD itself.
  std::vector<std::pair<std::string, std::string>> headers;
  // A strong validator for conditional GETs; empty: the server computes one
  // from the body for 200 responses to GET/HEAD.
  std::string etag;
  // Unix seconds of the data's last change, for Last-Modified; 0: none.
  int64_t last_modified = 0;
  // Cache-Control value; empty: "no-cache" (revalidate with the ETag).
  std::string cache_control;
  // Made for this one request (form tokens in the page): the server neither
  // computes an ETag for it nor keeps its gzipped form.
  bool personal = false;
  // "gzip" when `body` is already gzipped (a cached personal page spliced
  // by SlotGzip): the server sends it as is, with Content-Encoding.
  std::string content_encoding;
};

// Bodies smaller than this are not worth gzipping.
inline constexpr size_t kGzipMinBytes = 1024;
// Whether a body of this Content-Type is text worth gzipping.
bool Compressible(std::string_view content_type);
// Whether an Accept-Encoding value accepts gzip.
bool AcceptsGzip(std::string_view accept_encoding);

// The application: a plain function from request to response. Called on a
// worker thread, never on an I/O thread; may block on the database or index.
// Exceptions are caught by the server and answered with a generic 500 page.
using Handler = std::function<Response(const Request&)>;

// Optional: the answer when it can be given from memory alone (a cached
// page), else nullopt. Called on the I/O thread, so it must never block on
// the database, the index or rendering; the server falls back to Handler.
using FastHandler = std::function<std::optional<Response>(const Request&)>;

// Percent-decodes `in` ('+' as space when `plus_is_space`). Invalid escapes
// are kept literally.
std::string PercentDecode(std::string_view in, bool plus_is_space);
// Percent-encodes everything but unreserved characters (RFC 3986).
std::string PercentEncode(std::string_view in);
// Splits a request target into its decoded path and query parameters.
void ParseTarget(std::string_view target, std::string* path,
                 std::vector<std::pair<std::string, std::string>>* query);
// A strong ETag for a body: a 64-bit hash (8 bytes per step) and the
// length, quoted. A validator for caches, not a signature; cheap enough for
// every render.
std::string BodyEtag(std::string_view body);

// The entity for & < > " ' (the apostrophe as `apos`, never empty), or ""
// for any other byte.
inline std::string_view HtmlEntity(char c, std::string_view apos) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return apos;
    default:
      return {};
  }
}

// HTML-escapes & < > " ' (for attribute and text contexts).
std::string HtmlEscape(std::string_view in);
// Appends `in` HTML-escaped to *out, the apostrophe written as `apos`
// (HtmlEscape writes "&#39;"; mustache's {{name}} writes "&apos;").
void AppendHtmlEscaped(std::string_view in, std::string_view apos, std::string* out);

}  // namespace baogao::web

#endif  // BAOGAO_WEB_HTTP_H_
