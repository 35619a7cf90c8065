#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/check.h"
#include "base/log.h"
#include "base/status.h"

namespace baogao {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kIoError:
      return "I/O error";
    case StatusCode::kCorrupt:
      return "corrupt data";
    case StatusCode::kResourceExhausted:
      return "resource exhausted";
    case StatusCode::kAlreadyExists:
      return "already exists";
    case StatusCode::kUnimplemented:
      return "unimplemented";
    case StatusCode::kInternal:
      return "internal error";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

namespace {
std::atomic<int> g_log_level{static_cast<int>(LogLevel::kInfo)};

void WriteAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n <= 0) return;  // nothing sensible to do if stderr is gone
    done += static_cast<size_t>(n);
  }
}

const char* Basename(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}
}  // namespace

void SetLogLevel(LogLevel level) { g_log_level.store(static_cast<int>(level)); }
LogLevel GetLogLevel() { return static_cast<LogLevel>(g_log_level.load()); }

namespace internal {

LogMessage::LogMessage(LogLevel level, const char* file, int line) : level_(level) {
  static constexpr const char* kNames[] = {"D", "I", "W", "E", "-"};
  stream_ << kNames[static_cast<int>(level)] << ' ' << Basename(file) << ':' << line << "] ";
}

LogMessage::~LogMessage() {
  (void)level_;
  stream_ << '\n';
  WriteAll(2, stream_.str());
}

CheckFailure::CheckFailure(const char* file, int line, const char* condition) {
  stream_ << "CHECK failed at " << Basename(file) << ':' << line << ": " << condition << ' ';
}

CheckFailure::~CheckFailure() {
  stream_ << '\n';
  WriteAll(2, stream_.str());
  std::abort();
}

}  // namespace internal
}  // namespace baogao
