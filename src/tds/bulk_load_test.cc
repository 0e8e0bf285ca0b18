// BULK LOAD decoding: the [MS-TDS] 4.12 example, streams shaped like FreeTDS, pytds and
// go-mssqldb send them, round trips of every type, arbitrary part boundaries, and every way the
// stream can be malformed.
#include "tds/bulk_load.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "tds/client_messages.h"
#include "tds/packet.h"
#include "types/convert.h"
#include "types/guid.h"

namespace edgesql::tds {
namespace {

const std::array<uint8_t, 5> kColl = {0x09, 0x04, 0xD0, 0x00, 0x34};

struct Decoded {
  std::vector<BulkColumn> columns;
  std::vector<std::vector<Value>> rows;
  SqlError error;  // number 0 when the stream decoded to its end
};

// Feeds `payload` in parts of `part` bytes (all of it at once when 0) and decodes to the end.
Decoded DecodeAll(ByteView payload, TdsVersion version = TdsVersion::k74, size_t part = 0,
                  size_t max_row_bytes = BulkLoadDecoder::kDefaultMaxRowBytes) {
  BulkLoadDecoder d(version, DecodeLimits{}, max_row_bytes);
  Decoded out;
  size_t pos = 0;
  std::vector<Value> row;
  while (true) {
    auto item = d.Next(&row);
    if (!item.ok()) {
      out.error = item.error();
      break;
    }
    if (*item == BulkLoadDecoder::Item::kRow) {
      out.rows.push_back(row);
      continue;
    }
    if (*item == BulkLoadDecoder::Item::kDone) break;
    if (pos == payload.size()) {
      d.Finish();
      continue;
    }
    size_t n = part == 0 ? payload.size() : std::min(part, payload.size() - pos);
    d.Append(payload.subspan(pos, n));
    pos += n;
  }
  out.columns = d.columns();
  return out;
}

BulkColumn Col(const std::string& name, const TypeInfo& ti, uint16_t flags = kColNullable) {
  BulkColumn c;
  c.name = name;
  c.type_info = ti;
  c.flags = flags;
  return c;
}

TypeInfo Ti(const SqlType& t) { return WireTypeFor(t, TdsVersion::k74); }

// TEXT/NTEXT/IMAGE TYPE_INFO as a client declares them (collation for the text types).
TypeInfo MakeLegacy(uint8_t type) {
  TypeInfo ti;
  ti.type = type;
  ti.max_length = type == kTypeNText ? 0x7FFFFFFE : 0x7FFFFFFF;
  if (ti.HasCollation()) ti.collation = kColl;
  return ti;
}

// [MS-TDS] 4.12: one bit column "c1", one row (0), DONE.
TEST(BulkLoadTest, SpecExample) {
  const uint8_t kSpec[] = {0x07, 0x01, 0x00, 0x26, 0x00, 0x00, 0x01, 0x00, 0x81, 0x01,
                           0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x32, 0x02, 0x63,
                           0x00, 0x31, 0x00, 0xD1, 0x00, 0xFD, 0x00, 0x00, 0x00, 0x00,
                           0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  MessageAssembler a;
  ASSERT_TRUE(a.Feed(kSpec).ok());
  auto m = a.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, kPacketBulkLoad);
  Decoded d = DecodeAll(m->payload, TdsVersion::k72);
  ASSERT_EQ(d.error.number, 0) << d.error.message;
  ASSERT_EQ(d.columns.size(), 1u);
  EXPECT_EQ(d.columns[0].name, "c1");
  EXPECT_EQ(d.columns[0].flags, 0x0005);
  EXPECT_EQ(d.columns[0].type_info.type, kTypeBit);
  ASSERT_EQ(d.rows.size(), 1u);
  EXPECT_EQ(d.rows[0][0], Value::Int(SqlType::Bit(), 0));
}

// What freebcp sends for (id int NOT NULL, name nvarchar(20) NULL, amount decimal(38,10)):
// the server's COLMETADATA types, full-size decimals, CHARBIN_NULL / zero lengths for NULL, and
// no DONE at the end of the message.
TEST(BulkLoadTest, FreeTdsStreamWithoutDone) {
  Bytes p = {0x81, 0x03, 0x00,
             // id: UserType 0, flags 0x0008 (updatable unknown), INTN(4)
             0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x26, 0x04, 0x02, 'i', 0, 'd', 0,
             // name: nullable, NVARCHAR(40 bytes) + collation
             0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0xE7, 0x28, 0x00, 0x09, 0x04, 0xD0, 0x00, 0x34,
             0x04, 'n', 0, 'a', 0, 'm', 0, 'e', 0,
             // amount: DECIMALN(17, 38, 10)
             0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x6A, 0x11, 0x26, 0x0A, 0x01, 'a', 0,
             // row 1: 7, N'h\u00e9', 12.5 (125000000000 at scale 10)
             0xD1, 0x04, 0x07, 0x00, 0x00, 0x00, 0x04, 0x00, 'h', 0, 0xE9, 0x00, 0x11, 0x01, 0x00,
             0xA2, 0x94, 0x1A, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
             0x00,
             // row 2: -1, NULL, NULL
             0xD1, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
  Decoded d = DecodeAll(p);
  ASSERT_EQ(d.error.number, 0) << d.error.message;
  ASSERT_EQ(d.rows.size(), 2u);
  EXPECT_EQ(d.rows[0][0], Value::Int(SqlType::Int(), 7));
  EXPECT_EQ(d.rows[0][1], Value::Str(SqlType::NVarChar(20), "h\xC3\xA9"));
  EXPECT_EQ(d.rows[0][2], Value::Dec(SqlType::Decimal(38, 10), Decimal(125000000000, 10)));
  EXPECT_EQ(d.rows[1][0], Value::Int(SqlType::Int(), -1));
  EXPECT_TRUE(d.rows[1][1].is_null());
  EXPECT_TRUE(d.rows[1][2].is_null());
  EXPECT_EQ(d.rows[1][2].type(), SqlType::Decimal(38, 10));
}

// pytds: nvarchar(max) values as PLP_UNKNOWN_LEN with one chunk and the terminator; NULL is
// PLP_NULL; DONE at the end.
TEST(BulkLoadTest, PytdsPlpUnknownLength) {
  Bytes p = {0x81, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0xE7, 0xFF, 0xFF};
  p.insert(p.end(), kColl.begin(), kColl.end());
  Bytes tail = {0x01, 'v', 0,
                // row: "ab" in one chunk of 4 bytes
                0xD1, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x04, 0x00, 0x00, 0x00, 'a',
                0, 'b', 0, 0x00, 0x00, 0x00, 0x00,
                // row: empty string (no chunk)
                0xD1, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00,
                // row: NULL
                0xD1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                // DONE
                0xFD, 0x00, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
  p.insert(p.end(), tail.begin(), tail.end());
  Decoded d = DecodeAll(p);
  ASSERT_EQ(d.error.number, 0) << d.error.message;
  ASSERT_EQ(d.rows.size(), 3u);
  EXPECT_EQ(d.rows[0][0], Value::Str(SqlType::NVarChar(SqlType::kMax), "ab"));
  EXPECT_EQ(d.rows[1][0], Value::Str(SqlType::NVarChar(SqlType::kMax), ""));
  EXPECT_TRUE(d.rows[2][0].is_null());
}

std::vector<BulkColumn> AllTypes(TdsVersion v) {
  std::vector<BulkColumn> c = {Col("ti", Ti(SqlType::TinyInt())),
                               Col("si", Ti(SqlType::SmallInt())),
                               Col("i", Ti(SqlType::Int())),
                               Col("bi", Ti(SqlType::BigInt())),
                               Col("b", Ti(SqlType::Bit())),
                               Col("r", Ti(SqlType::Real())),
                               Col("f", Ti(SqlType::Float())),
                               Col("d", Ti(SqlType::Decimal(38, 10))),
                               Col("n", Ti(SqlType::Numeric(9, 2))),
                               Col("m", Ti(SqlType::Money())),
                               Col("sm", Ti(SqlType::SmallMoney())),
                               Col("c", Ti(SqlType::Char(4))),
                               Col("vc", Ti(SqlType::VarChar(10))),
                               Col("nc", Ti(SqlType::NChar(3))),
                               Col("nv", Ti(SqlType::NVarChar(20))),
                               Col("bin", Ti(SqlType::Binary(3))),
                               Col("vb", Ti(SqlType::VarBinary(8))),
                               Col("dt", Ti(SqlType::DateTime())),
                               Col("sdt", Ti(SqlType::SmallDateTime())),
                               Col("g", Ti(SqlType::UniqueIdentifier())),
                               Col("txt", MakeLegacy(kTypeText)),
                               Col("ntxt", MakeLegacy(kTypeNText)),
                               Col("img", MakeLegacy(kTypeImage))};
  if (HasPlp(v)) {
    c.push_back(Col("vmax", Ti(SqlType::VarChar(SqlType::kMax))));
    c.push_back(Col("nvmax", Ti(SqlType::NVarChar(SqlType::kMax))));
    c.push_back(Col("vbmax", Ti(SqlType::VarBinary(SqlType::kMax))));
  }
  if (HasDateTimeTypes(v)) {
    c.push_back(Col("da", Ti(SqlType::Date())));
    c.push_back(Col("tm", Ti(SqlType::Time(7))));
    c.push_back(Col("dt2", Ti(SqlType::DateTime2(7))));
    c.push_back(Col("dto", Ti(SqlType::DateTimeOffset(3))));
  }
  return c;
}

// The storage ticks of a date/time literal of type t.
int64_t Ticks(const char* text, const SqlType& t) {
  auto v = Convert(Value::VarChar(text), t);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? v->AsInt() : 0;
}

std::vector<Value> SampleRow(const std::vector<BulkColumn>& cols) {
  std::vector<Value> row;
  for (const BulkColumn& c : cols) {
    SqlType t = SqlTypeOf(c.type_info);
    switch (t.id) {
      case TypeId::kTinyInt:
        row.push_back(Value::Int(t, 255));
        break;
      case TypeId::kSmallInt:
        row.push_back(Value::Int(t, -32768));
        break;
      case TypeId::kInt:
        row.push_back(Value::Int(t, 2147483647));
        break;
      case TypeId::kBigInt:
        row.push_back(Value::Int(t, -9223372036854775807LL - 1));
        break;
      case TypeId::kBit:
        row.push_back(Value::Int(t, 1));
        break;
      case TypeId::kReal:
        row.push_back(Value::Float(t, 1.5));
        break;
      case TypeId::kFloat:
        row.push_back(Value::Float(t, -2.25e300));
        break;
      case TypeId::kDecimal:
        row.push_back(Value::Dec(
            t, Decimal(static_cast<__int128>(9999999999999999999ULL) * 10000000000000000000ULL +
                           9999999999999999999ULL,
                       10)));
        break;
      case TypeId::kNumeric:
        row.push_back(Value::Dec(t, Decimal(-1234567, 2)));
        break;
      case TypeId::kMoney:
        row.push_back(Value::Dec(t, Decimal(-922337203685477LL * 10000 - 5808, 4)));
        break;
      case TypeId::kSmallMoney:
        row.push_back(Value::Dec(t, Decimal(2147483647, 4)));
        break;
      case TypeId::kChar:
        row.push_back(Value::Str(t, "ab  "));
        break;
      case TypeId::kVarChar:
        row.push_back(Value::Str(t, t.IsMax() ? std::string(70000, 'x') : "caf\xC3\xA9"));
        break;
      case TypeId::kNChar:
        row.push_back(Value::Str(t, "\xE6\x97\xA5\xE6\x9C\xAC "));
        break;
      case TypeId::kNVarChar:
        row.push_back(Value::Str(
            t, t.IsMax() ? std::string(9000, 'y') + "\xF0\x9F\x98\x80" : "\xCE\xB1\xCE\xB2"));
        break;
      case TypeId::kBinary:
        row.push_back(Value::Str(t, std::string("\x00\x01\xFF", 3)));
        break;
      case TypeId::kVarBinary:
        row.push_back(
            Value::Str(t, t.IsMax() ? std::string(10000, '\x7F') : std::string("\x00", 1)));
        break;
      case TypeId::kDateTime:
        row.push_back(Value::Int(t, Ticks("2024-02-29 23:59:59.997", t)));
        break;
      case TypeId::kSmallDateTime:
        row.push_back(Value::Int(t, Ticks("2079-06-06 23:59", t)));
        break;
      case TypeId::kDate:
        row.push_back(Value::Int(t, Ticks("0001-01-01", t)));
        break;
      case TypeId::kTime:
        row.push_back(Value::Int(t, Ticks("23:59:59.9999999", t)));
        break;
      case TypeId::kDateTime2:
        row.push_back(Value::Int(t, Ticks("9999-12-31 23:59:59.9999999", t)));
        break;
      case TypeId::kDateTimeOffset:
        row.push_back(Value::Dto(
            t, DateTimeOffset{Ticks("2024-01-02 03:04:05.123", SqlType::DateTime2(3)), -330}));
        break;
      case TypeId::kUniqueIdentifier:
        row.push_back(Value::Uuid(*guid::Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF")));
        break;
      default:
        ADD_FAILURE() << "no sample for " << t.ToString();
        row.push_back(Value::Null(t));
    }
  }
  return row;
}

std::vector<Value> NullRow(const std::vector<BulkColumn>& cols) {
  std::vector<Value> row;
  for (const BulkColumn& c : cols) row.push_back(Value::Null(SqlTypeOf(c.type_info)));
  return row;
}

void RoundTrip(TdsVersion version, bool with_done) {
  std::vector<BulkColumn> cols = AllTypes(version);
  for (BulkColumn& c : cols) {
    if (c.type_info.IsLegacyLob()) c.table_name = "dbo.t";
  }
  std::vector<std::vector<Value>> rows = {SampleRow(cols), NullRow(cols), SampleRow(cols)};
  auto payload = client::EncodeBulkLoad(cols, rows, version, with_done);
  ASSERT_TRUE(payload.ok()) << payload.status().ToString();
  // All at once, and in parts that cut every token somewhere.
  for (size_t part : {size_t{0}, size_t{1}, size_t{7}, size_t{4096 - 8}}) {
    Decoded d = DecodeAll(*payload, version, part);
    ASSERT_EQ(d.error.number, 0) << d.error.message;
    ASSERT_EQ(d.columns.size(), cols.size());
    for (size_t i = 0; i < cols.size(); ++i) {
      EXPECT_EQ(d.columns[i].name, cols[i].name);
      EXPECT_EQ(d.columns[i].type_info, cols[i].type_info) << cols[i].name;
      EXPECT_EQ(d.columns[i].table_name, cols[i].table_name);
    }
    ASSERT_EQ(d.rows.size(), rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t i = 0; i < cols.size(); ++i) {
        EXPECT_EQ(d.rows[r][i], rows[r][i])
            << "row " << r << " column " << cols[i].name << ": " << d.rows[r][i].DebugString();
      }
    }
  }
}

TEST(BulkLoadTest, RoundTripEveryType74) { RoundTrip(TdsVersion::k74, true); }
TEST(BulkLoadTest, RoundTripWithoutDone) { RoundTrip(TdsVersion::k73B, false); }
TEST(BulkLoadTest, RoundTrip72) { RoundTrip(TdsVersion::k72, true); }
TEST(BulkLoadTest, RoundTrip71) { RoundTrip(TdsVersion::k71, true); }

TEST(BulkLoadTest, NbcRow) {
  Bytes p = {0x81, 0x02, 0x00, 0, 0, 0, 0, 0x01, 0x00, 0x26, 0x04, 0x01, 'a', 0, 0, 0, 0, 0, 0x01,
             0x00, 0x26, 0x02, 0x01, 'b', 0,
             // NBCROW: a NULL, b = 5
             0xD2, 0x01, 0x02, 0x05, 0x00};
  Decoded d = DecodeAll(p);
  ASSERT_EQ(d.error.number, 0) << d.error.message;
  ASSERT_EQ(d.rows.size(), 1u);
  EXPECT_TRUE(d.rows[0][0].is_null());
  EXPECT_EQ(d.rows[0][1], Value::Int(SqlType::SmallInt(), 5));
}

TEST(BulkLoadTest, EmptyLoad) {
  auto payload = client::EncodeBulkLoad(std::vector<BulkColumn>{Col("a", Ti(SqlType::Int()))},
                                        std::vector<std::vector<Value>>{}, TdsVersion::k74);
  Decoded d = DecodeAll(*payload);
  EXPECT_EQ(d.error.number, 0);
  EXPECT_TRUE(d.rows.empty());
}

// A value far larger than a part is read once it is complete, however it was cut.
TEST(BulkLoadTest, LargeValueAcrossManyParts) {
  std::vector<BulkColumn> cols = {Col("v", Ti(SqlType::VarBinary(SqlType::kMax)))};
  std::vector<std::vector<Value>> rows = {
      {Value::Str(SqlType::VarBinary(SqlType::kMax), std::string(3 << 20, 'z'))}};
  auto payload = client::EncodeBulkLoad(cols, rows, TdsVersion::k74);
  Decoded d = DecodeAll(*payload, TdsVersion::k74, 4088);
  ASSERT_EQ(d.error.number, 0) << d.error.message;
  ASSERT_EQ(d.rows.size(), 1u);
  EXPECT_EQ(d.rows[0][0].AsString().size(), size_t{3} << 20);
  // Above the row bound: 8019, with statement scope (the connection goes on).
  Decoded big = DecodeAll(*payload, TdsVersion::k74, 4088, 1 << 20);
  EXPECT_EQ(big.error.number, errors::kRequestTooLarge);
  EXPECT_EQ(big.error.scope, ErrorScope::kStatement);
}

TEST(BulkLoadTest, Errors) {
  auto error_of = [](Bytes p) { return DecodeAll(p).error; };
  // xml (0xF1) is not a bulk load type: 4816 for colid 2.
  SqlError e = error_of({0x81, 0x02, 0x00, 0, 0, 0, 0, 0,    0,    0x26, 0x04, 0x01, 'a',
                         0,    0,    0,    0, 0, 0, 0, 0xF1, 0x00, 0x01, 'x',  0});
  EXPECT_EQ(e.number, errors::kBulkInvalidColumnType);
  EXPECT_EQ(e.message, "Invalid column type from bcp client for colid 2.");
  EXPECT_EQ(e.scope, ErrorScope::kStatement);
  // A value longer than its column: 4815.
  e = error_of({0x81, 0x01, 0x00, 0,   0, 0,    0,    0,    0,   0xE7, 0x04, 0x00, 0x09, 0x04, 0xD0,
                0x00, 0x34, 0x01, 'n', 0, 0xD1, 0x06, 0x00, 'a', 0,    'b',  0,    'c',  0});
  EXPECT_EQ(e.number, errors::kBulkInvalidColumnLength);
  EXPECT_EQ(e.message, "Received an invalid column length from the bcp client for colid 1.");
  // An INTN value of the wrong size: 4815 as well.
  e = error_of({0x81, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0x26, 0x04, 0x01, 'a', 0, 0xD1, 0x02, 1, 0});
  EXPECT_EQ(e.number, errors::kBulkInvalidColumnLength);
  // decimal(2,0) holding 100 in the second row: 4864 naming row 2, column 1.
  e = error_of({0x81, 0x01, 0x00, 0,    0,    0, 0, 0, 0,    0x6A, 0x05, 0x02, 0x00, 0x01, 'd',
                0,    0xD1, 0x05, 0x01, 0x63, 0, 0, 0, 0xD1, 0x05, 0x01, 0x64, 0,    0,    0});
  EXPECT_EQ(e.number, errors::kBulkConversion);
  EXPECT_EQ(e.message,
            "Bulk load data conversion error (type mismatch or invalid character for the "
            "specified codepage) for row 2, column 1 (d).");
  // The message ends inside a row: 4804.
  e = error_of({0x81, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0x26, 0x04, 0x01, 'a', 0, 0xD1, 0x04, 1, 0});
  EXPECT_EQ(e.number, errors::kBulkPrematureEnd);
  // An empty message, and one ending inside COLMETADATA: 4804.
  EXPECT_EQ(error_of({}).number, errors::kBulkPrematureEnd);
  EXPECT_EQ(error_of({0x81, 0x01}).number, errors::kBulkPrematureEnd);
  // A row before COLMETADATA, a second COLMETADATA, an unknown token, data after DONE: 4002
  // with statement scope.
  e = error_of({0xD1, 0x00});
  EXPECT_EQ(e.number, errors::kProtocolStreamIncorrect);
  EXPECT_EQ(e.scope, ErrorScope::kStatement);
  EXPECT_EQ(error_of({0x81, 0x00, 0x00, 0x81, 0x00, 0x00}).number,
            errors::kProtocolStreamIncorrect);
  EXPECT_EQ(error_of({0x81, 0x00, 0x00, 0xAB}).number, errors::kProtocolStreamIncorrect);
  EXPECT_EQ(error_of({0x81, 0x00, 0x00, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xD1}).number,
            errors::kProtocolStreamIncorrect);
  // No metadata (0xFFFF) and a column name that is not UTF-16.
  EXPECT_EQ(error_of({0x81, 0xFF, 0xFF}).number, errors::kProtocolStreamIncorrect);
  EXPECT_EQ(error_of({0x81, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0x26, 0x04, 0x01, 0x00, 0xDC}).number,
            errors::kProtocolStreamIncorrect);
}

// The assembler streams BULK LOAD messages in parts and leaves other messages whole.
TEST(BulkLoadTest, AssemblerStreamsBulkLoad) {
  Bytes payload(200000);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 7);
  Bytes wire = client::Packetize(kPacketBulkLoad, payload, 4096);
  Bytes batch = client::EncodeSqlBatch("select 1", TdsVersion::k74);
  Bytes batch_wire = client::Packetize(kPacketSqlBatch, batch, 4096);
  wire.insert(wire.end(), batch_wire.begin(), batch_wire.end());
  // A message bound smaller than the bulk load: it applies to the batch only.
  MessageAssembler a(AssemblerLimits{4096, 100000});
  a.set_streamed_type(kPacketBulkLoad, 65536);
  ASSERT_TRUE(a.Feed(wire).ok());
  Bytes joined;
  size_t parts = 0;
  std::optional<Message> m;
  while ((m = a.Next()) && m->type == kPacketBulkLoad) {
    EXPECT_EQ(m->continued, parts > 0);
    joined.insert(joined.end(), m->payload.begin(), m->payload.end());
    ++parts;
    if (!m->partial) break;
    EXPECT_GE(m->payload.size(), 65536u);
  }
  EXPECT_EQ(joined, payload);
  EXPECT_EQ(parts, 3u);  // 17 packets of 4088 bytes make a part
  m = a.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, kPacketSqlBatch);
  EXPECT_FALSE(m->partial);
  EXPECT_FALSE(m->continued);
  EXPECT_EQ(m->payload, batch);
}

// A streamed message the client abandons (IGNORE with EOM) still ends with a part carrying the
// IGNORE bit, since its first parts are out already; an unstreamed one simply disappears.
TEST(BulkLoadTest, AssemblerAbandonedStream) {
  Bytes wire = client::Packetize(kPacketBulkLoad, Bytes(10000, 1), 4096);
  wire[4096 * 2 + 1] |= kStatusIgnore;  // the last packet's status
  MessageAssembler a;
  a.set_streamed_type(kPacketBulkLoad, 4000);
  ASSERT_TRUE(a.Feed(wire).ok());
  std::optional<Message> m, last;
  while ((m = a.Next())) last = m;
  ASSERT_TRUE(last);
  EXPECT_FALSE(last->partial);
  EXPECT_TRUE(last->continued);
  EXPECT_TRUE(last->last_status & kStatusIgnore);

  MessageAssembler whole;
  whole.set_streamed_type(kPacketBulkLoad, 1 << 20);
  ASSERT_TRUE(whole.Feed(wire).ok());
  EXPECT_FALSE(whole.Next());
}

}  // namespace
}  // namespace edgesql::tds
