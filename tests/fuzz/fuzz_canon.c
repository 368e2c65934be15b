/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_canon.c - fuzz the streaming body canonicalizer.  The input after
 * its first four bytes is a body, fed in chunk sizes drawn from a generator
 * seeded by those four bytes.  For simple and relaxed, the output must
 * equal a whole-body reference canonicalization written here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/canon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum dkim_stat
collect(void *arg, const unsigned char *data, size_t len)
{
    return dkim_buf_append(arg, data, len);
}

/* Whole-body reference (RFC 6376 3.4.3, 3.4.4): split at CRLF, fix each
 * line, drop trailing empty lines, end each kept line with CRLF. */
static void
reference(enum dkim_canon canon, const uint8_t *in, size_t len,
          struct dkim_buf *out)
{
    size_t pos = 0, keep = 0;

    while (pos < len) {
        size_t end = pos, i, start = out->len;
        int wsp = 0;

        while (end < len && !(in[end] == '\r' && end + 1 < len && in[end + 1] == '\n'))
            end++;
        for (i = pos; i < end; i++) {
            if (canon == DKIM_CANON_RELAXED && (in[i] == ' ' || in[i] == '\t')) {
                wsp = 1;
                continue;
            }
            if (wsp)
                dkim_buf_appendc(out, ' ');
            wsp = 0;
            dkim_buf_appendc(out, (char)in[i]);
        }
        if (out->len > start)
            keep = out->len + 2;
        dkim_buf_append(out, "\r\n", 2);
        pos = end < len ? end + 2 : len;
    }
    out->len = keep;
    if (canon == DKIM_CANON_SIMPLE && keep == 0)
        dkim_buf_append(out, "\r\n", 2);
}

static void
check(enum dkim_canon canon, const uint8_t *body, size_t len, uint32_t seed)
{
    struct dkim_buf want, got;
    struct canon_body cb;
    size_t pos = 0;

    dkim_buf_init(&want, (size_t)-1);
    dkim_buf_init(&got, (size_t)-1);
    reference(canon, body, len, &want);

    canon_body_init(&cb, canon, collect, &got);
    while (pos < len) {
        size_t n;

        seed = seed * 1103515245u + 12345u;
        n = 1 + (seed >> 16) % (seed & 0x80000000u ? 4096 : 8);
        if (n > len - pos)
            n = len - pos;
        if (canon_body_update(&cb, body + pos, n) != DKIM_OK)
            abort();
        pos += n;
    }
    if (canon_body_final(&cb) != DKIM_OK)
        abort();

    if (got.len != want.len ||
        (got.len > 0 && memcmp(got.data, want.data, got.len) != 0))
        abort();
    dkim_buf_free(&want);
    dkim_buf_free(&got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t seed = 0;

    if (size >= 4) {
        seed = (uint32_t)data[0] | (uint32_t)data[1] << 8 |
               (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
        data += 4;
        size -= 4;
    }
    check(DKIM_CANON_SIMPLE, data, size, seed);
    check(DKIM_CANON_RELAXED, data, size, seed);
    return 0;
}
