# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the policy tests (grants, denials, dualstack, sockets,
# wrapper, unprivileged, audit) after harness.sh and ab_setup: probes that
# say in one call what must have happened.  Names carry the prefix pt_ so
# they do not clash with the harness, whose functions use plain globals.

# Background processes of the test (pt_hold's holders, listeners); the
# harness's cleanup kills whatever is left of them.
pt_bg=

# pt_probe [--uid U] [--groups G] BINDPROBE-ARGS...: as ab_probe, for any
# user; the shim's stderr is left for ab_probe_stderr.
pt_probe() {
	pt_who=
	while :; do
		case $1 in
		--uid|--groups) pt_who="$pt_who $1 $2"; shift 2 ;;
		*) break ;;
		esac
	done
	pt_out=$(ab_authbind $pt_who "$AB_BIN/bindprobe" "$@" 2>"$AB_WORK/probe.err")
	pt_rc=$?
	[ $pt_rc -le 1 ] || ab_fail "bindprobe $*: exit $pt_rc: $pt_out $(cat "$AB_WORK/probe.err")"
	printf '%s\n' "$pt_out" | head -n 1
}

# pt_re TEXT: TEXT as an extended regular expression that matches itself.
pt_re() {
	printf '%s' "$1" | sed 's/[][\.^$*+?(){}|]/\\&/g'
}

# pt_parse BINDPROBE-ARGS...: sets pt_proto (tcp|udp), pt_addr, pt_port
# and pt_shown, the address as the shim prints it ("[::1]", "127.0.0.1",
# "[::ffff:127.0.0.1]" for an IPv4 address on an IPv6 socket, a scope
# name turned into its index).
pt_parse() {
	pt_proto=tcp
	pt_six=0
	while [ $# -gt 2 ]; do
		case $1 in
		-u) pt_proto=udp ;;
		-6) pt_six=1 ;;
		-V|-f|-h) shift ;;
		esac
		shift
	done
	pt_addr=$1
	pt_port=$2
	case $pt_addr in
	*%*)
		pt_if=${pt_addr#*%}
		pt_index=$(cat "/sys/class/net/$pt_if/ifindex" 2>/dev/null || echo "$pt_if")
		pt_shown="[${pt_addr%%%*}%$pt_index]" ;;
	# A mapped address is judged, and shown, as the IPv4 address it is.
	::ffff:*.*) pt_shown=${pt_addr#::ffff:} ;;
	*:*) pt_shown="[$pt_addr]" ;;
	*) pt_shown=$pt_addr ;;
	esac
}

# pt_who_args ARGS...: sets pt_uid from a leading --uid, and pt_nwho to
# the number of leading --uid/--groups words.
pt_who_args() {
	pt_uid=$AB_TEST_UID
	pt_nwho=0
	while :; do
		case $1 in
		--uid) pt_uid=$2; pt_nwho=$((pt_nwho + 2)); shift 2 ;;
		--groups) pt_nwho=$((pt_nwho + 2)); shift 2 ;;
		*) break ;;
		esac
	done
}

# pt_granted WHAT [--uid U] [--groups G] BINDPROBE-ARGS...: the bind
# succeeds (bindprobe checks the socket really is bound to the port) and
# the shim says nothing.
pt_granted() {
	pt_what=$1
	shift
	pt_who_args "$@"
	pt_result=$(pt_probe "$@")
	shift $pt_nwho
	pt_parse "$@"
	ab_expect_eq "$pt_what" "bound $pt_addr $pt_port" "$pt_result"
	[ ! -s "$AB_WORK/probe.err" ] ||
		ab_fail "$pt_what: a granted bind wrote to stderr: $(ab_probe_stderr)"
}

# pt_denied WHAT REASON-ERE [--uid U] [--groups G] BINDPROBE-ARGS...: the
# bind fails with EACCES; the shim wrote exactly one line naming the uid,
# protocol, address and port, the policy directory, a reason matching
# REASON-ERE and, where a rule line would lift the denial, that line; and
# nothing is bound to the port afterwards.
pt_denied() {
	pt_what=$1
	pt_reason=$2
	shift 2
	pt_who_args "$@"
	pt_result=$(pt_probe "$@")
	shift $pt_nwho
	pt_parse "$@"
	ab_expect_eq "$pt_what: EACCES" "error EACCES" "$pt_result"
	pt_err=$(ab_probe_stderr)
	[ "$(printf '%s\n' "$pt_err" | wc -l)" = 1 ] ||
		ab_fail "$pt_what: expected one line on stderr, got: $pt_err"
	ab_expect_match "$pt_what: the shim says who, what, where and why" \
		"^authbind: uid $pt_uid: may not bind $pt_proto $(pt_re "$pt_shown"):$pt_port: refused by $(pt_re "$AB_POLICY_DIR"): .*$pt_reason.*(; to allow it, add the line '[^']+' to $(pt_re "$AB_POLICY_DIR")/byuid/$pt_uid \\(authbind --explain tells more\\))?\$" \
		"$pt_err"
	! ab_port_bound "$pt_proto" "$pt_port" ||
		ab_fail "$pt_what: $pt_proto port $pt_port is bound after the denial"
}

# pt_error WHAT ERRNO-NAME [--uid U] BINDPROBE-ARGS...: the bind fails
# with that errno (and bindprobe found the socket unbound).
pt_error() {
	pt_what=$1
	pt_errno=$2
	shift 2
	pt_who_args "$@"
	pt_result=$(pt_probe "$@")
	shift $pt_nwho
	pt_parse "$@"
	ab_expect_eq "$pt_what" "error $pt_errno" "$pt_result"
}

# The reason the helper gives when no file at all speaks for the bind.
PT_NO_RULE='no byport, byaddr, byuid or bygid file grants it'

# pt_hold BINDPROBE-ARGS...: binds under authbind as the test user and
# holds the socket (listening, for TCP) in the background until
# pt_unhold; fails unless the bind succeeded.
pt_hold() {
	mkdir -p -m 1777 "$AB_WORK/run"
	rm -f "$AB_WORK/run/holder.pid" "$AB_WORK/holder.out" "$AB_WORK/holder.err"
	ab_as_user /bin/sh -c 'echo $$ >"$0" && exec "$@"' "$AB_WORK/run/holder.pid" \
		"$AB_WRAPPER" "$AB_BIN/bindprobe" -h 120 "$@" \
		>"$AB_WORK/holder.out" 2>"$AB_WORK/holder.err" &
	pt_hold_job=$!
	pt_parse "$@"
	pt_tries=100
	while [ ! -s "$AB_WORK/holder.out" ] && [ $pt_tries -gt 0 ]; do
		sleep 0.1
		pt_tries=$((pt_tries - 1))
	done
	pt_bg="$pt_bg $pt_hold_job"
	ab_expect_eq "holder $*" "bound $pt_addr $pt_port" \
		"$(head -n 1 "$AB_WORK/holder.out")$(cat "$AB_WORK/holder.err")"
	ab_wait_listening "$pt_proto" "$pt_port" 10
	pt_holder=$(cat "$AB_WORK/run/holder.pid")
	pt_bg="$pt_bg $pt_holder $pt_hold_job"
}

pt_unhold() {
	kill "$pt_holder" 2>/dev/null
	wait "$pt_hold_job"
}

# pt_connect HOST PORT: true when a TCP connection to HOST:PORT succeeds.
pt_connect() {
	/usr/bin/python3 -c '
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5).close()
except OSError:
    sys.exit(1)
' "$1" "$2"
}
