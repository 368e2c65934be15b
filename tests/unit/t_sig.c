/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_sig.c - DKIM-Signature parser: the example signatures of RFC 6376
 * Appendix A.2 and RFC 8463 Appendix A.3, then hostile rows.
 */
#include <stdio.h>
#include <string.h>

#include "dkim/sig.h"
#include "tap.h"

/* RFC 6376 A.2, the value after "DKIM-Signature:". */
static const char rfc6376_sig[] =
    " v=1; a=rsa-sha256; s=brisbane; d=example.com;\r\n"
    "      c=simple/simple; q=dns/txt; i=joe@football.example.com;\r\n"
    "      h=Received : From : To : Subject : Date : Message-ID;\r\n"
    "      bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    "      b=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB\r\n"
    "        4nujc7YopdG5dWLSdNg6xNAZpOPr+kHxt1IrE+NahM6L/LbvaHut\r\n"
    "        KVdkLLkpVaVVQPzeRDI009SO2Il5Lu7rDNH6mZckBdrIx0orEtZV\r\n"
    "        4bmp/YzhwvcubU4=;";

/* RFC 8463 A.3, the Ed25519 signature. */
static const char rfc8463_sig[] =
    " v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
    " subject : date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
    " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==";

static void
test_rfc6376(void)
{
    struct dkim_sig *sig = NULL;
    char err[128] = "";
    const char *b;

    TAP_CHECK(dkim_sig_parse(rfc6376_sig, strlen(rfc6376_sig), &sig, err,
                             sizeof(err)) == DKIM_OK,
              "sig rfc6376 parses (%s)", err);
    if (sig == NULL)
        return;
    TAP_CHECK(sig->alg == DKIM_ALG_RSA_SHA256 &&
                  strcmp(sig->alg_text, "rsa-sha256") == 0,
              "sig rfc6376 algorithm");
    TAP_CHECK(strcmp(sig->domain, "example.com") == 0, "sig rfc6376 d=");
    TAP_CHECK(strcmp(sig->selector, "brisbane") == 0, "sig rfc6376 s=");
    TAP_CHECK(sig->has_identity &&
                  strcmp(sig->identity, "joe@football.example.com") == 0,
              "sig rfc6376 i=");
    TAP_CHECK(sig->header_canon == DKIM_CANON_SIMPLE &&
                  sig->body_canon == DKIM_CANON_SIMPLE,
              "sig rfc6376 c=");
    TAP_CHECK(sig->header_count == 6 &&
                  strcmp(sig->headers[0], "Received") == 0 &&
                  strcmp(sig->headers[5], "Message-ID") == 0,
              "sig rfc6376 h=");
    TAP_CHECK(sig->bh_len == 32 && sig->bh[0] == 0xda && sig->bh[31] == 0xff,
              "sig rfc6376 bh=");
    TAP_CHECK(sig->b_len == 128, "sig rfc6376 b= length");
    TAP_CHECK(!sig->has_timestamp && !sig->has_expire && !sig->has_length,
              "sig rfc6376 no t x l");

    /* The b= value runs from "AuUo" to "bU4=", folding included. */
    b = rfc6376_sig + sig->b_value_offset;
    TAP_CHECK(strncmp(b, "AuUo", 4) == 0 && sig->b_value_len > 4 &&
                  strncmp(b + sig->b_value_len - 4, "bU4=", 4) == 0,
              "sig rfc6376 b= position");
    TAP_CHECK(strncmp(sig->b_text, "AuUoFEfDxTDkHlLX", 16) == 0 &&
                  strlen(sig->b_text) == 172 &&
                  strchr(sig->b_text, ' ') == NULL,
              "sig rfc6376 b_text");
    dkim_sig_free(sig);
}

static void
test_rfc8463(void)
{
    struct dkim_sig *sig = NULL;
    char err[128] = "";

    TAP_CHECK(dkim_sig_parse(rfc8463_sig, strlen(rfc8463_sig), &sig, err,
                             sizeof(err)) == DKIM_OK,
              "sig rfc8463 parses (%s)", err);
    if (sig == NULL)
        return;
    TAP_CHECK(sig->alg == DKIM_ALG_ED25519_SHA256, "sig rfc8463 algorithm");
    TAP_CHECK(sig->header_canon == DKIM_CANON_RELAXED &&
                  sig->body_canon == DKIM_CANON_RELAXED,
              "sig rfc8463 c=");
    TAP_CHECK(sig->has_timestamp && sig->timestamp == 1528637909,
              "sig rfc8463 t=");
    TAP_CHECK(sig->header_count == 8 && strcmp(sig->headers[1], "to") == 0 &&
                  strcmp(sig->headers[4], "message-id") == 0 &&
                  strcmp(sig->headers[7], "date") == 0,
              "sig rfc8463 h= with fws");
    TAP_CHECK(sig->b_len == 64 && sig->bh_len == 32, "sig rfc8463 b= bh=");
    TAP_CHECK(strcmp(sig->identity, "@football.example.com") == 0,
              "sig rfc8463 i=");
    TAP_CHECK(rfc8463_sig[sig->b_value_offset] == '/' &&
                  sig->b_value_offset + sig->b_value_len == strlen(rfc8463_sig),
              "sig rfc8463 b= position");
    dkim_sig_free(sig);
}

#define BH "bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; "
#define BASE "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; b=AAAA; " BH

static const struct sig_row {
    const char *name;
    const char *input;
    enum dkim_stat stat;
    const char *reason;
} rows[] = {
    {"minimal", BASE, DKIM_OK, NULL},
    {"v anywhere",
     "a=rsa-sha256; v=1; d=example.com; s=sel; h=from; "
     "b=AAAA; " BH,
     DKIM_OK, NULL},
    {"unknown tags ignored", BASE "zz=1; y_2=x", DKIM_OK, NULL},
    {"unknown algorithm",
     "v=1; a=rsa-sha512; d=example.com; s=sel; h=from; "
     "b=AAAA; bh=AAAA",
     DKIM_OK, NULL},
    {"missing v", "a=rsa-sha256; d=example.com; s=sel; h=from; b=AAAA; " BH,
     DKIM_ESYNTAX, "missing required tag v"},
    {"missing a", "v=1; d=example.com; s=sel; h=from; b=AAAA; " BH,
     DKIM_ESYNTAX, "missing required tag a"},
    {"missing b", "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; " BH,
     DKIM_ESYNTAX, "missing required tag b"},
    {"missing bh", "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; b=AAAA",
     DKIM_ESYNTAX, "missing required tag bh"},
    {"missing d", "v=1; a=rsa-sha256; s=sel; h=from; b=AAAA; " BH, DKIM_ESYNTAX,
     "missing required tag d"},
    {"missing h", "v=1; a=rsa-sha256; d=example.com; s=sel; b=AAAA; " BH,
     DKIM_ESYNTAX, "missing required tag h"},
    {"missing s", "v=1; a=rsa-sha256; d=example.com; h=from; b=AAAA; " BH,
     DKIM_ESYNTAX, "missing required tag s"},
    {"version 2",
     "v=2; a=rsa-sha256; d=example.com; s=sel; h=from; b=AAAA; " BH,
     DKIM_ESYNTAX, "tag v: unsupported version \"2\""},
    {"version 1.0",
     "v=1.0; a=rsa-sha256; d=example.com; s=sel; h=from; "
     "b=AAAA; " BH,
     DKIM_ESYNTAX, "unsupported version"},
    {"bad algorithm syntax",
     "v=1; a=rsa_sha256; d=example.com; s=sel; "
     "h=from; b=AAAA; " BH,
     DKIM_ESYNTAX, "tag a: invalid algorithm"},
    {"duplicate tag", BASE "d=example.org", DKIM_ESYNTAX, "duplicate tag d"},
    {"bh bad char",
     "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; "
     "b=AAAA; bh=AA*A",
     DKIM_ESYNTAX, "tag bh: invalid base64 character 0x2a at offset 62"},
    {"bh bad padding",
     "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; "
     "b=AAAA; bh=AAA",
     DKIM_ESYNTAX, "tag bh: invalid base64"},
    {"bh too short",
     "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; "
     "b=AAAA; bh=AAAA",
     DKIM_ESYNTAX, "tag bh: 3 bytes where rsa-sha256 needs 32"},
    {"bh sha1 length",
     "v=1; a=rsa-sha1; d=example.com; s=sel; h=from; "
     "b=AAAA; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
     DKIM_OK, NULL},
    {"empty b", "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; b=; " BH,
     DKIM_ESYNTAX, "tag b: invalid base64"},
    {"empty bh",
     "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; b=AAAA; "
     "bh=",
     DKIM_ESYNTAX, "tag bh: invalid base64"},
    {"c relaxed alone", BASE "c=relaxed", DKIM_OK, NULL},
    {"c unknown", BASE "c=nowsp/simple", DKIM_ESYNTAX,
     "tag c: unknown canonicalization \"nowsp/simple\""},
    {"c with space", BASE "c=relaxed/ relaxed", DKIM_ESYNTAX, "tag c"},
    {"d single label", "v=1; a=rsa-sha256; d=com; s=sel; h=from; b=AAAA; " BH,
     DKIM_ESYNTAX, "tag d: invalid domain \"com\""},
    {"d trailing dot",
     "v=1; a=rsa-sha256; d=example.com.; s=sel; h=from; "
     "b=AAAA; " BH,
     DKIM_ESYNTAX, "tag d: invalid domain"},
    {"d empty label",
     "v=1; a=rsa-sha256; d=example..com; s=sel; h=from; "
     "b=AAAA; " BH,
     DKIM_ESYNTAX, "tag d"},
    {"d hyphen edge",
     "v=1; a=rsa-sha256; d=-example.com; s=sel; h=from; "
     "b=AAAA; " BH,
     DKIM_ESYNTAX, "tag d"},
    {"d with at",
     "v=1; a=rsa-sha256; d=joe@example.com; s=sel; h=from; "
     "b=AAAA; " BH,
     DKIM_ESYNTAX, "tag d"},
    {"d long label",
     "v=1; a=rsa-sha256; d=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com; s=sel; h=from; "
     "b=AAAA; " BH,
     DKIM_ESYNTAX, "tag d"},
    {"s with underscore",
     "v=1; a=rsa-sha256; d=example.com; s=sel_1.a-b; "
     "h=from; b=AAAA; " BH,
     DKIM_OK, NULL},
    {"s with slash",
     "v=1; a=rsa-sha256; d=example.com; s=../x; h=from; "
     "b=AAAA; " BH,
     DKIM_ESYNTAX, "tag s: invalid selector"},
    {"s empty", "v=1; a=rsa-sha256; d=example.com; s=; h=from; b=AAAA; " BH,
     DKIM_ESYNTAX, "tag s"},
    {"h empty", "v=1; a=rsa-sha256; d=example.com; s=sel; h=; b=AAAA; " BH,
     DKIM_ESYNTAX, "tag h: invalid header name"},
    {"h empty item",
     "v=1; a=rsa-sha256; d=example.com; s=sel; h=from::to; "
     "b=AAAA; " BH,
     DKIM_ESYNTAX, "tag h"},
    {"h trailing colon",
     "v=1; a=rsa-sha256; d=example.com; s=sel; h=from:; "
     "b=AAAA; " BH,
     DKIM_ESYNTAX, "tag h"},
    {"h space in name",
     "v=1; a=rsa-sha256; d=example.com; s=sel; "
     "h=fr om; b=AAAA; " BH,
     DKIM_ESYNTAX, "tag h"},
    {"i qp decoded", BASE "i==73ender@example.com", DKIM_OK, NULL},
    {"i without at", BASE "i=example.com", DKIM_ESYNTAX,
     "tag i: invalid identity"},
    {"i bad domain", BASE "i=joe@", DKIM_ESYNTAX, "tag i: invalid identity"},
    {"i control char", BASE "i=joe=0A@example.com", DKIM_ESYNTAX,
     "tag i: invalid quoted-printable at offset"},
    {"i nul", BASE "i=joe=00@example.com", DKIM_ESYNTAX, "tag i"},
    {"i bad hex", BASE "i=joe=G1@example.com", DKIM_ESYNTAX, "tag i"},
    {"i truncated hex", BASE "i=joe@example.com=4", DKIM_ESYNTAX, "tag i"},
    {"l number", BASE "l=0", DKIM_OK, NULL},
    {"l max", BASE "l=18446744073709551615", DKIM_OK, NULL},
    {"l overflow", BASE "l=18446744073709551616", DKIM_ESYNTAX,
     "tag l: number too large"},
    {"l sign", BASE "l=-1", DKIM_ESYNTAX, "tag l: invalid character 0x2d"},
    {"l empty", BASE "l=", DKIM_ESYNTAX, "tag l: empty value"},
    {"q dns/txt", BASE "q=dns/txt", DKIM_OK, NULL},
    {"q list", BASE "q=foo/bar : dns/txt", DKIM_OK, NULL},
    {"q other", BASE "q=dns/foo", DKIM_ESYNTAX, "tag q"},
    {"t and x", BASE "t=100; x=200", DKIM_OK, NULL},
    {"x equals t", BASE "t=100; x=100", DKIM_OK, NULL},
    {"x before t", BASE "t=200; x=100", DKIM_ESYNTAX,
     "tag x: expiration before t="},
    {"t with space", BASE "t=1 2", DKIM_ESYNTAX, "tag t"},
    {"t 12 digits", BASE "t=999999999999", DKIM_OK, NULL},
    {"t 13 digits", BASE "t=0999999999999", DKIM_ESYNTAX,
     "tag t: more than 12 digits"},
    {"x huge", BASE "x=18446744073709551615", DKIM_ESYNTAX,
     "tag x: more than 12 digits"},
    {"b too long", "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; " BH "b=",
     DKIM_ELIMIT, "tag b: longer than 1024 bytes"},
    {"empty", "", DKIM_ESYNTAX, "empty tag list"},
    {"tag-list error", BASE "x=\x01", DKIM_ESYNTAX, "tag x: invalid character"},
};

/* Build an input with SIG_MAX_HEADERS header names, then one more. */
static void
test_header_cap(void)
{
    char input[8192];
    size_t len;
    struct dkim_sig *sig = NULL;
    char err[128] = "";
    int i;

    len = (size_t)snprintf(input, sizeof(input), "%s h=", BASE);
    /* BASE already has h=; rename it so there is no duplicate. */
    memcpy(strstr(input, "h=from"), "z=from", 6);
    for (i = 0; i < SIG_MAX_HEADERS; i++)
        len += (size_t)snprintf(input + len, sizeof(input) - len, "%sh%d",
                                i ? ":" : "", i);
    TAP_CHECK(dkim_sig_parse(input, len, &sig, err, sizeof(err)) == DKIM_OK &&
                  sig != NULL && sig->header_count == SIG_MAX_HEADERS,
              "sig %d header names (%s)", SIG_MAX_HEADERS, err);
    dkim_sig_free(sig);
    sig = NULL;

    len += (size_t)snprintf(input + len, sizeof(input) - len, ":extra");
    TAP_CHECK(dkim_sig_parse(input, len, &sig, err, sizeof(err)) == DKIM_ELIMIT,
              "sig %d header names rejected", SIG_MAX_HEADERS + 1);
    TAP_CHECK(sig == NULL, "sig output NULL on failure");
    TAP_CHECK(strstr(err, "more than 512 names") != NULL,
              "sig header cap reason");
}

static void
test_rows(void)
{
    char big[2048];
    size_t i;

    /* The "b too long" row gets 1,372 base64 characters (1,029 bytes). */
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct sig_row *row = &rows[i];
        const char *input = row->input;
        struct dkim_sig *sig = NULL;
        char err[128] = "";
        enum dkim_stat st;

        if (strcmp(row->name, "b too long") == 0) {
            size_t n = (size_t)snprintf(big, sizeof(big), "%s", row->input);

            memset(big + n, 'A', 1372);
            big[n + 1372] = '\0';
            input = big;
        }
        st = dkim_sig_parse(input, strlen(input), &sig, err, sizeof(err));
        TAP_CHECK(st == row->stat, "sig %s status %d (%s)", row->name, st, err);
        TAP_CHECK((st == DKIM_OK) == (sig != NULL), "sig %s output", row->name);
        if (row->reason != NULL)
            TAP_CHECK(strstr(err, row->reason) != NULL, "sig %s reason",
                      row->name);
        dkim_sig_free(sig);
    }
}

/* FWS between "b=" and the value belongs to the span the verifier blanks;
 * FWS after the value does not. */
static void
test_b_span(void)
{
    static const char in[] = "v=1; a=rsa-sha256; d=example.com; s=sel; "
                             "h=from; " BH "b=\r\n\tAAAA\r\n BBBB  ; x=9";
    struct dkim_sig *sig = NULL;
    char err[128] = "";
    size_t eq = (size_t)(strstr(in, "b=\r\n") - in) + 2;

    TAP_CHECK(dkim_sig_parse(in, strlen(in), &sig, err, sizeof(err)) == DKIM_OK,
              "sig folded b= parses (%s)", err);
    if (sig == NULL)
        return;
    TAP_CHECK(sig->b_value_offset == eq, "sig b= span starts after equals");
    TAP_CHECK(sig->b_value_len == strlen("\r\n\tAAAA\r\n BBBB"),
              "sig b= span ends at value");
    TAP_CHECK(strcmp(sig->b_text, "AAAABBBB") == 0 && sig->b_len == 6,
              "sig folded b= decoded");
    dkim_sig_free(sig);
}

static void
test_values(void)
{
    struct dkim_sig *sig = NULL;
    char err[128];
    const char *in;

    in = BASE "i==73ender@example.com; l=42; x=5";
    if (dkim_sig_parse(in, strlen(in), &sig, err, sizeof(err)) == DKIM_OK) {
        TAP_CHECK(strcmp(sig->identity, "sender@example.com") == 0,
                  "sig i= quoted-printable value");
        TAP_CHECK(sig->has_length && sig->length == 42, "sig l= value");
        TAP_CHECK(sig->has_expire && sig->expire == 5 && !sig->has_timestamp,
                  "sig x= without t=");
        TAP_CHECK(strcmp(sig->identity, "sender@example.com") == 0,
                  "sig identity");
    } else {
        TAP_CHECK(0, "sig values parse (%s)", err);
    }
    dkim_sig_free(sig);
    sig = NULL;

    in = "v=1; a=rsa-sha512; d=example.com; s=sel; h=from; b=AAAA; bh=AAAA";
    if (dkim_sig_parse(in, strlen(in), &sig, err, sizeof(err)) == DKIM_OK) {
        TAP_CHECK(sig->alg == DKIM_ALG_UNKNOWN &&
                      strcmp(sig->alg_text, "rsa-sha512") == 0,
                  "sig unknown algorithm kept");
        TAP_CHECK(strcmp(sig->identity, "@example.com") == 0,
                  "sig default identity");
        TAP_CHECK(sig->header_canon == DKIM_CANON_SIMPLE &&
                      sig->body_canon == DKIM_CANON_SIMPLE,
                  "sig default canonicalization");
    } else {
        TAP_CHECK(0, "sig unknown algorithm parse (%s)", err);
    }
    dkim_sig_free(sig);

    TAP_CHECK(dkim_sig_parse("v=1", 3, NULL, NULL, 0) == DKIM_EINVAL,
              "sig null output");
    dkim_sig_free(NULL);
}

int
main(void)
{
    test_rfc6376();
    test_rfc8463();
    test_rows();
    test_header_cap();
    test_b_span();
    test_values();
    return tap_done();
}
