/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msgread.c - stream an RFC 5322 message from a file descriptor into a
 * dkim_msg, for "signet sign" and "signet verify".
 *
 * The header is split into fields (continuation lines start with SP or
 * HTAB) and each field goes to dkim_msg_header with its internal line
 * breaks.  The body is read in MSGREAD_CHUNK blocks.  The input may use
 * either line-end style, so each block has its bare LFs turned into CRLF
 * before it goes to dkim_msg_body in one call.  A CR at the end of one block and an LF
 * at the start of the next are recognised as one CRLF.
 *
 * Public: msgread_feed.
 *
 * DIAGNOSTICS: CLI_EX_DATAERR for input that is not a message (a header
 * line without a colon, a header over the byte limit, a field the core
 * rejects), CLI_EX_IOERR for read and write errors, CLI_EX_SOFTWARE
 * for allocation failures; the reason goes to err.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#define MSGREAD_CHUNK (64 * 1024)
/* The default cap on all header fields together, the same as the core's. */
#define MSGREAD_MAX_HEADER (1024 * 1024)

struct msgread {
    struct dkim_msg *msg;
    bool verify;
    struct msgread_info *info;
    struct dkim_buf line;  /* header line read so far */
    struct dkim_buf field; /* header field being assembled */
    size_t header_bytes;
    size_t max_header_bytes;
    unsigned line_number;
    unsigned field_line; /* line where the field being assembled began */
    bool in_body;
    bool body_prev_cr; /* the last body byte fed was CR */
    char *conv;        /* body block with LF turned into CRLF */
    char *err;
    size_t errlen;
};

static int
msgread_fail(struct msgread *mr, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
msgread_fail(struct msgread *mr, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(mr->err, mr->errlen, fmt, ap);
    va_end(ap);
    return code;
}

/* Map a core status from a header, eoh, body or eom call. */
static int
msgread_core_fail(struct msgread *mr, enum dkim_stat stat, const char *what)
{
    if (stat == DKIM_ENOMEM)
        return msgread_fail(mr, CLI_EX_SOFTWARE, "%s: out of memory", what);
    if (stat == DKIM_ELIMIT)
        return msgread_fail(mr, CLI_EX_DATAERR,
                            "%s: the message exceeds a size or count limit",
                            what);
    return msgread_fail(mr, CLI_EX_DATAERR, "%s: %s", what,
                        dkim_stat_name(stat));
}

/* Hand the assembled field to the core. */
static int
msgread_flush_field(struct msgread *mr)
{
    const char *data = mr->field.data;
    const char *colon;
    enum dkim_stat stat;

    if (mr->field.len == 0)
        return CLI_EX_OK;
    colon = memchr(data, ':', mr->field.len);
    if (colon == NULL || colon == data)
        return msgread_fail(mr, CLI_EX_DATAERR,
                            "header line %u is not a \"Name: value\" field",
                            mr->field_line);

    stat = dkim_msg_header(mr->msg, data, (size_t)(colon - data), colon + 1,
                           mr->field.len - (size_t)(colon - data) - 1);
    if (stat != DKIM_OK)
        return msgread_core_fail(mr, stat, "header field");
    mr->info->header_count++;
    dkim_buf_reset(&mr->field);
    return CLI_EX_OK;
}

static int
msgread_end_header(struct msgread *mr)
{
    enum dkim_stat stat;
    int rc = msgread_flush_field(mr);

    if (rc != CLI_EX_OK)
        return rc;
    stat = dkim_msg_eoh(mr->msg, mr->verify);
    if (stat != DKIM_OK)
        return msgread_core_fail(mr, stat, "end of header");
    mr->in_body = true;
    return CLI_EX_OK;
}

/* Handle one complete header line, without its LF. */
static int
msgread_header_line(struct msgread *mr, const char *line, size_t len)
{
    bool cr = len > 0 && line[len - 1] == '\r';
    int rc;

    if (mr->line_number++ == 0)
        mr->info->crlf = cr;
    if (cr)
        len--;

    if (len == 0) {
        mr->info->has_separator = true;
        return msgread_end_header(mr);
    }

    if (line[0] == ' ' || line[0] == '\t') {
        if (mr->field.len == 0)
            return msgread_fail(mr, CLI_EX_DATAERR,
                                "header line %u starts with white space but "
                                "no field precedes it", mr->line_number);
        if (dkim_buf_append(&mr->field, "\r\n", 2) != DKIM_OK)
            goto too_big;
    } else {
        rc = msgread_flush_field(mr);
        if (rc != CLI_EX_OK)
            return rc;
        mr->field_line = mr->line_number;
    }
    if (dkim_buf_append(&mr->field, line, len) != DKIM_OK)
        goto too_big;
    return CLI_EX_OK;

too_big:
    return msgread_fail(mr, CLI_EX_DATAERR,
                        "header field at line %u is longer than %zu bytes",
                        mr->line_number, mr->max_header_bytes);
}

/* Convert bare LF to CRLF and feed one body block. */
static int
msgread_body(struct msgread *mr, const char *data, size_t len)
{
    size_t in = 0, out = 0;
    enum dkim_stat stat;

    if (len == 0)
        return CLI_EX_OK;
    while (in < len) {
        const char *lf = memchr(data + in, '\n', len - in);
        size_t seg = lf ? (size_t)(lf - (data + in)) : len - in;
        bool prev_cr;

        memcpy(mr->conv + out, data + in, seg);
        out += seg;
        in += seg;
        if (lf == NULL)
            break;

        prev_cr = in > 0 ? data[in - 1] == '\r' : mr->body_prev_cr;
        if (!prev_cr)
            mr->conv[out++] = '\r';
        mr->conv[out++] = '\n';
        in++;
    }
    mr->body_prev_cr = data[len - 1] == '\r';
    mr->info->body_bytes += len;

    stat = dkim_msg_body(mr->msg, mr->conv, out);
    if (stat != DKIM_OK)
        return msgread_core_fail(mr, stat, "body");
    return CLI_EX_OK;
}

/* Split a block read in the header into lines; the rest after the
 * separator line is body. */
static int
msgread_header_block(struct msgread *mr, const char *data, size_t len)
{
    size_t pos = 0;
    int rc;

    while (pos < len && !mr->in_body) {
        const char *lf = memchr(data + pos, '\n', len - pos);
        size_t seg = lf ? (size_t)(lf - (data + pos)) : len - pos;

        mr->header_bytes += seg + (lf ? 1 : 0);
        if (mr->header_bytes > mr->max_header_bytes)
            return msgread_fail(mr, CLI_EX_DATAERR,
                                "the header is longer than %zu bytes",
                                mr->max_header_bytes);
        if (dkim_buf_append(&mr->line, data + pos, seg) != DKIM_OK)
            return msgread_fail(mr, CLI_EX_SOFTWARE, "out of memory");
        pos += seg;
        if (lf == NULL)
            break;
        pos++;

        rc = msgread_header_line(mr, mr->line.data, mr->line.len);
        dkim_buf_reset(&mr->line);
        if (rc != CLI_EX_OK)
            return rc;
    }
    if (mr->in_body)
        return msgread_body(mr, data + pos, len - pos);
    return CLI_EX_OK;
}

/* End of input: a header without separator ends here, then the body. */
static int
msgread_finish(struct msgread *mr)
{
    enum dkim_stat stat;
    int rc;

    if (!mr->in_body && mr->line_number == 0 && mr->line.len == 0)
        return msgread_fail(mr, CLI_EX_DATAERR,
                            "the input is empty, not a message");
    if (!mr->in_body) {
        if (mr->line.len > 0) {
            rc = msgread_header_line(mr, mr->line.data, mr->line.len);
            if (rc != CLI_EX_OK)
                return rc;
        }
        if (!mr->in_body) {
            rc = msgread_end_header(mr);
            if (rc != CLI_EX_OK)
                return rc;
        }
    }
    stat = dkim_msg_eom(mr->msg);
    if (stat != DKIM_OK)
        return msgread_core_fail(mr, stat, "end of message");
    return CLI_EX_OK;
}

static ssize_t
msgread_read(int fd, char *buf, size_t len)
{
    ssize_t n;

    do {
        n = read(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

static int
msgread_loop(struct msgread *mr, int fd, FILE *copy, char *buf)
{
    ssize_t n;
    int rc;

    for (;;) {
        n = msgread_read(fd, buf, MSGREAD_CHUNK);
        if (n < 0)
            return msgread_fail(mr, CLI_EX_IOERR, "read failed: %s",
                                strerror(errno));
        if (n == 0)
            return msgread_finish(mr);

        if (copy != NULL && fwrite(buf, 1, (size_t)n, copy) != (size_t)n)
            return msgread_fail(mr, CLI_EX_IOERR,
                                "writing the spool copy failed: %s",
                                strerror(errno));
        if (mr->in_body)
            rc = msgread_body(mr, buf, (size_t)n);
        else
            rc = msgread_header_block(mr, buf, (size_t)n);
        if (rc != CLI_EX_OK)
            return rc;
    }
}

int
msgread_feed(int fd, struct dkim_msg *msg, bool verify,
             size_t max_header_bytes, FILE *copy, struct msgread_info *info,
             char *err, size_t errlen)
{
    struct msgread mr;
    char *buf;
    int rc;

    memset(&mr, 0, sizeof(mr));
    memset(info, 0, sizeof(*info));
    mr.msg = msg;
    mr.verify = verify;
    mr.info = info;
    mr.err = err;
    mr.errlen = errlen;
    mr.max_header_bytes = max_header_bytes ? max_header_bytes
                                           : MSGREAD_MAX_HEADER;
    dkim_buf_init(&mr.line, mr.max_header_bytes);
    dkim_buf_init(&mr.field, mr.max_header_bytes);

    buf = malloc(MSGREAD_CHUNK);
    mr.conv = malloc(2 * MSGREAD_CHUNK);
    if (buf == NULL || mr.conv == NULL)
        rc = msgread_fail(&mr, CLI_EX_SOFTWARE, "out of memory");
    else
        rc = msgread_loop(&mr, fd, copy, buf);

    free(buf);
    free(mr.conv);
    dkim_buf_free(&mr.line);
    dkim_buf_free(&mr.field);
    return rc;
}
