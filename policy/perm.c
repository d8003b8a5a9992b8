/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who may use a policy file: the trust rules for directories and rule
 * files, and the execute permission that byport and byaddr files grant.
 *
 * Execute permission is judged here, not by access(2), so that every
 * reader of the policy answers for any caller the same way: the helper
 * for its caller, --explain and --list for the user asked about, and
 * authbindd for every user at once.  It follows the kernel's own order
 * (fs/namei.c acl_permission_check, fs/posix_acl.c posix_acl_permission)
 * step by step, POSIX ACLs included, and a test compares it with access(2)
 * on real files for many modes, ACLs and callers.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

#include "policy.h"

/* The on-disk form of system.posix_acl_access (linux/posix_acl_xattr.h):
 * a little-endian header of version 2, then 8-byte entries. */
#define ACL_XATTR "system.posix_acl_access"
#define ACL_VERSION 2
#define ACL_HEADER 4
#define ACL_ENTRY 8
#define TAG_USER_OBJ 0x01
#define TAG_USER 0x02
#define TAG_GROUP_OBJ 0x04
#define TAG_GROUP 0x08
#define TAG_MASK 0x10
#define TAG_OTHER 0x20
#define PERM_EXEC 0x01

struct acl_entry {
	unsigned tag, perm;
	uint32_t id;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void acl_entry_at(const struct ab_exec_file *f, size_t i, struct acl_entry *e)
{
	const uint8_t *p = f->acl + ACL_HEADER + i * ACL_ENTRY;

	e->tag = (unsigned)(p[0] | p[1] << 8);
	e->perm = (unsigned)(p[2] | p[3] << 8);
	e->id = le32(p + 4);
}

static size_t acl_count(const struct ab_exec_file *f)
{
	return (f->acl_len - ACL_HEADER) / ACL_ENTRY;
}

int ab_acl_valid(const uint8_t *acl, size_t len)
{
	return len >= ACL_HEADER && (len - ACL_HEADER) % ACL_ENTRY == 0 &&
	       le32(acl) == ACL_VERSION;
}

int ab_caller_in_group(const struct ab_caller *c, gid_t gid)
{
	size_t i;

	if (c->gid == gid)
		return 1;
	for (i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return 1;
	return 0;
}

/* posix_acl_permission for MAY_EXEC: the entry that applies to the
 * caller, limited by the mask entry after it where one applies.  Returns
 * 1 or 0; an entry of an unknown kind denies (the kernel says EIO). */
static int acl_allows_exec(const struct ab_exec_file *f, const struct ab_caller *c)
{
	size_t n = acl_count(f), i, k;
	struct acl_entry e, m;
	int found = 0;

	for (i = 0; i < n; i++) {
		acl_entry_at(f, i, &e);
		switch (e.tag) {
		case TAG_USER_OBJ:
			if (c->uid == f->uid)
				return (e.perm & PERM_EXEC) != 0;
			continue;
		case TAG_USER:
			if (e.id == c->uid)
				break;
			continue;
		case TAG_GROUP_OBJ:
		case TAG_GROUP:
			if (!ab_caller_in_group(c, e.tag == TAG_GROUP ? e.id : f->gid))
				continue;
			found = 1;
			if (e.perm & PERM_EXEC)
				break;
			continue;
		case TAG_MASK:
			continue;
		case TAG_OTHER:
			return !found && (e.perm & PERM_EXEC) != 0;
		default:
			return 0;
		}
		/* The entry applies: the mask after it, if any, limits it. */
		for (k = i + 1; k < n; k++) {
			acl_entry_at(f, k, &m);
			if (m.tag == TAG_MASK)
				return (e.perm & m.perm & PERM_EXEC) != 0;
		}
		return (e.perm & PERM_EXEC) != 0;
	}
	return 0;
}

int ab_exec_allowed(const struct ab_exec_file *f, const struct ab_caller *c)
{
	mode_t mode = f->mode;

	/* Root passes if anyone may execute (generic_permission). */
	if (c->uid == 0)
		return (mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
	/* The owner: the owner bits alone, ACL or not. */
	if (c->uid == f->uid)
		return (mode & S_IXUSR) != 0;
	/* An ACL is consulted only when the group class (its mask) is not
	 * empty; an unreadable one denies. */
	if (f->acl != NULL && (mode & S_IRWXG)) {
		if (!ab_acl_valid(f->acl, f->acl_len))
			return 0;
		return acl_allows_exec(f, c);
	}
	/* The group bits only when they differ from the other bits and the
	 * caller is in the file's group. */
	if (((mode >> 3) ^ mode) & S_IXOTH && ab_caller_in_group(c, f->gid))
		return (mode & S_IXGRP) != 0;
	return (mode & S_IXOTH) != 0;
}

int ab_exec_file_groups(const struct ab_exec_file *f, ab_gid_fn fn, void *ctx)
{
	struct acl_entry e;
	size_t i;
	int r;

	if (f->acl != NULL && (f->mode & S_IRWXG) && ab_acl_valid(f->acl, f->acl_len)) {
		for (i = 0; i < acl_count(f); i++) {
			acl_entry_at(f, i, &e);
			if (e.tag == TAG_GROUP_OBJ && (r = fn(ctx, f->gid)) != 0)
				return r;
			if (e.tag == TAG_GROUP && (r = fn(ctx, (gid_t)e.id)) != 0)
				return r;
		}
		return 0;
	}
	if (((f->mode >> 3) ^ f->mode) & S_IXOTH)
		return fn(ctx, f->gid);
	return 0;
}

int ab_exec_file_users(const struct ab_exec_file *f, ab_uid_fn fn, void *ctx)
{
	struct acl_entry e;
	size_t i;
	int r;

	if ((r = fn(ctx, f->uid)) != 0)
		return r;
	if (f->acl == NULL || !(f->mode & S_IRWXG) || !ab_acl_valid(f->acl, f->acl_len))
		return 0;
	for (i = 0; i < acl_count(f); i++) {
		acl_entry_at(f, i, &e);
		if (e.tag == TAG_USER && (r = fn(ctx, (uid_t)e.id)) != 0)
			return r;
	}
	return 0;
}

int ab_acl_read(int fd, uint8_t *buf, size_t size, size_t *len)
{
	char path[40];
	ssize_t n;

	/* An O_PATH descriptor has no fgetxattr(2); its /proc/self/fd link
	 * names the very file it was opened on, so nothing can be swapped. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = getxattr(path, ACL_XATTR, buf, size);
	if (n < 0) {
		if (errno == ENODATA || errno == EOPNOTSUPP) {
			*len = 0;
			return 0;
		}
		return -1;
	}
	*len = (size_t)n;
	return 0;
}

const char *ab_unsafe_reason(const struct stat *st)
{
	if (st->st_uid != 0)
		return "not owned by root";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or other";
	return "";
}
