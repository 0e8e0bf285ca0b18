"""Hostile clients against a real server while a healthy pytds session keeps working.

DESIGN.md invariant 4: bad input (malformed packets, wrong passwords, floods of connections) gets
a clear error and never crashes the server or disturbs other sessions. Run by run_client.sh
(which starts the servers, then fails the test if one of them died); see README.md.

While one pytds session inserts and reads back rows in a loop, other connections send:
random bytes, truncated packets and messages, half-open connections that never finish (or never
start) their login, packets above the negotiated size, messages above the size bounds, garbage
after a valid login, wrong passwords, plaintext to the --force-encryption server, and a burst of
a few hundred simultaneous connections (each served: PRELOGIN answered, a share of them logged
in). Afterwards the healthy session must have seen no error and every row it wrote, every hostile
connection must have been closed by the server (or refused cleanly), and new logins must work.

Every loop is bounded; sockets are closed by this script. Prints PASS/FAIL lines; exits 1 on any
failure.
"""

import os
import random
import socket
import struct
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

import pytds

HOST = os.environ.get('EDGESQL_HOST', '127.0.0.1')
PORT = int(os.environ.get('EDGESQL_PORT', '1433'))
FORCED_PORT = int(os.environ.get('EDGESQL_FORCED_PORT', '0'))
PASSWORD = os.environ.get('EDGESQL_PASSWORD', '')
CA_FILE = os.environ.get('EDGESQL_CA_FILE', '')

BURST = 300            # simultaneous connections in the burst
BURST_LOGINS = 100     # of which this many complete a login
CLOSE_TIMEOUT = 10.0   # seconds the server may take to close a connection it must close
HEALTHY_MAX_SECONDS = 120.0

failures = []


def report(ok, step, detail=''):
    if ok:
        print('PASS %s' % step, flush=True)
    else:
        print('FAIL %s: %s' % (step, detail), flush=True)
        failures.append(step)


# ---- A raw TDS client, only as much as the attacks need ([MS-TDS] 2.2.3, 2.2.6) ----

PRELOGIN, LOGIN7, SQL_BATCH, ATTENTION, RPC = 0x12, 0x10, 0x01, 0x06, 0x03
EOM = 0x01


def packets(ptype, payload, size=4096, status=0):
    out = b''
    chunk = size - 8
    pos = 0
    pid = 1
    while True:
        part = payload[pos:pos + chunk]
        pos += len(part)
        last = pos >= len(payload)
        st = (status if pid == 1 else 0) | (EOM if last else 0)
        out += struct.pack('>BBHHBB', ptype, st, len(part) + 8, 0, pid & 0xFF, 0) + part
        pid += 1
        if last:
            return out


def prelogin_payload(encryption=2):
    options = [(0, b'\x0b\x00\x00\x00\x00\x00'), (1, bytes([encryption])), (2, b'\x00'),
               (3, struct.pack('>I', os.getpid())), (4, b'\x00')]
    offset = len(options) * 5 + 1
    table, data = b'', b''
    for oid, value in options:
        table += struct.pack('>BHH', oid, offset + len(data), len(value))
        data += value
    return table + b'\xff' + data


def login7_payload(user, password, database='', packet_size=4096):
    def scramble(s):
        return bytes((((b << 4) & 0xF0) | (b >> 4)) ^ 0xA5 for b in s.encode('utf-16-le'))

    fields = [('hostile', False), (user, False), (password, True), ('hostile_clients', False),
              ('server', False), (None, False), ('hostile-raw', False), ('', False),
              (database, False)]
    fixed = 94
    body = b''
    offsets = b''
    for text, secret in fields:
        if text is None:  # ibUnused / extension: nothing
            offsets += struct.pack('<HH', fixed + len(body), 0)
            continue
        raw = scramble(text) if secret else text.encode('utf-16-le')
        offsets += struct.pack('<HH', fixed + len(body), len(raw) // 2)
        body += raw
    offsets += b'\x00' * 6  # ClientID
    offsets += struct.pack('<HHHHHHI', fixed + len(body), 0, fixed + len(body), 0,
                           fixed + len(body), 0, 0)  # SSPI, AtchDBFile, ChangePassword, cbSSPILong
    head = struct.pack('<IIIIIIBBBBiI', 0, 0x74000004, packet_size, 7, os.getpid(), 0,
                       0xE0, 0x03, 0x00, 0x00, 0, 0x0409)
    record = head + offsets + body
    assert len(head + offsets) == fixed
    return struct.pack('<I', len(record)) + record[4:]


class RawConnection:
    def __init__(self, port=PORT, timeout=15.0):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        self.sock.sendall(data)

    def recv_exact(self, n):
        buf = b''
        while len(buf) < n:
            part = self.sock.recv(n - len(buf))
            if not part:
                raise EOFError('closed by the server')
            buf += part
        return buf

    def read_message(self):
        payload = b''
        while True:
            ptype, status, length = struct.unpack('>BBH', self.recv_exact(4))
            self.recv_exact(4)
            if ptype != 0x04 or length < 8:
                raise ValueError('unexpected packet type %d' % ptype)
            payload += self.recv_exact(length - 8)
            if status & EOM:
                return payload

    def prelogin(self, encryption=2):
        self.send(packets(PRELOGIN, prelogin_payload(encryption)))
        reply = self.read_message()
        # The ENCRYPTION option's offset is in the option table's second entry.
        pos = 0
        while reply[pos] != 0xFF:
            oid, off, length = struct.unpack('>BHH', reply[pos:pos + 5])
            if oid == 1:
                return reply[off]
            pos += 5
        raise ValueError('no ENCRYPTION in the PRELOGIN reply')

    def login(self, password=PASSWORD, database=''):
        """Returns the token ids of the login response (0xAD = LOGINACK, 0xAA = ERROR ...)."""
        self.send(packets(LOGIN7, login7_payload('sa', password, database)))
        payload = self.read_message()
        self.last_error = self.first_error(payload)
        return self.token_ids(payload)

    @staticmethod
    def first_error(payload):
        """'number: message' of the first ERROR token when the response starts with one."""
        if len(payload) < 11 or payload[0] != 0xAA:
            return ''
        number = struct.unpack('<i', payload[3:7])[0]
        length = struct.unpack('<H', payload[9:11])[0]
        return '%d: %s' % (number, payload[11:11 + 2 * length].decode('utf-16-le', 'replace'))

    @staticmethod
    def token_ids(payload):
        ids, pos = [], 0
        while pos < len(payload):
            token = payload[pos]
            ids.append(token)
            if token in (0xFD, 0xFE, 0xFF):  # DONE*: status, curcmd, 8-byte count
                pos += 13
            elif token in (0xE3, 0xAA, 0xAB, 0xAD):  # length-prefixed
                pos += 3 + struct.unpack('<H', payload[pos + 1:pos + 3])[0]
            else:
                break  # a token these attacks do not need to walk over
        return ids

    def batch(self, sql):
        headers = struct.pack('<IIHQI', 22, 18, 2, 0, 1)
        self.send(packets(SQL_BATCH, headers + sql.encode('utf-16-le')))
        return self.token_ids(self.read_message())

    def closed_by_server(self, within=CLOSE_TIMEOUT):
        """True once the server closes the connection (EOF or reset); replies are discarded."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                if not self.sock.recv(65536):
                    return True
            except socket.timeout:
                return False
            except OSError:
                return True
        return False


def logged_in():
    c = RawConnection()
    c.prelogin()
    ids = c.login()
    if 0xAD not in ids:
        c.close()
        raise AssertionError('login failed: tokens %s (%s)' % (ids, c.last_error))
    return c


def send_ignoring_reset(c, data):
    try:
        c.send(data)
    except OSError:
        pass  # the server may close before everything is sent: that is the point


# ---- The healthy session ----

class Healthy(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.rows = 0
        self.errors = []
        self.max_latency = 0.0

    def run(self):
        deadline = time.monotonic() + HEALTHY_MAX_SECONDS
        try:
            conn = pytds.connect(server=HOST, port=PORT, user='sa', password=PASSWORD,
                                 database='hostile', autocommit=True, login_timeout=10,
                                 timeout=30)
            with conn.cursor() as cur:
                while not self.stop.is_set() and time.monotonic() < deadline:
                    start = time.monotonic()
                    cur.execute('INSERT INTO dbo.probe (v) VALUES (%s)', (self.rows,))
                    cur.execute('SELECT COUNT(*), MAX(v) FROM dbo.probe')
                    count, top = cur.fetchone()
                    self.max_latency = max(self.max_latency, time.monotonic() - start)
                    self.rows += 1
                    if count != self.rows or top != self.rows - 1:
                        self.errors.append('after %d inserts: count %s, max %s' %
                                           (self.rows, count, top))
                        break
                    time.sleep(0.005)
            conn.close()
        except Exception as e:  # noqa: BLE001 - any failure of the healthy session is the result
            self.errors.append('%s: %s' % (type(e).__name__, e))


# ---- The attacks: each returns a list of problems (empty when the server behaved) ----

def expect_closed(c, what):
    try:
        return [] if c.closed_by_server() else ['%s: the server kept the connection open' % what]
    finally:
        c.close()


def attack_random_bytes():
    problems = []
    rng = random.Random(4002)
    for i in range(60):
        c = RawConnection()
        send_ignoring_reset(c, bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 5000))))
        if i % 3 == 0:
            c.close()  # some go away at once
        else:
            problems += expect_closed(c, 'random bytes #%d' % i)
    return problems


def attack_truncated():
    problems = []
    pre = packets(PRELOGIN, prelogin_payload())
    login = packets(LOGIN7, login7_payload('sa', PASSWORD))
    cases = [
        ('half a header', pre[:5]),
        ('a header promising more than follows', pre[:8] + pre[8:12]),
        ('a PRELOGIN without its last packet', packets(PRELOGIN, b'\x00' * 6000)[:4096]),
    ]
    for what, data in cases:
        c = RawConnection()
        send_ignoring_reset(c, data)
        c.sock.shutdown(socket.SHUT_WR)  # the client ends the stream mid-message
        problems += expect_closed(c, what)
    # A valid PRELOGIN, then half a LOGIN7 and an end of stream.
    c = RawConnection()
    c.prelogin()
    send_ignoring_reset(c, login[:len(login) // 2])
    c.sock.shutdown(socket.SHUT_WR)
    problems += expect_closed(c, 'half a LOGIN7')
    # A LOGIN7 whose offsets point past its end.
    c = RawConnection()
    c.prelogin()
    body = login7_payload('sa', PASSWORD)
    send_ignoring_reset(c, packets(LOGIN7, body[:70]))
    problems += expect_closed(c, 'a truncated LOGIN7 record')
    return problems


def attack_oversized():
    problems = []
    # A packet longer than the 4096 bytes allowed before login.
    c = RawConnection()
    send_ignoring_reset(c, struct.pack('>BBHHBB', PRELOGIN, EOM, 0xFFFF, 0, 1, 0) + b'\x00' * 9000)
    problems += expect_closed(c, 'a 64 KiB packet before login')
    # A PRELOGIN message above the 128 KiB login bound, in valid packets that never end.
    c = RawConnection()
    chunk = struct.pack('>BBHHBB', PRELOGIN, 0, 4096, 0, 1, 0) + b'\x00' * 4088
    for _ in range(40):
        try:
            c.send(chunk)
        except OSError:
            break
    problems += expect_closed(c, 'a 160 KiB PRELOGIN')
    # After login: a packet above the negotiated size, and a request above the 64 MiB bound.
    c = logged_in()
    send_ignoring_reset(c, struct.pack('>BBHHBB', SQL_BATCH, EOM, 8192, 0, 1, 0) + b'\x00' * 8184)
    problems += expect_closed(c, 'a packet above the negotiated size')
    c = logged_in()
    chunk = struct.pack('>BBHHBB', SQL_BATCH, 0, 4096, 0, 1, 0) + b'A\x00' * 2044
    sent = 0
    while sent < 65 << 20:
        try:
            c.send(chunk * 64)
        except OSError:
            break
        sent += len(chunk) * 64
    problems += expect_closed(c, 'a 65 MiB SQL batch')
    return problems


def attack_after_login():
    problems = []
    cases = [
        ('garbage after login', os.urandom(3000)),
        ('an unknown packet type', packets(0x05, b'\x00' * 10)),
        ('a second PRELOGIN', packets(PRELOGIN, prelogin_payload())),
        ('invalid UTF-16 in a batch',
         packets(SQL_BATCH, struct.pack('<IIHQI', 22, 18, 2, 0, 1) + b'S\x00\x00\xdc')),
        ('a truncated ALL_HEADERS', packets(SQL_BATCH, b'\x16\x00\x00')),
    ]
    for what, data in cases:
        c = logged_in()
        send_ignoring_reset(c, data)
        problems += expect_closed(c, what)
    # Garbage while a request runs: the request is abandoned and the connection closed.
    c = logged_in()
    headers = struct.pack('<IIHQI', 22, 18, 2, 0, 1)
    c.send(packets(SQL_BATCH, headers + "WAITFOR DELAY '00:00:02'".encode('utf-16-le')))
    time.sleep(0.2)
    send_ignoring_reset(c, b'\x77' * 16)
    problems += expect_closed(c, 'garbage during a WAITFOR')
    # A storm of ATTENTION packets with nothing running: each is acknowledged, the session lives.
    c = logged_in()
    c.send(packets(ATTENTION, b'') * 50)
    acks = 0
    try:
        for _ in range(50):
            if 0xFD in c.token_ids(c.read_message()):
                acks += 1
        ids = c.batch('SET NOCOUNT ON')
        if acks != 50 or ids != [0xFD]:
            problems.append('attention storm: %d acks, then %s' % (acks, ids))
    except (OSError, EOFError, ValueError) as e:
        problems.append('attention storm: %s' % e)
    c.close()
    return problems


def attack_half_open(hold_seconds):
    """Connections that stop half way and hold their sockets while everything else goes on."""
    held = []
    try:
        for i in range(50):
            c = RawConnection()
            if i % 3 == 1:
                c.send(packets(PRELOGIN, prelogin_payload())[:3])  # part of a header
            elif i % 3 == 2:
                c.prelogin()  # PRELOGIN answered, LOGIN7 never sent
            held.append(c)
        time.sleep(hold_seconds)
        # They are still connections the server holds (the login timeout is 60 s): its other
        # sessions must not have noticed them.
        return []
    except (OSError, EOFError, ValueError) as e:
        return ['half-open connections: %s' % e]
    finally:
        for c in held:
            c.close()


def attack_wrong_passwords():
    problems = []
    for i in range(30):
        c = RawConnection()
        try:
            c.prelogin()
            ids = c.login(password='wrong-%d' % i)
            if 0xAA not in ids or 0xAD in ids:
                problems.append('wrong password #%d: tokens %s' % (i, ids))
            problems += expect_closed(c, 'wrong password #%d' % i)
        except (OSError, EOFError, ValueError) as e:
            problems.append('wrong password #%d: %s' % (i, e))
            c.close()
    return problems


def attack_forced_plaintext():
    if not FORCED_PORT:
        return []
    problems = []
    for i in range(10):
        c = RawConnection(port=FORCED_PORT)
        try:
            answer = c.prelogin(encryption=2)  # NOT_SUP
            if answer != 3:
                problems.append('forced server answered %d to NOT_SUP' % answer)
            problems += expect_closed(c, 'NOT_SUP client of the forced server')
        except (OSError, EOFError, ValueError) as e:
            problems.append('forced server: %s' % e)
            c.close()
    return problems


def attack_burst():
    """BURST connections open at once; every one gets its PRELOGIN answered, BURST_LOGINS log
    in and run a batch, then all close."""
    problems = []
    conns = []
    lock = threading.Lock()

    def open_one(i):
        c = RawConnection(timeout=60)
        with lock:
            conns.append(c)
        c.prelogin()
        if i < BURST_LOGINS:
            ids = c.login()
            if 0xAD not in ids:
                raise AssertionError('burst login %d: tokens %s (%s)' % (i, ids, c.last_error))
            ids = c.batch('SET NOCOUNT ON')
            if ids != [0xFD]:
                raise AssertionError('burst batch %d: tokens %s' % (i, ids))

    try:
        with ThreadPoolExecutor(max_workers=64) as pool:
            for f in [pool.submit(open_one, i) for i in range(BURST)]:
                try:
                    f.result()
                except Exception as e:  # noqa: BLE001
                    problems.append('burst: %s: %s' % (type(e).__name__, e))
                    if len(problems) > 5:
                        break
    finally:
        for c in conns:
            c.close()
    return problems


def setup():
    conn = pytds.connect(server=HOST, port=PORT, user='sa', password=PASSWORD, autocommit=True,
                         login_timeout=10)
    with conn.cursor() as cur:
        cur.execute("IF DB_ID('hostile') IS NULL CREATE DATABASE hostile")
        cur.execute('USE hostile')
        cur.execute('CREATE TABLE dbo.probe (id int IDENTITY(1,1) PRIMARY KEY, v int NOT NULL)')
    conn.close()


def fresh_login_works(**kw):
    conn = pytds.connect(server=HOST, port=PORT, user='sa', password=PASSWORD,
                         database='hostile', autocommit=True, login_timeout=10, **kw)
    with conn.cursor() as cur:
        cur.execute('SELECT COUNT(*) FROM dbo.probe')
        count = cur.fetchone()[0]
    conn.close()
    return count


def main():
    setup()
    healthy = Healthy()
    healthy.start()
    time.sleep(0.5)
    attacks = [
        ('random bytes', attack_random_bytes),
        ('truncated packets and messages', attack_truncated),
        ('oversized packets and messages', attack_oversized),
        ('malformed requests after login', attack_after_login),
        ('wrong passwords', attack_wrong_passwords),
        ('plaintext to the forced-encryption server', attack_forced_plaintext),
        ('burst of %d connections' % BURST, attack_burst),
    ]
    with ThreadPoolExecutor(max_workers=len(attacks) + 1) as pool:
        half_open = pool.submit(attack_half_open, 20.0)
        futures = [(name, pool.submit(fn)) for name, fn in attacks]
        for name, f in futures + [('half-open connections', half_open)]:
            try:
                problems = f.result(timeout=300)
            except Exception as e:  # noqa: BLE001
                problems = ['%s: %s' % (type(e).__name__, traceback.format_exc(limit=3))]
            report(not problems, name, '; '.join(problems[:5]))

    healthy.stop.set()
    healthy.join(timeout=60)
    report(not healthy.is_alive() and not healthy.errors and healthy.rows > 0,
           'healthy session undisturbed (%d round trips, slowest %.2f s)' %
           (healthy.rows, healthy.max_latency),
           '; '.join(healthy.errors) or 'still running')
    report(healthy.max_latency < 10.0, 'healthy session never waited 10 s',
           'slowest round trip %.2f s' % healthy.max_latency)
    try:
        count = fresh_login_works()
        report(count == healthy.rows, 'new logins work and see every row',
               '%s rows, expected %d' % (count, healthy.rows))
    except Exception as e:  # noqa: BLE001
        report(False, 'new logins work and see every row', '%s: %s' % (type(e).__name__, e))
    if CA_FILE:
        try:
            import OpenSSL  # noqa: F401 - pytds needs it for TLS
            fresh_login_works(cafile=CA_FILE, validate_host=False)
            report(True, 'new TLS logins work')
        except ImportError:
            print('SKIP new TLS logins work: python3-openssl is missing')
        except Exception as e:  # noqa: BLE001
            report(False, 'new TLS logins work', '%s: %s' % (type(e).__name__, e))
    try:
        c = logged_in()
        c.close()
        report(True, 'new raw logins work')
    except Exception as e:  # noqa: BLE001
        report(False, 'new raw logins work', '%s: %s' % (type(e).__name__, e))
    print('%d failure(s)' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
