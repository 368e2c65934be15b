# SPDX-License-Identifier: BSD-2-Clause
# Scripted milter sessions: miltertest drives the real signetd.
SIGNET_TESTS += $(abs_top_srcdir)/tests/milter/milter.sh
EXTRA_DIST += tests/milter/milter.sh tests/milter/lib.lua tests/milter/cases.lua
