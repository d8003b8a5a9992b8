/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which enforcer decides a bind: the helper, for programs run under
 * authbind, and kernel mode, for every program, while authbindd runs for
 * this process's cgroup and network namespace (kernel/active.c).  Kernel
 * mode judges a user by the groups /etc/passwd and /etc/group give it, and
 * grants a process whose real groups differ from those (where the policy
 * looks at them) nothing.
 */
#include "config.h"
#include "paths.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "active.h"
#include "authbind_bpf.h"
#include "commands.h"
#include "tree.h"

int ab_enforcers_get(struct ab_enforcers *e, const struct ab_caller *process)
{
	static gid_t login_groups[AB_GROUPS_MAX];
	struct ab_caller login;
	struct ab_tree *tree;
	char err[AB_SOURCE_MAX + AB_REASON_MAX + 2];

	memset(e, 0, sizeof(*e));
	if (!ab_kernel_mode_active(AB_KERNEL_STATE_DIR, &e->kernel_state))
		return 0;
	e->kernel = 1;
	if (process == NULL)
		return 1;
	/* Kernel mode reads at most this many groups of a process. */
	if (process->ngroups > AB_KGROUPS_MAX) {
		e->groups_differ = 1;
		e->too_many_groups = 1;
		return 1;
	}
	tree = ab_tree_load(AB_POLICY_DIR, err, sizeof(err));
	if (tree == NULL ||
	    ab_login_caller(process->uid, &login, login_groups, AB_GROUPS_MAX) != 0)
		e->groups_differ = 1; /* cannot tell: do not promise */
	else
		e->groups_differ = !ab_tree_same_groups(tree, process, &login, &e->differing_gid);
	ab_tree_free(tree);
	return 1;
}
