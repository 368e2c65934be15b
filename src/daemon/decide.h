/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * decide.h - choose whether signetd signs a message, verifies it, or
 * passes it through untouched.
 *
 * DIAGNOSTICS: decide_message always returns a mode and writes why into a
 * caller buffer, for the debug log.
 */
#ifndef SIGNET_DAEMON_DECIDE_H
#define SIGNET_DAEMON_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "conf/config.h"

enum decide_mode {
    DECIDE_PASS = 0, /* neither sign nor verify */
    DECIDE_SIGN,
    DECIDE_VERIFY,
};

struct decide_input {
    const struct sockaddr *client; /* NULL when the MTA gave no address */
    bool authenticated;            /* {auth_authen} was set */
    const char *from;              /* first From value, or NULL */
    size_t from_len;
    unsigned from_count;
};

/* Sign when sign mode is on, the client is internal or authenticated (with
 * sign_authenticated), there is exactly one From field and its domain has
 * a signing rule; *rule is then set.  Otherwise verify in verify mode, and
 * pass through when verify mode is off. */
enum decide_mode decide_message(const struct config *conf,
                                const struct decide_input *in,
                                const struct config_signing_rule **rule,
                                char *why, size_t why_size);

const char *decide_mode_name(enum decide_mode mode);

#endif
