#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Node's http server, server.listen(80) with no host (dual-stack ::), under
# authbind as the test user.  With byport/80 it serves over IPv4 and IPv6.
# With a byuid rule for 0.0.0.0 only, the dual-stack bind is refused with
# EACCES: an explicit listen(80, '::') gets an 'error' event EACCES and
# binds nothing; a bare listen(80) is refused the same way but Node then
# falls back to 0.0.0.0 by itself (net.js), so it serves IPv4 only, and
# the denial line says so.  With byuid lines for 0.0.0.0 and :: it serves
# dual-stack again.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
. "${AB_SRCDIR:-.}/tests/integration/serverlib.sh"
ab_setup "$@"

NODE=$(command -v node || command -v nodejs) || ab_skip "node is not installed"
command -v curl >/dev/null 2>&1 || ab_skip "curl is not installed"
body=$(sv_body node)
server=$AB_WORK/server.js
cat >"$server" <<'JS'
// server.js BODY-FILE PORT [HOST]: serves BODY-FILE; prints where it
// listens, or "error CODE" and exits 3.
const fs = require('fs');
const http = require('http');
const body = fs.readFileSync(process.argv[2]);
const server = http.createServer((req, res) => res.end(body));
server.on('error', (e) => { console.log('error ' + e.code); process.exit(3); });
const done = () => {
	const a = server.address();
	console.log('listening ' + a.address + ' ' + a.port);
};
if (process.argv[4] === undefined)
	server.listen(Number(process.argv[3]), done);
else
	server.listen(Number(process.argv[3]), process.argv[4], done);
JS
chmod 644 "$server"
denial="^authbind: uid $AB_TEST_UID: may not bind tcp \[::\]:80: refused by $AB_POLICY_DIR"

ab_log "byport/80: listen(80) serves over IPv4 and IPv6"
ab_byport 80
sv_start byport 120 "$NODE" "$server" "$body" 80
sv_wait byport tcp 80 30
sv_expect_preloaded "the server" "$(sv_socket_pid tcp 80)"
sv_expect_dual_stack "the server" 80
sv_expect_body "IPv4 gets the body" "http://127.0.0.1/" "$body"
sv_expect_body "IPv6 gets the body" "http://[::1]/" "$body"
ab_expect_eq "Node listens on ::" "listening :: 80" "$(cat "$AB_WORK/byport.out")"
sv_stop
ab_clear_policy

ab_log "byuid for 0.0.0.0 only: listen(80, '::') gets EACCES"
printf '0.0.0.0,80\n' | ab_byuid
sv_run explicit 30 "$NODE" "$server" "$body" 80 ::
ab_expect_eq "the server exited with status 3" 3 "$SV_STATUS"
ab_expect_eq "its 'error' event has code EACCES" "error EACCES" "$(cat "$AB_WORK/explicit.out")"
ab_expect_match "its stderr has the denial line" "$denial" "$(cat "$AB_WORK/explicit.err")"
sv_expect_unbound "after the denial" tcp 80

ab_log "byuid for 0.0.0.0 only: listen(80) is refused ::, Node falls back to IPv4"
sv_start fallback 120 "$NODE" "$server" "$body" 80
sv_wait fallback tcp 80 30
ab_expect_match "the dual-stack bind was refused, with the denial line" "$denial" \
	"$(cat "$AB_WORK/fallback.err")"
ab_expect_eq "Node fell back to 0.0.0.0" "listening 0.0.0.0 80" "$(cat "$AB_WORK/fallback.out")"
ab_expect_eq "the one socket is IPv4's" "0.0.0.0:80" "$(ss -Htln 'sport = :80' | awk '{ print $4 }')"
sv_expect_body "IPv4 gets the body" "http://127.0.0.1/" "$body"
sv_expect_refused "IPv6 is not served" "http://[::1]/"
sv_stop

ab_log "byuid for 0.0.0.0 and :: : listen(80) serves over IPv4 and IPv6"
printf '0.0.0.0,80\n::,80\n' | ab_byuid
sv_start byuid 120 "$NODE" "$server" "$body" 80
sv_wait byuid tcp 80 30
sv_expect_dual_stack "the server" 80
sv_expect_body "IPv4 gets the body" "http://127.0.0.1/" "$body"
sv_expect_body "IPv6 gets the body" "http://[::1]/" "$body"
ab_expect_eq "Node listens on ::" "listening :: 80" "$(cat "$AB_WORK/byuid.out")"
ab_expect_eq "no denial line" "" "$(cat "$AB_WORK/byuid.err")"
sv_stop
