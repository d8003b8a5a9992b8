/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The words every enforcer says about a decision: what granted a bind,
 * and why one was refused.  The helper's log line and the line the user
 * reads, and authbindd's log line, are made of these, so that both
 * enforcers say the same thing the same way.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "policy.h"

void ab_words_source(const struct ab_decision *d, char *out, size_t size)
{
	if (d->line != 0)
		snprintf(out, size, "%s line %u", d->source, d->line);
	else
		snprintf(out, size, "%s", d->source);
}

void ab_words_granted(const struct ab_decision *d, const struct ab_decision *v4, char *out,
		      size_t size)
{
	char a[AB_SOURCE_MAX + 16], b[AB_SOURCE_MAX + 16];

	ab_words_source(d, a, sizeof(a));
	if (v4 == NULL) {
		snprintf(out, size, "%s", a);
		return;
	}
	ab_words_source(v4, b, sizeof(b));
	if (strcmp(a, b) == 0)
		snprintf(out, size, "%s", a);
	else
		snprintf(out, size, "%s for :: and %s for 0.0.0.0", a, b);
}

void ab_words_refused(const struct ab_decision *d, const struct ab_decision *v4, char *out,
		      size_t size)
{
	const struct ab_decision *no = d->granted && v4 != NULL ? v4 : d;

	snprintf(out, size, "%s%s%s%s",
		 no == d ? "" : "for 0.0.0.0, the IPv4 half of this dual-stack bind: ",
		 no->source, *no->source ? " " : "", no->reason);
}
