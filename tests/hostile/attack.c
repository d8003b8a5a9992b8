/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The referee and main of attack (see attack.h): it prepares what only
 * root can, forks the caller, answers its questions, and judges.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attack.h"

const char *opt_helper;
const char *opt_userdir;
const char *opt_addr = "0.0.0.0";
const char *opt_policy_dir;
uint16_t opt_port;
int opt_udp, opt_dual;
uid_t opt_uid = 41000, opt_other = 41001;
gid_t opt_gid = 41000;

static const struct hcase *const tables[] = {
	cases_policy, cases_socket, cases_message, cases_state, cases_privilege,
	cases_dualstack, NULL,
};

/* ---- the referee ---- */

/* True when something holds the port: a fresh bind of root's fails.
 * tolerate_tw: TCP probes set SO_REUSEADDR, so TIME_WAIT does not count. */
static int port_busy(uint16_t port, int tolerate_tw, char *what, size_t size)
{
	static const struct { int domain, type, protocol; const char *name; } probes[] = {
		{ AF_INET6, SOCK_STREAM, 0, "tcp [::]" },
		{ AF_INET6, SOCK_DGRAM, 0, "udp [::]" },
		{ AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE, "udplite [::]" },
		{ AF_INET, SOCK_STREAM, 0, "tcp 0.0.0.0" },
		{ AF_INET, SOCK_DGRAM, 0, "udp 0.0.0.0" },
		{ AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, "udplite 0.0.0.0" },
	};
	size_t i;

	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		struct sockaddr_storage ss;
		socklen_t len;
		int s = socket(probes[i].domain, probes[i].type | SOCK_CLOEXEC,
			       probes[i].protocol);
		int off = 0, one = 1, r;

		if (s < 0)
			continue; /* no UDP-Lite here */
		if (tolerate_tw && probes[i].type == SOCK_STREAM)
			setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		memset(&ss, 0, sizeof(ss));
		if (probes[i].domain == AF_INET6) {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

			setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons(port);
			len = sizeof(*sin6);
		} else {
			struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

			sin->sin_family = AF_INET;
			sin->sin_port = htons(port);
			len = sizeof(*sin);
		}
		r = bind(s, (struct sockaddr *)&ss, len);
		close(s);
		if (r != 0) {
			snprintf(what, size, "root cannot bind %s:%u: %s", probes[i].name,
				 (unsigned)port, strerror(errno));
			return 1;
		}
	}
	return 0;
}

static int judge(const struct hcase *hc, const struct result *r, int busy,
		 const char *busy_what, char *why, size_t size)
{
	int valid = r->replies >= 1 && r->first_len == (ssize_t)sizeof(r->rep) &&
		    ab_reply_check(&r->rep) == 0;

	if (r->note[0] != '\0') {
		snprintf(why, size, "%s", r->note);
		return 0;
	}
	if (hc->want == W_NONE && r->replies != 0) {
		snprintf(why, size, "expected no reply, got %d (%s: %.200s)", r->replies,
			 outcome_name(r->rep.outcome), (int)sizeof(r->rep.text) > 0 ? r->rep.text : "");
		return 0;
	}
	if (hc->want == W_REFUSED && r->replies != 0 &&
	    (r->replies != 1 || !valid || r->rep.outcome == AB_GRANTED)) {
		snprintf(why, size, "expected a refusal, got %d replies (first %s%s)",
			 r->replies, outcome_name(r->rep.outcome), valid ? "" : ", malformed");
		return 0;
	}
	if (hc->want < W_NONE) {
		if (r->replies != 1 || !valid) {
			snprintf(why, size, "expected one well-formed reply, got %d%s; "
				 "the helper's wait status 0x%x, it said \"%s\"",
				 r->replies, r->replies > 0 && !valid ? " (malformed)" : "",
				 (unsigned)r->status, r->said);
			return 0;
		}
		if (r->rep.outcome != hc->want ||
		    (hc->error != 0 && r->rep.error != hc->error) ||
		    (hc->want == AB_NOT_PRIVILEGED && r->rep.detail != hc->detail)) {
			snprintf(why, size, "expected %s (%s, detail %u), got %s (%s, detail %u): %.200s",
				 outcome_name(hc->want), strerror(hc->error), (unsigned)hc->detail,
				 outcome_name(r->rep.outcome), strerror(r->rep.error),
				 (unsigned)r->rep.detail, (int)sizeof(r->rep.text) > 0 ? r->rep.text : "");
			return 0;
		}
	}
	if (hc->flags & F_BOUND) {
		if (!busy || !r->moved) {
			snprintf(why, size, "control: the granted bind was not seen "
				 "(port busy %d, socket name changed %d)", busy, r->moved);
			return 0;
		}
		return 1;
	}
	if (r->moved) {
		snprintf(why, size, "a socket passed to the helper was bound");
		return 0;
	}
	if (busy) {
		snprintf(why, size, "the port is bound: %s", busy_what);
		return 0;
	}
	if (r->hung) {
		snprintf(why, size, "the helper did not exit in time and was killed");
		return 0;
	}
	return 1;
}

static void become_caller(void)
{
	if (setgroups(0, NULL) != 0 || setresgid(opt_gid, opt_gid, opt_gid) != 0 ||
	    setresuid(opt_uid, opt_uid, opt_uid) != 0)
		fatal("dropping to the test user");
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
		fatal("PR_SET_PDEATHSIG");
	if (chdir(opt_userdir) != 0)
		fatal("chdir to the user's directory");
}

static void caller(struct ctx *c)
{
	struct ref_msg m;

	become_caller();
	c->hc->run(c);
	memset(&m, 0, sizeof(m));
	m.type = REF_RESULT;
	m.r = c->r;
	if (send(c->ref, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m) ||
	    recv(c->ref, &m, sizeof(m), 0) <= 0)
		_exit(1);
	_exit(0);
}

/* Is 0.0.0.0:PORT of the case's protocol held?  A bind of root's, with
 * no options, conflicts with any holder there. */
static int v4_busy_now(char *what, size_t size)
{
	struct sockaddr_in sin;
	int s = socket(AF_INET, (opt_udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0), r;

	if (s < 0)
		fatal("socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(opt_port);
	r = bind(s, (struct sockaddr *)&sin, sizeof(sin));
	snprintf(what, size, "%s", r == 0 ? "free" : strerror(errno));
	close(s);
	return r != 0;
}

/* strace as root, attached to pid, with the "-e"-style words of expr;
 * returns its pid once the kernel shows it as the tracer, or -1. */
static pid_t start_strace(pid_t pid, const char *expr, char *what, size_t size)
{
	char *argv[24], words[sizeof(((struct ref_msg *)0)->needle)], pidtext[16];
	char *w, *save = NULL;
	struct timespec t0;
	struct inspect in;
	int n = 0;
	pid_t tracer;

	snprintf(words, sizeof(words), "%s", expr);
	snprintf(pidtext, sizeof(pidtext), "%d", (int)pid);
	argv[n++] = "strace";
	argv[n++] = "-qq";
	argv[n++] = "-f";
	argv[n++] = "-p";
	argv[n++] = pidtext;
	for (w = strtok_r(words, " ", &save); w != NULL && n < 22; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	tracer = fork();
	if (tracer < 0)
		fatal("fork");
	if (tracer == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(126);
		execvp("strace", argv);
		_exit(127);
	}
	/* Attached once the kernel says so; the tracee is stopped until strace
	 * lets it go on, traced. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ms_since(&t0) < 5000) {
		char path[64], buf[4096];
		const char *p;
		ssize_t len;
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			break;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[len > 0 ? len : 0] = '\0';
		p = strstr(buf, "\nTracerPid:");
		if (p != NULL && strtol(p + 11, NULL, 10) == tracer)
			return tracer;
		if (waitpid(tracer, NULL, WNOHANG) == tracer) {
			snprintf(what, size, "strace %.100s exited at once", expr);
			return -1;
		}
		sleep_ms(2);
	}
	(void)in;
	snprintf(what, size, "strace did not attach to %d within 5 s", (int)pid);
	kill(tracer, SIGKILL);
	waitpid(tracer, NULL, 0);
	return -1;
}

static void usage(void)
{
	const struct hcase *const *t;
	const struct hcase *hc;

	printf("usage: attack [-p PORT] [-a ADDR] [-u] [-d] [-H HELPER] -w USERDIR CASE\n"
	       "cases:");
	for (t = tables; *t != NULL; t++)
		for (hc = *t; hc->name != NULL; hc++)
			printf(" %s", hc->name);
	printf("\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const struct hcase *const *t;
	const struct hcase *hc = NULL, *h;
	struct ctx c;
	struct ref_msg m;
	struct result r;
	char busy_what[160] = "", why[512];
	int ref[2], opt, busy = 0, got_result = 0, st, i;
	pid_t pid, tracers[256];
	int ntracers = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	opt_helper = getenv("AB_HELPER");
	opt_policy_dir = getenv("AB_POLICY_DIR");
	while ((opt = getopt(argc, argv, "p:a:udH:w:U:O:G:")) != -1) {
		switch (opt) {
		case 'p': opt_port = (uint16_t)atoi(optarg); break;
		case 'a': opt_addr = optarg; break;
		case 'u': opt_udp = 1; break;
		case 'd': opt_dual = 1; break;
		case 'H': opt_helper = optarg; break;
		case 'w': opt_userdir = optarg; break;
		case 'U': opt_uid = (uid_t)atoi(optarg); break;
		case 'O': opt_other = (uid_t)atoi(optarg); break;
		case 'G': opt_gid = (gid_t)atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || opt_helper == NULL || opt_userdir == NULL || opt_port == 0 ||
	    opt_policy_dir == NULL)
		usage();
	for (t = tables; *t != NULL; t++)
		for (h = *t; h->name != NULL; h++)
			if (strcmp(h->name, argv[optind]) == 0)
				hc = h;
	if (hc == NULL)
		usage();
	if (geteuid() != 0) {
		printf("attack: must run as root (it drops to the test user itself)\n");
		return 77;
	}

	memset(&c, 0, sizeof(c));
	c.hc = hc;
	c.sock = c.fd0 = c.peer = c.out = -1;
	c.chan[0] = c.chan[1] = -1;
	for (i = 0; i < MAX_ROOT_FDS; i++)
		c.root_fd[i] = -1;
	c.helper = opt_helper;
	c.addr = opt_addr;
	c.lim_resource = -1;
	if (hc->root_setup != NULL)
		hc->root_setup(&c);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ref) != 0)
		fatal("socketpair");
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		close(ref[0]);
		c.ref = ref[1];
		caller(&c);
	}
	close(ref[1]);
	/* What the referee made is the caller's now. */
	for (i = 0; i < MAX_ROOT_FDS; i++)
		if (c.root_fd[i] >= 0)
			close(c.root_fd[i]);
	for (i = 0; i < c.npool; i++)
		close(c.pool[i]);
	free(c.pool);
	c.pool = NULL;
	memset(&r, 0, sizeof(r));
	for (;;) {
		struct inspect in;
		ssize_t n = recv(ref[0], &m, sizeof(m), 0);

		if (n != (ssize_t)sizeof(m))
			break;
		memset(&in, 0, sizeof(in));
		switch (m.type) {
		case REF_INSPECT:
			inspect_now(m.pid, m.needle, &in);
			break;
		case REF_V4_BUSY:
			in.answer = v4_busy_now(in.what, sizeof(in.what));
			break;
		case REF_STRACE: {
			pid_t tracer = start_strace(m.pid, m.needle, in.what, sizeof(in.what));

			in.answer = tracer < 0 ? -1 : 0;
			if (tracer > 0 && ntracers < 256)
				tracers[ntracers++] = tracer;
			break;
		}
		case REF_RESULT:
			r = m.r;
			got_result = 1;
			/* The caller still holds every socket it made. */
			busy = port_busy(opt_port, (hc->flags & F_TW) != 0, busy_what,
					 sizeof(busy_what));
			m.type = REF_DONE;
			if (send(ref[0], &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m))
				fatal("send");
			continue;
		default:
			fatal("an unknown request from the caller");
		}
		if (send(ref[0], &in, sizeof(in), MSG_NOSIGNAL) != (ssize_t)sizeof(in))
			fatal("send");
	}
	if (waitpid(pid, &st, 0) != pid)
		fatal("waitpid");
	for (i = 0; i < ntracers; i++)
		waitpid(tracers[i], NULL, 0);
	if (!got_result) {
		printf("attack %s: the caller died without a result (wait status 0x%x)\n",
		       hc->name, (unsigned)st);
		return 1;
	}
	if (r.skip) {
		printf("attack %s: skipped: %s\n", hc->name, r.note);
		return 77;
	}
	if (!judge(hc, &r, busy, busy_what, why, sizeof(why))) {
		printf("attack %s: %s\n", hc->name, why);
		return 1;
	}
	if (r.info[0] != '\0')
		printf("%s\n", r.info);
	return 0;
}
