// Private to the printer: the Printer class, split over printer_expr.cc (names, types,
// expressions, queries, table sources) and printer_stmt.cc (statements).
#pragma once

#include <string>
#include <vector>

#include "tsql/printer.h"

namespace edgesql::tsql {

class Printer {
 public:
  std::string out;

  void Name(const Identifier& id);
  void Name(const MultiPartName& name);
  void Names(const std::vector<Identifier>& names);  // (a, b, c)
  void Type(const DataTypeRef& type);

  void Expression(const Expr& expr);
  void ExpressionAt(const Expr& expr, int max_precedence_without_parens);
  void ExprList(const std::vector<ExprPtr>& exprs);
  void OrderBy(const std::vector<OrderItem>& items);
  void Over(const OverClause& over);

  void QueryText(const Query& query);
  void Ctes(const std::vector<CommonTableExpr>& ctes);
  void Body(const QueryExpr& body);
  void Spec(const QuerySpec& spec);
  void Top(const TopClause& top);
  void SelectItems(const std::vector<SelectItem>& items);
  void Table(const TableRef& table);
  void Alias(const std::optional<Identifier>& alias, const std::vector<Identifier>& columns);
  void Hints(const std::vector<TableHint>& hints);
  void ValuesRows(const std::vector<std::vector<ExprPtr>>& rows);
  void Options(const QueryHints& hints);

  void StatementText(const Statement& stmt);
  void StatementList(const std::vector<StatementPtr>& stmts, const char* separator);
  void Outputs(const std::vector<OutputClause>& outputs);
  void Exec(const ExecStmt& exec);
  void TableDef(const TableDefinition& def);
  void Column(const ColumnDef& column);
  void Constraint(const ConstraintDef& constraint);
  void IndexColumns(const std::vector<IndexColumn>& columns);
  void IndexOptions(const std::vector<IndexOption>& options);
  void Params(const std::vector<ParameterDef>& params);
  void ModuleOptions(const std::vector<std::string>& options);
  void Mode(CreateMode mode);

  void StatementNode(const SelectStmt& s);
  void StatementNode(const InsertStmt& s);
  void StatementNode(const UpdateStmt& s);
  void StatementNode(const DeleteStmt& s);
  void StatementNode(const TruncateTableStmt& s);
  void StatementNode(const CreateTableStmt& s);
  void StatementNode(const DropStmt& s);
  void StatementNode(const AlterTableStmt& s);
  void StatementNode(const CreateIndexStmt& s);
  void StatementNode(const DropIndexStmt& s);
  void StatementNode(const CreateDatabaseStmt& s);
  void StatementNode(const UseStmt& s);
  void StatementNode(const CreateViewStmt& s);
  void StatementNode(const CreateProcedureStmt& s);
  void StatementNode(const CreateFunctionStmt& s);
  void StatementNode(const AlterLoginStmt& s);
  void StatementNode(const DeclareStmt& s);
  void StatementNode(const SetVariableStmt& s);
  void StatementNode(const SetOptionStmt& s);
  void StatementNode(const IfStmt& s);
  void StatementNode(const WhileStmt& s);
  void StatementNode(const BlockStmt& s);
  void StatementNode(const TryCatchStmt& s);
  void StatementNode(const BreakStmt& s);
  void StatementNode(const ContinueStmt& s);
  void StatementNode(const ReturnStmt& s);
  void StatementNode(const ThrowStmt& s);
  void StatementNode(const RaiserrorStmt& s);
  void StatementNode(const PrintStmt& s);
  void StatementNode(const ExecStmt& s);
  void StatementNode(const BeginTransactionStmt& s);
  void StatementNode(const CommitStmt& s);
  void StatementNode(const RollbackStmt& s);
  void StatementNode(const SaveTransactionStmt& s);
  void StatementNode(const WaitforStmt& s);
  void StatementNode(const CheckpointStmt& s);
  void StatementNode(const InsertBulkStmt& s);
};

const char* AssignOpText(AssignOp op);

}  // namespace edgesql::tsql
