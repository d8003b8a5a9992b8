/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * v6race: one thread binds [::]:PORT on a socket set v6-only while
 * another flips IPV6_V6ONLY on it as fast as it can, ROUNDS times, each
 * on a fresh socket.  Run as a user granted [::]:PORT but not
 * 0.0.0.0:PORT: no round may ever end with the socket bound dual-stack
 * (holding the IPv4 half nothing granted).
 *
 *   v6race [-u] PORT ROUNDS
 *
 * Prints "rounds N v6only V dual D eperm P eacces A other O" and exits 1
 * when D > 0 (a dual-stack bind got through), 2 on a setup error.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static atomic_int stop_flipping;
static int flip_fd;

static void *flip(void *arg)
{
	int v = 0;

	(void)arg;
	while (!atomic_load(&stop_flipping)) {
		v = !v;
		/* Fails with EINVAL once the socket is bound: that is the end. */
		if (setsockopt(flip_fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v)) != 0)
			break;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long rounds, i, v6only = 0, dual = 0, eperm = 0, eacces = 0, other = 0;
	struct sockaddr_in6 sin6;
	int udp = 0, port;

	if (argc > 1 && strcmp(argv[1], "-u") == 0) {
		udp = 1;
		argv++;
		argc--;
	}
	if (argc != 3)
		return 2;
	port = atoi(argv[1]);
	rounds = strtoul(argv[2], NULL, 10);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons((uint16_t)port);
	for (i = 0; i < rounds; i++) {
		pthread_t t;
		int one = 1, v = -1, r, err;
		socklen_t len = sizeof(v);

		flip_fd = socket(AF_INET6, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
		if (flip_fd < 0 ||
		    setsockopt(flip_fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0 ||
		    setsockopt(flip_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
			return 2;
		atomic_store(&stop_flipping, 0);
		if (pthread_create(&t, NULL, flip, NULL) != 0)
			return 2;
		/* Let the flipper start; alternate the delay so both orders occur. */
		if (i % 2)
			sched_yield();
		r = bind(flip_fd, (struct sockaddr *)&sin6, sizeof(sin6));
		err = errno;
		atomic_store(&stop_flipping, 1);
		pthread_join(t, NULL);
		if (r == 0) {
			if (getsockopt(flip_fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len) != 0)
				return 2;
			if (v)
				v6only++;
			else
				dual++;
		} else if (err == EPERM) {
			eperm++;
		} else if (err == EACCES) {
			eacces++;
		} else {
			other++;
		}
		close(flip_fd);
	}
	printf("rounds %lu v6only %lu dual %lu eperm %lu eacces %lu other %lu\n", rounds, v6only,
	       dual, eperm, eacces, other);
	return dual > 0 ? 1 : 0;
}
