/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_authres.c - fuzz the Authentication-Results matcher and builder of
 * signetd.  The input is a list of NUL-separated parts:
 *
 *   authserv-id, received value, then per result: flags, reason, d=, i=,
 *   s=, a=, b=
 *
 * The received value goes to authres_claims_id.  Each group of seven parts
 * becomes one dkim_sig_result.  The first flags byte gives the result
 * (modulo 7), t=y (bit 3) and DNSSEC (bit 4), and the second one marks d=,
 * i=, s=, a= and b= as absent (bits 0 to 4).  The built field must keep
 * every line break inside a fold, hold one top-level ";" per result, and
 * still claim the authserv-id when that is printable ASCII.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/authres.h"

#define FUZZ_MAX_RESULTS 64
#define FUZZ_PARTS_PER_RESULT 7
/* The size cap signetd gives the buffer (EOM_FIELD_MAX in eom.c). */
#define FUZZ_FIELD_MAX 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct parts {
    const char *text[2 + FUZZ_MAX_RESULTS * FUZZ_PARTS_PER_RESULT];
    size_t count;
};

/* Split text[0..size) at NUL bytes.  text[size] must be NUL. */
static void
split_parts(const char *text, size_t size, struct parts *p)
{
    size_t pos = 0;
    size_t max = sizeof(p->text) / sizeof(p->text[0]);

    p->count = 0;
    while (p->count < max) {
        p->text[p->count++] = text + pos;
        pos += strlen(text + pos);
        if (pos >= size)
            break;
        pos++;
    }
}

static char *
copy_or_null(const char *s, bool absent)
{
    return absent ? NULL : strdup(s);
}

/* Fill r from parts[0..7), reading "" for parts past the end. */
static void
make_result(const char *const *part, size_t avail, struct dkim_sig_result *r)
{
    const char *v[FUZZ_PARTS_PER_RESULT];
    unsigned char flags, absent;
    size_t i;

    for (i = 0; i < FUZZ_PARTS_PER_RESULT; i++)
        v[i] = i < avail ? part[i] : "";
    flags = (unsigned char)v[0][0];
    absent = v[0][0] != '\0' ? (unsigned char)v[0][1] : 0;

    memset(r, 0, sizeof(*r));
    r->result = (enum dkim_result)(flags % 7);
    r->testing = (flags & 0x08) != 0;
    r->dnssec_secure = (flags & 0x10) != 0;
    strncpy(r->reason, v[1], sizeof(r->reason) - 1);
    r->domain = copy_or_null(v[2], absent & 0x01);
    r->identity = copy_or_null(v[3], absent & 0x02);
    r->selector = copy_or_null(v[4], absent & 0x04);
    r->algorithm = copy_or_null(v[5], absent & 0x08);
    r->b = copy_or_null(v[6], absent & 0x10);
}

static void
free_result(struct dkim_sig_result *r)
{
    free(r->domain);
    free(r->identity);
    free(r->selector);
    free(r->algorithm);
    free(r->b);
}

/* The header.b prefix must be at least 8 characters (or all of a shorter
 * b=) and tell this b= apart from every other one that differs. */
static void
check_b_prefix(const struct dkim_sig_result *results, unsigned count)
{
    unsigned i, j;

    for (i = 0; i < count; i++) {
        size_t n = authres_b_prefix_len(results, count, i), len;

        if (results[i].b == NULL) {
            if (n != 0)
                abort();
            continue;
        }
        len = strlen(results[i].b);
        if (n > len || (n < 8 && n != len))
            abort();
        if (n == len)
            continue;
        for (j = 0; j < count; j++)
            if (j != i && results[j].b != NULL &&
                strncmp(results[j].b, results[i].b, n) == 0 &&
                strcmp(results[j].b, results[i].b) != 0)
                abort();
    }
}

/* Check the characters, folds, quoted-strings and comments of a built
 * value, and return the number of ";" outside them. */
static unsigned
scan_value(const char *s, size_t len)
{
    unsigned semicolons = 0, depth = 0;
    bool quoted = false;
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '\r') {
            if (i + 1 >= len || s[i + 1] != '\n')
                abort();
            continue;
        }
        if (c == '\n') {
            if (quoted || i + 1 >= len || (s[i + 1] != ' ' && s[i + 1] != '\t'))
                abort();
            continue;
        }
        if ((c < 0x20 && c != '\t') || c >= 0x7f)
            abort();

        if (quoted) {
            if (c == '\\')
                i++;
            else if (c == '"')
                quoted = false;
        } else if (depth > 0) {
            if (c == '(')
                depth++;
            else if (c == ')')
                depth--;
        } else if (c == '"') {
            quoted = true;
        } else if (c == '(') {
            depth++;
        } else if (c == ';') {
            semicolons++;
        }
    }
    if (quoted || depth != 0)
        abort();
    return semicolons;
}

static bool
is_printable_id(const char *id)
{
    size_t len = strlen(id), i;

    if (len == 0 || len > 255)
        return false;
    for (i = 0; i < len; i++)
        if ((unsigned char)id[i] < 0x20 || (unsigned char)id[i] >= 0x7f)
            return false;
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dkim_sig_result results[FUZZ_MAX_RESULTS];
    const char *eol = size % 2 ? "\r\n" : "\n";
    struct dkim_buf out;
    struct parts parts;
    unsigned count = 0, i;
    char *text;

    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    split_parts(text, size, &parts);

    if (parts.count > 1)
        authres_claims_id(parts.text[1], strlen(parts.text[1]), parts.text[0]);

    for (i = 2; i < parts.count && count < FUZZ_MAX_RESULTS;
         i += FUZZ_PARTS_PER_RESULT)
        make_result(&parts.text[i], parts.count - i, &results[count++]);
    check_b_prefix(results, count);

    dkim_buf_init(&out, FUZZ_FIELD_MAX);
    if (authres_build(parts.text[0], results, count, eol, &out) == DKIM_OK) {
        if (scan_value(out.data, out.len) != (count > 0 ? count : 1))
            abort();
        if (is_printable_id(parts.text[0]) &&
            !authres_claims_id(out.data, out.len, parts.text[0]))
            abort();
    }

    dkim_buf_free(&out);
    for (i = 0; i < count; i++)
        free_result(&results[i]);
    free(text);
    return 0;
}
