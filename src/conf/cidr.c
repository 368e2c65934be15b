/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cidr.c - parse and match the CIDR networks of internal_hosts.
 *
 * Public functions: cidr_parse, cidr_contains.
 *
 * DIAGNOSTICS: cidr_parse returns false with a reason that quotes the
 * entry; cidr_contains cannot fail.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/cidr.h"

/* Maximum entry length plus one: a full IPv6 address with an embedded
 * IPv4 part (45 characters), "/128" and the NUL. */
#define CIDR_TEXT_MAX 50

static const unsigned char cidr_v4_mapped_prefix[12] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
};

static bool
cidr_parse_prefix(const char *text, unsigned max, unsigned *prefix)
{
    char *end;
    unsigned long value;

    if (text[0] < '0' || text[0] > '9')
        return false;
    value = strtoul(text, &end, 10);
    if (*end != '\0' || value > max || end - text > 3)
        return false;
    *prefix = (unsigned)value;
    return true;
}

/* True when some bit at or after position prefix is set. */
static bool
cidr_host_bits_set(const unsigned char *addr, unsigned len, unsigned prefix)
{
    unsigned i;

    for (i = prefix; i < len * 8; i++) {
        if (addr[i / 8] & (0x80 >> (i % 8)))
            return true;
    }
    return false;
}

/* Turn ::ffff:a.b.c.d/N (N >= 96) into a.b.c.d/(N - 96). */
static void
cidr_unmap_v4(struct config_cidr *net)
{
    if (net->family != AF_INET6 || net->prefix < 96 ||
        memcmp(net->addr, cidr_v4_mapped_prefix, 12) != 0)
        return;
    memmove(net->addr, net->addr + 12, 4);
    memset(net->addr + 4, 0, 12);
    net->family = AF_INET;
    net->prefix -= 96;
}

bool
cidr_parse(const char *text, struct config_cidr *out, char *err,
           size_t errlen)
{
    char copy[CIDR_TEXT_MAX];
    char *slash;
    unsigned len;

    memset(out, 0, sizeof(*out));
    if (strlen(text) >= sizeof(copy)) {
        snprintf(err, errlen, "invalid network \"%.60s...\": too long", text);
        return false;
    }
    strcpy(copy, text);
    slash = strchr(copy, '/');
    if (slash != NULL)
        *slash = '\0';

    if (inet_pton(AF_INET, copy, out->addr) == 1) {
        out->family = AF_INET;
        len = 4;
    } else if (inet_pton(AF_INET6, copy, out->addr) == 1) {
        out->family = AF_INET6;
        len = 16;
    } else {
        snprintf(err, errlen,
                 "invalid network \"%s\": expected an IPv4 or IPv6 "
                 "address, optionally followed by /PREFIX", text);
        return false;
    }

    out->prefix = len * 8;
    if (slash != NULL && !cidr_parse_prefix(slash + 1, len * 8, &out->prefix)) {
        snprintf(err, errlen,
                 "invalid network \"%s\": the prefix length must be a "
                 "number from 0 to %u", text, len * 8);
        return false;
    }
    if (cidr_host_bits_set(out->addr, len, out->prefix)) {
        snprintf(err, errlen,
                 "invalid network \"%s\": address bits are set after the "
                 "/%u prefix; write the network address", text, out->prefix);
        return false;
    }

    cidr_unmap_v4(out);
    return true;
}

bool
cidr_contains(const struct config_cidr *net, int family,
              const unsigned char *addr)
{
    unsigned whole, rest;
    unsigned char mask;

    if (net->family != family)
        return false;

    whole = net->prefix / 8;
    rest = net->prefix % 8;
    if (memcmp(net->addr, addr, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    mask = (unsigned char)(0xff << (8 - rest));
    return (net->addr[whole] & mask) == (addr[whole] & mask);
}
