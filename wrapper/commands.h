/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The wrapper's commands besides running a program: each returns the exit
 * status (0 yes/clean, 1 no/problems found, 2 could not answer).
 */
#ifndef AUTHBIND_COMMANDS_H
#define AUTHBIND_COMMANDS_H

#include "active.h"
#include "policy.h"

#define AB_EXIT_USAGE 255

/* Who decides a bind of this process (enforcers.c). */
struct ab_enforcers {
	int kernel;                          /* authbindd covers this process */
	struct ab_kernel_state kernel_state; /* its pid, its cgroup */
	int groups_differ;   /* kernel mode grants this process nothing */
	int too_many_groups; /* ... because it has more groups than it reads */
	gid_t differing_gid; /* else a relevant group it is (not) in */
};

/* Fills e for the calling process; process (its identity, or NULL) lets
 * it tell whether kernel mode judges it by its login groups.  Returns
 * e->kernel. */
int ab_enforcers_get(struct ab_enforcers *e, const struct ab_caller *process);

/* Prints "authbind: MESSAGE (see authbind --help)", one line on stderr;
 * returns AB_EXIT_USAGE. */
int ab_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int ab_cmd_explain(const char *user, const char *proto, const char *endpoint);
int ab_cmd_list(const char *user);
int ab_cmd_check_config(void);

/* Warns on stderr (unless quiet) when the preload cannot work for
 * command, and returns the depth to run it with: depth as given to the
 * wrapper (AB_DEPTH_DEEP or 1-100), or 2 for a script whose "#!" line
 * starts its interpreter through env when no depth was given (the user
 * meant the interpreter, the second program). */
int ab_preflight(const char *command, int depth, int depth_given, int quiet);

#endif
