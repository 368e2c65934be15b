/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keys.h - the keys and signing lists of signet.conf.
 *
 * DIAGNOSTICS: problems are reported through the loader as
 * "FILE:LINE: message"; key material never appears in them.
 */
#ifndef SIGNET_CONF_KEYS_H
#define SIGNET_CONF_KEYS_H

#include "conf/loader.h"

/* Fill conf->keys from ld->keys_setting and conf->signing from
 * ld->signing_setting, resolving each rule's key ids.  With load_keys,
 * read every key file through dkim_privkey_load with the mode check on. */
void keys_parse(struct loader *ld, struct config *conf, bool load_keys);

void keys_free(struct config *conf);

#endif
