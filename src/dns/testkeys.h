/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * testkeys.h - a file of DNS data consulted instead of DNS, for tests and
 * offline use.
 *
 * Each line is "owner-name<TAB>value" (spaces also separate them), where
 * value is one of:
 *   text             one TXT record made of this text (trailing blanks
 *                    dropped);
 *   "s1" "s2" ...    one TXT record made of these character-strings, joined
 *                    with nothing between them (\" \\ and \DDD escapes);
 *   ~CNAME~ target   the owner is an alias of target;
 *   ~NXDOMAIN~, ~SERVFAIL~, ~TIMEOUT~   the query ends that way.
 * Several TXT lines for one owner form an RRset in file order.  A marker
 * line must be the only line of its owner.  Owner names are
 * case-insensitive and a trailing dot is optional.  Lines that start with
 * '#' and blank lines are ignored.  A name with no line does not exist.
 *
 * testkeys_load   read and parse a file
 * testkeys_parse  parse a buffer (the fuzz target uses this)
 * testkeys_query  answer a TXT query, following CNAMEs
 * testkeys_free   release the table
 *
 * DIAGNOSTICS: load and parse return -1 with "FILE:LINE: reason" in err.
 */
#ifndef SIGNET_DNS_TESTKEYS_H
#define SIGNET_DNS_TESTKEYS_H

#include <stddef.h>

#include "dns/txt.h"

#define TESTKEYS_MAX_FILE (16u * 1024 * 1024) /* bytes */
#define TESTKEYS_MAX_LINE 16384u              /* bytes, line end excluded */
#define TESTKEYS_MAX_LINES 200000u            /* data lines */
#define TESTKEYS_MAX_CNAMES 8u                /* aliases followed per query */
#define TESTKEYS_TTL 3600u                    /* seconds, for every answer */

struct testkeys;

int testkeys_load(const char *path, struct testkeys **out, char *err,
                  size_t errlen);
/* label names the input in error messages. */
int testkeys_parse(const char *data, size_t len, const char *label,
                   struct testkeys **out, char *err, size_t errlen);
void testkeys_free(struct testkeys *tk);

/* Fill answer (which must be zeroed) for a TXT query of name. */
void testkeys_query(const struct testkeys *tk, const char *name,
                    struct txt_answer *answer);

#endif
