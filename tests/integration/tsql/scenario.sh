#!/usr/bin/env bash
# The integration scenario (../README.md) driven by FreeTDS tsql (freetds-bin), the libtds
# diagnostic shell. Each call runs tsql with SQL on stdin and reads its output:
#
#   tsql -S <freetds.conf entry> -U sa -P <password> [-D <database>] -o qh -t <US>
#
# -o qh: no prompts, no "(n rows affected)" footer, no header; -t: columns separated by the
# ASCII unit separator (0x1f), rows by newlines. Server messages come on stderr as
# "Msg <number> (severity <s>, state <t>) from <server> Line <n>:\n\t\"<message>\"".
#
# tsql has no parameters (values are literals), no transaction API (T-SQL BEGIN/COMMIT/ROLLBACK
# TRANSACTION), no DML row counts (it prints only result rows, so counts are read with
# @@ROWCOUNT in the same batch) and no cancel (see step 8). It prints values through libtds'
# conversion to text: real with %.9g and float with %.17g, money with four decimals, binary as
# lower-case hex, GUIDs in upper case, and date/time types in its locale's short format
# ("%b %e %Y %I:%M%p", minutes only), so those columns are read as CONVERT(varchar, x, 121).
set -uo pipefail

password=${EDGESQL_PASSWORD:-}
database=it_${EDGESQL_CLIENT:-tsql}
work=${EDGESQL_WORK:-$(mktemp -d)}
US=$'\037'
failed=0
blocker=

# ---- running tsql ----

# q SERVER DB [PASSWORD] < sql : runs tsql; leaves stdout in $out, stderr in $err, status in $rc.
q() {
  local server=$1 db=$2 pw=${3-$password}
  local args=(-S "$server" -U sa -P "$pw" -o qh -t "$US")
  [[ -n $db ]] && args+=(-D "$db")
  tsql "${args[@]}" >"$work/out" 2>"$work/err"
  rc=$?
  out=$(<"$work/out")
  err=$(<"$work/err")
}

# The numbers of the server messages in $err ("Msg 2627 (severity 14 ...").
msg_numbers() {
  sed -n 's/^Msg \([0-9]*\) (severity.*/\1/p' <<<"$err" | tr '\n' ' ' | sed 's/ $//'
}

# ---- reporting ----

step_failures=()
fail() { step_failures+=("$*"); }

show() {
  local v=$1
  if ((${#v} > 60)); then
    printf '%q...(length %d)' "${v:0:60}" "${#v}"
  else
    printf '%q' "$v"
  fi
}

check() { # check WHAT GOT WANT
  if [[ $2 != "$3" ]]; then
    local at
    at=$(cmp <(printf %s "$2") <(printf %s "$3") 2>&1 | sed -n 's/.* byte \([0-9]*\).*/\1/p;s/.*EOF on .* after byte \([0-9]*\).*/\1/p' | head -1)
    fail "$1: got $(show "$2"), want $(show "$3") (first difference at byte ${at:-?})"
  fi
}

# check_no_error WHAT : fails when tsql could not connect or the server sent an error.
check_no_error() {
  if ((rc != 0)) || grep -q '^Msg [0-9]' <<<"$err" || grep -q '^Error [0-9]' <<<"$err"; then
    fail "$1: tsql status $rc: $(tr '\n' ' ' <<<"$err" | cut -c1-400)"
    return 1
  fi
}

run() { # run NAME FUNCTION [required]
  local name=$1 fn=$2 required=${3:-}
  if [[ -n $blocker ]]; then
    echo "FAIL $name: not run, step $blocker failed"
    failed=1
    return
  fi
  step_failures=()
  "$fn"
  if ((${#step_failures[@]})); then
    failed=1
    local f
    for f in "${step_failures[@]}"; do echo "FAIL $name: $f"; done
    [[ -n $required ]] && blocker=$name
  else
    echo "PASS $name"
  fi
}

# ---- the scenario's data ----

columns=(c_tinyint c_smallint c_int c_bigint c_bit c_real c_float c_decimal c_numeric c_money
  c_smallmoney c_char c_varchar c_nchar c_nvarchar c_varcharmax c_nvarcharmax c_binary c_varbinary
  c_varbinarymax c_date c_time c_datetime c_smalldatetime c_datetime2 c_dto c_guid)
types=(tinyint smallint int bigint bit real float 'decimal(38,10)' 'numeric(10,2)' money smallmoney
  'char(10)' 'varchar(50)' 'nchar(10)' 'nvarchar(50)' 'varchar(max)' 'nvarchar(max)' 'binary(8)'
  'varbinary(50)' 'varbinary(max)' date 'time(7)' datetime smalldatetime 'datetime2(7)'
  'datetimeoffset(7)' uniqueidentifier)
column_list=$(IFS=,; echo "${columns[*]}" | sed 's/,/, /g')

repeat() { printf -- "$1%.0s" $(seq "$2"); } # $1 has no % or \
varchar50="é€$(repeat 0123456789 4)abcdefgh"
nvarchar50="é日本語😀$(repeat n 44)"
varcharmax=$(repeat 'é€' 5000)
nvarcharmax=$(repeat 'ab日本é' 20000)
varbinary50=$(awk 'BEGIN { for (i = 0; i < 50; i++) printf "%02x", i }')
varbinarymax=$(awk 'BEGIN { for (i = 0; i < 102400; i++) printf "%02x", i % 251 }')

insert_sql() { # insert_sql ROW_NAME VALUE...
  local name=$1
  shift
  local IFS=,
  echo "INSERT INTO dbo.it_types (row_name, $column_list) VALUES ('$name',$*)"
}

nulls_values=()
for c in "${columns[@]}"; do nulls_values+=(NULL); done
max_values=(255 32767 2147483647 9223372036854775807 1 3.5E0 1.7976931348623157E+308
  1234567890123456789012345678.9012345678 99999999.99 922337203685477.5807 214748.3647 "'abc'"
  "'$varchar50'" "N'日本'" "N'$nvarchar50'" "'$varcharmax'" "N'$nvarcharmax'" 0xDEADBEEFCAFEBABE
  "0x$varbinary50" "0x$varbinarymax" "'9999-12-31'" "'23:59:59.9999999'"
  "'9999-12-31 23:59:59.997'" "'2079-06-06 23:59'" "'9999-12-31 23:59:59.9999999'"
  "'2024-02-29 12:34:56.1234567 +05:30'" "'6F9619FF-8B86-D011-B42D-00C04FC964FF'")
min_values=(0 -32768 -2147483648 -9223372036854775808 0 -0.15625E0 -2.2250738585072014E-308
  -1234567890123456789012345678.9012345678 -99999999.99 -922337203685477.5808 -214748.3648 "''"
  "''" "N''" "N''" "''" "N''" 0xFF 0x 0x "'0001-01-01'" "'00:00:00.0000000'"
  "'1753-01-01 00:00:00.000'" "'1900-01-01 00:00'" "'0001-01-01 00:00:00.0000000'"
  "'2001-02-03 04:05:06.7000000 -08:00'" "'00000000-0000-0000-0000-000000000000'")

# Expected output fields (see the header comment for tsql's text forms).
want_nulls=()
for c in "${columns[@]}"; do want_nulls+=(NULL); done
want_max=(255 32767 2147483647 9223372036854775807 1 3.5 1.7976931348623157e+308
  1234567890123456789012345678.9012345678 99999999.99 922337203685477.5807 214748.3647
  "abc       " "$varchar50" "日本        " "$nvarchar50" "$varcharmax" "$nvarcharmax"
  deadbeefcafebabe "$varbinary50" "$varbinarymax" 9999-12-31 23:59:59.9999999
  "9999-12-31 23:59:59.997" "2079-06-06 23:59:00.000" "9999-12-31 23:59:59.9999999"
  "2024-02-29 12:34:56.1234567 +05:30" 6F9619FF-8B86-D011-B42D-00C04FC964FF)
want_min=(0 -32768 -2147483648 -9223372036854775808 0 -0.15625 -2.2250738585072014e-308
  -1234567890123456789012345678.9012345678 -99999999.99 -922337203685477.5808 -214748.3648
  "          " "" "          " "" "" "" ff00000000000000 "" "" 0001-01-01 00:00:00.0000000
  "1753-01-01 00:00:00.000" "1900-01-01 00:00:00.000" "0001-01-01 00:00:00.0000000"
  "2001-02-03 04:05:06.7000000 -08:00" 00000000-0000-0000-0000-000000000000)

# The SELECT list: temporal columns as style 121 text, SQL Server's yyyy-mm-dd hh:mi:ss.fff...
# (datetime and smalldatetime with three decimals, the others with their scale's).
select_list() {
  local c out=()
  for c in "${columns[@]}"; do
    case $c in
      c_date | c_time | c_datetime | c_smalldatetime | c_datetime2 | c_dto)
        out+=("CONVERT(varchar(40), $c, 121)") ;;
      *) out+=("$c") ;;
    esac
  done
  local IFS=,
  echo "${out[*]}"
}

# ---- steps ----

step_login() {
  q edgesql master <<<$'SELECT 1\ngo\nSELECT DB_NAME()\ngo'
  check_no_error "login" || return
  check "SELECT 1 and DB_NAME()" "$out" $'1\nmaster'
  q edgesql master "${password}x" <<<$'SELECT 1\ngo'
  if ((rc == 0)) && [[ $out == 1 ]]; then
    fail "wrong password: login succeeded, want error 18456"
  else
    check "wrong password: server messages" "$(msg_numbers)" 18456
    check "wrong password: severity and state" \
      "$(grep -m1 -o '^Msg [0-9]* (severity [0-9]*, state [0-9]*)' <<<"$err")" \
      "Msg 18456 (severity 14, state 1)"
    grep -q "Login failed for user 'sa'" <<<"$err" ||
      fail "wrong password: messages lack \"Login failed for user 'sa'\": $err"
  fi
}

step_schema() {
  q edgesql master <<<"CREATE DATABASE $database"$'\ngo'
  check_no_error "CREATE DATABASE" || return
  local defs=() i
  for i in "${!columns[@]}"; do defs+=("${columns[i]} ${types[i]} NULL"); done
  local IFS=,
  q edgesql "$database" <<EOF
SELECT DB_NAME()
go
CREATE TABLE dbo.it_types (id int IDENTITY(1,1) PRIMARY KEY, row_name varchar(10) NOT NULL, ${defs[*]})
go
CREATE TABLE dbo.it_tx (id int PRIMARY KEY, note nvarchar(20) NOT NULL)
go
EOF
  check_no_error "CREATE TABLE" || return
  check "DB_NAME()" "$out" "$database"
}

step_insert() {
  {
    insert_sql nulls "${nulls_values[@]}"
    echo "SELECT @@ROWCOUNT"
    echo go
    insert_sql max "${max_values[@]}"
    echo "SELECT @@ROWCOUNT"
    echo go
    insert_sql min "${min_values[@]}"
    echo "SELECT @@ROWCOUNT"
    echo go
    echo "SELECT CAST(@@IDENTITY AS int)"
    echo go
  } >"$work/insert.sql"
  q edgesql "$database" <"$work/insert.sql"
  check_no_error "INSERT" || return
  check "@@ROWCOUNT of the three INSERTs, then @@IDENTITY" "$out" $'1\n1\n1\n3'
}

step_readback() {
  q edgesql "$database" <<<"SELECT id, row_name, $(select_list) FROM dbo.it_types ORDER BY id"$'\ngo'
  check_no_error "SELECT" || return
  local lines=() names=(nulls max min) r i
  mapfile -t lines <<<"$out"
  check "row count" "${#lines[@]}" 3
  for r in 0 1 2; do
    [[ -n ${lines[r]-} ]] || continue
    local got=() name=${names[r]}
    mapfile -t got < <(tr "$US" '\n' <<<"${lines[r]}")
    local -n want=want_$name
    check "$name.id" "${got[0]-}" $((r + 1))
    check "$name.row_name" "${got[1]-}" "$name"
    for i in "${!columns[@]}"; do
      check "$name.${columns[i]}" "${got[i + 2]-}" "${want[i]}"
    done
    unset -n want
  done
}

step_update_delete() {
  q edgesql "$database" <<'EOF'
UPDATE dbo.it_types SET c_nvarchar = N'updated ✓' WHERE c_tinyint IS NOT NULL
SELECT @@ROWCOUNT
go
UPDATE dbo.it_types SET c_int = c_int WHERE id = -1
SELECT @@ROWCOUNT
go
DELETE FROM dbo.it_types WHERE c_tinyint IS NULL
SELECT @@ROWCOUNT
go
SELECT COUNT(*) FROM dbo.it_types WHERE c_nvarchar = N'updated ✓'
go
SELECT COUNT(*) FROM dbo.it_types
go
EOF
  check_no_error "UPDATE/DELETE" || return
  check "UPDATE 2 rows, UPDATE 0 rows, DELETE 1 row, 2 updated, 2 left" "$out" $'2\n0\n1\n2\n2'
}

step_transactions() {
  q edgesql "$database" <<'EOF'
BEGIN TRANSACTION
go
INSERT INTO dbo.it_tx (id, note) VALUES (1, N'committed')
go
SELECT @@TRANCOUNT
go
COMMIT TRANSACTION
go
EOF
  check_no_error "commit" || return
  check "@@TRANCOUNT inside" "$out" 1
  q edgesql "$database" <<<$'SELECT note FROM dbo.it_tx WHERE id = 1\ngo'
  check "committed row seen by another session" "$out" committed
  q edgesql "$database" <<'EOF'
BEGIN TRANSACTION
go
INSERT INTO dbo.it_tx (id, note) VALUES (2, N'rolled back')
go
SELECT COUNT(*) FROM dbo.it_tx
go
ROLLBACK TRANSACTION
go
SELECT COUNT(*) FROM dbo.it_tx WHERE id = 2
go
SELECT @@TRANCOUNT
go
EOF
  check_no_error "rollback" || return
  check "count inside, count of the rolled back row after, @@TRANCOUNT after" "$out" $'2\n0\n0'
  q edgesql "$database" <<<$'SELECT COUNT(*) FROM dbo.it_tx\ngo'
  check "rolled back row never seen by another session" "$out" 1
}

expect_error() { # expect_error WHAT SQL NUMBER MESSAGE_PART SEVERITY
  q edgesql "$database" <<<"$2"$'\ngo\nSELECT 1\ngo'
  if ((rc != 0)); then
    fail "$1: tsql status $rc: $err"
    return
  fi
  check "$1: server messages" "$(msg_numbers | sed 's/ 3621$//')" "$3"
  check "$1: severity and state" "$(grep -m1 -o '^Msg [0-9]* (severity [0-9]*, state [0-9]*)' <<<"$err")" \
    "Msg $3 (severity $5, state 1)"
  grep -qF -- "$4" <<<"$err" || fail "$1: messages lack \"$4\": $(tr '\n' ' ' <<<"$err")"
  check "$1: then SELECT 1 on the same connection" "$out" 1
}

step_errors() {
  expect_error "duplicate key" "INSERT INTO dbo.it_tx (id, note) VALUES (1, N'duplicate')" 2627 \
    "Cannot insert duplicate key in object 'dbo.it_tx'. The duplicate key value is (1)." 14
  expect_error "missing table" "SELECT * FROM dbo.no_such_table" 208 \
    "Invalid object name 'dbo.no_such_table'." 16
  expect_error "syntax error" "SELECT 1 +" 102 "Incorrect syntax near '+'." 15
}

step_tls() {
  q edgesql_tls "$database" <<<$'SELECT 1\ngo\nSELECT c_nvarcharmax FROM dbo.it_types WHERE row_name = \'max\'\ngo'
  check_no_error "login over TLS (encryption = require)" || return
  check "SELECT 1 over TLS" "${out%%$'\n'*}" 1
  check "nvarchar(max) over TLS" "${out#*$'\n'}" "$nvarcharmax"
}

step_tls_forced() {
  q edgesql_forced master <<<$'SELECT 1\ngo'
  check_no_error "login over TLS (forced)" || return
  check "SELECT 1 over TLS (forced)" "$out" 1
  q edgesql_forced_off master <<<$'SELECT 1\ngo'
  if ((rc == 0)) && [[ $out == 1 ]]; then
    fail "login without TLS (encryption = off) to a --force-encryption server succeeded"
  fi
}

if ! command -v tsql >/dev/null; then
  echo "FAIL login: tsql not found"
  exit 1
fi
echo "client $(tsql -C | sed -n 's/^ *Version: //p') tsql as sa, database $database"
run login step_login required
run schema step_schema
run insert step_insert
run readback step_readback
run update-delete step_update_delete
run transactions step_transactions
run errors step_errors
# Step 8: tsql cannot cancel. It has no ATTENTION command, and libtds' query timeout with tsql's
# error handler closes the socket instead of cancelling (src/tds/net.c, tds_goodread).
echo "SKIP cancel: tsql has no cancel (no ATTENTION; its timeout closes the connection)"
run tls step_tls
run tls-forced step_tls_forced
exit "$failed"
