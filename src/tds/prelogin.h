// PRELOGIN ([MS-TDS] 2.2.6.5): the first message of a connection, in both directions, and the
// encryption negotiation it carries.
//
// The client's PRELOGIN is a table of (option id, big-endian offset, big-endian length) entries
// ended by 0xFF, followed by the option data; offsets count from the start of the payload.
// DecodePrelogin reads VERSION, ENCRYPTION, INSTOPT, THREADID, MARS, TRACEID, FEDAUTHREQUIRED and
// NONCE, skips option ids it does not know (newer clients may send more), and rejects entries
// that point outside the payload or have the wrong size (error 4002). EncodePreloginResponse
// builds the server's answer: VERSION 16.0, the ENCRYPTION answer, INSTOPT 0 (instance name
// matched) and MARS 0 (edgesql does not offer MARS).
//
// NegotiateEncryption implements the matrix of 2.2.6.5 (ENCRYPTION): what the server answers for
// the client's value and the server's configuration, and what the network layer must then do.
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "tds/protocol.h"

namespace edgesql::tds {

struct PreloginRequest {
  // VERSION: the client library's version (UL_VERSION big-endian, US_SUBBUILD).
  bool has_version = false;
  uint32_t client_version = 0;
  uint16_t client_subbuild = 0;
  // ENCRYPTION, without the client-certificate bit (see client_cert_requested).
  std::optional<uint8_t> encryption;
  bool client_cert_requested = false;
  std::string instance;  // INSTOPT: the instance name the client asks for ("" or "MSSQLServer")
  std::optional<uint32_t> thread_id;
  std::optional<uint8_t> mars;
  // TRACEID: connection id (16 bytes), activity id (16 bytes), activity sequence.
  std::optional<std::array<uint8_t, 36>> trace_id;
  std::optional<uint8_t> fed_auth_required;
  std::optional<std::array<uint8_t, 32>> nonce;
  std::vector<uint8_t> unknown_options;  // ids skipped
};

Result<PreloginRequest> DecodePrelogin(ByteView payload);

struct PreloginResponse {
  uint8_t encryption = kEncryptNotSup;
  uint8_t major = kServerMajorVersion;
  uint8_t minor = kServerMinorVersion;
  uint16_t build = kServerBuild;
  uint16_t subbuild = 0;
};

// The payload of the server's PRELOGIN reply (sent as a tabular-result message, type 0x04).
Bytes EncodePreloginResponse(const PreloginResponse& response);

// How the server is configured for TLS.
enum class ServerEncryption : uint8_t {
  kNotSupported,  // no certificate: plaintext only
  kOptional,      // a certificate, used when the client wants it (and always for the login)
  kRequired,      // every connection must be encrypted (SQL Server's "force encryption")
};

// What the connection does after the PRELOGIN exchange.
enum class TlsMode : uint8_t {
  kNone,       // plaintext throughout
  kLoginOnly,  // TLS handshake, LOGIN7 encrypted, then plaintext (both sides answered OFF)
  kFull,       // TLS handshake, everything encrypted
  kRefuse,     // send the reply, then close: the client cannot meet the server's requirement
};

struct EncryptionDecision {
  uint8_t reply = kEncryptNotSup;
  TlsMode mode = TlsMode::kNone;
};

// `client` is the client's ENCRYPTION value (nullopt when the option was absent, which clients
// mean as OFF). A client that asks for ON from a server without a certificate gets NOT_SUP and
// closes the connection itself.
EncryptionDecision NegotiateEncryption(std::optional<uint8_t> client, ServerEncryption server);

}  // namespace edgesql::tds
