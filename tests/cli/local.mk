# SPDX-License-Identifier: BSD-2-Clause
# Tests of the signet command-line tool.
SIGNET_TESTS += $(abs_top_srcdir)/tests/cli/cli.sh
EXTRA_DIST += tests/cli/cli.sh
