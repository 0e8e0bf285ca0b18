// TDS packet framing ([MS-TDS] 2.2.3): the layer between a byte stream and whole messages.
//
// A TDS message travels as one or more packets, each an 8-byte header (type, status, big-endian
// length including the header, big-endian SPID, packet id, window) followed by payload; the last
// packet of a message carries the EOM status bit.
//
// MessageAssembler (client -> server): the network layer feeds it whatever bytes a read returned,
// in any chunking; it yields complete messages (type, first and last packet status, the payloads
// of all packets concatenated). It checks every header: a length below 8 or above the negotiated
// packet size, a type no client sends, or a type that changes within a message is error 4002; a
// message above the configured bound is error 8019. After an error the assembler stays failed
// and the connection must be closed: framing cannot be resynchronised. One message type may be
// streamed (set_streamed_type: the BULK LOAD message, which can be far larger than any request
// the server would buffer): its payload comes out in parts of about a given size as packets
// arrive, each a Message marked `continued` / `partial`, and the message bound does not apply.
//
// PacketWriter (server -> client): accumulates the payload of one message and hands complete
// packets to a PacketSink as soon as they fill, so a large result streams to the client instead
// of being buffered whole. A sink failure (the peer went away) is sticky: every later call returns
// it. The new packet size negotiated at login applies from the next message on.
//
// Neither class touches a socket and neither is thread-safe: one per connection, used by the
// connection's thread.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "common/bytes.h"
#include "common/status.h"
#include "tds/protocol.h"

namespace edgesql::tds {

struct PacketHeader {
  uint8_t type = 0;
  uint8_t status = 0;
  uint16_t length = 0;  // header included
  uint16_t spid = 0;
  uint8_t packet_id = 0;
  uint8_t window = 0;
};

// Parses the 8 header bytes at the start of `data` (no validation); nullopt if fewer than 8.
std::optional<PacketHeader> ParsePacketHeader(ByteView data);
// Writes the 8 header bytes at out[0..7].
void WritePacketHeader(const PacketHeader& header, uint8_t* out);

// One complete client message.
struct Message {
  uint8_t type = 0;
  uint8_t status = 0;       // status of the first packet: RESETCONNECTION bits live here
  uint8_t last_status = 0;  // status of the last packet (EOM set)
  uint16_t spid = 0;
  Bytes payload;

  // A part of a streamed message (MessageAssembler::set_streamed_type): `continued` on every part
  // but the first, `partial` on every part but the last. The last part's last_status may carry
  // IGNORE: the client abandoned the message (2.2.3.1.2).
  bool continued = false;
  bool partial = false;

  bool reset_connection() const { return (status & kStatusResetConnection) != 0; }
  bool reset_connection_skip_tran() const { return (status & kStatusResetConnectionSkipTran) != 0; }
};

struct AssemblerLimits {
  // Largest packet accepted, header included: the negotiated packet size (512..32767). Before
  // login clients use the default 4096.
  uint32_t max_packet_size = kDefaultPacketSize;
  // Largest message payload accepted (a SQL batch of 64 MiB is 32 M characters).
  size_t max_message_size = size_t{64} << 20;
};

class MessageAssembler {
 public:
  explicit MessageAssembler(AssemblerLimits limits = {}) : limits_(limits) {}

  // Sets the packet size negotiated at login; applies to packets not yet started.
  void set_max_packet_size(uint32_t size) { limits_.max_packet_size = size; }
  // Sets the message bound (the network layer keeps it small until login); applies to messages
  // not yet started.
  void set_max_message_size(size_t size) { limits_.max_message_size = size; }
  const AssemblerLimits& limits() const { return limits_; }
  // Streams messages of `type` in parts of at least `part_size` payload bytes (the last part may
  // be smaller); type 0 streams nothing. Applies to messages not yet started.
  void set_streamed_type(uint8_t type, size_t part_size) {
    streamed_type_ = type;
    part_size_ = part_size;
  }

  // Consumes all of `data`. Complete messages become available through Next(). Returns the
  // framing error, if any; once failed, every call returns that error.
  Status Feed(ByteView data);

  // The next complete message, oldest first.
  std::optional<Message> Next();
  bool HasMessage() const { return !ready_.empty(); }
  // True while a message has begun but its EOM packet has not fully arrived.
  bool InMessage() const { return in_message_ || header_fill_ > 0; }

 private:
  Status Fail(Status status);
  Status StartPacket();

  AssemblerLimits limits_;
  Status failed_;
  uint8_t header_[kPacketHeaderSize] = {};
  size_t header_fill_ = 0;
  size_t packet_remaining_ = 0;  // payload bytes of the current packet still to come
  bool in_packet_ = false;
  bool in_message_ = false;
  PacketHeader current_;
  Message building_;
  std::deque<Message> ready_;
  uint8_t streamed_type_ = 0;
  size_t part_size_ = 0;
  bool streaming_ = false;  // the message being built is streamed
};

// Where a PacketWriter delivers packets: the network layer's connection (TLS or plain TCP).
class PacketSink {
 public:
  virtual ~PacketSink() = default;
  // Sends one complete packet (header included). May buffer.
  virtual Status Write(ByteView packet) = 0;
  // Pushes out anything buffered: called at the end of every message.
  virtual Status Flush() = 0;
};

class PacketWriter {
 public:
  explicit PacketWriter(PacketSink* sink, uint32_t packet_size = kDefaultPacketSize);

  // Takes effect at the next BeginMessage (the login response goes out in the old size).
  void set_packet_size(uint32_t size);
  uint32_t packet_size() const { return packet_size_; }
  // The SPID written into every header (FreeTDS reads the session id from bytes 4-5).
  void set_spid(uint16_t spid) { spid_ = spid; }

  // Starts a message of `type` (servers send only tabular results, 0x04). Any unfinished message
  // is an error in the caller and aborts.
  void BeginMessage(uint8_t type = kPacketTabularResult);
  // Appends payload bytes, emitting every packet that fills.
  Status Append(ByteView data);
  // Emits the last packet with EOM and flushes the sink.
  Status EndMessage();
  // Drops the current message if none of its packets has gone out yet (the response to a request
  // the client abandoned) and returns true; otherwise the message stays open and it returns false.
  bool AbandonMessage();

  bool in_message() const { return in_message_; }
  const Status& status() const { return status_; }
  // Payload bytes appended to the current message so far.
  uint64_t message_bytes() const { return message_bytes_; }

 private:
  Status EmitPacket(bool last);

  PacketSink* sink_;
  uint32_t packet_size_;
  uint32_t pending_packet_size_;
  uint16_t spid_ = 0;
  uint8_t type_ = kPacketTabularResult;
  uint8_t packet_id_ = 1;
  bool in_message_ = false;
  uint64_t message_bytes_ = 0;
  Bytes buffer_;  // header + payload of the packet being filled
  Status status_;
};

// A PacketSink that collects packets in memory: for tests, the fuzzer and tools.
class BufferSink : public PacketSink {
 public:
  Status Write(ByteView packet) override;
  Status Flush() override {
    ++flushes;
    return Status::Ok();
  }
  Bytes bytes;
  size_t packets = 0;
  size_t flushes = 0;
};

}  // namespace edgesql::tds
