#!/usr/bin/python3
"""The container image under a real OCI runtime (runc), without a Docker daemon.

deploy/container/make-rootfs.sh assembles the image's root filesystem (the tree the Dockerfile's
final stage copies), and the container runs with the image's USER, ENTRYPOINT and CMD as read
from deploy/container/Dockerfile, the way a pod runs it under deploy/kubernetes/base: UID/GID
10001 with the supplementary group fsGroup gives, no capabilities, no new privileges, a read-only
root, a tmpfs /tmp, the sa password from a mounted secret file (MSSQL_SA_PASSWORD_FILE), and a host
directory bind-mounted as the data volume. Each container gets its own network namespace joined
to the host by a veth pair, so the host reaches the server on the container's IP:1433 as a
Service reaches a pod IP.

Checks, with a real client (pytds):
  1. the rootfs's size (printed; at most 40 MB unless the binary is sanitized);
  2. `edgesql up` is PID 1 of its PID namespace, runs as 10001, serves TDS and /livez, /readyz;
  3. rows written and acknowledged, then `runc kill SIGKILL`; a fresh container on the same
     volume serves again and every acknowledged row is there;
  4. a second container on the same volume, while the first runs, waits for its lock without
     serving (the image's --lock-wait-ms), and with --lock-wait-ms 0 exits at once naming the
     lock; the first keeps serving;
  5. SIGTERM to the container: exit status 0, "shutdown took N ms" logged, within the pod's
     terminationGracePeriodSeconds (deploy/kubernetes/base/deployment.yaml).
Prints the figures docs/kubernetes.md quotes. Exits 77 (CTest's skip) with the reason when runc
cannot run containers here (not root, no runc or ip, the kernel refuses namespaces).
"""
import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP = 77
DATA_DIR = "/var/opt/edgesql"
SECRET_DIR = "/run/secrets/edgesql"
PASSWORD = "Edge.Sql-Runc-2026"
MAX_ROOTFS_BYTES = 40 * 1000 * 1000
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def log(msg):
    print(msg, flush=True)


def run(cmd, check=True, timeout=30, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return r


def dockerfile_config(path):
    """USER, ENTRYPOINT and CMD of the Dockerfile's final stage (JSON exec forms)."""
    text = open(path).read().replace("\\\n", " ")
    lines = [l.strip() for l in text.splitlines() if l.strip() and not l.strip().startswith("#")]
    last = max(i for i, l in enumerate(lines) if l.upper().startswith("FROM "))
    conf = {}
    for l in lines[last:]:
        word, _, rest = l.partition(" ")
        conf[word.upper()] = rest.strip()
    user = conf["USER"].split(":")
    return {
        "uid": int(user[0]),
        "gid": int(user[1] if len(user) > 1 else user[0]),
        "args": json.loads(conf["ENTRYPOINT"]) + json.loads(conf["CMD"]),
    }


def grace_period_seconds():
    text = open(os.path.join(REPO, "deploy/kubernetes/base/deployment.yaml")).read()
    return int(re.search(r"terminationGracePeriodSeconds:\s*(\d+)", text).group(1))


class Net:
    """A network namespace with a veth pair to the host: 10.213.x.1 (host) <-> 10.213.x.2."""

    def __init__(self, tag):
        self.name = f"edgesql-runc-{tag}"
        self.host_if, self.ns_if = f"esq{tag}h", f"esq{tag}c"
        block = (int(tag) % 16384) * 4  # a /30 of 10.213.0.0/16 per PID
        prefix = f"10.213.{block // 256}."
        self.host_ip, self.ip = prefix + str(block % 256 + 1), prefix + str(block % 256 + 2)
        self.created = False

    def create(self):
        run(["ip", "netns", "add", self.name])
        self.created = True
        run(["ip", "link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if])
        run(["ip", "link", "set", self.ns_if, "netns", self.name])
        run(["ip", "addr", "add", f"{self.host_ip}/30", "dev", self.host_if])
        run(["ip", "link", "set", self.host_if, "up"])
        ns = ["ip", "netns", "exec", self.name]
        run(ns + ["ip", "addr", "add", f"{self.ip}/30", "dev", self.ns_if])
        run(ns + ["ip", "link", "set", self.ns_if, "up"])
        run(ns + ["ip", "link", "set", "lo", "up"])

    def path(self):
        return f"/var/run/netns/{self.name}"

    def destroy(self):
        if self.created:
            run(["ip", "netns", "del", self.name], check=False)  # takes the veth pair with it
            run(["ip", "link", "del", self.host_if], check=False)


class Container:
    """One `runc run` in the foreground (its exit status is the container's), stdio to a log."""

    def __init__(self, work, cid, config):
        self.cid, self.bundle = cid, os.path.join(work, cid)
        os.makedirs(self.bundle)
        config = dict(config, root={"path": os.path.join(work, "rootfs"), "readonly": True})
        with open(os.path.join(self.bundle, "config.json"), "w") as f:
            json.dump(config, f, indent=1)
        self.log_path = os.path.join(work, cid + ".log")
        self.proc = None

    def start(self):
        self.logf = open(self.log_path, "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            ["runc", "run", "--bundle", self.bundle, self.cid],
            stdin=subprocess.DEVNULL, stdout=self.logf, stderr=subprocess.STDOUT)

    def init_pid(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = run(["runc", "state", self.cid], check=False)
            if r.returncode == 0:
                state = json.loads(r.stdout)
                if state.get("pid") and state.get("status") == "running":
                    return state["pid"]
            if self.proc.poll() is not None:
                raise RuntimeError(f"container {self.cid} exited {self.proc.returncode}:\n{self.output()}")
            time.sleep(0.02)
        raise RuntimeError(f"container {self.cid} not running after {timeout} s")

    def kill(self, signal):
        run(["runc", "kill", self.cid, signal])

    def wait(self, timeout):
        return self.proc.wait(timeout=timeout)

    def output(self):
        self.logf.flush()
        return open(self.log_path, errors="replace").read()

    def destroy(self):
        if self.proc is not None and self.proc.poll() is None:
            run(["runc", "kill", self.cid, "KILL"], check=False)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        run(["runc", "delete", "--force", self.cid], check=False)


def make_config(template, image, netns_path, data, secrets, extra_args=()):
    c = json.loads(json.dumps(template))
    p = c["process"]
    p["terminal"] = False
    p["args"] = image["args"] + list(extra_args)
    p["user"] = {"uid": image["uid"], "gid": image["gid"], "additionalGids": [image["gid"]]}
    p["env"] = ["PATH=/usr/bin", f"MSSQL_SA_PASSWORD_FILE={SECRET_DIR}/sa-password"]
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if var in os.environ:
            p["env"].append(f"{var}={os.environ[var]}")
    p["capabilities"] = {k: [] for k in ("bounding", "effective", "permitted", "ambient")}
    p["noNewPrivileges"] = True
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]  # a container cannot exceed the host's
    p["rlimits"] = [{"type": "RLIMIT_NOFILE", "hard": hard, "soft": hard}]
    c["hostname"] = "edgesql"
    c["mounts"] += [
        {"destination": DATA_DIR, "type": "bind", "source": data, "options": ["rbind", "rw"]},
        {"destination": SECRET_DIR, "type": "bind", "source": secrets, "options": ["rbind", "ro"]},
        {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "nodev", "mode=1777", "size=65536k"]},
    ]
    ns = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
    ns.append({"type": "network", "path": netns_path} if netns_path else {"type": "network"})
    c["linux"]["namespaces"] = ns
    return c


def connect(ip, timeout):
    import pytds  # Debian's python3-tds

    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            conn = pytds.connect(server=ip, port=1433, user="sa", password=PASSWORD,
                                 database="master", autocommit=True, login_timeout=2, timeout=10)
            cur = conn.cursor()
            cur.execute("SELECT 1")
            if cur.fetchone()[0] == 1:
                return conn
        except Exception as e:  # refused or reset while the server starts
            last = e
            time.sleep(0.02)
    raise RuntimeError(f"no answer from {ip}:1433 within {timeout} s: {last}")


def http_status(ip, path):
    try:
        with urllib.request.urlopen(f"http://{ip}:8080{path}", timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def proc_status(pid):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        fields[k] = v.split()
    return fields


def skip_reason():
    if os.geteuid() != 0:
        return "runc needs root here (rootless containers are not set up); run the test as root"
    for tool in ("runc", "ip"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (scripts/install-deps installs runc and iproute2)"
    return None


def probe_runtime(work, template):
    """Runs `edgesql --help` in a container. Returns a skip reason when runc itself cannot create
    a container (the kernel refuses namespaces or mounts); any other failure is the test's."""
    c = json.loads(json.dumps(template))
    c["process"].update(terminal=False, args=["/usr/bin/edgesql", "--help"], env=["PATH=/usr/bin"])
    probe = Container(work, f"edgesql-probe-{os.getpid()}", c)
    try:
        r = run(["runc", "run", "--bundle", probe.bundle, probe.cid], check=False, timeout=30)
    finally:
        run(["runc", "delete", "--force", probe.cid], check=False)
    if r.returncode == 0:
        return None
    err = (r.stderr + r.stdout).lower()
    refusals = ("operation not permitted", "permission denied", "unshare", "namespace", "cgroup")
    ours = ("no such file or directory", "exec format error", "executable file not found")
    if any(s in err for s in refusals) and not any(s in err for s in ours):
        return f"runc cannot create containers on this machine: {(r.stderr or r.stdout).strip()[:400]}"
    raise RuntimeError(f"probe container failed ({r.returncode}): {r.stderr}{r.stdout}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--edgesql", required=True)
    ap.add_argument("--rows", type=int, default=300)
    args = ap.parse_args()
    reason = skip_reason()
    if reason:
        log(f"SKIP: {reason}")
        return SKIP

    tag = str(os.getpid())
    work = tempfile.mkdtemp(prefix=f"edgesql-runc-{tag}-")
    os.chmod(work, 0o755)
    nets, containers = [], []
    figures = {}
    try:
        # The image's root filesystem, by the script the Dockerfile runs.
        rootfs = os.path.join(work, "rootfs")
        r = run([os.path.join(REPO, "deploy/container/make-rootfs.sh"), args.edgesql, rootfs],
                timeout=120)
        log(r.stdout.strip())
        size = int(re.search(r"rootfs size: (\d+) bytes", r.stdout).group(1))
        sanitized = any(re.match(r"lib(asan|ubsan|tsan)", f)
                        for f in os.listdir(os.path.join(rootfs, "usr/lib/x86_64-linux-gnu")))
        figures["rootfs"] = f"{size / 1e6:.1f} MB" + (" (sanitized binary)" if sanitized else "")
        log(f"FIGURE rootfs size: {figures['rootfs']}")
        if not sanitized and size > MAX_ROOTFS_BYTES:
            raise AssertionError(f"rootfs is {size} bytes, over the 40 MB target")

        image = dockerfile_config(os.path.join(REPO, "deploy/container/Dockerfile"))
        log(f"image config from the Dockerfile: user {image['uid']}:{image['gid']}, "
            f"args {' '.join(image['args'])}")
        run(["runc", "spec", "--bundle", work], timeout=10)
        with open(os.path.join(work, "config.json")) as f:
            template = json.load(f)

        reason = probe_runtime(work, template)
        if reason:
            log(f"SKIP: {reason}")
            return SKIP

        # The volume and the mounted secret, owned as fsGroup 10001 and defaultMode 0440 make them.
        data = os.path.join(work, "data")
        secrets = os.path.join(work, "secrets")
        os.makedirs(data)
        os.makedirs(secrets)
        os.chown(data, image["uid"], image["gid"])
        os.chmod(data, 0o2770)
        with open(os.path.join(secrets, "sa-password"), "w") as f:
            f.write(PASSWORD + "\n")
        os.chown(os.path.join(secrets, "sa-password"), 0, image["gid"])
        os.chmod(os.path.join(secrets, "sa-password"), 0o440)

        def new_container(name, net, extra_args=()):
            c = Container(work, f"edgesql-{name}-{tag}", make_config(
                template, image, net.path() if net else None, data, secrets, extra_args))
            containers.append(c)
            return c

        net = Net(tag)
        nets.append(net)
        net.create()

        # 2. First start: initializes the volume.
        first = new_container("first", net)
        first.start()
        pid = first.init_pid()
        conn = connect(net.ip, 60)
        figures["first start"] = int((time.monotonic() - first.started) * 1000)
        log(f"FIGURE first start (empty volume) to first query: {figures['first start']} ms")
        st = proc_status(pid)
        assert st["NSpid"][-1] == "1", f"edgesql up is not PID 1 in its namespace: {st['NSpid']}"
        assert st["Uid"][0] == str(image["uid"]), f"runs as uid {st['Uid']}"
        assert open(f"/proc/{pid}/cmdline").read().split("\0")[:2] == image["args"][:2]
        for path in ("/livez", "/readyz"):
            code = http_status(net.ip, path)
            assert code == 200, f"{path} answered {code}"
        log(f"PID 1 of its namespace is edgesql up, uid {image['uid']}; /livez and /readyz 200")

        # 3. Acknowledged writes, then SIGKILL.
        cur = conn.cursor()
        cur.execute("CREATE TABLE t (id int PRIMARY KEY, v nvarchar(40) NOT NULL)")
        acked = {}
        for i in range(args.rows):
            cur.execute("INSERT INTO t VALUES (%s, %s)", (i, f"row {i}"))
            acked[i] = f"row {i}"
        cur.execute("BEGIN TRANSACTION")
        for i in range(args.rows, args.rows + 100):
            cur.execute("INSERT INTO t VALUES (%s, %s)", (i, f"txn row {i}"))
            acked[i] = f"txn row {i}"
        cur.execute("COMMIT")
        log(f"{len(acked)} rows acknowledged")

        # 4. A second container on the same volume while the first runs. With the image's command
        # (--lock-wait-ms) it waits for the first to stop, serving nothing meanwhile; told not to
        # wait, it exits at once naming the lock.
        waiter = new_container("waiter", None)
        waiter.start()
        time.sleep(2)
        out = waiter.output()
        assert waiter.proc.poll() is None, f"the second container exited:\n{out}"
        assert "waiting up to" in out, f"the second container does not wait for the lock:\n{out}"
        assert "ready on" not in out, f"the second container started serving:\n{out}"
        waiter.kill("KILL")
        waiter.wait(timeout=15)
        log("a second container with the image's command waits for the first one's lock")
        second = new_container("second", None, ["--lock-wait-ms", "0"])
        second.start()
        try:
            rc = second.wait(timeout=15)
        except subprocess.TimeoutExpired:
            raise AssertionError("a second container on the same volume is still running after 15 s")
        out = second.output()
        assert rc != 0, f"the second container exited 0:\n{out}"
        assert "only one may run per data directory" in out or "locked" in out, out
        figures["second refused"] = int((time.monotonic() - second.started) * 1000)
        log(f"FIGURE second container refused in {figures['second refused']} ms, exit {rc}: "
            f"{out.strip().splitlines()[-1]}")
        cur.execute("SELECT COUNT(*) FROM t")
        assert cur.fetchone()[0] == len(acked), "the first container lost rows to the second"
        conn.close()

        first.kill("KILL")
        rc = first.wait(timeout=15)
        assert rc == 128 + 9, f"SIGKILLed container exited {rc}"
        run(["runc", "delete", "--force", first.cid], check=False)

        # A fresh container on the same volume.
        third = new_container("fresh", net)
        third.start()
        third.init_pid()
        conn = connect(net.ip, 60)
        figures["restart"] = int((time.monotonic() - third.started) * 1000)
        log(f"FIGURE fresh container after SIGKILL to first query: {figures['restart']} ms")
        cur = conn.cursor()
        cur.execute("SELECT id, v FROM t ORDER BY id")
        got = {i: v for i, v in cur.fetchall()}
        missing = [i for i in acked if got.get(i) != acked[i]]
        assert not missing, f"{len(missing)} acknowledged rows missing after SIGKILL, e.g. {missing[:5]}"
        assert len(got) == len(acked), f"{len(got)} rows, {len(acked)} acknowledged"
        log(f"all {len(acked)} acknowledged rows read back")

        # 5. SIGTERM with an idle session open: clean exit within the pod's grace period.
        grace = grace_period_seconds()
        t0 = time.monotonic()
        third.kill("TERM")
        try:
            rc = third.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running {grace} s after SIGTERM (terminationGracePeriodSeconds)")
        figures["sigterm"] = int((time.monotonic() - t0) * 1000)
        out = third.output()
        assert rc == 0, f"exit status {rc} after SIGTERM:\n{out}"
        took = re.search(r"shutdown took (\d+) ms", out)
        assert took, f"no 'shutdown took N ms' in the log:\n{out}"
        log(f"FIGURE SIGTERM to container exit: {figures['sigterm']} ms "
            f"(server logged shutdown took {took.group(1)} ms), exit 0, budget {grace} s")
        conn.close()
        # Nothing tried to write outside the volume and /tmp (the root is read-only).
        for c in containers:
            assert "read-only file system" not in c.output().lower(), f"{c.cid}:\n{c.output()}"
        log("PASS: " + ", ".join(f"{k} {v}" + ("" if isinstance(v, str) else " ms")
                                 for k, v in figures.items()))
        return 0
    except Exception as e:
        log(f"FAIL: {e}")
        for c in containers:
            if c.proc is not None:
                log(f"---- {c.cid} output ----\n{c.output()[-4000:]}")
        return 1
    finally:
        for c in containers:
            c.destroy()
        for n in nets:
            n.destroy()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
