#include "tds/wire.h"

#include <algorithm>

#include "common/utf.h"

namespace edgesql::tds::wire {

bool ReadUtf16(ByteReader* in, size_t chars, std::string* out) {
  if (chars > in->remaining() / 2) {
    in->Fail();
    return false;
  }
  ByteView raw = in->Take(chars * 2);
  out->clear();
  return in->ok() && utf::Utf16LeToUtf8(raw, out);
}

bool ReadBVarChar(ByteReader* in, std::string* out) {
  uint8_t n = in->U8();
  return in->ok() && ReadUtf16(in, n, out);
}

bool ReadUsVarChar(ByteReader* in, std::string* out) {
  uint16_t n = in->U16Le();
  return in->ok() && ReadUtf16(in, n, out);
}

Bytes ToUtf16(std::string_view utf8, size_t max_units) {
  Bytes b;
  utf::Utf8ToUtf16Le(utf8, &b);
  if (b.size() / 2 > max_units) {
    size_t units = max_units;
    // Do not keep a high surrogate whose low half was cut off.
    if (units > 0) {
      uint16_t last = static_cast<uint16_t>(b[2 * (units - 1)] | (b[2 * (units - 1) + 1] << 8));
      if (last >= 0xD800 && last <= 0xDBFF) --units;
    }
    b.resize(units * 2);
  }
  return b;
}

void WriteBVarChar(ByteWriter* out, std::string_view utf8) {
  Bytes b = ToUtf16(utf8, 0xFF);
  out->U8(static_cast<uint8_t>(b.size() / 2));
  out->Append(b);
}

void WriteUsVarChar(ByteWriter* out, std::string_view utf8) {
  Bytes b = ToUtf16(utf8, 0xFFFF);
  out->U16Le(static_cast<uint16_t>(b.size() / 2));
  out->Append(b);
}

void WriteBVarByte(ByteWriter* out, ByteView bytes) {
  size_t n = std::min<size_t>(bytes.size(), 0xFF);
  out->U8(static_cast<uint8_t>(n));
  out->Append(bytes.first(n));
}

std::string HexByte(uint8_t b) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string{kDigits[b >> 4], kDigits[b & 0xF]};
}

uint8_t ScramblePasswordByte(uint8_t b) {
  b = static_cast<uint8_t>((b << 4) | (b >> 4));
  return static_cast<uint8_t>(b ^ 0xA5);
}

uint8_t UnscramblePasswordByte(uint8_t b) {
  b = static_cast<uint8_t>(b ^ 0xA5);
  return static_cast<uint8_t>((b << 4) | (b >> 4));
}

}  // namespace edgesql::tds::wire
