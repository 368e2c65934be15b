# SPDX-License-Identifier: BSD-2-Clause
# Fuzz targets of the daemon and CLI input parsers; seeds in
# tests/fuzz/corpus/NAME/.  The daemon and CLI are programs, not
# libraries, so each target lists the sources it needs.
EXTRA_DIST += tests/fuzz/lsan-config.supp

FUZZ_TARGETS += tests/fuzz/fuzz_authres
tests_fuzz_fuzz_authres_SOURCES = tests/fuzz/fuzz_authres.c \
	src/daemon/authres.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_authres_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_authres_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

FUZZ_TARGETS += tests/fuzz/fuzz_config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c \
	src/daemon/sockspec.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_config_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_fuzz_config_LDADD = $(CONF_LIBS)
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

FUZZ_TARGETS += tests/fuzz/fuzz_msgread
tests_fuzz_fuzz_msgread_SOURCES = tests/fuzz/fuzz_msgread.c \
	src/cli/msgread.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_msgread_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_fuzz_msgread_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_msgread_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

FUZZ_TARGETS += tests/fuzz/fuzz_sockspec
tests_fuzz_fuzz_sockspec_SOURCES = tests/fuzz/fuzz_sockspec.c \
	src/daemon/sockspec.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_sockspec_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_sockspec_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
