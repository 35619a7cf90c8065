// Status and Result<T>: how expected failures travel through baogao.
//
// Expected failures (bad input, missing files, corrupt data, I/O errors) are
// returned, never thrown. Each carries a code and a message that names what
// was wrong, e.g. "dict.txt line 12: frequency 'abc' is not a number".
// Bugs are not expected failures: they abort through CHECK (base/check.h).
#ifndef BAOGAO_BASE_STATUS_H_
#define BAOGAO_BASE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/check.h"

namespace baogao {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // the caller's input is malformed
  kNotFound,           // a file, record or key does not exist
  kIoError,            // the operating system refused a read or write
  kCorrupt,            // stored data fails its own consistency checks
  kResourceExhausted,  // a configured limit was hit
  kAlreadyExists,      // a record with this unique key exists already
  kUnimplemented,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Corrupt(std::string m) { return {StatusCode::kCorrupt, std::move(m)}; }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: <message>", or "ok".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    CHECK(!std::get<Status>(v_).ok()) << "Result built from an OK Status";
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & {
    CHECK(ok()) << status().ToString();
    return std::get<T>(v_);
  }
  const T& value() const& {
    CHECK(ok()) << status().ToString();
    return std::get<T>(v_);
  }
  T&& value() && {
    CHECK(ok()) << status().ToString();
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace baogao

// Returns early from the enclosing function when `expr` (a Status) fails.
#define BAOGAO_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::baogao::Status baogao_status_ = (expr);        \
    if (!baogao_status_.ok()) return baogao_status_; \
  } while (0)

#define BAOGAO_CONCAT_INNER_(a, b) a##b
#define BAOGAO_CONCAT_(a, b) BAOGAO_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result<T>, returning its Status on failure.
#define BAOGAO_ASSIGN_OR_RETURN(lhs, expr) \
  BAOGAO_ASSIGN_OR_RETURN_IMPL_(BAOGAO_CONCAT_(baogao_result_, __LINE__), lhs, expr)
#define BAOGAO_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

#endif  // BAOGAO_BASE_STATUS_H_
