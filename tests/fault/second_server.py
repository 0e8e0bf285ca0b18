#!/usr/bin/python3
"""A second server on the same data directory exits at once with a clear error, and the first
server is unharmed (DESIGN.md invariant 2).

Usage: second_server.py --server BUILD/src/cli/edgesql
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import pytds

PASSWORD = "Second.Server-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(proc, port):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"first server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("first server did not start")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    args = ap.parse_args()
    data_dir = tempfile.mkdtemp(prefix="edgesql-second-")
    env = dict(os.environ, MSSQL_SA_PASSWORD=PASSWORD)
    port1, port2 = free_port(), free_port()
    first = subprocess.Popen([args.server, "server", "--data-dir", data_dir, "--listen",
                              f"127.0.0.1:{port1}"], env=env, stderr=subprocess.DEVNULL)
    ok = True
    try:
        wait_listening(first, port1)
        with pytds.connect(server="127.0.0.1", port=port1, user="sa", password=PASSWORD,
                           autocommit=True) as conn:
            conn.cursor().execute("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)")

        started = time.monotonic()
        second = subprocess.run([args.server, "server", "--data-dir", data_dir, "--listen",
                                 f"127.0.0.1:{port2}"], env=env, capture_output=True, text=True,
                                timeout=30)
        took = time.monotonic() - started
        message = second.stderr.strip()
        print(f"second server: exit {second.returncode} after {took:.2f} s: {message}")
        if second.returncode == 0:
            print("FAIL: the second server did not exit with an error")
            ok = False
        if "in use by another edgesql server (pid %d)" % first.pid not in message:
            print("FAIL: the message does not say the directory is in use and by which process")
            ok = False
        if took > 5:
            print("FAIL: the second server did not exit at once")
            ok = False
        try:
            with socket.create_connection(("127.0.0.1", port2), timeout=0.5):
                print("FAIL: the second server's port accepts connections")
                ok = False
        except OSError:
            pass

        with pytds.connect(server="127.0.0.1", port=port1, user="sa", password=PASSWORD,
                           autocommit=True) as conn:
            cur = conn.cursor()
            cur.execute("INSERT INTO kept VALUES (43)")
            cur.execute("SELECT sum(v) FROM kept")
            total = cur.fetchone()[0]
        print(f"first server after the attempt: sum = {total}")
        if total != 85:
            print("FAIL: the first server's data changed")
            ok = False
        if first.poll() is not None:
            print("FAIL: the first server stopped")
            ok = False
    finally:
        first.terminate()
        try:
            first.wait(timeout=10)
        except subprocess.TimeoutExpired:
            first.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
