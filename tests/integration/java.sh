#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A Java HTTP server (com.sun.net.httpserver) bound to new
# InetSocketAddress(80), which Java makes a dual-stack :: socket, compiled
# here with javac and run under authbind as the test user.  The java
# launcher, in whose process the JVM runs, must carry the preload; with
# byport/80 the server answers over IPv4 and IPv6.  With a byuid rule for
# 0.0.0.0 only, the dual-stack bind is refused with EACCES: Java says
# "Permission denied" (not Debian authbind's "No such file or directory").
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
. "${AB_SRCDIR:-.}/tests/integration/serverlib.sh"
ab_setup "$@"

command -v curl >/dev/null 2>&1 || ab_skip "curl is not installed"
body=$(sv_body java)
sv_java_serve
AB_EXTRA_ENV="HOME=$SV_JHOME"

ab_log "byuid for 0.0.0.0 only: the dual-stack bind is refused"
printf '0.0.0.0,80\n' | ab_byuid
# shellcheck disable=SC2086
sv_run ipv4only 120 "$JAVA" $JFLAGS -cp "$AB_WORK/java" Serve "$body" 80
[ "$SV_STATUS" != 124 ] || ab_fail "the server ran with no grant for ::"
[ "$SV_STATUS" != 0 ] || { sv_log ipv4only; ab_fail "the server exited 0 with no grant for ::"; }
ab_expect_match "Java reports the bind as denied" "java.net.BindException: Permission denied" \
	"$(cat "$AB_WORK/ipv4only.err")"
ab_expect_match "the denial line names the dual-stack ::" \
	"^authbind: uid $AB_TEST_UID: may not bind tcp \[::\]:80: refused by $AB_POLICY_DIR" \
	"$(cat "$AB_WORK/ipv4only.err")"
sv_expect_unbound "after the denial" tcp 80
ab_clear_policy

ab_log "byport/80: the server answers over IPv4 and IPv6"
ab_byport 80
# shellcheck disable=SC2086
sv_start granted 180 "$JAVA" $JFLAGS -cp "$AB_WORK/java" Serve "$body" 80
sv_wait granted tcp 80 90
pid=$(sv_socket_pid tcp 80)
sv_expect_preloaded "java" "$pid"
case $(readlink "/proc/$pid/exe") in
*/bin/java) echo "ok: the socket is held by the java launcher itself" ;;
*) ab_fail "the socket is held by $(readlink "/proc/$pid/exe"), not java" ;;
esac
threads=$(ls "/proc/$pid/task" | wc -l)
[ "$threads" -gt 5 ] || ab_fail "pid $pid has only $threads threads: is the JVM elsewhere?"
echo "ok: the JVM runs in that process ($threads threads)"
sv_expect_dual_stack "the server" 80
sv_expect_body "IPv4 gets the body" "http://127.0.0.1/" "$body"
sv_expect_body "IPv6 gets the body" "http://[::1]/" "$body"
ab_expect_match "Java listens on the IPv6 wildcard" \
	'^listening /(\[0:0:0:0:0:0:0:0\]|0:0:0:0:0:0:0:0):80$' "$(cat "$AB_WORK/granted.out")"
ab_expect_eq "no denial line" "" "$(grep '^authbind:' "$AB_WORK/granted.err")"
sv_stop
