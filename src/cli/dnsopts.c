/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dnsopts.c - the DNS options of "signet testkey" and "signet verify"
 * (--nameserver, --test-keys, --trust-anchor, --timeout) and the key lookup
 * they configure.
 *
 * Public: cli_dns_option, cli_dns_open.
 *
 * DIAGNOSTICS: invalid option values are usage errors (exit 64); a lookup
 * that cannot be created (unreadable test-keys or trust anchor file)
 * gives exit 66.
 */
#include "config.h"

#include <string.h>

#include "cli/cli.h"
#include "dns/keylookup.h"

int
cli_dns_option(const char *cmd, struct cli_dns_opts *dns, int opt,
               const char *arg)
{
    switch (opt) {
    case CLI_OPT_NAMESERVER:
        if (!cli_valid_nameserver(arg))
            return cli_usage_error(cmd, "invalid --nameserver '%s': expected "
                                   "an IP address, optionally followed by "
                                   "@PORT", arg);
        if (dns->nameserver_count == CLI_MAX_NAMESERVERS)
            return cli_usage_error(cmd, "at most %d --nameserver options",
                                   CLI_MAX_NAMESERVERS);
        dns->nameservers[dns->nameserver_count++] = arg;
        return CLI_EX_OK;
    case CLI_OPT_TEST_KEYS:
        dns->test_keys = arg;
        return CLI_EX_OK;
    case CLI_OPT_TRUST_ANCHOR:
        dns->trust_anchor = arg;
        return CLI_EX_OK;
    case CLI_OPT_TIMEOUT:
        if (!cli_parse_long(arg, 1, 3600, &dns->timeout))
            return cli_usage_error(cmd, "invalid --timeout '%s': expected "
                                   "seconds from 1 to 3600", arg);
        return CLI_EX_OK;
    default:
        return cli_usage_error(cmd, "invalid option");
    }
}

int
cli_dns_open(const char *cmd, const struct cli_dns_opts *dns,
             struct keylookup **out)
{
    struct keylookup_conf conf;
    char err[256];

    memset(&conf, 0, sizeof(conf));
    conf.nameservers = dns->nameserver_count > 0 ? dns->nameservers : NULL;
    conf.timeout_secs = (unsigned)dns->timeout;
    conf.trust_anchor_file = dns->trust_anchor;
    conf.test_keys_file = dns->test_keys;
    /* One command looks each key up once; a cache would only hide what
     * the DNS returns now. */
    conf.cache_disabled = true;

    if (keylookup_new(&conf, out, err, sizeof(err)) != 0) {
        cli_error(cmd, "cannot set up the key lookup: %s", err);
        return CLI_EX_NOINPUT;
    }
    return CLI_EX_OK;
}
