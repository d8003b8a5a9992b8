#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# When the helper cannot become root, the application still gets EACCES
# and an unbound socket, but the line on stderr says why the helper could
# not act (NoNewPrivileges, a nosuid mount, not setuid root, traced, not
# there at all) instead of blaming the policy.  Every case has a grant in
# place, so a policy refusal could not explain the failure.  The helper is
# replaced or remounted only inside this test's mount namespace.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "${AB_SRCDIR:-.}/tests/integration/policy-common.sh"

helper_dir=${AB_HELPER%/*}

# cannot WHAT REASON-ERE [PREFIX-COMMAND...] -- BINDPROBE-ARGS...: the
# probe, run as the test user under PREFIX-COMMAND, fails with EACCES, the
# shim's one line says "cannot bind" for this reason, and the port stays
# unbound.
cannot() {
	what=$1
	reason=$2
	shift 2
	set -- "$@" END
	prefix=
	while [ "$1" != -- ]; do
		prefix="$prefix $1"
		shift
	done
	shift
	args=
	while [ "$1" != END ]; do
		args="$args $1"
		shift
	done
	pt_parse $args
	out=$(ab_as_user $prefix "$AB_WRAPPER" "$AB_BIN/bindprobe" $args 2>"$AB_WORK/probe.err")
	rc=$?
	[ $rc -le 1 ] || ab_fail "$what: bindprobe exit $rc: $out $(ab_probe_stderr)"
	ab_expect_eq "$what: EACCES" "error EACCES" "$out"
	# The wrapper's own warnings (NoNewPrivileges, a helper that is not
	# setuid) come first; the shim's line is the one left.
	err=$(ab_probe_stderr | grep -v '^authbind: warning: ')
	[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || ab_fail "$what: expected one line: $err"
	ab_expect_match "$what: the shim says why" \
		"^authbind: uid $AB_TEST_UID: cannot bind $pt_proto $(pt_re "$pt_shown"):$pt_port: $reason" "$err"
	if printf '%s\n' "$err" | grep -Eq 'may not bind|refused by'; then
		ab_fail "$what: the message blames the policy: $err"
	fi
	! ab_port_bound "$pt_proto" "$pt_port" || ab_fail "$what: port $pt_port is bound"
}

ab_byport 80
pt_granted "the control: byport/80 grants" 0.0.0.0 80

ab_log "NoNewPrivileges"
nnp='the helper is not running as root: NoNewPrivileges is set for this process'
cannot "NoNewPrivileges: tcp" "$nnp" setpriv --no-new-privs -- 0.0.0.0 80
cannot "NoNewPrivileges: udp [::]" "$nnp" setpriv --no-new-privs -- -u -V 1 :: 80

ab_log "a helper that is not setuid root"
cp "$AB_HELPER" "$AB_WORK/helper-copy" || ab_fail "cannot copy the helper"
chmod 755 "$AB_WORK/helper-copy"
mount --bind "$AB_WORK/helper-copy" "$AB_HELPER" || ab_fail "cannot mount over the helper"
[ -u "$AB_HELPER" ] && ab_fail "the copy over the helper is still setuid"
notsuid='the helper is not running as root: it is not installed setuid root'
cannot "helper mode 755: tcp" "$notsuid" -- 0.0.0.0 80
cannot "helper mode 755: udp" "$notsuid" -- -u 127.0.0.1 80
chown $AB_TEST_UID "$AB_WORK/helper-copy"
chmod 4755 "$AB_WORK/helper-copy"
cannot "helper setuid, but to the user" "$notsuid" -- 0.0.0.0 80
chmod 644 "$AB_WORK/helper-copy"
cannot "helper not executable" \
	"cannot run the helper $(pt_re "$AB_HELPER"): Permission denied" -- 0.0.0.0 80
umount "$AB_HELPER" || ab_fail "cannot unmount the helper copy"
pt_granted "the real helper back: granted" 0.0.0.0 80

ab_log "a helper on a nosuid mount"
mount --bind "$helper_dir" "$helper_dir" &&
	mount -o remount,bind,nosuid "$helper_dir" || ab_fail "cannot remount $helper_dir nosuid"
cannot "nosuid: tcp" 'the helper is not running as root: it lies on a nosuid mount' -- 0.0.0.0 80
cannot "nosuid: udp" 'the helper is not running as root: it lies on a nosuid mount' -- -u ::1 80
umount "$helper_dir" || ab_fail "cannot unmount $helper_dir"
pt_granted "suid allowed again: granted" -u ::1 80

ab_log "no helper at all"
mount -t tmpfs -o mode=755 tmpfs "$helper_dir" || ab_fail "cannot hide $helper_dir"
cannot "the helper missing" \
	"cannot run the helper $(pt_re "$AB_HELPER"): No such file or directory" -- 0.0.0.0 80
umount "$helper_dir" || ab_fail "cannot unmount the tmpfs"
pt_granted "the helper back: granted" 0.0.0.0 80

ab_log "a traced process"
if command -v strace >/dev/null 2>&1; then
	# Traced by its own user, the helper's exec does not make it root.
	cannot "traced by strace as the user" \
		'the helper is not running as root: the process is being traced' \
		strace -f -o /dev/null -- 0.0.0.0 80
else
	echo "skip: strace is not installed; the traced case is not tested"
fi
