#include "ha/json.h"

// GCC 12 reports std::variant members of Json as "maybe used uninitialized" when it inlines their
// moves (a known false positive of that release's -Wmaybe-uninitialized with variant).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace edgesql::ha {

const Json* Json::Get(const std::string& key) const {
  const Object* o = object();
  if (o == nullptr) return nullptr;
  auto it = o->find(key);
  return it == o->end() ? nullptr : &it->second;
}

int64_t Json::Int(const std::string& key, int64_t fallback) const {
  const Json* j = Get(key);
  if (j == nullptr) return fallback;
  const double* d = std::get_if<double>(&j->v_);
  return d != nullptr ? static_cast<int64_t>(std::llround(*d)) : fallback;
}

std::string Json::Str(const std::string& key, const std::string& fallback) const {
  const Json* j = Get(key);
  if (j == nullptr) return fallback;
  const std::string* s = std::get_if<std::string>(&j->v_);
  return s != nullptr ? *s : fallback;
}

bool Json::Bool(const std::string& key, bool fallback) const {
  const Json* j = Get(key);
  if (j == nullptr) return fallback;
  const bool* b = std::get_if<bool>(&j->v_);
  return b != nullptr ? *b : fallback;
}

namespace {

void DumpString(const std::string& s, std::string& out) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

}  // namespace

void DumpTo(const Json& j, std::string& out) {
  if (j.is_null()) {
    out += "null";
  } else if (const bool* b = std::get_if<bool>(&j.v_)) {
    out += *b ? "true" : "false";
  } else if (const double* d = std::get_if<double>(&j.v_)) {
    char buf[32];
    if (std::isfinite(*d) && *d == std::floor(*d) && std::fabs(*d) < 9e15) {
      std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(*d));
    } else if (std::isfinite(*d)) {
      std::snprintf(buf, sizeof(buf), "%.17g", *d);
    } else {
      std::snprintf(buf, sizeof(buf), "null");
    }
    out += buf;
  } else if (const std::string* s = std::get_if<std::string>(&j.v_)) {
    DumpString(*s, out);
  } else if (const Json::Array* a = j.array()) {
    out += '[';
    for (size_t i = 0; i < a->size(); ++i) {
      if (i > 0) out += ',';
      DumpTo((*a)[i], out);
    }
    out += ']';
  } else if (const Json::Object* o = j.object()) {
    out += '{';
    bool first = true;
    for (const auto& [k, v] : *o) {
      if (!first) out += ',';
      first = false;
      DumpString(k, out);
      out += ':';
      DumpTo(v, out);
    }
    out += '}';
  }
}

std::string Json::Dump() const {
  std::string out;
  DumpTo(*this, out);
  return out;
}

class JsonParser {
 public:
  explicit JsonParser(std::string_view t) : t_(t) {}

  std::optional<Json> Document() {
    auto v = Value(0);
    Space();
    if (!v || pos_ != t_.size()) return std::nullopt;
    return v;
  }

 private:
  static constexpr int kMaxDepth = 64;

  void Space() {
    while (pos_ < t_.size() &&
           (t_[pos_] == ' ' || t_[pos_] == '\n' || t_[pos_] == '\r' || t_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool Eat(char c) {
    Space();
    if (pos_ < t_.size() && t_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Literal(std::string_view word) {
    if (t_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::optional<Json> Value(int depth) {
    if (depth > kMaxDepth) return std::nullopt;
    Space();
    if (pos_ >= t_.size()) return std::nullopt;
    char c = t_[pos_];
    if (c == '{') return ObjectValue(depth);
    if (c == '[') return ArrayValue(depth);
    if (c == '"') {
      auto s = String();
      if (!s) return std::nullopt;
      return Json(std::move(*s));
    }
    if (Literal("true")) return Json(true);
    if (Literal("false")) return Json(false);
    if (Literal("null")) return Json();
    return Number();
  }

  std::optional<Json> Number() {
    size_t start = pos_;
    if (pos_ < t_.size() && t_[pos_] == '-') ++pos_;
    size_t digits = pos_;
    while (pos_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[pos_]))) ++pos_;
    if (pos_ == digits) return std::nullopt;
    if (pos_ < t_.size() && t_[pos_] == '.') {
      ++pos_;
      size_t frac = pos_;
      while (pos_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[pos_]))) ++pos_;
      if (pos_ == frac) return std::nullopt;
    }
    if (pos_ < t_.size() && (t_[pos_] == 'e' || t_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < t_.size() && (t_[pos_] == '+' || t_[pos_] == '-')) ++pos_;
      size_t exp = pos_;
      while (pos_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[pos_]))) ++pos_;
      if (pos_ == exp) return std::nullopt;
    }
    std::string text(t_.substr(start, pos_ - start));
    return Json(std::strtod(text.c_str(), nullptr));
  }

  static void AppendUtf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::optional<uint32_t> Hex4() {
    if (pos_ + 4 > t_.size()) return std::nullopt;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = t_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v |= c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        v |= c - 'A' + 10;
      } else {
        return std::nullopt;
      }
    }
    return v;
  }

  std::optional<std::string> String() {
    if (!Eat('"')) return std::nullopt;
    std::string out;
    while (pos_ < t_.size()) {
      char c = t_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= t_.size()) return std::nullopt;
      char e = t_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          auto cp = Hex4();
          if (!cp) return std::nullopt;
          if (*cp >= 0xD800 && *cp < 0xDC00) {
            if (!Literal("\\u")) return std::nullopt;
            auto low = Hex4();
            if (!low || *low < 0xDC00 || *low >= 0xE000) return std::nullopt;
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
          } else if (*cp >= 0xDC00 && *cp < 0xE000) {
            return std::nullopt;
          }
          AppendUtf8(*cp, out);
          break;
        }
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;
  }

  std::optional<Json> ArrayValue(int depth) {
    Eat('[');
    Json::Array a;
    if (Eat(']')) return Json(std::move(a));
    for (;;) {
      auto v = Value(depth + 1);
      if (!v) return std::nullopt;
      a.push_back(std::move(*v));
      if (Eat(']')) return Json(std::move(a));
      if (!Eat(',')) return std::nullopt;
    }
  }

  std::optional<Json> ObjectValue(int depth) {
    Eat('{');
    Json::Object o;
    if (Eat('}')) return Json(std::move(o));
    for (;;) {
      Space();
      auto k = String();
      if (!k || !Eat(':')) return std::nullopt;
      auto v = Value(depth + 1);
      if (!v) return std::nullopt;
      o[std::move(*k)] = std::move(*v);
      if (Eat('}')) return Json(std::move(o));
      if (!Eat(',')) return std::nullopt;
    }
  }

  std::string_view t_;
  size_t pos_ = 0;
};

std::optional<Json> Json::Parse(std::string_view text) { return JsonParser(text).Document(); }

}  // namespace edgesql::ha
