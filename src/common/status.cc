#include "common/status.h"

namespace edgesql {

std::string Status::ToString() const {
  if (ok()) return "OK";
  const SqlError& e = *error_;
  return "Msg " + std::to_string(e.number) + ", Level " + std::to_string(e.severity) + ", State " +
         std::to_string(e.state) + ": " + e.message;
}

}  // namespace edgesql
