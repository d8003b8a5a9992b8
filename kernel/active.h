/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Is kernel mode in force for this process?  For the wrapper and
 * --explain (the lead's code): true when a live authbindd has attached its
 * programs to a cgroup that contains the calling process, for the calling
 * process's network namespace.  authbindd writes one state file per
 * running daemon (state.c) and removes it when it stops; a file left by a
 * daemon that died is recognised as stale, since the process it names is
 * no longer the one that wrote it.
 *
 * Sockets are judged by the cgroup they are created in, so the answer is
 * right for sockets this process (or a program it executes without moving
 * it to another cgroup) creates.
 */
#ifndef AUTHBIND_ACTIVE_H
#define AUTHBIND_ACTIVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ab_kernel_state {
	pid_t pid;
	unsigned long long start_time; /* field 22 of /proc/PID/stat */
	uint64_t netns_cookie;
	char cgroup[4096];             /* relative to the cgroup v2 root */
};

/*
 * Returns 1 when a daemon recorded in state_dir (the configured
 * AB_KERNEL_STATE_DIR) is alive and covers the calling process, and then
 * fills *found (may be NULL); 0 otherwise.
 */
int ab_kernel_mode_active(const char *state_dir, struct ab_kernel_state *found);

/* Reads one state file; 0 or -1.  (Also used by authbindd itself.) */
int ab_kernel_state_read(int dirfd, const char *name, struct ab_kernel_state *s);

/* The start time of a live process, or 0 when it does not exist. */
unsigned long long ab_process_start_time(pid_t pid);

#endif
