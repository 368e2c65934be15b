/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bodyhash.h - the body hashes of one message: one canonicalizer per body
 * canonicalization in use, one SHA-256 context per (canonicalization, l=)
 * pair, shared by every signature that needs the same pair.
 *
 * Only SHA-256 is computed: rsa-sha1 signatures never pass (RFC 8301), so
 * their body hash is never needed.
 *
 * Functions: bodyhash_init, bodyhash_free, bodyhash_add, bodyhash_update,
 * bodyhash_final, bodyhash_get, bodyhash_total.
 *
 * DIAGNOSTICS: DKIM_ENOMEM, DKIM_ECRYPTO when an EVP digest call fails,
 * DKIM_EINVAL when a hash is added after the body started.
 */
#ifndef SIGNET_DKIM_BODYHASH_H
#define SIGNET_DKIM_BODYHASH_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "dkim/canon.h"

#define BODYHASH_NO_LIMIT UINT64_MAX
#define BODYHASH_DIGEST_LEN 32

struct bodyhash_entry {
    enum dkim_canon canon;
    uint64_t limit;  /* l= value, or BODYHASH_NO_LIMIT */
    uint64_t length; /* canonicalized bytes hashed so far */
    EVP_MD_CTX *ctx;
    unsigned char digest[BODYHASH_DIGEST_LEN]; /* valid after final */
};

struct bodyhash;

/* One canonicalizer and the count of bytes it produced. */
struct bodyhash_stream {
    struct canon_body cb;
    struct bodyhash *owner;
    bool used;
    uint64_t total;
};

struct bodyhash {
    struct bodyhash_stream streams[2]; /* indexed by enum dkim_canon */
    struct bodyhash_entry *entries;
    unsigned count, cap;
    bool started, finished;
};

void bodyhash_init(struct bodyhash *bh);
/* Free the contexts; bh itself belongs to the caller. */
void bodyhash_free(struct bodyhash *bh);
/* Find or create the hash for (canon, limit); *index identifies it. */
enum dkim_stat bodyhash_add(struct bodyhash *bh, enum dkim_canon canon,
                            uint64_t limit, unsigned *index);
enum dkim_stat bodyhash_update(struct bodyhash *bh, const void *data,
                               size_t len);
enum dkim_stat bodyhash_final(struct bodyhash *bh);
/* NULL when index is out of range. */
const struct bodyhash_entry *bodyhash_get(const struct bodyhash *bh,
                                          unsigned index);
/* Length of the whole canonicalized body, valid after final. */
uint64_t bodyhash_total(const struct bodyhash *bh, enum dkim_canon canon);

#endif
