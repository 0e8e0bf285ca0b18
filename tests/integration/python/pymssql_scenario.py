"""The integration scenario (../README.md) driven by pymssql (python3-pymssql), /usr/bin/python3.

pymssql wraps FreeTDS db-lib. It interpolates parameters into the SQL text on the client (so
every value reaches the server as a literal in a SQL batch), runs transactions with T-SQL
(`BEGIN TRAN` when autocommit is off, then COMMIT/ROLLBACK batches), and converts values through
db-lib's dbconvert. Servers are named by the freetds.conf entries the harness writes
(FREETDSCONF): edgesql, edgesql_tls, edgesql_forced, edgesql_forced_off.
"""

import threading
import time

import pymssql

from itcommon import (FORCED_PORT, NVARCHARMAX, PORT, CLIENT, CREATE_TX, CREATE_TYPES, DATABASE, NAMES, PASSWORD, ROWS, Reporter,
                      stored)


def connect(server='edgesql', database=DATABASE, password=PASSWORD, autocommit=True, **kw):
    # pymssql appends ":port" (default 1433) to the server; FreeTDS still applies the freetds.conf
    # entry's settings. The TDS version comes from freetds.conf (7.4): pymssql 2.2's tds_version
    # parameter knows only 7.0-7.3.
    port = FORCED_PORT if server.startswith('edgesql_forced') else PORT
    return pymssql.connect(server=server, port=str(port), user='sa', password=password,
                           database=database, autocommit=autocommit, login_timeout=10, **kw)


def error_info(e):
    """pymssql's exceptions carry (number, message bytes) as their arguments."""
    args = e.args[0] if len(e.args) == 1 and isinstance(e.args[0], tuple) else e.args
    if len(args) == 2 and isinstance(args[0], int):
        number, text = args
        if isinstance(text, bytes):
            text = text.decode('utf-8', 'replace')
        return number, text
    return None, str(e)


def scalar(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


# db-lib's conversion of time/datetime2/datetimeoffset goes through its 1/300 s DBDATETIME (and
# has no datetimeoffset at all), so these three columns are read as their style-121 text, which
# SQL Server documents as yyyy-mm-dd hh:mi:ss.fffffff [+|-]hh:mm.
AS_TEXT = {'c_time', 'c_datetime2', 'c_dto'}


def select_list():
    return ', '.join('CONVERT(nvarchar(40), %s, 121)' % c if c in AS_TEXT else c for c in NAMES)


def step_login(s):
    conn = connect(database='master')
    s.check('SELECT 1', scalar(conn, 'SELECT 1'), 1)
    s.check('DB_NAME() after login', scalar(conn, 'SELECT DB_NAME()'), 'master')
    conn.close()
    s.expect_error('wrong password',
                   lambda: connect(database='master', password=PASSWORD + 'x'),
                   18456, "Login failed for user 'sa'", error_info)


def step_schema(s):
    conn = connect(database='master')
    with conn.cursor() as cur:
        cur.execute('CREATE DATABASE ' + DATABASE)
    conn.close()
    conn = connect()
    s.check('DB_NAME()', scalar(conn, 'SELECT DB_NAME()'), DATABASE)
    with conn.cursor() as cur:
        cur.execute(CREATE_TYPES)
        cur.execute(CREATE_TX)
    conn.close()


def step_insert(s):
    conn = connect()
    sql = ('INSERT INTO dbo.it_types (row_name, %s) VALUES (%s)' %
           (', '.join(NAMES), ', '.join(['%s'] * (len(NAMES) + 1))))
    with conn.cursor() as cur:
        for name, row in ROWS:
            # pymssql quotes bytes as a string; bytearray is its binary literal (0x...).
            params = tuple([name] + [bytearray(row[c]) if isinstance(row[c], bytes) else row[c]
                                     for c in NAMES])
            cur.execute(sql, params)
            s.check('rowcount of INSERT %s' % name, cur.rowcount, 1)
    s.check('@@IDENTITY', scalar(conn, 'SELECT CAST(@@IDENTITY AS int)'), 3)
    conn.close()


def step_readback(s):
    conn = connect()
    with conn.cursor() as cur:
        cur.execute('SELECT id, row_name, %s FROM dbo.it_types ORDER BY id' % select_list())
        got_rows = cur.fetchall()
    conn.close()
    if not s.check('row count', len(got_rows), 3):
        return
    for i, ((name, row), got) in enumerate(zip(ROWS, got_rows)):
        want = stored(row)  # the text columns' expected text is what was inserted
        s.check('%s.id' % name, got[0], i + 1)
        s.check('%s.row_name' % name, got[1], name)
        for c, g in zip(NAMES, got[2:]):
            s.check('%s.%s' % (name, c), g, want[c])


def step_update_delete(s):
    conn = connect()
    with conn.cursor() as cur:
        cur.execute('UPDATE dbo.it_types SET c_nvarchar = %s WHERE c_tinyint IS NOT NULL',
                    ('updated ✓',))
        s.check('UPDATE rowcount', cur.rowcount, 2)
        cur.execute('UPDATE dbo.it_types SET c_int = c_int WHERE id = %s', (-1,))
        s.check('UPDATE of no row rowcount', cur.rowcount, 0)
        cur.execute('DELETE FROM dbo.it_types WHERE c_tinyint IS NULL')
        s.check('DELETE rowcount', cur.rowcount, 1)
    s.check('updated rows', scalar(conn, 'SELECT COUNT(*) FROM dbo.it_types WHERE c_nvarchar = %s',
                                   ('updated ✓',)), 2)
    s.check('rows left', scalar(conn, 'SELECT COUNT(*) FROM dbo.it_types'), 2)
    conn.close()


def step_transactions(s):
    other = connect()
    conn = connect(autocommit=False)  # pymssql sends BEGIN TRAN as a batch
    with conn.cursor() as cur:
        cur.execute('INSERT INTO dbo.it_tx (id, note) VALUES (%s, %s)', (1, 'committed'))
        s.check('@@TRANCOUNT inside', scalar(conn, 'SELECT @@TRANCOUNT'), 1)
    conn.commit()
    s.check('committed row seen by another session',
            scalar(other, 'SELECT note FROM dbo.it_tx WHERE id = 1'), 'committed')
    with conn.cursor() as cur:
        cur.execute('INSERT INTO dbo.it_tx (id, note) VALUES (%s, %s)', (2, 'rolled back'))
        s.check('own insert visible inside', scalar(conn, 'SELECT COUNT(*) FROM dbo.it_tx'), 2)
    conn.rollback()
    s.check('rolled back row gone', scalar(conn, 'SELECT COUNT(*) FROM dbo.it_tx WHERE id = 2'), 0)
    s.check('rolled back row never seen by another session',
            scalar(other, 'SELECT COUNT(*) FROM dbo.it_tx'), 1)
    conn.close()
    other.close()


def step_errors(s):
    conn = connect()
    cur = conn.cursor()
    s.expect_error('duplicate key',
                   lambda: cur.execute('INSERT INTO dbo.it_tx (id, note) VALUES (%s, %s)',
                                       (1, 'duplicate')),
                   2627, "Cannot insert duplicate key in object 'dbo.it_tx'. "
                   "The duplicate key value is (1).", error_info)
    s.expect_error('missing table', lambda: cur.execute('SELECT * FROM dbo.no_such_table'),
                   208, "Invalid object name 'dbo.no_such_table'.", error_info)
    s.expect_error('syntax error', lambda: cur.execute('SELECT 1 +'),
                   102, "Incorrect syntax near '+'.", error_info)
    s.check('connection still usable', scalar(conn, 'SELECT 1'), 1)
    conn.close()


def step_cancel(s):
    # pymssql's cancel is _mssql's cancel(), db-lib's dbcancel(): called from a second thread
    # while execute() waits (pymssql releases the GIL there), FreeTDS wakes the reading thread,
    # which sends the ATTENTION packet and reads up to the DONE that acknowledges it.
    conn = connect()
    cur = conn.cursor()
    outcome = {}

    def run():
        try:
            cur.execute("WAITFOR DELAY '00:00:30'")
            outcome['result'] = 'completed'
        except Exception as e:  # noqa: BLE001
            outcome['result'] = 'error: %s' % (error_info(e),)

    start = time.monotonic()
    t = threading.Thread(target=run, daemon=True)
    t.start()
    time.sleep(0.5)
    conn._conn.cancel()
    t.join(10)
    elapsed = time.monotonic() - start
    if t.is_alive():
        s.fail('WAITFOR still running 10 s after cancel')
        return
    if elapsed >= 5.5:
        s.fail('cancel took %.1f s after the request, want < 5 s' % (elapsed - 0.5))
    if outcome.get('result') == 'completed' and elapsed >= 29:
        s.fail('WAITFOR ran to completion')
    s.check('SELECT 1 after cancel', scalar(conn, 'SELECT 1'), 1)
    conn.close()


def step_tls(s):
    conn = connect(server='edgesql_tls')  # freetds.conf: encryption = require
    s.check('SELECT 1 over TLS', scalar(conn, 'SELECT 1'), 1)
    s.check('nvarchar(max) over TLS',
            scalar(conn, "SELECT c_nvarcharmax FROM dbo.it_types WHERE row_name = 'max'"),
            NVARCHARMAX)
    conn.close()


def step_tls_forced(s):
    conn = connect(server='edgesql_forced', database='master')
    s.check('SELECT 1 over TLS (forced)', scalar(conn, 'SELECT 1'), 1)
    conn.close()
    try:
        c = connect(server='edgesql_forced_off', database='master')  # encryption = off
        c.close()
        s.fail('login without TLS to a --force-encryption server succeeded')
    except pymssql.Error:
        pass


def main():
    r = Reporter()
    print('client pymssql %s (%s) as sa, database %s' % (pymssql.__version__,
                                                         pymssql.get_dbversion(), DATABASE))
    r.run('login', step_login, required=True)
    r.run('schema', step_schema)
    r.run('insert', step_insert)
    r.run('readback', step_readback)
    r.run('update-delete', step_update_delete)
    r.run('transactions', step_transactions)
    r.run('errors', step_errors)
    r.run('cancel', step_cancel)
    r.run('tls', step_tls)
    r.run('tls-forced', step_tls_forced)
    r.finish()


if __name__ == '__main__':
    assert CLIENT
    main()
