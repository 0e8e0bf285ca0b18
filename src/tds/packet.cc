#include "tds/packet.h"

#include <algorithm>
#include <string>

#include "common/check.h"
#include "common/errors.h"

namespace edgesql::tds {
namespace {

bool IsClientPacketType(uint8_t type) {
  switch (type) {
    case kPacketSqlBatch:
    case kPacketRpc:
    case kPacketAttention:
    case kPacketBulkLoad:
    case kPacketFedAuthToken:
    case kPacketTransactionManager:
    case kPacketLogin7:
    case kPacketSspi:
    case kPacketPrelogin:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<PacketHeader> ParsePacketHeader(ByteView data) {
  if (data.size() < kPacketHeaderSize) return std::nullopt;
  PacketHeader h;
  h.type = data[0];
  h.status = data[1];
  h.length = static_cast<uint16_t>((data[2] << 8) | data[3]);
  h.spid = static_cast<uint16_t>((data[4] << 8) | data[5]);
  h.packet_id = data[6];
  h.window = data[7];
  return h;
}

void WritePacketHeader(const PacketHeader& h, uint8_t* out) {
  out[0] = h.type;
  out[1] = h.status;
  out[2] = static_cast<uint8_t>(h.length >> 8);
  out[3] = static_cast<uint8_t>(h.length);
  out[4] = static_cast<uint8_t>(h.spid >> 8);
  out[5] = static_cast<uint8_t>(h.spid);
  out[6] = h.packet_id;
  out[7] = h.window;
}

// --- MessageAssembler -----------------------------------------------------------------------

Status MessageAssembler::Fail(Status status) {
  failed_ = status;
  building_ = Message();
  return status;
}

Status MessageAssembler::StartPacket() {
  std::optional<PacketHeader> h = ParsePacketHeader(ByteView(header_, kPacketHeaderSize));
  current_ = *h;
  if (current_.length < kPacketHeaderSize) {
    return Fail(errors::Make(errors::kProtocolStreamIncorrect,
                             {"The packet length " + std::to_string(current_.length) +
                              " is smaller than the packet header."}));
  }
  if (current_.length > limits_.max_packet_size) {
    return Fail(errors::Make(
        errors::kProtocolStreamIncorrect,
        {"The packet length " + std::to_string(current_.length) +
         " exceeds the negotiated packet size " + std::to_string(limits_.max_packet_size) + "."}));
  }
  if (!in_message_) {
    if (!IsClientPacketType(current_.type)) {
      return Fail(errors::Make(
          errors::kProtocolStreamIncorrect,
          {"Packet type " + std::to_string(current_.type) + " is not a client request."}));
    }
    in_message_ = true;
    building_ = Message();
    building_.type = current_.type;
    building_.status = current_.status;
    building_.spid = current_.spid;
    streaming_ = streamed_type_ != 0 && current_.type == streamed_type_;
  } else if (current_.type != building_.type) {
    return Fail(errors::Make(errors::kProtocolStreamIncorrect,
                             {"The packet type changed within a message."}));
  }
  size_t payload = current_.length - kPacketHeaderSize;
  if (!streaming_ && building_.payload.size() + payload > limits_.max_message_size) {
    return Fail(errors::Make(errors::kRequestTooLarge,
                             {std::to_string(limits_.max_message_size), "a request message"}));
  }
  packet_remaining_ = payload;
  in_packet_ = true;
  return Status::Ok();
}

Status MessageAssembler::Feed(ByteView data) {
  if (!failed_.ok()) return failed_;
  size_t pos = 0;
  while (true) {
    if (!in_packet_) {
      if (pos == data.size()) break;
      size_t n = std::min(kPacketHeaderSize - header_fill_, data.size() - pos);
      std::copy_n(data.data() + pos, n, header_ + header_fill_);
      header_fill_ += n;
      pos += n;
      if (header_fill_ < kPacketHeaderSize) break;
      header_fill_ = 0;
      EDGESQL_RETURN_IF_ERROR(StartPacket());
    }
    size_t n = std::min(packet_remaining_, data.size() - pos);
    building_.payload.insert(building_.payload.end(), data.begin() + pos, data.begin() + pos + n);
    pos += n;
    packet_remaining_ -= n;
    if (packet_remaining_ > 0) break;  // wait for more bytes
    in_packet_ = false;
    if (current_.status & kStatusEom) {
      in_message_ = false;
      building_.last_status = current_.status;
      // A client abandons a partly sent message by ending it with IGNORE|EOM (2.2.3.1.2); a
      // streamed one still ends with a part, as its earlier parts are already out.
      if (!(current_.status & kStatusIgnore) || building_.continued) {
        ready_.push_back(std::move(building_));
      }
      building_ = Message();
    } else if (streaming_ && building_.payload.size() >= part_size_) {
      Message part = std::move(building_);
      building_ = Message();
      building_.type = part.type;
      building_.status = part.status;
      building_.spid = part.spid;
      building_.continued = true;
      part.partial = true;
      part.last_status = current_.status;
      ready_.push_back(std::move(part));
    }
  }
  return Status::Ok();
}

std::optional<Message> MessageAssembler::Next() {
  if (ready_.empty()) return std::nullopt;
  Message m = std::move(ready_.front());
  ready_.pop_front();
  return m;
}

// --- PacketWriter ---------------------------------------------------------------------------

PacketWriter::PacketWriter(PacketSink* sink, uint32_t packet_size)
    : sink_(sink), packet_size_(packet_size), pending_packet_size_(packet_size) {
  EDGESQL_CHECK(packet_size > kPacketHeaderSize);
}

void PacketWriter::set_packet_size(uint32_t size) {
  EDGESQL_CHECK(size > kPacketHeaderSize && size <= 0xFFFF);
  pending_packet_size_ = size;
}

void PacketWriter::BeginMessage(uint8_t type) {
  EDGESQL_CHECK(!in_message_);
  packet_size_ = pending_packet_size_;
  type_ = type;
  packet_id_ = 1;
  in_message_ = true;
  message_bytes_ = 0;
  buffer_.clear();
  buffer_.reserve(packet_size_);
  buffer_.resize(kPacketHeaderSize);
}

Status PacketWriter::EmitPacket(bool last) {
  PacketHeader h;
  h.type = type_;
  h.status = last ? kStatusEom : kStatusNormal;
  h.length = static_cast<uint16_t>(buffer_.size());
  h.spid = spid_;
  h.packet_id = packet_id_++;  // wraps mod 256 (2.2.3.1.5)
  h.window = 0;
  WritePacketHeader(h, buffer_.data());
  Status st = sink_->Write(buffer_);
  buffer_.resize(kPacketHeaderSize);
  if (!st.ok()) status_ = st;
  return st;
}

Status PacketWriter::Append(ByteView data) {
  EDGESQL_CHECK(in_message_);
  if (!status_.ok()) return status_;
  message_bytes_ += data.size();
  size_t pos = 0;
  while (pos < data.size()) {
    // A full packet goes out only once more data follows: the last packet must carry EOM.
    if (buffer_.size() == packet_size_) EDGESQL_RETURN_IF_ERROR(EmitPacket(false));
    size_t n = std::min<size_t>(packet_size_ - buffer_.size(), data.size() - pos);
    buffer_.insert(buffer_.end(), data.begin() + pos, data.begin() + pos + n);
    pos += n;
  }
  return Status::Ok();
}

bool PacketWriter::AbandonMessage() {
  EDGESQL_CHECK(in_message_);
  if (packet_id_ != 1) return false;
  in_message_ = false;
  buffer_.resize(kPacketHeaderSize);
  return true;
}

Status PacketWriter::EndMessage() {
  EDGESQL_CHECK(in_message_);
  in_message_ = false;
  if (!status_.ok()) return status_;
  EDGESQL_RETURN_IF_ERROR(EmitPacket(true));
  Status st = sink_->Flush();
  if (!st.ok()) status_ = st;
  return st;
}

Status BufferSink::Write(ByteView packet) {
  bytes.insert(bytes.end(), packet.begin(), packet.end());
  ++packets;
  return Status::Ok();
}

}  // namespace edgesql::tds
