/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * status.h - the status codes every function of the DKIM core returns.
 */
#ifndef SIGNET_DKIM_STATUS_H
#define SIGNET_DKIM_STATUS_H

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

#endif
