/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter.c - the libmilter callbacks of signetd.  Each one fetches its
 * context, checks that a message is in progress and has not failed, and
 * calls the DKIM core or the decision code.  The end-of-message work is
 * in eom.c.
 *
 * Public: milter_register.
 *
 * Protocol: the filter requests header values with their leading space
 * (SMFIP_HDR_LEADSPC, needed for simple header canonicalization).  It
 * requests no replies to connect, MAIL, header, end-of-header and body
 * (SMFIP_NR_*), and skips HELO, RCPT, DATA and unknown commands.  Flags the
 * MTA does not offer are left out.  Because the MTA ignores the return
 * value of a no-reply callback, those callbacks never fail the message
 * there.  They store the error in the message context (msgctx_fail), and
 * xxfi_eom turns it into the on_internal_error action.
 *
 * DIAGNOSTICS: an MTA that cannot add and change headers is rejected at
 * negotiation with an error log line.  A message that could not be
 * allocated is tempfailed at end of message.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/decide.h"
#include "daemon/log.h"
#include "daemon/milter.h"

#define MILTER_ACTIONS_REQUIRED (SMFIF_ADDHDRS | SMFIF_CHGHDRS)

#define MILTER_STEPS_REQUESTED                                               \
    (SMFIP_HDR_LEADSPC | SMFIP_NR_CONN | SMFIP_NR_MAIL | SMFIP_NR_HDR |      \
     SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_NOHELO | SMFIP_NORCPT |            \
     SMFIP_NOUNKNOWN | SMFIP_NODATA)

static atomic_ulong milter_conn_counter;


static struct conn *
milter_conn(SMFICTX *ctx)
{
    return smfi_getpriv(ctx);
}

static struct conn *
milter_conn_new(SMFICTX *ctx, unsigned long steps)
{
    struct conn *conn = calloc(1, sizeof(*conn));

    if (conn == NULL) {
        log_msg(LOG_ERR, "out of memory for a new connection; rejecting it");
        return NULL;
    }
    conn->id = atomic_fetch_add(&milter_conn_counter, 1) + 1;
    conn->steps = steps;
    smfi_setpriv(ctx, conn);
    return conn;
}

/* The return value for a callback that always continues: SMFIS_NOREPLY
 * when the no-reply flag for that step was negotiated. */
static sfsistat
milter_continue(const struct conn *conn, unsigned long nr_flag)
{
    if (conn != NULL && (conn->steps & nr_flag) != 0)
        return SMFIS_NOREPLY;
    return SMFIS_CONTINUE;
}

static void
milter_fetch_queue_id(SMFICTX *ctx, struct msgctx *msg)
{
    if (msg->queue_id[0] == '\0')
        msgctx_set_queue_id(msg, smfi_getsymval(ctx, "i"));
}

static sfsistat
milter_negotiate(SMFICTX *ctx, unsigned long actions, unsigned long steps,
                 unsigned long unused2, unsigned long unused3,
                 unsigned long *want_actions, unsigned long *want_steps,
                 unsigned long *want2, unsigned long *want3)
{
    struct conn *conn;

    (void)unused2;
    (void)unused3;
    if ((actions & MILTER_ACTIONS_REQUIRED) != MILTER_ACTIONS_REQUIRED) {
        log_msg(LOG_ERR, "MTA does not offer header insertion and change "
                         "(actions 0x%lx); rejecting the connection",
                actions);
        return SMFIS_REJECT;
    }
    conn = milter_conn_new(ctx, steps & MILTER_STEPS_REQUESTED);
    if (conn == NULL)
        return SMFIS_REJECT;

    *want_actions = actions & (MILTER_ACTIONS_REQUIRED | SMFIF_QUARANTINE);
    *want_steps = conn->steps;
    *want2 = 0;
    *want3 = 0;
    if ((conn->steps & SMFIP_HDR_LEADSPC) == 0)
        log_msg(LOG_DEBUG, "conn%lu: MTA does not offer header leading "
                           "space; assuming one space after each colon",
                conn->id);
    return SMFIS_CONTINUE;
}

static sfsistat
milter_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *addr)
{
    struct conn *conn = milter_conn(ctx);

    (void)hostname;
    if (conn == NULL) {
        /* An MTA older than milter protocol 6 skips xxfi_negotiate. */
        conn = milter_conn_new(ctx, 0);
        if (conn == NULL)
            return SMFIS_TEMPFAIL;
    }
    conn->have_addr = false;
    if (addr != NULL && (addr->sa_family == AF_INET ||
                         addr->sa_family == AF_INET6)) {
        size_t len = addr->sa_family == AF_INET ? sizeof(struct sockaddr_in)
                                                : sizeof(struct sockaddr_in6);
        memcpy(&conn->addr, addr, len);
        conn->have_addr = true;
    }
    return milter_continue(conn, SMFIP_NR_CONN);
}

static sfsistat
milter_envfrom(SMFICTX *ctx, char **argv)
{
    struct conn *conn = milter_conn(ctx);
    struct snapshot *snap;
    const char *auth;

    (void)argv;
    if (conn == NULL)
        return SMFIS_TEMPFAIL;
    msgctx_free(conn->msg);
    conn->msg = NULL;

    snap = snapshot_acquire();
    if (snap == NULL)
        return milter_continue(conn, SMFIP_NR_MAIL);
    conn->msg = msgctx_new(snap);
    if (conn->msg == NULL) {
        log_msg(LOG_ERR, "conn%lu: out of memory for a new message",
                conn->id);
        return milter_continue(conn, SMFIP_NR_MAIL);
    }

    auth = smfi_getsymval(ctx, "{auth_authen}");
    conn->msg->authenticated = auth != NULL && auth[0] != '\0';
    milter_fetch_queue_id(ctx, conn->msg);
    return milter_continue(conn, SMFIP_NR_MAIL);
}

static sfsistat
milter_header(SMFICTX *ctx, char *name, char *value)
{
    struct conn *conn = milter_conn(ctx);
    size_t len;
    char *spaced;

    if (conn == NULL || conn->msg == NULL)
        return milter_continue(conn, SMFIP_NR_HDR);
    if ((conn->steps & SMFIP_HDR_LEADSPC) != 0 || value[0] == ' ' ||
        value[0] == '\t') {
        msgctx_header(conn->msg, name, value);
        return milter_continue(conn, SMFIP_NR_HDR);
    }

    /* Without SMFIP_HDR_LEADSPC the MTA strips one space after the colon;
     * put it back so that simple canonicalization gets the usual form.
     * NOTE: a field sent with no space after the colon then gains one, and
     * its simple-canonicalized signature fails to verify.  No test covers
     * this path: Postfix 3.x and miltertest both offer the option. */
    len = strlen(value);
    spaced = malloc(len + 2);
    if (spaced == NULL) {
        msgctx_fail(conn->msg, DKIM_ENOMEM, "out of memory in header %.40s",
                    name);
        return milter_continue(conn, SMFIP_NR_HDR);
    }
    spaced[0] = ' ';
    memcpy(spaced + 1, value, len + 1);
    msgctx_header(conn->msg, name, spaced);
    free(spaced);
    return milter_continue(conn, SMFIP_NR_HDR);
}

/* Log why the message is signed, verified or passed (debug only). */
static void
milter_log_decision(const struct conn *conn, const struct msgctx *msg,
                    const char *why)
{
    log_msg(LOG_DEBUG, "%s: conn%lu decision=%s why=\"%s\"",
            msg->queue_id[0] != '\0' ? msg->queue_id : "NOQUEUE", conn->id,
            decide_mode_name(msg->mode), why);
}

static void
milter_add_signers(struct msgctx *msg)
{
    const struct config *conf = msg->snap->conf;
    const struct config_signing_rule *rule = msg->rule;
    struct dkim_sign_params params;
    enum dkim_stat st;
    unsigned i;

    for (i = 0; i < rule->key_count && !msgctx_failed(msg); i++) {
        const struct config_key *key = rule->keys[i];

        memset(&params, 0, sizeof(params));
        params.key = key->key;
        params.domain = key->domain;
        params.selector = key->selector;
        params.header_canon = conf->header_canon;
        params.body_canon = conf->body_canon;
        params.headers = (const char *const *)conf->sign_headers;
        params.oversign = (const char *const *)conf->oversign_headers;
        params.body_length = conf->body_length;
        params.expire_after = conf->signature_expire;
        st = dkim_msg_add_signer(msg->dkim, &params);
        if (st != DKIM_OK)
            msgctx_fail(msg, st, "adding signer key=%s failed: %s", key->id,
                        dkim_stat_name(st));
    }
}

static sfsistat
milter_eoh(SMFICTX *ctx)
{
    struct conn *conn = milter_conn(ctx);
    struct msgctx *msg = conn != NULL ? conn->msg : NULL;
    struct decide_input in = { 0 };
    char why[200];
    enum dkim_stat st;

    if (msg == NULL || msgctx_failed(msg))
        return milter_continue(conn, SMFIP_NR_EOH);
    milter_fetch_queue_id(ctx, msg);

    in.client = conn->have_addr ? (const struct sockaddr *)&conn->addr : NULL;
    in.authenticated = msg->authenticated;
    in.from = msg->from;
    in.from_len = msg->from_len;
    in.from_count = msg->from_count;
    msg->mode = decide_message(msg->snap->conf, &in, &msg->rule, why,
                               sizeof(why));
    milter_log_decision(conn, msg, why);

    if (msg->mode == DECIDE_SIGN)
        milter_add_signers(msg);
    if (msg->mode != DECIDE_PASS && !msgctx_failed(msg)) {
        st = dkim_msg_eoh(msg->dkim, msg->mode == DECIDE_VERIFY);
        if (st != DKIM_OK)
            msgctx_fail(msg, st, "end of header failed: %s",
                        dkim_stat_name(st));
    }
    return milter_continue(conn, SMFIP_NR_EOH);
}

static sfsistat
milter_body(SMFICTX *ctx, unsigned char *data, size_t len)
{
    struct conn *conn = milter_conn(ctx);
    struct msgctx *msg = conn != NULL ? conn->msg : NULL;
    enum dkim_stat st;

    if (msg == NULL || msgctx_failed(msg) || msg->mode == DECIDE_PASS)
        return milter_continue(conn, SMFIP_NR_BODY);
    st = dkim_msg_body(msg->dkim, data, len);
    if (st != DKIM_OK)
        msgctx_fail(msg, st, "body: %s", dkim_stat_name(st));
    return milter_continue(conn, SMFIP_NR_BODY);
}

static sfsistat
milter_eom(SMFICTX *ctx)
{
    struct conn *conn = milter_conn(ctx);
    sfsistat reply;

    if (conn == NULL)
        return SMFIS_TEMPFAIL;
    if (conn->msg == NULL) {
        log_msg(LOG_ERR, "conn%lu: no message state at end of message "
                         "(out of memory or no configuration); tempfailing",
                conn->id);
        return SMFIS_TEMPFAIL;
    }
    milter_fetch_queue_id(ctx, conn->msg);
    reply = eom_finish(ctx, conn, conn->msg);

    msgctx_free(conn->msg);
    conn->msg = NULL;
    return reply;
}

static sfsistat
milter_abort(SMFICTX *ctx)
{
    struct conn *conn = milter_conn(ctx);

    if (conn != NULL) {
        msgctx_free(conn->msg);
        conn->msg = NULL;
    }
    return SMFIS_CONTINUE;
}

static sfsistat
milter_close(SMFICTX *ctx)
{
    struct conn *conn = milter_conn(ctx);

    if (conn != NULL) {
        msgctx_free(conn->msg);
        free(conn);
        smfi_setpriv(ctx, NULL);
    }
    return SMFIS_CONTINUE;
}

int
milter_register(void)
{
    static struct smfiDesc desc = {
        .xxfi_name = "signet",
        .xxfi_version = SMFI_VERSION,
        .xxfi_flags = MILTER_ACTIONS_REQUIRED | SMFIF_QUARANTINE,
        .xxfi_connect = milter_connect,
        .xxfi_envfrom = milter_envfrom,
        .xxfi_header = milter_header,
        .xxfi_eoh = milter_eoh,
        .xxfi_body = milter_body,
        .xxfi_eom = milter_eom,
        .xxfi_abort = milter_abort,
        .xxfi_close = milter_close,
        .xxfi_negotiate = milter_negotiate,
    };

    return smfi_register(desc) == MI_SUCCESS ? 0 : -1;
}
