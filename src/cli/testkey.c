/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * testkey.c - "signet testkey": look up the published key record for a
 * selector and check it against the private key that will sign with it.
 *
 * The TXT query at SELECTOR._domainkey.DOMAIN follows CNAMEs (the
 * provider-delegation style).  Every problem found is printed as a
 * "problem:" line: no record, several DKIM records, a record that does not
 * parse (with the tag), a revoked key, a key type or key that differs from
 * the private key, an RSA key under 1024 bits, h= without sha256, s=
 * without email, a DNSSEC validation failure.  A t=y (testing) record and
 * an answer that was not DNSSEC-validated give "warning:" lines.
 *
 * Public: cli_testkey_main.
 *
 * DIAGNOSTICS: exit 0 when the record matches, 1 on a mismatch or any
 * problem, 75 on a temporary DNS failure, 64 on usage errors, 66 when the
 * private key cannot be read, 65 when it is unusable.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "dkim/tagl.h"
#include "dns/keylookup.h"

#define TESTKEY_CMD "testkey"

struct testkey_opts {
    struct cli_dns_opts dns;
    const char *domain, *selector, *key_file;
};

struct testkey_state {
    const struct dkim_privkey *priv;
    unsigned problems;
    unsigned dkim_records;
};

static void
testkey_usage(FILE *out)
{
    fprintf(out,
        "Usage: signet testkey --domain D --selector S --key FILE "
        "[OPTION]...\n"
        "Look up the TXT record at S._domainkey.D (following CNAMEs) and "
        "check that\nit publishes the public half of the private key in "
        "FILE.\n\n"
        "  --domain D              signing domain\n"
        "  --selector S            selector\n"
        "  --key FILE              private key (PEM or base64 Ed25519 "
        "seed)\n"
        CLI_DNS_HELP
        "  -h, --help              print this help\n\n"
        "Exit status: 0 the record matches, 1 mismatch or another problem, "
        "75 temporary\nDNS failure, 64 usage error.\n");
}

/* Returns -1 after --help, a CLI_EX_* code otherwise. */
static int
testkey_parse_args(int argc, char **argv, struct testkey_opts *o)
{
    static const struct option longopts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "selector", required_argument, NULL, 's' },
        { "key", required_argument, NULL, 'k' },
        { "help", no_argument, NULL, 'h' },
        CLI_DNS_LONGOPTS,
        { NULL, 0, NULL, 0 },
    };
    int opt, rc;

    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h': testkey_usage(stdout); return -1;
        case 'd': o->domain = optarg; break;
        case 's': o->selector = optarg; break;
        case 'k': o->key_file = optarg; break;
        case '?': return cli_usage_error(TESTKEY_CMD, "invalid option");
        default:
            rc = cli_dns_option(TESTKEY_CMD, &o->dns, opt, optarg);
            if (rc != CLI_EX_OK)
                return rc;
        }
    }
    if (optind < argc)
        return cli_usage_error(TESTKEY_CMD, "unexpected argument '%s'",
                               argv[optind]);
    if (o->domain == NULL || o->selector == NULL || o->key_file == NULL)
        return cli_usage_error(TESTKEY_CMD, "--domain, --selector and --key "
                               "are required");
    if (!cli_valid_dns_name(o->domain))
        return cli_usage_error(TESTKEY_CMD, "invalid domain '%s': " CLI_DNS_NAME_RULE,
                               o->domain);
    if (!cli_valid_dns_name(o->selector))
        return cli_usage_error(TESTKEY_CMD, "invalid selector '%s': " CLI_DNS_NAME_RULE,
                               o->selector);
    return CLI_EX_OK;
}

static void
testkey_problem(struct testkey_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
testkey_problem(struct testkey_state *st, const char *fmt, ...)
{
    va_list ap;

    printf("problem: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    st->problems++;
}

/* True when the colon-separated list value contains one of the words. */
static bool
testkey_list_has(const struct tagl_tag *tag, const char *word1,
                 const char *word2)
{
    const char *p = tag->value, *end = tag->value + tag->value_len;

    while (p < end) {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        const char *item_end = colon ? colon : end;
        size_t len;

        while (p < item_end && strchr(" \t\r\n", *p) != NULL)
            p++;
        len = (size_t)(item_end - p);
        while (len > 0 && strchr(" \t\r\n", p[len - 1]) != NULL)
            len--;
        if ((len == strlen(word1) && memcmp(p, word1, len) == 0) ||
            (word2 != NULL && len == strlen(word2) &&
             memcmp(p, word2, len) == 0))
            return true;
        p = item_end + 1;
    }
    return false;
}

/* Check h= and s=, which dkim.h does not expose for a parsed key. */
static void
testkey_check_tags(struct testkey_state *st, const char *txt)
{
    struct tagl tags;
    const struct tagl_tag *tag;
    char err[160];

    if (tagl_parse(txt, strlen(txt), &tags, err, sizeof(err)) != DKIM_OK)
        return; /* dkim_keyrec_parse already reported it */
    tag = tagl_find(&tags, "h");
    if (tag != NULL && !testkey_list_has(tag, "sha256", NULL))
        testkey_problem(st, "h= does not list sha256, so verifiers reject "
                        "every signature Signet makes with this key");
    tag = tagl_find(&tags, "s");
    if (tag != NULL && !testkey_list_has(tag, "*", "email"))
        testkey_problem(st, "s= lists neither \"*\" nor \"email\", so the "
                        "key may not be used for mail");
}

static void
testkey_check_key(struct testkey_state *st, const struct dkim_keyrec *key,
                  const char *txt)
{
    enum dkim_alg want = dkim_privkey_alg(st->priv);
    enum dkim_alg have = dkim_keyrec_alg(key);

    if (dkim_keyrec_revoked(key)) {
        testkey_problem(st, "the record is revoked (empty p=)");
        return;
    }
    if (have != want) {
        testkey_problem(st, "the record is for %s keys but the private key "
                        "is %s", dkim_alg_name(have), dkim_alg_name(want));
        return;
    }
    if (!dkim_keyrec_matches(key, st->priv))
        testkey_problem(st, "the public key in the record is not the public "
                        "half of the private key");
    else
        printf("The public key in the record matches the private key "
               "(%s, %u bits).\n", dkim_alg_name(have),
               dkim_keyrec_bits(key));
    if (have == DKIM_ALG_RSA_SHA256 && dkim_keyrec_bits(key) < 1024)
        testkey_problem(st, "the RSA key has %u bits; verifiers reject keys "
                        "under 1024 bits (RFC 8301)", dkim_keyrec_bits(key));
    if (dkim_keyrec_testing(key))
        printf("warning: the record has t=y (testing); verifiers may treat "
               "failures as if the message were unsigned\n");
    testkey_check_tags(st, txt);
}

/* A TXT record at the name is a DKIM key record when it parses as one or
 * starts with "v=DKIM1". */
static void
testkey_check_record(struct testkey_state *st, unsigned idx, const char *txt)
{
    struct dkim_keyrec *key = NULL;
    char err[160];
    enum dkim_stat stat;

    stat = dkim_keyrec_parse(txt, strlen(txt), &key, err, sizeof(err));
    if (stat != DKIM_OK) {
        if (strncmp(txt, "v=DKIM1", 7) == 0) {
            st->dkim_records++;
            testkey_problem(st, "record %u does not parse: %s", idx + 1,
                            err);
        } else {
            printf("Record %u is not a DKIM key record and is ignored: %s\n",
                   idx + 1, err);
        }
        return;
    }
    st->dkim_records++;
    testkey_check_key(st, key, txt);
    dkim_keyrec_unref(key);
}

static void
testkey_print_dnssec(const struct keylookup_report *report,
                     const struct testkey_opts *o)
{
    if (report->secure)
        printf("DNSSEC: the answer is secure.\n");
    else if (o->dns.trust_anchor != NULL)
        printf("warning: the answer is not DNSSEC-signed (insecure)\n");
    else if (o->dns.test_keys == NULL)
        printf("DNSSEC: not checked (no --trust-anchor given).\n");
}

static int
testkey_examine(const struct testkey_opts *o, struct testkey_state *st,
                const struct keylookup_report *report, const char *name)
{
    unsigned i;

    /* A bogus answer fails again on every retry until the zone or the
     * trust anchor is fixed, so it is a problem, not a temporary failure. */
    if (report->bogus) {
        testkey_problem(st, "%s: %s", name, report->reason);
        return CLI_EX_FAIL;
    }
    if (report->status == DKIM_KEY_TEMPFAIL) {
        cli_error(TESTKEY_CMD, "temporary DNS failure for %s: %s", name,
                  report->reason);
        return CLI_EX_TEMPFAIL;
    }
    if (report->cname_target[0] != '\0')
        printf("%s is an alias (CNAME) for %s.\n", name,
               report->cname_target);
    if (report->status != DKIM_KEY_FOUND || report->record_count == 0) {
        testkey_problem(st, "no TXT record at %s%s%s", name,
                        report->reason[0] ? ": " : "", report->reason);
        return CLI_EX_FAIL;
    }

    if (report->record_total > report->record_count)
        printf("Found %u TXT records at %s; showing %u, key records "
               "first.\n", report->record_total, name, report->record_count);
    else
        printf("Found %u TXT record%s at %s.\n", report->record_count,
               report->record_count == 1 ? "" : "s", name);
    for (i = 0; i < report->record_count && i < 8; i++) {
        if (report->record_count > 1)
            printf("Record %u:\n", i + 1);
        testkey_check_record(st, i, report->records[i]);
    }
    if (st->dkim_records == 0)
        testkey_problem(st, "none of the TXT records is a DKIM key record");
    if (st->dkim_records > 1)
        testkey_problem(st, "%u DKIM key records: verifiers may use any one "
                        "of them, so publish exactly one", st->dkim_records);
    testkey_print_dnssec(report, o);
    return st->problems == 0 ? CLI_EX_OK : CLI_EX_FAIL;
}

static int
testkey_run(const struct testkey_opts *o, struct dkim_privkey *priv)
{
    struct testkey_state st = { priv, 0, 0 };
    struct keylookup_report report;
    struct keylookup *kl = NULL;
    char *name = NULL;
    int rc;

    rc = cli_dns_open(TESTKEY_CMD, &o->dns, &kl);
    if (rc != CLI_EX_OK)
        return rc;
    if (asprintf(&name, "%s._domainkey.%s", o->selector, o->domain) < 0) {
        keylookup_free(kl);
        cli_error(TESTKEY_CMD, "out of memory");
        return CLI_EX_SOFTWARE;
    }

    memset(&report, 0, sizeof(report));
    keylookup_query(kl, name, &report);
    rc = testkey_examine(o, &st, &report, name);
    if (rc == CLI_EX_OK)
        printf("OK: %s publishes the key.\n", name);
    else if (rc == CLI_EX_FAIL)
        printf("FAILED: %u problem%s with %s.\n", st.problems,
               st.problems == 1 ? "" : "s", name);

    keylookup_report_free(&report);
    keylookup_free(kl);
    free(name);
    return rc;
}

int
cli_testkey_main(int argc, char **argv)
{
    struct testkey_opts opts;
    struct dkim_privkey *priv = NULL;
    int rc;

    memset(&opts, 0, sizeof(opts));
    rc = testkey_parse_args(argc, argv, &opts);
    if (rc != CLI_EX_OK)
        return rc < 0 ? CLI_EX_OK : rc;

    rc = cli_load_key(TESTKEY_CMD, opts.key_file, &priv);
    if (rc != CLI_EX_OK)
        return rc;
    rc = testkey_run(&opts, priv);
    dkim_privkey_free(priv);
    return rc;
}
