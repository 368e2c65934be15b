/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter.h - signetd's libmilter callbacks and their registration.
 *
 * DIAGNOSTICS: milter_register returns -1 when libmilter refuses the
 * filter description.
 */
#ifndef SIGNET_DAEMON_MILTER_H
#define SIGNET_DAEMON_MILTER_H

#include <stdbool.h>
#include <sys/socket.h>

#include <libmilter/mfapi.h>

#include "daemon/msgctx.h"

/* Per-connection state, stored with smfi_setpriv. */
struct conn {
    unsigned long id;             /* for log lines before a queue id */
    unsigned long steps;          /* SMFIP_* protocol flags negotiated */
    struct sockaddr_storage addr; /* client address, if have_addr */
    bool have_addr;
    struct msgctx *msg;           /* the message in progress, or NULL */
};

int milter_register(void);

/* End of message: sign or verify, change headers, log, and return the
 * reply (eom.c). */
sfsistat eom_finish(SMFICTX *ctx, struct conn *conn, struct msgctx *msg);

#endif
