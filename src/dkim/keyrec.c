/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keyrec.c - DKIM key record parser (RFC 6376 3.6.1, RFC 8463 section 4)
 * and the reference-counted record it returns.
 *
 * Functions: dkim_keyrec_parse, dkim_keyrec_ref, dkim_keyrec_unref,
 * dkim_keyrec_revoked, dkim_keyrec_testing, dkim_keyrec_bits,
 * dkim_keyrec_alg.  dkim_keyrec_matches lives in pkey.c.
 *
 * The record goes through the tag-list parser first.  Optional tags with
 * an empty value (h=, k=, s=, t=) count as absent, so "h=; k=rsa" parses.
 * p= is decoded with OpenSSL 3 decoders: an RSA key as SubjectPublicKeyInfo
 * DER or bare PKCS#1 RSAPublicKey DER, an Ed25519 key as the raw 32 bytes.
 * For a k= other than rsa or ed25519 the base64 is checked but no key is
 * built, and the record reports DKIM_ALG_UNKNOWN.
 *
 * DIAGNOSTICS: DKIM_ESYNTAX with a reason such as "missing required tag p"
 * or "key p=: not a valid RSA public key"; DKIM_ELIMIT for a p= longer than
 * KEYREC_MAX_DER bytes or an RSA key above KEYREC_MAX_RSA_BITS bits;
 * DKIM_ECRYPTO with OpenSSL's error text when OpenSSL itself fails;
 * DKIM_ENOMEM; DKIM_EINVAL for NULL arguments.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/decoder.h>
#include <openssl/err.h>

#include "dkim/b64.h"
#include "dkim/keyrec.h"
#include "dkim/tagl.h"

/* An RSA-8192 SubjectPublicKeyInfo is 1,062 bytes, so this leaves room. */
#define KEYREC_MAX_DER 2048
/* The largest signature dkim_sig_parse accepts (SIG_MAX_B) is 8192 bits. */
#define KEYREC_MAX_RSA_BITS 8192
#define KEYREC_ED25519_LEN 32

struct keyrec_parse {
    struct dkim_keyrec *rec;
    char *err;
    size_t errlen;
};

static enum dkim_stat keyrec_fail(struct keyrec_parse *p, enum dkim_stat st,
                                  const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum dkim_stat
keyrec_fail(struct keyrec_parse *p, enum dkim_stat st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dkim_verrf(p->err, p->errlen, fmt, ap);
    va_end(ap);
    return st;
}

/* Report the newest OpenSSL error and clear the thread's error queue. */
static enum dkim_stat
keyrec_fail_openssl(struct keyrec_parse *p, const char *what)
{
    char text[160];

    ERR_error_string_n(ERR_peek_last_error(), text, sizeof(text));
    ERR_clear_error();
    return keyrec_fail(p, DKIM_ECRYPTO, "%s failed: %s", what, text);
}

static int
keyrec_is_fws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* True when the colon-separated list in tag contains word, FWS trimmed. */
static bool
keyrec_list_has(const struct tagl_tag *tag, const char *word)
{
    size_t word_len = strlen(word), pos = 0;

    while (pos < tag->value_len) {
        size_t start, end;

        while (pos < tag->value_len && keyrec_is_fws(tag->value[pos]))
            pos++;
        start = pos;
        while (pos < tag->value_len && tag->value[pos] != ':')
            pos++;
        end = pos;
        while (end > start && keyrec_is_fws(tag->value[end - 1]))
            end--;
        if (end - start == word_len &&
            memcmp(tag->value + start, word, word_len) == 0)
            return true;
        pos++; /* past the ":" */
    }
    return false;
}

static bool
keyrec_value_is(const struct tagl_tag *tag, const char *word)
{
    return tag->value_len == strlen(word) &&
           memcmp(tag->value, word, tag->value_len) == 0;
}

/* A tag that is present with a non-empty value, or NULL. */
static const struct tagl_tag *
keyrec_find(const struct tagl *list, const char *name)
{
    const struct tagl_tag *tag = tagl_find(list, name);

    return tag != NULL && tag->value_len > 0 ? tag : NULL;
}

/*
 * Decode DER as one RSA public key structure, using the whole input.  *out
 * stays NULL when the bytes are not such a key.  DKIM_ECRYPTO means
 * OpenSSL could not set up the decoder at all.
 */
static enum dkim_stat
keyrec_decode_rsa(struct keyrec_parse *p, const unsigned char *der, size_t len,
                  const char *structure, EVP_PKEY **out)
{
    OSSL_DECODER_CTX *dctx;
    EVP_PKEY *pkey = NULL;
    const unsigned char *data = der;
    size_t left = len;

    *out = NULL;
    dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "DER", structure, "RSA",
                                         EVP_PKEY_PUBLIC_KEY, NULL, NULL);
    if (dctx == NULL)
        return keyrec_fail_openssl(p, "OSSL_DECODER_CTX_new_for_pkey");
    if (OSSL_DECODER_CTX_get_num_decoders(dctx) == 0) {
        OSSL_DECODER_CTX_free(dctx);
        return keyrec_fail(p, DKIM_ECRYPTO,
                           "OpenSSL has no DER decoder for RSA %s keys",
                           structure);
    }

    if (OSSL_DECODER_from_data(dctx, &data, &left) == 1 && left == 0)
        *out = pkey;
    else
        EVP_PKEY_free(pkey);
    OSSL_DECODER_CTX_free(dctx);

    /* A failed attempt leaves decoder errors that are not ours to report. */
    ERR_clear_error();
    return DKIM_OK;
}

static enum dkim_stat
keyrec_load_rsa(struct keyrec_parse *p, const unsigned char *der, size_t len)
{
    struct dkim_keyrec *rec = p->rec;
    enum dkim_stat st;
    int bits;

    st = keyrec_decode_rsa(p, der, len, "SubjectPublicKeyInfo", &rec->pkey);
    if (st == DKIM_OK && rec->pkey == NULL)
        st = keyrec_decode_rsa(p, der, len, "type-specific", &rec->pkey);
    if (st != DKIM_OK)
        return st;
    if (rec->pkey == NULL || !EVP_PKEY_is_a(rec->pkey, "RSA"))
        return keyrec_fail(p, DKIM_ESYNTAX,
                           "key p=: not a valid RSA public key");

    bits = EVP_PKEY_get_bits(rec->pkey);
    if (bits <= 0)
        return keyrec_fail_openssl(p, "EVP_PKEY_get_bits");
    if (bits > KEYREC_MAX_RSA_BITS)
        return keyrec_fail(p, DKIM_ELIMIT,
                           "key p=: RSA key of %d bits, more than %d", bits,
                           KEYREC_MAX_RSA_BITS);
    rec->bits = (unsigned)bits;
    return DKIM_OK;
}

static enum dkim_stat
keyrec_load_ed25519(struct keyrec_parse *p, const unsigned char *raw,
                    size_t len)
{
    struct dkim_keyrec *rec = p->rec;
    int bits;

    if (len != KEYREC_ED25519_LEN)
        return keyrec_fail(p, DKIM_ESYNTAX,
                           "key p=: not a valid Ed25519 public key (%zu "
                           "bytes, expected 32)",
                           len);
    rec->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, len);
    if (rec->pkey == NULL)
        return keyrec_fail_openssl(p, "EVP_PKEY_new_raw_public_key");

    /* OpenSSL 3.0 reports 256 bits for an Ed25519 key. */
    bits = EVP_PKEY_get_bits(rec->pkey);
    if (bits <= 0)
        return keyrec_fail_openssl(p, "EVP_PKEY_get_bits");
    rec->bits = (unsigned)bits;
    return DKIM_OK;
}

/* Decode p=.  An empty value means revoked, anything else is the base64
 * of a key of type rec->alg. */
static enum dkim_stat
keyrec_tag_p(struct keyrec_parse *p, const struct tagl_tag *tag)
{
    struct dkim_keyrec *rec = p->rec;
    unsigned char *der;
    size_t der_len;
    enum dkim_stat st;

    rec->revoked = true;
    if (tag->value_len == 0)
        return DKIM_OK;
    for (size_t i = 0; i < tag->value_len; i++)
        if (!keyrec_is_fws(tag->value[i]))
            rec->revoked = false;
    if (rec->revoked)
        return DKIM_OK;

    der = malloc(KEYREC_MAX_DER);
    if (der == NULL)
        return keyrec_fail(p, DKIM_ENOMEM, "out of memory");
    st = b64_decode(tag->value, tag->value_len, der, KEYREC_MAX_DER, &der_len);
    if (st == DKIM_ELIMIT)
        st = keyrec_fail(p, DKIM_ELIMIT, "key p=: longer than %d bytes",
                         KEYREC_MAX_DER);
    else if (st != DKIM_OK)
        st =
            keyrec_fail(p, DKIM_ESYNTAX, "key p=: invalid base64 at offset %zu",
                        tag->value_offset);
    else if (rec->alg == DKIM_ALG_RSA_SHA256)
        st = keyrec_load_rsa(p, der, der_len);
    else if (rec->alg == DKIM_ALG_ED25519_SHA256)
        st = keyrec_load_ed25519(p, der, der_len);
    free(der);
    return st;
}

/* v=, h= and k=: the version check and what the key may be used for. */
static enum dkim_stat
keyrec_tags_usage(struct keyrec_parse *p, const struct tagl *list)
{
    struct dkim_keyrec *rec = p->rec;
    const struct tagl_tag *tag;

    tag = tagl_find(list, "v");
    if (tag != NULL && tag != &list->tags[0])
        return keyrec_fail(p, DKIM_ESYNTAX, "tag v: not the first tag");
    if (tag != NULL && !keyrec_value_is(tag, "DKIM1"))
        return keyrec_fail(p, DKIM_ESYNTAX, "tag v: unsupported version");

    /* Unknown hash names are ignored (RFC 6376 3.6.1). */
    tag = keyrec_find(list, "h");
    rec->hashes = KEYREC_HASH_SHA1 | KEYREC_HASH_SHA256;
    if (tag != NULL) {
        rec->hashes = 0;
        if (keyrec_list_has(tag, "sha1"))
            rec->hashes |= KEYREC_HASH_SHA1;
        if (keyrec_list_has(tag, "sha256"))
            rec->hashes |= KEYREC_HASH_SHA256;
    }

    tag = keyrec_find(list, "k");
    rec->key_type =
        tag != NULL ? strndup(tag->value, tag->value_len) : strdup("rsa");
    if (rec->key_type == NULL)
        return keyrec_fail(p, DKIM_ENOMEM, "out of memory");
    if (strcmp(rec->key_type, "rsa") == 0)
        rec->alg = DKIM_ALG_RSA_SHA256;
    else if (strcmp(rec->key_type, "ed25519") == 0)
        rec->alg = DKIM_ALG_ED25519_SHA256;
    else
        rec->alg = DKIM_ALG_UNKNOWN;
    return DKIM_OK;
}

/* s= service types and t= flags. */
static void
keyrec_tags_flags(struct keyrec_parse *p, const struct tagl *list)
{
    struct dkim_keyrec *rec = p->rec;
    const struct tagl_tag *tag;

    tag = keyrec_find(list, "s");
    rec->email_service = tag == NULL || keyrec_list_has(tag, "*") ||
                         keyrec_list_has(tag, "email");

    tag = keyrec_find(list, "t");
    rec->testing = tag != NULL && keyrec_list_has(tag, "y");
    rec->strict_identity = tag != NULL && keyrec_list_has(tag, "s");
}

enum dkim_stat
dkim_keyrec_parse(const char *txt, size_t len, struct dkim_keyrec **out,
                  char *err, size_t errlen)
{
    struct keyrec_parse p = {NULL, err, errlen};
    struct tagl *list;
    const struct tagl_tag *ptag;
    enum dkim_stat st;

    if (out == NULL || (txt == NULL && len > 0))
        return keyrec_fail(&p, DKIM_EINVAL, "no input or output");
    *out = NULL;

    list = malloc(sizeof(*list));
    p.rec = calloc(1, sizeof(*p.rec));
    if (list == NULL || p.rec == NULL) {
        st = keyrec_fail(&p, DKIM_ENOMEM, "out of memory");
        goto fail;
    }
    p.rec->refs = 1;

    if ((st = tagl_parse(txt, len, list, err, errlen)) != DKIM_OK)
        goto fail;
    if ((st = keyrec_tags_usage(&p, list)) != DKIM_OK)
        goto fail;
    keyrec_tags_flags(&p, list);

    ptag = tagl_find(list, "p");
    if (ptag == NULL) {
        st = keyrec_fail(&p, DKIM_ESYNTAX, "missing required tag p");
        goto fail;
    }
    if ((st = keyrec_tag_p(&p, ptag)) != DKIM_OK)
        goto fail;

    free(list);
    *out = p.rec;
    return DKIM_OK;

fail:
    free(list);
    dkim_keyrec_unref(p.rec);
    return st;
}

struct dkim_keyrec *
dkim_keyrec_ref(struct dkim_keyrec *key)
{
    if (key != NULL)
        __atomic_add_fetch(&key->refs, 1, __ATOMIC_RELAXED);
    return key;
}

/* Drop one reference; the last one frees the record and its key. */
void
dkim_keyrec_unref(struct dkim_keyrec *key)
{
    if (key == NULL)
        return;
    if (__atomic_sub_fetch(&key->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    EVP_PKEY_free(key->pkey);
    free(key->key_type);
    free(key);
}

bool
dkim_keyrec_revoked(const struct dkim_keyrec *key)
{
    return key->revoked;
}

bool
dkim_keyrec_testing(const struct dkim_keyrec *key)
{
    return key->testing;
}

unsigned
dkim_keyrec_bits(const struct dkim_keyrec *key)
{
    return key->bits;
}

enum dkim_alg
dkim_keyrec_alg(const struct dkim_keyrec *key)
{
    return key->alg;
}
