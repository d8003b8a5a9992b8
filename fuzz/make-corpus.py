#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the seed corpus in fuzz/corpus/ (run from the source tree).

The seeds are committed; this script says what each one is and rewrites
them when the message format changes.  It removes nothing: inputs added
by hand (crashes the fuzzers found, say) stay where they are.
"""

import os
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
AF_INET, AF_INET6 = socket.AF_INET, socket.AF_INET6
MAGIC, VERSION = 0x41424E44, 1
TEXT_MAX = 192
# enum ab_outcome
GRANTED, BIND_FAILED, DENIED, NOT_PRIVILEGED, BAD_SOCKET, BAD_REQUEST = range(1, 7)


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("latin-1")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- fuzz_rule: rule files (byuid, bygid), one line form each, valid and broken ----

RULES = {
    # valid
    "old-host": "127.0.0.1:80,80",
    "old-prefix-space": "127.0.0.0/8: 80,1023",
    "v4-host": "192.0.2.1,8080",
    "v4-prefix-range": "192.0.2.0/24,80-90",
    "v4-addr-range": "192.0.2.10-192.0.2.20,443",
    "v4-any-all": "0.0.0.0/0,1-65535",
    "v4-any": "0.0.0.0,80",
    "v6-host": "::1,80",
    "v6-any": "::,80",
    "v6-prefix": "2001:db8::/32,1-1023",
    "v6-addr-range": "2001:db8::1-2001:db8::ff,80-81",
    "v6-all": "::/0,1-65535",
    "v6-mapped": "::ffff:127.0.0.1,80",
    "v6-full8": "0:0:0:0:0:0:0:1,80",
    "v6-linklocal": "fe80::1,80",
    "v6-mapped-prefix": "::ffff:10.0.0.0/104,80",
    "v6-mapped-range": "::ffff:10.0.0.1-::ffff:10.0.0.9,80",
    "v6-range-across-mapped": "::ffff:1.2.3.4-::1:0:0:0,80",
    "tcp-v4": "tcp 127.0.0.1,80",
    "udp-v6": "udp ::1,53",
    "udp-old": "udp 127.0.0.0/8: 53,53",
    "star": "*,80",
    "tcp-star-range": "tcp *,1-1023",
    "comments": "# comment\n\n   \n\t# indented comment\n127.0.0.1,80\n",
    "no-final-newline": "::1,80\n127.0.0.1:443,443",
    # broken
    "bad-trailing-space": "127.0.0.1:80,80 ",
    "bad-cr": "127.0.0.1:80,80\r\n",
    "bad-nul": "127.0.0.1,80\0",
    "bad-port-zero": "127.0.0.1,0",
    "bad-port-high": "127.0.0.1,65536",
    "bad-plus": "127.0.0.1,+80",
    "bad-hex": "127.0.0.1,0x50",
    "bad-port-order": "127.0.0.1,90-80",
    "bad-port-dash": "127.0.0.1,80-",
    "bad-prefix-long": "127.0.0.1/33,80",
    "bad-host-bits": "127.0.0.1/8,80",
    "bad-addr-order": "10.0.0.2-10.0.0.1,80",
    "bad-mixed-family": "10.0.0.1-::1,80",
    "bad-v6-prefix": "::1/129,80",
    "bad-scope": "fe80::1%eth0,80",
    "bad-space-after-comma": "127.0.0.1:80, 81",
    "bad-two-spaces": "127.0.0.1:  80,81",
    "bad-space-before-comma": "127.0.0.1 ,80",
    "bad-leading-space": " 127.0.0.1,80",
    "bad-tab": "127.0.0.1:\t80,81",
    "bad-leading-zero": "127.0.0.01,80",
    "bad-short-v4": "127.1,80",
    "bad-eleven-digits": "127.0.0.1,00000000080",
    # 2^32 + 80 and 2^32 + 8: accepted as port 80 and /8 where unsigned
    # long had 32 bits, until parse_number refused numbers past their max.
    "bad-wraps-32bit": "127.0.0.1,4294967376",
    "bad-prefix-wraps-32bit": "10.0.0.0/4294967304,80",
    "bad-old-no-max": "127.0.0.1:80",
    "bad-old-range": "127.0.0.1:80-90,100",
    "bad-old-addr-range": "10.0.0.1-10.0.0.2:80,81",
    "bad-prefix-and-range": "10.0.0.0/8-10.0.0.1,80",
    "bad-no-addr": ",80",
    "bad-proto-upper": "TCP 127.0.0.1,80",
    "bad-proto-two-spaces": "tcp  127.0.0.1,80",
    "bad-proto-tab": "tcp\t127.0.0.1,80",
    "bad-proto-sctp": "sctp 127.0.0.1,80",
    "bad-proto-only": "tcp ,80",
    "bad-proto-twice": "tcp udp 127.0.0.1,80",
    "bad-star-prefix": "*/0,80",
    "bad-star-twice": "**,80",
    "bad-star-space": "* ,80",
    "bad-star-range": "*-::1,80",
    "bad-star-old": "*:80,81",
    "bad-no-port": "127.0.0.1,",
    "bad-two-commas": "::1,80,81",
    "bad-too-long": "1" * 300 + ",80",
    "overlong-comment-then-rule": "#" + "x" * 300 + "\n127.0.0.1,80\n",
}


def rule_seeds():
    for name, text in RULES.items():
        if not text.endswith("\n") and "\n" not in text and not name.startswith("no-final"):
            text += "\n"
        write("fuzz_rule", name, text)
    # A rule line across the scanner's 4096-byte read block.
    write("fuzz_rule", "block-boundary", "#" * 4090 + "\n127.0.0.1,80\n::1,81\n")
    # Every valid line in one file.
    write("fuzz_rule", "all-valid",
          "".join(t + "\n" for n, t in RULES.items()
                  if not n.startswith("bad") and "\n" not in t))


# ---- fuzz_request: requests, sockaddrs and replies ----

def request(family, port, addr=b"", flowinfo=0, scope=0, magic=MAGIC,
            version=VERSION, reserved=0):
    return struct.pack("=IHHHHII16s", magic, version, family, port, reserved,
                       flowinfo, scope, addr)


def sockaddr_in(port, addr):
    return struct.pack("=H", AF_INET) + struct.pack("!H", port) + \
        socket.inet_pton(AF_INET, addr) + bytes(8)


def sockaddr_in6(port, addr, flowinfo=0, scope=0):
    return struct.pack("=H", AF_INET6) + struct.pack("!H", port) + \
        struct.pack("=I", flowinfo) + socket.inet_pton(AF_INET6, addr) + \
        struct.pack("=I", scope)


def reply(outcome, error, detail=0, text=b"", pad=0):
    return struct.pack("=IHHiI", MAGIC, VERSION, outcome, error, detail) + \
        (text + bytes([pad]) * TEXT_MAX)[:TEXT_MAX]


def v4(a):
    return socket.inet_pton(AF_INET, a)


def v6(a):
    return socket.inet_pton(AF_INET6, a)


def request_seeds():
    seeds = {
        # requests (the helper's input)
        "req-v4-loopback-80": request(AF_INET, 80, v4("127.0.0.1")),
        "req-v4-any-1": request(AF_INET, 1, v4("0.0.0.0")),
        "req-v4-65535": request(AF_INET, 65535, v4("192.0.2.1")),
        "req-v6-loopback-443": request(AF_INET6, 443, v6("::1")),
        "req-v6-any-80": request(AF_INET6, 80, v6("::")),
        "req-v6-mapped-80": request(AF_INET6, 80, v6("::ffff:127.0.0.1")),
        "req-v6-linklocal-scope": request(AF_INET6, 80, v6("fe80::1"), 0x12345, 2),
        "req-bad-port-zero": request(AF_INET, 0, v4("127.0.0.1")),
        "req-bad-magic": request(AF_INET, 80, v4("127.0.0.1"), magic=0x41424E45),
        "req-bad-version": request(AF_INET, 80, v4("127.0.0.1"), version=2),
        "req-bad-reserved": request(AF_INET, 80, v4("127.0.0.1"), reserved=1),
        "req-bad-v4-scope": request(AF_INET, 80, v4("127.0.0.1"), scope=1),
        "req-bad-v4-tail": request(AF_INET, 80, v4("127.0.0.1") + b"\1"),
        "req-bad-family": request(socket.AF_UNIX, 80, v4("127.0.0.1")),
        "req-short": request(AF_INET, 80, v4("127.0.0.1"))[:20],
        # sockaddrs (what bind(2)'s caller passed to the shim)
        "sa-v4-80": sockaddr_in(80, "127.0.0.1"),
        "sa-v4-short": sockaddr_in(80, "127.0.0.1")[:8],
        "sa-v4-port-zero": sockaddr_in(0, "0.0.0.0"),
        "sa-v6-443": sockaddr_in6(443, "::1"),
        "sa-v6-mapped": sockaddr_in6(80, "::ffff:127.0.0.1"),
        "sa-v6-scope": sockaddr_in6(80, "fe80::1", 7, 2),
        "sa-v6-short": sockaddr_in6(80, "::1")[:24],
        "sa-unix": struct.pack("=H", socket.AF_UNIX) + b"/tmp/x\0",
        # replies (what the shim reads back)
        "rep-granted": reply(GRANTED, 0),
        "rep-denied": reply(DENIED, 13, 0, b"refused by /etc/authbind (byuid/41000)"),
        "rep-denied-by-file": reply(DENIED, 13, 1, b"byport/80 is not executable"),
        "rep-bind-failed": reply(BIND_FAILED, 98),
        "rep-not-privileged": reply(NOT_PRIVILEGED, 1, 2, b"nosuid"),
        "rep-bad-socket": reply(BAD_SOCKET, 88),
        "rep-bad-request": reply(BAD_REQUEST, 71),
        "rep-bad-no-nul": reply(DENIED, 13, 0, b"", pad=0x41),
        "rep-bad-outcome": reply(99, 13),
        "rep-bad-granted-error": reply(GRANTED, 13),
        "rep-bad-errno": reply(DENIED, 4096),
    }
    for name, data in seeds.items():
        write("fuzz_request", name, data)


# ---- fuzz_addr: address texts (and the same bytes as sockaddrs) ----

def addr_seeds():
    texts = {
        "v4": "127.0.0.1", "v4-any": "0.0.0.0", "v4-bcast": "255.255.255.255",
        "v6-loopback": "::1", "v6-any": "::", "v6-mapped": "::ffff:1.2.3.4",
        "v6-compat": "::1.2.3.4", "v6-doc": "2001:db8::1",
        "v6-full8": "0:0:0:0:0:0:0:1",
        "v6-max": "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "v6-upper": "2001:DB8::A", "bad-scope": "fe80::1%1",
        "bad-short-v4": "1.2.3", "bad-leading-zero": "01.2.3.4",
        "bad-double-gap": "1::2::3", "bad-space": "127.0.0.1 ",
        "bad-nul": "127.0.0.1\0", "bad-hex": "0x7f.0.0.1",
    }
    for name, text in texts.items():
        write("fuzz_addr", name, text)
    write("fuzz_addr", "sa-v4", sockaddr_in(80, "127.0.0.1"))
    write("fuzz_addr", "sa-v6", sockaddr_in6(80, "2001:db8::1", 0, 3))
    write("fuzz_addr", "sa-v6-mapped", sockaddr_in6(80, "::ffff:10.0.0.1"))
    # Read past its end by ab_addr_from_sockaddr before addr.c commit
    # "check the length before reading sa_family".
    write("fuzz_addr", "crash-sockaddr-len-1", bytes([AF_INET]))


# ---- fuzz_env: a size byte, then AUTHBIND_DEPTH or LD_PRELOAD ----

def env_seeds():
    values = {
        "depth-deep": (16, "deep"), "depth-1": (16, "1"), "depth-100": (16, "100"),
        "depth-bad-101": (16, "101"), "depth-bad-0": (16, "0"),
        "depth-bad-sign": (16, "+5"), "depth-bad-leading-zero": (16, "010"),
        "preload-empty": (64, ""),
        "preload-other": (64, "/usr/lib/libfoo.so"),
        "preload-ours": (128, "/usr/lib/libfoo.so:/opt/ab/lib/libauthbind.so"),
        "preload-spaces": (128, " libauthbind.so\t/lib/x.so  /lib/notlibauthbind.so:"),
        "preload-tight": (36, "/lib/a.so"),
        "preload-one-short": (35, "/lib/a.so"),
        "preload-too-small": (4, "/lib/a.so:/lib/b.so"),
    }
    for name, (size, text) in values.items():
        write("fuzz_env", name, bytes([size]) + text.encode())


def main():
    if len(sys.argv) != 1:
        sys.exit("usage: fuzz/make-corpus.py")
    rule_seeds()
    request_seeds()
    addr_seeds()
    env_seeds()


if __name__ == "__main__":
    main()
