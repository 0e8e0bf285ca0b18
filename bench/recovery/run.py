#!/usr/bin/env python3
"""Recovery benchmark: time from SIGKILL of the edgesql server to the first successful query.

A benchmark, not a test: it measures and reports, it never passes or fails on a threshold.
See bench/recovery/README.md.

For each database size: start `edgesql up` on a fresh data directory (in a temp directory), build
database `bench` to the size, start N writer processes doing single-row autocommit INSERTs, then
K times: wait for the server to serve and a random 200-500 ms of load to pass, SIGKILL the server
(PID from DIR/run/server.pid), and probe with NEW connections + SELECT 1 until one succeeds.
recovery = t1 - t0 (time.monotonic() just before os.kill to the successful SELECT 1).
"""

import argparse
import datetime
import json
import math
import multiprocessing
import os
import platform
import random
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

import pytds

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from docsection import replace_section  # noqa: E402  (one section writer for every report)

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
DEFAULT_BINARY = os.path.join(REPO, 'build', 'src', 'cli', 'edgesql')
SECTION = '## Recovery (bench/recovery)'
TARGET_P99_MS = 100.0  # the target from the failure model (DESIGN.md): serving again in < 100 ms

UNITS = {'B': 1, 'KB': 1 << 10, 'MB': 1 << 20, 'GB': 1 << 30}


def parse_size(text):
    m = re.fullmatch(r'\s*(\d+(?:\.\d+)?)\s*([KMG]?B)\s*', text.upper())
    if not m:
        raise argparse.ArgumentTypeError('bad size %r (use e.g. 1MB, 10MB, 1GB)' % text)
    return int(float(m.group(1)) * UNITS[m.group(2)])


def fmt_bytes(n):
    if n is None:
        return '-'
    for unit, div in (('GiB', 1 << 30), ('MiB', 1 << 20), ('KiB', 1 << 10)):
        if n >= div:
            return '%.1f %s' % (n / div, unit)
    return '%d B' % n


def pct(values, p):
    """Nearest-rank percentile (p99 of 100 samples is the 99th smallest)."""
    if not values:
        return None
    s = sorted(values)
    k = max(1, math.ceil(p / 100.0 * len(s)))
    return s[k - 1]


def fmt_ms(v):
    return '-' if v is None else '%.1f' % v


def log(*a):
    print('[%s]' % time.strftime('%H:%M:%S'), *a, flush=True)


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def file_size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def db_logical_size(db_file):
    """page_count * page_size of a SQLite database, WAL included: a read-only connection of our
    own (edgesql's CHECKPOINT statement is a no-op, so the main file alone lags behind the WAL).
    Falls back to the size of the main file."""
    try:
        conn = sqlite3.connect('file:%s?mode=ro' % db_file, uri=True, timeout=5)
        try:
            pages = conn.execute('PRAGMA page_count').fetchone()[0]
            page_size = conn.execute('PRAGMA page_size').fetchone()[0]
            return pages * page_size
        finally:
            conn.close()
    except sqlite3.Error:
        return file_size(db_file)


def loadavg():
    try:
        with open('/proc/loadavg') as f:
            return float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def read_json(path, tries=50):
    """status.json may be replaced while we read it: retry a bounded number of times."""
    for _ in range(tries):
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError):
            time.sleep(0.01)
    return None


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


# ---------------------------------------------------------------- clients

class Endpoint:
    def __init__(self, port, password, host='127.0.0.1'):
        self.host, self.port, self.password = host, port, password

    def connect(self, database='bench', login_timeout=2.0, timeout=None, sock=None):
        return pytds.connect(self.host, port=self.port, user='sa', password=self.password,
                             database=database, autocommit=True, login_timeout=login_timeout,
                             timeout=timeout, sock=sock, disable_connect_retry=True)

    def execute(self, sql, database='bench', timeout=None):
        conn = self.connect(database=database, login_timeout=10, timeout=timeout)
        try:
            cur = conn.cursor()
            cur.execute(sql)
            try:
                return cur.fetchall()
            except Exception:
                return cur.rowcount
        finally:
            conn.close()


def probe_once(ep, timeout):
    """One attempt: a NEW TCP connection, TDS login, SELECT 1. Returns a dict; raises on failure.

    The TCP connect is done here so that a refused connection shows up as ConnectionRefusedError
    (pytds would wrap it)."""
    ta = time.monotonic()
    sock = socket.create_connection((ep.host, ep.port), timeout=timeout)
    tc = time.monotonic()
    try:
        conn = ep.connect(database='bench', login_timeout=timeout, timeout=timeout, sock=sock)
    except BaseException:
        sock.close()
        raise
    tl = time.monotonic()
    try:
        cur = conn.cursor()
        cur.execute('SELECT 1')
        rows = cur.fetchall()
        if rows != [(1,)]:
            raise RuntimeError('SELECT 1 returned %r' % (rows,))
    finally:
        try:
            conn.close()
        except Exception:
            pass
    tq = time.monotonic()
    return {'start': ta, 'connected': tc, 'logged_in': tl, 'done': tq}


def writer_main(idx, port, password, stop, ok, err, login_timeout):
    """A writer process: single-row autocommit INSERTs in a loop; reconnects after any error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ep = Endpoint(port, password)
    n = 0
    deadline = time.monotonic() + 24 * 3600  # bounded even if nobody sets stop
    while not stop.is_set() and time.monotonic() < deadline:
        conn = None
        try:
            conn = ep.connect(login_timeout=login_timeout, timeout=5)
            cur = conn.cursor()
            while not stop.is_set():
                n += 1
                cur.execute('INSERT INTO dbo.writes(w, n) VALUES (%d, %d)' % (idx, n))
                ok[idx] += 1
        except Exception:
            err[idx] += 1
            time.sleep(0.002)  # no hot spin while the endpoint is down
        finally:
            if conn is not None:
                try:
                    conn.close()
                except Exception:
                    pass


# ---------------------------------------------------------------- supervisor

class Supervisor:
    def __init__(self, binary, data_dir, log_path, password, restart_reset_ms, extra):
        self.binary, self.data_dir, self.log_path = binary, data_dir, log_path
        self.password, self.restart_reset_ms, self.extra = password, restart_reset_ms, extra
        self.proc = None
        self.port = None
        self.cmd = None

    @property
    def status_path(self):
        return os.path.join(self.data_dir, 'run', 'status.json')

    @property
    def pid_path(self):
        return os.path.join(self.data_dir, 'run', 'server.pid')

    def start(self, timeout=60.0):
        for attempt in range(5):  # the free port may be taken between probe and bind: retry
            self.port = free_port()
            self.cmd = [self.binary, 'up', '--data-dir', self.data_dir,
                        '--listen', '127.0.0.1:%d' % self.port,
                        '--restart-reset-ms', str(self.restart_reset_ms),
                        '--shutdown-grace-ms', '2000'] + self.extra
            env = dict(os.environ, MSSQL_SA_PASSWORD=self.password)
            logf = open(self.log_path, 'ab')
            self.proc = subprocess.Popen(self.cmd, stdout=logf, stderr=subprocess.STDOUT, env=env,
                                         stdin=subprocess.DEVNULL)
            logf.close()
            if self.wait_serving(timeout):
                return
            self.stop()
        raise RuntimeError('edgesql up did not become ready; see %s' % self.log_path)

    def wait_serving(self, timeout):
        ep = Endpoint(self.port, self.password)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                return False
            try:
                ep.execute('SELECT 1', database='master', timeout=5)
                return True
            except Exception:
                time.sleep(0.05)
        return False

    def server_pid(self):
        try:
            with open(self.pid_path) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def stop(self, timeout=20.0):
        if self.proc is None:
            return
        server = self.server_pid()
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log('supervisor %d did not stop in %.0f s: SIGKILL' % (self.proc.pid, timeout))
                self.proc.kill()
                self.proc.wait(10)
        # the server generation the supervisor started: make sure it is gone too
        if server is not None and pid_alive(server):
            end = time.monotonic() + 5
            while time.monotonic() < end and pid_alive(server):
                time.sleep(0.05)
            if pid_alive(server):
                try:
                    with open('/proc/%d/cmdline' % server, 'rb') as f:
                        mine = self.data_dir.encode() in f.read()
                except OSError:
                    mine = False
                if mine:
                    log('server %d still running after the supervisor stopped: SIGKILL' % server)
                    os.kill(server, signal.SIGKILL)
        self.proc = None


# ---------------------------------------------------------------- the benchmark

def load_database(ep, sup, target, max_seconds):
    """Create database bench and fill dbo.filler until the bench SQLite file reaches `target`."""
    db_dir = os.path.join(sup.data_dir, 'db')
    before = set(f for f in os.listdir(db_dir) if f.endswith('.sqlite')) if os.path.isdir(db_dir) else set()
    ep.execute('CREATE DATABASE bench', database='master')
    after = set(f for f in os.listdir(db_dir) if f.endswith('.sqlite'))
    new = sorted(after - before)
    if len(new) != 1:
        raise RuntimeError('cannot tell which file under %s is database bench: %r' % (db_dir, new))
    db_file = os.path.join(db_dir, new[0])

    conn = ep.connect(database='bench', login_timeout=10, timeout=max_seconds)
    cur = conn.cursor()
    cur.execute('CREATE TABLE dbo.filler(id bigint IDENTITY PRIMARY KEY, pad char(900) NOT NULL)')
    cur.execute('CREATE TABLE dbo.writes(id bigint IDENTITY PRIMARY KEY, w int NOT NULL, '
                'n bigint NOT NULL)')
    seed = 100
    cur.execute('INSERT INTO dbo.filler(pad) VALUES ' +
                ','.join("(REPLICATE('%s', 900))" % chr(ord('a') + i % 26) for i in range(seed)))
    rows = seed

    def current_size():
        return db_logical_size(db_file)

    t_start = time.monotonic()
    size = current_size()
    steps = 0
    # doubling: INSERT ... SELECT of the whole table while that stays under the target
    while steps < 40 and time.monotonic() - t_start < max_seconds:
        per_row = max(size / rows, 1.0)
        if size + rows * per_row > target:
            break
        cur.execute('INSERT INTO dbo.filler(pad) SELECT pad FROM dbo.filler')
        rows += cur.rowcount
        steps += 1
        size = current_size()
        log('  load: %d rows, %s' % (rows, fmt_bytes(size)))
    # the remainder with TOP (n), a bounded number of times (the per-row estimate is close)
    for _ in range(5):
        if size >= target * 0.99 or time.monotonic() - t_start > max_seconds:
            break
        per_row = max(size / rows, 1.0)
        n = max(1, min(rows, int((target - size) / per_row) + 1))
        cur.execute('INSERT INTO dbo.filler(pad) SELECT TOP (%d) pad FROM dbo.filler' % n)
        rows += cur.rowcount
        size = current_size()
        log('  load: %d rows, %s' % (rows, fmt_bytes(size)))
    conn.close()
    return db_file, rows, size, time.monotonic() - t_start


def generation_info(status, killed_pid):
    """The killed generation and the one after it, from status.json."""
    if not status:
        return None, None
    gens = status.get('generations') or []
    killed = next((g for g in gens if g.get('pid') == killed_pid), None)
    if killed is None:
        return None, None
    nxt = next((g for g in gens if g.get('generation') == killed.get('generation', -2) + 1), None)
    return killed, nxt


READY_RE = re.compile(r'edgesql ready on .* pid (\d+), started in (\d+) ms, of which opening the '
                      r'databases (\d+) ms; WAL (\d+) bytes')


def server_ready_lines(log_path):
    out = {}
    try:
        with open(log_path, errors='replace') as f:
            for line in f:
                m = READY_RE.search(line)
                if m:
                    out[int(m.group(1))] = {'server_started_ms': int(m.group(2)),
                                            'server_open_dbs_ms': int(m.group(3)),
                                            'server_wal_bytes_at_open': int(m.group(4))}
    except OSError:
        pass
    return out


def notable_log_lines(log_path, limit=40):
    """WARN/ERROR lines other than the expected 'killed by signal 9' ones."""
    out = []
    try:
        with open(log_path, errors='replace') as f:
            for line in f:
                if (' WARN ' in line or ' ERROR ' in line or 'FATAL' in line) and \
                        'killed by signal 9' not in line:
                    out.append(line.rstrip())
    except OSError:
        pass
    return out[:limit], len(out)


def run_size(args, size_label, target, workdir):
    data_dir = os.path.join(workdir, 'data-' + size_label)
    log_path = os.path.join(workdir, 'edgesql-%s.log' % size_label)
    sup = Supervisor(args.binary, data_dir, log_path, args.password, args.restart_reset_ms,
                     shlex.split(args.edgesql_args))
    result = {'size_label': size_label, 'target_bytes': target, 'log': log_path}
    writers = []
    stop = multiprocessing.Event()
    try:
        log('[%s] starting edgesql up on a fresh data dir %s' % (size_label, data_dir))
        sup.start()
        result['command_up'] = ' '.join(shlex.quote(c) for c in sup.cmd)
        ep = Endpoint(sup.port, args.password)
        log('[%s] loading database bench to %s' % (size_label, fmt_bytes(target)))
        db_file, rows, size, load_s = load_database(ep, sup, target, args.load_timeout)
        result.update({'db_file': db_file, 'filler_rows': rows, 'db_bytes_after_load': size,
                       'load_seconds': round(load_s, 1)})
        log('[%s] loaded %d rows, %s in %.1f s' % (size_label, rows, fmt_bytes(size), load_s))

        # writers (processes, so that they do not share the GIL with the probe)
        ok = multiprocessing.Array('q', args.writers, lock=False)
        err = multiprocessing.Array('q', args.writers, lock=False)
        for i in range(args.writers):
            p = multiprocessing.Process(target=writer_main, daemon=True,
                                        args=(i, sup.port, args.password, stop, ok, err, 2.0))
            p.start()
            writers.append(p)
        time.sleep(0.5)
        base0_ok, base0_t = sum(ok), time.monotonic()
        time.sleep(args.baseline_seconds)
        base_ok, base_t = sum(ok), time.monotonic()
        baseline_tput = (base_ok - base0_ok) / (base_t - base0_t)
        log('[%s] writers: %d, baseline %.0f inserts/s' % (size_label, args.writers, baseline_tput))
        if base_ok == base0_ok:
            log('[%s] WARNING: writers made no progress before the kills' % size_label)

        rng = random.Random(args.seed)
        kills = []
        last_killed = None
        run_ok0, run_err0, run_t0 = sum(ok), sum(err), time.monotonic()
        failed_in_a_row = 0
        for k in range(args.kills):
            # 1. the server is serving (a query succeeds) and its PID is a live, new one
            pid = None
            end = time.monotonic() + 30
            while time.monotonic() < end:
                pid = sup.server_pid()
                if pid and pid != last_killed and pid_alive(pid):
                    try:
                        probe_once(ep, args.probe_timeout)
                        break
                    except Exception:
                        pass
                time.sleep(0.01)
            else:
                raise RuntimeError('server not serving 30 s after kill %d; see %s' % (k, log_path))
            # 2. a random 200-500 ms of load
            time.sleep(rng.uniform(args.load_min_ms, args.load_max_ms) / 1000.0)
            pid = sup.server_pid()
            if not pid or pid == last_killed or not pid_alive(pid):
                raise RuntimeError('server.pid does not name a live new server before kill %d' % k)
            wal = file_size(db_file + '-wal')
            writes_before = sum(ok)
            # 3. kill
            wall0 = time.time()
            t0 = time.monotonic()
            os.kill(pid, signal.SIGKILL)
            last_killed = pid
            # 4. probe: NEW connection + SELECT 1, immediately again after any failure
            attempts, refused, errors = 0, 0, {}
            success = None
            while time.monotonic() - t0 < args.max_recovery_s:
                attempts += 1
                try:
                    success = probe_once(ep, args.probe_timeout)
                    break
                except ConnectionRefusedError:
                    refused += 1
                except Exception as e:  # noqa: BLE001 - every failure is counted and retried
                    key = type(e).__name__
                    errors[key] = errors.get(key, 0) + 1
            rec = {'kill': k, 'pid': pid, 'wal_bytes_at_kill': wal, 'attempts': attempts,
                   'loadavg_1m': loadavg(),
                   'refused': refused, 'errors': errors, 'wall_kill_ms': wall0 * 1000.0}
            if success is None:
                rec['recovery_ms'] = None
                failed_in_a_row += 1
                log('[%s] kill %d: NOT recovered within %.0f s (attempts %d, refused %d, errors %r)'
                    % (size_label, k, args.max_recovery_s, attempts, refused, errors))
                if failed_in_a_row >= 3:
                    kills.append(rec)
                    raise RuntimeError('3 kills in a row without recovery; see %s' % log_path)
            else:
                failed_in_a_row = 0
                rec['recovery_ms'] = (success['done'] - t0) * 1000.0
                rec['last_attempt_ms'] = {
                    'started': (success['start'] - t0) * 1000.0,
                    'tcp_connected': (success['connected'] - t0) * 1000.0,
                    'logged_in': (success['logged_in'] - t0) * 1000.0,
                }
            rec['acked_inserts_before_kill'] = writes_before
            # 5. the supervisor's own view of this restart
            killed_gen, nxt = None, None
            end = time.monotonic() + 5
            while time.monotonic() < end:
                killed_gen, nxt = generation_info(read_json(sup.status_path), pid)
                if nxt is not None and nxt.get('ready_at_ms'):
                    break
                time.sleep(0.02)
            if killed_gen:
                rec['killed_generation'] = killed_gen.get('generation')
                rec['killed_exit'] = killed_gen.get('exit')
                if killed_gen.get('ended_at_ms'):
                    rec['exit_noticed_after_kill_ms'] = killed_gen['ended_at_ms'] - rec['wall_kill_ms']
            if nxt:
                rec['supervisor_recovery_ms'] = nxt.get('recovery_ms')
                rec['supervisor_startup_ms'] = nxt.get('startup_ms')
                rec['new_pid'] = nxt.get('pid')
                if nxt.get('ready_at_ms'):
                    rec['ready_after_kill_ms'] = nxt['ready_at_ms'] - rec['wall_kill_ms']
            kills.append(rec)
            if args.verbose or (k + 1) % 10 == 0 or k + 1 == args.kills:
                log('[%s] kill %d/%d: recovery %s ms (supervisor %s ms), WAL %s, attempts %d'
                    % (size_label, k + 1, args.kills, fmt_ms(rec.get('recovery_ms')),
                       rec.get('supervisor_recovery_ms'), fmt_bytes(wal), attempts))
        run_ok, run_err, run_t = sum(ok), sum(err), time.monotonic()
        stop.set()
        for p in writers:
            p.join(10)
        for p in writers:
            if p.is_alive():
                p.kill()
                p.join(5)
        writers = []

        # durability sanity check (information only): every acknowledged insert is in the table
        acked = sum(ok)
        try:
            stored = ep.execute('SELECT COUNT_BIG(*) FROM dbo.writes', timeout=60)[0][0]
        except Exception as e:  # noqa: BLE001
            stored = 'error: %s' % e

        # server-side start times from the log (per PID)
        ready = server_ready_lines(log_path)
        for rec in kills:
            info = ready.get(rec.get('new_pid'))
            if info:
                rec.update(info)
        notable, notable_n = notable_log_lines(log_path)

        rs = [r['recovery_ms'] for r in kills if r.get('recovery_ms') is not None]
        sv = [r['supervisor_recovery_ms'] for r in kills
              if isinstance(r.get('supervisor_recovery_ms'), (int, float)) and
              r['supervisor_recovery_ms'] >= 0]
        opn = [r['server_open_dbs_ms'] for r in kills if 'server_open_dbs_ms' in r]
        noticed = [r['exit_noticed_after_kill_ms'] for r in kills if 'exit_noticed_after_kill_ms' in r]
        readyk = [r['ready_after_kill_ms'] for r in kills if 'ready_after_kill_ms' in r]
        gap = [r['recovery_ms'] - r['ready_after_kill_ms'] for r in kills
               if r.get('recovery_ms') is not None and r.get('ready_after_kill_ms') is not None]
        wals = [r['wal_bytes_at_kill'] for r in kills]
        loads = [r['loadavg_1m'] for r in kills if r.get('loadavg_1m') is not None]
        result.update({
            'db_bytes_at_end': db_logical_size(db_file),
            'db_main_file_bytes_at_end': file_size(db_file),
            'kills': len(kills),
            'recovered': len(rs),
            'not_recovered': len(kills) - len(rs),
            'recovery_ms': {'p50': pct(rs, 50), 'p90': pct(rs, 90), 'p99': pct(rs, 99),
                            'max': max(rs) if rs else None, 'min': min(rs) if rs else None,
                            'mean': sum(rs) / len(rs) if rs else None},
            'supervisor_recovery_ms': {'p50': pct(sv, 50), 'p99': pct(sv, 99),
                                       'max': max(sv) if sv else None},
            'server_open_dbs_ms': {'p50': pct(opn, 50), 'p99': pct(opn, 99),
                                   'max': max(opn) if opn else None},
            'exit_noticed_after_kill_ms': {'p50': pct(noticed, 50), 'p99': pct(noticed, 99),
                                           'max': max(noticed, default=None)},
            'ready_after_kill_ms': {'p50': pct(readyk, 50), 'p99': pct(readyk, 99),
                                    'max': max(readyk, default=None)},
            'client_after_ready_ms': {'p50': pct(gap, 50), 'p99': pct(gap, 99),
                                      'max': max(gap) if gap else None},
            'refused': sum(r['refused'] for r in kills),
            'probe_errors': _merge([r['errors'] for r in kills]),
            'probe_attempts_max': max((r['attempts'] for r in kills), default=0),
            'wal_bytes_at_kill': {'p50': pct(wals, 50), 'max': max(wals) if wals else None},
            'loadavg_1m_during_kills': {'min': min(loads, default=None), 'p50': pct(loads, 50),
                                        'max': max(loads, default=None)},
            'writers': args.writers,
            'writer_baseline_inserts_per_s': baseline_tput,
            'writer_inserts_per_s_during_kills': (run_ok - run_ok0) / (run_t - run_t0),
            'writer_errors_during_kills': run_err - run_err0,
            'kill_phase_seconds': run_t - run_t0,
            'acked_inserts': acked,
            'stored_rows_in_writes': stored,
            'acked_all_stored': (stored >= acked) if isinstance(stored, int) else None,
            'notable_log_lines': notable,
            'notable_log_lines_total': notable_n,
            'p99_target_ms': TARGET_P99_MS,
            'p99_target_met': (len(rs) == len(kills) and bool(rs) and
                               pct(rs, 99) < TARGET_P99_MS),
            'per_kill': kills,
        })
        return result
    finally:
        stop.set()
        for p in writers:
            p.join(5)
            if p.is_alive():
                p.kill()
                p.join(5)
        sup.stop()


def _merge(dicts):
    out = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return out


# ---------------------------------------------------------------- reporting

def machine_info(workdir):
    info = {'nproc': os.cpu_count(), 'kernel': platform.release(), 'python': platform.python_version(),
            'pytds': getattr(pytds, '__version__', '?')}
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    info['cpu'] = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open('/proc/meminfo') as f:
            kb = int(f.readline().split()[1])
            info['memory'] = '%.1f GiB' % (kb / (1 << 20))
    except (OSError, ValueError, IndexError):
        pass
    try:
        out = subprocess.run(['findmnt', '-n', '-o', 'SOURCE,FSTYPE', '--target', workdir],
                             capture_output=True, text=True, timeout=5).stdout.split()
        dev, fstype = out[0], out[1]
        note = 'data dir under %s on %s (%s)' % (os.path.dirname(workdir), dev, fstype)
        base = os.path.basename(dev)
        rot = '/sys/block/%s/queue/rotational' % re.sub(r'p?\d+$', '', base) if base.startswith(('nvme', 'mmcblk')) \
            else '/sys/block/%s/queue/rotational' % re.sub(r'\d+$', '', base)
        if os.path.exists(rot):
            with open(rot) as f:
                note += ', rotational=%s' % f.read().strip()
        if base.startswith('vd'):
            note += ', virtio block device (VM)'
        info['disk'] = note
    except Exception:  # noqa: BLE001
        info['disk'] = workdir
    return info


def table(results):
    head = ['size', 'DB size', 'kills', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'refused',
            'other probe errors', 'supervisor p50/p99 ms', 'WAL file at kill p50/max',
            'writes/s (no kills / with kills)', 'p99 < 100 ms']
    rows = []
    for r in results:
        if 'error' in r and 'recovery_ms' not in r:
            rows.append([r['size_label'], '-', '-', '-', '-', '-', '-', '-', r['error'], '-', '-', '-', 'no'])
            continue
        rm, sv, wal = r['recovery_ms'], r['supervisor_recovery_ms'], r['wal_bytes_at_kill']
        errs = ', '.join('%s %d' % kv for kv in sorted(r['probe_errors'].items())) or '0'
        kills = str(r['kills']) + ('' if not r['not_recovered'] else ' (%d not recovered)' % r['not_recovered'])
        rows.append([r['size_label'], fmt_bytes(r['db_bytes_at_end']), kills, fmt_ms(rm['p50']),
                     fmt_ms(rm['p90']), fmt_ms(rm['p99']), fmt_ms(rm['max']), str(r['refused']), errs,
                     '%s / %s' % (fmt_ms(sv['p50']), fmt_ms(sv['p99'])),
                     '%s / %s' % (fmt_bytes(wal['p50']), fmt_bytes(wal['max'])),
                     '%.0f / %.0f' % (r['writer_baseline_inserts_per_s'],
                                      r['writer_inserts_per_s_during_kills']),
                     'yes' if r['p99_target_met'] else 'no'])
    return head, rows


def print_table(head, rows):
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(head)]
    line = '  '.join(h.ljust(w) for h, w in zip(head, widths))
    print(line)
    print('-' * len(line))
    for row in rows:
        print('  '.join(c.ljust(w) for c, w in zip(row, widths)))


def markdown_section(report):
    head, rows = table(report['results'])
    m = report['machine']
    cfg = report['config']
    out = [SECTION, '',
           'Time from `SIGKILL` of the server process to the first successful query (a NEW '
           'connection, TDS login and `SELECT 1`) through the supervisor\'s endpoint, under a '
           'write load of %d writer processes doing single-row autocommit INSERTs. '
           'Percentiles are nearest-rank over the kills. "supervisor" is the supervisor\'s own '
           '`recovery_ms` (from noticing the exit to the new generation\'s readiness, '
           'DIR/run/status.json). The supervisor runs with `--restart-reset-ms %d`, so every '
           'kill is a first failure (immediate restart, no backoff).'
           % (cfg['writers'], cfg['restart_reset_ms']), '',
           '| ' + ' | '.join(head) + ' |', '|' + '|'.join('---' for _ in head) + '|']
    for row in rows:
        out.append('| ' + ' | '.join(c.replace('|', '/') for c in row) + ' |')
    out.append('')
    met = [r for r in report['results'] if r.get('p99_target_met')]
    verdict = ('met at all sizes' if len(met) == len(report['results']) else
               'NOT met at: ' + ', '.join(r['size_label'] for r in report['results']
                                           if not r.get('p99_target_met')))
    out.append('Target (DESIGN.md failure model: serving again in < 100 ms), p99 < 100 ms: **%s**.'
               % verdict)
    out.append('')
    for r in report['results']:
        if 'recovery_ms' not in r:
            continue
        ld = r['loadavg_1m_during_kills']
        out.append('- %s: database %s (%d filler rows of char(900), loaded in %.1f s). Where the time '
                   'went, p50/p99 ms after the kill: supervisor noticed the exit %s/%s, new generation '
                   'ready %s/%s (of which the server\'s own opening of the databases %s/%s), client '
                   'query done after readiness %s/%s. Acknowledged inserts %d, rows stored %s. Writer '
                   'errors during the kills %d. Server log lines at WARN/ERROR other than the kills: %d. '
                   '1-minute load average during the kills min/p50/max %s/%s/%s on %s CPUs.'
                   % (r['size_label'], fmt_bytes(r['db_bytes_at_end']), r['filler_rows'],
                      r['load_seconds'],
                      fmt_ms(r['exit_noticed_after_kill_ms']['p50']),
                      fmt_ms(r['exit_noticed_after_kill_ms']['p99']),
                      fmt_ms(r['ready_after_kill_ms']['p50']), fmt_ms(r['ready_after_kill_ms']['p99']),
                      fmt_ms(r['server_open_dbs_ms']['p50']), fmt_ms(r['server_open_dbs_ms']['p99']),
                      fmt_ms(r['client_after_ready_ms']['p50']), fmt_ms(r['client_after_ready_ms']['p99']),
                      r['acked_inserts'], r['stored_rows_in_writes'], r['writer_errors_during_kills'],
                      r['notable_log_lines_total'], ld['min'], ld['p50'], ld['max'], m.get('nproc')))
    busy = [r for r in report['results'] if (r.get('loadavg_1m_during_kills') or {}).get('max') and
            r['loadavg_1m_during_kills']['max'] > (m.get('nproc') or 1)]
    if busy:
        out += ['', 'The load average counts the benchmark\'s own processes too (%d writers, the '
                'server, the supervisor, the probe); it exceeded the number of CPUs during the kills '
                'at %s, so the tails include waiting for a CPU.'
                % (cfg['writers'], ', '.join(r['size_label'] for r in busy))]
    out += ['',
            'Machine: %s CPUs (nproc), CPU model "%s", %s RAM, Linux %s; disk: %s. Date: %s. '
            'Client: Python %s, pytds %s. edgesql built from git %s (binary of %s).'
            % (m.get('nproc'), m.get('cpu', '?'), m.get('memory', '?'), m.get('kernel'),
               m.get('disk'), report['date'], m.get('python'), m.get('pytds'), cfg['git_head'],
               cfg['binary_mtime']),
            '', 'Command:', '', '```', report['command'], '```', '']
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--binary', default=DEFAULT_BINARY, help='edgesql binary (%(default)s)')
    ap.add_argument('--sizes', default='10MB,1GB', help='database sizes, comma-separated (%(default)s); '
                    'KB/MB/GB are powers of 1024')
    ap.add_argument('--writers', type=int, default=4, help='writer processes (%(default)s)')
    ap.add_argument('--kills', type=int, default=100, help='kills per size (%(default)s)')
    ap.add_argument('--smoke', action='store_true', help='quick harness check: --sizes 1MB --kills 5')
    ap.add_argument('--json', metavar='FILE', help='write the full report (per kill) as JSON')
    ap.add_argument('--markdown', metavar='FILE',
                    help='write/replace the section "%s" in FILE (e.g. docs/benchmarks.md)' % SECTION)
    ap.add_argument('--keep', action='store_true', help='keep the temp directory (data dirs, logs)')
    ap.add_argument('--tmpdir', default=None, help='where to create the temp directory')
    ap.add_argument('--password', default=os.environ.get('MSSQL_SA_PASSWORD', 'Edge.Sql-2026'))
    ap.add_argument('--restart-reset-ms', type=int, default=50,
                    help='passed to edgesql up; small so that every kill is a first failure (%(default)s)')
    ap.add_argument('--edgesql-args', default='', help='extra arguments for edgesql up')
    ap.add_argument('--probe-timeout', type=float, default=2.0,
                    help='per-attempt connect/login/query timeout in seconds (%(default)s)')
    ap.add_argument('--max-recovery-s', type=float, default=30.0,
                    help='give up probing a kill after this long (%(default)s)')
    ap.add_argument('--load-min-ms', type=float, default=200.0)
    ap.add_argument('--load-max-ms', type=float, default=500.0)
    ap.add_argument('--baseline-seconds', type=float, default=3.0,
                    help='writer throughput measured before the first kill (%(default)s)')
    ap.add_argument('--load-timeout', type=float, default=900.0,
                    help='bound on building one database, seconds (%(default)s)')
    ap.add_argument('--seed', type=int, default=None)
    ap.add_argument('-v', '--verbose', action='store_true', help='one line per kill')
    args = ap.parse_args()
    if args.smoke:
        args.sizes, args.kills = '1MB', 5
    if not os.access(args.binary, os.X_OK):
        ap.error('edgesql binary not found: %s (build: ninja -C build edgesql)' % args.binary)
    sizes = [(s.strip(), parse_size(s)) for s in args.sizes.split(',') if s.strip()]
    if args.seed is None:
        args.seed = random.randrange(1 << 30)

    command = ' '.join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    workdir = tempfile.mkdtemp(prefix='edgesql-recovery-', dir=args.tmpdir)
    log('work directory', workdir)
    # run a private copy: other people may rebuild the binary while the benchmark runs, and the
    # supervisor starts a new server process at every kill
    binary_src = args.binary
    args.binary = os.path.join(workdir, 'edgesql')
    shutil.copy2(binary_src, args.binary)
    try:
        head = subprocess.run(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD'], capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except Exception:  # noqa: BLE001
        head = '?'
    report = {'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
              'command': command, 'machine': machine_info(workdir),
              'config': {'sizes': args.sizes, 'writers': args.writers, 'kills': args.kills,
                         'restart_reset_ms': args.restart_reset_ms, 'probe_timeout_s': args.probe_timeout,
                         'load_ms': [args.load_min_ms, args.load_max_ms], 'seed': args.seed,
                         'binary': binary_src, 'git_head': head,
                         'binary_mtime': time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(
                             os.stat(binary_src).st_mtime))},
              'results': []}
    interrupted = False
    try:
        for label, target in sizes:
            try:
                report['results'].append(run_size(args, label, target, workdir))
            except KeyboardInterrupt:
                interrupted = True
                break
            except Exception as e:  # noqa: BLE001 - report and go on with the next size
                log('[%s] FAILED: %s' % (label, e))
                report['results'].append({'size_label': label, 'target_bytes': target,
                                          'error': str(e)})
    finally:
        if args.keep:
            log('kept', workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    head, rows = table(report['results'])
    print()
    print_table(head, rows)
    for r in report['results']:
        if r.get('notable_log_lines'):
            print('\n[%s] notable server log lines (%d):' % (r['size_label'], r['notable_log_lines_total']))
            for line in r['notable_log_lines'][:10]:
                print('  ' + line)
        if 'acked_all_stored' in r and r['acked_all_stored'] is False:
            print('\n[%s] WARNING: %d acknowledged inserts but %s rows stored'
                  % (r['size_label'], r['acked_inserts'], r['stored_rows_in_writes']))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=1, default=str)
        log('wrote', args.json)
    if args.markdown and not interrupted:
        replace_section(args.markdown, SECTION, markdown_section(report))
        log('wrote section "%s" in %s' % (SECTION, args.markdown))
    return 130 if interrupted else 0


if __name__ == '__main__':
    sys.exit(main())
