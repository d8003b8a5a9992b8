/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The policy tree, read whole by the lead's policy code (policy/tree.h),
 * compiled into one generation of the BPF trie.  The tree decides; this
 * only copies its answers: for each profile ab_tree_profiles gives, the
 * regions ab_tree_grants gives for it, and the gids ab_tree_relevant_gids
 * names.
 */
#ifndef AUTHBIND_COMPILE_H
#define AUTHBIND_COMPILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "genmap.h"
#include "tree.h"

/* The groups a profile was compiled for, kept to explain its events. */
struct ab_profile {
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
};

struct ab_generation {
	uint32_t id;
	struct ab_tree *tree;        /* owned */
	struct ab_profile *profiles; /* sorted by uid; the last is AB_UID_OTHER */
	size_t nprofiles;
	size_t entries;              /* in the trie */
	size_t nregions;
};

/*
 * Fills g (created empty for gen->id) from gen->tree, for ports up to
 * port_max (the highest privileged port now).  Returns 0, or -1 with a
 * one-line reason in err; then g must not be used.
 */
int ab_compile(struct ab_generation *gen, struct ab_genmap *g, uint16_t port_max,
	       char *err, size_t errsize);

/* The profile that judges uid: its own, else AB_UID_OTHER's; NULL if none. */
const struct ab_profile *ab_generation_profile(const struct ab_generation *gen, uid_t uid);

/* Frees the tree and the profiles, and gen itself. */
void ab_generation_free(struct ab_generation *gen);

#endif
