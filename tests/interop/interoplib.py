# SPDX-License-Identifier: BSD-2-Clause
"""Shared pieces of the interoperability tests: TAP output, keys made with
signet keygen, the test messages, and wrappers around dkimpy and OpenDKIM.

Nothing here touches the network.  dkimpy gets its keys from a dict
through dnsfunc.  OpenDKIM runs in its test mode ("opendkim -x CONF -t
FILE"), which signs or verifies one file and exits.  Its key records come
from TestDNSData.  Nameservers points at 127.0.0.1, so a record missing
from that data can at most cause a query to loopback.  An strace of one
verification with OpenDKIM 2.11 showed no network socket at all.
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile

import dkim

CANONS = ["simple/simple", "simple/relaxed", "relaxed/simple",
          "relaxed/relaxed"]

# Test messages with LF line ends; to_crlf() gives the wire form.  Each one
# exercises a part of canonicalization or of the message reader.
_LONG_TO = ",\n\t".join("user%d@example.net" % i for i in range(40))
MESSAGES = {
    "plain": b"From: Alice <alice@example.com>\nTo: bob@example.net\n"
             b"Subject: plain\nDate: Fri, 04 Dec 2026 12:00:00 +0000\n"
             b"Message-ID: <plain@example.com>\n\nHello Bob.\n",
    "folded": b"From: alice@example.com\nTo: " + _LONG_TO.encode() +
              b"\nSubject: a subject that is long enough to be folded\n"
              b"   over  several\n\tlines   with  odd   spacing  \n\n"
              b"Body.\n",
    "empty-body": b"From: alice@example.com\nSubject: empty body\n\n",
    "no-final-newline": b"From: alice@example.com\nSubject: no final "
                        b"newline\n\nfirst line\nlast line without newline",
    "8bit": "From: Zoë <zoe@example.com>\nSubject: Grüße aus Köln\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\nÄÖÜ ß € 日本語\n"
            .encode("utf-8") + b"latin-1 \xe9\xe8\n",
    "many-headers": b"".join(b"Received: from hop%d.example.net by "
                             b"hop%d.example.net; Fri, 4 Dec 2026\n"
                             % (i, i + 1) for i in range(150)) +
                    b"From: alice@example.com\nTo: a@example.net\n"
                    b"To: b@example.net\nCc: c@example.net\n" +
                    b"".join(b"X-Trace-%d: %s\n" % (i, b"v" * (i % 50))
                             for i in range(200)) +
                    b"Subject: many headers\n\nbody\n",
    "whitespace": b"From: alice@example.com \nSubject:\tspaces \t \n"
                  b"X-Empty:\n\n  leading space\ntrailing space  \n"
                  b"tabs\t\tinside\t\n\n\n\n",
}


def to_crlf(data):
    """Turn every bare LF into CRLF."""
    return re.sub(rb"(?<!\r)\n", b"\r\n", data)


class Tap:
    """TAP lines for tests/run-tests."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, passed, name, detail=""):
        self.count += 1
        print("%sok %d - %s" % ("" if passed else "not ", self.count, name))
        if not passed:
            self.failed += 1
            for line in str(detail).splitlines()[:6]:
                print("#   %s" % line)

    def skip(self, name, reason):
        self.count += 1
        print("ok %d - %s # SKIP %s" % (self.count, name, reason))

    def note(self, text):
        """A comment line: reported, but not a test."""
        print("# %s" % text)

    def exit_code(self):
        return 1 if self.failed else 0


class Env:
    """A work directory, the signet binary and the published records."""

    def __init__(self):
        builddir = os.environ.get("SIGNET_BUILDDIR", ".")
        self.signet = os.path.join(builddir, "src", "cli", "signet")
        self.work = tempfile.mkdtemp(prefix="signet-interop.")
        self.records = {}  # owner name -> joined TXT record
        self.opendkim = shutil.which("opendkim") or (
            "/usr/sbin/opendkim" if os.access("/usr/sbin/opendkim", os.X_OK)
            else None)

    def cleanup(self):
        self.stop_unbound()
        shutil.rmtree(self.work, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.work, name)

    def keygen(self, selector, key_type):
        """Make a key with signet keygen; return the PEM path."""
        out = self.path("keys")
        os.makedirs(out, exist_ok=True)
        subprocess.run([self.signet, "keygen", "--domain", "example.com",
                        "--selector", selector, "--type", key_type,
                        "--out", out], check=True, capture_output=True)
        with open(os.path.join(out, "%s.example.com.txt" % selector)) as f:
            zone = f.read()
        owner = zone.split()[0].rstrip(".")
        self.records[owner] = "".join(re.findall(r'"([^"]*)"', zone))
        return os.path.join(out, "%s.example.com.pem" % selector)

    def ed25519_seed(self, pem, name):
        """Write the raw base64 seed (dkimpy's dknewkey format) of an
        Ed25519 PEM key and return (path, seed bytes)."""
        der = subprocess.run(["openssl", "pkey", "-in", pem, "-outform",
                              "DER"], check=True, capture_output=True).stdout
        seed = __import__("base64").b64encode(der[-32:])
        path = self.path(name)
        with open(path, "wb") as f:
            f.write(seed + b"\n")
        os.chmod(path, 0o600)
        return path, seed

    def zone_lines(self, selector):
        """The zone-file line signet keygen wrote for selector."""
        with open(os.path.join(self.path("keys"),
                               "%s.example.com.txt" % selector)) as f:
            return f.read()

    def start_unbound(self, zones):
        """Start tests/lib/unbound.sh on a free loopback port serving
        {zone: file}; return "127.0.0.1@PORT", or None and the reason."""
        script = os.path.join(os.environ.get("SIGNET_SRCDIR", "."),
                              "tests", "lib", "unbound.sh")
        if shutil.which("unbound") is None and not os.access(
                "/usr/sbin/unbound", os.X_OK):
            return None, "unbound is not installed"
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.unbound_dir = self.path("unbound")
        os.makedirs(self.unbound_dir, exist_ok=True)
        args = ["%s:%s" % (zone, path) for zone, path in zones.items()]
        proc = subprocess.run(["sh", script, "start", self.unbound_dir,
                               str(port), *args], capture_output=True,
                              timeout=60)
        if proc.returncode != 0:
            return None, (proc.stdout + proc.stderr).decode("utf-8",
                                                            "replace")
        return "127.0.0.1@%d" % port, ""

    def stop_unbound(self):
        if getattr(self, "unbound_dir", None) is None:
            return
        script = os.path.join(os.environ.get("SIGNET_SRCDIR", "."),
                              "tests", "lib", "unbound.sh")
        subprocess.run(["sh", script, "stop", self.unbound_dir],
                       capture_output=True, timeout=60)
        self.unbound_dir = None

    def write_test_keys(self):
        """Write the records as a signet test-keys file and as OpenDKIM
        TestDNSData; return both paths."""
        keys, dnsdata = self.path("keys.txt"), self.path("dnsdata")
        with open(keys, "w") as k, open(dnsdata, "w") as d:
            for owner, record in sorted(self.records.items()):
                k.write("%s\t%s\n" % (owner, record))
                d.write("%s %s\n" % (owner, record))
        return keys, dnsdata

    # --- signet -------------------------------------------------------------

    def signet_sign(self, message, selector, key, canon, extra=()):
        """Run signet sign; message is bytes or an open file for stdin."""
        stdin = {"input": message} if isinstance(message, bytes) else {
            "stdin": message}
        return subprocess.run([self.signet, "sign", "--domain",
                               "example.com", "--selector", selector,
                               "--key", key, "--canonicalization", canon,
                               *extra], capture_output=True, timeout=60,
                              **stdin)

    def signet_verify(self, message, keys):
        return subprocess.run([self.signet, "verify", "-v", "--test-keys",
                               keys, "--authserv-id", "interop.test"],
                              input=message, capture_output=True, timeout=60)

    # --- dkimpy -------------------------------------------------------------

    def dkimpy_verify(self, message):
        """Verify the first signature; return (passed, detail)."""
        def dnsfunc(name, timeout=5):
            return self.records.get(name.decode().rstrip("."), "").encode()

        verifier = dkim.DKIM(message)
        try:
            passed = verifier.verify(dnsfunc=dnsfunc)
        except dkim.DKIMException as e:
            return False, "dkimpy: %s" % e
        return passed, "dkimpy returned %s" % passed

    def dkimpy_sign(self, message, selector, key, alg, canon,
                    headers=(b"from", b"to", b"subject", b"date",
                             b"message-id")):
        """Sign with dkimpy: key is PEM bytes for RSA and the base64 seed
        for Ed25519; headers None means dkimpy's default list."""
        header, body = canon.split("/")
        field = dkim.sign(message, selector.encode(), b"example.com", key,
                          canonicalize=(header.encode(), body.encode()),
                          signature_algorithm=alg.encode(),
                          include_headers=(list(headers) if headers
                                           else None))
        return field + message

    # --- OpenDKIM -----------------------------------------------------------

    def _opendkim_conf(self, name, lines):
        if not any(line.startswith("Nameservers ") for line in lines):
            lines = lines + ["Nameservers 127.0.0.1"]
        conf = self.path(name)
        with open(conf, "w") as f:
            f.write("Syslog no\nRequireSafeKeys false\n" + "".join(
                line + "\n" for line in lines))
        return conf

    def _opendkim_run(self, conf, message, name):
        msg_path = self.path(name)
        with open(msg_path, "wb") as f:
            f.write(message)
        return subprocess.run([self.opendkim, "-x", conf, "-v", "-t",
                               msg_path], capture_output=True, timeout=60)

    def opendkim_verify(self, message, dnsdata, nameserver=None):
        """Verify in OpenDKIM's test mode; return (passed, detail).  With
        nameserver ("127.0.0.1@PORT"), keys come from that DNS server
        through OpenDKIM's libunbound resolver instead of dnsdata."""
        if nameserver is None:
            lines = ["Mode v", "TestDNSData file:%s" % dnsdata]
        else:
            lines = ["Mode v", "Nameservers %s" % nameserver]
        conf = self._opendkim_conf("verify.conf", lines)
        proc = self._opendkim_run(conf, message, "opendkim-in.eml")
        text = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        passed = re.search(r"verification \([^)]*\) succeeded", text)
        return passed is not None, text.strip()

    def opendkim_sign(self, message, selector, key, alg, canon, extra=()):
        """Sign in OpenDKIM's test mode; return (signed message or None,
        detail).  extra holds more opendkim.conf lines."""
        conf = self._opendkim_conf("sign.conf", [
            "Mode s", "Domain example.com", "Selector %s" % selector,
            "KeyFile %s" % key, "Canonicalization %s" % canon,
            "SignatureAlgorithm %s" % alg, *extra])
        proc = self._opendkim_run(conf, message, "opendkim-in.eml")
        lines = proc.stdout.split(b"\n")
        start = next((i for i, line in enumerate(lines)
                      if line.startswith(b"DKIM-Signature:")), None)
        if start is None:
            return None, (proc.stdout + proc.stderr).decode("utf-8",
                                                            "replace")
        field = [lines[start].rstrip(b"\r")]
        for line in lines[start + 1:]:
            if not line.startswith((b"\t", b" ")):
                break
            field.append(line.rstrip(b"\r"))
        return b"\r\n".join(field) + b"\r\n" + message, ""
