/*
 * Who the wrapper's --explain and --list answer for: the invoking user,
 * or, for root, any user named by --user.
 */
#ifndef AUTHBIND_IDENTITY_H
#define AUTHBIND_IDENTITY_H

#include "policy.h"

#define AB_GROUPS_MAX 1024

struct ab_identity {
	struct ab_caller caller;
	gid_t groups[AB_GROUPS_MAX];
	char name[64]; /* empty when the uid has no passwd entry */
};

/*
 * Fills id for user (a name or a uid; NULL: the invoking user, with the
 * groups the kernel gives it).  Returns 0, or -1 after printing why.
 * Only root may ask about another user.
 */
int ab_identity_get(struct ab_identity *id, const char *user);

/* Makes this process look names up in /etc/passwd and /etc/group only,
 * as the helper does, so that the answers agree with its decisions. */
void ab_names_from_files(void);

/* Resolves a group name through the group database. */
int ab_group_by_name(const char *name, gid_t *gid);

#endif
