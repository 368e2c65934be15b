/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.c - syslog plus an optional stderr copy for signetd.
 *
 * Public: log_open, log_set_facility, log_set_verbose, log_verbose,
 * log_msg, log_escape.
 *
 * Under systemd the unit runs signetd with -f so that it can be
 * Type=notify without forking.  journald then reads both syslog and
 * stderr, which would store every line twice.  log_open therefore drops
 * the stderr copy when JOURNAL_STREAM names the file that stderr is
 * (systemd.exec(5): "device:inode" of the stream connected to the journal).
 *
 * DIAGNOSTICS: none; a failed write to stderr is ignored.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon/log.h"

static bool log_to_stderr;
static atomic_bool log_debug_on;

/* True when stderr is the stream that systemd connected to the journal. */
static bool
log_stderr_is_journal(void)
{
    const char *env = getenv("JOURNAL_STREAM");
    uintmax_t dev, ino;
    struct stat st;

    if (env == NULL || sscanf(env, "%ju:%ju", &dev, &ino) != 2)
        return false;
    if (fstat(2, &st) != 0)
        return false;
    return (uintmax_t)st.st_dev == dev && (uintmax_t)st.st_ino == ino;
}

void
log_open(int facility, bool foreground)
{
    openlog("signetd", LOG_PID | LOG_NDELAY, facility);
    log_to_stderr = foreground && !log_stderr_is_journal();
}

void
log_set_facility(int facility)
{
    closelog();
    openlog("signetd", LOG_PID | LOG_NDELAY, facility);
}

void
log_set_verbose(bool verbose)
{
    atomic_store(&log_debug_on, verbose);
}

bool
log_verbose(void)
{
    return atomic_load(&log_debug_on);
}

void
log_msg(int priority, const char *fmt, ...)
{
    char line[2048];
    va_list ap;

    if (priority == LOG_DEBUG && !log_verbose())
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);

    syslog(priority, "%s", line);
    if (log_to_stderr)
        fprintf(stderr, "signetd: %s\n", line);
}

char *
log_escape(const char *in, size_t max_in, char *out, size_t outsize)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;

    if (outsize < 8) {
        if (outsize > 0)
            out[0] = '\0';
        return out;
    }
    for (i = 0; in != NULL && in[i] != '\0'; i++) {
        unsigned char c = (unsigned char)in[i];
        bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        size_t need = plain ? 1 : 4;

        /* Keep room for "..." and the NUL in case the input goes on. */
        if (i >= max_in || o + need + 4 > outsize) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (plain) {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 0xf];
        }
    }
    out[o] = '\0';
    return out;
}
