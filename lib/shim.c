/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#include "paths.h"

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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "env.h"
#include "fds.h"
#include "proto.h"

#define SHIM_EXPORT __attribute__((visibility("default")))
#define SHIM_CHILD_STACK_BYTES (64 * 1024)

typedef int (*shim_bind_fn)(int, const struct sockaddr *, socklen_t);

static shim_bind_fn shim_real_bind;
static pthread_once_t shim_once = PTHREAD_ONCE_INIT;
static int shim_quiet;

static void shim_resolve(void)
{
	void *sym = dlsym(RTLD_NEXT, "bind");

	memcpy(&shim_real_bind, &sym, sizeof(sym));
	if (sym == NULL || sym == (void *)bind) {
		static const char msg[] = "libauthbind: cannot find the real bind()\n";

		if (write(2, msg, sizeof(msg) - 1) < 0) {
			/* nothing more to say */
		}
		abort();
	}
}

/*
 * The environment is edited in environ itself, not with setenv/unsetenv:
 * a program may define its own (bash does), which at this point would not
 * touch the environ that the program later copies and hands to its
 * children.  Strings put in are never freed: environ holds them.
 */
static const char *shim_env_get(const char *name)
{
	size_t len = strlen(name);
	char **e;

	for (e = environ; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

/* Sets every NAME= entry to value, or removes them when value is NULL.
 * Only existing entries are touched; the wrapper made them. */
static void shim_env_replace(const char *name, const char *value)
{
	size_t len = strlen(name);
	char **e, **out;

	for (e = out = environ; e != NULL && *e != NULL; e++) {
		if (strncmp(*e, name, len) != 0 || (*e)[len] != '=') {
			*out++ = *e;
			continue;
		}
		if (value != NULL) {
			char *entry = malloc(len + strlen(value) + 2);

			if (entry == NULL)
				continue; /* dropped rather than left wrong */
			memcpy(entry, name, len);
			entry[len] = '=';
			memcpy(entry + len + 1, value, strlen(value) + 1);
			*out++ = entry;
		}
	}
	if (out != NULL)
		*out = NULL;
}

/*
 * At load: resolve bind, and hand the preload on to as many program levels
 * as AUTHBIND_DEPTH says (the wrapper's --depth); past the last one the
 * library takes itself out of LD_PRELOAD, as authbind always has.
 */
__attribute__((constructor)) static void shim_init(void)
{
	const char *quiet = shim_env_get(AB_QUIET_VAR);
	const char *old;
	char *rest;
	size_t size;
	int depth;

	pthread_once(&shim_once, shim_resolve);
	shim_quiet = quiet != NULL && *quiet != '\0' && strcmp(quiet, "0") != 0;
	if (ab_depth_parse(shim_env_get(AB_DEPTH_VAR), &depth) != 0)
		depth = 1;
	if (depth == AB_DEPTH_DEEP)
		return;
	if (depth > 1) {
		char next[16];

		snprintf(next, sizeof(next), "%d", depth - 1);
		shim_env_replace(AB_DEPTH_VAR, next);
		return;
	}
	shim_env_replace(AB_DEPTH_VAR, NULL);
	old = shim_env_get("LD_PRELOAD");
	size = old == NULL ? 1 : strlen(old) + 1;
	rest = malloc(size);
	if (rest == NULL || ab_preload_remove(rest, size, old) != 0 || *rest == '\0')
		shim_env_replace("LD_PRELOAD", NULL);
	else
		shim_env_replace("LD_PRELOAD", rest);
	free(rest);
}

/* Everything the children need, prepared before the spawn: between clone
 * and exec (or exit) they run on the parent's memory and may call only
 * async-signal-safe system calls. */
struct shim_child {
	int channel;
	int exec_errno;
	char *helper_stack_top;
};

static int shim_helper_main(void *arg)
{
	struct shim_child *c = arg;
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
	if (ab_close_from(1) != 0)
		goto fail;
	execve(AB_HELPER_PATH, argv, envp);
fail:
	c->exec_errno = errno;
	_exit(127);
}

/*
 * The go-between.  Every execve sets the exit signal of the process back
 * to SIGCHLD (fs/exec.c, de_thread), so the helper itself cannot stay
 * invisible to the application: as our child it would raise SIGCHLD and
 * be reaped by the application's waitpid(-1), and our __WCLONE wait would
 * miss it.  This process never execs, keeps exit signal 0, and is the
 * helper's parent instead: the helper's SIGCHLD goes to it (blocked, like
 * every signal here) and it reaps the helper before it exits.  wait4 is
 * called raw: the libc wrapper is a cancellation point, and this process
 * runs on the calling thread's TLS.
 */
static int shim_middle_main(void *arg)
{
	struct shim_child *c = arg;
	pid_t pid;
	int status;

	pid = clone(shim_helper_main, c->helper_stack_top, CLONE_VM | CLONE_VFORK | SIGCHLD, c);
	if (pid < 0) {
		c->exec_errno = errno;
		_exit(127);
	}
	while (syscall(SYS_wait4, pid, &status, 0, NULL) < 0 && errno == EINTR)
		;
	_exit(0);
}

/*
 * Starts the helper without copying the process: clone with CLONE_VM and
 * CLONE_VFORK shares the memory until exec, so the cost does not grow with
 * the heap.  Our own child is the go-between above, with exit signal 0:
 * no SIGCHLD reaches the application, and its waitpid(-1) does not see it
 * (only __WCLONE does), so a reaper in the application can neither steal
 * nor be confused by it.  CLONE_VFORK holds this thread until the go-
 * between exits, which is after the helper has replied (the request and
 * the reply wait in the socketpair) and been reaped.  Signals are blocked
 * in this thread across the clone so that no handler of the application
 * runs in the children; the helper resets its own mask.
 */
static pid_t shim_spawn(int channel, int *exec_errno)
{
	struct shim_child child = { channel, 0, NULL };
	sigset_t all, old;
	char *stack;
	pid_t pid;
	int err;

	stack = mmap(NULL, 2 * SHIM_CHILD_STACK_BYTES, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	child.helper_stack_top = stack + SHIM_CHILD_STACK_BYTES;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = clone(shim_middle_main, stack + 2 * SHIM_CHILD_STACK_BYTES,
		    CLONE_VM | CLONE_VFORK, &child);
	err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	munmap(stack, 2 * SHIM_CHILD_STACK_BYTES);
	*exec_errno = child.exec_errno;
	errno = err;
	return pid;
}

/*
 * A helper that refuses before reading the request (it is not root) exits
 * with the request unread, and the kernel then reports ECONNRESET once,
 * ahead of the reply still queued for us: read past it.
 */
static int shim_receive_reply(int channel, struct ab_reply *rep)
{
	ssize_t n;

	do
		n = recv(channel, rep, sizeof(*rep), MSG_CMSG_CLOEXEC);
	while (n < 0 && (errno == EINTR || errno == ECONNRESET));
	return n == (ssize_t)sizeof(*rep) && ab_reply_check(rep) == 0 ? 0 : -1;
}

/* Reaps the go-between, a clone child with exit signal 0: only __WCLONE
 * (or __WALL) waits for it, which the application's waitpid(-1) lacks. */
static void shim_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, __WCLONE) < 0 && errno == EINTR)
		;
}

/* The line in one write(2), with its newline; nothing if the user asked
 * quiet.  A daemon that closed stderr may have a network socket there,
 * even the one being bound: writing to it would send our line to a peer,
 * autobind it (UDP) or raise SIGPIPE (TCP).  An AF_UNIX stderr (the
 * journal) keeps the line. */
static void shim_say(const char *text)
{
	char line[AB_REPLY_TEXT_MAX + 1];
	size_t n = strlen(text);
	int domain = 0;
	socklen_t len = sizeof(domain);

	if (shim_quiet || n == 0 || n >= sizeof(line))
		return;
	if (getsockopt(2, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 &&
	    (domain == AF_INET || domain == AF_INET6))
		return;
	memcpy(line, text, n);
	line[n++] = '\n';
	if (write(2, line, n) < 0) {
		/* stderr is gone; the errno still tells */
	}
}

/* The helper gave no reply, so the line is ours: "authbind: uid U: cannot
 * bind PROTO ADDRESS:PORT: WHY", as the helper writes its own. */
static void shim_say_no_reply(int fd, const struct sockaddr *sa, socklen_t salen,
			      int exec_errno)
{
	char line[AB_REPLY_TEXT_MAX], endpoint[AB_ENDPOINT_TEXT_MAX];
	struct ab_addr a;
	int protocol = 0;
	socklen_t len = sizeof(protocol);

	if (ab_addr_from_sockaddr(&a, sa, salen) != 0)
		return;
	ab_endpoint_format(&a, ntohs(sa->sa_family == AF_INET
					     ? ((const struct sockaddr_in *)sa)->sin_port
					     : ((const struct sockaddr_in6 *)sa)->sin6_port),
			   endpoint);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) != 0)
		protocol = 0;
	if (exec_errno != 0)
		snprintf(line, sizeof(line), "authbind: uid %u: cannot bind %s %s: "
			 "cannot run the helper %s: %s", (unsigned)getuid(),
			 protocol == IPPROTO_UDP ? "udp" : "tcp", endpoint, AB_HELPER_PATH,
			 strerror(exec_errno));
	else
		snprintf(line, sizeof(line), "authbind: uid %u: cannot bind %s %s: "
			 "the helper %s gave no valid reply", (unsigned)getuid(),
			 protocol == IPPROTO_UDP ? "udp" : "tcp", endpoint, AB_HELPER_PATH);
	shim_say(line);
}

static int shim_bind_via_helper(int fd, const struct sockaddr *sa, socklen_t salen,
				const struct ab_request *req)
{
	struct ab_reply rep;
	int channel[2], exec_errno, ok, saved = errno;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) != 0)
		return -1;
	/* The request waits in the socketpair, fd and all, for the helper. */
	if (ab_send_with_fd(channel[0], req, sizeof(*req), fd) != 0) {
		int err = errno;

		close(channel[0]);
		close(channel[1]);
		errno = err;
		return -1;
	}
	pid = shim_spawn(channel[1], &exec_errno);
	close(channel[1]);
	if (pid < 0) {
		int err = errno;

		close(channel[0]);
		errno = err;
		return -1;
	}
	ok = shim_receive_reply(channel[0], &rep) == 0;
	close(channel[0]);
	shim_wait(pid);
	if (!ok) {
		shim_say_no_reply(fd, sa, salen, exec_errno);
		errno = EACCES;
		return -1;
	}
	if (rep.outcome == AB_GRANTED) {
		errno = saved;
		return 0;
	}
	shim_say(rep.text);
	errno = rep.error;
	return -1;
}

SHIM_EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct ab_request req;
	int saved = errno;

	pthread_once(&shim_once, shim_resolve);
	if (shim_real_bind(fd, addr, len) == 0)
		return 0;
	if (errno != EACCES || ab_request_encode(&req, addr, len) != 0)
		return -1;
	errno = saved;
	return shim_bind_via_helper(fd, addr, len, &req);
}
