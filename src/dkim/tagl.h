/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tagl.h - tag=value list parser (RFC 6376 section 3.2), shared by the
 * DKIM-Signature and key-record parsers.
 *
 * The parser works on (pointer, length) and never copies: each tag points
 * into the caller's input.  Values have leading and trailing FWS removed;
 * FWS inside a value is kept for the caller to interpret.
 *
 * DIAGNOSTICS: DKIM_ESYNTAX with a reason naming the tag and the byte
 * offset; DKIM_ELIMIT past TAGL_MAX_TAGS tags or a tag name longer than
 * TAGL_MAX_NAME.
 */
#ifndef SIGNET_DKIM_TAGL_H
#define SIGNET_DKIM_TAGL_H

#include <stdbool.h>
#include <stddef.h>

#include "dkim/status.h"

#define TAGL_MAX_TAGS 64
#define TAGL_MAX_NAME 32

struct tagl_tag {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
    size_t value_offset; /* offset of value from the start of the input */
};

struct tagl {
    struct tagl_tag tags[TAGL_MAX_TAGS];
    unsigned count;
};

/* Parse a tag-list.  A duplicate tag name is a syntax error (RFC 6376
 * 3.2); a trailing ";" is allowed. */
enum dkim_stat tagl_parse(const char *input, size_t len, struct tagl *out,
                          char *err, size_t errlen);

/* Find a tag by its case-sensitive name, or NULL. */
const struct tagl_tag *tagl_find(const struct tagl *list, const char *name);

#endif
