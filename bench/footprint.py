#!/usr/bin/python3
"""edgesql's footprint: memory when idle, memory with 1,000 idle sessions, and start-to-ready time
on an empty and on a 1 GB database (bench/README.md).

    bench/footprint.py --binary build/src/cli/edgesql --loadgen build/bench/edgesql_loadgen \
        --markdown docs/benchmarks.md            # writes its section of the report
    bench/footprint.py --smoke ...               # small database, 50 sessions, 3 starts

Memory: VmRSS and PSS (/proc/PID/smaps_rollup) of the `edgesql server` process that `edgesql up`
started, and of the supervisor itself, 1 s after readiness; then again with N sessions logged in
(TDS login as sa and one SELECT 1 each, held open by one client process), and the difference per
session. Start-to-ready: `edgesql server` is started on an existing data directory with a pipe as
EDGESQL_READY_FD (the supervisor's readiness signal: the server writes it once it accepts
sessions); the time is from just before the process is spawned to the byte on the pipe, and to the
end of a first query on a new connection. Each figure is the median of --starts runs, with the
OS page cache warm (the database was just written). A benchmark: it fails only when something does
not work, never on a time.
"""

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
SECTION = '## Footprint (bench/footprint.py)'
PASSWORD = 'Edge.Sql-2026'
sys.path.insert(0, os.path.join(REPO, 'bench'))
from docsection import replace_section  # noqa: E402  (one section writer for every report)


def log(*a):
    print('[%s]' % time.strftime('%H:%M:%S'), *a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def memory_kib(pid):
    """(VmRSS, PSS) of one process, in KiB."""
    rss = pss = 0
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                rss = int(line.split()[1])
    with open('/proc/%d/smaps_rollup' % pid) as f:
        for line in f:
            if line.startswith('Pss:'):
                pss = int(line.split()[1])
    return rss, pss


def children(pid):
    with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
        return [int(x) for x in f.read().split()]


def connect(port, timeout=10):
    import pytds
    return pytds.connect(server='127.0.0.1', port=port, user='sa', password=PASSWORD,
                         autocommit=True, login_timeout=timeout, timeout=timeout)


def query_one(port):
    conn = connect(port)
    cur = conn.cursor()
    cur.execute('SELECT 1')
    row = cur.fetchall()
    conn.close()
    if row != [(1,)]:
        raise RuntimeError('SELECT 1 returned %r' % (row,))


def wait_ready(port, deadline_s=30):
    end = time.monotonic() + deadline_s
    while True:
        try:
            query_one(port)
            return
        except Exception:
            if time.monotonic() > end:
                raise
            time.sleep(0.05)


class Up:
    """`edgesql up` on DIR, stopped by its PID."""

    def __init__(self, binary, data_dir, port, log_path):
        env = dict(os.environ, MSSQL_SA_PASSWORD=PASSWORD)
        self.log = open(log_path, 'ab')
        self.proc = subprocess.Popen([binary, 'up', '--data-dir', data_dir, '--listen',
                                      '127.0.0.1:%d' % port], env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.port = port

    def server_pid(self):
        end = time.monotonic() + 10
        while time.monotonic() < end:
            kids = children(self.proc.pid)
            if kids:
                return kids[0]
            time.sleep(0.02)
        raise RuntimeError('edgesql up started no server')

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def measure_memory(args, work):
    data = os.path.join(work, 'mem')
    port = free_port()
    up = Up(args.binary, data, port, os.path.join(work, 'mem.log'))
    out = {}
    try:
        wait_ready(port)
        server = up.server_pid()
        time.sleep(1.0)
        out['idle_server_rss_kib'], out['idle_server_pss_kib'] = memory_kib(server)
        out['idle_supervisor_rss_kib'], out['idle_supervisor_pss_kib'] = memory_kib(up.proc.pid)
        n = args.sessions
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < n + 64:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 256), hard))
        conns = []
        t0 = time.monotonic()
        for _ in range(n):
            c = connect(port)
            cur = c.cursor()
            cur.execute('SELECT 1')
            cur.fetchall()
            conns.append(c)
        out['open_seconds'] = round(time.monotonic() - t0, 2)
        time.sleep(1.0)
        out['sessions'] = n
        out['sessions_server_rss_kib'], out['sessions_server_pss_kib'] = memory_kib(server)
        # Every session must still be usable: the figure is for live sessions.
        for c in conns:
            cur = c.cursor()
            cur.execute('SELECT 2')
            if cur.fetchall() != [(2,)]:
                raise RuntimeError('an idle session stopped answering')
        for c in conns:
            c.close()
    finally:
        up.stop()
    out['per_session_kib'] = round(
        (out['sessions_server_rss_kib'] - out['idle_server_rss_kib']) / out['sessions'], 1)
    return out


def fill(args, work, name, rows):
    """A data directory holding `rows` accounts rows (the benchmark schema), loaded by bulk load."""
    data = os.path.join(work, name)
    port = free_port()
    up = Up(args.binary, data, port, os.path.join(work, name + '.log'))
    try:
        wait_ready(port)
        if rows > 0:
            subprocess.run([args.loadgen, '--system', 'edgesql', '--setup', '--rows', str(rows),
                            '--host', '127.0.0.1', '--port', str(port), '--user', 'sa',
                            '--password', PASSWORD], check=True, stdout=subprocess.DEVNULL)
    finally:
        up.stop()
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(data) for f in fs)
    return data, size


def start_once(binary, data, log_path):
    """Starts `edgesql server` on DATA: (ms to the readiness byte, ms to the first query)."""
    port = free_port()
    r, w = os.pipe()
    env = dict(os.environ, EDGESQL_READY_FD=str(w))
    with open(log_path, 'ab') as logf:
        t0 = time.monotonic()
        proc = subprocess.Popen([binary, 'server', '--data-dir', data, '--listen',
                                 '127.0.0.1:%d' % port], env=env, stdout=logf,
                                stderr=subprocess.STDOUT, pass_fds=(w,))
        os.close(w)
        try:
            got = os.read(r, 64)
            t_ready = time.monotonic()
            if not got:
                raise RuntimeError('the server exited before it was ready (log: %s)' % log_path)
            query_one(port)
            t_query = time.monotonic()
        finally:
            os.close(r)
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return (t_ready - t0) * 1000, (t_query - t0) * 1000


def measure_starts(args, work):
    out = []
    for label, rows in (('empty', 0), (args.big_label, args.big_rows)):
        data, size = fill(args, work, 'start-' + label, rows)
        ready, query = [], []
        for _ in range(args.starts):
            a, b = start_once(args.binary, data, os.path.join(work, 'start.log'))
            ready.append(a)
            query.append(b)
        out.append({'database': label, 'rows': rows, 'bytes': size,
                    'ready_ms_median': round(statistics.median(ready), 1),
                    'ready_ms_max': round(max(ready), 1),
                    'first_query_ms_median': round(statistics.median(query), 1),
                    'starts': args.starts})
        log('%s (%.1f MiB): ready %.1f ms, first query %.1f ms (medians of %d)' %
            (label, size / 2**20, out[-1]['ready_ms_median'], out[-1]['first_query_ms_median'],
             args.starts))
        shutil.rmtree(data, ignore_errors=True)
    return out


def size_text(n):
    return '%.2f GiB' % (n / 2**30) if n >= 2**30 else '%.1f MiB' % (n / 2**20)


def mib(kib):
    return '%.1f MiB' % (kib / 1024)


def markdown(report):
    m, starts = report['memory'], report['starts']
    big = starts[-1]
    lines = [SECTION, '',
             'Measured by `bench/footprint.py` on the machine of the section above, with the '
             'release build; memory is VmRSS and PSS of the `edgesql server` process that '
             '`edgesql up` runs (the supervisor is listed apart), start times are medians of %d '
             'starts of `edgesql server` on an existing data directory, to its readiness signal '
             'and to the end of a first query on a new connection.' % big['starts'], '',
             '| figure | measured | target | met |', '|---|---|---|---|']
    extra = m['sessions_server_rss_kib'] - m['idle_server_rss_kib']
    rows = [
        ('idle server, 1 s after ready', '%s RSS (%s PSS)' % (mib(m['idle_server_rss_kib']),
                                                             mib(m['idle_server_pss_kib'])),
         '16 MB or less', m['idle_server_rss_kib'] <= 16 * 1000),
        ('%d idle sessions on top of that' % m['sessions'],
         '%s RSS (%.1f KiB per session)' % (mib(extra), m['per_session_kib']),
         '64 MB or less for 1,000' if m['sessions'] == 1000 else 'n/a (smoke)',
         extra <= 64 * 1000 if m['sessions'] == 1000 else None),
    ]
    for s in starts:
        rows.append(('start to ready, %s database (%s)' % (s['database'], size_text(s['bytes'])),
                     '%.1f ms (max %.1f; first query done at %.1f ms)' %
                     (s['ready_ms_median'], s['ready_ms_max'], s['first_query_ms_median']),
                     '50 ms or less', s['ready_ms_median'] <= 50))
    for name, value, target, met in rows:
        lines.append('| %s | %s | %s | %s |' % (name, value, target,
                                                 '' if met is None else ('yes' if met else 'no')))
    lines += ['', 'The supervisor (`edgesql up`) itself: %s RSS (%s PSS) when idle.' %
              (mib(m['idle_supervisor_rss_kib']), mib(m['idle_supervisor_pss_kib'])),
              'Opening the %d sessions took %.1f s from one client process.' %
              (m['sessions'], m['open_seconds']), '',
              'Command:', '', '```', report['command'], '```', '']
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--binary', default=os.path.join(REPO, 'build', 'src', 'cli', 'edgesql'))
    ap.add_argument('--loadgen', default=os.path.join(REPO, 'build', 'bench', 'edgesql_loadgen'))
    ap.add_argument('--sessions', type=int, default=1000)
    ap.add_argument('--starts', type=int, default=11)
    ap.add_argument('--big-rows', type=int, default=11_000_000,
                    help='accounts rows of the large database (%(default)s: just over 1 GiB)')
    ap.add_argument('--smoke', action='store_true',
                    help='--sessions 50 --starts 3 --big-rows 20000')
    ap.add_argument('--json', metavar='FILE')
    ap.add_argument('--markdown', metavar='FILE', help='write/replace the section in FILE')
    args = ap.parse_args()
    if args.smoke:
        args.sessions, args.starts, args.big_rows = 50, 3, 20000
    args.big_label = '%d-row' % args.big_rows
    work = tempfile.mkdtemp(prefix='edgesql-footprint-')
    try:
        report = {'command': ' '.join([os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:]),
                  'memory': measure_memory(args, work), 'starts': measure_starts(args, work)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    m = report['memory']
    log('idle server %s RSS; %d sessions add %s (%.1f KiB each)' %
        (mib(m['idle_server_rss_kib']), m['sessions'],
         mib(m['sessions_server_rss_kib'] - m['idle_server_rss_kib']), m['per_session_kib']))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=1)
    if args.markdown:
        replace_section(args.markdown, SECTION, markdown(report))
        log('wrote section "%s" in %s' % (SECTION, args.markdown))
    # Sanity: the figures must be real measurements of a working server.
    ok = (m['idle_server_rss_kib'] > 0 and m['sessions_server_rss_kib'] >= m['idle_server_rss_kib']
          and all(s['ready_ms_median'] > 0 for s in report['starts'])
          and report['starts'][-1]['bytes'] > report['starts'][0]['bytes'])
    print('footprint: %s' % ('ok' if ok else 'FAILED: implausible figures'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
