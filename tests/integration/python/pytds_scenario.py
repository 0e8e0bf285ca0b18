"""The integration scenario (../README.md) driven by pytds (python3-tds), run with /usr/bin/python3.

pytds is a pure-Python TDS 7.4 implementation: parameters go to sp_executesql as RPC (typed here
with pytds' own column types, so every TYPE_INFO of the table is sent), transactions are TM
requests, cancel is its query timeout (an ATTENTION packet, then DONE with ATTN awaited).
"""

import datetime
import time

import pytds
from pytds import tds_base
from pytds import tds_types as T

from itcommon import (NVARCHARMAX, CA_FILE, CLIENT, CREATE_TX, CREATE_TYPES, DATABASE, FORCED_CA_FILE,
                      FORCED_PORT, HOST, NAMES, PASSWORD, PORT, ROWS, TZ_0530, TZ_M0800,
                      Reporter, stored)


def connect(database=DATABASE, port=PORT, password=PASSWORD, **kw):
    kw.setdefault('autocommit', True)
    return pytds.connect(server=HOST, port=port, user='sa', password=password,
                         database=database, login_timeout=5, **kw)


def error_info(e):
    return getattr(e, 'msg_no', None), str(getattr(e, 'text', e))


def scalar(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


# The parameter type of each column: the column's own type, except the three temporal types whose
# 100 ns fractions Python cannot hold; those go as nvarchar text and the server converts them.
PARAM_TYPES = {
    'c_tinyint': T.TinyIntType(),
    'c_smallint': T.SmallIntType(),
    'c_int': T.IntType(),
    'c_bigint': T.BigIntType(),
    'c_bit': T.BitType(),
    'c_real': T.RealType(),
    'c_float': T.FloatType(),
    'c_decimal': T.DecimalType(precision=38, scale=10),
    'c_numeric': T.DecimalType(precision=10, scale=2),
    'c_money': T.MoneyType(),
    'c_smallmoney': T.SmallMoneyType(),
    'c_char': T.CharType(size=10),
    'c_varchar': T.VarCharType(size=50),
    'c_nchar': T.NCharType(size=10),
    'c_nvarchar': T.NVarCharType(size=50),
    'c_varcharmax': T.VarCharMaxType(),
    'c_nvarcharmax': T.NVarCharMaxType(),
    'c_binary': T.VarBinaryType(size=8),  # pytds 1.11 cannot serialize BinaryType (no size)
    'c_varbinary': T.VarBinaryType(size=50),
    'c_varbinarymax': T.VarBinaryMaxType(),
    'c_date': T.DateType(),
    'c_time': T.NVarCharType(size=40),
    'c_datetime': T.DateTimeType(),
    'c_smalldatetime': T.SmallDateTimeType(),
    'c_datetime2': T.NVarCharType(size=40),
    'c_dto': T.NVarCharType(size=40),
    'c_guid': T.UniqueIdentifierType(),
}

# What pytds returns for the stored values: datetime/time keep microseconds (100 ns digits are
# truncated, as pytds' Time.to_pytime documents), datetimeoffset is an aware datetime.
READ_MAX = {
    'c_time': datetime.time(23, 59, 59, 999999),
    'c_datetime2': datetime.datetime(9999, 12, 31, 23, 59, 59, 999999),
    'c_dto': datetime.datetime(2024, 2, 29, 12, 34, 56, 123456, tzinfo=TZ_0530),
}
READ_MIN = {
    'c_time': datetime.time(0, 0, 0),
    'c_datetime2': datetime.datetime(1, 1, 1),
    'c_dto': datetime.datetime(2001, 2, 3, 4, 5, 6, 700000, tzinfo=TZ_M0800),
}


def step_login(s):
    conn = connect(database=None)
    s.check('SELECT 1', scalar(conn, 'SELECT 1'), 1)
    s.check('DB_NAME() after login', scalar(conn, 'SELECT DB_NAME()'), 'master')
    conn.close()
    e = s.expect_error('wrong password', lambda: connect(database=None, password=PASSWORD + 'x'),
                       18456, "Login failed for user 'sa'", error_info)
    if e is not None:
        s.check('wrong password severity', e.severity, 14)
        s.check('wrong password state', e.state, 1)


def step_schema(s):
    conn = connect(database=None)
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
            params = [name]
            for c in NAMES:
                v = row[c]
                if isinstance(v, bytes):
                    v = pytds.Binary(v)
                params.append(tds_base.Column(type=PARAM_TYPES[c], value=v))
            cur.execute(sql, params)
            s.check('rowcount of INSERT %s' % name, cur.rowcount, 1)
        s.check('@@IDENTITY', scalar(conn, 'SELECT CAST(@@IDENTITY AS int)'), 3)
    conn.close()


def step_readback(s):
    conn = connect()
    with conn.cursor() as cur:
        cur.execute('SELECT id, row_name, %s FROM dbo.it_types ORDER BY id' % ', '.join(NAMES))
        got_rows = cur.fetchall()
    conn.close()
    if not s.check('row count', len(got_rows), 3):
        return
    for i, ((name, row), got) in enumerate(zip(ROWS, got_rows)):
        want = stored(row)
        if name == 'max':
            want.update(READ_MAX)
        elif name == 'min':
            want.update(READ_MIN)
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
    conn = connect(autocommit=False)  # pytds begins with a TM BEGIN request
    with conn.cursor() as cur:
        cur.execute("INSERT INTO dbo.it_tx (id, note) VALUES (%s, %s)", (1, 'committed'))
        s.check('@@TRANCOUNT inside', scalar(conn, 'SELECT @@TRANCOUNT'), 1)
    conn.commit()
    s.check('committed row seen by another session',
            scalar(other, 'SELECT note FROM dbo.it_tx WHERE id = 1'), 'committed')
    with conn.cursor() as cur:
        cur.execute("INSERT INTO dbo.it_tx (id, note) VALUES (%s, %s)", (2, 'rolled back'))
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
    # SQL Server's severity (class) and state for each error, as pytds exposes them.
    for what, fn, number, severity, text in [
            ('duplicate key',
             lambda: cur.execute("INSERT INTO dbo.it_tx (id, note) VALUES (%s, %s)",
                                 (1, 'duplicate')),
             2627, 14, "Cannot insert duplicate key in object 'dbo.it_tx'. "
             "The duplicate key value is (1)."),
            ('missing table', lambda: cur.execute('SELECT * FROM dbo.no_such_table'),
             208, 16, "Invalid object name 'dbo.no_such_table'."),
            ('syntax error', lambda: cur.execute('SELECT 1 +'),
             102, 15, "Incorrect syntax near '+'.")]:
        e = s.expect_error(what, fn, number, text, error_info)
        if e is not None:
            s.check(what + ' severity', e.severity, severity)
            s.check(what + ' state', e.state, 1)
    s.check('connection still usable', scalar(conn, 'SELECT 1'), 1)
    conn.close()


def step_cancel(s):
    # pytds cancels a request whose reply does not come within the query timeout: it sends an
    # ATTENTION packet, and the next request first reads up to the DONE that acknowledges it.
    conn = connect(timeout=0.5)
    cur = conn.cursor()
    start = time.monotonic()
    try:
        cur.execute("WAITFOR DELAY '00:00:30'")
        s.fail('WAITFOR returned instead of timing out')
    except (tds_base.TimeoutError, TimeoutError):
        pass
    s.check('SELECT 1 after cancel', scalar(conn, 'SELECT 1'), 1)
    elapsed = time.monotonic() - start
    if elapsed >= 5.5:
        s.fail('cancel took %.1f s (from start, 0.5 s timeout), want < 5 s' % (elapsed - 0.5))
    conn.close()


def step_tls(s):
    conn = connect(cafile=CA_FILE, validate_host=False)
    s.check('SELECT 1 over TLS', scalar(conn, 'SELECT 1'), 1)
    s.check('nvarchar(max) over TLS',
            scalar(conn, "SELECT c_nvarcharmax FROM dbo.it_types WHERE row_name = 'max'"),
            NVARCHARMAX)
    conn.close()


def step_tls_forced(s):
    conn = connect(database=None, port=FORCED_PORT, cafile=FORCED_CA_FILE, validate_host=False)
    s.check('SELECT 1 over TLS (forced)', scalar(conn, 'SELECT 1'), 1)
    conn.close()
    # Without a CA file pytds announces ENCRYPT_NOT_SUP; a server that requires TLS refuses it.
    try:
        c = connect(database=None, port=FORCED_PORT)
        c.close()
        s.fail('login without TLS to a --force-encryption server succeeded')
    except Exception:  # noqa: BLE001 - refused, however pytds words it
        pass


def main():
    r = Reporter()
    print('client pytds %s as sa on %s:%d, database %s' % (pytds.__version__, HOST, PORT, DATABASE))
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
