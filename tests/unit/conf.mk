# SPDX-License-Identifier: BSD-2-Clause
# Configuration loading: settings, rejections with line numbers, CIDR
# matching, signing rule precedence, key file modes, the shipped example.
check_PROGRAMS += tests/unit/t_config
tests_unit_t_config_SOURCES = tests/unit/t_config.c
tests_unit_t_config_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_t_config_CPPFLAGS = $(AM_CPPFLAGS) \
	-DSIGNET_SRCDIR='"$(abs_top_srcdir)"'
tests_unit_t_config_LDADD = $(CONF_LIBS)
SIGNET_TESTS += tests/unit/t_config
