// CompileCache: a session's compiled statements, so that a statement run again (a prepared
// statement, an sp_executesql text, a loop body, the same batch sent twice) is bound and emitted
// once instead of on every execution.
//
// A CompiledStatement depends only on its statement, the catalog snapshot, the types of the
// variables it looks up and the session settings in BindContext (tsql/compiled.h). An entry keeps
// all of these and is used only when each is the same again: the same statement and catalog
// objects (the entry holds both alive, so their addresses cannot be reused by others), equal
// settings and database, and every variable the binder asked about still declared with the same
// type (or still undeclared). Anything else compiles anew and replaces the entry.
//
// Only statements worth keeping are kept: one whose SQLite text exceeds kMaxEntrySql (a
// multi-row INSERT of literals, which a bulk loader sends once per batch, each one different)
// would hold its parsed batch and compiled form for nothing. One session's thread uses it;
// bounded by entry count and by the total size of the kept SQLite texts (when full it starts
// over), so a session holds at most a megabyte or two of it (trees included).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tsql/compiled.h"
#include "tsql/statement.h"

namespace edgesql::engine {

class CompileCache {
 public:
  using Compiled = std::shared_ptr<const tsql::CompiledStatement>;
  using Compile = std::function<Result<Compiled>(const tsql::BindContext&)>;

  // The compiled form of `stmt` (owned by `owner`, the parsed batch) for `ctx`, whose catalog is
  // `catalog`: from the cache when it still applies, else from `compile`, then kept.
  Result<Compiled> Get(const std::shared_ptr<const void>& owner, const tsql::Statement& stmt,
                       const std::shared_ptr<const tsql::CatalogView>& catalog,
                       const tsql::BindContext& ctx, const Compile& compile);

  // A variable the binder asked about, and what it found.
  struct Lookup {
    std::string name;
    std::optional<SqlType> type;  // nullopt: not declared when compiled
  };

 private:
  struct Entry {
    std::shared_ptr<const void> owner;
    std::shared_ptr<const tsql::CatalogView> catalog;
    tsql::BindSettings settings;
    std::string database_name;
    std::vector<Lookup> lookups;
    Compiled compiled;
  };
  static constexpr size_t kMaxEntries = 64;
  static constexpr size_t kMaxEntrySql = 8 * 1024;
  static constexpr size_t kMaxTotalSql = 64 * 1024;

  static bool Applies(const Entry& e, const tsql::CatalogView* catalog,
                      const tsql::BindContext& ctx);

  std::unordered_map<const tsql::Statement*, Entry> entries_;
  size_t total_sql_ = 0;  // sum of the entries' compiled->sql sizes
};

}  // namespace edgesql::engine
