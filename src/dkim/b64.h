/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * b64.h - base64 (RFC 4648 section 4) as DKIM uses it: decoding skips FWS
 * anywhere (RFC 6376 section 3.5, b= and bh=), encoding never wraps.
 *
 * DIAGNOSTICS: decode returns DKIM_ESYNTAX on a character outside the
 * alphabet, misplaced padding or a truncated quantum; DKIM_ELIMIT when the
 * output would not fit.
 */
#ifndef SIGNET_DKIM_B64_H
#define SIGNET_DKIM_B64_H

#include <stddef.h>

#include "dkim/buf.h"
#include "dkim/status.h"

/* Decode into out (out_size bytes); *out_len gets the decoded length. */
enum dkim_stat b64_decode(const char *in, size_t len, unsigned char *out,
                          size_t out_size, size_t *out_len);
/* Upper bound of the decoded size of len input characters. */
size_t b64_decoded_max(size_t len);
enum dkim_stat b64_encode(const unsigned char *in, size_t len,
                          struct dkim_buf *out);

#endif
