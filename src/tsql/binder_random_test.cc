// Randomized expressions over every column and literal type: whatever compiles must run to a
// result or a SQL Server error, never to SQLite rejecting the SQL (8630) or to a value whose
// storage form does not match the type the binder gave it (8114). Deterministic (fixed seed).
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "tsql/binder_test_util.h"

namespace edgesql::tsql {
namespace {

using testing::Db;

class ExpressionGenerator {
 public:
  explicit ExpressionGenerator(uint64_t seed) : rng_(seed) {}

  std::string Expr(int depth) {
    if (depth <= 0) return Leaf();
    switch (Pick(9)) {
      case 0:
      case 1:
        return Leaf();
      case 2: {
        static const char* kOps[] = {"+", "-", "*", "/", "%", "&", "|", "^"};
        return "(" + Expr(depth - 1) + " " + kOps[Pick(8)] + " " + Expr(depth - 1) + ")";
      }
      case 3:
        return "-" + Leaf();
      case 4: {
        static const char* kCmp[] = {"=", "<>", "<", ">=", "LIKE"};
        return "CASE WHEN " + Expr(depth - 1) + " " + kCmp[Pick(5)] + " " + Expr(depth - 1) +
               " THEN " + Expr(depth - 1) + " ELSE " + Expr(depth - 1) + " END";
      }
      case 5: {
        static const char* kTypes[] = {
            "int",     "bigint",         "decimal(10,3)", "varchar(20)",   "nvarchar(max)",
            "float",   "money",          "date",          "datetime",      "datetime2(3)",
            "bit",     "tinyint",        "char(3)",       "varbinary(10)", "uniqueidentifier",
            "time(2)", "datetimeoffset", "smalldatetime"};
        return std::string(Pick(2) ? "TRY_CAST(" : "CAST(") + Expr(depth - 1) + " AS " +
               kTypes[Pick(std::size(kTypes))] + ")";
      }
      case 6: {
        static const char* kOne[] = {"LEN",   "UPPER", "ABS",     "YEAR",      "LTRIM",
                                     "FLOOR", "SIGN",  "REVERSE", "ISNUMERIC", "DATALENGTH"};
        return std::string(kOne[Pick(std::size(kOne))]) + "(" + Expr(depth - 1) + ")";
      }
      case 7: {
        static const char* kTwo[] = {"ISNULL", "COALESCE", "NULLIF", "CONCAT",
                                     "ROUND",  "LEFT",     "POWER",  "CHARINDEX"};
        return std::string(kTwo[Pick(std::size(kTwo))]) + "(" + Expr(depth - 1) + ", " +
               Expr(depth - 1) + ")";
      }
      default: {
        static const char* kDate[] = {"DATEADD(day, ", "DATEADD(hour, ", "DATEDIFF(day, ",
                                      "DATEPART(month, "};
        int k = static_cast<int>(Pick(std::size(kDate)));
        if (k < 2) return kDate[k] + Expr(depth - 1) + ", " + Expr(depth - 1) + ")";
        if (k == 2) return kDate[k] + Expr(depth - 1) + ", " + Expr(depth - 1) + ")";
        return kDate[k] + Expr(depth - 1) + ")";
      }
    }
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  std::string Leaf() {
    static const char* kLeaves[] = {"id",
                                    "name",
                                    "age",
                                    "city",
                                    "salary",
                                    "born",
                                    "created",
                                    "flag",
                                    "guid",
                                    "1",
                                    "-7",
                                    "2147483648",
                                    "1.5",
                                    "0.05",
                                    "1e3",
                                    "'abc'",
                                    "N'xyz'",
                                    "0xAB",
                                    "$1.5",
                                    "NULL",
                                    "'2024-01-31'",
                                    "'12'",
                                    "''",
                                    "0",
                                    "GETDATE()",
                                    "@v",
                                    "@n",
                                    "CAST(NULL AS decimal(38,38))",
                                    "SYSDATETIMEOFFSET()",
                                    "'10:00'",
                                    "99999999999999999999999999999999999999",
                                    "9223372036854775807",
                                    "-2147483648",
                                    "CAST(255 AS tinyint)",
                                    "0.00000000000000000000000000000000000001"};
    return kLeaves[Pick(std::size(kLeaves))];
  }

  std::mt19937_64 rng_;
};

TEST(RandomExpressionTest, CompiledExpressionsRunOrFailAsSqlServer) {
  Db db;
  db.MustExec(
      "INSERT INTO people (id, name, age, city, salary, born, created, flag, guid) VALUES "
      "(1, N'Alice', 30, 'Paris', 1000.50, '1990-05-01', '2020-01-01 10:00', 1, NEWID()), "
      "(2, N'b', NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
      "(3, N'12', -4, '  x ', -0.01, '0001-01-01', '9999-12-31', 0, NULL)");
  db.Declare("@v", Value::NVarChar("7"), SqlType::NVarChar(10));
  db.Declare("@n", Value::Dec(SqlType::Decimal(5, 2), Decimal(-125, 2)));
  db.SetRuntime(RuntimeValue::kGetDate, Value::Int(SqlType::DateTime(), 638396640000000000));
  db.SetRuntime(RuntimeValue::kSysDateTimeOffset,
                Value::Dto(SqlType::DateTimeOffset(7), DateTimeOffset{638396640000000000, 60}));
  // EDGESQL_RANDOM_SEED explores other seeds; the default one is what CI runs.
  const char* seed_env = std::getenv("EDGESQL_RANDOM_SEED");
  // Several other seeds currently reach a stack overflow in types/datetime_parse.cc (a string
  // with an alphabetic month and four numbers, e.g. CAST('1 2 Jan 3 4' AS datetime)), which
  // ASan/UBSan builds report; reported to the types layer.
  ExpressionGenerator gen(seed_env ? std::strtoull(seed_env, nullptr, 10) : 1);
  int compiled = 0;
  int ran = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string sql = "SELECT " + gen.Expr(3) + " FROM people";
    auto cs = db.Compile(sql);
    if (!cs.ok()) {
      EXPECT_NE(cs.error().number, errors::kInternalError) << sql;
      continue;
    }
    ++compiled;
    auto rows = db.Run(**cs);
    if (rows.ok()) {
      ++ran;
      continue;
    }
    // 8114 is SQL Server's "Error converting data type varchar to float."; the same number with
    // a SQLite storage class ("... data type BLOB to int.") is a value of the wrong storage form.
    int n = rows.error().number;
    const std::string& m = rows.error().message;
    bool storage_mismatch =
        n == errors::kErrorConvertingDataType &&
        (m.find("type INTEGER") != std::string::npos || m.find("type REAL") != std::string::npos ||
         m.find("type TEXT") != std::string::npos || m.find("type BLOB") != std::string::npos ||
         m.find("sql_variant") != std::string::npos);
    EXPECT_TRUE(n != errors::kInternalError && !storage_mismatch)
        << rows.status().ToString() << "\nT-SQL: " << sql << "\nSQL: " << (*cs)->sql
        << "\ntype: " << (*cs)->columns[0].type.ToString();
  }
  // The generator must exercise both paths.
  EXPECT_GT(compiled, 1000);
  EXPECT_GT(ran, 500);
}

// Random query shapes: joins, derived tables, CTEs, subqueries, grouping, ordering, paging and
// set operations, with the same acceptance rule as the expressions above.
class QueryGenerator {
 public:
  explicit QueryGenerator(uint64_t seed) : rng_(seed) {}

  std::string Query() {
    std::string q = Block();
    if (Pick(4) == 0) {
      static const char* kOps[] = {" UNION ", " UNION ALL ", " EXCEPT ", " INTERSECT "};
      q += kOps[Pick(4)] + Block();
      if (Pick(2)) q += " ORDER BY 1";
    }
    if (Pick(5) == 0) {
      q = "WITH c AS (SELECT id, name, age FROM people WHERE age > " + std::to_string(Pick(40)) +
          ") " + q;
    }
    return q;
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  std::string Column() {
    static const char* kCols[] = {"p.id", "p.name", "p.age", "p.city", "p.salary", "p.born"};
    return kCols[Pick(std::size(kCols))];
  }

  std::string Predicate() {
    switch (Pick(8)) {
      case 0:
        return Column() + " IS NULL";
      case 1:
        return "p.age > " + std::to_string(Pick(50));
      case 2:
        return "p.name LIKE '" + std::string(Pick(2) ? "%a%" : "b%") + "'";
      case 3:
        return "EXISTS (SELECT 1 FROM orders o2 WHERE o2.person_id = p.id)";
      case 4:
        return "p.id IN (SELECT person_id FROM orders WHERE amount > 1)";
      case 5:
        return "p.salary > (SELECT AVG(salary) FROM people)";
      case 6:
        return "p.city = (SELECT TOP 1 city FROM people p3 WHERE p3.id > p.id ORDER BY p3.id)";
      default:
        return "p.age BETWEEN 1 AND 40 OR p.city IN ('Paris', N'London')";
    }
  }

  std::string From() {
    switch (Pick(6)) {
      case 0:
        return "people p";
      case 1:
        return "people p JOIN orders o ON o.person_id = p.id";
      case 2:
        return "people p LEFT JOIN orders o ON o.person_id = p.id";
      case 3:
        return "(SELECT id, name, age, city, salary, born FROM people WHERE id > 0) p";
      case 4:
        return "people p FULL JOIN (VALUES (1, 'x'), (9, 'y')) v(k, s) ON v.k = p.id";
      default:
        return "people p CROSS JOIN kv";
    }
  }

  std::string Block() {
    bool grouped = Pick(3) == 0;
    std::string select = "SELECT ";
    if (Pick(4) == 0) select += "DISTINCT ";
    if (Pick(4) == 0) {
      select += "TOP (" + std::to_string(Pick(5)) + ") ";
    } else if (Pick(8) == 0 && select.find("DISTINCT") == std::string::npos) {
      select += Pick(2) ? "TOP 50 PERCENT " : "TOP 1 WITH TIES ";
    }
    std::string from = From();
    std::string where = Pick(2) ? " WHERE " + Predicate() : "";
    if (grouped) {
      select += "p.city, COUNT(*), SUM(p.salary), MAX(p.name)";
      return select + " FROM " + from + where + " GROUP BY p.city" +
             (Pick(2) ? " HAVING COUNT(*) > 0" : "") + (Pick(2) ? " ORDER BY 2 DESC" : "");
    }
    select += Column() + ", " + Column() + ", ISNULL(p.age, 0) * 2";
    switch (Pick(6)) {
      case 0:
        select += ", ROW_NUMBER() OVER (PARTITION BY p.city ORDER BY p.name DESC)";
        break;
      case 1:
        select += ", (SELECT COUNT(*) FROM orders o4 WHERE o4.person_id = p.id)";
        break;
      case 2:
        select += ", SUM(p.salary) OVER (ORDER BY p.id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)";
        break;
      case 3:
        select += ", LAG(p.name, 1, N'-') OVER (ORDER BY p.id)";
        break;
      default:
        break;
    }
    std::string tail;
    if (Pick(2)) {
      tail = " ORDER BY " + Column();
      if (select.find("DISTINCT") == std::string::npos && select.find("TOP") == std::string::npos &&
          Pick(2)) {
        tail += " OFFSET " + std::to_string(Pick(3)) + " ROWS FETCH NEXT 2 ROWS ONLY";
      }
    }
    return select + " FROM " + from + where + tail;
  }

  std::mt19937_64 rng_;
};

TEST(RandomQueryTest, CompiledQueriesRunOrFailAsSqlServer) {
  Db db;
  db.MustExec(
      "INSERT INTO people (id, name, age, city, salary, born) VALUES "
      "(1, N'Alice', 30, 'Paris', 1000.50, '1990-05-01'), (2, N'bob', NULL, 'paris', 20, NULL), "
      "(3, N'Carl', 12, NULL, NULL, '2001-01-01')");
  db.MustExec("INSERT INTO orders (person_id, amount) VALUES (1, 5), (1, 7), (3, 1)");
  db.MustExec("INSERT INTO kv (a, b) VALUES ('a', 1)");
  const char* seed_env = std::getenv("EDGESQL_RANDOM_SEED");
  QueryGenerator gen(seed_env ? std::strtoull(seed_env, nullptr, 10) : 7);
  int ran = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string sql = gen.Query();
    auto cs = db.Compile(sql);
    if (!cs.ok()) {
      EXPECT_NE(cs.error().number, errors::kInternalError) << sql;
      continue;
    }
    auto rows = db.Run(**cs);
    if (rows.ok()) {
      ++ran;
      continue;
    }
    EXPECT_NE(rows.error().number, errors::kInternalError)
        << rows.status().ToString() << "\nT-SQL: " << sql << "\nSQL: " << (*cs)->sql;
  }
  EXPECT_GT(ran, 500);
}

TEST(RandomDmlTest, CompiledDmlRunsOrFailsAsSqlServer) {
  Db db;
  std::mt19937_64 rng(11);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  static const char* kTargets[] = {"people", "p"};
  static const char* kSets[] = {"age = age + 1",         "city = UPPER(city) + 'x'",
                                "salary = salary * 1.5", "born = DATEADD(day, 1, born)",
                                "flag = ~flag",          "age += 2, city = NULL"};
  static const char* kFroms[] = {"", " FROM people p JOIN orders o ON o.person_id = p.id",
                                 " FROM people p WHERE p.id IN (SELECT person_id FROM orders)"};
  static const char* kOutputs[] = {"", " OUTPUT inserted.id, inserted.age"};
  int ran = 0;
  for (int i = 0; i < 600; ++i) {
    if (i % 50 == 0) {
      db.MustExec("DELETE FROM orders");
      db.MustExec("DELETE FROM people");
      db.MustExec(
          "INSERT INTO people (id, name, age, city, salary, born, flag) VALUES "
          "(1, N'a', 1, 'x', 1.5, '2000-01-01', 1), (2, N'b', NULL, NULL, NULL, NULL, NULL), "
          "(3, N'c', 3, 'y', 3, '2001-01-01', 0)");
      db.MustExec("INSERT INTO orders (person_id, amount) VALUES (1, 5), (3, 7)");
    }
    std::string sql;
    size_t from = pick(std::size(kFroms));
    std::string target = from == 0 ? "people" : kTargets[pick(2)];
    switch (pick(4)) {
      case 0:
      case 1:
        sql = "UPDATE " + std::string(pick(3) == 0 ? "TOP (2) " : "") + target + " SET " +
              kSets[pick(std::size(kSets))] + kOutputs[pick(2)] + kFroms[from];
        if (from == 0 && pick(2)) sql += " WHERE age > 1";
        break;
      case 2:
        sql = "DELETE " + std::string(pick(3) == 0 ? "TOP (1) " : "") + target +
              (pick(2) ? " OUTPUT deleted.name" : "") + kFroms[from];
        break;
      default:
        sql =
            "INSERT INTO orders (person_id, amount, note) OUTPUT inserted.order_id SELECT p.id, "
            "ISNULL(p.salary, 0), p.city FROM people p" +
            std::string(pick(2) ? " WHERE p.age IS NOT NULL" : "");
        break;
    }
    auto cs = db.Compile(sql);
    if (!cs.ok()) {
      EXPECT_NE(cs.error().number, errors::kInternalError) << sql;
      continue;
    }
    auto rows = db.Run(**cs);
    if (rows.ok()) {
      ++ran;
      continue;
    }
    EXPECT_NE(rows.error().number, errors::kInternalError)
        << rows.status().ToString() << "\nT-SQL: " << sql << "\nSQL: " << (*cs)->sql;
  }
  EXPECT_GT(ran, 300);
}

}  // namespace
}  // namespace edgesql::tsql
