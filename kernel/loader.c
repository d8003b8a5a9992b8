/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading and attaching the programs of bind.bpf.c, by hand where a
 * bpftool skeleton would do it: the object is embedded in authbindd, so
 * the programs it loads are always the ones it was built with.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "authbind_bpf.h"
#include "loader.h"

static const char *const prog_names[AB_LOADER_PROGS] = {
	"authbind_bind4", "authbind_bind6", "authbind_post_bind4", "authbind_post_bind6",
};

static int verbose_libbpf;

/* libbpf's own messages go to stderr: warnings always (a verifier log on a
 * failed load is the one thing that explains it), the rest with -v.  The
 * format is libbpf's, hence the pragma. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || (level == LIBBPF_INFO && !verbose_libbpf))
		return 0;
	return vfprintf(stderr, fmt, ap);
}
#pragma GCC diagnostic pop

static struct bpf_map *find_map(struct bpf_object *obj, const char *suffix)
{
	struct bpf_map *m;
	size_t n = strlen(suffix);

	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		size_t len = strlen(name);

		if (len >= n && strcmp(name + len - n, suffix) == 0)
			return m;
	}
	return NULL;
}

int ab_loader_load(struct ab_loader *l, uint64_t netns_cookie, uint64_t pidns_dev,
		   uint64_t pidns_ino, int verbose, char *err, size_t errsize)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "authbindd");
	struct ab_kconfig config;
	struct bpf_map *m, *events, *lost, *policy;
	int r;

	memset(l, 0, sizeof(*l));
	l->policy_fd = l->events_fd = l->lost_fd = -1;
	verbose_libbpf = verbose;
	libbpf_set_print(print_libbpf);
	l->obj = bpf_object__open_mem(ab_bpf_object, ab_bpf_object_size, &opts);
	if (l->obj == NULL) {
		snprintf(err, errsize, "cannot open the embedded BPF object: %s", strerror(errno));
		return -1;
	}
	memset(&config, 0, sizeof(config));
	config.netns_cookie = netns_cookie;
	config.pidns_dev = pidns_dev;
	config.pidns_ino = pidns_ino;
	m = find_map(l->obj, ".rodata.config");
	if (m == NULL || bpf_map__set_initial_value(m, &config, sizeof(config)) != 0) {
		snprintf(err, errsize, "the embedded BPF object has no configuration section");
		goto fail;
	}
	r = bpf_object__load(l->obj);
	if (r != 0) {
		snprintf(err, errsize,
			 "cannot load the BPF programs: %s (needs Linux 6.3 or later with BTF, "
			 "and CAP_BPF, CAP_PERFMON)", strerror(-r));
		goto fail;
	}
	policy = bpf_object__find_map_by_name(l->obj, "ab_policy");
	events = bpf_object__find_map_by_name(l->obj, "ab_events");
	lost = bpf_object__find_map_by_name(l->obj, "ab_lost");
	if (policy == NULL || events == NULL || lost == NULL) {
		snprintf(err, errsize, "the embedded BPF object lacks its maps");
		goto fail;
	}
	l->policy_fd = bpf_map__fd(policy);
	l->events_fd = bpf_map__fd(events);
	l->lost_fd = bpf_map__fd(lost);
	return 0;
fail:
	bpf_object__close(l->obj);
	l->obj = NULL;
	return -1;
}

int ab_loader_attach(struct ab_loader *l, int cgroup_fd, char *err, size_t errsize)
{
	int i;

	for (i = 0; i < AB_LOADER_PROGS; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(l->obj, prog_names[i]);

		if (p == NULL) {
			snprintf(err, errsize, "the embedded BPF object lacks %s", prog_names[i]);
			return -1;
		}
		l->links[i] = bpf_program__attach_cgroup(p, cgroup_fd);
		if (l->links[i] == NULL) {
			snprintf(err, errsize, "cannot attach %s to the cgroup: %s (needs "
				 "CAP_NET_ADMIN and a cgroup v2 directory)", prog_names[i],
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

int ab_loader_swap(struct ab_loader *l, int inner_fd)
{
	uint32_t zero = 0;

	return bpf_map_update_elem(l->policy_fd, &zero, &inner_fd, BPF_ANY);
}

int ab_loader_clear(struct ab_loader *l)
{
	uint32_t zero = 0;

	if (bpf_map_delete_elem(l->policy_fd, &zero) != 0 && errno != ENOENT)
		return -1;
	return 0;
}

uint64_t ab_loader_lost(const struct ab_loader *l)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	uint64_t *per_cpu, sum = 0;
	uint32_t zero = 0;

	if (ncpu <= 0 || (per_cpu = calloc((size_t)ncpu, sizeof(*per_cpu))) == NULL)
		return 0;
	if (bpf_map_lookup_elem(l->lost_fd, &zero, per_cpu) == 0)
		for (i = 0; i < ncpu; i++)
			sum += per_cpu[i];
	free(per_cpu);
	return sum;
}

void ab_loader_close(struct ab_loader *l)
{
	int i;

	for (i = 0; i < AB_LOADER_PROGS; i++) {
		if (l->links[i] != NULL)
			bpf_link__destroy(l->links[i]);
		l->links[i] = NULL;
	}
	if (l->obj != NULL)
		bpf_object__close(l->obj);
	l->obj = NULL;
}
