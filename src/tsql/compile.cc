// The compiler's entry points (compiled.h): one Binder per statement, and data type resolution.
#include <algorithm>
#include <cctype>

#include "common/errors.h"
#include "tsql/binder.h"
#include "tsql/compiled.h"

namespace edgesql::tsql {
namespace {

using bind::Binder;

// Drops placeholders the final SQL no longer uses (a variable bound at its own type and then
// converted by the engine to another one leaves its first placeholder behind) and renumbers the
// rest in order.
void CompactParams(std::string* sql, std::vector<ParamSource>* params) {
  std::vector<bool> used(params->size(), false);
  auto scan = [&](auto&& on_param) {
    bool quoted = false;
    for (size_t i = 0; i < sql->size(); ++i) {
      char c = (*sql)[i];
      if (quoted) {
        quoted = c != '\'';
        continue;
      }
      if (c == '\'') {
        quoted = true;
      } else if (c == '?') {
        size_t j = i + 1;
        while (j < sql->size() && std::isdigit(static_cast<unsigned char>((*sql)[j]))) ++j;
        if (j > i + 1) on_param(i, j, std::stoul(sql->substr(i + 1, j - i - 1)));
        i = j - 1;
      }
    }
  };
  scan([&](size_t, size_t, size_t n) {
    if (n >= 1 && n <= used.size()) used[n - 1] = true;
  });
  if (std::all_of(used.begin(), used.end(), [](bool u) { return u; })) return;
  std::vector<size_t> renumber(params->size(), 0);
  std::vector<ParamSource> kept;
  for (size_t i = 0; i < params->size(); ++i) {
    if (!used[i]) continue;
    kept.push_back((*params)[i]);
    renumber[i] = kept.size();
  }
  std::string out;
  size_t last = 0;
  scan([&](size_t begin, size_t end, size_t n) {
    out.append(*sql, last, begin - last);
    out += "?" + std::to_string(renumber[n - 1]);
    last = end;
  });
  out.append(*sql, last, std::string::npos);
  *sql = std::move(out);
  *params = std::move(kept);
}

Result<std::shared_ptr<const CompiledStatement>> Finish(Binder& binder,
                                                        Result<CompiledStatement> compiled) {
  if (!compiled.ok()) return compiled.status();
  CompiledStatement cs = std::move(*compiled);
  cs.params = binder.params();
  CompactParams(&cs.sql, &cs.params);
  cs.uses_identity = cs.uses_identity || binder.uses_identity();
  return std::shared_ptr<const CompiledStatement>(
      std::make_shared<CompiledStatement>(std::move(cs)));
}

// Type names SQL Server has and edgesql does not store.
bool IsUnsupportedTypeName(std::string_view lower) {
  static constexpr std::string_view kNames[] = {"xml",        "sql_variant", "timestamp",
                                                "rowversion", "hierarchyid", "geometry",
                                                "geography",  "cursor",      "table"};
  for (std::string_view n : kNames) {
    if (n == lower) return true;
  }
  return false;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Resolves `ref`; `cast` selects the CAST/CONVERT rules (length 30 by default, error 243).
Result<SqlType> Resolve(const DataTypeRef& ref, bool cast) {
  std::string name = bind::NameText(ref.name);
  auto at = [&](SqlError e) {
    e.line = ref.pos.line;
    return e;
  };
  std::optional<SqlType> base =
      ref.name.parts.size() == 1 ? LookupTypeName(ref.name.parts[0].value) : std::nullopt;
  // text, ntext and image are SQL Server's deprecated large-object types; its documentation names
  // varchar(max), nvarchar(max) and varbinary(max) as their replacements, which hold the same
  // values. TDS 7.1 clients (jTDS) declare long string parameters as ntext.
  if (!base && ref.name.parts.size() == 1 && ref.facets.empty() && !ref.is_max) {
    std::string lower = Lower(name);
    if (lower == "text") return SqlType::VarChar(SqlType::kMax);
    if (lower == "ntext") return SqlType::NVarChar(SqlType::kMax);
    if (lower == "image") return SqlType::VarBinary(SqlType::kMax);
  }
  if (!base) {
    if (ref.name.parts.size() == 1 && IsUnsupportedTypeName(Lower(name))) {
      return at(errors::Make(errors::kUnsupportedStatement, {"data type " + Lower(name)}));
    }
    if (cast) return at(errors::Make(errors::kNotASystemType, {name}));
    return at(errors::Make(errors::kUnknownType, {"1", name}));
  }
  SqlType t = *base;
  int count = static_cast<int>(ref.facets.size());
  if (count == 0 && !ref.is_max) {
    if (cast && (t.IsString() || t.IsBinary())) t.length = 30;
    return t;
  }
  if (ApplyFacets(&t, ref.facets.data(), count, ref.is_max)) return t;
  std::string line = std::to_string(ref.pos.line);
  std::string lower = Lower(name);
  if (t.IsString() || t.IsBinary()) {
    if (ref.is_max || count != 1) return at(errors::Make(errors::kUnknownType, {"1", name}));
    int32_t n = ref.facets[0];
    int32_t limit = t.IsUnicode() ? 4000 : 8000;
    if (n > limit) {
      return at(errors::Make(errors::kSizeExceedsMaximum,
                             {std::to_string(n), cast ? "convert specification" : "type", lower,
                              std::to_string(limit)}));
    }
    return at(errors::Make(errors::kInvalidLengthOrPrecision, {line, std::to_string(n)}));
  }
  if (t.id == TypeId::kDecimal || t.id == TypeId::kNumeric) {
    int32_t p = ref.facets[0];
    if (p > 38) {
      return at(errors::Make(errors::kPrecisionTooLarge, {"1", std::to_string(p)}));
    }
    if (count == 2 && p >= 1 && ref.facets[1] > p) {
      return at(errors::Make(errors::kScaleGreaterThanPrecision));
    }
    return at(errors::Make(errors::kInvalidLengthOrPrecision, {line, std::to_string(p)}));
  }
  if (t.id == TypeId::kTime || t.id == TypeId::kDateTime2 || t.id == TypeId::kDateTimeOffset) {
    return at(errors::Make(errors::kInvalidScale, {line, std::to_string(ref.facets[0])}));
  }
  if (t.IsApproxNumeric() && count == 1) {
    return at(
        errors::Make(errors::kInvalidLengthOrPrecision, {line, std::to_string(ref.facets[0])}));
  }
  return at(errors::Make(errors::kCannotSpecifyWidth, {"1", lower}));
}

}  // namespace

namespace bind {

Result<SqlType> Binder::ResolveCastType(const DataTypeRef& ref) { return Resolve(ref, true); }

}  // namespace bind

Result<SqlType> ResolveDataType(const DataTypeRef& ref) { return Resolve(ref, false); }

Result<std::shared_ptr<const CompiledStatement>> CompileStatement(const Statement& stmt,
                                                                  const BindContext& ctx) {
  Binder binder(ctx);
  if (const SelectStmt* s = stmt.As<SelectStmt>()) return Finish(binder, binder.CompileSelect(*s));
  if (const InsertStmt* s = stmt.As<InsertStmt>()) return Finish(binder, binder.CompileInsert(*s));
  if (const UpdateStmt* s = stmt.As<UpdateStmt>()) return Finish(binder, binder.CompileUpdate(*s));
  if (const DeleteStmt* s = stmt.As<DeleteStmt>()) return Finish(binder, binder.CompileDelete(*s));
  SqlError e = errors::Make(errors::kInternalError, {"statement is not a query or DML statement"});
  e.line = stmt.pos.line;
  return e;
}

Result<std::shared_ptr<const CompiledStatement>> CompileBulkInsert(
    const InsertBulkStmt& stmt, std::span<const SqlType> value_types, const BindContext& ctx) {
  Binder binder(ctx);
  return Finish(binder, binder.CompileBulkInsert(stmt, value_types));
}

Result<std::shared_ptr<const CompiledStatement>> CompileExpression(const Expr& expr,
                                                                   const BindContext& ctx,
                                                                   const SqlType* target) {
  Binder binder(ctx);
  return Finish(binder, binder.CompileScalar(expr, target));
}

Result<std::shared_ptr<const CompiledStatement>> CompileAssignment(std::string_view variable,
                                                                   AssignOp op, const Expr& value,
                                                                   const BindContext& ctx) {
  Binder binder(ctx);
  return Finish(binder, binder.CompileSetVariable(variable, op, value));
}

Result<std::shared_ptr<const CompiledStatement>> CompileCondition(const Expr& condition,
                                                                  const BindContext& ctx) {
  Binder binder(ctx);
  return Finish(binder, binder.CompileIfCondition(condition));
}

}  // namespace edgesql::tsql
