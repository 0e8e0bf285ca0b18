#include "engine/compile_cache.h"

namespace edgesql::engine {
namespace {

// Answers the binder's variable lookups from `inner` and writes each down.
class RecordingScope : public tsql::VariableScope {
 public:
  explicit RecordingScope(const tsql::VariableScope* inner) : inner_(inner) {}

  const SqlType* FindVariable(std::string_view name) const override {
    const SqlType* type = inner_ != nullptr ? inner_->FindVariable(name) : nullptr;
    lookups_.push_back(CompileCache::Lookup{
        std::string(name), type != nullptr ? std::optional<SqlType>(*type) : std::nullopt});
    return type;
  }

  std::vector<CompileCache::Lookup>& lookups() const { return lookups_; }

 private:
  const tsql::VariableScope* inner_;
  mutable std::vector<CompileCache::Lookup> lookups_;
};

}  // namespace

bool CompileCache::Applies(const Entry& e, const tsql::CatalogView* catalog,
                           const tsql::BindContext& ctx) {
  if (e.catalog.get() != catalog || !(e.settings == ctx.settings) ||
      e.database_name != ctx.database_name) {
    return false;
  }
  for (const Lookup& l : e.lookups) {
    const SqlType* now = ctx.variables != nullptr ? ctx.variables->FindVariable(l.name) : nullptr;
    if (now == nullptr ? l.type.has_value() : !l.type.has_value() || !(*now == *l.type)) {
      return false;
    }
  }
  return true;
}

Result<CompileCache::Compiled> CompileCache::Get(
    const std::shared_ptr<const void>& owner, const tsql::Statement& stmt,
    const std::shared_ptr<const tsql::CatalogView>& catalog, const tsql::BindContext& ctx,
    const Compile& compile) {
  auto it = entries_.find(&stmt);
  if (it != entries_.end() && Applies(it->second, catalog.get(), ctx)) return it->second.compiled;
  RecordingScope recording(ctx.variables);
  tsql::BindContext recorded = ctx;
  recorded.variables = &recording;
  auto compiled = compile(recorded);
  if (!compiled.ok()) return compiled;
  const size_t sql = (*compiled)->sql.size();
  if (it != entries_.end()) {
    total_sql_ -= it->second.compiled->sql.size();
    entries_.erase(it);
  }
  if (sql > kMaxEntrySql) return compiled;
  if (entries_.size() >= kMaxEntries || total_sql_ + sql > kMaxTotalSql) {
    entries_.clear();
    total_sql_ = 0;
  }
  total_sql_ += sql;
  Entry& e = entries_[&stmt];
  e.owner = owner;
  e.catalog = catalog;
  e.settings = ctx.settings;
  e.database_name = ctx.database_name;
  e.lookups = std::move(recording.lookups());
  e.compiled = *compiled;
  return compiled;
}

}  // namespace edgesql::engine
