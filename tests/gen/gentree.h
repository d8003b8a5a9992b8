/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Random policy trees and binds, for the tests that hold the readings of
 * a tree, and the two enforcers, to one answer: tests/unit/check_tree.c
 * (the walk, the tree read whole and its grants, in one process) and
 * tests/integration/differential (--list, --explain, the helper and
 * kernel mode, as a user runs them).
 *
 * The trees mix every kind of entry: byport and byaddr files with every
 * mode, owner and group, POSIX ACLs, Debian's '!' names, names no lookup
 * tries, rule files with every line form, comments and malformed lines,
 * untrusted, unreadable and odd files, and missing or untrusted
 * subdirectories.  Users: 41000 (alice), 41001 (bob), 41002 and root;
 * groups 41000, 41500 (web) and 41501 (dns).
 */
#ifndef AUTHBIND_TEST_GENTREE_H
#define AUTHBIND_TEST_GENTREE_H

#include "policy.h"

/* Seeds the generator; everything after depends on the seed alone. */
void gen_seed(unsigned long long seed);

/* Fills the empty directory open at treefd with a random tree.  Returns 0,
 * or -1 with a message on stderr. */
int gen_tree(int treefd);

/* A random bind: protocol, address (unmapped; sometimes with a scope)
 * and port from the values the trees use, and their neighbours. */
void gen_target(struct ab_target *t);

/* A random caller among the users and groups above (never root when
 * no_root), with the test's names (alice, bob; web, dns). */
void gen_caller(struct ab_caller *c, gid_t groups[2], int no_root);

/* The test's names, as /etc/passwd and /etc/group of the integration
 * tests spell them. */
const char *gen_user_name(uid_t uid);
int gen_group_by_name(const char *name, gid_t *gid);

#endif
