/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The policy tree read whole into memory, for the programs that need all
 * of it at once: authbindd (kernel mode compiles it into BPF maps),
 * authbind --list and authbind --check-config.  The helper and --explain
 * walk the files for one bind (policy.h).  Both readings share the rules
 * of lookup.c, and the differential tests hold them to the same answers.
 */
#ifndef AUTHBIND_TREE_H
#define AUTHBIND_TREE_H

#include "policy.h"

struct ab_tree;

/*
 * Reads the tree under path, the policy directory.  Returns NULL with the
 * reason in err when the directory itself cannot be opened or read.  A
 * problem inside the tree (an untrusted file, a malformed line) is kept
 * in it and makes it grant exactly what the helper would grant.
 */
struct ab_tree *ab_tree_load(const char *path, char *err, size_t errsize);
void ab_tree_free(struct ab_tree *t);

/* ab_policy_decide on the loaded tree: the same answer in the same words. */
void ab_tree_decide(const struct ab_tree *t, const struct ab_caller *c,
		    const struct ab_target *target, struct ab_decision *d,
		    const struct ab_tracer *tracer);

/* A set of binds the tree grants: one protocol, one family, an inclusive
 * range of ports and one of addresses, and the file that grants them. */
struct ab_region {
	int proto;                  /* IPPROTO_TCP or IPPROTO_UDP */
	int family;                 /* AF_INET or AF_INET6 */
	uint16_t port_lo, port_hi;
	struct ab_addr lo, hi;      /* of family, inclusive */
	char source[AB_SOURCE_MAX]; /* the deciding file, relative to the tree */
	unsigned line;              /* its line for a rule file, else 0 */
};

typedef int (*ab_region_fn)(void *ctx, const struct ab_region *r);

/*
 * Calls fn for disjoint regions whose union is exactly the set of binds
 * (protocol, address, port from 1 to port_max) that ab_tree_decide grants
 * the caller.  Returns 0, fn's non-zero value, or -1 when out of memory.
 */
int ab_tree_grants(const struct ab_tree *t, const struct ab_caller *c,
		   uint16_t port_max, ab_region_fn fn, void *ctx);

/* The uid of the profile that stands for every uid not listed. */
#define AB_UID_OTHER ((uid_t)-1)

/* key: the uid the profile is for, or AB_UID_OTHER; c: the caller to
 * judge for it (for AB_UID_OTHER a uid that nothing in the tree or in
 * /etc/passwd names, which stands for all such uids). */
typedef int (*ab_profile_fn)(void *ctx, uid_t key, const struct ab_caller *c);

/*
 * Kernel mode's callers: every uid whose decisions can differ from those
 * of an unknown uid (users in /etc/passwd, owners and ACL entries of
 * byport/byaddr files, byuid entries), each with the groups kernel mode
 * assumes for it (its primary group from /etc/passwd and its groups in
 * /etc/group), and last AB_UID_OTHER with no groups.  Returns 0, fn's
 * non-zero value, or -1.
 */
int ab_tree_profiles(const struct ab_tree *t, ab_profile_fn fn, void *ctx);

/* The caller kernel mode judges a uid as: the groups a login of the user
 * gets (its primary group from /etc/passwd, the groups of /etc/group that
 * list it) and its name; no group for a uid /etc/passwd lacks.  groups
 * (room for max) holds the groups.  Returns 0 or -1. */
int ab_login_caller(uid_t uid, struct ab_caller *c, gid_t *groups, size_t max);

/* True when callers a and b are in the same relevant groups of the tree
 * (so kernel mode judges a by b's profile); else 0, with a gid they
 * differ on in *differ. */
int ab_tree_same_groups(const struct ab_tree *t, const struct ab_caller *a,
			const struct ab_caller *b, gid_t *differ);

/* The gids whose membership can change a decision of the tree: a process
 * whose real groups differ from a profile's among these must not be
 * judged by that profile.  Sorted; valid while t lives. */
size_t ab_tree_relevant_gids(const struct ab_tree *t, const gid_t **gids);

/* One entry of the tree as it was read, for authbind --check-config. */
struct ab_tree_entry {
	const char *dir;   /* "byport" ... "bygid", or NULL: the policy directory */
	const char *name;  /* the entry's name in dir */
	int usable;        /* the walk can judge it (else it denies, for why) */
	const char *why;   /* when not usable */
	int examined;      /* st holds the entry's lstat */
	struct stat st;
	const struct ab_exec_file *exec; /* a usable byport or byaddr file */
	int rule_file;     /* a usable byuid or bygid file: see ab_tree_lines */
};

typedef int (*ab_entry_fn)(void *ctx, const struct ab_tree_entry *e);

/* Calls fn for the policy directory's entries (dir NULL; a subdirectory
 * that is absent is not listed), then for every entry of each subdirectory
 * in name order.  Returns 0 or fn's non-zero value. */
int ab_tree_entries(const struct ab_tree *t, ab_entry_fn fn, void *ctx);

/* Calls fn for each line of a usable rule file, as ab_rule_file_scan
 * would.  Returns 0, fn's non-zero value, or -1 when there is no such file. */
int ab_tree_lines(const struct ab_tree *t, const char *dir, const char *name,
		  ab_line_fn fn, void *ctx);

/* The bind a byport or byaddr entry speaks for: the port, or the address
 * and port, whose lookup tries that very name.  Returns 0, or -1 when no
 * lookup ever tries it (not a port or an address, Debian's '!' outside
 * 512-1023, an address not written as the lookup writes it). */
int ab_byport_name_port(const char *name, uint16_t *port);
int ab_byaddr_name_target(const char *name, struct ab_addr *a, uint16_t *port);

/* The policy directory's own lstat, as it was when read. */
const struct stat *ab_tree_stat(const struct ab_tree *t);

#endif
