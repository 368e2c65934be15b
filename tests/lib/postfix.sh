#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# postfix.sh - a private Postfix instance on loopback for tests and the demo.
#
#   postfix.sh start DIR SUBMIT_PORT MX_PORT MILTER_PORT [DEFAULT_ACTION]
#   postfix.sh set DIR NAME=VALUE...    change main.cf and restart
#   postfix.sh stop DIR
#
# start writes DIR/conf/main.cf and DIR/conf/master.cf and starts
# "postfix -c DIR/conf", with the queue in DIR/queue.  Both smtpd ports
# listen on 127.0.0.1 and hand every message to the milter at
# inet:127.0.0.1:MILTER_PORT, as does mail injected with
# "sendmail -C DIR/conf".  Use "postqueue -c DIR/conf" to list the queue.
# SUBMIT_PORT relays for 127.0.0.1 only (mynetworks).  MX_PORT accepts any
# recipient from any client, as an MX does.  A client
# at 127.0.0.3 may send XCLIENT, for example to pose as another address or
# as an SMTP AUTH user (LOGIN=), which reaches the milter as {auth_authen}.
# DEFAULT_ACTION sets milter_default_action (default: tempfail).
#
# No message leaves the instance.  Every recipient goes to the "capture"
# pipe transport, which writes the message as Postfix delivers it (LF line
# ends, no added envelope lines) to DIR/mail/QUEUE_ID.  QUEUE_ID is the id
# in smtpd's "250 2.0.0 Ok: queued as" reply.  DNS is never used, because
# smtp_dns_support_level = disabled and peer name lookups are off.
# The log is DIR/maillog.  Must run as root (a private config directory
# with "postfix -c" needs no alternate_config_directories entry then).
#
# DIAGNOSTICS: errors go to stderr, prefixed "postfix.sh:", with the tail
# of DIR/maillog when Postfix itself failed.  Exit 0 on success, 1 on error.

set -u
lib=$(dirname "$0")
. "$lib/proc.sh"

die() {
    echo "postfix.sh: $*" >&2
    exit 1
}

# Write main.cf.  The milter macros are the ones signetd reads: the client
# address comes with the connect call itself, {auth_authen} (SMTP AUTH
# user) decides signing, and "i" (queue id) leads every log line.
postfix_write_main_cf() {
    cat >"$conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
syslog_name = postfix-test

myhostname = mx.signet.test
mydomain = signet.test
myorigin = \$myhostname
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
smtpd_authorized_xclient_hosts = 127.0.0.3
biff = no

smtpd_peername_lookup = no
smtp_dns_support_level = disabled
transport_maps = static:capture:
capture_destination_recipient_limit = 1
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
mx_relay_restrictions = check_recipient_access static:OK, reject_unauth_destination

smtpd_milters = inet:127.0.0.1:$milter_port
non_smtpd_milters = \$smtpd_milters
milter_default_action = $default_action
milter_protocol = 6
milter_connect_timeout = 5s
milter_command_timeout = 20s
milter_connect_macros = j {daemon_name} {daemon_addr} {client_addr} {client_name} v _
milter_mail_macros = i {auth_type} {auth_authen} {auth_author} {mail_addr}
milter_end_of_header_macros = i
milter_end_of_data_macros = i
EOF
}

# Write master.cf: no service is chrooted, so the milter socket and the
# capture directory are seen under their real paths.
postfix_write_master_cf() {
    cat >"$conf/master.cf" <<EOF
127.0.0.1:$submit_port inet n - n - - smtpd -o syslog_name=postfix-test/submission
127.0.0.1:$mx_port inet n - n - - smtpd -o syslog_name=postfix-test/mx -o smtpd_relay_restrictions=\$mx_relay_restrictions
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
capture   unix  - n n -  - pipe user=nobody argv=$dir/capture.sh $dir/mail/\${queue_id}
EOF

    # Write under a temporary name first so that a reader polling
    # DIR/mail never reads half a message.
    printf '%s\n' '#!/bin/sh' 'umask 022' \
        'cat >"$1.tmp" && mv "$1.tmp" "$1"' >"$dir/capture.sh"
    chmod 0755 "$dir/capture.sh"
}

postfix_master_pid() {
    cat "$dir/queue/pid/master.pid" 2>/dev/null | tr -d ' '
}

postfix_start() {
    [ "$(id -u)" = 0 ] || die "must run as root: postfix -c with a private config directory needs it"
    mkdir -p "$conf" "$dir/mail" "$dir/queue" "$dir/data" || die "cannot create directories in $dir"
    chown postfix "$dir/data" || die "cannot give $dir/data to user postfix"
    chmod 0755 "$dir"
    chown nobody "$dir/mail" || die "cannot give $dir/mail to user nobody"
    postfix_write_main_cf
    postfix_write_master_cf

    if ! postfix -c "$conf" start >"$dir/start.out" 2>&1; then
        cat "$dir/start.out" >&2
        tail -n 20 "$dir/maillog" >&2 2>/dev/null
        die "postfix -c $dir start failed"
    fi
    for port in "$submit_port" "$mx_port"; do
        proc_wait_listen "$port" 15 && continue
        tail -n 20 "$dir/maillog" >&2 2>/dev/null
        die "smtpd on 127.0.0.1:$port not listening after 15 s"
    done
}

# postfix reload returns before the change reaches running processes, and
# an smtpd that is already running keeps the old settings until it exits.
# A stop and start makes every process read the new main.cf.
postfix_set() {
    postconf -c "$conf" -e "$@" || die "postconf -e $* failed"
    postfix -c "$conf" stop >/dev/null 2>&1
    postfix_wait_master_gone
    postfix -c "$conf" start >"$dir/start.out" 2>&1 || {
        cat "$dir/start.out" >&2
        die "postfix -c $dir start failed after changing $*"
    }
    ports=$(awk '/^127\.0\.0\.1:/ { split($1, a, ":"); print a[2] }' "$conf/master.cf")
    for port in $ports; do
        proc_wait_listen "$port" 15 || die "smtpd on 127.0.0.1:$port not listening after restart"
    done
}

postfix_wait_master_gone() {
    pid=$(postfix_master_pid)
    [ -n "$pid" ] || return 0
    proc_stop "$pid" master 15
}

postfix_stop() {
    [ -f "$conf/main.cf" ] || return 0
    pid=$(postfix_master_pid)
    postfix -c "$conf" stop >/dev/null 2>&1
    [ -n "$pid" ] && proc_stop "$pid" master 15
    return 0
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: postfix.sh start|set|stop DIR ..."
case "$dir" in /*) ;; *) dir=$(pwd)/$dir ;; esac
conf=$dir/conf

case "$cmd" in
start)
    [ $# -ge 5 ] || die "usage: postfix.sh start DIR SUBMIT_PORT MX_PORT MILTER_PORT [DEFAULT_ACTION]"
    submit_port=$3 mx_port=$4 milter_port=$5 default_action=${6:-tempfail}
    postfix_start
    ;;
set)
    shift 2
    [ $# -ge 1 ] || die "usage: postfix.sh set DIR NAME=VALUE..."
    postfix_set "$@"
    ;;
stop)
    postfix_stop
    ;;
*)
    die "unknown command '$cmd' (expected start, set or stop)"
    ;;
esac
