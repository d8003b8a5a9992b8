/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Everything a tree grants a caller, as disjoint regions of (protocol,
 * family, ports, addresses), for authbind --list and for authbindd, which
 * compiles them into the kernel's maps.
 *
 * It follows the walk's order over whole ranges at once: a byport file
 * decides its port; else a byaddr file decides its address and port; else
 * the rule files, in the walk's order, grant what their lines cover until
 * the first file that cannot be used, which denies the rest.  Each file is
 * judged by the same functions the walk calls (ab_exec_decide, the view's
 * rule_file), and the unit tests compare the result with the walk on many
 * generated trees.
 *
 * Ports are cut into segments on which nothing changes (every rule's
 * bounds, every byport and byaddr port, 512 and 1024, where Debian's '!'
 * names start and stop counting); each segment's addresses are worked out
 * once.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tree.h"
#include "view.h"

/* Port classes: the rule files the walk reads differ inside 512-1023
 * (byuid/!UID is read there only). */
#define CLASS_LOW 1u  /* ports outside 512-1023 */
#define CLASS_BANG 2u /* ports 512-1023 */
#define CLASS_ALL (CLASS_LOW | CLASS_BANG)

static const int protos[2] = { IPPROTO_TCP, IPPROTO_UDP };
static const int families[2] = { AF_INET, AF_INET6 };

/* A decided port (byport) or address and port (byaddr). */
struct point {
	struct ab_addr addr; /* byaddr only */
	uint16_t port;
	int granted;
	char source[AB_SOURCE_MAX];
};

struct rule_file {
	char source[AB_SOURCE_MAX];
	unsigned classes;
	struct ab_rule *rules;
	unsigned *lines;
	size_t n, cap;
};

struct interval {
	struct ab_addr lo, hi;
	const char *source;
	unsigned line;
};

struct interval_list {
	struct interval *v;
	size_t n, cap;
};

/* What is waiting to be handed out for one protocol and family: the same
 * intervals over a run of consecutive ports. */
struct pending {
	uint16_t port_lo, port_hi;
	struct interval_list list;
	int active;
};

struct compile {
	const struct ab_tree *tree;
	const struct ab_caller *caller;
	struct ab_view view;
	unsigned port_max;
	struct point *ports;  /* byport decisions */
	size_t nports;
	struct point *points; /* byaddr decisions */
	size_t npoints;
	int byaddr_denies;    /* byaddr cannot be used: it denies the rest */
	struct rule_file *files;
	size_t nfiles;
	unsigned cut;         /* classes in which a later file is never read */
	unsigned *bounds;
	size_t nbounds, capbounds;
	struct pending pending[2][2];
	ab_region_fn fn;
	void *ctx;
	int failed;   /* 1: out of memory, 2: fn said stop (fn_ret) */
	int fn_ret;
};

/* ---- addresses as numbers ---- */

static size_t width(int family)
{
	return family == AF_INET ? 4 : 16;
}

static void addr_min(struct ab_addr *a, int family)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
}

static void addr_max(struct ab_addr *a, int family)
{
	addr_min(a, family);
	memset(a->bytes, 0xff, width(family));
}

static int addr_cmp(const struct ab_addr *a, const struct ab_addr *b)
{
	return memcmp(a->bytes, b->bytes, width(a->family));
}

/* a + 1 or a - 1; returns 0, or -1 when it would leave the family's range. */
static int addr_step(struct ab_addr *a, int up)
{
	size_t i = width(a->family);

	while (i-- > 0) {
		if (up ? a->bytes[i]++ != 0xff : a->bytes[i]-- != 0)
			return 0;
	}
	return -1;
}

/* ---- interval lists ---- */

static int list_insert(struct compile *k, struct interval_list *l, size_t at,
		       const struct interval *iv)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct interval *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL) {
			k->failed = 1;
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	memmove(&l->v[at + 1], &l->v[at], (l->n - at) * sizeof(*l->v));
	l->v[at] = *iv;
	l->n++;
	return 0;
}

/* Adds the parts of [lo, hi] no interval holds yet: the first line that
 * covers an address is the one that grants it, as in the walk. */
static void list_add(struct compile *k, struct interval_list *l, const struct ab_addr *lo,
		     const struct ab_addr *hi, const char *source, unsigned line)
{
	struct interval piece;
	struct ab_addr cur = *lo;
	size_t i;

	piece.source = source;
	piece.line = line;
	for (i = 0; i < l->n; i++) {
		const struct interval *e = &l->v[i];

		if (addr_cmp(&e->hi, &cur) < 0)
			continue;
		if (addr_cmp(&e->lo, &cur) > 0) {
			piece.lo = cur;
			piece.hi = e->lo;
			addr_step(&piece.hi, 0);
			if (addr_cmp(&piece.hi, hi) > 0)
				piece.hi = *hi;
			if (list_insert(k, l, i, &piece) != 0)
				return;
			i++;
			e = &l->v[i];
		}
		cur = e->hi;
		if (addr_cmp(&cur, hi) >= 0 || addr_step(&cur, 1) != 0)
			return;
	}
	piece.lo = cur;
	piece.hi = *hi;
	list_insert(k, l, l->n, &piece);
}

/* Takes the address a out of the list (a byaddr file decided it). */
static void list_remove(struct compile *k, struct interval_list *l, const struct ab_addr *a)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct interval *e = &l->v[i];
		struct interval upper;

		if (addr_cmp(&e->lo, a) > 0 || addr_cmp(&e->hi, a) < 0)
			continue;
		upper = *e;
		if (addr_cmp(&e->lo, a) == 0 && addr_cmp(&e->hi, a) == 0) {
			memmove(e, e + 1, (l->n - i - 1) * sizeof(*e));
			l->n--;
		} else if (addr_cmp(&e->lo, a) == 0) {
			addr_step(&e->lo, 1);
		} else if (addr_cmp(&e->hi, a) == 0) {
			addr_step(&e->hi, 0);
		} else {
			e->hi = *a;
			addr_step(&e->hi, 0);
			upper.lo = *a;
			addr_step(&upper.lo, 1);
			list_insert(k, l, i + 1, &upper);
		}
		return;
	}
}

static int list_equal(const struct interval_list *a, const struct interval_list *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		if (addr_cmp(&a->v[i].lo, &b->v[i].lo) != 0 ||
		    addr_cmp(&a->v[i].hi, &b->v[i].hi) != 0 ||
		    a->v[i].line != b->v[i].line || a->v[i].source != b->v[i].source)
			return 0;
	}
	return 1;
}

/* ---- handing regions out ---- */

static void flush(struct compile *k, int p, int f)
{
	struct pending *pd = &k->pending[p][f];
	struct ab_region r;
	size_t i;

	if (!pd->active)
		return;
	for (i = 0; i < pd->list.n && !k->failed; i++) {
		memset(&r, 0, sizeof(r));
		r.proto = protos[p];
		r.family = families[f];
		r.port_lo = pd->port_lo;
		r.port_hi = pd->port_hi;
		r.lo = pd->list.v[i].lo;
		r.hi = pd->list.v[i].hi;
		snprintf(r.source, sizeof(r.source), "%s", pd->list.v[i].source);
		r.line = pd->list.v[i].line;
		if ((k->fn_ret = k->fn(k->ctx, &r)) != 0)
			k->failed = 2;
	}
	pd->active = 0;
}

/* The segment lo..hi grants list: extend what is pending or replace it. */
static void segment_done(struct compile *k, int p, int f, unsigned lo, unsigned hi,
			 struct interval_list *list)
{
	struct pending *pd = &k->pending[p][f];
	struct interval_list old;

	if (pd->active && pd->port_hi + 1u == lo && list_equal(&pd->list, list)) {
		pd->port_hi = (uint16_t)hi;
		list->n = 0;
		return;
	}
	flush(k, p, f);
	old = pd->list;
	pd->list = *list;
	*list = old;
	list->n = 0;
	pd->port_lo = (uint16_t)lo;
	pd->port_hi = (uint16_t)hi;
	pd->active = pd->list.n > 0;
}

/* ---- reading the decisions of byport and byaddr ---- */

static struct point *add_point(struct compile *k, struct point **v, size_t *n)
{
	struct point *p = realloc(*v, (*n + 1) * sizeof(**v));

	if (p == NULL) {
		k->failed = 1;
		return NULL;
	}
	*v = p;
	memset(&p[*n], 0, sizeof(p[*n]));
	return &p[(*n)++];
}

static struct point *find_port(const struct compile *k, unsigned port)
{
	size_t i;

	for (i = 0; i < k->nports; i++)
		if (k->ports[i].port == port)
			return &k->ports[i];
	return NULL;
}

int ab_byport_name_port(const char *name, uint16_t *port)
{
	char names[AB_EXEC_NAMES_MAX][AB_EXEC_NAME_MAX];
	const char *digits = name + (name[0] == '!');
	unsigned long v;
	size_t n, i;

	if (ab_number_parse(digits, strlen(digits), 65535, &v) != 0 || v == 0)
		return -1;
	n = ab_byport_names((uint16_t)v, names);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0) {
			*port = (uint16_t)v;
			return 0;
		}
	}
	return -1;
}

static void read_byport(struct compile *k)
{
	char names[AB_EXEC_NAMES_MAX][AB_EXEC_NAME_MAX];
	size_t i, count = ab_tree_count(k->tree, AB_BYPORT);

	for (i = 0; i < count && !k->failed; i++) {
		struct ab_decision d;
		struct point *p;
		uint16_t port;

		if (ab_byport_name_port(ab_tree_name(k->tree, AB_BYPORT, i), &port) != 0 ||
		    port > k->port_max || find_port(k, port) != NULL)
			continue;
		if (ab_exec_decide(&k->view, AB_BYPORT, names, ab_byport_names(port, names),
				   k->caller, NULL, &d) != AB_PRESENT ||
		    (p = add_point(k, &k->ports, &k->nports)) == NULL)
			continue;
		p->port = port;
		p->granted = d.granted;
		snprintf(p->source, sizeof(p->source), "%s", d.source);
	}
}

int ab_byaddr_name_target(const char *name, struct ab_addr *a, uint16_t *port)
{
	char names[AB_EXEC_NAMES_MAX][AB_EXEC_NAME_MAX];
	const char *bare = name + (name[0] == '!'), *sep = strrchr(bare, ',');
	struct ab_addr mapped;
	unsigned long v;
	size_t n, i;

	if (sep == NULL)
		sep = strrchr(bare, ':');
	if (sep == NULL || ab_addr_parse(a, bare, (size_t)(sep - bare)) != 0 ||
	    ab_number_parse(sep + 1, strlen(sep + 1), 65535, &v) != 0 || v == 0)
		return -1;
	mapped = *a;
	ab_addr_unmap(&mapped);
	if (mapped.family != a->family)
		return -1; /* binds to it are judged as IPv4: never looked up */
	*port = (uint16_t)v;
	n = ab_byaddr_names(a, *port, names);
	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 0;
	return -1; /* a mapped address, leading zeros, the wrong separator... */
}

static void read_byaddr(struct compile *k)
{
	char names[AB_EXEC_NAMES_MAX][AB_EXEC_NAME_MAX];
	size_t i, j, count = ab_tree_count(k->tree, AB_BYADDR);

	for (i = 0; i < count && !k->failed; i++) {
		struct ab_decision d;
		struct ab_addr a;
		struct point *p;
		uint16_t port;
		int seen = 0;

		if (ab_byaddr_name_target(ab_tree_name(k->tree, AB_BYADDR, i), &a, &port) != 0 ||
		    port > k->port_max || find_port(k, port) != NULL)
			continue;
		for (j = 0; j < k->npoints && !seen; j++)
			seen = k->points[j].port == port && k->points[j].addr.family == a.family &&
			       addr_cmp(&k->points[j].addr, &a) == 0;
		if (seen || ab_exec_decide(&k->view, AB_BYADDR, names,
					   ab_byaddr_names(&a, port, names), k->caller,
					   NULL, &d) != AB_PRESENT ||
		    (p = add_point(k, &k->points, &k->npoints)) == NULL)
			continue;
		p->addr = a;
		p->port = port;
		p->granted = d.granted;
		snprintf(p->source, sizeof(p->source), "%s", d.source);
	}
}

/* ---- reading the rule files, in the walk's order ---- */

static int keep_rule(void *ctx, unsigned lineno, enum ab_line_kind kind,
		     const struct ab_rule *rule, const char *text, size_t len)
{
	struct rule_file *f = ctx;

	(void)text;
	(void)len;
	if (kind != AB_LINE_RULE)
		return 0;
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 16;
		struct ab_rule *rules = realloc(f->rules, cap * sizeof(*rules));
		unsigned *lines = rules == NULL ? NULL : realloc(f->lines, cap * sizeof(*lines));

		if (rules != NULL)
			f->rules = rules;
		if (lines == NULL)
			return -1;
		f->lines = lines;
		f->cap = cap;
	}
	f->rules[f->n] = *rule;
	f->lines[f->n++] = lineno;
	return 0;
}

/* A rule file the walk reads for ports of the classes given: its lines
 * count where no earlier file stopped the walk; one that cannot be used
 * stops it there. */
static void read_rule_file(struct compile *k, enum ab_subdir d, const char *name,
			   unsigned classes)
{
	char why[AB_REASON_MAX];
	struct rule_file f, *files;
	int scan = 0;

	classes &= ~k->cut;
	if (classes == 0 || k->failed)
		return;
	memset(&f, 0, sizeof(f));
	snprintf(f.source, sizeof(f.source), "%s/%s", ab_subdir_names[d], name);
	f.classes = classes;
	switch (k->view.ops->rule_file(k->view.view, d, name, keep_rule, &f, &scan, why)) {
	case AB_ABSENT:
		break;
	case AB_UNUSABLE:
		k->cut |= classes;
		break;
	case AB_PRESENT:
		if (scan < 0) {
			k->failed = 1;
			break;
		}
		files = realloc(k->files, (k->nfiles + 1) * sizeof(*files));
		if (files == NULL) {
			k->failed = 1;
			break;
		}
		k->files = files;
		k->files[k->nfiles++] = f;
		return;
	}
	free(f.rules);
	free(f.lines);
}

/* A subdirectory the walk enters, for every class not yet cut: one that
 * cannot be used stops the walk. */
static int enter(struct compile *k, enum ab_subdir d)
{
	char why[AB_REASON_MAX];

	switch (k->view.ops->subdir(k->view.view, d, why)) {
	case AB_ABSENT:
		return 0;
	case AB_UNUSABLE:
		k->cut = CLASS_ALL;
		return 0;
	case AB_PRESENT:
		break;
	}
	return k->cut != CLASS_ALL;
}

static void read_rule_files(struct compile *k)
{
	const struct ab_caller *c = k->caller;
	const char *const *names;
	const char *user;
	char name[16], why[AB_REASON_MAX];
	size_t n, i;

	if (enter(k, AB_BYUID)) {
		snprintf(name, sizeof(name), "%u", (unsigned)c->uid);
		read_rule_file(k, AB_BYUID, name, CLASS_ALL);
		snprintf(name, sizeof(name), "!%u", (unsigned)c->uid);
		read_rule_file(k, AB_BYUID, name, CLASS_BANG);
		user = c->user_name != NULL ? c->user_name :
		       c->user_name_of != NULL ? c->user_name_of(c->uid) : NULL;
		if (user != NULL && ab_name_valid(user))
			read_rule_file(k, AB_BYUID, user, CLASS_ALL);
	}
	if (!enter(k, AB_BYGID))
		return;
	if (k->view.ops->group_names(k->view.view, &names, &n, why) != AB_PRESENT) {
		k->cut = CLASS_ALL;
		return;
	}
	for (i = 0; i < n; i++) {
		gid_t gid;

		if (ab_group_of_entry(c, names[i], &gid) == 0 && ab_caller_in_group(c, gid))
			read_rule_file(k, AB_BYGID, names[i], CLASS_ALL);
	}
}

/* ---- the sweep over ports ---- */

static void add_bound(struct compile *k, unsigned port)
{
	if (port < 1 || port > k->port_max + 1)
		return;
	if (k->nbounds == k->capbounds) {
		size_t cap = k->capbounds ? 2 * k->capbounds : 64;
		unsigned *b = realloc(k->bounds, cap * sizeof(*b));

		if (b == NULL) {
			k->failed = 1;
			return;
		}
		k->bounds = b;
		k->capbounds = cap;
	}
	k->bounds[k->nbounds++] = port;
}

static int compare_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* What one segment of ports grants for one protocol and family. */
static void grant_segment(struct compile *k, unsigned lo, int p, int f,
			  struct interval_list *list)
{
	const struct point *decided = find_port(k, lo);
	unsigned class = lo >= 512 && lo <= 1023 ? CLASS_BANG : CLASS_LOW;
	struct ab_addr min, max;
	size_t i, j;

	addr_min(&min, families[f]);
	addr_max(&max, families[f]);
	if (decided != NULL) {
		if (decided->granted)
			list_add(k, list, &min, &max, decided->source, 0);
		return;
	}
	if (k->byaddr_denies)
		return;
	for (i = 0; i < k->nfiles; i++) {
		const struct rule_file *file = &k->files[i];

		if (!(file->classes & class))
			continue;
		for (j = 0; j < file->n; j++) {
			const struct ab_rule *r = &file->rules[j];

			if ((r->proto != 0 && r->proto != protos[p]) ||
			    lo < r->port_lo || lo > r->port_hi)
				continue;
			if (r->lo.family == AF_UNSPEC)
				list_add(k, list, &min, &max, file->source, file->lines[j]);
			else if (r->lo.family == families[f])
				list_add(k, list, &r->lo, &r->hi, file->source, file->lines[j]);
		}
	}
	for (i = 0; i < k->npoints; i++) {
		const struct point *pt = &k->points[i];

		if (pt->port != lo || pt->addr.family != families[f])
			continue;
		list_remove(k, list, &pt->addr);
		if (pt->granted)
			list_add(k, list, &pt->addr, &pt->addr, pt->source, 0);
	}
}

static void sweep(struct compile *k)
{
	struct interval_list list = { NULL, 0, 0 };
	size_t i, j;
	int p, f;

	add_bound(k, 1);
	add_bound(k, 512);
	add_bound(k, 1024);
	add_bound(k, k->port_max + 1);
	for (i = 0; i < k->nports; i++) {
		add_bound(k, k->ports[i].port);
		add_bound(k, k->ports[i].port + 1u);
	}
	for (i = 0; i < k->npoints; i++) {
		add_bound(k, k->points[i].port);
		add_bound(k, k->points[i].port + 1u);
	}
	for (i = 0; i < k->nfiles; i++) {
		for (j = 0; j < k->files[i].n; j++) {
			add_bound(k, k->files[i].rules[j].port_lo);
			add_bound(k, k->files[i].rules[j].port_hi + 1u);
		}
	}
	if (k->failed)
		return;
	if (k->nbounds > 0)
		qsort(k->bounds, k->nbounds, sizeof(*k->bounds), compare_unsigned);
	for (i = 0; i + 1 < k->nbounds && !k->failed; i++) {
		unsigned lo = k->bounds[i], hi = k->bounds[i + 1] - 1;

		if (lo > hi)
			continue; /* a repeated bound */
		for (p = 0; p < 2; p++) {
			for (f = 0; f < 2; f++) {
				grant_segment(k, lo, p, f, &list);
				segment_done(k, p, f, lo, hi, &list);
			}
		}
	}
	for (p = 0; p < 2; p++)
		for (f = 0; f < 2; f++)
			flush(k, p, f);
	free(list.v);
}

int ab_tree_grants(const struct ab_tree *t, const struct ab_caller *c,
		   uint16_t port_max, ab_region_fn fn, void *ctx)
{
	struct compile k;
	char why[AB_REASON_MAX];
	size_t i;
	int p, f, ret;

	memset(&k, 0, sizeof(k));
	k.tree = t;
	k.caller = c;
	k.port_max = port_max;
	k.fn = fn;
	k.ctx = ctx;
	ab_tree_as_view(t, &k.view);

	/* Root is granted nothing (lookup.c); every other bind reaches byport
	 * first: if it cannot be used, nothing is granted at all. */
	if (c->uid == 0)
		return 0;
	if (k.view.ops->subdir(k.view.view, AB_BYPORT, why) == AB_UNUSABLE)
		return 0;
	read_byport(&k);
	switch (k.view.ops->subdir(k.view.view, AB_BYADDR, why)) {
	case AB_UNUSABLE:
		k.byaddr_denies = 1;
		break;
	case AB_PRESENT:
		read_byaddr(&k);
		break;
	case AB_ABSENT:
		break;
	}
	if (!k.byaddr_denies)
		read_rule_files(&k);
	if (!k.failed)
		sweep(&k);

	ret = k.failed == 1 ? -1 : k.failed == 2 ? k.fn_ret : 0;
	for (p = 0; p < 2; p++)
		for (f = 0; f < 2; f++)
			free(k.pending[p][f].list.v);
	for (i = 0; i < k.nfiles; i++) {
		free(k.files[i].rules);
		free(k.files[i].lines);
	}
	free(k.files);
	free(k.ports);
	free(k.points);
	free(k.bounds);
	return ret;
}
