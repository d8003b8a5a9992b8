#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The installed systemd unit: systemd-analyze verify passes (systemd need
# not be running), the capability bounding set is the three authbindd
# keeps, ExecStart names the installed authbindd, and the exposure that
# systemd-analyze security reports stays low.
. "${AB_SRCDIR:-.}/tests/kernel/kharness.sh"
ab_k_require authbindd
unit=$AB_UNITDIR/authbindd.service
[ -f "$unit" ] || ab_skip "$unit is not installed: run 'make install'"
command -v systemd-analyze >/dev/null 2>&1 || ab_skip "systemd-analyze is not installed"
work=$(mktemp -d /tmp/authbindd-unit.XXXXXX) || ab_fail mktemp
trap 'rm -rf "$work"' EXIT
cp "$unit" "$work/authbindd.service"
# --man=no: the manual pages of a --prefix install are not on MANPATH.
out=$(systemd-analyze verify --man=no "$work/authbindd.service" 2>&1) ||
	ab_fail "systemd-analyze verify: $out"
echo "ok: systemd-analyze verify passes"
ab_expect_eq "ExecStart runs the installed authbindd" "ExecStart=$AB_AUTHBINDD" \
	"$(grep '^ExecStart=' "$unit")"
ab_expect_eq "bounding set" "CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_NET_ADMIN" \
	"$(grep '^CapabilityBoundingSet=' "$unit")"
level=$(systemd-analyze security --offline=true "$work/authbindd.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for authbindd.service: \([0-9.]*\).*/\1/p')
[ -n "$level" ] || ab_skip "this systemd-analyze cannot judge a unit offline"
awk -v l="$level" 'BEGIN { exit !(l <= 2.5) }' ||
	ab_fail "systemd-analyze security: exposure $level, more than 2.5"
echo "ok: systemd-analyze security: exposure $level"
echo PASS
