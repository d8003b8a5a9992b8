/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ktable: the BPF mechanics of kernel mode without the policy code, for
 * tests/kernel/mechanics.sh.  Loads authbindd's programs, attaches them to
 * the cgroup CGROUP and installs the generation read from TABLE, a hard-
 * coded test table, one entry a line:
 *
 *   profile UID|other [CHECK NMEMBER]
 *   grant UID|other tcp|udp 4|6 PORTLO PORTHI ADDRLO ADDRHI [CHECK NMEMBER]
 *   relgid GID
 *   member UID GID
 *
 * SIGHUP reads TABLE again and swaps the new generation in; each event
 * is printed as one line on stdout; "ready GEN" after each swap.
 *
 *   ktable CGROUP TABLE
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "addr.h"
#include "authbind_bpf.h"
#include "genmap.h"
#include "loader.h"

static volatile sig_atomic_t reload, stop;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		stop = 1;
}

static uint32_t parse_uid(const char *s)
{
	return strcmp(s, "other") == 0 ? AB_K_UID_OTHER : (uint32_t)strtoul(s, NULL, 10);
}

static int parse_addr(const char *s, struct ab_addr *a)
{
	return ab_addr_parse(a, s, strlen(s));
}

static int load_table(const char *path, uint32_t gen, struct ab_genmap *g)
{
	char line[512], w[10][64];
	FILE *f = fopen(path, "r");
	int n;

	if (f == NULL || ab_genmap_create(g, gen, AB_K_MAX_ENTRIES) != 0)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		struct ab_addr lo, hi;
		int r = 0;

		n = sscanf(line, "%63s %63s %63s %63s %63s %63s %63s %63s %63s %63s", w[0], w[1],
			   w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9]);
		if (n <= 0 || w[0][0] == '#')
			continue;
		if (strcmp(w[0], "profile") == 0 && n >= 2)
			r = ab_genmap_add_profile(g, parse_uid(w[1]), n >= 4 && atoi(w[2]),
						  n >= 4 ? (unsigned)atoi(w[3]) : 0);
		else if (strcmp(w[0], "grant") == 0 && n >= 8 && parse_addr(w[6], &lo) == 0 &&
			 parse_addr(w[7], &hi) == 0)
			r = ab_genmap_add_region(g, parse_uid(w[1]),
						 strcmp(w[2], "udp") == 0 ? IPPROTO_UDP : IPPROTO_TCP,
						 strcmp(w[3], "6") == 0 ? AF_INET6 : AF_INET,
						 (uint16_t)atoi(w[4]), (uint16_t)atoi(w[5]), &lo, &hi,
						 1023, n >= 10 && atoi(w[8]),
						 n >= 10 ? (unsigned)atoi(w[9]) : 0);
		else if (strcmp(w[0], "relgid") == 0 && n >= 2)
			r = ab_genmap_add_relevant_gid(g, (uint32_t)atoi(w[1]));
		else if (strcmp(w[0], "member") == 0 && n >= 3)
			r = ab_genmap_add_member(g, parse_uid(w[1]), (uint32_t)atoi(w[2]));
		else {
			fprintf(stderr, "ktable: bad line: %s", line);
			r = -1;
		}
		if (r != 0) {
			fprintf(stderr, "ktable: %s: %s", strerror(errno), line);
			fclose(f);
			ab_genmap_close(g);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static int print_event(void *ctx, void *data, size_t size)
{
	const struct ab_kevent *e = data;
	static const char *const verdicts[] = { "?", "granted", "denied", "capable",
						"groups", "unbound", "scoped" };
	char text[64];

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	inet_ntop(e->family == 4 ? AF_INET : AF_INET6, e->addr, text, sizeof(text));
	printf("event %s gen=%u uid=%u gid=%u pid=%u %s %s %u flags=%u\n",
	       e->verdict < 7 ? verdicts[e->verdict] : "?", e->generation, e->uid, e->gid,
	       e->pid, e->proto == IPPROTO_UDP ? "udp" : "tcp", text, e->port, e->flags);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct ab_loader l;
	struct ab_genmap g;
	struct ring_buffer *rb;
	char err[256];
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	uint32_t gen = 1;
	int cg, probe;

	if (argc != 3) {
		fprintf(stderr, "usage: ktable CGROUP TABLE\n");
		return 2;
	}
	probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (probe < 0 || getsockopt(probe, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) != 0) {
		perror("ktable: SO_NETNS_COOKIE");
		return 1;
	}
	close(probe);
	cg = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0) {
		perror(argv[1]);
		return 1;
	}
	if (ab_loader_load(&l, cookie, 0, 0, 0, err, sizeof(err)) != 0 ||
	    load_table(argv[2], gen, &g) != 0 || ab_loader_swap(&l, g.fd) != 0 ||
	    ab_loader_attach(&l, cg, err, sizeof(err)) != 0) {
		fprintf(stderr, "ktable: %s\n", err);
		return 1;
	}
	ab_genmap_close(&g);
	rb = ring_buffer__new(l.events_fd, print_event, NULL, NULL);
	if (rb == NULL)
		return 1;
	signal(SIGHUP, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("ready %u\n", gen);
	fflush(stdout);
	while (!stop) {
		ring_buffer__poll(rb, AB_K_POLL_MS);
		ring_buffer__consume(rb);
		if (reload) {
			reload = 0;
			if (load_table(argv[2], ++gen, &g) != 0 || ab_loader_swap(&l, g.fd) != 0) {
				fprintf(stderr, "ktable: reload failed\n");
				ab_loader_clear(&l);
				continue;
			}
			ab_genmap_close(&g);
			printf("ready %u lost=%llu\n", gen, (unsigned long long)ab_loader_lost(&l));
			fflush(stdout);
		}
	}
	ring_buffer__free(rb);
	ab_loader_close(&l);
	return 0;
}
