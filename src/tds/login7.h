// LOGIN7 ([MS-TDS] 2.2.6.4): the client's login record, and the version and packet-size
// negotiation that follows from it.
//
// DecodeLogin7 reads the whole record: the fixed fields, every (offset, length) string (UTF-16,
// the password de-obfuscated), ClientID, the SSPI blob, the attach-file and change-password
// fields (TDS 7.2+), and the FeatureExt block the extension pointer leads to (TDS 7.4). Every
// offset and length is checked against the record, and every string must be valid UTF-16; any
// failure is error 4002 and the connection must be closed. Decoding does not judge the login:
// integrated security, user instances, unsupported TDS versions are reported for the caller to
// refuse (the network layer answers with error 18456 and closes).
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

struct FeatureExtension {
  uint8_t id = 0;
  Bytes data;
};

struct LoginRequest {
  uint32_t tds_version = 0;  // as requested (LOGIN7 writes it little-endian)
  uint32_t packet_size = 0;  // 0: the server's default
  uint32_t client_prog_version = 0;
  uint32_t client_pid = 0;
  uint32_t connection_id = 0;
  uint8_t option_flags1 = 0;
  uint8_t option_flags2 = 0;
  uint8_t type_flags = 0;
  uint8_t option_flags3 = 0;
  int32_t client_timezone = 0;
  uint32_t client_lcid = 0;

  std::string hostname;
  std::string username;
  std::string password;  // de-obfuscated
  std::string app_name;
  std::string server_name;
  std::string library_name;
  std::string language;
  std::string database;
  std::array<uint8_t, 6> client_id{};  // the client's MAC address, by convention
  Bytes sspi;
  std::string attach_db_file;
  std::string new_password;  // change password (fChangePassword), de-obfuscated
  std::vector<FeatureExtension> features;

  bool integrated_security() const { return (option_flags2 & kLoginIntegratedSecurity) != 0; }
  bool read_only_intent() const { return (type_flags & kLoginReadOnlyIntent) != 0; }
  bool change_password() const { return (option_flags3 & kLoginChangePassword) != 0; }
  bool user_instance() const { return (option_flags3 & kLoginUserInstance) != 0; }
  // fDatabase: failing to open the initial database fails the login (otherwise: a warning and
  // the default database).
  bool init_db_fatal() const { return (option_flags1 & kLoginInitDbFatal) != 0; }
  const FeatureExtension* FindFeature(uint8_t id) const;
  // The client sent UTF8_SUPPORT (FreeTDS: `0a 01000000 01`; tedious always).
  bool requests_utf8_support() const { return FindFeature(kFeatureUtf8Support) != nullptr; }
};

Result<LoginRequest> DecodeLogin7(ByteView payload);

// The version the server speaks with a client that asked for `requested`: the highest of 7.1,
// 7.2, 7.3A, 7.3B, 7.4 not above it (7.4 for anything newer, including TDS 8's 0x08000000).
// nullopt for TDS 7.0 and older, which edgesql does not speak.
std::optional<TdsVersion> NegotiateTdsVersion(uint32_t requested);

// The packet size granted for a LOGIN7 PacketSize: 0 means `server_default`; others are clamped
// to 512..32767 as SQL Server does.
uint32_t NegotiatePacketSize(uint32_t requested, uint32_t server_default = kDefaultPacketSize);

}  // namespace edgesql::tds
