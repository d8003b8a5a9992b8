/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The policy tree read whole: every entry of every subdirectory, judged
 * by files.c exactly as the walk would judge it for one bind, and kept in
 * memory.  The walk (lookup.c) then runs on it through the same view, so a
 * decision on the loaded tree is a decision on the files.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tree.h"
#include "view.h"

struct line {
	unsigned lineno;
	enum ab_line_kind kind;
	struct ab_rule rule;
	char *text; /* malformed lines only */
	size_t len;
};

struct entry {
	char *name;
	enum ab_found found;
	char *why;
	int examined;
	struct stat st;
	struct ab_exec_file exec; /* byport, byaddr */
	uint8_t *acl;             /* exec.acl, owned */
	struct line *lines;       /* byuid, bygid */
	size_t nlines;
};

struct subdir {
	enum ab_found found;
	char why[AB_REASON_MAX];
	struct entry *entries; /* sorted by name */
	size_t n;
	/* bygid: the names the walk looks at */
	enum ab_found groups_found;
	char groups_why[AB_REASON_MAX];
	const char **group_names;
	size_t ngroups;
};

struct ab_tree {
	struct stat st;
	gid_t *relevant;
	size_t nrelevant;
	struct entry *top; /* the policy directory's entries: name and lstat */
	size_t ntop;
	struct subdir sub[AB_SUBDIRS];
};

static void free_entry(struct entry *e)
{
	size_t i;

	free(e->name);
	free(e->why);
	free(e->acl);
	for (i = 0; i < e->nlines; i++)
		free(e->lines[i].text);
	free(e->lines);
}

void ab_tree_free(struct ab_tree *t)
{
	size_t i;
	int d;

	if (t == NULL)
		return;
	for (d = 0; d < AB_SUBDIRS; d++) {
		for (i = 0; i < t->sub[d].n; i++)
			free_entry(&t->sub[d].entries[i]);
		free(t->sub[d].entries);
		free(t->sub[d].group_names);
	}
	for (i = 0; i < t->ntop; i++)
		free_entry(&t->top[i]);
	free(t->top);
	free(t->relevant);
	free(t);
}

struct collect {
	struct entry *e;
	size_t cap;
	int failed;
};

static int collect_line(void *ctx, unsigned lineno, enum ab_line_kind kind,
			const struct ab_rule *rule, const char *text, size_t len)
{
	struct collect *c = ctx;
	struct line *l;

	if (kind == AB_LINE_BLANK)
		return 0;
	if (c->e->nlines == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct line *lines = realloc(c->e->lines, cap * sizeof(*lines));

		if (lines == NULL) {
			c->failed = 1;
			return -1;
		}
		c->e->lines = lines;
		c->cap = cap;
	}
	l = &c->e->lines[c->e->nlines++];
	memset(l, 0, sizeof(*l));
	l->lineno = lineno;
	l->kind = kind;
	if (rule != NULL)
		l->rule = *rule;
	if (kind == AB_LINE_MALFORMED && (l->text = malloc(len + 1)) != NULL) {
		memcpy(l->text, text, len);
		l->text[len] = '\0';
		l->len = len;
	}
	return 0;
}

/* Judges one entry as the walk would, and keeps the answer. */
static int load_entry(struct ab_files *files, int subfd, enum ab_subdir d,
		      struct entry *e)
{
	char why[AB_REASON_MAX];
	struct ab_exec_file f;
	struct collect c = { e, 0, 0 };
	int scan = 0;

	e->examined = fstatat(subfd, e->name, &e->st, AT_SYMLINK_NOFOLLOW) == 0;
	if (d == AB_BYPORT || d == AB_BYADDR) {
		e->found = ab_files_ops.exec_file(files, d, e->name, &f, why);
		if (e->found == AB_PRESENT) {
			e->exec = f;
			if (f.acl != NULL) {
				if ((e->acl = malloc(f.acl_len)) == NULL)
					return -1;
				memcpy(e->acl, f.acl, f.acl_len);
				e->exec.acl = e->acl;
			}
		}
	} else {
		e->found = ab_files_ops.rule_file(files, d, e->name, collect_line, &c,
						  &scan, why);
		if (c.failed)
			return -1;
	}
	if (e->found == AB_UNUSABLE && (e->why = strdup(why)) == NULL)
		return -1;
	return 0;
}

static int load_subdir(struct ab_tree *t, struct ab_files *files, int dirfd,
		       enum ab_subdir d)
{
	struct subdir *s = &t->sub[d];
	char **names = NULL;
	size_t n = 0, i, k = 0;
	int subfd, ret = 0;

	s->found = ab_files_ops.subdir(files, d, s->why);
	if (s->found != AB_PRESENT)
		return 0;
	if (ab_files_list(files, d, &names, &n) != 0) {
		s->found = AB_UNUSABLE;
		snprintf(s->why, sizeof(s->why), "cannot be listed");
		return 0;
	}
	subfd = openat(dirfd, ab_subdir_names[d], O_PATH | O_DIRECTORY | O_NOFOLLOW |
						  O_CLOEXEC);
	s->entries = calloc(n + 1, sizeof(*s->entries));
	if (s->entries == NULL || subfd < 0)
		ret = -1;
	for (i = 0; i < n; i++) {
		if (ret == 0) {
			s->entries[k].name = names[i];
			names[i] = NULL;
			if (load_entry(files, subfd, d, &s->entries[k]) != 0)
				ret = -1;
			/* Gone since it was listed: as if never there. */
			if (s->entries[k].found == AB_ABSENT)
				free_entry(&s->entries[k]);
			else
				k++;
		}
		free(names[i]);
	}
	free(names);
	s->n = k;
	if (subfd >= 0)
		close(subfd);
	if (ret == 0 && d == AB_BYGID) {
		const char *const *groups;
		size_t ng;

		s->groups_found = ab_files_ops.group_names(files, &groups, &ng, s->groups_why);
		if (s->groups_found == AB_PRESENT) {
			s->group_names = calloc(ng + 1, sizeof(*s->group_names));
			if (s->group_names == NULL)
				return -1;
			/* Point at the names kept in entries: the walk's list and
			 * the entries then live and die together. */
			for (i = 0; i < ng; i++) {
				size_t lo = 0, hi = s->n;

				while (lo < hi) {
					size_t mid = (lo + hi) / 2;
					int c = strcmp(s->entries[mid].name, groups[i]);

					if (c == 0) {
						lo = mid;
						break;
					}
					if (c < 0)
						lo = mid + 1;
					else
						hi = mid;
				}
				if (lo < s->n && strcmp(s->entries[lo].name, groups[i]) == 0)
					s->group_names[s->ngroups++] = s->entries[lo].name;
			}
		}
	}
	return ret;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static int load_top(struct ab_tree *t, const char *path)
{
	DIR *dir;
	struct dirent *e;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return 0; /* only --check-config's list of strangers is lost */
	}
	while ((e = readdir(dir)) != NULL) {
		struct entry *top;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		top = realloc(t->top, (t->ntop + 1) * sizeof(*t->top));
		if (top == NULL) {
			closedir(dir);
			return -1;
		}
		t->top = top;
		top = &t->top[t->ntop];
		memset(top, 0, sizeof(*top));
		if ((top->name = strdup(e->d_name)) == NULL) {
			closedir(dir);
			return -1;
		}
		top->examined = fstatat(dirfd(dir), top->name, &top->st, AT_SYMLINK_NOFOLLOW) == 0;
		t->ntop++;
	}
	closedir(dir);
	if (t->ntop > 0)
		qsort(t->top, t->ntop, sizeof(*t->top), compare_entries);
	return 0;
}

struct ab_tree *ab_tree_load(const char *path, char *err, size_t errsize)
{
	struct ab_tree *t = calloc(1, sizeof(*t));
	struct ab_decision d;
	struct ab_files *files = NULL;
	int dirfd = -1, i, ret = -1;

	if (t == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	dirfd = ab_policy_open(path, &d);
	if (dirfd < 0) {
		snprintf(err, errsize, "%s %s", d.source, d.reason);
		free(t);
		return NULL;
	}
	if (fstat(dirfd, &t->st) == 0 && (files = ab_files_open(dirfd)) != NULL &&
	    load_top(t, path) == 0) {
		ret = 0;
		for (i = 0; i < AB_SUBDIRS && ret == 0; i++)
			ret = load_subdir(t, files, dirfd, (enum ab_subdir)i);
	}
	ab_files_close(files);
	close(dirfd);
	if (ret == 0)
		ret = ab_relevant_gids(t, &t->relevant, &t->nrelevant);
	if (ret != 0) {
		snprintf(err, errsize, "%s cannot be read: %s", path,
			 errno ? strerror(errno) : "out of memory");
		ab_tree_free(t);
		return NULL;
	}
	return t;
}

/* ---- the loaded tree as a view for the walk ---- */

static const struct entry *find(const struct subdir *s, const char *name)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->entries[mid].name, name);

		if (c == 0)
			return &s->entries[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static enum ab_found tree_subdir(void *view, enum ab_subdir d, char why[AB_REASON_MAX])
{
	const struct ab_tree *t = view;

	if (t->sub[d].found == AB_UNUSABLE)
		snprintf(why, AB_REASON_MAX, "%s", t->sub[d].why);
	return t->sub[d].found;
}

static enum ab_found tree_exec_file(void *view, enum ab_subdir d, const char *name,
				    struct ab_exec_file *f, char why[AB_REASON_MAX])
{
	const struct entry *e = find(&((const struct ab_tree *)view)->sub[d], name);

	if (e == NULL)
		return AB_ABSENT;
	if (e->found == AB_UNUSABLE)
		snprintf(why, AB_REASON_MAX, "%s", e->why);
	else
		*f = e->exec;
	return e->found;
}

static int scan_lines(const struct entry *e, ab_line_fn fn, void *ctx)
{
	size_t i;
	int r;

	for (i = 0; i < e->nlines; i++) {
		const struct line *l = &e->lines[i];

		r = fn(ctx, l->lineno, l->kind, l->kind == AB_LINE_RULE ? &l->rule : NULL,
		       l->text != NULL ? l->text : "", l->len);
		if (r != 0)
			return r;
	}
	return 0;
}

static enum ab_found tree_rule_file(void *view, enum ab_subdir d, const char *name,
				    ab_line_fn fn, void *ctx, int *scan,
				    char why[AB_REASON_MAX])
{
	const struct entry *e = find(&((const struct ab_tree *)view)->sub[d], name);

	if (e == NULL)
		return AB_ABSENT;
	if (e->found == AB_UNUSABLE) {
		snprintf(why, AB_REASON_MAX, "%s", e->why);
		return AB_UNUSABLE;
	}
	*scan = scan_lines(e, fn, ctx);
	return AB_PRESENT;
}

static enum ab_found tree_group_names(void *view, const char *const **names, size_t *n,
				      char why[AB_REASON_MAX])
{
	const struct subdir *s = &((const struct ab_tree *)view)->sub[AB_BYGID];

	if (s->groups_found != AB_PRESENT) {
		snprintf(why, AB_REASON_MAX, "%s", s->groups_why);
		return s->groups_found;
	}
	*names = s->group_names;
	*n = s->ngroups;
	return AB_PRESENT;
}

static const struct ab_view_ops tree_ops = {
	tree_subdir, tree_exec_file, tree_rule_file, tree_group_names,
};

void ab_tree_as_view(const struct ab_tree *t, struct ab_view *v)
{
	v->ops = &tree_ops;
	/* The view's functions only read: the const goes unchecked by the
	 * compiler through the void pointer, not unkept. */
	memcpy(&v->view, &t, sizeof(v->view));
}

size_t ab_tree_count(const struct ab_tree *t, enum ab_subdir d)
{
	return t->sub[d].found == AB_PRESENT ? t->sub[d].n : 0;
}

const char *ab_tree_name(const struct ab_tree *t, enum ab_subdir d, size_t i)
{
	return t->sub[d].entries[i].name;
}

size_t ab_tree_relevant_gids(const struct ab_tree *t, const gid_t **gids)
{
	*gids = t->relevant;
	return t->nrelevant;
}

void ab_tree_decide(const struct ab_tree *t, const struct ab_caller *c,
		    const struct ab_target *target, struct ab_decision *d,
		    const struct ab_tracer *tracer)
{
	struct ab_view view;

	ab_tree_as_view(t, &view);
	ab_walk(&view, c, target, d, tracer);
}

/* ---- for --check-config ---- */

int ab_tree_entries(const struct ab_tree *t, ab_entry_fn fn, void *ctx)
{
	struct ab_tree_entry out;
	size_t i;
	int d, r;

	for (i = 0; i < t->ntop; i++) {
		memset(&out, 0, sizeof(out));
		out.name = t->top[i].name;
		out.usable = 1;
		out.examined = t->top[i].examined;
		out.st = t->top[i].st;
		for (d = 0; d < AB_SUBDIRS; d++) {
			if (strcmp(out.name, ab_subdir_names[d]) == 0 &&
			    t->sub[d].found == AB_UNUSABLE) {
				out.usable = 0;
				out.why = t->sub[d].why;
			}
		}
		if ((r = fn(ctx, &out)) != 0)
			return r;
	}
	for (d = 0; d < AB_SUBDIRS; d++) {
		for (i = 0; i < t->sub[d].n; i++) {
			const struct entry *e = &t->sub[d].entries[i];

			memset(&out, 0, sizeof(out));
			out.dir = ab_subdir_names[d];
			out.name = e->name;
			out.usable = e->found == AB_PRESENT;
			out.why = e->why;
			out.examined = e->examined;
			out.st = e->st;
			if (out.usable && (d == AB_BYPORT || d == AB_BYADDR))
				out.exec = &e->exec;
			out.rule_file = out.usable && (d == AB_BYUID || d == AB_BYGID);
			if ((r = fn(ctx, &out)) != 0)
				return r;
		}
	}
	return 0;
}

int ab_tree_lines(const struct ab_tree *t, const char *dir, const char *name,
		  ab_line_fn fn, void *ctx)
{
	const struct entry *e = NULL;
	int d;

	for (d = 0; d < AB_SUBDIRS; d++)
		if (strcmp(dir, ab_subdir_names[d]) == 0)
			e = find(&t->sub[d], name);
	if (e == NULL || e->found != AB_PRESENT)
		return -1;
	return scan_lines(e, fn, ctx);
}

const struct stat *ab_tree_stat(const struct ab_tree *t)
{
	return &t->st;
}
