# SPDX-License-Identifier: BSD-2-Clause
# Configuration loading, shared by signetd and "signet config check".
noinst_LIBRARIES += src/conf/libsignetconf.a
src_conf_libsignetconf_a_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS) $(OPENSSL_CFLAGS)
src_conf_libsignetconf_a_SOURCES = src/conf/config.h src/conf/config.c \
	src/conf/loader.h src/conf/loader.c \
	src/conf/settings.h src/conf/settings.c \
	src/conf/keys.h src/conf/keys.c \
	src/conf/policy.h src/conf/policy.c \
	src/conf/cidr.h src/conf/cidr.c \
	src/conf/syntax.h src/conf/syntax.c
dist_man_MANS += src/conf/signet.conf.5
# The example is installed next to the documentation, never over a live
# configuration.
examplesdir = $(docdir)/examples
dist_examples_DATA = conf/signet.conf
