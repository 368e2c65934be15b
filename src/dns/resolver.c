/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * resolver.c - libunbound TXT queries with deadlines (see resolver.h).
 *
 * libunbound's synchronous ub_resolve has no timeout, so every query is
 * sent with ub_resolve_async on one context in threaded mode.  Answers of
 * all threads arrive on one pipe (ub_fd).  One waiting thread at a time
 * polls that pipe and runs ub_process, which invokes the callbacks of
 * whichever queries finished; the other threads sleep on a condition
 * variable until their answer is in or their deadline passes.
 *
 * ub_process, ub_cancel and the callbacks all run under res->lock.  That
 * makes cancellation safe with the query state on the caller's stack: in
 * threaded mode ub_cancel either succeeds, and libunbound then drops the
 * answer without calling back, or returns UB_NOID because ub_process has
 * already removed the query and, under the same lock, called back.
 * (Checked in libunbound's libunbound.c from the NLnet Labs repository:
 * process_answer_detail removes the query and process_answer calls back
 * within one ub_process call.  dns_live.sh runs this with 1.17.1.)
 *
 * DIAGNOSTICS: setup errors from resolver_new; per-query failures in the
 * answer.  Nothing is logged here; libunbound itself writes its warnings
 * to stderr.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <unbound.h>

#include "dns/dname.h"
#include "dns/resolver.h"

#define RESOLVER_TYPE_TXT 16
#define RESOLVER_CLASS_IN 1
#define RESOLVER_RCODE_NXDOMAIN 3

struct resolver {
    struct ub_ctx *ctx;
    pthread_mutex_t lock;
    pthread_cond_t answered; /* broadcast after each ub_process */
    bool polling;            /* a thread is in poll() on ub_fd */
};

/* One query in flight; written by resolver_callback under res->lock. */
struct resolver_query {
    bool done;
    int err;
    struct ub_result *result;
};

static void
resolver_callback(void *arg, int err, struct ub_result *result)
{
    struct resolver_query *query = arg;

    query->done = true;
    query->err = err;
    query->result = result;
}

void
resolver_free(struct resolver *res)
{
    if (res == NULL)
        return;
    if (res->ctx)
        ub_ctx_delete(res->ctx);
    pthread_cond_destroy(&res->answered);
    pthread_mutex_destroy(&res->lock);
    free(res);
}

static int
resolver_init_sync(struct resolver *res)
{
    pthread_condattr_t attr;
    int status;

    if (pthread_mutex_init(&res->lock, NULL) != 0)
        return -1;
    if (pthread_condattr_init(&attr) != 0)
        return -1;
    status = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (status == 0)
        status = pthread_cond_init(&res->answered, &attr);
    pthread_condattr_destroy(&attr);
    return status == 0 ? 0 : -1;
}

/* Apply forwarders and the DNSSEC choice to a fresh context. */
static int
resolver_configure(struct ub_ctx *ctx, const char *const *nameservers,
                   const char *trust_anchor_file, char *err, size_t errlen)
{
    int rc;

    if ((rc = ub_ctx_async(ctx, 1)) != 0) {
        snprintf(err, errlen, "libunbound: threaded mode failed: %s",
                 ub_strerror(rc));
        return -1;
    }

    /* NOTE: without forwarders libunbound recurses from the root servers.
     * The tests never take that path, because they must stay on loopback. */
    for (; nameservers && *nameservers; nameservers++) {
        if ((rc = ub_ctx_set_fwd(ctx, *nameservers)) != 0) {
            snprintf(err, errlen,
                     "invalid nameserver \"%s\" (expected IP or IP@port): %s",
                     *nameservers, ub_strerror(rc));
            return -1;
        }
    }

    if (trust_anchor_file == NULL) {
        rc = ub_ctx_set_option(ctx, "module-config:", "iterator");
    } else if (access(trust_anchor_file, R_OK) != 0) {
        snprintf(err, errlen, "trust anchor file %s: %s", trust_anchor_file,
                 strerror(errno));
        return -1;
    } else {
        rc = ub_ctx_add_ta_file(ctx, trust_anchor_file);
    }
    if (rc != 0) {
        snprintf(err, errlen, "libunbound: %s", ub_strerror(rc));
        return -1;
    }
    return 0;
}

int
resolver_new(const char *const *nameservers, const char *trust_anchor_file,
             struct resolver **out, char *err, size_t errlen)
{
    struct resolver *res;

    *out = NULL;
    if ((res = calloc(1, sizeof(*res))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (resolver_init_sync(res) != 0) {
        snprintf(err, errlen, "cannot initialize resolver locks");
        free(res);
        return -1;
    }
    if ((res->ctx = ub_ctx_create()) == NULL) {
        snprintf(err, errlen, "libunbound: cannot create a context");
        goto fail;
    }
    if (resolver_configure(res->ctx, nameservers, trust_anchor_file, err,
                           errlen) != 0)
        goto fail;

    *out = res;
    return 0;

fail:
    resolver_free(res);
    return -1;
}

static long long
resolver_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Poll ub_fd for up to wait_ms with the lock released, then process what
 * arrived.  Called with res->lock held and returns with it held. */
static void
resolver_poll_once(struct resolver *res, long long wait_ms)
{
    struct pollfd pfd = { .fd = ub_fd(res->ctx), .events = POLLIN };
    int ready;

    res->polling = true;
    pthread_mutex_unlock(&res->lock);
    /* At most 1 s per poll keeps the int conversion safe; the caller
     * loops until its deadline. */
    ready = poll(&pfd, 1, (int)(wait_ms > 1000 ? 1000 : wait_ms));
    pthread_mutex_lock(&res->lock);

    if (ready > 0)
        ub_process(res->ctx);
    res->polling = false;
    pthread_cond_broadcast(&res->answered);
}

static void
resolver_sleep_until(struct resolver *res, long long deadline_ms)
{
    struct timespec until = {
        .tv_sec = (time_t)(deadline_ms / 1000),
        .tv_nsec = (long)(deadline_ms % 1000) * 1000000,
    };

    pthread_cond_timedwait(&res->answered, &res->lock, &until);
}

/* Wait for query until deadline_ms; false on timeout, after the query was
 * cancelled.  Called with res->lock held. */
static bool
resolver_wait(struct resolver *res, struct resolver_query *query,
              int async_id, long long deadline_ms)
{
    while (!query->done) {
        long long now = resolver_now_ms(), until = deadline_ms;

        if (now >= deadline_ms) {
            if (ub_cancel(res->ctx, async_id) == 0)
                return false;
            /* UB_NOID means ub_process already called back (see the
             * comment at the top), so query->done is set.  Should that
             * ever not hold, keep processing in short steps rather than
             * return while libunbound may still call back into the
             * caller's stack. */
            until = now + 10;
        }
        if (!res->polling)
            resolver_poll_once(res, until - now);
        else
            resolver_sleep_until(res, until);
    }
    return true;
}

static const char *
resolver_rcode_name(int rcode)
{
    switch (rcode) {
    case 1: return "FORMERR";
    case 2: return "SERVFAIL";
    case 4: return "NOTIMP";
    case 5: return "REFUSED";
    default: return "error";
    }
}

/* Copy the TXT records of a NOERROR answer with data. */
static void
resolver_copy_records(const struct ub_result *result,
                      struct txt_answer *answer)
{
    int i;

    answer->outcome = TXT_FOUND;
    for (i = 0; result->data[i] != NULL; i++) {
        char *record;
        size_t len;
        enum dkim_stat stat;

        stat = txt_rdata_join((const unsigned char *)result->data[i],
                              result->len[i] > 0 ? (size_t)result->len[i] : 0,
                              &record, &len);
        if (stat == DKIM_OK) {
            stat = txt_answer_add(answer, record, len);
            free(record);
        }
        if (stat != DKIM_OK) {
            txt_answer_clear(answer);
            answer->outcome = TXT_SERVFAIL;
            snprintf(answer->reason, sizeof(answer->reason), "%s",
                     stat == DKIM_ESYNTAX ? "malformed TXT record data"
                                          : "out of memory");
            return;
        }
    }
}

/* Turn a libunbound result into answer. */
static void
resolver_convert(const struct ub_result *result, struct txt_answer *answer)
{
    answer->ttl = result->ttl > 0 ? (unsigned)result->ttl : 0;
    answer->secure = result->secure != 0;
    if (result->canonname == NULL ||
        dname_normalize(result->canonname, strlen(result->canonname),
                        answer->canonname) != 0)
        answer->canonname[0] = '\0';

    if (result->bogus) {
        answer->outcome = TXT_BOGUS;
        snprintf(answer->reason, sizeof(answer->reason),
                 "DNSSEC validation failed: %s",
                 result->why_bogus ? result->why_bogus : "no detail");
    } else if (result->nxdomain || result->rcode == RESOLVER_RCODE_NXDOMAIN) {
        answer->outcome = TXT_NXDOMAIN;
    } else if (result->rcode != 0) {
        answer->outcome = TXT_SERVFAIL;
        snprintf(answer->reason, sizeof(answer->reason),
                 "DNS query failed: %s", resolver_rcode_name(result->rcode));
    } else if (!result->havedata) {
        answer->outcome = TXT_NODATA;
    } else {
        resolver_copy_records(result, answer);
    }
}

void
resolver_query_txt(struct resolver *res, const char *name,
                   unsigned timeout_secs, struct txt_answer *answer)
{
    struct resolver_query query = { false, 0, NULL };
    long long deadline_ms;
    int async_id = 0, rc;
    bool answered;

    deadline_ms = resolver_now_ms() + (long long)timeout_secs * 1000;

    /* The callback only runs inside ub_process under res->lock, so the
     * query may be sent before taking the lock. */
    rc = ub_resolve_async(res->ctx, name, RESOLVER_TYPE_TXT, RESOLVER_CLASS_IN,
                          &query, resolver_callback, &async_id);
    answered = false;
    if (rc == 0) {
        pthread_mutex_lock(&res->lock);
        answered = resolver_wait(res, &query, async_id, deadline_ms);
        pthread_mutex_unlock(&res->lock);
    }

    if (rc != 0) {
        answer->outcome = TXT_SERVFAIL;
        snprintf(answer->reason, sizeof(answer->reason),
                 "DNS query not sent: %s", ub_strerror(rc));
    } else if (!answered) {
        answer->outcome = TXT_TIMEOUT;
        snprintf(answer->reason, sizeof(answer->reason),
                 "DNS query timed out after %u s", timeout_secs);
    } else if (query.err != 0 || query.result == NULL) {
        answer->outcome = TXT_SERVFAIL;
        snprintf(answer->reason, sizeof(answer->reason),
                 "DNS query failed: %s", ub_strerror(query.err));
    } else {
        resolver_convert(query.result, answer);
    }
    ub_resolve_free(query.result);
}
