#include "engine/server.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "common/errors.h"
#include "common/log.h"
#include "engine/session.h"
#include "tsql/runtime_functions.h"
#include "types/collation.h"

namespace edgesql::engine {
namespace {

using storage::SqliteConnection;

constexpr int64_t kMasterId = 1;
constexpr int64_t kFirstUserDatabaseId = 5;  // 2-4 are tempdb, model and msdb in SQL Server
constexpr int32_t kFirstSpid = 51;           // SQL Server's first user session id
constexpr int kPbkdf2Iterations = 4096;      // as PostgreSQL's SCRAM-SHA-256 default
constexpr size_t kSaltBytes = 16;

constexpr const char* kMasterSchema = R"sql(
CREATE TABLE edgesql_logins(
  name TEXT PRIMARY KEY,
  salt BLOB NOT NULL,
  iterations INTEGER NOT NULL,
  hash BLOB NOT NULL,
  default_database TEXT NOT NULL,
  create_date INTEGER NOT NULL,
  modify_date INTEGER NOT NULL) STRICT;
CREATE TABLE edgesql_databases(
  database_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  create_date INTEGER NOT NULL) STRICT;
)sql";

int64_t NowTicks() {
  // datetime storage form: 100 ns ticks since 0001-01-01; Unix epoch is day 719162.
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t{719162} * 86400 + ts.tv_sec) * 10'000'000 + ts.tv_nsec / 100;
}

std::string Pbkdf2(std::string_view password, std::string_view salt, int iterations) {
  unsigned char out[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof(out), out);
  return std::string(reinterpret_cast<char*>(out), sizeof(out));
}

std::string QuickDigest(std::string_view salt, std::string_view password) {
  std::string input = std::string(salt) + std::string(password);
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof(out));
}

// Constant-time comparison for password hashes.
bool SameBytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Status StepOnce(storage::Statement* st) {
  auto r = st->Step();
  st->Reset();
  return r.ok() ? Status::Ok() : r.status();
}

Status InsertLogin(SqliteConnection& conn, std::string_view name, std::string_view password) {
  std::string salt(kSaltBytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size()));
  std::string hash = Pbkdf2(password, salt, kPbkdf2Iterations);
  EDGESQL_ASSIGN_OR_RETURN(
      auto st, conn.Prepare("INSERT INTO edgesql_logins VALUES (?1, ?2, ?3, ?4, 'master', ?5, ?5) "
                            "ON CONFLICT(name) DO UPDATE SET salt = excluded.salt, iterations = "
                            "excluded.iterations, hash = excluded.hash, modify_date = ?5"));
  EDGESQL_RETURN_IF_ERROR(st->BindText(1, name));
  StoredValue blob;
  blob.cls = StorageClass::kBlob;
  blob.bytes = salt;
  EDGESQL_RETURN_IF_ERROR(st->Bind(2, blob));
  EDGESQL_RETURN_IF_ERROR(st->BindInt(3, kPbkdf2Iterations));
  blob.bytes = hash;
  EDGESQL_RETURN_IF_ERROR(st->Bind(4, blob));
  EDGESQL_RETURN_IF_ERROR(st->BindInt(5, NowTicks()));
  return StepOnce(st);
}

void RemoveDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::string p = path + suffix;
    ::unlink(p.c_str());
  }
}

}  // namespace

Server::~Server() {
  databases_.clear();
  master_.reset();
}

bool Server::PasswordMeetsPolicy(std::string_view password) {
  if (password.size() < 8 || password.size() > 128) return false;
  bool upper = false, lower = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      symbol = true;  // non-alphanumeric, including non-ASCII characters
    }
  }
  return upper + lower + digit + symbol >= 3;
}

storage::SqliteConnection::RegisterHook Server::FunctionHook() {
  return
      [](sqlite3* db, SqliteConnection* conn) { return tsql::RegisterRuntimeFunctions(db, conn); };
}

Result<std::unique_ptr<Server>> Server::Open(const ServerOptions& options) {
  EDGESQL_ASSIGN_OR_RETURN(auto dir, storage::DataDirectory::Open(options.data_dir));
  std::unique_ptr<Server> server(new Server(std::move(dir)));
  server->identity_.server_name = options.server_name;
  if (server->identity_.server_name.empty()) {
    char host[256] = {0};
    ::gethostname(host, sizeof(host) - 1);
    server->identity_.server_name = host;
  }
  server->identity_.version_string =
      std::string("Microsoft SQL Server 2022 (RTM) - ") + ServerIdentity::kProductVersion +
      " (X64) \n\tedgesql 0.1.0, a SQL Server-compatible edge database on SQLite " +
      sqlite3_libversion() + " \n\tLinux";
  if (server->data_dir_->needs_initialization()) {
    EDGESQL_RETURN_IF_ERROR(server->Initialize(options));
  }
  auto master = Database::Open(kMasterId, "master", server->data_dir_->MasterPath(), false,
                               server->FunctionHook());
  if (!master.ok()) return master.status();
  server->master_ = std::move(master).value();
  EDGESQL_RETURN_IF_ERROR(server->LoadDatabases());
  return server;
}

Status Server::Initialize(const ServerOptions& options) {
  if (!PasswordMeetsPolicy(options.initial_sa_password)) {
    SqlError err = errors::Make(errors::kPasswordTooWeak);
    err.message =
        "The data directory " + data_dir_->path() + " is not initialized, and " +
        options.initial_sa_password_source +
        " does not hold a valid sa password: it must have 8 to 128 characters from at least "
        "three of: uppercase letters, lowercase letters, digits and symbols. Set "
        "MSSQL_SA_PASSWORD (or MSSQL_SA_PASSWORD_FILE) for the first start.";
    return err;
  }
  ES_LOG(Info, "engine") << "initializing data directory " << data_dir_->path();
  // A master file without the FORMAT marker is what a failed earlier initialization left.
  RemoveDatabaseFiles(data_dir_->MasterPath());
  {
    EDGESQL_ASSIGN_OR_RETURN(auto db, Database::Open(kMasterId, "master", data_dir_->MasterPath(),
                                                     true, FunctionHook()));
    SqliteConnection& conn = db->lane().connection();
    EDGESQL_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
    Status st = conn.Exec(kMasterSchema);
    if (st.ok()) st = InsertLogin(conn, "sa", options.initial_sa_password);
    if (st.ok()) st = conn.Exec("COMMIT");
    if (!st.ok()) {
      (void)conn.Exec("ROLLBACK");
      return st;
    }
  }
  return data_dir_->MarkInitialized();
}

Status Server::LoadDatabases() {
  SqliteConnection& conn = master_->lane().connection();
  EDGESQL_ASSIGN_OR_RETURN(
      auto st, conn.Prepare("SELECT database_id, name FROM edgesql_databases ORDER BY 1"));
  std::vector<std::pair<int64_t, std::string>> rows;
  for (;;) {
    EDGESQL_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    rows.emplace_back(st->ColumnInt(0), std::string(st->ColumnText(1)));
  }
  st->Reset();
  for (auto& [id, name] : rows) {
    EDGESQL_ASSIGN_OR_RETURN(
        auto db, Database::Open(id, name, data_dir_->DatabasePath(id), false, FunctionHook()));
    databases_.emplace(id, std::move(db));
  }
  return Status::Ok();
}

Database* Server::FindDatabase(std::string_view name) {
  if (collation::Equal(name, "master")) return master_.get();
  std::lock_guard lock(mu_);
  for (auto& [id, db] : databases_) {
    if (collation::Equal(db->name(), name)) return db.get();
  }
  return nullptr;
}

Database* Server::DatabaseById(int64_t id) {
  if (id == kMasterId) return master_.get();
  std::lock_guard lock(mu_);
  auto it = databases_.find(id);
  return it == databases_.end() ? nullptr : it->second.get();
}

std::vector<std::pair<int64_t, std::string>> Server::ListDatabases() {
  std::vector<std::pair<int64_t, std::string>> out{{kMasterId, "master"}};
  std::lock_guard lock(mu_);
  for (auto& [id, db] : databases_) out.emplace_back(id, db->name());
  return out;
}

int Server::CheckpointAll(std::chrono::milliseconds wait) {
  int incomplete = 0;
  for (auto& [id, name] : ListDatabases()) {
    Database* db = DatabaseById(id);
    if (db == nullptr) continue;
    LaneWait lane_wait;
    lane_wait.lock_timeout_ms = wait.count();
    auto done = db->lane().Checkpoint("TRUNCATE", lane_wait);
    if (!done.ok() || !*done) {
      ++incomplete;
      ES_LOG(Warn, "engine") << "checkpoint of database '" << name << "' incomplete: "
                             << (done.ok() ? "a reader still uses the WAL" : done.error().message);
    }
  }
  return incomplete;
}

uint64_t Server::WalBytes() {
  uint64_t total = 0;
  for (auto& [id, name] : ListDatabases()) {
    Database* db = DatabaseById(id);
    struct stat st {};
    if (db != nullptr && ::stat((db->path() + "-wal").c_str(), &st) == 0) total += st.st_size;
  }
  return total;
}

Result<Database*> Server::CreateDatabase(std::string_view name) {
  if (name.empty() || name.size() > 128) {
    return errors::Make(errors::kIdentifierTooLong, {std::string(name.substr(0, 128))});
  }
  if (FindDatabase(name) != nullptr) {
    return errors::Make(errors::kDatabaseAlreadyExists, {std::string(name)});
  }
  std::lock_guard lock(mu_);
  for (auto& [id, db] : databases_) {
    if (collation::Equal(db->name(), name)) {
      return errors::Make(errors::kDatabaseAlreadyExists, {std::string(name)});
    }
  }
  int64_t id = databases_.empty() ? kFirstUserDatabaseId : databases_.rbegin()->first + 1;
  std::string path = data_dir_->DatabasePath(id);
  // A file with this id can only be what an interrupted CREATE DATABASE or DROP DATABASE left.
  RemoveDatabaseFiles(path);
  EDGESQL_ASSIGN_OR_RETURN(auto db,
                           Database::Open(id, std::string(name), path, true, FunctionHook()));
  EDGESQL_RETURN_IF_ERROR(storage::DataDirectory::SyncDirectory(data_dir_->path() + "/db"));
  Status st = master_->lane().RunAutocommit(
      [&](SqliteConnection& conn) -> Status {
        EDGESQL_ASSIGN_OR_RETURN(auto ins,
                                 conn.Prepare("INSERT INTO edgesql_databases VALUES (?1, ?2, ?3)"));
        EDGESQL_RETURN_IF_ERROR(ins->BindInt(1, id));
        EDGESQL_RETURN_IF_ERROR(ins->BindText(2, name));
        EDGESQL_RETURN_IF_ERROR(ins->BindInt(3, NowTicks()));
        return StepOnce(ins);
      },
      {});
  if (!st.ok()) {
    db.reset();
    RemoveDatabaseFiles(path);
    return st.error();
  }
  Database* raw = db.get();
  databases_.emplace(id, std::move(db));
  ES_LOG(Info, "engine") << "created database " << name << " (id " << id << ")";
  return raw;
}

Status Server::DropDatabase(std::string_view name) {
  if (collation::Equal(name, "master")) {
    return errors::Make(errors::kCannotDropSystemDatabase, {"master"});
  }
  std::unique_ptr<Database> victim;
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(databases_.begin(), databases_.end(),
                           [&](auto& e) { return collation::Equal(e.second->name(), name); });
    if (it == databases_.end()) {
      return errors::Make(errors::kDatabaseDoesNotExist, {std::string(name)});
    }
    if (it->second->users() > 0) {
      return errors::Make(errors::kDatabaseInUse, {it->second->name()});
    }
    int64_t id = it->first;
    Status st = master_->lane().RunAutocommit(
        [&](SqliteConnection& conn) {
          return conn.Exec("DELETE FROM edgesql_databases WHERE database_id = " +
                           std::to_string(id));
        },
        {});
    EDGESQL_RETURN_IF_ERROR(st);
    victim = std::move(it->second);
    databases_.erase(it);
  }
  std::string path = victim->path();
  victim.reset();
  RemoveDatabaseFiles(path);
  ES_LOG(Info, "engine") << "dropped database " << name;
  return Status::Ok();
}

Result<bool> Server::CheckPassword(std::string_view login, std::string_view password) {
  std::string name, salt, hash;
  int iterations = 0;
  {
    // Reads of master's logins go through a reader so they never wait for a writer.
    EDGESQL_ASSIGN_OR_RETURN(auto reader, master_->AcquireReader());
    EDGESQL_ASSIGN_OR_RETURN(auto st, reader->Prepare("SELECT name, salt, iterations, hash FROM "
                                                      "edgesql_logins"));
    for (;;) {
      EDGESQL_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      if (!collation::Equal(st->ColumnText(0), login)) continue;
      StoredValue v;
      name = std::string(st->ColumnText(0));
      st->Column(1, &v);
      salt = v.bytes;
      iterations = static_cast<int>(st->ColumnInt(2));
      st->Column(3, &v);
      hash = v.bytes;
    }
    st->Reset();
  }
  if (name.empty()) return false;
  std::string quick = QuickDigest(salt, password);
  {
    std::lock_guard lock(mu_);
    auto it = verified_.find(name);
    if (it != verified_.end() && SameBytes(it->second, quick)) return true;
  }
  if (!SameBytes(Pbkdf2(password, salt, iterations), hash)) return false;
  std::lock_guard lock(mu_);
  verified_[name] = quick;
  return true;
}

Status Server::ChangePassword(std::string_view login, std::string_view new_password,
                              const std::optional<std::string>& old_password) {
  if (!collation::Equal(login, "sa")) {
    return errors::Make(errors::kCannotAlterLogin, {std::string(login)});
  }
  if (old_password) {
    EDGESQL_ASSIGN_OR_RETURN(bool ok, CheckPassword(login, *old_password));
    if (!ok) return errors::Make(errors::kCannotAlterLogin, {std::string(login)});
  }
  if (!PasswordMeetsPolicy(new_password)) return errors::Make(errors::kPasswordTooWeak);
  EDGESQL_RETURN_IF_ERROR(master_->lane().RunAutocommit(
      [&](SqliteConnection& conn) { return InsertLogin(conn, "sa", new_password); }, {}));
  std::lock_guard lock(mu_);
  verified_.clear();
  return Status::Ok();
}

int32_t Server::AllocateSpid() {
  std::lock_guard lock(mu_);
  auto free = std::find(spids_.begin(), spids_.end(), false);
  size_t index = static_cast<size_t>(free - spids_.begin());
  if (free == spids_.end()) {
    spids_.push_back(true);
  } else {
    *free = true;
  }
  active_sessions_++;
  return kFirstSpid + static_cast<int32_t>(index);
}

void Server::ReleaseSpid(int32_t spid) {
  std::lock_guard lock(mu_);
  spids_[static_cast<size_t>(spid - kFirstSpid)] = false;
  active_sessions_--;
}

Result<std::unique_ptr<Session>> Server::Login(const LoginRequest& request) {
  EDGESQL_ASSIGN_OR_RETURN(bool ok, CheckPassword(request.user, request.password));
  if (!ok) {
    ES_LOG(Info, "engine") << "login failed for user '" << request.user << "' from "
                           << request.host_name;
    return errors::Make(errors::kLoginFailed, {request.user});
  }
  std::string db_name = request.database.empty() ? "master" : request.database;
  Database* db = FindDatabase(db_name);
  if (db == nullptr) return errors::Make(errors::kCannotOpenDatabase, {db_name});
  return std::unique_ptr<Session>(new Session(*this, AllocateSpid(), request, db));
}

std::unique_ptr<Session> Server::InternalSession() {
  LoginRequest request;
  request.user = "sa";
  request.app_name = "edgesql internal";
  return std::unique_ptr<Session>(new Session(*this, AllocateSpid(), request, master_.get()));
}

Value Server::ServerProperty(std::string_view name) const {
  auto text = [](std::string s) { return Value::NVarChar(std::move(s)); };
  if (collation::Equal(name, "ProductVersion")) return text(ServerIdentity::kProductVersion);
  if (collation::Equal(name, "ProductMajorVersion")) return text("16");
  if (collation::Equal(name, "ProductMinorVersion")) return text("0");
  if (collation::Equal(name, "ProductBuild")) return text("1000");
  if (collation::Equal(name, "ProductLevel")) return text("RTM");
  if (collation::Equal(name, "Edition")) return text("edgesql (64-bit)");
  // 9 is Azure SQL Edge's engine edition, the product edgesql stands in for.
  if (collation::Equal(name, "EngineEdition")) return Value::Integer(9);
  if (collation::Equal(name, "ServerName") || collation::Equal(name, "MachineName")) {
    return text(identity_.server_name);
  }
  if (collation::Equal(name, "InstanceName")) return Value::Null(SqlType::NVarChar(128));
  if (collation::Equal(name, "Collation")) return text(collation::kSqlServerName);
  if (collation::Equal(name, "IsIntegratedSecurityOnly")) return Value::Integer(0);
  if (collation::Equal(name, "IsSingleUser")) return Value::Integer(0);
  if (collation::Equal(name, "IsClustered")) return Value::Integer(0);
  if (collation::Equal(name, "IsFullTextInstalled")) return Value::Integer(0);
  if (collation::Equal(name, "IsHadrEnabled")) return Value::Integer(0);
  if (collation::Equal(name, "ProcessID")) return Value::Integer(::getpid());
  return Value::Null(SqlType::NVarChar(128));
}

}  // namespace edgesql::engine
