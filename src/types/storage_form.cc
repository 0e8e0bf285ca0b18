#include "types/storage_form.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/errors.h"
#include "types/guid.h"

namespace edgesql {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void AppendBlobLiteral(std::string_view bytes, std::string* out) {
  out->append("X'");
  for (unsigned char c : bytes) {
    out->push_back(kHex[c >> 4]);
    out->push_back(kHex[c & 15]);
  }
  out->push_back('\'');
}

// The shortest %.{15,16,17}g form that reads back as the same double, always with a '.' or an
// exponent so that SQLite types the literal REAL and never INTEGER.
std::string RealLiteral(double d) {
  if (std::isnan(d)) return "NULL";
  if (std::isinf(d)) return d > 0 ? "9e999" : "-9e999";  // SQLite reads these as +/-Inf
  char buf[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string s(buf);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string DtoKey(const DateTimeOffset& d) {
  std::string key(10, '\0');
  uint64_t t = static_cast<uint64_t>(d.utc_ticks);
  for (int i = 0; i < 8; ++i) key[i] = static_cast<char>(t >> (8 * (7 - i)));
  uint16_t off = static_cast<uint16_t>(static_cast<int32_t>(d.offset_minutes) + 0x8000);
  key[8] = static_cast<char>(off >> 8);
  key[9] = static_cast<char>(off);
  return key;
}

SqlError Mismatch(const SqlType& type, const char* stored) {
  return errors::Make(errors::kErrorConvertingDataType, {stored, type.Name()});
}

}  // namespace

StorageClass StorageClassOf(TypeId type) {
  switch (type) {
    case TypeId::kNull:
      return StorageClass::kNull;
    case TypeId::kBit:
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kDateTime:
    case TypeId::kSmallDateTime:
    case TypeId::kDateTime2:
      return StorageClass::kInteger;
    case TypeId::kReal:
    case TypeId::kFloat:
      return StorageClass::kReal;
    case TypeId::kChar:
    case TypeId::kVarChar:
    case TypeId::kNChar:
    case TypeId::kNVarChar:
      return StorageClass::kText;
    case TypeId::kDecimal:
    case TypeId::kNumeric:
    case TypeId::kMoney:
    case TypeId::kSmallMoney:
    case TypeId::kBinary:
    case TypeId::kVarBinary:
    case TypeId::kDateTimeOffset:
    case TypeId::kUniqueIdentifier:
      return StorageClass::kBlob;
  }
  return StorageClass::kNull;
}

const char* SqliteColumnType(const SqlType& type) {
  switch (StorageClassOf(type.id)) {
    case StorageClass::kInteger:
      return "INTEGER";
    case StorageClass::kReal:
      return "REAL";
    case StorageClass::kText:
      return "TEXT COLLATE CI_AS";
    default:
      return "BLOB";
  }
}

void ToStored(const Value& value, StoredValue* out) {
  out->i = 0;
  out->d = 0;
  out->bytes.clear();
  if (value.is_null()) {
    out->cls = StorageClass::kNull;
    return;
  }
  const SqlType& t = value.type();
  out->cls = StorageClassOf(t.id);
  switch (out->cls) {
    case StorageClass::kInteger:
      out->i = value.AsInt();
      break;
    case StorageClass::kReal:
      out->d = value.AsDouble();
      break;
    case StorageClass::kText:
      out->bytes = value.AsString();
      break;
    case StorageClass::kBlob:
      if (t.IsDecimalLike()) {
        out->bytes = value.AsDecimal().ToKey();
      } else if (t.id == TypeId::kDateTimeOffset) {
        out->bytes = DtoKey(value.AsDateTimeOffset());
      } else if (t.id == TypeId::kUniqueIdentifier) {
        out->bytes = guid::ToSortKey(value.AsGuid());
      } else {
        out->bytes = value.AsString();
      }
      break;
    case StorageClass::kNull:
      break;
  }
}

StoredValue ToStored(const Value& value) {
  StoredValue s;
  ToStored(value, &s);
  return s;
}

Result<Value> FromStored(const StoredValue& stored, const SqlType& type) {
  if (stored.cls == StorageClass::kNull) return Value::Null(type);
  StorageClass want = StorageClassOf(type.id);
  if (type.IsNull()) return Mismatch(type, "sql_variant");
  // REAL columns may hand back an integral value as INTEGER (SQLite's REAL affinity stores
  // whole numbers compactly); accept it as the same number.
  if (want == StorageClass::kReal && stored.cls == StorageClass::kInteger) {
    double d = static_cast<double>(stored.i);
    if (type.id == TypeId::kReal) d = static_cast<float>(d);
    return Value::Float(type, d);
  }
  if (stored.cls != want) {
    const char* names[] = {"NULL", "INTEGER", "REAL", "TEXT", "BLOB"};
    return Mismatch(type, names[static_cast<int>(stored.cls)]);
  }
  switch (want) {
    case StorageClass::kInteger:
      return Value::Int(type, stored.i);
    case StorageClass::kReal:
      return Value::Float(type, stored.d);
    case StorageClass::kText:
      return Value::Str(type, stored.bytes);
    case StorageClass::kBlob:
      if (type.IsDecimalLike()) {
        std::optional<Decimal> d = Decimal::FromKey(stored.bytes);
        if (!d) return Mismatch(type, "BLOB");
        // Present the value at the type's scale (the key is scale-free).
        int scale = type.id == TypeId::kMoney || type.id == TypeId::kSmallMoney ? 4 : type.scale;
        std::optional<Decimal> r = d->Rescale(scale);
        if (!r) return Mismatch(type, "BLOB");
        return Value::Dec(type, *r);
      }
      if (type.id == TypeId::kDateTimeOffset) {
        if (stored.bytes.size() != 10) return Mismatch(type, "BLOB");
        uint64_t t = 0;
        for (int i = 0; i < 8; ++i) t = t << 8 | static_cast<uint8_t>(stored.bytes[i]);
        int32_t off =
            (static_cast<uint8_t>(stored.bytes[8]) << 8 | static_cast<uint8_t>(stored.bytes[9])) -
            0x8000;
        return Value::Dto(type, DateTimeOffset{static_cast<int64_t>(t), static_cast<int16_t>(off)});
      }
      if (type.id == TypeId::kUniqueIdentifier) {
        std::optional<Guid> g = guid::FromSortKey(stored.bytes);
        if (!g) return Mismatch(type, "BLOB");
        return Value::Uuid(*g);
      }
      return Value::Str(type, stored.bytes);
    case StorageClass::kNull:
      break;
  }
  return Value::Null(type);
}

std::string SqliteLiteral(const Value& value) {
  StoredValue s = ToStored(value);
  std::string out;
  switch (s.cls) {
    case StorageClass::kNull:
      return "NULL";
    case StorageClass::kInteger:
      return std::to_string(s.i);
    case StorageClass::kReal:
      return RealLiteral(s.d);
    case StorageClass::kText:
      // A NUL cannot appear inside an SQL string literal; such text is spelled as a blob cast
      // to TEXT, which SQLite reads as the same UTF-8 bytes.
      if (s.bytes.find('\0') != std::string::npos) {
        out = "CAST(";
        AppendBlobLiteral(s.bytes, &out);
        out += " AS TEXT)";
        return out;
      }
      out.reserve(s.bytes.size() + 2);
      out.push_back('\'');
      for (char c : s.bytes) {
        if (c == '\'') out.push_back('\'');
        out.push_back(c);
      }
      out.push_back('\'');
      return out;
    case StorageClass::kBlob:
      AppendBlobLiteral(s.bytes, &out);
      return out;
  }
  return "NULL";
}

}  // namespace edgesql
