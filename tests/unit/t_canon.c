/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_canon.c - header and body canonicalization (RFC 6376 3.4): known
 * answers both ways, the empty-body hashes, l= limits, shared hashes, and
 * the streaming body canonicalizer fed at every split position and in
 * random chunks, checked against a whole-body reference written here.
 */
#include <stdlib.h>
#include <string.h>

#include "dkim/b64.h"
#include "dkim/bodyhash.h"
#include "dkim/canon.h"
#include "tap.h"

struct header_case {
    const char *name, *value, *simple, *relaxed;
};

static const struct header_case header_cases[] = {
    /* RFC 6376 3.4.5, first field. */
    {"A", " X", "A: X\r\n", "a:X\r\n"},
    /* RFC 6376 3.4.5, second field: space before the colon, a fold. */
    {"B ", " Y\t\r\n\tZ  ", "B : Y\t\r\n\tZ  \r\n", "b:Y Z\r\n"},
    {"Subject", " hi   there\r\n  folded ", "Subject: hi   there\r\n  folded \r\n",
     "subject:hi there folded\r\n"},
    {"X-Empty", "", "X-Empty:\r\n", "x-empty:\r\n"},
    {"X-Blank", " \t ", "X-Blank: \t \r\n", "x-blank:\r\n"},
    {"MiXeD", "NoSpace", "MiXeD:NoSpace\r\n", "mixed:NoSpace\r\n"},
    {"To", " a@b,\r\n c@d", "To: a@b,\r\n c@d\r\n", "to:a@b, c@d\r\n"},
    /* Only CRLF unfolds: a bare CR is content (RFC 6376 3.4.2). */
    {"Subject", " a\rb", "Subject: a\rb\r\n", "subject:a\rb\r\n"},
    {"Subject", " a \r b", "Subject: a \r b\r\n", "subject:a \r b\r\n"},
};

static void
test_header_cases(void)
{
    size_t i;

    for (i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++) {
        const struct header_case *c = &header_cases[i];
        struct dkim_buf buf;

        dkim_buf_init(&buf, 4096);
        canon_header(DKIM_CANON_SIMPLE, c->name, strlen(c->name), c->value,
                     strlen(c->value), true, &buf);
        TAP_CHECK(buf.len == strlen(c->simple) &&
                      memcmp(buf.data, c->simple, buf.len) == 0,
                  "header simple %zu (%s)", i, c->name);
        dkim_buf_reset(&buf);
        canon_header(DKIM_CANON_RELAXED, c->name, strlen(c->name), c->value,
                     strlen(c->value), true, &buf);
        TAP_CHECK(buf.len == strlen(c->relaxed) &&
                      memcmp(buf.data, c->relaxed, buf.len) == 0,
                  "header relaxed %zu (%s)", i, c->name);
        dkim_buf_free(&buf);
    }
}

static void
test_header_no_crlf(void)
{
    struct dkim_buf buf;

    dkim_buf_init(&buf, 4096);
    canon_header(DKIM_CANON_RELAXED, "DKIM-Signature", 14, " v=1; b=", 8,
                 false, &buf);
    TAP_CHECK(buf.len == 22 && memcmp(buf.data, "dkim-signature:v=1; b=", 22) == 0,
              "header without final CRLF");
    dkim_buf_free(&buf);
}

/* Collects canonicalized bytes for known-answer checks. */
static enum dkim_stat
collect_sink(void *arg, const unsigned char *data, size_t len)
{
    return dkim_buf_append(arg, data, len);
}

struct body_case {
    const char *in, *simple, *relaxed;
};

static const struct body_case body_cases[] = {
    /* RFC 6376 3.4.5 body. */
    {" C \r\nD \t E\r\n\r\n\r\n", " C \r\nD \t E\r\n", " C\r\nD E\r\n"},
    {"", "\r\n", ""},
    {"\r\n", "\r\n", ""},
    {"\r\n\r\n\r\n", "\r\n", ""},
    {"abc", "abc\r\n", "abc\r\n"},
    {"abc\r\n", "abc\r\n", "abc\r\n"},
    {"abc\r", "abc\r\r\n", "abc\r\r\n"},
    {"a\rb\r\n", "a\rb\r\n", "a\rb\r\n"},
    {"  \r\n\t\r\n", "  \r\n\t\r\n", ""},
    {"x  \r\n  \r\ny", "x  \r\n  \r\ny\r\n", "x\r\n\r\ny\r\n"},
    {"a \t b\t\r\n", "a \t b\t\r\n", "a b\r\n"},
    {"\r\n\r\nmid\r\n\r\n", "\r\n\r\nmid\r\n", "\r\n\r\nmid\r\n"},
    {"end  ", "end  \r\n", "end\r\n"},
    {" lead", " lead\r\n", " lead\r\n"},
    {"a\nb\r\n", "a\nb\r\n", "a\nb\r\n"},
};

static void
canon_once(enum dkim_canon canon, const char *in, size_t len,
           struct dkim_buf *out)
{
    struct canon_body cb;

    canon_body_init(&cb, canon, collect_sink, out);
    canon_body_update(&cb, in, len);
    canon_body_final(&cb);
}

static void
test_body_cases(void)
{
    size_t i;

    for (i = 0; i < sizeof(body_cases) / sizeof(body_cases[0]); i++) {
        const struct body_case *c = &body_cases[i];
        struct dkim_buf buf;

        dkim_buf_init(&buf, 4096);
        canon_once(DKIM_CANON_SIMPLE, c->in, strlen(c->in), &buf);
        TAP_CHECK(buf.len == strlen(c->simple) &&
                      memcmp(buf.data ? buf.data : "", c->simple, buf.len) == 0,
                  "body simple %zu", i);
        dkim_buf_reset(&buf);
        canon_once(DKIM_CANON_RELAXED, c->in, strlen(c->in), &buf);
        TAP_CHECK(buf.len == strlen(c->relaxed) &&
                      memcmp(buf.data ? buf.data : "", c->relaxed, buf.len) == 0,
                  "body relaxed %zu", i);
        dkim_buf_free(&buf);
    }
}

/* Whole-body reference: split at CRLF, fix each line, drop trailing empty
 * lines, end every line with CRLF. */
static void
reference_canon(enum dkim_canon canon, const char *in, size_t len,
                struct dkim_buf *out)
{
    struct dkim_buf line;
    size_t pos = 0, keep = 0;

    dkim_buf_init(&line, (size_t)-1);
    dkim_buf_reset(out);
    while (pos < len) {
        size_t end = pos, i;
        bool wsp = false;

        while (end < len && !(in[end] == '\r' && end + 1 < len && in[end + 1] == '\n'))
            end++;
        dkim_buf_reset(&line);
        for (i = pos; i < end; i++) {
            if (canon == DKIM_CANON_RELAXED && (in[i] == ' ' || in[i] == '\t')) {
                wsp = true;
                continue;
            }
            if (wsp)
                dkim_buf_appendc(&line, ' ');
            wsp = false;
            dkim_buf_appendc(&line, in[i]);
        }
        dkim_buf_append(out, line.data ? line.data : "", line.len);
        dkim_buf_append(out, "\r\n", 2);
        if (line.len > 0)
            keep = out->len;
        pos = end < len ? end + 2 : len;
    }
    out->len = keep;
    if (canon == DKIM_CANON_SIMPLE && keep == 0)
        dkim_buf_append(out, "\r\n", 2);
    dkim_buf_free(&line);
}

static void
hash_text(const void *data, size_t len, char out[64])
{
    unsigned char md[32];
    unsigned int n = 0;
    struct dkim_buf b64;

    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    dkim_buf_init(&b64, 64);
    b64_encode(md, n, &b64);
    snprintf(out, 64, "%s", b64.data);
    dkim_buf_free(&b64);
}

/* Run a body through bodyhash in the chunks cuts[] gives; return the
 * base64 digest of the given canonicalization. */
static void
hash_chunks(enum dkim_canon canon, const char *in, size_t len,
            const size_t *cuts, size_t ncuts, char out[64])
{
    struct bodyhash bh;
    struct dkim_buf b64;
    unsigned idx = 0;
    size_t i, pos = 0;

    bodyhash_init(&bh);
    bodyhash_add(&bh, canon, BODYHASH_NO_LIMIT, &idx);
    for (i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : len;

        bodyhash_update(&bh, in + pos, end - pos);
        pos = end;
    }
    bodyhash_final(&bh);
    dkim_buf_init(&b64, 64);
    b64_encode(bodyhash_get(&bh, idx)->digest, 32, &b64);
    snprintf(out, 64, "%s", b64.data);
    dkim_buf_free(&b64);
    bodyhash_free(&bh);
}

static void
test_empty_body_hashes(void)
{
    char got[64];

    hash_chunks(DKIM_CANON_SIMPLE, "", 0, NULL, 0, got);
    TAP_CHECK(strcmp(got, "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=") == 0,
              "empty body simple hash (%s)", got);
    hash_chunks(DKIM_CANON_RELAXED, "", 0, NULL, 0, got);
    TAP_CHECK(strcmp(got, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") == 0,
              "empty body relaxed hash (%s)", got);
    hash_chunks(DKIM_CANON_RELAXED, "\r\n \r\n\t\r\n", 8, NULL, 0, got);
    TAP_CHECK(strcmp(got, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") == 0,
              "blank lines relaxed hash");
}

/* RFC 8463 A.3: the body of the example message, relaxed. */
static void
test_rfc8463_body_hash(void)
{
    static const char body[] =
        "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n";
    char got[64];

    hash_chunks(DKIM_CANON_RELAXED, body, strlen(body), NULL, 0, got);
    TAP_CHECK(strcmp(got, "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=") == 0,
              "RFC 8463 body hash (%s)", got);
}

static const char split_body[] =
    " lead \t \r\nline two\r\r\n\r \r\n  \t\r\ntab\there  \r\n\r\n"
    "x\r\n\r\n\r\n \r\n\r";

static void
test_every_split(void)
{
    size_t len = sizeof(split_body) - 1, i, j;
    enum dkim_canon canon;

    for (canon = DKIM_CANON_SIMPLE; canon <= DKIM_CANON_RELAXED; canon++) {
        char whole[64], got[64], ref[64];
        struct dkim_buf refbuf;
        size_t bad = 0, cuts[2];

        dkim_buf_init(&refbuf, 1 << 20);
        reference_canon(canon, split_body, len, &refbuf);
        hash_text(refbuf.data, refbuf.len, ref);
        hash_chunks(canon, split_body, len, NULL, 0, whole);
        TAP_CHECK(strcmp(whole, ref) == 0, "split body matches reference %d",
                  (int)canon);

        for (i = 0; i <= len; i++) {
            for (j = i; j <= len; j++) {
                cuts[0] = i;
                cuts[1] = j;
                hash_chunks(canon, split_body, len, cuts, 2, got);
                if (strcmp(got, whole) != 0)
                    bad++;
            }
        }
        TAP_CHECK(bad == 0, "every two-cut split same hash %d (%zu bad)",
                  (int)canon, bad);
        dkim_buf_free(&refbuf);
    }
}

/* Fixed-seed random bodies of CR, LF, SP, TAB and letters, fed in random
 * chunk sizes, including runs that cross the 16 KiB block. */
static void
test_random_bodies(void)
{
    static const char alphabet[] = "\r\n\r\n\r\n  \t\tab";
    unsigned seed = 12345, round, bad = 0;
    struct dkim_buf refbuf;
    char *body = malloc(70000);

    dkim_buf_init(&refbuf, 1 << 20);
    for (round = 0; round < 200; round++) {
        size_t len = (round % 10 == 0) ? 40000 + round * 100 : round * 7 % 500;
        size_t i, cuts[64], ncuts = 0, pos = 0;
        enum dkim_canon canon = round % 2 ? DKIM_CANON_RELAXED
                                          : DKIM_CANON_SIMPLE;
        char got[64], ref[64];

        for (i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            body[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        }
        if (round % 20 == 0)
            memset(body, '\n', len / 2);
        while (ncuts < 64 && pos < len) {
            seed = seed * 1103515245u + 12345u;
            pos += 1 + (seed >> 16) % (len / 8 + 2);
            if (pos < len)
                cuts[ncuts++] = pos;
        }
        reference_canon(canon, body, len, &refbuf);
        hash_text(refbuf.data ? refbuf.data : "", refbuf.len, ref);
        hash_chunks(canon, body, len, cuts, ncuts, got);
        if (strcmp(got, ref) != 0)
            bad++;
    }
    TAP_CHECK(bad == 0, "random bodies match reference (%u bad)", bad);
    dkim_buf_free(&refbuf);
    free(body);
}

static void
test_limit_and_sharing(void)
{
    static const char body[] = "hello world\r\nsecond line\r\n";
    struct bodyhash bh;
    unsigned a = 9, b = 9, c = 9, d = 9;
    char want[64], got[64];
    struct dkim_buf b64;

    bodyhash_init(&bh);
    bodyhash_add(&bh, DKIM_CANON_SIMPLE, BODYHASH_NO_LIMIT, &a);
    bodyhash_add(&bh, DKIM_CANON_SIMPLE, BODYHASH_NO_LIMIT, &b);
    bodyhash_add(&bh, DKIM_CANON_SIMPLE, 5, &c);
    bodyhash_add(&bh, DKIM_CANON_RELAXED, BODYHASH_NO_LIMIT, &d);
    TAP_CHECK(a == b, "same canon and l= share a hash");
    TAP_CHECK(c != a && d != a && d != c, "other l= or canon get their own");
    TAP_CHECK(bh.count == 3, "three hashes for four requests");

    bodyhash_update(&bh, body, 3);
    bodyhash_update(&bh, body + 3, sizeof(body) - 4);
    TAP_CHECK(bodyhash_add(&bh, DKIM_CANON_SIMPLE, 7, &a) == DKIM_EINVAL,
              "no new hash after the body started");
    bodyhash_final(&bh);

    hash_text("hello", 5, want);
    dkim_buf_init(&b64, 64);
    b64_encode(bodyhash_get(&bh, c)->digest, 32, &b64);
    snprintf(got, sizeof(got), "%s", b64.data);
    TAP_CHECK(strcmp(got, want) == 0, "l=5 hashes five bytes");
    TAP_CHECK(bodyhash_get(&bh, c)->length == 5, "l=5 length counted");
    TAP_CHECK(bodyhash_total(&bh, DKIM_CANON_SIMPLE) == sizeof(body) - 1,
              "total canonical length");
    TAP_CHECK(bodyhash_get(&bh, 99) == NULL, "unknown index is NULL");
    dkim_buf_free(&b64);
    bodyhash_free(&bh);
}

int
main(void)
{
    test_header_cases();
    test_header_no_crlf();
    test_body_cases();
    test_empty_body_hashes();
    test_rfc8463_body_hash();
    test_every_split();
    test_random_bodies();
    test_limit_and_sharing();
    return tap_done();
}
