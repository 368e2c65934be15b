# SPDX-License-Identifier: BSD-2-Clause
# Key lookup tests: the test-keys parser and cache (t_dns), and lookups
# against private loopback unbound servers (dns_live.sh driving dns_lookup).
DNS_TEST_CFLAGS = $(AM_CFLAGS) $(UNBOUND_CFLAGS) $(OPENSSL_CFLAGS)

check_PROGRAMS += tests/unit/t_dns tests/unit/dns_lookup
tests_unit_t_dns_SOURCES = tests/unit/t_dns.c
tests_unit_t_dns_CFLAGS = $(DNS_TEST_CFLAGS)
tests_unit_t_dns_LDADD = $(DNS_LIBS)
tests_unit_dns_lookup_SOURCES = tests/unit/dns_lookup.c
tests_unit_dns_lookup_CFLAGS = $(DNS_TEST_CFLAGS)
tests_unit_dns_lookup_LDADD = $(DNS_LIBS)

SIGNET_TESTS += tests/unit/t_dns $(abs_top_srcdir)/tests/unit/dns_live.sh
EXTRA_DIST += tests/unit/dns_live.sh tests/unit/dns_signzone.py tests/lib/unbound.sh
