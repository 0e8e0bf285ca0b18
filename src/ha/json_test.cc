#include "ha/json.h"

#include <gtest/gtest.h>

namespace edgesql::ha {
namespace {

TEST(Json, RoundTripsTheShapesTheStatusFileUses) {
  Json j = Json::Object{{"a", 1},
                        {"b", "text \"quoted\"\n\x01"},
                        {"c", Json::Array{true, false, Json()}},
                        {"d", int64_t{1795000000123}},
                        {"e", -1}};
  std::string text = j.Dump();
  EXPECT_EQ(text,
            "{\"a\":1,\"b\":\"text \\\"quoted\\\"\\n\\u0001\",\"c\":[true,false,null],"
            "\"d\":1795000000123,\"e\":-1}");
  auto back = Json::Parse(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->Dump(), text);
  EXPECT_EQ(back->Int("d"), 1795000000123);
  EXPECT_EQ(back->Str("b"), "text \"quoted\"\n\x01");
  EXPECT_EQ(back->Int("missing", 7), 7);
  EXPECT_EQ(back->Str("a", "fallback"), "fallback");  // mistyped member
}

TEST(Json, ParsesEscapesAndNumbers) {
  auto j = Json::Parse(R"( { "s": "\u00e9\ud83d\ude00\/", "n": [0, -2.5e1, 3.0] } )");
  ASSERT_TRUE(j);
  EXPECT_EQ(j->Str("s"), "\xC3\xA9\xF0\x9F\x98\x80/");
  EXPECT_EQ(j->Get("n")->Dump(), "[0,-25,3]");
}

TEST(Json, RejectsMalformedText) {
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "\"\\ud800\"", "01x", "{\"a\" 1}", "[1] 2",
                          "\"a\nb\"", "tru", "-", "1.", "1e"}) {
    EXPECT_FALSE(Json::Parse(bad)) << bad;
  }
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_FALSE(Json::Parse(deep));
}

}  // namespace
}  // namespace edgesql::ha
