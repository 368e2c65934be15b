/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_testkeys.c - fuzz the test-keys file parser, then query the owner
 * name of each of the first lines so that CNAME chains, markers and RRsets
 * built from the input are followed too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dname.h"
#include "dns/testkeys.h"

#define FUZZ_MAX_QUERIES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Query the first word of the line at text[0..len). */
static void
fuzz_query_line(const struct testkeys *tk, const char *text, size_t len)
{
    char name[DNAME_MAX + 2];
    struct txt_answer answer;
    size_t n = 0;

    while (n < len && n < sizeof(name) - 1 && text[n] != ' ' &&
           text[n] != '\t' && text[n] != '\0')
        n++;
    memcpy(name, text, n);
    name[n] = '\0';

    memset(&answer, 0, sizeof(answer));
    testkeys_query(tk, name, &answer);
    if (answer.count > TXT_MAX_RECORDS || answer.count > answer.total)
        abort();
    if (answer.outcome != TXT_FOUND && answer.count != 0)
        abort();
    txt_answer_clear(&answer);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct testkeys *tk = NULL;
    char err[300];
    size_t pos = 0;
    int lines;

    if (testkeys_parse(text, size, "fuzz", &tk, err, sizeof(err)) != 0) {
        if (tk != NULL || err[0] == '\0')
            abort();
        return 0;
    }

    for (lines = 0; lines < FUZZ_MAX_QUERIES && pos < size; lines++) {
        const char *end = memchr(text + pos, '\n', size - pos);
        size_t len = end ? (size_t)(end - (text + pos)) : size - pos;

        fuzz_query_line(tk, text + pos, len);
        pos += len + 1;
    }
    testkeys_free(tk);
    return 0;
}
