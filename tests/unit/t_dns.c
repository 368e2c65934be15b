/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_dns.c - unit tests of the key lookup without a DNS server.
 *
 * Covered: domain name normalization, TXT RDATA joining, the test-keys
 * file parser, and the key cache (TTL with a fake clock, clamping,
 * negative entries, eviction, reference counts).  keylookup_fetch and
 * keylookup_query run over a test-keys file.  When the public corpus is
 * present in ../shared, every keys.txt in it must load.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dkim/keyrec.h"
#include "dns/dname.h"
#include "dns/keycache.h"
#include "dns/keylookup.h"
#include "dns/testkeys.h"
#include "dns/txt.h"
#include "tap.h"

/* The Ed25519 public key of RFC 8463 Appendix A.2. */
#define ED_KEY "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define ED_RECORD "v=DKIM1; " ED_KEY

static void
test_dname(void)
{
    static const struct {
        const char *in, *out; /* out NULL: rejected */
    } cases[] = {
        { "Example.COM", "example.com" },
        { "s1._domainkey.example.com.", "s1._domainkey.example.com" },
        { "a", "a" },
        { "", NULL },
        { ".", NULL },
        { "a..b", NULL },
        { ".a", NULL },
        { "a..", NULL },
        { "a b.com", NULL },
        { "a\\.b.com", NULL },
        { "caf\xc3\xa9.example", NULL },
        { "0123456789012345678901234567890123456789012345678901234567890123.com",
          NULL },
        { "012345678901234567890123456789012345678901234567890123456789012.com",
          "012345678901234567890123456789012345678901234567890123456789012.com" },
    };
    char out[DNAME_MAX + 1], longname[300];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = dname_normalize(cases[i].in, strlen(cases[i].in), out);

        if (cases[i].out == NULL)
            TAP_CHECK(rc == -1, "dname rejects \"%s\"", cases[i].in);
        else
            TAP_CHECK(rc == 0 && strcmp(out, cases[i].out) == 0,
                      "dname normalizes \"%s\"", cases[i].in);
    }

    /* 254 octets of labels "a." is one past DNAME_MAX. */
    for (i = 0; i < 127; i++)
        memcpy(longname + 2 * i, "a.", 2);
    TAP_CHECK(dname_normalize(longname, 253, out) == 0, "dname 253 octets");
    TAP_CHECK(dname_normalize(longname, 254, out) == 0,
              "dname 253 octets plus root dot");
    longname[254] = 'a';
    TAP_CHECK(dname_normalize(longname, 255, out) == -1,
              "dname rejects 255 octets");
}

static void
test_rdata(void)
{
    static const struct {
        const char *rdata;
        size_t len;
        const char *joined; /* NULL: syntax error */
    } cases[] = {
        { "\003abc\002de", 7, "abcde" },
        { "", 0, "" },
        { "\000", 1, "" },
        { "\000\001x", 3, "x" },
        { "\005ab", 3, NULL },
        { "\003abc\001", 5, NULL },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = NULL;
        size_t out_len = 0;
        enum dkim_stat stat;

        stat = txt_rdata_join((const unsigned char *)cases[i].rdata,
                              cases[i].len, &out, &out_len);
        if (cases[i].joined == NULL) {
            TAP_CHECK(stat == DKIM_ESYNTAX && out == NULL,
                      "rdata case %zu rejected", i);
        } else {
            TAP_CHECK(stat == DKIM_OK && out_len == strlen(cases[i].joined) &&
                          memcmp(out, cases[i].joined, out_len) == 0 &&
                          out[out_len] == '\0',
                      "rdata case %zu joins", i);
        }
        free(out);
    }
}

static struct testkeys *
parse_keys(const char *text)
{
    struct testkeys *tk = NULL;
    char err[300];

    if (testkeys_parse(text, strlen(text), "keys", &tk, err, sizeof(err)) != 0)
        printf("# parse failed: %s\n", err);
    return tk;
}

/* A key record after TXT_MAX_RECORDS other records still gets a slot. */
static void
test_answer_crowded(void)
{
    struct txt_answer a;
    char record[32];
    unsigned i;

    memset(&a, 0, sizeof(a));
    for (i = 0; i < 200; i++) {
        snprintf(record, sizeof(record), "filler-%u", i);
        txt_answer_add(&a, record, strlen(record));
    }
    txt_answer_add(&a, " v=DKIM1; p=abc", 15);
    TAP_CHECK(a.count == TXT_MAX_RECORDS && a.total == 201,
              "crowded answer counts every record");
    TAP_CHECK(strcmp(a.records[TXT_MAX_RECORDS - 1], " v=DKIM1; p=abc") == 0,
              "crowded answer keeps the key record");

    txt_answer_add(&a, "filler-late", 11);
    TAP_CHECK(strcmp(a.records[TXT_MAX_RECORDS - 1], " v=DKIM1; p=abc") == 0,
              "later filler does not evict the key record");
    txt_answer_clear(&a);
}

static void
test_testkeys_values(void)
{
    struct testkeys *tk;
    struct txt_answer a;

    tk = parse_keys("# comment\n"
                    "\n"
                    "  \t# indented comment\n"
                    "S1._DomainKey.Example.COM.\tv=DKIM1; p=abc  \r\n"
                    "q._domainkey.example.com\t\"v=DKIM1; \" \"p=a\\\"b\\\\c\\059\"\n"
                    "rr.example.com  one\n"
                    "rr.example.com\ttwo\n"
                    "alias.example.com\t~CNAME~ RR.example.com.\n"
                    "alias2.example.com\t~CNAME~ alias.example.com\n"
                    "dangling.example.com\t~CNAME~ nowhere.example.com\n"
                    "loop1.example.com\t~CNAME~ loop2.example.com\n"
                    "loop2.example.com\t~CNAME~ loop1.example.com\n"
                    "nx.example.com\t~NXDOMAIN~\n"
                    "sf.example.com\t~SERVFAIL~\n"
                    "to.example.com\t~TIMEOUT~\n"
                    "empty.example.com\t\"\"");
    TAP_CHECK(tk != NULL, "testkeys parses valid file");
    if (tk == NULL)
        return;

    memset(&a, 0, sizeof(a));
    testkeys_query(tk, "s1._domainkey.example.com", &a);
    TAP_CHECK(a.outcome == TXT_FOUND && a.count == 1 &&
                  strcmp(a.records[0], "v=DKIM1; p=abc") == 0,
              "testkeys plain record, case and dot");
    txt_answer_clear(&a);

    testkeys_query(tk, "q._domainkey.example.com.", &a);
    TAP_CHECK(a.outcome == TXT_FOUND && a.count == 1 &&
                  strcmp(a.records[0], "v=DKIM1; p=a\"b\\c;") == 0,
              "testkeys quoted strings joined");
    txt_answer_clear(&a);

    testkeys_query(tk, "rr.example.com", &a);
    TAP_CHECK(a.outcome == TXT_FOUND && a.count == 2 && a.total == 2 &&
                  strcmp(a.records[0], "one") == 0 &&
                  strcmp(a.records[1], "two") == 0,
              "testkeys RRset in file order");
    txt_answer_clear(&a);

    testkeys_query(tk, "alias2.example.com", &a);
    TAP_CHECK(a.outcome == TXT_FOUND && a.count == 2 &&
                  strcmp(a.canonname, "rr.example.com") == 0,
              "testkeys CNAME chain followed");
    txt_answer_clear(&a);

    testkeys_query(tk, "dangling.example.com", &a);
    TAP_CHECK(a.outcome == TXT_NXDOMAIN, "testkeys dangling CNAME");
    txt_answer_clear(&a);

    testkeys_query(tk, "loop1.example.com", &a);
    TAP_CHECK(a.outcome == TXT_SERVFAIL && strstr(a.reason, "CNAME") != NULL,
              "testkeys CNAME loop is SERVFAIL");
    txt_answer_clear(&a);

    testkeys_query(tk, "nx.example.com", &a);
    TAP_CHECK(a.outcome == TXT_NXDOMAIN, "testkeys NXDOMAIN marker");
    txt_answer_clear(&a);

    testkeys_query(tk, "sf.example.com", &a);
    TAP_CHECK(a.outcome == TXT_SERVFAIL, "testkeys SERVFAIL marker");
    txt_answer_clear(&a);

    testkeys_query(tk, "to.example.com", &a);
    TAP_CHECK(a.outcome == TXT_TIMEOUT, "testkeys TIMEOUT marker");
    txt_answer_clear(&a);

    testkeys_query(tk, "empty.example.com", &a);
    TAP_CHECK(a.outcome == TXT_FOUND && a.count == 1 && a.lengths[0] == 0,
              "testkeys empty quoted record");
    txt_answer_clear(&a);

    testkeys_query(tk, "absent.example.com", &a);
    TAP_CHECK(a.outcome == TXT_NXDOMAIN, "testkeys absent name");
    txt_answer_clear(&a);

    testkeys_free(tk);
}

static void
test_testkeys_errors(void)
{
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        const char *error; /* expected substring */
    } cases[] = {
        { "no-separator", 0, "keys:1: missing TAB" },
        { "a.example\t", 0, "keys:1: missing record" },
        { "ok.example\tv=DKIM1\nbad\0name\tx", 29, "keys:2: NUL byte" },
        { "a.example\t\"unterminated", 0, "unterminated quoted string" },
        { "a.example\t\"a\"b", 0, "expected a blank" },
        { "a.example\t\"a\" b", 0, "expected '\"'" },
        { "a.example\t\"\\999\"", 0, "invalid \\ escape" },
        { "a.example\t\"\\12\"", 0, "invalid \\ escape" },
        { "a.example\t~FOO~", 0, "unknown marker" },
        { "a.example\t~CNAME~", 0, "unknown marker" },
        { "a.example\t~CNAME~ bad..target", 0, "invalid CNAME target" },
        { "a..example\tv=DKIM1", 0, "keys:1: invalid owner name" },
        { "a.example\t~NXDOMAIN~\n# c\nA.example.\tv=DKIM1", 0,
          "keys:3: a.example: a ~MARKER~ line must be the only line" },
        { "ok.example\tx\nok2.example\ty\nbroken", 0, "keys:3:" },
    };
    char err[300], big[TESTKEYS_MAX_LINE + 64];
    struct testkeys *tk;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        int rc;

        err[0] = '\0';
        rc = testkeys_parse(cases[i].text, len, "keys", &tk, err, sizeof(err));
        TAP_CHECK(rc == -1 && tk == NULL, "testkeys rejects case %zu", i);
        TAP_CHECK(strstr(err, cases[i].error) != NULL,
                  "testkeys case %zu message: %s", i, err);
    }

    /* A quoted character-string contains at most 255 octets. */
    memcpy(big, "a.example\t\"", 11);
    memset(big + 11, 'x', 256);
    memcpy(big + 11 + 256, "\"", 2);
    TAP_CHECK(testkeys_parse(big, strlen(big), "keys", &tk, err,
                             sizeof(err)) == -1 &&
                  strstr(err, "longer than 255") != NULL,
              "testkeys rejects 256-octet string");
    memcpy(big + 11 + 255, "\"", 2);
    TAP_CHECK(testkeys_parse(big, strlen(big), "keys", &tk, err,
                             sizeof(err)) == 0,
              "testkeys accepts 255-octet string");
    testkeys_free(tk);

    memcpy(big, "a.example\t", 10);
    memset(big + 10, 'x', sizeof(big) - 11);
    big[sizeof(big) - 1] = '\0';
    TAP_CHECK(testkeys_parse(big, strlen(big), "keys", &tk, err,
                             sizeof(err)) == -1 &&
                  strstr(err, "keys:1: line longer than") != NULL,
              "testkeys rejects long line");

    TAP_CHECK(testkeys_load("/nonexistent/keys.txt", &tk, err, sizeof(err)) ==
                      -1 &&
                  strstr(err, "/nonexistent/keys.txt") != NULL,
              "testkeys missing file named");
    TAP_CHECK(testkeys_load("/", &tk, err, sizeof(err)) == -1 &&
                  strstr(err, "not a regular file") != NULL,
              "testkeys directory rejected");
}

/* A fake monotonic clock for the cache. */
static time_t fake_now = 1000;

static time_t
fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

static struct dkim_keyrec *
make_key(void)
{
    struct dkim_keyrec *key = NULL;
    char err[128];

    if (dkim_keyrec_parse(ED_RECORD, strlen(ED_RECORD), &key, err,
                          sizeof(err)) != DKIM_OK)
        printf("# key record does not parse: %s\n", err);
    return key;
}

static int
key_refs(struct dkim_keyrec *key)
{
    return __atomic_load_n(&key->refs, __ATOMIC_SEQ_CST);
}

static struct dkim_key_answer
found_answer(struct dkim_keyrec *key)
{
    struct dkim_key_answer answer = { 0 };

    answer.status = DKIM_KEY_FOUND;
    answer.key = key;
    return answer;
}

static void
test_cache_ttl(void)
{
    struct keycache *cache = keycache_new(10, fake_clock, NULL);
    struct dkim_keyrec *key = make_key();
    struct dkim_key_answer put, got;

    TAP_CHECK(cache != NULL && key != NULL, "cache and key created");
    if (cache == NULL || key == NULL)
        return;

    fake_now = 1000;
    put = found_answer(key);
    put.dnssec_secure = true;
    keycache_put(cache, "a.example", &put, 300);
    TAP_CHECK(key_refs(key) == 2, "cache holds one reference");

    fake_now = 1299;
    TAP_CHECK(keycache_get(cache, "a.example", &got) && got.key == key &&
                  got.status == DKIM_KEY_FOUND && got.dnssec_secure,
              "cache hit before TTL");
    TAP_CHECK(key_refs(key) == 3, "cache hit returns new reference");
    dkim_keyrec_unref(got.key);

    fake_now = 1300;
    TAP_CHECK(!keycache_get(cache, "a.example", &got), "cache miss at TTL");
    TAP_CHECK(keycache_count(cache) == 0 && key_refs(key) == 1,
              "expired entry released");

    /* TTL below the minimum is raised, above the maximum lowered. */
    keycache_put(cache, "low.example", &put, 5);
    keycache_put(cache, "high.example", &put, 10000000);
    fake_now += KEYCACHE_TTL_MIN - 1;
    TAP_CHECK(keycache_get(cache, "low.example", &got),
              "cache low TTL raised to minimum");
    dkim_keyrec_unref(got.key);
    fake_now += 1;
    TAP_CHECK(!keycache_get(cache, "low.example", &got),
              "cache low TTL expires at minimum");
    fake_now = 1300 + KEYCACHE_TTL_MAX - 1;
    TAP_CHECK(keycache_get(cache, "high.example", &got),
              "cache high TTL kept to maximum");
    dkim_keyrec_unref(got.key);
    fake_now += 1;
    TAP_CHECK(!keycache_get(cache, "high.example", &got),
              "cache high TTL expires at maximum");

    TAP_CHECK(key_refs(key) == 1, "cache references balanced");
    keycache_free(cache);
    dkim_keyrec_unref(key);
}

static void
test_cache_negative(void)
{
    struct keycache *cache = keycache_new(10, fake_clock, NULL);
    struct dkim_key_answer put = { 0 }, got;

    fake_now = 5000;
    put.status = DKIM_KEY_NOTFOUND;
    snprintf(put.reason, sizeof(put.reason), "no key for n.example");
    keycache_put(cache, "n.example", &put, 3600);
    put.status = DKIM_KEY_INVALID;
    snprintf(put.reason, sizeof(put.reason), "bad p=");
    keycache_put(cache, "i.example", &put, 3600);
    put.status = DKIM_KEY_TEMPFAIL;
    keycache_put(cache, "t.example", &put, 3600);

    TAP_CHECK(keycache_get(cache, "n.example", &got) &&
                  got.status == DKIM_KEY_NOTFOUND && got.key == NULL &&
                  strcmp(got.reason, "no key for n.example") == 0,
              "cache notfound entry");
    TAP_CHECK(keycache_get(cache, "i.example", &got) &&
                  got.status == DKIM_KEY_INVALID &&
                  strcmp(got.reason, "bad p=") == 0,
              "cache invalid entry");
    TAP_CHECK(!keycache_get(cache, "t.example", &got),
              "cache never stores tempfail");

    fake_now += KEYCACHE_NEGATIVE_TTL;
    TAP_CHECK(!keycache_get(cache, "n.example", &got),
              "cache negative entry expires");
    keycache_free(cache);
}

static void
test_cache_eviction(void)
{
    struct keycache *cache = keycache_new(3, fake_clock, NULL);
    struct dkim_keyrec *key = make_key();
    struct dkim_key_answer put, got;

    if (key == NULL || cache == NULL)
        return;
    fake_now = 9000;
    put = found_answer(key);
    keycache_put(cache, "a", &put, 600);
    keycache_put(cache, "b", &put, 600);
    keycache_put(cache, "c", &put, 600);
    TAP_CHECK(keycache_get(cache, "a", &got), "cache a present");
    dkim_keyrec_unref(got.key);

    keycache_put(cache, "d", &put, 600);
    TAP_CHECK(keycache_count(cache) == 3, "cache stays at its bound");
    TAP_CHECK(!keycache_get(cache, "b", &got), "cache evicts least recent");
    TAP_CHECK(keycache_get(cache, "a", &got), "cache keeps recently used");
    dkim_keyrec_unref(got.key);
    TAP_CHECK(keycache_get(cache, "d", &got), "cache keeps newest");
    dkim_keyrec_unref(got.key);

    keycache_put(cache, "d", &put, 600);
    TAP_CHECK(keycache_count(cache) == 3 && key_refs(key) == 4,
              "cache replace releases old reference");

    keycache_free(cache);
    TAP_CHECK(key_refs(key) == 1, "cache free releases references");
    dkim_keyrec_unref(key);
}

/* Write text to a new temporary file; the caller unlinks it. */
static int
write_temp(char *path, size_t size, const char *text)
{
    FILE *fp;
    int fd;

    snprintf(path, size, "%s/t_dns.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if ((fd = mkstemp(path)) < 0 || (fp = fdopen(fd, "w")) == NULL)
        return -1;
    fputs(text, fp);
    return fclose(fp) == 0 ? 0 : -1;
}

static void
test_keylookup_file(void)
{
    char path[256], err[300];
    struct keylookup_conf conf = { 0 };
    struct keylookup *kl = NULL;
    struct dkim_key_answer a;
    struct keylookup_stats stats;
    struct keylookup_report report;

    if (write_temp(path, sizeof(path),
                   "ed._domainkey.example.com\t" ED_RECORD "\n"
                   "alias._domainkey.example.com\t~CNAME~ key.provider.example\n"
                   "key.provider.example\tspf-like text\n"
                   "key.provider.example\t" ED_RECORD "\n"
                   "bad._domainkey.example.com\tv=DKIM1; k=rsa; p=BARF\n"
                   "other._domainkey.example.com\tone\n"
                   "other._domainkey.example.com\ttwo\n"
                   "sf._domainkey.example.com\t~SERVFAIL~\n"
                   "to._domainkey.example.com\t~TIMEOUT~\n"
                   "mixed._domainkey.example.com\t" ED_KEY "\n"
                   "mixed._domainkey.example.com\t v = DKIM1 ; p=BARF\n"
                   "near._domainkey.example.com\tv=DKIM10; p=BARF\n"
                   "near._domainkey.example.com\t" ED_KEY "\n") != 0) {
        TAP_CHECK(0, "temporary keys file written");
        return;
    }
    conf.test_keys_file = path;
    TAP_CHECK(keylookup_new(&conf, &kl, err, sizeof(err)) == 0,
              "keylookup loads test keys");
    if (kl == NULL) {
        unlink(path);
        return;
    }

    keylookup_fetch(kl, "Example.com", "ed", &a);
    TAP_CHECK(a.status == DKIM_KEY_FOUND && a.key != NULL &&
                  dkim_keyrec_alg(a.key) == DKIM_ALG_ED25519_SHA256,
              "fetch finds key");
    dkim_keyrec_unref(a.key);
    keylookup_fetch(kl, "example.com", "ed", &a);
    keylookup_stats(kl, &stats);
    TAP_CHECK(a.status == DKIM_KEY_FOUND && stats.cache_hits == 1 &&
                  stats.cache_misses == 1,
              "fetch second time from cache");
    dkim_keyrec_unref(a.key);

    keylookup_fetch(kl, "example.com", "alias", &a);
    TAP_CHECK(a.status == DKIM_KEY_FOUND, "fetch follows CNAME");
    dkim_keyrec_unref(a.key);

    keylookup_fetch(kl, "example.com", "bad", &a);
    TAP_CHECK(a.status == DKIM_KEY_INVALID && a.reason[0] != '\0',
              "fetch invalid record: %s", a.reason);
    keylookup_fetch(kl, "example.com", "other", &a);
    TAP_CHECK(a.status == DKIM_KEY_NOTFOUND &&
                  strcmp(a.reason, "no DKIM key record among 2 TXT records") == 0,
              "fetch no DKIM among several");
    keylookup_fetch(kl, "example.com", "mixed", &a);
    TAP_CHECK(a.status == DKIM_KEY_INVALID && a.key == NULL,
              "fetch v=DKIM1 record wins over untagged");
    keylookup_fetch(kl, "example.com", "near", &a);
    TAP_CHECK(a.status == DKIM_KEY_FOUND && a.key != NULL,
              "fetch v=DKIM10 is not tagged");
    if (a.key)
        dkim_keyrec_unref(a.key);
    keylookup_fetch(kl, "example.com", "none", &a);
    TAP_CHECK(a.status == DKIM_KEY_NOTFOUND &&
                  strcmp(a.reason, "no key for none._domainkey.example.com") == 0,
              "fetch NXDOMAIN");

    keylookup_fetch(kl, "example.com", "sf", &a);
    keylookup_fetch(kl, "example.com", "sf", &a);
    keylookup_stats(kl, &stats);
    TAP_CHECK(a.status == DKIM_KEY_TEMPFAIL && stats.cache_hits == 1,
              "fetch SERVFAIL not cached");
    keylookup_fetch(kl, "example.com", "to", &a);
    TAP_CHECK(a.status == DKIM_KEY_TEMPFAIL && strstr(a.reason, "timed out"),
              "fetch TIMEOUT is tempfail");
    keylookup_fetch(kl, "example.com", NULL, &a);
    TAP_CHECK(a.status == DKIM_KEY_NOTFOUND, "fetch NULL selector");

    keylookup_query(kl, "alias._domainkey.example.com", &report);
    TAP_CHECK(report.status == DKIM_KEY_FOUND && report.record_count == 2 &&
                  strcmp(report.cname_target, "key.provider.example") == 0 &&
                  report.record_total == 2 &&
                  strcmp(report.records[0], ED_RECORD) == 0,
              "query reports CNAME and records, key record first");
    keylookup_report_free(&report);
    keylookup_query(kl, "sf._domainkey.example.com", &report);
    TAP_CHECK(report.status == DKIM_KEY_TEMPFAIL && report.record_count == 0,
              "query SERVFAIL");
    keylookup_report_free(&report);

    keylookup_free(kl);
    unlink(path);
}

static void
test_keylookup_errors(void)
{
    char path[256], err[300];
    struct keylookup_conf conf = { 0 };
    struct keylookup *kl = NULL;

    if (write_temp(path, sizeof(path), "ok.example\tv=DKIM1\nbroken\n") != 0)
        return;
    conf.test_keys_file = path;
    TAP_CHECK(keylookup_new(&conf, &kl, err, sizeof(err)) == -1 && kl == NULL,
              "keylookup rejects bad keys file");
    TAP_CHECK(strstr(err, path) != NULL && strstr(err, ":2: ") != NULL,
              "keylookup error names file and line: %s", err);
    unlink(path);

    conf.test_keys_file = NULL;
    conf.nameservers = (const char *const[]){ "not-an-ip", NULL };
    TAP_CHECK(keylookup_new(&conf, &kl, err, sizeof(err)) == -1 &&
                  strstr(err, "not-an-ip") != NULL,
              "keylookup rejects bad nameserver");
    conf.nameservers = (const char *const[]){ "127.0.0.1@53", NULL };
    conf.trust_anchor_file = "/nonexistent/root.key";
    TAP_CHECK(keylookup_new(&conf, &kl, err, sizeof(err)) == -1 &&
                  strstr(err, "/nonexistent/root.key") != NULL,
              "keylookup rejects missing trust anchor");
}

/* Every keys.txt of the shared corpus must load. */
static void
test_corpus_keys(void)
{
    const char *src = getenv("SIGNET_SRCDIR");
    char dir[512], path[800], err[300];
    struct dirent *entry;
    unsigned loaded = 0, failed = 0;
    DIR *d;

    snprintf(dir, sizeof(dir), "%s/../shared/testdata/dkim-corpus",
             src ? src : "..");
    if ((d = opendir(dir)) == NULL) {
        tap_skip("corpus keys files load", "no ../shared corpus");
        return;
    }
    while ((entry = readdir(d)) != NULL) {
        struct testkeys *tk;

        if (entry->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s/keys.txt", dir, entry->d_name);
        if (access(path, R_OK) != 0)
            continue;
        if (testkeys_load(path, &tk, err, sizeof(err)) == 0) {
            loaded++;
            testkeys_free(tk);
        } else {
            failed++;
            printf("# %s\n", err);
        }
    }
    closedir(d);
    TAP_CHECK(loaded > 0 && failed == 0, "corpus keys files load (%u)", loaded);
}

int
main(void)
{
    test_dname();
    test_rdata();
    test_answer_crowded();
    test_testkeys_values();
    test_testkeys_errors();
    test_cache_ttl();
    test_cache_negative();
    test_cache_eviction();
    test_keylookup_file();
    test_keylookup_errors();
    test_corpus_keys();
    return tap_done();
}
