#include "engine/database.h"

#include <limits>

#include "common/errors.h"
#include "common/log.h"

namespace edgesql::engine {

using storage::SqliteConnection;

ReaderLease& ReaderLease::operator=(ReaderLease&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr && conn_ != nullptr) db_->ReturnReader(std::move(conn_));
    db_ = other.db_;
    conn_ = std::move(other.conn_);
    other.db_ = nullptr;
  }
  return *this;
}

ReaderLease::~ReaderLease() {
  if (db_ != nullptr && conn_ != nullptr) db_->ReturnReader(std::move(conn_));
}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(int64_t id, std::string name, std::string path,
                                                 bool create, SqliteConnection::RegisterHook hook) {
  std::unique_ptr<Database> db(new Database(id, std::move(name), std::move(path), std::move(hook)));
  EDGESQL_ASSIGN_OR_RETURN(
      auto writer,
      SqliteConnection::Open(db->path_, SqliteConnection::Role::kWriter, create, db->hook_));
  if (create) {
    EDGESQL_RETURN_IF_ERROR(writer->Exec("BEGIN IMMEDIATE"));
    Status st = InitializeCatalogSchema(*writer);
    if (st.ok()) st = writer->Exec("COMMIT");
    if (!st.ok()) {
      (void)writer->Exec("ROLLBACK");
      return st;
    }
  }
  EDGESQL_RETURN_IF_ERROR(writer->Exec("BEGIN"));
  auto catalog = Catalog::Load(*writer);
  EDGESQL_RETURN_IF_ERROR(writer->Exec("COMMIT"));
  if (!catalog.ok()) return catalog.status();
  db->published_ = std::move(catalog).value();
  db->lane_ = std::make_unique<WriterLane>(std::move(writer));
  Database* raw = db.get();
  db->lane_->SetCommitHook([raw](SqliteConnection& conn) {
    Status st = raw->OnCommitted(conn);
    if (!st.ok())
      ES_LOG(Error, "engine") << "reloading catalog of " << raw->name_ << ": " << st.ToString();
  });
  return db;
}

Result<ReaderLease> Database::AcquireReader() {
  {
    std::lock_guard lock(mu_);
    if (!idle_readers_.empty()) {
      auto conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(this, std::move(conn));
    }
  }
  EDGESQL_ASSIGN_OR_RETURN(
      auto conn, SqliteConnection::Open(path_, SqliteConnection::Role::kReader, false, hook_));
  return ReaderLease(this, std::move(conn));
}

void Database::ReturnReader(std::unique_ptr<SqliteConnection> conn) {
  conn->SetInterruptCheck(nullptr);
  if (conn->InTransaction()) (void)conn->Exec("ROLLBACK");
  std::lock_guard lock(mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(conn));
}

std::shared_ptr<const Catalog> Database::published_catalog() const {
  std::lock_guard lock(mu_);
  return published_;
}

Result<std::shared_ptr<const Catalog>> Database::CatalogFor(SqliteConnection& conn) {
  EDGESQL_ASSIGN_OR_RETURN(int64_t version, conn.QueryInt("PRAGMA schema_version"));
  auto published = published_catalog();
  if (published->schema_version() == version) return published;
  // The connection sees a schema the published snapshot does not describe: uncommitted DDL on
  // the writer, or a reader racing a commit. Describe exactly what this connection sees.
  return Catalog::Load(conn);
}

Status Database::OnCommitted(SqliteConnection& writer) {
  EDGESQL_ASSIGN_OR_RETURN(int64_t version, writer.QueryInt("PRAGMA schema_version"));
  if (published_catalog()->schema_version() == version) return Status::Ok();
  EDGESQL_ASSIGN_OR_RETURN(auto catalog, Catalog::Load(writer));
  std::lock_guard lock(mu_);
  published_ = std::move(catalog);
  return Status::Ok();
}

Status Database::PrepareIdentity(SqliteConnection& writer, const TableInfo& table) {
  const ColumnInfo* col = table.IdentityColumn();
  if (col == nullptr) return Status::Ok();
  {
    std::lock_guard lock(mu_);
    auto it = identity_.find(table.object_id);
    if (it != identity_.end() && it->second.prepared) return Status::Ok();
  }
  IdentityCounter counter;
  counter.prepared = true;
  counter.seed = col->identity->seed;
  counter.increment = col->identity->increment;
  counter.type_name = col->type.Name();
  IntegerRange range = IntegerRangeOf(col->type.id);
  counter.min = range.min;
  counter.max = range.max;
  EDGESQL_ASSIGN_OR_RETURN(auto persisted, catalog_writer::LoadIdentity(writer, table.object_id));
  if (persisted) counter.last = *persisted, counter.any = true;
  // The column's extreme value counts too: explicit values inserted under IDENTITY_INSERT ON
  // must not be handed out again. This is one index seek when the column is a key.
  const bool up = counter.increment >= 0;
  EDGESQL_ASSIGN_OR_RETURN(auto stmt,
                           writer.Prepare(std::string("SELECT ") + (up ? "max" : "min") + "(" +
                                          col->sqlite_name() + ") FROM " + table.sqlite_name()));
  EDGESQL_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (row && !stmt->ColumnIsNull(0)) {
    int64_t extreme = stmt->ColumnInt(0);
    if (!counter.any || (up ? extreme > counter.last : extreme < counter.last)) {
      counter.last = extreme, counter.any = true;
    }
  }
  stmt->Reset();
  std::lock_guard lock(mu_);
  IdentityCounter& slot = identity_[table.object_id];
  // ObserveIdentity may have recorded an explicit value before the counter was prepared: keep
  // whichever is further along.
  if (slot.any && (!counter.any || (up ? slot.last > counter.last : slot.last < counter.last))) {
    counter.last = slot.last, counter.any = true;
  }
  slot = counter;
  return Status::Ok();
}

Result<int64_t> Database::NextIdentity(int64_t object_id) {
  std::lock_guard lock(mu_);
  auto it = identity_.find(object_id);
  if (it == identity_.end() || !it->second.prepared) {
    return errors::Make(errors::kInternalError, {"identity counter used before preparation"});
  }
  IdentityCounter& c = it->second;
  int64_t next = c.seed;
  if (c.any && __builtin_add_overflow(c.last, c.increment, &next)) {
    return errors::Make(errors::kArithmeticOverflow, {"IDENTITY", c.type_name});
  }
  if (next < c.min || next > c.max) {
    return errors::Make(errors::kArithmeticOverflow, {"IDENTITY", c.type_name});
  }
  c.last = next;
  c.any = true;
  return next;
}

std::optional<int64_t> Database::CurrentIdentity(int64_t object_id) const {
  std::lock_guard lock(mu_);
  auto it = identity_.find(object_id);
  if (it == identity_.end() || !it->second.any) return std::nullopt;
  return it->second.last;
}

void Database::ObserveIdentity(int64_t object_id, int64_t value, int64_t increment) {
  std::lock_guard lock(mu_);
  IdentityCounter& c = identity_[object_id];
  bool beyond = increment >= 0 ? value > c.last : value < c.last;
  if (!c.any || beyond) c.last = value, c.any = true;
}

void Database::ResetIdentity(int64_t object_id) {
  std::lock_guard lock(mu_);
  auto it = identity_.find(object_id);
  if (it != identity_.end()) {
    it->second.any = false;
    it->second.last = 0;
  }
}

}  // namespace edgesql::engine
