#!/usr/bin/python3
"""Concurrency as DESIGN.md describes it, seen from real client sessions (pytds):

1. a writer waits for another session's write transaction, as it would for SQL Server's locks,
   and goes on as soon as that transaction commits;
2. with SET LOCK_TIMEOUT it gives up with error 1222 when the timeout expires;
3. readers are never blocked by a writer and see only committed data (READ_COMMITTED_SNAPSHOT);
4. many sessions inserting at once all succeed and every row is there (group commit).

Usage: concurrency.py --server BUILD/src/cli/edgesql
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytds

PASSWORD = "Concurrent.Test-1"
failures = []


def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    args = ap.parse_args()
    data_dir = tempfile.mkdtemp(prefix="edgesql-concurrency-")
    port = free_port()
    env = dict(os.environ, MSSQL_SA_PASSWORD=PASSWORD)
    server = subprocess.Popen([args.server, "server", "--data-dir", data_dir, "--listen",
                               f"127.0.0.1:{port}"], env=env, stderr=subprocess.DEVNULL)

    def connect(autocommit=True):
        return pytds.connect(server="127.0.0.1", port=port, user="sa", password=PASSWORD,
                             autocommit=autocommit, timeout=60)

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("server did not start")
                time.sleep(0.02)

        admin = connect()
        admin.cursor().execute("CREATE TABLE acct (id int PRIMARY KEY, balance int NOT NULL)")
        admin.cursor().execute("INSERT INTO acct VALUES (1, 100), (2, 100)")

        holder = connect()
        h = holder.cursor()
        h.execute("BEGIN TRAN")
        h.execute("UPDATE acct SET balance = balance - 30 WHERE id = 1")

        # 3. A reader is not blocked and sees the committed balance, not the pending one.
        reader = connect()
        r = reader.cursor()
        started = time.monotonic()
        r.execute("SELECT balance FROM acct WHERE id = 1")
        seen = r.fetchone()[0]
        took = time.monotonic() - started
        check(seen == 100, f"reader sees the committed balance during the write (saw {seen})")
        check(took < 1.0, f"reader is not blocked by the writer ({took * 1000:.0f} ms)")

        # 2. A writer with LOCK_TIMEOUT 300 gives up with 1222 after about 300 ms.
        impatient = connect()
        c = impatient.cursor()
        c.execute("SET LOCK_TIMEOUT 300")
        started = time.monotonic()
        number = None
        try:
            c.execute("UPDATE acct SET balance = balance + 1 WHERE id = 2")
        except pytds.OperationalError as e:  # SQL Server errors surface as DB-API errors
            number = e.number
        except pytds.DatabaseError as e:
            number = getattr(e, "number", None)
        took = time.monotonic() - started
        check(number == 1222, f"LOCK_TIMEOUT expiry raises 1222 (got {number})")
        check(0.25 <= took < 3.0, f"the timeout is honoured ({took * 1000:.0f} ms for 300 ms)")

        # 1. A patient writer waits for the transaction and proceeds right after its COMMIT.
        done = {}

        def patient():
            conn = connect()  # kept alive: pytds closes a cursor with its connection
            w = conn.cursor()
            t0 = time.monotonic()
            w.execute("UPDATE acct SET balance = balance + 30 WHERE id = 2")
            done["waited"] = time.monotonic() - t0
            done["rows"] = w.rowcount

        t = threading.Thread(target=patient)
        t.start()
        time.sleep(0.5)
        check("waited" not in done, "the second writer waits while the transaction is open")
        h.execute("COMMIT")
        t.join(timeout=10)
        check(done.get("rows") == 1, "the waiting writer proceeds after COMMIT")
        check(0.4 <= done.get("waited", 0) < 5, f"it waited for the commit "
              f"({done.get('waited', 0) * 1000:.0f} ms)")
        r.execute("SELECT sum(balance) FROM acct")
        check(r.fetchone()[0] == 200, "the transfer kept the total")

        # 4. Many concurrent autocommit writers: all succeed, all rows present.
        admin.cursor().execute("CREATE TABLE ids (id int PRIMARY KEY)")
        errors = []

        def insert_many(base):
            try:
                conn = connect()
                cur = conn.cursor()
                for i in range(200):
                    cur.execute("INSERT INTO ids VALUES (%s)", (base + i,))
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=insert_many, args=(k * 1000,)) for k in range(16)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=120)
        r.execute("SELECT count(*) FROM ids")
        count = r.fetchone()[0]
        check(not errors, f"16 concurrent writers without errors {errors[:2]}")
        check(count == 3200, f"every acknowledged row is present ({count} of 3200)")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"{'FAIL' if failures else 'PASS'}: {len(failures)} failed checks")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
