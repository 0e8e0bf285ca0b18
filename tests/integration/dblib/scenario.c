/*
 * The integration scenario (../README.md) driven by FreeTDS db-lib (freetds-dev: sybdb.h,
 * libsybdb), the C API of pymssql and of many legacy applications.
 *
 * db-lib has no parameterized SQL. Rows go in through a remote procedure call of sp_executesql
 * (dbrpcinit/dbrpcparam/dbrpcsend) with db-lib's native parameter types, or as literals in a
 * SQL batch where db-lib cannot express the value (dbrpcparam takes a zero length for NULL, so
 * empty strings and empty binaries go as literals). Transactions are T-SQL; cancel is dbcancel()
 * after dbsqlsend(). Servers are the freetds.conf entries the harness writes (FREETDSCONF).
 *
 * Built with -DMSDBLIB: Microsoft's db-lib semantics (dbopen, DBDATEREC2 with months 1-12).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sybdb.h>
#include <sybfront.h>
#include <time.h>

static const char* password;
static char database[64];

/* ---- messages from the server and from db-lib ---- */

static int last_msgno, last_msgseverity, last_msgstate;
static char last_msgtext[1024];

static int msg_handler(DBPROCESS* dbproc, DBINT msgno, int msgstate, int severity, char* msgtext,
                       char* srvname, char* procname, int line) {
  (void)dbproc, (void)msgstate, (void)srvname, (void)procname, (void)line;
  if (severity > 10) { /* errors; informational messages (5701, 5703, 3621) are not */
    last_msgno = msgno;
    last_msgseverity = severity;
    last_msgstate = msgstate;
    snprintf(last_msgtext, sizeof last_msgtext, "%s", msgtext);
  }
  return 0;
}

static int last_dberr;
static char last_dberrstr[512];

static int err_handler(DBPROCESS* dbproc, int severity, int dberr, int oserr, char* dberrstr,
                       char* oserrstr) {
  (void)dbproc, (void)severity, (void)oserr, (void)oserrstr;
  last_dberr = dberr;
  snprintf(last_dberrstr, sizeof last_dberrstr, "%s", dberrstr ? dberrstr : "");
  return INT_CANCEL;
}

static void clear_errors(void) {
  last_msgno = 0;
  last_msgtext[0] = 0;
  last_dberr = 0;
  last_dberrstr[0] = 0;
}

/* ---- steps and checks ---- */

static int any_failed;
static const char* blocker;
static int step_failures;
static const char* step_name;

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

static double seconds_since(const struct timespec* t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- connections and batches ---- */

static DBPROCESS* connect_to(const char* server, const char* db, const char* pw) {
  LOGINREC* login = dblogin();
  DBPROCESS* dbproc;
  DBSETLUSER(login, "sa");
  DBSETLPWD(login, pw);
  DBSETLCHARSET(login, "UTF-8");
  DBSETLAPP(login, "edgesql-it-dblib");
  if (db) DBSETLDBNAME(login, db);
  clear_errors();
  dbproc = dbopen(login, server);
  dbloginfree(login);
  return dbproc;
}

static DBPROCESS* connect_db(void) { return connect_to("edgesql", database, password); }

static const char* error_detail(void) {
  static char buf[1600];
  snprintf(buf, sizeof buf, "server error %d \"%s\", db-lib error %d \"%s\"", last_msgno,
           last_msgtext, last_dberr, last_dberrstr);
  return buf;
}

/* Runs a batch and discards its results; returns the count of the last statement, or -1. */
static long long exec_batch(DBPROCESS* dbproc, const char* sql) {
  long long count = -1;
  RETCODE rc;
  clear_errors();
  if (dbcmd(dbproc, sql) == FAIL || dbsqlexec(dbproc) == FAIL) return -2;
  while ((rc = dbresults(dbproc)) != NO_MORE_RESULTS) {
    if (rc == FAIL) return -2;
    while (dbnextrow(dbproc) != NO_MORE_ROWS) {
    }
    if (DBCOUNT(dbproc) >= 0) count = DBCOUNT(dbproc);
  }
  return count;
}

static int must_exec(DBPROCESS* dbproc, const char* sql) {
  if (exec_batch(dbproc, sql) == -2) {
    fail("%.80s: %s", sql, error_detail());
    return 0;
  }
  return 1;
}

/* The first column of the first row of a query as text (dbconvert to char), or NULL. */
static char* scalar_text(DBPROCESS* dbproc, const char* sql) {
  static char buf[512];
  char* result = NULL;
  RETCODE rc;
  clear_errors();
  if (dbcmd(dbproc, sql) == FAIL || dbsqlexec(dbproc) == FAIL) {
    fail("%s: %s", sql, error_detail());
    return NULL;
  }
  while ((rc = dbresults(dbproc)) != NO_MORE_RESULTS) {
    if (rc == FAIL) break;
    while (dbnextrow(dbproc) != NO_MORE_ROWS) {
      BYTE* data = dbdata(dbproc, 1);
      if (result == NULL && data != NULL) {
        int n = dbconvert(dbproc, dbcoltype(dbproc, 1), data, dbdatlen(dbproc, 1), SYBCHAR,
                          (BYTE*)buf, sizeof buf - 1);
        buf[n < 0 ? 0 : n] = 0;
        result = buf;
      }
    }
  }
  return result;
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

static char *varchar50, *nvarchar50, *varcharmax, *nvarcharmax;
static BYTE varbinary50[50], varbinarymax[102400];

static void make_data(void) {
  char *digits = repeat("0123456789", 4), *n44 = repeat("n", 44);
  char* head = concat("é€", digits);
  varchar50 = concat(head, "abcdefgh");
  nvarchar50 = concat("é日本語😀", n44);
  varcharmax = repeat("é€", 5000);
  nvarcharmax = repeat("ab日本é", 20000);
  for (int i = 0; i < 50; i++) varbinary50[i] = (BYTE)i;
  for (int i = 0; i < 102400; i++) varbinarymax[i] = (BYTE)(i % 251);
  free(digits), free(n44), free(head);
}

static char* column_list(void) {
  static char buf[1024];
  buf[0] = 0;
  for (int i = 0; i < NCOLS; i++) {
    if (i) strcat(buf, ", ");
    strcat(buf, COLUMNS[i][0]);
  }
  return buf;
}

/*
 * What db-lib returns, in one text form per column: integers and bit in decimal, real with 9 and
 * float with 17 significant digits (both round-trip exactly), decimal/money as dbconvert's text,
 * strings as UTF-8 (db-lib converts from the column's collation or UCS-2), binaries as hex,
 * temporal values from dbanydatecrack as yyyy-mm-dd hh:mi:ss.fffffff [+hh:mm], GUIDs as
 * dbconvert's text. NULL is NULL.
 */
static const char* WANT_MAX[NCOLS];
static const char* WANT_MIN[NCOLS];

static char* hex_of(const BYTE* b, int n) {
  char* out = malloc((size_t)n * 2 + 1);
  for (int i = 0; i < n; i++) sprintf(out + 2 * i, "%02X", b[i]);
  out[2 * n] = 0;
  return out;
}

static void make_expected(void) {
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

/* Formats column `col` of the current row in the text form above; returns NULL for NULL. */
static char* column_text(DBPROCESS* dbproc, int col) {
  BYTE* data = dbdata(dbproc, col);
  int len = dbdatlen(dbproc, col), type = dbcoltype(dbproc, col);
  char buf[512];
  DBDATEREC2 d;
  if (data == NULL) return NULL;
  switch (type) {
    case SYBINT1:
      snprintf(buf, sizeof buf, "%d", *(DBTINYINT*)data);
      break;
    case SYBINT2:
      snprintf(buf, sizeof buf, "%d", *(DBSMALLINT*)data);
      break;
    case SYBINT4:
      snprintf(buf, sizeof buf, "%d", *(DBINT*)data);
      break;
    case SYBINT8:
      snprintf(buf, sizeof buf, "%lld", (long long)*(DBBIGINT*)data);
      break;
    case SYBBIT:
      snprintf(buf, sizeof buf, "%d", *(DBBIT*)data);
      break;
    case SYBREAL:
      snprintf(buf, sizeof buf, "%.9g", *(DBREAL*)data);
      break;
    case SYBFLT8:
      snprintf(buf, sizeof buf, "%.17g", *(DBFLT8*)data);
      break;
    case SYBCHAR:
    case SYBVARCHAR:
    case SYBTEXT:
    case SYBNTEXT: {
      char* s = malloc((size_t)len + 1);
      memcpy(s, data, (size_t)len);
      s[len] = 0;
      return s;
    }
    case SYBBINARY:
    case SYBVARBINARY:
    case SYBIMAGE:
      return hex_of(data, len);
    case SYBMSDATE:
    case SYBMSTIME:
    case SYBMSDATETIME2:
    case SYBMSDATETIMEOFFSET:
    case SYBDATETIME:
    case SYBDATETIME4: {
      char frac[16];
      if (dbanydatecrack(dbproc, &d, type, data) == FAIL) return strdup("(dbanydatecrack failed)");
      snprintf(frac, sizeof frac, "%07d", d.nanosecond / 100);
      if (type == SYBMSDATE) {
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
      } else if (type == SYBMSTIME) {
        snprintf(buf, sizeof buf, "%02d:%02d:%02d.%s", d.hour, d.minute, d.second, frac);
      } else {
        snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%s", d.year, d.month, d.day,
                 d.hour, d.minute, d.second, frac);
      }
      if (type == SYBMSDATETIMEOFFSET) {
        int tz = d.tzone < 0 ? -d.tzone : d.tzone;
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " %c%02d:%02d",
                 d.tzone < 0 ? '-' : '+', tz / 60, tz % 60);
      }
      break;
    }
    default: {
      /* decimal, numeric, money, smallmoney, uniqueidentifier */
      int n = dbconvert(dbproc, type, data, len, SYBCHAR, (BYTE*)buf, sizeof buf - 1);
      if (n < 0)
        snprintf(buf, sizeof buf, "(dbconvert of type %d failed)", type);
      else
        buf[n] = 0;
    }
  }
  return strdup(buf);
}

/* ---- steps ---- */

static void step_login(void) {
  DBPROCESS* dbproc = connect_to("edgesql", "master", password);
  char* v;
  if (!dbproc) {
    fail("login: %s", error_detail());
    return;
  }
  v = scalar_text(dbproc, "SELECT 1");
  check_str("SELECT 1", v, "1");
  v = scalar_text(dbproc, "SELECT DB_NAME()");
  check_str("DB_NAME() after login", v, "master");
  dbclose(dbproc);
  {
    char wrong[256];
    snprintf(wrong, sizeof wrong, "%sx", password);
    dbproc = connect_to("edgesql", "master", wrong);
    if (dbproc) {
      fail("wrong password: login succeeded, want error 18456");
      dbclose(dbproc);
    } else {
      check_int("wrong password: server error", last_msgno, 18456);
      check_int("wrong password: severity", last_msgseverity, 14);
      check_int("wrong password: state", last_msgstate, 1);
      if (!strstr(last_msgtext, "Login failed for user 'sa'"))
        fail("wrong password: message \"%s\" lacks \"Login failed for user 'sa'\"", last_msgtext);
    }
  }
}

static void step_schema(void) {
  DBPROCESS* dbproc = connect_to("edgesql", "master", password);
  char sql[4096];
  if (!dbproc) {
    fail("login: %s", error_detail());
    return;
  }
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", database);
  must_exec(dbproc, sql);
  dbclose(dbproc);
  if (!(dbproc = connect_db())) {
    fail("login to %s: %s", database, error_detail());
    return;
  }
  check_str("DB_NAME()", scalar_text(dbproc, "SELECT DB_NAME()"), database);
  strcpy(sql,
         "CREATE TABLE dbo.it_types (id int IDENTITY(1,1) PRIMARY KEY, "
         "row_name varchar(10) NOT NULL");
  for (int i = 0; i < NCOLS; i++) {
    strcat(sql, ", ");
    strcat(sql, COLUMNS[i][0]);
    strcat(sql, " ");
    strcat(sql, COLUMNS[i][1]);
    strcat(sql, " NULL");
  }
  strcat(sql, ")");
  must_exec(dbproc, sql);
  must_exec(dbproc, "CREATE TABLE dbo.it_tx (id int PRIMARY KEY, note nvarchar(20) NOT NULL)");
  dbclose(dbproc);
}

/* One RPC parameter: its db-lib type, value and length (0: NULL). */
struct param {
  int type;
  const void* value;
  int len;
};

/* Calls sp_executesql with the statement, its declarations and params; returns the row count. */
static long long rpc_executesql(DBPROCESS* dbproc, const char* stmt, const char* decls,
                                const char** names, struct param* p, int n) {
  long long count = -1;
  RETCODE rc;
  clear_errors();
  if (dbrpcinit(dbproc, "sp_executesql", 0) == FAIL ||
      dbrpcparam(dbproc, "@stmt", 0, SYBVARCHAR, -1, (DBINT)strlen(stmt), (BYTE*)stmt) == FAIL ||
      dbrpcparam(dbproc, "@params", 0, SYBVARCHAR, -1, (DBINT)strlen(decls), (BYTE*)decls) == FAIL)
    return -2;
  for (int i = 0; i < n; i++) {
    if (dbrpcparam(dbproc, names[i], 0, p[i].type, -1, p[i].len, (BYTE*)p[i].value) == FAIL) {
      snprintf(last_msgtext, sizeof last_msgtext, "dbrpcparam(%s) failed", names[i]);
      return -2;
    }
  }
  if (dbrpcsend(dbproc) == FAIL || dbsqlok(dbproc) == FAIL) return -2;
  while ((rc = dbresults(dbproc)) != NO_MORE_RESULTS) {
    if (rc == FAIL) return -2;
    while (dbnextrow(dbproc) != NO_MORE_ROWS) {
    }
    if (DBCOUNT(dbproc) >= 0) count = DBCOUNT(dbproc);
  }
  return count;
}

static void step_insert(void) {
  DBPROCESS* dbproc = connect_db();
  char stmt[2048], decls[2048], *names[NCOLS + 1];
  struct param p[NCOLS + 1];
  DBTINYINT ti = 255;
  DBSMALLINT si = 32767;
  DBINT in = 2147483647;
  DBBIGINT bi = 9223372036854775807LL;
  DBBIT bit = 1;
  DBREAL real = 3.5f;
  DBFLT8 flt = 1.7976931348623157e308;
  DBDECIMAL dec, num;
  DBMONEY money;
  DBMONEY4 smallmoney;
  DBDATETIME dt;
  DBDATETIME4 sdt;
  BYTE bin8[8] = {0xDE, 0xAD, 0xBE, 0xEF, 0xCA, 0xFE, 0xBA, 0xBE};
  static const char* const dec_text = "1234567890123456789012345678.9012345678";
  if (!dbproc) {
    fail("login: %s", error_detail());
    return;
  }

  /* Values db-lib converts from text into its own binary forms before sending. */
  memset(&dec, 0, sizeof dec), memset(&num, 0, sizeof num);
  dec.precision = 38, dec.scale = 10, num.precision = 10, num.scale = 2;
  if (dbconvert(dbproc, SYBCHAR, (BYTE*)dec_text, -1, SYBDECIMAL, (BYTE*)&dec, sizeof dec) < 0 ||
      dbconvert(dbproc, SYBCHAR, (BYTE*)"99999999.99", -1, SYBNUMERIC, (BYTE*)&num, sizeof num) <
          0 ||
      dbconvert(dbproc, SYBCHAR, (BYTE*)"922337203685477.5807", -1, SYBMONEY, (BYTE*)&money,
                sizeof money) < 0 ||
      dbconvert(dbproc, SYBCHAR, (BYTE*)"214748.3647", -1, SYBMONEY4, (BYTE*)&smallmoney,
                sizeof smallmoney) < 0 ||
      dbconvert(dbproc, SYBCHAR, (BYTE*)"9999-12-31 23:59:59.997", -1, SYBDATETIME, (BYTE*)&dt,
                sizeof dt) < 0 ||
      dbconvert(dbproc, SYBCHAR, (BYTE*)"2079-06-06 23:59:00", -1, SYBDATETIME4, (BYTE*)&sdt,
                sizeof sdt) < 0) {
    fail("dbconvert of a parameter value failed: %s", error_detail());
    dbclose(dbproc);
    return;
  }
  {
    /* db-lib types of the parameters. Values over 8000 bytes go as SYBTEXT/SYBNTEXT/SYBIMAGE,
     * which FreeTDS sends as (max) types; as SYBVARCHAR/SYBVARBINARY it cuts them to 8000 bytes.
     * Text for the temporal types db-lib cannot send itself and
     * for the GUID (dbrpcparam takes SYBUNIQUE as fixed-length and then refuses its length). */
    struct param max[NCOLS + 1] = {
        {SYBVARCHAR, "max", 3},
        {SYBINT1, &ti, 1},
        {SYBINT2, &si, 2},
        {SYBINT4, &in, 4},
        {SYBINT8, &bi, 8},
        {SYBBIT, &bit, 1},
        {SYBREAL, &real, 4},
        {SYBFLT8, &flt, 8},
        {SYBDECIMAL, &dec, sizeof dec},
        {SYBNUMERIC, &num, sizeof num},
        {SYBMONEY, &money, 8},
        {SYBMONEY4, &smallmoney, 4},
        {SYBCHAR, "abc", 3},
        {SYBVARCHAR, varchar50, (int)strlen(varchar50)},
        {SYBVARCHAR, "日本", (int)strlen("日本")},
        {SYBVARCHAR, nvarchar50, (int)strlen(nvarchar50)},
        {SYBTEXT, varcharmax, (int)strlen(varcharmax)},
        {SYBNTEXT, nvarcharmax, (int)strlen(nvarcharmax)},
        {SYBBINARY, bin8, 8},
        {SYBVARBINARY, varbinary50, 50},
        {SYBIMAGE, varbinarymax, 102400},
        {SYBVARCHAR, "9999-12-31", 10},
        {SYBVARCHAR, "23:59:59.9999999", 16},
        {SYBDATETIME, &dt, 8},
        {SYBDATETIME4, &sdt, 4},
        {SYBVARCHAR, "9999-12-31 23:59:59.9999999", 27},
        {SYBVARCHAR, "2024-02-29 12:34:56.1234567 +05:30", 34},
        {SYBVARCHAR, "6F9619FF-8B86-D011-B42D-00C04FC964FF", 36},
    };
    memcpy(p, max, sizeof max);
  }
  snprintf(stmt, sizeof stmt, "INSERT INTO dbo.it_types (row_name, %s) VALUES (@row_name",
           column_list());
  strcpy(decls, "@row_name varchar(10)");
  names[0] = "@row_name";
  for (int i = 0; i < NCOLS; i++) {
    names[i + 1] = concat("@", COLUMNS[i][0]);
    strcat(stmt, ", ");
    strcat(stmt, names[i + 1]);
    strcat(decls, ", ");
    strcat(decls, names[i + 1]);
    strcat(decls, " ");
    strcat(decls, COLUMNS[i][1]);
  }
  strcat(stmt, ")");

  /* Row 1, all NULL: each parameter with its type and length 0. */
  {
    struct param nulls[NCOLS + 1];
    memcpy(nulls, p, sizeof nulls);
    nulls[0].value = "nulls", nulls[0].len = 5;
    /* Length 0 is NULL. db-lib sends a NULL SYBDECIMAL/SYBNUMERIC with precision 0 in its
     * TYPE_INFO, so those two NULLs go as (nvarchar) NULL text. */
    for (int i = 1; i <= NCOLS; i++) {
      if (nulls[i].type == SYBDECIMAL || nulls[i].type == SYBNUMERIC) nulls[i].type = SYBVARCHAR;
      nulls[i].value = NULL;
      nulls[i].len = 0;
    }
    long long n = rpc_executesql(dbproc, stmt, decls, (const char**)names, nulls, NCOLS + 1);
    if (n == -2)
      fail("RPC INSERT nulls: %s", error_detail());
    else
      check_int("row count of RPC INSERT nulls", n, 1);
  }
  /* Row 2, maximum values, through the same RPC. */
  {
    long long n = rpc_executesql(dbproc, stmt, decls, (const char**)names, p, NCOLS + 1);
    if (n == -2)
      fail("RPC INSERT max: %s", error_detail());
    else
      check_int("row count of RPC INSERT max", n, 1);
  }
  /* Row 3, minimum values and empty strings, as literals. */
  {
    char sql[4096];
    long long n;
    snprintf(sql, sizeof sql,
             "INSERT INTO dbo.it_types (row_name, %s) VALUES ('min', 0, -32768, -2147483648, "
             "-9223372036854775808, 0, -0.15625, -2.2250738585072014E-308, "
             "-1234567890123456789012345678.9012345678, -99999999.99, -922337203685477.5808, "
             "-214748.3648, '', '', N'', N'', '', N'', 0xFF, 0x, 0x, '0001-01-01', "
             "'00:00:00.0000000', '1753-01-01 00:00:00.000', '1900-01-01 00:00', "
             "'0001-01-01 00:00:00.0000000', '2001-02-03 04:05:06.7000000 -08:00', "
             "'00000000-0000-0000-0000-000000000000')",
             column_list());
    n = exec_batch(dbproc, sql);
    if (n == -2)
      fail("INSERT min: %s", error_detail());
    else
      check_int("row count of INSERT min", n, 1);
  }
  check_str("@@IDENTITY", scalar_text(dbproc, "SELECT CAST(@@IDENTITY AS int)"), "3");
  for (int i = 1; i <= NCOLS; i++) free(names[i]);
  dbclose(dbproc);
}

static void step_readback(void) {
  DBPROCESS* dbproc = connect_db();
  char sql[1024];
  static const char* row_names[] = {"nulls", "max", "min"};
  const char** wants[] = {NULL, WANT_MAX, WANT_MIN};
  int row = 0;
  if (!dbproc) {
    fail("login: %s", error_detail());
    return;
  }
  snprintf(sql, sizeof sql, "SELECT id, row_name, %s FROM dbo.it_types ORDER BY id", column_list());
  clear_errors();
  if (dbcmd(dbproc, sql) == FAIL || dbsqlexec(dbproc) == FAIL || dbresults(dbproc) != SUCCEED) {
    fail("SELECT: %s", error_detail());
    dbclose(dbproc);
    return;
  }
  while (dbnextrow(dbproc) != NO_MORE_ROWS) {
    if (row < 3) {
      char what[128], idtext[16];
      char *id = column_text(dbproc, 1), *name = column_text(dbproc, 2);
      snprintf(idtext, sizeof idtext, "%d", row + 1);
      snprintf(what, sizeof what, "%s.id", row_names[row]);
      check_str(what, id, idtext);
      snprintf(what, sizeof what, "%s.row_name", row_names[row]);
      check_str(what, name, row_names[row]);
      free(id), free(name);
      for (int i = 0; i < NCOLS; i++) {
        char* got = column_text(dbproc, i + 3);
        snprintf(what, sizeof what, "%s.%s", row_names[row], COLUMNS[i][0]);
        check_str(what, got, wants[row] ? wants[row][i] : NULL);
        free(got);
      }
    }
    row++;
  }
  while (dbresults(dbproc) != NO_MORE_RESULTS) {
  }
  check_int("row count", row, 3);
  dbclose(dbproc);
}

static void step_update_delete(void) {
  DBPROCESS* dbproc = connect_db();
  if (!dbproc) {
    fail("login: %s", error_detail());
    return;
  }
  check_int(
      "UPDATE count",
      exec_batch(dbproc,
                 "UPDATE dbo.it_types SET c_nvarchar = N'updated ✓' WHERE c_tinyint IS NOT NULL"),
      2);
  check_int("UPDATE of no row count",
            exec_batch(dbproc, "UPDATE dbo.it_types SET c_int = c_int WHERE id = -1"), 0);
  check_int("DELETE count", exec_batch(dbproc, "DELETE FROM dbo.it_types WHERE c_tinyint IS NULL"),
            1);
  check_str(
      "updated rows",
      scalar_text(dbproc, "SELECT COUNT(*) FROM dbo.it_types WHERE c_nvarchar = N'updated ✓'"),
      "2");
  check_str("rows left", scalar_text(dbproc, "SELECT COUNT(*) FROM dbo.it_types"), "2");
  dbclose(dbproc);
}

static void step_transactions(void) {
  DBPROCESS *other = connect_db(), *conn = connect_db();
  if (!other || !conn) {
    fail("login: %s", error_detail());
    return;
  }
  must_exec(conn, "BEGIN TRANSACTION");
  must_exec(conn, "INSERT INTO dbo.it_tx (id, note) VALUES (1, N'committed')");
  check_str("@@TRANCOUNT inside", scalar_text(conn, "SELECT @@TRANCOUNT"), "1");
  must_exec(conn, "COMMIT TRANSACTION");
  check_str("committed row seen by another session",
            scalar_text(other, "SELECT note FROM dbo.it_tx WHERE id = 1"), "committed");
  must_exec(conn, "BEGIN TRANSACTION");
  must_exec(conn, "INSERT INTO dbo.it_tx (id, note) VALUES (2, N'rolled back')");
  check_str("own insert visible inside", scalar_text(conn, "SELECT COUNT(*) FROM dbo.it_tx"), "2");
  must_exec(conn, "ROLLBACK TRANSACTION");
  check_str("rolled back row gone",
            scalar_text(conn, "SELECT COUNT(*) FROM dbo.it_tx WHERE id = 2"), "0");
  check_str("@@TRANCOUNT after", scalar_text(conn, "SELECT @@TRANCOUNT"), "0");
  check_str("rolled back row never seen by another session",
            scalar_text(other, "SELECT COUNT(*) FROM dbo.it_tx"), "1");
  dbclose(conn);
  dbclose(other);
}

/* sql must fail with SQL Server error number, of that severity and state 1. */
static void expect_error(DBPROCESS* dbproc, const char* what, const char* sql, int number,
                         int severity, const char* message_part) {
  if (exec_batch(dbproc, sql) != -2) {
    fail("%s: succeeded, want error %d", what, number);
    return;
  }
  if (last_msgno != number) {
    fail("%s: want error %d, got %s", what, number, error_detail());
  } else {
    char w[128];
    if (!strstr(last_msgtext, message_part))
      fail("%s: error %d message \"%s\" lacks \"%s\"", what, number, last_msgtext, message_part);
    snprintf(w, sizeof w, "%s severity", what);
    check_int(w, last_msgseverity, severity);
    snprintf(w, sizeof w, "%s state", what);
    check_int(w, last_msgstate, 1);
  }
}

static void step_errors(void) {
  DBPROCESS* dbproc = connect_db();
  if (!dbproc) {
    fail("login: %s", error_detail());
    return;
  }
  expect_error(
      dbproc, "duplicate key", "INSERT INTO dbo.it_tx (id, note) VALUES (1, N'duplicate')", 2627,
      14, "Cannot insert duplicate key in object 'dbo.it_tx'. The duplicate key value is (1).");
  expect_error(dbproc, "missing table", "SELECT * FROM dbo.no_such_table", 208, 16,
               "Invalid object name 'dbo.no_such_table'.");
  expect_error(dbproc, "syntax error", "SELECT 1 +", 102, 15, "Incorrect syntax near '+'.");
  check_str("connection still usable", scalar_text(dbproc, "SELECT 1"), "1");
  dbclose(dbproc);
}

static void step_cancel(void) {
  DBPROCESS* dbproc = connect_db();
  struct timespec start, at_cancel;
  double took;
  if (!dbproc) {
    fail("login: %s", error_detail());
    return;
  }
  clock_gettime(CLOCK_MONOTONIC, &start);
  if (dbcmd(dbproc, "WAITFOR DELAY '00:00:30'") == FAIL || dbsqlsend(dbproc) == FAIL) {
    fail("dbsqlsend: %s", error_detail());
    dbclose(dbproc);
    return;
  }
  {
    struct timespec half = {0, 500 * 1000 * 1000};
    nanosleep(&half, NULL);
  }
  clock_gettime(CLOCK_MONOTONIC, &at_cancel);
  if (dbcancel(dbproc) == FAIL) fail("dbcancel failed: %s", error_detail());
  took = seconds_since(&at_cancel);
  if (took >= 5) fail("dbcancel took %.1f s, want < 5 s", took);
  if (seconds_since(&start) >= 29) fail("WAITFOR ran to completion");
  check_str("SELECT 1 after cancel", scalar_text(dbproc, "SELECT 1"), "1");
  dbclose(dbproc);
}

static void step_tls(void) {
  DBPROCESS* dbproc = connect_to("edgesql_tls", database, password);
  if (!dbproc) {
    fail("login over TLS: %s", error_detail());
    return;
  }
  check_str("SELECT 1 over TLS", scalar_text(dbproc, "SELECT 1"), "1");
  {
    RETCODE rc;
    int rows = 0;
    clear_errors();
    if (dbcmd(dbproc, "SELECT c_nvarcharmax FROM dbo.it_types WHERE row_name = 'max'") == FAIL ||
        dbsqlexec(dbproc) == FAIL) {
      fail("nvarchar(max) over TLS: %s", error_detail());
    } else {
      while ((rc = dbresults(dbproc)) != NO_MORE_RESULTS && rc != FAIL) {
        while (dbnextrow(dbproc) != NO_MORE_ROWS) {
          char* got = column_text(dbproc, 1);
          check_str("nvarchar(max) over TLS", got, nvarcharmax);
          free(got);
          rows++;
        }
      }
      check_int("nvarchar(max) over TLS rows", rows, 1);
    }
  }
  dbclose(dbproc);
}

static void step_tls_forced(void) {
  DBPROCESS* dbproc = connect_to("edgesql_forced", "master", password);
  if (!dbproc) {
    fail("login over TLS (forced): %s", error_detail());
    return;
  }
  check_str("SELECT 1 over TLS (forced)", scalar_text(dbproc, "SELECT 1"), "1");
  dbclose(dbproc);
  dbproc = connect_to("edgesql_forced_off", "master", password); /* encryption = off */
  if (dbproc) {
    fail("login without TLS to a --force-encryption server succeeded");
    dbclose(dbproc);
  }
}

int main(void) {
  const char* client = getenv("EDGESQL_CLIENT");
  password = getenv("EDGESQL_PASSWORD");
  if (!password) password = "";
  snprintf(database, sizeof database, "it_%s", client && *client ? client : "dblib");
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (dbinit() == FAIL) {
    printf("FAIL login: dbinit failed\n");
    return 1;
  }
  dberrhandle(err_handler);
  dbmsghandle(msg_handler);
  dbsetlogintime(10);
  make_data();
  make_expected();
  printf("client FreeTDS db-lib %s as sa, database %s\n", dbversion(), database);
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
  dbexit();
  return any_failed ? 1 : 0;
}
