// The client side of the requests edgesql decodes: builds PRELOGIN, LOGIN7, SQL batch, RPC and
// transaction manager messages as TDS clients send them, and splits payloads into packets.
//
// edgesql's server never calls these. They exist so that unit tests, the fuzzer's seed corpus and
// diagnostic tools can produce well-formed client messages from the same structures the decoders
// return (EncodeLogin7(DecodeLogin7(x)) reproduces x's content), each field placed exactly as
// [MS-TDS] 2.2.6 lays it out. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "tds/bulk_load.h"
#include "tds/login7.h"
#include "tds/prelogin.h"
#include "tds/protocol.h"
#include "tds/requests.h"

namespace edgesql::tds::client {

Bytes EncodePrelogin(const PreloginRequest& request);

// A LOGIN7 record in the layout of `request.tds_version` (86-byte fixed part for 7.1, 94 from
// 7.2); the password is obfuscated; `features` become a FeatureExt block (fExtension is set).
Bytes EncodeLogin7(const LoginRequest& request);

// ALL_HEADERS with a transaction descriptor header.
Bytes EncodeAllHeaders(uint64_t transaction_descriptor, uint32_t outstanding_requests = 1);

// Request payloads; ALL_HEADERS is included when `version` has it.
Bytes EncodeSqlBatch(std::string_view text, TdsVersion version, uint64_t descriptor = 0);
// Parameters are encoded from their type_info and value (the value's payload must suit the type).
Result<Bytes> EncodeRpc(const RpcRequest& request, TdsVersion version, uint64_t descriptor = 0);
Bytes EncodeTransactionManager(const TransactionManagerRequest& request, TdsVersion version,
                               uint64_t descriptor = 0);

// A BULK LOAD payload ([MS-TDS] 2.2.6.1): COLMETADATA for `columns` (a US_VARCHAR table name
// for TEXT/NTEXT/IMAGE, as clients send it), a ROW per row (values in the row form), then DONE
// unless `with_done` is false (FreeTDS sends none).
Result<Bytes> EncodeBulkLoad(std::span<const BulkColumn> columns,
                             std::span<const std::vector<Value>> rows, TdsVersion version,
                             bool with_done = true);

// Splits `payload` into packets of at most `packet_size` bytes; `status` is OR-ed into the first
// packet's status (RESETCONNECTION bits), EOM into the last.
Bytes Packetize(uint8_t type, ByteView payload, uint32_t packet_size = kDefaultPacketSize,
                uint8_t status = 0);

}  // namespace edgesql::tds::client
