#include "tsql/lexer.h"

#include <gtest/gtest.h>

namespace edgesql::tsql {
namespace {
TEST(LexerTest, Placeholder) { EXPECT_TRUE(Tokenize("select 1").ok()); }
}  // namespace
}  // namespace edgesql::tsql
