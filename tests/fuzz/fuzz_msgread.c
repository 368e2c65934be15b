/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_msgread.c - fuzz the CLI's message reader, msgread_feed.  The first
 * input byte sets the size of the first 64 reads (1 to 255 bytes, or 0
 * for none), and the reads after them take 64 KiB.  The second byte picks
 * the header size limit and the canonicalization.  The rest is the
 * message.
 *
 * The message goes through a SOCK_SEQPACKET socket pair, because each read
 * from one returns exactly one record.  That way the fuzzer decides where
 * the blocks that msgread_feed sees begin and end.  The checks:
 *   - verify mode gives the same outcome and results in small blocks as
 *     in 64 KiB blocks;
 *   - the header/body split and body byte count match the input;
 *   - a message signed from small blocks verifies when read back whole.
 * Keys are fixed, as in fuzz_msg.c: selector "brisbane" gets the RFC 8463
 * A.2 Ed25519 record, every other selector the RFC 6376 A.3 RSA record.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/cli.h"

#define FUZZ_NOW 1700000000
#define FUZZ_BLOCK (64 * 1024) /* MSGREAD_CHUNK in msgread.c */
#define FUZZ_SMALL_READS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ed_seed[] = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
static const char ed_record[] =
    "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
static const char rsa_record[] =
    "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoG"
    "eLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR"
    "+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB";

static struct dkim_privkey *sign_key;

struct outcome {
    int rc;
    struct msgread_info info;
    unsigned count;
    enum dkim_result result[8];
    char reason[8][128];
};

static void
fixed_fetch(void *arg, const char *domain, const char *selector,
            struct dkim_key_answer *answer)
{
    const char *record = strcmp(selector, "brisbane") == 0 ? ed_record : rsa_record;

    (void)arg;
    (void)domain;
    answer->key = NULL;
    answer->status = dkim_keyrec_parse(record, strlen(record), &answer->key,
                                       answer->reason, sizeof(answer->reason)) ==
                             DKIM_OK
                         ? DKIM_KEY_FOUND
                         : DKIM_KEY_INVALID;
}

/* Return a descriptor from which the text can be read in records of
 * small bytes (FUZZ_SMALL_READS of them, then FUZZ_BLOCK), or -1 when the
 * socket buffer cannot take it all. */
static int
open_records(const char *text, size_t len, size_t small)
{
    int sv[2], sndbuf = 1 << 20;
    size_t pos = 0, reads = 0;

    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        abort();
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
    while (pos < len) {
        size_t n = small > 0 && reads < FUZZ_SMALL_READS ? small : FUZZ_BLOCK;

        if (n > len - pos)
            n = len - pos;
        if (send(sv[1], text + pos, n, MSG_DONTWAIT) != (ssize_t)n) {
            if (errno != EAGAIN && errno != ENOBUFS)
                abort();
            close(sv[0]);
            close(sv[1]);
            return -1;
        }
        pos += n;
        reads++;
    }
    close(sv[1]);
    return sv[0];
}

/* Return the byte offset of the body: just past the first empty (or lone
 * CR) line, or len when there is none.  *found is true when there is one.
 * A lone CR at the very end counts as that line, as in msgread_finish. */
static size_t
body_offset(const char *text, size_t len, bool *found)
{
    size_t pos = 0;

    *found = false;
    while (pos < len) {
        const char *lf = memchr(text + pos, '\n', len - pos);
        size_t line = lf ? (size_t)(lf - (text + pos)) : len - pos;

        if (line == 0 || (line == 1 && text[pos] == '\r')) {
            *found = true;
            return lf != NULL ? pos + line + 1 : len;
        }
        if (lf == NULL)
            break;
        pos += line + 1;
    }
    return len;
}

/* Read text in verify mode and verify it with limits (NULL for the core's
 * defaults).  Returns false when the socket buffer was too small. */
static bool
verify(const char *text, size_t len, size_t small, size_t max_header,
       const struct dkim_limits *limits, struct outcome *out)
{
    struct dkim_msg *msg = dkim_msg_new(limits);
    const struct dkim_sig_result *res;
    struct dkim_verify_params vp;
    char err[256];
    unsigned i;
    int fd;

    memset(out, 0, sizeof(*out));
    if (msg == NULL || (fd = open_records(text, len, small)) < 0) {
        dkim_msg_free(msg);
        return false;
    }
    out->rc = msgread_feed(fd, msg, true, max_header, NULL, &out->info, err,
                           sizeof(err));
    close(fd);
    if (out->rc != CLI_EX_OK && err[0] == '\0')
        abort();

    memset(&vp, 0, sizeof(vp));
    vp.now = FUZZ_NOW;
    vp.clock_skew = 300;
    vp.fetch = fixed_fetch;
    if (out->rc == CLI_EX_OK && dkim_msg_verify(msg, &vp, &res, &out->count) == DKIM_OK) {
        for (i = 0; i < out->count && i < 8; i++) {
            out->result[i] = res[i].result;
            memcpy(out->reason[i], res[i].reason, sizeof(out->reason[i]));
        }
    }
    dkim_msg_free(msg);
    return true;
}

static void
check_split(const char *text, size_t len, const struct outcome *o)
{
    bool found;
    size_t body = body_offset(text, len, &found), first_len;
    const char *first;

    if (o->rc != CLI_EX_OK)
        return;
    if (o->info.has_separator != found || o->info.body_bytes != len - body)
        abort();
    first = memchr(text, '\n', len);
    first_len = first != NULL ? (size_t)(first - text) : len;
    if (o->info.crlf != (first_len > 0 && text[first_len - 1] == '\r'))
        abort();
}

/* Sign text read in small blocks and return the signed copy, or NULL when
 * reading or signing failed. */
static char *
sign(const char *text, size_t len, size_t small, size_t max_header,
     enum dkim_canon hc, enum dkim_canon bc, size_t *out_len)
{
    struct dkim_msg *msg = dkim_msg_new(NULL);
    struct dkim_sign_params p;
    struct msgread_info info;
    struct dkim_buf field, out;
    char err[256];
    const char *eol;
    int fd = -1, rc;

    memset(&p, 0, sizeof(p));
    p.key = sign_key;
    p.domain = "example.com";
    p.selector = "brisbane";
    p.header_canon = hc;
    p.body_canon = bc;
    dkim_buf_init(&field, 1 << 16);
    dkim_buf_init(&out, (size_t)-1);
    if (msg != NULL && dkim_msg_add_signer(msg, &p) == DKIM_OK &&
        (fd = open_records(text, len, small)) >= 0) {
        rc = msgread_feed(fd, msg, false, max_header, NULL, &info, err,
                          sizeof(err));
        eol = info.crlf ? "\r\n" : "\n";
        if (rc == CLI_EX_OK &&
            dkim_msg_sign(msg, 0, FUZZ_NOW, eol, &field, err, sizeof(err)) == DKIM_OK) {
            dkim_buf_appends(&out, "DKIM-Signature:");
            dkim_buf_append(&out, field.data, field.len);
            dkim_buf_appends(&out, eol);
            dkim_buf_append(&out, text, len);
        }
    }
    if (fd >= 0)
        close(fd);
    dkim_buf_free(&field);
    dkim_msg_free(msg);
    *out_len = out.len;
    return out.data;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t header_limits[4] = { 0, 16384, 256, 64 };
    /* The signed copy has one field more than the core's default 1000. */
    static const struct dkim_limits one_more_field = { .max_headers = 1001 };
    struct outcome small_blocks, whole;
    const char *text = (const char *)data + 2;
    size_t len, small, max_header, signed_len = 0;
    enum dkim_canon hc, bc;
    char err[128], *signed_text;
    unsigned i;

    if (size < 2 || size > FUZZ_BLOCK + 2)
        return 0;
    if (sign_key == NULL &&
        dkim_privkey_from_mem(ed_seed, strlen(ed_seed), &sign_key, err,
                              sizeof(err)) != DKIM_OK)
        abort();
    len = size - 2;
    small = data[0];
    max_header = header_limits[data[1] & 3];
    hc = data[1] & 4 ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
    bc = data[1] & 8 ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;

    if (!verify(text, len, small, max_header, NULL, &small_blocks) ||
        !verify(text, len, 0, max_header, NULL, &whole))
        return 0;
    check_split(text, len, &whole);
    if (small_blocks.rc != whole.rc || small_blocks.count != whole.count ||
        memcmp(&small_blocks.info, &whole.info, sizeof(whole.info)) != 0)
        abort();
    for (i = 0; i < whole.count && i < 8; i++)
        if (small_blocks.result[i] != whole.result[i] ||
            strcmp(small_blocks.reason[i], whole.reason[i]) != 0)
            abort();

    /* A first line starting with white space would fold into the field
     * put above it, so the round trip does not hold for it. */
    if (len > 0 && (text[0] == ' ' || text[0] == '\t'))
        return 0;
    signed_text = sign(text, len, small, max_header, hc, bc, &signed_len);
    if (signed_text != NULL && signed_len > 0) {
        if (!verify(signed_text, signed_len, 0, 0, &one_more_field, &whole) ||
            whole.rc != CLI_EX_OK || whole.count == 0 ||
            whole.result[0] != DKIM_RES_PASS)
            abort();
    }
    free(signed_text);
    return 0;
}
