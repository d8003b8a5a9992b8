#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The wrapper's warnings before exec, for the programs a preloaded library
# cannot help: each warning exactly as in its golden file, the program run
# all the same, and --quiet silencing the warnings and the denial line.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "$AB_SRCDIR/tests/integration/golden.sh"


# run_as_user [--nnp] AUTHBIND-ARGS...: the wrapper as the test user,
# with NoNewPrivileges set first when asked; stdout and stderr kept.
run_as_user() {
	no_new_privs=
	if [ "$1" = --nnp ]; then no_new_privs="setpriv --no-new-privs --"; shift; fi
	ab_as_user $no_new_privs "$AB_WRAPPER" "$@" >"$AB_WORK/out" 2>"$AB_WORK/err"
}

# warns NAME GOLDEN [--nnp] PROGRAM [AUTHBIND-OPTION...]: under authbind,
# PROGRAM prints "ran NAME" and the warnings are exactly
# tests/golden/preflight-GOLDEN.err (none when GOLDEN is "-"); with
# --quiet it runs just the same and nothing is said.
warns() {
	name=$1 expected=$2
	shift 2
	nnp=
	if [ "$1" = --nnp ]; then nnp=--nnp; shift; fi
	prog=$1
	shift
	run_as_user $nnp "$@" "$prog" ran "$name"
	ab_expect_eq "$name: the program runs" "ran $name" "$(cat "$AB_WORK/out")"
	if [ "$expected" = - ]; then
		[ ! -s "$AB_WORK/err" ] || ab_fail "$name: unexpected warning: $(cat "$AB_WORK/err")"
		echo "ok: $name: no warning"
	else
		compare_golden "preflight-$expected.err" "$AB_WORK/err"
	fi
	run_as_user $nnp --quiet "$@" "$prog" ran "$name"
	ab_expect_eq "$name --quiet: the program runs" "ran $name" "$(cat "$AB_WORK/out")"
	[ ! -s "$AB_WORK/err" ] || ab_fail "$name --quiet: said: $(cat "$AB_WORK/err")"
	echo "ok: $name --quiet: silent"
}

# An echo the test user may run, as a program of its own.
copy_echo() {
	cp /bin/echo "$AB_BIN/$1" || ab_fail "cannot copy /bin/echo"
	chmod 755 "$AB_BIN/$1"
}

ab_log "a dynamically linked program: no warning"
warns plain - /bin/echo

ab_log "a statically linked program"
cat >"$AB_WORK/static.c" <<'X'
#include <stdio.h>
int main(int argc, char **argv)
{
	(void)argc;
	printf("%s %s\n", argv[1], argv[2]);
	return 0;
}
X
if ${CC:-cc} -static -o "$AB_BIN/static" "$AB_WORK/static.c" 2>"$AB_WORK/cc.err"; then
	chmod 755 "$AB_BIN/static"
	warns static static "$AB_BIN/static"
else
	echo "skip: no static C library to link with ($(head -n 1 "$AB_WORK/cc.err"))"
fi

ab_log "a Go program (an ELF with a .go.buildinfo section)"
if command -v objcopy >/dev/null 2>&1; then
	copy_echo goecho
	printf '\377 Go buildinf:' >"$AB_WORK/buildinfo"
	objcopy --add-section .go.buildinfo="$AB_WORK/buildinfo" "$AB_BIN/goecho" ||
		ab_fail "objcopy --add-section failed"
	warns go go "$AB_BIN/goecho"
else
	echo "skip: objcopy is not installed"
fi

ab_log "a setuid program"
copy_echo suidecho
chown "$AB_OTHER_UID:$AB_OTHER_UID" "$AB_BIN/suidecho"
chmod 4755 "$AB_BIN/suidecho"
warns setuid setuid "$AB_BIN/suidecho"
chmod 2755 "$AB_BIN/suidecho"
warns setgid setuid "$AB_BIN/suidecho"

ab_log "a program with file capabilities"
copy_echo capecho
if command -v setcap >/dev/null 2>&1 &&
	setcap cap_net_bind_service+ep "$AB_BIN/capecho" 2>/dev/null; then
	warns setcap setcap "$AB_BIN/capecho"
else
	echo "skip: setcap is not installed or $AB_BIN cannot hold file capabilities"
fi

ab_log "a shell script"
printf '#!/bin/sh\necho "$@"\n' >"$AB_BIN/script"
printf '#!/usr/bin/env bash\necho "$@"\n' >"$AB_BIN/envscript"
printf '#!/usr/bin/python3\nimport sys\nprint(" ".join(sys.argv[1:]))\n' >"$AB_BIN/pyscript"
printf '#!/usr/bin/env python3\nimport sys\nprint(" ".join(sys.argv[1:]))\n' >"$AB_BIN/envpy"
printf '#!/usr/bin/env -S python3 -I\nimport sys\nprint(" ".join(sys.argv[1:]))\n' >"$AB_BIN/envpy-s"
printf '#!/usr/bin/env -S -i python3\nimport sys\nprint(" ".join(sys.argv[1:]))\n' >"$AB_BIN/envpy-i"
# A launcher like npm: an env script that starts the server through others.
printf '#!/usr/bin/env python3\nimport sys\nprint(" ".join(sys.argv[1:]))\n' >"$AB_BIN/npm"
chmod 755 "$AB_BIN/script" "$AB_BIN/envscript" "$AB_BIN/pyscript" "$AB_BIN/envpy" \
	"$AB_BIN/envpy-s" "$AB_BIN/envpy-i" "$AB_BIN/npm"
warns script script "$AB_BIN/script"
warns envscript envscript "$AB_BIN/envscript"
warns script-deep - "$AB_BIN/script" --deep
warns script-depth-2 - "$AB_BIN/script" --depth 2
[ -x /usr/bin/python3 ] && warns python-script - "$AB_BIN/pyscript"
warns env-interpreter - "$AB_BIN/envpy"
warns env-interpreter-split - "$AB_BIN/envpy-s"
warns env-interpreter-depth-1 env-depth-1 "$AB_BIN/envpy" --depth 1
warns env-options env-options "$AB_BIN/envpy-i"
warns launcher launcher "$AB_BIN/npm"
warns launcher-deep - "$AB_BIN/npm" --deep
# Found through PATH as execvp finds it.
ln -s "$AB_BIN/script" "$AB_BIN/script-in-path"
AB_EXTRA_ENV="PATH=$AB_BIN:/usr/bin:/bin"
warns script-in-path script-in-path script-in-path
AB_EXTRA_ENV=

ab_log "NoNewPrivileges"
warns nnp nnp --nnp /bin/echo
warns nnp-setuid nnp-setuid --nnp "$AB_BIN/suidecho"

ab_log "the helper cannot become root"
cp "$AB_HELPER" "$AB_WORK/helper-copy" && chmod 755 "$AB_WORK/helper-copy" ||
	ab_fail "cannot copy the helper"
mount --bind "$AB_WORK/helper-copy" "$AB_HELPER" || ab_fail "cannot mount over the helper"
warns helper-not-setuid helper-not-setuid /bin/echo
umount "$AB_HELPER" || ab_fail "cannot unmount the helper copy"
mount --bind "$AB_HELPER" "$AB_HELPER" && mount -o remount,bind,nosuid "$AB_HELPER" ||
	ab_fail "cannot make a nosuid mount of the helper"
warns helper-nosuid helper-nosuid /bin/echo
umount "$AB_HELPER" || ab_fail "cannot unmount the nosuid helper"
[ -u "$AB_HELPER" ] || ab_fail "the helper is not setuid after the test's mounts"
warns helper-back - /bin/echo

ab_log "--quiet silences the shim's denial line"
out=$(ab_probe 0.0.0.0 81)
ab_expect_eq "a refused bind" "error EACCES" "$out"
ab_expect_match "without --quiet, a denial line" "may not bind tcp 0.0.0.0:81" "$(ab_probe_stderr)"
out=$(ab_authbind --quiet "$AB_BIN/bindprobe" 0.0.0.0 81 2>"$AB_WORK/err")
ab_expect_eq "a refused bind with --quiet" "error EACCES" "$(printf '%s\n' "$out" | head -n 1)"
[ ! -s "$AB_WORK/err" ] || ab_fail "--quiet: the shim said: $(cat "$AB_WORK/err")"
echo "ok: --quiet: no denial line"
