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
import threading
import time
import traceback

import pytds

PASSWORD = "Ha.Fault-Sup1"
DATABASE = "hafault"
ACCOUNTS = 100
INITIAL_BALANCE = 1000
TOTAL = ACCOUNTS * INITIAL_BALANCE
WRITER_ID_STRIDE = 10**9
DEFAULT_SEED = 20261126  # fixed, so that CI runs the same schedule every time


def now():
    return time.monotonic()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def describe(e):
    text = str(e).replace("\n", " ")
    return f"{type(e).__name__}: {text[:200]}"


def percentile(values, p):
    """Nearest-rank percentile of a list of numbers; None for an empty list."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


# --- processes -----------------------------------------------------------------------------------

def proc_stat(pid):
    """(state, starttime) of a process from /proc/PID/stat, or None if there is none."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()  # the name in (...) may hold spaces
    return fields[0], int(fields[19])              # fields 3 and 22 of proc(5)


class ProcessRef:
    """A process identified by PID and start time, so that a reused PID is never signalled."""

    def __init__(self, pid):
        stat = proc_stat(pid)
        self.pid = pid
        self.starttime = stat[1] if stat else None

    def alive(self):
        """True while the process exists and is not a zombie (a stopped process is alive)."""
        stat = proc_stat(self.pid)
        return (stat is not None and stat[1] == self.starttime and stat[0] not in "ZXx")

    def signal(self, sig):
        """Sends sig if the process is still this one; False if it is already gone."""
        if not self.alive():
            return False
        try:
            os.kill(self.pid, sig)
            return True
        except ProcessLookupError:
            return False

    def kill(self):
        return self.signal(signal.SIGKILL)

    def __eq__(self, other):
        return (self.pid, self.starttime) == (other.pid, other.starttime)

    def __hash__(self):
        return hash((self.pid, self.starttime))

    def __repr__(self):
        return f"pid {self.pid}"


def process_exe(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe").removesuffix(" (deleted)")
    except OSError:
        return None


def read_json_file(path):
    """The JSON object in path, or None if it is missing or half-written."""
    try:
        with open(path) as f:
            value = json.load(f)
        return value if isinstance(value, dict) else None
    except (OSError, ValueError):
        return None


def read_pid_file(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None


# --- connections ---------------------------------------------------------------------------------

class ConnectionLog:
    """Every connection attempt and its outcome: served, refused (ECONNREFUSED) or other."""

    def __init__(self):
        self.lock = threading.Lock()
        self.served = 0
        self.refused = []       # (monotonic time, who)
        self.other = 0
        self.other_samples = []

    def record(self, outcome, who, detail=""):
        with self.lock:
            if outcome == "served":
                self.served += 1
            elif outcome == "refused":
                self.refused.append((now(), who))
            else:
                self.other += 1
                if len(self.other_samples) < 10:
                    self.other_samples.append(f"{who}: {detail}")


def open_connection(port, log, who, database=DATABASE, login_s=10.0, query_s=15.0):
    """One connection attempt: a new TCP connection and a login, recorded in log (if any).

    pytds retries a refused connection internally for up to login_timeout, which would hide exactly
    what is counted here, so the TCP connection is made here and handed to pytds (sock=). pytds
    then gives the login 8% of login_timeout (the first slice of its retry algorithm), hence the
    scaling; with a socket of its own it does not retry.
    """
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=login_s)
    except ConnectionRefusedError:
        if log:
            log.record("refused", who)
        raise
    except OSError as e:
        if log:
            log.record("other", who, f"connect: {describe(e)}")
        raise
    try:
        conn = pytds.connect(server="127.0.0.1", port=port, user="sa", password=PASSWORD,
                             database=database, autocommit=True, login_timeout=login_s / 0.08,
                             timeout=query_s, sock=sock)
    except Exception as e:
        sock.close()
        if log:
            log.record("other", who, f"login: {describe(e)}")
        raise
    if log:
        log.record("served", who)
    return conn


def close_quietly(conn):
    if conn is not None:
        try:
            conn.close()
        except Exception:
            pass


def is_server_error(e):
    """An error the server sent (it has a SQL Server message number), not a dropped connection."""
    return getattr(e, "msg_no", None) not in (None, 0)


# --- workloads -----------------------------------------------------------------------------------

class Shared:
    """State the workloads and the checks share. Lists are appended under lock."""

    def __init__(self, port, connections, reconnect_budget_s):
        self.port = port
        self.connections = connections
        self.reconnect_budget_s = reconnect_budget_s
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acked = []          # ids whose INSERT returned
        self.torn = []           # (sum, count) snapshots that were not (TOTAL, ACCOUNTS)
        self.stale = []          # acked ids a later read did not see


class Workload(threading.Thread):
    """A thread that runs step() on its own connection until stopped, reconnecting after any
    failure. Reconnection gives up after reconnect_budget_s without a successful login."""

    def __init__(self, name, shared, seed):
        super().__init__(name=name, daemon=True)
        self.shared = shared
        self.rng = random.Random(seed)
        self.conn = None
        self.steps = 0
        self.transport_errors = 0  # the connection dropped or timed out
        self.server_error_count = 0  # the server answered with an error
        self.server_errors = []      # the first few of those
        self.gave_up = False
        self.crash = None        # a harness bug: an exception outside the database calls

    def run(self):
        try:
            while not self.shared.stop.is_set():
                if self.conn is None and not self.reconnect():
                    break
                try:
                    self.step(self.conn.cursor())
                    self.steps += 1
                except Exception as e:
                    if is_server_error(e):
                        self.server_error_count += 1
                        if len(self.server_errors) < 5:
                            self.server_errors.append(describe(e))
                    else:
                        self.transport_errors += 1
                    self.failed(e)
                    close_quietly(self.conn)
                    self.conn = None
        except BaseException:
            self.crash = traceback.format_exc()
        finally:
            close_quietly(self.conn)

    def reconnect(self):
        started, delay = now(), 0.01
        while not self.shared.stop.is_set():
            try:
                self.conn = open_connection(self.shared.port, self.shared.connections, self.name)
                return True
            except Exception:
                pass
            if now() - started > self.shared.reconnect_budget_s:
                self.gave_up = True
                return False
            self.shared.stop.wait(delay)
            delay = min(delay * 2, 0.2)
        return False

    def step(self, cur):
        raise NotImplementedError

    def failed(self, e):
        """Called after step() raised, before the connection is dropped."""


class Writer(Workload):
    def __init__(self, number, shared, seed):
        super().__init__(f"writer{number}", shared, seed)
        self.number = number
        self.next_id = (number + 1) * WRITER_ID_STRIDE
        self.pending = None
        self.attempted = 0
        self.uncertain = []

    def step(self, cur):
        self.pending, self.next_id = self.next_id, self.next_id + 1
        self.attempted += 1
        cur.execute("INSERT INTO dbo.acked (id, writer) VALUES (%s, %s)",
                    (self.pending, self.number))
        with self.shared.lock:
            self.shared.acked.append(self.pending)  # only after the server acknowledged it
        self.pending = None

    def failed(self, e):
        if self.pending is not None:
            self.uncertain.append(self.pending)
            self.pending = None

    def id_range(self):
        """Every id this writer ever sent: [first, next)."""
        return (self.number + 1) * WRITER_ID_STRIDE, self.next_id


class Bank(Workload):
    def __init__(self, number, shared, seed):
        super().__init__(f"bank{number}", shared, seed)
        self.committed = 0
        self.uncertain = 0
        self.in_commit = False

    def step(self, cur):
        a, b = self.rng.sample(range(ACCOUNTS), 2)
        amount = self.rng.randint(1, 50)
        cur.execute("BEGIN TRAN")
        cur.execute("UPDATE dbo.accounts SET balance = balance - %s WHERE id = %s", (amount, a))
        cur.execute("UPDATE dbo.accounts SET balance = balance + %s WHERE id = %s", (amount, b))
        self.in_commit = True
        cur.execute("COMMIT TRAN")
        self.in_commit = False
        self.committed += 1

    def failed(self, e):
        if self.in_commit:
            self.uncertain += 1
            self.in_commit = False


class Reader(Workload):
    def __init__(self, number, shared, seed):
        super().__init__(f"reader{number}", shared, seed)
        self.snapshots = 0
        self.sample_reads = 0

    def step(self, cur):
        cur.execute("SELECT SUM(balance), COUNT(*) FROM dbo.accounts")
        total, count = cur.fetchone()
        self.snapshots += 1
        if (total, count) != (TOTAL, ACCOUNTS):
            with self.shared.lock:
                self.shared.torn.append((total, count))
        with self.shared.lock:
            known = len(self.shared.acked)
            sample = ([self.shared.acked[self.rng.randrange(known)] for _ in range(20)]
                      if known else [])
        if sample:
            ids = sorted(set(sample))
            cur.execute("SELECT id FROM dbo.acked WHERE id IN (%s)" % ",".join(map(str, ids)))
            seen = {row[0] for row in cur.fetchall()}
            self.sample_reads += 1
            missing = [i for i in ids if i not in seen]
            if missing:
                with self.shared.lock:
                    self.shared.stale.extend(missing)


# --- the system under test -----------------------------------------------------------------------

class Supervised:
    """`edgesql up` started by the harness, which restarts its server generations itself."""

    supervised = True

    def __init__(self, args, data_dir, port, http_port, env, log):
        self.args, self.data_dir, self.port, self.http_port = args, data_dir, port, http_port
        self.env, self.log = env, log
        self.exe = os.path.realpath(args.edgesql)
        self.proc = None

    def command(self):
        a = self.args
        return [a.edgesql, "up", "--data-dir", self.data_dir, "--listen", f"127.0.0.1:{self.port}",
                "--http", f"127.0.0.1:{self.http_port}",
                "--probe-period-ms", str(a.probe_period_ms),
                "--probe-timeout-ms", str(a.probe_timeout_ms),
                "--probe-failures", str(a.probe_failures),
                "--restart-delay-ms", str(a.restart_delay_ms),
                "--restart-max-delay-ms", str(a.restart_max_delay_ms),
                "--restart-reset-ms", str(a.restart_reset_ms),
                "--shutdown-grace-ms", str(a.shutdown_grace_ms)]

    def start(self):
        self.proc = subprocess.Popen(self.command(), env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def server_pid_file(self):
        return os.path.join(self.data_dir, "run", "server.pid")

    def status(self):
        return read_json_file(os.path.join(self.data_dir, "run", "status.json"))

    def server(self):
        """The current server generation, or None: the PID in run/server.pid, if that process is
        alive and runs the edgesql binary (never the supervisor, never an unrelated process)."""
        pid = read_pid_file(self.server_pid_file())
        if pid is None or pid <= 1 or (self.proc and pid == self.proc.pid):
            return None
        ref = ProcessRef(pid)
        if not ref.alive() or process_exe(pid) != self.exe:
            return None
        return ref

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill_supervisor(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def after_server_kill(self, ref):
        pass  # the supervisor notices the exit and starts the next generation

    def after_server_stop(self, ref):
        pass  # the supervisor's liveness probe must notice

    def terminate(self, bound):
        """SIGTERM; the exit status, or None if it did not exit within bound seconds."""
        if self.proc.poll() is not None:
            return self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            return None

    def kill_all(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait()


class Unsupervised(Supervised):
    """`edgesql server` started and restarted by the harness itself (--no-supervisor)."""

    supervised = False

    def start(self):
        self.proc = subprocess.Popen(
            [self.args.edgesql, "server", "--data-dir", self.data_dir,
             "--listen", f"127.0.0.1:{self.port}"],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT)

    def server(self):
        return ProcessRef(self.proc.pid) if self.alive() else None

    def status(self):
        return None

    def after_server_kill(self, ref):
        self.proc.wait()
        self.start()

    def after_server_stop(self, ref):
        # Stand in for the probe: as long as a supervisor would take to notice, then kill.
        a = self.args
        time.sleep((a.probe_period_ms * a.probe_failures + a.probe_timeout_ms) / 1000)
        ref.kill()
        self.after_server_kill(ref)


# --- the harness ---------------------------------------------------------------------------------

class Observer(threading.Thread):
    """Polls run/server.pid and run/status.json: every server generation seen (to clean up by PID
    at the end) and the supervisor's restart counts, per supervisor process."""

    def __init__(self, target):
        super().__init__(name="observer", daemon=True)
        self.target = target
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.servers = {}        # pid -> ProcessRef
        self.restarts = {}       # supervisor pid -> [first restarts seen, last restarts seen]
        self.generations = {}    # (generation, pid) -> latest record
        self.status_reads = 0

    def run(self):
        while not self.stop.wait(0.05):
            self.poll()

    def poll(self):
        ref = self.target.server()
        status = self.target.status()
        with self.lock:
            if ref is not None and ref.pid not in self.servers:
                self.servers[ref.pid] = ref
            if status is None:
                return
            self.status_reads += 1
            sup = status.get("supervisor")
            sup_pid = sup.get("pid") if isinstance(sup, dict) else None
            restarts = sup.get("restarts") if isinstance(sup, dict) else None
            if isinstance(sup_pid, int) and isinstance(restarts, int):
                seen = self.restarts.setdefault(sup_pid, [restarts, restarts])
                seen[1] = restarts
            for gen in status.get("generations") or []:
                if isinstance(gen, dict) and isinstance(gen.get("generation"), int):
                    self.generations[(gen["generation"], gen.get("pid"))] = gen

    def total_restarts(self):
        """Server restarts reported by all supervisor processes together. A counter that a new
        supervisor carried over (its first value at least the previous one's last) counts on from
        the previous one's last value."""
        with self.lock:
            total, previous_last = 0, 0
            for first, last in self.restarts.values():  # in the order the supervisors appeared
                carried = previous_last > 0 and first >= previous_last
                total += last - (previous_last if carried else 0)
                previous_last = last
            return total if self.restarts else None


class Harness:
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

    # -- waiting ----------------------------------------------------------------------------------

    def query_once(self, log=True, login_s=10.0):
        conn = open_connection(self.port, self.connections if log else None, "probe",
                               database="master", login_s=login_s)
        try:
            cur = conn.cursor()
            cur.execute("SELECT 1")
            cur.fetchall()
        finally:
            close_quietly(conn)

    def wait_recovered(self, since, bound, log=True):
        """Milliseconds from `since` to the first fresh connection that runs SELECT 1, or None if
        none succeeded within bound seconds of since."""
        last = None
        while now() - since < bound:
            try:
                self.query_once(log, login_s=max(0.5, min(10.0, bound - (now() - since))))
                return (now() - since) * 1000
            except Exception as e:
                last = e
                time.sleep(0.01)
        print(f"  no successful query within {bound} s (last error {describe(last)})", flush=True)
        return None

    def current_server(self, bound=10.0, not_pid=None):
        """The running server generation (a ProcessRef), waiting up to bound seconds for one
        other than not_pid; None if there is none."""
        deadline = now() + bound
        while now() < deadline:
            ref = self.target.server()
            if ref is not None and ref.pid != not_pid:
                return ref
            time.sleep(0.005)
        return None

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

    # -- nemeses ----------------------------------------------------------------------------------

    def kill_server(self, event):
        ref = self.current_server()
        if ref is None:
            self.fail("nemesis", "no running server to kill")
            return
        killed = ref
        if self.args.powerloss:
            self.check_powerloss_loaded(ref)
        since = now()
        if not ref.kill():
            self.fail("nemesis", f"server {ref} exited before the harness killed it")
        self.kills += 1
        self.target.after_server_kill(ref)
        if event.get("burst"):
            # Kill the next generation as soon as its PID appears, most likely before it is ready.
            nxt = self.current_server(bound=self.args.recovery_bound, not_pid=ref.pid)
            if nxt is None:
                self.fail("restart", f"no new server within {self.args.recovery_bound} s "
                          f"after killing {ref}")
                return
            since, killed = now(), nxt
            nxt.kill()  # it may already have died: it had no time to become ready
            self.kills += 1
            self.target.after_server_kill(nxt)
        ms = self.wait_recovered(since, self.args.recovery_bound)
        if ms is None:
            self.fail("recovery", f"no query served within {self.args.recovery_bound} s "
                      f"after SIGKILL of {killed}")
            return
        self.kill_recovery_ms.append(ms)
        if self.args.verbose:
            print(f"  SIGKILL {killed}{' (burst)' if event.get('burst') else ''}: "
                  f"served again after {ms:.0f} ms", flush=True)
        if self.current_server(bound=2.0, not_pid=killed.pid) is None:
            self.fail("restart", f"queries are served but no new server replaced {killed}")

    def check_powerloss_loaded(self, ref):
        """With --powerloss, the library must really be in the server, or nothing is tested."""
        try:
            with open(f"/proc/{ref.pid}/maps") as f:
                loaded = os.path.realpath(self.args.powerloss_vfs) in f.read()
        except OSError:
            return  # it died meanwhile; the next kill checks again
        self.powerloss_checked += 1
        if not loaded:
            self.fail("powerloss", f"server {ref} does not have {self.args.powerloss_vfs} loaded")

    def stop_server(self, event):
        ref = self.current_server()
        if ref is None:
            self.fail("nemesis", "no running server to stop")
            return
        since = now()
        if not ref.signal(signal.SIGSTOP):
            self.fail("nemesis", f"server {ref} exited before the harness stopped it")
        self.stopped.append(ref)
        self.stops += 1
        self.target.after_server_stop(ref)
        bound = self.args.stop_bound
        while ref.alive() and now() - since < bound:
            time.sleep(0.005)
        if ref.alive():
            self.fail("hang detection", f"stopped server {ref} still alive after {bound} s")
            ref.kill()
        else:
            self.stop_detect_ms.append((now() - since) * 1000)
            if self.current_server(bound=max(0.1, bound - (now() - since)),
                                   not_pid=ref.pid) is None:
                self.fail("hang detection", f"no new server within {bound} s of stopping {ref}")
        ms = self.wait_recovered(since, self.args.recovery_bound)
        if ms is None:
            self.fail("recovery", f"no query served within {self.args.recovery_bound} s "
                      f"after SIGSTOP of {ref}")
        else:
            self.stop_recovery_ms.append(ms)

    def restart_supervisor(self, event):
        """SIGKILL the supervisor; its server must go on serving. Then start a new supervisor and
        wait until it serves and is in charge (its own PID in status.json)."""
        before = self.current_server()
        window_start = now()
        self.target.kill_supervisor()
        self.supervisor_restarts += 1
        # The orphaned server keeps its sockets: it should serve with no supervisor at all.
        try:
            self.query_once(login_s=5.0)
            self.served_without_supervisor += 1
        except Exception as e:
            print(f"  no query served while no supervisor ran: {describe(e)}", flush=True)
        time.sleep(max(0.0, window_start + event["gap"] - now()))
        started = now()
        self.target.start()
        ms = self.wait_recovered(started, self.args.recovery_bound)
        deadline = now() + self.args.recovery_bound
        while now() < deadline and self.target.alive():
            status = self.target.status() or {}
            sup = status.get("supervisor")
            if isinstance(sup, dict) and sup.get("pid") == self.target.proc.pid:
                self.supervisor_takeover_ms.append((now() - started) * 1000)
                break
            time.sleep(0.01)
        else:
            self.fail("supervisor restart", "the new supervisor did not write its status within "
                      f"{self.args.recovery_bound} s (alive: {self.target.alive()})")
        self.supervisor_windows.append((window_start, now() + 0.5))
        if ms is None:
            self.fail("recovery", f"no query served within {self.args.recovery_bound} s "
                      "after the supervisor restart")
            return
        self.supervisor_recovery_ms.append(ms)
        after = self.current_server()
        if before is not None and after is not None and after.pid == before.pid:
            self.adopted += 1
        elif before is not None:
            # Not adopted: the old generation must go away (only one server per directory).
            deadline = now() + 10
            while before.alive() and now() < deadline:
                time.sleep(0.02)
            if before.alive():
                self.leaked.append(before)
                self.fail("supervisor restart", f"old server {before} still alive 10 s after "
                          f"the new supervisor started {after}")

    def run_schedule(self, schedule, deadline):
        actions = {"kill": self.kill_server, "stop": self.stop_server,
                   "supervisor": self.restart_supervisor}
        for i, event in enumerate(schedule):
            if now() + event["delay"] > deadline:
                self.fail("time", f"--max-seconds reached after {i} of {len(schedule)} nemeses")
                return
            if not self.target.alive():
                self.fail("supervisor", f"exited on its own with status "
                          f"{self.target.proc.returncode} before nemesis {i + 1}")
                return
            time.sleep(event["delay"])
            actions[event["kind"]](event)
            if self.args.verbose or (i + 1) % 10 == 0 or i + 1 == len(schedule):
                print(f"  {i + 1}/{len(schedule)} nemeses done ({event['kind']}), "
                      f"{len(self.shared.acked)} acknowledged writes", flush=True)

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


def build_schedule(rng, kills, stops, supervisor_restarts, gap):
    """The nemeses in order, each with the workload time before it. A 'burst' kill is two
    SIGKILLs: the second generation dies as soon as it appears."""
    events = []
    remaining = kills
    while remaining > 0:
        burst = remaining >= 2 and rng.random() < 0.1
        events.append({"kind": "kill", "burst": burst})
        remaining -= 2 if burst else 1
    events += [{"kind": "stop"} for _ in range(stops)]
    events += [{"kind": "supervisor"} for _ in range(supervisor_restarts)]
    rng.shuffle(events)
    for e in events:
        if e["kind"] == "kill" and rng.random() < 0.15:
            e["delay"] = rng.uniform(0, 0.05)  # right after the previous recovery
        else:
            e["delay"] = rng.uniform(*gap)
        if e["kind"] == "supervisor":
            e["gap"] = rng.uniform(0, 0.5)     # time with no supervisor at all
    return events


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
