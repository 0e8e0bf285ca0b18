"""Shared parts of the Python clients of the integration scenario (see ../README.md).

The scenario's data, in Python's own types, and a reporter that prints one line per step:
``PASS step`` or ``FAIL step: detail``. A check compares a value with the expected value written
here, type included (``Decimal('1.5')`` is not ``1.5``), so nothing passes by accident.
"""

import datetime
import decimal
import math
import os
import sys
import traceback
import uuid

D = decimal.Decimal

HOST = os.environ.get('EDGESQL_HOST', '127.0.0.1')
PORT = int(os.environ.get('EDGESQL_PORT', '1433'))
FORCED_PORT = int(os.environ.get('EDGESQL_FORCED_PORT', '1434'))
PASSWORD = os.environ.get('EDGESQL_PASSWORD', '')
CA_FILE = os.environ.get('EDGESQL_CA_FILE', '')
FORCED_CA_FILE = os.environ.get('EDGESQL_FORCED_CA_FILE', '')
CLIENT = os.environ.get('EDGESQL_CLIENT', 'python')
DATABASE = 'it_' + CLIENT

# The table of the scenario: (column, declared type), in order after id and row_name.
COLUMNS = [
    ('c_tinyint', 'tinyint'),
    ('c_smallint', 'smallint'),
    ('c_int', 'int'),
    ('c_bigint', 'bigint'),
    ('c_bit', 'bit'),
    ('c_real', 'real'),
    ('c_float', 'float'),
    ('c_decimal', 'decimal(38,10)'),
    ('c_numeric', 'numeric(10,2)'),
    ('c_money', 'money'),
    ('c_smallmoney', 'smallmoney'),
    ('c_char', 'char(10)'),
    ('c_varchar', 'varchar(50)'),
    ('c_nchar', 'nchar(10)'),
    ('c_nvarchar', 'nvarchar(50)'),
    ('c_varcharmax', 'varchar(max)'),
    ('c_nvarcharmax', 'nvarchar(max)'),
    ('c_binary', 'binary(8)'),
    ('c_varbinary', 'varbinary(50)'),
    ('c_varbinarymax', 'varbinary(max)'),
    ('c_date', 'date'),
    ('c_time', 'time(7)'),
    ('c_datetime', 'datetime'),
    ('c_smalldatetime', 'smalldatetime'),
    ('c_datetime2', 'datetime2(7)'),
    ('c_dto', 'datetimeoffset(7)'),
    ('c_guid', 'uniqueidentifier'),
]
NAMES = [c for c, _ in COLUMNS]

CREATE_TYPES = ('CREATE TABLE dbo.it_types (id int IDENTITY(1,1) PRIMARY KEY, '
                'row_name varchar(10) NOT NULL, ' +
                ', '.join('%s %s NULL' % c for c in COLUMNS) + ')')
CREATE_TX = 'CREATE TABLE dbo.it_tx (id int PRIMARY KEY, note nvarchar(20) NOT NULL)'

# Long and non-ASCII values. varchar columns use the default collation's code page, CP1252,
# which has both é and €; nvarchar(50) holds 50 UTF-16 code units and 😀 takes two of them.
VARCHAR50 = 'é€' + '0123456789' * 4 + 'abcdefgh'
NVARCHAR50 = 'é日本語😀' + 'n' * 44
VARCHARMAX = 'é€' * 5000
NVARCHARMAX = 'ab日本é' * 20000
VARBINARY50 = bytes(range(50))
VARBINARYMAX = bytes(i % 251 for i in range(102400))
assert len(VARCHAR50) == 50 and len(NVARCHAR50.encode('utf-16-le')) == 100
assert len(NVARCHARMAX) == 100000 and len(VARBINARYMAX) == 102400

# The values inserted, in the T-SQL literal form of the README (text for the temporal types
# whose fractions Python's datetime cannot hold).
TZ_0530 = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
TZ_M0800 = datetime.timezone(datetime.timedelta(hours=-8))
ROW_MAX = {
    'c_tinyint': 255,
    'c_smallint': 32767,
    'c_int': 2147483647,
    'c_bigint': 9223372036854775807,
    'c_bit': True,
    'c_real': 3.5,
    'c_float': 1.7976931348623157e308,
    'c_decimal': D('1234567890123456789012345678.9012345678'),
    'c_numeric': D('99999999.99'),
    'c_money': D('922337203685477.5807'),
    'c_smallmoney': D('214748.3647'),
    'c_char': 'abc',
    'c_varchar': VARCHAR50,
    'c_nchar': '日本',
    'c_nvarchar': NVARCHAR50,
    'c_varcharmax': VARCHARMAX,
    'c_nvarcharmax': NVARCHARMAX,
    'c_binary': bytes.fromhex('DEADBEEFCAFEBABE'),
    'c_varbinary': VARBINARY50,
    'c_varbinarymax': VARBINARYMAX,
    'c_date': datetime.date(9999, 12, 31),
    'c_time': '23:59:59.9999999',
    'c_datetime': datetime.datetime(9999, 12, 31, 23, 59, 59, 997000),
    'c_smalldatetime': datetime.datetime(2079, 6, 6, 23, 59),
    'c_datetime2': '9999-12-31 23:59:59.9999999',
    'c_dto': '2024-02-29 12:34:56.1234567 +05:30',
    'c_guid': uuid.UUID('6F9619FF-8B86-D011-B42D-00C04FC964FF'),
}
ROW_MIN = {
    'c_tinyint': 0,
    'c_smallint': -32768,
    'c_int': -2147483648,
    'c_bigint': -9223372036854775808,
    'c_bit': False,
    'c_real': -0.15625,
    'c_float': -2.2250738585072014e-308,
    'c_decimal': D('-1234567890123456789012345678.9012345678'),
    'c_numeric': D('-99999999.99'),
    'c_money': D('-922337203685477.5808'),
    'c_smallmoney': D('-214748.3648'),
    'c_char': '',
    'c_varchar': '',
    'c_nchar': '',
    'c_nvarchar': '',
    'c_varcharmax': '',
    'c_nvarcharmax': '',
    'c_binary': b'\xff',
    'c_varbinary': b'',
    'c_varbinarymax': b'',
    'c_date': datetime.date(1, 1, 1),
    'c_time': '00:00:00.0000000',
    'c_datetime': datetime.datetime(1753, 1, 1),
    'c_smalldatetime': datetime.datetime(1900, 1, 1),
    'c_datetime2': '0001-01-01 00:00:00.0000000',
    'c_dto': '2001-02-03 04:05:06.7000000 -08:00',
    'c_guid': uuid.UUID('00000000-0000-0000-0000-000000000000'),
}
ROW_NULLS = {c: None for c in NAMES}
ROWS = [('nulls', ROW_NULLS), ('max', ROW_MAX), ('min', ROW_MIN)]


def stored(row):
    """What SQL Server stores for a row: char/nchar/binary padded to their length."""
    out = dict(row)
    if row['c_char'] is not None:
        out['c_char'] = row['c_char'].ljust(10)
        out['c_nchar'] = row['c_nchar'].ljust(10)
        out['c_binary'] = row['c_binary'].ljust(8, b'\0')
    return out


def _show(v):
    r = repr(v)
    if len(r) > 80:
        r = r[:60] + '...(len %d)' % len(v)
    return '%s %s' % (type(v).__name__, r)


def _first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def same(got, want):
    """Equal value and type; floats compare bit-exactly, datetimes also by UTC offset."""
    if type(got) is not type(want):
        return False
    if isinstance(want, float):
        return got == want or (math.isnan(got) and math.isnan(want))
    if isinstance(want, datetime.datetime):
        return got == want and got.utcoffset() == want.utcoffset()
    if isinstance(want, decimal.Decimal):
        return got == want
    return got == want


class Step:
    """Collects the failed checks of one step."""

    def __init__(self, name):
        self.name = name
        self.failures = []

    def fail(self, detail):
        self.failures.append(detail)

    def check(self, what, got, want):
        if same(got, want):
            return True
        detail = '%s: got %s, want %s' % (what, _show(got), _show(want))
        if isinstance(got, (str, bytes)) and isinstance(want, type(got)):
            detail += ' (first difference at index %d)' % _first_difference(got, want)
        self.fail(detail)
        return False

    def expect_error(self, what, fn, number, message_part, error_info):
        """Runs fn, which must fail with SQL Server error `number`.

        error_info(exception) returns the (number, message) the client exposes.
        """
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - the client's own exception classes vary
            got, text = error_info(e)
            if got != number:
                self.fail('%s: want error %d, got %r (%s)' % (what, number, got, e))
                return None
            if message_part and message_part not in text:
                self.fail('%s: error %d message %r lacks %r' % (what, number, text, message_part))
            return e
        self.fail('%s: succeeded, want error %d' % (what, number))
        return None


class Reporter:
    def __init__(self):
        self.failed = False
        self.blocker = None

    def run(self, name, fn, required=False):
        """Runs one step; an unexpected exception fails it. Returns the step's result.

        When a `required` step (login) fails, the later steps are reported as failed, not run.
        """
        if self.blocker:
            print('FAIL %s: not run, step %s failed' % (name, self.blocker), flush=True)
            return None
        step = Step(name)
        result = None
        try:
            result = fn(step)
        except Exception as e:  # noqa: BLE001
            tb = traceback.format_exc().strip().splitlines()
            step.fail('unexpected %s: %s [%s]' % (type(e).__name__, e, tb[-3].strip()
                                                  if len(tb) >= 3 else ''))
        if step.failures:
            self.failed = True
            for f in step.failures:
                print('FAIL %s: %s' % (name, f), flush=True)
            if required:
                self.blocker = name
        else:
            print('PASS %s' % name, flush=True)
        return result

    def finish(self):
        sys.exit(1 if self.failed else 0)
