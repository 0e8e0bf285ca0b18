// INSERT BULK and the bulk load it announces (bulk_load.h).
#include "engine/bulk_load.h"

#include <chrono>
#include <string>

#include "common/errors.h"
#include "engine/interpreter.h"
#include "engine/session.h"
#include "engine/transaction.h"
#include "tsql/compiled.h"
#include "types/convert.h"
#include "types/storage_form.h"

namespace edgesql::engine {
namespace {

using tsql::ParamKind;

// How often the load looks for the client's ATTENTION (it polls the socket).
constexpr auto kCancelPollInterval = std::chrono::milliseconds(5);
constexpr int64_t kRowsBetweenPolls = 256;

// Bulk load errors have no statement text; SQL Server reports them at line 1.
constexpr int kBulkLine = 1;

SqlError InvalidColumnType(size_t index) {
  return errors::Make(errors::kBulkInvalidColumnType, {std::to_string(index + 1)});
}

// The column of the row that a placeholder of the compiled INSERT takes ("@3" is column 2).
int RowColumnOf(const tsql::ParamSource& p) {
  if (p.kind != ParamKind::kVariable || p.variable.size() < 2) return -1;
  int n = 0;
  for (char c : std::string_view(p.variable).substr(1)) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n - 1;
}

}  // namespace

bool BulkTypeMatches(const SqlType& declared, const SqlType& sent) {
  auto family = [](TypeId id) { return id == TypeId::kNumeric ? TypeId::kDecimal : id; };
  return family(declared.id) == family(sent.id);
}

Interpreter::Flow Interpreter::ExecInsertBulk(const tsql::InsertBulkStmt& s,
                                              const tsql::Statement& stmt) {
  PendingBulkLoad load;
  for (const tsql::InsertBulkColumn& c : s.columns) {
    auto type = tsql::ResolveDataType(c.type);
    if (!type.ok()) return Fail(type.error(), stmt, Command::kInsert, true);
    load.declared.push_back(*type);
  }
  // Names and types are checked now, as SQL Server answers INSERT BULK with 208/207 before any
  // data is sent; the load compiles again against the schema it runs on.
  auto catalog = CompileCatalog();
  if (!catalog.ok()) return Fail(catalog.error(), stmt, Command::kInsert, false);
  auto compiled = tsql::CompileBulkInsert(s, load.declared, MakeBindContext(catalog->get()));
  if (!compiled.ok()) return Fail(compiled.error(), stmt, Command::kInsert, true);
  load.statement = s;
  load.database_id = s_.database().id();
  s_.bulk_load_ = std::move(load);
  s_.rowcount_ = 0;
  s_.last_error_ = 0;
  if (!Done(Command::kNone, false, 0).ok()) return Flow::kFatal;
  return Flow::kNext;
}

Interpreter::Outcome Interpreter::RunBulkLoad(const PendingBulkLoad& load, BulkRowSource& rows) {
  return OutcomeOf(LoadBulkRows(load, rows));
}

Interpreter::Flow Interpreter::LoadBulkRows(const PendingBulkLoad& load, BulkRowSource& source) {
  auto fail = [&](SqlError e, bool compile_time = false) {
    return Fail(std::move(e), kBulkLine, Command::kInsert, compile_time);
  };
  if (load.database_id != s_.database().id()) {
    return fail(errors::Make(errors::kBulkLoadNotSent));
  }
  auto types = source.ColumnTypes();
  if (!types.ok()) return fail(types.error());
  // The stream must describe the columns INSERT BULK declared, in order.
  const size_t declared = load.declared.size();
  for (size_t i = 0; i < std::max(declared, types->size()); ++i) {
    if (i >= declared || i >= types->size() || !BulkTypeMatches(load.declared[i], (*types)[i])) {
      return fail(InvalidColumnType(i));
    }
  }
  if (s_.options_.implicit_transactions && !s_.txn_->active()) {
    Status begin = s_.txn_->Begin(*sink_);
    if (!begin.ok()) return fail(begin.error());
  }

  Database& db = s_.database();
  int64_t loaded = 0;
  bool compile_error = false;
  auto work = [&](storage::SqliteConnection& conn) -> Status {
    EDGESQL_ASSIGN_OR_RETURN(auto catalog, db.CatalogFor(conn));
    auto compiled = tsql::CompileBulkInsert(load.statement, *types, MakeBindContext(catalog.get()));
    if (!compiled.ok()) {
      compile_error = true;
      return compiled.error();
    }
    const tsql::CompiledStatement& insert = **compiled;
    ExecutionContext ec;
    ec.conn = &conn;
    ec.db = &db;
    ec.catalog = catalog.get();
    ec.runtime = &s_;
    ec.key_values = &s_.key_values_;
    conn.set_user_data(&s_);
    struct Cleanup {
      storage::SqliteConnection& conn;
      ~Cleanup() { conn.set_user_data(nullptr); }
    } cleanup{conn};
    if (insert.uses_identity) {
      if (const tsql::TableInfo* t = catalog->TableById(insert.target_object_id)) {
        EDGESQL_RETURN_IF_ERROR(db.PrepareIdentity(conn, *t));
      }
    }
    s_.key_values_.clear();
    EDGESQL_ASSIGN_OR_RETURN(storage::Statement * st, conn.Prepare(insert.sql));
    // Placeholders take a column of the row, or a per-statement value (a default's GETDATE())
    // bound once: SQLite keeps bindings across resets.
    std::vector<int> column_of(insert.params.size());
    StoredValue stored;
    for (size_t j = 0; j < insert.params.size(); ++j) {
      const tsql::ParamSource& p = insert.params[j];
      column_of[j] = RowColumnOf(p);
      if (column_of[j] >= 0) continue;
      Value v = Runtime(p.runtime);
      if (!(v.type() == p.type) && !v.type().IsNull()) {
        EDGESQL_ASSIGN_OR_RETURN(v, Convert(v, p.type, {}));
      }
      ToStored(v, &stored);
      EDGESQL_RETURN_IF_ERROR(st->Bind(static_cast<int>(j + 1), stored));
    }
    auto last_poll = std::chrono::steady_clock::now();
    std::vector<Value> row;
    while (true) {
      EDGESQL_ASSIGN_OR_RETURN(bool more, source.NextRow(&row));
      if (!more) break;
      for (size_t j = 0; j < insert.params.size(); ++j) {
        if (column_of[j] < 0) continue;
        const Value& v = row[static_cast<size_t>(column_of[j])];
        const SqlType& want = insert.params[j].type;
        if (v.type() == want || v.is_null()) {
          ToStored(v, &stored);
        } else {
          EDGESQL_ASSIGN_OR_RETURN(Value converted, Convert(v, want, {}));
          ToStored(converted, &stored);
        }
        EDGESQL_RETURN_IF_ERROR(st->Bind(static_cast<int>(j + 1), stored));
      }
      auto step = st->Step();
      if (!step.ok()) {
        SqlError e = MapConstraintError(step.error(), conn, insert, ec);
        st->Reset();
        return e;
      }
      st->Reset();
      ++loaded;
      if (loaded % kRowsBetweenPolls == 0) {
        auto now = std::chrono::steady_clock::now();
        if (now - last_poll >= kCancelPollInterval) {
          last_poll = now;
          if (sink_->CancelRequested()) return errors::Make(errors::kQueryCancelled);
        }
      }
    }
    return RecordIdentity(insert, ec, loaded);
  };
  LaneWait wait{s_.options_.lock_timeout_ms, [this] { return sink_->CancelRequested(); }};
  Status st = s_.txn_->Run(db, /*write=*/true, wait, work);
  if (!st.ok()) return fail(st.error(), compile_error);
  s_.rowcount_ = loaded;
  s_.last_error_ = 0;
  // The row count is always reported: bulk-copy clients take the rows copied from it.
  DoneInfo d;
  d.in_transaction = s_.txn_->active();
  d.has_count = true;
  d.command = Command::kInsert;
  d.row_count = static_cast<uint64_t>(loaded);
  if (!sink_->Done(d).ok()) return Flow::kFatal;
  return Flow::kNext;
}

}  // namespace edgesql::engine
