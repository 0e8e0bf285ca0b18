// BULK LOAD decoding ([MS-TDS] 2.2.6.1); the contract is in bulk_load.h.
#include "tds/bulk_load.h"

#include <algorithm>
#include <string>

#include "common/errors.h"
#include "tds/wire.h"

namespace edgesql::tds {
namespace {

SqlError StatementError(SqlError e) {
  e.scope = ErrorScope::kStatement;
  return e;
}

SqlError Malformed(const std::string& what) {
  return StatementError(errors::Make(errors::kProtocolStreamIncorrect, {what}));
}

// Part boundaries fall anywhere; a token cut by one is tried again once at least this many
// times the bytes it had are there, so a large value is re-read a logarithmic number of times.
constexpr size_t kRetryGrowth = 2;

}  // namespace

BulkLoadDecoder::BulkLoadDecoder(TdsVersion version, DecodeLimits limits, size_t max_row_bytes)
    : version_(version), limits_(limits), max_row_bytes_(max_row_bytes) {}

void BulkLoadDecoder::Append(ByteView part) {
  // Drop what has been read once it is at least half the buffer: each byte moves O(1) times.
  if (pos_ > 0 && pos_ >= buffer_.size() - pos_) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buffer_.insert(buffer_.end(), part.begin(), part.end());
  bytes_ += part.size();
}

BulkLoadDecoder::Step BulkLoadDecoder::Fail(SqlError error) {
  error_ = std::move(error);
  return Step::kFailed;
}

BulkLoadDecoder::Step BulkLoadDecoder::ValueError(WireError e, size_t column) {
  std::string colid = std::to_string(column + 1);
  switch (e) {
    case WireError::kTruncated:
      return Step::kTruncated;
    case WireError::kUnknownType:
      return Fail(StatementError(errors::Make(errors::kBulkInvalidColumnType, {colid})));
    case WireError::kInvalidLength:
      return Fail(StatementError(errors::Make(errors::kBulkInvalidColumnLength, {colid})));
    case WireError::kInvalidValue:
      return Fail(StatementError(errors::Make(
          errors::kBulkConversion, {std::to_string(rows_ + 1), colid,
                                    column < columns_.size() ? columns_[column].name : ""})));
    case WireError::kTooLarge:
      return Fail(StatementError(
          errors::Make(errors::kRequestTooLarge,
                       {std::to_string(limits_.max_value_bytes), "a bulk load value"})));
    case WireError::kNone:
      break;
  }
  return Step::kOk;
}

// COLMETADATA (2.2.7.4) as a client sends it for a bulk load.
BulkLoadDecoder::Step BulkLoadDecoder::Metadata(ByteReader* in) {
  uint16_t count = in->U16Le();
  if (!in->ok()) return Step::kTruncated;
  if (count == kNoMetadata) return Fail(Malformed("A bulk load must describe its columns."));
  std::vector<BulkColumn> columns(count);
  for (size_t i = 0; i < count; ++i) {
    BulkColumn& c = columns[i];
    c.user_type = HasAllHeaders(version_) ? in->U32Le() : in->U16Le();
    c.flags = in->U16Le();
    if (!in->ok()) return Step::kTruncated;
    WireError e = ReadTypeInfo(in, &c.type_info);
    if (e != WireError::kNone) return ValueError(e, i);
    if (c.type_info.IsLegacyLob() && !wire::ReadUsVarChar(in, &c.table_name)) {
      if (!in->ok()) return Step::kTruncated;
      return Fail(Malformed("The table name of bulk load column " + std::to_string(i + 1) +
                            " is not valid UTF-16."));
    }
    if (!wire::ReadBVarChar(in, &c.name)) {
      if (!in->ok()) return Step::kTruncated;
      return Fail(Malformed("The name of bulk load column " + std::to_string(i + 1) +
                            " is not valid UTF-16."));
    }
  }
  columns_ = std::move(columns);
  has_metadata_ = true;
  return Step::kOk;
}

// ROW (2.2.7.20) or NBCROW (2.2.7.15): the values in the row form, TEXT/NTEXT/IMAGE with their
// text pointers.
BulkLoadDecoder::Step BulkLoadDecoder::RowToken(ByteReader* in, bool nbc, std::vector<Value>* row) {
  row->resize(columns_.size());
  ByteView bitmap;
  if (nbc) {
    bitmap = in->Take((columns_.size() + 7) / 8);
    if (!in->ok()) return Step::kTruncated;
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    const TypeInfo& ti = columns_[i].type_info;
    if (nbc && (bitmap[i / 8] & (1u << (i % 8))) != 0) {
      (*row)[i] = Value::Null(SqlTypeOf(ti));
      continue;
    }
    WireError e = DecodeValue(in, ti, ValueForm::kRow, limits_, &(*row)[i]);
    if (e != WireError::kNone) return ValueError(e, i);
  }
  return Step::kOk;
}

// DONE (2.2.7.6): the client's status and count are not used.
BulkLoadDecoder::Step BulkLoadDecoder::DoneToken(ByteReader* in) {
  in->Skip(HasAllHeaders(version_) ? 12 : 8);
  if (!in->ok()) return Step::kTruncated;
  done_ = true;
  return Step::kOk;
}

Result<BulkLoadDecoder::Item> BulkLoadDecoder::Next(std::vector<Value>* row) {
  if (!error_.ok()) return error_;
  for (;;) {
    const size_t available = buffer_.size() - pos_;
    if (done_) {
      // Nothing may follow DONE, in this part or a later one.
      if (available == 0) return finished_ ? Item::kDone : Item::kNeedMore;
      Fail(Malformed("Unexpected data after the DONE token of a bulk load."));
      return error_;
    }
    if (available == 0) {
      if (!finished_) return Item::kNeedMore;
      if (has_metadata_) return Item::kDone;  // FreeTDS sends no DONE
      Fail(StatementError(errors::Make(errors::kBulkPrematureEnd)));
      return error_;
    }
    if (!finished_ && available < retry_at_) return Item::kNeedMore;
    ByteReader in(ByteView(buffer_).subspan(pos_));
    const uint8_t token = in.U8();
    Step step;
    bool is_row = false;
    switch (token) {
      case kTokenColMetadata:
        step = has_metadata_ ? Fail(Malformed("A bulk load has a second COLMETADATA token."))
                             : Metadata(&in);
        break;
      case kTokenRow:
      case kTokenNbcRow:
        is_row = true;
        step = has_metadata_ ? RowToken(&in, token == kTokenNbcRow, row)
                             : Fail(Malformed("A bulk load row precedes its COLMETADATA token."));
        break;
      case kTokenDone:
        step = DoneToken(&in);
        break;
      default:
        step = Fail(Malformed("Unexpected token 0x" + wire::HexByte(token) + " in a bulk load."));
        break;
    }
    if (step == Step::kFailed) return error_;
    if (step == Step::kTruncated) {
      if (finished_) {
        Fail(StatementError(errors::Make(errors::kBulkPrematureEnd)));
        return error_;
      }
      if (available > max_row_bytes_) {
        Fail(StatementError(errors::Make(errors::kRequestTooLarge,
                                         {std::to_string(max_row_bytes_), "a bulk load row"})));
        return error_;
      }
      retry_at_ = std::max(available * kRetryGrowth, available + 1);
      return Item::kNeedMore;
    }
    pos_ += in.offset();
    retry_at_ = 0;
    if (is_row) {
      ++rows_;
      return Item::kRow;
    }
  }
}

}  // namespace edgesql::tds
