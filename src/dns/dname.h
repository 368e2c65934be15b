/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dname.h - domain names in the one spelling the key lookup uses for
 * comparisons and cache keys: lower case, without the trailing dot.
 *
 * DIAGNOSTICS: dname_normalize returns -1 for a name it cannot use.
 */
#ifndef SIGNET_DNS_DNAME_H
#define SIGNET_DNS_DNAME_H

#include <stddef.h>

#define DNAME_MAX 253 /* presentation length without the trailing dot */

/* Copy name (len bytes, no NUL needed) into out, lower-cased, with one
 * trailing dot removed.  Fails on an empty name, a name longer than
 * DNAME_MAX, an empty label or one longer than 63 octets, and on bytes
 * outside printable ASCII or a backslash, which libunbound would read as an
 * escape. */
int dname_normalize(const char *name, size_t len, char out[DNAME_MAX + 1]);

#endif
