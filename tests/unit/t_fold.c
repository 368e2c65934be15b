/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_fold.c - folding of DKIM-Signature values: exact layouts, the line
 * limit, where breaks may fall (after h= colons, anywhere in base64, never
 * right after "b="), and line-end rewriting.
 */
#include <string.h>

#include "dkim/fold.h"
#include "tap.h"

/* Longest line in text, folds being CRLF. */
static size_t
longest_line(const char *text, size_t len)
{
    size_t i, col = 0, max = 0;

    for (i = 0; i < len; i++) {
        if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') {
            col = 0;
            i++;
            continue;
        }
        if (++col > max)
            max = col;
    }
    return max;
}

/* Remove every CRLF TAB, which is what a fold inserted. */
static size_t
unfold(const char *in, size_t len, char *out)
{
    size_t i, o = 0;

    for (i = 0; i < len; i++) {
        if (i + 2 < len && in[i] == '\r' && in[i + 1] == '\n' && in[i + 2] == '\t') {
            i += 2;
            continue;
        }
        out[o++] = in[i];
    }
    out[o] = '\0';
    return o;
}

static void
test_short_tags(void)
{
    struct dkim_buf buf;
    struct fold f;

    dkim_buf_init(&buf, 4096);
    fold_init(&f, &buf, 15);
    fold_tag(&f, "v", "1", false);
    fold_tag(&f, "a", "rsa-sha256", false);
    fold_tag(&f, "d", "example.com", true);
    TAP_CHECK(fold_status(&f) == DKIM_OK, "short tags status");
    TAP_CHECK(strcmp(buf.data, " v=1; a=rsa-sha256; d=example.com") == 0,
              "short tags on one line (%s)", buf.data);
    dkim_buf_free(&buf);
}

static void
test_tag_wraps(void)
{
    struct dkim_buf buf;
    struct fold f;

    dkim_buf_init(&buf, 4096);
    fold_init(&f, &buf, 70);
    fold_tag(&f, "s", "selector", false);
    TAP_CHECK(strcmp(buf.data, "\r\n\ts=selector;") == 0,
              "tag that does not fit starts a line");
    dkim_buf_free(&buf);
}

static void
test_header_list(void)
{
    static const char *const names[] = {
        "From", "To", "Cc", "Subject", "Date", "Message-ID", "Reply-To",
        "In-Reply-To", "References", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding", "List-Id", "List-Help",
        "List-Unsubscribe", "List-Unsubscribe-Post", "List-Subscribe",
        "List-Post", "List-Owner", "List-Archive", "From"};
    unsigned n = sizeof(names) / sizeof(names[0]), i;
    struct dkim_buf buf;
    char flat[4096];
    bool breaks_ok = true;
    struct fold f;

    dkim_buf_init(&buf, 4096);
    fold_init(&f, &buf, 40);
    fold_list(&f, "h", names, n, false);
    TAP_CHECK(longest_line(buf.data, buf.len) <= FOLD_MAX_LINE,
              "h= lines within the limit");
    for (i = 0; i + 2 < buf.len; i++)
        if (buf.data[i + 1] == '\r' && buf.data[i] != ':' && i > 3)
            breaks_ok = false;
    TAP_CHECK(breaks_ok, "h= breaks only after a colon");
    unfold(buf.data, buf.len, flat);
    TAP_CHECK(strncmp(flat, " h=From:To:Cc:Subject:", 22) == 0,
              "h= unfolds to the list");
    TAP_CHECK(buf.data[buf.len - 1] == ';' &&
                  strstr(flat, "List-Archive:From;") != NULL,
              "h= ends with the last name and a semicolon");
    dkim_buf_free(&buf);
}

static void
test_b64(void)
{
    char value[400], flat[1024];
    struct dkim_buf buf;
    size_t i, n;
    struct fold f;

    for (i = 0; i < 344; i++)
        value[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i % 64];
    value[344] = '\0';

    dkim_buf_init(&buf, 4096);
    fold_init(&f, &buf, 30);
    fold_b64_start(&f, "b");
    fold_b64_value(&f, value, 344, true);
    TAP_CHECK(longest_line(buf.data, buf.len) <= FOLD_MAX_LINE,
              "b= lines within the limit");
    n = unfold(buf.data, buf.len, flat);
    TAP_CHECK(n == 347 && strncmp(flat, " b=", 3) == 0 &&
                  memcmp(flat + 3, value, 344) == 0,
              "b= unfolds to the value");
    dkim_buf_free(&buf);

    /* Near the end of a line " b=" moves to the next line, so the value
     * never starts on a line of its own. */
    dkim_buf_init(&buf, 4096);
    fold_init(&f, &buf, 70);
    fold_b64_start(&f, "b");
    TAP_CHECK(strcmp(buf.data, "\r\n\tb=") == 0, "b= never ends a line");
    dkim_buf_free(&buf);

    /* A value that is not last keeps room for its ";". */
    dkim_buf_init(&buf, 4096);
    fold_init(&f, &buf, 20);
    fold_b64_start(&f, "bh");
    fold_b64_value(&f, value, 44, false);
    TAP_CHECK(longest_line(buf.data, buf.len) <= FOLD_MAX_LINE &&
                  buf.data[buf.len - 1] == ';',
              "bh= with semicolon within the limit");
    dkim_buf_free(&buf);
}

static void
test_eol(void)
{
    struct dkim_buf buf;

    dkim_buf_init(&buf, 100);
    fold_eol("a\r\n\tb\r\n\tc", 9, "\n", &buf);
    TAP_CHECK(strcmp(buf.data, "a\n\tb\n\tc") == 0, "eol rewritten to LF");
    dkim_buf_reset(&buf);
    fold_eol("a\r\n\tb", 5, "\r\n", &buf);
    TAP_CHECK(strcmp(buf.data, "a\r\n\tb") == 0, "eol CRLF kept");
    dkim_buf_reset(&buf);
    fold_eol("a\rb\n", 4, "\n", &buf);
    TAP_CHECK(strcmp(buf.data, "a\rb\n") == 0, "lone CR and LF untouched");
    dkim_buf_free(&buf);
}

static void
test_buffer_cap(void)
{
    struct dkim_buf buf;
    struct fold f;

    dkim_buf_init(&buf, 10);
    fold_init(&f, &buf, 15);
    fold_tag(&f, "d", "a-domain-longer-than-ten.example", false);
    fold_tag(&f, "s", "x", false);
    TAP_CHECK(fold_status(&f) == DKIM_ELIMIT, "buffer cap reported");
    dkim_buf_free(&buf);
}

static void
test_resume(void)
{
    struct dkim_buf buf;
    struct fold f;

    dkim_buf_init(&buf, 100);
    dkim_buf_appends(&buf, " v=1;\r\n\tabc");
    fold_resume(&f, &buf, 15);
    TAP_CHECK(f.col == 4, "resume counts the last line (%zu)", f.col);
    dkim_buf_reset(&buf);
    dkim_buf_appends(&buf, " v=1;");
    fold_resume(&f, &buf, 15);
    TAP_CHECK(f.col == 20, "resume on the first line (%zu)", f.col);
    dkim_buf_free(&buf);
}

int
main(void)
{
    test_short_tags();
    test_tag_wraps();
    test_header_list();
    test_b64();
    test_eol();
    test_buffer_cap();
    test_resume();
    return tap_done();
}
