/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_addr.c - fuzz the From mailbox parser with exact and short output
 * buffers; a result must be a non-empty string that fits its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char local[256], domain[256];
    enum dkim_stat st;

    st = dkim_addr_from((const char *)data, size, local, sizeof(local), domain,
                        sizeof(domain));
    if (st == DKIM_OK && (memchr(local, '\0', sizeof(local)) == NULL ||
                          memchr(domain, '\0', sizeof(domain)) == NULL ||
                          local[0] == '\0' || domain[0] == '\0'))
        abort();

    /* Small buffers must fail cleanly, never overflow. */
    st = dkim_addr_from((const char *)data, size, local, 2, domain, 3);
    if (st == DKIM_OK && (strlen(local) >= 2 || strlen(domain) >= 3))
        abort();
    return 0;
}
