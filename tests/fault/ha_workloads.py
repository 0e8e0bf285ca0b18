"""The workloads of ha_fault.py and their bookkeeping: the schema they share, every connection
attempt and its outcome, and the writer, bank and reader threads. ha_fault.py's docstring gives the
model and the checks made at the end on what they record."""
import random
import socket
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


def now():
    return time.monotonic()


def describe(e):
    text = str(e).replace("\n", " ")
    return f"{type(e).__name__}: {text[:200]}"


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
