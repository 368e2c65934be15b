# SPDX-License-Identifier: BSD-2-Clause
"""Messages dkimpy and OpenDKIM sign must verify with signet verify.

Keys: RSA 2048 and Ed25519 from signet keygen.  dkimpy signs with the
PEM (RSA) or the raw base64 seed (Ed25519), OpenDKIM with the PEM in its
test mode.  Every test message, in CRLF form, is signed by each in all four
canonicalizations, and "signet verify --test-keys" must report a pass.
Two more cases: a message carrying both a dkimpy Ed25519 and a dkimpy RSA
signature, and an OpenDKIM signature with From and Subject oversigned.

Two OpenDKIM 2.11 limitations are reported, not counted as failures:
it refuses to sign a relaxed body without a final CRLF ("no signature
added"), and its Ed25519 signatures with simple header canonicalization
verify neither in dkimpy nor in OpenDKIM itself.  When signet rejects a
signature, the check passes only if dkimpy rejects it too.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interoplib  # noqa: E402
from interoplib import CANONS, MESSAGES, to_crlf  # noqa: E402

KEYS = [("rsa", "rsa-sha256", "rsa2048", "rsa"),
        ("ed25519", "ed25519-sha256", "ed", "ed25519")]


def signet_check(env, tap, name, signed, keys):
    proc = env.signet_verify(signed, keys)
    out = proc.stdout.decode("utf-8", "replace")
    passed = proc.returncode == 0 and "dkim=pass" in out
    if passed:
        tap.check(True, name)
        return
    dkimpy_passed, _ = env.dkimpy_verify(signed)
    detail = out + proc.stderr.decode("utf-8", "replace")
    # A signature dkimpy rejects too was made wrongly by its signer, and
    # rejecting it is the right verdict.
    tap.check(not dkimpy_passed, name + (
        "" if dkimpy_passed else ": rejected by signet and dkimpy alike"),
        detail)


def extra_cases(env, tap, keys, test_keys):
    """dkimpy's Ed25519 and RSA signatures on one message, both of which
    must pass, and an OpenDKIM signature with oversigned From and Subject."""
    (_, _, rsa_sel, rsa_pem, rsa_key), (_, _, ed_sel, _, ed_key) = keys
    wire = to_crlf(MESSAGES["plain"])
    signed = env.dkimpy_sign(wire, ed_sel, ed_key, "ed25519-sha256",
                             "relaxed/relaxed")
    signed = env.dkimpy_sign(signed, rsa_sel, rsa_key, "rsa-sha256",
                             "relaxed/simple")
    proc = env.signet_verify(signed, test_keys)
    out = proc.stdout.decode("utf-8", "replace")
    tap.check(proc.returncode == 0 and out.count("dkim=pass") == 2,
              "dkimpy ed25519 and rsa together", out)

    name = "opendkim rsa oversign"
    if env.opendkim is None:
        tap.skip(name, "opendkim is not installed")
        return
    signed, detail = env.opendkim_sign(wire, rsa_sel, rsa_pem, "rsa-sha256",
                                       "relaxed/relaxed",
                                       ["OversignHeaders From,Subject"])
    if signed is None:
        tap.check(False, name + " signs", detail)
        return
    field = signed.split(b"\r\n", 1)[0] + b" " + b" ".join(
        re.findall(rb"\r\n([ \t][^\r]*)", signed.split(b"\r\n\r\n")[0]))
    h_tag = re.search(rb"\bh=([^;]*)", field)
    names = re.split(rb"\s*:\s*", h_tag.group(1).strip().lower()) \
        if h_tag else []
    tap.check(names.count(b"from") == 2, name + " h= lists From twice",
              field.decode("utf-8", "replace"))
    signet_check(env, tap, name, signed, test_keys)


def main():
    tap = interoplib.Tap()
    env = interoplib.Env()
    try:
        keys = []
        for alg, alg_name, selector, key_type in KEYS:
            pem = env.keygen(selector, key_type)
            if key_type == "ed25519":
                _, dkimpy_key = env.ed25519_seed(pem, selector + ".seed")
            else:
                with open(pem, "rb") as f:
                    dkimpy_key = f.read()
            keys.append((alg, alg_name, selector, pem, dkimpy_key))
        test_keys, _ = env.write_test_keys()

        for alg, alg_name, selector, pem, dkimpy_key in keys:
            for canon in CANONS:
                for msg_name, message in MESSAGES.items():
                    wire = to_crlf(message)
                    name = "dkimpy %s %s %s" % (alg, canon, msg_name)
                    signed = env.dkimpy_sign(wire, selector, dkimpy_key,
                                             alg_name, canon)
                    signet_check(env, tap, name, signed, test_keys)

                    name = "opendkim %s %s %s" % (alg, canon, msg_name)
                    if env.opendkim is None:
                        tap.skip(name, "opendkim is not installed")
                        continue
                    signed, detail = env.opendkim_sign(wire, selector, pem,
                                                       alg_name, canon)
                    refused = re.search(r"no signature added: (.*)", detail)
                    if signed is None and refused:
                        tap.note("%s: OpenDKIM 2.11 does not sign it: %s"
                                 % (name, refused.group(1).strip()))
                        continue
                    if signed is None:
                        tap.check(False, name + " signs", detail)
                        continue
                    signet_check(env, tap, name, signed, test_keys)

        extra_cases(env, tap, keys, test_keys)
    finally:
        env.cleanup()
    return tap.exit_code()


if __name__ == "__main__":
    sys.exit(main())
