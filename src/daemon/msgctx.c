/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msgctx.c - per-message state for signetd.
 *
 * Public: msgctx_new, msgctx_free, msgctx_fail, msgctx_header,
 * msgctx_set_queue_id, msgctx_in_progress.
 *
 * DIAGNOSTICS: allocation failures and DKIM core errors become the
 * message's error (msgctx_fail); nothing is logged here.
 */
#include "config.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon/authres.h"
#include "daemon/msgctx.h"

static atomic_ulong msgctx_count;

unsigned long
msgctx_in_progress(void)
{
    return atomic_load(&msgctx_count);
}

struct msgctx *
msgctx_new(struct snapshot *snap)
{
    const struct config *conf = snap->conf;
    struct dkim_limits limits = { 0 };
    struct msgctx *msg;

    msg = calloc(1, sizeof(*msg));
    if (msg == NULL) {
        snapshot_release(snap);
        return NULL;
    }
    msg->snap = snap;
    atomic_fetch_add(&msgctx_count, 1);

    limits.max_header_bytes = conf->max_header_bytes;
    limits.max_signatures = conf->max_signatures;
    msg->dkim = dkim_msg_new(&limits);
    if (msg->dkim == NULL) {
        msgctx_free(msg);
        return NULL;
    }
    return msg;
}

void
msgctx_free(struct msgctx *msg)
{
    if (msg == NULL)
        return;
    dkim_msg_free(msg->dkim);
    free(msg->from);
    free(msg->ar_ours);
    snapshot_release(msg->snap);
    free(msg);
    atomic_fetch_sub(&msgctx_count, 1);
}

void
msgctx_fail(struct msgctx *msg, enum dkim_stat stat, const char *fmt, ...)
{
    va_list ap;

    if (msgctx_failed(msg))
        return;
    msg->error = stat == DKIM_OK ? DKIM_EINVAL : stat;
    va_start(ap, fmt);
    vsnprintf(msg->error_reason, sizeof(msg->error_reason), fmt, ap);
    va_end(ap);
}

void
msgctx_set_queue_id(struct msgctx *msg, const char *queue_id)
{
    if (queue_id == NULL || queue_id[0] == '\0' || msg->queue_id[0] != '\0')
        return;
    snprintf(msg->queue_id, sizeof(msg->queue_id), "%s", queue_id);
}

static void
msgctx_remember_from(struct msgctx *msg, const char *value, size_t len)
{
    msg->from_count++;
    if (msg->from != NULL)
        return;
    msg->from = malloc(len + 1);
    if (msg->from == NULL) {
        msgctx_fail(msg, DKIM_ENOMEM, "out of memory keeping the From field");
        return;
    }
    memcpy(msg->from, value, len + 1);
    msg->from_len = len;
}

static void
msgctx_remember_ar(struct msgctx *msg, const char *value, size_t len)
{
    unsigned *grown;
    unsigned cap;

    msg->ar_count++;
    if (!authres_claims_id(value, len, msg->snap->conf->authserv_id))
        return;
    if (msg->ar_ours_count == msg->ar_ours_cap) {
        cap = msg->ar_ours_cap == 0 ? 4 : msg->ar_ours_cap * 2;
        grown = realloc(msg->ar_ours, cap * sizeof(*grown));
        if (grown == NULL) {
            msgctx_fail(msg, DKIM_ENOMEM,
                        "out of memory recording Authentication-Results");
            return;
        }
        msg->ar_ours = grown;
        msg->ar_ours_cap = cap;
    }
    msg->ar_ours[msg->ar_ours_count++] = msg->ar_count;
}

void
msgctx_header(struct msgctx *msg, const char *name, const char *value)
{
    size_t name_len = strlen(name), value_len = strlen(value);
    enum dkim_stat st;

    if (msgctx_failed(msg))
        return;

    /* The header count is bounded by the core's max_headers, so the index
     * list below cannot outgrow it.
     * TODO: a message that will be neither signed nor verified (mode "s",
     * external client) is still collected, so it too is deferred by the
     * header caps; the decision could be made at MAIL FROM instead. */
    st = dkim_msg_header(msg->dkim, name, name_len, value, value_len);
    if (st != DKIM_OK) {
        msgctx_fail(msg, st, "header field %.40s: %s%s", name,
                    dkim_stat_name(st),
                    st == DKIM_ELIMIT ? " (header size or count cap)" : "");
        return;
    }

    if (strcasecmp(name, "From") == 0)
        msgctx_remember_from(msg, value, value_len);
    else if (strcasecmp(name, "Authentication-Results") == 0)
        msgctx_remember_ar(msg, value, value_len);
}
