# SPDX-License-Identifier: BSD-2-Clause
# Fuzz targets of the DKIM core parsers; seeds in tests/fuzz/corpus/NAME/.
FUZZ_TARGETS += tests/fuzz/fuzz_tagl
tests_fuzz_fuzz_tagl_SOURCES = tests/fuzz/fuzz_tagl.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_tagl_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_tagl_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

FUZZ_TARGETS += tests/fuzz/fuzz_sig
tests_fuzz_fuzz_sig_SOURCES = tests/fuzz/fuzz_sig.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_sig_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_sig_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

FUZZ_TARGETS += tests/fuzz/fuzz_keyrec
tests_fuzz_fuzz_keyrec_SOURCES = tests/fuzz/fuzz_keyrec.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_keyrec_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_keyrec_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_fuzz_fuzz_keyrec_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

FUZZ_TARGETS += tests/fuzz/fuzz_addr
tests_fuzz_fuzz_addr_SOURCES = tests/fuzz/fuzz_addr.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_addr_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_addr_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

FUZZ_TARGETS += tests/fuzz/fuzz_b64
tests_fuzz_fuzz_b64_SOURCES = tests/fuzz/fuzz_b64.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_b64_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_b64_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
