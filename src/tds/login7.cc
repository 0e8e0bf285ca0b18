#include "tds/login7.h"

#include <algorithm>
#include <string>

#include "common/errors.h"
#include "common/utf.h"
#include "tds/wire.h"

namespace edgesql::tds {
namespace {

SqlError Bad(const std::string& what) {
  return errors::Make(errors::kProtocolStreamIncorrect, {"LOGIN7: " + what});
}

// Offsets of the fixed fields ([MS-TDS] 2.2.6.4).
constexpr size_t kOffHostName = 36;
constexpr size_t kOffUserName = 40;
constexpr size_t kOffPassword = 44;
constexpr size_t kOffAppName = 48;
constexpr size_t kOffServerName = 52;
constexpr size_t kOffExtension = 56;
constexpr size_t kOffLibraryName = 60;
constexpr size_t kOffLanguage = 64;
constexpr size_t kOffDatabase = 68;
constexpr size_t kOffClientId = 72;
constexpr size_t kOffSspi = 78;
constexpr size_t kOffAttachDbFile = 82;
constexpr size_t kOffChangePassword = 86;
constexpr size_t kOffSspiLong = 90;

uint16_t U16At(ByteView rec, size_t at) {
  return static_cast<uint16_t>(rec[at] | (rec[at + 1] << 8));
}

uint32_t U32At(ByteView rec, size_t at) {
  return static_cast<uint32_t>(rec[at]) | (static_cast<uint32_t>(rec[at + 1]) << 8) |
         (static_cast<uint32_t>(rec[at + 2]) << 16) | (static_cast<uint32_t>(rec[at + 3]) << 24);
}

// Reads the (ib, cch) string whose offset/length pair sits at `field`.
Status ReadString(ByteView rec, size_t field, const char* name, bool scrambled, std::string* out) {
  size_t ib = U16At(rec, field);
  size_t cch = U16At(rec, field + 2);
  out->clear();
  if (cch == 0) return Status::Ok();
  if (ib + 2 * cch > rec.size())
    return Bad(std::string("the ") + name + " lies outside the record.");
  ByteView raw = rec.subspan(ib, 2 * cch);
  bool ok;
  if (scrambled) {
    Bytes clear(raw.begin(), raw.end());
    for (uint8_t& b : clear) b = wire::UnscramblePasswordByte(b);
    ok = utf::Utf16LeToUtf8(clear, out);
    std::fill(clear.begin(), clear.end(), 0);
  } else {
    ok = utf::Utf16LeToUtf8(raw, out);
  }
  if (!ok) return Bad(std::string("the ") + name + " is not valid UTF-16.");
  return Status::Ok();
}

Status ReadFeatureExt(ByteView rec, size_t offset, std::vector<FeatureExtension>* out) {
  if (offset > rec.size()) return Bad("the FeatureExt offset lies outside the record.");
  ByteReader r(rec.subspan(offset));
  // Each entry takes at least 5 bytes, so the loop ends within the record.
  while (true) {
    uint8_t id = r.U8();
    if (!r.ok()) return Bad("the FeatureExt block has no terminator.");
    if (id == kFeatureTerminator) return Status::Ok();
    uint32_t len = r.U32Le();
    if (!r.ok() || len > r.remaining()) return Bad("a FeatureExt entry is truncated.");
    ByteView data = r.Take(len);
    out->push_back(FeatureExtension{id, Bytes(data.begin(), data.end())});
  }
}

}  // namespace

const FeatureExtension* LoginRequest::FindFeature(uint8_t id) const {
  for (const FeatureExtension& f : features) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

Result<LoginRequest> DecodeLogin7(ByteView payload) {
  if (payload.size() < kLogin7FixedSize71) return Bad("the record is too short.");
  LoginRequest req;
  uint32_t length = U32At(payload, 0);
  if (length > payload.size()) return Bad("the record length exceeds the message.");
  req.tds_version = U32At(payload, 4);
  std::optional<TdsVersion> version = NegotiateTdsVersion(req.tds_version);
  bool v72 = version && HasAllHeaders(*version);
  size_t fixed = v72 ? kLogin7FixedSize72 : kLogin7FixedSize71;
  if (length < fixed) return Bad("the record is too short.");
  ByteView rec = payload.first(length);

  req.packet_size = U32At(rec, 8);
  req.client_prog_version = U32At(rec, 12);
  req.client_pid = U32At(rec, 16);
  req.connection_id = U32At(rec, 20);
  req.option_flags1 = rec[24];
  req.option_flags2 = rec[25];
  req.type_flags = rec[26];
  req.option_flags3 = rec[27];
  req.client_timezone = static_cast<int32_t>(U32At(rec, 28));
  req.client_lcid = U32At(rec, 32);

  EDGESQL_RETURN_IF_ERROR(ReadString(rec, kOffHostName, "host name", false, &req.hostname));
  EDGESQL_RETURN_IF_ERROR(ReadString(rec, kOffUserName, "user name", false, &req.username));
  EDGESQL_RETURN_IF_ERROR(ReadString(rec, kOffPassword, "password", true, &req.password));
  EDGESQL_RETURN_IF_ERROR(ReadString(rec, kOffAppName, "application name", false, &req.app_name));
  EDGESQL_RETURN_IF_ERROR(ReadString(rec, kOffServerName, "server name", false, &req.server_name));
  EDGESQL_RETURN_IF_ERROR(
      ReadString(rec, kOffLibraryName, "library name", false, &req.library_name));
  EDGESQL_RETURN_IF_ERROR(ReadString(rec, kOffLanguage, "language", false, &req.language));
  EDGESQL_RETURN_IF_ERROR(ReadString(rec, kOffDatabase, "database", false, &req.database));
  std::copy_n(rec.begin() + kOffClientId, 6, req.client_id.begin());
  EDGESQL_RETURN_IF_ERROR(
      ReadString(rec, kOffAttachDbFile, "attach file name", false, &req.attach_db_file));
  if (v72) {
    EDGESQL_RETURN_IF_ERROR(
        ReadString(rec, kOffChangePassword, "new password", true, &req.new_password));
  }

  // SSPI: cbSSPI in bytes; 0xFFFF means the length is in cbSSPILong (TDS 7.2+).
  size_t ib_sspi = U16At(rec, kOffSspi);
  size_t cb_sspi = U16At(rec, kOffSspi + 2);
  if (cb_sspi == 0xFFFF && v72) cb_sspi = U32At(rec, kOffSspiLong);
  if (cb_sspi > 0) {
    if (ib_sspi > rec.size() || cb_sspi > rec.size() - ib_sspi) {
      return Bad("the SSPI data lies outside the record.");
    }
    ByteView sspi = rec.subspan(ib_sspi, cb_sspi);
    req.sspi.assign(sspi.begin(), sspi.end());
  }

  // FeatureExt (TDS 7.4): ibExtension points at a DWORD holding the offset of the block.
  if (req.option_flags3 & kLoginExtension) {
    size_t ib_ext = U16At(rec, kOffExtension);
    size_t cb_ext = U16At(rec, kOffExtension + 2);
    if (cb_ext < 4 || ib_ext + 4 > rec.size()) {
      return Bad("the FeatureExt pointer lies outside the record.");
    }
    EDGESQL_RETURN_IF_ERROR(ReadFeatureExt(rec, U32At(rec, ib_ext), &req.features));
  }
  return req;
}

std::optional<TdsVersion> NegotiateTdsVersion(uint32_t requested) {
  // The top byte is the protocol revision (0x71..0x74); the rest distinguishes sub-revisions
  // (7.3A 0x730A0003, 7.3B 0x730B0003) and builds.
  uint32_t major = requested >> 24;
  if (major == 0x08) return TdsVersion::k74;  // TDS 8.0 (strict encryption): LOGINACK says 7.4
  if (major >= 0x74) return TdsVersion::k74;
  if (major == 0x73) {
    return requested >= static_cast<uint32_t>(TdsVersion::k73B) ? TdsVersion::k73B
                                                                : TdsVersion::k73A;
  }
  if (major == 0x72) return TdsVersion::k72;
  if (major == 0x71) return TdsVersion::k71;
  return std::nullopt;
}

uint32_t NegotiatePacketSize(uint32_t requested, uint32_t server_default) {
  if (requested == 0) return server_default;
  return std::clamp(requested, kMinPacketSize, kMaxPacketSize);
}

}  // namespace edgesql::tds
