/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_config.c - fuzz config_load on the input written to a file, without
 * loading key files.  The file lives alone in a directory this process
 * creates with mkdtemp, so a relative @include without ".." finds only
 * the file itself.  A rejected file must come with a report.  The socket
 * of an accepted file must also pass signetd's own socket parser
 * (sockspec_parse).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/config.h"
#include "daemon/sockspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/signet-fuzz-config-XXXXXX";
static char path[sizeof(dir) + sizeof("/signet.conf")];

static void
remove_dir(void)
{
    unlink(path);
    rmdir(dir);
}

static void
count_report(void *arg, const char *message)
{
    if (message == NULL || message[0] == '\0')
        abort();
    (*(unsigned *)arg)++;
}

static void
write_input(const uint8_t *data, size_t size)
{
    FILE *fp;

    if (path[0] == '\0') {
        if (mkdtemp(dir) == NULL)
            abort();
        snprintf(path, sizeof(path), "%s/signet.conf", dir);
        atexit(remove_dir);
    }
    if ((fp = fopen(path, "wb")) == NULL)
        abort();
    if (fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config *conf;
    struct sockspec spec;
    unsigned reports = 0;
    char err[512];

    write_input(data, size);
    conf = config_load(path, false, count_report, &reports);
    if (conf == NULL) {
        if (reports == 0)
            abort();
        return 0;
    }

    if (conf->socket == NULL || conf->authserv_id == NULL)
        abort();
    if (sockspec_parse(conf->socket, &spec, err, sizeof(err)) != 0)
        abort();
    config_unref(conf);
    return 0;
}
