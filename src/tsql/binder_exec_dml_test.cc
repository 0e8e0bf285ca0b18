// Execution tests for INSERT, UPDATE, DELETE and OUTPUT, and for the round trip of every type
// through storage.
#include <gtest/gtest.h>

#include "tsql/binder_test_util.h"
#include "types/datetime.h"

namespace edgesql::tsql {
namespace {

using testing::Db;
using testing::TextRows;

TEST(ExecDmlTest, EveryTypeRoundTrips) {
  Db db;
  db.MustExec(
      "INSERT INTO big (k, d38, dto, t, bin, r, tiny, small, sdt, fixed, bd, txt) VALUES "
      "(9223372036854775807, -12345678901234567890123456.0123456789, "
      "'2024-02-29 23:59:59.1234567 -08:00', '13:45:30.1234567', 0x00FF10, 1.5, 255, -32768, "
      "'2079-06-06 23:59', N'ab', 99999999999999999999999999999999999999, N'日本語')");
  EXPECT_EQ(db.Query("SELECT k, d38, dto, t, CONVERT(varchar(20), bin, 1), r, tiny, small, sdt, "
                     "fixed, bd, txt FROM big"),
            (TextRows{{"9223372036854775807", "-12345678901234567890123456.0123456789",
                       "2024-02-29 23:59:59.1234567 -08:00", "13:45:30.1234567", "0x00FF10", "1.5",
                       "255", "-32768", "Jun  6 2079 11:59PM", "ab   ",
                       "99999999999999999999999999999999999999", "日本語"}}));
  db.MustExec(
      "INSERT INTO people (id, name, salary, born, created, flag, guid) VALUES "
      "(1, N'x', -0.01, '0001-01-01', '1753-01-01 00:00:00.003', 1, "
      "'6F9619FF-8B86-D011-B42D-00C04FC964FF')");
  EXPECT_EQ(db.Query("SELECT salary, born, created, flag, guid FROM people"),
            (TextRows{{"-0.01", "0001-01-01", "Jan  1 1753 12:00AM", "1",
                       "6F9619FF-8B86-D011-B42D-00C04FC964FF"}}));
  EXPECT_EQ(db.Scalar("SELECT CONVERT(varchar(23), created, 121) FROM people"),
            "1753-01-01 00:00:00.003");
  // NULL of every type.
  db.MustExec("INSERT INTO big (k) VALUES (1)");
  EXPECT_EQ(db.Query("SELECT d38, dto, t, bin, r, tiny, small, sdt, fixed, bd, txt FROM big "
                     "WHERE k = 1"),
            (TextRows{{"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL",
                       "NULL", "NULL"}}));
}

TEST(ExecDmlTest, ComparisonsOfEveryStorageForm) {
  Db db;
  db.MustExec(
      "INSERT INTO big (k, dto, t, bin, sdt, fixed) VALUES "
      "(1, '2024-01-01 10:00 +01:00', '10:00', 0x01, '2024-01-01 10:00', N'a'), "
      "(2, '2024-01-01 10:00 +00:00', '09:00', 0x0102, '2023-12-31 23:00', N'B')");
  // datetimeoffset compares instants: 10:00 +01:00 is before 10:00 +00:00.
  EXPECT_EQ(db.Query("SELECT k FROM big ORDER BY dto"), (TextRows{{"1"}, {"2"}}));
  EXPECT_EQ(db.Scalar("SELECT k FROM big WHERE dto = '2024-01-01 09:00:00 +00:00'"), "1");
  EXPECT_EQ(db.Scalar("SELECT k FROM big WHERE dto IN ('2024-01-01 04:00:00 -05:00')"), "1");
  EXPECT_EQ(db.Scalar("SELECT k FROM big WHERE dto BETWEEN '2024-01-01 09:00 +00:00' AND "
                      "'2024-01-01 09:30 +00:00'"),
            "1");
  EXPECT_EQ(db.Scalar("SELECT k FROM big WHERE t < '09:30'"), "2");
  EXPECT_EQ(db.Scalar("SELECT k FROM big WHERE bin = 0x0102"), "2");
  EXPECT_EQ(db.Scalar("SELECT k FROM big WHERE sdt < '2024-01-01'"), "2");
  EXPECT_EQ(db.Scalar("SELECT k FROM big WHERE fixed = 'b'"), "2");
  // date vs datetime compares as datetime.
  db.MustExec(
      "INSERT INTO people (id, name, born, created) VALUES (1, 'a', '2024-01-01', "
      "'2024-01-01 12:00')");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE born < created"), "1");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE CAST(created AS date) = born"), "1");
  // uniqueidentifier order is SQL Server's (last group first).
  db.MustExec("UPDATE people SET guid = '00000000-0000-0000-0000-000000000001'");
  db.MustExec(
      "INSERT INTO people (id, name, guid) VALUES (2, 'b', "
      "'FF000000-0000-0000-0000-000000000000')");
  EXPECT_EQ(db.Query("SELECT id FROM people ORDER BY guid"), (TextRows{{"2"}, {"1"}}));
}

TEST(ExecDmlTest, StringTruncationIs2628) {
  Db db;
  EXPECT_EQ(db.ErrorMessage("INSERT INTO orders (person_id, amount, note) VALUES "
                            "(1, 1, 'abcdefghijklmnop')"),
            "String or binary data would be truncated in table 'testdb.dbo.orders', column "
            "'note'. Truncated value: 'abcdefghij'.");
  db.Declare("@long", Value::VarChar("0123456789ABC"));
  EXPECT_EQ(db.Error("INSERT INTO orders (person_id, amount, note) VALUES (1, 1, @long)"),
            errors::kStringTruncated);
  db.MustExec("INSERT INTO orders (person_id, amount, note) VALUES (1, 1, 'ok')");
  EXPECT_EQ(db.Error("UPDATE orders SET note = note + 'abcdefghijk'"), errors::kStringTruncated);
  // Trailing spaces beyond the length are not data: no error ("ANSI_PADDING").
  db.MustExec("INSERT INTO orders (person_id, amount, note) VALUES (1, 1, 'abcdefghij   ')");
  // char(n) pads.
  db.MustExec("INSERT INTO orders (person_id, amount, code) VALUES (1, 1, 'ab')");
  EXPECT_EQ(db.Scalar("SELECT DATALENGTH(code) FROM orders WHERE code = 'ab'"), "4");
  // Variables truncate silently (SET/SELECT assignment is not an INSERT).
  EXPECT_EQ(db.Scalar("SELECT CAST('abcdef' AS varchar(3))"), "abc");
}

TEST(ExecDmlTest, IdentityValues) {
  Db db;
  auto r = db.Exec(
      "INSERT INTO orders (person_id, amount) OUTPUT inserted.order_id "
      "VALUES (1, 1), (1, 2), (1, 3)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Text(), (TextRows{{"1"}, {"2"}, {"3"}}));
  EXPECT_TRUE(r->columns[0].identity);
  db.MustExec("INSERT INTO orders (person_id, amount) SELECT person_id, amount FROM orders");
  EXPECT_EQ(db.Scalar("SELECT MAX(order_id) FROM orders"), "6");
  EXPECT_EQ(db.runtime().last_identity, 6);
  db.settings().identity_insert = true;
  db.settings().identity_insert_object_id = 1002;
  db.MustExec("INSERT INTO orders (order_id, person_id, amount) VALUES (100, 1, 1)");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM orders WHERE order_id = 100"), "1");
}

TEST(ExecDmlTest, RowidKeyRejectsNull) {
  Db db;
  db.Declare("@id", Value::Null(SqlType::Int()), SqlType::Int());
  EXPECT_EQ(db.ErrorMessage("INSERT INTO people (id, name) VALUES (@id, 'x')"),
            "Cannot insert the value NULL into column 'id', table 'testdb.dbo.people'; column "
            "does not allow nulls. INSERT fails.");
  EXPECT_EQ(db.Error("INSERT INTO people (name) VALUES ('x')"), errors::kNullNotAllowed);
  db.MustExec("INSERT INTO people (id, name) VALUES (1, 'x')");
  EXPECT_EQ(db.ErrorMessage("UPDATE people SET id = NULL"),
            "Cannot insert the value NULL into column 'id', table 'testdb.dbo.people'; column "
            "does not allow nulls. UPDATE fails.");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people"), "1");
}

TEST(ExecDmlTest, KeyValuesAreRecorded) {
  Db db;
  db.MustExec("INSERT INTO orders (person_id, amount, code) VALUES (1, 1, 'Z9')");
  ASSERT_EQ(db.runtime().keys.count(6), 1u);
  EXPECT_EQ(db.runtime().keys[6].bytes, "Z9  ");
  db.MustExec("INSERT INTO kv (a, b) VALUES ('k', 7)");
  EXPECT_EQ(db.runtime().keys[1].bytes, "k");
  EXPECT_EQ(db.runtime().keys[2].i, 7);
  // The duplicate itself fails in SQLite (the engine maps it to 2627 with these values).
  EXPECT_NE(db.Error("INSERT INTO kv (a, b) VALUES ('K', 7)"), 0);
}

TEST(ExecDmlTest, Defaults) {
  Db db;
  db.SetRuntime(
      RuntimeValue::kGetDate,
      Value::Int(SqlType::DateTime(), datetime::DaysFromCivil({2024, 1, 1}) * kTicksPerDay));
  db.MustExec("INSERT INTO people (id, name) VALUES (1, 'x')");
  EXPECT_EQ(db.Scalar("SELECT CONVERT(varchar(10), created, 120) FROM people"), "2024-01-01");
  db.MustExec("INSERT INTO people (id, name, created) VALUES (2, 'y', DEFAULT)");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE created IS NOT NULL"), "2");
  db.MustExec("INSERT INTO people (id, name, created) VALUES (3, 'z', NULL)");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE created IS NULL"), "1");
  db.MustExec("UPDATE people SET created = DEFAULT WHERE id = 3");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE created IS NULL"), "0");
  // person_id and amount are NOT NULL without defaults: SQLite's NOT NULL constraint fails
  // (the engine reports it as 515).
  EXPECT_NE(db.Error("INSERT INTO orders DEFAULT VALUES"), 0);
  db.MustExec("INSERT INTO kv (a, b) VALUES ('x', 1)");
  // k is the rowid: 515, not a new rowid.
  EXPECT_EQ(db.Error("INSERT INTO big DEFAULT VALUES"), errors::kNullNotAllowed);
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM big"), "0");
}

TEST(ExecDmlTest, InsertSelectConvertsAndChecks) {
  Db db;
  db.MustExec("INSERT INTO people (id, name, age) VALUES (1, 'a', 10), (2, 'b', 20)");
  db.MustExec("INSERT INTO big (k, d38, small) SELECT id + 10, age / 3.0, age FROM people");
  EXPECT_EQ(db.Query("SELECT k, d38, small FROM big ORDER BY k"),
            (TextRows{{"11", "3.3333330000", "10"}, {"12", "6.6666670000", "20"}}));
  EXPECT_EQ(db.Error("INSERT INTO big (k, tiny) SELECT id, age * 100 FROM people"),
            errors::kArithmeticOverflowValue);
}

TEST(ExecDmlTest, UpdateForms) {
  Db db;
  db.MustExec("INSERT INTO people (id, name, age) VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
  db.MustExec("INSERT INTO orders (person_id, amount) VALUES (1, 5), (2, 7)");
  db.MustExec("UPDATE people SET age += 1, name = UPPER(name) WHERE id = 1");
  EXPECT_EQ(db.Query("SELECT name, age FROM people WHERE id = 1"), (TextRows{{"A", "11"}}));
  // UPDATE ... FROM with a join, through the correlation name.
  db.MustExec("UPDATE p SET age = o.amount FROM people p JOIN orders o ON o.person_id = p.id");
  EXPECT_EQ(db.Query("SELECT age FROM people ORDER BY id"), (TextRows{{"5"}, {"7"}, {"30"}}));
  // The target named by table, joined in FROM.
  db.MustExec(
      "UPDATE people SET age = 0 FROM orders WHERE orders.person_id = people.id AND "
      "orders.amount > 6");
  EXPECT_EQ(db.Query("SELECT age FROM people ORDER BY id"), (TextRows{{"5"}, {"0"}, {"30"}}));
  db.MustExec("UPDATE TOP (1) people SET name = 'top' WHERE age > 1");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people WHERE name = 'top'"), "1");
  auto r = db.Exec("UPDATE people SET age = age * 2 OUTPUT inserted.id, inserted.age WHERE id = 3");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Text(), (TextRows{{"3", "60"}}));
  EXPECT_EQ(db.Scalar("SELECT age FROM people WHERE id = 3 AND age = "
                      "(SELECT MAX(age) FROM people)"),
            "60");
}

TEST(ExecDmlTest, DeleteForms) {
  Db db;
  db.MustExec(
      "INSERT INTO people (id, name, age) VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30), "
      "(4, 'd', 40)");
  db.MustExec("INSERT INTO orders (person_id, amount) VALUES (2, 5)");
  auto r = db.Exec("DELETE FROM people OUTPUT deleted.* WHERE id = 1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->values.size(), 1u);
  EXPECT_EQ(r->columns.size(), 9u);
  EXPECT_EQ(r->Text()[0][1], "a");
  db.MustExec("DELETE p FROM people p JOIN orders o ON o.person_id = p.id");
  EXPECT_EQ(db.Query("SELECT id FROM people ORDER BY id"), (TextRows{{"3"}, {"4"}}));
  db.MustExec("DELETE TOP (1) FROM people WHERE id > 0");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people"), "1");
  db.MustExec("DELETE FROM people WHERE id IN (SELECT id FROM people)");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM people"), "0");
}

TEST(ExecDmlTest, SelectAssignTakesTheLastRow) {
  Db db;
  db.MustExec("INSERT INTO people (id, name, age) VALUES (1, 'a', 10), (2, 'b', 20)");
  db.Declare("@a", Value::Null(SqlType::Int()), SqlType::Int());
  db.Declare("@s", Value::Null(SqlType::VarChar(1)), SqlType::VarChar(1));
  auto r = db.Exec("SELECT @a = age, @s = name + 'xyz' FROM people ORDER BY id");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->values.size(), 2u);
  EXPECT_EQ(r->Text().back(), (std::vector<std::string>{"20", "b"}));
}

TEST(ExecDmlTest, SelectAssignAccumulatesRowByRow) {
  Db db;
  db.MustExec("INSERT INTO people (id, name, age) VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 5)");
  db.Declare("@s", Value::VarChar("<"), SqlType::VarChar(20));
  db.Declare("@n", Value::Integer(1));
  db.Declare("@m", Value::Dec(SqlType::Decimal(10, 2), Decimal(150, 2)));
  db.Declare("@last", Value::Null(SqlType::Int()), SqlType::Int());
  auto last = [&](const char* sql) {
    auto r = db.Exec(sql);
    if (!r.ok()) return std::vector<std::string>{r.status().ToString()};
    return r->Text().empty() ? std::vector<std::string>{} : r->Text().back();
  };
  // "SELECT @local_variable ... when expression is the name of a column, it can return multiple
  // values": each row's assignment sees the previous row's result.
  EXPECT_EQ(last("SELECT @s = @s + name FROM people ORDER BY id"),
            std::vector<std::string>{"<abc"});
  EXPECT_EQ(last("SELECT @s = @s + name FROM people ORDER BY id DESC"),
            std::vector<std::string>{"<cba"});
  EXPECT_EQ(last("SELECT @n += age, @last = id FROM people ORDER BY age"),
            (std::vector<std::string>{"36", "2"}));
  EXPECT_EQ(last("SELECT @m = @m + age FROM people"), std::vector<std::string>{"36.50"});
  db.MustExec("UPDATE people SET city = name WHERE id <> 2");
  EXPECT_EQ(last("SELECT @s = @s + city FROM people ORDER BY id"),
            std::vector<std::string>{"NULL"});
}

}  // namespace
}  // namespace edgesql::tsql
