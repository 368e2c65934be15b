#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# milter.sh - drive the real signetd with miltertest scripts (cases.lua)
# and check replies, header changes, actions and log lines.  It also
# checks signetd -t on good and bad files and reload on SIGHUP, and has
# dkimpy verify the signatures signetd made.
#
# Every daemon listens on a free loopback TCP port or a unix socket in the
# work directory, with keys made by "signet keygen" and a test-keys file
# instead of DNS, so nothing leaves the machine.  The unix socket, daemon
# mode and user switch checks come last; the user switch needs root.
#
# Environment: SIGNET_BUILDDIR, SIGNET_SRCDIR (set by make check);
# KEEP_WORK=1 keeps the work directory with the daemon logs.

set -u
SRC=${SIGNET_SRCDIR:?}
BUILD=${SIGNET_BUILDDIR:?}
SIGNETD=$BUILD/src/daemon/signetd
SIGNET=$BUILD/src/cli/signet
. "$SRC/tests/lib/proc.sh"

n=0
failures=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; failures=$((failures + 1)); }
skip_all() { echo "ok 1 - milter sessions # SKIP $1"; exit 0; }

command -v miltertest >/dev/null 2>&1 || skip_all "miltertest not installed"
[ -x "$SIGNETD" ] && [ -x "$SIGNET" ] || skip_all "signetd or signet not built"

work=$(mktemp -d /tmp/signet-milter.XXXXXX)
daemon_pid=""
cleanup() {
    [ -n "$daemon_pid" ] && proc_stop "$daemon_pid" signetd 5
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT INT TERM

# --- keys, test-keys file and messages -----------------------------------

"$SIGNET" keygen --domain example.com --selector s1 --out "$work" >/dev/null &&
"$SIGNET" keygen --domain example.com --selector e1 --type ed25519 \
    --out "$work" >/dev/null || { echo "not ok 1 - signet keygen failed"; exit 1; }

# Join the quoted strings of each zone-file line into one TXT record.
for sel in s1 e1; do
    printf '%s._domainkey.example.com\t%s\n' "$sel" \
        "$(grep -o '"[^"]*"' "$work/$sel.example.com.txt" | tr -d '"\n')"
done >"$work/keys.txt"
printf 'bad._domainkey.example.org\t~SERVFAIL~\n' >>"$work/keys.txt"

# t1 is s1's public key published with t=y (testing).
printf 't1._domainkey.example.com\t%s\n' \
    "$(sed -n 's/^s1[^\t]*\tv=DKIM1; /v=DKIM1; t=y; /p' "$work/keys.txt")" >>"$work/keys.txt"

crlf() { sed 's/$/\r/'; }

crlf >"$work/plain.eml" <<'MSG'
From: Alice <alice@example.com>
To: Bob <bob@example.net>
Subject: milter test
Date: Fri, 04 Dec 2026 10:00:00 +0000
Message-ID: <milter-test@example.com>

Hello Bob,
this is a test.
MSG
sed 's/alice@example.com/carol@other.org/' "$work/plain.eml" >"$work/foreign.eml"

sign() { # KEY-SELECTOR DOMAIN < message
    "$SIGNET" sign --domain "$2" --selector "$1" --key "$work/$1.example.com.pem"
}
sign s1 example.com <"$work/plain.eml" >"$work/signed.eml"
sed 's/this is a test/this is a changed test/' "$work/signed.eml" >"$work/tampered.eml"
sign s1 example.org <"$work/plain.eml" | sed 's/s=s1;/s=bad;/' >"$work/dnsfail.eml"
{ printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com\r\n'
  cat "$work/plain.eml"; } >"$work/malformed.eml"
{ printf 'DKIM-Signature: v=1; a=rsa-sha256; d=ev(il"x.example; s=s1;\r\n'
  printf ' h=from; bh=AAAA; b=AAAA\r\n'
  cat "$work/plain.eml"; } >"$work/hostile.eml"
sign s1 example.com <"$work/plain.eml" | sign e1 example.com |
    sign s1 example.com | sign e1 example.com >"$work/many.eml"
"$SIGNET" sign --domain example.com --selector t1 \
    --key "$work/s1.example.com.pem" <"$work/plain.eml" >"$work/testing.eml"
# Two well-formed signatures whose b= values share their first 8
# characters, so header.b must show more of each.
b64() { /usr/bin/python3 -c "import base64; print(base64.b64encode($1).decode())"; }
bh=$(b64 'bytes(32)')
{ printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=from;\r\n'
  printf ' bh=%s; b=%s\r\n' "$bh" "$(b64 'bytes(256)')"
  printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=from;\r\n'
  printf ' bh=%s; b=%s\r\n' "$bh" "$(b64 'bytes(7) + b"\\x01" + bytes(248)')"
  cat "$work/plain.eml"; } >"$work/sameprefix.eml"
{ printf 'Authentication-Results: mx.test; dkim=pass header.d=example.com\r\n'
  printf 'Authentication-Results: other.test; spf=pass\r\n'
  printf 'Authentication-Results: (forged) MX.TEST; dkim=pass\r\n'
  cat "$work/signed.eml"; } >"$work/forged.eml"

# --- configurations -------------------------------------------------------

# write_config NAME PORT [EXTRA SETTINGS...]
write_config() {
    conf=$work/$1.conf
    port=$2
    shift 2
    cat >"$conf" <<CONF
socket = "inet:$port@127.0.0.1";
mode = "sv";
authserv_id = "mx.test";
internal_hosts = [ "10.0.0.0/8" ];
sign_authenticated = true;
keys = ( { id = "ex-rsa"; domain = "example.com"; selector = "s1";
           file = "$work/s1.example.com.pem"; },
         { id = "ex-ed"; domain = "example.com"; selector = "e1";
           file = "$work/e1.example.com.pem"; } );
signing = ( { match = "example.com"; keys = [ "ex-rsa", "ex-ed" ]; } );
dns = { test_keys = "$work/keys.txt"; };
log_verbose = true;
CONF
    for line in "$@"; do
        echo "$line" >>"$conf"
    done
}

# start_daemon NAME PORT: run signetd -f on NAME.conf, log in NAME.log.
start_daemon() {
    [ -n "$daemon_pid" ] && proc_stop "$daemon_pid" signetd 5
    "$SIGNETD" -f -c "$work/$1.conf" >"$work/$1.log" 2>&1 &
    daemon_pid=$!
    if ! proc_wait_listen "$2" 10; then
        fail "signetd $1 starts"
        sed 's/^/# /' "$work/$1.log"
        return 1
    fi
    return 0
}

# run_case CASE PORT [TESTNAME [-D VAR=VALUE...]]
run_case() {
    name=$1
    port=$2
    label=${3:-$1}
    [ $# -ge 3 ] && shift 3 || shift 2
    set -- -D "lib=$SRC/tests/milter/lib.lua" -D "port=$port" \
        -D "work=$work" -D "case=$name" "$@"
    if miltertest "$@" -s "$SRC/tests/milter/cases.lua" \
        >"$work/$name.out" 2>&1; then
        pass "$label"
    else
        fail "$label"
        sed 's/^/# /' "$work/$name.out"
    fi
}

# log_has NAME PATTERN TESTNAME: a grep -E check on NAME.log.
log_has() {
    if grep -Eq "$2" "$work/$1.log"; then
        pass "$3"
    else
        fail "$3"
        echo "# no line matching: $2"
        sed 's/^/#   /' "$work/$1.log" | tail -n 20
    fi
}

# --- signetd -t -------------------------------------------------------------

port_main=$(proc_free_port 20891)
write_config good "$port_main"
if out=$("$SIGNETD" -t -c "$work/good.conf" 2>&1); then
    pass "check good config exits 0"
else
    fail "check good config exits 0"
    echo "$out" | sed 's/^/# /'
fi

write_config bad "$port_main" 'no_such_setting = 1;'
sed "s|$work/e1.example.com.pem|$work/missing.pem|" "$work/bad.conf" >"$work/bad2.conf"
mv "$work/bad2.conf" "$work/bad.conf"
out=$("$SIGNETD" -t -c "$work/bad.conf" 2>&1)
status=$?
[ "$status" -eq 1 ] && pass "check bad config exits 1" ||
    fail "check bad config exits 1 (got $status)"
if echo "$out" | grep -Eq "^$work/bad.conf:[0-9]+: .*no_such_setting"; then
    pass "check names FILE:LINE of unknown setting"
else
    fail "check names FILE:LINE of unknown setting"
    echo "$out" | sed 's/^/# /'
fi
if echo "$out" | grep -q "missing.pem"; then
    pass "check reports missing key file"
else
    fail "check reports missing key file"
    echo "$out" | sed 's/^/# /'
fi

# --- default actions --------------------------------------------------------

write_config main "$port_main"
if start_daemon main "$port_main"; then
    for c in negotiated_options sign_internal sign_authenticated \
        external_not_signed foreign_from_not_signed verify_pass verify_fail \
        verify_none forged_ar_removed malformed_permerror \
        hostile_domain_quoted dns_tempfail testing_key_comment \
        header_b_unique_prefix abort_then_next_message; do
        run_case "$c" "$port_main"
    done
    log_has main '^signetd: QSIGN: sign action=accept key=ex-rsa d=example.com s=s1 a=rsa-sha256 key=ex-ed d=example.com s=e1 a=ed25519-sha256$' \
        "log line for a signed message"
    log_has main '^signetd: QPASS: verify action=accept dkim=pass d=example.com s=s1 a=rsa-sha256$' \
        "log line for a passing message"
    log_has main '^signetd: QAFTER: sign action=accept key=ex-rsa ' \
        "log line names the second message"
    log_has main '^signetd: QNONE: verify action=accept dkim=none$' \
        "log line for an unsigned message"
    log_has main '^signetd: QDNS: verify action=tempfail dkim=temperror d=example.org s=bad ' \
        "log line for a DNS error"
    if grep -n 'QFORGED: deleted' "$work/main.log" | cut -d: -f1 >/dev/null &&
        [ "$(grep -o 'QFORGED: deleted Authentication-Results #[0-9]*' "$work/main.log" |
            sed 's/.*#//' | tr '\n' ' ')" = "3 1 " ]; then
        pass "forged A-R deleted last index first, other kept"
    else
        fail "forged A-R deleted last index first, other kept"
        grep QFORGED "$work/main.log" | sed 's/^/# /'
    fi
fi

# --- dkimpy verifies signetd's signatures -----------------------------------

if [ -s "$work/sig1.txt" ] && [ -s "$work/sig2.txt" ]; then
    if /usr/bin/python3 - "$work" <<'PY' >"$work/dkimpy.out" 2>&1
import sys, dkim
work = sys.argv[1]
keys = {}
for line in open(work + "/keys.txt"):
    name, record = line.rstrip("\n").split("\t", 1)
    keys[name + "."] = record.encode()

def dnsfunc(name, timeout=5):
    return keys.get(name.decode() if isinstance(name, bytes) else name)

body = open(work + "/plain.eml", "rb").read()
for sig in ("sig1.txt", "sig2.txt"):
    value = open(work + "/" + sig, "rb").read().replace(b"\n", b"\r\n")
    message = b"DKIM-Signature:" + value + b"\r\n" + body
    if not dkim.verify(message, dnsfunc=dnsfunc):
        print("dkimpy rejects", sig)
        sys.exit(1)
PY
    then
        pass "dkimpy verifies rsa and ed25519 signatures"
    else
        fail "dkimpy verifies rsa and ed25519 signatures"
        sed 's/^/# /' "$work/dkimpy.out"
    fi
else
    fail "dkimpy verifies rsa and ed25519 signatures (no signatures kept)"
fi

# --- reload on SIGHUP -------------------------------------------------------

if [ -n "$daemon_pid" ] && proc_alive "$daemon_pid" signetd; then
    sed 's/authserv_id = "mx.test"/authserv_id = "mx2.test"/' \
        "$work/main.conf" >"$work/main.new" && mv "$work/main.new" "$work/main.conf"
    kill -HUP "$daemon_pid"
    tries=50
    while [ $tries -gt 0 ] && ! grep -q 'reloaded .*generation 2' "$work/main.log"; do
        sleep 0.1
        tries=$((tries - 1))
    done
    run_case reload_authserv "$port_main" "reload applies new authserv_id"

    echo 'this is not libconfig' >>"$work/main.conf"
    kill -HUP "$daemon_pid"
    tries=50
    while [ $tries -gt 0 ] && ! grep -q 'reload of .* failed' "$work/main.log"; do
        sleep 0.1
        tries=$((tries - 1))
    done
    log_has main 'reload of .* failed; keeping configuration generation 2' \
        "bad reload keeps the old configuration"
    run_case reload_authserv "$port_main" "daemon serves after bad reload"

    # Stop while a message is in progress (the case sleeps after its end of
    # header); the daemon waits for it before exiting.
    miltertest -D "lib=$SRC/tests/milter/lib.lua" -D "port=$port_main" \
        -D "work=$work" -D case=message_across_stop \
        -s "$SRC/tests/milter/cases.lua" >"$work/stop.out" 2>&1 &
    tester_pid=$!
    tries=100
    while [ $tries -gt 0 ] && ! grep -q 'QSTOP: conn.* decision' "$work/main.log"; do
        sleep 0.1
        tries=$((tries - 1))
    done
    kill -TERM "$daemon_pid"
    if wait "$tester_pid"; then
        pass "message in progress finishes after SIGTERM"
    else
        fail "message in progress finishes after SIGTERM"
        sed 's/^/# /' "$work/stop.out"
    fi
    wait "$daemon_pid"
    status=$?
    daemon_pid=""
    [ "$status" -eq 0 ] && pass "SIGTERM stops with status 0" ||
        fail "SIGTERM stops with status 0 (got $status)"
    log_has main 'stopped \(libmilter finished\)' "stop is logged"
fi

# --- configured actions -------------------------------------------------------

port_strict=$(proc_free_port $((port_main + 1)))
write_config strict "$port_strict" \
    'on_bad_signature = "quarantine";' \
    'on_no_signature = "reject";' \
    'on_no_signature_reply = "550 5.7.20 Unsigned mail refused";' \
    'max_signatures = 2;' \
    'max_header_bytes = 16384;'
if start_daemon strict "$port_strict"; then
    for c in quarantine_bad reject_none header_cap_internal_error; do
        run_case "$c" "$port_strict"
    done
    run_case too_many_signatures "$port_strict" too_many_signatures \
        -D max_signatures=2
    log_has strict '^signetd: QMANY: verify action=accept dkim=pass .* ignored_signatures=2$' \
        "log counts ignored signatures"
    log_has strict '^signetd: QCAP: .*action=tempfail error=limit' \
        "log names the internal error"
fi

port_discard=$(proc_free_port $((port_strict + 1)))
write_config discard "$port_discard" 'on_bad_signature = "discard";'
if start_daemon discard "$port_discard"; then
    run_case discard_bad "$port_discard"
fi

# --- unix socket, daemon mode, privilege drop -----------------------------

[ -n "$daemon_pid" ] && proc_stop "$daemon_pid" signetd 5
daemon_pid=""

# A socket file whose listener is gone, as a killed signetd leaves it.
sock=$work/signet.sock
/usr/bin/python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()' "$sock"
port_unix=$(proc_free_port $((port_discard + 1)))
write_config unix "$port_unix"
sed "s|inet:$port_unix@127.0.0.1|unix:$sock|" "$work/unix.conf" >"$work/unix.new" &&
    mv "$work/unix.new" "$work/unix.conf"
"$SIGNETD" -f -c "$work/unix.conf" >"$work/unix.log" 2>&1 &
daemon_pid=$!
tries=50
while [ $tries -gt 0 ] && ! grep -qs starting "$work/unix.log"; do
    sleep 0.1
    tries=$((tries - 1))
done
run_case verify_none 0 "stale unix socket replaced" -D "sock=unix:$sock"
proc_stop "$daemon_pid" signetd 5
daemon_pid=""

rm -f "$sock"
echo "not a socket" >"$sock"
if "$SIGNETD" -f -c "$work/unix.conf" >"$work/unix2.log" 2>&1; then
    fail "unix socket path holding a file stops the start"
else
    log_has unix2 'exists and is not a socket' \
        "unix socket path holding a file stops the start"
fi

# A failure after detaching (here the pid file) reaches the parent's status.
port_fail=$(proc_free_port $((port_unix + 1)))
write_config detach_fail "$port_fail" "pid_file = \"$work/no-such-dir/signetd.pid\";"
"$SIGNETD" -c "$work/detach_fail.conf" >"$work/detach_fail.out" 2>&1
status=$?
[ "$status" -eq 1 ] && pass "daemon mode start failure exits 1" ||
    fail "daemon mode start failure exits 1 (got $status)"

if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
    run_dir=$work/run
    mkdir "$run_dir" && chown nobody "$run_dir"
    chmod 755 "$work"
    port_bg=$(proc_free_port $((port_fail + 1)))
    write_config daemon "$port_bg" 'user = "nobody";' \
        "pid_file = \"$run_dir/signetd.pid\";"
    "$SIGNETD" -c "$work/daemon.conf" >"$work/daemon.out" 2>&1
    status=$?
    [ "$status" -eq 0 ] && pass "daemon mode parent exits 0" ||
        fail "daemon mode parent exits 0 (got $status)"
    proc_wait_listen "$port_bg" 10
    tries=50
    while [ $tries -gt 0 ] && [ ! -s "$run_dir/signetd.pid" ]; do
        sleep 0.1
        tries=$((tries - 1))
    done
    daemon_pid=$(cat "$run_dir/signetd.pid" 2>/dev/null)
    if proc_alive "$daemon_pid" signetd; then
        pass "pid file names the running daemon"
    else
        fail "pid file names the running daemon"
    fi
    uid=$(awk '/^Uid:/ { print $2 " " $3 " " $4 " " $5 }' "/proc/$daemon_pid/status" 2>/dev/null)
    nobody=$(id -u nobody)
    [ "$uid" = "$nobody $nobody $nobody $nobody" ] &&
        pass "daemon runs as the configured user" ||
        fail "daemon runs as the configured user (Uid: $uid)"
    run_case verify_none "$port_bg" "daemon serves after the drop"
    proc_stop "$daemon_pid" signetd 5
    daemon_pid=""
    tries=50
    while [ $tries -gt 0 ] && [ -e "$run_dir/signetd.pid" ]; do
        sleep 0.1
        tries=$((tries - 1))
    done
    [ ! -e "$run_dir/signetd.pid" ] && pass "pid file removed at stop" ||
        fail "pid file removed at stop"
else
    pass "daemon mode and privilege drop # SKIP needs root and user nobody"
fi

echo "1..$n"
[ "$failures" -eq 0 ]
