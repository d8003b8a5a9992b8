#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A /bin/sh script that starts the server (python http.server) as its
# child, not by exec.  Plain `authbind SCRIPT` (depth 1) helps the script
# only: the library takes itself out of LD_PRELOAD, the child does not get
# it, its bind fails with EACCES and the port stays unbound.  With --deep
# and with --depth 2 the child gets the library and serves.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
. "${AB_SRCDIR:-.}/tests/integration/serverlib.sh"
ab_setup "$@"

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || ab_skip "$PYTHON is not installed"
command -v curl >/dev/null 2>&1 || ab_skip "curl is not installed"
body=$(sv_body deep)
out=$AB_WORK/out
mkdir -p "$out"
chown "$AB_TEST_UID:$AB_TEST_GID" "$out"
script=$AB_WORK/start-server
cat >"$script" <<EOF2
#!/bin/sh
# start-server TAG: records the preload it passes on to its children,
# then runs the server as a child and reports how it ended.
echo "LD_PRELOAD=\${LD_PRELOAD-}" >"$out/\$1.env"
/usr/bin/env >"$out/\$1.childenv"
"$PYTHON" -m http.server 80 --bind :: --directory "$(dirname "$body")"
status=\$?
echo "server exited \$status"
exit \$status
EOF2
chmod 755 "$script"
ab_byport 80

# child_preload TAG: the LD_PRELOAD the script passes to its children.
# (Not what a child such as env(1) prints: the library, loaded into that
# child too, may already have taken itself out.)
child_preload() {
	sed -n 's/^LD_PRELOAD=//p' "$out/$1.env"
}

# environ_of PID NAME: NAME's value in the environment PID was started with.
environ_of() {
	tr '\0' '\n' <"/proc/$1/environ" | sed -n "s/^$2=//p"
}

ab_log "depth 1: the child is not helped"
sv_run depth1 30 "$script" depth1
ab_expect_eq "the script ended with the server's failure" "server exited 1" \
	"$(cat "$AB_WORK/depth1.out")"
ab_expect_match "the child's bind failed with EACCES" "PermissionError: \[Errno 13\]" \
	"$(cat "$AB_WORK/depth1.err")"
ab_expect_eq "the script passed no libauthbind on" "" \
	"$(child_preload depth1 | grep libauthbind)"
# env(1), a child with no library in it at depth 1, prints what it got.
ab_expect_eq "a child's environment has no libauthbind and no AUTHBIND_DEPTH" "" \
	"$(grep -E '^(LD_PRELOAD=.*libauthbind|AUTHBIND_DEPTH=)' "$out/depth1.childenv")"
grep -q '^PATH=' "$out/depth1.childenv" || ab_fail "the child's environment was not recorded"
ab_expect_eq "no denial line: the child had no library to write one" "" \
	"$(grep '^authbind:' "$AB_WORK/depth1.err" | grep -v '^authbind: warning:')"
ab_expect_match "the wrapper warned that a script at depth 1 needs --depth 2 or --deep" \
	"^authbind: warning: .*start-server is a shell script: .*use --depth 2 or --deep" \
	"$(cat "$AB_WORK/depth1.err")"
sv_expect_unbound "after the child's failure" tcp 80

for how in deep "depth 2"; do
	tag=$(echo "$how" | tr -d ' ')
	ab_log "--$how: the child serves"
	# shellcheck disable=SC2086
	sv_start "$tag" 120 --$how "$script" "$tag"
	sv_wait "$tag" tcp 80 30
	pid=$(sv_socket_pid tcp 80)
	sv_expect_preloaded "the server" "$pid"
	ppid=$(awk '{ print $4 }' "/proc/$pid/stat")
	ab_expect_match "the server is the script's child" "start-server" \
		"$(tr '\0' ' ' <"/proc/$ppid/cmdline")"
	ab_expect_eq "the script passed the library on" "$AB_LIB" "$(child_preload "$tag")"
	ab_expect_eq "the server was started with it" "$AB_LIB" "$(environ_of "$pid" LD_PRELOAD)"
	case $how in
	deep) depth=deep ;;
	*) depth=1 ;;
	esac
	ab_expect_eq "and with AUTHBIND_DEPTH=$depth" "$depth" "$(environ_of "$pid" AUTHBIND_DEPTH)"
	sv_expect_body "IPv4 gets the file" "http://127.0.0.1/" "$body"
	sv_expect_body "IPv6 gets the file" "http://[::1]/" "$body"
	sv_stop
done

ab_log "bash, which brings its own setenv: the depth is kept all the same"
cat >"$AB_WORK/bash-env" <<'SCRIPT'
#!/bin/bash
export -p | grep -E 'LD_PRELOAD|AUTHBIND_DEPTH' || echo clean
SCRIPT
chmod 755 "$AB_WORK/bash-env"
ab_expect_eq "bash at depth 1 hands no preload on" "clean" \
	"$(ab_authbind --quiet "$AB_WORK/bash-env")"
ab_expect_match "bash at depth 2 hands it on one more level" \
	'AUTHBIND_DEPTH="1"' "$(ab_authbind --quiet --depth 2 "$AB_WORK/bash-env")"

ab_log "#!/usr/bin/env python3: env is the first program, the interpreter the second"
envserver=$AB_WORK/env-server
cat >"$envserver" <<EOF2
#!/usr/bin/env python3
import http.server, functools, socket
class V6(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory="$(dirname "$body")")
V6(("::", 80), handler).serve_forever()
EOF2
chmod 755 "$envserver"
sv_start envdefault 120 "$envserver"
sv_wait envdefault tcp 80 30
ab_expect_eq "by default the interpreter gets the grant, and no warning" "" \
	"$(grep '^authbind:' "$AB_WORK/envdefault.err")"
pid=$(sv_socket_pid tcp 80)
sv_expect_preloaded "the python3 that env started" "$pid"
sv_expect_body "IPv4 gets the file" "http://127.0.0.1/" "$body"
sv_expect_body "IPv6 gets the file" "http://[::1]/" "$body"
sv_stop
sv_run envdepth1 30 --depth 1 "$envserver"
ab_expect_match "--depth 1 given: env alone gets it, and the wrapper says so" \
	"^authbind: warning: .*env-server starts python3 through env: with --depth 1 only env gets the grant" \
	"$(cat "$AB_WORK/envdepth1.err")"
ab_expect_match "... and the server's bind fails with EACCES" "PermissionError: \[Errno 13\]" \
	"$(cat "$AB_WORK/envdepth1.err")"
sv_expect_unbound "after --depth 1" tcp 80
