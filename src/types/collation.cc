#include "types/collation.h"

#include <array>

#include "common/utf.h"

namespace edgesql::collation {
namespace {

// Primary weights, in the order SQL_Latin1_General_CP1_CI_AS sorts the groups: controls,
// whitespace and punctuation/symbols first, then digits, then letters (Latin, Greek, Cyrillic),
// then everything else by code point.
constexpr uint32_t kDigitBase = 0x10000;
constexpr uint32_t kLatinBase = 0x10100;
constexpr uint32_t kGreekBase = 0x10200;
constexpr uint32_t kCyrillicBase = 0x10600;
constexpr uint32_t kOtherBase = 0x20000;

// Accent codes: the secondary weight. 0 is "no accent"; the order among accents is edgesql's
// (SQL Server's exact diacritic order is not documented).
enum Accent : uint8_t {
  kNone = 0,
  kGrave,
  kAcute,
  kCircumflex,
  kTilde,
  kDiaeresis,
  kRing,
  kCedilla,
  kStroke,
  kMacron,
  kBreve,
  kOgonek,
  kDotAbove,
  kCaron,
  kDoubleAcute,
  kDotless,
  kKra,
  kMiddleDot,
  kApostrophe,
  kEng,
  kLongS,
};

// A Latin letter outside ASCII: its base letter (or two-letter expansion, e.g. ß = ss) and accent.
struct LatinFold {
  char base = 0;
  char base2 = 0;
  uint8_t accent = 0;
};

struct FoldTable {
  std::array<LatinFold, 0x180 - 0xC0> f{};

  void Set(char32_t cp, char base, uint8_t accent, char base2 = 0) {
    f[cp - 0xC0] = {base, base2, accent};
  }
  // A case pair at cp (capital) and cp + 1 (small), as most of Latin Extended-A is laid out.
  void Pair(char32_t cp, char base, uint8_t accent, char base2 = 0) {
    Set(cp, base, accent, base2);
    Set(cp + 1, base, accent, base2);
  }

  FoldTable() {
    // Latin-1 Supplement: capitals C0-DE, smalls E0-FE at +0x20 (D7 and F7 are symbols).
    const char* base_of = "aaaaaaaceeeeiiiidnoooooxouuuuyts";
    const uint8_t accents[] = {
        kGrave,  kAcute, kCircumflex, kTilde,      kDiaeresis,  kRing,  kNone,       kCedilla,
        kGrave,  kAcute, kCircumflex, kDiaeresis,  kGrave,      kAcute, kCircumflex, kDiaeresis,
        kStroke, kTilde, kGrave,      kAcute,      kCircumflex, kTilde, kDiaeresis,  kNone,
        kStroke, kGrave, kAcute,      kCircumflex, kDiaeresis,  kAcute, kNone,       kNone};
    for (char32_t cp = 0xC0; cp <= 0xDE; ++cp) {
      if (cp == 0xD7) continue;
      int k = static_cast<int>(cp - 0xC0);
      Set(cp, base_of[k], accents[k]);
      Set(cp + 0x20, base_of[k], accents[k]);
    }
    Set(0xC6, 'a', kNone, 'e');  // Æ æ = ae
    Set(0xE6, 'a', kNone, 'e');
    Set(0xDE, 't', kNone, 'h');  // Þ þ = th
    Set(0xFE, 't', kNone, 'h');
    Set(0xDF, 's', kNone, 's');  // ß = ss
    Set(0xFF, 'y', kDiaeresis);
    // Latin Extended-A.
    const struct {
      uint16_t cp;
      char base;
      uint8_t accent;
    } pairs[] = {
        {0x100, 'a', kMacron},     {0x102, 'a', kBreve},       {0x104, 'a', kOgonek},
        {0x106, 'c', kAcute},      {0x108, 'c', kCircumflex},  {0x10A, 'c', kDotAbove},
        {0x10C, 'c', kCaron},      {0x10E, 'd', kCaron},       {0x110, 'd', kStroke},
        {0x112, 'e', kMacron},     {0x114, 'e', kBreve},       {0x116, 'e', kDotAbove},
        {0x118, 'e', kOgonek},     {0x11A, 'e', kCaron},       {0x11C, 'g', kCircumflex},
        {0x11E, 'g', kBreve},      {0x120, 'g', kDotAbove},    {0x122, 'g', kCedilla},
        {0x124, 'h', kCircumflex}, {0x126, 'h', kStroke},      {0x128, 'i', kTilde},
        {0x12A, 'i', kMacron},     {0x12C, 'i', kBreve},       {0x12E, 'i', kOgonek},
        {0x134, 'j', kCircumflex}, {0x136, 'k', kCedilla},     {0x139, 'l', kAcute},
        {0x13B, 'l', kCedilla},    {0x13D, 'l', kCaron},       {0x13F, 'l', kMiddleDot},
        {0x141, 'l', kStroke},     {0x143, 'n', kAcute},       {0x145, 'n', kCedilla},
        {0x147, 'n', kCaron},      {0x14A, 'n', kEng},         {0x14C, 'o', kMacron},
        {0x14E, 'o', kBreve},      {0x150, 'o', kDoubleAcute}, {0x154, 'r', kAcute},
        {0x156, 'r', kCedilla},    {0x158, 'r', kCaron},       {0x15A, 's', kAcute},
        {0x15C, 's', kCircumflex}, {0x15E, 's', kCedilla},     {0x160, 's', kCaron},
        {0x162, 't', kCedilla},    {0x164, 't', kCaron},       {0x166, 't', kStroke},
        {0x168, 'u', kTilde},      {0x16A, 'u', kMacron},      {0x16C, 'u', kBreve},
        {0x16E, 'u', kRing},       {0x170, 'u', kDoubleAcute}, {0x172, 'u', kOgonek},
        {0x174, 'w', kCircumflex}, {0x176, 'y', kCircumflex},  {0x179, 'z', kAcute},
        {0x17B, 'z', kDotAbove},   {0x17D, 'z', kCaron},
    };
    for (const auto& p : pairs) Pair(p.cp, p.base, p.accent);
    Set(0x130, 'i', kDotAbove);
    Set(0x131, 'i', kDotless);
    Pair(0x132, 'i', kNone, 'j');  // Ĳ ĳ = ij
    Set(0x138, 'k', kKra);
    Set(0x149, 'n', kApostrophe);
    Pair(0x152, 'o', kNone, 'e');  // Œ œ = oe
    Set(0x178, 'y', kDiaeresis);
    Set(0x17F, 's', kLongS);
  }
};

const FoldTable& Folds() {
  static const FoldTable table;
  return table;
}

char32_t ToLowerCp(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return 'i';
    if (c == 0x178) return 0xFF;
    if ((c >= 0x100 && c <= 0x137 && c != 0x131) || (c >= 0x14A && c <= 0x177)) {
      return c % 2 == 0 ? c + 1 : c;
    }
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 1 ? c + 1 : c;
    return c;
  }
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 0x20;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 0x3F;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F)) {
    return c % 2 == 0 ? c + 1 : c;
  }
  if (c >= 0x4C1 && c <= 0x4CE) return c % 2 == 1 ? c + 1 : c;
  return c;
}

char32_t ToUpperCp(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
  if (c == 0xFF) return 0x178;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x131) return 'I';
    if (c == 0x17F) return 'S';
    if ((c >= 0x100 && c <= 0x137 && c != 0x130) || (c >= 0x14A && c <= 0x177)) {
      return c % 2 == 1 ? c - 1 : c;
    }
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 0 ? c - 1 : c;
    return c;
  }
  if (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) return c - 0x20;
  if (c == 0x3C2) return 0x3A3;  // final sigma
  if (c == 0x3AC) return 0x386;
  if (c >= 0x3AD && c <= 0x3AF) return c - 0x25;
  if (c == 0x3CC) return 0x38C;
  if (c == 0x3CD || c == 0x3CE) return c - 0x3F;
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F)) {
    return c % 2 == 1 ? c - 1 : c;
  }
  if (c >= 0x4C1 && c <= 0x4CE) return c % 2 == 0 ? c - 1 : c;
  return c;
}

struct AsciiWeights {
  uint32_t w[128];
  AsciiWeights() {
    for (uint32_t c = 0; c < 128; ++c) {
      if (c >= '0' && c <= '9') {
        w[c] = kDigitBase + (c - '0');
      } else if (c >= 'a' && c <= 'z') {
        w[c] = kLatinBase + (c - 'a');
      } else if (c >= 'A' && c <= 'Z') {
        w[c] = kLatinBase + (c - 'A');
      } else {
        w[c] = c + 1;
      }
    }
  }
};

const uint32_t* AsciiWeight() {
  static const AsciiWeights table;
  return table.w;
}

// The collation elements of one character: one or two primaries and an accent.
struct Element {
  uint32_t p1;
  uint32_t p2;  // 0 when the character does not expand
  uint8_t accent;
};

Element ElementOf(char32_t c) {
  if (c < 0x80) return {AsciiWeight()[c], 0, kNone};
  if (c >= 0xC0 && c < 0x180) {
    const LatinFold& f = Folds().f[c - 0xC0];
    if (f.base != 0) {
      uint32_t p2 = f.base2 != 0 ? kLatinBase + static_cast<uint32_t>(f.base2 - 'a') : 0;
      return {kLatinBase + static_cast<uint32_t>(f.base - 'a'), p2, f.accent};
    }
  }
  if (c < 0x180) return {static_cast<uint32_t>(c) + 1, 0, kNone};  // Latin-1 symbols, C1 controls
  if (c >= 0x370 && c < 0x400) return {kGreekBase + (ToLowerCp(c) - 0x370), 0, kNone};
  if (c >= 0x400 && c < 0x530) return {kCyrillicBase + (ToLowerCp(c) - 0x400), 0, kNone};
  if (c >= 0x2000 && c < 0x2C00) return {0x1000 + (c - 0x2000), 0, kNone};  // punctuation, symbols
  return {kOtherBase + static_cast<uint32_t>(c), 0, kNone};
}

// Streams the (primary, accent) weights of a UTF-8 string, expanding ß, æ, œ, ĳ and þ.
class WeightStream {
 public:
  WeightStream(std::string_view s, size_t pos) : s_(s), pos_(pos) {}
  bool Next(uint32_t* primary, uint8_t* accent) {
    if (pending_ != 0) {
      *primary = pending_;
      *accent = pending_accent_;
      pending_ = 0;
      return true;
    }
    if (pos_ >= s_.size()) return false;
    Element e = ElementOf(utf::NextCodePoint(s_, &pos_));
    *primary = e.p1;
    *accent = e.accent;
    pending_ = e.p2;
    pending_accent_ = e.accent;
    return true;
  }

 private:
  std::string_view s_;
  size_t pos_;
  uint32_t pending_ = 0;
  uint8_t pending_accent_ = 0;
};

std::string_view TrimTrailingSpaces(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && s[n - 1] == ' ') --n;
  return s.substr(0, n);
}

int CompareElements(const Element& a, const Element& b) {
  if (a.p1 != b.p1) return a.p1 < b.p1 ? -1 : 1;
  if (a.p2 != b.p2) return a.p2 < b.p2 ? -1 : 1;
  if (a.accent != b.accent) return a.accent < b.accent ? -1 : 1;
  return 0;
}

template <typename Map>
std::string MapCase(std::string_view s, Map map) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(map(c)));
      ++pos;
      continue;
    }
    utf::AppendUtf8(map(utf::NextCodePoint(s, &pos)), &out);
  }
  return out;
}

}  // namespace

int Compare(std::string_view a, std::string_view b) {
  // ANSI padding: trailing spaces never distinguish two strings.
  a = TrimTrailingSpaces(a);
  b = TrimTrailingSpaces(b);
  const uint32_t* w = AsciiWeight();
  size_t n = a.size() < b.size() ? a.size() : b.size();
  size_t i = 0;
  // Fast path: ASCII has one primary per character and no accents.
  for (; i < n; ++i) {
    unsigned char ca = static_cast<unsigned char>(a[i]);
    unsigned char cb = static_cast<unsigned char>(b[i]);
    if ((ca | cb) & 0x80) break;
    if (ca != cb && w[ca] != w[cb]) return w[ca] < w[cb] ? -1 : 1;
  }
  if (i == n) {
    if (a.size() == b.size()) return 0;
    return a.size() < b.size() ? -1 : 1;
  }
  // General path from the first non-ASCII character: letters with case and accents removed
  // decide; the first accent difference breaks a tie.
  WeightStream sa(a, i), sb(b, i);
  int secondary = 0;
  for (;;) {
    uint32_t pa, pb;
    uint8_t aa, ab;
    bool ha = sa.Next(&pa, &aa);
    bool hb = sb.Next(&pb, &ab);
    if (!ha || !hb) {
      if (ha != hb) return ha ? 1 : -1;
      return secondary;
    }
    if (pa != pb) return pa < pb ? -1 : 1;
    if (secondary == 0 && aa != ab) secondary = aa < ab ? -1 : 1;
  }
}

std::string Upper(std::string_view s) { return MapCase(s, ToUpperCp); }
std::string Lower(std::string_view s) { return MapCase(s, ToLowerCp); }

namespace {

struct LikeMatcher {
  std::string_view text;
  std::string_view pat;
  char32_t escape;
  size_t text_end;  // text.size() less the trailing blanks that may go unmatched

  // Matches one pattern element at *pp against character c; advances *pp past the element.
  // Returns false if the element does not match. `*is_percent` reports a '%' element.
  bool MatchElement(size_t* pp, char32_t c, bool have_char, bool* is_percent) const {
    *is_percent = false;
    size_t p = *pp;
    char32_t e = utf::NextCodePoint(pat, &p);
    if (escape != 0 && e == escape && p < pat.size()) {
      char32_t lit = utf::NextCodePoint(pat, &p);
      *pp = p;
      return have_char && ToLowerCp(lit) == ToLowerCp(c);
    }
    if (e == '%') {
      *pp = p;
      *is_percent = true;
      return true;
    }
    if (e == '_') {
      *pp = p;
      return have_char;
    }
    if (e == '[') {
      size_t close = FindClose(p);
      if (close != std::string_view::npos) {
        *pp = close + 1;
        return have_char && InClass(p, close, c);
      }
    }
    *pp = p;
    return have_char && ToLowerCp(e) == ToLowerCp(c);
  }

  // The ']' that closes a class opened before `p`; a ']' right after '[' or '[^' is literal.
  size_t FindClose(size_t p) const {
    size_t q = p;
    if (q < pat.size() && pat[q] == '^') ++q;
    if (q < pat.size() && pat[q] == ']') ++q;
    size_t close = pat.find(']', q);
    return close;
  }

  bool InClass(size_t p, size_t close, char32_t c) const {
    bool negate = false;
    if (p < close && pat[p] == '^') {
      negate = true;
      ++p;
    }
    bool hit = false;
    Element ec = ElementOf(c);
    while (p < close) {
      char32_t lo = utf::NextCodePoint(pat, &p);
      if (p + 1 < close && pat[p] == '-') {
        ++p;
        char32_t hi = utf::NextCodePoint(pat, &p);
        // [a-z]: a range in the collation's order, so 'B' and 'é' fall in [a-z].
        if (CompareElements(ElementOf(lo), ec) <= 0 && CompareElements(ec, ElementOf(hi)) <= 0) {
          hit = true;
        }
      } else if (ToLowerCp(lo) == ToLowerCp(c)) {
        hit = true;
      }
    }
    return hit != negate;
  }

  // True if the pattern from `p` on matches the empty string (only '%' remain).
  bool OnlyPercents(size_t p) const {
    while (p < pat.size()) {
      bool is_percent;
      MatchElement(&p, 0, false, &is_percent);
      if (!is_percent) return false;
    }
    return true;
  }

  bool Match() const {
    size_t t = 0, p = 0;
    size_t star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
      // Trailing blanks of a char/varchar expression are ignored: the match may end anywhere
      // among them.
      if (t >= text_end && OnlyPercents(p)) return true;
      size_t t_next = t;
      char32_t c = utf::NextCodePoint(text, &t_next);
      if (p < pat.size()) {
        size_t p_next = p;
        bool is_percent;
        bool ok = MatchElement(&p_next, c, true, &is_percent);
        if (is_percent) {
          star_p = p_next;
          star_t = t;
          p = p_next;
          continue;
        }
        if (ok) {
          p = p_next;
          t = t_next;
          continue;
        }
      }
      if (star_p == std::string_view::npos) return false;
      // Backtrack: the last '%' absorbs one more character.
      p = star_p;
      utf::NextCodePoint(text, &star_t);
      t = star_t;
    }
    return OnlyPercents(p);
  }
};

}  // namespace

bool Like(std::string_view text, std::string_view pattern, char32_t escape, bool unicode) {
  // "LIKE (Transact-SQL)": trailing blanks in the pattern are significant; trailing blanks in the
  // matched expression are ignored for char/varchar but significant for nchar/nvarchar.
  size_t end = unicode ? text.size() : TrimTrailingSpaces(text).size();
  LikeMatcher m{text, pattern, escape, end};
  return m.Match();
}

}  // namespace edgesql::collation
