/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * canon.h - DKIM canonicalization (RFC 6376 section 3.4): header fields one
 * at a time into a buffer, and the body as a stream.
 *
 * The body canonicalizer takes chunks split at any byte.  Empty lines are
 * held back as a counter until a non-empty line follows, because trailing
 * empty lines do not count (3.4.3, 3.4.4).  Relaxed white space runs are
 * held back as a flag.  Output goes to a sink in blocks of up to
 * CANON_BLOCK bytes, so the body path makes one call per block, not per
 * byte.
 *
 * Functions: canon_header, canon_body_init, canon_body_update,
 * canon_body_final.
 *
 * DIAGNOSTICS: canon_header returns the dkim_buf append status
 * (DKIM_ENOMEM, DKIM_ELIMIT); the body functions return whatever the sink
 * returns.
 */
#ifndef SIGNET_DKIM_CANON_H
#define SIGNET_DKIM_CANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dkim/dkim.h"

#define CANON_BLOCK 16384 /* bytes; the block lives on the caller's stack */

/* Append the canonical form of one header field, "name:value", to out.
 * value is the field body after the colon as stored (CRLF folds).  With
 * crlf false the final CRLF is left off, as for the DKIM-Signature field
 * being verified or signed (RFC 6376 3.7). */
enum dkim_stat canon_header(enum dkim_canon canon, const char *name,
                            size_t name_len, const char *value,
                            size_t value_len, bool crlf,
                            struct dkim_buf *out);

/* Receives canonicalized body bytes, one block at a time. */
typedef enum dkim_stat (*canon_sink_fn)(void *arg, const unsigned char *data,
                                        size_t len);

struct canon_body {
    enum dkim_canon canon;
    uint64_t held_crlfs; /* line ends not yet output: maybe trailing */
    bool cr_pending;     /* the last byte seen was a CR */
    bool wsp_pending;    /* relaxed: white space seen since the last output */
    bool any_output;     /* a non-empty line has been output */
    canon_sink_fn sink;
    void *sink_arg;
};

void canon_body_init(struct canon_body *cb, enum dkim_canon canon,
                     canon_sink_fn sink, void *sink_arg);
/* Canonicalize one chunk of body bytes (CRLF line ends). */
enum dkim_stat canon_body_update(struct canon_body *cb, const void *data,
                                 size_t len);
/* Flush what the end of the body decides: the final CRLF, a pending CR. */
enum dkim_stat canon_body_final(struct canon_body *cb);

#endif
