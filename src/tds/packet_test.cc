#include "tds/packet.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "tds/client_messages.h"

namespace edgesql::tds {
namespace {

Bytes Seq(size_t n, uint8_t start = 0) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(start + i);
  return b;
}

Bytes Packet(uint8_t type, uint8_t status, ByteView payload, uint8_t id = 1) {
  Bytes out(kPacketHeaderSize);
  PacketHeader h;
  h.type = type;
  h.status = status;
  h.length = static_cast<uint16_t>(payload.size() + kPacketHeaderSize);
  h.packet_id = id;
  WritePacketHeader(h, out.data());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

TEST(PacketHeaderTest, ParsesTheSpecExampleHeader) {
  // [MS-TDS] 4.2: the LOGIN7 packet header "10 01 00 90 00 00 01 00".
  const uint8_t raw[] = {0x10, 0x01, 0x00, 0x90, 0x00, 0x00, 0x01, 0x00};
  std::optional<PacketHeader> h = ParsePacketHeader(raw);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type, kPacketLogin7);
  EXPECT_EQ(h->status, kStatusEom);
  EXPECT_EQ(h->length, 0x90);
  EXPECT_EQ(h->spid, 0);
  EXPECT_EQ(h->packet_id, 1);
  uint8_t back[8];
  WritePacketHeader(*h, back);
  EXPECT_EQ(0, memcmp(raw, back, 8));
  EXPECT_FALSE(ParsePacketHeader(ByteView(raw, 7)));
}

TEST(MessageAssemblerTest, SinglePacketMessage) {
  MessageAssembler a;
  Bytes payload = Seq(10);
  ASSERT_TRUE(a.Feed(Packet(kPacketSqlBatch, kStatusEom, payload)).ok());
  std::optional<Message> m = a.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, kPacketSqlBatch);
  EXPECT_EQ(m->payload, payload);
  EXPECT_FALSE(a.Next());
  EXPECT_FALSE(a.InMessage());
}

TEST(MessageAssemblerTest, ByteByByteAcrossPackets) {
  Bytes payload = Seq(3000);
  Bytes wire = client::Packetize(kPacketRpc, payload, 512, kStatusResetConnection);
  MessageAssembler a(AssemblerLimits{512, 1 << 20});
  for (size_t i = 0; i < wire.size(); ++i) {
    ASSERT_TRUE(a.Feed(ByteView(&wire[i], 1)).ok()) << i;
    if (i + 1 < wire.size()) {
      EXPECT_FALSE(a.HasMessage());
      EXPECT_TRUE(a.InMessage());
    }
  }
  std::optional<Message> m = a.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, kPacketRpc);
  EXPECT_EQ(m->payload, payload);
  EXPECT_TRUE(m->reset_connection());
  EXPECT_FALSE(m->reset_connection_skip_tran());
  EXPECT_EQ(m->last_status & kStatusEom, kStatusEom);
}

TEST(MessageAssemblerTest, SeveralMessagesInOneChunk) {
  Bytes wire = client::Packetize(kPacketSqlBatch, Seq(100), 4096);
  Bytes att = client::Packetize(kPacketAttention, {}, 4096);
  Bytes tm = client::Packetize(kPacketTransactionManager, Seq(40), 32);
  wire.insert(wire.end(), att.begin(), att.end());
  wire.insert(wire.end(), tm.begin(), tm.end());
  MessageAssembler a;
  ASSERT_TRUE(a.Feed(wire).ok());
  EXPECT_EQ(a.Next()->type, kPacketSqlBatch);
  std::optional<Message> m = a.Next();
  EXPECT_EQ(m->type, kPacketAttention);
  EXPECT_TRUE(m->payload.empty());
  m = a.Next();
  EXPECT_EQ(m->type, kPacketTransactionManager);
  EXPECT_EQ(m->payload, Seq(40));
  EXPECT_FALSE(a.Next());
}

TEST(MessageAssemblerTest, IgnoreBitDiscardsTheMessage) {
  MessageAssembler a;
  Bytes wire = Packet(kPacketSqlBatch, kStatusNormal, Seq(5));
  Bytes last = Packet(kPacketSqlBatch, kStatusEom | kStatusIgnore, {}, 2);
  wire.insert(wire.end(), last.begin(), last.end());
  Bytes next = Packet(kPacketSqlBatch, kStatusEom, Seq(2));
  wire.insert(wire.end(), next.begin(), next.end());
  ASSERT_TRUE(a.Feed(wire).ok());
  std::optional<Message> m = a.Next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->payload, Seq(2));
  EXPECT_FALSE(a.Next());
}

TEST(MessageAssemblerTest, RejectsShortLength) {
  MessageAssembler a;
  const uint8_t raw[] = {0x01, 0x01, 0x00, 0x07, 0, 0, 1, 0};
  Status st = a.Feed(raw);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().number, errors::kProtocolStreamIncorrect);
  // The failure is sticky: framing cannot resynchronise.
  EXPECT_FALSE(a.Feed(Packet(kPacketSqlBatch, kStatusEom, Seq(2))).ok());
  EXPECT_FALSE(a.Next());
}

TEST(MessageAssemblerTest, RejectsPacketsAboveTheNegotiatedSize) {
  MessageAssembler a;
  a.set_max_packet_size(512);
  EXPECT_TRUE(a.Feed(Packet(kPacketSqlBatch, kStatusEom, Seq(504))).ok());
  Status st = a.Feed(Packet(kPacketSqlBatch, kStatusEom, Seq(505)));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().number, errors::kProtocolStreamIncorrect);
}

TEST(MessageAssemblerTest, RejectsServerPacketTypes) {
  MessageAssembler a;
  Status st = a.Feed(Packet(kPacketTabularResult, kStatusEom, Seq(4)));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().number, errors::kProtocolStreamIncorrect);
  MessageAssembler b;
  EXPECT_FALSE(b.Feed(Packet(0x55, kStatusEom, {})).ok());
}

TEST(MessageAssemblerTest, RejectsTypeChangeWithinAMessage) {
  MessageAssembler a;
  Bytes wire = Packet(kPacketSqlBatch, kStatusNormal, Seq(5));
  Bytes other = Packet(kPacketRpc, kStatusEom, Seq(5), 2);
  wire.insert(wire.end(), other.begin(), other.end());
  EXPECT_FALSE(a.Feed(wire).ok());
}

TEST(MessageAssemblerTest, EnforcesTheMessageBound) {
  MessageAssembler a(AssemblerLimits{4096, 1000});
  Bytes wire = client::Packetize(kPacketSqlBatch, Seq(1001), 512);
  Status st = a.Feed(wire);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().number, errors::kRequestTooLarge);
  MessageAssembler b(AssemblerLimits{4096, 1000});
  EXPECT_TRUE(b.Feed(client::Packetize(kPacketSqlBatch, Seq(1000), 512)).ok());
  EXPECT_TRUE(b.HasMessage());
  // The bound can be raised between messages (after login).
  b.set_max_message_size(2000);
  EXPECT_TRUE(b.Feed(client::Packetize(kPacketSqlBatch, Seq(1001), 512)).ok());
  EXPECT_EQ(b.limits().max_message_size, 2000u);
}

class RecordingSink : public PacketSink {
 public:
  Status Write(ByteView p) override {
    packets.emplace_back(p.begin(), p.end());
    if (fail_after >= 0 && static_cast<int>(packets.size()) > fail_after) {
      return errors::Make(errors::kOperatingSystemIoError, {"write", "socket", "EPIPE"});
    }
    return Status::Ok();
  }
  Status Flush() override {
    ++flushes;
    return Status::Ok();
  }
  std::vector<Bytes> packets;
  int flushes = 0;
  int fail_after = -1;
};

TEST(PacketWriterTest, SplitsIntoPacketsOfTheNegotiatedSize) {
  RecordingSink sink;
  PacketWriter w(&sink, 512);
  w.set_spid(53);
  w.BeginMessage();
  Bytes payload = Seq(1200);
  // Appended in odd pieces: packets must not depend on how the caller chunks.
  ASSERT_TRUE(w.Append(ByteView(payload).first(7)).ok());
  ASSERT_TRUE(w.Append(ByteView(payload).subspan(7, 900)).ok());
  EXPECT_EQ(sink.packets.size(), 1u);  // the first packet streamed before the end
  ASSERT_TRUE(w.Append(ByteView(payload).subspan(907)).ok());
  ASSERT_TRUE(w.EndMessage().ok());
  ASSERT_EQ(sink.packets.size(), 3u);  // 504 + 504 + 192
  EXPECT_EQ(sink.flushes, 1);
  Bytes joined;
  for (size_t i = 0; i < sink.packets.size(); ++i) {
    std::optional<PacketHeader> h = ParsePacketHeader(sink.packets[i]);
    EXPECT_EQ(h->type, kPacketTabularResult);
    EXPECT_EQ(h->status, i + 1 == sink.packets.size() ? kStatusEom : kStatusNormal);
    EXPECT_EQ(h->length, sink.packets[i].size());
    EXPECT_EQ(h->spid, 53);
    EXPECT_EQ(h->packet_id, i + 1);
    EXPECT_EQ(h->window, 0);
    EXPECT_LE(sink.packets[i].size(), 512u);
    joined.insert(joined.end(), sink.packets[i].begin() + 8, sink.packets[i].end());
  }
  EXPECT_EQ(joined, payload);
  // SPID is big-endian in the header: FreeTDS reads it from bytes 4-5.
  EXPECT_EQ(sink.packets[0][4], 0);
  EXPECT_EQ(sink.packets[0][5], 53);
}

TEST(PacketWriterTest, ExactlyFullPacketIsTheLast) {
  RecordingSink sink;
  PacketWriter w(&sink, 512);
  w.BeginMessage();
  ASSERT_TRUE(w.Append(Seq(504)).ok());
  ASSERT_TRUE(w.EndMessage().ok());
  ASSERT_EQ(sink.packets.size(), 1u);
  EXPECT_EQ(sink.packets[0][1], kStatusEom);
  EXPECT_EQ(sink.packets[0].size(), 512u);
}

TEST(PacketWriterTest, EmptyMessageIsOneHeader) {
  RecordingSink sink;
  PacketWriter w(&sink);
  w.BeginMessage();
  ASSERT_TRUE(w.EndMessage().ok());
  ASSERT_EQ(sink.packets.size(), 1u);
  EXPECT_EQ(sink.packets[0], Bytes({0x04, 0x01, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00}));
}

TEST(PacketWriterTest, AbandonedMessageSendsNothingUnlessAPacketWentOut) {
  RecordingSink sink;
  PacketWriter w(&sink, 512);
  w.BeginMessage();
  ASSERT_TRUE(w.Append(Bytes(100, 0xAB)).ok());
  EXPECT_TRUE(w.AbandonMessage());
  EXPECT_FALSE(w.in_message());
  EXPECT_TRUE(sink.packets.empty());
  // The next message starts clean.
  w.BeginMessage();
  ASSERT_TRUE(w.EndMessage().ok());
  ASSERT_EQ(sink.packets.size(), 1u);
  EXPECT_EQ(sink.packets[0].size(), kPacketHeaderSize);
  // Once a packet has gone out the message cannot be taken back: it stays open.
  w.BeginMessage();
  ASSERT_TRUE(w.Append(Bytes(1000, 0xCD)).ok());
  EXPECT_FALSE(w.AbandonMessage());
  EXPECT_TRUE(w.in_message());
  ASSERT_TRUE(w.EndMessage().ok());
  EXPECT_EQ(sink.packets.size(), 3u);  // the empty message, then 504 + 496 bytes
}

TEST(PacketWriterTest, PacketIdWrapsModulo256) {
  RecordingSink sink;
  PacketWriter w(&sink, 512);
  w.BeginMessage();
  ASSERT_TRUE(w.Append(Bytes(504 * 300, 0xAB)).ok());
  ASSERT_TRUE(w.EndMessage().ok());
  ASSERT_EQ(sink.packets.size(), 300u);
  EXPECT_EQ(sink.packets[254][6], 255);
  EXPECT_EQ(sink.packets[255][6], 0);
  EXPECT_EQ(sink.packets[256][6], 1);
}

TEST(PacketWriterTest, NewPacketSizeAppliesToTheNextMessage) {
  RecordingSink sink;
  PacketWriter w(&sink, 512);
  w.BeginMessage();
  w.set_packet_size(1024);  // ENVCHANGE sent inside the login response
  ASSERT_TRUE(w.Append(Seq(600)).ok());
  ASSERT_TRUE(w.EndMessage().ok());
  EXPECT_EQ(sink.packets.size(), 2u);
  sink.packets.clear();
  w.BeginMessage();
  ASSERT_TRUE(w.Append(Seq(600)).ok());
  ASSERT_TRUE(w.EndMessage().ok());
  EXPECT_EQ(sink.packets.size(), 1u);
  EXPECT_EQ(w.packet_size(), 1024u);
}

TEST(PacketWriterTest, SinkFailureIsSticky) {
  RecordingSink sink;
  sink.fail_after = 1;
  PacketWriter w(&sink, 512);
  w.BeginMessage();
  EXPECT_TRUE(w.Append(Seq(600)).ok());
  Status st = w.Append(Seq(600));
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(w.Append(Seq(1)).ok());
  EXPECT_FALSE(w.EndMessage().ok());
  EXPECT_FALSE(w.status().ok());
}

TEST(PacketWriterTest, OutputReassemblesThroughTheAssemblerShape) {
  BufferSink sink;
  PacketWriter w(&sink, 600);
  w.BeginMessage(kPacketSqlBatch);  // a client-typed message, so the assembler accepts it
  Bytes payload = Seq(5000, 3);
  ASSERT_TRUE(w.Append(payload).ok());
  ASSERT_TRUE(w.EndMessage().ok());
  MessageAssembler a(AssemblerLimits{600, 1 << 20});
  ASSERT_TRUE(a.Feed(sink.bytes).ok());
  EXPECT_EQ(a.Next()->payload, payload);
}

}  // namespace
}  // namespace edgesql::tds
