# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the tests whose output is compared with golden files
# (explain.sh, check_config.sh, preflight.sh), after harness.sh.

# check NAME STATUS CMD...: CMD exits with STATUS, says nothing on stderr
# and prints what tests/golden/NAME.out holds.
check() {
	name=$1 want=$2
	shift 2
	"$@" >"$AB_WORK/out" 2>"$AB_WORK/err"
	rc=$?
	[ ! -s "$AB_WORK/err" ] || ab_fail "$name: unexpected stderr: $(cat "$AB_WORK/err")"
	ab_expect_eq "$name exits $want" "$want" "$rc"
	compare_golden "$name.out" "$AB_WORK/out"
}

# compare_golden NAME FILE: FILE, with this host's paths replaced by
# placeholders, must equal tests/golden/NAME (AB_GOLDEN_UPDATE=1 rewrites it).
sed_quote() {
	printf '%s\n' "$1" | sed 's/[][\.*^$|]/\\&/g'
}
compare_golden() {
	golden=$AB_SRCDIR/tests/golden/$1
	sed -e "s|$(sed_quote "$AB_POLICY_DIR")|@POLICY_DIR@|g" \
		-e "s|$(sed_quote "$AB_HELPER")|@HELPER@|g" \
		-e "s|$(sed_quote "$AB_BIN")|@BIN@|g" "$2" >"$AB_WORK/golden.tmp"
	[ "${AB_GOLDEN_UPDATE:-0}" != 1 ] || cp "$AB_WORK/golden.tmp" "$golden"
	if diff -u "$golden" "$AB_WORK/golden.tmp" >&2; then
		echo "ok: $1"
	else
		ab_fail "$1: output differs from the golden file (diff above)"
	fi
}
