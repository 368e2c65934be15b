/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_msg.c - fuzz a whole message through the engine.  The input is
 * split into header fields and body and verified with fixed key records
 * (the RFC 6376 A.3 RSA key and the RFC 8463 A.2 Ed25519 key, whatever the
 * domain).  Then it is signed with the RFC 8463 A.1 Ed25519 key, and the
 * signed copy must verify: a failure there aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dkim/dkim.h"
#include "engine_util.h"

#define FUZZ_NOW 1700000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ed_seed[] = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
static const char ed_record[] =
    "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
static const char rsa_record[] =
    "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoG"
    "eLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR"
    "+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB";

static struct dkim_privkey *sign_key;

/* Return a key for every lookup: selector "brisbane" gets the Ed25519
 * record, "missing" no record, "slow" a temporary failure, others RSA. */
static void
fixed_fetch(void *arg, const char *domain, const char *selector,
            struct dkim_key_answer *answer)
{
    const char *record = strcmp(selector, "brisbane") == 0 ? ed_record : rsa_record;

    (void)arg;
    (void)domain;
    answer->key = NULL;
    if (strcmp(selector, "missing") == 0) {
        answer->status = DKIM_KEY_NOTFOUND;
        return;
    }
    if (strcmp(selector, "slow") == 0) {
        answer->status = DKIM_KEY_TEMPFAIL;
        return;
    }
    answer->status = dkim_keyrec_parse(record, strlen(record), &answer->key,
                                       answer->reason, sizeof(answer->reason)) ==
                             DKIM_OK
                         ? DKIM_KEY_FOUND
                         : DKIM_KEY_INVALID;
}

/* Verify text; returns the first result, or NONE when there is none. */
static enum dkim_result
verify(const char *text, size_t len)
{
    struct dkim_msg *msg = dkim_msg_new(NULL);
    const struct dkim_sig_result *res;
    struct dkim_verify_params vp;
    enum dkim_result first = DKIM_RES_NONE;
    unsigned count = 0, i;
    size_t body = 0;

    memset(&vp, 0, sizeof(vp));
    vp.now = FUZZ_NOW;
    vp.clock_skew = 300;
    vp.fetch = fixed_fetch;
    if (eu_feed_header(msg, text, len, true, &body) == DKIM_OK &&
        eu_feed_body(msg, text + body, len - body, 7) == DKIM_OK &&
        dkim_msg_verify(msg, &vp, &res, &count) == DKIM_OK) {
        for (i = 0; i < count; i++)
            if (res[i].result == DKIM_RES_NONE || res[i].reason[sizeof(res[i].reason) - 1] != '\0')
                abort();
        if (count > 0)
            first = res[0].result;
    }
    dkim_msg_free(msg);
    return first;
}

/* Sign text; returns the signed copy and its length in *out_len, or NULL
 * when the engine declines. */
static char *
sign(const char *text, size_t len, enum dkim_canon hc, enum dkim_canon bc,
     size_t *out_len)
{
    struct dkim_msg *msg = dkim_msg_new(NULL);
    struct dkim_sign_params p;
    struct dkim_buf field, out;
    char err[256];
    size_t body = 0;

    memset(&p, 0, sizeof(p));
    p.key = sign_key;
    p.domain = "example.com";
    p.selector = "brisbane";
    p.header_canon = hc;
    p.body_canon = bc;
    dkim_buf_init(&field, 1 << 16);
    dkim_buf_init(&out, (size_t)-1);
    if (dkim_msg_add_signer(msg, &p) == DKIM_OK &&
        eu_feed_header(msg, text, len, false, &body) == DKIM_OK &&
        eu_feed_body(msg, text + body, len - body, 3) == DKIM_OK &&
        dkim_msg_sign(msg, 0, FUZZ_NOW, "\r\n", &field, err, sizeof(err)) == DKIM_OK) {
        dkim_buf_appends(&out, "DKIM-Signature:");
        dkim_buf_append(&out, field.data, field.len);
        dkim_buf_appends(&out, "\r\n");
        dkim_buf_append(&out, text, len);
    }
    dkim_buf_free(&field);
    dkim_msg_free(msg);
    *out_len = out.len;
    return out.data;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char err[128], *signed_text;
    enum dkim_canon hc, bc;
    size_t signed_len = 0;

    if (sign_key == NULL &&
        dkim_privkey_from_mem(ed_seed, strlen(ed_seed), &sign_key, err,
                              sizeof(err)) != DKIM_OK)
        abort();

    verify(text, size);

    /* A first line starting with white space would fold into the field
     * put above it, so the property below does not hold for it. */
    if (size > 0 && (text[0] == ' ' || text[0] == '\t'))
        return 0;
    hc = size % 2 ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
    bc = size % 4 >= 2 ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
    signed_text = sign(text, size, hc, bc, &signed_len);
    if (signed_text != NULL && verify(signed_text, signed_len) != DKIM_RES_PASS)
        abort();
    free(signed_text);
    return 0;
}
