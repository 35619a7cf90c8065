// Boost.Beast transport for web::Handler. See server.h for the contract.
#include "web/server.h"

#include <zlib.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "base/log.h"

namespace baogao::web {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr int kBodyTimeoutMs = 30'000;
constexpr int kWriteTimeoutMs = 30'000;
constexpr size_t kGzipMinBytes = 1024;
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

bool Compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.find("xml") != std::string_view::npos ||
         content_type.find("json") != std::string_view::npos ||
         content_type.find("javascript") != std::string_view::npos;
}

bool AcceptsGzip(const std::string& accept_encoding) {
  // Good enough for real clients: "gzip" listed and not refused with q=0.
  const size_t p = accept_encoding.find("gzip");
  if (p == std::string::npos) return false;
  const std::string_view rest = std::string_view(accept_encoding).substr(p + 4);
  const size_t comma = rest.find(',');
  const std::string_view params = rest.substr(0, comma);
  return params.find("q=0") == std::string_view::npos ||
         params.find("q=0.") != std::string_view::npos;
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

class ServerImpl;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerImpl& server, bool overloaded);
  ~Session();
  void Start();
  // On shutdown: closes the connection if it waits for a request.
  void CloseIfIdle();

 private:
  void WaitRequest();
  void ReadHeader();
  void OnHeader(beast::error_code ec);
  void OnRequest(beast::error_code ec);
  void Reply(Response r, bool close);
  void Write(std::shared_ptr<http::response<http::string_body>> res, bool close);
  void Close();
  Request MakeRequest() const;

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  ServerImpl& server_;
  std::string peer_;
  bool overloaded_;
  bool idle_ = false;
  bool closed_ = false;
  std::chrono::steady_clock::time_point started_;
};

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, Handler handler, FastHandler fast)
      : options_(options),
        handler_(std::move(handler)),
        fast_(std::move(fast)),
        io_threads_(options.io_threads > 0 ? options.io_threads
                                           : std::max(1u, std::thread::hardware_concurrency())),
        ioc_(io_threads_),
        workers_(options.worker_threads > 0
                     ? options.worker_threads
                     : 2 * std::max(1u, std::thread::hardware_concurrency())),
        acceptor_(ioc_),
        signals_(ioc_) {}

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
    beast::error_code ec;
    const auto addr = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
    if (ec) return Status::InvalidArgument("listen address '" + host + "': " + ec.message());
    const tcp::endpoint ep(addr, static_cast<unsigned short>(port));
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Status::IoError("cannot listen on " + options_.listen + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    return Status::Ok();
  }

  int port() const override { return port_; }

  void Run() override {
    if (options_.handle_signals) {
      signals_.add(SIGTERM);
      signals_.add(SIGINT);
      signals_.async_wait([this](beast::error_code ec, int) {
        if (!ec) Stop();
      });
    }
    Accept();
    std::vector<std::thread> threads;
    for (int i = 1; i < io_threads_; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (std::thread& t : threads) t.join();
    workers_.join();
  }

  void Stop() override {
    // Set at once: every response written after Stop() returns says
    // "Connection: close"; the listener and idle connections close on the
    // I/O thread.
    if (stopping_.exchange(true)) return;
    net::post(ioc_, [this] {
      beast::error_code ec;
      acceptor_.close(ec);
      signals_.cancel(ec);
      std::vector<std::shared_ptr<Session>> live;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& w : sessions_) {
          if (auto s = w.second.lock()) live.push_back(std::move(s));
        }
      }
      for (auto& s : live) s->CloseIfIdle();
    });
  }

  bool stopping() const { return stopping_.load(); }

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
  const ServerOptions& options() const { return options_; }
  net::thread_pool& workers() { return workers_; }

  void Register(Session* s, const std::shared_ptr<Session>& p) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[s] = p;
  }
  void Unregister(Session* s) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.erase(s);
    --connections_;
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
        beast::error_code ec;
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
  std::shared_ptr<http::response<http::string_body>> Serve(const Request& req, bool keep_alive,
                                                           unsigned version) {
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
    return Finish(req, std::move(r), keep_alive, version);
  }

  std::shared_ptr<http::response<http::string_body>> Finish(const Request& req, Response r,
                                                            bool keep_alive, unsigned version) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(version);
    const bool get = req.method == "GET" || req.method == "HEAD";
    std::string type = r.content_type;
    if ((type.starts_with("text/") || type.find("xml") != std::string::npos ||
         type.find("json") != std::string::npos || type.find("javascript") != std::string::npos) &&
        type.find("charset") == std::string::npos) {
      type += "; charset=utf-8";
    }
    if (r.status == 200 && get && r.etag.empty() && !r.personal) {
      r.etag = BodyEtag(r.body);
    }
    int status = r.status;
    // A gzipped body is another representation: it gets its own ETag.
    const bool will_gzip = status == 200 && Compressible(type) && r.body.size() >= kGzipMinBytes &&
                           AcceptsGzip(req.Header("accept-encoding"));
    const std::string base_etag = r.etag;
    if (will_gzip && r.etag.size() >= 2 && r.etag.back() == '"') {
      r.etag.insert(r.etag.size() - 1, "-gzip");
    }
    bool not_modified = false;
    if (status == 200 && get) {
      const std::string inm = req.Header("if-none-match");
      if (!inm.empty()) {
        not_modified = inm == "*" || inm.find(r.etag) != std::string::npos;
      } else if (r.last_modified > 0) {
        const int64_t since = ParseHttpDate(req.Header("if-modified-since"));
        not_modified = since >= r.last_modified;
      }
      if (not_modified) status = 304;
    }
    res->result(static_cast<http::status>(status));
    res->set(http::field::date, NowHttpDate());
    res->set(http::field::server, "baogao");
    res->set("Content-Security-Policy", kCsp);
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    res->set("Referrer-Policy", "strict-origin-when-cross-origin");
    res->set(http::field::cache_control, r.cache_control.empty() ? "no-cache" : r.cache_control);
    if (!r.etag.empty()) res->set(http::field::etag, r.etag);
    if (r.last_modified > 0) res->set(http::field::last_modified, HttpDate(r.last_modified));
    for (const auto& [k, v] : r.headers) res->insert(k, v);
    if (Compressible(type)) res->set(http::field::vary, "Accept-Encoding");
    if (not_modified) {
      res->keep_alive(keep_alive);
      return res;
    }
    res->set(http::field::content_type, type);
    std::string body = std::move(r.body);
    if (will_gzip) {
      const bool cacheable = !base_etag.empty() && !r.personal;
      std::optional<std::string> z = cacheable ? gzip_cache_.Get(base_etag) : std::nullopt;
      if (!z) {
        z = Gzip(body);
        if (z && cacheable) gzip_cache_.Put(base_etag, *z);
      }
      if (z) {
        body = std::move(*z);
        res->set(http::field::content_encoding, "gzip");
      } else if (!base_etag.empty()) {
        res->set(http::field::etag, base_etag);  // sent as is after all
      }
    }
    const size_t length = body.size();
    if (req.method != "HEAD") res->body() = std::move(body);
    res->content_length(length);
    res->keep_alive(keep_alive);
    return res;
  }

  void Log(const Request& req, int status, size_t bytes, double ms) {
    if (options_.access_log == nullptr) return;
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
  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (stopping() || ec == net::error::operation_aborted) return;
        LOG(kWarning) << "accept: " << ec.message();
      } else {
        const bool overloaded = ++connections_ > options_.max_connections;
        auto session = std::make_shared<Session>(std::move(s), *this, overloaded);
        Register(session.get(), session);
        session->Start();
      }
      if (!stopping()) Accept();
    });
  }

  ServerOptions options_;
  Handler handler_;
  FastHandler fast_;
  int io_threads_;
  net::io_context ioc_;
  net::thread_pool workers_;
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  std::mutex log_mu_;
  GzipCache gzip_cache_;
};

Session::Session(tcp::socket socket, ServerImpl& server, bool overloaded)
    : stream_(std::move(socket)), server_(server), overloaded_(overloaded) {
  beast::error_code ec;
  const auto ep = stream_.socket().remote_endpoint(ec);
  peer_ = ec ? std::string("-") : ep.address().to_string();
}

Session::~Session() { server_.Unregister(this); }

void Session::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->overloaded_) {
      self->Reply(ErrorResponse(503, "服务繁忙", "当前访问人数过多，请稍后再试。"), true);
      return;
    }
    self->WaitRequest();
  });
}

void Session::CloseIfIdle() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->idle_) self->Close();
  });
}

void Session::WaitRequest() {
  if (server_.stopping()) return Close();
  if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
  idle_ = true;
  stream_.expires_after(std::chrono::milliseconds(server_.options().idle_timeout_ms));
  stream_.async_read_some(buffer_.prepare(8192),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            self->idle_ = false;
                            self->buffer_.commit(n);
                            if (ec) return self->Close();
                            self->ReadHeader();
                          });
}

void Session::ReadHeader() {
  started_ = std::chrono::steady_clock::now();
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(server_.options().max_header_total));
  parser_->body_limit(static_cast<uint64_t>(server_.options().body_limit));
  stream_.expires_after(std::chrono::milliseconds(server_.options().header_timeout_ms));
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

void Session::OnHeader(beast::error_code ec) {
  if (ec == http::error::header_limit) {
    return Reply(ErrorResponse(431, "请求头过大", "请求头超过了服务器的限制。"), true);
  }
  if (ec == http::error::body_limit) {  // a Content-Length over the limit
    return Reply(ErrorResponse(413, "内容过大", "提交的内容超过了服务器的限制。"), true);
  }
  if (ec == beast::error::timeout || ec == http::error::end_of_stream || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == net::error::operation_aborted) {
    return Close();
  }
  if (ec) return Reply(ErrorResponse(400, "请求格式错误", "服务器无法理解这个请求。"), true);
  const auto& h = parser_->get();
  const size_t line_limit = static_cast<size_t>(server_.options().max_header_line);
  if (h.target().size() > line_limit) {
    return Reply(ErrorResponse(414, "网址过长", "请求的网址超过了服务器的限制。"), true);
  }
  for (const auto& f : h) {
    if (f.name_string().size() + f.value().size() + 2 > line_limit) {
      return Reply(ErrorResponse(431, "请求头过大", "某一行请求头超过了 8 KiB 的限制。"), true);
    }
  }
  if (parser_->is_done()) return OnRequest({});
  stream_.expires_after(std::chrono::milliseconds(kBodyTimeoutMs));
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code e, size_t) { self->OnRequest(e); });
}

Request Session::MakeRequest() const {
  const auto& m = parser_->get();
  Request req;
  req.method = std::string(m.method_string());
  req.target = std::string(m.target());
  ParseTarget(req.target, &req.path, &req.query);
  for (const auto& f : m) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = req.headers.emplace(name, std::string(f.value()));
    if (!inserted) {
      it->second += ", ";
      it->second += std::string(f.value());
    }
  }
  req.body = m.body();
  req.client_ip = server_.ClientIp(peer_, req.Header("x-forwarded-for"));
  req.secure = server_.Trusted(peer_) && req.Header("x-forwarded-proto") == "https";
  return req;
}

void Session::OnRequest(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    return Reply(ErrorResponse(413, "内容过大", "提交的内容超过了服务器的限制。"), true);
  }
  if (ec) return Close();
  auto req = std::make_shared<Request>(MakeRequest());
  const bool keep_alive = parser_->get().keep_alive() && !server_.stopping();
  const unsigned version = parser_->get().version();
  if (std::optional<Response> fast = server_.TryFast(*req)) {
    auto res = server_.Finish(*req, std::move(*fast), keep_alive, version);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    server_.Log(*req, res->result_int(), res->body().size(), ms);
    return Write(res, !keep_alive || server_.stopping());
  }
  stream_.expires_never();
  // The handler may block on the database or index: never on this thread.
  // The work guard keeps the I/O loop alive meanwhile (during shutdown the
  // connection has no pending operation while its request is handled).
  auto guard = net::make_work_guard(stream_.get_executor());
  net::post(server_.workers(), [self = shared_from_this(), req, keep_alive, version, guard] {
    auto res = self->server_.Serve(*req, keep_alive, version);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - self->started_)
            .count();
    self->server_.Log(*req, res->result_int(), res->body().size(), ms);
    net::post(self->stream_.get_executor(), [self, res, keep_alive] {
      self->Write(res, !keep_alive || self->server_.stopping());
    });
  });
}

void Session::Reply(Response r, bool close) {
  Request req;
  req.method = "GET";
  auto res = server_.Finish(req, std::move(r), !close, 11);
  Write(res, close);
}

// The response as one buffer: status line, fields, body. One write, and
// none of the serializer's per-buffer bookkeeping (a measurable share of a
// cached page's cost).
std::shared_ptr<std::string> Serialize(const http::response<http::string_body>& res) {
  auto out = std::make_shared<std::string>();
  const std::string& body = res.body();
  out->reserve(512 + body.size());
  out->append(res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out->append(std::to_string(res.result_int()));
  out->push_back(' ');
  const auto reason = res.reason();
  out->append(reason.data(), reason.size());
  out->append("\r\n");
  for (const auto& f : res) {
    const auto name = f.name_string();
    const auto value = f.value();
    out->append(name.data(), name.size());
    out->append(": ");
    out->append(value.data(), value.size());
    out->append("\r\n");
  }
  out->append("\r\n");
  out->append(body);
  return out;
}

void Session::Write(std::shared_ptr<http::response<http::string_body>> res, bool close) {
  if (close) res->keep_alive(false);
  auto wire = Serialize(*res);
  stream_.expires_after(std::chrono::milliseconds(kWriteTimeoutMs));
  net::async_write(stream_, net::buffer(*wire),
                   [self = shared_from_this(), wire, close](beast::error_code ec, size_t) {
                     if (ec || close) return self->Close();
                     self->WaitRequest();
                   });
}

void Session::Close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.close();
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
