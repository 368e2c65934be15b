/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkim.h - the public interface of Signet's DKIM core library.
 *
 * The core signs and verifies one message at a time through a dkim_msg
 * handle: header fields go in one by one, the body streams in chunks of any
 * size, and at end of message the caller asks for signatures or for
 * verification results.  The core never logs, never exits, never does I/O
 * on its own (key lookups go through a caller-supplied callback) and never
 * includes libmilter; the daemon, the CLI, the tests and the fuzzers all use
 * this same interface.
 *
 * DIAGNOSTICS: every function that can fail returns an enum dkim_stat and,
 * where it takes one, writes a one-line reason into a caller buffer.  The
 * reason never contains private key material.
 */
#ifndef SIGNET_DKIM_H
#define SIGNET_DKIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dkim/buf.h"
#include "dkim/status.h"


enum dkim_canon {
    DKIM_CANON_SIMPLE = 0,
    DKIM_CANON_RELAXED,
};

enum dkim_alg {
    DKIM_ALG_RSA_SHA256 = 0,
    DKIM_ALG_ED25519_SHA256,
    DKIM_ALG_RSA_SHA1, /* recognised so it can be rejected (RFC 8301) */
    DKIM_ALG_UNKNOWN,
};

/* Result words of RFC 8601 section 2.7.1. */
enum dkim_result {
    DKIM_RES_NONE = 0,
    DKIM_RES_PASS,
    DKIM_RES_FAIL,
    DKIM_RES_POLICY,
    DKIM_RES_NEUTRAL,
    DKIM_RES_TEMPERROR,
    DKIM_RES_PERMERROR,
};

const char *dkim_result_name(enum dkim_result);
/* "rsa-sha256", "ed25519-sha256", "rsa-sha1" or "unknown". */
const char *dkim_alg_name(enum dkim_alg);
/* Parse "simple/relaxed" style text (RFC 6376 3.5 c=); a lone word sets the
 * header canonicalization and leaves the body simple. */
enum dkim_stat dkim_canon_parse(const char *text, enum dkim_canon *header,
                                enum dkim_canon *body);

/*
 * Private keys (pkey.c).  A key is parsed once, when the configuration
 * loads, and shared read-only by every thread afterwards.
 */
struct dkim_privkey;

/* Load a PEM key (PKCS#8 or PKCS#1 RSA, PKCS#8 Ed25519) or a file holding
 * the raw base64 Ed25519 seed that dkimpy's dknewkey writes.  With
 * check_mode, a file that group or other can read is rejected. */
enum dkim_stat dkim_privkey_load(const char *path, bool check_mode,
                                 struct dkim_privkey **out, char *err,
                                 size_t errlen);
enum dkim_stat dkim_privkey_from_mem(const char *data, size_t len,
                                     struct dkim_privkey **out, char *err,
                                     size_t errlen);
enum dkim_stat dkim_privkey_generate(enum dkim_alg alg, unsigned bits,
                                     struct dkim_privkey **out, char *err,
                                     size_t errlen);
/* Write the key as PKCS#8 PEM to path, created with mode 0600; fails if the
 * file already exists. */
enum dkim_stat dkim_privkey_write_pem(const struct dkim_privkey *key,
                                      const char *path, char *err,
                                      size_t errlen);
void dkim_privkey_free(struct dkim_privkey *key);
enum dkim_alg dkim_privkey_alg(const struct dkim_privkey *key);
unsigned dkim_privkey_bits(const struct dkim_privkey *key);
/* Append the base64 p= value of the public half: SubjectPublicKeyInfo DER
 * for RSA, the raw 32-byte key for Ed25519 (RFC 8463 section 4.2). */
enum dkim_stat dkim_privkey_public_b64(const struct dkim_privkey *key,
                                       struct dkim_buf *out);

/*
 * Key records (keyrec.c).  A parsed record owns its public key and is
 * reference counted so that a cache can hand the same record to several
 * messages at once.
 */
struct dkim_keyrec;

/* Parse one DKIM key record (RFC 6376 3.6.1), the TXT strings already
 * joined.  A record whose p= is empty parses and reports revoked. */
enum dkim_stat dkim_keyrec_parse(const char *txt, size_t len,
                                 struct dkim_keyrec **out, char *err,
                                 size_t errlen);
struct dkim_keyrec *dkim_keyrec_ref(struct dkim_keyrec *key);
void dkim_keyrec_unref(struct dkim_keyrec *key);
bool dkim_keyrec_revoked(const struct dkim_keyrec *key);
bool dkim_keyrec_testing(const struct dkim_keyrec *key);
unsigned dkim_keyrec_bits(const struct dkim_keyrec *key);
/* The signing algorithm the key is for: DKIM_ALG_UNKNOWN for k= values
 * other than rsa and ed25519. */
enum dkim_alg dkim_keyrec_alg(const struct dkim_keyrec *key);
/* True when the record's public key is the public half of priv. */
bool dkim_keyrec_matches(const struct dkim_keyrec *key,
                         const struct dkim_privkey *priv);

/*
 * Messages (msg.c).
 */
struct dkim_limits {
    size_t max_header_bytes;  /* all header fields together; 0 = 1 MiB */
    unsigned max_headers;     /* header field count; 0 = 10000 */
    unsigned max_signatures;  /* DKIM-Signature fields verified; 0 = 8 */
};

struct dkim_msg;

struct dkim_msg *dkim_msg_new(const struct dkim_limits *limits);
void dkim_msg_free(struct dkim_msg *msg);

/* Add one header field.  name is the field name without the colon; value
 * is everything after the colon exactly as received, leading white space
 * included, without the final line break.  Internal line breaks may be CRLF
 * or bare LF (the milter protocol sends LF); both are stored as CRLF. */
enum dkim_stat dkim_msg_header(struct dkim_msg *msg, const char *name,
                               size_t name_len, const char *value,
                               size_t value_len);

struct dkim_sign_params {
    const struct dkim_privkey *key; /* not copied: must outlive the msg */
    const char *domain;             /* d= */
    const char *selector;           /* s= */
    const char *identity;           /* i=, or NULL for none */
    enum dkim_canon header_canon, body_canon;
    /* Header names to sign when the message has them (NULL: the default
     * list).  Each name present in the message is signed once per
     * occurrence. */
    const char *const *headers;
    /* Names signed one extra time so that no field of that name can be
     * added later (NULL: { "From" }; an empty list turns it off). */
    const char *const *oversign;
    /* When non-NULL, h= is exactly this list, duplicates included, and
     * headers/oversign are ignored (used for test vectors). */
    const char *const *exact_headers;
    bool body_length;  /* add l= (off unless configured) */
    long expire_after; /* x= = t= + this many seconds; 0 for no x= */
};

/* The default signed-header list, NULL-terminated. */
extern const char *const dkim_default_sign_headers[];

/* Request one signature.  Call before dkim_msg_eoh; at most 8 per message.
 * The strings are copied. */
enum dkim_stat dkim_msg_add_signer(struct dkim_msg *msg,
                                   const struct dkim_sign_params *params);

/* End of header.  With verify set, every DKIM-Signature field (up to
 * max_signatures) is parsed and its body hash scheduled; a field that does
 * not parse becomes a permerror result now, not a failure later. */
enum dkim_stat dkim_msg_eoh(struct dkim_msg *msg, bool verify);

/* Feed body bytes, CRLF line ends, split anywhere. */
enum dkim_stat dkim_msg_body(struct dkim_msg *msg, const void *data,
                             size_t len);

/* End of body: finish every body hash. */
enum dkim_stat dkim_msg_eom(struct dkim_msg *msg);

/* Produce signature number idx (in add_signer order): appends the field
 * value (what follows "DKIM-Signature:", starting with a space), folded
 * below 78 columns with eol + TAB between lines ("\r\n" for a file, "\n"
 * for the milter protocol).  now becomes t=. */
enum dkim_stat dkim_msg_sign(struct dkim_msg *msg, unsigned idx, time_t now,
                             const char *eol, struct dkim_buf *out, char *err,
                             size_t errlen);

/* Result of a key lookup. */
enum dkim_key_status {
    DKIM_KEY_FOUND = 0,
    DKIM_KEY_NOTFOUND, /* NXDOMAIN or no DKIM record: permerror "no key" */
    DKIM_KEY_TEMPFAIL, /* SERVFAIL or timeout: temperror */
    DKIM_KEY_INVALID,  /* a record exists but does not parse: permerror */
};

struct dkim_key_answer {
    enum dkim_key_status status;
    struct dkim_keyrec *key; /* FOUND: a reference the verifier releases */
    bool dnssec_secure;      /* the answer was DNSSEC-validated */
    char reason[128];        /* for the other statuses */
};

/* Look up selector._domainkey.domain.  Called from dkim_msg_verify in the
 * caller's thread; may block. */
typedef void (*dkim_key_fetch_fn)(void *arg, const char *domain,
                                  const char *selector,
                                  struct dkim_key_answer *answer);

struct dkim_verify_params {
    time_t now;
    long clock_skew;       /* seconds allowed for t= and x=; default 300 */
    unsigned min_key_bits; /* RSA keys below: policy; 0 means 1024 */
    dkim_key_fetch_fn fetch;
    void *fetch_arg;
};

struct dkim_sig_result {
    enum dkim_result result;
    char reason[128];   /* short text, e.g. "body hash mismatch" */
    char *domain;       /* d=, NULL if the field did not give one */
    char *selector;     /* s= */
    char *identity;     /* i= (decoded), or "@" d= when absent */
    char *algorithm;    /* a= as written */
    char *b;            /* b= base64 with white space removed */
    bool testing;       /* key has t=y */
    bool dnssec_secure; /* key came from a DNSSEC-secure answer */
    unsigned key_bits;
};

/* Verify every signature found at eoh.  results points into msg and stays
 * valid until dkim_msg_free.  count is 0 for an unsigned message. */
enum dkim_stat dkim_msg_verify(struct dkim_msg *msg,
                               const struct dkim_verify_params *params,
                               const struct dkim_sig_result **results,
                               unsigned *count);

/* Number of DKIM-Signature fields seen beyond max_signatures. */
unsigned dkim_msg_ignored_signatures(const struct dkim_msg *msg);

/*
 * Addresses (addr.c).
 */

/* Take the domain of the single mailbox in a From field value (RFC 5322
 * 3.6.2 mailbox-list).  Fails with DKIM_ESYNTAX when the value has no
 * mailbox, several mailboxes, or does not parse.  local may be NULL. */
enum dkim_stat dkim_addr_from(const char *value, size_t len, char *local,
                              size_t local_size, char *domain,
                              size_t domain_size);

#endif
