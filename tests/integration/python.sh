#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Python's http.server on port 80 (dual-stack ::) under authbind as the
# test user: with byport/80 it serves the file over IPv4 and IPv6; with no
# grant it fails to start, says why, and leaves the port unbound.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
. "${AB_SRCDIR:-.}/tests/integration/serverlib.sh"
ab_setup "$@"

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || ab_skip "$PYTHON is not installed"
command -v curl >/dev/null 2>&1 || ab_skip "curl is not installed"
body=$(sv_body python)
www=$(dirname "$body")

ab_log "no grant: the server must not start"
sv_run nogrant 30 "$PYTHON" -m http.server 80 --bind :: --directory "$www"
[ "$SV_STATUS" != 124 ] || ab_fail "the server ran with no grant"
[ "$SV_STATUS" != 0 ] || { sv_log nogrant; ab_fail "the server exited 0 with no grant"; }
echo "ok: the server exited with status $SV_STATUS"
ab_expect_match "its stderr has the denial line" \
	"^authbind: uid $AB_TEST_UID: may not bind tcp \[::\]:80: refused by $AB_POLICY_DIR" \
	"$(cat "$AB_WORK/nogrant.err")"
ab_expect_match "and Python's own error" "PermissionError: \[Errno 13\]" \
	"$(cat "$AB_WORK/nogrant.err")"
sv_expect_unbound "after the denial" tcp 80

ab_log "byport/80: the server serves over IPv4 and IPv6"
ab_byport 80
sv_start granted 120 "$PYTHON" -m http.server 80 --bind :: --directory "$www"
sv_wait granted tcp 80 30
sv_expect_preloaded "the server" "$(sv_socket_pid tcp 80)"
sv_expect_dual_stack "the server" 80
sv_expect_body "IPv4 gets the file" "http://127.0.0.1/" "$body"
sv_expect_body "IPv6 gets the file" "http://[::1]/" "$body"
sv_stop
