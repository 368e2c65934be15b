/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dname.c - domain name normalization (see dname.h).
 *
 * DIAGNOSTICS: -1 for an unusable name; nothing is logged.
 */
#include "dns/dname.h"

#define DNAME_MAX_LABEL 63

int
dname_normalize(const char *name, size_t len, char out[DNAME_MAX + 1])
{
    size_t i, label = 0;

    if (len > 0 && name[len - 1] == '.')
        len--;
    if (len == 0 || len > DNAME_MAX)
        return -1;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];

        if (c == '.') {
            if (label == 0)
                return -1;
            label = 0;
        } else if (c <= 0x20 || c >= 0x7f || c == '\\') {
            return -1;
        } else if (++label > DNAME_MAX_LABEL) {
            return -1;
        }
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
    }
    if (label == 0)
        return -1;

    out[len] = '\0';
    return 0;
}
