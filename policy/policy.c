#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "policy.h"

/* Parses text[0..len) as a decimal number in [min, max]: digits only, no
 * sign, no space, at most ten digits.  It gives up as soon as the value
 * passes max (at most 65535), so that ten digits cannot wrap a 32-bit
 * unsigned long back into range. */
static int parse_number(const char *text, size_t len, unsigned long min,
			unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(text[i] - '0');
		if (v > max)
			return -1;
	}
	if (v < min)
		return -1;
	*out = v;
	return 0;
}

static int parse_port(const char *text, size_t len, uint16_t *port)
{
	unsigned long v;

	if (parse_number(text, len, 1, 65535, &v) != 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* "PORT" or "PORT-PORT". */
static int parse_port_range(struct ab_rule *r, const char *text, size_t len)
{
	const char *dash = memchr(text, '-', len);

	if (dash == NULL) {
		if (parse_port(text, len, &r->port_lo) != 0)
			return -1;
		r->port_hi = r->port_lo;
		return 0;
	}
	if (parse_port(text, (size_t)(dash - text), &r->port_lo) != 0 ||
	    parse_port(dash + 1, len - (size_t)(dash - text) - 1, &r->port_hi) != 0)
		return -1;
	return r->port_lo <= r->port_hi ? 0 : -1;
}

/* "ADDR", "ADDR/LEN" or "ADDRMIN-ADDRMAX" into the rule's address range. */
static int parse_addr_range(struct ab_rule *r, const char *text, size_t len)
{
	const char *dash = memchr(text, '-', len);
	const char *slash = memchr(text, '/', len);

	if (dash != NULL) {
		if (slash != NULL ||
		    ab_addr_parse(&r->lo, text, (size_t)(dash - text)) != 0 ||
		    ab_addr_parse(&r->hi, dash + 1, len - (size_t)(dash - text) - 1) != 0 ||
		    r->lo.family != r->hi.family)
			return -1;
		return ab_addr_compare(&r->lo, &r->hi) <= 0 ? 0 : -1;
	}
	if (slash == NULL) {
		if (ab_addr_parse(&r->lo, text, len) != 0)
			return -1;
		r->hi = r->lo;
		return 0;
	} else {
		unsigned long prefix;
		size_t size, i;

		if (ab_addr_parse(&r->lo, text, (size_t)(slash - text)) != 0)
			return -1;
		size = ab_addr_size(r->lo.family);
		if (parse_number(slash + 1, len - (size_t)(slash - text) - 1, 0,
				 size * 8, &prefix) != 0 ||
		    !ab_addr_host_bits_clear(&r->lo, (unsigned)prefix))
			return -1;
		r->hi = r->lo;
		for (i = 0; i < size; i++) {
			unsigned bit = (unsigned)i * 8;

			if (bit >= prefix)
				r->hi.bytes[i] = 0xff;
			else if (bit + 8 > prefix)
				r->hi.bytes[i] |= (uint8_t)(0xff >> (prefix - bit));
		}
		return 0;
	}
}

/* The old IPv4-only form "A.B.C.D[/LEN]:MIN,MAX", one space allowed after
 * the colon.  Recognised when what comes before the first colon can only
 * be an IPv4 address (digits, dots and a slash). */
static int is_old_form(const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	const char *p;

	if (colon == NULL || colon == line)
		return 0;
	for (p = line; p < colon; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '/'))
			return 0;
	return memchr(line, '.', (size_t)(colon - line)) != NULL;
}

static int parse_old_form(struct ab_rule *r, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	const char *ports = colon + 1;
	const char *end = line + len;
	const char *comma;

	if (parse_addr_range(r, line, (size_t)(colon - line)) != 0 ||
	    r->lo.family != AF_INET || memchr(line, '-', (size_t)(colon - line)))
		return -1;
	if (ports < end && *ports == ' ')
		ports++;
	comma = memchr(ports, ',', (size_t)(end - ports));
	if (comma == NULL ||
	    parse_port(ports, (size_t)(comma - ports), &r->port_lo) != 0 ||
	    parse_port(comma + 1, (size_t)(end - comma - 1), &r->port_hi) != 0)
		return -1;
	return r->port_lo <= r->port_hi ? 0 : -1;
}

enum ab_line_kind ab_rule_parse(struct ab_rule *r, const char *line, size_t len)
{
	const char *comma;
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len || line[i] == '#')
		return AB_LINE_BLANK;
	if (len > AB_LINE_MAX || memchr(line, '\0', len) != NULL)
		return AB_LINE_MALFORMED;
	if (is_old_form(line, len))
		return parse_old_form(r, line, len) == 0 ? AB_LINE_RULE
							  : AB_LINE_MALFORMED;
	comma = NULL;
	for (i = len; i > 0; i--) {
		if (line[i - 1] == ',') {
			comma = line + i - 1;
			break;
		}
	}
	if (comma == NULL ||
	    parse_addr_range(r, line, (size_t)(comma - line)) != 0 ||
	    parse_port_range(r, comma + 1, len - (size_t)(comma - line) - 1) != 0)
		return AB_LINE_MALFORMED;
	return AB_LINE_RULE;
}

int ab_rule_matches(const struct ab_rule *r, const struct ab_addr *a,
		    uint16_t port)
{
	return a->family == r->lo.family &&
	       port >= r->port_lo && port <= r->port_hi &&
	       ab_addr_compare(&r->lo, a) <= 0 && ab_addr_compare(a, &r->hi) <= 0;
}

static int caller_in_group(const struct ab_caller *c, gid_t gid)
{
	size_t i;

	if (c->gid == gid)
		return 1;
	for (i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return 1;
	return 0;
}

int ab_mode_allows_exec(const struct stat *st, const struct ab_caller *c)
{
	if (c->uid == 0)
		return (st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
	if (c->uid == st->st_uid)
		return (st->st_mode & S_IXUSR) != 0;
	if (caller_in_group(c, st->st_gid))
		return (st->st_mode & S_IXGRP) != 0;
	return (st->st_mode & S_IXOTH) != 0;
}

const char *ab_unsafe_reason(const struct stat *st)
{
	if (st->st_uid != 0)
		return "not owned by root";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or other";
	return "";
}

/*
 * Reads the file in blocks and hands out whole lines.  A line longer than
 * AB_LINE_MAX is reported once as malformed, with its start only.
 */
int ab_rule_file_scan(int fd, ab_line_fn fn, void *ctx)
{
	char block[4096];
	char line[AB_LINE_MAX + 1];
	size_t used = 0, total = 0;
	unsigned lineno = 1;
	int overlong = 0, ret;
	ssize_t n;
	struct ab_rule rule;

	for (;;) {
		size_t i;

		n = read(fd, block, sizeof(block));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > AB_RULE_FILE_MAX)
			return fn(ctx, lineno, AB_LINE_MALFORMED, NULL,
				  "(file too large)", 16);
		for (i = 0; i < (size_t)n; i++) {
			enum ab_line_kind kind;

			if (block[i] != '\n') {
				if (used < sizeof(line))
					line[used++] = block[i];
				else
					overlong = 1;
				continue;
			}
			kind = overlong || used > AB_LINE_MAX
				       ? AB_LINE_MALFORMED
				       : ab_rule_parse(&rule, line, used);
			ret = fn(ctx, lineno, kind,
				 kind == AB_LINE_RULE ? &rule : NULL, line, used);
			if (ret != 0)
				return ret;
			used = 0;
			overlong = 0;
			lineno++;
		}
	}
	if (used > 0 || overlong) {
		enum ab_line_kind kind = overlong || used > AB_LINE_MAX
						 ? AB_LINE_MALFORMED
						 : ab_rule_parse(&rule, line, used);

		return fn(ctx, lineno, kind, kind == AB_LINE_RULE ? &rule : NULL,
			  line, used);
	}
	return 0;
}

/* ---- the decision ---- */

enum lookup {
	LOOKUP_MISSING, /* no such file: look further */
	LOOKUP_DECIDED, /* d says granted or denied */
};

static void decide(struct ab_decision *d, int granted, const char *source,
		   unsigned line, const char *reason)
{
	d->granted = granted;
	snprintf(d->source, sizeof(d->source), "%s", source);
	d->line = line;
	snprintf(d->reason, sizeof(d->reason), "%s", reason);
}

/* Opens a policy subdirectory; a missing one is empty. */
static int open_subdir(int dirfd, const char *name, struct ab_decision *d)
{
	struct stat st;
	int fd;

	fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		decide(d, 0, name, 0,
		       errno == ELOOP || errno == ENOTDIR
			       ? "is not a directory (symlinks are not followed)"
			       : "cannot be opened");
		return -2;
	}
	if (fstat(fd, &st) != 0 || *ab_unsafe_reason(&st) != '\0') {
		decide(d, 0, name, 0, "is not owned by root or is writable by others");
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
static enum lookup check_exec_file(int subfd, const char *dir, const char *name,
				   const struct ab_caller *c, struct ab_decision *d)
{
	char source[AB_SOURCE_MAX];
	struct stat st;
	int fd;

	snprintf(source, sizeof(source), "%s/%s", dir, name);
	fd = openat(subfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return LOOKUP_MISSING;
		decide(d, 0, source, 0, "cannot be opened");
		return LOOKUP_DECIDED;
	}
	if (fstat(fd, &st) != 0) {
		decide(d, 0, source, 0, "cannot be examined");
	} else if (!S_ISREG(st.st_mode)) {
		decide(d, 0, source, 0,
		       "is not a regular file (symlinks are not followed)");
	} else if (!ab_mode_allows_exec(&st, c)) {
		decide(d, 0, source, 0, "exists but is not executable by the caller");
	} else {
		decide(d, 1, source, 0, "is executable by the caller");
	}
	close(fd);
	return LOOKUP_DECIDED;
}

/* Legacy authbind names ports 512-1023 with a leading '!'. */
static int has_bang_name(uint16_t port)
{
	return port >= 512 && port <= 1023;
}

static enum lookup check_byport(int dirfd, const struct ab_caller *c,
				uint16_t port, struct ab_decision *d)
{
	char name[16];
	enum lookup r = LOOKUP_MISSING;
	int subfd = open_subdir(dirfd, "byport", d);

	if (subfd == -2)
		return LOOKUP_DECIDED;
	if (subfd < 0)
		return LOOKUP_MISSING;
	snprintf(name, sizeof(name), "%u", (unsigned)port);
	r = check_exec_file(subfd, "byport", name, c, d);
	if (r == LOOKUP_MISSING && has_bang_name(port)) {
		snprintf(name, sizeof(name), "!%u", (unsigned)port);
		r = check_exec_file(subfd, "byport", name, c, d);
	}
	close(subfd);
	return r;
}

static enum lookup check_byaddr(int dirfd, const struct ab_caller *c,
				const struct ab_addr *a, uint16_t port,
				struct ab_decision *d)
{
	char text[AB_ADDR_TEXT_MAX], full[AB_ADDR_TEXT_MAX];
	/* Each name with room for the legacy '!' in front of it. */
	char names[3][AB_ADDR_TEXT_MAX + 8];
	size_t n = 0, i;
	enum lookup r = LOOKUP_MISSING;
	int subfd = open_subdir(dirfd, "byaddr", d);
	struct ab_addr plain = *a;

	if (subfd == -2)
		return LOOKUP_DECIDED;
	if (subfd < 0)
		return LOOKUP_MISSING;
	plain.scope_id = 0;
	ab_addr_format(&plain, text);
	ab_addr_format_full(&plain, full);
	if (a->family == AF_INET)
		snprintf(names[n++], sizeof(names[0]), "!%s:%u", text, (unsigned)port);
	snprintf(names[n++], sizeof(names[0]), "!%s,%u", text, (unsigned)port);
	if (a->family == AF_INET6 && strcmp(text, full) != 0)
		snprintf(names[n++], sizeof(names[0]), "!%s,%u", full, (unsigned)port);
	for (i = 0; i < n && r == LOOKUP_MISSING; i++) {
		r = check_exec_file(subfd, "byaddr", names[i] + 1, c, d);
		if (r == LOOKUP_MISSING && has_bang_name(port))
			r = check_exec_file(subfd, "byaddr", names[i], c, d);
	}
	close(subfd);
	return r;
}

struct match_ctx {
	const struct ab_addr *addr;
	uint16_t port;
	unsigned line; /* the first matching line, or 0 */
};

static int match_line(void *ctx, unsigned lineno, enum ab_line_kind kind,
		      const struct ab_rule *rule, const char *text, size_t len)
{
	struct match_ctx *m = ctx;

	(void)text;
	(void)len;
	if (kind == AB_LINE_RULE && ab_rule_matches(rule, m->addr, m->port)) {
		m->line = lineno;
		return 1;
	}
	return 0;
}

/* Opens a rule file for reading: a regular file, owned by root, not
 * writable by group or other, reached without following a symlink.
 * Returns the fd, -1 when missing, -2 when decided (refused). */
static int open_rule_file(int subfd, const char *source, const char *name,
			  struct ab_decision *d)
{
	struct stat st;
	const char *unsafe;
	int fd;

	fd = openat(subfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		decide(d, 0, source, 0,
		       errno == ELOOP ? "is a symlink, which is not followed"
				      : "cannot be opened for reading by the caller");
		return -2;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		decide(d, 0, source, 0, "is not a regular file");
		close(fd);
		return -2;
	}
	unsafe = ab_unsafe_reason(&st);
	if (*unsafe != '\0') {
		char reason[AB_REASON_MAX];

		snprintf(reason, sizeof(reason), "is %s, so it is not trusted", unsafe);
		decide(d, 0, source, 0, reason);
		close(fd);
		return -2;
	}
	return fd;
}

static enum lookup check_byuid(int dirfd, const struct ab_caller *c,
			       const struct ab_addr *a, uint16_t port,
			       struct ab_decision *d)
{
	char names[2][16];
	size_t n = 0, i;
	int subfd = open_subdir(dirfd, "byuid", d);
	int seen = 0;

	if (subfd == -2)
		return LOOKUP_DECIDED;
	if (subfd < 0)
		return LOOKUP_MISSING;
	snprintf(names[n++], sizeof(names[0]), "%u", (unsigned)c->uid);
	if (has_bang_name(port))
		snprintf(names[n++], sizeof(names[0]), "!%u", (unsigned)c->uid);
	for (i = 0; i < n; i++) {
		char source[AB_SOURCE_MAX];
		struct match_ctx m = { a, port, 0 };
		int fd, ret;

		snprintf(source, sizeof(source), "byuid/%s", names[i]);
		fd = open_rule_file(subfd, source, names[i], d);
		if (fd == -2) {
			close(subfd);
			return LOOKUP_DECIDED;
		}
		if (fd < 0)
			continue;
		seen = 1;
		ret = ab_rule_file_scan(fd, match_line, &m);
		close(fd);
		if (ret < 0) {
			decide(d, 0, source, 0, "could not be read");
			close(subfd);
			return LOOKUP_DECIDED;
		}
		if (m.line != 0) {
			decide(d, 1, source, m.line, "has a matching line");
			close(subfd);
			return LOOKUP_DECIDED;
		}
		decide(d, 0, source, 0, "has no line that matches");
	}
	close(subfd);
	return seen ? LOOKUP_DECIDED : LOOKUP_MISSING;
}

int ab_policy_decide(int dirfd, const struct ab_caller *c,
		     const struct ab_addr *addr, uint16_t port,
		     struct ab_decision *d)
{
	decide(d, 0, "", 0, "no file grants it");
	if (check_byport(dirfd, c, port, d) == LOOKUP_DECIDED)
		return 0;
	if (check_byaddr(dirfd, c, addr, port, d) == LOOKUP_DECIDED)
		return 0;
	if (check_byuid(dirfd, c, addr, port, d) == LOOKUP_DECIDED)
		return 0;
	decide(d, 0, "", 0, "no byport, byaddr or byuid file grants it");
	return 0;
}
