/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msgctx.h - the state of one message as it passes through the milter:
 * the configuration snapshot it started with, the DKIM core handle, the
 * decision, the first error, and what the header callbacks remembered.
 *
 * Errors follow one rule: the first failure is stored with its reason and
 * every later step checks msgctx_failed and skips its work, so the
 * end-of-message handler decides the reply once.
 *
 * DIAGNOSTICS: msgctx_new returns NULL when out of memory; msgctx_header
 * records a failure in the context instead of returning one.
 */
#ifndef SIGNET_DAEMON_MSGCTX_H
#define SIGNET_DAEMON_MSGCTX_H

#include <stdbool.h>
#include <stddef.h>

#include "daemon/decide.h"
#include "daemon/snapshot.h"
#include "dkim/dkim.h"

struct msgctx {
    struct snapshot *snap; /* reference held until msgctx_free */
    struct dkim_msg *dkim;
    enum decide_mode mode;
    const struct config_signing_rule *rule; /* DECIDE_SIGN only */

    enum dkim_stat error; /* DKIM_OK until the first failure */
    char error_reason[192];

    char queue_id[32];
    bool authenticated;

    char *from; /* first From value as received */
    size_t from_len;
    unsigned from_count;

    /* 1-based indices, among all Authentication-Results fields, of those
     * that claim our authserv-id. */
    unsigned ar_count;
    unsigned *ar_ours;
    unsigned ar_ours_count, ar_ours_cap;
};

/* Start a message; takes over the caller's reference to snap. */
struct msgctx *msgctx_new(struct snapshot *snap);
void msgctx_free(struct msgctx *msg);

/* Record the first failure; later calls keep the first one. */
void msgctx_fail(struct msgctx *msg, enum dkim_stat stat, const char *fmt,
                 ...) __attribute__((format(printf, 3, 4)));

static inline bool
msgctx_failed(const struct msgctx *msg)
{
    return msg->error != DKIM_OK;
}

/* Pass one header field to the core and remember From and our
 * Authentication-Results fields. */
void msgctx_header(struct msgctx *msg, const char *name, const char *value);

/* Messages started and not yet freed, in all threads. */
unsigned long msgctx_in_progress(void);

/* Set the queue id once a non-empty value is known. */
void msgctx_set_queue_id(struct msgctx *msg, const char *queue_id);

#endif
