#!/usr/bin/python3
"""Fault injection for the one-machine high-availability supervisor, `edgesql up` (DESIGN.md:
failure model rows "server process crashes", "server process hangs", "power loss"; invariants 1, 2
and 3).

Model. One run is one seed: the schedule of faults and every workload's choices come from
random.Random(seed); only the timing between threads is left to the machine. The harness starts
`edgesql up` on a fresh data directory and runs composable workloads against it, each thread with
its own pytds connections, reconnecting after any failure within a bounded budget:

  writers   insert unique ids (writer * 10^9 + sequence) into dbo.acked in autocommit mode. An id
            is *acknowledged* only when its INSERT returned; an INSERT that failed because the
            connection dropped is *uncertain* (present or absent are both correct).
  bank      transfers between 100 accounts of 1000 each in explicit transactions
            (BEGIN TRAN; UPDATE a -= x; UPDATE b += x; COMMIT), one round trip per statement, so
            that a kill often lands inside a transaction.
  readers   SELECT SUM(balance), COUNT(*) must show the constant total and count in every
            snapshot (anything else is a *torn* transaction), and a sample of ids acknowledged
            before the read started must all be visible (otherwise a *stale* read).

Every connection attempt (a new TCP connection plus a login) is counted as served, refused
(ECONNREFUSED) or another error. The supervisor owns the listening socket, so while a server
generation restarts, new connections wait in the backlog: refused must stay 0.

Nemeses run one at a time from the schedule, with the workloads running, and the harness waits for
recovery (a fresh connection that runs SELECT 1) after each one, with a bound:

  kill        SIGKILL the server (PID from DIR/run/server.pid); sometimes right after the last
              recovery, sometimes twice in a row (a "burst": the next generation is killed as soon
              as its PID appears, before it is ready), which meets the supervisor's backoff.
              Recovery time runs from the (last) kill to the first success.
  stop        SIGSTOP the server: the liveness probe must fail, the supervisor must SIGKILL it and
              start a new generation within --stop-bound; the detection time (stop to the old
              process's death) is reported. A stopped process is never left behind: any the
              harness stopped that is still alive at the end is SIGKILLed by PID.
  supervisor  SIGKILL `edgesql up`; its server keeps running and should go on serving (one query
              is tried at once); after a short gap from the seed, start `edgesql up` again on the
              same data directory: it adopts the running server and its sockets, or else replaces
              it (the old one must then die). Refused connections in that window are reported
              separately (refused_during_supervisor_restart); they, and a query not served while no
              supervisor ran, fail the run only with --strict-supervisor.

The supervisor runs with short probe settings (--probe-period-ms 200 --probe-timeout-ms 500
--probe-failures 2) so that a SIGSTOP is noticed in about a second, and --restart-reset-ms 250, so
that a server that ran a little while counts as healthy: most kills then measure the immediate
restart, and only bursts and kills right after a recovery meet the backoff.

--quick (CI; also the default counts) is 20 SIGKILLs, 2 SIGSTOPs and 2 supervisor restarts, about
half a minute; --kills N is the long mode (1000+), with N/50 SIGSTOPs and N/100 supervisor
restarts unless --stops and --supervisor-restarts say otherwise. Every wait has a bound, and the
nemesis phase as a whole has --max-seconds.

With --powerloss the server runs with LD_PRELOAD=--powerloss-vfs and EDGESQL_POWERLOSS_VFS=1: the
library keeps unsynced writes in memory, so every SIGKILL also loses them, as a power failure
would. Acknowledged commits must survive that too (invariant 1).

Checks at the end: the workloads stop; SIGTERM to the supervisor must make it exit 0 within
--shutdown-bound and take its server with it; PRAGMA integrity_check on every SQLite file under
DIR/db and DIR/master.sqlite (read-only, with nothing running); then a plain `edgesql server` on the
same directory must show every acknowledged id (lost = 0, and no id that was never attempted) and
the constant bank total and count (torn = 0). The supervisor's own restart count (status.json) must
be at least the number of servers killed and stopped, and writes and transfers must have been
acknowledged, so the run cannot pass vacuously. Only processes the harness started (or found in
DIR/run/server.pid and verified to run the edgesql binary) are signalled, always by PID. The temp
directory is removed at the end, unless --keep or the run failed (then its path is printed with the
tail of the log).

--no-supervisor runs the same workloads against `edgesql server` with the harness restarting it
itself (for developing the harness without the supervisor): refused connections are then expected
and do not fail the run, and supervisor restarts are skipped.

Usage: ha_fault.py --edgesql BUILD/src/cli/edgesql [--quick | --kills N] [--seed N]
                   [--powerloss --powerloss-vfs LIB] [--json FILE] [--keep] [--strict-supervisor]
Prints a summary, PASS/FAIL lines per check and a final PASS or FAIL; exits 1 on any failure.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

# Sibling modules: Python puts the script's own directory first on sys.path.
from ha_nemeses import Nemeses, Observer, Supervised, Unsupervised, build_schedule
from ha_workloads import (ACCOUNTS, DATABASE, INITIAL_BALANCE, PASSWORD, TOTAL, Bank,
                          ConnectionLog, Reader, Shared, Writer, describe, now, open_connection)

DEFAULT_SEED = 20261126  # fixed, so that CI runs the same schedule every time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    """Nearest-rank percentile of a list of numbers; None for an empty list."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


# --- the harness ---------------------------------------------------------------------------------

class Harness(Nemeses):
    def __init__(self, args, rng):
        self.args, self.rng = args, rng
        self.work = tempfile.mkdtemp(prefix="edgesql-ha-")
        self.data_dir = os.path.join(self.work, "data")
        self.port, self.http_port = free_port(), free_port()
        self.log = open(os.path.join(self.work, "edgesql.log"), "w")
        env = dict(os.environ, MSSQL_SA_PASSWORD=PASSWORD)
        if args.powerloss:
            # `edgesql up` passes its environment on to every server generation.
            env["LD_PRELOAD"] = ":".join(filter(None, [os.path.realpath(args.powerloss_vfs),
                                                       env.get("LD_PRELOAD")]))
            env["EDGESQL_POWERLOSS_VFS"] = "1"
            # Under an ASan build the preloaded library precedes the ASan runtime.
            env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                         "verify_asan_link_order=0"]))
        cls = Unsupervised if args.no_supervisor else Supervised
        self.target = cls(args, self.data_dir, self.port, self.http_port, env, self.log)
        self.connections = ConnectionLog()
        self.shared = Shared(self.port, self.connections, args.reconnect_budget)
        self.observer = Observer(self.target)
        self.workloads = []
        self.stopped = []                # servers the harness SIGSTOPped
        self.failures = []               # (check, detail)
        self.kills = self.stops = self.supervisor_restarts = self.adopted = 0
        self.kill_recovery_ms, self.stop_detect_ms, self.stop_recovery_ms = [], [], []
        self.supervisor_recovery_ms, self.supervisor_takeover_ms = [], []
        self.served_without_supervisor = 0  # supervisor restarts during which a query was served
        self.supervisor_windows = []     # (start, end) monotonic: refused here counted apart
        self.leaked = []                 # server generations alive when they should not be
        self.powerloss_checked = 0       # servers checked for the power-loss library

    def fail(self, check, detail):
        self.failures.append((check, detail))
        print(f"  failure: {check}: {detail}", flush=True)

    # -- setup ------------------------------------------------------------------------------------

    def start(self):
        self.target.start()
        if self.wait_recovered(now(), self.args.start_bound, log=False) is None:
            raise RuntimeError(f"the server did not serve within {self.args.start_bound} s")
        with open_connection(self.port, None, "setup", database="master") as conn:
            conn.cursor().execute(f"CREATE DATABASE {DATABASE}")
        with open_connection(self.port, None, "setup") as conn:
            cur = conn.cursor()
            cur.execute("CREATE TABLE dbo.acked (id bigint PRIMARY KEY, writer int NOT NULL)")
            cur.execute("CREATE TABLE dbo.accounts (id int PRIMARY KEY, balance bigint NOT NULL)")
            cur.execute("INSERT INTO dbo.accounts (id, balance) VALUES " + ", ".join(
                f"({i}, {INITIAL_BALANCE})" for i in range(ACCOUNTS)))
        self.observer.start()
        a = self.args
        for kind, count in ((Writer, a.writers), (Bank, a.bankers), (Reader, a.readers)):
            for n in range(count):
                self.workloads.append(kind(n, self.shared, self.rng.getrandbits(64)))
        for w in self.workloads:
            w.start()

    # -- the end ----------------------------------------------------------------------------------

    def stop_workloads(self):
        self.shared.stop.set()
        for w in self.workloads:
            w.join(timeout=self.args.recovery_bound + 20)
            if w.is_alive():
                self.fail("workload", f"{w.name} did not stop within the bound")
            if w.crash:
                self.fail("harness", f"{w.name} crashed: {w.crash}")
            if w.gave_up:
                self.fail("availability", f"{w.name} could not reconnect within "
                          f"{self.args.reconnect_budget} s and gave up")

    def stop_target(self):
        """SIGTERM the supervisor: it must exit 0 and take its server with it."""
        self.observer.poll()
        last = self.target.server()
        started = now()
        rc = self.target.terminate(self.args.shutdown_bound)
        took = now() - started
        self.shutdown = {"exit": rc, "seconds": round(took, 3)}
        if rc is None:
            self.fail("shutdown", f"no exit within {self.args.shutdown_bound} s of SIGTERM")
            self.target.kill_all()
        elif rc != 0 and self.target.supervised:
            self.fail("shutdown", f"exit status {rc} after SIGTERM")
        if last is not None:
            deadline = now() + 5
            while last.alive() and now() < deadline:
                time.sleep(0.02)
            if last.alive():
                self.leaked.append(last)
                self.fail("shutdown", f"server {last} still alive after the supervisor exited")

    def kill_leftovers(self):
        """SIGKILL, by PID, every server this run stopped or saw that is still alive; returns
        them."""
        every = dict.fromkeys(self.stopped + self.leaked + list(self.observer.servers.values()))
        left = [ref for ref in every if ref.alive()]
        for ref in left:
            print(f"  cleaning up: SIGKILL {ref}", flush=True)
            ref.kill()
        return left

    def integrity(self):
        """PRAGMA integrity_check on every SQLite file under DIR/db and on DIR/master.sqlite."""
        files = [os.path.join(self.data_dir, "master.sqlite")]
        db_dir = os.path.join(self.data_dir, "db")
        for name in sorted(os.listdir(db_dir)) if os.path.isdir(db_dir) else []:
            path = os.path.join(db_dir, name)
            if name.endswith(("-wal", "-shm", "-journal")) or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                if f.read(16) == b"SQLite format 3\0":
                    files.append(path)
        results = {}
        for path in files:
            try:
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                try:
                    rows = conn.execute("PRAGMA integrity_check").fetchall()
                finally:
                    conn.close()
                results[path] = "; ".join(str(r[0]) for r in rows)[:300]
            except sqlite3.Error as e:
                results[path] = f"error: {e}"
        for path, result in results.items():
            if result != "ok":
                self.fail("integrity", f"{os.path.relpath(path, self.data_dir)}: {result}")
        if len(files) < 2:
            self.fail("integrity", f"expected master.sqlite and a user database, found {files}")
        return results

    def verify(self):
        """Start a plain server on the data directory and read back what must be there."""
        port = free_port()
        server = subprocess.Popen([self.args.edgesql, "server", "--data-dir", self.data_dir,
                                   "--listen", f"127.0.0.1:{port}"],
                                  stdout=self.log, stderr=subprocess.STDOUT)
        try:
            deadline = now() + self.args.start_bound
            while True:
                try:
                    conn = open_connection(port, None, "verify", query_s=120)
                    break
                except Exception as e:
                    if server.poll() is not None or now() > deadline:
                        raise RuntimeError(f"verification server did not serve: {describe(e)} "
                                           f"(exit {server.poll()})")
                    time.sleep(0.05)
            with conn:
                cur = conn.cursor()
                cur.execute("SELECT id FROM dbo.acked")
                present = {row[0] for row in cur.fetchall()}
                cur.execute("SELECT SUM(balance), COUNT(*) FROM dbo.accounts")
                bank = tuple(cur.fetchone())
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        return present, bank

    def cleanup(self, keep):
        self.observer.stop.set()
        self.shared.stop.set()
        self.observer.poll()  # learn the current server's PID, in case it must be killed below
        if self.target.proc is not None and self.target.alive():
            if self.target.terminate(10) is None:
                self.target.kill_all()
        self.kill_leftovers()
        self.log.close()
        if not keep:
            shutil.rmtree(self.work, ignore_errors=True)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edgesql", required=True, help="the edgesql binary")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--quick", action="store_true",
                    help="about 20 kills, 2 SIGSTOPs, 2 supervisor restarts (CI)")
    ap.add_argument("--kills", type=int, help="server SIGKILLs (long mode: 1000+)")
    ap.add_argument("--stops", type=int, help="server SIGSTOPs (default 2, or kills/50)")
    ap.add_argument("--supervisor-restarts", type=int,
                    help="supervisor SIGKILL+restarts (default 2, or kills/100)")
    ap.add_argument("--writers", type=int, default=3)
    ap.add_argument("--bankers", type=int, default=2)
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--min-gap", type=float, default=0.3,
                    help="seconds of workload between nemeses")
    ap.add_argument("--max-gap", type=float, default=1.5)
    ap.add_argument("--powerloss", action="store_true",
                    help="run the server over the power-loss VFS (unsynced writes die with it)")
    ap.add_argument("--powerloss-vfs", help="the LD_PRELOAD library for --powerloss")
    ap.add_argument("--no-supervisor", action="store_true",
                    help="drive `edgesql server` directly, restarted by the harness")
    ap.add_argument("--strict-supervisor", action="store_true",
                    help="refused connections during a supervisor restart fail the run")
    ap.add_argument("--probe-period-ms", type=int, default=200)
    ap.add_argument("--probe-timeout-ms", type=int, default=500)
    ap.add_argument("--probe-failures", type=int, default=2)
    ap.add_argument("--restart-delay-ms", type=int, default=100)
    ap.add_argument("--restart-max-delay-ms", type=int, default=2000)
    ap.add_argument("--restart-reset-ms", type=int, default=250,
                    help="uptime that resets the backoff: short, so that most kills measure an "
                    "immediate restart and only quick repeated kills meet the backoff")
    ap.add_argument("--shutdown-grace-ms", type=int, default=5000)
    ap.add_argument("--recovery-bound", type=float, default=30.0,
                    help="seconds a nemesis may take to be recovered from")
    ap.add_argument("--stop-bound", type=float, default=10.0,
                    help="seconds for the supervisor to replace a stopped server")
    ap.add_argument("--start-bound", type=float, default=60.0)
    ap.add_argument("--shutdown-bound", type=float, default=30.0)
    ap.add_argument("--reconnect-budget", type=float, default=60.0,
                    help="seconds a workload keeps trying to reconnect before giving up")
    ap.add_argument("--max-seconds", type=float,
                    help="bound on the nemesis phase (default 120 + 15 per nemesis)")
    ap.add_argument("--json", help="write the summary to this file as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the data directory and log")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if args.quick and args.kills is not None:
        ap.error("--quick and --kills are alternatives")
    kills = args.kills if args.kills is not None else 20
    args.kills = kills
    if args.stops is None:
        args.stops = max(2, kills // 50)
    if args.supervisor_restarts is None:
        args.supervisor_restarts = max(2, kills // 100)
    if args.no_supervisor:
        args.supervisor_restarts = 0
    if args.powerloss and not (args.powerloss_vfs and os.path.isfile(args.powerloss_vfs)):
        ap.error("--powerloss needs --powerloss-vfs naming an existing library")
    return args


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    schedule = build_schedule(rng, args.kills, args.stops, args.supervisor_restarts,
                              (args.min_gap, args.max_gap))
    max_seconds = args.max_seconds or 120 + 15 * len(schedule)
    mode = "quick" if args.quick else f"{args.kills} kills"
    print(f"seed {args.seed} ({mode}; {'no supervisor' if args.no_supervisor else 'edgesql up'}"
          f"{', powerloss' if args.powerloss else ''}): {len(schedule)} nemeses, "
          f"{args.writers} writers, {args.bankers} bank, {args.readers} readers", flush=True)

    # SIGTERM (from ctest, or a user) must still run the cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    h = Harness(args, rng)
    print(f"work dir {h.work}, port {h.port}", flush=True)
    started = now()
    summary, failed = {}, True
    try:
        h.start()
        h.run_schedule(schedule, started + max_seconds)
        h.stop_workloads()
        h.observer.poll()
        h.observer.stop.set()
        h.observer.join(timeout=5)
        h.stop_target()
        left = [ref for ref in h.kill_leftovers() if ref not in h.leaked]
        if left:
            h.fail("leftover", f"server processes still alive after the supervisor exited: {left}")
        integrity = h.integrity()
        present, bank = h.verify()
        summary = evaluate(h, args, present, bank, integrity, now() - started)
        failed = bool(h.failures)
    except Exception:
        traceback.print_exc()
        h.fail("harness", "exception (above)")
    finally:
        keep = args.keep or failed
        h.cleanup(keep)
    if summary:
        print_summary(summary)
    summary.setdefault("seed", args.seed)
    summary["failures"] = [f"{c}: {d}" for c, d in h.failures]
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2, sort_keys=True)
    if failed:
        if os.path.exists(h.log.name):
            print(f"--- last lines of {h.log.name}")
            with open(h.log.name, errors="replace") as f:
                print("".join(f.readlines()[-40:]), end="")
        print(f"FAIL (seed {args.seed}); data and log kept in {h.work}")
        return 1
    print(f"PASS (seed {args.seed})")
    return 0


def evaluate(h, args, present, bank, integrity, elapsed):
    """Runs the end-of-run checks (failures go to h.failures) and returns the summary: counts,
    timings and one PASS/FAIL line per check."""
    writers = [w for w in h.workloads if isinstance(w, Writer)]
    banks = [w for w in h.workloads if isinstance(w, Bank)]
    readers = [w for w in h.workloads if isinstance(w, Reader)]
    acked = set(h.shared.acked)
    uncertain = [i for w in writers for i in w.uncertain]
    lost = sorted(acked - present)
    unexpected = sorted(i for i in present
                        if not any(lo <= i < hi for lo, hi in (w.id_range() for w in writers)))
    torn_end = bank != (TOTAL, ACCOUNTS)

    in_window = [t for t, _ in h.connections.refused
                 if any(lo <= t <= hi for lo, hi in h.supervisor_windows)]
    refused_sup = len(in_window)
    refused = len(h.connections.refused) - refused_sup
    restarts = h.observer.total_restarts() if h.target.supervised else h.kills + h.stops

    def ms(values):
        return {"p50": percentile(values, 50), "p99": percentile(values, 99),
                "max": max(values) if values else None, "n": len(values)}

    checks = [
        ("no acknowledged write lost", not lost, f"lost {len(lost)} {lost[:10]}"),
        ("no row that was never written", not unexpected, f"{len(unexpected)} {unexpected[:10]}"),
        ("bank constant during the run", not h.shared.torn,
         f"torn {len(h.shared.torn)} {h.shared.torn[:5]}"),
        ("bank constant at the end", not torn_end, f"end {bank}, want {(TOTAL, ACCOUNTS)}"),
        ("acknowledged writes visible to later reads", not h.shared.stale,
         f"stale {len(h.shared.stale)} {h.shared.stale[:10]}"),
        ("integrity_check ok on every SQLite file",
         bool(integrity) and all(v == "ok" for v in integrity.values()), str(integrity)),
        ("writes and transfers were acknowledged (not vacuous)",
         len(acked) > 0 and sum(b.committed for b in banks) > 0,
         f"{len(acked)} writes, {sum(b.committed for b in banks)} transfers"),
    ]
    if h.target.supervised:
        checks += [
            ("no refused connection during server restarts", refused == 0,
             f"refused {refused}"),
            ("supervisor restarted every killed server",
             restarts is not None and restarts >= h.kills + h.stops,
             f"status.json restarts {restarts}, killed {h.kills} + stopped {h.stops}"),
        ]
        if args.strict_supervisor:
            checks += [
                ("no refused connection during supervisor restarts", refused_sup == 0,
                 f"refused {refused_sup}"),
                ("served while no supervisor ran",
                 h.served_without_supervisor == h.supervisor_restarts,
                 f"{h.served_without_supervisor} of {h.supervisor_restarts}"),
            ]
    run_failures = [f"{c}: {d}" for c, d in h.failures]
    checks.append(("no failure in the nemeses, the shutdown or the cleanup", not run_failures,
                   "; ".join(run_failures[:5])))
    for name, ok, detail in checks:
        if not ok and name != checks[-1][0]:
            h.fail(name, detail)
    check_lines = [f"{'PASS' if ok else 'FAIL'}: {name}" + ("" if ok else f" ({detail})")
                   for name, ok, detail in checks]

    gens = list(h.observer.generations.values())
    def gen_ms(name):
        return [g[name] for g in gens if isinstance(g.get(name), (int, float)) and g[name] >= 0]
    ready = gen_ms("startup_ms") or gen_ms("ready_ms")
    return {
        "seed": args.seed,
        "mode": "quick" if args.quick else f"{args.kills} kills",
        "supervised": h.target.supervised,
        "powerloss": args.powerloss,
        "powerloss_servers_checked": h.powerloss_checked,
        "seconds": round(elapsed, 1),
        "kills": h.kills,
        "stops": h.stops,
        "supervisor_restarts": h.supervisor_restarts,
        "supervisor_adopted_server": h.adopted,
        "server_restarts_reported": restarts,
        "server_generations_seen": len(h.observer.servers),
        "server_ready_ms": ms(ready),
        "supervisor_reported_recovery_ms": ms(gen_ms("recovery_ms")),
        "acknowledged": len(acked),
        "uncertain": len(uncertain),
        "lost": len(lost),
        "unexpected": len(unexpected),
        "transfers_committed": sum(b.committed for b in banks),
        "transfers_uncertain": sum(b.uncertain for b in banks),
        "torn": len(h.shared.torn) + (1 if torn_end else 0),
        "snapshots_read": sum(r.snapshots for r in readers),
        "stale": len(h.shared.stale),
        "connections_served": h.connections.served,
        "refused": refused,
        "refused_during_supervisor_restart": refused_sup,
        "connection_other_errors": h.connections.other,
        "connection_error_samples": h.connections.other_samples,
        "workload_transport_errors": sum(w.transport_errors for w in h.workloads),
        "workload_server_errors": sum(w.server_error_count for w in h.workloads),
        "server_errors": [e for w in h.workloads for e in w.server_errors][:10],
        "integrity": {os.path.relpath(k, h.data_dir): v for k, v in integrity.items()},
        "recovery_after_kill_ms": ms(h.kill_recovery_ms),
        "stop_detection_ms": ms(h.stop_detect_ms),
        "recovery_after_stop_ms": ms(h.stop_recovery_ms),
        "recovery_after_supervisor_restart_ms": ms(h.supervisor_recovery_ms),
        "supervisor_takeover_ms": ms(h.supervisor_takeover_ms),
        "served_without_supervisor": h.served_without_supervisor,
        "shutdown": getattr(h, "shutdown", None),
        "checks": check_lines,
    }


def print_summary(s):
    def ms(d):
        if not d["n"]:
            return "n/a"
        return f"p50 {d['p50']:.0f} p99 {d['p99']:.0f} max {d['max']:.0f} ms (n={d['n']})"

    powerloss = (f"on (library loaded in {s['powerloss_servers_checked']} servers checked)"
                 if s["powerloss"] else "off")
    print(f"seed {s['seed']} mode {s['mode']} supervised {s['supervised']} "
          f"powerloss {powerloss} ({s['seconds']} s)")
    print(f"nemeses: kills {s['kills']}, stops {s['stops']}, supervisor restarts "
          f"{s['supervisor_restarts']} (server adopted {s['supervisor_adopted_server']})")
    print(f"server restarts reported {s['server_restarts_reported']}, generations seen "
          f"{s['server_generations_seen']}, startup {ms(s['server_ready_ms'])}, "
          f"recovery reported by the supervisor {ms(s['supervisor_reported_recovery_ms'])}")
    print(f"writes: acknowledged {s['acknowledged']}, uncertain {s['uncertain']}, "
          f"lost {s['lost']}, unexpected {s['unexpected']}")
    print(f"bank: transfers {s['transfers_committed']}, uncertain {s['transfers_uncertain']}, "
          f"torn {s['torn']}; reads: snapshots {s['snapshots_read']}, stale {s['stale']}")
    print(f"connections: served {s['connections_served']}, refused {s['refused']}, "
          f"refused_during_supervisor_restart {s['refused_during_supervisor_restart']}, "
          f"other errors {s['connection_other_errors']}")
    for sample in s["connection_error_samples"][:3]:
        print(f"  e.g. {sample}")
    print(f"workload errors: connection dropped {s['workload_transport_errors']}, "
          f"error from the server {s['workload_server_errors']}")
    for sample in s["server_errors"][:3]:
        print(f"  e.g. {sample}")
    print(f"integrity: {', '.join(f'{k} {v}' for k, v in s['integrity'].items())}")
    print(f"recovery after SIGKILL: {ms(s['recovery_after_kill_ms'])}")
    print(f"SIGSTOP detection: {ms(s['stop_detection_ms'])}; "
          f"recovery after SIGSTOP: {ms(s['recovery_after_stop_ms'])}")
    print(f"supervisor restarts: served while no supervisor ran {s['served_without_supervisor']}"
          f"/{s['supervisor_restarts']}; new supervisor: first query "
          f"{ms(s['recovery_after_supervisor_restart_ms'])}, in charge (status.json) "
          f"{ms(s['supervisor_takeover_ms'])}")
    if s["shutdown"]:
        print(f"shutdown: exit {s['shutdown']['exit']} in {s['shutdown']['seconds']} s")
    for line in s["checks"]:
        print(line)


if __name__ == "__main__":
    sys.exit(main())
