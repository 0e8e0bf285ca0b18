// Binder: string and mathematical functions. Return types follow each function's "Return types"
// section in SQL Server's documentation; the work happens in the es_* runtime functions.
#include <cmath>

#include "common/utf.h"
#include "tsql/binder.h"
#include "tsql/type_code.h"

namespace edgesql::tsql::bind {
namespace {

// The variable-length counterpart of a string or binary type.
SqlType VarOf(const SqlType& t) {
  SqlType r = t;
  if (t.id == TypeId::kChar) r.id = TypeId::kVarChar;
  if (t.id == TypeId::kNChar) r.id = TypeId::kNVarChar;
  if (t.id == TypeId::kBinary) r.id = TypeId::kVarBinary;
  if (r.IsNull()) r = SqlType::VarChar(1);
  return r;
}

// varchar(8000) / nvarchar(4000), or (max) when the input is (max): the type of REPLACE,
// REPLICATE, STUFF and friends.
SqlType Wide(const SqlType& t) {
  if (t.IsUnicode()) return SqlType::NVarChar(t.IsMax() ? SqlType::kMax : 4000);
  if (t.IsBinary()) return SqlType::VarBinary(t.IsMax() ? SqlType::kMax : 8000);
  return SqlType::VarChar(t.IsMax() ? SqlType::kMax : 8000);
}

SqlType LengthType(const SqlType& t) { return t.IsMax() ? SqlType::BigInt() : SqlType::Int(); }

// An upper bound of the length of a string or binary value in its type's units (characters,
// UTF-16 units for nvarchar, bytes), or nullopt for (max) and non-string values. A constant's
// bound is its exact length.
std::optional<int64_t> MaxLength(const BoundExpr& e) {
  if (e.constant) {
    if (e.constant->is_null()) return 0;
    if (e.type.IsString() || e.type.IsBinary()) {
      const std::string& v = e.constant->AsString();
      if (e.type.IsBinary()) return static_cast<int64_t>(v.size());
      return static_cast<int64_t>(e.type.IsUnicode() ? utf::Utf16Length(v)
                                                     : utf::CodePointCount(v));
    }
  }
  if ((e.type.IsString() || e.type.IsBinary()) && !e.type.IsMax()) return e.type.length;
  return std::nullopt;
}

std::string Call(std::string_view fn, const std::vector<std::string>& args) {
  std::string out(fn);
  out += '(';
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ", ";
    out += args[i];
  }
  out += ')';
  return out;
}

}  // namespace

Status CheckArgCount(const FunctionCallExpr& call, size_t min, size_t max, SourcePos pos);

Result<BoundExpr> Binder::BindStringFunction(const FunctionCallExpr& call, const std::string& upper,
                                             SourcePos pos, bool* handled) {
  struct Spec {
    std::string_view name;
    size_t min;
    size_t max;
  };
  static const Spec kSpecs[] = {
      {"LEN", 1, 1},       {"DATALENGTH", 1, 1}, {"SUBSTRING", 3, 3}, {"LEFT", 2, 2},
      {"RIGHT", 2, 2},     {"UPPER", 1, 1},      {"LOWER", 1, 1},     {"LTRIM", 1, 2},
      {"RTRIM", 1, 2},     {"TRIM", 1, 2},       {"REPLACE", 3, 3},   {"REPLICATE", 2, 2},
      {"REVERSE", 1, 1},   {"STUFF", 4, 4},      {"CONCAT", 2, 254},  {"CONCAT_WS", 3, 254},
      {"SPACE", 1, 1},     {"STR", 1, 3},        {"ASCII", 1, 1},     {"CHAR", 1, 1},
      {"UNICODE", 1, 1},   {"NCHAR", 1, 1},      {"CHARINDEX", 2, 3}, {"PATINDEX", 2, 2},
      {"QUOTENAME", 1, 2}, {"TRANSLATE", 3, 3},
  };
  const Spec* spec = nullptr;
  for (const Spec& s : kSpecs) {
    if (s.name == upper) spec = &s;
  }
  *handled = spec != nullptr;
  if (!spec) return BoundExpr{};
  // TRIM takes its characters as TRIM(characters FROM string), not as a second argument.
  size_t max_args = upper == "TRIM" && !call.trim_from ? 1 : spec->max;
  EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, spec->min, max_args, pos));
  EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
  BoundExpr out;
  out.nullable = false;
  for (const BoundExpr& e : a) {
    Absorb(&out, e);
    out.nullable = out.nullable || e.nullable;
  }
  // Results that can outgrow their type: REPLACE, REPLICATE, STUFF, and CONCAT beyond 8000 bytes.
  bool truncate = upper == "REPLACE" || upper == "REPLICATE" || upper == "STUFF";
  auto at = [&](Result<BoundExpr> r) -> Result<BoundExpr> {
    if (!r.ok()) return At(r.error(), pos);
    return r;
  };
  auto str = [&](size_t i) -> Result<BoundExpr> { return at(AsString(std::move(a[i]))); };
  auto num = [&](size_t i) -> Result<BoundExpr> {
    return at(ConvertTo(std::move(a[i]), SqlType::BigInt()));
  };
  auto text_or_binary = [&](size_t i) -> Result<BoundExpr> {
    if (a[i].type.IsBinary()) return a[i];
    return str(i);
  };

  if (upper == "LEN") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, text_or_binary(0));
    out.type = LengthType(s.type);
    out.sql = Call("es_len", {s.sql});
  } else if (upper == "DATALENGTH") {
    out.type = LengthType(a[0].type);
    out.sql = Call("es_datalength", {a[0].sql, Int(TypeCode(a[0].type))});
  } else if (upper == "SUBSTRING" || upper == "LEFT" || upper == "RIGHT") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, text_or_binary(0));
    out.type = VarOf(s.type);
    std::vector<std::string> args = {s.sql};
    for (size_t i = 1; i < a.size(); ++i) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr n, num(i));
      args.push_back(n.sql);
    }
    out.sql = Call(upper == "SUBSTRING" ? "es_substring"
                   : upper == "LEFT"    ? "es_left"
                                        : "es_right",
                   args);
  } else if (upper == "UPPER" || upper == "LOWER" || upper == "REVERSE") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, str(0));
    out.type = upper == "REVERSE" ? VarOf(s.type) : s.type;
    out.sql = Call(upper == "UPPER"   ? "es_upper"
                   : upper == "LOWER" ? "es_lower"
                                      : "es_reverse",
                   {s.sql});
  } else if (upper == "LTRIM" || upper == "RTRIM" || upper == "TRIM") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, str(0));
    out.type = VarOf(s.type);
    std::vector<std::string> args = {s.sql};
    if (a.size() > 1) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr c, str(1));
      args.push_back(c.sql);
    }
    out.sql = Call(upper == "LTRIM" ? "es_ltrim" : upper == "RTRIM" ? "es_rtrim" : "es_trim", args);
  } else if (upper == "REPLACE" || upper == "TRANSLATE") {
    bool unicode = false;
    std::vector<std::string> args;
    std::vector<std::optional<int64_t>> lengths;
    std::optional<Value> find;
    std::optional<std::string> inner;  // the input, when it is an es_replace chain
    int inner_args = 0;
    SqlType first;
    for (size_t i = 0; i < 3; ++i) {
      unicode = unicode || a[i].type.IsUnicode();
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, str(i));
      if (i == 0) first = s.type;
      if (i == 0 && s.chain == ChainKind::kReplace && s.chain_size == s.sql.size()) {
        inner = s.sql;
        inner_args = s.chain_args;
      }
      if (i == 1) find = s.constant;
      lengths.push_back(MaxLength(s));
      args.push_back(s.sql);
    }
    if (upper == "REPLACE") {
      out.type = Wide(first);
      if (unicode && !out.type.IsUnicode()) out.type = SqlType::NVarChar(first.IsMax() ? -1 : 4000);
      out.sql = Call("es_replace", args);
      // Bound the result: occurrences of a nonempty constant `find` replaced by something no
      // longer cannot grow the string. When it fits the result type, no cut is needed (each cut
      // is a call level, and nested REPLACEs would soon reach SQLite's parser limit).
      std::optional<int64_t> ls = lengths[0];
      std::optional<int64_t> lr = lengths[2];
      std::optional<int64_t> bound;
      if (ls && lr && *lr == 0) bound = ls;
      if (ls && lr && find && !find->is_null()) {
        std::optional<int64_t> lf = lengths[1];
        if (lf && *lf >= 1) bound = *lr <= *lf ? *ls : *ls + (*ls / *lf) * (*lr - *lf);
      }
      if (bound && *bound <= out.type.length) truncate = false;
      // REPLACE(REPLACE(s, f, w), f2, w2) without cuts is one call: es_replace(s, f, w, f2, w2),
      // not a call level per REPLACE (SQLite's parser stack holds about 30).
      if (!truncate) {
        int call_args = 3;
        if (inner && inner_args + 2 <= 127) {
          inner->pop_back();
          out.sql = *inner + ", " + args[1] + ", " + args[2] + ")";
          call_args = inner_args + 2;
        }
        out.chain = ChainKind::kReplace;
        out.chain_size = out.sql.size();
        out.chain_args = call_args;
      }
    } else {
      out.type = VarOf(first);
      out.sql = Call("es_translate", args);
    }
  } else if (upper == "REPLICATE") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, text_or_binary(0));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr n, num(1));
    out.type = Wide(s.type);
    out.nullable = true;
    out.sql = Call("es_replicate", {s.sql, n.sql});
    std::optional<int64_t> ls = MaxLength(s);
    if (ls && n.constant && !n.constant->is_null() &&
        std::holds_alternative<int64_t>(n.constant->payload()) &&
        *ls * std::max<int64_t>(n.constant->AsInt(), 0) <= out.type.length) {
      truncate = false;
    }
  } else if (upper == "STUFF") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, text_or_binary(0));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr st, num(1));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr n, num(2));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr r, s.type.IsBinary() ? text_or_binary(3) : str(3));
    out.type = Wide(s.type);
    if (r.type.IsUnicode() && !out.type.IsUnicode()) out.type = SqlType::NVarChar(4000);
    out.nullable = true;
    out.sql = Call("es_stuff", {s.sql, st.sql, n.sql, r.sql});
    std::optional<int64_t> ls = MaxLength(s);
    std::optional<int64_t> lr = MaxLength(r);
    if (ls && lr && *ls + *lr <= out.type.length) truncate = false;
  } else if (upper == "CONCAT" || upper == "CONCAT_WS") {
    // "CONCAT (Transact-SQL)": NULL arguments count as empty strings; the result is nvarchar if
    // any argument is, and (max) if any argument is a large value type.
    bool ws = upper == "CONCAT_WS";
    bool unicode = false;
    bool max = false;
    bool all_null = true;
    int64_t len = 0;
    std::vector<std::string> args;
    for (size_t i = 0; i < a.size(); ++i) {
      unicode = unicode || a[i].type.IsUnicode();
      if (!(ws && i == 0)) all_null = all_null && a[i].IsNullLiteral();
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, str(i));
      max = max || s.type.IsMax();
      if (!(ws && i == 0) && !s.type.IsMax()) len += s.type.length;
      args.push_back(s.sql);
    }
    int32_t cap = unicode ? 4000 : 8000;
    int32_t n = max ? SqlType::kMax : static_cast<int32_t>(std::clamp<int64_t>(len, 1, cap));
    out.type = unicode ? SqlType::NVarChar(n) : SqlType::VarChar(n);
    // "If CONCAT receives arguments with all NULL values, it returns an empty string of type
    // varchar(1)" (CONCAT_WS likewise).
    if (all_null) out.type = SqlType::VarChar(1);
    out.nullable = false;
    truncate = len > cap;
    // CONCAT takes up to 254 arguments, a SQLite call 127: longer lists are concatenated in
    // groups (for CONCAT_WS, groups of only NULLs are NULL, so they add no separator).
    constexpr size_t kMaxCallArgs = 127;
    if (args.size() <= kMaxCallArgs) {
      out.sql = Call(ws ? "es_concat_ws" : "es_concat", args);
    } else {
      size_t first = ws ? 1 : 0;
      size_t per_group = ws ? kMaxCallArgs - 1 : kMaxCallArgs;
      std::vector<std::string> groups;
      if (ws) groups.push_back(args[0]);
      for (size_t i = first; i < args.size(); i += per_group) {
        std::vector<std::string> group;
        if (ws) group.push_back(args[0]);
        group.insert(
            group.end(), args.begin() + static_cast<std::ptrdiff_t>(i),
            args.begin() + static_cast<std::ptrdiff_t>(std::min(args.size(), i + per_group)));
        groups.push_back(Call(ws ? "es_concat_ws_null" : "es_concat", group));
      }
      out.sql = Call(ws ? "es_concat_ws" : "es_concat", groups);
    }
  } else if (upper == "SPACE") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr n, num(0));
    out.type = SqlType::VarChar(8000);
    out.nullable = true;
    out.sql = Call("es_space", {n.sql});
  } else if (upper == "STR") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr f, at(ConvertTo(std::move(a[0]), SqlType::Float())));
    std::vector<std::string> args = {f.sql};
    int32_t len = 10;
    for (size_t i = 1; i < a.size(); ++i) {
      if (i == 1 && a[1].constant && !a[1].constant->is_null() &&
          std::holds_alternative<int64_t>(a[1].constant->payload())) {
        len = static_cast<int32_t>(std::clamp<int64_t>(a[1].constant->AsInt(), 1, 8000));
      }
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr n, num(i));
      args.push_back(n.sql);
    }
    out.type = SqlType::VarChar(len);
    out.nullable = true;
    out.sql = Call("es_str", args);
  } else if (upper == "ASCII" || upper == "UNICODE") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, str(0));
    out.type = SqlType::Int();
    out.nullable = true;
    out.sql = Call(upper == "ASCII" ? "es_ascii" : "es_unicode", {s.sql});
  } else if (upper == "CHAR" || upper == "NCHAR") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr n, num(0));
    out.type = upper == "CHAR" ? SqlType::Char(1) : SqlType::NChar(1);
    out.nullable = true;
    out.sql = Call(upper == "CHAR" ? "es_char" : "es_nchar", {n.sql});
  } else if (upper == "CHARINDEX") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr find, str(0));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, str(1));
    std::vector<std::string> args = {find.sql, s.sql};
    if (a.size() > 2) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr start, num(2));
      args.push_back(start.sql);
    }
    out.type = LengthType(s.type);
    out.sql = Call("es_charindex", args);
  } else if (upper == "PATINDEX") {
    bool unicode = a[0].type.IsUnicode() || a[1].type.IsUnicode();
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr p, str(0));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, str(1));
    out.type = LengthType(s.type);
    out.sql = Call("es_patindex", {p.sql, s.sql, unicode ? "1" : "0"});
  } else if (upper == "QUOTENAME") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, str(0));
    std::vector<std::string> args = {s.sql};
    if (a.size() > 1) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr q, str(1));
      args.push_back(q.sql);
    }
    out.type = SqlType::NVarChar(258);
    out.nullable = true;
    out.sql = Call("es_quotename", args);
  }
  if (truncate && !out.type.IsMax()) {
    // "... truncates the return value at 8,000 bytes" unless an input is a large value type:
    // computed at (max), then cut to the result type.
    SqlType result = out.type;
    out.type = result;
    out.type.length = SqlType::kMax;
    if (out.type.id == TypeId::kChar) out.type.id = TypeId::kVarChar;
    return at(ConvertTo(std::move(out), result, Conversion::kExplicit));
  }
  return out;
}

Result<BoundExpr> Binder::BindMathFunction(const FunctionCallExpr& call, const std::string& upper,
                                           SourcePos pos, bool* handled) {
  static constexpr std::string_view kFloatFns[] = {"SQRT", "SQUARE", "EXP", "LOG",  "LOG10",
                                                   "SIN",  "COS",    "TAN", "ASIN", "ACOS",
                                                   "ATAN", "ATN2",   "COT"};
  bool float_fn = false;
  for (std::string_view f : kFloatFns) float_fn = float_fn || f == upper;
  bool typed_fn = upper == "ABS" || upper == "CEILING" || upper == "FLOOR" || upper == "ROUND" ||
                  upper == "POWER" || upper == "SIGN" || upper == "DEGREES" || upper == "RADIANS";
  *handled = float_fn || typed_fn || upper == "PI" || upper == "RAND";
  if (!*handled) return BoundExpr{};
  auto at = [&](Result<BoundExpr> r) -> Result<BoundExpr> {
    if (!r.ok()) return At(r.error(), pos);
    return r;
  };
  BoundExpr out;
  if (upper == "PI") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 0, 0, pos));
    return Literal(Value::Float(SqlType::Float(), M_PI));
  }
  if (upper == "RAND") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 0, 1, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    std::string seed = "NULL";
    if (!a.empty()) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, at(ConvertTo(std::move(a[0]), SqlType::BigInt())));
      Absorb(&out, s);
      seed = s.sql;
    }
    out.type = SqlType::Float();
    out.nullable = false;
    out.sql = "es_rand(" + seed + ")";
    return out;
  }
  size_t want = upper == "ATN2" || upper == "POWER" ? 2 : 1;
  size_t max = upper == "ROUND" ? 3 : upper == "LOG" ? 2 : want;
  if (upper == "ROUND") want = 2;
  EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, want, max, pos));
  EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
  out.nullable = false;
  for (const BoundExpr& e : a) {
    Absorb(&out, e);
    out.nullable = out.nullable || e.nullable;
  }
  // Strings and other non-numeric arguments convert to float, as SQL Server converts them.
  SqlType xt = a[0].type;
  if (!xt.IsNumeric() || xt.id == TypeId::kBit) {
    if (xt.id == TypeId::kBit) {
      xt = SqlType::Int();
    } else {
      xt = SqlType::Float();
    }
    EDGESQL_ASSIGN_OR_RETURN(a[0], at(ConvertTo(std::move(a[0]), xt)));
  }
  if (float_fn) {
    std::vector<std::string> args = {"'" + Upper(upper) + "'"};
    for (BoundExpr& e : a) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr f, at(ConvertTo(std::move(e), SqlType::Float())));
      args.push_back(f.sql);
    }
    out.type = SqlType::Float();
    out.nullable = true;
    out.sql = Call("es_math", args);
    return out;
  }
  std::string code = Int(TypeCode(xt));
  if (upper == "ABS") {
    out.type = xt;
    out.sql = xt.IsDecimalLike() ? Call("es_abs", {a[0].sql}) : Call("abs", {a[0].sql});
  } else if (upper == "CEILING" || upper == "FLOOR") {
    out.type = (xt.id == TypeId::kDecimal || xt.id == TypeId::kNumeric)
                   ? SqlType::Decimal(xt.precision, 0)
                   : xt;
    if (xt.IsInteger()) {
      out.sql = a[0].sql;
    } else {
      out.sql = Call(upper == "CEILING" ? "es_ceiling" : "es_floor", {a[0].sql});
    }
  } else if (upper == "SIGN") {
    // "SIGN (Transact-SQL)": int for the smaller integers; a decimal keeps its type, with room
    // for the integer digit of -1/1.
    out.type = xt;
    if (xt.id == TypeId::kTinyInt || xt.id == TypeId::kSmallInt) out.type = SqlType::Int();
    if (xt.id == TypeId::kDecimal || xt.id == TypeId::kNumeric) {
      int s = std::min<int>(xt.scale, 37);
      out.type.scale = static_cast<uint8_t>(s);
      out.type.precision = static_cast<uint8_t>(std::max<int>(xt.precision, s + 1));
    }
    out.sql = Call("es_sign", {a[0].sql});
  } else if (upper == "ROUND") {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr n, at(ConvertTo(std::move(a[1]), SqlType::Int())));
    std::string f = "0";
    if (a.size() > 2) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr fn, at(ConvertTo(std::move(a[2]), SqlType::Int())));
      f = fn.sql;
    }
    // "ROUND (Transact-SQL)" return types: int for tinyint/smallint/int, money for smallmoney,
    // float for real; bigint and decimal(p, s) keep theirs (ROUND(CAST(255 AS tinyint), -1) is
    // the int 260).
    out.type = xt.id == TypeId::kTinyInt || xt.id == TypeId::kSmallInt ? SqlType::Int()
               : xt.id == TypeId::kSmallMoney                          ? SqlType::Money()
               : xt.id == TypeId::kReal                                ? SqlType::Float()
                                                                       : xt;
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr x, at(ConvertTo(std::move(a[0]), out.type)));
    out.sql = Call("es_round", {x.sql, n.sql, f, Int(TypeCode(out.type))});
  } else if (upper == "POWER") {
    // "POWER (Transact-SQL)": decimal(p, s) -> decimal(38, s); other types keep their own.
    out.type = (xt.id == TypeId::kDecimal || xt.id == TypeId::kNumeric)
                   ? SqlType::Decimal(38, xt.scale)
               : xt.id == TypeId::kTinyInt || xt.id == TypeId::kSmallInt ? SqlType::Int()
               : xt.id == TypeId::kReal                                  ? SqlType::Float()
                                                                         : xt;
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr y, at(ConvertTo(std::move(a[1]), SqlType::Float())));
    out.nullable = true;
    out.sql = Call("es_power", {a[0].sql, y.sql, Int(TypeCode(out.type))});
  } else {
    // DEGREES / RADIANS: computed in float, returned in the argument's type.
    out.type = xt.IsApproxNumeric() ? SqlType::Float() : xt;
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr f, at(ConvertTo(std::move(a[0]), SqlType::Float())));
    BoundExpr r;
    r.type = SqlType::Float();
    r.sql = Call("es_math", {"'" + upper + "'", f.sql});
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr c,
                             at(ConvertTo(std::move(r), out.type, Conversion::kExplicit)));
    out.sql = c.sql;
  }
  return out;
}

}  // namespace edgesql::tsql::bind
