/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sig.h - DKIM-Signature field parser (RFC 6376 section 3.5, RFC 8463).
 *
 * dkim_sig_parse validates the whole tag list before extracting anything:
 * required tags (v, a, b, bh, d, h, s), v=1, known canonicalizations,
 * base64 in b= and bh=, numeric t=/x=/l= without overflow, i= decoded from
 * dkim-quoted-printable.  Unknown tags are ignored (RFC 6376 3.2).
 *
 * An unknown a= value is not a syntax error here: alg becomes
 * DKIM_ALG_UNKNOWN and the verifier reports it, so the reason reaches the
 * admin as "unknown algorithm".
 *
 * DIAGNOSTICS: DKIM_ESYNTAX with a reason that names the tag, for example
 * "tag bh: invalid base64 at offset 12" or "missing required tag d";
 * DKIM_ELIMIT when h= lists more than SIG_MAX_HEADERS names.
 */
#ifndef SIGNET_DKIM_SIG_H
#define SIGNET_DKIM_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dkim/dkim.h"

/* RFC 6376 sets no limit on h=; this cap is far above any real signer's
 * list (dkimpy and OpenDKIM sign a few dozen names at most) and bounds the
 * O(h= names x header fields) selection. */
#define SIG_MAX_HEADERS 512
#define SIG_MAX_B 1024 /* decoded b= bytes: an RSA-8192 signature */

struct dkim_sig {
    enum dkim_alg alg;
    char *alg_text;            /* a= as written */
    unsigned char b[SIG_MAX_B];
    size_t b_len;
    char *b_text;              /* b= with FWS removed */
    unsigned char bh[64];
    size_t bh_len;
    enum dkim_canon header_canon, body_canon;
    char *domain;              /* d= */
    char *selector;            /* s= */
    char **headers;            /* h= names, FWS removed */
    unsigned header_count;
    char *identity;            /* i= decoded; "@" + d= when absent */
    bool has_identity;
    bool has_length;
    uint64_t length;           /* l= */
    bool has_timestamp;
    uint64_t timestamp;        /* t= */
    bool has_expire;
    uint64_t expire;           /* x= */
    /* Span of the b= value in the field value passed to the parser.  It
     * starts just after "b=", so white space before the value is inside;
     * the verifier hashes the field without it (RFC 6376 3.7). */
    size_t b_value_offset, b_value_len;
};

enum dkim_stat dkim_sig_parse(const char *value, size_t len,
                              struct dkim_sig **out, char *err,
                              size_t errlen);
void dkim_sig_free(struct dkim_sig *sig);

#endif
