/*
 * libauthbind: the preloaded shim.  It intercepts bind(2) and nothing else.
 *
 * The real bind runs first; only when the kernel says EACCES for an
 * AF_INET/AF_INET6 address with a port does the shim ask the setuid
 * helper, handing it the socket itself over a socketpair.  So root, a
 * process with CAP_NET_BIND_SERVICE, a lowered ip_unprivileged_port_start
 * and every unprivileged port pay for nothing but the real call.
 *
 * The shim is a guest in someone else's process: no stdio, no malloc, no
 * process-wide state changed on the bind path; it waits only for its own
 * child and leaks no fd.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "env.h"
#include "proto.h"

#define ABS_EXPORT __attribute__((visibility("default")))
#define ABS_CHILD_STACK_BYTES (64 * 1024)

typedef int (*abs_bind_fn)(int, const struct sockaddr *, socklen_t);

static abs_bind_fn abs_real_bind;
static pthread_once_t abs_once = PTHREAD_ONCE_INIT;
static int abs_quiet;

static void abs_resolve(void)
{
	void *sym = dlsym(RTLD_NEXT, "bind");

	memcpy(&abs_real_bind, &sym, sizeof(sym));
	if (sym == NULL || sym == (void *)bind) {
		static const char msg[] = "libauthbind: cannot find the real bind()\n";

		if (write(2, msg, sizeof(msg) - 1) < 0) {
			/* nothing more to say */
		}
		abort();
	}
}

/*
 * At load: resolve bind, and hand the preload on to as many program levels
 * as AUTHBIND_DEPTH says (the wrapper's --depth); past the last one the
 * library takes itself out of LD_PRELOAD, as authbind always has.
 */
__attribute__((constructor)) static void abs_init(void)
{
	const char *quiet = getenv(AB_QUIET_VAR);
	int depth;

	pthread_once(&abs_once, abs_resolve);
	abs_quiet = quiet != NULL && *quiet != '\0' && strcmp(quiet, "0") != 0;
	if (ab_depth_parse(getenv(AB_DEPTH_VAR), &depth) != 0)
		depth = 1;
	if (depth == AB_DEPTH_DEEP)
		return;
	if (depth > 1) {
		char next[16];

		snprintf(next, sizeof(next), "%d", depth - 1);
		setenv(AB_DEPTH_VAR, next, 1);
		return;
	}
	unsetenv(AB_DEPTH_VAR);
	{
		const char *old = getenv("LD_PRELOAD");
		size_t size = old == NULL ? 1 : strlen(old) + 1;
		char *rest = malloc(size);

		if (rest == NULL || ab_preload_remove(rest, size, old) != 0)
			unsetenv("LD_PRELOAD");
		else if (*rest == '\0')
			unsetenv("LD_PRELOAD");
		else
			setenv("LD_PRELOAD", rest, 1);
		free(rest);
	}
}

/* Everything the child needs, prepared before the spawn: between clone
 * and exec it runs on the parent's memory and may call only async-signal-
 * safe system calls. */
struct abs_child {
	int channel;
	int exec_errno;
};

static int abs_child_main(void *arg)
{
	struct abs_child *c = arg;
	static char *const argv[] = { (char *)"authbind-helper", NULL };
	static char *const envp[] = { NULL };

	/* The helper reads its request on fd 0 and must inherit nothing else:
	 * the fd table is the child's own copy (no CLONE_FILES). */
	if (c->channel == 0) {
		if (fcntl(0, F_SETFD, 0) != 0)
			goto fail;
	} else if (dup3(c->channel, 0, 0) != 0) {
		goto fail;
	}
	if (close_range(1, ~0U, 0) != 0)
		goto fail;
	execve(AB_HELPER_PATH, argv, envp);
fail:
	c->exec_errno = errno;
	_exit(127);
}

/*
 * Starts the helper without copying the process: clone with CLONE_VM and
 * CLONE_VFORK shares the memory until exec, so the cost does not grow with
 * the heap.  The exit signal is 0, but only until the exec: execve resets
 * it to SIGCHLD (de_thread), so the helper ends as an ordinary child that
 * the application hears of and that abs_wait must collect with __WALL.
 * Signals are blocked in this thread across the clone so that no handler
 * of the application runs in the child; the helper resets its own mask.
 */
static pid_t abs_spawn(int channel, int *exec_errno)
{
	struct abs_child child = { channel, 0 };
	sigset_t all, old;
	void *stack;
	pid_t pid;
	int err;

	stack = mmap(NULL, ABS_CHILD_STACK_BYTES, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = clone(abs_child_main, (char *)stack + ABS_CHILD_STACK_BYTES,
		    CLONE_VM | CLONE_VFORK, &child);
	err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	munmap(stack, ABS_CHILD_STACK_BYTES);
	*exec_errno = child.exec_errno;
	errno = err;
	return pid;
}

static int abs_send_request(int channel, int fd, const struct ab_request *req)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct ab_request copy = *req;
	struct iovec iov = { &copy, sizeof(copy) };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	memset(&control, 0, sizeof(control));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	do
		n = sendmsg(channel, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*req) ? 0 : -1;
}

static int abs_receive_reply(int channel, struct ab_reply *rep)
{
	ssize_t n;

	do
		n = recv(channel, rep, sizeof(*rep), MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*rep) && ab_reply_check(rep) == 0 ? 0 : -1;
}

static void abs_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
		;
}

/* One line on stderr, in one write(2); nothing if the user asked quiet. */
static void abs_say(const struct ab_request *req, int fd, const char *what,
		    const char *why)
{
	char line[512], host[AB_ADDR_TEXT_MAX];
	struct ab_addr a;
	int protocol = 0, domain = 0, n;
	socklen_t len = sizeof(protocol), dlen = sizeof(domain);

	if (abs_quiet)
		return;
	/* A daemon that closed stderr may have a network socket there, even
	 * the one being bound: writing to it would send our line to a peer,
	 * autobind it (UDP) or raise SIGPIPE (TCP). */
	if (getsockopt(2, SOL_SOCKET, SO_DOMAIN, &domain, &dlen) == 0 &&
	    (domain == AF_INET || domain == AF_INET6))
		return;
	memset(&a, 0, sizeof(a));
	a.family = req->family;
	memcpy(a.bytes, req->addr, sizeof(a.bytes));
	a.scope_id = req->scope_id;
	ab_addr_format(&a, host);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) != 0)
		protocol = 0;
	n = snprintf(line, sizeof(line),
		     a.family == AF_INET6 ? "authbind: uid %u: %s %s [%s]:%u: %s\n"
					  : "authbind: uid %u: %s %s %s:%u: %s\n",
		     (unsigned)getuid(), what,
		     protocol == IPPROTO_UDP ? "udp" : "tcp", host,
		     (unsigned)req->port, why);
	if (n > 0 && write(2, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0) {
		/* stderr is gone; the errno still tells */
	}
}

static int abs_bind_via_helper(int fd, const struct ab_request *req)
{
	struct ab_reply rep;
	int channel[2], exec_errno, ok, saved = errno;
	char why[AB_REPLY_TEXT_MAX + 160];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) != 0)
		return -1;
	/* The request waits in the socketpair, fd and all, for the helper. */
	if (abs_send_request(channel[0], fd, req) != 0) {
		int err = errno;

		close(channel[0]);
		close(channel[1]);
		errno = err;
		return -1;
	}
	pid = abs_spawn(channel[1], &exec_errno);
	close(channel[1]);
	if (pid < 0) {
		int err = errno;

		close(channel[0]);
		errno = err;
		return -1;
	}
	ok = abs_receive_reply(channel[0], &rep) == 0;
	close(channel[0]);
	abs_wait(pid);
	if (!ok) {
		if (exec_errno != 0)
			snprintf(why, sizeof(why), "cannot run the helper %s: %s",
				 AB_HELPER_PATH, strerror(exec_errno));
		else
			snprintf(why, sizeof(why), "the helper %s gave no valid reply",
				 AB_HELPER_PATH);
		abs_say(req, fd, "cannot bind", why);
		errno = EACCES;
		return -1;
	}
	switch (rep.outcome) {
	case AB_GRANTED:
		errno = saved;
		return 0;
	case AB_BIND_FAILED:
		break;
	case AB_DENIED:
		snprintf(why, sizeof(why), "refused by %s (%s); see authbind(1) to grant it",
			 AB_POLICY_DIR, rep.text);
		abs_say(req, fd, "may not bind", why);
		break;
	default:
		abs_say(req, fd, "cannot bind", rep.text);
		break;
	}
	errno = rep.error;
	return -1;
}

ABS_EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct ab_request req;
	int saved = errno;

	pthread_once(&abs_once, abs_resolve);
	if (abs_real_bind(fd, addr, len) == 0)
		return 0;
	if (errno != EACCES || ab_request_encode(&req, addr, len) != 0)
		return -1;
	errno = saved;
	return abs_bind_via_helper(fd, &req);
}
