#include "tds/prelogin.h"

#include <algorithm>
#include <string>

#include "common/errors.h"

namespace edgesql::tds {
namespace {

SqlError Bad(const std::string& what) {
  return errors::Make(errors::kProtocolStreamIncorrect, {"PRELOGIN: " + what});
}

// The size an option must have, or -1 when any size is allowed.
int ExpectedSize(uint8_t option) {
  switch (option) {
    case kPreloginVersion:
      return 6;
    case kPreloginEncryption:
      return 1;
    case kPreloginMars:
      return 1;
    case kPreloginTraceId:
      return 36;
    case kPreloginFedAuthRequired:
      return 1;
    case kPreloginNonce:
      return 32;
    default:
      return -1;  // INSTOPT is a string; THREADID is 4 bytes or empty; unknown options
  }
}

}  // namespace

Result<PreloginRequest> DecodePrelogin(ByteView payload) {
  PreloginRequest req;
  ByteReader table(payload);
  // Each entry is 5 bytes, so a payload holds at most size/5 of them: the loop is bounded.
  while (true) {
    uint8_t option = table.U8();
    if (!table.ok()) return Bad("the option table has no terminator.");
    if (option == kPreloginTerminator) break;
    uint16_t offset = table.U16Be();
    uint16_t length = table.U16Be();
    if (!table.ok()) return Bad("the option table is truncated.");
    if (static_cast<size_t>(offset) + length > payload.size()) {
      return Bad("option " + std::to_string(option) + " lies outside the message.");
    }
    int expected = ExpectedSize(option);
    if (expected >= 0 && length != expected) {
      return Bad("option " + std::to_string(option) + " has length " + std::to_string(length) +
                 ".");
    }
    ByteReader data(payload.subspan(offset, length));
    switch (option) {
      case kPreloginVersion:
        req.has_version = true;
        req.client_version = data.U32Be();
        req.client_subbuild = data.U16Le();
        break;
      case kPreloginEncryption: {
        uint8_t v = data.U8();
        req.client_cert_requested = (v & kEncryptClientCertBit) != 0;
        req.encryption = static_cast<uint8_t>(v & ~kEncryptClientCertBit);
        break;
      }
      case kPreloginInstOpt: {
        // A NUL-terminated multi-byte string; the terminator may be missing.
        std::string_view s = AsChars(data.Take(length));
        req.instance = std::string(s.substr(0, s.find('\0')));
        break;
      }
      case kPreloginThreadId:
        if (length == 4) {
          req.thread_id = data.U32Be();
        } else if (length != 0) {
          return Bad("option 3 has length " + std::to_string(length) + ".");
        }
        break;
      case kPreloginMars:
        req.mars = data.U8();
        break;
      case kPreloginTraceId: {
        std::array<uint8_t, 36> id;
        ByteView v = data.Take(36);
        std::copy(v.begin(), v.end(), id.begin());
        req.trace_id = id;
        break;
      }
      case kPreloginFedAuthRequired:
        req.fed_auth_required = data.U8();
        break;
      case kPreloginNonce: {
        std::array<uint8_t, 32> nonce;
        ByteView v = data.Take(32);
        std::copy(v.begin(), v.end(), nonce.begin());
        req.nonce = nonce;
        break;
      }
      default:
        req.unknown_options.push_back(option);
        break;
    }
  }
  return req;
}

Bytes EncodePreloginResponse(const PreloginResponse& r) {
  // Option table: VERSION, ENCRYPTION, INSTOPT, MARS, terminator = 4 * 5 + 1 bytes.
  constexpr uint16_t kTableSize = 4 * 5 + 1;
  Bytes out;
  ByteWriter w(&out);
  auto entry = [&](uint8_t option, uint16_t offset, uint16_t length) {
    w.U8(option);
    w.U16Be(offset);
    w.U16Be(length);
  };
  entry(kPreloginVersion, kTableSize, 6);
  entry(kPreloginEncryption, kTableSize + 6, 1);
  entry(kPreloginInstOpt, kTableSize + 7, 1);
  entry(kPreloginMars, kTableSize + 8, 1);
  w.U8(kPreloginTerminator);
  w.U8(r.major);
  w.U8(r.minor);
  w.U16Be(r.build);
  w.U16Le(r.subbuild);
  w.U8(r.encryption);
  w.U8(0);  // INSTOPT: 0 = the client's instance name matched (or none was given)
  w.U8(0);  // MARS off
  return out;
}

EncryptionDecision NegotiateEncryption(std::optional<uint8_t> client, ServerEncryption server) {
  uint8_t c = client.value_or(kEncryptOff);
  if (c == kEncryptReq) c = kEncryptOn;  // a client "requiring" encryption asks for it
  switch (server) {
    case ServerEncryption::kNotSupported:
      // A client that sent ON sees NOT_SUP and gives up by itself.
      return {kEncryptNotSup, TlsMode::kNone};
    case ServerEncryption::kOptional:
      if (c == kEncryptOn) return {kEncryptOn, TlsMode::kFull};
      if (c == kEncryptNotSup) return {kEncryptNotSup, TlsMode::kNone};
      return {kEncryptOff, TlsMode::kLoginOnly};
    case ServerEncryption::kRequired:
      if (c == kEncryptNotSup) return {kEncryptReq, TlsMode::kRefuse};
      if (c == kEncryptOn) return {kEncryptOn, TlsMode::kFull};
      return {kEncryptReq, TlsMode::kFull};
  }
  return {kEncryptNotSup, TlsMode::kNone};
}

}  // namespace edgesql::tds
