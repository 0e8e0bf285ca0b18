'use strict';
// Shared parts of the Node clients (tedious, mssql) of the integration scenario (../README.md):
// the scenario's data, the values tedious returns for it, and a reporter printing one line per
// step, `PASS step` or `FAIL step: detail`.

const env = process.env;
const HOST = env.EDGESQL_HOST || '127.0.0.1';
const PORT = Number(env.EDGESQL_PORT || 1433);
const FORCED_PORT = Number(env.EDGESQL_FORCED_PORT || 1434);
const PASSWORD = env.EDGESQL_PASSWORD || '';
const CLIENT = env.EDGESQL_CLIENT || 'node';
const DATABASE = 'it_' + CLIENT;

const COLUMNS = [
  ['c_tinyint', 'tinyint'],
  ['c_smallint', 'smallint'],
  ['c_int', 'int'],
  ['c_bigint', 'bigint'],
  ['c_bit', 'bit'],
  ['c_real', 'real'],
  ['c_float', 'float'],
  ['c_decimal', 'decimal(38,10)'],
  ['c_numeric', 'numeric(10,2)'],
  ['c_money', 'money'],
  ['c_smallmoney', 'smallmoney'],
  ['c_char', 'char(10)'],
  ['c_varchar', 'varchar(50)'],
  ['c_nchar', 'nchar(10)'],
  ['c_nvarchar', 'nvarchar(50)'],
  ['c_varcharmax', 'varchar(max)'],
  ['c_nvarcharmax', 'nvarchar(max)'],
  ['c_binary', 'binary(8)'],
  ['c_varbinary', 'varbinary(50)'],
  ['c_varbinarymax', 'varbinary(max)'],
  ['c_date', 'date'],
  ['c_time', 'time(7)'],
  ['c_datetime', 'datetime'],
  ['c_smalldatetime', 'smalldatetime'],
  ['c_datetime2', 'datetime2(7)'],
  ['c_dto', 'datetimeoffset(7)'],
  ['c_guid', 'uniqueidentifier'],
];
const NAMES = COLUMNS.map((c) => c[0]);
const CREATE_TYPES = 'CREATE TABLE dbo.it_types (id int IDENTITY(1,1) PRIMARY KEY, ' +
    'row_name varchar(10) NOT NULL, ' + COLUMNS.map((c) => `${c[0]} ${c[1]} NULL`).join(', ') +
    ')';
const CREATE_TX = 'CREATE TABLE dbo.it_tx (id int PRIMARY KEY, note nvarchar(20) NOT NULL)';

// Long and non-ASCII values (JS string lengths are UTF-16 code units, as nvarchar's are).
const VARCHAR50 = 'é€' + '0123456789'.repeat(4) + 'abcdefgh';
const NVARCHAR50 = 'é日本語😀' + 'n'.repeat(44);
const VARCHARMAX = 'é€'.repeat(5000);
const NVARCHARMAX = 'ab日本é'.repeat(20000);
const VARBINARY50 = Buffer.from(Array.from({length: 50}, (_, i) => i));
const VARBINARYMAX = Buffer.from(Array.from({length: 102400}, (_, i) => i % 251));
if (VARCHAR50.length !== 50 || NVARCHAR50.length !== 50 || NVARCHARMAX.length !== 100000) {
  throw new Error('scenario data has the wrong lengths');
}

// A Date in UTC that also works for years below 100 (Date.UTC maps 0-99 to 1900-1999), with
// tedious' nanosecondDelta (seconds beyond the millisecond) when given.
function utc(y, mo, d, h = 0, mi = 0, s = 0, ms = 0, nanosecondDelta = undefined) {
  const t = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
  t.setUTCFullYear(y, mo - 1, d);
  if (nanosecondDelta !== undefined) t.nanosecondDelta = nanosecondDelta;
  return t;
}

// The values inserted (README's table) as the Node clients pass them: the column's JS type where
// it holds the value exactly, T-SQL text where it cannot (38-digit decimal, money extremes,
// datetimeoffset with an offset other than the process's own); see each client's parameter types.
const INSERT_MAX = {
  c_tinyint: 255,
  c_smallint: 32767,
  c_int: 2147483647,
  c_bigint: 9223372036854775807n,
  c_bit: true,
  c_real: 3.5,
  c_float: 1.7976931348623157e308,
  c_decimal: '1234567890123456789012345678.9012345678',
  c_numeric: 99999999.99,
  c_money: '922337203685477.5807',
  c_smallmoney: '214748.3647',
  c_char: 'abc',
  c_varchar: VARCHAR50,
  c_nchar: '日本',
  c_nvarchar: NVARCHAR50,
  c_varcharmax: VARCHARMAX,
  c_nvarcharmax: NVARCHARMAX,
  c_binary: Buffer.from('DEADBEEFCAFEBABE', 'hex'),
  c_varbinary: VARBINARY50,
  c_varbinarymax: VARBINARYMAX,
  c_date: utc(9999, 12, 31),
  c_time: utc(1970, 1, 1, 23, 59, 59, 999, 0.0009999),
  c_datetime: utc(9999, 12, 31, 23, 59, 59, 997),
  c_smalldatetime: utc(2079, 6, 6, 23, 59),
  c_datetime2: utc(9999, 12, 31, 23, 59, 59, 999, 0.0009999),
  c_dto: '2024-02-29 12:34:56.1234567 +05:30',
  c_guid: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
};
const INSERT_MIN = {
  c_tinyint: 0,
  c_smallint: -32768,
  c_int: -2147483648,
  c_bigint: -9223372036854775808n,
  c_bit: false,
  c_real: -0.15625,
  c_float: -2.2250738585072014e-308,
  c_decimal: '-1234567890123456789012345678.9012345678',
  c_numeric: -99999999.99,
  c_money: '-922337203685477.5808',
  c_smallmoney: '-214748.3648',
  c_char: '',
  c_varchar: '',
  c_nchar: '',
  c_nvarchar: '',
  c_varcharmax: '',
  c_nvarcharmax: '',
  c_binary: Buffer.from('FF', 'hex'),
  c_varbinary: Buffer.alloc(0),
  c_varbinarymax: Buffer.alloc(0),
  c_date: utc(1, 1, 1),
  c_time: utc(1970, 1, 1),
  c_datetime: utc(1753, 1, 1),
  c_smalldatetime: utc(1900, 1, 1),
  c_datetime2: utc(1, 1, 1),
  c_dto: '2001-02-03 04:05:06.7000000 -08:00',
  c_guid: '00000000-0000-0000-0000-000000000000',
};
const INSERT_ROWS = [
  ['nulls', Object.fromEntries(NAMES.map((n) => [n, null]))],
  ['max', INSERT_MAX],
  ['min', INSERT_MIN],
];

// What tedious returns for the stored rows (useUTC, its default). It decodes bigint as a string,
// decimal/numeric/money as a JS number computed in floating point (compared to within 2 ulp; the
// exact digits are checked separately through CONVERT), temporal types as Dates in UTC with the
// 100 ns remainder in a `nanosecondsDelta` property (datetimeoffset: the UTC instant; its offset
// is checked with DATEPART(tzoffset)), GUIDs as upper-case strings, binary as Buffers.
const APPROX = new Set(['c_decimal', 'c_numeric', 'c_money', 'c_smallmoney']);
const READ_MAX = {
  c_tinyint: 255,
  c_smallint: 32767,
  c_int: 2147483647,
  c_bigint: '9223372036854775807',
  c_bit: true,
  c_real: 3.5,
  c_float: 1.7976931348623157e308,
  c_decimal: 1234567890123456789012345678.9012345678,
  c_numeric: 99999999.99,
  c_money: 922337203685477.5807,
  c_smallmoney: 214748.3647,
  c_char: 'abc       ',
  c_varchar: VARCHAR50,
  c_nchar: '日本        ',
  c_nvarchar: NVARCHAR50,
  c_varcharmax: VARCHARMAX,
  c_nvarcharmax: NVARCHARMAX,
  c_binary: Buffer.from('DEADBEEFCAFEBABE', 'hex'),
  c_varbinary: VARBINARY50,
  c_varbinarymax: VARBINARYMAX,
  c_date: utc(9999, 12, 31),
  c_time: withDelta(utc(1970, 1, 1, 23, 59, 59, 999), 9999 / 1e7),
  c_datetime: utc(9999, 12, 31, 23, 59, 59, 997),
  c_smalldatetime: utc(2079, 6, 6, 23, 59),
  c_datetime2: withDelta(utc(9999, 12, 31, 23, 59, 59, 999), 9999 / 1e7),
  c_dto: withDelta(utc(2024, 2, 29, 7, 4, 56, 123), 4567 / 1e7),  // 12:34:56.1234567 +05:30
  c_guid: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
};
const READ_MIN = {
  c_tinyint: 0,
  c_smallint: -32768,
  c_int: -2147483648,
  c_bigint: '-9223372036854775808',
  c_bit: false,
  c_real: -0.15625,
  c_float: -2.2250738585072014e-308,
  c_decimal: -1234567890123456789012345678.9012345678,
  c_numeric: -99999999.99,
  c_money: -922337203685477.5808,
  c_smallmoney: -214748.3648,
  c_char: ' '.repeat(10),
  c_varchar: '',
  c_nchar: ' '.repeat(10),
  c_nvarchar: '',
  c_varcharmax: '',
  c_nvarcharmax: '',
  c_binary: Buffer.from('FF00000000000000', 'hex'),
  c_varbinary: Buffer.alloc(0),
  c_varbinarymax: Buffer.alloc(0),
  c_date: utc(1, 1, 1),
  c_time: withDelta(utc(1970, 1, 1), 0),
  c_datetime: utc(1753, 1, 1),
  c_smalldatetime: utc(1900, 1, 1),
  c_datetime2: withDelta(utc(1, 1, 1), 0),
  c_dto: withDelta(utc(2001, 2, 3, 12, 5, 6, 700), 0),  // 04:05:06.7 -08:00
  c_guid: '00000000-0000-0000-0000-000000000000',
};
const READ_NULLS = Object.fromEntries(NAMES.map((c) => [c, null]));
const READ_ROWS = [['nulls', READ_NULLS], ['max', READ_MAX], ['min', READ_MIN]];

// Exact digits of the values tedious turns into doubles, and the datetimeoffset offsets, as
// SQL Server's CONVERT(varchar, x) (money with style 2: four decimals) and DATEPART return them.
const EXACT_SQL = 'SELECT row_name, CONVERT(varchar(50), c_decimal), CONVERT(varchar(30), c_money, 2), ' +
    'CONVERT(varchar(30), c_smallmoney, 2), DATEPART(tzoffset, c_dto) FROM dbo.it_types ORDER BY id';
const EXACT_ROWS = [
  ['nulls', null, null, null, null],
  ['max', '1234567890123456789012345678.9012345678', '922337203685477.5807', '214748.3647', 330],
  ['min', '-1234567890123456789012345678.9012345678', '-922337203685477.5808', '-214748.3648', -480],
];

function withDelta(date, delta) {
  Object.defineProperty(date, 'nanosecondsDelta', {value: delta, enumerable: false});
  return date;
}

function show(v) {
  if (v === null || v === undefined) return String(v);
  if (Buffer.isBuffer(v)) {
    return `Buffer(${v.length}) ${v.subarray(0, 24).toString('hex')}${v.length > 24 ? '...' : ''}`;
  }
  if (v instanceof Date) {
    const d = v.nanosecondsDelta;
    return `Date ${isNaN(v) ? 'Invalid' : v.toISOString()}${d !== undefined ? ` +${d}s` : ''}`;
  }
  if (typeof v === 'string') {
    return `string(${v.length}) ${JSON.stringify(v.length > 60 ? v.slice(0, 60) + '...' : v)}`;
  }
  return `${typeof v} ${String(v)}`;
}

function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

// Equal value and type. Dates compare their time and nanosecondsDelta; with `approx`, numbers
// may differ by 2 ulp.
function same(got, want, approx) {
  if (want === null) return got === null;
  if (Buffer.isBuffer(want)) return Buffer.isBuffer(got) && got.equals(want);
  if (want instanceof Date) {
    return got instanceof Date && got.getTime() === want.getTime() &&
        got.nanosecondsDelta === want.nanosecondsDelta;
  }
  if (typeof got !== typeof want) return false;
  if (approx && typeof want === 'number') {
    return Math.abs(got - want) <= 2 * Number.EPSILON * Math.abs(want);
  }
  return Object.is(got, want) || got === want;
}

class Step {
  constructor(name) {
    this.name = name;
    this.failures = [];
  }
  fail(detail) {
    this.failures.push(detail);
  }
  check(what, got, want, approx = false) {
    if (same(got, want, approx)) return true;
    let detail = `${what}: got ${show(got)}, want ${show(want)}`;
    if (typeof got === 'string' && typeof want === 'string') {
      detail += ` (first difference at index ${firstDifference(got, want)})`;
    }
    this.fail(detail);
    return false;
  }
  // Awaits fn(), which must fail with SQL Server error `number`; info(err) gives the client's
  // [number, message].
  async expectError(what, fn, number, messagePart, info) {
    try {
      await fn();
    } catch (e) {
      const [got, text] = info(e);
      if (got !== number) {
        this.fail(`${what}: want error ${number}, got ${got} (${e.message})`);
      } else if (messagePart && !String(text).includes(messagePart)) {
        this.fail(`${what}: error ${number} message ${JSON.stringify(text)} lacks ` +
                  JSON.stringify(messagePart));
      }
      return e;
    }
    this.fail(`${what}: succeeded, want error ${number}`);
    return null;
  }
}

class Reporter {
  constructor() {
    this.failed = false;
    this.blocker = null;
  }
  async run(name, fn, required = false) {
    if (this.blocker) {
      console.log(`FAIL ${name}: not run, step ${this.blocker} failed`);
      return;
    }
    const step = new Step(name);
    try {
      await fn(step);
    } catch (e) {
      const where = (e.stack || '').split('\n').find((l) => l.includes('_scenario.js')) || '';
      step.fail(`unexpected ${e.name}: ${e.message} ${where.trim()}`);
    }
    if (step.failures.length) {
      this.failed = true;
      for (const f of step.failures) console.log(`FAIL ${name}: ${f}`);
      if (required) this.blocker = name;
    } else {
      console.log(`PASS ${name}`);
    }
  }
  finish() {
    process.exit(this.failed ? 1 : 0);
  }
}

module.exports = {
  HOST, PORT, FORCED_PORT, PASSWORD, CLIENT, DATABASE, COLUMNS, NAMES, CREATE_TYPES, CREATE_TX,
  VARCHAR50, NVARCHAR50, VARCHARMAX, NVARCHARMAX, VARBINARY50, VARBINARYMAX, utc, withDelta,
  INSERT_ROWS, APPROX, READ_ROWS, EXACT_SQL, EXACT_ROWS, Reporter,
};
