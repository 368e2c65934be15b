/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_sockspec.c - fuzz the parser of the socket setting.  The input, up
 * to its first NUL, is the setting's text.  A rejected text must come with
 * a reason.  An accepted one must give a connection string that keeps the
 * port as written, names a host inet_pton takes back, and parses again to
 * itself.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/sockspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Check an accepted inet or inet6 text against its connection string. */
static void
check_inet(const char *text, const struct sockspec *spec, bool v6)
{
    const char *rest = text + (v6 ? 6 : 5);
    const char *conn_rest = spec->conn + (v6 ? 6 : 5);
    const char *at = strchr(rest, '@');
    const char *conn_at = strchr(conn_rest, '@');
    unsigned char addr[16];

    if (spec->path != NULL || at == NULL || conn_at == NULL)
        abort();
    if (at - rest != conn_at - conn_rest ||
        memcmp(rest, conn_rest, (size_t)(at - rest)) != 0)
        abort();
    if (inet_pton(v6 ? AF_INET6 : AF_INET, conn_at + 1, addr) != 1)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sockspec spec, again;
    char *text, err[512];

    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    err[0] = '\0';
    if (sockspec_parse(text, &spec, err, sizeof(err)) != 0) {
        if (err[0] == '\0')
            abort();
        free(text);
        return 0;
    }

    if (strncmp(text, "inet:", 5) == 0) {
        check_inet(text, &spec, false);
    } else if (strncmp(text, "inet6:", 6) == 0) {
        check_inet(text, &spec, true);
    } else {
        if (spec.path != spec.conn + 5 || spec.path[0] != '/' ||
            strncmp(spec.conn, "unix:", 5) != 0)
            abort();
        if (strcmp(spec.path, strchr(text, ':') + 1) != 0)
            abort();
    }

    if (sockspec_parse(spec.conn, &again, err, sizeof(err)) != 0 ||
        strcmp(again.conn, spec.conn) != 0)
        abort();
    free(text);
    return 0;
}
