#include "common/errors.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

namespace edgesql::errors {
namespace {

struct Entry {
  int number;
  uint8_t severity;
  ErrorScope scope;
  const char* text;
};

constexpr ErrorScope kStmt = ErrorScope::kStatement;
constexpr ErrorScope kBatch = ErrorScope::kBatch;
constexpr ErrorScope kBatchTx = ErrorScope::kBatchAndTransaction;
constexpr ErrorScope kConn = ErrorScope::kConnection;

// Texts are SQL Server's (sys.messages, us_english) with {n} for the arguments. Scopes follow
// SQL Server's behaviour: compile errors and name-resolution errors end the batch, constraint
// violations end the statement, conversion errors end the batch.
constexpr Entry kCatalog[] = {
    {kChangedDatabaseContext, 0, kStmt, "Changed database context to '{0}'."},
    {kChangedLanguage, 0, kStmt, "Changed language setting to {0}."},
    {kStatementTerminated, 0, kStmt, "The statement has been terminated."},
    {kSeverityNeedsWithLog, 16, kStmt,
     "Error severity levels greater than 18 can only be specified by members of the sysadmin "
     "role, using the WITH LOG option."},
    {kMessageNotFound, 16, kStmt,
     "Error {0}, severity {1}, state {2} was raised, but no message with that error number was "
     "found in sys.messages. If error is larger than 50000, make sure the user-defined message is "
     "added using sp_addmessage."},
    {kRethrowOutsideCatch, 15, kBatch,
     "To rethrow an error, a THROW statement must be used inside a CATCH block. Insert the THROW "
     "statement inside a CATCH block, or add error parameters to the THROW statement."},
    {kThrowNumberOutOfRange, 16, kBatch,
     "Error number {0} in the THROW statement is outside the valid range. Specify an error number "
     "in the valid range of 50000 to 2147483647."},
    {kWaitforTimeSyntax, 15, kBatch,
     "Incorrect time syntax in time string '{0}' used with WAITFOR."},
    {kDateFirstOutOfRange, 16, kStmt, "SET DATEFIRST {0} is out of range."},

    {kSyntaxError, 15, kBatch, "Incorrect syntax near '{0}'."},
    {kUnclosedQuote, 15, kBatch, "Unclosed quotation mark after the character string '{0}'."},
    {kSyntaxErrorKeyword, 15, kBatch, "Incorrect syntax near the keyword '{0}'."},
    {kIdentifierTooLong, 15, kBatch,
     "The identifier that starts with '{0}' is too long. Maximum length is 128."},
    {kVariableAlreadyDeclared, 15, kBatch,
     "The variable name '{0}' has already been declared. Variable names must be unique within a "
     "query batch or stored procedure."},
    {kMustDeclareVariable, 15, kBatch, "Must declare the scalar variable \"{0}\"."},
    {kFunctionArgCount, 15, kBatch, "The {0} function requires {1} argument(s)."},
    {kUnknownBuiltinFunction, 15, kBatch, "'{0}' is not a recognized built-in function name."},
    {kInvalidColumnName, 16, kBatch, "Invalid column name '{0}'."},
    {kInvalidObjectName, 16, kBatch, "Invalid object name '{0}'."},
    {kAmbiguousColumnName, 16, kBatch, "Ambiguous column name '{0}'."},
    {kInsertColumnCountMismatch, 16, kBatch,
     "Column name or number of supplied values does not match table definition."},
    {kMultiPartIdentifierNotBound, 16, kBatch,
     "The multi-part identifier \"{0}\" could not be bound."},
    {kNonBooleanCondition, 16, kBatch,
     "An expression of non-boolean type specified in a context where a condition is expected, near "
     "'{0}'."},
    {kDuplicateExposedNames, 16, kBatch,
     "The objects \"{0}\" and \"{1}\" in the FROM clause have duplicate exposed names. Use "
     "correlation names to distinguish them."},
    {kNotInGroupBy, 16, kBatch,
     "Column '{0}' is invalid in the select list because it is not contained in either an "
     "aggregate "
     "function or the GROUP BY clause."},
    {kAggregateInWhere, 15, kBatch,
     "An aggregate may not appear in the WHERE clause unless it is in a subquery contained in a "
     "HAVING clause or a select list, and the column being aggregated is an outer reference."},
    {kNestedAggregate, 16, kBatch,
     "Cannot perform an aggregate function on an expression containing an aggregate or a "
     "subquery."},
    {kSubqueryMultipleColumns, 16, kBatch,
     "Only one expression can be specified in the select list when the subquery is not introduced "
     "with EXISTS."},
    {kOrderByNotInDistinct, 15, kBatch,
     "ORDER BY items must appear in the select list if SELECT DISTINCT is specified."},
    {kOrderByInSubquery, 15, kBatch,
     "The ORDER BY clause is invalid in views, inline functions, derived tables, subqueries, and "
     "common table expressions, unless TOP, OFFSET or FOR XML is also specified."},
    {kInvalidOptionUsage, 15, kBatch, "Invalid usage of the option {0} in the {1} statement."},
    {kMissingColumnName, 16, kBatch, "No column name was specified for column {0} of '{1}'."},
    {kMoreInsertColumnsThanValues, 15, kBatch,
     "There are more columns in the INSERT statement than values specified in the VALUES clause. "
     "The number of values in the VALUES clause must match the number of columns specified in the "
     "INSERT statement."},
    {kFewerInsertColumnsThanValues, 15, kBatch,
     "There are fewer columns in the INSERT statement than values specified in the VALUES clause. "
     "The number of values in the VALUES clause must match the number of columns specified in the "
     "INSERT statement."},
    {kUnknownType, 16, kBatch, "Column, parameter, or variable #{0}: Cannot find data type {1}."},
    {kInvalidLengthOrPrecision, 15, kBatch,
     "Line {0}: Length or precision specification {1} is invalid."},
    {kSizeExceedsMaximum, 15, kBatch,
     "The size ({0}) given to the {1} '{2}' exceeds the maximum allowed for any data type ({3})."},
    {kUnknownSchema, 16, kBatch,
     "The specified schema name \"{0}\" either does not exist or you do not have permission to use "
     "it."},

    {kUnsupportedFunction, 16, kBatch,
     "Built-in function '{0}' is not supported in this version of SQL Server."},
    {kUnsupportedStatement, 16, kBatch,
     "Keyword or statement option '{0}' is not supported in this version of SQL Server."},

    {kOperandTypeClash, 16, kBatch, "Operand type clash: {0} is incompatible with {1}"},
    {kArithmeticOverflowValue, 16, kStmt,
     "Arithmetic overflow error for data type {0}, value = {1}."},
    {kDateTimeConversionFailed, 16, kBatch,
     "Conversion failed when converting date and/or time from character string."},
    {kDateTimeOutOfRange, 16, kStmt,
     "The conversion of a {0} data type to a {1} data type resulted in an out-of-range value."},
    {kConversionFailed, 16, kBatch,
     "Conversion failed when converting the {0} value '{1}' to data type {2}."},
    {kImplicitConversionNotAllowed, 16, kBatch,
     "Implicit conversion from data type {0} to {1} is not allowed. Use the CONVERT function to "
     "run "
     "this query."},
    {kIncompatibleTypesInOperator, 16, kBatch,
     "The data types {0} and {1} are incompatible in the {2} operator."},
    {kInvalidOperatorForType, 16, kBatch,
     "Invalid operator for data type. Operator equals {0}, type equals {1}."},
    {kExplicitConversionNotAllowed, 16, kBatch,
     "Explicit conversion from data type {0} to {1} is not allowed."},
    {kNumberOutOfRange, 15, kBatch,
     "The number '{0}' is out of the range for numeric representation (maximum precision 38)."},
    {kErrorConvertingDataType, 16, kBatch, "Error converting data type {0} to {1}."},
    {kArithmeticOverflow, 16, kStmt, "Arithmetic overflow error converting {0} to data type {1}."},
    {kInvalidArgumentType, 16, kBatch,
     "Argument data type {0} is invalid for argument {1} of {2} function."},
    {kInvalidOperandType, 16, kBatch, "Operand data type {0} is invalid for {1} operator."},
    {kDivideByZero, 16, kStmt, "Divide by zero error encountered."},
    {kSubqueryReturnedMoreThanOne, 16, kStmt,
     "Subquery returned more than 1 value. This is not permitted when the subquery follows =, !=, "
     "<, <= , >, >= or when the subquery is used as an expression."},
    {kBinaryToDateTimeFailed, 16, kBatch,
     "Conversion failed when converting datetime from binary/varbinary string."},
    {kArithmeticOverflowFloat, 16, kStmt, "Arithmetic overflow error for type {0}, value = {1}."},
    {kMoneySyntax, 16, kBatch,
     "Cannot convert a char value to money. The char value has incorrect syntax."},
    {kStringOverflowedSmallInt, 16, kBatch,
     "The conversion of the {0} value '{1}' overflowed an {2} column. Use a larger integer "
     "column."},
    {kStringOverflowedInt, 16, kBatch,
     "The conversion of the {0} value '{1}' overflowed an int column."},
    {kInvalidDateStyle, 16, kBatch,
     "{0} is not a valid style number when converting from {1} to a character string."},
    {kSmallMoneySyntax, 16, kBatch,
     "Cannot convert a char value to smallmoney. The char value has incorrect syntax."},
    {kSmallDateTimeConversionFailed, 16, kBatch,
     "Conversion failed when converting character string to smalldatetime data type."},
    {kGuidConversionFailed, 16, kBatch,
     "Conversion failed when converting from a character string to uniqueidentifier."},
    {kGuidResultSpace, 16, kStmt,
     "Insufficient result space to convert uniqueidentifier value to char."},

    {kNullNotAllowed, 16, kStmt,
     "Cannot insert the value NULL into column '{0}', table '{1}'; column does not allow nulls. "
     "{2} "
     "fails."},
    {kIdentityInsertOff, 16, kStmt,
     "Cannot insert explicit value for identity column in table '{0}' when IDENTITY_INSERT is set "
     "to OFF."},
    {kIdentityNeedsColumnList, 16, kStmt,
     "An explicit value for the identity column in table '{0}' can only be specified when a column "
     "list is used and IDENTITY_INSERT is ON."},
    {kNoIdentityProperty, 16, kStmt,
     "Table '{0}' does not have the identity property. Cannot perform SET operation."},
    {kIdentityInsertAlreadyOn, 16, kStmt,
     "IDENTITY_INSERT is already ON for table '{0}'. Cannot perform SET operation for table "
     "'{1}'."},
    {kDuplicateKeyConstraint, 14, kStmt,
     "Violation of {0} constraint '{1}'. Cannot insert duplicate key in object '{2}'. The "
     "duplicate "
     "key value is {3}."},
    {kDuplicateKeyIndex, 14, kStmt,
     "Cannot insert duplicate key row in object '{0}' with unique index '{1}'. The duplicate key "
     "value is {2}."},
    {kCreateUniqueIndexDuplicate, 16, kStmt,
     "The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the "
     "object "
     "name '{0}' and the index name '{1}'. The duplicate key value is {2}."},
    {kStringTruncated, 16, kStmt,
     "String or binary data would be truncated in table '{0}', column '{1}'. Truncated value: "
     "'{2}'."},

    {kObjectAlreadyExists, 16, kStmt, "There is already an object named '{0}' in the database."},
    {kDuplicateColumnName, 16, kStmt,
     "Column names in each table must be unique. Column name '{0}' in table '{1}' is specified "
     "more "
     "than once."},
    {kCannotDropTable, 11, kStmt,
     "Cannot drop the {0} '{1}', because it does not exist or you do not have permission."},
    {kMultipleIdentityColumns, 16, kStmt,
     "Multiple identity columns specified for table '{0}'. Only one identity column per table is "
     "allowed."},
    {kDropMissingColumn, 16, kStmt,
     "ALTER TABLE DROP COLUMN failed because column '{0}' does not exist in table '{1}'."},
    {kColumnNotInTable, 16, kStmt, "Column name '{0}' does not exist in the target table or view."},
    {kIndexUsedByConstraint, 16, kStmt,
     "An explicit DROP INDEX is not allowed on index '{0}'. It is being used for {1} constraint "
     "enforcement."},
    {kMultiplePrimaryKeys, 16, kStmt,
     "Cannot add multiple PRIMARY KEY constraints to table '{0}'."},
    {kObjectDependsOnColumn, 16, kStmt, "The object '{0}' is dependent on column '{1}'."},
    {kNotAConstraint, 16, kStmt, "'{0}' is not a constraint."},
    {kIndexAlreadyExists, 16, kStmt,
     "The operation failed because an index or statistics with name '{0}' already exists on table "
     "'{1}'."},
    {kCouldNotCreateConstraint, 16, kStmt,
     "Could not create constraint or index. See previous errors."},
    {kInvalidIdentityColumn, 16, kStmt,
     "Identity column '{0}' must be of data type int, bigint, smallint, tinyint, or decimal or "
     "numeric with a scale of 0, and constrained to be nonnullable."},
    {kNullablePrimaryKey, 16, kStmt,
     "Cannot define PRIMARY KEY constraint on nullable column in table '{0}'."},
    {kCannotFindObject, 16, kStmt,
     "Cannot find the object \"{0}\" because it does not exist or you do not have permissions."},
    {kCannotFindObjectTruncate, 16, kStmt,
     "Cannot find the object \"{0}\" because it does not exist or you do not have permissions."},
    {kCannotFindObjectGeneric, 16, kStmt,
     "Cannot find the object \"{0}\" because it does not exist or you do not have permissions."},
    {kDatabaseAlreadyExists, 16, kStmt,
     "Database '{0}' already exists. Choose a different database name."},
    {kDatabaseDoesNotExist, 16, kStmt,
     "Database '{0}' does not exist. Make sure that the name is entered correctly."},
    {kDatabaseInUse, 16, kStmt, "Cannot drop database \"{0}\" because it is currently in use."},
    {kCannotDropSystemDatabase, 16, kStmt,
     "Cannot drop the database '{0}' because it is a system database."},
    {kNotAllowedInTransaction, 16, kStmt,
     "{0} statement not allowed within multi-statement transaction."},
    {kMaxColumnsExceeded, 16, kStmt,
     "CREATE TABLE failed because column '{0}' in table '{1}' exceeds the maximum of 1024 "
     "columns."},

    {kLockTimeout, 16, kStmt, "Lock request time out period exceeded."},
    {kCommitWithoutBegin, 16, kStmt,
     "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION."},
    {kRollbackWithoutBegin, 16, kStmt,
     "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION."},
    {kNoSuchSavepoint, 16, kStmt,
     "Cannot roll back {0}. No transaction or savepoint of that name was found."},
    {kSaveWithoutTransaction, 16, kStmt,
     "Cannot issue SAVE TRANSACTION when there is no active transaction."},
    {kSnapshotUpdateConflict, 16, kBatchTx,
     "Snapshot isolation transaction aborted due to update conflict. You cannot use snapshot "
     "isolation to access table directly or indirectly in database '{0}' to update, delete, or "
     "insert the row that has been modified or deleted by another transaction. Retry the "
     "transaction or change the isolation level for the update/delete statement."},
    {kTranCountMismatch, 16, kStmt,
     "Transaction count after EXECUTE indicates a mismatching number of BEGIN and COMMIT "
     "statements. Previous count = {0}, current count = {1}."},
    {kUncommittableTransaction, 16, kStmt,
     "The current transaction cannot be committed and cannot support operations that write to the "
     "log file. Roll back the transaction."},
    {kUncommittableAtBatchEnd, 16, kStmt,
     "Uncommittable transaction is detected at the end of the batch. The transaction is rolled "
     "back."},
    {kCannotResumeTransaction, 16, kBatch,
     "The server failed to resume the transaction. Desc:{0}."},
    {kQueryCancelled, 0, kBatch, "The query was canceled."},

    {kCannotOpenDatabase, 11, kConn,
     "Cannot open database \"{0}\" requested by the login. The login failed."},
    {kLoginFailed, 14, kConn, "Login failed for user '{0}'."},
    {kPasswordTooWeak, 16, kStmt,
     "Password validation failed. The password does not meet the operating system policy "
     "requirements because it is not complex enough."},
    {kCannotAlterLogin, 16, kStmt,
     "Cannot alter the login '{0}', because it does not exist or you do not have permission."},
    {kShutdownInProgress, 14, kConn, "SHUTDOWN is in progress."},
    {kTooManyConnections, 20, kConn,
     "Could not connect because the maximum number of '{0}' user connections has already been "
     "reached. The system administrator can use sp_configure to increase the maximum value. The "
     "connection has been closed."},

    {kProcedureNotFound, 16, kStmt, "Could not find stored procedure '{0}'."},
    {kMissingParameter, 16, kStmt,
     "Procedure or function '{0}' expects parameter '{1}', which was not supplied."},
    {kTooManyArguments, 16, kStmt, "Procedure or function {0} has too many arguments specified."},
    {kParameterizedQueryMissingParameter, 16, kStmt,
     "The parameterized query '{0}' expects the parameter '{1}', which was not supplied."},
    {kPreparedHandleNotFound, 16, kStmt, "Could not find prepared statement with handle {0}."},
    {kStatementsCouldNotBePrepared, 16, kStmt, "Statement(s) could not be prepared."},
    {kTooManyParameters, 16, kStmt,
     "The incoming request has too many parameters. The server supports a maximum of 2100 "
     "parameters. Reduce the number of parameters and resend the request."},

    {kProtocolStreamIncorrect, 16, kConn,
     "The incoming tabular data stream (TDS) protocol stream is incorrect. {0}"},
    {kRpcUnknownDataType, 16, kStmt,
     "The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is "
     "incorrect. Parameter {0} (\"{1}\"): Data type 0x{2} is unknown."},
    {kRpcInvalidDataLength, 16, kStmt,
     "The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is "
     "incorrect. Parameter {0} (\"{1}\"): Data type 0x{2} has an invalid data length or metadata "
     "length."},
    {kRequestTooLarge, 16, kConn, "The request exceeds the server's limit of {0} bytes for {1}."},
    {kRpcInvalidValue, 16, kStmt,
     "The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is "
     "incorrect. Parameter {0} (\"{1}\"): The supplied value is not a valid instance of data type "
     "{2}. Check the source data for invalid values. An example of an invalid value is data of "
     "numeric type with scale greater than precision."},
    {kBulkLoadNotSent, 16, kBatch,
     "Bulk load data was expected but not sent. The batch will be terminated."},
    {kBulkPrematureEnd, 16, kStmt,
     "While reading current row from host, a premature end-of-message was encountered--an "
     "incoming data stream was interrupted when the server expected to see more data. The host "
     "program may have terminated. Ensure that you are using a supported client application "
     "programming interface (API)."},
    {kBulkInvalidColumnLength, 16, kStmt,
     "Received an invalid column length from the bcp client for colid {0}."},
    {kBulkInvalidColumnType, 16, kStmt, "Invalid column type from bcp client for colid {0}."},
    {kBulkConversion, 16, kStmt,
     "Bulk load data conversion error (type mismatch or invalid character for the specified "
     "codepage) for row {0}, column {1} ({2})."},

    {kFilegroupFull, 17, kBatchTx,
     "Could not allocate space for object '{0}' in database '{1}' because the 'PRIMARY' filegroup "
     "is full."},
    {kOperatingSystemIoError, 24, kConn,
     "The operating system returned an error to SQL Server during {0} in file '{1}': {2}."},
    {kDatabaseCorrupt, 24, kConn,
     "SQL Server detected a logical consistency-based I/O error in database '{0}': {1}."},
    {kReadOnlyDatabase, 16, kStmt,
     "Failed to update database \"{0}\" because the database is read-only."},
    {kInternalError, 16, kBatch, "Internal Query Processor Error: {0}"},
    {kCannotOpenFile, 16, kStmt,
     "Unable to open the physical file \"{0}\". Operating system error {1}: \"{2}\"."},
    {kCannotCreateFile, 16, kStmt,
     "CREATE FILE encountered operating system error {0}({1}) while attempting to open or create "
     "the physical file '{2}'."},

    {kMustBeFirstInBatch, 15, kBatch, "'{0}' must be the first statement in a query batch."},
    {kMissingEndComment, 15, kBatch, "Missing end comment mark '*/'."},
    {kTooManyNamePrefixes, 15, kBatch,
     "The {0} name '{1}' contains more than the maximum number of prefixes. The maximum is {2}."},
    {kUnrecognizedOption, 15, kBatch, "'{0}' is not a recognized {1} option."},
    {kNestedTooDeeply, 15, kBatch,
     "Some part of your SQL statement is nested too deeply. Rewrite the query or break it up into "
     "smaller queries."},
    {kPreviousStatementNeedsSemicolon, 15, kBatch,
     "Incorrect syntax near the keyword '{0}'. If this statement is a common table expression, an "
     "xmlnamespaces clause or a change tracking context clause, the previous statement must be "
     "terminated with a semicolon."},
    {kInvalidParameterFor, 15, kBatch, "Invalid parameter {0} specified for {1}."},
    {kEmptyIdentifier, 15, kBatch,
     "An object or column name is missing or empty. For SELECT INTO statements, verify each column "
     "has a name. For other statements, look for empty alias names. Aliases defined as \"\" or [] "
     "are not allowed. Change the alias to a valid name."},

    {kOrderByNotInUnionSelect, 16, kBatch,
     "ORDER BY items must appear in the select list if the statement contains a UNION, INTERSECT "
     "or EXCEPT operator."},
    {kOrderByPositionOutOfRange, 15, kBatch,
     "The ORDER BY position number {0} is out of range of the number of items in the select "
     "list."},
    {kInsertSelectFewerItems, 15, kBatch,
     "The select list for the INSERT statement contains fewer items than the insert list. The "
     "number of SELECT values must match the number of INSERT columns."},
    {kInsertSelectMoreItems, 15, kBatch,
     "The select list for the INSERT statement contains more items than the insert list. The "
     "number of SELECT values must match the number of INSERT columns."},
    {kSelectAssignMixed, 15, kBatch,
     "A SELECT statement that assigns a value to a variable must not be combined with "
     "data-retrieval operations."},
    {kAggregateInGroupBy, 15, kBatch,
     "Cannot use an aggregate or a subquery in an expression used for the group by list of a "
     "GROUP BY clause."},
    {kOrderByColumnRepeated, 15, kBatch,
     "A column has been specified more than once in the order by list. Columns in the order by "
     "list must be unique."},
    {kFunctionArgRange, 15, kBatch, "The {0} function requires {1} to {2} arguments."},
    {kScaleGreaterThanPrecision, 16, kBatch,
     "The scale must be less than or equal to the precision."},
    {kSetOperandColumnCount, 16, kBatch,
     "All queries combined using a UNION, INTERSECT or EXCEPT operator must have an equal number "
     "of expressions in their target lists."},
    {kNotASystemType, 16, kBatch, "Type {0} is not a defined system type."},
    {kRecursiveCteNoUnionAll, 16, kBatch,
     "Recursive common table expression '{0}' does not contain a top-level UNION ALL operator."},
    {kColumnAssignedTwice, 16, kBatch,
     "The column name '{0}' is specified more than once in the SET clause or column list of an "
     "INSERT. A column cannot be assigned more than one value in the same clause. Modify the "
     "clause to make sure that a column is updated only once. If this statement updates or "
     "inserts columns into a view, column aliasing can conceal the duplication in your code."},
    {kCannotConstructDate, 16, kStmt,
     "Cannot construct data type {0}, some of the arguments have values which are not valid."},
    {kConstantInOrderBy, 16, kBatch,
     "A constant expression was encountered in the ORDER BY list, position {0}."},
    {kInvalidEscapeChar, 16, kStmt,
     "The invalid escape character \"{0}\" was specified in a {1} predicate."},
    {kDateAddOverflow, 16, kStmt, "Adding a value to a '{0}' column caused an overflow."},
    {kDateDiffOverflow, 16, kStmt,
     "The datediff function resulted in an overflow. The number of dateparts separating two "
     "date/time instances is too large. Try to use datediff with a less precise datepart."},
    {kInvalidLengthRight, 16, kStmt, "Invalid length parameter passed to the RIGHT function."},
    {kInvalidLengthLeftSubstring, 16, kStmt,
     "Invalid length parameter passed to the LEFT or SUBSTRING function."},
    {kIdentityValueRequired, 16, kStmt,
     "Explicit value must be specified for identity column in table '{0}' either when "
     "IDENTITY_INSERT is set to ON or when a replication user is inserting into a NOT FOR "
     "REPLICATION identity column."},
    {kInvalidScale, 15, kBatch, "Line {0}: Specified scale {1} is invalid."},
    {kCorrelationNameRepeated, 15, kBatch,
     "The correlation name '{0}' is specified multiple times in a FROM clause."},
    {kTopInvalidValue, 16, kStmt, "A TOP or FETCH clause contains an invalid value."},
    {kTopPercentOutOfRange, 16, kStmt, "Percent values must be between 0 and 100."},
    {kSubqueryNotAllowed, 15, kBatch,
     "Subqueries are not allowed in this context. Only scalar expressions are allowed."},
    {kTopNotInteger, 15, kBatch,
     "The number of rows provided for a TOP or FETCH clauses row count parameter must be an "
     "integer."},
    {kPrecisionTooLarge, 16, kBatch,
     "Column or parameter #{0}: Specified column precision {1} is greater than the maximum "
     "precision of 38."},
    {kInvalidFloatingPoint, 16, kStmt, "An invalid floating point operation occurred."},
    {kWindowedFunctionContext, 15, kBatch,
     "Windowed functions can only appear in the SELECT or ORDER BY clauses."},
    {kNestedWindowedFunction, 15, kBatch,
     "Windowed functions cannot be used in the context of another windowed function or "
     "aggregate."},
    {kWindowNeedsOrderBy, 15, kBatch, "The function '{0}' must have an OVER clause with ORDER BY."},
    {kNotWindowFunction, 15, kBatch,
     "The function '{0}' is not a valid windowing function, and cannot be used with the OVER "
     "clause."},
    {kUnknownFunctionOrColumn, 16, kBatch,
     "Cannot find either column \"{0}\" or the user-defined function or aggregate \"{1}\", or the "
     "name is ambiguous."},
    {kCoalesceAllNull, 16, kBatch,
     "At least one of the arguments to COALESCE must be an expression that is not the NULL "
     "constant."},
    {kCannotUpdateIdentity, 16, kBatch, "Cannot update identity column '{0}'."},
    {kNotInGroupByHaving, 16, kBatch,
     "Column '{0}' is invalid in the HAVING clause because it is not contained in either an "
     "aggregate function or the GROUP BY clause."},
    {kNotInGroupByOrderBy, 16, kBatch,
     "Column \"{0}\" is invalid in the ORDER BY clause because it is not contained in either an "
     "aggregate function or the GROUP BY clause."},
    {kCaseAllNull, 16, kBatch,
     "At least one of the result expressions in a CASE specification must be an expression other "
     "than the NULL constant."},
    {kColumnSpecifiedMultipleTimes, 16, kBatch,
     "The column '{0}' was specified multiple times for '{1}'."},
    {kMoreColumnsThanList, 16, kBatch,
     "'{0}' has more columns than were specified in the column list."},
    {kFewerColumnsThanList, 16, kBatch,
     "'{0}' has fewer columns than were specified in the column list."},
    {kDatePartNotSupported, 16, kBatch,
     "The datepart {0} is not supported by date function {1} for data type {2}."},
    {kOffsetNegative, 16, kStmt, "The offset specified in a OFFSET clause may not be negative."},
    {kFetchNotPositive, 16, kStmt,
     "The number of rows provided for a FETCH clause must be greater then zero."},
    {kWindowNeedsOver, 15, kBatch, "The function '{0}' must have an OVER clause."},
    {kGroupByNeedsColumn, 15, kBatch,
     "Each GROUP BY expression must contain at least one column that is not an outer reference."},
    {kMustSpecifyTable, 16, kBatch, "Must specify table to select from."},
    {kTopWithTiesNeedsOrderBy, 15, kBatch,
     "The TOP N WITH TIES clause is not allowed without a corresponding ORDER BY clause."},
    {kCannotSpecifyWidth, 16, kBatch,
     "Column, parameter, or variable #{0}: Cannot specify a column width on data type {1}."},
    {kValuesRowWidthMismatch, 16, kBatch,
     "The number of columns for each row in a table value constructor must be the same."},
    {kMaxRecursionExhausted, 16, kStmt,
     "The statement terminated. The maximum recursion {0} has been exhausted before statement "
     "completion."},
};

const Entry* Find(int number) {
  for (const Entry& e : kCatalog) {
    if (e.number == number) return &e;
  }
  return nullptr;
}

std::string Format(std::string_view text, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' &&
        text[i + 1] <= '9') {
      size_t index = static_cast<size_t>(text[i + 1] - '0');
      if (index < args.size()) out.append(*(args.begin() + index));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

SqlError Make(int number, std::initializer_list<std::string_view> args) {
  const Entry* e = Find(number);
  if (e == nullptr) {
    std::fprintf(stderr, "edgesql: error %d is not in the catalog\n", number);
    std::abort();
  }
  SqlError err;
  err.number = number;
  err.severity = e->severity;
  err.scope = e->scope;
  err.state = 1;
  err.message = Format(e->text, args);
  return err;
}

SqlError MakeUser(int number, int severity, int state, std::string message) {
  SqlError err;
  err.number = number;
  err.severity = static_cast<uint8_t>(std::clamp(severity, 0, 25));
  err.state = static_cast<uint8_t>(std::clamp(state, 0, 255));
  err.scope = severity >= 20 ? ErrorScope::kConnection : ErrorScope::kStatement;
  err.message = std::move(message);
  return err;
}

bool IsKnown(int number) { return Find(number) != nullptr; }

}  // namespace edgesql::errors
