// Binder: date and time functions ("Date and time data types and functions (Transact-SQL)").
#include "tsql/binder.h"
#include "tsql/type_code.h"
#include "types/datetime.h"

namespace edgesql::tsql::bind {

Status CheckArgCount(const FunctionCallExpr& call, size_t min, size_t max, SourcePos pos);

namespace {

using datetime::DatePart;

bool IsTimePart(DatePart p) {
  return p == DatePart::kHour || p == DatePart::kMinute || p == DatePart::kSecond ||
         p == DatePart::kMillisecond || p == DatePart::kMicrosecond || p == DatePart::kNanosecond;
}

bool IsDatePart(DatePart p) { return !IsTimePart(p) && p != DatePart::kTzOffset; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The canonical name SQL Server uses for a datepart in messages.
const char* PartName(DatePart p) {
  switch (p) {
    case DatePart::kYear:
      return "year";
    case DatePart::kQuarter:
      return "quarter";
    case DatePart::kMonth:
      return "month";
    case DatePart::kDayOfYear:
      return "dayofyear";
    case DatePart::kDay:
      return "day";
    case DatePart::kWeek:
      return "week";
    case DatePart::kWeekday:
      return "weekday";
    case DatePart::kHour:
      return "hour";
    case DatePart::kMinute:
      return "minute";
    case DatePart::kSecond:
      return "second";
    case DatePart::kMillisecond:
      return "millisecond";
    case DatePart::kMicrosecond:
      return "microsecond";
    case DatePart::kNanosecond:
      return "nanosecond";
    case DatePart::kTzOffset:
      return "tzoffset";
    case DatePart::kIsoWeek:
      return "iso_week";
  }
  return "day";
}

}  // namespace

// A date/time function argument: date and time types as they are; strings as datetime2(7)
// (datetimeoffset(7) when a literal carries an offset), numbers as datetime (days since 1900).
Result<BoundExpr> Binder::AsDateArg(BoundExpr e, const SqlType& string_type) {
  if (e.type.IsDateTime()) return e;
  if (e.type.IsString()) {
    SqlType t = string_type;
    if (e.constant && !e.constant->is_null()) {
      std::optional<datetime::ParsedDateTime> p =
          datetime::Parse(e.constant->AsString(), settings().dates, TypeId::kDateTimeOffset);
      if (p && p->has_offset && string_type.id == TypeId::kDateTime2) {
        t = SqlType::DateTimeOffset(7);
      }
    }
    return ConvertTo(std::move(e), t);
  }
  return ConvertTo(std::move(e), SqlType::DateTime());
}

Result<BoundExpr> Binder::BindDateFunction(const FunctionCallExpr& call, const std::string& upper,
                                           SourcePos pos, bool* handled) {
  *handled = true;
  auto at = [&](Result<BoundExpr> r) -> Result<BoundExpr> {
    if (!r.ok()) return At(r.error(), pos);
    return r;
  };
  BoundExpr out;
  std::string lname = Lower(upper);
  const bool with_part = upper == "DATEADD" || upper == "DATEDIFF" || upper == "DATEDIFF_BIG" ||
                         upper == "DATEPART" || upper == "DATENAME";
  if (with_part) {
    const DatePartExpr* dp = call.args.empty() ? nullptr : call.args[0]->As<DatePartExpr>();
    std::optional<DatePart> part = dp ? datetime::ParseDatePart(dp->name) : std::nullopt;
    if (!part) {
      return At(errors::Make(errors::kInvalidParameterFor, {"1", lname}), pos);
    }
    std::vector<BoundExpr> a;
    for (size_t i = 1; i < call.args.size(); ++i) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*call.args[i]));
      Absorb(&out, e);
      out.nullable = out.nullable || e.nullable;
      a.push_back(std::move(e));
    }
    std::string part_code = Int(static_cast<int>(*part));
    auto unsupported = [&](const SqlType& t) -> SqlError {
      return At(errors::Make(errors::kDatePartNotSupported, {PartName(*part), lname, t.Name()}),
                pos);
    };
    if (upper == "DATEADD") {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr d, at(AsDateArg(std::move(a[1]), SqlType::DateTime())));
      const SqlType& t = d.type;
      // "DATEADD does not allow addition for a datepart of microsecond or nanosecond for date
      // data types smalldatetime, date, and datetime."
      bool sub_ms = *part == DatePart::kMicrosecond || *part == DatePart::kNanosecond;
      if (*part == DatePart::kTzOffset || *part == DatePart::kIsoWeek ||
          (t.id == TypeId::kDate && IsTimePart(*part)) ||
          (t.id == TypeId::kTime && IsDatePart(*part)) ||
          (sub_ms && (t.id == TypeId::kDateTime || t.id == TypeId::kSmallDateTime))) {
        return unsupported(t);
      }
      EDGESQL_ASSIGN_OR_RETURN(
          BoundExpr n, at(ConvertTo(std::move(a[0]), SqlType::Int(), Conversion::kExplicit)));
      out.type = t;
      out.sql =
          "es_dateadd(" + part_code + ", " + n.sql + ", " + d.sql + ", " + Int(TypeCode(t)) + ")";
      return out;
    }
    if (upper == "DATEDIFF" || upper == "DATEDIFF_BIG") {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr s, at(AsDateArg(std::move(a[0]), SqlType::DateTime2(7))));
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, at(AsDateArg(std::move(a[1]), SqlType::DateTime2(7))));
      for (const BoundExpr* x : {&s, &e}) {
        if (*part == DatePart::kTzOffset || *part == DatePart::kWeekday ||
            (x->type.id == TypeId::kDate && IsTimePart(*part)) ||
            (x->type.id == TypeId::kTime && IsDatePart(*part))) {
          return unsupported(x->type);
        }
      }
      bool big = upper == "DATEDIFF_BIG";
      out.type = big ? SqlType::BigInt() : SqlType::Int();
      out.sql = "es_datediff(" + part_code + ", " + s.sql + ", " + Int(TypeCode(s.type)) + ", " +
                e.sql + ", " + Int(TypeCode(e.type)) + ", " + (big ? "1" : "0") + ")";
      return out;
    }
    // DATEPART / DATENAME. A literal supplies defaults for the parts its type lacks; a typed
    // value that lacks the part is 9810 ("DATEPART (Transact-SQL)", "Default return value").
    bool literal = a[0].constant.has_value() && a[0].type.IsString();
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr d, at(AsDateArg(std::move(a[0]), SqlType::DateTime2(7))));
    if (!literal && ((d.type.id == TypeId::kDate && IsTimePart(*part)) ||
                     (d.type.id == TypeId::kTime && IsDatePart(*part)))) {
      return unsupported(d.type);
    }
    std::string args = part_code + ", " + d.sql + ", " + Int(TypeCode(d.type));
    if (upper == "DATEPART") {
      out.type = SqlType::Int();
      out.sql = "es_datepart(" + args + ")";
    } else {
      out.type = SqlType::NVarChar(30);
      out.sql = "es_datename(" + args + ")";
    }
    return out;
  }

  if (upper == "YEAR" || upper == "MONTH" || upper == "DAY") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 1, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    Absorb(&out, a[0]);
    out.nullable = a[0].nullable;
    bool literal = a[0].constant.has_value() && a[0].type.IsString();
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr d, at(AsDateArg(std::move(a[0]), SqlType::DateTime2(7))));
    DatePart part = upper == "YEAR"    ? DatePart::kYear
                    : upper == "MONTH" ? DatePart::kMonth
                                       : DatePart::kDay;
    if (!literal && d.type.id == TypeId::kTime) {
      return At(errors::Make(errors::kDatePartNotSupported, {PartName(part), lname, "time"}), pos);
    }
    out.type = SqlType::Int();
    out.sql = "es_datepart(" + Int(static_cast<int>(part)) + ", " + d.sql + ", " +
              Int(TypeCode(d.type)) + ")";
    return out;
  }
  if (upper == "EOMONTH") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 2, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    for (const BoundExpr& e : a) Absorb(&out, e);
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr d, at(AsDateArg(std::move(a[0]), SqlType::Date())));
    if (d.type.id == TypeId::kTime) {
      return At(errors::Make(errors::kInvalidArgumentType, {"time", "1", "EOMONTH"}), pos);
    }
    std::string n = "0";
    if (a.size() > 1) {
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr m, at(ConvertTo(std::move(a[1]), SqlType::Int())));
      n = m.sql;
    }
    out.type = SqlType::Date();
    out.sql = "es_eomonth(" + d.sql + ", " + Int(TypeCode(d.type)) + ", " + n + ")";
    return out;
  }
  struct FromParts {
    std::string_view name;
    size_t args;
    SqlType type;
    bool precision_last;  // the last argument is the precision (a constant)
  };
  static const FromParts kFromParts[] = {
      {"DATEFROMPARTS", 3, SqlType::Date(), false},
      {"DATETIMEFROMPARTS", 7, SqlType::DateTime(), false},
      {"SMALLDATETIMEFROMPARTS", 5, SqlType::SmallDateTime(), false},
      {"DATETIME2FROMPARTS", 8, SqlType::DateTime2(7), true},
      {"TIMEFROMPARTS", 5, SqlType::Time(7), true},
      {"DATETIMEOFFSETFROMPARTS", 10, SqlType::DateTimeOffset(7), true},
  };
  for (const FromParts& f : kFromParts) {
    if (f.name != upper) continue;
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, f.args, f.args, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    out.type = f.type;
    if (f.precision_last) {
      const BoundExpr& p = a.back();
      if (!p.constant || p.constant->is_null() ||
          !std::holds_alternative<int64_t>(p.constant->payload()) || p.constant->AsInt() < 0 ||
          p.constant->AsInt() > 7) {
        return At(
            errors::Make(errors::kInvalidParameterFor, {std::to_string(f.args), Lower(f.name)}),
            pos);
      }
      out.type.scale = static_cast<uint8_t>(p.constant->AsInt());
    }
    std::string args = Int(TypeCode(out.type));
    size_t n = f.precision_last ? a.size() - 1 : a.size();
    for (size_t i = 0; i < n; ++i) {
      Absorb(&out, a[i]);
      EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, at(ConvertTo(std::move(a[i]), SqlType::BigInt())));
      args += ", " + v.sql;
    }
    out.sql = "es_fromparts(" + args + ")";
    return out;
  }
  if (upper == "ISDATE") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 1, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    Absorb(&out, a[0]);
    out.type = SqlType::Int();
    out.nullable = false;
    if (a[0].type.IsString()) {
      out.sql = "es_isdate(" + a[0].sql + ")";
    } else if (a[0].type.id == TypeId::kDateTime || a[0].type.id == TypeId::kSmallDateTime ||
               a[0].type.id == TypeId::kDate) {
      out.sql = "CASE WHEN " + a[0].sql + " IS NULL THEN 0 ELSE 1 END";
    } else {
      return At(errors::Make(errors::kInvalidArgumentType, {a[0].type.Name(), "1", "isdate"}), pos);
    }
    return out;
  }
  if (upper == "SWITCHOFFSET" || upper == "TODATETIMEOFFSET") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 2, 2, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    Absorb(&out, a[0]);
    Absorb(&out, a[1]);
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr d,
                             at(AsDateArg(std::move(a[0]), SqlType::DateTimeOffset(7))));
    if (upper == "SWITCHOFFSET" && d.type.id != TypeId::kDateTimeOffset) {
      EDGESQL_ASSIGN_OR_RETURN(d, at(ConvertTo(std::move(d), SqlType::DateTimeOffset(7))));
    }
    BoundExpr tz = std::move(a[1]);
    if (!tz.type.IsString() && !tz.type.IsInteger()) {
      EDGESQL_ASSIGN_OR_RETURN(tz, at(ConvertTo(std::move(tz), SqlType::Int())));
    }
    out.type = SqlType::DateTimeOffset(d.type.id == TypeId::kDate ? 0 : d.type.scale);
    if (d.type.id == TypeId::kDateTime) out.type.scale = 3;
    if (d.type.id == TypeId::kSmallDateTime) out.type.scale = 0;
    out.sql = std::string(upper == "SWITCHOFFSET" ? "es_switchoffset(" : "es_todatetimeoffset(") +
              d.sql + ", " + Int(TypeCode(d.type)) + ", " + tz.sql + ", " +
              Int(TypeCode(out.type)) + ")";
    return out;
  }
  if (upper == "CURRENT_DATE") {
    BoundExpr now = Runtime(RuntimeValue::kGetDate, SqlType::DateTime(), false);
    return at(ConvertTo(std::move(now), SqlType::Date()));
  }
  *handled = false;
  return out;
}

}  // namespace edgesql::tsql::bind
