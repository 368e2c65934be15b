# SPDX-License-Identifier: BSD-2-Clause
# Fuzz targets.  Each target is tests/fuzz/fuzz_NAME.c with its seeds in
# tests/fuzz/corpus/NAME/; replay.sh runs every target over its seeds as
# part of make check.  Add targets in the fragments included below.
SIGNET_TESTS += $(abs_top_srcdir)/tests/fuzz/replay.sh
EXTRA_DIST += tests/fuzz/replay.sh tests/fuzz/corpus
include tests/fuzz/parse.mk
include tests/fuzz/engine.mk
include tests/fuzz/dns.mk
include tests/fuzz/more.mk
