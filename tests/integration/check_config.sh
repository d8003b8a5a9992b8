#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# authbind --check-config on a private policy tree: silent and 0 on a
# clean one, and on a tree with every kind of problem exactly the report
# in the golden file and 1.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "$AB_SRCDIR/tests/integration/golden.sh"



# The names the report resolves, in this namespace only, so that no host
# account can make "no such user" true or false.
cat >"$AB_WORK/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
abtest:x:$AB_TEST_UID:$AB_TEST_GID::/:/bin/sh
EOF
cat >"$AB_WORK/group" <<EOF
root:x:0:
abtest:x:$AB_TEST_GID:
abweb:x:$AB_GROUP_GID:abtest
EOF
chmod 644 "$AB_WORK/passwd" "$AB_WORK/group"
mount --bind "$AB_WORK/passwd" /etc/passwd || ab_fail "cannot mount a private /etc/passwd"
mount --bind "$AB_WORK/group" /etc/group || ab_fail "cannot mount a private /etc/group"

P=$AB_POLICY
rule_file() {  # PATH [MODE [OWNER]] < lines
	cat >"$1"
	chmod "${2:-644}" "$1"
	[ -z "${3:-}" ] || chown "$3" "$1"
}

ab_log "an empty tree"
check check-config-clean 0 "$AB_WRAPPER" --check-config

ab_log "a clean tree with every kind of entry"
ab_byport 80
ab_byport '!600'
ab_byport 8080 500 "$AB_TEST_UID"
ab_byaddr 127.0.0.1:81
ab_byaddr ::1,81 500 "$AB_TEST_UID"
ab_byaddr '!0:0:0:0:0:0:0:1,700'
ab_byuid <<'X'
# everything a rule line can be

*,443
0.0.0.0,8443
::,8443
udp 0.0.0.0,53
udp ::/0,53
tcp 10.0.0.0/8,25
192.168.0.1-192.168.0.9,110-119
127.0.0.1:1000,1010
127.0.0.0/8: 2000,2001
X
rule_file "$P/byuid/!$AB_TEST_UID" <<'X'
127.0.0.1,600-700
X
rule_file "$P/byuid/abtest" <<'X'
fe80::/64,22
X
# Readable by root alone, as Debian's helper read it: fine.
rule_file "$P/byuid/$AB_OTHER_UID" 600 <<'X'
::1,22
X
mkdir -m 755 "$P/bygid"
rule_file "$P/bygid/$AB_GROUP_GID" <<'X'
::1,443
X
rule_file "$P/bygid/abweb" <<'X'
*,8000-8010
X
check check-config-clean 0 "$AB_WRAPPER" --check-config
# The helper reads the policy as root; a user's check cannot read all of
# it and says so.
check check-config-as-user 1 ab_authbind --check-config

ab_log "a tree with only warnings still fails"
ab_byuid <<'X'
0.0.0.0,80
X
check check-config-warning 1 "$AB_WRAPPER" --check-config

ab_log "a tree with every kind of problem"
rm -rf "$P/byport" "$P/byaddr" "$P/byuid" "$P/bygid"
mkdir -m 755 "$P/byport" "$P/byaddr" "$P/byuid" "$P/bygid"
ab_byport 80 777                       # writable by anyone
ab_byport 81 644                       # executable by nobody
ab_byport 443
ln -s 443 "$P/byport/8443"             # a symlink
ab_byport '!2000'                      # '!' outside 512-1023
ab_byport http                         # not a port
ab_byaddr localhost:80                 # not an address
ab_byaddr '!127.0.0.1:25'              # '!' outside 512-1023
ab_byuid <<'X'
# comments and blank lines are fine

127.0.0.1,25
0.0.0.0,80
*,443
127.0.0.1,0x19
127.0.0.1,25 
10.0.0.1/8,80
127.0.0.1,90-80
127.0.0.1,0
::1/129,80
127.0.0.1,65536
1.2.3.4-1.2.3.1,80
1.2.3.4:80
sctp 127.0.0.1,80
X
rule_file "$P/byuid/!$AB_TEST_UID" <<'X'
127.0.0.1,600
127.0.0.1,80
X
rule_file "$P/byuid/41001" 664 <<'X'
::1,22
X
rule_file "$P/byuid/41002" 644 41002 <<'X'
::1,23
X
rule_file "$P/byuid/41003" 600 <<'X'
::1,24
X
ln -s "$AB_TEST_UID" "$P/byuid/41004"
rule_file "$P/byuid/nosuchuser" <<'X'
::1,24
X
rule_file "$P/bygid/nosuchgroup" <<'X'
::1,24
X
# TCP is covered for ::, UDP is not.
rule_file "$P/bygid/abweb" <<'X'
0.0.0.0,53
tcp ::,53
X
echo 'a stray file' >"$P/README"
check check-config-problems 1 "$AB_WRAPPER" --check-config

ab_log "an untrusted directory"
rm -rf "$P/byport" "$P/byaddr" "$P/byuid" "$P/bygid" "$P/README"
mkdir -m 755 "$P/byport" "$P/byaddr" "$P/byuid"
chmod 775 "$P/byuid"
ln -s byport "$P/bygid"
check check-config-directories 1 "$AB_WRAPPER" --check-config
