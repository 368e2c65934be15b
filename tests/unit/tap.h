/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tap.h - the minimal TAP output every Signet test program writes, read by
 * tests/run-tests: "ok N - name", "not ok N - name" and
 * "ok N - name # SKIP reason".  A program exits 1 when any check failed.
 *
 * Use TAP_CHECK(cond, "name %d", i) for one check and tap_done() at the end
 * of main.
 */
#ifndef SIGNET_TESTS_TAP_H
#define SIGNET_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_count, tap_failed;

static void tap_result(int passed, const char *file, int line,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5), unused));

static void
tap_result(int passed, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    printf("%sok %d - ", passed ? "" : "not ", ++tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!passed) {
        printf("#   failed at %s:%d\n", file, line);
        tap_failed++;
    }
    fflush(stdout);
}

static void tap_skip(const char *name, const char *reason)
    __attribute__((unused));

static void
tap_skip(const char *name, const char *reason)
{
    printf("ok %d - %s # SKIP %s\n", ++tap_count, name, reason);
    fflush(stdout);
}

static int tap_done(void) __attribute__((unused));

static int
tap_done(void)
{
    return tap_failed ? 1 : 0;
}

#define TAP_CHECK(cond, ...) tap_result(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#endif
