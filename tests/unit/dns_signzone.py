# SPDX-License-Identifier: BSD-2-Clause
"""Sign a test zone with a new ECDSA P-256 key for the DNSSEC lookup tests.

Usage: dns_signzone.py ORIGIN INFILE OUTFILE ANCHORFILE [TAMPERED-NAME]

Every RRset of the zone in INFILE gets an RRSIG from a key signing key
whose DNSKEY is added at the apex and written to ANCHORFILE as a trust
anchor line.  The zone has no NSEC records, so only positive answers
validate.  When TAMPERED-NAME is given, its TXT record is replaced after
signing, which makes the answer for that name bogus.

Needs dnspython 2.3 or later and python3-cryptography (Debian 12 packages).
"""
import sys
import time

import dns.dnssec
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.zone
from cryptography.hazmat.primitives.asymmetric import ec

ALGORITHM = dns.dnssec.Algorithm.ECDSAP256SHA256
KSK_FLAGS = 257  # zone key and secure entry point (RFC 4034 2.1.1)


def sign_zone(zone, key, dnskey):
    """Add an RRSIG for every RRset, valid from an hour ago for 30 days."""
    now = int(time.time())
    signatures = []
    for name, node in zone.nodes.items():
        for rdataset in node.rdatasets:
            if rdataset.rdtype == dns.rdatatype.RRSIG:
                continue
            rrset = (name, rdataset)
            rrsig = dns.dnssec.sign(rrset, key, zone.origin, dnskey,
                                    inception=now - 3600,
                                    expiration=now + 30 * 86400)
            signatures.append((name, rdataset.ttl, rrsig))
    for name, ttl, rrsig in signatures:
        rdataset = zone.find_rdataset(name, dns.rdatatype.RRSIG,
                                      rrsig.type_covered, create=True)
        rdataset.add(rrsig, ttl)


def tamper(zone, name):
    """Replace the TXT data of name, keeping its now wrong RRSIG."""
    rdataset = zone.find_rdataset(name, dns.rdatatype.TXT)
    ttl = rdataset.ttl
    rdataset.clear()
    rdataset.add(dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, dns.rdatatype.TXT,
                                         [b"v=DKIM1; p=tampered"]), ttl)


def main(argv):
    if len(argv) not in (5, 6):
        sys.exit("usage: dns_signzone.py ORIGIN INFILE OUTFILE ANCHORFILE "
                 "[TAMPERED-NAME]")
    origin = dns.name.from_text(argv[1])
    zone = dns.zone.from_file(argv[2], origin=origin, relativize=False)

    key = ec.generate_private_key(ec.SECP256R1())
    dnskey = dns.dnssec.make_dnskey(key.public_key(), ALGORITHM,
                                    flags=KSK_FLAGS)
    zone.find_rdataset(origin, dns.rdatatype.DNSKEY, create=True).add(
        dnskey, 3600)

    sign_zone(zone, key, dnskey)
    if len(argv) == 6:
        tamper(zone, dns.name.from_text(argv[5]))

    zone.to_file(argv[3], relativize=False)
    with open(argv[4], "w", encoding="ascii") as anchor:
        anchor.write(f"{origin.to_text()} 3600 IN DNSKEY {dnskey.to_text()}\n")


if __name__ == "__main__":
    main(sys.argv)
