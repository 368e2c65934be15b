/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * addr.c - the mailbox of a From field (RFC 5322 3.4 and 3.6.2).
 *
 * Functions: dkim_addr_from.
 *
 * The parser accepts one mailbox, either name-addr or addr-spec.  It
 * handles display names (obs-phrase dots included), quoted strings with
 * quoted-pairs, nested comments, angle-addr and dot-atom or quoted local
 * parts.  It also takes domain literals, obs-local-part, obs-domain, and
 * CFWS or folding anywhere the grammar allows it.  Folding may use CRLF
 * or a bare LF followed by white space, because the milter protocol
 * delivers header values with LF line ends.  Bytes 0x80-0xff count as text
 * everywhere (RFC 6532).  Groups, several mailboxes, obs-route and empty
 * input are rejected.  NOTE: so are the empty list elements that
 * obs-mbox-list allows (", joe@example.com"), since a From field that
 * needs them is rare and a comma is the usual sign of a second mailbox.
 *
 * The whole value is validated first; only then are the local part and
 * the domain copied out.  They are copied as written, except that CFWS
 * between the words of obs-local-part or obs-domain is left out.
 *
 * DIAGNOSTICS: DKIM_ESYNTAX when the value does not parse or has no single
 * mailbox (comments nested deeper than ADDR_MAX_COMMENT_DEPTH included);
 * DKIM_ELIMIT when an output buffer is too small; DKIM_EINVAL for NULL
 * arguments.
 */
#include <stdbool.h>
#include <string.h>

#include "dkim/dkim.h"

#define ADDR_MAX_COMMENT_DEPTH 16

struct addr_cursor {
    const char *s;
    size_t len;
    size_t pos;
};

/* A validated stretch of the input: [start, end). */
struct addr_span {
    size_t start, end;
};

static bool
addr_is_wsp(char c)
{
    return c == ' ' || c == '\t';
}

static int
addr_peek(const struct addr_cursor *cur)
{
    return cur->pos < cur->len ? (unsigned char)cur->s[cur->pos] : -1;
}

/* atext (RFC 5322 3.2.3) plus 8-bit bytes. */
static bool
addr_is_atext(int c)
{
    if (c < 0)
        return false;
    if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9'))
        return true;
    return c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* VCHAR or WSP: what may follow a backslash in a quoted-pair. */
static bool
addr_is_quotable(int c)
{
    return c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7e) || c >= 0x80;
}

/* FWS, with CRLF or LF before the white space; false on a line break that
 * is not followed by white space. */
static bool
addr_fws(struct addr_cursor *cur)
{
    while (cur->pos < cur->len) {
        const char *p = cur->s + cur->pos;
        size_t left = cur->len - cur->pos;

        if (addr_is_wsp(p[0]))
            cur->pos++;
        else if (left >= 3 && p[0] == '\r' && p[1] == '\n' && addr_is_wsp(p[2]))
            cur->pos += 3;
        else if (left >= 2 && p[0] == '\n' && addr_is_wsp(p[1]))
            cur->pos += 2;
        else if (p[0] == '\r' || p[0] == '\n')
            return false;
        else
            break;
    }
    return true;
}

/* One byte inside a comment or quoted-string other than its delimiters: a
 * quoted-pair, FWS, or ctext/qtext (both are printable US-ASCII here, and
 * the callers have already handled the delimiters).  8-bit bytes count as
 * text, as RFC 6532 allows. */
static bool
addr_inner_byte(struct addr_cursor *cur, int c)
{
    if (c == '\\') {
        cur->pos++;
        if (!addr_is_quotable(addr_peek(cur)))
            return false;
        cur->pos++;
        return true;
    }
    if (addr_is_wsp((char)c) || c == '\r' || c == '\n')
        return addr_fws(cur);
    if (c >= 0x21 && c != 0x7f) {
        cur->pos++;
        return true;
    }
    return false;
}

/* comment (RFC 5322 3.2.2), with the cursor on "(".  Nesting is counted
 * instead of recursed into, and capped. */
static bool
addr_comment(struct addr_cursor *cur)
{
    unsigned depth = 0;

    while (cur->pos < cur->len) {
        int c = addr_peek(cur);

        if (c == '(') {
            if (++depth > ADDR_MAX_COMMENT_DEPTH)
                return false;
            cur->pos++;
        } else if (c == ')') {
            cur->pos++;
            if (--depth == 0)
                return true;
        } else if (!addr_inner_byte(cur, c)) {
            return false;
        }
    }
    return false; /* unbalanced */
}

static bool
addr_cfws(struct addr_cursor *cur)
{
    for (;;) {
        if (!addr_fws(cur))
            return false;
        if (addr_peek(cur) != '(')
            return true;
        if (!addr_comment(cur))
            return false;
    }
}

/* quoted-string without its surrounding CFWS, cursor on the quote. */
static bool
addr_quoted_string(struct addr_cursor *cur)
{
    cur->pos++;
    while (cur->pos < cur->len) {
        int c = addr_peek(cur);

        if (c == '"') {
            cur->pos++;
            return true;
        }
        if (!addr_inner_byte(cur, c))
            return false;
    }
    return false; /* unbalanced */
}

/* word = atom / quoted-string, each with optional CFWS around it; span
 * gets the word without the CFWS. */
static bool
addr_word(struct addr_cursor *cur, struct addr_span *span, bool allow_quoted)
{
    if (!addr_cfws(cur))
        return false;
    span->start = cur->pos;
    if (allow_quoted && addr_peek(cur) == '"') {
        if (!addr_quoted_string(cur))
            return false;
    } else {
        while (addr_is_atext(addr_peek(cur)))
            cur->pos++;
    }
    span->end = cur->pos;
    if (span->end == span->start)
        return false;
    return addr_cfws(cur);
}

/* word *("." word): dot-atom, quoted-string and obs-local-part for the
 * local part; atom *("." atom) for obs-domain. */
static bool
addr_dotted(struct addr_cursor *cur, struct addr_span *span, bool allow_quoted)
{
    struct addr_span word;

    if (!addr_word(cur, &word, allow_quoted))
        return false;
    span->start = word.start;
    while (addr_peek(cur) == '.') {
        cur->pos++;
        if (!addr_word(cur, &word, allow_quoted))
            return false;
    }
    span->end = word.end;
    return true;
}

/* domain-literal = [CFWS] "[" *([FWS] dtext) [FWS] "]" [CFWS]. */
static bool
addr_domain_literal(struct addr_cursor *cur, struct addr_span *span)
{
    span->start = cur->pos;
    cur->pos++;
    for (;;) {
        int c;

        if (!addr_fws(cur))
            return false;
        c = addr_peek(cur);
        if (c == ']')
            break;
        if (c < 0x21 || c == '[' || c == '\\' || c == 0x7f)
            return false;
        cur->pos++;
    }
    cur->pos++;
    span->end = cur->pos;
    return addr_cfws(cur);
}

static bool
addr_domain(struct addr_cursor *cur, struct addr_span *span)
{
    if (!addr_cfws(cur))
        return false;
    if (addr_peek(cur) == '[')
        return addr_domain_literal(cur, span);
    return addr_dotted(cur, span, false);
}

static bool
addr_addr_spec(struct addr_cursor *cur, struct addr_span *local,
               struct addr_span *domain)
{
    if (!addr_dotted(cur, local, true) || addr_peek(cur) != '@')
        return false;
    cur->pos++;
    return addr_domain(cur, domain);
}

/* [display-name] angle-addr, where display-name is a phrase that may hold
 * dots (obs-phrase, as in "John Q. Public"). */
static bool
addr_name_addr(struct addr_cursor *cur, struct addr_span *local,
               struct addr_span *domain)
{
    struct addr_span word;
    bool have_word = false;

    if (!addr_cfws(cur))
        return false;
    while (addr_peek(cur) != '<') {
        if (have_word && addr_peek(cur) == '.') {
            cur->pos++;
            if (!addr_cfws(cur))
                return false;
            continue;
        }
        if (!addr_word(cur, &word, true))
            return false; /* also a ":" of a group or a "," */
        have_word = true;
    }

    cur->pos++;
    if (!addr_addr_spec(cur, local, domain) || addr_peek(cur) != '>')
        return false;
    cur->pos++;
    return addr_cfws(cur);
}

/*
 * Copy a validated span, leaving out CFWS outside quoted strings.  Returns
 * false when out (out_size bytes, NUL included) is too small.
 */
static bool
addr_copy(const char *s, struct addr_span span, char *out, size_t out_size)
{
    struct addr_cursor cur = {s, span.end, span.start};
    size_t n = 0;

    while (cur.pos < cur.len) {
        size_t from = cur.pos;
        int c = addr_peek(&cur);

        if (c == '(' || addr_is_wsp((char)c) || c == '\r' || c == '\n') {
            if (!addr_cfws(&cur) || cur.pos == from)
                return false; /* not reached: the span was validated */
            continue;
        }
        if (c == '"')
            (void)addr_quoted_string(&cur);
        else
            cur.pos++;
        if (cur.pos - from >= out_size - n)
            return false;
        memcpy(out + n, s + from, cur.pos - from);
        n += cur.pos - from;
    }
    out[n] = '\0';
    return true;
}

enum dkim_stat
dkim_addr_from(const char *value, size_t len, char *local, size_t local_size,
               char *domain, size_t domain_size)
{
    struct addr_cursor cur = {value, len, 0};
    struct addr_span local_span, domain_span;

    if ((value == NULL && len > 0) || domain == NULL || domain_size == 0 ||
        (local != NULL && local_size == 0))
        return DKIM_EINVAL;

    /* mailbox = name-addr / addr-spec; try the bare addr-spec first. */
    if (!addr_addr_spec(&cur, &local_span, &domain_span) || cur.pos != len) {
        cur.pos = 0;
        if (!addr_name_addr(&cur, &local_span, &domain_span) || cur.pos != len)
            return DKIM_ESYNTAX;
    }

    if (!addr_copy(value, domain_span, domain, domain_size))
        return DKIM_ELIMIT;
    if (local != NULL && !addr_copy(value, local_span, local, local_size))
        return DKIM_ELIMIT;
    return DKIM_OK;
}
