/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.h - map verification outcomes to the admin's configured actions,
 * and actions to milter replies.
 *
 * policy_reply is the only place in signetd that turns an outcome into an
 * SMFIS_* code.
 *
 * DIAGNOSTICS: policy_reply logs a failed smfi_quarantine or smfi_setreply
 * with the queue id and then tempfails the message.
 */
#ifndef SIGNET_DAEMON_POLICY_H
#define SIGNET_DAEMON_POLICY_H

#include <libmilter/mfapi.h>

#include "conf/config.h"

enum policy_class {
    POLICY_DELIVER = 0,    /* a signature passed, or signing worked */
    POLICY_BAD_SIGNATURE,  /* none passed, one failed or is permerror */
    POLICY_NO_SIGNATURE,   /* no DKIM-Signature field */
    POLICY_DNS_ERROR,      /* none passed, a key lookup failed (temperror) */
    POLICY_INTERNAL_ERROR, /* out of memory, OpenSSL, caps exceeded */
};

/* Classify verification results.  With no pass, a temperror wins over a
 * failure because a retry may still pass; results that are only neutral
 * or policy deliver. */
enum policy_class policy_classify(const struct dkim_sig_result *results,
                                  unsigned count);

/* The configured policy for a class (a fixed accept for POLICY_DELIVER). */
const struct config_policy *policy_for(const struct config *conf,
                                       enum policy_class cls);

const char *policy_class_name(enum policy_class cls);

/* True when the action lets the message through, so header changes count. */
bool policy_delivers(const struct config_policy *policy);

/* Apply policy to the message: quarantine with reason, set the reply for
 * reject and tempfail, and return the SMFIS_* code for xxfi_eom. */
sfsistat policy_reply(SMFICTX *ctx, const struct config_policy *policy,
                      const char *queue_id, const char *reason);

#endif
