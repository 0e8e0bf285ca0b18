#!/usr/bin/python3
"""Acknowledged commits survive SIGKILL (DESIGN.md invariant 1).

Writers insert unique ids through a real client (pytds) in autocommit mode, from several
connections at once so that group commit is in play, and record every id whose INSERT was
acknowledged. At a random moment the server is killed with SIGKILL, restarted on the same data
directory, and every acknowledged id must be there. Ids whose acknowledgement was lost in the kill
may or may not be present; nothing else may be. Repeated for --rounds rounds from --seed.

Usage: sigkill_durability.py --server BUILD/src/cli/edgesql [--rounds 20] [--seed N]
Prints one line per round and "PASS"/"FAIL"; exits non-zero on any lost write.
"""
import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytds

PASSWORD = "Durable.Kill-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary, data_dir, port, log):
    env = dict(os.environ, MSSQL_SA_PASSWORD=PASSWORD)
    proc = subprocess.Popen(
        [binary, "server", "--data-dir", data_dir, "--listen", f"127.0.0.1:{port}"],
        env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.02)
    proc.kill()
    raise RuntimeError("server did not start listening within 30 s")


def connect(port):
    return pytds.connect(server="127.0.0.1", port=port, user="sa", password=PASSWORD,
                         database="master", autocommit=True, login_timeout=10, timeout=30)


def writer(port, first_id, acked, attempted, stop):
    next_id = first_id
    try:
        conn = connect(port)
        cur = conn.cursor()
        while not stop.is_set():
            attempted.add(next_id)
            cur.execute("INSERT INTO acked (id, writer) VALUES (%s, %s)", (next_id, first_id))
            acked.append(next_id)  # only after the server acknowledged the commit
            next_id += 1
    except Exception:
        pass  # the kill ends every connection; what was acknowledged is in `acked`


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(f"seed {args.seed}, {args.rounds} rounds, {args.writers} writers")

    data_dir = tempfile.mkdtemp(prefix="edgesql-kill-")
    log = open(data_dir + ".log", "w")
    port = free_port()
    all_acked = set()
    all_attempted = set()
    failures = 0
    proc = start_server(args.server, data_dir, port, log)
    try:
        with connect(port) as conn:
            conn.cursor().execute("CREATE TABLE acked (id int PRIMARY KEY, writer int NOT NULL)")
        for rnd in range(args.rounds):
            acked, attempted, stop = [], set(), threading.Event()
            base = (rnd + 1) * 10_000_000
            threads = [threading.Thread(target=writer,
                                        args=(port, base + w * 1_000_000, acked, attempted, stop))
                       for w in range(args.writers)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.05, 0.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            stop.set()
            for t in threads:
                t.join(timeout=30)
            all_acked.update(acked)
            all_attempted.update(attempted)
            proc = start_server(args.server, data_dir, port, log)
            with connect(port) as conn:
                cur = conn.cursor()
                cur.execute("SELECT id FROM acked")
                present = {row[0] for row in cur.fetchall()}
            lost = all_acked - present
            phantom = present - all_attempted
            status = "ok" if not lost and not phantom else "FAIL"
            print(f"round {rnd + 1}: {len(acked)} acknowledged, {len(present)} rows, "
                  f"lost {len(lost)}, unexpected {len(phantom)}: {status}")
            if lost or phantom:
                failures += 1
                print(f"  lost: {sorted(lost)[:10]} unexpected: {sorted(phantom)[:10]}")
        if not all_acked:
            print("FAIL: no insert was ever acknowledged, so nothing was tested")
            failures += 1
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
    print(f"total acknowledged {len(all_acked)}")
    if failures:
        print(f"FAIL ({failures} rounds); server log in {log.name}, data in {data_dir}")
        return 1
    shutil.rmtree(data_dir, ignore_errors=True)
    os.unlink(log.name)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
