#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bindstress: 8 threads x 40 privileged binds at once, granted by one byuid
# range, while another thread forks and execs /bin/true over and over and
# the process reaps its children in each of three ways: SIGCHLD ignored, a
# reaper thread in waitpid(-1), a SIGCHLD handler looping waitpid(-1,
# WNOHANG).  Every bind must succeed and be real, no fd may leak, the
# SIGCHLD disposition and signal masks must be unchanged, and the
# program's reaper must see only its own children, and all of them.
# When Debian's authbind is installed, the same runs go through it too and
# the number of false failures is printed, not judged.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"

[ -x "$AB_BIN/bindstress" ] || ab_skip "tests/integration/bindstress is not built"
THREADS=8
BINDS=40
FIRST=100
LAST=$((FIRST + THREADS * BINDS - 1))
MODES="ignore reaper handler"
printf '# all the ports bindstress uses, and no more\n127.0.0.1,%s-%s\n' \
	"$FIRST" "$LAST" | ab_byuid

stress() {  # MODE [WRAPPER]: runs bindstress as the test user, bounded
	ab_as_user timeout 120 "${2:-$AB_WRAPPER}" "$AB_BIN/bindstress" -m "$1" \
		-t "$THREADS" -n "$BINDS" -a 127.0.0.1 -p "$FIRST" 2>"$AB_WORK/stress.err"
}

for mode in $MODES; do
	ab_log "mode $mode"
	rc=0
	out=$(stress "$mode") || rc=$?
	echo "$out"
	cat "$AB_WORK/stress.err"
	[ $rc = 0 ] || ab_fail "bindstress -m $mode exited $rc: $out"
	ab_expect_match "mode $mode: all $((THREADS * BINDS)) binds succeeded and were real" \
		"^mode $mode: $((THREADS * BINDS)) binds, 0 failed; 0 unverified;" "$out"
	ab_expect_eq "mode $mode: no denial line" "" "$(cat "$AB_WORK/stress.err")"
done

ab_log "one port past the grant is refused"
ab_expect_eq "port $((LAST + 1)) has no rule" "error EACCES" "$(ab_probe 127.0.0.1 $((LAST + 1)))"

# Debian's authbind reads /etc/authbind itself; only when that is the
# policy directory this build uses is it our private tree, never the host's.
DEBIAN=/usr/bin/authbind
if [ -x "$DEBIAN" ] && [ "$AB_POLICY_DIR" = /etc/authbind ] &&
	[ -u /usr/lib/authbind/helper ]; then
	for mode in $MODES; do
		out=$(stress "$mode" "$DEBIAN") || :
		echo "Debian authbind, for comparison (not judged): $out"
	done
else
	echo "(Debian's authbind is not installed here, or the policy directory is not /etc/authbind: no comparison)"
fi
