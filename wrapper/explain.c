/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * authbind --explain and --list: what the policy grants a user, and why,
 * read with the same code the helper decides with.
 */
#include "config.h"
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "commands.h"
#include "identity.h"
#include "policy.h"
#include "tree.h"

/* Parses "ADDR:PORT", "[ADDR]:PORT" (a %scope is allowed and ignored by
 * the policy) or "*:PORT" ('*' and '::' mean the dual-stack wildcard). */
static int parse_endpoint(const char *text, struct ab_addr *a, int *any_family,
			  uint16_t *port)
{
	const char *colon, *addr = text, *addr_end;
	unsigned long v;

	*any_family = 0;
	if (text[0] == '[') {
		addr = text + 1;
		addr_end = strchr(addr, ']');
		if (addr_end == NULL || addr_end[1] != ':')
			return -1;
		colon = addr_end + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL)
			return -1;
		addr_end = colon;
	}
	if (ab_number_parse(colon + 1, strlen(colon + 1), 65535, &v) != 0 || v == 0)
		return -1;
	*port = (uint16_t)v;
	memset(a, 0, sizeof(*a));
	if (addr_end - addr == 1 && addr[0] == '*') {
		a->family = AF_INET6;
		*any_family = 1;
		return 0;
	}
	{
		const char *pct = memchr(addr, '%', (size_t)(addr_end - addr));
		size_t len = (size_t)((pct != NULL ? pct : addr_end) - addr);

		if (ab_addr_parse(a, addr, len) != 0)
			return -1;
	}
	/* ::ffff:a.b.c.d is judged as the IPv4 address it is. */
	ab_addr_unmap(a);
	if (a->family == AF_INET6 && ab_addr_is_any(a))
		*any_family = 1;
	return 0;
}

static void print_step(void *ctx, const char *source, unsigned line, const char *what)
{
	(void)ctx;
	if (line != 0)
		printf("    %s line %u %s\n", source, line, what);
	else
		printf("    %s %s\n", source, what);
}

/* Returns 1 when granted, 0 when a rule line would grant it, -1 when a
 * file decided the denial (described in blocker), -2 when this program
 * could not read a file the helper reads (it reads as root). */
static int explain_one(int dirfd, const struct ab_caller *c, const struct ab_target *t,
		       char *blocker, size_t size)
{
	struct ab_tracer tracer = { print_step, NULL };
	struct ab_decision d;
	char where[AB_ENDPOINT_TEXT_MAX];

	ab_endpoint_format(&t->addr, t->port, where);
	printf("  %s\n", where);
	ab_policy_decide(dirfd, c, t, &d, &tracer);
	if (d.granted)
		printf("    => granted\n");
	else if (d.source[0] == '\0')
		printf("    => denied: %s\n", d.reason);
	else
		printf("    => denied\n");
	if (!d.granted && d.final) {
		snprintf(blocker, size, "%s/%s %s", AB_POLICY_DIR, d.source, d.reason);
		return getuid() != 0 && strstr(d.reason, "Permission denied") != NULL ? -2 : -1;
	}
	return d.granted;
}

static void describe_user(const struct ab_identity *id, char *out, size_t size)
{
	if (id->name[0] != '\0')
		snprintf(out, size, "uid %u (%s)", (unsigned)id->caller.uid, id->name);
	else
		snprintf(out, size, "uid %u", (unsigned)id->caller.uid);
}

/* Which enforcer decides: the helper, for programs run under authbind, and
 * kernel mode while authbindd runs here (for --user, the processes of the
 * user in its cgroup). */
static void print_enforcers(const struct ab_identity *id, int self)
{
	struct ab_enforcers e;

	if (!ab_enforcers_get(&e, self ? &id->caller : NULL)) {
		printf("decided by: the helper, for programs run under authbind (kernel mode, "
		       "authbindd, is not running here)\n");
		return;
	}
	printf("decided by: kernel mode (authbindd, pid %d, cgroup %s), for every program "
	       "of uid %u in that cgroup, with or without authbind, by the groups "
	       "/etc/passwd and /etc/group give the user; and the helper, for programs run "
	       "under authbind\n", (int)e.kernel_state.pid,
	       e.kernel_state.cgroup[0] ? e.kernel_state.cgroup : "/",
	       (unsigned)id->caller.uid);
	if (self && e.too_many_groups)
		printf("kernel mode grants this process nothing: it is in more groups than "
		       "kernel mode reads\n");
	else if (self && e.groups_differ)
		printf("kernel mode grants this process nothing: its groups differ from those "
		       "/etc/passwd and /etc/group give uid %u (gid %u)\n",
		       (unsigned)id->caller.uid, (unsigned)e.differing_gid);
}

int ab_cmd_explain(const char *user, const char *proto_name, const char *endpoint)
{
	static struct ab_identity id; /* groups: too large for the stack */
	struct ab_target t;
	struct ab_decision d;
	char who[96], where[AB_ENDPOINT_TEXT_MAX], line[AB_ADDR_TEXT_MAX + 32];
	char blocker[2][sizeof(AB_POLICY_DIR) + AB_SOURCE_MAX + AB_REASON_MAX + 2];
	int dual, dirfd, first, v4, i;

	memset(&t, 0, sizeof(t));
	t.proto = IPPROTO_TCP;
	if (proto_name != NULL) {
		if (strcmp(proto_name, "udp") == 0)
			t.proto = IPPROTO_UDP;
		else if (strcmp(proto_name, "tcp") != 0)
			return ab_usage_error("--explain: protocol must be tcp or udp, not '%s'",
					      proto_name);
	}
	if (parse_endpoint(endpoint, &t.addr, &dual, &t.port) != 0)
		return ab_usage_error("--explain: '%s' is not ADDRESS:PORT "
				      "(e.g. 0.0.0.0:80, [::1]:443, *:80)", endpoint);
	if (ab_identity_get(&id, user) != 0)
		return 2;
	dirfd = ab_policy_open(AB_POLICY_DIR, &d);
	if (dirfd < 0) {
		fprintf(stderr, "authbind: %s %s\n", d.source, d.reason);
		return 2;
	}
	describe_user(&id, who, sizeof(who));
	ab_endpoint_format(&t.addr, t.port, where);
	printf("%s %s for %s%s:\n", ab_proto_name(t.proto), where, who,
	       dual ? ", a dual-stack bind (IPv6 and IPv4, as Java and Node make it)" : "");
	blocker[0][0] = blocker[1][0] = '\0';
	first = explain_one(dirfd, &id.caller, &t, blocker[0], sizeof(blocker[0]));
	v4 = 1;
	if (dual) {
		struct ab_target v4_target = t;

		memset(&v4_target.addr, 0, sizeof(v4_target.addr));
		v4_target.addr.family = AF_INET;
		v4 = explain_one(dirfd, &id.caller, &v4_target, blocker[1], sizeof(blocker[1]));
	}
	close(dirfd);
	if (first == -2 || v4 == -2) {
		printf("result: unknown\n"
		       "%s cannot be read by you, and the helper reads it as root: ask root for "
		       "authbind --explain --user %u\n", blocker[first == -2 ? 0 : 1],
		       (unsigned)id.caller.uid);
		return 2;
	}
	if (first == 1 && v4 == 1) {
		printf("result: granted\n");
	} else if (first < 0 || v4 < 0) {
		printf("result: denied\n");
		for (i = 0; i < 2; i++)
			if (blocker[i][0] != '\0' &&
			    (i == 0 || strcmp(blocker[0], blocker[1]) != 0))
				printf("no rule line can grant it while %s: that file decides "
				       "first (authbind --check-config tells more)\n", blocker[i]);
	} else {
		ab_rule_suggest(&t, dual, line, sizeof(line));
		printf("result: denied\n"
		       "to grant it, an administrator can add the line '%s' to %s/byuid/%u\n",
		       line, AB_POLICY_DIR, (unsigned)id.caller.uid);
	}
	print_enforcers(&id, user == NULL);
	return first == 1 && v4 == 1 ? 0 : 1;
}

/* ---- --list ---- */

/* A region as --list prints it: protocols and families merged where the
 * same file and line grant them alike. */
struct listed {
	unsigned protos;   /* 1 tcp, 2 udp */
	int family;        /* AF_UNSPEC: every address of both families */
	int whole;         /* every address of the family */
	int dropped;
	uint16_t port_lo, port_hi;
	struct ab_addr lo, hi;
	char source[AB_SOURCE_MAX];
	unsigned line;
};

struct listing {
	struct listed *v;
	size_t n, cap;
};

static int full_range(const struct ab_region *r)
{
	struct ab_addr max;

	memset(&max, 0xff, sizeof(max));
	return ab_addr_is_any(&r->lo) &&
	       memcmp(r->hi.bytes, max.bytes, ab_addr_size(r->family)) == 0;
}

static int same_place(const struct listed *a, const struct listed *b)
{
	return a->port_lo == b->port_lo && a->port_hi == b->port_hi && a->line == b->line &&
	       strcmp(a->source, b->source) == 0;
}

static int keep_region(void *ctx, const struct ab_region *r)
{
	struct listing *l = ctx;
	struct listed x, *e;
	unsigned proto = r->proto == IPPROTO_TCP ? 1 : 2;
	size_t i;

	memset(&x, 0, sizeof(x));
	x.protos = proto;
	x.family = r->family;
	x.port_lo = r->port_lo;
	x.port_hi = r->port_hi;
	x.lo = r->lo;
	x.hi = r->hi;
	snprintf(x.source, sizeof(x.source), "%s", r->source);
	x.line = r->line;
	for (i = 0; i < l->n; i++) {
		e = &l->v[i];
		if (!same_place(e, &x))
			continue;
		/* The other protocol, same addresses. */
		if (e->family == x.family && ab_addr_compare(&e->lo, &x.lo) == 0 &&
		    ab_addr_compare(&e->hi, &x.hi) == 0 && e->protos != proto) {
			e->protos |= proto;
			return 0;
		}
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct listed *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	x.whole = full_range(r);
	l->v[l->n++] = x;
	return 0;
}

/* Both whole families from one file and line, for the same protocols: '*'. */
static void merge_families(struct listing *l)
{
	size_t i, k, out = 0;

	for (i = 0; i < l->n; i++) {
		struct listed *a = &l->v[i];

		if (a->family != AF_INET || !a->whole)
			continue;
		for (k = 0; k < l->n; k++) {
			struct listed *b = &l->v[k];

			if (b->family == AF_INET6 && b->whole && !b->dropped &&
			    b->protos == a->protos && same_place(a, b)) {
				a->family = AF_UNSPEC;
				b->dropped = 1;
				break;
			}
		}
	}
	for (i = 0; i < l->n; i++)
		if (!l->v[i].dropped)
			l->v[out++] = l->v[i];
	l->n = out;
}

/* byport, byaddr, byuid, bygid; then file and line; then ports. */
static int rank(const char *source)
{
	static const char *const dirs[] = { "byport/", "byaddr/", "byuid/", "bygid/" };
	int i;

	for (i = 0; i < 4; i++)
		if (strncmp(source, dirs[i], strlen(dirs[i])) == 0)
			return i;
	return 4;
}

static int compare_listed(const void *pa, const void *pb)
{
	const struct listed *a = pa, *b = pb;
	int c;

	if (rank(a->source) != rank(b->source))
		return rank(a->source) - rank(b->source);
	if ((c = strcmp(a->source, b->source)) != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->port_lo != b->port_lo)
		return a->port_lo < b->port_lo ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return a->family == AF_UNSPEC ? 0 : ab_addr_compare(&a->lo, &b->lo);
}

static void print_listed(const struct listed *e)
{
	char range[2 * AB_ADDR_TEXT_MAX + 2], ports[16], rule[sizeof(range) + 40];

	if (e->port_lo == e->port_hi)
		snprintf(ports, sizeof(ports), "%u", (unsigned)e->port_lo);
	else
		snprintf(ports, sizeof(ports), "%u-%u", (unsigned)e->port_lo,
			 (unsigned)e->port_hi);
	if (e->family == AF_UNSPEC)
		snprintf(range, sizeof(range), "*");
	else
		ab_range_format(&e->lo, &e->hi, range, sizeof(range));
	snprintf(rule, sizeof(rule), "%s%s,%s",
		 e->protos == 1 ? "tcp " : e->protos == 2 ? "udp " : "", range, ports);
	if (e->line != 0)
		printf("  %-44s %s line %u\n", rule, e->source, e->line);
	else
		printf("  %-44s %s\n", rule, e->source);
}

/* byport and byaddr files that decide against the user: a rule line
 * cannot lift what they refuse, so --list names them too. */
struct refusals {
	const struct ab_tree *tree;
	const struct ab_caller *caller;
};

static int list_refusal(void *ctx, const struct ab_tree_entry *e)
{
	struct refusals *rf = ctx;
	char rule[AB_ENDPOINT_TEXT_MAX + 8], source[AB_SOURCE_MAX], host[AB_ADDR_TEXT_MAX];
	struct ab_decision d;
	struct ab_target t;
	int byport;

	if (e->dir == NULL || (strcmp(e->dir, "byport") != 0 && strcmp(e->dir, "byaddr") != 0))
		return 0;
	byport = e->dir[2] == 'p';
	memset(&t, 0, sizeof(t));
	t.proto = IPPROTO_TCP;
	t.addr.family = AF_INET;
	if (byport ? ab_byport_name_port(e->name, &t.port) != 0
		   : ab_byaddr_name_target(e->name, &t.addr, &t.port) != 0)
		return 0;
	snprintf(source, sizeof(source), "%s/%s", e->dir, e->name);
	ab_tree_decide(rf->tree, rf->caller, &t, &d, NULL);
	if (d.granted || strcmp(d.source, source) != 0)
		return 0;
	ab_addr_format(&t.addr, host);
	snprintf(rule, sizeof(rule), "%s,%u", byport ? "*" : host, (unsigned)t.port);
	printf("  %-44s %s  (refuses: %s)\n", rule, source, d.reason);
	return 0;
}

/* What only root could have read, said once: the helper reads the tree
 * with root's right to read, this program with the user's. */
static int note_unreadable(void *ctx, const struct ab_tree_entry *e)
{
	int *told = ctx;

	if (!e->usable && e->why != NULL && strstr(e->why, "Permission denied") != NULL &&
	    !*told) {
		printf("  (some files cannot be read by you, such as %s/%s; the helper reads "
		       "them as root: ask root for authbind --list --user)\n", e->dir, e->name);
		*told = 1;
	}
	return 0;
}

int ab_cmd_list(const char *user)
{
	static struct ab_identity id;
	struct listing l = { NULL, 0, 0 };
	struct refusals refusals;
	struct ab_tree *tree;
	char who[96], err[AB_SOURCE_MAX + AB_REASON_MAX + 2];
	size_t i;
	int told = 0;

	if (ab_identity_get(&id, user) != 0)
		return 2;
	tree = ab_tree_load(AB_POLICY_DIR, err, sizeof(err));
	if (tree == NULL) {
		fprintf(stderr, "authbind: %s\n", err);
		return 2;
	}
	if (ab_tree_grants(tree, &id.caller, 65535, keep_region, &l) != 0) {
		fprintf(stderr, "authbind: out of memory\n");
		ab_tree_free(tree);
		free(l.v);
		return 2;
	}
	merge_families(&l);
	if (l.n > 0)
		qsort(l.v, l.n, sizeof(*l.v), compare_listed);
	describe_user(&id, who, sizeof(who));
	printf("%s may bind, by the rules in %s:\n", who, AB_POLICY_DIR);
	for (i = 0; i < l.n; i++)
		print_listed(&l.v[i]);
	refusals.tree = tree;
	refusals.caller = &id.caller;
	ab_tree_entries(tree, list_refusal, &refusals);
	if (getuid() != 0)
		ab_tree_entries(tree, note_unreadable, &told);
	ab_tree_free(tree);
	free(l.v);
	return 0;
}
