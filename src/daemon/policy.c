/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.c - outcome classes, configured actions and milter replies.
 *
 * Public: policy_classify, policy_for, policy_class_name, policy_delivers,
 * policy_reply.
 *
 * DIAGNOSTICS: a quarantine or reply request that libmilter rejects (for
 * example because the MTA did not offer quarantine) is logged and the
 * message is tempfailed, so mail meant to be held is never delivered.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>

#include "daemon/log.h"
#include "daemon/policy.h"

static const struct config_policy policy_accept = { ACTION_ACCEPT, NULL, NULL,
                                                    NULL };

enum policy_class
policy_classify(const struct dkim_sig_result *results, unsigned count)
{
    bool temperror = false, bad = false;
    unsigned i;

    if (count == 0)
        return POLICY_NO_SIGNATURE;
    for (i = 0; i < count; i++) {
        switch (results[i].result) {
        case DKIM_RES_PASS:
            return POLICY_DELIVER;
        case DKIM_RES_TEMPERROR:
            temperror = true;
            break;
        case DKIM_RES_FAIL:
        case DKIM_RES_PERMERROR:
            bad = true;
            break;
        case DKIM_RES_NONE:
        case DKIM_RES_NEUTRAL:
        case DKIM_RES_POLICY:
            break;
        }
    }
    if (temperror)
        return POLICY_DNS_ERROR;
    return bad ? POLICY_BAD_SIGNATURE : POLICY_DELIVER;
}

const struct config_policy *
policy_for(const struct config *conf, enum policy_class cls)
{
    switch (cls) {
    case POLICY_BAD_SIGNATURE:
        return &conf->on_bad_signature;
    case POLICY_NO_SIGNATURE:
        return &conf->on_no_signature;
    case POLICY_DNS_ERROR:
        return &conf->on_dns_error;
    case POLICY_INTERNAL_ERROR:
        return &conf->on_internal_error;
    case POLICY_DELIVER:
        break;
    }
    return &policy_accept;
}

const char *
policy_class_name(enum policy_class cls)
{
    switch (cls) {
    case POLICY_BAD_SIGNATURE:
        return "bad_signature";
    case POLICY_NO_SIGNATURE:
        return "no_signature";
    case POLICY_DNS_ERROR:
        return "dns_error";
    case POLICY_INTERNAL_ERROR:
        return "internal_error";
    case POLICY_DELIVER:
        break;
    }
    return "deliver";
}

bool
policy_delivers(const struct config_policy *policy)
{
    return policy->action == ACTION_ACCEPT ||
           policy->action == ACTION_QUARANTINE;
}

/* smfi_setreply takes char *; the strings are not modified. */
static int
policy_set_reply(SMFICTX *ctx, const struct config_policy *policy)
{
    if (policy->smtp_code == NULL)
        return MI_SUCCESS;
    return smfi_setreply(ctx, policy->smtp_code, policy->enhanced_code,
                         policy->text);
}

sfsistat
policy_reply(SMFICTX *ctx, const struct config_policy *policy,
             const char *queue_id, const char *reason)
{
    char text[200];

    switch (policy->action) {
    case ACTION_ACCEPT:
        return SMFIS_ACCEPT;
    case ACTION_QUARANTINE:
        snprintf(text, sizeof(text), "signet: %s", reason);
        if (smfi_quarantine(ctx, text) != MI_SUCCESS) {
            log_msg(LOG_ERR, "%s: quarantine failed (does the MTA offer "
                             "it?); tempfailing the message", queue_id);
            return SMFIS_TEMPFAIL;
        }
        return SMFIS_ACCEPT;
    case ACTION_REJECT:
        if (policy_set_reply(ctx, policy) != MI_SUCCESS)
            log_msg(LOG_ERR, "%s: setting the reject reply %s %s failed",
                    queue_id, policy->smtp_code, policy->enhanced_code);
        return SMFIS_REJECT;
    case ACTION_TEMPFAIL:
        if (policy_set_reply(ctx, policy) != MI_SUCCESS)
            log_msg(LOG_ERR, "%s: setting the tempfail reply %s %s failed",
                    queue_id, policy->smtp_code, policy->enhanced_code);
        return SMFIS_TEMPFAIL;
    case ACTION_DISCARD:
        return SMFIS_DISCARD;
    }
    log_msg(LOG_ERR, "%s: unknown action %d; tempfailing", queue_id,
            (int)policy->action);
    return SMFIS_TEMPFAIL;
}
