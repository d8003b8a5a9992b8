#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One policy, every reader and both enforcers, the same answers: --list,
# --explain, the helper and kernel mode (authbindd, where it is built) give
# the same answer for every listed and unlisted bind, on many generated
# trees (differential.py).  In this network namespace every port up to
# 9999 is privileged, so that every bind the generator makes is judged.
#
# AB_DIFF_TREES=N asks about more trees, AB_DIFF_SEED=N repeats a run.
. "${AB_SRCDIR:-.}/tests/kernel/kharness.sh"

# Kernel mode takes part where this tree built it and the kernel can run
# it; the rest of the test runs either way.
kernel=no
if [ -x "$AB_BUILDDIR/authbindd" ] && [ -e /sys/kernel/btf/vmlinux ]; then
	[ -x "$AB_AUTHBINDD" ] && cmp -s "$AB_AUTHBINDD" "$AB_BUILDDIR/authbindd" ||
		ab_skip "$AB_AUTHBINDD is not the authbindd this tree built: run 'make install'"
	kernel=yes
	ab_k_setup "$@"
else
	echo "kernel mode is not built or cannot run here: the helper and the wrapper only"
	ab_setup "$@"
fi

[ -x /usr/bin/python3 ] || ab_skip "python3 is not installed"
for prog in gentree bindbatch; do
	cp "$AB_BUILDDIR/tests/integration/$prog" "$AB_BIN/" || ab_fail "cannot copy $prog"
done
chmod 755 "$AB_BIN"/*

# The users and groups the generated trees name, in this namespace only.
cat >"$AB_WORK/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
alice:x:41000:41000::/:/bin/sh
bob:x:41001:41501::/:/bin/sh
EOF
cat >"$AB_WORK/group" <<EOF
root:x:0:
alice:x:41000:
web:x:41500:alice
dns:x:41501:
EOF
chmod 644 "$AB_WORK/passwd" "$AB_WORK/group"
mount --bind "$AB_WORK/passwd" /etc/passwd || ab_fail "cannot mount a private /etc/passwd"
mount --bind "$AB_WORK/group" /etc/group || ab_fail "cannot mount a private /etc/group"
sysctl -q -w net.ipv4.ip_unprivileged_port_start=10000 ||
	ab_fail "cannot make every port privileged in the test's namespace"

kernel_args=
if [ "$kernel" = yes ]; then
	ab_k_start_daemon
	kernel_args="--kernel $AB_CG --daemon-log $AB_DLOG --daemon-pid $AB_DPID"
fi

# The policy cases of the unit suite, for the same questions.
cases_args=
if [ -x "$AB_BUILDDIR/tests/unit/check_policy" ]; then
	mkdir "$AB_WORK/cases"
	AB_EXPORT_CASES=$AB_WORK/cases "$AB_BUILDDIR/tests/unit/check_policy" ||
		ab_fail "cannot export the unit suite's policy cases"
	cases_args="--cases $AB_WORK/cases"
else
	echo "the unit tests are not built (no Check): generated trees only"
fi

AB_PASSWD_FILE=$AB_WORK/passwd AB_GROUP_FILE=$AB_WORK/group
export AB_POLICY AB_BIN AB_WRAPPER AB_PASSWD_FILE AB_GROUP_FILE
# shellcheck disable=SC2086  # the options are words
/usr/bin/python3 "$AB_SRCDIR/tests/integration/differential.py" \
	$cases_args --trees "${AB_DIFF_TREES:-25}" ${AB_DIFF_SEED:+--seed "$AB_DIFF_SEED"} \
	$kernel_args ||
	ab_fail "the readings of the policy disagree (above)"
