/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * txt.c - TXT RDATA parsing and the answer record list (see txt.h).
 *
 * DIAGNOSTICS: status codes only; nothing is logged.
 */
#include <stdlib.h>
#include <string.h>

#include "dns/txt.h"

enum dkim_stat
txt_rdata_join(const unsigned char *rdata, size_t len, char **out,
               size_t *out_len)
{
    size_t pos = 0, used = 0;
    char *joined;

    *out = NULL;
    *out_len = 0;

    /* The joined text is never longer than the RDATA, because each
     * character-string loses its length octet. */
    if ((joined = malloc(len + 1)) == NULL)
        return DKIM_ENOMEM;

    while (pos < len) {
        size_t slen = rdata[pos++];

        if (slen > len - pos) {
            free(joined);
            return DKIM_ESYNTAX;
        }
        memcpy(joined + used, rdata + pos, slen);
        used += slen;
        pos += slen;
    }

    joined[used] = '\0';
    *out = joined;
    *out_len = used;
    return DKIM_OK;
}

enum dkim_stat
txt_answer_add(struct txt_answer *answer, const char *record, size_t len)
{
    char *copy;

    if (answer->total == ~0u)
        return DKIM_ELIMIT;
    if (answer->count >= TXT_MAX_RECORDS) {
        answer->total++;
        return DKIM_OK;
    }
    if (len == (size_t)-1 || (copy = malloc(len + 1)) == NULL)
        return DKIM_ENOMEM;

    memcpy(copy, record, len);
    copy[len] = '\0';
    answer->records[answer->count] = copy;
    answer->lengths[answer->count] = len;
    answer->count++;
    answer->total++;
    return DKIM_OK;
}

void
txt_answer_clear(struct txt_answer *answer)
{
    unsigned i;

    for (i = 0; i < answer->count; i++)
        free(answer->records[i]);
    memset(answer, 0, sizeof(*answer));
}
