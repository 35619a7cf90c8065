// The HTTP server: Boost.Beast/Asio on one I/O thread per core, handing each
// request to a web::Handler on a worker pool (database, index and rendering
// never run on an I/O thread).
//
// HTTP/1.1 with keep-alive; requests on one connection are answered one at
// a time, in order, so pipelined requests are safe. Deadlines: the request
// line and headers must arrive within `header_timeout_ms` of the first
// byte; an idle keep-alive connection is closed after `idle_timeout_ms`.
// Limits: any header line over `max_header_line` bytes → 431; a body over
// `body_limit` → 413; beyond `max_connections` open connections, new ones
// get 503 and are closed. Malformed requests get 400 and the connection is
// closed.
//
// Every response carries the security headers (Content-Security-Policy
// without inline script, X-Content-Type-Options: nosniff, Referrer-Policy,
// frame-ancestors via CSP and X-Frame-Options) and a charset on text. The
// server answers conditional GETs (ETag/If-None-Match, Last-Modified/
// If-Modified-Since → 304), HEAD, gzip (when accepted, for text types over
// 1 KiB; compressed bodies are cached by ETag), and `/healthz` itself.
//
// Stop() (or SIGTERM/SIGINT, when `handle_signals`) closes the listener,
// lets requests in flight finish and closes idle connections; Run() then
// returns.
#ifndef BAOGAO_WEB_SERVER_H_
#define BAOGAO_WEB_SERVER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "web/http.h"

namespace baogao::web {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  int io_threads = 0;                     // 0: one per core
  int worker_threads = 0;                 // 0: two per core
  int64_t body_limit = 1 << 20;
  int max_header_line = 8 * 1024;
  int max_header_total = 64 * 1024;
  int max_connections = 4096;
  int header_timeout_ms = 10'000;
  int idle_timeout_ms = 60'000;
  // Peers whose X-Forwarded-For / X-Forwarded-Proto are believed (exact IP
  // addresses). Anyone else's are ignored.
  std::vector<std::string> trusted_proxies;
  // Where the access log goes (one line per request); null: nowhere.
  std::FILE* access_log = nullptr;
  bool handle_signals = true;
};

class Server {
 public:
  // Binds the listening socket (errors: kInvalidArgument for a bad address,
  // kIoError when the port cannot be bound).
  // `fast` (optional) answers from memory on the I/O thread; see FastHandler.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler,
                                               FastHandler fast = {});
  virtual ~Server() = default;

  // The bound port (useful with port 0).
  virtual int port() const = 0;
  // Serves until Stop() or a signal; returns after every connection closed.
  virtual void Run() = 0;
  // Thread-safe; may be called from any thread, any number of times.
  virtual void Stop() = 0;
};

}  // namespace baogao::web

#endif  // BAOGAO_WEB_SERVER_H_
