#include "common/utf.h"

namespace edgesql::utf {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// CP1252 bytes 0x80-0x9F (the rest of CP1252 is ISO-8859-1). 0 marks the five undefined bytes,
// which Windows maps to the C1 control of the same value.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

int Cp1252Byte(char32_t cp) {
  if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<int>(cp);
  for (int i = 0; i < 32; ++i) {
    if (kCp1252High[i] != 0 && kCp1252High[i] == cp) return 0x80 + i;
    if (kCp1252High[i] == 0 && cp == static_cast<char32_t>(0x80 + i)) return 0x80 + i;
  }
  return -1;
}

}  // namespace

char32_t NextCodePoint(std::string_view s, size_t* pos) {
  size_t i = *pos;
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(i);
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    *pos = i + 1;
    return kReplacement;
  }
  if (i + len > s.size()) {
    *pos = i + 1;
    return kReplacement;
  }
  for (int k = 1; k < len; ++k) {
    uint8_t cc = b(i + k);
    if ((cc & 0xC0) != 0x80) {
      *pos = i + 1;
      return kReplacement;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return kReplacement;
  }
  *pos = i + len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool Utf16LeToUtf8(ByteView in, std::string* out) {
  if (in.size() % 2 != 0) return false;
  size_t n = in.size() / 2;
  // ASCII first, written in place: most text (SQL, names) is nothing else.
  out->resize(n);
  char* dst = out->data();
  size_t i = 0;
  for (; i < n && in[2 * i + 1] == 0 && in[2 * i] < 0x80; ++i)
    dst[i] = static_cast<char>(in[2 * i]);
  out->resize(i);
  for (; i < n; ++i) {
    char32_t u = static_cast<char32_t>(in[2 * i] | (in[2 * i + 1] << 8));
    if (u < 0x80) {
      out->push_back(static_cast<char>(u));
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 >= n) return false;
      char32_t lo = static_cast<char32_t>(in[2 * i + 2] | (in[2 * i + 3] << 8));
      if (lo < 0xDC00 || lo > 0xDFFF) return false;
      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      ++i;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return false;
    }
    AppendUtf8(u, out);
  }
  return true;
}

void Utf8ToUtf16Le(std::string_view in, Bytes* out) {
  // ASCII first, written in place.
  size_t start = out->size();
  out->resize(start + in.size() * 2);
  uint8_t* dst = out->data() + start;
  size_t pos = 0;
  for (; pos < in.size() && static_cast<uint8_t>(in[pos]) < 0x80; ++pos) {
    dst[2 * pos] = static_cast<uint8_t>(in[pos]);
    dst[2 * pos + 1] = 0;
  }
  out->resize(start + pos * 2);
  while (pos < in.size()) {
    uint8_t c = static_cast<uint8_t>(in[pos]);
    if (c < 0x80) {
      out->push_back(c);
      out->push_back(0);
      ++pos;
      continue;
    }
    char32_t cp = NextCodePoint(in, &pos);
    if (cp >= 0x10000) {
      char32_t v = cp - 0x10000;
      char16_t hi = static_cast<char16_t>(0xD800 + (v >> 10));
      char16_t lo = static_cast<char16_t>(0xDC00 + (v & 0x3FF));
      out->push_back(static_cast<uint8_t>(hi));
      out->push_back(static_cast<uint8_t>(hi >> 8));
      out->push_back(static_cast<uint8_t>(lo));
      out->push_back(static_cast<uint8_t>(lo >> 8));
    } else {
      out->push_back(static_cast<uint8_t>(cp));
      out->push_back(static_cast<uint8_t>(cp >> 8));
    }
  }
}

bool IsValidUtf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    if (static_cast<uint8_t>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    size_t start = pos;
    char32_t cp = NextCodePoint(s, &pos);
    // A genuine U+FFFD is three bytes EF BF BD; a replacement for bad input consumed one byte.
    if (cp == kReplacement && pos - start != 3) return false;
  }
  return true;
}

size_t Utf16Length(std::string_view utf8) {
  size_t n = 0;
  size_t pos = 0;
  while (pos < utf8.size()) {
    if (static_cast<uint8_t>(utf8[pos]) < 0x80) {
      ++pos;
      ++n;
      continue;
    }
    n += NextCodePoint(utf8, &pos) >= 0x10000 ? 2 : 1;
  }
  return n;
}

size_t PrefixBytes(std::string_view utf8, int64_t n, bool utf16_units) {
  size_t pos = 0;
  int64_t units = 0;
  while (pos < utf8.size()) {
    size_t next = pos;
    char32_t cp = NextCodePoint(utf8, &next);
    int64_t w = utf16_units && cp >= 0x10000 ? 2 : 1;
    if (units + w > n) break;
    units += w;
    pos = next;
  }
  return pos;
}

size_t CodePointCount(std::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  return n;
}

std::string Utf8ToCp1252(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    int b = Cp1252Byte(NextCodePoint(utf8, &pos));
    out.push_back(b < 0 ? '?' : static_cast<char>(b));
  }
  return out;
}

std::string Cp1252ToUtf8(std::string_view cp1252) {
  std::string out;
  out.reserve(cp1252.size());
  for (char ch : cp1252) {
    uint8_t b = static_cast<uint8_t>(ch);
    char32_t cp = b;
    if (b >= 0x80 && b <= 0x9F && kCp1252High[b - 0x80] != 0) cp = kCp1252High[b - 0x80];
    AppendUtf8(cp, &out);
  }
  return out;
}

bool FitsCp1252(std::string_view utf8) {
  size_t pos = 0;
  while (pos < utf8.size()) {
    if (static_cast<uint8_t>(utf8[pos]) < 0x80) {
      ++pos;
      continue;
    }
    if (Cp1252Byte(NextCodePoint(utf8, &pos)) < 0) return false;
  }
  return true;
}

std::string ToVarcharRepertoire(std::string_view utf8) {
  if (FitsCp1252(utf8)) return std::string(utf8);
  std::string out;
  size_t pos = 0;
  while (pos < utf8.size()) {
    char32_t cp = NextCodePoint(utf8, &pos);
    if (Cp1252Byte(cp) < 0) cp = '?';
    AppendUtf8(cp, &out);
  }
  return out;
}

}  // namespace edgesql::utf
