#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tools/demo.sh: build and install authbind from this tree, then show it at
# work: the user nobody serves a page on port 80 and curl fetches it over
# IPv4 and IPv6.  Run as root on Debian 12 (or a close relative):
#
#     tools/demo.sh          (or: sudo tools/demo.sh)
#
# What it changes on the machine: installs the build dependencies it finds
# missing (apt-get), and 'make install's into the prefix (default /usr/local;
# PREFIX=/opt/authbind tools/demo.sh for another).  The demonstration itself
# runs in private mount and network namespaces, with a throwaway policy tree
# mounted over /etc/authbind there: the machine's own policy is neither read
# nor changed, and the server is reachable from nowhere but the demo.

set -eu

PREFIX=${PREFIX:-/usr/local}
PORT=80
DEMO_UID=65534      # nobody
DEMO_GID=65534      # nogroup

say() {
	if [ -t 1 ]; then
		printf '\n\033[1m== %s\033[0m\n' "$*"
	else
		printf '\n== %s\n' "$*"
	fi
}

die() {
	echo "demo: $*" >&2
	exit 1
}

# ---- inside the namespaces: the demonstration itself ----

demo() {
	ip link set lo up || die "cannot bring up lo"
	work=$(mktemp -d /tmp/authbind-demo.XXXXXX)
	server=
	trap '[ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
	chmod 755 "$work"

	say "a private policy tree over /etc/authbind: byport/$PORT, for uid $DEMO_UID only"
	mkdir -m 755 "$work/policy" "$work/policy/byport" "$work/policy/byaddr" \
		"$work/policy/byuid"
	mount --bind "$work/policy" /etc/authbind || die "cannot mount the policy tree"
	# The grant, as an administrator writes it: the file's execute bit, for
	# its owner alone.
	touch "/etc/authbind/byport/$PORT"
	chown "$DEMO_UID" "/etc/authbind/byport/$PORT"
	chmod 500 "/etc/authbind/byport/$PORT"
	ls -ln "/etc/authbind/byport/$PORT"

	mkdir -m 755 "$work/site"
	echo "Hello from uid $DEMO_UID on port $PORT, bound by authbind." \
		>"$work/site/index.html"
	chmod 644 "$work/site/index.html"

	say "as uid $DEMO_UID: $PREFIX/bin/authbind python3 -m http.server $PORT --bind ::"
	setpriv --reuid="$DEMO_UID" --regid="$DEMO_GID" --clear-groups -- \
		env -i PATH=/usr/bin:/bin HOME=/ PYTHONUNBUFFERED=1 \
		"$PREFIX/bin/authbind" python3 -m http.server "$PORT" --bind :: \
		--directory "$work/site" >"$work/server.log" 2>&1 &
	server=$!
	for _ in $(seq 100); do
		[ -z "$(ss -Htln "sport = :$PORT")" ] || break
		kill -0 "$server" 2>/dev/null || break
		sleep 0.1
	done
	ss -Htlnp "sport = :$PORT" | grep . ||
		die "the server is not listening on port $PORT; its output:
$(cat "$work/server.log")"
	ps -o user,pid,args -p "$server"

	say "curl http://127.0.0.1:$PORT/"
	page4=$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/") || die "curl over IPv4 failed"
	echo "$page4"
	say "curl http://[::1]:$PORT/"
	page6=$(curl -sS --max-time 5 "http://[::1]:$PORT/") || die "curl over IPv6 failed"
	echo "$page6"

	kill "$server"
	wait "$server" 2>/dev/null || :
	server=
	say "the server's log"
	cat "$work/server.log"

	say "and a port nobody was granted: port 81 is refused, with a reason"
	setpriv --reuid="$DEMO_UID" --regid="$DEMO_GID" --clear-groups -- \
		env -i PATH=/usr/bin:/bin HOME=/ \
		"$PREFIX/bin/authbind" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("0.0.0.0", 81))
    print("bound port 81 (unexpected)")
except PermissionError as e:
    print("python3 sees:", e)
' 2>&1

	case $page4 in
	"Hello from uid $DEMO_UID"*) ;;
	*) die "the page over IPv4 is not the one the server was given" ;;
	esac
	[ "$page6" = "$page4" ] || die "the page over IPv6 is not the one over IPv4"
	say "done: uid $DEMO_UID served port $PORT; /etc/authbind outside this demo is unchanged"
}

if [ "${AUTHBIND_DEMO_INSIDE:-}" = 1 ]; then
	demo
	exit 0
fi

# ---- on the host: dependencies, build, install ----

[ "$(id -u)" = 0 ] || die "run me as root (sudo $0): I install packages and a setuid helper"
self=$(readlink -f "$0")
cd "$(dirname "$self")/.."
{ [ -f configure.ac ] && [ -f helper/helper.c ]; } || die "run me from a clone of the authbind tree"

say "installing the packages it needs (tools/install-deps)"
tools/install-deps

say "building and installing into $PREFIX"
autoreconf -fi
./configure --prefix="$PREFIX"
# The installed paths are compiled in through -D flags, which make does not
# track: objects from an earlier configure with another prefix would keep
# the old paths.  Build from scratch.
make clean
make -j"$(nproc)"
make install

say "the demonstration, in private mount and network namespaces"
AUTHBIND_DEMO_INSIDE=1 PREFIX=$PREFIX exec unshare --mount --net --propagation private "$self"
