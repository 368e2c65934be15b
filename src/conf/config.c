/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * config.c - load signet.conf into an immutable, reference-counted
 * struct config, and the lookups the daemon makes on it.
 *
 * Loading runs in three steps: libconfig parses the file, the setting
 * tables (settings.c, keys.c, policy.c) check and copy every value, and
 * the cross-checks and key loading run last.  Every problem is reported
 * and loading goes on, so one run lists all of them.
 *
 * Public functions: config_load, config_ref, config_unref,
 * config_is_internal.
 *
 * DIAGNOSTICS: see config.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libconfig.h>

#include "conf/cidr.h"
#include "conf/keys.h"
#include "conf/loader.h"
#include "conf/settings.h"

static void
config_free(struct config *conf)
{
    if (conf == NULL)
        return;
    keys_free(conf);
    settings_free(conf);
    free(conf->path);
    free(conf);
}

/* Check that every existing @include target in file, and in the files it
 * includes, is a regular file, and that no chain of includes is more than
 * 10 files long, file itself counted.  libconfig 1.5 (Debian 12) calls exit(2)
 * ("input in flex scanner failed") when a relative @include names a
 * directory, such as @include "" or ".", which would end a running
 * signetd on reload.  A FIFO target would block the read.  A line is an
 * @include when it is blanks, "@include", blanks and a quoted path, and
 * a relative path is taken from dir.  As in libconfig, a backslash in
 * the path is literal.
 * NOTE: an @include line inside a block comment is checked too. */
#define CONFIG_MAX_INCLUDE_DEPTH 10 /* MAX_INCLUDE_DEPTH of libconfig 1.5 */

static void
config_include_error(struct loader *ld, const char *file, unsigned line,
                     const char *path, const char *path_end, const char *what)
{
    char message[1024];

    if (ld->report != NULL) {
        snprintf(message, sizeof(message), "%s:%u: @include \"%.*s\" %s",
                 file, line, (int)(path_end - path), path, what);
        ld->report(ld->report_arg, message);
    }
    ld->errors++;
}

static bool
config_check_includes(struct loader *ld, const char *file, const char *dir,
                      unsigned depth)
{
    struct stat st;
    FILE *fp;
    char *line = NULL, *target;
    const char *p, *end;
    size_t cap = 0, size;
    ssize_t length;
    unsigned line_number = 0;
    bool ok = true, stop = false;
    int fd;

    /* A file that cannot be read is left to libconfig to report. */
    fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return true;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (fp = fdopen(fd, "r")) == NULL) {
        close(fd);
        return true;
    }

    while ((length = getline(&line, &cap, fp)) >= 0) {
        line_number++;
        p = line + strspn(line, " \t");
        if (strncmp(p, "@include", 8) != 0 || (p[8] != ' ' && p[8] != '\t'))
            continue;
        p += 8 + strspn(p + 8, " \t");
        /* memchr, because a NUL may come before the closing quote.  The
         * path then ends at the NUL for libconfig and for the %.*s below. */
        if (*p != '"' ||
            (end = memchr(p + 1, '"', (size_t)(line + length - (p + 1)))) ==
                NULL)
            continue;

        p++;
        size = strlen(dir) + (size_t)(end - p) + 2;
        if ((target = malloc(size)) != NULL)
            snprintf(target, size, "%s%s%.*s", *p == '/' ? "" : dir,
                     *p == '/' ? "" : "/", (int)(end - p), p);
        if (target == NULL) {
            loader_error(ld, NULL, "out of memory checking @include files");
            ok = false;
            break;
        }

        if (stat(target, &st) != 0) {
            /* libconfig reports a missing file. */
        } else if (!S_ISREG(st.st_mode)) {
            config_include_error(ld, file, line_number, p, end,
                                 "is not a regular file");
            ok = false;
        } else if (depth + 1 >= CONFIG_MAX_INCLUDE_DEPTH) {
            config_include_error(ld, file, line_number, p, end,
                                 "is nested more than 10 files deep");
            ok = false;
            stop = true;
        } else if (!config_check_includes(ld, target, dir, depth + 1)) {
            ok = false;
            stop = true;
        }
        free(target);

        /* Stop at the first error below this file, so that a file that
         * includes itself many times costs one pass down to the limit,
         * not one pass per path. */
        if (stop)
            break;
    }
    free(line);
    fclose(fp);
    return ok;
}

/* Parse the file with libconfig.  Returns false after reporting why not.
 * Relative @include paths are taken from the configuration file's
 * directory. */
static bool
config_parse_file(struct loader *ld, config_t *lc, const char *path)
{
    struct stat st;
    FILE *fp;
    char *dir_copy;
    int fd, ok;

    /* libconfig reports only "file I/O error", so open the file here to
     * give the reason.  O_NONBLOCK keeps a FIFO from blocking the open
     * before fstat rejects it. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        loader_error(ld, NULL, "cannot open the configuration file: %s",
                     strerror(errno));
        return false;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (fp = fdopen(fd, "r")) == NULL) {
        close(fd);
        loader_error(ld, NULL, "the configuration file is not a regular file");
        return false;
    }

    dir_copy = loader_strdup(ld, path);
    if (dir_copy == NULL) {
        fclose(fp);
        return false;
    }
    config_set_include_dir(lc, dirname(dir_copy));
    if (!config_check_includes(ld, path, config_get_include_dir(lc), 0)) {
        free(dir_copy);
        fclose(fp);
        return false;
    }
    free(dir_copy);

    /* NOTE: libconfig 1.5 (Debian 12) leaks a few bytes of lexer buffers
     * on some syntax errors, for example stray string literals.
     * LeakSanitizer reports them from libconfig_yylex and strbuf_append. */
    ok = config_read(lc, fp);
    fclose(fp);
    if (ok == CONFIG_TRUE)
        return true;
    if (ld->report != NULL) {
        char message[1024];

        snprintf(message, sizeof(message), "%s:%d: %s",
                 config_error_file(lc) ? config_error_file(lc) : path,
                 config_error_line(lc), config_error_text(lc));
        ld->report(ld->report_arg, message);
    }
    ld->errors++;
    return false;
}

struct config *
config_load(const char *path, bool load_keys, config_report_fn report,
            void *arg)
{
    struct loader ld = {.path = path, .report = report, .report_arg = arg};
    struct config *conf;
    config_t lc;

    conf = loader_calloc(&ld, 1, sizeof(*conf));
    if (conf == NULL)
        return NULL;
    conf->refs = 1;
    conf->path = loader_strdup(&ld, path);
    if (conf->path == NULL || !settings_defaults(&ld, conf)) {
        config_free(conf);
        return NULL;
    }

    config_init(&lc);
    if (config_parse_file(&ld, &lc, path)) {
        settings_apply_root(&ld, config_root_setting(&lc), conf);
        keys_parse(&ld, conf, load_keys);
        settings_finish(&ld, conf);
    }
    config_destroy(&lc);

    if (ld.errors > 0) {
        config_free(conf);
        return NULL;
    }
    return conf;
}

struct config *
config_ref(struct config *conf)
{
    __atomic_add_fetch(&conf->refs, 1, __ATOMIC_RELAXED);
    return conf;
}

void
config_unref(struct config *conf)
{
    if (conf == NULL)
        return;
    if (__atomic_sub_fetch(&conf->refs, 1, __ATOMIC_ACQ_REL) == 0)
        config_free(conf);
}

bool
config_is_internal(const struct config *conf, const struct sockaddr *addr)
{
    const unsigned char *bytes;
    int family;
    unsigned i;

    if (addr == NULL)
        return false;
    if (addr->sa_family == AF_INET) {
        family = AF_INET;
        bytes = (const unsigned char *)&((const struct sockaddr_in *)addr)
                    ->sin_addr;
    } else if (addr->sa_family == AF_INET6) {
        const struct in6_addr *a6 =
            &((const struct sockaddr_in6 *)addr)->sin6_addr;

        family = AF_INET6;
        bytes = a6->s6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a6)) {
            family = AF_INET;
            bytes += 12;
        }
    } else {
        return false;
    }

    for (i = 0; i < conf->internal_host_count; i++) {
        if (cidr_contains(&conf->internal_hosts[i], family, bytes))
            return true;
    }
    return false;
}
