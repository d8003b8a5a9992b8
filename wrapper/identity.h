/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who the wrapper's --explain and --list answer for: the invoking user,
 * or, for root, any user named by --user.
 */
#ifndef AUTHBIND_IDENTITY_H
#define AUTHBIND_IDENTITY_H

#include "policy.h"


struct ab_identity {
	struct ab_caller caller;
	gid_t groups[AB_GROUPS_MAX];
	char name[64]; /* from /etc/passwd, as the helper reads it; or empty */
};

/*
 * Fills id for user (a name or a uid; NULL: the invoking user, with the
 * groups the kernel gives it).  Returns 0, or -1 after printing why.
 * Only root may ask about another user.
 */
int ab_identity_get(struct ab_identity *id, const char *user);


#endif
