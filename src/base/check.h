// CHECK macros: for bugs, not for bad input. A failed CHECK prints the
// condition, the place and an optional streamed message, then aborts.
#ifndef BAOGAO_BASE_CHECK_H_
#define BAOGAO_BASE_CHECK_H_

#include <sstream>

namespace baogao::internal {

class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition);
  [[noreturn]] ~CheckFailure();
  std::ostream& stream() { return stream_; }

 private:
  std::ostringstream stream_;
};

// Lets `CHECK(x) << "msg"` compile to nothing when x holds.
struct Voidify {
  void operator&(std::ostream&) {}
};

}  // namespace baogao::internal

#define CHECK(condition)                        \
  (condition) ? (void)0                         \
              : ::baogao::internal::Voidify() & \
                    ::baogao::internal::CheckFailure(__FILE__, __LINE__, #condition).stream()

#define CHECK_EQ(a, b) CHECK((a) == (b))
#define CHECK_NE(a, b) CHECK((a) != (b))
#define CHECK_LT(a, b) CHECK((a) < (b))
#define CHECK_LE(a, b) CHECK((a) <= (b))
#define CHECK_GE(a, b) CHECK((a) >= (b))

#ifdef NDEBUG
#define DCHECK(condition) \
  while (false) CHECK(condition)
#else
#define DCHECK(condition) CHECK(condition)
#endif

#endif  // BAOGAO_BASE_CHECK_H_
