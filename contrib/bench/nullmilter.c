// SPDX-License-Identifier: BSD-2-Clause
/*
 * nullmilter - a libmilter filter that does no work, for the benchmark's
 * ceiling.  It negotiates the same protocol steps and no-reply flags as
 * signetd (protocol=0xc538a in miltergen's report), receives the header
 * fields and body without replying and accepts every message at end of
 * message.  Usage: nullmilter inet:PORT@127.0.0.1
 *
 * DIAGNOSTICS: exits 1 when libmilter cannot register or open the socket.
 */

#include <stdio.h>
#include <libmilter/mfapi.h>

/* Steps signetd skips (SMFIP_NO*) or takes without a reply (SMFIP_NR_*). */
#define NULL_PROTOCOL                                                    \
	(SMFIP_NOHELO | SMFIP_NORCPT | SMFIP_NOUNKNOWN | SMFIP_NODATA |  \
	 SMFIP_NR_CONN | SMFIP_NR_MAIL | SMFIP_NR_HDR | SMFIP_NR_EOH |   \
	 SMFIP_NR_BODY)

static sfsistat null_negotiate(SMFICTX *ctx, unsigned long actions,
			       unsigned long protocol, unsigned long f2,
			       unsigned long f3, unsigned long *actions_out,
			       unsigned long *protocol_out,
			       unsigned long *f2_out, unsigned long *f3_out)
{
	(void)ctx, (void)actions, (void)f2, (void)f3;
	*actions_out = 0;
	*protocol_out = protocol & NULL_PROTOCOL;
	*f2_out = 0;
	*f3_out = 0;
	return SMFIS_CONTINUE;
}

static sfsistat null_header(SMFICTX *ctx, char *name, char *value)
{
	(void)ctx, (void)name, (void)value;
	return SMFIS_NOREPLY;
}

static sfsistat null_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	(void)ctx, (void)chunk, (void)len;
	return SMFIS_NOREPLY;
}

static sfsistat null_eom(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_ACCEPT;
}

int main(int argc, char **argv)
{
	struct smfiDesc desc = {
		.xxfi_name = "nullmilter",
		.xxfi_version = SMFI_VERSION,
		.xxfi_header = null_header,
		.xxfi_body = null_body,
		.xxfi_eom = null_eom,
		.xxfi_negotiate = null_negotiate,
	};

	if (argc != 2) {
		fputs("usage: nullmilter inet:PORT@127.0.0.1\n", stderr);
		return 2;
	}
	if (smfi_setconn(argv[1]) == MI_FAILURE ||
	    smfi_register(desc) == MI_FAILURE) {
		fputs("nullmilter: smfi_setconn or smfi_register failed\n",
		      stderr);
		return 1;
	}
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
