#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# dns_live.sh - key lookups through libunbound against private loopback
# unbound servers (tests/lib/unbound.sh) serving zones generated here.
#
# Checks: a plain key, a CNAME-delegated selector, a 2048-bit key split
# into two character-strings, the DKIM record picked among several TXT
# records, NXDOMAIN, NODATA, non-DKIM and invalid records, a cache hit
# that is served while the server is down, a stopped server and a server
# that never responds (tempfail), parallel lookups from 8 threads, and
# DNSSEC: a secure key, and a tampered record that is bogus (tempfail).
#
# Needs unbound, unbound-checkconf, openssl and /usr/bin/python3 with
# dnspython and cryptography (python3-dnspython, python3-cryptography).
# Environment: SIGNET_BUILDDIR, SIGNET_SRCDIR.

set -u
build=${SIGNET_BUILDDIR:-.}
src=${SIGNET_SRCDIR:-.}
lookup_bin="$build/tests/unit/dns_lookup"
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
show() { sed 's/^/# /' "$1"; }

# lookup OUT ARGS...: run dns_lookup with a hang guard; a non-zero exit
# (a sanitizer report, for example) is counted in bad_runs.
bad_runs=0
lookup() {
    out_file=$1
    shift
    timeout 120 "$lookup_bin" "$@" >"$out_file" 2>&1
    lookup_status "$?" "$out_file"
}
lookup_status() {
    if [ "$1" -ne 0 ]; then
        bad_runs=$((bad_runs + 1))
        echo "# dns_lookup exited with status $1; output:"
        show "$2"
    fi
}

# expect NAME FILE PATTERN: one check that FILE has a line matching PATTERN.
expect() {
    if grep -q -- "$3" "$2"; then
        ok "$1"
    else
        not_ok "$1"
        echo "#   expected a line matching: $3"
        show "$2"
    fi
}

for tool in unbound unbound-checkconf openssl /usr/bin/python3 timeout; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "not ok 1 - dns_live needs $tool"
        exit 1
    fi
done
[ -x "$lookup_bin" ] || { echo "not ok 1 - $lookup_bin is not built"; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"
silent_pid=
cleanup() {
    sh "$src/tests/lib/unbound.sh" stop "$work/main" 2>/dev/null
    sh "$src/tests/lib/unbound.sh" stop "$work/down" 2>/dev/null
    sh "$src/tests/lib/unbound.sh" stop "$work/signed" 2>/dev/null
    if [ -n "$silent_pid" ] && [ "$(cat "/proc/$silent_pid/comm" 2>/dev/null)" = python3 ]; then
        kill "$silent_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
mkdir "$work/main" "$work/down" "$work/signed"

# A loopback port that nothing uses for UDP or TCP.
free_port() {
    port=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 + 30000 ))
    while grep -qi ":$(printf '%04X' "$port") " /proc/net/udp /proc/net/tcp; do
        port=$((port + 1))
    done
    echo "$port"
}

# pubkey BITS: base64 SubjectPublicKeyInfo of a new RSA key.
pubkey() {
    openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$1" 2>/dev/null |
        openssl pkey -pubout -outform DER 2>/dev/null | base64 -w0
}

# zone ORIGIN: an RFC 1035 zone file from stdin records, on stdout.
zone() {
    echo "\$ORIGIN $1."
    echo "\$TTL 600"
    echo "@ IN SOA ns.$1. admin.$1. 1 3600 600 86400 300"
    echo "@ IN NS ns.$1."
    echo "ns IN A 127.0.0.1"
    cat
}

p1024=$(pubkey 1024)
p1024b=$(pubkey 1024)
p2048=$(pubkey 2048)
if [ ${#p1024} -lt 200 ] || [ ${#p1024b} -lt 200 ] || [ ${#p2048} -lt 390 ]; then
    echo "not ok 1 - openssl generates RSA public keys"
    exit 1
fi
big="v=DKIM1; k=rsa; p=$p2048"
big1=$(printf '%s' "$big" | cut -c1-255)
big2=$(printf '%s' "$big" | cut -c256-)

zone example.com >"$work/example.com.zone" <<EOF
s1._domainkey IN TXT "v=DKIM1; k=rsa; p=$p1024"
big._domainkey IN TXT "$big1" "$big2"
cname._domainkey IN CNAME s1.dkim.provider.example.
multi._domainkey IN TXT "google-site-verification=abc"
multi._domainkey IN TXT "v=DKIM1; k=rsa; p=$p1024"
multi._domainkey IN TXT "v=spf1 -all"
two._domainkey IN TXT "v=DKIM1; k=rsa; p=BARF"
two._domainkey IN TXT "v=DKIM1; k=rsa; p=$p1024"
two._domainkey IN TXT "v=DKIM1; k=rsa; p=$p1024b"
untagged._domainkey IN TXT "hello world"
untagged._domainkey IN TXT "k=rsa; p=$p1024"
other._domainkey IN TXT "google-site-verification=abc"
other._domainkey IN TXT "v=spf1 -all"
bad._domainkey IN TXT "v=DKIM1; k=rsa; p=BARF"
nodata._domainkey IN A 192.0.2.1
loop._domainkey IN CNAME loop2._domainkey
loop2._domainkey IN CNAME loop._domainkey
EOF
zone provider.example >"$work/provider.example.zone" <<EOF
s1.dkim IN TXT "$big1" "$big2"
EOF
zone down.example >"$work/down.example.zone" <<EOF
s1._domainkey IN TXT "v=DKIM1; k=rsa; p=$p1024"
s2._domainkey IN TXT "v=DKIM1; k=rsa; p=$p1024"
EOF

main_port=$(free_port)
if sh "$src/tests/lib/unbound.sh" start "$work/main" "$main_port" \
    "example.com:$work/example.com.zone" \
    "provider.example:$work/provider.example.zone" >"$work/start.out" 2>&1; then
    ok "unbound starts"
else
    not_ok "unbound starts"
    show "$work/start.out"
    exit 1
fi

# --- lookups through the main server ----------------------------------------

out="$work/main.out"
lookup "$out" -n "127.0.0.1@$main_port" -w 3 \
    fetch:s1:example.com fetch:s1:EXAMPLE.com. fetch:big:example.com \
    fetch:cname:example.com fetch:multi:example.com fetch:two:example.com \
    fetch:untagged:example.com fetch:other:example.com fetch:bad:example.com \
    fetch:missing:example.com fetch:nodata:example.com fetch:loop:example.com \
    fetch:s1:example.com fetch:missing:example.com \
    "fetch:a b:example.com" \
    query:cname._domainkey.example.com query:multi._domainkey.example.com \
    query:missing._domainkey.example.com

expect "plain key found" "$out" \
    '^fetch s1 example.com status=found bits=1024 secure=0 hits=0 misses=1 '
expect "owner name case and dot ignored" "$out" \
    '^fetch s1 EXAMPLE.com. status=found bits=1024 .* hits=1 misses=1 '
expect "split 2048-bit key joined" "$out" \
    '^fetch big example.com status=found bits=2048 '
expect "CNAME-delegated key found" "$out" \
    '^fetch cname example.com status=found bits=2048 '
expect "DKIM record among several" "$out" \
    '^fetch multi example.com status=found bits=1024 .*reason=""'
expect "several DKIM records use first" "$out" \
    '^fetch two example.com status=found bits=1024 .*reason="2 valid key records at two._domainkey.example.com; used the first"'
expect "untagged key record found" "$out" \
    '^fetch untagged example.com status=found bits=1024 .*reason=""'
expect "no DKIM among TXT records" "$out" \
    '^fetch other example.com status=notfound .*reason="no DKIM key record among 2 TXT records"'
expect "invalid key record" "$out" \
    '^fetch bad example.com status=invalid .*reason="..*"'
expect "NXDOMAIN is notfound" "$out" \
    '^fetch missing example.com status=notfound .*reason="no key for missing._domainkey.example.com"'
expect "NODATA is notfound" "$out" \
    '^fetch nodata example.com status=notfound .*reason="no key for nodata._domainkey.example.com"'
expect "CNAME loop is tempfail" "$out" \
    '^fetch loop example.com status=tempfail '
expect "second fetch hits cache" "$out" \
    '^fetch s1 example.com status=found bits=1024 .* hits=2 misses=11 '
expect "notfound cached" "$out" \
    '^fetch missing example.com status=notfound .* hits=3 misses=11 '
expect "invalid name rejected" "$out" \
    '^fetch a b example.com status=notfound .*reason="invalid key name'
expect "query reports CNAME target" "$out" \
    '^query cname._domainkey.example.com status=found records=1 cname=s1.dkim.provider.example ttl=600 '
expect "query record joined" "$out" \
    "^record 0 $big\$"
expect "query lists every record" "$out" \
    '^query multi._domainkey.example.com status=found records=3 cname=- '
expect "query NXDOMAIN" "$out" \
    '^query missing._domainkey.example.com status=notfound records=0 .*reason="no key for missing._domainkey.example.com"'

# --- eight threads at once ---------------------------------------------------

out="$work/parallel.out"
lookup "$out" -n "127.0.0.1@$main_port" -w 5 -C -P 8 \
    fetch:s1:example.com fetch:big:example.com fetch:cname:example.com \
    fetch:multi:example.com
if [ "$(grep -c '^thread [0-9]* found=80 notfound=0 tempfail=0 invalid=0$' "$out")" -eq 8 ]; then
    ok "eight threads all found"
else
    not_ok "eight threads all found"
    show "$out"
fi

# The same with the cache shared by all threads.
out="$work/parallel-cache.out"
lookup "$out" -n "127.0.0.1@$main_port" -w 5 -P 8 \
    fetch:s1:example.com fetch:cname:example.com fetch:missing:example.com
if [ "$(grep -c '^thread [0-9]* found=40 notfound=20 tempfail=0 invalid=0$' "$out")" -eq 8 ]; then
    ok "eight threads share cache"
else
    not_ok "eight threads share cache"
    show "$out"
fi

# --- a server that stops: cache hit, then tempfail --------------------------

down_port=$(free_port)
if ! sh "$src/tests/lib/unbound.sh" start "$work/down" "$down_port" \
    "down.example:$work/down.example.zone" >"$work/start.out" 2>&1; then
    not_ok "second unbound starts"
    show "$work/start.out"
    exit 1
fi
out="$work/down.out"
timeout 120 "$lookup_bin" -n "127.0.0.1@$down_port" -w 2 \
    fetch:s1:down.example "wait:$work/stopped" fetch:s1:down.example \
    fetch:s2:down.example >"$out" 2>&1 &
lookup_pid=$!
tries=0
while [ "$tries" -lt 300 ] && ! grep -q '^fetch s1' "$out"; do
    sleep 0.1
    tries=$((tries + 1))
done
sh "$src/tests/lib/unbound.sh" stop "$work/down"
touch "$work/stopped"
wait "$lookup_pid"
lookup_status "$?" "$out"

expect "key found before stop" "$out" \
    '^fetch s1 down.example status=found .* hits=0 misses=1 '
expect "cache serves key after stop" "$out" \
    '^fetch s1 down.example status=found .* hits=1 misses=1 '
expect "stopped server is tempfail" "$out" \
    '^fetch s2 down.example status=tempfail .* hits=1 misses=2 '

# --- a server that never answers: the deadline ends the query ---------------

silent_port=$(free_port)
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
time.sleep(120)
' "$silent_port" &
silent_pid=$!
sleep 0.3
out="$work/silent.out"
lookup "$out" -n "127.0.0.1@$silent_port" -w 1 -C -P 4 -R 3 \
    fetch:s1:example.com
if [ "$(grep -c '^thread [0-9]* found=0 notfound=0 tempfail=3 invalid=0$' "$out")" -eq 4 ]; then
    ok "silent server is tempfail"
else
    not_ok "silent server is tempfail"
    show "$out"
fi

out="$work/silent1.out"
lookup "$out" -n "127.0.0.1@$silent_port" -w 1 fetch:s9:example.com
expect "silent server times out" "$out" \
    '^fetch s9 example.com status=tempfail .*reason="DNS query timed out after 1 s"'

# --- DNSSEC: a secure key and a bogus one -----------------------------------

zone signed.example >"$work/signed.example.zone" <<EOF
s1._domainkey IN TXT "v=DKIM1; k=rsa; p=$p1024"
bad._domainkey IN TXT "v=DKIM1; k=rsa; p=$p1024"
EOF
if ! /usr/bin/python3 "$src/tests/unit/dns_signzone.py" signed.example \
    "$work/signed.example.zone" "$work/signed/signed.zone" \
    "$work/signed/anchor" bad._domainkey.signed.example. >"$work/sign.out" 2>&1; then
    not_ok "test zone signed"
    show "$work/sign.out"
    exit 1
fi
signed_port=$(free_port)
if ! sh "$src/tests/lib/unbound.sh" start "$work/signed" "$signed_port" \
    "signed.example:$work/signed/signed.zone" >"$work/start.out" 2>&1; then
    not_ok "signed zone unbound starts"
    show "$work/start.out"
    exit 1
fi

out="$work/dnssec.out"
lookup "$out" -n "127.0.0.1@$signed_port" -a "$work/signed/anchor" -w 3 \
    fetch:s1:signed.example fetch:bad:signed.example \
    query:bad._domainkey.signed.example
expect "DNSSEC secure key" "$out" \
    '^fetch s1 signed.example status=found bits=1024 secure=1 '
expect "DNSSEC bogus is tempfail" "$out" \
    '^fetch bad signed.example status=tempfail .*reason="DNSSEC validation failed: '
expect "DNSSEC query reports bogus" "$out" \
    '^query bad._domainkey.signed.example status=tempfail .* bogus=1 '

out="$work/nodnssec.out"
lookup "$out" -n "127.0.0.1@$signed_port" -w 3 \
    fetch:s1:signed.example fetch:bad:signed.example
expect "no anchor means not secure" "$out" \
    '^fetch s1 signed.example status=found bits=1024 secure=0 '
expect "no anchor means no validation" "$out" \
    '^fetch bad signed.example status=invalid '

if [ "$bad_runs" -eq 0 ]; then
    ok "dns_lookup runs exit cleanly"
else
    not_ok "dns_lookup runs exit cleanly"
fi

[ "$failed" -eq 0 ]
