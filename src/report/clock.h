// Clock: where the current time comes from. Passed in (STYLE.md) so that
// tests are deterministic.
#ifndef BAOGAO_REPORT_CLOCK_H_
#define BAOGAO_REPORT_CLOCK_H_

#include <atomic>
#include <cstdint>

namespace baogao::report {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since 1970-01-01T00:00:00Z. Thread-safe.
  virtual int64_t NowUnixSeconds() const = 0;
};

// The system's real-time clock. Lives forever; thread-safe.
const Clock& SystemClock();

// A clock that says what it is told; for tests. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now = 0) : now_(now) {}
  int64_t NowUnixSeconds() const override { return now_.load(); }
  void Set(int64_t now) { now_.store(now); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace baogao::report

#endif  // BAOGAO_REPORT_CLOCK_H_
