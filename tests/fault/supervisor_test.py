#!/usr/bin/python3
"""`edgesql up` against its acceptance points (issue: high availability on one machine).

Each check drives the real supervisor and real clients:

1. tsql loop + SIGKILL: FreeTDS `tsql` runs a loop of batches `INSERT id; SELECT id back`; the
   id it prints back was acknowledged. The server is SIGKILLed mid-loop, several times. Right
   after each kill a new TCP connection must be accepted (never ECONNREFUSED: the supervisor
   keeps the socket) and a login + query must succeed; afterwards every acknowledged id is there.
2. Hung server: SIGSTOP the server; the supervisor's liveness probe must detect it, SIGKILL it and
   start a new generation within probe_period * failures + probe_timeout (plus a margin for
   process start on a loaded machine).
3. Probes and status: `edgesql probe` (and --ready) exit 0; /livez, /readyz, /metrics answer on
   the HTTP listener; `edgesql status --json` counts every restart with its exit reason.
4. One supervisor per directory: a second `edgesql up` on it exits 1 with a clear message and the
   first one keeps serving.
5. Supervisor killed and started again: the running server is adopted (same PID), connections are
   served throughout.
6. Crash loop: a server that cannot start (its TLS certificate path is unusable) is restarted with
   growing delays, the log says CRASH LOOP and the status says crash-loop.
7. Graceful stop: SIGTERM to the supervisor while one session runs a batch (WAITFOR, then an
   INSERT) and another holds an open transaction with an uncommitted INSERT: the running batch
   completes, the open transaction is rolled back, the supervisor exits 0 and the server logs how
   long the shutdown took.

Usage: supervisor_test.py --edgesql BUILD/src/cli/edgesql [--kills 5] [--seed N]
Prints PASS/FAIL lines and "N passed, N failed"; exits 1 on any failure. Every wait is bounded;
only processes this script started are signalled, by PID.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import pytds

PASSWORD = "Super.Visor-2026"
PROBE_PERIOD_MS, PROBE_TIMEOUT_MS, PROBE_FAILURES = 200, 300, 2
START_MARGIN_S = 3.0  # process start and scheduling on a loaded 2-core machine (ASan builds too)

results = []


def report(ok, what, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + what + ("" if ok or not detail else ": " + detail),
          flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Up:
    """An `edgesql up` process on a data directory."""

    def __init__(self, binary, data_dir, port, http_port, log_path, extra=()):
        self.binary, self.data_dir, self.port, self.http_port = binary, data_dir, port, http_port
        self.log_path = log_path
        self.log = open(log_path, "ab")
        args = [binary, "up", "--data-dir", data_dir, "--listen", f"127.0.0.1:{port}",
                "--probe-period-ms", str(PROBE_PERIOD_MS),
                "--probe-timeout-ms", str(PROBE_TIMEOUT_MS),
                "--probe-failures", str(PROBE_FAILURES), "--shutdown-grace-ms", "5000",
                # Each kill here follows a run of a few hundred ms: restart each one at once
                # (the crash-loop check below shows the backoff).
                "--restart-reset-ms", "20"]
        if http_port:
            args += ["--http", f"127.0.0.1:{http_port}"]
        self.proc = subprocess.Popen(args + list(extra),
                                     env=dict(os.environ, MSSQL_SA_PASSWORD=PASSWORD),
                                     stdout=self.log, stderr=self.log)

    def server_pid(self):
        try:
            with open(os.path.join(self.data_dir, "run", "server.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def status(self):
        try:
            with open(os.path.join(self.data_dir, "run", "status.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self, timeout=20):
        """SIGTERM, then SIGKILL after `timeout`; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def connect(port, database="master", login_timeout=5):
    return pytds.connect(server="127.0.0.1", port=port, user="sa", password=PASSWORD,
                         database=database, autocommit=True, login_timeout=login_timeout,
                         timeout=30)


def wait_serving(port, within=30.0, refused_ok=False):
    """Seconds until a new connection runs SELECT 1. ConnectionRefusedError propagates, unless
    `refused_ok` (before the supervisor has bound its socket)."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=within):
                pass
            conn = connect(port)
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
                cur.fetchone()
            conn.close()
            return time.monotonic() - start
        except ConnectionRefusedError:
            if not refused_ok:
                raise
            time.sleep(0.01)
        except Exception:  # noqa: BLE001 - the server may drop a connection it had accepted
            time.sleep(0.01)
    raise TimeoutError(f"not serving within {within} s")


def wait_for(predicate, within):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    return None


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (not yet reaped by its parent) is dead for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


# ---- 1. tsql loop + SIGKILL ----

def tsql_loop_round(up, rng, round_no, first_id):
    """One tsql session inserting ids from first_id; the server is SIGKILLed mid-loop."""
    proc = subprocess.Popen(
        ["stdbuf", "-oL", "tsql", "-H", "127.0.0.1", "-p", str(up.port), "-U", "sa", "-P", PASSWORD,
         "-D", "ha", "-o", "q"],
        # stderr apart: merged, its messages could split a line of the block-buffered stdout.
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    acked = []
    out_lines = []

    def read():
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").strip()
            out_lines.append(line)
            if re.fullmatch(r"\d+", line) and first_id <= int(line) < first_id + 1_000_000:
                acked.append(int(line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    kill_after = rng.randint(30, 80)  # acknowledged inserts before the kill
    next_id = first_id
    killed_pid, t_kill = None, None
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            proc.stdin.write(f"INSERT INTO dbo.loop (id) VALUES ({next_id}); "
                             f"SELECT id FROM dbo.loop WHERE id = {next_id}\ngo\n".encode())
            proc.stdin.flush()
            next_id += 1
            if killed_pid is None and len(acked) >= kill_after:
                killed_pid = up.server_pid()
                t_kill = time.monotonic()
                os.kill(killed_pid, signal.SIGKILL)
                break
            time.sleep(0.002)
    except (BrokenPipeError, OSError):
        pass
    try:
        proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    reader.join(timeout=5)
    if killed_pid is None:
        return None, "tsql acknowledged only %d inserts in 30 s; last output: %s" % (
            len(acked), out_lines[-5:])
    # A new connection right after the kill: accepted at once, served by the next generation.
    try:
        recovery = wait_serving(up.port, within=30)
    except ConnectionRefusedError:
        return None, "a connection was refused after the kill"
    except TimeoutError as e:
        return None, str(e)
    recovery_ms = (time.monotonic() - t_kill) * 1000 if recovery is not None else None
    conn = connect(up.port, "ha")
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM dbo.loop WHERE id >= %s AND id < %s", (first_id, next_id))
        present = {r[0] for r in cur.fetchall()}
    conn.close()
    lost = [i for i in acked if i not in present]
    new_pid = up.server_pid()
    detail = (f"round {round_no}: {len(acked)} acknowledged, {len(lost)} lost, server "
              f"{killed_pid} -> {new_pid}, serving again {recovery_ms:.0f} ms after the kill")
    if lost:
        return None, detail + f"; lost ids {lost[:10]}"
    if new_pid == killed_pid or pid_alive(killed_pid):
        return None, detail + "; the killed server was not replaced"
    return (len(acked), recovery_ms), detail


def check_tsql_kills(up, rng, kills):
    conn = connect(up.port)
    with conn.cursor() as cur:
        cur.execute("CREATE DATABASE ha")
        cur.execute("USE ha")
        cur.execute("CREATE TABLE dbo.loop (id bigint PRIMARY KEY)")
    conn.close()
    total_acked, worst = 0, 0.0
    for r in range(kills):
        outcome, detail = tsql_loop_round(up, rng, r + 1, (r + 1) * 1_000_000)
        print("  " + detail, flush=True)
        if outcome is None:
            report(False, "tsql insert loop survives SIGKILL of the server", detail)
            return
        total_acked += outcome[0]
        worst = max(worst, outcome[1])
    report(True, f"tsql insert loop survives {kills} SIGKILLs of the server "
                 f"({total_acked} acknowledged inserts, 0 lost, 0 refused, slowest recovery "
                 f"{worst:.0f} ms)")


# ---- 2. Hung server ----

def check_hung_server(up):
    pid = up.server_pid()
    bound = (PROBE_PERIOD_MS * PROBE_FAILURES + PROBE_TIMEOUT_MS) / 1000 + START_MARGIN_S
    t0 = time.monotonic()
    os.kill(pid, signal.SIGSTOP)
    try:
        replaced = wait_for(lambda: (up.server_pid() not in (None, pid)) and not pid_alive(pid),
                            bound + 10)
        serving_s = wait_serving(up.port, within=30) if replaced else None
    finally:
        if pid_alive(pid):  # never leave a stopped process behind
            os.kill(pid, signal.SIGKILL)
    elapsed = time.monotonic() - t0
    st = up.status() or {}
    gen = next((g for g in st.get("generations", []) if g.get("pid") == pid), {})
    ok = bool(replaced) and elapsed <= bound and "liveness" in gen.get("exit", "")
    report(ok, "a hung (SIGSTOPped) server is detected, killed and replaced within the probe "
               f"budget ({elapsed * 1000:.0f} ms; budget {bound * 1000:.0f} ms = "
               f"{PROBE_FAILURES} x {PROBE_PERIOD_MS} ms + {PROBE_TIMEOUT_MS} ms + "
               f"{START_MARGIN_S:.0f} s margin)",
           f"replaced={bool(replaced)}, serving after {serving_s}, exit reason "
           f"{gen.get('exit')!r}")


# ---- 3. Probes and status ----

def check_probes_and_status(up, kills_so_far):
    live = subprocess.run([up.binary, "probe", "--data-dir", up.data_dir],
                          capture_output=True, text=True, timeout=10)
    ready = subprocess.run([up.binary, "probe", "--data-dir", up.data_dir, "--ready"],
                           capture_output=True, text=True, timeout=10)
    report(live.returncode == 0 and ready.returncode == 0, "edgesql probe and probe --ready exit 0",
           f"{live.returncode} {live.stderr.strip()} / {ready.returncode} {ready.stderr.strip()}")
    bodies = {}
    for path in ("/livez", "/readyz", "/metrics"):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{up.http_port}{path}", timeout=5) as r:
                bodies[path] = (r.status, r.read().decode())
        except Exception as e:  # noqa: BLE001
            bodies[path] = (None, str(e))
    metrics = bodies["/metrics"][1]
    needed = ["edgesql_sessions", "edgesql_requests_total", "edgesql_errors_total",
              "edgesql_commits_total",
              "edgesql_wal_bytes", "edgesql_restarts_total", "edgesql_last_recovery_seconds"]
    missing = [m for m in needed if m not in metrics]
    report(all(code == 200 for code, _ in bodies.values()) and not missing,
           "/livez, /readyz and /metrics answer on the HTTP listener",
           f"{ {p: c for p, (c, _) in bodies.items()} }, missing metrics {missing}")
    m = re.search(r"^edgesql_restarts_total (\d+)", metrics, re.M)
    status = subprocess.run([up.binary, "status", "--data-dir", up.data_dir, "--json"],
                            capture_output=True, text=True, timeout=10)
    st = json.loads(status.stdout) if status.returncode == 0 else {}
    restarts = st.get("supervisor", {}).get("restarts", -1)
    exits = [g.get("exit", "") for g in st.get("generations", []) if g.get("state") == "exited"]
    killed = sum(1 for e in exits if "SIGKILL" in e)
    text = subprocess.run([up.binary, "status", "--data-dir", up.data_dir],
                          capture_output=True, text=True, timeout=10).stdout
    report(restarts >= kills_so_far and killed >= kills_so_far and m is not None and
           int(m.group(1)) == restarts and "GEN" in text,
           f"edgesql status shows {restarts} restarts with their exit reasons "
           f"({killed} generations killed by SIGKILL)",
           f"restarts {restarts}, metrics {m.group(1) if m else None}, exits {exits[-3:]}")


# ---- 4. One supervisor per directory ----

def check_second_supervisor(up, work):
    second = subprocess.run(
        [up.binary, "up", "--data-dir", up.data_dir, "--listen", f"127.0.0.1:{free_port()}"],
        env=dict(os.environ, MSSQL_SA_PASSWORD=PASSWORD), capture_output=True, text=True,
        timeout=20)
    still = wait_serving(up.port, within=10)
    report(second.returncode == 1 and "another supervisor" in second.stderr and still is not None,
           "a second edgesql up on the directory exits 1 with a clear message; the first serves on",
           f"exit {second.returncode}: {second.stderr.strip()[-200:]}")


# ---- 5. Supervisor killed and started again ----

def check_supervisor_restart(up, work):
    server = up.server_pid()
    up.proc.kill()
    up.proc.wait()
    up.log.close()
    served_meanwhile = wait_serving(up.port, within=10)  # the orphaned server still serves
    again = Up(up.binary, up.data_dir, up.port, up.http_port, up.log_path)
    adopted = wait_for(lambda: "adopted the running server" in again.log_text(), 10)
    serving = wait_serving(up.port, within=10)
    report(bool(adopted) and again.server_pid() == server and pid_alive(server) and
           served_meanwhile is not None and serving is not None,
           "a supervisor killed with SIGKILL and started again adopts the running server "
           "(same PID, served throughout)",
           f"adopted={bool(adopted)}, server {server} -> {again.server_pid()}")
    return again


# ---- 6. Crash loop ----

def check_crash_loop(binary, work):
    data = os.path.join(work, "crash")
    log = os.path.join(work, "crash.log")
    up = Up(binary, data, free_port(), None, log,
            extra=["--tls-cert", "/proc/edgesql-no-such-dir/cert.pem",
                   "--tls-key", "/proc/edgesql-no-such-dir/key.pem",
                   "--restart-delay-ms", "50", "--restart-max-delay-ms", "400"])
    seen = wait_for(lambda: (up.status() or {}).get("supervisor", {}).get("state") ==
                    "crash-loop" and "CRASH LOOP" in up.log_text(), 20)
    st = up.status() or {}
    code = up.stop(timeout=10)
    failures = st.get("supervisor", {}).get("consecutive_failures", 0)
    report(bool(seen) and failures >= 3 and code == 0,
           f"a server that cannot start is a reported crash loop ({failures} consecutive "
           "failures, backoff, state crash-loop, CRASH LOOP in the log); SIGTERM still stops it",
           f"state {st.get('supervisor', {}).get('state')}, exit {code}")


# ---- 7. Graceful stop ----

def check_graceful_stop(up):
    conn = connect(up.port, "ha")
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE dbo.stop (id int PRIMARY KEY)")
    conn.close()
    # A session with an open transaction and an uncommitted row.
    holder = connect(up.port, "ha")
    holder.autocommit = False
    hcur = holder.cursor()
    hcur.execute("INSERT INTO dbo.stop (id) VALUES (1)")
    # A batch that is running when the stop begins and commits at its end.
    outcome = {}

    def running():
        try:
            c = connect(up.port, "ha")
            with c.cursor() as cur:
                cur.execute("WAITFOR DELAY '00:00:01'; INSERT INTO dbo.stop (id) VALUES (2)")
            outcome["ok"] = True
        except Exception as e:  # noqa: BLE001
            outcome["error"] = repr(e)

    t = threading.Thread(target=running)
    t.start()
    time.sleep(0.3)
    t0 = time.monotonic()
    code = up.stop(timeout=30)
    took = time.monotonic() - t0
    t.join(timeout=10)
    try:
        holder.close()
    except Exception:  # noqa: BLE001 - its connection was closed by the shutdown
        pass
    log = up.log_text()
    m = re.search(r"shutdown took (\d+) ms", log)
    # Read what is durable with a plain server.
    port = free_port()
    env = dict(os.environ, MSSQL_SA_PASSWORD=PASSWORD)
    with open(up.log_path, "ab") as lf:
        srv = subprocess.Popen([up.binary, "server", "--data-dir", up.data_dir,
                                "--listen", f"127.0.0.1:{port}"], env=env, stdout=lf, stderr=lf)
    try:
        wait_serving(port, within=30, refused_ok=True)
        c = connect(port, "ha")
        with c.cursor() as cur:
            cur.execute("SELECT id FROM dbo.stop ORDER BY id")
            rows = [r[0] for r in cur.fetchall()]
        c.close()
    finally:
        srv.send_signal(signal.SIGTERM)
        try:
            srv.wait(timeout=20)
        except subprocess.TimeoutExpired:
            srv.kill()
            srv.wait()
    report(code == 0 and outcome.get("ok") and rows == [2] and m is not None,
           f"SIGTERM: the running batch finished, the open transaction rolled back, exit 0 in "
           f"{took * 1000:.0f} ms (server: shutdown took {m.group(1) if m else '?'} ms)",
           f"exit {code}, running batch {outcome}, rows {rows}")
    report(srv.returncode == 0 and "shutdown took" in open(up.log_path).read().split(
        "edgesql ready on 127.0.0.1:%d" % port)[-1],
           "edgesql server alone also stops cleanly on SIGTERM (exit 0, shutdown time logged)",
           f"exit {srv.returncode}")


# ---- 8. A replacement waits for the supervisor it replaces (--lock-wait-ms) ----

def check_lock_wait(binary, work):
    data = os.path.join(work, "lockwait")
    first = Up(binary, data, free_port(), None, os.path.join(work, "lockwait-1.log"))
    second = None
    try:
        wait_serving(first.port, within=30, refused_ok=True)
        conn = connect(first.port)
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE dbo.handover (id int PRIMARY KEY); "
                        "INSERT INTO dbo.handover VALUES (42)")
        conn.close()
        second = Up(binary, data, free_port(), None, os.path.join(work, "lockwait-2.log"),
                    extra=["--lock-wait-ms", "30000"])
        waiting = wait_for(lambda: "waiting up to 30000 ms" in second.log_text(), 10)
        time.sleep(0.5)
        try:  # a waiting supervisor has not bound its socket yet
            socket.create_connection(("127.0.0.1", second.port), timeout=1).close()
            listening = True
        except OSError:
            listening = False
        still_waiting = second.proc.poll() is None and not listening
        t0 = time.monotonic()
        first.stop()
        served = wait_serving(second.port, within=30, refused_ok=True)
        took = time.monotonic() - t0
        rows = None
        if served is not None:  # (wait_serving raises when it is not)
            c = connect(second.port)
            with c.cursor() as cur:
                cur.execute("SELECT id FROM dbo.handover")
                rows = [r[0] for r in cur.fetchall()]
            c.close()
        report(bool(waiting) and still_waiting and rows == [42] and
               "taking over" in second.log_text(),
               f"a second edgesql up with --lock-wait-ms waits while the first runs and serves "
               f"the same data {took * 1000:.0f} ms after the first is stopped",
               f"waiting={bool(waiting)}, still_waiting={still_waiting}, rows={rows}")
    finally:
        first.stop()
        if second is not None:
            second.stop()


# ---- 9. The sa password from a file ----

def check_password_file(binary, work):
    def start(name, content):
        secret = os.path.join(work, name + ".secret")
        with open(secret, "w", newline="") as f:
            f.write(content)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "MSSQL_SA_PASSWORD"}
        env["MSSQL_SA_PASSWORD_FILE"] = secret
        proc = subprocess.Popen([binary, "server", "--data-dir", os.path.join(work, name),
                                 "--listen", f"127.0.0.1:{port}"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return proc, port, secret

    weak, _, secret = start("pwweak", "weak\n")
    out, _ = weak.communicate(timeout=30)
    report(weak.returncode != 0 and secret in out and "MSSQL_SA_PASSWORD_FILE" in out,
           "a weak password in MSSQL_SA_PASSWORD_FILE is refused, naming the file",
           f"exit {weak.returncode}: {out.strip()[-200:]}")
    good, port, _ = start("pwcrlf", "Crlf.Secret-7\r\n")
    ok, last = False, None
    try:
        deadline = time.monotonic() + 30
        while not ok and time.monotonic() < deadline and good.poll() is None:
            try:
                pytds.connect(server="127.0.0.1", port=port, user="sa",
                              password="Crlf.Secret-7", login_timeout=5).close()
                ok = True
            except Exception as e:  # noqa: BLE001 - not listening yet, or the login failed
                last = e
                time.sleep(0.05)
    finally:
        good.terminate()
        good.communicate(timeout=30)
    report(ok, "a password file written with a CRLF line end gives the password without the CR",
           f"last error: {last!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edgesql", required=True)
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="edgesql-supervisor-")
    print(f"seed {args.seed}, work {work}", flush=True)
    up = Up(args.edgesql, os.path.join(work, "data"), free_port(), free_port(),
            os.path.join(work, "up.log"))
    try:
        wait_serving(up.port, within=60, refused_ok=True)
        check_tsql_kills(up, rng, args.kills)
        check_hung_server(up)
        check_probes_and_status(up, args.kills + 1)
        check_second_supervisor(up, work)
        up = check_supervisor_restart(up, work)
        check_graceful_stop(up)
        check_crash_loop(args.edgesql, work)
        check_lock_wait(args.edgesql, work)
        check_password_file(args.edgesql, work)
    except Exception as e:  # noqa: BLE001
        import traceback
        report(False, "the test ran to its end", traceback.format_exc(limit=4))
    finally:
        if up.proc.poll() is None:
            up.stop()
        pid = up.server_pid()
        if pid and pid_alive(pid):
            # Ours: started by the supervisor this script started.
            os.kill(pid, signal.SIGKILL)
        if any(not r for r in results):
            print("---- last lines of the supervisor's log ----")
            try:
                print("\n".join(open(up.log_path, errors="replace").read().splitlines()[-40:]))
            except OSError:
                pass
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    passed = sum(1 for r in results if r)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
