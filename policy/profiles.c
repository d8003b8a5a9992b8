/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whom a tree can treat differently, for authbindd, which must compile
 * the policy for every process before any of them binds: one profile per
 * uid that some file, line or name of the tree or /etc/passwd singles
 * out, with the groups a login of that user gets (its primary group and
 * its groups in /etc/group), and one profile for every other uid.  And
 * the groups whose membership can change a decision, so that kernel mode
 * can see whether a process's real groups are the ones it assumed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tree.h"
#include "view.h"

struct ids {
	uint32_t *v;
	size_t n, cap;
	int failed;
};

static int add_id(void *ctx, uint32_t id)
{
	struct ids *s = ctx;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		uint32_t *v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL) {
			s->failed = 1;
			return -1;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = id;
	return 0;
}

static int add_uid(void *ctx, uid_t uid)
{
	return add_id(ctx, (uint32_t)uid);
}

static int add_gid(void *ctx, gid_t gid)
{
	return add_id(ctx, (uint32_t)gid);
}

static int compare_ids(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts and drops repeats. */
static void settle(struct ids *s)
{
	size_t i, k = 0;

	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof(*s->v), compare_ids);
	for (i = 1; i < s->n; i++)
		if (s->v[i] != s->v[k])
			s->v[++k] = s->v[i];
	s->n = k + 1;
}

static int contains(const struct ids *s, uint32_t id)
{
	return bsearch(&id, s->v, s->n, sizeof(*s->v), compare_ids) != NULL;
}

/* Calls back for each byport and byaddr file the walk could judge. */
static void each_exec_file(const struct ab_tree *t, void (*fn)(void *, const struct ab_exec_file *),
			   void *ctx)
{
	static const enum ab_subdir dirs[] = { AB_BYPORT, AB_BYADDR };
	char why[AB_REASON_MAX];
	struct ab_view view;
	size_t i, k;

	ab_tree_as_view(t, &view);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < ab_tree_count(t, dirs[k]); i++) {
			struct ab_exec_file f;

			if (view.ops->exec_file(view.view, dirs[k], ab_tree_name(t, dirs[k], i),
						&f, why) == AB_PRESENT)
				fn(ctx, &f);
		}
	}
}

static void exec_groups(void *ctx, const struct ab_exec_file *f)
{
	ab_exec_file_groups(f, add_gid, ctx);
}

static void exec_users(void *ctx, const struct ab_exec_file *f)
{
	ab_exec_file_users(f, add_uid, ctx);
}

int ab_relevant_gids(const struct ab_tree *t, gid_t **gids, size_t *n)
{
	struct ids s = { NULL, 0, 0, 0 };
	struct ab_caller names;
	const char *const *groups;
	char why[AB_REASON_MAX];
	struct ab_view view;
	size_t i, ng;

	each_exec_file(t, exec_groups, &s);
	ab_tree_as_view(t, &view);
	memset(&names, 0, sizeof(names));
	names.group_by_name = ab_group_id_of;
	if (view.ops->subdir(view.view, AB_BYGID, why) == AB_PRESENT &&
	    view.ops->group_names(view.view, &groups, &ng, why) == AB_PRESENT) {
		for (i = 0; i < ng; i++) {
			gid_t gid;

			if (ab_group_of_entry(&names, groups[i], &gid) == 0)
				add_gid(&s, gid);
		}
	}
	if (s.failed) {
		free(s.v);
		return -1;
	}
	settle(&s);
	*gids = (gid_t *)s.v;
	*n = s.n;
	return 0;
}

/* The groups a login of user gets: its primary group, and every group of
 * /etc/group that lists it. */
static int login_groups(const struct ab_user *user, struct ids *out)
{
	const struct ab_group *groups;
	size_t n, i, k;

	out->n = 0;
	add_gid(out, user->gid);
	if (ab_groups(&groups, &n) != 0)
		return 0; /* no /etc/group: the primary group alone */
	for (i = 0; i < n; i++)
		for (k = 0; k < groups[i].nmembers; k++)
			if (strcmp(groups[i].members[k], user->name) == 0)
				add_gid(out, groups[i].gid);
	settle(out);
	return out->failed ? -1 : 0;
}

int ab_login_caller(uid_t uid, struct ab_caller *c, gid_t *groups, size_t max)
{
	const struct ab_user *users;
	struct ids g = { NULL, 0, 0, 0 };
	size_t n, i;

	memset(c, 0, sizeof(*c));
	c->uid = uid;
	c->gid = (gid_t)-1; /* no passwd entry: no group known */
	c->groups = groups;
	c->group_by_name = ab_group_id_of;
	if (ab_users(&users, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (users[i].uid != uid)
			continue;
		if (login_groups(&users[i], &g) != 0 || g.n > max) {
			free(g.v);
			return -1;
		}
		memcpy(groups, g.v, g.n * sizeof(*groups));
		c->gid = users[i].gid;
		c->ngroups = g.n;
		c->user_name = users[i].name;
		break;
	}
	free(g.v);
	return 0;
}

int ab_tree_same_groups(const struct ab_tree *t, const struct ab_caller *a,
			const struct ab_caller *b, gid_t *differ)
{
	const gid_t *gids;
	size_t n = ab_tree_relevant_gids(t, &gids), i;

	for (i = 0; i < n; i++) {
		if (ab_caller_in_group(a, gids[i]) != ab_caller_in_group(b, gids[i])) {
			*differ = gids[i];
			return 0;
		}
	}
	return 1;
}

int ab_tree_profiles(const struct ab_tree *t, ab_profile_fn fn, void *ctx)
{
	struct ids uids = { NULL, 0, 0, 0 }, groups = { NULL, 0, 0, 0 };
	const struct ab_user *users;
	struct ab_caller c;
	size_t nusers = 0, i, k;
	uid_t other;
	int ret = 0;

	if (ab_users(&users, &nusers) != 0)
		nusers = 0;
	for (i = 0; i < nusers; i++)
		add_uid(&uids, users[i].uid);
	each_exec_file(t, exec_users, &uids);
	for (i = 0; i < ab_tree_count(t, AB_BYUID); i++) {
		const char *name = ab_tree_name(t, AB_BYUID, i);
		unsigned long v;

		name += name[0] == '!';
		if (ab_number_parse(name, strlen(name), (uid_t)-2, &v) == 0)
			add_uid(&uids, (uid_t)v);
	}
	if (uids.failed) {
		free(uids.v);
		return -1;
	}
	settle(&uids);

	for (i = 0; i < uids.n && ret == 0; i++) {
		const struct ab_user *user = NULL;

		if (uids.v[i] == 0)
			continue; /* root is granted nothing */
		for (k = 0; k < nusers && user == NULL; k++)
			if (users[k].uid == uids.v[i])
				user = &users[k];
		memset(&c, 0, sizeof(c));
		c.uid = (uid_t)uids.v[i];
		c.gid = (gid_t)-1; /* no passwd entry: no group known */
		c.group_by_name = ab_group_id_of;
		if (user != NULL) {
			if (login_groups(user, &groups) != 0) {
				ret = -1;
				break;
			}
			c.gid = user->gid;
			c.groups = (const gid_t *)groups.v;
			c.ngroups = groups.n;
			c.user_name = user->name;
		}
		ret = fn(ctx, c.uid, &c);
	}
	if (ret == 0) {
		/* A uid nothing names stands for all of them. */
		for (other = 2147483646; other > 0 && contains(&uids, (uint32_t)other); other--)
			;
		memset(&c, 0, sizeof(c));
		c.uid = other;
		c.gid = (gid_t)-1;
		c.group_by_name = ab_group_id_of;
		ret = fn(ctx, AB_UID_OTHER, &c);
	}
	free(uids.v);
	free(groups.v);
	return ret;
}
