/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * privdrop.h - switch from root to the configured user, and the pid file.
 *
 * DIAGNOSTICS: functions return -1 and write a reason into err.
 */
#ifndef SIGNET_DAEMON_PRIVDROP_H
#define SIGNET_DAEMON_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

/* Look up user; fills uid and gid.  */
int privdrop_lookup(const char *user, uid_t *uid, gid_t *gid, char *err,
                    size_t errlen);

/* Set the groups to gid only, then gid and uid, and check that root cannot
 * be regained.  When the process already runs as uid, nothing changes. */
int privdrop_to(const char *user, uid_t uid, gid_t gid, char *err,
                size_t errlen);

/* Write the process id to path (created or replaced, mode 0644). */
int privdrop_write_pid(const char *path, char *err, size_t errlen);

#endif
