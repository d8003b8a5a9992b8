/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attacks on the IPv4 half of [::]: the request is for [::] v6-only, which
 * the policy grants while it does not grant 0.0.0.0 (hostile.sh sees to
 * that), and the caller turns IPV6_V6ONLY off after sending it, over and
 * over, or once at a varying delay.  A bind with the option off takes
 * 0.0.0.0:PORT too.  Around that: holders of the IPv4 half the guard must
 * live with or refuse (the caller's own SO_REUSEADDR socket, TIME_WAIT
 * leftovers, another user's UDP socket), earlier SO_REUSEPORT sockets of
 * the caller's that join the port again at the worst moment (listen), and
 * the helper slowed down at each of its system calls in turn (strace, as
 * root).  After every attempt the caller's socket is looked at: bound,
 * with IPV6_V6ONLY off, is the failure this file exists for.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attack.h"

#define RACE_ATTEMPTS 200
#define POOL_PER_ATTEMPT 6
#define STEP_DELAY_US 50000

/* What the caller does to its socket and its other sockets meanwhile. */
struct race {
	int attempts;
	int reuseaddr, reuseport; /* on the caller's socket */
	int listen_pool;  /* TCP: listen() earlier [::]:PORT SO_REUSEPORT sockets */
	int want_refused; /* every attempt must be refused: the guard cannot be taken */
};

struct tally {
	int granted, caught, denied, refused;
};

/* How long the last attempt's helper took from the request to its reply. */
static long last_reply_ms;

static long us_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000000 + (now.tv_nsec - t0->tv_nsec) / 1000;
}

/* A TCP connection to 127.0.0.1:PORT, started now and looked at before
 * the next: nothing the case binds may accept one (the guard's filter
 * drops everything). */
static int start_connect(void)
{
	struct sockaddr_in sin;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(opt_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && connect(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 &&
	    errno != EINPROGRESS) {
		close(s);
		return -1;
	}
	return s;
}

/* True when the connection completed (a peer accepted it, for now). */
static int connected(int s)
{
	struct pollfd pfd = { s, POLLOUT, 0 };
	int err = -1;
	socklen_t len = sizeof(err);

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLOUT) &&
	       getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
}

/* Whether the socket holds the IPv4 half: bound to the port with
 * IPV6_V6ONLY off. */
static int holds_ipv4_half(int s)
{
	struct sockaddr_in6 sin6;
	socklen_t len = sizeof(sin6);
	int v6only = 1;
	socklen_t olen = sizeof(v6only);

	memset(&sin6, 0, sizeof(sin6));
	if (getsockname(s, (struct sockaddr *)&sin6, &len) != 0 ||
	    ntohs(sin6.sin6_port) != opt_port)
		return 0;
	if (getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &olen) != 0)
		fatal("IPV6_V6ONLY");
	return !v6only;
}

/*
 * One request, one attack.  how: 0 toggle IPV6_V6ONLY without pause until
 * the reply; 1 turn it off once after delay_us; 2 leave it alone.  strace:
 * what the referee's strace does to the helper meanwhile (NULL: none).
 * Returns -1 when the caller ended up holding the IPv4 half (noted).
 */
static int one_attempt(struct ctx *c, const struct race *rc, int how, long delay_us,
		       const char *strace, struct tally *t)
{
	static const long pool_at_ms[POOL_PER_ATTEMPT] = { 2, 10, 30, 60, 110, 180 };
	struct inspect in;
	struct ab_request req;
	struct timespec t0;
	int probe = -1, accepted = 0, one = 1, pooled = 0, bad = 0;

	reset_attempt(c);
	c->sock = make_socket(AF_INET6, opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (c->sock < 0)
		fatal("socket");
	if ((rc->reuseaddr &&
	     setsockopt(c->sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) ||
	    (rc->reuseport &&
	     setsockopt(c->sock, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0))
		fatal("SO_REUSEADDR/SO_REUSEPORT");
	open_channel(c);
	spawn_helper(c);
	if (wait_in_poll(c, &in) != 0)
		return -1;
	if (strace != NULL && strace_attach(c, c->pid, strace) != 0)
		return -1;
	build_request(c, &req);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	send_request(c, &req, sizeof(req));
	if (how == 0) {
		struct pollfd pfd = { c->peer, POLLIN, 0 };
		long next_probe_ms = 0;
		int k;

		for (k = 0;; k++) {
			int v = k & 1;
			long ms = us_since(&t0) / 1000;

			if (setsockopt(c->sock, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v)) != 0)
				break; /* bound: it can no longer change */
			if (rc->listen_pool && pooled < POOL_PER_ATTEMPT &&
			    c->pool_next < c->npool && ms >= pool_at_ms[pooled]) {
				listen(c->pool[c->pool_next++], 8);
				pooled++;
			}
			if (!opt_udp && ms >= next_probe_ms) {
				if (probe >= 0) {
					accepted += connected(probe);
					close(probe);
				}
				probe = start_connect();
				next_probe_ms = ms + 5;
			}
			if (k % 32 == 31 && poll(&pfd, 1, 0) != 0)
				break;
		}
	} else if (how == 1) {
		int off = 0;

		while (us_since(&t0) < delay_us)
			;
		setsockopt(c->sock, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	}
	if (probe >= 0) {
		accepted += connected(probe);
		close(probe);
	}
	read_replies(c, REPLY_WAIT_MS);
	last_reply_ms = us_since(&t0) / 1000;
	reap_helper(c, EXIT_WAIT_MS);
	read_output(c);
	close(c->peer);
	if (accepted > 0) {
		note(c, "%d TCP connections to 127.0.0.1:%u completed while the helper ran",
		     accepted, (unsigned)opt_port);
		bad = -1;
	}
	if (holds_ipv4_half(c->sock)) {
		note(c, "the caller's [::]:%u ended up dual-stack (IPV6_V6ONLY off), though "
		     "0.0.0.0 is not granted (%s, %s)", (unsigned)opt_port,
		     how == 0 ? "toggling" : how == 1 ? "one flip" : "left alone",
		     strace != NULL ? strace : "no strace");
		return -1;
	}
	if (c->r.replies == 1 && c->r.rep.outcome == AB_GRANTED) {
		struct stat st;

		/* The helper owned it for the length of a guarded TCP bind. */
		if (fstat(c->sock, &st) != 0 || st.st_uid != opt_uid) {
			note(c, "after the grant the socket belongs to uid %u, not the caller",
			     (unsigned)st.st_uid);
			bad = -1;
		}
	}
	if (c->r.replies == 1) {
		switch (c->r.rep.outcome) {
		case AB_GRANTED: t->granted++; break;
		case AB_BIND_FAILED: t->caught++; break;
		case AB_DENIED: t->denied++; break;
		case AB_HALF_IN_USE: t->refused++; break;
		default:
			note(c, "unexpected reply %s: %.120s", outcome_name(c->r.rep.outcome),
			     c->r.rep.text);
			bad = -1;
		}
		if (rc->want_refused && c->r.rep.outcome != AB_HALF_IN_USE &&
		    c->r.rep.outcome != AB_DENIED) {
			note(c, "expected the helper to refuse (the IPv4 half is in use), got %s",
			     outcome_name(c->r.rep.outcome));
			bad = -1;
		}
	} else {
		note(c, "%d replies (%s)", c->r.replies, strace != NULL ? strace : "no strace");
		bad = -1;
	}
	close(c->sock);
	c->sock = -1;
	return bad;
}

static void summarize(struct ctx *c, const char *what, int attempts, const struct tally *t)
{
	snprintf(c->r.info, sizeof(c->r.info), "%s: %d attempts: %d granted v6-only, %d caught "
		 "at the bind, %d denied (dual-stack when looked at), %d refused (IPv4 half in "
		 "use)", what, attempts, t->granted, t->caught, t->denied, t->refused);
	/* The referee judges the port; the last reply is not the point. */
	c->r.replies = 0;
	c->r.moved = 0;
	c->nwatch = 0;
}

static void race(struct ctx *c, const struct race *rc)
{
	struct tally t = { 0, 0, 0, 0 };
	int attempt;

	c->addr = "::";
	for (attempt = 0; attempt < rc->attempts; attempt++) {
		/* Toggling half the time (every other time with the helper's
		 * bind slowed down by strace, so that the toggling surely spans
		 * it), one flip at a delay swept across the helper's work most of
		 * the rest, and every eighth left alone: a plain grant, however
		 * slow the machine, shows that :: is granted. */
		int how = attempt % 2 == 0 ? 0 : attempt % 8 == 7 ? 2 : 1;
		const char *slow = attempt % 4 == 2 ? "-o /dev/null -e trace=bind "
						      "-e inject=bind:delay_enter=20000" : NULL;

		if (one_attempt(c, rc, how, (attempt * 37) % 600, slow, &t) != 0)
			break;
	}
	summarize(c, c->hc->name, attempt, &t);
	/* (With earlier SO_REUSEPORT sockets of the caller's on the port, a
	 * guarded bind never joins their group: nothing is granted.) */
	if (!rc->want_refused && !rc->listen_pool && t.granted == 0 && c->r.note[0] == '\0')
		note(c, "no attempt was granted (is :: granted?)");
	if (rc->listen_pool && t.caught == 0 && c->r.note[0] == '\0')
		note(c, "no attempt got as far as the bind");
	if (rc->want_refused && t.refused == 0 && c->r.note[0] == '\0')
		note(c, "no attempt was refused for the IPv4 half in use");
}

/* Every holder the referee made is the caller's to close before the
 * referee looks at the port. */
static void close_holders(struct ctx *c)
{
	int i;

	for (i = 0; i < MAX_ROOT_FDS; i++)
		if (c->root_fd[i] >= 0) {
			close(c->root_fd[i]);
			c->root_fd[i] = -1;
		}
	while (c->npool > 0)
		close(c->pool[--c->npool]);
}

static void run_race(struct ctx *c)
{
	struct race rc = { RACE_ATTEMPTS, 0, 0, 0, 0 };

	rc.reuseaddr = c->hc->param & 1;
	rc.reuseport = (c->hc->param & 2) != 0;
	rc.listen_pool = (c->hc->param & 4) != 0;
	rc.want_refused = (c->hc->param & 8) != 0;
	if (rc.listen_pool || rc.want_refused)
		rc.attempts = 60;
	race(c, &rc);
	close_holders(c);
}

/*
 * The helper slowed down at each of its system calls in turn: first one
 * run traced whole, for the list of calls it makes once it has its
 * request; then one run per call, with strace (as root, so the setuid
 * exec keeps its privilege) delaying every entry into that call while the
 * caller toggles IPV6_V6ONLY (and, param 1, joins earlier SO_REUSEPORT
 * sockets to the port).  A stop at any step must not let the bind take
 * the IPv4 half.
 */
static void run_steps(struct ctx *c)
{
	struct race rc = { 1, 1, 0, 0, 0 };
	struct tally t = { 0, 0, 0, 0 };
	char path[200], expr[sizeof(((struct ref_msg *)0)->needle)], names[64][32];
	char line[1024];
	int nnames = 0, i, steps = 0, slowed = 0;
	FILE *f;

	rc.reuseport = rc.listen_pool = c->hc->param == 1;
	c->addr = "::";
	snprintf(path, sizeof(path), "%.180s/survey", opt_userdir);
	snprintf(expr, sizeof(expr), "-o %.100s -e trace=all", path);
	if (strlen(path) > 100)
		fatal("the user directory's name is too long for the survey");
	if (one_attempt(c, &rc, 2, 0, expr, &t) != 0)
		goto out;
	f = fopen(path, "re");
	if (f == NULL)
		fatal("the survey");
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, name[32];
		size_t n;

		while (*p >= '0' && *p <= '9')
			p++;
		while (*p == ' ')
			p++;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
		if (n == 0 || n >= sizeof(name) || p[n] != '(')
			continue;
		memcpy(name, p, n);
		name[n] = '\0';
		for (i = 0; i < nnames && strcmp(names[i], name) != 0; i++)
			;
		if (i == nnames && nnames < 64)
			snprintf(names[nnames++], sizeof(names[0]), "%s", name);
	}
	fclose(f);
	if (t.granted != 1 && !c->hc->param)
		note(c, "the survey run was not granted");
	if (nnames < 10)
		note(c, "the survey saw only %d system calls", nnames);
	for (i = 0; i < nnames && c->r.note[0] == '\0'; i++) {
		if (strcmp(names[i], "exit_group") == 0 || strcmp(names[i], "poll") == 0)
			continue;
		snprintf(expr, sizeof(expr), "-o /dev/null -e trace=%.16s -e inject=%.16s:delay_enter=%d",
			 names[i], names[i], STEP_DELAY_US);
		if (one_attempt(c, &rc, 0, 0, expr, &t) != 0)
			break;
		steps++;
		/* A denial skips the bind's calls: not every step is slowed. */
		if (last_reply_ms >= STEP_DELAY_US / 1000)
			slowed++;
	}
	if (c->r.note[0] == '\0' && slowed < steps / 3)
		note(c, "only %d of %d runs were slowed: is strace's inject working?", slowed, steps);
out:
	summarize(c, "steps", steps, &t);
	snprintf(c->r.info + strlen(c->r.info), sizeof(c->r.info) - strlen(c->r.info),
		 "; %d system calls delayed in turn, %d runs slowed", steps, slowed);
	close_holders(c);
}

/*
 * IPV6_V6ONLY turned off after the helper's look, with both halves
 * granted (so no guard): the bind is dual-stack, which is allowed, and the
 * helper's log must say so after the bind (audit.sh reads the lines).
 * strace holds the helper's bind back 300 ms; the flip comes at 100 ms.
 */
static void run_flip_after_look(struct ctx *c)
{
	struct inspect in;
	struct ab_request req;
	struct timespec t0;
	int off = 0;

	c->addr = "::";
	c->sock = make_socket(AF_INET6, opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	open_channel(c);
	spawn_helper(c);
	if (wait_in_poll(c, &in) != 0 ||
	    strace_attach(c, c->pid, "-o /dev/null -e trace=bind "
			  "-e inject=bind:delay_enter=300000") != 0)
		return;
	build_request(c, &req);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	send_request(c, &req, sizeof(req));
	while (us_since(&t0) < 100000)
		sleep_ms(5);
	if (setsockopt(c->sock, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) != 0)
		note(c, "the socket was bound before the flip: the helper was not held back");
	read_replies(c, REPLY_WAIT_MS);
	reap_helper(c, EXIT_WAIT_MS);
	read_output(c);
	if (!holds_ipv4_half(c->sock))
		note(c, "the socket is not dual-stack after the grant");
	close(c->sock);
	c->r.moved = 0;
}

/* Control for the guard: a server that binds 0.0.0.0 and then [::]
 * v6-only (nginx does) still gets both, when both are granted. */
static void run_v4_then_v6(struct ctx *c)
{
	struct ab_request req;
	int first_granted;

	c->sock = make_socket(AF_INET, opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	attack(c);
	first_granted = c->r.replies == 1 && c->r.rep.outcome == AB_GRANTED;
	memset(&c->r, 0, sizeof(c->r));
	c->chan[0] = c->chan[1] = -1;
	c->addr = "::";
	c->sock = make_socket(AF_INET6, opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	watch(c, c->sock);
	open_channel(c);
	spawn_helper(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	collect(c);
	if (!first_granted)
		note(c, "the bind of 0.0.0.0 was not granted");
}

/* ---- the referee's preparations ---- */

static void lo_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
		fatal("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
		fatal("SIOCSIFFLAGS lo");
	close(s);
}

/* A socket of the given owner, options and address, bound to the port
 * (listening when listen_too, for TCP). */
static int holder(uid_t owner, int family, int reuseaddr, int reuseport, int v6only,
		  const char *addr, int listen_too)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s, one = 1;

	setfsuid(owner);
	s = make_socket(family, opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	setfsuid(0);
	if (s < 0)
		fatal("socket");
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(opt_port);
		inet_pton(AF_INET, addr, &sin->sin_addr);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(opt_port);
		inet_pton(AF_INET6, addr, &sin6->sin6_addr);
		len = sizeof(*sin6);
		if (setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) != 0)
			fatal("IPV6_V6ONLY");
	}
	if ((reuseaddr && setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) ||
	    (reuseport && setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0))
		fatal("SO_REUSEADDR/SO_REUSEPORT");
	if (bind(s, (struct sockaddr *)&ss, len) != 0)
		return -1;
	if (listen_too && !opt_udp && listen(s, 8) != 0)
		fatal("listen");
	return s;
}

/* Control: with the holders in place, a dual-stack bind of [::]:PORT with
 * SO_REUSEADDR succeeds, so the holders alone would not stop the attack:
 * only the guard does. */
static void control_dual_bind(struct ctx *c)
{
	int s = holder(opt_uid, AF_INET6, 1, 0, 0, "::", 0);

	if (s < 0)
		note(c, "control: a dual-stack [::]:%u with SO_REUSEADDR cannot be bound "
		     "beside the holder (%s), so the case shows nothing", (unsigned)opt_port,
		     strerror(errno));
	else
		close(s);
}

/* The caller's own earlier socket on 127.0.0.1:PORT, SO_REUSEADDR, not
 * listening (as if granted by 127.0.0.1,PORT). */
static void root_own_holder(struct ctx *c)
{
	c->root_fd[0] = holder(opt_uid, AF_INET, 1, 0, 0, "127.0.0.1", 0);
	if (c->root_fd[0] < 0)
		fatal("the holder");
	control_dual_bind(c);
}

/* Another user's UDP socket on 0.0.0.0:PORT with SO_REUSEADDR. */
static void root_udp_other(struct ctx *c)
{
	c->root_fd[0] = holder(opt_other, AF_INET, 1, 0, 0, "0.0.0.0", 0);
	if (c->root_fd[0] < 0)
		fatal("the holder");
	control_dual_bind(c);
}

static int time_wait_count(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/net/tcp", "re");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned port, state;

		if (sscanf(line, " %*d: %*x:%x %*x:%*x %x", &port, &state) == 2 &&
		    port == opt_port && state == 6)
			n++;
	}
	fclose(f);
	return n;
}

/* TIME_WAIT left on the port by another user's server with SO_REUSEADDR
 * that served a few connections and went away (as in a restart). */
static void root_time_wait(struct ctx *c)
{
	struct sockaddr_in sin;
	int l = holder(opt_other, AF_INET, 1, 0, 0, "0.0.0.0", 1), i;

	if (l < 0)
		fatal("the server");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(opt_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 4; i++) {
		int k = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), a;
		char byte;

		if (k < 0 || connect(k, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			fatal("connect");
		a = accept(l, NULL, NULL);
		if (a < 0)
			fatal("accept");
		close(a); /* the server closes first: its side waits */
		if (read(k, &byte, 1) != 0)
			fatal("read");
		close(k);
	}
	close(l);
	for (i = 0; i < 100 && time_wait_count() < 4; i++)
		sleep_ms(10);
	if (time_wait_count() < 4)
		note(c, "control: no TIME_WAIT sockets on port %u", (unsigned)opt_port);
	control_dual_bind(c);
}

/* In a network namespace of its own: with a guard on 0.0.0.0:PORT, does
 * a dual-stack SO_REUSEPORT bind get past it when an earlier v6-only
 * SO_REUSEPORT socket of the same owner listens just before?  Returns 1
 * when it does (the kernel's fast path that set_socket_owner defends
 * against), 0 when not, -1 when it cannot tell. */
static int fast_path_bypasses_guard(void)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		int guard, s1, t;

		if (unshare(CLONE_NEWNET) != 0)
			_exit(3);
		lo_up();
		s1 = holder(opt_uid, AF_INET6, 0, 1, 1, "::", 0);
		guard = holder(opt_uid, AF_INET, 1, 0, 0, "0.0.0.0", 1);
		if (s1 < 0 || guard < 0 || listen(s1, 8) != 0)
			_exit(3);
		t = holder(opt_uid, AF_INET6, 0, 1, 0, "::", 0);
		_exit(t >= 0 ? 1 : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) > 1)
		return -1;
	return WEXITSTATUS(st);
}

/* Earlier [::]:PORT v6-only SO_REUSEPORT sockets of the caller's, bound
 * and not yet listening (as if granted by ::,PORT), for the caller to
 * join to the port during its attack. */
static void root_pool(struct ctx *c)
{
	struct rlimit rl = { 4096, 4096 };
	int want = c->hc->run == run_steps ? 64 * POOL_PER_ATTEMPT : 60 * POOL_PER_ATTEMPT;

	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		fatal("RLIMIT_NOFILE");
	if (fast_path_bypasses_guard() != 1)
		note(c, "control: on this kernel a guard is not bypassed by the SO_REUSEPORT "
		     "fast path, so this case shows nothing");
	c->pool = calloc((size_t)want, sizeof(int));
	if (c->pool == NULL)
		fatal("calloc");
	for (c->npool = 0; c->npool < want; c->npool++) {
		c->pool[c->npool] = holder(opt_uid, AF_INET6, 0, 1, 1, "::", 0);
		if (c->pool[c->npool] < 0)
			fatal("a pooled socket");
	}
}

/* param bits for run_race: 1 SO_REUSEADDR, 2 SO_REUSEPORT on the caller's
 * socket, 4 join the pool to the port meanwhile, 8 every attempt refused */
const struct hcase cases_dualstack[] = {
	{ "v6only-race", NULL, run_race, W_ANY, 0, 0, 0, 0 },
	{ "v4-then-v6", NULL, run_v4_then_v6, AB_GRANTED, 0, 0, F_BOUND, 0 },
	{ "flip-after-look", NULL, run_flip_after_look, AB_GRANTED, 0, 0, 0, 0 },
	{ "own-reuseaddr-holder", root_own_holder, run_race, W_ANY, 0, 0, 0, 1 },
	{ "own-reuseaddr-holder-udp", root_own_holder, run_race, W_ANY, 0, 0, 0, 1 | 8 },
	{ "time-wait", root_time_wait, run_race, W_ANY, 0, 0, F_TW, 1 },
	{ "udp-reuseaddr-other", root_udp_other, run_race, W_ANY, 0, 0, 0, 1 | 8 },
	{ "reuseport-fast-path", root_pool, run_race, W_ANY, 0, 0, 0, 1 | 2 | 4 },
	{ "steps", NULL, run_steps, W_ANY, 0, 0, 0, 0 },
	{ "steps-fast-path", root_pool, run_steps, W_ANY, 0, 0, 0, 1 },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};
