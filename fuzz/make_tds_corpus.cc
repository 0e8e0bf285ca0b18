// Writes the seed corpus of tds_decoder_fuzz: the example messages of [MS-TDS] section 4 and
// messages shaped like those of real clients (tedious, FreeTDS, jTDS, go-mssqldb, pytds), each
// file a selector byte (see tds_decoder_fuzz.cc) followed by the client's packets.
//
//   make_tds_corpus <directory>
#include <cstdio>
#include <string>
#include <vector>

#include "tds/client_messages.h"
#include "tds/protocol.h"
#include "tds/type_info.h"
#include "types/guid.h"

namespace edgesql::tds {
namespace {

// Selector: version index in bits 0-2 (0 = 7.1 ... 4 = 7.4), whole-buffer feeding (7 << 3), and
// packet size 32767 (3 << 6) unless the seed needs another.
uint8_t Selector(TdsVersion v, uint8_t chunk = 7, uint8_t packet = 3) {
  uint8_t index = v == TdsVersion::k71    ? 0
                  : v == TdsVersion::k72  ? 1
                  : v == TdsVersion::k73A ? 2
                  : v == TdsVersion::k73B ? 3
                                          : 4;
  return static_cast<uint8_t>(index | (chunk << 3) | (packet << 6));
}

struct Seed {
  std::string name;
  Bytes bytes;
};

std::vector<Seed> seeds;

void Add(std::string name, uint8_t selector, std::initializer_list<Bytes> messages) {
  Bytes b = {selector};
  for (const Bytes& m : messages) b.insert(b.end(), m.begin(), m.end());
  seeds.push_back({std::move(name), std::move(b)});
}

Bytes Hex(const std::vector<int>& v) { return Bytes(v.begin(), v.end()); }

RpcParameter Param(std::string name, const SqlType& type, Value value, uint8_t flags = 0) {
  RpcParameter p;
  p.name = std::move(name);
  p.status_flags = flags;
  p.type_info = WireTypeFor(type, TdsVersion::k74);
  p.value = std::move(value);
  return p;
}

std::vector<RpcParameter> EveryType() {
  std::vector<RpcParameter> ps;
  auto both = [&](std::string n, const SqlType& t, Value v) {
    ps.push_back(Param("@" + n, t, v));
    ps.push_back(Param("@" + n + "_null", t, Value::Null(t)));
  };
  const int64_t day = kTicksPerDay;
  both("i", SqlType::Int(), Value::Int(SqlType::Int(), -42));
  both("ti", SqlType::TinyInt(), Value::Int(SqlType::TinyInt(), 200));
  both("si", SqlType::SmallInt(), Value::Int(SqlType::SmallInt(), -300));
  both("bi", SqlType::BigInt(), Value::Int(SqlType::BigInt(), 1LL << 40));
  both("b", SqlType::Bit(), Value::Int(SqlType::Bit(), 1));
  both("r", SqlType::Real(), Value::Float(SqlType::Real(), 1.5));
  both("f", SqlType::Float(), Value::Float(SqlType::Float(), -2.25e100));
  both("d", SqlType::Decimal(38, 4),
       Value::Dec(SqlType::Decimal(38, 4), Decimal(-1234567890123, 4)));
  both("n", SqlType::Numeric(5, 2), Value::Dec(SqlType::Numeric(5, 2), Decimal(12345, 2)));
  both("m", SqlType::Money(), Value::Dec(SqlType::Money(), Decimal(5000000000LL, 4)));
  both("sm", SqlType::SmallMoney(), Value::Dec(SqlType::SmallMoney(), Decimal(-10000, 4)));
  both("c", SqlType::Char(5), Value::Str(SqlType::Char(5), "ab   "));
  both("vc", SqlType::VarChar(10), Value::Str(SqlType::VarChar(10), "café"));
  both("vcm", SqlType::VarChar(SqlType::kMax), Value::Str(SqlType::VarChar(SqlType::kMax), "long"));
  both("nc", SqlType::NChar(3), Value::Str(SqlType::NChar(3), "é  "));
  both("nv", SqlType::NVarChar(20), Value::Str(SqlType::NVarChar(20), "héllo 😀"));
  both("nvm", SqlType::NVarChar(SqlType::kMax),
       Value::Str(SqlType::NVarChar(SqlType::kMax), "select 1"));
  both("bin", SqlType::Binary(4), Value::Str(SqlType::Binary(4), std::string("\1\2\3\4", 4)));
  both("vb", SqlType::VarBinary(8), Value::Str(SqlType::VarBinary(8), std::string("\0\xff", 2)));
  both("vbm", SqlType::VarBinary(SqlType::kMax),
       Value::Str(SqlType::VarBinary(SqlType::kMax), "blob"));
  both("dt", SqlType::Date(), Value::Int(SqlType::Date(), 738915));
  both("t7", SqlType::Time(7), Value::Int(SqlType::Time(7), 450151234567));
  both("t0", SqlType::Time(0), Value::Int(SqlType::Time(0), 450150000000));
  both("dtm", SqlType::DateTime(), Value::Int(SqlType::DateTime(), 738915 * day + 450151233333));
  both("sdt", SqlType::SmallDateTime(),
       Value::Int(SqlType::SmallDateTime(), 738915 * day + 450000000000));
  both("dt2", SqlType::DateTime2(3),
       Value::Int(SqlType::DateTime2(3), 738915 * day + 450151230000));
  both("dto", SqlType::DateTimeOffset(7),
       Value::Dto(SqlType::DateTimeOffset(7), DateTimeOffset{738915 * day + 414151234567, 60}));
  both("g", SqlType::UniqueIdentifier(),
       Value::Uuid(*guid::Parse("6F9619FF-8B86-D011-B42D-00C04FC964FF")));
  return ps;
}

void Build() {
  // [MS-TDS] 4.1, [MS-SSTDS] 4.1: PRELOGIN.
  Add("spec_prelogin", Selector(TdsVersion::k74),
      {Hex({0x12, 0x01, 0x00, 0x2F, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1A, 0x00,
            0x06, 0x01, 0x00, 0x20, 0x00, 0x01, 0x02, 0x00, 0x21, 0x00, 0x01, 0x03,
            0x00, 0x22, 0x00, 0x04, 0x04, 0x00, 0x26, 0x00, 0x01, 0xFF, 0x09, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0xB8, 0x0D, 0x00, 0x00, 0x01})});
  Add("sstds_prelogin", Selector(TdsVersion::k74),
      {Hex({0x12, 0x01, 0x00, 0x34, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x15, 0x00, 0x06,
            0x01, 0x00, 0x1B, 0x00, 0x01, 0x02, 0x00, 0x1C, 0x00, 0x0C, 0x03, 0x00, 0x28,
            0x00, 0x04, 0xFF, 0x08, 0x00, 0x01, 0x55, 0x00, 0x00, 0x00, 0x4D, 0x53, 0x53,
            0x51, 0x4C, 0x53, 0x65, 0x72, 0x76, 0x65, 0x72, 0x00, 0x80, 0x19, 0x00, 0x00})});
  // [MS-TDS] 4.2: LOGIN7 (TDS 7.2).
  Add("spec_login7", Selector(TdsVersion::k72),
      {Hex({0x10, 0x01, 0x00, 0x90, 0x00, 0x00, 0x01, 0x00, 0x88, 0x00, 0x00, 0x00, 0x02, 0x00,
            0x09, 0x72, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x01, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0xE0, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x04,
            0x00, 0x00, 0x5E, 0x00, 0x08, 0x00, 0x6E, 0x00, 0x02, 0x00, 0x72, 0x00, 0x00, 0x00,
            0x72, 0x00, 0x07, 0x00, 0x80, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x80, 0x00,
            0x04, 0x00, 0x88, 0x00, 0x00, 0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x50, 0x8B, 0xE2,
            0xB7, 0x8F, 0x88, 0x00, 0x00, 0x00, 0x88, 0x00, 0x00, 0x00, 0x88, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x73, 0x00, 0x6B, 0x00, 0x6F, 0x00, 0x73, 0x00, 0x74, 0x00,
            0x6F, 0x00, 0x76, 0x00, 0x31, 0x00, 0x73, 0x00, 0x61, 0x00, 0x4F, 0x00, 0x53, 0x00,
            0x51, 0x00, 0x4C, 0x00, 0x2D, 0x00, 0x33, 0x00, 0x32, 0x00, 0x4F, 0x00, 0x44, 0x00,
            0x42, 0x00, 0x43, 0x00})});
  // [MS-TDS] 4.6 SQL batch, 4.8 RPC.
  Add("spec_batch", Selector(TdsVersion::k72),
      {Hex({0x01, 0x01, 0x00, 0x5C, 0x00, 0x00, 0x01, 0x00, 0x16, 0x00, 0x00, 0x00, 0x12, 0x00,
            0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
            0x00, 0x00, 0x0A, 0x00, 0x73, 0x00, 0x65, 0x00, 0x6C, 0x00, 0x65, 0x00, 0x63, 0x00,
            0x74, 0x00, 0x20, 0x00, 0x27, 0x00, 0x66, 0x00, 0x6F, 0x00, 0x6F, 0x00, 0x27, 0x00,
            0x20, 0x00, 0x61, 0x00, 0x73, 0x00, 0x20, 0x00, 0x27, 0x00, 0x62, 0x00, 0x61, 0x00,
            0x72, 0x00, 0x27, 0x00, 0x0A, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00,
            0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00})});
  Add("spec_rpc", Selector(TdsVersion::k72),
      {Hex({0x03, 0x01, 0x00, 0x2F, 0x00, 0x00, 0x01, 0x00, 0x16, 0x00, 0x00, 0x00,
            0x12, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x66, 0x00, 0x6F, 0x00,
            0x6F, 0x00, 0x33, 0x00, 0x00, 0x00, 0x00, 0x02, 0x26, 0x02, 0x00})});

  // Logins as tedious/FreeTDS (7.4 + UTF8_SUPPORT) and jTDS (7.1) send them.
  LoginRequest login;
  login.tds_version = 0x74000004;
  login.packet_size = 4096;
  login.option_flags1 = kLoginUseDbNotify | kLoginInitDbFatal | kLoginSetLangNotify;
  login.option_flags2 = kLoginInitLangFatal | kLoginOdbc;
  login.hostname = "client1";
  login.username = "sa";
  login.password = "Secr3t!";
  login.app_name = "tedious";
  login.server_name = "localhost";
  login.library_name = "Tedious";
  login.language = "us_english";
  login.database = "master";
  login.features.push_back(FeatureExtension{kFeatureUtf8Support, Bytes{0x01}});
  Bytes login74 = client::EncodeLogin7(login);
  Add("login74_utf8", Selector(TdsVersion::k74), {client::Packetize(kPacketLogin7, login74)});
  LoginRequest jtds = login;
  jtds.tds_version = 0x71000001;
  jtds.features.clear();
  jtds.app_name = "jTDS";
  jtds.library_name = "jTDS";
  Add("login71_jtds", Selector(TdsVersion::k71),
      {client::Packetize(kPacketLogin7, client::EncodeLogin7(jtds))});

  PreloginRequest pre;
  pre.has_version = true;
  pre.client_version = 0x0C000000;
  pre.encryption = kEncryptOff;
  pre.instance = "MSSQLServer";
  pre.thread_id = 77;
  pre.mars = 0;
  pre.trace_id = std::array<uint8_t, 36>{1, 2, 3};
  pre.fed_auth_required = 0;
  pre.nonce = std::array<uint8_t, 32>{9, 8, 7};
  Bytes prelogin = client::Packetize(kPacketPrelogin, client::EncodePrelogin(pre));
  Add("prelogin_all_options", Selector(TdsVersion::k74), {prelogin});

  // Batches.
  Bytes batch = client::Packetize(
      kPacketSqlBatch,
      client::EncodeSqlBatch("set ansi_nulls on\nset textsize 2147483647\nselect N'日本'",
                             TdsVersion::k74));
  Add("batch74", Selector(TdsVersion::k74), {batch});
  Add("batch71_jtds", Selector(TdsVersion::k71),
      {client::Packetize(kPacketSqlBatch,
                         client::EncodeSqlBatch("SELECT @@MAX_PRECISION", TdsVersion::k71))});
  Add("batch_reset_connection", Selector(TdsVersion::k74),
      {client::Packetize(kPacketSqlBatch, client::EncodeSqlBatch("select 1", TdsVersion::k74, 5),
                         4096, kStatusResetConnection)});
  Add("batch_multipacket_512", Selector(TdsVersion::k74, 4, 0),
      {client::Packetize(kPacketSqlBatch,
                         client::EncodeSqlBatch(std::string(700, 'x'), TdsVersion::k74), 512)});
  Add("attention", Selector(TdsVersion::k74), {client::Packetize(kPacketAttention, {})});

  // RPCs: sp_executesql with every type, for 7.4 and 7.1 (downlevel types are the client's
  // business on input, so the same TYPE_INFOs), several calls with each separator.
  RpcRequest rpc;
  RpcCall exec;
  exec.proc_id = kProcExecuteSql;
  exec.params.push_back(
      Param("@statement", SqlType::NVarChar(10), Value::Str(SqlType::NVarChar(10), "select @i")));
  exec.params.push_back(
      Param("@params", SqlType::NVarChar(6), Value::Str(SqlType::NVarChar(6), "@i int")));
  for (RpcParameter& p : EveryType()) exec.params.push_back(std::move(p));
  exec.params.push_back(Param("@out", SqlType::Int(), Value::Null(SqlType::Int()), kParamByRef));
  rpc.calls.push_back(exec);
  Add("rpc74_every_type", Selector(TdsVersion::k74),
      {client::Packetize(kPacketRpc, *client::EncodeRpc(rpc, TdsVersion::k74))});
  RpcCall named;
  named.proc_name = "dbo.usp_report";
  named.option_flags = kRpcWithRecompile | kRpcNoMetadata;
  named.params.push_back(Param("", SqlType::Int(), Value::Int(SqlType::Int(), 1), kParamDefault));
  RpcCall unprepare;
  unprepare.proc_id = kProcUnprepare;
  unprepare.no_exec = true;
  unprepare.params.push_back(Param("@handle", SqlType::Int(), Value::Int(SqlType::Int(), 1)));
  RpcRequest multi;
  multi.calls = {named, unprepare, named};
  Add("rpc74_multi", Selector(TdsVersion::k74),
      {client::Packetize(kPacketRpc, *client::EncodeRpc(multi, TdsVersion::k74))});
  Add("rpc71_multi", Selector(TdsVersion::k71),
      {client::Packetize(kPacketRpc, *client::EncodeRpc(multi, TdsVersion::k71))});
  RpcRequest legacy;
  RpcCall exec71;
  exec71.proc_id = kProcExecute;
  exec71.params.push_back(Param("", SqlType::Int(), Value::Int(SqlType::Int(), 1)));
  for (const SqlType& t : {SqlType::VarChar(SqlType::kMax), SqlType::NVarChar(SqlType::kMax),
                           SqlType::VarBinary(SqlType::kMax)}) {
    RpcParameter p;
    p.name = "@P" + std::to_string(exec71.params.size());
    p.type_info = WireTypeFor(t, TdsVersion::k71);  // TEXT, NTEXT, IMAGE
    p.value = Value::Str(t, "lob value");
    exec71.params.push_back(p);
  }
  legacy.calls.push_back(exec71);
  Add("rpc71_text_ntext_image", Selector(TdsVersion::k71),
      {client::Packetize(kPacketRpc, *client::EncodeRpc(legacy, TdsVersion::k71))});
  // tedious streams long nvarchar(max) values with an unknown PLP length.
  Bytes plp = client::EncodeAllHeaders(0);
  Bytes tail = {0xFF, 0xFF, 0x0A, 0x00, 0x00, 0x00, 0x02, '@',  0,    's',  0,    0x00,
                0xE7, 0xFF, 0xFF, 0x09, 0x04, 0xD0, 0x00, 0x34, 0xFE, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0xFF, 0x04, 0x00, 0x00, 0x00, 'h',  0,    'i',  0,
                0x02, 0x00, 0x00, 0x00, '!',  0,    0x00, 0x00, 0x00, 0x00};
  plp.insert(plp.end(), tail.begin(), tail.end());
  Add("rpc74_plp_unknown_length", Selector(TdsVersion::k74), {client::Packetize(kPacketRpc, plp)});

  // Transaction manager requests.
  for (TmRequestType t : {TmRequestType::kBegin, TmRequestType::kCommit, TmRequestType::kRollback,
                          TmRequestType::kSave}) {
    TransactionManagerRequest tm;
    tm.type = t;
    tm.isolation_level = kIsolationReadCommitted;
    tm.name = "tx";
    tm.begin_new = t == TmRequestType::kCommit;
    tm.new_isolation_level = kIsolationSnapshot;
    Add("tm_" + std::to_string(static_cast<int>(t)), Selector(TdsVersion::k74),
        {client::Packetize(kPacketTransactionManager,
                           client::EncodeTransactionManager(tm, TdsVersion::k74, 0x42))});
  }

  // BULK LOAD: every type (a row of values, a row of NULLs), with and without DONE, and the
  // [MS-TDS] 4.12 example.
  {
    std::vector<BulkColumn> columns;
    std::vector<Value> values, nulls;
    for (const RpcParameter& p : EveryType()) {
      BulkColumn c;
      c.name = p.name.substr(1);
      c.flags = kColNullable;
      c.type_info = p.type_info;
      if (c.type_info.IsLegacyLob()) c.table_name = "dbo.t";
      columns.push_back(c);
      values.push_back(p.value);
      nulls.push_back(Value::Null(SqlTypeOf(p.type_info)));
    }
    std::vector<std::vector<Value>> rows = {values, nulls};
    Add("bulk74", Selector(TdsVersion::k74),
        {client::Packetize(kPacketBulkLoad, *client::EncodeBulkLoad(columns, rows, TdsVersion::k74),
                           512)});
    Add("bulk74_no_done", Selector(TdsVersion::k74, 2),
        {client::Packetize(kPacketBulkLoad,
                           *client::EncodeBulkLoad(columns, rows, TdsVersion::k74, false))});
    Add("bulk_spec", Selector(TdsVersion::k72),
        {Hex({0x07, 0x01, 0x00, 0x26, 0x00, 0x00, 0x01, 0x00, 0x81, 0x01, 0x00, 0x00, 0x00,
              0x00, 0x00, 0x05, 0x00, 0x32, 0x02, 0x63, 0x00, 0x31, 0x00, 0xD1, 0x00, 0xFD,
              0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00})});
  }

  // A whole session, fed 7 bytes at a time.
  Add("session74", Selector(TdsVersion::k74, 3, 1),
      {prelogin, client::Packetize(kPacketLogin7, login74), batch,
       client::Packetize(kPacketRpc, *client::EncodeRpc(multi, TdsVersion::k74)),
       client::Packetize(kPacketAttention, {})});
}

}  // namespace
}  // namespace edgesql::tds

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus directory>\n", argv[0]);
    return 2;
  }
  edgesql::tds::Build();
  for (const auto& seed : edgesql::tds::seeds) {
    std::string path = std::string(argv[1]) + "/seed_" + seed.name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr ||
        std::fwrite(seed.bytes.data(), 1, seed.bytes.size(), f) != seed.bytes.size()) {
      std::perror(path.c_str());
      return 1;
    }
    std::fclose(f);
  }
  std::printf("wrote %zu seeds\n", edgesql::tds::seeds.size());
  return 0;
}
