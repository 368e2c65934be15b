/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * b64.c - base64 (RFC 4648 section 4) for b=, bh= and p=.
 *
 * Functions: b64_decode, b64_decoded_max, b64_encode.
 *
 * Decoding skips SP, HTAB, CR and LF anywhere, because DKIM folds these
 * values (RFC 6376 3.5).  Callers run the tag-list parser first, and it
 * checks that every line break is proper folding.  Padding is strict: the
 * input must be whole 4-character quanta, and "=" may appear only as the
 * last one or two characters.  Unused bits in the last quantum are
 * ignored, as RFC 4648 section 3.5 permits.
 *
 * DIAGNOSTICS: b64_decode returns DKIM_ESYNTAX for a character outside the
 * alphabet, misplaced padding or a truncated quantum, and DKIM_ELIMIT when
 * the output does not fit; b64_encode returns what dkim_buf_append returns
 * and leaves the buffer as it was on failure.
 */
#include <stdbool.h>
#include <string.h>

#include "dkim/b64.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Value of an alphabet character, or -1. */
static int
b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static bool
b64_is_fws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t
b64_decoded_max(size_t len)
{
    return len / 4 * 3 + 3;
}

/* Write the bytes of one complete quantum (1 to 3 of them). */
static enum dkim_stat
b64_flush(const int quad[4], unsigned pads, unsigned char *out, size_t out_size,
          size_t *pos)
{
    unsigned long bits;
    unsigned n = 3 - pads, i;

    if (out_size - *pos < n)
        return DKIM_ELIMIT;
    bits = ((unsigned long)quad[0] << 18) | ((unsigned long)quad[1] << 12) |
           ((unsigned long)quad[2] << 6) | (unsigned long)quad[3];
    for (i = 0; i < n; i++)
        out[(*pos)++] = (unsigned char)(bits >> (16 - 8 * i));
    return DKIM_OK;
}

enum dkim_stat
b64_decode(const char *in, size_t len, unsigned char *out, size_t out_size,
           size_t *out_len)
{
    int quad[4];
    unsigned filled = 0, pads = 0;
    bool ended = false; /* a padded quantum was flushed */
    size_t i, pos = 0;
    enum dkim_stat st;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        int v;

        if (b64_is_fws(c))
            continue;
        if (ended)
            return DKIM_ESYNTAX; /* data after the final padded quantum */

        if (c == '=') {
            /* "=" is allowed in position 3 or 4, and once it starts only
             * "=" may follow within the quantum. */
            if (filled < 2)
                return DKIM_ESYNTAX;
            pads++;
            v = 0;
        } else {
            v = b64_value(c);
            if (v < 0 || pads > 0)
                return DKIM_ESYNTAX;
        }
        quad[filled++] = v;

        if (filled == 4) {
            st = b64_flush(quad, pads, out, out_size, &pos);
            if (st != DKIM_OK)
                return st;
            ended = pads > 0;
            filled = 0;
        }
    }

    if (filled != 0)
        return DKIM_ESYNTAX; /* truncated quantum */
    *out_len = pos;
    return DKIM_OK;
}

enum dkim_stat
b64_encode(const unsigned char *in, size_t len, struct dkim_buf *out)
{
    char chunk[256];
    size_t old_len = out->len, used = 0, i;
    enum dkim_stat st;

    for (i = 0; i < len; i += 3) {
        unsigned long bits = (unsigned long)in[i] << 16;
        size_t left = len - i;

        if (left > 1)
            bits |= (unsigned long)in[i + 1] << 8;
        if (left > 2)
            bits |= in[i + 2];
        chunk[used++] = b64_alphabet[(bits >> 18) & 63];
        chunk[used++] = b64_alphabet[(bits >> 12) & 63];
        chunk[used++] = left > 1 ? b64_alphabet[(bits >> 6) & 63] : '=';
        chunk[used++] = left > 2 ? b64_alphabet[bits & 63] : '=';

        if (used == sizeof(chunk) || i + 3 >= len) {
            st = dkim_buf_append(out, chunk, used);
            if (st != DKIM_OK)
                goto fail;
            used = 0;
        }
    }

    /* An empty input still gives a NUL-terminated buffer. */
    if (len == 0)
        return dkim_buf_append(out, "", 0);
    return DKIM_OK;

fail:
    /* Undo the chunks already appended so the buffer is as it was. */
    out->len = old_len;
    if (out->data != NULL)
        out->data[old_len] = '\0';
    return st;
}
