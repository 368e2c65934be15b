/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * util.c - helpers shared by the signet subcommands: error output, number
 * and name checks, header-name lists.
 *
 * DIAGNOSTICS: the checks return false or NULL; they print nothing.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Maximum number of names in one --header, --oversign or --exact-headers
 * list. */
#define CLI_MAX_LIST 64

void
cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "signet %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int
cli_load_key(const char *cmd, const char *path, struct dkim_privkey **key)
{
    char err[256];
    struct stat sb;
    enum dkim_stat status;

    status = dkim_privkey_load(path, false, key, err, sizeof(err));
    if (status != DKIM_OK) {
        cli_error(cmd, "cannot use key %s: %s", path, err);
        return status == DKIM_EIO ? CLI_EX_NOINPUT : CLI_EX_DATAERR;
    }
    if (stat(path, &sb) == 0 && (sb.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        cli_error(cmd, "warning: key file %s is accessible by group or "
                  "others (mode %04o); signetd rejects it: run chmod 600 %s",
                  path, (unsigned)(sb.st_mode & 07777), path);
    return CLI_EX_OK;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "signet %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'signet %s --help'.\n", cmd);
    return CLI_EX_USAGE;
}

bool
cli_parse_long(const char *text, long min, long max, long *out)
{
    char *end;
    long value;

    if (text[0] == '\0' || text[0] == ' ' || text[0] == '+')
        return false;
    errno = 0;
    value = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min || value > max)
        return false;
    *out = value;
    return true;
}

static bool
util_label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool
cli_valid_dns_name(const char *name)
{
    size_t len = strlen(name), label = 0, i;

    if (len == 0 || len > 253)
        return false;
    for (i = 0; i < len; i++) {
        if (name[i] == '.') {
            if (label == 0)
                return false;
            label = 0;
            continue;
        }
        if (!util_label_char(name[i]) || ++label > 63)
            return false;
    }
    return label > 0;
}

bool
cli_valid_nameserver(const char *text)
{
    char addr[INET6_ADDRSTRLEN + 1];
    unsigned char bin[16];
    const char *at = strchr(text, '@');
    size_t addr_len = at ? (size_t)(at - text) : strlen(text);
    long port;

    if (addr_len == 0 || addr_len >= sizeof(addr))
        return false;
    memcpy(addr, text, addr_len);
    addr[addr_len] = '\0';
    if (inet_pton(AF_INET, addr, bin) != 1 &&
        inet_pton(AF_INET6, addr, bin) != 1)
        return false;
    if (at != NULL && !cli_parse_long(at + 1, 1, 65535, &port))
        return false;
    return true;
}

/* RFC 5322 3.6.8: a field name is printable US-ASCII except ':'. */
static bool
util_valid_field_name(const char *name, size_t len)
{
    size_t i;

    if (len == 0)
        return false;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];

        if (c < 33 || c > 126 || c == ':')
            return false;
    }
    return true;
}

char **
cli_split_header_list(const char *text)
{
    char **list = calloc(CLI_MAX_LIST + 1, sizeof(*list));
    const char *p = text;
    unsigned n = 0;

    if (list == NULL)
        return NULL;
    while (*p != '\0') {
        size_t len = strcspn(p, ",:");

        /* Allow "From, To" as well as "From,To". */
        while (len > 0 && (*p == ' ' || *p == '\t')) {
            p++;
            len--;
        }
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (n == CLI_MAX_LIST || !util_valid_field_name(p, len))
            goto fail;
        list[n] = strndup(p, len);
        if (list[n++] == NULL)
            goto fail;

        p += strcspn(p, ",:");
        if (*p != '\0' && *++p == '\0')
            goto fail; /* a trailing separator: an empty last name */
    }
    return list;

fail:
    cli_list_free(list);
    return NULL;
}

enum dkim_stat
cli_append_escaped(struct dkim_buf *out, const char *text, size_t len,
                   const char *specials)
{
    enum dkim_stat stat = DKIM_OK;
    size_t i;

    for (i = 0; i < len && stat == DKIM_OK; i++) {
        unsigned char c = (unsigned char)text[i];

        if (c < 32 || c == 127)
            stat = dkim_buf_appendc(out, '?');
        else if (strchr(specials, c) != NULL)
            stat = dkim_buf_printf(out, "\\%c", c);
        else
            stat = dkim_buf_appendc(out, (char)c);
    }
    return stat;
}

void
cli_list_free(char **list)
{
    size_t i;

    if (list == NULL)
        return;
    for (i = 0; list[i] != NULL; i++)
        free(list[i]);
    free(list);
}
