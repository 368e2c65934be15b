/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * snapshot.c - reference-counted configuration snapshots for signetd.
 *
 * Public: snapshot_load, snapshot_install, snapshot_acquire,
 * snapshot_release, snapshot_shutdown.
 *
 * The current pointer changes only under snapshot_lock.  Reference counts
 * change with atomic builtins, so a message thread that releases the last
 * reference to an old snapshot frees it without taking the lock.
 *
 * DIAGNOSTICS: snapshot_load reports configuration and resolver errors
 * through the caller's callback and returns NULL.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon/snapshot.h"

static pthread_mutex_t snapshot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct snapshot *snapshot_current;
static unsigned long snapshot_generation;

static void
snapshot_free(struct snapshot *snap)
{
    if (snap == NULL)
        return;
    keylookup_free(snap->lookup);
    config_unref(snap->conf);
    free(snap);
}

/* Build the key lookup from the dns settings of conf. */
static struct keylookup *
snapshot_lookup_new(const struct config *conf, config_report_fn report,
                    void *arg)
{
    struct keylookup_conf klc = { 0 };
    struct keylookup *kl = NULL;
    char err[256], line[512];

    klc.nameservers = (const char *const *)conf->nameservers;
    klc.timeout_secs = conf->dns_timeout;
    klc.trust_anchor_file = conf->trust_anchor_file;
    klc.test_keys_file = conf->test_keys;
    if (keylookup_new(&klc, &kl, err, sizeof(err)) != 0) {
        snprintf(line, sizeof(line), "%s: key lookup setup failed: %s",
                 conf->path != NULL ? conf->path : "(config)", err);
        report(arg, line);
        return NULL;
    }
    return kl;
}

struct snapshot *
snapshot_load(const char *path, config_report_fn report, void *arg)
{
    struct snapshot *snap;

    snap = calloc(1, sizeof(*snap));
    if (snap == NULL) {
        report(arg, "out of memory while loading the configuration");
        return NULL;
    }
    snap->refs = 1;

    snap->conf = config_load(path, true, report, arg);
    if (snap->conf == NULL)
        goto fail;

    snap->lookup = snapshot_lookup_new(snap->conf, report, arg);
    if (snap->lookup == NULL)
        goto fail;
    return snap;

fail:
    snapshot_free(snap);
    return NULL;
}

void
snapshot_install(struct snapshot *snap)
{
    struct snapshot *old;

    pthread_mutex_lock(&snapshot_lock);
    snap->generation = ++snapshot_generation;
    old = snapshot_current;
    snapshot_current = snap;
    pthread_mutex_unlock(&snapshot_lock);

    snapshot_release(old);
}

struct snapshot *
snapshot_acquire(void)
{
    struct snapshot *snap;

    pthread_mutex_lock(&snapshot_lock);
    snap = snapshot_current;
    if (snap != NULL)
        __atomic_add_fetch(&snap->refs, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&snapshot_lock);
    return snap;
}

void
snapshot_release(struct snapshot *snap)
{
    if (snap == NULL)
        return;
    if (__atomic_sub_fetch(&snap->refs, 1, __ATOMIC_ACQ_REL) == 0)
        snapshot_free(snap);
}

void
snapshot_shutdown(void)
{
    struct snapshot *old;

    pthread_mutex_lock(&snapshot_lock);
    old = snapshot_current;
    snapshot_current = NULL;
    pthread_mutex_unlock(&snapshot_lock);
    snapshot_release(old);
}
