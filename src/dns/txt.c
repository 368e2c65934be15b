/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * txt.c - TXT RDATA parsing and the answer record list (see txt.h).
 *
 * DIAGNOSTICS: status codes only; nothing is logged.
 */
#include <stdbool.h>
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

/* True when a record starts with v=DKIM1 (RFC 6376 3.6.1 puts v= first). */
static bool
txt_looks_dkim(const char *record, size_t len)
{
    while (len > 0 && (*record == ' ' || *record == '\t')) {
        record++;
        len--;
    }
    return len >= 7 && memcmp(record, "v=DKIM1", 7) == 0;
}

/* The slot a record may take when the list is full: the last record that
 * does not start with v=DKIM1, so that a key record is never crowded out
 * by other TXT records at the same name.  -1 when there is none. */
static int
txt_answer_victim(const struct txt_answer *answer)
{
    int i;

    for (i = (int)answer->count - 1; i >= 0; i--)
        if (!txt_looks_dkim(answer->records[i], answer->lengths[i]))
            return i;
    return -1;
}

enum dkim_stat
txt_answer_add(struct txt_answer *answer, const char *record, size_t len)
{
    char *copy;
    int slot;

    if (answer->total == ~0u)
        return DKIM_ELIMIT;
    slot = (int)answer->count;
    if (answer->count >= TXT_MAX_RECORDS) {
        slot = txt_looks_dkim(record, len) ? txt_answer_victim(answer) : -1;
        if (slot < 0) {
            answer->total++;
            return DKIM_OK;
        }
    }
    if (len == (size_t)-1 || (copy = malloc(len + 1)) == NULL)
        return DKIM_ENOMEM;

    memcpy(copy, record, len);
    copy[len] = '\0';
    if (slot < (int)answer->count)
        free(answer->records[slot]);
    else
        answer->count++;
    answer->records[slot] = copy;
    answer->lengths[slot] = len;
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
