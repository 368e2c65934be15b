/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confcheck.c - "signet config check [-c FILE]": load a configuration file
 * and every key file it names, as "signetd -t" does, and print each problem
 * with its file and line.
 *
 * Public: cli_config_main.
 *
 * DIAGNOSTICS: exit 0 when the file is valid, 1 when it is not (as
 * signetd -t), 64 on usage errors.
 */
#include "config.h"

#include <string.h>

#include "cli/cli.h"
#include "conf/config.h"

#define CONFCHECK_CMD "config"
#define CONFCHECK_DEFAULT SYSCONFDIR "/signet/signet.conf"

static void
confcheck_usage(FILE *out)
{
    fprintf(out,
        "Usage: signet config check [-c FILE]\n"
        "Load the configuration and every key file it names, as signetd -t "
        "does, and\nprint each problem as FILE:LINE: message.\n\n"
        "  -c, --config FILE   configuration file (default:\n"
        "                      " CONFCHECK_DEFAULT ")\n"
        "  -h, --help          print this help\n");
}

static void
confcheck_report(void *arg, const char *message)
{
    unsigned *count = arg;

    fprintf(stderr, "%s\n", message);
    (*count)++;
}

int
cli_config_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *path = CONFCHECK_DEFAULT;
    struct config *conf;
    unsigned errors = 0;
    int opt;

    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
                      strcmp(argv[1], "-h") == 0)) {
        confcheck_usage(stdout);
        return CLI_EX_OK;
    }
    if (argc < 2 || strcmp(argv[1], "check") != 0)
        return cli_usage_error(CONFCHECK_CMD, "expected 'config check'");

    argc--;
    argv++;
    while ((opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': path = optarg; break;
        case 'h': confcheck_usage(stdout); return CLI_EX_OK;
        default: return cli_usage_error(CONFCHECK_CMD, "invalid option");
        }
    }
    if (optind < argc)
        return cli_usage_error(CONFCHECK_CMD, "unexpected argument '%s'",
                               argv[optind]);

    conf = config_load(path, true, confcheck_report, &errors);
    if (conf == NULL) {
        if (errors == 0)
            fprintf(stderr, "%s: invalid configuration\n", path);
        return CLI_EX_FAIL;
    }
    config_unref(conf);
    printf("%s: OK\n", path);
    return CLI_EX_OK;
}
