# SPDX-License-Identifier: BSD-2-Clause
# signetd: the milter daemon.
sbin_PROGRAMS += src/daemon/signetd
src_daemon_signetd_CFLAGS = $(AM_CFLAGS) $(MILTER_CFLAGS) $(SYSTEMD_CFLAGS) \
	$(OPENSSL_CFLAGS) $(UNBOUND_CFLAGS) $(LIBCONFIG_CFLAGS)
src_daemon_signetd_SOURCES = \
	src/daemon/main.c \
	src/daemon/log.h src/daemon/log.c \
	src/daemon/snapshot.h src/daemon/snapshot.c \
	src/daemon/sockspec.h src/daemon/sockspec.c \
	src/daemon/privdrop.h src/daemon/privdrop.c \
	src/daemon/msgctx.h src/daemon/msgctx.c \
	src/daemon/decide.h src/daemon/decide.c \
	src/daemon/authres.h src/daemon/authres.c \
	src/daemon/policy.h src/daemon/policy.c \
	src/daemon/milter.h src/daemon/milter.c \
	src/daemon/eom.c
src_daemon_signetd_LDADD = $(DNS_LIBS) $(CONF_LIBS) \
	$(MILTER_LIBS) $(SYSTEMD_LIBS) -lpthread
dist_man_MANS += src/daemon/signetd.8

# systemd unit, made from init/signetd.service.in with the configured
# paths, and the tmpfiles and sysusers entries.  Both directories want
# NAME.conf, so the entries are installed under that name by hand.
systemdunitdir = $(prefix)/lib/systemd/system
nodist_systemdunit_DATA = init/signetd.service
tmpfilesdir = $(prefix)/lib/tmpfiles.d
sysusersdir = $(prefix)/lib/sysusers.d
CLEANFILES += init/signetd.service
EXTRA_DIST += init/signetd.service.in init/signet.tmpfiles init/signet.sysusers \
	contrib/postfix-main.cf.snippet

init/signetd.service: $(srcdir)/init/signetd.service.in Makefile
	$(MKDIR_P) init
	sed -e 's|@sbindir[@]|$(sbindir)|g' \
		-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		'$(srcdir)/init/signetd.service.in' >$@

install-data-local: install-signet-tmpfiles
install-signet-tmpfiles:
	$(MKDIR_P) '$(DESTDIR)$(tmpfilesdir)'
	$(INSTALL_DATA) '$(srcdir)/init/signet.tmpfiles' \
		'$(DESTDIR)$(tmpfilesdir)/signet.conf'
	$(MKDIR_P) '$(DESTDIR)$(sysusersdir)'
	$(INSTALL_DATA) '$(srcdir)/init/signet.sysusers' \
		'$(DESTDIR)$(sysusersdir)/signet.conf'

uninstall-local: uninstall-signet-tmpfiles
uninstall-signet-tmpfiles:
	rm -f '$(DESTDIR)$(tmpfilesdir)/signet.conf' \
		'$(DESTDIR)$(sysusersdir)/signet.conf'
.PHONY: install-signet-tmpfiles uninstall-signet-tmpfiles
