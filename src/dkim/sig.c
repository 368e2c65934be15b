/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sig.c - DKIM-Signature field parser (RFC 6376 section 3.5, RFC 8463).
 *
 * Functions: dkim_sig_parse, dkim_sig_free.
 *
 * The field value goes through the tag-list parser first, so every byte is
 * checked before any tag is interpreted.  Then each known tag is handled
 * by one function from sig_tags[], in table order: a= comes before bh=
 * (the expected hash length depends on it), d= before i= and t= before x=.
 *
 * DIAGNOSTICS: DKIM_ESYNTAX with a reason that names the tag, such as
 * "missing required tag d" or "tag bh: invalid character 0x2a at offset
 * 12"; DKIM_ELIMIT for more than SIG_MAX_HEADERS names in h= or a b= longer
 * than SIG_MAX_B bytes; DKIM_ENOMEM; DKIM_EINVAL for NULL arguments.
 * Values quoted in reasons are cut to 32 characters and have bytes outside
 * printable ASCII replaced with "?".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/b64.h"
#include "dkim/sig.h"
#include "dkim/tagl.h"

#define SIG_MAX_DOMAIN 253 /* RFC 1035 2.3.4, without the final dot */
#define SIG_MAX_LABEL 63
#define SIG_MAX_ALG 64
/* t= and x= are 1*12DIGIT (RFC 6376 3.5), which also keeps the verifier's
 * clock-skew arithmetic far from overflow. */
#define SIG_MAX_TIME_DIGITS 12

struct sig_parse {
    struct dkim_sig *sig;
    char *err;
    size_t errlen;
};

typedef enum dkim_stat (*sig_tag_fn)(struct sig_parse *,
                                     const struct tagl_tag *);

static enum dkim_stat sig_fail(struct sig_parse *p, enum dkim_stat st,
                               const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum dkim_stat
sig_fail(struct sig_parse *p, enum dkim_stat st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dkim_verrf(p->err, p->errlen, fmt, ap);
    va_end(ap);
    return st;
}

/* Copy at most 32 characters of a value for a reason, made printable. */
static const char *
sig_quote(const char *s, size_t len, char out[40])
{
    size_t i, n = len > 32 ? 32 : len;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        out[i] = (c >= 0x20 && c < 0x7f && c != '"') ? (char)c : '?';
    }
    if (n < len) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

static int
sig_is_fws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
sig_is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int
sig_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A copy of s without FWS characters, or NULL when malloc fails. */
static char *
sig_strdup_nofws(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    size_t i, n = 0;

    if (copy == NULL)
        return NULL;
    for (i = 0; i < len; i++)
        if (!sig_is_fws(s[i]))
            copy[n++] = s[i];
    copy[n] = '\0';
    return copy;
}

/*
 * sub-domain *("." sub-domain), each label Let-dig [Ldh-str] (RFC 5321
 * 4.1.2).  A domain (d=, the domain of i=) needs two labels or more
 * (RFC 6376 3.5 domain-name).  Selectors may also hold "_", which DNS
 * allows and some providers publish.
 */
static int
sig_is_domain(const char *s, size_t len, int selector)
{
    size_t i, label = 0, labels = 1;

    if (len == 0 || len > SIG_MAX_DOMAIN)
        return 0;
    for (i = 0; i < len; i++) {
        char c = s[i];

        if (c == '.') {
            if (label == 0 || s[i - 1] == '-')
                return 0;
            label = 0;
            labels++;
            continue;
        }
        if (c == '-' || (selector && c == '_')) {
            if (label == 0)
                return 0;
        } else if (!sig_is_alpha(c) && !sig_is_digit(c)) {
            return 0;
        }
        if (++label > SIG_MAX_LABEL)
            return 0;
    }
    if (label == 0 || s[len - 1] == '-')
        return 0;
    return selector || labels >= 2;
}

/* Decimal digits into a uint64_t, rejecting overflow and more than
 * max_digits digits (0 for no digit limit). */
static enum dkim_stat
sig_number(struct sig_parse *p, const struct tagl_tag *tag, size_t max_digits,
           uint64_t *out)
{
    uint64_t n = 0;
    size_t i;

    if (tag->value_len == 0)
        return sig_fail(p, DKIM_ESYNTAX, "tag %.*s: empty value",
                        (int)tag->name_len, tag->name);
    if (max_digits > 0 && tag->value_len > max_digits)
        return sig_fail(p, DKIM_ESYNTAX, "tag %.*s: more than %zu digits",
                        (int)tag->name_len, tag->name, max_digits);
    for (i = 0; i < tag->value_len; i++) {
        char c = tag->value[i];

        if (!sig_is_digit(c))
            return sig_fail(p, DKIM_ESYNTAX,
                            "tag %.*s: invalid character 0x%02x at offset "
                            "%zu, expected a digit",
                            (int)tag->name_len, tag->name, (unsigned char)c,
                            tag->value_offset + i);
        if (n > (UINT64_MAX - (uint64_t)(c - '0')) / 10)
            return sig_fail(p, DKIM_ESYNTAX, "tag %.*s: number too large",
                            (int)tag->name_len, tag->name);
        n = n * 10 + (uint64_t)(c - '0');
    }
    *out = n;
    return DKIM_OK;
}

/* Decode base64 and turn a failure into a reason with an offset. */
static enum dkim_stat
sig_base64(struct sig_parse *p, const struct tagl_tag *tag, unsigned char *out,
           size_t out_size, size_t *out_len)
{
    enum dkim_stat st;
    size_t i;

    st = b64_decode(tag->value, tag->value_len, out, out_size, out_len);
    if (st == DKIM_ELIMIT)
        return sig_fail(p, DKIM_ELIMIT, "tag %.*s: longer than %zu bytes",
                        (int)tag->name_len, tag->name, out_size);
    if (st == DKIM_OK && *out_len == 0)
        st = DKIM_ESYNTAX;
    if (st == DKIM_OK)
        return DKIM_OK;

    for (i = 0; i < tag->value_len; i++) {
        char c = tag->value[i];

        if (!sig_is_alpha(c) && !sig_is_digit(c) && c != '+' && c != '/' &&
            c != '=' && !sig_is_fws(c))
            return sig_fail(p, DKIM_ESYNTAX,
                            "tag %.*s: invalid base64 character 0x%02x at "
                            "offset %zu",
                            (int)tag->name_len, tag->name, (unsigned char)c,
                            tag->value_offset + i);
    }
    return sig_fail(p, DKIM_ESYNTAX,
                    "tag %.*s: invalid base64 length or padding at offset %zu",
                    (int)tag->name_len, tag->name, tag->value_offset);
}

static enum dkim_stat
sig_tag_v(struct sig_parse *p, const struct tagl_tag *tag)
{
    char q[40];

    if (tag->value_len != 1 || tag->value[0] != '1')
        return sig_fail(p, DKIM_ESYNTAX, "tag v: unsupported version \"%s\"",
                        sig_quote(tag->value, tag->value_len, q));
    return DKIM_OK;
}

/* sig-a-tag-alg = sig-a-tag-k "-" sig-a-tag-h, each ALPHA *(ALPHA/DIGIT). */
static int
sig_is_alg(const char *s, size_t len)
{
    size_t i, part = 0, parts = 1;

    if (len == 0 || len > SIG_MAX_ALG)
        return 0;
    for (i = 0; i < len; i++) {
        if (s[i] == '-') {
            if (part == 0 || ++parts > 2)
                return 0;
            part = 0;
        } else if (sig_is_alpha(s[i]) || (part > 0 && sig_is_digit(s[i]))) {
            part++;
        } else {
            return 0;
        }
    }
    return parts == 2 && part > 0;
}

static enum dkim_stat
sig_tag_a(struct sig_parse *p, const struct tagl_tag *tag)
{
    static const enum dkim_alg known[] = {
        DKIM_ALG_RSA_SHA256, DKIM_ALG_ED25519_SHA256, DKIM_ALG_RSA_SHA1};
    struct dkim_sig *sig = p->sig;
    char q[40];
    size_t i;

    if (!sig_is_alg(tag->value, tag->value_len))
        return sig_fail(p, DKIM_ESYNTAX, "tag a: invalid algorithm \"%s\"",
                        sig_quote(tag->value, tag->value_len, q));
    sig->alg_text = sig_strdup_nofws(tag->value, tag->value_len);
    if (sig->alg_text == NULL)
        return DKIM_ENOMEM;

    /* An algorithm we do not know is for the verifier to report. */
    sig->alg = DKIM_ALG_UNKNOWN;
    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(sig->alg_text, dkim_alg_name(known[i])) == 0)
            sig->alg = known[i];
    return DKIM_OK;
}

static enum dkim_stat
sig_tag_b(struct sig_parse *p, const struct tagl_tag *tag)
{
    struct dkim_sig *sig = p->sig;
    const char *input = tag->value - tag->value_offset;
    enum dkim_stat st;
    size_t start;

    st = sig_base64(p, tag, sig->b, sizeof(sig->b), &sig->b_len);
    if (st != DKIM_OK)
        return st;
    sig->b_text = sig_strdup_nofws(tag->value, tag->value_len);
    if (sig->b_text == NULL)
        return DKIM_ENOMEM;

    /* A signer hashes the field with b= empty and may fold after "b=" when
     * it inserts the value, so the span to blank starts right after "=".
     * NOTE: FWS after the value is kept, as dkimpy 1.1.4 keeps it.  Only a
     * b= followed by FWS and then ";" depends on that choice. */
    start = tag->value_offset;
    while (start > 0 && sig_is_fws(input[start - 1]))
        start--;
    sig->b_value_offset = start;
    sig->b_value_len = tag->value_offset + tag->value_len - start;
    return DKIM_OK;
}

static enum dkim_stat
sig_tag_bh(struct sig_parse *p, const struct tagl_tag *tag)
{
    struct dkim_sig *sig = p->sig;
    size_t want = 0;
    enum dkim_stat st;

    st = sig_base64(p, tag, sig->bh, sizeof(sig->bh), &sig->bh_len);
    if (st != DKIM_OK)
        return st;

    if (sig->alg == DKIM_ALG_RSA_SHA256 || sig->alg == DKIM_ALG_ED25519_SHA256)
        want = 32;
    else if (sig->alg == DKIM_ALG_RSA_SHA1)
        want = 20;
    if (want != 0 && sig->bh_len != want)
        return sig_fail(p, DKIM_ESYNTAX, "tag bh: %zu bytes where %s needs %zu",
                        sig->bh_len, sig->alg_text, want);
    return DKIM_OK;
}

static enum dkim_stat
sig_tag_c(struct sig_parse *p, const struct tagl_tag *tag)
{
    char text[16], q[40];

    if (tag->value_len < sizeof(text)) {
        memcpy(text, tag->value, tag->value_len);
        text[tag->value_len] = '\0';
        if (dkim_canon_parse(text, &p->sig->header_canon,
                             &p->sig->body_canon) == DKIM_OK)
            return DKIM_OK;
    }
    return sig_fail(p, DKIM_ESYNTAX, "tag c: unknown canonicalization \"%s\"",
                    sig_quote(tag->value, tag->value_len, q));
}

static enum dkim_stat
sig_tag_d(struct sig_parse *p, const struct tagl_tag *tag)
{
    char q[40];

    if (!sig_is_domain(tag->value, tag->value_len, 0))
        return sig_fail(p, DKIM_ESYNTAX, "tag d: invalid domain \"%s\"",
                        sig_quote(tag->value, tag->value_len, q));
    p->sig->domain = sig_strdup_nofws(tag->value, tag->value_len);
    return p->sig->domain == NULL ? DKIM_ENOMEM : DKIM_OK;
}

/* field-name = 1*ftext, ftext = %d33-57 / %d59-126 (RFC 5322 3.6.8). */
static int
sig_is_field_name(const char *s, size_t len)
{
    size_t i;

    if (len == 0)
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 33 || c > 126 || c == ':')
            return 0;
    }
    return 1;
}

/* Find the next colon-separated item of value from *pos, FWS trimmed. */
static void
sig_next_item(const struct tagl_tag *tag, size_t *pos, size_t *start,
              size_t *len)
{
    size_t i = *pos, end;

    while (i < tag->value_len && sig_is_fws(tag->value[i]))
        i++;
    *start = i;
    while (i < tag->value_len && tag->value[i] != ':')
        i++;
    end = i;
    while (end > *start && sig_is_fws(tag->value[end - 1]))
        end--;
    *len = end - *start;
    *pos = i < tag->value_len ? i + 1 : i;
}

static enum dkim_stat
sig_tag_h(struct sig_parse *p, const struct tagl_tag *tag)
{
    struct dkim_sig *sig = p->sig;
    size_t pos = 0, start, len;

    sig->headers = calloc(SIG_MAX_HEADERS, sizeof(*sig->headers));
    if (sig->headers == NULL)
        return DKIM_ENOMEM;

    do {
        sig_next_item(tag, &pos, &start, &len);
        if (!sig_is_field_name(tag->value + start, len))
            return sig_fail(p, DKIM_ESYNTAX,
                            "tag h: invalid header name at offset %zu",
                            tag->value_offset + start);
        if (sig->header_count >= SIG_MAX_HEADERS)
            return sig_fail(p, DKIM_ELIMIT, "tag h: more than %d names",
                            SIG_MAX_HEADERS);
        sig->headers[sig->header_count] = strndup(tag->value + start, len);
        if (sig->headers[sig->header_count] == NULL)
            return DKIM_ENOMEM;
        sig->header_count++;
    } while (pos < tag->value_len);

    /* A trailing ":" leaves an empty last name. */
    if (tag->value_len > 0 && tag->value[tag->value_len - 1] == ':')
        return sig_fail(p, DKIM_ESYNTAX,
                        "tag h: invalid header name at offset %zu",
                        tag->value_offset + tag->value_len);
    return DKIM_OK;
}

static int
sig_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/*
 * Decode dkim-quoted-printable (RFC 6376 2.11): FWS is dropped, "=XX" is
 * one octet, and every other character must be a dkim-safe-char.  Decoded
 * control characters are rejected because i= reaches log lines and
 * Authentication-Results.
 */
static enum dkim_stat
sig_qp_decode(struct sig_parse *p, const struct tagl_tag *tag, char **out)
{
    char *text = malloc(tag->value_len + 1);
    size_t i, n = 0;

    if (text == NULL)
        return DKIM_ENOMEM;
    for (i = 0; i < tag->value_len; i++) {
        unsigned char c = (unsigned char)tag->value[i];

        if (sig_is_fws((char)c))
            continue;
        if (c == '=') {
            int hi = i + 2 < tag->value_len ? sig_hex(tag->value[i + 1]) : -1;
            int lo = hi >= 0 ? sig_hex(tag->value[i + 2]) : -1;

            if (lo < 0)
                goto bad;
            c = (unsigned char)(hi * 16 + lo);
            if (c < 0x20 || c == 0x7f)
                goto bad;
            i += 2;
        }
        text[n++] = (char)c;
    }
    text[n] = '\0';
    *out = text;
    return DKIM_OK;

bad:
    free(text);
    return sig_fail(p, DKIM_ESYNTAX,
                    "tag i: invalid quoted-printable at offset %zu",
                    tag->value_offset + i);
}

/* i= is [Local-part] "@" domain-name; its relation to d= is checked by the
 * verifier. */
static enum dkim_stat
sig_tag_i(struct sig_parse *p, const struct tagl_tag *tag)
{
    struct dkim_sig *sig = p->sig;
    enum dkim_stat st;
    const char *at;
    char q[40];

    st = sig_qp_decode(p, tag, &sig->identity);
    if (st != DKIM_OK)
        return st;
    at = strrchr(sig->identity, '@');
    if (at == NULL || !sig_is_domain(at + 1, strlen(at + 1), 0))
        return sig_fail(p, DKIM_ESYNTAX, "tag i: invalid identity \"%s\"",
                        sig_quote(sig->identity, strlen(sig->identity), q));
    sig->has_identity = true;
    return DKIM_OK;
}

static enum dkim_stat
sig_tag_l(struct sig_parse *p, const struct tagl_tag *tag)
{
    p->sig->has_length = true;
    return sig_number(p, tag, 0, &p->sig->length);
}

/* q= is a colon list of query methods; only dns/txt exists (RFC 6376
 * 3.5), so it must be among them. */
static enum dkim_stat
sig_tag_q(struct sig_parse *p, const struct tagl_tag *tag)
{
    size_t pos = 0, start, len;

    do {
        sig_next_item(tag, &pos, &start, &len);
        if (len == 7 && memcmp(tag->value + start, "dns/txt", 7) == 0)
            return DKIM_OK;
    } while (pos < tag->value_len);
    return sig_fail(p, DKIM_ESYNTAX,
                    "tag q: no supported query method (dns/txt)");
}

static enum dkim_stat
sig_tag_s(struct sig_parse *p, const struct tagl_tag *tag)
{
    char q[40];

    if (!sig_is_domain(tag->value, tag->value_len, 1))
        return sig_fail(p, DKIM_ESYNTAX, "tag s: invalid selector \"%s\"",
                        sig_quote(tag->value, tag->value_len, q));
    p->sig->selector = sig_strdup_nofws(tag->value, tag->value_len);
    return p->sig->selector == NULL ? DKIM_ENOMEM : DKIM_OK;
}

static enum dkim_stat
sig_tag_t(struct sig_parse *p, const struct tagl_tag *tag)
{
    p->sig->has_timestamp = true;
    return sig_number(p, tag, SIG_MAX_TIME_DIGITS, &p->sig->timestamp);
}

static enum dkim_stat
sig_tag_x(struct sig_parse *p, const struct tagl_tag *tag)
{
    struct dkim_sig *sig = p->sig;
    enum dkim_stat st;

    st = sig_number(p, tag, SIG_MAX_TIME_DIGITS, &sig->expire);
    if (st != DKIM_OK)
        return st;
    sig->has_expire = true;
    if (sig->has_timestamp && sig->expire < sig->timestamp)
        return sig_fail(p, DKIM_ESYNTAX, "tag x: expiration before t=");
    return DKIM_OK;
}

/* Known tags in the order they are handled; z= is known but unused. */
static const struct sig_tag_handler {
    const char *name;
    bool required;
    sig_tag_fn parse;
} sig_tags[] = {
    {"v", true, sig_tag_v},   {"a", true, sig_tag_a},  {"b", true, sig_tag_b},
    {"bh", true, sig_tag_bh}, {"c", false, sig_tag_c}, {"d", true, sig_tag_d},
    {"h", true, sig_tag_h},   {"i", false, sig_tag_i}, {"l", false, sig_tag_l},
    {"q", false, sig_tag_q},  {"s", true, sig_tag_s},  {"t", false, sig_tag_t},
    {"x", false, sig_tag_x},
};

#define SIG_TAG_COUNT (sizeof(sig_tags) / sizeof(sig_tags[0]))

/* Interpret the parsed tags into p->sig. */
static enum dkim_stat
sig_interpret(struct sig_parse *p, const struct tagl *list)
{
    struct dkim_sig *sig = p->sig;
    const struct tagl_tag *tag;
    enum dkim_stat st;
    size_t i;

    for (i = 0; i < SIG_TAG_COUNT; i++)
        if (sig_tags[i].required && tagl_find(list, sig_tags[i].name) == NULL)
            return sig_fail(p, DKIM_ESYNTAX, "missing required tag %s",
                            sig_tags[i].name);

    for (i = 0; i < SIG_TAG_COUNT; i++) {
        tag = tagl_find(list, sig_tags[i].name);
        if (tag == NULL)
            continue;
        st = sig_tags[i].parse(p, tag);
        if (st == DKIM_ENOMEM)
            return sig_fail(p, st, "out of memory");
        if (st != DKIM_OK)
            return st;
    }

    if (!sig->has_identity) {
        size_t n = strlen(sig->domain) + 2;

        sig->identity = malloc(n);
        if (sig->identity == NULL)
            return sig_fail(p, DKIM_ENOMEM, "out of memory");
        snprintf(sig->identity, n, "@%s", sig->domain);
    }
    return DKIM_OK;
}

enum dkim_stat
dkim_sig_parse(const char *value, size_t len, struct dkim_sig **out, char *err,
               size_t errlen)
{
    struct sig_parse p = {NULL, err, errlen};
    struct tagl *list;
    enum dkim_stat st;

    if (out == NULL || (value == NULL && len > 0))
        return sig_fail(&p, DKIM_EINVAL, "no input or output");
    *out = NULL;

    /* struct tagl is about 2.5 KB, a lot for a milter thread's stack. */
    list = malloc(sizeof(*list));
    p.sig = calloc(1, sizeof(*p.sig));
    if (list == NULL || p.sig == NULL) {
        st = sig_fail(&p, DKIM_ENOMEM, "out of memory");
        goto fail;
    }
    p.sig->alg = DKIM_ALG_UNKNOWN;
    p.sig->header_canon = DKIM_CANON_SIMPLE;
    p.sig->body_canon = DKIM_CANON_SIMPLE;

    st = tagl_parse(value, len, list, err, errlen);
    if (st != DKIM_OK)
        goto fail;
    st = sig_interpret(&p, list);
    if (st != DKIM_OK)
        goto fail;

    free(list);
    *out = p.sig;
    return DKIM_OK;

fail:
    free(list);
    dkim_sig_free(p.sig);
    return st;
}

void
dkim_sig_free(struct dkim_sig *sig)
{
    unsigned i;

    if (sig == NULL)
        return;
    free(sig->alg_text);
    free(sig->b_text);
    free(sig->domain);
    free(sig->selector);
    if (sig->headers != NULL)
        for (i = 0; i < sig->header_count; i++)
            free(sig->headers[i]);
    free(sig->headers);
    free(sig->identity);
    free(sig);
}
