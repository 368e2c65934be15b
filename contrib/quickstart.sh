#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# quickstart.sh - install, build and show or test Signet on Debian 12.
#
#   sh contrib/quickstart.sh demo   sign one message and verify it again
#   sh contrib/quickstart.sh test   run every test; the last line is the
#                                   summary "N passed, N failed[, N skipped]"
#
# Run as root from the top of a checkout.  Both commands first install the
# Debian packages that are missing, without letting any package start a
# system daemon, then run autoreconf, configure and make in build/NAME/.
# Everything the demo and the tests start (unbound, signetd, Postfix)
# listens on 127.0.0.1 only, lives under /tmp and is stopped at the end.
#
# Environment: FUZZ_SECONDS (default 20) is how long "test" fuzzes each
# libFuzzer target; JOBS (default: the number of CPUs) is passed to make -j.
#
# DIAGNOSTICS: every step prints a "==>" line first; a failed step prints
# its log's tail and makes the command exit non-zero.

set -u

root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
fuzz_seconds=${FUZZ_SECONDS:-20}

# Build and runtime packages, each checked with apt-cache policy on Debian
# 12: the toolchain and libraries for configure, clang's libFuzzer for
# --enable-fuzzing, and the programs the tests run (Postfix, swaks, unbound,
# dkimpy with dnspython and PyNaCl, OpenDKIM and miltertest, and for the
# DNSSEC tests ldnsutils and python3-cryptography, which sign test zones).
packages="build-essential autoconf automake pkg-config libmilter-dev
libssl-dev libconfig-dev libsystemd-dev libunbound-dev clang
libclang-rt-14-dev postfix swaks unbound python3-dkim python3-nacl
python3-dnspython python3-cryptography opendkim opendkim-tools miltertest
ldnsutils openssl procps iproute2"

step() {
    echo "==> $*"
}

die() {
    echo "quickstart: $*" >&2
    exit 1
}

# run LOG COMMAND...: run a step quietly; on failure print the log's tail.
run() {
    run_log=$1
    shift
    if "$@" >"$run_log" 2>&1; then
        return 0
    fi
    tail -n 40 "$run_log" | sed 's/^/    /'
    echo "quickstart: failed: $* (full log: $run_log)" >&2
    return 1
}

# --- install ----------------------------------------------------------------

missing_packages() {
    for pkg in $packages; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
        [ "$status" = "install ok installed" ] || echo "$pkg"
    done
}

# While a policy-rc.d that exits 101 exists, invoke-rc.d starts and
# restarts no service, so installing postfix, unbound or opendkim starts
# nothing.
# Postfix is preseeded to "No configuration": the demo and the tests use
# their own private instance and never touch /etc/postfix.
# NOTE: the apt-get branch below has not yet been run on a machine that
# lacks these packages; only the "all packages are installed" branch has.
install_packages() {
    need=$(missing_packages | tr '\n' ' ')
    if [ -z "$need" ]; then
        step "all packages are installed"
        return 0
    fi
    step "installing: $need"

    policy=/usr/sbin/policy-rc.d
    created_policy=no
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy"
        created_policy=yes
        trap 'rm -f "$policy"' EXIT
        trap 'exit 1' INT TERM HUP
    fi

    echo "postfix postfix/main_mailer_type select No configuration" |
        debconf-set-selections
    status=0
    DEBIAN_FRONTEND=noninteractive apt-get update -q || status=1
    if [ "$status" -eq 0 ]; then
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need || status=1
    fi

    if [ "$created_policy" = yes ]; then
        rm -f "$policy"
        trap - EXIT
    fi
    [ "$status" -eq 0 ] || die "apt-get failed; see the output above"
}

# --- build ------------------------------------------------------------------

autoreconf_once() {
    [ -x "$root/configure" ] && [ "$root/configure" -nt "$root/configure.ac" ] &&
        return 0
    step "autoreconf -fi"
    (cd "$root" && run "$root/build/autoreconf.log" autoreconf -fi)
}

# build NAME CONFIGURE_ARGS...: configure in build/NAME and run make,
# for the targets in $make_targets when set, else for all.
build() {
    build_name=$1
    shift
    dir=$root/build/$build_name
    mkdir -p "$dir"
    step "build $build_name: configure $*"
    (cd "$dir" && run "$dir/configure.out" "$root/configure" "$@") || return 1
    step "build $build_name: make -j$jobs ${make_targets:-all}"
    # shellcheck disable=SC2086
    (cd "$dir" && run "$dir/make.out" make -j"$jobs" ${make_targets:-all})
}

prepare() {
    [ "$(id -u)" = 0 ] || die "run as root (installing packages and running Postfix need it)"
    [ -f "$root/configure.ac" ] || die "$root is not a Signet checkout"
    install_packages
    mkdir -p "$root/build"
    autoreconf_once || die "autoreconf failed"
}

# --- demo -------------------------------------------------------------------

demo_cleanup() {
    [ -n "${demo_signetd:-}" ] && proc_stop "$demo_signetd" signetd 10
    sh "$root/tests/lib/postfix.sh" stop "$demo/postfix" 2>/dev/null
    sh "$root/tests/lib/unbound.sh" stop "$demo/dns" 2>/dev/null
    rm -rf "$demo"
}

# demo_wait_mail PATTERN: print the path of the delivered message with a
# line that matches the grep PATTERN, waiting up to 20 s.
demo_wait_mail() {
    tenths=200
    while [ "$tenths" -gt 0 ]; do
        file=$(grep -l "$1" "$demo/postfix/mail"/* 2>/dev/null | head -n 1)
        if [ -n "$file" ]; then
            echo "$file"
            return 0
        fi
        sleep 0.1
        tenths=$((tenths - 1))
    done
    tail -n 20 "$demo/postfix/maillog" >&2
    die "no message matching '$1' was delivered within 20 s"
}

demo_write_config() {
    cat >"$demo/signet.conf" <<EOF
// Sign mail from 127.0.0.1 whose From domain is example.com; verify the
// rest.  Keys are looked up only at the loopback DNS server below.
socket = "inet:$milter_port@127.0.0.1";
mode = "sv";
authserv_id = "mx.signet.test";
internal_hosts = [ "127.0.0.1" ];
keys = ( { id = "demo"; domain = "example.com"; selector = "demo";
           file = "$demo/keys/demo.example.com.pem"; } );
signing = ( { match = "example.com"; keys = [ "demo" ]; } );
dns = { nameservers = [ "127.0.0.1@$dns_port" ]; timeout = 5; };
EOF
}

demo_start() {
    bin=$root/build/demo
    demo=$(mktemp -d /tmp/signet-demo.XXXXXX) || die "mktemp failed"
    chmod 0755 "$demo"
    trap demo_cleanup EXIT
    trap 'exit 1' INT TERM HUP
    . "$root/tests/lib/proc.sh"
    dns_port=$(proc_free_port 10053)
    milter_port=$(proc_free_port 18891)
    submit_port=$(proc_free_port 10587)
    mx_port=$(proc_free_port $((submit_port + 1)))

    step "signet keygen --domain example.com --selector demo"
    mkdir -p "$demo/keys"
    "$bin/src/cli/signet" keygen --domain example.com --selector demo \
        --out "$demo/keys" || die "signet keygen failed"

    step "unbound on 127.0.0.1@$dns_port serving example.com"
    {
        printf '$ORIGIN example.com.\n$TTL 300\n'
        printf '@ IN SOA ns hostmaster 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.0.0.1\n'
        cat "$demo/keys/demo.example.com.txt"
    } >"$demo/example.com.zone"
    mkdir -p "$demo/dns"
    sh "$root/tests/lib/unbound.sh" start "$demo/dns" "$dns_port" \
        "example.com:$demo/example.com.zone" || die "unbound did not start"

    step "signetd on inet:$milter_port@127.0.0.1"
    demo_write_config
    "$bin/src/daemon/signetd" -c "$demo/signet.conf" -f 2>"$demo/signetd.log" &
    demo_signetd=$!
    proc_wait_listen "$milter_port" 15 || {
        cat "$demo/signetd.log" >&2
        die "signetd did not start"
    }

    step "Postfix: submission on 127.0.0.1:$submit_port, MX on 127.0.0.1:$mx_port"
    sh "$root/tests/lib/postfix.sh" start "$demo/postfix" "$submit_port" \
        "$mx_port" "$milter_port" tempfail || die "Postfix did not start"
}

demo() {
    prepare
    build demo || die "build failed"
    demo_start

    step "submit a message from 127.0.0.1 (an internal host): it is signed"
    swaks --server "127.0.0.1:$submit_port" --from alice@example.com \
        --to bob@example.net --header "Subject: Signet demo" \
        --body "Hello from the Signet demo." >"$demo/submit.swaks" 2>&1 ||
        { cat "$demo/submit.swaks"; die "submission failed"; }
    signed=$(demo_wait_mail "^Subject: Signet demo")
    echo "--- delivered message --------------------------------------------"
    cat "$signed"
    echo "------------------------------------------------------------------"

    step "send the signed message to the MX port from 127.0.0.2: it is verified"
    swaks --server "127.0.0.1:$mx_port" --local-interface 127.0.0.2 \
        --from alice@example.com --to bob@example.com \
        --data "@$signed" >"$demo/inbound.swaks" 2>&1 ||
        { cat "$demo/inbound.swaks"; die "delivery to the MX port failed"; }
    received=$(demo_wait_mail "^Authentication-Results:")
    echo "--- received message ---------------------------------------------"
    cat "$received"
    echo "------------------------------------------------------------------"
    step "signetd log"
    cat "$demo/signetd.log"
    step "done; stopping Postfix, signetd and unbound"
}

# --- test -------------------------------------------------------------------

passed=0 failed=0 skipped=0

# tally LOG: add the counts of the last "N passed, N failed[, N skipped]"
# line in LOG; a log without one counts as one failure.
tally() {
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$summary" ]; then
        failed=$((failed + 1))
        echo "    no summary line in $1"
        return
    fi
    set -- $summary
    passed=$((passed + $1)) failed=$((failed + $3))
    [ $# -ge 6 ] && skipped=$((skipped + $5))
}

# build_step NAME CONFIGURE_ARGS...: a build that counts as one test.
build_step() {
    if build "$@"; then
        passed=$((passed + 1))
        return 0
    fi
    failed=$((failed + 1))
    return 1
}

# The fuzz targets' names, read from the generated Makefile.
fuzz_targets() {
    printf 'print-fuzz-targets:\n\t@echo $(FUZZ_TARGETS)\n' |
        make -s -C "$1" -f Makefile -f - print-fuzz-targets
}

# Configure build/fuzz with clang and libFuzzer and build only the fuzz
# targets; the daemon and CLI are covered by the other builds.
build_fuzz() {
    dir=$root/build/fuzz
    mkdir -p "$dir"
    step "build fuzz: configure --enable-fuzzing CC=clang"
    (cd "$dir" && run "$dir/configure.out" "$root/configure" --enable-fuzzing CC=clang) ||
        return 1
    make_targets=$(fuzz_targets "$dir")
    [ -n "$make_targets" ] || { echo "    no FUZZ_TARGETS in $dir/Makefile"; return 1; }
    step "build fuzz: make -j$jobs $make_targets"
    # shellcheck disable=SC2086
    (cd "$dir" && run "$dir/make.out" make -j"$jobs" $make_targets)
}

test_suite() {
    # Keep the summary the last line even when the set-up fails.
    if ! (prepare); then
        echo "0 passed, 1 failed"
        return 1
    fi

    # Every test, under AddressSanitizer and UndefinedBehaviorSanitizer.
    if build_step asan --enable-sanitizers --enable-werror; then
        step "build asan: make -j$jobs check"
        (cd "$root/build/asan" && make -j"$jobs" check) 2>&1 | tee "$root/build/asan/check.out"
        tally "$root/build/asan/check.out"
    fi

    # A plain build: -Werror without sanitizers catches warnings that
    # only appear with optimization.
    build_step werror --enable-werror CFLAGS="-O2 -g"

    # libFuzzer targets, each fuzzed for FUZZ_SECONDS from its seeds.
    if build_fuzz; then
        passed=$((passed + 1))
        step "fuzz each target for ${fuzz_seconds}s"
        (cd "$dir" && SIGNET_BUILDDIR=$dir SIGNET_SRCDIR=$root \
            FUZZ_SECONDS=$fuzz_seconds TEST_LOG_DIR=$dir/tests/out \
            sh "$root/tests/run-tests" "$root/tests/fuzz/replay.sh") 2>&1 |
            tee "$dir/fuzz.out"
        tally "$dir/fuzz.out"
    else
        failed=$((failed + 1))
    fi

    if [ "$skipped" -gt 0 ]; then
        echo "$passed passed, $failed failed, $skipped skipped"
    else
        echo "$passed passed, $failed failed"
    fi
    [ "$failed" -eq 0 ]
}

case "${1:-}" in
demo) demo ;;
test) test_suite ;;
*)
    echo "usage: sh contrib/quickstart.sh demo|test" >&2
    exit 64
    ;;
esac
