/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sign.c - building one DKIM-Signature field (RFC 6376 sections 3.5, 3.7
 * and 5; RFC 8463 for Ed25519).
 *
 * Tags go out in the order v a c d i s t x l h bh b, folded below 78
 * columns.  The header hash covers the field exactly as it will be sent,
 * folds as CRLF and b= empty, so a verifier using either canonicalization
 * gets the same bytes.  The algorithm comes from the key: rsa-sha256 signs
 * the SHA-256 digest with PKCS#1 v1.5; ed25519-sha256 signs the 32-byte
 * SHA-256 digest itself as the PureEdDSA message (RFC 8463 section 3).
 *
 * Functions: sign_field, and the dkim_default_sign_headers list.
 *
 * DIAGNOSTICS: DKIM_ELIMIT when h= would list more than SIG_MAX_HEADERS
 * names, DKIM_ECRYPTO with the OpenSSL error text, DKIM_ENOMEM.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "dkim/b64.h"
#include "dkim/fold.h"
#include "dkim/msg.h"
#include "dkim/pkey.h"

#define SIGN_FIELD_NAME "DKIM-Signature"
#define SIGN_FIELD_MAX 16384 /* bytes of one folded field value */

const char *const dkim_default_sign_headers[] = {
    "From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date",
    "Message-ID", "In-Reply-To", "References", "MIME-Version",
    "Content-Type", "Content-Transfer-Encoding",
    "Resent-Date", "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc",
    "Resent-Message-ID", "List-Id", "List-Help", "List-Unsubscribe",
    "List-Unsubscribe-Post", "List-Subscribe", "List-Post", "List-Owner",
    "List-Archive", NULL,
};

static bool
sign_listed_before(const char *const *names, unsigned idx)
{
    unsigned i;

    for (i = 0; i < idx; i++)
        if (strcasecmp(names[i], names[idx]) == 0)
            return true;
    return false;
}

/* Fill names with h=: each listed name once per instance in the message,
 * then each oversigned name once more, or the exact list as given. */
static enum dkim_stat
sign_header_names(const struct dkim_msg *msg, const struct msg_signer *s,
                  const char *names[SIG_MAX_HEADERS], unsigned *count)
{
    const char *const *list;
    unsigned i, k, n = 0, have;

    if (s->exact != NULL) {
        for (i = 0; s->exact[i] != NULL; i++) {
            if (n >= SIG_MAX_HEADERS)
                return DKIM_ELIMIT;
            names[n++] = s->exact[i];
        }
        *count = n;
        return DKIM_OK;
    }

    list = s->headers != NULL ? (const char *const *)s->headers
                              : dkim_default_sign_headers;
    for (i = 0; list[i] != NULL; i++) {
        if (sign_listed_before(list, i))
            continue;
        have = hdrs_count_name(&msg->hdrs, list[i]);
        for (k = 0; k < have; k++) {
            if (n >= SIG_MAX_HEADERS)
                return DKIM_ELIMIT;
            names[n++] = list[i];
        }
    }
    for (i = 0; s->oversign[i] != NULL; i++) {
        if (sign_listed_before((const char *const *)s->oversign, i))
            continue;
        if (n >= SIG_MAX_HEADERS)
            return DKIM_ELIMIT;
        names[n++] = s->oversign[i];
    }
    *count = n;
    return DKIM_OK;
}

/* i= in dkim-quoted-printable (RFC 6376 2.11): bytes outside the safe
 * printable set, and ";" and "=", as =XX. */
static enum dkim_stat
sign_qp(const char *in, struct dkim_buf *out)
{
    enum dkim_stat st = DKIM_OK;
    const unsigned char *p;

    for (p = (const unsigned char *)in; *p != '\0' && st == DKIM_OK; p++) {
        if (*p > 0x20 && *p < 0x7f && *p != ';' && *p != '=')
            st = dkim_buf_appendc(out, (char)*p);
        else
            st = dkim_buf_printf(out, "=%02X", *p);
    }
    return st;
}

/* Sign the 32-byte header digest with the key's algorithm. */
static enum dkim_stat
sign_digest(const struct dkim_privkey *key, const unsigned char digest[32],
            unsigned char *sig, size_t *sig_len)
{
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *mctx = NULL;
    int ok;

    if (key->alg == DKIM_ALG_ED25519_SHA256) {
        if ((mctx = EVP_MD_CTX_new()) == NULL)
            return DKIM_ENOMEM;
        ok = EVP_DigestSignInit(mctx, NULL, NULL, NULL, key->pkey) == 1 &&
             EVP_DigestSign(mctx, sig, sig_len, digest, 32) == 1;
        EVP_MD_CTX_free(mctx);
        return ok ? DKIM_OK : DKIM_ECRYPTO;
    }

    if ((pctx = EVP_PKEY_CTX_new(key->pkey, NULL)) == NULL)
        return DKIM_ENOMEM;
    ok = EVP_PKEY_sign_init(pctx) == 1 &&
         EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
         EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) == 1 &&
         EVP_PKEY_sign(pctx, sig, sig_len, digest, 32) == 1;
    EVP_PKEY_CTX_free(pctx);
    return ok ? DKIM_OK : DKIM_ECRYPTO;
}

/* Append every tag up to and including "b=", folds as CRLF. */
static enum dkim_stat
sign_tags(const struct dkim_msg *msg, const struct msg_signer *s,
          time_t now, const char *const *names, unsigned count,
          struct dkim_buf *val)
{
    const struct bodyhash_entry *bh = bodyhash_get(&msg->bodyhash, s->bodyhash);
    char canon[20], num[24];
    struct dkim_buf tmp;
    struct fold f;
    enum dkim_stat st;

    dkim_buf_init(&tmp, 1024);
    fold_init(&f, val, strlen(SIGN_FIELD_NAME ":"));
    fold_tag(&f, "v", "1", false);
    fold_tag(&f, "a", dkim_alg_name(s->key->alg), false);
    snprintf(canon, sizeof(canon), "%s/%s",
             s->header_canon == DKIM_CANON_RELAXED ? "relaxed" : "simple",
             s->body_canon == DKIM_CANON_RELAXED ? "relaxed" : "simple");
    fold_tag(&f, "c", canon, false);
    fold_tag(&f, "d", s->domain, false);
    if (s->identity != NULL) {
        if ((st = sign_qp(s->identity, &tmp)) != DKIM_OK)
            goto out;
        fold_tag(&f, "i", tmp.data, false);
    }
    fold_tag(&f, "s", s->selector, false);
    snprintf(num, sizeof(num), "%lld", (long long)now);
    fold_tag(&f, "t", num, false);
    if (s->expire_after > 0) {
        snprintf(num, sizeof(num), "%lld", (long long)now + s->expire_after);
        fold_tag(&f, "x", num, false);
    }
    if (s->body_length) {
        snprintf(num, sizeof(num), "%llu", (unsigned long long)bh->length);
        fold_tag(&f, "l", num, false);
    }
    fold_list(&f, "h", names, count, false);

    dkim_buf_reset(&tmp);
    if ((st = b64_encode(bh->digest, sizeof(bh->digest), &tmp)) != DKIM_OK)
        goto out;
    fold_b64_start(&f, "bh");
    fold_b64_value(&f, tmp.data, tmp.len, false);
    fold_b64_start(&f, "b");
    st = fold_status(&f);
out:
    dkim_buf_free(&tmp);
    return st;
}

enum dkim_stat
sign_field(struct dkim_msg *msg, unsigned idx, time_t now, const char *eol,
           struct dkim_buf *out, char *err, size_t errlen)
{
    const struct msg_signer *s = &msg->signers[idx];
    const char *names[SIG_MAX_HEADERS];
    unsigned char digest[32], sig[SIG_MAX_B];
    size_t sig_len = sizeof(sig);
    struct dkim_buf val, b64;
    struct fold f;
    unsigned count = 0;
    enum dkim_stat st;

    st = sign_header_names(msg, s, names, &count);
    if (st != DKIM_OK) {
        dkim_errf(err, errlen, "more than %d header fields to sign",
                 SIG_MAX_HEADERS);
        return st;
    }

    /* The field up to "b=" is also what the header hash covers. */
    dkim_buf_init(&val, SIGN_FIELD_MAX);
    dkim_buf_init(&b64, SIGN_FIELD_MAX);
    if ((st = sign_tags(msg, s, now, names, count, &val)) != DKIM_OK)
        goto out;
    st = msg_header_hash(msg, s->header_canon, names, count, NULL,
                         SIGN_FIELD_NAME, strlen(SIGN_FIELD_NAME), val.data,
                         val.len, digest);
    if (st != DKIM_OK)
        goto out;

    if ((st = sign_digest(s->key, digest, sig, &sig_len)) != DKIM_OK) {
        const char *reason = ERR_reason_error_string(ERR_peek_error());

        dkim_errf(err, errlen, "signing for d=%s s=%s failed: %s", s->domain,
                 s->selector, reason != NULL ? reason : "no OpenSSL error text");
        ERR_clear_error();
        goto out;
    }
    if ((st = b64_encode(sig, sig_len, &b64)) != DKIM_OK)
        goto out;

    /* Continue folding where sign_tags stopped: the column is that of the
     * last line of val. */
    fold_resume(&f, &val, strlen(SIGN_FIELD_NAME ":"));
    fold_b64_value(&f, b64.data, b64.len, true);
    if ((st = fold_status(&f)) == DKIM_OK)
        st = fold_eol(val.data, val.len, eol, out);
out:
    dkim_buf_free(&val);
    dkim_buf_free(&b64);
    return st;
}
