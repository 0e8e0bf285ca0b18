"""The system under test of ha_fault.py and the faults done to it: processes identified by PID and
start time, `edgesql up` (or `edgesql server`, with --no-supervisor) as the harness starts it, an
observer of run/server.pid and run/status.json, and the nemeses (SIGKILL, SIGSTOP, supervisor
restart) with their schedule drawn from the seed. ha_fault.py's docstring gives the model."""
import json
import os
import signal
import subprocess
import threading
import time

from ha_workloads import close_quietly, describe, now, open_connection


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


# --- the observer --------------------------------------------------------------------------------

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


# --- nemeses -------------------------------------------------------------------------------------

class Nemeses:
    """The nemeses and the waits for recovery, as methods of ha_fault.Harness: they use its args,
    port, connections, shared, target and fail(), and add to the counters and timings that its
    __init__ sets up and the report reads."""

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
