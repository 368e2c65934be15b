/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * loader.h - the machinery config_load shares between its setting tables:
 * the load context that counts errors, and a walker that checks every
 * member of a libconfig group against a table of known settings.
 *
 * DIAGNOSTICS: every check reports through loader_error or loader_warn as
 * "FILE:LINE: message"; an error makes config_load fail, a warning does
 * not.  Out of memory is reported once and counts as an error.
 */
#ifndef SIGNET_CONF_LOADER_H
#define SIGNET_CONF_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

#include "conf/config.h"

struct loader {
    const char *path; /* the file given to config_load */
    config_report_fn report;
    void *report_arg;
    unsigned errors, warnings;
    bool out_of_memory;
    /* The on_*_reply settings seen, by enum policy_class, so that
     * policy_finish can point at them. */
    const config_setting_t *policy_replies[4];
    /* The keys and signing lists, parsed after the walk because rules
     * refer to keys wherever they appear in the file. */
    const config_setting_t *keys_setting, *signing_setting;
};

/* The expected type of a setting's value.  STRINGS accepts an array or a
 * list of strings, and GROUPS a list of groups. */
enum loader_type {
    LOADER_BOOL,
    LOADER_INT,
    LOADER_STRING,
    LOADER_STRINGS,
    LOADER_GROUP,
    LOADER_GROUPS,
};

struct loader_entry;

/* Store one setting whose type has already been checked.  base is the
 * object the table fills (struct config, or a key or rule being built). */
typedef void (*loader_apply_fn)(struct loader *ld, const config_setting_t *s,
                                const struct loader_entry *entry, void *base);

struct loader_entry {
    const char *name;
    enum loader_type type;
    loader_apply_fn apply;
    size_t offset;  /* field in base, for the generic apply functions */
    long min, max;  /* inclusive range, for loader_apply_int_* */
};

void loader_error(struct loader *ld, const config_setting_t *s,
                  const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void loader_warn(struct loader *ld, const config_setting_t *s,
                 const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Check every member of group against table (unknown names and wrong
 * types are errors) and apply the ones that pass.  Returns a bit mask of
 * the table entries that were present, for required-setting checks;
 * a table has at most 64 entries. */
unsigned long long loader_walk(struct loader *ld,
                               const config_setting_t *group,
                               const struct loader_entry *table, size_t count,
                               void *base);

/* strdup that records an out-of-memory error in ld. */
char *loader_strdup(struct loader *ld, const char *text);
/* strndup that records an out-of-memory error in ld. */
char *loader_strndup(struct loader *ld, const char *text, size_t len);
/* calloc that records an out-of-memory error in ld. */
void *loader_calloc(struct loader *ld, size_t count, size_t size);

/* Copy an array of strings into a NULL-terminated vector (never NULL on
 * success, possibly empty). */
char **loader_strings(struct loader *ld, const config_setting_t *s);
void loader_strings_free(char **list);

/* Generic apply functions: a bool, an integer in [min, max] stored as
 * long, unsigned or size_t, and a string copied as is. */
void loader_apply_bool(struct loader *ld, const config_setting_t *s,
                       const struct loader_entry *entry, void *base);
void loader_apply_int_long(struct loader *ld, const config_setting_t *s,
                           const struct loader_entry *entry, void *base);
void loader_apply_int_unsigned(struct loader *ld, const config_setting_t *s,
                               const struct loader_entry *entry, void *base);
void loader_apply_int_size(struct loader *ld, const config_setting_t *s,
                           const struct loader_entry *entry, void *base);
void loader_apply_string(struct loader *ld, const config_setting_t *s,
                         const struct loader_entry *entry, void *base);

/* The full name of a setting for messages: "dns.timeout", "keys[2].id". */
void loader_setting_name(const config_setting_t *s, char *out, size_t size);

#endif
