/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_txt.c - fuzz the TXT RDATA parser: the input is one RDATA as a DNS
 * answer carries it.  A joined record must be shorter than its RDATA and
 * must survive a copy into an answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/txt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct txt_answer answer;
    char *joined;
    size_t len;

    if (txt_rdata_join(data, size, &joined, &len) != DKIM_OK)
        return 0;

    /* Each character-string costs one length octet more than its text. */
    if (len > size || (size > 0 && len >= size) || joined[len] != '\0')
        abort();

    memset(&answer, 0, sizeof(answer));
    if (txt_answer_add(&answer, joined, len) == DKIM_OK &&
        (answer.count != 1 || answer.lengths[0] != len ||
         memcmp(answer.records[0], joined, len) != 0))
        abort();
    txt_answer_clear(&answer);
    free(joined);
    return 0;
}
