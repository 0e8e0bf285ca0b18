// Renders syntax trees as canonical T-SQL: keywords in upper case, single spaces, delimited names
// in brackets, strings in single quotes, one statement per line ending in ';', and only the
// parentheses the tree needs. The output is valid T-SQL that parses back to the same tree, so
// parse -> print -> parse -> print is a fixed point (the parser tests and the fuzz target check
// this). Comments and the original spelling of keywords are not kept.
//
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "tsql/ast.h"
#include "tsql/statement.h"

namespace edgesql::tsql {

std::string ToString(const Batch& batch);
std::string ToString(const Statement& statement);
std::string ToString(const Query& query);
std::string ToString(const TableRef& table);
std::string ToString(const Expr& expr);
std::string ToString(const DataTypeRef& type);

// `name` as it must be written: unchanged if it was not delimited, else [name] with ] doubled.
std::string QuoteIdentifier(const Identifier& name);
// 'text' with ' doubled, N'text' when `unicode`.
std::string QuoteString(std::string_view text, bool unicode);

}  // namespace edgesql::tsql
