/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msg.c - the life of one message in the DKIM core: header fields in,
 * signers requested, end of header, body chunks, end of message, then
 * signatures out or verification results.
 *
 * Functions: dkim_msg_new, dkim_msg_free, dkim_msg_header,
 * dkim_msg_add_signer, dkim_msg_eoh, dkim_msg_body, dkim_msg_eom,
 * dkim_msg_sign, dkim_msg_verify, dkim_msg_ignored_signatures,
 * msg_header_hash.
 *
 * DIAGNOSTICS: the first failure of any call is stored and every later
 * call returns it without doing more work, so the caller decides once.
 * Calls out of order (a header after eoh, a body before it) fail with
 * DKIM_EINVAL.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "dkim/msg.h"

#define MSG_DEFAULT_HEADER_BYTES (1024 * 1024)
#define MSG_DEFAULT_HEADERS 10000
#define MSG_DEFAULT_SIGNATURES 8
#define MSG_MAX_NAMES 256     /* entries in a caller's header name list */
#define MSG_MAX_NAME_LEN 128  /* bytes in one such name */

static enum dkim_stat
msg_fail(struct dkim_msg *msg, enum dkim_stat st)
{
    if (st != DKIM_OK && msg->error == DKIM_OK)
        msg->error = st;
    return st;
}

struct dkim_msg *
dkim_msg_new(const struct dkim_limits *limits)
{
    struct dkim_msg *msg;

    if ((msg = calloc(1, sizeof(*msg))) == NULL)
        return NULL;
    if (limits != NULL)
        msg->limits = *limits;
    if (msg->limits.max_header_bytes == 0)
        msg->limits.max_header_bytes = MSG_DEFAULT_HEADER_BYTES;
    if (msg->limits.max_headers == 0)
        msg->limits.max_headers = MSG_DEFAULT_HEADERS;
    if (msg->limits.max_signatures == 0)
        msg->limits.max_signatures = MSG_DEFAULT_SIGNATURES;
    hdrs_init(&msg->hdrs, msg->limits.max_headers,
              msg->limits.max_header_bytes);
    bodyhash_init(&msg->bodyhash);
    return msg;
}

static void
msg_strv_free(char **v)
{
    size_t i;

    if (v == NULL)
        return;
    for (i = 0; v[i] != NULL; i++)
        free(v[i]);
    free(v);
}

static void
msg_signer_free(struct msg_signer *s)
{
    free(s->domain);
    free(s->selector);
    free(s->identity);
    msg_strv_free(s->headers);
    msg_strv_free(s->oversign);
    msg_strv_free(s->exact);
}

void
dkim_msg_free(struct dkim_msg *msg)
{
    unsigned i;

    if (msg == NULL)
        return;
    for (i = 0; i < msg->signer_count; i++)
        msg_signer_free(&msg->signers[i]);
    verify_free(msg);
    bodyhash_free(&msg->bodyhash);
    hdrs_free(&msg->hdrs);
    free(msg);
}

enum dkim_stat
dkim_msg_header(struct dkim_msg *msg, const char *name, size_t name_len,
                const char *value, size_t value_len)
{
    if (msg == NULL || name == NULL || (value == NULL && value_len > 0))
        return DKIM_EINVAL;
    if (msg->error != DKIM_OK)
        return msg->error;
    if (msg->phase != MSG_PHASE_HEADER)
        return msg_fail(msg, DKIM_EINVAL);
    return msg_fail(msg, hdrs_add(&msg->hdrs, name, name_len,
                                  value != NULL ? value : "", value_len));
}

/* A header name that can go into h= as written: RFC 5322 ftext (printable
 * ASCII but ":"), and no ";", which would end the tag. */
static bool
msg_name_valid(const char *name)
{
    size_t i, len = strlen(name);

    if (len == 0 || len > MSG_MAX_NAME_LEN)
        return false;
    for (i = 0; i < len; i++)
        if (name[i] < 33 || name[i] > 126 || name[i] == ':' || name[i] == ';')
            return false;
    return true;
}

/* Copy a NULL-terminated list of header names; NULL stays NULL. */
static enum dkim_stat
msg_strv_dup(const char *const *v, char ***out)
{
    size_t i, n = 0;
    char **copy;

    *out = NULL;
    if (v == NULL)
        return DKIM_OK;
    while (v[n] != NULL) {
        if (n >= MSG_MAX_NAMES || !msg_name_valid(v[n]))
            return DKIM_EINVAL;
        n++;
    }
    if ((copy = calloc(n + 1, sizeof(*copy))) == NULL)
        return DKIM_ENOMEM;
    for (i = 0; i < n; i++) {
        if ((copy[i] = strdup(v[i])) == NULL) {
            msg_strv_free(copy);
            return DKIM_ENOMEM;
        }
    }
    *out = copy;
    return DKIM_OK;
}

/* d= and s= go into the field as written, so they must be plain
 * dot-atoms of letters, digits, "-" and "_" (RFC 6376 3.5). */
static bool
msg_domain_valid(const char *s)
{
    size_t i, len = strlen(s);

    if (len == 0 || len > 253 || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (i = 0; i < len; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              (c == '.' && s[i + 1] != '.')))
            return false;
    }
    return true;
}

/* i= must be "[local]@domain" with the domain equal to d= or below it
 * (RFC 6376 3.5), or every verifier would reject the signature. */
static bool
msg_identity_valid(const char *identity, const char *domain)
{
    const char *at = strrchr(identity, '@');
    size_t il, dl = strlen(domain);

    if (at == NULL || !msg_domain_valid(at + 1))
        return false;
    il = strlen(at + 1);
    if (il == dl)
        return strcasecmp(at + 1, domain) == 0;
    return il > dl && at[il - dl] == '.' &&
           strcasecmp(at + 1 + il - dl, domain) == 0;
}

static enum dkim_stat
msg_signer_copy(struct msg_signer *s, const struct dkim_sign_params *p)
{
    static const char *const default_oversign[] = {"From", NULL};
    enum dkim_stat st;

    s->key = p->key;
    s->header_canon = p->header_canon;
    s->body_canon = p->body_canon;
    s->body_length = p->body_length;
    s->expire_after = p->expire_after;
    s->domain = strdup(p->domain);
    s->selector = strdup(p->selector);
    s->identity = p->identity != NULL ? strdup(p->identity) : NULL;
    if (s->domain == NULL || s->selector == NULL ||
        (p->identity != NULL && s->identity == NULL))
        return DKIM_ENOMEM;

    if ((st = msg_strv_dup(p->headers, &s->headers)) != DKIM_OK)
        return st;
    st = msg_strv_dup(p->oversign != NULL ? p->oversign : default_oversign,
                      &s->oversign);
    if (st != DKIM_OK)
        return st;
    if ((st = msg_strv_dup(p->exact_headers, &s->exact)) != DKIM_OK)
        return st;

    /* An empty exact list would make an empty h=, which no verifier takes. */
    return s->exact != NULL && s->exact[0] == NULL ? DKIM_EINVAL : DKIM_OK;
}

static bool
msg_canon_valid(enum dkim_canon c)
{
    return c == DKIM_CANON_SIMPLE || c == DKIM_CANON_RELAXED;
}

enum dkim_stat
dkim_msg_add_signer(struct dkim_msg *msg,
                    const struct dkim_sign_params *params)
{
    struct msg_signer *s;
    enum dkim_stat st;

    if (msg == NULL)
        return DKIM_EINVAL;
    if (msg->error != DKIM_OK)
        return msg->error;
    if (params == NULL || params->key == NULL || params->domain == NULL ||
        params->selector == NULL || !msg_domain_valid(params->domain) ||
        !msg_domain_valid(params->selector) ||
        (params->identity != NULL &&
         !msg_identity_valid(params->identity, params->domain)) ||
        !msg_canon_valid(params->header_canon) ||
        !msg_canon_valid(params->body_canon) || params->expire_after < 0 ||
        msg->phase != MSG_PHASE_HEADER || msg->signer_count >= MSG_MAX_SIGNERS)
        return msg_fail(msg, DKIM_EINVAL);

    s = &msg->signers[msg->signer_count++];
    memset(s, 0, sizeof(*s));
    if ((st = msg_signer_copy(s, params)) != DKIM_OK)
        return msg_fail(msg, st);
    st = bodyhash_add(&msg->bodyhash, s->body_canon, BODYHASH_NO_LIMIT,
                      &s->bodyhash);
    return msg_fail(msg, st);
}

enum dkim_stat
dkim_msg_eoh(struct dkim_msg *msg, bool verify)
{
    if (msg == NULL)
        return DKIM_EINVAL;
    if (msg->error != DKIM_OK)
        return msg->error;
    if (msg->phase != MSG_PHASE_HEADER)
        return msg_fail(msg, DKIM_EINVAL);
    msg->phase = MSG_PHASE_BODY;
    if (verify)
        return msg_fail(msg, verify_prepare(msg));
    return DKIM_OK;
}

enum dkim_stat
dkim_msg_body(struct dkim_msg *msg, const void *data, size_t len)
{
    if (msg == NULL || (data == NULL && len > 0))
        return DKIM_EINVAL;
    if (msg->error != DKIM_OK)
        return msg->error;
    if (msg->phase != MSG_PHASE_BODY)
        return msg_fail(msg, DKIM_EINVAL);
    if (len == 0)
        return DKIM_OK;
    return msg_fail(msg, bodyhash_update(&msg->bodyhash, data, len));
}

enum dkim_stat
dkim_msg_eom(struct dkim_msg *msg)
{
    if (msg == NULL)
        return DKIM_EINVAL;
    if (msg->error != DKIM_OK)
        return msg->error;
    if (msg->phase != MSG_PHASE_BODY)
        return msg_fail(msg, DKIM_EINVAL);
    msg->phase = MSG_PHASE_DONE;
    return msg_fail(msg, bodyhash_final(&msg->bodyhash));
}

enum dkim_stat
dkim_msg_sign(struct dkim_msg *msg, unsigned idx, time_t now,
              const char *eol, struct dkim_buf *out, char *err,
              size_t errlen)
{
    unsigned from_count;

    if (msg == NULL || out == NULL || eol == NULL)
        return DKIM_EINVAL;
    if (msg->error != DKIM_OK)
        return msg->error;
    if (msg->phase != MSG_PHASE_DONE || idx >= msg->signer_count)
        return msg_fail(msg, DKIM_EINVAL);

    /* RFC 6376 5.4 requires From to be signed, and a message with more
     * than one (RFC 5322 3.6) would pass with an unsigned author. */
    from_count = hdrs_count_name(&msg->hdrs, "From");
    if (from_count != 1) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "the message has %u From fields; "
                     "exactly one is required", from_count);
        return msg_fail(msg, DKIM_ESYNTAX);
    }
    return msg_fail(msg, sign_field(msg, idx, now, eol, out, err, errlen));
}

enum dkim_stat
dkim_msg_verify(struct dkim_msg *msg,
                const struct dkim_verify_params *params,
                const struct dkim_sig_result **results, unsigned *count)
{
    enum dkim_stat st;

    if (msg == NULL || params == NULL || results == NULL || count == NULL)
        return DKIM_EINVAL;
    if (msg->error != DKIM_OK)
        return msg->error;
    if (msg->phase != MSG_PHASE_DONE)
        return msg_fail(msg, DKIM_EINVAL);
    if (!msg->verified) {
        if ((st = verify_run(msg, params)) != DKIM_OK)
            return msg_fail(msg, st);
        msg->verified = true;
    }
    *results = msg->results;
    *count = msg->vsig_count;
    return DKIM_OK;
}

unsigned
dkim_msg_ignored_signatures(const struct dkim_msg *msg)
{
    return msg != NULL ? msg->ignored : 0;
}

enum dkim_stat
msg_header_hash(const struct dkim_msg *msg, enum dkim_canon canon,
                const char *const *names, unsigned count,
                const struct hdr *own, const char *sig_name,
                size_t sig_name_len,
                const char *sig_value, size_t sig_value_len,
                unsigned char digest[32])
{
    struct hdrs_select sel;
    struct dkim_buf buf;
    EVP_MD_CTX *ctx;
    enum dkim_stat st;
    unsigned i, n = 0;

    /* One field at a time: a canonical field is at most 3 bytes longer
     * than the stored one, and every stored field fits max_header_bytes. */
    dkim_buf_init(&buf, msg->limits.max_header_bytes + sig_value_len + 64);
    if ((st = hdrs_select_begin(&sel, &msg->hdrs)) != DKIM_OK)
        return st;
    if (own != NULL)
        hdrs_select_skip(&sel, own);
    if ((ctx = EVP_MD_CTX_new()) == NULL) {
        hdrs_select_end(&sel);
        return DKIM_ENOMEM;
    }
    st = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 ? DKIM_OK
                                                          : DKIM_ECRYPTO;

    for (i = 0; i < count && st == DKIM_OK; i++) {
        const struct hdr *f = hdrs_select_next(&sel, names[i]);

        if (f == NULL)
            continue;
        dkim_buf_reset(&buf);
        st = canon_header(canon, f->name, f->name_len, f->value,
                          f->value_len, true, &buf);
        if (st == DKIM_OK && EVP_DigestUpdate(ctx, buf.data, buf.len) != 1)
            st = DKIM_ECRYPTO;
    }

    if (st == DKIM_OK) {
        dkim_buf_reset(&buf);
        st = canon_header(canon, sig_name, sig_name_len, sig_value,
                          sig_value_len, false, &buf);
    }
    if (st == DKIM_OK && (EVP_DigestUpdate(ctx, buf.data, buf.len) != 1 ||
                          EVP_DigestFinal_ex(ctx, digest, &n) != 1 ||
                          n != 32))
        st = DKIM_ECRYPTO;

    EVP_MD_CTX_free(ctx);
    hdrs_select_end(&sel);
    dkim_buf_free(&buf);
    return st;
}
