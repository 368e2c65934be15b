/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * authres.h - Authentication-Results fields (RFC 8601) for DKIM results.
 *
 * Every value that comes from a message (d=, i=, s=, a=, b=, reasons) is
 * written as an RFC 2045 token when it is one and as a quoted-string
 * otherwise, with '"' and '\\' escaped and control and non-ASCII bytes
 * replaced by '?', so a crafted signature cannot end the field or add a
 * result of its own.
 *
 * DIAGNOSTICS: authres_build returns DKIM_ENOMEM or DKIM_ELIMIT from the
 * output buffer.
 */
#ifndef SIGNET_DAEMON_AUTHRES_H
#define SIGNET_DAEMON_AUTHRES_H

#include <stdbool.h>
#include <stddef.h>

#include "dkim/dkim.h"

/* Length of the b= prefix shown in header.b for result idx: 8 characters,
 * more when another result's b= starts with the same 8 (RFC 6008). */
size_t authres_b_prefix_len(const struct dkim_sig_result *results,
                            unsigned count, unsigned idx);

/* Append the field value (what follows "Authentication-Results:", without
 * a leading space): the authserv-id, then one dkim= result per signature,
 * or "dkim=none" when count is 0.  Results are separated by ";" eol TAB. */
enum dkim_stat authres_build(const char *authserv_id,
                             const struct dkim_sig_result *results,
                             unsigned count, const char *eol,
                             struct dkim_buf *out);

/* True when the Authentication-Results value (as received, leading white
 * space included) names authserv_id as its authserv-id, compared without
 * regard to case. */
bool authres_claims_id(const char *value, size_t len,
                       const char *authserv_id);

#endif
