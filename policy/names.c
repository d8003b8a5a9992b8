/*
 * User and group names written in the policy (byuid/NAME, bygid/NAME),
 * looked up in /etc/passwd and /etc/group alone: no name service module
 * is ever loaded into the setuid helper, no answer depends on a network
 * directory, and the wrapper's --explain, --list and --check-config read
 * the same files, so they agree with the helper.
 */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"

#define PASSWD_FILE "/etc/passwd"
#define GROUP_FILE "/etc/group"

const char *ab_user_name_of(uid_t uid)
{
	static char name[64];
	struct passwd *pw;
	FILE *f = fopen(PASSWD_FILE, "re");
	const char *found = NULL;

	if (f == NULL)
		return NULL;
	while ((pw = fgetpwent(f)) != NULL) {
		if (pw->pw_uid == uid && strlen(pw->pw_name) < sizeof(name)) {
			memcpy(name, pw->pw_name, strlen(pw->pw_name) + 1);
			found = name;
			break;
		}
	}
	fclose(f);
	return found;
}

int ab_user_id_of(const char *name, uid_t *uid)
{
	struct passwd *pw;
	FILE *f = fopen(PASSWD_FILE, "re");
	int found = -1;

	if (f == NULL)
		return -1;
	while ((pw = fgetpwent(f)) != NULL) {
		if (strcmp(pw->pw_name, name) == 0) {
			*uid = pw->pw_uid;
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

int ab_group_id_of(const char *name, gid_t *gid)
{
	struct group *gr;
	FILE *f = fopen(GROUP_FILE, "re");
	int found = -1;

	if (f == NULL)
		return -1;
	while ((gr = fgetgrent(f)) != NULL) {
		if (strcmp(gr->gr_name, name) == 0) {
			*gid = gr->gr_gid;
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}
