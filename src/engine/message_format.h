// RAISERROR's message formatting: printf-style substitution as "RAISERROR (Transact-SQL)"
// documents it:
//
//   % [[flag] [width] [. precision] [{h | l}]] type
//
// flags - + 0 # and space; width and precision as numbers or * (taken from the next argument);
// types d i o s u x X; %% is a percent sign. Precision is the most characters of a string, or the
// least digits of an integer. A missing or NULL argument prints "(null)". Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "types/value.h"

namespace edgesql::engine {

std::string FormatRaiserrorMessage(std::string_view format, const std::vector<Value>& args);

}  // namespace edgesql::engine
