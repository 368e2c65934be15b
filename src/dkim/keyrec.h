/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keyrec.h - the layout of a parsed DKIM key record (RFC 6376 3.6.1,
 * RFC 8463 section 4), for the verifier.  Callers outside the core use the
 * functions declared in dkim.h.
 *
 * Parsing rules: v= if present must be first and equal "DKIM1"; h= lists
 * acceptable hashes (unknown ones ignored); k= defaults to rsa; n= is
 * ignored; p= is required, an empty p= means revoked; s= is a colon list
 * where "*" or "email" allow e-mail use; t= is a colon list of flags where
 * "y" is testing and "s" forbids subdomains in i=.  An RSA p= may be a
 * SubjectPublicKeyInfo or a bare PKCS#1 RSAPublicKey; an Ed25519 p= is the
 * raw 32-byte key.
 */
#ifndef SIGNET_DKIM_KEYREC_H
#define SIGNET_DKIM_KEYREC_H

#include <stdbool.h>

#include <openssl/evp.h>

#include "dkim/dkim.h"

#define KEYREC_HASH_SHA1 0x1u
#define KEYREC_HASH_SHA256 0x2u

struct dkim_keyrec {
    int refs;              /* atomic: __atomic builtins */
    enum dkim_alg alg;     /* from k=: RSA_SHA256 for rsa (either hash),
                            * ED25519_SHA256, or UNKNOWN */
    char *key_type;        /* k= as written, for messages */
    unsigned hashes;       /* KEYREC_HASH_* allowed; all when h= absent */
    bool revoked;          /* p= empty */
    bool testing;          /* t=y */
    bool strict_identity;  /* t=s */
    bool email_service;    /* s= absent, "*" or includes "email" */
    EVP_PKEY *pkey;        /* NULL when revoked */
    unsigned bits;
};

#endif
