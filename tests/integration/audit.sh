#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The helper's audit trail: every grant and every denial goes to syslog
# (LOG_AUTHPRIV) with the uid, the pid of the application, the protocol,
# address and port, and the rule that decided.  The test listens on
# /dev/log itself: inside its own mount namespace it puts a fresh /dev
# (a tmpfs with the few device nodes programs need, bound from the real
# one) over /dev, with a datagram socket of its own at /dev/log.  Whatever
# the host has at /dev/log (a socket, a symlink into /run/systemd/journal,
# nothing) is out of the picture.  At the end tests/hostile/attack plays a
# hostile caller, to read the lines the helper owes then: a user namespace
# of the caller's own, a claimed pid, IPV6_V6ONLY turned over after the
# look, a capget that lies, the IPv4 half in use.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "${AB_SRCDIR:-.}/tests/integration/policy-common.sh"

py=/usr/bin/python3
[ -x $py ] || ab_skip "$py is not installed"
uid=$AB_TEST_UID
log=$AB_WORK/syslog.txt
mkdir -p -m 1777 "$AB_WORK/run"

ab_log "a /dev of our own with a listener at /dev/log"
newdev=$AB_WORK/dev
mkdir "$newdev"
mount -t tmpfs -o mode=755 tmpfs "$newdev" || ab_fail "cannot mount a tmpfs for /dev"
for node in null zero full random urandom tty; do
	[ -e "/dev/$node" ] || continue
	: >"$newdev/$node"
	mount --bind "/dev/$node" "$newdev/$node" || ab_fail "cannot bind /dev/$node"
done
for n in 0 1 2; do
	ln -s "/proc/self/fd/$n" "$newdev/$(echo "stdin stdout stderr" | cut -d' ' -f$((n + 1)))"
done
ln -s /proc/self/fd "$newdev/fd"
: >"$log"
$py -c '
import os, socket, sys
path, out, ready = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)   # the helper logs after dropping to the caller
open(ready, "w").close()
with open(out, "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536).rstrip(b"\n") + b"\n")
' "$newdev/log" "$log" "$AB_WORK/listening" &
listener=$!
pt_bg="$pt_bg $listener"
tries=50
while [ ! -e "$AB_WORK/listening" ] && [ $tries -gt 0 ]; do
	sleep 0.1
	tries=$((tries - 1))
done
[ -e "$AB_WORK/listening" ] || ab_fail "the syslog listener did not start"
mount --move "$newdev" /dev || ab_fail "cannot put the new /dev in place"
[ -S /dev/log ] || ab_fail "/dev/log is not our socket"
echo "ok: /dev/log is the test's own socket"

# settle: waits until no more lines arrive (from a holder, say).
settle() {
	n=$(wc -l <"$log")
	while sleep 0.2 && [ "$(wc -l <"$log")" != "$n" ]; do
		n=$(wc -l <"$log")
	done
}

# logged_probe [PREFIX-CMD...] -- BINDPROBE-ARGS...: runs bindprobe under
# authbind as the test user (or another, with --uid U first); sets out,
# pid (the application's), lines (what the helper logged: want_lines of
# them, 1 unless set) and line (the last of them).
logged_probe() {
	who=
	if [ "$1" = --uid ]; then
		who="--uid $2"
		shift 2
	fi
	prefix=
	while [ "$1" != -- ]; do
		prefix="$prefix $1"
		shift
	done
	shift
	settle
	before=$(wc -l <"$log")
	rm -f "$AB_WORK/run/pid"
	out=$(ab_as_user $who $prefix /bin/sh -c 'echo $$ >"$0" && exec "$@"' "$AB_WORK/run/pid" \
		"$AB_WRAPPER" "$AB_BIN/bindprobe" "$@" 2>"$AB_WORK/probe.err" | head -n 1)
	pid=$(cat "$AB_WORK/run/pid")
	tries=50
	while [ "$(wc -l <"$log")" = "$before" ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	sleep 0.1  # a second line, if there were one, has had time to come
	lines=$(tail -n +$((before + 1)) "$log")
	[ -n "$lines" ] || ab_fail "bindprobe $*: nothing was logged: $(cat "$log")"
	[ "$(printf '%s\n' "$lines" | wc -l)" = "${want_lines:-1}" ] ||
		ab_fail "bindprobe $*: not ${want_lines:-1} line(s): $lines"
	line=$(printf '%s\n' "$lines" | tail -n 1)
}

# expect_logged WHAT PRIORITY MESSAGE-ERE: the last line came with
# facility authpriv and this priority, from authbind-helper, and says this.
head_re='[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} authbind-helper\[[0-9]+\]: '
expect_logged() {
	case $2 in
	notice) pri=85 ;;   # LOG_AUTHPRIV | LOG_NOTICE
	warning) pri=84 ;;  # LOG_AUTHPRIV | LOG_WARNING
	esac
	ab_expect_match "$1" "^<$pri>$head_re$3\$" "$line"
}

ab_log "grants"
ab_byport 80
ab_byaddr ::1,81
ab_byuid <<'EOF'
# line 1 is this comment
127.0.0.0/8,82
::,83
0.0.0.0,83
EOF
logged_probe -- 0.0.0.0 80
ab_expect_eq "byport/80 binds" "bound 0.0.0.0 80" "$out"
expect_logged "byport grant logged" notice "granted uid=$uid pid=$pid tcp 0\\.0\\.0\\.0:80 by byport/80"
logged_probe -- -u ::1 81
ab_expect_eq "byaddr/::1,81 binds" "bound ::1 81" "$out"
expect_logged "byaddr grant logged" notice "granted uid=$uid pid=$pid udp \\[::1\\]:81 by byaddr/::1,81"
logged_probe -- 127.0.0.9 82
expect_logged "byuid grant logged with its line" notice \
	"granted uid=$uid pid=$pid tcp 127\\.0\\.0\\.9:82 by byuid/$uid line 2"
logged_probe -- -V 0 :: 83
ab_expect_eq "dual-stack binds" "bound :: 83" "$out"
expect_logged "dual-stack grant logged, with what granted each half" notice \
	"granted uid=$uid pid=$pid tcp \\[::\\]:83 \\(dual-stack\\) by byuid/$uid line 3 for :: and byuid/$uid line 4 for 0\\.0\\.0\\.0"
logged_probe -- -6 127.0.0.1 80
expect_logged "a v4-mapped grant logged as IPv4" notice \
	"granted uid=$uid pid=$pid tcp 127\\.0\\.0\\.1:80 by byport/80"

ab_log "denials"
logged_probe -- 0.0.0.0 90
ab_expect_eq "port 90 refused" "error EACCES" "$out"
expect_logged "no rule: logged" warning \
	"denied uid=$uid pid=$pid tcp 0\\.0\\.0\\.0:90: byuid/$uid has no line that matches"
logged_probe --uid $AB_OTHER_UID -- -u 0.0.0.0 91
expect_logged "another uid: logged with its uid" warning \
	"denied uid=$AB_OTHER_UID pid=$pid udp 0\\.0\\.0\\.0:91: no byport, byaddr, byuid or bygid file grants it"
ab_byport 92 644
logged_probe -- ::1 92
expect_logged "a non-executable byport: logged with the file" warning \
	"denied uid=$uid pid=$pid tcp \\[::1\\]:92: byport/92 exists but is not executable by the caller"
ab_byuid <<'EOF'
::,84
EOF
logged_probe -- -V 0 :: 84
expect_logged "the IPv4 half of a dual-stack bind: logged" warning \
	"denied uid=$uid pid=$pid tcp \\[::\\]:84 \\(dual-stack\\): for 0\\.0\\.0\\.0, the IPv4 half of this dual-stack bind: byuid/$uid has no line that matches"
chmod 664 "$AB_POLICY/byuid/$uid"
logged_probe -- ::1 84
expect_logged "an unsafe byuid file: logged" warning \
	"denied uid=$uid pid=$pid tcp \\[::1\\]:84: byuid/$uid is writable by group or other, so it is not trusted"

ab_log "a grant the kernel then refuses"
pt_hold 0.0.0.0 80
want_lines=2 logged_probe -- 0.0.0.0 80
ab_expect_eq "port 80 taken" "error EADDRINUSE" "$out"
# The grant is logged before the bind, so that no bind goes unlogged even
# if the caller kills the helper; the failure follows.
line=$(printf '%s\n' "$lines" | head -n 1)
expect_logged "the grant, logged before the bind" notice \
	"granted uid=$uid pid=$pid tcp 0\\.0\\.0\\.0:80 by byport/80"
line=$(printf '%s\n' "$lines" | tail -n 1)
expect_logged "the failed bind: logged" notice \
	"bind failed uid=$uid pid=$pid tcp 0\\.0\\.0\\.0:80: Address already in use"
pt_unhold

ab_log "a helper that cannot act"
logged_probe setpriv --no-new-privs -- 0.0.0.0 80
ab_expect_eq "NoNewPrivileges: EACCES" "error EACCES" "$out"
expect_logged "NoNewPrivileges: logged" warning \
	"refused uid=$uid pid=$pid tcp 0\\.0\\.0\\.0:80: the helper is not running as root: NoNewPrivileges is set for this process"

ab_log "what the helper owes the audit trail when driven by a hostile caller"
# tests/hostile/attack plays the caller (see tests/hostile/attack.h).
cp "$AB_BUILDDIR/tests/hostile/attack" "$AB_BIN/" || ab_fail "cannot copy attack"
attackdir=$AB_WORK/attack
# attacked PORT CASE [OPTIONS...]: runs one attack case as the test user
# and sets lines to what the helper logged meanwhile.
attacked() {
	port=$1
	shift
	rm -rf "$attackdir"
	mkdir "$attackdir"
	chown "$AB_TEST_UID:$AB_TEST_GID" "$attackdir"
	settle
	before=$(wc -l <"$log")
	out=$("$AB_BIN/attack" -p "$port" -w "$attackdir" -U "$AB_TEST_UID" -G "$AB_TEST_GID" \
		-O "$AB_OTHER_UID" "$@" 2>&1) || ab_fail "attack $*: $out"
	settle
	lines=$(tail -n +$((before + 1)) "$log")
	[ -n "$lines" ] || ab_fail "attack $*: nothing was logged"
}
# has_line WHAT PRIORITY MESSAGE-ERE: one of those lines says this.
has_line() {
	case $2 in
	notice) pri=85 ;;
	warning) pri=84 ;;
	err) pri=83 ;;
	esac
	if printf '%s\n' "$lines" | grep -Eq "^<$pri>$head_re$3\$"; then
		echo "ok: $1"
	else
		ab_fail "$1: expected /$3/ in: $lines"
	fi
}
ab_clear_policy
ab_byport 85
attacked 85 userns-root
has_line "in a user namespace of the caller's own: refused, the uid marked as that namespace's" \
	warning "refused uid=0\\(userns\\) pid=[0-9]+ tcp 0\\.0\\.0\\.0:85: the helper is not running as root: it runs in a user namespace other than the initial one, where the setuid bit gives no privilege"
if printf '%s\n' "$lines" | grep -q 'granted'; then
	ab_fail "a forged tree in a user namespace got a grant logged: $lines"
fi
echo "ok: no grant is logged for the forged tree"
attacked 86 claimed-pid
has_line "a channel made by neither parent nor grandparent: the pid is the caller's claim" \
	warning "denied uid=$uid pid=[0-9]+\\(claimed\\) ppid=[0-9]+ tcp 0\\.0\\.0\\.0:86: no byport, byaddr, byuid or bygid file grants it"
printf 'tcp *,87\n' | ab_byuid
attacked 87 flip-after-look
has_line "IPV6_V6ONLY turned off after the look: the grant, as looked at" notice \
	"granted uid=$uid pid=[0-9]+ tcp \\[::\\]:87 \\(v6-only\\) by byuid/$uid line 1"
has_line "... and then what was really bound" notice \
	"bound uid=$uid pid=[0-9]+ tcp \\[::\\]:87 \\(dual-stack; it was v6-only when checked\\) by byuid/$uid line 1"
ab_byport 89
attacked 89 capget-fake
has_line "a capget that lies: the helper fails, and says so" err \
	"failed uid=$uid pid=[0-9]+ tcp 0\\.0\\.0\\.0:89: the helper failed: the capabilities held are not the ones set: Operation not permitted"

ab_log "the IPv4 half in use, for a v6-only bind of :: whose IPv4 half nothing grants"
printf '::,88\n' | ab_byuid
"$AB_BIN/bindprobe" -h 60 0.0.0.0 88 >"$AB_WORK/holder88.out" 2>&1 &
root_holder=$!
pt_bg="$pt_bg $root_holder"
tries=300
while ! grep -q '^bound' "$AB_WORK/holder88.out" && kill -0 $root_holder 2>/dev/null &&
	[ $tries -gt 0 ]; do
	sleep 0.1
	tries=$((tries - 1))
done
grep -q '^bound 0.0.0.0 88' "$AB_WORK/holder88.out" ||
	ab_fail "root's holder of tcp 0.0.0.0:88 did not bind: $(cat "$AB_WORK/holder88.out")"
ab_wait_listening tcp 88 10
logged_probe -- -V 1 :: 88
ab_expect_eq "refused with EADDRINUSE" "error EADDRINUSE" "$out"
ab_expect_eq "the user is told why and what to do" \
	"authbind: uid $uid: cannot bind tcp [::]:88: 0.0.0.0:88 is in use, and the helper must hold it while it binds [::]:88 v6-only, since nothing grants it to uid $uid (grant 'tcp 0.0.0.0,88' too, or bind when nothing holds the IPv4 half of the port)" \
	"$(cat "$AB_WORK/probe.err")"
expect_logged "the refusal is logged" warning \
	"refused uid=$uid pid=$pid tcp \\[::\\]:88 \\(v6-only\\): 0\\.0\\.0\\.0:88 is in use, and the helper must hold it while it binds \\[::\\]:88 v6-only, since nothing grants it to uid $uid \\(grant 'tcp 0\\.0\\.0\\.0,88' too, or bind when nothing holds the IPv4 half of the port\\)"
kill $root_holder

kill $listener
