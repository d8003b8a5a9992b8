#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The benchmark behind 'make bench' (see bench/README): per-bind latency of
# this tool, of Debian's authbind and of the kernel alone, as the test user
# in private mount and network namespaces like the integration tests, then
# the helper alone under callgrind; prints a table and the ratios the
# project aims at.  Not a test: it reports, and fails only when a case
# cannot run at all (a bind that fails ends the run).
#
# Knobs (environment): BENCH_ROUNDS (default 5) rounds; every round runs
# each process shape once, in an order that turns from round to round, so
# that noise from the rest of the machine falls on every case alike
# (BENCH_ROUNDS=0 measures the helper alone).  BENCH_NICE (default -15)
# is the nice value everything runs at, both tools alike, so that other
# load on the machine disturbs less.  BENCH_KEEP=DIR keeps the raw
# samples, the statistics and the callgrind profiles in DIR.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"

ROUNDS=${BENCH_ROUNDS:-5}
renice -n "${BENCH_NICE:--15}" -p $$ >/dev/null || ab_fail "cannot renice the bench"
DEBIAN=/usr/bin/authbind
PRIV_PORTS=200-263        # granted below, to both tools (below 512: byport/PORT)
UNPRIV_PORTS=20000-20063  # above ip_unprivileged_port_start
# Samples per round and per case.
N_OURS=${BENCH_N_OURS:-150}    # privileged binds through this tool
N_DEB=${BENCH_N_DEB:-150}      # through Debian's authbind (small: in 3 runs)
N_DEB_BIG=${BENCH_N_DEB_BIG:-6} # through Debian's, 2 GiB process (~0.1 s each)
N_NATIVE=2000                  # native binds as root
N_UNPRIV=4000                  # unprivileged port, with and without the shim
N_SPAWN=100                    # exec+exit floors
N_BROKER=1000                  # round trips to a running process
BIG_MIB=2048
THREADS=64

[ -x "$DEBIAN" ] || ab_skip "Debian's authbind ($DEBIAN) is not installed"
for prog in bindbench helperdrive trivial-static trivial-dynamic; do
	[ -x "$AB_BUILDDIR/bench/$prog" ] || ab_fail "bench/$prog is not built: run 'make bench'"
	cp "$AB_BUILDDIR/bench/$prog" "$AB_BIN/" || ab_fail "cannot copy $prog"
done
# A setuid-root copy of the dynamic "return 0": what exec costs a
# dynamically linked setuid program (as Debian's helper is) before it
# does anything.
cp "$AB_BIN/trivial-dynamic" "$AB_BIN/trivial-setuid" &&
	chown root:root "$AB_BIN/trivial-setuid" && chmod 4755 "$AB_BIN/trivial-setuid" ||
	ab_fail "cannot make the setuid copy"
chmod -R a+rX "$AB_BIN"
BB=$AB_BIN/bindbench

lo=${PRIV_PORTS%-*}
hi=${PRIV_PORTS#*-}
port=$lo
while [ "$port" -le "$hi" ]; do
	ab_byport "$port"
	port=$((port + 1))
done

SAMPLES=$AB_WORK/samples
: >"$SAMPLES"

# run ID CMD...: runs one bindbench process; its samples go to $SAMPLES
# with the batch (process and internal round) made unique by ID.
run() {
	id=$1
	shift
	"$@" >"$AB_WORK/run.out" 2>"$AB_WORK/run.err" ||
		ab_fail "$id: $* failed: $(cat "$AB_WORK/run.err")"
	awk -v id="$id" '{ print $1, id "." $2, $3 }' "$AB_WORK/run.out" >>"$SAMPLES"
}

# The four privileged cases of one tool and one process shape.
priv_cases() {  # LABEL-PREFIX N
	for combo in tcp:4 tcp:6 udp:4 udp:6; do
		p=${combo%:*}
		f=${combo#*:}
		printf 'bind:%s/%s%s:%s:%s:%s:%s\n' "$1" "$p" "$f" "$p" "$f" "$PRIV_PORTS" "$2"
	done
}

case_native() {
	run "native$1" "$BB" --rounds 2 $(priv_cases native/root "$N_NATIVE")
}
case_plain() {
	run "plain$1" ab_as_user "$BB" --rounds 2 \
		"spawn:floor/exec-static:$AB_BIN/trivial-static:0:$N_SPAWN" \
		"spawn:floor/exec-dynamic:$AB_BIN/trivial-dynamic:0:$N_SPAWN" \
		"spawn:floor/exec-setuid-dynamic:$AB_BIN/trivial-setuid:0:$N_SPAWN" \
		"spawn:floor/exec-helper-no-request:$AB_HELPER:1:$N_SPAWN" \
		"fork:floor/fork-exec-dynamic:$AB_BIN/trivial-dynamic:0:$N_SPAWN" \
		"broker:floor/broker-round-trip/tcp4:tcp:4:$UNPRIV_PORTS:$N_BROKER"
}
# The small-process cases, the headline ratio, run three times a round
# with a third of the binds each, next to each other, so that both tools
# see the same moments of the machine.
case_ours() {
	run "ours$1.$2" ab_authbind "$BB" $(priv_cases ours/small $((N_OURS / 3)))
}
case_deb() {
	run "deb$1.$2" ab_as_user "$DEBIAN" "$BB" $(priv_cases debian/small $((N_DEB / 3)))
}
case_shim() {
	run "shim$1" ab_authbind "$BB" --rounds 2 \
		"ab:shim-unpriv-ab/tcp4:tcp:4:$UNPRIV_PORTS:$N_UNPRIV" \
		"ab:shim-unpriv-ab/udp6:udp:6:$UNPRIV_PORTS:$N_UNPRIV"
}
# The shim in one process and no shim in another: a process's binds fall
# into one of two speeds by chance (cache and page placement, with or
# without the shim), so this takes many short processes, side by side.
case_shim_procs() {
	j=1
	while [ "$j" -le 4 ]; do
		run "shimp$1.$j" ab_authbind "$BB" \
			"bind:shim-unpriv/with/tcp4:tcp:4:$UNPRIV_PORTS:$((N_UNPRIV / 4))"
		run "plainp$1.$j" ab_as_user "$BB" \
			"bind:shim-unpriv/without/tcp4:tcp:4:$UNPRIV_PORTS:$((N_UNPRIV / 4))"
		j=$((j + 1))
	done
}
case_ours_threads() {
	run "ourst$1" ab_authbind "$BB" --threads "$THREADS" --rounds 2 \
		$(priv_cases "ours/${THREADS}threads" "$N_OURS")
}
case_ours_big() {
	run "oursb$1" ab_authbind "$BB" --heap "$BIG_MIB" --rounds 2 \
		$(priv_cases ours/2GiB "$N_OURS")
}
case_deb_threads() {
	run "debt$1" ab_as_user "$DEBIAN" "$BB" --threads "$THREADS" --rounds 2 \
		$(priv_cases "debian/${THREADS}threads" "$N_DEB")
}
case_deb_big() {
	run "debb$1" ab_as_user "$DEBIAN" "$BB" --heap "$BIG_MIB" --warmup 1 --rounds 1 \
		$(priv_cases debian/2GiB "$N_DEB_BIG")
}

# One process at a time, so at most one holds 2 GiB.
CASES="native ours:1 deb:1 shim shim_procs plain ours_threads ours:2 deb:2 ours_big deb_threads ours:3 deb:3 deb_big"
start=$(date +%s)
r=1
while [ "$r" -le "$ROUNDS" ]; do
	ab_log "round $r of $ROUNDS"
	set -- $CASES
	k=1
	while [ "$k" -lt "$r" ]; do  # turn the order by one each round
		first=$1
		shift
		set -- "$@" "$first"
		k=$((k + 1))
	done
	for c in "$@"; do
		"case_${c%:*}" "$r" "${c#*:}"
	done
	r=$((r + 1))
done

# The helper alone: instructions from exec to exit under callgrind, on a
# copy without the setuid bit (valgrind will not run a setuid program).
# helperdrive starts it with the real ids of the test user and the
# effective ids of root, as the setuid bit would, and a real request on
# fd 0; so it does the whole job: checks, drop to the user, policy, bind.
VALGRIND=$(command -v valgrind.bin || command -v valgrind || true)
CG=$AB_WORK/cg
mkdir -p "$CG" && chmod 755 "$CG"
cp "$AB_HELPER" "$CG/helper-copy" && chmod 755 "$CG/helper-copy" || ab_fail "cannot copy the helper"
callgrind() {  # NAME PROTO FAMILY PROGRAM [VALGRIND-OPTION]
	if [ -z "$VALGRIND" ]; then
		echo "valgrind is not installed" >"$CG/$1.out"
		return
	fi
	# The helper writes its profile after dropping to the user: the
	# file must be the user's already.
	: >"$CG/$1.cg" && chown "$AB_TEST_UID" "$CG/$1.cg" || ab_fail "cannot make $CG/$1.cg"
	"$AB_BIN/helperdrive" --ruid "$AB_TEST_UID:$AB_TEST_GID" "$2" "$3" "$lo" -- \
		"$VALGRIND" --tool=callgrind --vgdb=no --callgrind-out-file="$CG/$1.cg" ${5:-} "$4" \
		>"$CG/$1.out" 2>"$CG/$1.err" || ab_fail "callgrind $1: $(cat "$CG/$1.err")"
	callgrind_annotate --inclusive=yes "$CG/$1.cg" >"$CG/$1.ann" 2>/dev/null ||
		ab_fail "callgrind_annotate $1"
}
for prog in "helper-tcp4 tcp 4 $CG/helper-copy" "helper-udp6 udp 6 $CG/helper-copy" \
	"trivial-dynamic tcp 4 $AB_BIN/trivial-dynamic" "trivial-static tcp 4 $AB_BIN/trivial-static"; do
	set -- $prog
	callgrind "$1" "$2" "$3" "$4"
	# The same, counting only inside main(): the program's own work.
	callgrind "$1.main" "$2" "$3" "$4" --toggle-collect=main
done
# The helper acts only when the kernel made its exec privileged (AT_SECURE),
# which a copy started by helperdrive is not: it then refuses at once
# (outcome 4), and its count would be that of a refusal, not of a bind.
helper_cg=yes
for name in helper-tcp4 helper-udp6; do
	[ -n "$VALGRIND" ] || continue
	if grep -q "outcome=4 " "$CG/$name.out"; then
		helper_cg=no
		rm -f "$CG/$name.ann" "$CG/$name.main.ann"
	else
		grep -q "outcome=1 error=0 bound=1" "$CG/$name.out" ||
			ab_fail "the helper under callgrind did not bind: $(cat "$CG/$name.out" "$CG/$name.err")"
	fi
done

# Peak memory and page faults of the real setuid helper run by the user,
# and of the trivial programs run the same way.
for prog in "$AB_HELPER" "$AB_BIN/trivial-dynamic" "$AB_BIN/trivial-static"; do
	printf '%s %s\n' "$(basename "$prog")" \
		"$("$AB_BIN/helperdrive" --as "$AB_TEST_UID:$AB_TEST_GID" tcp 4 "$lo" -- "$prog")"
done >"$AB_WORK/rss"
grep -q "^authbind-helper outcome=1 error=0 bound=1" "$AB_WORK/rss" ||
	ab_fail "the setuid helper did not bind: $(cat "$AB_WORK/rss")"
elapsed=$(($(date +%s) - start))

# Statistics: per case n, median and 90th percentile over all samples,
# and the median of the per-batch medians (a batch is one internal round
# of one process).
sort -k1,1 -k3,3n "$SAMPLES" | awk '
	function flush() { if (n) printf "%s %d %d %d\n", lab, n, v[int((n + 1) / 2)], v[int(n * 0.9 + 0.999)] }
	$1 != lab { flush(); lab = $1; n = 0 }
	{ v[++n] = $3 }
	END { flush() }' >"$AB_WORK/stats"
sort -k1,1 -k2,2 -k3,3n "$SAMPLES" | awk '
	function flush() { if (n) print lab, v[int((n + 1) / 2)] }
	$1 " " $2 != key { flush(); key = $1 " " $2; lab = $1; n = 0 }
	{ v[++n] = $3 }
	END { flush() }' | sort -k1,1 -k2,2n | awk '
	function flush() { if (n) print lab, v[int((n + 1) / 2)] }
	$1 != lab { flush(); lab = $1; n = 0 }
	{ v[++n] = $2 }
	END { flush() }' >"$AB_WORK/bstats"
sort -k1,1 -k2,2 -k3,3n "$SAMPLES" | awk '
	function flush() { if (n) print lab, v[int((n + 1) / 2)] }
	$1 " " $2 != key { flush(); key = $1 " " $2; lab = $1; n = 0 }
	{ v[++n] = $3 }
	END { flush() }' | awk '
	{ sum[$1] += $2; cnt[$1]++ }
	END { for (l in sum) print l, sum[l] / cnt[l] }' >"$AB_WORK/bmeans"
if [ -n "${BENCH_KEEP:-}" ]; then
	mkdir -p "$BENCH_KEEP" &&
		cp -r "$SAMPLES" "$AB_WORK/stats" "$AB_WORK/bstats" "$AB_WORK/rss" "$CG" "$BENCH_KEEP/" ||
		ab_fail "cannot keep the results in $BENCH_KEEP"
fi

med() { awk -v l="$1" '$1 == l { print $3 }' "$AB_WORK/stats"; }
pooled() {  # PREFIX: median of every sample of the cases whose label starts so
	awk -v p="$1" 'index($1, p) == 1 { print $3 }' "$SAMPLES" | sort -n |
		awk '{ v[++n] = $1 } END { if (n) print v[int((n + 1) / 2)] }'
}
bmean() { awk -v l="$1" '$1 == l { print $2 }' "$AB_WORK/bmeans"; }
bmed() { awk -v l="$1" '$1 == l { print $2 }' "$AB_WORK/bstats"; }
ratio() {  # A B: A/B with two decimals
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'
}
verdict() {  # VALUE OP LIMIT
	awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
		if (v == "n/a") print "(no data)";
		else if ((op == "<=" && v + 0 <= t + 0) || (op == ">=" && v + 0 >= t + 0)) print "(target " op " " t ": met)";
		else print "(target " op " " t ": MISSED)" }'
}

echo
echo "authbind-ng bench: $(nproc) CPUs, kernel $(uname -r), $ROUNDS rounds, ${elapsed}s"
linkage=dynamic
if command -v file >/dev/null 2>&1 && file -b "$AB_HELPER" | grep -q 'static'; then
	linkage=static
fi
echo "helper: $AB_HELPER ($linkage)"
echo
printf '%-40s %7s %11s %11s\n' case n "median µs" "p90 µs"
for label in \
	native/root/tcp4 native/root/tcp6 native/root/udp4 native/root/udp6 \
	ours/small/tcp4 ours/small/tcp6 ours/small/udp4 ours/small/udp6 \
	debian/small/tcp4 debian/small/tcp6 debian/small/udp4 debian/small/udp6 \
	ours/2GiB/tcp4 ours/2GiB/tcp6 ours/2GiB/udp4 ours/2GiB/udp6 \
	debian/2GiB/tcp4 debian/2GiB/tcp6 debian/2GiB/udp4 debian/2GiB/udp6 \
	"ours/${THREADS}threads/tcp4" "ours/${THREADS}threads/tcp6" \
	"ours/${THREADS}threads/udp4" "ours/${THREADS}threads/udp6" \
	"debian/${THREADS}threads/tcp4" "debian/${THREADS}threads/tcp6" \
	"debian/${THREADS}threads/udp4" "debian/${THREADS}threads/udp6" \
	shim-unpriv/with/tcp4 shim-unpriv/without/tcp4 \
	shim-unpriv-ab/tcp4/with shim-unpriv-ab/tcp4/without \
	shim-unpriv-ab/udp6/with shim-unpriv-ab/udp6/without \
	floor/exec-static floor/exec-dynamic floor/exec-setuid-dynamic \
	floor/exec-helper-no-request floor/fork-exec-dynamic \
	floor/broker-round-trip/tcp4; do
	awk -v l="$label" '$1 == l { printf "%-40s %7d %11.2f %11.2f\n", $1, $2, $3 / 1000, $4 / 1000; found = 1 }
		END { if (!found) printf "%-40s %7s\n", l, "-" }' "$AB_WORK/stats"
done

echo
echo "Ratios of medians (the shim's: of the medians of batches):"
for c in tcp4 tcp6 udp4 udp6; do
	v=$(ratio "$(med ours/small/$c)" "$(med debian/small/$c)")
	echo "  ours / Debian's, small process, $c: $v $(verdict "$v" "<=" 0.6)"
done
v=$(ratio "$(pooled ours/small/)" "$(pooled debian/small/)")
echo "  ours / Debian's, small process, all four pooled: $v $(verdict "$v" "<=" 0.6)"
for c in tcp4 tcp6 udp4 udp6; do
	v=$(ratio "$(med ours/2GiB/$c)" "$(med ours/small/$c)")
	echo "  ours, 2 GiB process / small, $c: $v $(verdict "$v" "<=" 1.5)"
done
for c in tcp4 tcp6 udp4 udp6; do
	echo "  Debian's, 2 GiB process / small, $c: $(ratio "$(med debian/2GiB/$c)" "$(med debian/small/$c)") (expected ~100)"
done
for c in tcp4 udp6; do
	echo "  $THREADS threads / small: ours $c $(ratio "$(med "ours/${THREADS}threads/$c")" "$(med ours/small/$c)"), Debian's $c $(ratio "$(med "debian/${THREADS}threads/$c")" "$(med debian/small/$c)")"
done
for c in tcp4 udp6; do
	v=$(ratio "$(bmed shim-unpriv-ab/$c/with)" "$(bmed shim-unpriv-ab/$c/without)")
	echo "  shim on port 20000+, with / without, same process alternating, $c: $v $(verdict "$v" "<=" 1.05)"
done
v=$(ratio "$(bmean shim-unpriv/with/tcp4)" "$(bmean shim-unpriv/without/tcp4)")
echo "  shim on port 20000+, with / without, 20 processes each (mean of their medians), tcp4: $v"

echo
echo "The helper alone (callgrind, instructions from exec to exit; peak RSS of the setuid run):"
[ "$helper_cg" = yes ] || echo "  (no instruction counts for the helper: it refuses to act unless a setuid exec made it root, and valgrind runs no setuid program)"
ir() {  # NAME TEXT: inclusive Ir of the first function whose line has TEXT
	[ -s "$CG/$1.ann" ] || { echo "-"; return; }
	awk -v t="$2" 'index($0, t) { gsub(",", "", $1); print $1; found = 1; exit }
		END { if (!found) print "-" }' "$CG/$1.ann"
}
printf '  %-16s %10s %12s %10s %10s %10s %12s %7s\n' program "total Ir" "outside main" "ld.so Ir" "main Ir" "syslog Ir" "max RSS KiB" "faults"
for name in helper-tcp4 helper-udp6 trivial-dynamic trivial-static; do
	case $name in
	helper*) rssname=authbind-helper ;;
	*) rssname=$name ;;
	esac
	rss=$(awk -v n="$rssname" '$1 == n { for (i = 2; i <= NF; i++) if ($i ~ /^maxrss_kib=/) print substr($i, 12) }' "$AB_WORK/rss")
	flt=$(awk -v n="$rssname" '$1 == n { for (i = 2; i <= NF; i++) if ($i ~ /^minflt=/) print substr($i, 8) }' "$AB_WORK/rss")
	total=$(ir "$name" 'PROGRAM TOTALS')
	main=$(ir "$name.main" 'PROGRAM TOTALS')
	outside=$(awk -v t="$total" -v m="$main" 'BEGIN { if (t == "-" || m == "-") print "-"; else print t - m }')
	printf '  %-16s %10s %12s %10s %10s %10s %12s %7s\n' "$name" "$total" "$outside" \
		"$(ir "$name" ':_dl_start [')" "$main" \
		"$(ir "$name" ':__vsyslog_internal [')" "${rss:--}" "${flt:--}"
done
