#include "tds/prelogin.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "tds/client_messages.h"
#include "tds/packet.h"

namespace edgesql::tds {
namespace {

// [MS-TDS] 4.1 "Pre-Login Request": VERSION 9.0.0.0, ENCRYPTION ON, INSTOPT "", THREADID
// B8 0D 00 00, MARS on.
const uint8_t kSpecPrelogin[] = {
    0x12, 0x01, 0x00, 0x2F, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1A, 0x00, 0x06, 0x01, 0x00, 0x20,
    0x00, 0x01, 0x02, 0x00, 0x21, 0x00, 0x01, 0x03, 0x00, 0x22, 0x00, 0x04, 0x04, 0x00, 0x26, 0x00,
    0x01, 0xFF, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0xB8, 0x0D, 0x00, 0x00, 0x01};

// [MS-SSTDS] 4.1: the same message from a client naming the instance "MSSQLServer".
const uint8_t kSstdsPrelogin[] = {0x12, 0x01, 0x00, 0x34, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x15,
                                  0x00, 0x06, 0x01, 0x00, 0x1B, 0x00, 0x01, 0x02, 0x00, 0x1C, 0x00,
                                  0x0C, 0x03, 0x00, 0x28, 0x00, 0x04, 0xFF, 0x08, 0x00, 0x01, 0x55,
                                  0x00, 0x00, 0x00, 0x4D, 0x53, 0x53, 0x51, 0x4C, 0x53, 0x65, 0x72,
                                  0x76, 0x65, 0x72, 0x00, 0x80, 0x19, 0x00, 0x00};

Message Assemble(ByteView wire) {
  MessageAssembler a;
  EXPECT_TRUE(a.Feed(wire).ok());
  std::optional<Message> m = a.Next();
  EXPECT_TRUE(m);
  return m ? *m : Message{};
}

TEST(PreloginTest, DecodesTheSpecExample) {
  Message m = Assemble(kSpecPrelogin);
  EXPECT_EQ(m.type, kPacketPrelogin);
  Result<PreloginRequest> r = DecodePrelogin(m.payload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->has_version);
  EXPECT_EQ(r->client_version, 0x09000000u);
  EXPECT_EQ(r->client_subbuild, 0);
  EXPECT_EQ(r->encryption, kEncryptOn);
  EXPECT_EQ(r->instance, "");
  EXPECT_EQ(r->thread_id, 0xB80D0000u);  // read as the big-endian option table is
  EXPECT_EQ(r->mars, 1);
  EXPECT_FALSE(r->trace_id);
  EXPECT_TRUE(r->unknown_options.empty());
}

TEST(PreloginTest, DecodesTheInstanceName) {
  Message m = Assemble(kSstdsPrelogin);
  Result<PreloginRequest> r = DecodePrelogin(m.payload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->client_version, 0x08000155u);
  EXPECT_EQ(r->encryption, kEncryptOff);
  EXPECT_EQ(r->instance, "MSSQLServer");
  EXPECT_FALSE(r->mars);
}

TEST(PreloginTest, RoundTripsEveryOptionAndSkipsUnknownOnes) {
  PreloginRequest req;
  req.has_version = true;
  req.client_version = 0x0C000000;
  req.client_subbuild = 7;
  req.encryption = kEncryptNotSup;
  req.instance = "SQLEXPRESS";
  req.thread_id = 1234;
  req.mars = 0;
  std::array<uint8_t, 36> trace{};
  trace[0] = 0xAA;
  trace[35] = 0x55;
  req.trace_id = trace;
  req.fed_auth_required = 1;
  std::array<uint8_t, 32> nonce{};
  nonce[31] = 9;
  req.nonce = nonce;
  Bytes payload = client::EncodePrelogin(req);
  Result<PreloginRequest> r = DecodePrelogin(payload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->client_version, req.client_version);
  EXPECT_EQ(r->client_subbuild, 7);
  EXPECT_EQ(r->encryption, kEncryptNotSup);
  EXPECT_EQ(r->instance, "SQLEXPRESS");
  EXPECT_EQ(r->thread_id, 1234u);
  EXPECT_EQ(r->trace_id, trace);
  EXPECT_EQ(r->fed_auth_required, 1);
  EXPECT_EQ(r->nonce, nonce);

  // An option id from the future (0x09, say) is skipped.
  Bytes with_unknown = {0x09, 0x00, 0x0B, 0x00, 0x01, 0x01, 0x00,
                        0x0C, 0x00, 0x01, 0xFF, 0x42, 0x02};
  r = DecodePrelogin(with_unknown);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->unknown_options, std::vector<uint8_t>{0x09});
  EXPECT_EQ(r->encryption, kEncryptNotSup);
}

TEST(PreloginTest, ClientCertificateBitIsSeparated) {
  Bytes p = {0x01, 0x00, 0x06, 0x00, 0x01, 0xFF, 0x81};
  Result<PreloginRequest> r = DecodePrelogin(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->encryption, kEncryptOn);
  EXPECT_TRUE(r->client_cert_requested);
}

TEST(PreloginTest, RejectsMalformedTables) {
  auto fails = [](Bytes p) {
    Result<PreloginRequest> r = DecodePrelogin(p);
    return !r.ok() && r.error().number == errors::kProtocolStreamIncorrect;
  };
  EXPECT_TRUE(fails({}));                                                // no terminator
  EXPECT_TRUE(fails({0x00, 0x00, 0x06}));                                // truncated entry
  EXPECT_TRUE(fails({0x01, 0x00, 0x06, 0x00, 0x01, 0xFF}));              // data past the end
  EXPECT_TRUE(fails({0x01, 0xFF, 0xFF, 0x00, 0x01, 0xFF}));              // offset past the end
  EXPECT_TRUE(fails({0x01, 0x00, 0x06, 0x00, 0x02, 0xFF, 0x00, 0x00}));  // ENCRYPTION of 2 bytes
  EXPECT_TRUE(fails({0x00, 0x00, 0x06, 0x00, 0x02, 0xFF, 0x00, 0x00}));  // VERSION of 2 bytes
  EXPECT_TRUE(fails({0x03, 0x00, 0x06, 0x00, 0x02, 0xFF, 0x00, 0x00}));  // THREADID of 2 bytes
  // An empty table is a valid (if useless) PRELOGIN.
  EXPECT_TRUE(DecodePrelogin(Bytes{0xFF}).ok());
}

TEST(PreloginTest, EncodesTheServerReply) {
  PreloginResponse resp;
  resp.encryption = kEncryptOff;
  Bytes b = EncodePreloginResponse(resp);
  const Bytes expected = {0x00, 0x00, 0x15, 0x00, 0x06,        // VERSION at 21, 6 bytes
                          0x01, 0x00, 0x1B, 0x00, 0x01,        // ENCRYPTION at 27
                          0x02, 0x00, 0x1C, 0x00, 0x01,        // INSTOPT at 28
                          0x04, 0x00, 0x1D, 0x00, 0x01,        // MARS at 29
                          0xFF,                                //
                          0x10, 0x00, 0x03, 0xE8, 0x00, 0x00,  // 16.0.1000.0
                          0x00,                                // ENCRYPT_OFF
                          0x00,                                // INSTOPT
                          0x00};                               // MARS off
  EXPECT_EQ(b, expected);
  // The reply parses with the request parser (both directions share the format).
  Result<PreloginRequest> r = DecodePrelogin(b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->client_version, 0x100003E8u);
  EXPECT_EQ(r->mars, 0);
}

TEST(PreloginTest, EncryptionMatrix) {
  using S = ServerEncryption;
  auto d = [](std::optional<uint8_t> c, S s) {
    EncryptionDecision e = NegotiateEncryption(c, s);
    return std::pair<int, TlsMode>(e.reply, e.mode);
  };
  // No certificate: never TLS.
  EXPECT_EQ(d(kEncryptOff, S::kNotSupported), std::make_pair(int{kEncryptNotSup}, TlsMode::kNone));
  EXPECT_EQ(d(kEncryptOn, S::kNotSupported), std::make_pair(int{kEncryptNotSup}, TlsMode::kNone));
  EXPECT_EQ(d(kEncryptNotSup, S::kNotSupported),
            std::make_pair(int{kEncryptNotSup}, TlsMode::kNone));
  // Certificate, not forced: FreeTDS "request" (OFF) encrypts the login only; tedious (ON) all.
  EXPECT_EQ(d(kEncryptOff, S::kOptional), std::make_pair(int{kEncryptOff}, TlsMode::kLoginOnly));
  EXPECT_EQ(d(kEncryptOn, S::kOptional), std::make_pair(int{kEncryptOn}, TlsMode::kFull));
  EXPECT_EQ(d(kEncryptNotSup, S::kOptional), std::make_pair(int{kEncryptNotSup}, TlsMode::kNone));
  EXPECT_EQ(d(std::nullopt, S::kOptional), std::make_pair(int{kEncryptOff}, TlsMode::kLoginOnly));
  // Forced encryption.
  EXPECT_EQ(d(kEncryptOff, S::kRequired), std::make_pair(int{kEncryptReq}, TlsMode::kFull));
  EXPECT_EQ(d(kEncryptOn, S::kRequired), std::make_pair(int{kEncryptOn}, TlsMode::kFull));
  EXPECT_EQ(d(kEncryptReq, S::kRequired), std::make_pair(int{kEncryptOn}, TlsMode::kFull));
  EXPECT_EQ(d(kEncryptNotSup, S::kRequired), std::make_pair(int{kEncryptReq}, TlsMode::kRefuse));
}

}  // namespace
}  // namespace edgesql::tds
