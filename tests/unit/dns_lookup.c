/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dns_lookup.c - a small driver of keylookup for tests/unit/dns_live.sh.
 *
 * Usage: dns_lookup [-n IP@PORT] [-w SECONDS] [-k TESTKEYS] [-a ANCHOR]
 *                   [-C] [-P THREADS [-R ROUNDS]] ITEM...
 *   -n  forwarder (repeatable), -w  timeout, -k  test-keys file,
 *   -a  trust anchor file, -C  cache off,
 *   -P  run the fetch items in THREADS threads at once, ROUNDS times each
 *       (-R, default 20), and print one line per thread with a count per
 *       status.
 * ITEM is fetch:SELECTOR:DOMAIN (keylookup_fetch), query:NAME
 * (keylookup_query) or wait:FILE (wait up to 30 s until FILE exists, so a
 * script can change the DNS server between lookups).  Each item prints one
 * line of key=value facts, which the script matches; the exit status is 0
 * unless setup failed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns/keylookup.h"

#define LOOKUP_MAX_NAMESERVERS 4

static const char *
lookup_status_name(enum dkim_key_status status)
{
    switch (status) {
    case DKIM_KEY_FOUND: return "found";
    case DKIM_KEY_NOTFOUND: return "notfound";
    case DKIM_KEY_TEMPFAIL: return "tempfail";
    case DKIM_KEY_INVALID: return "invalid";
    }
    return "?";
}

static void
lookup_fetch(struct keylookup *kl, char *spec)
{
    char *selector = spec, *domain = strchr(spec, ':');
    struct dkim_key_answer answer;
    struct keylookup_stats stats;

    if (domain == NULL) {
        printf("bad item fetch:%s\n", spec);
        return;
    }
    *domain++ = '\0';
    keylookup_fetch(kl, domain, selector, &answer);
    keylookup_stats(kl, &stats);
    printf("fetch %s %s status=%s bits=%u secure=%d hits=%lu misses=%lu "
           "reason=\"%s\"\n",
           selector, domain, lookup_status_name(answer.status),
           answer.key ? dkim_keyrec_bits(answer.key) : 0,
           answer.dnssec_secure ? 1 : 0, stats.cache_hits, stats.cache_misses,
           answer.reason);
    if (answer.key)
        dkim_keyrec_unref(answer.key);
}

static void
lookup_query(struct keylookup *kl, const char *name)
{
    struct keylookup_report report;
    unsigned i;

    keylookup_query(kl, name, &report);
    printf("query %s status=%s records=%u cname=%s ttl=%u secure=%d "
           "bogus=%d reason=\"%s\"\n",
           name, lookup_status_name(report.status), report.record_count,
           report.cname_target[0] ? report.cname_target : "-", report.ttl,
           report.secure ? 1 : 0, report.bogus ? 1 : 0, report.reason);
    for (i = 0; i < report.record_count; i++)
        printf("record %u %s\n", i, report.records[i]);
    keylookup_report_free(&report);
}

static void
lookup_wait(const char *path)
{
    int tries;

    for (tries = 0; tries < 300 && access(path, F_OK) != 0; tries++)
        usleep(100000);
    printf("wait %s %s\n", path, access(path, F_OK) == 0 ? "done" : "gave up");
}

struct lookup_thread {
    struct keylookup *kl;
    char **items;
    int count, rounds;
    unsigned statuses[DKIM_KEY_INVALID + 1]; /* fetches per status */
    pthread_t thread;
};

/* Fetch every item t->rounds times, counting the statuses. */
static void *
lookup_thread_main(void *arg)
{
    struct lookup_thread *t = arg;
    int round, i;

    for (round = 0; round < t->rounds; round++) {
        for (i = 0; i < t->count; i++) {
            char spec[512], *domain;
            struct dkim_key_answer answer;

            if (strncmp(t->items[i], "fetch:", 6) != 0)
                continue;
            snprintf(spec, sizeof(spec), "%s", t->items[i] + 6);
            if ((domain = strchr(spec, ':')) == NULL)
                continue;
            *domain++ = '\0';
            keylookup_fetch(t->kl, domain, spec, &answer);
            t->statuses[answer.status]++;
            if (answer.key)
                dkim_keyrec_unref(answer.key);
        }
    }
    return NULL;
}

static int
lookup_parallel(struct keylookup *kl, int threads, int rounds, char **items,
                int count)
{
    struct lookup_thread *t = calloc((size_t)threads, sizeof(*t));
    int i, started = 0;

    if (t == NULL)
        return 1;
    for (i = 0; i < threads; i++) {
        t[i].kl = kl;
        t[i].items = items;
        t[i].count = count;
        t[i].rounds = rounds;
        if (pthread_create(&t[i].thread, NULL, lookup_thread_main, &t[i]) != 0)
            break;
        started++;
    }
    for (i = 0; i < started; i++) {
        pthread_join(t[i].thread, NULL);
        printf("thread %d found=%u notfound=%u tempfail=%u invalid=%u\n", i,
               t[i].statuses[DKIM_KEY_FOUND], t[i].statuses[DKIM_KEY_NOTFOUND],
               t[i].statuses[DKIM_KEY_TEMPFAIL],
               t[i].statuses[DKIM_KEY_INVALID]);
    }
    free(t);
    return started == threads ? 0 : 1;
}

int
main(int argc, char **argv)
{
    const char *nameservers[LOOKUP_MAX_NAMESERVERS + 1] = { NULL };
    struct keylookup_conf conf = { 0 };
    struct keylookup *kl;
    char err[512];
    int opt, ns = 0, threads = 0, rounds = 20, i, status = 0;

    while ((opt = getopt(argc, argv, "n:w:k:a:CP:R:")) != -1) {
        switch (opt) {
        case 'n':
            if (ns < LOOKUP_MAX_NAMESERVERS)
                nameservers[ns++] = optarg;
            break;
        case 'w': conf.timeout_secs = (unsigned)atoi(optarg); break;
        case 'k': conf.test_keys_file = optarg; break;
        case 'a': conf.trust_anchor_file = optarg; break;
        case 'C': conf.cache_disabled = true; break;
        case 'P': threads = atoi(optarg); break;
        case 'R': rounds = atoi(optarg); break;
        default: return 64;
        }
    }
    conf.nameservers = nameservers;

    if (keylookup_new(&conf, &kl, err, sizeof(err)) != 0) {
        printf("setup failed: %s\n", err);
        return 1;
    }
    if (threads > 0) {
        status = lookup_parallel(kl, threads, rounds, argv + optind,
                                 argc - optind);
    } else {
        for (i = optind; i < argc; i++) {
            if (strncmp(argv[i], "fetch:", 6) == 0)
                lookup_fetch(kl, argv[i] + 6);
            else if (strncmp(argv[i], "query:", 6) == 0)
                lookup_query(kl, argv[i] + 6);
            else if (strncmp(argv[i], "wait:", 5) == 0)
                lookup_wait(argv[i] + 5);
            else
                printf("bad item %s\n", argv[i]);
            fflush(stdout);
        }
    }
    keylookup_free(kl);
    return status;
}
