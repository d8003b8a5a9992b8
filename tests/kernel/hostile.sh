#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The hostile suite, for kernel mode: a caller that tries to get from the
# BPF programs what the helper would refuse.  Each case names the trick.
. "${AB_SRCDIR:-.}/tests/kernel/kharness.sh"
ab_k_require authbindd kdeny
ab_k_setup "$@"
u=$AB_TEST_UID
py=/usr/bin/python3
[ -x $py ] || ab_skip "$py is not installed"

printf 'tcp ::,95\ntcp 127.0.0.1,96\n' | ab_byuid
ab_byport 80
ab_k_start_daemon

ab_log "another program on the same hooks still refuses (as SocketBindDeny= does)"
ab_byport 79
ab_k_expect_soon "byport/79 granted (a reload)" "bound 0.0.0.0 79" 0.0.0.0 79
"$AB_BIN/kdeny" "$AB_CG" 79 >"$AB_WORK/kdeny.out" 2>&1 &
kdeny=$!
ab_k_wait_line "$AB_WORK/kdeny.out" '^ready'
ab_k_expect "byport/79 with a deny program beside: EPERM" "error EPERM" 0.0.0.0 79
ab_k_expect "... for IPv6 too" "error EPERM" -V 0 :: 79
ab_k_expect "... and for root" "error EPERM" --uid 0 0.0.0.0 79
ab_k_expect "the deny program leaves byport/80 alone" "bound 0.0.0.0 80" 0.0.0.0 80
kill $kdeny
wait $kdeny 2>/dev/null
ab_k_expect "deny program gone: granted again" "bound 0.0.0.0 79" 0.0.0.0 79

ab_log "identity: the real uid counts, as for the helper"
out=$(ab_k_in_cgroup setpriv --ruid=41001 --euid=$u --regid=$u --clear-groups \
	"$AB_BIN/bindprobe" 127.0.0.1 96)
ab_expect_eq "effective uid granted, real uid not: refused" "error EACCES" "$out"
out=$(ab_k_in_cgroup setpriv --ruid=$u --euid=41001 --regid=$u --clear-groups \
	"$AB_BIN/bindprobe" 127.0.0.1 96)
ab_expect_eq "real uid granted, effective uid not: granted" "bound 127.0.0.1 96" "$out"

ab_log "addresses: an IPv4 wildcard spelled as IPv6"
ab_k_expect "::ffff:0.0.0.0 is 0.0.0.0, which nothing grants" "error EACCES" -6 -V 0 0.0.0.0 95
ab_k_expect "control: :: v6-only is granted" "bound :: 95" -V 1 :: 95

ab_log "a socket that failed once keeps no grant from it"
out=$(ab_k_as_user $py -c '
import errno, socket
hold = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
hold.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
hold.bind(("::", 95))
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
try:
    s.bind(("::", 95))           # granted v6-only, but the port is taken
    print("bound?")
except OSError as e:
    print(errno.errorcode[e.errno], end=" ")
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
hold.close()
try:
    s.bind(("::", 95))           # the same socket, now dual-stack
    print("bound-dual")
except OSError as e:
    print(errno.errorcode[e.errno], end=" ")
try:
    s.bind(("::", 20095))        # and an unprivileged port: the kernel alone
    print("bound-unpriv")
except OSError as e:
    print(errno.errorcode[e.errno])
')
ab_expect_eq "EADDRINUSE, then dual-stack refused, then an unprivileged port allowed" \
	"EADDRINUSE EACCES bound-unpriv" "$out"

ab_log "protocols the helper refuses are not granted either"
for p in 136:UDP-Lite 262:MPTCP 132:SCTP; do
	num=${p%%:*} name=${p#*:}
	out=$(ab_k_as_user $py -c '
import errno, socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "136" else socket.SOCK_STREAM
try:
    s = socket.socket(socket.AF_INET, kind, int(sys.argv[1]))
except OSError:
    print("unsupported"); sys.exit()
try:
    s.bind(("0.0.0.0", 80)); print("bound")
except OSError as e:
    print(errno.errorcode[e.errno])
' $num)
	case $out in
	unsupported) echo "skip: $name sockets are not available here" ;;
	*) ab_expect_eq "$name on byport/80" "EACCES" "$out" ;;
	esac
done

ab_log "too many groups: kernel mode stays out"
mkdir -p "$AB_POLICY/bygid"
chmod 755 "$AB_POLICY/bygid"
printf 'tcp *,97\n' >"$AB_POLICY/bygid/41500"
chmod 644 "$AB_POLICY/bygid/41500"
cp /etc/passwd "$AB_WORK/passwd"
cp /etc/group "$AB_WORK/group"
echo "abtest:x:$u:$u::/nonexistent:/usr/sbin/nologin" >>"$AB_WORK/passwd"
many=41500
i=1
while [ $i -le 70 ]; do
	echo "abg$i:x:$((42000 + i)):abtest" >>"$AB_WORK/group"
	many="$many,$((42000 + i))"
	i=$((i + 1))
done
echo "abtestg:x:41500:abtest" >>"$AB_WORK/group"
mount --bind "$AB_WORK/passwd" /etc/passwd && mount --bind "$AB_WORK/group" /etc/group ||
	ab_fail "cannot mount a private /etc/passwd and /etc/group"
kill -HUP $AB_DPID
ab_k_settle
ab_k_expect "71 groups, exactly as /etc/group says: more than the program reads, refused" \
	"error EACCES" --groups "$many" 0.0.0.0 97
ab_expect_eq "the helper path grants it" "bound 0.0.0.0 97" \
	"$(ab_authbind --groups "$many" "$AB_BIN/bindprobe" 0.0.0.0 97 | head -n 1)"

umount /etc/passwd /etc/group || ab_fail "cannot unmount the private /etc/passwd and /etc/group"
kill -HUP $AB_DPID
ab_k_settle

ab_log "a flood of refusals: events may be lost, binds are still judged"
out=$(ab_k_as_user $py -c '
import socket
n = 0
for i in range(20000):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 81))
    except PermissionError:
        n += 1
    s.close()
print(n)')
ab_expect_eq "20000 refusals, all refused" 20000 "$out"
sleep 1.5
if grep -q "events lost" "$AB_DLOG"; then
	echo "ok: $(grep -o '[0-9]* events lost' "$AB_DLOG" | head -n 1) and reported"
else
	echo "ok: no event lost ($(grep -c 'denied uid=.*127.0.0.1:81' "$AB_DLOG") refusals logged)"
fi
ab_k_expect "authbindd still grants after the flood" "bound 0.0.0.0 80" 0.0.0.0 80
echo PASS
