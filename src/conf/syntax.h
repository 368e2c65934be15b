/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syntax.h - syntax checks for the text values of signet.conf: domain
 * names, selectors, local parts, milter sockets, name servers, header
 * field names and identifiers.
 *
 * DIAGNOSTICS: each check returns false and writes a one-line reason that
 * names the problem without repeating the value.
 */
#ifndef SIGNET_CONF_SYNTAX_H
#define SIGNET_CONF_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

/* A DNS name of LDH labels (RFC 5321 Domain, A-labels for IDNs), at most
 * 253 octets, with no trailing dot.  Used for d= domains. */
bool syntax_domain(const char *text, char *err, size_t errlen);

/* A selector (RFC 6376 3.1): one or more LDH labels joined by dots. */
bool syntax_selector(const char *text, char *err, size_t errlen);

/* A dot-atom local part (RFC 5322 3.4.1), at most 64 octets. */
bool syntax_local_part(const char *text, size_t len, char *err,
                       size_t errlen);

/* unix:/ABSOLUTE/PATH (or local:/ABSOLUTE/PATH), inet:PORT@IPV4 or
 * inet6:PORT@[IPV6]. */
bool syntax_socket(const char *text, char *err, size_t errlen);

/* IP or IP@PORT, IPv4 or IPv6 without brackets (libunbound's forwarder
 * syntax). */
bool syntax_nameserver(const char *text, char *err, size_t errlen);

/* A header field name (RFC 5322 2.2: printable ASCII except colon). */
bool syntax_field_name(const char *text, char *err, size_t errlen);

/* An identifier made of letters, digits, '.', '-' and '_' (key ids and
 * authserv_id). */
bool syntax_token(const char *text, char *err, size_t errlen);

#endif
