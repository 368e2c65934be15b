# SPDX-License-Identifier: BSD-2-Clause
"""Run signet over the public DKIM corpus and compare with expect.json.

The corpus lives outside the repository, in ../shared/testdata/dkim-corpus
next to the source tree, because its cases come from other projects' test
suites.  Each case folder contains message.eml, keys.txt (test-keys format)
and expect.json; sign-* cases also contain sign.json and private.pem.

Verify cases: "signet verify -v --test-keys keys.txt" must give one result
per DKIM-Signature field, top to bottom, each equal to the expected result
or to one listed in also_acceptable, with the expected d=, s= and a=.  The
overall result (pass > temperror > fail > policy > permerror > neutral,
"none" without signatures) and the exit status must agree too.  Sign cases:
sign message.eml with sign.json's parameters, check bh= against
expected_bh, then verify the output.  One TAP line per case.

Time-dependent cases (x=, t=) use the real clock, as expect.json assumes.
"""

import json
import os
import re
import subprocess
import sys

RANK = ["pass", "temperror", "fail", "policy", "permerror", "neutral"]
DETAIL = re.compile(r"signature (\d+): result=(\w+)(.*)$")
VALUE = re.compile(r' (\w+)="((?:[^"\\]|\\.)*)"')


def overall(results):
    """The best result in RANK order, or "none" without signatures."""
    if not results:
        return "none"
    return min(results, key=lambda r: RANK.index(r) if r in RANK else 99)


def expected_exit(results):
    if not results:
        return 2
    if "pass" in results:
        return 0
    if "temperror" in results:
        return 75
    return 1


def parse_details(stderr):
    """Per-signature results from verify -v lines, in order."""
    sigs = []
    for line in stderr.splitlines():
        m = DETAIL.search(line)
        if not m:
            continue
        values = {k: v.replace('\\"', '"').replace("\\\\", "\\")
                  for k, v in VALUE.findall(m.group(3))}
        values["result"] = m.group(2)
        sigs.append(values)
    return sigs


def run_verify(signet, case_dir, message):
    cmd = [signet, "verify", "-v", "--authserv-id", "corpus.test",
           "--test-keys", os.path.join(case_dir, "keys.txt")]
    return subprocess.run(cmd, input=message, capture_output=True,
                          timeout=120)


def compare(case, expect, proc):
    """Return (problems, notes) for one verify run."""
    problems, notes = [], []
    stderr = proc.stderr.decode("utf-8", "replace")
    sigs = parse_details(stderr)
    want = expect.get("per_signature", [])
    if len(sigs) != len(want):
        problems.append("expected %d signature results, got %d (%s)"
                        % (len(want), len(sigs), stderr.strip()[:300]))
        return problems, notes

    used_alternative = False
    for i, (got, exp) in enumerate(zip(sigs, want), 1):
        if got["result"] != exp["result"]:
            if got["result"] in exp.get("also_acceptable", []):
                used_alternative = True
                notes.append("signature %d: %s instead of %s, listed in "
                             "also_acceptable" % (i, got["result"],
                                                  exp["result"]))
            else:
                problems.append("signature %d: expected %s, got %s (%s)"
                                % (i, exp["result"], got["result"],
                                   got.get("reason", "")))
        for tag in ("d", "s", "a"):
            if tag in exp and got.get(tag, "").lower() != exp[tag].lower():
                problems.append("signature %d: expected %s=%s, got %s"
                                % (i, tag, exp[tag], got.get(tag)))

    results = [s["result"] for s in sigs]
    ours = overall(results)
    if ours != expect["result"] and not used_alternative:
        problems.append("overall: expected %s, got %s"
                        % (expect["result"], ours))
    if proc.returncode != expected_exit(results):
        problems.append("exit status %d for results %s"
                        % (proc.returncode, results))
    return problems, notes


def sign_case(signet, case_dir, expect):
    """Sign with sign.json, check bh=, and return the signed message."""
    with open(os.path.join(case_dir, "sign.json")) as f:
        params = json.load(f)
    cmd = [signet, "sign", "--domain", params["domain"],
           "--selector", params["selector"],
           "--key", os.path.join(case_dir, "private.pem"),
           "--canonicalization", params["canonicalization"],
           "--exact-headers", ":".join(params["headers"]),
           "--timestamp", str(params["timestamp"])]
    with open(os.path.join(case_dir, "message.eml"), "rb") as f:
        proc = subprocess.run(cmd, stdin=f, capture_output=True, timeout=60)
    if proc.returncode != 0:
        return None, ["sign exited %d: %s" % (
            proc.returncode, proc.stderr.decode("utf-8", "replace")[:300])]

    # The new field is the first line and its continuation lines.
    lines = proc.stdout.split(b"\n")
    field = [lines[0]]
    for line in lines[1:]:
        if not line.startswith((b" ", b"\t")):
            break
        field.append(line)
    unfolded = b" ".join(field).decode("ascii", "replace")
    problems = []
    bh = re.search(r"\bbh=([^;]*)", unfolded)
    got_bh = re.sub(r"\s", "", bh.group(1)) if bh else None
    if got_bh != expect["expected_bh"]:
        problems.append("bh=%s, expected %s" % (got_bh, expect["expected_bh"]))
    alg = re.search(r"\ba=([^;]*)", unfolded)
    if alg is None or alg.group(1).strip() != params["algorithm"]:
        problems.append("a=%s, expected %s"
                        % (alg.group(1) if alg else None, params["algorithm"]))
    return proc.stdout, problems


def run_case(signet, case_dir):
    case = os.path.basename(case_dir)
    with open(os.path.join(case_dir, "expect.json")) as f:
        expect = json.load(f)

    problems = []
    if os.path.exists(os.path.join(case_dir, "sign.json")):
        message, problems = sign_case(signet, case_dir, expect)
        if message is None:
            return problems, []
    else:
        with open(os.path.join(case_dir, "message.eml"), "rb") as f:
            message = f.read()

    proc = run_verify(signet, case_dir, message)
    more, notes = compare(case, expect, proc)
    return problems + more, notes


def main():
    srcdir = os.environ.get("SIGNET_SRCDIR", ".")
    builddir = os.environ.get("SIGNET_BUILDDIR", ".")
    corpus = os.path.join(srcdir, "..", "shared", "testdata", "dkim-corpus")
    signet = os.path.join(builddir, "src", "cli", "signet")

    if not os.path.isdir(corpus):
        print("ok 1 - corpus # SKIP no ../shared corpus")
        return 0

    cases = sorted(d for d in os.listdir(corpus)
                   if os.path.isfile(os.path.join(corpus, d, "expect.json")))
    failed = 0
    for n, case in enumerate(cases, 1):
        try:
            problems, notes = run_case(signet, os.path.join(corpus, case))
        except (OSError, ValueError, subprocess.TimeoutExpired) as e:
            problems, notes = ["%s: %s" % (type(e).__name__, e)], []
        if problems:
            failed += 1
            print("not ok %d - corpus %s" % (n, case))
        else:
            print("ok %d - corpus %s" % (n, case))
        for line in problems + notes:
            print("#   %s" % line)
    print("# %d of %d cases agree" % (len(cases) - failed, len(cases)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
