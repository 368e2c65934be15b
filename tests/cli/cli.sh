#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# cli.sh - tests of the signet command: exit codes, keygen files and zone
# lines, sign | verify round trips, testkey diagnostics, config check and
# hostile input.  Keys come from a test-keys file, and testkey is also run
# against a private unbound on loopback (tests/lib/unbound.sh); nothing is
# sent to any other address.

set -u

S="$SIGNET_BUILDDIR/src/cli/signet"
LIB="$SIGNET_SRCDIR/tests/lib"
W=$(mktemp -d "${TMPDIR:-/tmp}/signet-cli.XXXXXX")
DNS_DIR="$W/dns"
SEC_DIR="$W/dnssec"
trap 'sh "$LIB/unbound.sh" stop "$DNS_DIR" >/dev/null 2>&1
      sh "$LIB/unbound.sh" stop "$SEC_DIR" >/dev/null 2>&1
      rm -rf "$W"' EXIT

n=0
failed=0

pass() {
    n=$((n + 1))
    echo "ok $n - $1"
}

fail() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    for line in "$@"; do
        echo "#   $line"
    done
}

skip() {
    n=$((n + 1))
    echo "ok $n - $1 # SKIP $2"
}

# check NAME COMMAND...: pass when COMMAND succeeds.
check() {
    name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name" "check failed: $*"; fi
}

# expect_rc CODE NAME COMMAND...: run COMMAND (stdin inherited) with its
# output in $W/out and $W/err, and pass when it exits with CODE.
expect_rc() {
    want=$1 name=$2
    shift 2
    "$@" >"$W/out" 2>"$W/err"
    rc=$?
    if [ "$rc" -eq "$want" ]; then
        pass "$name"
    else
        fail "$name" "expected exit $want, got $rc: $*" \
            "$(head -c 300 "$W/err" | tr '\n' ' ')"
    fi
}

# True when FILE contains only printable ASCII, LF and TAB.
no_controls() {
    test "$(LC_ALL=C tr -d '\n\t[:print:]' <"$1" | wc -c)" -eq 0
}

# The record text of a keygen .txt zone line: the quoted strings joined.
zone_record() {
    grep -o '"[^"]*"' "$1" | tr -d '"\n'
}

# Append "owner<TAB>record" for a keygen .txt file to the test-keys file.
add_test_key() {
    owner=$(awk 'NR == 1 { sub(/\.$/, "", $1); print $1 }' "$1")
    printf '%s\t%s\n' "$owner" "$(zone_record "$1")" >>"$2"
}

# --- dispatch, help and usage errors ---------------------------------------

expect_rc 0 "version exits 0" "$S" --version
check "version names signet" grep -q '^signet [0-9]' "$W/out"
expect_rc 0 "help exits 0" "$S" help
expect_rc 64 "no command is usage error" "$S"
expect_rc 64 "unknown command is usage error" "$S" frobnicate
for cmd in keygen testkey sign verify config "config check"; do
    expect_rc 0 "$cmd --help exits 0" "$S" $cmd --help
    check "$cmd --help prints usage" grep -q '^Usage: signet' "$W/out"
done

expect_rc 64 "keygen without selector" "$S" keygen --domain example.com
expect_rc 64 "keygen rsa 512 rejected" \
    "$S" keygen --domain example.com --selector s --bits 512 --out "$W"
expect_rc 64 "keygen rsa 1023 rejected" \
    "$S" keygen --domain example.com --selector s --bits 1023 --out "$W"
expect_rc 64 "keygen bits not a number" \
    "$S" keygen --domain example.com --selector s --bits 2k --out "$W"
expect_rc 64 "keygen unknown type" \
    "$S" keygen --domain example.com --selector s --type dsa --out "$W"
expect_rc 64 "keygen path in domain" \
    "$S" keygen --domain ../../etc --selector s --out "$W"
expect_rc 64 "keygen slash in selector" \
    "$S" keygen --domain example.com --selector a/b --out "$W"
expect_rc 64 "keygen unknown option" "$S" keygen --frob
expect_rc 64 "sign without key" \
    "$S" sign --domain example.com --selector s </dev/null
expect_rc 64 "sign bad canonicalization" "$S" sign --domain example.com \
    --selector s --key /nonexistent --canonicalization loose </dev/null
expect_rc 64 "sign empty header name" "$S" sign --domain example.com \
    --selector s --key /nonexistent --header 'From,,To' </dev/null
expect_rc 64 "sign bad timestamp" "$S" sign --domain example.com \
    --selector s --key /nonexistent --timestamp yesterday </dev/null
expect_rc 64 "sign argument not option" "$S" sign --domain example.com \
    --selector s --key /nonexistent message.eml </dev/null
expect_rc 64 "verify bad nameserver" "$S" verify --nameserver dns.example \
    </dev/null
expect_rc 64 "verify bad nameserver port" \
    "$S" verify --nameserver 127.0.0.1@70000 </dev/null
expect_rc 64 "verify bad now" "$S" verify --test-keys /dev/null --now soon \
    </dev/null
expect_rc 64 "verify bad authserv-id" \
    "$S" verify --test-keys /dev/null --authserv-id 'a;b' </dev/null
expect_rc 64 "testkey without key" \
    "$S" testkey --domain example.com --selector s
expect_rc 64 "config without check" "$S" config
expect_rc 64 "config check extra argument" "$S" config check extra

# --- keygen -----------------------------------------------------------------

K="$W/keys"
mkdir -p "$K"
KEYS="$W/keys.txt"
: >"$KEYS"

expect_rc 0 "keygen rsa default" \
    "$S" keygen --domain example.com --selector r2048 --out "$K"
check "keygen prints record" grep -q 'r2048._domainkey.example.com. IN TXT' \
    "$W/out"
check "keygen key mode 0600" \
    test "$(stat -c %a "$K/r2048.example.com.pem")" = 600
check "keygen writes zone file" test -s "$K/r2048.example.com.txt"
check "keygen key is PKCS#8 RSA 2048" sh -c "openssl pkey -in \
    '$K/r2048.example.com.pem' -noout -text 2>/dev/null | \
    grep -q 'Private-Key: (2048 bit'"
add_test_key "$K/r2048.example.com.txt" "$KEYS"

sum_before=$(cat "$K/r2048.example.com.pem" "$K/r2048.example.com.txt" |
    md5sum)
expect_rc 73 "keygen refuses to overwrite" \
    "$S" keygen --domain example.com --selector r2048 --out "$K"
check "keygen overwrite left files" test "$sum_before" = \
    "$(cat "$K/r2048.example.com.pem" "$K/r2048.example.com.txt" | md5sum)"
: >"$K/half.example.com.txt"
expect_rc 73 "keygen refuses existing txt" \
    "$S" keygen --domain example.com --selector half --out "$K"
check "keygen refusal writes no key" test ! -e "$K/half.example.com.pem"
expect_rc 73 "keygen missing out dir" \
    "$S" keygen --domain example.com --selector x --out "$W/no/such/dir"

expect_rc 0 "keygen ed25519" "$S" keygen --domain example.com \
    --selector ed --type ed25519 --bits 4096 --out "$K"
check "keygen ed25519 record" grep -q '"v=DKIM1; k=ed25519; p=' \
    "$K/ed.example.com.txt"
add_test_key "$K/ed.example.com.txt" "$KEYS"

expect_rc 0 "keygen rsa 4096" \
    "$S" keygen --domain example.com --selector r4096 --bits 4096 --out "$K"
add_test_key "$K/r4096.example.com.txt" "$KEYS"

# Zone lines: every character-string at most 255 octets, and the joined
# record carries the key in the .pem file.
for sel in r2048 r4096 ed; do
    txt="$K/$sel.example.com.txt"
    longest=$(grep -o '"[^"]*"' "$txt" | awk '{ print length($0) - 2 }' |
        sort -n | tail -n 1)
    check "zone $sel strings <= 255" test "$longest" -le 255
    p=$(zone_record "$txt" | sed 's/.*p=//')
    want=$(openssl pkey -in "$K/$sel.example.com.pem" -pubout -outform DER \
        2>/dev/null | base64 -w0)
    case $sel in
    ed) want=$(openssl pkey -in "$K/$sel.example.com.pem" -pubout \
            -outform DER 2>/dev/null | tail -c 32 | base64 -w0) ;;
    esac
    check "zone $sel p= is the key" test "$p" = "$want"
done
check "zone 2048 uses two strings" \
    test "$(grep -o '"[^"]*"' "$K/r2048.example.com.txt" | wc -l)" -eq 2
check "zone 4096 uses three strings" \
    test "$(grep -o '"[^"]*"' "$K/r4096.example.com.txt" | wc -l)" -eq 3

# --- sign | verify round trips ---------------------------------------------

M="$W/msg"
mkdir -p "$M"
printf 'From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: round trip\r\nDate: Fri, 04 Dec 2026 12:00:00 +0000\r\nMessage-ID: <rt@example.com>\r\n\r\nHello,\r\n\r\nsecond line  with  spaces \r\n\r\n\r\n' >"$M/crlf.eml"
tr -d '\r' <"$M/crlf.eml" >"$M/lf.eml"

for sel in r2048 ed; do
    key="$K/$sel.example.com.pem"
    for canon in simple/simple simple/relaxed relaxed/simple relaxed/relaxed; do
        for style in crlf lf; do
            out="$M/$sel-$(echo $canon | tr / -)-$style.signed"
            expect_rc 0 "sign $sel $canon $style" "$S" sign \
                --domain example.com --selector $sel --key "$key" \
                --canonicalization $canon <"$M/$style.eml"
            cp "$W/out" "$out"
            expect_rc 0 "verify $sel $canon $style" \
                "$S" verify --test-keys "$KEYS" --authserv-id mx.test <"$out"
            check "verify $sel $canon $style pass" grep -q 'dkim=pass' \
                "$W/out"
        done
    done
done

signed="$M/r2048-relaxed-relaxed-lf.signed"
check "sign keeps LF input LF" sh -c "! grep -q \"\$(printf '\\r')\" '$signed'"
signed_crlf="$M/r2048-relaxed-relaxed-crlf.signed"
check "sign keeps CRLF input CRLF" sh -c \
    "test \"\$(grep -c \"\$(printf '\\r')\$\" '$signed_crlf')\" -eq \
    \"\$(wc -l <'$signed_crlf')\""
check "sign output ends with input" sh -c \
    "tail -c \$(wc -c <'$M/lf.eml') '$signed' | cmp -s - '$M/lf.eml'"
check "sign from a pipe" sh -c "cat '$M/lf.eml' | '$S' sign \
    --domain example.com --selector ed --key '$K/ed.example.com.pem' | \
    '$S' verify --test-keys '$KEYS' >/dev/null"

# The A-R field: authserv-id, properties and the header.b prefix.
"$S" verify --test-keys "$KEYS" --authserv-id mx.test <"$signed" >"$W/ar"
check "ar starts with authserv-id" \
    grep -q '^Authentication-Results: mx.test;' "$W/ar"
check "ar has header.d" grep -q 'header.d=example.com' "$W/ar"
check "ar has header.s" grep -q 'header.s=r2048' "$W/ar"
check "ar has header.a" grep -q 'header.a=rsa-sha256' "$W/ar"
check "ar has header.b" grep -Eq 'header.b="?[A-Za-z0-9+/]{8}"?' "$W/ar"

# Options of sign that change the signature.
expect_rc 0 "sign with options" "$S" sign --domain example.com \
    --selector r2048 --key "$K/r2048.example.com.pem" \
    --header 'From,Subject' --oversign 'From,Subject' --identity \
    @example.com --timestamp 1700000000 --expire 600 <"$M/lf.eml"
cp "$W/out" "$M/options.signed"
check "sign sets t=" grep -q 't=1700000000' "$M/options.signed"
check "sign sets x=" grep -q 'x=1700000600' "$M/options.signed"
check "sign sets i=" grep -q 'i=@example.com' "$M/options.signed"
expect_rc 0 "verify before x=" "$S" verify --test-keys "$KEYS" \
    --now 1700000100 <"$M/options.signed"
expect_rc 1 "verify after x= fails" "$S" verify --test-keys "$KEYS" \
    --now 1800000000 <"$M/options.signed"
expect_rc 0 "sign exact headers" "$S" sign --domain example.com \
    --selector ed --key "$K/ed.example.com.pem" \
    --exact-headers 'from:to:subject:from' <"$M/lf.eml"
check "sign exact h= list" grep -qi 'h=from:to:subject:from;' "$W/out"

# Other key formats: PKCS#1 RSA PEM, and the raw base64 Ed25519 seed that
# dkimpy's dknewkey writes.
openssl rsa -in "$K/r2048.example.com.pem" -traditional \
    -out "$K/r2048.pkcs1.pem" 2>/dev/null
check "openssl writes PKCS#1" grep -q 'BEGIN RSA PRIVATE KEY' \
    "$K/r2048.pkcs1.pem"
expect_rc 0 "sign with PKCS#1 key" "$S" sign --domain example.com \
    --selector r2048 --key "$K/r2048.pkcs1.pem" <"$M/lf.eml"
cp "$W/out" "$M/pkcs1.signed"
expect_rc 0 "verify PKCS#1 signature" \
    "$S" verify --test-keys "$KEYS" <"$M/pkcs1.signed"
openssl pkey -in "$K/ed.example.com.pem" -outform DER 2>/dev/null |
    tail -c 32 | base64 >"$K/ed.seed"
expect_rc 0 "sign with Ed25519 seed" "$S" sign --domain example.com \
    --selector ed --key "$K/ed.seed" <"$M/lf.eml"
cp "$W/out" "$M/seed.signed"
expect_rc 0 "verify Ed25519 seed signature" \
    "$S" verify --test-keys "$KEYS" <"$M/seed.signed"
printf 'not a key\n' >"$K/garbage.pem"
expect_rc 65 "sign with garbage key" "$S" sign --domain example.com \
    --selector ed --key "$K/garbage.pem" <"$M/lf.eml"
expect_rc 66 "sign with missing key" "$S" sign --domain example.com \
    --selector ed --key "$K/missing.pem" <"$M/lf.eml"

# stdin already read up to an offset: sign starts there.
{ printf 'junk\n'; cat "$M/lf.eml"; } >"$M/offset.eml"
{
    dd bs=5 count=1 of=/dev/null 2>/dev/null
    "$S" sign --domain example.com --selector ed \
        --key "$K/ed.example.com.pem" >"$M/offset.signed"
} <"$M/offset.eml"
check "sign starts at stdin offset" sh -c \
    "tail -c \$(wc -c <'$M/lf.eml') '$M/offset.signed' | cmp -s - '$M/lf.eml'"
check "sign at offset no junk" sh -c "! grep -q junk '$M/offset.signed'"
expect_rc 0 "verify sign at offset" \
    "$S" verify --test-keys "$KEYS" <"$M/offset.signed"

# Results other than pass.
printf 'From: a@example.com\nSubject: unsigned\n\nbody\n' >"$M/unsigned.eml"
expect_rc 2 "verify unsigned exits 2" \
    "$S" verify --test-keys "$KEYS" --authserv-id mx.test <"$M/unsigned.eml"
check "verify unsigned dkim=none" grep -q 'mx.test; dkim=none' "$W/out"

sed 's/second line/altered line/' "$signed" >"$M/body-altered.eml"
expect_rc 1 "verify altered body exits 1" \
    "$S" verify -v --test-keys "$KEYS" <"$M/body-altered.eml"
check "verify altered body fail" grep -q 'dkim=fail' "$W/out"
check "verify -v names result" grep -q 'signature 1: result=fail' "$W/err"

sed 's/^Subject: round trip/Subject: changed/' "$signed" \
    >"$M/header-altered.eml"
expect_rc 1 "verify altered header exits 1" \
    "$S" verify --test-keys "$KEYS" <"$M/header-altered.eml"

printf 'r2048._domainkey.example.com\t~SERVFAIL~\n' >"$W/servfail.txt"
expect_rc 75 "verify servfail exits 75" \
    "$S" verify --test-keys "$W/servfail.txt" <"$signed"
check "verify servfail temperror" grep -q 'dkim=temperror' "$W/out"
: >"$W/empty-keys.txt"
expect_rc 1 "verify no key exits 1" \
    "$S" verify --test-keys "$W/empty-keys.txt" <"$signed"
check "verify no key permerror" grep -q 'dkim=permerror' "$W/out"
expect_rc 66 "verify missing test-keys file" \
    "$S" verify --test-keys "$W/no-such-file" <"$signed"

# Two signatures, one passing: exit 0 and two results.
"$S" sign --domain example.com --selector ed \
    --key "$K/ed.example.com.pem" <"$M/body-altered.eml" >"$M/two.eml"
expect_rc 0 "verify two sigs one passes" \
    "$S" verify -v --test-keys "$KEYS" <"$M/two.eml"
check "verify two sigs two results" \
    test "$(grep -c 'dkim=' "$W/out")" -eq 2

# More signatures than the verifier checks (8): the rest are counted.
cp "$M/lf.eml" "$M/ten.eml"
i=0
while [ $i -lt 10 ]; do
    "$S" sign --domain example.com --selector ed \
        --key "$K/ed.example.com.pem" <"$M/ten.eml" >"$M/ten.tmp"
    mv "$M/ten.tmp" "$M/ten.eml"
    i=$((i + 1))
done
expect_rc 0 "verify ten signatures" \
    "$S" verify -v --test-keys "$KEYS" <"$M/ten.eml"
check "verify checks eight signatures" \
    test "$(grep -c 'dkim=' "$W/out")" -eq 8
check "verify reports ignored signatures" \
    grep -q '2 more DKIM-Signature fields were not verified' "$W/err"

# --- hostile input ----------------------------------------------------------

H="$W/hostile"
mkdir -p "$H"
ed_sign() {
    "$S" sign --domain example.com --selector ed --key "$K/ed.example.com.pem"
}

printf 'From: a@example.com\r\nSubject: no body' >"$H/no-separator.eml"
expect_rc 0 "sign header without body" ed_sign <"$H/no-separator.eml"
cp "$W/out" "$H/no-separator.signed"
expect_rc 0 "verify header without body" \
    "$S" verify --test-keys "$KEYS" <"$H/no-separator.signed"

printf 'From: a@example.com\nSubject: bare CR\n\nline\rwith bare CR\r\nand CRLF\nand LF\r' >"$H/bare-cr.eml"
expect_rc 0 "sign bare CR" ed_sign <"$H/bare-cr.eml"
cp "$W/out" "$H/bare-cr.signed"
expect_rc 0 "verify bare CR" "$S" verify --test-keys "$KEYS" \
    <"$H/bare-cr.signed"

{
    printf 'From: a@example.com\nSubject: binary \001\377\n\n'
    head -c 200000 /dev/urandom
} >"$H/binary.eml"
expect_rc 0 "sign binary bytes" ed_sign <"$H/binary.eml"
cp "$W/out" "$H/binary.signed"
expect_rc 0 "verify binary bytes" "$S" verify --test-keys "$KEYS" \
    <"$H/binary.signed"
check "sign binary output intact" sh -c \
    "tail -c \$(wc -c <'$H/binary.eml') '$H/binary.signed' | \
    cmp -s - '$H/binary.eml'"

{
    printf 'From: a@example.com\nX-Huge: '
    head -c 2000000 /dev/zero | tr '\0' 'a'
    printf '\n\nbody\n'
} >"$H/huge-header.eml"
expect_rc 65 "sign huge header rejected" ed_sign <"$H/huge-header.eml"
expect_rc 65 "verify huge header rejected" \
    "$S" verify --test-keys "$KEYS" <"$H/huge-header.eml"

{
    printf 'From: a@example.com\n'
    i=0
    while [ $i -lt 10100 ]; do
        printf 'X-Many-%d: value\n' $i
        i=$((i + 1))
    done
    printf '\nbody\n'
} >"$H/many-headers.eml"
expect_rc 65 "verify too many fields rejected" \
    "$S" verify --test-keys "$KEYS" <"$H/many-headers.eml"

: >"$H/empty.eml"
expect_rc 65 "verify empty input rejected" \
    "$S" verify --test-keys "$KEYS" <"$H/empty.eml"
printf 'To: b@example.com\n\nbody\n' >"$H/no-from.eml"
expect_rc 65 "sign without From rejected" ed_sign <"$H/no-from.eml"
printf 'From: a@example.com\nFrom: b@example.com\n\nbody\n' >"$H/two-from.eml"
expect_rc 65 "sign with two From rejected" ed_sign <"$H/two-from.eml"

printf 'This is not a header\nFrom: a@example.com\n\nbody\n' \
    >"$H/no-colon.eml"
expect_rc 65 "sign line without colon" ed_sign <"$H/no-colon.eml"
check "no colon error names line" grep -q 'header line 1' "$W/err"
printf ' continued\nFrom: a@example.com\n\nbody\n' >"$H/leading-ws.eml"
expect_rc 65 "verify leading continuation" \
    "$S" verify --test-keys "$KEYS" <"$H/leading-ws.eml"

# The signature field of the message is hostile: the A-R text must stay
# one field with no injected line.
printf 'DKIM-Signature: v=1; a=rsa-sha256; d=ex\r\n ample.com; s=x;\r\n h=from; bh=AAAA; b=AAAA; i=")\\r\\n X: y"@example.com\r\nFrom: a@example.com\r\n\r\nbody\r\n' \
    >"$H/bad-sig.eml"
expect_rc 1 "verify broken signature exits 1" \
    "$S" verify --test-keys "$KEYS" <"$H/bad-sig.eml"
check "verify broken signature permerror" grep -q 'dkim=permerror' "$W/out"
check "ar has no injected line" \
    sh -c "! grep -q '^X:' '$W/out'"

# Control characters inside signature tags never reach the output.
printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=se\rl;\r\n i=@exa\001mple.com; h=from; bh=AAAA; b=AAAA\r\nFrom: a@example.com\r\n\r\nbody\r\n' \
    >"$H/ctl-sig.eml"
expect_rc 1 "verify control chars exits 1" \
    "$S" verify -v --test-keys "$KEYS" <"$H/ctl-sig.eml"
check "ar has no control chars" no_controls "$W/out"
check "verbose has no control chars" no_controls "$W/err"

# Seeded random inputs: random bytes, header-like soup and DKIM-Signature
# fields built from random tags.  Each run must end with a defined exit
# status and no sanitizer report.
/usr/bin/python3 - "$H" <<'PY'
import os, random, sys
rng = random.Random(20261204)
alphabet = b"abc:; =\r\n\t\0\xff-@.\"()\\"
tags = [b"v=1", b"a=rsa-sha256", b"a=ed25519-sha256", b"d=example.com",
        b"s=ed", b"h=from", b"h=from:to", b"bh=AAAA", b"b=", b"c=relaxed",
        b"l=5", b"l=99999999999999999999", b"x=1", b"t=", b"i=@example.com",
        b"q=dns/txt", b"z=a|b"]
for n in range(30):
    kind = n % 3
    if kind == 0:
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(2000)))
    elif kind == 1:
        data = b"From: a@example.com\r\nSubject: " + bytes(
            rng.choice(alphabet) for _ in range(rng.randrange(3000)))
    else:
        sig = b"; ".join(rng.choice(tags) for _ in range(rng.randrange(12)))
        data = (b"DKIM-Signature: " + sig + b"\r\nFrom: a@example.com\r\n"
                b"\r\n" + bytes(rng.choice(alphabet) for _ in range(200)))
    with open(os.path.join(sys.argv[1], "random-%02d.eml" % n), "wb") as f:
        f.write(data)
PY
for input in "$H"/random-*.eml; do
    base=$(basename "$input" .eml)
    "$S" verify --test-keys "$KEYS" <"$input" >/dev/null 2>"$W/err"
    rc=$?
    case $rc in
    0|1|2|65) pass "verify $base exit $rc" ;;
    *) fail "verify $base exit $rc" "$(head -c 300 "$W/err")" ;;
    esac
    check "verify $base no sanitizer" \
        sh -c "! grep -Eq 'Sanitizer|runtime error' '$W/err'"
    ed_sign <"$input" >/dev/null 2>"$W/err"
    rc=$?
    case $rc in
    0|65) pass "sign $base exit $rc" ;;
    *) fail "sign $base exit $rc" "$(head -c 300 "$W/err")" ;;
    esac
    check "sign $base no sanitizer" \
        sh -c "! grep -Eq 'Sanitizer|runtime error' '$W/err'"
done

: >"$H/empty.eml"
"$S" verify --test-keys "$KEYS" <"$H/empty.eml" >/dev/null 2>&1
rc=$?
check "verify empty input no crash" test "$rc" -lt 128

# --- testkey ------------------------------------------------------------------

TK="$W/testkey.txt"
cp "$KEYS" "$TK"
ed_record=$(zone_record "$K/ed.example.com.txt")
rsa_record=$(zone_record "$K/r2048.example.com.txt")
{
    printf 'revoked._domainkey.example.com\tv=DKIM1; k=rsa; p=\n'
    printf 'typed._domainkey.example.com\t%s\n' "$ed_record"
    printf 'other._domainkey.example.com\t%s\n' \
        "$(zone_record "$K/r4096.example.com.txt")"
    printf 'broken._domainkey.example.com\tv=DKIM1; k=rsa; p=@@@@\n'
    printf 'twice._domainkey.example.com\t%s\n' "$rsa_record"
    printf 'twice._domainkey.example.com\t%s\n' "$rsa_record"
    printf 'mixed._domainkey.example.com\tgoogle-site-verification=abc\n'
    printf 'mixed._domainkey.example.com\t%s\n' "$rsa_record"
    printf 'alias._domainkey.example.com\t~CNAME~ r2048.dkim.provider.example\n'
    printf 'r2048.dkim.provider.example\t%s\n' "$rsa_record"
    printf 'testing._domainkey.example.com\tv=DKIM1; t=y; %s\n' \
        "${rsa_record#v=DKIM1; }"
    printf 'nosha256._domainkey.example.com\tv=DKIM1; h=sha1; %s\n' \
        "${rsa_record#v=DKIM1; }"
    printf 'dnsfail._domainkey.example.com\t~SERVFAIL~\n'
} >>"$TK"

tk() {
    "$S" testkey --domain example.com --selector "$1" \
        --key "$K/r2048.example.com.pem" --test-keys "$TK"
}
expect_rc 0 "testkey match" tk r2048
check "testkey match says OK" grep -q '^OK:' "$W/out"
expect_rc 0 "testkey via CNAME" tk alias
check "testkey names CNAME target" grep -q 'r2048.dkim.provider.example' \
    "$W/out"
expect_rc 0 "testkey skips non-DKIM TXT" tk mixed
expect_rc 0 "testkey testing is warning" tk testing
check "testkey testing warns" grep -q 'warning: .*t=y' "$W/out"
expect_rc 1 "testkey no record" tk missing
check "testkey no record problem" grep -q 'problem: no TXT record' "$W/out"
expect_rc 1 "testkey revoked" tk revoked
check "testkey revoked problem" grep -q 'problem: .*revoked' "$W/out"
expect_rc 1 "testkey type mismatch" tk typed
check "testkey type mismatch problem" grep -q 'problem: .*ed25519' "$W/out"
expect_rc 1 "testkey other key" tk other
check "testkey other key problem" grep -q 'problem: .*not the public half' \
    "$W/out"
expect_rc 1 "testkey syntax error" tk broken
check "testkey syntax names tag" grep -q 'problem: .*p=' "$W/out"
expect_rc 1 "testkey two records" tk twice
check "testkey two records problem" grep -q 'problem: 2 DKIM key records' \
    "$W/out"
expect_rc 1 "testkey h= without sha256" tk nosha256
expect_rc 75 "testkey servfail exits 75" tk dnsfail
expect_rc 0 "testkey Ed25519 seed key" "$S" testkey --domain example.com \
    --selector ed --key "$K/ed.seed" --test-keys "$TK"
expect_rc 66 "testkey missing key file" "$S" testkey --domain example.com \
    --selector r2048 --key "$W/none.pem" --test-keys "$TK"

# testkey over real DNS: a loopback unbound serving the 2048-bit key as two
# strings and a CNAME-delegated selector.
free_port() {
    /usr/bin/python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
port=$(free_port)
cat >"$W/example.com.zone" <<EOF
\$TTL 300
@ IN SOA ns.example.com. admin.example.com. 1 3600 600 86400 300
@ IN NS ns.example.com.
ns IN A 127.0.0.1
$(sed 's/\._domainkey\.example\.com\./._domainkey/' "$K/r2048.example.com.txt")
delegated._domainkey IN CNAME r2048.dkim.provider.example.
EOF
cat >"$W/provider.example.zone" <<EOF
\$TTL 300
@ IN SOA ns.provider.example. admin.provider.example. 1 3600 600 86400 300
@ IN NS ns.provider.example.
ns IN A 127.0.0.1
r2048.dkim IN TXT "$(zone_record "$K/r2048.example.com.txt" | cut -c1-200)" "$(zone_record "$K/r2048.example.com.txt" | cut -c201-)"
EOF
mkdir -p "$DNS_DIR"
if ! command -v unbound >/dev/null 2>&1; then
    skip "testkey over DNS" "unbound is not installed"
elif ! sh "$LIB/unbound.sh" start "$DNS_DIR" "$port" \
    "example.com:$W/example.com.zone" \
    "provider.example:$W/provider.example.zone" >"$W/unbound.out" 2>&1; then
    fail "unbound starts" "$(tr '\n' ' ' <"$W/unbound.out")"
else
    dtk() {
        "$S" testkey --domain example.com --selector "$1" \
            --key "$K/r2048.example.com.pem" --nameserver "127.0.0.1@$port" \
            --timeout 3
    }
    expect_rc 0 "testkey DNS split record" dtk r2048
    expect_rc 0 "testkey DNS CNAME" dtk delegated
    check "testkey DNS names target" \
        grep -q 'r2048.dkim.provider.example' "$W/out"
    expect_rc 1 "testkey DNS no record" dtk absent
    expect_rc 0 "verify over DNS" "$S" verify --nameserver "127.0.0.1@$port" \
        --timeout 3 <"$signed"
    sh "$LIB/unbound.sh" stop "$DNS_DIR" >/dev/null 2>&1
    expect_rc 75 "testkey DNS down exits 75" dtk r2048
fi

# DNSSEC: example.com signed with ldns-signzone and its KSK as the trust
# anchor.  The CNAME-delegated selector points into the unsigned
# provider.example zone, so that answer is insecure.  A key that did not
# sign the zone, used as the anchor, makes every answer bogus.
if ! command -v ldns-signzone >/dev/null 2>&1 ||
    ! command -v ldns-keygen >/dev/null 2>&1; then
    skip "testkey DNSSEC" "ldnsutils (ldns-keygen, ldns-signzone) is not \
installed"
elif ! command -v unbound >/dev/null 2>&1; then
    skip "testkey DNSSEC" "unbound is not installed"
else
    mkdir -p "$SEC_DIR"
    sec_port=$(free_port)
    (
        cd "$SEC_DIR" &&
            { echo '$ORIGIN example.com.'; cat "$W/example.com.zone"; } \
                >example.com.zone &&
            ksk=$(ldns-keygen -a ED25519 -k example.com) &&
            zsk=$(ldns-keygen -a ED25519 example.com) &&
            ldns-signzone -n example.com.zone "$ksk" "$zsk" &&
            cp "$ksk.key" anchor.key &&
            wrong=$(ldns-keygen -a ED25519 -k example.com) &&
            cp "$wrong.key" wrong-anchor.key
    ) >"$W/ldns.out" 2>&1
    if [ ! -s "$SEC_DIR/example.com.zone.signed" ]; then
        fail "ldns signs zone" "$(tr '\n' ' ' <"$W/ldns.out")"
    elif ! sh "$LIB/unbound.sh" start "$SEC_DIR" "$sec_port" \
        "example.com:$SEC_DIR/example.com.zone.signed" \
        "provider.example:$W/provider.example.zone" >"$W/unbound.out" 2>&1
    then
        fail "unbound starts signed" "$(tr '\n' ' ' <"$W/unbound.out")"
    else
        stk() {
            "$S" testkey --domain example.com --selector "$1" \
                --key "$K/r2048.example.com.pem" --timeout 3 \
                --nameserver "127.0.0.1@$sec_port" --trust-anchor "$2"
        }
        expect_rc 0 "testkey DNSSEC secure" stk r2048 "$SEC_DIR/anchor.key"
        check "testkey says secure" grep -q 'DNSSEC: the answer is secure' \
            "$W/out"
        expect_rc 0 "testkey DNSSEC insecure CNAME" \
            stk delegated "$SEC_DIR/anchor.key"
        check "testkey warns insecure" \
            grep -q 'warning: the answer is not DNSSEC-signed' "$W/out"
        expect_rc 1 "testkey DNSSEC bogus" \
            stk r2048 "$SEC_DIR/wrong-anchor.key"
        check "testkey bogus is problem" grep -q '^problem: ' "$W/out"
        expect_rc 0 "verify DNSSEC secure" "$S" verify -v --timeout 3 \
            --nameserver "127.0.0.1@$sec_port" \
            --trust-anchor "$SEC_DIR/anchor.key" <"$signed"
        check "verify reports DNSSEC-secure" grep -q 'dnssec=yes' "$W/err"
    fi
fi

# --- config check -------------------------------------------------------------

cat >"$W/good.conf" <<EOF
socket = "inet:8891@127.0.0.1";
mode = "sv";
authserv_id = "mx.example.com";
keys = ( { id = "ex"; domain = "example.com"; selector = "r2048";
           file = "$K/r2048.example.com.pem"; } );
signing = ( { match = "example.com"; keys = [ "ex" ]; } );
dns = { test_keys = "$KEYS"; };
EOF
sed 's/mode = "sv";/mode = "sv";\nno_such_setting = 1;/' "$W/good.conf" \
    >"$W/bad.conf"
expect_rc 0 "config check valid" "$S" config check -c "$W/good.conf"
expect_rc 1 "config check invalid" "$S" config check -c "$W/bad.conf"
check "config check names line" grep -q 'bad.conf:3' "$W/err"
expect_rc 1 "config check missing file" \
    "$S" config check -c "$W/none.conf"

# verify --config takes authserv_id, dns and policy settings from the file.
expect_rc 0 "verify config pass" "$S" verify -c "$W/good.conf" <"$signed"
check "verify config authserv-id" \
    grep -q '^Authentication-Results: mx.example.com;' "$W/out"
expect_rc 0 "verify option beats config" \
    "$S" verify -c "$W/good.conf" --authserv-id other.test <"$signed"
check "verify option authserv-id" \
    grep -q '^Authentication-Results: other.test;' "$W/out"
sed 's/mode = "sv";/mode = "sv";\nmin_key_bits = 4096;/' "$W/good.conf" \
    >"$W/strict.conf"
expect_rc 1 "verify config min_key_bits" \
    "$S" verify -c "$W/strict.conf" <"$signed"
check "verify config policy result" grep -q 'dkim=policy' "$W/out"
expect_rc 78 "verify invalid config" "$S" verify -c "$W/bad.conf" <"$signed"
sed 's/mode = "sv";/mode = "sv";\nmax_header_bytes = 4194304;/' \
    "$W/good.conf" >"$W/big-header.conf"
expect_rc 2 "verify config max_header_bytes" \
    "$S" verify -c "$W/big-header.conf" <"$H/huge-header.eml"

[ "$failed" -eq 0 ]
