# SPDX-License-Identifier: BSD-2-Clause
# Unit tests of the DKIM core parsers: buffers and names, base64, tag lists,
# DKIM-Signature fields, key records and From addresses.
check_PROGRAMS += tests/unit/t_buf
tests_unit_t_buf_SOURCES = tests/unit/t_buf.c
tests_unit_t_buf_LDADD = $(CORE_LIBS)
tests_unit_t_buf_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
SIGNET_TESTS += tests/unit/t_buf

check_PROGRAMS += tests/unit/t_b64
tests_unit_t_b64_SOURCES = tests/unit/t_b64.c
tests_unit_t_b64_LDADD = $(CORE_LIBS)
tests_unit_t_b64_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
SIGNET_TESTS += tests/unit/t_b64

check_PROGRAMS += tests/unit/t_tagl
tests_unit_t_tagl_SOURCES = tests/unit/t_tagl.c
tests_unit_t_tagl_LDADD = $(CORE_LIBS)
tests_unit_t_tagl_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
SIGNET_TESTS += tests/unit/t_tagl

check_PROGRAMS += tests/unit/t_sig
tests_unit_t_sig_SOURCES = tests/unit/t_sig.c
tests_unit_t_sig_LDADD = $(CORE_LIBS)
tests_unit_t_sig_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
SIGNET_TESTS += tests/unit/t_sig

check_PROGRAMS += tests/unit/t_keyrec
tests_unit_t_keyrec_SOURCES = tests/unit/t_keyrec.c
tests_unit_t_keyrec_LDADD = $(CORE_LIBS)
tests_unit_t_keyrec_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
SIGNET_TESTS += tests/unit/t_keyrec

check_PROGRAMS += tests/unit/t_addr
tests_unit_t_addr_SOURCES = tests/unit/t_addr.c
tests_unit_t_addr_LDADD = $(CORE_LIBS)
tests_unit_t_addr_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
SIGNET_TESTS += tests/unit/t_addr
