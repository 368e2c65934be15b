/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * msg.h - the state of one message, shared by msg.c (the dkim_msg_* calls),
 * sign.c (building DKIM-Signature fields) and verify.c (checking them).
 *
 * Functions: msg_header_hash (msg.c), sign_field (sign.c), verify_prepare
 * and verify_run (verify.c).
 *
 * DIAGNOSTICS: every function returns an enum dkim_stat; the first failure
 * is stored in dkim_msg.error and returned by every later dkim_msg_* call.
 */
#ifndef SIGNET_DKIM_MSG_H
#define SIGNET_DKIM_MSG_H

#include <stdbool.h>

#include "dkim/bodyhash.h"
#include "dkim/dkim.h"
#include "dkim/hdrs.h"
#include "dkim/sig.h"

#define MSG_MAX_SIGNERS 8

/* A copy of dkim_sign_params that the message owns. */
struct msg_signer {
    const struct dkim_privkey *key;
    char *domain, *selector, *identity;
    enum dkim_canon header_canon, body_canon;
    char **headers;    /* NULL-terminated; NULL means the default list */
    char **oversign;   /* NULL-terminated */
    char **exact;      /* NULL-terminated, or NULL when not exact */
    bool body_length;
    long expire_after;
    unsigned bodyhash; /* index in dkim_msg.bodyhash */
};

/* One DKIM-Signature field found at end of header. */
struct msg_vsig {
    const struct hdr *field;
    struct dkim_sig *sig; /* NULL when the field did not parse */
    unsigned bodyhash;
    bool has_bodyhash;
};

enum msg_phase {
    MSG_PHASE_HEADER = 0,
    MSG_PHASE_BODY,
    MSG_PHASE_DONE,
};

struct dkim_msg {
    struct dkim_limits limits;
    enum msg_phase phase;
    enum dkim_stat error;     /* first failure, returned by every later call */
    struct hdrs hdrs;
    struct bodyhash bodyhash;
    struct msg_signer signers[MSG_MAX_SIGNERS];
    unsigned signer_count;
    struct msg_vsig *vsigs;   /* one per verified DKIM-Signature field */
    struct dkim_sig_result *results;
    unsigned vsig_count;
    unsigned ignored;         /* fields beyond limits.max_signatures */
    bool verified;
};

/* SHA-256 of the header fields h= names, selected bottom-up, then the
 * DKIM-Signature field (sig_value with b= already empty) without its final
 * CRLF (RFC 6376 3.7).  own is the stored field being verified, which no
 * h= entry may select, or NULL when signing. */
enum dkim_stat msg_header_hash(const struct dkim_msg *msg,
                               enum dkim_canon canon,
                               const char *const *names, unsigned count,
                               const struct hdr *own,
                               const char *sig_name, size_t sig_name_len,
                               const char *sig_value, size_t sig_value_len,
                               unsigned char digest[32]);

enum dkim_stat sign_field(struct dkim_msg *msg, unsigned idx, time_t now,
                          const char *eol, struct dkim_buf *out, char *err,
                          size_t errlen);

/* Parse every DKIM-Signature field and schedule its body hash. */
enum dkim_stat verify_prepare(struct dkim_msg *msg);
enum dkim_stat verify_run(struct dkim_msg *msg,
                          const struct dkim_verify_params *params);
void verify_free(struct dkim_msg *msg);

#endif
