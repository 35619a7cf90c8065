// A fixed-rate (open-loop) HTTP/1.1 load generator, free of coordinated
// omission: request i is due at start + i / rate whatever happened to the
// ones before it, and its latency runs from that due time, so a stalled
// server is charged for the requests that queued up behind the stall (wrk
// measures from the actual send and stops sending while it waits).
//
//   web_loadgen --url http://127.0.0.1:8080/path --rate 5000 --duration 15
//       [--connections 64] [--warmup 2] [--timeout 5]
//
// One thread, epoll (Linux ≥ 5.11 for epoll_pwait2), `connections` keep-alive connections, one
// request in flight per connection (no pipelining). A due request waits for a free connection; a
// connection that fails is reopened. Responses must carry Content-Length. Prints a human summary on
// stderr and one JSON line on stdout: achieved rate, latency percentiles (ms), errors, non-2xx.
// Requests still unanswered `timeout` seconds after the end count as
// timeouts and enter the percentiles with their waiting time.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

struct Options {
  std::string host;
  int port = 80;
  std::string path = "/";
  double rate = 1000;
  double duration = 10;
  double warmup = 0;
  double timeout = 5;
  int connections = 64;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "web_loadgen: %s\n", what.c_str());
  std::exit(2);
}

bool ParseUrl(std::string_view url, Options* o) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) return false;
  url.remove_prefix(kScheme.size());
  const size_t slash = url.find('/');
  const std::string_view authority = url.substr(0, slash);
  o->path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  const size_t colon = authority.rfind(':');
  o->host = std::string(authority.substr(0, colon));
  if (colon != std::string_view::npos)
    o->port = std::atoi(std::string(authority.substr(colon + 1)).c_str());
  return !o->host.empty() && o->port > 0 && o->port < 65536;
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  bool have_url = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--url") {
      if (!ParseUrl(value(), &o)) Die("--url must be http://host:port/path");
      have_url = true;
    } else if (a == "--rate") {
      o.rate = std::atof(value().c_str());
    } else if (a == "--duration") {
      o.duration = std::atof(value().c_str());
    } else if (a == "--warmup") {
      o.warmup = std::atof(value().c_str());
    } else if (a == "--timeout") {
      o.timeout = std::atof(value().c_str());
    } else if (a == "--connections") {
      o.connections = std::atoi(value().c_str());
    } else {
      Die("usage: web_loadgen --url URL --rate R --duration S [--connections C] [--warmup S] "
          "[--timeout S]");
    }
  }
  if (!have_url) Die("--url is required");
  if (o.rate <= 0 || o.duration <= 0 || o.connections < 1 || o.warmup < 0 || o.timeout <= 0) {
    Die("rate, duration, connections and timeout must be positive");
  }
  return o;
}

struct Conn {
  int fd = -1;
  bool connected = false;
  bool busy = false;
  int64_t due_ns = 0;  // the scheduled time of the request in flight
  bool measured = false;
  size_t sent = 0;
  std::string in;
};

class LoadGen {
 public:
  explicit LoadGen(const Options& o) : o_(o) {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(o.host.c_str(), std::to_string(o.port).c_str(), &hints, &res) != 0 ||
        res == nullptr) {
      Die("cannot resolve " + o.host);
    }
    std::memcpy(&addr_, res->ai_addr, sizeof(addr_));
    freeaddrinfo(res);
    request_ = "GET " + o.path + " HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
               "\r\nUser-Agent: web_loadgen\r\nAccept: */*\r\n\r\n";
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) Die("epoll_create1 failed");
    conns_.resize(o.connections);
    for (size_t i = 0; i < conns_.size(); ++i) Open(i);
  }

  void Run() {
    const int64_t interval = static_cast<int64_t>(1e9 / o_.rate);
    const int64_t start = NowNs() + 50'000'000;  // let the connections settle
    const int64_t warm_end = start + static_cast<int64_t>(o_.warmup * 1e9);
    const int64_t end = warm_end + static_cast<int64_t>(o_.duration * 1e9);
    const int64_t hard_end = end + static_cast<int64_t>(o_.timeout * 1e9);
    int64_t next_due = start;
    std::vector<epoll_event> events(conns_.size() + 1);
    while (true) {
      const int64_t now = NowNs();
      // Schedule every request whose time has come.
      while (next_due <= now && next_due < end) {
        pending_.push_back({next_due, next_due >= warm_end});
        next_due += interval;
      }
      Dispatch();
      const bool done_sending = next_due >= end && pending_.empty();
      if (done_sending && InFlight() == 0) break;
      if (now >= hard_end) break;
      int64_t wait_ns = (next_due < end ? next_due : hard_end) - now;
      if (done_sending) wait_ns = hard_end - now;
      // Nanosecond timeouts (epoll_pwait2): a millisecond timeout would
      // either send late or spin, stealing a core from the server.
      wait_ns = std::clamp<int64_t>(wait_ns, 0, 1'000'000'000);
      const timespec ts{static_cast<time_t>(wait_ns / 1'000'000'000),
                        static_cast<long>(wait_ns % 1'000'000'000)};
      const int n =
          epoll_pwait2(epfd_, events.data(), static_cast<int>(events.size()), &ts, nullptr);
      if (n < 0 && errno != EINTR) Die("epoll_pwait2 failed");
      for (int i = 0; i < n; ++i) Handle(events[i].data.u64, events[i].events);
    }
    const int64_t finish = NowNs();
    // Whatever is still waiting (queued or in flight) timed out.
    for (const auto& p : pending_) {
      if (p.measured) {
        ++timeouts_;
        latencies_.push_back(finish - p.due);
      }
    }
    for (const Conn& c : conns_) {
      if (c.busy && c.measured) {
        ++timeouts_;
        latencies_.push_back(finish - c.due_ns);
      }
    }
    Report(std::min(finish, end) - warm_end, end - warm_end);
  }

 private:
  struct Due {
    int64_t due;
    bool measured;
  };

  int InFlight() const {
    int n = 0;
    for (const Conn& c : conns_) n += c.busy;
    return n;
  }

  void Open(size_t i) {
    Conn& c = conns_[i];
    c = Conn{};
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) Die("socket failed");
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&addr_), sizeof(addr_)) < 0 &&
        errno != EINPROGRESS) {
      Die(std::string("connect failed: ") + std::strerror(errno));
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
    ev.data.u64 = i;
    if (epoll_ctl(epfd_, EPOLL_CTL_ADD, c.fd, &ev) < 0) Die("epoll_ctl failed");
  }

  // A connection failed: its request (if any) goes back to the queue's
  // front with its original due time, and the connection reopens.
  void Fail(size_t i) {
    Conn& c = conns_[i];
    ++errors_;
    if (c.busy) pending_.push_front({c.due_ns, c.measured});
    epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
    ++reconnects_;
    Open(i);
  }

  void Dispatch() {
    for (size_t i = 0; i < conns_.size() && !pending_.empty(); ++i) {
      Conn& c = conns_[i];
      if (c.busy || !c.connected) continue;
      c.busy = true;
      c.due_ns = pending_.front().due;
      c.measured = pending_.front().measured;
      pending_.pop_front();
      c.sent = 0;
      c.in.clear();
      Write(i);
    }
  }

  void Write(size_t i) {
    Conn& c = conns_[i];
    while (c.sent < request_.size()) {
      const ssize_t n =
          send(c.fd, request_.data() + c.sent, request_.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN) return;
        Fail(i);
        return;
      }
      c.sent += static_cast<size_t>(n);
    }
  }

  void Handle(size_t i, uint32_t events) {
    Conn& c = conns_[i];
    if (!c.connected && (events & EPOLLOUT)) {
      int err = 0;
      socklen_t len = sizeof(err);
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) Die(std::string("connect: ") + std::strerror(err));
      c.connected = true;
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP;
      ev.data.u64 = i;
      epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
      return;
    }
    if (c.busy && c.sent < request_.size()) Write(i);
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) Read(i);
  }

  void Read(size_t i) {
    Conn& c = conns_[i];
    char buf[65536];
    while (true) {
      const ssize_t n = recv(c.fd, buf, sizeof(buf), 0);
      if (n > 0) {
        c.in.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EAGAIN) break;
      // Closed or reset. A whole response read before that still counts;
      // an idle connection closed by the server (keep-alive limit, idle
      // timeout) is reopened without counting an error.
      const bool got = TakeResponse(i);
      if (c.busy) {
        Fail(i);
        return;
      }
      Reopen(i);
      if (got) Dispatch();
      return;
    }
    if (TakeResponse(i)) {
      if (close_after_) Reopen(i);
      Dispatch();
    }
  }

  void Reopen(size_t i) {
    epoll_ctl(epfd_, EPOLL_CTL_DEL, conns_[i].fd, nullptr);
    close(conns_[i].fd);
    ++reconnects_;
    Open(i);
  }

  // Parses a whole response from c.in, if there is one: records it, frees
  // the connection and sets close_after_ (Connection: close).
  bool TakeResponse(size_t i) {
    Conn& c = conns_[i];
    if (!c.busy) return false;
    const size_t head_end = c.in.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    const std::string_view head(c.in.data(), head_end);
    int status = 0;
    if (head.size() < 12 || std::sscanf(head.data() + 9, "%3d", &status) != 1) {
      Die("malformed response: " + std::string(head.substr(0, 80)));
    }
    size_t length = 0;
    bool have_length = false;
    bool close_after = false;
    size_t pos = head.find("\r\n");
    while (pos != std::string_view::npos && pos < head.size()) {
      const size_t eol = head.find("\r\n", pos + 2);
      std::string line(
          head.substr(pos + 2, (eol == std::string_view::npos ? head.size() : eol) - pos - 2));
      std::transform(line.begin(), line.end(), line.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      if (line.rfind("content-length:", 0) == 0) {
        length = std::strtoull(line.c_str() + 15, nullptr, 10);
        have_length = true;
      } else if (line.rfind("connection:", 0) == 0 && line.find("close") != std::string::npos) {
        close_after = true;
      }
      pos = eol;
    }
    if (!have_length) Die("response without Content-Length");
    if (c.in.size() < head_end + 4 + length) return false;
    const int64_t now = NowNs();
    if (c.measured) {
      latencies_.push_back(now - c.due_ns);
      ++completed_;
      bytes_ += head_end + 4 + length;
      if (status < 200 || status > 299) ++non2xx_;
    }
    c.in.erase(0, head_end + 4 + length);
    c.busy = false;
    close_after_ = close_after;
    return true;
  }

  void Report(int64_t elapsed_ns, int64_t planned_ns) {
    std::sort(latencies_.begin(), latencies_.end());
    auto pct = [&](double p) -> double {
      if (latencies_.empty()) return 0;
      size_t k = static_cast<size_t>(std::ceil(p / 100.0 * latencies_.size()));
      k = std::clamp<size_t>(k, 1, latencies_.size());
      return latencies_[k - 1] / 1e6;
    };
    const double secs = std::max<int64_t>(elapsed_ns, 1) / 1e9;
    const double achieved = completed_ / (planned_ns / 1e9);
    std::fprintf(stderr,
                 "web_loadgen: %s:%d%s  target %.0f req/s for %.1f s (+%.1f s warm-up), %d "
                 "connections\n  completed %" PRId64 " (%.0f req/s), non-2xx %" PRId64
                 ", errors %" PRId64 ", timeouts %" PRId64
                 "\n  latency from the scheduled "
                 "time, ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n",
                 o_.host.c_str(), o_.port, o_.path.c_str(), o_.rate, o_.duration, o_.warmup,
                 o_.connections, completed_, achieved, non2xx_, errors_, timeouts_, pct(50),
                 pct(90), pct(99), pct(99.9), latencies_.empty() ? 0.0 : latencies_.back() / 1e6);
    std::printf(
        "{\"target_rate\":%.1f,\"achieved_rate\":%.1f,\"duration_s\":%.3f,\"connections\":%d,"
        "\"completed\":%" PRId64 ",\"non2xx\":%" PRId64 ",\"errors\":%" PRId64
        ",\"timeouts\":%" PRId64 ",\"reconnects\":%" PRId64 ",\"bytes\":%" PRId64
        ",\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f}\n",
        o_.rate, achieved, secs, o_.connections, completed_, non2xx_, errors_, timeouts_,
        reconnects_, bytes_, pct(50), pct(90), pct(99), pct(99.9),
        latencies_.empty() ? 0.0 : latencies_.back() / 1e6);
  }

  Options o_;
  sockaddr_in addr_{};
  std::string request_;
  int epfd_ = -1;
  std::vector<Conn> conns_;
  std::deque<Due> pending_;
  std::vector<int64_t> latencies_;
  bool close_after_ = false;
  int64_t completed_ = 0, non2xx_ = 0, errors_ = 0, timeouts_ = 0, reconnects_ = 0, bytes_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  LoadGen gen(o);
  gen.Run();
  return 0;
}
