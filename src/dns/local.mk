# SPDX-License-Identifier: BSD-2-Clause
# Key lookup: libunbound resolver, test-keys file, TTL cache of parsed keys.
noinst_LIBRARIES += src/dns/libdnskey.a
src_dns_libdnskey_a_CFLAGS = $(AM_CFLAGS) $(UNBOUND_CFLAGS) $(OPENSSL_CFLAGS)
src_dns_libdnskey_a_SOURCES = src/dns/keylookup.h src/dns/keylookup.c
