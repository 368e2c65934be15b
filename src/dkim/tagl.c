/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tagl.c - tag=value list parser (RFC 6376 section 3.2).
 *
 * Functions: tagl_parse, tagl_find.
 *
 * Grammar, from RFC 6376 3.2 and 2.8:
 *   tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
 *   tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *   tag-name  = ALPHA *( ALPHA / DIGIT / "_" )
 *   tag-value = [ tval *( 1*(WSP / FWS) tval ) ]
 *   tval      = 1*( %x21-3A / %x3C-7E )
 *   FWS       = [ *WSP CRLF ] 1*WSP
 * A line break is only valid as CRLF followed by SP or HTAB.  FWS after a
 * trailing ";" is also accepted, since key records are often published
 * that way.
 *
 * DIAGNOSTICS: DKIM_ESYNTAX with a reason that names the tag where one is
 * known and the byte offset, for example "tag bh: invalid character 0x07
 * at offset 40"; DKIM_ELIMIT past TAGL_MAX_TAGS tags or for a tag name
 * longer than TAGL_MAX_NAME.  DKIM_EINVAL for NULL input with a length or
 * a NULL output.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dkim/tagl.h"

struct tagl_cursor {
    const char *s;
    size_t len;
    size_t pos;
    char *err;
    size_t errlen;
};

static enum dkim_stat tagl_fail(struct tagl_cursor *cur, enum dkim_stat st,
                                const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum dkim_stat
tagl_fail(struct tagl_cursor *cur, enum dkim_stat st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dkim_verrf(cur->err, cur->errlen, fmt, ap);
    va_end(ap);
    return st;
}

static bool
tagl_is_wsp(char c)
{
    return c == ' ' || c == '\t';
}

static bool
tagl_is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
tagl_is_alnumpunc(char c)
{
    return tagl_is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

/* VALCHAR: printable US-ASCII except ";". */
static bool
tagl_is_valchar(char c)
{
    unsigned char u = (unsigned char)c;

    return u >= 0x21 && u <= 0x7e && u != ';';
}

/*
 * Skip FWS at the cursor.  A CR must start CRLF WSP; a bare CR, a bare LF
 * or a CRLF that is not followed by WSP (which would end the header field)
 * is an error.  name is the tag being parsed, or NULL.
 */
static enum dkim_stat
tagl_skip_fws(struct tagl_cursor *cur, const char *name, size_t name_len)
{
    const char *s = cur->s;

    while (cur->pos < cur->len) {
        char c = s[cur->pos];

        if (tagl_is_wsp(c)) {
            cur->pos++;
            continue;
        }
        if (c == '\r' && cur->pos + 2 < cur->len && s[cur->pos + 1] == '\n' &&
            tagl_is_wsp(s[cur->pos + 2])) {
            cur->pos += 3;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (name != NULL)
                return tagl_fail(cur, DKIM_ESYNTAX,
                                 "tag %.*s: line break not followed by white "
                                 "space at offset %zu",
                                 (int)name_len, name, cur->pos);
            return tagl_fail(cur, DKIM_ESYNTAX,
                             "line break not followed by white space at "
                             "offset %zu",
                             cur->pos);
        }
        break;
    }
    return DKIM_OK;
}

/* tag-name, with the cursor on its first character. */
static enum dkim_stat
tagl_tag_name(struct tagl_cursor *cur, struct tagl_tag *tag)
{
    size_t start = cur->pos;

    if (cur->pos >= cur->len)
        return tagl_fail(cur, DKIM_ESYNTAX, "missing tag name at offset %zu",
                         cur->pos);
    if (!tagl_is_alpha(cur->s[cur->pos]))
        return tagl_fail(cur, DKIM_ESYNTAX,
                         "invalid character 0x%02x at offset %zu, expected "
                         "a tag name",
                         (unsigned char)cur->s[cur->pos], cur->pos);

    while (cur->pos < cur->len && tagl_is_alnumpunc(cur->s[cur->pos]))
        cur->pos++;
    if (cur->pos - start > TAGL_MAX_NAME)
        return tagl_fail(cur, DKIM_ELIMIT,
                         "tag name longer than %d characters at offset %zu",
                         TAGL_MAX_NAME, start);

    tag->name = cur->s + start;
    tag->name_len = cur->pos - start;
    return DKIM_OK;
}

/*
 * tag-value up to the next ";" or the end.  The stored value runs from its
 * first to its last VALCHAR, so FWS around it is dropped and FWS inside it
 * is kept.
 */
static enum dkim_stat
tagl_tag_value(struct tagl_cursor *cur, struct tagl_tag *tag)
{
    size_t start = cur->pos, end = cur->pos;
    enum dkim_stat st;

    while (cur->pos < cur->len && cur->s[cur->pos] != ';') {
        char c = cur->s[cur->pos];

        if (tagl_is_valchar(c)) {
            cur->pos++;
            end = cur->pos;
        } else if (tagl_is_wsp(c) || c == '\r' || c == '\n') {
            st = tagl_skip_fws(cur, tag->name, tag->name_len);
            if (st != DKIM_OK)
                return st;
        } else {
            return tagl_fail(cur, DKIM_ESYNTAX,
                             "tag %.*s: invalid character 0x%02x at offset "
                             "%zu",
                             (int)tag->name_len, tag->name, (unsigned char)c,
                             cur->pos);
        }
    }

    tag->value = cur->s + start;
    tag->value_len = end - start;
    tag->value_offset = start;
    return DKIM_OK;
}

static bool
tagl_has_name(const struct tagl *list, const char *name, size_t name_len)
{
    unsigned i;

    for (i = 0; i < list->count; i++)
        if (list->tags[i].name_len == name_len &&
            memcmp(list->tags[i].name, name, name_len) == 0)
            return true;
    return false;
}

/* One tag-spec, with the cursor after the preceding ";" or at the start. */
static enum dkim_stat
tagl_tag_spec(struct tagl_cursor *cur, struct tagl *out)
{
    struct tagl_tag tag;
    enum dkim_stat st;

    if ((st = tagl_tag_name(cur, &tag)) != DKIM_OK)
        return st;
    if ((st = tagl_skip_fws(cur, tag.name, tag.name_len)) != DKIM_OK)
        return st;
    if (cur->pos >= cur->len || cur->s[cur->pos] != '=')
        return tagl_fail(cur, DKIM_ESYNTAX,
                         "tag %.*s: missing \"=\" at offset %zu",
                         (int)tag.name_len, tag.name, cur->pos);
    cur->pos++;
    if ((st = tagl_skip_fws(cur, tag.name, tag.name_len)) != DKIM_OK)
        return st;
    if ((st = tagl_tag_value(cur, &tag)) != DKIM_OK)
        return st;

    if (tagl_has_name(out, tag.name, tag.name_len))
        return tagl_fail(cur, DKIM_ESYNTAX, "duplicate tag %.*s",
                         (int)tag.name_len, tag.name);
    if (out->count >= TAGL_MAX_TAGS)
        return tagl_fail(cur, DKIM_ELIMIT, "more than %d tags", TAGL_MAX_TAGS);
    out->tags[out->count++] = tag;
    return DKIM_OK;
}

enum dkim_stat
tagl_parse(const char *input, size_t len, struct tagl *out, char *err,
           size_t errlen)
{
    struct tagl_cursor cur = {input, len, 0, err, errlen};
    enum dkim_stat st;

    if ((input == NULL && len > 0) || out == NULL)
        return tagl_fail(&cur, DKIM_EINVAL, "no input or output");
    out->count = 0;

    for (;;) {
        if ((st = tagl_skip_fws(&cur, NULL, 0)) != DKIM_OK)
            return st;
        /* The end after FWS is fine only after a trailing ";". */
        if (cur.pos == len && out->count > 0)
            break;
        if (cur.pos == len)
            return tagl_fail(&cur, DKIM_ESYNTAX, "empty tag list");

        if ((st = tagl_tag_spec(&cur, out)) != DKIM_OK)
            return st;
        if (cur.pos == len)
            break;
        cur.pos++; /* the ";" that tagl_tag_value stopped at */
    }
    return DKIM_OK;
}

const struct tagl_tag *
tagl_find(const struct tagl *list, const char *name)
{
    size_t name_len = strlen(name);
    unsigned i;

    for (i = 0; i < list->count; i++)
        if (list->tags[i].name_len == name_len &&
            memcmp(list->tags[i].name, name, name_len) == 0)
            return &list->tags[i];
    return NULL;
}
