/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * authbindd keeps only the capabilities it uses (authbindd(8)):
 *   CAP_BPF        load programs, create and update maps
 *   CAP_PERFMON    the programs read the binding task's credentials and
 *                  the socket through kernel pointers
 *   CAP_NET_ADMIN  load and attach cgroup socket programs (the kernel asks
 *                  it of this program type at load)
 * and drops every other one, from the bounding set too, at start.
 */
#ifndef AUTHBIND_CAPS_H
#define AUTHBIND_CAPS_H

#include <stddef.h>

/* Returns 0, or -1 with a one-line reason in err. */
int ab_caps_drop(char *err, size_t errsize);

#endif
