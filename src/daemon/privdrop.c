/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * privdrop.c - privilege drop and pid file for signetd.
 *
 * Public: privdrop_lookup, privdrop_to, privdrop_write_pid.
 *
 * DIAGNOSTICS: -1 with the failed call and its errno text in err.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/privdrop.h"

int
privdrop_lookup(const char *user, uid_t *uid, gid_t *gid, char *err,
                size_t errlen)
{
    struct passwd *pw;

    errno = 0;
    pw = getpwnam(user);
    if (pw == NULL) {
        snprintf(err, errlen, "user \"%s\" not found%s%s", user,
                 errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
        return -1;
    }
    *uid = pw->pw_uid;
    *gid = pw->pw_gid;
    return 0;
}

int
privdrop_to(const char *user, uid_t uid, gid_t gid, char *err, size_t errlen)
{
    if (getuid() == uid && geteuid() == uid)
        return 0;
    if (geteuid() != 0) {
        snprintf(err, errlen, "must start as root to switch to user \"%s\"",
                 user);
        return -1;
    }

    if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
        snprintf(err, errlen, "switching to user \"%s\" failed: %s", user,
                 strerror(errno));
        return -1;
    }

    /* setuid from root sets all three user ids; if any path back to root
     * remains, stop rather than run with it. */
    if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
        snprintf(err, errlen, "root privileges could be regained after "
                              "switching to user \"%s\"", user);
        return -1;
    }
    if (getuid() != uid || geteuid() != uid || getgid() != gid ||
        getegid() != gid) {
        snprintf(err, errlen, "user or group ids are not those of \"%s\"",
                 user);
        return -1;
    }
    return 0;
}

int
privdrop_write_pid(const char *path, char *err, size_t errlen)
{
    char line[32];
    int fd, len;

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
              0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write pid file %s: %s", path,
                 strerror(errno));
        return -1;
    }
    len = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
    if (write(fd, line, (size_t)len) != len) {
        snprintf(err, errlen, "cannot write pid file %s: %s", path,
                 strerror(errno));
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}
