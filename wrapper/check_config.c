/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * authbind --check-config: reads the whole policy tree, as the helper
 * would judge each entry of it (policy/tree.h), and reports with file and
 * line everything the helper would refuse, never look at, or read
 * differently from what its author probably meant.
 */
#include "config.h"
#include "paths.h"

#include <errno.h>
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
#include "tree.h"

#define RULES_PER_FILE_MAX 4096
#define AB_EXEC_TEXT_MAX (NAME_MAX + 32)

struct report {
	const struct ab_tree *tree;
	int errors, warnings;
	size_t group_files; /* bygid entries seen, for the limit */
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

/* An entry the helper cannot use: why, with owner and mode where they are
 * the reason, and what follows. */
static void unusable(struct report *r, const char *source, const struct ab_tree_entry *e,
		     const char *consequence)
{
	if (getuid() != 0 && strstr(e->why, "Permission denied") != NULL)
		say(r, 0, source, 0, "cannot be read by you, and the helper reads it as root: "
		    "run authbind --check-config as root to check it");
	else if (e->examined && strstr(e->why, "not trusted") != NULL)
		say(r, 1, source, 0, "%s (owner uid %u, mode %04o): %s", e->why,
		    (unsigned)e->st.st_uid, (unsigned)(e->st.st_mode & 07777), consequence);
	else
		say(r, 1, source, 0, "%s: %s", e->why, consequence);
}

static void check_exec_file(struct report *r, const char *source,
			    const struct ab_tree_entry *e, const char *what)
{
	mode_t mode = e->exec->mode;

	if ((mode & 0111) == 0)
		say(r, 0, source, 0, "is executable by nobody: it denies %s to every user, "
		    "whatever byuid and bygid say", what);
	if (mode & (S_IWGRP | S_IWOTH))
		say(r, 0, source, 0, "has mode %04o, writable by group or other%s%s: a "
		    "byport or byaddr file grants by its execute bits, so give it 0500 "
		    "owned by the user, or 0555 for everyone", (unsigned)(mode & 07777),
		    mode & S_IXOTH ? ", and every user may bind " : "",
		    mode & S_IXOTH ? what : "");
}

static void check_byport(struct report *r, const char *source, const struct ab_tree_entry *e)
{
	char what[48];
	unsigned long v;
	uint16_t port;

	if (ab_byport_name_port(e->name, &port) != 0) {
		if (e->name[0] == '!' &&
		    ab_number_parse(e->name + 1, strlen(e->name + 1), 65535, &v) == 0 && v > 0)
			say(r, 0, source, 0, "the '!' name is consulted only for ports 512-1023; "
			    "this file is never consulted (name it %lu)", v);
		else
			say(r, 0, source, 0, "is not named PORT or !PORT; it is never consulted");
		return;
	}
	snprintf(what, sizeof(what), "it denies port %u to everyone", (unsigned)port);
	if (!e->usable)
		unusable(r, source, e, what);
	else {
		snprintf(what, sizeof(what), "port %u", (unsigned)port);
		check_exec_file(r, source, e, what);
	}
}

static void check_byaddr(struct report *r, const char *source, const struct ab_tree_entry *e)
{
	char what[AB_EXEC_TEXT_MAX];
	struct ab_addr a;
	uint16_t port;

	if (ab_byaddr_name_target(e->name, &a, &port) != 0) {
		if (e->name[0] == '!' && ab_byaddr_name_target(e->name + 1, &a, &port) == 0)
			say(r, 0, source, 0, "the '!' name is consulted only for ports 512-1023; "
			    "this file is never consulted");
		else
			say(r, 0, source, 0, "is not named A.B.C.D:PORT or ADDRESS,PORT as the "
			    "lookup writes it; it is never consulted");
		return;
	}
	if (!e->usable) {
		snprintf(what, sizeof(what), "it denies %s to everyone", e->name + (e->name[0] == '!'));
		unusable(r, source, e, what);
	} else {
		check_exec_file(r, source, e, e->name + (e->name[0] == '!'));
	}
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

/* The mistake that makes Java die with "Permission denied" and Node fall
 * back to IPv4: a rule for 0.0.0.0 without one for ::. */
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

/* Whether the walk ever reads byuid/NAME or bygid/NAME; warns if not. */
static int consulted_name(struct report *r, const char *source, const char *dir,
			  const char *name)
{
	int users = strcmp(dir, "byuid") == 0;
	const char *id = users && name[0] == '!' ? name + 1 : name;
	char canonical[16];
	unsigned long v;
	const char *first;
	uid_t uid;
	gid_t gid;

	if (ab_number_parse(id, strlen(id), (uid_t)-2, &v) == 0) {
		snprintf(canonical, sizeof(canonical), "%lu", v);
		if (!users || strcmp(canonical, id) == 0)
			return 1;
		say(r, 0, source, 0, "is not written as the lookup writes uid %lu (%s); it is "
		    "never consulted", v, canonical);
		return 0;
	}
	if (!ab_name_valid(id) || id != name) {
		say(r, 0, source, 0, "is not named by a %s number or name; it is never "
		    "consulted", users ? "user" : "group");
		return 0;
	}
	if (!users) {
		if (ab_group_id_of(id, &gid) == 0)
			return 1;
		say(r, 0, source, 0, "no such group: it is never consulted");
		return 0;
	}
	if (ab_user_id_of(id, &uid) != 0) {
		say(r, 0, source, 0, "no such user: it is never consulted");
		return 0;
	}
	first = ab_user_name_of(uid);
	if (first != NULL && strcmp(first, id) != 0) {
		say(r, 0, source, 0, "uid %u is named %s first in /etc/passwd, and the lookup "
		    "reads byuid/%s: this file is never consulted", (unsigned)uid, first, first);
		return 0;
	}
	return 1;
}

static void check_rule_file(struct report *r, const char *source, const struct ab_tree_entry *e)
{
	static struct rule_file f;

	if (strcmp(e->dir, "bygid") == 0 && ++r->group_files == AB_GROUP_FILES_MAX + 1)
		say(r, 0, "bygid", 0, "has more than %d entries; the helper looks at the first "
		    "%d by name only, up to bygid/%s", AB_GROUP_FILES_MAX, AB_GROUP_FILES_MAX,
		    e->name);
	if (!consulted_name(r, source, e->dir, e->name))
		return;
	if (!e->usable) {
		unusable(r, source, e, "the helper denies every bind it would decide");
		return;
	}
	memset(&f, 0, sizeof(f));
	f.r = r;
	f.source = source;
	f.bang = strcmp(e->dir, "byuid") == 0 && e->name[0] == '!';
	ab_tree_lines(r->tree, e->dir, e->name, check_line, &f);
	check_dual_stack(&f);
}

static int check_entry(void *ctx, const struct ab_tree_entry *e)
{
	static const char *const known[] = { "byport", "byaddr", "byuid", "bygid" };
	struct report *r = ctx;
	char source[2 * NAME_MAX + 2];
	size_t k;

	if (e->dir == NULL) {
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strcmp(e->name, known[k]) == 0)
				break;
		if (k == sizeof(known) / sizeof(known[0]))
			say(r, 0, e->name, 0, "is not byport, byaddr, byuid or bygid; it is ignored");
		else if (!e->usable)
			unusable(r, e->name, e, "the helper denies every bind it would decide");
		return 0;
	}
	snprintf(source, sizeof(source), "%s/%s", e->dir, e->name);
	if (strcmp(e->dir, "byport") == 0)
		check_byport(r, source, e);
	else if (strcmp(e->dir, "byaddr") == 0)
		check_byaddr(r, source, e);
	else
		check_rule_file(r, source, e);
	return 0;
}

int ab_cmd_check_config(void)
{
	struct report r = { NULL, 0, 0, 0 };
	struct ab_tree *tree;
	char err[AB_SOURCE_MAX + AB_REASON_MAX + 2];

	printf("checking %s\n", AB_POLICY_DIR);
	tree = ab_tree_load(AB_POLICY_DIR, err, sizeof(err));
	if (tree == NULL) {
		printf("%s: error: %s; the helper denies every bind\n", AB_POLICY_DIR,
		       err + strlen(AB_POLICY_DIR) + (strncmp(err, AB_POLICY_DIR,
							      strlen(AB_POLICY_DIR)) == 0));
		return strstr(err, "not trusted") != NULL ? 1 : 2;
	}
	r.tree = tree;
	ab_tree_entries(tree, check_entry, &r);
	ab_tree_free(tree);
	printf("%d error%s, %d warning%s\n", r.errors, r.errors == 1 ? "" : "s",
	       r.warnings, r.warnings == 1 ? "" : "s");
	return r.errors + r.warnings > 0 ? 1 : 0;
}
