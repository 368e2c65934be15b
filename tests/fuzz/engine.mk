# SPDX-License-Identifier: BSD-2-Clause
# Fuzz targets of the DKIM engine; seeds in tests/fuzz/corpus/canon/ and
# tests/fuzz/corpus/msg/.
FUZZ_TARGETS += tests/fuzz/fuzz_canon
tests_fuzz_fuzz_canon_SOURCES = tests/fuzz/fuzz_canon.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_canon_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_canon_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_fuzz_canon_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

FUZZ_TARGETS += tests/fuzz/fuzz_msg
tests_fuzz_fuzz_msg_SOURCES = tests/fuzz/fuzz_msg.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_msg_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_msg_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_fuzz_msg_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
