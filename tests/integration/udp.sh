#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A UDP echo server on port 53, a Python socket bound to :: with
# IPV6_V6ONLY off (dual-stack), under authbind as the test user: with
# byport/53 a datagram sent to 127.0.0.1 and one sent to ::1 both come
# back; with no grant the bind is refused with a line that says udp, and
# nothing is bound.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
. "${AB_SRCDIR:-.}/tests/integration/serverlib.sh"
ab_setup "$@"

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || ab_skip "$PYTHON is not installed"
echo_server=$AB_WORK/echo.py
cat >"$echo_server" <<'PY'
# echo.py PORT: echoes every datagram back to its sender.
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[1])))
print("bound", flush=True)
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
PY
client=$AB_WORK/client.py
cat >"$client" <<'PY'
# client.py HOST PORT: sends one datagram, prints the reply and where it
# came from, or "timeout".
import os, socket, sys
host, port = sys.argv[1], int(sys.argv[2])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.settimeout(5)
token = os.urandom(8).hex().encode()
s.sendto(token, (host, port))
try:
    data, peer = s.recvfrom(65535)
except socket.timeout:
    print("timeout")
    sys.exit(1)
print("echo" if data == token else "wrong reply %r" % data, peer[0], peer[1])
PY
chmod 644 "$echo_server" "$client"

ab_log "no grant: the bind is refused"
sv_run nogrant 30 "$PYTHON" "$echo_server" 53
[ "$SV_STATUS" != 124 ] || ab_fail "the server ran with no grant"
[ "$SV_STATUS" != 0 ] || ab_fail "the server exited 0 with no grant"
ab_expect_match "the denial line says udp" \
	"^authbind: uid $AB_TEST_UID: may not bind udp \[::\]:53: refused by $AB_POLICY_DIR" \
	"$(cat "$AB_WORK/nogrant.err")"
ab_expect_match "Python sees EACCES" "PermissionError: \[Errno 13\]" "$(cat "$AB_WORK/nogrant.err")"
sv_expect_unbound "after the denial" udp 53

ab_log "byport/53: datagrams to 127.0.0.1 and ::1 come back"
ab_byport 53
sv_start granted 120 "$PYTHON" "$echo_server" 53
sv_wait granted udp 53 30
sv_expect_preloaded "the server" "$(sv_socket_pid udp 53)"
ab_expect_eq "one UDP socket, dual-stack" "*:53" "$(ss -Huan 'sport = :53' | awk '{ print $4 }')"
ab_expect_eq "over IPv4" "echo 127.0.0.1 53" "$(timeout 20 "$PYTHON" "$client" 127.0.0.1 53)"
ab_expect_eq "over IPv6" "echo ::1 53" "$(timeout 20 "$PYTHON" "$client" ::1 53)"
sv_stop
