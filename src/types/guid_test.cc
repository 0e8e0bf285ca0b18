#include "types/guid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

namespace edgesql::guid {
namespace {

TEST(GuidTest, ParseAndFormat) {
  // "uniqueidentifier": 6F9619FF-8B86-D011-B42D-00C04FC964FF is a valid value.
  std::optional<Guid> g = Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->bytes[0], 0x6F);
  EXPECT_EQ(g->bytes[15], 0xFF);
  EXPECT_EQ(ToString(*g), "6F9619FF-8B86-D011-B42D-00C04FC964FF");
  EXPECT_EQ(Parse("{6F9619FF-8B86-D011-B42D-00C04FC964FF}"), g);
  for (const char* bad :
       {"", "6F9619FF8B86D011B42D00C04FC964FF", "6F9619FF-8B86-D011-B42D-00C04FC964F",
        "g078f19e-e150-4bb9-b5f4-b20b3fc64016", "6F9619FF-8B86-D011-B42D_00C04FC964FF",
        "{6F9619FF-8B86-D011-B42D-00C04FC964FF"}) {
    EXPECT_FALSE(Parse(bad).has_value()) << bad;
  }
}

TEST(GuidTest, WireFormSwapsTheFirstThreeGroups) {
  Guid g = *Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF");
  uint8_t wire[16];
  ToWire(g, wire);
  const uint8_t want[16] = {0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0,
                            0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF};
  EXPECT_EQ(std::memcmp(wire, want, 16), 0);
  EXPECT_EQ(FromWire(wire), g);
}

TEST(GuidTest, SortKeyFollowsSqlServerOrder) {
  // SQL Server compares bytes 10-15 first, then 8-9, 6-7, 4-5, 0-3 (of the wire form): the last
  // group of the text is the most significant, then the fourth, third, second and first.
  std::vector<const char*> ascending = {
      "FFFFFFFF-FFFF-FFFF-FFFF-000000000000", "00000000-0000-0000-0000-000000000001",
      "00000001-0000-0000-0000-000000000001", "00000000-0001-0000-0000-000000000001",
      "00000000-0000-0001-0000-000000000001", "00000000-0000-0000-0001-000000000001",
      "00000000-0000-0000-0000-010000000001",
  };
  for (size_t i = 1; i < ascending.size(); ++i) {
    std::string a = ToSortKey(*Parse(ascending[i - 1]));
    std::string b = ToSortKey(*Parse(ascending[i]));
    EXPECT_LT(a, b) << ascending[i - 1] << " < " << ascending[i];
  }
  // Within the first group the bytes compare in wire (little-endian) order: the last text byte
  // of the group first.
  EXPECT_LT(ToSortKey(*Parse("00000100-0000-0000-0000-000000000000")),
            ToSortKey(*Parse("00000001-0000-0000-0000-000000000000")));
}

TEST(GuidTest, SortKeyBytesAsDocumented) {
  // docs/storage-format.md, "uniqueidentifier".
  std::string key = ToSortKey(*Parse("00112233-4455-6677-8899-AABBCCDDEEFF"));
  EXPECT_EQ(key,
            std::string("\xAA\xBB\xCC\xDD\xEE\xFF\x88\x99\x77\x66\x55\x44\x33\x22\x11\x00", 16));
}

TEST(GuidTest, SortKeyRoundTrip) {
  for (int i = 0; i < 100; ++i) {
    Guid g = NewRandom();
    std::string key = ToSortKey(g);
    ASSERT_EQ(key.size(), 16u);
    EXPECT_EQ(FromSortKey(key), g);
  }
  EXPECT_FALSE(FromSortKey("short").has_value());
}

TEST(GuidTest, NewRandomIsVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    Guid g = NewRandom();
    EXPECT_EQ(g.bytes[6] >> 4, 4);
    EXPECT_EQ(g.bytes[8] & 0xC0, 0x80);
    seen.insert(ToString(g));
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace edgesql::guid
