/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_sign.c - signing, checked by verifying the result with the same
 * engine: rsa-sha256 and ed25519-sha256 with all four canonicalizations
 * and several chunk sizes, tag layout, oversigning, several signatures on
 * one message sharing a body hash, x=, l=, i=, the RFC 8463 A.3 example
 * signed with the RFC 8463 A.1 key, and hostile calls and inputs.
 */
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim.h"
#include "dkim/msg.h"
#include "engine_util.h"
#include "tap.h"

#define NOW 1700000000

static const char base_msg[] =
    "From: Joe SixPack <joe@football.example.com>\r\n"
    "To: Suzie Q <suzie@shopping.example.net>\r\n"
    "Subject: Is dinner   ready?\r\n"
    "\tfolded  subject\r\n"
    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
    "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
    "X-Not-Signed: anything\r\n"
    "\r\n"
    "Hi.  \r\n"
    "\r\n"
    "We lost the game.\tAre you hungry yet?\r\n"
    "\r\n"
    "Joe.\r\n"
    "\r\n"
    "\r\n";

static struct dkim_privkey *rsa_key, *ed_key;
static char rsa_record[1024], ed_record[256];
static struct eu_key keys[4];

static void
make_record(const struct dkim_privkey *key, const char *k, char *out,
            size_t size)
{
    struct dkim_buf pub;

    dkim_buf_init(&pub, 4096);
    dkim_privkey_public_b64(key, &pub);
    snprintf(out, size, "v=DKIM1; k=%s; p=%s", k, pub.data);
    dkim_buf_free(&pub);
}

static void
setup_keys(void)
{
    char err[256];

    dkim_privkey_generate(DKIM_ALG_RSA_SHA256, 1024, &rsa_key, err, sizeof(err));
    dkim_privkey_generate(DKIM_ALG_ED25519_SHA256, 0, &ed_key, err, sizeof(err));
    make_record(rsa_key, "rsa", rsa_record, sizeof(rsa_record));
    make_record(ed_key, "ed25519", ed_record, sizeof(ed_record));
    keys[0] = (struct eu_key){"example.com", "rsa", rsa_record, DKIM_KEY_FOUND};
    keys[1] = (struct eu_key){"example.com", "ed", ed_record, DKIM_KEY_FOUND};
}

static struct dkim_sign_params
params_for(const struct dkim_privkey *key, const char *canon)
{
    struct dkim_sign_params p;

    memset(&p, 0, sizeof(p));
    p.key = key;
    p.domain = "example.com";
    p.selector = key == rsa_key ? "rsa" : "ed";
    dkim_canon_parse(canon, &p.header_canon, &p.body_canon);
    return p;
}

/* Sign text with every signer in params; the result is the message with
 * each DKIM-Signature field prepended, first signer on top.  Returns NULL
 * and sets *st on failure. */
static char *
sign_text(const char *text, size_t len, const struct dkim_sign_params *params,
          unsigned n, size_t chunk, const char *eol, enum dkim_stat *st)
{
    struct dkim_msg *msg = dkim_msg_new(NULL);
    struct dkim_buf out, field;
    char err[256] = "";
    size_t body = 0;
    unsigned i;

    dkim_buf_init(&out, 1 << 20);
    *st = DKIM_OK;
    for (i = 0; i < n && *st == DKIM_OK; i++)
        *st = dkim_msg_add_signer(msg, &params[i]);
    if (*st == DKIM_OK)
        *st = eu_feed_header(msg, text, len, false, &body);
    if (*st == DKIM_OK)
        *st = eu_feed_body(msg, text + body, len - body, chunk);
    for (i = 0; i < n && *st == DKIM_OK; i++) {
        dkim_buf_init(&field, 1 << 16);
        *st = dkim_msg_sign(msg, i, NOW, eol, &field, err, sizeof(err));
        if (*st == DKIM_OK) {
            dkim_buf_appends(&out, "DKIM-Signature:");
            dkim_buf_append(&out, field.data, field.len);
            dkim_buf_appends(&out, "\r\n");
        }
        dkim_buf_free(&field);
    }
    dkim_msg_free(msg);
    if (*st != DKIM_OK) {
        dkim_buf_free(&out);
        return NULL;
    }
    dkim_buf_append(&out, text, len);
    return out.data;
}

/* Verify text at time now; copies up to max results. */
static unsigned
verify_text(const char *text, size_t len, time_t now,
            struct dkim_sig_result *copy, unsigned max)
{
    struct dkim_msg *msg = dkim_msg_new(NULL);
    struct dkim_verify_params vp;
    const struct dkim_sig_result *res = NULL;
    unsigned count = 0, i;
    size_t body = 0;

    memset(&vp, 0, sizeof(vp));
    vp.now = now;
    vp.clock_skew = 300;
    vp.fetch = eu_fetch;
    vp.fetch_arg = keys;
    if (eu_feed_header(msg, text, len, true, &body) != DKIM_OK ||
        eu_feed_body(msg, text + body, len - body, 0) != DKIM_OK ||
        dkim_msg_verify(msg, &vp, &res, &count) != DKIM_OK)
        count = 0;
    for (i = 0; i < count && i < max; i++) {
        copy[i] = res[i];
        copy[i].domain = copy[i].selector = copy[i].identity = NULL;
        copy[i].algorithm = copy[i].b = NULL;
    }
    dkim_msg_free(msg);
    return count;
}

static bool
lines_short(const char *text)
{
    const char *end = strstr(text, "\r\nFrom:");
    size_t col = 0;

    for (; *text != '\0' && text != end; text++) {
        if (*text == '\n') {
            col = 0;
            continue;
        }
        if (*text != '\r' && ++col >= 78)
            return false;
    }
    return true;
}

static void
test_round_trips(void)
{
    static const char *const canons[] = {"simple/simple", "simple/relaxed",
                                         "relaxed/simple", "relaxed/relaxed"};
    static const size_t chunks[] = {0, 1, 5};
    const struct dkim_privkey *algs[] = {rsa_key, ed_key};
    size_t a, c, k;

    for (a = 0; a < 2; a++) {
        for (c = 0; c < 4; c++) {
            for (k = 0; k < 3; k++) {
                struct dkim_sign_params p = params_for(algs[a], canons[c]);
                struct dkim_sig_result r[2];
                enum dkim_stat st;
                char *signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1,
                                             chunks[k], "\r\n", &st);
                unsigned n = signed_msg ? verify_text(signed_msg, strlen(signed_msg),
                                                      NOW + 10, r, 2) : 0;

                TAP_CHECK(n == 1 && r[0].result == DKIM_RES_PASS,
                          "round trip %s %s chunk %zu (%s)", a ? "ed25519" : "rsa",
                          canons[c], chunks[k], n ? r[0].reason : "no result");
                if (k == 0)
                    TAP_CHECK(signed_msg && lines_short(signed_msg),
                              "lines under 78 %s %s", a ? "ed25519" : "rsa", canons[c]);
                free(signed_msg);
            }
        }
    }
}

/* The signed field with its folds removed, for layout checks. */
static char *
flat_field(const char *signed_msg)
{
    const char *end = strstr(signed_msg, "\r\nFrom:");
    char *flat = malloc(strlen(signed_msg) + 1);
    size_t o = 0;
    const char *p;

    for (p = signed_msg; p < end; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == '\t') {
            flat[o++] = ' ';
            p += 2;
            continue;
        }
        flat[o++] = *p;
    }
    flat[o] = '\0';
    return flat;
}

static void
test_layout(void)
{
    struct dkim_sign_params p = params_for(rsa_key, "relaxed/simple");
    static const char *const order[] = {" v=1;", " a=rsa-sha256;",
                                        " c=relaxed/simple;", " d=example.com;",
                                        " s=rsa;", " t=1700000000;", " h=",
                                        " bh=", " b="};
    const char *prev = NULL;
    enum dkim_stat st;
    char *signed_msg, *flat;
    bool ordered = true;
    size_t i;

    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    flat = flat_field(signed_msg);
    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const char *at = strstr(flat, order[i]);

        if (at == NULL || (prev != NULL && at < prev))
            ordered = false;
        prev = at;
    }
    TAP_CHECK(ordered, "tags in order v a c d s t h bh b (%s)", flat);
    TAP_CHECK(strncmp(flat, "DKIM-Signature: v=1;", 20) == 0,
              "value starts with a space");
    TAP_CHECK(strstr(flat, " x=") == NULL && strstr(flat, " l=") == NULL &&
                  strstr(flat, " i=") == NULL,
              "no x=, l= or i= unless asked");
    TAP_CHECK(strstr(flat, " h=From:To:Subject:Date:Message-ID:From;") != NULL,
              "default h= with From oversigned");
    free(flat);
    free(signed_msg);

    p.expire_after = 3600;
    p.body_length = true;
    p.identity = "joe;x@sub.example.com";
    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    flat = flat_field(signed_msg);
    TAP_CHECK(strstr(flat, " x=1700003600;") != NULL, "x= is t= plus expire_after");
    TAP_CHECK(strstr(flat, " i=joe=3Bx@sub.example.com;") != NULL,
              "i= quoted-printable (%s)", flat);
    TAP_CHECK(strstr(flat, " l=") != NULL, "l= when asked");
    free(flat);
    free(signed_msg);
}

static void
test_lf_output(void)
{
    struct dkim_sign_params p = params_for(ed_key, "relaxed/relaxed");
    struct dkim_msg *msg = dkim_msg_new(NULL);
    struct dkim_buf field;
    char err[256];
    size_t body;

    dkim_msg_add_signer(msg, &p);
    eu_feed_header(msg, base_msg, strlen(base_msg), false, &body);
    eu_feed_body(msg, base_msg + body, strlen(base_msg) - body, 0);
    dkim_buf_init(&field, 1 << 16);
    TAP_CHECK(dkim_msg_sign(msg, 0, NOW, "\n", &field, err, sizeof(err)) == DKIM_OK,
              "sign with LF line ends");
    TAP_CHECK(strchr(field.data, '\r') == NULL && strstr(field.data, "\n\t") != NULL,
              "LF folds only");
    dkim_buf_free(&field);
    dkim_msg_free(msg);
}

static void
test_oversign(void)
{
    struct dkim_sign_params p = params_for(rsa_key, "relaxed/relaxed");
    static const char *const none[] = {NULL};
    struct dkim_sig_result r[1];
    enum dkim_stat st;
    char *signed_msg, *forged;
    size_t len;

    /* With From oversigned, a From added above breaks the signature. */
    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    len = strlen(signed_msg);
    forged = malloc(len + 64);
    snprintf(forged, len + 64, "From: evil@example.org\r\n%s", signed_msg);
    verify_text(forged, strlen(forged), NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_FAIL, "oversigned From blocks an added From");
    free(forged);
    free(signed_msg);

    /* Without oversigning, the bottom-up selection still takes the
     * original From; the verifier counts From fields and fails anyway. */
    p.oversign = none;
    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    len = strlen(signed_msg);
    forged = malloc(len + 64);
    snprintf(forged, len + 64, "From: evil@example.org\r\n%s", signed_msg);
    verify_text(forged, strlen(forged), NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_FAIL, "without oversigning an added From fails");
    free(forged);
    free(signed_msg);
}

static void
test_shared_body_hash(void)
{
    struct dkim_sign_params p[3] = {params_for(rsa_key, "relaxed/relaxed"),
                                    params_for(ed_key, "simple/relaxed"),
                                    params_for(ed_key, "relaxed/simple")};
    struct dkim_msg *msg = dkim_msg_new(NULL);
    struct dkim_sig_result r[3];
    enum dkim_stat st;
    char *signed_msg;
    unsigned n;

    dkim_msg_add_signer(msg, &p[0]);
    dkim_msg_add_signer(msg, &p[1]);
    TAP_CHECK(msg->bodyhash.count == 1, "two signers share one body hash");
    dkim_msg_add_signer(msg, &p[2]);
    TAP_CHECK(msg->bodyhash.count == 2, "another body canon adds one");
    dkim_msg_free(msg);

    signed_msg = sign_text(base_msg, strlen(base_msg), p, 3, 3, "\r\n", &st);
    n = signed_msg ? verify_text(signed_msg, strlen(signed_msg), NOW, r, 3) : 0;
    TAP_CHECK(n == 3, "three signatures found");
    TAP_CHECK(n == 3 && r[0].result == DKIM_RES_PASS && r[1].result == DKIM_RES_PASS &&
                  r[2].result == DKIM_RES_PASS,
              "rsa and ed25519 signatures all pass");
    free(signed_msg);
}

static void
test_expiry_and_length(void)
{
    struct dkim_sign_params p = params_for(ed_key, "relaxed/relaxed");
    struct dkim_sig_result r[1];
    enum dkim_stat st;
    char *signed_msg, *longer;
    size_t len;

    p.expire_after = 3600;
    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    verify_text(signed_msg, strlen(signed_msg), NOW + 100, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PASS, "x= in the future passes");
    verify_text(signed_msg, strlen(signed_msg), NOW + 3600 + 301, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PERMERROR &&
                  strcmp(r[0].reason, "signature expired") == 0,
              "x= past the skew is expired");
    verify_text(signed_msg, strlen(signed_msg), NOW + 3600 + 299, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PASS, "x= within the skew passes");
    free(signed_msg);

    /* l= lets content be appended; without it the body hash breaks. */
    p.expire_after = 0;
    p.body_length = true;
    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    TAP_CHECK(strstr(signed_msg, " l=54;") != NULL, "l= counts canonical bytes");
    len = strlen(signed_msg);
    longer = malloc(len + 64);
    snprintf(longer, len + 64, "%sappended footer\r\n", signed_msg);
    verify_text(longer, strlen(longer), NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PASS, "l= body with appended text passes");
    free(longer);
    free(signed_msg);

    p.body_length = false;
    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    len = strlen(signed_msg);
    longer = malloc(len + 64);
    snprintf(longer, len + 64, "%sappended footer\r\n", signed_msg);
    verify_text(longer, strlen(longer), NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_FAIL &&
                  strcmp(r[0].reason, "body hash mismatch") == 0,
              "appended text without l= fails");
    free(longer);
    free(signed_msg);
}

static void
test_identity_and_lists(void)
{
    struct dkim_sign_params p = params_for(rsa_key, "simple/simple");
    static const char *const exact[] = {"from", "to", "subject", "from", NULL};
    static const char *const subject_only[] = {"Subject", NULL};
    static const char *const none[] = {NULL};
    struct dkim_sig_result r[1];
    enum dkim_stat st;
    char *signed_msg, *flat;

    p.identity = "joe@football.example.com";
    p.domain = "example.com";
    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    verify_text(signed_msg, strlen(signed_msg), NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PASS, "i= in a subdomain passes (%s)", r[0].reason);
    free(signed_msg);

    p.identity = NULL;
    p.exact_headers = exact;
    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    flat = flat_field(signed_msg);
    TAP_CHECK(strstr(flat, " h=from:to:subject:from;") != NULL, "exact h= kept as given");
    verify_text(signed_msg, strlen(signed_msg), NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PASS, "exact h= passes");
    free(flat);
    free(signed_msg);

    p.exact_headers = NULL;
    p.headers = subject_only;
    p.oversign = none;
    signed_msg = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    verify_text(signed_msg, strlen(signed_msg), NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PERMERROR, "h= without From is a permerror");
    free(signed_msg);
}

/* RFC 8463 A.3 signed with the A.1 key: Ed25519 is deterministic and the
 * body hash is the one the RFC prints. */
static void
test_rfc8463_sign(void)
{
    static const char msg[] =
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
    static const char *const h[] = {"from", "to", "subject", "date", "message-id",
                                    "from", "subject", "date", NULL};
    static const char seed[] = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
    struct eu_key saved = keys[2];
    struct dkim_privkey *key = NULL;
    struct dkim_sign_params p;
    struct dkim_sig_result r[1];
    enum dkim_stat st;
    char err[256], *signed_msg, *flat;

    dkim_privkey_from_mem(seed, strlen(seed), &key, err, sizeof(err));
    memset(&p, 0, sizeof(p));
    p.key = key;
    p.domain = "football.example.com";
    p.selector = "brisbane";
    p.header_canon = p.body_canon = DKIM_CANON_RELAXED;
    p.exact_headers = h;
    signed_msg = sign_text(msg, strlen(msg), &p, 1, 0, "\r\n", &st);
    flat = signed_msg ? flat_field(signed_msg) : NULL;
    if (flat != NULL) {
        size_t i, o = 0;

        /* Base64 folds leave spaces in the flat text; drop them all. */
        for (i = 0; flat[i] != '\0'; i++)
            if (flat[i] != ' ')
                flat[o++] = flat[i];
        flat[o] = '\0';
    }
    TAP_CHECK(flat != NULL &&
                  strstr(flat, "bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=") != NULL,
              "RFC 8463 body hash when signing");
    free(flat);
    keys[2] = (struct eu_key){"football.example.com", "brisbane",
                              "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
                              DKIM_KEY_FOUND};
    verify_text(signed_msg, strlen(signed_msg), NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PASS, "RFC 8463 key signs and verifies");
    keys[2] = saved;
    free(signed_msg);
    dkim_privkey_free(key);
}

static void
test_milter_style_header(void)
{
    struct dkim_sign_params p = params_for(rsa_key, "simple/simple");
    static const char body[] = "body\r\n";
    struct dkim_msg *msg = dkim_msg_new(NULL);
    struct dkim_buf field, full;
    struct dkim_sig_result r[1];
    char err[256];

    /* The milter protocol sends folds as bare LF; simple canonicalization
     * must still hash them as the CRLF the message carries. */
    dkim_msg_add_signer(msg, &p);
    dkim_msg_header(msg, "From", 4, " a@example.com", 14);
    dkim_msg_header(msg, "Subject", 7, " one\n\ttwo", 9);
    dkim_msg_eoh(msg, false);
    dkim_msg_body(msg, body, 6);
    dkim_msg_eom(msg);
    dkim_buf_init(&field, 1 << 16);
    dkim_msg_sign(msg, 0, NOW, "\r\n", &field, err, sizeof(err));
    dkim_buf_init(&full, 1 << 16);
    dkim_buf_printf(&full, "DKIM-Signature:%s\r\nFrom: a@example.com\r\n"
                           "Subject: one\r\n\ttwo\r\n\r\nbody\r\n", field.data);
    verify_text(full.data, full.len, NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PASS, "LF folds hash as CRLF");
    dkim_buf_free(&field);
    dkim_buf_free(&full);
    dkim_msg_free(msg);
}

static void
test_hostile_calls(void)
{
    static const char *const bad_names[] = {"From", "X;Y", NULL};
    static const char *const no_names[] = {NULL};
    struct dkim_sign_params p = params_for(rsa_key, "relaxed/relaxed");
    struct dkim_limits limits = {0, 3, 0};
    struct dkim_msg *msg;
    struct dkim_buf field;
    char err[256];
    unsigned i;

    msg = dkim_msg_new(NULL);
    p.identity = "joe@example.org";
    TAP_CHECK(dkim_msg_add_signer(msg, &p) == DKIM_EINVAL, "i= outside d= rejected");
    dkim_msg_free(msg);

    msg = dkim_msg_new(NULL);
    p.identity = NULL;
    p.headers = bad_names;
    TAP_CHECK(dkim_msg_add_signer(msg, &p) == DKIM_EINVAL, "header name with ; rejected");
    dkim_msg_free(msg);

    msg = dkim_msg_new(NULL);
    p.headers = NULL;
    p.exact_headers = no_names;
    TAP_CHECK(dkim_msg_add_signer(msg, &p) == DKIM_EINVAL, "empty exact h= rejected");
    dkim_msg_free(msg);

    msg = dkim_msg_new(NULL);
    p.exact_headers = NULL;
    p.domain = "exa;mple.com";
    TAP_CHECK(dkim_msg_add_signer(msg, &p) == DKIM_EINVAL, "d= with ; rejected");
    TAP_CHECK(dkim_msg_header(msg, "From", 4, " a@b", 4) == DKIM_EINVAL,
              "later calls return the first error");
    TAP_CHECK(dkim_msg_eoh(msg, false) == DKIM_EINVAL, "eoh returns the first error");
    dkim_msg_free(msg);

    msg = dkim_msg_new(NULL);
    p.domain = "example.com";
    for (i = 0; i < 8; i++)
        dkim_msg_add_signer(msg, &p);
    TAP_CHECK(dkim_msg_add_signer(msg, &p) == DKIM_EINVAL, "ninth signer rejected");
    dkim_msg_free(msg);

    msg = dkim_msg_new(NULL);
    TAP_CHECK(dkim_msg_body(msg, "x", 1) == DKIM_EINVAL, "body before eoh rejected");
    dkim_msg_free(msg);

    msg = dkim_msg_new(NULL);
    dkim_msg_add_signer(msg, &p);
    dkim_msg_eoh(msg, false);
    TAP_CHECK(dkim_msg_header(msg, "To", 2, " x", 2) == DKIM_EINVAL,
              "header after eoh rejected");
    dkim_msg_free(msg);

    msg = dkim_msg_new(NULL);
    dkim_msg_add_signer(msg, &p);
    dkim_msg_eoh(msg, false);
    dkim_buf_init(&field, 1 << 16);
    TAP_CHECK(dkim_msg_sign(msg, 0, NOW, "\r\n", &field, err, sizeof(err)) == DKIM_EINVAL,
              "sign before eom rejected");
    dkim_msg_free(msg);

    msg = dkim_msg_new(NULL);
    dkim_msg_add_signer(msg, &p);
    dkim_msg_eoh(msg, false);
    dkim_msg_eom(msg);
    TAP_CHECK(dkim_msg_sign(msg, 1, NOW, "\r\n", &field, err, sizeof(err)) == DKIM_EINVAL,
              "sign index out of range");
    dkim_msg_free(msg);

    msg = dkim_msg_new(NULL);
    TAP_CHECK(dkim_msg_header(msg, "Bad:Name", 8, " x", 2) == DKIM_ESYNTAX,
              "colon in header name rejected");
    dkim_msg_free(msg);

    msg = dkim_msg_new(&limits);
    for (i = 0; i < 3; i++)
        dkim_msg_header(msg, "To", 2, " x", 2);
    TAP_CHECK(dkim_msg_header(msg, "To", 2, " x", 2) == DKIM_ELIMIT,
              "header count cap");
    dkim_msg_free(msg);

    limits.max_headers = 0;
    limits.max_header_bytes = 100;
    msg = dkim_msg_new(&limits);
    dkim_msg_header(msg, "To", 2, " 0123456789012345678901234567890123456789", 41);
    dkim_msg_header(msg, "To", 2, " 0123456789012345678901234567890123456789", 41);
    TAP_CHECK(dkim_msg_header(msg, "To", 2, " 0123456789012", 14) == DKIM_ELIMIT,
              "header byte cap");
    dkim_msg_free(msg);

    /* More instances than h= may list. */
    msg = dkim_msg_new(NULL);
    dkim_msg_add_signer(msg, &p);
    dkim_msg_header(msg, "From", 4, " a@example.com", 14);
    for (i = 0; i < SIG_MAX_HEADERS + 10; i++)
        dkim_msg_header(msg, "To", 2, " x@example.com", 14);
    dkim_msg_eoh(msg, false);
    dkim_msg_eom(msg);
    err[0] = '\0';
    TAP_CHECK(dkim_msg_sign(msg, 0, NOW, "\r\n", &field, err, sizeof(err)) == DKIM_ELIMIT,
              "too many fields to sign");
    TAP_CHECK(strstr(err, "header fields") != NULL, "too many fields reason (%s)", err);
    dkim_buf_free(&field);
    dkim_msg_free(msg);

    /* Exactly one From: none and two are both refused. */
    for (i = 0; i <= 2; i += 2) {
        unsigned j;

        msg = dkim_msg_new(NULL);
        dkim_msg_add_signer(msg, &p);
        for (j = 0; j < i; j++)
            dkim_msg_header(msg, "From", 4, " a@example.com", 14);
        dkim_msg_header(msg, "To", 2, " x@example.com", 14);
        dkim_msg_eoh(msg, false);
        dkim_msg_eom(msg);
        err[0] = '\0';
        TAP_CHECK(dkim_msg_sign(msg, 0, NOW, "\r\n", &field, err,
                                sizeof(err)) == DKIM_ESYNTAX,
                  "%u From fields refused", i);
        TAP_CHECK(strstr(err, "From") != NULL, "From count reason (%s)", err);
        dkim_buf_free(&field);
        dkim_msg_free(msg);
    }
    dkim_msg_free(NULL);
}

/* h= may name DKIM-Signature: the field being verified never counts as
 * one of the fields it signs, and a signature already present does. */
static void
test_signature_in_h(void)
{
    static const char *const with_sig[] = {"From", "DKIM-Signature", NULL};
    struct dkim_sign_params p = params_for(ed_key, "relaxed/relaxed");
    struct dkim_sign_params q = params_for(rsa_key, "simple/simple");
    struct dkim_sig_result r[2];
    enum dkim_stat st;
    char *once, *twice;
    unsigned n;

    p.exact_headers = with_sig;
    once = sign_text(base_msg, strlen(base_msg), &p, 1, 0, "\r\n", &st);
    n = verify_text(once, strlen(once), NOW, r, 2);
    TAP_CHECK(n == 1 && r[0].result == DKIM_RES_PASS,
              "h= lists DKIM-Signature, none present");

    q.headers = with_sig;
    twice = sign_text(once, strlen(once), &q, 1, 0, "\r\n", &st);
    n = verify_text(twice, strlen(twice), NOW, r, 2);
    TAP_CHECK(n == 2 && r[0].result == DKIM_RES_PASS,
              "h= with DKIM-Signature covers the older one");
    TAP_CHECK(n == 2 && r[1].result == DKIM_RES_FAIL,
              "newer field breaks older h= DKIM-Signature");
    free(once);
    free(twice);
}

static void
test_no_body(void)
{
    static const char msg[] = "From: a@example.com\r\nSubject: none\r\n";
    struct dkim_sign_params p = params_for(ed_key, "simple/simple");
    struct dkim_sig_result r[1];
    enum dkim_stat st;
    char *signed_msg = sign_text(msg, strlen(msg), &p, 1, 0, "\r\n", &st);

    verify_text(signed_msg, strlen(signed_msg), NOW, r, 1);
    TAP_CHECK(r[0].result == DKIM_RES_PASS, "message without body passes");
    free(signed_msg);
}

int
main(void)
{
    setup_keys();
    test_round_trips();
    test_layout();
    test_lf_output();
    test_oversign();
    test_shared_body_hash();
    test_expiry_and_length();
    test_identity_and_lists();
    test_rfc8463_sign();
    test_milter_style_header();
    test_hostile_calls();
    test_signature_in_h();
    test_no_body();
    dkim_privkey_free(rsa_key);
    dkim_privkey_free(ed_key);
    return tap_done();
}
