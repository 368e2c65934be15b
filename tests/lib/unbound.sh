#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# unbound.sh - a private unbound on loopback that serves test zones.
#
#   unbound.sh start DIR PORT ZONE:FILE [ZONE:FILE ...]
#   unbound.sh stop DIR
#
# start writes DIR/unbound.conf and starts unbound listening on
# 127.0.0.1@PORT only (UDP and TCP).  Each ZONE is served from its RFC 1035
# zone FILE as an auth-zone with for-upstream: yes and for-downstream: no,
# so an answer carries the whole CNAME chain even into another zone; with
# local-data, unbound 1.17 returns a CNAME into another zone without the
# target's records.  Every other name is refused ("local-zone: . refuse")
# and do-not-query-address covers all of IPv4 and IPv6, so the server never
# sends a packet anywhere.  No validator, no remote control, no chroot, no
# user switch.  The pid file and the log (unbound.log) are in DIR.
# Zones under test. and the other special-use names that unbound answers
# itself (its default local zones) never reach the auth-zone: use names
# such as example.com or provider.example.
#
# start returns 0 once the server has logged "start of service" and its
# UDP port is bound, or prints why not and returns 1.  stop signals the pid
# in DIR/unbound.pid only when /proc/PID/comm is "unbound", and waits for
# it to exit (a zombie counts as exited, because PID 1 may not reap it).

set -u

unbound_die() {
    echo "unbound.sh: $*" >&2
    exit 1
}

# Print the pid from DIR/unbound.pid when it is a live unbound process.
unbound_pid() {
    pid=$(cat "$1/unbound.pid" 2>/dev/null) || return 1
    case "$pid" in ''|*[!0-9]*) return 1 ;; esac
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = unbound ] || return 1
    # Field 3 of /proc/PID/stat is the state; Z (zombie) and X (dead) are gone.
    state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
    case "$state" in ''|Z|X) return 1 ;; esac
    echo "$pid"
}

# True when 127.0.0.1:PORT is bound in /proc/net/udp.
unbound_udp_bound() {
    hexport=$(printf '%04X' "$1")
    grep -q " 0100007F:$hexport " /proc/net/udp
}

unbound_write_conf() {
    dir=$1 port=$2
    shift 2
    {
        echo "server:"
        echo "    interface: 127.0.0.1@$port"
        echo "    port: $port"
        echo "    do-ip6: no"
        echo "    do-daemonize: yes"
        echo "    username: \"\""
        echo "    chroot: \"\""
        echo "    directory: \"$dir\""
        echo "    pidfile: \"$dir/unbound.pid\""
        echo "    logfile: \"$dir/unbound.log\""
        echo "    use-syslog: no"
        echo "    verbosity: 1"
        echo "    log-queries: yes"
        echo "    num-threads: 1"
        echo "    so-reuseport: no"
        echo "    module-config: \"iterator\""
        echo "    access-control: 127.0.0.0/8 allow"
        echo "    local-zone: \".\" refuse"
        echo "    do-not-query-address: 0.0.0.0/0"
        echo "    do-not-query-address: ::0/0"
        # A more specific local zone lets the test zones past the refusal.
        for spec in "$@"; do
            echo "    local-zone: \"${spec%%:*}.\" transparent"
        done
        echo "remote-control:"
        echo "    control-enable: no"
        for spec in "$@"; do
            zone=${spec%%:*}
            file=${spec#*:}
            echo "auth-zone:"
            echo "    name: \"$zone\""
            echo "    zonefile: \"$file\""
            echo "    for-upstream: yes"
            echo "    for-downstream: no"
            echo "    fallback-enabled: no"
        done
    } >"$dir/unbound.conf"
}

unbound_start() {
    [ $# -ge 3 ] || unbound_die "usage: unbound.sh start DIR PORT ZONE:FILE..."
    dir=$1 port=$2
    shift 2
    case "$port" in ''|*[!0-9]*) unbound_die "invalid port: $port" ;; esac
    [ -d "$dir" ] || unbound_die "no such directory: $dir"
    dir=$(cd "$dir" && pwd)
    for spec in "$@"; do
        case "$spec" in
            *:/*) ;;
            *:*) unbound_die "zone file must be an absolute path: $spec" ;;
            *) unbound_die "expected ZONE:FILE, got: $spec" ;;
        esac
        [ -r "${spec#*:}" ] || unbound_die "cannot read zone file ${spec#*:}"
    done
    if unbound_pid "$dir" >/dev/null; then
        unbound_die "an unbound already runs for $dir"
    fi

    unbound_write_conf "$dir" "$port" "$@"
    rm -f "$dir/unbound.pid" "$dir/unbound.log"
    if ! out=$(unbound-checkconf "$dir/unbound.conf" 2>&1); then
        unbound_die "invalid configuration $dir/unbound.conf: $out"
    fi
    if ! out=$(unbound -c "$dir/unbound.conf" 2>&1); then
        unbound_die "unbound failed to start: $out"
    fi

    # About 10 s in steps of 0.1 s.
    tries=0
    while [ "$tries" -lt 100 ]; do
        if grep -q 'start of service' "$dir/unbound.log" 2>/dev/null &&
            unbound_pid "$dir" >/dev/null && unbound_udp_bound "$port"; then
            return 0
        fi
        if grep -q 'error:\|fatal error' "$dir/unbound.log" 2>/dev/null; then
            break
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
    echo "unbound.sh: unbound on 127.0.0.1@$port did not start; log follows" >&2
    sed 's/^/    /' "$dir/unbound.log" >&2 2>/dev/null
    unbound_stop "$dir"
    exit 1
}

unbound_stop() {
    [ $# -eq 1 ] || unbound_die "usage: unbound.sh stop DIR"
    dir=$1
    pid=$(unbound_pid "$dir") || return 0
    kill -TERM "$pid" 2>/dev/null
    tries=0
    while [ "$tries" -lt 50 ] && unbound_pid "$dir" >/dev/null; do
        sleep 0.1
        tries=$((tries + 1))
    done
    if pid=$(unbound_pid "$dir"); then
        kill -KILL "$pid" 2>/dev/null
        sleep 0.1
    fi
    return 0
}

[ $# -ge 1 ] || unbound_die "usage: unbound.sh start DIR PORT ZONE:FILE... | stop DIR"
command=$1
shift
case "$command" in
    start) unbound_start "$@" ;;
    stop) unbound_stop "$@" ;;
    *) unbound_die "unknown command: $command (expected start or stop)" ;;
esac
