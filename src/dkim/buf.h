/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * buf.h - growable byte buffers with a hard size cap.
 *
 * Every producer of text in Signet appends to a caller-owned dkim_buf whose
 * max bounds how far it may grow.  The data is always NUL-terminated after
 * len bytes so it can be printed, but lengths, not the NUL, are
 * authoritative.
 *
 * DIAGNOSTICS: appends return DKIM_ENOMEM or DKIM_ELIMIT and leave the
 * buffer as it was.
 */
#ifndef SIGNET_DKIM_BUF_H
#define SIGNET_DKIM_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "dkim/status.h"

struct dkim_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* len never exceeds this */
};

void dkim_buf_init(struct dkim_buf *buf, size_t max);
void dkim_buf_free(struct dkim_buf *buf);
void dkim_buf_reset(struct dkim_buf *buf);
enum dkim_stat dkim_buf_append(struct dkim_buf *buf, const void *data,
                               size_t len);
enum dkim_stat dkim_buf_appendc(struct dkim_buf *buf, char c);
enum dkim_stat dkim_buf_appends(struct dkim_buf *buf, const char *s);
enum dkim_stat dkim_buf_printf(struct dkim_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
