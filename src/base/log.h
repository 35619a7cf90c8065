// Minimal leveled logging to stderr. Thread-safe: each message is written
// with one write(2) call. Usage: LOG(kInfo) << "loaded " << n << " words";
#ifndef BAOGAO_BASE_LOG_H_
#define BAOGAO_BASE_LOG_H_

#include <sstream>

namespace baogao {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kOff = 4 };

// Messages below this level are dropped. Default: kInfo.
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();

namespace internal {
class LogMessage {
 public:
  LogMessage(LogLevel level, const char* file, int line);
  ~LogMessage();
  std::ostream& stream() { return stream_; }

 private:
  LogLevel level_;
  std::ostringstream stream_;
};
}  // namespace internal
}  // namespace baogao

#define LOG(level)                                           \
  if (::baogao::LogLevel::level < ::baogao::GetLogLevel()) { \
  } else                                                     \
    ::baogao::internal::LogMessage(::baogao::LogLevel::level, __FILE__, __LINE__).stream()

#endif  // BAOGAO_BASE_LOG_H_
