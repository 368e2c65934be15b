# SPDX-License-Identifier: BSD-2-Clause
# signet: the command-line tool, one file per subcommand.
bin_PROGRAMS += src/cli/signet
dist_man_MANS += src/cli/signet.1
src_cli_signet_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
src_cli_signet_SOURCES = \
	src/cli/cli.h src/cli/main.c src/cli/util.c src/cli/dnsopts.c \
	src/cli/msgread.c src/daemon/authres.h src/daemon/authres.c \
	src/cli/keygen.c src/cli/testkey.c src/cli/sign.c src/cli/verify.c \
	src/cli/confcheck.c
src_cli_signet_LDADD = $(DNS_LIBS) $(CONF_LIBS)
