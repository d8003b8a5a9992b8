#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Trees made for Debian's authbind keep working: a byuid file readable by
# root alone grants (Debian's helper read it as root), and POSIX ACLs on
# byport and byaddr files grant and deny as Debian's access() check did.
# For each, the helper's answer (a real bind as the test user), the
# answer of authbind --explain --user as root, and --list and
# --check-config agree.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "${AB_SRCDIR:-.}/tests/integration/policy-common.sh"

command -v setfacl >/dev/null 2>&1 || ab_skip "setfacl is not installed (package acl)"

other=$AB_OTHER_UID
notx='exists but is not executable by the caller'

# explain_says WHAT EXIT [--groups G] [--uid U] [tcp|udp] ADDR:PORT: as
# root, --explain --user must exit EXIT (0 granted, 1 denied).
explain_says() {
	what=$1 want=$2
	shift 2
	user=$AB_TEST_UID
	case $1 in --uid) user=$2; shift 2 ;; esac
	"$AB_WRAPPER" --explain --user "$user" "$@" >"$AB_WORK/explain.out" 2>&1
	ab_expect_eq "$what: --explain --user $user exits $want" "$want" "$?"
}

ab_log "byuid/UID readable by root alone"
ab_byuid <<'EOF'
0.0.0.0,80
::,80
EOF
chmod 600 "$AB_POLICY/byuid/$AB_TEST_UID"
pt_granted "root-only byuid grants 0.0.0.0:80" 0.0.0.0 80
pt_granted "root-only byuid grants tcp [::]:80 v6-only" -V 1 :: 80
pt_denied "root-only byuid: an unlisted port is refused" \
	"byuid/$AB_TEST_UID has no line that matches" 0.0.0.0 81
pt_denied "root-only byuid of another uid grants nothing" "$PT_NO_RULE" \
	--uid $other 0.0.0.0 80
explain_says "root-only byuid" 0 tcp 0.0.0.0:80
explain_says "root-only byuid, port 81" 1 tcp 0.0.0.0:81
"$AB_WRAPPER" --check-config >"$AB_WORK/cc.out" 2>&1 ||
	ab_fail "--check-config finds fault with a root-only byuid file: $(cat "$AB_WORK/cc.out")"
echo "ok: --check-config finds nothing wrong with a root-only byuid file"
ab_expect_match "--list --user shows the root-only grant" \
	"0\\.0\\.0\\.0,80 +byuid/$AB_TEST_UID line 1" \
	"$("$AB_WRAPPER" --list --user $AB_TEST_UID)"
# Run by the user, --explain cannot read the file and says so.
ab_authbind --explain 0.0.0.0:80 >"$AB_WORK/explain.out" 2>&1
ab_expect_eq "the user's own --explain cannot answer (exit 2)" 2 "$?"
ab_expect_match "... and says who can" "cannot be read by you.*ask root" \
	"$(cat "$AB_WORK/explain.out")"

ab_log "root-only bygid file"
ab_clear_policy
mkdir -p -m 755 "$AB_POLICY/bygid"
printf 'udp *,53\n' >"$AB_POLICY/bygid/$AB_GROUP_GID"
chmod 600 "$AB_POLICY/bygid/$AB_GROUP_GID"
pt_granted "root-only bygid grants a member" --groups $AB_GROUP_GID -u 0.0.0.0 53
pt_denied "root-only bygid: not a member" "$PT_NO_RULE" -u 0.0.0.0 53
rm -rf "$AB_POLICY/bygid"

ab_log "byport with an ACL that grants one user"
ab_byport 81 500                      # root's alone by its mode bits
setfacl -m u:$AB_TEST_UID:r-x "$AB_POLICY/byport/81" || ab_fail "setfacl"
pt_granted "ACL u:$AB_TEST_UID:r-x on a root 0500 byport grants" 0.0.0.0 81
pt_granted "... over UDP and IPv6 too" -u ::1 81
pt_denied "... not another uid" "byport/81 $notx" --uid $other 0.0.0.0 81
explain_says "ACL grant" 0 0.0.0.0:81
explain_says "ACL grant, another uid" 1 --uid $other 0.0.0.0:81
ab_expect_match "--list --user (as root) shows the ACL grant" \
	"\\*,81 +byport/81" "$("$AB_WRAPPER" --list --user $AB_TEST_UID)"
setfacl -m m::r-- "$AB_POLICY/byport/81"
pt_denied "... unless the mask takes x away" "byport/81 $notx" 0.0.0.0 81
explain_says "ACL grant under a mask without x" 1 0.0.0.0:81

ab_log "byport with an ACL that refuses one user"
ab_byport 82 555
setfacl -m u:$AB_TEST_UID:--- "$AB_POLICY/byport/82" || ab_fail "setfacl"
pt_denied "ACL u:$AB_TEST_UID:--- refuses although other may execute" \
	"byport/82 $notx" 0.0.0.0 82
pt_granted "... while another uid still may" --uid $other 0.0.0.0 82
explain_says "ACL refusal" 1 0.0.0.0:82
explain_says "ACL refusal, another uid" 0 --uid $other 0.0.0.0:82

ab_log "byaddr with a group ACL"
ab_byaddr 127.0.0.1:83 500
setfacl -m g:$AB_GROUP_GID:r-x "$AB_POLICY/byaddr/127.0.0.1:83" || ab_fail "setfacl"
pt_granted "ACL g:$AB_GROUP_GID:r-x grants a member" --groups $AB_GROUP_GID 127.0.0.1 83
pt_denied "... not a non-member" "byaddr/127.0.0.1:83 $notx" 127.0.0.1 83
"$AB_WRAPPER" --check-config >"$AB_WORK/cc.out" 2>&1 ||
	ab_fail "--check-config finds fault with ACL'd files: $(cat "$AB_WORK/cc.out")"
echo "ok: --check-config finds nothing wrong with ACL'd files"
