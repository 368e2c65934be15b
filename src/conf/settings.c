/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * settings.c - the top-level and dns settings of signet.conf: one table
 * entry per setting with its type, its check and where it is stored.
 * signet.conf(5) documents each one; keep the two in step.
 *
 * Public functions: settings_defaults, settings_apply_root,
 * settings_finish, settings_free, config_syslog_facility.
 *
 * DIAGNOSTICS: through the loader, "FILE:LINE: message".
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "conf/cidr.h"
#include "conf/keys.h"
#include "conf/policy.h"
#include "conf/settings.h"
#include "conf/syntax.h"

#define SETTINGS_DEFAULT_SOCKET "inet:8891@127.0.0.1"
#define SETTINGS_DEFAULT_FACILITY "mail"
#define SETTINGS_DEFAULT_MAX_HEADER_BYTES (1024 * 1024)
/* Maximum header names per list, more than twice the built-in signed list
 * (dkim_default_sign_headers). */
#define SETTINGS_HEADER_LIST_MAX 64

static const char *const settings_default_internal[] = {"127.0.0.1", "::1"};

static const struct {
    const char *name;
    int value;
} settings_facilities[] = {
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP},           {"local0", LOG_LOCAL0},
    {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},     {"local3", LOG_LOCAL3},
    {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},     {"local6", LOG_LOCAL6},
    {"local7", LOG_LOCAL7}, {"lpr", LOG_LPR},           {"mail", LOG_MAIL},
    {"news", LOG_NEWS},     {"user", LOG_USER},         {"uucp", LOG_UUCP},
};

#define SETTINGS_FACILITY_COUNT \
    (sizeof(settings_facilities) / sizeof(settings_facilities[0]))

int
config_syslog_facility(const struct config *conf)
{
    size_t i;

    for (i = 0; i < SETTINGS_FACILITY_COUNT; i++) {
        if (strcmp(conf->syslog_facility, settings_facilities[i].name) == 0)
            return settings_facilities[i].value;
    }
    return LOG_MAIL;
}

/* Report "NAME \"VALUE\": REASON" at s. */
static void
settings_invalid(struct loader *ld, const config_setting_t *s,
                 const char *reason)
{
    char name[256];

    loader_setting_name(s, name, sizeof(name));
    loader_error(ld, s, "invalid %s \"%s\": %s", name,
                 config_setting_get_string(s), reason);
}

static void
settings_apply_socket(struct loader *ld, const config_setting_t *s,
                      const struct loader_entry *entry, void *base)
{
    char err[256];

    if (!syntax_socket(config_setting_get_string(s), err, sizeof(err))) {
        settings_invalid(ld, s, err);
        return;
    }
    loader_apply_string(ld, s, entry, base);
}

static void
settings_apply_mode(struct loader *ld, const config_setting_t *s,
                    const struct loader_entry *entry, void *base)
{
    struct config *conf = base;
    const char *mode = config_setting_get_string(s);

    (void)entry;
    if (strcmp(mode, "s") != 0 && strcmp(mode, "v") != 0 &&
        strcmp(mode, "sv") != 0) {
        settings_invalid(ld, s, "expected \"s\" (sign), \"v\" (verify) or "
                         "\"sv\" (both)");
        return;
    }
    conf->sign_mode = strchr(mode, 's') != NULL;
    conf->verify_mode = strchr(mode, 'v') != NULL;
}

static void
settings_apply_token(struct loader *ld, const config_setting_t *s,
                     const struct loader_entry *entry, void *base)
{
    char err[256];

    if (!syntax_token(config_setting_get_string(s), err, sizeof(err))) {
        settings_invalid(ld, s, err);
        return;
    }
    loader_apply_string(ld, s, entry, base);
}

static void
settings_apply_internal_hosts(struct loader *ld, const config_setting_t *s,
                              const struct loader_entry *entry, void *base)
{
    struct config *conf = base;
    const config_setting_t *elem;
    unsigned count = (unsigned)config_setting_length(s), i, n = 0;
    char err[256];

    (void)entry;
    free(conf->internal_hosts);
    conf->internal_host_count = 0;
    conf->internal_hosts = loader_calloc(ld, count, sizeof(struct config_cidr));
    if (conf->internal_hosts == NULL)
        return;

    for (i = 0; i < count; i++) {
        elem = config_setting_get_elem(s, i);
        if (cidr_parse(config_setting_get_string(elem),
                       &conf->internal_hosts[n], err, sizeof(err)))
            n++;
        else
            loader_error(ld, elem, "internal_hosts: %s", err);
    }
    conf->internal_host_count = n;
}

/* Parse one canonicalization word into *out. */
static bool
settings_canon_word(const char *word, size_t len, enum dkim_canon *out)
{
    if (len == 6 && strncmp(word, "simple", 6) == 0)
        *out = DKIM_CANON_SIMPLE;
    else if (len == 7 && strncmp(word, "relaxed", 7) == 0)
        *out = DKIM_CANON_RELAXED;
    else
        return false;
    return true;
}

/* "header/body" as in c= (RFC 6376 3.5); a single word sets the header
 * canonicalization and leaves the body simple, as c= does. */
static void
settings_apply_canon(struct loader *ld, const config_setting_t *s,
                     const struct loader_entry *entry, void *base)
{
    struct config *conf = base;
    const char *text = config_setting_get_string(s);
    const char *slash = strchr(text, '/');
    enum dkim_canon header, body = DKIM_CANON_SIMPLE;
    size_t header_len = slash ? (size_t)(slash - text) : strlen(text);
    bool ok;

    (void)entry;
    ok = settings_canon_word(text, header_len, &header);
    if (ok && slash != NULL)
        ok = settings_canon_word(slash + 1, strlen(slash + 1), &body);
    if (!ok) {
        settings_invalid(ld, s, "expected HEADER/BODY with simple or relaxed "
                         "for each, such as \"relaxed/relaxed\"");
        return;
    }
    conf->header_canon = header;
    conf->body_canon = body;
}

/* sign_headers must contain From (RFC 6376 5.4); oversign_headers may be
 * empty, which turns oversigning off. */
static void
settings_apply_headers(struct loader *ld, const config_setting_t *s,
                       const struct loader_entry *entry, void *base)
{
    char ***field = (char ***)((char *)base + entry->offset);
    bool sign_list = strcmp(entry->name, "sign_headers") == 0;
    const config_setting_t *elem;
    int count = config_setting_length(s), i;
    bool has_from = false, ok = true;
    char err[256];

    if (count > SETTINGS_HEADER_LIST_MAX || (sign_list && count == 0)) {
        loader_error(ld, s, "%s must list %d to %d header field names",
                     entry->name, sign_list ? 1 : 0, SETTINGS_HEADER_LIST_MAX);
        return;
    }
    for (i = 0; i < count; i++) {
        elem = config_setting_get_elem(s, (unsigned)i);
        if (!syntax_field_name(config_setting_get_string(elem), err,
                               sizeof(err))) {
            settings_invalid(ld, elem, err);
            ok = false;
        }
        if (strcasecmp(config_setting_get_string(elem), "From") == 0)
            has_from = true;
    }
    if (sign_list && !has_from) {
        loader_error(ld, s, "sign_headers must include From, which DKIM "
                     "requires to be signed (RFC 6376 section 5.4)");
        ok = false;
    }
    if (!ok)
        return;

    loader_strings_free(*field);
    *field = loader_strings(ld, s);
}

/* A file that must exist and be readable now, such as the trust anchor. */
static void
settings_apply_readable_file(struct loader *ld, const config_setting_t *s,
                             const struct loader_entry *entry, void *base)
{
    const char *path = config_setting_get_string(s);
    struct stat st;
    char reason[300];
    int fd;

    if (path[0] != '/') {
        settings_invalid(ld, s, "the file must be an absolute path");
        return;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        snprintf(reason, sizeof(reason), "cannot open the file: %s",
                 strerror(errno));
        settings_invalid(ld, s, reason);
        return;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        settings_invalid(ld, s, "not a regular file");
        return;
    }
    close(fd);
    loader_apply_string(ld, s, entry, base);
}

static void
settings_apply_nameservers(struct loader *ld, const config_setting_t *s,
                           const struct loader_entry *entry, void *base)
{
    const config_setting_t *elem;
    int count = config_setting_length(s), i;
    bool ok = true;
    char err[256];

    for (i = 0; i < count; i++) {
        elem = config_setting_get_elem(s, (unsigned)i);
        if (!syntax_nameserver(config_setting_get_string(elem), err,
                               sizeof(err))) {
            settings_invalid(ld, elem, err);
            ok = false;
        }
    }
    if (!ok)
        return;
    loader_strings_free(((struct config *)base)->nameservers);
    ((struct config *)base)->nameservers = loader_strings(ld, s);
    (void)entry;
}

#define DNS_FIELD(name, type, apply, field, min, max) \
    {name, type, apply, offsetof(struct config, field), min, max}

static const struct loader_entry settings_dns_table[] = {
    DNS_FIELD("nameservers", LOADER_STRINGS, settings_apply_nameservers,
              nameservers, 0, 0),
    DNS_FIELD("timeout", LOADER_INT, loader_apply_int_unsigned, dns_timeout, 1,
              60),
    DNS_FIELD("test_keys", LOADER_STRING, settings_apply_readable_file,
              test_keys, 0, 0),
    DNS_FIELD("trust_anchor_file", LOADER_STRING, settings_apply_readable_file,
              trust_anchor_file, 0, 0),
};

static void
settings_apply_dns(struct loader *ld, const config_setting_t *s,
                   const struct loader_entry *entry, void *base)
{
    (void)entry;
    loader_walk(ld, s, settings_dns_table,
                sizeof(settings_dns_table) / sizeof(settings_dns_table[0]),
                base);
}

/* The user must exist when the configuration loads, so that a typo shows
 * up in "signetd -t" instead of at the first privilege drop. */
static void
settings_apply_user(struct loader *ld, const config_setting_t *s,
                    const struct loader_entry *entry, void *base)
{
    const char *name = config_setting_get_string(s);
    struct passwd pw, *found = NULL;
    char buf[4096];
    int rc;

    rc = getpwnam_r(name, &pw, buf, sizeof(buf), &found);
    if (rc != 0 || found == NULL) {
        settings_invalid(ld, s, rc != 0 ? strerror(rc)
                         : "no such user; create it (for example with "
                           "\"adduser --system signet\") or remove the "
                           "setting");
        return;
    }
    loader_apply_string(ld, s, entry, base);
}

static void
settings_apply_absolute_path(struct loader *ld, const config_setting_t *s,
                             const struct loader_entry *entry, void *base)
{
    if (config_setting_get_string(s)[0] != '/') {
        settings_invalid(ld, s, "the path must be absolute");
        return;
    }
    loader_apply_string(ld, s, entry, base);
}

static void
settings_apply_facility(struct loader *ld, const config_setting_t *s,
                        const struct loader_entry *entry, void *base)
{
    const char *name = config_setting_get_string(s);
    size_t i;

    for (i = 0; i < SETTINGS_FACILITY_COUNT; i++) {
        if (strcmp(name, settings_facilities[i].name) == 0) {
            loader_apply_string(ld, s, entry, base);
            return;
        }
    }
    settings_invalid(ld, s, "expected a syslog facility such as mail, "
                     "daemon or local0 to local7");
}

static void
settings_record_keys(struct loader *ld, const config_setting_t *s,
                     const struct loader_entry *entry, void *base)
{
    (void)entry;
    (void)base;
    ld->keys_setting = s;
}

static void
settings_record_signing(struct loader *ld, const config_setting_t *s,
                        const struct loader_entry *entry, void *base)
{
    (void)entry;
    (void)base;
    ld->signing_setting = s;
}

#define FIELD(name, type, apply, field, min, max) \
    {name, type, apply, offsetof(struct config, field), min, max}
/* The policy entries carry their enum policy_class in the offset field. */
#define POLICY(name, apply, cls) {name, LOADER_STRING, apply, cls, 0, 0}

static const struct loader_entry settings_root_table[] = {
    FIELD("socket", LOADER_STRING, settings_apply_socket, socket, 0, 0),
    FIELD("mode", LOADER_STRING, settings_apply_mode, sign_mode, 0, 0),
    FIELD("authserv_id", LOADER_STRING, settings_apply_token, authserv_id, 0,
          0),
    FIELD("internal_hosts", LOADER_STRINGS, settings_apply_internal_hosts,
          internal_hosts, 0, 0),
    FIELD("sign_authenticated", LOADER_BOOL, loader_apply_bool,
          sign_authenticated, 0, 0),
    FIELD("keys", LOADER_GROUPS, settings_record_keys, keys, 0, 0),
    FIELD("signing", LOADER_GROUPS, settings_record_signing, signing, 0, 0),
    FIELD("canonicalization", LOADER_STRING, settings_apply_canon,
          header_canon, 0, 0),
    FIELD("sign_headers", LOADER_STRINGS, settings_apply_headers,
          sign_headers, 0, 0),
    FIELD("oversign_headers", LOADER_STRINGS, settings_apply_headers,
          oversign_headers, 0, 0),
    FIELD("body_length", LOADER_BOOL, loader_apply_bool, body_length, 0, 0),
    /* An upper bound of ten years keeps t= + x= far from overflowing. */
    FIELD("signature_expire", LOADER_INT, loader_apply_int_long,
          signature_expire, 0, 315360000),
    FIELD("max_signatures", LOADER_INT, loader_apply_int_unsigned,
          max_signatures, 1, 64),
    FIELD("clock_skew", LOADER_INT, loader_apply_int_long, clock_skew, 0,
          86400),
    FIELD("min_key_bits", LOADER_INT, loader_apply_int_unsigned,
          min_key_bits, 1024, 16384),
    FIELD("max_header_bytes", LOADER_INT, loader_apply_int_size,
          max_header_bytes, 16384, 64L * 1024 * 1024),
    FIELD("dns", LOADER_GROUP, settings_apply_dns, nameservers, 0, 0),
    POLICY("on_bad_signature", policy_apply_action, POLICY_BAD_SIGNATURE),
    POLICY("on_no_signature", policy_apply_action, POLICY_NO_SIGNATURE),
    POLICY("on_dns_error", policy_apply_action, POLICY_DNS_ERROR),
    POLICY("on_internal_error", policy_apply_action, POLICY_INTERNAL_ERROR),
    POLICY("on_bad_signature_reply", policy_apply_reply, POLICY_BAD_SIGNATURE),
    POLICY("on_no_signature_reply", policy_apply_reply, POLICY_NO_SIGNATURE),
    POLICY("on_dns_error_reply", policy_apply_reply, POLICY_DNS_ERROR),
    POLICY("on_internal_error_reply", policy_apply_reply,
           POLICY_INTERNAL_ERROR),
    FIELD("user", LOADER_STRING, settings_apply_user, user, 0, 0),
    FIELD("pid_file", LOADER_STRING, settings_apply_absolute_path, pid_file,
          0, 0),
    FIELD("syslog_facility", LOADER_STRING, settings_apply_facility,
          syslog_facility, 0, 0),
    FIELD("log_verbose", LOADER_BOOL, loader_apply_bool, log_verbose, 0, 0),
};

void
settings_apply_root(struct loader *ld, const config_setting_t *root,
                    struct config *conf)
{
    loader_walk(ld, root, settings_root_table,
                sizeof(settings_root_table) / sizeof(settings_root_table[0]),
                conf);
}

bool
settings_defaults(struct loader *ld, struct config *conf)
{
    size_t i, count = sizeof(settings_default_internal) /
                      sizeof(settings_default_internal[0]);
    char err[128];

    conf->socket = loader_strdup(ld, SETTINGS_DEFAULT_SOCKET);
    conf->syslog_facility = loader_strdup(ld, SETTINGS_DEFAULT_FACILITY);
    conf->internal_hosts = loader_calloc(ld, count, sizeof(struct config_cidr));
    if (conf->socket == NULL || conf->syslog_facility == NULL ||
        conf->internal_hosts == NULL)
        return false;
    for (i = 0; i < count; i++) {
        if (!cidr_parse(settings_default_internal[i], &conf->internal_hosts[i],
                        err, sizeof(err)))
            return false;
    }
    conf->internal_host_count = (unsigned)count;

    conf->sign_mode = conf->verify_mode = true;
    conf->sign_authenticated = true;
    conf->header_canon = conf->body_canon = DKIM_CANON_RELAXED;
    conf->max_signatures = 8;
    conf->clock_skew = 300;
    conf->min_key_bits = 1024;
    conf->max_header_bytes = SETTINGS_DEFAULT_MAX_HEADER_BYTES;
    conf->dns_timeout = 5;
    policy_defaults(conf);
    return true;
}

static void
settings_default_authserv_id(struct loader *ld, struct config *conf)
{
    char host[256], err[128];

    if (gethostname(host, sizeof(host)) != 0) {
        loader_error(ld, NULL, "cannot read the host name for authserv_id "
                     "(%s); set authserv_id", strerror(errno));
        return;
    }
    host[sizeof(host) - 1] = '\0';
    if (!syntax_token(host, err, sizeof(err))) {
        loader_error(ld, NULL, "the host name \"%s\" cannot be the default "
                     "authserv_id: it %s; set authserv_id", host, err);
        return;
    }
    conf->authserv_id = loader_strdup(ld, host);
}

void
settings_finish(struct loader *ld, struct config *conf)
{
    if (conf->authserv_id == NULL)
        settings_default_authserv_id(ld, conf);

    if (conf->sign_mode && ld->signing_setting == NULL)
        loader_warn(ld, NULL, "signing mode is on but there are no signing "
                    "rules, so no message will be signed");
    if (conf->test_keys != NULL && conf->nameservers != NULL)
        loader_warn(ld, NULL, "dns.nameservers is ignored because "
                    "dns.test_keys is set");
    if (conf->test_keys != NULL && conf->trust_anchor_file != NULL)
        loader_warn(ld, NULL, "dns.trust_anchor_file is ignored because "
                    "dns.test_keys is set");

    policy_finish(ld, conf);
}

void
settings_free(struct config *conf)
{
    free(conf->socket);
    free(conf->authserv_id);
    free(conf->internal_hosts);
    loader_strings_free(conf->sign_headers);
    loader_strings_free(conf->oversign_headers);
    loader_strings_free(conf->nameservers);
    free(conf->trust_anchor_file);
    free(conf->test_keys);
    policy_free(&conf->on_bad_signature);
    policy_free(&conf->on_no_signature);
    policy_free(&conf->on_dns_error);
    policy_free(&conf->on_internal_error);
    free(conf->user);
    free(conf->pid_file);
    free(conf->syslog_facility);
}
