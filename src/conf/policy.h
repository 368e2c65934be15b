/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.h - the on_* action settings and their SMTP replies.
 *
 * DIAGNOSTICS: problems are reported through the loader as
 * "FILE:LINE: message".
 */
#ifndef SIGNET_CONF_POLICY_H
#define SIGNET_CONF_POLICY_H

#include "conf/loader.h"

/* The four result classes that have an action. */
enum policy_class {
    POLICY_BAD_SIGNATURE = 0,
    POLICY_NO_SIGNATURE,
    POLICY_DNS_ERROR,
    POLICY_INTERNAL_ERROR,
    POLICY_CLASS_COUNT,
};

/* The policy field of conf for a class. */
struct config_policy *policy_field(struct config *conf,
                                   enum policy_class cls);

/* Set the default action of every class (accept, accept, tempfail,
 * tempfail); replies are filled in by policy_finish. */
void policy_defaults(struct config *conf);

/* Loader apply functions for "on_CLASS" and "on_CLASS_reply".  The
 * entry's offset field contains the enum policy_class. */
void policy_apply_action(struct loader *ld, const config_setting_t *s,
                         const struct loader_entry *entry, void *base);
void policy_apply_reply(struct loader *ld, const config_setting_t *s,
                        const struct loader_entry *entry, void *base);

/* After the walk: give every reject or tempfail class the default codes
 * and text it did not set, and check that a configured reply code fits
 * the action (5xx for reject, 4xx for tempfail). */
void policy_finish(struct loader *ld, struct config *conf);

void policy_free(struct config_policy *policy);

#endif
