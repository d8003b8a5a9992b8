#!/bin/sh
# --list, --explain and the helper give the same answer for every listed
# and unlisted bind, on many generated trees (differential.py).  In this
# network namespace every port up to 9999 is privileged, so that every
# bind the generator makes goes through the helper.
#
# AB_DIFF_TREES=N asks about more trees, AB_DIFF_SEED=N repeats a run.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"

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

export AB_POLICY AB_BIN AB_WRAPPER
/usr/bin/python3 "$AB_SRCDIR/tests/integration/differential.py" \
	--trees "${AB_DIFF_TREES:-25}" ${AB_DIFF_SEED:+--seed "$AB_DIFF_SEED"} ||
	ab_fail "the readings of the policy disagree (above)"
