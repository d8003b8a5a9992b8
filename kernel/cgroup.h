/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where cgroup v2 is mounted, from /proc/self/mountinfo: /sys/fs/cgroup on
 * a pure v2 system, /sys/fs/cgroup/unified on a hybrid one.
 */
#ifndef AUTHBIND_CGROUP_H
#define AUTHBIND_CGROUP_H

#include <stddef.h>

/* Writes the mount point of the cgroup v2 hierarchy's root into out.
 * Returns 0, or -1 when there is none (or only a subtree is mounted). */
int ab_cgroup2_root(char *out, size_t size);

/* The cgroup of the calling process in the v2 hierarchy ("/" or
 * "/a/b"), from /proc/self/cgroup.  Returns 0 or -1. */
int ab_cgroup2_self(char *out, size_t size);

#endif
