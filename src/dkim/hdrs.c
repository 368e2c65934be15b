/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hdrs.c - the message's header fields as received, and h= selection.
 * See hdrs.h for the interface.
 *
 * DIAGNOSTICS: DKIM_ELIMIT, DKIM_ENOMEM, DKIM_ESYNTAX (see hdrs.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkim/hdrs.h"

void
hdrs_init(struct hdrs *h, unsigned max_count, size_t max_bytes)
{
    memset(h, 0, sizeof(*h));
    h->max_count = max_count;
    h->max_bytes = max_bytes;
}

void
hdrs_free(struct hdrs *h)
{
    unsigned i;

    if (h == NULL)
        return;
    for (i = 0; i < h->count; i++)
        free(h->fields[i].name);
    free(h->fields);
    h->fields = NULL;
    h->count = h->cap = 0;
}

/* Count the bytes a value needs once every bare LF becomes CRLF. */
static size_t
hdrs_stored_len(const char *value, size_t len)
{
    size_t i, n = len;

    for (i = 0; i < len; i++)
        if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r'))
            n++;
    return n;
}

static void
hdrs_copy_value(char *dst, const char *value, size_t len)
{
    size_t i, o = 0;

    for (i = 0; i < len; i++) {
        if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r'))
            dst[o++] = '\r';
        dst[o++] = value[i];
    }
    dst[o] = '\0';
}

static bool
hdrs_valid_name(const char *name, size_t len)
{
    size_t i;

    if (len == 0)
        return false;
    for (i = 0; i < len; i++)
        if (name[i] == ':' || name[i] == '\r' || name[i] == '\n' ||
            name[i] == '\0')
            return false;
    return true;
}

enum dkim_stat
hdrs_add(struct hdrs *h, const char *name, size_t name_len,
         const char *value, size_t value_len)
{
    struct hdr *field;
    size_t stored, total;
    char *mem;

    if (!hdrs_valid_name(name, name_len))
        return DKIM_ESYNTAX;
    if (h->count >= h->max_count)
        return DKIM_ELIMIT;
    stored = hdrs_stored_len(value, value_len);
    if (name_len > h->max_bytes || stored > h->max_bytes - name_len ||
        h->bytes > h->max_bytes - name_len - stored)
        return DKIM_ELIMIT;

    if (h->count == h->cap) {
        unsigned cap = h->cap ? h->cap * 2 : 32;
        struct hdr *fields = realloc(h->fields, (size_t)cap * sizeof(*fields));

        if (fields == NULL)
            return DKIM_ENOMEM;
        h->fields = fields;
        h->cap = cap;
    }

    /* name_len + stored is at most max_bytes, so this cannot overflow. */
    total = name_len + stored + 2;
    if ((mem = malloc(total)) == NULL)
        return DKIM_ENOMEM;
    memcpy(mem, name, name_len);
    mem[name_len] = '\0';
    hdrs_copy_value(mem + name_len + 1, value, value_len);

    field = &h->fields[h->count++];
    field->name = mem;
    field->name_len = name_len;
    field->value = mem + name_len + 1;
    field->value_len = stored;
    h->bytes += name_len + stored;
    return DKIM_OK;
}

bool
hdrs_name_is(const struct hdr *field, const char *name, size_t len)
{
    size_t n = field->name_len;

    while (n > 0 && (field->name[n - 1] == ' ' || field->name[n - 1] == '\t'))
        n--;
    return n == len && strncasecmp(field->name, name, len) == 0;
}

unsigned
hdrs_count_name(const struct hdrs *h, const char *name)
{
    size_t len = strlen(name);
    unsigned i, n = 0;

    for (i = 0; i < h->count; i++)
        if (hdrs_name_is(&h->fields[i], name, len))
            n++;
    return n;
}

enum dkim_stat
hdrs_select_begin(struct hdrs_select *sel, const struct hdrs *h)
{
    sel->h = h;
    sel->selected = calloc(h->count ? h->count : 1, sizeof(*sel->selected));
    return sel->selected ? DKIM_OK : DKIM_ENOMEM;
}

void
hdrs_select_skip(struct hdrs_select *sel, const struct hdr *field)
{
    if (field >= sel->h->fields && field < sel->h->fields + sel->h->count)
        sel->selected[field - sel->h->fields] = true;
}

const struct hdr *
hdrs_select_next(struct hdrs_select *sel, const char *name)
{
    size_t len = strlen(name);
    unsigned i;

    for (i = sel->h->count; i-- > 0;) {
        if (sel->selected[i] || !hdrs_name_is(&sel->h->fields[i], name, len))
            continue;
        sel->selected[i] = true;
        return &sel->h->fields[i];
    }
    return NULL;
}

void
hdrs_select_end(struct hdrs_select *sel)
{
    free(sel->selected);
    sel->selected = NULL;
}
