/*
 * attack: plays a malicious caller of the installed setuid helper.
 *
 *   attack [-p PORT] [-a ADDR] [-u] [-d] [-H HELPER] -w USERDIR CASE
 *
 * Run as root inside the private namespaces that hostile.sh sets up.  The
 * root "referee" makes what only root can make (raw and packet sockets, a
 * socket of another network namespace, a socket and a channel owned by
 * another user), then forks the "caller", which drops to the test uid and
 * does what a hostile application could: it builds the channel, the socket
 * and the message itself and execs the helper with whatever fds, argv,
 * environment, rlimits and signal state the case needs.  The caller sends
 * the referee what happened; while the caller still holds every socket it
 * made, the referee proves with fresh binds of its own that nothing took
 * the port.  The referee also looks into /proc/PID of the helper for the
 * caller, which cannot (the helper is not dumpable).
 *
 * Exit status: 0 the helper refused as the case expects and nothing was
 * bound; 1 it did not (why, on stdout); 77 the case cannot run here.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

#define REPLY_WAIT_MS 15000 /* longer than any deadline of the helper */
#define EXIT_WAIT_MS 15000
#define RACE_ATTEMPTS 200

/* What a case expects back from the helper. */
enum want {
	W_NONE = 100, /* no reply at all */
	W_REFUSED,    /* no reply, or one reply that is not a grant */
	W_ANY,        /* the case judges the replies itself */
};

#define F_BOUND 1u /* control: the port must end up bound */

struct ctx;

struct hcase {
	const char *name;
	void (*root_setup)(struct ctx *c); /* as root, before the caller forks */
	void (*run)(struct ctx *c);        /* as the caller */
	int want;     /* an enum ab_outcome or an enum want */
	int error;    /* the reply's errno, 0 for any */
	uint32_t detail;
	unsigned flags;
	long param;
};

struct sockname {
	int rc;
	socklen_t len;
	struct sockaddr_storage ss;
};

/* What the caller saw, sent to the referee in one message. */
struct result {
	int skip;
	int replies;
	ssize_t first_len;
	struct ab_reply rep;
	int waited;
	int status;
	int hung;
	long elapsed_ms;
	int moved; /* a watched socket's name changed */
	char note[256];
	char info[160];
	char said[160]; /* the start of what the helper wrote on stdout/stderr */
};

#define MAX_WATCH 32

struct ctx {
	const struct hcase *hc;
	int ref;        /* the caller's end of the line to the referee */
	int sock;       /* what is passed as the socket, -1 until made */
	int root_fd[3]; /* fds the referee made for the case */
	int chan[2];    /* [0] the helper's end, [1] ours */
	int fd0;        /* the helper's fd 0, -1 to leave it closed */
	int peer;       /* where we read the replies, -1 for nowhere */
	pid_t pid;
	int out;        /* read end of the helper's stdout and stderr */
	struct timespec t0;
	const char *helper;
	const char *addr;
	void (*child_prep)(struct ctx *c);
	char **argv;
	char **envp;
	int argv_null;
	int traceme;
	long lim_resource, lim_value;
	int nwatch;
	int watch[MAX_WATCH];
	struct sockname before[MAX_WATCH];
	char output[2048];
	struct result r;
};

enum { REF_INSPECT = 1, REF_RESULT, REF_DONE };

struct ref_msg {
	int type;
	pid_t pid;
	char needle[64];
	struct result r;
};

struct inspect {
	int alive;
	char state;
	char wchan[64];
	long syscall_nr;
	int nfds;
	int fds[64];
	int maps_hit;
};

static const char *opt_helper;
static const char *opt_userdir;
static const char *opt_addr = "0.0.0.0";
static uint16_t opt_port;
static int opt_udp, opt_dual;
static uid_t opt_uid = 41000, opt_other = 41001;
static gid_t opt_gid = 41000;

static const char *outcome_name(int o);

/* ---- small tools ---- */

__attribute__((noreturn)) static void fatal(const char *what)
{
	printf("attack: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	_exit(1);
}

static void note(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keeps the first failed check; later ones are usually its consequences. */
static void note(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->r.note[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(c->r.note, sizeof(c->r.note), fmt, ap);
	va_end(ap);
}

static void skip(struct ctx *c, const char *why)
{
	c->r.skip = 1;
	snprintf(c->r.note, sizeof(c->r.note), "%s", why);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int family_of(const char *addr)
{
	return strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
}

static int make_socket(int domain, int type, int protocol)
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

static int default_socket(struct ctx *c)
{
	int s = make_socket(family_of(c->addr), opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);

	if (s < 0)
		fatal("socket");
	return s;
}

/* The request a well-behaved shim would send for c->addr and the port. */
static void build_request(struct ctx *c, struct ab_request *req)
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
static void watch(struct ctx *c, int fd)
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
static ssize_t send_with_fds(int chan, const void *data, size_t len,
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
static void send_request(struct ctx *c, const struct ab_request *req, size_t len)
{
	if (send_with_fds(c->peer, req, len, &c->sock, 1) != (ssize_t)len)
		snprintf(c->r.info, sizeof(c->r.info), "sending the request failed: %s",
			 strerror(errno));
}

/* ---- the referee's eyes: /proc/PID of the helper ---- */

static void inspect_now(pid_t pid, const char *needle, struct inspect *in)
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

/* Asks the referee to look at pid. */
static void inspect(struct ctx *c, pid_t pid, const char *needle, struct inspect *in)
{
	struct ref_msg m;

	memset(&m, 0, sizeof(m));
	m.type = REF_INSPECT;
	m.pid = pid;
	snprintf(m.needle, sizeof(m.needle), "%s", needle);
	if (send(c->ref, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m) ||
	    recv(c->ref, in, sizeof(*in), 0) != (ssize_t)sizeof(*in))
		fatal("talking to the referee");
}

/* Waits until the helper sleeps in poll(2) for its request. */
static int wait_in_poll(struct ctx *c, struct inspect *in)
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

static void open_channel(struct ctx *c)
{
	if (c->chan[1] >= 0)
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->chan) != 0)
		fatal("socketpair");
	c->fd0 = c->chan[0];
	c->peer = c->chan[1];
}

static void spawn_helper(struct ctx *c)
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
static void read_replies(struct ctx *c, long wait_ms)
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

static void reap_helper(struct ctx *c, long wait_ms)
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

static void read_output(struct ctx *c)
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
static void collect(struct ctx *c)
{
	read_replies(c, REPLY_WAIT_MS);
	reap_helper(c, EXIT_WAIT_MS);
	read_output(c);
	check_watched(c);
}

/* Ready to send: a socket (the default one unless the case made its own),
 * a channel, a helper waiting on it. */
static void prepare(struct ctx *c)
{
	if (c->sock < 0)
		c->sock = default_socket(c);
	watch(c, c->sock);
	open_channel(c);
	spawn_helper(c);
}

/* The plain attack: a well-formed request for the case's socket. */
static void attack(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	collect(c);
}

static void expect_exit(struct ctx *c, int code)
{
	if (!c->r.waited || !WIFEXITED(c->r.status) ||
	    (code >= 0 && WEXITSTATUS(c->r.status) != code))
		note(c, "the helper did not exit with status %d (wait status 0x%x)",
		     code, (unsigned)c->r.status);
}

static void expect_output(struct ctx *c, const char *text)
{
	if (strstr(c->output, text) == NULL)
		note(c, "the helper did not say \"%s\" (it said \"%.100s\")", text, c->output);
}

/* ---- the cases: the socket ---- */

static void run_plain(struct ctx *c)
{
	attack(c);
}

static void run_file(struct ctx *c)
{
	c->sock = open("a-file", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (c->sock < 0)
		fatal("open a-file");
	attack(c);
}

static void run_pipe(struct ctx *c)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) != 0)
		fatal("pipe2");
	c->sock = p[0];
	attack(c);
}

static void run_dir(struct ctx *c)
{
	c->sock = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->sock < 0)
		fatal("open .");
	attack(c);
}

/* An O_PATH fd of a socket inode: fstat says S_ISSOCK, yet it is no socket. */
static void run_opath_socket(struct ctx *c)
{
	struct sockaddr_un sun;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "a-socket");
	unlink("a-socket");
	if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		fatal("binding a-socket");
	c->sock = open("a-socket", O_PATH | O_CLOEXEC);
	if (c->sock < 0)
		fatal("open O_PATH");
	attack(c);
}

/* A socket the user may make, of a kind the helper must not bind, and
 * the address of the request that goes with it (NULL: the default). */
static void run_user_socket(struct ctx *c)
{
	static const struct { int domain, type, protocol; const char *addr; } kinds[] = {
		{ AF_UNIX, SOCK_STREAM, 0, NULL },
		{ AF_UNIX, SOCK_SEQPACKET, 0, NULL },
		{ AF_NETLINK, SOCK_RAW, 0, NULL },
		{ AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, "0.0.0.0" },
		{ AF_INET, SOCK_STREAM, IPPROTO_MPTCP, "0.0.0.0" },
		{ AF_INET, SOCK_STREAM, IPPROTO_SCTP, "0.0.0.0" },
		{ AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP, "0.0.0.0" },
		{ AF_INET6, SOCK_STREAM, 0, "0.0.0.0" }, /* family mismatch */
		{ AF_INET, SOCK_STREAM, 0, "::" },       /* family mismatch */
		{ AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE, "::" },
	};
	long k = c->hc->param;

	c->sock = socket(kinds[k].domain, kinds[k].type | SOCK_CLOEXEC, kinds[k].protocol);
	if (c->sock < 0) {
		char why[128];

		snprintf(why, sizeof(why), "the kernel does not make this socket: %s",
			 strerror(errno));
		skip(c, why);
		return;
	}
	if (kinds[k].addr != NULL)
		c->addr = kinds[k].addr;
	attack(c);
}

/* The helper's own channel end, passed as the socket to bind. */
static void run_self_channel(struct ctx *c)
{
	open_channel(c);
	c->sock = dup(c->chan[0]);
	if (c->sock < 0 || fcntl(c->sock, F_SETFD, FD_CLOEXEC) != 0)
		fatal("dup");
	attack(c);
}

/* Made by the referee: c->root_fd[0] is the socket. */
static void run_root_socket(struct ctx *c)
{
	if (c->root_fd[0] < 0) {
		skip(c, "the referee could not make this socket here");
		return;
	}
	c->sock = c->root_fd[0];
	attack(c);
}

static void run_bound(struct ctx *c)
{
	struct sockaddr_in sin;

	c->sock = default_socket(c);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(c->sock, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		fatal("bind 127.0.0.1:0");
	attack(c);
}

static void run_listening(struct ctx *c)
{
	c->sock = default_socket(c);
	if (listen(c->sock, 1) != 0)
		fatal("listen");
	attack(c);
}

static void run_connected_udp(struct ctx *c)
{
	struct sockaddr_in sin;

	c->sock = make_socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (c->sock < 0 || connect(c->sock, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		fatal("connect udp");
	attack(c);
}

/* A socket of a network namespace the user made (with a user namespace);
 * there the user may bind what it likes, but not through the helper. */
static void run_userns_socket(struct ctx *c)
{
	int sp[2], st;
	pid_t pid;
	char byte;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0)
		fatal("socketpair");
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		int s;

		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
			_exit(3);
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0 || send_with_fds(sp[1], "s", 1, &s, 1) != 1)
			_exit(4);
		_exit(0);
	}
	close(sp[1]);
	if (waitpid(pid, &st, 0) != pid)
		fatal("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		skip(c, "unprivileged user namespaces are not available");
		return;
	}
	{
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} control;
		struct iovec iov = { &byte, 1 };
		struct msghdr msg;
		struct cmsghdr *cmsg;

		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		if (recvmsg(sp[0], &msg, MSG_CMSG_CLOEXEC) != 1 ||
		    (cmsg = CMSG_FIRSTHDR(&msg)) == NULL || cmsg->cmsg_type != SCM_RIGHTS)
			fatal("receiving the socket");
		memcpy(&c->sock, CMSG_DATA(cmsg), sizeof(int));
	}
	attack(c);
}

/* The channel and the socket were made by a user the policy grants; the
 * helper is run by the test user, whose identity alone counts. */
static void run_foreign_peer(struct ctx *c)
{
	c->chan[0] = c->root_fd[1];
	c->chan[1] = c->root_fd[2];
	c->fd0 = c->chan[0];
	c->peer = c->chan[1];
	c->sock = c->root_fd[0];
	attack(c);
}

/* ---- the cases: the message ---- */

static void run_two_fds(struct ctx *c)
{
	struct ab_request req;
	int fds[2];

	prepare(c);
	fds[0] = c->sock;
	fds[1] = default_socket(c);
	watch(c, fds[1]);
	build_request(c, &req);
	if (send_with_fds(c->peer, &req, sizeof(req), fds, 2) != (ssize_t)sizeof(req))
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* Two SCM_RIGHTS control messages of one fd each.  Linux hands the
 * receiver one message with both fds, but another kernel need not. */
static void run_two_cmsgs(struct ctx *c)
{
	union {
		char buf[2 * CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct ab_request req;
	struct iovec iov = { &req, sizeof(req) };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	int second;

	prepare(c);
	second = default_socket(c);
	watch(c, second);
	build_request(c, &req);
	memset(&control, 0, sizeof(control));
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &c->sock, sizeof(int));
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &second, sizeof(int));
	if (sendmsg(c->peer, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof(req))
		note(c, "sendmsg: %s", strerror(errno));
	collect(c);
}

static void run_no_fd(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	if (send_with_fds(c->peer, &req, sizeof(req), NULL, 0) != (ssize_t)sizeof(req))
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* SO_PASSCRED on the helper's end makes the kernel add SCM_CREDENTIALS
 * to the message; we send our own as well. */
static void run_passcred(struct ctx *c)
{
	union {
		char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} control;
	struct ab_request req;
	struct iovec iov = { &req, sizeof(req) };
	struct ucred cred = { getpid(), getuid(), getgid() };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	int on = 1;

	c->sock = default_socket(c);
	watch(c, c->sock);
	open_channel(c);
	if (setsockopt(c->chan[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) != 0)
		fatal("SO_PASSCRED");
	spawn_helper(c);
	build_request(c, &req);
	memset(&control, 0, sizeof(control));
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_CREDENTIALS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(cred));
	memcpy(CMSG_DATA(cmsg), &cred, sizeof(cred));
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &c->sock, sizeof(int));
	if (sendmsg(c->peer, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof(req))
		note(c, "sendmsg: %s", strerror(errno));
	collect(c);
}

/* More fds than the helper's control buffer holds: MSG_CTRUNC. */
static void run_many_fds(struct ctx *c)
{
	struct ab_request req;
	int fds[24], i;

	prepare(c);
	for (i = 0; i < 24; i++) {
		fds[i] = default_socket(c);
		watch(c, fds[i]);
	}
	build_request(c, &req);
	if (send_with_fds(c->peer, &req, sizeof(req), fds, 24) != (ssize_t)sizeof(req))
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* A request of the wrong length: param bytes more (or fewer) than one. */
static void run_length(struct ctx *c)
{
	char buf[sizeof(struct ab_request) + 8192];
	struct ab_request req;
	size_t len = (size_t)((long)sizeof(req) + c->hc->param);

	prepare(c);
	build_request(c, &req);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &req, sizeof(req));
	if (send_with_fds(c->peer, buf, len, &c->sock, 1) != (ssize_t)len)
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* A malformed request with one socket, then a good one with another:
 * the helper answers the first and never looks at the second. */
static void run_two_messages(struct ctx *c)
{
	struct ab_request req;
	int second;

	prepare(c);
	second = default_socket(c);
	watch(c, second);
	build_request(c, &req);
	req.magic ^= 1;
	send_request(c, &req, sizeof(req));
	req.magic ^= 1;
	if (send_with_fds(c->peer, &req, sizeof(req), &second, 1) != (ssize_t)sizeof(req))
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* One field of an otherwise good request set wrong. */
static void run_field(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	switch (c->hc->param) {
	case 0: req.magic = 0x444e4241u; break; /* byte-swapped */
	case 1: req.version = AB_PROTO_VERSION + 1; break;
	case 2: req.reserved = 1; break;
	case 3: req.port = 0; break;
	case 4: req.addr[15] = 1; break;
	case 5: req.scope_id = 1; break;
	case 6: req.flowinfo = 1; break;
	case 7: req.family = AF_UNIX; break;
	case 8: req.family = AF_INET | 0x100; break;
	default: fatal("no such field");
	}
	send_request(c, &req, sizeof(req));
	collect(c);
}

static void run_hangup(struct ctx *c)
{
	prepare(c);
	close(c->peer);
	c->peer = -1;
	collect(c);
	expect_exit(c, -1);
	if (c->r.elapsed_ms > 3000)
		note(c, "the helper took %ld ms to notice the hangup", c->r.elapsed_ms);
}

static void run_silent(struct ctx *c)
{
	prepare(c);
	collect(c);
	snprintf(c->r.info, sizeof(c->r.info), "the helper gave up after %ld ms",
		 c->r.elapsed_ms);
	if (c->r.elapsed_ms < 4000 || c->r.elapsed_ms > 11000)
		note(c, "the helper gave up after %ld ms, not within 4-11 s",
		     c->r.elapsed_ms);
}

static void prep_close_std(struct ctx *c)
{
	(void)c;
	close(1);
	close(2);
}

/* fd 0 is no SOCK_SEQPACKET socketpair: the helper must not read from it,
 * bind, or answer; it exits 1 with a word on stderr. */
static void run_fd0(struct ctx *c)
{
	struct ab_request req;
	int sp[2];

	c->sock = default_socket(c);
	watch(c, c->sock);
	switch (c->hc->param) {
	case 0: /* a file */
		c->fd0 = open("a-file", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (c->fd0 < 0)
			fatal("open");
		break;
	case 1: /* a stream socketpair carrying a good request */
	case 2: /* a datagram socketpair carrying a good request */
		if (socketpair(AF_UNIX, (c->hc->param == 1 ? SOCK_STREAM : SOCK_DGRAM) |
					    SOCK_CLOEXEC, 0, sp) != 0)
			fatal("socketpair");
		c->chan[0] = sp[0];
		c->chan[1] = c->peer = sp[1];
		c->fd0 = sp[0];
		break;
	case 3: { /* a listening SEQPACKET socket, with a connection pending */
		struct sockaddr_un sun;
		int l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "listener");
		unlink("listener");
		if (l < 0 || bind(l, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
		    listen(l, 4) != 0)
			fatal("listener");
		c->peer = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (c->peer < 0 || connect(c->peer, (struct sockaddr *)&sun, sizeof(sun)) != 0)
			fatal("connect listener");
		c->fd0 = l;
		break;
	}
	default: /* closed, and 1 and 2 with it */
		c->fd0 = -1;
		c->child_prep = prep_close_std;
		break;
	}
	/* Queued before the helper starts: it cannot be gone before we send. */
	if (c->peer >= 0) {
		build_request(c, &req);
		if (send_with_fds(c->peer, &req, sizeof(req), &c->sock, 1) != (ssize_t)sizeof(req))
			note(c, "send: %s", strerror(errno));
	}
	spawn_helper(c);
	if (c->hc->param == 3)
		close(c->fd0);
	collect(c);
	expect_exit(c, 1);
	/* A listening SEQPACKET socket passes for the channel until the
	 * helper reads from it. */
	if (c->hc->param <= 2)
		expect_output(c, "not the socketpair");
	else if (c->hc->param == 3)
		expect_output(c, "recvmsg");
}

/* ---- the cases: the state the helper starts in ---- */

static void run_argv_null(struct ctx *c)
{
	c->argv_null = 1;
	attack(c);
}

static void run_argv_odd(struct ctx *c)
{
	static char fmt[] = "%n%n%n%n%s%s%s";
	static char *words[] = { "", "--help", "-h", "--version", "-", "--", "\n\t", NULL };
	char **argv = calloc(3000, sizeof(char *));
	char *big = malloc(100000);
	int i, n = 0;

	if (argv == NULL || big == NULL)
		fatal("malloc");
	memset(big, 'A', 99999);
	big[99999] = '\0';
	argv[n++] = big;
	argv[n++] = fmt;
	for (i = 0; words[i] != NULL; i++)
		argv[n++] = words[i];
	for (; n < 2999; n++)
		argv[n] = words[n % 7];
	argv[n] = NULL;
	c->argv = argv;
	attack(c);
}

/* stdout and stderr closed: while it waits, the helper must have 1 and 2
 * open again (on /dev/null), or its next open would be taken for stdio. */
static void run_std_closed(struct ctx *c)
{
	struct inspect in;
	struct ab_request req;
	int i, have = 0;

	c->child_prep = prep_close_std;
	prepare(c);
	if (wait_in_poll(c, &in) == 0) {
		for (i = 0; i < in.nfds; i++)
			if (in.fds[i] == 1 || in.fds[i] == 2)
				have++;
		if (have != 2)
			note(c, "the helper waits with fd 1 or 2 closed");
	}
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	collect(c);
	if (c->output[0] != '\0')
		note(c, "closed stdout/stderr, yet something reached our pipe");
}

static int rootfile_fd = -1;

static void prep_rootfile(struct ctx *c)
{
	(void)c;
	if (dup2(rootfile_fd, 1) < 0 || dup2(rootfile_fd, 2) < 0)
		_exit(126);
}

/* stdout and stderr are a file of root's that we may only read, and the
 * helper is made to complain (fd 0 is a stream socket). */
static void run_std_rootfile(struct ctx *c)
{
	struct stat st;
	int sp[2];

	rootfile_fd = open("rootfile", O_RDONLY | O_CLOEXEC);
	if (rootfile_fd < 0)
		fatal("open rootfile");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0)
		fatal("socketpair");
	c->fd0 = c->chan[0] = sp[0];
	c->peer = c->chan[1] = sp[1];
	c->child_prep = prep_rootfile;
	c->sock = default_socket(c);
	watch(c, c->sock);
	spawn_helper(c);
	collect(c);
	expect_exit(c, 1);
	if (fstat(rootfile_fd, &st) != 0 || st.st_size != 0)
		note(c, "root's file passed as stdout/stderr was written to");
}

static void run_quiet(struct ctx *c)
{
	attack(c);
	if (c->output[0] != '\0')
		note(c, "the helper wrote to the caller's stdout/stderr: \"%.100s\"", c->output);
}

static void prep_inherited(struct ctx *c)
{
	struct rlimit rl;

	(void)c;
	/* fd 900 lies above the soft limit the helper starts with. */
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		_exit(126);
	rl.rlim_cur = 64;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		_exit(126);
}

/* The write ends of a pipe at fds 50 and 900, inherited: once the helper
 * waits for its request they must be closed (EOF on our read end while it
 * lives, and /proc/PID/fd shows 0-2 only). */
static void run_inherited_fds(struct ctx *c)
{
	struct inspect in;
	struct ab_request req;
	struct pollfd pfd;
	int p[2], i;
	char byte;

	if (pipe2(p, O_CLOEXEC) != 0)
		fatal("pipe2");
	if (dup2(p[1], 50) != 50 || dup2(p[1], 900) != 900)
		fatal("dup2");
	close(p[1]);
	c->child_prep = prep_inherited;
	prepare(c);
	close(50);
	close(900);
	if (wait_in_poll(c, &in) == 0) {
		pfd.fd = p[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) != 1 || read(p[0], &byte, 1) != 0)
			note(c, "the inherited pipe did not reach EOF while the helper waited");
		inspect(c, c->pid, "", &in);
		if (!in.alive)
			note(c, "the helper died before its request");
		for (i = 0; i < in.nfds; i++)
			if (in.fds[i] > 2)
				note(c, "the helper still holds fd %d while it waits", in.fds[i]);
	}
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	collect(c);
}

/* LD_PRELOAD, LD_LIBRARY_PATH and LD_AUDIT name the installed shim.  A
 * plain program with the same environment maps it (that proves the check
 * can see it); the setuid helper must not. */
static void run_env_preload(struct ctx *c)
{
	const char *lib = getenv("AB_LIB");
	static char preload[PATH_MAX + 16], libpath[PATH_MAX + 32], audit[PATH_MAX + 16];
	static char *env[8];
	struct inspect in;
	struct ab_request req;
	struct timespec t0;
	const char *base;
	char dir[PATH_MAX];
	pid_t pid;
	int seen = 0;

	if (lib == NULL || access(lib, R_OK) != 0) {
		skip(c, "AB_LIB (the installed libauthbind.so) is not readable");
		return;
	}
	base = strrchr(lib, '/') != NULL ? strrchr(lib, '/') + 1 : lib;
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - lib), lib);
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s %s", lib, base);
	snprintf(libpath, sizeof(libpath), "LD_LIBRARY_PATH=%s", dir);
	snprintf(audit, sizeof(audit), "LD_AUDIT=%s", lib);
	env[0] = preload;
	env[1] = libpath;
	env[2] = audit;
	env[3] = "LD_BIND_NOW=1";
	env[4] = "LD_DYNAMIC_WEAK=1";
	env[5] = NULL;
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		static char *argv[] = { "sleep", "5", NULL };

		env[2] = NULL; /* the shim is no audit module */
		execve("/bin/sleep", argv, env);
		_exit(127);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!seen && ms_since(&t0) < 3000) {
		inspect(c, pid, base, &in);
		seen = in.maps_hit;
		if (!seen)
			sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!seen)
		note(c, "control: /bin/sleep with the same LD_PRELOAD never mapped %s", base);
	c->envp = env;
	prepare(c);
	if (wait_in_poll(c, &in) == 0) {
		inspect(c, c->pid, base, &in);
		if (in.maps_hit)
			note(c, "the setuid helper mapped %s from LD_PRELOAD", base);
	}
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	collect(c);
}

static int dir_is_empty(const char *path)
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

/* Variables that make glibc or ld.so write files, load modules or read
 * data from where the caller says.  Nothing may appear in out/. */
static void run_env_files(struct ctx *c)
{
	static char *env[40];
	static char buf[16][PATH_MAX + 32];
	char cwd[PATH_MAX], out[PATH_MAX + 8], control_dir[PATH_MAX + 16];
	/* Each a name and what follows the directory in its value. */
	static const char *paths[][2] = {
		{ "LD_DEBUG_OUTPUT", "/ld-debug" }, { "LD_PROFILE_OUTPUT", "" },
		{ "MALLOC_TRACE", "/mtrace" }, { "GCONV_PATH", "" }, { "LOCPATH", "" },
		{ "NLSPATH", "/%N" }, { "TZ", "/tz" }, { "TZDIR", "" }, { "TMPDIR", "" },
		{ "HOSTALIASES", "/hosts" }, { "LD_ORIGIN_PATH", "" }, { "LD_AUDIT", "/audit.so" },
	};
	pid_t pid;
	int n = 0, i, st;

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		fatal("getcwd");
	snprintf(out, sizeof(out), "%s/out", cwd);
	snprintf(control_dir, sizeof(control_dir), "%s/control", cwd);
	if (mkdir(out, 0777) != 0 || mkdir(control_dir, 0777) != 0)
		fatal("mkdir");
	for (i = 0; i < (int)(sizeof(paths) / sizeof(paths[0])); i++) {
		snprintf(buf[i], sizeof(buf[i]), "%s=%s%s", paths[i][0], out, paths[i][1]);
		env[n++] = buf[i];
	}
	env[n++] = "LD_DEBUG=all";
	env[n++] = "LD_PROFILE=libc.so.6";
	env[n++] = "LD_SHOW_AUXV=1";
	env[n++] = "LD_VERBOSE=1";
	env[n++] = "LANG=xx_XX.UTF-8";
	env[n++] = "LC_ALL=xx_XX.UTF-8";
	env[n++] = "MALLOC_CHECK_=3";
	env[n++] = "MALLOC_PERTURB_=165";
	env[n++] = "MALLOC_MMAP_THRESHOLD_=1";
	env[n++] = "MALLOC_TOP_PAD_=1";
	env[n++] = "MALLOC_ARENA_MAX=1";
	env[n++] = "IFS=/";
	env[n++] = "PATH=.";
	env[n++] = "noequals";
	env[n++] = "=noname";
	env[n++] = "RES_OPTIONS=debug";
	env[n++] = "LD_PRELOAD=";
	env[n] = NULL;
	/* Control: an ordinary program writes its ld.so debug output there. */
	pid = fork();
	if (pid == 0) {
		static char *argv[] = { "true", NULL };
		static char dbg[PATH_MAX + 64];
		char *cenv[3] = { "LD_DEBUG=files", dbg, NULL };

		snprintf(dbg, sizeof(dbg), "LD_DEBUG_OUTPUT=%s/ld-debug", control_dir);
		execve("/bin/true", argv, cenv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		fatal("control");
	if (dir_is_empty(control_dir))
		note(c, "control: LD_DEBUG_OUTPUT wrote nothing for /bin/true");
	c->envp = env;
	attack(c);
	if (!dir_is_empty(out))
		note(c, "the setuid helper created files where the environment said");
}

static void run_env_tunables(struct ctx *c)
{
	static const char cve[] = "GLIBC_TUNABLES=glibc.malloc.mxfast=glibc.malloc.mxfast=";
	static char *env[4];
	char *a = malloc(sizeof(cve) + 100000);

	if (a == NULL)
		fatal("malloc");
	/* The CVE-2023-4911 shape, then plain nonsense. */
	memcpy(a, cve, sizeof(cve) - 1);
	memset(a + sizeof(cve) - 1, 'A', 100000);
	a[sizeof(cve) - 1 + 100000] = '\0';
	env[0] = a;
	env[1] = "GLIBC_TUNABLES=glibc.malloc.check=3:glibc.malloc.tcache_count="
		 "99999999999999999999:glibc.rtld.nns=0:glibc.mem.tagging=7:::=:";
	env[2] = "GLIBC_TUNABLES=";
	env[3] = NULL;
	c->envp = env;
	attack(c);
}

static void run_env_huge(struct ctx *c)
{
	char **env = calloc(5020, sizeof(char *));
	int i, n = 0;

	if (env == NULL)
		fatal("calloc");
	for (i = 0; i < 12; i++) {
		env[n] = malloc(100000);
		if (env[n] == NULL)
			fatal("malloc");
		snprintf(env[n], 100000, "HUGE%d=", i);
		memset(env[n] + strlen(env[n]), 'x', 99990 - strlen(env[n]));
		env[n][99990] = '\0';
		n++;
	}
	for (i = 0; i < 5000; i++) {
		env[n] = malloc(32);
		if (env[n] == NULL)
			fatal("malloc");
		snprintf(env[n], 32, "V%d=%d", i, i);
		n++;
	}
	env[n] = NULL;
	c->envp = env;
	attack(c);
}

static void prep_umask0(struct ctx *c)
{
	(void)c;
	umask(0);
}

static void run_umask0(struct ctx *c)
{
	c->child_prep = prep_umask0;
	attack(c);
}

static void prep_cwd(struct ctx *c)
{
	if (chdir("cwd") != 0)
		_exit(126);
	if (c->hc->param == 0 ? chmod(".", 0) != 0 : rmdir("../cwd") != 0)
		_exit(126);
}

static void run_cwd(struct ctx *c)
{
	if (mkdir("cwd", 0700) != 0)
		fatal("mkdir cwd");
	c->child_prep = prep_cwd;
	attack(c);
}

/* One rlimit set low, soft and hard: param holds the resource in its
 * high 32 bits and the value in its low 32 bits (see RL below). */
static void run_rlimit(struct ctx *c)
{
	c->lim_resource = c->hc->param >> 32;
	c->lim_value = c->hc->param & 0xffffffffL;
	attack(c);
}

static void prep_limits_zero(struct ctx *c)
{
	static const int resources[] = { RLIMIT_NPROC, RLIMIT_SIGPENDING, RLIMIT_MEMLOCK,
					 RLIMIT_MSGQUEUE, RLIMIT_LOCKS, RLIMIT_RTPRIO,
					 RLIMIT_NICE, RLIMIT_RTTIME };
	struct rlimit zero = { 0, 0 };
	size_t i;

	(void)c;
	for (i = 0; i < sizeof(resources) / sizeof(resources[0]); i++)
		if (setrlimit(resources[i], &zero) != 0)
			_exit(126);
}

static void run_limits_zero(struct ctx *c)
{
	c->child_prep = prep_limits_zero;
	attack(c);
}

static void prep_signals(struct ctx *c)
{
	sigset_t all;
	int sig;

	(void)c;
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_IGN);
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

static void run_signals(struct ctx *c)
{
	c->child_prep = prep_signals;
	attack(c);
}

/* Stopped at once (often before the exec), the request sent while it is
 * stopped, continued later. */
static void run_stop_early(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	kill(c->pid, SIGSTOP);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	sleep_ms(200);
	kill(c->pid, SIGCONT);
	collect(c);
}

static void run_stop_storm(struct ctx *c)
{
	struct ab_request req;
	int i;

	prepare(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	for (i = 0; i < 50; i++) {
		kill(c->pid, SIGSTOP);
		sleep_ms(1);
		kill(c->pid, SIGCONT);
	}
	collect(c);
}

/* SIGALRM ignored and blocked by the caller; the helper stopped while it
 * waits, the (granted) request sent meanwhile, continued after its
 * deadline.  It must die of its own alarm without binding. */
static void run_stop_deadline(struct ctx *c)
{
	struct inspect in;
	struct ab_request req;

	c->child_prep = prep_signals;
	prepare(c);
	if (wait_in_poll(c, &in) == 0) {
		kill(c->pid, SIGSTOP);
		build_request(c, &req);
		send_request(c, &req, sizeof(req));
		while (ms_since(&c->t0) < 11500)
			sleep_ms(50);
		kill(c->pid, SIGCONT);
	}
	collect(c);
	if (!c->r.waited || !WIFSIGNALED(c->r.status) || WTERMSIG(c->r.status) != SIGALRM)
		note(c, "the helper did not die of SIGALRM (wait status 0x%x)",
		     (unsigned)c->r.status);
	snprintf(c->r.info, sizeof(c->r.info), "the stopped helper ended after %ld ms",
		 c->r.elapsed_ms);
}

static void run_kill(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	kill(c->pid, SIGKILL);
	collect(c);
}

static void run_hangup_after_send(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	close(c->peer);
	c->peer = -1;
	collect(c);
	expect_exit(c, -1);
}

static void prep_core(struct ctx *c)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	(void)c;
	if (setrlimit(RLIMIT_CORE, &rl) != 0 || chdir("cores") != 0)
		_exit(126);
}

/* RLIMIT_CORE unlimited, cwd a directory we can write, a core-dumping
 * signal while the helper waits: no core, anywhere we can see. */
static void run_core(struct ctx *c)
{
	struct inspect in;
	struct stat st;
	int root_core = stat("/core", &st) == 0;

	if (mkdir("cores", 0777) != 0 || chmod("cores", 0777) != 0)
		fatal("mkdir cores");
	c->child_prep = prep_core;
	prepare(c);
	if (wait_in_poll(c, &in) == 0)
		kill(c->pid, (int)c->hc->param);
	collect(c);
	if (!c->r.waited || !WIFSIGNALED(c->r.status) ||
	    WTERMSIG(c->r.status) != (int)c->hc->param)
		note(c, "the helper did not die of signal %ld (wait status 0x%x)",
		     c->hc->param, (unsigned)c->r.status);
	else if (WCOREDUMP(c->r.status))
		note(c, "the helper dumped core");
	if (!dir_is_empty("cores"))
		note(c, "a core file appeared in the caller's directory");
	if (!root_core && stat("/core", &st) == 0)
		note(c, "a core file appeared as /core");
}

static void prep_nnp(struct ctx *c)
{
	(void)c;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		_exit(126);
}

static void run_nnp(struct ctx *c)
{
	c->child_prep = prep_nnp;
	attack(c);
}

static void run_traced(struct ctx *c)
{
	c->traceme = 1;
	attack(c);
}

/*
 * The v6only race: the request is for [::] with IPV6_V6ONLY on, which only
 * :: must grant; after sending it we toggle the option without pause, or
 * turn it off once at a varying delay.  If the helper binds the socket
 * with the option off, the socket also takes 0.0.0.0, which nothing
 * granted.  Such a socket is kept open, for the referee to find.
 */
static void run_v6only_race(struct ctx *c)
{
	int attempt, granted = 0, refused = 0, caught = 0;

	c->addr = "::";
	for (attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
		struct inspect in;
		struct ab_request req;
		struct timespec t0;
		long delay_us = (attempt * 37) % 600;
		int off = 0, v6only = 1;
		socklen_t len = sizeof(v6only);

		c->r.replies = 0;
		c->r.waited = c->r.hung = 0;
		c->sock = make_socket(AF_INET6, SOCK_STREAM, 0);
		if (c->sock < 0)
			fatal("socket");
		c->chan[0] = c->chan[1] = -1;
		open_channel(c);
		spawn_helper(c);
		if (wait_in_poll(c, &in) != 0)
			break;
		build_request(c, &req);
		send_request(c, &req, sizeof(req));
		if (attempt % 2 == 0) {
			/* Toggle the option until the helper has bound or answered:
			 * its look and its bind each see either value. */
			struct pollfd pfd = { c->peer, POLLIN, 0 };
			int k;

			for (k = 0;; k++) {
				int v = k & 1;

				if (setsockopt(c->sock, IPPROTO_IPV6, IPV6_V6ONLY, &v,
					       sizeof(v)) != 0 ||
				    (k % 32 == 31 && poll(&pfd, 1, 0) != 0))
					break;
			}
		} else if (attempt % 8 != 7) {
			/* One flip, after a delay swept across the helper's work. */
			clock_gettime(CLOCK_MONOTONIC, &t0);
			for (;;) {
				struct timespec now;

				clock_gettime(CLOCK_MONOTONIC, &now);
				if ((now.tv_sec - t0.tv_sec) * 1000000 +
				    (now.tv_nsec - t0.tv_nsec) / 1000 >= delay_us)
					break;
			}
			setsockopt(c->sock, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		}
		/* Every eighth attempt leaves the option alone: a plain grant,
		 * however slow the machine, shows that :: is granted. */
		read_replies(c, REPLY_WAIT_MS);
		reap_helper(c, EXIT_WAIT_MS);
		read_output(c);
		close(c->peer);
		if (getsockopt(c->sock, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len) != 0)
			fatal("IPV6_V6ONLY");
		if (c->r.replies == 1 && c->r.rep.outcome == AB_BIND_FAILED)
			caught++;
		if (c->r.replies == 1 && c->r.rep.outcome == AB_GRANTED) {
			granted++;
			if (!v6only) {
				note(c, "attempt %d (%s %ld us): the helper bound [::]:%u with "
				     "IPV6_V6ONLY off, though only :: is granted", attempt,
				     attempt % 2 == 0 ? "toggling, not" : "one flip after",
				     attempt % 2 == 0 ? 0L : delay_us, (unsigned)opt_port);
				break;
			}
		} else {
			refused++;
		}
		close(c->sock);
	}
	snprintf(c->r.info, sizeof(c->r.info), "%d attempts: %d granted v6-only, %d refused "
		 "(%d of them caught at the bind)", attempt, granted, refused, caught);
	if (granted == 0 && c->r.note[0] == '\0')
		note(c, "no attempt was granted (is :: granted?); the last reply: %s (%s)",
		     outcome_name(c->r.rep.outcome), c->r.rep.text);
	/* The referee judges the port; the last reply is not the point. */
	c->r.replies = 0;
}

/* Control for the guard against the race above: a server that binds
 * 0.0.0.0 and then [::] v6-only (nginx does) still gets both. */
static void run_v4_then_v6(struct ctx *c)
{
	struct ab_request req;
	int first_granted;

	c->sock = make_socket(AF_INET, SOCK_STREAM, 0);
	attack(c);
	first_granted = c->r.replies == 1 && c->r.rep.outcome == AB_GRANTED;
	memset(&c->r, 0, sizeof(c->r));
	c->chan[0] = c->chan[1] = -1;
	c->addr = "::";
	c->sock = make_socket(AF_INET6, SOCK_STREAM, 0);
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

static void root_raw(struct ctx *c)
{
	c->root_fd[0] = socket(c->hc->param == 6 ? AF_INET6 : AF_INET,
			       SOCK_RAW | SOCK_CLOEXEC,
			       c->hc->param == 6 ? IPPROTO_UDP : IPPROTO_TCP);
	if (c->hc->param == 6)
		c->addr = "::";
}

static void root_ping(struct ctx *c)
{
	int fd;

	c->root_fd[0] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (c->root_fd[0] >= 0 || errno != EACCES)
		return;
	/* Only in our private network namespace. */
	fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0 2147483647", 12) != 12)
		fatal("ping_group_range");
	close(fd);
	c->root_fd[0] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
}

static void root_packet(struct ctx *c)
{
	c->root_fd[0] = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

static void root_netns(struct ctx *c)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	if (self < 0 || unshare(CLONE_NEWNET) != 0)
		fatal("unshare");
	c->root_fd[0] = make_socket(family_of(c->addr), opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (setns(self, CLONE_NEWNET) != 0)
		fatal("setns");
	close(self);
}

/* A socket and a channel made by the other user (the one the policy
 * grants), as if it had handed them to the test user. */
static void root_foreign(struct ctx *c)
{
	if (setresgid((gid_t)-1, opt_other, (gid_t)-1) != 0 ||
	    setresuid((uid_t)-1, opt_other, (uid_t)-1) != 0)
		fatal("becoming the other user");
	c->root_fd[0] = make_socket(family_of(c->addr), opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->root_fd + 1) != 0)
		fatal("socketpair");
	if (setresuid((uid_t)-1, 0, (uid_t)-1) != 0 || setresgid((gid_t)-1, 0, (gid_t)-1) != 0)
		fatal("back to root");
}

static void root_rootfile(struct ctx *c)
{
	char path[PATH_MAX];
	int fd;

	(void)c;
	snprintf(path, sizeof(path), "%s/rootfile", opt_userdir);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		fatal("rootfile");
	close(fd);
}

#define RL(res, val) (((long)(res) << 32) | (long)(val))

static const struct hcase cases[] = {
	/* controls: the checks below can see a bind and a refusal */
	{ "granted", NULL, run_plain, AB_GRANTED, 0, 0, F_BOUND, 0 },
	{ "denied", NULL, run_plain, AB_DENIED, EACCES, 0, 0, 0 },
	/* identity */
	{ "foreign-peer", root_foreign, run_foreign_peer, AB_DENIED, EACCES, 0, 0, 0 },
	/* the socket */
	{ "file", NULL, run_file, AB_BAD_SOCKET, ENOTSOCK, 0, 0, 0 },
	{ "pipe", NULL, run_pipe, AB_BAD_SOCKET, ENOTSOCK, 0, 0, 0 },
	{ "dir", NULL, run_dir, AB_BAD_SOCKET, ENOTSOCK, 0, 0, 0 },
	{ "opath-socket", NULL, run_opath_socket, AB_BAD_SOCKET, 0, 0, 0, 0 },
	{ "unix-stream", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 0 },
	{ "unix-seqpacket", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 1 },
	{ "netlink", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 2 },
	{ "udplite", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 3 },
	{ "udplite6", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 9 },
	{ "mptcp", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 4 },
	{ "sctp", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 5 },
	{ "sctp-seqpacket", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 6 },
	{ "family-4on6", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 7 },
	{ "family-6on4", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 8 },
	{ "self-channel", NULL, run_self_channel, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 0 },
	{ "raw4", root_raw, run_root_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 4 },
	{ "raw6", root_raw, run_root_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 6 },
	{ "ping", root_ping, run_root_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 0 },
	{ "packet", root_packet, run_root_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 0 },
	{ "netns", root_netns, run_root_socket, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	{ "userns", NULL, run_userns_socket, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	{ "bound", NULL, run_bound, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	{ "listening", NULL, run_listening, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	{ "connected-udp", NULL, run_connected_udp, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	/* the message */
	{ "two-fds", NULL, run_two_fds, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "two-cmsgs", NULL, run_two_cmsgs, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "no-fd", NULL, run_no_fd, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "passcred", NULL, run_passcred, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "many-fds", NULL, run_many_fds, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "empty", NULL, run_length, AB_BAD_REQUEST, EPROTO, 0, 0,
	  -(long)sizeof(struct ab_request) },
	{ "short", NULL, run_length, AB_BAD_REQUEST, EPROTO, 0, 0, -1 },
	{ "long", NULL, run_length, AB_BAD_REQUEST, EPROTO, 0, 0, 1 },
	{ "very-long", NULL, run_length, AB_BAD_REQUEST, EPROTO, 0, 0, 8192 },
	{ "two-messages", NULL, run_two_messages, AB_BAD_REQUEST, EINVAL, 0, 0, 0 },
	{ "magic", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 0 },
	{ "version", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 1 },
	{ "reserved", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 2 },
	{ "port0", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 3 },
	{ "v4-tail", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 4 },
	{ "v4-scope", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 5 },
	{ "v4-flowinfo", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 6 },
	{ "family-unix", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 7 },
	{ "family-high", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 8 },
	{ "hangup", NULL, run_hangup, W_NONE, 0, 0, 0, 0 },
	{ "silent", NULL, run_silent, AB_BAD_REQUEST, ETIMEDOUT, 0, 0, 0 },
	{ "fd0-file", NULL, run_fd0, W_NONE, 0, 0, 0, 0 },
	{ "fd0-stream", NULL, run_fd0, W_NONE, 0, 0, 0, 1 },
	{ "fd0-dgram", NULL, run_fd0, W_NONE, 0, 0, 0, 2 },
	{ "fd0-listener", NULL, run_fd0, W_NONE, 0, 0, 0, 3 },
	{ "fd0-closed", NULL, run_fd0, W_NONE, 0, 0, 0, 4 },
	/* the starting state */
	{ "argv-null", NULL, run_argv_null, AB_DENIED, EACCES, 0, 0, 0 },
	{ "argv-odd", NULL, run_argv_odd, AB_DENIED, EACCES, 0, 0, 0 },
	{ "std-closed", NULL, run_std_closed, AB_DENIED, EACCES, 0, 0, 0 },
	{ "std-rootfile", root_rootfile, run_std_rootfile, W_NONE, 0, 0, 0, 0 },
	{ "quiet", NULL, run_quiet, AB_DENIED, EACCES, 0, 0, 0 },
	{ "inherited-fds", NULL, run_inherited_fds, AB_DENIED, EACCES, 0, 0, 0 },
	{ "env-preload", NULL, run_env_preload, AB_DENIED, EACCES, 0, 0, 0 },
	{ "env-files", NULL, run_env_files, AB_DENIED, EACCES, 0, 0, 0 },
	{ "env-tunables", NULL, run_env_tunables, AB_DENIED, EACCES, 0, 0, 0 },
	{ "env-huge", NULL, run_env_huge, AB_DENIED, EACCES, 0, 0, 0 },
	{ "umask0", NULL, run_umask0, AB_DENIED, EACCES, 0, 0, 0 },
	{ "cwd-unreadable", NULL, run_cwd, AB_DENIED, EACCES, 0, 0, 0 },
	{ "cwd-removed", NULL, run_cwd, AB_DENIED, EACCES, 0, 0, 1 },
	{ "nofile-3", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 3) },
	{ "nofile-4", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 4) },
	{ "nofile-5", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 5) },
	{ "nofile-6", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 6) },
	{ "nofile-7", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 7) },
	{ "as-4m", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_AS, 4 << 20) },
	{ "as-12m", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_AS, 12 << 20) },
	{ "stack-32k", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_STACK, 32 << 10) },
	{ "fsize0", NULL, run_rlimit, AB_DENIED, EACCES, 0, 0, RL(RLIMIT_FSIZE, 0) },
	{ "cpu1", NULL, run_rlimit, AB_DENIED, EACCES, 0, 0, RL(RLIMIT_CPU, 1) },
	{ "limits-zero", NULL, run_limits_zero, AB_DENIED, EACCES, 0, 0, 0 },
	{ "signals", NULL, run_signals, AB_DENIED, EACCES, 0, 0, 0 },
	{ "stop-early", NULL, run_stop_early, AB_DENIED, EACCES, 0, 0, 0 },
	{ "stop-storm", NULL, run_stop_storm, AB_DENIED, EACCES, 0, 0, 0 },
	{ "stop-deadline", NULL, run_stop_deadline, W_NONE, 0, 0, 0, 0 },
	{ "kill", NULL, run_kill, W_REFUSED, 0, 0, 0, 0 },
	{ "hangup-after-send", NULL, run_hangup_after_send, W_NONE, 0, 0, 0, 0 },
	{ "core-quit", NULL, run_core, W_NONE, 0, 0, 0, SIGQUIT },
	{ "core-segv", NULL, run_core, W_NONE, 0, 0, 0, SIGSEGV },
	{ "nnp", NULL, run_nnp, AB_NOT_PRIVILEGED, 0, AB_UNPRIV_NO_NEW_PRIVS, 0, 0 },
	{ "traced", NULL, run_traced, AB_NOT_PRIVILEGED, 0, AB_UNPRIV_TRACED, 0, 0 },
	{ "nosuid", NULL, run_plain, AB_NOT_PRIVILEGED, 0, AB_UNPRIV_NOSUID, 0, 0 },
	{ "not-setuid", NULL, run_plain, AB_NOT_PRIVILEGED, 0, AB_UNPRIV_NOT_SETUID, 0, 0 },
	/* the policy */
	{ "v6only-race", NULL, run_v6only_race, W_ANY, 0, 0, 0, 0 },
	{ "v4-then-v6", NULL, run_v4_then_v6, AB_GRANTED, 0, 0, F_BOUND, 0 },
};

/* ---- the referee ---- */

/* True when something holds the port: a fresh bind of root's fails. */
static int port_busy(uint16_t port, char *what, size_t size)
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
		int off = 0, r;

		if (s < 0)
			continue; /* no UDP-Lite here */
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

static const char *outcome_name(int o)
{
	switch (o) {
	case AB_GRANTED: return "granted";
	case AB_BIND_FAILED: return "bind-failed";
	case AB_DENIED: return "denied";
	case AB_NOT_PRIVILEGED: return "not-privileged";
	case AB_BAD_SOCKET: return "bad-socket";
	case AB_BAD_REQUEST: return "bad-request";
	case W_NONE: return "no reply";
	case W_REFUSED: return "a refusal";
	default: return "?";
	}
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

static void usage(void)
{
	size_t i;

	printf("usage: attack [-p PORT] [-a ADDR] [-u] [-d] [-H HELPER] -w USERDIR CASE\n"
	       "cases:");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		printf(" %s", cases[i].name);
	printf("\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct ctx c;
	struct ref_msg m;
	struct result r;
	char busy_what[160] = "", why[512];
	const struct hcase *hc = NULL;
	int ref[2], opt, busy = 0, got_result = 0, st;
	size_t i;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	opt_helper = getenv("AB_HELPER");
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
	if (optind != argc - 1 || opt_helper == NULL || opt_userdir == NULL || opt_port == 0)
		usage();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(cases[i].name, argv[optind]) == 0)
			hc = &cases[i];
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
	c.root_fd[0] = c.root_fd[1] = c.root_fd[2] = -1;
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
	for (i = 0; i < 3; i++)
		if (c.root_fd[i] >= 0)
			close(c.root_fd[i]);
	memset(&r, 0, sizeof(r));
	for (;;) {
		ssize_t n = recv(ref[0], &m, sizeof(m), 0);

		if (n != (ssize_t)sizeof(m))
			break;
		if (m.type == REF_INSPECT) {
			struct inspect in;

			inspect_now(m.pid, m.needle, &in);
			if (send(ref[0], &in, sizeof(in), MSG_NOSIGNAL) != (ssize_t)sizeof(in))
				fatal("send");
		} else if (m.type == REF_RESULT) {
			r = m.r;
			got_result = 1;
			/* The caller still holds every socket it made. */
			busy = port_busy(opt_port, busy_what, sizeof(busy_what));
			m.type = REF_DONE;
			if (send(ref[0], &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m))
				fatal("send");
		}
	}
	if (waitpid(pid, &st, 0) != pid)
		fatal("waitpid");
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
