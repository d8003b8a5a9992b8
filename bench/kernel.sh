#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel mode's benchmark ('make bench-kernel', also run by 'make bench'):
# what a privileged bind costs when authbindd's programs grant it, against
# a native bind by root, at 1 and 8 threads, for policies of 1, 100 and
# 10,000 rules; and what the hook adds to an unprivileged bind.  Same
# conventions as bench/run.sh (private namespaces, the test user), with a
# cgroup of its own as the kernel-mode tests: the installed authbindd on
# a policy tree of the size asked.  Prints medians and ratios.
#
# Knobs: BENCH_N (binds per thread and case, default 2000), BENCH_NICE.
. "${AB_SRCDIR:-.}/tests/kernel/kharness.sh"
ab_k_require authbindd
[ -x "$AB_BUILDDIR/bench/kbench" ] || ab_fail "bench/kbench is not built: run 'make bench-kernel'"
ab_k_setup "$@"
cp "$AB_BUILDDIR/bench/kbench" "$AB_BIN/" && chmod a+rx "$AB_BIN/kbench"
renice -n "${BENCH_NICE:--15}" -p $$ >/dev/null || ab_fail "cannot renice the bench"

N=${BENCH_N:-2000}
u=$AB_TEST_UID
PRIV=200-263
UNPRIV=20000-20063
RESULTS=$AB_WORK/results
: >"$RESULTS"

# policy N: a tree of N rule lines, among them the one the bench binds by
# (tcp *,200-263 for the test user); the others are single addresses, a
# quarter of them the test user's, the rest spread over 100 other users.
policy() {
	ab_clear_policy
	rm -f "$AB_POLICY"/byuid/*
	{
		echo "tcp *,200-263"
		i=2
		while [ $i -le "$1" ]; do
			[ $((i % 4)) != 0 ] || echo "tcp 10.1.$((i / 250)).$((i % 250)),300"
			i=$((i + 1))
		done
	} | ab_byuid
	i=2
	while [ $i -le "$1" ]; do
		[ $((i % 4)) = 0 ] ||
			echo "tcp 10.2.$((i / 250)).$((i % 250)),$((1 + i % 1000))" >>"$AB_POLICY/byuid/$((50000 + i % 100))"
		i=$((i + 1))
	done
	chmod 644 "$AB_POLICY"/byuid/*
}

bench() {  # LABEL WHO IN_CGROUP ARGS...
	label=$1 who=$2 where=$3
	shift 3
	if [ "$who" = root ]; then
		set -- "$AB_BIN/kbench" "$label" "$@"
	else
		set -- setpriv --reuid=$u --regid=$u --clear-groups "$AB_BIN/kbench" "$label" "$@"
	fi
	if [ "$where" = in ]; then
		out=$(ab_k_in_cgroup "$@") || ab_fail "$label: $out"
	else
		out=$("$@") || ab_fail "$label: $out"
	fi
	echo "$out" | tee -a "$RESULTS"
}

for size in 1 100 10000; do
	policy $size
	ab_k_start_daemon
	grep 'policy generation' "$AB_DLOG" | sed 's/^/  /' 
	for threads in 1 8; do
		for fam in 4 6; do
			bench "native-root/tcp$fam/${threads}t/$size" root out tcp $fam $PRIV $N $threads
			bench "kernel-mode/tcp$fam/${threads}t/$size" user in tcp $fam $PRIV $N $threads
			bench "hook-root/tcp$fam/${threads}t/$size" root in tcp $fam $PRIV $N $threads
		done
	done
	bench "unpriv-no-hook/tcp4/1t/$size" user out tcp 4 $UNPRIV $N 1
	bench "unpriv-hook/tcp4/1t/$size" user in tcp 4 $UNPRIV $N 1
	ab_k_stop_daemon
done

echo
echo "ratios (kernel mode / native bind by root, same run; target <= 1.5):"
awk '{ split($1, p, "/"); key = p[2] "/" p[3] "/" p[4]; med[p[1] "," key] = $2; keys[key] = 1 }
END {
	for (k in keys) if (med["native-root," k] > 0)
		printf "  %-18s %6.0f ns / %6.0f ns = %.2f\n", k, med["kernel-mode," k],
			med["native-root," k], med["kernel-mode," k] / med["native-root," k]
	for (k in keys) if (med["unpriv-no-hook," k] > 0)
		printf "  unprivileged %-10s %6.0f ns with the hook / %6.0f ns without = %.2f\n", k,
			med["unpriv-hook," k], med["unpriv-no-hook," k],
			med["unpriv-hook," k] / med["unpriv-no-hook," k]
}' "$RESULTS" | sort
