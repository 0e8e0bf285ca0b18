// Printer: DDL statements (tables, constraints, indexes, databases, views, procedures,
// functions, logins).
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

}  // namespace

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

}  // namespace edgesql::tsql
