/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hdrs.h - the header fields of one message as received, in order, and the
 * bottom-up selection that h= requires (RFC 6376 5.4.2).
 *
 * Each field keeps its name as sent and its raw value (everything after the
 * colon, folds as CRLF).  A bare LF inside a value, as the milter protocol
 * sends folds, is stored as CRLF.
 *
 * Functions: hdrs_init, hdrs_free, hdrs_add, hdrs_name_is, hdrs_count_name,
 * hdrs_select_begin, hdrs_select_skip, hdrs_select_next, hdrs_select_end.
 *
 * DIAGNOSTICS: hdrs_add returns DKIM_ELIMIT past the field count or byte
 * cap, DKIM_ENOMEM, or DKIM_ESYNTAX for an empty name or one holding a
 * colon, CR or LF.
 */
#ifndef SIGNET_DKIM_HDRS_H
#define SIGNET_DKIM_HDRS_H

#include <stdbool.h>
#include <stddef.h>

#include "dkim/status.h"

struct hdr {
    char *name; /* one allocation: name, NUL, value, NUL */
    size_t name_len;
    char *value;
    size_t value_len;
};

struct hdrs {
    struct hdr *fields;
    unsigned count, cap;
    size_t bytes;         /* name + value bytes of every field */
    unsigned max_count;
    size_t max_bytes;
};

void hdrs_init(struct hdrs *h, unsigned max_count, size_t max_bytes);
void hdrs_free(struct hdrs *h);
enum dkim_stat hdrs_add(struct hdrs *h, const char *name, size_t name_len,
                        const char *value, size_t value_len);

/* True when the field's name equals name, ignoring case and any white
 * space between the name and the colon. */
bool hdrs_name_is(const struct hdr *field, const char *name, size_t len);
unsigned hdrs_count_name(const struct hdrs *h, const char *name);

/* Bottom-up selection for one signature's h= list: each name takes the
 * last instance not yet selected, and a name with no instance left takes
 * nothing (RFC 6376 5.4.2). */
struct hdrs_select {
    const struct hdrs *h;
    bool *selected;
};

enum dkim_stat hdrs_select_begin(struct hdrs_select *sel,
                                 const struct hdrs *h);
/* Mark field as already selected, so that no name takes it. */
void hdrs_select_skip(struct hdrs_select *sel, const struct hdr *field);
/* Take the next field for name, bottom-up, or NULL when none is left. */
const struct hdr *hdrs_select_next(struct hdrs_select *sel,
                                   const char *name);
void hdrs_select_end(struct hdrs_select *sel);

#endif
