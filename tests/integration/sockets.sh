#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The socket comes back as it went: a link-local bind keeps its scope id;
# socket options and fd flags are untouched; a socket at fd 0, 1 or 2
# works; the kernel's own errors (EADDRINUSE, EINVAL for a second bind,
# ENODEV for a wrong scope) come back unchanged; and the helper is
# collected, not left behind as a zombie.  TCP and UDP each time.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "${AB_SRCDIR:-.}/tests/integration/policy-common.sh"

py=/usr/bin/python3
[ -x $py ] || ab_skip "$py is not installed"

# pysock CMD PROTO ADDR PORT [PORT2]: binds under authbind from Python.
#   scope  prints "bound scope N" with the scope id getsockname reports
#   fd1    makes the socket fd 1 and binds it; reports on stderr
#   twice  binds to PORT, then the same socket to PORT2
cat >"$AB_BIN/pysock.py" <<'EOF'
import errno, os, socket, stat, sys

def sockaddr(a, p):
    if '%' in a:
        host, ifname = a.split('%')
        return (host, p, 0, socket.if_nametoindex(ifname))
    return (a, p, 0, 0) if ':' in a else (a, p)

def attempt(s, a, p):
    try:
        s.bind(sockaddr(a, p))
        return 'bound %d' % s.getsockname()[1]
    except OSError as e:
        return 'error ' + errno.errorcode.get(e.errno, str(e.errno))

cmd, proto, addr, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
family = socket.AF_INET6 if ':' in addr else socket.AF_INET
kind = socket.SOCK_DGRAM if proto == 'udp' else socket.SOCK_STREAM
s = socket.socket(family, kind)
if cmd == 'scope':
    r = attempt(s, addr, port)
    if r.startswith('bound'):
        r = 'bound scope %d' % s.getsockname()[3]
    print(r)
elif cmd == 'fd1':
    os.dup2(s.fileno(), 1)
    s.close()
    s = socket.socket(family, kind, fileno=1)
    r = attempt(s, addr, port)
    if s.fileno() != 1 or not stat.S_ISSOCK(os.fstat(1).st_mode):
        r = 'fd 1 is no longer the socket'
    sys.stderr.write(r + '\n')
elif cmd == 'twice':
    first = attempt(s, addr, port)
    second = attempt(s, addr, int(sys.argv[5]))
    print('%s, then %s, bound to %d' % (first, second, s.getsockname()[1]))
EOF
chmod 755 "$AB_BIN/pysock.py"
pysock() {
	ab_authbind $py "$AB_BIN/pysock.py" "$@"
}

ab_log "link-local IPv6: the scope id is kept"
# lo takes a link-local address on current kernels; else a dummy link.
ll_if=lo
if ! ip -6 addr add fe80::1/64 dev lo nodad 2>/dev/null; then
	ll_if=d0
	ip link add d0 type dummy && ip link set d0 up &&
		ip -6 addr add fe80::1/64 dev d0 nodad ||
		ab_fail "cannot put fe80::1 on lo or on a dummy link"
fi
ll_index=$(cat "/sys/class/net/$ll_if/ifindex")
ab_byaddr fe80::1,80
pt_granted "byaddr/fe80::1,80: tcp fe80::1%$ll_if" fe80::1%$ll_if 80
pt_granted "byaddr/fe80::1,80: udp fe80::1%$ll_if" -u fe80::1%$ll_if 80
ab_expect_eq "the bound socket has scope id $ll_index (tcp)" "bound scope $ll_index" \
	"$(pysock scope tcp fe80::1%$ll_if 80)"
ab_expect_eq "the bound socket has scope id $ll_index (udp)" "bound scope $ll_index" \
	"$(pysock scope udp fe80::1%$ll_if 80)"
pt_error "granted fe80::1 without a scope: EINVAL, as the kernel says" EINVAL fe80::1 80
pt_error "granted fe80::1 with an interface that does not exist: ENODEV" ENODEV fe80::1%999 80
ab_byuid <<'EOF'
fe80::/64,81
EOF
pt_granted "byuid fe80::/64,81: fe80::1%$ll_if" fe80::1%$ll_if 81
pt_denied "byuid fe80::/64,81: port 82" "has no line" -u fe80::1%$ll_if 82

ab_log "socket options and fd flags are kept (bindprobe checks them)"
ab_clear_policy
ab_byport 80
for opts in "-r" "-p" "-n" "-c" "-r -p -n -c" "-u -r -p" "-u -n -c"; do
	pt_granted "granted with $opts" $opts 0.0.0.0 80
	pt_denied "refused with $opts" "$PT_NO_RULE" $opts 0.0.0.0 81
done
pt_granted "granted: V6ONLY=1 stays 1 on [::]" -V 1 -r :: 80
pt_granted "granted: V6ONLY=0 stays 0 on [::]" -V 0 -p -n :: 80
pt_granted "granted: udp V6ONLY=0 stays 0 on [::]" -u -V 0 :: 80
pt_denied "refused: V6ONLY=0 stays 0" "$PT_NO_RULE" -V 0 -r :: 81
pt_denied "refused: V6ONLY=1 stays 1" "$PT_NO_RULE" -u -V 1 -n :: 81

ab_log "a socket at fd 0, 1 or 2"
pt_granted "tcp socket at fd 0" -f 0 0.0.0.0 80
pt_granted "tcp socket at fd 0, close-on-exec off" -f 0 -c 0.0.0.0 80
pt_granted "udp socket at fd 0" -u -f 0 0.0.0.0 80
pt_denied "refused: tcp socket at fd 0" "$PT_NO_RULE" -f 0 0.0.0.0 81
pt_denied "refused: udp socket at fd 0, close-on-exec off" "$PT_NO_RULE" -u -f 0 -c 0.0.0.0 81
ab_expect_eq "tcp socket at fd 1" "bound 80" "$(pysock fd1 tcp 0.0.0.0 80 2>&1)"
ab_expect_eq "udp socket at fd 1" "bound 80" "$(pysock fd1 udp ::1 80 2>&1)"
ab_expect_match "refused: tcp socket at fd 1" "^error EACCES\$" "$(pysock fd1 tcp 0.0.0.0 81 2>&1 | tail -n 1)"
# With the socket at fd 2 there is no stderr to speak on: the refusal must
# not write into the socket (SIGPIPE for TCP, an autobind for UDP).
pt_granted "tcp socket at fd 2" -f 2 0.0.0.0 80
pt_granted "udp socket at fd 2" -u -f 2 0.0.0.0 80
pt_error "refused: tcp socket at fd 2, and the process lives" EACCES -f 2 0.0.0.0 81
pt_error "refused: udp socket at fd 2, left unbound" EACCES -u -f 2 0.0.0.0 81

ab_log "the kernel's own errors come back as they are"
ab_byport 85
ab_byport 86
pt_hold 0.0.0.0 80
pt_error "tcp 0.0.0.0:80 while held: EADDRINUSE" EADDRINUSE 0.0.0.0 80
[ ! -s "$AB_WORK/probe.err" ] || ab_fail "EADDRINUSE came with words: $(ab_probe_stderr)"
echo "ok: EADDRINUSE, like a native bind, says nothing"
pt_error "tcp 127.0.0.1:80 while 0.0.0.0:80 is held: EADDRINUSE" EADDRINUSE -r 127.0.0.1 80
pt_error "tcp [::]:80 dual-stack while 0.0.0.0:80 is held: EADDRINUSE" EADDRINUSE -V 0 :: 80
pt_granted "udp 0.0.0.0:80 while tcp is held" -u 0.0.0.0 80
# Not even a zombie: the shim must have collected its helper.
ab_expect_eq "the holder has no child left" "" "$(ps -o stat=,comm= --ppid "$pt_holder")"
pt_unhold
pt_hold -u 0.0.0.0 80
pt_error "udp 0.0.0.0:80 while held: EADDRINUSE" EADDRINUSE -u 0.0.0.0 80
pt_error "udp [::]:80 dual-stack while 0.0.0.0:80 is held: EADDRINUSE" EADDRINUSE -u -V 0 :: 80
pt_granted "udp [::1]:80 while 0.0.0.0:80 is held" -u ::1 80
pt_unhold
pt_hold -p 0.0.0.0 80
pt_granted "SO_REUSEPORT on both, same uid: tcp granted" -p 0.0.0.0 80
pt_error "SO_REUSEPORT on one only: EADDRINUSE" EADDRINUSE 0.0.0.0 80
pt_error "SO_REUSEPORT on both, another uid: EADDRINUSE" EADDRINUSE --uid $AB_OTHER_UID -p 0.0.0.0 80
pt_unhold
pt_hold -u -p ::1 80
pt_granted "SO_REUSEPORT on both, same uid: udp granted" -u -p ::1 80
pt_unhold

ab_expect_eq "tcp: a second bind of the same socket: EINVAL" \
	"bound 85, then error EINVAL, bound to 85" "$(pysock twice tcp 0.0.0.0 85 86 2>/dev/null)"
ab_expect_eq "udp: a second bind of the same socket: EINVAL" \
	"bound 85, then error EINVAL, bound to 85" "$(pysock twice udp ::1 85 85 2>/dev/null)"
ab_expect_eq "tcp: a second bind to an unprivileged port: EINVAL" \
	"bound 85, then error EINVAL, bound to 85" "$(pysock twice tcp 127.0.0.1 85 8085 2>/dev/null)"
ab_expect_eq "udp: a low port after an unprivileged one: EINVAL" \
	"bound 8085, then error EINVAL, bound to 8085" "$(pysock twice udp 0.0.0.0 8085 86 2>/dev/null)"
ab_expect_eq "tcp: a second bind to a port no rule grants: EINVAL" \
	"bound 85, then error EINVAL, bound to 85" "$(pysock twice tcp 0.0.0.0 85 87 2>/dev/null)"
