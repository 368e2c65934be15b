/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.h - signetd's logging: syslog always, and a copy on stderr when the
 * daemon runs in the foreground.
 *
 * Lines follow one format: an id first (the MTA queue id, or a connection
 * id before the MTA has assigned one), then key=value facts.  Strings that
 * come from a message go through log_escape first.
 *
 * DIAGNOSTICS: logging never fails as a call; a write error on stderr is
 * ignored because syslog still has the line.
 */
#ifndef SIGNET_DAEMON_LOG_H
#define SIGNET_DAEMON_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

/* Open syslog with a LOG_* facility (config_syslog_facility gives the
 * configured one).  With foreground, lines are copied to stderr unless
 * stderr is connected to the systemd journal. */
void log_open(int facility, bool foreground);

/* Change the facility after a configuration reload. */
void log_set_facility(int facility);

/* Turn LOG_DEBUG lines on or off (the log_verbose setting). */
void log_set_verbose(bool verbose);
bool log_verbose(void);

void log_msg(int priority, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Copy at most max_in bytes of in into out (size outsize, NUL-terminated),
 * replacing every byte outside printable ASCII, and '"' and '\\', with
 * \xHH.  The output ends with "..." when input was cut. Returns out. */
char *log_escape(const char *in, size_t max_in, char *out, size_t outsize);

#endif
