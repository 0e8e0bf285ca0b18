#include "tds/login7.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "tds/client_messages.h"
#include "tds/packet.h"
#include "tds/wire.h"

namespace edgesql::tds {
namespace {

// [MS-TDS] 4.2 "Login Request": a TDS 7.2 login from OSQL-32 on host "skostov1" as "sa".
const uint8_t kSpecLogin[] = {
    0x10, 0x01, 0x00, 0x90, 0x00, 0x00, 0x01, 0x00, 0x88, 0x00, 0x00, 0x00, 0x02, 0x00, 0x09, 0x72,
    0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xE0, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x04, 0x00, 0x00, 0x5E, 0x00, 0x08, 0x00,
    0x6E, 0x00, 0x02, 0x00, 0x72, 0x00, 0x00, 0x00, 0x72, 0x00, 0x07, 0x00, 0x80, 0x00, 0x00, 0x00,
    0x80, 0x00, 0x00, 0x00, 0x80, 0x00, 0x04, 0x00, 0x88, 0x00, 0x00, 0x00, 0x88, 0x00, 0x00, 0x00,
    0x00, 0x50, 0x8B, 0xE2, 0xB7, 0x8F, 0x88, 0x00, 0x00, 0x00, 0x88, 0x00, 0x00, 0x00, 0x88, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x73, 0x00, 0x6B, 0x00, 0x6F, 0x00, 0x73, 0x00, 0x74, 0x00,
    0x6F, 0x00, 0x76, 0x00, 0x31, 0x00, 0x73, 0x00, 0x61, 0x00, 0x4F, 0x00, 0x53, 0x00, 0x51, 0x00,
    0x4C, 0x00, 0x2D, 0x00, 0x33, 0x00, 0x32, 0x00, 0x4F, 0x00, 0x44, 0x00, 0x42, 0x00, 0x43, 0x00};

Bytes PayloadOf(ByteView wire) {
  MessageAssembler a;
  EXPECT_TRUE(a.Feed(wire).ok());
  std::optional<Message> m = a.Next();
  EXPECT_TRUE(m);
  return m ? m->payload : Bytes{};
}

bool Fails(ByteView payload) {
  Result<LoginRequest> r = DecodeLogin7(payload);
  return !r.ok() && r.error().number == errors::kProtocolStreamIncorrect;
}

TEST(Login7Test, DecodesTheSpecExample) {
  Bytes payload = PayloadOf(kSpecLogin);
  Result<LoginRequest> r = DecodeLogin7(payload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->tds_version, 0x72090002u);
  EXPECT_EQ(NegotiateTdsVersion(r->tds_version), TdsVersion::k72);
  EXPECT_EQ(r->packet_size, 4096u);
  EXPECT_EQ(r->client_prog_version, 0x07000000u);
  EXPECT_EQ(r->client_pid, 0x100u);
  EXPECT_EQ(r->option_flags1, 0xE0);
  EXPECT_EQ(r->option_flags2, 0x03);
  EXPECT_EQ(r->client_lcid, 0x409u);
  EXPECT_EQ(r->hostname, "skostov1");
  EXPECT_EQ(r->username, "sa");
  EXPECT_EQ(r->password, "");
  EXPECT_EQ(r->app_name, "OSQL-32");
  EXPECT_EQ(r->server_name, "");
  EXPECT_EQ(r->library_name, "ODBC");
  EXPECT_EQ(r->language, "");
  EXPECT_EQ(r->database, "");
  EXPECT_EQ(r->client_id, (std::array<uint8_t, 6>{0x00, 0x50, 0x8B, 0xE2, 0xB7, 0x8F}));
  EXPECT_TRUE(r->sspi.empty());
  EXPECT_TRUE(r->features.empty());
  EXPECT_TRUE(r->init_db_fatal());
  EXPECT_FALSE(r->integrated_security());
}

// [MS-TDS] 4.20 "FeatureExt with AZURESQLSUPPORT Feature Data": a TDS 7.4 login from .NET
// SqlClient with read-only intent and packet size 8000. The payload below is the example's first
// 424 bytes, up to where the FeatureExt block starts (offset 0x1A8); the block itself is not
// reproduced here, so the test appends an AZURESQLSUPPORT entry and fixes the record length.
const uint8_t kSpecSqlClientLoginHead[] = {
    0xBF, 0x01, 0x00, 0x00, 0x04, 0x00, 0x00, 0x74, 0x40, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06,
    0x96, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x03, 0x20, 0x10, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x5E, 0x00, 0x0C, 0x00, 0x76, 0x00, 0x07, 0x00, 0x84, 0x00, 0x08, 0x00,
    0x94, 0x00, 0x1C, 0x00, 0xCC, 0x00, 0x4A, 0x00, 0x60, 0x01, 0x04, 0x00, 0x64, 0x01, 0x1C, 0x00,
    0x9C, 0x01, 0x00, 0x00, 0x9C, 0x01, 0x06, 0x00, 0xC2, 0xCC, 0x3D, 0x20, 0xB7, 0xAB, 0xAB, 0x01,
    0x00, 0x00, 0xAB, 0x01, 0x00, 0x00, 0xAB, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5A, 0x00,
    0x4C, 0x00, 0x49, 0x00, 0x4E, 0x00, 0x36, 0x00, 0x43, 0x00, 0x4C, 0x00, 0x49, 0x00, 0x45, 0x00,
    0x4E, 0x00, 0x54, 0x00, 0x32, 0x00, 0x63, 0x00, 0x6C, 0x00, 0x6F, 0x00, 0x75, 0x00, 0x64, 0x00,
    0x73, 0x00, 0x61, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x2E, 0x00, 0x4E, 0x00, 0x65, 0x00, 0x74, 0x00, 0x20, 0x00, 0x53, 0x00,
    0x71, 0x00, 0x6C, 0x00, 0x43, 0x00, 0x6C, 0x00, 0x69, 0x00, 0x65, 0x00, 0x6E, 0x00, 0x74, 0x00,
    0x20, 0x00, 0x44, 0x00, 0x61, 0x00, 0x74, 0x00, 0x61, 0x00, 0x20, 0x00, 0x50, 0x00, 0x72, 0x00,
    0x6F, 0x00, 0x76, 0x00, 0x69, 0x00, 0x64, 0x00, 0x65, 0x00, 0x72, 0x00, 0x65, 0x00, 0x32, 0x00,
    0x66, 0x00, 0x38, 0x00, 0x38, 0x00, 0x37, 0x00, 0x36, 0x00, 0x61, 0x00, 0x64, 0x00, 0x36, 0x00,
    0x35, 0x00, 0x38, 0x00, 0x2E, 0x00, 0x6C, 0x00, 0x6F, 0x00, 0x63, 0x00, 0x61, 0x00, 0x6C, 0x00,
    0x2E, 0x00, 0x6F, 0x00, 0x6E, 0x00, 0x65, 0x00, 0x62, 0x00, 0x6F, 0x00, 0x78, 0x00, 0x2E, 0x00,
    0x63, 0x00, 0x6F, 0x00, 0x6E, 0x00, 0x74, 0x00, 0x72, 0x00, 0x6F, 0x00, 0x6C, 0x00, 0x2E, 0x00,
    0x7A, 0x00, 0x6C, 0x00, 0x69, 0x00, 0x6E, 0x00, 0x68, 0x00, 0x65, 0x00, 0x6B, 0x00, 0x61, 0x00,
    0x36, 0x00, 0x64, 0x00, 0x65, 0x00, 0x76, 0x00, 0x34, 0x00, 0x2E, 0x00, 0x6F, 0x00, 0x6E, 0x00,
    0x65, 0x00, 0x62, 0x00, 0x6F, 0x00, 0x78, 0x00, 0x2E, 0x00, 0x78, 0x00, 0x64, 0x00, 0x62, 0x00,
    0x2E, 0x00, 0x6D, 0x00, 0x73, 0x00, 0x63, 0x00, 0x64, 0x00, 0x73, 0x00, 0x2E, 0x00, 0x63, 0x00,
    0x6F, 0x00, 0x6D, 0x00, 0x2C, 0x00, 0x33, 0x00, 0x37, 0x00, 0x30, 0x00, 0x30, 0x00, 0x38, 0x00,
    0xA8, 0x01, 0x00, 0x00, 0x2E, 0x00, 0x4E, 0x00, 0x65, 0x00, 0x74, 0x00, 0x20, 0x00, 0x53, 0x00,
    0x71, 0x00, 0x6C, 0x00, 0x43, 0x00, 0x6C, 0x00, 0x69, 0x00, 0x65, 0x00, 0x6E, 0x00, 0x74, 0x00,
    0x20, 0x00, 0x44, 0x00, 0x61, 0x00, 0x74, 0x00, 0x61, 0x00, 0x20, 0x00, 0x50, 0x00, 0x72, 0x00,
    0x6F, 0x00, 0x76, 0x00, 0x69, 0x00, 0x64, 0x00, 0x65, 0x00, 0x72, 0x00, 0x74, 0x00, 0x65, 0x00,
    0x73, 0x00, 0x74, 0x00, 0x64, 0x00, 0x62, 0x00};

TEST(Login7Test, DecodesTheSqlClientFeatureExtExample) {
  Bytes payload(std::begin(kSpecSqlClientLoginHead), std::end(kSpecSqlClientLoginHead));
  ASSERT_EQ(payload.size(), 0x1A8u);
  const Bytes block = {kFeatureAzureSqlSupport, 0x01, 0x00, 0x00, 0x00, 0x01, kFeatureTerminator};
  payload.insert(payload.end(), block.begin(), block.end());
  ByteWriter(&payload).PatchU32Le(0, static_cast<uint32_t>(payload.size()));
  Result<LoginRequest> r = DecodeLogin7(payload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(NegotiateTdsVersion(r->tds_version), TdsVersion::k74);
  EXPECT_EQ(r->packet_size, 8000u);
  EXPECT_EQ(r->client_pid, 0x1D96u);
  EXPECT_TRUE(r->read_only_intent());
  EXPECT_EQ(r->hostname, "ZLIN6CLIENT2");
  EXPECT_EQ(r->username, "cloudsa");
  EXPECT_EQ(r->app_name, ".Net SqlClient Data Provider");
  EXPECT_EQ(r->server_name,
            "e2f8876ad658.local.onebox.control.zlinheka6dev4.onebox.xdb.mscds.com,37008");
  EXPECT_EQ(r->library_name, ".Net SqlClient Data Provider");
  EXPECT_EQ(r->database, "testdb");
  EXPECT_EQ(r->client_id, (std::array<uint8_t, 6>{0xC2, 0xCC, 0x3D, 0x20, 0xB7, 0xAB}));
  ASSERT_EQ(r->features.size(), 1u);
  EXPECT_EQ(r->features[0].id, kFeatureAzureSqlSupport);
  EXPECT_FALSE(r->requests_utf8_support());
}

TEST(Login7Test, PasswordObfuscationFollowsTheSpec) {
  // [MS-TDS] 2.2.6.4: swap the nibbles, then XOR with 0xA5. 'a' (0x61) -> 0x16 -> 0xB3.
  EXPECT_EQ(wire::ScramblePasswordByte(0x61), 0xB3);
  EXPECT_EQ(wire::ScramblePasswordByte(0x00), 0xA5);
  for (int b = 0; b < 256; ++b) {
    EXPECT_EQ(wire::UnscramblePasswordByte(wire::ScramblePasswordByte(static_cast<uint8_t>(b))), b);
  }
}

LoginRequest SampleLogin(uint32_t version) {
  LoginRequest l;
  l.tds_version = version;
  l.packet_size = 8192;
  l.client_prog_version = 0x01020304;
  l.client_pid = 4242;
  l.option_flags1 = kLoginUseDbNotify | kLoginInitDbFatal | kLoginSetLangNotify;
  l.option_flags2 = kLoginInitLangFatal | kLoginOdbc;
  l.client_timezone = -60;
  l.client_lcid = 0x409;
  l.hostname = "edge-host";
  l.username = "app_user";
  l.password = "pässwörd€1";
  l.app_name = "unit test";
  l.server_name = "localhost,1433";
  l.library_name = "edgesql-test";
  l.language = "us_english";
  l.database = "inventory";
  l.client_id = {1, 2, 3, 4, 5, 6};
  return l;
}

TEST(Login7Test, RoundTripsA74LoginWithFeatureExt) {
  LoginRequest l = SampleLogin(0x74000004);
  l.features.push_back(FeatureExtension{kFeatureUtf8Support, Bytes{0x01}});
  l.features.push_back(FeatureExtension{0x42, Bytes{1, 2, 3}});  // unknown ids are kept
  Bytes payload = client::EncodeLogin7(l);
  Result<LoginRequest> r = DecodeLogin7(payload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->tds_version, 0x74000004u);
  EXPECT_EQ(r->packet_size, 8192u);
  EXPECT_EQ(r->client_timezone, -60);
  EXPECT_EQ(r->hostname, "edge-host");
  EXPECT_EQ(r->username, "app_user");
  EXPECT_EQ(r->password, "pässwörd€1");
  EXPECT_EQ(r->app_name, "unit test");
  EXPECT_EQ(r->server_name, "localhost,1433");
  EXPECT_EQ(r->library_name, "edgesql-test");
  EXPECT_EQ(r->language, "us_english");
  EXPECT_EQ(r->database, "inventory");
  EXPECT_EQ(r->client_id, l.client_id);
  ASSERT_EQ(r->features.size(), 2u);
  EXPECT_TRUE(r->requests_utf8_support());
  EXPECT_EQ(r->FindFeature(0x42)->data, (Bytes{1, 2, 3}));
  // The password is not readable in the record.
  std::string_view raw = AsChars(payload);
  EXPECT_EQ(raw.find(std::string_view("p\0\xe4\0", 4)), std::string_view::npos);
}

TEST(Login7Test, FreeTdsFeatureExtBytes) {
  // FreeTDS 1.3 with TDS 7.4 ends its LOGIN7 with "0a 01000000 01 ff" (UTF8_SUPPORT, 1 byte).
  LoginRequest l = SampleLogin(0x74000004);
  l.features.push_back(FeatureExtension{kFeatureUtf8Support, Bytes{0x01}});
  Bytes payload = client::EncodeLogin7(l);
  const Bytes tail = {0x0a, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff};
  ASSERT_GE(payload.size(), tail.size());
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), payload.end() - tail.size()));
  Result<LoginRequest> r = DecodeLogin7(payload);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->requests_utf8_support());
}

TEST(Login7Test, ExtensionFlagWithAnEmptyFeatureBlock) {
  LoginRequest l = SampleLogin(0x74000004);
  l.option_flags3 = kLoginExtension;  // the flag, and only the terminator in the block
  Bytes payload = client::EncodeLogin7(l);
  EXPECT_EQ(payload.back(), kFeatureTerminator);
  Result<LoginRequest> r = DecodeLogin7(payload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->features.empty());
  EXPECT_FALSE(r->requests_utf8_support());
}

TEST(Login7Test, Tds71LayoutWithoutChangePasswordFields) {
  // jTDS 1.3 sends TDS 7.1 with the 86-byte fixed part.
  LoginRequest l = SampleLogin(0x71000001);
  Bytes payload = client::EncodeLogin7(l);
  EXPECT_EQ(payload[36], kLogin7FixedSize71);  // ibHostName right after the fixed part
  Result<LoginRequest> r = DecodeLogin7(payload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(NegotiateTdsVersion(r->tds_version), TdsVersion::k71);
  EXPECT_EQ(r->username, "app_user");
  EXPECT_EQ(r->password, l.password);
  EXPECT_EQ(r->database, "inventory");
  EXPECT_TRUE(r->new_password.empty());
}

TEST(Login7Test, ChangePasswordAndSspi) {
  LoginRequest l = SampleLogin(0x74000004);
  l.option_flags3 = kLoginChangePassword;
  l.new_password = "n3w!";
  l.sspi = Bytes{'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
  l.option_flags2 |= kLoginIntegratedSecurity;
  Result<LoginRequest> r = DecodeLogin7(client::EncodeLogin7(l));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->change_password());
  EXPECT_EQ(r->new_password, "n3w!");
  EXPECT_TRUE(r->integrated_security());
  EXPECT_EQ(r->sspi, l.sspi);
}

TEST(Login7Test, RejectsOutOfBoundsFields) {
  Bytes good = PayloadOf(kSpecLogin);
  ASSERT_TRUE(DecodeLogin7(good).ok());
  EXPECT_TRUE(Fails(ByteView(good).first(85)));  // shorter than any fixed part
  {
    Bytes b = good;
    b[0] = 0xFF;  // Length beyond the message
    EXPECT_TRUE(Fails(b));
  }
  {
    Bytes b = good;
    b[0] = 90;  // Length inside the fixed part of a 7.2 record
    EXPECT_TRUE(Fails(b));
  }
  {
    Bytes b = good;
    b[36] = 0x80;  // host name offset: 0x80 + 16 bytes > 0x88
    EXPECT_TRUE(Fails(b));
  }
  {
    Bytes b = good;
    b[38] = 0xFF;  // host name length of 255 characters
    EXPECT_TRUE(Fails(b));
  }
  {
    Bytes b = good;
    b[80] = 0x40;  // cbSSPI: 64 bytes at 0x88 lie outside
    EXPECT_TRUE(Fails(b));
  }
  {
    Bytes b = good;
    b[27] = kLoginExtension;  // fExtension with ibExtension/cbExtension = 0x80/0
    EXPECT_TRUE(Fails(b));
  }
}

TEST(Login7Test, RejectsInvalidUtf16) {
  Bytes b = PayloadOf(kSpecLogin);
  // The user name "sa" at 0x6E: make its first unit an unpaired high surrogate.
  b[0x6E] = 0x00;
  b[0x6F] = 0xD8;
  EXPECT_TRUE(Fails(b));
}

TEST(Login7Test, RejectsBadFeatureExt) {
  LoginRequest l = SampleLogin(0x74000004);
  l.features.push_back(FeatureExtension{kFeatureUtf8Support, Bytes{0x01}});
  Bytes payload = client::EncodeLogin7(l);
  {
    Bytes b = payload;
    b.pop_back();  // no terminator
    ByteWriter(&b).PatchU32Le(0, static_cast<uint32_t>(b.size()));
    EXPECT_TRUE(Fails(b));
  }
  {
    Bytes b = payload;
    b[b.size() - 6] = 0x7F;  // feature data length past the end
    EXPECT_TRUE(Fails(b));
  }
  {
    // The DWORD pointer (ibExtension) leads outside the record.
    Bytes b = payload;
    size_t ib_ext = b[56] | (b[57] << 8);
    ByteWriter(&b).PatchU32Le(ib_ext, 0x10000);
    EXPECT_TRUE(Fails(b));
  }
}

TEST(Login7Test, VersionNegotiation) {
  EXPECT_EQ(NegotiateTdsVersion(0x74000004), TdsVersion::k74);
  EXPECT_EQ(NegotiateTdsVersion(0x75000000), TdsVersion::k74);
  EXPECT_EQ(NegotiateTdsVersion(0x08000000), TdsVersion::k74);  // TDS 8.0
  EXPECT_EQ(NegotiateTdsVersion(0x730B0003), TdsVersion::k73B);
  EXPECT_EQ(NegotiateTdsVersion(0x730A0003), TdsVersion::k73A);
  EXPECT_EQ(NegotiateTdsVersion(0x72090002), TdsVersion::k72);
  EXPECT_EQ(NegotiateTdsVersion(0x71000001), TdsVersion::k71);
  EXPECT_EQ(NegotiateTdsVersion(0x71000000), TdsVersion::k71);
  EXPECT_FALSE(NegotiateTdsVersion(0x70000000));  // TDS 7.0: SQL Server 7.0
  EXPECT_FALSE(NegotiateTdsVersion(0x00000000));
}

TEST(Login7Test, PacketSizeNegotiation) {
  EXPECT_EQ(NegotiatePacketSize(0), 4096u);
  EXPECT_EQ(NegotiatePacketSize(0, 8000), 8000u);
  EXPECT_EQ(NegotiatePacketSize(8192), 8192u);
  EXPECT_EQ(NegotiatePacketSize(100), 512u);
  EXPECT_EQ(NegotiatePacketSize(65536), 32767u);
}

}  // namespace
}  // namespace edgesql::tds
