# SPDX-License-Identifier: BSD-2-Clause
# signet: the command-line tool.
bin_PROGRAMS += src/cli/signet
src_cli_signet_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
src_cli_signet_SOURCES = src/cli/main.c
src_cli_signet_LDADD = src/conf/libsignetconf.a $(DNS_LIBS) $(CONF_LIBS)
