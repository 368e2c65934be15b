/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * status.c - names for status codes, results and algorithms, and the c=
 * canonicalization parser.
 *
 * Functions: dkim_stat_name, dkim_result_name, dkim_alg_name,
 * dkim_canon_parse, dkim_errf, dkim_verrf.
 *
 * DIAGNOSTICS: dkim_canon_parse returns DKIM_ESYNTAX for a word other than
 * "simple" or "relaxed" and DKIM_EINVAL for a NULL argument.  The name
 * functions return "unknown" for values outside their enum.
 */
#include <stdio.h>
#include <string.h>

#include "dkim/dkim.h"

const char *
dkim_stat_name(enum dkim_stat stat)
{
    switch (stat) {
    case DKIM_OK:
        return "ok";
    case DKIM_ENOMEM:
        return "out of memory";
    case DKIM_ELIMIT:
        return "limit exceeded";
    case DKIM_ESYNTAX:
        return "syntax error";
    case DKIM_EKEY:
        return "unusable key";
    case DKIM_ECRYPTO:
        return "crypto error";
    case DKIM_EIO:
        return "i/o error";
    case DKIM_EINVAL:
        return "invalid argument";
    }
    return "unknown";
}

/* The result words of RFC 8601 section 2.7.1. */
const char *
dkim_result_name(enum dkim_result result)
{
    switch (result) {
    case DKIM_RES_NONE:
        return "none";
    case DKIM_RES_PASS:
        return "pass";
    case DKIM_RES_FAIL:
        return "fail";
    case DKIM_RES_POLICY:
        return "policy";
    case DKIM_RES_NEUTRAL:
        return "neutral";
    case DKIM_RES_TEMPERROR:
        return "temperror";
    case DKIM_RES_PERMERROR:
        return "permerror";
    }
    return "unknown";
}

const char *
dkim_alg_name(enum dkim_alg alg)
{
    switch (alg) {
    case DKIM_ALG_RSA_SHA256:
        return "rsa-sha256";
    case DKIM_ALG_ED25519_SHA256:
        return "ed25519-sha256";
    case DKIM_ALG_RSA_SHA1:
        return "rsa-sha1";
    case DKIM_ALG_UNKNOWN:
        break;
    }
    return "unknown";
}

/* Match one canonicalization word of exactly len bytes. */
static enum dkim_stat
canon_word(const char *word, size_t len, enum dkim_canon *canon)
{
    if (len == 6 && memcmp(word, "simple", 6) == 0) {
        *canon = DKIM_CANON_SIMPLE;
        return DKIM_OK;
    }
    if (len == 7 && memcmp(word, "relaxed", 7) == 0) {
        *canon = DKIM_CANON_RELAXED;
        return DKIM_OK;
    }
    return DKIM_ESYNTAX;
}

/*
 * Parse "header/body" or a lone header word.  RFC 6376 3.5 makes the words
 * case-sensitive and leaves the body simple when only one is given.  The
 * outputs change only on success.
 */
enum dkim_stat
dkim_canon_parse(const char *text, enum dkim_canon *header,
                 enum dkim_canon *body)
{
    enum dkim_canon h, b = DKIM_CANON_SIMPLE;
    const char *slash;

    if (text == NULL || header == NULL || body == NULL)
        return DKIM_EINVAL;

    slash = strchr(text, '/');
    if (slash == NULL) {
        if (canon_word(text, strlen(text), &h) != DKIM_OK)
            return DKIM_ESYNTAX;
    } else {
        if (canon_word(text, (size_t)(slash - text), &h) != DKIM_OK ||
            canon_word(slash + 1, strlen(slash + 1), &b) != DKIM_OK)
            return DKIM_ESYNTAX;
    }

    *header = h;
    *body = b;
    return DKIM_OK;
}

void
dkim_verrf(char *err, size_t errlen, const char *fmt, va_list ap)
{
    if (err != NULL && errlen > 0)
        vsnprintf(err, errlen, fmt, ap);
}

void
dkim_errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dkim_verrf(err, errlen, fmt, ap);
    va_end(ap);
}
