/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keylookup.h - DKIM key lookup for the verifier: libunbound (recursion or
 * forwarding, DNSSEC when a trust anchor is configured) or a test-keys
 * file, behind a cache of parsed keys that honours the record TTL.
 *
 * keylookup_fetch has the dkim_key_fetch_fn signature, so the verifier
 * calls it directly with the struct keylookup as its argument.  Every
 * function here is safe to call from several threads at once.
 *
 * DIAGNOSTICS: keylookup_new returns -1 and a reason in err; lookups never
 * fail as calls, they report DKIM_KEY_* statuses with a reason.
 */
#ifndef SIGNET_DNS_KEYLOOKUP_H
#define SIGNET_DNS_KEYLOOKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "dkim/dkim.h"

struct keylookup_conf {
    const char *const *nameservers; /* "IP" or "IP@port"; NULL-terminated,
                                     * NULL or empty: full recursion */
    unsigned timeout_secs;          /* per lookup; 0 means 5 */
    const char *trust_anchor_file;  /* NULL: no DNSSEC validation */
    const char *test_keys_file;     /* NULL: use DNS */
    unsigned cache_max_entries;     /* 0 means 10000; cache off with
                                     * cache_disabled */
    bool cache_disabled;
};

struct keylookup;

int keylookup_new(const struct keylookup_conf *conf, struct keylookup **out,
                  char *err, size_t errlen);
void keylookup_free(struct keylookup *kl);

/* dkim_key_fetch_fn: arg is a struct keylookup. */
void keylookup_fetch(void *arg, const char *domain, const char *selector,
                     struct dkim_key_answer *answer);

/* The outcome of one TXT query, for diagnostics (signet testkey). */
struct keylookup_report {
    enum dkim_key_status status; /* FOUND when at least one TXT exists */
    char cname_target[256];      /* final owner name after CNAMEs, or "" */
    unsigned record_count;
    char *records[8];            /* TXT records, strings joined, v=DKIM1
                                  * records first */
    unsigned record_total;       /* records in the RRset, up to the
                                  * resolver's cap */
    unsigned ttl;
    bool secure;                 /* DNSSEC-validated */
    bool bogus;                  /* DNSSEC validation failed */
    char reason[160];            /* why the status is not FOUND */
};

/* Query the TXT records of name (already "selector._domainkey.domain"),
 * bypassing the cache. */
void keylookup_query(struct keylookup *kl, const char *name,
                     struct keylookup_report *report);
void keylookup_report_free(struct keylookup_report *report);

/* Counters since keylookup_new, for logs and tests. */
struct keylookup_stats {
    unsigned long cache_hits;   /* fetches answered from the cache */
    unsigned long cache_misses; /* fetches that queried DNS or the file */
};

void keylookup_stats(struct keylookup *kl, struct keylookup_stats *stats);

#endif
