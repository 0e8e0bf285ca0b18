#include "types/collation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace edgesql::collation {
namespace {

int Sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

TEST(CollationTest, CaseInsensitiveAndBlindToTrailingSpaces) {
  EXPECT_EQ(Compare("abc", "ABC"), 0);
  EXPECT_EQ(Compare("abc", "abc   "), 0);  // ANSI padding
  EXPECT_EQ(Compare("", "   "), 0);
  EXPECT_EQ(Compare("ÉCOLE", "école"), 0);
  EXPECT_EQ(Compare("straße", "STRASSE"), 0);  // ß expands to ss
  EXPECT_TRUE(Equal("Hello World", "hello world  "));
  // Leading spaces and other whitespace do count.
  EXPECT_NE(Compare(" abc", "abc"), 0);
  EXPECT_NE(Compare("abc\t", "abc"), 0);
}

TEST(CollationTest, AccentSensitive) {
  EXPECT_NE(Compare("é", "e"), 0);
  EXPECT_NE(Compare("resume", "résumé"), 0);
  EXPECT_NE(Compare("naïve", "naive"), 0);
  EXPECT_NE(Compare("Ångström", "Angstrom"), 0);
}

TEST(CollationTest, Order) {
  // Letters compare without case: 'a' < 'B' < 'c'; accents only break ties: 'e' < 'é' < 'f'.
  EXPECT_LT(Compare("a", "B"), 0);
  EXPECT_LT(Compare("B", "c"), 0);
  EXPECT_LT(Compare("apple", "Banana"), 0);
  EXPECT_LT(Compare("e", "é"), 0);
  EXPECT_LT(Compare("é", "f"), 0);
  EXPECT_LT(Compare("éa", "eb"), 0);  // the letters decide before the accent
  EXPECT_LT(Compare("abc", "abcd"), 0);
  // Punctuation sorts before digits, digits before letters.
  EXPECT_LT(Compare("_", "0"), 0);
  EXPECT_LT(Compare("9", "a"), 0);
  EXPECT_LT(Compare("a b", "ab"), 0);  // space sorts first
  // Greek and Cyrillic compare by letter, case-insensitively.
  EXPECT_EQ(Compare("ΑΒΓ", "αβγ"), 0);
  EXPECT_EQ(Compare("МОСКВА", "москва"), 0);
  EXPECT_LT(Compare("альфа", "бета"), 0);
  EXPECT_LT(Compare("zebra", "альфа"), 0);
}

TEST(CollationTest, SortsATypicalList) {
  std::vector<std::string> words = {"banana", "Apple",  "apple ", "cherry", "Éclair",
                                    "eclair", "éclair", "10",     "2",      "_x",
                                    "Zoo",    "zoo",    "ábc",    "abd"};
  std::stable_sort(words.begin(), words.end(),
                   [](const std::string& a, const std::string& b) { return Compare(a, b) < 0; });
  // 'ábc' sorts before 'Apple': letters decide first (b < p), the accent only breaks ties.
  std::vector<std::string> want = {"_x",     "10",     "2",      "ábc",    "abd",
                                   "Apple",  "apple ", "banana", "cherry", "eclair",
                                   "Éclair", "éclair", "Zoo",    "zoo"};
  EXPECT_EQ(words, want);
}

TEST(CollationTest, TotalOrderProperty) {
  // Antisymmetry and transitivity over random strings from a mixed alphabet, as SQLite requires
  // of a collating function.
  const std::vector<std::string> alphabet = {"a", "A", "b", "B", "é", "É", "e", "ß", "s", "æ",
                                             " ", "0", "_", "z", "Ω", "ω", "ж", "Ж", "ø", "Œ"};
  std::mt19937 rng(42);
  std::vector<std::string> strs;
  for (int i = 0; i < 300; ++i) {
    std::string s;
    int n = static_cast<int>(rng() % 5);
    for (int k = 0; k < n; ++k) s += alphabet[rng() % alphabet.size()];
    strs.push_back(s);
  }
  for (size_t i = 0; i < strs.size(); ++i) {
    for (size_t j = 0; j < strs.size(); j += 7) {
      ASSERT_EQ(Sign(Compare(strs[i], strs[j])), -Sign(Compare(strs[j], strs[i])))
          << strs[i] << " / " << strs[j];
    }
  }
  std::sort(strs.begin(), strs.end(),
            [](const std::string& a, const std::string& b) { return Compare(a, b) < 0; });
  for (size_t i = 1; i < strs.size(); ++i) {
    ASSERT_LE(Compare(strs[i - 1], strs[i]), 0);
    for (size_t k = i + 1; k < std::min(strs.size(), i + 20); ++k) {
      ASSERT_LE(Compare(strs[i - 1], strs[k]), 0);
    }
  }
}

TEST(CollationTest, UpperLower) {
  EXPECT_EQ(Upper("abc xyz"), "ABC XYZ");
  EXPECT_EQ(Lower("ÀÉÎÕÜ Ç"), "àéîõü ç");
  EXPECT_EQ(Upper("àéîõü ç ÿ"), "ÀÉÎÕÜ Ç Ÿ");
  EXPECT_EQ(Upper("ąčęłńšžő"), "ĄČĘŁŃŠŽŐ");
  EXPECT_EQ(Lower("ĄČĘŁŃŠŽŐ"), "ąčęłńšžő");
  EXPECT_EQ(Upper("αβγ ς"), "ΑΒΓ Σ");
  EXPECT_EQ(Lower("МОСКВА Ё"), "москва ё");
  EXPECT_EQ(Upper("ß"), "ß");  // no single-character capital
  EXPECT_EQ(Upper("日本"), "日本");
}

TEST(LikeTest, Wildcards) {
  // The wildcard table of "LIKE (Transact-SQL)".
  EXPECT_TRUE(Like("a computer guide", "%computer%"));
  EXPECT_TRUE(Like("Dean", "_ean"));
  EXPECT_TRUE(Like("Sean", "_ean"));
  EXPECT_FALSE(Like("Jean-Luc", "_ean"));
  EXPECT_TRUE(Like("Carsen", "[C-P]arsen"));
  EXPECT_TRUE(Like("Larsen", "[C-P]arsen"));
  EXPECT_FALSE(Like("Tarsen", "[C-P]arsen"));
  EXPECT_TRUE(Like("devil", "de[^l]%"));
  EXPECT_FALSE(Like("delta", "de[^l]%"));
  EXPECT_TRUE(Like("b", "[abc]"));
  EXPECT_FALSE(Like("d", "[abc]"));
  EXPECT_TRUE(Like("", "%"));
  EXPECT_TRUE(Like("abc", "%%%"));
  EXPECT_FALSE(Like("", "_"));
  EXPECT_TRUE(Like("abcbc", "%bc"));
  EXPECT_TRUE(Like("aXbXc", "a%b%c"));
  EXPECT_FALSE(Like("aXbXd", "a%b%c"));
}

TEST(LikeTest, CaseInsensitiveAccentSensitive) {
  EXPECT_TRUE(Like("HELLO", "hello"));
  EXPECT_TRUE(Like("Hello", "h%O"));
  EXPECT_TRUE(Like("ÉCOLE", "école"));
  EXPECT_FALSE(Like("ecole", "école"));
  EXPECT_TRUE(Like("B", "[a-z]"));  // ranges follow the collation, not code points
  EXPECT_TRUE(Like("é", "[a-z]"));
  EXPECT_FALSE(Like("1", "[a-z]"));
  EXPECT_TRUE(Like("É", "[é]"));
}

TEST(LikeTest, Escape) {
  EXPECT_TRUE(Like("100%", "100!%", '!'));
  EXPECT_FALSE(Like("1000", "100!%", '!'));
  EXPECT_TRUE(Like("a_b", "a!_b", '!'));
  EXPECT_FALSE(Like("axb", "a!_b", '!'));
  EXPECT_TRUE(Like("[x]", "![x]", '!'));
  EXPECT_TRUE(Like("x!y", "x!!y", '!'));
  // Without ESCAPE, brackets quote the wildcards.
  EXPECT_TRUE(Like("50%", "50[%]"));
  EXPECT_TRUE(Like("a_b", "a[_]b"));
  EXPECT_TRUE(Like("]", "[]]"));
  EXPECT_TRUE(Like("[", "["));  // an unclosed bracket is literal
}

TEST(LikeTest, TrailingBlanks) {
  // "LIKE (Transact-SQL)": trailing blanks of the pattern are significant, so 'abc' does not
  // match 'abc '. Trailing blanks of the matched expression are ignored for char/varchar: a
  // char(10) 'abc' (stored 'abc       ') matches 'abc'.
  EXPECT_FALSE(Like("abc", "abc "));
  EXPECT_TRUE(Like("abc       ", "abc"));
  EXPECT_TRUE(Like("abc   ", "abc"));
  // Ignored means optional: the pattern may also match some of them.
  EXPECT_TRUE(Like("abc   ", "abc "));
  EXPECT_TRUE(Like("abc   ", "abc_"));
  EXPECT_FALSE(Like("abc   ", "abc    "));
  EXPECT_TRUE(Like("abc ", "abc%"));
  // For Unicode data trailing blanks are significant: an nchar(20) N'abc' does not match
  // LIKE N'abc', only LIKE N'abc%'.
  EXPECT_FALSE(Like("abc                 ", "abc", 0, true));
  EXPECT_TRUE(Like("abc                 ", "abc%", 0, true));
  EXPECT_TRUE(Like("abc", "abc", 0, true));
}

TEST(CollationTest, ArbitraryBytesNeverCrash) {
  // Comparison and LIKE run inside SQLite on stored text; malformed UTF-8 must be harmless.
  std::mt19937 rng(3);
  const char pieces[] = {'a',    'A',    ' ',    '%',    '_',    '[',    ']',    '^',    '-', '!',
                         '\xC3', '\xA9', '\xFF', '\x80', '\xE2', '\x82', '\xAC', '\xF0', '\0'};
  for (int i = 0; i < 5000; ++i) {
    std::string a, b;
    for (int k = static_cast<int>(rng() % 10); k > 0; --k) a += pieces[rng() % sizeof pieces];
    for (int k = static_cast<int>(rng() % 10); k > 0; --k) b += pieces[rng() % sizeof pieces];
    int c = Compare(a, b);
    ASSERT_EQ(Sign(c), -Sign(Compare(b, a)));
    (void)Like(a, b, i % 2 ? U'!' : 0, i % 3 == 0);
    (void)Upper(a);
    (void)Lower(b);
  }
}

TEST(CollationTest, Constants) {
  EXPECT_STREQ(kSqliteName, "CI_AS");
  EXPECT_STREQ(kSqlServerName, "SQL_Latin1_General_CP1_CI_AS");
}

}  // namespace
}  // namespace edgesql::collation
