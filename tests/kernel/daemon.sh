#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# authbindd end to end, without the authbind prefix: the policy forms of
# authbind(5) granted in the kernel as the helper grants them, refusals
# (EACCES, nothing bound), an untrusted file, NoNewPrivileges, groups,
# a grant added and revoked while it runs (within a second), SIGHUP, a
# policy that cannot be read, the log lines, the state file, another
# network namespace, the V6ONLY race, and authbindd killed: grants gone,
# the preload path still works.
. "${AB_SRCDIR:-.}/tests/kernel/kharness.sh"
ab_k_require authbindd v6race kactive
ab_k_setup "$@"
u=$AB_TEST_UID

ab_log "controls before authbindd runs"
ab_byport 80
ab_k_expect "no kernel mode: EACCES without the prefix" "error EACCES" 0.0.0.0 80
ab_expect_eq "the helper path grants with the prefix" "bound 0.0.0.0 80" "$(ab_probe 0.0.0.0 80)"

mkdir -p "$AB_POLICY/bygid"
chmod 755 "$AB_POLICY/bygid"
ab_byport 81 700                        # owned by root, not executable by others
ab_byaddr 127.0.0.1,82
ab_byaddr '::1,82'
ab_byport '!600'
printf 'tcp *,443\nudp 0.0.0.0,53\n127.0.0.0/8,100-110\n::1,99\n10.0.0.0/8: 120,130\ntcp ::,98\n' | ab_byuid
printf '0.0.0.0,700\n' | ab_byuid "!$u"
printf 'tcp *,90\n' | ab_byuid 41001
ab_k_start_daemon
ab_expect_match "state file written" "^cgroup=/" "$(cat "$AB_STATE"/*)"
ab_expect_match "the wrapper's check, inside the cgroup: active" "^active $AB_DPID /authbind-test-" \
	"$(ab_k_as_user "$AB_BIN/kactive" "$AB_STATE")"
ab_expect_eq "outside the cgroup: not active" inactive "$(ab_as_user "$AB_BIN/kactive" "$AB_STATE")"
ab_expect_eq "another network namespace: not active" inactive \
	"$(ab_k_in_cgroup unshare --net "$AB_BIN/kactive" "$AB_STATE")"

ab_log "grants, no prefix"
ab_k_expect "byport/80" "bound 0.0.0.0 80" 0.0.0.0 80
ab_k_expect "byport/80 dual-stack ::" "bound :: 80" -V 0 :: 80
ab_k_expect "byport/80 udp" "bound :: 80" -u -V 0 :: 80
ab_k_expect "byport/!600" "bound 0.0.0.0 600" 0.0.0.0 600
ab_k_expect "byaddr/127.0.0.1,82" "bound 127.0.0.1 82" 127.0.0.1 82
ab_k_expect "byaddr/::1,82" "bound ::1 82" ::1 82
ab_k_expect "byuid tcp *,443 dual-stack" "bound :: 443" -V 0 :: 443
ab_k_expect "byuid tcp *,443 IPv4" "bound 0.0.0.0 443" 0.0.0.0 443
ab_k_expect "byuid udp 0.0.0.0,53" "bound 0.0.0.0 53" -u 0.0.0.0 53
ab_k_expect "byuid 127/8 range" "bound 127.0.0.5 105" 127.0.0.5 105
ab_k_expect "byuid 127/8 range, udp too" "bound 127.0.0.5 110" -u 127.0.0.5 110
ab_k_expect "byuid ::1,99" "bound ::1 99" ::1 99
ab_k_expect "byuid old form 10.0.0.0/8: 120,130 (no such address here)" "error EADDRNOTAVAIL" 10.1.2.3 125
ab_k_expect "byuid/!UID for 512-1023" "bound 0.0.0.0 700" 0.0.0.0 700
ab_k_expect "IPv4-mapped 127.0.0.5 judged as IPv4" "bound 127.0.0.5 101" -6 127.0.0.5 101
ab_k_expect "NoNewPrivileges: granted all the same" "bound 0.0.0.0 80" --nnp 0.0.0.0 80
ab_k_expect "another user's byuid" "bound 0.0.0.0 90" --uid 41001 0.0.0.0 90

ab_log "refusals: EACCES and nothing bound"
ab_k_expect "byport/81 not executable: refused" "error EACCES" 0.0.0.0 81
ab_k_expect "udp 53 granted, tcp 53 not" "error EACCES" 0.0.0.0 53
ab_k_expect "tcp *,443 does not grant udp" "error EACCES" -u 0.0.0.0 443
ab_k_expect "0.0.0.0,53 does not cover ::" "error EACCES" -u -V 1 :: 53
ab_k_expect "outside the range" "error EACCES" 127.0.0.5 111
ab_k_expect "dual-stack :: 99, IPv4 half not granted" "error EACCES" -V 0 :: 99
ab_k_expect "v6-only :: 99 not granted either (::1 only)" "error EACCES" -V 1 :: 99
ab_k_expect "tcp ::,98 v6-only" "bound :: 98" -V 1 :: 98
ab_k_expect "tcp ::,98 dual-stack: the IPv4 half is not granted" "error EACCES" -V 0 :: 98
ab_k_expect "another user: nothing of the test user's" "error EACCES" --uid 41001 0.0.0.0 443
ab_port_bound tcp 81 && ab_fail "port 81 is bound after the refusal"
echo "ok: nothing bound after the refusals"

ab_log "an untrusted rule file grants nothing here either"
printf 'tcp *,444\n' >"$AB_POLICY/byuid/41002"
chmod 666 "$AB_POLICY/byuid/41002"
ab_k_settle
ab_k_expect "group-writable byuid/41002" "error EACCES" --uid 41002 0.0.0.0 444
chmod 644 "$AB_POLICY/byuid/41002"
ab_k_expect_soon "the same file made safe (inotify reload)" "bound 0.0.0.0 444" --uid 41002 0.0.0.0 444

ab_log "a grant added and revoked while authbindd runs, effective within a second"
ab_k_expect "not yet granted" "error EACCES" 0.0.0.0 85
ab_byport 85
t0=$(date +%s%N)
while [ "$(ab_k_probe 0.0.0.0 85)" != "bound 0.0.0.0 85" ]; do
	[ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 1000 ] || ab_fail "byport/85 not granted within 1 s"
	sleep 0.02
done
echo "ok: byport/85 granted after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
rm "$AB_POLICY/byport/85"
t0=$(date +%s%N)
while [ "$(ab_k_probe 0.0.0.0 85)" != "error EACCES" ]; do
	[ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 1000 ] || ab_fail "byport/85 still granted after 1 s"
	sleep 0.02
done
echo "ok: byport/85 revoked after $(( ($(date +%s%N) - t0) / 1000000 )) ms"

ab_log "groups: bygid for a user of /etc/passwd and /etc/group"
cp /etc/passwd "$AB_WORK/passwd"
cp /etc/group "$AB_WORK/group"
echo "abtest:x:$u:$u::/nonexistent:/usr/sbin/nologin" >>"$AB_WORK/passwd"
echo "abtestg:x:41500:abtest" >>"$AB_WORK/group"
echo "abother:x:41600:" >>"$AB_WORK/group"
chmod 644 "$AB_WORK/passwd" "$AB_WORK/group"
printf 'tcp *,86\n' >"$AB_POLICY/bygid/41500"
chmod 644 "$AB_POLICY/bygid/41500"
mount --bind "$AB_WORK/passwd" /etc/passwd && mount --bind "$AB_WORK/group" /etc/group ||
	ab_fail "cannot mount a private /etc/passwd and /etc/group"
kill -HUP $AB_DPID   # a mount is no inotify event
ab_k_settle
ab_k_expect "bygid/41500, groups as /etc/group says" "bound 0.0.0.0 86" --groups 41500 0.0.0.0 86
ab_k_expect "not in the group: refused" "error EACCES" 0.0.0.0 86
ab_k_expect "in the group but also in another relevant one? (41600 is not relevant)" \
	"bound 0.0.0.0 86" --groups 41500,41600 0.0.0.0 86
ab_k_expect "41001 joins 41500 on its own (not in /etc/group): kernel mode grants nothing" \
	"error EACCES" --uid 41001 --groups 41500 0.0.0.0 86
ab_expect_eq "... and the helper path does" "bound 0.0.0.0 86" \
	"$(ab_authbind --uid 41001 --groups 41500 "$AB_BIN/bindprobe" 0.0.0.0 86 | head -n 1)"
ab_k_expect "abtest's other grants need its groups too" "error EACCES" 0.0.0.0 80
ab_k_expect "... which it has here" "bound 0.0.0.0 80" --groups 41500 0.0.0.0 80
umount /etc/passwd /etc/group || ab_fail "cannot unmount the private /etc/passwd and /etc/group"
kill -HUP $AB_DPID
ab_k_settle

ab_log "a policy that cannot be read: no grants at all, and it says so"
chmod 777 "$AB_POLICY"
ab_k_wait_line "$AB_DLOG" "kernel mode grants nothing until the policy can be read again"
ab_k_expect "byport/80 no longer granted" "error EACCES" 0.0.0.0 80
chmod 755 "$AB_POLICY"
ab_k_expect_soon "granted again once the tree is fixed" "bound 0.0.0.0 80" 0.0.0.0 80

ab_log "another network namespace: left to the kernel"
out=$(ab_k_in_cgroup unshare --net setpriv --reuid=$u --regid=$u --clear-groups \
	"$AB_BIN/bindprobe" 0.0.0.0 80)
ab_expect_eq "socket of another netns" "error EACCES" "$out"

ab_log "the V6ONLY race under authbindd"
printf 'tcp ::,450\nudp ::,450\n' | ab_byuid
ab_k_settle
for proto in "" -u; do
	out=$(ab_k_as_user "$AB_BIN/v6race" $proto 450 2000) ||
		ab_fail "v6race $proto: the IPv4 half was taken: $out"
	echo "ok: v6race $proto: $out"
done

ab_log "the log, in the helper's words"
sleep 0.2
log=$(cat "$AB_DLOG")
ab_expect_match "grant by byport" "granted uid=$u pid=[0-9]+ tcp 0.0.0.0:80 by byport/80$" "$log"
ab_expect_match "grant by a rule line" \
	"granted uid=$u pid=[0-9]+ tcp \[::\]:443 \(dual-stack\) by byuid/$u line 1$" "$log"
ab_expect_match "refusal by byport" \
	"denied uid=$u pid=[0-9]+ tcp 0.0.0.0:81: byport/81 exists but is not executable by the caller" "$log"
ab_expect_match "refusal of the IPv4 half" \
	"denied uid=$u pid=[0-9]+ tcp \[::\]:98 \(dual-stack\): for 0.0.0.0, the IPv4 half of this dual-stack bind: " "$log"
ab_expect_match "groups not as assumed" "denied uid=41001 .* the process's groups are not those" "$log"
ab_expect_match "groups not as assumed, grant path" "denied uid=$u .*0.0.0.0:80: the process's groups are not those" "$log"

ab_log "authbindd killed: grants gone at once, the preload path unchanged"
kill -KILL $AB_DPID
wait $AB_DPID 2>/dev/null
tries=20
while [ $tries -gt 0 ] && [ "$(ab_k_probe 0.0.0.0 80)" != "error EACCES" ]; do
	sleep 0.05
	tries=$((tries - 1))
done
ab_k_expect "no grant survives authbindd" "error EACCES" 0.0.0.0 80
ab_expect_eq "its stale state file is not believed" inactive \
	"$(ab_k_as_user "$AB_BIN/kactive" "$AB_STATE")"
ab_expect_eq "the helper path still grants" "bound 0.0.0.0 80" "$(ab_probe 0.0.0.0 80)"
ab_expect_eq "the helper path still refuses" "error EACCES" "$(ab_probe 0.0.0.0 81)"

ab_log "SIGTERM: clean exit, state file removed"
ab_k_start_daemon
ab_k_expect "granted again" "bound 0.0.0.0 80" 0.0.0.0 80
kill -TERM $AB_DPID
wait $AB_DPID
ab_expect_eq "exit status after SIGTERM" 0 $?
ab_expect_eq "only the killed daemon's stale file remains" 1 "$(ls "$AB_STATE" | wc -l)"
ab_k_expect "gone after SIGTERM" "error EACCES" 0.0.0.0 80
echo PASS
