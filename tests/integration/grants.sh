#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every form of grant the policy knows, over TCP and UDP, IPv4 and IPv6:
# byport (plain, the legacy !PORT name, owner and group execute bits),
# byaddr (each spelling of the address), byuid (each line form, prefixes
# and ranges).  Beside each grant, its nearest neighbour (another port,
# address or uid) must stay refused, so no grant can pass by granting
# everything.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "${AB_SRCDIR:-.}/tests/integration/policy-common.sh"

other=$AB_OTHER_UID
notx='exists but is not executable by the caller'

# Addresses on lo beyond 127/8 and ::1; nodad makes them usable at once.
for a in 2001:db8::5 2001:db8::6 2001:db8::7 2001:db8:0:1::1; do
	ip -6 addr add "$a/128" dev lo nodad || ab_fail "cannot add $a to lo"
done

ab_log "byport/PORT"
ab_byport 80
pt_granted "byport/80: tcp 0.0.0.0:80" 0.0.0.0 80
pt_granted "byport/80: udp 0.0.0.0:80" -u 0.0.0.0 80
pt_granted "byport/80: tcp 127.0.0.1:80" 127.0.0.1 80
pt_granted "byport/80: tcp [::1]:80" ::1 80
pt_granted "byport/80: udp [::]:80 v6only" -u -V 1 :: 80
pt_granted "byport/80: tcp [::]:80 dual-stack" -V 0 :: 80
pt_granted "byport/80 (mode 755): any uid" --uid $other 0.0.0.0 80
pt_denied "byport/80 does not grant 81" "$PT_NO_RULE" 0.0.0.0 81
pt_denied "byport/80 does not grant udp 79" "$PT_NO_RULE" -u 0.0.0.0 79

ab_log "byport/!PORT, the legacy name for 512-1023"
ab_clear_policy
ab_byport '!600'
ab_byport '!512'
ab_byport '!1023'
ab_byport '!511'
ab_byport '!443'
pt_granted "byport/!600: tcp 600" 0.0.0.0 600
pt_granted "byport/!600: udp 600" -u 0.0.0.0 600
pt_granted "byport/!512: the lowest legacy port" 127.0.0.1 512
pt_granted "byport/!1023: the highest legacy port" ::1 1023
pt_denied "byport/!600 does not grant 601" "$PT_NO_RULE" 0.0.0.0 601
pt_denied "byport/!511 is not a name for 511" "$PT_NO_RULE" 0.0.0.0 511
pt_denied "byport/!443 is not a name for 443" "$PT_NO_RULE" -u 0.0.0.0 443

ab_log "byport owned by the user, mode 500 (as Debian documents it)"
ab_clear_policy
ab_byport 82 500 $AB_TEST_UID
pt_granted "byport/82 (user, 500): the user" 0.0.0.0 82
pt_granted "byport/82 (user, 500): the user, udp" -u 0.0.0.0 82
pt_denied "byport/82 (user, 500): another uid" "byport/82 $notx" --uid $other 0.0.0.0 82
pt_denied "byport/82 (user, 500): the user, port 83" "$PT_NO_RULE" 0.0.0.0 83

ab_log "byport group-executable, the user in the group"
ab_byport 84 710 root:$AB_GROUP_GID
pt_granted "byport/84 (root:group, 710): user in the group" \
	--groups $AB_GROUP_GID 0.0.0.0 84
pt_granted "byport/84 (root:group, 710): another uid in the group" \
	--uid $other --groups $AB_GROUP_GID -u 0.0.0.0 84
pt_denied "byport/84 (root:group, 710): the user outside the group" \
	"byport/84 $notx" 0.0.0.0 84
# The kernel's rule: the owner class decides for the owner, even when the
# group bits would allow it.
ab_byport 85 070 $AB_TEST_UID:$AB_GROUP_GID
pt_denied "byport/85 (user:group, 070): the owner is judged as owner" \
	"byport/85 $notx" --groups $AB_GROUP_GID 0.0.0.0 85
pt_granted "byport/85 (user:group, 070): another member of the group" \
	--uid $other --groups $AB_GROUP_GID 0.0.0.0 85
# ... and the group class for a member, even when other may execute.
ab_byport 86 705 root:$AB_GROUP_GID
pt_denied "byport/86 (root:group, 705): a member is judged as group" \
	"byport/86 $notx" --groups $AB_GROUP_GID 0.0.0.0 86
pt_granted "byport/86 (root:group, 705): a non-member is judged as other" 0.0.0.0 86

ab_log "byaddr/A.B.C.D:PORT"
ab_clear_policy
ab_byaddr 127.0.0.1:80
pt_granted "byaddr/127.0.0.1:80: tcp" 127.0.0.1 80
pt_granted "byaddr/127.0.0.1:80: udp" -u 127.0.0.1 80
pt_granted "byaddr/127.0.0.1:80: another uid (mode 755)" --uid $other 127.0.0.1 80
pt_denied "byaddr/127.0.0.1:80: port 81" "$PT_NO_RULE" 127.0.0.1 81
pt_denied "byaddr/127.0.0.1:80: 127.0.0.2" "$PT_NO_RULE" 127.0.0.2 80
pt_denied "byaddr/127.0.0.1:80: 0.0.0.0" "$PT_NO_RULE" 0.0.0.0 80

ab_log "byaddr/A.B.C.D,PORT"
ab_byaddr 127.0.0.1,87
pt_granted "byaddr/127.0.0.1,87: tcp" 127.0.0.1 87
pt_granted "byaddr/127.0.0.1,87: udp" -u 127.0.0.1 87
pt_denied "byaddr/127.0.0.1,87: 127.0.0.2" "$PT_NO_RULE" 127.0.0.2 87
pt_denied "byaddr/127.0.0.1,87: port 88" "$PT_NO_RULE" -u 127.0.0.1 88
ab_byaddr 0.0.0.0,89
pt_granted "byaddr/0.0.0.0,89: the wildcard" 0.0.0.0 89
pt_denied "byaddr/0.0.0.0,89 does not cover 127.0.0.1" "$PT_NO_RULE" 127.0.0.1 89

ab_log "byaddr/ADDR,PORT for IPv6, as inet_ntop writes it"
ab_byaddr ::1,90
ab_byaddr 2001:db8::5,91
ab_byaddr ::,92
pt_granted "byaddr/::1,90: tcp" ::1 90
pt_granted "byaddr/::1,90: udp" -u ::1 90
pt_denied "byaddr/::1,90: port 93" "$PT_NO_RULE" ::1 93
pt_denied "byaddr/::1,90: [::] v6only" "$PT_NO_RULE" -V 1 :: 90
pt_granted "byaddr/2001:db8::5,91" 2001:db8::5 91
pt_denied "byaddr/2001:db8::5,91: 2001:db8::6" "$PT_NO_RULE" 2001:db8::6 91
pt_granted "byaddr/::,92: [::] v6only" -V 1 :: 92
pt_denied "byaddr/::,92: ::1" "$PT_NO_RULE" ::1 92

ab_log "byaddr/ADDR,PORT for IPv6 in the full eight-group form"
ab_byaddr 0:0:0:0:0:0:0:1,94
ab_byaddr 2001:db8:0:0:0:0:0:5,95
ab_byaddr 2001:0db8::6,95
pt_granted "byaddr/0:0:0:0:0:0:0:1,94" ::1 94
pt_granted "byaddr/0:0:0:0:0:0:0:1,94: udp" -u ::1 94
pt_denied "byaddr/0:0:0:0:0:0:0:1,94: port 96" "$PT_NO_RULE" ::1 96
pt_granted "byaddr/2001:db8:0:0:0:0:0:5,95" 2001:db8::5 95
pt_denied "byaddr: a third spelling (2001:0db8::6) is no name" "$PT_NO_RULE" 2001:db8::6 95

ab_log "byaddr/!NAME, the legacy names for 512-1023"
ab_clear_policy
ab_byaddr '!127.0.0.1:600'
ab_byaddr '!127.0.0.1,601'
ab_byaddr '!::1,602'
ab_byaddr '!0:0:0:0:0:0:0:1,603'
ab_byaddr '!127.0.0.1:97'
ab_byaddr '!::1,511'
pt_granted "byaddr/!127.0.0.1:600" 127.0.0.1 600
pt_granted "byaddr/!127.0.0.1,601" -u 127.0.0.1 601
pt_granted "byaddr/!::1,602" ::1 602
pt_granted "byaddr/!0:0:0:0:0:0:0:1,603" -u ::1 603
pt_denied "byaddr/!127.0.0.1:600: 127.0.0.2" "$PT_NO_RULE" 127.0.0.2 600
pt_denied "byaddr/!::1,602: port 604" "$PT_NO_RULE" ::1 604
pt_denied "byaddr/!127.0.0.1:97 is not a name for 97" "$PT_NO_RULE" 127.0.0.1 97
pt_denied "byaddr/!::1,511 is not a name for 511" "$PT_NO_RULE" ::1 511

ab_log "byaddr owned by the user, mode 500"
ab_byaddr 127.0.0.1:98 500 $AB_TEST_UID
pt_granted "byaddr/127.0.0.1:98 (user, 500): the user" 127.0.0.1 98
pt_denied "byaddr/127.0.0.1:98 (user, 500): another uid" \
	"byaddr/127.0.0.1:98 $notx" --uid $other 127.0.0.1 98

ab_log "byuid/UID, every line form"
ab_clear_policy
ab_byuid <<'EOF'
# the old IPv4 form, without and with a prefix, a space after the colon
127.0.0.1:100,102
127.0.1.0/24: 110,112

# ADDR[/LEN],PORT[-PORT]
127.0.2.0/24,120
::1,140
2001:db8::/64,150-151
0.0.0.0,170
::,171
# ADDRMIN-ADDRMAX,PORT[-PORT]
127.0.3.1-127.0.3.9,130-132
2001:db8::5-2001:db8::6,160
EOF
pt_granted "byuid 127.0.0.1:100,102: 100" 127.0.0.1 100
pt_granted "byuid 127.0.0.1:100,102: udp 101" -u 127.0.0.1 101
pt_granted "byuid 127.0.0.1:100,102: 102" 127.0.0.1 102
pt_denied "byuid 127.0.0.1:100,102: 103" "byuid/$AB_TEST_UID has no line that matches" 127.0.0.1 103
pt_denied "byuid 127.0.0.1:100,102: 99" "has no line that matches" -u 127.0.0.1 99
pt_denied "byuid 127.0.0.1:100,102: 127.0.0.2" "has no line that matches" 127.0.0.2 100
pt_denied "byuid 127.0.0.1:100,102: another uid" "$PT_NO_RULE" --uid $other 127.0.0.1 100

pt_granted "byuid 127.0.1.0/24: 110,112: 127.0.1.7:110" 127.0.1.7 110
pt_granted "byuid 127.0.1.0/24: 110,112: udp 127.0.1.255:112" -u 127.0.1.255 112
pt_denied "byuid 127.0.1.0/24: 110,112: 127.0.4.1" "has no line" 127.0.4.1 110
pt_denied "byuid 127.0.1.0/24: 110,112: 113" "has no line" 127.0.1.7 113

pt_granted "byuid 127.0.2.0/24,120: 127.0.2.200" 127.0.2.200 120
pt_granted "byuid 127.0.2.0/24,120: udp 127.0.2.0" -u 127.0.2.0 120
pt_denied "byuid 127.0.2.0/24,120: 121" "has no line" 127.0.2.200 121
pt_denied "byuid 127.0.2.0/24,120: 127.0.5.1" "has no line" 127.0.5.1 120

pt_granted "byuid 127.0.3.1-127.0.3.9,130-132: low end" 127.0.3.1 130
pt_granted "byuid 127.0.3.1-127.0.3.9,130-132: high end, udp" -u 127.0.3.9 132
pt_denied "byuid 127.0.3.1-127.0.3.9,130-132: 127.0.3.10" "has no line" 127.0.3.10 130
pt_denied "byuid 127.0.3.1-127.0.3.9,130-132: 127.0.3.0" "has no line" 127.0.3.0 131
pt_denied "byuid 127.0.3.1-127.0.3.9,130-132: 133" "has no line" 127.0.3.5 133

pt_granted "byuid ::1,140: tcp" ::1 140
pt_granted "byuid ::1,140: udp" -u ::1 140
pt_denied "byuid ::1,140: 141" "has no line" ::1 141

pt_granted "byuid 2001:db8::/64,150-151: ::5 150" 2001:db8::5 150
pt_granted "byuid 2001:db8::/64,150-151: udp ::6 151" -u 2001:db8::6 151
pt_denied "byuid 2001:db8::/64,150-151: another /64" "has no line" 2001:db8:0:1::1 150
pt_denied "byuid 2001:db8::/64,150-151: 152" "has no line" 2001:db8::5 152

pt_granted "byuid 2001:db8::5-2001:db8::6,160: ::5" 2001:db8::5 160
pt_granted "byuid 2001:db8::5-2001:db8::6,160: udp ::6" -u 2001:db8::6 160
pt_denied "byuid 2001:db8::5-2001:db8::6,160: ::7" "has no line" 2001:db8::7 160

pt_granted "byuid 0.0.0.0,170" 0.0.0.0 170
pt_denied "byuid 0.0.0.0,170: 127.0.0.1" "has no line" 127.0.0.1 170
pt_denied "byuid 0.0.0.0,170 does not cover [::]" "has no line" -V 1 :: 170
pt_granted "byuid ::,171: [::] v6only" -V 1 :: 171
pt_denied "byuid ::,171 does not cover 0.0.0.0" "has no line" 0.0.0.0 171

ab_log "byuid/!UID, the legacy name for 512-1023"
ab_byuid "!$AB_TEST_UID" <<'EOF'
127.0.0.1,1-1023
EOF
pt_granted "byuid/!UID 127.0.0.1,1-1023: 512" 127.0.0.1 512
pt_granted "byuid/!UID 127.0.0.1,1-1023: udp 1023" -u 127.0.0.1 1023
pt_denied "byuid/!UID is not read for 511" "byuid/$AB_TEST_UID has no line" 127.0.0.1 511
pt_denied "byuid/!UID is not read for 200" "has no line" 127.0.0.1 200
pt_denied "byuid/!UID 127.0.0.1,1-1023: 127.0.0.2" \
	"no line of byuid/$AB_TEST_UID, byuid/!$AB_TEST_UID matches" 127.0.0.2 600

ab_log "byuid for another uid"
ab_byuid $other <<'EOF'
0.0.0.0,180
EOF
pt_granted "byuid/$other grants that uid" --uid $other 0.0.0.0 180
pt_granted "byuid/$other grants that uid, udp" --uid $other -u 0.0.0.0 180
pt_denied "byuid/$other is not the test user's" "byuid/$AB_TEST_UID has no line" 0.0.0.0 180
