# SPDX-License-Identifier: BSD-2-Clause
# Interoperability: signet's signatures checked by dkimpy and OpenDKIM, and
# theirs checked by signet.  Both run offline (see interoplib.py).
SIGNET_TESTS += $(abs_top_srcdir)/tests/interop/signet_signs.py \
	$(abs_top_srcdir)/tests/interop/others_sign.py
EXTRA_DIST += tests/interop/interoplib.py tests/interop/signet_signs.py \
	tests/interop/others_sign.py
