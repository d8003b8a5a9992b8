# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the server tests after harness.sh: start a real server under
# authbind as the test user, wait for it, fetch from it, stop it.  Every
# wait is bounded.

# sv_start NAME SECONDS [AUTHBIND-OPTIONS] COMMAND [ARG...]: runs COMMAND
# under authbind as the test user in the background, killed after SECONDS
# at the latest; stdout and stderr go to $AB_WORK/NAME.out and NAME.err.
# Sets SV_PID to the pid of the timeout process, which passes a signal on
# to the server and waits for it.  This is ab_as_user spelled out: a shell
# function run with & is a subshell, and killing that would leave the
# server running.
sv_start() {
	sv_name=$1
	sv_secs=$2
	shift 2
	setpriv --reuid="$AB_TEST_UID" --regid="$AB_TEST_GID" --clear-groups -- \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$AB_WORK" \
		${AB_EXTRA_ENV:-} timeout "$sv_secs" "$AB_WRAPPER" "$@" \
		>"$AB_WORK/$sv_name.out" 2>"$AB_WORK/$sv_name.err" &
	SV_PID=$!
}

# sv_run NAME SECONDS [AUTHBIND-OPTIONS] COMMAND [ARG...]: the same in the
# foreground, for a server that is meant to fail; sets SV_STATUS (124 when
# it was still running after SECONDS).
sv_run() {
	sv_name=$1
	sv_secs=$2
	shift 2
	SV_STATUS=0
	ab_as_user timeout "$sv_secs" "$AB_WRAPPER" "$@" \
		>"$AB_WORK/$sv_name.out" 2>"$AB_WORK/$sv_name.err" || SV_STATUS=$?
}

sv_log() {
	echo "--- $1 stdout:"
	cat "$AB_WORK/$1.out"
	echo "--- $1 stderr:"
	cat "$AB_WORK/$1.err"
}

# True while the process runs (a zombie does not count).
sv_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	case $(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1) in
	Z|X) return 1 ;;
	esac
	return 0
}

# sv_port_bound tcp|udp PORT: true when a socket other than a TIME-WAIT
# remnant of an earlier connection holds the port.  (ab_port_bound counts
# those, so it cannot tell whether a server that just ran left the port
# bound.)
sv_port_bound() {
	if [ "$1" = udp ]; then
		[ -n "$(ss -Huan "sport = :$2")" ]
	else
		[ -n "$(ss -Htan exclude time-wait "sport = :$2")" ]
	fi
}

# sv_listening tcp|udp PORT: a TCP socket listens, or a UDP socket is bound.
sv_listening() {
	if [ "$1" = udp ]; then
		[ -n "$(ss -Huan "sport = :$2")" ]
	else
		[ -n "$(ss -Htln "sport = :$2")" ]
	fi
}

# sv_expect_unbound WHAT tcp|udp PORT
sv_expect_unbound() {
	sv_port_bound "$2" "$3" && ab_fail "$1: $2 port $3 is bound: $(ss -Htuan "sport = :$3")"
	echo "ok: $1: $2 port $3 left unbound"
}

# sv_wait NAME tcp|udp PORT SECONDS: waits until the server started by
# sv_start has the port bound; fails at once if it exits first.
sv_wait() {
	sv_tries=$(($4 * 10))
	while [ $sv_tries -gt 0 ]; do
		if sv_listening "$2" "$3"; then
			echo "ok: $1 bound $2 port $3"
			return 0
		fi
		if ! sv_alive "$SV_PID"; then
			sv_log "$1" >&2
			ab_fail "$1 exited before binding $2 port $3"
		fi
		sleep 0.1
		sv_tries=$((sv_tries - 1))
	done
	sv_log "$1" >&2
	ab_fail "$1 did not bind $2 port $3 in $4 s"
}

sv_stop() {
	kill "$SV_PID" 2>/dev/null
	wait "$SV_PID" 2>/dev/null
	SV_PID=
}

# sv_fetch URL FILE: the body, exactly, into FILE; fails the test when the
# request fails.
sv_fetch() {
	curl -sS -g --noproxy '*' --connect-timeout 5 --max-time 15 -o "$2" "$1" ||
		ab_fail "curl $1 failed"
}

# sv_expect_body WHAT URL EXPECTED-FILE
sv_expect_body() {
	sv_fetch "$2" "$AB_WORK/body"
	cmp -s "$3" "$AB_WORK/body" ||
		ab_fail "$1: body from $2 differs from $3: $(head -c 200 "$AB_WORK/body")"
	echo "ok: $1"
}

# sv_expect_refused WHAT URL: nothing listens there.
sv_expect_refused() {
	if curl -sS -g --noproxy '*' --connect-timeout 5 --max-time 15 \
		-o /dev/null "$2" 2>"$AB_WORK/curl.err"; then
		ab_fail "$1: $2 answered"
	fi
	echo "ok: $1 ($(cat "$AB_WORK/curl.err"))"
}

# sv_expect_dual_stack WHAT PORT: one TCP socket listens on the port, for
# IPv4 and IPv6 alike (ss prints a dual-stack :: socket as *, one with
# IPV6_V6ONLY as [::]).
sv_expect_dual_stack() {
	ab_expect_eq "$1 listens dual-stack" "*:$2" \
		"$(ss -Htln "sport = :$2" | awk '{ print $4 }' | tr '\n' ' ' | sed 's/ $//')"
}

# sv_socket_pid tcp|udp PORT: the pid of the (first) process holding a
# socket bound to the port.
sv_socket_pid() {
	if [ "$1" = udp ]; then flag=-Huanp; else flag=-Htlnp; fi
	ss $flag "sport = :$2" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1
}

# sv_expect_preloaded WHAT PID: the process has the installed libauthbind
# mapped and runs as the test user.
sv_expect_preloaded() {
	[ -n "$2" ] || ab_fail "$1: no process found"
	grep -qF "$AB_LIB" "/proc/$2/maps" ||
		ab_fail "$1: pid $2 ($(readlink "/proc/$2/exe")) has no $AB_LIB mapped"
	ab_expect_eq "$1: pid $2 runs as the test user" "$AB_TEST_UID" \
		"$(awk '/^Uid:/ { print $3 }' "/proc/$2/status")"
	echo "ok: $1: pid $2 ($(readlink "/proc/$2/exe")) has libauthbind mapped"
}

# sv_body NAME: writes a distinct body, readable by the test user, and
# prints its path.
sv_body() {
	mkdir -p "$AB_WORK/www"
	{
		echo "authbind $1 test $(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
		echo "second line, no trailing newline below"
		printf 'end'
	} >"$AB_WORK/www/index.html"
	chmod 755 "$AB_WORK/www"
	chmod 644 "$AB_WORK/www/index.html"
	echo "$AB_WORK/www/index.html"
}

# sv_java_serve: compiles Serve (java -cp $AB_WORK/java Serve BODY-FILE
# PORT: an HTTP server on PORT, dual-stack, that serves BODY-FILE at every
# path and prints "listening ADDRESS") and sets JAVA, SV_JHOME (a home and
# temporary directory the test user may write: the JVM wants them, and the
# user has no passwd entry) and JFLAGS (a bounded start: class data sharing,
# C1 only, a small heap, no perf file).  Skips the test where no JDK is.
sv_java_serve() {
	JAVA=$(command -v java) || ab_skip "java is not installed"
	sv_javac=$(command -v javac) || ab_skip "javac is not installed"
	SV_JHOME=$AB_WORK/jhome
	mkdir -p "$SV_JHOME/tmp" "$AB_WORK/java"
	chown -R "$AB_TEST_UID:$AB_TEST_GID" "$SV_JHOME"
	JFLAGS="-Xshare:auto -XX:TieredStopAtLevel=1 -Xmx64m -XX:-UsePerfData -Djava.io.tmpdir=$SV_JHOME/tmp -Duser.home=$SV_JHOME"
	cat >"$AB_WORK/java/Serve.java" <<'JAVA'
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Paths;

/* Serve BODY-FILE PORT: serves BODY-FILE at every path. */
public class Serve {
	public static void main(String[] args) throws Exception {
		byte[] body = Files.readAllBytes(Paths.get(args[0]));
		HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[1])), 0);
		server.createContext("/", exchange -> {
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		System.out.println("listening " + server.getAddress());
	}
}
JAVA
	ab_log "compiling Serve.java"
	timeout 120 "$sv_javac" -J-Xshare:auto -J-XX:TieredStopAtLevel=1 -J-XX:-UsePerfData \
		-d "$AB_WORK/java" "$AB_WORK/java/Serve.java" || ab_fail "javac failed"
	chmod -R a+rX "$AB_WORK/java"
}
