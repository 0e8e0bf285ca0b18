// The bulk-copy step of the go-mssqldb scenario: mssql.CopyIn. The driver asks for the table's
// columns (SET FMTONLY ON in one batch, `select * from t SET FMTONLY OFF` in the next), sends
// INSERT BULK with their declarations, then streams the rows in one BULK LOAD message
// ([MS-TDS] 2.2.6.1) as they are added, and ends it with DONE when Exec is called without
// arguments; the server's DONE carries the row count.
//
// This driver version writes a NULL for a (max) column as an empty PLP value and computes a
// datetimeoffset's wire form from its local time, so the (max) column is never NULL here and
// the datetimeoffsets are UTC.
package main

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	mssql "github.com/denisenkom/go-mssqldb"
)

const bulkRows = 5000

var bulkColumns = [][2]string{
	{"id", "int NOT NULL PRIMARY KEY"}, {"c_bigint", "bigint"}, {"c_bit", "bit"},
	{"c_float", "float"}, {"c_nvarchar", "nvarchar(50)"}, {"c_varchar", "varchar(20)"},
	{"c_nvarcharmax", "nvarchar(max)"}, {"c_varbinary", "varbinary(20)"}, {"c_date", "date"},
	{"c_datetime", "datetime"}, {"c_datetime2", "datetime2(7)"},
	{"c_dto", "datetimeoffset(7)"},
}

// bulkRow is row i as the driver is given it (nil for NULL).
func bulkRow(i int) []interface{} {
	t := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 97 * time.Minute)
	row := []interface{}{
		int64(i), int64(i) * 1844674407370955, i%2 == 0, float64(i) * 1.25,
		fmt.Sprintf("é日本語😀 %d", i), fmt.Sprintf("cafe %d", i),
		strings.Repeat("ab日本é", i%40) + fmt.Sprint(i), seq(i%20+1, i+1),
		t, t.Add(time.Duration(i%100) * 10 * time.Millisecond),
		t.Add(time.Duration(i*1234567%10000000) * 100), t.Add(time.Duration(i) * time.Microsecond),
	}
	for k := 1; k < len(row); k++ {
		if k != 6 && i%11 == k {
			row[k] = nil
		}
	}
	return row
}

// bulkRead is what reading row i back returns: the date column at midnight UTC.
func bulkRead(i int) []interface{} {
	row := bulkRow(i)
	if d, ok := row[8].(time.Time); ok {
		row[8] = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	}
	return row
}

func copyIn(db *sql.DB, table string, options mssql.MssqlBulkOptions, rows [][]interface{},
	columns ...string) (int64, error) {
	txn, err := db.Begin()
	if err != nil {
		return 0, err
	}
	stmt, err := txn.Prepare(mssql.CopyIn(table, options, columns...))
	if err != nil {
		txn.Rollback()
		return 0, err
	}
	for _, row := range rows {
		if _, err := stmt.Exec(row...); err != nil {
			txn.Rollback()
			return 0, err
		}
	}
	res, err := stmt.Exec()
	if err != nil {
		txn.Rollback()
		return 0, err
	}
	if err := stmt.Close(); err != nil {
		txn.Rollback()
		return 0, err
	}
	if err := txn.Commit(); err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func stepBulkCopy(s *step) {
	db, err := open(database, port, password, "")
	must(err)
	defer db.Close()
	var defs, names []string
	for _, c := range bulkColumns {
		defs = append(defs, c[0]+" "+c[1])
		names = append(names, c[0])
	}
	_, err = db.Exec("CREATE TABLE dbo.it_bulk (" + strings.Join(defs, ", ") + ")")
	must(err)
	var all [][]interface{}
	for i := 0; i < bulkRows; i++ {
		all = append(all, bulkRow(i))
	}
	n, err := copyIn(db, "dbo.it_bulk", mssql.MssqlBulkOptions{}, all, names...)
	must(err)
	s.check("rows copied", n, int64(bulkRows))
	rows, err := db.Query("SELECT " + strings.Join(names, ", ") + " FROM dbo.it_bulk ORDER BY id")
	must(err)
	defer rows.Close()
	i, bad := 0, 0
	for rows.Next() && bad < 20 {
		got := make([]interface{}, len(names))
		ptrs := make([]interface{}, len(names))
		for k := range got {
			ptrs[k] = &got[k]
		}
		must(rows.Scan(ptrs...))
		for k, want := range bulkRead(i) {
			if !s.check(fmt.Sprintf("row %d %s", i, names[k]), got[k], want) {
				bad++
			}
		}
		i++
	}
	must(rows.Err())
	s.check("rows read", i, bulkRows)

	// Hints, and a duplicate key that fails the whole load: nothing of it is stored.
	pairs := func(first int) [][]interface{} {
		var out [][]interface{}
		for i := first; i < first+10; i++ {
			out = append(out, []interface{}{int64(i), fmt.Sprint("more ", i)})
		}
		return out
	}
	n, err = copyIn(db, "dbo.it_bulk", mssql.MssqlBulkOptions{Tablock: true, RowsPerBatch: 10,
		CheckConstraints: true, Order: []string{"id ASC"}}, pairs(bulkRows), "id", "c_nvarcharmax")
	must(err)
	s.check("rows copied with hints", n, int64(10))
	_, err = copyIn(db, "dbo.it_bulk", mssql.MssqlBulkOptions{}, pairs(bulkRows+5), "id",
		"c_nvarcharmax")
	s.expectError("duplicate key", err, 2627, 14, "Violation of PRIMARY KEY constraint")
	s.check("rows after the failed load", scalar(db, "SELECT count(*) FROM dbo.it_bulk"),
		int64(bulkRows+10))
}
