#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Verify every DKIM-Signature of a message with dkimpy.

Usage: dkimpy_verify.py DNS_PORT MESSAGE_FILE

Keys are queried from the DNS server on 127.0.0.1:DNS_PORT only; CNAMEs
are followed by that server.  The message may end its lines in LF (as a
Postfix pipe delivers it); they are turned into CRLF first.  Prints one
line per signature, "pass d=... s=... a=..." or "fail d=... s=... a=...:
reason", and exits 0 when there is at least one signature and all pass,
1 otherwise.
"""

import re
import sys

import dkim
import dns.exception
import dns.resolver


def make_txt_lookup(port):
    """Return a dkimpy dnsfunc that queries only the loopback server."""
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port

    def lookup(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode("ascii")
        try:
            answer = resolver.resolve(name, "TXT", lifetime=timeout,
                                      raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            return None
        except dns.exception.DNSException as err:
            raise dkim.DnsTimeoutError("TXT %s: %s" % (name, err))
        for rrset in answer.response.answer:
            if rrset.rdtype == dns.rdatatype.TXT:
                return b"".join(list(rrset.items)[0].strings)
        return None

    return lookup


def signature_tags(header_value):
    """Return d=, s= and a= of one DKIM-Signature value, for the report."""
    tags = {}
    for part in re.sub(rb"\s+", b"", header_value).split(b";"):
        name, _, value = part.partition(b"=")
        tags[name.decode("ascii", "replace")] = value.decode("ascii", "replace")
    return "d=%s s=%s a=%s" % (tags.get("d"), tags.get("s"), tags.get("a"))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: dkimpy_verify.py DNS_PORT MESSAGE_FILE")
    port = int(sys.argv[1])
    with open(sys.argv[2], "rb") as f:
        message = re.sub(rb"\r?\n", b"\r\n", f.read())

    lookup = make_txt_lookup(port)
    headers = dkim.rfc822_parse(message)[0]
    signatures = [v for k, v in headers if k.lower() == b"dkim-signature"]
    if not signatures:
        print("none: no DKIM-Signature header")
        return 1

    failures = 0
    for idx, value in enumerate(signatures):
        verifier = dkim.DKIM(message)
        try:
            passed = verifier.verify(idx=idx, dnsfunc=lookup)
            reason = "signature did not verify"
        except dkim.DKIMException as err:
            passed, reason = False, str(err)
        if passed:
            print("pass " + signature_tags(value))
        else:
            failures += 1
            print("fail %s: %s" % (signature_tags(value), reason))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
