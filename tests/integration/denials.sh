#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What the policy refuses, and how: no rule; a byport/byaddr file that
# exists but is not executable (it decides, a matching byuid line further
# on does not get a say); byuid files with only malformed lines; symlinks
# in place of files or directories; rule files and directories that are
# not root's alone.  Every denial must give EACCES, one line on stderr
# naming the uid, protocol, address, port and reason, and an unbound port.
# Each unsafe setup is shown to grant once it is made safe, so the denial
# is known to come from what the test broke.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "${AB_SRCDIR:-.}/tests/integration/policy-common.sh"

uid=$AB_TEST_UID
grant80() {
	ab_byuid <<'EOF'
0.0.0.0,80
EOF
}

ab_log "no rule at all"
pt_denied "no rule: tcp 0.0.0.0:80" "$PT_NO_RULE" 0.0.0.0 80
pt_denied "no rule: udp 0.0.0.0:80" "$PT_NO_RULE" -u 0.0.0.0 80
pt_denied "no rule: tcp [::1]:1" "$PT_NO_RULE" ::1 1
pt_denied "no rule: udp [::]:1023 v6only" "$PT_NO_RULE" -u -V 1 :: 1023
pt_denied "no rule: another uid" "$PT_NO_RULE" --uid $AB_OTHER_UID 127.0.0.1 443
rmdir "$AB_POLICY/byport" "$AB_POLICY/byaddr" "$AB_POLICY/byuid"
pt_denied "no subdirectories at all" "$PT_NO_RULE" 0.0.0.0 80
mkdir -m 755 "$AB_POLICY/byport" "$AB_POLICY/byaddr" "$AB_POLICY/byuid"

ab_log "a byport or byaddr file that is not executable decides"
grant80
ab_byport 80 644
pt_denied "byport/80 mode 644, byuid grants" \
	"byport/80 exists but is not executable by the caller" 0.0.0.0 80
pt_denied "byport/80 mode 644, byuid grants: udp" "byport/80 exists but is not executable" \
	-u 0.0.0.0 80
rm "$AB_POLICY/byport/80"
ab_byaddr 0.0.0.0:80 644
pt_denied "byaddr/0.0.0.0:80 mode 644, byuid grants" \
	"byaddr/0.0.0.0:80 exists but is not executable by the caller" 0.0.0.0 80
rm "$AB_POLICY/byaddr/0.0.0.0:80"
pt_granted "with them gone, the byuid line grants" 0.0.0.0 80
ab_byport 80 744
pt_denied "byport/80 mode 744 (root's x only)" "byport/80 exists but is not executable" 0.0.0.0 80
ab_byport 80 755
ab_byaddr 0.0.0.0:80 644
pt_granted "byport decides before byaddr" 0.0.0.0 80
ab_clear_policy
ab_byport 700 644
ab_byport '!700' 755
pt_denied "byport/700 not executable beside an executable byport/!700" \
	"byport/700 exists but is not executable" 0.0.0.0 700
ab_byaddr 127.0.0.1:701 644
ab_byaddr 127.0.0.1,701 755
pt_denied "byaddr/127.0.0.1:701 not executable beside an executable byaddr/127.0.0.1,701" \
	"byaddr/127.0.0.1:701 exists but is not executable" 127.0.0.1 701

ab_log "a byuid file with only malformed lines"
ab_clear_policy
# Each line nearly says "0.0.0.0 (or 127.0.0.1), port 80"; none may match.
printf '%s\n' \
	'0.0.0.0,80 ' \
	'0.0.0.0,80	' \
	'0.0.0.0,80# comment' \
	'0.0.0.0, 80' \
	'0.0.0.0 ,80' \
	'0.0.0.0,+80' \
	'0.0.0.0,0x50' \
	'0.0.0.0,0-80' \
	'0.0.0.0,80-65536' \
	'0.0.0.0,90-80' \
	'0.0.0.0,80,80' \
	'0.0.0.0/33,80' \
	'127.0.0.1/8,80' \
	'127.0.0.1/8: 80,80' \
	'0.0.0.0:  80,80' \
	'0.0.0.0:80' \
	'0.0.0.0:90,80' \
	'0.0.0.0-127.0.0.1/8,80' \
	'127.0.0.2-127.0.0.1,80' \
	'0.0.0.0-::1,80' \
	'::/129,80' \
	'::1/64,80' \
	'0.0.0.0/-1,80' \
	'0.0.0.0,' \
	',80' \
	'0.0.0.0' \
	'00.0.0.0,80' \
	'0.0.0.0.0,80' \
	'*:80' \
	'**,80' \
	"0.0.0.0,80$(printf '\r')" | ab_byuid
printf '0.0.0.0,80\0\n' >>"$AB_POLICY/byuid/$uid"
pt_denied "only malformed lines: tcp 0.0.0.0:80" "byuid/$uid has no line that matches" 0.0.0.0 80
pt_denied "only malformed lines: udp 0.0.0.0:80" "byuid/$uid has no line that matches" -u 0.0.0.0 80
pt_denied "only malformed lines: 127.0.0.1:80" "byuid/$uid has no line that matches" 127.0.0.1 80
pt_denied "only malformed lines: [::1]:80" "byuid/$uid has no line that matches" ::1 80
printf '0.0.0.0,80\n' >>"$AB_POLICY/byuid/$uid"
pt_granted "one good line after them grants" 0.0.0.0 80
pt_denied "... and no more than it says" "byuid/$uid has no line that matches" 127.0.0.1 80

ab_log "symlinks are never followed"
ab_clear_policy
mkdir -m 755 "$AB_WORK/elsewhere"
: >"$AB_WORK/elsewhere/80"
chmod 755 "$AB_WORK/elsewhere/80"
ln -s "$AB_WORK/elsewhere/80" "$AB_POLICY/byport/80"
ab_byport 81
ln -s 81 "$AB_POLICY/byport/82"
pt_denied "byport/80 a symlink to an executable file outside" \
	"byport/80 is not a regular file \\(symlinks are not followed\\)" 0.0.0.0 80
pt_denied "byport/82 a symlink to byport/81 beside it" \
	"byport/82 is not a regular file" -u 0.0.0.0 82
pt_granted "byport/81 itself grants" 0.0.0.0 81
ln -s 81 "$AB_POLICY/byaddr/127.0.0.1:83"
cp -p "$AB_POLICY/byport/81" "$AB_POLICY/byaddr/81"
pt_denied "byaddr/127.0.0.1:83 a symlink" "byaddr/127.0.0.1:83 is not a regular file" 127.0.0.1 83
printf '0.0.0.0,80-90\n' >"$AB_WORK/elsewhere/rules"
chmod 644 "$AB_WORK/elsewhere/rules"
ln -s "$AB_WORK/elsewhere/rules" "$AB_POLICY/byuid/$uid"
pt_denied "byuid/$uid a symlink to a good rule file" \
	"byuid/$uid is a symlink, which is not followed" 0.0.0.0 85
rm "$AB_POLICY/byuid/$uid"
cp -p "$AB_WORK/elsewhere/rules" "$AB_POLICY/byuid/$uid"
pt_granted "the same rules as a regular file grant" 0.0.0.0 85
rm "$AB_POLICY/byuid/$uid"
mkdir -m 755 "$AB_WORK/elsewhere/byuid"
cp -p "$AB_WORK/elsewhere/rules" "$AB_WORK/elsewhere/byuid/$uid"
rmdir "$AB_POLICY/byuid"
ln -s "$AB_WORK/elsewhere/byuid" "$AB_POLICY/byuid"
pt_denied "byuid a symlink to a good directory" \
	"byuid is not a directory \\(symlinks are not followed\\)" 0.0.0.0 86
rm "$AB_POLICY/byuid"
mkdir -m 755 "$AB_POLICY/byuid"

ab_log "byuid files and directories must be root's alone"
ab_clear_policy
grant80
pt_granted "byuid/$uid root 644 grants (the control)" 0.0.0.0 80
chmod 664 "$AB_POLICY/byuid/$uid"
pt_denied "byuid/$uid group-writable" \
	"byuid/$uid is writable by group or other, so it is not trusted" 0.0.0.0 80
chmod 646 "$AB_POLICY/byuid/$uid"
pt_denied "byuid/$uid other-writable" "byuid/$uid is writable by group or other" -u 0.0.0.0 80
chmod 644 "$AB_POLICY/byuid/$uid"
chown $uid "$AB_POLICY/byuid/$uid"
pt_denied "byuid/$uid owned by the user" \
	"byuid/$uid is not owned by root, so it is not trusted" 0.0.0.0 80
chown 0 "$AB_POLICY/byuid/$uid"
# The helper reads the policy with root's read access, as Debian's did.
chmod 600 "$AB_POLICY/byuid/$uid"
pt_granted "byuid/$uid readable by root alone grants" 0.0.0.0 80
chmod 644 "$AB_POLICY/byuid/$uid"
ab_byuid "!$uid" <<'EOF'
0.0.0.0,600
EOF
chmod 664 "$AB_POLICY/byuid/!$uid"
pt_denied "byuid/!$uid group-writable" "byuid/!$uid is writable by group or other" 0.0.0.0 600
rm "$AB_POLICY/byuid/!$uid"
chmod 775 "$AB_POLICY/byuid"
pt_denied "the byuid directory group-writable" \
	"byuid is writable by group or other, so it is not trusted" 0.0.0.0 80
chmod 755 "$AB_POLICY/byuid"
chown $uid "$AB_POLICY/byuid"
pt_denied "the byuid directory owned by the user" \
	"byuid is not owned by root, so it is not trusted" 0.0.0.0 80
chown 0 "$AB_POLICY/byuid"
chmod 757 "$AB_POLICY/byport"
pt_denied "the byport directory other-writable, though byuid grants" \
	"byport is writable by group or other, so it is not trusted" 0.0.0.0 80
chmod 755 "$AB_POLICY/byport"
pt_granted "all made safe again, byuid grants" 0.0.0.0 80

ab_log "the policy directory itself"
ab_byport 81
chmod 775 "$AB_POLICY"
pt_denied "the policy directory group-writable: byport" \
	"$(pt_re "$AB_POLICY_DIR") is writable by group or other, so it is not trusted" \
	0.0.0.0 81
pt_denied "the policy directory group-writable: byuid" \
	"$(pt_re "$AB_POLICY_DIR") is writable by group or other" -u 0.0.0.0 80
chmod 755 "$AB_POLICY"
chown $uid "$AB_POLICY"
pt_denied "the policy directory owned by the user" \
	"$(pt_re "$AB_POLICY_DIR") is not owned by root, so it is not trusted" 0.0.0.0 81
chown 0 "$AB_POLICY"
pt_granted "the policy directory root's again" 0.0.0.0 81
