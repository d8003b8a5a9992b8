/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * startup: several reuseport server processes starting together, as
 * kresd or gunicorn --reuse-port instances do, for hostile.sh.  Run under
 * authbind; each of N processes, in each of R rounds that all start at
 * once, binds [::]:PORT v6-only and then 0.0.0.0:PORT, both with
 * SO_REUSEPORT, and listens on both; then all close and the next round
 * begins.  (With both halves granted the helper takes no guard, so none of
 * its precautions may make one of these binds fail.)
 *
 *   startup [-n PROCESSES] [-r ROUNDS] -p PORT
 *
 * Prints "binds B failed F (first: ERRNO)"; exit 0 when none failed, 1
 * when some did, 2 when it could not run.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
	pthread_barrier_t start, done;
	int binds, failures, first_errno;
};

static int bind_one(int family, unsigned port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (s < 0)
		return -errno;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		len = sizeof(*sin6);
		setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		len = sizeof(*sin);
	}
	if (setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0 ||
	    bind(s, (struct sockaddr *)&ss, len) != 0 || listen(s, 16) != 0) {
		int e = errno;

		close(s);
		return -e;
	}
	return s;
}

int main(int argc, char **argv)
{
	struct shared *sh;
	pthread_barrierattr_t attr;
	int procs = 4, rounds = 100, opt, i, st, bad = 0;
	unsigned port = 0;

	while ((opt = getopt(argc, argv, "n:r:p:")) != -1) {
		switch (opt) {
		case 'n': procs = atoi(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		case 'p': port = (unsigned)atoi(optarg); break;
		default: return 2;
		}
	}
	if (port == 0 || procs < 1 || rounds < 1)
		return 2;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || pthread_barrierattr_init(&attr) != 0 ||
	    pthread_barrierattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) != 0 ||
	    pthread_barrier_init(&sh->start, &attr, (unsigned)procs) != 0 ||
	    pthread_barrier_init(&sh->done, &attr, (unsigned)procs) != 0)
		return 2;
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 2;
		if (pid == 0) {
			int r;

			for (r = 0; r < rounds; r++) {
				int s6, s4;

				pthread_barrier_wait(&sh->start);
				s6 = bind_one(AF_INET6, port);
				s4 = bind_one(AF_INET, port);
				__atomic_add_fetch(&sh->binds, 2, __ATOMIC_SEQ_CST);
				if (s6 < 0 || s4 < 0) {
					int e = s6 < 0 ? -s6 : -s4, zero = 0;

					__atomic_add_fetch(&sh->failures, (s6 < 0) + (s4 < 0),
							   __ATOMIC_SEQ_CST);
					__atomic_compare_exchange_n(&sh->first_errno, &zero, e, 0,
								    __ATOMIC_SEQ_CST,
								    __ATOMIC_SEQ_CST);
				}
				pthread_barrier_wait(&sh->done);
				if (s6 >= 0)
					close(s6);
				if (s4 >= 0)
					close(s4);
			}
			_exit(0);
		}
	}
	for (i = 0; i < procs; i++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = 1;
	printf("binds %d failed %d", sh->binds, sh->failures);
	if (sh->failures > 0)
		printf(" (first: %s)", strerror(sh->first_errno));
	printf("\n");
	if (bad)
		return 2;
	return sh->failures > 0 ? 1 : 0;
}
