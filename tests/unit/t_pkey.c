/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_pkey.c - private keys: generation, PKCS#8 and PKCS#1 PEM, the raw
 * base64 Ed25519 seed, the file mode check, the RSA size floor, public
 * key export (RFC 8463 A.1/A.2 known answer), key-record matching, and
 * error text that never quotes key material.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "dkim/dkim.h"
#include "tap.h"

/* RFC 8463 A.1 and A.2: the Ed25519 secret key and its public key. */
static const char rfc8463_seed[] = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\n";
static const char rfc8463_pub[] = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

static char tmpdir[256];

static void
path_in_tmp(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", tmpdir, name);
}

static void
write_file(const char *path, const char *data, size_t len, mode_t mode)
{
    FILE *fp = fopen(path, "wb");

    if (fp != NULL) {
        fwrite(data, 1, len, fp);
        fclose(fp);
    }
    chmod(path, mode);
}

static bool
same_public(const struct dkim_privkey *a, const struct dkim_privkey *b)
{
    struct dkim_buf pa, pb;
    bool same;

    dkim_buf_init(&pa, 4096);
    dkim_buf_init(&pb, 4096);
    dkim_privkey_public_b64(a, &pa);
    dkim_privkey_public_b64(b, &pb);
    same = pa.len > 0 && pa.len == pb.len && memcmp(pa.data, pb.data, pa.len) == 0;
    dkim_buf_free(&pa);
    dkim_buf_free(&pb);
    return same;
}

static void
test_seed_known_answer(void)
{
    struct dkim_privkey *key = NULL;
    struct dkim_buf pub;
    char err[256] = "";

    TAP_CHECK(dkim_privkey_from_mem(rfc8463_seed, strlen(rfc8463_seed), &key,
                                    err, sizeof(err)) == DKIM_OK,
              "RFC 8463 seed loads (%s)", err);
    if (key == NULL)
        return;
    TAP_CHECK(dkim_privkey_alg(key) == DKIM_ALG_ED25519_SHA256, "seed is Ed25519");
    dkim_buf_init(&pub, 256);
    dkim_privkey_public_b64(key, &pub);
    TAP_CHECK(pub.data != NULL && strcmp(pub.data, rfc8463_pub) == 0,
              "RFC 8463 public key");
    dkim_buf_free(&pub);
    dkim_privkey_free(key);
}

static void
test_generate_write_load(enum dkim_alg alg, unsigned bits, const char *name)
{
    struct dkim_privkey *key = NULL, *loaded = NULL;
    char path[512], err[256] = "";
    struct stat sb;

    TAP_CHECK(dkim_privkey_generate(alg, bits, &key, err, sizeof(err)) == DKIM_OK,
              "%s generate (%s)", name, err);
    if (key == NULL)
        return;
    path_in_tmp(path, sizeof(path), name);
    TAP_CHECK(dkim_privkey_write_pem(key, path, err, sizeof(err)) == DKIM_OK,
              "%s write (%s)", name, err);
    TAP_CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
              "%s written with mode 0600", name);
    TAP_CHECK(dkim_privkey_write_pem(key, path, err, sizeof(err)) == DKIM_EIO,
              "%s write refuses an existing file", name);
    TAP_CHECK(dkim_privkey_load(path, true, &loaded, err, sizeof(err)) == DKIM_OK,
              "%s load (%s)", name, err);
    if (loaded != NULL) {
        TAP_CHECK(dkim_privkey_alg(loaded) == alg, "%s load alg", name);
        TAP_CHECK(dkim_privkey_bits(loaded) == dkim_privkey_bits(key),
                  "%s load bits %u", name, dkim_privkey_bits(loaded));
        TAP_CHECK(same_public(key, loaded), "%s load same key", name);
    }
    dkim_privkey_free(loaded);
    dkim_privkey_free(key);
}

static void
test_default_rsa_bits(void)
{
    struct dkim_privkey *key = NULL;
    char err[256] = "";

    dkim_privkey_generate(DKIM_ALG_RSA_SHA256, 0, &key, err, sizeof(err));
    TAP_CHECK(key != NULL && dkim_privkey_bits(key) == 2048,
              "RSA default is 2048 bits");
    dkim_privkey_free(key);
    TAP_CHECK(dkim_privkey_generate(DKIM_ALG_RSA_SHA256, 512, &key, err,
                                    sizeof(err)) == DKIM_EINVAL,
              "RSA 512 generation rejected");
    TAP_CHECK(dkim_privkey_generate(DKIM_ALG_RSA_SHA1, 0, &key, err,
                                    sizeof(err)) == DKIM_EINVAL,
              "rsa-sha1 generation rejected");
}

/* Encode an OpenSSL key as PEM text, PKCS#8 or the traditional form. */
static char *
pem_of(EVP_PKEY *pkey, bool traditional, size_t *len)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *copy;
    long n;

    if (traditional)
        PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL, 0, NULL,
                                             NULL);
    else
        PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
    n = BIO_get_mem_data(bio, &data);
    copy = malloc((size_t)n + 1);
    memcpy(copy, data, (size_t)n);
    copy[n] = '\0';
    *len = (size_t)n;
    BIO_free(bio);
    return copy;
}

static void
test_pkcs1_and_mode(void)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
    struct dkim_privkey *key = NULL;
    char path[512], err[256] = "";
    size_t len;
    char *pem = pem_of(pkey, true, &len);

    TAP_CHECK(strstr(pem, "BEGIN RSA PRIVATE KEY") != NULL, "PKCS#1 PEM made");
    path_in_tmp(path, sizeof(path), "pkcs1.pem");
    write_file(path, pem, len, 0600);
    TAP_CHECK(dkim_privkey_load(path, true, &key, err, sizeof(err)) == DKIM_OK,
              "PKCS#1 RSA loads (%s)", err);
    TAP_CHECK(key != NULL && dkim_privkey_bits(key) == 1024, "PKCS#1 bits");
    dkim_privkey_free(key);
    key = NULL;

    chmod(path, 0644);
    TAP_CHECK(dkim_privkey_load(path, true, &key, err, sizeof(err)) == DKIM_EKEY,
              "group-readable key rejected");
    TAP_CHECK(strstr(err, path) != NULL && strstr(err, "chmod 600") != NULL,
              "mode error names file and fix (%s)", err);
    TAP_CHECK(dkim_privkey_load(path, false, &key, err, sizeof(err)) == DKIM_OK,
              "mode check can be turned off");
    dkim_privkey_free(key);
    key = NULL;

    /* Whoever can write the key can replace it. */
    chmod(path, 0620);
    TAP_CHECK(dkim_privkey_load(path, true, &key, err, sizeof(err)) == DKIM_EKEY,
              "group-writable key rejected");
    chmod(path, 0602);
    TAP_CHECK(dkim_privkey_load(path, true, &key, err, sizeof(err)) == DKIM_EKEY,
              "other-writable key rejected");

    /* A FIFO would block a plain open() until a writer appears. */
    path_in_tmp(path, sizeof(path), "fifo.pem");
    unlink(path);
    TAP_CHECK(mkfifo(path, 0600) == 0, "FIFO made");
    TAP_CHECK(dkim_privkey_load(path, true, &key, err, sizeof(err)) == DKIM_EIO,
              "FIFO rejected without blocking (%s)", err);
    unlink(path);
    free(pem);
    EVP_PKEY_free(pkey);
}

static void
test_rejected_keys(void)
{
    EVP_PKEY *small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)512);
    EVP_PKEY *ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    struct dkim_privkey *key = NULL;
    char err[256] = "", path[512];
    size_t len;
    char *pem;

    pem = pem_of(small, false, &len);
    TAP_CHECK(dkim_privkey_from_mem(pem, len, &key, err, sizeof(err)) == DKIM_EKEY,
              "RSA 512 rejected for signing");
    TAP_CHECK(strstr(err, "512") != NULL, "RSA 512 error names the size (%s)", err);
    free(pem);

    pem = pem_of(ec, false, &len);
    TAP_CHECK(dkim_privkey_from_mem(pem, len, &key, err, sizeof(err)) == DKIM_EKEY,
              "EC key rejected (%s)", err);
    free(pem);

    /* A damaged PEM: the error must not quote any of its body. */
    pem = pem_of(small, false, &len);
    pem[40] = '*';
    TAP_CHECK(dkim_privkey_from_mem(pem, len, &key, err, sizeof(err)) == DKIM_EKEY,
              "damaged PEM rejected");
    TAP_CHECK(strstr(err, "MII") == NULL && strchr(err, '*') == NULL,
              "damaged PEM error quotes no key bytes");
    free(pem);

    TAP_CHECK(dkim_privkey_from_mem("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZ", 32, &key,
                                    err, sizeof(err)) == DKIM_EKEY,
              "short seed rejected");
    TAP_CHECK(strstr(err, "nWGx") == NULL, "seed error quotes no key bytes");

    path_in_tmp(path, sizeof(path), "missing.pem");
    TAP_CHECK(dkim_privkey_load(path, true, &key, err, sizeof(err)) == DKIM_EIO,
              "missing file is EIO");
    TAP_CHECK(strstr(err, path) != NULL, "missing file error names it");

    {
        char *big = malloc(70000);

        memset(big, 'A', 70000);
        path_in_tmp(path, sizeof(path), "big.pem");
        write_file(path, big, 70000, 0600);
        TAP_CHECK(dkim_privkey_load(path, true, &key, err, sizeof(err)) == DKIM_ELIMIT,
                  "oversized file rejected");
        free(big);
    }
    TAP_CHECK(dkim_privkey_load(tmpdir, false, &key, err, sizeof(err)) == DKIM_EIO,
              "directory is not a key file");
    EVP_PKEY_free(small);
    EVP_PKEY_free(ec);
}

static void
test_keyrec_matches(void)
{
    struct dkim_privkey *ed = NULL, *other = NULL;
    struct dkim_keyrec *rec = NULL;
    char record[256], err[256] = "";

    dkim_privkey_from_mem(rfc8463_seed, strlen(rfc8463_seed), &ed, err, sizeof(err));
    dkim_privkey_generate(DKIM_ALG_ED25519_SHA256, 0, &other, err, sizeof(err));
    snprintf(record, sizeof(record), "v=DKIM1; k=ed25519; p=%s", rfc8463_pub);
    dkim_keyrec_parse(record, strlen(record), &rec, err, sizeof(err));
    TAP_CHECK(rec != NULL && dkim_keyrec_matches(rec, ed), "record matches its key");
    TAP_CHECK(rec != NULL && !dkim_keyrec_matches(rec, other),
              "record does not match another key");
    dkim_keyrec_unref(rec);

    rec = NULL;
    dkim_keyrec_parse("v=DKIM1; k=ed25519; p=", 22, &rec, err, sizeof(err));
    TAP_CHECK(rec != NULL && !dkim_keyrec_matches(rec, ed), "revoked record matches nothing");
    dkim_keyrec_unref(rec);
    dkim_privkey_free(ed);
    dkim_privkey_free(other);
}

static void
remove_tmpdir(void)
{
    static const char *const names[] = {"rsa.pem", "ed.pem", "pkcs1.pem", "big.pem"};
    char path[512];
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        path_in_tmp(path, sizeof(path), names[i]);
        unlink(path);
    }
    rmdir(tmpdir);
}

int
main(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "%s/t_pkey.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_seed_known_answer();
    test_generate_write_load(DKIM_ALG_RSA_SHA256, 1024, "rsa.pem");
    test_generate_write_load(DKIM_ALG_ED25519_SHA256, 0, "ed.pem");
    test_default_rsa_bits();
    test_pkcs1_and_mode();
    test_rejected_keys();
    test_keyrec_matches();
    remove_tmpdir();
    return tap_done();
}
