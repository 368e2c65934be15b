/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * eom.c - end of message: finish the hashes, sign or verify, change the
 * header, write the one log line per message, and reply through
 * policy_reply.
 *
 * Public: eom_finish.
 *
 * Header positions: new fields go in at index 0.  Postfix (milter8.c,
 * 3.x) hides its own Received: field from the filter and counts insert
 * positions in the message as delivered, so index 0 puts our fields above
 * that Received: field, where they belong; Sendmail also treats 0 as the
 * top.  Deletions use the 1-based count among fields of the same name in
 * the message as received, which is how the header callbacks counted
 * them.  Forged Authentication-Results fields are deleted from the last
 * index to the first so that each deletion leaves the earlier indices
 * valid.
 *
 * DIAGNOSTICS: one info line per message, "QUEUEID: sign|verify|pass
 * action=..." with the signatures' d=, s=, a=, result and reason; a
 * failure becomes the on_internal_error action and an error line with
 * the reason.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "daemon/authres.h"
#include "daemon/log.h"
#include "daemon/milter.h"
#include "daemon/policy.h"

#define EOM_FIELD_MAX 16384 /* bytes of one generated header field */
#define EOM_LOG_MAX 1800    /* bytes of one log line's details */

static const char *
eom_queue_id(const struct msgctx *msg)
{
    return msg->queue_id[0] != '\0' ? msg->queue_id : "NOQUEUE";
}

/* With SMFIP_HDR_LEADSPC the value is sent as is.  Without it the MTA adds
 * one space after the colon itself, so ours must go. */
static char *
eom_field_value(const struct conn *conn, char *value)
{
    if ((conn->steps & SMFIP_HDR_LEADSPC) == 0 && value[0] == ' ')
        return value + 1;
    return value;
}

static int
eom_remove_forged_ar(SMFICTX *ctx, const struct msgctx *msg)
{
    unsigned i;

    for (i = msg->ar_ours_count; i-- > 0;) {
        if (smfi_chgheader(ctx, "Authentication-Results", msg->ar_ours[i],
                           NULL) != MI_SUCCESS) {
            log_msg(LOG_ERR, "%s: deleting Authentication-Results #%u "
                             "failed; tempfailing",
                    eom_queue_id(msg), msg->ar_ours[i]);
            return -1;
        }
        log_msg(LOG_DEBUG, "%s: deleted Authentication-Results #%u",
                eom_queue_id(msg), msg->ar_ours[i]);
    }
    if (msg->ar_ours_count > 0)
        log_msg(LOG_INFO, "%s: removed %u Authentication-Results field(s) "
                          "claiming authserv-id %s",
                eom_queue_id(msg), msg->ar_ours_count,
                msg->snap->conf->authserv_id);
    return 0;
}

/* Apply on_internal_error to a message whose error is set. */
static sfsistat
eom_internal_error(SMFICTX *ctx, struct msgctx *msg)
{
    const struct config_policy *policy;
    char reason[256];

    policy = policy_for(msg->snap->conf, POLICY_INTERNAL_ERROR);
    log_msg(LOG_ERR, "%s: %s action=%s error=%s reason=\"%s\"",
            eom_queue_id(msg), decide_mode_name(msg->mode),
            config_action_name(policy->action), dkim_stat_name(msg->error),
            log_escape(msg->error_reason, 200, reason, sizeof(reason)));
    if (policy_delivers(policy) && eom_remove_forged_ar(ctx, msg) != 0)
        return SMFIS_TEMPFAIL;
    return policy_reply(ctx, policy, eom_queue_id(msg),
                        policy_class_name(POLICY_INTERNAL_ERROR));
}

/* Append " key=ID d=D s=S a=ALG" for each signing key, for the log. */
static void
eom_describe_keys(const struct msgctx *msg, struct dkim_buf *line)
{
    const struct config_signing_rule *rule = msg->rule;
    unsigned i;

    for (i = 0; i < rule->key_count; i++) {
        const struct config_key *key = rule->keys[i];

        (void)dkim_buf_printf(line, " key=%s d=%s s=%s a=%s", key->id,
                              key->domain, key->selector,
                              dkim_alg_name(dkim_privkey_alg(key->key)));
    }
}

static sfsistat
eom_sign(SMFICTX *ctx, const struct conn *conn, struct msgctx *msg)
{
    struct dkim_buf field, line;
    time_t now = time(NULL);
    char err[256];
    enum dkim_stat st;
    unsigned i;

    dkim_buf_init(&field, EOM_FIELD_MAX);
    /* Insert the last signature first so the first one ends up on top. */
    for (i = msg->rule->key_count; i-- > 0 && !msgctx_failed(msg);) {
        dkim_buf_reset(&field);
        st = dkim_msg_sign(msg->dkim, i, now, "\n", &field, err, sizeof(err));
        if (st != DKIM_OK)
            msgctx_fail(msg, st, "signing with key=%s failed: %s",
                        msg->rule->keys[i]->id, err);
        else if (smfi_insheader(ctx, 0, "DKIM-Signature",
                                eom_field_value(conn, field.data)) !=
                 MI_SUCCESS)
            msgctx_fail(msg, DKIM_EIO, "inserting DKIM-Signature failed");
    }
    dkim_buf_free(&field);
    if (msgctx_failed(msg))
        return eom_internal_error(ctx, msg);
    if (eom_remove_forged_ar(ctx, msg) != 0)
        return SMFIS_TEMPFAIL;

    dkim_buf_init(&line, EOM_LOG_MAX);
    eom_describe_keys(msg, &line);
    log_msg(LOG_INFO, "%s: sign action=accept%s", eom_queue_id(msg),
            line.data != NULL ? line.data : "");
    dkim_buf_free(&line);
    return SMFIS_ACCEPT;
}

/* Append " dkim=RESULT d= s= a= [testing=yes] [reason=]" for each result,
 * escaped; a pass has no reason. */
static void
eom_describe_results(const struct dkim_sig_result *results, unsigned count,
                     struct dkim_buf *line)
{
    char d[160], s[160], a[64], reason[200];
    unsigned i;

    if (count == 0)
        (void)dkim_buf_appends(line, " dkim=none");
    for (i = 0; i < count; i++) {
        const struct dkim_sig_result *r = &results[i];

        (void)dkim_buf_printf(line, " dkim=%s d=%s s=%s a=%s",
                              dkim_result_name(r->result),
                              log_escape(r->domain, 100, d, sizeof(d)),
                              log_escape(r->selector, 100, s, sizeof(s)),
                              log_escape(r->algorithm, 30, a, sizeof(a)));
        if (r->testing)
            (void)dkim_buf_appends(line, " testing=yes");
        if (r->reason[0] != '\0')
            (void)dkim_buf_printf(line, " reason=\"%s\"",
                                  log_escape(r->reason, 120, reason,
                                             sizeof(reason)));
    }
}

static int
eom_add_authres(SMFICTX *ctx, const struct conn *conn, struct msgctx *msg,
                const struct dkim_sig_result *results, unsigned count)
{
    struct dkim_buf field;
    enum dkim_stat st;
    int rc = 0;

    dkim_buf_init(&field, EOM_FIELD_MAX);
    st = dkim_buf_appendc(&field, ' ');
    if (st == DKIM_OK)
        st = authres_build(msg->snap->conf->authserv_id, results, count, "\n",
                           &field);
    if (st != DKIM_OK) {
        msgctx_fail(msg, st, "building Authentication-Results failed: %s",
                    dkim_stat_name(st));
        rc = -1;
    } else if (smfi_insheader(ctx, 0, "Authentication-Results",
                              eom_field_value(conn, field.data)) !=
               MI_SUCCESS) {
        msgctx_fail(msg, DKIM_EIO, "inserting Authentication-Results failed");
        rc = -1;
    }
    dkim_buf_free(&field);
    return rc;
}

static void
eom_log_verify(const struct msgctx *msg, const struct config_policy *policy,
               const struct dkim_sig_result *results, unsigned count)
{
    unsigned ignored = dkim_msg_ignored_signatures(msg->dkim);
    struct dkim_buf line;

    dkim_buf_init(&line, EOM_LOG_MAX);
    eom_describe_results(results, count, &line);
    if (ignored > 0)
        (void)dkim_buf_printf(&line, " ignored_signatures=%u", ignored);
    log_msg(LOG_INFO, "%s: verify action=%s%s", eom_queue_id(msg),
            config_action_name(policy->action),
            line.data != NULL ? line.data : "");
    dkim_buf_free(&line);
}

static sfsistat
eom_verify(SMFICTX *ctx, const struct conn *conn, struct msgctx *msg)
{
    const struct config *conf = msg->snap->conf;
    const struct dkim_sig_result *results = NULL;
    struct dkim_verify_params params = { 0 };
    const struct config_policy *policy;
    enum policy_class cls;
    unsigned count = 0;
    enum dkim_stat st;

    params.now = time(NULL);
    params.clock_skew = conf->clock_skew;
    params.min_key_bits = conf->min_key_bits;
    params.fetch = keylookup_fetch;
    params.fetch_arg = msg->snap->lookup;
    st = dkim_msg_verify(msg->dkim, &params, &results, &count);
    if (st != DKIM_OK) {
        msgctx_fail(msg, st, "verification failed: %s", dkim_stat_name(st));
        return eom_internal_error(ctx, msg);
    }

    cls = policy_classify(results, count);
    policy = policy_for(conf, cls);
    if (policy_delivers(policy)) {
        if (eom_remove_forged_ar(ctx, msg) != 0)
            return SMFIS_TEMPFAIL;
        if (eom_add_authres(ctx, conn, msg, results, count) != 0)
            return eom_internal_error(ctx, msg);
    }
    eom_log_verify(msg, policy, results, count);
    return policy_reply(ctx, policy, eom_queue_id(msg),
                        policy_class_name(cls));
}

sfsistat
eom_finish(SMFICTX *ctx, struct conn *conn, struct msgctx *msg)
{
    enum dkim_stat st;

    if (!msgctx_failed(msg) && msg->mode != DECIDE_PASS) {
        st = dkim_msg_eom(msg->dkim);
        if (st != DKIM_OK)
            msgctx_fail(msg, st, "end of body failed: %s",
                        dkim_stat_name(st));
    }
    if (msgctx_failed(msg))
        return eom_internal_error(ctx, msg);

    switch (msg->mode) {
    case DECIDE_SIGN:
        return eom_sign(ctx, conn, msg);
    case DECIDE_VERIFY:
        return eom_verify(ctx, conn, msg);
    case DECIDE_PASS:
        break;
    }
    if (eom_remove_forged_ar(ctx, msg) != 0)
        return SMFIS_TEMPFAIL;
    log_msg(LOG_INFO, "%s: pass action=accept", eom_queue_id(msg));
    return SMFIS_ACCEPT;
}
