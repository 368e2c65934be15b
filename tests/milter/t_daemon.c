/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_daemon.c - known-answer and hostile-input tables for signetd's pure
 * helpers: Authentication-Results building and authserv-id matching,
 * header.b prefixes, log escaping, socket settings and outcome classes.
 */
#include "config.h"

#include <string.h>

#include "daemon/authres.h"
#include "daemon/log.h"
#include "daemon/policy.h"
#include "daemon/sockspec.h"
#include "tap.h"

static struct dkim_sig_result
result(enum dkim_result res, const char *d, const char *i, const char *s,
       const char *b, const char *reason)
{
    struct dkim_sig_result r;

    memset(&r, 0, sizeof(r));
    r.result = res;
    r.domain = (char *)(uintptr_t)d;
    r.identity = (char *)(uintptr_t)i;
    r.selector = (char *)(uintptr_t)s;
    r.algorithm = (char *)(uintptr_t)"rsa-sha256";
    r.b = (char *)(uintptr_t)b;
    snprintf(r.reason, sizeof(r.reason), "%s", reason);
    return r;
}

/* Build the A-R value for results and compare it with expected. */
static void
check_authres(const char *name, const char *authserv_id,
              const struct dkim_sig_result *results, unsigned count,
              const char *expected)
{
    struct dkim_buf out;
    enum dkim_stat st;

    dkim_buf_init(&out, 4096);
    st = authres_build(authserv_id, results, count, "\n", &out);
    TAP_CHECK(st == DKIM_OK, "authres %s builds", name);
    TAP_CHECK(out.data != NULL && strcmp(out.data, expected) == 0,
              "authres %s value", name);
    if (out.data != NULL && strcmp(out.data, expected) != 0)
        printf("#   got:      %s\n#   expected: %s\n", out.data, expected);
    dkim_buf_free(&out);
}

static void
test_authres_build(void)
{
    struct dkim_sig_result r[2];

    check_authres("none", "mx.test", NULL, 0, "mx.test; dkim=none");

    r[0] = result(DKIM_RES_PASS, "example.com", "@example.com", "s1",
                  "abcdefghijkl", "");
    check_authres("pass", "mx.test", r, 1,
                  "mx.test;\n\tdkim=pass header.d=example.com "
                  "header.i=@example.com header.s=s1 header.a=rsa-sha256 "
                  "header.b=abcdefgh");

    r[0] = result(DKIM_RES_FAIL, "ev\"il;x", "a b@c", "s\r\n1", "ab/cdefghi",
                  "bad\r\nX-Injected: yes");
    check_authres("hostile values quoted", "mx.test", r, 1,
                  "mx.test;\n\tdkim=fail reason=\"bad??X-Injected: yes\" "
                  "header.d=\"ev\\\"il;x\" header.i=\"a b@c\" "
                  "header.s=\"s??1\" header.a=rsa-sha256 "
                  "header.b=\"ab/cdefg\"");

    {
        char long_identity[400], expected[600];

        memset(long_identity, 'a', 300);
        strcpy(long_identity + 300, "@example.com");
        r[0] = result(DKIM_RES_PASS, "example.com", long_identity, "s1",
                      "abcdefghijkl", "");
        snprintf(expected, sizeof(expected),
                 "mx.test;\n\tdkim=pass header.d=example.com "
                 "header.i=@example.com header.s=s1 header.a=rsa-sha256 "
                 "header.b=abcdefgh");
        check_authres("over-long i= keeps its domain", "mx.test", r, 1,
                      expected);
    }

    r[0] = result(DKIM_RES_PASS, "example.com", "@example.com", "s1",
                  "AAAAAAAAAB", "");
    r[0].testing = true;
    r[0].dnssec_secure = true;
    r[1] = result(DKIM_RES_PERMERROR, NULL, NULL, NULL, NULL,
                  "missing required tag b");
    check_authres("comment and missing tags", "mx test", r, 2,
                  "\"mx test\";\n\tdkim=pass (DNSSEC-secure key, testing "
                  "mode) header.d=example.com header.i=@example.com "
                  "header.s=s1 header.a=rsa-sha256 header.b=AAAAAAAA;\n\t"
                  "dkim=permerror reason=\"missing required tag b\" "
                  "header.a=rsa-sha256");
}

static void
test_b_prefix(void)
{
    struct dkim_sig_result r[3];

    r[0] = result(DKIM_RES_FAIL, "d", "@d", "s", "AAAAAAAAAB12", "");
    r[1] = result(DKIM_RES_FAIL, "d", "@d", "s", "AAAAAAAAAC34", "");
    r[2] = result(DKIM_RES_FAIL, "d", "@d", "s", "ZZZZZZZZZZZZ", "");
    TAP_CHECK(authres_b_prefix_len(r, 3, 0) == 10, "b prefix extends to 10");
    TAP_CHECK(authres_b_prefix_len(r, 3, 1) == 10, "b prefix other to 10");
    TAP_CHECK(authres_b_prefix_len(r, 3, 2) == 8, "b prefix unique stays 8");

    r[1] = result(DKIM_RES_FAIL, "d", "@d", "s", "AAAAAAAAAB12", "");
    TAP_CHECK(authres_b_prefix_len(r, 2, 0) == 8,
              "b prefix identical copy stays 8");
    r[0] = result(DKIM_RES_FAIL, "d", "@d", "s", "AAA", "");
    TAP_CHECK(authres_b_prefix_len(r, 1, 0) == 3, "b prefix short b= whole");
}

static void
test_claims_id(void)
{
    static const struct {
        const char *value;
        int expected;
    } cases[] = {
        { " mx.test; dkim=pass", 1 },
        { " MX.Test; dkim=pass", 1 },
        { " (forged) mx.test; dkim=pass", 1 },
        { " (a (nested) comment)\n\tmx.test 1; dkim=pass", 1 },
        { " \"mx.test\"; dkim=pass", 1 },
        { " mx.test.evil; dkim=pass", 0 },
        { " other.test; mx.test", 0 },
        { " mx.tes; dkim=pass", 0 },
        { "", 0 },
        { " (unterminated comment mx.test;", 0 },
        { " \"mx.te\\st\"; x", 1 },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool got = authres_claims_id(cases[i].value, strlen(cases[i].value),
                                     "mx.test");
        TAP_CHECK(got == (cases[i].expected != 0), "claims id case %zu", i);
    }
}

static void
test_log_escape(void)
{
    char out[64], small[8];
    char longer[200];

    TAP_CHECK(strcmp(log_escape("plain", 100, out, sizeof(out)), "plain") ==
                  0,
              "escape plain text");
    TAP_CHECK(strcmp(log_escape("a\"b\\c\n\x01\xff", 100, out, sizeof(out)),
                     "a\\x22b\\x5cc\\x0a\\x01\\xff") == 0,
              "escape quotes, controls and 8-bit bytes");
    TAP_CHECK(strcmp(log_escape("abcdef", 3, out, sizeof(out)), "abc...") ==
                  0,
              "escape cuts at max_in");
    TAP_CHECK(strcmp(log_escape(NULL, 10, out, sizeof(out)), "") == 0,
              "escape NULL is empty");
    memset(longer, 'x', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    log_escape(longer, 1000, out, sizeof(out));
    TAP_CHECK(strlen(out) < sizeof(out) &&
                  strcmp(out + strlen(out) - 3, "...") == 0,
              "escape cuts at the output size");
    log_escape("abc", 10, small, 4);
    TAP_CHECK(small[0] == '\0', "escape tiny output stays empty");
}

/* 300 characters, more than any host buffer. */
#define LONG_HOST_30 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG_HOST                                                        \
    LONG_HOST_30 LONG_HOST_30 LONG_HOST_30 LONG_HOST_30 LONG_HOST_30     \
        LONG_HOST_30 LONG_HOST_30 LONG_HOST_30 LONG_HOST_30 LONG_HOST_30
/* 300 leading zeros of a port, more than the connection string holds. */
#define ZEROS_30 "000000000000000000000000000000"
#define ZEROS_300                                                        \
    ZEROS_30 ZEROS_30 ZEROS_30 ZEROS_30 ZEROS_30 ZEROS_30 ZEROS_30       \
        ZEROS_30 ZEROS_30 ZEROS_30

static void
test_sockspec(void)
{
    static const struct {
        const char *text;
        const char *conn; /* NULL: must be rejected */
    } cases[] = {
        { "inet:8891@127.0.0.1", "inet:8891@127.0.0.1" },
        { "inet6:8891@[::1]", "inet6:8891@::1" },
        { "inet6:8891@::1", "inet6:8891@::1" },
        { "unix:/run/signet/signet.sock", "unix:/run/signet/signet.sock" },
        { "local:/run/s.sock", "unix:/run/s.sock" },
        { "inet:0@127.0.0.1", NULL },
        { "inet:65536@127.0.0.1", NULL },
        { "inet:99999999999999999999@127.0.0.1", NULL },
        { "inet:88a1@127.0.0.1", NULL },
        { "inet:008891@127.0.0.1", NULL },
        { "inet:" ZEROS_300 "8891@127.0.0.1", NULL },
        { "inet:8891", NULL },
        { "inet:8891@localhost", NULL },
        { "inet:8891@::1", NULL },
        { "inet6:8891@[127.0.0.1]", NULL },
        { "inet6:1@[" LONG_HOST "]", NULL },
        { "unix:relative.sock", NULL },
        { "tcp:8891@127.0.0.1", NULL },
        { "", NULL },
    };
    struct sockspec spec;
    char err[512]; /* as in signetd_start, room for LONG_HOST */
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = sockspec_parse(cases[i].text, &spec, err, sizeof(err));

        if (cases[i].conn == NULL)
            TAP_CHECK(rc == -1 && strstr(err, cases[i].text) != NULL,
                      "socket \"%s\" rejected with its value", cases[i].text);
        else
            TAP_CHECK(rc == 0 && strcmp(spec.conn, cases[i].conn) == 0,
                      "socket \"%s\" parses", cases[i].text);
    }
}

static void
test_classify(void)
{
    struct dkim_sig_result r[3] = { 0 };

    TAP_CHECK(policy_classify(r, 0) == POLICY_NO_SIGNATURE,
              "classify no signature");
    r[0] = result(DKIM_RES_FAIL, "d", "@d", "s", "b", "");
    r[1] = result(DKIM_RES_PASS, "d", "@d", "s", "b", "");
    TAP_CHECK(policy_classify(r, 2) == POLICY_DELIVER,
              "classify one pass delivers");
    r[1] = result(DKIM_RES_TEMPERROR, "d", "@d", "s", "b", "");
    TAP_CHECK(policy_classify(r, 2) == POLICY_DNS_ERROR,
              "classify temperror beats fail");
    r[0] = result(DKIM_RES_PERMERROR, "d", "@d", "s", "b", "");
    TAP_CHECK(policy_classify(r, 1) == POLICY_BAD_SIGNATURE,
              "classify permerror is bad");
    r[0] = result(DKIM_RES_POLICY, "d", "@d", "s", "b", "");
    r[1] = result(DKIM_RES_NEUTRAL, "d", "@d", "s", "b", "");
    TAP_CHECK(policy_classify(r, 2) == POLICY_DELIVER,
              "classify policy and neutral deliver");
}

int
main(void)
{
    test_authres_build();
    test_b_prefix();
    test_claims_id();
    test_log_escape();
    test_sockspec();
    test_classify();
    return tap_done();
}
