/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_tagl.c - fuzz the tag-list parser and check that every tag it
 * returns lies inside the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "dkim/tagl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *input = (const char *)data;
    struct tagl list;
    char err[128];
    unsigned i;

    if (tagl_parse(input, size, &list, err, sizeof(err)) != DKIM_OK)
        return 0;

    for (i = 0; i < list.count; i++) {
        const struct tagl_tag *tag = &list.tags[i];

        if (tag->name < input || tag->name_len == 0 ||
            tag->name_len > TAGL_MAX_NAME ||
            tag->value != input + tag->value_offset ||
            tag->value_offset > size ||
            tag->value_len > size - tag->value_offset)
            abort();
    }
    return 0;
}
