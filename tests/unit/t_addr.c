/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * t_addr.c - From field mailbox parser: RFC 5322 Appendix A examples,
 * obsolete forms, folding, and hostile rows.
 */
#include <string.h>

#include "dkim/dkim.h"
#include "tap.h"

static const struct addr_row {
    const char *name;
    const char *value;
    size_t len; /* 0: strlen(value) */
    enum dkim_stat stat;
    const char *local, *domain;
} rows[] = {
    {"addr-spec", "joe@example.com", 0, DKIM_OK, "joe", "example.com"},
    {"leading space", " joe@example.com", 0, DKIM_OK, "joe", "example.com"},
    {"name-addr", " Joe SixPack <joe@football.example.com>", 0, DKIM_OK, "joe",
     "football.example.com"},
    {"angle only", "<joe@example.com>", 0, DKIM_OK, "joe", "example.com"},
    {"quoted display name", "\"Joe Q. Public\" <john.q.public@example.com>", 0,
     DKIM_OK, "john.q.public", "example.com"},
    {"quoted-pair in name",
     "\"Giant; \\\"Big\\\" Box\" <sysservices@example.net>", 0, DKIM_OK,
     "sysservices", "example.net"},
    {"obs-phrase dots", "John Q. Public <JQP@x.example>", 0, DKIM_OK, "JQP",
     "x.example"},
    {"question mark atom", "Who? <one@y.test>", 0, DKIM_OK, "one", "y.test"},
    {"comments everywhere",
     "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", 0,
     DKIM_OK, "pete", "silly.test"},
    {"nested comment", "joe@example.com (Joe (the (real) one))", 0, DKIM_OK,
     "joe", "example.com"},
    {"quoted local part", "\"joe smith\"@example.com", 0, DKIM_OK,
     "\"joe smith\"", "example.com"},
    {"quoted local in angle", "Joe <\"j@x\"@example.com>", 0, DKIM_OK,
     "\"j@x\"", "example.com"},
    {"obs-local-part", "  joe . smith @ example . com", 0, DKIM_OK, "joe.smith",
     "example.com"},
    {"domain literal", "joe@[192.0.2.1]", 0, DKIM_OK, "joe", "[192.0.2.1]"},
    {"crlf folding", "Joe\r\n <joe@example.com>", 0, DKIM_OK, "joe",
     "example.com"},
    {"lf folding", "Joe\n\t<joe@example.com>", 0, DKIM_OK, "joe",
     "example.com"},
    {"utf-8 display name", "J\xc3\xb6rg <jorg@example.com>", 0, DKIM_OK, "jorg",
     "example.com"},
    {"utf-8 address", "j\xc3\xb6rg@exa\xcc\x88mple.com", 0, DKIM_OK,
     "j\xc3\xb6rg", "exa\xcc\x88mple.com"},
    {"case kept", "JOE@Example.COM", 0, DKIM_OK, "JOE", "Example.COM"},
    {"encoded word", "=?utf-8?q?J=C3=B6rg?= <jorg@example.com>", 0, DKIM_OK,
     "jorg", "example.com"},
    {"empty", "", 0, DKIM_ESYNTAX, NULL, NULL},
    {"only space", "   ", 0, DKIM_ESYNTAX, NULL, NULL},
    {"only comment", "(nobody)", 0, DKIM_ESYNTAX, NULL, NULL},
    {"two mailboxes", "Mary Smith <mary@x.test>, jdoe@example.org", 0,
     DKIM_ESYNTAX, NULL, NULL},
    {"two addr-specs", "a@b.test,c@d.test", 0, DKIM_ESYNTAX, NULL, NULL},
    {"trailing comma", "joe@example.com,", 0, DKIM_ESYNTAX, NULL, NULL},
    {"leading comma", ", joe@example.com", 0, DKIM_ESYNTAX, NULL, NULL},
    {"group", "A Group:Ed Jones <c@a.test>,joe@where.test;", 0, DKIM_ESYNTAX,
     NULL, NULL},
    {"empty group", "undisclosed-recipients:;", 0, DKIM_ESYNTAX, NULL, NULL},
    {"at in display name", "evil@attacker.test <joe@example.com>", 0,
     DKIM_ESYNTAX, NULL, NULL},
    {"two angle addrs", "<a@evil.test> <joe@example.com>", 0, DKIM_ESYNTAX,
     NULL, NULL},
    {"text after angle", "Joe <joe@example.com> trailing", 0, DKIM_ESYNTAX,
     NULL, NULL},
    {"obs-route", "<@route.test:joe@example.com>", 0, DKIM_ESYNTAX, NULL, NULL},
    {"empty angle", "<>", 0, DKIM_ESYNTAX, NULL, NULL},
    {"no domain", "joe@", 0, DKIM_ESYNTAX, NULL, NULL},
    {"no local part", "@example.com", 0, DKIM_ESYNTAX, NULL, NULL},
    {"no at", "joe", 0, DKIM_ESYNTAX, NULL, NULL},
    {"two ats", "joe@evil.test@example.com", 0, DKIM_ESYNTAX, NULL, NULL},
    {"double dot", "joe@example..com", 0, DKIM_ESYNTAX, NULL, NULL},
    {"trailing dot", "joe.@example.com", 0, DKIM_ESYNTAX, NULL, NULL},
    {"unbalanced comment", "joe@example.com (x", 0, DKIM_ESYNTAX, NULL, NULL},
    {"unbalanced close", "joe@example.com x)", 0, DKIM_ESYNTAX, NULL, NULL},
    {"unbalanced quote", "\"joe@example.com", 0, DKIM_ESYNTAX, NULL, NULL},
    {"unbalanced angle", "Joe <joe@example.com", 0, DKIM_ESYNTAX, NULL, NULL},
    {"unbalanced literal", "joe@[192.0.2.1", 0, DKIM_ESYNTAX, NULL, NULL},
    {"bracket in literal", "joe@[1[2]", 0, DKIM_ESYNTAX, NULL, NULL},
    {"backslash at end", "\"joe\\", 0, DKIM_ESYNTAX, NULL, NULL},
    {"nul byte", "joe@exa\0mple.com", 16, DKIM_ESYNTAX, NULL, NULL},
    {"nul in quotes", "\"a\0b\"@example.com", 17, DKIM_ESYNTAX, NULL, NULL},
    {"control char", "joe@example.com\x01", 0, DKIM_ESYNTAX, NULL, NULL},
    {"crlf without wsp", "Joe\r\n<joe@example.com>", 0, DKIM_ESYNTAX, NULL,
     NULL},
    {"bare cr", "Joe\r <joe@example.com>", 0, DKIM_ESYNTAX, NULL, NULL},
    {"trailing crlf", "joe@example.com\r\n", 0, DKIM_ESYNTAX, NULL, NULL},
    {"comment depth 16", "joe@example.com ((((((((((((((((x))))))))))))))))", 0,
     DKIM_OK, "joe", "example.com"},
    {"comment depth 17", "joe@example.com (((((((((((((((((x)))))))))))))))))",
     0, DKIM_ESYNTAX, NULL, NULL},
};

static void
test_rows(void)
{
    size_t i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct addr_row *row = &rows[i];
        size_t len = row->len ? row->len : strlen(row->value);
        char local[64] = "unset", domain[64] = "unset";
        enum dkim_stat st;

        st = dkim_addr_from(row->value, len, local, sizeof(local), domain,
                            sizeof(domain));
        TAP_CHECK(st == row->stat, "addr %s status %d", row->name, st);
        if (row->stat != DKIM_OK || st != DKIM_OK)
            continue;
        TAP_CHECK(strcmp(local, row->local) == 0, "addr %s local \"%s\"",
                  row->name, local);
        TAP_CHECK(strcmp(domain, row->domain) == 0, "addr %s domain \"%s\"",
                  row->name, domain);
    }
}

static void
test_buffers(void)
{
    const char *v = "Joe <joe@example.com>";
    char local[4], domain[12];

    TAP_CHECK(dkim_addr_from(v, strlen(v), NULL, 0, domain, sizeof(domain)) ==
                      DKIM_OK &&
                  strcmp(domain, "example.com") == 0,
              "addr local NULL");
    TAP_CHECK(dkim_addr_from(v, strlen(v), NULL, 0, domain, 11) == DKIM_ELIMIT,
              "addr domain buffer too small");
    TAP_CHECK(dkim_addr_from(v, strlen(v), local, 3, domain, sizeof(domain)) ==
                  DKIM_ELIMIT,
              "addr local buffer too small");
    TAP_CHECK(dkim_addr_from(v, strlen(v), local, sizeof(local), domain,
                             sizeof(domain)) == DKIM_OK &&
                  strcmp(local, "joe") == 0,
              "addr local buffer exact");
    TAP_CHECK(dkim_addr_from(v, strlen(v), NULL, 0, NULL, 0) == DKIM_EINVAL,
              "addr null domain");
    TAP_CHECK(dkim_addr_from(NULL, 4, NULL, 0, domain, sizeof(domain)) ==
                  DKIM_EINVAL,
              "addr null value");

    /* The value is used by length only: a NUL-free prefix parses. */
    TAP_CHECK(dkim_addr_from("a@b.test trailing", 8, NULL, 0, domain,
                             sizeof(domain)) == DKIM_OK &&
                  strcmp(domain, "b.test") == 0,
              "addr parses by length");
}

int
main(void)
{
    test_rows();
    test_buffers();
    return tap_done();
}
