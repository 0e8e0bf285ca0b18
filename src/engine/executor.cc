#include "engine/executor.h"

#include <chrono>

#include "common/errors.h"
#include "common/utf.h"
#include "types/convert.h"

namespace edgesql::engine {
namespace {

using storage::SqliteConnection;
using tsql::CompiledStatement;
using tsql::StatementKind;

// The SQLite progress handler runs every few thousand VM steps; the cancellation callback polls
// the socket, so it is consulted at most this often.
constexpr auto kCancelPollInterval = std::chrono::milliseconds(5);

int64_t ParseId(std::string_view text, char prefix) {
  if (text.empty() || text[0] != prefix) return -1;
  int64_t v = 0;
  for (char c : text.substr(1)) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// "UNIQUE constraint failed: t1001.c1, t1001.c3" -> table 1001, columns {1, 3}.
bool ParseConstraintColumns(std::string_view msg, int64_t* table, std::vector<int32_t>* columns) {
  size_t colon = msg.find(": ");
  if (colon == std::string_view::npos) return false;
  std::string_view rest = msg.substr(colon + 2);
  *table = -1;
  while (!rest.empty()) {
    size_t comma = rest.find(", ");
    std::string_view item = rest.substr(0, comma);
    size_t dot = item.find('.');
    if (dot == std::string_view::npos) return false;
    *table = ParseId(item.substr(0, dot), 't');
    int64_t col = ParseId(item.substr(dot + 1), 'c');
    if (*table < 0 || col < 0) return false;
    columns->push_back(static_cast<int32_t>(col));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 2);
  }
  return *table >= 0;
}

std::string KeyValueText(const tsql::TableInfo& table, const tsql::IndexInfo& index,
                         const std::map<int32_t, StoredValue>* values) {
  std::string out = "(";
  for (size_t i = 0; i < index.column_ids.size(); ++i) {
    if (i > 0) out += ", ";
    const tsql::ColumnInfo* col = table.ColumnById(index.column_ids[i]);
    auto it = values ? values->find(index.column_ids[i]) : decltype(values->end()){};
    if (col == nullptr || values == nullptr || it == values->end()) {
      out += "?";
      continue;
    }
    auto v = FromStored(it->second, col->type);
    out += !v.ok() ? "?" : v->is_null() ? "<NULL>" : ToDisplayString(*v);
  }
  return out + ")";
}

SqlError DuplicateKey(const tsql::TableInfo& table, const tsql::IndexInfo& index,
                      const std::map<int32_t, StoredValue>* values) {
  std::string object = table.schema + "." + table.name;
  std::string key = KeyValueText(table, index, values);
  switch (index.kind) {
    case tsql::IndexKind::kPrimaryKey:
      return errors::Make(errors::kDuplicateKeyConstraint,
                          {"PRIMARY KEY", index.name, object, key});
    case tsql::IndexKind::kUniqueConstraint:
      return errors::Make(errors::kDuplicateKeyConstraint, {"UNIQUE KEY", index.name, object, key});
    default:
      return errors::Make(errors::kDuplicateKeyIndex, {object, index.name, key});
  }
}

Status BindParameters(const CompiledStatement& c, storage::Statement* st, ParameterSource& params) {
  StoredValue stored;
  for (size_t i = 0; i < c.params.size(); ++i) {
    const tsql::ParamSource& p = c.params[i];
    Value v;
    if (p.kind == tsql::ParamKind::kVariable) {
      EDGESQL_ASSIGN_OR_RETURN(v, params.Variable(p.variable));
    } else {
      v = params.Runtime(p.runtime);
    }
    if (!(v.type() == p.type) && !v.type().IsNull()) {
      ConversionContext conv;
      conv.kind = ConversionKind::kImplicit;
      EDGESQL_ASSIGN_OR_RETURN(v, Convert(v, p.type, conv));
    }
    ToStored(v, &stored);
    EDGESQL_RETURN_IF_ERROR(st->Bind(static_cast<int>(i + 1), stored));
  }
  return Status::Ok();
}

// Cuts a (max) value sent in a result to `textsize` bytes as the client receives them: bytes for
// varbinary, CP1252 characters for varchar, UTF-16 code units of two bytes for nvarchar (never
// half a surrogate pair).
void ApplyTextSize(Value* v, int64_t textsize) {
  if (v->is_null() || !v->type().IsMax()) return;
  std::string& s = v->MutableString();
  if (v->type().IsBinary()) {
    if (static_cast<int64_t>(s.size()) > textsize) s.resize(static_cast<size_t>(textsize));
    return;
  }
  const bool unicode = v->type().IsUnicode();
  const int64_t allowed = unicode ? textsize / 2 : textsize;
  // A character takes at least as many UTF-8 bytes as client-side units, so short text fits.
  if (static_cast<int64_t>(s.size()) <= allowed) return;
  s.resize(utf::PrefixBytes(s, allowed, unicode));
}

}  // namespace

SqlError MapConstraintError(SqlError err, SqliteConnection& conn, const CompiledStatement& stmt,
                            const ExecutionContext& ctx) {
  int code = conn.last_error_code();
  if ((code & 0xFF) != SQLITE_CONSTRAINT) return err;
  const std::string& msg = conn.last_error_message();
  if (code == SQLITE_CONSTRAINT_TRIGGER && msg.rfind("edgesql_unique:", 0) == 0) {
    int64_t oid = 0, iid = 0;
    if (std::sscanf(msg.c_str(), "edgesql_unique:%lld:%lld", reinterpret_cast<long long*>(&oid),
                    reinterpret_cast<long long*>(&iid)) == 2) {
      if (const tsql::TableInfo* t = ctx.catalog->TableById(oid)) {
        for (const auto& index : t->indexes) {
          if (index.index_id == iid) return DuplicateKey(*t, index, ctx.key_values);
        }
      }
    }
    return err;
  }
  int64_t oid = 0;
  std::vector<int32_t> cols;
  if (!ParseConstraintColumns(msg, &oid, &cols)) return err;
  const tsql::TableInfo* table = ctx.catalog->TableById(oid);
  if (table == nullptr) return err;
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    for (const auto& index : table->indexes) {
      if (index.unique() && index.column_ids == cols)
        return DuplicateKey(*table, index, ctx.key_values);
    }
  }
  if (code == SQLITE_CONSTRAINT_NOTNULL && cols.size() == 1) {
    const tsql::ColumnInfo* col = table->ColumnById(cols[0]);
    if (col != nullptr) {
      std::string object = ctx.db->name() + "." + table->schema + "." + table->name;
      const char* verb = stmt.kind == StatementKind::kUpdate ? "UPDATE" : "INSERT";
      return errors::Make(errors::kNullNotAllowed, {col->name, object, verb});
    }
  }
  return err;
}

Result<Value> MaterializeColumn(const StoredValue& stored, const SqlType& type) {
  if (type.IsInteger() && stored.cls == StorageClass::kInteger) {
    if (!FitsIntegerType(type.id, stored.i)) {
      return errors::Make(errors::kArithmeticOverflow, {"expression", type.Name()});
    }
    return Value::Int(type, stored.i);
  }
  // SQLite turns integer arithmetic that overflows 64 bits into REAL: for an integer column that
  // is SQL Server's arithmetic overflow.
  if (type.IsInteger() && stored.cls == StorageClass::kReal) {
    return errors::Make(errors::kArithmeticOverflow, {"expression", type.Name()});
  }
  return FromStored(stored, type);
}

Result<ExecutionOutcome> Execute(const CompiledStatement& c, const ExecutionContext& ctx) {
  SqliteConnection& conn = *ctx.conn;
  conn.set_user_data(ctx.runtime);
  auto last_poll = std::chrono::steady_clock::now();
  if (ctx.cancelled) {
    conn.SetInterruptCheck([&] {
      auto now = std::chrono::steady_clock::now();
      if (now - last_poll < kCancelPollInterval) return false;
      last_poll = now;
      return ctx.cancelled();
    });
  }
  struct Cleanup {
    SqliteConnection& conn;
    ~Cleanup() {
      conn.SetInterruptCheck(nullptr);
      conn.set_user_data(nullptr);
    }
  } cleanup{conn};

  if (c.uses_identity) {
    const tsql::TableInfo* table = ctx.catalog->TableById(c.target_object_id);
    if (table != nullptr) EDGESQL_RETURN_IF_ERROR(ctx.db->PrepareIdentity(conn, *table));
  }
  EDGESQL_ASSIGN_OR_RETURN(storage::Statement * st, conn.Prepare(c.sql));
  EDGESQL_RETURN_IF_ERROR(BindParameters(c, st, *ctx.params));

  ExecutionOutcome out;
  // Rows go to the sink, or, for variable assignment and expression evaluation (no sink), the
  // last row is kept for the caller.
  const bool streams =
      c.returns_rows && c.kind != StatementKind::kSelectAssign && ctx.sink != nullptr;
  const bool collects = c.kind == StatementKind::kSelectAssign ||
                        (c.kind == StatementKind::kSelect && ctx.sink == nullptr);
  if (streams) EDGESQL_RETURN_IF_ERROR(ctx.sink->ColumnMetadata(c.columns));
  std::vector<Value> row(c.columns.size());
  StoredValue stored;
  for (;;) {
    auto step = st->Step();
    if (!step.ok()) {
      if (conn.last_error_code() == SQLITE_INTERRUPT) return errors::Make(errors::kQueryCancelled);
      return MapConstraintError(step.error(), conn, c, ctx);
    }
    if (!*step) break;
    if (collects) {
      out.last_row.resize(c.columns.size());
      for (size_t i = 0; i < c.columns.size(); ++i) {
        st->Column(static_cast<int>(i), &stored);
        EDGESQL_ASSIGN_OR_RETURN(out.last_row[i], MaterializeColumn(stored, c.columns[i].type));
      }
      out.any_row = true;
      ++out.rows;
      continue;
    }
    if (!streams) continue;
    for (size_t i = 0; i < c.columns.size(); ++i) {
      st->Column(static_cast<int>(i), &stored);
      EDGESQL_ASSIGN_OR_RETURN(row[i], MaterializeColumn(stored, c.columns[i].type));
      if (c.columns[i].type.IsMax()) ApplyTextSize(&row[i], ctx.textsize);
    }
    EDGESQL_RETURN_IF_ERROR(ctx.sink->Row(row));
    ++out.rows;
    if (ctx.rowcount_limit > 0 && out.rows >= ctx.rowcount_limit &&
        c.kind == StatementKind::kSelect) {
      break;
    }
  }
  if (c.kind == StatementKind::kInsert || c.kind == StatementKind::kUpdate ||
      c.kind == StatementKind::kDelete) {
    out.rows = st->Changes();
  }
  st->Reset();

  EDGESQL_RETURN_IF_ERROR(RecordIdentity(c, ctx, out.rows));
  return out;
}

Status RecordIdentity(const CompiledStatement& c, const ExecutionContext& ctx, int64_t rows) {
  if (!c.uses_identity && !c.explicit_identity) return Status::Ok();
  const tsql::TableInfo* table = ctx.catalog->TableById(c.target_object_id);
  const tsql::ColumnInfo* col = table ? table->IdentityColumn() : nullptr;
  if (col == nullptr) return Status::Ok();
  if (c.explicit_identity && rows > 0) {
    // Under IDENTITY_INSERT ON, later generated values continue after the largest value.
    const char* agg = col->identity->increment >= 0 ? "max" : "min";
    EDGESQL_ASSIGN_OR_RETURN(
        int64_t extreme, ctx.conn->QueryInt(std::string("SELECT ") + agg + "(" +
                                            col->sqlite_name() + ") FROM " + table->sqlite_name()));
    ctx.db->ObserveIdentity(table->object_id, extreme, col->identity->increment);
  }
  if (auto current = ctx.db->CurrentIdentity(table->object_id)) {
    EDGESQL_RETURN_IF_ERROR(catalog_writer::SaveIdentity(*ctx.conn, table->object_id, *current));
  }
  return Status::Ok();
}

}  // namespace edgesql::engine
