/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * authres.c - build Authentication-Results values and recognise fields that
 * claim our authserv-id (RFC 8601 section 2.2 and 5).
 *
 * Public: authres_b_prefix_len, authres_build, authres_claims_id.
 *
 * DIAGNOSTICS: only buffer errors (DKIM_ENOMEM, DKIM_ELIMIT).
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "daemon/authres.h"

/* Maximum length of a message-derived value copied into the field. */
#define AUTHRES_MAX_VALUE 255
#define AUTHRES_B_PREFIX 8

/* RFC 2045 token: printable ASCII except SPACE and tspecials. */
static bool
authres_is_token_char(unsigned char c)
{
    if (c <= 0x20 || c >= 0x7f)
        return false;
    return strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

static bool
authres_is_token(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > AUTHRES_MAX_VALUE)
        return false;
    for (i = 0; i < len; i++) {
        if (!authres_is_token_char((unsigned char)s[i]))
            return false;
    }
    return true;
}

/* RFC 5322 atext plus '.', for the local-part of header.i. */
static bool
authres_is_dot_atom(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"[]", c) != NULL)
            return false;
        if (c == '.' && i > 0 && s[i - 1] == '.')
            return false;
    }
    return true;
}

static enum dkim_stat
authres_append_quoted(struct dkim_buf *out, const char *s, size_t len)
{
    enum dkim_stat st;
    size_t i;

    if (len > AUTHRES_MAX_VALUE)
        len = AUTHRES_MAX_VALUE;
    if ((st = dkim_buf_appendc(out, '"')) != DKIM_OK)
        return st;
    for (i = 0; i < len && st == DKIM_OK; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' || c == '\\') {
            st = dkim_buf_appendc(out, '\\');
            if (st == DKIM_OK)
                st = dkim_buf_appendc(out, (char)c);
        } else if (c < 0x20 || c >= 0x7f) {
            st = dkim_buf_appendc(out, '?');
        } else {
            st = dkim_buf_appendc(out, (char)c);
        }
    }
    if (st == DKIM_OK)
        st = dkim_buf_appendc(out, '"');
    return st;
}

/* Append s as a token when it is one, else as a quoted-string. */
static enum dkim_stat
authres_append_value(struct dkim_buf *out, const char *s, size_t len)
{
    if (authres_is_token(s, len))
        return dkim_buf_append(out, s, len);
    return authres_append_quoted(out, s, len);
}

/* header.i takes [local-part] "@" domain-name bare; anything else is
 * quoted. */
static enum dkim_stat
authres_append_identity(struct dkim_buf *out, const char *identity)
{
    size_t len = strlen(identity);
    const char *at = strrchr(identity, '@');
    size_t local_len;

    /* Cutting a long identity would name one the signature never had, so
     * an over-long local part is dropped and "@domain" kept. */
    if (at != NULL && len > AUTHRES_MAX_VALUE) {
        len -= (size_t)(at - identity);
        identity = at;
    }
    if (at == NULL || len > AUTHRES_MAX_VALUE)
        return authres_append_quoted(out, identity, len);
    local_len = (size_t)(at - identity);
    if ((local_len == 0 || authres_is_dot_atom(identity, local_len)) &&
        authres_is_token(at + 1, len - local_len - 1))
        return dkim_buf_append(out, identity, len);
    return authres_append_quoted(out, identity, len);
}

size_t
authres_b_prefix_len(const struct dkim_sig_result *results, unsigned count,
                     unsigned idx)
{
    const char *b = results[idx].b;
    size_t len, n;
    unsigned j;
    bool clash;

    if (b == NULL)
        return 0;
    len = strlen(b);
    for (n = AUTHRES_B_PREFIX; n < len; n++) {
        clash = false;
        /* No prefix length distinguishes an identical copy of this
         * signature, so a copy does not lengthen the prefix. */
        for (j = 0; j < count && !clash; j++) {
            if (j != idx && results[j].b != NULL &&
                strncmp(results[j].b, b, n) == 0 &&
                strcmp(results[j].b, b) != 0)
                clash = true;
        }
        if (!clash)
            return n;
    }
    return len;
}

static enum dkim_stat
authres_append_prop(struct dkim_buf *out, const char *name, const char *value,
                    size_t len)
{
    enum dkim_stat st;

    st = dkim_buf_printf(out, " %s=", name);
    if (st == DKIM_OK)
        st = authres_append_value(out, value, len);
    return st;
}

/* The comment after the result word, or "" when there is none. */
static const char *
authres_comment(const struct dkim_sig_result *r)
{
    if (r->dnssec_secure && r->testing)
        return " (DNSSEC-secure key, testing mode)";
    if (r->dnssec_secure)
        return " (DNSSEC-secure key)";
    if (r->testing)
        return " (key in testing mode)";
    return "";
}

static enum dkim_stat
authres_append_result(struct dkim_buf *out,
                      const struct dkim_sig_result *results, unsigned count,
                      unsigned idx)
{
    const struct dkim_sig_result *r = &results[idx];
    enum dkim_stat st;

    st = dkim_buf_printf(out, "dkim=%s%s", dkim_result_name(r->result),
                         authres_comment(r));
    if (st == DKIM_OK && r->reason[0] != '\0' && r->result != DKIM_RES_PASS) {
        st = dkim_buf_appends(out, " reason=");
        if (st == DKIM_OK)
            st = authres_append_quoted(out, r->reason, strlen(r->reason));
    }
    if (st == DKIM_OK && r->domain != NULL)
        st = authres_append_prop(out, "header.d", r->domain,
                                 strlen(r->domain));
    if (st == DKIM_OK && r->identity != NULL) {
        st = dkim_buf_appends(out, " header.i=");
        if (st == DKIM_OK)
            st = authres_append_identity(out, r->identity);
    }
    if (st == DKIM_OK && r->selector != NULL)
        st = authres_append_prop(out, "header.s", r->selector,
                                 strlen(r->selector));
    if (st == DKIM_OK && r->algorithm != NULL)
        st = authres_append_prop(out, "header.a", r->algorithm,
                                 strlen(r->algorithm));
    if (st == DKIM_OK && r->b != NULL)
        st = authres_append_prop(out, "header.b", r->b,
                                 authres_b_prefix_len(results, count, idx));
    return st;
}

enum dkim_stat
authres_build(const char *authserv_id, const struct dkim_sig_result *results,
              unsigned count, const char *eol, struct dkim_buf *out)
{
    enum dkim_stat st;
    unsigned i;

    st = authres_append_value(out, authserv_id, strlen(authserv_id));
    if (st != DKIM_OK)
        return st;
    if (count == 0)
        return dkim_buf_appends(out, "; dkim=none");

    for (i = 0; i < count && st == DKIM_OK; i++) {
        st = dkim_buf_printf(out, ";%s\t", eol);
        if (st == DKIM_OK)
            st = authres_append_result(out, results, count, i);
    }
    return st;
}

/* Skip white space, line breaks and nested comments (RFC 5322 CFWS). */
static size_t
authres_skip_cfws(const char *s, size_t len, size_t i)
{
    unsigned depth = 0;

    while (i < len) {
        char c = s[i];

        if (depth > 0 && c == '\\' && i + 1 < len) {
            i += 2;
            continue;
        }
        if (c == '(')
            depth++;
        else if (c == ')' && depth > 0)
            depth--;
        else if (depth == 0 && c != ' ' && c != '\t' && c != '\r' &&
                 c != '\n')
            break;
        i++;
    }
    return i;
}

bool
authres_claims_id(const char *value, size_t len, const char *authserv_id)
{
    char id[256];
    size_t i, n = 0;

    i = authres_skip_cfws(value, len, 0);
    if (i < len && value[i] == '"') {
        /* quoted-string: unescape quoted-pairs */
        for (i++; i < len && value[i] != '"'; i++) {
            if (value[i] == '\\' && i + 1 < len)
                i++;
            if (n + 1 >= sizeof(id))
                return false;
            id[n++] = value[i];
        }
    } else {
        for (; i < len && authres_is_token_char((unsigned char)value[i]);
             i++) {
            if (n + 1 >= sizeof(id))
                return false;
            id[n++] = value[i];
        }
    }
    id[n] = '\0';
    return n > 0 && strcasecmp(id, authserv_id) == 0;
}
