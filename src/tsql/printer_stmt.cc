// Printer: statements and batches.
#include <variant>

#include "tsql/printer_internal.h"

namespace edgesql::tsql {
namespace {

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

void Printer::StatementNode(const InsertBulkStmt& s) {
  out += "INSERT BULK ";
  Name(s.table);
  out += " (";
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const InsertBulkColumn& c = s.columns[i];
    if (i > 0) out += ", ";
    Name(c.name);
    out += ' ';
    Type(c.type);
    if (c.collation) {
      out += " COLLATE ";
      Name(*c.collation);
    }
    if (c.nullability == Nullability::kNull) out += " NULL";
    if (c.nullability == Nullability::kNotNull) out += " NOT NULL";
  }
  out += ')';
  std::vector<std::string> options;
  if (s.check_constraints) options.push_back("CHECK_CONSTRAINTS");
  if (s.fire_triggers) options.push_back("FIRE_TRIGGERS");
  if (s.keep_nulls) options.push_back("KEEP_NULLS");
  if (s.keep_identity) options.push_back("KEEPIDENTITY");
  if (s.tablock) options.push_back("TABLOCK");
  if (s.rows_per_batch) options.push_back("ROWS_PER_BATCH = " + std::to_string(*s.rows_per_batch));
  if (s.kilobytes_per_batch) {
    options.push_back("KILOBYTES_PER_BATCH = " + std::to_string(*s.kilobytes_per_batch));
  }
  if (!s.order.empty()) {
    Printer order;
    order.IndexColumns(s.order);
    options.push_back("ORDER " + order.out);
  }
  if (options.empty()) return;
  out += " WITH (";
  for (size_t i = 0; i < options.size(); ++i) out += (i > 0 ? ", " : "") + options[i];
  out += ')';
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
