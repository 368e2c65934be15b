/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sign.c - "signet sign": sign the message on stdin and write it to stdout
 * with the DKIM-Signature field prepended.
 *
 * The input may use LF or CRLF line ends.  The core hashes it as CRLF, and
 * the output keeps the input bytes unchanged, with the new field written
 * in the line-end style of the input's first line.  While the body
 * streams into the hash, it is also copied to an unlinked temporary file.
 * The output is written from that copy, so it holds exactly the bytes
 * hashed, even when stdin is a file that changes meanwhile.
 *
 * Public: cli_sign_main.
 *
 * DIAGNOSTICS: exit 64 on usage errors, 66 when the key file cannot be
 * read, 65 for an unusable key or input that is not a message, 74 for I/O
 * errors, 70 for internal errors.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

#define SIGN_CMD "sign"
#define SIGN_MAX_FIELD (64 * 1024)

struct sign_opts {
    const char *domain, *selector, *key_file, *identity;
    enum dkim_canon header_canon, body_canon;
    char **headers, **oversign, **exact_headers;
    long expire;
    long timestamp; /* -1: the current time */
    bool body_length;
};

static void
sign_usage(FILE *out)
{
    fprintf(out,
        "Usage: signet sign --domain D --selector S --key FILE [OPTION]...\n"
        "          < message > signed-message\n"
        "Sign the message on stdin; write it to stdout with a "
        "DKIM-Signature field\nprepended.  LF and CRLF line ends are "
        "both accepted and kept.\n\n"
        "  --domain D             signing domain (d=)\n"
        "  --selector S           selector (s=)\n"
        "  --key FILE             private key: PEM (PKCS#8 or PKCS#1) or a "
        "base64\n"
        "                         Ed25519 seed; the algorithm follows the key\n"
        "  --canonicalization C   header/body canonicalization, e.g. "
        "relaxed/simple\n"
        "                         (default relaxed/relaxed)\n"
        "  --header LIST          header names to sign, comma-separated "
        "(default: the\n"
        "                         built-in list with From, To, Subject, "
        "Date ...)\n"
        "  --oversign LIST        names signed once more than they occur "
        "(default From;\n"
        "                         \"\" turns oversigning off)\n"
        "  --exact-headers LIST   use exactly this h= list, duplicates "
        "included\n"
        "                         (for test vectors; ignores --header and "
        "--oversign)\n"
        "  --expire SECS          add x= this many seconds after t=\n"
        "  --identity I           agent or user identifier (i=), e.g. "
        "@example.com\n"
        "  --timestamp T          t= in seconds since the epoch (default: "
        "now)\n"
        "  --body-length          add l= with the body length\n"
        "  -h, --help             print this help\n");
}

static int
sign_list_option(char ***slot, const char *text, const char *option)
{
    cli_list_free(*slot);
    *slot = cli_split_header_list(text);
    if (*slot == NULL)
        return cli_usage_error(SIGN_CMD,
                               "invalid header name list for %s: '%s'",
                               option, text);
    return CLI_EX_OK;
}

static int
sign_parse_option(struct sign_opts *o, int opt, const char *arg)
{
    switch (opt) {
    case 'd': o->domain = arg; return CLI_EX_OK;
    case 's': o->selector = arg; return CLI_EX_OK;
    case 'k': o->key_file = arg; return CLI_EX_OK;
    case 'c':
        if (dkim_canon_parse(arg, &o->header_canon, &o->body_canon) !=
            DKIM_OK)
            return cli_usage_error(SIGN_CMD, "invalid --canonicalization "
                                   "'%s': expected simple or relaxed, "
                                   "optionally followed by /simple or "
                                   "/relaxed", arg);
        return CLI_EX_OK;
    case 'i': o->identity = arg; return CLI_EX_OK;
    case 'l': o->body_length = true; return CLI_EX_OK;
    case 'H': return sign_list_option(&o->headers, arg, "--header");
    case 'O': return sign_list_option(&o->oversign, arg, "--oversign");
    case 'E':
        return sign_list_option(&o->exact_headers, arg, "--exact-headers");
    case 'x':
        if (!cli_parse_long(arg, 1, 100L * 365 * 86400, &o->expire))
            return cli_usage_error(SIGN_CMD, "invalid --expire value '%s': "
                                   "expected seconds, at least 1", arg);
        return CLI_EX_OK;
    case 't':
        if (!cli_parse_long(arg, 0, 0x7fffffffffffL, &o->timestamp))
            return cli_usage_error(SIGN_CMD, "invalid --timestamp value "
                                   "'%s': expected seconds since the epoch",
                                   arg);
        return CLI_EX_OK;
    default:
        return cli_usage_error(SIGN_CMD, "invalid option");
    }
}

/* Returns -1 after --help, a CLI_EX_* code otherwise. */
static int
sign_parse_args(int argc, char **argv, struct sign_opts *o)
{
    static const struct option longopts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "selector", required_argument, NULL, 's' },
        { "key", required_argument, NULL, 'k' },
        { "canonicalization", required_argument, NULL, 'c' },
        { "header", required_argument, NULL, 'H' },
        { "oversign", required_argument, NULL, 'O' },
        { "exact-headers", required_argument, NULL, 'E' },
        { "expire", required_argument, NULL, 'x' },
        { "identity", required_argument, NULL, 'i' },
        { "timestamp", required_argument, NULL, 't' },
        { "body-length", no_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int opt, rc;

    o->timestamp = -1;
    o->header_canon = DKIM_CANON_RELAXED;
    o->body_canon = DKIM_CANON_RELAXED;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            sign_usage(stdout);
            return -1;
        }
        if (opt == '?')
            return cli_usage_error(SIGN_CMD, "invalid option");
        rc = sign_parse_option(o, opt, optarg);
        if (rc != CLI_EX_OK)
            return rc;
    }
    if (optind < argc)
        return cli_usage_error(SIGN_CMD, "unexpected argument '%s'; the "
                               "message is read from stdin", argv[optind]);
    if (o->domain == NULL || o->selector == NULL || o->key_file == NULL)
        return cli_usage_error(SIGN_CMD, "--domain, --selector and --key "
                               "are required");
    if (!cli_valid_dns_name(o->domain))
        return cli_usage_error(SIGN_CMD, "invalid domain '%s': " CLI_DNS_NAME_RULE, o->domain);
    if (!cli_valid_dns_name(o->selector))
        return cli_usage_error(SIGN_CMD, "invalid selector '%s': " CLI_DNS_NAME_RULE,
                               o->selector);
    return CLI_EX_OK;
}

static int
sign_add_signer(struct dkim_msg *msg, const struct sign_opts *o,
                const struct dkim_privkey *key)
{
    struct dkim_sign_params params;
    enum dkim_stat stat;

    memset(&params, 0, sizeof(params));
    params.key = key;
    params.domain = o->domain;
    params.selector = o->selector;
    params.identity = o->identity;
    params.header_canon = o->header_canon;
    params.body_canon = o->body_canon;
    params.headers = (const char *const *)o->headers;
    params.oversign = (const char *const *)o->oversign;
    params.exact_headers = (const char *const *)o->exact_headers;
    params.body_length = o->body_length;
    params.expire_after = o->expire;

    stat = dkim_msg_add_signer(msg, &params);
    if (stat == DKIM_OK)
        return CLI_EX_OK;
    cli_error(SIGN_CMD, "cannot sign with these parameters: %s",
              dkim_stat_name(stat));
    return stat == DKIM_ENOMEM ? CLI_EX_SOFTWARE : CLI_EX_USAGE;
}

/* Copy the spooled original message to stdout. */
static int
sign_copy_message(FILE *spool)
{
    char buf[64 * 1024];
    size_t n;

    if (fflush(spool) != 0)
        return CLI_EX_IOERR;
    rewind(spool);
    while ((n = fread(buf, 1, sizeof(buf), spool)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            return CLI_EX_IOERR;
    return ferror(spool) ? CLI_EX_IOERR : CLI_EX_OK;
}

static int
sign_write(struct dkim_msg *msg, const struct sign_opts *o,
           const struct msgread_info *info, FILE *spool)
{
    const char *eol = info->crlf ? "\r\n" : "\n";
    time_t now = o->timestamp >= 0 ? (time_t)o->timestamp : time(NULL);
    struct dkim_buf field;
    char err[256];
    enum dkim_stat stat;
    int rc;

    dkim_buf_init(&field, SIGN_MAX_FIELD);
    stat = dkim_msg_sign(msg, 0, now, eol, &field, err, sizeof(err));
    if (stat != DKIM_OK) {
        cli_error(SIGN_CMD, "signing failed: %s", err);
        dkim_buf_free(&field);
        return stat == DKIM_ENOMEM ? CLI_EX_SOFTWARE : CLI_EX_DATAERR;
    }

    printf("DKIM-Signature:%s%s", field.data, eol);
    dkim_buf_free(&field);
    rc = sign_copy_message(spool);
    if (fflush(stdout) != 0 || ferror(stdout))
        rc = CLI_EX_IOERR;
    if (rc != CLI_EX_OK)
        cli_error(SIGN_CMD, "writing the signed message failed: %s",
                  strerror(errno));
    return rc;
}

static int
sign_run(const struct sign_opts *o, struct dkim_msg *msg)
{
    struct dkim_privkey *key = NULL;
    struct msgread_info info;
    FILE *spool = NULL;
    char err[256];
    int rc;

    rc = cli_load_key(SIGN_CMD, o->key_file, &key);
    if (rc == CLI_EX_OK)
        rc = sign_add_signer(msg, o, key);
    if (rc != CLI_EX_OK)
        goto done;

    spool = tmpfile();
    if (spool == NULL) {
        cli_error(SIGN_CMD, "cannot create a temporary file: %s",
                  strerror(errno));
        rc = CLI_EX_IOERR;
        goto done;
    }

    rc = msgread_feed(STDIN_FILENO, msg, false, 0, spool, &info, err,
                      sizeof(err));
    if (rc != CLI_EX_OK)
        cli_error(SIGN_CMD, "stdin: %s", err);
    else
        rc = sign_write(msg, o, &info, spool);

done:
    if (spool != NULL)
        fclose(spool);
    /* The msg refers to the key, so it goes first. */
    dkim_msg_free(msg);
    dkim_privkey_free(key);
    return rc;
}

int
cli_sign_main(int argc, char **argv)
{
    static const struct dkim_limits limits; /* core defaults */
    struct sign_opts opts;
    struct dkim_msg *msg;
    int rc;

    memset(&opts, 0, sizeof(opts));
    rc = sign_parse_args(argc, argv, &opts);
    if (rc == CLI_EX_OK) {
        msg = dkim_msg_new(&limits);
        if (msg == NULL) {
            cli_error(SIGN_CMD, "out of memory");
            rc = CLI_EX_SOFTWARE;
        } else {
            rc = sign_run(&opts, msg);
        }
    }

    cli_list_free(opts.headers);
    cli_list_free(opts.oversign);
    cli_list_free(opts.exact_headers);
    return rc < 0 ? CLI_EX_OK : rc;
}
