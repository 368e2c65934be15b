/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fold.c - folding DKIM-Signature values under the line limit.  See fold.h
 * for the interface.
 *
 * DIAGNOSTICS: buffer errors are kept in struct fold (see fold.h).
 */
#include <string.h>

#include "dkim/fold.h"

/* Value characters that must fit after " b=" before the tag may start on
 * the current line. */
#define FOLD_B64_MIN 8

void
fold_init(struct fold *f, struct dkim_buf *out, size_t start_col)
{
    f->out = out;
    f->col = start_col;
    f->st = DKIM_OK;
}

void
fold_resume(struct fold *f, struct dkim_buf *out, size_t start_col)
{
    size_t i = out->len;

    while (i > 0 && out->data[i - 1] != '\n')
        i--;
    fold_init(f, out, i > 0 ? out->len - i : start_col + out->len);
}

static void
fold_put(struct fold *f, const char *s, size_t len)
{
    if (f->st == DKIM_OK)
        f->st = dkim_buf_append(f->out, s, len);
    f->col += len;
}

/* Start a new line when width more characters would pass the limit.  The
 * break replaces the unit's leading space when it has one. */
static bool
fold_break_if(struct fold *f, size_t width)
{
    if (f->col + width <= FOLD_MAX_LINE || f->col <= 1)
        return false;
    fold_put(f, "\r\n\t", 3);
    f->col = 1;
    return true;
}

void
fold_tag(struct fold *f, const char *name, const char *value, bool last)
{
    size_t nlen = strlen(name), vlen = strlen(value);
    size_t width = 1 + nlen + 1 + vlen + (last ? 0 : 1);

    if (!fold_break_if(f, width))
        fold_put(f, " ", 1);
    fold_put(f, name, nlen);
    fold_put(f, "=", 1);
    fold_put(f, value, vlen);
    if (!last)
        fold_put(f, ";", 1);
}

void
fold_list(struct fold *f, const char *name, const char *const *items,
          unsigned count, bool last)
{
    size_t nlen = strlen(name);
    unsigned i;

    for (i = 0; i < count; i++) {
        size_t ilen = strlen(items[i]);
        size_t width = ilen + 1; /* the item and its ":" or ";" */

        if (i == 0) {
            if (!fold_break_if(f, 1 + nlen + 1 + width))
                fold_put(f, " ", 1);
            fold_put(f, name, nlen);
            fold_put(f, "=", 1);
        } else {
            fold_break_if(f, width);
        }
        fold_put(f, items[i], ilen);
        if (i + 1 < count)
            fold_put(f, ":", 1);
    }
    if (count == 0) {
        if (!fold_break_if(f, 1 + nlen + 2))
            fold_put(f, " ", 1);
        fold_put(f, name, nlen);
        fold_put(f, "=", 1);
    }
    if (!last)
        fold_put(f, ";", 1);
}

void
fold_b64_start(struct fold *f, const char *name)
{
    size_t nlen = strlen(name);

    if (!fold_break_if(f, 1 + nlen + 1 + FOLD_B64_MIN))
        fold_put(f, " ", 1);
    fold_put(f, name, nlen);
    fold_put(f, "=", 1);
}

void
fold_b64_value(struct fold *f, const char *value, size_t len, bool last)
{
    /* Keep one column free on the last line for the ";". */
    size_t limit = FOLD_MAX_LINE - (last ? 0 : 1);

    while (len > 0) {
        size_t room = f->col < limit ? limit - f->col : 0;
        size_t n = room < len ? room : len;

        if (n == 0) {
            fold_put(f, "\r\n\t", 3);
            f->col = 1;
            continue;
        }
        fold_put(f, value, n);
        value += n;
        len -= n;
    }
    if (!last)
        fold_put(f, ";", 1);
}

enum dkim_stat
fold_status(const struct fold *f)
{
    return f->st;
}

enum dkim_stat
fold_eol(const char *in, size_t len, const char *eol, struct dkim_buf *out)
{
    size_t i, start = 0;
    enum dkim_stat st;

    for (i = 0; i + 1 < len; i++) {
        if (in[i] != '\r' || in[i + 1] != '\n')
            continue;
        if ((st = dkim_buf_append(out, in + start, i - start)) != DKIM_OK ||
            (st = dkim_buf_appends(out, eol)) != DKIM_OK)
            return st;
        start = i + 2;
        i++;
    }
    return dkim_buf_append(out, in + start, len - start);
}
