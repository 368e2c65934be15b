/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_keyrec.c - fuzz the key-record parser, including the OpenSSL
 * decoding of p=, and the reference counting of the result.
 */
#include <stdint.h>
#include <stdlib.h>

#include "dkim/keyrec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dkim_keyrec *key = NULL;
    char err[160];

    if (dkim_keyrec_parse((const char *)data, size, &key, err, sizeof(err)) !=
        DKIM_OK)
        return 0;

    /* A revoked key has no public key, and a usable one has one. */
    if (dkim_keyrec_revoked(key) && key->pkey != NULL)
        abort();
    if (!dkim_keyrec_revoked(key) && dkim_keyrec_alg(key) != DKIM_ALG_UNKNOWN &&
        (key->pkey == NULL || dkim_keyrec_bits(key) == 0))
        abort();

    dkim_keyrec_ref(key);
    dkim_keyrec_unref(key);
    dkim_keyrec_unref(key);
    return 0;
}
