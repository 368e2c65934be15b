/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sockspec.c - parse the socket setting and clear stale unix sockets.
 *
 * Public: sockspec_parse, sockspec_clear_stale.
 *
 * libmilter parses "inet6:PORT@HOST" without brackets, so the brackets of
 * the configured "[HOST]" form are removed here after the address checks.
 *
 * DIAGNOSTICS: -1 with a reason naming the value, e.g.
 * "socket \"inet:99999@127.0.0.1\": port must be 1 to 65535".
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/sockspec.h"

static int
sockspec_port(const char *text, const char *port, size_t len, char *err,
              size_t errlen)
{
    unsigned long value = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        if (port[i] < '0' || port[i] > '9' || value > 65535)
            break;
        value = value * 10 + (unsigned long)(port[i] - '0');
    }
    /* At most five digits, as signet.conf's socket check allows, so the
     * port always fits in spec->conn. */
    if (len == 0 || len > 5 || i < len || value == 0 || value > 65535) {
        snprintf(err, errlen, "socket \"%s\": port must be 1 to 65535", text);
        return -1;
    }
    return 0;
}

static int
sockspec_inet(const char *text, const char *rest, bool v6,
              struct sockspec *spec, char *err, size_t errlen)
{
    const char *at = strchr(rest, '@');
    char host[256];
    unsigned char addr[16];
    size_t hlen;

    if (at == NULL) {
        snprintf(err, errlen, "socket \"%s\": expected PORT@HOST", text);
        return -1;
    }
    if (sockspec_port(text, rest, (size_t)(at - rest), err, errlen) != 0)
        return -1;

    hlen = strlen(at + 1);
    if (v6 && hlen >= 2 && at[1] == '[' && at[hlen] == ']' &&
        hlen - 2 < sizeof(host)) {
        memcpy(host, at + 2, hlen - 2);
        host[hlen - 2] = '\0';
    } else if (hlen < sizeof(host)) {
        memcpy(host, at + 1, hlen + 1);
    } else {
        host[0] = '\0';
    }
    if (inet_pton(v6 ? AF_INET6 : AF_INET, host, addr) != 1) {
        snprintf(err, errlen, "socket \"%s\": host must be an IPv%c address%s",
                 text, v6 ? '6' : '4', v6 ? " in brackets" : "");
        return -1;
    }
    snprintf(spec->conn, sizeof(spec->conn), "%s:%.*s@%s",
             v6 ? "inet6" : "inet", (int)(at - rest), rest, host);
    return 0;
}

int
sockspec_parse(const char *text, struct sockspec *spec, char *err,
               size_t errlen)
{
    const char *path = NULL;
    size_t plen;

    memset(spec, 0, sizeof(*spec));
    if (strncmp(text, "inet:", 5) == 0)
        return sockspec_inet(text, text + 5, false, spec, err, errlen);
    if (strncmp(text, "inet6:", 6) == 0)
        return sockspec_inet(text, text + 6, true, spec, err, errlen);
    if (strncmp(text, "unix:", 5) == 0)
        path = text + 5;
    else if (strncmp(text, "local:", 6) == 0)
        path = text + 6;
    if (path == NULL) {
        snprintf(err, errlen, "socket \"%s\": expected inet:PORT@HOST, "
                              "inet6:PORT@[HOST] or unix:PATH", text);
        return -1;
    }

    plen = strlen(path);
    if (path[0] != '/' || plen >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        snprintf(err, errlen, "socket \"%s\": the path must be absolute and "
                              "shorter than %zu bytes", text,
                 sizeof(((struct sockaddr_un *)0)->sun_path));
        return -1;
    }
    snprintf(spec->conn, sizeof(spec->conn), "unix:%s", path);
    spec->path = spec->conn + 5;
    return 0;
}

int
sockspec_clear_stale(const struct sockspec *spec, char *err, size_t errlen)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    struct stat st;
    int fd, rc;

    if (spec->path == NULL)
        return 0;
    if (lstat(spec->path, &st) != 0)
        return 0; /* nothing there */
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(err, errlen, "%s exists and is not a socket; remove it or "
                              "choose another path", spec->path);
        return -1;
    }

    /* Only a socket without a listener refuses the connection, so only
     * then is it stale and safe to remove. */
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket(): %s", strerror(errno));
        return -1;
    }
    memcpy(sun.sun_path, spec->path, strlen(spec->path) + 1);
    rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
    close(fd);
    if (rc == 0) {
        snprintf(err, errlen, "%s is in use by a running process (another "
                              "signetd?)", spec->path);
        return -1;
    }
    if (errno != ECONNREFUSED) {
        snprintf(err, errlen, "cannot check %s: %s", spec->path,
                 strerror(errno));
        return -1;
    }
    if (unlink(spec->path) != 0) {
        snprintf(err, errlen, "removing stale socket %s failed: %s",
                 spec->path, strerror(errno));
        return -1;
    }
    return 0;
}

/*
 * At end of message a filter writes each header change and then the final
 * reply as separate packets.  With Nagle's algorithm the reply waits for
 * the MTA to acknowledge the first packet, and the MTA, which is only
 * reading, delays that ACK (about 40 ms on Linux): every message that gets
 * a header pays it.  libmilter exposes neither the listening socket nor
 * the accepted ones, so find the listener among our descriptors; Linux
 * copies TCP_NODELAY from a listener to the sockets it accepts.
 */
int
sockspec_nodelay_listeners(void)
{
    struct sockaddr_storage addr;
    socklen_t len;
    int fd, accepting, on = 1, changed = 0;
    long max_fd = sysconf(_SC_OPEN_MAX);

    if (max_fd < 0 || max_fd > 4096)
        max_fd = 4096;
    for (fd = 0; fd < max_fd; fd++) {
        len = sizeof(accepting);
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0 ||
            !accepting)
            continue;
        len = sizeof(addr);
        if (getsockname(fd, (struct sockaddr *)&addr, &len) != 0 ||
            (addr.ss_family != AF_INET && addr.ss_family != AF_INET6))
            continue;
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0)
            changed++;
    }
    return changed;
}
