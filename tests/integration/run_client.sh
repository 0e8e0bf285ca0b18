#!/usr/bin/env bash
# Runs one real client program through the shared scenario (README.md) against fresh servers.
#
#   run_client.sh SERVER_BINARY CLIENT_NAME PROBE -- CLIENT_COMMAND...
#
# PROBE is a shell command that checks the client's package is installed; when it fails the test
# is skipped (exit 77) with its output as the reason. Otherwise two servers are started, each on a
# free port of 127.0.0.1 with its own temporary data directory:
#   - a plain one (TLS offered, not required), and
#   - one with --force-encryption (step 9),
# then CLIENT_COMMAND runs with this environment:
#   EDGESQL_HOST, EDGESQL_PORT            the plain server
#   EDGESQL_FORCED_PORT                   the --force-encryption server
#   EDGESQL_PASSWORD                      the sa password both servers were initialised with
#   EDGESQL_CA_FILE, EDGESQL_FORCED_CA_FILE  their self-signed certificates (PEM)
#   EDGESQL_CLIENT                        CLIENT_NAME (names the client's database)
#   EDGESQL_WORK                          a scratch directory for the client (config files)
#   FREETDSCONF                           a freetds.conf naming the servers for FreeTDS clients:
#     [edgesql]            plain server, FreeTDS's default `encryption = request` (login-only TLS)
#     [edgesql_tls]        plain server, encryption = require
#     [edgesql_forced]     forced server, encryption = require
#     [edgesql_forced_off] forced server, encryption = off (must be refused)
# The exit status is the client's, made a failure if a server died during the run or did not stop
# within 10 s of SIGTERM. The servers are stopped by PID (SIGTERM, then SIGKILL after 10 s) and the
# temporary directories removed, whatever happens.
set -uo pipefail

if (($# < 4)) || [[ $4 != -- ]]; then
  echo "usage: $0 SERVER_BINARY CLIENT_NAME PROBE -- CLIENT_COMMAND..." >&2
  exit 2
fi
server_bin=$1
client=$2
probe=$3
shift 4

if ! probe_out=$(bash -c "$probe" 2>&1); then
  echo "SKIP $client: client package missing ($probe): $probe_out"
  echo "      install it with scripts/install-deps"
  exit 77
fi
if [[ ! -x $server_bin ]]; then
  echo "FAIL $client: server binary $server_bin not built" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/edgesql-it-$client.XXXXXX")
pids=()

# stop_servers: SIGTERM to every server, SIGKILL to those still running 10 s later; fails if one
# needed SIGKILL.
stop_servers() {
  local pid ok=0 deadline=$((SECONDS + 10))
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "harness: server $pid ignored SIGTERM for 10 s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null
      ok=1
    fi
    wait "$pid" 2>/dev/null
  done
  pids=()
  return "$ok"
}

cleanup() {
  stop_servers
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A strong password, different for every run (SQL Server's complexity rules: upper, lower, digit).
password="Edge-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-Sql9"

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_server NAME EXTRA_ARGS... : sets started_port and started_ca, appends to pids.
start_server() {
  local name=$1
  shift
  local dir="$work/$name" attempt port pid i
  for ((attempt = 0; attempt < 5; attempt++)); do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    rm -rf "$dir"
    mkdir -p "$dir/data"
    MSSQL_SA_PASSWORD=$password "$server_bin" server --data-dir "$dir/data" \
      --listen "127.0.0.1:$port" "$@" >"$dir/server.log" 2>&1 &
    pid=$!
    for ((i = 0; i < 300; i++)); do
      if ! kill -0 "$pid" 2>/dev/null; then
        break
      fi
      if port_in_use "$port"; then
        pids+=("$pid")
        started_port=$port
        started_ca=$(grep -l -- "-----BEGIN CERTIFICATE-----" "$dir"/data/tls/* 2>/dev/null | head -1)
        return 0
      fi
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid"
      wait "$pid" 2>/dev/null
      echo "harness: $name server did not accept connections within 30 s; its log:" >&2
      tail -n 40 "$dir/server.log" >&2
      return 1
    fi
    wait "$pid" 2>/dev/null
    # It exited: a port taken between the check and its bind is retried; anything else is fatal.
    if ! grep -qi "address already in use\|EADDRINUSE" "$dir/server.log"; then
      echo "harness: $name server exited during startup; its log:" >&2
      tail -n 40 "$dir/server.log" >&2
      return 1
    fi
  done
  echo "harness: no free port found for the $name server" >&2
  return 1
}

start_server plain || exit 1
plain_port=$started_port plain_ca=$started_ca
start_server forced --force-encryption || exit 1
forced_port=$started_port forced_ca=$started_ca

mkdir -p "$work/client"
cat >"$work/client/freetds.conf" <<EOF
[global]
	tds version = 7.4
	client charset = UTF-8
	text size = 2147483647
[edgesql]
	host = 127.0.0.1
	port = $plain_port
[edgesql_tls]
	host = 127.0.0.1
	port = $plain_port
	encryption = require
[edgesql_forced]
	host = 127.0.0.1
	port = $forced_port
	encryption = require
[edgesql_forced_off]
	host = 127.0.0.1
	port = $forced_port
	encryption = off
EOF
echo "harness: $client against 127.0.0.1:$plain_port (plain) and :$forced_port (--force-encryption)"
EDGESQL_HOST=127.0.0.1 EDGESQL_PORT=$plain_port EDGESQL_FORCED_PORT=$forced_port \
  EDGESQL_PASSWORD=$password EDGESQL_CA_FILE=$plain_ca EDGESQL_FORCED_CA_FILE=$forced_ca \
  EDGESQL_CLIENT=$client EDGESQL_WORK=$work/client FREETDSCONF=$work/client/freetds.conf \
  "$@" 2>&1 | tee "$work/client.out"
status=${PIPESTATUS[0]}
# Only a missing package may skip (above); a client that gives up is a failure.
if ((status == 77)); then
  status=1
fi

if ((status != 0)); then
  echo "harness: $client exited with status $status"
  for name in plain forced; do
    echo "---- last lines of the $name server's log ----"
    tail -n 30 "$work/$name/server.log"
  done
  # Repeated last, so that a log excerpt that keeps only the end still names what failed.
  echo "---- the client's failures ----"
  grep -E '^(FAIL|Traceback|[A-Za-z]*Error)' "$work/client.out" | tail -n 20
fi
# Bad input must never take the server down (DESIGN.md invariant 4).
for pid in "${pids[@]}"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "FAIL $client: server $pid died during the run"
    status=1
  fi
done
# A server must stop on SIGTERM.
if ! stop_servers; then
  echo "FAIL $client: a server did not stop within 10 s of SIGTERM"
  status=1
fi
exit "$status"
