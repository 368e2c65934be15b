/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keylookup.c - DKIM key lookup: cache, then the test-keys file or DNS,
 * then the choice of one key record among the TXT records found.
 *
 * keylookup_new, keylookup_free   set up and tear down the backends
 * keylookup_fetch                 the verifier's key callback (cached)
 * keylookup_query                 one uncached query for signet testkey
 * keylookup_stats                 cache hit and miss counters
 *
 * DIAGNOSTICS: keylookup_new fails with a reason in err; lookups report
 * DKIM_KEY_* statuses with a reason and never fail as calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dname.h"
#include "dns/keycache.h"
#include "dns/keylookup.h"
#include "dns/resolver.h"
#include "dns/testkeys.h"

#define KEYLOOKUP_DEFAULT_TIMEOUT 5u /* seconds */

struct keylookup {
    struct resolver *resolver;   /* NULL with a test-keys file */
    struct testkeys *testkeys;   /* NULL when DNS is used */
    struct keycache *cache;      /* NULL when caching is off */
    unsigned timeout_secs;
    unsigned long cache_hits;    /* __atomic counters */
    unsigned long cache_misses;
};

void
keylookup_free(struct keylookup *kl)
{
    if (kl == NULL)
        return;
    resolver_free(kl->resolver);
    testkeys_free(kl->testkeys);
    keycache_free(kl->cache);
    free(kl);
}

int
keylookup_new(const struct keylookup_conf *conf, struct keylookup **out,
              char *err, size_t errlen)
{
    struct keylookup *kl;

    *out = NULL;
    if (conf == NULL) {
        snprintf(err, errlen, "no key lookup configuration given");
        return -1;
    }
    if ((kl = calloc(1, sizeof(*kl))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    kl->timeout_secs = conf->timeout_secs ? conf->timeout_secs
                                          : KEYLOOKUP_DEFAULT_TIMEOUT;

    if (conf->test_keys_file != NULL) {
        if (testkeys_load(conf->test_keys_file, &kl->testkeys, err,
                          errlen) != 0)
            goto fail;
    } else if (resolver_new(conf->nameservers, conf->trust_anchor_file,
                            &kl->resolver, err, errlen) != 0) {
        goto fail;
    }

    if (!conf->cache_disabled &&
        (kl->cache = keycache_new(conf->cache_max_entries, NULL, NULL)) ==
            NULL) {
        snprintf(err, errlen, "out of memory for the key cache");
        goto fail;
    }

    *out = kl;
    return 0;

fail:
    keylookup_free(kl);
    return -1;
}

static void
keylookup_query_txt(struct keylookup *kl, const char *name,
                    struct txt_answer *txt)
{
    memset(txt, 0, sizeof(*txt));
    if (kl->testkeys)
        testkeys_query(kl->testkeys, name, txt);
    else
        resolver_query_txt(kl->resolver, name, kl->timeout_secs, txt);
}

static bool
keylookup_is_wsp(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* True when the record starts with the tag v=DKIM1 (RFC 6376 3.6.1),
 * white space allowed around the tag name and value. */
static bool
keylookup_is_dkim1(const char *rec, size_t len)
{
    static const char version[] = "DKIM1";
    size_t pos = 0;

    while (pos < len && keylookup_is_wsp(rec[pos]))
        pos++;
    if (pos >= len || rec[pos++] != 'v')
        return false;
    while (pos < len && keylookup_is_wsp(rec[pos]))
        pos++;
    if (pos >= len || rec[pos++] != '=')
        return false;
    while (pos < len && keylookup_is_wsp(rec[pos]))
        pos++;
    if (len - pos < sizeof(version) - 1 ||
        memcmp(rec + pos, version, sizeof(version) - 1) != 0)
        return false;
    pos += sizeof(version) - 1;
    return pos == len || rec[pos] == ';' || keylookup_is_wsp(rec[pos]);
}

/* Result of parsing the candidate records. */
struct keylookup_pick {
    unsigned candidates;         /* records tried */
    unsigned valid;              /* records that parsed */
    struct dkim_keyrec *key;     /* the first that parsed */
    enum dkim_stat first_stat;   /* why the first candidate failed */
    char first_err[128];
    bool out_of_memory;
};

/* Parse every record whose v=DKIM1 test equals want_dkim1, keeping the
 * first that parses and the error of the first that does not. */
static void
keylookup_try_records(const struct txt_answer *txt, bool want_dkim1,
                      struct keylookup_pick *pick)
{
    unsigned i;

    for (i = 0; i < txt->count; i++) {
        struct dkim_keyrec *key = NULL;
        char err[128] = "";
        enum dkim_stat stat;

        if (keylookup_is_dkim1(txt->records[i], txt->lengths[i]) != want_dkim1)
            continue;
        pick->candidates++;

        /* Later records are parsed too, only to count the valid ones. */
        stat = dkim_keyrec_parse(txt->records[i], txt->lengths[i], &key, err,
                                 sizeof(err));
        if (stat == DKIM_OK) {
            pick->valid++;
            if (pick->key == NULL)
                pick->key = key;
            else
                dkim_keyrec_unref(key);
        } else if (stat == DKIM_ENOMEM) {
            pick->out_of_memory = true;
        } else if (pick->first_err[0] == '\0') {
            pick->first_stat = stat;
            snprintf(pick->first_err, sizeof(pick->first_err), "%s",
                     err[0] ? err : dkim_stat_name(stat));
        }
    }
}

/*
 * Choose the key record among the TXT records of name.  RFC 6376 3.6.2.2
 * leaves several records undefined and 6.1.2 lets the verifier choose one.
 * Records that start with v=DKIM1 win, otherwise any record that parses as
 * a key record.  The answer is INVALID, with the parser's reason, when
 * v=DKIM1 records exist but none parses, or when a lone record does not
 * parse.  Several records of which none is a key are NOTFOUND.
 */
static void
keylookup_pick_record(const char *name, const struct txt_answer *txt,
                      struct dkim_key_answer *answer)
{
    struct keylookup_pick pick = { 0 };
    bool tagged; /* some record starts with v=DKIM1 */

    keylookup_try_records(txt, true, &pick);
    tagged = pick.candidates > 0;
    if (!tagged)
        keylookup_try_records(txt, false, &pick);

    if (pick.key != NULL) {
        answer->status = DKIM_KEY_FOUND;
        answer->key = pick.key;
        if (pick.valid > 1)
            snprintf(answer->reason, sizeof(answer->reason),
                     "%u valid key records at %s; used the first",
                     pick.valid, name);
    } else if (pick.out_of_memory) {
        answer->status = DKIM_KEY_TEMPFAIL;
        snprintf(answer->reason, sizeof(answer->reason),
                 "out of memory while parsing the key record");
    } else if (tagged || txt->total == 1) {
        answer->status = DKIM_KEY_INVALID;
        snprintf(answer->reason, sizeof(answer->reason), "%s",
                 pick.first_err);
    } else {
        answer->status = DKIM_KEY_NOTFOUND;
        snprintf(answer->reason, sizeof(answer->reason),
                 "no DKIM key record among %u TXT records", txt->total);
    }
}

/* Map a TXT answer to a key answer.  Returns the TTL to cache it for. */
static unsigned
keylookup_answer(const char *name, const struct txt_answer *txt,
                 struct dkim_key_answer *answer)
{
    answer->dnssec_secure = txt->secure;

    switch (txt->outcome) {
    case TXT_FOUND:
        keylookup_pick_record(name, txt, answer);
        break;
    case TXT_NXDOMAIN:
    case TXT_NODATA:
        answer->status = DKIM_KEY_NOTFOUND;
        snprintf(answer->reason, sizeof(answer->reason), "no key for %s",
                 name);
        break;
    case TXT_SERVFAIL:
    case TXT_TIMEOUT:
    case TXT_BOGUS:
        /* A bogus answer is a temporary failure, not "no key": it may be
         * an attack on the path or a signing mistake that the domain
         * fixes, and a retry later can still verify the message. */
        answer->status = DKIM_KEY_TEMPFAIL;
        snprintf(answer->reason, sizeof(answer->reason), "%s",
                 txt->reason[0] ? txt->reason : "DNS query failed");
        break;
    }
    return txt->ttl;
}

/* Build "selector._domainkey.domain" in normalized form. */
static int
keylookup_key_name(const char *domain, const char *selector,
                   char name[DNAME_MAX + 1])
{
    char raw[2 * DNAME_MAX];
    int n;

    if (domain == NULL || selector == NULL)
        return -1;
    n = snprintf(raw, sizeof(raw), "%s._domainkey.%s", selector, domain);
    if (n < 0 || (size_t)n >= sizeof(raw))
        return -1;
    return dname_normalize(raw, (size_t)n, name);
}

void
keylookup_fetch(void *arg, const char *domain, const char *selector,
                struct dkim_key_answer *answer)
{
    struct keylookup *kl = arg;
    char name[DNAME_MAX + 1];
    struct txt_answer txt;
    unsigned ttl;

    memset(answer, 0, sizeof(*answer));
    /* TODO: U-labels in d= (RFC 8616) should be converted to A-labels;
     * non-ASCII names are rejected as invalid for now. */
    if (keylookup_key_name(domain, selector, name) != 0) {
        answer->status = DKIM_KEY_NOTFOUND;
        snprintf(answer->reason, sizeof(answer->reason),
                 "invalid key name for s=%.40s d=%.60s",
                 selector ? selector : "", domain ? domain : "");
        return;
    }

    if (kl->cache && keycache_get(kl->cache, name, answer)) {
        __atomic_fetch_add(&kl->cache_hits, 1, __ATOMIC_RELAXED);
        return;
    }
    __atomic_fetch_add(&kl->cache_misses, 1, __ATOMIC_RELAXED);

    keylookup_query_txt(kl, name, &txt);
    ttl = keylookup_answer(name, &txt, answer);
    txt_answer_clear(&txt);
    if (kl->cache)
        keycache_put(kl->cache, name, answer, ttl);
}

/* Fill the report fields that describe the records found. */
static void
keylookup_report_records(const char *name, const struct txt_answer *txt,
                         struct keylookup_report *report)
{
    unsigned i, pass;
    unsigned max = sizeof(report->records) / sizeof(report->records[0]);

    report->ttl = txt->ttl;
    report->secure = txt->secure;
    report->bogus = txt->outcome == TXT_BOGUS;
    if (txt->canonname[0] && strcmp(txt->canonname, name) != 0)
        snprintf(report->cname_target, sizeof(report->cname_target), "%s",
                 txt->canonname);

    /* Key records first, so that other TXT records at the name cannot
     * push them out of the report. */
    report->record_total = txt->total;
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < txt->count && report->record_count < max; i++) {
            if (keylookup_is_dkim1(txt->records[i], txt->lengths[i]) !=
                (pass == 0))
                continue;
            if ((report->records[report->record_count] =
                     strdup(txt->records[i])) == NULL)
                return;
            report->record_count++;
        }
    }
}

void
keylookup_query(struct keylookup *kl, const char *name,
                struct keylookup_report *report)
{
    char normalized[DNAME_MAX + 1];
    struct dkim_key_answer answer = { 0 };
    struct txt_answer txt;

    memset(report, 0, sizeof(*report));
    if (name == NULL || dname_normalize(name, strlen(name), normalized) != 0) {
        report->status = DKIM_KEY_NOTFOUND;
        snprintf(report->reason, sizeof(report->reason),
                 "invalid DNS name \"%.100s\"", name ? name : "");
        return;
    }

    keylookup_query_txt(kl, normalized, &txt);
    keylookup_answer(normalized, &txt, &answer);
    keylookup_report_records(normalized, &txt, report);
    txt_answer_clear(&txt);

    /* FOUND here means only that TXT records exist; the caller judges
     * them. */
    report->status = report->record_count > 0 ? DKIM_KEY_FOUND : answer.status;
    if (report->status != DKIM_KEY_FOUND)
        snprintf(report->reason, sizeof(report->reason), "%s", answer.reason);
    if (answer.key)
        dkim_keyrec_unref(answer.key);
}

void
keylookup_report_free(struct keylookup_report *report)
{
    unsigned i;

    for (i = 0; i < report->record_count; i++)
        free(report->records[i]);
    memset(report, 0, sizeof(*report));
}

void
keylookup_stats(struct keylookup *kl, struct keylookup_stats *stats)
{
    stats->cache_hits = __atomic_load_n(&kl->cache_hits, __ATOMIC_RELAXED);
    stats->cache_misses = __atomic_load_n(&kl->cache_misses, __ATOMIC_RELAXED);
}
