// A small JSON value: enough to write and read the supervisor's status file (status.h).
//
// Numbers are kept as doubles (status figures are integers well below 2^53); objects keep their
// keys sorted. Parse accepts RFC 8259 JSON, with \u escapes of the Basic Multilingual Plane and
// surrogate pairs, and a nesting depth limit; it never throws.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace edgesql::ha {

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::map<std::string, Json>;

  Json() = default;  // null
  Json(bool b) : v_(b) {}
  Json(double d) : v_(d) {}
  Json(int64_t i) : v_(static_cast<double>(i)) {}
  Json(int i) : v_(static_cast<double>(i)) {}
  Json(std::string s) : v_(std::move(s)) {}
  Json(const char* s) : v_(std::string(s)) {}
  Json(Array a) : v_(std::move(a)) {}
  Json(Object o) : v_(std::move(o)) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  const Array* array() const { return std::get_if<Array>(&v_); }
  const Object* object() const { return std::get_if<Object>(&v_); }

  // Typed access to an object's member, with a fallback for absent or mistyped members.
  int64_t Int(const std::string& key, int64_t fallback = 0) const;
  std::string Str(const std::string& key, const std::string& fallback = "") const;
  bool Bool(const std::string& key, bool fallback = false) const;
  const Json* Get(const std::string& key) const;

  std::string Dump() const;
  static std::optional<Json> Parse(std::string_view text);

 private:
  std::variant<std::monostate, bool, double, std::string, Array, Object> v_;
  friend class JsonParser;
  friend void DumpTo(const Json& j, std::string& out);
};

}  // namespace edgesql::ha
