/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syntax.c - syntax checks for the text values of signet.conf.
 *
 * Public functions: syntax_domain, syntax_selector, syntax_local_part,
 * syntax_socket, syntax_nameserver, syntax_field_name, syntax_token.
 *
 * DIAGNOSTICS: each function returns false with a reason in err.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "conf/syntax.h"

#define SYNTAX_DOMAIN_MAX 253
#define SYNTAX_LABEL_MAX 63
#define SYNTAX_LOCAL_MAX 64

static bool
syntax_is_let_dig(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* RFC 5321 sub-domain = Let-dig [Ldh-str]: letters, digits and inner
 * hyphens. */
static bool
syntax_sub_domain(const char *p, size_t len)
{
    size_t i;

    if (len == 0 || len > SYNTAX_LABEL_MAX)
        return false;
    if (!syntax_is_let_dig(p[0]) || !syntax_is_let_dig(p[len - 1]))
        return false;
    for (i = 1; i + 1 < len; i++) {
        if (!syntax_is_let_dig(p[i]) && p[i] != '-')
            return false;
    }
    return true;
}

/* Check dot-separated sub-domains.  what names the value in the reason. */
static bool
syntax_labels(const char *text, const char *what, char *err, size_t errlen)
{
    const char *p = text, *dot;
    size_t len = strlen(text);

    if (len == 0 || len > SYNTAX_DOMAIN_MAX) {
        snprintf(err, errlen, "a %s must be 1 to %d characters long", what,
                 SYNTAX_DOMAIN_MAX);
        return false;
    }
    for (;;) {
        dot = strchr(p, '.');
        len = dot != NULL ? (size_t)(dot - p) : strlen(p);
        if (!syntax_sub_domain(p, len)) {
            snprintf(err, errlen,
                     "invalid %s: each label must be 1 to %d letters, digits "
                     "or inner hyphens (use the xn-- form for "
                     "internationalized names)",
                     what, SYNTAX_LABEL_MAX);
            return false;
        }
        if (dot == NULL)
            return true;
        p = dot + 1;
    }
}

bool
syntax_domain(const char *text, char *err, size_t errlen)
{
    return syntax_labels(text, "domain name", err, errlen);
}

bool
syntax_selector(const char *text, char *err, size_t errlen)
{
    return syntax_labels(text, "selector", err, errlen);
}

/* RFC 5322 3.2.3 atext. */
static bool
syntax_is_atext(char c)
{
    return syntax_is_let_dig(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

bool
syntax_local_part(const char *text, size_t len, char *err, size_t errlen)
{
    size_t i;
    bool after_dot = true;

    if (len == 0 || len > SYNTAX_LOCAL_MAX) {
        snprintf(err, errlen, "a local part must be 1 to %d characters long",
                 SYNTAX_LOCAL_MAX);
        return false;
    }
    for (i = 0; i < len; i++) {
        if (text[i] == '.' && !after_dot) {
            after_dot = true;
            continue;
        }
        if (!syntax_is_atext(text[i]))
            break;
        after_dot = false;
    }
    if (i < len || after_dot) {
        /* NOTE: quoted local parts ("a b"@example.com) are not supported. */
        snprintf(err, errlen,
                 "invalid local part: expected a dot-atom such as "
                 "first.last (quoted local parts are not supported)");
        return false;
    }
    return true;
}

/* Parse a decimal port 1..65535 ending at end (exclusive). */
static bool
syntax_port(const char *p, const char *end)
{
    unsigned long port = 0;

    if (p == end || end - p > 5)
        return false;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return false;
        port = port * 10 + (unsigned long)(*p - '0');
    }
    return port >= 1 && port <= 65535;
}

static bool
syntax_socket_unix(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sun;

    if (path[0] != '/') {
        snprintf(err, errlen, "a unix socket path must be absolute");
        return false;
    }
    if (strlen(path) >= sizeof(sun.sun_path)) {
        snprintf(err, errlen, "a unix socket path must be shorter than %zu "
                 "characters", sizeof(sun.sun_path));
        return false;
    }
    return true;
}

static bool
syntax_socket_inet(const char *spec, int family, char *err, size_t errlen)
{
    const char *at = strchr(spec, '@');
    const char *host;
    char addr[INET6_ADDRSTRLEN + 1];
    unsigned char bytes[16];
    size_t len;

    if (at == NULL || !syntax_port(spec, at)) {
        snprintf(err, errlen, "expected %s:PORT@%s with PORT from 1 to 65535",
                 family == AF_INET ? "inet" : "inet6",
                 family == AF_INET ? "IPV4-ADDRESS" : "[IPV6-ADDRESS]");
        return false;
    }
    host = at + 1;
    len = strlen(host);
    if (family == AF_INET6) {
        if (len < 2 || host[0] != '[' || host[len - 1] != ']') {
            snprintf(err, errlen, "put the IPv6 address in brackets: "
                     "inet6:PORT@[ADDRESS]");
            return false;
        }
        host++;
        len -= 2;
    }
    if (len >= sizeof(addr)) {
        snprintf(err, errlen, "invalid IP address");
        return false;
    }
    memcpy(addr, host, len);
    addr[len] = '\0';
    if (inet_pton(family, addr, bytes) != 1) {
        snprintf(err, errlen, "invalid %s address \"%s\"",
                 family == AF_INET ? "IPv4" : "IPv6", addr);
        return false;
    }
    return true;
}

bool
syntax_socket(const char *text, char *err, size_t errlen)
{
    if (strncmp(text, "unix:", 5) == 0)
        return syntax_socket_unix(text + 5, err, errlen);
    /* libmilter's own synonym for unix: */
    if (strncmp(text, "local:", 6) == 0)
        return syntax_socket_unix(text + 6, err, errlen);
    if (strncmp(text, "inet:", 5) == 0)
        return syntax_socket_inet(text + 5, AF_INET, err, errlen);
    if (strncmp(text, "inet6:", 6) == 0)
        return syntax_socket_inet(text + 6, AF_INET6, err, errlen);
    snprintf(err, errlen, "expected unix:/PATH, inet:PORT@IPV4-ADDRESS or "
             "inet6:PORT@[IPV6-ADDRESS]");
    return false;
}

bool
syntax_nameserver(const char *text, char *err, size_t errlen)
{
    const char *at = strchr(text, '@');
    size_t len = at != NULL ? (size_t)(at - text) : strlen(text);
    char addr[INET6_ADDRSTRLEN + 1];
    unsigned char bytes[16];

    if (at != NULL && !syntax_port(at + 1, at + 1 + strlen(at + 1))) {
        snprintf(err, errlen, "the port after @ must be a number from 1 to "
                 "65535");
        return false;
    }
    if (len >= sizeof(addr)) {
        snprintf(err, errlen, "expected an IP address, optionally followed "
                 "by @PORT");
        return false;
    }
    memcpy(addr, text, len);
    addr[len] = '\0';
    if (inet_pton(AF_INET, addr, bytes) != 1 &&
        inet_pton(AF_INET6, addr, bytes) != 1) {
        snprintf(err, errlen, "expected an IP address (IPv6 without "
                 "brackets), optionally followed by @PORT");
        return false;
    }
    return true;
}

bool
syntax_field_name(const char *text, char *err, size_t errlen)
{
    const char *p;

    if (*text == '\0') {
        snprintf(err, errlen, "a header field name must not be empty");
        return false;
    }
    for (p = text; *p != '\0'; p++) {
        if (*p < 33 || *p > 126 || *p == ':') {
            snprintf(err, errlen, "a header field name may contain only "
                     "printable ASCII characters other than colon");
            return false;
        }
    }
    return true;
}

bool
syntax_token(const char *text, char *err, size_t errlen)
{
    const char *p;

    if (*text == '\0' || strlen(text) > 255) {
        snprintf(err, errlen, "must be 1 to 255 characters long");
        return false;
    }
    for (p = text; *p != '\0'; p++) {
        if (!syntax_is_let_dig(*p) && strchr(".-_", *p) == NULL) {
            snprintf(err, errlen, "may contain only letters, digits, '.', "
                     "'-' and '_'");
            return false;
        }
    }
    return true;
}
