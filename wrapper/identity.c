/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "identity.h"

/* The name byuid/NAME would be, as the helper finds it (/etc/passwd). */
static void set_name(struct ab_identity *id)
{
	const char *name = ab_user_name_of(id->caller.uid);

	id->name[0] = '\0';
	if (name != NULL && strlen(name) < sizeof(id->name))
		memcpy(id->name, name, strlen(name) + 1);
	id->caller.user_name = id->name[0] != '\0' ? id->name : NULL;
}

int ab_identity_get(struct ab_identity *id, const char *user)
{
	struct passwd *pw;
	unsigned long v;
	int n;

	memset(id, 0, sizeof(*id));
	id->caller.groups = id->groups;
	id->caller.group_by_name = ab_group_id_of;
	if (user == NULL) {
		id->caller.uid = getuid();
		id->caller.gid = getgid();
		n = getgroups(AB_GROUPS_MAX, id->groups);
		if (n < 0) {
			fprintf(stderr, "authbind: cannot read my groups: %s\n", strerror(errno));
			return -1;
		}
		id->caller.ngroups = (size_t)n;
		set_name(id);
		return 0;
	}
	if (ab_number_parse(user, strlen(user), (uid_t)-2, &v) == 0)
		pw = getpwuid((uid_t)v);
	else if (ab_name_valid(user))
		pw = getpwnam(user);
	else {
		fprintf(stderr, "authbind: '%s' is not a user name or number\n", user);
		return -1;
	}
	if (pw == NULL && ab_number_parse(user, strlen(user), (uid_t)-2, &v) != 0) {
		fprintf(stderr, "authbind: no such user: %s\n", user);
		return -1;
	}
	id->caller.uid = pw != NULL ? pw->pw_uid : (uid_t)v;
	if (id->caller.uid != getuid() && getuid() != 0) {
		fprintf(stderr, "authbind: only root may ask about another user\n");
		return -1;
	}
	set_name(id);
	if (pw == NULL) {
		/* A uid with no passwd entry: no name, no groups we can know. */
		id->caller.gid = (gid_t)-1;
		return 0;
	}
	id->caller.gid = pw->pw_gid;
	n = AB_GROUPS_MAX;
	if (getgrouplist(pw->pw_name, pw->pw_gid, id->groups, &n) < 0) {
		fprintf(stderr, "authbind: %s is in more than %d groups\n", pw->pw_name,
			AB_GROUPS_MAX);
		return -1;
	}
	id->caller.ngroups = (size_t)n;
	return 0;
}
