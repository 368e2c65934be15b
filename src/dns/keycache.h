/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keycache.h - a bounded, thread-safe cache of key lookup answers, keyed by
 * the normalized owner name ("selector._domainkey.domain").
 *
 * FOUND answers keep a reference to the parsed key for the record's TTL,
 * clamped to [KEYCACHE_TTL_MIN, KEYCACHE_TTL_MAX].  NOTFOUND and INVALID
 * answers are kept for KEYCACHE_NEGATIVE_TTL.  TEMPFAIL answers are never
 * stored.  When the cache is full, the least recently used entry makes
 * room; an expired entry is dropped when a lookup finds it.
 *
 * keycache_new, keycache_free    create and destroy
 * keycache_get                   copy a live entry out, with a new reference
 * keycache_put                   store or replace an entry
 *
 * DIAGNOSTICS: keycache_new returns NULL when out of memory; keycache_put
 * silently skips storing when out of memory (the next lookup goes to DNS).
 */
#ifndef SIGNET_DNS_KEYCACHE_H
#define SIGNET_DNS_KEYCACHE_H

#include <stdbool.h>
#include <time.h>

#include "dkim/dkim.h"

/* A low TTL would send every message to DNS, and a key that disappeared
 * from DNS should stop verifying within a day. */
#define KEYCACHE_TTL_MIN 60u
#define KEYCACHE_TTL_MAX 86400u
/* Short, so that a newly published key is picked up quickly. */
#define KEYCACHE_NEGATIVE_TTL 60u

/* Seconds on a monotonic clock; tests inject their own. */
typedef time_t (*keycache_clock_fn)(void *arg);

struct keycache;

/* max_entries 0 means 10000, and values above 1048576 are lowered to it.
 * clock NULL means CLOCK_MONOTONIC. */
struct keycache *keycache_new(unsigned max_entries, keycache_clock_fn clock,
                              void *clock_arg);
void keycache_free(struct keycache *cache);

/* True when name has a live entry; answer then holds its copy, with a new
 * key reference for FOUND. */
bool keycache_get(struct keycache *cache, const char *name,
                  struct dkim_key_answer *answer);

/* Store answer under name.  ttl is the record TTL (used for FOUND only). */
void keycache_put(struct keycache *cache, const char *name,
                  const struct dkim_key_answer *answer, unsigned ttl);

/* Number of entries, expired ones included. */
unsigned keycache_count(struct keycache *cache);

#endif
