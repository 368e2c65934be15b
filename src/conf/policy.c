/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * policy.c - the action for each result class (on_bad_signature,
 * on_no_signature, on_dns_error, on_internal_error) and the SMTP reply
 * that goes with reject and tempfail.
 *
 * A reply setting is either a text alone ("Message not signed") or a
 * basic code, an enhanced status code (RFC 3463) and a text
 * ("550 5.7.20 Message not signed").  Default codes come from RFC 7372
 * where it has one: X.7.20 "no passing DKIM signature" for bad and
 * missing signatures.  A failed key lookup uses X.7.5 (RFC 3463:
 * cryptographic failure, a key was not available) and an internal error
 * X.3.0 (other mail system status).
 *
 * Public functions: policy_field, policy_defaults, policy_apply_action,
 * policy_apply_reply, policy_finish, policy_free, config_action_name.
 *
 * DIAGNOSTICS: through the loader, "FILE:LINE: message".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/policy.h"

/* SMTP limits a reply line to 512 octets (RFC 5321 4.5.3.1.5).  The codes
 * and separators take up to 14 of them, so 400 leaves room to spare. */
#define POLICY_TEXT_MAX 400

struct policy_default {
    const char *setting;          /* "on_bad_signature" */
    enum config_action action;
    const char *reject_enhanced;  /* with 550 */
    const char *tempfail_enhanced; /* with 451 */
    const char *text;
};

static const struct policy_default policy_defaults_table[POLICY_CLASS_COUNT] = {
    [POLICY_BAD_SIGNATURE] = {"on_bad_signature", ACTION_ACCEPT, "5.7.20",
                              "4.7.20", "No passing DKIM signature found"},
    [POLICY_NO_SIGNATURE] = {"on_no_signature", ACTION_ACCEPT, "5.7.20",
                             "4.7.20", "No DKIM signature found"},
    [POLICY_DNS_ERROR] = {"on_dns_error", ACTION_TEMPFAIL, "5.7.5", "4.7.5",
                          "DKIM key lookup failed"},
    [POLICY_INTERNAL_ERROR] = {"on_internal_error", ACTION_TEMPFAIL, "5.3.0",
                               "4.3.0", "Local error while checking DKIM"},
};

static const char *const policy_action_names[] = {
    [ACTION_ACCEPT] = "accept",         [ACTION_QUARANTINE] = "quarantine",
    [ACTION_REJECT] = "reject",         [ACTION_TEMPFAIL] = "tempfail",
    [ACTION_DISCARD] = "discard",
};

const char *
config_action_name(enum config_action action)
{
    if ((unsigned)action >= sizeof(policy_action_names) /
                                sizeof(policy_action_names[0]))
        return "unknown";
    return policy_action_names[action];
}

struct config_policy *
policy_field(struct config *conf, enum policy_class cls)
{
    switch (cls) {
    case POLICY_BAD_SIGNATURE: return &conf->on_bad_signature;
    case POLICY_NO_SIGNATURE: return &conf->on_no_signature;
    case POLICY_DNS_ERROR: return &conf->on_dns_error;
    default: return &conf->on_internal_error;
    }
}

void
policy_defaults(struct config *conf)
{
    unsigned cls;

    for (cls = 0; cls < POLICY_CLASS_COUNT; cls++)
        policy_field(conf, cls)->action = policy_defaults_table[cls].action;
}

void
policy_apply_action(struct loader *ld, const config_setting_t *s,
                    const struct loader_entry *entry, void *base)
{
    const char *word = config_setting_get_string(s);
    unsigned i;

    for (i = 0; i < sizeof(policy_action_names) / sizeof(policy_action_names[0]);
         i++) {
        if (strcmp(word, policy_action_names[i]) == 0) {
            policy_field(base, entry->offset)->action = i;
            return;
        }
    }
    loader_error(ld, s,
                 "invalid %s \"%s\": expected accept, quarantine, reject, "
                 "tempfail or discard",
                 entry->name, word);
}

static bool
policy_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of "D.DDD.DDD" (RFC 3463 status-code) at p, or 0. */
static size_t
policy_enhanced_len(const char *p)
{
    size_t i = 0, part, digits;

    if ((p[0] != '4' && p[0] != '5') || p[1] != '.')
        return 0;
    i = 2;
    for (part = 0; part < 2; part++) {
        for (digits = 0; policy_is_digit(p[i]); digits++)
            i++;
        if (digits == 0 || digits > 3)
            return 0;
        if (part == 0 && p[i++] != '.')
            return 0;
    }
    return i;
}

static bool
policy_check_text(struct loader *ld, const config_setting_t *s,
                  const char *name, const char *text)
{
    const char *p;

    if (*text == '\0' || strlen(text) > POLICY_TEXT_MAX) {
        loader_error(ld, s, "%s: the reply text must be 1 to %d characters",
                     name, POLICY_TEXT_MAX);
        return false;
    }
    for (p = text; *p != '\0'; p++) {
        /* libmilter ignores a reply text with a lone '%' (smfi_setreply(3)
         * notes), and CR or LF make the call fail. */
        if (*p < 32 || *p > 126 || *p == '%') {
            loader_error(ld, s, "%s: the reply text may contain only "
                         "printable ASCII characters other than '%%'", name);
            return false;
        }
    }
    return true;
}

/* Split "550 5.7.20 text" into its parts.  Returns false after reporting
 * a problem. */
static bool
policy_split_codes(struct loader *ld, const config_setting_t *s,
                   const char *name, const char *value,
                   struct config_policy *policy)
{
    size_t enhanced_len = 0;

    /* Check the basic code and its space before looking past them, so
     * that a short value is never read beyond its end. */
    if ((value[0] == '4' || value[0] == '5') && policy_is_digit(value[1]) &&
        policy_is_digit(value[2]) && value[3] == ' ')
        enhanced_len = policy_enhanced_len(value + 4);
    if (enhanced_len == 0 || value[4 + enhanced_len] != ' ') {
        loader_error(ld, s, "%s: expected \"CODE X.Y.Z text\" such as "
                     "\"550 5.7.20 No valid signature\", or a text alone",
                     name);
        return false;
    }
    if (value[0] != value[4]) {
        loader_error(ld, s, "%s: the enhanced status code %.*s must have "
                     "the same class as the reply code %.3s",
                     name, (int)enhanced_len, value + 4, value);
        return false;
    }

    policy->smtp_code = loader_strndup(ld, value, 3);
    policy->enhanced_code = loader_strndup(ld, value + 4, enhanced_len);
    return policy->smtp_code != NULL && policy->enhanced_code != NULL;
}

void
policy_apply_reply(struct loader *ld, const config_setting_t *s,
                   const struct loader_entry *entry, void *base)
{
    struct config_policy *policy = policy_field(base, entry->offset);
    const char *value = config_setting_get_string(s);
    const char *text = value;

    ld->policy_replies[entry->offset] = s;
    if (policy_is_digit(value[0])) {
        if (!policy_split_codes(ld, s, entry->name, value, policy))
            return;
        text = value + 4 + strlen(policy->enhanced_code) + 1;
    }
    if (policy_check_text(ld, s, entry->name, text))
        policy->text = loader_strdup(ld, text);
}

/* Fill in the default reply of one reject or tempfail class, or check the
 * configured one against the action. */
static void
policy_finish_class(struct loader *ld, struct config *conf,
                    enum policy_class cls)
{
    const struct policy_default *def = &policy_defaults_table[cls];
    struct config_policy *policy = policy_field(conf, cls);
    const config_setting_t *reply = ld->policy_replies[cls];
    bool reject = policy->action == ACTION_REJECT;

    if (policy->action != ACTION_REJECT && policy->action != ACTION_TEMPFAIL) {
        if (reply != NULL)
            loader_warn(ld, reply, "%s_reply is ignored because %s is %s",
                        def->setting, def->setting,
                        config_action_name(policy->action));
        return;
    }

    if (policy->smtp_code != NULL && policy->smtp_code[0] != (reject ? '5' : '4'))
        loader_error(ld, reply, "%s_reply has code %s, but %s is %s: use a "
                     "%cxx code", def->setting, policy->smtp_code, def->setting,
                     config_action_name(policy->action), reject ? '5' : '4');
    if (policy->smtp_code == NULL) {
        policy->smtp_code = loader_strdup(ld, reject ? "550" : "451");
        policy->enhanced_code = loader_strdup(
            ld, reject ? def->reject_enhanced : def->tempfail_enhanced);
    }
    if (policy->text == NULL)
        policy->text = loader_strdup(ld, def->text);
}

void
policy_finish(struct loader *ld, struct config *conf)
{
    unsigned cls;

    for (cls = 0; cls < POLICY_CLASS_COUNT; cls++)
        policy_finish_class(ld, conf, cls);
}

void
policy_free(struct config_policy *policy)
{
    free(policy->smtp_code);
    free(policy->enhanced_code);
    free(policy->text);
}
