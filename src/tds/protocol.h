// Every wire constant of the Tabular Data Stream protocol edgesql speaks, TDS 7.1 through 7.4,
// each with the section of [MS-TDS] (Microsoft's open specification, revision 2022+) it comes
// from. No other file in edgesql spells a TDS number: codecs, tests and the network layer name
// these constants instead.
//
// Byte order, for the record: the packet header is big-endian (2.2.3.1); everything inside a
// message is little-endian except the PRELOGIN option table (2.2.6.5), the version in LOGINACK
// (2.2.7.14) and the TDS version numbers below when they are written big-endian there.
//
// Header-only, constexpr; thread-safe.
#pragma once

#include <cstdint>

namespace edgesql::tds {

// --- TDS versions ([MS-TDS] 2.2.6.4 TDSVersion, 2.2.7.14 LOGINACK) -------------------------------
// The numeric order of these values is the order of the protocol revisions, so "at least 7.2" is
// `version >= kTds72`.
enum class TdsVersion : uint32_t {
  k71 = 0x71000001,   // SQL Server 2000 SP1 (jTDS 1.3's TDS 7.1)
  k72 = 0x72090002,   // SQL Server 2005: ALL_HEADERS, (max) types as PLP, 8-byte DONE row counts
  k73A = 0x730A0003,  // SQL Server 2008: date, time, datetime2, datetimeoffset
  k73B = 0x730B0003,  // SQL Server 2008 (later builds): NBCROW used by servers from here on
  k74 = 0x74000004,   // SQL Server 2012+: FeatureExt, session recovery, UTF-8 support ack
};

inline constexpr bool AtLeast(TdsVersion v, TdsVersion min) {
  return static_cast<uint32_t>(v) >= static_cast<uint32_t>(min);
}
// ALL_HEADERS on SQL batch, RPC and TM requests (2.2.5.3); 4-byte COLMETADATA UserType; 8-byte
// DONE row counts; 4-byte ERROR/INFO line numbers; (max) types as PLP.
inline constexpr bool HasAllHeaders(TdsVersion v) { return AtLeast(v, TdsVersion::k72); }
inline constexpr bool HasPlp(TdsVersion v) { return AtLeast(v, TdsVersion::k72); }
// date, time, datetime2, datetimeoffset (2.2.5.4.2: "introduced in TDS 7.3").
inline constexpr bool HasDateTimeTypes(TdsVersion v) { return AtLeast(v, TdsVersion::k73A); }
// NBCROW token (2.2.7.15: "introduced in TDS 7.3.B").
inline constexpr bool HasNbcRow(TdsVersion v) { return AtLeast(v, TdsVersion::k73B); }
// FeatureExt in LOGIN7 and FEATUREEXTACK (2.2.6.4, 2.2.7.11: "introduced in TDS 7.4").
inline constexpr bool HasFeatureExt(TdsVersion v) { return AtLeast(v, TdsVersion::k74); }

// --- Packet header ([MS-TDS] 2.2.3.1) ----------------------------------------------------------
inline constexpr size_t kPacketHeaderSize = 8;
// Negotiated packet size bounds (2.2.6.4 PacketSize; SQL Server's 'network packet size' option).
inline constexpr uint32_t kMinPacketSize = 512;
inline constexpr uint32_t kMaxPacketSize = 32767;
inline constexpr uint32_t kDefaultPacketSize = 4096;

// Packet types (2.2.3.1.1).
inline constexpr uint8_t kPacketSqlBatch = 0x01;
inline constexpr uint8_t kPacketPreTds7Login = 0x02;  // rejected: TDS 4.2/5.0 login
inline constexpr uint8_t kPacketRpc = 0x03;
inline constexpr uint8_t kPacketTabularResult = 0x04;  // every server->client message
inline constexpr uint8_t kPacketAttention = 0x06;
inline constexpr uint8_t kPacketBulkLoad = 0x07;
inline constexpr uint8_t kPacketFedAuthToken = 0x08;
inline constexpr uint8_t kPacketTransactionManager = 0x0E;
inline constexpr uint8_t kPacketLogin7 = 0x10;
inline constexpr uint8_t kPacketSspi = 0x11;
inline constexpr uint8_t kPacketPrelogin = 0x12;  // also carries TLS handshake records

// Packet status bits (2.2.3.1.2).
inline constexpr uint8_t kStatusNormal = 0x00;
inline constexpr uint8_t kStatusEom = 0x01;
inline constexpr uint8_t kStatusIgnore = 0x02;  // with EOM: the client abandons the message
inline constexpr uint8_t kStatusResetConnection = 0x08;
inline constexpr uint8_t kStatusResetConnectionSkipTran = 0x10;

// --- ALL_HEADERS ([MS-TDS] 2.2.5.3) -------------------------------------------------------------
inline constexpr uint16_t kHeaderQueryNotifications = 0x0001;
inline constexpr uint16_t kHeaderTransactionDescriptor = 0x0002;
inline constexpr uint16_t kHeaderTraceActivity = 0x0003;

// --- PRELOGIN ([MS-TDS] 2.2.6.5) ----------------------------------------------------------------
inline constexpr uint8_t kPreloginVersion = 0x00;
inline constexpr uint8_t kPreloginEncryption = 0x01;
inline constexpr uint8_t kPreloginInstOpt = 0x02;
inline constexpr uint8_t kPreloginThreadId = 0x03;
inline constexpr uint8_t kPreloginMars = 0x04;
inline constexpr uint8_t kPreloginTraceId = 0x05;
inline constexpr uint8_t kPreloginFedAuthRequired = 0x06;
inline constexpr uint8_t kPreloginNonce = 0x07;
inline constexpr uint8_t kPreloginTerminator = 0xFF;

// ENCRYPTION option values.
inline constexpr uint8_t kEncryptOff = 0x00;            // encrypt the login packet only
inline constexpr uint8_t kEncryptOn = 0x01;             // encrypt everything
inline constexpr uint8_t kEncryptNotSup = 0x02;         // no TLS at all
inline constexpr uint8_t kEncryptReq = 0x03;            // server requires encryption
inline constexpr uint8_t kEncryptClientCertBit = 0x80;  // client certificate auth (not supported)

// --- LOGIN7 ([MS-TDS] 2.2.6.4) ------------------------------------------------------------------
// OptionFlags1
inline constexpr uint8_t kLoginByteOrder68000 = 0x01;  // fByteOrder: 1 = big-endian (rejected)
inline constexpr uint8_t kLoginCharEbcdic = 0x02;      // fChar: 1 = EBCDIC (rejected)
inline constexpr uint8_t kLoginFloatMask = 0x0C;       // fFloat: 0 = IEEE 754
inline constexpr uint8_t kLoginDumpLoadOff = 0x10;
inline constexpr uint8_t kLoginUseDbNotify = 0x20;  // fUseDB: ENVCHANGE on database change
inline constexpr uint8_t kLoginInitDbFatal = 0x40;  // fDatabase: failing to open the db is fatal
inline constexpr uint8_t kLoginSetLangNotify = 0x80;
// OptionFlags2
inline constexpr uint8_t kLoginInitLangFatal = 0x01;
inline constexpr uint8_t kLoginOdbc = 0x02;
inline constexpr uint8_t kLoginUserTypeMask = 0x70;
inline constexpr uint8_t kLoginIntegratedSecurity = 0x80;  // fIntSecurity: SSPI login
// TypeFlags
inline constexpr uint8_t kLoginSqlTypeMask = 0x0F;
inline constexpr uint8_t kLoginOleDb = 0x10;
inline constexpr uint8_t kLoginReadOnlyIntent = 0x20;
// OptionFlags3
inline constexpr uint8_t kLoginChangePassword = 0x01;
inline constexpr uint8_t kLoginUserInstance = 0x02;
inline constexpr uint8_t kLoginSendYukonBinaryXml = 0x04;
inline constexpr uint8_t kLoginUnknownCollationHandling = 0x08;
inline constexpr uint8_t kLoginExtension = 0x10;  // fExtension: ibExtension points at FeatureExt

// Fixed part of LOGIN7: through ibAtchDBFile/cchAtchDBFile (TDS 7.1), plus ibChangePassword,
// cchChangePassword and cbSSPILong from TDS 7.2.
inline constexpr size_t kLogin7FixedSize71 = 86;
inline constexpr size_t kLogin7FixedSize72 = 94;

// FeatureExt feature ids (2.2.6.4 FeatureId).
inline constexpr uint8_t kFeatureSessionRecovery = 0x01;
inline constexpr uint8_t kFeatureFedAuth = 0x02;
inline constexpr uint8_t kFeatureColumnEncryption = 0x04;
inline constexpr uint8_t kFeatureGlobalTransactions = 0x05;
inline constexpr uint8_t kFeatureAzureSqlSupport = 0x08;
inline constexpr uint8_t kFeatureDataClassification = 0x09;
inline constexpr uint8_t kFeatureUtf8Support = 0x0A;
inline constexpr uint8_t kFeatureAzureSqlDnsCaching = 0x0B;
inline constexpr uint8_t kFeatureJsonSupport = 0x0D;
inline constexpr uint8_t kFeatureVectorSupport = 0x0E;
inline constexpr uint8_t kFeatureTerminator = 0xFF;

// --- RPC ([MS-TDS] 2.2.6.6) ---------------------------------------------------------------------
inline constexpr uint16_t kProcIdSwitch = 0xFFFF;  // NameLenProcID: a ProcID follows
// Well-known procedure ids (2.2.6.6 ProcID).
inline constexpr uint16_t kProcCursor = 1;
inline constexpr uint16_t kProcCursorOpen = 2;
inline constexpr uint16_t kProcCursorPrepare = 3;
inline constexpr uint16_t kProcCursorExecute = 4;
inline constexpr uint16_t kProcCursorPrepExec = 5;
inline constexpr uint16_t kProcCursorUnprepare = 6;
inline constexpr uint16_t kProcCursorFetch = 7;
inline constexpr uint16_t kProcCursorOption = 8;
inline constexpr uint16_t kProcCursorClose = 9;
inline constexpr uint16_t kProcExecuteSql = 10;
inline constexpr uint16_t kProcPrepare = 11;
inline constexpr uint16_t kProcExecute = 12;
inline constexpr uint16_t kProcPrepExec = 13;
inline constexpr uint16_t kProcPrepExecRpc = 14;
inline constexpr uint16_t kProcUnprepare = 15;
// OptionFlags
inline constexpr uint16_t kRpcWithRecompile = 0x0001;
inline constexpr uint16_t kRpcNoMetadata = 0x0002;
inline constexpr uint16_t kRpcReuseMetadata = 0x0004;
// Parameter StatusFlags
inline constexpr uint8_t kParamByRef = 0x01;  // OUTPUT parameter
inline constexpr uint8_t kParamDefault = 0x02;
inline constexpr uint8_t kParamEncrypted = 0x08;  // Always Encrypted (not supported)
// Separators between RPCs of one message: BatchFlag (0x80; 0xFF from TDS 7.2) and NoExecFlag.
inline constexpr uint8_t kRpcBatchFlag = 0x80;
inline constexpr uint8_t kRpcBatchFlag72 = 0xFF;
inline constexpr uint8_t kRpcNoExecFlag = 0xFE;
// At most this many parameters per RPC (SQL Server's limit; error 8003).
inline constexpr size_t kMaxRpcParameters = 2100;

// --- Transaction manager request ([MS-TDS] 2.2.6.9) --------------------------------------------
inline constexpr uint16_t kTmGetDtcAddress = 0;
inline constexpr uint16_t kTmPropagateXact = 1;
inline constexpr uint16_t kTmBeginXact = 5;
inline constexpr uint16_t kTmPromoteXact = 6;
inline constexpr uint16_t kTmCommitXact = 7;
inline constexpr uint16_t kTmRollbackXact = 8;
inline constexpr uint16_t kTmSaveXact = 9;
// fBeginXact in TM_COMMIT_XACT / TM_ROLLBACK_XACT flags.
inline constexpr uint8_t kTmBeginXactFlag = 0x01;
// ISOLATION_LEVEL values.
inline constexpr uint8_t kIsolationNoChange = 0;
inline constexpr uint8_t kIsolationReadUncommitted = 1;
inline constexpr uint8_t kIsolationReadCommitted = 2;
inline constexpr uint8_t kIsolationRepeatableRead = 3;
inline constexpr uint8_t kIsolationSerializable = 4;
inline constexpr uint8_t kIsolationSnapshot = 5;

// --- Token types ([MS-TDS] 2.2.7) ---------------------------------------------------------------
inline constexpr uint8_t kTokenAltMetadata = 0x88;
inline constexpr uint8_t kTokenAltRow = 0xD3;
inline constexpr uint8_t kTokenColInfo = 0xA5;
inline constexpr uint8_t kTokenColMetadata = 0x81;
inline constexpr uint8_t kTokenDataClassification = 0xA3;
inline constexpr uint8_t kTokenDone = 0xFD;
inline constexpr uint8_t kTokenDoneProc = 0xFE;
inline constexpr uint8_t kTokenDoneInProc = 0xFF;
inline constexpr uint8_t kTokenEnvChange = 0xE3;
inline constexpr uint8_t kTokenError = 0xAA;
inline constexpr uint8_t kTokenFeatureExtAck = 0xAE;
inline constexpr uint8_t kTokenFedAuthInfo = 0xEE;
inline constexpr uint8_t kTokenInfo = 0xAB;
inline constexpr uint8_t kTokenLoginAck = 0xAD;
inline constexpr uint8_t kTokenNbcRow = 0xD2;
inline constexpr uint8_t kTokenOffset = 0x78;
inline constexpr uint8_t kTokenOrder = 0xA9;
inline constexpr uint8_t kTokenReturnStatus = 0x79;
inline constexpr uint8_t kTokenReturnValue = 0xAC;
inline constexpr uint8_t kTokenRow = 0xD1;
inline constexpr uint8_t kTokenSessionState = 0xE4;
inline constexpr uint8_t kTokenSspi = 0xED;
inline constexpr uint8_t kTokenTabName = 0xA4;

// DONE / DONEPROC / DONEINPROC status bits (2.2.7.6).
inline constexpr uint16_t kDoneFinal = 0x0000;
inline constexpr uint16_t kDoneMore = 0x0001;
inline constexpr uint16_t kDoneError = 0x0002;
inline constexpr uint16_t kDoneInXact = 0x0004;
inline constexpr uint16_t kDoneCount = 0x0010;
inline constexpr uint16_t kDoneAttn = 0x0020;
inline constexpr uint16_t kDoneSrvError = 0x0100;

// DONE CurCmd values: the statement kind, as SQL Server reports it (the values clients see in
// captures; [MS-TDS] 2.2.7.6 leaves CurCmd to the application layer).
inline constexpr uint16_t kCurCmdNone = 0x0000;
inline constexpr uint16_t kCurCmdSelect = 0x00C1;
inline constexpr uint16_t kCurCmdInsert = 0x00C3;
inline constexpr uint16_t kCurCmdDelete = 0x00C4;
inline constexpr uint16_t kCurCmdUpdate = 0x00C5;
inline constexpr uint16_t kCurCmdRollback = 0x00D2;
inline constexpr uint16_t kCurCmdBeginTran = 0x00D4;
inline constexpr uint16_t kCurCmdCommit = 0x00D5;
inline constexpr uint16_t kCurCmdExecute = 0x00E0;

// ENVCHANGE types (2.2.7.9).
inline constexpr uint8_t kEnvDatabase = 1;
inline constexpr uint8_t kEnvLanguage = 2;
inline constexpr uint8_t kEnvCharset = 3;
inline constexpr uint8_t kEnvPacketSize = 4;
inline constexpr uint8_t kEnvUnicodeSortLocale = 5;
inline constexpr uint8_t kEnvUnicodeSortFlags = 6;
inline constexpr uint8_t kEnvSqlCollation = 7;
inline constexpr uint8_t kEnvBeginTransaction = 8;
inline constexpr uint8_t kEnvCommitTransaction = 9;
inline constexpr uint8_t kEnvRollbackTransaction = 10;
inline constexpr uint8_t kEnvEnlistDtc = 11;
inline constexpr uint8_t kEnvDefectTransaction = 12;
inline constexpr uint8_t kEnvMirrorPartner = 13;
inline constexpr uint8_t kEnvPromoteTransaction = 15;
inline constexpr uint8_t kEnvTransactionManagerAddress = 16;
inline constexpr uint8_t kEnvTransactionEnded = 17;
inline constexpr uint8_t kEnvResetConnectionAck = 18;
inline constexpr uint8_t kEnvUserInstanceStarted = 19;
inline constexpr uint8_t kEnvRouting = 20;

// LOGINACK Interface (2.2.7.14).
inline constexpr uint8_t kInterfaceSqlDefault = 0;
inline constexpr uint8_t kInterfaceTsql = 1;

// RETURNVALUE Status (2.2.7.18).
inline constexpr uint8_t kReturnValueOutput = 0x01;
inline constexpr uint8_t kReturnValueUdf = 0x02;

// COLMETADATA / RETURNVALUE Flags (2.2.7.4).
inline constexpr uint16_t kColNullable = 0x0001;
inline constexpr uint16_t kColCaseSensitive = 0x0002;
inline constexpr uint16_t kColUpdatableReadWrite = 0x0004;  // usUpdateable = 1
inline constexpr uint16_t kColUpdatableUnknown = 0x0008;    // usUpdateable = 2
inline constexpr uint16_t kColIdentity = 0x0010;
inline constexpr uint16_t kColComputed = 0x0020;
inline constexpr uint16_t kColHidden = 0x2000;
inline constexpr uint16_t kColKey = 0x4000;
inline constexpr uint16_t kColNullableUnknown = 0x8000;
// COLMETADATA Count value meaning "no metadata" (2.2.7.4 NoMetaData).
inline constexpr uint16_t kNoMetadata = 0xFFFF;

// --- Data types ([MS-TDS] 2.2.5.4) --------------------------------------------------------------
// Fixed-length types (2.2.5.4.1).
inline constexpr uint8_t kTypeNull = 0x1F;
inline constexpr uint8_t kTypeInt1 = 0x30;
inline constexpr uint8_t kTypeBit = 0x32;
inline constexpr uint8_t kTypeInt2 = 0x34;
inline constexpr uint8_t kTypeInt4 = 0x38;
inline constexpr uint8_t kTypeDateTim4 = 0x3A;
inline constexpr uint8_t kTypeFlt4 = 0x3B;
inline constexpr uint8_t kTypeMoney = 0x3C;
inline constexpr uint8_t kTypeDateTime = 0x3D;
inline constexpr uint8_t kTypeFlt8 = 0x3E;
inline constexpr uint8_t kTypeMoney4 = 0x7A;
inline constexpr uint8_t kTypeInt8 = 0x7F;
// Variable-length types (2.2.5.4.2).
inline constexpr uint8_t kTypeGuid = 0x24;
inline constexpr uint8_t kTypeIntN = 0x26;
inline constexpr uint8_t kTypeDecimal = 0x37;  // legacy (TDS 4.2/5.0), rejected
inline constexpr uint8_t kTypeNumeric = 0x3F;  // legacy (TDS 4.2/5.0), rejected
inline constexpr uint8_t kTypeBitN = 0x68;
inline constexpr uint8_t kTypeDecimalN = 0x6A;
inline constexpr uint8_t kTypeNumericN = 0x6C;
inline constexpr uint8_t kTypeFltN = 0x6D;
inline constexpr uint8_t kTypeMoneyN = 0x6E;
inline constexpr uint8_t kTypeDateTimN = 0x6F;
inline constexpr uint8_t kTypeDateN = 0x28;
inline constexpr uint8_t kTypeTimeN = 0x29;
inline constexpr uint8_t kTypeDateTime2N = 0x2A;
inline constexpr uint8_t kTypeDateTimeOffsetN = 0x2B;
inline constexpr uint8_t kTypeChar = 0x2F;       // legacy 1-byte-length char, no collation
inline constexpr uint8_t kTypeVarChar = 0x27;    // legacy 1-byte-length varchar, no collation
inline constexpr uint8_t kTypeBinary = 0x2D;     // legacy 1-byte-length binary
inline constexpr uint8_t kTypeVarBinary = 0x25;  // legacy 1-byte-length varbinary
inline constexpr uint8_t kTypeBigVarBinary = 0xA5;
inline constexpr uint8_t kTypeBigVarChar = 0xA7;
inline constexpr uint8_t kTypeBigBinary = 0xAD;
inline constexpr uint8_t kTypeBigChar = 0xAF;
inline constexpr uint8_t kTypeNVarChar = 0xE7;
inline constexpr uint8_t kTypeNChar = 0xEF;
inline constexpr uint8_t kTypeXml = 0xF1;
inline constexpr uint8_t kTypeUdt = 0xF0;
inline constexpr uint8_t kTypeText = 0x23;
inline constexpr uint8_t kTypeImage = 0x22;
inline constexpr uint8_t kTypeNText = 0x63;
inline constexpr uint8_t kTypeSsVariant = 0x62;
inline constexpr uint8_t kTypeTvp = 0xF3;  // TVP_TYPE_INFO (2.2.5.5.5), rejected

// USHORTLEN max length announcing a PLP value (2.2.5.2.3: varchar(max) etc.).
inline constexpr uint16_t kPlpMaxLength = 0xFFFF;
// PLP total lengths (2.2.5.2.3).
inline constexpr uint64_t kPlpNull = 0xFFFFFFFFFFFFFFFFull;
inline constexpr uint64_t kPlpUnknownLength = 0xFFFFFFFFFFFFFFFEull;
// NULL markers of the other length prefixes (2.2.4.2.1.3 CHARBIN_NULL, 2.2.5.2.x).
inline constexpr uint16_t kCharBinNull = 0xFFFF;
inline constexpr uint32_t kLongLenNull = 0xFFFFFFFF;
// Text pointer length SQL Server sends with non-NULL TEXT/NTEXT/IMAGE row values (2.2.4.2.1.3).
inline constexpr uint8_t kTextPtrLength = 16;

// fUTF8 in the 5-byte COLLATION (2.2.5.1.2): LCID is bits 0-19 of the little-endian word, the
// flags bits 20-27 (IgnoreCase, IgnoreAccent, IgnoreKana, IgnoreWidth, Binary, Binary2, UTF8), so
// fUTF8 is bit 2 of byte 3.
inline constexpr uint8_t kCollationUtf8Flag = 0x04;  // mask for collation byte 3

// --- Server identity ----------------------------------------------------------------------------
// edgesql answers as SQL Server 2022 (16.0): drivers choose features and dialects by this number
// and by the program name "Microsoft SQL Server" (FreeTDS ODBC returns it as SQL_DBMS_NAME).
inline constexpr uint8_t kServerMajorVersion = 16;
inline constexpr uint8_t kServerMinorVersion = 0;
inline constexpr uint16_t kServerBuild = 1000;
inline constexpr const char* kServerProgramName = "Microsoft SQL Server";

}  // namespace edgesql::tds
