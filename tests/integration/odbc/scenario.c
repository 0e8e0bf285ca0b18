/*
 * The integration scenario (../README.md) driven by the FreeTDS ODBC driver (tdsodbc) through
 * unixODBC (unixodbc-dev): the path of ODBC applications, pyodbc and most ORMs on Linux.
 *
 * Parameters are bound with SQLBindParameter to one prepared INSERT (FreeTDS sends the values as
 * typed RPC parameters), transactions use SQL_ATTR_AUTOCOMMIT and SQLEndTran, cancel is
 * SQLCancel from a second thread. The driver is loaded by path (EDGESQL_ODBC_DRIVER) and names
 * servers through the freetds.conf entries the harness writes (FREETDSCONF). Strings are UTF-8
 * (ClientCharset=UTF-8) through the narrow API.
 */
#include <pthread.h>
#include <sql.h>
#include <sqlext.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* SQL Server's types beyond ODBC's (msodbcsql's sqlncli.h; the values FreeTDS reports). */
#define SS_TIME2 (-154)
#define SS_TIMESTAMPOFFSET (-155)

static const char *password, *driver;
static char database[64];
static SQLHENV env;

/* ---- steps and checks ---- */

static int any_failed, step_failures;
static const char *blocker, *step_name;

static void fail(const char* fmt, ...) {
  va_list ap;
  printf("FAIL %s: ", step_name);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  fflush(stdout);
  step_failures++;
}

static void run(const char* name, void (*fn)(void), int required) {
  if (blocker) {
    printf("FAIL %s: not run, step %s failed\n", name, blocker);
    any_failed = 1;
    return;
  }
  step_name = name;
  step_failures = 0;
  fn();
  if (step_failures) {
    any_failed = 1;
    if (required) blocker = name;
  } else {
    printf("PASS %s\n", name);
  }
  fflush(stdout);
}

static void check_str(const char* what, const char* got, const char* want) {
  if (got == NULL && want == NULL) return;
  if (got == NULL || want == NULL || strcmp(got, want) != 0) {
    size_t i = 0;
    if (got && want)
      while (got[i] && got[i] == want[i]) i++;
    fail("%s: got %.60s%s, want %.60s%s (length %zu vs %zu, first difference at byte %zu)", what,
         got ? got : "NULL", got && strlen(got) > 60 ? "..." : "", want ? want : "NULL",
         want && strlen(want) > 60 ? "..." : "", got ? strlen(got) : 0, want ? strlen(want) : 0, i);
  }
}

static void check_int(const char* what, long long got, long long want) {
  if (got != want) fail("%s: got %lld, want %lld", what, got, want);
}

/* The first diagnostic record of a handle: native error (the SQL Server number) and text. */
struct diag {
  SQLINTEGER native;
  char state[6];
  char text[1024];
};

static struct diag get_diag(SQLSMALLINT type, SQLHANDLE h) {
  struct diag d = {0, "", ""};
  SQLSMALLINT len;
  if (!SQL_SUCCEEDED(SQLGetDiagRec(type, h, 1, (SQLCHAR*)d.state, &d.native, (SQLCHAR*)d.text,
                                   sizeof d.text, &len)))
    strcpy(d.text, "(no diagnostic record)");
  return d;
}

static const char* diag_text(SQLSMALLINT type, SQLHANDLE h) {
  static char buf[1200];
  struct diag d = get_diag(type, h);
  snprintf(buf, sizeof buf, "[%s] %d: %s", d.state, (int)d.native, d.text);
  return buf;
}

/* ---- connections and statements ---- */

static SQLHDBC connect_to(const char* server, const char* db, const char* pw, struct diag* err) {
  SQLHDBC dbc;
  char cs[1024];
  SQLRETURN rc;
  snprintf(cs, sizeof cs,
           "DRIVER=%s;Servername=%s;UID=sa;PWD={%s};Database=%s;ClientCharset=UTF-8;Timeout=10",
           driver, server, pw, db);
  SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  rc = SQLDriverConnect(dbc, NULL, (SQLCHAR*)cs, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
  if (!SQL_SUCCEEDED(rc)) {
    if (err) *err = get_diag(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    return NULL;
  }
  return dbc;
}

static SQLHDBC connect_db(void) {
  struct diag d;
  SQLHDBC dbc = connect_to("edgesql", database, password, &d);
  if (!dbc) fail("login to %s: [%s] %d: %s", database, d.state, (int)d.native, d.text);
  return dbc;
}

static void disconnect(SQLHDBC dbc) {
  SQLDisconnect(dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
}

static SQLHSTMT new_stmt(SQLHDBC dbc) {
  SQLHSTMT st;
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  return st;
}

/* Runs sql; returns its row count (SQLRowCount), or -2 after reporting a failure. */
static long long exec_count(SQLHDBC dbc, const char* sql) {
  SQLHSTMT st = new_stmt(dbc);
  SQLLEN n = -1;
  SQLRETURN rc = SQLExecDirect(st, (SQLCHAR*)sql, SQL_NTS);
  if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) {
    fail("%.80s: %s", sql, diag_text(SQL_HANDLE_STMT, st));
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return -2;
  }
  SQLRowCount(st, &n);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  return n;
}

/* Reads column col of the current row as text (SQL_C_CHAR, in pieces); NULL for NULL. */
static char* get_text(SQLHSTMT st, int col, SQLSMALLINT ctype) {
  size_t cap = 4096, len = 0;
  char* buf = malloc(cap);
  for (;;) {
    SQLLEN ind;
    size_t room = cap - len;
    SQLRETURN rc = SQLGetData(st, (SQLUSMALLINT)col, ctype, buf + len, (SQLLEN)room, &ind);
    if (rc == SQL_NO_DATA) break;
    if (!SQL_SUCCEEDED(rc)) {
      snprintf(buf, cap, "(SQLGetData failed: %s)", diag_text(SQL_HANDLE_STMT, st));
      return buf;
    }
    if (ind == SQL_NULL_DATA) {
      free(buf);
      return NULL;
    }
    if (rc == SQL_SUCCESS_WITH_INFO) { /* truncated: the buffer is full but for the NUL */
      len = cap - 1;
      cap *= 2;
      buf = realloc(buf, cap);
      continue;
    }
    len += (size_t)ind;
    break;
  }
  buf[len] = 0;
  return buf;
}

/* Reads a binary column as upper-case hex; NULL for NULL. */
static char* get_hex(SQLHSTMT st, int col) {
  size_t cap = 1 << 20, len = 0;
  unsigned char* raw = malloc(cap);
  char* hex;
  for (;;) {
    SQLLEN ind;
    SQLRETURN rc =
        SQLGetData(st, (SQLUSMALLINT)col, SQL_C_BINARY, raw + len, (SQLLEN)(cap - len), &ind);
    if (rc == SQL_NO_DATA) break;
    if (!SQL_SUCCEEDED(rc)) {
      free(raw);
      return strdup("(SQLGetData failed)");
    }
    if (ind == SQL_NULL_DATA) {
      free(raw);
      return NULL;
    }
    len += rc == SQL_SUCCESS_WITH_INFO ? cap - len : (size_t)ind;
    if (rc == SQL_SUCCESS) break;
    cap *= 2;
    raw = realloc(raw, cap);
  }
  hex = malloc(len * 2 + 1);
  for (size_t i = 0; i < len; i++) sprintf(hex + 2 * i, "%02X", raw[i]);
  hex[2 * len] = 0;
  free(raw);
  return hex;
}

/* The first column of the first row of a query, as text. */
static char* scalar_text(SQLHDBC dbc, const char* sql) {
  SQLHSTMT st = new_stmt(dbc);
  char* v = NULL;
  if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR*)sql, SQL_NTS))) {
    fail("%s: %s", sql, diag_text(SQL_HANDLE_STMT, st));
  } else if (SQL_SUCCEEDED(SQLFetch(st))) {
    v = get_text(st, 1, SQL_C_CHAR);
  }
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  return v;
}

static void check_scalar(SQLHDBC dbc, const char* what, const char* sql, const char* want) {
  char* got = scalar_text(dbc, sql);
  check_str(what, got, want);
  free(got);
}

/* ---- the scenario's data ---- */

static const char* COLUMNS[][2] = {
    {"c_tinyint", "tinyint"},
    {"c_smallint", "smallint"},
    {"c_int", "int"},
    {"c_bigint", "bigint"},
    {"c_bit", "bit"},
    {"c_real", "real"},
    {"c_float", "float"},
    {"c_decimal", "decimal(38,10)"},
    {"c_numeric", "numeric(10,2)"},
    {"c_money", "money"},
    {"c_smallmoney", "smallmoney"},
    {"c_char", "char(10)"},
    {"c_varchar", "varchar(50)"},
    {"c_nchar", "nchar(10)"},
    {"c_nvarchar", "nvarchar(50)"},
    {"c_varcharmax", "varchar(max)"},
    {"c_nvarcharmax", "nvarchar(max)"},
    {"c_binary", "binary(8)"},
    {"c_varbinary", "varbinary(50)"},
    {"c_varbinarymax", "varbinary(max)"},
    {"c_date", "date"},
    {"c_time", "time(7)"},
    {"c_datetime", "datetime"},
    {"c_smalldatetime", "smalldatetime"},
    {"c_datetime2", "datetime2(7)"},
    {"c_dto", "datetimeoffset(7)"},
    {"c_guid", "uniqueidentifier"},
};
#define NCOLS ((int)(sizeof COLUMNS / sizeof COLUMNS[0]))

/* How each column is bound and read: the SQL type of its parameter (with size and digits), and
 * the SQL type FreeTDS reports for the result column (odbc_data.c). */
static const struct {
  SQLSMALLINT param_type;
  SQLULEN size;
  SQLSMALLINT digits;
  SQLSMALLINT result_type;
} TYPES[NCOLS] = {
    {SQL_TINYINT, 3, 0, SQL_TINYINT},
    {SQL_SMALLINT, 5, 0, SQL_SMALLINT},
    {SQL_INTEGER, 10, 0, SQL_INTEGER},
    {SQL_BIGINT, 19, 0, SQL_BIGINT},
    {SQL_BIT, 1, 0, SQL_BIT},
    {SQL_REAL, 24, 0, SQL_REAL},
    {SQL_DOUBLE, 53, 0, SQL_DOUBLE},
    {SQL_DECIMAL, 38, 10, SQL_NUMERIC},
    {SQL_NUMERIC, 10, 2, SQL_NUMERIC},
    {SQL_DECIMAL, 19, 4, SQL_DECIMAL},
    {SQL_DECIMAL, 10, 4, SQL_DECIMAL},
    {SQL_CHAR, 10, 0, SQL_CHAR},
    {SQL_VARCHAR, 50, 0, SQL_VARCHAR},
    {SQL_WCHAR, 10, 0, SQL_WCHAR},
    {SQL_WVARCHAR, 50, 0, SQL_WVARCHAR},
    {SQL_LONGVARCHAR, 10000, 0, SQL_VARCHAR},
    {SQL_WLONGVARCHAR, 100000, 0, SQL_WVARCHAR},
    {SQL_BINARY, 8, 0, SQL_BINARY},
    {SQL_VARBINARY, 50, 0, SQL_VARBINARY},
    {SQL_LONGVARBINARY, 102400, 0, SQL_VARBINARY},
    {SQL_TYPE_DATE, 10, 0, SQL_TYPE_DATE},
    {SS_TIME2, 16, 7, SS_TIME2},
    {SQL_TYPE_TIMESTAMP, 23, 3, SQL_TYPE_TIMESTAMP},
    {SQL_TYPE_TIMESTAMP, 16, 0, SQL_TYPE_TIMESTAMP},
    {SQL_TYPE_TIMESTAMP, 27, 7, SQL_TYPE_TIMESTAMP},
    {SQL_VARCHAR, 40, 0, SS_TIMESTAMPOFFSET}, /* FreeTDS cannot convert text with an offset */
    {SQL_GUID, 36, 0, SQL_GUID},
};

static char* repeat(const char* s, int n) {
  size_t len = strlen(s);
  char* out = malloc(len * (size_t)n + 1);
  for (int i = 0; i < n; i++) memcpy(out + len * (size_t)i, s, len);
  out[len * (size_t)n] = 0;
  return out;
}

static char* concat(const char* a, const char* b) {
  char* out = malloc(strlen(a) + strlen(b) + 1);
  strcpy(out, a);
  strcat(out, b);
  return out;
}

static char* hex_of(const unsigned char* b, int n) {
  char* out = malloc((size_t)n * 2 + 1);
  for (int i = 0; i < n; i++) sprintf(out + 2 * i, "%02X", b[i]);
  out[2 * n] = 0;
  return out;
}

static char *varchar50, *nvarchar50, *varcharmax, *nvarcharmax;
static unsigned char varbinary50[50], varbinarymax[102400];
static const char *WANT_MAX[NCOLS], *WANT_MIN[NCOLS];

static void make_data(void) {
  char *digits = repeat("0123456789", 4), *n44 = repeat("n", 44), *head = concat("é€", digits);
  varchar50 = concat(head, "abcdefgh");
  nvarchar50 = concat("é日本語😀", n44);
  varcharmax = repeat("é€", 5000);
  nvarcharmax = repeat("ab日本é", 20000);
  for (int i = 0; i < 50; i++) varbinary50[i] = (unsigned char)i;
  for (int i = 0; i < 102400; i++) varbinarymax[i] = (unsigned char)(i % 251);
  free(digits), free(n44), free(head);
  /*
   * What the driver returns, read as: integers through their C types, printed in decimal;
   * real/float through SQL_C_FLOAT/DOUBLE, printed with 9/17 digits (exact); decimal and money
   * as FreeTDS's text (four money decimals); strings in UTF-8; binaries as hex; date, datetime,
   * smalldatetime and datetime2 through DATE_STRUCT/TIMESTAMP_STRUCT (fraction in ns), printed
   * yyyy-mm-dd[ hh:mi:ss.fffffff]; time and datetimeoffset as FreeTDS's text
   * ("%H:%M:%S.%z", "%Y-%m-%d %H:%M:%S.%z +hh:mm", convert_tds2sql.c); GUIDs as text.
   */
  const char* max[NCOLS] = {"255",
                            "32767",
                            "2147483647",
                            "9223372036854775807",
                            "1",
                            "3.5",
                            "1.7976931348623157e+308",
                            "1234567890123456789012345678.9012345678",
                            "99999999.99",
                            "922337203685477.5807",
                            "214748.3647",
                            "abc       ",
                            varchar50,
                            "日本        ",
                            nvarchar50,
                            varcharmax,
                            nvarcharmax,
                            "DEADBEEFCAFEBABE",
                            hex_of(varbinary50, 50),
                            hex_of(varbinarymax, 102400),
                            "9999-12-31",
                            "23:59:59.9999999",
                            "9999-12-31 23:59:59.9970000",
                            "2079-06-06 23:59:00.0000000",
                            "9999-12-31 23:59:59.9999999",
                            "2024-02-29 12:34:56.1234567 +05:30",
                            "6F9619FF-8B86-D011-B42D-00C04FC964FF"};
  const char* min[NCOLS] = {"0",
                            "-32768",
                            "-2147483648",
                            "-9223372036854775808",
                            "0",
                            "-0.15625",
                            "-2.2250738585072014e-308",
                            "-1234567890123456789012345678.9012345678",
                            "-99999999.99",
                            "-922337203685477.5808",
                            "-214748.3648",
                            "          ",
                            "",
                            "          ",
                            "",
                            "",
                            "",
                            "FF00000000000000",
                            "",
                            "",
                            "0001-01-01",
                            "00:00:00.0000000",
                            "1753-01-01 00:00:00.0000000",
                            "1900-01-01 00:00:00.0000000",
                            "0001-01-01 00:00:00.0000000",
                            "2001-02-03 04:05:06.7000000 -08:00",
                            "00000000-0000-0000-0000-000000000000"};
  memcpy(WANT_MAX, max, sizeof max);
  memcpy(WANT_MIN, min, sizeof min);
}

static const char* column_list(void) {
  static char buf[1024];
  buf[0] = 0;
  for (int i = 0; i < NCOLS; i++) {
    if (i) strcat(buf, ", ");
    strcat(buf, COLUMNS[i][0]);
  }
  return buf;
}

/* Column col (1-based) of the current row in the text form above; NULL for NULL. */
static char* column_text(SQLHSTMT st, int col, SQLSMALLINT sql_type) {
  char buf[128];
  SQLLEN ind = 0;
  switch (sql_type) {
    case SQL_TINYINT: {
      SQLCHAR v;
      SQLGetData(st, (SQLUSMALLINT)col, SQL_C_UTINYINT, &v, 0, &ind);
      snprintf(buf, sizeof buf, "%u", v);
      break;
    }
    case SQL_SMALLINT: {
      SQLSMALLINT v;
      SQLGetData(st, (SQLUSMALLINT)col, SQL_C_SSHORT, &v, 0, &ind);
      snprintf(buf, sizeof buf, "%d", v);
      break;
    }
    case SQL_INTEGER: {
      SQLINTEGER v;
      SQLGetData(st, (SQLUSMALLINT)col, SQL_C_SLONG, &v, 0, &ind);
      snprintf(buf, sizeof buf, "%d", (int)v);
      break;
    }
    case SQL_BIGINT: {
      SQLBIGINT v;
      SQLGetData(st, (SQLUSMALLINT)col, SQL_C_SBIGINT, &v, 0, &ind);
      snprintf(buf, sizeof buf, "%lld", (long long)v);
      break;
    }
    case SQL_BIT: {
      SQLCHAR v;
      SQLGetData(st, (SQLUSMALLINT)col, SQL_C_BIT, &v, 0, &ind);
      snprintf(buf, sizeof buf, "%u", v);
      break;
    }
    case SQL_REAL: {
      SQLREAL v;
      SQLGetData(st, (SQLUSMALLINT)col, SQL_C_FLOAT, &v, 0, &ind);
      snprintf(buf, sizeof buf, "%.9g", v);
      break;
    }
    case SQL_DOUBLE: {
      SQLDOUBLE v;
      SQLGetData(st, (SQLUSMALLINT)col, SQL_C_DOUBLE, &v, 0, &ind);
      snprintf(buf, sizeof buf, "%.17g", v);
      break;
    }
    case SQL_TYPE_DATE: {
      SQL_DATE_STRUCT v;
      SQLGetData(st, (SQLUSMALLINT)col, SQL_C_TYPE_DATE, &v, 0, &ind);
      snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
      break;
    }
    case SQL_TYPE_TIMESTAMP: {
      SQL_TIMESTAMP_STRUCT v;
      SQLGetData(st, (SQLUSMALLINT)col, SQL_C_TYPE_TIMESTAMP, &v, 0, &ind);
      snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%07u", v.year, v.month, v.day,
               v.hour, v.minute, v.second, (unsigned)v.fraction / 100);
      break;
    }
    case SQL_BINARY:
    case SQL_VARBINARY:
      return get_hex(st, col);
    default: /* numeric, decimal (money), strings, time, datetimeoffset, GUID */
      return get_text(st, col, SQL_C_CHAR);
  }
  return ind == SQL_NULL_DATA ? NULL : strdup(buf);
}

/* ---- steps ---- */

static void step_login(void) {
  struct diag d;
  char wrong[256];
  SQLHDBC dbc = connect_to("edgesql", "master", password, &d);
  if (!dbc) {
    fail("login: [%s] %d: %s", d.state, (int)d.native, d.text);
    return;
  }
  check_scalar(dbc, "SELECT 1", "SELECT 1", "1");
  check_scalar(dbc, "DB_NAME() after login", "SELECT DB_NAME()", "master");
  disconnect(dbc);
  snprintf(wrong, sizeof wrong, "%sx", password);
  dbc = connect_to("edgesql", "master", wrong, &d);
  if (dbc) {
    fail("wrong password: login succeeded, want error 18456");
    disconnect(dbc);
  } else {
    check_int("wrong password: native error", d.native, 18456);
    if (!strstr(d.text, "Login failed for user 'sa'"))
      fail("wrong password: message \"%s\" lacks \"Login failed for user 'sa'\"", d.text);
  }
}

static void step_schema(void) {
  struct diag d;
  char sql[4096];
  SQLHDBC dbc = connect_to("edgesql", "master", password, &d);
  if (!dbc) {
    fail("login: [%s] %d: %s", d.state, (int)d.native, d.text);
    return;
  }
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", database);
  exec_count(dbc, sql);
  disconnect(dbc);
  if (!(dbc = connect_db())) return;
  check_scalar(dbc, "DB_NAME()", "SELECT DB_NAME()", database);
  strcpy(sql,
         "CREATE TABLE dbo.it_types (id int IDENTITY(1,1) PRIMARY KEY, row_name varchar(10) NOT "
         "NULL");
  for (int i = 0; i < NCOLS; i++) {
    strcat(sql, ", ");
    strcat(sql, COLUMNS[i][0]);
    strcat(sql, " ");
    strcat(sql, COLUMNS[i][1]);
    strcat(sql, " NULL");
  }
  strcat(sql, ")");
  exec_count(dbc, sql);
  exec_count(dbc, "CREATE TABLE dbo.it_tx (id int PRIMARY KEY, note nvarchar(20) NOT NULL)");
  disconnect(dbc);
}

/* One bound parameter's C value and length for one row, and its SQL type when it is not the
 * column's (TYPES). */
struct value {
  SQLSMALLINT ctype;
  const void* data;
  SQLLEN len; /* SQL_NULL_DATA, SQL_NTS or a byte length */
  SQLSMALLINT sql_type;
};

static void step_insert(void) {
  SQLHDBC dbc = connect_db();
  SQLHSTMT st;
  char sql[2048];
  static const char* row_names[] = {"nulls", "max", "min"};
  /* max row */
  SQLCHAR ti = 255, bit1 = 1, bit0 = 0, ti0 = 0;
  SQLSMALLINT si = 32767, si0 = -32768;
  SQLINTEGER in = 2147483647, in0 = -2147483647 - 1;
  SQLBIGINT bi = 9223372036854775807LL, bi0 = -9223372036854775807LL - 1;
  SQLREAL r = 3.5f, r0 = -0.15625f;
  SQLDOUBLE f = 1.7976931348623157e308, f0 = -2.2250738585072014e-308;
  SQL_DATE_STRUCT dmax = {9999, 12, 31};
  SQL_TIMESTAMP_STRUCT dtmax = {9999, 12, 31, 23, 59, 59, 997000000},
                       dtmin = {1753, 1, 1, 0, 0, 0, 0}, sdtmax = {2079, 6, 6, 23, 59, 0, 0},
                       sdtmin = {1900, 1, 1, 0, 0, 0, 0},
                       dt2max = {9999, 12, 31, 23, 59, 59, 999999900};
  SQLGUID guid = {0x6F9619FF, 0x8B86, 0xD011, {0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF}},
          guid0 = {0, 0, 0, {0}};
  unsigned char bin8[8] = {0xDE, 0xAD, 0xBE, 0xEF, 0xCA, 0xFE, 0xBA, 0xBE}, ff = 0xFF;
  struct value rows[3][NCOLS];
  SQLLEN row_name_len;
  char row_name[16];
  if (!dbc) return;
  {
    /* C types: the column's own C type, text for decimals, money and time (FreeTDS converts it
     * into the parameter's SQL type before sending) and for datetimeoffset (sent as varchar). */
    struct value max[NCOLS] = {
        {SQL_C_UTINYINT, &ti, 0},
        {SQL_C_SSHORT, &si, 0},
        {SQL_C_SLONG, &in, 0},
        {SQL_C_SBIGINT, &bi, 0},
        {SQL_C_BIT, &bit1, 0},
        {SQL_C_FLOAT, &r, 0},
        {SQL_C_DOUBLE, &f, 0},
        {SQL_C_CHAR, "1234567890123456789012345678.9012345678", SQL_NTS},
        {SQL_C_CHAR, "99999999.99", SQL_NTS},
        {SQL_C_CHAR, "922337203685477.5807", SQL_NTS},
        {SQL_C_CHAR, "214748.3647", SQL_NTS},
        {SQL_C_CHAR, "abc", SQL_NTS},
        {SQL_C_CHAR, varchar50, SQL_NTS},
        {SQL_C_CHAR, "日本", SQL_NTS},
        {SQL_C_CHAR, nvarchar50, SQL_NTS},
        {SQL_C_CHAR, varcharmax, SQL_NTS},
        {SQL_C_CHAR, nvarcharmax, SQL_NTS},
        {SQL_C_BINARY, bin8, 8},
        {SQL_C_BINARY, varbinary50, 50},
        {SQL_C_BINARY, varbinarymax, 102400},
        {SQL_C_TYPE_DATE, &dmax, 0},
        {SQL_C_CHAR, "23:59:59.9999999", SQL_NTS},
        {SQL_C_TYPE_TIMESTAMP, &dtmax, 0},
        {SQL_C_TYPE_TIMESTAMP, &sdtmax, 0},
        {SQL_C_TYPE_TIMESTAMP, &dt2max, 0},
        {SQL_C_CHAR, "2024-02-29 12:34:56.1234567 +05:30", SQL_NTS},
        {SQL_C_GUID, &guid, 0},
    };
    struct value min[NCOLS] = {
        {SQL_C_UTINYINT, &ti0, 0},
        {SQL_C_SSHORT, &si0, 0},
        {SQL_C_SLONG, &in0, 0},
        {SQL_C_SBIGINT, &bi0, 0},
        {SQL_C_BIT, &bit0, 0},
        {SQL_C_FLOAT, &r0, 0},
        {SQL_C_DOUBLE, &f0, 0},
        {SQL_C_CHAR, "-1234567890123456789012345678.9012345678", SQL_NTS},
        {SQL_C_CHAR, "-99999999.99", SQL_NTS},
        {SQL_C_CHAR, "-922337203685477.5808", SQL_NTS},
        {SQL_C_CHAR, "-214748.3648", SQL_NTS},
        {SQL_C_CHAR, "", SQL_NTS},
        {SQL_C_CHAR, "", SQL_NTS},
        {SQL_C_CHAR, "", SQL_NTS},
        {SQL_C_CHAR, "", SQL_NTS},
        {SQL_C_CHAR, "", SQL_NTS},
        {SQL_C_CHAR, "", SQL_NTS},
        {SQL_C_BINARY, &ff, 1},
        {SQL_C_BINARY, "", 0},
        {SQL_C_BINARY, "", 0},
        /* FreeTDS ODBC encodes year 1 wrongly (a DATE_STRUCT as day 0xFFFFFF, the text
         * "0001-01-01" as 2001-01-01), so those two go as varchar text. */
        {SQL_C_CHAR, "0001-01-01", SQL_NTS, SQL_VARCHAR},
        {SQL_C_CHAR, "00:00:00.0000000", SQL_NTS},
        {SQL_C_TYPE_TIMESTAMP, &dtmin, 0},
        {SQL_C_TYPE_TIMESTAMP, &sdtmin, 0},
        {SQL_C_CHAR, "0001-01-01 00:00:00.0000000", SQL_NTS, SQL_VARCHAR},
        {SQL_C_CHAR, "2001-02-03 04:05:06.7000000 -08:00", SQL_NTS},
        {SQL_C_GUID, &guid0, 0},
    };
    memcpy(rows[1], max, sizeof max);
    memcpy(rows[2], min, sizeof min);
    memcpy(rows[0], max, sizeof max);
    for (int i = 0; i < NCOLS; i++) rows[0][i].len = SQL_NULL_DATA;
  }
  snprintf(sql, sizeof sql, "INSERT INTO dbo.it_types (row_name, %s) VALUES (?", column_list());
  for (int i = 0; i < NCOLS; i++) strcat(sql, ", ?");
  strcat(sql, ")");
  st = new_stmt(dbc);
  if (!SQL_SUCCEEDED(SQLPrepare(st, (SQLCHAR*)sql, SQL_NTS))) {
    fail("SQLPrepare: %s", diag_text(SQL_HANDLE_STMT, st));
  } else {
    for (int r = 0; r < 3; r++) {
      SQLLEN lens[NCOLS], n = -1;
      SQLRETURN rc;
      strcpy(row_name, row_names[r]);
      row_name_len = SQL_NTS;
      SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, row_name, 0,
                       &row_name_len);
      for (int i = 0; i < NCOLS; i++) {
        const struct value* v = &rows[r][i];
        lens[i] = v->len;
        SQLBindParameter(st, (SQLUSMALLINT)(i + 2), SQL_PARAM_INPUT, v->ctype,
                         v->sql_type ? v->sql_type : TYPES[i].param_type,
                         v->sql_type ? 40 : TYPES[i].size, v->sql_type ? 0 : TYPES[i].digits,
                         (SQLPOINTER)v->data, 0, &lens[i]);
      }
      rc = SQLExecute(st);
      if (!SQL_SUCCEEDED(rc)) {
        fail("INSERT %s: %s", row_names[r], diag_text(SQL_HANDLE_STMT, st));
        continue;
      }
      SQLRowCount(st, &n);
      check_int(r == 0   ? "row count of INSERT nulls"
                : r == 1 ? "row count of INSERT max"
                         : "row count of INSERT min",
                n, 1);
      SQLFreeStmt(st, SQL_CLOSE);
    }
  }
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  check_scalar(dbc, "@@IDENTITY", "SELECT CAST(@@IDENTITY AS int)", "3");
  disconnect(dbc);
}

static void step_readback(void) {
  SQLHDBC dbc = connect_db();
  SQLHSTMT st;
  char sql[1024];
  static const char* row_names[] = {"nulls", "max", "min"};
  const char** wants[] = {NULL, WANT_MAX, WANT_MIN};
  int row = 0;
  if (!dbc) return;
  st = new_stmt(dbc);
  snprintf(sql, sizeof sql, "SELECT id, row_name, %s FROM dbo.it_types ORDER BY id", column_list());
  if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR*)sql, SQL_NTS))) {
    fail("SELECT: %s", diag_text(SQL_HANDLE_STMT, st));
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    disconnect(dbc);
    return;
  }
  for (int i = 0; i < NCOLS; i++) {
    SQLSMALLINT type, digits, nullable, namelen;
    SQLULEN size;
    char name[64], what[96];
    SQLDescribeCol(st, (SQLUSMALLINT)(i + 3), (SQLCHAR*)name, sizeof name, &namelen, &type, &size,
                   &digits, &nullable);
    snprintf(what, sizeof what, "%s SQL type", COLUMNS[i][0]);
    check_int(what, type, TYPES[i].result_type);
    if (TYPES[i].result_type == SQL_NUMERIC) {
      snprintf(what, sizeof what, "%s precision and scale", COLUMNS[i][0]);
      check_int(what, (long long)size * 100 + digits,
                (long long)TYPES[i].size * 100 + TYPES[i].digits);
    }
  }
  while (SQL_SUCCEEDED(SQLFetch(st))) {
    if (row < 3) {
      char what[128], idtext[16];
      char *id = column_text(st, 1, SQL_INTEGER), *name = column_text(st, 2, SQL_VARCHAR);
      snprintf(idtext, sizeof idtext, "%d", row + 1);
      snprintf(what, sizeof what, "%s.id", row_names[row]);
      check_str(what, id, idtext);
      snprintf(what, sizeof what, "%s.row_name", row_names[row]);
      check_str(what, name, row_names[row]);
      free(id), free(name);
      for (int i = 0; i < NCOLS; i++) {
        char* got = column_text(st, i + 3, TYPES[i].result_type);
        snprintf(what, sizeof what, "%s.%s", row_names[row], COLUMNS[i][0]);
        check_str(what, got, wants[row] ? wants[row][i] : NULL);
        free(got);
      }
    }
    row++;
  }
  check_int("row count", row, 3);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  disconnect(dbc);
}

/* Runs sql with one bound nvarchar parameter; returns SQLRowCount or -2. */
static long long exec_param(SQLHDBC dbc, const char* sql, const char* param) {
  SQLHSTMT st = new_stmt(dbc);
  SQLLEN len = SQL_NTS, n = -1;
  SQLBindParameter(st, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_WVARCHAR, 20, 0, (SQLPOINTER)param, 0,
                   &len);
  if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR*)sql, SQL_NTS))) {
    fail("%s: %s", sql, diag_text(SQL_HANDLE_STMT, st));
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return -2;
  }
  SQLRowCount(st, &n);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  return n;
}

static void step_update_delete(void) {
  SQLHDBC dbc = connect_db();
  if (!dbc) return;
  check_int("UPDATE count",
            exec_param(dbc, "UPDATE dbo.it_types SET c_nvarchar = ? WHERE c_tinyint IS NOT NULL",
                       "updated ✓"),
            2);
  check_int("UPDATE of no row count",
            exec_param(dbc, "UPDATE dbo.it_types SET c_int = c_int WHERE id = ?", "-1"), 0);
  check_int("DELETE count", exec_count(dbc, "DELETE FROM dbo.it_types WHERE c_tinyint IS NULL"), 1);
  check_scalar(dbc, "updated rows",
               "SELECT COUNT(*) FROM dbo.it_types WHERE c_nvarchar = N'updated ✓'", "2");
  check_scalar(dbc, "rows left", "SELECT COUNT(*) FROM dbo.it_types", "2");
  disconnect(dbc);
}

static void end_tran(SQLHDBC dbc, SQLSMALLINT how) {
  if (!SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc, how)))
    fail("SQLEndTran(%s): %s", how == SQL_COMMIT ? "commit" : "rollback",
         diag_text(SQL_HANDLE_DBC, dbc));
}

static void step_transactions(void) {
  SQLHDBC other = connect_db(), dbc = connect_db();
  if (!other || !dbc) return;
  if (!SQL_SUCCEEDED(SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_OFF,
                                       SQL_IS_UINTEGER)))
    fail("autocommit off: %s", diag_text(SQL_HANDLE_DBC, dbc));
  exec_param(dbc, "INSERT INTO dbo.it_tx (id, note) VALUES (1, ?)", "committed");
  check_scalar(dbc, "@@TRANCOUNT inside", "SELECT @@TRANCOUNT", "1");
  end_tran(dbc, SQL_COMMIT);
  check_scalar(other, "committed row seen by another session",
               "SELECT note FROM dbo.it_tx WHERE id = 1", "committed");
  exec_param(dbc, "INSERT INTO dbo.it_tx (id, note) VALUES (2, ?)", "rolled back");
  check_scalar(dbc, "own insert visible inside", "SELECT COUNT(*) FROM dbo.it_tx", "2");
  end_tran(dbc, SQL_ROLLBACK);
  check_scalar(dbc, "rolled back row gone", "SELECT COUNT(*) FROM dbo.it_tx WHERE id = 2", "0");
  SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, (SQLPOINTER)SQL_AUTOCOMMIT_ON, SQL_IS_UINTEGER);
  check_scalar(dbc, "@@TRANCOUNT after", "SELECT @@TRANCOUNT", "0");
  check_scalar(other, "rolled back row never seen by another session",
               "SELECT COUNT(*) FROM dbo.it_tx", "1");
  disconnect(dbc);
  disconnect(other);
}

static void expect_error(SQLHDBC dbc, const char* what, const char* sql, int number,
                         const char* message_part) {
  SQLHSTMT st = new_stmt(dbc);
  SQLRETURN rc = SQLExecDirect(st, (SQLCHAR*)sql, SQL_NTS);
  if (SQL_SUCCEEDED(rc)) {
    fail("%s: succeeded, want error %d", what, number);
  } else {
    struct diag d = get_diag(SQL_HANDLE_STMT, st);
    if (d.native != number)
      fail("%s: want error %d, got [%s] %d: %s", what, number, d.state, (int)d.native, d.text);
    else if (!strstr(d.text, message_part))
      fail("%s: error %d message \"%s\" lacks \"%s\"", what, number, d.text, message_part);
  }
  SQLFreeHandle(SQL_HANDLE_STMT, st);
}

static void step_errors(void) {
  SQLHDBC dbc = connect_db();
  if (!dbc) return;
  expect_error(
      dbc, "duplicate key", "INSERT INTO dbo.it_tx (id, note) VALUES (1, N'duplicate')", 2627,
      "Cannot insert duplicate key in object 'dbo.it_tx'. The duplicate key value is (1).");
  expect_error(dbc, "missing table", "SELECT * FROM dbo.no_such_table", 208,
               "Invalid object name 'dbo.no_such_table'.");
  expect_error(dbc, "syntax error", "SELECT 1 +", 102, "Incorrect syntax near '+'.");
  check_scalar(dbc, "connection still usable", "SELECT 1", "1");
  disconnect(dbc);
}

struct cancel_job {
  SQLHSTMT st;
  SQLRETURN rc;
  struct diag d;
};

static void* run_waitfor(void* arg) {
  struct cancel_job* job = arg;
  job->rc = SQLExecDirect(job->st, (SQLCHAR*)"WAITFOR DELAY '00:00:30'", SQL_NTS);
  if (!SQL_SUCCEEDED(job->rc)) job->d = get_diag(SQL_HANDLE_STMT, job->st);
  return NULL;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void step_cancel(void) {
  SQLHDBC dbc = connect_db();
  struct cancel_job job;
  pthread_t thread;
  double start, cancel_at, took;
  struct timespec half = {0, 500 * 1000 * 1000};
  if (!dbc) return;
  job.st = new_stmt(dbc);
  start = now();
  pthread_create(&thread, NULL, run_waitfor, &job);
  nanosleep(&half, NULL);
  cancel_at = now();
  if (!SQL_SUCCEEDED(SQLCancel(job.st))) fail("SQLCancel: %s", diag_text(SQL_HANDLE_STMT, job.st));
  pthread_join(thread, NULL);
  took = now() - cancel_at;
  if (SQL_SUCCEEDED(job.rc))
    fail("WAITFOR completed, want it cancelled");
  else
    check_str("SQLSTATE of the cancelled statement", job.d.state, "HY008");
  if (took >= 5) fail("cancel took %.1f s, want < 5 s", took);
  if (now() - start >= 29) fail("WAITFOR ran to completion");
  SQLFreeHandle(SQL_HANDLE_STMT, job.st);
  check_scalar(dbc, "SELECT 1 after cancel", "SELECT 1", "1");
  disconnect(dbc);
}

static void step_tls(void) {
  struct diag d;
  SQLHDBC dbc = connect_to("edgesql_tls", database, password, &d);
  if (!dbc) {
    fail("login over TLS: [%s] %d: %s", d.state, (int)d.native, d.text);
    return;
  }
  check_scalar(dbc, "SELECT 1 over TLS", "SELECT 1", "1");
  check_scalar(dbc, "nvarchar(max) over TLS",
               "SELECT c_nvarcharmax FROM dbo.it_types WHERE row_name = 'max'", nvarcharmax);
  disconnect(dbc);
}

static void step_tls_forced(void) {
  struct diag d;
  SQLHDBC dbc = connect_to("edgesql_forced", "master", password, &d);
  if (!dbc) {
    fail("login over TLS (forced): [%s] %d: %s", d.state, (int)d.native, d.text);
    return;
  }
  check_scalar(dbc, "SELECT 1 over TLS (forced)", "SELECT 1", "1");
  disconnect(dbc);
  if ((dbc = connect_to("edgesql_forced_off", "master", password, NULL))) {
    fail("login without TLS (encryption = off) to a --force-encryption server succeeded");
    disconnect(dbc);
  }
}

int main(void) {
  const char* client = getenv("EDGESQL_CLIENT");
  password = getenv("EDGESQL_PASSWORD");
  driver = getenv("EDGESQL_ODBC_DRIVER");
  if (!password) password = "";
  if (!driver) driver = "libtdsodbc.so";
  snprintf(database, sizeof database, "it_%s", client && *client ? client : "odbc");
  setvbuf(stdout, NULL, _IOLBF, 0);
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  make_data();
  printf("client FreeTDS ODBC (%s) through unixODBC as sa, database %s\n", driver, database);
  run("login", step_login, 1);
  run("schema", step_schema, 0);
  run("insert", step_insert, 0);
  run("readback", step_readback, 0);
  run("update-delete", step_update_delete, 0);
  run("transactions", step_transactions, 0);
  run("errors", step_errors, 0);
  run("cancel", step_cancel, 0);
  run("tls", step_tls, 0);
  run("tls-forced", step_tls_forced, 0);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return any_failed ? 1 : 0;
}
