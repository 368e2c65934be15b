/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_hdrs.c - the stored header fields: bare LF folds stored as CRLF, name
 * matching, the count and byte caps, and the bottom-up h= selection of
 * RFC 6376 5.4.2 with skipped and exhausted names.
 */
#include <string.h>

#include "dkim/hdrs.h"
#include "tap.h"

static void
test_store(void)
{
    struct hdrs h;

    hdrs_init(&h, 10, 1000);
    TAP_CHECK(hdrs_add(&h, "Subject", 7, " one\n\ttwo", 9) == DKIM_OK, "add LF fold");
    TAP_CHECK(h.fields[0].value_len == 10 &&
                  memcmp(h.fields[0].value, " one\r\n\ttwo", 10) == 0,
              "LF fold stored as CRLF");
    TAP_CHECK(hdrs_add(&h, "To", 2, " a\r\n b", 6) == DKIM_OK &&
                  h.fields[1].value_len == 6,
              "CRLF fold stored unchanged");
    TAP_CHECK(hdrs_add(&h, "X", 1, "\n", 1) == DKIM_OK &&
                  h.fields[2].value_len == 2 && memcmp(h.fields[2].value, "\r\n", 2) == 0,
              "leading bare LF stored as CRLF");
    TAP_CHECK(hdrs_add(&h, "", 0, " x", 2) == DKIM_ESYNTAX, "empty name rejected");
    TAP_CHECK(hdrs_add(&h, "A\nB", 3, " x", 2) == DKIM_ESYNTAX, "LF in name rejected");
    TAP_CHECK(hdrs_add(&h, "From ", 5, " x", 2) == DKIM_OK, "name with trailing space");
    TAP_CHECK(hdrs_name_is(&h.fields[3], "from", 4), "name match ignores case and space");
    TAP_CHECK(!hdrs_name_is(&h.fields[3], "fro", 3), "name prefix does not match");
    TAP_CHECK(hdrs_count_name(&h, "FROM") == 1, "count by name");
    hdrs_free(&h);
}

static void
test_caps(void)
{
    struct hdrs h;
    unsigned i;

    hdrs_init(&h, 3, 1000);
    for (i = 0; i < 3; i++)
        hdrs_add(&h, "To", 2, " x", 2);
    TAP_CHECK(hdrs_add(&h, "To", 2, " x", 2) == DKIM_ELIMIT, "count cap");
    hdrs_free(&h);

    hdrs_init(&h, 100, 10);
    TAP_CHECK(hdrs_add(&h, "To", 2, " 1234567", 8) == DKIM_OK, "bytes at the cap");
    TAP_CHECK(hdrs_add(&h, "A", 1, "", 0) == DKIM_ELIMIT, "bytes past the cap");
    hdrs_free(&h);

    /* Each bare LF grows the stored value, and the cap counts that. */
    hdrs_init(&h, 100, 10);
    TAP_CHECK(hdrs_add(&h, "To", 2, "\n\n\n\n\n", 5) == DKIM_ELIMIT,
              "cap counts CRLF expansion");
    hdrs_free(&h);
}

static void
test_select(void)
{
    struct hdrs_select sel;
    struct hdrs h;
    const struct hdr *f;

    hdrs_init(&h, 10, 1000);
    hdrs_add(&h, "From", 4, " top", 4);
    hdrs_add(&h, "To", 2, " t", 2);
    hdrs_add(&h, "from", 4, " middle", 7);
    hdrs_add(&h, "FROM", 4, " bottom", 7);

    hdrs_select_begin(&sel, &h);
    f = hdrs_select_next(&sel, "From");
    TAP_CHECK(f == &h.fields[3], "first From is the bottom one");
    f = hdrs_select_next(&sel, "From");
    TAP_CHECK(f == &h.fields[2], "second From is the next one up");
    f = hdrs_select_next(&sel, "From");
    TAP_CHECK(f == &h.fields[0], "third From is the top one");
    TAP_CHECK(hdrs_select_next(&sel, "From") == NULL, "fourth From selects nothing");
    TAP_CHECK(hdrs_select_next(&sel, "Cc") == NULL, "absent name selects nothing");
    hdrs_select_end(&sel);

    hdrs_select_begin(&sel, &h);
    hdrs_select_skip(&sel, &h.fields[3]);
    TAP_CHECK(hdrs_select_next(&sel, "From") == &h.fields[2], "skipped field is passed over");
    hdrs_select_end(&sel);
    hdrs_free(&h);

    hdrs_init(&h, 10, 1000);
    TAP_CHECK(hdrs_select_begin(&sel, &h) == DKIM_OK &&
                  hdrs_select_next(&sel, "From") == NULL,
              "empty header selects nothing");
    hdrs_select_end(&sel);
    hdrs_free(&h);
}

int
main(void)
{
    test_store();
    test_caps();
    test_select();
    return tap_done();
}
