// The catalog of SQL Server errors edgesql raises: the one place where an error number gets its
// severity, its scope (what it terminates) and its message text.
//
// Numbers, severities and texts follow SQL Server's sys.messages, so that applications and drivers
// that test for specific numbers (2627 duplicate key, 1222 lock timeout, 18456 login failed, ...)
// behave as they do against SQL Server. Texts use {0}, {1}, ... for the arguments where SQL Server
// uses %.*ls / %d.
//
// Usage: `return errors::Make(errors::kInvalidObjectName, {name});`
// Thread-safe: the catalog is immutable.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "common/status.h"

namespace edgesql::errors {

// Informational messages (severity 0-10, sent as INFO tokens).
inline constexpr int kChangedDatabaseContext = 5701;  // Changed database context to '{0}'.
inline constexpr int kChangedLanguage = 5703;         // Changed language setting to {0}.
inline constexpr int kStatementTerminated = 3621;     // The statement has been terminated.
inline constexpr int kUserMessage = 50000;            // RAISERROR / THROW / PRINT text
inline constexpr int kMessageNotFound = 18054;        // RAISERROR with an unknown message number
inline constexpr int kSeverityNeedsWithLog = 2754;
inline constexpr int kRethrowOutsideCatch = 10704;
inline constexpr int kThrowNumberOutOfRange = 35100;
inline constexpr int kWaitforTimeSyntax = 148;
inline constexpr int kDateFirstOutOfRange = 2741;

// Syntax and name resolution.
inline constexpr int kSyntaxError = 102;         // Incorrect syntax near '{0}'.
inline constexpr int kUnclosedQuote = 105;       // Unclosed quotation mark after ...
inline constexpr int kSyntaxErrorKeyword = 156;  // Incorrect syntax near the keyword '{0}'.
inline constexpr int kIdentifierTooLong = 103;   // The identifier that starts with ...
inline constexpr int kVariableAlreadyDeclared = 134;
inline constexpr int kMustDeclareVariable = 137;
inline constexpr int kFunctionArgCount = 174;  // The {0} function requires {1} argument(s).
inline constexpr int kUnknownBuiltinFunction = 195;
inline constexpr int kInvalidColumnName = 207;
inline constexpr int kInvalidObjectName = 208;
inline constexpr int kAmbiguousColumnName = 209;
inline constexpr int kInsertColumnCountMismatch = 213;
inline constexpr int kMultiPartIdentifierNotBound = 4104;
inline constexpr int kNonBooleanCondition = 4145;
inline constexpr int kDuplicateExposedNames = 1013;
inline constexpr int kNotInGroupBy = 8120;
inline constexpr int kAggregateInWhere = 147;
inline constexpr int kNestedAggregate = 130;
inline constexpr int kSubqueryMultipleColumns = 116;
inline constexpr int kOrderByNotInDistinct = 145;
inline constexpr int kOrderByInSubquery = 1033;
inline constexpr int kInvalidOptionUsage = 153;
inline constexpr int kMissingColumnName = 8155;
inline constexpr int kMoreInsertColumnsThanValues = 109;
inline constexpr int kFewerInsertColumnsThanValues = 110;
inline constexpr int kUnknownType = 2715;
inline constexpr int kInvalidLengthOrPrecision = 1001;
inline constexpr int kSizeExceedsMaximum = 131;
inline constexpr int kUnknownSchema = 2760;

// Features outside edgesql's T-SQL subset (Azure SQL's numbers for "not supported in this
// version"): the message names the construct.
inline constexpr int kUnsupportedFunction = 40511;   // Built-in function '{0}' is not supported ...
inline constexpr int kUnsupportedStatement = 40517;  // Keyword or statement option '{0}' is not ...

// Types, conversion and arithmetic.
inline constexpr int kOperandTypeClash = 206;  // Operand type clash: {0} is incompatible with {1}
inline constexpr int kArithmeticOverflowValue =
    220;  // Arithmetic overflow error for data type {0}, value = {1}.
inline constexpr int kDateTimeConversionFailed = 241;
inline constexpr int kDateTimeOutOfRange = 242;
inline constexpr int kConversionFailed =
    245;  // Conversion failed when converting the {0} value '{1}' to data type {2}.
inline constexpr int kImplicitConversionNotAllowed = 257;
inline constexpr int kIncompatibleTypesInOperator = 402;
inline constexpr int kInvalidOperatorForType = 403;
inline constexpr int kExplicitConversionNotAllowed = 529;
inline constexpr int kNumberOutOfRange = 1007;
inline constexpr int kErrorConvertingDataType = 8114;  // Error converting data type {0} to {1}.
inline constexpr int kArithmeticOverflow =
    8115;  // Arithmetic overflow error converting {0} to data type {1}.
inline constexpr int kInvalidArgumentType = 8116;
inline constexpr int kInvalidOperandType = 8117;
inline constexpr int kDivideByZero = 8134;
inline constexpr int kSubqueryReturnedMoreThanOne = 512;
inline constexpr int kBinaryToDateTimeFailed =
    210;  // Conversion failed when converting datetime from binary/varbinary string.
inline constexpr int kArithmeticOverflowFloat =
    232;                                  // Arithmetic overflow error for type {0}, value = {1}.
inline constexpr int kMoneySyntax = 235;  // Cannot convert a char value to money. ...
inline constexpr int kStringOverflowedSmallInt =
    244;  // The conversion of the {0} value '{1}' overflowed an {2} column. ...
inline constexpr int kStringOverflowedInt =
    248;  // The conversion of the {0} value '{1}' overflowed an int column.
inline constexpr int kInvalidDateStyle =
    281;  // {0} is not a valid style number when converting from {1} to a character string.
inline constexpr int kSmallMoneySyntax = 293;  // Cannot convert a char value to smallmoney. ...
inline constexpr int kSmallDateTimeConversionFailed = 295;
inline constexpr int kGuidConversionFailed =
    8169;  // Conversion failed when converting from a character string to uniqueidentifier.
inline constexpr int kGuidResultSpace =
    8170;  // Insufficient result space to convert uniqueidentifier value to char.

// Data integrity.
inline constexpr int kNullNotAllowed = 515;
inline constexpr int kIdentityInsertOff = 544;
inline constexpr int kIdentityNeedsColumnList = 8101;
inline constexpr int kNoIdentityProperty = 8106;
inline constexpr int kIdentityInsertAlreadyOn = 8107;
inline constexpr int kDuplicateKeyConstraint = 2627;
inline constexpr int kDuplicateKeyIndex = 2601;
inline constexpr int kCreateUniqueIndexDuplicate = 1505;
inline constexpr int kStringTruncated = 2628;

// DDL and databases.
inline constexpr int kObjectAlreadyExists = 2714;
inline constexpr int kDuplicateColumnName = 2705;
inline constexpr int kCannotDropTable = 3701;  // Cannot drop the {kind} '{name}' ...
inline constexpr int kMultipleIdentityColumns = 2744;
inline constexpr int kColumnNotInTable = 1911;
inline constexpr int kDropMissingColumn = 4924;
inline constexpr int kIndexUsedByConstraint = 3723;
inline constexpr int kMultiplePrimaryKeys = 8110;
inline constexpr int kObjectDependsOnColumn = 5074;
inline constexpr int kNotAConstraint = 3728;
inline constexpr int kIndexAlreadyExists = 1913;
inline constexpr int kCouldNotCreateConstraint = 1750;
inline constexpr int kInvalidIdentityColumn = 2749;
inline constexpr int kNullablePrimaryKey = 8111;
inline constexpr int kCannotFindObject = 4902;
inline constexpr int kCannotFindObjectTruncate = 4701;
inline constexpr int kCannotFindObjectGeneric = 1088;
inline constexpr int kDatabaseAlreadyExists = 1801;
inline constexpr int kDatabaseDoesNotExist = 911;
inline constexpr int kDatabaseInUse = 3702;
inline constexpr int kCannotDropSystemDatabase = 3708;
inline constexpr int kNotAllowedInTransaction = 226;
inline constexpr int kMaxColumnsExceeded = 1702;

// Transactions and locking.
inline constexpr int kLockTimeout = 1222;
inline constexpr int kCommitWithoutBegin = 3902;
inline constexpr int kRollbackWithoutBegin = 3903;
inline constexpr int kNoSuchSavepoint = 6401;
inline constexpr int kSaveWithoutTransaction = 628;
inline constexpr int kSnapshotUpdateConflict = 3960;
inline constexpr int kTranCountMismatch = 266;
inline constexpr int kUncommittableTransaction = 3930;
inline constexpr int kUncommittableAtBatchEnd = 3998;
inline constexpr int kCannotResumeTransaction = 3971;
// The client's ATTENTION cancelled the request. Never sent as an ERROR token: the session answers
// with DONE and the ATTN bit, as SQL Server does ([MS-TDS] 2.2.1.7).
inline constexpr int kQueryCancelled = 3617;

// Logins and sessions.
inline constexpr int kCannotOpenDatabase = 4060;
inline constexpr int kLoginFailed = 18456;
inline constexpr int kPasswordTooWeak = 15118;
inline constexpr int kCannotAlterLogin = 15151;
inline constexpr int kTooManyConnections = 17809;
inline constexpr int kShutdownInProgress = 6005;  // SHUTDOWN is in progress.

// Procedures, RPC and prepared statements.
inline constexpr int kProcedureNotFound = 2812;
inline constexpr int kMissingParameter = 201;
inline constexpr int kTooManyArguments = 8144;
inline constexpr int kParameterizedQueryMissingParameter = 8178;
inline constexpr int kPreparedHandleNotFound = 8179;
inline constexpr int kStatementsCouldNotBePrepared = 8180;
inline constexpr int kTooManyParameters = 8003;

// Protocol.
inline constexpr int kProtocolStreamIncorrect =
    4002;  // The incoming TDS protocol stream is incorrect...
inline constexpr int kRpcUnknownDataType = 8009;
inline constexpr int kRpcInvalidDataLength = 8016;
inline constexpr int kRequestTooLarge =
    8019;  // edgesql: a request or result above the configured bound
// Parameter {0} ("{1}"): The supplied value is not a valid instance of data type {2}. ...
inline constexpr int kRpcInvalidValue = 8023;
// Bulk load (INSERT BULK and the BULK LOAD message that follows it, [MS-TDS] 2.2.6.1).
inline constexpr int kBulkLoadNotSent = 4022;   // Bulk load data was expected but not sent. ...
inline constexpr int kBulkPrematureEnd = 4804;  // ... a premature end-of-message was encountered
inline constexpr int kBulkInvalidColumnLength = 4815;  // ... invalid column length ... colid {0}.
inline constexpr int kBulkInvalidColumnType = 4816;    // Invalid column type ... for colid {0}.
inline constexpr int kBulkConversion = 4864;  // Bulk load data conversion error ... row {0} ...

// Storage and the operating system.
inline constexpr int kFilegroupFull = 1105;
inline constexpr int kOperatingSystemIoError = 823;
inline constexpr int kDatabaseCorrupt = 824;
inline constexpr int kReadOnlyDatabase = 3906;
inline constexpr int kInternalError = 8630;
inline constexpr int kCannotOpenFile = 5120;    // Unable to open the physical file "{0}". ...
inline constexpr int kCannotCreateFile = 5123;  // CREATE FILE encountered operating system error
                                                // ...  // Internal Query Processor Error: ...

// T-SQL front end: lexer and parser errors beyond kSyntaxError / kUnclosedQuote.
inline constexpr int kMustBeFirstInBatch =
    111;  // '{0}' must be the first statement in a query batch.
inline constexpr int kMissingEndComment = 113;  // Missing end comment mark '*/'.
inline constexpr int kTooManyNamePrefixes =
    117;  // The {0} name '{1}' contains more than the maximum ...
inline constexpr int kUnrecognizedOption = 155;  // '{0}' is not a recognized {1} option.
inline constexpr int kNestedTooDeeply =
    191;  // Some part of your SQL statement is nested too deeply...
inline constexpr int kPreviousStatementNeedsSemicolon =
    319;                                           // ... must be terminated with a semicolon.
inline constexpr int kInvalidParameterFor = 1023;  // Invalid parameter {0} specified for {1}.
inline constexpr int kEmptyIdentifier = 1038;  // An object or column name is missing or empty...

// T-SQL binder and the runtime function library (name resolution, typing, query shape, and the
// errors SQL functions raise while a statement runs).
inline constexpr int kOrderByNotInUnionSelect =
    104;  // ORDER BY items must appear in the select list ...
inline constexpr int kOrderByPositionOutOfRange = 108;
inline constexpr int kInsertSelectFewerItems = 120;
inline constexpr int kInsertSelectMoreItems = 121;
inline constexpr int kSelectAssignMixed = 141;
inline constexpr int kAggregateInGroupBy = 144;
inline constexpr int kOrderByColumnRepeated = 169;
inline constexpr int kFunctionArgRange = 189;  // The {0} function requires {1} to {2} arguments.
inline constexpr int kScaleGreaterThanPrecision = 192;
inline constexpr int kSetOperandColumnCount = 205;
inline constexpr int kNotASystemType = 243;
inline constexpr int kRecursiveCteNoUnionAll = 252;
inline constexpr int kColumnAssignedTwice = 264;
inline constexpr int kCannotConstructDate = 289;
inline constexpr int kConstantInOrderBy = 408;
inline constexpr int kInvalidEscapeChar = 506;
inline constexpr int kDateAddOverflow = 517;
inline constexpr int kDateDiffOverflow = 535;
inline constexpr int kInvalidLengthRight = 536;
inline constexpr int kInvalidLengthLeftSubstring = 537;
inline constexpr int kIdentityValueRequired = 545;
inline constexpr int kInvalidScale = 1002;
inline constexpr int kCorrelationNameRepeated = 1011;
inline constexpr int kTopInvalidValue = 1014;
inline constexpr int kTopPercentOutOfRange = 1031;
inline constexpr int kSubqueryNotAllowed = 1046;
inline constexpr int kTopNotInteger = 1060;
inline constexpr int kPrecisionTooLarge = 2750;
inline constexpr int kInvalidFloatingPoint = 3623;
inline constexpr int kWindowedFunctionContext = 4108;
inline constexpr int kNestedWindowedFunction = 4109;
inline constexpr int kWindowNeedsOrderBy = 4112;
inline constexpr int kNotWindowFunction = 4113;
inline constexpr int kUnknownFunctionOrColumn = 4121;
inline constexpr int kCoalesceAllNull = 4127;
inline constexpr int kCannotUpdateIdentity = 8102;
inline constexpr int kNotInGroupByHaving = 8121;
inline constexpr int kNotInGroupByOrderBy = 8127;
inline constexpr int kCaseAllNull = 8133;
inline constexpr int kColumnSpecifiedMultipleTimes = 8156;
inline constexpr int kMoreColumnsThanList = 8158;
inline constexpr int kFewerColumnsThanList = 8159;
inline constexpr int kDatePartNotSupported = 9810;
inline constexpr int kOffsetNegative = 10742;
inline constexpr int kFetchNotPositive = 10744;
inline constexpr int kWindowNeedsOver = 10753;
inline constexpr int kGroupByNeedsColumn = 164;
inline constexpr int kMustSpecifyTable = 263;
inline constexpr int kTopWithTiesNeedsOrderBy = 1062;
inline constexpr int kCannotSpecifyWidth = 2716;
inline constexpr int kValuesRowWidthMismatch = 10709;
inline constexpr int kMaxRecursionExhausted = 530;

// Builds the error `number` from the catalog, substituting {0}, {1}, ... in its text. An unknown
// number aborts the process: every number raised must be in the catalog.
SqlError Make(int number, std::initializer_list<std::string_view> args = {});

// RAISERROR / THROW style error with caller-chosen number, severity, state and text.
SqlError MakeUser(int number, int severity, int state, std::string message);

// True if the catalog knows `number` (used by tests and by RAISERROR validation).
bool IsKnown(int number);

}  // namespace edgesql::errors
