/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scaffolding every case uses: small tools, the referee's eyes, and
 * running the helper (see attack.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attack.h"

/* ---- small tools ---- */

void fatal(const char *what)
{
	printf("attack: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	_exit(1);
}

/* Keeps the first failed check; later ones are usually its consequences. */
void note(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->r.note[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(c->r.note, sizeof(c->r.note), fmt, ap);
	va_end(ap);
}

void skip(struct ctx *c, const char *why)
{
	c->r.skip = 1;
	snprintf(c->r.note, sizeof(c->r.note), "%s", why);
}

long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int family_of(const char *addr)
{
	return strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
}

int make_socket(int domain, int type, int protocol)
{
	int s = socket(domain, type | SOCK_CLOEXEC, protocol);
	int v6only = !opt_dual;

	if (s >= 0 && domain == AF_INET6 &&
	    (type == SOCK_STREAM || type == SOCK_DGRAM)) {
		if (setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) != 0)
			fatal("IPV6_V6ONLY");
	}
	return s;
}

int default_socket(struct ctx *c)
{
	int s = make_socket(family_of(c->addr), opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);

	if (s < 0)
		fatal("socket");
	return s;
}

/* The request a well-behaved shim would send for c->addr and the port. */
void build_request(struct ctx *c, struct ab_request *req)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	if (family_of(c->addr) == AF_INET6) {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(opt_port);
		if (inet_pton(AF_INET6, c->addr, &sin6.sin6_addr) != 1 ||
		    ab_request_encode(req, (struct sockaddr *)&sin6, sizeof(sin6)) != 0)
			fatal("bad IPv6 address or port");
	} else {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(opt_port);
		if (inet_pton(AF_INET, c->addr, &sin.sin_addr) != 1 ||
		    ab_request_encode(req, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			fatal("bad IPv4 address or port");
	}
}

static void snap(int fd, struct sockname *s)
{
	memset(s, 0, sizeof(*s));
	s->len = sizeof(s->ss);
	s->rc = getsockname(fd, (struct sockaddr *)&s->ss, &s->len) == 0 ? 0 : errno;
}

/* Remembers a socket's name now, to prove later that it did not change. */
void watch(struct ctx *c, int fd)
{
	if (c->nwatch == MAX_WATCH)
		return;
	c->watch[c->nwatch] = fd;
	snap(fd, &c->before[c->nwatch]);
	c->nwatch++;
}

static void check_watched(struct ctx *c)
{
	int i;

	for (i = 0; i < c->nwatch; i++) {
		struct sockname now;

		snap(c->watch[i], &now);
		if (now.rc != c->before[i].rc || now.len != c->before[i].len ||
		    memcmp(&now.ss, &c->before[i].ss, now.len) != 0)
			c->r.moved = 1;
	}
}

/* One message: data, and the fds in one SCM_RIGHTS (none when nfds is 0). */
ssize_t send_with_fds(int chan, const void *data, size_t len,
			     const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 32)];
		struct cmsghdr align;
	} control;
	struct iovec iov;
	struct msghdr msg;
	struct cmsghdr *cmsg;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	memset(&control, 0, sizeof(control));
	memcpy(&iov.iov_base, &data, sizeof(data)); /* drops const, no cast */
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * (size_t)nfds);
	}
	do
		n = sendmsg(chan, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n;
}

/* A helper that refuses before reading (not privileged, say) may be gone
 * already; its reply says so, and the judge reads the reply. */
void send_request(struct ctx *c, const struct ab_request *req, size_t len)
{
	if (send_with_fds(c->peer, req, len, &c->sock, 1) != (ssize_t)len)
		snprintf(c->r.info, sizeof(c->r.info), "sending the request failed: %s",
			 strerror(errno));
}

/* ---- the referee's eyes: /proc/PID of the helper ---- */

void inspect_now(pid_t pid, const char *needle, struct inspect *in)
{
	char path[64], buf[4096];
	DIR *dir;
	struct dirent *e;
	FILE *f;
	int fd;
	ssize_t n;

	memset(in, 0, sizeof(in[0]));
	in->syscall_nr = -2;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		char *p;

		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p != NULL && p[1] == ' ')
			in->state = p[2];
	}
	in->alive = in->state != '\0' && in->state != 'Z' && in->state != 'X';
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, in->wchan, sizeof(in->wchan) - 1);
		in->wchan[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			in->syscall_nr = strtol(buf, NULL, 10);
		}
		close(fd);
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (dir != NULL) {
		while ((e = readdir(dir)) != NULL && in->nfds < 64)
			if (e->d_name[0] != '.')
				in->fds[in->nfds++] = atoi(e->d_name);
		closedir(dir);
	}
	if (needle[0] == '\0')
		return;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (f != NULL) {
		while (fgets(buf, sizeof(buf), f) != NULL)
			if (strstr(buf, needle) != NULL)
				in->maps_hit = 1;
		fclose(f);
	}
}

static void ask_referee(struct ctx *c, int type, pid_t pid, const char *needle,
			struct inspect *in)
{
	struct ref_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.pid = pid;
	snprintf(m.needle, sizeof(m.needle), "%s", needle);
	if (send(c->ref, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m) ||
	    recv(c->ref, in, sizeof(*in), 0) != (ssize_t)sizeof(*in))
		fatal("talking to the referee");
}

/* Asks the referee to look at pid. */
void inspect(struct ctx *c, pid_t pid, const char *needle, struct inspect *in)
{
	ask_referee(c, REF_INSPECT, pid, needle, in);
}

/* Asks the referee whether anything holds 0.0.0.0 of the case's port and
 * protocol (a bind of its own, as root, with no options). */
int v4_half_busy(struct ctx *c, char *what, size_t size)
{
	struct inspect in;

	ask_referee(c, REF_V4_BUSY, 0, "", &in);
	snprintf(what, size, "%s", in.what);
	return in.answer;
}

/* Asks the referee to run strace, as root, attached to pid with expr
 * ("-e" arguments, space-separated); returns 0 once it is attached.  The
 * strace ends with the process it traces. */
int strace_attach(struct ctx *c, pid_t pid, const char *expr)
{
	struct inspect in;

	ask_referee(c, REF_STRACE, pid, expr, &in);
	if (in.answer != 0)
		note(c, "strace could not attach: %s", in.what);
	return in.answer;
}

/* Waits until the helper sleeps in poll(2) for its request. */
int wait_in_poll(struct ctx *c, struct inspect *in)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ms_since(&t0) < 3000) {
		inspect(c, c->pid, "", in);
		if (in->state == 'S' &&
		    (strstr(in->wchan, "poll") != NULL || in->syscall_nr == SYS_poll ||
		     in->syscall_nr == SYS_ppoll))
			return 0;
		sleep_ms(5);
	}
	note(c, "the helper never waited in poll (state %c, wchan %s)", in->state, in->wchan);
	return -1;
}

/* ---- running the helper ---- */

void open_channel(struct ctx *c)
{
	if (c->chan[1] >= 0)
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->chan) != 0)
		fatal("socketpair");
	c->fd0 = c->chan[0];
	c->peer = c->chan[1];
}

void spawn_helper(struct ctx *c)
{
	static char *default_argv[] = { "authbind-helper", NULL };
	static char *empty_env[] = { NULL };
	char **argv = c->argv != NULL ? c->argv : default_argv;
	char **envp = c->envp != NULL ? c->envp : empty_env;
	int out[2], st;

	if (pipe2(out, O_CLOEXEC) != 0)
		fatal("pipe2");
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	c->pid = fork();
	if (c->pid < 0)
		fatal("fork");
	if (c->pid == 0) {
		if (dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0)
			_exit(126);
		if (c->fd0 >= 0) {
			if (dup2(c->fd0, 0) < 0)
				_exit(126);
		} else {
			close(0);
		}
		if (c->lim_resource >= 0) {
			struct rlimit rl = { (rlim_t)c->lim_value, (rlim_t)c->lim_value };

			if (setrlimit((int)c->lim_resource, &rl) != 0)
				_exit(126);
		}
		if (c->child_prep != NULL)
			c->child_prep(c);
		if (c->traceme && ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(126);
		if (c->argv_null)
			syscall(SYS_execve, c->helper, NULL, envp);
		else
			execve(c->helper, argv, envp);
		_exit(127);
	}
	close(out[1]);
	c->out = out[0];
	if (c->chan[0] >= 0) {
		close(c->chan[0]);
		c->chan[0] = -1;
	}
	if (c->traceme) {
		/* The exec stops a traced child; let it go on, traced. */
		if (waitpid(c->pid, &st, __WALL) != c->pid || !WIFSTOPPED(st))
			fatal("waiting for the traced exec");
		if (ptrace(PTRACE_CONT, c->pid, NULL, NULL) != 0)
			fatal("PTRACE_CONT");
	}
}

/* True once the helper has exited (it is not reaped here). */
static int helper_exited(struct ctx *c)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	return waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       info.si_pid == c->pid;
}

/*
 * Reads every reply until the helper's end closes, or the helper has
 * exited and nothing more is queued (a datagram channel never closes), or
 * time runs out.
 */
void read_replies(struct ctx *c, long wait_ms)
{
	struct timespec t0;
	char buf[sizeof(struct ab_reply) + 64];
	int resets = 0, gone = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (c->peer >= 0) {
		struct pollfd pfd = { c->peer, POLLIN, 0 };
		long left = wait_ms - ms_since(&t0);
		ssize_t n;

		if (left <= 0)
			break;
		if (poll(&pfd, 1, left < 50 ? (int)left : 50) == 0) {
			if (gone)
				break;
			gone = helper_exited(c);
			continue;
		}
		n = recv(c->peer, buf, sizeof(buf), MSG_DONTWAIT);
		/* ECONNRESET: the helper closed with a message of ours unread;
		 * the error is reported once, its reply may still be queued. */
		if (n < 0 && (errno == EAGAIN || errno == EINTR ||
			      (errno == ECONNRESET && resets++ == 0)))
			continue;
		if (n <= 0)
			break;
		if (c->r.replies++ == 0) {
			c->r.first_len = n;
			memcpy(&c->r.rep, buf, (size_t)n < sizeof(c->r.rep) ? (size_t)n
									   : sizeof(c->r.rep));
		}
	}
}

void reap_helper(struct ctx *c, long wait_ms)
{
	struct timespec t0;
	int st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pid_t r = waitpid(c->pid, &st, WNOHANG | __WALL);

		if (r == c->pid) {
			if (WIFSTOPPED(st)) {
				int sig = WSTOPSIG(st);

				ptrace(PTRACE_CONT, c->pid, NULL,
				       (void *)(long)(sig == SIGTRAP ? 0 : sig));
				continue;
			}
			c->r.waited = 1;
			c->r.status = st;
			c->r.elapsed_ms = ms_since(&c->t0);
			break;
		}
		if (r < 0)
			fatal("waitpid");
		if (ms_since(&t0) > wait_ms && !c->r.hung) {
			kill(c->pid, SIGKILL);
			c->r.hung = 1;
		}
		sleep_ms(2);
	}
}

void read_output(struct ctx *c)
{
	size_t used = 0;
	ssize_t n;

	if (c->out < 0)
		return;
	if (fcntl(c->out, F_SETFL, O_NONBLOCK) != 0)
		fatal("F_SETFL");
	while (used < sizeof(c->output) - 1 &&
	       (n = read(c->out, c->output + used, sizeof(c->output) - 1 - used)) > 0)
		used += (size_t)n;
	c->output[used] = '\0';
	memcpy(c->r.said, c->output, sizeof(c->r.said) - 1);
	close(c->out);
	c->out = -1;
}

/* Everything after the attack: the replies, the exit, the sockets. */
void collect(struct ctx *c)
{
	read_replies(c, REPLY_WAIT_MS);
	reap_helper(c, EXIT_WAIT_MS);
	read_output(c);
	check_watched(c);
}

/* Ready to send: a socket (the default one unless the case made its own),
 * a channel, a helper waiting on it. */
void prepare(struct ctx *c)
{
	if (c->sock < 0)
		c->sock = default_socket(c);
	watch(c, c->sock);
	open_channel(c);
	spawn_helper(c);
}

/* The plain attack: a well-formed request for the case's socket. */
void attack(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	collect(c);
}

void expect_exit(struct ctx *c, int code)
{
	if (!c->r.waited || !WIFEXITED(c->r.status) ||
	    (code >= 0 && WEXITSTATUS(c->r.status) != code))
		note(c, "the helper did not exit with status %d (wait status 0x%x)",
		     code, (unsigned)c->r.status);
}

void expect_output(struct ctx *c, const char *text)
{
	if (strstr(c->output, text) == NULL)
		note(c, "the helper did not say \"%s\" (it said \"%.100s\")", text, c->output);
}


/* For cases that run the helper more than once: a fresh channel, no
 * replies yet, nothing watched. */
void reset_attempt(struct ctx *c)
{
	c->r.replies = 0;
	c->r.waited = c->r.hung = 0;
	c->r.first_len = 0;
	memset(&c->r.rep, 0, sizeof(c->r.rep));
	c->chan[0] = c->chan[1] = -1;
	c->nwatch = 0;
	c->output[0] = '\0';
}

/* One fd received in one message, -1 when none came. */
int receive_fd(int chan)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	int fd;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	if (recvmsg(chan, &msg, MSG_CMSG_CLOEXEC) != 1 ||
	    (cmsg = CMSG_FIRSTHDR(&msg)) == NULL || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

int dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

const char *outcome_name(int o)
{
	switch (o) {
	case AB_GRANTED: return "granted";
	case AB_BIND_FAILED: return "bind-failed";
	case AB_DENIED: return "denied";
	case AB_NOT_PRIVILEGED: return "not-privileged";
	case AB_BAD_SOCKET: return "bad-socket";
	case AB_BAD_REQUEST: return "bad-request";
	case AB_HALF_IN_USE: return "half-in-use";
	case AB_FAILED: return "failed";
	case W_NONE: return "no reply";
	case W_REFUSED: return "a refusal";
	default: return "?";
	}
}

/* The plain attack, for cases that differ only in what the referee made
 * or the policy says. */
void run_plain(struct ctx *c)
{
	attack(c);
}

/* Closes stdout and stderr in the helper's child. */
void prep_close_std(struct ctx *c)
{
	(void)c;
	close(1);
	close(2);
}
