#include "common/utf.h"

#include <gtest/gtest.h>

namespace edgesql {
namespace {

Bytes U16(std::u16string_view s) {
  Bytes b;
  for (char16_t c : s) {
    b.push_back(static_cast<uint8_t>(c));
    b.push_back(static_cast<uint8_t>(c >> 8));
  }
  return b;
}

TEST(UtfTest, RoundTripsBmpAndSupplementary) {
  std::string text = "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80";  // café 日本 😀
  Bytes wire;
  utf::Utf8ToUtf16Le(text, &wire);
  EXPECT_EQ(wire, U16(u"café 日本 😀"));
  std::string back;
  ASSERT_TRUE(utf::Utf16LeToUtf8(wire, &back));
  EXPECT_EQ(back, text);
  EXPECT_EQ(utf::Utf16Length(text), 10u);  // the emoji takes two UTF-16 code units
  EXPECT_EQ(utf::CodePointCount(text), 9u);
}

TEST(UtfTest, RejectsUnpairedSurrogatesAndOddLength) {
  std::string out;
  Bytes lone_high = {0x3D, 0xD8, 0x41, 0x00};
  EXPECT_FALSE(utf::Utf16LeToUtf8(lone_high, &out));
  Bytes lone_low = {0x00, 0xDC};
  EXPECT_FALSE(utf::Utf16LeToUtf8(lone_low, &out));
  Bytes odd = {0x41, 0x00, 0x42};
  EXPECT_FALSE(utf::Utf16LeToUtf8(odd, &out));
}

TEST(UtfTest, ValidatesUtf8) {
  EXPECT_TRUE(utf::IsValidUtf8("plain \xEF\xBF\xBD ok"));
  EXPECT_FALSE(utf::IsValidUtf8("\xC3"));
  EXPECT_FALSE(utf::IsValidUtf8("\xED\xA0\x80"));  // encoded surrogate
  EXPECT_FALSE(utf::IsValidUtf8("\xC0\xAF"));      // overlong
}

TEST(UtfTest, Cp1252MapsEuroAndReplacesOthers) {
  EXPECT_EQ(utf::Utf8ToCp1252("\xE2\x82\xAC caf\xC3\xA9"), "\x80 caf\xE9");
  EXPECT_EQ(utf::Cp1252ToUtf8("\x80 caf\xE9"), "\xE2\x82\xAC caf\xC3\xA9");
  EXPECT_EQ(utf::Utf8ToCp1252("\xE6\x97\xA5"), "?");
  EXPECT_FALSE(utf::FitsCp1252("\xE6\x97\xA5"));
  EXPECT_EQ(utf::ToVarcharRepertoire("a\xE6\x97\xA5\xC3\xA9"), "a?\xC3\xA9");
}

}  // namespace
}  // namespace edgesql

namespace edgesql::utf {
namespace {

TEST(Utf, PrefixBytesCountsCodePointsOrUtf16UnitsWithoutSplittingPairs) {
  const std::string text = "a\xC3\xA9\xF0\x9F\x98\x80z";  // a, e-acute, U+1F600, z
  EXPECT_EQ(PrefixBytes(text, 0, false), 0u);
  EXPECT_EQ(PrefixBytes(text, 2, false), 3u);
  EXPECT_EQ(PrefixBytes(text, 3, false), 7u);
  EXPECT_EQ(PrefixBytes(text, 3, true), 3u);  // the pair would straddle the limit
  EXPECT_EQ(PrefixBytes(text, 4, true), 7u);
  EXPECT_EQ(PrefixBytes(text, 99, true), text.size());
}

}  // namespace
}  // namespace edgesql::utf
