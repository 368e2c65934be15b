/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * main.c - the signet command: dispatch to a subcommand.
 *
 *   signet keygen | testkey | sign | verify | config check | help
 *   signet --version
 *
 * DIAGNOSTICS: an unknown subcommand or no subcommand is a usage error
 * (exit 64); otherwise the exit code is the subcommand's.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct cli_command {
    const char *name;
    const char *shown; /* the name as the help lists it */
    int (*main)(int argc, char **argv);
    const char *summary;
};

static const struct cli_command cli_commands[] = {
    { "keygen", "keygen", cli_keygen_main,
      "generate a signing key and its DNS TXT record" },
    { "testkey", "testkey", cli_testkey_main,
      "check that the published key record matches a private key" },
    { "sign", "sign", cli_sign_main, "sign the message on stdin" },
    { "verify", "verify", cli_verify_main,
      "verify the message on stdin and print Authentication-Results" },
    { "config", "config check", cli_config_main,
      "check a configuration file as signetd -t does" },
};

static void
main_print_help(FILE *out)
{
    size_t i;

    fprintf(out, "Usage: signet COMMAND [OPTION]...\n\nCommands:\n");
    for (i = 0; i < sizeof(cli_commands) / sizeof(cli_commands[0]); i++)
        fprintf(out, "  %-12s  %s\n", cli_commands[i].shown,
                cli_commands[i].summary);
    fprintf(out, "  %-12s  %s\n", "help", "print this help");
    fprintf(out, "\nRun 'signet COMMAND --help' for the options of one "
                 "command.\n'signet --version' prints the version.\n");
}

int
main(int argc, char **argv)
{
    const char *name;
    size_t i;

    if (argc < 2) {
        main_print_help(stderr);
        return CLI_EX_USAGE;
    }
    name = argv[1];

    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("signet %s\n", PACKAGE_VERSION);
        return CLI_EX_OK;
    }
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 ||
        strcmp(name, "-h") == 0) {
        main_print_help(stdout);
        return CLI_EX_OK;
    }

    for (i = 0; i < sizeof(cli_commands) / sizeof(cli_commands[0]); i++) {
        if (strcmp(name, cli_commands[i].name) == 0)
            return cli_commands[i].main(argc - 1, argv + 1);
    }

    fprintf(stderr, "signet: unknown command '%s'\n"
                    "Try 'signet help'.\n", name);
    return CLI_EX_USAGE;
}
