/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keycache.c - the TTL cache of key lookup answers (see keycache.h).
 *
 * A chained hash table finds entries by name, and a doubly linked list in
 * use order picks the eviction victim.  One mutex guards both.
 *
 * DIAGNOSTICS: none beyond keycache.h; nothing is logged.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dname.h"
#include "dns/keycache.h"

#define KEYCACHE_DEFAULT_ENTRIES 10000u
#define KEYCACHE_MAX_ENTRIES (1u << 20)

struct keycache_entry {
    char name[DNAME_MAX + 1];
    uint64_t hash;
    struct dkim_key_answer answer; /* FOUND: holds one key reference */
    time_t expires;
    struct keycache_entry *chain;      /* next in the hash bucket */
    struct keycache_entry *newer, *older; /* use order */
};

struct keycache {
    pthread_mutex_t lock;
    struct keycache_entry **buckets;
    size_t bucket_mask;
    unsigned count, max_entries;
    struct keycache_entry *newest, *oldest;
    keycache_clock_fn clock;
    void *clock_arg;
};

static time_t
keycache_monotonic(void *arg)
{
    struct timespec ts;

    (void)arg;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* FNV-1a, 64 bits. */
static uint64_t
keycache_hash(const char *name)
{
    uint64_t hash = 0xcbf29ce484222325u;

    for (; *name; name++) {
        hash ^= (unsigned char)*name;
        hash *= 0x100000001b3u;
    }
    return hash;
}

struct keycache *
keycache_new(unsigned max_entries, keycache_clock_fn clock, void *clock_arg)
{
    struct keycache *cache;
    size_t buckets = 16;

    if (max_entries == 0)
        max_entries = KEYCACHE_DEFAULT_ENTRIES;
    if (max_entries > KEYCACHE_MAX_ENTRIES)
        max_entries = KEYCACHE_MAX_ENTRIES;
    while (buckets < max_entries)
        buckets *= 2;

    if ((cache = calloc(1, sizeof(*cache))) == NULL)
        return NULL;
    if ((cache->buckets = calloc(buckets, sizeof(*cache->buckets))) == NULL ||
        pthread_mutex_init(&cache->lock, NULL) != 0) {
        free(cache->buckets);
        free(cache);
        return NULL;
    }
    cache->bucket_mask = buckets - 1;
    cache->max_entries = max_entries;
    cache->clock = clock ? clock : keycache_monotonic;
    cache->clock_arg = clock_arg;
    return cache;
}

static void
keycache_unlink_order(struct keycache *cache, struct keycache_entry *entry)
{
    if (entry->newer)
        entry->newer->older = entry->older;
    else
        cache->newest = entry->older;
    if (entry->older)
        entry->older->newer = entry->newer;
    else
        cache->oldest = entry->newer;
    entry->newer = entry->older = NULL;
}

static void
keycache_push_newest(struct keycache *cache, struct keycache_entry *entry)
{
    entry->older = cache->newest;
    entry->newer = NULL;
    if (cache->newest)
        cache->newest->newer = entry;
    else
        cache->oldest = entry;
    cache->newest = entry;
}

/* Unlink entry from its bucket and the use order, and free it. */
static void
keycache_remove(struct keycache *cache, struct keycache_entry *entry)
{
    struct keycache_entry **link;

    link = &cache->buckets[entry->hash & cache->bucket_mask];
    while (*link != entry)
        link = &(*link)->chain;
    *link = entry->chain;
    keycache_unlink_order(cache, entry);

    if (entry->answer.key)
        dkim_keyrec_unref(entry->answer.key);
    free(entry);
    cache->count--;
}

void
keycache_free(struct keycache *cache)
{
    if (cache == NULL)
        return;
    while (cache->oldest)
        keycache_remove(cache, cache->oldest);
    pthread_mutex_destroy(&cache->lock);
    free(cache->buckets);
    free(cache);
}

static struct keycache_entry *
keycache_find(struct keycache *cache, const char *name, uint64_t hash)
{
    struct keycache_entry *entry;

    for (entry = cache->buckets[hash & cache->bucket_mask]; entry;
         entry = entry->chain)
        if (entry->hash == hash && strcmp(entry->name, name) == 0)
            return entry;
    return NULL;
}

bool
keycache_get(struct keycache *cache, const char *name,
             struct dkim_key_answer *answer)
{
    uint64_t hash = keycache_hash(name);
    struct keycache_entry *entry;
    bool hit = false;

    pthread_mutex_lock(&cache->lock);
    entry = keycache_find(cache, name, hash);
    if (entry && entry->expires <= cache->clock(cache->clock_arg)) {
        keycache_remove(cache, entry);
        entry = NULL;
    }
    if (entry) {
        *answer = entry->answer;
        if (answer->key)
            dkim_keyrec_ref(answer->key);
        keycache_unlink_order(cache, entry);
        keycache_push_newest(cache, entry);
        hit = true;
    }
    pthread_mutex_unlock(&cache->lock);
    return hit;
}

/* Seconds an answer may be served from the cache. */
static unsigned
keycache_lifetime(const struct dkim_key_answer *answer, unsigned ttl)
{
    if (answer->status != DKIM_KEY_FOUND)
        return KEYCACHE_NEGATIVE_TTL;
    if (ttl < KEYCACHE_TTL_MIN)
        return KEYCACHE_TTL_MIN;
    if (ttl > KEYCACHE_TTL_MAX)
        return KEYCACHE_TTL_MAX;
    return ttl;
}

void
keycache_put(struct keycache *cache, const char *name,
             const struct dkim_key_answer *answer, unsigned ttl)
{
    uint64_t hash = keycache_hash(name);
    struct keycache_entry *entry;

    if (answer->status == DKIM_KEY_TEMPFAIL || strlen(name) > DNAME_MAX)
        return;
    if (answer->status == DKIM_KEY_FOUND && answer->key == NULL)
        return;

    pthread_mutex_lock(&cache->lock);
    if ((entry = keycache_find(cache, name, hash)) != NULL)
        keycache_remove(cache, entry);
    if (cache->count >= cache->max_entries)
        keycache_remove(cache, cache->oldest);

    if ((entry = calloc(1, sizeof(*entry))) != NULL) {
        snprintf(entry->name, sizeof(entry->name), "%s", name);
        entry->hash = hash;
        entry->answer = *answer;
        if (entry->answer.key)
            dkim_keyrec_ref(entry->answer.key);
        entry->expires = cache->clock(cache->clock_arg) +
                         (time_t)keycache_lifetime(answer, ttl);
        entry->chain = cache->buckets[hash & cache->bucket_mask];
        cache->buckets[hash & cache->bucket_mask] = entry;
        keycache_push_newest(cache, entry);
        cache->count++;
    }
    pthread_mutex_unlock(&cache->lock);
}

unsigned
keycache_count(struct keycache *cache)
{
    unsigned count;

    pthread_mutex_lock(&cache->lock);
    count = cache->count;
    pthread_mutex_unlock(&cache->lock);
    return count;
}
