/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * loader.c - error reporting, the table walker and the generic setting
 * types that config_load builds on.
 *
 * Public functions: loader_error, loader_warn, loader_walk, loader_strdup,
 * loader_strndup, loader_calloc, loader_strings, loader_strings_free,
 * loader_apply_*, loader_setting_name.
 *
 * DIAGNOSTICS: problems go to the report callback as "FILE:LINE: message"
 * (FILE is the included file when the setting came from an @include) and
 * are counted in struct loader.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/loader.h"

/* Maximum length of a reported message, file and line included. */
#define LOADER_MESSAGE_MAX 1024

static void loader_vreport(struct loader *ld, const config_setting_t *s,
                           const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void
loader_vreport(struct loader *ld, const config_setting_t *s,
               const char *prefix, const char *fmt, va_list ap)
{
    char message[LOADER_MESSAGE_MAX];
    const char *file = NULL;
    int used = 0;

    if (ld->report == NULL)
        return;
    if (s != NULL)
        file = config_setting_source_file(s);
    if (file == NULL)
        file = ld->path;

    if (s != NULL && config_setting_source_line(s) > 0)
        used = snprintf(message, sizeof(message), "%s:%u: %s", file,
                        (unsigned)config_setting_source_line(s), prefix);
    else
        used = snprintf(message, sizeof(message), "%s: %s", file, prefix);
    if (used < 0 || (size_t)used >= sizeof(message))
        used = 0;
    vsnprintf(message + used, sizeof(message) - (size_t)used, fmt, ap);
    ld->report(ld->report_arg, message);
}

void
loader_error(struct loader *ld, const config_setting_t *s, const char *fmt,
             ...)
{
    va_list ap;

    ld->errors++;
    va_start(ap, fmt);
    loader_vreport(ld, s, "", fmt, ap);
    va_end(ap);
}

void
loader_warn(struct loader *ld, const config_setting_t *s, const char *fmt,
            ...)
{
    va_list ap;

    ld->warnings++;
    va_start(ap, fmt);
    loader_vreport(ld, s, "warning: ", fmt, ap);
    va_end(ap);
}

static void
loader_out_of_memory(struct loader *ld)
{
    if (!ld->out_of_memory)
        loader_error(ld, NULL, "out of memory while loading the configuration");
    ld->out_of_memory = true;
}

char *
loader_strdup(struct loader *ld, const char *text)
{
    char *copy = strdup(text);

    if (copy == NULL)
        loader_out_of_memory(ld);
    return copy;
}

char *
loader_strndup(struct loader *ld, const char *text, size_t len)
{
    char *copy = strndup(text, len);

    if (copy == NULL)
        loader_out_of_memory(ld);
    return copy;
}

void *
loader_calloc(struct loader *ld, size_t count, size_t size)
{
    void *p = calloc(count == 0 ? 1 : count, size);

    if (p == NULL)
        loader_out_of_memory(ld);
    return p;
}

void
loader_setting_name(const config_setting_t *s, char *out, size_t size)
{
    const config_setting_t *parent = config_setting_parent(s);
    size_t used;

    out[0] = '\0';
    if (parent != NULL && !config_setting_is_root(parent))
        loader_setting_name(parent, out, size);
    used = strlen(out);

    if (config_setting_name(s) != NULL)
        snprintf(out + used, size - used, "%s%s", used > 0 ? "." : "",
                 config_setting_name(s));
    else
        snprintf(out + used, size - used, "[%d]", config_setting_index(s));
}

/* Levenshtein distance, capped: names longer than 40 are not compared. */
static unsigned
loader_distance(const char *a, const char *b)
{
    unsigned row[41], i, j, diagonal, next;
    size_t la = strlen(a), lb = strlen(b);

    if (la > 40 || lb > 40)
        return UINT_MAX;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        diagonal = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            next = diagonal + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < next)
                next = row[j] + 1;
            if (row[j - 1] + 1 < next)
                next = row[j - 1] + 1;
            diagonal = row[j];
            row[j] = next;
        }
    }
    return row[lb];
}

static void
loader_unknown(struct loader *ld, const config_setting_t *s,
               const struct loader_entry *table, size_t count)
{
    char name[256];
    const char *best = NULL;
    unsigned best_distance = 3, d;
    size_t i;

    loader_setting_name(s, name, sizeof(name));
    for (i = 0; i < count; i++) {
        d = loader_distance(config_setting_name(s), table[i].name);
        if (d < best_distance) {
            best_distance = d;
            best = table[i].name;
        }
    }
    if (best != NULL)
        loader_error(ld, s, "unknown setting \"%s\"; did you mean \"%s\"?",
                     name, best);
    else
        loader_error(ld, s, "unknown setting \"%s\"", name);
}

static const char *
loader_type_name(int type)
{
    switch (type) {
    case CONFIG_TYPE_GROUP: return "a group";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a floating-point number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_ARRAY: return "an array";
    case CONFIG_TYPE_LIST: return "a list";
    default: return "an unknown type";
    }
}

static const char *const loader_expected[] = {
    [LOADER_BOOL] = "a boolean (true or false)",
    [LOADER_INT] = "an integer",
    [LOADER_STRING] = "a string",
    [LOADER_STRINGS] = "an array of strings: [ \"a\", \"b\" ]",
    [LOADER_GROUP] = "a group: { ... }",
    [LOADER_GROUPS] = "a list of groups: ( { ... }, { ... } )",
};

/* True when every element of an aggregate has the wanted type; reports
 * each element that has not. */
static bool
loader_check_elements(struct loader *ld, const config_setting_t *s,
                      int want, const char *want_name)
{
    const config_setting_t *elem;
    char name[256];
    bool ok = true;
    int i;

    for (i = 0; (elem = config_setting_get_elem(s, (unsigned)i)) != NULL;
         i++) {
        if (config_setting_type(elem) == want)
            continue;
        loader_setting_name(elem, name, sizeof(name));
        loader_error(ld, elem, "%s must be %s, not %s", name, want_name,
                     loader_type_name(config_setting_type(elem)));
        ok = false;
    }
    return ok;
}

static bool
loader_check_type(struct loader *ld, const config_setting_t *s,
                  enum loader_type want)
{
    int type = config_setting_type(s);
    bool ok;
    char name[256];

    switch (want) {
    case LOADER_BOOL: ok = type == CONFIG_TYPE_BOOL; break;
    case LOADER_INT:
        ok = type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64;
        break;
    case LOADER_STRING: ok = type == CONFIG_TYPE_STRING; break;
    case LOADER_STRINGS:
        ok = type == CONFIG_TYPE_ARRAY || type == CONFIG_TYPE_LIST;
        break;
    case LOADER_GROUP: ok = type == CONFIG_TYPE_GROUP; break;
    case LOADER_GROUPS: ok = type == CONFIG_TYPE_LIST; break;
    default: ok = false; break;
    }

    if (!ok) {
        loader_setting_name(s, name, sizeof(name));
        loader_error(ld, s, "%s must be %s, not %s", name,
                     loader_expected[want], loader_type_name(type));
        return false;
    }
    if (want == LOADER_STRINGS)
        return loader_check_elements(ld, s, CONFIG_TYPE_STRING, "a string");
    if (want == LOADER_GROUPS)
        return loader_check_elements(ld, s, CONFIG_TYPE_GROUP, "a group");
    return true;
}

unsigned long long
loader_walk(struct loader *ld, const config_setting_t *group,
            const struct loader_entry *table, size_t count, void *base)
{
    const config_setting_t *s;
    unsigned long long seen = 0;
    unsigned i;
    size_t j;

    for (i = 0; (s = config_setting_get_elem(group, i)) != NULL; i++) {
        for (j = 0; j < count; j++) {
            if (strcmp(config_setting_name(s), table[j].name) == 0)
                break;
        }
        if (j == count) {
            loader_unknown(ld, s, table, count);
            continue;
        }

        seen |= 1ULL << j;
        if (loader_check_type(ld, s, table[j].type))
            table[j].apply(ld, s, &table[j], base);
    }
    return seen;
}

char **
loader_strings(struct loader *ld, const config_setting_t *s)
{
    int count = config_setting_length(s);
    char **list = loader_calloc(ld, (size_t)count + 1, sizeof(*list));
    int i;

    if (list == NULL)
        return NULL;
    for (i = 0; i < count; i++) {
        list[i] = loader_strdup(ld, config_setting_get_string_elem(s, i));
        if (list[i] == NULL) {
            loader_strings_free(list);
            return NULL;
        }
    }
    return list;
}

void
loader_strings_free(char **list)
{
    char **p;

    if (list == NULL)
        return;
    for (p = list; *p != NULL; p++)
        free(*p);
    free(list);
}

void
loader_apply_bool(struct loader *ld, const config_setting_t *s,
                  const struct loader_entry *entry, void *base)
{
    (void)ld;
    *(bool *)((char *)base + entry->offset) = config_setting_get_bool(s);
}

/* Read an integer setting and check it against [min, max]. */
static bool
loader_int_in_range(struct loader *ld, const config_setting_t *s,
                    const struct loader_entry *entry, long *value)
{
    long long v = config_setting_get_int64(s);
    char name[256];

    /* NOTE: libconfig 1.5 wraps a decimal literal that does not fit in 32
     * bits (99999999999999999999 reads as -1) and gives no way to see the
     * text, so a wrapped value inside the range goes unnoticed.  The
     * message says "read as" because the value may not be what the file
     * holds. */
    if (v < entry->min || v > entry->max) {
        loader_setting_name(s, name, sizeof(name));
        loader_error(ld, s, "%s is out of range: use %ld to %ld (read as "
                     "%lld)", name, entry->min, entry->max, v);
        return false;
    }
    *value = (long)v;
    return true;
}

void
loader_apply_int_long(struct loader *ld, const config_setting_t *s,
                      const struct loader_entry *entry, void *base)
{
    long v;

    if (loader_int_in_range(ld, s, entry, &v))
        *(long *)((char *)base + entry->offset) = v;
}

void
loader_apply_int_unsigned(struct loader *ld, const config_setting_t *s,
                          const struct loader_entry *entry, void *base)
{
    long v;

    if (loader_int_in_range(ld, s, entry, &v))
        *(unsigned *)((char *)base + entry->offset) = (unsigned)v;
}

void
loader_apply_int_size(struct loader *ld, const config_setting_t *s,
                      const struct loader_entry *entry, void *base)
{
    long v;

    if (loader_int_in_range(ld, s, entry, &v))
        *(size_t *)((char *)base + entry->offset) = (size_t)v;
}

void
loader_apply_string(struct loader *ld, const config_setting_t *s,
                    const struct loader_entry *entry, void *base)
{
    char **field = (char **)((char *)base + entry->offset);

    free(*field);
    *field = loader_strdup(ld, config_setting_get_string(s));
}
