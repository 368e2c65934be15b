/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_b64.c - base64 known answers (RFC 4648 section 10) and hostile input.
 */
#include <string.h>

#include "dkim/b64.h"
#include "tap.h"

/* RFC 4648 section 10 test vectors. */
static const struct vector {
    const char *plain, *encoded;
} vectors[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static const struct decode_row {
    const char *name, *in;
    enum dkim_stat stat;
    const char *out;
} decode_rows[] = {
    {"fws inside", "Zm9v\r\n YmFy", DKIM_OK, "foobar"},
    {"fws everywhere", " Z m 9 v Y g = = \t", DKIM_OK, "foob"},
    {"fws inside padding", "Zg= =", DKIM_OK, "f"},
    {"nonzero pad bits", "Zh==", DKIM_OK, "f"},
    {"truncated quantum", "Zm9", DKIM_ESYNTAX, NULL},
    {"one char", "Z", DKIM_ESYNTAX, NULL},
    {"short padding", "Zg=", DKIM_ESYNTAX, NULL},
    {"three pads", "Z===", DKIM_ESYNTAX, NULL},
    {"four pads", "====", DKIM_ESYNTAX, NULL},
    {"data after padding", "Zg==Zg==", DKIM_ESYNTAX, NULL},
    {"pad then char", "Zg=a", DKIM_ESYNTAX, NULL},
    {"extra pad", "Zm9v=", DKIM_ESYNTAX, NULL},
    {"bad char", "Zm*v", DKIM_ESYNTAX, NULL},
    {"url alphabet", "Zm-_", DKIM_ESYNTAX, NULL},
    {"nul byte", "Zm9\0", DKIM_ESYNTAX, NULL},
    {"8-bit byte", "Zm9\xc3", DKIM_ESYNTAX, NULL},
    {"vertical tab", "Zm9v\vYmFy", DKIM_ESYNTAX, NULL},
};

static void
test_vectors(void)
{
    size_t i;

    for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        const struct vector *v = &vectors[i];
        unsigned char out[16];
        size_t out_len = 99;
        struct dkim_buf buf;
        enum dkim_stat st;

        st = b64_decode(v->encoded, strlen(v->encoded), out, sizeof(out),
                        &out_len);
        TAP_CHECK(st == DKIM_OK && out_len == strlen(v->plain) &&
                      memcmp(out, v->plain, out_len) == 0,
                  "b64 decode \"%s\"", v->encoded);

        dkim_buf_init(&buf, 64);
        st =
            b64_encode((const unsigned char *)v->plain, strlen(v->plain), &buf);
        TAP_CHECK(st == DKIM_OK && buf.data != NULL &&
                      strcmp(buf.data, v->encoded) == 0,
                  "b64 encode \"%s\"", v->plain);
        dkim_buf_free(&buf);
    }
}

static void
test_decode_rows(void)
{
    size_t i;

    for (i = 0; i < sizeof(decode_rows) / sizeof(decode_rows[0]); i++) {
        const struct decode_row *row = &decode_rows[i];
        unsigned char out[16];
        size_t out_len = 0, in_len = strlen(row->in);
        enum dkim_stat st;

        if (strcmp(row->name, "nul byte") == 0)
            in_len = 4;
        st = b64_decode(row->in, in_len, out, sizeof(out), &out_len);
        TAP_CHECK(st == row->stat, "b64 %s status %d", row->name, st);
        if (row->out != NULL)
            TAP_CHECK(out_len == strlen(row->out) &&
                          memcmp(out, row->out, out_len) == 0,
                      "b64 %s output", row->name);
    }
}

static void
test_limits(void)
{
    unsigned char out[4];
    size_t out_len = 0;
    struct dkim_buf buf;
    unsigned char data[600];

    TAP_CHECK(b64_decode("Zm9vYmFy", 8, out, 5, &out_len) == DKIM_ELIMIT,
              "b64 output too small");
    TAP_CHECK(b64_decode("Zm9vYg==", 8, out, 4, &out_len) == DKIM_OK &&
                  out_len == 4,
              "b64 output exactly fits");
    TAP_CHECK(b64_decode("Zg==", 4, NULL, 0, &out_len) == DKIM_ELIMIT,
              "b64 no output buffer");
    TAP_CHECK(b64_decoded_max(8) >= 6 && b64_decoded_max(7) >= 5,
              "b64 decoded max bounds");

    /* A failed encode leaves the earlier contents alone, even when the
     * failure comes after several chunks were appended. */
    memset(data, 0xab, sizeof(data));
    dkim_buf_init(&buf, 500);
    TAP_CHECK(dkim_buf_appends(&buf, "keep") == DKIM_OK, "b64 buf prefix");
    TAP_CHECK(b64_encode(data, sizeof(data), &buf) == DKIM_ELIMIT,
              "b64 encode over cap");
    TAP_CHECK(buf.len == 4 && strcmp(buf.data, "keep") == 0,
              "b64 encode failure keeps buffer");
    dkim_buf_free(&buf);

    /* Round trip of every byte value across chunk boundaries. */
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 7);
    dkim_buf_init(&buf, 4096);
    TAP_CHECK(b64_encode(data, sizeof(data), &buf) == DKIM_OK && buf.len == 800,
              "b64 encode 600 bytes");
    {
        unsigned char back[600];
        size_t back_len = 0;

        TAP_CHECK(b64_decode(buf.data, buf.len, back, sizeof(back),
                             &back_len) == DKIM_OK &&
                      back_len == 600 && memcmp(back, data, 600) == 0,
                  "b64 round trip");
    }
    dkim_buf_free(&buf);
}

int
main(void)
{
    test_vectors();
    test_decode_rows();
    test_limits();
    return tap_done();
}
