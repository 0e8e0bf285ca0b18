// Printer: statements and batches.
#include <variant>

#include "tsql/printer_internal.h"

namespace edgesql::tsql {
namespace {

const char* ActionText(ReferentialAction action) {
  switch (action) {
    case ReferentialAction::kNoAction:
      return "NO ACTION";
    case ReferentialAction::kCascade:
      return "CASCADE";
    case ReferentialAction::kSetNull:
      return "SET NULL";
    case ReferentialAction::kSetDefault:
      return "SET DEFAULT";
    case ReferentialAction::kUnspecified:
      break;
  }
  return "";
}

const char* ClusteringText(Clustering c) {
  switch (c) {
    case Clustering::kClustered:
      return " CLUSTERED";
    case Clustering::kNonclustered:
      return " NONCLUSTERED";
    case Clustering::kUnspecified:
      break;
  }
  return "";
}

const char* ObjectKindText(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kTable:
      return "TABLE";
    case ObjectKind::kView:
      return "VIEW";
    case ObjectKind::kProcedure:
      return "PROCEDURE";
    case ObjectKind::kFunction:
      return "FUNCTION";
    case ObjectKind::kDatabase:
      return "DATABASE";
  }
  return "";
}

const char* IsolationText(IsolationLevel level) {
  switch (level) {
    case IsolationLevel::kReadUncommitted:
      return "READ UNCOMMITTED";
    case IsolationLevel::kReadCommitted:
      return "READ COMMITTED";
    case IsolationLevel::kRepeatableRead:
      return "REPEATABLE READ";
    case IsolationLevel::kSnapshot:
      return "SNAPSHOT";
    case IsolationLevel::kSerializable:
      return "SERIALIZABLE";
  }
  return "";
}

void TransactionName(Printer* p, const Identifier& name) {
  if (!name.quoted && !name.value.empty() && name.value[0] == '@') {
    p->out += name.value;
  } else {
    p->Name(name);
  }
}

}  // namespace

void Printer::StatementText(const Statement& stmt) {
  std::visit([&](const auto& node) { StatementNode(node); }, stmt.node);
}

void Printer::StatementList(const std::vector<StatementPtr>& stmts, const char* separator) {
  for (size_t i = 0; i < stmts.size(); ++i) {
    if (i > 0) out += separator;
    StatementText(*stmts[i]);
  }
}

void Printer::Outputs(const std::vector<OutputClause>& outputs) {
  for (const OutputClause& o : outputs) {
    out += " OUTPUT ";
    SelectItems(o.items);
    if (o.into_table || !o.into_variable.empty()) {
      out += " INTO ";
      if (o.into_table) {
        Name(*o.into_table);
      } else {
        out += o.into_variable;
      }
      if (!o.into_columns.empty()) {
        out += ' ';
        Names(o.into_columns);
      }
    }
  }
}

void Printer::Exec(const ExecStmt& exec) {
  out += "EXEC ";
  if (!exec.sql.empty()) {
    out += '(';
    for (size_t i = 0; i < exec.sql.size(); ++i) {
      if (i > 0) out += " + ";
      Expression(*exec.sql[i]);
    }
    out += ')';
    return;
  }
  if (!exec.return_variable.empty()) out += exec.return_variable + " = ";
  if (!exec.procedure_variable.empty()) {
    out += exec.procedure_variable;
  } else {
    Name(exec.procedure);
  }
  for (size_t i = 0; i < exec.args.size(); ++i) {
    out += i == 0 ? " " : ", ";
    const ExecArg& arg = exec.args[i];
    if (!arg.name.empty()) out += arg.name + " = ";
    Expression(*arg.value);
    if (arg.output) out += " OUTPUT";
  }
  if (exec.recompile) out += " WITH RECOMPILE";
}

void Printer::TableDef(const TableDefinition& def) {
  out += " (";
  bool first = true;
  for (const ColumnDef& c : def.columns) {
    if (!first) out += ", ";
    first = false;
    Column(c);
  }
  for (const ConstraintDef& c : def.constraints) {
    if (!first) out += ", ";
    first = false;
    Constraint(c);
  }
  out += ')';
}

void Printer::Column(const ColumnDef& c) {
  Name(c.name);
  if (c.type) {
    out += ' ';
    Type(*c.type);
  }
  if (c.computed) {
    out += " AS ";
    Expression(*c.computed);
    if (c.persisted) out += " PERSISTED";
  }
  if (c.collation) {
    out += " COLLATE ";
    Name(*c.collation);
  }
  if (c.identity) {
    out += " IDENTITY(" + c.identity->seed + ", " + c.identity->increment + ")";
    if (c.identity->not_for_replication) out += " NOT FOR REPLICATION";
  }
  if (c.rowguidcol) out += " ROWGUIDCOL";
  if (c.sparse) out += " SPARSE";
  if (c.nullability == Nullability::kNull) out += " NULL";
  if (c.nullability == Nullability::kNotNull) out += " NOT NULL";
  for (const ConstraintDef& constraint : c.constraints) {
    out += ' ';
    Constraint(constraint);
  }
}

void Printer::IndexColumns(const std::vector<IndexColumn>& columns) {
  out += '(';
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ", ";
    Name(columns[i].name);
    if (columns[i].order == SortOrder::kAsc) out += " ASC";
    if (columns[i].order == SortOrder::kDesc) out += " DESC";
  }
  out += ')';
}

void Printer::IndexOptions(const std::vector<IndexOption>& options) {
  if (options.empty()) return;
  out += " WITH (";
  for (size_t i = 0; i < options.size(); ++i) {
    if (i > 0) out += ", ";
    Name(options[i].name);
    out += " = " + options[i].value;
  }
  out += ')';
}

void Printer::Constraint(const ConstraintDef& c) {
  if (!c.name.value.empty()) {
    out += "CONSTRAINT ";
    Name(c.name);
    out += ' ';
  }
  switch (c.kind) {
    case ConstraintKind::kPrimaryKey:
    case ConstraintKind::kUnique:
      out += c.kind == ConstraintKind::kPrimaryKey ? "PRIMARY KEY" : "UNIQUE";
      out += ClusteringText(c.clustering);
      if (!c.columns.empty()) {
        out += ' ';
        IndexColumns(c.columns);
      }
      IndexOptions(c.options);
      if (!c.filegroup.value.empty()) {
        out += " ON ";
        Name(c.filegroup);
      }
      break;
    case ConstraintKind::kForeignKey:
      if (!c.columns.empty()) {
        out += "FOREIGN KEY ";
        IndexColumns(c.columns);
        out += ' ';
      }
      out += "REFERENCES ";
      Name(c.ref_table);
      if (!c.ref_columns.empty()) {
        out += ' ';
        Names(c.ref_columns);
      }
      if (c.on_delete != ReferentialAction::kUnspecified) {
        out += " ON DELETE ";
        out += ActionText(c.on_delete);
      }
      if (c.on_update != ReferentialAction::kUnspecified) {
        out += " ON UPDATE ";
        out += ActionText(c.on_update);
      }
      if (c.not_for_replication) out += " NOT FOR REPLICATION";
      break;
    case ConstraintKind::kCheck:
      out += "CHECK ";
      if (c.not_for_replication) out += "NOT FOR REPLICATION ";
      out += '(';
      Expression(*c.expr);
      out += ')';
      break;
    case ConstraintKind::kDefault:
      out += "DEFAULT ";
      Expression(*c.expr);
      if (!c.default_for_column.value.empty()) {
        out += " FOR ";
        Name(c.default_for_column);
      }
      break;
  }
}

void Printer::Params(const std::vector<ParameterDef>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += ", ";
    const ParameterDef& p = params[i];
    out += p.name + ' ';
    Type(p.type);
    if (p.varying) out += " VARYING";
    if (p.default_value) {
      out += " = ";
      Expression(*p.default_value);
    }
    if (p.output) out += " OUTPUT";
    if (p.readonly) out += " READONLY";
  }
}

void Printer::ModuleOptions(const std::vector<std::string>& options) {
  if (options.empty()) return;
  out += " WITH ";
  for (size_t i = 0; i < options.size(); ++i) {
    if (i > 0) out += ", ";
    out += options[i];
  }
}

void Printer::Mode(CreateMode mode) {
  switch (mode) {
    case CreateMode::kCreate:
      out += "CREATE ";
      break;
    case CreateMode::kAlter:
      out += "ALTER ";
      break;
    case CreateMode::kCreateOrAlter:
      out += "CREATE OR ALTER ";
      break;
  }
}

void Printer::StatementNode(const SelectStmt& s) {
  QueryText(*s.query);
  Options(s.options);
}

void Printer::StatementNode(const InsertStmt& s) {
  Ctes(s.ctes);
  out += "INSERT ";
  if (s.top) {
    Top(*s.top);
    out += ' ';
  }
  out += "INTO ";
  Table(*s.target);
  if (!s.columns.empty()) {
    out += ' ';
    Names(s.columns);
  }
  Outputs(s.outputs);
  switch (s.source) {
    case InsertSource::kValues:
      out += ' ';
      ValuesRows(s.values);
      break;
    case InsertSource::kQuery:
      out += ' ';
      QueryText(*s.query);
      break;
    case InsertSource::kExec:
      out += ' ';
      Exec(*s.exec);
      break;
    case InsertSource::kDefaultValues:
      out += " DEFAULT VALUES";
      break;
  }
  Options(s.options);
}

void Printer::StatementNode(const UpdateStmt& s) {
  Ctes(s.ctes);
  out += "UPDATE ";
  if (s.top) {
    Top(*s.top);
    out += ' ';
  }
  Table(*s.target);
  out += " SET ";
  for (size_t i = 0; i < s.sets.size(); ++i) {
    if (i > 0) out += ", ";
    const SetClause& set = s.sets[i];
    if (!set.variable.empty()) {
      out += set.variable + ' ' + AssignOpText(set.op) + ' ';
      if (!set.column.parts.empty()) {
        Name(set.column);
        out += " = ";
      }
    } else {
      Name(set.column);
      out += ' ';
      out += AssignOpText(set.op);
      out += ' ';
    }
    Expression(*set.value);
  }
  Outputs(s.outputs);
  if (!s.from.empty()) {
    out += " FROM ";
    for (size_t i = 0; i < s.from.size(); ++i) {
      if (i > 0) out += ", ";
      Table(*s.from[i]);
    }
  }
  if (s.where) {
    out += " WHERE ";
    Expression(*s.where);
  }
  Options(s.options);
}

void Printer::StatementNode(const DeleteStmt& s) {
  Ctes(s.ctes);
  out += "DELETE ";
  if (s.top) {
    Top(*s.top);
    out += ' ';
  }
  out += "FROM ";
  Table(*s.target);
  Outputs(s.outputs);
  if (!s.from.empty()) {
    out += " FROM ";
    for (size_t i = 0; i < s.from.size(); ++i) {
      if (i > 0) out += ", ";
      Table(*s.from[i]);
    }
  }
  if (s.where) {
    out += " WHERE ";
    Expression(*s.where);
  }
  Options(s.options);
}

void Printer::StatementNode(const TruncateTableStmt& s) {
  out += "TRUNCATE TABLE ";
  Name(s.table);
}

void Printer::StatementNode(const CreateTableStmt& s) {
  out += "CREATE TABLE ";
  Name(s.name);
  TableDef(s.definition);
  if (!s.filegroup.value.empty()) {
    out += " ON ";
    Name(s.filegroup);
  }
  if (!s.textimage_on.value.empty()) {
    out += " TEXTIMAGE_ON ";
    Name(s.textimage_on);
  }
  IndexOptions(s.options);
}

void Printer::StatementNode(const DropStmt& s) {
  out += "DROP ";
  out += ObjectKindText(s.kind);
  if (s.if_exists) out += " IF EXISTS";
  for (size_t i = 0; i < s.names.size(); ++i) {
    out += i == 0 ? " " : ", ";
    Name(s.names[i]);
  }
}

void Printer::StatementNode(const AlterTableStmt& s) {
  out += "ALTER TABLE ";
  Name(s.table);
  if (s.with_check) out += *s.with_check ? " WITH CHECK" : " WITH NOCHECK";
  switch (s.action) {
    case AlterTableAction::kAdd: {
      out += " ADD ";
      bool first = true;
      for (const ColumnDef& c : s.columns) {
        if (!first) out += ", ";
        first = false;
        Column(c);
      }
      for (const ConstraintDef& c : s.constraints) {
        if (!first) out += ", ";
        first = false;
        Constraint(c);
      }
      break;
    }
    case AlterTableAction::kDrop:
      out += " DROP ";
      for (size_t i = 0; i < s.drops.size(); ++i) {
        if (i > 0) out += ", ";
        out += s.drops[i].is_column ? "COLUMN " : "CONSTRAINT ";
        if (s.drops[i].if_exists) out += "IF EXISTS ";
        Name(s.drops[i].name);
      }
      break;
    case AlterTableAction::kAlterColumn:
      out += " ALTER COLUMN ";
      Column(s.columns.front());
      break;
    case AlterTableAction::kCheckConstraints:
    case AlterTableAction::kNocheckConstraints:
      out += s.action == AlterTableAction::kCheckConstraints ? " CHECK CONSTRAINT "
                                                             : " NOCHECK CONSTRAINT ";
      if (s.all_constraints) {
        out += "ALL";
      } else {
        for (size_t i = 0; i < s.constraint_names.size(); ++i) {
          if (i > 0) out += ", ";
          Name(s.constraint_names[i]);
        }
      }
      break;
  }
}

void Printer::StatementNode(const CreateIndexStmt& s) {
  out += s.unique ? "CREATE UNIQUE" : "CREATE";
  out += ClusteringText(s.clustering);
  out += " INDEX ";
  Name(s.name);
  out += " ON ";
  Name(s.table);
  out += ' ';
  IndexColumns(s.columns);
  if (!s.include.empty()) {
    out += " INCLUDE ";
    Names(s.include);
  }
  if (s.where) {
    out += " WHERE ";
    Expression(*s.where);
  }
  IndexOptions(s.options);
  if (!s.filegroup.value.empty()) {
    out += " ON ";
    Name(s.filegroup);
  }
}

void Printer::StatementNode(const DropIndexStmt& s) {
  out += "DROP INDEX ";
  if (s.if_exists) out += "IF EXISTS ";
  for (size_t i = 0; i < s.items.size(); ++i) {
    if (i > 0) out += ", ";
    Name(s.items[i].index);
    out += " ON ";
    Name(s.items[i].table);
  }
}

void Printer::StatementNode(const CreateDatabaseStmt& s) {
  out += "CREATE DATABASE ";
  Name(s.name);
  if (s.collation) {
    out += " COLLATE ";
    Name(*s.collation);
  }
}

void Printer::StatementNode(const UseStmt& s) {
  out += "USE ";
  Name(s.database);
}

void Printer::StatementNode(const CreateViewStmt& s) {
  Mode(s.mode);
  out += "VIEW ";
  Name(s.name);
  if (!s.columns.empty()) {
    out += ' ';
    Names(s.columns);
  }
  ModuleOptions(s.options);
  out += " AS ";
  QueryText(*s.query);
  if (s.check_option) out += " WITH CHECK OPTION";
}

void Printer::StatementNode(const CreateProcedureStmt& s) {
  Mode(s.mode);
  out += "PROCEDURE ";
  Name(s.name);
  if (!s.params.empty()) {
    out += ' ';
    Params(s.params);
  }
  ModuleOptions(s.options);
  out += " AS\n";
  StatementList(s.body, ";\n");
}

void Printer::StatementNode(const CreateFunctionStmt& s) {
  Mode(s.mode);
  out += "FUNCTION ";
  Name(s.name);
  out += " (";
  Params(s.params);
  out += ") RETURNS ";
  switch (s.kind) {
    case FunctionKind::kScalar:
      Type(*s.return_type);
      break;
    case FunctionKind::kInlineTable:
      out += "TABLE";
      break;
    case FunctionKind::kMultiStatementTable:
      out += s.return_variable + " TABLE";
      TableDef(s.return_table);
      break;
  }
  ModuleOptions(s.options);
  if (s.kind == FunctionKind::kInlineTable) {
    out += " AS RETURN ";
    QueryText(*s.return_query);
  } else {
    out += " AS\nBEGIN\n";
    StatementList(s.body, ";\n");
    out += ";\nEND";
  }
}

void Printer::StatementNode(const AlterLoginStmt& s) {
  out += "ALTER LOGIN ";
  Name(s.login);
  out += " WITH PASSWORD = " + QuoteString(s.password, false);
  if (s.old_password) out += " OLD_PASSWORD = " + QuoteString(*s.old_password, false);
}

void Printer::StatementNode(const DeclareStmt& s) {
  out += "DECLARE ";
  for (size_t i = 0; i < s.variables.size(); ++i) {
    if (i > 0) out += ", ";
    const DeclareVariable& v = s.variables[i];
    out += v.name + ' ';
    if (v.table) {
      out += "TABLE";
      TableDef(*v.table);
    } else {
      Type(*v.type);
      if (v.initial_value) {
        out += " = ";
        Expression(*v.initial_value);
      }
    }
  }
}

void Printer::StatementNode(const SetVariableStmt& s) {
  out += "SET " + s.variable + ' ' + AssignOpText(s.op) + ' ';
  Expression(*s.value);
}

void Printer::StatementNode(const SetOptionStmt& s) {
  out += "SET ";
  switch (s.kind) {
    case SetOptionKind::kOnOff:
      for (size_t i = 0; i < s.options.size(); ++i) {
        if (i > 0) out += ", ";
        // SET STATISTICS IO, TIME ON: the prefix is written once.
        bool statistics = s.options[i].compare(0, 11, "STATISTICS ") == 0;
        if (statistics && i > 0 && s.options[i - 1].compare(0, 11, "STATISTICS ") == 0) {
          out += s.options[i].substr(11);
        } else {
          out += s.options[i];
        }
      }
      out += s.on ? " ON" : " OFF";
      break;
    case SetOptionKind::kValue:
      out += s.options.front() + ' ';
      if (s.word) {
        Name(*s.word);
      } else {
        Expression(*s.value);
      }
      break;
    case SetOptionKind::kIsolationLevel:
      out += "TRANSACTION ISOLATION LEVEL ";
      out += IsolationText(s.level);
      break;
    case SetOptionKind::kIdentityInsert:
      out += "IDENTITY_INSERT ";
      Name(s.table);
      out += s.on ? " ON" : " OFF";
      break;
  }
}

void Printer::StatementNode(const IfStmt& s) {
  out += "IF ";
  Expression(*s.condition);
  out += '\n';
  StatementText(*s.then_stmt);
  if (s.else_stmt) {
    out += "\nELSE\n";
    StatementText(*s.else_stmt);
  }
}

void Printer::StatementNode(const WhileStmt& s) {
  out += "WHILE ";
  Expression(*s.condition);
  out += '\n';
  StatementText(*s.body);
}

void Printer::StatementNode(const BlockStmt& s) {
  out += "BEGIN\n";
  StatementList(s.statements, ";\n");
  out += ";\nEND";
}

void Printer::StatementNode(const TryCatchStmt& s) {
  out += "BEGIN TRY\n";
  StatementList(s.try_block, ";\n");
  out += ";\nEND TRY\nBEGIN CATCH\n";
  StatementList(s.catch_block, ";\n");
  out += s.catch_block.empty() ? "END CATCH" : ";\nEND CATCH";
}

void Printer::StatementNode(const BreakStmt&) { out += "BREAK"; }
void Printer::StatementNode(const ContinueStmt&) { out += "CONTINUE"; }

void Printer::StatementNode(const ReturnStmt& s) {
  out += "RETURN";
  if (s.value) {
    out += ' ';
    Expression(*s.value);
  }
}

void Printer::StatementNode(const ThrowStmt& s) {
  out += "THROW";
  if (s.number) {
    out += ' ';
    Expression(*s.number);
    out += ", ";
    Expression(*s.message);
    out += ", ";
    Expression(*s.state);
  }
}

void Printer::StatementNode(const RaiserrorStmt& s) {
  out += "RAISERROR(";
  Expression(*s.message);
  out += ", ";
  Expression(*s.severity);
  out += ", ";
  Expression(*s.state);
  for (const ExprPtr& arg : s.args) {
    out += ", ";
    Expression(*arg);
  }
  out += ')';
  std::string with;
  if (s.with_nowait) with += with.empty() ? "NOWAIT" : ", NOWAIT";
  if (s.with_log) with += with.empty() ? "LOG" : ", LOG";
  if (s.with_seterror) with += with.empty() ? "SETERROR" : ", SETERROR";
  if (!with.empty()) out += " WITH " + with;
}

void Printer::StatementNode(const PrintStmt& s) {
  out += "PRINT ";
  Expression(*s.value);
}

void Printer::StatementNode(const ExecStmt& s) { Exec(s); }

void Printer::StatementNode(const BeginTransactionStmt& s) {
  out += "BEGIN TRANSACTION";
  if (s.name) {
    out += ' ';
    TransactionName(this, *s.name);
    if (s.with_mark) {
      out += " WITH MARK";
      if (!s.mark_description.empty()) out += ' ' + QuoteString(s.mark_description, false);
    }
  }
}

void Printer::StatementNode(const CommitStmt& s) {
  out += "COMMIT TRANSACTION";
  if (s.name) {
    out += ' ';
    TransactionName(this, *s.name);
  }
  if (s.delayed_durability) {
    out += *s.delayed_durability ? " WITH (DELAYED_DURABILITY = ON)"
                                 : " WITH (DELAYED_DURABILITY = OFF)";
  }
}

void Printer::StatementNode(const RollbackStmt& s) {
  out += "ROLLBACK TRANSACTION";
  if (s.name) {
    out += ' ';
    TransactionName(this, *s.name);
  }
}

void Printer::StatementNode(const SaveTransactionStmt& s) {
  out += "SAVE TRANSACTION ";
  TransactionName(this, s.name);
}

void Printer::StatementNode(const WaitforStmt& s) {
  out += s.delay ? "WAITFOR DELAY " : "WAITFOR TIME ";
  Expression(*s.value);
}

void Printer::StatementNode(const CheckpointStmt& s) {
  out += "CHECKPOINT";
  if (s.duration) {
    out += ' ';
    Expression(*s.duration);
  }
}

std::string ToString(const Statement& statement) {
  Printer p;
  p.StatementText(statement);
  return std::move(p.out);
}

std::string ToString(const Batch& batch) {
  Printer p;
  for (const StatementPtr& stmt : batch.statements) {
    p.StatementText(*stmt);
    p.out += ";\n";
  }
  return std::move(p.out);
}

}  // namespace edgesql::tsql
