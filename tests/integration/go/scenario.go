// The integration scenario (../README.md) driven by go-mssqldb, Debian's 2017 snapshot
// (golang-github-denisenkom-go-mssqldb-dev), through database/sql. Build in GOPATH mode:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o it_go scenario.go bulk.go
//
// Parameters go to sp_executesql; the driver types them itself: int64 as bigint, float64 as
// float, string as nvarchar, []byte as varbinary, bool as bit, time.Time as datetimeoffset(7)
// (with its zone's offset and nanoseconds, so every temporal column gets its exact value).
// Transactions are TM requests (BeginTx/Commit/Rollback); cancel is a cancelled context, which
// the driver turns into an ATTENTION packet.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"time"

	mssql "github.com/denisenkom/go-mssqldb"
)

var (
	host       = envOr("EDGESQL_HOST", "127.0.0.1")
	port       = envOr("EDGESQL_PORT", "1433")
	forcedPort = envOr("EDGESQL_FORCED_PORT", "1434")
	password   = os.Getenv("EDGESQL_PASSWORD")
	database   = "it_" + envOr("EDGESQL_CLIENT", "go")
)

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// dsn builds the ADO-style connection string this driver version understands.
func dsn(db, port, pw, encrypt string) string {
	s := fmt.Sprintf("server=%s;port=%s;user id=sa;password=%s;database=%s;dial timeout=10;"+
		"connection timeout=30", host, port, pw, db)
	if encrypt != "" {
		s += ";encrypt=" + encrypt + ";TrustServerCertificate=true"
	}
	return s
}

// open returns a pool limited to one connection that has logged in.
func open(db, port, pw, encrypt string) (*sql.DB, error) {
	pool, err := sql.Open("sqlserver", dsn(db, port, pw, encrypt))
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(1)
	if err := pool.Ping(); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

var columns = [][2]string{
	{"c_tinyint", "tinyint"}, {"c_smallint", "smallint"}, {"c_int", "int"}, {"c_bigint", "bigint"},
	{"c_bit", "bit"}, {"c_real", "real"}, {"c_float", "float"}, {"c_decimal", "decimal(38,10)"},
	{"c_numeric", "numeric(10,2)"}, {"c_money", "money"}, {"c_smallmoney", "smallmoney"},
	{"c_char", "char(10)"}, {"c_varchar", "varchar(50)"}, {"c_nchar", "nchar(10)"},
	{"c_nvarchar", "nvarchar(50)"}, {"c_varcharmax", "varchar(max)"},
	{"c_nvarcharmax", "nvarchar(max)"}, {"c_binary", "binary(8)"}, {"c_varbinary", "varbinary(50)"},
	{"c_varbinarymax", "varbinary(max)"}, {"c_date", "date"}, {"c_time", "time(7)"},
	{"c_datetime", "datetime"}, {"c_smalldatetime", "smalldatetime"},
	{"c_datetime2", "datetime2(7)"}, {"c_dto", "datetimeoffset(7)"}, {"c_guid", "uniqueidentifier"},
}

func names() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c[0]
	}
	return out
}

var (
	varchar50    = "é€" + strings.Repeat("0123456789", 4) + "abcdefgh"
	nvarchar50   = "é日本語😀" + strings.Repeat("n", 44)
	varcharMax   = strings.Repeat("é€", 5000)
	nvarcharMax  = strings.Repeat("ab日本é", 20000)
	varbinary50  = seq(50, 256)
	varbinaryMax = seq(102400, 251)
	tz0530       = time.FixedZone("", 5*3600+30*60)
	tzM0800      = time.FixedZone("", -8*3600)
)

func seq(n, mod int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % mod)
	}
	return b
}

func utc(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
}

// The values inserted. decimal and money have no Go type in this driver, so they go as text
// (nvarchar) and the server converts them, as it does the GUID text.
var rowMax = map[string]interface{}{
	"c_tinyint": int64(255), "c_smallint": int64(32767), "c_int": int64(2147483647),
	"c_bigint": int64(math.MaxInt64), "c_bit": true, "c_real": 3.5,
	"c_float": 1.7976931348623157e308, "c_decimal": "1234567890123456789012345678.9012345678",
	"c_numeric": "99999999.99", "c_money": "922337203685477.5807", "c_smallmoney": "214748.3647",
	"c_char": "abc", "c_varchar": varchar50, "c_nchar": "日本", "c_nvarchar": nvarchar50,
	"c_varcharmax": varcharMax, "c_nvarcharmax": nvarcharMax,
	"c_binary": []byte{0xDE, 0xAD, 0xBE, 0xEF, 0xCA, 0xFE, 0xBA, 0xBE}, "c_varbinary": varbinary50,
	"c_varbinarymax": varbinaryMax, "c_date": utc(9999, 12, 31, 0, 0, 0, 0),
	"c_time":          utc(1, 1, 1, 23, 59, 59, 999999900),
	"c_datetime":      utc(9999, 12, 31, 23, 59, 59, 997000000),
	"c_smalldatetime": utc(2079, 6, 6, 23, 59, 0, 0),
	"c_datetime2":     utc(9999, 12, 31, 23, 59, 59, 999999900),
	"c_dto":           time.Date(2024, 2, 29, 12, 34, 56, 123456700, tz0530),
	"c_guid":          "6F9619FF-8B86-D011-B42D-00C04FC964FF",
}
var rowMin = map[string]interface{}{
	"c_tinyint": int64(0), "c_smallint": int64(-32768), "c_int": int64(-2147483648),
	"c_bigint": int64(math.MinInt64), "c_bit": false, "c_real": -0.15625,
	"c_float": -2.2250738585072014e-308, "c_decimal": "-1234567890123456789012345678.9012345678",
	"c_numeric": "-99999999.99", "c_money": "-922337203685477.5808", "c_smallmoney": "-214748.3648",
	"c_char": "", "c_varchar": "", "c_nchar": "", "c_nvarchar": "", "c_varcharmax": "",
	"c_nvarcharmax": "", "c_binary": []byte{0xFF}, "c_varbinary": []byte{}, "c_varbinarymax": []byte{},
	"c_date": utc(1, 1, 1, 0, 0, 0, 0), "c_time": utc(1, 1, 1, 0, 0, 0, 0),
	"c_datetime": utc(1753, 1, 1, 0, 0, 0, 0), "c_smalldatetime": utc(1900, 1, 1, 0, 0, 0, 0),
	"c_datetime2": utc(1, 1, 1, 0, 0, 0, 0),
	"c_dto":       time.Date(2001, 2, 3, 4, 5, 6, 700000000, tzM0800),
	"c_guid":      "00000000-0000-0000-0000-000000000000",
}

type namedRow struct {
	name   string
	values map[string]interface{}
}

var insertRows = []namedRow{{"nulls", map[string]interface{}{}}, {"max", rowMax}, {"min", rowMin}}

// What the driver returns: integers as int64, real and float as float64, decimal and money as
// their digits in []byte, strings as string, binary as []byte, temporal types as time.Time (UTC,
// except datetimeoffset in a zone with its offset), uniqueidentifier as its 16 wire bytes.
func readMax() map[string]interface{} {
	m := map[string]interface{}{}
	for k, v := range rowMax {
		m[k] = v
	}
	m["c_decimal"] = []byte("1234567890123456789012345678.9012345678")
	m["c_numeric"] = []byte("99999999.99")
	m["c_money"] = []byte("922337203685477.5807")
	m["c_smallmoney"] = []byte("214748.3647")
	m["c_char"] = "abc       "
	m["c_nchar"] = "日本        "
	m["c_guid"] = []byte{0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF}
	return m
}

func readMin() map[string]interface{} {
	m := map[string]interface{}{}
	for k, v := range rowMin {
		m[k] = v
	}
	m["c_decimal"] = []byte("-1234567890123456789012345678.9012345678")
	m["c_numeric"] = []byte("-99999999.99")
	m["c_money"] = []byte("-922337203685477.5808")
	m["c_smallmoney"] = []byte("-214748.3648")
	m["c_char"] = "          "
	m["c_nchar"] = "          "
	m["c_binary"] = []byte{0xFF, 0, 0, 0, 0, 0, 0, 0}
	m["c_guid"] = make([]byte, 16)
	return m
}

// Column metadata as SQL Server describes the table (nullable columns use the N types); the
// driver names NUMERIC "DECIMAL" and has no name for BINARY (it panics), so c_binary is skipped.
var wantDecimalSize = map[string][2]int64{"c_decimal": {38, 10}, "c_numeric": {10, 2}}

var wantTypeNames = map[string]string{
	"c_tinyint": "TINYINT", "c_smallint": "SMALLINT", "c_int": "INT", "c_bigint": "BIGINT",
	"c_bit": "BIT", "c_real": "REAL", "c_float": "FLOAT", "c_decimal": "DECIMAL",
	"c_numeric": "DECIMAL", "c_money": "MONEY", "c_smallmoney": "SMALLMONEY", "c_char": "CHAR",
	"c_varchar": "VARCHAR", "c_nchar": "NCHAR", "c_nvarchar": "NVARCHAR", "c_varcharmax": "VARCHAR",
	"c_nvarcharmax": "NVARCHAR", "c_varbinary": "VARBINARY", "c_varbinarymax": "VARBINARY",
	"c_date": "DATE", "c_time": "TIME", "c_datetime": "DATETIME", "c_smalldatetime": "SMALLDATETIME",
	"c_datetime2": "DATETIME2", "c_dto": "DATETIMEOFFSET", "c_guid": "UNIQUEIDENTIFIER",
}

// ---- reporting ----

type step struct {
	name     string
	failures []string
}

func (s *step) fail(format string, args ...interface{}) {
	s.failures = append(s.failures, fmt.Sprintf(format, args...))
}

func show(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case []byte:
		if len(x) > 24 {
			return fmt.Sprintf("[]byte(%d) %x...", len(x), x[:24])
		}
		return fmt.Sprintf("[]byte(%d) %x", len(x), x)
	case string:
		if len(x) > 60 {
			return fmt.Sprintf("string(%d) %q...", len(x), x[:60])
		}
		return fmt.Sprintf("string %q", x)
	case time.Time:
		_, off := x.Zone()
		return fmt.Sprintf("time.Time %s (offset %d s)", x.Format("2006-01-02 15:04:05.999999999 -07:00"), off)
	}
	return fmt.Sprintf("%T %v", v, v)
}

func same(got, want interface{}) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case []byte:
		g, ok := got.([]byte)
		return ok && bytes.Equal(g, w)
	case time.Time:
		g, ok := got.(time.Time)
		if !ok {
			return false
		}
		_, go1 := g.Zone()
		_, wo := w.Zone()
		return g.Equal(w) && go1 == wo
	}
	return reflect.TypeOf(got) == reflect.TypeOf(want) && got == want
}

func (s *step) check(what string, got, want interface{}) bool {
	if same(got, want) {
		return true
	}
	s.fail("%s: got %s, want %s", what, show(got), show(want))
	return false
}

// expectError checks that err is SQL Server error number with its severity (class), state 1 and
// a message containing messagePart.
func (s *step) expectError(what string, err error, number int32, class uint8, messagePart string) {
	if err == nil {
		s.fail("%s: succeeded, want error %d", what, number)
		return
	}
	var e mssql.Error
	if !errors.As(err, &e) {
		s.fail("%s: want error %d, got %T %v", what, number, err, err)
		return
	}
	if e.Number != number {
		s.fail("%s: want error %d, got %d (%s)", what, number, e.Number, e.Message)
		return
	}
	if !strings.Contains(e.Message, messagePart) {
		s.fail("%s: error %d message %q lacks %q", what, number, e.Message, messagePart)
	}
	s.check(what+" class", e.Class, class)
	s.check(what+" state", e.State, uint8(1))
}

type reporter struct {
	failed  bool
	blocker string
}

func (r *reporter) run(name string, fn func(*step), required bool) {
	if r.blocker != "" {
		fmt.Printf("FAIL %s: not run, step %s failed\n", name, r.blocker)
		return
	}
	s := &step{name: name}
	func() {
		defer func() {
			if p := recover(); p != nil {
				s.fail("panic: %v", p)
			}
		}()
		fn(s)
	}()
	if len(s.failures) > 0 {
		r.failed = true
		for _, f := range s.failures {
			fmt.Printf("FAIL %s: %s\n", name, f)
		}
		if required {
			r.blocker = name
		}
	} else {
		fmt.Printf("PASS %s\n", name)
	}
}

// must turns an unexpected error into a step failure that stops the step.
type stepAbort struct{ err error }

func must(err error) {
	if err != nil {
		panic(stepAbort{err})
	}
}

func scalar(q interface {
	QueryRow(string, ...interface{}) *sql.Row
}, query string, args ...interface{}) interface{} {
	var v interface{}
	must(q.QueryRow(query, args...).Scan(&v))
	return v
}

// ---- steps ----

func stepLogin(s *step) {
	db, err := open("master", port, password, "")
	must(err)
	defer db.Close()
	s.check("SELECT 1", scalar(db, "SELECT 1"), int64(1))
	s.check("DB_NAME() after login", scalar(db, "SELECT DB_NAME()"), "master")
	// The driver wraps the login ERROR token in a plain error: "Login error: mssql: <message>".
	_, err = open("master", port, password+"x", "")
	if err == nil {
		s.fail("wrong password: login succeeded, want error 18456")
	} else if !strings.Contains(err.Error(), "Login failed for user 'sa'.") {
		s.fail("wrong password: want error 18456 (Login failed for user 'sa'.), got %v", err)
	}
}

func stepSchema(s *step) {
	db, err := open("master", port, password, "")
	must(err)
	_, err = db.Exec("CREATE DATABASE " + database)
	db.Close()
	must(err)
	db, err = open(database, port, password, "")
	must(err)
	defer db.Close()
	s.check("DB_NAME()", scalar(db, "SELECT DB_NAME()"), database)
	var defs []string
	for _, c := range columns {
		defs = append(defs, c[0]+" "+c[1]+" NULL")
	}
	_, err = db.Exec("CREATE TABLE dbo.it_types (id int IDENTITY(1,1) PRIMARY KEY, " +
		"row_name varchar(10) NOT NULL, " + strings.Join(defs, ", ") + ")")
	must(err)
	_, err = db.Exec("CREATE TABLE dbo.it_tx (id int PRIMARY KEY, note nvarchar(20) NOT NULL)")
	must(err)
}

func stepInsert(s *step) {
	db, err := open(database, port, password, "")
	must(err)
	defer db.Close()
	// A nil argument is sent as an nvarchar NULL, which SQL Server does not convert implicitly
	// to binary types; the binary columns take their argument through CONVERT.
	var vals []string
	for i, c := range columns {
		p := fmt.Sprintf("@p%d", i+2)
		if strings.Contains(c[1], "binary") {
			p = "CONVERT(varbinary(max), " + p + ")"
		}
		vals = append(vals, p)
	}
	query := "INSERT INTO dbo.it_types (row_name, " + strings.Join(names(), ", ") +
		") VALUES (@p1, " + strings.Join(vals, ", ") + ")"
	for _, row := range insertRows {
		args := []interface{}{row.name}
		for _, n := range names() {
			args = append(args, row.values[n])
		}
		res, err := db.Exec(query, args...)
		must(err)
		n, err := res.RowsAffected()
		must(err)
		s.check("RowsAffected of INSERT "+row.name, n, int64(1))
	}
	s.check("@@IDENTITY", scalar(db, "SELECT CAST(@@IDENTITY AS int)"), int64(3))
}

func stepReadback(s *step) {
	db, err := open(database, port, password, "")
	must(err)
	defer db.Close()
	// ColumnTypes names every column, and this driver panics on BINARY: c_binary is left out.
	var metaCols []string
	for _, n := range names() {
		if n != "c_binary" {
			metaCols = append(metaCols, n)
		}
	}
	meta, err := db.Query("SELECT id, row_name, " + strings.Join(metaCols, ", ") + " FROM dbo.it_types WHERE 1 = 0")
	must(err)
	types, err := meta.ColumnTypes()
	meta.Close()
	must(err)
	s.check("id type", types[0].DatabaseTypeName(), "INT")
	s.check("row_name type", types[1].DatabaseTypeName(), "VARCHAR")
	for i, n := range metaCols {
		s.check(n+" type", types[i+2].DatabaseTypeName(), wantTypeNames[n])
		if want, ok := wantDecimalSize[n]; ok {
			p, sc, ok := types[i+2].DecimalSize()
			if !ok || p != want[0] || sc != want[1] {
				s.fail("%s precision/scale: got (%d,%d,%v), want (%d,%d)", n, p, sc, ok, want[0], want[1])
			}
		}
	}
	rows, err := db.Query("SELECT id, row_name, " + strings.Join(names(), ", ") + " FROM dbo.it_types ORDER BY id")
	must(err)
	defer rows.Close()
	wants := []namedRow{{"nulls", map[string]interface{}{}}, {"max", readMax()}, {"min", readMin()}}
	count := 0
	for rows.Next() {
		vals := make([]interface{}, len(columns)+2)
		ptrs := make([]interface{}, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		must(rows.Scan(ptrs...))
		if count < len(wants) {
			w := wants[count]
			s.check(w.name+".id", vals[0], int64(count+1))
			s.check(w.name+".row_name", vals[1], w.name)
			for i, n := range names() {
				s.check(w.name+"."+n, vals[i+2], w.values[n])
			}
		}
		count++
	}
	must(rows.Err())
	s.check("row count", count, 3)
	var g mssql.UniqueIdentifier
	must(db.QueryRow("SELECT c_guid FROM dbo.it_types WHERE row_name = 'max'").Scan(&g))
	s.check("c_guid as mssql.UniqueIdentifier", fmt.Sprintf("%X", g[:]), "6F9619FF8B86D011B42D00C04FC964FF")
}

func stepUpdateDelete(s *step) {
	db, err := open(database, port, password, "")
	must(err)
	defer db.Close()
	affected := func(query string, args ...interface{}) int64 {
		res, err := db.Exec(query, args...)
		must(err)
		n, err := res.RowsAffected()
		must(err)
		return n
	}
	s.check("UPDATE RowsAffected", affected("UPDATE dbo.it_types SET c_nvarchar = @p1 WHERE c_tinyint IS NOT NULL", "updated ✓"), int64(2))
	s.check("UPDATE of no row RowsAffected", affected("UPDATE dbo.it_types SET c_int = c_int WHERE id = @p1", int64(-1)), int64(0))
	s.check("DELETE RowsAffected", affected("DELETE FROM dbo.it_types WHERE c_tinyint IS NULL"), int64(1))
	s.check("updated rows", scalar(db, "SELECT COUNT(*) FROM dbo.it_types WHERE c_nvarchar = @p1", "updated ✓"), int64(2))
	s.check("rows left", scalar(db, "SELECT COUNT(*) FROM dbo.it_types"), int64(2))
}

func stepTransactions(s *step) {
	other, err := open(database, port, password, "")
	must(err)
	defer other.Close()
	db, err := open(database, port, password, "")
	must(err)
	defer db.Close()
	ins := "INSERT INTO dbo.it_tx (id, note) VALUES (@p1, @p2)"
	tx, err := db.Begin()
	must(err)
	_, err = tx.Exec(ins, int64(1), "committed")
	must(err)
	s.check("@@TRANCOUNT inside", scalar(tx, "SELECT @@TRANCOUNT"), int64(1))
	must(tx.Commit())
	s.check("committed row seen by another session", scalar(other, "SELECT note FROM dbo.it_tx WHERE id = 1"), "committed")
	tx, err = db.Begin()
	must(err)
	_, err = tx.Exec(ins, int64(2), "rolled back")
	must(err)
	s.check("own insert visible inside", scalar(tx, "SELECT COUNT(*) FROM dbo.it_tx"), int64(2))
	must(tx.Rollback())
	s.check("rolled back row gone", scalar(db, "SELECT COUNT(*) FROM dbo.it_tx WHERE id = 2"), int64(0))
	s.check("@@TRANCOUNT after", scalar(db, "SELECT @@TRANCOUNT"), int64(0))
	s.check("rolled back row never seen by another session", scalar(other, "SELECT COUNT(*) FROM dbo.it_tx"), int64(1))
}

func stepErrors(s *step) {
	db, err := open(database, port, password, "")
	must(err)
	defer db.Close()
	_, err = db.Exec("INSERT INTO dbo.it_tx (id, note) VALUES (@p1, @p2)", int64(1), "duplicate")
	s.expectError("duplicate key", err, 2627, 14, "Cannot insert duplicate key in object 'dbo.it_tx'. The duplicate key value is (1).")
	_, err = db.Exec("SELECT * FROM dbo.no_such_table")
	s.expectError("missing table", err, 208, 16, "Invalid object name 'dbo.no_such_table'.")
	_, err = db.Exec("SELECT 1 +")
	s.expectError("syntax error", err, 102, 15, "Incorrect syntax near '+'.")
	s.check("connection still usable", scalar(db, "SELECT 1"), int64(1))
}

func stepCancel(s *step) {
	db, err := open(database, port, password, "")
	must(err)
	defer db.Close()
	conn, err := db.Conn(context.Background())
	must(err)
	defer conn.Close()
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	var cancelAt time.Time
	go func() {
		time.Sleep(500 * time.Millisecond)
		cancelAt = time.Now()
		cancel()
	}()
	_, err = conn.ExecContext(ctx, "WAITFOR DELAY '00:00:30'")
	end := time.Now()
	if err == nil {
		s.fail("WAITFOR completed, want it cancelled")
	} else if !errors.Is(err, context.Canceled) {
		s.fail("WAITFOR: got %v, want context.Canceled", err)
	}
	if !cancelAt.IsZero() && end.Sub(cancelAt) >= 5*time.Second {
		s.fail("cancel took %.1f s, want < 5 s", end.Sub(cancelAt).Seconds())
	}
	if end.Sub(start) >= 29*time.Second {
		s.fail("WAITFOR ran to completion")
	}
	var one int64
	must(conn.QueryRowContext(context.Background(), "SELECT 1").Scan(&one))
	s.check("SELECT 1 after cancel", one, int64(1))
}

// The TLS pools are never closed: closing a TLS connection makes Go's crypto/tls set a write
// deadline, which this driver's connection wrapper (timeoutConn) answers with a panic.

func stepTLS(s *step) {
	db, err := open(database, port, password, "true")
	must(err)
	s.check("SELECT 1 over TLS", scalar(db, "SELECT 1"), int64(1))
	s.check("nvarchar(max) over TLS", scalar(db, "SELECT c_nvarcharmax FROM dbo.it_types WHERE row_name = 'max'"), nvarcharMax)
}

func stepTLSForced(s *step) {
	db, err := open("master", forcedPort, password, "true")
	must(err)
	s.check("SELECT 1 over TLS (forced)", scalar(db, "SELECT 1"), int64(1))
	// encrypt=disable announces ENCRYPT_NOT_SUP; a server that requires TLS must refuse it.
	if db, err := open("master", forcedPort, password, "disable"); err == nil {
		db.Close()
		s.fail("login without TLS to a --force-encryption server succeeded")
	}
}

func main() {
	fmt.Printf("client go-mssqldb (Debian 2017 snapshot) as sa on %s:%s, database %s\n", host, port, database)
	r := &reporter{}
	wrap := func(fn func(*step)) func(*step) {
		return func(s *step) {
			defer func() {
				if p := recover(); p != nil {
					if a, ok := p.(stepAbort); ok {
						s.fail("unexpected error: %v", a.err)
						return
					}
					panic(p)
				}
			}()
			fn(s)
		}
	}
	r.run("login", wrap(stepLogin), true)
	r.run("schema", wrap(stepSchema), false)
	r.run("insert", wrap(stepInsert), false)
	r.run("readback", wrap(stepReadback), false)
	r.run("update-delete", wrap(stepUpdateDelete), false)
	r.run("transactions", wrap(stepTransactions), false)
	r.run("errors", wrap(stepErrors), false)
	r.run("cancel", wrap(stepCancel), false)
	r.run("bulk-copy", wrap(stepBulkCopy), false)
	r.run("tls", wrap(stepTLS), false)
	r.run("tls-forced", wrap(stepTLSForced), false)
	if r.failed {
		os.Exit(1)
	}
}
