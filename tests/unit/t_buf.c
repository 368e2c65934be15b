/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_buf.c - capped buffers and the name and c= tables of status.c.
 */
#include <stdint.h>
#include <string.h>

#include "dkim/dkim.h"
#include "tap.h"

static void
test_append(void)
{
    struct dkim_buf buf;

    dkim_buf_init(&buf, 16);
    TAP_CHECK(buf.data == NULL && buf.len == 0, "buf init allocates nothing");
    TAP_CHECK(dkim_buf_append(&buf, "", 0) == DKIM_OK && buf.data != NULL &&
                  buf.data[0] == '\0',
              "buf empty append gives a string");
    TAP_CHECK(dkim_buf_appends(&buf, "abc") == DKIM_OK, "buf appends");
    TAP_CHECK(dkim_buf_appendc(&buf, 'd') == DKIM_OK, "buf appendc");
    TAP_CHECK(dkim_buf_printf(&buf, "%d-%s", 42, "x") == DKIM_OK, "buf printf");
    TAP_CHECK(buf.len == 8 && strcmp(buf.data, "abcd42-x") == 0,
              "buf contents after appends");
    TAP_CHECK(buf.data[buf.len] == '\0', "buf NUL-terminated");

    /* Reaching max exactly is allowed; one byte more is not. */
    TAP_CHECK(dkim_buf_append(&buf, "12345678", 8) == DKIM_OK && buf.len == 16,
              "buf fills to max");
    TAP_CHECK(dkim_buf_appendc(&buf, 'z') == DKIM_ELIMIT, "buf over max");
    TAP_CHECK(dkim_buf_printf(&buf, "%s", "z") == DKIM_ELIMIT,
              "buf printf over max");
    TAP_CHECK(buf.len == 16 && strcmp(buf.data, "abcd42-x12345678") == 0,
              "buf intact after failure");

    dkim_buf_reset(&buf);
    TAP_CHECK(buf.len == 0 && buf.data != NULL && buf.data[0] == '\0',
              "buf reset keeps allocation");
    dkim_buf_free(&buf);
    TAP_CHECK(buf.data == NULL && buf.len == 0, "buf free clears");
    dkim_buf_free(&buf); /* twice is harmless */
}

static void
test_overflow(void)
{
    struct dkim_buf buf;
    char big[300];

    dkim_buf_init(&buf, SIZE_MAX);
    TAP_CHECK(dkim_buf_appends(&buf, "ab") == DKIM_OK, "buf unlimited append");
    TAP_CHECK(dkim_buf_append(&buf, "x", SIZE_MAX) == DKIM_ELIMIT,
              "buf size_t overflow rejected");
    TAP_CHECK(dkim_buf_append(&buf, "x", SIZE_MAX - 2) == DKIM_ELIMIT,
              "buf overflow at SIZE_MAX rejected");
    TAP_CHECK(buf.len == 2 && strcmp(buf.data, "ab") == 0,
              "buf intact after overflow");

    /* Growth past the first allocation keeps the old bytes. */
    memset(big, 'q', sizeof(big));
    TAP_CHECK(dkim_buf_append(&buf, big, sizeof(big)) == DKIM_OK &&
                  buf.len == 302 && buf.data[301] == 'q' &&
                  buf.data[302] == '\0' && memcmp(buf.data, "ab", 2) == 0,
              "buf grows");
    dkim_buf_free(&buf);

    dkim_buf_init(&buf, 0);
    TAP_CHECK(dkim_buf_append(&buf, "", 0) == DKIM_OK, "buf max 0 empty ok");
    TAP_CHECK(dkim_buf_appendc(&buf, 'a') == DKIM_ELIMIT,
              "buf max 0 rejects byte");
    dkim_buf_free(&buf);
}

static void
test_names(void)
{
    TAP_CHECK(strcmp(dkim_stat_name(DKIM_OK), "ok") == 0, "stat name ok");
    TAP_CHECK(strcmp(dkim_stat_name(DKIM_ESYNTAX), "syntax error") == 0,
              "stat name syntax");
    TAP_CHECK(strcmp(dkim_stat_name((enum dkim_stat)99), "unknown") == 0,
              "stat name out of range");
    TAP_CHECK(
        strcmp(dkim_result_name(DKIM_RES_NONE), "none") == 0 &&
            strcmp(dkim_result_name(DKIM_RES_PASS), "pass") == 0 &&
            strcmp(dkim_result_name(DKIM_RES_FAIL), "fail") == 0 &&
            strcmp(dkim_result_name(DKIM_RES_POLICY), "policy") == 0 &&
            strcmp(dkim_result_name(DKIM_RES_NEUTRAL), "neutral") == 0 &&
            strcmp(dkim_result_name(DKIM_RES_TEMPERROR), "temperror") == 0 &&
            strcmp(dkim_result_name(DKIM_RES_PERMERROR), "permerror") == 0,
        "result names are RFC 8601 words");
    TAP_CHECK(strcmp(dkim_alg_name(DKIM_ALG_RSA_SHA256), "rsa-sha256") == 0 &&
                  strcmp(dkim_alg_name(DKIM_ALG_ED25519_SHA256),
                         "ed25519-sha256") == 0 &&
                  strcmp(dkim_alg_name(DKIM_ALG_RSA_SHA1), "rsa-sha1") == 0 &&
                  strcmp(dkim_alg_name(DKIM_ALG_UNKNOWN), "unknown") == 0,
              "alg names");
}

static const struct canon_row {
    const char *text;
    enum dkim_stat stat;
    enum dkim_canon header, body;
} canon_rows[] = {
    {"simple", DKIM_OK, DKIM_CANON_SIMPLE, DKIM_CANON_SIMPLE},
    {"relaxed", DKIM_OK, DKIM_CANON_RELAXED, DKIM_CANON_SIMPLE},
    {"simple/simple", DKIM_OK, DKIM_CANON_SIMPLE, DKIM_CANON_SIMPLE},
    {"simple/relaxed", DKIM_OK, DKIM_CANON_SIMPLE, DKIM_CANON_RELAXED},
    {"relaxed/simple", DKIM_OK, DKIM_CANON_RELAXED, DKIM_CANON_SIMPLE},
    {"relaxed/relaxed", DKIM_OK, DKIM_CANON_RELAXED, DKIM_CANON_RELAXED},
    {"", DKIM_ESYNTAX, 0, 0},
    {"/", DKIM_ESYNTAX, 0, 0},
    {"relaxed/", DKIM_ESYNTAX, 0, 0},
    {"/relaxed", DKIM_ESYNTAX, 0, 0},
    {"Relaxed", DKIM_ESYNTAX, 0, 0},
    {"relaxed/relaxed/relaxed", DKIM_ESYNTAX, 0, 0},
    {"relaxed ", DKIM_ESYNTAX, 0, 0},
    {"nowsp", DKIM_ESYNTAX, 0, 0},
};

static void
test_canon(void)
{
    size_t i;

    for (i = 0; i < sizeof(canon_rows) / sizeof(canon_rows[0]); i++) {
        const struct canon_row *row = &canon_rows[i];
        enum dkim_canon h = (enum dkim_canon)7, b = (enum dkim_canon)7;
        enum dkim_stat st = dkim_canon_parse(row->text, &h, &b);

        TAP_CHECK(st == row->stat, "canon \"%s\" status %d", row->text, st);
        if (row->stat == DKIM_OK)
            TAP_CHECK(h == row->header && b == row->body, "canon \"%s\" values",
                      row->text);
        else
            TAP_CHECK(h == (enum dkim_canon)7 && b == (enum dkim_canon)7,
                      "canon \"%s\" leaves outputs", row->text);
    }
}

int
main(void)
{
    test_append();
    test_overflow();
    test_names();
    test_canon();
    return tap_done();
}
