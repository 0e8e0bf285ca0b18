#include "common/errors.h"

#include <gtest/gtest.h>

namespace edgesql {
namespace {

TEST(ErrorsTest, SubstitutesArgumentsInCatalogText) {
  SqlError e = errors::Make(errors::kInvalidObjectName, {"dbo.missing"});
  EXPECT_EQ(e.number, 208);
  EXPECT_EQ(e.severity, 16);
  EXPECT_EQ(e.message, "Invalid object name 'dbo.missing'.");
}

TEST(ErrorsTest, DuplicateKeyMatchesSqlServerText) {
  SqlError e = errors::Make(errors::kDuplicateKeyConstraint,
                            {"PRIMARY KEY", "PK__t__3213E83F", "dbo.t", "(1)"});
  EXPECT_EQ(e.number, 2627);
  EXPECT_EQ(e.severity, 14);
  EXPECT_EQ(e.scope, ErrorScope::kStatement);
  EXPECT_EQ(e.message,
            "Violation of PRIMARY KEY constraint 'PK__t__3213E83F'. Cannot insert duplicate key in "
            "object 'dbo.t'. The duplicate key value is (1).");
}

TEST(ErrorsTest, CompileErrorsEndTheBatch) {
  EXPECT_EQ(errors::Make(errors::kSyntaxError, {"x"}).scope, ErrorScope::kBatch);
  EXPECT_EQ(errors::Make(errors::kLoginFailed, {"sa"}).scope, ErrorScope::kConnection);
}

TEST(ErrorsTest, MissingArgumentsLeaveEmptyText) {
  EXPECT_EQ(errors::Make(errors::kInvalidColumnName).message, "Invalid column name ''.");
}

TEST(ErrorsTest, StatusCarriesError) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  Status bad = errors::Make(errors::kDivideByZero);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().number, 8134);
  Status copy = bad;
  EXPECT_EQ(copy.ToString(), "Msg 8134, Level 16, State 1: Divide by zero error encountered.");
}

TEST(ErrorsTest, UnknownNumberIsNotKnown) {
  EXPECT_TRUE(errors::IsKnown(18456));
  EXPECT_FALSE(errors::IsKnown(99999));
}

}  // namespace
}  // namespace edgesql
