# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by every kernel-mode test, after tests/integration/harness.sh's
# conventions: the test re-runs itself as root in private mount, network
# and PID namespaces (ab_setup), and binds as uid 41000.  On top of that it
# makes a cgroup of its own under the cgroup v2 root, attaches authbindd (or
# the mechanics driver ktable) there and nowhere else, and starts the
# programs that bind inside it: sockets are judged by the cgroup they are
# created in.  The cgroup is removed when the test ends.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"

ab_k_require() {
	[ "$(id -u)" = 0 ] || ab_skip "kernel-mode tests need root"
	[ -d /sys/kernel/btf ] && [ -e /sys/kernel/btf/vmlinux ] ||
		ab_skip "the kernel has no BTF (/sys/kernel/btf/vmlinux)"
	for prog in "$@"; do
		case $prog in
		ktable|v6race|kactive|kdeny)
			[ -x "$AB_BUILDDIR/tests/kernel/$prog" ] ||
				ab_skip "kernel mode is not built (configure says why)" ;;
		authbindd)
			[ -x "$AB_BUILDDIR/authbindd" ] ||
				ab_skip "authbindd is not built (configure says why)"
			[ -x "$AB_AUTHBINDD" ] ||
				ab_skip "$AB_AUTHBINDD is not installed: run 'make install' first"
			cmp -s "$AB_AUTHBINDD" "$AB_BUILDDIR/authbindd" ||
				ab_skip "$AB_AUTHBINDD is not the authbindd this tree built: run 'make install'" ;;
		esac
	done
}

# The cgroup v2 root, from mountinfo (pure v2 or hybrid).
ab_k_cgroup_root() {
	awk '$0 ~ / - cgroup2 / && $4 == "/" { print $5; exit }' /proc/self/mountinfo
}

ab_k_setup() {
	ab_setup "$@"
	root=$(ab_k_cgroup_root)
	[ -n "$root" ] || ab_skip "no cgroup v2 hierarchy is mounted"
	AB_CG=$root/authbind-test-${AB_WORK##*.}
	mkdir "$AB_CG" || ab_skip "cannot create a cgroup under $root"
	trap ab_k_cleanup EXIT
	AB_STATE=$AB_WORK/state
	mkdir -p "$AB_STATE"
	for prog in ktable v6race kactive kdeny; do
		[ ! -x "$AB_BUILDDIR/tests/kernel/$prog" ] || cp "$AB_BUILDDIR/tests/kernel/$prog" "$AB_BIN/"
	done
	chmod -R a+rX "$AB_BIN"
}

ab_k_cleanup() {
	status=$?
	if [ $status != 0 ] && [ -s "${AB_DLOG:-}" ]; then
		echo "--- the last lines of authbindd's log:"
		tail -n 15 "$AB_DLOG"
	fi
	[ "$$" != 1 ] || kill -KILL -1 2>/dev/null
	# Killed processes leave the cgroup as they are reaped.
	tries=50
	while [ -n "${AB_CG:-}" ] && [ -d "$AB_CG" ] && ! rmdir "$AB_CG" 2>/dev/null &&
		[ $tries -gt 0 ]; do
		wait 2>/dev/null
		sleep 0.1
		tries=$((tries - 1))
	done
	[ -z "${AB_CG:-}" ] || [ ! -d "$AB_CG" ] || echo "warning: could not remove $AB_CG" >&2
	rm -rf "$AB_WORK"
	exit $status
}

# ab_k_in_cgroup CMD...: runs CMD inside the test cgroup.
ab_k_in_cgroup() {
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$AB_CG" "$@"
}

# ab_k_as_user [--uid U] [--groups G,G] CMD...: as the test user, inside
# the test cgroup, without the authbind prefix.
ab_k_as_user() {
	uid=$AB_TEST_UID
	groups=--clear-groups
	nnp=
	while :; do
		case $1 in
		--uid) uid=$2; shift 2 ;;
		--groups) groups="--groups=$2"; shift 2 ;;
		--nnp) nnp=--no-new-privs; shift ;;
		*) break ;;
		esac
	done
	ab_k_in_cgroup setpriv --reuid="$uid" --regid="$AB_TEST_GID" $groups $nnp -- \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$AB_WORK" \
		${AB_EXTRA_ENV:-} "$@"
}

# ab_k_probe ARGS...: bindprobe as the test user in the cgroup, no prefix;
# prints its first line.
ab_k_probe() {
	pre=
	while :; do
		case $1 in
		--uid|--groups) pre="$pre $1 $2"; shift 2 ;;
		--nnp) pre="$pre $1"; shift ;;
		*) break ;;
		esac
	done
	out=$(ab_k_as_user $pre "$AB_BIN/bindprobe" "$@" 2>"$AB_WORK/probe.err")
	rc=$?
	[ $rc -le 1 ] || ab_fail "bindprobe $*: $out $(cat "$AB_WORK/probe.err")"
	printf '%s\n' "$out" | head -n 1
}

# ab_k_expect WHAT EXPECTED ARGS...: one probe, its first line compared.
ab_k_expect() {
	what=$1 want=$2
	shift 2
	ab_expect_eq "$what" "$want" "$(ab_k_probe "$@")"
}

# ab_k_wait_line FILE PATTERN [SECONDS]: waits for a line in FILE.
ab_k_wait_line() {
	tries=$(( ${3:-10} * 20 ))
	while [ $tries -gt 0 ]; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	ab_fail "no line /$2/ in $1 in time: $(tail -n 5 "$1" 2>/dev/null)"
}

# ab_k_start_ktable TABLE: the mechanics driver on the test cgroup.
ab_k_start_ktable() {
	AB_KLOG=$AB_WORK/ktable.log
	: >"$AB_KLOG"
	"$AB_BIN/ktable" "$AB_CG" "$1" >>"$AB_KLOG" 2>&1 &
	AB_KPID=$!
	ab_k_wait_line "$AB_KLOG" '^ready '
}

# ab_k_start_daemon [OPTIONS]: the installed authbindd on the test cgroup,
# logging to $AB_DLOG too.
ab_k_start_daemon() {
	AB_DLOG=$AB_WORK/authbindd.log
	: >"$AB_DLOG"
	"$AB_AUTHBINDD" --cgroup "$AB_CG" --state-dir "$AB_STATE" --stderr "$@" \
		>>"$AB_DLOG" 2>&1 &
	AB_DPID=$!
	ab_k_wait_line "$AB_DLOG" 'kernel mode in force for'
}

ab_k_stop_daemon() {
	kill -TERM "$AB_DPID" 2>/dev/null
	wait "$AB_DPID" 2>/dev/null
	AB_DPID=
}

# ab_k_reloaded: waits for the next generation after the current count.
ab_k_generations() {
	grep -c 'policy generation .* in force' "$AB_DLOG"
}
ab_k_wait_generation() {  # N: waits until N generations were in force
	tries=60
	while [ "$(ab_k_generations)" -lt "$1" ] && [ $tries -gt 0 ]; do
		sleep 0.05
		tries=$((tries - 1))
	done
	[ "$(ab_k_generations)" -ge "$1" ] || ab_fail "generation $1 never came: $(tail -n 3 "$AB_DLOG")"
}

# ab_k_settle: waits until authbindd has taken in every change made so far
# (no new generation for 0.6 s, longer than its debounce).
ab_k_settle() {
	tries=20
	while [ $tries -gt 0 ]; do
		n=$(ab_k_generations)
		sleep 0.6
		[ "$(ab_k_generations)" != "$n" ] || return 0
		tries=$((tries - 1))
	done
	ab_fail "authbindd keeps reloading"
}

# ab_k_expect_soon WHAT EXPECTED ARGS...: like ab_k_expect, but the answer
# may take up to a second to come (a reload).
ab_k_expect_soon() {
	what=$1 want=$2
	shift 2
	tries=30
	while [ $tries -gt 0 ]; do
		got=$(ab_k_probe "$@")
		[ "$got" != "$want" ] || break
		sleep 0.05
		tries=$((tries - 1))
	done
	ab_expect_eq "$what" "$want" "$got"
}
