// ResultSink: where a session's responses go, in SQL Server's terms, without protocol detail.
//
// The engine calls the sink in the order a client must see things: column metadata, rows, DONE
// for each reporting statement, messages, environment changes. The network layer implements it
// with TDS tokens (net/tds_session); tests implement it by recording.
//
// Every call returns a Status: a failure means the client is gone or the stream broke, and the
// engine stops the request at once (rolling back what the request had open, as SQL Server does
// for a broken connection). CancelRequested is polled by long-running work (SQLite's progress
// handler, lock waits, WAITFOR); when it returns true the engine abandons the request and ends it
// with a DONE carrying `attention`.
//
// Called only from the session's own thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/status.h"
#include "types/result_column.h"
#include "types/value.h"

namespace edgesql::engine {

// The statement a DONE token reports (TDS CurCmd values are assigned by the network layer).
enum class Command : uint8_t {
  kNone,
  kSelect,
  kInsert,
  kUpdate,
  kDelete,
  kBeginTransaction,
  kCommit,
  kRollback,
  kSaveTransaction,
  kExecute,
  kDdl,
  kUse,
  kSet,
  kOther,
};

enum class DoneKind : uint8_t {
  kDone,        // end of a statement in a batch, or of the request
  kDoneInProc,  // end of a statement inside an RPC / procedure
  kDoneProc,    // end of an RPC / procedure
};

struct DoneInfo {
  DoneKind kind = DoneKind::kDone;
  bool more = false;   // more results follow in this request
  bool error = false;  // the statement raised an error
  bool in_transaction = false;
  bool has_count = false;  // row_count is meaningful (SET NOCOUNT OFF and a counting statement)
  bool attention = false;  // acknowledges an ATTENTION
  Command command = Command::kNone;
  uint64_t row_count = 0;
};

class ResultSink {
 public:
  virtual ~ResultSink() = default;

  virtual Status ColumnMetadata(std::span<const ResultColumn> columns) = 0;
  virtual Status Row(std::span<const Value> values) = 0;
  virtual Status Done(const DoneInfo& done) = 0;
  // ERROR (severity above 10) or INFO (severity 10 and below, PRINT, 5701 ...).
  virtual Status Message(const SqlError& message) = 0;
  virtual Status DatabaseChanged(std::string_view new_name, std::string_view old_name) = 0;
  virtual Status TransactionBegan(uint64_t descriptor) = 0;
  virtual Status TransactionCommitted(uint64_t descriptor) = 0;
  virtual Status TransactionRolledBack(uint64_t descriptor) = 0;
  virtual Status ReturnStatus(int32_t value) = 0;
  virtual Status ReturnValue(uint16_t ordinal, std::string_view name, const SqlType& type,
                             const Value& value) = 0;
  // Non-blocking: true once the client has asked to cancel the running request.
  virtual bool CancelRequested() = 0;
};

// Accepts everything and keeps nothing: a base for sinks that care about only a few calls (the
// liveness probe, tests).
class DiscardingSink : public ResultSink {
 public:
  Status ColumnMetadata(std::span<const ResultColumn>) override { return Status::Ok(); }
  Status Row(std::span<const Value>) override { return Status::Ok(); }
  Status Done(const DoneInfo&) override { return Status::Ok(); }
  Status Message(const SqlError&) override { return Status::Ok(); }
  Status DatabaseChanged(std::string_view, std::string_view) override { return Status::Ok(); }
  Status TransactionBegan(uint64_t) override { return Status::Ok(); }
  Status TransactionCommitted(uint64_t) override { return Status::Ok(); }
  Status TransactionRolledBack(uint64_t) override { return Status::Ok(); }
  Status ReturnStatus(int32_t) override { return Status::Ok(); }
  Status ReturnValue(uint16_t, std::string_view, const SqlType&, const Value&) override {
    return Status::Ok();
  }
  bool CancelRequested() override { return false; }
};

}  // namespace edgesql::engine
