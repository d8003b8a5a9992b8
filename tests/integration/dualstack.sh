#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# IPv6 sockets that also take IPv4: a bind to :: with IPV6_V6ONLY off
# takes the IPv4 port as well, so it needs both :: and 0.0.0.0 granted, and
# the refusal says when it was the IPv4 half; with IPV6_V6ONLY on, :: alone
# will do.  An IPv4-mapped address on an IPv6 socket is judged as the IPv4
# address it is, never as an IPv6 one.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "${AB_SRCDIR:-.}/tests/integration/policy-common.sh"

uid=$AB_TEST_UID
v4half='for 0\.0\.0\.0, the IPv4 half of this dual-stack bind: '
# The kernel's default for IPV6_V6ONLY, per network namespace: ours.
echo 0 >/proc/sys/net/ipv6/bindv6only || ab_fail "cannot set bindv6only"

# ss shows a dual-stack socket as *:PORT, a v6-only one as [::]:PORT.
local_address() {  # tcp|udp PORT
	if [ "$1" = udp ]; then ss -Huan "sport = :$2"; else ss -Htln "sport = :$2"; fi |
		awk '{ print $4 }'
}

ab_log "dual-stack :: with only :: granted"
ab_byuid <<'EOF'
::,80
EOF
pt_denied "byuid ::,80 only: tcp [::]:80 V6ONLY=0" "${v4half}byuid/$uid has no line that matches" \
	-V 0 :: 80
pt_denied "byuid ::,80 only: udp [::]:80 V6ONLY=0" "${v4half}byuid/$uid has no line" \
	-u -V 0 :: 80
pt_denied "byuid ::,80 only: [::]:80 with the default V6ONLY (0)" "${v4half}" :: 80
pt_granted "byuid ::,80 only: tcp [::]:80 V6ONLY=1" -V 1 :: 80
pt_granted "byuid ::,80 only: udp [::]:80 V6ONLY=1" -u -V 1 :: 80
pt_hold -V 1 :: 80
ab_expect_eq "the v6-only socket is [::]:80" "[::]:80" "$(local_address tcp 80)"
pt_connect ::1 80 || ab_fail "cannot connect to [::1]:80"
echo "ok: [::1]:80 accepts"
pt_connect 127.0.0.1 80 && ab_fail "127.0.0.1:80 accepts though the socket is v6-only"
echo "ok: 127.0.0.1:80 refuses"
pt_unhold
echo 1 >/proc/sys/net/ipv6/bindv6only || ab_fail "cannot set bindv6only"
pt_granted "byuid ::,80 only: [::]:80 with the default V6ONLY set to 1" :: 80
echo 0 >/proc/sys/net/ipv6/bindv6only

ab_log "dual-stack :: with only 0.0.0.0 granted"
ab_byuid <<'EOF'
0.0.0.0,80
EOF
pt_denied "byuid 0.0.0.0,80 only: [::]:80 V6ONLY=0" "byuid/$uid has no line" -V 0 :: 80
if ab_probe_stderr | grep -q 'IPv4 half'; then
	ab_fail "the IPv6 half was refused, but the message blames the IPv4 half: $(ab_probe_stderr)"
fi
echo "ok: the message does not blame the IPv4 half"
pt_denied "byuid 0.0.0.0,80 only: [::]:80 V6ONLY=1" "byuid/$uid has no line" -V 1 :: 80
pt_granted "byuid 0.0.0.0,80 only: 0.0.0.0:80" 0.0.0.0 80

ab_log "dual-stack :: with both granted"
ab_byuid <<'EOF'
::,80-81
0.0.0.0,80
EOF
pt_granted "both: tcp [::]:80 V6ONLY=0" -V 0 :: 80
pt_granted "both: udp [::]:80 V6ONLY=0" -u -V 0 :: 80
pt_granted "both: [::]:80 with the default V6ONLY" :: 80
pt_denied "both for 80, only :: for 81: [::]:81" "${v4half}byuid/$uid has no line" -V 0 :: 81
pt_hold -V 0 :: 80
ab_expect_eq "the socket is dual-stack, *:80" "*:80" "$(local_address tcp 80)"
pt_connect 127.0.0.1 80 || ab_fail "an IPv4 client cannot connect to 127.0.0.1:80"
echo "ok: an IPv4 client connects to 127.0.0.1:80"
pt_connect ::1 80 || ab_fail "an IPv6 client cannot connect to [::1]:80"
echo "ok: an IPv6 client connects to [::1]:80"
pt_unhold
pt_hold -u -V 0 :: 80
ab_expect_eq "the udp socket is dual-stack, *:80" "*:80" "$(local_address udp 80)"
pt_unhold

ab_log "the two halves from different kinds of rule"
ab_clear_policy
ab_byaddr ::,82
pt_denied "byaddr/::,82 only: [::]:82 V6ONLY=0" "${v4half}$(pt_re "$PT_NO_RULE")" -V 0 :: 82
ab_byaddr 0.0.0.0:82
pt_granted "byaddr/::,82 and byaddr/0.0.0.0:82" -V 0 :: 82
rm "$AB_POLICY/byaddr/0.0.0.0:82"
ab_byuid <<'EOF'
0.0.0.0,82
EOF
pt_granted "byaddr/::,82 and byuid 0.0.0.0,82" -u -V 0 :: 82
ab_byaddr 0.0.0.0:82 644
pt_denied "byaddr/0.0.0.0:82 not executable refuses the IPv4 half" \
	"${v4half}byaddr/0\\.0\\.0\\.0:82 exists but is not executable" -V 0 :: 82
ab_byport 83
pt_granted "byport/83 grants both halves" -V 0 :: 83

ab_log "the IPv4 half already taken"
ab_byport 84
pt_hold 0.0.0.0 84
pt_error "dual-stack [::]:84 while 0.0.0.0:84 is held" EADDRINUSE -V 0 :: 84
pt_granted "v6-only [::]:84 while 0.0.0.0:84 is held" -V 1 :: 84
pt_unhold

ab_log "IPv4-mapped addresses are judged as IPv4"
ab_clear_policy
ab_byaddr 127.0.0.1:90
ab_byaddr 127.0.0.1,91
ab_byaddr ::ffff:127.0.0.1,92
ab_byaddr 0:0:0:0:0:ffff:7f00:1,93
pt_granted "byaddr/127.0.0.1:90: [::ffff:127.0.0.1]:90" -6 127.0.0.1 90
pt_granted "byaddr/127.0.0.1:90: udp [::ffff:127.0.0.1]:90" -u -6 127.0.0.1 90
pt_granted "byaddr/127.0.0.1,91: [::ffff:127.0.0.1]:91" -6 127.0.0.1 91
pt_denied "byaddr/::ffff:127.0.0.1,92 is an IPv6 name" "$PT_NO_RULE" -6 127.0.0.1 92
pt_denied "byaddr/0:0:0:0:0:ffff:7f00:1,93 is an IPv6 name" "$PT_NO_RULE" -u -6 127.0.0.1 93
pt_denied "byaddr/127.0.0.1:90 does not cover [::ffff:127.0.0.2]" "$PT_NO_RULE" -6 127.0.0.2 90
ab_byuid <<'EOF'
127.0.0.1,94
::ffff:127.0.0.1,95
::ffff:127.0.0.0/104,96
::ffff:127.0.0.1-::ffff:127.0.0.9,97
127.0.0.0/8,98
0.0.0.0,99
EOF
pt_granted "byuid 127.0.0.1,94: [::ffff:127.0.0.1]:94" -6 127.0.0.1 94
# A rule written with a mapped address is the IPv4 rule it names.
pt_granted "byuid ::ffff:127.0.0.1,95 is 127.0.0.1: [::ffff:127.0.0.1]:95" -6 127.0.0.1 95
pt_granted "byuid ::ffff:127.0.0.1,95 is 127.0.0.1: 127.0.0.1:95" 127.0.0.1 95
pt_denied "byuid ::ffff:127.0.0.1,95 covers 127.0.0.1 only" "byuid/$uid has no line" \
	-6 127.0.0.2 95
pt_granted "byuid ::ffff:127.0.0.0/104,96 is 127.0.0.0/8" -u -6 127.0.0.1 96
pt_granted "byuid ::ffff:127.0.0.1-::ffff:127.0.0.9,97 is a range of IPv4" \
	-6 127.0.0.5 97
pt_denied "... and no wider" "byuid/$uid has no line" 127.0.0.10 97
pt_granted "byuid 127.0.0.0/8,98: [::ffff:127.0.0.200]:98" -6 127.0.0.200 98
pt_denied "byuid 127.0.0.1,94 does not cover [::ffff:127.0.0.2]:94" "byuid/$uid has no line" \
	-6 127.0.0.2 94
pt_granted "byuid 0.0.0.0,99: [::ffff:0.0.0.0]:99" -6 0.0.0.0 99
pt_denied "byuid 0.0.0.0,99 does not cover [::]:99 v6only" "byuid/$uid has no line" -V 1 :: 99
# The kernel refuses a mapped address on a v6-only socket; the grant must
# not hide that.
pt_error "a granted mapped address on a v6-only socket: EINVAL as natively" EINVAL \
	-V 1 -6 127.0.0.1 94
