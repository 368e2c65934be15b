/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * engine_util.h - helpers shared by the DKIM engine tests and fuzz targets:
 * feeding a whole raw message to a dkim_msg, and a key-lookup callback
 * that returns records from a fixed table instead of DNS.
 */
#ifndef SIGNET_TESTS_ENGINE_UTIL_H
#define SIGNET_TESTS_ENGINE_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkim/dkim.h"

/* Feed the header fields of a raw message (CRLF or LF line ends) and call
 * dkim_msg_eoh; *body gets the offset of the body.  A line without a colon
 * in the header is DKIM_ESYNTAX. */
static enum dkim_stat
eu_feed_header(struct dkim_msg *msg, const char *data, size_t len,
               bool verify, size_t *body)
    __attribute__((unused));

static enum dkim_stat
eu_feed_header(struct dkim_msg *msg, const char *data, size_t len,
               bool verify, size_t *body)
{
    size_t pos = 0;
    enum dkim_stat st;

    while (pos < len) {
        size_t start = pos, colon, end;

        /* The empty line that ends the header. */
        if (data[pos] == '\n') {
            pos += 1;
            break;
        }
        if (data[pos] == '\r' && pos + 1 < len && data[pos + 1] == '\n') {
            pos += 2;
            break;
        }

        /* One field: its first line, then lines that start with WSP. */
        for (end = pos; end < len; end++) {
            if (data[end] != '\n')
                continue;
            if (end + 1 < len && (data[end + 1] == ' ' || data[end + 1] == '\t'))
                continue;
            break;
        }
        pos = end < len ? end + 1 : len;
        if (end > start && end < len && data[end - 1] == '\r')
            end--;
        for (colon = start; colon < end && data[colon] != ':'; colon++)
            ;
        if (colon == end)
            return DKIM_ESYNTAX;
        st = dkim_msg_header(msg, data + start, colon - start, data + colon + 1,
                             end - colon - 1);
        if (st != DKIM_OK)
            return st;
    }
    *body = pos;
    return dkim_msg_eoh(msg, verify);
}

/* Feed the body in chunks of chunk bytes (0: all at once), then call
 * dkim_msg_eom.  A bare LF becomes CRLF first, as an MTA would send it. */
static enum dkim_stat
eu_feed_body(struct dkim_msg *msg, const char *data, size_t len,
             size_t chunk) __attribute__((unused));

static enum dkim_stat
eu_feed_body(struct dkim_msg *msg, const char *data, size_t len, size_t chunk)
{
    enum dkim_stat st = DKIM_OK;
    size_t i, pos = 0, n = 0;
    char *crlf;

    if ((crlf = malloc(2 * len + 1)) == NULL)
        return DKIM_ENOMEM;
    for (i = 0; i < len; i++) {
        if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
            crlf[n++] = '\r';
        crlf[n++] = data[i];
    }

    if (chunk == 0)
        chunk = n ? n : 1;
    while (pos < n && st == DKIM_OK) {
        size_t part = n - pos < chunk ? n - pos : chunk;

        st = dkim_msg_body(msg, crlf + pos, part);
        pos += part;
    }
    free(crlf);
    return st != DKIM_OK ? st : dkim_msg_eom(msg);
}

/* A key table for eu_fetch: NULL-terminated by domain. */
struct eu_key {
    const char *domain, *selector;
    const char *record; /* NULL: the status below without a record */
    enum dkim_key_status status;
};

static void
eu_fetch(void *arg, const char *domain, const char *selector,
         struct dkim_key_answer *answer) __attribute__((unused));

static void
eu_fetch(void *arg, const char *domain, const char *selector,
         struct dkim_key_answer *answer)
{
    const struct eu_key *k;

    answer->status = DKIM_KEY_NOTFOUND;
    answer->key = NULL;
    for (k = arg; k->domain != NULL; k++) {
        if (strcasecmp(k->domain, domain) != 0 ||
            strcmp(k->selector, selector) != 0)
            continue;
        if (k->record == NULL) {
            answer->status = k->status;
            snprintf(answer->reason, sizeof(answer->reason), "test status");
            return;
        }
        if (dkim_keyrec_parse(k->record, strlen(k->record), &answer->key,
                              answer->reason, sizeof(answer->reason)) ==
            DKIM_OK)
            answer->status = DKIM_KEY_FOUND;
        else
            answer->status = DKIM_KEY_INVALID;
        return;
    }
}

#endif
