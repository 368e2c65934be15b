/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * decide.c - the sign or verify decision for one message.
 *
 * Public: decide_message, decide_mode_name.
 *
 * A message from an internal or authenticated client whose From domain has
 * no signing rule is verified (in verify mode), not passed through,
 * because a gateway that relays for several domains should still report
 * on mail it cannot sign.  The debug log names the reason no signature
 * was made.
 *
 * DIAGNOSTICS: none; the reason for each decision goes to the caller.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>

#include "daemon/decide.h"
#include "daemon/log.h"

const char *
decide_mode_name(enum decide_mode mode)
{
    switch (mode) {
    case DECIDE_SIGN:
        return "sign";
    case DECIDE_VERIFY:
        return "verify";
    case DECIDE_PASS:
        break;
    }
    return "pass";
}

static bool
decide_origin_is_ours(const struct config *conf,
                      const struct decide_input *in)
{
    if (in->client != NULL && config_is_internal(conf, in->client))
        return true;
    return in->authenticated && conf->sign_authenticated;
}

/* The signing rule for the From field, or NULL with the reason in why. */
static const struct config_signing_rule *
decide_find_rule(const struct config *conf, const struct decide_input *in,
                 char *why, size_t why_size)
{
    char local[256], domain[256], shown[128];
    const struct config_signing_rule *rule;
    char *p;

    if (in->from_count != 1) {
        snprintf(why, why_size, "%u From fields, need exactly one",
                 in->from_count);
        return NULL;
    }
    if (dkim_addr_from(in->from, in->from_len, local, sizeof(local), domain,
                       sizeof(domain)) != DKIM_OK) {
        snprintf(why, why_size, "From field has no single valid address");
        return NULL;
    }
    for (p = domain; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);

    rule = config_find_signing(conf, local, domain);
    if (rule == NULL)
        snprintf(why, why_size, "no signing rule for From domain \"%s\"",
                 log_escape(domain, 100, shown, sizeof(shown)));
    return rule;
}

enum decide_mode
decide_message(const struct config *conf, const struct decide_input *in,
               const struct config_signing_rule **rule, char *why,
               size_t why_size)
{
    *rule = NULL;
    snprintf(why, why_size, "client is neither internal nor authenticated");

    if (conf->sign_mode && decide_origin_is_ours(conf, in)) {
        *rule = decide_find_rule(conf, in, why, why_size);
        if (*rule != NULL) {
            snprintf(why, why_size, "internal or authenticated client, "
                                    "From domain has a signing rule");
            return DECIDE_SIGN;
        }
    } else if (!conf->sign_mode) {
        snprintf(why, why_size, "sign mode is off");
    }
    return conf->verify_mode ? DECIDE_VERIFY : DECIDE_PASS;
}
