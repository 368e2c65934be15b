# SPDX-License-Identifier: BSD-2-Clause
# signetd: the milter daemon.
sbin_PROGRAMS += src/daemon/signetd
src_daemon_signetd_CFLAGS = $(AM_CFLAGS) $(MILTER_CFLAGS) $(SYSTEMD_CFLAGS) $(OPENSSL_CFLAGS)
src_daemon_signetd_SOURCES = src/daemon/main.c
src_daemon_signetd_LDADD = src/conf/libsignetconf.a $(DNS_LIBS) $(CONF_LIBS) \
	$(MILTER_LIBS) $(SYSTEMD_LIBS) -lpthread
