/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * config.h - Signet's configuration: one libconfig file loaded into an
 * immutable, reference-counted snapshot.  The daemon swaps in a new
 * snapshot on reload; each message keeps the one it started with.  The CLI
 * uses the same loader for "signet config check".
 *
 * DIAGNOSTICS: config_load reports each problem through the report
 * callback as "FILE:LINE: message" and returns NULL when there was any.
 * Unknown settings and type errors are errors, not warnings.  Warnings
 * ("FILE:LINE: warning: message", or "FILE: warning: message" when no
 * single line is at fault) go through the same callback and do not make
 * loading fail.
 */
#ifndef SIGNET_CONF_CONFIG_H
#define SIGNET_CONF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <sys/socket.h>

#include "dkim/dkim.h"

/* The file signetd and "signet config check" read when given none. */
#define CONFIG_DEFAULT_PATH SYSCONFDIR "/signet/signet.conf"

enum config_action {
    ACTION_ACCEPT = 0,
    ACTION_QUARANTINE,
    ACTION_REJECT,
    ACTION_TEMPFAIL,
    ACTION_DISCARD,
};

/* One policy outcome with its SMTP reply (used by reject and tempfail). */
struct config_policy {
    enum config_action action;
    char *smtp_code;     /* "550", "451" */
    char *enhanced_code; /* RFC 7372: "5.7.20", "4.7.5" ... */
    char *text;          /* reply text the admin can set */
};

struct config_key {
    char *id;
    char *domain;
    char *selector;
    char *file;
    struct dkim_privkey *key;
};

enum config_match_kind {
    MATCH_DOMAIN = 0, /* "example.com": that domain only */
    MATCH_SUBDOMAINS, /* ".example.com": any subdomain, not the domain */
    MATCH_ADDRESS,    /* "user@example.com" */
};

struct config_signing_rule {
    char *match; /* lower-cased, without the leading dot */
    enum config_match_kind kind;
    const struct config_key **keys;
    unsigned key_count;
};

struct config_cidr {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    unsigned prefix;
};

struct config {
    int refs; /* __atomic builtins */
    char *path;

    char *socket;
    bool sign_mode, verify_mode;
    char *authserv_id;
    struct config_cidr *internal_hosts;
    unsigned internal_host_count;
    bool sign_authenticated;

    struct config_key *keys;
    unsigned key_count;
    struct config_signing_rule *signing; /* sorted by kind and match, not
                                          * in file order */
    unsigned signing_count;

    enum dkim_canon header_canon, body_canon;
    char **sign_headers;     /* NULL: dkim_default_sign_headers */
    char **oversign_headers; /* NULL: { "From" } */
    bool body_length;        /* l= */
    long signature_expire;   /* seconds; 0: no x= */

    unsigned max_signatures; /* verified per message, default 8 */
    long clock_skew;         /* seconds, default 300 */
    unsigned min_key_bits;   /* default 1024 */
    size_t max_header_bytes;

    char **nameservers; /* NULL-terminated, NULL when unset */
    unsigned dns_timeout;
    char *trust_anchor_file;
    char *test_keys;

    struct config_policy on_bad_signature, on_no_signature, on_dns_error,
        on_internal_error;

    char *user;     /* drop privileges to this user after binding */
    char *pid_file;
    char *syslog_facility;
    bool log_verbose;
};

typedef void (*config_report_fn)(void *arg, const char *message);

/* Load and check path.  With load_keys, every key file is read and
 * checked (mode, type, size) as the daemon would.  Returns NULL after
 * reporting at least one error. */
struct config *config_load(const char *path, bool load_keys,
                           config_report_fn report, void *arg);
struct config *config_ref(struct config *conf);
void config_unref(struct config *conf);

const char *config_action_name(enum config_action action);

/* The LOG_* facility value of syslog_facility, for openlog. */
int config_syslog_facility(const struct config *conf);

/* True when addr (a sockaddr_in or sockaddr_in6) lies in internal_hosts;
 * an IPv4-mapped IPv6 address matches IPv4 entries. */
bool config_is_internal(const struct config *conf,
                        const struct sockaddr *addr);

/* The signing rule for a From address, most specific first: the address,
 * then the exact domain, then the longest matching ".parent" rule.  local
 * and domain are compared case-insensitively.  NULL when none matches. */
const struct config_signing_rule *
config_find_signing(const struct config *conf, const char *local,
                    const char *domain);

#endif
