# SPDX-License-Identifier: BSD-2-Clause
# Key lookup: libunbound resolver, test-keys file, TTL cache of parsed keys.
noinst_LIBRARIES += src/dns/libdnskey.a
src_dns_libdnskey_a_CFLAGS = $(AM_CFLAGS) $(UNBOUND_CFLAGS) $(OPENSSL_CFLAGS)
src_dns_libdnskey_a_SOURCES = src/dns/keylookup.h src/dns/keylookup.c \
	src/dns/dname.h src/dns/dname.c \
	src/dns/txt.h src/dns/txt.c \
	src/dns/testkeys.h src/dns/testkeys.c \
	src/dns/keycache.h src/dns/keycache.c \
	src/dns/resolver.h src/dns/resolver.c
