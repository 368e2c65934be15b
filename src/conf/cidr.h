/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cidr.h - IPv4 and IPv6 networks in CIDR notation, for internal_hosts.
 *
 * DIAGNOSTICS: cidr_parse returns false and writes a one-line reason.
 */
#ifndef SIGNET_CONF_CIDR_H
#define SIGNET_CONF_CIDR_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/config.h"

/* Parse "ADDR" or "ADDR/PREFIX" (IPv4 or IPv6).  A bare address is a /32 or
 * /128.  Host bits set below the prefix are an error, because "10.1.2.3/8"
 * is more often a typo than a network.  An IPv4-mapped IPv6 network
 * (::ffff:0:0/96 and longer) is stored as the IPv4 network it covers. */
bool cidr_parse(const char *text, struct config_cidr *out, char *err,
                size_t errlen);

/* True when the address (4 bytes for AF_INET, 16 for AF_INET6) lies in
 * the network.  Families must match; map IPv4-mapped addresses first. */
bool cidr_contains(const struct config_cidr *net, int family,
                   const unsigned char *addr);

#endif
