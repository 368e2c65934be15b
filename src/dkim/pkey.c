/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pkey.c - private keys for signing: loading PEM (PKCS#8 RSA or Ed25519,
 * PKCS#1 RSA) or the raw base64 Ed25519 seed that dkimpy's dknewkey
 * writes, generating keys, writing them as PKCS#8 PEM, and deriving the
 * p= value of the key record.
 *
 * Functions: dkim_privkey_load, dkim_privkey_from_mem,
 * dkim_privkey_generate, dkim_privkey_write_pem, dkim_privkey_free,
 * dkim_privkey_alg, dkim_privkey_bits, dkim_privkey_public_b64,
 * dkim_keyrec_matches.
 *
 * DIAGNOSTICS: DKIM_EIO (file errors, with the path and errno text),
 * DKIM_EKEY (unusable key: wrong type, too small, group-readable file),
 * DKIM_ELIMIT (file too large), DKIM_ECRYPTO (OpenSSL failure, with its
 * error text), DKIM_ENOMEM.  Error text never quotes key bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "dkim/b64.h"
#include "dkim/keyrec.h"
#include "dkim/pkey.h"

#define PKEY_MAX_FILE 65536
#define PKEY_MIN_RSA_BITS 1024 /* RFC 8301 section 3.2 */
#define PKEY_MAX_RSA_BITS 8192 /* b= is capped at an RSA-8192 signature */
#define PKEY_ED25519_SEED 32

/* The text of the oldest queued OpenSSL error, then clear the queue. */
static const char *
pkey_ssl_reason(char *buf, size_t size)
{
    unsigned long code = ERR_get_error();

    if (code == 0)
        snprintf(buf, size, "no OpenSSL error text");
    else
        ERR_error_string_n(code, buf, size);
    ERR_clear_error();
    return buf;
}

/* OpenSSL requests a passphrase through this callback.  Encrypted keys are
 * not supported, so it always reports that there is none. */
static int
pkey_no_passphrase(char *buf, int size, int rwflag, void *arg)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)arg;
    return -1;
}

static enum dkim_stat
pkey_wrap(EVP_PKEY *pkey, struct dkim_privkey **out, char *err,
          size_t errlen)
{
    struct dkim_privkey *key;
    int bits;

    if ((key = calloc(1, sizeof(*key))) == NULL) {
        EVP_PKEY_free(pkey);
        return DKIM_ENOMEM;
    }
    key->pkey = pkey;

    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
        bits = EVP_PKEY_get_bits(pkey);
        key->alg = DKIM_ALG_RSA_SHA256;
        key->bits = bits > 0 ? (unsigned)bits : 0;
        if (key->bits < PKEY_MIN_RSA_BITS || key->bits > PKEY_MAX_RSA_BITS) {
            dkim_errf(err, errlen,
                     "RSA key has %u bits; signing needs %d to %d bits "
                     "(RFC 8301)", key->bits, PKEY_MIN_RSA_BITS,
                     PKEY_MAX_RSA_BITS);
            dkim_privkey_free(key);
            return DKIM_EKEY;
        }
        break;
    case EVP_PKEY_ED25519:
        key->alg = DKIM_ALG_ED25519_SHA256;
        key->bits = 256;
        break;
    default:
        dkim_errf(err, errlen,
                 "unsupported key type; use an RSA or Ed25519 key");
        dkim_privkey_free(key);
        return DKIM_EKEY;
    }

    *out = key;
    return DKIM_OK;
}

static enum dkim_stat
pkey_from_pem(const char *data, size_t len, struct dkim_privkey **out,
              char *err, size_t errlen)
{
    char reason[160];
    EVP_PKEY *pkey;
    BIO *bio;

    if (len > PKEY_MAX_FILE)
        return DKIM_ELIMIT;
    if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
        return DKIM_ENOMEM;
    pkey = PEM_read_bio_PrivateKey(bio, NULL, pkey_no_passphrase, NULL);
    BIO_free(bio);
    if (pkey == NULL) {
        dkim_errf(err, errlen,
                 "invalid or encrypted PEM private key (%s)",
                 pkey_ssl_reason(reason, sizeof(reason)));
        return DKIM_EKEY;
    }
    return pkey_wrap(pkey, out, err, errlen);
}

/* dknewkey's Ed25519 file: the 32-byte seed in base64 on one line. */
static enum dkim_stat
pkey_from_seed(const char *data, size_t len, struct dkim_privkey **out,
               char *err, size_t errlen)
{
    unsigned char seed[PKEY_ED25519_SEED + 16];
    char reason[160];
    size_t seed_len = 0;
    EVP_PKEY *pkey;

    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' ||
                       data[len - 1] == ' ' || data[len - 1] == '\t'))
        len--;
    if (len == 0 || len > 64 ||
        b64_decode(data, len, seed, sizeof(seed), &seed_len) != DKIM_OK ||
        seed_len != PKEY_ED25519_SEED) {
        OPENSSL_cleanse(seed, sizeof(seed));
        dkim_errf(err, errlen,
                 "not a PEM private key and not a base64 Ed25519 seed of "
                 "32 bytes");
        return DKIM_EKEY;
    }

    pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
                                        seed_len);
    OPENSSL_cleanse(seed, sizeof(seed));
    if (pkey == NULL) {
        dkim_errf(err, errlen, "Ed25519 seed rejected by OpenSSL (%s)",
                 pkey_ssl_reason(reason, sizeof(reason)));
        return DKIM_ECRYPTO;
    }
    return pkey_wrap(pkey, out, err, errlen);
}

static bool
pkey_has_pem_marker(const char *data, size_t len)
{
    static const char marker[] = "-----BEGIN ";
    size_t i, n = sizeof(marker) - 1;

    for (i = 0; i + n <= len; i++)
        if (memcmp(data + i, marker, n) == 0)
            return true;
    return false;
}

enum dkim_stat
dkim_privkey_from_mem(const char *data, size_t len,
                      struct dkim_privkey **out, char *err, size_t errlen)
{
    if (data == NULL || out == NULL)
        return DKIM_EINVAL;
    *out = NULL;
    if (pkey_has_pem_marker(data, len))
        return pkey_from_pem(data, len, out, err, errlen);
    return pkey_from_seed(data, len, out, err, errlen);
}

/* Read a whole key file of at most PKEY_MAX_FILE bytes into *data. */
static enum dkim_stat
pkey_read_file(int fd, const char *path, char **data, size_t *len,
               char *err, size_t errlen)
{
    char *buf;
    size_t got = 0;
    ssize_t n;

    if ((buf = malloc(PKEY_MAX_FILE + 1)) == NULL)
        return DKIM_ENOMEM;
    while ((n = read(fd, buf + got, PKEY_MAX_FILE + 1 - got)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            dkim_errf(err, errlen, "cannot read key file %s: %s", path,
                     strerror(errno));
            OPENSSL_clear_free(buf, PKEY_MAX_FILE + 1);
            return DKIM_EIO;
        }
        got += (size_t)n;
        if (got > PKEY_MAX_FILE) {
            dkim_errf(err, errlen, "key file %s is larger than %d bytes",
                     path, PKEY_MAX_FILE);
            OPENSSL_clear_free(buf, PKEY_MAX_FILE + 1);
            return DKIM_ELIMIT;
        }
    }
    *data = buf;
    *len = got;
    return DKIM_OK;
}

static enum dkim_stat
pkey_check_file(int fd, const char *path, bool check_mode, char *err,
                size_t errlen)
{
    struct stat sb;

    if (fstat(fd, &sb) != 0) {
        dkim_errf(err, errlen, "cannot stat key file %s: %s", path,
                 strerror(errno));
        return DKIM_EIO;
    }
    if (!S_ISREG(sb.st_mode)) {
        dkim_errf(err, errlen, "key file %s is not a regular file", path);
        return DKIM_EIO;
    }
    /* Write access matters as much as read access: whoever can replace
     * the key can sign as the domain. */
    if (check_mode && (sb.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        dkim_errf(err, errlen,
                 "key file %s is accessible by group or others (mode %04o); "
                 "run chmod 600 %s", path, (unsigned)(sb.st_mode & 07777),
                 path);
        return DKIM_EKEY;
    }
    return DKIM_OK;
}

enum dkim_stat
dkim_privkey_load(const char *path, bool check_mode,
                  struct dkim_privkey **out, char *err, size_t errlen)
{
    char inner[200];
    enum dkim_stat st;
    char *data = NULL;
    size_t len = 0;
    int fd;

    if (path == NULL || out == NULL)
        return DKIM_EINVAL;
    *out = NULL;
    /* O_NONBLOCK: opening a FIFO must not hang before fstat rejects it. */
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
        dkim_errf(err, errlen, "cannot open key file %s: %s", path,
                 strerror(errno));
        return DKIM_EIO;
    }
    st = pkey_check_file(fd, path, check_mode, err, errlen);
    if (st == DKIM_OK)
        st = pkey_read_file(fd, path, &data, &len, err, errlen);
    close(fd);
    if (st != DKIM_OK)
        return st;

    inner[0] = '\0';
    st = dkim_privkey_from_mem(data, len, out, inner, sizeof(inner));
    OPENSSL_clear_free(data, PKEY_MAX_FILE + 1);
    if (st != DKIM_OK)
        dkim_errf(err, errlen, "key file %s: %s", path,
                 inner[0] ? inner : dkim_stat_name(st));
    return st;
}

enum dkim_stat
dkim_privkey_generate(enum dkim_alg alg, unsigned bits,
                      struct dkim_privkey **out, char *err, size_t errlen)
{
    char reason[160];
    EVP_PKEY *pkey;

    if (out == NULL)
        return DKIM_EINVAL;
    *out = NULL;
    if (alg == DKIM_ALG_RSA_SHA256) {
        bits = bits ? bits : 2048;
        if (bits < PKEY_MIN_RSA_BITS || bits > PKEY_MAX_RSA_BITS) {
            dkim_errf(err, errlen, "RSA key size %u is outside %d to %d",
                     bits, PKEY_MIN_RSA_BITS, PKEY_MAX_RSA_BITS);
            return DKIM_EINVAL;
        }
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
    } else if (alg == DKIM_ALG_ED25519_SHA256) {
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    } else {
        dkim_errf(err, errlen, "keys can be generated for rsa-sha256 and "
                              "ed25519-sha256 only");
        return DKIM_EINVAL;
    }

    if (pkey == NULL) {
        dkim_errf(err, errlen, "key generation failed: %s",
                 pkey_ssl_reason(reason, sizeof(reason)));
        return DKIM_ECRYPTO;
    }
    return pkey_wrap(pkey, out, err, errlen);
}

enum dkim_stat
dkim_privkey_write_pem(const struct dkim_privkey *key, const char *path,
                       char *err, size_t errlen)
{
    char reason[160];
    FILE *fp;
    int fd, ok;

    if (key == NULL || path == NULL)
        return DKIM_EINVAL;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        dkim_errf(err, errlen, "cannot create key file %s: %s", path,
                 strerror(errno));
        return DKIM_EIO;
    }
    if ((fp = fdopen(fd, "w")) == NULL) {
        dkim_errf(err, errlen, "cannot write key file %s: %s", path,
                 strerror(errno));
        close(fd);
        unlink(path);
        return DKIM_EIO;
    }

    ok = PEM_write_PrivateKey(fp, key->pkey, NULL, NULL, 0, NULL, NULL);
    if (!ok)
        pkey_ssl_reason(reason, sizeof(reason));
    if (fclose(fp) != 0 && ok) {
        snprintf(reason, sizeof(reason), "%s", strerror(errno));
        ok = 0;
    }
    if (!ok) {
        dkim_errf(err, errlen, "cannot write key file %s: %s", path, reason);
        unlink(path);
        return DKIM_EIO;
    }
    return DKIM_OK;
}

void
dkim_privkey_free(struct dkim_privkey *key)
{
    if (key == NULL)
        return;
    EVP_PKEY_free(key->pkey);
    free(key);
}

enum dkim_alg
dkim_privkey_alg(const struct dkim_privkey *key)
{
    return key->alg;
}

unsigned
dkim_privkey_bits(const struct dkim_privkey *key)
{
    return key->bits;
}

enum dkim_stat
dkim_privkey_public_b64(const struct dkim_privkey *key, struct dkim_buf *out)
{
    unsigned char raw[32], *der = NULL;
    size_t raw_len = sizeof(raw);
    enum dkim_stat st;
    int der_len;

    if (key == NULL || out == NULL)
        return DKIM_EINVAL;
    if (key->alg == DKIM_ALG_ED25519_SHA256) {
        if (EVP_PKEY_get_raw_public_key(key->pkey, raw, &raw_len) != 1) {
            ERR_clear_error();
            return DKIM_ECRYPTO;
        }
        return b64_encode(raw, raw_len, out);
    }

    /* RSA: SubjectPublicKeyInfo DER (RFC 6376 3.6.1, p=). */
    if ((der_len = i2d_PUBKEY(key->pkey, &der)) <= 0) {
        ERR_clear_error();
        return DKIM_ECRYPTO;
    }
    st = b64_encode(der, (size_t)der_len, out);
    OPENSSL_free(der);
    return st;
}

bool
dkim_keyrec_matches(const struct dkim_keyrec *key,
                    const struct dkim_privkey *priv)
{
    if (key == NULL || priv == NULL || key->revoked || key->pkey == NULL)
        return false;
    return EVP_PKEY_eq(key->pkey, priv->pkey) == 1;
}
