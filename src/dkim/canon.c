/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * canon.c - header and body canonicalization, simple and relaxed
 * (RFC 6376 sections 3.4.1 to 3.4.4).  See canon.h for the interface.
 *
 * DIAGNOSTICS: DKIM_ENOMEM or DKIM_ELIMIT from the output buffer, or the
 * sink's status.
 */
#include <string.h>

#include "dkim/canon.h"

static bool
canon_is_wsp(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* Relaxed header canonicalization (3.4.2): lower-case name, no white space
 * around the colon, folds removed, white space runs as one SP, none at the
 * end of the value. */
static enum dkim_stat
canon_header_relaxed(const char *name, size_t name_len, const char *value,
                     size_t value_len, bool crlf, struct dkim_buf *out)
{
    enum dkim_stat st;
    size_t i, start;
    bool wsp = false, any = false;

    while (name_len > 0 && canon_is_wsp((unsigned char)name[name_len - 1]))
        name_len--;
    for (i = 0; i < name_len; i++) {
        char c = name[i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((st = dkim_buf_appendc(out, c)) != DKIM_OK)
            return st;
    }
    if ((st = dkim_buf_appendc(out, ':')) != DKIM_OK)
        return st;

    /* Copy runs of ordinary bytes in one append; the CRLF of a fold is
     * dropped, so a fold counts as white space only where WSP follows.
     * RFC 6376 3.4.2 unfolds CRLF only: a bare CR or LF is content. */
    start = 0;
    for (i = 0; i <= value_len; i++) {
        unsigned char c = i < value_len ? (unsigned char)value[i] : ' ';
        bool fold = (c == '\r' && i + 1 < value_len && value[i + 1] == '\n') ||
                    (c == '\n' && i > 0 && value[i - 1] == '\r');

        if (!canon_is_wsp(c) && !fold)
            continue;
        if (i > start) {
            if (wsp && any && (st = dkim_buf_appendc(out, ' ')) != DKIM_OK)
                return st;
            if ((st = dkim_buf_append(out, value + start, i - start)) !=
                DKIM_OK)
                return st;
            any = true;
            wsp = false;
        }
        if (canon_is_wsp(c))
            wsp = true;
        start = i + 1;
    }

    if (crlf)
        return dkim_buf_append(out, "\r\n", 2);
    return DKIM_OK;
}

enum dkim_stat
canon_header(enum dkim_canon canon, const char *name, size_t name_len,
             const char *value, size_t value_len, bool crlf,
             struct dkim_buf *out)
{
    enum dkim_stat st;

    if (canon == DKIM_CANON_RELAXED)
        return canon_header_relaxed(name, name_len, value, value_len, crlf,
                                    out);

    /* Simple (3.4.1): the field exactly as received. */
    if ((st = dkim_buf_append(out, name, name_len)) != DKIM_OK ||
        (st = dkim_buf_appendc(out, ':')) != DKIM_OK ||
        (st = dkim_buf_append(out, value, value_len)) != DKIM_OK)
        return st;
    if (crlf)
        return dkim_buf_append(out, "\r\n", 2);
    return DKIM_OK;
}

void
canon_body_init(struct canon_body *cb, enum dkim_canon canon,
                canon_sink_fn sink, void *sink_arg)
{
    memset(cb, 0, sizeof(*cb));
    cb->canon = canon;
    cb->sink = sink;
    cb->sink_arg = sink_arg;
}

/*
 * The body loop works on a local block and these macros so that no byte
 * costs a function call.  CANON_FLUSH_IF(n) makes room for n more bytes.
 * CANON_CONTENT outputs the held line ends and white space, which a content
 * byte makes real.
 */
#define CANON_FLUSH_IF(n)                                                     \
    do {                                                                      \
        if (pos + (n) > CANON_BLOCK) {                                        \
            if ((st = cb->sink(cb->sink_arg, block, pos)) != DKIM_OK)         \
                return st;                                                    \
            pos = 0;                                                          \
        }                                                                     \
    } while (0)

#define CANON_CONTENT()                                                       \
    do {                                                                      \
        while (held_crlfs > 0) {                                              \
            CANON_FLUSH_IF(2);                                                \
            block[pos++] = '\r';                                              \
            block[pos++] = '\n';                                              \
            held_crlfs--;                                                     \
        }                                                                     \
        if (wsp) {                                                            \
            CANON_FLUSH_IF(1);                                                \
            block[pos++] = ' ';                                               \
            wsp = false;                                                      \
        }                                                                     \
        cb->any_output = true;                                                \
    } while (0)

/* Bytes that end a run of ordinary body bytes: CR for simple, and also SP
 * and HTAB for relaxed. */
static const bool canon_stop_simple[256] = {['\r'] = true};
static const bool canon_stop_relaxed[256] = {['\r'] = true, [' '] = true,
                                             ['\t'] = true};

enum dkim_stat
canon_body_update(struct canon_body *cb, const void *data, size_t len)
{
    unsigned char block[CANON_BLOCK];
    const unsigned char *p = data;
    size_t i = 0, pos = 0;
    uint64_t held_crlfs = cb->held_crlfs;
    bool wsp = cb->wsp_pending, cr = cb->cr_pending;
    bool relaxed = cb->canon == DKIM_CANON_RELAXED;
    const bool *stop = relaxed ? canon_stop_relaxed : canon_stop_simple;
    enum dkim_stat st;

    while (i < len) {
        unsigned char c = p[i];

        if (cr) {
            cr = false;
            if (c == '\n') {
                /* End of line: relaxed drops white space before it. */
                wsp = false;
                held_crlfs++;
                i++;
                continue;
            }
            /* A CR without LF is an ordinary byte. */
            CANON_CONTENT();
            CANON_FLUSH_IF(1);
            block[pos++] = '\r';
        }
        if (c == '\r') {
            cr = true;
            i++;
            continue;
        }
        if (relaxed && (c == ' ' || c == '\t')) {
            wsp = true;
            i++;
            continue;
        }

        /* An ordinary byte: copy it and the run of ordinary bytes after it
         * in a tight loop, flushing the block whenever it fills. */
        CANON_CONTENT();
        do {
            size_t room, end;

            CANON_FLUSH_IF(1);
            room = CANON_BLOCK - pos;
            end = len - i < room ? len : i + room;
            block[pos++] = p[i++];
            while (i < end && !stop[p[i]])
                block[pos++] = p[i++];
        } while (i < len && !stop[p[i]]);
    }

    cb->held_crlfs = held_crlfs;
    cb->wsp_pending = wsp;
    cb->cr_pending = cr;
    if (pos > 0)
        return cb->sink(cb->sink_arg, block, pos);
    return DKIM_OK;
}

enum dkim_stat
canon_body_final(struct canon_body *cb)
{
    unsigned char block[CANON_BLOCK];
    size_t pos = 0;
    uint64_t held_crlfs = cb->held_crlfs;
    bool wsp = cb->wsp_pending;
    enum dkim_stat st;

    /* A CR at the very end is content.  Other relaxed white space pending
     * here is at the end of a line, so it is dropped. */
    if (cb->cr_pending) {
        CANON_CONTENT();
        CANON_FLUSH_IF(1);
        block[pos++] = '\r';
    }

    /* Trailing empty lines are gone and the last line gets its CRLF.  An
     * empty body is CRLF for simple (3.4.3) and empty for relaxed (3.4.4). */
    if (cb->canon == DKIM_CANON_SIMPLE || cb->any_output) {
        CANON_FLUSH_IF(2);
        block[pos++] = '\r';
        block[pos++] = '\n';
    }

    cb->held_crlfs = 0;
    cb->cr_pending = false;
    cb->wsp_pending = false;
    if (pos > 0)
        return cb->sink(cb->sink_arg, block, pos);
    return DKIM_OK;
}

#undef CANON_CONTENT
#undef CANON_FLUSH_IF
