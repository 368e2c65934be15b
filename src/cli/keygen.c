/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keygen.c - "signet keygen": generate a signing key and the TXT record to
 * publish for it.
 *
 * Writes two files in the output directory, both created exclusively (an
 * existing file is never overwritten):
 *   SELECTOR.DOMAIN.pem  the private key, PKCS#8 PEM, mode 0600
 *   SELECTOR.DOMAIN.txt  a zone-file line for SELECTOR._domainkey.DOMAIN
 * and prints both names and the record.  TXT character-strings hold at
 * most 255 octets (RFC 1035 3.3), so the record is split into several
 * quoted strings, which verifiers join (RFC 6376 3.6.2.2).
 *
 * Public: cli_keygen_main.
 *
 * DIAGNOSTICS: exit 64 on usage errors, 73 when an output file exists or
 * cannot be created, 70 when key generation fails.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#define KEYGEN_CMD "keygen"
#define KEYGEN_TXT_STRING 255
#define KEYGEN_MIN_RSA_BITS 1024 /* RFC 8301 section 3.2 */
#define KEYGEN_MAX_RSA_BITS 8192

struct keygen_opts {
    const char *domain, *selector, *out_dir;
    enum dkim_alg alg;
    long bits; /* 0: the default for the type */
};

static void
keygen_usage(FILE *out)
{
    fprintf(out,
        "Usage: signet keygen --domain D --selector S [--type rsa|ed25519]\n"
        "                     [--bits N] [--out DIR]\n"
        "Generate a DKIM signing key.  Writes DIR/S.D.pem (the private key, "
        "mode 0600)\nand DIR/S.D.txt (the TXT record for S._domainkey.D in "
        "zone-file syntax);\nneither file may exist yet.\n\n"
        "  --domain D      signing domain\n"
        "  --selector S    selector\n"
        "  --type T        rsa (default) or ed25519\n"
        "  --bits N        RSA key size in bits, 1024 to 8192 (default "
        "2048);\n"
        "                  ignored for ed25519\n"
        "  --out DIR       output directory (default: the current "
        "directory)\n"
        "  -h, --help      print this help\n");
}

/* Returns -1 after --help, a CLI_EX_* code otherwise. */
static int
keygen_parse_args(int argc, char **argv, struct keygen_opts *o)
{
    static const struct option longopts[] = {
        { "domain", required_argument, NULL, 'd' },
        { "selector", required_argument, NULL, 's' },
        { "type", required_argument, NULL, 't' },
        { "bits", required_argument, NULL, 'b' },
        { "out", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *bits_text = NULL;
    int opt;

    o->alg = DKIM_ALG_RSA_SHA256;
    o->out_dir = ".";
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h': keygen_usage(stdout); return -1;
        case 'd': o->domain = optarg; break;
        case 's': o->selector = optarg; break;
        case 'o': o->out_dir = optarg; break;
        case 'b': bits_text = optarg; break;
        case 't':
            if (strcmp(optarg, "rsa") == 0)
                o->alg = DKIM_ALG_RSA_SHA256;
            else if (strcmp(optarg, "ed25519") == 0)
                o->alg = DKIM_ALG_ED25519_SHA256;
            else
                return cli_usage_error(KEYGEN_CMD, "invalid --type '%s': "
                                       "expected rsa or ed25519", optarg);
            break;
        default:
            return cli_usage_error(KEYGEN_CMD, "invalid option");
        }
    }
    if (optind < argc)
        return cli_usage_error(KEYGEN_CMD, "unexpected argument '%s'",
                               argv[optind]);
    if (o->domain == NULL || o->selector == NULL)
        return cli_usage_error(KEYGEN_CMD, "--domain and --selector are "
                               "required");
    if (!cli_valid_dns_name(o->domain))
        return cli_usage_error(KEYGEN_CMD, "invalid domain '%s': " CLI_DNS_NAME_RULE, o->domain);
    if (!cli_valid_dns_name(o->selector))
        return cli_usage_error(KEYGEN_CMD, "invalid selector '%s': " CLI_DNS_NAME_RULE,
                               o->selector);

    if (bits_text != NULL && o->alg == DKIM_ALG_RSA_SHA256 &&
        !cli_parse_long(bits_text, KEYGEN_MIN_RSA_BITS, KEYGEN_MAX_RSA_BITS,
                        &o->bits))
        return cli_usage_error(KEYGEN_CMD, "invalid --bits '%s': RSA keys "
                               "must have %d to %d bits (RFC 8301 rejects "
                               "keys under 1024)", bits_text,
                               KEYGEN_MIN_RSA_BITS, KEYGEN_MAX_RSA_BITS);
    if (bits_text != NULL && o->alg == DKIM_ALG_ED25519_SHA256)
        cli_error(KEYGEN_CMD, "note: --bits is ignored for ed25519 keys");
    if (o->alg == DKIM_ALG_RSA_SHA256 && o->bits == 0)
        o->bits = 2048;
    return CLI_EX_OK;
}

/* Build the zone-file line: the record text split into quoted strings of
 * at most KEYGEN_TXT_STRING octets. */
static enum dkim_stat
keygen_zone_line(struct dkim_buf *out, const struct keygen_opts *o,
                 const struct dkim_buf *record)
{
    enum dkim_stat stat;
    size_t pos = 0;

    stat = dkim_buf_printf(out, "%s._domainkey.%s. IN TXT (", o->selector,
                           o->domain);
    while (stat == DKIM_OK && pos < record->len) {
        size_t n = record->len - pos;

        if (n > KEYGEN_TXT_STRING)
            n = KEYGEN_TXT_STRING;
        stat = dkim_buf_appends(out, pos == 0 ? " \"" : "\n\t\"");
        if (stat == DKIM_OK)
            stat = dkim_buf_append(out, record->data + pos, n);
        if (stat == DKIM_OK)
            stat = dkim_buf_appendc(out, '"');
        pos += n;
    }
    if (stat == DKIM_OK)
        stat = dkim_buf_appends(out, " )\n");
    return stat;
}

static int
keygen_write_txt(const char *path, const struct dkim_buf *line)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    ssize_t n;

    if (fd < 0) {
        cli_error(KEYGEN_CMD, "cannot create %s: %s", path, strerror(errno));
        return CLI_EX_CANTCREAT;
    }
    n = write(fd, line->data, line->len);
    if (n != (ssize_t)line->len || close(fd) != 0) {
        cli_error(KEYGEN_CMD, "writing %s failed: %s", path,
                  n < 0 ? strerror(errno) : "short write");
        unlink(path);
        return CLI_EX_IOERR;
    }
    return CLI_EX_OK;
}

/* Check both names first so that a refused run leaves nothing behind. */
static int
keygen_check_free(const char *path)
{
    if (access(path, F_OK) == 0) {
        cli_error(KEYGEN_CMD, "%s already exists; remove it or choose "
                  "another --selector or --out", path);
        return CLI_EX_CANTCREAT;
    }
    return CLI_EX_OK;
}

static int
keygen_write(const struct keygen_opts *o, const struct dkim_privkey *key,
             const char *pem_path, const char *txt_path)
{
    struct dkim_buf record, line;
    char err[256];
    int rc = CLI_EX_SOFTWARE;

    dkim_buf_init(&record, 8192);
    dkim_buf_init(&line, 16384);
    if (dkim_buf_printf(&record, "v=DKIM1; k=%s; p=",
                        o->alg == DKIM_ALG_RSA_SHA256 ? "rsa" : "ed25519")
            != DKIM_OK ||
        dkim_privkey_public_b64(key, &record) != DKIM_OK ||
        keygen_zone_line(&line, o, &record) != DKIM_OK) {
        cli_error(KEYGEN_CMD, "cannot encode the public key");
        goto done;
    }

    if (dkim_privkey_write_pem(key, pem_path, err, sizeof(err)) != DKIM_OK) {
        cli_error(KEYGEN_CMD, "%s", err);
        rc = CLI_EX_CANTCREAT;
        goto done;
    }
    rc = keygen_write_txt(txt_path, &line);
    if (rc != CLI_EX_OK) {
        unlink(pem_path);
        goto done;
    }

    printf("Private key: %s\nDNS record:  %s\n\n%s", pem_path, txt_path,
           line.data);

done:
    dkim_buf_free(&record);
    dkim_buf_free(&line);
    return rc;
}

/* Name the output directory itself when it is the problem, rather than
 * the key file that could not be created in it. */
static int
keygen_check_dir(const char *dir)
{
    struct stat sb;

    if (stat(dir, &sb) != 0) {
        cli_error(KEYGEN_CMD, "output directory %s: %s; create it first "
                  "(mkdir -p %s)", dir, strerror(errno), dir);
        return CLI_EX_CANTCREAT;
    }
    if (!S_ISDIR(sb.st_mode)) {
        cli_error(KEYGEN_CMD, "output directory %s is not a directory", dir);
        return CLI_EX_CANTCREAT;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        cli_error(KEYGEN_CMD, "output directory %s is not writable: %s", dir,
                  strerror(errno));
        return CLI_EX_CANTCREAT;
    }
    return CLI_EX_OK;
}

int
cli_keygen_main(int argc, char **argv)
{
    struct keygen_opts opts;
    struct dkim_privkey *key = NULL;
    char *pem_path = NULL, *txt_path = NULL;
    char err[256];
    int rc;

    memset(&opts, 0, sizeof(opts));
    rc = keygen_parse_args(argc, argv, &opts);
    if (rc != CLI_EX_OK)
        return rc < 0 ? CLI_EX_OK : rc;

    if (asprintf(&pem_path, "%s/%s.%s.pem", opts.out_dir, opts.selector,
                 opts.domain) < 0)
        pem_path = NULL;
    if (asprintf(&txt_path, "%s/%s.%s.txt", opts.out_dir, opts.selector,
                 opts.domain) < 0)
        txt_path = NULL;
    if (pem_path == NULL || txt_path == NULL) {
        cli_error(KEYGEN_CMD, "out of memory");
        rc = CLI_EX_SOFTWARE;
        goto done;
    }
    rc = keygen_check_dir(opts.out_dir);
    if (rc == CLI_EX_OK)
        rc = keygen_check_free(pem_path);
    if (rc == CLI_EX_OK)
        rc = keygen_check_free(txt_path);
    if (rc != CLI_EX_OK)
        goto done;

    if (dkim_privkey_generate(opts.alg, (unsigned)opts.bits, &key, err,
                              sizeof(err)) != DKIM_OK) {
        cli_error(KEYGEN_CMD, "key generation failed: %s", err);
        rc = CLI_EX_SOFTWARE;
        goto done;
    }
    rc = keygen_write(&opts, key, pem_path, txt_path);

done:
    dkim_privkey_free(key);
    free(pem_path);
    free(txt_path);
    return rc;
}
