'use strict';
// The integration scenario (../README.md) driven by mssql (node-mssql), the pooled, promise-based
// API most Node applications use, over tedious. request.query() with inputs is sp_executesql,
// request.batch() a SQL batch; sql.Transaction uses tedious' TM requests; request.cancel() sends
// an ATTENTION. The pool holds one connection, so "the same connection" is meaningful.

const sql = require('mssql');
const c = require('./common');

async function connect({database = c.DATABASE, port = c.PORT, password = c.PASSWORD, encrypt = false} = {}) {
  const pool = new sql.ConnectionPool({
    server: c.HOST, port, user: 'sa', password, database,
    options: {encrypt, trustServerCertificate: true},
    pool: {max: 1, min: 0},
    connectionTimeout: 10000,
    requestTimeout: 0,
  });
  await pool.connect();
  return pool;
}

// Runs text with inputs [[name, type, value]]: query (sp_executesql) or batch. Rows are arrays.
async function run(target, text, inputs = [], {batch = false} = {}) {
  const req = new sql.Request(target);
  req.arrayRowMode = true;
  for (const [name, type, value] of inputs) req.input(name, type, value);
  const res = batch ? await req.batch(text) : await req.query(text);
  return {rows: res.recordset || [], rowsAffected: res.rowsAffected};
}

async function scalar(target, text, inputs = []) {
  return (await run(target, text, inputs)).rows[0][0];
}

const errorInfo = (e) => [e.number, e.message];

// Input types as for tedious (tedious_scenario.js): the column's own type where a JS value holds
// the scenario's value exactly, text otherwise.
const INPUT_TYPES = {
  c_tinyint: sql.TinyInt,
  c_smallint: sql.SmallInt,
  c_int: sql.Int,
  c_bigint: sql.BigInt,
  c_bit: sql.Bit,
  c_real: sql.Real,
  c_float: sql.Float,
  c_decimal: sql.VarChar(50),
  c_numeric: sql.Numeric(10, 2),
  c_money: sql.VarChar(30),
  c_smallmoney: sql.VarChar(30),
  c_char: sql.Char(10),
  c_varchar: sql.VarChar(50),
  c_nchar: sql.NChar(10),
  c_nvarchar: sql.NVarChar(50),
  c_varcharmax: sql.VarChar(sql.MAX),
  c_nvarcharmax: sql.NVarChar(sql.MAX),
  c_binary: sql.VarBinary(8),  // sql.Binary (tedious' Binary) writes 8, then fewer bytes
  c_varbinary: sql.VarBinary(50),
  c_varbinarymax: sql.VarBinary(sql.MAX),
  c_date: sql.Date,
  c_time: sql.Time(7),
  c_datetime: sql.DateTime,
  c_smalldatetime: sql.SmallDateTime,
  c_datetime2: sql.DateTime2(7),
  c_dto: sql.VarChar(40),
  c_guid: sql.UniqueIdentifier,
};
async function stepLogin(s) {
  const pool = await connect({database: 'master'});
  s.check('SELECT 1', await scalar(pool, 'SELECT 1'), 1);
  s.check('DB_NAME() after login', await scalar(pool, 'SELECT DB_NAME()'), 'master');
  await pool.close();
  // mssql's ConnectionError does not carry the number; its message is error 18456's text.
  await s.expectError('wrong password', () => connect({database: 'master', password: c.PASSWORD + 'x'}),
                      18456, "Login failed for user 'sa'.",
                      (e) => [e.code === 'ELOGIN' && /^Login failed for user 'sa'\./.test(e.message) ? 18456 : e.code,
                              e.message]);
}

async function stepSchema(s) {
  let pool = await connect({database: 'master'});
  await run(pool, 'CREATE DATABASE ' + c.DATABASE, [], {batch: true});
  await pool.close();
  pool = await connect();
  s.check('DB_NAME()', await scalar(pool, 'SELECT DB_NAME()'), c.DATABASE);
  await run(pool, c.CREATE_TYPES, [], {batch: true});
  await run(pool, c.CREATE_TX, [], {batch: true});
  await pool.close();
}

async function stepInsert(s) {
  const pool = await connect();
  const text = `INSERT INTO dbo.it_types (row_name, ${c.NAMES.join(', ')}) VALUES (@row_name, ` +
      c.NAMES.map((n) => '@' + n).join(', ') + ')';
  for (const [name, row] of c.INSERT_ROWS) {
    const inputs = [['row_name', sql.VarChar(10), name]];
    for (const n of c.NAMES) inputs.push([n, INPUT_TYPES[n], row[n]]);
    const {rowsAffected} = await run(pool, text, inputs);
    s.check(`rowsAffected of INSERT ${name}`, JSON.stringify(rowsAffected), '[1]');
  }
  s.check('@@IDENTITY', await scalar(pool, 'SELECT CAST(@@IDENTITY AS int)'), 3);
  await pool.close();
}

async function stepReadback(s) {
  const pool = await connect();
  const {rows} = await run(pool, `SELECT id, row_name, ${c.NAMES.join(', ')} FROM dbo.it_types ORDER BY id`);
  const exact = (await run(pool, c.EXACT_SQL)).rows;
  await pool.close();
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
  const pool = await connect();
  const v = [['v', sql.NVarChar(20), 'updated ✓']];
  let r = await run(pool, 'UPDATE dbo.it_types SET c_nvarchar = @v WHERE c_tinyint IS NOT NULL', v);
  s.check('UPDATE rowsAffected', JSON.stringify(r.rowsAffected), '[2]');
  r = await run(pool, 'UPDATE dbo.it_types SET c_int = c_int WHERE id = @id', [['id', sql.Int, -1]]);
  s.check('UPDATE of no row rowsAffected', JSON.stringify(r.rowsAffected), '[0]');
  r = await run(pool, 'DELETE FROM dbo.it_types WHERE c_tinyint IS NULL', [], {batch: true});
  s.check('DELETE rowsAffected', JSON.stringify(r.rowsAffected), '[1]');
  s.check('updated rows', await scalar(pool, 'SELECT COUNT(*) FROM dbo.it_types WHERE c_nvarchar = @v', v), 2);
  s.check('rows left', await scalar(pool, 'SELECT COUNT(*) FROM dbo.it_types'), 2);
  await pool.close();
}

async function stepTransactions(s) {
  const other = await connect();
  const pool = await connect();
  const ins = 'INSERT INTO dbo.it_tx (id, note) VALUES (@id, @note)';
  let t = new sql.Transaction(pool);
  await t.begin();
  await run(t, ins, [['id', sql.Int, 1], ['note', sql.NVarChar(20), 'committed']]);
  s.check('@@TRANCOUNT inside', await scalar(t, 'SELECT @@TRANCOUNT'), 1);
  await t.commit();
  s.check('committed row seen by another session',
          await scalar(other, 'SELECT note FROM dbo.it_tx WHERE id = 1'), 'committed');
  t = new sql.Transaction(pool);
  await t.begin();
  await run(t, ins, [['id', sql.Int, 2], ['note', sql.NVarChar(20), 'rolled back']]);
  s.check('own insert visible inside', await scalar(t, 'SELECT COUNT(*) FROM dbo.it_tx'), 2);
  await t.rollback();
  s.check('rolled back row gone', await scalar(pool, 'SELECT COUNT(*) FROM dbo.it_tx WHERE id = 2'), 0);
  s.check('@@TRANCOUNT after', await scalar(pool, 'SELECT @@TRANCOUNT'), 0);
  s.check('rolled back row never seen by another session',
          await scalar(other, 'SELECT COUNT(*) FROM dbo.it_tx'), 1);
  await pool.close();
  await other.close();
}

async function stepErrors(s) {
  const pool = await connect();
  const dup = await s.expectError('duplicate key',
                      () => run(pool, 'INSERT INTO dbo.it_tx (id, note) VALUES (@id, @note)',
                                [['id', sql.Int, 1], ['note', sql.NVarChar(20), 'duplicate']]),
                      2627, "Cannot insert duplicate key in object 'dbo.it_tx'. The duplicate key value is (1).",
                      errorInfo);
  const missing = await s.expectError('missing table', () => run(pool, 'SELECT * FROM dbo.no_such_table'),
                      208, "Invalid object name 'dbo.no_such_table'.", errorInfo);
  const syntax = await s.expectError('syntax error', () => run(pool, 'SELECT 1 +', [], {batch: true}),
                      102, "Incorrect syntax near '+'.", errorInfo);
  // SQL Server's severity (class) and state for each error.
  for (const [what, e, severity] of [['duplicate key', dup, 14], ['missing table', missing, 16],
                                     ['syntax error', syntax, 15]]) {
    if (e && e.number !== undefined) {
      s.check(`${what} class`, e.class, severity);
      s.check(`${what} state`, e.state, 1);
    }
  }
  s.check('connection still usable', await scalar(pool, 'SELECT 1'), 1);
  await pool.close();
}

async function stepCancel(s) {
  const pool = await connect();
  // A session setting marks the pool's one connection: a replacement would report -1.
  await run(pool, 'SET LOCK_TIMEOUT 4321', [], {batch: true});
  const req = new sql.Request(pool);
  const start = Date.now();
  const pending = req.batch("WAITFOR DELAY '00:00:30'").then(() => 'completed', (e) => e.code || e.message);
  await new Promise((r) => setTimeout(r, 500));
  const cancelAt = Date.now();
  req.cancel();
  const outcome = await Promise.race([pending, new Promise((r) => setTimeout(() => r('timeout'), 10000))]);
  const took = (Date.now() - cancelAt) / 1000;
  s.check('outcome of the cancelled request', outcome, 'ECANCEL');
  if (took >= 5) s.fail(`cancel took ${took.toFixed(1)} s, want < 5 s`);
  if (outcome !== 'timeout') {
    s.check('SELECT 1 after cancel', await scalar(pool, 'SELECT 1'), 1);
    s.check('@@LOCK_TIMEOUT after cancel (same connection)', await scalar(pool, 'SELECT @@LOCK_TIMEOUT'), 4321);
  }
  if (Date.now() - start > 29000) s.fail('WAITFOR ran to completion');
  await pool.close();
}

async function stepTls(s) {
  const pool = await connect({encrypt: true});
  s.check('SELECT 1 over TLS', await scalar(pool, 'SELECT 1'), 1);
  s.check('nvarchar(max) over TLS',
          await scalar(pool, "SELECT c_nvarcharmax FROM dbo.it_types WHERE row_name = 'max'"), c.NVARCHARMAX);
  await pool.close();
}

async function stepTlsForced(s) {
  const pool = await connect({database: 'master', port: c.FORCED_PORT, encrypt: true});
  s.check('SELECT 1 over TLS (forced)', await scalar(pool, 'SELECT 1'), 1);
  await pool.close();
  let plain = null;
  try {
    plain = await connect({database: 'master', port: c.FORCED_PORT, encrypt: false});
    s.fail('login without TLS to a --force-encryption server succeeded');
  } catch (e) {
    // Refused: encrypt: false sends ENCRYPT_NOT_SUP, which a REQ answer rejects.
  }
  if (plain) await plain.close();
}

async function main() {
  const r = new c.Reporter();
  console.log(`client mssql ${require('mssql/package.json').version} (tedious ` +
              `${require('tedious/package.json').version}) as sa on ${c.HOST}:${c.PORT}, database ${c.DATABASE}`);
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
