/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Policy tree -> one generation of the trie.  See compile.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authbind_bpf.h"
#include "compile.h"

struct compile {
	struct ab_generation *gen;
	struct ab_genmap *g;
	uint16_t port_max;
	const gid_t *relevant;
	size_t nrelevant;
	/* the profile being compiled */
	uint32_t uid;
	unsigned nmember;
	int failed_errno;
	size_t cap;
};

static int is_relevant(const struct compile *c, gid_t gid)
{
	size_t lo = 0, hi = c->nrelevant;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->relevant[mid] == gid)
			return 1;
		if (c->relevant[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int add_region(void *ctx, const struct ab_region *r)
{
	struct compile *c = ctx;

	c->gen->nregions++;
	if (ab_genmap_add_region(c->g, c->uid, r->proto, r->family, r->port_lo, r->port_hi,
				 &r->lo, &r->hi, c->port_max, c->nrelevant > 0,
				 c->nmember) != 0) {
		c->failed_errno = errno;
		return 1;
	}
	return 0;
}

/* The gids the profile is a member of, among the relevant ones, each once. */
static int add_members(struct compile *c, const struct ab_caller *who)
{
	size_t i, j;

	c->nmember = 0;
	for (i = 0; i <= who->ngroups; i++) {
		gid_t gid = i == 0 ? who->gid : who->groups[i - 1];
		int dup = i > 0 && gid == who->gid;

		for (j = 1; !dup && j < i; j++)
			dup = who->groups[j - 1] == gid;
		if (dup || !is_relevant(c, gid))
			continue;
		if (ab_genmap_add_member(c->g, c->uid, gid) != 0)
			return -1;
		c->nmember++;
	}
	return 0;
}

static int keep_profile(struct compile *c, uid_t key, const struct ab_caller *who)
{
	struct ab_generation *gen = c->gen;
	struct ab_profile *p;

	if (gen->nprofiles == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		p = realloc(gen->profiles, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		gen->profiles = p;
		c->cap = cap;
	}
	p = &gen->profiles[gen->nprofiles];
	p->uid = key;
	p->gid = who->gid;
	p->ngroups = who->ngroups;
	p->groups = NULL;
	if (who->ngroups > 0) {
		p->groups = malloc(who->ngroups * sizeof(gid_t));
		if (p->groups == NULL)
			return -1;
		memcpy(p->groups, who->groups, who->ngroups * sizeof(gid_t));
	}
	gen->nprofiles++;
	return 0;
}

/* key: the uid of the profile, or AB_UID_OTHER; who: the caller the tree
 * judges for it. */
static int add_profile(void *ctx, uid_t key, const struct ab_caller *who)
{
	struct compile *c = ctx;
	int r;

	c->uid = key == AB_UID_OTHER ? AB_K_UID_OTHER : (uint32_t)key;
	if (keep_profile(c, key, who) != 0 || add_members(c, who) != 0 ||
	    ab_genmap_add_profile(c->g, c->uid, c->nrelevant > 0, c->nmember) != 0) {
		c->failed_errno = errno;
		return 1;
	}
	r = ab_tree_grants(c->gen->tree, who, c->port_max, add_region, c);
	if (r < 0)
		c->failed_errno = ENOMEM;
	return r != 0;
}

static int compare_profiles(const void *a, const void *b)
{
	uid_t x = ((const struct ab_profile *)a)->uid, y = ((const struct ab_profile *)b)->uid;

	return x < y ? -1 : x > y;
}

int ab_compile(struct ab_generation *gen, struct ab_genmap *g, uint16_t port_max,
	       char *err, size_t errsize)
{
	struct compile c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.gen = gen;
	c.g = g;
	c.port_max = port_max;
	c.nrelevant = ab_tree_relevant_gids(gen->tree, &c.relevant);
	for (i = 0; i < c.nrelevant; i++) {
		if (ab_genmap_add_relevant_gid(g, c.relevant[i]) != 0) {
			c.failed_errno = errno;
			break;
		}
	}
	if (c.failed_errno == 0 && ab_tree_profiles(gen->tree, add_profile, &c) != 0 &&
	    c.failed_errno == 0)
		c.failed_errno = ENOMEM;
	gen->entries = g->entries;
	if (g->full) {
		snprintf(err, errsize, "the policy needs more than %zu entries in the kernel "
			 "(%zu profiles so far); kernel mode grants nothing until it is smaller",
			 g->max_entries, gen->nprofiles);
		return -1;
	}
	if (c.failed_errno != 0) {
		snprintf(err, errsize, "cannot compile the policy into the kernel map: %s",
			 strerror(c.failed_errno));
		return -1;
	}
	if (gen->nprofiles > 0)
		qsort(gen->profiles, gen->nprofiles, sizeof(*gen->profiles),
		      compare_profiles);
	return 0;
}

const struct ab_profile *ab_generation_profile(const struct ab_generation *gen, uid_t uid)
{
	size_t lo = 0, hi = gen->nprofiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (gen->profiles[mid].uid == uid)
			return &gen->profiles[mid];
		if (gen->profiles[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (uid != AB_UID_OTHER)
		return ab_generation_profile(gen, AB_UID_OTHER);
	return NULL;
}

void ab_generation_free(struct ab_generation *gen)
{
	size_t i;

	if (gen == NULL)
		return;
	for (i = 0; i < gen->nprofiles; i++)
		free(gen->profiles[i].groups);
	free(gen->profiles);
	if (gen->tree != NULL)
		ab_tree_free(gen->tree);
	free(gen);
}
