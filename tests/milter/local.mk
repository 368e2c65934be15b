# SPDX-License-Identifier: BSD-2-Clause
# Scripted milter sessions: miltertest drives the real signetd.
SIGNET_TESTS += $(abs_top_srcdir)/tests/milter/milter.sh
EXTRA_DIST += tests/milter/milter.sh tests/milter/lib.lua tests/milter/cases.lua

# Tables for the daemon's pure helpers, linked with their sources.
check_PROGRAMS += tests/milter/t_daemon
tests_milter_t_daemon_SOURCES = tests/milter/t_daemon.c \
	src/daemon/authres.c src/daemon/log.c src/daemon/policy.c \
	src/daemon/sockspec.c
tests_milter_t_daemon_CFLAGS = $(AM_CFLAGS) $(MILTER_CFLAGS) $(OPENSSL_CFLAGS)
tests_milter_t_daemon_LDADD = $(CONF_LIBS) $(MILTER_LIBS)
SIGNET_TESTS += tests/milter/t_daemon
