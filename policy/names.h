/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The users and groups of /etc/passwd and /etc/group, as the policy reads
 * them (names.c).  What these return stays valid until the next call into
 * names.c finds the file changed.
 */
#ifndef AUTHBIND_NAMES_H
#define AUTHBIND_NAMES_H

#include <stddef.h>
#include <sys/types.h>

struct ab_user {
	uid_t uid;
	gid_t gid; /* the primary group */
	char *name;
};

struct ab_group {
	gid_t gid;
	char *name;
	char **members; /* login names */
	size_t nmembers;
};

/* Every entry of /etc/passwd, or of /etc/group, in file order.  Returns
 * 0, or -1 when the file cannot be read. */
int ab_users(const struct ab_user **users, size_t *n);
int ab_groups(const struct ab_group **groups, size_t *n);

/* The first user with that uid, or NULL; the uid of the first user of
 * that name; the gid of the first group of that name (0, or -1: none). */
const char *ab_user_name_of(uid_t uid);
int ab_user_id_of(const char *name, uid_t *uid);
int ab_group_id_of(const char *name, gid_t *gid);

#endif
