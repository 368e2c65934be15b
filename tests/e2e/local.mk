# SPDX-License-Identifier: BSD-2-Clause
# End-to-end test: signetd behind a private loopback Postfix, with keys
# served by a loopback unbound.  Needs root; see the script's header.
SIGNET_TESTS += $(abs_top_srcdir)/tests/e2e/postfix_e2e.sh
EXTRA_DIST += tests/e2e/postfix_e2e.sh tests/e2e/dkimpy_verify.py \
	tests/lib/postfix.sh tests/lib/proc.sh
