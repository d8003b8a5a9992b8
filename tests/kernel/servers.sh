#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Real servers under kernel mode, without the authbind prefix and under
# NoNewPrivileges (setpriv --no-new-privs), which the setuid helper cannot
# serve: python, node and java dual-stack on port 80 answering curl over
# IPv4 and IPv6, a static Go server on 80 and a Go UDP server on 53, and
# the 8-thread x 40-bind stress with zero failures.  Controls: with
# authbindd stopped, the same server without the prefix is refused.
. "${AB_SRCDIR:-.}/tests/kernel/kharness.sh"
. "${AB_SRCDIR:-.}/tests/integration/serverlib.sh"
ab_k_require authbindd
ab_k_setup "$@"
command -v curl >/dev/null 2>&1 || ab_skip "curl is not installed"
u=$AB_TEST_UID

# ks_start NAME SECONDS [--nnp] [--prefix] COMMAND...: as sv_start, but
# inside the test cgroup and by default without the authbind prefix.
ks_start() {
	sv_name=$1 sv_secs=$2
	shift 2
	nnp= prefix=
	while :; do
		case $1 in
		--nnp) nnp=--no-new-privs; shift ;;
		--prefix) prefix=$AB_WRAPPER; shift ;;
		*) break ;;
		esac
	done
	# spelled out, not through ab_k_in_cgroup: a function run with & is a
	# subshell, and killing it would leave the server running
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$AB_CG" \
		setpriv --reuid="$u" --regid="$AB_TEST_GID" --clear-groups $nnp -- \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$AB_WORK" ${AB_EXTRA_ENV:-} \
		timeout "$sv_secs" $prefix "$@" \
		>"$AB_WORK/$sv_name.out" 2>"$AB_WORK/$sv_name.err" &
	SV_PID=$!
}

# http_case NAME SECONDS OPTIONS -- COMMAND...: starts, checks dual-stack
# and both families, stops.
http_case() {
	name=$1 secs=$2
	shift 2
	ks_start "$name" "$secs" "$@"
	sv_wait "$name" tcp 80 90
	sv_expect_dual_stack "$name" 80
	sv_expect_body "$name: IPv4" "http://127.0.0.1/" "$body"
	sv_expect_body "$name: IPv6" "http://[::1]/" "$body"
	sv_stop
}

body=$(sv_body kernel)
www=$(dirname "$body")
ab_byport 80
printf 'udp *,53\n' | ab_byuid

ab_log "control: without authbindd, no prefix, the server cannot bind"
ks_start control 30 /usr/bin/python3 -m http.server 80 --bind :: --directory "$www"
wait $SV_PID && ab_fail "python bound port 80 without authbindd and without the prefix"
ab_expect_match "python's own error" "PermissionError: \[Errno 13\]" "$(cat "$AB_WORK/control.err")"

ab_k_start_daemon

ab_log "python"
http_case python 60 /usr/bin/python3 -m http.server 80 --bind :: --directory "$www"
http_case python-nnp 60 --nnp /usr/bin/python3 -m http.server 80 --bind :: --directory "$www"
http_case python-prefix 60 --prefix /usr/bin/python3 -m http.server 80 --bind :: --directory "$www"

ab_log "node"
if NODE=$(command -v node || command -v nodejs); then
	cat >"$AB_WORK/server.js" <<'JS'
const fs = require('fs');
const http = require('http');
const body = fs.readFileSync(process.argv[2]);
http.createServer((req, res) => res.end(body)).listen(Number(process.argv[3]));
JS
	chmod 644 "$AB_WORK/server.js"
	http_case node 60 "$NODE" "$AB_WORK/server.js" "$body" 80
	http_case node-nnp 60 --nnp "$NODE" "$AB_WORK/server.js" "$body" 80
else
	ab_skip "node is not installed"
fi

ab_log "java"
sv_java_serve
AB_EXTRA_ENV="HOME=$SV_JHOME" http_case java-nnp 180 --nnp "$JAVA" $JFLAGS -cp "$AB_WORK/java" Serve "$body" 80

ab_log "Go: a static server, TCP on 80 and UDP on 53"
GO=$(command -v go) || ab_skip "Go is not installed (Debian: golang-go)"
mkdir -p "$AB_WORK/go" "$AB_WORK/gocache"
cat >"$AB_WORK/go/serve.go" <<'GO'
// serve BODY-FILE: HTTP on :80 (dual-stack), and a UDP echo on :53.
package main

import (
	"net"
	"net/http"
	"os"
)

func main() {
	body, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	pc, err := net.ListenPacket("udp", ":53")
	if err != nil {
		panic(err)
	}
	go func() {
		buf := make([]byte, 512)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err == nil {
				pc.WriteTo(buf[:n], addr)
			}
		}
	}()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	panic(http.ListenAndServe(":80", nil))
}
GO
(cd "$AB_WORK/go" && CGO_ENABLED=0 GOCACHE="$AB_WORK/gocache" GOPATH="$AB_WORK/gopath" \
	GOFLAGS=-mod=mod GO111MODULE=off timeout 300 "$GO" build -o serve serve.go) ||
	ab_fail "go build failed"
chmod -R a+rX "$AB_WORK/go"
file -b "$AB_WORK/go/serve" 2>/dev/null | grep -q "statically linked" ||
	ab_expect_eq "the Go server is static" "" "$(ldd "$AB_WORK/go/serve" 2>&1 | grep -v 'not a dynamic')"
udp_echo() {  # HOST: sends a datagram to HOST port 53, prints the reply
	/usr/bin/python3 -c '
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"ping53", (sys.argv[1], 53))
print(s.recv(64).decode())' "$1"
}
for variant in "" --nnp; do
	name=go${variant:+-nnp}
	ks_start "$name" 60 $variant "$AB_WORK/go/serve" "$body"
	sv_wait "$name" tcp 80 30
	sv_wait "$name" udp 53 10
	sv_expect_body "$name: IPv4" "http://127.0.0.1/" "$body"
	sv_expect_body "$name: IPv6" "http://[::1]/" "$body"
	ab_expect_eq "$name: UDP 53 over IPv4" ping53 "$(udp_echo 127.0.0.1)"
	ab_expect_eq "$name: UDP 53 over IPv6" ping53 "$(udp_echo ::1)"
	sv_stop
done

ab_log "8 threads x 40 binds, no failure, with and without NoNewPrivileges"
printf '127.0.0.1,100-419\nudp *,53\n' | ab_byuid
ab_k_settle
for variant in "" --nnp; do
	out=$(ab_k_as_user $variant timeout 120 "$AB_BIN/bindstress" -m ignore -t 8 -n 40 \
		-a 127.0.0.1 -p 100 2>"$AB_WORK/stress.err") || ab_fail "bindstress $variant: $out"
	ab_expect_match "bindstress $variant: 320 binds, none failed" \
		"^mode ignore: 320 binds, 0 failed; 0 unverified;" "$out"
done
ab_expect_eq "port 420 is past the grant" "error EACCES" "$(ab_k_probe 127.0.0.1 420)"
echo PASS
