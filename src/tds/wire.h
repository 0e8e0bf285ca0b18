// Small wire helpers shared by the TDS codecs (internal to src/tds): the length-prefixed UTF-16
// strings of [MS-TDS] 2.2.5.1.3 (B_VARCHAR: 1-byte length in characters; US_VARCHAR: 2-byte),
// B_VARBYTE, and the hex spelling SQL Server uses in protocol error messages.
//
// Readers return false on truncated input or invalid UTF-16 and leave *out unspecified; writers
// truncate text that does not fit the length prefix at a character boundary, as SQL Server
// truncates over-long names. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.h"

namespace edgesql::tds::wire {

// `chars` UTF-16 code units at the reader's position, decoded to UTF-8.
bool ReadUtf16(ByteReader* in, size_t chars, std::string* out);
bool ReadBVarChar(ByteReader* in, std::string* out);
bool ReadUsVarChar(ByteReader* in, std::string* out);

// UTF-8 -> UTF-16LE, cut to at most `max_units` code units without splitting a surrogate pair.
Bytes ToUtf16(std::string_view utf8, size_t max_units = SIZE_MAX);
void WriteBVarChar(ByteWriter* out, std::string_view utf8);
void WriteUsVarChar(ByteWriter* out, std::string_view utf8);
void WriteBVarByte(ByteWriter* out, ByteView bytes);

// "E7" for 0xE7: the form of "Data type 0x{hex} is unknown." (errors 8009, 8016).
std::string HexByte(uint8_t b);

// LOGIN7 password obfuscation ([MS-TDS] 2.2.6.4): the client swaps the nibbles of every byte and
// XORs it with 0xA5; Unscramble undoes that.
uint8_t ScramblePasswordByte(uint8_t b);
uint8_t UnscramblePasswordByte(uint8_t b);

}  // namespace edgesql::tds::wire
