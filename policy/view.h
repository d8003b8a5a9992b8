/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the policy walk (lookup.c) asks of a policy tree.  Two readings
 * answer: files.c from the files themselves, for one bind (the helper,
 * --explain), and tree.c from the tree read whole (authbindd, --list,
 * --check-config), which is filled by asking files.c about every entry.
 * So the walk, and every judgement of a file, exists once.
 *
 * Internal to policy/.
 */
#ifndef AUTHBIND_VIEW_H
#define AUTHBIND_VIEW_H

#include "policy.h"

enum ab_subdir { AB_BYPORT, AB_BYADDR, AB_BYUID, AB_BYGID, AB_SUBDIRS };

/* The name of each subdirectory, "byport" ... "bygid". */
extern const char *const ab_subdir_names[AB_SUBDIRS];

enum ab_found {
	AB_ABSENT,  /* no such entry: the walk looks further */
	AB_UNUSABLE, /* it exists but cannot be used: denies at once, for why */
	AB_PRESENT, /* it exists and can be judged */
};

/* The most names a byport or byaddr lookup tries, and their length. */
#define AB_EXEC_NAMES_MAX 6
#define AB_EXEC_NAME_MAX (AB_ADDR_TEXT_MAX + 8)

struct ab_view_ops {
	/* A subdirectory of the policy directory. */
	enum ab_found (*subdir)(void *view, enum ab_subdir d, char why[AB_REASON_MAX]);
	/* A byport or byaddr entry; f (and its ACL) valid until the next call. */
	enum ab_found (*exec_file)(void *view, enum ab_subdir d, const char *name,
				   struct ab_exec_file *f, char why[AB_REASON_MAX]);
	/* A byuid or bygid file: when present, fn is called for its lines in
	 * order, as ab_rule_file_scan does, and *scan gets what that returns. */
	enum ab_found (*rule_file)(void *view, enum ab_subdir d, const char *name,
				   ab_line_fn fn, void *ctx, int *scan,
				   char why[AB_REASON_MAX]);
	/* The names in bygid that the walk looks at: the first
	 * AB_GROUP_FILES_MAX in byte order.  Valid until the next call. */
	enum ab_found (*group_names)(void *view, const char *const **names, size_t *n,
				     char why[AB_REASON_MAX]);
};

struct ab_view {
	const struct ab_view_ops *ops;
	void *view;
};

/* The walk: decides one bind on a view (lookup.c). */
void ab_walk(const struct ab_view *v, const struct ab_caller *c,
	     const struct ab_target *t, struct ab_decision *d,
	     const struct ab_tracer *tracer);

/* The live view of the files under the policy directory dirfd (files.c). */
struct ab_files;
struct ab_files *ab_files_open(int dirfd);
void ab_files_close(struct ab_files *f);
extern const struct ab_view_ops ab_files_ops;
/* Every name in a subdirectory the view found present, sorted (strcmp
 * order); each name and the array are the caller's to free.  Returns 0 or -1. */
int ab_files_list(struct ab_files *f, enum ab_subdir d, char ***names, size_t *n);

/* The tree read whole (tree.c), seen as a view, and the names it holds in
 * a subdirectory, in strcmp order. */
struct ab_tree;
void ab_tree_as_view(const struct ab_tree *t, struct ab_view *v);
size_t ab_tree_count(const struct ab_tree *t, enum ab_subdir d);
const char *ab_tree_name(const struct ab_tree *t, enum ab_subdir d, size_t i);

/* Computes the gids of ab_tree_relevant_gids (grants.c), for tree.c to
 * keep: sorted, without repeats; *gids is the caller's to free. */
int ab_relevant_gids(const struct ab_tree *t, gid_t **gids, size_t *n);

/* The names a byport or byaddr lookup tries for a port or an address and
 * port, in the order it tries them, each without and then (for ports
 * 512-1023, Debian's names) with a leading '!'.  Returns how many. */
size_t ab_byport_names(uint16_t port, char names[][AB_EXEC_NAME_MAX]);
size_t ab_byaddr_names(const struct ab_addr *a, uint16_t port,
		       char names[][AB_EXEC_NAME_MAX]);

/* byport and byaddr: the first of names[0..n) that exists in d decides,
 * by its execute permission for the caller, into *out.  Returns
 * AB_ABSENT when none exists (the walk looks further). */
enum ab_found ab_exec_decide(const struct ab_view *v, enum ab_subdir d,
			     char names[][AB_EXEC_NAME_MAX], size_t n,
			     const struct ab_caller *c, const struct ab_tracer *tracer,
			     struct ab_decision *out);

/* The group a bygid entry names: a number, or a name resolved by the
 * caller's group_by_name.  Returns 0 or -1. */
int ab_group_of_entry(const struct ab_caller *c, const char *name, gid_t *gid);

/* True when Debian's '!' names are looked at for the port (512-1023). */
int ab_port_has_bang_names(uint16_t port);

#endif
