/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * testkeys.c - the test-keys file backend (format in testkeys.h).
 *
 * The file is read once into a table sorted by owner name, so a query is
 * a binary search per name in the CNAME chain.
 *
 * DIAGNOSTICS: load and parse report the first malformed line as
 * "FILE:LINE: reason"; queries never fail as calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dns/dname.h"
#include "dns/testkeys.h"

enum testkeys_kind {
    TESTKEYS_TXT = 0,
    TESTKEYS_CNAME,
    TESTKEYS_NXDOMAIN,
    TESTKEYS_SERVFAIL,
    TESTKEYS_TIMEOUT,
};

struct testkeys_entry {
    char owner[DNAME_MAX + 1];
    enum testkeys_kind kind;
    char *value;   /* TXT: the joined record; CNAME: the normalized target */
    size_t len;
    unsigned line; /* keeps file order within one owner after sorting */
};

struct testkeys {
    struct testkeys_entry *entries;
    size_t count, cap;
};

/* Parser position (input label and line number) for error messages. */
struct testkeys_cursor {
    const char *label;
    unsigned line;
    char *err;
    size_t errlen;
};

static int testkeys_fail(struct testkeys_cursor *cur, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
testkeys_fail(struct testkeys_cursor *cur, const char *fmt, ...)
{
    char text[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    snprintf(cur->err, cur->errlen, "%s:%u: %s", cur->label, cur->line, text);
    return -1;
}

static bool
testkeys_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

void
testkeys_free(struct testkeys *tk)
{
    size_t i;

    if (tk == NULL)
        return;
    for (i = 0; i < tk->count; i++)
        free(tk->entries[i].value);
    free(tk->entries);
    free(tk);
}

static struct testkeys_entry *
testkeys_append(struct testkeys *tk)
{
    if (tk->count == tk->cap) {
        size_t cap = tk->cap ? tk->cap * 2 : 64;
        struct testkeys_entry *grown;

        grown = realloc(tk->entries, cap * sizeof(*grown));
        if (grown == NULL)
            return NULL;
        tk->entries = grown;
        tk->cap = cap;
    }
    memset(&tk->entries[tk->count], 0, sizeof(tk->entries[0]));
    return &tk->entries[tk->count++];
}

/* Decode one \-escape inside a quoted string: \DDD (decimal octet) or \X
 * for any other character X.  *pos points after the backslash. */
static int
testkeys_unescape(const char *p, size_t len, size_t *pos, unsigned char *out)
{
    if (*pos >= len)
        return -1;
    if (p[*pos] >= '0' && p[*pos] <= '9') {
        unsigned value = 0, i;

        for (i = 0; i < 3; i++, (*pos)++) {
            if (*pos >= len || p[*pos] < '0' || p[*pos] > '9')
                return -1;
            value = value * 10 + (unsigned)(p[*pos] - '0');
        }
        if (value > 255)
            return -1;
        *out = (unsigned char)value;
        return 0;
    }
    *out = (unsigned char)p[(*pos)++];
    return 0;
}

/* Parse '"s1" "s2" ...' into one joined record.  The joined text is never
 * longer than the quoted form. */
static int
testkeys_parse_quoted(struct testkeys_cursor *cur, const char *p, size_t len,
                      struct testkeys_entry *entry)
{
    size_t pos = 0, used = 0;

    if ((entry->value = malloc(len + 1)) == NULL)
        return testkeys_fail(cur, "out of memory");

    while (pos < len) {
        size_t strlen_octets = 0;

        if (p[pos] != '"')
            return testkeys_fail(cur, "expected '\"' at column %zu", pos + 1);
        pos++;
        while (pos < len && p[pos] != '"') {
            unsigned char c = (unsigned char)p[pos++];

            if (c == '\\' && testkeys_unescape(p, len, &pos, &c) != 0)
                return testkeys_fail(cur, "invalid \\ escape in quoted string");
            if (++strlen_octets > 255)
                return testkeys_fail(cur,
                                     "quoted string longer than 255 octets");
            entry->value[used++] = (char)c;
        }
        if (pos >= len)
            return testkeys_fail(cur, "unterminated quoted string");
        pos++;

        if (pos < len && !testkeys_is_blank(p[pos]))
            return testkeys_fail(cur, "expected a blank after a quoted string");
        while (pos < len && testkeys_is_blank(p[pos]))
            pos++;
    }

    entry->value[used] = '\0';
    entry->len = used;
    entry->kind = TESTKEYS_TXT;
    return 0;
}

/* Parse a "~MARKER~ ..." value. */
static int
testkeys_parse_marker(struct testkeys_cursor *cur, const char *p, size_t len,
                      struct testkeys_entry *entry)
{
    static const struct {
        const char *word;
        enum testkeys_kind kind;
    } markers[] = {
        { "~NXDOMAIN~", TESTKEYS_NXDOMAIN },
        { "~SERVFAIL~", TESTKEYS_SERVFAIL },
        { "~TIMEOUT~", TESTKEYS_TIMEOUT },
    };
    static const char cname[] = "~CNAME~";
    size_t i, pos;
    char target[DNAME_MAX + 1];

    for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
        if (len == strlen(markers[i].word) &&
            memcmp(p, markers[i].word, len) == 0) {
            entry->kind = markers[i].kind;
            return 0;
        }
    }

    pos = sizeof(cname) - 1;
    if (len <= pos || memcmp(p, cname, pos) != 0 ||
        !testkeys_is_blank(p[pos]))
        return testkeys_fail(cur, "unknown marker; expected ~CNAME~ target, "
                                  "~NXDOMAIN~, ~SERVFAIL~ or ~TIMEOUT~");
    while (pos < len && testkeys_is_blank(p[pos]))
        pos++;
    if (dname_normalize(p + pos, len - pos, target) != 0)
        return testkeys_fail(cur, "invalid CNAME target");
    if ((entry->value = strdup(target)) == NULL)
        return testkeys_fail(cur, "out of memory");
    entry->len = strlen(target);
    entry->kind = TESTKEYS_CNAME;
    return 0;
}

static int
testkeys_parse_value(struct testkeys_cursor *cur, const char *p, size_t len,
                     struct testkeys_entry *entry)
{
    if (len == 0)
        return testkeys_fail(cur, "missing record after the owner name");
    if (p[0] == '~')
        return testkeys_parse_marker(cur, p, len, entry);
    if (p[0] == '"')
        return testkeys_parse_quoted(cur, p, len, entry);

    if ((entry->value = malloc(len + 1)) == NULL)
        return testkeys_fail(cur, "out of memory");
    memcpy(entry->value, p, len);
    entry->value[len] = '\0';
    entry->len = len;
    entry->kind = TESTKEYS_TXT;
    return 0;
}

/* Parse one line without its line end; comments and blank lines add
 * nothing. */
static int
testkeys_parse_line(struct testkeys *tk, struct testkeys_cursor *cur,
                    const char *p, size_t len)
{
    struct testkeys_entry *entry;
    size_t pos = 0, owner_start, owner_len;

    if (len > 0 && p[len - 1] == '\r')
        len--;
    if (memchr(p, '\0', len) != NULL)
        return testkeys_fail(cur, "NUL byte in line");
    while (pos < len && testkeys_is_blank(p[pos]))
        pos++;
    if (pos == len || p[pos] == '#')
        return 0;

    /* Owner name, then at least one blank. */
    owner_start = pos;
    while (pos < len && !testkeys_is_blank(p[pos]))
        pos++;
    owner_len = pos - owner_start;
    if (pos == len)
        return testkeys_fail(cur,
                             "missing TAB and record after the owner name");
    while (pos < len && testkeys_is_blank(p[pos]))
        pos++;
    while (len > pos && testkeys_is_blank(p[len - 1]))
        len--;

    if (tk->count >= TESTKEYS_MAX_LINES)
        return testkeys_fail(cur, "more than %u records", TESTKEYS_MAX_LINES);
    if ((entry = testkeys_append(tk)) == NULL)
        return testkeys_fail(cur, "out of memory");
    entry->line = cur->line;
    if (dname_normalize(p + owner_start, owner_len, entry->owner) != 0)
        return testkeys_fail(cur, "invalid owner name");
    return testkeys_parse_value(cur, p + pos, len - pos, entry);
}

static int
testkeys_compare(const void *a, const void *b)
{
    const struct testkeys_entry *x = a, *y = b;
    int order = strcmp(x->owner, y->owner);

    if (order != 0)
        return order;
    return (x->line > y->line) - (x->line < y->line);
}

/* A marker describes the whole name, so nothing else may share its owner. */
static int
testkeys_check_owners(struct testkeys *tk, struct testkeys_cursor *cur)
{
    size_t i;

    for (i = 1; i < tk->count; i++) {
        const struct testkeys_entry *prev = &tk->entries[i - 1];
        const struct testkeys_entry *entry = &tk->entries[i];

        if (strcmp(prev->owner, entry->owner) != 0)
            continue;
        if (prev->kind != TESTKEYS_TXT || entry->kind != TESTKEYS_TXT) {
            cur->line = entry->line;
            return testkeys_fail(cur, "%s: a ~MARKER~ line must be the only "
                                      "line of its owner (also on line %u)",
                                 entry->owner, prev->line);
        }
    }
    return 0;
}

int
testkeys_parse(const char *data, size_t len, const char *label,
               struct testkeys **out, char *err, size_t errlen)
{
    struct testkeys_cursor cur = { label, 0, err, errlen };
    struct testkeys *tk;
    size_t pos = 0;

    *out = NULL;
    if ((tk = calloc(1, sizeof(*tk))) == NULL) {
        snprintf(err, errlen, "%s: out of memory", label);
        return -1;
    }

    while (pos < len) {
        const char *end = memchr(data + pos, '\n', len - pos);
        size_t line_len = end ? (size_t)(end - (data + pos)) : len - pos;

        cur.line++;
        if (line_len > TESTKEYS_MAX_LINE) {
            testkeys_fail(&cur, "line longer than %u bytes", TESTKEYS_MAX_LINE);
            goto fail;
        }
        if (testkeys_parse_line(tk, &cur, data + pos, line_len) != 0)
            goto fail;
        pos += line_len + (end ? 1 : 0);
    }

    if (tk->count > 0)
        qsort(tk->entries, tk->count, sizeof(tk->entries[0]),
              testkeys_compare);
    if (testkeys_check_owners(tk, &cur) != 0)
        goto fail;
    *out = tk;
    return 0;

fail:
    testkeys_free(tk);
    return -1;
}

/* Read the whole file, refusing anything above TESTKEYS_MAX_FILE. */
static int
testkeys_read_file(const char *path, char **data, size_t *len, char *err,
                   size_t errlen)
{
    struct stat st;
    size_t got = 0;
    int fd;

    *data = NULL;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0 ||
        fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: cannot open test keys file: %s", path,
                 strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > (off_t)TESTKEYS_MAX_FILE) {
        snprintf(err, errlen, "%s: not a regular file of at most %u bytes",
                 path, TESTKEYS_MAX_FILE);
        goto fail;
    }
    if ((*data = malloc((size_t)st.st_size + 1)) == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, *data + got, (size_t)st.st_size - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, errlen, "%s: read failed: %s", path,
                     n < 0 ? strerror(errno) : "file shrank while reading");
            goto fail;
        }
        got += (size_t)n;
    }
    close(fd);
    *len = got;
    return 0;

fail:
    if (fd >= 0)
        close(fd);
    free(*data);
    *data = NULL;
    return -1;
}

int
testkeys_load(const char *path, struct testkeys **out, char *err,
              size_t errlen)
{
    char *data;
    size_t len;
    int status;

    *out = NULL;
    if (testkeys_read_file(path, &data, &len, err, errlen) != 0)
        return -1;
    status = testkeys_parse(data, len, path, out, err, errlen);
    free(data);
    return status;
}

/* Index of the first entry of owner, or tk->count when there is none. */
static size_t
testkeys_find(const struct testkeys *tk, const char *owner)
{
    size_t low = 0, high = tk->count;

    while (low < high) {
        size_t mid = low + (high - low) / 2;

        if (strcmp(tk->entries[mid].owner, owner) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    if (low < tk->count && strcmp(tk->entries[low].owner, owner) == 0)
        return low;
    return tk->count;
}

/* Fill answer from the entries of one owner that exists. */
static void
testkeys_answer_owner(const struct testkeys *tk, size_t i,
                      struct txt_answer *answer)
{
    const struct testkeys_entry *entry = &tk->entries[i];

    switch (entry->kind) {
    case TESTKEYS_NXDOMAIN:
        answer->outcome = TXT_NXDOMAIN;
        return;
    case TESTKEYS_SERVFAIL:
        answer->outcome = TXT_SERVFAIL;
        snprintf(answer->reason, sizeof(answer->reason),
                 "SERVFAIL (test keys file)");
        return;
    case TESTKEYS_TIMEOUT:
        answer->outcome = TXT_TIMEOUT;
        snprintf(answer->reason, sizeof(answer->reason),
                 "timed out (test keys file)");
        return;
    case TESTKEYS_CNAME:
    case TESTKEYS_TXT:
        break;
    }

    answer->outcome = TXT_FOUND;
    for (; i < tk->count && strcmp(tk->entries[i].owner, entry->owner) == 0;
         i++) {
        if (txt_answer_add(answer, tk->entries[i].value,
                           tk->entries[i].len) != DKIM_OK) {
            txt_answer_clear(answer);
            answer->outcome = TXT_SERVFAIL;
            snprintf(answer->reason, sizeof(answer->reason), "out of memory");
            return;
        }
    }
}

void
testkeys_query(const struct testkeys *tk, const char *name,
               struct txt_answer *answer)
{
    char owner[DNAME_MAX + 1];
    unsigned hops;
    size_t i;

    answer->ttl = TESTKEYS_TTL;
    if (dname_normalize(name, strlen(name), owner) != 0) {
        answer->outcome = TXT_NXDOMAIN;
        return;
    }
    snprintf(answer->canonname, sizeof(answer->canonname), "%s", owner);

    for (hops = 0;; hops++) {
        if ((i = testkeys_find(tk, owner)) == tk->count) {
            answer->outcome = TXT_NXDOMAIN;
            return;
        }
        if (tk->entries[i].kind != TESTKEYS_CNAME)
            break;
        if (hops == TESTKEYS_MAX_CNAMES) {
            answer->outcome = TXT_SERVFAIL;
            snprintf(answer->reason, sizeof(answer->reason),
                     "more than %u CNAMEs from %s (a loop?)",
                     TESTKEYS_MAX_CNAMES, name);
            return;
        }
        snprintf(owner, sizeof(owner), "%s", tk->entries[i].value);
        snprintf(answer->canonname, sizeof(answer->canonname), "%s", owner);
    }

    testkeys_answer_owner(tk, i, answer);
}
