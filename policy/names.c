/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User and group names written in the policy (byuid/NAME, bygid/NAME),
 * looked up in /etc/passwd and /etc/group alone: no name service module
 * is ever loaded into the setuid helper, no answer depends on a network
 * directory, and the wrapper's --explain, --list and --check-config and
 * authbindd read the same files, so they agree with the helper.
 *
 * Each file is read whole once and read again only when it changes, so
 * that authbindd, which asks about every user and group of every bygid
 * entry, reads it once per reload.
 */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "names.h"

#define PASSWD_FILE "/etc/passwd"
#define GROUP_FILE "/etc/group"

struct stamp {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	int valid;
};

static struct {
	struct stamp stamp;
	struct ab_user *users;
	size_t n;
} passwd_db;

static struct {
	struct stamp stamp;
	struct ab_group *groups;
	size_t n;
} group_db;

/* What tells one version of a file from another. */
static void stamp_of(const struct stat *st, struct stamp *s)
{
	memset(s, 0, sizeof(*s));
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->size = st->st_size;
	s->mtime = st->st_mtim;
	s->ctime = st->st_ctim;
	s->valid = 1;
}

/* True when the file at path is still the one read into *s. */
static int unchanged(const char *path, const struct stamp *s)
{
	struct stat st;
	struct stamp now;

	if (!s->valid || stat(path, &st) != 0)
		return 0;
	stamp_of(&st, &now);
	return memcmp(s, &now, sizeof(now)) == 0;
}

/* Records the version of the open file just read. */
static void remember(FILE *f, struct stamp *s)
{
	struct stat st;

	if (fstat(fileno(f), &st) == 0)
		stamp_of(&st, s);
}

static void free_users(void)
{
	size_t i;

	for (i = 0; i < passwd_db.n; i++)
		free(passwd_db.users[i].name);
	free(passwd_db.users);
	passwd_db.users = NULL;
	passwd_db.n = 0;
	passwd_db.stamp.valid = 0;
}

static void free_groups(void)
{
	size_t i, k;

	for (i = 0; i < group_db.n; i++) {
		free(group_db.groups[i].name);
		for (k = 0; k < group_db.groups[i].nmembers; k++)
			free(group_db.groups[i].members[k]);
		free(group_db.groups[i].members);
	}
	free(group_db.groups);
	group_db.groups = NULL;
	group_db.n = 0;
	group_db.stamp.valid = 0;
}

static int load_users(void)
{
	struct passwd *pw;
	FILE *f;

	if (unchanged(PASSWD_FILE, &passwd_db.stamp))
		return 0;
	free_users();
	if ((f = fopen(PASSWD_FILE, "re")) == NULL)
		return -1;
	while ((pw = fgetpwent(f)) != NULL) {
		struct ab_user *users = realloc(passwd_db.users,
						(passwd_db.n + 1) * sizeof(*users));

		if (users == NULL)
			break;
		passwd_db.users = users;
		users[passwd_db.n].uid = pw->pw_uid;
		users[passwd_db.n].gid = pw->pw_gid;
		if ((users[passwd_db.n].name = strdup(pw->pw_name)) == NULL)
			break;
		passwd_db.n++;
	}
	if (pw != NULL) {
		fclose(f);
		free_users();
		return -1;
	}
	remember(f, &passwd_db.stamp);
	fclose(f);
	return 0;
}

static int load_groups(void)
{
	struct group *gr;
	FILE *f;
	int failed = 0;

	if (unchanged(GROUP_FILE, &group_db.stamp))
		return 0;
	free_groups();
	if ((f = fopen(GROUP_FILE, "re")) == NULL)
		return -1;
	while (!failed && (gr = fgetgrent(f)) != NULL) {
		struct ab_group *groups = realloc(group_db.groups,
						  (group_db.n + 1) * sizeof(*groups));
		struct ab_group *g;
		size_t k;

		if (groups == NULL) {
			failed = 1;
			break;
		}
		group_db.groups = groups;
		g = &groups[group_db.n];
		memset(g, 0, sizeof(*g));
		g->gid = gr->gr_gid;
		for (k = 0; gr->gr_mem[k] != NULL; k++)
			;
		g->name = strdup(gr->gr_name);
		g->members = calloc(k + 1, sizeof(*g->members));
		group_db.n++;
		if (g->name == NULL || g->members == NULL) {
			failed = 1;
			break;
		}
		for (k = 0; gr->gr_mem[k] != NULL; k++) {
			if ((g->members[k] = strdup(gr->gr_mem[k])) == NULL) {
				failed = 1;
				break;
			}
			g->nmembers++;
		}
	}
	if (failed) {
		fclose(f);
		free_groups();
		return -1;
	}
	remember(f, &group_db.stamp);
	fclose(f);
	return 0;
}

int ab_users(const struct ab_user **users, size_t *n)
{
	if (load_users() != 0)
		return -1;
	*users = passwd_db.users;
	*n = passwd_db.n;
	return 0;
}

int ab_groups(const struct ab_group **groups, size_t *n)
{
	if (load_groups() != 0)
		return -1;
	*groups = group_db.groups;
	*n = group_db.n;
	return 0;
}

const char *ab_user_name_of(uid_t uid)
{
	size_t i;

	if (load_users() != 0)
		return NULL;
	for (i = 0; i < passwd_db.n; i++)
		if (passwd_db.users[i].uid == uid)
			return passwd_db.users[i].name;
	return NULL;
}

int ab_user_id_of(const char *name, uid_t *uid)
{
	size_t i;

	if (load_users() != 0)
		return -1;
	for (i = 0; i < passwd_db.n; i++) {
		if (strcmp(passwd_db.users[i].name, name) == 0) {
			*uid = passwd_db.users[i].uid;
			return 0;
		}
	}
	return -1;
}

int ab_group_id_of(const char *name, gid_t *gid)
{
	size_t i;

	if (load_groups() != 0)
		return -1;
	for (i = 0; i < group_db.n; i++) {
		if (strcmp(group_db.groups[i].name, name) == 0) {
			*gid = group_db.groups[i].gid;
			return 0;
		}
	}
	return -1;
}
