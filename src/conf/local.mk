# SPDX-License-Identifier: BSD-2-Clause
# Configuration loading, shared by signetd and "signet config check".
noinst_LIBRARIES += src/conf/libsignetconf.a
src_conf_libsignetconf_a_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS) $(OPENSSL_CFLAGS)
src_conf_libsignetconf_a_SOURCES = src/conf/config.h src/conf/config.c
