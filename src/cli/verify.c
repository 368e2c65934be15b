/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verify.c - "signet verify": verify every DKIM signature of the message
 * on stdin and print the Authentication-Results field signetd would add.
 *
 * The field comes from the daemon's authres module, so signet and signetd
 * print the same text.  With -v, one line per signature also goes to
 * stderr, for example:
 *   signet verify: signature 1: result=fail d="example.com" s="s1"
 *   a="rsa-sha256" bits=2048 testing=no dnssec=no reason="body hash mismatch"
 * Values are quoted and escaped so that each line stays one line.
 *
 * Public: cli_verify_main.
 *
 * DIAGNOSTICS: exit 0 when a signature passes, 1 when signatures exist
 * and none passes, 2 when there is none.  Exit 75 when none passes and a
 * key lookup failed temporarily.  Errors: 64 for usage, 65 for input that
 * is not a message, 66 for an unusable --test-keys or --trust-anchor file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "conf/config.h"
#include "daemon/authres.h"
#include "dns/keylookup.h"

#define VERIFY_CMD "verify"
#define VERIFY_MAX_FIELD (64 * 1024)

struct verify_opts {
    struct cli_dns_opts dns;
    const char *authserv_id;
    const char *config_path; /* --config */
    long now;                /* -1: the current time */
    bool verbose;
    char hostname[256];
    /* Settings from --config, or the daemon's defaults. */
    struct dkim_limits limits;
    long clock_skew;
    unsigned min_key_bits;
};

static void
verify_usage(FILE *out)
{
    fprintf(out,
        "Usage: signet verify [OPTION]... < message\n"
        "Verify the DKIM signatures of the message on stdin and print the\n"
        "Authentication-Results field that signetd would add.\n\n"
        "  --authserv-id ID        authserv-id of the field (default: this "
        "host's name)\n"
        "  -c, --config FILE       take authserv_id, the dns settings, "
        "clock_skew,\n"
        "                          min_key_bits, max_signatures and "
        "max_header_bytes\n"
        "                          from signetd's configuration file; "
        "options given\n"
        "                          here take precedence\n"
        "  --now T                 verify as if the time were T, in seconds "
        "since\n"
        "                          the epoch (for x= and t=)\n"
        CLI_DNS_HELP
        "  -v, --verbose           also print one line per signature with "
        "its reason\n"
        "                          to stderr\n"
        "  -h, --help              print this help\n\n"
        "Exit status: 0 a signature passed, 1 signatures exist and none "
        "passed,\n2 no signature, 75 temporary DNS failure and none passed, "
        "64 usage error.\n");
}

/* An authserv-id is a token or a dot-atom host name (RFC 8601 2.5). */
static bool
verify_valid_authserv_id(const char *id)
{
    const char *p;

    if (id[0] == '\0' || strlen(id) > 255)
        return false;
    for (p = id; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;

        if (c <= 32 || c >= 127 || strchr("()<>@,;:\\\"/[]?=", c) != NULL)
            return false;
    }
    return true;
}

/* Returns -1 after --help, a CLI_EX_* code otherwise. */
static int
verify_parse_args(int argc, char **argv, struct verify_opts *o)
{
    static const struct option longopts[] = {
        { "authserv-id", required_argument, NULL, 'a' },
        { "config", required_argument, NULL, 'c' },
        { "now", required_argument, NULL, 'n' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        CLI_DNS_LONGOPTS,
        { NULL, 0, NULL, 0 },
    };
    int opt, rc;

    o->now = -1;
    while ((opt = getopt_long(argc, argv, "c:hv", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            verify_usage(stdout);
            return -1;
        case 'v':
            o->verbose = true;
            break;
        case 'a':
            o->authserv_id = optarg;
            break;
        case 'c':
            o->config_path = optarg;
            break;
        case 'n':
            if (!cli_parse_long(optarg, 0, 0x7fffffffffffL, &o->now))
                return cli_usage_error(VERIFY_CMD, "invalid --now value "
                                       "'%s': expected seconds since the "
                                       "epoch", optarg);
            break;
        case '?':
            return cli_usage_error(VERIFY_CMD, "invalid option");
        default:
            rc = cli_dns_option(VERIFY_CMD, &o->dns, opt, optarg);
            if (rc != CLI_EX_OK)
                return rc;
        }
    }
    if (optind < argc)
        return cli_usage_error(VERIFY_CMD, "unexpected argument '%s'; the "
                               "message is read from stdin", argv[optind]);

    return CLI_EX_OK;
}

static void
verify_config_report(void *arg, const char *message)
{
    (void)arg;
    fprintf(stderr, "%s\n", message);
}

/* Fill the settings the command line left open from the configuration.
 * The caller keeps conf until the end, because o points into it. */
static void
verify_apply_config(struct verify_opts *o, const struct config *conf)
{
    unsigned i;

    if (o->authserv_id == NULL)
        o->authserv_id = conf->authserv_id;
    if (o->dns.nameserver_count == 0 && o->dns.test_keys == NULL) {
        o->dns.test_keys = conf->test_keys;
        for (i = 0; i < CLI_MAX_NAMESERVERS && conf->nameservers != NULL &&
                    conf->nameservers[i] != NULL; i++)
            o->dns.nameservers[o->dns.nameserver_count++] =
                conf->nameservers[i];
    }
    if (o->dns.trust_anchor == NULL)
        o->dns.trust_anchor = conf->trust_anchor_file;
    if (o->dns.timeout == 0)
        o->dns.timeout = (long)conf->dns_timeout;
    o->clock_skew = conf->clock_skew;
    o->min_key_bits = conf->min_key_bits;
    o->limits.max_signatures = conf->max_signatures;
    o->limits.max_header_bytes = conf->max_header_bytes;
}

/* Load --config when given, then settle the authserv-id. */
static int
verify_settle(struct verify_opts *o, struct config **conf)
{
    o->clock_skew = 300;
    o->min_key_bits = 1024;
    if (o->config_path != NULL) {
        *conf = config_load(o->config_path, false, verify_config_report,
                            NULL);
        if (*conf == NULL) {
            cli_error(VERIFY_CMD, "%s: invalid configuration",
                      o->config_path);
            return CLI_EX_CONFIG;
        }
        verify_apply_config(o, *conf);
    }

    if (o->authserv_id == NULL) {
        if (gethostname(o->hostname, sizeof(o->hostname) - 1) != 0)
            strcpy(o->hostname, "localhost");
        o->authserv_id = o->hostname;
    }
    if (!verify_valid_authserv_id(o->authserv_id))
        return cli_usage_error(VERIFY_CMD, "invalid --authserv-id '%s': "
                               "expected a host name or a token",
                               o->authserv_id);
    return CLI_EX_OK;
}

/* Append ' key="value"' with the value escaped for a one-line log. */
static void
verify_kv(struct dkim_buf *line, const char *key, const char *value)
{
    if (value == NULL)
        return;
    dkim_buf_printf(line, " %s=\"", key);
    cli_append_escaped(line, value, strlen(value), "\"\\");
    dkim_buf_appendc(line, '"');
}

static void
verify_print_details(const struct dkim_sig_result *results, unsigned count,
                     unsigned ignored)
{
    struct dkim_buf line;
    unsigned i;

    dkim_buf_init(&line, 4096);
    for (i = 0; i < count; i++) {
        const struct dkim_sig_result *r = &results[i];

        dkim_buf_reset(&line);
        dkim_buf_printf(&line, "signature %u: result=%s", i + 1,
                        dkim_result_name(r->result));
        verify_kv(&line, "d", r->domain);
        verify_kv(&line, "s", r->selector);
        verify_kv(&line, "a", r->algorithm);
        dkim_buf_printf(&line, " bits=%u testing=%s dnssec=%s", r->key_bits,
                        r->testing ? "yes" : "no",
                        r->dnssec_secure ? "yes" : "no");
        verify_kv(&line, "reason", r->reason);
        cli_error(VERIFY_CMD, "%s", line.data ? line.data : "");
    }
    if (ignored > 0)
        cli_error(VERIFY_CMD, "%u more DKIM-Signature fields were not "
                  "verified (limit reached)", ignored);
    dkim_buf_free(&line);
}

/* 0 pass, 2 unsigned, 75 temperror without pass, 1 otherwise. */
static int
verify_exit_code(const struct dkim_sig_result *results, unsigned count)
{
    bool temperror = false;
    unsigned i;

    if (count == 0)
        return CLI_EX_NOSIG;
    for (i = 0; i < count; i++) {
        if (results[i].result == DKIM_RES_PASS)
            return CLI_EX_OK;
        if (results[i].result == DKIM_RES_TEMPERROR)
            temperror = true;
    }
    return temperror ? CLI_EX_TEMPFAIL : CLI_EX_FAIL;
}

static int
verify_report(const struct verify_opts *o, struct dkim_msg *msg,
              const struct dkim_sig_result *results, unsigned count)
{
    struct dkim_buf field;
    int rc;

    dkim_buf_init(&field, VERIFY_MAX_FIELD);
    if (authres_build(o->authserv_id, results, count, "\n", &field) !=
        DKIM_OK) {
        cli_error(VERIFY_CMD, "the Authentication-Results field is too "
                  "long");
        dkim_buf_free(&field);
        return CLI_EX_SOFTWARE;
    }
    printf("Authentication-Results: ");
    fwrite(field.data, 1, field.len, stdout);
    putchar('\n');
    dkim_buf_free(&field);
    if (fflush(stdout) != 0) {
        cli_error(VERIFY_CMD, "writing to stdout failed");
        return CLI_EX_IOERR;
    }

    if (o->verbose)
        verify_print_details(results, count,
                             dkim_msg_ignored_signatures(msg));
    rc = verify_exit_code(results, count);
    return rc;
}

static int
verify_run(const struct verify_opts *o, struct dkim_msg *msg,
           struct keylookup *kl)
{
    struct dkim_verify_params params;
    const struct dkim_sig_result *results = NULL;
    struct msgread_info info;
    unsigned count = 0;
    char err[256];
    enum dkim_stat stat;
    int rc;

    rc = msgread_feed(STDIN_FILENO, msg, true, o->limits.max_header_bytes,
                      NULL, &info, err, sizeof(err));
    if (rc != CLI_EX_OK) {
        cli_error(VERIFY_CMD, "stdin: %s", err);
        return rc;
    }

    memset(&params, 0, sizeof(params));
    params.now = o->now >= 0 ? (time_t)o->now : time(NULL);
    params.clock_skew = o->clock_skew;
    params.min_key_bits = o->min_key_bits;
    params.fetch = keylookup_fetch;
    params.fetch_arg = kl;
    stat = dkim_msg_verify(msg, &params, &results, &count);
    if (stat != DKIM_OK) {
        cli_error(VERIFY_CMD, "verification failed: %s",
                  dkim_stat_name(stat));
        return CLI_EX_SOFTWARE;
    }
    return verify_report(o, msg, results, count);
}

int
cli_verify_main(int argc, char **argv)
{
    struct verify_opts opts;
    struct config *conf = NULL;
    struct keylookup *kl = NULL;
    struct dkim_msg *msg = NULL;
    int rc;

    memset(&opts, 0, sizeof(opts));
    rc = verify_parse_args(argc, argv, &opts);
    if (rc != CLI_EX_OK)
        return rc < 0 ? CLI_EX_OK : rc;

    rc = verify_settle(&opts, &conf);
    if (rc == CLI_EX_OK)
        rc = cli_dns_open(VERIFY_CMD, &opts.dns, &kl);
    if (rc != CLI_EX_OK) {
        config_unref(conf);
        return rc;
    }
    msg = dkim_msg_new(&opts.limits);
    if (msg == NULL) {
        cli_error(VERIFY_CMD, "out of memory");
        rc = CLI_EX_SOFTWARE;
    } else {
        rc = verify_run(&opts, msg, kl);
    }

    dkim_msg_free(msg);
    keylookup_free(kl);
    config_unref(conf);
    return rc;
}
