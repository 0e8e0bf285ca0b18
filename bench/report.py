"""The report of bench/run: sanity checks, targets, the markdown section of
docs/benchmarks.md and the gnuplot charts, all computed from the results of one run."""

import os
import subprocess

from docsection import replace_section

SECTION = '## Throughput and latency (bench/run)'
SYSTEMS = ['edgesql', 'postgres', 'sqlite']
NAMES = {'edgesql': 'edgesql', 'postgres': 'PostgreSQL', 'sqlite': 'SQLite'}
METHOD_NAMES = {'bcp': 'TDS bulk load (bcp_* API)', 'values': 'multi-row INSERT (1000 rows each)',
                'copy': 'COPY FROM STDIN', 'insert': 'prepared INSERT, one transaction'}
PG_SHARED_BUFFERS = '256MB'


def sanity_checks(args, report):
    """The checks of --smoke (also recorded by a full run): each can fail."""
    out = []

    def check(name, ok, detail):
        out.append({'check': name, 'ok': bool(ok), 'detail': detail})

    for s in report['systems']:
        sysname = NAMES[s['system']]
        if 'error' in s:
            check('%s ran' % sysname, False, s['error'])
            continue
        for p in s['points'] + s['bulk']:
            label = '%s %s%s' % (sysname, p.get('workload'), ' x%s' % p.get('clients')
                                 if p.get('workload') != 'bulk_load' else ' ' + p.get('method', ''))
            ops, errs = p.get('ops', 0), p.get('errors', 0)
            check(label + ': ops > 0', ops > 0, 'ops %s, errors %s %s' % (
                ops, errs, p.get('error_samples', [])[:2]))
            if p.get('workload') != 'bulk_load':
                rate = errs / max(1, ops + errs)
                check(label + ': error rate <= 1%', rate <= 0.01 and not p.get('setup_failures'),
                      'errors %d of %d, setup failures %s %s' % (
                          errs, ops + errs, p.get('setup_failures'), p.get('error_samples', [])[:2]))
                check(label + ': every result had the expected rows', p.get('bad_results') == 0,
                      'bad results %s (range_scan: 100 rows, point_select/tpcb: 1 row, connect: '
                      'SELECT 1)' % p.get('bad_results'))
            else:
                check(label + ': rows counted = acknowledged = sent',
                      p.get('rows_counted') == p.get('rows_acked') == p.get('rows_sent') == args.rows,
                      'sent %s, acknowledged %s, counted %s' % (
                          p.get('rows_sent'), p.get('rows_acked'), p.get('rows_counted')))
        c = s.get('check', {})
        ins = sum(p.get('acked_total', 0) for p in s['points'] if p.get('workload') == 'insert_autocommit')
        tpcb = sum(p.get('acked_total', 0) for p in s['points'] if p.get('workload') == 'tpcb')
        if 'insert_autocommit' in args.workloads:
            check('%s: inserts rows = acknowledged inserts' % sysname, c.get('inserts') == ins,
                  'rows %s, acknowledged %d' % (c.get('inserts'), ins))
        if 'tpcb' in args.workloads:
            sums = [c.get(k) for k in ('sum_abalance', 'sum_tbalance', 'sum_bbalance', 'sum_delta')]
            check('%s: sum(abalance) = sum(tbalance) = sum(bbalance) = sum(history.delta)' % sysname,
                  None not in sums and len(set(sums)) == 1, 'sums %s' % sums)
            check('%s: history rows = committed tpcb transactions' % sysname,
                  c.get('history') == tpcb, 'history %s, committed %d' % (c.get('history'), tpcb))
        check('%s: accounts rows = %d' % (sysname, args.rows), c.get('accounts') == args.rows,
              'accounts %s' % c.get('accounts'))
    return out


def point(report, system, workload, clients):
    for s in report['systems']:
        if s['system'] == system:
            for p in s.get('points', []):
                if p.get('workload') == workload and p.get('clients') == clients:
                    return p
    return None


def fnum(v, digits=0):
    if v is None:
        return '-'
    if digits == 0:
        return '{:,.0f}'.format(v)
    return '%.*f' % (digits, v)


def ratio(a, b):
    return a / b if a and b else None


def disk(p):
    """The flush rate measured before / after a write point."""
    if not p or 'fdatasync_per_s_before' not in p:
        return '-'
    return '%s / %s' % (fnum(p['fdatasync_per_s_before']), fnum(p.get('fdatasync_per_s_after')))


def per_flush(p):
    """Operations per durable log flush the server itself counted (edgesql_commits_total,
    PostgreSQL's pg_stat_wal.wal_sync) over the measured window: the group-commit factor."""
    if not p or not p.get('server_flushes'):
        return '-'
    return fnum(p.get('ops', 0) / p['server_flushes'], 1)


def targets(report):
    """The targets of issue 5 at 32 clients (and 1 for the per-query cost), computed here."""

    def ops(system, w, c):
        p = point(report, system, w, c)
        return p.get('ops_per_s') if p and p.get('ops') else None

    def against_pg(w, factor, unit, extra=''):
        """edgesql's throughput at 32 clients >= factor x PostgreSQL's."""
        e, pg = ops('edgesql', w, 32), ops('postgres', w, 32)
        r = ratio(e, pg)
        return ['%s at 32 clients: edgesql >= %sPostgreSQL' % (w, '%gx ' % factor if factor != 1 else ''),
                '%s vs %s %s = %sx%s' % (fnum(e), fnum(pg), unit, fnum(r, 2), extra),
                None if r is None else r >= factor]

    pe = point(report, 'edgesql', 'insert_autocommit', 32)
    pp = point(report, 'postgres', 'insert_autocommit', 32)
    flushes = ('; inserts per server log flush: edgesql %s, PostgreSQL %s; the disk did %s '
               'fdatasync/s before / after edgesql\'s point and %s around PostgreSQL\'s'
               % (per_flush(pe), per_flush(pp), disk(pe), disk(pp)))
    out = [against_pg('point_select', 2, 'ops/s'),
           against_pg('insert_autocommit', 1, 'ops/s', flushes),
           against_pg('tpcb', 1, 'tps')]
    e, sq = ops('edgesql', 'point_select', 1), ops('sqlite', 'point_select', 1)
    ce, cs = (1e6 / e if e else None), (1e6 / sq if sq else None)
    r = ratio(ce, cs)
    out.append(['point_select at 1 client: per-query cost of edgesql <= 2x in-process SQLite',
                '%s vs %s us per query = %sx' % (fnum(ce, 1), fnum(cs, 2), fnum(r, 1)),
                None if r is None else r <= 2])
    return out


WORKLOAD_TEXT = {
    'point_select': '`SELECT abalance FROM accounts WHERE aid = ?`, aid uniform over the accounts.',
    'range_scan': '`SELECT aid, abalance FROM accounts WHERE aid BETWEEN ? AND ?+99`, all 100 rows '
                  'fetched.',
    'insert_autocommit': '`INSERT INTO inserts (id, payload) VALUES (?, ?)`, one durable autocommit '
                         'row per operation, ids unique per client.',
    'tpcb': "pgbench's TPC-B-like transaction: BEGIN; UPDATE accounts; SELECT abalance; UPDATE "
            'tellers; UPDATE branches; INSERT history; COMMIT (ops/s = transactions/s).',
    'connect': 'a new connection, login, `SELECT 1`, disconnect (no pooling).',
}


def mib(b):
    return '-' if not b else '%.0f' % (b / (1 << 20))


def markdown(report, img_prefix):
    cfg = report['config']
    out = [SECTION, '']
    out.append('Each system on the same machine and filesystem, started by `bench/run` on fresh '
               'directories; the same schema (pgbench\'s, %s accounts, %d branches, %d tellers) and '
               'the same statements, through a real client library per system with the same code '
               '(bench/loadgen): edgesql through FreeTDS ODBC (prepared: sp_prepexec, then '
               'sp_execute), PostgreSQL 15 through libpq (PQprepare + PQexecPrepared) over TCP '
               'loopback, SQLite in the load generator\'s process (one connection per client thread, '
               'WAL, synchronous=FULL). Every point: %g s warm-up, then %g s measured; one thread per '
               'client, each with its own connection. ops/s counts operations completed in the '
               'measured window; p50/p99 are per-operation latencies in microseconds. CPU s is the '
               'server\'s CPU time (user+system, every process of the server: edgesql\'s supervisor '
               'and server, PostgreSQL\'s postmaster and backends, for SQLite the load generator '
               'itself) over the measured window; peak PSS is the largest sum of proportional set '
               'sizes over those processes, sampled every 100 ms during the point. The load generator '
               'runs on the same %s CPUs as the server.'
               % (fnum(cfg['rows']), max(1, cfg['rows'] // 100000), 10 * max(1, cfg['rows'] // 100000),
                  cfg['warmup'], cfg['duration'], report['machine'].get('nproc')))
    out.append('')
    out.append('### Targets')
    out.append('')
    out.append('| target | measured | met |')
    out.append('|---|---|---|')
    for name, measured, met in report['targets']:
        out.append('| %s | %s | %s |' % (name, measured, '-' if met is None else ('yes' if met else '**no**')))
    out.append('')
    out.append('The disk\'s durable-commit rate: %s fdatasync/s at the start (4 KiB pwrite + '
               'fdatasync in a loop for %g s on the data directories\' filesystem), measured again '
               'for %g s before and after every insert_autocommit and tpcb point (the tables show '
               'it: on a VM it varies). A system that commits each write with its own flush cannot '
               'exceed it; more than one commit per fdatasync means group commit. The points run '
               'interleaved (each workload and client count on every system in turn, all three '
               'systems started and loaded first), so drifts of the machine and the disk hit the '
               'systems alike. "commits per server log flush" divides the operations of the '
               'measured window by the durable log flushes the server counted in it '
               '(edgesql_commits_total, PostgreSQL\'s pg_stat_wal.wal_sync).'
               % (fnum(report['fdatasync_per_s']), cfg['fsync_seconds'], cfg['point_fsync_seconds']))
    out.append('')
    sys_list = [s for s in SYSTEMS if s in cfg['systems']]
    for w in cfg['workloads']:
        if w == 'bulk_load':
            continue
        out.append('### %s' % w)
        out.append('')
        out.append(WORKLOAD_TEXT[w])
        out.append('')
        if os.path.exists(report['charts'].get(w, '')):
            out.append('![%s: throughput against clients](%sbench-%s.png)' % (w, img_prefix, w))
            out.append('')
        head = ['clients']
        for s in sys_list:
            head += ['%s ops/s' % NAMES[s], 'p50', 'p99']
        if 'edgesql' in sys_list and 'postgres' in sys_list:
            head.append('edgesql/PG')
        if 'edgesql' in sys_list and 'sqlite' in sys_list:
            head.append('edgesql/SQLite')
        writes = w in ('insert_autocommit', 'tpcb')
        if writes:
            head.append('disk fdatasync/s before / after (%s)' % ', '.join(NAMES[s] for s in sys_list))
            head.append('commits per server log flush (%s)' % '/'.join(NAMES[s] for s in sys_list))
        head += ['CPU s (%s)' % '/'.join(NAMES[s] for s in sys_list),
                 'peak PSS MiB (%s)' % '/'.join(NAMES[s] for s in sys_list)]
        out.append('| ' + ' | '.join(head) + ' |')
        out.append('|' + '---|' * len(head))
        for c in cfg['clients']:
            ps = {s: point(report, s, w, c) for s in sys_list}
            row = [str(c)]
            for s in sys_list:
                p = ps[s] or {}
                errs = p.get('errors', 0)
                row += [fnum(p.get('ops_per_s')) + (' (%d errors)' % errs if errs else ''),
                        fnum(p.get('p50_us')), fnum(p.get('p99_us'))]
            ops = {s: (ps[s] or {}).get('ops_per_s') for s in sys_list}
            if 'edgesql' in sys_list and 'postgres' in sys_list:
                row.append(fnum(ratio(ops['edgesql'], ops['postgres']), 2))
            if 'edgesql' in sys_list and 'sqlite' in sys_list:
                row.append(fnum(ratio(ops['edgesql'], ops['sqlite']), 2))
            if writes:
                row.append(', '.join(disk(ps[s]) for s in sys_list))
                row.append(' / '.join(per_flush(ps[s]) for s in sys_list))
            row.append(' / '.join(fnum((ps[s] or {}).get('server_cpu_s'), 1) for s in sys_list))
            row.append(' / '.join(mib((ps[s] or {}).get('peak_pss_bytes')) for s in sys_list))
            out.append('| ' + ' | '.join(row) + ' |')
        out.append('')
    if 'bulk_load' in cfg['workloads']:
        out.append('### bulk_load')
        out.append('')
        out.append('%s account rows loaded into a fresh accounts-shaped table (primary key in place) '
                   'by one client, the fastest way each system offers through its client library, '
                   'as one transaction (one bulk-load batch); then counted. bulk_load runs at 1 '
                   'client only (one stream).' % fnum(cfg['rows']))
        out.append('')
        def best(system):
            rates = [p.get('rows_per_s') for s in report['systems'] if s['system'] == system
                     for p in s.get('bulk', []) if p.get('ops')]
            return max(rates) if rates else None

        base = {'postgres': best('postgres'), 'sqlite': best('sqlite')}
        out.append('| system | method | rows/s | seconds | vs PostgreSQL | vs SQLite | CPU s | '
                   'peak PSS MiB |')
        out.append('|---|---|---|---|---|---|---|---|')
        for s in report['systems']:
            for p in s.get('bulk', []):
                rate = p.get('rows_per_s') if p.get('ops') else None
                out.append('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
                    NAMES[s['system']], METHOD_NAMES.get(p.get('method'), p.get('method')),
                    fnum(rate) if rate else 'failed: %s' % (
                        p.get('error_samples') or ['?'])[0][:120],
                    fnum(p.get('seconds'), 2), fnum(ratio(rate, base['postgres']), 2),
                    fnum(ratio(rate, base['sqlite']), 2), fnum(p.get('server_cpu_s'), 1),
                    mib(p.get('peak_pss_bytes'))))
        out.append('')
    failed = [c for c in report['checks'] if not c['ok']]
    out.append('Sanity checks (row counts, balances, errors; bench/README.md): %d of %d passed%s.' % (
        len(report['checks']) - len(failed), len(report['checks']),
        '' if not failed else '; FAILED: ' + '; '.join('%s (%s)' % (c['check'], c['detail'])
                                                      for c in failed[:10])))
    out.append('')
    m, v = report['machine'], report['versions']
    loads = sorted(p['loadavg_1m_after'] for s in report['systems']
                   for p in s.get('points', []) + s.get('bulk', []) if 'loadavg_1m_after' in p)
    during = ('; 1-minute load average after the points min/median/max %.1f/%.1f/%.1f (it '
              'counts the benchmark\'s own client threads and servers too)' % (
                  loads[0], loads[len(loads) // 2], loads[-1])) if loads else ''
    out.append('Machine: %s CPUs (nproc), CPU model "%s", %s RAM, Linux %s; disk: %s. Load average '
               'before the run: %s%s. Date: %s.' % (
                   m.get('nproc'), m.get('cpu', '?'), m.get('memory', '?'), m.get('kernel'),
                   m.get('disk'), report['loadavg_before'], during, report['date']))
    out.append('')
    out.append('Versions: edgesql %s; %s (shared_buffers=%s, max_connections=200, fsync=on, '
               'synchronous_commit=on, otherwise defaults); %s; FreeTDS %s (tdsodbc) with unixODBC '
               '%s; libpq %s.' % (v.get('edgesql'), v.get('postgres'), PG_SHARED_BUFFERS,
                                  v.get('sqlite'), v.get('freetds'), v.get('unixodbc'), v.get('libpq')))
    out.append('')
    out.append('Command:')
    out.append('')
    out.append('```')
    out.append(report['command'])
    out.append('```')
    out.append('')
    return '\n'.join(out)


def write_markdown(path, section):
    """Replaces this benchmark's section of `path` and keeps the others."""
    replace_section(path, SECTION, section)


def charts(report, img_dir, workdir):
    """One PNG per timed workload: throughput against clients, one line per system."""
    os.makedirs(img_dir, exist_ok=True)
    cfg = report['config']
    sys_list = [s for s in SYSTEMS if s in cfg['systems']]
    made = {}
    for w in cfg['workloads']:
        if w == 'bulk_load':
            continue
        dat = os.path.join(workdir, 'chart-%s.dat' % w)
        with open(dat, 'w') as f:
            for c in cfg['clients']:
                vals = []
                for s in sys_list:
                    p = point(report, s, w, c)
                    vals.append('%g' % p['ops_per_s'] if p and p.get('ops') else 'NaN')
                f.write('%d %s\n' % (c, ' '.join(vals)))
        png = os.path.join(img_dir, 'bench-%s.png' % w)
        plots = ', '.join("'%s' using 1:%d with linespoints lw 2 pt 7 title '%s'" % (
            dat, i + 2, NAMES[s]) for i, s in enumerate(sys_list))
        script = '\n'.join([
            "set terminal pngcairo size 800,480 noenhanced font 'sans,10'",
            "set output '%s'" % png,
            "set title '%s: throughput against clients (%s CPUs)'" % (w, report['machine'].get('nproc')),
            "set xlabel 'concurrent clients'", "set ylabel 'operations per second (log scale)'",
            'set logscale xy', 'set xtics (%s)' % ', '.join(str(c) for c in cfg['clients']),
            'set xrange [%g:%g]' % (min(cfg['clients']) / 1.3, max(cfg['clients']) * 1.3),
            'set grid', 'set key outside right', 'set datafile missing "NaN"',
            'plot ' + plots, ''])
        subprocess.run(['gnuplot'], input=script, text=True, check=True, capture_output=True)
        made[w] = png
    return made


def print_summary(report):
    for s in report['systems']:
        for p in s.get('points', []):
            print('%-9s %-18s %4s  %12s ops/s  p50 %8s us  p99 %8s us  cpu %6s s  pss %5s MiB  err %s' % (
                s['system'], p.get('workload'), p.get('clients'), fnum(p.get('ops_per_s')),
                fnum(p.get('p50_us')), fnum(p.get('p99_us')), fnum(p.get('server_cpu_s'), 1),
                mib(p.get('peak_pss_bytes')), p.get('errors')))
        for p in s.get('bulk', []):
            print('%-9s bulk_load %-8s       %12s rows/s' % (s['system'], p.get('method'),
                                                          fnum(p.get('rows_per_s'))))
    for name, measured, met in report['targets']:
        print('target: %s: %s -> %s' % (name, measured, {None: '-', True: 'met', False: 'NOT met'}[met]))
    for c in report['checks']:
        if not c['ok']:
            print('CHECK FAILED: %s: %s' % (c['check'], c['detail']))
