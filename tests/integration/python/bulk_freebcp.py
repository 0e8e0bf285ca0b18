"""Bulk load with FreeTDS freebcp (freetds-bin), checked with pytds; run with /usr/bin/python3.

freebcp probes the table (SET FMTONLY ON select * from t SET FMTONLY OFF), sends INSERT BULK with
the column list and then the rows in a BULK LOAD message ([MS-TDS] 2.2.6.1), converting the
character-mode file (-c) to the column types itself. The steps load 10,000 rows covering every
type edgesql stores, with NULLs in every column, non-ASCII text and decimal(38,10) and
datetime2(7) values at full precision, then read every value back with pytds and compare it with
the value the file holds. Then: the same file in batches (-b: one INSERT BULK and BULK LOAD per
batch), a load failing on a duplicate key (nothing stored), identity with and without -E, hints.

FreeTDS 1.3 cannot parse a UTC offset in character mode, so datetimeoffset values are written
without one (stored at +00:00), and it reads dates before 1753 as 1900, so dates start there;
pytds' bulk test covers offsets and year 1.
"""

import datetime
import decimal
import os
import subprocess
import uuid

import pytds

from itcommon import CLIENT, HOST, PASSWORD, PORT, D, Reporter

DATABASE = 'it_' + CLIENT
ROWS = 10000
WORK = os.environ.get('EDGESQL_WORK', '/tmp')

# (column, type); every column but id is nullable.
COLUMNS = [
    ('c_tinyint', 'tinyint'), ('c_smallint', 'smallint'), ('c_int', 'int'),
    ('c_bigint', 'bigint'), ('c_bit', 'bit'), ('c_real', 'real'), ('c_float', 'float'),
    ('c_decimal', 'decimal(38,10)'), ('c_numeric', 'numeric(10,2)'), ('c_money', 'money'),
    ('c_smallmoney', 'smallmoney'), ('c_char', 'char(10)'), ('c_varchar', 'varchar(50)'),
    ('c_nchar', 'nchar(10)'), ('c_nvarchar', 'nvarchar(50)'), ('c_nvarcharmax', 'nvarchar(max)'),
    ('c_varbinary', 'varbinary(20)'), ('c_date', 'date'), ('c_time', 'time(7)'),
    ('c_datetime', 'datetime'), ('c_smalldatetime', 'smalldatetime'),
    ('c_datetime2', 'datetime2(7)'), ('c_dto', 'datetimeoffset(7)'), ('c_guid', 'uniqueidentifier'),
]
NAMES = [c for c, _ in COLUMNS]
# Read back as text (CONVERT style 121) where Python's types lose the 100 ns digits or the
# datetime's 1/300 s.
AS_TEXT = {'c_time': 'varchar(16)', 'c_datetime': 'varchar(23)', 'c_smalldatetime': 'varchar(19)',
           'c_datetime2': 'varchar(27)', 'c_dto': 'varchar(34)'}
TICKS_PER_DAY = 864000000000
decimal.getcontext().prec = 50  # the values below have up to 38 digits
# FreeTDS converts dates before 1753 (datetime's range) to 1900 in character mode.
YEAR_1753 = (datetime.date(1753, 1, 1) - datetime.date(1, 1, 1)).days * TICKS_PER_DAY


def create_table(name):
    return ('CREATE TABLE dbo.%s (id int NOT NULL PRIMARY KEY, ' % name +
            ', '.join('%s %s NULL' % c for c in COLUMNS) + ')')


def ticks_text(ticks, with_date=True):
    days, rest = divmod(ticks, TICKS_PER_DAY)
    seconds, fraction = divmod(rest, 10000000)
    t = '%02d:%02d:%02d.%07d' % (seconds // 3600, seconds // 60 % 60, seconds % 60, fraction)
    if not with_date:
        return t
    return (datetime.date(1, 1, 1) + datetime.timedelta(days=days)).isoformat() + ' ' + t


def row_values(i):
    """Row i as (file fields, expected read-back values), by column."""
    sign = -1 if i % 2 else 1
    values = {
        'c_tinyint': i % 256,
        'c_smallint': (i * 7) % 65536 - 32768,
        'c_int': i * 214748 - 1073741824,
        'c_bigint': {1: -9223372036854775808, 2: 9223372036854775807}.get(
            i, sign * i * 922337203685477),
        'c_bit': i % 3 == 0,
        'c_real': (i % 1000) / 8 - 60,
        'c_float': (i - 5000) * 1.0000001 ** i,
        'c_decimal': {3: D('9999999999999999999999999999.9999999999'),
                      4: D('-9999999999999999999999999999.9999999999')}.get(
            i, sign * i * D('1234567890123456789.0123456789')),
        'c_numeric': sign * D(i * 37 % 100000000) / 100,
        'c_money': {5: D('-922337203685477.5808')}.get(i, sign * i * D('12345.6789')),
        'c_smallmoney': sign * D(i * 21 % 2147483) / 10000,
        'c_char': ('c%d' % i).ljust(10),
        'c_varchar': 'café € %d' % i,
        'c_nchar': ('日本%d' % (i % 100)).ljust(10),
        'c_nvarchar': 'é日本語😀 %d' % i,
        'c_nvarcharmax': 'ab日本é' * (i % 50) + str(i),
        'c_varbinary': bytes((i * j) % 256 for j in range(i % 20 + 1)),
        'c_date': datetime.date(1753, 1, 1) + datetime.timedelta(days=i * 73),
        'c_time': ticks_text(i * 8639999999 % TICKS_PER_DAY, with_date=False),
        'c_datetime': (datetime.datetime(1990, 1, 1) + datetime.timedelta(minutes=i * 37)).strftime(
            '%Y-%m-%d %H:%M:%S') + '.%03d' % ((i % 100) * 10 + (0, 3, 7)[i % 3]),
        'c_smalldatetime': (datetime.datetime(1950, 1, 1) + datetime.timedelta(minutes=i * 61)
                            ).strftime('%Y-%m-%d %H:%M:00'),
        'c_datetime2': {6: '9999-12-31 23:59:59.9999999'}.get(
            i, ticks_text(YEAR_1753 + i * 200000000000000 + i * 1234567 % 10000000)),
        'c_dto': ticks_text(YEAR_1753 + i * 190000000000000 + i * 7654321 % 10000000) + ' +00:00',
        'c_guid': uuid.uuid5(uuid.NAMESPACE_OID, str(i)),
    }
    if i == ROWS:
        values = {c: None for c in NAMES}
    else:
        for k, c in enumerate(NAMES):  # NULLs in every column, about one row in 13
            if i % 13 == k % 13:
                values[c] = None
    fields = {}
    for c, v in values.items():
        if v is None:
            fields[c] = ''  # an empty field is NULL in character mode
        elif c == 'c_bit':
            fields[c] = '1' if v else '0'
        elif c == 'c_float':
            fields[c] = repr(v)
        elif c == 'c_varbinary':
            fields[c] = v.hex()
        elif c == 'c_guid':
            fields[c] = str(v).upper()
        elif c == 'c_dto':
            fields[c] = v[:-len(' +00:00')]
        elif c in ('c_char', 'c_nchar'):
            fields[c] = v.rstrip()
        else:
            fields[c] = str(v)
    return fields, values


def write_file(path, rows):
    with open(path, 'w', encoding='utf-8') as f:
        for i in rows:
            fields, _ = row_values(i)
            f.write('\t'.join([str(i)] + [fields[c] for c in NAMES]) + '\n')


def freebcp(table, path, *args):
    cmd = ['freebcp', '%s.dbo.%s' % (DATABASE, table), 'in', path, '-c', '-S', 'edgesql',
           '-U', 'sa', '-P', PASSWORD, '-D', DATABASE] + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def connect():
    return pytds.connect(server=HOST, port=PORT, user='sa', password=PASSWORD, database=DATABASE,
                         login_timeout=5, autocommit=True)


def query(sql):
    with connect() as conn, conn.cursor() as cur:
        cur.execute(sql)
        return [tuple(r) for r in cur.fetchall()]


def check_load(s, table, rows):
    select = ', '.join('CONVERT(%s, %s, 121)' % (AS_TEXT[c], c) if c in AS_TEXT else c
                       for c in NAMES)
    got = query('SELECT id, %s FROM dbo.%s ORDER BY id' % (select, table))
    s.check('rows', len(got), len(rows))
    mismatches = 0
    for row, i in zip(got, rows):
        s.check('id', row[0], i)
        _, want = row_values(i)
        for c, value in zip(NAMES, row[1:]):
            expected = want[c]
            if c == 'c_float' and expected is not None:
                expected = float(expected)
            if c == 'c_real' and expected is not None:
                expected = float(expected)
            if not s.check('row %d %s' % (i, c), value, expected):
                mismatches += 1
                if mismatches > 20:
                    s.fail('more mismatches not shown')
                    return


def step_create(s):
    with pytds.connect(server=HOST, port=PORT, user='sa', password=PASSWORD, login_timeout=5,
                       autocommit=True) as conn, conn.cursor() as cur:
        cur.execute('CREATE DATABASE %s' % DATABASE)
    with connect() as conn, conn.cursor() as cur:
        for t in ('bulk_types', 'bulk_batches'):
            cur.execute(create_table(t))
        cur.execute('CREATE TABLE dbo.bulk_dup (id int PRIMARY KEY, v nvarchar(20) NOT NULL)')
        cur.execute("INSERT INTO dbo.bulk_dup VALUES (5, N'already here')")
        cur.execute('CREATE TABLE dbo.bulk_identity (id int IDENTITY(1,1) PRIMARY KEY, '
                    'v nvarchar(10) NOT NULL)')
    write_file(os.path.join(WORK, 'bulk.txt'), range(1, ROWS + 1))


def step_load(s):
    out = freebcp('bulk_types', os.path.join(WORK, 'bulk.txt'))
    s.check('exit status', out.returncode, 0)
    if '%d rows copied.' % ROWS not in out.stdout:
        s.fail('freebcp output: %s %s' % (out.stdout.strip(), out.stderr.strip()))
    check_load(s, 'bulk_types', list(range(1, ROWS + 1)))


def step_batches(s):
    out = freebcp('bulk_batches', os.path.join(WORK, 'bulk.txt'), '-b', '1000')
    s.check('exit status', out.returncode, 0)
    if '%d rows copied.' % ROWS not in out.stdout:
        s.fail('freebcp output: %s %s' % (out.stdout.strip(), out.stderr.strip()))
    check_load(s, 'bulk_batches', list(range(1, ROWS + 1)))


def step_duplicate_key(s):
    # Row 5 of the file collides with the row already in the table: the load fails as a whole.
    path = os.path.join(WORK, 'dup.txt')
    with open(path, 'w', encoding='utf-8') as f:
        for i in range(1, 2001):
            f.write('%d\trow %d\n' % (i, i))
    out = freebcp('bulk_dup', path)
    if 'Violation of PRIMARY KEY constraint' not in out.stdout + out.stderr:
        s.fail('no 2627 reported: %s %s' % (out.stdout.strip(), out.stderr.strip()))
    s.check('rows after the failed load', query('SELECT id, v FROM dbo.bulk_dup'),
            [(5, 'already here')])


def step_identity(s):
    path = os.path.join(WORK, 'identity.txt')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('100\ta\n200\tb\n')
    # Without -E the file's identity values are not sent; the table generates its own.
    out = freebcp('bulk_identity', path)
    s.check('exit status', out.returncode, 0)
    # With -E freebcp sets IDENTITY_INSERT ON and sends them: they are kept.
    out = freebcp('bulk_identity', path, '-E')
    s.check('exit status -E', out.returncode, 0)
    s.check('rows', query('SELECT id, v FROM dbo.bulk_identity ORDER BY id'),
            [(1, 'a'), (2, 'b'), (100, 'a'), (200, 'b')])


def step_hints(s):
    with connect() as conn, conn.cursor() as cur:
        cur.execute('TRUNCATE TABLE dbo.bulk_batches')
    out = freebcp('bulk_batches', os.path.join(WORK, 'bulk.txt'), '-h',
                  'TABLOCK, ROWS_PER_BATCH = 10000, ORDER (id ASC), CHECK_CONSTRAINTS')
    s.check('exit status', out.returncode, 0)
    s.check('rows', query('SELECT count(*) FROM dbo.bulk_batches')[0][0], ROWS)


def main():
    r = Reporter()
    r.run('create', step_create, required=True)
    r.run('freebcp in: %d rows, every type, read back' % ROWS, step_load)
    r.run('freebcp in with -b 1000', step_batches)
    r.run('a duplicate key fails the whole load', step_duplicate_key)
    r.run('identity with and without -E', step_identity)
    r.run('hints (-h)', step_hints)
    r.finish()


if __name__ == '__main__':
    main()
