/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_verify.c - verification results: one table row per failure reason
 * (parse errors, version, algorithm, rsa-sha1, i=, h= without From, x=,
 * t=, every key-lookup status, key record restrictions, key sizes, body
 * hash and signature mismatches), then the published examples of RFC 6376
 * Appendix A and RFC 8463 Appendix A, the signature cap, and hostile
 * fields.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "dkim/b64.h"
#include "dkim/dkim.h"
#include "engine_util.h"
#include "tap.h"

#define NOW 1700000000
#define BH "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8="

static const char body_text[] = "\r\nHello.\r\n";
static const char header_text[] =
    "From: a@example.com\r\nTo: b@example.net\r\nSubject: test\r\n";

static char rsa1024_record[512], rsa512_record[256], ed_record[128];
static struct dkim_privkey *rsa_key, *ed_key;

/* Which key record a row publishes at sel._domainkey.example.com. */
enum row_key {
    KEY_STATUS = 0, /* none: the lookup returns the row's status */
    KEY_INVALID,    /* a record that does not parse */
    KEY_REVOKED,    /* p= empty */
    KEY_RSA1024,
    KEY_RSA512,
    KEY_ED25519,
    KEY_H_SHA1,     /* the RSA 1024 key with h=sha1 */
    KEY_S_CHAT,     /* the RSA 1024 key with s=chat */
    KEY_T_S,        /* the RSA 1024 key with t=s */
};

struct row {
    const char *name;
    const char *field;          /* DKIM-Signature value */
    enum row_key key;
    enum dkim_key_status status; /* for KEY_STATUS */
    long now_offset;
    unsigned min_key_bits;
    enum dkim_result want;
    const char *reason;         /* expected prefix of the reason */
};

static void
record_of(EVP_PKEY *pkey, const char *k, char *out, size_t size)
{
    unsigned char *der = NULL;
    int len = i2d_PUBKEY(pkey, &der);
    struct dkim_buf b64;

    dkim_buf_init(&b64, 4096);
    b64_encode(der, (size_t)len, &b64);
    snprintf(out, size, "v=DKIM1; k=%s; p=%s", k, b64.data);
    dkim_buf_free(&b64);
    OPENSSL_free(der);
}

static void
setup_keys(void)
{
    EVP_PKEY *small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)512);
    struct dkim_buf pub;
    char err[256];

    dkim_privkey_generate(DKIM_ALG_RSA_SHA256, 1024, &rsa_key, err, sizeof(err));
    dkim_privkey_generate(DKIM_ALG_ED25519_SHA256, 0, &ed_key, err, sizeof(err));
    dkim_buf_init(&pub, 4096);
    dkim_privkey_public_b64(rsa_key, &pub);
    snprintf(rsa1024_record, sizeof(rsa1024_record), "v=DKIM1; k=rsa; p=%s", pub.data);
    dkim_buf_reset(&pub);
    dkim_privkey_public_b64(ed_key, &pub);
    snprintf(ed_record, sizeof(ed_record), "v=DKIM1; k=ed25519; p=%s", pub.data);
    dkim_buf_free(&pub);
    record_of(small, "rsa", rsa512_record, sizeof(rsa512_record));
    EVP_PKEY_free(small);
}

/* A correctly signed copy of the test message, by rsa_key or ed_key. */
static char *
signed_message_with(const struct dkim_privkey *key, const char *selector,
                    const char *const *exact_headers)
{
    struct dkim_msg *msg = dkim_msg_new(NULL);
    struct dkim_sign_params p;
    struct dkim_buf field, out;
    char err[256];

    memset(&p, 0, sizeof(p));
    p.key = key;
    p.domain = "example.com";
    p.selector = selector;
    p.header_canon = p.body_canon = DKIM_CANON_RELAXED;
    p.exact_headers = exact_headers;
    dkim_msg_add_signer(msg, &p);
    dkim_msg_header(msg, "From", 4, " a@example.com", 14);
    dkim_msg_header(msg, "To", 2, " b@example.net", 14);
    dkim_msg_header(msg, "Subject", 7, " test", 5);
    dkim_msg_eoh(msg, false);
    dkim_msg_body(msg, "Hello.\r\n", 8);
    dkim_msg_eom(msg);
    dkim_buf_init(&field, 1 << 16);
    dkim_msg_sign(msg, 0, NOW, "\r\n", &field, err, sizeof(err));
    dkim_buf_init(&out, 1 << 16);
    dkim_buf_printf(&out, "DKIM-Signature:%s\r\n%s%s", field.data, header_text,
                    body_text);
    dkim_buf_free(&field);
    dkim_msg_free(msg);
    return out.data;
}

static char *
signed_message(const struct dkim_privkey *key, const char *selector)
{
    return signed_message_with(key, selector, NULL);
}

static void
free_copy(struct dkim_sig_result *r)
{
    free(r->domain);
    free(r->identity);
}

/* Verify text; results are copied with d= and i= only. */
static enum dkim_stat
verify_with(const char *text, struct eu_key *keys, time_t now, unsigned min_bits,
            unsigned max_sigs, struct dkim_sig_result *copy, unsigned max,
            unsigned *count, unsigned *ignored)
{
    struct dkim_limits limits = {0, 0, max_sigs};
    struct dkim_msg *msg = dkim_msg_new(&limits);
    const struct dkim_sig_result *res = NULL;
    struct dkim_verify_params vp;
    size_t body = 0, len = strlen(text);
    enum dkim_stat st;
    unsigned i;

    memset(&vp, 0, sizeof(vp));
    vp.now = now;
    vp.clock_skew = 300;
    vp.min_key_bits = min_bits;
    vp.fetch = eu_fetch;
    vp.fetch_arg = keys;
    *count = 0;
    st = eu_feed_header(msg, text, len, true, &body);
    if (st == DKIM_OK)
        st = eu_feed_body(msg, text + body, len - body, 0);
    if (st == DKIM_OK)
        st = dkim_msg_verify(msg, &vp, &res, count);
    for (i = 0; st == DKIM_OK && i < *count && i < max; i++) {
        copy[i] = res[i];
        copy[i].domain = copy[i].domain ? strdup(copy[i].domain) : NULL;
        copy[i].identity = copy[i].identity ? strdup(copy[i].identity) : NULL;
        copy[i].selector = copy[i].algorithm = NULL;
        copy[i].b = NULL;
    }
    if (ignored != NULL)
        *ignored = dkim_msg_ignored_signatures(msg);
    dkim_msg_free(msg);
    return st;
}

#define F_BASE "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel; "
#define F_TAIL "bh=" BH "; b=AAAA"

static const struct row rows[] = {
    {"missing b=", " v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=" BH,
     KEY_STATUS, DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR, "missing required tag b"},
    {"tag list broken", " v=1; a=rsa-sha256; d=example.com; junk", KEY_STATUS,
     DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR, "tag junk"},
    {"unsupported version", " v=2; a=rsa-sha256; d=example.com; s=sel; h=From; " F_TAIL,
     KEY_STATUS, DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR, "unsupported version"},
    {"unknown algorithm", " v=1; a=rsa-md5; d=example.com; s=sel; h=From; " F_TAIL,
     KEY_STATUS, DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR, "unknown algorithm"},
    {"rsa-sha1", " v=1; a=rsa-sha1; d=example.com; s=sel; h=From; "
                 "bh=AAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA",
     KEY_STATUS, DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR,
     "rsa-sha1 is not accepted (RFC 8301)"},
    {"i= outside d=", " " F_BASE "i=@example.org; h=From; " F_TAIL, KEY_STATUS,
     DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR, "i= is not in the d= domain"},
    {"i= lookalike domain", " " F_BASE "i=@badexample.com; h=From; " F_TAIL, KEY_STATUS,
     DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR, "i= is not in the d= domain"},
    {"From not in h=", " " F_BASE "h=To:Subject; " F_TAIL, KEY_STATUS, DKIM_KEY_NOTFOUND,
     0, 0, DKIM_RES_PERMERROR, "From is not in h="},
    {"expired", " " F_BASE "t=1699990000; x=1699999000; h=From; " F_TAIL, KEY_STATUS,
     DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR, "signature expired"},
    {"t= in the future", " " F_BASE "t=1700001000; h=From; " F_TAIL, KEY_STATUS,
     DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR, "signature t= is in the future"},
    {"t= within skew", " " F_BASE "t=1700000200; h=From; " F_TAIL, KEY_STATUS,
     DKIM_KEY_NOTFOUND, 0, 0, DKIM_RES_PERMERROR, "no key"},
    {"no key", " " F_BASE "h=From; " F_TAIL, KEY_STATUS, DKIM_KEY_NOTFOUND, 0, 0,
     DKIM_RES_PERMERROR, "no key"},
    {"key lookup tempfail", " " F_BASE "h=From; " F_TAIL, KEY_STATUS, DKIM_KEY_TEMPFAIL,
     0, 0, DKIM_RES_TEMPERROR, "test status"},
    {"key record invalid", " " F_BASE "h=From; " F_TAIL, KEY_INVALID, 0, 0, 0,
     DKIM_RES_PERMERROR, "invalid key record: "},
    {"key revoked", " " F_BASE "h=From; " F_TAIL, KEY_REVOKED, 0, 0, 0,
     DKIM_RES_PERMERROR, "key revoked"},
    {"key k= mismatch", " " F_BASE "h=From; " F_TAIL, KEY_ED25519, 0, 0, 0,
     DKIM_RES_PERMERROR, "key k=ed25519 does not match a=rsa-sha256"},
    {"key h= excludes sha256", " " F_BASE "h=From; " F_TAIL, KEY_H_SHA1, 0, 0, 0,
     DKIM_RES_PERMERROR, "key h= does not allow sha256"},
    {"key s= not email", " " F_BASE "h=From; " F_TAIL, KEY_S_CHAT, 0, 0, 0,
     DKIM_RES_PERMERROR, "key s= does not include email"},
    {"key t=s subdomain i=", " " F_BASE "i=@sub.example.com; h=From; " F_TAIL,
     KEY_T_S, 0, 0, 0, DKIM_RES_PERMERROR, "key t=s forbids"},
    {"RSA 512 key", " " F_BASE "h=From; " F_TAIL, KEY_RSA512, 0, 0, 0,
     DKIM_RES_PERMERROR, "RSA key has 512 bits"},
    {"RSA under min_key_bits", " " F_BASE "h=From; " F_TAIL, KEY_RSA1024, 0, 0,
     2048, DKIM_RES_POLICY, "RSA key has 1024 bits, under 2048"},
    {"body hash mismatch", " " F_BASE "h=From; " F_TAIL, KEY_RSA1024, 0, 0, 0,
     DKIM_RES_FAIL, "body hash mismatch"},
    {"l= longer than body", " " F_BASE "l=9999; h=From; " F_TAIL, KEY_RSA1024, 0,
     0, 0, DKIM_RES_FAIL, "l= is longer than the body"},
};

static const char *
row_record(const struct row *r, char *buf, size_t size)
{
    const char *p = strstr(rsa1024_record, "p=");

    switch (r->key) {
    case KEY_INVALID:
        return "v=DKIM1; p=!!!!";
    case KEY_REVOKED:
        return "v=DKIM1; p=";
    case KEY_RSA1024:
        return rsa1024_record;
    case KEY_RSA512:
        return rsa512_record;
    case KEY_ED25519:
        return ed_record;
    case KEY_H_SHA1:
        snprintf(buf, size, "v=DKIM1; h=sha1; %s", p);
        return buf;
    case KEY_S_CHAT:
        snprintf(buf, size, "v=DKIM1; s=chat; %s", p);
        return buf;
    case KEY_T_S:
        snprintf(buf, size, "v=DKIM1; t=s; %s", p);
        return buf;
    case KEY_STATUS:
    default:
        return NULL;
    }
}

static void
test_rows(void)
{
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        char text[2048], record[1024];
        struct eu_key keys[2] = {{"example.com", "sel", NULL, r->status},
                                 {NULL, NULL, NULL, 0}};
        struct dkim_sig_result res[1];
        unsigned count = 0;
        enum dkim_stat st;

        keys[0].record = row_record(r, record, sizeof(record));
        snprintf(text, sizeof(text), "DKIM-Signature:%s\r\n%s%s", r->field,
                 header_text, body_text);
        st = verify_with(text, keys, NOW + r->now_offset, r->min_key_bits, 0, res,
                         1, &count, NULL);
        TAP_CHECK(st == DKIM_OK && count == 1 && res[0].result == r->want &&
                      strncmp(res[0].reason, r->reason, strlen(r->reason)) == 0,
                  "%s: %s (%s)", r->name, dkim_result_name(r->want),
                  count ? res[0].reason : "no result");
        if (count == 1)
            free_copy(&res[0]);
    }
}

/* A field without s= still reports d=, without its fold. */
static void
test_parse_error_unfolds_fields(void)
{
    static const char text[] =
        "DKIM-Signature: v=1; a=rsa-sha256; d=exam\r\n ple.com;\r\n"
        " h=From; bh=" BH "; b=AA\r\n\tAA\r\nFrom: a@example.com\r\n\r\n";
    struct eu_key keys[1] = {{NULL, NULL, NULL, 0}};
    struct dkim_sig_result res[1];
    unsigned count = 0;

    verify_with(text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_PERMERROR, "unparsed field is a permerror");
    TAP_CHECK(count == 1 && res[0].domain != NULL &&
                  strcmp(res[0].domain, "example.com") == 0,
              "unparsed d= without fold (%s)", count ? res[0].domain : "");
    if (count == 1)
        free_copy(&res[0]);
}

static void
test_parse_error_fills_fields(void)
{
    static const char text[] =
        "DKIM-Signature: v=2; a=rsa-sha256; d=example.com; s=sel; h=From; "
        "bh=" BH "; b=AAAA\r\nFrom: a@example.com\r\n\r\n";
    struct eu_key keys[1] = {{NULL, NULL, NULL, 0}};
    struct dkim_sig_result res[1];
    unsigned count = 0;

    verify_with(text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].domain != NULL &&
                  strcmp(res[0].domain, "example.com") == 0,
              "parse error still reports d=");
    TAP_CHECK(count == 1 && res[0].identity != NULL &&
                  strcmp(res[0].identity, "@example.com") == 0,
              "parse error reports default i=");
    if (count == 1)
        free_copy(&res[0]);
}

static void
test_real_signatures(void)
{
    char *rsa_text = signed_message(rsa_key, "sel");
    char *ed_text = signed_message(ed_key, "ed");
    char ty_record[600];
    struct eu_key keys[3] = {{"example.com", "sel", rsa1024_record, 0},
                             {"example.com", "ed", ed_record, 0},
                             {NULL, NULL, NULL, 0}};
    struct dkim_sig_result res[1];
    unsigned count = 0;
    char *p;

    verify_with(rsa_text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_PASS && res[0].key_bits == 1024,
              "rsa signature passes");
    free_copy(&res[0]);
    verify_with(ed_text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_PASS, "ed25519 signature passes");
    free_copy(&res[0]);

    snprintf(ty_record, sizeof(ty_record), "v=DKIM1; t=y; %s",
             strstr(rsa1024_record, "p="));
    keys[0].record = ty_record;
    verify_with(rsa_text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_PASS && res[0].testing,
              "t=y key reported as testing");
    free_copy(&res[0]);
    keys[0].record = rsa1024_record;

    /* White space around the b= value is not hashed (RFC 6376 3.7), so a
     * fold added after "b=" keeps the signature valid. */
    {
        char *b = strstr(rsa_text, " b=");
        size_t at, len = strlen(rsa_text);
        char *folded = malloc(len + 8);

        if (b == NULL)
            b = strstr(rsa_text, "\tb=");
        at = (size_t)(b - rsa_text) + 3;
        memcpy(folded, rsa_text, at);
        memcpy(folded + at, "\r\n\t ", 4);
        memcpy(folded + at + 4, rsa_text + at, len - at + 1);
        verify_with(folded, keys, NOW, 0, 0, res, 1, &count, NULL);
        TAP_CHECK(count == 1 && res[0].result == DKIM_RES_PASS,
                  "fold after b= still passes (%s)", res[0].reason);
        free_copy(&res[0]);
        free(folded);
    }

    /* A changed signed header: the body hash still matches, the signature
     * does not. */
    p = strstr(rsa_text, "Subject: test");
    p[9] = 'T';
    verify_with(rsa_text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_FAIL &&
                  strcmp(res[0].reason, "signature did not verify") == 0,
              "changed header: signature did not verify");
    free_copy(&res[0]);
    p = strstr(ed_text, "Subject: test");
    p[9] = 'T';
    verify_with(ed_text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_FAIL &&
                  strcmp(res[0].reason, "signature did not verify") == 0,
              "changed header: ed25519 did not verify");
    free_copy(&res[0]);

    /* A changed body. */
    p = strstr(ed_text, "Hello.");
    p[0] = 'J';
    verify_with(ed_text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_FAIL &&
                  strcmp(res[0].reason, "body hash mismatch") == 0,
              "changed body: body hash mismatch");
    free_copy(&res[0]);
    free(rsa_text);
    free(ed_text);
}

/* h= selects From from the bottom up, so a From added on top of a field
 * signed once is outside the signature; it must not pass. */
static void
test_added_from(void)
{
    static const char *const once[] = {"From", "To", "Subject", NULL};
    struct eu_key keys[2] = {{"example.com", "sel", rsa1024_record, 0},
                             {NULL, NULL, NULL, 0}};
    struct dkim_sig_result res[1];
    unsigned count = 0;
    char *text = signed_message_with(rsa_key, "sel", once);
    char *forged = malloc(strlen(text) + 64);

    verify_with(text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_PASS,
              "From signed once passes");
    free_copy(&res[0]);

    sprintf(forged, "From: boss@example.org\r\n%s", text);
    verify_with(forged, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_FAIL,
              "added From fails");
    TAP_CHECK(strcmp(res[0].reason, "a From field is not signed") == 0,
              "added From reason (%s)", res[0].reason);
    free_copy(&res[0]);
    free(forged);
    free(text);
}

/* RFC 6376 Appendix A.2 (signed message) with the A.3 public key. */
static void
test_rfc6376_vector(void)
{
    static const char text[] =
        "DKIM-Signature: v=1; a=rsa-sha256; s=brisbane; d=example.com;\r\n"
        "      c=simple/simple; q=dns/txt; i=joe@football.example.com;\r\n"
        "      h=Received : From : To : Subject : Date : Message-ID;\r\n"
        "      bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
        "      b=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB\r\n"
        "        4nujc7YopdG5dWLSdNg6xNAZpOPr+kHxt1IrE+NahM6L/LbvaHut\r\n"
        "        KVdkLLkpVaVVQPzeRDI009SO2Il5Lu7rDNH6mZckBdrIx0orEtZV\r\n"
        "        4bmp/YzhwvcubU4=;\r\n"
        "Received: from client1.football.example.com  [192.0.2.1]\r\n"
        "      by submitserver.example.com with SUBMISSION;\r\n"
        "      Fri, 11 Jul 2003 21:01:54 -0700 (PDT)\r\n"
        "From: Joe SixPack <joe@football.example.com>\r\n"
        "To: Suzie Q <suzie@shopping.example.net>\r\n"
        "Subject: Is dinner ready?\r\n"
        "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
        "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
        "\r\n"
        "Hi.\r\n"
        "\r\n"
        "We lost the game. Are you hungry yet?\r\n"
        "\r\n"
        "Joe.\r\n";
    struct eu_key keys[2] = {
        {"example.com", "brisbane",
         "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoG"
         "eLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR"
         "+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB", 0},
        {NULL, NULL, NULL, 0}};
    struct dkim_sig_result res[1];
    unsigned count = 0;

    verify_with(text, keys, NOW, 0, 0, res, 1, &count, NULL);
    TAP_CHECK(count == 1 && res[0].result == DKIM_RES_PASS,
              "RFC 6376 A.2 example passes (%s)", count ? res[0].reason : "none");
    if (count == 1)
        free_copy(&res[0]);
}

/* RFC 8463 Appendix A.3 (both signatures) with the A.2 key records. */
static void
test_rfc8463_vector(void)
{
    static const char text[] =
        "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
        " d=football.example.com; i=@football.example.com;\r\n"
        " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
        " subject : date : message-id : from : subject : date;\r\n"
        " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
        " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
        " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==\r\n"
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
        " d=football.example.com; i=@football.example.com;\r\n"
        " q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n"
        " date : message-id : from : subject : date;\r\n"
        " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
        " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3\r\n"
        " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz\r\n"
        " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=\r\n"
        "From: Joe SixPack <joe@football.example.com>\r\n"
        "To: Suzie Q <suzie@shopping.example.net>\r\n"
        "Subject: Is dinner ready?\r\n"
        "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
        "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
        "\r\n"
        "Hi.\r\n"
        "\r\n"
        "We lost the game.  Are you hungry yet?\r\n"
        "\r\n"
        "Joe.\r\n";
    struct eu_key keys[3] = {
        {"football.example.com", "brisbane",
         "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", 0},
        {"football.example.com", "test",
         "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3id"
         "Y6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1L"
         "xj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB", 0},
        {NULL, NULL, NULL, 0}};
    struct dkim_sig_result res[2];
    unsigned count = 0, i;

    verify_with(text, keys, NOW, 0, 0, res, 2, &count, NULL);
    TAP_CHECK(count == 2, "RFC 8463 A.3 has two signatures");
    TAP_CHECK(count == 2 && res[0].result == DKIM_RES_PASS,
              "RFC 8463 ed25519 signature passes (%s)", count ? res[0].reason : "");
    TAP_CHECK(count == 2 && res[1].result == DKIM_RES_PASS,
              "RFC 8463 rsa signature passes (%s)", count > 1 ? res[1].reason : "");
    for (i = 0; i < count && i < 2; i++)
        free_copy(&res[i]);
}

static void
test_cap_and_none(void)
{
    char text[4096];
    struct eu_key keys[1] = {{NULL, NULL, NULL, 0}};
    struct dkim_sig_result res[4];
    unsigned count = 0, ignored = 0, i;

    snprintf(text, sizeof(text),
             "DKIM-Signature: " F_BASE "h=From; " F_TAIL "\r\n"
             "DKIM-Signature: " F_BASE "h=From; " F_TAIL "\r\n"
             "DKIM-Signature: " F_BASE "h=From; " F_TAIL "\r\n%s%s",
             header_text, body_text);
    verify_with(text, keys, NOW, 0, 2, res, 4, &count, &ignored);
    TAP_CHECK(count == 2 && ignored == 1, "signature cap: 2 verified, 1 ignored");
    for (i = 0; i < count && i < 4; i++)
        free_copy(&res[i]);

    snprintf(text, sizeof(text), "%s%s", header_text, body_text);
    TAP_CHECK(verify_with(text, keys, NOW, 0, 0, res, 4, &count, &ignored) == DKIM_OK &&
                  count == 0,
              "unsigned message has no results");
}

static void
test_hostile(void)
{
    struct dkim_msg *msg = dkim_msg_new(NULL);
    struct dkim_verify_params vp;
    const struct dkim_sig_result *res;
    unsigned count;
    char text[1024];
    struct eu_key keys[1] = {{NULL, NULL, NULL, 0}};
    struct dkim_sig_result copy[1];

    memset(&vp, 0, sizeof(vp));
    dkim_msg_eoh(msg, true);
    dkim_msg_eom(msg);
    TAP_CHECK(dkim_msg_verify(msg, &vp, &res, &count) == DKIM_EINVAL,
              "verify without fetch callback is EINVAL");
    dkim_msg_free(msg);

    /* An empty field, then a b= with misplaced padding. */
    snprintf(text, sizeof(text), "DKIM-Signature:\r\n%s%s", header_text, body_text);
    verify_with(text, keys, NOW, 0, 0, copy, 1, &count, NULL);
    TAP_CHECK(count == 1 && copy[0].result == DKIM_RES_PERMERROR,
              "empty field is a permerror");
    if (count == 1)
        free_copy(&copy[0]);

    snprintf(text, sizeof(text), "DKIM-Signature: " F_BASE "h=From; bh=" BH
                                 "; b=%s\r\n%s%s",
             "AAAA====", header_text, body_text);
    verify_with(text, keys, NOW, 0, 0, copy, 1, &count, NULL);
    TAP_CHECK(count == 1 && copy[0].result == DKIM_RES_PERMERROR,
              "bad base64 in b= is a permerror");
    if (count == 1)
        free_copy(&copy[0]);
}

int
main(void)
{
    setup_keys();
    test_rows();
    test_parse_error_fills_fields();
    test_parse_error_unfolds_fields();
    test_real_signatures();
    test_added_from();
    test_rfc6376_vector();
    test_rfc8463_vector();
    test_cap_and_none();
    test_hostile();
    dkim_privkey_free(rsa_key);
    dkim_privkey_free(ed_key);
    return tap_done();
}
