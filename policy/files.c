/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The policy tree read from its files, one entry at a time, as the walk
 * asks (view.h): the reading the helper and --explain use for one bind,
 * and the one tree.c asks about every entry when it reads the tree whole.
 *
 * Every directory and file is opened once below the checked policy
 * directory, by a fixed name (a number, an address, a checked user or
 * group name, or a name read from bygid itself), never following a
 * symlink, and judged on the open descriptor.  The helper does this with
 * root's right to read (CAP_DAC_READ_SEARCH), so a byuid file readable by
 * root alone grants as Debian's helper read it; nothing the caller names
 * can make it open anything else.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "view.h"

/* Longest bygid name kept: a group name has at most 32 characters and a
 * gid at most 10 digits; longer entries are never looked at. */
#define GROUP_NAME_MAX 40

struct ab_files {
	int dirfd;
	int subfd[AB_SUBDIRS];     /* -1: not opened yet */
	enum ab_found subdir_found[AB_SUBDIRS];
	char subdir_why[AB_SUBDIRS][AB_REASON_MAX];
	uint8_t acl[AB_ACL_MAX];
	char (*group_names)[GROUP_NAME_MAX];
	const char **group_list;
	size_t ngroups;
	int groups_read;
};

const char *const ab_subdir_names[AB_SUBDIRS] = { "byport", "byaddr", "byuid", "bygid" };

struct ab_files *ab_files_open(int dirfd)
{
	struct ab_files *f = calloc(1, sizeof(*f));
	int i;

	if (f == NULL)
		return NULL;
	f->dirfd = dirfd;
	for (i = 0; i < AB_SUBDIRS; i++)
		f->subfd[i] = -1;
	return f;
}

void ab_files_close(struct ab_files *f)
{
	int i;

	if (f == NULL)
		return;
	for (i = 0; i < AB_SUBDIRS; i++)
		if (f->subfd[i] >= 0)
			close(f->subfd[i]);
	free(f->group_names);
	free(f->group_list);
	free(f);
}

static void set_untrusted(char why[AB_REASON_MAX], const char *unsafe)
{
	snprintf(why, AB_REASON_MAX, "is %s, so it is not trusted", unsafe);
}

/* Opened once per reading, readable so that bygid can be listed. */
static enum ab_found files_subdir(void *view, enum ab_subdir d, char why[AB_REASON_MAX])
{
	struct ab_files *f = view;
	struct stat st;
	const char *unsafe;
	int fd;

	if (f->subfd[d] >= 0 || f->subdir_found[d] != AB_ABSENT) {
		if (f->subdir_found[d] == AB_UNUSABLE)
			snprintf(why, AB_REASON_MAX, "%s", f->subdir_why[d]);
		return f->subdir_found[d];
	}
	fd = openat(f->dirfd, ab_subdir_names[d],
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return AB_ABSENT;
		snprintf(why, AB_REASON_MAX, "%s",
			 errno == ELOOP || errno == ENOTDIR
				 ? "is not a directory (symlinks are not followed)"
				 : "cannot be opened");
	} else if (fstat(fd, &st) != 0) {
		snprintf(why, AB_REASON_MAX, "cannot be examined");
	} else if (*(unsafe = ab_unsafe_reason(&st)) != '\0') {
		set_untrusted(why, unsafe);
	} else {
		f->subfd[d] = fd;
		f->subdir_found[d] = AB_PRESENT;
		return AB_PRESENT;
	}
	if (fd >= 0)
		close(fd);
	f->subdir_found[d] = AB_UNUSABLE;
	snprintf(f->subdir_why[d], AB_REASON_MAX, "%s", why);
	return AB_UNUSABLE;
}

/*
 * byport and byaddr entries: only the file's existence, owner, group,
 * mode and ACL count; its contents are never read.
 */
static enum ab_found files_exec_file(void *view, enum ab_subdir d, const char *name,
				     struct ab_exec_file *out, char why[AB_REASON_MAX])
{
	struct ab_files *f = view;
	struct stat st;
	enum ab_found found = AB_UNUSABLE;
	size_t len;
	int fd = openat(f->subfd[d], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return AB_ABSENT;
		snprintf(why, AB_REASON_MAX, "cannot be opened");
		return AB_UNUSABLE;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(why, AB_REASON_MAX, "cannot be examined");
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(why, AB_REASON_MAX, "is not a regular file (symlinks are not followed)");
	} else if (ab_acl_read(fd, f->acl, sizeof(f->acl), &len) != 0) {
		snprintf(why, AB_REASON_MAX, "has an ACL that cannot be read");
	} else if (len > 0 && !ab_acl_valid(f->acl, len)) {
		snprintf(why, AB_REASON_MAX, "has an ACL of an unknown form");
	} else {
		out->uid = st.st_uid;
		out->gid = st.st_gid;
		out->mode = st.st_mode;
		out->acl = len > 0 ? f->acl : NULL;
		out->acl_len = len;
		found = AB_PRESENT;
	}
	close(fd);
	return found;
}

/*
 * byuid and bygid files: a regular file, owned by root, not writable by
 * group or other, reached without following a symlink.  A missing file is
 * looked past; one that cannot be trusted or read denies at once.
 */
static enum ab_found files_rule_file(void *view, enum ab_subdir d, const char *name,
				     ab_line_fn fn, void *ctx, int *scan,
				     char why[AB_REASON_MAX])
{
	struct ab_files *f = view;
	struct stat st;
	const char *unsafe;
	int fd;

	fd = openat(f->subfd[d], name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
				       O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return AB_ABSENT;
		if (errno == ELOOP)
			snprintf(why, AB_REASON_MAX, "is a symlink, which is not followed");
		else
			snprintf(why, AB_REASON_MAX, "cannot be opened for reading: %s",
				 strerror(errno));
		return AB_UNUSABLE;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, AB_REASON_MAX, "is not a regular file");
		close(fd);
		return AB_UNUSABLE;
	}
	if (*(unsafe = ab_unsafe_reason(&st)) != '\0') {
		set_untrusted(why, unsafe);
		close(fd);
		return AB_UNUSABLE;
	}
	*scan = ab_rule_file_scan(fd, fn, ctx);
	close(fd);
	if (*scan < 0) {
		snprintf(why, AB_REASON_MAX, "could not be read");
		return AB_UNUSABLE;
	}
	return AB_PRESENT;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Keeps the AB_GROUP_FILES_MAX smallest names of the directory, however
 * many it holds, so the choice never depends on the directory's order. */
static enum ab_found files_group_names(void *view, const char *const **names, size_t *n,
				       char why[AB_REASON_MAX])
{
	struct ab_files *f = view;
	struct dirent *e;
	DIR *dir;
	size_t count = 0, i;
	int fd;

	if (!f->groups_read) {
		f->group_names = calloc(AB_GROUP_FILES_MAX + 1, sizeof(*f->group_names));
		f->group_list = calloc(AB_GROUP_FILES_MAX, sizeof(*f->group_list));
		fd = f->group_names == NULL || f->group_list == NULL
			     ? -1 : openat(f->subfd[AB_BYGID], ".", O_RDONLY | O_DIRECTORY |
							       O_CLOEXEC);
		dir = fd < 0 ? NULL : fdopendir(fd);
		if (dir == NULL) {
			if (fd >= 0)
				close(fd);
			snprintf(why, AB_REASON_MAX, "cannot be listed");
			return AB_UNUSABLE;
		}
		while ((e = readdir(dir)) != NULL) {
			size_t len = strlen(e->d_name);

			if (e->d_name[0] == '.' || len >= GROUP_NAME_MAX ||
			    (count == AB_GROUP_FILES_MAX &&
			     strcmp(e->d_name, f->group_names[count - 1]) >= 0))
				continue;
			/* Insert in order into a list one longer than kept. */
			i = count < AB_GROUP_FILES_MAX ? count++ : AB_GROUP_FILES_MAX;
			memcpy(f->group_names[i], e->d_name, len + 1);
			while (i > 0 && compare_names(f->group_names[i - 1], f->group_names[i]) > 0) {
				char tmp[GROUP_NAME_MAX];

				memcpy(tmp, f->group_names[i], GROUP_NAME_MAX);
				memcpy(f->group_names[i], f->group_names[i - 1], GROUP_NAME_MAX);
				memcpy(f->group_names[i - 1], tmp, GROUP_NAME_MAX);
				i--;
			}
		}
		closedir(dir);
		for (i = 0; i < count; i++)
			f->group_list[i] = f->group_names[i];
		f->ngroups = count;
		f->groups_read = 1;
	}
	*names = f->group_list;
	*n = f->ngroups;
	return AB_PRESENT;
}

static int compare_entries(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int ab_files_list(struct ab_files *f, enum ab_subdir d, char ***names, size_t *n)
{
	struct dirent **list;
	int count, i;
	size_t k = 0;

	*names = NULL;
	*n = 0;
	if (f->subfd[d] < 0)
		return -1;
	count = scandirat(f->subfd[d], ".", &list, NULL, compare_entries);
	if (count < 0)
		return -1;
	*names = calloc((size_t)count + 1, sizeof(**names));
	for (i = 0; i < count; i++) {
		if (*names != NULL && strcmp(list[i]->d_name, ".") != 0 &&
		    strcmp(list[i]->d_name, "..") != 0 &&
		    ((*names)[k] = strdup(list[i]->d_name)) != NULL)
			k++;
		free(list[i]);
	}
	free(list);
	*n = k;
	return *names == NULL ? -1 : 0;
}

const struct ab_view_ops ab_files_ops = {
	files_subdir, files_exec_file, files_rule_file, files_group_names,
};
