#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The shortest path end to end: a byport grant binds, no grant refuses
# with EACCES, a line on stderr, and an unbound socket.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"

ab_byport 80
ab_expect_eq "byport/80 grants tcp 0.0.0.0:80" "bound 0.0.0.0 80" "$(ab_probe 0.0.0.0 80)"
ab_expect_eq "port 81 has no rule" "error EACCES" "$(ab_probe 0.0.0.0 81)"
ab_expect_match "the denial says who, what and where" \
	"authbind: uid $AB_TEST_UID: may not bind tcp 0.0.0.0:81: .*$AB_POLICY_DIR" \
	"$(ab_probe_stderr)"
ab_port_bound tcp 81 && ab_fail "port 81 is bound after a denial"
echo "ok: port 81 left unbound"
