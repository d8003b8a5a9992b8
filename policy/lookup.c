/*
 * The policy tree, walked for one bind:
 *
 *   byport/PORT        execute permission grants the port on any address
 *   byaddr/ADDR,PORT   ... on that address
 *   byuid/UID, byuid/NAME, bygid/GID, bygid/NAME   rule lines
 *
 * Each directory and file is opened once with O_NOFOLLOW and judged on
 * its descriptor, so nothing can be swapped between the check and the use.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "policy.h"

enum lookup {
	LOOKUP_MISSING, /* nothing here: look further */
	LOOKUP_DECIDED, /* d says granted or denied */
};

struct walk {
	int dirfd;
	const struct ab_caller *caller;
	const struct ab_target *target;
	struct ab_decision *d;
	const struct ab_tracer *tracer;
	int rule_files_seen;
	char seen[AB_REASON_MAX]; /* their names, for the reason */
};

static void trace(const struct walk *w, const char *source, unsigned line,
		  const char *what)
{
	if (w->tracer != NULL && w->tracer->step != NULL)
		w->tracer->step(w->tracer->ctx, source, line, what);
}

static void decide(struct walk *w, int granted, const char *source,
		   unsigned line, const char *reason)
{
	struct ab_decision *d = w->d;

	d->granted = granted;
	d->final = !granted;
	snprintf(d->source, sizeof(d->source), "%s", source);
	d->line = line;
	snprintf(d->reason, sizeof(d->reason), "%s", reason);
	trace(w, source, line, reason);
}

/* Opens a policy subdirectory (O_PATH, or readable to list it).  Returns
 * the fd, -1 when it does not exist, -2 when it decided (refused). */
static int open_subdir(struct walk *w, const char *name, int readable)
{
	struct stat st;
	const char *unsafe;
	int fd;

	fd = openat(w->dirfd, name, (readable ? O_RDONLY : O_PATH) | O_DIRECTORY |
				    O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		decide(w, 0, name, 0,
		       errno == ELOOP || errno == ENOTDIR
			       ? "is not a directory (symlinks are not followed)"
			       : "cannot be opened");
		return -2;
	}
	if (fstat(fd, &st) != 0) {
		decide(w, 0, name, 0, "cannot be examined");
		close(fd);
		return -2;
	}
	unsafe = ab_unsafe_reason(&st);
	if (*unsafe != '\0') {
		char reason[AB_REASON_MAX];

		snprintf(reason, sizeof(reason), "is %s, so it is not trusted", unsafe);
		decide(w, 0, name, 0, reason);
		close(fd);
		return -2;
	}
	return fd;
}

/*
 * byport and byaddr files: the file's existence and its execute bit are
 * the rule; its contents are never read.  The first of the names that
 * exists decides: executable grants, anything else denies.
 */
static enum lookup check_exec_file(struct walk *w, int subfd, const char *dir,
				   const char *name)
{
	char source[AB_SOURCE_MAX];
	struct stat st;
	int fd;

	snprintf(source, sizeof(source), "%s/%s", dir, name);
	fd = openat(subfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			trace(w, source, 0, "does not exist");
			return LOOKUP_MISSING;
		}
		decide(w, 0, source, 0, "cannot be opened");
		return LOOKUP_DECIDED;
	}
	if (fstat(fd, &st) != 0)
		decide(w, 0, source, 0, "cannot be examined");
	else if (!S_ISREG(st.st_mode))
		decide(w, 0, source, 0, "is not a regular file (symlinks are not followed)");
	else if (!ab_mode_allows_exec(&st, w->caller))
		decide(w, 0, source, 0, "exists but is not executable by the caller");
	else
		decide(w, 1, source, 0, "is executable by the caller");
	close(fd);
	return LOOKUP_DECIDED;
}

/* Legacy authbind names ports 512-1023 with a leading '!'. */
static int has_bang_name(uint16_t port)
{
	return port >= 512 && port <= 1023;
}

static enum lookup check_byport(struct walk *w)
{
	uint16_t port = w->target->port;
	char name[16];
	enum lookup r;
	int subfd = open_subdir(w, "byport", 0);

	if (subfd == -2)
		return LOOKUP_DECIDED;
	if (subfd < 0)
		return LOOKUP_MISSING;
	snprintf(name, sizeof(name), "%u", (unsigned)port);
	r = check_exec_file(w, subfd, "byport", name);
	if (r == LOOKUP_MISSING && has_bang_name(port)) {
		snprintf(name, sizeof(name), "!%u", (unsigned)port);
		r = check_exec_file(w, subfd, "byport", name);
	}
	close(subfd);
	return r;
}

static enum lookup check_byaddr(struct walk *w)
{
	const struct ab_addr *a = &w->target->addr;
	unsigned port = w->target->port;
	char text[AB_ADDR_TEXT_MAX], full[AB_ADDR_TEXT_MAX];
	/* Each name with room for the legacy '!' in front of it. */
	char names[3][AB_ADDR_TEXT_MAX + 8];
	size_t n = 0, i;
	enum lookup r = LOOKUP_MISSING;
	struct ab_addr plain = *a;
	int subfd = open_subdir(w, "byaddr", 0);

	if (subfd == -2)
		return LOOKUP_DECIDED;
	if (subfd < 0)
		return LOOKUP_MISSING;
	plain.scope_id = 0;
	ab_addr_format(&plain, text);
	ab_addr_format_full(&plain, full);
	if (a->family == AF_INET)
		snprintf(names[n++], sizeof(names[0]), "!%s:%u", text, port);
	snprintf(names[n++], sizeof(names[0]), "!%s,%u", text, port);
	if (a->family == AF_INET6 && strcmp(text, full) != 0)
		snprintf(names[n++], sizeof(names[0]), "!%s,%u", full, port);
	for (i = 0; i < n && r == LOOKUP_MISSING; i++) {
		r = check_exec_file(w, subfd, "byaddr", names[i] + 1);
		if (r == LOOKUP_MISSING && has_bang_name(w->target->port))
			r = check_exec_file(w, subfd, "byaddr", names[i]);
	}
	close(subfd);
	return r;
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

/*
 * Scans one rule file: a regular file, owned by root, not writable by
 * group or other, reached without following a symlink and readable by the
 * caller.  A missing file is looked past; one that cannot be trusted
 * decides (denies) at once.
 */
static enum lookup check_rule_file(struct walk *w, int subfd, const char *dir,
				   const char *name)
{
	char source[AB_SOURCE_MAX];
	struct match m = { w->target, 0 };
	struct stat st;
	const char *unsafe;
	int fd, ret;

	snprintf(source, sizeof(source), "%s/%s", dir, name);
	fd = openat(subfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			trace(w, source, 0, "does not exist");
			return LOOKUP_MISSING;
		}
		decide(w, 0, source, 0,
		       errno == ELOOP ? "is a symlink, which is not followed"
				      : "cannot be opened for reading by the caller");
		return LOOKUP_DECIDED;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		decide(w, 0, source, 0, "is not a regular file");
		close(fd);
		return LOOKUP_DECIDED;
	}
	unsafe = ab_unsafe_reason(&st);
	if (*unsafe != '\0') {
		char reason[AB_REASON_MAX];

		snprintf(reason, sizeof(reason), "is %s, so it is not trusted", unsafe);
		decide(w, 0, source, 0, reason);
		close(fd);
		return LOOKUP_DECIDED;
	}
	w->rule_files_seen++;
	ret = ab_rule_file_scan(fd, match_line, &m);
	close(fd);
	if (ret < 0) {
		decide(w, 0, source, 0, "could not be read");
		return LOOKUP_DECIDED;
	}
	if (m.line != 0) {
		decide(w, 1, source, m.line, "matches");
		return LOOKUP_DECIDED;
	}
	snprintf(w->d->source, sizeof(w->d->source), "%s", source);
	if (w->seen[0] == '\0')
		snprintf(w->seen, sizeof(w->seen), "%s", source);
	else if (strlen(w->seen) + strlen(source) + 3 < sizeof(w->seen))
		strcat(strcat(w->seen, ", "), source);
	trace(w, source, 0, "has no matching line");
	return LOOKUP_MISSING;
}

static enum lookup check_byuid(struct walk *w)
{
	const struct ab_caller *c = w->caller;
	char name[40];
	enum lookup r;
	int subfd = open_subdir(w, "byuid", 0);

	if (subfd == -2)
		return LOOKUP_DECIDED;
	if (subfd < 0)
		return LOOKUP_MISSING;
	snprintf(name, sizeof(name), "%u", (unsigned)c->uid);
	r = check_rule_file(w, subfd, "byuid", name);
	if (r == LOOKUP_MISSING && has_bang_name(w->target->port)) {
		snprintf(name, sizeof(name), "!%u", (unsigned)c->uid);
		r = check_rule_file(w, subfd, "byuid", name);
	}
	if (r == LOOKUP_MISSING) {
		const char *user = c->user_name != NULL ? c->user_name :
				   c->user_name_of != NULL ? c->user_name_of(c->uid) : NULL;

		if (user != NULL && ab_name_valid(user))
			r = check_rule_file(w, subfd, "byuid", user);
	}
	close(subfd);
	return r;
}

/* The group a bygid entry names: a number, or a name resolved as the
 * caller's tools resolve it.  Returns 0 or -1. */
static int group_of_entry(const struct ab_caller *c, const char *name, gid_t *gid)
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

static int compare_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* bygid/GID and bygid/NAME: the lines of every group the caller is in,
 * primary or supplementary, in the order of the names. */
static enum lookup check_bygid(struct walk *w)
{
	static char names[AB_GROUP_FILES_MAX][40];
	size_t n = 0, i;
	struct dirent *e;
	DIR *dir;
	int subfd = open_subdir(w, "bygid", 1);

	if (subfd == -2)
		return LOOKUP_DECIDED;
	if (subfd < 0)
		return LOOKUP_MISSING;
	dir = fdopendir(subfd);
	if (dir == NULL) {
		close(subfd);
		decide(w, 0, "bygid", 0, "cannot be listed");
		return LOOKUP_DECIDED;
	}
	while ((e = readdir(dir)) != NULL && n < AB_GROUP_FILES_MAX) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(names[0]))
			continue;
		memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);
	}
	qsort(names, n, sizeof(names[0]), compare_names);
	for (i = 0; i < n; i++) {
		gid_t gid;

		if (group_of_entry(w->caller, names[i], &gid) != 0 ||
		    !ab_caller_in_group(w->caller, gid))
			continue;
		if (check_rule_file(w, dirfd(dir), "bygid", names[i]) == LOOKUP_DECIDED) {
			closedir(dir);
			return LOOKUP_DECIDED;
		}
	}
	closedir(dir);
	return LOOKUP_MISSING;
}

void ab_policy_decide(int dirfd, const struct ab_caller *c,
		      const struct ab_target *t, struct ab_decision *d,
		      const struct ab_tracer *tracer)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.dirfd = dirfd;
	w.caller = c;
	w.target = t;
	w.d = d;
	w.tracer = tracer;

	memset(d, 0, sizeof(*d));
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
		snprintf(d->reason, sizeof(d->reason), "no line of %.*s matches",
			 (int)sizeof(d->reason) - 20, w.seen);
	} else {
		d->source[0] = '\0';
		snprintf(d->reason, sizeof(d->reason),
			 "no byport, byaddr, byuid or bygid file grants it");
	}
}

int ab_policy_open(const char *path, struct ab_decision *d)
{
	struct stat st;
	const char *unsafe;
	int fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	memset(d, 0, sizeof(*d));
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
