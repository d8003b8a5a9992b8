# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by every integration test.  Each test re-runs itself as root
# inside private mount and network namespaces, with a private policy tree
# mounted over the configured policy directory, and runs the servers and
# probes as an unprivileged uid against the installed setuid helper.
#
# From the Makefile (AM_TESTS_ENVIRONMENT):
#   AB_POLICY_DIR  the configured policy directory
#   AB_HELPER AB_LIB AB_WRAPPER   the installed helper, library, wrapper
#   AB_BUILDDIR AB_SRCDIR         the build and source trees
# A test skips (77) when it cannot run here (not root, nothing installed,
# the installed files are not this build's); with AB_REQUIRE_INTEGRATION=1,
# as CI sets it, that is a failure instead.

AB_TEST_UID=41000      # the user the tests grant and run as; no passwd entry
AB_TEST_GID=41000
AB_OTHER_UID=41001     # a user no rule names
AB_GROUP_GID=41500     # a supplementary group of AB_TEST_UID where asked

ab_fail() {
	echo "FAIL: $*" >&2
	exit 1
}

ab_skip() {
	if [ "${AB_REQUIRE_INTEGRATION:-0}" = 1 ]; then
		echo "FAIL: integration test required but cannot run: $*" >&2
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

ab_log() {
	echo "== $*"
}

# The installed files must be the ones this tree built, or the test would
# prove nothing about this code.
ab_check_installed() {
	[ "$(id -u)" = 0 ] || ab_skip "integration tests need root (they use namespaces and setpriv)"
	for tool in unshare setpriv ip ss; do
		command -v "$tool" >/dev/null 2>&1 || ab_skip "$tool is not installed"
	done
	[ -e "$AB_HELPER" ] || ab_skip "$AB_HELPER is not installed: run 'make install' first"
	cmp -s "$AB_HELPER" "$AB_BUILDDIR/authbind-helper" ||
		ab_skip "$AB_HELPER is not the helper this tree built: run 'make install'"
	cmp -s "$AB_LIB" "$AB_BUILDDIR/.libs/libauthbind.so" ||
		ab_skip "$AB_LIB is not the library this tree built: run 'make install'"
	cmp -s "$AB_WRAPPER" "$AB_BUILDDIR/authbind" ||
		ab_skip "$AB_WRAPPER is not the wrapper this tree built: run 'make install'"
	[ -u "$AB_HELPER" ] && [ "$(stat -c %u "$AB_HELPER")" = 0 ] ||
		ab_fail "$AB_HELPER is installed but not setuid root"
	[ -d "$AB_POLICY_DIR" ] || ab_skip "$AB_POLICY_DIR does not exist: run 'make install'"
}

# Re-runs the calling test inside fresh mount, network and PID namespaces;
# returns only there.
ab_setup() {
	if [ "${AB_IN_NS:-}" != 1 ]; then
		ab_check_installed
		# A PID namespace too: the test's shell is its init, so every
		# process the test started dies with it, whatever went wrong.
		AB_IN_NS=1 exec unshare --mount --net --pid --fork --kill-child \
			--mount-proc --propagation private "${SHELL:-/bin/sh}" "$0" "$@"
	fi
	[ "$$" = 1 ] || ab_fail "not in the test's own PID namespace (is AB_IN_NS set by hand?)"
	ip link set lo up || ab_fail "cannot bring up lo"
	AB_WORK=$(mktemp -d /tmp/authbind-test.XXXXXX) || ab_fail "mktemp"
	chmod 755 "$AB_WORK"
	trap ab_cleanup EXIT
	trap 'exit 1' INT TERM
	AB_POLICY=$AB_WORK/policy
	mkdir -p "$AB_POLICY/byport" "$AB_POLICY/byaddr" "$AB_POLICY/byuid"
	chmod 755 "$AB_POLICY" "$AB_POLICY"/*
	mount --bind "$AB_POLICY" "$AB_POLICY_DIR" || ab_fail "cannot mount the policy tree"
	# Programs the test user runs must be reachable by it.
	AB_BIN=$AB_WORK/bin
	mkdir -p "$AB_BIN"
	for prog in bindprobe bindstress; do
		if [ -x "$AB_BUILDDIR/tests/integration/$prog" ]; then
			cp "$AB_BUILDDIR/tests/integration/$prog" "$AB_BIN/"
		fi
	done
	chmod -R a+rX "$AB_BIN"
}

ab_cleanup() {
	status=$?
	# We are the PID namespace's init: kill(-1) reaches every other process
	# of the test (servers, holders, probes), so none outlives it or keeps
	# a file of the work directory open.
	[ "$$" != 1 ] || kill -KILL -1 2>/dev/null
	rm -rf "$AB_WORK"
	exit $status
}

# ab_as_user [--uid U] [--groups G,G] CMD...: runs CMD as the test user
# with a clean environment.
ab_as_user() {
	uid=$AB_TEST_UID
	groups=--clear-groups
	while :; do
		case $1 in
		--uid) uid=$2; shift 2 ;;
		--groups) groups="--groups=$2"; shift 2 ;;
		*) break ;;
		esac
	done
	setpriv --reuid="$uid" --regid="$AB_TEST_GID" $groups -- \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$AB_WORK" \
		${AB_EXTRA_ENV:-} "$@"
}

# ab_authbind [--uid U] [--groups G] [AUTHBIND-OPTIONS] CMD...
ab_authbind() {
	pre=
	while :; do
		case $1 in
		--uid|--groups) pre="$pre $1 $2"; shift 2 ;;
		*) break ;;
		esac
	done
	ab_as_user $pre "$AB_WRAPPER" "$@"
}

# Policy files, owned by root as an administrator makes them.
ab_byport() {  # PORT [MODE] [OWNER]
	f=$AB_POLICY/byport/$1
	: >"$f"
	chmod "${2:-755}" "$f"
	[ -z "${3:-}" ] || chown "$3" "$f"
}

ab_byaddr() {  # NAME [MODE] [OWNER]
	f=$AB_POLICY/byaddr/$1
	: >"$f"
	chmod "${2:-755}" "$f"
	[ -z "${3:-}" ] || chown "$3" "$f"
}

ab_byuid() {  # [UID] < lines
	f=$AB_POLICY/byuid/${1:-$AB_TEST_UID}
	cat >"$f"
	chmod 644 "$f"
}

ab_clear_policy() {
	rm -f "$AB_POLICY"/byport/* "$AB_POLICY"/byaddr/* "$AB_POLICY"/byuid/*
}

# ab_port_bound tcp|udp PORT: true when any socket is bound to the port.
# `ss` cannot see a TCP socket that is bound but not listening, so ask the
# kernel instead: as root, without the shim, bind a dual-stack :: socket
# (which conflicts with every IPv4 and IPv6 binding of the port), for TCP
# with SO_REUSEADDR so that TIME-WAIT leftovers of finished connections do
# not count.
ab_port_bound() {
	if [ "$1" = udp ]; then proto=-u; else proto=-r; fi
	out=$("$AB_BIN/bindprobe" $proto -V 0 :: "$2")
	case $out in
	"bound "*) return 1 ;;
	"error EADDRINUSE") return 0 ;;
	*) ab_fail "cannot tell whether $1 port $2 is bound: $out" ;;
	esac
}

# ab_wait_listening tcp|udp PORT [SECONDS]: waits until something is
# bound to the port; fails after the timeout (default 60 s: a JVM is slow).
ab_wait_listening() {
	tries=$(( ${3:-60} * 10 ))
	while [ $tries -gt 0 ]; do
		ab_port_bound "$1" "$2" && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	ab_fail "nothing bound to $1 port $2 in time"
}

# ab_expect_eq WHAT EXPECTED ACTUAL
ab_expect_eq() {
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		ab_fail "$1: expected '$2', got '$3'"
	fi
}

# ab_expect_match WHAT PATTERN TEXT (grep -E)
ab_expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		echo "ok: $1"
	else
		ab_fail "$1: expected /$2/ in: $3"
	fi
}

# ab_probe ARGS...: runs bindprobe under authbind as the test user and
# prints its first line ("bound ..." or "error E...").  The probe itself
# fails the test (exit 2) when the socket is left in a state that does not
# match what bind said.
ab_probe() {
	out=$(ab_authbind "$AB_BIN/bindprobe" "$@" 2>"$AB_WORK/probe.err")
	rc=$?
	[ $rc -le 1 ] || ab_fail "bindprobe $*: $out $(cat "$AB_WORK/probe.err")"
	printf '%s\n' "$out" | head -n 1
}

# The line the shim wrote to stderr in the last ab_probe.
ab_probe_stderr() {
	cat "$AB_WORK/probe.err"
}
