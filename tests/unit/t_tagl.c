/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_tagl.c - tag-list parser (RFC 6376 3.2): known answers and hostile
 * rows, each with the status, the tag count and a piece of the reason.
 */
#include <stdio.h>
#include <string.h>

#include "dkim/tagl.h"
#include "tap.h"

static const struct tagl_row {
    const char *name;
    const char *input;
    size_t len; /* 0: strlen(input) */
    enum dkim_stat stat;
    unsigned count;
    const char *reason; /* substring of the reason, or NULL */
} rows[] = {
    {"one tag", "v=1", 0, DKIM_OK, 1, NULL},
    {"two tags", "v=1;a=rsa-sha256", 0, DKIM_OK, 2, NULL},
    {"trailing semicolon", "v=1; a=b;", 0, DKIM_OK, 2, NULL},
    {"trailing semicolon and space", "v=DKIM1; p=abc; ", 0, DKIM_OK, 2, NULL},
    {"fws around equals", " v = 1 ; a\t=\tb ", 0, DKIM_OK, 2, NULL},
    {"folded value", "h=from:\r\n\tto;\r\n b=abc", 0, DKIM_OK, 2, NULL},
    {"folded before name", "\r\n v=1", 0, DKIM_OK, 1, NULL},
    {"empty value", "p=", 0, DKIM_OK, 1, NULL},
    {"empty value then tag", "p=;k=rsa", 0, DKIM_OK, 2, NULL},
    {"name with digit and underscore", "x_1=2", 0, DKIM_OK, 1, NULL},
    {"value with equals", "b=abc==", 0, DKIM_OK, 1, NULL},
    {"value punctuation", "n=!\"#$%&'()*+,-./:<>?@[\\]^_`{|}~", 0, DKIM_OK, 1,
     NULL},
    {"empty input", "", 0, DKIM_ESYNTAX, 0, "empty tag list"},
    {"only space", "  \t ", 0, DKIM_ESYNTAX, 0, "empty tag list"},
    {"only semicolon", ";", 0, DKIM_ESYNTAX, 0, "offset 0"},
    {"empty tag-spec", "a=1;;b=2", 0, DKIM_ESYNTAX, 0, "offset 4"},
    {"leading digit name", "1a=2", 0, DKIM_ESYNTAX, 0, "expected a tag name"},
    {"missing equals", "k=rsa; t; p=abc", 0, DKIM_ESYNTAX, 0,
     "tag t: missing \"=\""},
    {"name with space", "a b=1", 0, DKIM_ESYNTAX, 0, "tag a: missing"},
    {"duplicate", "a=1; b=2; a=3", 0, DKIM_ESYNTAX, 0, "duplicate tag a"},
    {"control char", "v=1; bh=abc\x07", 0, DKIM_ESYNTAX, 0,
     "tag bh: invalid character 0x07 at offset 11"},
    {"del char", "a=b\x7f", 0, DKIM_ESYNTAX, 0, "0x7f"},
    {"8-bit char", "n=caf\xc3\xa9", 0, DKIM_ESYNTAX, 0, "0xc3"},
    {"nul byte", "a=b\0c", 5, DKIM_ESYNTAX, 0, "0x00 at offset 3"},
    {"bare lf", "a=b\n c", 0, DKIM_ESYNTAX, 0, "line break"},
    {"bare cr", "a=b\r c", 0, DKIM_ESYNTAX, 0, "line break"},
    {"crlf without wsp", "a=b\r\nc=d", 0, DKIM_ESYNTAX, 0, "offset 3"},
    {"crlf at end", "a=b\r\n", 0, DKIM_ESYNTAX, 0, "line break"},
    {"crlf crlf wsp", "a=b\r\n\r\n c", 0, DKIM_ESYNTAX, 0, "line break"},
    {"crlf at start", "\r\na=b", 0, DKIM_ESYNTAX, 0, "offset 0"},
    {"name 32 chars", "abcdefghijabcdefghijabcdefghijab=1", 0, DKIM_OK, 1,
     NULL},
    {"name 33 chars", "abcdefghijabcdefghijabcdefghijabc=1", 0, DKIM_ELIMIT, 0,
     "longer than 32"},
};

static void
test_rows(void)
{
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct tagl_row *row = &rows[i];
        size_t len = row->len ? row->len : strlen(row->input);
        struct tagl list;
        char err[128] = "";
        enum dkim_stat st;

        st = tagl_parse(row->input, len, &list, err, sizeof(err));
        TAP_CHECK(st == row->stat, "tagl %s status %d (%s)", row->name, st,
                  err);
        if (row->stat == DKIM_OK)
            TAP_CHECK(list.count == row->count, "tagl %s count %u", row->name,
                      list.count);
        if (row->reason != NULL)
            TAP_CHECK(strstr(err, row->reason) != NULL, "tagl %s reason",
                      row->name);
    }
}

static int
tag_is(const struct tagl *list, const char *name, const char *value)
{
    const struct tagl_tag *tag = tagl_find(list, name);

    return tag != NULL && tag->value_len == strlen(value) &&
           memcmp(tag->value, value, tag->value_len) == 0;
}

static void
test_values(void)
{
    static const char input[] =
        " v = 1 ;h=from : to\r\n\t: subject; p= ;bh=ab\r\n cd ; n=x y;";
    struct tagl list;
    char err[128];
    const struct tagl_tag *tag;

    TAP_CHECK(tagl_parse(input, strlen(input), &list, err, sizeof(err)) ==
                  DKIM_OK,
              "tagl values parse");
    TAP_CHECK(list.count == 5, "tagl values count");
    TAP_CHECK(tag_is(&list, "v", "1"), "tagl value trimmed");
    TAP_CHECK(tag_is(&list, "h", "from : to\r\n\t: subject"),
              "tagl value keeps inner fws");
    TAP_CHECK(tag_is(&list, "p", ""), "tagl empty value");
    TAP_CHECK(tag_is(&list, "bh", "ab\r\n cd"), "tagl folded value");
    TAP_CHECK(tag_is(&list, "n", "x y"), "tagl value with space");
    TAP_CHECK(tagl_find(&list, "V") == NULL, "tagl find case-sensitive");
    TAP_CHECK(tagl_find(&list, "b") == NULL, "tagl find exact name");

    tag = tagl_find(&list, "bh");
    TAP_CHECK(tag != NULL && tag->value_offset == 40 &&
                  memcmp(input + tag->value_offset, "ab", 2) == 0,
              "tagl value offset");
    tag = tagl_find(&list, "p");
    TAP_CHECK(tag != NULL && tag->value_offset <= strlen(input),
              "tagl empty value offset");
}

/* 64 tags parse; the 65th is over TAGL_MAX_TAGS. */
static void
test_tag_cap(void)
{
    char input[1024];
    size_t len = 0;
    struct tagl list;
    char err[128] = "";
    int i;

    for (i = 0; i < TAGL_MAX_TAGS; i++)
        len +=
            (size_t)snprintf(input + len, sizeof(input) - len, "t%d=%d;", i, i);
    TAP_CHECK(tagl_parse(input, len, &list, err, sizeof(err)) == DKIM_OK &&
                  list.count == TAGL_MAX_TAGS,
              "tagl 64 tags");
    len += (size_t)snprintf(input + len, sizeof(input) - len, "z=1");
    TAP_CHECK(tagl_parse(input, len, &list, err, sizeof(err)) == DKIM_ELIMIT,
              "tagl 65 tags rejected");
    TAP_CHECK(strstr(err, "more than 64 tags") != NULL, "tagl 65 tags reason");
}

static void
test_api(void)
{
    struct tagl list;
    char tiny[4];

    TAP_CHECK(tagl_parse(NULL, 3, &list, NULL, 0) == DKIM_EINVAL,
              "tagl null input");
    TAP_CHECK(tagl_parse("a=1", 3, NULL, NULL, 0) == DKIM_EINVAL,
              "tagl null output");
    TAP_CHECK(tagl_parse("1", 1, &list, NULL, 0) == DKIM_ESYNTAX,
              "tagl no error buffer");
    TAP_CHECK(tagl_parse("1", 1, &list, tiny, sizeof(tiny)) == DKIM_ESYNTAX &&
                  strlen(tiny) == 3,
              "tagl reason truncated");
}

int
main(void)
{
    test_rows();
    test_values();
    test_tag_cap();
    test_api();
    return tap_done();
}
