// The HTTP transport for web::Handler, on Boost.Asio. See server.h for the
// contract and docs/web.md ("The server") for why it looks like this.
//
// One io_context per I/O thread, each run by its own thread: a connection
// lives on one thread from accept to close, so a session needs no strand
// and no lock. Requests are parsed by web/http_parse.h; a response is one
// gather write of two buffers (the head, and the body, which for cached
// pages is shared, not copied). Deadlines are a time stamp per connection,
// checked by one sweep timer per thread, instead of a timer operation per
// read and write.
#include "web/server.h"

#include <zlib.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/log.h"
#include "web/http_parse.h"

namespace baogao::web {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Executor = net::io_context::executor_type;
using Socket = net::basic_stream_socket<tcp, Executor>;
using Acceptor = net::basic_socket_acceptor<tcp, Executor>;
using Clock = std::chrono::steady_clock;
using Timer = net::basic_waitable_timer<Clock, net::wait_traits<Clock>, Executor>;
using ErrorCode = boost::system::error_code;

constexpr int kBodyTimeoutMs = 30'000;
constexpr int kWriteTimeoutMs = 30'000;
constexpr size_t kGzipCacheBytes = 64u << 20;

constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

std::string HttpDate(int64_t unix_seconds);

// The Date header's value, formatted once per second per thread.
const std::string& NowHttpDate() {
  thread_local int64_t second = -1;
  thread_local std::string text;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (now != second) {
    second = now;
    text = HttpDate(now);
  }
  return text;
}

std::string HttpDate(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" → unix seconds; -1 if not in that form.
int64_t ParseHttpDate(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return -1;
  return static_cast<int64_t>(timegm(&tm));
}

std::optional<std::string> Gzip(const std::string& in) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
  std::string out;
  out.resize(deflateBound(&z, in.size()) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

// A bounded cache of gzipped bodies by ETag (pages are cached upstream, so
// the same body is compressed once, not per request).
class GzipCache {
 public:
  std::optional<std::string> Get(const std::string& etag) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(etag);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  void Put(const std::string& etag, const std::string& body) {
    std::lock_guard<std::mutex> lock(mu_);
    if (map_.count(etag)) return;
    while (bytes_ + body.size() > kGzipCacheBytes && !order_.empty()) {
      auto it = map_.find(order_.front());
      bytes_ -= it->second.size();
      map_.erase(it);
      order_.pop_front();
    }
    if (body.size() > kGzipCacheBytes) return;
    map_.emplace(etag, body);
    order_.push_back(etag);
    bytes_ += body.size();
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::string> map_;
  std::list<std::string> order_;
  size_t bytes_ = 0;
};

const char* kErrorPage =
    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>%d %s</title>"
    "</head><body><h1>%d %s</h1><p>%s</p><p><a href=\"/\">返回首页</a></p></body></html>";

Response ErrorResponse(int status, const char* title, const char* text) {
  Response r;
  r.status = status;
  char buf[1024];
  std::snprintf(buf, sizeof buf, kErrorPage, status, title, status, title, text);
  r.body = buf;
  return r;
}

// The answer to a request the parser refused (http_parse.h's statuses).
Response ParseErrorResponse(int status) {
  switch (status) {
    case 413:
      return ErrorResponse(413, "内容过大", "提交的内容超过了服务器的限制。");
    case 414:
      return ErrorResponse(414, "网址过长", "请求的网址超过了服务器的限制。");
    case 431:
      return ErrorResponse(431, "请求头过大", "请求头超过了服务器的限制（每行 8 KiB）。");
    case 501:
      return ErrorResponse(501, "不支持的传输编码", "服务器只接受 chunked 传输编码。");
    case 505:
      return ErrorResponse(505, "不支持的协议版本", "服务器只支持 HTTP/1.0 和 HTTP/1.1。");
    default:
      return ErrorResponse(400, "请求格式错误", "服务器无法理解这个请求。");
  }
}

// A header a handler set: a token name and a value without CR, LF or NUL
// (anything else would let text inside the value start a new header).
bool SafeHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= 0x20 || c >= 0x7f || c == ':') return false;
  }
  for (unsigned char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

// A response on the wire: the head (status line and fields) and the body,
// owned or shared with the page cache.
struct Wire {
  int status = 0;
  std::string head;
  std::string body;
  std::shared_ptr<const std::string> shared;
  bool send_body = false;
  // What the head says about the connection, and where that part starts
  // (the last field), so that a response can be turned into the
  // connection's last one after it was built (on shutdown).
  bool keep_alive = false;
  int version = 11;
  size_t connection_at = 0;

  void MakeLast() {
    if (!keep_alive) return;
    head.resize(connection_at);
    if (version != 10) AppendHeader(head, "Connection", "close");
    head.append("\r\n");
    keep_alive = false;
  }

  const std::string& Body() const { return shared ? *shared : body; }
  void Reset() {
    head.clear();
    body = std::string();  // an idle connection keeps no page
    shared.reset();
    send_body = false;
  }
};

class ServerImpl;
class Session;

// One I/O thread: its io_context, the connections that live on it and the
// timer that enforces their deadlines. Touched only on its own thread.
struct Loop {
  explicit Loop(ServerImpl& s) : server(s), ioc(1), sweep(ioc.get_executor()) {}
  void Add(Session* s);
  void Remove(Session* s);
  void StartSweep(Clock::duration tick);
  void CloseIdle();

  ServerImpl& server;
  bool running = true;      // false once its thread has left ioc.run()
  Session* head = nullptr;  // intrusive list of live sessions
  net::io_context ioc;      // after `head`: destroyed first, while the list is valid
  Timer sweep;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket socket, ServerImpl& server, Loop& loop, bool overloaded);
  ~Session();
  void Start();
  void Close();
  bool idle() const { return phase_ == Phase::kIdle; }
  bool expired(Clock::time_point now) const { return deadline_ <= now; }

  Session* prev = nullptr;
  Session* next = nullptr;
  bool registered = false;

 private:
  enum class Phase { kIdle, kHead, kBody, kHandling, kWriting, kClosed };

  void Next();
  void Read();
  void SendContinue();
  void Dispatch();
  void Reply(Response r);
  void Write(bool close);
  std::string_view Buffered() const { return {buf_.data() + begin_, end_ - begin_}; }

  Socket socket_;
  ServerImpl& server_;
  Loop& loop_;
  bool overloaded_;
  std::string peer_;
  Phase phase_ = Phase::kIdle;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point started_;

  std::vector<char> buf_;  // received bytes [begin_, end_)
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t scanned_ = 0;  // bytes after begin_ already searched for the head's end

  // The request being read.
  bool have_head_ = false;
  int64_t content_length_ = 0;
  std::optional<ChunkedDecoder> chunked_;
  bool expect_continue_ = false;
  bool continue_sent_ = false;
  bool keep_alive_ = true;
  int version_ = 11;
  Request req_;
  Wire wire_;
};

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, Handler handler, FastHandler fast)
      : options_(options),
        handler_(std::move(handler)),
        fast_(std::move(fast)),
        workers_(options.worker_threads > 0
                     ? options.worker_threads
                     : 2 * std::max(1u, std::thread::hardware_concurrency())) {
    const int n = options.io_threads > 0
                      ? options.io_threads
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) loops_.push_back(std::make_unique<Loop>(*this));
    acceptor_.emplace(loops_[0]->ioc.get_executor());
    signals_.emplace(loops_[0]->ioc.get_executor());
    // Catch the signals from the start: a SIGTERM that arrives after the
    // caller has announced the server but before Run() is queued and stops
    // it, instead of killing the process with the default action.
    if (options.handle_signals) {
      signals_->add(SIGTERM);
      signals_->add(SIGINT);
    }
    limits_.max_header_line = static_cast<size_t>(std::max(options.max_header_line, 256));
    limits_.max_header_total = static_cast<size_t>(std::max(options.max_header_total, 1024));
    limits_.body_limit = std::max<int64_t>(options.body_limit, 0);
  }

  Status Bind() {
    const size_t colon = options_.listen.rfind(':');
    if (colon == std::string::npos) {
      return Status::InvalidArgument("listen address '" + options_.listen + "' is not host:port");
    }
    std::string host = options_.listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    int port = -1;
    try {
      port = std::stoi(options_.listen.substr(colon + 1));
    } catch (const std::exception&) {
    }
    if (port < 0 || port > 65535) {
      return Status::InvalidArgument("listen address '" + options_.listen + "': bad port");
    }
    ErrorCode ec;
    const auto addr = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
    if (ec) return Status::InvalidArgument("listen address '" + host + "': " + ec.message());
    const tcp::endpoint ep(addr, static_cast<unsigned short>(port));
    acceptor_->open(ep.protocol(), ec);
    if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(ep, ec);
    if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Status::IoError("cannot listen on " + options_.listen + ": " + ec.message());
    port_ = acceptor_->local_endpoint().port();
    return Status::Ok();
  }

  int port() const override { return port_; }

  void Run() override {
    if (options_.handle_signals) {
      signals_->async_wait([this](ErrorCode ec, int) {
        if (!ec) Stop();
      });
    }
    // The sweep ticks often enough for the shortest deadline to be kept
    // within a quarter of itself.
    const int shortest = std::min(options_.header_timeout_ms, options_.idle_timeout_ms);
    const auto tick = std::chrono::milliseconds(std::clamp(shortest / 4, 25, 1000));
    for (auto& loop : loops_) loop->StartSweep(tick);
    Accept();
    std::vector<std::thread> threads;
    for (size_t i = 1; i < loops_.size(); ++i) {
      threads.emplace_back([this, i] { loops_[i]->ioc.run(); });
    }
    loops_[0]->ioc.run();
    for (std::thread& t : threads) t.join();
    for (auto& loop : loops_) loop->running = false;
    workers_.join();
  }

  void Stop() override {
    // Set at once: every response written after Stop() returns says
    // "Connection: close"; the listener and idle connections close on their
    // I/O threads; each thread's loop ends when its last connection has.
    if (stopping_.exchange(true)) return;
    net::post(loops_[0]->ioc, [this] {
      ErrorCode ec;
      acceptor_->close(ec);
      signals_->cancel(ec);
    });
    for (auto& loop : loops_) {
      net::post(loop->ioc, [l = loop.get()] { l->CloseIdle(); });
    }
  }

  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  const ServerOptions& options() const { return options_; }
  const HttpLimits& limits() const { return limits_; }
  net::thread_pool& workers() { return workers_; }
  void ConnectionClosed() { --connections_; }

  // The fast handler's answer (from memory, on the I/O thread), if any.
  std::optional<Response> TryFast(const Request& req) {
    if (!fast_ || req.path == "/healthz") return std::nullopt;
    try {
      return fast_(req);
    } catch (const std::exception& e) {
      LOG(kError) << req.method << " " << req.target << ": " << e.what();
      return std::nullopt;
    }
  }

  // The client address: the peer, or X-Forwarded-For's last untrusted hop
  // when the peer is a trusted proxy.
  std::string ClientIp(const std::string& peer, const std::string& xff) const {
    if (xff.empty() || !Trusted(peer)) return peer;
    std::string_view rest = xff;
    while (!rest.empty()) {
      const size_t comma = rest.rfind(',');
      std::string_view hop = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
      while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
      while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
      if (hop.empty()) continue;
      if (!Trusted(std::string(hop))) {
        ErrorCode ec;
        net::ip::make_address(std::string(hop), ec);
        return ec ? peer : std::string(hop);
      }
    }
    return peer;
  }
  bool Trusted(const std::string& ip) const {
    for (const std::string& t : options_.trusted_proxies) {
      if (t == ip) return true;
    }
    return false;
  }

  // Runs the handler and turns its Response into the wire response.
  void Serve(const Request& req, bool keep_alive, int version, Wire* wire) {
    Response r;
    if (req.path == "/healthz") {
      r.content_type = "text/plain; charset=utf-8";
      r.body = stopping() ? "stopping\n" : "ok\n";
      r.status = stopping() ? 503 : 200;
      r.cache_control = "no-store";
    } else {
      try {
        r = handler_(req);
      } catch (const std::exception& e) {
        LOG(kError) << req.method << " " << req.target << ": " << e.what();
        r = ErrorResponse(500, "服务器内部错误", "页面暂时无法显示，请稍后再试。");
      } catch (...) {
        LOG(kError) << req.method << " " << req.target << ": unknown exception";
        r = ErrorResponse(500, "服务器内部错误", "页面暂时无法显示，请稍后再试。");
      }
    }
    Finish(req, std::move(r), keep_alive, version, wire);
  }

  // The response as it goes on the wire: status line, the security headers,
  // validators, gzip, Content-Length and Connection.
  void Finish(const Request& req, Response r, bool keep_alive, int version, Wire* w) {
    w->Reset();
    const bool get = req.method == "GET" || req.method == "HEAD";
    std::string type = std::move(r.content_type);
    if (Compressible(type) && type.find("charset") == std::string::npos) type += "; charset=utf-8";
    const std::string& body = r.shared_body ? *r.shared_body : r.body;
    if (r.status == 200 && get && r.etag.empty() && !r.personal) r.etag = BodyEtag(body);
    int status = r.status;
    // A gzipped body is another representation: it gets its own ETag.
    // Already encoded by the site (SlotGzip) for this request's
    // Accept-Encoding: sent as is.
    const bool encoded = !r.content_encoding.empty();
    bool gzip = !encoded && status == 200 && Compressible(type) && body.size() >= kGzipMinBytes &&
                AcceptsGzip(req.Header("accept-encoding"));
    std::optional<std::string> zipped;
    if (gzip) {
      const bool cacheable = !r.etag.empty() && !r.personal;
      zipped = cacheable ? gzip_cache_.Get(r.etag) : std::nullopt;
      if (!zipped) {
        zipped = Gzip(body);
        if (zipped && cacheable) gzip_cache_.Put(r.etag, *zipped);
      }
      gzip = zipped.has_value();  // else sent as is after all
      if (gzip && r.etag.size() >= 2 && r.etag.back() == '"') {
        r.etag.insert(r.etag.size() - 1, "-gzip");
      }
    }
    bool not_modified = false;
    if (status == 200 && get) {
      const std::string inm = req.Header("if-none-match");
      if (!inm.empty()) {
        not_modified = inm == "*" || (!r.etag.empty() && inm.find(r.etag) != std::string::npos);
      } else if (r.last_modified > 0) {
        const int64_t since = ParseHttpDate(req.Header("if-modified-since"));
        not_modified = since >= r.last_modified;
      }
      if (not_modified) status = 304;
    }
    std::string& h = w->head;
    h.reserve(768);
    h.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    h.append(std::to_string(status));
    h.push_back(' ');
    h.append(ReasonPhrase(status));
    h.append("\r\n");
    AppendHeader(h, "Date", NowHttpDate());
    AppendHeader(h, "Server", "baogao");
    AppendHeader(h, "Content-Security-Policy", kCsp);
    AppendHeader(h, "X-Content-Type-Options", "nosniff");
    AppendHeader(h, "X-Frame-Options", "DENY");
    AppendHeader(h, "Referrer-Policy", "strict-origin-when-cross-origin");
    AppendHeader(h, "Cache-Control", r.cache_control.empty() ? "no-cache" : r.cache_control);
    if (!r.etag.empty()) AppendHeader(h, "ETag", r.etag);
    if (r.last_modified > 0) AppendHeader(h, "Last-Modified", HttpDate(r.last_modified));
    for (const auto& [k, v] : r.headers) {
      if (SafeHeader(k, v)) {
        AppendHeader(h, k, v);
      } else {
        LOG(kError) << req.method << " " << req.target << ": header '" << k
                    << "' dropped: not a safe field";
      }
    }
    if (Compressible(type)) AppendHeader(h, "Vary", "Accept-Encoding");
    w->status = status;
    if (!not_modified) {
      AppendHeader(h, "Content-Type", type);
      if (gzip) AppendHeader(h, "Content-Encoding", "gzip");
      if (encoded) AppendHeader(h, "Content-Encoding", r.content_encoding);
      size_t length;
      if (gzip) {
        w->body = std::move(*zipped);
        length = w->body.size();
      } else if (r.shared_body) {
        w->shared = std::move(r.shared_body);
        length = w->shared->size();
      } else {
        w->body = std::move(r.body);
        length = w->body.size();
      }
      AppendHeader(h, "Content-Length", std::to_string(length));
      w->send_body = req.method != "HEAD";
    }
    w->keep_alive = keep_alive;
    w->version = version;
    w->connection_at = h.size();
    if (version == 10 && keep_alive) AppendHeader(h, "Connection", "keep-alive");
    if (version != 10 && !keep_alive) AppendHeader(h, "Connection", "close");
    h.append("\r\n");
  }

  void Log(const Request& req, int status, size_t bytes, Clock::time_point started) {
    if (options_.access_log == nullptr) return;
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    char line[2048];
    const int n = std::snprintf(line, sizeof line, "%s %s \"%s %.1024s\" %d %zu %.2fms\n",
                                req.client_ip.c_str(), NowHttpDate().c_str(), req.method.c_str(),
                                req.target.c_str(), status, bytes, ms);
    if (n > 0) {
      std::lock_guard<std::mutex> lock(log_mu_);
      std::fwrite(line, 1, std::min<size_t>(static_cast<size_t>(n), sizeof line - 1),
                  options_.access_log);
      std::fflush(options_.access_log);
    }
  }

 private:
  // Accepts on the first loop and hands each connection to the next loop
  // in turn, where it stays.
  void Accept() {
    Loop& target = *loops_[next_loop_];
    next_loop_ = (next_loop_ + 1) % loops_.size();
    acceptor_->async_accept(target.ioc, [this, &target](ErrorCode ec, Socket s) {
      if (ec) {
        if (stopping() || ec == net::error::operation_aborted) return;
        LOG(kWarning) << "accept: " << ec.message();
      } else {
        const bool overloaded = ++connections_ > options_.max_connections;
        auto session = std::make_shared<Session>(std::move(s), *this, target, overloaded);
        net::post(target.ioc, [session = std::move(session)] { session->Start(); });
      }
      if (!stopping()) Accept();
    });
  }

  ServerOptions options_;
  Handler handler_;
  FastHandler fast_;
  HttpLimits limits_;
  net::thread_pool workers_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  size_t next_loop_ = 0;
  std::mutex log_mu_;
  GzipCache gzip_cache_;
  // Last: destroyed first, while everything a session refers to still is.
  std::vector<std::unique_ptr<Loop>> loops_;
  std::optional<Acceptor> acceptor_;
  std::optional<net::basic_signal_set<Executor>> signals_;
};

void Loop::Add(Session* s) {
  s->next = head;
  if (head != nullptr) head->prev = s;
  head = s;
  s->registered = true;
}

void Loop::Remove(Session* s) {
  if (!s->registered) return;
  if (s->prev != nullptr) s->prev->next = s->next;
  if (s->next != nullptr) s->next->prev = s->prev;
  if (head == s) head = s->next;
  s->registered = false;
  // The last connection of a stopping server: the loop may end now rather
  // than at the sweep's next tick.
  if (head == nullptr && running && server.stopping()) sweep.cancel();
}

void Loop::StartSweep(Clock::duration tick) {
  sweep.expires_after(tick);
  sweep.async_wait([this, tick](ErrorCode ec) {
    if (ec) return;
    const Clock::time_point now = Clock::now();
    for (Session* s = head; s != nullptr;) {
      Session* next = s->next;  // Close() never frees `s` here: its handlers hold it
      if (s->expired(now)) s->Close();
      s = next;
    }
    if (server.stopping() && head == nullptr) return;  // the loop may end
    StartSweep(tick);
  });
}

void Loop::CloseIdle() {
  for (Session* s = head; s != nullptr;) {
    Session* next = s->next;
    if (s->idle()) s->Close();
    s = next;
  }
  if (head == nullptr) sweep.cancel();
}

Session::Session(Socket socket, ServerImpl& server, Loop& loop, bool overloaded)
    : socket_(std::move(socket)), server_(server), loop_(loop), overloaded_(overloaded) {}

Session::~Session() {
  loop_.Remove(this);
  server_.ConnectionClosed();
}

void Session::Start() {
  loop_.Add(this);
  ErrorCode ec;
  const auto ep = socket_.remote_endpoint(ec);
  peer_ = ec ? std::string("-") : ep.address().to_string();
  socket_.set_option(tcp::no_delay(true), ec);  // one write per response: no reason to wait
  if (overloaded_) return Reply(ErrorResponse(503, "服务繁忙", "当前访问人数过多，请稍后再试。"));
  buf_.resize(8192);
  Next();
}

// Parses what has arrived, reads more, or dispatches a complete request.
void Session::Next() {
  if (phase_ == Phase::kClosed) return;
  if (!have_head_) {
    if (begin_ == end_) {
      if (server_.stopping()) return Close();
      phase_ = Phase::kIdle;
      deadline_ = Clock::now() + std::chrono::milliseconds(server_.options().idle_timeout_ms);
      return Read();
    }
    if (phase_ != Phase::kHead) {  // the first bytes of a request
      phase_ = Phase::kHead;
      started_ = Clock::now();
      deadline_ = started_ + std::chrono::milliseconds(server_.options().header_timeout_ms);
    }
    // The head is parsed once it is all here: re-parsing everything on
    // each read would let a client sending a byte at a time make the
    // server scan up to max_header_total bytes per byte. Until then only
    // the new bytes are searched, and the limits checked on the line that
    // is still arriving (at most max_header_line bytes back).
    const std::string_view buffered = Buffered();
    const size_t end = buffered.find("\r\n\r\n", scanned_ > 3 ? scanned_ - 3 : 0);
    if (end == std::string_view::npos) {
      const HttpLimits& limits = server_.limits();
      const size_t nl = buffered.rfind('\n');
      const size_t line = buffered.size() - (nl == std::string_view::npos ? 0 : nl + 1);
      if (buffered.size() > limits.max_header_total) return Reply(ParseErrorResponse(431));
      if (line > limits.max_header_line) {
        return Reply(ParseErrorResponse(nl == std::string_view::npos ? 414 : 431));
      }
      scanned_ = buffered.size();
      return Read();
    }
    RequestHead head;
    int error = 400;
    const ParseState st = ParseRequestHead(buffered, server_.limits(), &head, &error);
    if (st == ParseState::kError) return Reply(ParseErrorResponse(error));
    if (st == ParseState::kIncomplete) {  // only empty lines so far: wait for more
      scanned_ = buffered.size();
      return Read();
    }
    scanned_ = 0;
    // Everything needed is copied out before the buffer moves.
    req_.method.assign(head.method);
    req_.target.assign(head.target);
    req_.path.clear();
    req_.query.clear();
    ParseTarget(req_.target, &req_.path, &req_.query);
    req_.headers.clear();
    for (const auto& [name, value] : head.fields) {
      std::string lower(name);
      for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      auto [it, inserted] = req_.headers.emplace(std::move(lower), std::string(value));
      if (!inserted) {
        it->second += ", ";
        it->second.append(value);
      }
    }
    req_.body.clear();
    req_.client_ip = server_.ClientIp(peer_, req_.Header("x-forwarded-for"));
    req_.secure = server_.Trusted(peer_) && req_.Header("x-forwarded-proto") == "https";
    version_ = head.version;
    keep_alive_ = head.keep_alive;
    content_length_ = head.content_length;
    expect_continue_ = head.expect_continue;
    continue_sent_ = false;
    if (head.chunked) {
      chunked_.emplace(server_.limits().body_limit);
    } else {
      chunked_.reset();
    }
    begin_ += head.size;
    have_head_ = true;
  }
  // The body.
  bool complete;
  if (chunked_) {
    size_t used = 0;
    int error = 400;
    const ParseState st = chunked_->Feed(Buffered(), &used, &req_.body, &error);
    begin_ += used;
    if (st == ParseState::kError) return Reply(ParseErrorResponse(error));
    complete = st == ParseState::kComplete;
  } else {
    const size_t want = static_cast<size_t>(content_length_) - req_.body.size();
    const size_t take = std::min(want, end_ - begin_);
    req_.body.append(buf_.data() + begin_, take);
    begin_ += take;
    complete = req_.body.size() == static_cast<size_t>(content_length_);
  }
  if (complete) return Dispatch();
  if (phase_ != Phase::kBody) {
    phase_ = Phase::kBody;
    deadline_ = Clock::now() + std::chrono::milliseconds(kBodyTimeoutMs);
  }
  if (expect_continue_ && !continue_sent_) return SendContinue();
  Read();
}

void Session::Read() {
  if (begin_ == end_) {
    begin_ = end_ = 0;
  } else if (buf_.size() - end_ < 4096 && begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() - end_ < 4096) {
    // Only a head can need more room than the first 8 KiB, and the parser
    // refuses one over max_header_total.
    buf_.resize(std::max(buf_.size() * 2, end_ + 4096));
  }
  socket_.async_read_some(net::buffer(buf_.data() + end_, buf_.size() - end_),
                          [self = shared_from_this()](ErrorCode ec, size_t n) {
                            if (ec) return self->Close();
                            self->end_ += n;
                            self->Next();
                          });
}

void Session::SendContinue() {
  continue_sent_ = true;
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  net::async_write(socket_, net::buffer(kContinue.data(), kContinue.size()),
                   [self = shared_from_this()](ErrorCode ec, size_t) {
                     if (ec) return self->Close();
                     self->Read();
                   });
}

void Session::Dispatch() {
  have_head_ = false;
  phase_ = Phase::kHandling;
  deadline_ = Clock::time_point::max();
  const bool keep_alive = keep_alive_ && !server_.stopping();
  if (std::optional<Response> fast = server_.TryFast(req_)) {
    server_.Finish(req_, std::move(*fast), keep_alive, version_, &wire_);
    server_.Log(req_, wire_.status, wire_.Body().size(), started_);
    return Write(!keep_alive || server_.stopping());
  }
  // The handler may block on the database or index: never on this thread.
  // The work guard keeps this loop alive meanwhile (during shutdown the
  // connection has no pending operation while its request is handled). The
  // session is handed back, never released on the worker, so that it always
  // ends on its own thread.
  auto guard = net::make_work_guard(socket_.get_executor());
  net::post(server_.workers(), [self = shared_from_this(), keep_alive, guard]() mutable {
    Session* s = self.get();
    s->server_.Serve(s->req_, keep_alive, s->version_, &s->wire_);
    s->server_.Log(s->req_, s->wire_.status, s->wire_.Body().size(), s->started_);
    net::post(s->socket_.get_executor(), [self = std::move(self), keep_alive] {
      self->Write(!keep_alive || self->server_.stopping());
    });
  });
}

// An answer without a request to hand on (refused requests, overload):
// written, then the connection closes.
void Session::Reply(Response r) {
  Request req;
  req.method = "GET";
  server_.Finish(req, std::move(r), false, 11, &wire_);
  Write(true);
}

void Session::Write(bool close) {
  if (phase_ == Phase::kClosed) return;
  if (close) wire_.MakeLast();
  phase_ = Phase::kWriting;
  deadline_ = Clock::now() + std::chrono::milliseconds(kWriteTimeoutMs);
  const std::string& body = wire_.Body();
  const std::array<net::const_buffer, 2> buffers{
      net::buffer(wire_.head), net::buffer(body.data(), wire_.send_body ? body.size() : 0)};
  net::async_write(socket_, buffers, [self = shared_from_this(), close](ErrorCode ec, size_t) {
    self->wire_.Reset();
    if (ec || close) return self->Close();
    self->Next();
  });
}

void Session::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  deadline_ = Clock::time_point::max();
  ErrorCode ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  socket_.close(ec);
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler,
                                              FastHandler fast) {
  if (!handler) return Status::InvalidArgument("no request handler");
  auto s = std::make_unique<ServerImpl>(options, std::move(handler), std::move(fast));
  BAOGAO_RETURN_IF_ERROR(s->Bind());
  return std::unique_ptr<Server>(std::move(s));
}

}  // namespace baogao::web
