/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_keyrec.c - key record parser: the example records of RFC 6376
 * Appendix A.3 and RFC 8463 Appendix A.2, derived key encodings, and
 * hostile rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/b64.h"
#include "dkim/keyrec.h"
#include "tap.h"

/* RFC 6376 A.3: a 1024-bit RSA SubjectPublicKeyInfo. */
#define RFC6376_P                                                              \
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQ"   \
    "g1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT9"   \
    "47qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2Q"   \
    "IDAQAB"

/* RFC 8463 A.2: the Ed25519 key and the 1024-bit RSA key. */
#define RFC8463_ED_P "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define RFC8463_RSA_P                                                          \
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5"   \
    "qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1"   \
    "Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3Q"   \
    "IDAQAB"

/* The DER prefix that wraps a raw Ed25519 key in a SubjectPublicKeyInfo. */
static const unsigned char ed25519_spki_prefix[] = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

/* Length of the SubjectPublicKeyInfo header before the PKCS#1 key in a
 * 1024-bit RSA key. */
#define RSA1024_SPKI_HEADER 22

static void
check_parse(const char *name, const char *txt, enum dkim_stat want,
            enum dkim_alg alg, unsigned bits, const char *reason)
{
    struct dkim_keyrec *key = NULL;
    char err[160] = "";
    enum dkim_stat st;

    st = dkim_keyrec_parse(txt, strlen(txt), &key, err, sizeof(err));
    TAP_CHECK(st == want, "keyrec %s status %d (%s)", name, st, err);
    TAP_CHECK((st == DKIM_OK) == (key != NULL), "keyrec %s output", name);
    if (key != NULL && want == DKIM_OK) {
        TAP_CHECK(dkim_keyrec_alg(key) == alg, "keyrec %s alg", name);
        TAP_CHECK(dkim_keyrec_bits(key) == bits, "keyrec %s bits %u", name,
                  dkim_keyrec_bits(key));
        TAP_CHECK((key->pkey != NULL) ==
                      (alg != DKIM_ALG_UNKNOWN && !key->revoked),
                  "keyrec %s pkey", name);
    }
    if (reason != NULL)
        TAP_CHECK(strstr(err, reason) != NULL, "keyrec %s reason", name);
    dkim_keyrec_unref(key);
}

static const struct keyrec_row {
    const char *name, *txt;
    enum dkim_stat stat;
    enum dkim_alg alg;
    unsigned bits;
    const char *reason;
} rows[] = {
    {"rfc6376 a3", "v=DKIM1; p=" RFC6376_P, DKIM_OK, DKIM_ALG_RSA_SHA256, 1024,
     NULL},
    {"rfc8463 ed25519", "v=DKIM1; k=ed25519; p=" RFC8463_ED_P, DKIM_OK,
     DKIM_ALG_ED25519_SHA256, 256, NULL},
    {"rfc8463 rsa", "v=DKIM1; k=rsa; p=" RFC8463_RSA_P, DKIM_OK,
     DKIM_ALG_RSA_SHA256, 1024, NULL},
    {"no v", "k=rsa; p=" RFC6376_P, DKIM_OK, DKIM_ALG_RSA_SHA256, 1024, NULL},
    {"spaces in p",
     "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/"
     "UC3SBsEmGqZ9ZJW3/DkMoGeLnQ g1fWn7/zYtIxN2SnFCjxOCKG9v3b4"
     "jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT9 47qR+Rcac2gbto"
     "/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2Q"
     " IDAQAB",
     DKIM_OK, DKIM_ALG_RSA_SHA256, 1024, NULL},
    {"extra tags and spaces",
     " v = DKIM1 ; h = sha1 : sha256 ; g=*poe; "
     "s = email : web ; t = y : s : x ; n=note ; "
     "p = " RFC6376_P " ; ",
     DKIM_OK, DKIM_ALG_RSA_SHA256, 1024, NULL},
    {"empty optional tags", "v=DKIM1; h=; k=; s=; t=; n=; p=" RFC6376_P,
     DKIM_OK, DKIM_ALG_RSA_SHA256, 1024, NULL},
    {"revoked", "v=DKIM1; p=", DKIM_OK, DKIM_ALG_RSA_SHA256, 0, NULL},
    {"revoked with space", "v=DKIM1; k=ed25519; p= ;", DKIM_OK,
     DKIM_ALG_ED25519_SHA256, 0, NULL},
    {"unknown key type", "v=DKIM1; k=ed2024; p=" RFC8463_ED_P, DKIM_OK,
     DKIM_ALG_UNKNOWN, 0, NULL},
    {"missing p", "v=DKIM1; k=rsa", DKIM_ESYNTAX, 0, 0,
     "missing required tag p"},
    {"version DKIM3", "v=DKIM3; p=" RFC6376_P, DKIM_ESYNTAX, 0, 0,
     "tag v: unsupported version"},
    {"v not first", "k=rsa; v=DKIM1; p=" RFC6376_P, DKIM_ESYNTAX, 0, 0,
     "tag v: not the first tag"},
    {"tag without equals", "k=rsa; t; p=" RFC6376_P, DKIM_ESYNTAX, 0, 0,
     "tag t: missing \"=\""},
    {"garbage p", "v=DKIM1; k=rsa; p=BARF", DKIM_ESYNTAX, 0, 0,
     "key p=: not a valid RSA public key"},
    {"invalid base64 p", "v=DKIM1; p=MIGf*A0G", DKIM_ESYNTAX, 0, 0,
     "key p=: invalid base64"},
    {"ed25519 key as rsa", "v=DKIM1; k=rsa; p=" RFC8463_ED_P, DKIM_ESYNTAX, 0,
     0, "key p=: not a valid RSA public key"},
    {"ed25519 spki as rsa",
     "v=DKIM1; k=rsa; p=MCowBQYDK2VwAyEA11qYAYKxCrfVS/"
     "7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
     DKIM_ESYNTAX, 0, 0, "key p=: not a valid RSA public key"},
    {"rsa key as ed25519", "v=DKIM1; k=ed25519; p=" RFC6376_P, DKIM_ESYNTAX, 0,
     0, "not a valid Ed25519 public key"},
    {"rsa spki with trailing byte", "v=DKIM1; p=" RFC6376_P "AA==",
     DKIM_ESYNTAX, 0, 0, "not a valid RSA public key"},
    {"duplicate p", "v=DKIM1; p=; p=" RFC6376_P, DKIM_ESYNTAX, 0, 0,
     "duplicate tag p"},
    {"empty record", "", DKIM_ESYNTAX, 0, 0, "empty tag list"},
    {"spf record", "v=spf1 -all", DKIM_ESYNTAX, 0, 0, NULL},
};

static void
test_rows(void)
{
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        check_parse(rows[i].name, rows[i].txt, rows[i].stat, rows[i].alg,
                    rows[i].bits, rows[i].reason);
}

/* Record "v=DKIM1; k=TYPE; p=" + base64 of der. */
static char *
record_for(const char *type, const unsigned char *der, size_t len)
{
    struct dkim_buf buf;

    dkim_buf_init(&buf, 8192);
    if (dkim_buf_printf(&buf, "v=DKIM1; k=%s; p=", type) != DKIM_OK ||
        b64_encode(der, len, &buf) != DKIM_OK) {
        dkim_buf_free(&buf);
        return NULL;
    }
    return buf.data;
}

/* PKCS#1 RSAPublicKey and Ed25519 SubjectPublicKeyInfo, derived from the
 * RFC keys. */
static void
test_derived(void)
{
    unsigned char der[256];
    size_t len = 0;
    char *txt;

    b64_decode(RFC6376_P, strlen(RFC6376_P), der, sizeof(der), &len);
    txt =
        record_for("rsa", der + RSA1024_SPKI_HEADER, len - RSA1024_SPKI_HEADER);
    TAP_CHECK(txt != NULL && der[RSA1024_SPKI_HEADER] == 0x30,
              "keyrec pkcs1 record built");
    if (txt != NULL)
        check_parse("pkcs1 rsapublickey", txt, DKIM_OK, DKIM_ALG_RSA_SHA256,
                    1024, NULL);
    free(txt);

    memcpy(der, ed25519_spki_prefix, sizeof(ed25519_spki_prefix));
    b64_decode(RFC8463_ED_P, strlen(RFC8463_ED_P),
               der + sizeof(ed25519_spki_prefix), 32, &len);
    txt = record_for("ed25519", der, sizeof(ed25519_spki_prefix) + 32);
    if (txt != NULL)
        check_parse("ed25519 as spki", txt, DKIM_ESYNTAX, DKIM_ALG_UNKNOWN, 0,
                    "expected 32");
    free(txt);
}

/* A PKCS#1 key with an 8200-bit modulus, over KEYREC_MAX_RSA_BITS. */
static void
test_huge_rsa(void)
{
    unsigned char der[1100];
    size_t n = 0;
    char *txt;

    der[n++] = 0x30, der[n++] = 0x82, der[n++] = 0x04, der[n++] = 0x0b;
    der[n++] = 0x02, der[n++] = 0x82, der[n++] = 0x04, der[n++] = 0x02;
    der[n++] = 0x00;
    memset(der + n, 0xc5, 1025);
    der[n] = 0x80;
    n += 1025;
    der[n++] = 0x02, der[n++] = 0x03;
    der[n++] = 0x01, der[n++] = 0x00, der[n++] = 0x01;

    txt = record_for("rsa", der, n);
    if (txt != NULL)
        check_parse("rsa over 8192 bits", txt, DKIM_ELIMIT, DKIM_ALG_UNKNOWN, 0,
                    "more than 8192");
    free(txt);
}

static void
test_flags(void)
{
    struct dkim_keyrec *key = NULL;
    const char *txt;
    char err[160];

    txt = "v=DKIM1; h=sha256:foo; s=chat; t=y:s; p=" RFC6376_P;
    if (dkim_keyrec_parse(txt, strlen(txt), &key, err, sizeof(err)) !=
        DKIM_OK) {
        TAP_CHECK(0, "keyrec flags parse (%s)", err);
        return;
    }
    TAP_CHECK(key->hashes == KEYREC_HASH_SHA256, "keyrec h= sha256 only");
    TAP_CHECK(!key->email_service, "keyrec s=chat not email");
    TAP_CHECK(dkim_keyrec_testing(key) && key->strict_identity, "keyrec t=y:s");
    TAP_CHECK(!dkim_keyrec_revoked(key), "keyrec not revoked");
    TAP_CHECK(strcmp(key->key_type, "rsa") == 0, "keyrec default k=rsa");

    /* References: two holders, each releases once. */
    TAP_CHECK(dkim_keyrec_ref(key) == key && key->refs == 2, "keyrec ref");
    dkim_keyrec_unref(key);
    TAP_CHECK(key->refs == 1, "keyrec unref");
    dkim_keyrec_unref(key);
    dkim_keyrec_unref(NULL);
    TAP_CHECK(dkim_keyrec_ref(NULL) == NULL, "keyrec ref NULL");

    key = NULL;
    txt = "v=DKIM1; s=email:web; h=sha1; p=";
    if (dkim_keyrec_parse(txt, strlen(txt), &key, err, sizeof(err)) ==
        DKIM_OK) {
        TAP_CHECK(key->email_service && key->hashes == KEYREC_HASH_SHA1,
                  "keyrec s=email:web h=sha1");
        TAP_CHECK(dkim_keyrec_revoked(key) && key->pkey == NULL &&
                      !dkim_keyrec_testing(key),
                  "keyrec revoked flags");
    } else {
        TAP_CHECK(0, "keyrec revoked parse (%s)", err);
    }
    dkim_keyrec_unref(key);

    key = NULL;
    txt = "p=" RFC6376_P;
    if (dkim_keyrec_parse(txt, strlen(txt), &key, err, sizeof(err)) == DKIM_OK)
        TAP_CHECK(key->email_service &&
                      key->hashes == (KEYREC_HASH_SHA1 | KEYREC_HASH_SHA256),
                  "keyrec defaults");
    dkim_keyrec_unref(key);

    TAP_CHECK(dkim_keyrec_parse("p=", 2, NULL, NULL, 0) == DKIM_EINVAL,
              "keyrec null output");
}

int
main(void)
{
    test_rows();
    test_derived();
    test_huge_rsa();
    test_flags();
    return tap_done();
}
