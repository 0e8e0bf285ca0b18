"""Bulk load with pytds' cursor.copy_to (python3-tds 1.11); run with /usr/bin/python3.

pytds sends INSERT BULK as a SQL batch, then a BULK LOAD message ([MS-TDS] 2.2.6.1) of
COLMETADATA, ROW tokens and DONE, every value in the type of its column description: typed
columns (pytds.Column with a tds_types type) send ints, decimals, dates and datetimeoffsets on the
wire; without columns pytds asks the server for the column names (`select top 1 * from t where
1<>1`) and sends everything as nvarchar(4000), which the server converts to the column types, as
it does for a CSV file. The steps check what comes back, NULLs and defaults (KEEP_NULLS), identity,
a duplicate key failing the whole load, a load inside a transaction that is rolled back, and a
load large enough to arrive in many parts.
"""

import datetime
import io
import uuid

import pytds
from pytds import tds_types as T
from pytds.tds_base import Column

from itcommon import CLIENT, HOST, PASSWORD, PORT, TZ_0530, TZ_M0800, D, Reporter

DATABASE = 'it_' + CLIENT
NULLABLE = Column.fNullable

TYPED = [
    ('id', T.IntType(), 'int NOT NULL PRIMARY KEY'),
    ('c_bigint', T.BigIntType(), 'bigint'),
    ('c_bit', T.BitType(), 'bit'),
    ('c_float', T.FloatType(), 'float'),
    ('c_decimal', T.DecimalType(precision=38, scale=10), 'decimal(38,10)'),
    ('c_money', T.MoneyType(), 'money'),
    ('c_nvarchar', T.NVarCharType(size=50), 'nvarchar(50)'),
    ('c_nvarcharmax', T.NVarCharMaxType(), 'nvarchar(max)'),
    ('c_varbinary', T.VarBinaryType(size=20), 'varbinary(20)'),
    ('c_varbinarymax', T.VarBinaryMaxType(), 'varbinary(max)'),
    ('c_date', T.DateType(), 'date'),
    ('c_time', T.TimeType(precision=6), 'time(7)'),
    ('c_datetime', T.DateTimeType(), 'datetime'),
    ('c_datetime2', T.DateTime2Type(precision=6), 'datetime2(7)'),
    ('c_dto', T.DateTimeOffsetType(precision=6), 'datetimeoffset(7)'),
    ('c_guid', T.UniqueIdentifierType(), 'uniqueidentifier'),
]
NAMES = [c for c, _, _ in TYPED]

ROW_A = [1, 9223372036854775807, True, 1.7976931348623157e308,
         D('1234567890123456789012345678.9012345678'), D('922337203685477.5807'), 'é日本語😀 a',
         'ab日本é' * 10000, bytes(range(20)), bytes(i % 251 for i in range(70000)),
         datetime.date(1, 1, 1), datetime.time(23, 59, 59, 999999),
         datetime.datetime(1753, 1, 1, 0, 0, 0), datetime.datetime(9999, 12, 31, 23, 59, 59, 999999),
         datetime.datetime(2024, 2, 29, 12, 34, 56, 123456, tzinfo=TZ_0530),
         uuid.UUID('6F9619FF-8B86-D011-B42D-00C04FC964FF')]
ROW_B = [2, -9223372036854775808, False, -2.5, D('-0.0000000001'), D('-922337203685477.5808'),
         '', '', b'', b'', datetime.date(9999, 12, 31), datetime.time(0, 0),
         datetime.datetime(2024, 2, 29, 12, 34, 56, 997000), datetime.datetime(1, 1, 1),
         datetime.datetime(2001, 2, 3, 4, 5, 6, 700000, tzinfo=TZ_M0800),
         uuid.UUID('00000000-0000-0000-0000-000000000000')]
ROW_NULL = [3] + [None] * (len(TYPED) - 1)


def connect(database=DATABASE, **kw):
    kw.setdefault('autocommit', True)
    return pytds.connect(server=HOST, port=PORT, user='sa', password=PASSWORD, database=database,
                         login_timeout=5, **kw)


def rows_of(sql, conn=None):
    own = conn is None
    conn = conn or connect()
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return [list(r) for r in cur.fetchall()]
    finally:
        if own:
            conn.close()


def typed_columns():
    return [Column(name=n, type=t, flags=0 if n == 'id' else NULLABLE) for n, t, _ in TYPED]


def step_create(s):
    with connect(database=None) as conn, conn.cursor() as cur:
        cur.execute('CREATE DATABASE %s' % DATABASE)
    with connect() as conn, conn.cursor() as cur:
        cur.execute('CREATE TABLE dbo.typed (%s)' % ', '.join('%s %s' % (n, d) for n, _, d in TYPED))
        cur.execute('CREATE TABLE dbo.csv (id int PRIMARY KEY, n int, d decimal(38,10), '
                    'dt datetime2(7), dto datetimeoffset(7), s nvarchar(20), v varchar(10), '
                    'g uniqueidentifier, b bit, dflt nvarchar(10) NULL DEFAULT N\'dflt\')')
        cur.execute('CREATE TABLE dbo.ident (id int IDENTITY(10,10) PRIMARY KEY, v int)')
        cur.execute('CREATE TABLE dbo.many (id int PRIMARY KEY, v nvarchar(40))')


def step_typed(s):
    with connect() as conn, conn.cursor() as cur:
        cur.copy_to(table_or_view='typed', columns=typed_columns(), data=[ROW_A, ROW_B, ROW_NULL])
        s.check('rowcount', cur.rowcount, 3)
    got = rows_of('SELECT %s FROM dbo.typed ORDER BY id' % ', '.join(NAMES))
    for want, row in zip([ROW_A, ROW_B, ROW_NULL], got):
        for name, w, g in zip(NAMES, want, row):
            s.check('row %d %s' % (want[0], name), g, w)
    # The 100 ns digits pytds cannot send are zero; the offsets are kept.
    s.check('datetimeoffset text', rows_of(
        "SELECT CONVERT(varchar(34), c_dto, 121) FROM dbo.typed WHERE id = 1")[0][0],
        '2024-02-29 12:34:56.1234560 +05:30')


def step_csv(s):
    # No columns: pytds reads the names from the table and sends nvarchar(4000) for all of them;
    # the server converts the text. An empty CSV field is '' (NULL with null_string).
    csv = ('1\t42\t-12345678901234567890.0123456789\t2024-02-29 23:59:59.1234567\t'
           '2024-02-29 12:34:56.7654321 +05:30\té日本語😀\tcafé\t6F9619FF-8B86-D011-B42D-00C04FC964FF'
           '\t1\tx\n'
           '2\tNULL\tNULL\tNULL\tNULL\tNULL\tNULL\tNULL\tNULL\tNULL\n')
    with connect() as conn, conn.cursor() as cur:
        cur.copy_to(file=io.StringIO(csv), table_or_view='csv', null_string='NULL')
    got = rows_of('SELECT id, n, d, CONVERT(varchar(27), dt, 121), CONVERT(varchar(34), dto, 121),'
                  ' s, v, g, b, dflt FROM dbo.csv ORDER BY id')
    s.check('row 1', got[0], [1, 42, D('-12345678901234567890.0123456789'),
                              '2024-02-29 23:59:59.1234567', '2024-02-29 12:34:56.7654321 +05:30',
                              'é日本語😀', 'café', uuid.UUID('6F9619FF-8B86-D011-B42D-00C04FC964FF'),
                              True, 'x'])
    # Without KEEP_NULLS a NULL for a column with a default takes the default.
    s.check('row 2', got[1], [2, None, None, None, None, None, None, None, None, 'dflt'])
    with connect() as conn, conn.cursor() as cur:
        cur.copy_to(file=io.StringIO('3\tNULL\n'), table_or_view='csv', columns=['id', 'dflt'],
                    null_string='NULL', keep_nulls=True)
    s.check('KEEP_NULLS', rows_of('SELECT dflt FROM dbo.csv WHERE id = 3'), [[None]])
    # A value that does not convert fails the load: 245, nothing stored.
    def bad():
        with connect() as conn, conn.cursor() as cur:
            cur.copy_to(file=io.StringIO('4\tforty\n5\t5\n'), table_or_view='csv',
                        columns=['id', 'n'])
    s.expect_error('conversion', bad, 245, "'forty'", lambda e: (e.msg_no, e.text))
    s.check('rows', rows_of('SELECT count(*) FROM dbo.csv'), [[3]])


def step_identity(s):
    with connect() as conn, conn.cursor() as cur:
        cur.copy_to(table_or_view='ident', data=[[1], [2]],
                    columns=[Column(name='v', type=T.IntType(), flags=NULLABLE)])
        # Identity values sent without KEEPIDENTITY are ignored and generated.
        cur.copy_to(table_or_view='ident', data=[[500, 3]],
                    columns=[Column(name='id', type=T.IntType()),
                             Column(name='v', type=T.IntType(), flags=NULLABLE)])
    s.check('rows', rows_of('SELECT id, v FROM dbo.ident ORDER BY v'), [[10, 1], [20, 2], [30, 3]])


def step_duplicate_key(s):
    def load():
        with connect() as conn, conn.cursor() as cur:
            cur.copy_to(table_or_view='typed', columns=typed_columns()[:1], data=[[10], [11], [1]])
    s.expect_error('duplicate key', load, 2627, 'Violation of PRIMARY KEY constraint',
                   lambda e: (e.msg_no, e.text))
    s.check('rows', rows_of('SELECT count(*) FROM dbo.typed'), [[3]])


def step_transaction(s):
    conn = connect(autocommit=False)
    with conn.cursor() as cur:
        cur.copy_to(table_or_view='many', data=[[1, 'a'], [2, 'b']],
                    columns=[Column(name='id', type=T.IntType()),
                             Column(name='v', type=T.NVarCharType(size=40), flags=NULLABLE)])
    s.check('inside', rows_of('SELECT count(*) FROM dbo.many', conn), [[2]])
    s.check('outside', rows_of('SELECT count(*) FROM dbo.many'), [[0]])
    conn.rollback()
    s.check('after rollback', rows_of('SELECT count(*) FROM dbo.many'), [[0]])
    conn.close()


def step_many(s):
    n = 200000
    data = ([i, 'row %d é日本' % i] for i in range(n))
    with connect() as conn, conn.cursor() as cur:
        cur.copy_to(table_or_view='many', data=data,
                    columns=[Column(name='id', type=T.IntType()),
                             Column(name='v', type=T.NVarCharType(size=40), flags=NULLABLE)])
    s.check('rows', rows_of('SELECT count(*), min(id), max(id) FROM dbo.many'), [[n, 0, n - 1]])
    s.check('a value', rows_of('SELECT v FROM dbo.many WHERE id = 123456'), [['row 123456 é日本']])


def main():
    r = Reporter()
    r.run('create', step_create, required=True)
    r.run('copy_to typed columns, every type, NULLs', step_typed)
    r.run('copy_to a CSV file: nvarchar converted by the server, defaults, KEEP_NULLS', step_csv)
    r.run('identity values are generated', step_identity)
    r.run('a duplicate key fails the whole load', step_duplicate_key)
    r.run('a load in a transaction rolls back with it', step_transaction)
    r.run('200,000 rows in one message', step_many)
    r.finish()


if __name__ == '__main__':
    main()
