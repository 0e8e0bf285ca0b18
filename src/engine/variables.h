// Variables: the T-SQL local variables of one batch or procedure scope (DECLARE @x int), with
// their declared types and current values.
//
// SQL Server scopes variables to the whole batch from their DECLARE on (blocks do not open
// scopes), compares their names with the collation (case-insensitively), and initializes them
// to NULL. sp_executesql runs its statement in a new scope holding only its parameters.
// Used by one interpreter on one thread.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "common/errors.h"
#include "tsql/compiled.h"
#include "types/collation.h"
#include "types/value.h"

namespace edgesql::engine {

class Variables : public tsql::VariableScope {
 public:
  struct Variable {
    std::string name;  // as declared, with '@'
    SqlType type;
    Value value;
    bool output = false;                // an OUTPUT parameter of sp_executesql / sp_execute
    const void* declared_by = nullptr;  // the DECLARE that made it (null for parameters)
  };

  const SqlType* FindVariable(std::string_view name) const override {
    const Variable* v = Find(name);
    return v ? &v->type : nullptr;
  }

  Variable* Find(std::string_view name) {
    auto it = vars_.find(Key(name));
    return it == vars_.end() ? nullptr : &it->second;
  }
  const Variable* Find(std::string_view name) const {
    auto it = vars_.find(Key(name));
    return it == vars_.end() ? nullptr : &it->second;
  }

  // DECLARE: error 134 if the name is taken in this scope. A DECLARE is a declaration, not an
  // action: running the same one again (in a loop) keeps the variable and its value, as SQL
  // Server does; `declared_by` identifies the declaration (null for parameters).
  Status Declare(std::string_view name, const SqlType& type, const void* declared_by = nullptr) {
    std::string key = Key(name);
    auto it = vars_.find(key);
    if (it != vars_.end()) {
      if (declared_by != nullptr && it->second.declared_by == declared_by) return Status::Ok();
      return errors::Make(errors::kVariableAlreadyDeclared, {std::string(name)});
    }
    vars_.emplace(std::move(key),
                  Variable{std::string(name), type, Value::Null(type), false, declared_by});
    return Status::Ok();
  }

 private:
  static std::string Key(std::string_view name) { return collation::Upper(name); }
  std::unordered_map<std::string, Variable> vars_;
};

}  // namespace edgesql::engine
