/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * txt.h - TXT answers as the DNS and test-keys backends return them, and
 * the parser for TXT RDATA (RFC 1035 3.3.14: one or more length-prefixed
 * character-strings).
 *
 * txt_rdata_join    join the character-strings of one RDATA
 * txt_answer_add    append one record to an answer
 * txt_answer_clear  free the records of an answer
 *
 * DIAGNOSTICS: txt_rdata_join returns DKIM_ESYNTAX when a length prefix
 * runs past the end of the RDATA; both allocating functions return
 * DKIM_ENOMEM or DKIM_ELIMIT.
 */
#ifndef SIGNET_DNS_TXT_H
#define SIGNET_DNS_TXT_H

#include <stdbool.h>
#include <stddef.h>

#include "dkim/status.h"

/* Records kept per answer.  Larger RRsets are counted but not stored. */
#define TXT_MAX_RECORDS 16

/* Outcome of a TXT query. */
enum txt_outcome {
    TXT_FOUND = 0, /* at least one TXT record */
    TXT_NXDOMAIN,  /* the name (or a CNAME target) does not exist */
    TXT_NODATA,    /* the name exists but has no TXT record */
    TXT_SERVFAIL,  /* the server failed or refused, or a local error */
    TXT_TIMEOUT,   /* no answer before the deadline */
    TXT_BOGUS,     /* DNSSEC validation failed */
};

struct txt_answer {
    enum txt_outcome outcome;
    unsigned count;                   /* records stored */
    unsigned total;                   /* records in the RRset */
    char *records[TXT_MAX_RECORDS];   /* joined strings, NUL-terminated */
    size_t lengths[TXT_MAX_RECORDS];  /* record lengths without the NUL */
    unsigned ttl;                     /* seconds */
    bool secure;                      /* DNSSEC-validated */
    char canonname[256];              /* final name after CNAMEs */
    char reason[128];                 /* for outcomes other than FOUND */
};

/* Join the character-strings of one TXT RDATA into a new NUL-terminated
 * string (malloc'd, *out_len bytes before the NUL).  An RDATA of zero
 * length yields an empty string. */
enum dkim_stat txt_rdata_join(const unsigned char *rdata, size_t len,
                              char **out, size_t *out_len);

/* Append a copy of record to answer.  Past TXT_MAX_RECORDS only the total
 * grows, except that a v=DKIM1 record replaces the last stored record that
 * is not one. */
enum dkim_stat txt_answer_add(struct txt_answer *answer, const char *record,
                              size_t len);

/* Free the stored records and zero the answer. */
void txt_answer_clear(struct txt_answer *answer);

#endif
