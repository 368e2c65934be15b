#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# postfix_e2e.sh - signetd behind a real Postfix, end to end (TAP).
#
# Everything runs on 127.0.0.1 and in one temporary directory.  An unbound
# serves the test zones: an RSA 2048 key whose TXT record is two strings,
# an Ed25519 key, and a selector delegated by CNAME to another zone.
# signetd runs with a generated configuration, and a private Postfix uses
# it as the milter of its submission and MX ports.  Mail is sent with swaks: from
# 127.0.0.1 it must leave signed with signatures dkimpy accepts, and from
# 127.0.0.2 it must get the right Authentication-Results and actions.
#
# Needs root (for "postfix -c"), postfix, swaks, unbound, /usr/bin/python3
# with dkim and dns, and the built signetd and signet.  Without them the
# test prints one SKIP line naming what is missing, except under CI=true,
# where a missing tool is a failure.  Nothing is sent to any other address.
#
# Environment: SIGNET_BUILDDIR, SIGNET_SRCDIR (set by make check);
# E2E_KEEP=1 keeps the work directory for inspection.

set -u
src=${SIGNET_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${SIGNET_BUILDDIR:-$(pwd)}
. "$src/tests/lib/proc.sh"

signetd=$build/src/daemon/signetd
signet=$build/src/cli/signet
python=/usr/bin/python3
authserv=mx.signet.test
n=0
failures=0

ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}

not_ok() {
    n=$((n + 1))
    failures=$((failures + 1))
    echo "not ok $n - $1"
}

# check NAME COMMAND...: one TAP line for the command's exit status.
check() {
    check_name=$1
    shift
    if "$@"; then ok "$check_name"; else not_ok "$check_name"; fi
}

# wait_for SECONDS COMMAND...: run COMMAND every 0.2 s until it succeeds;
# fail when it has not succeeded after SECONDS.
wait_for() {
    wait_fifths=$(($1 * 5))
    shift
    while [ "$wait_fifths" -gt 0 ]; do
        "$@" && return 0
        sleep 0.2
        wait_fifths=$((wait_fifths - 1))
    done
    return 1
}

# Print a file as TAP comments, to explain the failure above it.
show() {
    [ -f "$1" ] && sed 's/^/# /' "$1" | tail -n "${2:-25}"
}

# --- prerequisites ----------------------------------------------------------

missing=
[ "$(id -u)" = 0 ] || missing="$missing root"
for tool in postfix postconf postqueue postkick sendmail swaks unbound opendkim; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
"$python" -c 'import dkim, dns.resolver' 2>/dev/null ||
    missing="$missing python3-dkim/python3-dnspython"
[ -x "$signetd" ] || missing="$missing $signetd"
[ -x "$signet" ] || missing="$missing $signet"
[ -f "$src/tests/lib/unbound.sh" ] || missing="$missing tests/lib/unbound.sh"
if [ -n "$missing" ]; then
    if [ "${CI:-}" = true ]; then
        echo "not ok 1 - postfix e2e: missing$missing"
        exit 1
    fi
    echo "ok 1 - postfix e2e # SKIP missing$missing"
    exit 0
fi

# --- work directory, ports and cleanup --------------------------------------

work=$(mktemp -d /tmp/signet-e2e.XXXXXX) || exit 1
chmod 0755 "$work"
dns_dir=$work/dns
pf_dir=$work/postfix
pf_conf=$pf_dir/conf
mail_dir=$pf_dir/mail
signetd_pid=

cleanup() {
    proc_stop "$signetd_pid" signetd 10
    sh "$src/tests/lib/postfix.sh" stop "$pf_dir" 2>/dev/null
    sh "$src/tests/lib/unbound.sh" stop "$dns_dir" 2>/dev/null
    if [ "$failures" -gt 0 ]; then
        echo "# signetd log, last lines:"
        show "$work/signetd.log" 30
        echo "# Postfix log, last lines:"
        show "$pf_dir/maillog" 30
    fi
    if [ "${E2E_KEEP:-}" = 1 ]; then
        echo "# work directory kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# Ports below 32768, Linux's default ephemeral range, so that no outgoing
# connection takes one between this check and the bind.
base=$((20000 + $$ % 12000))
dns_port=$(proc_free_port "$base")
submit_port=$(proc_free_port $((dns_port + 1)))
mx_port=$(proc_free_port $((submit_port + 1)))
milter_port=$(proc_free_port $((mx_port + 1)))

# --- keys and zones ---------------------------------------------------------

# make_key NAME DOMAIN SELECTOR TYPE [BITS]: generate a key with signet
# keygen into $work/keys/NAME/, which then contains SELECTOR.DOMAIN.pem
# (private key) and SELECTOR.DOMAIN.txt (zone-file record).  Link them as
# private.key and record.
make_key() {
    out=$work/keys/$1 domain=$2 selector=$3 type=$4 bits=${5:-}
    mkdir -p "$out"
    if ! "$signet" keygen --domain "$domain" --selector "$selector" \
        --type "$type" ${bits:+--bits "$bits"} --out "$out" >"$out/keygen.out" 2>&1; then
        show "$out/keygen.out"
        return 1
    fi
    ln -sf "$out/$selector.$domain.pem" "$out/private.key"
    ln -sf "$out/$selector.$domain.txt" "$out/record"
    [ -s "$out/private.key" ] && [ -s "$out/record" ]
}

# zone_file ZONE: a zone with SOA and NS, then the records on stdin.
zone_file() {
    {
        echo "\$ORIGIN $1."
        echo "\$TTL 300"
        echo "@ IN SOA ns.$1. hostmaster.$1. 1 3600 600 86400 300"
        echo "@ IN NS ns.$1."
        echo "ns IN A 127.0.0.1"
        cat
    } >"$work/zones/$1.zone"
}

mkdir -p "$work/zones"
check "keygen rsa 2048" make_key org-rsa example.org rsa rsa 2048
check "keygen ed25519" make_key org-ed example.org ed ed25519
check "keygen cname key" make_key com-s1 example.com s1 rsa 2048
check "keygen dns-down key" make_key net-late example.net late rsa 2048

# The provider zone contains the delegated key, and example.com only
# points there.
cat "$work/keys/org-rsa/record" "$work/keys/org-ed/record" | zone_file example.org
echo "s1._domainkey.example.com. IN CNAME s1.dkim.provider.example." | zone_file example.com
sed 's/^s1\._domainkey\.example\.com\./s1.dkim.provider.example./' \
    "$work/keys/com-s1/record" | zone_file provider.example
cat "$work/keys/net-late/record" | zone_file example.net

record_strings() {
    grep -o '"[^"]*"' "$work/keys/$1/record" | grep -c .
}
check "rsa 2048 record has two strings" test "$(record_strings org-rsa)" -eq 2

start_unbound() {
    mkdir -p "$dns_dir"
    sh "$src/tests/lib/unbound.sh" start "$dns_dir" "$dns_port" \
        "example.org:$work/zones/example.org.zone" \
        "example.com:$work/zones/example.com.zone" \
        "provider.example:$work/zones/provider.example.zone" \
        "example.net:$work/zones/example.net.zone" >"$work/unbound.out" 2>&1 &&
        return 0
    show "$work/unbound.out"
    return 1
}

if ! start_unbound; then
    not_ok "unbound starts"
    exit 1
fi
ok "unbound starts"

# --- signetd ----------------------------------------------------------------

# write_config FILE [SETTING...]: the base configuration, then extra
# top-level settings that override the actions.
write_config() {
    config=$1
    shift
    cat >"$config" <<EOF
socket = "inet:$milter_port@127.0.0.1";
mode = "sv";
authserv_id = "$authserv";
internal_hosts = [ "127.0.0.1" ];
sign_authenticated = true;
keys = (
    { id = "org-rsa"; domain = "example.org"; selector = "rsa";
      file = "$(readlink -f "$work/keys/org-rsa/private.key")"; },
    { id = "org-ed"; domain = "example.org"; selector = "ed";
      file = "$(readlink -f "$work/keys/org-ed/private.key")"; },
    { id = "com-s1"; domain = "example.com"; selector = "s1";
      file = "$(readlink -f "$work/keys/com-s1/private.key")"; },
    { id = "net-late"; domain = "example.net"; selector = "late";
      file = "$(readlink -f "$work/keys/net-late/private.key")"; }
);
signing = (
    { match = "example.org"; keys = [ "org-rsa", "org-ed" ]; },
    { match = "example.com"; keys = [ "com-s1" ]; },
    { match = "example.net"; keys = [ "net-late" ]; }
);
canonicalization = "relaxed/relaxed";
dns = { nameservers = [ "127.0.0.1@$dns_port" ]; timeout = 2; };
EOF
    for setting in "$@"; do
        echo "$setting" >>"$config"
    done
}

# start_signetd CONFIG: run "signetd -f" as a background job and wait
# until its milter port listens.
start_signetd() {
    echo "# signetd -c $1" >>"$work/signetd.log"
    "$signetd" -c "$1" -f >>"$work/signetd.log" 2>&1 &
    signetd_pid=$!
    if proc_wait_listen "$milter_port" 15; then
        return 0
    fi
    show "$work/signetd.log"
    return 1
}

stop_signetd() {
    proc_stop "$signetd_pid" signetd 10
    ! proc_alive "$signetd_pid" signetd
}

# restart_signetd NAME [SETTING...]: a new configuration with the settings.
restart_signetd() {
    restart_name=$1
    shift
    write_config "$work/$restart_name.conf" "$@"
    stop_signetd && start_signetd "$work/$restart_name.conf"
}

# OpenDKIM as an independent verifier: test mode only, keys from the
# loopback server, no DNSSEC trust anchor (the test zones are unsigned).
printf 'Mode v\nSyslog no\nNameservers 127.0.0.1@%s\n' "$dns_port" >"$work/opendkim.conf"

write_config "$work/base.conf"
check "signetd -t accepts config" sh -c "'$signetd' -t -c '$work/base.conf' >'$work/signetd-t.out' 2>&1"
check "signetd starts" start_signetd "$work/base.conf"
if ! sh "$src/tests/lib/postfix.sh" start "$pf_dir" "$submit_port" "$mx_port" \
    "$milter_port" tempfail >"$work/postfix.out" 2>&1; then
    not_ok "postfix starts"
    show "$work/postfix.out"
    exit 1
fi
ok "postfix starts"

# --- sending and reading mail -----------------------------------------------

# send NAME PORT SOURCE_IP SWAKS_ARGS...: one SMTP transaction; the
# transcript is $work/NAME.swaks.
send() {
    send_name=$1 send_port=$2 send_source=$3
    shift 3
    swaks --server "127.0.0.1:$send_port" --local-interface "$send_source" \
        --helo e2e.signet.test --timeout 30 "$@" >"$work/$send_name.swaks" 2>&1
}

# submit NAME FROM_ADDRESS: a message from an internal client to the submission
# port.  Every test message has an X-E2E-Token field with its NAME, by
# which its delivery is found.  Signatures do not cover that field, so it
# can be changed when a signed message is sent again.
submit() {
    send "$1" "$submit_port" 127.0.0.1 --from "$2" --to "user@remote.example" \
        --header "From: Sender <$2>" --header "Subject: e2e message $1" \
        --header "X-E2E-Token: $1" --body "Body of e2e message $1."
}

# receive NAME FILE: the message in FILE from an outside client to the MX.
receive() {
    send "$1" "$mx_port" 127.0.0.2 --from "sender@outside.example" \
        --to "user@example.org" --data "@$2"
}

# replied NAME CODE ENHANCED [TEXT]: the transcript has a server reply
# that starts with these (swaks marks error replies with "<**").
replied() {
    grep -q "^<[*~ -]* $2 $3${4:+ $4}" "$work/$1.swaks" && return 0
    show "$work/$1.swaks" 12
    return 1
}

queued() {
    replied "$1" 250 2.0.0 "Ok: queued as"
}

# delivered NAME: wait up to 20 s for the message with "X-E2E-Token: NAME"
# and copy it to $work/NAME.eml.
delivered() {
    delivered_tenths=200
    while [ "$delivered_tenths" -gt 0 ]; do
        delivered_file=$(grep -l "^X-E2E-Token: $1\$" "$mail_dir"/* 2>/dev/null |
            grep -v '\.tmp$' | head -n 1)
        if [ -n "$delivered_file" ]; then
            cp "$delivered_file" "$work/$1.eml"
            return 0
        fi
        sleep 0.1
        delivered_tenths=$((delivered_tenths - 1))
    done
    echo "# no delivery with X-E2E-Token $1 after 20 s"
    tail -n 15 "$pf_dir/maillog" | sed 's/^/# /'
    return 1
}

not_delivered() {
    ! grep -q "^X-E2E-Token: $1\$" "$mail_dir"/* 2>/dev/null
}

# header_fields FILE NAME: each NAME field of FILE's header, unfolded,
# one per line, without the field name.
header_fields() {
    awk -v name="$2" '
        /^\r?$/ { exit }
        /^[ \t]/ { if (keep) value = value " " $0; next }
        { if (keep) print value
          keep = tolower(substr($0, 1, length(name) + 1)) == tolower(name) ":"
          value = substr($0, length(name) + 2) }
        END { if (keep) print value }' "$1" | tr -s ' \t\r' '  '
}

# auth_result NAME RESULT [SELECTOR]: the delivered message has one
# Authentication-Results field from our authserv-id, and it contains a dkim=
# clause with RESULT (and header.s=SELECTOR when given).
auth_result() {
    fields=$(header_fields "$work/$1.eml" Authentication-Results |
        grep "^ *$authserv *;")
    if [ "$(printf '%s\n' "$fields" | grep -c .)" -ne 1 ]; then
        echo "# expected one Authentication-Results from $authserv, got:"
        header_fields "$work/$1.eml" Authentication-Results | sed 's/^/#   /'
        return 1
    fi
    printf '%s\n' "$fields" | tr ';' '\n' |
        grep " *dkim=$2\\b" | grep -q "${3:+header\\.s=$3\\b}" && return 0
    echo "# Authentication-Results:$fields"
    return 1
}

# clause_has NAME SELECTOR PATTERN: the dkim= clause for SELECTOR in the
# delivered message's Authentication-Results matches the grep PATTERN.
clause_has() {
    header_fields "$work/$1.eml" Authentication-Results | tr ';' '\n' |
        grep "header\.s=$2\b" | grep -q "$3" && return 0
    header_fields "$work/$1.eml" Authentication-Results | sed 's/^/# /'
    return 1
}

dkimpy_verifies() {
    "$python" "$src/tests/e2e/dkimpy_verify.py" "$dns_port" "$work/$1.eml" \
        >"$work/$1.dkimpy" 2>&1 && return 0
    show "$work/$1.dkimpy"
    return 1
}

# opendkim_verifies NAME SELECTOR DOMAIN: OpenDKIM's test mode verifies
# the signature by SELECTOR and DOMAIN.  On these two-signature messages
# "opendkim -t" (2.11) reports only the RSA signature, so OpenDKIM's check
# of signet's Ed25519 signatures is in tests/interop instead.  It exits 0
# even when verification fails, so its report line is checked.
opendkim_verifies() {
    opendkim -x "$work/opendkim.conf" -t "$work/$1.eml" >"$work/$1.opendkim" 2>&1
    grep -q "verification (s=$2, d=$3, [^)]*) succeeded" "$work/$1.opendkim" &&
        return 0
    show "$work/$1.opendkim"
    return 1
}

# first_field_is NAME FIELD: the message's first header field is FIELD,
# i.e. signetd inserted it above Postfix's own Received field.
first_field_is() {
    head -n 1 "$work/$1.eml" | grep -qi "^$2:"
}

signature_count() {
    header_fields "$work/$1.eml" DKIM-Signature | grep -c .
}

# policy SETTING ACTION REPLY: one action setting with its SMTP reply.
policy() {
    echo "$1 = \"$2\"; $1_reply = \"$3\";"
}

# --- outbound: signing ------------------------------------------------------

submit org sender@example.org
check "submit example.org queued" queued org
check "submit example.org delivered" delivered org
check "signed above Received" first_field_is org DKIM-Signature
check "rsa and ed25519 signatures" test "$(signature_count org)" -eq 2
check "dkimpy verifies both" dkimpy_verifies org
check "dkimpy saw rsa pass" grep -q '^pass d=example.org s=rsa a=rsa-sha256' "$work/org.dkimpy"
check "dkimpy saw ed25519 pass" grep -q '^pass d=example.org s=ed a=ed25519-sha256' "$work/org.dkimpy"

submit com sender@example.com
check "submit cname domain delivered" delivered com
check "cname domain signed once" test "$(signature_count com)" -eq 1
check "dkimpy verifies via cname" dkimpy_verifies com
check "opendkim verifies rsa" opendkim_verifies org rsa example.org
check "opendkim verifies via cname" opendkim_verifies com s1 example.com

submit net sender@example.net
check "submit example.net delivered" delivered net

printf 'From: Local <root@example.org>\nTo: user@remote.example\nSubject: e2e local\nX-E2E-Token: local\n\nBody of a sendmail message.\n' |
    sendmail -C "$pf_conf" -f root@example.org user@remote.example
check "sendmail message delivered" delivered local
check "dkimpy verifies sendmail message" dkimpy_verifies local

# --- inbound: verification --------------------------------------------------

# inbound NAME SOURCE_EML [SED_SCRIPT]: send a copy of SOURCE_EML to the MX
# with a new X-E2E-Token, after the sed script when given.
inbound() {
    sed -e "s/^X-E2E-Token: .*/X-E2E-Token: $1/" ${3:+-e "$3"} \
        "$work/$2.eml" >"$work/$1.in"
    receive "$1" "$work/$1.in"
}

inbound in-pass org
check "inbound pass delivered" delivered in-pass
check "inbound pass rsa" auth_result in-pass pass rsa
check "inbound pass ed25519" auth_result in-pass pass ed
check "results above Received" first_field_is in-pass Authentication-Results
check "rsa result header.d" clause_has in-pass rsa 'header\.d=example\.org\b'
check "rsa result header.a" clause_has in-pass rsa 'header\.a=rsa-sha256\b'
# header.b is quoted when the prefix holds "/", a tspecial (RFC 8601 value).
check "rsa result header.b" clause_has in-pass rsa 'header\.b="\{0,1\}[A-Za-z0-9+/]\{8,\}'
check "ed25519 result header.a" clause_has in-pass ed 'header\.a=ed25519-sha256\b'

inbound in-cname com
check "inbound cname delivered" delivered in-cname
check "inbound cname pass" auth_result in-cname pass s1

inbound in-fail org 's/^Body of e2e message org\./Body tampered on the way./'
check "inbound tampered delivered" delivered in-fail
check "inbound tampered fails" auth_result in-fail fail rsa

printf 'From: a@outside.example\nTo: user@example.org\nSubject: e2e unsigned\nX-E2E-Token: in-none\n\nNo signature here.\n' >"$work/in-none.in"
receive in-none "$work/in-none.in"
check "inbound unsigned delivered" delivered in-none
check "inbound unsigned is none" auth_result in-none none

# A forged field claiming our authserv-id must be removed, so only one
# field with a fail result is left.
inbound in-forged org "1i Authentication-Results: $authserv; dkim=pass header.d=example.org
s/^Body of e2e message org\./Body tampered again./"
check "inbound forged delivered" delivered in-forged
check "forged result removed" auth_result in-forged fail

# --- SMTP AUTH: an outside client that logged in is signed -----------------

# from_outside NAME [LOGIN]: a message from sender@example.org sent from
# 127.0.0.3, which may use XCLIENT.  XCLIENT ADDR=192.0.2.7 puts the client
# outside internal_hosts, and LOGIN= sets the SMTP AUTH user that Postfix
# passes to the milter as {auth_authen}.
from_outside() {
    send "$1" "$mx_port" 127.0.0.3 --xclient-addr 192.0.2.7 \
        ${2:+--xclient-login "$2"} --from sender@example.org \
        --to user@remote.example --header "From: Sender <sender@example.org>" \
        --header "Subject: e2e message $1" --header "X-E2E-Token: $1" \
        --body "Body of e2e message $1."
}

from_outside auth-login alice
check "authenticated client delivered" delivered auth-login
check "authenticated client signed" test "$(signature_count auth-login)" -eq 2
check "dkimpy verifies authenticated" dkimpy_verifies auth-login

from_outside auth-none
check "outside client delivered" delivered auth-none
check "outside client not signed" test "$(signature_count auth-none)" -eq 0
check "outside client verified" auth_result auth-none none

# --- inbound: actions -------------------------------------------------------

check "restart with quarantine" restart_signetd quarantine \
    'on_bad_signature = "quarantine";'
inbound act-hold org 's/^Body of e2e message org\./Body tampered for hold./'
check "quarantine accepts" queued act-hold
hold_id=$(sed -n 's/^<- *250 2\.0\.0 Ok: queued as \([0-9A-F]*\).*/\1/p' "$work/act-hold.swaks")
in_hold() {
    postqueue -c "$pf_conf" -j | grep "\"queue_id\": \"$hold_id\"" |
        grep -q '"queue_name": "hold"'
}
check "quarantine puts in hold queue" wait_for 10 in_hold
check "held message not delivered" not_delivered act-hold

check "restart with discard" restart_signetd discard \
    'on_bad_signature = "discard";'
inbound act-discard org 's/^Body of e2e message org\./Body tampered for discard./'
check "discard accepts" queued act-discard
discard_id=$(sed -n 's/^<- *250 2\.0\.0 Ok: queued as \([0-9A-F]*\).*/\1/p' "$work/act-discard.swaks")
discarded() {
    grep -q "$discard_id: .*milter-discard" "$pf_dir/maillog"
}
check "discard logged by postfix" wait_for 10 discarded
check "discarded message not delivered" not_delivered act-discard

check "restart with reject" restart_signetd reject \
    "$(policy on_bad_signature reject "550 5.7.20 No valid DKIM signature (e2e)")"
inbound act-reject org 's/^Body of e2e message org\./Body tampered for reject./'
check "reject reply" replied act-reject 550 5.7.20 "No valid DKIM signature (e2e)"
check "rejected message not delivered" not_delivered act-reject

check "restart with tempfail" restart_signetd tempfail \
    "$(policy on_no_signature tempfail "451 4.7.20 Unsigned mail deferred (e2e)")"
sed 's/in-none/act-tempfail/' "$work/in-none.in" >"$work/act-tempfail.in"
receive act-tempfail "$work/act-tempfail.in"
check "tempfail reply" replied act-tempfail 451 4.7.20 "Unsigned mail deferred (e2e)"
check "tempfailed message not delivered" not_delivered act-tempfail

# --- DNS outage -------------------------------------------------------------

# A fresh signetd has an empty key cache, and example.net's key has not
# been looked up yet, so the lookup must reach the stopped server.
check "restart with defaults" restart_signetd defaults
check "unbound stops" sh "$src/tests/lib/unbound.sh" stop "$dns_dir"
inbound dns-down net
check "dns down tempfails" replied dns-down 4[0-9][0-9] "4\.[0-9.]*"
check "dns down not delivered" not_delivered dns-down
check "unbound restarts" start_unbound

# --- signetd down: Postfix defers and nothing is lost -----------------------

check "signetd stops" stop_signetd
submit down-smtp sender@example.org
check "milter down gives 451 at MAIL" replied down-smtp 451 4.7.1
# swaks writes each command ("-> MAIL FROM:...") on the line before its reply.
mail_from_deferred() {
    grep -B1 '^<\*\* *451' "$work/down-smtp.swaks" | grep -q '^ *-> MAIL FROM'
}
check "451 answers MAIL FROM" mail_from_deferred
printf 'From: Local <root@example.org>\nTo: user@remote.example\nSubject: e2e down-local\nX-E2E-Token: down-local\n\nQueued while the milter was down.\n' |
    sendmail -C "$pf_conf" -f root@example.org user@remote.example
in_maildrop() {
    postqueue -c "$pf_conf" -j | grep -q '"queue_name": "maildrop"'
}
check "sendmail message kept in maildrop" in_maildrop
check "nothing delivered while down" not_delivered down-local

check "signetd restarts" start_signetd "$work/base.conf"
submit down-smtp sender@example.org
check "retried submission queued" queued down-smtp
check "retried submission delivered" delivered down-smtp
check "retried submission verifies" dkimpy_verifies down-smtp
postkick -c "$pf_conf" public pickup W
check "maildrop message delivered" delivered down-local
check "maildrop message verifies" dkimpy_verifies down-local

echo "1..$n"
[ "$failures" -eq 0 ]
