/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * buf.c - growable byte buffers with a hard size cap.
 *
 * Functions: dkim_buf_init, dkim_buf_free, dkim_buf_reset, dkim_buf_append,
 * dkim_buf_appendc, dkim_buf_appends, dkim_buf_printf.
 *
 * A buffer allocates nothing until the first append; after that data is
 * never NULL and data[len] is always NUL.  max counts content bytes, not
 * the terminating NUL, so a buffer with max 0 accepts only empty appends.
 *
 * DIAGNOSTICS: appends return DKIM_ELIMIT when len would pass max (or
 * size_t would overflow) and DKIM_ENOMEM when realloc fails.  In both cases
 * the buffer keeps its old contents, length and allocation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/buf.h"

#define BUF_MIN_CAP 64

void
dkim_buf_init(struct dkim_buf *buf, size_t max)
{
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max;
}

void
dkim_buf_free(struct dkim_buf *buf)
{
    if (buf == NULL)
        return;
    free(buf->data);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
}

/* Empty the buffer but keep its allocation for reuse. */
void
dkim_buf_reset(struct dkim_buf *buf)
{
    buf->len = 0;
    if (buf->data != NULL)
        buf->data[0] = '\0';
}

/*
 * Make room for extra more content bytes plus the NUL.  Capacity doubles
 * so that appending byte by byte stays linear, but never beyond max + 1.
 */
static enum dkim_stat
buf_reserve(struct dkim_buf *buf, size_t extra)
{
    size_t need, cap;
    char *data;

    /* The last test keeps need below from wrapping when max is SIZE_MAX. */
    if (extra > buf->max || buf->len > buf->max - extra ||
        buf->len + extra == SIZE_MAX)
        return DKIM_ELIMIT;
    need = buf->len + extra + 1;
    if (need <= buf->cap)
        return DKIM_OK;

    cap = buf->cap < BUF_MIN_CAP ? BUF_MIN_CAP : buf->cap;
    while (cap < need && cap <= SIZE_MAX / 2)
        cap *= 2;
    if (cap < need)
        cap = need;
    if (buf->max < SIZE_MAX && cap > buf->max + 1)
        cap = buf->max + 1;

    data = realloc(buf->data, cap);
    if (data == NULL)
        return DKIM_ENOMEM;
    if (buf->data == NULL)
        data[0] = '\0';
    buf->data = data;
    buf->cap = cap;
    return DKIM_OK;
}

enum dkim_stat
dkim_buf_append(struct dkim_buf *buf, const void *data, size_t len)
{
    enum dkim_stat st;

    st = buf_reserve(buf, len);
    if (st != DKIM_OK)
        return st;
    if (len > 0)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return DKIM_OK;
}

enum dkim_stat
dkim_buf_appendc(struct dkim_buf *buf, char c)
{
    return dkim_buf_append(buf, &c, 1);
}

enum dkim_stat
dkim_buf_appends(struct dkim_buf *buf, const char *s)
{
    return dkim_buf_append(buf, s, strlen(s));
}

/* Format twice: once to measure, once into the reserved space. */
enum dkim_stat
dkim_buf_printf(struct dkim_buf *buf, const char *fmt, ...)
{
    va_list ap;
    enum dkim_stat st;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return DKIM_EINVAL;

    st = buf_reserve(buf, (size_t)n);
    if (st != DKIM_OK)
        return st;

    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return DKIM_OK;
}
