/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bodyhash.c - shared body hashes fed by the streaming canonicalizers.
 * See bodyhash.h for the interface.
 *
 * DIAGNOSTICS: DKIM_ENOMEM, DKIM_ECRYPTO, DKIM_EINVAL (see bodyhash.h).
 */
#include <stdlib.h>
#include <string.h>

#include "dkim/bodyhash.h"

void
bodyhash_init(struct bodyhash *bh)
{
    memset(bh, 0, sizeof(*bh));
}

void
bodyhash_free(struct bodyhash *bh)
{
    unsigned i;

    if (bh == NULL)
        return;
    for (i = 0; i < bh->count; i++)
        EVP_MD_CTX_free(bh->entries[i].ctx);
    free(bh->entries);
    bh->entries = NULL;
    bh->count = bh->cap = 0;
}

/* Hash one block of canonicalized bytes into every entry of its stream,
 * each up to its l= limit. */
static enum dkim_stat
bodyhash_sink(void *arg, const unsigned char *data, size_t len)
{
    struct bodyhash_stream *stream = arg;
    struct bodyhash *bh = stream->owner;
    unsigned i;

    stream->total += len;
    for (i = 0; i < bh->count; i++) {
        struct bodyhash_entry *e = &bh->entries[i];
        uint64_t room = e->limit - e->length;
        size_t n = room < len ? (size_t)room : len;

        if (e->canon != stream->cb.canon || n == 0)
            continue;
        if (EVP_DigestUpdate(e->ctx, data, n) != 1)
            return DKIM_ECRYPTO;
        e->length += n;
    }
    return DKIM_OK;
}

static enum dkim_stat
bodyhash_grow(struct bodyhash *bh)
{
    struct bodyhash_entry *entries;
    unsigned cap = bh->cap ? bh->cap * 2 : 4;

    if (cap < bh->cap)
        return DKIM_ENOMEM;
    entries = realloc(bh->entries, (size_t)cap * sizeof(*entries));
    if (entries == NULL)
        return DKIM_ENOMEM;
    bh->entries = entries;
    bh->cap = cap;
    return DKIM_OK;
}

enum dkim_stat
bodyhash_add(struct bodyhash *bh, enum dkim_canon canon, uint64_t limit,
             unsigned *index)
{
    struct bodyhash_entry *e;
    struct bodyhash_stream *stream;
    enum dkim_stat st;
    unsigned i;

    if (bh->started || (canon != DKIM_CANON_SIMPLE &&
                        canon != DKIM_CANON_RELAXED))
        return DKIM_EINVAL;
    for (i = 0; i < bh->count; i++) {
        if (bh->entries[i].canon == canon && bh->entries[i].limit == limit) {
            *index = i;
            return DKIM_OK;
        }
    }

    if (bh->count == bh->cap && (st = bodyhash_grow(bh)) != DKIM_OK)
        return st;
    e = &bh->entries[bh->count];
    memset(e, 0, sizeof(*e));
    e->canon = canon;
    e->limit = limit;
    if ((e->ctx = EVP_MD_CTX_new()) == NULL)
        return DKIM_ENOMEM;
    if (EVP_DigestInit_ex(e->ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(e->ctx);
        return DKIM_ECRYPTO;
    }
    *index = bh->count++;

    stream = &bh->streams[canon];
    if (!stream->used) {
        stream->used = true;
        stream->owner = bh;
        canon_body_init(&stream->cb, canon, bodyhash_sink, stream);
    }
    return DKIM_OK;
}

enum dkim_stat
bodyhash_update(struct bodyhash *bh, const void *data, size_t len)
{
    enum dkim_stat st;
    unsigned c;

    if (bh->finished)
        return DKIM_EINVAL;
    bh->started = true;
    for (c = 0; c < 2; c++) {
        if (!bh->streams[c].used)
            continue;
        if ((st = canon_body_update(&bh->streams[c].cb, data, len)) !=
            DKIM_OK)
            return st;
    }
    return DKIM_OK;
}

enum dkim_stat
bodyhash_final(struct bodyhash *bh)
{
    enum dkim_stat st;
    unsigned c, i;

    if (bh->finished)
        return DKIM_EINVAL;
    bh->started = true;
    for (c = 0; c < 2; c++) {
        if (!bh->streams[c].used)
            continue;
        if ((st = canon_body_final(&bh->streams[c].cb)) != DKIM_OK)
            return st;
    }

    for (i = 0; i < bh->count; i++) {
        struct bodyhash_entry *e = &bh->entries[i];
        unsigned int n = 0;

        if (EVP_DigestFinal_ex(e->ctx, e->digest, &n) != 1 ||
            n != BODYHASH_DIGEST_LEN)
            return DKIM_ECRYPTO;
    }
    bh->finished = true;
    return DKIM_OK;
}

const struct bodyhash_entry *
bodyhash_get(const struct bodyhash *bh, unsigned index)
{
    return index < bh->count ? &bh->entries[index] : NULL;
}

uint64_t
bodyhash_total(const struct bodyhash *bh, enum dkim_canon canon)
{
    return bh->streams[canon].total;
}
