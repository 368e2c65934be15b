# SPDX-License-Identifier: BSD-2-Clause
#
# proc.sh - process and socket helpers for the test scripts (POSIX sh,
# sourced, not run).  Readiness is read from /proc/net/tcp instead of a
# test connect, because a connect to an smtpd port is a whole SMTP session
# that reaches the milter and shows up in its log.
#
#   proc_listening PORT             true when a TCP socket on 127.0.0.1 or
#                                   0.0.0.0 is in LISTEN state on PORT
#   proc_wait_listen PORT SECONDS   wait until PORT listens; false on timeout
#   proc_alive PID COMM             true when PID runs and is not a zombie,
#                                   and its /proc/PID/comm is COMM
#   proc_stop PID COMM SECONDS      SIGTERM, wait, then SIGKILL; only when
#                                   the pid still belongs to COMM
#   proc_free_port PORT             print the first port >= PORT that no
#                                   TCP or UDP socket uses
#
# DIAGNOSTICS: the functions print nothing and report through their exit
# status.

# Hex form of a port as /proc/net/tcp writes it ("0050" for 80).
proc_port_hex() {
    printf '%04X' "$1"
}

proc_listening() {
    # Fields: sl local_address rem_address st ...; state 0A is LISTEN.
    awk -v port=":$(proc_port_hex "$1")" '
        $4 == "0A" && ($2 == "0100007F" port || $2 == "00000000" port) { found = 1 }
        END { exit !found }' /proc/net/tcp
}

proc_wait_listen() {
    proc_tenths=$(($2 * 10))
    while [ "$proc_tenths" -gt 0 ]; do
        proc_listening "$1" && return 0
        sleep 0.1
        proc_tenths=$((proc_tenths - 1))
    done
    return 1
}

proc_alive() {
    [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1

    # The state letter follows the ")" that closes the command name; a
    # zombie (Z) or dead (X) process has exited but still passes kill -0.
    proc_state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
    [ "$proc_state" != Z ] && [ "$proc_state" != X ]
}

proc_stop() {
    proc_alive "$1" "$2" || return 0
    kill -TERM "$1" 2>/dev/null
    proc_tenths=$(($3 * 10))
    while [ "$proc_tenths" -gt 0 ]; do
        proc_alive "$1" "$2" || return 0
        sleep 0.1
        proc_tenths=$((proc_tenths - 1))
    done
    proc_alive "$1" "$2" && kill -KILL "$1" 2>/dev/null
    return 0
}

proc_free_port() {
    proc_port=$1
    while [ "$proc_port" -lt 65000 ]; do
        proc_hex=$(proc_port_hex "$proc_port")
        if ! grep -qi ":$proc_hex " /proc/net/tcp /proc/net/udp \
            /proc/net/tcp6 /proc/net/udp6 2>/dev/null; then
            echo "$proc_port"
            return 0
        fi
        proc_port=$((proc_port + 1))
    done
    return 1
}
