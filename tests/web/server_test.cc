// The real server on 127.0.0.1:0, driven over real sockets: headers,
// conditional GETs, gzip, HEAD, pipelining, limits, deadlines, proxies,
// errors and graceful shutdown.
#include "web/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "../common/gunzip.h"

namespace baogao::web {
namespace {

using testing::Gunzip;

// A connected client socket with a receive deadline.
class Client {
 public:
  explicit Client(int port, int timeout_ms = 5000) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      const ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  }
  // Everything until the server closes or the deadline passes.
  std::string ReadAll() {
    std::string out;
    char buf[65536];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // One response: headers, then Content-Length bytes (none for 304 or HEAD).
  std::string ReadResponse(bool head = false) {
    while (buffer_.find("\r\n\r\n") == std::string::npos) {
      if (!Fill()) return std::exchange(buffer_, "");
    }
    const size_t end = buffer_.find("\r\n\r\n") + 4;
    size_t length = 0;
    const std::string headers = Lower(buffer_.substr(0, end));
    const size_t cl = headers.find("content-length: ");
    if (cl != std::string::npos && !head && headers.find(" 304 ") == std::string::npos) {
      length = std::stoul(headers.substr(cl + 16));
    }
    while (buffer_.size() < end + length) {
      if (!Fill()) break;
    }
    std::string r = buffer_.substr(0, end + length);
    buffer_.erase(0, end + length);
    return r;
  }
  bool ClosedByPeer() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }
  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

 private:
  bool Fill() {
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string Body(const std::string& response) {
  const size_t p = response.find("\r\n\r\n");
  return p == std::string::npos ? "" : response.substr(p + 4);
}

std::string HeaderValue(const std::string& response, const std::string& name) {
  const std::string lower = Client::Lower(response.substr(0, response.find("\r\n\r\n") + 2));
  const size_t p = lower.find("\r\n" + name + ": ");
  if (p == std::string::npos) return "";
  const size_t start = p + 4 + name.size();
  return response.substr(start, response.find("\r\n", start) - start);
}

// Echoes what the server told the application, and a few special paths.
Response Echo(const Request& r) {
  Response res;
  if (r.path == "/throw") throw std::runtime_error("secret internal detail");
  if (r.path == "/big") {
    res.body = std::string(20000, 'x');
    return res;
  }
  res.content_type = "text/plain";
  res.body = r.method + " " + r.path + " ip=" + r.client_ip + " q=" + r.Param("q").value_or("") +
             " body=" + r.body;
  return res;
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions o, Handler h = Echo) {
    o.listen = "127.0.0.1:0";
    o.handle_signals = false;
    auto s = Server::Start(o, std::move(h));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_ != nullptr) {
      server_->Stop();
      thread_.join();
    }
  }
  int port() const { return server_->port(); }
  std::string Get(const std::string& target, const std::string& extra = "") {
    Client c(port());
    c.Send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "Connection: close\r\n\r\n");
    return c.ReadAll();
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ServerTest, SecurityHeadersCharsetAndDecodedParameters) {
  StartServer({});
  const std::string r = Get("/a%20b?q=%E5%8F%91%E5%B1%95+x");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200")) << r;
  EXPECT_EQ(Body(r), "GET /a b ip=127.0.0.1 q=发展 x body=");
  EXPECT_EQ(HeaderValue(r, "content-type"), "text/plain; charset=utf-8");
  EXPECT_NE(HeaderValue(r, "content-security-policy").find("script-src 'self'"), std::string::npos);
  EXPECT_NE(HeaderValue(r, "content-security-policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(HeaderValue(r, "x-content-type-options"), "nosniff");
  EXPECT_FALSE(HeaderValue(r, "referrer-policy").empty());
  EXPECT_FALSE(HeaderValue(r, "date").empty());
}

TEST_F(ServerTest, ConditionalGetHeadAndGzip) {
  StartServer({});
  const std::string r = Get("/big");
  const std::string etag = HeaderValue(r, "etag");
  ASSERT_FALSE(etag.empty());
  const std::string again = Get("/big", "If-None-Match: " + etag + "\r\n");
  EXPECT_TRUE(again.starts_with("HTTP/1.1 304")) << again;
  EXPECT_EQ(Body(again), "");
  const std::string other = Get("/big", "If-None-Match: \"nope\"\r\n");
  EXPECT_TRUE(other.starts_with("HTTP/1.1 200"));

  Client c(port());
  c.Send("HEAD /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string head = c.ReadAll();
  EXPECT_EQ(HeaderValue(head, "content-length"), "20000");
  EXPECT_EQ(Body(head), "");

  const std::string z = Get("/big", "Accept-Encoding: gzip, deflate\r\n");
  EXPECT_EQ(HeaderValue(z, "content-encoding"), "gzip");
  EXPECT_LT(Body(z).size(), 1000u);
  EXPECT_EQ(Gunzip(Body(z)), std::string(20000, 'x'));
  const std::string plain = Get("/big", "Accept-Encoding: gzip;q=0\r\n");
  EXPECT_EQ(HeaderValue(plain, "content-encoding"), "");
  // The gzipped representation has its own validator.
  const std::string gz_etag = HeaderValue(z, "etag");
  EXPECT_NE(gz_etag, etag);
  EXPECT_TRUE(Get("/big", "Accept-Encoding: gzip\r\nIf-None-Match: " + gz_etag + "\r\n")
                  .starts_with("HTTP/1.1 304"));
  EXPECT_TRUE(Get("/big", "If-None-Match: " + gz_etag + "\r\n").starts_with("HTTP/1.1 200"));
}

TEST_F(ServerTest, KeepAliveAndPipelinedRequestsAnsweredInOrder) {
  StartServer({});
  Client c(port());
  c.Send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(Body(c.ReadResponse()).substr(0, 8), "GET /one");
  EXPECT_EQ(Body(c.ReadResponse()).substr(0, 8), "GET /two");
  c.Send("POST /three HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_NE(Body(c.ReadResponse()).find("body=hello"), std::string::npos);
}

TEST_F(ServerTest, ChunkedBodiesContinueAndFraming) {
  ServerOptions o;
  o.body_limit = 100;
  StartServer(o, [](const Request& r) {
    Response res = Echo(r);
    // A handler's header that would split the response is never sent.
    if (r.path == "/inject") res.headers.emplace_back("X-Test", "a\r\nSet-Cookie: evil=1");
    return res;
  });
  {
    // A chunked body arriving in pieces, then a second request on the same
    // connection.
    Client c(port());
    c.Send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    c.Send("lo\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n");
    EXPECT_NE(Body(c.ReadResponse()).find("body=hello world"), std::string::npos);
    c.Send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(Body(c.ReadResponse()).substr(0, 10), "GET /after");
  }
  {
    // Expect: 100-continue gets its interim answer before the body is sent.
    Client c(port());
    c.Send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
    const std::string interim = c.ReadResponse();
    EXPECT_TRUE(interim.starts_with("HTTP/1.1 100 Continue")) << interim;
    c.Send("data");
    EXPECT_NE(Body(c.ReadResponse()).find("body=data"), std::string::npos);
  }
  auto raw = [&](const std::string& request) {
    Client c(port());
    c.Send(request);
    return c.ReadAll();
  };
  // Framings a proxy could read differently are refused, the connection
  // closed.
  const std::string both =
      raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
          "0\r\n\r\n");
  EXPECT_TRUE(both.starts_with("HTTP/1.1 400")) << both.substr(0, 40);
  EXPECT_EQ(HeaderValue(both, "connection"), "close");
  const std::string two =
      raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
  EXPECT_TRUE(two.starts_with("HTTP/1.1 400")) << two.substr(0, 40);
  const std::string gzip =
      raw("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
  EXPECT_TRUE(gzip.starts_with("HTTP/1.1 501")) << gzip.substr(0, 40);
  const std::string no_host = raw("GET / HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(no_host.starts_with("HTTP/1.1 400")) << no_host.substr(0, 40);
  const std::string http2 = raw("GET / HTTP/2.0\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(http2.starts_with("HTTP/1.1 505")) << http2.substr(0, 40);
  const std::string big_chunk =
      raw("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n");
  EXPECT_TRUE(big_chunk.starts_with("HTTP/1.1 413")) << big_chunk.substr(0, 40);
  // HTTP/1.0 keep-alive is honoured and said so.
  {
    Client c(port());
    c.Send("GET /ten HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const std::string r = c.ReadResponse();
    EXPECT_TRUE(r.starts_with("HTTP/1.0 200")) << r.substr(0, 40);
    EXPECT_EQ(HeaderValue(r, "connection"), "keep-alive");
    c.Send("GET /again HTTP/1.0\r\n\r\n");
    EXPECT_EQ(Body(c.ReadResponse()).substr(0, 10), "GET /again");
    EXPECT_TRUE(c.ClosedByPeer());
  }
  const std::string injected = Get("/inject");
  EXPECT_TRUE(injected.starts_with("HTTP/1.1 200")) << injected.substr(0, 40);
  EXPECT_EQ(HeaderValue(injected, "x-test"), "");
  EXPECT_EQ(HeaderValue(injected, "set-cookie"), "");
}

TEST_F(ServerTest, HeadsArrivingAByteAtATime) {
  ServerOptions o;
  o.max_header_line = 512;
  StartServer(o);
  auto drip = [&](const std::string& request) {
    Client c(port());
    for (char ch : request) c.Send(std::string(1, ch));  // the end may straddle reads
    return c.ReadResponse();
  };
  const std::string ok =
      drip("\r\nGET /drip HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(400, 'a') + "\r\n\r\n");
  EXPECT_TRUE(ok.starts_with("HTTP/1.1 200")) << ok.substr(0, 40);
  EXPECT_EQ(Body(ok).substr(0, 9), "GET /drip");
  // A line over the limit is refused while it is still arriving.
  Client c(port());
  c.Send("GET / HTTP/1.1\r\nHost: x\r\nX-B: ");
  for (int i = 0; i < 600; ++i) c.Send("b");
  const std::string refused = c.ReadAll();
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 431")) << refused.substr(0, 40);
  const std::string long_target = drip("GET /" + std::string(600, 't'));
  EXPECT_TRUE(long_target.starts_with("HTTP/1.1 414")) << long_target.substr(0, 40);
}

TEST_F(ServerTest, LimitsOnHeadersAndBodies) {
  ServerOptions o;
  o.body_limit = 100;
  StartServer(o);
  const std::string big_header = Get("/", "X-Big: " + std::string(9000, 'a') + "\r\n");
  EXPECT_TRUE(big_header.starts_with("HTTP/1.1 431")) << big_header.substr(0, 40);
  const std::string huge = Get("/", "X-Big: " + std::string(70000, 'a') + "\r\n");
  EXPECT_TRUE(huge.starts_with("HTTP/1.1 431")) << huge.substr(0, 40);
  Client c(port());
  c.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b'));
  const std::string r = c.ReadAll();
  EXPECT_TRUE(r.starts_with("HTTP/1.1 413")) << r.substr(0, 40);
  EXPECT_NE(Body(r).find("内容过大"), std::string::npos);
  const std::string bad = [&] {
    Client b(port());
    b.Send("NOT HTTP AT ALL\r\n\r\n");
    return b.ReadAll();
  }();
  EXPECT_TRUE(bad.starts_with("HTTP/1.1 400")) << bad.substr(0, 40);
}

TEST_F(ServerTest, SlowHeadersAndIdleConnectionsAreClosed) {
  ServerOptions o;
  o.header_timeout_ms = 300;
  o.idle_timeout_ms = 600;
  StartServer(o);
  Client slow(port());
  slow.Send("GET / HTTP/1.1\r\nHost: x\r\n");  // and never the end of the headers
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
  Client idle(port());
  idle.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(idle.ReadResponse().starts_with("HTTP/1.1 200"));
  EXPECT_TRUE(idle.ClosedByPeer());
}

TEST_F(ServerTest, TooManyConnectionsGet503) {
  ServerOptions o;
  o.max_connections = 2;
  StartServer(o);
  Client a(port()), b(port());
  a.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  b.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(a.ReadResponse().starts_with("HTTP/1.1 200"));
  ASSERT_TRUE(b.ReadResponse().starts_with("HTTP/1.1 200"));
  Client c(port());
  const std::string r = c.ReadAll();
  EXPECT_TRUE(r.starts_with("HTTP/1.1 503")) << r.substr(0, 40);
}

TEST_F(ServerTest, ForwardedForOnlyFromTrustedProxies) {
  StartServer({});
  EXPECT_NE(Body(Get("/", "X-Forwarded-For: 1.2.3.4\r\n")).find("ip=127.0.0.1"), std::string::npos);
  server_->Stop();
  thread_.join();
  server_.reset();
  ServerOptions o;
  o.trusted_proxies = {"127.0.0.1"};
  StartServer(o);
  EXPECT_NE(Body(Get("/", "X-Forwarded-For: 9.9.9.9, 1.2.3.4\r\n")).find("ip=1.2.3.4 "),
            std::string::npos);
  EXPECT_NE(Body(Get("/", "X-Forwarded-For: 1.2.3.4, 127.0.0.1\r\n")).find("ip=1.2.3.4 "),
            std::string::npos);
  EXPECT_NE(Body(Get("/", "X-Forwarded-For: garbage\r\n")).find("ip=127.0.0.1"), std::string::npos);
}

TEST_F(ServerTest, HandlerErrorsNeverShowInternals) {
  StartServer({});
  const std::string r = Get("/throw");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 500")) << r.substr(0, 40);
  EXPECT_EQ(r.find("secret"), std::string::npos);
  EXPECT_NE(r.find("服务器内部错误"), std::string::npos);
  EXPECT_TRUE(Get("/healthz").starts_with("HTTP/1.1 200"));
}

// `baogao serve` prints its URL between Start() and Run(); a supervisor's
// SIGTERM in that window must stop the server, not kill the process (the
// default action, which the crash test once met as "exit -15").
TEST(ServerSignalTest, ASigtermBeforeRunStopsTheServer) {
  ServerOptions o;
  o.listen = "127.0.0.1:0";
  o.handle_signals = true;
  auto s = Server::Start(o, Echo);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(::raise(SIGTERM), 0);
  (*s)->Run();  // returns at once: the signal was queued for it
  SUCCEED();
}

TEST_F(ServerTest, StopFinishesRequestsInFlight) {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, release = false;
  StartServer({}, [&](const Request& r) {
    std::unique_lock<std::mutex> lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return Echo(r);
  });
  Client busy(port());
  busy.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return entered; }));
  }
  Client idle(port());
  server_->Stop();
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  const std::string r = busy.ReadAll();
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200")) << r;
  EXPECT_EQ(HeaderValue(r, "connection"), "close");
  thread_.join();  // Run() returns once every connection is closed
  server_.reset();
}

}  // namespace
}  // namespace baogao::web
