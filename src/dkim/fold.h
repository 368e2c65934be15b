/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fold.h - folding a DKIM-Signature field value under the 78-character line
 * limit of RFC 5322 2.1.1.
 *
 * Tags are appended one by one, and a tag that does not fit on the current
 * line starts a new one.  h= may break after any colon and base64 values (bh=,
 * b=) anywhere, where RFC 6376 3.5 allows FWS.  Folds are always written as
 * CRLF TAB; fold_eol rewrites them for a caller that wants another line
 * end (the milter protocol uses LF).
 *
 * Functions: fold_init, fold_resume, fold_tag, fold_list, fold_b64_start,
 * fold_b64_value, fold_status, fold_eol.
 *
 * DIAGNOSTICS: the first buffer error (DKIM_ENOMEM, DKIM_ELIMIT) is kept
 * and later calls do nothing; fold_status returns it.
 */
#ifndef SIGNET_DKIM_FOLD_H
#define SIGNET_DKIM_FOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "dkim/buf.h"

/* Characters on one line, line break excluded. */
#define FOLD_MAX_LINE 76

struct fold {
    struct dkim_buf *out;
    size_t col; /* characters already on the current line */
    enum dkim_stat st;
};

/* start_col counts what precedes the value on its first line, such as the
 * 15 characters of "DKIM-Signature:". */
void fold_init(struct fold *f, struct dkim_buf *out, size_t start_col);
/* Continue folding a value already in out, from the end of its last line;
 * start_col is as for fold_init. */
void fold_resume(struct fold *f, struct dkim_buf *out, size_t start_col);
/* Append " name=value;" (no ";" when last) on one line.  A value longer
 * than a whole line, such as a 200-character d=, overflows that line. */
void fold_tag(struct fold *f, const char *name, const char *value, bool last);
/* Append " name=item:item:...;" breaking after colons. */
void fold_list(struct fold *f, const char *name, const char *const *items,
               unsigned count, bool last);
/* Append " name=" where at least a few value characters still fit, so the
 * value never starts on a line of its own. */
void fold_b64_start(struct fold *f, const char *name);
/* Append a base64 value after fold_b64_start, breaking anywhere. */
void fold_b64_value(struct fold *f, const char *value, size_t len, bool last);
enum dkim_stat fold_status(const struct fold *f);

/* Append in to out with every CRLF replaced by eol. */
enum dkim_stat fold_eol(const char *in, size_t len, const char *eol,
                        struct dkim_buf *out);

#endif
