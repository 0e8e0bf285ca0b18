// CREATE / ALTER / DROP: tables, indexes, databases, views, procedures, functions, logins.
#include "tsql/parser_internal.h"

namespace edgesql::tsql {
namespace {

bool AtConstraintStart(const Token& t) {
  return t.Is(Keyword::kConstraint) || t.Is(Keyword::kPrimary) || t.Is(Keyword::kUnique) ||
         t.Is(Keyword::kForeign) || t.Is(Keyword::kCheck) || t.Is(Keyword::kReferences) ||
         t.Is(Keyword::kDefault);
}

}  // namespace

Result<StatementPtr> Parser::ParseCreate(const Token& start) {
  Advance();  // CREATE
  CreateMode mode = CreateMode::kCreate;
  if (At(Keyword::kOr) && Peek().Is(Keyword::kAlter)) {
    Advance();
    Advance();
    mode = CreateMode::kCreateOrAlter;
  }
  if (At(Keyword::kView)) return ParseCreateView(start, mode);
  if (At(Keyword::kProc) || At(Keyword::kProcedure)) return ParseCreateProcedure(start, mode);
  if (At(Keyword::kFunction)) return ParseCreateFunction(start, mode);
  if (mode == CreateMode::kCreateOrAlter) {
    if (At(Keyword::kTrigger)) return Unsupported("CREATE TRIGGER");
    return SyntaxErrorHere();
  }
  if (At(Keyword::kTable)) return ParseCreateTable(start);
  if (At(Keyword::kDatabase)) return ParseCreateDatabase(start);
  bool unique = Accept(Keyword::kUnique);
  Clustering clustering = Clustering::kUnspecified;
  if (Accept(Keyword::kClustered)) {
    clustering = Clustering::kClustered;
  } else if (Accept(Keyword::kNonclustered)) {
    clustering = Clustering::kNonclustered;
  }
  if (AtWord("COLUMNSTORE")) return Unsupported("COLUMNSTORE");
  if (At(Keyword::kIndex)) return ParseCreateIndex(start, unique, clustering);
  if (unique || clustering != Clustering::kUnspecified) return SyntaxErrorHere();
  if (AtWord("XML") || AtWord("SPATIAL") || AtWord("FULLTEXT") ||
      (At(Keyword::kPrimary) && IsWord(Peek(), "XML"))) {
    return Unsupported("CREATE " + ToUpper(Cur().text) + " INDEX");
  }
  if (At(TokenKind::kKeyword) || At(TokenKind::kIdentifier)) {
    return Unsupported("CREATE " + ToUpper(Cur().text));
  }
  return SyntaxErrorHere();
}

Result<StatementPtr> Parser::ParseAlter(const Token& start) {
  Advance();  // ALTER
  if (At(Keyword::kTable)) return ParseAlterTable(start);
  if (At(Keyword::kView)) return ParseCreateView(start, CreateMode::kAlter);
  if (At(Keyword::kProc) || At(Keyword::kProcedure)) {
    return ParseCreateProcedure(start, CreateMode::kAlter);
  }
  if (At(Keyword::kFunction)) return ParseCreateFunction(start, CreateMode::kAlter);
  if (AtWord("LOGIN")) return ParseAlterLogin(start);
  if (At(TokenKind::kKeyword) || At(TokenKind::kIdentifier)) {
    return Unsupported("ALTER " + ToUpper(Cur().text));
  }
  return SyntaxErrorHere();
}

Result<StatementPtr> Parser::ParseDrop(const Token& start) {
  Advance();  // DROP
  DropStmt drop;
  if (At(Keyword::kTable)) {
    drop.kind = ObjectKind::kTable;
  } else if (At(Keyword::kView)) {
    drop.kind = ObjectKind::kView;
  } else if (At(Keyword::kProc) || At(Keyword::kProcedure)) {
    drop.kind = ObjectKind::kProcedure;
  } else if (At(Keyword::kFunction)) {
    drop.kind = ObjectKind::kFunction;
  } else if (At(Keyword::kDatabase)) {
    drop.kind = ObjectKind::kDatabase;
  } else if (At(Keyword::kIndex)) {
    return ParseDropIndex(start);
  } else if (At(TokenKind::kKeyword) || At(TokenKind::kIdentifier)) {
    return Unsupported("DROP " + ToUpper(Cur().text));
  } else {
    return SyntaxErrorHere();
  }
  Advance();
  if (At(Keyword::kIf) && Peek().Is(Keyword::kExists)) {
    Advance();
    Advance();
    drop.if_exists = true;
  }
  do {
    MultiPartName name;
    if (drop.kind == ObjectKind::kDatabase) {
      name.pos = CurPos();
      EDGESQL_ASSIGN_OR_RETURN(Identifier db, ParseName());
      name.parts.push_back(std::move(db));
    } else {
      EDGESQL_ASSIGN_OR_RETURN(name, ParseMultiPartName(3, "object", true));
    }
    drop.names.push_back(std::move(name));
  } while (Accept(TokenKind::kComma));
  return MakeStatement(start, std::move(drop));
}

// ---------------------------------------------------------------------------------------------
// Tables

Result<StatementPtr> Parser::ParseCreateTable(const Token& start) {
  Advance();  // TABLE
  CreateTableStmt create;
  EDGESQL_ASSIGN_OR_RETURN(create.name, ParseMultiPartName(3, "object", true));
  EDGESQL_ASSIGN_OR_RETURN(create.definition, ParseTableDefinition());
  while (true) {
    if (Accept(Keyword::kOn)) {
      if (Accept(Keyword::kPrimary)) {
        create.filegroup = Identifier{"PRIMARY", false, PosOf(Previous())};
      } else {
        EDGESQL_ASSIGN_OR_RETURN(create.filegroup, ParseName());
      }
      if (At(TokenKind::kLParen)) return Unsupported("partition scheme");
    } else if (AcceptWord("TEXTIMAGE_ON")) {
      if (Accept(Keyword::kPrimary)) {
        create.textimage_on = Identifier{"PRIMARY", false, PosOf(Previous())};
      } else {
        EDGESQL_ASSIGN_OR_RETURN(create.textimage_on, ParseName());
      }
    } else if (At(Keyword::kWith) && Peek().Is(TokenKind::kLParen)) {
      EDGESQL_ASSIGN_OR_RETURN(create.options, ParseIndexOptions());
    } else {
      break;
    }
  }
  return MakeStatement(start, std::move(create));
}

Result<TableDefinition> Parser::ParseTableDefinition() {
  TableDefinition def;
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  do {
    if (At(TokenKind::kRParen) && !def.columns.empty()) break;  // SQL Server allows a trailing ,
    if (AtConstraintStart(Cur()) && !At(Keyword::kDefault) && !At(Keyword::kReferences)) {
      EDGESQL_ASSIGN_OR_RETURN(ConstraintDef c, ParseConstraint(/*table_level=*/true, false));
      def.constraints.push_back(std::move(c));
    } else if (At(Keyword::kIndex)) {
      return Unsupported("INDEX in a table definition");
    } else if (AtWord("PERIOD") && Peek().Is(Keyword::kFor)) {
      return Unsupported("PERIOD FOR SYSTEM_TIME");
    } else {
      EDGESQL_ASSIGN_OR_RETURN(ColumnDef column, ParseColumnDef(/*alter_column=*/false));
      def.columns.push_back(std::move(column));
    }
  } while (Accept(TokenKind::kComma));
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  return def;
}

Result<ColumnDef> Parser::ParseColumnDef(bool alter_column) {
  ColumnDef column;
  column.pos = CurPos();
  EDGESQL_ASSIGN_OR_RETURN(column.name, ParseName());
  if (alter_column) {
    if (At(Keyword::kAdd) || At(Keyword::kDrop)) {
      return Unsupported("ALTER COLUMN " + ToUpper(Cur().text));
    }
    EDGESQL_ASSIGN_OR_RETURN(DataTypeRef type, ParseDataType());
    column.type = std::move(type);
    while (true) {
      EDGESQL_ASSIGN_OR_RETURN(
          bool took, AcceptCollationOrNullability(&column.collation, &column.nullability));
      if (took) continue;
      if (!AcceptWord("SPARSE")) return column;
      column.sparse = true;
    }
  }
  if (Accept(Keyword::kAs)) {
    EDGESQL_ASSIGN_OR_RETURN(column.computed, ParseScalar());
    if (AcceptWord("PERSISTED")) column.persisted = true;
  } else {
    EDGESQL_ASSIGN_OR_RETURN(DataTypeRef type, ParseDataType());
    column.type = std::move(type);
  }
  EDGESQL_RETURN_IF_ERROR(ParseColumnConstraints(&column));
  return column;
}

Result<bool> Parser::AcceptCollationOrNullability(std::optional<Identifier>* collation,
                                                  Nullability* nullability) {
  if (Accept(Keyword::kCollate)) {
    EDGESQL_ASSIGN_OR_RETURN(Identifier name, ParseName());
    *collation = std::move(name);
  } else if (Accept(Keyword::kNull)) {
    *nullability = Nullability::kNull;
  } else if (At(Keyword::kNot) && Peek().Is(Keyword::kNull)) {
    Advance();
    Advance();
    *nullability = Nullability::kNotNull;
  } else {
    return false;
  }
  return true;
}

Status Parser::ParseColumnConstraints(ColumnDef* column) {
  while (true) {
    EDGESQL_ASSIGN_OR_RETURN(
        bool took, AcceptCollationOrNullability(&column->collation, &column->nullability));
    if (took) continue;
    if (At(Keyword::kIdentity)) {
      Advance();
      auto identity = std::make_unique<IdentitySpec>();
      if (Accept(TokenKind::kLParen)) {
        EDGESQL_ASSIGN_OR_RETURN(identity->seed, ParseSignedIntegerText());
        EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kComma));
        EDGESQL_ASSIGN_OR_RETURN(identity->increment, ParseSignedIntegerText());
        EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
      }
      if (At(Keyword::kNot) && Peek().Is(Keyword::kFor)) {
        Advance();
        Advance();
        EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kReplication));
        identity->not_for_replication = true;
      }
      column->identity = std::move(identity);
    } else if (Accept(Keyword::kRowguidcol)) {
      column->rowguidcol = true;
    } else if (AcceptWord("SPARSE")) {
      column->sparse = true;
    } else if (AtWord("FILESTREAM") || AtWord("MASKED") || AtWord("ENCRYPTED") ||
               AtWord("GENERATED")) {
      return Unsupported(ToUpper(Cur().text));
    } else if (AtConstraintStart(Cur())) {
      EDGESQL_ASSIGN_OR_RETURN(ConstraintDef c, ParseConstraint(/*table_level=*/false, false));
      column->constraints.push_back(std::move(c));
    } else {
      return Status::Ok();
    }
  }
}

Result<ConstraintDef> Parser::ParseConstraint(bool table_level, bool allow_default_for) {
  ConstraintDef c;
  c.pos = CurPos();
  if (Accept(Keyword::kConstraint)) {
    EDGESQL_ASSIGN_OR_RETURN(c.name, ParseName());
  }
  if (At(Keyword::kPrimary) || At(Keyword::kUnique)) {
    c.kind = At(Keyword::kPrimary) ? ConstraintKind::kPrimaryKey : ConstraintKind::kUnique;
    Advance();
    if (c.kind == ConstraintKind::kPrimaryKey) EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kKey));
    if (Accept(Keyword::kClustered)) {
      c.clustering = Clustering::kClustered;
    } else if (Accept(Keyword::kNonclustered)) {
      c.clustering = Clustering::kNonclustered;
    } else if (AtWord("HASH")) {
      return Unsupported("HASH");
    }
    if (table_level || At(TokenKind::kLParen)) {
      EDGESQL_ASSIGN_OR_RETURN(c.columns, ParseIndexColumns());
    }
    EDGESQL_RETURN_IF_ERROR(ParseConstraintTail(&c));
  } else if (At(Keyword::kForeign) || At(Keyword::kReferences)) {
    c.kind = ConstraintKind::kForeignKey;
    if (Accept(Keyword::kForeign)) {
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kKey));
      if (table_level || At(TokenKind::kLParen)) {
        EDGESQL_ASSIGN_OR_RETURN(std::vector<Identifier> names, ParseNameList());
        for (Identifier& n : names) c.columns.push_back(IndexColumn{std::move(n)});
      }
    }
    EDGESQL_RETURN_IF_ERROR(ParseReferences(&c));
  } else if (Accept(Keyword::kCheck)) {
    c.kind = ConstraintKind::kCheck;
    if (At(Keyword::kNot) && Peek().Is(Keyword::kFor)) {
      Advance();
      Advance();
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kReplication));
      c.not_for_replication = true;
    }
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
    EDGESQL_ASSIGN_OR_RETURN(c.expr, ParseConditionExpr());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  } else if (Accept(Keyword::kDefault)) {
    c.kind = ConstraintKind::kDefault;
    EDGESQL_ASSIGN_OR_RETURN(c.expr, ParseScalar());
    if (allow_default_for && Accept(Keyword::kFor)) {
      EDGESQL_ASSIGN_OR_RETURN(c.default_for_column, ParseName());
    }
    if (At(Keyword::kWith) && IsWord(Peek(), "VALUES")) {
      Advance();
      Advance();
    }
  } else {
    return SyntaxErrorHere();
  }
  return c;
}

Status Parser::ParseConstraintTail(ConstraintDef* c) {
  if (At(Keyword::kWith) && (Peek().Is(TokenKind::kLParen) || Peek().Is(Keyword::kFillfactor))) {
    EDGESQL_ASSIGN_OR_RETURN(c->options, ParseIndexOptions());
  }
  if (Accept(Keyword::kOn)) {
    if (Accept(Keyword::kPrimary)) {
      c->filegroup = Identifier{"PRIMARY", false, PosOf(Previous())};
    } else {
      EDGESQL_ASSIGN_OR_RETURN(c->filegroup, ParseName());
    }
  }
  return Status::Ok();
}

Status Parser::ParseReferences(ConstraintDef* c) {
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kReferences));
  EDGESQL_ASSIGN_OR_RETURN(c->ref_table, ParseMultiPartName(3, "object", true));
  if (At(TokenKind::kLParen)) {
    EDGESQL_ASSIGN_OR_RETURN(c->ref_columns, ParseNameList());
  }
  while (true) {
    if (At(Keyword::kOn) && (Peek().Is(Keyword::kDelete) || Peek().Is(Keyword::kUpdate))) {
      bool on_delete = Peek().Is(Keyword::kDelete);
      Advance();
      Advance();
      ReferentialAction action;
      if (AcceptWord("NO")) {
        EDGESQL_RETURN_IF_ERROR(ExpectWord("ACTION"));
        action = ReferentialAction::kNoAction;
      } else if (Accept(Keyword::kCascade)) {
        action = ReferentialAction::kCascade;
      } else if (Accept(Keyword::kSet)) {
        if (Accept(Keyword::kNull)) {
          action = ReferentialAction::kSetNull;
        } else if (Accept(Keyword::kDefault)) {
          action = ReferentialAction::kSetDefault;
        } else {
          return SyntaxErrorHere();
        }
      } else {
        return SyntaxErrorHere();
      }
      (on_delete ? c->on_delete : c->on_update) = action;
    } else if (At(Keyword::kNot) && Peek().Is(Keyword::kFor)) {
      Advance();
      Advance();
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kReplication));
      c->not_for_replication = true;
    } else {
      return Status::Ok();
    }
  }
}

Result<std::vector<IndexColumn>> Parser::ParseIndexColumns() {
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  std::vector<IndexColumn> columns;
  do {
    IndexColumn col;
    EDGESQL_ASSIGN_OR_RETURN(col.name, ParseName());
    if (Accept(Keyword::kAsc)) {
      col.order = SortOrder::kAsc;
    } else if (Accept(Keyword::kDesc)) {
      col.order = SortOrder::kDesc;
    }
    columns.push_back(std::move(col));
  } while (Accept(TokenKind::kComma));
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  return columns;
}

Result<std::vector<IndexOption>> Parser::ParseIndexOptions() {
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kWith));
  std::vector<IndexOption> options;
  bool parenthesized = Accept(TokenKind::kLParen);
  do {
    if (!AtName() && !At(TokenKind::kKeyword)) return SyntaxErrorHere();
    IndexOption option;
    if (AtName()) {
      EDGESQL_ASSIGN_OR_RETURN(option.name, ParseName());
    } else {
      option.name = Identifier{std::string(Cur().text), false, CurPos()};  // FILLFACTOR
      Advance();
    }
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kEq));
    // A value is one token (ON, OFF, 80, PAGE, ...), optionally followed by a unit (1 MINUTES).
    if (!At(TokenKind::kIdentifier) && !At(TokenKind::kKeyword) && !At(TokenKind::kInteger) &&
        !At(TokenKind::kDecimal) && !At(TokenKind::kString) && !At(TokenKind::kNString)) {
      return SyntaxErrorHere();
    }
    option.value = std::string(Cur().text);
    Advance();
    if (parenthesized && AtWord("MINUTES")) {
      option.value += " MINUTES";
      Advance();
    }
    options.push_back(std::move(option));
  } while (parenthesized && Accept(TokenKind::kComma));
  if (parenthesized) EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  return options;
}

Result<StatementPtr> Parser::ParseAlterTable(const Token& start) {
  Advance();  // TABLE
  AlterTableStmt alter;
  EDGESQL_ASSIGN_OR_RETURN(alter.table, ParseMultiPartName(3, "object", true));
  if (At(Keyword::kWith) && (Peek().Is(Keyword::kCheck) || Peek().Is(Keyword::kNocheck))) {
    Advance();
    alter.with_check = At(Keyword::kCheck);
    Advance();
  }
  if (Accept(Keyword::kAdd)) {
    alter.action = AlterTableAction::kAdd;
    do {
      if (AtConstraintStart(Cur()) && !At(Keyword::kReferences)) {
        EDGESQL_ASSIGN_OR_RETURN(ConstraintDef c,
                                 ParseConstraint(true, /*allow_default_for=*/true));
        alter.constraints.push_back(std::move(c));
      } else {
        EDGESQL_ASSIGN_OR_RETURN(ColumnDef column, ParseColumnDef(/*alter_column=*/false));
        alter.columns.push_back(std::move(column));
      }
    } while (Accept(TokenKind::kComma));
  } else if (alter.with_check.has_value() && !At(Keyword::kCheck) && !At(Keyword::kNocheck)) {
    return SyntaxErrorHere();
  } else if (Accept(Keyword::kDrop)) {
    alter.action = AlterTableAction::kDrop;
    bool is_column = false;
    do {
      if (Accept(Keyword::kColumn)) {
        is_column = true;
      } else if (Accept(Keyword::kConstraint)) {
        is_column = false;
      }
      AlterTableDropItem item;
      item.is_column = is_column;
      if (At(Keyword::kIf) && Peek().Is(Keyword::kExists)) {
        Advance();
        Advance();
        item.if_exists = true;
      }
      EDGESQL_ASSIGN_OR_RETURN(item.name, ParseName());
      alter.drops.push_back(std::move(item));
    } while (Accept(TokenKind::kComma));
  } else if (At(Keyword::kAlter)) {
    Advance();
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kColumn));
    alter.action = AlterTableAction::kAlterColumn;
    EDGESQL_ASSIGN_OR_RETURN(ColumnDef column, ParseColumnDef(/*alter_column=*/true));
    alter.columns.push_back(std::move(column));
  } else if (At(Keyword::kCheck) || At(Keyword::kNocheck)) {
    alter.action = At(Keyword::kCheck) ? AlterTableAction::kCheckConstraints
                                       : AlterTableAction::kNocheckConstraints;
    Advance();
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kConstraint));
    if (Accept(Keyword::kAll)) {
      alter.all_constraints = true;
    } else {
      do {
        EDGESQL_ASSIGN_OR_RETURN(Identifier name, ParseName());
        alter.constraint_names.push_back(std::move(name));
      } while (Accept(TokenKind::kComma));
    }
  } else if (At(TokenKind::kKeyword) || At(TokenKind::kIdentifier)) {
    return Unsupported("ALTER TABLE " + ToUpper(Cur().text));
  } else {
    return SyntaxErrorHere();
  }
  return MakeStatement(start, std::move(alter));
}

// ---------------------------------------------------------------------------------------------
// Indexes, databases, logins

Result<StatementPtr> Parser::ParseCreateIndex(const Token& start, bool unique,
                                              Clustering clustering) {
  Advance();  // INDEX
  CreateIndexStmt index;
  index.unique = unique;
  index.clustering = clustering;
  EDGESQL_ASSIGN_OR_RETURN(index.name, ParseName());
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kOn));
  EDGESQL_ASSIGN_OR_RETURN(index.table, ParseMultiPartName(3, "object", true));
  EDGESQL_ASSIGN_OR_RETURN(index.columns, ParseIndexColumns());
  if (AcceptWord("INCLUDE")) {
    EDGESQL_ASSIGN_OR_RETURN(index.include, ParseNameList());
  }
  if (Accept(Keyword::kWhere)) {
    EDGESQL_ASSIGN_OR_RETURN(index.where, ParseConditionExpr());
  }
  if (At(Keyword::kWith) && (Peek().Is(TokenKind::kLParen) || Peek().Is(Keyword::kFillfactor))) {
    EDGESQL_ASSIGN_OR_RETURN(index.options, ParseIndexOptions());
  }
  if (Accept(Keyword::kOn)) {
    if (Accept(Keyword::kPrimary)) {
      index.filegroup = Identifier{"PRIMARY", false, PosOf(Previous())};
    } else {
      EDGESQL_ASSIGN_OR_RETURN(index.filegroup, ParseName());
    }
  }
  return MakeStatement(start, std::move(index));
}

Result<StatementPtr> Parser::ParseDropIndex(const Token& start) {
  Advance();  // INDEX
  DropIndexStmt drop;
  if (At(Keyword::kIf) && Peek().Is(Keyword::kExists)) {
    Advance();
    Advance();
    drop.if_exists = true;
  }
  do {
    DropIndexItem item;
    const Token& name_token = Cur();
    EDGESQL_ASSIGN_OR_RETURN(MultiPartName name, ParseMultiPartName(4, "object", true));
    if (Accept(Keyword::kOn)) {
      if (name.parts.size() != 1) return SyntaxError(name_token);
      item.index = std::move(name.parts[0]);
      EDGESQL_ASSIGN_OR_RETURN(item.table, ParseMultiPartName(3, "object", true));
      if (At(Keyword::kWith) && Peek().Is(TokenKind::kLParen)) {
        EDGESQL_ASSIGN_OR_RETURN(std::vector<IndexOption> ignored, ParseIndexOptions());
      }
    } else {
      // The old form table.index: what is left after the index must still name a table.
      if (name.parts.size() < 2 || name.parts[name.parts.size() - 2].omitted()) {
        return SyntaxError(name_token);
      }
      item.index = std::move(name.parts.back());
      name.parts.pop_back();
      item.table = std::move(name);
    }
    drop.items.push_back(std::move(item));
  } while (Accept(TokenKind::kComma));
  return MakeStatement(start, std::move(drop));
}

Result<StatementPtr> Parser::ParseCreateDatabase(const Token& start) {
  Advance();  // DATABASE
  CreateDatabaseStmt create;
  EDGESQL_ASSIGN_OR_RETURN(create.name, ParseName());
  if (Accept(Keyword::kCollate)) {
    EDGESQL_ASSIGN_OR_RETURN(Identifier collation, ParseName());
    create.collation = std::move(collation);
  }
  if (At(Keyword::kOn) || At(Keyword::kWith) || At(Keyword::kFor) || At(Keyword::kAs) ||
      AtWord("LOG") || AtWord("CONTAINMENT")) {
    return Unsupported("CREATE DATABASE " + ToUpper(Cur().text));
  }
  return MakeStatement(start, std::move(create));
}

Result<StatementPtr> Parser::ParseAlterLogin(const Token& start) {
  Advance();  // LOGIN
  AlterLoginStmt alter;
  EDGESQL_ASSIGN_OR_RETURN(alter.login, ParseName());
  if (AtWord("ENABLE") || AtWord("DISABLE") || At(Keyword::kAdd) || At(Keyword::kDrop)) {
    return Unsupported("ALTER LOGIN " + ToUpper(Cur().text));
  }
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kWith));
  if (!AtWord("PASSWORD")) {
    if (AtName() || At(TokenKind::kKeyword)) {
      return Unsupported("ALTER LOGIN WITH " + ToUpper(Cur().text));
    }
    return SyntaxErrorHere();
  }
  Advance();
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kEq));
  if (!At(TokenKind::kString) && !At(TokenKind::kNString)) {
    if (At(TokenKind::kBinary)) return Unsupported("HASHED");
    return SyntaxErrorHere();
  }
  alter.password = Cur().value;
  Advance();
  if (AtWord("HASHED") || AtWord("MUST_CHANGE") || AtWord("UNLOCK")) {
    return Unsupported(ToUpper(Cur().text));
  }
  if (AcceptWord("OLD_PASSWORD")) {
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kEq));
    if (!At(TokenKind::kString) && !At(TokenKind::kNString)) return SyntaxErrorHere();
    alter.old_password = Cur().value;
    Advance();
  }
  if (At(TokenKind::kComma)) {
    Advance();
    if (AtName() || At(TokenKind::kKeyword)) {
      return Unsupported("ALTER LOGIN WITH " + ToUpper(Cur().text));
    }
    return SyntaxErrorHere();
  }
  return MakeStatement(start, std::move(alter));
}

Status Parser::CheckOnlyStatement() {
  size_t i = pos_;
  while (i < tokens_.size() && tokens_[i].Is(TokenKind::kSemicolon)) ++i;
  if (i < tokens_.size() && !tokens_[i].Is(TokenKind::kEnd)) return SyntaxError(tokens_[i]);
  return Status::Ok();
}

}  // namespace edgesql::tsql
