/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "agree.h"

struct membership {
	const struct ab_target *t;
	int hits;
	struct ab_region hit;
};

static int count_hit(void *ctx, const struct ab_region *r)
{
	struct membership *m = ctx;
	const struct ab_target *t = m->t;

	if (r->proto == t->proto && r->family == t->addr.family && t->port >= r->port_lo &&
	    t->port <= r->port_hi && ab_addr_compare(&r->lo, &t->addr) <= 0 &&
	    ab_addr_compare(&t->addr, &r->hi) <= 0) {
		m->hits++;
		m->hit = *r;
	}
	return 0;
}

static int same(const struct ab_decision *a, const struct ab_decision *b)
{
	return a->granted == b->granted && a->final == b->final && a->line == b->line &&
	       strcmp(a->source, b->source) == 0 && strcmp(a->reason, b->reason) == 0;
}

int agree_check(int dirfd, const struct ab_tree *tree, const struct ab_caller *c,
		const struct ab_target *t, struct ab_decision *live, char *why, size_t size)
{
	struct ab_decision loaded;
	struct membership m;

	ab_policy_decide(dirfd, c, t, live, NULL);
	ab_tree_decide(tree, c, t, &loaded, NULL);
	if (!same(live, &loaded)) {
		snprintf(why, size, "files: %s by '%s' line %u (%s, final %d); tree: %s by '%s' "
			 "line %u (%s, final %d)", live->granted ? "granted" : "denied",
			 live->source, live->line, live->reason, live->final,
			 loaded.granted ? "granted" : "denied", loaded.source, loaded.line,
			 loaded.reason, loaded.final);
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.t = t;
	if (ab_tree_grants(tree, c, 65535, count_hit, &m) != 0) {
		snprintf(why, size, "ab_tree_grants failed");
		return -1;
	}
	if (m.hits > 1) {
		snprintf(why, size, "%d regions hold the bind: they are not disjoint", m.hits);
		return -1;
	}
	if (live->granted != (m.hits == 1)) {
		snprintf(why, size, "the walk %s it, the regions %s it (%s line %u)",
			 live->granted ? "grants" : "refuses", m.hits ? "grant" : "do not grant",
			 m.hits ? m.hit.source : "-", m.hits ? m.hit.line : 0);
		return -1;
	}
	if (live->granted && (strcmp(m.hit.source, live->source) != 0 ||
			      m.hit.line != live->line)) {
		snprintf(why, size, "granted by '%s' line %u, but its region names '%s' line %u",
			 live->source, live->line, m.hit.source, m.hit.line);
		return -1;
	}
	return 0;
}
