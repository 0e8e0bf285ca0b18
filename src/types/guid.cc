#include "types/guid.h"

#include <random>

namespace edgesql::guid {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Positions of the 16 bytes in "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX".
constexpr int kBytePos[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

// The wire form stores the first three groups little-endian ([MS-DTYP] GUID, as SQL Server and
// .NET's Guid.ToByteArray do): wire byte i holds text byte kWireFromText[i].
constexpr int kWireFromText[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

// SQL Server compares uniqueidentifiers by wire bytes 10-15, then 8-9, 6-7, 4-5, 0-3 (the order
// SqlGuid.CompareTo documents); key byte k is wire byte kSortFromWire[k].
constexpr int kSortFromWire[16] = {10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3};

}  // namespace

std::optional<Guid> Parse(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, 36);
  }
  if (text.size() != 36) return std::nullopt;
  if (text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return std::nullopt;
  Guid g;
  for (int i = 0; i < 16; ++i) {
    int hi = HexValue(text[kBytePos[i]]);
    int lo = HexValue(text[kBytePos[i] + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    g.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return g;
}

std::string ToString(const Guid& g) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out(36, '-');
  for (int i = 0; i < 16; ++i) {
    out[kBytePos[i]] = kHex[g.bytes[i] >> 4];
    out[kBytePos[i] + 1] = kHex[g.bytes[i] & 15];
  }
  return out;
}

Guid NewRandom() {
  thread_local std::mt19937_64 gen([] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }());
  Guid g;
  for (int i = 0; i < 16; i += 8) {
    uint64_t r = gen();
    for (int k = 0; k < 8; ++k) g.bytes[i + k] = static_cast<uint8_t>(r >> (8 * k));
  }
  // RFC 4122 version 4 (random) and variant 10xx, as NEWID() produces.
  g.bytes[6] = static_cast<uint8_t>((g.bytes[6] & 0x0F) | 0x40);
  g.bytes[8] = static_cast<uint8_t>((g.bytes[8] & 0x3F) | 0x80);
  return g;
}

void ToWire(const Guid& g, uint8_t out[16]) {
  for (int i = 0; i < 16; ++i) out[i] = g.bytes[kWireFromText[i]];
}

Guid FromWire(const uint8_t in[16]) {
  Guid g;
  for (int i = 0; i < 16; ++i) g.bytes[kWireFromText[i]] = in[i];
  return g;
}

std::string ToSortKey(const Guid& g) {
  uint8_t wire[16];
  ToWire(g, wire);
  std::string key(16, '\0');
  for (int k = 0; k < 16; ++k) key[k] = static_cast<char>(wire[kSortFromWire[k]]);
  return key;
}

std::optional<Guid> FromSortKey(std::string_view key) {
  if (key.size() != 16) return std::nullopt;
  uint8_t wire[16];
  for (int k = 0; k < 16; ++k) wire[kSortFromWire[k]] = static_cast<uint8_t>(key[k]);
  return FromWire(wire);
}

}  // namespace edgesql::guid
