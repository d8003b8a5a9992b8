#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The policy extensions: bygid, the '*' address, protocol qualifiers,
# comments, and names for users and groups.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"

# '*' covers both families, so Java's and Node's dual-stack :: bind works.
ab_byuid <<'X'
# web server
*,80
udp *,53
tcp 127.0.0.1,25
X
ab_expect_eq "'*,80' grants dual-stack ::" "bound :: 80" "$(ab_probe -V 0 :: 80)"
ab_expect_eq "'*,80' grants 0.0.0.0" "bound 0.0.0.0 80" "$(ab_probe 0.0.0.0 80)"
ab_expect_eq "'*,80' grants UDP too" "bound ::1 80" "$(ab_probe -u ::1 80)"
ab_expect_eq "'udp *,53' grants UDP" "bound 0.0.0.0 53" "$(ab_probe -u 0.0.0.0 53)"
ab_expect_eq "'udp *,53' does not grant TCP" "error EACCES" "$(ab_probe 0.0.0.0 53)"
ab_expect_eq "'tcp 127.0.0.1,25' grants TCP" "bound 127.0.0.1 25" "$(ab_probe 127.0.0.1 25)"
ab_expect_eq "'tcp 127.0.0.1,25' does not grant UDP" "error EACCES" "$(ab_probe -u 127.0.0.1 25)"
ab_port_bound udp 25 && ab_fail "udp 25 bound after a denial"
ab_clear_policy

# bygid: members of the group, primary or supplementary.
mkdir -m 755 "$AB_POLICY/bygid"
printf '0.0.0.0,443\n' >"$AB_POLICY/bygid/$AB_GROUP_GID"
chmod 644 "$AB_POLICY/bygid/$AB_GROUP_GID"
ab_expect_eq "bygid: not a member" "error EACCES" "$(ab_probe 0.0.0.0 443)"
out=$(ab_authbind --groups "$AB_GROUP_GID" "$AB_BIN/bindprobe" 0.0.0.0 443)
ab_expect_eq "bygid: a supplementary member" "bound 0.0.0.0 443" "$out"

# Names: byuid/NAME and bygid/NAME, resolved through the passwd and group
# databases (a private copy, bind-mounted in this namespace).
cp /etc/passwd "$AB_WORK/passwd"; cp /etc/group "$AB_WORK/group"
echo "abtest:x:$AB_TEST_UID:$AB_TEST_GID::/:/bin/sh" >>"$AB_WORK/passwd"
echo "abweb:x:41600:" >>"$AB_WORK/group"
mount --bind "$AB_WORK/passwd" /etc/passwd
mount --bind "$AB_WORK/group" /etc/group
ab_byuid abtest <<'X'
127.0.0.1,110
X
ab_expect_eq "byuid/NAME grants" "bound 127.0.0.1 110" "$(ab_probe 127.0.0.1 110)"
printf '127.0.0.1,111\n' >"$AB_POLICY/bygid/abweb"; chmod 644 "$AB_POLICY/bygid/abweb"
ab_expect_eq "bygid/NAME: not a member" "error EACCES" "$(ab_probe 127.0.0.1 111)"
out=$(ab_authbind --groups 41600 "$AB_BIN/bindprobe" 127.0.0.1 111)
ab_expect_eq "bygid/NAME: a member" "bound 127.0.0.1 111" "$out"

# A malformed line never grants, even where its start would.
ab_byuid <<'X'
127.0.0.1,112 
127.0.0.1,0x71
X
ab_expect_eq "trailing space is malformed" "error EACCES" "$(ab_probe 127.0.0.1 112)"
ab_expect_eq "hex is malformed" "error EACCES" "$(ab_probe 127.0.0.1 113)"
