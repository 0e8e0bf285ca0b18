#include "engine/message_format.h"

#include <gtest/gtest.h>

namespace edgesql::engine {
namespace {

Value S(const char* s) { return Value::NVarChar(s); }
Value I(int64_t v) { return Value::Integer(v); }

// Cases from "RAISERROR (Transact-SQL)": its examples and its description of flags, width and
// precision.
TEST(MessageFormatTest, DocumentedExamples) {
  EXPECT_EQ(FormatRaiserrorMessage("<<%7.3s>>", {S("abcde")}), "<<    abc>>");
  EXPECT_EQ(FormatRaiserrorMessage("<<%-7.3s>>", {S("abcde")}), "<<abc    >>");
  EXPECT_EQ(FormatRaiserrorMessage("<<%*.*s>>", {I(7), I(3), S("abcde")}), "<<    abc>>");
  EXPECT_EQ(FormatRaiserrorMessage("The %s is %d.", {S("answer"), I(42)}), "The answer is 42.");
}

TEST(MessageFormatTest, IntegerFlagsAndTypes) {
  EXPECT_EQ(FormatRaiserrorMessage("%5d|%-5d|%05d|%+d", {I(42), I(42), I(42), I(42)}),
            "   42|42   |00042|+42");
  EXPECT_EQ(FormatRaiserrorMessage("%x %X %o %u", {I(255), I(255), I(8), I(7)}), "ff FF 10 7");
  EXPECT_EQ(FormatRaiserrorMessage("%.4d", {I(7)}), "0007");
  EXPECT_EQ(FormatRaiserrorMessage("%ld %hd %I64d", {I(1), I(2), I(3)}), "1 2 3");
}

TEST(MessageFormatTest, MissingAndNullArgumentsAndPercent) {
  EXPECT_EQ(FormatRaiserrorMessage("%s and %d", {}), "(null) and (null)");
  EXPECT_EQ(FormatRaiserrorMessage("%s", {Value::Null(SqlType::NVarChar(10))}), "(null)");
  EXPECT_EQ(FormatRaiserrorMessage("100%% sure", {}), "100% sure");
  EXPECT_EQ(FormatRaiserrorMessage("trailing %", {}), "trailing %");
}

TEST(MessageFormatTest, PrecisionCountsCharactersNotBytes) {
  EXPECT_EQ(FormatRaiserrorMessage("%.2s|%4s", {S("\xC3\xA9t\xC3\xA9"), S("\xC3\xA9")}),
            "\xC3\xA9t|   \xC3\xA9");
}

}  // namespace
}  // namespace edgesql::engine
