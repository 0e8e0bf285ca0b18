// The runtime library's registration, shared helpers, the CI_AS collation, and the core
// functions compiled statements rely on: conversions, identity and key recording, NULL guards,
// errors and row-count checks.
//
// Every function is registered without SQLITE_DETERMINISTIC: several raise errors, and SQLite
// evaluates deterministic functions with constant arguments once, up front, even in a CASE
// branch that is never taken (`CASE WHEN count(*) > 1 THEN es_error(512) ...`).
#include "tsql/convert_style.h"
#include "tsql/functions_internal.h"
#include "tsql/runtime_functions.h"
#include "types/collation.h"
#include "types/convert.h"
#include "types/guid.h"

namespace edgesql::tsql {
namespace runtime {

const datetime::DateSettings& Dates(sqlite3_context* ctx) {
  static const datetime::DateSettings kDefault;
  RuntimeContext* rt = Runtime(ctx);
  return rt ? rt->date_settings() : kDefault;
}

void Raise(sqlite3_context* ctx, SqlError error) {
  storage::SqliteConnection* conn = Connection(ctx);
  if (conn != nullptr) {
    conn->RaiseFromFunction(ctx, std::move(error));
  } else {
    sqlite3_result_error(ctx, error.message.c_str(), static_cast<int>(error.message.size()));
  }
}

void ReadStored(sqlite3_value* v, StoredValue* out) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      out->cls = StorageClass::kNull;
      break;
    case SQLITE_INTEGER:
      out->cls = StorageClass::kInteger;
      out->i = sqlite3_value_int64(v);
      break;
    case SQLITE_FLOAT:
      out->cls = StorageClass::kReal;
      out->d = sqlite3_value_double(v);
      break;
    case SQLITE_TEXT:
      out->cls = StorageClass::kText;
      out->bytes.assign(Text(v));
      break;
    default:
      out->cls = StorageClass::kBlob;
      out->bytes.assign(Blob(v));
      break;
  }
}

Result<Value> ReadValue(sqlite3_value* v, const SqlType& type) {
  if (type.IsDecimalLike() && sqlite3_value_type(v) == SQLITE_INTEGER) {
    return Value::Dec(type, Decimal::FromInt(sqlite3_value_int64(v)));
  }
  StoredValue s;
  ReadStored(v, &s);
  return FromStored(s, type);
}

std::optional<SqlType> ArgType(sqlite3_context* ctx, sqlite3_value* v) {
  std::optional<SqlType> t = TypeFromCode(sqlite3_value_int64(v));
  if (!t) Raise(ctx, errors::Make(errors::kInternalError, {"invalid type code"}));
  return t;
}

std::optional<Decimal> ReadDecimal(sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return Decimal::FromInt(sqlite3_value_int64(v));
    case SQLITE_BLOB:
      return Decimal::FromKey(Blob(v));
    case SQLITE_FLOAT:
      return Decimal::FromDouble(sqlite3_value_double(v), 18);
    default:
      return std::nullopt;
  }
}

void ResultText(sqlite3_context* ctx, std::string_view s) {
  sqlite3_result_text64(ctx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void ResultBlob(sqlite3_context* ctx, std::string_view s) {
  sqlite3_result_blob64(ctx, s.data(), s.size(), SQLITE_TRANSIENT);
}

void ResultDecimal(sqlite3_context* ctx, const Decimal& d) { ResultBlob(ctx, d.ToKey()); }

void ResultValue(sqlite3_context* ctx, const Value& v) {
  StoredValue s;
  ToStored(v, &s);
  switch (s.cls) {
    case StorageClass::kNull:
      sqlite3_result_null(ctx);
      break;
    case StorageClass::kInteger:
      sqlite3_result_int64(ctx, s.i);
      break;
    case StorageClass::kReal:
      sqlite3_result_double(ctx, s.d);
      break;
    case StorageClass::kText:
      ResultText(ctx, s.bytes);
      break;
    case StorageClass::kBlob:
      ResultBlob(ctx, s.bytes);
      break;
  }
}

SqlError Overflow(const SqlType& type) {
  std::string_view name =
      type.IsDecimalLike() && type.id != TypeId::kMoney && type.id != TypeId::kSmallMoney
          ? "numeric"
          : type.Name();
  return errors::Make(errors::kArithmeticOverflow, {"expression", name});
}

bool FitsType(const Decimal& d, const SqlType& type) {
  if (type.id == TypeId::kMoney || type.id == TypeId::kSmallMoney) {
    std::optional<Decimal> m = d.Rescale(4);
    if (!m) return false;
    __int128 c = m->coefficient();
    if (type.id == TypeId::kSmallMoney) return c >= INT32_MIN && c <= INT32_MAX;
    return c >= INT64_MIN && c <= INT64_MAX;
  }
  if (type.id == TypeId::kDecimal || type.id == TypeId::kNumeric) {
    return d.FitsPrecision(type.precision);
  }
  return true;
}

Status RegisterAll(sqlite3* db, storage::SqliteConnection* conn, const FunctionSpec* specs,
                   size_t count) {
  for (size_t i = 0; i < count; ++i) {
    int rc = sqlite3_create_function_v2(db, specs[i].name, specs[i].args, SQLITE_UTF8, conn,
                                        specs[i].fn, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return errors::Make(errors::kInternalError,
                          {std::string("cannot register ") + specs[i].name});
    }
  }
  return Status::Ok();
}

namespace {

int CompareCiAs(void*, int na, const void* a, int nb, const void* b) {
  return collation::Compare(std::string_view(static_cast<const char*>(a), static_cast<size_t>(na)),
                            std::string_view(static_cast<const char*>(b), static_cast<size_t>(nb)));
}

// es_cast(value, from, to [, style]) / es_try_cast(value, from, to, style): CAST and CONVERT,
// and the implicit conversions of expression evaluation.
void Cast(sqlite3_context* ctx, int argc, sqlite3_value** argv, bool is_try) {
  if (IsNull(argv[0])) {
    sqlite3_result_null(ctx);
    return;
  }
  std::optional<SqlType> from = ArgType(ctx, argv[1]);
  std::optional<SqlType> to = ArgType(ctx, argv[2]);
  if (!from || !to) return;
  ConversionContext cc;
  cc.kind = ConversionKind::kExplicit;
  cc.style = argc > 3 ? static_cast<int>(Int64(argv[3])) : 0;
  cc.dates = Dates(ctx);
  if (from->IsString()) ApplyInputStyle(cc.style, *to, &cc.dates);
  Result<Value> v = ReadValue(argv[0], *from);
  if (v.ok()) v = Convert(*v, *to, cc);
  if (!v.ok()) {
    if (is_try) {
      sqlite3_result_null(ctx);
    } else {
      Raise(ctx, v.error());
    }
    return;
  }
  ResultValue(ctx, *v);
}

void EsCast(sqlite3_context* ctx, int argc, sqlite3_value** argv) { Cast(ctx, argc, argv, false); }
void EsTryCast(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  Cast(ctx, argc, argv, true);
}

// es_assign(value, from, to, table, column): the conversion of a value stored into a column
// (error 2628 names the table, column and truncated value).
void EsAssign(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) {
    sqlite3_result_null(ctx);
    return;
  }
  std::optional<SqlType> from = ArgType(ctx, argv[1]);
  std::optional<SqlType> to = ArgType(ctx, argv[2]);
  if (!from || !to) return;
  ConversionContext cc;
  cc.kind = ConversionKind::kAssignment;
  cc.dates = Dates(ctx);
  cc.table_name = std::string(Text(argv[3]));
  cc.column_name = std::string(Text(argv[4]));
  Result<Value> v = ReadValue(argv[0], *from);
  if (v.ok()) v = Convert(*v, *to, cc);
  if (!v.ok()) {
    Raise(ctx, v.error());
    return;
  }
  ResultValue(ctx, *v);
}

// es_key(value, column_id): the value about to be stored in a key column, remembered for the
// duplicate-key message.
void EsKey(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (RuntimeContext* rt = Runtime(ctx)) {
    StoredValue s;
    ReadStored(argv[0], &s);
    rt->RecordKeyValue(static_cast<int32_t>(Int64(argv[1])), s);
  }
  sqlite3_result_value(ctx, argv[0]);
}

// es_identity(object_id, type): the table's next identity value, in the column's storage form.
void EsIdentity(sqlite3_context* ctx, int, sqlite3_value** argv) {
  RuntimeContext* rt = Runtime(ctx);
  if (rt == nullptr) {
    Raise(ctx,
          errors::Make(errors::kInternalError, {"identity value requested without a session"}));
    return;
  }
  std::optional<SqlType> type = ArgType(ctx, argv[1]);
  if (!type) return;
  Result<int64_t> next = rt->NextIdentity(Int64(argv[0]));
  if (!next.ok()) {
    Raise(ctx, next.error());
    return;
  }
  Result<Value> v = Convert(Value::BigInteger(*next), *type);
  if (!v.ok()) {
    Raise(ctx, v.error());
    return;
  }
  ResultValue(ctx, *v);
}

// es_notnull(value, column, table, statement): 515 for NULL (the rowid-alias key column).
void EsNotNull(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) {
    Raise(ctx,
          errors::Make(errors::kNullNotAllowed, {Text(argv[1]), Text(argv[2]), Text(argv[3])}));
    return;
  }
  sqlite3_result_value(ctx, argv[0]);
}

// es_error(number): raises the catalog error `number` (512 for a scalar subquery's second row).
void EsError(sqlite3_context* ctx, int, sqlite3_value** argv) {
  int number = static_cast<int>(Int64(argv[0]));
  if (!errors::IsKnown(number)) number = errors::kInternalError;
  Raise(ctx, errors::Make(number, {"unknown runtime error"}));
}

// es_nz(divisor): the divisor, or 8134 when it is zero (SQLite would return NULL).
void EsNz(sqlite3_context* ctx, int, sqlite3_value** argv) {
  int type = sqlite3_value_type(argv[0]);
  if ((type == SQLITE_INTEGER && sqlite3_value_int64(argv[0]) == 0) ||
      (type == SQLITE_FLOAT && sqlite3_value_double(argv[0]) == 0.0)) {
    Raise(ctx, errors::Make(errors::kDivideByZero));
    return;
  }
  sqlite3_result_value(ctx, argv[0]);
}

// es_rowcount(n, kind): a TOP (0), OFFSET (1), FETCH (2) or TOP PERCENT (3) value, checked.
void EsRowCount(sqlite3_context* ctx, int, sqlite3_value** argv) {
  int kind = static_cast<int>(Int64(argv[1]));
  bool null = IsNull(argv[0]);
  if (kind == 3) {
    double p = sqlite3_value_double(argv[0]);
    if (null || p < 0 || p > 100) {
      Raise(ctx, errors::Make(errors::kTopPercentOutOfRange));
      return;
    }
    sqlite3_result_double(ctx, p);
    return;
  }
  int64_t n = Int64(argv[0]);
  if (kind == 0 && (null || n < 0)) return Raise(ctx, errors::Make(errors::kTopInvalidValue));
  if (kind == 1 && (null || n < 0)) return Raise(ctx, errors::Make(errors::kOffsetNegative));
  if (kind == 2 && (null || n <= 0)) return Raise(ctx, errors::Make(errors::kFetchNotPositive));
  sqlite3_result_int64(ctx, n);
}

// es_intchk(value, type_id): integer arithmetic that SQLite did in 64 bits, checked against the
// SQL Server type (8115); a REAL here is a bigint overflow SQLite turned into a float.
void EsIntChk(sqlite3_context* ctx, int, sqlite3_value** argv) {
  TypeId id = static_cast<TypeId>(Int64(argv[1]));
  SqlType type{id};
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      return sqlite3_result_null(ctx);
    case SQLITE_INTEGER: {
      int64_t v = sqlite3_value_int64(argv[0]);
      bool ok = id == TypeId::kTinyInt    ? v >= 0 && v <= 255
                : id == TypeId::kSmallInt ? v >= INT16_MIN && v <= INT16_MAX
                : id == TypeId::kInt      ? v >= INT32_MIN && v <= INT32_MAX
                                          : true;
      if (!ok) return Raise(ctx, Overflow(type));
      return sqlite3_result_int64(ctx, v);
    }
    default:
      return Raise(ctx, Overflow(type));
  }
}

// es_maxrec(level, limit): the recursion level of a recursive CTE row, 530 past MAXRECURSION.
void EsMaxRec(sqlite3_context* ctx, int, sqlite3_value** argv) {
  int64_t level = Int64(argv[0]);
  int64_t limit = Int64(argv[1]);
  if (limit > 0 && level > limit) {
    return Raise(ctx, errors::Make(errors::kMaxRecursionExhausted, {std::to_string(limit)}));
  }
  sqlite3_result_int64(ctx, level);
}

void EsNewId(sqlite3_context* ctx, int, sqlite3_value**) {
  ResultBlob(ctx, guid::ToSortKey(guid::NewRandom()));
}

void EsDbName(sqlite3_context* ctx, int, sqlite3_value** argv) {
  RuntimeContext* rt = Runtime(ctx);
  if (rt == nullptr || IsNull(argv[0])) return sqlite3_result_null(ctx);
  std::optional<std::string> name = rt->DatabaseName(Int64(argv[0]));
  if (!name) return sqlite3_result_null(ctx);
  ResultText(ctx, *name);
}

void EsDbId(sqlite3_context* ctx, int, sqlite3_value** argv) {
  RuntimeContext* rt = Runtime(ctx);
  if (rt == nullptr || IsNull(argv[0])) return sqlite3_result_null(ctx);
  std::optional<int64_t> id = rt->DatabaseId(Text(argv[0]));
  if (!id) return sqlite3_result_null(ctx);
  sqlite3_result_int64(ctx, *id);
}

// es_serverproperty(name): SERVERPROPERTY as text (edgesql does not send sql_variant).
void EsServerProperty(sqlite3_context* ctx, int, sqlite3_value** argv) {
  RuntimeContext* rt = Runtime(ctx);
  if (rt == nullptr || IsNull(argv[0])) return sqlite3_result_null(ctx);
  Value v = rt->ServerProperty(Text(argv[0]));
  if (v.is_null()) return sqlite3_result_null(ctx);
  ResultText(ctx, v.type().IsString() ? v.AsString() : ToDisplayString(v));
}

// es_binconcat(a, b, ...): binary + binary (+ ...); NULL if any is NULL.
void EsBinConcat(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    if (IsNull(argv[i])) return sqlite3_result_null(ctx);
    out.append(Blob(argv[i]));
  }
  ResultBlob(ctx, out);
}

// es_dtarith(sign, a, a_type, b, b_type, result_type): datetime/smalldatetime plus or minus a
// number of days or another datetime ("+ (Addition)", "- (Subtraction)"). Datetimes count as
// days since 1900-01-01, numbers as days.
void EsDtArith(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[1]) || IsNull(argv[3])) return sqlite3_result_null(ctx);
  std::optional<SqlType> at = ArgType(ctx, argv[2]);
  std::optional<SqlType> bt = ArgType(ctx, argv[4]);
  std::optional<SqlType> rt = ArgType(ctx, argv[5]);
  if (!at || !bt || !rt) return;
  const int64_t base = datetime::kDays1900 * kTicksPerDay;
  auto offset = [&](sqlite3_value* v, const SqlType& t, int64_t* out) -> bool {
    if (t.IsDateTime()) {
      *out = sqlite3_value_int64(v) - base;
      return true;
    }
    double days = 0;
    if (t.IsDecimalLike()) {
      std::optional<Decimal> d = ReadDecimal(v);
      if (!d) return false;
      days = d->ToDouble();
    } else {
      days = sqlite3_value_double(v);
    }
    double ticks = days * static_cast<double>(kTicksPerDay);
    if (!(ticks > -9.2e18 && ticks < 9.2e18)) return false;
    *out = static_cast<int64_t>(ticks);
    return true;
  };
  int64_t a = 0;
  int64_t b = 0;
  if (!offset(argv[1], *at, &a) || !offset(argv[3], *bt, &b)) {
    return Raise(ctx, Overflow(*rt));
  }
  __int128 r =
      static_cast<__int128>(base) + a + (Int64(argv[0]) < 0 ? -static_cast<__int128>(b) : b);
  if (r < datetime::MinTicks(rt->id) || r > datetime::MaxTicks(rt->id)) {
    return Raise(ctx, Overflow(*rt));
  }
  sqlite3_result_int64(ctx, datetime::RoundTicks(static_cast<int64_t>(r), *rt));
}

constexpr FunctionSpec kCore[] = {
    {"es_cast", 3, EsCast},
    {"es_cast", 4, EsCast},
    {"es_try_cast", 4, EsTryCast},
    {"es_assign", 5, EsAssign},
    {"es_key", 2, EsKey},
    {"es_identity", 2, EsIdentity},
    {"es_notnull", 4, EsNotNull},
    {"es_error", 1, EsError},
    {"es_nz", 1, EsNz},
    {"es_rowcount", 2, EsRowCount},
    {"es_intchk", 2, EsIntChk},
    {"es_maxrec", 2, EsMaxRec},
    {"es_newid", 0, EsNewId},
    {"es_db_name", 1, EsDbName},
    {"es_db_id", 1, EsDbId},
    {"es_serverproperty", 1, EsServerProperty},
    {"es_binconcat", -1, EsBinConcat},
    {"es_dtarith", 6, EsDtArith},
};

}  // namespace
}  // namespace runtime

Status RegisterRuntimeFunctions(sqlite3* db, storage::SqliteConnection* conn) {
  int rc = sqlite3_create_collation_v2(db, collation::kSqliteName, SQLITE_UTF8, nullptr,
                                       runtime::CompareCiAs, nullptr);
  if (rc != SQLITE_OK) {
    return errors::Make(errors::kInternalError, {"cannot register the CI_AS collation"});
  }
  EDGESQL_RETURN_IF_ERROR(
      runtime::RegisterAll(db, conn, runtime::kCore, std::size(runtime::kCore)));
  EDGESQL_RETURN_IF_ERROR(runtime::RegisterNumericFunctions(db, conn));
  EDGESQL_RETURN_IF_ERROR(runtime::RegisterStringFunctions(db, conn));
  return runtime::RegisterDateFunctions(db, conn);
}

}  // namespace edgesql::tsql
