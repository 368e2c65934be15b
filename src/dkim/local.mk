# SPDX-License-Identifier: BSD-2-Clause
# The DKIM core: no libmilter, no logging, no DNS library.
noinst_LIBRARIES += src/dkim/libdkim.a
src_dkim_libdkim_a_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
src_dkim_libdkim_a_SOURCES = \
	src/dkim/dkim.h src/dkim/status.h src/dkim/status.c \
	src/dkim/buf.h src/dkim/buf.c \
	src/dkim/b64.h src/dkim/b64.c \
	src/dkim/tagl.h src/dkim/tagl.c \
	src/dkim/sig.h src/dkim/sig.c \
	src/dkim/keyrec.h src/dkim/keyrec.c \
	src/dkim/addr.c \
	src/dkim/pkey.h src/dkim/pkey.c \
	src/dkim/canon.h src/dkim/canon.c \
	src/dkim/bodyhash.h src/dkim/bodyhash.c \
	src/dkim/hdrs.h src/dkim/hdrs.c \
	src/dkim/msg.h src/dkim/msg.c \
	src/dkim/fold.h src/dkim/fold.c \
	src/dkim/sign.c \
	src/dkim/verify.c
