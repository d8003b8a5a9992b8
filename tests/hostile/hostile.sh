#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile-input tests: a malicious caller (tests/hostile/attack.c) runs the
# installed setuid helper as the test user and tries to make it bind what
# the policy forbids.  Each case asserts the refusal the helper owes and,
# with a fresh bind as root while the caller still holds its sockets, that
# nothing took the port.
#
# Where a case attacks a check on the socket or the message, its port is
# granted (byport/PORT), so that check alone stands between the attacker
# and the port.  Where it attacks the starting state or the policy files,
# nothing grants the port, so a grant would be the helper's mistake.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"

for prog in attack sysfail startup guardmatrix; do
	[ -x "$AB_BUILDDIR/tests/hostile/$prog" ] || ab_fail "tests/hostile/$prog is not built"
	cp "$AB_BUILDDIR/tests/hostile/$prog" "$AB_BIN/" || ab_fail "cannot copy $prog"
done
ATTACK=$AB_BIN/attack
USERDIR=$AB_WORK/user

N=0
PASSED=0
FAILED=0
SKIPPED=0
START=$(date +%s)

reset_policy() {
	rm -rf "$AB_POLICY"/byport "$AB_POLICY"/byaddr "$AB_POLICY"/byuid
	mkdir "$AB_POLICY"/byport "$AB_POLICY"/byaddr "$AB_POLICY"/byuid
	chmod 755 "$AB_POLICY" "$AB_POLICY"/*
	chown root:root "$AB_POLICY" "$AB_POLICY"/*
}

# A new case: its number, its own port P, an empty directory of the user's.
next() {
	N=$((N + 1))
	P=$((100 + N))
	rm -rf "$USERDIR"
	mkdir "$USERDIR"
	chown "$AB_TEST_UID:$AB_TEST_GID" "$USERDIR"
}

# check DESCRIPTION CASE [ATTACK-OPTIONS...]
# HOSTILE_CASES="case ..." in the environment runs only those cases.
check() {
	desc=$1
	name=$2
	shift 2
	if [ -n "${HOSTILE_CASES:-}" ]; then
		case " $HOSTILE_CASES " in
		*" $name "*) ;;
		*) reset_policy; return 0 ;;
		esac
	fi
	out=$("$ATTACK" -p "$P" -w "$USERDIR" -U "$AB_TEST_UID" -G "$AB_TEST_GID" \
		-O "$AB_OTHER_UID" "$@" "$name" 2>&1)
	rc=$?
	case $rc in
	0)
		PASSED=$((PASSED + 1))
		echo "ok $N - $desc"
		[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/#   /'
		;;
	77)
		SKIPPED=$((SKIPPED + 1))
		echo "ok $N - $desc # SKIP ${out#*skipped: }"
		;;
	*)
		FAILED=$((FAILED + 1))
		echo "not ok $N - $desc"
		printf '%s\n' "$out" | sed 's/^/#   /'
		;;
	esac
	reset_policy
}

# With the case's port granted.
granted() {
	next
	ab_byport "$P"
	check "$@"
}

# With nothing granted.
nothing() {
	next
	check "$@"
}

reset_policy

echo "# controls: the checks can see a bind and a denial"
granted "control: a granted request binds, and the port check sees it" granted
nothing "control: no grant, a plain denial" denied

echo "# only what the policy grants to the caller's real uid"
next; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid "$AB_OTHER_UID"
check "byuid of another uid grants nothing to the caller" denied
next; ab_byport "$P" 750; chgrp "$AB_GROUP_GID" "$AB_POLICY/byport/$P"
check "byport executable by a group the caller is not in" denied
next; ab_byport "$P" 744
check "byport executable by its owner (root) only" denied
next; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid "$AB_OTHER_UID"
check "channel and socket made by a granted uid, helper run by the caller" foreign-peer
next; printf '127.0.0.1,%s\n' "$P" | ab_byuid
check "a rule for 127.0.0.1 does not grant 0.0.0.0" denied
next; printf '0.0.0.0/0,%s-%s\n' $((P + 1)) $((P + 5)) | ab_byuid
check "a port range that stops short does not grant" denied
next; ab_byport "!$P"
check "byport/!PORT counts only for 512-1023" denied
next; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid "!$AB_TEST_UID"
check "byuid/!UID counts only for ports 512-1023" denied
next; printf '::/0,%s\n' "$P" | ab_byuid
check "an IPv6-only rule does not grant a v4-mapped address" denied -a ::ffff:127.0.0.1
next; printf '::,%s\n' "$P" | ab_byuid
check "dual-stack [::] needs 0.0.0.0 too" denied -a :: -d
next; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid
check "an IPv4 rule does not grant [::]" denied -a ::
granted "control: 0.0.0.0, then [::] v6-only, both granted, both bound" v4-then-v6
next; printf '*,%s\n' "$P" | ab_byuid
check "both halves granted, IPV6_V6ONLY off after the look: dual-stack, allowed" flip-after-look
nothing "a channel made by another process: denied all the same (audit.sh reads the pid)" \
	claimed-pid

echo "# the IPv4 half of [::]: granted '::,PORT' only, IPV6_V6ONLY turned off after the look"
# only_v6 [udp]: the case's port granted for :: alone.
only_v6() {
	next
	printf '%s::,%s\n' "${1:+$1 }" "$P" | ab_byuid
}
only_v6; check "tcp, toggled or flipped once while the helper works" v6only-race
only_v6 udp; check "udp, toggled or flipped once while the helper works" v6only-race -u
only_v6; check "tcp, beside the caller's own SO_REUSEADDR socket on 127.0.0.1" \
	own-reuseaddr-holder
only_v6 udp; check "udp, beside the caller's own SO_REUSEADDR socket on 127.0.0.1: refused" \
	own-reuseaddr-holder-udp -u
only_v6; check "tcp, beside TIME_WAIT of another user's SO_REUSEADDR server" time-wait
only_v6 udp; check "udp, beside another user's SO_REUSEADDR socket on 0.0.0.0: refused" \
	udp-reuseaddr-other -u
only_v6; check "tcp, SO_REUSEPORT, earlier v6-only sockets listening meanwhile (fast path)" \
	reuseport-fast-path
only_v6; check "tcp, the helper slowed at each system call in turn (strace)" steps
only_v6 udp; check "udp, the helper slowed at each system call in turn (strace)" steps -u
only_v6; check "tcp, slowed at each call, with the fast-path attack" steps-fast-path
only_v6; check "SIGSTOP without pause: refused (EPERM) once the helper holds anything" \
	stop-hold -a ::
only_v6 udp; check "udp: SIGSTOP without pause" stop-hold -a :: -u

echo "# the kernel's bind-conflict rules the guard relies on (guardmatrix, as root)"
next
if out=$("$AB_BIN/guardmatrix" "$AB_TEST_UID" "$AB_OTHER_UID" 2>&1); then
	PASSED=$((PASSED + 1))
	echo "ok $N - guardmatrix: $(printf '%s\n' "$out" | grep -c '^ok') checks held"
else
	FAILED=$((FAILED + 1))
	echo "not ok $N - guardmatrix"
	printf '%s\n' "$out" | grep -v '^ok' | sed 's/^/#   /'
fi

echo "# reuseport servers starting together: no bind may fail for the helper's precautions"
# startup_run ROUNDS: 4 processes, each round [::] v6-only then 0.0.0.0,
# SO_REUSEPORT, under authbind as the test user, port P (both granted).
startup_run() {
	ab_authbind --deep "$AB_BIN/startup" -n 4 -r "$1" -p "$P" 2>&1
}
next; printf 'tcp *,%s\n' "$P" | ab_byuid
START_ROUNDS=${HOSTILE_STARTUP_ROUNDS:-300}
out=$(startup_run "$START_ROUNDS"); rc=$?
if [ $rc = 0 ]; then
	PASSED=$((PASSED + 1))
	echo "ok $N - $START_ROUNDS rounds of 4 processes: $out"
else
	FAILED=$((FAILED + 1))
	echo "not ok $N - $START_ROUNDS rounds of 4 processes: $out (exit $rc)"
fi
# Control: with 0.0.0.0:P held without SO_REUSEPORT (the old guard, kept
# for the whole run, by root), the binds of 0.0.0.0 fail and it says so.
next; printf 'tcp *,%s\n' "$P" | ab_byuid
"$AB_BIN/bindprobe" -h 60 0.0.0.0 "$P" >/dev/null 2>&1 &
holder=$!
ab_wait_listening tcp "$P" 10
out=$(startup_run 5); rc=$?
kill $holder; wait $holder 2>/dev/null
if [ $rc = 1 ]; then
	PASSED=$((PASSED + 1))
	echo "ok $N - control: a 0.0.0.0 holder without SO_REUSEPORT makes binds fail: $out"
else
	FAILED=$((FAILED + 1))
	echo "not ok $N - control: expected failed binds beside a plain 0.0.0.0 holder: $out (exit $rc)"
fi
reset_policy

echo "# the socket"
granted "fd is a regular file" file
granted "fd is a pipe" pipe
granted "fd is a directory" dir
granted "fd is an O_PATH fd of a socket inode" opath-socket
granted "AF_UNIX stream socket" unix-stream
granted "AF_UNIX seqpacket socket" unix-seqpacket
granted "netlink socket" netlink
granted "raw IPv4 socket (IPPROTO_TCP), made by root" raw4
granted "raw IPv6 socket (IPPROTO_UDP), made by root" raw6
granted "ICMP datagram (ping) socket" ping
granted "packet socket, made by root" packet
granted "UDP-Lite IPv4 socket" udplite
granted "UDP-Lite IPv6 socket" udplite6
granted "MPTCP socket" mptcp
granted "SCTP stream socket" sctp
granted "SCTP seqpacket socket" sctp-seqpacket
granted "IPv4 request, IPv6 socket" family-4on6
granted "IPv6 request, IPv4 socket" family-6on4
granted "the helper's own channel passed as the socket" self-channel
granted "socket already bound (127.0.0.1, ephemeral port)" bound
granted "socket already listening" listening
granted "UDP socket already connected" connected-udp
granted "UDP socket already bound" bound -u
granted "socket of another network namespace, made by root" netns
granted "socket of the user's own user and network namespace" userns

# The shim's own fallback: close_range failing (Linux < 5.9) in the child
# that executes the helper.
next; ab_byport "$P"
probe=$("$AB_BIN/sysfail" close_range --probe)
out=$("$AB_BIN/sysfail" close_range setpriv --reuid="$AB_TEST_UID" --regid="$AB_TEST_GID" \
	--clear-groups -- env -i PATH=/usr/bin:/bin "$AB_WRAPPER" "$AB_BIN/bindprobe" 0.0.0.0 "$P" 2>&1)
if [ "$probe" = "close_range Function not implemented" ] && [ "$out" = "bound 0.0.0.0 $P" ]; then
	PASSED=$((PASSED + 1))
	echo "ok $N - the shim, close_range failing with ENOSYS: granted all the same"
else
	FAILED=$((FAILED + 1))
	echo "not ok $N - the shim, close_range failing with ENOSYS (control: $probe): $out"
fi
reset_policy

echo "# the message"
granted "two fds in one SCM_RIGHTS" two-fds
granted "fds in two SCM_RIGHTS messages" two-cmsgs
granted "no fd" no-fd
granted "SCM_CREDENTIALS with the fd (SO_PASSCRED on the helper's end)" passcred
granted "24 fds: the control message is truncated (MSG_CTRUNC)" many-fds
granted "empty message with an fd" empty
granted "short message" short
granted "long message (one byte more)" long
granted "very long message (MSG_TRUNC)" very-long
granted "a bad message, then a good one: only the first is read" two-messages
granted "wrong magic" magic
granted "wrong version" version
granted "reserved field not zero" reserved
granted "port 0" port0
granted "IPv4 request with a non-zero address tail" v4-tail
granted "IPv4 request with a scope id" v4-scope
granted "IPv4 request with a flow label" v4-flowinfo
granted "unknown family (AF_UNIX)" family-unix
granted "unknown family (AF_INET in the low byte)" family-high
granted "the peer closes without writing" hangup
granted "the peer never writes: the helper gives up in time" silent
granted "fd 0 is a file" fd0-file
granted "fd 0 is a SOCK_STREAM socketpair carrying a good request" fd0-stream
granted "fd 0 is a SOCK_DGRAM socketpair carrying a good request" fd0-dgram
granted "fd 0 is a listening SEQPACKET socket with a connection pending" fd0-listener
granted "fds 0-2 closed" fd0-closed

echo "# the state the helper starts in"
nothing "argc 0 (argv NULL)" argv-null
nothing "odd argv: 3000 words, a 100 kB one, format strings" argv-odd
nothing "stdout and stderr closed" std-closed
nothing "stdout and stderr a root-owned file, the helper made to complain" std-rootfile
nothing "a denial writes nothing to the caller's stdout or stderr" quiet
nothing "inherited fds (one above RLIMIT_NOFILE) are closed" inherited-fds
nothing "LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT" env-preload
nothing "environment naming files: LD_DEBUG_OUTPUT, MALLOC_TRACE, GCONV_PATH, TZ..." env-files
nothing "GLIBC_TUNABLES, malformed and huge" env-tunables
nothing "1.2 MB of environment" env-huge
nothing "umask 0" umask0
nothing "unreadable cwd" cwd-unreadable
nothing "removed cwd" cwd-removed
# A denial the policy decides early (byport/PORT not executable) with a
# grant behind it (byuid): an fd shortage must not skip the denial.
for n in 3 4 5 6 7; do
	next; ab_byport "$P" 644; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid
	check "RLIMIT_NOFILE $n with byport denying before a byuid grant" nofile-$n
done
nothing "RLIMIT_AS 4 MB" as-4m
nothing "RLIMIT_AS 12 MB" as-12m
nothing "RLIMIT_STACK 32 kB" stack-32k
nothing "RLIMIT_FSIZE 0" fsize0
nothing "RLIMIT_CPU 1" cpu1
nothing "NPROC, SIGPENDING, MEMLOCK, MSGQUEUE, LOCKS, RTPRIO, NICE, RTTIME 0" limits-zero
nothing "all signals blocked and ignored" signals
nothing "SIGSTOP at once, request sent while stopped, SIGCONT" stop-early
nothing "SIGSTOP/SIGCONT storm while it decides" stop-storm
granted "stopped past its deadline with SIGALRM blocked: dies, binds nothing" stop-deadline
nothing "SIGKILL right after the request" kill
nothing "the caller hangs up right after the request" hangup-after-send
nothing "RLIMIT_CORE unlimited, SIGQUIT: no core" core-quit
nothing "RLIMIT_CORE unlimited, SIGSEGV: no core" core-segv
granted "NoNewPrivileges: not-privileged, no-new-privs" nnp
granted "traced by the caller: not-privileged, traced" traced
nothing "in a user namespace of its own as its root, a forged tree mounted over the policy" \
	userns-root
nothing "in a user namespace of its own as itself, a forged tree mounted over the policy" \
	userns-self
granted "capget faked (returns 0, writes nothing): the helper fails closed" capget-fake
nothing "close_range fails with ENOSYS (Linux < 5.9): inherited fds are closed all the same" \
	close-range-enosys
granted "SO_NETNS_COOKIE fails (Linux < 5.14): SIOCGSKNS tells, and it is granted" \
	netns-cookie-enoprotoopt
granted "SO_NETNS_COOKIE fails, a socket of another network namespace: refused" \
	netns-cookie-enoprotoopt-other
granted "SO_NETNS_COOKIE and SIOCGSKNS fail: refused, saying why" netns-unknowable
granted "PIDFD_GET_USER_NAMESPACE fails (Linux < 6.11): /proc tells, and it is granted" \
	pidfd-userns-enotty
granted "pidfd_open fails (Linux < 5.3): /proc tells, and it is granted" pidfd-open-enosys

# A copy of the helper on a nosuid mount, and one that is not setuid.
mkdir "$AB_WORK/nosuid" "$AB_WORK/plain"
cp "$AB_HELPER" "$AB_WORK/nosuid/authbind-helper"
cp "$AB_HELPER" "$AB_WORK/plain/authbind-helper"
chmod 4755 "$AB_WORK/nosuid/authbind-helper"
chmod 755 "$AB_WORK/plain/authbind-helper" "$AB_WORK/nosuid" "$AB_WORK/plain"
if mount --bind "$AB_WORK/nosuid" "$AB_WORK/nosuid" &&
   mount -o remount,bind,nosuid "$AB_WORK/nosuid"; then
	granted "the helper on a nosuid mount: not-privileged, nosuid" nosuid \
		-H "$AB_WORK/nosuid/authbind-helper"
	umount "$AB_WORK/nosuid"
else
	next
	SKIPPED=$((SKIPPED + 1))
	echo "ok $N - the helper on a nosuid mount # SKIP cannot mount nosuid"
fi
granted "the helper not setuid: not-privileged, not-setuid" not-setuid \
	-H "$AB_WORK/plain/authbind-helper"

echo "# the policy files"
# A file of the user's that grants everything, for the links below.
mine() {
	printf '0.0.0.0/0,%s\n' "$P" >"$USERDIR/$1"
	chown "$AB_TEST_UID" "$USERDIR/$1"
	chmod "${2:-644}" "$USERDIR/$1"
}
# byuid lines written as they are (after next, so that $P is this case's).
rule() {
	printf "$1" >"$AB_POLICY/byuid/$AB_TEST_UID"
	chmod 644 "$AB_POLICY/byuid/$AB_TEST_UID"
	check "byuid line $2" denied
}
next; mine grant 755; ln -s "$USERDIR/grant" "$AB_POLICY/byport/$P"
check "byport/PORT a symlink to the user's executable file" denied
next; mine grant; ln -s "$USERDIR/grant" "$AB_POLICY/byuid/$AB_TEST_UID"
check "byuid/UID a symlink to the user's file" denied
next; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid; chown "$AB_TEST_UID" "$AB_POLICY/byuid/$AB_TEST_UID"
check "byuid/UID owned by the user" denied
next; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid; chmod 646 "$AB_POLICY/byuid/$AB_TEST_UID"
check "byuid/UID world-writable" denied
next; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid; chmod 664 "$AB_POLICY/byuid/$AB_TEST_UID"
chgrp "$AB_TEST_GID" "$AB_POLICY/byuid/$AB_TEST_UID"
check "byuid/UID writable by the user's group" denied
next; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid; chown "$AB_TEST_UID" "$AB_POLICY/byuid"
check "byuid directory owned by the user" denied
next; printf '0.0.0.0/0,%s\n' "$P" | ab_byuid; chmod 1777 "$AB_POLICY/byuid"
check "byuid directory world-writable (sticky)" denied
next; ab_byport "$P"; chmod 777 "$AB_POLICY/byport"
check "byport directory world-writable" denied
next; rmdir "$AB_POLICY/byuid"; mkdir "$USERDIR/byuid"; mine byuid/$AB_TEST_UID
chown -R "$AB_TEST_UID" "$USERDIR/byuid"; ln -s "$USERDIR/byuid" "$AB_POLICY/byuid"
check "byuid directory a symlink to the user's directory" denied
next; mkfifo -m 644 "$AB_POLICY/byuid/$AB_TEST_UID"
check "byuid/UID a FIFO (must not hang)" denied
next; mkdir "$AB_POLICY/byuid/$AB_TEST_UID"
check "byuid/UID a directory" denied
next; mkdir "$USERDIR/d"; chown "$AB_TEST_UID" "$USERDIR/d"
ln -s "$USERDIR/d" "$AB_POLICY/byport/$P"
check "byport/PORT a symlink to a directory of the user's" denied
X256=$(printf '%256s' '' | tr ' ' x)
next; rule "${X256}0.0.0.0/0,$P\nx${X256}0.0.0.0/0,$P\n" "overlong, whose tail past 256 characters is a valid rule"
next; rule "$(printf '%300s' '')0.0.0.0/0,$P\n" "of 300 spaces, then a valid rule"
next; rule "0.0.0.0/0,+$P\n" "'+PORT'"
next; rule "0.0.0.0/0,0x$(printf '%x' "$P")\n" "'0xPORT' (hex)"
next; rule "0.0.0.0/0,-1\n0.0.0.0/0,1--1\n0.0.0.0/0:1,-1\n" "'-1' as a port or a range end"
next; rule "0.0.0.0/0,$((4294967296 + P))\n" "PORT + 2^32 (32-bit wrap)"
next; rule "0.0.0.0/0,$((65536 + P))\n0.0.0.0/0,1-$((65536 + P))\n" "PORT + 2^16 (16-bit wrap)"
next; rule "0.0.0.0/4294967296,$P\n0.0.0.0/33,$P\n" "prefix length past 32 (and wrapped)"
next; rule "1.0.0.0/0,$P\n" "host bits set under the prefix"
next; rule "0.0.0.0/0,$P\r\n" "ending in CR"
next; rule "0.0.0.0/0,$P\000x\n0.0.0.0/0,$P\000\n" "with a NUL byte"
next; rule "0.0.0.0/0,$P x\n0.0.0.0/0,${P}abc\n0.0.0.0/0,$P,\n0.0.0.0/0:$P,$P,$P\n" "with trailing garbage"
next; rule "0.0.0.0/0,$P-$((P - 1))\n" "with a reversed port range"
next; rule "255.255.255.255-0.0.0.0,$P\n" "with a reversed address range"
next; rule "0.0.0.0 /0,$P\n 0.0.0.0/0,$P\n0.0.0.0/0, $P\n" "with spaces inside"
next; { printf '#%01048576d\n' 0; printf '0.0.0.0/0,%s\n' "$P"; } >"$AB_POLICY/byuid/$AB_TEST_UID"
chmod 644 "$AB_POLICY/byuid/$AB_TEST_UID"
check "a rule after the first megabyte of byuid/UID" denied

echo "# $SKIPPED skipped, suite took $(($(date +%s) - START)) s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ] || exit 1
[ -n "${HOSTILE_CASES:-}" ] || [ "$PASSED" -ge 40 ] || ab_fail "only $PASSED cases ran; the suite needs at least 40"
exit 0
