/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bindbench: times bind(2) the way an application sees it.  Run by
 * bench/run.sh under authbind, Debian's authbind or nothing, as the test
 * user or as root; prints one line per sample, "LABEL ROUND NANOSECONDS".
 *
 *   bindbench [--heap MIB] [--threads N] [--rounds R] [--warmup W] CASE...
 *
 * The process first takes the shape asked for (MIB of heap, allocated and
 * touched; N threads that sleep), then runs the cases in R rounds, a slice
 * of each case in turn, so that noise falls on every case alike.  Each
 * case first runs W times untimed.  Any bind that fails ends the run: a
 * benchmark that times refusals would be timing the wrong thing.
 *
 *   bind:LABEL:PROTO:FAMILY:LO-HI:N
 *       N binds of fresh sockets to the wildcard address, ports LO..HI in
 *       turn (PROTO tcp or udp, FAMILY 4 or 6); only bind(2) is timed
 *   ab:LABEL:PROTO:FAMILY:LO-HI:N
 *       N binds through bind() as linked (the shim's, when it is preloaded)
 *       and N through libc's own, alternating; labels LABEL/with and
 *       LABEL/without
 *   spawn:LABEL:PATH:STATUS:N
 *       start PATH as the shim starts its helper (clone with CLONE_VM and
 *       CLONE_VFORK, signals blocked, execve) and wait for it; it must
 *       exit with STATUS
 *   fork:LABEL:PATH:STATUS:N
 *       the same with fork(), as Debian's library starts its helper
 *   broker:LABEL:PROTO:FAMILY:LO-HI:N
 *       hand the socket over a socketpair (SCM_RIGHTS) to a process that
 *       is already running, which binds it and replies: the floor of a
 *       long-lived broker (the broker runs as the caller, so LO-HI must be
 *       ports the caller may bind itself)
 */
#define _GNU_SOURCE 1

#include <dlfcn.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"

#define MAX_CASES 64
#define SPAWN_STACK_BYTES (64 * 1024)

enum kind { K_BIND, K_AB, K_SPAWN, K_FORK, K_BROKER };

struct bench_case {
	enum kind kind;
	char label[96];
	int type;    /* SOCK_STREAM or SOCK_DGRAM */
	int family;  /* AF_INET or AF_INET6 */
	unsigned lo, hi, next_port;
	char *path;
	int status;
	long n;
	long done;
	int64_t *ns;      /* n samples */
	int64_t *ns_alt;  /* K_AB: n samples through libc's bind */
	int *round;       /* the round each sample was taken in */
};

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

static struct bench_case cases[MAX_CASES];
static int ncases;
static bind_fn libc_bind;
static int devnull = -1;
static int broker_fd = -1;
/* Volatile so that the compiler keeps the stores that make the heap real. */
static char *volatile heap;

static int64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		err(1, "clock_gettime");
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static unsigned parse_uint(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > 0x7fffffffUL)
		errx(2, "bad %s: '%s'", what, s);
	return (unsigned)v;
}

static void parse_socket_fields(struct bench_case *c, char *proto, char *family,
				char *range)
{
	char *dash;

	if (strcmp(proto, "tcp") == 0)
		c->type = SOCK_STREAM;
	else if (strcmp(proto, "udp") == 0)
		c->type = SOCK_DGRAM;
	else
		errx(2, "bad protocol '%s'", proto);
	if (strcmp(family, "4") == 0)
		c->family = AF_INET;
	else if (strcmp(family, "6") == 0)
		c->family = AF_INET6;
	else
		errx(2, "bad family '%s'", family);
	dash = strchr(range, '-');
	if (dash == NULL)
		errx(2, "bad port range '%s'", range);
	*dash = '\0';
	c->lo = parse_uint(range, "port");
	c->hi = parse_uint(dash + 1, "port");
	if (c->lo < 1 || c->hi > 65535 || c->lo > c->hi)
		errx(2, "bad port range %u-%u", c->lo, c->hi);
	c->next_port = c->lo;
}

static void parse_case(char *spec)
{
	struct bench_case *c;
	char *f[7];
	int nf = 0;
	char *p = spec;

	if (ncases == MAX_CASES)
		errx(2, "too many cases");
	c = &cases[ncases++];
	while (nf < 7 && p != NULL) {
		f[nf++] = p;
		p = strchr(p, ':');
		if (p != NULL)
			*p++ = '\0';
	}
	if (p != NULL || nf < 2)
		errx(2, "bad case '%s'", spec);
	if (snprintf(c->label, sizeof(c->label), "%s", f[1]) >= (int)sizeof(c->label))
		errx(2, "label too long: %s", f[1]);
	if (strcmp(f[0], "bind") == 0 || strcmp(f[0], "ab") == 0 ||
	    strcmp(f[0], "broker") == 0) {
		if (nf != 6)
			errx(2, "%s: want KIND:LABEL:PROTO:FAMILY:LO-HI:N", f[0]);
		c->kind = f[0][0] == 'a' ? K_AB : f[0][1] == 'i' ? K_BIND : K_BROKER;
		parse_socket_fields(c, f[2], f[3], f[4]);
		c->n = parse_uint(f[5], "count");
	} else if (strcmp(f[0], "spawn") == 0 || strcmp(f[0], "fork") == 0) {
		if (nf != 5)
			errx(2, "%s: want KIND:LABEL:PATH:STATUS:N", f[0]);
		c->kind = f[0][0] == 's' ? K_SPAWN : K_FORK;
		c->path = f[2];
		c->status = (int)parse_uint(f[3], "status");
		c->n = parse_uint(f[4], "count");
	} else {
		errx(2, "unknown case kind '%s'", f[0]);
	}
	if (c->n < 1)
		errx(2, "%s: count must be at least 1", c->label);
	c->ns = calloc((size_t)c->n, sizeof(*c->ns));
	c->ns_alt = calloc((size_t)c->n, sizeof(*c->ns_alt));
	c->round = calloc((size_t)c->n, sizeof(*c->round));
	if (c->ns == NULL || c->ns_alt == NULL || c->round == NULL)
		err(1, "calloc");
}

/* A fresh socket, ready to bind, and its address with the next port. */
static int make_socket(struct bench_case *c, struct sockaddr_storage *ss, socklen_t *len)
{
	int one = 1;
	int fd = socket(c->family, c->type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		err(1, "%s: socket", c->label);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
		err(1, "%s: SO_REUSEADDR", c->label);
	memset(ss, 0, sizeof(*ss));
	if (c->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		sin->sin_port = htons((uint16_t)c->next_port);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
		sin6->sin6_port = htons((uint16_t)c->next_port);
		*len = sizeof(*sin6);
	}
	c->next_port = c->next_port == c->hi ? c->lo : c->next_port + 1;
	return fd;
}

static int64_t time_bind(struct bench_case *c, bind_fn fn)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = make_socket(c, &ss, &len);
	int64_t t0, t1;
	int r;

	t0 = now_ns();
	r = fn(fd, (struct sockaddr *)&ss, len);
	t1 = now_ns();
	if (r != 0)
		err(1, "%s: bind to port %u", c->label,
		    ntohs(((struct sockaddr_in *)&ss)->sin_port));
	if (close(fd) != 0)
		err(1, "close");
	return t1 - t0;
}

/* bind() as the dynamic linker resolved it for this program. */
static int linked_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	return bind(fd, sa, len);
}

struct spawn_arg {
	char *path;
};

static int spawn_child(void *p)
{
	struct spawn_arg *a = p;
	char *argv[] = { a->path, NULL };
	char *envp[] = { NULL };

	if (dup2(devnull, 0) != 0 || dup2(devnull, 1) != 1 || dup2(devnull, 2) != 2)
		_exit(126);
	execve(a->path, argv, envp);
	_exit(127);
}

static void check_status(const struct bench_case *c, int status)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status) != c->status)
		errx(1, "%s: %s ended with status 0x%x, expected exit %d",
		     c->label, c->path, status, c->status);
}

/* The shim's own way: the child borrows our memory until it execs. */
static int64_t time_spawn(struct bench_case *c)
{
	struct spawn_arg a = { c->path };
	sigset_t all, old;
	int64_t t0, t1;
	void *stack;
	pid_t pid;
	int status;

	t0 = now_ns();
	stack = mmap(NULL, SPAWN_STACK_BYTES, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		err(1, "mmap");
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = clone(spawn_child, (char *)stack + SPAWN_STACK_BYTES,
		    CLONE_VM | CLONE_VFORK, &a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		err(1, "clone");
	if (munmap(stack, SPAWN_STACK_BYTES) != 0)
		err(1, "munmap");
	while (waitpid(pid, &status, __WALL) < 0)
		if (errno != EINTR)
			err(1, "waitpid");
	t1 = now_ns();
	check_status(c, status);
	return t1 - t0;
}

static int64_t time_fork(struct bench_case *c)
{
	struct spawn_arg a = { c->path };
	int64_t t0, t1;
	pid_t pid;
	int status;

	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0)
		spawn_child(&a);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(1, "waitpid");
	t1 = now_ns();
	check_status(c, status);
	return t1 - t0;
}

/* The broker: receives an address and a socket, binds, answers the errno. */
static void run_broker(int channel)
{
	for (;;) {
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} control;
		struct sockaddr_storage ss;
		struct iovec iov = { &ss, sizeof(ss) };
		struct msghdr msg;
		struct cmsghdr *cmsg;
		int fd, answer;
		ssize_t n;

		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		n = recvmsg(channel, &msg, MSG_CMSG_CLOEXEC);
		if (n == 0)
			_exit(0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		cmsg = CMSG_FIRSTHDR(&msg);
		if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS ||
		    cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
			_exit(1);
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
		answer = bind(fd, (struct sockaddr *)&ss, (socklen_t)n) == 0 ? 0 : errno;
		close(fd);
		if (send(channel, &answer, sizeof(answer), MSG_NOSIGNAL) != sizeof(answer))
			_exit(1);
	}
}

static void start_broker(void)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		err(1, "socketpair");
	pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		close(sv[0]);
		run_broker(sv[1]);
	}
	close(sv[1]);
	broker_fd = sv[0];
}

static int64_t time_broker(struct bench_case *c)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = make_socket(c, &ss, &len);
	int64_t t0, t1;
	int answer = -1;
	ssize_t n;

	t0 = now_ns();
	if (ab_send_with_fd(broker_fd, &ss, len, fd) != 0)
		err(1, "%s: sendmsg", c->label);
	do
		n = recv(broker_fd, &answer, sizeof(answer), 0);
	while (n < 0 && errno == EINTR);
	t1 = now_ns();
	if (n != sizeof(answer))
		errx(1, "%s: the broker did not answer", c->label);
	if (answer != 0)
		errx(1, "%s: the broker could not bind: %s", c->label, strerror(answer));
	if (close(fd) != 0)
		err(1, "close");
	return t1 - t0;
}

static void run_one(struct bench_case *c, int round, int record)
{
	int64_t a, b = 0;

	switch (c->kind) {
	case K_BIND:
		a = time_bind(c, linked_bind);
		break;
	case K_AB:
		/* Which goes first alternates too, so neither always pays for
		 * the other's cold cache. */
		if (c->done % 2 == 0) {
			a = time_bind(c, linked_bind);
			b = time_bind(c, libc_bind);
		} else {
			b = time_bind(c, libc_bind);
			a = time_bind(c, linked_bind);
		}
		break;
	case K_SPAWN:
		a = time_spawn(c);
		break;
	case K_FORK:
		a = time_fork(c);
		break;
	default:
		a = time_broker(c);
		break;
	}
	if (!record)
		return;
	c->ns[c->done] = a;
	c->ns_alt[c->done] = b;
	c->round[c->done] = round;
	c->done++;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void shape_process(unsigned heap_mib, unsigned threads)
{
	unsigned i;

	if (heap_mib > 0) {
		size_t size = (size_t)heap_mib << 20;

		heap = malloc(size);
		if (heap == NULL)
			err(1, "malloc %u MiB", heap_mib);
		memset(heap, 0x5a, size);
	}
	for (i = 0; i < threads; i++) {
		pthread_t t;
		int e = pthread_create(&t, NULL, sleeper, NULL);

		if (e != 0) {
			errno = e;
			err(1, "pthread_create");
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: bindbench [--heap MIB] [--threads N] [--rounds R] "
			"[--warmup W] CASE...\n(see the comment at the top of bindbench.c)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned heap_mib = 0, threads = 0, rounds = 1, warmup = 3;
	int i, r, need_broker = 0, need_libc = 0;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--heap") == 0)
			heap_mib = parse_uint(argv[i + 1], "heap");
		else if (strcmp(argv[i], "--threads") == 0)
			threads = parse_uint(argv[i + 1], "threads");
		else if (strcmp(argv[i], "--rounds") == 0)
			rounds = parse_uint(argv[i + 1], "rounds");
		else if (strcmp(argv[i], "--warmup") == 0)
			warmup = parse_uint(argv[i + 1], "warmup");
		else
			usage();
	}
	if (i >= argc || rounds < 1)
		usage();
	for (; i < argc; i++)
		parse_case(argv[i]);
	for (i = 0; i < ncases; i++) {
		need_broker |= cases[i].kind == K_BROKER;
		need_libc |= cases[i].kind == K_AB;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		err(1, "/dev/null");
	if (need_libc) {
		void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
		void *sym = libc == NULL ? NULL : dlsym(libc, "bind");

		if (sym == NULL)
			errx(1, "cannot find libc's own bind: %s", dlerror());
		memcpy(&libc_bind, &sym, sizeof(sym));
	}
	/* Before the heap and the threads: the broker is a small process. */
	if (need_broker)
		start_broker();
	shape_process(heap_mib, threads);

	for (i = 0; i < ncases; i++) {
		unsigned w;

		for (w = 0; w < warmup; w++)
			run_one(&cases[i], 0, 0);
	}
	for (r = 0; r < (int)rounds; r++) {
		/* Each round starts with another case, so that no case always
		 * follows the same one. */
		for (i = 0; i < ncases; i++) {
			struct bench_case *c = &cases[(i + r) % ncases];
			long until = c->n * (r + 1) / (long)rounds;

			while (c->done < until)
				run_one(c, r, 1);
		}
	}

	for (i = 0; i < ncases; i++) {
		const struct bench_case *c = &cases[i];
		long k;

		for (k = 0; k < c->n; k++) {
			if (c->kind == K_AB) {
				printf("%s/with %d %lld\n", c->label, c->round[k], (long long)c->ns[k]);
				printf("%s/without %d %lld\n", c->label, c->round[k],
				       (long long)c->ns_alt[k]);
			} else {
				printf("%s %d %lld\n", c->label, c->round[k], (long long)c->ns[k]);
			}
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		err(1, "stdout");
	return 0;
}
