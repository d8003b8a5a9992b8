/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test support: holds every reading of a policy tree to the same answer.
 * For one caller and one bind, the walk on the files (ab_policy_decide),
 * the walk on the tree read whole (ab_tree_decide) and the regions the
 * tree grants (ab_tree_grants) must agree: the same decision in the same
 * words, and a granted bind in exactly one region, named by the same
 * file and line; a refused one in none.
 */
#ifndef AUTHBIND_TEST_AGREE_H
#define AUTHBIND_TEST_AGREE_H

#include "policy.h"
#include "tree.h"

/* Compares the three readings of the tree at path (dirfd open on it);
 * returns 0 or -1 with what differs in why.  *live gets the walk's
 * decision on the files. */
int agree_check(int dirfd, const struct ab_tree *tree, const struct ab_caller *c,
		const struct ab_target *t, struct ab_decision *live, char *why,
		size_t size);

#endif
