// Status and Result<T>: how every layer of edgesql reports failure on the data path.
//
// A failure is always a SQL Server error: number, state, severity, message, as a client would
// receive it in an ERROR token ([MS-TDS] 2.2.7.10). Errors are created only through the catalog in
// common/errors.h, so each number has exactly one severity, scope and message text. Layers return
// Status / Result<T>; nothing on the data path throws across layers. Conditions that "cannot
// happen" abort the process instead (see EDGESQL_CHECK in common/check.h).
//
// Status and Result are values: cheap to move, not thread-safe to share while being mutated.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace edgesql {

// What a failed statement does to the rest of the batch and to the open transaction, following
// SQL Server's documented error behaviour (statement-, scope-, batch- and connection-terminating
// errors). The catalog assigns one scope per error number; SET XACT_ABORT ON promotes statement
// errors to kBatchAndTransaction in the interpreter.
enum class ErrorScope : uint8_t {
  kStatement,            // the statement is undone; the batch goes on
  kBatch,                // the batch stops; an open transaction stays open
  kBatchAndTransaction,  // the batch stops and the open transaction is rolled back
  kConnection,           // severity 20+: the connection is closed after the error is sent
};

struct SqlError {
  int32_t number = 0;
  uint8_t state = 1;
  uint8_t severity = 16;
  ErrorScope scope = ErrorScope::kStatement;
  std::string message;
  int32_t line = 0;       // 1-based line in the batch; set by the interpreter
  std::string procedure;  // procedure name, empty for a batch

  bool IsInfo() const { return severity <= 10; }
};

class [[nodiscard]] Status {
 public:
  Status() = default;                                                               // OK
  Status(SqlError error) : error_(std::make_unique<SqlError>(std::move(error))) {}  // NOLINT
  Status(const Status& other)
      : error_(other.error_ ? std::make_unique<SqlError>(*other.error_) : nullptr) {}
  Status& operator=(const Status& other) {
    error_ = other.error_ ? std::make_unique<SqlError>(*other.error_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status Ok() { return Status(); }
  bool ok() const { return error_ == nullptr; }
  const SqlError& error() const { return *error_; }
  SqlError& error() { return *error_; }
  // Convenience for logs and test failure messages: "Msg 208, Level 16, State 1: ..."
  std::string ToString() const;

 private:
  std::unique_ptr<SqlError> error_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                 // NOLINT
  Result(SqlError error) : v_(std::move(error)) {}          // NOLINT
  Result(Status status) : v_(std::move(status.error())) {}  // NOLINT: status must not be ok

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const SqlError& error() const { return std::get<1>(v_); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, SqlError> v_;
};

}  // namespace edgesql

// Propagates a failed Status out of the calling function.
#define EDGESQL_RETURN_IF_ERROR(expr) \
  do {                                \
    ::edgesql::Status _st = (expr);   \
    if (!_st.ok()) return _st;        \
  } while (0)

#define EDGESQL_CONCAT_INNER(a, b) a##b
#define EDGESQL_CONCAT(a, b) EDGESQL_CONCAT_INNER(a, b)
// `EDGESQL_ASSIGN_OR_RETURN(auto x, F());` declares x from a Result or returns its error.
#define EDGESQL_ASSIGN_OR_RETURN(lhs, expr) \
  EDGESQL_ASSIGN_OR_RETURN_IMPL(EDGESQL_CONCAT(_res_, __LINE__), lhs, expr)
#define EDGESQL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.error();                  \
  lhs = std::move(tmp).value()
