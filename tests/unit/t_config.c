/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_config.c - configuration loading: accepted values, every rejection
 * with its line number, CIDR matching, signing rule precedence, key file
 * modes, and the shipped example conf/signet.conf.
 *
 * Each case writes a small file into a temporary directory and loads it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "conf/cidr.h"
#include "conf/config.h"
#include "tap.h"

static char tmpdir[256];

/* Messages reported by the last load, one per line. */
static char messages[16384];

static void
collect(void *arg, const char *message)
{
    size_t used = strlen(messages);

    (void)arg;
    snprintf(messages + used, sizeof(messages) - used, "%s\n", message);
}

static const char *
write_file(const char *name, const char *text)
{
    static char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
    return path;
}

/* The path of name in the temporary directory. */
static const char *
tmpdir_file(const char *name)
{
    static char path[512];

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    return path;
}

static struct config *
load_text(const char *text, bool load_keys)
{
    const char *path = write_file("t.conf", text);

    messages[0] = '\0';
    return config_load(path, load_keys, collect, NULL);
}

/* True when some reported line is "DIR/t.conf:LINE: ..." and contains
 * want. */
static bool
reported(unsigned line, const char *want)
{
    char prefix[300];
    const char *p = messages, *end;
    size_t plen;

    snprintf(prefix, sizeof(prefix), "%s/t.conf:%u: ", tmpdir, line);
    plen = strlen(prefix);
    while (*p != '\0') {
        end = strchr(p, '\n');
        if (strncmp(p, prefix, plen) == 0) {
            const char *hit = strstr(p, want);

            if (hit != NULL && hit < end)
                return true;
        }
        p = end + 1;
    }
    return false;
}

/* Number of reported errors: lines that are not warnings. */
static unsigned
error_count(void)
{
    unsigned n = 0;
    const char *p = messages, *end;

    for (; *p != '\0'; p = end + 1) {
        end = strchr(p, '\n');
        if (strstr(p, ": warning: ") == NULL ||
            strstr(p, ": warning: ") > end)
            n++;
    }
    return n;
}

/* Files every accepted configuration below may refer to. */
static char key_path[512], test_keys_path[512];

struct reject_case {
    const char *name;
    const char *text;
    unsigned line;    /* where the error must be reported */
    const char *want; /* text the message must contain */
};

static const struct reject_case reject_cases[] = {
    {"parse error", "socket = ;\n", 1, "syntax error"},
    {"unknown top-level", "mode = \"sv\";\nsockett = \"x\";\n", 2,
     "unknown setting \"sockett\"; did you mean \"socket\"?"},
    {"unknown far off", "frobnicate = 1;\n", 1,
     "unknown setting \"frobnicate\""},
    {"unknown in dns", "dns = {\n  timout = 5;\n};\n", 2,
     "unknown setting \"dns.timout\"; did you mean \"timeout\"?"},
    {"unknown in key",
     "keys = ( { id = \"a\"; domain = \"example.com\"; selector = \"s\";\n"
     "  file = \"/k\"; color = \"red\"; } );\n",
     2, "unknown setting \"keys[0].color\""},
    {"unknown in rule",
     "signing = (\n { match = \"example.com\"; keys = [ \"a\" ];\n"
     "   mach = 1; } );\n",
     3, "unknown setting \"signing[0].mach\""},
    {"string wanted", "\n\nmode = 1;\n", 3,
     "mode must be a string, not an integer"},
    {"bool wanted", "sign_authenticated = \"yes\";\n", 1,
     "must be a boolean (true or false), not a string"},
    {"int wanted", "dns = { timeout = 5.0; };\n", 1,
     "dns.timeout must be an integer, not a floating-point number"},
    {"array wanted", "internal_hosts = \"127.0.0.1\";\n", 1,
     "internal_hosts must be an array of strings"},
    {"array element type", "internal_hosts = [\n 1, 2 ];\n", 2,
     "internal_hosts[0] must be a string, not an integer"},
    {"group wanted", "dns = [ \"127.0.0.1\" ];\n", 1,
     "dns must be a group"},
    {"groups wanted", "keys = { id = \"a\"; };\n", 1,
     "keys must be a list of groups"},
    {"socket relative unix", "socket = \"unix:run/s.sock\";\n", 1,
     "must be absolute"},
    {"socket long unix",
     "socket = \"unix:/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\";\n",
     1, "shorter than"},
    {"socket port zero", "socket = \"inet:0@127.0.0.1\";\n", 1,
     "PORT from 1 to 65535"},
    {"socket port high", "socket = \"inet:65536@127.0.0.1\";\n", 1,
     "PORT from 1 to 65535"},
    {"socket v6 in inet", "socket = \"inet:8891@::1\";\n", 1,
     "invalid IPv4 address"},
    {"socket v6 brackets", "socket = \"inet6:8891@::1\";\n", 1,
     "brackets"},
    {"socket bad v4", "socket = \"inet:8891@999.0.0.1\";\n", 1,
     "invalid IPv4 address"},
    {"socket scheme", "socket = \"tcp:8891@127.0.0.1\";\n", 1,
     "expected unix:/PATH"},
    {"mode word", "mode = \"sign\";\n", 1, "invalid mode \"sign\""},
    {"authserv_id space", "authserv_id = \"mx example\";\n", 1,
     "invalid authserv_id"},
    {"cidr host bits", "internal_hosts = [ \"10.1.2.3/8\" ];\n", 1,
     "bits are set after the /8 prefix"},
    {"cidr v4 prefix", "internal_hosts = [ \"10.0.0.0/33\" ];\n", 1,
     "from 0 to 32"},
    {"cidr v6 prefix", "internal_hosts = [ \"::/129\" ];\n", 1,
     "from 0 to 128"},
    {"cidr empty prefix", "internal_hosts = [ \"10.0.0.0/\" ];\n", 1,
     "from 0 to 32"},
    {"cidr sign prefix", "internal_hosts = [ \"10.0.0.0/+8\" ];\n", 1,
     "from 0 to 32"},
    {"cidr not address", "internal_hosts = [\n \"::1\",\n \"gateway\" ];\n",
     3, "expected an IPv4 or IPv6 address"},
    {"key missing field",
     "keys = ( { id = \"a\"; domain = \"example.com\";\n"
     "           file = \"/k\"; } );\n",
     1, "is missing the required setting \"selector\""},
    {"key bad domain",
     "keys = ( { id = \"a\"; domain = \"exa_mple.com\"; selector = \"s\";\n"
     "           file = \"/k\"; } );\n",
     1, "invalid domain name"},
    {"key trailing dot",
     "keys = ( { id = \"a\"; domain = \"example.com.\"; selector = \"s\";\n"
     "           file = \"/k\"; } );\n",
     1, "invalid domain name"},
    {"key bad selector",
     "keys = ( { id = \"a\"; domain = \"example.com\";\n"
     "  selector = \"-s\"; file = \"/k\"; } );\n",
     2, "invalid selector"},
    {"key relative file",
     "keys = ( { id = \"a\"; domain = \"example.com\"; selector = \"s\";\n"
     "  file = \"keys/a.pem\"; } );\n",
     2, "must be an absolute path"},
    {"key bad id",
     "keys = ( { id = \"a b\"; domain = \"example.com\"; selector = \"s\";\n"
     "  file = \"/k\"; } );\n",
     1, "keys[0].id \"a b\": may contain only"},
    {"key duplicate id",
     "keys = ( { id = \"a\"; domain = \"example.com\"; selector = \"s1\";"
     " file = \"/k\"; },\n"
     "         { id = \"a\"; domain = \"example.com\"; selector = \"s2\";"
     " file = \"/k\"; } );\n",
     2, "duplicate key id \"a\" (first defined at line 1)"},
    {"rule unknown key",
     "keys = ( { id = \"a\"; domain = \"example.com\"; selector = \"s\";"
     " file = \"/k\"; } );\n"
     "signing = ( { match = \"example.com\";\n"
     "  keys = [ \"a\",\n"
     "           \"b\" ]; } );\n",
     4, "names unknown key \"b\""},
    {"rule key twice",
     "keys = ( { id = \"a\"; domain = \"example.com\"; selector = \"s\";"
     " file = \"/k\"; } );\n"
     "signing = ( { match = \"example.com\"; keys = [ \"a\",\n"
     " \"a\" ]; } );\n",
     3, "names key \"a\" twice"},
    {"rule key not string",
     "signing = ( { match = \"example.com\";\n  keys = [ 1 ]; } );\n", 2,
     "signing[0].keys[0] must be a string, not an integer"},
    {"rule key group",
     "signing = ( { match = \"example.com\";\n  keys = ( { } ); } );\n", 2,
     "signing[0].keys[0] must be a string, not a group"},
    {"duplicate setting", "mode = \"s\";\nmode = \"v\";\n", 2,
     "duplicate setting name"},
    {"rule no keys",
     "signing = ( { match = \"example.com\"; keys = [ ]; } );\n", 1,
     "must name 1 to 8 keys"},
    {"rule missing keys", "signing = ( { match = \"example.com\"; } );\n", 1,
     "missing the required setting \"keys\""},
    {"rule empty local",
     "signing = ( { match = \"@example.com\"; keys = [ \"a\" ]; } );\n", 1,
     "invalid signing match \"@example.com\""},
    {"rule spaced local",
     "signing = ( { match = \"a b@example.com\"; keys = [ \"a\" ]; } );\n", 1,
     "invalid local part"},
    {"rule double dot",
     "signing = ( { match = \"..example.com\"; keys = [ \"a\" ]; } );\n", 1,
     "invalid signing match"},
    {"rule duplicate",
     "keys = ( { id = \"a\"; domain = \"example.com\"; selector = \"s\";"
     " file = \"/k\"; } );\n"
     "signing = ( { match = \"Example.com\"; keys = [ \"a\" ]; },\n"
     "            { match = \".example.com\"; keys = [ \"a\" ]; },\n"
     "            { match = \"example.COM\"; keys = [ \"a\" ]; } );\n",
     4, "two signing rules match \"example.com\" (the other is at line 2)"},
    {"rule unknown key subdomain",
     "signing = ( { match = \".example.com\"; keys = [ \"zz\" ]; } );\n", 1,
     "signing rule \".example.com\" names unknown key \"zz\""},
    {"canon word", "canonicalization = \"relaxed/fuzzy\";\n", 1,
     "invalid canonicalization"},
    {"canon empty", "canonicalization = \"\";\n", 1,
     "invalid canonicalization"},
    {"canon three parts", "canonicalization = \"simple/simple/simple\";\n", 1,
     "invalid canonicalization"},
    {"action word", "on_bad_signature = \"bounce\";\n", 1,
     "invalid on_bad_signature \"bounce\""},
    {"action case", "on_dns_error = \"Reject\";\n", 1,
     "invalid on_dns_error"},
    {"nameserver port", "dns = { nameservers = [ \"127.0.0.1@0\" ]; };\n", 1,
     "port after @"},
    {"nameserver brackets", "dns = { nameservers = [ \"[::1]@53\" ]; };\n", 1,
     "IPv6 without brackets"},
    {"nameserver name", "dns = { nameservers = [ \"ns.example.com\" ]; };\n",
     1, "expected an IP address"},
    {"timeout zero", "dns = { timeout = 0; };\n", 1,
     "dns.timeout is out of range: use 1 to 60 (read as 0)"},
    {"timeout high", "dns = { timeout = 61; };\n", 1, "use 1 to 60"},
    {"test_keys missing", "dns = { test_keys = \"/nonexistent/keys.txt\"; };\n",
     1, "cannot open the file: No such file or directory"},
    {"test_keys relative", "dns = { test_keys = \"keys.txt\"; };\n", 1,
     "must be an absolute path"},
    {"trust anchor dir", "dns = { trust_anchor_file = \"/\"; };\n", 1,
     "not a regular file"},
    {"max_signatures zero", "max_signatures = 0;\n", 1,
     "max_signatures is out of range"},
    {"min_key_bits low", "min_key_bits = 512;\n", 1, "use 1024 to 16384"},
    {"int64 huge", "clock_skew = 9999999999999L;\n", 1, "out of range"},
    {"expire negative", "signature_expire = -1;\n", 1, "out of range"},
    {"sign_headers no from", "sign_headers = [ \"To\", \"Subject\" ];\n", 1,
     "sign_headers must include From"},
    {"sign_headers empty", "sign_headers = [ ];\n", 1, "must list 1 to 64"},
    {"header name colon", "oversign_headers = [ \"From:\" ];\n", 1,
     "other than colon"},
    {"reply class", "on_no_signature = \"reject\";\n"
     "on_no_signature_reply = \"451 4.7.20 not now\";\n",
     2, "has code 451, but on_no_signature is reject: use a 5xx code"},
    {"reply enhanced class", "on_bad_signature = \"reject\";\n"
     "on_bad_signature_reply = \"550 4.7.20 no\";\n",
     2, "same class as the reply code"},
    {"reply bad code", "on_bad_signature = \"reject\";\n"
     "on_bad_signature_reply = \"55 5.7.20 no\";\n",
     2, "expected \"CODE X.Y.Z text\""},
    {"reply short code", "on_bad_signature = \"reject\";\n"
     "on_bad_signature_reply = \"5\";\n",
     2, "expected \"CODE X.Y.Z text\""},
    {"reply code only", "on_bad_signature = \"reject\";\n"
     "on_bad_signature_reply = \"550\";\n",
     2, "expected \"CODE X.Y.Z text\""},
    {"reply no text", "on_bad_signature = \"reject\";\n"
     "on_bad_signature_reply = \"550 5.7.20 \";\n",
     2, "1 to 400 characters"},
    {"reply percent", "on_bad_signature = \"reject\";\n"
     "on_bad_signature_reply = \"Rejected: 100% bad\";\n",
     2, "other than '%'"},
    {"reply control", "on_dns_error_reply = \"try\\tlater\";\n", 1,
     "printable ASCII"},
    {"user unknown", "user = \"no-such-user-signet-test\";\n", 1,
     "no such user"},
    {"pid_file relative", "pid_file = \"signetd.pid\";\n", 1,
     "must be absolute"},
    {"facility", "syslog_facility = \"kern2\";\n", 1,
     "expected a syslog facility"},
};

static void
test_rejections(void)
{
    const struct reject_case *c;
    struct config *conf;
    size_t i;

    for (i = 0; i < sizeof(reject_cases) / sizeof(reject_cases[0]); i++) {
        c = &reject_cases[i];
        conf = load_text(c->text, false);
        TAP_CHECK(conf == NULL, "reject %s: load fails", c->name);
        TAP_CHECK(reported(c->line, c->want), "reject %s: line %u says %s",
                  c->name, c->line, c->want);
        if (!reported(c->line, c->want))
            printf("#   got: %s", messages);
        config_unref(conf);
    }
}

/* Three independent mistakes give three messages, each at its line. */
static void
test_every_error_reported(void)
{
    struct config *conf;

    conf = load_text("mode = \"x\";\n"
                     "socket = \"inet:1@1.2.3.4.5\";\n"
                     "dns = { timeout = 100;\n"
                     "        bogus = true; };\n",
                     false);
    TAP_CHECK(conf == NULL, "all errors: load fails");
    TAP_CHECK(reported(1, "invalid mode"), "all errors: mode at line 1");
    TAP_CHECK(reported(2, "invalid IPv4 address"),
              "all errors: socket at line 2");
    TAP_CHECK(reported(3, "out of range"), "all errors: timeout at line 3");
    TAP_CHECK(reported(4, "unknown setting \"dns.bogus\""),
              "all errors: unknown at line 4");
    TAP_CHECK(error_count() == 4, "all errors: exactly four errors");
}

static void
test_missing_file(void)
{
    struct config *conf;
    char path[300];

    snprintf(path, sizeof(path), "%s/absent.conf", tmpdir);
    messages[0] = '\0';
    conf = config_load(path, false, collect, NULL);
    TAP_CHECK(conf == NULL, "missing file: load fails");
    TAP_CHECK(strstr(messages, "absent.conf: cannot open the configuration "
                               "file: No such file or directory") != NULL,
              "missing file: names the file and errno");

    messages[0] = '\0';
    conf = config_load(tmpdir, false, collect, NULL);
    TAP_CHECK(conf == NULL && strstr(messages, "not a regular file") != NULL,
              "directory as file: rejected");
}

static void
test_defaults(void)
{
    struct config *conf = load_text("// nothing set\n", false);
    char host[256];

    TAP_CHECK(conf != NULL, "defaults: empty file loads");
    if (conf == NULL) {
        printf("#   got: %s", messages);
        return;
    }
    gethostname(host, sizeof(host));
    TAP_CHECK(strcmp(conf->socket, "inet:8891@127.0.0.1") == 0,
              "defaults: socket");
    TAP_CHECK(conf->sign_mode && conf->verify_mode, "defaults: mode sv");
    TAP_CHECK(strcmp(conf->authserv_id, host) == 0,
              "defaults: authserv_id is the host name");
    TAP_CHECK(conf->internal_host_count == 2, "defaults: two internal hosts");
    TAP_CHECK(conf->sign_authenticated, "defaults: sign_authenticated");
    TAP_CHECK(conf->header_canon == DKIM_CANON_RELAXED &&
                  conf->body_canon == DKIM_CANON_RELAXED,
              "defaults: relaxed/relaxed");
    TAP_CHECK(conf->sign_headers == NULL && conf->oversign_headers == NULL,
              "defaults: header lists unset");
    TAP_CHECK(!conf->body_length && conf->signature_expire == 0,
              "defaults: no l= and no x=");
    TAP_CHECK(conf->max_signatures == 8 && conf->clock_skew == 300 &&
                  conf->min_key_bits == 1024,
              "defaults: verification limits");
    TAP_CHECK(conf->max_header_bytes == 1024 * 1024,
              "defaults: max_header_bytes");
    TAP_CHECK(conf->nameservers == NULL && conf->dns_timeout == 5 &&
                  conf->test_keys == NULL && conf->trust_anchor_file == NULL,
              "defaults: dns");
    TAP_CHECK(conf->on_bad_signature.action == ACTION_ACCEPT &&
                  conf->on_no_signature.action == ACTION_ACCEPT &&
                  conf->on_dns_error.action == ACTION_TEMPFAIL &&
                  conf->on_internal_error.action == ACTION_TEMPFAIL,
              "defaults: actions");
    TAP_CHECK(conf->on_dns_error.smtp_code != NULL &&
                  strcmp(conf->on_dns_error.smtp_code, "451") == 0 &&
                  strcmp(conf->on_dns_error.enhanced_code, "4.7.5") == 0,
              "defaults: dns tempfail 451 4.7.5");
    TAP_CHECK(conf->on_internal_error.enhanced_code != NULL &&
                  strcmp(conf->on_internal_error.enhanced_code, "4.3.0") == 0,
              "defaults: internal tempfail 4.3.0");
    TAP_CHECK(conf->on_bad_signature.smtp_code == NULL,
              "defaults: accept has no reply");
    TAP_CHECK(conf->user == NULL && conf->pid_file == NULL &&
                  strcmp(conf->syslog_facility, "mail") == 0 &&
                  !conf->log_verbose,
              "defaults: process settings");
    TAP_CHECK(config_syslog_facility(conf) == LOG_MAIL,
              "defaults: facility LOG_MAIL");
    TAP_CHECK(strstr(messages, "warning: signing mode is on but there are "
                               "no signing rules") != NULL,
              "defaults: warns that nothing is signed");
    TAP_CHECK(config_find_signing(conf, "a", "example.com") == NULL,
              "defaults: no rule matches");
    config_unref(conf);
}

static void
test_accepted_values(void)
{
    char text[4096];
    struct config *conf;
    const struct config_signing_rule *rule;

    snprintf(text, sizeof(text),
             "socket = \"inet6:8891@[::1]\";\n"
             "mode = \"v\";\n"
             "authserv_id = \"mx.example.com\";\n"
             "internal_hosts = [ \"192.0.2.0/24\", \"2001:db8::/32\" ];\n"
             "sign_authenticated = false;\n"
             "keys = ( { id = \"ex-rsa\"; domain = \"Example.COM\";\n"
             "           selector = \"S2026\"; file = \"%s\"; } );\n"
             "signing = ( { match = \".Example.com\"; keys = [ \"ex-rsa\" ]; } );\n"
             "canonicalization = \"simple/relaxed\";\n"
             "sign_headers = [ \"from\", \"to\", \"subject\" ];\n"
             "oversign_headers = [ ];\n"
             "body_length = true;\n"
             "signature_expire = 604800;\n"
             "max_signatures = 3;\n"
             "clock_skew = 60;\n"
             "min_key_bits = 2048;\n"
             "max_header_bytes = 65536;\n"
             "dns = { nameservers = [ \"127.0.0.1@5353\", \"::1\" ];\n"
             "        timeout = 2; test_keys = \"%s\"; };\n"
             "on_bad_signature = \"reject\";\n"
             "on_bad_signature_reply = \"554 5.7.20 Bad DKIM signature\";\n"
             "on_no_signature = \"tempfail\";\n"
             "on_no_signature_reply = \"Sign your mail\";\n"
             "on_dns_error = \"quarantine\";\n"
             "on_internal_error = \"discard\";\n"
             "user = \"root\";\n"
             "pid_file = \"/run/signetd.pid\";\n"
             "syslog_facility = \"local3\";\n"
             "log_verbose = true;\n",
             key_path, test_keys_path);
    conf = load_text(text, false);
    TAP_CHECK(conf != NULL, "accepted: full file loads");
    if (conf == NULL) {
        printf("#   got: %s", messages);
        return;
    }
    TAP_CHECK(strcmp(conf->socket, "inet6:8891@[::1]") == 0,
              "accepted: socket");
    TAP_CHECK(!conf->sign_mode && conf->verify_mode, "accepted: mode v");
    TAP_CHECK(strcmp(conf->authserv_id, "mx.example.com") == 0,
              "accepted: authserv_id");
    TAP_CHECK(conf->internal_host_count == 2 &&
                  conf->internal_hosts[1].family == AF_INET6 &&
                  conf->internal_hosts[1].prefix == 32,
              "accepted: internal_hosts");
    TAP_CHECK(!conf->sign_authenticated, "accepted: sign_authenticated");
    TAP_CHECK(conf->key_count == 1 &&
                  strcmp(conf->keys[0].domain, "example.com") == 0 &&
                  strcmp(conf->keys[0].selector, "s2026") == 0 &&
                  strcmp(conf->keys[0].file, key_path) == 0 &&
                  conf->keys[0].key == NULL,
              "accepted: key lower-cased, not loaded");
    TAP_CHECK(conf->signing_count == 1 &&
                  conf->signing[0].kind == MATCH_SUBDOMAINS &&
                  strcmp(conf->signing[0].match, "example.com") == 0 &&
                  conf->signing[0].key_count == 1 &&
                  conf->signing[0].keys[0] == &conf->keys[0],
              "accepted: subdomain rule resolves its key");
    rule = config_find_signing(conf, "a", "Mail.Example.com");
    TAP_CHECK(rule == &conf->signing[0], "accepted: rule finds subdomain");
    TAP_CHECK(conf->header_canon == DKIM_CANON_SIMPLE &&
                  conf->body_canon == DKIM_CANON_RELAXED,
              "accepted: simple/relaxed");
    TAP_CHECK(conf->sign_headers != NULL &&
                  strcmp(conf->sign_headers[2], "subject") == 0 &&
                  conf->sign_headers[3] == NULL,
              "accepted: sign_headers");
    TAP_CHECK(conf->oversign_headers != NULL &&
                  conf->oversign_headers[0] == NULL,
              "accepted: empty oversign list is kept");
    TAP_CHECK(conf->body_length && conf->signature_expire == 604800,
              "accepted: l= and x=");
    TAP_CHECK(conf->max_signatures == 3 && conf->clock_skew == 60 &&
                  conf->min_key_bits == 2048 &&
                  conf->max_header_bytes == 65536,
              "accepted: limits");
    TAP_CHECK(conf->nameservers != NULL &&
                  strcmp(conf->nameservers[0], "127.0.0.1@5353") == 0 &&
                  strcmp(conf->nameservers[1], "::1") == 0 &&
                  conf->nameservers[2] == NULL,
              "accepted: nameservers");
    TAP_CHECK(conf->dns_timeout == 2 &&
                  strcmp(conf->test_keys, test_keys_path) == 0,
              "accepted: dns timeout and test_keys");
    TAP_CHECK(conf->on_bad_signature.action == ACTION_REJECT &&
                  strcmp(conf->on_bad_signature.smtp_code, "554") == 0 &&
                  strcmp(conf->on_bad_signature.enhanced_code, "5.7.20") ==
                      0 &&
                  strcmp(conf->on_bad_signature.text,
                         "Bad DKIM signature") == 0,
              "accepted: reject reply with codes");
    TAP_CHECK(conf->on_no_signature.action == ACTION_TEMPFAIL &&
                  strcmp(conf->on_no_signature.smtp_code, "451") == 0 &&
                  strcmp(conf->on_no_signature.enhanced_code, "4.7.20") ==
                      0 &&
                  strcmp(conf->on_no_signature.text, "Sign your mail") == 0,
              "accepted: tempfail text with default codes");
    TAP_CHECK(conf->on_dns_error.action == ACTION_QUARANTINE &&
                  conf->on_internal_error.action == ACTION_DISCARD,
              "accepted: quarantine and discard");
    TAP_CHECK(strcmp(conf->user, "root") == 0 &&
                  strcmp(conf->pid_file, "/run/signetd.pid") == 0,
              "accepted: user and pid_file");
    TAP_CHECK(config_syslog_facility(conf) == LOG_LOCAL3 &&
                  conf->log_verbose,
              "accepted: facility and verbose");
    config_unref(conf);
}

static void
test_warnings(void)
{
    char text[2048];
    struct config *conf;

    snprintf(text, sizeof(text),
             "keys = ( { id = \"net\"; domain = \"example.net\";\n"
             "           selector = \"s\"; file = \"%s\"; },\n"
             "         { id = \"spare\"; domain = \"example.com\";\n"
             "           selector = \"s\"; file = \"%s\"; } );\n"
             "signing = ( { match = \"example.com\";\n"
             "              keys = [ \"net\" ]; } );\n"
             "on_bad_signature_reply = \"550 5.7.20 never sent\";\n"
             "dns = { test_keys = \"%s\"; nameservers = [ \"::1\" ]; };\n",
             key_path, key_path, test_keys_path);
    conf = load_text(text, false);
    TAP_CHECK(conf != NULL, "warnings: file still loads");
    TAP_CHECK(reported(6, "warning: key \"net\" signs as d=example.net, "
                          "which does not align"),
              "warnings: unaligned key");
    TAP_CHECK(reported(3, "warning: key \"spare\" is not used"),
              "warnings: unused key");
    TAP_CHECK(reported(7, "warning: on_bad_signature_reply is ignored "
                          "because on_bad_signature is accept"),
              "warnings: reply for accept");
    TAP_CHECK(strstr(messages, "warning: dns.nameservers is ignored") != NULL,
              "warnings: nameservers with test_keys");
    config_unref(conf);
}

/* A key for the parent domain on a subdomain rule, or for a subdomain on
 * a domain rule, aligns in DMARC's relaxed mode, so no warning. */
static void
test_aligned_keys_quiet(void)
{
    char text[2048];
    struct config *conf;

    snprintf(text, sizeof(text),
             "keys = ( { id = \"p\"; domain = \"example.com\";\n"
             "           selector = \"s\"; file = \"%s\"; },\n"
             "         { id = \"c\"; domain = \"mail.example.com\";\n"
             "           selector = \"s\"; file = \"%s\"; } );\n"
             "signing = ( { match = \".example.com\"; keys = [ \"p\" ]; },\n"
             "            { match = \"example.com\"; keys = [ \"c\" ]; },\n"
             "            { match = \"u@example.com\";"
             " keys = [ \"p\", \"c\" ]; } );\n",
             key_path, key_path);
    conf = load_text(text, false);
    TAP_CHECK(conf != NULL, "aligned keys: loads");
    TAP_CHECK(messages[0] == '\0', "aligned keys: no message");
    if (messages[0] != '\0')
        printf("#   got: %s", messages);
    config_unref(conf);
}

static const char *const accepted_sockets[] = {
    "unix:/run/signet/signet.sock", "local:/run/signet/signet.sock",
    "inet:1@0.0.0.0", "inet:65535@127.0.0.1", "inet6:8891@[::]",
    "inet6:8891@[2001:db8::25]",
};

static void
test_accepted_sockets(void)
{
    char text[256];
    struct config *conf;
    size_t i;

    for (i = 0; i < sizeof(accepted_sockets) / sizeof(accepted_sockets[0]);
         i++) {
        snprintf(text, sizeof(text), "socket = \"%s\";\n",
                 accepted_sockets[i]);
        conf = load_text(text, false);
        TAP_CHECK(conf != NULL && strcmp(conf->socket, accepted_sockets[i]) == 0,
                  "socket %s accepted", accepted_sockets[i]);
        config_unref(conf);
    }
}

/* A lone word is the header canonicalization, with a simple body, as in
 * c= (RFC 6376 section 3.5). */
static void
test_canon_single_word(void)
{
    struct config *conf = load_text("canonicalization = \"relaxed\";\n", false);

    TAP_CHECK(conf != NULL && conf->header_canon == DKIM_CANON_RELAXED &&
                  conf->body_canon == DKIM_CANON_SIMPLE,
              "canonicalization relaxed is relaxed/simple");
    config_unref(conf);
}

struct cidr_case {
    const char *network;
    const char *address;
    bool inside;
};

static const struct cidr_case cidr_cases[] = {
    {"192.0.2.0/24", "192.0.2.0", true},
    {"192.0.2.0/24", "192.0.2.255", true},
    {"192.0.2.0/24", "192.0.3.0", false},
    {"192.0.2.0/24", "192.0.1.255", false},
    {"192.0.2.0/24", "::ffff:192.0.2.7", true},
    {"192.0.2.0/24", "::ffff:192.0.3.7", false},
    {"192.0.2.0/24", "::192.0.2.7", false}, /* IPv4-compatible, not mapped */
    {"192.0.2.0/24", "2001:db8::1", false},
    {"10.0.0.0/9", "10.127.255.255", true},
    {"10.0.0.0/9", "10.128.0.0", false},
    {"0.0.0.0/0", "203.0.113.9", true},
    {"0.0.0.0/0", "::ffff:203.0.113.9", true},
    {"0.0.0.0/0", "2001:db8::1", false},
    {"198.51.100.7", "198.51.100.7", true},
    {"198.51.100.7/32", "198.51.100.6", false},
    {"2001:db8::/32", "2001:db8:ffff::1", true},
    {"2001:db8::/32", "2001:db9::1", false},
    {"2001:db8::/33", "2001:db8:7fff::1", true},
    {"2001:db8::/33", "2001:db8:8000::1", false},
    {"::/0", "fe80::1", true},
    {"::/0", "192.0.2.1", false},
    {"::1", "::1", true},
    {"::1/128", "::2", false},
    {"::ffff:10.0.0.0/104", "10.1.2.3", true},
    {"::ffff:10.0.0.0/104", "11.1.2.3", false},
};

static bool
sockaddr_from_text(const char *text, struct sockaddr_storage *ss)
{
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof(*ss));
    if (inet_pton(AF_INET, text, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        return true;
    }
    return false;
}

static void
test_cidr_matching(void)
{
    const struct cidr_case *c;
    struct sockaddr_storage ss;
    struct config *conf;
    char text[256];
    size_t i;

    for (i = 0; i < sizeof(cidr_cases) / sizeof(cidr_cases[0]); i++) {
        c = &cidr_cases[i];
        snprintf(text, sizeof(text), "internal_hosts = [ \"%s\" ];\n",
                 c->network);
        conf = load_text(text, false);
        if (conf == NULL || !sockaddr_from_text(c->address, &ss)) {
            TAP_CHECK(false, "cidr %s: loads", c->network);
            printf("#   got: %s", messages);
            config_unref(conf);
            continue;
        }
        TAP_CHECK(config_is_internal(conf, (struct sockaddr *)&ss) ==
                      c->inside,
                  "cidr %s %s %s", c->network, c->inside ? "has" : "lacks",
                  c->address);
        config_unref(conf);
    }
}

static void
test_cidr_parse(void)
{
    struct config_cidr net;
    char err[256];

    TAP_CHECK(cidr_parse("::ffff:192.0.2.0/120", &net, err, sizeof(err)) &&
                  net.family == AF_INET && net.prefix == 24,
              "cidr mapped network becomes IPv4");
    TAP_CHECK(cidr_parse("::ffff:0:0/96", &net, err, sizeof(err)) &&
                  net.family == AF_INET && net.prefix == 0,
              "cidr whole mapped range becomes 0.0.0.0/0");
    TAP_CHECK(cidr_parse("::/96", &net, err, sizeof(err)) &&
                  net.family == AF_INET6 && net.prefix == 96,
              "cidr unmapped /96 stays IPv6");
    TAP_CHECK(!cidr_parse("::/1280", &net, err, sizeof(err)),
              "cidr four-digit prefix");
    TAP_CHECK(!cidr_parse("1.2.3.4/08x", &net, err, sizeof(err)),
              "cidr trailing junk");
    TAP_CHECK(!cidr_parse("", &net, err, sizeof(err)), "cidr empty");
}

static void
test_empty_internal_hosts(void)
{
    struct sockaddr_storage ss;
    struct config *conf = load_text("internal_hosts = [ ];\n", false);

    sockaddr_from_text("127.0.0.1", &ss);
    TAP_CHECK(conf != NULL && conf->internal_host_count == 0,
              "internal_hosts empty list loads");
    TAP_CHECK(conf != NULL &&
                  !config_is_internal(conf, (struct sockaddr *)&ss),
              "internal_hosts empty list has no host");
    config_unref(conf);
}

struct precedence_case {
    const char *local, *domain;
    const char *match; /* expected rule's match, NULL for none */
    enum config_match_kind kind;
};

static const struct precedence_case precedence_cases[] = {
    {"boss", "example.com", "boss@example.com", MATCH_ADDRESS},
    {"BOSS", "Example.COM", "boss@example.com", MATCH_ADDRESS},
    {"other", "example.com", "example.com", MATCH_DOMAIN},
    {"other", "EXAMPLE.com", "example.com", MATCH_DOMAIN},
    {"x", "a.example.com", "example.com", MATCH_SUBDOMAINS},
    {"x", "a.b.c.example.com", "example.com", MATCH_SUBDOMAINS},
    {"x", "sub.example.com", "example.com", MATCH_SUBDOMAINS},
    {"x", "a.sub.example.com", "sub.example.com", MATCH_SUBDOMAINS},
    {"boss", "a.sub.example.com", "sub.example.com", MATCH_SUBDOMAINS},
    {"x", "example.org", NULL, MATCH_DOMAIN},
    {"x", "org", NULL, MATCH_DOMAIN},
    {"x", "notexample.com", NULL, MATCH_DOMAIN},
    {NULL, "example.com", "example.com", MATCH_DOMAIN},
    {"x", "only.example.net", "example.net", MATCH_SUBDOMAINS},
    {"x", "example.net", NULL, MATCH_DOMAIN},
    {"x", "", NULL, MATCH_DOMAIN},
};

static void
test_signing_precedence(void)
{
    const struct precedence_case *c;
    const struct config_signing_rule *rule;
    struct config *conf;
    char text[2048];
    size_t i;

    snprintf(text, sizeof(text),
             "keys = ( { id = \"k\"; domain = \"example.com\";"
             " selector = \"s\"; file = \"%s\"; },\n"
             "         { id = \"n\"; domain = \"example.net\";"
             " selector = \"s\"; file = \"%s\"; } );\n"
             "signing = ( { match = \".sub.example.com\"; keys = [ \"k\" ]; },\n"
             "            { match = \"example.com\"; keys = [ \"k\" ]; },\n"
             "            { match = \"Boss@Example.com\"; keys = [ \"k\" ]; },\n"
             "            { match = \".example.com\"; keys = [ \"k\" ]; },\n"
             "            { match = \".example.net\"; keys = [ \"n\" ]; } );\n",
             key_path, key_path);
    conf = load_text(text, false);
    TAP_CHECK(conf != NULL, "precedence: rules load");
    if (conf == NULL) {
        printf("#   got: %s", messages);
        return;
    }

    for (i = 0; i < sizeof(precedence_cases) / sizeof(precedence_cases[0]);
         i++) {
        c = &precedence_cases[i];
        rule = config_find_signing(conf, c->local, c->domain);
        if (c->match == NULL) {
            TAP_CHECK(rule == NULL, "precedence %s@%s: no rule",
                      c->local ? c->local : "(null)", c->domain);
            continue;
        }
        TAP_CHECK(rule != NULL && strcmp(rule->match, c->match) == 0 &&
                      rule->kind == c->kind,
                  "precedence %s@%s: %s", c->local ? c->local : "(null)",
                  c->domain, c->match);
    }
    config_unref(conf);
}

/* Write a fresh Ed25519 key with openssl and set its mode. */
static bool
make_key(const char *path, mode_t mode)
{
    char command[1024];

    unlink(path);
    snprintf(command, sizeof(command),
             "openssl genpkey -algorithm ed25519 -out '%s' 2>/dev/null", path);
    if (system(command) != 0)
        return false;
    return chmod(path, mode) == 0;
}

static void
test_key_modes(void)
{
    char text[1024], path[512];
    struct config *conf;

    snprintf(path, sizeof(path), "%s/ed.pem", tmpdir);
    if (!make_key(path, 0644)) {
        tap_skip("key modes", "openssl genpkey failed");
        return;
    }
    snprintf(text, sizeof(text),
             "keys = ( { id = \"ed\"; domain = \"example.com\";\n"
             "           selector = \"ed\";\n"
             "           file = \"%s\"; } );\n"
             "signing = ( { match = \"example.com\"; keys = [ \"ed\" ]; } );\n",
             path);

    conf = load_text(text, true);
    TAP_CHECK(conf == NULL, "key mode 0644: rejected");
    TAP_CHECK(reported(3, "key \"ed\": "),
              "key mode 0644: names key and file line");
    TAP_CHECK(strstr(messages, path) != NULL, "key mode 0644: names the path");
    TAP_CHECK(strstr(messages, "PRIVATE") == NULL,
              "key mode 0644: no key material");

    chmod(path, 0600);
    conf = load_text(text, true);
    TAP_CHECK(conf != NULL, "key mode 0600: accepted");
    if (conf == NULL)
        printf("#   got: %s", messages);
    TAP_CHECK(conf != NULL && conf->keys[0].key != NULL &&
                  dkim_privkey_alg(conf->keys[0].key) ==
                      DKIM_ALG_ED25519_SHA256,
              "key mode 0600: Ed25519 key loaded");
    config_unref(conf);

    snprintf(path, sizeof(path), "%s/missing.pem", tmpdir);
    snprintf(text, sizeof(text),
             "keys = ( { id = \"gone\"; domain = \"example.com\";"
             " selector = \"s\";\n  file = \"%s\"; } );\n",
             path);
    conf = load_text(text, true);
    TAP_CHECK(conf == NULL && reported(2, "key \"gone\": ") &&
                  strstr(messages, path) != NULL,
              "key missing file: rejected at its line");
    config_unref(conf);
}

/* config_ref and config_unref pair up; the sanitizer build catches a
 * leak or a double free here. */
static void
test_refcount(void)
{
    struct config *conf = load_text("mode = \"v\";\n", false);

    TAP_CHECK(conf != NULL && config_ref(conf) == conf,
              "refcount: ref returns the object");
    config_unref(conf);
    TAP_CHECK(conf != NULL && conf->refs == 1, "refcount: back to one");
    config_unref(conf);
    config_unref(NULL);
}

static void
test_include(void)
{
    struct config *conf;

    write_file("dns.inc", "dns = {\n  timeout = 3;\n  retries = 2;\n};\n");
    conf = load_text("mode = \"v\";\n@include \"dns.inc\"\n", false);
    TAP_CHECK(conf == NULL, "include: error inside included file");
    TAP_CHECK(strstr(messages, "dns.inc:3: unknown setting \"dns.retries\"") !=
                  NULL,
              "include: reported with the included file and line");

    /* libconfig 1.5 would exit() on these, so they must be caught first. */
    conf = load_text("mode = \"v\";\n@include \"\"\n", false);
    TAP_CHECK(conf == NULL, "include: empty path rejected");
    TAP_CHECK(strstr(messages, "t.conf:2: @include \"\" is not a regular "
                               "file") != NULL,
              "include: empty path reported with its line");
    conf = load_text("mode = \"v\";\n  @include \".\"\n", false);
    TAP_CHECK(conf == NULL, "include: directory rejected");
    write_file("dir.inc", "@include \".\"\n");
    conf = load_text("@include \"dir.inc\"\n", false);
    TAP_CHECK(conf == NULL, "include: nested directory rejected");
    TAP_CHECK(strstr(messages, "dir.inc:1: @include \".\" is not a regular "
                               "file") != NULL,
              "include: nested directory reported in its file");

    /* libconfig ends the path at a NUL, so here it names the directory. */
    {
        static const char nul_path[] = "@include \"\0x.conf\"\n";
        FILE *f = fopen(tmpdir_file("nul.conf"), "w");

        TAP_CHECK(f != NULL && fwrite(nul_path, 1, sizeof(nul_path) - 1, f) ==
                                   sizeof(nul_path) - 1,
                  "include: NUL file written");
        if (f != NULL)
            fclose(f);
        messages[0] = '\0';
        conf = config_load(tmpdir_file("nul.conf"), false, collect, NULL);
        TAP_CHECK(conf == NULL, "include: path cut at NUL rejected");
        TAP_CHECK(strstr(messages, "nul.conf:1: @include \"\" is not a "
                                   "regular file") != NULL,
                  "include: path cut at NUL reported");
    }

    /* Eight self-includes per file would mean 8^10 paths if the check
     * did not stop at the first one that nests too deep. */
    write_file("self.inc", "@include \"self.inc\"\n@include \"self.inc\"\n"
                           "@include \"self.inc\"\n@include \"self.inc\"\n"
                           "@include \"self.inc\"\n@include \"self.inc\"\n"
                           "@include \"self.inc\"\n@include \"self.inc\"\n");
    conf = load_text("@include \"self.inc\"\n", false);
    TAP_CHECK(conf == NULL, "include: self-include rejected");
    TAP_CHECK(strstr(messages, "self.inc:1: @include \"self.inc\" is nested "
                               "more than 10 files deep") != NULL,
              "include: self-include reported as too deep");
}

static const char *const hostile_values[] = {
    "", " ", ".", "..", "@", "a@b@c", "%", "\\x01", "::", "[::1]",
    "1.2.3.4/", "/0", "-a", "a..b", "inet:", "unix:/", "inet6:1@[",
    "relaxed/", "550 5.7.20", "5", "1.2.3.4@65536",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
};

/* Copy text with its n-th quoted string replaced by value.  Returns false
 * when text has fewer strings. */
static bool
replace_string(const char *text, unsigned n, const char *value, char *out,
               size_t size)
{
    const char *open = text, *close;
    unsigned i;

    for (i = 0;; i++) {
        open = strchr(open, '"');
        if (open == NULL)
            return false;
        close = strchr(open + 1, '"');
        if (close == NULL)
            return false;
        if (i == n)
            break;
        open = close + 1;
    }
    snprintf(out, size, "%.*s\"%s\"%s", (int)(open - text), text, value,
             close + 1);
    return true;
}

/* Put each hostile value in place of each string of a valid file.  The
 * loader must not crash, and it must fail exactly when it reported an
 * error. */
static void
test_hostile_values(void)
{
    static char text[8192], mutated[9000];
    unsigned n, bad;
    size_t v;
    struct config *conf;

    snprintf(text, sizeof(text),
             "socket = \"inet:8891@127.0.0.1\";\nmode = \"sv\";\n"
             "authserv_id = \"mx.example.com\";\n"
             "internal_hosts = [ \"10.0.0.0/8\", \"::1\" ];\n"
             "keys = ( { id = \"k\"; domain = \"example.com\";\n"
             "  selector = \"s\"; file = \"/k.pem\"; } );\n"
             "signing = ( { match = \".example.com\"; keys = [ \"k\" ]; } );\n"
             "canonicalization = \"relaxed/simple\";\n"
             "sign_headers = [ \"From\", \"To\" ];\n"
             "oversign_headers = [ \"From\" ];\n"
             "dns = { nameservers = [ \"127.0.0.1@53\" ]; test_keys = \"%s\"; };\n"
             "on_bad_signature = \"reject\";\n"
             "on_bad_signature_reply = \"550 5.7.20 No\";\n"
             "on_no_signature_reply = \"Unsigned\";\n"
             "user = \"root\";\npid_file = \"/run/s.pid\";\n"
             "syslog_facility = \"mail\";\n",
             test_keys_path);

    for (v = 0; v < sizeof(hostile_values) / sizeof(hostile_values[0]); v++) {
        bad = 0;
        for (n = 0; replace_string(text, n, hostile_values[v], mutated,
                                   sizeof(mutated));
             n++) {
            write_file("t.conf", mutated);
            messages[0] = '\0';
            conf = config_load(tmpdir_file("t.conf"), false, collect, NULL);
            if ((conf == NULL) != (error_count() > 0)) {
                if (bad++ == 0)
                    printf("#   string %u: %s", n, messages);
            }
            config_unref(conf);
        }
        TAP_CHECK(bad == 0, "hostile value %zu: fails only with an error", v);
    }
}

static void
test_example(void)
{
    char path[512];
    struct config *conf;

    snprintf(path, sizeof(path), "%s/conf/signet.conf", SIGNET_SRCDIR);
    messages[0] = '\0';
    conf = config_load(path, false, collect, NULL);
    TAP_CHECK(conf != NULL, "example conf/signet.conf loads");
    TAP_CHECK(strstr(messages, "warning") == NULL,
              "example conf/signet.conf has no warnings");
    if (messages[0] != '\0')
        printf("#   got: %s", messages);
    TAP_CHECK(conf != NULL && conf->key_count > 0 && conf->signing_count > 0,
              "example conf/signet.conf has keys and rules");
    config_unref(conf);
}

int
main(void)
{
    const char *base = getenv("TMPDIR");
    char command[300];

    snprintf(tmpdir, sizeof(tmpdir), "%s/t_config.XXXXXX",
             base != NULL ? base : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(key_path, sizeof(key_path), "%s/unused.pem", tmpdir);
    snprintf(test_keys_path, sizeof(test_keys_path), "%s/keys.txt", tmpdir);
    write_file("keys.txt", "s._domainkey.example.com\tv=DKIM1; p=\n");

    test_rejections();
    test_every_error_reported();
    test_missing_file();
    test_defaults();
    test_accepted_values();
    test_accepted_sockets();
    test_canon_single_word();
    test_warnings();
    test_aligned_keys_quiet();
    test_cidr_matching();
    test_cidr_parse();
    test_empty_internal_hosts();
    test_signing_precedence();
    test_key_modes();
    test_refcount();
    test_include();
    test_hostile_values();
    test_example();

    snprintf(command, sizeof(command), "rm -rf '%s'", tmpdir);
    if (system(command) != 0)
        printf("# could not remove %s\n", tmpdir);
    return tap_done();
}
