// Runtime library: exact decimal and money arithmetic, mathematical functions, and the numeric
// aggregates (SUM of int is int, overflow is 8115; decimal sums are exact to 38 digits).
#include <cmath>
#include <cstring>
#include <random>

#include "tsql/functions_internal.h"

namespace edgesql::tsql::runtime {
namespace {

int ResultScale(const SqlType& t) {
  return t.id == TypeId::kMoney || t.id == TypeId::kSmallMoney ? 4 : t.scale;
}

void DecimalResult(sqlite3_context* ctx, const std::optional<Decimal>& r, const SqlType& type) {
  if (!r || !FitsType(*r, type)) return Raise(ctx, Overflow(type));
  ResultDecimal(ctx, *r);
}

// a op b exactly in `type` (8115 when the result does not fit it, 8134 for a zero divisor);
// false when it raised an error.
bool DecOp(sqlite3_context* ctx, char op, const Decimal& a, const Decimal& b, const SqlType& type,
           Decimal* out) {
  int scale = ResultScale(type);
  std::optional<Decimal> r;
  switch (op) {
    case '+':
      r = Decimal::Add(a, b, scale);
      break;
    case '-':
      r = Decimal::Sub(a, b, scale);
      break;
    case '*':
      r = Decimal::Mul(a, b, scale);
      break;
    case '/':
    case '%':
      if (b.is_zero()) {
        Raise(ctx, errors::Make(errors::kDivideByZero));
        return false;
      }
      r = op == '/' ? Decimal::Div(a, b, scale) : Decimal::Mod(a, b, scale);
      break;
    default:
      Raise(ctx, errors::Make(errors::kInternalError, {"bad decimal operator"}));
      return false;
  }
  if (!r || !FitsType(*r, type)) {
    Raise(ctx, Overflow(type));
    return false;
  }
  *out = *r;
  return true;
}

// es_dec_add/sub/mul/div/mod(a, b, result_type): operands are decimal keys or integers.
template <char kOp>
void DecArith(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(ctx);
  std::optional<SqlType> type = ArgType(ctx, argv[2]);
  if (!type) return;
  std::optional<Decimal> a = ReadDecimal(argv[0]);
  std::optional<Decimal> b = ReadDecimal(argv[1]);
  if (!a || !b) return Raise(ctx, errors::Make(errors::kInternalError, {"bad decimal operand"}));
  Decimal r;
  if (DecOp(ctx, kOp, *a, *b, *type, &r)) ResultDecimal(ctx, r);
}

// es_dec_chain('+T1 *T2 ...', a, b, c, ...): ((a + b) * c) ..., each step exact in its result
// type T (a type code), as nested es_dec_* calls would compute it; NULL once any operand is NULL.
// The emitter's form of a left-deep chain, which SQLite would otherwise nest a call per step.
void DecChain(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto bad = [&] {
    Raise(ctx, errors::Make(errors::kInternalError, {"bad es_dec_chain arguments"}));
  };
  if (argc < 3 || IsNull(argv[0])) return bad();
  std::string_view ops = Text(argv[0]);
  bool null = IsNull(argv[1]);
  Decimal acc;
  if (!null) {
    std::optional<Decimal> a = ReadDecimal(argv[1]);
    if (!a) return bad();
    acc = *a;
  }
  size_t pos = 0;
  for (int i = 2; i < argc; ++i) {
    while (pos < ops.size() && ops[pos] == ' ') ++pos;
    if (pos >= ops.size()) return bad();
    char op = ops[pos++];
    int64_t code = 0;
    while (pos < ops.size() && ops[pos] >= '0' && ops[pos] <= '9') {
      code = code * 10 + (ops[pos++] - '0');
    }
    if (null || IsNull(argv[i])) {
      null = true;
      continue;
    }
    std::optional<SqlType> type = TypeFromCode(code);
    std::optional<Decimal> b = ReadDecimal(argv[i]);
    if (!type || !b) return bad();
    if (!DecOp(ctx, op, acc, *b, *type, &acc)) return;
  }
  if (null) return sqlite3_result_null(ctx);
  ResultDecimal(ctx, acc);
}

// es_bitxor(a, b, ...): a ^ b ^ ... of integers; NULL if any is NULL.
void BitXor(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  int64_t r = 0;
  for (int i = 0; i < argc; ++i) {
    if (IsNull(argv[i])) return sqlite3_result_null(ctx);
    r ^= sqlite3_value_int64(argv[i]);
  }
  sqlite3_result_int64(ctx, r);
}

void DecNeg(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  std::optional<Decimal> a = ReadDecimal(argv[0]);
  if (!a) return sqlite3_result_null(ctx);
  ResultDecimal(ctx, a->Negate());
}

void Abs(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  std::optional<Decimal> a = ReadDecimal(argv[0]);
  if (!a) return sqlite3_result_null(ctx);
  ResultDecimal(ctx, a->is_negative() ? a->Negate() : *a);
}

// CEILING / FLOOR of a float or decimal (integers never reach here).
template <bool kCeiling>
void Round0(sqlite3_context* ctx, int, sqlite3_value** argv) {
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      return sqlite3_result_null(ctx);
    case SQLITE_INTEGER:
      return sqlite3_result_value(ctx, argv[0]);
    case SQLITE_FLOAT: {
      double d = sqlite3_value_double(argv[0]);
      return sqlite3_result_double(ctx, kCeiling ? std::ceil(d) : std::floor(d));
    }
    default: {
      std::optional<Decimal> a = ReadDecimal(argv[0]);
      if (!a) return sqlite3_result_null(ctx);
      std::optional<Decimal> t = a->RescaleTruncate(0);
      if (!t) return Raise(ctx, Overflow(SqlType::Decimal(38, 0)));
      int cmp = Decimal::Compare(*a, *t);
      Decimal r = *t;
      if (kCeiling && cmp > 0) r = *Decimal::Add(*t, Decimal::FromInt(1), 0);
      if (!kCeiling && cmp < 0) r = *Decimal::Sub(*t, Decimal::FromInt(1), 0);
      ResultDecimal(ctx, r);
    }
  }
}

void Sign(sqlite3_context* ctx, int, sqlite3_value** argv) {
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL:
      return sqlite3_result_null(ctx);
    case SQLITE_INTEGER: {
      int64_t v = sqlite3_value_int64(argv[0]);
      return sqlite3_result_int64(ctx, (v > 0) - (v < 0));
    }
    case SQLITE_FLOAT: {
      double d = sqlite3_value_double(argv[0]);
      return sqlite3_result_double(ctx, (d > 0) - (d < 0));
    }
    default: {
      std::optional<Decimal> a = ReadDecimal(argv[0]);
      if (!a) return sqlite3_result_null(ctx);
      int s = a->is_zero() ? 0 : a->is_negative() ? -1 : 1;
      ResultDecimal(ctx, Decimal::FromInt(s));
    }
  }
}

// es_round(x, length, function, type): ROUND ("ROUND (Transact-SQL)"): half away from zero, or
// truncation when `function` is not 0; a negative length rounds left of the decimal point.
void Round(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(ctx);
  std::optional<SqlType> type = ArgType(ctx, argv[3]);
  if (!type) return;
  int64_t n = std::clamp<int64_t>(Int64(argv[1]), -1000, 1000);
  bool truncate = !IsNull(argv[2]) && Int64(argv[2]) != 0;
  if (sqlite3_value_type(argv[0]) == SQLITE_FLOAT) {
    double x = sqlite3_value_double(argv[0]);
    if (n > 308 || n < -308) return sqlite3_result_double(ctx, n > 0 ? x : 0.0);
    double scale = std::pow(10.0, static_cast<double>(n));
    double y = x * scale;
    y = truncate ? std::trunc(y) : std::round(y);
    return sqlite3_result_double(ctx, y / scale);
  }
  std::optional<Decimal> a = ReadDecimal(argv[0]);
  if (!a) return sqlite3_result_null(ctx);
  int s = a->scale();
  if (n >= s) return sqlite3_result_value(ctx, argv[0]);
  __int128 c = a->coefficient();
  __int128 r = 0;
  if (s - n <= 38) {
    __int128 unit = Pow10(static_cast<int>(s - n));
    __int128 q = c / unit;
    __int128 rem = c % unit;
    __int128 half = rem < 0 ? -rem : rem;
    if (!truncate && half >= unit - half) q += c < 0 ? -1 : 1;
    r = q * unit;
  }
  Decimal d(r, s);
  if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER) {
    std::optional<int64_t> v = d.ToInt64();
    if (!v || !FitsIntegerType(type->id, *v)) return Raise(ctx, Overflow(*type));
    return sqlite3_result_int64(ctx, *v);
  }
  if (!d.FitsPrecision(38)) return Raise(ctx, Overflow(*type));
  DecimalResult(ctx, d, *type);
}

// es_power(x, y, result_type).
void Power(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(ctx);
  std::optional<SqlType> type = ArgType(ctx, argv[2]);
  if (!type) return;
  double y = sqlite3_value_double(argv[1]);
  if (type->IsDecimalLike()) {
    std::optional<Decimal> x = ReadDecimal(argv[0]);
    if (!x) return sqlite3_result_null(ctx);
    int scale = ResultScale(*type);
    if (y >= 0 && y <= 1000 && y == std::floor(y)) {
      // Exact for whole exponents.
      std::optional<Decimal> r = Decimal::FromInt(1);
      for (int i = 0; i < static_cast<int>(y) && r; ++i)
        r = Decimal::Mul(*r, *x, std::max(scale, x->scale()));
      if (r) r = r->Rescale(scale);
      return DecimalResult(ctx, r, *type);
    }
    double v = std::pow(x->ToDouble(), y);
    if (std::isnan(v)) return Raise(ctx, errors::Make(errors::kInvalidFloatingPoint));
    return DecimalResult(ctx, Decimal::FromDouble(v, scale), *type);
  }
  double x = sqlite3_value_double(argv[0]);
  double v = std::pow(x, y);
  if (std::isnan(v)) return Raise(ctx, errors::Make(errors::kInvalidFloatingPoint));
  if (type->IsInteger()) {
    double t = std::trunc(v);
    if (!(t >= -9.2e18 && t <= 9.2e18) || !FitsIntegerType(type->id, static_cast<int64_t>(t))) {
      return Raise(ctx, Overflow(*type));
    }
    return sqlite3_result_int64(ctx, static_cast<int64_t>(t));
  }
  if (std::isinf(v)) return Raise(ctx, errors::Make(errors::kInvalidFloatingPoint));
  sqlite3_result_double(ctx, v);
}

// es_math(name, x [, y]): the float functions. Domain errors are 3623 as in SQL Server.
void Math(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (IsNull(argv[1]) || (argc > 2 && IsNull(argv[2]))) return sqlite3_result_null(ctx);
  std::string_view op = Text(argv[0]);
  double x = sqlite3_value_double(argv[1]);
  double y = argc > 2 ? sqlite3_value_double(argv[2]) : 0;
  double r = 0;
  bool bad = false;
  if (op == "SQRT") {
    bad = x < 0;
    r = std::sqrt(x);
  } else if (op == "SQUARE") {
    r = x * x;
  } else if (op == "EXP") {
    r = std::exp(x);
  } else if (op == "LOG") {
    bad = x <= 0 || (argc > 2 && (y <= 0 || y == 1));
    r = argc > 2 ? std::log(x) / std::log(y) : std::log(x);
  } else if (op == "LOG10") {
    bad = x <= 0;
    r = std::log10(x);
  } else if (op == "SIN") {
    r = std::sin(x);
  } else if (op == "COS") {
    r = std::cos(x);
  } else if (op == "TAN") {
    r = std::tan(x);
  } else if (op == "ASIN") {
    bad = x < -1 || x > 1;
    r = std::asin(x);
  } else if (op == "ACOS") {
    bad = x < -1 || x > 1;
    r = std::acos(x);
  } else if (op == "ATAN") {
    r = std::atan(x);
  } else if (op == "ATN2") {
    r = std::atan2(x, y);
  } else if (op == "COT") {
    bad = std::tan(x) == 0;
    r = 1.0 / std::tan(x);
  } else if (op == "DEGREES") {
    r = x * 180.0 / M_PI;
  } else if (op == "RADIANS") {
    r = x * M_PI / 180.0;
  } else {
    bad = true;
  }
  if (bad || std::isnan(r) || std::isinf(r)) {
    return Raise(ctx, errors::Make(errors::kInvalidFloatingPoint));
  }
  sqlite3_result_double(ctx, r);
}

// es_rand(seed): RAND() is evaluated once per statement in SQL Server; the value is kept as
// SQLite auxiliary data on the (constant) argument for the statement's execution.
void Rand(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (double* cached = static_cast<double*>(sqlite3_get_auxdata(ctx, 0))) {
    return sqlite3_result_double(ctx, *cached);
  }
  double v;
  if (IsNull(argv[0])) {
    thread_local std::mt19937_64 gen{std::random_device{}()};
    v = std::uniform_real_distribution<double>(0.0, 1.0)(gen);
  } else {
    std::mt19937_64 gen(static_cast<uint64_t>(Int64(argv[0])));
    v = std::uniform_real_distribution<double>(0.0, 1.0)(gen);
  }
  sqlite3_set_auxdata(ctx, 0, new double(v), [](void* p) { delete static_cast<double*>(p); });
  sqlite3_result_double(ctx, v);
}

// ---- Aggregates ----

struct IntSum {
  int64_t sum;
  int64_t count;
  bool overflow;
};

template <bool k32>
void IntSumStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return;
  auto* s = static_cast<IntSum*>(sqlite3_aggregate_context(ctx, sizeof(IntSum)));
  if (s == nullptr) return sqlite3_result_error_nomem(ctx);
  if (__builtin_add_overflow(s->sum, Int64(argv[0]), &s->sum)) s->overflow = true;
  ++s->count;
}

template <bool k32>
void IntSumInverse(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return;
  auto* s = static_cast<IntSum*>(sqlite3_aggregate_context(ctx, sizeof(IntSum)));
  if (s == nullptr) return sqlite3_result_error_nomem(ctx);
  if (__builtin_sub_overflow(s->sum, Int64(argv[0]), &s->sum)) s->overflow = true;
  --s->count;
}

template <bool k32>
void IntSumValue(sqlite3_context* ctx) {
  auto* s = static_cast<IntSum*>(sqlite3_aggregate_context(ctx, 0));
  if (s == nullptr || s->count == 0) return sqlite3_result_null(ctx);
  if (s->overflow || (k32 && (s->sum < INT32_MIN || s->sum > INT32_MAX))) {
    return Raise(ctx, Overflow(k32 ? SqlType::Int() : SqlType::BigInt()));
  }
  sqlite3_result_int64(ctx, s->sum);
}

// Decimal sums keep the running total's coefficient as bytes: SQLite's aggregate context is
// zeroed memory with 8-byte alignment, too little for an __int128.
struct DecSum {
  unsigned char coeff[16];
  int32_t scale;
  bool overflow;
  int64_t count;

  Decimal Get() const {
    __int128 c;
    std::memcpy(&c, coeff, sizeof c);
    return Decimal(c, scale);
  }
  void Set(const Decimal& d) {
    __int128 c = d.coefficient();
    std::memcpy(coeff, &c, sizeof c);
    scale = d.scale();
  }
};

template <bool kAdd>
void DecSumStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return;
  auto* s = static_cast<DecSum*>(sqlite3_aggregate_context(ctx, sizeof(DecSum)));
  if (s == nullptr) return sqlite3_result_error_nomem(ctx);
  std::optional<Decimal> v = ReadDecimal(argv[0]);
  if (!v) return;
  Decimal sum = s->Get();
  int scale = std::max(sum.scale(), v->scale());
  std::optional<Decimal> r = kAdd ? Decimal::Add(sum, *v, scale) : Decimal::Sub(sum, *v, scale);
  if (!r) {
    s->overflow = true;
  } else {
    s->Set(*r);
  }
  s->count += kAdd ? 1 : -1;
}

template <bool kMoney>
void DecSumValue(sqlite3_context* ctx) {
  auto* s = static_cast<DecSum*>(sqlite3_aggregate_context(ctx, 0));
  if (s == nullptr || s->count == 0) return sqlite3_result_null(ctx);
  SqlType type = kMoney ? SqlType::Money() : SqlType::Decimal(38, 0);
  Decimal sum = s->Get();
  if (s->overflow || (kMoney && !FitsType(sum, type))) return Raise(ctx, Overflow(type));
  ResultDecimal(ctx, sum);
}

// STDEV, STDEVP, VAR, VARP: Welford's running mean and sum of squared deviations.
struct Variance {
  int64_t n;
  double mean;
  double m2;
};

void VarianceStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return;
  auto* s = static_cast<Variance*>(sqlite3_aggregate_context(ctx, sizeof(Variance)));
  if (s == nullptr) return sqlite3_result_error_nomem(ctx);
  double x = sqlite3_value_double(argv[0]);
  ++s->n;
  double d = x - s->mean;
  s->mean += d / static_cast<double>(s->n);
  s->m2 += d * (x - s->mean);
}

void VarianceInverse(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return;
  auto* s = static_cast<Variance*>(sqlite3_aggregate_context(ctx, sizeof(Variance)));
  if (s == nullptr || s->n == 0) return;
  double x = sqlite3_value_double(argv[0]);
  if (s->n == 1) {
    *s = Variance{};
    return;
  }
  double mean = (s->mean * static_cast<double>(s->n) - x) / static_cast<double>(s->n - 1);
  s->m2 -= (x - s->mean) * (x - mean);
  s->mean = mean;
  --s->n;
}

template <bool kPopulation, bool kRoot>
void VarianceValue(sqlite3_context* ctx) {
  auto* s = static_cast<Variance*>(sqlite3_aggregate_context(ctx, 0));
  int64_t min = kPopulation ? 1 : 2;
  if (s == nullptr || s->n < min) return sqlite3_result_null(ctx);
  double v = std::max(0.0, s->m2) / static_cast<double>(kPopulation ? s->n : s->n - 1);
  sqlite3_result_double(ctx, kRoot ? std::sqrt(v) : v);
}

struct WindowSpec {
  const char* name;
  void (*step)(sqlite3_context*, int, sqlite3_value**);
  void (*final)(sqlite3_context*);
  void (*value)(sqlite3_context*);
  void (*inverse)(sqlite3_context*, int, sqlite3_value**);
};

const WindowSpec kAggregates[] = {
    {"es_sum_i32", IntSumStep<true>, IntSumValue<true>, IntSumValue<true>, IntSumInverse<true>},
    {"es_sum_i64", IntSumStep<false>, IntSumValue<false>, IntSumValue<false>, IntSumInverse<false>},
    {"es_sum_dec", DecSumStep<true>, DecSumValue<false>, DecSumValue<false>, DecSumStep<false>},
    {"es_sum_money", DecSumStep<true>, DecSumValue<true>, DecSumValue<true>, DecSumStep<false>},
    {"es_stdev", VarianceStep, VarianceValue<false, true>, VarianceValue<false, true>,
     VarianceInverse},
    {"es_stdevp", VarianceStep, VarianceValue<true, true>, VarianceValue<true, true>,
     VarianceInverse},
    {"es_var", VarianceStep, VarianceValue<false, false>, VarianceValue<false, false>,
     VarianceInverse},
    {"es_varp", VarianceStep, VarianceValue<true, false>, VarianceValue<true, false>,
     VarianceInverse},
};

constexpr FunctionSpec kScalars[] = {
    {"es_dec_add", 3, DecArith<'+'>},
    {"es_dec_sub", 3, DecArith<'-'>},
    {"es_dec_mul", 3, DecArith<'*'>},
    {"es_dec_div", 3, DecArith<'/'>},
    {"es_dec_mod", 3, DecArith<'%'>},
    {"es_dec_chain", -1, DecChain},
    {"es_bitxor", -1, BitXor},
    {"es_dec_neg", 1, DecNeg},
    {"es_abs", 1, Abs},
    {"es_ceiling", 1, Round0<true>},
    {"es_floor", 1, Round0<false>},
    {"es_sign", 1, Sign},
    {"es_round", 4, Round},
    {"es_power", 3, Power},
    {"es_math", 2, Math},
    {"es_math", 3, Math},
    {"es_rand", 1, Rand},
};

}  // namespace

Status RegisterNumericFunctions(sqlite3* db, storage::SqliteConnection* conn) {
  EDGESQL_RETURN_IF_ERROR(RegisterAll(db, conn, kScalars, std::size(kScalars)));
  for (const WindowSpec& w : kAggregates) {
    int rc = sqlite3_create_window_function(db, w.name, 1, SQLITE_UTF8, conn, w.step, w.final,
                                            w.value, w.inverse, nullptr);
    if (rc != SQLITE_OK) {
      return errors::Make(errors::kInternalError, {std::string("cannot register ") + w.name});
    }
  }
  return Status::Ok();
}

}  // namespace edgesql::tsql::runtime
