# SPDX-License-Identifier: BSD-2-Clause
"""Messages signet signs must verify with dkimpy and with OpenDKIM.

Keys: RSA 2048 and Ed25519 from signet keygen.  Every test message is
signed in all four canonicalizations, from LF input (as in a local file)
and from CRLF input.  Each verifier gets the CRLF wire form.
Extra cases: oversigning several fields, and signing with the raw base64
Ed25519 seed that dkimpy's dknewkey writes.  Line ends split across the
64 KiB blocks in which signet reads a file are checked too.  Last,
OpenDKIM fetches the keys over DNS from a loopback unbound that serves
signet keygen's zone lines.

When OpenDKIM rejects a signet signature, the same message is signed by
dkimpy with the same key and canonicalization.  If OpenDKIM rejects that
signature too, the combination is one OpenDKIM cannot verify and the check
passes as a limitation of OpenDKIM, named in the test line; otherwise it
fails.  OpenDKIM
2.11's test mode does this for a simple-canonicalized header field whose
value does not start with one space ("Subject:x", "X-Empty:"), and for a
relaxed body without a final CRLF ("message not signed").
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interoplib  # noqa: E402
from interoplib import CANONS, MESSAGES, to_crlf  # noqa: E402

ALGS = {"rsa": "rsa-sha256", "ed25519": "ed25519-sha256"}


class Signer:
    """One signet key, and the same key in the form dkimpy takes."""

    def __init__(self, env, alg, selector, key_type):
        self.alg = alg
        self.selector = selector
        self.pem = env.keygen(selector, key_type)
        if key_type == "ed25519":
            self.seed_path, self.dkimpy_key = env.ed25519_seed(
                self.pem, selector + ".seed")
        else:
            with open(self.pem, "rb") as f:
                self.dkimpy_key = f.read()


def opendkim_check(env, tap, name, wire, dnsdata, signer, canon, original):
    if env.opendkim is None:
        tap.skip("%s: opendkim" % name, "opendkim is not installed")
        return
    passed, detail = env.opendkim_verify(wire, dnsdata)
    if passed:
        tap.check(True, "%s: opendkim" % name)
        return

    reference = env.dkimpy_sign(to_crlf(original), signer.selector,
                                signer.dkimpy_key, ALGS[signer.alg], canon,
                                headers=None)
    ref_passed, _ = env.opendkim_verify(reference, dnsdata)
    if ref_passed:
        tap.check(False, "%s: opendkim" % name, detail)
    else:
        # A limitation of OpenDKIM, not of the signature: it treats signet
        # exactly as it treats dkimpy, and dkimpy has verified ours above.
        tap.check(True, "%s: opendkim rejects dkimpy's signature alike (%s)"
                  % (name, detail.splitlines()[0].split(": ", 2)[-1]))


def sign_and_verify(env, tap, name, message, signer, canon, dnsdata,
                    extra=(), key=None):
    proc = env.signet_sign(message, signer.selector, key or signer.pem,
                           canon, extra)
    if proc.returncode != 0:
        tap.check(False, "%s: sign" % name,
                  proc.stderr.decode("utf-8", "replace"))
        return
    wire = to_crlf(proc.stdout)
    passed, detail = env.dkimpy_verify(wire)
    tap.check(passed, "%s: dkimpy" % name, detail)
    opendkim_check(env, tap, name, wire, dnsdata, signer, canon, message)


def chunk_boundary_messages():
    """Messages read from a regular file, where signet reads 64 KiB blocks:
    one with a CRLF split across the first block boundary, one with an LF
    right after it.  A reader that handles the split wrongly adds or drops
    a CR, which dkimpy then reports as a body hash mismatch."""
    block = 64 * 1024
    messages = {}
    for style, eol in (("crlf", b"\r\n"), ("lf", b"\n")):
        data = b"From: alice@example.com" + eol + b"Subject: blocks" + eol
        data += eol
        line = b"a" * 76 + eol
        data += line * ((block - len(data)) // len(line) - 1)
        # The CR of CRLF ends the first block; a lone LF starts the second.
        end = block - 1 if style == "crlf" else block
        data += b"b" * (end - len(data)) + eol + line * 10
        messages["block-split-" + style] = data
    return messages


def sign_file_and_verify(env, tap, name, message, signer, dnsdata):
    path = env.path("block-input.eml")
    with open(path, "wb") as f:
        f.write(message)
    with open(path, "rb") as f:
        proc = env.signet_sign(f, signer.selector, signer.pem,
                               "simple/simple")
    if proc.returncode != 0:
        tap.check(False, "%s: sign" % name,
                  proc.stderr.decode("utf-8", "replace"))
        return
    tap.check(proc.stdout.endswith(message), "%s: output intact" % name)
    passed, detail = env.dkimpy_verify(to_crlf(proc.stdout))
    tap.check(passed, "%s: dkimpy" % name, detail)


ZONE_HEAD = """$TTL 300
@ IN SOA ns.{0}. admin.{0}. 1 3600 600 86400 300
@ IN NS ns.{0}.
ns IN A 127.0.0.1
"""


def dns_cases(env, tap, signers):
    """OpenDKIM fetches the keys over DNS, through its own libunbound
    resolver, from a loopback unbound whose zone file contains the lines
    signet keygen printed, unchanged.  The RSA record is split into two
    strings, and one selector is a CNAME into another zone."""
    names = ["opendkim DNS %s" % s.alg for s in signers]
    names.append("opendkim DNS CNAME selector")
    if env.opendkim is None:
        for name in names:
            tap.skip(name, "opendkim is not installed")
        return

    rsa = signers[0]
    zone = env.path("example.com.zone")
    with open(zone, "w") as f:
        f.write(ZONE_HEAD.format("example.com"))
        for signer in signers:
            f.write(env.zone_lines(signer.selector))
        f.write("delegated._domainkey IN CNAME %s.dkim.provider.example.\n"
                % rsa.selector)
    provider = env.path("provider.example.zone")
    with open(provider, "w") as f:
        f.write(ZONE_HEAD.format("provider.example"))
        f.write(env.zone_lines(rsa.selector).replace(
            "._domainkey.example.com.", ".dkim.provider.example."))

    server, reason = env.start_unbound({"example.com": zone,
                                        "provider.example": provider})
    if server is None:
        for name in names:
            tap.check(False, name, "unbound did not start: %s" % reason)
        return
    cases = [(s, s.selector) for s in signers] + [(rsa, "delegated")]
    for name, (signer, selector) in zip(names, cases):
        proc = env.signet_sign(to_crlf(MESSAGES["plain"]), selector,
                               signer.pem, "relaxed/relaxed")
        passed, detail = env.opendkim_verify(proc.stdout, None, server)
        tap.check(proc.returncode == 0 and passed, name, detail)
    env.stop_unbound()


def main():
    tap = interoplib.Tap()
    env = interoplib.Env()
    try:
        signers = [Signer(env, "rsa", "rsa2048", "rsa"),
                   Signer(env, "ed25519", "ed", "ed25519")]
        _, dnsdata = env.write_test_keys()

        for signer in signers:
            for canon in CANONS:
                for msg_name, message in MESSAGES.items():
                    for style, data in (("lf", message),
                                        ("crlf", to_crlf(message))):
                        name = "signet %s %s %s %s" % (
                            signer.alg, canon, msg_name, style)
                        sign_and_verify(env, tap, name, data, signer, canon,
                                        dnsdata)

            sign_and_verify(env, tap, "signet %s oversign" % signer.alg,
                            MESSAGES["many-headers"], signer,
                            "relaxed/relaxed", dnsdata,
                            ("--oversign", "From,To,Cc,Subject,Date"))

        for msg_name, message in chunk_boundary_messages().items():
            sign_file_and_verify(env, tap, "signet rsa %s" % msg_name,
                                 message, signers[0], dnsdata)

        dns_cases(env, tap, signers)

        ed = signers[1]
        sign_and_verify(env, tap, "signet ed25519 dknewkey seed",
                        MESSAGES["plain"], ed, "relaxed/simple", dnsdata,
                        key=ed.seed_path)
    finally:
        env.cleanup()
    return tap.exit_code()


if __name__ == "__main__":
    sys.exit(main())
