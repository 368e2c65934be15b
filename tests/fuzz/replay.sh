#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# replay.sh - run every fuzz target over its seed corpus, one TAP line per
# target.  With FUZZ_SECONDS set and targets built with --enable-fuzzing,
# also fuzz each target for that many seconds (CI does this).

set -u
build=${SIGNET_BUILDDIR:-.}
src=${SIGNET_SRCDIR:-.}
n=0
lsan_options=${LSAN_OPTIONS:-}
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

for target in "$build"/tests/fuzz/fuzz_*; do
    [ -x "$target" ] || continue
    case "$target" in *.c|*.o) continue ;; esac
    name=${target##*/fuzz_}
    seeds="$src/tests/fuzz/corpus/$name"
    n=$((n + 1))

    # Leaks in a third-party library that a target cannot avoid are listed
    # in lsan-NAME.supp next to this script.
    supp="$src/tests/fuzz/lsan-$name.supp"
    if [ -f "$supp" ]; then
        LSAN_OPTIONS="${lsan_options:+$lsan_options:}print_suppressions=0"
        LSAN_OPTIONS="$LSAN_OPTIONS:suppressions=$supp"
    else
        LSAN_OPTIONS=$lsan_options
    fi
    export LSAN_OPTIONS

    if [ ! -d "$seeds" ] || [ -z "$(ls -A "$seeds")" ]; then
        echo "not ok $n - fuzz $name: no seed corpus in $seeds"
        continue
    fi
    if "$target" "$seeds"/* >/dev/null 2>"$work/$name.err"; then
        echo "ok $n - fuzz $name replays $(ls "$seeds" | wc -l | tr -d ' ') seeds"
    else
        echo "not ok $n - fuzz $name crashed on a seed"
        sed 's/^/# /' "$work/$name.err" | head -n 30
    fi

    if [ -n "${FUZZ_SECONDS:-}" ] && "$target" -help=1 >/dev/null 2>&1; then
        n=$((n + 1))
        corpus=$work/corpus-$name
        mkdir "$corpus"
        cp "$seeds"/* "$corpus"/
        if "$target" -max_total_time="$FUZZ_SECONDS" -max_len=65536 \
            -artifact_prefix="$work/" "$corpus" >"$work/$name.log" 2>&1; then
            echo "ok $n - fuzz $name for ${FUZZ_SECONDS}s"
        else
            echo "not ok $n - fuzz $name for ${FUZZ_SECONDS}s found a crash"
            tail -n 40 "$work/$name.log" | sed 's/^/# /'
            # The input that crashed, as hex, so it survives the cleanup.
            for artifact in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
                [ -f "$artifact" ] || continue
                echo "# artifact ${artifact##*/}:"
                od -An -tx1 "$artifact" | head -n 20 | sed 's/^/#  /'
            done
        fi
    fi
done

[ "$n" -gt 0 ] || echo "not ok 1 - no fuzz targets were built"
