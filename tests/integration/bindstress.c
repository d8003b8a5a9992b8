/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bindstress: many privileged binds from many threads at once, while the
 * process has children and reaps them the way real servers do, for
 * threads.sh.
 *
 *   bindstress -m ignore|reaper|handler [-t THREADS] [-n BINDS]
 *              [-a IPV4-ADDRESS] [-p FIRST-PORT] [-f FORK-INTERVAL-US]
 *
 *   ignore   SIGCHLD is SIG_IGN: children are reaped by the kernel
 *   reaper   a thread loops waitpid(-1, &status, 0)
 *   handler  a SIGCHLD handler (no SA_RESTART) loops waitpid(-1, WNOHANG)
 *
 * THREADS threads (default 8, the main thread one of them) each bind BINDS
 * (default 40) TCP sockets to ADDRESS (default 127.0.0.1), every one to its
 * own port from FIRST-PORT (default 100) up, all starting together.
 * Meanwhile one more thread forks and execs /bin/true over and over, so
 * that a reaper always has children to reap.
 *
 * Checks, after all binds: every successful bind really bound its address
 * and port and every failed one left the socket unbound (getsockname); no
 * fd was leaked (/proc/self/fd counted before and after); the SIGCHLD
 * disposition and the main thread's signal mask are as they were; each
 * worker thread's mask is as it was; the reaper or handler reaped only the
 * children this program forked, and all of them; no child of any kind
 * (__WALL) is left over.
 *
 * Prints one summary line.  Exit 0 when every bind succeeded and every
 * check held, 1 when some binds failed (and nothing else), 2 when a check
 * failed or the program could not run.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64
#define MAX_BINDS 4096
#define MAX_CHILDREN 65536
#define REAP_WAIT_MS 5000

enum mode { MODE_IGNORE, MODE_REAPER, MODE_HANDLER };

static enum mode mode;
static int nthreads = 8, nbinds = 40, first_port = 100, fork_interval_us = 1000;
static struct in_addr bind_addr;
static pthread_barrier_t start_line;

/* Per bind: its fd and the errno of a failed bind (0 when it succeeded). */
static int fds[MAX_BINDS], errors[MAX_BINDS];
static int mask_changed[MAX_THREADS];

/* The children forked and the children reaped.  Written by the forker and
 * by the reaper or the signal handler, so indices are atomic and the
 * arrays are only compared after both have stopped. */
static pid_t forked[MAX_CHILDREN], reaped[MAX_CHILDREN];
static int nforked, nreaped, fork_failures, stop_forking, stop_reaping;

static void die(const char *what)
{
	fprintf(stderr, "bindstress: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);	/* an early wake-up by a signal is fine */
}

static void note_reaped(pid_t pid)
{
	int i = __atomic_fetch_add(&nreaped, 1, __ATOMIC_SEQ_CST);

	if (i < MAX_CHILDREN)
		reaped[i] = pid;
}

static void on_sigchld(int sig)
{
	int saved = errno, status;
	pid_t pid;

	(void)sig;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		note_reaped(pid);
	errno = saved;
}

static void *reaper_main(void *arg)
{
	int status;
	pid_t pid;

	(void)arg;
	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid > 0) {
			note_reaped(pid);
		} else if (errno == ECHILD) {
			if (__atomic_load_n(&stop_reaping, __ATOMIC_SEQ_CST))
				return NULL;
			sleep_us(200);
		} else if (errno != EINTR) {
			die("waitpid");
		}
	}
}

static void *forker_main(void *arg)
{
	static char *const argv[] = { (char *)"true", NULL };
	static char *const envp[] = { NULL };
	pid_t pid;

	(void)arg;
	while (!__atomic_load_n(&stop_forking, __ATOMIC_SEQ_CST) &&
	       __atomic_load_n(&nforked, __ATOMIC_SEQ_CST) < MAX_CHILDREN) {
		pid = fork();
		if (pid == 0) {
			execve("/bin/true", argv, envp);
			_exit(127);
		}
		if (pid < 0) {
			__atomic_fetch_add(&fork_failures, 1, __ATOMIC_SEQ_CST);
		} else {
			forked[__atomic_load_n(&nforked, __ATOMIC_SEQ_CST)] = pid;
			__atomic_fetch_add(&nforked, 1, __ATOMIC_SEQ_CST);
		}
		sleep_us(fork_interval_us);
	}
	return NULL;
}

static int same_sigset(const sigset_t *a, const sigset_t *b)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(a, sig) != sigismember(b, sig))
			return 0;
	return 1;
}

static void bind_batch(int worker)
{
	sigset_t before, after;
	int i, k;

	pthread_sigmask(SIG_BLOCK, NULL, &before);
	pthread_barrier_wait(&start_line);
	for (i = 0; i < nbinds; i++) {
		struct sockaddr_in sin;

		k = worker * nbinds + i;
		fds[k] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fds[k] < 0)
			die("socket");
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)(first_port + k));
		sin.sin_addr = bind_addr;
		errno = 0;
		if (bind(fds[k], (struct sockaddr *)&sin, sizeof(sin)) == 0)
			errors[k] = 0;
		else
			errors[k] = errno != 0 ? errno : -1;	/* -1: no errno at all */
	}
	pthread_sigmask(SIG_BLOCK, NULL, &after);
	mask_changed[worker] = !same_sigset(&before, &after);
}

static void *worker_main(void *arg)
{
	bind_batch((int)(long)arg);
	return NULL;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		die("/proc/self/fd");
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static const char *errno_name(int e)
{
	const char *name = strerrorname_np(e);

	return name != NULL ? name : "?";
}

/* Bound exactly as asked when the bind succeeded, not at all when not. */
static int check_bound(int k)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(&sin, 0, sizeof(sin));
	if (getsockname(fds[k], (struct sockaddr *)&sin, &len) != 0)
		return 0;
	if (errors[k] != 0)
		return sin.sin_port == 0;
	return sin.sin_family == AF_INET && sin.sin_addr.s_addr == bind_addr.s_addr &&
	       ntohs(sin.sin_port) == first_port + k;
}

static int was_forked(pid_t pid)
{
	int i, n = nforked;

	for (i = 0; i < n; i++)
		if (forked[i] == pid)
			return 1;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bindstress -m ignore|reaper|handler [-t THREADS] [-n BINDS] "
		"[-a IPV4-ADDRESS] [-p FIRST-PORT] [-f FORK-INTERVAL-US]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode_name = NULL, *addr_text = "127.0.0.1";
	pthread_t workers[MAX_THREADS], forker, reaper;
	struct sigaction sa, sa_before, sa_after;
	sigset_t mask_before, mask_after, usr1;
	int c, i, total, failed = 0, unverified = 0, fds_before, fds_after;
	int bad_masks = 0, foreign = 0, lost = 0, leftover = 0, status, ok;
	int by_errno[256] = { 0 }, waited_ms;

	while ((c = getopt(argc, argv, "m:t:n:a:p:f:")) != -1) {
		switch (c) {
		case 'm': mode_name = optarg; break;
		case 't': nthreads = atoi(optarg); break;
		case 'n': nbinds = atoi(optarg); break;
		case 'a': addr_text = optarg; break;
		case 'p': first_port = atoi(optarg); break;
		case 'f': fork_interval_us = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc || mode_name == NULL)
		usage();
	if (strcmp(mode_name, "ignore") == 0)
		mode = MODE_IGNORE;
	else if (strcmp(mode_name, "reaper") == 0)
		mode = MODE_REAPER;
	else if (strcmp(mode_name, "handler") == 0)
		mode = MODE_HANDLER;
	else
		usage();
	total = nthreads * nbinds;
	if (nthreads < 1 || nthreads > MAX_THREADS || nbinds < 1 || total > MAX_BINDS ||
	    first_port < 1 || first_port + total - 1 > 65535 || fork_interval_us < 0 ||
	    inet_pton(AF_INET, addr_text, &bind_addr) != 1)
		usage();

	/* A mask that is not empty, so that a change to it shows. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (pthread_sigmask(SIG_BLOCK, &usr1, NULL) != 0)
		die("pthread_sigmask");
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	if (mode == MODE_IGNORE) {
		sa.sa_handler = SIG_IGN;
	} else if (mode == MODE_HANDLER) {
		sa.sa_handler = on_sigchld;
		sa.sa_flags = SA_NOCLDSTOP;	/* no SA_RESTART: calls see EINTR */
	} else {
		sa.sa_handler = SIG_DFL;
	}
	if (sigaction(SIGCHLD, &sa, NULL) != 0 || sigaction(SIGCHLD, NULL, &sa_before) != 0)
		die("sigaction");
	pthread_sigmask(SIG_BLOCK, NULL, &mask_before);
	fds_before = count_fds();

	if (pthread_barrier_init(&start_line, NULL, (unsigned)nthreads) != 0)
		die("pthread_barrier_init");
	if (mode == MODE_REAPER && pthread_create(&reaper, NULL, reaper_main, NULL) != 0)
		die("pthread_create");
	if (pthread_create(&forker, NULL, forker_main, NULL) != 0)
		die("pthread_create");
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&workers[i], NULL, worker_main, (void *)(long)i) != 0)
			die("pthread_create");
	bind_batch(0);
	for (i = 1; i < nthreads; i++)
		pthread_join(workers[i], NULL);

	__atomic_store_n(&stop_forking, 1, __ATOMIC_SEQ_CST);
	pthread_join(forker, NULL);
	if (mode != MODE_IGNORE) {
		/* Every child forked must come back to the reaper or handler;
		 * one that does not was taken by someone else. */
		for (waited_ms = 0; waited_ms < REAP_WAIT_MS &&
		     __atomic_load_n(&nreaped, __ATOMIC_SEQ_CST) < nforked; waited_ms++)
			sleep_us(1000);
	}
	if (mode == MODE_REAPER) {
		__atomic_store_n(&stop_reaping, 1, __ATOMIC_SEQ_CST);
		pthread_join(reaper, NULL);
	}
	if (mode == MODE_IGNORE) {
		/* With SIGCHLD ignored this returns ECHILD once the last
		 * /bin/true has ended: none outlives the program. */
		while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
			;
	}

	for (i = 0; i < total; i++) {
		if (errors[i] != 0) {
			failed++;
			by_errno[errors[i] > 0 && errors[i] < 256 ? errors[i] : 0]++;
		}
		if (!check_bound(i))
			unverified++;
	}
	for (i = 0; i < total; i++)
		if (close(fds[i]) != 0)
			die("close");
	fds_after = count_fds();
	pthread_sigmask(SIG_BLOCK, NULL, &mask_after);
	if (sigaction(SIGCHLD, NULL, &sa_after) != 0)
		die("sigaction");
	for (i = 0; i < nthreads; i++)
		bad_masks += mask_changed[i];
	if (mode != MODE_IGNORE) {
		for (i = 0; i < nreaped && i < MAX_CHILDREN; i++)
			if (!was_forked(reaped[i]))
				foreign++;
		lost = nforked - (nreaped - foreign);
	}
	/* Nothing may be left: no zombie helper, no child of any kind. */
	if (mode == MODE_HANDLER) {
		sigset_t chld;

		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		pthread_sigmask(SIG_BLOCK, &chld, NULL);
	}
	while (waitpid(-1, &status, __WALL | WNOHANG) > 0)
		leftover++;

	ok = unverified == 0 && fds_before == fds_after && bad_masks == 0 &&
	     same_sigset(&mask_before, &mask_after) &&
	     sa_after.sa_handler == sa_before.sa_handler &&
	     sa_after.sa_flags == sa_before.sa_flags && foreign == 0 && lost == 0 &&
	     leftover == 0 && fork_failures == 0 && nforked > 0;

	printf("mode %s: %d binds, %d failed", mode_name, total, failed);
	for (i = 0; i < 256; i++)
		if (by_errno[i] != 0)
			printf(" %d %s", by_errno[i], i == 0 ? "other" : errno_name(i));
	printf("; %d unverified; fds %d -> %d; forked %d (%d failed), reaped %d, "
	       "not ours %d, lost %d, left over %d; thread masks changed %d; "
	       "main mask %s; SIGCHLD disposition %s\n",
	       unverified, fds_before, fds_after, nforked, fork_failures,
	       mode == MODE_IGNORE ? 0 : nreaped, foreign, lost, leftover, bad_masks,
	       same_sigset(&mask_before, &mask_after) ? "same" : "CHANGED",
	       sa_after.sa_handler == sa_before.sa_handler &&
	       sa_after.sa_flags == sa_before.sa_flags ? "same" : "CHANGED");
	if (!ok)
		return 2;
	return failed == 0 ? 0 : 1;
}
