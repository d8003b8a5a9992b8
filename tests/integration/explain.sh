#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# authbind --explain and --list against a private policy tree, compared
# with golden files; and the shim's denial line, whose suggested rule is
# added to the policy to prove that it grants exactly the refused bind.
. "${AB_SRCDIR:-.}/tests/integration/harness.sh"
ab_setup "$@"
. "$AB_SRCDIR/tests/integration/golden.sh"



# refused NAME STATUS PATTERN CMD...: CMD exits with STATUS, prints nothing
# on stdout and PATTERN (grep -E) on stderr.
refused() {
	name=$1 want=$2 pattern=$3
	shift 3
	"$@" >"$AB_WORK/out" 2>"$AB_WORK/err"
	rc=$?
	[ ! -s "$AB_WORK/out" ] || ab_fail "$name: unexpected stdout: $(cat "$AB_WORK/out")"
	ab_expect_eq "$name exits $want" "$want" "$rc"
	ab_expect_match "$name says why" "$pattern" "$(cat "$AB_WORK/err")"
}

# Names for the uids, in this namespace only: abweb (41500) lists abtest
# as a member, which --user reads from the group database.
cat >"$AB_WORK/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
abtest:x:$AB_TEST_UID:$AB_TEST_GID::/:/bin/sh
abother:x:$AB_OTHER_UID:$AB_OTHER_UID::/:/bin/sh
EOF
cat >"$AB_WORK/group" <<EOF
root:x:0:
abtest:x:$AB_TEST_GID:
abother:x:$AB_OTHER_UID:
abweb:x:$AB_GROUP_GID:abtest
EOF
chmod 644 "$AB_WORK/passwd" "$AB_WORK/group"
mount --bind "$AB_WORK/passwd" /etc/passwd || ab_fail "cannot mount a private /etc/passwd"
mount --bind "$AB_WORK/group" /etc/group || ab_fail "cannot mount a private /etc/group"

ab_byport 80
ab_byport 8080 500 "$AB_TEST_UID"    # the legacy way: a file the user owns
ab_byaddr 127.0.0.1:81
ab_byuid <<'X'
# the test user

127.0.0.1,82
udp *,53
0.0.0.0,8443
::,8444
tcp ::1,25
X
mkdir -m 755 "$AB_POLICY/bygid"
printf '::1,443\n' >"$AB_POLICY/bygid/$AB_GROUP_GID"
printf '# by name\n127.0.0.1,444\n' >"$AB_POLICY/bygid/abweb"
chmod 644 "$AB_POLICY/bygid/$AB_GROUP_GID" "$AB_POLICY/bygid/abweb"

ab_log "--explain: what grants, line by line"
check explain-byport 0 ab_authbind --explain 0.0.0.0:80
check explain-byport-owner 0 ab_authbind --explain 0.0.0.0:8080
check explain-byaddr 0 ab_authbind --explain 127.0.0.1:81
check explain-byuid 0 ab_authbind --explain 127.0.0.1:82
# A v4-mapped address is judged as the IPv4 address it is.
check explain-byuid 0 ab_authbind --explain '[::ffff:127.0.0.1]:82'
check explain-bygid 0 ab_authbind --groups "$AB_GROUP_GID" --explain '[::1]:443'
check explain-bygid-name 0 ab_authbind --groups "$AB_GROUP_GID" --explain 127.0.0.1:444
check explain-bygid-not-member 1 ab_authbind --explain '[::1]:443'

ab_log "--explain: denials and the line that would grant"
check explain-denied 1 ab_authbind --explain 10.1.2.3:83
check explain-dual-star 1 ab_authbind --explain '*:8443'
check explain-dual-brackets 1 ab_authbind --explain '[::]:8444'
check explain-udp 0 ab_authbind --explain udp '*:53'
check explain-tcp-not-udp 1 ab_authbind --explain tcp 0.0.0.0:53
check explain-udp-not-tcp 1 ab_authbind --explain udp '[::1]:25'
check explain-tcp-default 0 ab_authbind --explain '[::1]:25'

ab_log "--explain --user"
check explain-user-root 0 "$AB_WRAPPER" --explain --user abtest 127.0.0.1:444
check explain-user-root-other 1 "$AB_WRAPPER" --explain --user "$AB_OTHER_UID" 0.0.0.0:8080
# Anyone may name themselves.
check explain-byuid 0 ab_authbind --explain --user abtest 127.0.0.1:82
refused "--user about another user, by name" 2 '^authbind: only root may ask about another user$' \
	ab_authbind --explain --user abother 0.0.0.0:80
refused "--user about another user, by uid" 2 '^authbind: only root may ask about another user$' \
	ab_authbind --explain --user "$AB_OTHER_UID" 0.0.0.0:80
refused "--list --user about another user" 2 '^authbind: only root may ask about another user$' \
	ab_authbind --list --user 0
refused "--user with no such user" 2 '^authbind: no such user: nosuchuser$' \
	"$AB_WRAPPER" --explain --user nosuchuser 0.0.0.0:80

ab_log "--explain: usage errors"
for bad in 1.2.3:80 127.0.0.1 127.0.0.1:0 127.0.0.1:65536 localhost:80 :80 \
	'[::1]80' '[::1:80' 127.0.0.1:8x ''; do
	refused "--explain '$bad'" 255 "is not ADDRESS:PORT" ab_authbind --explain "$bad"
done
refused "--explain sctp" 255 "protocol must be tcp or udp, not 'sctp'" \
	ab_authbind --explain sctp 0.0.0.0:80
refused "--explain with nothing" 255 "takes \[tcp\|udp\] ADDRESS:PORT" ab_authbind --explain
refused "--explain with three words" 255 "takes \[tcp\|udp\] ADDRESS:PORT" \
	ab_authbind --explain tcp 0.0.0.0:80 x

ab_log "--list"
check list 0 ab_authbind --groups "$AB_GROUP_GID" --list
check list 0 "$AB_WRAPPER" --list --user abtest
check list-other 0 "$AB_WRAPPER" --list --user "$AB_OTHER_UID"

# The denial line names a rule; adding exactly that rule must grant the
# same bind, and nothing wider.  --explain must suggest the same line.
ab_log "the shim's suggested rule grants the refused bind"
suggestion_of() {  # the rule the last ab_probe's denial line suggests
	sed -n "s|.*; to allow it, add the line '\(.*\)' to $(sed_quote "$AB_POLICY_DIR/byuid/$AB_TEST_UID") (authbind --explain tells more)\$|\1|p" \
		"$AB_WORK/probe.err"
}
# suggest_and_grant WHAT EXPLAIN-ARGS RULE BOUND PROBE-ARGS...
suggest_and_grant() {
	what=$1 explain=$2 rule=$3 bound=$4
	shift 4
	ab_expect_eq "$what: refused first" "error EACCES" "$(ab_probe "$@")"
	ab_expect_eq "$what: the denial line suggests a rule" "$rule" "$(suggestion_of)"
	ab_authbind --explain $explain >"$AB_WORK/out"
	ab_expect_eq "$what: --explain suggests the same line" \
		"to grant it, an administrator can add the line '$rule' to $AB_POLICY_DIR/byuid/$AB_TEST_UID" \
		"$(grep "^to grant it" "$AB_WORK/out")"
	printf '%s\n' "$rule" >>"$AB_POLICY/byuid/$AB_TEST_UID"
	ab_expect_eq "$what: granted once the line is added" "$bound" "$(ab_probe "$@")"
	[ ! -s "$AB_WORK/probe.err" ] || ab_fail "$what: stderr after a grant: $(ab_probe_stderr)"
}
suggest_and_grant "IPv4" "127.0.0.1:90" "tcp 127.0.0.1,90" "bound 127.0.0.1 90" 127.0.0.1 90
ab_expect_eq "IPv4: no other address" "error EACCES" "$(ab_probe 127.0.0.2 90)"
ab_expect_eq "IPv4: not UDP" "error EACCES" "$(ab_probe -u 127.0.0.1 90)"
suggest_and_grant "dual-stack ::" "*:91" "tcp *,91" "bound :: 91" -V 0 :: 91
ab_expect_eq "dual-stack: not UDP" "error EACCES" "$(ab_probe -u -V 0 :: 91)"
suggest_and_grant "UDP" "udp 127.0.0.1:92" "udp 127.0.0.1,92" "bound 127.0.0.1 92" -u 127.0.0.1 92
ab_expect_eq "UDP: not TCP" "error EACCES" "$(ab_probe 127.0.0.1 92)"
