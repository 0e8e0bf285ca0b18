// Server: the engine's root. It owns the data directory (and with it the single-writer lock),
// the master database (logins and the catalog of databases), every open Database, and hands out
// Sessions to authenticated logins.
//
// First start: Open initializes an empty data directory only if an sa password satisfying SQL
// Server's complexity policy is given (MSSQL_SA_PASSWORD, as SQL Server containers do); without
// one it refuses with a clear message and leaves nothing behind that a later start would mistake
// for an initialized directory. Later starts ignore the variable: ALTER LOGIN sa WITH PASSWORD
// changes the password, as in SQL Server.
//
// Database names reach the filesystem only through the master catalog: a name maps to a
// database_id and the id to a file (storage::DataDirectory::DatabasePath).
//
// Thread-safe: sessions call into the server concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/database.h"
#include "storage/data_dir.h"
#include "types/value.h"

namespace edgesql::engine {

class Session;

struct ServerOptions {
  std::string data_dir;
  std::string server_name;  // @@SERVERNAME; the host name when empty
  // The sa password for initializing a new data directory (MSSQL_SA_PASSWORD). Ignored when the
  // directory is already initialized. `initial_sa_password_source` names where it came from, for
  // the error when it does not meet the policy.
  std::string initial_sa_password;
  std::string initial_sa_password_source = "MSSQL_SA_PASSWORD";
};

struct LoginRequest {
  std::string user;
  std::string password;
  std::string database;  // empty: the login's default database (master)
  std::string app_name;
  std::string host_name;
  std::string language;
  uint32_t client_pid = 0;
};

// What the server is, as SQL Server clients ask for it (SERVERPROPERTY, @@VERSION, LOGINACK).
struct ServerIdentity {
  static constexpr const char* kProductVersion = "16.0.1000.6";
  static constexpr uint8_t kMajor = 16, kMinor = 0;
  static constexpr uint16_t kBuild = 1000;
  std::string server_name;
  std::string version_string;  // @@VERSION
};

class Server {
 public:
  ~Server();
  static Result<std::unique_ptr<Server>> Open(const ServerOptions& options);

  const ServerIdentity& identity() const { return identity_; }
  const storage::DataDirectory& data_dir() const { return *data_dir_; }

  // Authenticates a SQL login (18456 for a wrong user or password, with no detail to the client
  // about which) and opens a session on the requested database (4060 if it does not exist).
  Result<std::unique_ptr<Session>> Login(const LoginRequest& request);
  // A session for the server's own use (the liveness probe): sa on master, no password check.
  std::unique_ptr<Session> InternalSession();

  // Databases. Names compare case-insensitively.
  Database* FindDatabase(std::string_view name);
  Database* DatabaseById(int64_t id);
  Database& master() { return *master_; }
  Result<Database*> CreateDatabase(std::string_view name);
  Status DropDatabase(std::string_view name);
  std::vector<std::pair<int64_t, std::string>> ListDatabases();

  // ALTER LOGIN name WITH PASSWORD = ... [OLD_PASSWORD = ...].
  Status ChangePassword(std::string_view login, std::string_view new_password,
                        const std::optional<std::string>& old_password);

  // SQL Server's password policy for SQL logins: 8 to 128 characters from at least three of
  // uppercase letters, lowercase letters, digits and symbols.
  static bool PasswordMeetsPolicy(std::string_view password);

  Value ServerProperty(std::string_view name) const;

  // Checkpoints every database's WAL into its file and truncates the WAL (shutdown, after the
  // sessions have ended; each database waits at most `wait` for its writer lane). Returns how
  // many databases could not be checkpointed completely; each is logged.
  int CheckpointAll(std::chrono::milliseconds wait);
  // Bytes in the databases' WAL files (the work the next start's recovery may have to read).
  uint64_t WalBytes();

  int64_t NextTransactionDescriptor() { return next_descriptor_.fetch_add(1); }
  int ActiveSessions() const { return active_sessions_.load(); }

 private:
  friend class Session;
  explicit Server(std::unique_ptr<storage::DataDirectory> dir) : data_dir_(std::move(dir)) {}
  Status Initialize(const ServerOptions& options);
  Status LoadDatabases();
  Result<bool> CheckPassword(std::string_view login, std::string_view password);
  int32_t AllocateSpid();
  void ReleaseSpid(int32_t spid);
  storage::SqliteConnection::RegisterHook FunctionHook();

  std::unique_ptr<storage::DataDirectory> data_dir_;
  ServerIdentity identity_;
  std::unique_ptr<Database> master_;

  std::mutex mu_;                                           // databases_, spids_, verified_
  std::map<int64_t, std::unique_ptr<Database>> databases_;  // user databases by id
  std::vector<bool> spids_;                                 // in use, indexed by spid - kFirstSpid
  // Successful password checks, by login: salted SHA-256 of the password, so a reconnecting
  // client does not pay the PBKDF2 cost again. Cleared on a password change.
  std::map<std::string, std::string> verified_;

  std::atomic<int64_t> next_descriptor_{1};
  std::atomic<int> active_sessions_{0};
};

}  // namespace edgesql::engine
