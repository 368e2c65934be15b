/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli.h - shared pieces of the signet command-line tool: the subcommand
 * entry points, exit codes, option helpers and the message reader.
 *
 * Each subcommand lives in its own file and is called from main.c with
 * argv[0] set to the subcommand name.  Subcommands print errors to stderr
 * as "signet SUBCOMMAND: message" and return an exit code; they never call
 * exit() themselves.
 *
 * DIAGNOSTICS: usage errors return CLI_EX_USAGE (64); the other codes
 * follow sysexits(3) and are listed in signet(1).
 */
#ifndef SIGNET_CLI_H
#define SIGNET_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <getopt.h>

#include "dkim/dkim.h"

/* Exit codes (sysexits(3) values where one fits). */
enum {
    CLI_EX_OK = 0,
    CLI_EX_FAIL = 1,        /* a check failed: mismatch, no passing sig */
    CLI_EX_NOSIG = 2,       /* verify: the message has no signature */
    CLI_EX_USAGE = 64,      /* EX_USAGE */
    CLI_EX_DATAERR = 65,    /* EX_DATAERR: the input is not a message */
    CLI_EX_NOINPUT = 66,    /* EX_NOINPUT: a key or input file is missing */
    CLI_EX_SOFTWARE = 70,   /* EX_SOFTWARE: internal error, out of memory */
    CLI_EX_CANTCREAT = 73,  /* EX_CANTCREAT: an output file exists */
    CLI_EX_IOERR = 74,      /* EX_IOERR */
    CLI_EX_TEMPFAIL = 75,   /* EX_TEMPFAIL: temporary DNS failure */
    CLI_EX_CONFIG = 78,     /* EX_CONFIG: --config names an invalid file */
};

int cli_keygen_main(int argc, char **argv);
int cli_testkey_main(int argc, char **argv);
int cli_sign_main(int argc, char **argv);
int cli_verify_main(int argc, char **argv);
int cli_config_main(int argc, char **argv);

/* Print "signet CMD: message" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print the error, then "Try 'signet CMD --help'.", and return
 * CLI_EX_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Load a private key for a one-off command.  Unlike signetd, the CLI
 * accepts a key file that group or others can access (test vectors are
 * often world-readable), but warns that signetd will reject it.  Returns
 * a CLI_EX_* code after printing any error. */
int cli_load_key(const char *cmd, const char *path,
                 struct dkim_privkey **key);

/* Parse a decimal number in [min, max]; false on anything else. */
bool cli_parse_long(const char *text, long min, long max, long *out);

/* Check a domain name or selector: dot-separated labels of letters,
 * digits, '-' and '_', each 1 to 63 bytes, 253 bytes at most.  Names that
 * pass are safe to use in file names. */
bool cli_valid_dns_name(const char *name);
/* The rule cli_valid_dns_name enforces, worded for error messages. */
#define CLI_DNS_NAME_RULE                                                     \
    "use dot-separated labels of letters, digits, '-' and '_' (1 to 63 "      \
    "bytes each, no trailing dot)"

/* Check "IP" or "IP@PORT" (IPv4 or IPv6 literal, port 1-65535). */
bool cli_valid_nameserver(const char *text);

/* Split a comma- or colon-separated list of header names into a
 * NULL-terminated array; an empty text gives an empty list.  Returns NULL
 * when a name is empty or not a valid field name.  Free with
 * cli_list_free. */
char **cli_split_header_list(const char *text);
void cli_list_free(char **list);

/*
 * Message reader (msgread.c): streams a message from a file descriptor into
 * a dkim_msg.  Header fields may end in LF or CRLF; body line ends are
 * converted to CRLF for hashing (a bare LF becomes CRLF, a bare CR is
 * passed on as it is).  The body is fed in large chunks and never held in
 * memory whole.
 */
struct msgread_info {
    bool crlf;            /* the first line ended in CRLF */
    bool has_separator;   /* an empty line ended the header */
    unsigned header_count;
    unsigned long long body_bytes; /* as read, before conversion */
};

/* Read everything from fd, feeding msg: header fields, dkim_msg_eoh(verify),
 * body chunks, dkim_msg_eom.  A header over max_header_bytes (0: 1 MiB, the
 * core's default) is rejected.  Every byte read is also written to copy
 * when copy is not NULL.  Returns a CLI_EX_* code and an error text in
 * err. */
int msgread_feed(int fd, struct dkim_msg *msg, bool verify,
                 size_t max_header_bytes, FILE *copy,
                 struct msgread_info *info, char *err, size_t errlen);

/*
 * DNS options shared by testkey and verify (dnsopts.c).
 */
#define CLI_MAX_NAMESERVERS 8

struct cli_dns_opts {
    const char *nameservers[CLI_MAX_NAMESERVERS + 1]; /* NULL-terminated */
    unsigned nameserver_count;
    const char *test_keys;    /* --test-keys FILE */
    const char *trust_anchor; /* --trust-anchor FILE */
    long timeout;             /* --timeout SECS, 0 for the default */
};

/* getopt_long values of the shared options, above any short option. */
enum {
    CLI_OPT_NAMESERVER = 256,
    CLI_OPT_TEST_KEYS,
    CLI_OPT_TRUST_ANCHOR,
    CLI_OPT_TIMEOUT,
};

/* The option table entries for the options above. */
#define CLI_DNS_LONGOPTS                                                     \
    { "nameserver", required_argument, NULL, CLI_OPT_NAMESERVER },          \
    { "test-keys", required_argument, NULL, CLI_OPT_TEST_KEYS },            \
    { "trust-anchor", required_argument, NULL, CLI_OPT_TRUST_ANCHOR },      \
    { "timeout", required_argument, NULL, CLI_OPT_TIMEOUT }

#define CLI_DNS_HELP                                                         \
    "  --nameserver IP[@PORT]  send DNS queries to this server (repeatable,\n"\
    "                          at most 8); without it and --test-keys, the\n"\
    "                          lookup uses full recursion\n"                \
    "  --test-keys FILE        read key records from FILE (lines of\n"       \
    "                          owner-name TAB record) instead of DNS\n"      \
    "  --trust-anchor FILE     validate answers with DNSSEC, using the\n"    \
    "                          trust anchor in FILE\n"                       \
    "  --timeout SECS          DNS timeout per lookup (default 5)\n"

/* Handle one of the CLI_OPT_* options: CLI_EX_OK, or a usage error. */
int cli_dns_option(const char *cmd, struct cli_dns_opts *dns, int opt,
                   const char *arg);

struct keylookup;
/* Create the key lookup the options describe; prints the error. */
int cli_dns_open(const char *cmd, const struct cli_dns_opts *dns,
                 struct keylookup **out);

/* Append text with C0 controls and DEL replaced by '?' and each byte in
 * specials preceded by a backslash, for one-line diagnostics. */
enum dkim_stat cli_append_escaped(struct dkim_buf *out, const char *text,
                                  size_t len, const char *specials);

#endif
