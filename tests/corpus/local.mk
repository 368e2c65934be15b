# SPDX-License-Identifier: BSD-2-Clause
# The public DKIM corpus, read from ../shared at test time (never copied
# into the repository); reported as skipped when it is absent.
SIGNET_TESTS += $(abs_top_srcdir)/tests/corpus/corpus.py
EXTRA_DIST += tests/corpus/corpus.py
