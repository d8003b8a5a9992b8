#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The authbind command itself: usage errors exit 255 with one message and
# run nothing; --help and --version exit 0; a COMMAND that cannot be run
# gives 127 or 126; "--" ends the options and everything after COMMAND is
# COMMAND's; an existing LD_PRELOAD is kept and the library appears in it
# once; --quiet and AUTHBIND_QUIET silence the refusal but not the errno.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "${AB_SRCDIR:-.}/tests/integration/policy-common.sh"

mkdir -p -m 1777 "$AB_WORK/run"
marker=$AB_WORK/run/ran

# run_wrapper ARGS...: runs authbind as the test user; sets rc, out, err.
run_wrapper() {
	rm -f "$marker"
	ab_as_user "$AB_WRAPPER" "$@" >"$AB_WORK/w.out" 2>"$AB_WORK/w.err"
	rc=$?
	out=$(cat "$AB_WORK/w.out")
	err=$(cat "$AB_WORK/w.err")
}

# usage_error WHAT MESSAGE ARGS...: exit 255, nothing on stdout, exactly
# one line on stderr, the message with a pointer to --help, and the
# COMMAND (which would leave a marker) not run.
usage_error() {
	what=$1
	msg=$2
	shift 2
	run_wrapper "$@"
	ab_expect_eq "$what: exit 255" 255 "$rc"
	ab_expect_eq "$what: nothing on stdout" "" "$out"
	ab_expect_eq "$what: the message, on one line" \
		"authbind: $msg (see authbind --help)" "$err"
	[ ! -e "$marker" ] || ab_fail "$what: COMMAND ran despite the usage error"
}

touch_marker="touch $marker"

ab_log "usage errors"
usage_error "unknown long option" "unknown option '--bogus'" --bogus sh -c "$touch_marker"
usage_error "unknown short option" "unknown option '-x'" -x sh -c "$touch_marker"
usage_error "unknown short option in a cluster" "unknown option '-x'" -xq sh -c "$touch_marker"
usage_error "unknown option after a good one" "unknown option '--nope'" \
	--quiet --nope sh -c "$touch_marker"
usage_error "--deep takes no value" "option '--deep' takes no value" --deep=2 sh -c "$touch_marker"
for bad in 0 101 abc -1 1.5 '' ' 5' 5x 0x10 1000; do
	usage_error "--depth '$bad'" "--depth takes a number from 1 to 100, not '$bad'" \
		--depth "$bad" sh -c "$touch_marker"
done
usage_error "--depth=101" "--depth takes a number from 1 to 100, not '101'" \
	--depth=101 sh -c "$touch_marker"
usage_error "--depth without a value" "option '--depth' needs an argument" --depth
usage_error "--deep with --depth" "--deep and --depth exclude each other" \
	--depth 2 --deep sh -c "$touch_marker"
usage_error "--depth after --deep" "give --depth once, and not with --deep" \
	--deep --depth 2 sh -c "$touch_marker"
usage_error "--depth twice" "give --depth once, and not with --deep" \
	--depth 2 --depth 3 sh -c "$touch_marker"
usage_error "no COMMAND" "no COMMAND to run"
usage_error "options but no COMMAND" "no COMMAND to run" --deep --quiet
usage_error "-- but no COMMAND" "no COMMAND to run" --

ab_log "--help and --version"
run_wrapper --help
ab_expect_eq "--help: exit 0" 0 "$rc"
ab_expect_match "--help: the usage on stdout" "^usage: authbind \\[--deep \\| --depth N\\]" "$out"
ab_expect_match "--help: names the policy directory" "$(pt_re "$AB_POLICY_DIR")" "$out"
ab_expect_eq "--help: nothing on stderr" "" "$err"
run_wrapper --quiet --help sh -c "$touch_marker"
ab_expect_eq "--help after --quiet, before COMMAND: exit 0" 0 "$rc"
[ ! -e "$marker" ] || ab_fail "--help ran COMMAND"
echo "ok: --help runs no COMMAND"
run_wrapper --version
ab_expect_eq "--version: exit 0" 0 "$rc"
ab_expect_match "--version: one line with the version" "^authbind \\(.+\\) [0-9]+\\.[0-9]+" "$out"
ab_expect_eq "--version: nothing on stderr" "" "$err"

ab_log "COMMAND that cannot be run"
run_wrapper no-such-command-here
ab_expect_eq "a missing COMMAND: exit 127" 127 "$rc"
ab_expect_eq "a missing COMMAND: the message" \
	"authbind: cannot run no-such-command-here: No such file or directory" "$err"
run_wrapper "$AB_WORK/run/absent"
ab_expect_eq "a missing COMMAND by path: exit 127" 127 "$rc"
printf '#!/bin/sh\ntouch %s\n' "$marker" >"$AB_WORK/run/noexec"
chmod 644 "$AB_WORK/run/noexec"
run_wrapper "$AB_WORK/run/noexec"
ab_expect_eq "a COMMAND without execute permission: exit 126" 126 "$rc"
ab_expect_match "a COMMAND without execute permission: the message" \
	"^authbind: cannot run .*noexec: Permission denied\$" "$err"
run_wrapper "$AB_WORK/run"
ab_expect_eq "a directory as COMMAND: exit 126" 126 "$rc"

ab_log "-- and the options of COMMAND"
run_wrapper sh -c 'printf "%s|" "$@"; exit 7' sh --deep --depth 0 --help -x -- --quiet
ab_expect_eq "options after COMMAND are COMMAND's" "--deep|--depth|0|--help|-x|--|--quiet|" "$out"
ab_expect_eq "the exit status is COMMAND's" 7 "$rc"
ab_expect_eq "... and authbind says nothing" "" "$err"
run_wrapper -- --no-such-option
ab_expect_eq "after --, an option-like word is COMMAND" 127 "$rc"
ab_expect_eq "after --, an option-like word is COMMAND: the message" \
	"authbind: cannot run --no-such-option: No such file or directory" "$err"
run_wrapper --quiet -- printf '%s|' -- --help
ab_expect_eq "options, --, COMMAND and its own --" "--|--help|" "$out"
ab_expect_eq "options, --, COMMAND: exit 0" 0 "$rc"

ab_log "LD_PRELOAD and AUTHBIND_DEPTH"
libc=$(ldd /usr/bin/env | awk '$1 ~ /^libc\.so/ { print $3 }')
libm=${libc%/*}/libm.so.6
[ -f "$libm" ] || ab_fail "no libm.so.6 beside $libc"
lib=$AB_LIB
# env_of [LD_PRELOAD-VALUE] AUTHBIND-ARGS...: the environment COMMAND
# (env) sees, under the given LD_PRELOAD ("-" for none).
env_of() {
	pre=$1
	shift
	if [ "$pre" = - ]; then
		ab_as_user "$AB_WRAPPER" "$@" 2>/dev/null
	else
		ab_as_user env "LD_PRELOAD=$pre" "$AB_WRAPPER" "$@" 2>/dev/null
	fi
}
var() {  # NAME: its line in the environment on stdin, or "unset"
	grep "^$1=" || echo unset
}
# At --depth 2, env is the first of two levels: it sees what the wrapper set.
ab_expect_eq "no LD_PRELOAD before: the library alone" "LD_PRELOAD=$lib" \
	"$(env_of - --depth 2 env | var LD_PRELOAD)"
ab_expect_eq "one library before: kept, ours appended" "LD_PRELOAD=$libm:$lib" \
	"$(env_of "$libm" --depth 2 env | var LD_PRELOAD)"
ab_expect_eq "a path that does not exist: kept as it is" \
	"LD_PRELOAD=/nonexistent/libnothing.so:$lib" \
	"$(env_of /nonexistent/libnothing.so --depth 2 env | var LD_PRELOAD)"
ab_expect_eq "ours already there: once, at the end" "LD_PRELOAD=$libm:$lib" \
	"$(env_of "$lib:$libm" --depth 2 env | var LD_PRELOAD)"
ab_expect_eq "ours twice, space-separated: once" "LD_PRELOAD=$libm:$lib" \
	"$(env_of "$lib $libm $lib" --depth 2 env | var LD_PRELOAD)"
ab_expect_eq "--depth 2: AUTHBIND_DEPTH left for the next level" "AUTHBIND_DEPTH=1" \
	"$(env_of - --depth 2 env | var AUTHBIND_DEPTH)"
ab_expect_eq "--deep: AUTHBIND_DEPTH=deep" "AUTHBIND_DEPTH=deep" \
	"$(env_of "$libm" --deep env | var AUTHBIND_DEPTH)"
ab_expect_eq "--deep: LD_PRELOAD kept for every level" "LD_PRELOAD=$libm:$lib" \
	"$(env_of "$libm" --deep env | var LD_PRELOAD)"
# At the default depth 1 the library takes itself out as COMMAND starts.
ab_expect_eq "depth 1: COMMAND's children get the old LD_PRELOAD back" "LD_PRELOAD=$libm" \
	"$(env_of "$libm" env | var LD_PRELOAD)"
ab_expect_eq "depth 1: no LD_PRELOAD left when there was none" "unset" \
	"$(env_of - env | var LD_PRELOAD)"
ab_expect_eq "depth 1: no AUTHBIND_DEPTH left" "unset" "$(env_of "$libm" env | var AUTHBIND_DEPTH)"
maps=$(env_of "$libm" cat /proc/self/maps)
ab_expect_match "depth 1: COMMAND has the other library loaded" "$(pt_re "$libm")" "$maps"
ab_expect_match "depth 1: COMMAND has libauthbind loaded" "$(pt_re "$lib")" "$maps"
ab_byport 80
ab_expect_eq "a bind works with another library preloaded" "bound 0.0.0.0 80" \
	"$(ab_as_user env "LD_PRELOAD=$libm" "$AB_WRAPPER" "$AB_BIN/bindprobe" 0.0.0.0 80)"
ab_expect_eq "--depth 2: the second level binds" "bound 0.0.0.0 80" \
	"$(ab_authbind --depth 2 sh -c "\"$AB_BIN/bindprobe\" 0.0.0.0 80; :")"
ab_expect_eq "depth 1: the second level is on its own" "error EACCES" \
	"$(ab_authbind sh -c "\"$AB_BIN/bindprobe\" 0.0.0.0 80 2>&1; :")"

ab_log "--quiet and AUTHBIND_QUIET"
run_wrapper --quiet "$AB_BIN/bindprobe" 0.0.0.0 81
ab_expect_eq "--quiet: still EACCES" "error EACCES" "$out"
ab_expect_eq "--quiet: nothing on stderr" "" "$err"
ab_port_bound tcp 81 && ab_fail "--quiet: port 81 bound after a refusal"
echo "ok: --quiet: port 81 unbound"
run_wrapper --quiet "$AB_BIN/bindprobe" -u 0.0.0.0 80
ab_expect_eq "--quiet: a grant still binds" "bound 0.0.0.0 80" "$out"
for v in 1 yes; do
	out=$(ab_as_user env "AUTHBIND_QUIET=$v" "$AB_WRAPPER" "$AB_BIN/bindprobe" 0.0.0.0 81 \
		2>"$AB_WORK/w.err")
	ab_expect_eq "AUTHBIND_QUIET=$v: still EACCES" "error EACCES" "$out"
	ab_expect_eq "AUTHBIND_QUIET=$v: nothing on stderr" "" "$(cat "$AB_WORK/w.err")"
done
for v in 0 ''; do
	out=$(ab_as_user env "AUTHBIND_QUIET=$v" "$AB_WRAPPER" "$AB_BIN/bindprobe" 0.0.0.0 81 \
		2>"$AB_WORK/w.err")
	ab_expect_eq "AUTHBIND_QUIET='$v': EACCES" "error EACCES" "$out"
	ab_expect_match "AUTHBIND_QUIET='$v' is not quiet" \
		"^authbind: uid $AB_TEST_UID: may not bind tcp 0\\.0\\.0\\.0:81: " "$(cat "$AB_WORK/w.err")"
done
run_wrapper "$AB_BIN/bindprobe" 0.0.0.0 81
ab_expect_match "without --quiet the refusal is told" \
	"^authbind: uid $AB_TEST_UID: may not bind tcp 0\\.0\\.0\\.0:81: " "$err"
