/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * settings.h - the table of top-level and dns settings of signet.conf.
 *
 * DIAGNOSTICS: problems are reported through the loader as
 * "FILE:LINE: message".
 */
#ifndef SIGNET_CONF_SETTINGS_H
#define SIGNET_CONF_SETTINGS_H

#include "conf/loader.h"

/* Set every default that does not depend on other settings. */
bool settings_defaults(struct loader *ld, struct config *conf);

/* Check and apply every member of the root group.  The keys and signing
 * lists are only recorded in ld; keys_parse reads them. */
void settings_apply_root(struct loader *ld, const config_setting_t *root,
                         struct config *conf);

/* After the walk: defaults that depend on the host (authserv_id) and
 * warnings about settings that cancel each other out. */
void settings_finish(struct loader *ld, struct config *conf);

void settings_free(struct config *conf);

#endif
