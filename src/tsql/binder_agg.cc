// Binder: aggregate and window functions ("Aggregate Functions (Transact-SQL)", "SELECT - OVER
// Clause (Transact-SQL)"). Result types follow each aggregate's documentation: SUM of int is int
// and AVG of int is int (truncated), decimal(p, s) sums to decimal(38, s) and averages to
// decimal(38, max(s, 6)).
#include "tsql/binder.h"
#include "tsql/type_code.h"

namespace edgesql::tsql::bind {

Status CheckArgCount(const FunctionCallExpr& call, size_t min, size_t max, SourcePos pos);

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// The SQL of aggregate `upper` over the bound argument(s), with `over` (" OVER (...)" or empty)
// attached to every SQLite aggregate it expands to.
Result<BoundExpr> Binder::AggregateSql(const FunctionCallExpr& call, const std::string& upper,
                                       std::vector<BoundExpr> args, const std::string& over,
                                       SourcePos pos) {
  BoundExpr out;
  out.nullable = true;
  for (const BoundExpr& a : args) Absorb(&out, a);
  std::string distinct = call.distinct ? "DISTINCT " : "";
  auto invalid = [&](const SqlType& t) -> SqlError {
    return At(
        errors::Make(errors::kInvalidOperandType,
                     {t.IsNull() ? "NULL" : std::string(t.Name()), Lower(upper) + " operator"}),
        pos);
  };
  if (upper == "COUNT" || upper == "COUNT_BIG" || upper == "APPROX_COUNT_DISTINCT") {
    out.type = upper == "COUNT" ? SqlType::Int() : SqlType::BigInt();
    out.nullable = false;
    if (call.star) {
      out.sql = "count(*)" + over;
    } else {
      if (upper == "APPROX_COUNT_DISTINCT") distinct = "DISTINCT ";
      out.sql =
          "count(" + distinct + (distinct.empty() ? args[0].sql : Collated(args[0])) + ")" + over;
    }
    return out;
  }
  const BoundExpr& x = args[0];
  const SqlType& t = x.type;
  if (upper == "MIN" || upper == "MAX") {
    if (t.id == TypeId::kBit || t.IsNull()) return invalid(t);
    out.type = t;
    out.sql = Lower(upper) + "(" + distinct + Collated(x) + ")" + over;
    return out;
  }
  if (upper == "SUM" || upper == "AVG") {
    if (!t.IsNumeric() || t.id == TypeId::kBit) return invalid(t);
    if (t.IsApproxNumeric()) {
      out.type = SqlType::Float();
      out.sql = Lower(upper) + "(" + distinct + x.sql + ")" + over;
      return out;
    }
    if (t.IsInteger()) {
      out.type = t.id == TypeId::kBigInt ? SqlType::BigInt() : SqlType::Int();
      if (upper == "SUM") {
        out.sql = std::string(t.id == TypeId::kBigInt ? "es_sum_i64(" : "es_sum_i32(") + distinct +
                  x.sql + ")" + over;
      } else {
        out.sql = "(es_sum_i64(" + distinct + x.sql + ")" + over + " / count(" + distinct + x.sql +
                  ")" + over + ")";
      }
      return out;
    }
    bool money = t.id == TypeId::kMoney || t.id == TypeId::kSmallMoney;
    std::string sum =
        std::string(money ? "es_sum_money(" : "es_sum_dec(") + distinct + x.sql + ")" + over;
    if (upper == "SUM") {
      out.type = money ? SqlType::Money() : SqlType::Decimal(38, t.scale);
      out.sql = sum;
    } else {
      out.type = money ? SqlType::Money() : SqlType::Decimal(38, std::max<int>(t.scale, 6));
      out.sql = "es_dec_div(" + sum + ", count(" + distinct + x.sql + ")" + over + ", " +
                Int(TypeCode(out.type)) + ")";
    }
    return out;
  }
  if (upper == "STDEV" || upper == "STDEVP" || upper == "VAR" || upper == "VARP") {
    if (!t.IsNumeric() || t.id == TypeId::kBit) return invalid(t);
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr f, ConvertTo(std::move(args[0]), SqlType::Float()));
    out.type = SqlType::Float();
    out.sql = "es_" + Lower(upper) + "(" + distinct + f.sql + ")" + over;
    return out;
  }
  if (upper == "STRING_AGG") {
    if (!call.within_group.empty() && !over.empty()) {
      return At(errors::Make(errors::kUnsupportedStatement, {"STRING_AGG WITHIN GROUP with OVER"}),
                pos);
    }
    // "Non-string types are converted to NVARCHAR type" (the result is nvarchar(4000)).
    bool unicode = args[0].type.IsUnicode() || args[1].type.IsUnicode() ||
                   (!args[0].type.IsString() && !args[0].type.IsNull());
    bool max = args[0].type.IsMax();
    if (unicode && !args[0].type.IsString() && !args[0].type.IsNull()) {
      EDGESQL_ASSIGN_OR_RETURN(args[0], AsString(std::move(args[0])));
      EDGESQL_ASSIGN_OR_RETURN(args[0], ConvertTo(std::move(args[0]), SqlType::NVarChar(4000)));
    }
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr v, AsString(std::move(args[0])));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr sep, AsString(std::move(args[1])));
    out.type = unicode ? SqlType::NVarChar(max ? SqlType::kMax : 4000)
                       : SqlType::VarChar(max ? SqlType::kMax : 8000);
    if (!over.empty()) {
      out.sql = "group_concat(" + v.sql + ", " + sep.sql + ")" + over;
      return out;
    }
    // es_string_agg(value, separator, limit, order, keys...): the limit is 0 for (max) results,
    // 1 for varchar(8000), 2 for nvarchar(4000) (9829 past 8000 bytes); WITHIN GROUP (ORDER BY
    // ...) keys are evaluated per row like the value, and `order` has one letter per key: A/D
    // compare text under CI_AS, a/d natively (other types, binary collations).
    int limit = max ? 0 : unicode ? 2 : 1;
    std::string order;
    std::string keys;
    ++scope_->aggregate_depth;
    for (const OrderItem& item : call.within_group) {
      auto k = BindValue(*item.expr);
      if (!k.ok()) {
        --scope_->aggregate_depth;
        return k.status();
      }
      if (k->aggregate || k->subquery) {
        --scope_->aggregate_depth;
        return At(errors::Make(errors::kNestedAggregate), pos);
      }
      Absorb(&out, *k);
      bool desc = item.order == SortOrder::kDesc;
      bool ci = k->type.IsString() && !k->sql.ends_with(" COLLATE BINARY)");
      order += ci ? (desc ? 'D' : 'A') : (desc ? 'd' : 'a');
      keys += ", " + k->sql;
    }
    --scope_->aggregate_depth;
    out.sql = "es_string_agg(" + v.sql + ", " + sep.sql + ", " + Int(limit) + ", '" + order + "'" +
              keys + ")";
    return out;
  }
  return At(errors::Make(errors::kUnsupportedFunction, {upper}), pos);
}

Result<BoundExpr> Binder::BindAggregate(const FunctionCallExpr& call, const std::string& upper,
                                        SourcePos pos) {
  switch (scope_->clause) {
    case Clause::kSelect:
    case Clause::kHaving:
    case Clause::kOrderBy:
    case Clause::kNone:
      break;
    case Clause::kGroupBy:
      return At(errors::Make(errors::kAggregateInGroupBy), pos);
    default:
      return At(errors::Make(errors::kAggregateInWhere), pos);
  }
  if (scope_->aggregate_depth > 0) return At(errors::Make(errors::kNestedAggregate), pos);
  if (upper == "GROUPING" || upper == "CHECKSUM_AGG") {
    return At(errors::Make(errors::kUnsupportedFunction, {upper}), pos);
  }
  if (!call.star) {
    EDGESQL_RETURN_IF_ERROR(
        CheckArgCount(call, upper == "STRING_AGG" ? 2 : 1, upper == "STRING_AGG" ? 2 : 1, pos));
  } else if (upper != "COUNT" && upper != "COUNT_BIG") {
    return At(errors::Make(errors::kSyntaxError, {"*"}), pos);
  }
  std::vector<BoundExpr> args;
  ++scope_->aggregate_depth;
  auto bound = BindArgs(call);
  --scope_->aggregate_depth;
  if (!bound.ok()) return bound.status();
  args = std::move(*bound);
  for (const BoundExpr& a : args) {
    if (a.aggregate || a.subquery) return At(errors::Make(errors::kNestedAggregate), pos);
    if (a.window) return At(errors::Make(errors::kNestedWindowedFunction), pos);
  }
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr out, AggregateSql(call, upper, std::move(args), "", pos));
  out.aggregate = true;
  return out;
}

Result<BoundExpr> Binder::BindWindowFunction(const FunctionCallExpr& call, const std::string& upper,
                                             SourcePos pos) {
  if (scope_->clause != Clause::kSelect && scope_->clause != Clause::kOrderBy) {
    return At(errors::Make(errors::kWindowedFunctionContext), pos);
  }
  if (scope_->aggregate_depth > 0 || scope_->in_window) {
    return At(errors::Make(errors::kNestedWindowedFunction), pos);
  }
  static constexpr std::string_view kRanking[] = {
      "ROW_NUMBER", "RANK", "DENSE_RANK", "NTILE",       "PERCENT_RANK",
      "CUME_DIST",  "LAG",  "LEAD",       "FIRST_VALUE", "LAST_VALUE"};
  bool ranking = false;
  for (std::string_view r : kRanking) ranking = ranking || r == upper;
  bool aggregate = IsAggregateName(upper) && upper != "GROUPING" && upper != "CHECKSUM_AGG";
  if (!ranking && !aggregate) {
    return At(errors::Make(errors::kNotWindowFunction, {call.name.parts[0].value}), pos);
  }
  if (call.distinct) {
    return At(errors::Make(errors::kUnsupportedStatement, {"DISTINCT with OVER"}), pos);
  }
  const OverClause& over = *call.over;
  if (ranking && over.order_by.empty()) {
    return At(errors::Make(errors::kWindowNeedsOrderBy, {Lower(upper)}), pos);
  }

  BoundExpr out;
  scope_->in_window = true;
  struct Reset {
    Scope* s;
    ~Reset() { s->in_window = false; }
  } reset{scope_};

  // OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE ...)
  std::string window;
  for (const ExprPtr& p : over.partition_by) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*p));
    Absorb(&out, e);
    window += window.empty() ? "PARTITION BY " : ", ";
    window += Collated(e);
  }
  std::string order;
  for (const OrderItem& item : over.order_by) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*item.expr));
    Absorb(&out, e);
    order += order.empty() ? "ORDER BY " : ", ";
    order += Collated(e);
    if (item.order == SortOrder::kDesc) order += " DESC";
  }
  if (!order.empty()) window += (window.empty() ? "" : " ") + order;
  if (over.frame) {
    if (over.order_by.empty()) {
      return At(errors::Make(errors::kUnsupportedStatement, {"window frame without ORDER BY"}),
                pos);
    }
    auto bound_sql = [&](const FrameBound& b) -> Result<std::string> {
      switch (b.kind) {
        case FrameBoundKind::kUnboundedPreceding:
          return std::string("UNBOUNDED PRECEDING");
        case FrameBoundKind::kUnboundedFollowing:
          return std::string("UNBOUNDED FOLLOWING");
        case FrameBoundKind::kCurrentRow:
          return std::string("CURRENT ROW");
        default: {
          EDGESQL_ASSIGN_OR_RETURN(BoundExpr n, BindValue(*b.offset));
          EDGESQL_ASSIGN_OR_RETURN(n, ConvertTo(std::move(n), SqlType::BigInt()));
          return n.sql + (b.kind == FrameBoundKind::kPreceding ? " PRECEDING" : " FOLLOWING");
        }
      }
    };
    std::string frame = over.frame->unit == FrameUnit::kRows ? "ROWS " : "RANGE ";
    EDGESQL_ASSIGN_OR_RETURN(std::string start, bound_sql(over.frame->start));
    if (over.frame->end) {
      EDGESQL_ASSIGN_OR_RETURN(std::string end, bound_sql(*over.frame->end));
      frame += "BETWEEN " + start + " AND " + end;
    } else {
      frame += start;
    }
    window += " " + frame;
  }
  std::string over_sql = " OVER (" + window + ")";

  EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> args, BindArgs(call));
  for (const BoundExpr& a : args) {
    if (a.window) return At(errors::Make(errors::kNestedWindowedFunction), pos);
  }
  if (aggregate) {
    if (!call.star) {
      EDGESQL_RETURN_IF_ERROR(
          CheckArgCount(call, upper == "STRING_AGG" ? 2 : 1, upper == "STRING_AGG" ? 2 : 1, pos));
    }
    if (upper == "STRING_AGG") {
      return At(errors::Make(errors::kNotWindowFunction, {call.name.parts[0].value}), pos);
    }
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr agg,
                             AggregateSql(call, upper, std::move(args), over_sql, pos));
    Absorb(&agg, out);
    agg.window = true;
    return agg;
  }
  for (BoundExpr& a : args) Absorb(&out, a);
  out.window = true;
  out.nullable = true;
  if (upper == "ROW_NUMBER" || upper == "RANK" || upper == "DENSE_RANK" ||
      upper == "PERCENT_RANK" || upper == "CUME_DIST") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 0, 0, pos));
    bool real = upper == "PERCENT_RANK" || upper == "CUME_DIST";
    out.type = real ? SqlType::Float() : SqlType::BigInt();
    out.nullable = false;
    out.sql = Lower(upper) + "()" + over_sql;
    return out;
  }
  if (upper == "NTILE") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 1, pos));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr n, ConvertTo(std::move(args[0]), SqlType::BigInt()));
    out.type = SqlType::BigInt();
    out.sql = "ntile(" + n.sql + ")" + over_sql;
    return out;
  }
  if (upper == "FIRST_VALUE" || upper == "LAST_VALUE") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 1, pos));
    out.type = args[0].type;
    out.sql = Lower(upper) + "(" + args[0].sql + ")" + over_sql;
    return out;
  }
  // LAG / LEAD (x [, offset [, default]])
  EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 3, pos));
  out.type = args[0].type.IsNull() ? SqlType::Int() : args[0].type;
  std::string sql = Lower(upper) + "(" + args[0].sql;
  if (args.size() > 1) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr off, ConvertTo(std::move(args[1]), SqlType::BigInt()));
    sql += ", " + off.sql;
  }
  if (args.size() > 2) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr def, ConvertTo(std::move(args[2]), out.type));
    sql += ", " + def.sql;
  }
  out.sql = sql + ")" + over_sql;
  return out;
}

}  // namespace edgesql::tsql::bind
