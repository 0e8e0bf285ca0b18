'use strict';
// The integration scenario (../README.md) driven by tedious, the pure-JavaScript TDS 7.4 client.
// Parameters go through execSql (sp_executesql RPC), transactions through beginTransaction /
// commitTransaction / rollbackTransaction (TM requests), cancel through connection.cancel()
// (an ATTENTION packet).

const {Connection, Request, TYPES} = require('tedious');
const c = require('./common');

function connect({database = c.DATABASE, port = c.PORT, password = c.PASSWORD, encrypt = false} = {}) {
  return new Promise((resolve, reject) => {
    const conn = new Connection({
      server: c.HOST,
      authentication: {type: 'default', options: {userName: 'sa', password}},
      options: {
        port, database, encrypt, trustServerCertificate: true, connectTimeout: 10000,
        requestTimeout: 0,
      },
    });
    let loginError = null;  // the ERROR token of a failed login: tedious reports its number here
    conn.on('errorMessage', (token) => { loginError = token; });
    conn.connect((err) => {
      if (err) {
        err.number = loginError ? loginError.number : undefined;
        err.class = loginError ? loginError.class : undefined;
        err.state = loginError ? loginError.state : undefined;
        reject(err);
      } else {
        resolve(conn);
      }
    });
  });
}

function close(conn) {
  return new Promise((resolve) => {
    if (conn.closed) return resolve();
    conn.on('end', resolve);
    conn.close();
  });
}

// Runs sql (execSql: sp_executesql; batch: a SQL batch) and resolves to {rows, rowCount}.
function exec(conn, sql, params = [], {batch = false} = {}) {
  return new Promise((resolve, reject) => {
    const rows = [];
    const req = new Request(sql, (err, rowCount) => (err ? reject(err) : resolve({rows, rowCount})));
    for (const [name, type, value, options] of params) req.addParameter(name, type, value, options);
    req.on('row', (columns) => rows.push(columns.map((col) => col.value)));
    if (batch) conn.execSqlBatch(req); else conn.execSql(req);
  });
}

async function scalar(conn, sql, params = []) {
  const {rows} = await exec(conn, sql, params);
  return rows[0][0];
}

function tx(conn, method) {
  return new Promise((resolve, reject) => conn[method]((err) => (err ? reject(err) : resolve())));
}

const errorInfo = (e) => [e.number, e.message];

// Parameter types: each column's own tedious type where a JS value can carry the scenario's
// value exactly. decimal(38,10), money and smallmoney go as varchar text (tedious encodes
// decimals in 64 bits and money through floating point) and datetimeoffset as text (tedious
// sends only the process's own UTC offset); the server converts them.
const S7 = {scale: 7};
const PARAM_TYPES = {
  c_tinyint: [TYPES.TinyInt],
  c_smallint: [TYPES.SmallInt],
  c_int: [TYPES.Int],
  c_bigint: [TYPES.BigInt],
  c_bit: [TYPES.Bit],
  c_real: [TYPES.Real],
  c_float: [TYPES.Float],
  c_decimal: [TYPES.VarChar, {length: 50}],
  c_numeric: [TYPES.Numeric, {precision: 10, scale: 2}],
  c_money: [TYPES.VarChar, {length: 30}],
  c_smallmoney: [TYPES.VarChar, {length: 30}],
  c_char: [TYPES.Char, {length: 10}],
  c_varchar: [TYPES.VarChar, {length: 50}],
  c_nchar: [TYPES.NChar, {length: 10}],
  c_nvarchar: [TYPES.NVarChar, {length: 50}],
  c_varcharmax: [TYPES.VarChar, {length: Infinity}],
  c_nvarcharmax: [TYPES.NVarChar, {length: Infinity}],
  c_binary: [TYPES.VarBinary, {length: 8}],  // TYPES.Binary writes `length`, then fewer bytes
  c_varbinary: [TYPES.VarBinary, {length: 50}],
  c_varbinarymax: [TYPES.VarBinary, {length: Infinity}],
  c_date: [TYPES.Date],
  c_time: [TYPES.Time, S7],
  c_datetime: [TYPES.DateTime],
  c_smalldatetime: [TYPES.SmallDateTime],
  c_datetime2: [TYPES.DateTime2, S7],
  c_dto: [TYPES.VarChar, {length: 40}],
  c_guid: [TYPES.UniqueIdentifier],
};
async function stepLogin(s) {
  const conn = await connect({database: 'master'});
  s.check('SELECT 1', await scalar(conn, 'SELECT 1'), 1);
  s.check('DB_NAME() after login', await scalar(conn, 'SELECT DB_NAME()'), 'master');
  await close(conn);
  const e = await s.expectError('wrong password', () => connect({database: 'master', password: c.PASSWORD + 'x'}),
                                18456, "Login failed for user 'sa'", errorInfo);
  if (e && e.number === 18456) {
    s.check('wrong password class', e.class, 14);
    s.check('wrong password state', e.state, 1);
  }
}

async function stepSchema(s) {
  let conn = await connect({database: 'master'});
  await exec(conn, 'CREATE DATABASE ' + c.DATABASE, [], {batch: true});
  await close(conn);
  conn = await connect();
  s.check('DB_NAME()', await scalar(conn, 'SELECT DB_NAME()'), c.DATABASE);
  await exec(conn, c.CREATE_TYPES, [], {batch: true});
  await exec(conn, c.CREATE_TX, [], {batch: true});
  await close(conn);
}

async function stepInsert(s) {
  const conn = await connect();
  const sql = `INSERT INTO dbo.it_types (row_name, ${c.NAMES.join(', ')}) VALUES (@row_name, ` +
      c.NAMES.map((n) => '@' + n).join(', ') + ')';
  for (const [name, row] of c.INSERT_ROWS) {
    const params = [['row_name', TYPES.VarChar, name, {length: 10}]];
    for (const n of c.NAMES) {
      const [type, options] = PARAM_TYPES[n];
      params.push([n, type, row[n], options]);
    }
    const {rowCount} = await exec(conn, sql, params);
    s.check(`rowCount of INSERT ${name}`, rowCount, 1);
  }
  s.check('@@IDENTITY', await scalar(conn, 'SELECT CAST(@@IDENTITY AS int)'), 3);
  await close(conn);
}

async function stepReadback(s) {
  const conn = await connect();
  const {rows} = await exec(conn, `SELECT id, row_name, ${c.NAMES.join(', ')} FROM dbo.it_types ORDER BY id`);
  const exact = (await exec(conn, c.EXACT_SQL)).rows;
  await close(conn);
  if (!s.check('row count', rows.length, 3)) return;
  c.READ_ROWS.forEach(([name, want], i) => {
    const got = rows[i];
    s.check(`${name}.id`, got[0], i + 1);
    s.check(`${name}.row_name`, got[1], name);
    c.NAMES.forEach((n, j) => s.check(`${name}.${n}`, got[j + 2], want[n], c.APPROX.has(n)));
  });
  c.EXACT_ROWS.forEach((want, i) => {
    ['row_name', 'CONVERT(varchar, c_decimal)', 'CONVERT(varchar, c_money, 2)',
     'CONVERT(varchar, c_smallmoney, 2)', 'DATEPART(tzoffset, c_dto)'].forEach((what, j) => {
      s.check(`${want[0]}.${what}`, exact[i] ? exact[i][j] : undefined, want[j]);
    });
  });
}

async function stepUpdateDelete(s) {
  const conn = await connect();
  const v = [['v', TYPES.NVarChar, 'updated ✓']];
  let r = await exec(conn, 'UPDATE dbo.it_types SET c_nvarchar = @v WHERE c_tinyint IS NOT NULL', v);
  s.check('UPDATE rowCount', r.rowCount, 2);
  r = await exec(conn, 'UPDATE dbo.it_types SET c_int = c_int WHERE id = @id', [['id', TYPES.Int, -1]]);
  s.check('UPDATE of no row rowCount', r.rowCount, 0);
  r = await exec(conn, 'DELETE FROM dbo.it_types WHERE c_tinyint IS NULL');
  s.check('DELETE rowCount', r.rowCount, 1);
  s.check('updated rows', await scalar(conn, 'SELECT COUNT(*) FROM dbo.it_types WHERE c_nvarchar = @v', v), 2);
  s.check('rows left', await scalar(conn, 'SELECT COUNT(*) FROM dbo.it_types'), 2);
  await close(conn);
}

async function stepTransactions(s) {
  const other = await connect();
  const conn = await connect();
  const ins = 'INSERT INTO dbo.it_tx (id, note) VALUES (@id, @note)';
  await tx(conn, 'beginTransaction');
  await exec(conn, ins, [['id', TYPES.Int, 1], ['note', TYPES.NVarChar, 'committed']]);
  s.check('@@TRANCOUNT inside', await scalar(conn, 'SELECT @@TRANCOUNT'), 1);
  await tx(conn, 'commitTransaction');
  s.check('committed row seen by another session',
          await scalar(other, 'SELECT note FROM dbo.it_tx WHERE id = 1'), 'committed');
  await tx(conn, 'beginTransaction');
  await exec(conn, ins, [['id', TYPES.Int, 2], ['note', TYPES.NVarChar, 'rolled back']]);
  s.check('own insert visible inside', await scalar(conn, 'SELECT COUNT(*) FROM dbo.it_tx'), 2);
  await tx(conn, 'rollbackTransaction');
  s.check('rolled back row gone', await scalar(conn, 'SELECT COUNT(*) FROM dbo.it_tx WHERE id = 2'), 0);
  s.check('@@TRANCOUNT after', await scalar(conn, 'SELECT @@TRANCOUNT'), 0);
  s.check('rolled back row never seen by another session',
          await scalar(other, 'SELECT COUNT(*) FROM dbo.it_tx'), 1);
  await close(conn);
  await close(other);
}

async function stepErrors(s) {
  const conn = await connect();
  const dup = await s.expectError('duplicate key', () => exec(conn, 'INSERT INTO dbo.it_tx (id, note) VALUES (@id, @note)',
                                                 [['id', TYPES.Int, 1], ['note', TYPES.NVarChar, 'duplicate']]),
                      2627, "Cannot insert duplicate key in object 'dbo.it_tx'. The duplicate key value is (1).",
                      errorInfo);
  const missing = await s.expectError('missing table', () => exec(conn, 'SELECT * FROM dbo.no_such_table'),
                      208, "Invalid object name 'dbo.no_such_table'.", errorInfo);
  const syntax = await s.expectError('syntax error', () => exec(conn, 'SELECT 1 +', [], {batch: true}),
                      102, "Incorrect syntax near '+'.", errorInfo);
  // SQL Server's severity (class) and state for each error.
  for (const [what, e, severity] of [['duplicate key', dup, 14], ['missing table', missing, 16],
                                     ['syntax error', syntax, 15]]) {
    if (e && e.number !== undefined) {
      s.check(`${what} class`, e.class, severity);
      s.check(`${what} state`, e.state, 1);
    }
  }
  s.check('connection still usable', await scalar(conn, 'SELECT 1'), 1);
  await close(conn);
}

async function stepCancel(s) {
  const conn = await connect();
  const start = Date.now();
  const pending = exec(conn, "WAITFOR DELAY '00:00:30'", [], {batch: true})
      .then(() => 'completed', (e) => e.code || e.message);
  await new Promise((r) => setTimeout(r, 500));
  const cancelAt = Date.now();
  conn.cancel();
  const outcome = await Promise.race([pending, new Promise((r) => setTimeout(() => r('timeout'), 10000))]);
  const took = (Date.now() - cancelAt) / 1000;
  s.check('outcome of the cancelled request', outcome, 'ECANCEL');
  if (took >= 5) s.fail(`cancel took ${took.toFixed(1)} s, want < 5 s`);
  if (outcome !== 'timeout') s.check('SELECT 1 after cancel', await scalar(conn, 'SELECT 1'), 1);
  if (Date.now() - start > 29000) s.fail('WAITFOR ran to completion');
  await close(conn);
}

async function stepTls(s) {
  const conn = await connect({encrypt: true});
  s.check('SELECT 1 over TLS', await scalar(conn, 'SELECT 1'), 1);
  s.check('nvarchar(max) over TLS',
          await scalar(conn, "SELECT c_nvarcharmax FROM dbo.it_types WHERE row_name = 'max'"), c.NVARCHARMAX);
  await close(conn);
}

async function stepTlsForced(s) {
  const conn = await connect({database: 'master', port: c.FORCED_PORT, encrypt: true});
  s.check('SELECT 1 over TLS (forced)', await scalar(conn, 'SELECT 1'), 1);
  await close(conn);
  try {
    const plain = await connect({database: 'master', port: c.FORCED_PORT, encrypt: false});
    await close(plain);
    s.fail('login without TLS to a --force-encryption server succeeded');
  } catch (e) {
    // Refused: tedious with encrypt: false sends ENCRYPT_NOT_SUP and gives up on a REQ answer.
  }
}

async function main() {
  const r = new c.Reporter();
  console.log(`client tedious ${require('tedious/package.json').version} as sa on ${c.HOST}:${c.PORT}, ` +
              `database ${c.DATABASE}`);
  await r.run('login', stepLogin, true);
  await r.run('schema', stepSchema);
  await r.run('insert', stepInsert);
  await r.run('readback', stepReadback);
  await r.run('update-delete', stepUpdateDelete);
  await r.run('transactions', stepTransactions);
  await r.run('errors', stepErrors);
  await r.run('cancel', stepCancel);
  await r.run('tls', stepTls);
  await r.run('tls-forced', stepTlsForced);
  r.finish();
}

main();
