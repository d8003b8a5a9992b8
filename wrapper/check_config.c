/*
 * authbind --check-config: reads the whole policy tree and reports, with
 * file and line, everything the helper would refuse, ignore or read
 * differently from what its author probably meant.
 */
#include "config.h"
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "commands.h"
#include "policy.h"

#define RULES_PER_FILE_MAX 4096

struct report {
	int errors, warnings;
};

__attribute__((format(printf, 5, 6)))
static void say(struct report *r, int error, const char *source, unsigned line,
		const char *fmt, ...)
{
	va_list ap;

	if (line != 0)
		printf("%s:%u: %s: ", source, line, error ? "error" : "warning");
	else
		printf("%s: %s: ", source, error ? "error" : "warning");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (error)
		r->errors++;
	else
		r->warnings++;
}

/* Directories and rule files: what the helper checks on the open fd. */
static int check_trust(struct report *r, const char *source, const struct stat *st,
		       const char *consequence)
{
	const char *unsafe = ab_unsafe_reason(st);

	if (*unsafe == '\0')
		return 1;
	say(r, 1, source, 0, "%s (owner uid %u, mode %04o): %s", unsafe,
	    (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777), consequence);
	return 0;
}

static int scan_names(int dirfd, struct dirent ***names)
{
	return scandirat(dirfd, ".", names, NULL, alphasort);
}

/* Parses a byport name: "PORT" or "!PORT". */
static int byport_name(const char *name, unsigned long *port, int *bang)
{
	*bang = name[0] == '!';
	name += *bang;
	return ab_number_parse(name, strlen(name), 65535, port) == 0 && *port > 0 ? 0 : -1;
}

static void check_exec_entry(struct report *r, int subfd, const char *dir,
			     const char *name, const char *what)
{
	char source[2 * NAME_MAX + 2];
	struct stat st;

	snprintf(source, sizeof(source), "%s/%s", dir, name);
	if (fstatat(subfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		say(r, 1, source, 0, "cannot be examined: %s", strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		say(r, 1, source, 0, "is not a regular file (%s): symlinks are not followed, "
		    "so it denies %s to everyone", S_ISLNK(st.st_mode) ? "a symlink" : "not a file",
		    what);
		return;
	}
	if ((st.st_mode & 0111) == 0)
		say(r, 0, source, 0, "is executable by nobody: it denies %s to every user, "
		    "whatever byuid and bygid say", what);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		say(r, 0, source, 0, "has mode %04o, writable by group or other%s%s: a "
		    "byport or byaddr file grants by its execute bits, so give it 0500 "
		    "owned by the user, or 0555 for everyone",
		    (unsigned)(st.st_mode & 07777),
		    st.st_mode & S_IXOTH ? ", and every user may bind " : "",
		    st.st_mode & S_IXOTH ? what : "");
}

static void check_byport(struct report *r, int subfd)
{
	struct dirent **names;
	int n = scan_names(subfd, &names), i;

	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char source[2 * NAME_MAX + 2], what[32];
		unsigned long port;
		int bang;

		snprintf(source, sizeof(source), "byport/%s", name);
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			/* not entries */
		} else if (byport_name(name, &port, &bang) != 0) {
			say(r, 0, source, 0, "is not named PORT or !PORT; it is never consulted");
		} else if (bang && (port < 512 || port > 1023)) {
			say(r, 0, source, 0, "the '!' name is consulted only for ports 512-1023; "
			    "this file is never consulted (name it %lu)", port);
		} else {
			snprintf(what, sizeof(what), "port %lu", port);
			check_exec_entry(r, subfd, "byport", name, what);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

/* A byaddr name: [!]A.B.C.D:PORT or [!]ADDR,PORT. */
static int byaddr_name(const char *name, struct ab_addr *a, unsigned long *port, int *bang)
{
	const char *sep;

	*bang = name[0] == '!';
	name += *bang;
	sep = strrchr(name, ',');
	if (sep == NULL) {
		sep = strrchr(name, ':');
		if (sep == NULL || memchr(name, ':', (size_t)(sep - name)) != NULL)
			return -1;
	}
	if (ab_addr_parse(a, name, (size_t)(sep - name)) != 0 ||
	    (sep[0] == ':' && a->family != AF_INET) ||
	    ab_number_parse(sep + 1, strlen(sep + 1), 65535, port) != 0 || *port == 0)
		return -1;
	return 0;
}

static void check_byaddr(struct report *r, int subfd)
{
	struct dirent **names;
	int n = scan_names(subfd, &names), i;

	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char source[2 * NAME_MAX + 2], what[AB_SOURCE_MAX + NAME_MAX];
		struct ab_addr a;
		unsigned long port;
		int bang;

		snprintf(source, sizeof(source), "byaddr/%s", name);
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			/* not entries */
		} else if (byaddr_name(name, &a, &port, &bang) != 0) {
			say(r, 0, source, 0, "is not named A.B.C.D:PORT or ADDRESS,PORT; it is "
			    "never consulted");
		} else if (bang && (port < 512 || port > 1023)) {
			say(r, 0, source, 0, "the '!' name is consulted only for ports 512-1023; "
			    "this file is never consulted");
		} else {
			snprintf(what, sizeof(what), "%s", name + bang);
			check_exec_entry(r, subfd, "byaddr", name, what);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

struct rule_file {
	struct report *r;
	const char *source;
	int bang; /* a byuid/!UID file: consulted for ports 512-1023 only */
	size_t n;
	struct ab_rule rules[RULES_PER_FILE_MAX];
	unsigned lines[RULES_PER_FILE_MAX];
};

static int check_line(void *ctx, unsigned lineno, enum ab_line_kind kind,
		      const struct ab_rule *rule, const char *text, size_t len)
{
	struct rule_file *f = ctx;

	if (kind == AB_LINE_MALFORMED) {
		say(f->r, 1, f->source, lineno, "malformed line, never matches: '%.*s'",
		    (int)(len > 80 ? 80 : len), text);
		return 0;
	}
	if (kind != AB_LINE_RULE)
		return 0;
	if (f->bang && (rule->port_hi < 512 || rule->port_lo > 1023))
		say(f->r, 0, f->source, lineno, "a '!' file is consulted only for ports "
		    "512-1023; this line never matches");
	if (f->n < RULES_PER_FILE_MAX) {
		f->rules[f->n] = *rule;
		f->lines[f->n++] = lineno;
	}
	return 0;
}

/* True when some rule of the file covers '::' for every port and every
 * protocol of r ("0.0.0.0,80" with only "tcp ::,80" leaves UDP out). */
static int ipv6_any_covered(const struct rule_file *f, const struct ab_rule *r)
{
	static const int protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct ab_addr any6;
	unsigned port;
	size_t i, k;

	memset(&any6, 0, sizeof(any6));
	any6.family = AF_INET6;
	for (port = r->port_lo; port <= r->port_hi; port++) {
		for (k = 0; k < sizeof(protos) / sizeof(protos[0]); k++) {
			int covered = 0;

			if (r->proto != 0 && r->proto != protos[k])
				continue;
			for (i = 0; i < f->n && !covered; i++)
				covered = ab_rule_matches(&f->rules[i], &any6, (uint16_t)port,
							  protos[k]);
			if (!covered)
				return 0;
		}
	}
	return 1;
}

/* The mistake that makes Java die with "No such file or directory" and
 * Node fall back to IPv4: a rule for 0.0.0.0 without one for ::. */
static void check_dual_stack(const struct rule_file *f)
{
	struct ab_addr any4;
	size_t i;

	memset(&any4, 0, sizeof(any4));
	any4.family = AF_INET;
	for (i = 0; i < f->n; i++) {
		const struct ab_rule *r = &f->rules[i];
		char ports[16];

		if (r->lo.family != AF_INET || ab_addr_compare(&r->lo, &any4) != 0 ||
		    ipv6_any_covered(f, r))
			continue;
		if (r->port_lo == r->port_hi)
			snprintf(ports, sizeof(ports), "%u", (unsigned)r->port_lo);
		else
			snprintf(ports, sizeof(ports), "%u-%u", (unsigned)r->port_lo,
				 (unsigned)r->port_hi);
		say(f->r, 0, f->source, f->lines[i], "covers 0.0.0.0 but not ::: Java and "
		    "Node bind :: (IPv6 and IPv4 at once) and are refused; add '::,%s' or "
		    "write '*,%s'", ports, ports);
	}
}

static void check_rule_file(struct report *r, int subfd, const char *dir, const char *name,
			    int bang)
{
	static struct rule_file f;
	char source[2 * NAME_MAX + 2];
	struct stat st;
	int fd;

	snprintf(source, sizeof(source), "%s/%s", dir, name);
	fd = openat(subfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		say(r, 1, source, 0, errno == ELOOP ? "is a symlink, which is not followed: "
		    "the helper denies every bind it would decide" : "cannot be read: %s",
		    strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		say(r, 1, source, 0, "is not a regular file: the helper denies every bind it "
		    "would decide");
		close(fd);
		return;
	}
	check_trust(r, source, &st, "the helper does not trust it and denies every bind "
		    "it would decide");
	/* The helper reads it as the user, never as root (the owner). */
	if (!(st.st_mode & (S_IRGRP | S_IROTH)))
		say(r, 1, source, 0, "is readable by root alone (mode %04o): the helper reads "
		    "it as the user, so it denies every bind it would decide; chmod 644",
		    (unsigned)(st.st_mode & 07777));
	else if (!(st.st_mode & S_IROTH))
		say(r, 0, source, 0, "is readable by its group only (mode %04o): the helper "
		    "reads it as the user, who must be in group %u",
		    (unsigned)(st.st_mode & 07777), (unsigned)st.st_gid);
	memset(&f, 0, sizeof(f));
	f.r = r;
	f.source = source;
	f.bang = bang;
	if (ab_rule_file_scan(fd, check_line, &f) < 0)
		say(r, 1, source, 0, "cannot be read: %s", strerror(errno));
	close(fd);
	check_dual_stack(&f);
}

static void check_rule_dir(struct report *r, int subfd, const char *dir)
{
	struct dirent **names;
	int n = scan_names(subfd, &names), i;
	int users = strcmp(dir, "byuid") == 0;

	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		const char *id = name[0] == '!' && users ? name + 1 : name;
		char source[2 * NAME_MAX + 2];
		unsigned long v;
		uid_t uid;
		gid_t gid;
		int known;

		snprintf(source, sizeof(source), "%s/%s", dir, name);
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			free(names[i]);
			continue;
		}
		if (ab_number_parse(id, strlen(id), 4294967294UL, &v) == 0)
			known = 1;
		else if (!ab_name_valid(id) || (id != name))
			known = -1;
		else if (users)
			known = ab_user_id_of(id, &uid) == 0;
		else
			known = ab_group_id_of(id, &gid) == 0;
		if (known == -1)
			say(r, 0, source, 0, "is not named by a %s number or name; it is never "
			    "consulted", users ? "user" : "group");
		else if (known == 0)
			say(r, 0, source, 0, "no such %s: it is never consulted",
			    users ? "user" : "group");
		else
			check_rule_file(r, subfd, dir, name, id != name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	if (!users && n > AB_GROUP_FILES_MAX + 2)
		say(r, 0, dir, 0, "has more than %d entries; the helper looks at the first %d "
		    "only", AB_GROUP_FILES_MAX, AB_GROUP_FILES_MAX);
}

int ab_cmd_check_config(void)
{
	static const char *const known[] = { "byport", "byaddr", "byuid", "bygid" };
	struct report r = { 0, 0 };
	struct dirent **names;
	struct stat st;
	int dirfd, n, i;

	printf("checking %s\n", AB_POLICY_DIR);
	dirfd = open(AB_POLICY_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0 || fstat(dirfd, &st) != 0) {
		printf("%s: error: cannot be opened: %s%s\n", AB_POLICY_DIR, strerror(errno),
		       errno == ELOOP ? " (symlinks are not followed)" : "");
		return 2;
	}
	check_trust(&r, AB_POLICY_DIR, &st, "the helper denies every bind");
	n = scan_names(dirfd, &names);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t k;
		int subfd;

		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strcmp(name, known[k]) == 0)
				break;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			/* not entries */
		} else if (k == sizeof(known) / sizeof(known[0])) {
			say(&r, 0, name, 0, "is not byport, byaddr, byuid or bygid; it is ignored");
		} else if ((subfd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						       O_CLOEXEC)) < 0 ||
			   fstat(subfd, &st) != 0) {
			say(&r, 1, name, 0, "is not a directory (symlinks are not followed): "
			    "the helper denies every bind it would decide");
			if (subfd >= 0)
				close(subfd);
		} else {
			if (check_trust(&r, name, &st, "the helper denies every bind it would "
					"decide")) {
				if (k == 0)
					check_byport(&r, subfd);
				else if (k == 1)
					check_byaddr(&r, subfd);
				else
					check_rule_dir(&r, subfd, name);
			}
			close(subfd);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	close(dirfd);
	printf("%d error%s, %d warning%s\n", r.errors, r.errors == 1 ? "" : "s",
	       r.warnings, r.warnings == 1 ? "" : "s");
	return r.errors + r.warnings > 0 ? 1 : 0;
}
