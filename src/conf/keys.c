/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keys.c - the keys list (id, domain, selector, file) and the signing
 * rules that map a From address or domain to keys.
 *
 * A rule's match is "example.com" (that domain only), ".example.com" (any
 * subdomain, not example.com itself) or "user@example.com" (one address),
 * compared case-insensitively.  Rules are stored sorted by kind and match
 * so that config_find_signing can use binary search.
 *
 * A key whose d= domain neither equals the rule's domain nor is a parent
 * or child of it gets a warning, not an error: such a signature is valid
 * DKIM but does not align with the From domain, so DMARC will not count it.
 *
 * Public functions: keys_parse, keys_free, config_find_signing.
 *
 * DIAGNOSTICS: through the loader, "FILE:LINE: message".  Errors from
 * dkim_privkey_load are passed on with the key id and file name; they
 * never contain key material.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/keys.h"
#include "conf/syntax.h"

/* dkim_msg_add_signer accepts at most this many signatures per message. */
#define KEYS_PER_RULE_MAX 8

/* Maximum length of the "local@domain" of a rule or a lookup. */
#define KEYS_ADDRESS_MAX (64 + 1 + 253)

enum { KEY_ID, KEY_DOMAIN, KEY_SELECTOR, KEY_FILE, KEY_FIELD_COUNT };
enum { RULE_MATCH, RULE_KEYS, RULE_FIELD_COUNT };

static void
keys_lower(char *text)
{
    for (; *text != '\0'; text++)
        *text = (char)tolower((unsigned char)*text);
}

/* Report a syntax failure and return NULL, or return a lower-cased copy. */
static char *
keys_checked_copy(struct loader *ld, const config_setting_t *s,
                  bool (*check)(const char *, char *, size_t), bool lower)
{
    const char *value = config_setting_get_string(s);
    char err[256], name[256];
    char *copy;

    if (!check(value, err, sizeof(err))) {
        loader_setting_name(s, name, sizeof(name));
        loader_error(ld, s, "%s \"%s\": %s", name, value, err);
        return NULL;
    }
    copy = loader_strdup(ld, value);
    if (copy != NULL && lower)
        keys_lower(copy);
    return copy;
}

static void
keys_apply_id(struct loader *ld, const config_setting_t *s,
              const struct loader_entry *entry, void *base)
{
    struct config_key *key = base;

    (void)entry;
    key->id = keys_checked_copy(ld, s, syntax_token, false);
}

static void
keys_apply_domain(struct loader *ld, const config_setting_t *s,
                  const struct loader_entry *entry, void *base)
{
    struct config_key *key = base;

    (void)entry;
    key->domain = keys_checked_copy(ld, s, syntax_domain, true);
}

static void
keys_apply_selector(struct loader *ld, const config_setting_t *s,
                    const struct loader_entry *entry, void *base)
{
    struct config_key *key = base;

    (void)entry;
    key->selector = keys_checked_copy(ld, s, syntax_selector, true);
}

static void
keys_apply_file(struct loader *ld, const config_setting_t *s,
                const struct loader_entry *entry, void *base)
{
    struct config_key *key = base;
    const char *path = config_setting_get_string(s);
    char name[256];

    (void)entry;
    if (path[0] != '/') {
        loader_setting_name(s, name, sizeof(name));
        loader_error(ld, s, "%s \"%s\": the key file must be an absolute path",
                     name, path);
        return;
    }
    key->file = loader_strdup(ld, path);
}

static const struct loader_entry keys_table[KEY_FIELD_COUNT] = {
    [KEY_ID] = {"id", LOADER_STRING, keys_apply_id, 0, 0, 0},
    [KEY_DOMAIN] = {"domain", LOADER_STRING, keys_apply_domain, 0, 0, 0},
    [KEY_SELECTOR] = {"selector", LOADER_STRING, keys_apply_selector, 0, 0, 0},
    [KEY_FILE] = {"file", LOADER_STRING, keys_apply_file, 0, 0, 0},
};

/* Report each table field missing from a group.  Returns true when none
 * is missing. */
static bool
keys_check_required(struct loader *ld, const config_setting_t *group,
                    const struct loader_entry *table, size_t count,
                    unsigned long long seen)
{
    char name[256];
    bool ok = true;
    size_t i;

    loader_setting_name(group, name, sizeof(name));
    for (i = 0; i < count; i++) {
        if (seen & (1ULL << i))
            continue;
        loader_error(ld, group, "%s is missing the required setting \"%s\"",
                     name, table[i].name);
        ok = false;
    }
    return ok;
}

/* Report an id used twice and a domain and selector pair used twice. */
static void
keys_check_duplicates(struct loader *ld, const struct config *conf,
                      const config_setting_t *list)
{
    const struct config_key *a, *b;
    unsigned i, j;

    for (i = 0; i < conf->key_count; i++) {
        a = &conf->keys[i];
        for (j = 0; j < i; j++) {
            b = &conf->keys[j];
            if (a->id != NULL && b->id != NULL && strcmp(a->id, b->id) == 0)
                loader_error(ld, config_setting_get_elem(list, i),
                             "duplicate key id \"%s\" (first defined at "
                             "line %u)", a->id,
                             config_setting_source_line(
                                 config_setting_get_elem(list, j)));
            if (a->domain != NULL && b->domain != NULL && a->selector != NULL &&
                b->selector != NULL && strcmp(a->domain, b->domain) == 0 &&
                strcmp(a->selector, b->selector) == 0)
                loader_warn(ld, config_setting_get_elem(list, i),
                            "keys \"%s\" and \"%s\" both use selector \"%s\" "
                            "of %s, but only one public key can be published "
                            "there", b->id ? b->id : "?", a->id ? a->id : "?",
                            a->selector, a->domain);
        }
    }
}

static void
keys_parse_list(struct loader *ld, struct config *conf)
{
    const config_setting_t *list = ld->keys_setting, *group;
    unsigned long long seen;
    unsigned i;

    if (list == NULL)
        return;
    conf->key_count = (unsigned)config_setting_length(list);
    conf->keys = loader_calloc(ld, conf->key_count, sizeof(*conf->keys));
    if (conf->keys == NULL) {
        conf->key_count = 0;
        return;
    }

    for (i = 0; i < conf->key_count; i++) {
        group = config_setting_get_elem(list, i);
        seen = loader_walk(ld, group, keys_table, KEY_FIELD_COUNT,
                           &conf->keys[i]);
        keys_check_required(ld, group, keys_table, KEY_FIELD_COUNT, seen);
    }
    keys_check_duplicates(ld, conf, list);
}

static void
keys_load_files(struct loader *ld, struct config *conf)
{
    struct config_key *key;
    const config_setting_t *group;
    char err[256];
    unsigned i;

    for (i = 0; i < conf->key_count; i++) {
        key = &conf->keys[i];
        if (key->file == NULL)
            continue;
        group = config_setting_get_elem(ld->keys_setting, i);
        if (dkim_privkey_load(key->file, true, &key->key, err, sizeof(err)) !=
            DKIM_OK) {
            key->key = NULL;
            /* dkim_privkey_load names the path in most of its errors. */
            if (strstr(err, key->file) != NULL)
                loader_error(ld, config_setting_get_member(group, "file"),
                             "key \"%s\": %s", key->id ? key->id : "?", err);
            else
                loader_error(ld, config_setting_get_member(group, "file"),
                             "key \"%s\": cannot load %s: %s",
                             key->id ? key->id : "?", key->file, err);
        }
    }
}

/* The rule parts follow; see the file comment for the match forms. */

static void
keys_apply_match(struct loader *ld, const config_setting_t *s,
                 const struct loader_entry *entry, void *base)
{
    struct config_signing_rule *rule = base;
    const char *value = config_setting_get_string(s);
    const char *at = strchr(value, '@'), *domain = value;
    char err[256];
    bool ok;

    (void)entry;
    if (at != NULL) {
        rule->kind = MATCH_ADDRESS;
        domain = at + 1;
        ok = syntax_local_part(value, (size_t)(at - value), err, sizeof(err));
        ok = ok && syntax_domain(domain, err, sizeof(err));
    } else if (value[0] == '.') {
        rule->kind = MATCH_SUBDOMAINS;
        domain = value + 1;
        ok = syntax_domain(domain, err, sizeof(err));
    } else {
        rule->kind = MATCH_DOMAIN;
        ok = syntax_domain(domain, err, sizeof(err));
    }

    if (!ok) {
        loader_error(ld, s, "invalid signing match \"%s\": %s; expected "
                     "example.com, .example.com or user@example.com",
                     value, err);
        return;
    }
    rule->match = loader_strdup(ld, rule->kind == MATCH_SUBDOMAINS ? domain
                                                                  : value);
    if (rule->match != NULL)
        keys_lower(rule->match);
}

/* Check the count only: keys_resolve looks the ids up once every key
 * is known. */
static void
keys_apply_rule_keys(struct loader *ld, const config_setting_t *s,
                     const struct loader_entry *entry, void *base)
{
    char name[256];

    (void)entry;
    (void)base;
    if (config_setting_length(s) == 0 ||
        config_setting_length(s) > KEYS_PER_RULE_MAX) {
        loader_setting_name(s, name, sizeof(name));
        loader_error(ld, s, "%s must name 1 to %d keys", name,
                     KEYS_PER_RULE_MAX);
    }
}

static const struct loader_entry rules_table[RULE_FIELD_COUNT] = {
    [RULE_MATCH] = {"match", LOADER_STRING, keys_apply_match, 0, 0, 0},
    [RULE_KEYS] = {"keys", LOADER_STRINGS, keys_apply_rule_keys, 0, 0, 0},
};

static const struct config_key *
keys_find(const struct config *conf, const char *id)
{
    unsigned i;

    for (i = 0; i < conf->key_count; i++) {
        if (conf->keys[i].id != NULL && strcmp(conf->keys[i].id, id) == 0)
            return &conf->keys[i];
    }
    return NULL;
}

/* The leading dot that a subdomain rule had in the file, for messages. */
static const char *
keys_rule_dot(const struct config_signing_rule *rule)
{
    return rule->match != NULL && rule->kind == MATCH_SUBDOMAINS ? "." : "";
}

/* The domain a rule matches, without the local part. */
static const char *
keys_rule_domain(const struct config_signing_rule *rule)
{
    const char *at = strchr(rule->match, '@');

    return at != NULL ? at + 1 : rule->match;
}

/* True when a is b or a subdomain of b. */
static bool
keys_domain_within(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    if (la == lb)
        return strcmp(a, b) == 0;
    return la > lb && a[la - lb - 1] == '.' && strcmp(a + la - lb, b) == 0;
}

static void
keys_check_alignment(struct loader *ld, const config_setting_t *elem,
                     const struct config_signing_rule *rule,
                     const struct config_key *key)
{
    const char *domain = keys_rule_domain(rule);

    if (key->domain == NULL || keys_domain_within(domain, key->domain) ||
        keys_domain_within(key->domain, domain))
        return;
    loader_warn(ld, elem,
                "key \"%s\" signs as d=%s, which does not align with the "
                "rule's domain %s; DMARC will not count this signature",
                key->id, key->domain, domain);
}

/* Point rule->keys at the keys the rule names.  Unknown and repeated ids
 * are reported at the array element that names them. */
static void
keys_resolve(struct loader *ld, struct config *conf,
             struct config_signing_rule *rule, const config_setting_t *ids,
             bool *used)
{
    const config_setting_t *elem;
    const struct config_key *key;
    unsigned i, j, count = (unsigned)config_setting_length(ids);

    rule->keys = loader_calloc(ld, count, sizeof(*rule->keys));
    if (rule->keys == NULL)
        return;

    for (i = 0; i < count; i++) {
        elem = config_setting_get_elem(ids, i);
        /* loader_walk has already reported an element of another type. */
        if (config_setting_type(elem) != CONFIG_TYPE_STRING)
            continue;
        key = keys_find(conf, config_setting_get_string(elem));
        if (key == NULL) {
            loader_error(ld, elem, "signing rule \"%s%s\" names unknown key "
                         "\"%s\"", keys_rule_dot(rule),
                         rule->match ? rule->match : "?",
                         config_setting_get_string(elem));
            continue;
        }
        for (j = 0; j < rule->key_count; j++) {
            if (rule->keys[j] == key)
                break;
        }
        if (j < rule->key_count) {
            loader_error(ld, elem, "signing rule \"%s%s\" names key \"%s\" "
                         "twice", keys_rule_dot(rule),
                         rule->match ? rule->match : "?", key->id);
            continue;
        }
        used[key - conf->keys] = true;
        if (rule->match != NULL)
            keys_check_alignment(ld, elem, rule, key);
        rule->keys[rule->key_count++] = key;
    }
}

static int
keys_rule_compare(const void *a, const void *b)
{
    const struct config_signing_rule *ra = a, *rb = b;

    if (ra->kind != rb->kind)
        return ra->kind < rb->kind ? -1 : 1;
    return strcmp(ra->match, rb->match);
}

/* A rule and its position in the signing list, for duplicate checks. */
struct keys_rule_ref {
    const struct config_signing_rule *rule;
    unsigned index;
};

static int
keys_rule_ref_compare(const void *a, const void *b)
{
    const struct keys_rule_ref *ra = a, *rb = b;
    int order = keys_rule_compare(ra->rule, rb->rule);

    if (order != 0)
        return order;
    return ra->index < rb->index ? -1 : ra->index > rb->index;
}

/* Report each rule that matches the same thing as an earlier one, at the
 * later rule's line.  Sorting copies keeps this O(n log n) for gateways
 * with thousands of rules. */
static void
keys_check_rule_duplicates(struct loader *ld, const struct config *conf)
{
    const config_setting_t *list = ld->signing_setting;
    struct keys_rule_ref *refs;
    unsigned i;

    refs = loader_calloc(ld, conf->signing_count, sizeof(*refs));
    if (refs == NULL)
        return;
    for (i = 0; i < conf->signing_count; i++) {
        refs[i].rule = &conf->signing[i];
        refs[i].index = i;
    }
    qsort(refs, conf->signing_count, sizeof(*refs), keys_rule_ref_compare);

    for (i = 1; i < conf->signing_count; i++) {
        if (keys_rule_compare(refs[i - 1].rule, refs[i].rule) != 0)
            continue;
        loader_error(ld, config_setting_get_elem(list, refs[i].index),
                     "two signing rules match \"%s%s\" (the other is at "
                     "line %u)",
                     refs[i].rule->kind == MATCH_SUBDOMAINS ? "." : "",
                     refs[i].rule->match,
                     config_setting_source_line(config_setting_get_elem(
                         list, refs[i - 1].index)));
    }
    free(refs);
}

static void
keys_parse_rules(struct loader *ld, struct config *conf, bool *used)
{
    const config_setting_t *list = ld->signing_setting, *group, *ids;
    unsigned long long seen;
    unsigned i;

    if (list == NULL)
        return;
    conf->signing_count = (unsigned)config_setting_length(list);
    conf->signing = loader_calloc(ld, conf->signing_count,
                                  sizeof(*conf->signing));
    if (conf->signing == NULL) {
        conf->signing_count = 0;
        return;
    }

    for (i = 0; i < conf->signing_count; i++) {
        group = config_setting_get_elem(list, i);
        seen = loader_walk(ld, group, rules_table, RULE_FIELD_COUNT,
                           &conf->signing[i]);
        keys_check_required(ld, group, rules_table, RULE_FIELD_COUNT, seen);
        ids = config_setting_get_member(group, "keys");
        if (ids != NULL && config_setting_is_aggregate(ids))
            keys_resolve(ld, conf, &conf->signing[i], ids, used);
    }

    /* Sorting needs every match, and a rule without one has already been
     * reported. */
    for (i = 0; i < conf->signing_count; i++) {
        if (conf->signing[i].match == NULL)
            return;
    }
    keys_check_rule_duplicates(ld, conf);
    qsort(conf->signing, conf->signing_count, sizeof(*conf->signing),
          keys_rule_compare);
}

void
keys_parse(struct loader *ld, struct config *conf, bool load_keys)
{
    bool *used;
    unsigned i;

    keys_parse_list(ld, conf);
    used = loader_calloc(ld, conf->key_count, sizeof(*used));
    if (used == NULL)
        return;

    keys_parse_rules(ld, conf, used);
    for (i = 0; i < conf->key_count; i++) {
        if (!used[i] && conf->keys[i].id != NULL)
            loader_warn(ld, config_setting_get_elem(ld->keys_setting, i),
                        "key \"%s\" is not used by any signing rule",
                        conf->keys[i].id);
    }
    free(used);

    if (load_keys)
        keys_load_files(ld, conf);
}

void
keys_free(struct config *conf)
{
    unsigned i;

    for (i = 0; i < conf->signing_count; i++) {
        free(conf->signing[i].match);
        free(conf->signing[i].keys);
    }
    free(conf->signing);

    for (i = 0; i < conf->key_count; i++) {
        free(conf->keys[i].id);
        free(conf->keys[i].domain);
        free(conf->keys[i].selector);
        free(conf->keys[i].file);
        dkim_privkey_free(conf->keys[i].key);
    }
    free(conf->keys);
}

static const struct config_signing_rule *
keys_lookup(const struct config *conf, enum config_match_kind kind,
            const char *match)
{
    struct config_signing_rule wanted;

    /* bsearch must not get a NULL base, which is what no rules gives. */
    if (conf->signing_count == 0)
        return NULL;
    wanted.kind = kind;
    wanted.match = (char *)(uintptr_t)match;
    return bsearch(&wanted, conf->signing, conf->signing_count,
                   sizeof(*conf->signing), keys_rule_compare);
}

const struct config_signing_rule *
config_find_signing(const struct config *conf, const char *local,
                    const char *domain)
{
    char address[KEYS_ADDRESS_MAX + 1], *lower_domain;
    const struct config_signing_rule *rule;
    const char *dot;
    int len;

    if (domain == NULL)
        return NULL;
    if (local == NULL)
        local = "";
    len = snprintf(address, sizeof(address), "%s@%s", local, domain);
    if (len < 0 || (size_t)len >= sizeof(address))
        return NULL;
    keys_lower(address);
    lower_domain = address + strlen(local) + 1;

    rule = keys_lookup(conf, MATCH_ADDRESS, address);
    if (rule == NULL)
        rule = keys_lookup(conf, MATCH_DOMAIN, lower_domain);

    /* Walk up the parents, longest first: a.b.example.com tries
     * b.example.com, then example.com, then com. */
    for (dot = strchr(lower_domain, '.'); rule == NULL && dot != NULL;
         dot = strchr(dot + 1, '.'))
        rule = keys_lookup(conf, MATCH_SUBDOMAINS, dot + 1);
    return rule;
}
