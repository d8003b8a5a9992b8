/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The policy walk: decides one bind, looking in this order at
 *
 *   byport/PORT        execute permission grants the port on any address
 *   byaddr/ADDR,PORT   ... on that address
 *   byuid/UID, byuid/NAME, bygid/GID, bygid/NAME   rule lines
 *
 * The first byport or byaddr file that exists decides; otherwise the
 * first matching line of any rule file grants.  Anything that exists but
 * cannot be used (untrusted, unreadable, not a file) denies at once.
 *
 * The walk reads the tree through a view (view.h), the files themselves
 * or the tree read whole, so that every program that judges a bind does
 * it with this code.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "view.h"

enum lookup {
	LOOKUP_ON,      /* nothing decided here: look further */
	LOOKUP_DECIDED, /* w->d says granted or denied */
};

struct walk {
	const struct ab_view *view;
	const struct ab_caller *caller;
	const struct ab_target *target;
	struct ab_decision *d;
	const struct ab_tracer *tracer;
	int rule_files_seen;
	char seen[AB_REASON_MAX - 20]; /* their names, for the reason */
};

static void trace(const struct walk *w, const char *source, unsigned line,
		  const char *what)
{
	if (w->tracer != NULL && w->tracer->step != NULL)
		w->tracer->step(w->tracer->ctx, source, line, what);
}

static enum lookup conclude(struct walk *w, int granted, const char *source,
			    unsigned line, const char *reason)
{
	struct ab_decision *d = w->d;

	d->granted = granted;
	d->final = !granted;
	snprintf(d->source, sizeof(d->source), "%s", source);
	d->line = line;
	snprintf(d->reason, sizeof(d->reason), "%s", reason);
	trace(w, source, line, reason);
	return LOOKUP_DECIDED;
}

/* A subdirectory: absent is looked past, unusable denies at once. */
static enum ab_found enter(struct walk *w, enum ab_subdir d)
{
	char why[AB_REASON_MAX];
	enum ab_found found = w->view->ops->subdir(w->view->view, d, why);

	if (found == AB_UNUSABLE)
		conclude(w, 0, ab_subdir_names[d], 0, why);
	return found;
}

int ab_port_has_bang_names(uint16_t port)
{
	return port >= 512 && port <= 1023;
}

size_t ab_byport_names(uint16_t port, char names[][AB_EXEC_NAME_MAX])
{
	size_t n = 0;

	snprintf(names[n++], AB_EXEC_NAME_MAX, "%u", (unsigned)port);
	if (ab_port_has_bang_names(port))
		snprintf(names[n++], AB_EXEC_NAME_MAX, "!%u", (unsigned)port);
	return n;
}

/* A.B.C.D:PORT (IPv4, the old form), ADDR,PORT as inet_ntop writes the
 * address, and for IPv6 also the eight groups without leading zeros. */
size_t ab_byaddr_names(const struct ab_addr *a, uint16_t port16,
		       char names[][AB_EXEC_NAME_MAX])
{
	unsigned port = port16;
	char text[AB_ADDR_TEXT_MAX], full[AB_ADDR_TEXT_MAX];
	char bare[3][AB_EXEC_NAME_MAX - 1];
	struct ab_addr plain = *a;
	size_t nbare = 0, n = 0, i;

	plain.scope_id = 0;
	ab_addr_format(&plain, text);
	ab_addr_format_full(&plain, full);
	if (a->family == AF_INET)
		snprintf(bare[nbare++], sizeof(bare[0]), "%s:%u", text, port);
	snprintf(bare[nbare++], sizeof(bare[0]), "%s,%u", text, port);
	if (a->family == AF_INET6 && strcmp(text, full) != 0)
		snprintf(bare[nbare++], sizeof(bare[0]), "%s,%u", full, port);
	for (i = 0; i < nbare; i++) {
		memcpy(names[n++], bare[i], sizeof(bare[i]));
		if (ab_port_has_bang_names(port16)) {
			names[n][0] = '!';
			memcpy(names[n++] + 1, bare[i], sizeof(bare[i]));
		}
	}
	return n;
}

enum ab_found ab_exec_decide(const struct ab_view *v, enum ab_subdir d,
			     char names[][AB_EXEC_NAME_MAX], size_t n,
			     const struct ab_caller *c, const struct ab_tracer *tracer,
			     struct ab_decision *out)
{
	char source[AB_SOURCE_MAX], why[AB_REASON_MAX];
	struct ab_exec_file file;
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(source, sizeof(source), "%s/%s", ab_subdir_names[d], names[i]);
		switch (v->ops->exec_file(v->view, d, names[i], &file, why)) {
		case AB_ABSENT:
			if (tracer != NULL && tracer->step != NULL)
				tracer->step(tracer->ctx, source, 0, "does not exist");
			continue;
		case AB_UNUSABLE:
			out->granted = 0;
			snprintf(out->reason, sizeof(out->reason), "%s", why);
			break;
		case AB_PRESENT:
			out->granted = ab_exec_allowed(&file, c);
			snprintf(out->reason, sizeof(out->reason), "%s",
				 out->granted ? "is executable by the caller"
					      : "exists but is not executable by the caller");
			break;
		}
		out->final = !out->granted;
		out->line = 0;
		snprintf(out->source, sizeof(out->source), "%s", source);
		return AB_PRESENT;
	}
	return AB_ABSENT;
}

/*
 * byport and byaddr: the first of the names that exists decides by its
 * execute permission for the caller.
 */
static enum lookup check_exec_names(struct walk *w, enum ab_subdir d,
				    char names[][AB_EXEC_NAME_MAX], size_t n)
{
	struct ab_decision found;

	if (ab_exec_decide(w->view, d, names, n, w->caller, w->tracer, &found) == AB_ABSENT)
		return LOOKUP_ON;
	return conclude(w, found.granted, found.source, 0, found.reason);
}

static enum lookup check_byport(struct walk *w)
{
	char names[AB_EXEC_NAMES_MAX][AB_EXEC_NAME_MAX];
	enum ab_found found = enter(w, AB_BYPORT);

	if (found != AB_PRESENT)
		return found == AB_ABSENT ? LOOKUP_ON : LOOKUP_DECIDED;
	return check_exec_names(w, AB_BYPORT, names,
				ab_byport_names(w->target->port, names));
}

static enum lookup check_byaddr(struct walk *w)
{
	char names[AB_EXEC_NAMES_MAX][AB_EXEC_NAME_MAX];
	enum ab_found found = enter(w, AB_BYADDR);

	if (found != AB_PRESENT)
		return found == AB_ABSENT ? LOOKUP_ON : LOOKUP_DECIDED;
	return check_exec_names(w, AB_BYADDR, names,
				ab_byaddr_names(&w->target->addr, w->target->port, names));
}

struct match {
	const struct ab_target *target;
	unsigned line; /* the first matching line, or 0 */
};

static int match_line(void *ctx, unsigned lineno, enum ab_line_kind kind,
		      const struct ab_rule *rule, const char *text, size_t len)
{
	struct match *m = ctx;

	(void)text;
	(void)len;
	if (kind == AB_LINE_RULE &&
	    ab_rule_matches(rule, &m->target->addr, m->target->port, m->target->proto)) {
		m->line = lineno;
		return 1;
	}
	return 0;
}

/* Adds a rule file's name to the list the final reason names, or "..."
 * once when it no longer fits: never cut without a sign. */
static void note_seen(struct walk *w, const char *source)
{
	size_t used = strlen(w->seen), len = strlen(source);

	if (used > 3 && strcmp(w->seen + used - 3, "...") == 0)
		return;
	if (used + len + 2 + 5 < sizeof(w->seen))
		snprintf(w->seen + used, sizeof(w->seen) - used, "%s%s",
			 used > 0 ? ", " : "", source);
	else
		snprintf(w->seen + used, sizeof(w->seen) - used, ", ...");
}

/* One rule file: a match grants; no match looks further. */
static enum lookup check_rule_file(struct walk *w, enum ab_subdir d, const char *name)
{
	char source[AB_SOURCE_MAX], why[AB_REASON_MAX];
	struct match m = { w->target, 0 };
	int scan = 0;

	snprintf(source, sizeof(source), "%s/%s", ab_subdir_names[d], name);
	switch (w->view->ops->rule_file(w->view->view, d, name, match_line, &m, &scan, why)) {
	case AB_ABSENT:
		trace(w, source, 0, "does not exist");
		return LOOKUP_ON;
	case AB_UNUSABLE:
		return conclude(w, 0, source, 0, why);
	case AB_PRESENT:
		break;
	}
	w->rule_files_seen++;
	if (m.line != 0)
		return conclude(w, 1, source, m.line, "matches");
	snprintf(w->d->source, sizeof(w->d->source), "%s", source);
	note_seen(w, source);
	trace(w, source, 0, "has no matching line");
	return LOOKUP_ON;
}

static enum lookup check_byuid(struct walk *w)
{
	const struct ab_caller *c = w->caller;
	const char *user;
	char name[16];
	enum ab_found found = enter(w, AB_BYUID);

	if (found != AB_PRESENT)
		return found == AB_ABSENT ? LOOKUP_ON : LOOKUP_DECIDED;
	snprintf(name, sizeof(name), "%u", (unsigned)c->uid);
	if (check_rule_file(w, AB_BYUID, name) == LOOKUP_DECIDED)
		return LOOKUP_DECIDED;
	if (ab_port_has_bang_names(w->target->port)) {
		snprintf(name, sizeof(name), "!%u", (unsigned)c->uid);
		if (check_rule_file(w, AB_BYUID, name) == LOOKUP_DECIDED)
			return LOOKUP_DECIDED;
	}
	user = c->user_name != NULL ? c->user_name :
	       c->user_name_of != NULL ? c->user_name_of(c->uid) : NULL;
	if (user != NULL && ab_name_valid(user))
		return check_rule_file(w, AB_BYUID, user);
	return LOOKUP_ON;
}

int ab_group_of_entry(const struct ab_caller *c, const char *name, gid_t *gid)
{
	unsigned long v;

	if (ab_number_parse(name, strlen(name), (gid_t)-2, &v) == 0) {
		*gid = (gid_t)v;
		return 0;
	}
	if (!ab_name_valid(name) || c->group_by_name == NULL)
		return -1;
	return c->group_by_name(name, gid);
}

/* bygid/GID and bygid/NAME: the lines of every group the caller is in,
 * primary or supplementary, in the order of the names. */
static enum lookup check_bygid(struct walk *w)
{
	const char *const *names;
	char why[AB_REASON_MAX];
	size_t n, i;
	enum ab_found found = enter(w, AB_BYGID);

	if (found != AB_PRESENT)
		return found == AB_ABSENT ? LOOKUP_ON : LOOKUP_DECIDED;
	if (w->view->ops->group_names(w->view->view, &names, &n, why) != AB_PRESENT)
		return conclude(w, 0, "bygid", 0, why);
	for (i = 0; i < n; i++) {
		gid_t gid;

		if (ab_group_of_entry(w->caller, names[i], &gid) != 0 ||
		    !ab_caller_in_group(w->caller, gid))
			continue;
		if (check_rule_file(w, AB_BYGID, names[i]) == LOOKUP_DECIDED)
			return LOOKUP_DECIDED;
	}
	return LOOKUP_ON;
}

void ab_walk(const struct ab_view *v, const struct ab_caller *c,
	     const struct ab_target *t, struct ab_decision *d,
	     const struct ab_tracer *tracer)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.view = v;
	w.caller = c;
	w.target = t;
	w.d = d;
	w.tracer = tracer;

	memset(d, 0, sizeof(*d));
	/* Root binds by its own privilege (CAP_NET_BIND_SERVICE) or was
	 * meant not to: no enforcer gives root what it lacks. */
	if (c->uid == 0) {
		conclude(&w, 0, "", 0, "uid 0 binds by its own privilege; the policy grants "
			 "root nothing");
		return;
	}
	if (check_byport(&w) == LOOKUP_DECIDED || check_byaddr(&w) == LOOKUP_DECIDED ||
	    check_byuid(&w) == LOOKUP_DECIDED || check_bygid(&w) == LOOKUP_DECIDED)
		return;
	d->granted = 0;
	d->final = 0;
	d->line = 0;
	if (w.rule_files_seen == 1) {
		snprintf(d->reason, sizeof(d->reason), "has no line that matches");
	} else if (w.rule_files_seen > 1) {
		d->source[0] = '\0';
		snprintf(d->reason, sizeof(d->reason), "no line of %s matches", w.seen);
	} else {
		d->source[0] = '\0';
		snprintf(d->reason, sizeof(d->reason),
			 "no byport, byaddr, byuid or bygid file grants it");
	}
}

void ab_policy_decide(int dirfd, const struct ab_caller *c,
		      const struct ab_target *t, struct ab_decision *d,
		      const struct ab_tracer *tracer)
{
	struct ab_files *files = ab_files_open(dirfd);
	struct ab_view view = { &ab_files_ops, files };

	if (files == NULL) {
		memset(d, 0, sizeof(*d));
		d->final = 1;
		snprintf(d->source, sizeof(d->source), "%s", "");
		snprintf(d->reason, sizeof(d->reason), "out of memory");
		return;
	}
	ab_walk(&view, c, t, d, tracer);
	ab_files_close(files);
}

int ab_policy_open(const char *path, struct ab_decision *d)
{
	struct stat st;
	const char *unsafe;
	int fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	memset(d, 0, sizeof(*d));
	d->final = 1;
	snprintf(d->source, sizeof(d->source), "%s", path);
	if (fd < 0) {
		snprintf(d->reason, sizeof(d->reason), "cannot be opened: %s%s",
			 strerror(errno), errno == ELOOP ? " (symlinks are not followed)" : "");
		return -1;
	}
	unsafe = fstat(fd, &st) == 0 ? ab_unsafe_reason(&st) : "cannot be examined";
	if (*unsafe != '\0') {
		snprintf(d->reason, sizeof(d->reason), "is %s, so it is not trusted", unsafe);
		close(fd);
		return -1;
	}
	return fd;
}
