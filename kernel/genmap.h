/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One generation of the policy as the BPF program reads it: a new LPM
 * trie (authbind_bpf.h) filled entry by entry, then swapped in whole by
 * the loader.  Nothing here knows the policy files; compile.c feeds it.
 */
#ifndef AUTHBIND_GENMAP_H
#define AUTHBIND_GENMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "addr.h"

struct ab_genmap {
	int fd;               /* the trie */
	uint32_t generation;
	size_t entries;
	size_t max_entries;
	int full;             /* an entry did not fit: refuse the whole generation */
};

/* Creates an empty trie for generation gen.  Returns 0, or -1 with errno. */
int ab_genmap_create(struct ab_genmap *g, uint32_t gen, size_t max_entries);
void ab_genmap_close(struct ab_genmap *g);

/* Marks uid (AB_K_UID_OTHER for every uid without its own) as a profile.
 * check_groups: the tree has gids that can change a decision, and the
 * profile assumes membership in nmember of them. */
int ab_genmap_add_profile(struct ab_genmap *g, uint32_t uid, int check_groups,
			  unsigned nmember);

/*
 * Grants the profile uid every bind of proto and family to a port in
 * [port_lo, port_hi] and an address in [lo, hi] (family's bytes).  A
 * region covering every address of its family becomes port prefixes; any
 * other one address prefixes for each port up to port_cap (ports above it
 * are not privileged when the generation is made).  check_groups and
 * nmember as for the profile.
 */
int ab_genmap_add_region(struct ab_genmap *g, uint32_t uid, int proto, int family,
			 uint16_t port_lo, uint16_t port_hi, const struct ab_addr *lo,
			 const struct ab_addr *hi, uint16_t port_cap, int check_groups,
			 unsigned nmember);

/* gid can change a decision of the tree. */
int ab_genmap_add_relevant_gid(struct ab_genmap *g, uint32_t gid);

/* The profile of uid assumes membership in gid (a relevant gid). */
int ab_genmap_add_member(struct ab_genmap *g, uint32_t uid, uint32_t gid);

#endif
