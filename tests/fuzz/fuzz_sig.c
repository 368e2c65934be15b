/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_sig.c - fuzz the DKIM-Signature parser and check the invariants the
 * verifier relies on: the b= position lies inside the input, decoded sizes
 * fit their arrays and every string is set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dkim_sig *sig = NULL;
    char err[128];
    unsigned i;

    if (dkim_sig_parse((const char *)data, size, &sig, err, sizeof(err)) !=
        DKIM_OK)
        return 0;

    if (sig->b_value_offset > size ||
        sig->b_value_len > size - sig->b_value_offset ||
        sig->b_len > SIG_MAX_B || sig->bh_len > sizeof(sig->bh) ||
        sig->domain == NULL || sig->selector == NULL || sig->identity == NULL ||
        sig->alg_text == NULL || sig->b_text == NULL ||
        sig->header_count == 0 || sig->header_count > SIG_MAX_HEADERS ||
        strchr(sig->identity, '@') == NULL)
        abort();
    for (i = 0; i < sig->header_count; i++)
        if (sig->headers[i] == NULL || sig->headers[i][0] == '\0')
            abort();

    dkim_sig_free(sig);
    return 0;
}
