/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Events from the BPF program (struct ab_kevent) turned into syslog lines
 * (LOG_AUTHPRIV) in the helper's form, each explained by ab_tree_decide on
 * the generation that judged the bind:
 *
 *   granted uid=1000 pid=2067 tcp 0.0.0.0:80 by byport/80
 *   denied uid=1000 pid=2078 tcp [::]:95 (dual-stack): byuid/1000 has no line that matches
 */
#ifndef AUTHBIND_EVENTS_H
#define AUTHBIND_EVENTS_H

#include "authbind_bpf.h"
#include "compile.h"

/* gen is NULL when the generation is no longer kept. */
void ab_log_event(const struct ab_kevent *e, const struct ab_generation *gen);

#endif
