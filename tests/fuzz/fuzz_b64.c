/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_b64.c - fuzz base64: decode the input, and check that encoding the
 * input and decoding it again gives the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/b64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *out;
    size_t out_len, max = b64_decoded_max(size);
    struct dkim_buf buf;

    out = malloc(max > size ? max : size + 1);
    if (out == NULL)
        return 0;

    /* Decoding into an exact-size buffer must not write past it. */
    if (b64_decode((const char *)data, size, out, max, &out_len) == DKIM_OK &&
        out_len > max)
        abort();

    dkim_buf_init(&buf, 4 * (size / 3 + 1));
    if (b64_encode(data, size, &buf) != DKIM_OK)
        abort();
    if (b64_decode(buf.data, buf.len, out, size, &out_len) != DKIM_OK ||
        out_len != size || (size > 0 && memcmp(out, data, size) != 0))
        abort();

    dkim_buf_free(&buf);
    free(out);
    return 0;
}
