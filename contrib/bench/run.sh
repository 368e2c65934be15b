#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# run.sh - measure signetd against OpenDKIM (and a filter that does no
# work) with miltergen on this machine, in one run, and print msg/s, CPU
# time per message and the signetd/OpenDKIM ratio for each scenario.
#
#   sh contrib/bench/run.sh BUILDDIR [MESSAGES]
#
# BUILDDIR is a signetd build directory (configure CFLAGS=-O2, without
# sanitizers).  MESSAGES is the count per scenario (default 8000), sent
# over 8 connections.  Environment: KEEP_WORK=1 keeps the work directory
# with configs, logs and sample outputs; PYTHON names the python3 that
# has dkimpy (default /usr/bin/python3).
#
# Every daemon listens on a free port on 127.0.0.1.  Keys come from
# "signet keygen" and are served from a signetd test-keys file and
# OpenDKIM's TestDNSData, and OpenDKIM's Nameservers is 127.0.0.1, so no
# DNS query leaves the machine.
#
# Scenarios: "sign" sends an unsigned message from client 10.1.2.3, an
# internal host for both filters, which add one rsa-sha256 signature with
# relaxed/relaxed canonicalization.  "verify" sends the same message
# signed by "signet sign" from client 192.0.2.1, which both filters verify
# and for which they add Authentication-Results.  Before timing, one
# message per filter and scenario is checked: the signature made must
# verify with "signet verify" and dkimpy, and the A-R must contain
# dkim=pass.
#
# DIAGNOSTICS: exits 1 with a message when a build, a daemon start, a
# check or a miltergen run fails.  It was written for and run as root;
# no setting here switches users.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD=${1:?usage: run.sh BUILDDIR [MESSAGES]}
COUNT=${2:-8000}
CONNECTIONS=8
WARMUP=400
SIGNETD=$BUILD/src/daemon/signetd
SIGNET=$BUILD/src/cli/signet
GEN=$HERE/miltergen
# Debian's python3, where the python3-dkim package installs dkimpy.
PYTHON=${PYTHON:-/usr/bin/python3}
. "$SRC/tests/lib/proc.sh"

die() { echo "run.sh: $*" >&2; exit 1; }

[ -x "$SIGNETD" ] && [ -x "$SIGNET" ] ||
    die "no signetd or signet in $BUILD; build it first (see contrib/bench/README)"
command -v opendkim >/dev/null 2>&1 || die "opendkim is not installed (Debian package opendkim)"
make -s -C "$HERE" >/dev/null || die "make -C $HERE failed"

work=$(mktemp -d /tmp/signet-bench.XXXXXX)
signetd_pid=""
opendkim_pid=""
null_pid=""
cleanup() {
    [ -n "$signetd_pid" ] && proc_stop "$signetd_pid" signetd 5
    [ -n "$opendkim_pid" ] && proc_stop "$opendkim_pid" opendkim 5
    [ -n "$null_pid" ] && proc_stop "$null_pid" nullmilter 5
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
# A signal (SIGPIPE included, when the output goes to head) would end the
# shell without running the EXIT trap, so turn each into an exit.
trap 'exit 1' HUP INT PIPE TERM

# --- key, records and messages -------------------------------------------

"$SIGNET" keygen --domain example.com --selector s1 --out "$work" \
    >/dev/null || die "signet keygen failed"
record=$(grep -o '"[^"]*"' "$work/s1.example.com.txt" | tr -d '"\n')
printf 's1._domainkey.example.com\t%s\n' "$record" >"$work/keys.txt"
printf 's1._domainkey.example.com %s\n' "$record" >"$work/dnsdata"

# A 3 KB text message with CRLF line ends: the usual header fields and
# 40 lines of body.
{
    printf 'From: Alice <alice@example.com>\n'
    printf 'To: Bob <bob@example.net>\n'
    printf 'Subject: benchmark message\n'
    printf 'Date: Fri, 04 Dec 2026 12:00:00 +0000\n'
    printf 'Message-ID: <bench@example.com>\n'
    printf 'MIME-Version: 1.0\n'
    printf 'Content-Type: text/plain; charset=us-ascii\n\n'
    i=0
    while [ $i -lt 40 ]; do
        printf 'Line %02d of the body, long enough to look like text that' $i
        printf ' a person wrote.\n'
        i=$((i + 1))
    done
} | sed 's/$/\r/' >"$work/plain.eml"
"$SIGNET" sign --domain example.com --selector s1 \
    --key "$work/s1.example.com.pem" <"$work/plain.eml" >"$work/signed.eml" ||
    die "signet sign failed"

# --- daemons ----------------------------------------------------------------

port_signetd=$(proc_free_port 21891)
cat >"$work/signet.conf" <<CONF
socket = "inet:$port_signetd@127.0.0.1";
mode = "sv";
authserv_id = "mx.test";
internal_hosts = [ "10.0.0.0/8" ];
keys = ( { id = "ex-rsa"; domain = "example.com"; selector = "s1";
           file = "$work/s1.example.com.pem"; } );
signing = ( { match = "example.com"; keys = [ "ex-rsa" ]; } );
dns = { test_keys = "$work/keys.txt"; };
CONF
"$SIGNETD" -f -c "$work/signet.conf" >"$work/signetd.log" 2>&1 &
signetd_pid=$!
proc_wait_listen "$port_signetd" 10 ||
    die "signetd did not listen on $port_signetd: $(tail -n 5 "$work/signetd.log")"

# OpenDKIM: RequireSafeKeys off because the key is under /tmp, an
# InternalHosts list without 127.0.0.1, and no TrustAnchorFile, which would
# make every lookup in TestDNSData fail DNSSEC validation.  SignHeaders and
# OversignHeaders give the same h= list as signetd's defaults, so both
# hash the same fields.
port_opendkim=$(proc_free_port $((port_signetd + 1)))
cat >"$work/opendkim.conf" <<CONF
Syslog no
Background no
RequireSafeKeys false
Socket inet:$port_opendkim@127.0.0.1
PidFile $work/opendkim.pid
Mode sv
Domain example.com
Selector s1
KeyFile $work/s1.example.com.pem
Canonicalization relaxed/relaxed
SignatureAlgorithm rsa-sha256
SignHeaders From,To,Subject,Date,Message-ID,MIME-Version,Content-Type
OversignHeaders From
InternalHosts 10.0.0.0/8
AuthservID mx.test
TestDNSData file:$work/dnsdata
Nameservers 127.0.0.1
CONF
opendkim -f -x "$work/opendkim.conf" >"$work/opendkim.log" 2>&1 &
opendkim_pid=$!
proc_wait_listen "$port_opendkim" 10 ||
    die "opendkim did not listen on $port_opendkim: $(tail -n 5 "$work/opendkim.log")"

port_null=$(proc_free_port $((port_opendkim + 1)))
"$HERE/nullmilter" "inet:$port_null@127.0.0.1" >"$work/nullmilter.log" 2>&1 &
null_pid=$!
proc_wait_listen "$port_null" 10 || die "nullmilter did not listen on $port_null"

# --- checks: one message per filter and scenario -----------------------------

INTERNAL=10.1.2.3
EXTERNAL=192.0.2.1

# check_sign NAME PORT: the signature the filter inserts must verify.
check_sign() {
    "$GEN" -p "$2" -n 1 -a $INTERNAL -d "$work/$1-sign.eml" "$work/plain.eml" \
        >"$work/$1-sign.gen" || die "$1 sign check: miltergen failed"
    grep -q '^DKIM-Signature:' "$work/$1-sign.eml" ||
        die "$1 sign check: no DKIM-Signature inserted (see $work/$1-sign.eml)"
    out=$("$SIGNET" verify --test-keys "$work/keys.txt" \
        --authserv-id check.test <"$work/$1-sign.eml" 2>&1)
    echo "$out" | grep -q 'dkim=pass' ||
        die "$1 sign check: signet verify failed: $out"

    # dkimpy is an independent verifier; its key comes from keys.txt.
    if "$PYTHON" -c 'import dkim' 2>/dev/null; then
        "$PYTHON" - "$work/keys.txt" "$work/$1-sign.eml" <<'PY' ||
import sys, dkim
keys = dict(line.rstrip("\n").split("\t", 1) for line in open(sys.argv[1]))
def dnsfunc(name, timeout=5):
    return keys.get(name.decode().rstrip("."), "").encode()
sys.exit(0 if dkim.verify(open(sys.argv[2], "rb").read(),
                          dnsfunc=dnsfunc) else 1)
PY
            die "$1 sign check: dkimpy verification failed for $work/$1-sign.eml"
    else
        echo "run.sh: dkimpy not installed; signatures checked with signet only" >&2
    fi
}

# check_verify NAME PORT: the inserted A-R must contain dkim=pass.
check_verify() {
    "$GEN" -p "$2" -n 1 -a $EXTERNAL -d "$work/$1-verify.eml" \
        "$work/signed.eml" >"$work/$1-verify.gen" ||
        die "$1 verify check: miltergen failed"
    # Unfold the header fields before matching.
    ar=$(sed -e 's/\r$//' -e '/^$/q' "$work/$1-verify.eml" |
        awk '/^[ \t]/ { line = line " " $0; next }
             { if (line != "") print line; line = $0 }
             END { print line }' | grep -i '^Authentication-Results:')
    echo "$ar" | grep -q 'dkim=pass' ||
        die "$1 verify check: no dkim=pass A-R: $ar"
}

check_sign signetd "$port_signetd"
check_sign opendkim "$port_opendkim"
check_verify signetd "$port_signetd"
check_verify opendkim "$port_opendkim"

# --- timed runs -------------------------------------------------------------

TICKS=$(getconf CLK_TCK)

# cpu_ticks PID: user plus system CPU time of PID (all threads) in clock
# ticks, fields 14 and 15 of /proc/PID/stat.
cpu_ticks() {
    sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# run_gen NAME SCENARIO PORT PID ADDR FILE COUNT [MILTERGEN OPTIONS]: warm
# up, then time COUNT messages over CONNECTIONS connections.  Print msg/s
# and the daemon's CPU milliseconds per message.  Every message must get
# the expected reply, or the run fails.
run_gen() {
    name=$1 scenario=$2 port=$3 pid=$4 addr=$5 file=$6 count=$7
    shift 7
    per=$((count / CONNECTIONS))
    total=$((per * CONNECTIONS))
    out=$work/$name-$scenario.gen

    "$GEN" "$@" -p "$port" -c $CONNECTIONS -n $((WARMUP / CONNECTIONS)) \
        -a "$addr" "$file" >/dev/null || die "$name $scenario: warm-up failed"
    before=$(cpu_ticks "$pid")
    "$GEN" "$@" -p "$port" -c $CONNECTIONS -n $per -a "$addr" "$file" \
        >"$out" || die "$name $scenario: miltergen failed"
    after=$(cpu_ticks "$pid")
    counts=$(sed -n 2p "$out")

    # Accept and continue at end of message both deliver the message.
    # Each one must have been accepted, and the DKIM filters must have
    # inserted one field (DKIM-Signature or Authentication-Results) each.
    [ "$name" = nullmilter ] && headers=0 || headers=$total
    echo "$counts" | awk -v total=$total -v headers=$headers '{
        for (i = 1; i <= NF; i++) { split($i, kv, "="); n[kv[1]] = kv[2] }
        exit !(n["accept"] + n["continue"] == total &&
               n["headers_added"] == headers) }' ||
        die "$name $scenario: unexpected replies: $counts"

    rate=$(sed -n 's/.*msg_per_s=\([0-9.]*\).*/\1/p' "$out")
    awk -v r="$rate" -v t=$((after - before)) -v hz="$TICKS" -v n=$total \
        'BEGIN { printf "%s %.3f\n", r, t * 1000 / hz / n }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# row LABEL SCENARIO COUNT [MILTERGEN OPTIONS]: one table row.
row() {
    label=$1 scenario=$2 count=$3
    shift 3
    if [ "$scenario" = sign ]; then
        addr=$INTERNAL file=$work/plain.eml
    else
        addr=$EXTERNAL file=$work/signed.eml
    fi
    s=$(run_gen signetd "$label" "$port_signetd" "$signetd_pid" $addr "$file" \
        "$count" "$@") || exit 1
    o=$(run_gen opendkim "$label" "$port_opendkim" "$opendkim_pid" $addr \
        "$file" "$count" "$@") || exit 1
    z=$(run_gen nullmilter "$label" "$port_null" "$null_pid" $addr "$file" \
        "$count" "$@") || exit 1
    set -- $s $o $z
    printf '%-14s %9s %9s %6s %9s %9s %9s\n' "$label" "$1" "$3" \
        "$(ratio "$1" "$3")" "$2" "$4" "$5"
}

echo "# $(uname -m), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')," \
    "$CONNECTIONS connections, RSA-2048, $(wc -c <"$work/plain.eml") byte message"
printf '%-14s %9s %9s %6s %9s %9s %9s\n' "" signetd opendkim "" \
    signetd opendkim nullmilter
printf '%-14s %9s %9s %6s %9s %9s %9s\n' scenario msg/s msg/s ratio \
    cpu-ms cpu-ms msg/s
row sign sign "$COUNT" -q || exit 1
row verify verify "$COUNT" -q || exit 1

# The same without TCP_QUICKACK, as an MTA that does not set it.  These
# rows use a tenth of the count because each message may wait for a
# delayed ACK (about 40 ms on Linux).
row sign-delack sign $((COUNT / 10)) || exit 1
row verify-delack verify $((COUNT / 10)) || exit 1
echo "# ratio = signetd msg/s / opendkim msg/s, above 1 means signetd is faster"
echo "# cpu-ms = daemon CPU time (user + system) per message"
