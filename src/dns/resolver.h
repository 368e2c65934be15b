/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * resolver.h - TXT queries through one shared libunbound context, each
 * with its own deadline, safe to call from many threads at once.
 *
 * resolver_new        create the context (forwarders, DNSSEC trust anchor)
 * resolver_query_txt  one TXT query with a timeout
 * resolver_free       destroy the context; no query may be in flight
 *
 * libunbound starts its background thread at the first query, so a
 * process may still fork (daemonize) after resolver_new.
 *
 * DIAGNOSTICS: resolver_new returns -1 with a reason in err; queries
 * report failures in the answer's outcome and reason.
 */
#ifndef SIGNET_DNS_RESOLVER_H
#define SIGNET_DNS_RESOLVER_H

#include <stddef.h>

#include "dns/txt.h"

struct resolver;

/* nameservers: "IP" or "IP@port" forwarders, NULL-terminated; NULL or
 * empty means full recursion from the root.  trust_anchor_file: NULL turns
 * DNSSEC validation off. */
int resolver_new(const char *const *nameservers, const char *trust_anchor_file,
                 struct resolver **out, char *err, size_t errlen);
void resolver_free(struct resolver *res);

/* Fill answer (which must be zeroed) for a TXT query of name, waiting at
 * most timeout_secs seconds. */
void resolver_query_txt(struct resolver *res, const char *name,
                        unsigned timeout_secs, struct txt_answer *answer);

#endif
