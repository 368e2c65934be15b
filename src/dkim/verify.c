/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verify.c - checking every DKIM-Signature field of a message (RFC 6376
 * section 6, RFC 8301, RFC 8463) and turning each into an RFC 8601 result
 * with a short reason.
 *
 * At end of header each field is parsed.  A field that does not parse is a
 * permerror at once, and each of the others gets a shared body hash.  At
 * verification the checks run in a fixed order and the first one that
 * decides sets the result: algorithm and version, i= against d=, From in
 * h=, x= and t= against the clock, the key lookup, the key record's
 * restrictions and size, the body hash, and last the signature itself.
 *
 * Functions: verify_prepare, verify_run, verify_free.
 *
 * DIAGNOSTICS: a bad or failing signature is a result, never a status.
 * The functions return DKIM_ENOMEM, or DKIM_ECRYPTO when OpenSSL cannot
 * set up a verification, because then no result can be trusted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "dkim/keyrec.h"
#include "dkim/msg.h"
#include "dkim/tagl.h"

#define VERIFY_FIELD_NAME "DKIM-Signature"
#define VERIFY_MIN_RSA_BITS 1024 /* RFC 8301 section 3.2 */

static void verify_set(struct dkim_sig_result *r, enum dkim_result result,
                       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
verify_set(struct dkim_sig_result *r, enum dkim_result result,
           const char *fmt, ...)
{
    va_list ap;

    r->result = result;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
    va_end(ap);
}

static bool
verify_is_sig_field(const struct hdr *f)
{
    return hdrs_name_is(f, VERIFY_FIELD_NAME, strlen(VERIFY_FIELD_NAME));
}

static bool
verify_is_fws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copy a tag value for a result of a field that did not parse, without
 * its white space, so that no fold reaches a header made from it. */
static enum dkim_stat
verify_tag_copy(const struct tagl *list, const char *name, char **out)
{
    const struct tagl_tag *tag = tagl_find(list, name);
    size_t i, n = 0;

    if (tag == NULL)
        return DKIM_OK;
    if ((*out = malloc(tag->value_len + 1)) == NULL)
        return DKIM_ENOMEM;
    for (i = 0; i < tag->value_len; i++)
        if (!verify_is_fws(tag->value[i]))
            (*out)[n++] = tag->value[i];
    (*out)[n] = '\0';
    return DKIM_OK;
}

/* Set i= to "@" d=, its default (RFC 6376 3.5). */
static enum dkim_stat
verify_default_identity(struct dkim_sig_result *r)
{
    size_t size = strlen(r->domain) + 2;

    if ((r->identity = malloc(size)) == NULL)
        return DKIM_ENOMEM;
    snprintf(r->identity, size, "@%s", r->domain);
    return DKIM_OK;
}

/* A field that does not parse: permerror with the parser's reason, and
 * d=, s=, a=, b= and i= (or "@" d=) taken from the tag list when at least
 * that parses. */
static enum dkim_stat
verify_parse_failed(struct dkim_sig_result *r, const struct hdr *f,
                    const char *reason)
{
    const struct tagl_tag *v;
    struct tagl *list;
    enum dkim_stat st = DKIM_OK;

    verify_set(r, DKIM_RES_PERMERROR, "%s",
               reason[0] ? reason : "invalid DKIM-Signature field");
    if ((list = malloc(sizeof(*list))) == NULL)
        return DKIM_ENOMEM;
    if (tagl_parse(f->value, f->value_len, list, NULL, 0) == DKIM_OK) {
        v = tagl_find(list, "v");
        if (v != NULL && !(v->value_len == 1 && v->value[0] == '1'))
            verify_set(r, DKIM_RES_PERMERROR, "unsupported version");
        if (st == DKIM_OK)
            st = verify_tag_copy(list, "d", &r->domain);
        if (st == DKIM_OK)
            st = verify_tag_copy(list, "s", &r->selector);
        if (st == DKIM_OK)
            st = verify_tag_copy(list, "a", &r->algorithm);
        if (st == DKIM_OK)
            st = verify_tag_copy(list, "b", &r->b);
        /* NOTE: this i= is not decoded from dkim-quoted-printable,
         * because the field failed to parse. */
        if (st == DKIM_OK)
            st = verify_tag_copy(list, "i", &r->identity);
        if (st == DKIM_OK && r->identity == NULL && r->domain != NULL)
            st = verify_default_identity(r);
    }
    free(list);
    return st;
}

static enum dkim_stat
verify_fill(struct dkim_sig_result *r, const struct dkim_sig *sig)
{
    r->domain = strdup(sig->domain);
    r->selector = strdup(sig->selector);
    r->identity = strdup(sig->identity);
    r->algorithm = strdup(sig->alg_text);
    r->b = strdup(sig->b_text);
    if (r->domain == NULL || r->selector == NULL || r->identity == NULL ||
        r->algorithm == NULL || r->b == NULL)
        return DKIM_ENOMEM;
    return DKIM_OK;
}

/* Parse one field and schedule the body hash it needs.  rsa-sha1 and
 * unknown algorithms can never pass, so they get no body hash. */
static enum dkim_stat
verify_prepare_one(struct dkim_msg *msg, struct msg_vsig *vs,
                   struct dkim_sig_result *r)
{
    const struct dkim_sig *sig;
    char reason[sizeof(r->reason)] = "";
    enum dkim_stat st;

    st = dkim_sig_parse(vs->field->value, vs->field->value_len, &vs->sig,
                        reason, sizeof(reason));
    if (st == DKIM_ENOMEM)
        return st;
    if (st != DKIM_OK)
        return verify_parse_failed(r, vs->field, reason);

    sig = vs->sig;
    if ((st = verify_fill(r, sig)) != DKIM_OK)
        return st;
    if (sig->alg != DKIM_ALG_RSA_SHA256 && sig->alg != DKIM_ALG_ED25519_SHA256)
        return DKIM_OK;
    st = bodyhash_add(&msg->bodyhash, sig->body_canon,
                      sig->has_length ? sig->length : BODYHASH_NO_LIMIT,
                      &vs->bodyhash);
    vs->has_bodyhash = st == DKIM_OK;
    return st;
}

enum dkim_stat
verify_prepare(struct dkim_msg *msg)
{
    unsigned i, found = 0, use;
    enum dkim_stat st;

    for (i = 0; i < msg->hdrs.count; i++)
        if (verify_is_sig_field(&msg->hdrs.fields[i]))
            found++;
    use = found < msg->limits.max_signatures ? found
                                              : msg->limits.max_signatures;
    msg->ignored = found - use;
    if (use == 0)
        return DKIM_OK;

    msg->vsigs = calloc(use, sizeof(*msg->vsigs));
    msg->results = calloc(use, sizeof(*msg->results));
    if (msg->vsigs == NULL || msg->results == NULL)
        return DKIM_ENOMEM;

    /* Top to bottom, so results come in the order the fields appear. */
    for (i = 0; i < msg->hdrs.count && msg->vsig_count < use; i++) {
        if (!verify_is_sig_field(&msg->hdrs.fields[i]))
            continue;
        msg->vsigs[msg->vsig_count].field = &msg->hdrs.fields[i];
        st = verify_prepare_one(msg, &msg->vsigs[msg->vsig_count],
                                &msg->results[msg->vsig_count]);
        msg->vsig_count++;
        if (st != DKIM_OK)
            return st;
    }
    return DKIM_OK;
}

void
verify_free(struct dkim_msg *msg)
{
    unsigned i;

    for (i = 0; i < msg->vsig_count; i++) {
        struct dkim_sig_result *r = &msg->results[i];

        dkim_sig_free(msg->vsigs[i].sig);
        free(r->domain);
        free(r->selector);
        free(r->identity);
        free(r->algorithm);
        free(r->b);
    }
    free(msg->vsigs);
    free(msg->results);
    msg->vsigs = NULL;
    msg->results = NULL;
    msg->vsig_count = 0;
}

/* The domain part of i=, which the parser guarantees contains an "@". */
static const char *
verify_identity_domain(const struct dkim_sig *sig)
{
    const char *at = strrchr(sig->identity, '@');

    return at != NULL ? at + 1 : "";
}

/* True when sub equals domain or is a subdomain of it. */
static bool
verify_in_domain(const char *sub, const char *domain)
{
    size_t sl = strlen(sub), dl = strlen(domain);

    if (sl == dl)
        return strcasecmp(sub, domain) == 0;
    return sl > dl && sub[sl - dl - 1] == '.' &&
           strcasecmp(sub + sl - dl, domain) == 0;
}

/* How many times h= names From. */
static unsigned
verify_signed_from_count(const struct dkim_sig *sig)
{
    unsigned i, n = 0;

    for (i = 0; i < sig->header_count; i++)
        if (strcasecmp(sig->headers[i], "From") == 0)
            n++;
    return n;
}

/* Checks that need only the field and the clock.  Returns true when they
 * decided the result. */
/* NOTE: clock_skew is used as given, so 0 allows no skew at all.  Callers
 * set the 300-second default that dkim.h names. */
static bool
verify_check_field(const struct dkim_sig *sig,
                   const struct dkim_verify_params *p,
                   struct dkim_sig_result *r)
{
    long long skew = p->clock_skew > 0 ? p->clock_skew : 0;
    long long now = (long long)p->now;

    if (sig->alg == DKIM_ALG_UNKNOWN)
        verify_set(r, DKIM_RES_PERMERROR, "unknown algorithm");
    else if (sig->alg == DKIM_ALG_RSA_SHA1)
        verify_set(r, DKIM_RES_PERMERROR,
                   "rsa-sha1 is not accepted (RFC 8301)");
    else if (!verify_in_domain(verify_identity_domain(sig), sig->domain))
        verify_set(r, DKIM_RES_PERMERROR,
                   "i= is not in the d= domain or a subdomain");
    else if (verify_signed_from_count(sig) == 0)
        verify_set(r, DKIM_RES_PERMERROR, "From is not in h=");
    else if (sig->has_expire && now > 0 &&
             (uint64_t)now > sig->expire + (uint64_t)skew)
        verify_set(r, DKIM_RES_PERMERROR, "signature expired");
    else if (sig->has_timestamp && now >= 0 &&
             sig->timestamp > (uint64_t)now + (uint64_t)skew)
        verify_set(r, DKIM_RES_PERMERROR, "signature t= is in the future");
    else
        return false;
    return true;
}

/* Look the key up; NULL means the lookup decided the result. */
static struct dkim_keyrec *
verify_fetch(const struct dkim_sig *sig, const struct dkim_verify_params *p,
             struct dkim_sig_result *r)
{
    struct dkim_key_answer answer;

    memset(&answer, 0, sizeof(answer));
    answer.status = DKIM_KEY_TEMPFAIL;
    p->fetch(p->fetch_arg, sig->domain, sig->selector, &answer);
    answer.reason[sizeof(answer.reason) - 1] = '\0';
    r->dnssec_secure = answer.dnssec_secure;

    switch (answer.status) {
    case DKIM_KEY_FOUND:
        if (answer.key != NULL)
            return answer.key;
        verify_set(r, DKIM_RES_TEMPERROR, "key lookup returned no key");
        break;
    case DKIM_KEY_NOTFOUND:
        verify_set(r, DKIM_RES_PERMERROR, "no key");
        break;
    case DKIM_KEY_INVALID:
        verify_set(r, DKIM_RES_PERMERROR, "invalid key record: %s",
                   answer.reason[0] ? answer.reason : "does not parse");
        break;
    case DKIM_KEY_TEMPFAIL:
    default:
        verify_set(r, DKIM_RES_TEMPERROR, "%s",
                   answer.reason[0] ? answer.reason : "key lookup failed");
        break;
    }
    dkim_keyrec_unref(answer.key);
    return NULL;
}

/* The key record's restrictions (RFC 6376 3.6.1) and size (RFC 8301).
 * Returns true when they decided the result. */
static bool
verify_check_key(const struct dkim_sig *sig, const struct dkim_keyrec *key,
                 const struct dkim_verify_params *p,
                 struct dkim_sig_result *r)
{
    unsigned min_bits = p->min_key_bits ? p->min_key_bits
                                        : VERIFY_MIN_RSA_BITS;

    r->testing = key->testing;
    r->key_bits = key->bits;
    if (key->revoked)
        verify_set(r, DKIM_RES_PERMERROR, "key revoked");
    else if (key->alg != sig->alg)
        verify_set(r, DKIM_RES_PERMERROR, "key k=%s does not match a=%s",
                   key->key_type, sig->alg_text);
    else if ((key->hashes & KEYREC_HASH_SHA256) == 0)
        verify_set(r, DKIM_RES_PERMERROR, "key h= does not allow sha256");
    else if (!key->email_service)
        verify_set(r, DKIM_RES_PERMERROR, "key s= does not include email");
    else if (key->strict_identity &&
             strcasecmp(verify_identity_domain(sig), sig->domain) != 0)
        verify_set(r, DKIM_RES_PERMERROR,
                   "key t=s forbids i= in a subdomain of d=");
    else if (key->pkey == NULL)
        verify_set(r, DKIM_RES_PERMERROR, "key has no usable public key");
    else if (key->alg == DKIM_ALG_RSA_SHA256 &&
             key->bits < VERIFY_MIN_RSA_BITS)
        verify_set(r, DKIM_RES_PERMERROR,
                   "RSA key has %u bits, under %d (RFC 8301)", key->bits,
                   VERIFY_MIN_RSA_BITS);
    else if (key->alg == DKIM_ALG_RSA_SHA256 && key->bits < min_bits)
        verify_set(r, DKIM_RES_POLICY, "RSA key has %u bits, under %u",
                   key->bits, min_bits);
    else
        return false;
    return true;
}

/* Returns true when the body hash decided the result. */
static bool
verify_check_body(const struct dkim_msg *msg, const struct msg_vsig *vs,
                  struct dkim_sig_result *r)
{
    const struct dkim_sig *sig = vs->sig;
    const struct bodyhash_entry *e = bodyhash_get(&msg->bodyhash,
                                                  vs->bodyhash);

    if (!vs->has_bodyhash || e == NULL) {
        verify_set(r, DKIM_RES_PERMERROR, "no body hash for a=%s",
                   sig->alg_text);
        return true;
    }
    /* NOTE: an l= past the end of the body is a fail here, because the
     * signer claims bytes that are missing.  dkimpy 1.1.4 instead hashes
     * the whole body, so the two can disagree on such a message. */
    if (sig->has_length &&
        bodyhash_total(&msg->bodyhash, sig->body_canon) < sig->length) {
        verify_set(r, DKIM_RES_FAIL, "l= is longer than the body");
        return true;
    }
    if (sig->bh_len != sizeof(e->digest) ||
        memcmp(sig->bh, e->digest, sizeof(e->digest)) != 0) {
        verify_set(r, DKIM_RES_FAIL, "body hash mismatch");
        return true;
    }
    return false;
}

/* Hash the signed header fields and this field with its b= value removed,
 * white space around the value included (RFC 6376 3.7). */
static enum dkim_stat
verify_header_digest(const struct dkim_msg *msg, const struct msg_vsig *vs,
                     unsigned char digest[32])
{
    const struct dkim_sig *sig = vs->sig;
    const struct hdr *f = vs->field;
    size_t start = sig->b_value_offset;
    size_t end = sig->b_value_offset + sig->b_value_len;
    enum dkim_stat st;
    char *value;

    if (end > f->value_len)
        return DKIM_EINVAL;
    while (start > 0 && verify_is_fws(f->value[start - 1]))
        start--;
    while (end < f->value_len && verify_is_fws(f->value[end]))
        end++;
    if ((value = malloc(f->value_len + 1)) == NULL)
        return DKIM_ENOMEM;
    memcpy(value, f->value, start);
    memcpy(value + start, f->value + end, f->value_len - end);

    st = msg_header_hash(msg, sig->header_canon,
                         (const char *const *)sig->headers, sig->header_count, f,
                         f->name, f->name_len, value,
                         f->value_len - (end - start), digest);
    free(value);
    return st;
}

/* Check b= against the header digest: *ok is the verdict, and the status
 * is DKIM_ECRYPTO only when OpenSSL could not even set up the check. */
static enum dkim_stat
verify_digest(const struct dkim_sig *sig, EVP_PKEY *pkey,
              const unsigned char digest[32], bool *ok)
{
    EVP_PKEY_CTX *pctx;
    EVP_MD_CTX *mctx;
    int setup;

    *ok = false;
    if (sig->alg == DKIM_ALG_ED25519_SHA256) {
        if ((mctx = EVP_MD_CTX_new()) == NULL)
            return DKIM_ENOMEM;
        setup = EVP_DigestVerifyInit(mctx, NULL, NULL, NULL, pkey) == 1;
        if (setup)
            *ok = EVP_DigestVerify(mctx, sig->b, sig->b_len, digest, 32) == 1;
        EVP_MD_CTX_free(mctx);
    } else {
        if ((pctx = EVP_PKEY_CTX_new(pkey, NULL)) == NULL)
            return DKIM_ENOMEM;
        setup = EVP_PKEY_verify_init(pctx) == 1 &&
                EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
                EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) == 1;
        if (setup)
            *ok = EVP_PKEY_verify(pctx, sig->b, sig->b_len, digest, 32) == 1;
        EVP_PKEY_CTX_free(pctx);
    }

    /* A wrong signature leaves errors in the queue; they are no fault. */
    ERR_clear_error();
    return setup ? DKIM_OK : DKIM_ECRYPTO;
}

static enum dkim_stat
verify_one(const struct dkim_msg *msg, const struct msg_vsig *vs,
           const struct dkim_verify_params *p, struct dkim_sig_result *r)
{
    unsigned char digest[32];
    struct dkim_keyrec *key;
    enum dkim_stat st;
    bool ok;

    if (verify_check_field(vs->sig, p, r))
        return DKIM_OK;
    if ((key = verify_fetch(vs->sig, p, r)) == NULL)
        return DKIM_OK;
    if (verify_check_key(vs->sig, key, p, r) ||
        verify_check_body(msg, vs, r)) {
        dkim_keyrec_unref(key);
        return DKIM_OK;
    }

    st = verify_header_digest(msg, vs, digest);
    if (st == DKIM_OK)
        st = verify_digest(vs->sig, key->pkey, digest, &ok);
    dkim_keyrec_unref(key);
    if (st != DKIM_OK)
        return st;
    if (!ok)
        verify_set(r, DKIM_RES_FAIL, "signature did not verify");
    else if (hdrs_count_name(&msg->hdrs, "From") >
             verify_signed_from_count(vs->sig))
        /* h= selects From fields from the bottom up, so a From added on
         * top stays outside the signature while readers display it. */
        verify_set(r, DKIM_RES_FAIL, "a From field is not signed");
    else
        verify_set(r, DKIM_RES_PASS, "%s", "");
    return DKIM_OK;
}

enum dkim_stat
verify_run(struct dkim_msg *msg, const struct dkim_verify_params *params)
{
    enum dkim_stat st;
    unsigned i;

    if (params->fetch == NULL)
        return DKIM_EINVAL;

    /* TODO: key lookups run one after another, so eight signatures whose
     * key servers never answer take eight DNS timeouts; starting every
     * lookup first and then waiting would bound that to one. */
    for (i = 0; i < msg->vsig_count; i++) {
        if (msg->vsigs[i].sig == NULL)
            continue;
        st = verify_one(msg, &msg->vsigs[i], params, &msg->results[i]);
        if (st != DKIM_OK)
            return st;
    }
    return DKIM_OK;
}
