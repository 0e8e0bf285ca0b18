// uniqueidentifier text form and generation.
//
// Text: 36 characters "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX", optionally in braces on input;
// SQL Server prints upper-case hex. NEWID() returns a random (version 4) GUID.
// Pure and thread-safe (NewRandom uses a per-thread generator seeded from the OS).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "types/value.h"

namespace edgesql::guid {

std::optional<Guid> Parse(std::string_view text);
std::string ToString(const Guid& g);  // upper-case, no braces
Guid NewRandom();

// SQL Server orders uniqueidentifiers by byte groups 10-15, then 8-9, 6-7, 4-5, 0-3 of the wire
// (little-endian) form. ToSortKey reorders the bytes so that memcmp gives that order; it is the
// storage form. FromSortKey inverts it.
std::string ToSortKey(const Guid& g);
std::optional<Guid> FromSortKey(std::string_view key);

// The 16-byte wire form ([MS-TDS] GUIDTYPE): the first three groups little-endian.
void ToWire(const Guid& g, uint8_t out[16]);
Guid FromWire(const uint8_t in[16]);

}  // namespace edgesql::guid
