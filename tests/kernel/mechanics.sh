#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The BPF side of kernel mode, without the policy code: authbindd's own
# programs and generation builder, driven by tests/kernel/ktable from a
# hard-coded table, on a cgroup of the test's own.  Grants and refusals,
# the IPv4 half of a dual-stack bind, IPv4-mapped binds, the group check,
# a socket of another network namespace, the generation swap, programs
# gone with their holder, and the IPV6_V6ONLY race.
. "${AB_SRCDIR:-.}/tests/kernel/kharness.sh"
ab_k_require ktable v6race
ab_k_setup "$@"

u=$AB_TEST_UID
table=$AB_WORK/table
cat >"$table" <<T
profile $u
profile other
grant $u tcp 6 80 80 :: ::
grant $u tcp 4 80 80 0.0.0.0 0.0.0.0
grant $u tcp 6 81 81 :: ::
grant $u tcp 4 100 200 127.0.0.0 127.255.255.255
grant $u tcp 6 443 443 :: ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
grant $u tcp 4 443 443 0.0.0.0 255.255.255.255
grant $u udp 4 53 53 0.0.0.0 255.255.255.255
grant other udp 4 54 54 0.0.0.0 255.255.255.255
T

ab_log "control: nothing attached yet, a low port is refused"
ab_k_expect "no program: EACCES" "error EACCES" 0.0.0.0 80

ab_k_start_ktable "$table"

ab_log "grants and refusals"
ab_k_expect "granted 0.0.0.0:80" "bound 0.0.0.0 80" 0.0.0.0 80
ab_k_expect "dual-stack :: 80, both halves granted" "bound :: 80" -V 0 :: 80
ab_k_expect "v6-only :: 81" "bound :: 81" -V 1 :: 81
ab_k_expect "dual-stack :: 81, IPv4 half not granted" "error EACCES" -V 0 :: 81
ab_k_expect "range 127/8 port 150" "bound 127.0.0.1 150" 127.0.0.1 150
ab_k_expect "port 201 outside the range" "error EACCES" 127.0.0.1 201
ab_k_expect "0.0.0.0 outside 127/8" "error EACCES" 0.0.0.0 150
ab_k_expect "IPv4-mapped judged as IPv4" "bound 127.0.0.1 150" -6 127.0.0.1 150
ab_k_expect "tcp rule does not grant udp" "error EACCES" -u 127.0.0.1 150
ab_k_expect "udp 53" "bound 0.0.0.0 53" -u 0.0.0.0 53
ab_k_expect "udp rule does not grant tcp" "error EACCES" 0.0.0.0 53
ab_k_expect "a uid with a profile does not get other's grant" "error EACCES" -u 0.0.0.0 54
ab_k_expect "other uid: other's grant" "bound 0.0.0.0 54" --uid 41001 -u 0.0.0.0 54
ab_k_expect "other uid: not the profile's grants" "error EACCES" --uid 41001 0.0.0.0 80
ab_k_expect "unprivileged port untouched" "bound 0.0.0.0 8080" 0.0.0.0 8080
out=$(ab_k_in_cgroup "$AB_BIN/bindprobe" 0.0.0.0 99)
ab_expect_eq "root keeps its own right" "bound 0.0.0.0 99" "$out"
out=$(ab_k_in_cgroup setpriv --reuid=$u --regid=$u --clear-groups --inh-caps=+net_bind_service \
	--ambient-caps=+net_bind_service "$AB_BIN/bindprobe" 0.0.0.0 98)
ab_expect_eq "CAP_NET_BIND_SERVICE still works (policy says no)" "bound 0.0.0.0 98" "$out"
out=$(ab_as_user "$AB_BIN/bindprobe" 0.0.0.0 80)
ab_expect_eq "a socket made outside the cgroup is not judged" "error EACCES" "$out"
sleep 0.3
ab_expect_match "event: granted" "^event granted .*uid=$u .* tcp 0.0.0.0 80 " "$(cat "$AB_KLOG")"
ab_expect_match "event: the IPv4 half" "^event denied .*uid=$u .* tcp :: 81 flags=5" "$(cat "$AB_KLOG")"
ab_expect_match "event: capable" "^event capable .*uid=$u .* tcp 0.0.0.0 98" "$(cat "$AB_KLOG")"
if grep -q "uid=0 " "$AB_KLOG"; then ab_fail "root's binds are logged"; fi
echo "ok: no event for root"

ab_log "another network namespace: the kernel's business"
out=$(ab_k_in_cgroup unshare --net setpriv --reuid=$u --regid=$u --clear-groups \
	"$AB_BIN/bindprobe" 0.0.0.0 80)
ab_expect_eq "socket of another netns not granted" "error EACCES" "$out"

ab_log "groups: the profile's assumed groups must be the process's"
cat >"$table" <<T
profile $u 1 1
profile other 1 0
relgid 41500
relgid 41600
member $u 41500
grant $u tcp 4 80 80 0.0.0.0 0.0.0.0 1 1
grant other tcp 4 80 80 0.0.0.0 0.0.0.0 1 0
T
kill -HUP $AB_KPID
ab_k_wait_line "$AB_KLOG" '^ready 2'
ab_k_expect "groups as assumed (41500)" "bound 0.0.0.0 80" --groups 41500 0.0.0.0 80
ab_k_expect "groups as assumed, plus an irrelevant one" "bound 0.0.0.0 80" --groups 41500,41999 0.0.0.0 80
ab_k_expect "missing an assumed group" "error EACCES" 0.0.0.0 80
ab_k_expect "an extra relevant group" "error EACCES" --groups 41500,41600 0.0.0.0 80
ab_k_expect "other uid without relevant groups" "bound 0.0.0.0 80" --uid 41001 0.0.0.0 80
ab_k_expect "other uid in a relevant group" "error EACCES" --uid 41001 --groups 41600 0.0.0.0 80
sleep 0.3
ab_expect_match "event: groups differ" "^event groups .*uid=$u " "$(cat "$AB_KLOG")"

ab_log "a generation swap: the old grants go, the new come, at once"
cat >"$table" <<T
profile $u
profile other
grant $u tcp 4 90 90 0.0.0.0 0.0.0.0
T
kill -HUP $AB_KPID
ab_k_wait_line "$AB_KLOG" '^ready 3'
ab_k_expect "revoked" "error EACCES" --groups 41500 0.0.0.0 80
ab_k_expect "added" "bound 0.0.0.0 90" 0.0.0.0 90

ab_log "the IPV6_V6ONLY race: granted [::]:81 v6-only, never the IPv4 half"
cat >"$table" <<T
profile $u
profile other
grant $u tcp 6 81 81 :: ::
grant $u udp 6 81 81 :: ::
grant $u tcp 6 82 82 :: ::
grant $u tcp 4 82 82 0.0.0.0 0.0.0.0
T
kill -HUP $AB_KPID
ab_k_wait_line "$AB_KLOG" '^ready 4'
for proto in "" -u; do
	out=$(ab_k_as_user "$AB_BIN/v6race" $proto 81 3000)
	rc=$?
	echo "v6race $proto: $out"
	[ $rc = 0 ] || ab_fail "v6race $proto: a dual-stack bind got the IPv4 half: $out"
	set -- $out
	[ "$4" -gt 0 ] || ab_fail "v6race $proto: no v6-only bind succeeded: $out"
done
echo "ok: no dual-stack bind without the IPv4 half in 6000 rounds"
out=$(ab_k_as_user "$AB_BIN/v6race" 82 500)
ab_expect_match "control: both halves granted, the race is harmless" \
	"dual [0-9]+ eperm 0 eacces 0 other 0" "$out"
sleep 0.3
if grep -q "^event unbound" "$AB_KLOG"; then
	echo "ok: post_bind6 unbound $(grep -c '^event unbound' "$AB_KLOG") racing binds"
fi

ab_log "the programs go with their holder"
kill -KILL $AB_KPID
wait $AB_KPID 2>/dev/null
tries=50
while [ $tries -gt 0 ] && [ "$(ab_k_probe 0.0.0.0 82)" != "error EACCES" ]; do
	sleep 0.1
	tries=$((tries - 1))
done
ab_k_expect "ktable killed: no grant remains" "error EACCES" 0.0.0.0 82
echo "PASS"
