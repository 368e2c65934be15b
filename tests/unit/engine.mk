# SPDX-License-Identifier: BSD-2-Clause
# Unit tests of the DKIM engine: canonicalization, folding, header fields,
# keys, signing and verification.
ENGINE_UNIT_TESTS = tests/unit/t_canon tests/unit/t_fold tests/unit/t_hdrs \
	tests/unit/t_pkey tests/unit/t_sign tests/unit/t_verify
check_PROGRAMS += $(ENGINE_UNIT_TESTS)
SIGNET_TESTS += $(ENGINE_UNIT_TESTS)
EXTRA_DIST += tests/unit/engine_util.h

tests_unit_t_canon_SOURCES = tests/unit/t_canon.c
tests_unit_t_canon_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_t_canon_LDADD = $(CORE_LIBS)
tests_unit_t_fold_SOURCES = tests/unit/t_fold.c
tests_unit_t_fold_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_t_fold_LDADD = $(CORE_LIBS)
tests_unit_t_hdrs_SOURCES = tests/unit/t_hdrs.c
tests_unit_t_hdrs_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_t_hdrs_LDADD = $(CORE_LIBS)
tests_unit_t_pkey_SOURCES = tests/unit/t_pkey.c
tests_unit_t_pkey_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_t_pkey_LDADD = $(CORE_LIBS)
tests_unit_t_sign_SOURCES = tests/unit/t_sign.c tests/unit/engine_util.h
tests_unit_t_sign_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_t_sign_LDADD = $(CORE_LIBS)
tests_unit_t_verify_SOURCES = tests/unit/t_verify.c tests/unit/engine_util.h
tests_unit_t_verify_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_t_verify_LDADD = $(CORE_LIBS)
