#include "tsql/lexer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <unordered_map>

#include "common/errors.h"

namespace edgesql::tsql {
namespace {

constexpr size_t kMaxIdentifierChars = 128;
// Longest reserved keyword (SEMANTICSIMILARITYDETAILSTABLE) is 30 characters.
constexpr size_t kMaxKeywordLength = 32;
// Error messages quote at most this many bytes of the offending text.
constexpr size_t kMaxQuotedInMessage = 1024;

struct KeywordEntry {
  std::string_view text;
  Keyword keyword;
};

constexpr KeywordEntry kKeywords[] = {
#define EDGESQL_TSQL_KEYWORD_ENTRY(id, text) {text, Keyword::id},
    EDGESQL_TSQL_RESERVED_KEYWORDS(EDGESQL_TSQL_KEYWORD_ENTRY)
#undef EDGESQL_TSQL_KEYWORD_ENTRY
};

const std::unordered_map<std::string_view, Keyword>& KeywordMap() {
  static const auto* map = [] {
    auto* m = new std::unordered_map<std::string_view, Keyword>();
    for (const KeywordEntry& e : kKeywords) m->emplace(e.text, e.keyword);
    return m;
  }();
  return *map;
}

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsLetter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentifierStart(unsigned char c) { return IsLetter(c) || c == '_' || c >= 0x80; }
bool IsIdentifierPart(unsigned char c) {
  return IsIdentifierStart(c) || IsDigit(c) || c == '@' || c == '$' || c == '#';
}
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

// The first `max_chars` characters of `s` (UTF-8 aware), for messages.
std::string_view PrefixChars(std::string_view s, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsContinuationByte(static_cast<unsigned char>(s[i]))) {
      if (chars == max_chars) return s.substr(0, i);
      ++chars;
    }
  }
  return s;
}

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += IsContinuationByte(c) ? 0 : 1;
  return n;
}

class Lexer {
 public:
  Lexer(std::string_view text, const LexerOptions& options) : text_(text), options_(options) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    tokens.reserve(text_.size() / 4 + 2);
    while (true) {
      EDGESQL_RETURN_IF_ERROR(SkipSpaceAndComments());
      Token token;
      token.offset = static_cast<uint32_t>(pos_);
      token.line = line_;
      token.column = column_;
      if (pos_ >= text_.size()) {
        token.kind = TokenKind::kEnd;
        tokens.push_back(std::move(token));
        return tokens;
      }
      EDGESQL_RETURN_IF_ERROR(Next(&token));
      token.text = text_.substr(token.offset, pos_ - token.offset);
      tokens.push_back(std::move(token));
    }
  }

 private:
  unsigned char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? static_cast<unsigned char>(text_[pos_ + ahead]) : 0;
  }
  bool AtEnd(size_t ahead = 0) const { return pos_ + ahead >= text_.size(); }

  // Advances over `n` bytes, keeping line and column current.
  void Advance(size_t n = 1) {
    for (size_t i = 0; i < n && pos_ < text_.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(text_[pos_++]);
      if (c == '\n') {
        ++line_;
        column_ = 1;
      } else if (!IsContinuationByte(c)) {
        ++column_;
      }
    }
  }

  Status SkipSpaceAndComments() {
    while (!AtEnd()) {
      unsigned char c = Peek();
      if (IsSpace(c)) {
        Advance();
      } else if (c == '-' && Peek(1) == '-') {
        while (!AtEnd() && Peek() != '\n') Advance();
      } else if (c == '/' && Peek(1) == '*') {
        // Block comments nest: /* a /* b */ c */ is one comment.
        Advance(2);
        int depth = 1;
        while (depth > 0) {
          if (AtEnd()) return errors::Make(errors::kMissingEndComment);
          if (Peek() == '/' && Peek(1) == '*') {
            ++depth;
            Advance(2);
          } else if (Peek() == '*' && Peek(1) == '/') {
            --depth;
            Advance(2);
          } else {
            Advance();
          }
        }
      } else {
        break;
      }
    }
    return Status::Ok();
  }

  Status Next(Token* token) {
    unsigned char c = Peek();
    if (c == '\'') return LexQuoted(token, '\'', TokenKind::kString);
    if ((c == 'N' || c == 'n') && Peek(1) == '\'') {
      Advance();
      return LexQuoted(token, '\'', TokenKind::kNString);
    }
    if (c == '[') return LexQuoted(token, ']', TokenKind::kQuotedIdentifier);
    if (c == '"') {
      return LexQuoted(
          token, '"',
          options_.quoted_identifier ? TokenKind::kQuotedIdentifier : TokenKind::kString);
    }
    if (c == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      Advance(2);
      while (IsHexDigit(Peek())) Advance();
      token->kind = TokenKind::kBinary;
      return Status::Ok();
    }
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return LexNumber(token);
    if (c == '$') {
      // Money: '$' then digits with an optional fraction; no exponent. "$" alone is the money
      // value 0; "$" followed by a letter starts a pseudo-column name ($action, $IDENTITY).
      if (IsIdentifierStart(Peek(1))) return LexWord(token);
      Advance();
      // A sign may follow the currency symbol: "$-23" is a money constant ("Constants").
      if ((Peek() == '-' || Peek() == '+') &&
          (IsDigit(Peek(1)) || (Peek(1) == '.' && IsDigit(Peek(2))))) {
        Advance();
      }
      while (IsDigit(Peek())) Advance();
      if (Peek() == '.') {
        Advance();
        while (IsDigit(Peek())) Advance();
      }
      token->kind = TokenKind::kMoney;
      return Status::Ok();
    }
    if (c == '@') {
      Advance();
      if (Peek() == '@') Advance();
      while (IsIdentifierPart(Peek())) Advance();
      token->kind = TokenKind::kVariable;
      return CheckLength(token->offset);
    }
    if (IsIdentifierStart(c) || c == '#') return LexWord(token);
    return LexOperator(token);
  }

  Status CheckLength(size_t start) {
    std::string_view word = text_.substr(start, pos_ - start);
    if (CountChars(word) > kMaxIdentifierChars) {
      return errors::Make(errors::kIdentifierTooLong, {PrefixChars(word, kMaxIdentifierChars)});
    }
    return Status::Ok();
  }

  Status LexWord(Token* token) {
    size_t start = pos_;
    Advance();
    while (IsIdentifierPart(Peek())) Advance();
    std::string_view word = text_.substr(start, pos_ - start);
    token->kind = TokenKind::kIdentifier;
    Keyword keyword = LookupKeyword(word);
    if (keyword != Keyword::kNone) {
      token->kind = TokenKind::kKeyword;
      token->keyword = keyword;
      return Status::Ok();
    }
    return CheckLength(start);
  }

  Status LexNumber(Token* token) {
    bool is_decimal = false;
    while (IsDigit(Peek())) Advance();
    if (Peek() == '.') {
      is_decimal = true;
      Advance();
      while (IsDigit(Peek())) Advance();
    }
    token->kind = is_decimal ? TokenKind::kDecimal : TokenKind::kInteger;
    if (Peek() == 'e' || Peek() == 'E') {
      // SQL Server accepts an exponent without digits ("1e" is the float 1); a sign belongs to
      // the exponent only when digits follow it.
      Advance();
      if ((Peek() == '+' || Peek() == '-') && IsDigit(Peek(1))) Advance();
      while (IsDigit(Peek())) Advance();
      token->kind = TokenKind::kFloat;
    }
    return Status::Ok();
  }

  // Lexes a quoted token from `open` to `close`, where a doubled `close` stands for itself.
  Status LexQuoted(Token* token, char close, TokenKind kind) {
    Advance();  // the opening quote
    size_t content_start = pos_;
    std::string value;
    while (true) {
      if (AtEnd()) {
        std::string_view rest = text_.substr(content_start);
        return errors::Make(errors::kUnclosedQuote, {PrefixChars(rest, kMaxQuotedInMessage)});
      }
      char c = static_cast<char>(Peek());
      if (c == close) {
        if (Peek(1) == static_cast<unsigned char>(close)) {
          value.push_back(close);
          Advance(2);
          continue;
        }
        Advance();
        break;
      }
      // Copy a run of ordinary bytes at once.
      size_t run_start = pos_;
      size_t next = text_.find(close, pos_);
      if (next == std::string_view::npos) next = text_.size();
      Advance(next - run_start);
      value.append(text_.substr(run_start, next - run_start));
    }
    token->kind = kind;
    if (kind == TokenKind::kQuotedIdentifier) {
      if (value.empty()) return errors::Make(errors::kEmptyIdentifier);
      if (CountChars(value) > kMaxIdentifierChars) {
        return errors::Make(errors::kIdentifierTooLong, {PrefixChars(value, kMaxIdentifierChars)});
      }
    }
    token->value = std::move(value);
    return Status::Ok();
  }

  Status LexOperator(Token* token) {
    unsigned char c = Peek();
    unsigned char n = Peek(1);
    auto two = [&](TokenKind kind) {
      Advance(2);
      token->kind = kind;
      return Status::Ok();
    };
    auto one = [&](TokenKind kind) {
      Advance(1);
      token->kind = kind;
      return Status::Ok();
    };
    switch (c) {
      case '(':
        return one(TokenKind::kLParen);
      case ')':
        return one(TokenKind::kRParen);
      case ',':
        return one(TokenKind::kComma);
      case '.':
        return one(TokenKind::kDot);
      case ';':
        return one(TokenKind::kSemicolon);
      case ':':
        return n == ':' ? two(TokenKind::kDoubleColon) : one(TokenKind::kColon);
      case '=':
        return one(TokenKind::kEq);
      case '<':
        if (n == '>') return two(TokenKind::kNotEq);
        if (n == '=') return two(TokenKind::kLessEq);
        return one(TokenKind::kLess);
      case '>':
        return n == '=' ? two(TokenKind::kGreaterEq) : one(TokenKind::kGreater);
      case '!':
        if (n == '=') return two(TokenKind::kBangEq);
        if (n == '<') return two(TokenKind::kNotLess);
        if (n == '>') return two(TokenKind::kNotGreater);
        return one(TokenKind::kUnknown);
      case '+':
        return n == '=' ? two(TokenKind::kPlusEq) : one(TokenKind::kPlus);
      case '-':
        return n == '=' ? two(TokenKind::kMinusEq) : one(TokenKind::kMinus);
      case '*':
        return n == '=' ? two(TokenKind::kStarEq) : one(TokenKind::kStar);
      case '/':
        return n == '=' ? two(TokenKind::kSlashEq) : one(TokenKind::kSlash);
      case '%':
        return n == '=' ? two(TokenKind::kPercentEq) : one(TokenKind::kPercent);
      case '&':
        return n == '=' ? two(TokenKind::kAmpEq) : one(TokenKind::kAmp);
      case '|':
        return n == '=' ? two(TokenKind::kPipeEq) : one(TokenKind::kPipe);
      case '^':
        return n == '=' ? two(TokenKind::kCaretEq) : one(TokenKind::kCaret);
      case '~':
        return one(TokenKind::kTilde);
      default:
        return one(TokenKind::kUnknown);
    }
  }

  std::string_view text_;
  LexerOptions options_;
  size_t pos_ = 0;
  int32_t line_ = 1;
  int32_t column_ = 1;
};

}  // namespace

Keyword LookupKeyword(std::string_view word) {
  if (word.size() > kMaxKeywordLength) return Keyword::kNone;
  std::array<char, kMaxKeywordLength> upper;
  for (size_t i = 0; i < word.size(); ++i) {
    char ch = word[i];
    upper[i] = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
  }
  auto it = KeywordMap().find(std::string_view(upper.data(), word.size()));
  return it == KeywordMap().end() ? Keyword::kNone : it->second;
}

std::string_view KeywordText(Keyword keyword) {
  for (const KeywordEntry& e : kKeywords) {
    if (e.keyword == keyword) return e.text;
  }
  return {};
}

Result<std::vector<Token>> Tokenize(std::string_view text, const LexerOptions& options) {
  if (text.size() >= UINT32_MAX)
    return errors::Make(errors::kRequestTooLarge, {"4294967295", "a batch"});
  return Lexer(text, options).Run();
}

}  // namespace edgesql::tsql
