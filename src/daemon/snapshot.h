/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * snapshot.h - the daemon's current configuration: a struct config plus the
 * key lookup built from its dns settings, shared by reference count.
 *
 * A message takes a reference when it starts (snapshot_acquire) and keeps
 * that snapshot until it ends, so a reload never changes the keys, rules
 * or resolver under a message in flight.
 *
 * DIAGNOSTICS: snapshot_load returns NULL after reporting every problem
 * through the report callback; the other functions cannot fail.
 */
#ifndef SIGNET_DAEMON_SNAPSHOT_H
#define SIGNET_DAEMON_SNAPSHOT_H

#include <stdbool.h>

#include "conf/config.h"
#include "dns/keylookup.h"

struct snapshot {
    int refs; /* __atomic builtins */
    struct config *conf;
    struct keylookup *lookup;
    unsigned long generation; /* 1 for the first load, +1 per reload */
};

/* Load path with its key files and build the key lookup.  report gets each
 * problem as one line ("FILE:LINE: message" for configuration errors). */
struct snapshot *snapshot_load(const char *path, config_report_fn report,
                               void *arg);

/* Make snap the current snapshot; the caller's reference moves into the
 * daemon, and the previous snapshot loses the daemon's reference. */
void snapshot_install(struct snapshot *snap);

/* A new reference to the current snapshot, or NULL before the first
 * snapshot_install. */
struct snapshot *snapshot_acquire(void);

void snapshot_release(struct snapshot *snap);

/* Drop the daemon's reference to the current snapshot at shutdown. */
void snapshot_shutdown(void);

#endif
