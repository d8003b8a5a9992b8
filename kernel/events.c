/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One syslog line per event.  The program only says what it did; the
 * words (which file granted, why not) come from the policy code, asked
 * the same question on the same generation, exactly as the helper asks
 * it, so a line from kernel mode reads like the helper's.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "addr.h"
#include "events.h"
#include "policy.h"
#include "tree.h"

/* Both halves of a dual-stack bind are asked, as the helper asks them:
 * *d for the address, *d4 for 0.0.0.0.  Returns whether all is granted. */
static int decide(const struct ab_generation *gen, const struct ab_caller *who,
		  const struct ab_target *t, int dual, struct ab_decision *d,
		  struct ab_decision *d4)
{
	struct ab_target any4 = *t;

	ab_tree_decide(gen->tree, who, t, d, NULL);
	if (!dual)
		return d->granted;
	memset(&any4.addr, 0, sizeof(any4.addr));
	any4.addr.family = AF_INET;
	ab_tree_decide(gen->tree, who, &any4, d4, NULL);
	return d->granted && d4->granted;
}

void ab_log_event(const struct ab_kevent *e, const struct ab_generation *gen)
{
	const struct ab_profile *p = gen != NULL ? ab_generation_profile(gen, e->uid) : NULL;
	char endpoint[AB_ENDPOINT_TEXT_MAX], where[AB_ENDPOINT_TEXT_MAX + 32];
	char by[AB_WORDS_MAX], why[AB_WORDS_MAX];
	const char *proto = ab_proto_name(e->proto);
	int dual = (e->flags & AB_EVF_DUAL) != 0, granted = 0;
	struct ab_decision d, d4;
	struct ab_caller who;
	struct ab_target t;

	memset(&t, 0, sizeof(t));
	t.addr.family = e->family == 4 ? AF_INET : AF_INET6;
	memcpy(t.addr.bytes, e->addr, e->family == 4 ? 4 : 16);
	t.port = e->port;
	t.proto = e->proto;
	ab_endpoint_format(&t.addr, t.port, endpoint);
	snprintf(where, sizeof(where), "%s%s", endpoint,
		 dual ? " (dual-stack)" : (e->flags & AB_EVF_V6ONLY) ? " (v6-only)" : "");
	snprintf(why, sizeof(why), "generation %u is no longer kept", (unsigned)e->generation);
	snprintf(by, sizeof(by), "generation %u", (unsigned)e->generation);
	if (p != NULL) {
		memset(&who, 0, sizeof(who));
		who.uid = e->uid;
		who.gid = p->gid;
		who.groups = p->groups;
		who.ngroups = p->ngroups;
		who.user_name_of = ab_user_name_of;
		who.group_by_name = ab_group_id_of;
		memset(&d, 0, sizeof(d));
		memset(&d4, 0, sizeof(d4));
		granted = decide(gen, &who, &t, dual, &d, &d4);
		ab_words_granted(&d, dual ? &d4 : NULL, by, sizeof(by));
		ab_words_refused(&d, dual ? &d4 : NULL, why, sizeof(why));
	}
	switch (e->verdict) {
	case AB_EV_GRANTED:
		syslog(LOG_NOTICE, "granted uid=%u pid=%u %s %s by %s", e->uid, e->pid, proto,
		       where, granted || p == NULL ? by : "(policy changed since)");
		break;
	case AB_EV_DENIED:
		syslog(LOG_WARNING, "denied uid=%u pid=%u %s %s: %s", e->uid, e->pid, proto,
		       where, why);
		break;
	case AB_EV_CAPABLE:
		syslog(LOG_NOTICE, "allowed by CAP_NET_BIND_SERVICE uid=%u pid=%u %s %s "
		       "(the policy alone would refuse: %s)", e->uid, e->pid, proto, where, why);
		break;
	case AB_EV_GROUPS:
		syslog(LOG_WARNING, "denied uid=%u pid=%u %s %s: the process's groups are not "
		       "those kernel mode assumes for uid %u (/etc/passwd, /etc/group), so "
		       "kernel mode grants nothing; the helper (authbind COMMAND) still can",
		       e->uid, e->pid, proto, where, e->uid);
		break;
	case AB_EV_UNBOUND:
		syslog(LOG_WARNING, "denied uid=%u pid=%u %s %s: granted v6-only, but "
		       "IPV6_V6ONLY was turned off before the bind completed, and the IPv4 "
		       "half is not granted: unbound (EPERM)", e->uid, e->pid, proto, where);
		break;
	default:
		syslog(LOG_WARNING, "event of unknown kind %u uid=%u pid=%u %s %s",
		       (unsigned)e->verdict, e->uid, e->pid, proto, where);
		break;
	}
}
