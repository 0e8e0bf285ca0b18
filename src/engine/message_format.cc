#include "engine/message_format.h"

#include <cstdio>
#include <optional>

#include "common/utf.h"
#include "types/convert.h"

namespace edgesql::engine {
namespace {

std::optional<int64_t> AsInteger(const Value* v) {
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->type().IsInteger()) return v->AsInt();
  auto converted = Convert(*v, SqlType::BigInt());
  if (!converted.ok() || converted->is_null()) return std::nullopt;
  return converted->AsInt();
}

// The first `n` characters of UTF-8 text.
std::string_view FirstCharacters(std::string_view s, int64_t n) {
  size_t pos = 0;
  for (int64_t i = 0; i < n && pos < s.size(); ++i) utf::NextCodePoint(s, &pos);
  return s.substr(0, pos);
}

}  // namespace

std::string FormatRaiserrorMessage(std::string_view fmt, const std::vector<Value>& args) {
  std::string out;
  size_t next_arg = 0;
  auto take = [&]() -> const Value* {
    return next_arg < args.size() ? &args[next_arg++] : nullptr;
  };
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    size_t j = i + 1;
    std::string flags;
    while (j < fmt.size() && std::string_view("-+0# ").find(fmt[j]) != std::string_view::npos) {
      flags += fmt[j++];
    }
    auto number = [&](int64_t* value) {
      if (j < fmt.size() && fmt[j] == '*') {
        ++j;
        *value = AsInteger(take()).value_or(0);
        return;
      }
      bool any = false;
      int64_t n = 0;
      while (j < fmt.size() && fmt[j] >= '0' && fmt[j] <= '9') {
        n = std::min<int64_t>(n * 10 + (fmt[j++] - '0'), 8000);
        any = true;
      }
      if (any) *value = n;
    };
    int64_t width = -1, precision = -1;
    number(&width);
    if (j < fmt.size() && fmt[j] == '.') {
      ++j;
      precision = 0;
      number(&precision);
    }
    if (fmt.compare(j, 3, "I64") == 0) {
      j += 3;
    } else if (j < fmt.size() && (fmt[j] == 'h' || fmt[j] == 'l')) {
      ++j;
    }
    if (j >= fmt.size() || std::string_view("dioxXus").find(fmt[j]) == std::string_view::npos) {
      out += fmt.substr(i, j - i + (j < fmt.size() ? 1 : 0));  // not a specification: as written
      i = j;
      continue;
    }
    const char type = fmt[j];
    i = j;
    const Value* arg = take();
    std::string text;
    if (type == 's') {
      std::string value = arg == nullptr || arg->is_null() ? "(null)" : ToDisplayString(*arg);
      text = precision >= 0 ? std::string(FirstCharacters(value, precision)) : value;
    } else {
      std::optional<int64_t> v = AsInteger(arg);
      if (!v) {
        text = "(null)";
      } else {
        std::string spec = "%" + flags;
        if (precision >= 0) spec += "." + std::to_string(precision);
        spec += type == 'd' || type == 'i' ? "lld" : std::string("ll") + type;
        char buf[128];
        std::snprintf(buf, sizeof(buf), spec.c_str(), static_cast<long long>(*v));
        text = buf;
      }
    }
    int64_t length = static_cast<int64_t>(utf::CodePointCount(text));
    if (width > length) {
      std::string pad(static_cast<size_t>(width - length),
                      flags.find('0') != std::string::npos && type != 's' &&
                              flags.find('-') == std::string::npos && precision < 0
                          ? '0'
                          : ' ');
      if (flags.find('-') != std::string::npos) {
        text += pad;
      } else if (pad[0] == '0' && !text.empty() && (text[0] == '-' || text[0] == '+')) {
        text.insert(1, pad);
      } else {
        text.insert(0, pad);
      }
    }
    out += text;
  }
  return out;
}

}  // namespace edgesql::engine
