#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every built fuzz target for a share of SECONDS (default 60 in all)
# on a copy of its seed corpus in a temporary directory; exits 1 if any
# target crashes or breaks an invariant, keeping that directory, its logs
# and the crashing input, 2 if it cannot run at all.  It builds nothing:
# `make fuzz` builds the targets first (configure --enable-fuzzing).
#
# Usage: fuzz/run.sh [SECONDS]
# Environment: AB_FUZZ_BUILDDIR, the directory holding the built targets
# (default: fuzz/ under the current directory).

set -u

targets='fuzz_rule fuzz_request fuzz_addr fuzz_env'
seconds=${1:-60}
case $seconds in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
srcdir=$(cd "$(dirname "$0")" && pwd) || exit 2
builddir=${AB_FUZZ_BUILDDIR:-$(pwd)/fuzz}

count=0
for t in $targets; do
	if [ ! -x "$builddir/$t" ]; then
		echo "$0: $builddir/$t is not built (CC=clang ./configure --enable-fuzzing && make fuzz)" >&2
		exit 2
	fi
	count=$((count + 1))
done
each=$((seconds / count))
[ "$each" -ge 1 ] || each=1

# Longest input each target is given: a rule file of several lines (the
# target splits it into short reads itself); a reply with room to spare.
max_len() {
	case $1 in
	fuzz_rule) echo 1024 ;;
	fuzz_request) echo 512 ;;
	*) echo 256 ;;
	esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/authbind-fuzz.XXXXXX") || exit 2
failed=
for t in $targets; do
	mkdir "$work/$t" "$work/$t/artifacts" || exit 2
	# The seeds are copied, writable, so that new inputs never land in
	# the source tree (which is read-only under distcheck).
	cp -R "$srcdir/corpus/$t" "$work/$t/corpus" && chmod -R u+w "$work/$t/corpus" || exit 2
	seeds=$(ls "$work/$t/corpus" | wc -l)
	printf '%-13s %3ss on %s seeds ... ' "$t" "$each" "$seeds"
	"$builddir/$t" -max_total_time="$each" -max_len="$(max_len "$t")" \
		-timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix="$work/$t/artifacts/" \
		"$work/$t/corpus" >"$work/$t/log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log")
	if [ "$status" -eq 0 ] && [ -z "$(ls "$work/$t/artifacts")" ]; then
		echo "ok, ${runs:-?} runs, corpus $(ls "$work/$t/corpus" | wc -l)"
	else
		echo "FAILED (exit $status)"
		grep -E 'invariant broken|ERROR: |SUMMARY: |runtime error' "$work/$t/log" | head -n 5 | sed 's/^/    /'
		for a in "$work/$t/artifacts"/*; do
			[ -e "$a" ] && echo "    input: $a (reproduce: $builddir/$t $a)"
		done
		echo "    log: $work/$t/log"
		failed="$failed $t"
	fi
done

if [ -n "$failed" ]; then
	echo "fuzzing failed:$failed; kept $work" >&2
	exit 1
fi
rm -rf "$work"
exit 0
