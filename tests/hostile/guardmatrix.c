/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guardmatrix: checks, as root, the kernel's bind-conflict rules that the
 * helper's guard of the IPv4 half relies on (helper/helper.c,
 * take_ipv4_half and set_socket_owner), each in a network namespace of
 * its own.  A failed line means this kernel does not behave as the helper
 * assumes: the guard would not stop what it must, or would refuse what it
 * need not.
 *
 *   guardmatrix UID OTHER-UID
 *
 * The guard: TCP SO_REUSEADDR, listening; UDP no options; both bound to
 * 0.0.0.0:PORT with a drop-all socket filter.  The attack: a dual-stack
 * bind of [::]:PORT with any of SO_REUSEADDR, SO_REUSEPORT and
 * SO_BINDTODEVICE.  Prints one line per check, "ok" or "not ok"; exit 0
 * when all held, 1 when one did not, 77 when it cannot run here.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PORT 80

enum { RA = 1, RP = 2, LISTEN = 4, V6ONLY = 8, DEVICE = 16, FILTER = 32 };

static int tcp;
static uid_t uid, other;
static int failed;

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s: ", ok ? "ok" : "not ok", tcp ? "tcp" : "udp");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		failed = 1;
}

static void lo_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
		exit(77);
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
		exit(77);
	close(s);
}

/* A socket of owner with opts, bound to addr:PORT; -errno when the bind
 * (or listen) fails. */
static int sock(int family, int opts, uid_t owner, const char *addr)
{
	static struct sock_filter drop_all[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { 1, drop_all };
	struct sockaddr_storage ss;
	socklen_t len;
	int s, one = 1, v6only = (opts & V6ONLY) != 0, e;

	setfsuid(owner);
	s = socket(family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	setfsuid(0);
	if (s < 0)
		exit(77);
	if (((opts & RA) && setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) ||
	    ((opts & RP) && setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) ||
	    ((opts & DEVICE) && setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) != 0) ||
	    ((opts & FILTER) &&
	     setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) != 0) ||
	    (family == AF_INET6 &&
	     setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) != 0))
		exit(77);
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(PORT);
		inet_pton(AF_INET, addr, &sin->sin_addr);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(PORT);
		inet_pton(AF_INET6, addr, &sin6->sin6_addr);
		len = sizeof(*sin6);
	}
	if (bind(s, (struct sockaddr *)&ss, len) != 0 ||
	    ((opts & LISTEN) && tcp && listen(s, 8) != 0)) {
		e = errno;
		close(s);
		return -e;
	}
	return s;
}

static const int attack_opts[] = { 0, RA, RP, RA | RP, DEVICE, RA | RP | DEVICE };
#define NATTACKS (sizeof(attack_opts) / sizeof(attack_opts[0]))

static int guard(void)
{
	return sock(AF_INET, (tcp ? RA | LISTEN : 0) | FILTER, uid, "0.0.0.0");
}

static const char *opts_name(int o)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s%s%s%s", o & RA ? " SO_REUSEADDR" : "",
		 o & RP ? " SO_REUSEPORT" : "", o & DEVICE ? " SO_BINDTODEVICE" : "",
		 o ? "" : " no options");
	return buf + 1;
}

/* With the guard in place: every dual-stack bind fails with EADDRINUSE,
 * every v6-only one succeeds.  The dual-stack ones first: a v6-only
 * SO_REUSEPORT socket that joins the port after the guard, even one
 * closed since, opens the kernel's fast path to the next socket of its
 * owner (see fast_path), which no socket of the caller's is when the
 * helper binds. */
static void guard_holds(const char *beside)
{
	size_t i;

	for (i = 0; i < NATTACKS; i++) {
		int d = sock(AF_INET6, attack_opts[i], uid, "::");

		check(d == -EADDRINUSE, "%s: guard stops a dual-stack bind with %s (%s)", beside,
		      opts_name(attack_opts[i]), d >= 0 ? "it was bound" : strerror(-d));
		if (d >= 0)
			close(d);
	}
	for (i = 0; i < NATTACKS; i++) {
		int v = sock(AF_INET6, attack_opts[i] | V6ONLY, uid, "::");

		check(v >= 0, "%s: guard lets a v6-only bind with %s through (%s)", beside,
		      opts_name(attack_opts[i]), v >= 0 ? "bound" : strerror(-v));
		if (v >= 0)
			close(v);
	}
}

/* TIME_WAIT on 127.0.0.1:PORT from a server of other's with opts. */
static void time_wait(int opts)
{
	struct sockaddr_in sin = { AF_INET, htons(PORT), { htonl(INADDR_LOOPBACK) }, { 0 } };
	int l = sock(AF_INET, opts | LISTEN, other, "0.0.0.0"), k, a;
	char byte;

	if (l < 0)
		exit(77);
	k = socket(AF_INET, SOCK_STREAM, 0);
	if (k < 0 || connect(k, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		exit(77);
	a = accept(l, NULL, NULL);
	close(a);
	if (read(k, &byte, 1) != 0)
		exit(77);
	close(k);
	usleep(100000);
	close(l);
}

/* Runs one scenario in a network namespace of its own. */
static void scenario(void (*fn)(void))
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		exit(77);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) != 0)
			exit(77);
		lo_up();
		failed = 0;
		fn();
		fflush(stdout);
		_exit(failed);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) == 77)
		exit(77);
	if (WEXITSTATUS(st) != 0)
		failed = 1;
}

static void alone(void)
{
	int g = guard();

	check(g >= 0, "the guard binds on an empty port");
	if (g >= 0)
		guard_holds("empty port");
}

static void own_reuseaddr_holder(void)
{
	int h = sock(AF_INET, RA, uid, "127.0.0.1"), g;

	g = guard();
	if (tcp) {
		check(g >= 0, "the guard binds beside the caller's non-listening SO_REUSEADDR "
		      "holder on 127.0.0.1");
		if (g >= 0)
			guard_holds("beside 127.0.0.1 SO_REUSEADDR");
	} else {
		check(g == -EADDRINUSE, "the guard cannot bind beside a holder on 127.0.0.1 "
		      "(the helper refuses)");
	}
	(void)h;
}

static void other_reuseaddr_any(void)
{
	int h = sock(AF_INET, RA, other, "0.0.0.0"), g = guard();

	if (tcp) {
		check(g >= 0, "the guard binds beside another user's non-listening SO_REUSEADDR "
		      "0.0.0.0");
		if (g >= 0)
			guard_holds("beside 0.0.0.0 SO_REUSEADDR");
	} else {
		check(g == -EADDRINUSE, "the guard cannot bind beside another user's SO_REUSEADDR "
		      "0.0.0.0 (the helper refuses)");
	}
	(void)h;
}

static void listening_holder(void)
{
	int h = sock(AF_INET, RA | LISTEN, other, "127.0.0.1"), g = guard();

	check(g == -EADDRINUSE, "the guard cannot bind beside a listening 127.0.0.1 (the "
	      "helper refuses)");
	(void)h;
}

static void time_wait_reuseaddr(void)
{
	int g;

	time_wait(RA);
	g = guard();
	check(g >= 0, "the guard binds beside TIME_WAIT of a SO_REUSEADDR server");
	if (g >= 0)
		guard_holds("beside TIME_WAIT");
}

static void time_wait_plain(void)
{
	int g;

	time_wait(0);
	g = guard();
	check(g == -EADDRINUSE, "the guard cannot bind beside TIME_WAIT of a server without "
	      "SO_REUSEADDR (the helper refuses)");
}

/* The fast path of inet_csk_get_port: an earlier v6-only SO_REUSEPORT
 * socket that joins the port again (listen) after the guard makes a
 * dual-stack SO_REUSEPORT bind of the same owner skip the conflict check;
 * a socket of another owner does not.  The first line is the control:
 * were it not so, set_socket_owner would defend against nothing. */
static void fast_path(void)
{
	int s1 = sock(AF_INET6, RP | V6ONLY, uid, "::"), g = guard(), t;

	if (s1 < 0 || g < 0 || listen(s1, 8) != 0)
		exit(77);
	t = sock(AF_INET6, RP, uid, "::");
	printf("%s tcp: a dual-stack SO_REUSEPORT bind of the same owner as a v6-only "
	       "socket that listened after the guard passes the guard (%s)\n",
	       t >= 0 ? "ok" : "ok # SKIP the kernel has no such fast path",
	       t >= 0 ? "the fast path set_socket_owner defends against" : strerror(-t));
	if (t >= 0)
		close(t);
	s1 = sock(AF_INET6, RP | V6ONLY, uid, "::");
	if (s1 < 0 || listen(s1, 8) != 0)
		exit(77);
	t = sock(AF_INET6, RP, other, "::");
	check(t == -EADDRINUSE, "... but not when the socket has another owner (%s)",
	      t >= 0 ? "it was bound" : strerror(-t));
}

/* fchown of a socket sets the owner SO_REUSEPORT compares. */
static void fchown_owner(void)
{
	int a = sock(AF_INET6, RP | V6ONLY | LISTEN, uid, "::"), b;
	int s;

	(void)a;
	setfsuid(other);
	s = socket(AF_INET6, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	setfsuid(0);
	b = -1;
	if (s >= 0) {
		int one = 1;
		struct sockaddr_in6 sin6;

		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(PORT);
		setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
		setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (fchown(s, uid, (gid_t)-1) == 0)
			b = bind(s, (struct sockaddr *)&sin6, sizeof(sin6));
	}
	check(b == 0, "a socket of another user, fchown'ed to the first's owner, joins its "
	      "SO_REUSEPORT group: fchown sets the owner the kernel compares");
}

/* The guard never completes a connection: the filter drops the SYN. */
static void filter_drops(void)
{
	struct sockaddr_in sin = { AF_INET, htons(PORT), { htonl(INADDR_LOOPBACK) }, { 0 } };
	int g, k, plain, done[2], i;

	for (i = 0; i < 2; i++) {
		struct pollfd pfd;
		int err = 0;
		socklen_t len = sizeof(err);

		g = i == 0 ? guard() : sock(AF_INET, RA | LISTEN, uid, "0.0.0.0");
		k = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (g < 0 || k < 0)
			exit(77);
		connect(k, (struct sockaddr *)&sin, sizeof(sin));
		pfd.fd = k;
		pfd.events = POLLOUT;
		done[i] = poll(&pfd, 1, 200) == 1 &&
			  getsockopt(k, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
		close(k);
		close(g);
	}
	plain = done[1];
	check(plain, "control: a listening socket without the filter completes a connection");
	check(!done[0], "the guard's filter keeps a connection from completing");
}

static void v6only_fixed(void)
{
	int s = sock(AF_INET6, V6ONLY, uid, "::"), off = 0;

	check(s >= 0 && setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) != 0 &&
	      errno == EINVAL, "IPV6_V6ONLY cannot be changed once bound");
}

/* UDP: more than ten sockets on the port's hash slot send a bind through
 * the secondary hash; a wildcard guard is in the slot a dual-stack bind
 * of :: looks at. */
static void udp_many(void)
{
	int i, g, d;

	for (i = 0; i < 12; i++)
		if (sock(AF_INET6, RP | V6ONLY, uid, "::1") < 0)
			exit(77);
	g = guard();
	d = sock(AF_INET6, RA | RP, uid, "::");
	check(g >= 0 && d == -EADDRINUSE, "with 12 sockets on the port, the guard still stops "
	      "a dual-stack bind (%s)", d >= 0 ? "it was bound" : strerror(-d));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3 || geteuid() != 0) {
		printf("usage (as root): guardmatrix UID OTHER-UID\n");
		return 77;
	}
	uid = (uid_t)atoi(argv[1]);
	other = (uid_t)atoi(argv[2]);
	for (tcp = 1; tcp >= 0; tcp--) {
		scenario(alone);
		scenario(own_reuseaddr_holder);
		scenario(other_reuseaddr_any);
		scenario(fchown_owner);
		scenario(v6only_fixed);
		if (tcp) {
			scenario(listening_holder);
			scenario(time_wait_reuseaddr);
			scenario(time_wait_plain);
			scenario(fast_path);
			scenario(filter_drops);
		} else {
			scenario(udp_many);
		}
	}
	return failed;
}
