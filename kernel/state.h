/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * authbindd's state file, STATE_DIR/PID: written once its programs are
 * attached, removed when it stops.  Read by ab_kernel_mode_active.
 */
#ifndef AUTHBIND_STATE_H
#define AUTHBIND_STATE_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0, or -1 with a one-line reason in err. */
int ab_state_write(const char *dir, uint64_t netns_cookie, const char *cgroup,
		   char *err, size_t errsize);
void ab_state_remove(const char *dir);

#endif
