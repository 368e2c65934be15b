/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * status.h - the status codes every function of the DKIM core returns.
 */
#ifndef SIGNET_DKIM_STATUS_H
#define SIGNET_DKIM_STATUS_H

#include <stdarg.h>
#include <stddef.h>

enum dkim_stat {
    DKIM_OK = 0,
    DKIM_ENOMEM,  /* an allocation failed */
    DKIM_ELIMIT,  /* a cap on sizes or counts was exceeded */
    DKIM_ESYNTAX, /* input does not follow the grammar */
    DKIM_EKEY,    /* a private or public key is unusable */
    DKIM_ECRYPTO, /* an OpenSSL call failed */
    DKIM_EIO,     /* a file could not be read or written */
    DKIM_EINVAL,  /* the caller broke the API contract */
};

/* A fixed lower-case word for each status, for log lines. */
const char *dkim_stat_name(enum dkim_stat stat);

/* Format a reason into err (errlen bytes); nothing when err is NULL or
 * errlen is 0.  The core's error paths share these. */
void dkim_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void dkim_verrf(char *err, size_t errlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
