/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sockspec.h - the milter socket named by the socket setting:
 * "inet:PORT@HOST", "inet6:PORT@[HOST]" or "unix:PATH" ("local:PATH" is
 * accepted as a synonym).
 *
 * DIAGNOSTICS: functions return -1 and write a reason into err.
 */
#ifndef SIGNET_DAEMON_SOCKSPEC_H
#define SIGNET_DAEMON_SOCKSPEC_H

#include <stdbool.h>
#include <stddef.h>

struct sockspec {
    char conn[300];      /* the form libmilter's smfi_setconn takes */
    const char *path;    /* points into conn for unix sockets, else NULL */
};

int sockspec_parse(const char *text, struct sockspec *spec, char *err,
                   size_t errlen);

/* For a unix socket: remove a stale socket file left by a dead signetd.
 * Fails when the path exists and is not a socket, or when a process is
 * still accepting connections on it. */
int sockspec_clear_stale(const struct sockspec *spec, char *err,
                         size_t errlen);

/* Turn on TCP_NODELAY on every listening TCP socket of the process (the
 * one libmilter opened) so that accepted connections inherit it.  Returns
 * how many sockets were changed. */
int sockspec_nodelay_listeners(void);

#endif
