// The integration scenario (../README.md) driven by jTDS 1.3.1 (libjtds-java), a TDS 7.1 JDBC
// driver. Run with -Duser.timezone=UTC (java.sql.Timestamp values are local times).
//
// TDS 7.1 has no date, time, datetime2 or datetimeoffset on the wire: SQL Server sends them to
// such clients as nvarchar text, and a 7.1 client sends them as text too. varchar(max),
// nvarchar(max) and varbinary(max) travel as text, ntext and image. jTDS runs prepared
// statements with sp_prepare/sp_execute (its default prepareSQL=3), transactions with T-SQL
// (SET IMPLICIT_TRANSACTIONS ON, IF @@TRANCOUNT > 0 COMMIT/ROLLBACK TRAN), and cancels with
// Statement.cancel() from another thread (an ATTENTION packet).

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

public class Scenario {
  static final String HOST = env("EDGESQL_HOST", "127.0.0.1");
  static final String PORT = env("EDGESQL_PORT", "1433");
  static final String FORCED_PORT = env("EDGESQL_FORCED_PORT", "1434");
  static final String PASSWORD = env("EDGESQL_PASSWORD", "");
  static final String DATABASE = "it_" + env("EDGESQL_CLIENT", "jtds");

  static String env(String name, String def) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? def : v;
  }

  // useLOBs=false: text/ntext/image come back as String and byte[] rather than Clob/Blob.
  static String url(String db, String port, String ssl) {
    return "jdbc:jtds:sqlserver://" + HOST + ":" + port + "/" + db
        + ";useLOBs=false;loginTimeout=10;ssl=" + ssl;
  }

  static Connection connect(String db, String port, String password, String ssl)
      throws SQLException {
    return DriverManager.getConnection(url(db, port, ssl), "sa", password);
  }

  static Connection connect() throws SQLException {
    return connect(DATABASE, PORT, PASSWORD, "off");
  }

  // ---- the scenario's data ----

  static final String[][] COLUMNS = {
    {"c_tinyint", "tinyint"}, {"c_smallint", "smallint"}, {"c_int", "int"},
    {"c_bigint", "bigint"}, {"c_bit", "bit"}, {"c_real", "real"}, {"c_float", "float"},
    {"c_decimal", "decimal(38,10)"}, {"c_numeric", "numeric(10,2)"}, {"c_money", "money"},
    {"c_smallmoney", "smallmoney"}, {"c_char", "char(10)"}, {"c_varchar", "varchar(50)"},
    {"c_nchar", "nchar(10)"}, {"c_nvarchar", "nvarchar(50)"}, {"c_varcharmax", "varchar(max)"},
    {"c_nvarcharmax", "nvarchar(max)"}, {"c_binary", "binary(8)"},
    {"c_varbinary", "varbinary(50)"}, {"c_varbinarymax", "varbinary(max)"}, {"c_date", "date"},
    {"c_time", "time(7)"}, {"c_datetime", "datetime"}, {"c_smalldatetime", "smalldatetime"},
    {"c_datetime2", "datetime2(7)"}, {"c_dto", "datetimeoffset(7)"},
    {"c_guid", "uniqueidentifier"},
  };
  // The JDBC type each column's parameter is bound with (setNull uses it for the NULL row).
  static final int[] SQL_TYPES = {
    Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.BIT, Types.REAL,
    Types.DOUBLE, Types.DECIMAL, Types.NUMERIC, Types.DECIMAL, Types.DECIMAL, Types.CHAR,
    Types.VARCHAR, Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.LONGVARCHAR, Types.BINARY,
    Types.VARBINARY, Types.LONGVARBINARY, Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP,
    Types.TIMESTAMP, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
  };
  // The type names jTDS reports for the result columns of a 7.1 session.
  static final String[] TYPE_NAMES = {
    "tinyint", "smallint", "int", "bigint", "bit", "real", "float", "decimal", "numeric",
    "money", "smallmoney", "char", "varchar", "nchar", "nvarchar", "text", "ntext", "binary",
    "varbinary", "image", "nvarchar", "nvarchar", "datetime", "smalldatetime", "nvarchar",
    "nvarchar", "uniqueidentifier",
  };

  static final String VARCHAR50 = "é€" + "0123456789".repeat(4) + "abcdefgh";
  static final String NVARCHAR50 = "é日本語😀" + "n".repeat(44);
  static final String VARCHARMAX = "é€".repeat(5000);
  static final String NVARCHARMAX = "ab日本é".repeat(20000);
  static final byte[] VARBINARY50 = seq(50, 256);
  static final byte[] VARBINARYMAX = seq(102400, 251);

  static byte[] seq(int n, int mod) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i % mod);
    return b;
  }

  static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    return b;
  }

  // Values as bound and as read back: the same Java objects, except char/nchar/binary padding.
  static final Object[] MAX = {
    255, 32767, 2147483647, Long.MAX_VALUE, true, 3.5f, 1.7976931348623157e308,
    new BigDecimal("1234567890123456789012345678.9012345678"), new BigDecimal("99999999.99"),
    new BigDecimal("922337203685477.5807"), new BigDecimal("214748.3647"), "abc", VARCHAR50,
    "日本", NVARCHAR50, VARCHARMAX, NVARCHARMAX, hex("DEADBEEFCAFEBABE"), VARBINARY50,
    VARBINARYMAX, "9999-12-31", "23:59:59.9999999", Timestamp.valueOf("9999-12-31 23:59:59.997"),
    Timestamp.valueOf("2079-06-06 23:59:00"), "9999-12-31 23:59:59.9999999",
    "2024-02-29 12:34:56.1234567 +05:30", "6F9619FF-8B86-D011-B42D-00C04FC964FF",
  };
  static final Object[] MIN = {
    0, -32768, -2147483648, Long.MIN_VALUE, false, -0.15625f, -2.2250738585072014e-308,
    new BigDecimal("-1234567890123456789012345678.9012345678"), new BigDecimal("-99999999.99"),
    new BigDecimal("-922337203685477.5808"), new BigDecimal("-214748.3648"), "", "", "", "", "", "",
    hex("FF"), new byte[0], new byte[0], "0001-01-01", "00:00:00.0000000",
    Timestamp.valueOf("1753-01-01 00:00:00"), Timestamp.valueOf("1900-01-01 00:00:00"),
    "0001-01-01 00:00:00.0000000", "2001-02-03 04:05:06.7000000 -08:00",
    "00000000-0000-0000-0000-000000000000",
  };
  static final Object[] NULLS = new Object[COLUMNS.length];
  static final String[] ROW_NAMES = {"nulls", "max", "min"};
  static final Object[][] ROWS = {NULLS, MAX, MIN};

  static Object[] readMax() {
    Object[] r = MAX.clone();
    r[index("c_char")] = "abc       ";
    r[index("c_nchar")] = "日本        ";
    return r;
  }

  static Object[] readMin() {
    Object[] r = MIN.clone();
    r[index("c_char")] = "          ";
    r[index("c_nchar")] = "          ";
    r[index("c_binary")] = hex("FF00000000000000");
    return r;
  }

  static int index(String name) {
    for (int i = 0; i < COLUMNS.length; i++) if (COLUMNS[i][0].equals(name)) return i;
    throw new IllegalArgumentException(name);
  }

  static String columnList() {
    List<String> n = new ArrayList<>();
    for (String[] c : COLUMNS) n.add(c[0]);
    return String.join(", ", n);
  }

  // ---- reporting ----

  static class Step {
    final List<String> failures = new ArrayList<>();

    void fail(String detail) {
      failures.add(detail);
    }

    boolean check(String what, Object got, Object want) {
      boolean ok = want instanceof byte[]
          ? got instanceof byte[] && Arrays.equals((byte[]) got, (byte[]) want)
          : Objects.equals(got, want);
      if (!ok) fail(what + ": got " + show(got) + ", want " + show(want));
      return ok;
    }

    void expectError(String what, SqlAction action, int number, String messagePart) {
      try {
        action.run();
        fail(what + ": succeeded, want error " + number);
      } catch (SQLException e) {
        if (e.getErrorCode() != number) {
          fail(what + ": want error " + number + ", got " + e.getErrorCode() + " (" + e.getMessage() + ")");
        } else if (!e.getMessage().contains(messagePart)) {
          fail(what + ": error " + number + " message \"" + e.getMessage() + "\" lacks \"" + messagePart + "\"");
        }
      }
    }
  }

  static String show(Object v) {
    if (v == null) return "null";
    String type = v.getClass().getSimpleName();
    if (v instanceof byte[]) {
      byte[] b = (byte[]) v;
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < Math.min(b.length, 24); i++) sb.append(String.format("%02x", b[i]));
      return "byte[" + b.length + "] " + sb + (b.length > 24 ? "..." : "");
    }
    String s = v.toString();
    if (s.length() > 60) s = s.substring(0, 60) + "...(length " + s.length() + ")";
    return type + " " + s;
  }

  interface SqlAction {
    void run() throws SQLException;
  }

  interface StepBody {
    void run(Step s) throws Exception;
  }

  static boolean failed = false;
  static String blocker = null;

  static void run(String name, StepBody body, boolean required) {
    if (blocker != null) {
      System.out.println("FAIL " + name + ": not run, step " + blocker + " failed");
      return;
    }
    Step s = new Step();
    try {
      body.run(s);
    } catch (Exception e) {
      String detail = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
      if (e instanceof SQLException) detail += " (error " + ((SQLException) e).getErrorCode() + ")";
      s.fail(detail);
    }
    if (s.failures.isEmpty()) {
      System.out.println("PASS " + name);
    } else {
      failed = true;
      for (String f : s.failures) System.out.println("FAIL " + name + ": " + f);
      if (required) blocker = name;
    }
    System.out.flush();
  }

  static Object scalar(Connection conn, String sql) throws SQLException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    }
  }

  static Object scalar(Connection conn, String sql, Object param) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setObject(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1);
      }
    }
  }

  static void exec(Connection conn, String sql) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute(sql);
    }
  }

  // ---- steps ----

  static void login(Step s) throws Exception {
    try (Connection conn = connect("master", PORT, PASSWORD, "off")) {
      s.check("SELECT 1", scalar(conn, "SELECT 1"), 1);
      s.check("DB_NAME() after login", scalar(conn, "SELECT DB_NAME()"), "master");
    }
    s.expectError("wrong password", () -> connect("master", PORT, PASSWORD + "x", "off").close(),
        18456, "Login failed for user 'sa'");
  }

  static void schema(Step s) throws Exception {
    try (Connection conn = connect("master", PORT, PASSWORD, "off")) {
      exec(conn, "CREATE DATABASE " + DATABASE);
    }
    try (Connection conn = connect()) {
      s.check("DB_NAME()", scalar(conn, "SELECT DB_NAME()"), DATABASE);
      List<String> defs = new ArrayList<>();
      for (String[] c : COLUMNS) defs.add(c[0] + " " + c[1] + " NULL");
      exec(conn, "CREATE TABLE dbo.it_types (id int IDENTITY(1,1) PRIMARY KEY, "
          + "row_name varchar(10) NOT NULL, " + String.join(", ", defs) + ")");
      exec(conn, "CREATE TABLE dbo.it_tx (id int PRIMARY KEY, note nvarchar(20) NOT NULL)");
    }
  }

  static void insert(Step s) throws Exception {
    String marks = "?" + ", ?".repeat(COLUMNS.length);
    String sql = "INSERT INTO dbo.it_types (row_name, " + columnList() + ") VALUES (" + marks + ")";
    try (Connection conn = connect(); PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int r = 0; r < ROWS.length; r++) {
        ps.setString(1, ROW_NAMES[r]);
        for (int i = 0; i < COLUMNS.length; i++) {
          Object v = ROWS[r][i];
          if (v == null) {
            ps.setNull(i + 2, SQL_TYPES[i]);
          } else {
            ps.setObject(i + 2, v, SQL_TYPES[i] == Types.TINYINT ? Types.INTEGER : SQL_TYPES[i]);
          }
        }
        s.check("update count of INSERT " + ROW_NAMES[r], ps.executeUpdate(), 1);
      }
      s.check("@@IDENTITY", scalar(conn, "SELECT CAST(@@IDENTITY AS int)"), 3);
    }
  }

  static void readback(Step s) throws Exception {
    Object[][] want = {NULLS, readMax(), readMin()};
    try (Connection conn = connect();
         Statement st = conn.createStatement();
         ResultSet rs = st.executeQuery(
             "SELECT id, row_name, " + columnList() + " FROM dbo.it_types ORDER BY id")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 0; i < COLUMNS.length; i++) {
        s.check(COLUMNS[i][0] + " type name", md.getColumnTypeName(i + 3), TYPE_NAMES[i]);
      }
      s.check("c_decimal precision", md.getPrecision(index("c_decimal") + 3), 38);
      s.check("c_decimal scale", md.getScale(index("c_decimal") + 3), 10);
      int row = 0;
      while (rs.next()) {
        if (row < want.length) {
          String name = ROW_NAMES[row];
          s.check(name + ".id", rs.getObject(1), row + 1);
          s.check(name + ".row_name", rs.getObject(2), name);
          for (int i = 0; i < COLUMNS.length; i++) {
            // JDBC's getObject maps tinyint and smallint to Integer.
            s.check(name + "." + COLUMNS[i][0], rs.getObject(i + 3), want[row][i]);
          }
        }
        row++;
      }
      s.check("row count", row, 3);
    }
  }

  static void updateDelete(Step s) throws Exception {
    try (Connection conn = connect()) {
      try (PreparedStatement ps = conn.prepareStatement(
               "UPDATE dbo.it_types SET c_nvarchar = ? WHERE c_tinyint IS NOT NULL")) {
        ps.setString(1, "updated ✓");
        s.check("UPDATE count", ps.executeUpdate(), 2);
      }
      try (PreparedStatement ps = conn.prepareStatement(
               "UPDATE dbo.it_types SET c_int = c_int WHERE id = ?")) {
        ps.setInt(1, -1);
        s.check("UPDATE of no row count", ps.executeUpdate(), 0);
      }
      try (Statement st = conn.createStatement()) {
        s.check("DELETE count", st.executeUpdate("DELETE FROM dbo.it_types WHERE c_tinyint IS NULL"), 1);
      }
      s.check("updated rows",
          scalar(conn, "SELECT COUNT(*) FROM dbo.it_types WHERE c_nvarchar = ?", "updated ✓"), 2);
      s.check("rows left", scalar(conn, "SELECT COUNT(*) FROM dbo.it_types"), 2);
    }
  }

  static void transactions(Step s) throws Exception {
    String ins = "INSERT INTO dbo.it_tx (id, note) VALUES (?, ?)";
    try (Connection other = connect(); Connection conn = connect()) {
      conn.setAutoCommit(false);
      try (PreparedStatement ps = conn.prepareStatement(ins)) {
        ps.setInt(1, 1);
        ps.setString(2, "committed");
        ps.executeUpdate();
      }
      s.check("@@TRANCOUNT inside", scalar(conn, "SELECT @@TRANCOUNT"), 1);
      conn.commit();
      s.check("committed row seen by another session",
          scalar(other, "SELECT note FROM dbo.it_tx WHERE id = 1"), "committed");
      try (PreparedStatement ps = conn.prepareStatement(ins)) {
        ps.setInt(1, 2);
        ps.setString(2, "rolled back");
        ps.executeUpdate();
      }
      s.check("own insert visible inside", scalar(conn, "SELECT COUNT(*) FROM dbo.it_tx"), 2);
      conn.rollback();
      s.check("rolled back row gone", scalar(conn, "SELECT COUNT(*) FROM dbo.it_tx WHERE id = 2"), 0);
      conn.setAutoCommit(true);
      s.check("@@TRANCOUNT after", scalar(conn, "SELECT @@TRANCOUNT"), 0);
      s.check("rolled back row never seen by another session",
          scalar(other, "SELECT COUNT(*) FROM dbo.it_tx"), 1);
    }
  }

  static void errors(Step s) throws Exception {
    try (Connection conn = connect()) {
      s.expectError("duplicate key", () -> {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO dbo.it_tx (id, note) VALUES (?, ?)")) {
          ps.setInt(1, 1);
          ps.setString(2, "duplicate");
          ps.executeUpdate();
        }
      }, 2627, "Cannot insert duplicate key in object 'dbo.it_tx'. The duplicate key value is (1).");
      s.expectError("missing table", () -> scalar(conn, "SELECT * FROM dbo.no_such_table"),
          208, "Invalid object name 'dbo.no_such_table'.");
      s.expectError("syntax error", () -> exec(conn, "SELECT 1 +"), 102, "Incorrect syntax near '+'.");
      s.check("connection still usable", scalar(conn, "SELECT 1"), 1);
    }
  }

  static void cancel(Step s) throws Exception {
    try (Connection conn = connect(); Statement st = conn.createStatement()) {
      long[] cancelAt = {0};
      Thread canceller = new Thread(() -> {
        try {
          Thread.sleep(500);
          cancelAt[0] = System.nanoTime();
          st.cancel();
        } catch (Exception e) {
          System.out.println("cancel thread: " + e);
        }
      });
      long start = System.nanoTime();
      canceller.start();
      try {
        st.execute("WAITFOR DELAY '00:00:30'");
        s.fail("WAITFOR completed, want it cancelled");
      } catch (SQLException e) {
        // jTDS reports the cancelled statement as an exception (SQLState HY008).
        s.check("SQLState of the cancelled statement", e.getSQLState(), "HY008");
      }
      long end = System.nanoTime();
      canceller.join();
      if (cancelAt[0] != 0 && end - cancelAt[0] >= 5_000_000_000L) {
        s.fail(String.format("cancel took %.1f s, want < 5 s", (end - cancelAt[0]) / 1e9));
      }
      if (end - start >= 29_000_000_000L) s.fail("WAITFOR ran to completion");
      s.check("SELECT 1 after cancel", scalar(conn, "SELECT 1"), 1);
    }
  }

  static void tls(Step s) throws Exception {
    try (Connection conn = connect(DATABASE, PORT, PASSWORD, "require")) {
      s.check("SELECT 1 over TLS", scalar(conn, "SELECT 1"), 1);
      s.check("nvarchar(max) over TLS",
          scalar(conn, "SELECT c_nvarcharmax FROM dbo.it_types WHERE row_name = 'max'"), NVARCHARMAX);
    }
  }

  static void tlsForced(Step s) throws Exception {
    try (Connection conn = connect("master", FORCED_PORT, PASSWORD, "require")) {
      s.check("SELECT 1 over TLS (forced)", scalar(conn, "SELECT 1"), 1);
    }
    try {
      connect("master", FORCED_PORT, PASSWORD, "off").close();
      s.fail("login without TLS to a --force-encryption server succeeded");
    } catch (SQLException e) {
      // refused: ssl=off announces ENCRYPT_NOT_SUP
    }
  }

  public static void main(String[] args) throws Exception {
    Class.forName("net.sourceforge.jtds.jdbc.Driver");
    System.out.println("client jTDS " + new net.sourceforge.jtds.jdbc.Driver().getMajorVersion() + "."
        + new net.sourceforge.jtds.jdbc.Driver().getMinorVersion() + " as sa on " + HOST + ":" + PORT
        + ", database " + DATABASE);
    run("login", Scenario::login, true);
    run("schema", Scenario::schema, false);
    run("insert", Scenario::insert, false);
    run("readback", Scenario::readback, false);
    run("update-delete", Scenario::updateDelete, false);
    run("transactions", Scenario::transactions, false);
    run("errors", Scenario::errors, false);
    run("cancel", Scenario::cancel, false);
    run("tls", Scenario::tls, false);
    run("tls-forced", Scenario::tlsForced, false);
    System.exit(failed ? 1 : 0);
  }
}
