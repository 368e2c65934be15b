/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pkey.h - the layout of a loaded private key, for the signer.  Callers
 * outside the core use the dkim_privkey_* functions in dkim.h.
 */
#ifndef SIGNET_DKIM_PKEY_H
#define SIGNET_DKIM_PKEY_H

#include <openssl/evp.h>

#include "dkim/dkim.h"

struct dkim_privkey {
    EVP_PKEY *pkey;
    enum dkim_alg alg; /* DKIM_ALG_RSA_SHA256 or DKIM_ALG_ED25519_SHA256 */
    unsigned bits;
};

#endif
