#include "net/tds_connection.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <thread>

#include "common/errors.h"
#include "common/log.h"
#include "engine/bulk_load.h"
#include "engine/result_sink.h"
#include "engine/session.h"
#include "tds/bulk_load.h"
#include "tds/login7.h"
#include "tds/packet.h"
#include "tds/prelogin.h"
#include "tds/requests.h"
#include "tds/token_writer.h"

namespace edgesql::net {
namespace {

using engine::Command;
using engine::DoneInfo;
using engine::DoneKind;

// Before login the only messages are PRELOGIN and LOGIN7, which [MS-TDS] 2.2.6.4 bounds to
// 128 KiB - 1: an unauthenticated client cannot make the server buffer more than that.
constexpr size_t kMaxLoginMessageSize = size_t{128} * 1024 - 1;

// Packets are gathered and written together at the end of each message (or when this much is
// pending), so that a small response costs one system call.
constexpr size_t kWriteBufferSize = 64 * 1024;

// BULK LOAD messages are handed over in parts of this size as they arrive, so rows are decoded
// and stored while the rest of the message is still on its way: a bulk load of any size takes
// memory for one part and one row.
constexpr size_t kBulkPartSize = 64 * 1024;

// How often a running request looks for an ATTENTION (or a closed connection) from its client.
constexpr auto kCancelReadInterval = std::chrono::milliseconds(1);

// See Login(): how long the plaintext login response waits after a TLS-encrypted LOGIN7.
constexpr auto kLoginOnlyTlsGrace = std::chrono::milliseconds(5);

class TransportSink : public tds::PacketSink {
 public:
  explicit TransportSink(Transport& t) : t_(t) {}
  // From now on nothing more is sent: writes fail with `why`.
  void Disable(const SqlError& why) {
    disabled_ = why;
    buffer_.clear();
  }
  Status Write(ByteView packet) override {
    if (!disabled_.ok()) return disabled_;
    buffer_.insert(buffer_.end(), packet.begin(), packet.end());
    if (buffer_.size() >= kWriteBufferSize) return Flush();
    return Status::Ok();
  }
  Status Flush() override {
    if (!disabled_.ok()) return disabled_;
    if (buffer_.empty()) return Status::Ok();
    Status st = t_.WriteAll(buffer_);
    buffer_.clear();
    return st;
  }

 private:
  Transport& t_;
  Bytes buffer_;
  Status disabled_;
};

uint16_t CurCmd(Command c) {
  switch (c) {
    case Command::kSelect:
      return tds::kCurCmdSelect;
    case Command::kInsert:
      return tds::kCurCmdInsert;
    case Command::kUpdate:
      return tds::kCurCmdUpdate;
    case Command::kDelete:
      return tds::kCurCmdDelete;
    case Command::kBeginTransaction:
      return tds::kCurCmdBeginTran;
    case Command::kCommit:
      return tds::kCurCmdCommit;
    case Command::kRollback:
      return tds::kCurCmdRollback;
    case Command::kExecute:
      return tds::kCurCmdExecute;
    default:
      return tds::kCurCmdNone;
  }
}

std::optional<tsql::IsolationLevel> IsolationFromWire(uint8_t level) {
  switch (level) {
    case tds::kIsolationReadUncommitted:
      return tsql::IsolationLevel::kReadUncommitted;
    case tds::kIsolationReadCommitted:
      return tsql::IsolationLevel::kReadCommitted;
    case tds::kIsolationRepeatableRead:
      return tsql::IsolationLevel::kRepeatableRead;
    case tds::kIsolationSerializable:
      return tsql::IsolationLevel::kSerializable;
    case tds::kIsolationSnapshot:
      return tsql::IsolationLevel::kSnapshot;
    default:
      return std::nullopt;
  }
}

// The rows of a BULK LOAD message as the engine reads them ([MS-TDS] 2.2.6.1): its parts come
// from the connection as they arrive (`next_part`) and are decoded by tds::BulkLoadDecoder. A
// message the client abandons (IGNORE on its last packet, 2.2.3.1.2) reads as kQueryCancelled.
class BulkStream : public engine::BulkRowSource {
 public:
  using NextPart = std::function<Result<tds::Message>()>;

  BulkStream(tds::TdsVersion version, const tds::Message& first, NextPart next_part)
      : decoder_(version), next_part_(std::move(next_part)) {
    Take(first);
  }

  Result<std::vector<SqlType>> ColumnTypes() override {
    while (!decoder_.has_metadata()) {
      EDGESQL_ASSIGN_OR_RETURN(Item item, Pull(&first_row_));
      if (item == Item::kRow) has_first_row_ = true;
      if (item != Item::kNeedMore) break;
    }
    std::vector<SqlType> types;
    for (const tds::BulkColumn& c : decoder_.columns()) types.push_back(SqlTypeOf(c.type_info));
    return types;
  }

  Result<bool> NextRow(std::vector<Value>* row) override {
    if (has_first_row_) {
      has_first_row_ = false;
      std::swap(*row, first_row_);
      return true;
    }
    EDGESQL_ASSIGN_OR_RETURN(Item item, Pull(row));
    return item == Item::kRow;
  }

  // Reads what is left of the message once the load has ended (early, after an error).
  Status Drain() {
    while (more_parts_) {
      EDGESQL_ASSIGN_OR_RETURN(tds::Message part, next_part_());
      more_parts_ = part.partial;
      if (!more_parts_ && (part.last_status & tds::kStatusIgnore)) ignored_ = true;
    }
    return Status::Ok();
  }

  bool ignored() const { return ignored_; }

 private:
  using Item = tds::BulkLoadDecoder::Item;

  void Take(const tds::Message& part) {
    more_parts_ = part.partial;
    if (!more_parts_ && (part.last_status & tds::kStatusIgnore)) {
      ignored_ = true;
      return;
    }
    decoder_.Append(part.payload);
    if (!more_parts_) decoder_.Finish();
  }

  Result<Item> Pull(std::vector<Value>* row) {
    while (true) {
      if (ignored_) return errors::Make(errors::kQueryCancelled);
      EDGESQL_ASSIGN_OR_RETURN(Item item, decoder_.Next(row));
      if (item != Item::kNeedMore) return item;
      EDGESQL_ASSIGN_OR_RETURN(tds::Message part, next_part_());
      Take(part);
    }
  }

  tds::BulkLoadDecoder decoder_;
  NextPart next_part_;
  bool more_parts_ = false;
  bool ignored_ = false;
  std::vector<Value> first_row_;  // read while looking for the metadata
  bool has_first_row_ = false;
};

// The response to a BULK LOAD message: the connection's own tokens, unless the client abandoned
// the message, which gets no response at all.
class BulkResponse : public engine::ResultSink {
 public:
  BulkResponse(engine::ResultSink& out, const BulkStream& rows) : out_(out), rows_(rows) {}

  Status ColumnMetadata(std::span<const ResultColumn> c) override {
    return rows_.ignored() ? Status::Ok() : out_.ColumnMetadata(c);
  }
  Status Row(std::span<const Value> v) override {
    return rows_.ignored() ? Status::Ok() : out_.Row(v);
  }
  Status Done(const DoneInfo& d) override { return rows_.ignored() ? Status::Ok() : out_.Done(d); }
  Status Message(const SqlError& m) override {
    return rows_.ignored() ? Status::Ok() : out_.Message(m);
  }
  Status DatabaseChanged(std::string_view n, std::string_view o) override {
    return rows_.ignored() ? Status::Ok() : out_.DatabaseChanged(n, o);
  }
  Status TransactionBegan(uint64_t d) override {
    return rows_.ignored() ? Status::Ok() : out_.TransactionBegan(d);
  }
  Status TransactionCommitted(uint64_t d) override {
    return rows_.ignored() ? Status::Ok() : out_.TransactionCommitted(d);
  }
  Status TransactionRolledBack(uint64_t d) override {
    return rows_.ignored() ? Status::Ok() : out_.TransactionRolledBack(d);
  }
  Status ReturnStatus(int32_t v) override {
    return rows_.ignored() ? Status::Ok() : out_.ReturnStatus(v);
  }
  Status ReturnValue(uint16_t ordinal, std::string_view name, const SqlType& type,
                     const Value& value) override {
    return rows_.ignored() ? Status::Ok() : out_.ReturnValue(ordinal, name, type, value);
  }
  bool CancelRequested() override { return out_.CancelRequested(); }

 private:
  engine::ResultSink& out_;
  const BulkStream& rows_;
};

class Connection : public engine::ResultSink {
 public:
  Connection(int fd, engine::Server& server, const ConnectionOptions& options,
             ConnectionStats& stats)
      : transport_(fd),
        server_(server),
        options_(options),
        stats_(stats),
        sink_(transport_),
        writer_(&sink_),
        tokens_(&writer_, tds::TdsVersion::k74),
        assembler_(tds::AssemblerLimits{tds::kDefaultPacketSize, kMaxLoginMessageSize}) {}

  void Run() {
    // A client gets login_timeout for PRELOGIN, TLS and LOGIN7 together: a silent or trickling
    // client cannot hold a thread and a socket for longer than that.
    transport_.set_read_deadline(std::chrono::steady_clock::now() + options_.login_timeout);
    if (options_.shutdown != nullptr) transport_.set_interrupt_fd(options_.shutdown->fd);
    Status st = Handshake();
    if (st.ok()) st = Login();
    transport_.set_read_deadline(std::nullopt);
    while (st.ok() && session_ != nullptr) {
      auto msg = NextMessage();
      if (!msg.ok()) {
        st = msg.status();
        break;
      }
      if (!*msg) break;  // orderly close
      next_read_check_ = std::chrono::steady_clock::now() + kCancelReadInterval;
      st = HandleRequest(**msg);
    }
    if (!st.ok() && st.error().number == errors::kShutdownInProgress) {
      ES_LOG(Debug, "net") << "closing connection from " << options_.peer << ": shutting down";
    } else if (!st.ok() && login_refused_) {
      ES_LOG(Info, "net") << "closing connection from " << options_.peer
                          << " after a failed login: " << st.error().message;
    } else if (!st.ok() && !closed_by_peer_) {
      stats_.protocol_errors++;
      ES_LOG(Info, "net") << "closing connection from " << options_.peer << ": "
                          << st.error().message;
    }
    // Lingering lets a response just sent reach the client before the close; an idle session
    // closed by a shutdown has none in flight, and must not hold the shutdown up.
    bool idle_shutdown =
        !st.ok() && st.error().number == errors::kShutdownInProgress && read_error_.ok();
    if (!closed_by_peer_ && !idle_shutdown) transport_.LingeringClose();
  }

  // ---- engine::ResultSink ----
  Status ColumnMetadata(std::span<const ResultColumn> columns) override {
    return tokens_.ColMetadata(columns);
  }
  Status Row(std::span<const Value> values) override { return tokens_.Row(values); }
  Status Done(const DoneInfo& d) override {
    uint16_t status = 0;
    if (d.more || (force_more_ && d.kind == DoneKind::kDoneProc)) status |= tds::kDoneMore;
    if (d.error) status |= tds::kDoneError;
    if (d.in_transaction) status |= tds::kDoneInXact;
    if (d.has_count) status |= tds::kDoneCount;
    if (d.attention) {
      // The cancelled request's response ends first, as a message of its own; the
      // acknowledgement follows in the next message. tedious reads exactly that way (it hands
      // the message in progress to the cancelled request and looks for the ATTN in the next
      // one); go-mssqldb, FreeTDS, pytds and jTDS read on until the ATTN whatever the framing.
      EDGESQL_RETURN_IF_ERROR(tokens_.Done(status & tds::kDoneInXact, tds::kCurCmdNone, 0));
      EDGESQL_RETURN_IF_ERROR(writer_.EndMessage());
      writer_.BeginMessage();
      status |= tds::kDoneAttn;
      attention_acked_ = true;
    }
    last_done_final_ = d.kind != DoneKind::kDoneInProc && !(status & tds::kDoneMore);
    uint16_t cmd = CurCmd(d.command);
    switch (d.kind) {
      case DoneKind::kDone:
        return tokens_.Done(status, cmd, d.row_count);
      case DoneKind::kDoneInProc:
        return tokens_.DoneInProc(status, cmd, d.row_count);
      case DoneKind::kDoneProc:
        return tokens_.DoneProc(status, cmd, d.row_count);
    }
    return Status::Ok();
  }
  Status Message(const SqlError& message) override {
    if (message.severity > 10) stats_.errors++;
    return tokens_.Message(message, server_.identity().server_name);
  }
  Status DatabaseChanged(std::string_view new_name, std::string_view old_name) override {
    return tokens_.EnvDatabase(new_name, old_name);
  }
  Status TransactionBegan(uint64_t d) override { return tokens_.EnvBeginTransaction(d); }
  Status TransactionCommitted(uint64_t d) override { return tokens_.EnvCommitTransaction(d); }
  Status TransactionRolledBack(uint64_t d) override { return tokens_.EnvRollbackTransaction(d); }
  Status ReturnStatus(int32_t value) override { return tokens_.ReturnStatus(value); }
  Status ReturnValue(uint16_t ordinal, std::string_view name, const SqlType& type,
                     const Value& value) override {
    return tokens_.ReturnValue(ordinal, name, tds::kReturnValueOutput, type, value);
  }
  bool CancelRequested() override {
    if (attention_ || !read_error_.ok()) return true;
    if (options_.shutdown != nullptr && options_.shutdown->cancel_running.load()) {
      // The grace period is over: the request is abandoned without another byte to the client.
      read_error_ = errors::Make(errors::kShutdownInProgress, {});
      sink_.Disable(read_error_.error());
      return true;
    }
    // Look at what the client has sent meanwhile, without blocking, at most once per
    // kCancelReadInterval: most requests end sooner, and then cost no read at all. Reading stops
    // once a request is queued behind the running one (TCP flow control holds the rest back), so
    // a client that pipelines requests cannot make the server buffer them without bound.
    auto now = std::chrono::steady_clock::now();
    if (now < next_read_check_) return attention_;
    next_read_check_ = now + kCancelReadInterval;
    while (early_.empty() && !assembler_.HasMessage()) {
      uint8_t buf[16384];
      auto n = transport_.ReadIfReady(buf, sizeof(buf));
      if (n.ok() && !*n) break;  // nothing more has arrived
      Status st = !n.ok()    ? n.status()
                  : **n == 0 ? PeerClosed()
                             : assembler_.Feed(ByteView(buf, **n));
      if (!st.ok()) {
        // The client is gone or broke the framing: stop working for it. The error ends the
        // connection as soon as the request has unwound.
        read_error_ = st;
        return true;
      }
    }
    // An ATTENTION cancels the running request unless a request is queued before it: then it
    // belongs to that one and is answered in turn. Parts of the running bulk load's own message
    // are not another request.
    while (auto msg = assembler_.Next()) {
      bool only_own_parts = std::all_of(early_.begin(), early_.end(), [&](const tds::Message& m) {
        return bulk_running_ && m.type == tds::kPacketBulkLoad && m.continued;
      });
      if (msg->type == tds::kPacketAttention && only_own_parts) {
        attention_ = true;
      } else {
        early_.push_back(std::move(*msg));
      }
    }
    return attention_;
  }

 private:
  // The next complete message; nullopt when the client closed the connection between messages.
  Result<std::optional<tds::Message>> NextMessage() {
    if (!read_error_.ok()) return read_error_;
    if (!early_.empty()) {
      tds::Message m = std::move(early_.front());
      early_.pop_front();
      return std::optional<tds::Message>(std::move(m));
    }
    while (!assembler_.HasMessage()) {
      uint8_t buf[16384];
      EDGESQL_ASSIGN_OR_RETURN(size_t n, transport_.Read(buf, sizeof(buf)));
      if (n == 0) {
        closed_by_peer_ = true;
        if (assembler_.InMessage()) {
          return errors::Make(errors::kProtocolStreamIncorrect, {"The stream ended unexpectedly."});
        }
        return std::optional<tds::Message>();
      }
      EDGESQL_RETURN_IF_ERROR(assembler_.Feed(ByteView(buf, n)));
    }
    return assembler_.Next();
  }

  Status PeerClosed() {
    closed_by_peer_ = true;
    return errors::Make(errors::kProtocolStreamIncorrect, {"The client closed the connection."});
  }

  Result<tds::Message> Expect(uint8_t type, const char* what) {
    EDGESQL_ASSIGN_OR_RETURN(auto msg, NextMessage());
    if (!msg) {
      return errors::Make(errors::kProtocolStreamIncorrect, {"The client closed the connection."});
    }
    if (msg->type != type) {
      return errors::Make(errors::kProtocolStreamIncorrect,
                          {std::string("Expected a ") + what + " message."});
    }
    return std::move(*msg);
  }

  // The first message is PRELOGIN, or LOGIN7 straight away from clients that predate PRELOGIN
  // (jTDS with TDS 7.1); SQL Server accepts those too, without encryption.
  Status Handshake() {
    EDGESQL_ASSIGN_OR_RETURN(auto first, NextMessage());
    if (!first) {
      return errors::Make(errors::kProtocolStreamIncorrect, {"The client closed the connection."});
    }
    if (first->type == tds::kPacketLogin7) {
      if (options_.force_encryption) {
        return errors::Make(errors::kProtocolStreamIncorrect,
                            {"The client does not support the encryption the server requires."});
      }
      early_login_ = std::move(*first);
      return Status::Ok();
    }
    if (first->type != tds::kPacketPrelogin) {
      return errors::Make(errors::kProtocolStreamIncorrect, {"Expected a PRELOGIN message."});
    }
    tds::Message msg = std::move(*first);
    EDGESQL_ASSIGN_OR_RETURN(tds::PreloginRequest pre, tds::DecodePrelogin(msg.payload));
    tds::ServerEncryption mode = options_.tls == nullptr     ? tds::ServerEncryption::kNotSupported
                                 : options_.force_encryption ? tds::ServerEncryption::kRequired
                                                             : tds::ServerEncryption::kOptional;
    tds::EncryptionDecision decision = tds::NegotiateEncryption(pre.encryption, mode);
    tds::PreloginResponse reply;
    reply.encryption = decision.reply;
    writer_.BeginMessage();
    EDGESQL_RETURN_IF_ERROR(writer_.Append(tds::EncodePreloginResponse(reply)));
    EDGESQL_RETURN_IF_ERROR(writer_.EndMessage());
    tls_mode_ = decision.mode;
    switch (decision.mode) {
      case tds::TlsMode::kRefuse:
        return errors::Make(errors::kProtocolStreamIncorrect,
                            {"The client does not support the encryption the server requires."});
      case tds::TlsMode::kLoginOnly:
      case tds::TlsMode::kFull:
        return transport_.HandshakeInPrelogin(*options_.tls, tds::kDefaultPacketSize);
      case tds::TlsMode::kNone:
        return Status::Ok();
    }
    return Status::Ok();
  }

  // Sends a failed login's error and the DONE that ends the response, then reports it. A
  // database that cannot be opened is followed by 18456, as SQL Server sends both.
  // With login-only encryption the client switches its socket back to plaintext after it sends
  // LOGIN7. jTDS (on JDK 17's SSLSocket) loses a response that arrives within about a
  // millisecond of its LOGIN7 and then waits forever: captured here, 10 of 12 logins hung with an
  // immediate answer, none with 1 ms or more. SQL Server's own login takes longer than that, so
  // no client depends on a faster answer; it costs nothing next to the handshake just made.
  void EndLoginOnlyEncryption() {
    if (tls_mode_ != tds::TlsMode::kLoginOnly) return;
    std::this_thread::sleep_for(kLoginOnlyTlsGrace);
    transport_.DropTls();
  }

  Status RefuseLogin(SqlError error, const std::string& user) {
    stats_.login_failures++;
    login_refused_ = true;
    error.scope = ErrorScope::kConnection;
    EndLoginOnlyEncryption();
    writer_.BeginMessage();
    (void)tokens_.Message(error, server_.identity().server_name);
    // SQL Server follows 4060 (cannot open the requested database) with 18456; other refusals
    // (17809 too many connections) stand alone.
    if (error.number == errors::kCannotOpenDatabase) {
      (void)tokens_.Message(errors::Make(errors::kLoginFailed, {user}),
                            server_.identity().server_name);
    }
    (void)tokens_.Done(tds::kDoneError, tds::kCurCmdNone, 0);
    (void)writer_.EndMessage();
    return error;
  }

  Status Login() {
    tds::Message msg;
    if (early_login_) {
      msg = std::move(*early_login_);
      early_login_.reset();
    } else {
      EDGESQL_ASSIGN_OR_RETURN(msg, Expect(tds::kPacketLogin7, "LOGIN7"));
    }
    EDGESQL_ASSIGN_OR_RETURN(tds::LoginRequest login, tds::DecodeLogin7(msg.payload));
    std::optional<tds::TdsVersion> version = tds::NegotiateTdsVersion(login.tds_version);
    if (!version || login.integrated_security()) {
      // TDS 7.0 and older, and Windows authentication, are not offered.
      return RefuseLogin(errors::Make(errors::kLoginFailed, {login.username}), login.username);
    }
    tokens_.set_version(*version);
    if (server_.ActiveSessions() >= options_.max_sessions) {
      return RefuseLogin(
          errors::Make(errors::kTooManyConnections, {std::to_string(options_.max_sessions)}),
          login.username);
    }
    engine::LoginRequest request;
    request.user = login.username;
    request.password = login.password;
    request.database = login.database;
    request.app_name = login.app_name;
    request.host_name = login.hostname;
    request.language = login.language;
    request.client_pid = login.client_pid;
    auto session = server_.Login(request);
    if (!session.ok()) return RefuseLogin(session.error(), login.username);
    session_ = std::move(session).value();
    stats_.logins++;
    EndLoginOnlyEncryption();

    uint32_t packet_size = tds::NegotiatePacketSize(login.packet_size);
    writer_.set_spid(static_cast<uint16_t>(session_->spid()));
    writer_.BeginMessage();
    tds::LoginResponse response;
    response.database = session_->database().name();
    response.packet_size = packet_size;
    response.old_packet_size = packet_size;
    response.ack_utf8_support = login.requests_utf8_support();
    response.server_name = server_.identity().server_name;
    EDGESQL_RETURN_IF_ERROR(tokens_.LoginResponseTokens(response));
    EDGESQL_RETURN_IF_ERROR(writer_.EndMessage());
    writer_.set_packet_size(packet_size);
    assembler_.set_max_packet_size(packet_size);
    assembler_.set_max_message_size(tds::AssemblerLimits().max_message_size);
    assembler_.set_streamed_type(tds::kPacketBulkLoad, kBulkPartSize);
    ES_LOG(Debug, "net") << "login of " << login.username << " from " << options_.peer
                         << " as spid " << session_->spid();
    return Status::Ok();
  }

  Status AcknowledgeAttention() {
    writer_.BeginMessage();
    EDGESQL_RETURN_IF_ERROR(tokens_.Done(tds::kDoneAttn, tds::kCurCmdNone, 0));
    return writer_.EndMessage();
  }

  Status HandleRequest(const tds::Message& msg) {
    stats_.requests++;
    if (msg.type == tds::kPacketAttention) {
      // The request it meant to cancel has already finished; the client still waits for the ack.
      // A bulk load announced by INSERT BULK is called off.
      attention_ = false;
      session_->ForgetBulkLoad();
      return AcknowledgeAttention();
    }
    if (msg.type == tds::kPacketBulkLoad) return HandleBulkLoad(msg);
    if (msg.last_status & tds::kStatusIgnore) return Status::Ok();  // the client abandoned it
    auto request = tds::DecodeRequest(msg, tokens_.version());
    attention_ = false;
    attention_acked_ = false;
    last_done_final_ = false;
    writer_.BeginMessage();
    if (!request.ok()) {
      const SqlError& e = request.error();
      if (e.scope == ErrorScope::kConnection) return e;
      EDGESQL_RETURN_IF_ERROR(Message(e));
      EDGESQL_RETURN_IF_ERROR(tokens_.Done(tds::kDoneError, tds::kCurCmdNone, 0));
      return writer_.EndMessage();
    }
    if (request->reset_connection || request->reset_connection_skip_tran) {
      // The acknowledgement comes first; a rollback the reset causes follows it.
      EDGESQL_RETURN_IF_ERROR(tokens_.EnvResetConnectionAck());
      EDGESQL_RETURN_IF_ERROR(session_->Reset(request->reset_connection_skip_tran, *this));
    }
    Status st = std::visit(
        [&](auto& body) -> Status {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, tds::SqlBatchRequest>) {
            return session_->ExecuteBatch(body.text, *this);
          } else if constexpr (std::is_same_v<T, tds::RpcRequest>) {
            return RunRpc(body);
          } else if constexpr (std::is_same_v<T, tds::TransactionManagerRequest>) {
            return RunTransactionRequest(body);
          } else {
            return Status::Ok();
          }
        },
        request->body);
    if (!st.ok()) return EndFatally(st);
    if (!read_error_.ok()) return read_error_;  // no response for a client that broke the stream
    return EndResponse();
  }

  // Ends the response of a request that ran to its end. An ATTENTION seen while it ran but after
  // its last cancellation check still needs its acknowledgement.
  Status EndResponse() {
    EDGESQL_RETURN_IF_ERROR(writer_.EndMessage());
    if (attention_ && !attention_acked_) {
      attention_ = false;
      return AcknowledgeAttention();
    }
    attention_ = false;
    return Status::Ok();
  }

  // A BULK LOAD message (its first part): the rows of the load INSERT BULK announced, stored as
  // they arrive. The message is always read to its end before the response ends, also when the
  // load failed early or was never announced (the session reports that).
  Status HandleBulkLoad(const tds::Message& first) {
    attention_ = false;
    attention_acked_ = false;
    last_done_final_ = false;
    bulk_running_ = true;
    BulkStream rows(tokens_.version(), first, [this]() -> Result<tds::Message> {
      EDGESQL_ASSIGN_OR_RETURN(auto part, NextMessage());
      if (!part) {
        return errors::Make(errors::kProtocolStreamIncorrect,
                            {"The client closed the connection during a bulk load."});
      }
      if (part->type != tds::kPacketBulkLoad || !part->continued) {
        return errors::Make(errors::kProtocolStreamIncorrect, {"A bulk load message was cut."});
      }
      return std::move(*part);
    });
    BulkResponse response(*this, rows);
    writer_.BeginMessage();
    Status st = session_->ExecuteBulkLoad(rows, response);
    if (!st.ok()) {
      bulk_running_ = false;
      return EndFatally(st);
    }
    Status drained = rows.Drain();
    bulk_running_ = false;
    if (!drained.ok()) return drained;  // the stream broke: no response, the connection ends
    if (!read_error_.ok()) return read_error_;
    if (rows.ignored() && writer_.AbandonMessage()) return Status::Ok();
    return EndResponse();
  }

  // The session ended in the middle of a request (an error of severity 20 or more, or the sink
  // failed). If the stream still works, the response is finished so that the client sees the
  // error before the connection closes: SQL Server ends it with DONE_ERROR | DONE_SRVERROR
  // ([MS-TDS] 2.2.7.6), unless the engine already wrote the final DONE.
  Status EndFatally(Status st) {
    if (writer_.in_message() && writer_.status().ok() && read_error_.ok()) {
      if (!last_done_final_) {
        (void)tokens_.Done(tds::kDoneError | tds::kDoneSrvError, tds::kCurCmdNone, 0);
      }
      (void)writer_.EndMessage();
    }
    return st;
  }

  Status RunRpc(const tds::RpcRequest& rpc) {
    for (size_t i = 0; i < rpc.calls.size(); ++i) {
      const tds::RpcCall& call = rpc.calls[i];
      engine::ProcedureCall proc;
      proc.name = call.proc_name;
      proc.proc_id = call.proc_id;
      proc.no_metadata = call.no_metadata();
      proc.params.reserve(call.params.size());
      for (const tds::RpcParameter& p : call.params) {
        proc.params.push_back({p.name, p.value, p.output(), p.use_default()});
      }
      force_more_ = i + 1 < rpc.calls.size();
      Status st = session_->ExecuteProcedure(proc, *this);
      force_more_ = false;
      EDGESQL_RETURN_IF_ERROR(st);
      if (attention_acked_) break;  // cancelled: the remaining calls do not run
    }
    return Status::Ok();
  }

  Status RunTransactionRequest(const tds::TransactionManagerRequest& tm) {
    engine::TransactionRequest req;
    switch (tm.type) {
      case tds::TmRequestType::kBegin:
        req.type = engine::TransactionRequestType::kBegin;
        req.isolation = IsolationFromWire(tm.isolation_level);
        break;
      case tds::TmRequestType::kCommit:
        req.type = engine::TransactionRequestType::kCommit;
        break;
      case tds::TmRequestType::kRollback:
        req.type = engine::TransactionRequestType::kRollback;
        break;
      case tds::TmRequestType::kSave:
        req.type = engine::TransactionRequestType::kSave;
        break;
    }
    req.name = tm.name;
    req.begin_new = tm.begin_new;
    if (tm.begin_new) req.isolation = IsolationFromWire(tm.new_isolation_level);
    return session_->ExecuteTransactionRequest(req, *this);
  }

  Transport transport_;
  engine::Server& server_;
  const ConnectionOptions& options_;
  ConnectionStats& stats_;
  TransportSink sink_;
  tds::PacketWriter writer_;
  tds::TokenWriter tokens_;
  tds::MessageAssembler assembler_;
  std::deque<tds::Message> early_;  // requests that arrived while another one ran
  Status read_error_;               // the stream broke while a request ran
  tds::TlsMode tls_mode_ = tds::TlsMode::kNone;
  std::optional<tds::Message> early_login_;  // LOGIN7 sent without PRELOGIN
  std::unique_ptr<engine::Session> session_;
  bool attention_ = false;
  std::chrono::steady_clock::time_point next_read_check_{};  // see CancelRequested
  bool attention_acked_ = false;
  bool force_more_ = false;
  bool bulk_running_ = false;     // a BULK LOAD message is being read and stored
  bool last_done_final_ = false;  // the last DONE written ended the response
  bool closed_by_peer_ = false;
  bool login_refused_ = false;
};

}  // namespace

void ServeConnection(int fd, engine::Server& server, const ConnectionOptions& options,
                     ConnectionStats& stats) {
  stats.accepted++;
  Connection(fd, server, options, stats).Run();
}

}  // namespace edgesql::net
