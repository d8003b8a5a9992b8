/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kbench: bind(2) timed in T threads at once, for kernel mode (see
 * bench/kernel.sh).  Each thread binds fresh sockets to the wildcard
 * address on its own share of the ports LO..HI, in turn, N times, timing
 * only bind(2), and closes each socket; a bind that fails ends the run.
 * Prints the median and 90th percentile in nanoseconds over every bind:
 *
 *   kbench LABEL tcp|udp 4|6 LO-HI N THREADS
 *   -> LABEL median_ns p90_ns count
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct worker {
	pthread_t t;
	int udp, six, lo, hi, n;
	long long *ns;
};

static pthread_barrier_t start;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	int i, port = w->lo;

	pthread_barrier_wait(&start);
	for (i = 0; i < w->n; i++) {
		struct sockaddr_storage ss;
		socklen_t len;
		long long t0;
		int fd, r;

		memset(&ss, 0, sizeof(ss));
		if (w->six) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons((uint16_t)port);
			len = sizeof(*s6);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

			s4->sin_family = AF_INET;
			s4->sin_port = htons((uint16_t)port);
			len = sizeof(*s4);
		}
		fd = socket(ss.ss_family, (w->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
		if (fd < 0)
			err(2, "socket");
		t0 = now_ns();
		r = bind(fd, (struct sockaddr *)&ss, len);
		w->ns[i] = now_ns() - t0;
		if (r != 0)
			err(2, "bind port %d", port);
		close(fd);
		port = port == w->hi ? w->lo : port + 1;
	}
	return NULL;
}

static int compare(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct worker *w;
	long long *all;
	int lo, hi, n, threads, i, span;

	if (argc != 7 || sscanf(argv[4], "%d-%d", &lo, &hi) != 2 || lo > hi ||
	    (n = atoi(argv[5])) <= 0 || (threads = atoi(argv[6])) <= 0 ||
	    hi - lo + 1 < threads)
		errx(2, "usage: kbench LABEL tcp|udp 4|6 LO-HI N THREADS");
	w = calloc((size_t)threads, sizeof(*w));
	all = calloc((size_t)threads * (size_t)n, sizeof(*all));
	if (w == NULL || all == NULL)
		err(2, "calloc");
	pthread_barrier_init(&start, NULL, (unsigned)threads);
	span = (hi - lo + 1) / threads;
	for (i = 0; i < threads; i++) {
		w[i].udp = strcmp(argv[2], "udp") == 0;
		w[i].six = strcmp(argv[3], "6") == 0;
		w[i].lo = lo + i * span;
		w[i].hi = w[i].lo + span - 1;
		w[i].n = n;
		w[i].ns = all + (size_t)i * (size_t)n;
		if (pthread_create(&w[i].t, NULL, work, &w[i]) != 0)
			errx(2, "pthread_create");
	}
	for (i = 0; i < threads; i++)
		pthread_join(w[i].t, NULL);
	qsort(all, (size_t)threads * (size_t)n, sizeof(*all), compare);
	printf("%s %lld %lld %d\n", argv[1], all[(size_t)threads * (size_t)n / 2],
	       all[(size_t)threads * (size_t)n * 9 / 10], threads * n);
	return 0;
}
