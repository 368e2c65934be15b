# SPDX-License-Identifier: BSD-2-Clause
# Fuzz targets of the key lookup parsers; seeds in tests/fuzz/corpus/NAME/.
FUZZ_TARGETS += tests/fuzz/fuzz_txt
tests_fuzz_fuzz_txt_SOURCES = tests/fuzz/fuzz_txt.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_txt_LDADD = $(DNS_LIBS)
tests_fuzz_fuzz_txt_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

FUZZ_TARGETS += tests/fuzz/fuzz_testkeys
tests_fuzz_fuzz_testkeys_SOURCES = tests/fuzz/fuzz_testkeys.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_testkeys_LDADD = $(DNS_LIBS)
tests_fuzz_fuzz_testkeys_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
