#include "tsql/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace edgesql::tsql {
namespace {

std::vector<Token> Lex(std::string_view sql, bool quoted_identifier = true) {
  LexerOptions options;
  options.quoted_identifier = quoted_identifier;
  Result<std::vector<Token>> tokens = Tokenize(sql, options);
  if (!tokens.ok()) {
    ADD_FAILURE() << tokens.status().ToString();
    return {};
  }
  return std::move(tokens).value();
}

std::vector<TokenKind> Kinds(std::string_view sql, bool quoted_identifier = true) {
  std::vector<TokenKind> kinds;
  for (const Token& t : Lex(sql, quoted_identifier)) kinds.push_back(t.kind);
  return kinds;
}

SqlError LexError(std::string_view sql) {
  Result<std::vector<Token>> tokens = Tokenize(sql);
  EXPECT_FALSE(tokens.ok()) << sql;
  return tokens.ok() ? SqlError{} : tokens.error();
}

using K = TokenKind;

TEST(LexerTest, EmptyBatchIsJustEnd) {
  EXPECT_EQ(Kinds(""), std::vector<K>{K::kEnd});
  EXPECT_EQ(Kinds("  \t\r\n -- comment only\n /* and this */ "), std::vector<K>{K::kEnd});
}

TEST(LexerTest, KeywordsAreCaseInsensitiveAndOnlyReservedOnes) {
  std::vector<Token> t = Lex("SeLeCt select FROM try catch throw output GO");
  ASSERT_EQ(t.size(), 9u);
  EXPECT_TRUE(t[0].Is(Keyword::kSelect));
  EXPECT_EQ(t[0].text, "SeLeCt");
  EXPECT_TRUE(t[1].Is(Keyword::kSelect));
  EXPECT_TRUE(t[2].Is(Keyword::kFrom));
  for (size_t i = 3; i < 8; ++i) EXPECT_EQ(t[i].kind, K::kIdentifier) << t[i].text;
  EXPECT_EQ(LookupKeyword("current_timestamp"), Keyword::kCurrentTimestamp);
  EXPECT_EQ(LookupKeyword("nolock"), Keyword::kNone);
  EXPECT_EQ(KeywordText(Keyword::kTryConvert), "TRY_CONVERT");
}

TEST(LexerTest, Identifiers) {
  std::vector<Token> t = Lex("abc _x a1$#@ #temp ##global [a]]b] [select] \"q\"\"x\" $action");
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t[0].kind, K::kIdentifier);
  EXPECT_EQ(t[2].text, "a1$#@");
  EXPECT_EQ(t[3].text, "#temp");
  EXPECT_EQ(t[4].text, "##global");
  EXPECT_EQ(t[5].kind, K::kQuotedIdentifier);
  EXPECT_EQ(t[5].value, "a]b");
  EXPECT_EQ(t[6].kind, K::kQuotedIdentifier);
  EXPECT_EQ(t[6].value, "select");
  EXPECT_EQ(t[7].kind, K::kQuotedIdentifier);
  EXPECT_EQ(t[7].value, "q\"x");
  EXPECT_EQ(t[8].kind, K::kIdentifier);
  EXPECT_EQ(t[8].text, "$action");
  EXPECT_EQ(Lex("naïve")[0].text, "naïve");  // UTF-8 letters are identifier characters
}

TEST(LexerTest, QuotedIdentifierOffMakesDoubleQuotesStrings) {
  std::vector<Token> on = Lex("\"a\"", true);
  EXPECT_EQ(on[0].kind, K::kQuotedIdentifier);
  std::vector<Token> off = Lex("\"it's\"\"x\"", false);
  EXPECT_EQ(off[0].kind, K::kString);
  EXPECT_EQ(off[0].value, "it's\"x");
}

TEST(LexerTest, Variables) {
  std::vector<Token> t = Lex("@a @@ROWCOUNT @x1 @");
  EXPECT_EQ(t[0].kind, K::kVariable);
  EXPECT_EQ(t[0].text, "@a");
  EXPECT_EQ(t[1].text, "@@ROWCOUNT");
  EXPECT_EQ(t[2].text, "@x1");
  EXPECT_EQ(t[3].kind, K::kVariable);
  EXPECT_EQ(t[3].text, "@");
}

TEST(LexerTest, Strings) {
  std::vector<Token> t = Lex("'it''s' N'ü' n'x' '' 'multi\nline'");
  EXPECT_EQ(t[0].kind, K::kString);
  EXPECT_EQ(t[0].value, "it's");
  EXPECT_EQ(t[0].text, "'it''s'");
  EXPECT_EQ(t[1].kind, K::kNString);
  EXPECT_EQ(t[1].value, "ü");
  EXPECT_EQ(t[2].kind, K::kNString);
  EXPECT_EQ(t[3].value, "");
  EXPECT_EQ(t[4].value, "multi\nline");
  EXPECT_EQ(t[5].kind, K::kEnd);
  EXPECT_EQ(t[5].line, 2);  // the string spans a line break
}

TEST(LexerTest, Numbers) {
  EXPECT_EQ(Kinds("1 1.5 .5 1. 1e10 1.5E-3 1e $12.50 $ $.5 0x0A1B 0x"),
            (std::vector<K>{K::kInteger, K::kDecimal, K::kDecimal, K::kDecimal, K::kFloat,
                            K::kFloat, K::kFloat, K::kMoney, K::kMoney, K::kMoney, K::kBinary,
                            K::kBinary, K::kEnd}));
  // "$-23" is one money constant ("Constants"); "$ -23" and "$-x" are not.
  std::vector<Token> m = Lex("$-23 $+.5 $ -23 $-x");
  EXPECT_EQ(m[0].text, "$-23");
  EXPECT_EQ(m[1].text, "$+.5");
  EXPECT_EQ(m[2].text, "$");
  EXPECT_EQ(m[3].kind, K::kMinus);
  EXPECT_EQ(m[5].text, "$");
  std::vector<Token> t = Lex("1.5E-3 0x0A1B 1a 1e+ 2");
  EXPECT_EQ(t[0].text, "1.5E-3");
  EXPECT_EQ(t[1].text, "0x0A1B");
  // "1a" is the number 1 followed by the identifier a, as in SQL Server.
  EXPECT_EQ(t[2].kind, K::kInteger);
  EXPECT_EQ(t[3].kind, K::kIdentifier);
  EXPECT_EQ(t[4].text, "1e");
  EXPECT_EQ(t[5].kind, K::kPlus);
}

TEST(LexerTest, Comments) {
  EXPECT_EQ(Kinds("a -- b\nc"), (std::vector<K>{K::kIdentifier, K::kIdentifier, K::kEnd}));
  EXPECT_EQ(Kinds("a /* x /* nested */ still comment */ b"),
            (std::vector<K>{K::kIdentifier, K::kIdentifier, K::kEnd}));
  EXPECT_EQ(Kinds("a/**/b"), (std::vector<K>{K::kIdentifier, K::kIdentifier, K::kEnd}));
}

TEST(LexerTest, Operators) {
  EXPECT_EQ(
      Kinds("= <> != < <= > >= !< !> + - * / % & | ^ ~ += -= *= /= %= &= |= ^= :: : ( ) , . ;"),
      (std::vector<K>{K::kEq,      K::kNotEq,       K::kBangEq,    K::kLess,       K::kLessEq,
                      K::kGreater, K::kGreaterEq,   K::kNotLess,   K::kNotGreater, K::kPlus,
                      K::kMinus,   K::kStar,        K::kSlash,     K::kPercent,    K::kAmp,
                      K::kPipe,    K::kCaret,       K::kTilde,     K::kPlusEq,     K::kMinusEq,
                      K::kStarEq,  K::kSlashEq,     K::kPercentEq, K::kAmpEq,      K::kPipeEq,
                      K::kCaretEq, K::kDoubleColon, K::kColon,     K::kLParen,     K::kRParen,
                      K::kComma,   K::kDot,         K::kSemicolon, K::kEnd}));
  EXPECT_EQ(Kinds("a-1"), (std::vector<K>{K::kIdentifier, K::kMinus, K::kInteger, K::kEnd}));
  EXPECT_EQ(Kinds("{ ? !"), (std::vector<K>{K::kUnknown, K::kUnknown, K::kUnknown, K::kEnd}));
}

TEST(LexerTest, PositionsCountLinesAndCharacters) {
  std::vector<Token> t = Lex("SELECT\n  'é', x\r\n\tFROM");
  EXPECT_EQ(t[1].line, 2);
  EXPECT_EQ(t[1].column, 3);
  EXPECT_EQ(t[1].offset, 9u);
  EXPECT_EQ(t[2].column, 6);  // 'é' is three characters, whatever its byte length
  EXPECT_EQ(t[4].line, 3);
  EXPECT_EQ(t[4].column, 2);
}

TEST(LexerTest, UnclosedQuotes) {
  SqlError e = LexError("SELECT 'abc");
  EXPECT_EQ(e.number, 105);
  EXPECT_EQ(e.severity, 15);
  EXPECT_EQ(e.message, "Unclosed quotation mark after the character string 'abc'.");
  EXPECT_EQ(LexError("SELECT N'abc''").message,
            "Unclosed quotation mark after the character string 'abc'''.");
  EXPECT_EQ(LexError("SELECT [abc").message,
            "Unclosed quotation mark after the character string 'abc'.");
  EXPECT_EQ(LexError("SELECT \"abc\nFROM t").message,
            "Unclosed quotation mark after the character string 'abc\nFROM t'.");
}

TEST(LexerTest, UnclosedComment) {
  SqlError e = LexError("SELECT 1 /* a /* b */");
  EXPECT_EQ(e.number, 113);
  EXPECT_EQ(e.message, "Missing end comment mark '*/'.");
}

TEST(LexerTest, IdentifierLimits) {
  std::string ok(128, 'a');
  EXPECT_EQ(Lex(ok)[0].text, ok);
  SqlError e = LexError(std::string(129, 'b'));
  EXPECT_EQ(e.number, 103);
  EXPECT_EQ(e.message, "The identifier that starts with '" + std::string(128, 'b') +
                           "' is too long. Maximum length is 128.");
  EXPECT_EQ(LexError("[" + std::string(129, 'c') + "]").number, 103);
  SqlError empty = LexError("SELECT 1 AS []");
  EXPECT_EQ(empty.number, 1038);
  EXPECT_EQ(LexError("SELECT 1 AS \"\"").number, 1038);
}

}  // namespace
}  // namespace edgesql::tsql
